"""The voice page, run headless with AppTest: the demo shop (with three survey answers
that match no customer added), the shared filters, an empty store, and a store with NPS
answers but no orders and no tickets."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

import ui
from clv.ingest.demo import load_demo
from clv.ingest.pipeline import import_file
from clv.metrics.filters import Filters
from clv.metrics.voice import (
    UNMATCHED,
    clv_held_by_nps_group,
    nps,
    nps_by,
    nps_from_counts,
    tickets_by_tier,
)
from clv.store import Store
from clv.valuation import engine
from clv.valuation.engine import ValuationSettings, store_values
from tests.apptest import run_page

PAGE = "views/voice.py"
SURVEY_MAPPING = {
    "response_id": "id",
    "customer_email": "email",
    "answered_at": "date",
    "score": "score",
}


def survey_csv(rows: list[tuple[str, str, str, int]]) -> bytes:
    lines = ["id,email,date,score", *(",".join(map(str, row)) for row in rows)]
    return ("\n".join(lines) + "\n").encode()


def import_survey(store: Store, rows: list[tuple[str, str, str, int]]) -> None:
    report = import_file(
        store,
        survey_csv(rows),
        "survey.csv",
        kind="nps",
        mapping=SURVEY_MAPPING,
        save_mapping=False,
    )
    assert report.rows_loaded == len(rows)


def number(text: str, lang: str = "en") -> float:
    """A figure as shown on the page (``+14.2``, ``€5,999``, ``−3,5``, ``5 999 €``, ``12.5%``)."""
    cleaned = re.sub(r"[€%\s\u202f\u00a0]", "", text).replace("\u2212", "-")
    if lang == "fr":
        return float(cleaned.replace(",", "."))
    return float(cleaned.replace(",", ""))


def tiles(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def interval(at, lang: str = "en") -> tuple[float, float, int]:
    """Low, high and answers from the caption under the NPS tile."""
    pattern = {
        "en": r"95 % interval: (\S+) to (\S+) · ([\d,]+) answers",
        "fr": r"Intervalle à 95 % : (\S+) à (\S+) · ([\d\u202f\u00a0 ]+) réponses",
    }[lang]
    for caption in at.caption:
        match = re.search(pattern, caption.value)
        if match:
            low, high, answers = (number(group, lang) for group in match.groups())
            return low, high, int(answers)
    raise AssertionError("no interval caption")


def overall(cur, filters: Filters | None = None):
    months = nps_by(cur, "month", filters or Filters())
    return nps_from_counts(
        int(months["promoters"].sum()),
        int(months["passives"].sum()),
        int(months["detractors"].sum()),
    )


@pytest.fixture(scope="module")
def shop(app_demo_db: Path) -> dict:
    """The demo shop, loaded here rather than by the app so that three answers from
    unknown emails can be added first; and the figures of ``clv`` on that file."""
    store = ui.open_store(str(app_demo_db), "1GB", 2)
    load_demo(store, n_customers=1500, key=store.pseudonym_key)
    with store.cursor() as cur:
        last = cur.execute("SELECT max(ordered_at)::DATE FROM orders").fetchone()[0]
    day = (last - dt.timedelta(days=20)).isoformat()
    import_survey(
        store,
        [
            ("x-1", "nobody@example.com", f"{day} 10:00", 2),
            ("x-2", "stranger@example.org", f"{day} 11:00", 3),
            ("x-3", "visitor@example.net", f"{day} 12:00", 10),
        ],
    )
    valuation = engine.value_customers(store, ValuationSettings())
    assert valuation.ok
    with store.cursor() as cur:
        key = store_values(cur, valuation)
    return {"store": store, "valuation": key, "last": last}


def test_voice_page_on_the_demo_shop(shop: dict) -> None:
    at = run_page(PAGE, "en")
    assert at.title[0].value == "Voice of the customer"
    assert not at.exception
    shown = tiles(at)
    with shop["store"].cursor() as cur:
        expected = overall(cur)
        # Every answer of the file, scored from the raw table: the same NPS.
        raw = nps(score for (score,) in cur.execute("SELECT score FROM nps_responses").fetchall())
        by_tier = nps_by(cur, "tier", valuation=shop["valuation"]).set_index("group")
        by_channel = nps_by(cur, "channel").set_index("group")
        held = clv_held_by_nps_group(cur, shop["valuation"]).set_index("group")
        tickets = tickets_by_tier(cur, shop["valuation"]).set_index("tier")

    assert (raw.n, raw.nps) == (expected.n, pytest.approx(expected.nps))
    # Overall NPS and its interval, rounded to one decimal on the page.
    assert number(shown["Overall NPS"]) == pytest.approx(expected.nps, abs=0.05)
    low, high, answers = interval(at)
    assert low == pytest.approx(expected.low, abs=0.05)
    assert high == pytest.approx(expected.high, abs=0.05)
    assert answers == expected.n == number(shown["Answers"])
    # Shares of the three groups add up to the answers.
    assert number(shown["Promoters (9-10)"]) == pytest.approx(
        100 * expected.promoters / expected.n, abs=0.05
    )
    assert number(shown["Detractors (0-6)"]) == pytest.approx(
        100 * expected.detractors / expected.n, abs=0.05
    )
    # The three answers from unknown emails: counted apart, on a tile and in a note.
    assert shown["Answers matching no customer"] == "3"
    assert by_channel.loc[UNMATCHED, "answers"] == 3
    notes = "\n".join(i.value for i in at.info)
    assert "**3 answers match no customer**" in notes
    # Predicted CLV held by promoters and detractors, in whole euros.
    assert number(shown["Predicted CLV of promoters"]) == pytest.approx(
        held.loc["promoter", "predicted_clv"], abs=0.5
    )
    assert number(shown["Predicted CLV of detractors"]) == pytest.approx(
        held.loc["detractor", "predicted_clv"], abs=0.5
    )
    # The benchmark states its basis: the sign of the NPS.
    assert "**Benchmark:**" in "\n".join(m.value for m in at.markdown)

    # NPS by tier (the default split): the table's NPS is clv.metrics.voice's.
    assert at.radio(key="voice_by").value == "tier"
    table = at.dataframe[0].value.set_index("segment")
    assert list(table.index[:4]) == ["Platinum", "Gold", "Silver", "Bronze"]
    assert table.loc["Gold", "nps"] == pytest.approx(by_tier.loc["Gold", "nps"], abs=1e-9)
    assert table.loc["Gold", "answers"] == by_tier.loc["Gold", "answers"]
    # Segments with too few answers are named in a visible warning.
    segments = by_tier[by_tier["matched"]]
    thin = [tier for tier in segments.index if segments.loc[tier, "too_few"]]
    assert thin  # the 1,500-customer demo has fewer than 30 answers from Platinum
    warning = at.warning[0].value
    assert "Too few answers to read" in warning
    assert all(f"{tier} (" in warning for tier in thin)

    # Tickets by tier beside it.
    tickets_table = at.dataframe[1].value.set_index("tier")
    assert tickets_table.loc["Bronze", "tickets_per_customer"] == pytest.approx(
        tickets.loc["Bronze", "tickets_per_customer"]
    )
    assert tickets_table.loc["Gold", "median_resolution_hours"] == pytest.approx(
        tickets.loc["Gold", "median_resolution_hours"]
    )
    for key in ("voice_segments_csv", "voice_trend_csv", "voice_value_csv", "voice_tickets_csv"):
        assert at.download_button(key=key) is not None

    # Another split: by acquisition channel.
    at.radio(key="voice_by").set_value("channel").run()
    assert not at.exception, [e.value for e in at.exception]
    table = at.dataframe[0].value.set_index("segment")
    assert UNMATCHED not in table.index  # counted apart, not as a segment
    assert table.loc["Google Ads", "nps"] == pytest.approx(by_channel.loc["Google Ads", "nps"])


def test_voice_page_in_french(shop: dict) -> None:
    at = run_page(PAGE, "fr")
    assert at.title[0].value == "Voix du client"
    shown = tiles(at)
    with shop["store"].cursor() as cur:
        expected = overall(cur)
    assert number(shown["NPS global"], "fr") == pytest.approx(expected.nps, abs=0.05)
    low, high, answers = interval(at, "fr")
    assert (low, high) == pytest.approx((expected.low, expected.high), abs=0.05)
    assert shown["Réponses sans client connu"] == "3"
    assert shown["CLV prédite des promoteurs"].endswith("\u00a0€")
    segments = at.dataframe[0].value["segment"].tolist()
    assert segments[:4] == ["Platine", "Or", "Argent", "Bronze"]
    assert "**3 réponses ne sont rattachées à aucun client**" in "\n".join(i.value for i in at.info)


def test_voice_page_honours_the_shared_filters(shop: dict) -> None:
    last = shop["last"]
    period = (last - dt.timedelta(days=540), last)
    at = run_page(
        PAGE,
        "en",
        kpi_filters={"period": period, "channels": ["Google Ads"], "tiers": []},
    )
    filters = Filters(start=period[0], end=period[1], channels=["Google Ads"])
    with shop["store"].cursor() as cur:
        filtered, everything = overall(cur, filters), overall(cur)
    shown = tiles(at)
    assert number(shown["Answers"]) == filtered.n < everything.n
    assert number(shown["Overall NPS"]) == pytest.approx(filtered.nps, abs=0.05)
    low, high, _ = interval(at)
    assert (low, high) == pytest.approx((filtered.low, filtered.high), abs=0.05)
    # A channel filter keeps the answers of that channel's customers: none unmatched.
    assert shown["Answers matching no customer"] == "0"
    assert any("with a channel or tier filter" in c.value for c in at.caption)


def test_empty_store_says_what_to_upload(app_empty_db: Path) -> None:
    at = run_page(PAGE, "en")
    assert not at.metric
    message = at.info[0].value
    assert message.startswith("No NPS answers yet.")
    assert "Upload on the Data page: NPS answers." in message
    assert at.page_link[0].label == "Go to the Data page"


def test_answers_without_orders_or_tickets(app_empty_db: Path) -> None:
    # Scores 10, 9, 7, 3 from people the shop does not know: NPS = 50 % - 25 % = 25.
    with Store(app_empty_db, memory_limit="1GB", threads=2) as store:
        import_survey(
            store,
            [
                ("s-1", "a@example.com", "2025-03-01 09:00", 10),
                ("s-2", "b@example.com", "2025-03-02 09:00", 9),
                ("s-3", "c@example.com", "2025-04-02 09:00", 7),
                ("s-4", "d@example.com", "2025-04-03 09:00", 3),
            ],
        )
    at = run_page(PAGE, "en")
    shown = tiles(at)
    assert shown["Overall NPS"] == "+25.0"
    assert shown["Answers"] == "4" and shown["Answers matching no customer"] == "4"
    # var = (0.5 + 0.25 - 0.25^2) / 4 = 0.171875; half-width 1.96 x 0.41458 x 100 = 81.26.
    low, high, _ = interval(at)
    assert (low, high) == (-56.3, 100.0)
    notes = "\n".join(i.value for i in at.info)
    assert "No predicted CLV is available" in notes
    assert "No support tickets loaded" in notes
    assert "Upload on the Data page: Support tickets." in notes
    # Without tiers the split starts at the acquisition channel.
    assert at.radio(key="voice_by").options == [
        "Acquisition channel",
        "Cohort",
        "Month of answer",
    ]
    # Every answer matches nobody: no segment to tabulate, no tiers for the tickets.
    assert not at.dataframe

"""The acquisition page, run headless with AppTest: on the demo shop (tiles and table against
the clv functions, shared filters, a saved alias), on a hand-made shop (warnings and the
proposed aliases), and without data."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import ui
from clv.metrics.acquisition import (
    blended_vs_paid_cac,
    channel_aliases,
    channel_table,
    channel_warnings,
    payback,
    payback_months,
    save_channel_aliases,
)
from clv.metrics.filters import Filters
from clv.metrics.overview import paid_clv_cac_ratio
from clv.valuation import engine
from clv.valuation.engine import ValuationSettings, store_values
from tests.apptest import rerun, run_page
from tests.kpi_shop import CUSTOMERS, ORDERS, hand_store

PAGE = "views/acquisition.py"
TILES = ("Blended CAC", "Paid-only CAC", "CLV/CAC of paid channels", "Median payback")
EDITOR = "acquisition_aliases_editor_{}"
# The ad export of the hand-made shop: names as the ad platforms write them.
SPEND = [
    ("2024-01-05", "Facebook ", "winter", 150),
    ("2024-02-01", "Facebook ", "winter", 90),
    ("2024-02-01", "Google Ads", "search", 120),
    ("2024-03-01", "Google Ads", "search", 60),
    ("2024-03-01", "TikTok", "test", 80),
]


def tiles(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def euros(text: str) -> float:
    """'€1,234.56' (English) or '1 234,56 €' (French) as a number."""
    text = text.replace("€", "").replace("\u00a0", "").replace("\u202f", "").strip()
    if "," in text and "." not in text:
        text = text.replace(",", ".")
    return float(text.replace(",", ""))


def ratio_of(text: str) -> float:
    """'1.2 : 1' or '1,2 : 1' as 1.2."""
    return float(text.split(":")[0].strip().replace(",", "."))


def row(table: pd.DataFrame, channel: str) -> pd.Series:
    rows = table[table["channel"] == channel]
    assert len(rows) == 1, (channel, table["channel"].tolist())
    return rows.iloc[0]


@pytest.fixture(scope="module")
def demo_clv(app_demo_db: Path) -> str:
    """The demo shop (loaded by a first page run), valued here with the settings a session
    starts with; the key of its values in the store (whole-life value = margin to date +
    predicted CLV per customer)."""
    run_page(PAGE)
    store = ui.open_store(str(app_demo_db), "1GB", 2)
    with store.cursor() as cur:
        return store_values(cur, engine.value_customers(store, ValuationSettings()))


def test_demo_figures_match_the_clv_functions(app_demo_db: Path, demo_clv: str) -> None:
    at = run_page(PAGE, "en")
    assert at.title[0].value == "Acquisition: CAC and CLV/CAC by channel"
    store = ui.open_store(str(app_demo_db), "1GB", 2)
    margin_rate = ui.stored_margin_rate(store)
    with store.cursor() as cur:
        blended = blended_vs_paid_cac(cur)
        table = channel_table(cur, demo_clv, margin_rate=margin_rate)
        cohorts = payback_months(payback(cur, margin_rate=margin_rate))
    values = tiles(at)
    assert set(TILES) <= set(values)
    assert euros(values["Blended CAC"]) == pytest.approx(blended.blended_cac, abs=0.005)
    assert euros(values["Paid-only CAC"]) == pytest.approx(blended.paid_cac, abs=0.005)
    ratio = paid_clv_cac_ratio(table)
    assert ratio_of(values["CLV/CAC of paid channels"]) == pytest.approx(ratio, abs=0.05)
    # median over the cohorts with spend, a cohort not yet paid back counting as the slowest
    months = cohorts.loc[cohorts["cac"] > 0, "payback_months"].fillna(math.inf).median()
    assert values["Median payback"] == f"{months:.0f} months"
    # the benchmark is beside the ratio, and the tier filter is said not to apply
    captions = [c.value for c in at.caption]
    assert any(c.startswith("Benchmark: 3:1 or more is healthy.") for c in captions)
    assert any("value-tier filter does not apply" in c for c in captions)

    # the finance table: channel · average CAC · average CLV · CLV/CAC · interpretation
    shown = at.dataframe[0].value
    assert shown["channel"].tolist() == table["channel"].tolist()
    meta, expected = row(shown, "Meta Ads"), row(table, "Meta Ads")
    assert meta["average_cac"] == pytest.approx(expected["average_cac"])
    assert meta["average_clv"] == pytest.approx(expected["average_clv"])
    # the ratio is shown with two decimals
    assert meta["clv_cac_ratio"] == pytest.approx(expected["clv_cac_ratio"], abs=0.005)
    wording = {
        "loses_money": "Loses money (below 1)",
        "break_even": "Break-even (about 1)",
        "optimise": "To optimise (1 to 3)",
        "healthy": "Healthy (3 or more)",
    }
    assert shown["interpretation"].tolist() == [wording[b] for b in table["band"]]
    assert {d.key for d in at.get("download_button")} >= {
        "acquisition_table_csv",
        "acquisition_chart_ratio_csv",
        "acquisition_chart_trend_csv",
        "acquisition_chart_payback_csv",
    }
    assert not at.warning  # every demo channel has both spend and customers

    # an alias saved on the page merges "Parrainage" into "SEO/contenu"
    before_seo, before_referral = row(table, "SEO/contenu"), row(table, "Parrainage")
    at.session_state[EDITOR.format(0)] = {
        "edited_rows": {},
        "added_rows": [{"alias": "Parrainage", "channel": "SEO/contenu"}],
        "deleted_rows": [],
    }
    at.button(key="acquisition_aliases_save").click()
    rerun(at)
    try:
        assert "Name matches saved (1)." in at.success[0].value
        with store.cursor() as cur:
            assert channel_aliases(cur).values.tolist() == [["Parrainage", "SEO/contenu"]]
            # The alias changed the data: the page valued the customers again, under a new
            # key (the old key's values were replaced); value them here the same way.
            merged_key = store_values(cur, engine.value_customers(store, ValuationSettings()))
            assert merged_key != demo_clv
            merged = channel_table(cur, merged_key, margin_rate=margin_rate)
        shown = at.dataframe[0].value
        assert "Parrainage" not in shown["channel"].tolist()
        seo = row(shown, "SEO/contenu")
        # by hand: both channels' spend over both channels' new customers
        by_hand = (before_seo["spend"] + before_referral["spend"]) / (
            before_seo["new_customers"] + before_referral["new_customers"]
        )
        assert seo["average_cac"] == pytest.approx(by_hand)
        assert seo["average_cac"] == pytest.approx(row(merged, "SEO/contenu")["average_cac"])
        expected = row(merged, "SEO/contenu")["clv_cac_ratio"]
        assert seo["clv_cac_ratio"] == pytest.approx(expected, abs=0.005)
        # the editor starts again from the saved table
        assert at.data_editor[0].value.values.tolist() == [["Parrainage", "SEO/contenu"]]
    finally:
        save_channel_aliases(store, {})


def test_demo_page_in_french(app_demo_db: Path, demo_clv: str) -> None:
    at = run_page(PAGE, "fr")
    assert at.title[0].value == "Acquisition : CAC et CLV/CAC par canal"
    values = tiles(at)
    assert {"CAC global", "CAC des canaux payants", "CLV/CAC des canaux payants"} <= set(values)
    assert values["CAC global"].endswith("\u00a0€") and "," in values["CAC global"]
    assert values["Remboursement médian"].endswith(" mois")
    readings = set(at.dataframe[0].value["interpretation"])
    assert readings <= {
        "Perd de l'argent (moins de 1)",
        "À l'équilibre (environ 1)",
        "À optimiser (de 1 à 3)",
        "Sain (3 ou plus)",
    }
    with ui.open_store(str(app_demo_db), "1GB", 2).cursor() as cur:
        blended = blended_vs_paid_cac(cur)
    assert euros(values["CAC global"]) == pytest.approx(blended.blended_cac, abs=0.005)


def test_shared_filters_change_the_figures_but_not_by_tier(
    app_demo_db: Path, demo_clv: str
) -> None:
    start, end = dt.date(2023, 3, 1), dt.date(2023, 8, 31)
    at = run_page(
        PAGE,
        "en",
        kpi_filters={"period": (start, end), "channels": ["Meta Ads"], "tiers": ["Platinum"]},
    )
    store = ui.open_store(str(app_demo_db), "1GB", 2)
    # spend cannot be split by customer: the same Filters without the tier's customers
    filters = Filters(start=start, end=end, channels=("Meta Ads",))
    with store.cursor() as cur:
        everything = blended_vs_paid_cac(cur)
        kept = blended_vs_paid_cac(cur, filters)
        table = channel_table(cur, demo_clv, filters, margin_rate=0.40)
    shown = euros(tiles(at)["Blended CAC"])
    assert shown == pytest.approx(kept.blended_cac, abs=0.005)
    assert abs(shown - everything.blended_cac) > 0.01
    frame = at.dataframe[0].value
    assert frame["channel"].tolist() == ["Meta Ads"]
    assert frame["average_cac"].iloc[0] == pytest.approx(row(table, "Meta Ads")["average_cac"])
    # Meta Ads' spend of March to August over its new customers of those months
    assert frame["average_cac"].iloc[0] == pytest.approx(kept.spend / kept.new_customers)
    captions = " ".join(c.value for c in at.caption)
    assert "tiers Platinum not applied here (spend is not split by customer)" in captions


def test_hand_shop_warns_and_proposes_the_aliases(tmp_db: Path) -> None:
    hand_store(tmp_db, ORDERS, CUSTOMERS, spend=SPEND).close()
    at = run_page(PAGE, "en")
    warnings = [w.value for w in at.warning]
    # "Facebook " in the ad export matches none of the shop's names yet
    assert any(w.startswith("**Facebook**: €240 of spend but no new customer") for w in warnings)
    assert any(w.startswith("**TikTok**: €80 of spend") for w in warnings)

    at.button(key="acquisition_aliases_propose").click()
    rerun(at)
    proposed = dict(at.data_editor[0].value.values.tolist())
    assert proposed["facebook"] == "Meta Ads" and proposed["Facebook "] == "Meta Ads"
    assert proposed[" google ADS "] == "Google Ads"
    assert "TikTok" not in proposed  # nothing to pair it with
    assert any("Proposal not saved yet" in c.value for c in at.caption)

    at.button(key="acquisition_aliases_save").click()
    rerun(at)
    store = ui.open_store(str(tmp_db), "1GB", 2)
    with store.cursor() as cur:
        # saved with the names trimmed
        saved = {alias.strip(): channel for alias, channel in proposed.items()}
        assert dict(channel_aliases(cur).values.tolist()) == saved
        left = channel_warnings(cur)
    table = at.dataframe[0].value
    # by hand: Meta Ads = (150 + 90) / A, B, I; Google Ads = (120 + 60) / C, D
    assert row(table, "Meta Ads")["average_cac"] == pytest.approx(80.0)
    assert row(table, "Google Ads")["average_cac"] == pytest.approx(90.0)
    warnings = [w.value for w in at.warning]
    assert not any("Facebook" in w for w in warnings)
    assert len(warnings) == len(left)
    assert any(w.startswith("**TikTok**") for w in warnings)


def test_orders_without_spend_ask_for_the_spend(tmp_db: Path) -> None:
    hand_store(tmp_db, ORDERS, CUSTOMERS).close()
    at = run_page(PAGE, "en")
    assert not at.metric
    message = at.info[0].value
    assert message.startswith("**Acquisition needs two files.**")
    assert message.endswith("Upload on the Data page: Marketing spend.")


def test_empty_store_says_what_to_upload(app_empty_db: Path) -> None:
    at = run_page(PAGE, "en")
    assert not at.metric and not at.dataframe
    message = at.info[0].value
    assert "Your **orders**" in message and "your **ad spend**" in message
    assert message.endswith("Upload on the Data page: Orders, Marketing spend.")
    assert at.page_link[0].label == "Go to the Data page"

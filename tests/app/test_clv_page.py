"""The CLV page, run headless with AppTest on the demo shop and on an empty store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import ui
from clv.store import Store
from clv.valuation import engine
from clv.valuation.engine import (
    MARGIN_RATE_SETTING,
    TIER_RULE_SETTING,
    ValuationSettings,
)

APP = str(Path(__file__).resolve().parents[2] / "app.py")
CLV_PAGE = "views/clv.py"
TILES = ("Average predicted CLV", "Predicted value of the base", "Share held by Platinum")


@pytest.fixture(autouse=True)
def full_error_details() -> Iterator[None]:
    from streamlit import config

    before = config.get_option("client.showErrorDetails")
    config.set_option("client.showErrorDetails", "full")
    yield
    config.set_option("client.showErrorDetails", before)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory, pseudonym_key: str) -> Iterator[Path]:
    """A data file that the app fills with a 1,500-customer demo shop at its first run."""
    path = tmp_path_factory.mktemp("clv_page") / "clv.duckdb"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CLV_DB", str(path))
        patch.setenv("CLV_PSEUDONYM_KEY", pseudonym_key)
        patch.setenv("CLV_DEMO_CUSTOMERS", "1500")
        yield path


def run_clv_page(lang: str = "en") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["lang"] = lang
    at.run()
    at.switch_page(CLV_PAGE)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def tiles(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def euros(text: str) -> float:
    return float(text.replace("€", "").replace(",", ""))


def test_clv_page_on_the_demo_shop(demo_db: Path) -> None:
    at = run_clv_page("en")
    assert at.title[0].value == "Customer lifetime value"
    values = tiles(at)
    assert set(TILES) <= set(values)
    average, total = euros(values[TILES[0]]), euros(values[TILES[1]])
    with ui.open_store(str(demo_db), "1GB", 2).cursor() as cur:
        customers = cur.execute(
            "SELECT count(DISTINCT customer_id) FROM orders "
            "WHERE status = 'paid' AND customer_id IS NOT NULL"
        ).fetchone()[0]
    # average = total / customers, up to the rounding of the tiles (cents, whole euros)
    assert 0 < average < total
    assert average == pytest.approx(total / customers, abs=0.5 / customers + 0.005)
    share = float(values[TILES[2]].rstrip("%")) / 100
    assert 0.05 < share < 1  # the top 5 % hold more than 5 % of the value
    # the classic formula shows each factor and the product
    assert {"Average order value", "× Lifespan (years)", "= Basic CLV"} <= set(values)
    text = "\n".join(m.value for m in at.markdown)
    assert "**Predicted CLV** is the gross margin" in text
    assert "not BG/NBD" in text or "unlike BG/NBD" in text
    assert "The **band** holds the total value with 95 % probability" in text
    assert "Back-test: the models are fitted on the history up to" in text
    # tables: tiers, top customers, model comparison, parameters
    frames = [d.value for d in at.dataframe]
    assert len(frames) == 4
    tiers, top = frames[0], frames[1]
    assert tiers["tier"].tolist() == ["Platinum", "Gold", "Silver", "Bronze"]
    assert len(top) == 25 and top["predicted_clv"].is_monotonic_decreasing
    assert top["customer_id"].str.startswith("c_").all()  # pseudonyms
    assert at.download_button(key="clv_csv") is not None
    assert not at.info  # no empty state


def test_a_longer_horizon_raises_the_average_clv(demo_db: Path) -> None:
    at = run_clv_page("en")
    assert at.selectbox(key="clv_horizon").value == 12
    before = euros(tiles(at)[TILES[0]])
    at.selectbox(key="clv_horizon").set_value(24).run()
    assert not at.exception, [e.value for e in at.exception]
    after = euros(tiles(at)[TILES[0]])
    assert after > before
    # the choice stays with the session after a visit to another page
    at.switch_page("views/overview.py").run()
    at.switch_page(CLV_PAGE).run()
    assert at.selectbox(key="clv_horizon").value == 24
    assert euros(tiles(at)[TILES[0]]) == after


def test_margin_rate_and_tier_rule_are_saved_for_the_shop(demo_db: Path) -> None:
    at = run_clv_page("en")
    store = ui.open_store(str(demo_db), "1GB", 2)
    at.number_input(key="clv_margin").set_value(55.0).run()
    assert not at.exception, [e.value for e in at.exception]
    assert store.get_setting(MARGIN_RATE_SETTING) == pytest.approx(0.55)

    at.radio(key="clv_tier_method").set_value("amount").run()
    at.number_input(key="clv_tier_a_platinum").set_value(150.0)
    at.number_input(key="clv_tier_a_gold").set_value(60.0)
    at.number_input(key="clv_tier_a_silver").set_value(20.0)
    at.button(key="clv_tier_save").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert store.get_setting(TIER_RULE_SETTING) == {
        "method": "amount",
        "platinum": 150.0,
        "gold": 60.0,
        "silver": 20.0,
    }
    assert "Thresholds saved for the shop." in [s.value for s in at.success]
    text = "\n".join(m.value for m in at.markdown)
    assert "Platinum from €150.00, Gold from €60.00, Silver from €20.00" in text

    # an impossible rule is refused with the reason, and nothing is saved
    at.number_input(key="clv_tier_a_gold").set_value(500.0)
    at.button(key="clv_tier_save").click().run()
    assert "Thresholds refused" in at.error[0].value
    assert store.get_setting(TIER_RULE_SETTING)["gold"] == 60.0
    store.set_setting(TIER_RULE_SETTING, None)
    store.set_setting(MARGIN_RATE_SETTING, 0.40)


def test_clv_page_in_french(demo_db: Path) -> None:
    at = run_clv_page("fr")
    assert at.title[0].value == "Valeur vie client (CLV)"
    values = tiles(at)
    assert {"CLV prédite moyenne", "Valeur prédite de la base", "Part détenue par les Platine"} <= (
        set(values)
    )
    assert values["CLV prédite moyenne"].endswith("\u00a0€")
    assert at.dataframe[0].value["tier"].tolist() == ["Platine", "Or", "Argent", "Bronze"]


def test_empty_store_says_what_to_upload(tmp_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLV_DEMO_CUSTOMERS", "1500")
    with Store(tmp_db, memory_limit="1GB", threads=2) as store:
        store.set_setting("demo_declined", True)
    at = run_clv_page("en")
    assert not at.metric
    message = at.info[0].value
    assert message.startswith("No orders yet.")
    assert "What to upload: your shop's **orders** export" in message
    assert at.page_link[0].label == "Go to the Data page"


def test_shared_filters_restrict_the_customers_shown(demo_db: Path) -> None:
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["lang"] = "en"
    at.session_state["kpi_filters"] = {"period": None, "channels": ["Google Ads"], "tiers": []}
    at.run()
    at.switch_page(CLV_PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    store = ui.open_store(str(demo_db), "1GB", 2)
    with store.cursor() as cur:
        kept = [
            row[0]
            for row in cur.execute(
                """
                SELECT o.customer_id FROM orders o LEFT JOIN customers c USING (customer_id)
                WHERE o.status = 'paid' AND o.customer_id IS NOT NULL
                GROUP BY o.customer_id, c.acquisition_channel
                HAVING coalesce(c.acquisition_channel,
                                arg_min(o.channel, (o.ordered_at, o.order_id))) = 'Google Ads'
                """
            ).fetchall()
        ]
    info = at.info[0].value
    assert info.startswith(f"Filters applied: {len(kept):,} customers out of ")
    # the average tile is the mean predicted CLV of those customers, valued here
    valuation = engine.value_customers(
        store,
        ValuationSettings(
            margin_rate=ui.stored_margin_rate(store), tier_rule=ui.stored_tier_rule(store)
        ),
    )
    expected = valuation.customers.loc[kept, "clv"].mean()
    assert euros(tiles(at)[TILES[0]]) == pytest.approx(expected, abs=0.005)
    assert "Filtered: channels Google Ads" in "\n".join(c.value for c in at.caption)

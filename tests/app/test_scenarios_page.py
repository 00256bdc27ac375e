"""The scenarios page, run headless with AppTest: on the demo shop (retention tiles and the
rule of thumb against clv.levers.scenarios, a change of points and of period, a budget move in the
editor, the shared filters, French), and without data."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import ui
from clv.levers.scenarios import (
    RetentionScenario,
    budget_scenario,
    cohort_margin_scenario,
    retention_scenario,
)
from clv.metrics.acquisition import channel_table
from clv.metrics.filters import Filters
from clv.metrics.retention import cohort_grid
from clv.valuation import engine
from clv.valuation.engine import Valuation, ValuationSettings, store_values
from tests.apptest import rerun, run_page
from tests.kpi_shop import CUSTOMERS, ORDERS, hand_store

PAGE = "views/scenarios.py"
RETENTION = "Retention over 12 months"
VALUE = "Value of the base over 12 months"
MARGIN = "Margin over the next 3 years"
POSITION = {
    "below": "**Below the band** of the rule of thumb (less than +25%).",
    "inside": "**Inside the band** of the rule of thumb (+25% to +95%).",
    "above": "**Above the band** of the rule of thumb (more than +95%).",
}


def tiles(at: AppTest) -> dict[str, Any]:
    return {m.label: m for m in at.metric}


def amount(text: str) -> float:
    """'+€1,234' (English) or '+1 234 €' (French) as a number."""
    text = text.replace("€", "").replace("\u00a0", "").replace("\u202f", "").strip()
    if "," in text and "." not in text and text.count(",") == 1 and len(text.split(",")[1]) != 3:
        text = text.replace(",", ".")
    return float(text.replace(",", "").replace("+", ""))


def percent(text: str) -> float:
    """'+6.9%' or '+6,9 %' as 6.9."""
    return float(text.replace("%", "").replace("\u00a0", "").replace(",", ".").strip())


def retention_pair(text: str) -> tuple[float, float]:
    """'77.3% → 82.3%' as (77.3, 82.3)."""
    before, after = text.split("→")
    return percent(before), percent(after)


def ranges(at: AppTest) -> list[tuple[float, float]]:
    """The ranges under the tiles ('95% range: +€1 to +€2'), in page order, as (low, high)."""
    prefix = "95% range:"
    out = []
    for caption in at.caption:
        if caption.value.startswith(prefix):
            low, high = caption.value[len(prefix) :].split(" to ")
            out.append((amount(low), amount(high)))
    return out


def long_row(scenario: RetentionScenario) -> pd.Series:
    return scenario.by_horizon.set_index("horizon_months").loc[36]


def check_tiles(at: AppTest, expected: RetentionScenario) -> None:
    shown = tiles(at)
    before, after = retention_pair(shown[RETENTION].value)
    assert before == pytest.approx(100 * expected.retention_before, abs=0.05)
    assert after == pytest.approx(100 * expected.retention_after, abs=0.05)
    assert shown[RETENTION].delta == f"{expected.points:+.0f} points"
    value = shown[VALUE]
    assert amount(value.value) == pytest.approx(expected.change, abs=0.5)
    assert percent(value.delta) == pytest.approx(expected.change_percent, abs=0.05)
    long = long_row(expected)
    assert amount(shown[MARGIN].value) == pytest.approx(long["change"], abs=0.5)
    assert percent(shown[MARGIN].delta) == pytest.approx(long["change_percent"], abs=0.05)
    # the ranges under the value and margin tiles: the draws are seeded, so they repeat
    (low, high), (long_low, long_high) = ranges(at)
    assert low == pytest.approx(expected.change_low, abs=0.5)
    assert high == pytest.approx(expected.change_high, abs=0.5)
    assert long_low == pytest.approx(long["change_low"], abs=0.5)
    assert long_high == pytest.approx(long["change_high"], abs=0.5)
    # the hover formula restates the figures that went in
    assert f"of the {expected.customers:,} valued customers" in value.help


@pytest.fixture(scope="module")
def demo_valuation(app_demo_db: Path) -> Valuation:
    """The demo shop (loaded by a first page run), valued here with the settings a session
    starts with, the shop's margin rate and tier rule."""
    run_page(PAGE)
    store = ui.open_store(str(app_demo_db), "1GB", 2)
    settings = ValuationSettings(
        margin_rate=ui.stored_margin_rate(store), tier_rule=ui.stored_tier_rule(store)
    )
    return engine.value_customers(store, settings)


@pytest.fixture(scope="module")
def five(demo_valuation: Valuation) -> RetentionScenario:
    return retention_scenario(demo_valuation, 5)


def test_retention_tiles_rule_of_thumb_and_other_points(
    app_demo_db: Path, demo_valuation: Valuation, five: RetentionScenario
) -> None:
    at = run_page(PAGE, "en")
    assert at.title[0].value == "Scenarios: retention and budget"
    assert not at.error
    check_tiles(at, five)
    # the scenario's own definition: retention moves by exactly the points asked
    before, after = retention_pair(tiles(at)[RETENTION].value)
    assert after - before == pytest.approx(5.0, abs=0.11)

    # the rule-of-thumb box: the shop's 36-month change and where it falls in 25-95 %
    assert five.rule_of_thumb in POSITION
    long = long_row(five)
    box = next(m.value for m in at.markdown if m.value.startswith("**This shop:**"))
    assert f"over 36 months by **{long['change_percent']:+.1f}%**" in box
    assert POSITION[five.rule_of_thumb] in box
    # by hand: below 25 %, inside 25-95 %, above 95 %
    if long["change_percent"] < 25:
        assert "Below the band" in box
    assert any("speaks of *profit*" in m.value for m in at.markdown)

    # +10 points: the figures of the function for 10 points, the box still for +5
    at.slider(key="scenarios_points").set_value(10)
    rerun(at)
    ten = retention_scenario(demo_valuation, 10)
    check_tiles(at, ten)
    assert amount(tiles(at)[VALUE].value) > amount(f"{five.change:.0f}")
    box_again = next(m.value for m in at.markdown if m.value.startswith("**This shop:**"))
    assert box_again == box

    # retention over one month is already high: +10 points are out of reach, and the
    # page says which change to choose instead
    monthly = retention_scenario(demo_valuation, 0, period_months=1, n_draws=0)
    assert monthly.retention_before + 0.10 >= 1
    at.number_input(key="scenarios_period").set_value(1)
    rerun(at)
    message = at.error[0].value
    assert message.startswith("**This change is out of reach.**")
    assert f"Retention is {100 * monthly.retention_before:.1f}% today" in message
    high = math.ceil(100 * (1 - monthly.retention_before)) - 1
    assert f"and +{high} points" in message
    assert RETENTION not in tiles(at)


def test_budget_move_in_the_editor(app_demo_db: Path, demo_valuation: Valuation) -> None:
    at = run_page(PAGE, "en")
    editor = at.data_editor[0]
    shown = editor.value
    store = ui.open_store(str(app_demo_db), "1GB", 2)
    with store.cursor() as cur:
        key = store_values(cur, demo_valuation)
        table = channel_table(cur, key, margin_rate=ui.stored_margin_rate(store))
    assert shown["channel"].tolist() == table["channel"].tolist()
    assert shown["spend"].tolist() == pytest.approx(table["spend"].tolist())
    assert shown["spend_after"].tolist() == pytest.approx(table["spend"].tolist())

    # 2,000 moved from Meta Ads to Google Ads
    meta = shown.index[shown["channel"] == "Meta Ads"][0]
    google = shown.index[shown["channel"] == "Google Ads"][0]
    at.session_state[editor.key] = {
        "edited_rows": {
            str(meta): {"spend_after": float(shown.loc[meta, "spend"]) - 2000},
            str(google): {"spend_after": float(shown.loc[google, "spend"]) + 2000},
        },
        "added_rows": [],
        "deleted_rows": [],
    }
    rerun(at)
    expected = budget_scenario(table, {"Meta Ads": -2000.0, "Google Ads": 2000.0})
    result = next(d for d in at.dataframe if d.editing_mode == "read_only").value
    assert result["channel"].tolist() == expected.table["channel"].tolist()
    for column in ("spend_after", "value_after", "net_value_after", "net_value_change"):
        assert result[column].tolist() == pytest.approx(expected.table[column].tolist())
    assert result["new_customers_after"].tolist() == pytest.approx(
        expected.table["new_customers_after"].tolist(), abs=0.05
    )
    # by hand: constant CAC, so Google Ads gains 2,000 / CAC new customers, Meta loses theirs
    row = table.set_index("channel")
    by_channel = result.set_index("channel")
    for channel, move in (("Google Ads", 2000.0), ("Meta Ads", -2000.0)):
        gained = move / row.loc[channel, "average_cac"]
        assert by_channel.loc[channel, "new_customers_after"] == pytest.approx(
            row.loc[channel, "new_customers"] + gained, abs=0.05
        )
    net_by_hand = sum(
        move / row.loc[c, "average_cac"] * row.loc[c, "average_clv"] - move
        for c, move in (("Google Ads", 2000.0), ("Meta Ads", -2000.0))
    )
    net = tiles(at)["Change in net value"]
    assert amount(net.value) == pytest.approx(net_by_hand, abs=0.5)
    assert amount(net.value) == pytest.approx(expected.net_value_change, abs=0.5)
    # the move takes from one channel what it gives the other: the budget is unchanged
    spend_before, spend_after = tiles(at)["Ad spend, now → after"].value.split("→")
    assert amount(spend_before) == amount(spend_after) == pytest.approx(table["spend"].sum(), 0.5)
    assert {d.key for d in at.get("download_button")} >= {
        "scenarios_budget_csv",
        "scenarios_chart_budget_csv",
        "scenarios_chart_horizon_csv",
        "scenarios_chart_year_csv",
    }
    assert any(
        m.value.startswith("**Assumptions.** Each channel keeps its average CAC")
        for m in at.markdown
    )


def test_shared_filters_apply_to_the_budget_and_cohorts_not_the_model(
    app_demo_db: Path, demo_valuation: Valuation, five: RetentionScenario
) -> None:
    start, end = dt.date(2024, 1, 1), dt.date(2024, 12, 31)
    at = run_page(
        PAGE,
        "en",
        kpi_filters={
            "period": (start, end),
            "channels": ["Meta Ads", "Google Ads"],
            "tiers": ["Platinum"],
        },
    )
    store = ui.open_store(str(app_demo_db), "1GB", 2)
    margin_rate = ui.stored_margin_rate(store)
    budget_filters = Filters(start=start, end=end, channels=("Meta Ads", "Google Ads"))
    with store.cursor() as cur:
        key = store_values(cur, demo_valuation)
        table = channel_table(cur, key, budget_filters, margin_rate=margin_rate)
        everything = channel_table(cur, key, margin_rate=margin_rate)
        grid = cohort_grid(
            cur,
            Filters(
                start=start,
                end=end,
                channels=budget_filters.channels,
                tiers=["Platinum"],
                valuation=key,
            ),
            margin_rate,
        )
    # the budget: the period's spend of the two channels, whatever the tier
    shown = at.data_editor[0].value
    assert sorted(shown["channel"]) == ["Google Ads", "Meta Ads"]
    assert shown["spend"].tolist() == pytest.approx(table["spend"].tolist())
    assert shown["spend"].sum() < everything["spend"].sum() - 1
    captions = " ".join(c.value for c in at.caption)
    assert "tiers Platinum not applied here (spend is not split by customer)" in captions
    # the cohort curves: the period, channels and tier
    curve = cohort_margin_scenario(grid, 1.0)
    months, customers = (int(v) for v in curve.iloc[-1][["months_since_first", "customers"]])
    assert f"After {months} months ({customers:,} customers observed that long)" in captions
    # the model values the whole base: the same tiles as without filters, and it says so
    assert "the sidebar filters do not apply to this section" in captions
    check_tiles(at, five)


def test_demo_page_in_french(five: RetentionScenario) -> None:
    at = run_page(PAGE, "fr")
    assert at.title[0].value == "Scénarios : rétention et budget"
    shown = tiles(at)
    assert {"Rétention sur 12 mois", "Valeur de la base sur 12 mois"} <= set(shown)
    value = shown["Valeur de la base sur 12 mois"].value
    assert value.endswith("\u00a0€")
    assert amount(value) == pytest.approx(five.change, abs=0.5)
    before, _ = retention_pair(shown["Rétention sur 12 mois"].value)
    assert before == pytest.approx(100 * five.retention_before, abs=0.05)
    words = {
        "below": "**En dessous de la fourchette**",
        "inside": "**Dans la fourchette**",
        "above": "**Au-dessus de la fourchette**",
    }
    box = next(m.value for m in at.markdown if m.value.startswith("**Cette boutique :**"))
    assert words[five.rule_of_thumb] in box
    assert "Nouveaux clients, actuels → après" in set(shown)


def test_empty_store_says_what_to_upload(app_empty_db: Path) -> None:
    at = run_page(PAGE, "en")
    assert not at.metric and not at.dataframe
    message = at.info[0].value
    assert message.startswith("**Scenarios need your orders.**")
    assert message.endswith("Upload on the Data page: Orders, Marketing spend.")
    assert at.page_link[0].label == "Go to the Data page"


def test_without_repeat_buyers_the_page_says_what_is_needed(tmp_db: Path) -> None:
    # the hand-made shop has too few customers to fit a purchase model
    hand_store(tmp_db, ORDERS, CUSTOMERS, spend=[("2024-01-05", "Meta Ads", "winter", 150)]).close()
    at = run_page(PAGE, "en")
    assert not at.metric and not at.data_editor
    retention, budget = (i.value for i in at.info)
    assert retention.startswith("**The retention scenario needs a predicted CLV**")
    assert "customers who ordered at least twice (repeat customers)" in retention
    assert budget.startswith("The budget scenario needs a value per customer")
    assert at.page_link[0].label == "Go to the CLV page"
    # the model-free cohort view still works: the function's last month, as shown
    with ui.open_store(str(tmp_db), "1GB", 2).cursor() as cur:
        curve = cohort_margin_scenario(cohort_grid(cur, margin_rate=0.40), 1.0)
    months, customers = (int(v) for v in curve.iloc[-1][["months_since_first", "customers"]])
    before = curve.iloc[-1]["cumulative_margin_per_customer"]
    after = curve.iloc[-1]["cumulative_margin_per_customer_scenario"]
    assert any(
        c.value
        == f"After {months} months ({customers} customers observed that long): €{before:,.2f} "
        f"per customer as observed, €{after:,.2f} in the scenario."
        for c in at.caption
    )

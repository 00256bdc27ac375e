"""The CLV page's data layer: one call, its figures, and the pieces checked by hand."""

from __future__ import annotations

import datetime as dt
import math
import pickle
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from clv.ingest.demo import load_demo
from clv.store import Store, upsert_table
from clv.valuation import models
from clv.valuation.engine import (
    CUSTOMER_COLUMNS,
    TABLE_COLUMNS,
    UNKNOWN_CHANNEL,
    Valuation,
    ValuationSettings,
    customer_table,
    default_holdout_weeks,
    group_values,
    kpis_of,
    lifetime_value,
    margin_shares,
    previous_period_end,
    restricted_to,
    value_customers,
    with_tiers,
)
from clv.valuation.summary import customer_summary
from clv.valuation.tiers import TIERS, TierRule

KEY = b"test-valuation-key"


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    store = Store(tmp_path_factory.mktemp("valuation") / "demo.duckdb", pseudonym_key=KEY)
    load_demo(store, n_customers=2_000, key=KEY)
    yield store
    store.close()


@pytest.fixture(scope="module")
def valuation(demo_store: Store) -> Valuation:
    return value_customers(demo_store)


@pytest.fixture(scope="module")
def bgnbd(demo_store: Store) -> Valuation:
    return value_customers(demo_store, ValuationSettings(model="bgnbd"))


def _orders_store(tmp_path: Path, rows: list[tuple[str, str, str, float]]) -> Store:
    """A store holding paid orders (order id, customer, day, net amount), no costs."""
    frame = pd.DataFrame(rows, columns=["order_id", "customer_id", "ordered_at", "net_amount"])
    frame["ordered_at"] = pd.to_datetime(frame["ordered_at"])
    frame["gross_amount"] = frame["net_amount"]
    frame["status"] = "paid"
    frame["currency"] = "EUR"
    frame["source"] = "t"
    frame["is_guest"] = False
    frame["discount_amount"] = 0.0
    frame["refunded_amount"] = 0.0
    store = Store(tmp_path / "small.duckdb", pseudonym_key=KEY)
    with store.transaction() as cur:
        upsert_table(cur, "orders", frame, 1)
    return store


# -- the whole call on the demo shop -------------------------------------------------------


def test_demo_valuation_is_complete(valuation: Valuation, demo_store: Store) -> None:
    assert valuation.ok and valuation.reason is None
    customers = valuation.customers
    assert list(customers.columns) == list(CUSTOMER_COLUMNS)
    with demo_store.cursor() as cur:
        paid_customers = cur.execute(
            "SELECT count(DISTINCT customer_id) FROM orders "
            "WHERE status = 'paid' AND customer_id IS NOT NULL"
        ).fetchone()[0]
    assert len(customers) == paid_customers
    assert valuation.currency == "EUR"
    assert valuation.observation_end == dt.date(2025, 12, 31)
    # Three years of history: the back-test hides a quarter of them, 39 weeks.
    assert valuation.holdout_weeks == 39
    assert valuation.calibration_end == dt.date(2025, 12, 31) - dt.timedelta(weeks=39)
    assert valuation.model in ("bgnbd", "mbgnbd")  # the two candidates of "auto"
    assert set(valuation.comparison["model"]) == {"bgnbd", "mbgnbd"}
    best = valuation.comparison.sort_values("mae")["model"].iloc[0]
    assert valuation.model == best
    assert valuation.model_reason.code == "auto_best"
    assert valuation.backtest is not None and valuation.backtest.model == valuation.model
    # the tracking ends on the observation end, with the holdout after the calibration
    assert valuation.tracking["date"].iloc[-1] == pd.Timestamp(valuation.observation_end)
    assert set(valuation.tracking["period"]) == {"calibration", "holdout"}
    assert valuation.by_cohort["customers"].sum() == len(customers)
    assert valuation.by_channel["customers"].sum() == len(customers)


def test_predictions_are_in_range(valuation: Valuation) -> None:
    customers = valuation.customers
    assert np.all(np.isfinite(customers["clv"])) and (customers["clv"] >= 0).all()
    alive = customers["probability_alive"]
    assert ((alive >= 0) & (alive <= 1)).all()
    assert (customers["margin_rate"].between(0, 1)).all()
    # expected purchases grow with the horizon
    assert (customers["expected_purchases_30d"] <= customers["expected_purchases_90d"]).all()
    assert (customers["expected_purchases_90d"] <= customers["expected_purchases_365d"]).all()
    # every demo order has a cost: the margin to date is known for everyone
    assert customers["margin_to_date"].notna().all()
    assert customers["tier"].notna().all()


def test_tier_shares_sum_to_one(valuation: Valuation) -> None:
    table = valuation.tier_table
    assert list(table.index) == list(TIERS)
    for column in ("customer_share", "clv_share", "revenue_share"):
        assert table[column].sum() == pytest.approx(1.0)
    assert table["customers"].sum() == len(valuation.customers)
    # default rule: the top 5 % of 2,000 customers (ties aside) are Platinum
    assert table.loc["Platinum", "customers"] == pytest.approx(100, abs=2)


def test_kpis_are_the_sums_of_the_customers(valuation: Valuation) -> None:
    kpis = valuation.kpis
    clv = valuation.customers["clv"]
    assert kpis.customers == len(clv)
    assert kpis.total_clv == pytest.approx(clv.sum())
    assert kpis.average_clv == pytest.approx(clv.sum() / len(clv))
    # the share of the top tier is the Platinum row of the tier table...
    assert kpis.top_tier_share == valuation.tier_table.loc["Platinum", "clv_share"]
    # ...which is the Platinum customers' CLV over the total
    platinum = clv[valuation.customers["tier"] == "Platinum"]
    assert kpis.top_tier_share == pytest.approx(platinum.sum() / clv.sum())
    assert kpis.top_tier_customers == len(platinum)
    # the band surrounds the same total
    assert valuation.band.total == pytest.approx(kpis.total_clv)
    assert kpis.band_low < kpis.total_clv < kpis.band_high


def test_clv_is_predict_clv_with_each_customers_margin_share(bgnbd: Valuation) -> None:
    summary = bgnbd.summary
    expected = models.predict_clv(
        bgnbd.purchase_fit,
        bgnbd.spend_fit,
        summary,
        horizon_months=12,
        annual_discount_rate=0.10,
        margin_rate=margin_shares(summary, 0.40),
    )
    np.testing.assert_allclose(bgnbd.customers["clv"], expected["clv"])
    np.testing.assert_allclose(
        bgnbd.customers["margin_rate"], summary["gross_margin"] / summary["net_revenue"]
    )
    days = models.expected_purchases(bgnbd.purchase_fit, summary, 90)
    np.testing.assert_allclose(bgnbd.customers["expected_purchases_90d"], days)


def test_probability_alive_never_comes_from_bgnbd(bgnbd: Valuation) -> None:
    assert bgnbd.model == "bgnbd"
    assert bgnbd.activity_model == "mbgnbd" and bgnbd.activity_fit.model == "mbgnbd"
    expected = models.probability_alive(bgnbd.activity_fit, bgnbd.summary)
    np.testing.assert_allclose(bgnbd.customers["probability_alive"], expected)
    one_time = bgnbd.customers[bgnbd.customers["frequency"] == 0]
    # BG/NBD would say 1 for every one of them
    assert (one_time["probability_alive"] < 0.99).mean() > 0.5
    assert set(bgnbd.parameters["role"]) == {"purchase", "spend", "activity"}
    assert bgnbd.model_reason.code in ("chosen_by_user_best", "chosen_by_user_not_best")


def test_activity_model_is_the_purchase_model_otherwise(demo_store: Store) -> None:
    mbgnbd = value_customers(demo_store, ValuationSettings(model="mbgnbd", horizon_months=6))
    assert mbgnbd.activity_model == "mbgnbd" and mbgnbd.activity_fit is mbgnbd.purchase_fit
    assert set(mbgnbd.parameters["role"]) == {"purchase", "spend"}


def test_time_unit_does_not_change_the_value(demo_store: Store, bgnbd: Valuation) -> None:
    # BG/NBD in months only rescales alpha: the same customers get the same CLV.
    months = value_customers(demo_store, ValuationSettings(model="bgnbd", time_unit="month"))
    assert months.kpis.total_clv == pytest.approx(bgnbd.kpis.total_clv, rel=2e-3)


def test_customer_table_for_the_download(valuation: Valuation) -> None:
    table = customer_table(valuation)
    assert list(table.columns) == list(TABLE_COLUMNS)
    assert len(table) == len(valuation.customers)
    assert table["predicted_clv"].is_monotonic_decreasing
    first = table.iloc[0]
    row = valuation.customers.loc[first["customer_id"]]
    assert first["predicted_clv"] == row["clv"]
    assert first["margin_to_date"] == row["margin_to_date"]
    assert first["cohort"] == row["first_order_at"].strftime("%Y-%m")
    assert first["tier"] == "Platinum"
    # pseudonymous ids only: no email anywhere
    assert not table["customer_id"].str.contains("@").any()


def test_tier_movements_against_three_months_earlier(valuation: Valuation) -> None:
    assert valuation.previous_end == dt.date(2025, 9, 30)
    moves = valuation.movements
    assert list(moves.index) == [*TIERS, "New"] and list(moves.columns) == list(TIERS)
    assert int(moves.to_numpy().sum()) == len(valuation.customers)
    newcomers = (valuation.customers["first_order_at"].dt.date > valuation.previous_end).sum()
    assert int(moves.loc["New"].sum()) == newcomers


def test_new_tier_rule_needs_no_refit(valuation: Valuation) -> None:
    rule = TierRule("amount", 200.0, 80.0, 20.0)
    recut = with_tiers(valuation, rule)
    assert recut.purchase_fit is valuation.purchase_fit  # nothing refitted
    assert recut.settings.tier_rule == rule and valuation.settings.tier_rule == TierRule()
    clv = recut.customers["clv"]
    assert (recut.customers["tier"] == "Platinum").sum() == (clv >= 200).sum()
    assert (recut.customers["tier"] == "Bronze").sum() == (clv < 20).sum()
    assert recut.kpis.top_tier_share == pytest.approx(clv[clv >= 200].sum() / clv.sum())
    assert recut.tier_thresholds == {"Platinum": 200.0, "Gold": 80.0, "Silver": 20.0}


def test_portable_copy_pickles(valuation: Valuation) -> None:
    copy = pickle.loads(pickle.dumps(valuation.portable()))
    assert copy.purchase_fit.fitter is None and copy.purchase_fit.params == (
        valuation.purchase_fit.params
    )
    pd.testing.assert_frame_equal(copy.customers, valuation.customers)
    assert valuation.purchase_fit.fitter is not None  # the original keeps its fitters


# -- too little data -----------------------------------------------------------------------


def test_empty_store_says_what_to_import(tmp_store: Store) -> None:
    result = value_customers(tmp_store)
    assert not result.ok and result.reason.code == "no_orders"
    assert "import an orders export" in result.reason.text
    assert customer_table(result).columns.tolist() == list(TABLE_COLUMNS)


def test_three_orders_are_not_enough(tmp_path: Path) -> None:
    store = _orders_store(
        tmp_path,
        [
            ("1", "A", "2024-01-05", 30.0),
            ("2", "A", "2024-03-05", 40.0),
            ("3", "B", "2024-02-01", 25.0),
        ],
    )
    try:
        result = value_customers(store)
    finally:
        store.close()
    assert not result.ok
    assert result.reason.code == "too_few_repeat"
    assert result.reason.values == {"repeat": 1, "customers": 2, "needed": 10}
    assert "Only 1 of 2 customers bought more than once" in result.reason.text
    assert result.customers is None and result.kpis is None


def test_settings_say_what_is_wrong() -> None:
    with pytest.raises(ValueError, match="6, 12, 24 and 36"):
        ValuationSettings(horizon_months=0)
    with pytest.raises(ValueError, match="Unknown model 'gamma'"):
        ValuationSettings(model="gamma")
    with pytest.raises(ValueError, match="0.4 for a 40 % gross margin"):
        ValuationSettings(margin_rate=40)
    with pytest.raises(ValueError, match="0.10 for 10 % a year"):
        ValuationSettings(annual_discount_rate=10)
    with pytest.raises(ValueError, match="time unit 'year'"):
        ValuationSettings(time_unit="year")


# -- the pieces, by hand ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days", "weeks"),
    [
        (3 * 365 + 1, 39),  # 1096 / 7 / 4 = 39.1
        (100, 8),  # 3.6 -> at least 8
        (5 * 365, 52),  # 65.2 -> at most 52
        (1400, 50),  # 200 weeks / 4
    ],
)
def test_default_holdout_is_a_quarter_of_the_history(days: int, weeks: int) -> None:
    assert default_holdout_weeks(days) == weeks


def test_margin_shares_by_hand() -> None:
    summary = pd.DataFrame(
        {
            "net_revenue": [100.0, 50.0, 0.0, 80.0, 20.0],
            "gross_margin": [40.0, 30.0, 0.0, -10.0, np.nan],
        },
        index=list("abcde"),
    )
    shares = margin_shares(summary, 0.25)
    # a: 40/100; b: 30/50; d: a loss counts no margin, not a negative one;
    # c (no revenue) and e (unknown margin) take the base's share (40+30-10)/(100+50+80).
    base = 60 / 230
    assert shares.tolist() == pytest.approx([0.4, 0.6, base, 0.0, base])
    # nobody with revenue: the margin rate
    nothing = pd.DataFrame({"net_revenue": [0.0], "gross_margin": [0.0]})
    assert margin_shares(nothing, 0.25).tolist() == [0.25]


def test_group_values_by_hand() -> None:
    customers = pd.DataFrame(
        {"acquisition_channel": ["Ads", "Ads", None, "SEO"], "clv": [10.0, 30.0, 5.0, 55.0]}
    )
    groups = group_values(customers, "acquisition_channel").set_index("acquisition_channel")
    assert groups.loc["Ads"].tolist() == pytest.approx([2, 40.0, 20.0, 0.4])
    assert groups.loc["SEO"].tolist() == pytest.approx([1, 55.0, 55.0, 0.55])
    assert groups.loc[UNKNOWN_CHANNEL].tolist() == pytest.approx([1, 5.0, 5.0, 0.05])


def test_kpis_by_hand() -> None:
    customers = pd.DataFrame({"clv": [100.0, 50.0, 30.0, 20.0]}, index=list("abcd"))
    table = pd.DataFrame(
        {"customers": [1, 1, 1, 1], "clv_share": [0.5, 0.25, 0.15, 0.10]}, index=list(TIERS)
    )
    kpis = kpis_of(customers, table, None)
    assert kpis.total_clv == 200.0 and kpis.average_clv == 50.0
    assert kpis.top_tier_share == 0.5 and kpis.top_tier_customers == 1
    assert kpis.band_low is None and kpis.band_high is None
    empty = kpis_of(customers.iloc[:0], table, None)
    assert empty.total_clv == 0.0 and math.isnan(empty.average_clv)


@pytest.mark.parametrize(
    ("end", "previous"),
    [
        (dt.date(2025, 12, 31), dt.date(2025, 9, 30)),
        (dt.date(2025, 5, 31), dt.date(2025, 2, 28)),  # no 31 February
        (dt.date(2024, 5, 31), dt.date(2024, 2, 29)),  # leap year
        (dt.date(2025, 2, 14), dt.date(2024, 11, 14)),
    ],
)
def test_previous_period_is_three_calendar_months_back(end: dt.date, previous: dt.date) -> None:
    assert previous_period_end(end) == previous


def test_summary_margin_follows_the_margin_rate_without_costs(tmp_path: Path) -> None:
    # Orders without cost: margin to date = net x margin rate, and the CLV's margin
    # share is that rate for everyone.
    store = _orders_store(
        tmp_path,
        [("1", "A", "2024-01-05", 30.0), ("2", "A", "2024-03-05", 50.0)],
    )
    try:
        with store.cursor() as cur:
            summary = customer_summary(cur, margin_rate=0.3)
    finally:
        store.close()
    assert summary.loc["A", "gross_margin"] == pytest.approx(0.3 * 80)
    assert margin_shares(summary, 0.3).tolist() == pytest.approx([0.3])


def test_restricted_valuation_keeps_whole_base_tiers(valuation: Valuation) -> None:
    customers = valuation.customers
    # the two most valuable customers and the two least valuable ones
    ordered = customers.sort_values("clv").index
    kept = [*ordered[-2:], *ordered[:2], "nobody"]
    seen = restricted_to(valuation, kept)
    assert sorted(seen.customers.index) == sorted(kept[:4])
    # tiers are those of the whole base: the top two stay Platinum, the bottom two Bronze
    assert seen.customers.loc[ordered[-2:], "tier"].tolist() == ["Platinum", "Platinum"]
    assert seen.customers.loc[ordered[:2], "tier"].tolist() == ["Bronze", "Bronze"]
    total = customers.loc[kept[:4], "clv"].sum()
    assert seen.kpis.total_clv == pytest.approx(total)
    assert seen.kpis.average_clv == pytest.approx(total / 4)
    assert seen.kpis.top_tier_share == pytest.approx(
        customers.loc[ordered[-2:], "clv"].sum() / total
    )
    assert seen.tier_table["customers"].sum() == 4
    assert seen.by_channel["customers"].sum() == 4
    assert seen.kpis.band_low is None  # the band was drawn for the whole base
    # the whole-base valuation is left as it was
    assert len(valuation.customers) == len(customers) > 4


def test_lifetime_value_adds_the_margin_earned() -> None:
    customers = pd.DataFrame(
        {"margin_to_date": [30.0, None, 0.0], "clv": [12.5, 7.0, 0.0]}, index=["a", "b", "c"]
    )
    # 30 + 12.5; b's margin is unknown: only its predicted part
    assert lifetime_value(customers).to_dict() == {"a": 42.5, "b": 7.0, "c": 0.0}

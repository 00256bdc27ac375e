"""Cohort retention, churn, survival and the proposed churn window, by hand and on the demo."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from clv.metrics.acquisition import save_channel_aliases
from clv.metrics.filters import Filters
from clv.metrics.retention import (
    FALLBACK_CHURN_DAYS,
    churn_rates,
    cohort_retention,
    cumulative_margin_by_cohort,
    default_churn_days,
    kaplan_meier,
    survival_curves,
)
from tests.kpi_shop import ALIASES, CUSTOMERS, ORDERS, TIERS, hand_store
from tests.valued import store_values

# The shop's tiers (kpi_shop.TIERS: A, C Gold; B, D, E Bronze; I none).
VALUATION = "ret-tiers"
# A valuation where A alone is Gold (a customer picked by a tier of their own).
ONLY_A = "ret-only-a"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    s = hand_store(tmp_path_factory.mktemp("ret") / "r.duckdb", ORDERS, CUSTOMERS)
    save_channel_aliases(s, ALIASES)
    with s.cursor() as c:
        store_values(c, tiers=TIERS, key=VALUATION)
        store_values(
            c, tiers={"A": "Gold", "B": "Bronze", "C": "Bronze", "D": "Bronze"}, key=ONLY_A
        )
    yield s
    s.close()


@pytest.fixture
def cur(store):
    with store.cursor() as c:
        yield c


def _cells(frame: pd.DataFrame, column: str) -> dict[tuple[str, int], float]:
    return {
        (row.cohort_month.strftime("%Y-%m"), int(row.months_since_first)): getattr(row, column)
        for row in frame.itertuples(index=False)
    }


def test_retention_cells_by_hand(cur):
    cells = _cells(cohort_retention(cur), "retention")
    # Observed to 2024-04-30: April is complete. Jan cohort {A, B}: A orders in Feb and
    # Apr, B in Mar (B's refunded March order does not count).
    assert cells[("2024-01", 0)] == 1.0
    assert cells[("2024-01", 1)] == cells[("2024-01", 2)] == cells[("2024-01", 3)] == 0.5
    # Feb cohort {C, D}: nobody in March, C in April.
    assert (cells[("2024-02", 1)], cells[("2024-02", 2)]) == (0.0, 0.5)
    # Mar cohort {E, I}: nobody in April.
    assert (cells[("2024-03", 0)], cells[("2024-03", 1)]) == (1.0, 0.0)
    assert len(cells) == 4 + 3 + 2


def test_only_fully_observed_months(cur):
    # Observed to 2024-04-29, April is incomplete: cells stop at March.
    cells = _cells(cohort_retention(cur, Filters(end="2024-04-29")), "retention")
    assert sorted(cells) == [
        ("2024-01", 0),
        ("2024-01", 1),
        ("2024-01", 2),
        ("2024-02", 0),
        ("2024-02", 1),
        ("2024-03", 0),
    ]


def test_retention_filters(cur):
    google = cohort_retention(cur, Filters(channels=["Google Ads"]))
    assert google["customers_in_cohort"].unique().tolist() == [2]
    assert google["retention"].tolist() == [1.0, 0.0, 0.5]
    only_a = cohort_retention(cur, Filters(tiers=["Gold"], valuation=ONLY_A))
    assert only_a["retention"].tolist() == [1.0, 1.0, 0.0, 1.0]
    # The shop's Gold tier: A (Jan cohort) and C (Feb: nobody in March, C in April).
    gold = _cells(cohort_retention(cur, Filters(tiers=["Gold"], valuation=VALUATION)), "retention")
    assert [gold[("2024-01", k)] for k in range(4)] == [1.0, 1.0, 0.0, 1.0]
    assert [gold[("2024-02", k)] for k in range(3)] == [1.0, 0.0, 1.0]
    assert len(gold) == 4 + 3


def test_cumulative_margin_by_hand(cur):
    cells = _cells(
        cumulative_margin_by_cohort(cur, margin_rate=0.5), "cumulative_margin_per_customer"
    )
    # Jan {A, B}: 40 + 20, then 30, 50, 100 + 10 -> 60, 90, 140, 250 over 2 customers.
    assert [cells[("2024-01", k)] for k in range(4)] == pytest.approx([30, 45, 70, 125])
    # Mar {E, I}: 35 + 150 = 185 over 2.
    assert cells[("2024-03", 0)] == cells[("2024-03", 1)] == pytest.approx(92.5)
    # Without a rate, a3 (no cost, April) makes the Jan curve unknown from April on.
    without = _cells(cumulative_margin_by_cohort(cur), "cumulative_margin_per_customer")
    assert without[("2024-01", 2)] == pytest.approx(70)
    assert math.isnan(without[("2024-01", 3)])


def test_default_churn_days_by_hand(cur, tmp_path):
    # Gaps between consecutive purchase days: A: Jan 10 -> Feb 15 = 36, Feb 15 -> Apr 1
    # = 46; B: Jan 20 -> Mar 5 = 45; C: Feb 3 -> Apr 10 = 67;
    # D: Feb 10 -> Feb 25 = 15 (a4 is on a3's day: no gap). Sorted 15, 36, 45, 46, 67:
    # the 90th percentile sits at position 0.9 x 4 = 3.6, 46 + 0.6 x 21 = 58.6 -> 60.
    assert default_churn_days(cur) == 60
    single = hand_store(tmp_path / "single.duckdb", [ORDERS[0], ORDERS[4]])
    try:
        with single.cursor() as c:
            assert default_churn_days(c) == FALLBACK_CHURN_DAYS
    finally:
        single.close()


def test_churn_rates_by_hand(cur):
    # 45 days before 2024-04-30 is 2024-03-16. Judged: first order on or before it (A,
    # B, C, D, E; not I). Churned: last order on or before it: B (Mar 5), D (Feb 25),
    # E (Mar 15); A (Apr 1) and C (Apr 10) are active.
    by_channel = churn_rates(cur, 45, by="channel").set_index("group")
    assert by_channel.loc["Meta Ads", ["customers", "churned"]].tolist() == [1 + 1, 1]
    assert by_channel.loc["Google Ads", "churn_rate"] == 0.5
    assert by_channel.loc["Newsletter", "churn_rate"] == 1.0
    by_tier = churn_rates(cur, 45, by="tier", valuation=VALUATION)
    assert by_tier["group"].tolist() == ["Gold", "Bronze"]
    # Gold: A, C active; Bronze: B, D, E churned (I has no tier: left out).
    assert by_tier["customers"].tolist() == [2, 3]
    assert by_tier["churn_rate"].tolist() == [0.0, 1.0]
    by_cohort = churn_rates(cur, 45, by="cohort")
    assert by_cohort["customers"].tolist() == [2, 2, 1]
    assert by_cohort["churned"].tolist() == [1, 1, 1]
    # With 60 days (cut-off Mar 1), E and I are too recent and only D has lapsed.
    sixty = churn_rates(cur, 60, by="channel").set_index("group")
    assert sixty["customers"].sum() == 4 and sixty["churned"].sum() == 1
    with pytest.raises(ValueError, match="whole number of days"):
        churn_rates(cur, 0)
    with pytest.raises(ValueError, match="needs a valuation"):
        churn_rates(cur, 45, by="tier")
    with pytest.raises(ValueError, match="needs a valuation"):
        survival_curves(cur, 45, by="tier")


def test_kaplan_meier_by_hand():
    curve = kaplan_meier([2, 3, 3, 5, 6, 8], [1, 1, 0, 1, 0, 1])
    # t=2: 6 at risk, 1 event: 5/6. t=3: 5 at risk (the one censored at 3 included), 1
    # event: x 4/5 = 2/3. t=5: 3 at risk: x 2/3 = 4/9. t=6: censored only. t=8: x 0.
    assert curve["days"].tolist() == [0, 2, 3, 5, 6, 8]
    assert curve["at_risk"].tolist() == [6, 6, 5, 3, 2, 1]
    assert curve["survival"].tolist() == pytest.approx([1, 5 / 6, 2 / 3, 4 / 9, 4 / 9, 0])
    # Weights stand for repeated rows.
    weighted = kaplan_meier([2, 3, 5, 6, 8, 3], [1, 1, 1, 0, 1, 0], [1, 1, 1, 1, 1, 1])
    assert weighted["survival"].tolist() == pytest.approx(curve["survival"].tolist())
    grouped = kaplan_meier([3, 3], [True, False], [2, 1])
    assert grouped["survival"].tolist() == pytest.approx([1, 1 / 3])


def test_survival_curves_by_hand(cur):
    curves = survival_curves(cur, 45, by="channel")
    meta = curves[curves["group"] == "Meta Ads"]
    # A: active, censored at Apr 30 - Jan 10 = 111 days. B: churned, event at
    # (Mar 5 - Jan 20 = 45) + 45 = 90. I: active, censored at Apr 30 - Mar 20 = 41.
    # At 90 two are at risk (A, B): survival 1/2.
    assert meta["days"].tolist() == [0, 41, 90, 111]
    assert meta["survival"].tolist() == [1.0, 1.0, 0.5, 0.5]
    assert meta["at_risk"].tolist() == [3, 3, 2, 1]
    google = curves[curves["group"] == "Google Ads"]
    # D churned: (Feb 25 - Feb 10 = 15) + 45 = 60; C censored at 87 (Feb 3 -> Apr 30).
    assert google["days"].tolist() == [0, 60, 87]
    assert google["survival"].tolist() == [1.0, 0.5, 0.5]
    by_tier = survival_curves(cur, 45, by="tier", valuation=VALUATION)
    assert by_tier["group"].drop_duplicates().tolist() == ["Gold", "Bronze"]
    # Gold: A censored at 111, C at 87, neither churns.
    gold = by_tier[by_tier["group"] == "Gold"]
    assert gold["days"].tolist() == [0, 87, 111]
    assert gold["survival"].tolist() == [1.0, 1.0, 1.0]


def test_demo_invariants(demo):
    with demo.cursor() as cur:
        retention = cohort_retention(cur)
        assert retention["retention"].between(0, 1).all()
        assert (retention.loc[retention["months_since_first"] == 0, "retention"] == 1).all()
        sizes = retention.groupby("cohort_month")["customers_in_cohort"].first()
        # Every customer is in one cohort (the demo's last month, December, is complete).
        assert (
            sizes.sum()
            == cur.execute(
                "SELECT count(DISTINCT customer_id) FROM orders "
                "WHERE status = 'paid' AND customer_id IS NOT NULL"
            ).fetchall()[0][0]
        )
        margin = cumulative_margin_by_cohort(cur, margin_rate=0.5)
        steps = margin.groupby("cohort_month")["cumulative_margin"].diff().dropna()
        assert (steps >= -1e-9).all()  # costs below prices: the curves never fall
        days = default_churn_days(cur)
        assert days % 30 == 0 and days >= 30
        churn = churn_rates(cur, days, by="channel")
        assert churn["churn_rate"].between(0, 1).all()
        curves = survival_curves(cur, days, by="channel")
        assert curves["survival"].between(0, 1).all()
        for _, curve in curves.groupby("group"):
            assert np.all(np.diff(curve["survival"].to_numpy()) <= 1e-12)
            assert curve["survival"].iloc[0] == 1.0

"""Repeat purchase, time between orders, basket by rank and tenure, revenue split."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from clv.metrics.acquisition import save_channel_aliases
from clv.metrics.filters import Filters
from clv.metrics.loyalty import (
    basket_by_rank,
    basket_by_tenure,
    existing_revenue_share,
    first_vs_repeat_basket,
    median_gap_days,
    repeat_rates,
    revenue_split_by_month,
    time_between_orders,
)
from clv.store import Store
from tests.kpi_shop import ALIASES, CUSTOMERS, ORDERS, hand_store


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    s = hand_store(tmp_path_factory.mktemp("loyal") / "l.duckdb", ORDERS, CUSTOMERS)
    save_channel_aliases(s, ALIASES)
    yield s
    s.close()


@pytest.fixture
def cur(store):
    with store.cursor() as c:
        yield c


def test_repeat_rates_by_hand(cur):
    frame = repeat_rates(cur).set_index("cohort_month")
    rates = {m.strftime("%Y-%m"): row for m, row in frame.iterrows()}
    # Jan {A: again after 36 days, B: after 45}: none within 30, both within 60 and 90;
    # Jan 31 + 90 = Apr 30, the end: the 90-day rate can be measured.
    assert rates["2024-01"][["new_customers", "rate_30", "rate_60", "rate_90"]].tolist() == [
        2,
        0.0,
        1.0,
        1.0,
    ]
    # Feb {C: after 67 days, D: after 15}: 1/2 within 30 and 60; Feb 29 + 90 is past
    # the end: too young for 90 days.
    assert rates["2024-02"][["rate_30", "rate_60"]].tolist() == [0.5, 0.5]
    assert math.isnan(rates["2024-02"]["rate_90"])
    # Mar {E, I}: nobody again; only the 30-day rate is measurable (Mar 31 + 30 = Apr 30).
    assert rates["2024-03"]["rate_30"] == 0.0
    assert math.isnan(rates["2024-03"]["rate_60"]) and math.isnan(rates["2024-03"]["rate_90"])
    # One day less of observation and January's 90-day rate is no longer measurable.
    earlier = repeat_rates(cur, Filters(end="2024-04-29"))
    assert math.isnan(earlier["rate_90"].iloc[0]) and math.isnan(earlier["rate_30"].iloc[2])
    custom = repeat_rates(cur, windows=(15,))
    assert custom.columns.tolist() == ["cohort_month", "new_customers", "rate_15"]
    assert custom["rate_15"].iloc[1] == 0.5  # D: exactly 15 days
    with pytest.raises(ValueError, match="whole numbers of days"):
        repeat_rates(cur, windows=(0,))


def test_time_between_orders_by_hand(cur):
    gaps = time_between_orders(cur)
    # A 36 and 46, B 45, C 67, D 15 (A's two orders of Apr 1 are one purchase day).
    assert gaps["gap_days"].tolist() == [15, 36, 45, 46, 67]
    assert gaps["repeat_purchases"].tolist() == [1] * 5
    assert median_gap_days(gaps) == 45.0
    # From March on: the gaps that end in the period (A 46, B 45, C 67).
    assert median_gap_days(time_between_orders(cur, Filters(start="2024-03-01"))) == 46.0


def test_median_of_a_histogram():
    def hist(values, counts):
        return pd.DataFrame({"gap_days": values, "repeat_purchases": counts})

    assert median_gap_days(hist([1, 5, 9], [2, 1, 1])) == 3.0  # 1 1 5 9
    assert median_gap_days(hist([1, 5, 9], [1, 1, 1])) == 5.0
    assert median_gap_days(hist([9, 1, 5], [1, 3, 1])) == 1.0  # 1 1 1 5 9
    assert median_gap_days(hist([], [])) is None


def test_basket_by_rank_by_hand(cur):
    frame = basket_by_rank(cur)
    assert frame["rank"].tolist() == ["1st", "2nd", "3rd", "4th+"]
    # 1st: 100, 60, 200, 40, 70, 250 (the guest's 500 is nobody's first order).
    # 2nd: a2 50, b2 100, c2 40, d2 30. 3rd: a3 200. 4th: a4 20 (same day as a3, later).
    assert frame["orders"].tolist() == [6, 4, 1, 1]
    assert frame["average_basket"].tolist() == pytest.approx([120.0, 55.0, 200.0, 20.0])
    comparison = first_vs_repeat_basket(cur)
    # Repeat orders: 440 over 6 = 73.33; 73.33 / 120 - 1 = -38.9 %.
    assert comparison.first_basket == pytest.approx(120.0)
    assert comparison.repeat_basket == pytest.approx(440 / 6)
    assert comparison.difference == pytest.approx(440 / 6 / 120 - 1)
    assert (comparison.first_orders, comparison.repeat_orders) == (6, 6)
    assert comparison.market_difference == 0.33
    # A period keeps each order's rank over the whole history.
    march = basket_by_rank(cur, Filters(start="2024-03-01"))
    assert march["orders"].tolist() == [2, 2, 1, 1]
    assert march["average_basket"].tolist() == pytest.approx([160.0, 70.0, 200.0, 20.0])


def test_basket_by_tenure_by_hand(tmp_path):
    orders = [
        ("g1", "G", "2022-01-15 10:00", "paid", 100, None, "Web"),
        ("g2", "G", "2022-04-14 10:00", "paid", 60, None, "Web"),  # a day short of 3 months
        ("g3", "G", "2022-04-15 10:00", "paid", 50, None, "Web"),  # 3 months to the day
        ("g4", "G", "2022-12-01 10:00", "paid", 80, None, "Web"),
        ("g5", "G", "2023-03-01 10:00", "paid", 40, None, "Web"),
        ("g6", "G", "2024-01-15 10:00", "paid", 90, None, "Web"),  # 24 months to the day
        ("h1", "H", "2023-06-01 10:00", "paid", 30, None, "Web"),
    ]
    s = hand_store(tmp_path / "tenure.duckdb", orders)
    try:
        with s.cursor() as cur:
            frame = basket_by_tenure(cur)
    finally:
        s.close()
    assert frame["tenure_band"].tolist() == [
        "0-3 months",
        "3-6 months",
        "6-12 months",
        "12-24 months",
        "24+ months",
    ]
    assert frame["orders"].tolist() == [3, 1, 1, 1, 1]
    assert frame["average_basket"].tolist() == pytest.approx([190 / 3, 50, 80, 40, 90])


def test_revenue_split_by_hand(cur):
    split = revenue_split_by_month(cur)
    # Jan: a1 + b1 new. Feb: c1 + d1 new, a2 + d2 existing. Mar: e1 + i1 new, b2
    # existing. Apr: a3 + a4 + c2 existing. The guest's 500 is in neither.
    assert split["new_revenue"].tolist() == [160.0, 240.0, 320.0, 0.0]
    assert split["existing_revenue"].tolist() == [0.0, 80.0, 100.0, 260.0]
    assert split["existing_share"].tolist() == pytest.approx([0.0, 0.25, 100 / 420, 1.0])
    assert existing_revenue_share(split) == pytest.approx(440 / 1160)
    google = revenue_split_by_month(cur, Filters(channels=["Google Ads"]))
    assert google["existing_share"].tolist() == pytest.approx([30 / 270, 1.0])


def test_emptyhand_store(tmp_path):
    s = Store(tmp_path / "empty.duckdb", pseudonym_key=b"k")
    try:
        with s.cursor() as cur:
            assert repeat_rates(cur).empty and time_between_orders(cur).empty
            assert basket_by_rank(cur)["orders"].sum() == 0
            assert first_vs_repeat_basket(cur).difference is None
            assert revenue_split_by_month(cur).empty
            assert existing_revenue_share(revenue_split_by_month(cur)) is None
    finally:
        s.close()


def test_demo_invariants(demo):
    with demo.cursor() as cur:
        rates = repeat_rates(cur)
        measured = rates.dropna()
        assert measured[["rate_30", "rate_60", "rate_90"]].stack().between(0, 1).all()
        assert (measured["rate_30"] <= measured["rate_60"]).all()
        assert (measured["rate_60"] <= measured["rate_90"]).all()
        # The youngest cohort cannot be measured at 90 days.
        assert math.isnan(rates["rate_90"].iloc[-1])
        repeat_days, orders, revenue = cur.execute(
            """
            WITH c AS (
                SELECT customer_id, count(DISTINCT ordered_at::DATE) AS days, count(*) AS n,
                       sum(net_amount)::DOUBLE AS revenue
                FROM orders WHERE status = 'paid' AND customer_id IS NOT NULL GROUP BY 1
            )
            SELECT sum(days - 1), sum(n), sum(revenue) FROM c
            """
        ).fetchall()[0]
        assert time_between_orders(cur)["repeat_purchases"].sum() == repeat_days
        assert basket_by_rank(cur)["orders"].sum() == orders
        assert basket_by_tenure(cur)["orders"].sum() == orders
        split = revenue_split_by_month(cur)
        assert (split["new_revenue"] + split["existing_revenue"]).sum() == pytest.approx(revenue)
        assert split["existing_share"].between(0, 1).all()
        share = existing_revenue_share(split)
        new_share = split["new_revenue"].sum() / revenue
        assert share + new_share == pytest.approx(1.0)
        assert np.isfinite(first_vs_repeat_basket(cur).difference)

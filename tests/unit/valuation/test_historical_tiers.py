"""Historical CLV formula and value tiers, against hand-computed examples."""

from __future__ import annotations

import pandas as pd
import pytest

from clv.store import Store, upsert_table
from clv.valuation.historical import basic_clv
from clv.valuation.tiers import TierRule, assign_tiers, thresholds, tier_movements, tier_table

# (order id, customer, day, net amount, cost)
ORDERS = [
    ("1", "A", "2023-01-01", 100, 60),
    ("2", "A", "2023-06-01", 70, 35),
    ("3", "A", "2024-06-01", 50, 20),
    ("4", "A", "2025-01-01", 150, 90),
    ("5", "B", "2023-03-01", 200, 100),
    ("6", "B", "2023-12-01", 100, 50),
    ("7", "C", "2024-03-01", 80, 40),
    ("8", "C", "2024-04-01", 999, 0),  # cancelled: never counted
]


@pytest.fixture
def store(tmp_path):
    frame = pd.DataFrame(
        ORDERS, columns=["order_id", "customer_id", "ordered_at", "net_amount", "cost_amount"]
    )
    frame["ordered_at"] = pd.to_datetime(frame["ordered_at"])
    frame["gross_amount"] = frame["net_amount"]
    frame["status"] = ["paid"] * 7 + ["cancelled"]
    frame["source"] = "t"
    frame["is_guest"] = False
    frame["discount_amount"] = 0.0
    frame["refunded_amount"] = 0.0
    s = Store(tmp_path / "h.duckdb", pseudonym_key=b"k")
    with s.transaction() as cur:
        upsert_table(cur, "orders", frame, 1)
    yield s
    s.close()


def test_basic_clv_factors_by_hand(store):
    with store.cursor() as cur:
        result = basic_clv(cur)
    # 7 paid orders, 750 net, 3 customers, 2023-01-01..2025-01-01 = 732 days.
    years = 732 / 365.25
    assert result.orders == 7 and result.customers == 3 and result.net_revenue == 750
    assert result.average_order_value == pytest.approx(750 / 7)
    assert result.purchase_frequency == pytest.approx(7 / 3 / years)
    # Bought in (2023-01-01, 2024-01-01]: A (June) and B; of them only A bought again
    # in (2024-01-01, 2025-01-01]: churn 1/2, lifespan 2 years.
    assert result.annual_churn_rate == pytest.approx(0.5)
    assert result.lifespan_years == pytest.approx(2.0)
    # Costs 60+35+20+90+100+50+40 = 395: margin 355.
    assert result.gross_margin_rate == pytest.approx(355 / 750)
    # The product simplifies to margin per customer per year x lifespan.
    assert result.clv == pytest.approx(355 / 3 / years * 2) == pytest.approx(118.0909, abs=1e-4)


def test_margin_rate_fills_missing_costs_only(store):
    with store.transaction() as cur:
        cur.execute("UPDATE orders SET cost_amount = NULL WHERE order_id = '6'")
    with store.cursor() as cur:
        without_rate = basic_clv(cur)
        with_rate = basic_clv(cur, margin_rate=0.4)
    # No margin is invented when one order has no cost and no rate is given.
    assert without_rate.gross_margin_rate is None and without_rate.clv is None
    # Order 6 now counts 100 x 0.4 = 40 instead of 50: margin 345.
    assert with_rate.gross_margin_rate == pytest.approx(345 / 750)
    with pytest.raises(ValueError, match="between 0 and 1"):
        basic_clv(store.cursor(), margin_rate=40)


def test_quantile_tiers_by_hand():
    clv = pd.Series(range(1, 21), index=[f"c{i}" for i in range(1, 21)], dtype=float)
    cut = thresholds(clv, TierRule())
    # Top 5 % of 20 = 1 customer (20), top 20 % = 4 (from 17), top 50 % = 10 (from 11).
    assert cut == {"Platinum": 20.0, "Gold": 17.0, "Silver": 11.0}
    tiers = assign_tiers(clv)
    assert tiers.value_counts().to_dict() == {"Bronze": 10, "Silver": 6, "Gold": 3, "Platinum": 1}
    assert tiers["c20"] == "Platinum" and tiers["c17"] == "Gold" and tiers["c10"] == "Bronze"


def test_ties_never_split_across_tiers():
    clv = pd.Series([5.0, 5.0, 5.0, 1.0], index=list("abcd"))
    assert list(assign_tiers(clv)) == ["Platinum", "Platinum", "Platinum", "Bronze"]


def test_amount_tiers_and_table():
    clv = pd.Series([1200.0, 500.0, 450.0, 100.0, 20.0], index=list("abcde"))
    revenue = pd.Series([300.0, 200.0, 100.0, 50.0, 10.0], index=list("abcde"))
    tiers = assign_tiers(clv, TierRule("amount", 1000, 400, 150))
    assert list(tiers) == ["Platinum", "Gold", "Gold", "Bronze", "Bronze"]
    table = tier_table(tiers, clv, revenue)
    assert table.loc["Gold", "customers"] == 2
    assert table.loc["Gold", "clv_share"] == pytest.approx(950 / 2270)
    assert table.loc["Platinum", "revenue_share"] == pytest.approx(300 / 660)
    assert table.loc["Silver", "customers"] == 0
    with pytest.raises(ValueError, match="fall from Platinum"):
        TierRule("amount", 100, 400, 150)


def test_tier_movements_count_moves_and_newcomers():
    before = pd.Series(["Gold", "Bronze", "Silver"], index=["a", "b", "c"])
    after = pd.Series(["Platinum", "Bronze", "Bronze", "Gold"], index=["a", "b", "c", "d"])
    moves = tier_movements(before, after)
    assert moves.loc["Gold", "Platinum"] == 1
    assert moves.loc["Silver", "Bronze"] == 1
    assert moves.loc["Bronze", "Bronze"] == 1
    assert moves.loc["New", "Gold"] == 1
    assert int(moves.to_numpy().sum()) == 4

"""base_summary against a hand-made store whose figures are counted by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd

from clv.overview import base_summary
from clv.store import upsert_table


def _orders(rows: list[tuple]) -> pd.DataFrame:
    columns = [
        "order_id",
        "customer_id",
        "ordered_at",
        "status",
        "currency",
        "gross_amount",
        "net_amount",
    ]
    frame = pd.DataFrame(rows, columns=columns)
    frame["ordered_at"] = pd.to_datetime(frame["ordered_at"])
    frame["is_guest"] = frame["customer_id"].isna()
    frame["discount_amount"] = "0"
    frame["refunded_amount"] = "0"
    frame["source"] = "test"
    return frame


def test_empty_store_has_no_orders(tmp_store):
    summary = base_summary(tmp_store)
    assert summary["customers"] == 0
    assert summary["orders"] == 0
    assert summary["net_revenue"] == Decimal("0")
    assert summary["currencies"] == []
    assert summary["first_order_date"] is None
    assert summary["last_order_date"] is None


def test_counts_paid_orders_and_their_customers(tmp_store):
    orders = _orders(
        [
            # customer a: two paid orders
            ("1", "a", "2023-01-05 10:00", "paid", "EUR", "100.00", "90.50"),
            ("2", "a", "2023-03-01 09:00", "paid", "EUR", "50.00", "50.00"),
            # customer b: one paid, one refunded (not counted)
            ("3", "b", "2023-02-10 12:00", "paid", "EUR", "20.25", "20.25"),
            ("4", "b", "2023-02-11 12:00", "refunded", "EUR", "80.00", "0.00"),
            # customer c: only a cancelled order -> not a customer who bought
            ("5", "c", "2022-12-31 23:00", "cancelled", "EUR", "30.00", "30.00"),
            # a guest order without identifier: counted as an order, not as a customer
            ("6", None, "2023-04-02 08:00", "paid", "EUR", "10.00", "9.99"),
            # a test order on the last day: sets the period end but nothing else
            ("7", "d", "2023-04-30 18:00", "test", "EUR", "1.00", "1.00"),
        ]
    )
    with tmp_store.transaction() as cur:
        upsert_table(cur, "orders", orders, import_id=1)

    summary = base_summary(tmp_store)
    assert summary["customers"] == 2  # a and b
    assert summary["orders"] == 4  # orders 1, 2, 3, 6
    assert summary["net_revenue"] == Decimal("170.74")  # 90.50 + 50 + 20.25 + 9.99
    assert summary["currencies"] == ["EUR"]
    assert summary["first_order_date"] == dt.date(2022, 12, 31)
    assert summary["last_order_date"] == dt.date(2023, 4, 30)


def test_lists_every_currency_largest_revenue_first(tmp_store):
    orders = _orders(
        [
            ("1", "a", "2023-01-05", "paid", "USD", "10", "10"),
            ("2", "b", "2023-01-06", "paid", "EUR", "300", "300"),
            ("3", "c", "2023-01-07", "paid", "USD", "15", "15"),
            ("4", "c", "2023-01-08", "cancelled", "GBP", "999", "999"),
        ]
    )
    with tmp_store.transaction() as cur:
        upsert_table(cur, "orders", orders, import_id=1)
    summary = base_summary(tmp_store)
    assert summary["currencies"] == ["EUR", "USD"]  # GBP only on a cancelled order
    assert summary["net_revenue"] == Decimal("325")

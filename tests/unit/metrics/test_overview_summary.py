"""base_summary and order_reconciliation against hand-made stores whose figures are
counted by hand.

A counted order is status ``'paid'`` with a customer (``clv.store.definitions``'s
``COUNTED_ORDER_SQL``), the one definition every figure uses: a guest checkout belongs to
no customer, so it is neither an order nor revenue of the customer base (it shows in
:func:`order_reconciliation` as ``guest``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd
import pytest

from clv.compliance import gdpr
from clv.metrics.filters import Filters
from clv.metrics.overview import OrderReconciliation, base_summary, order_reconciliation
from clv.store import upsert_table
from tests.valued import store_values


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
            # a guest order without identifier: paid, but no counted order (no customer)
            ("6", None, "2023-04-02 08:00", "paid", "EUR", "10.00", "9.99"),
            # a test order on the last day: sets the period end but nothing else
            ("7", "d", "2023-04-30 18:00", "test", "EUR", "1.00", "1.00"),
        ]
    )
    with tmp_store.transaction() as cur:
        upsert_table(cur, "orders", orders, import_id=1)

    summary = base_summary(tmp_store)
    assert summary["customers"] == 2  # a and b
    # Orders 1, 2, 3; the guest order 6 (9.99) is out since guest orders are no longer
    # counted (they belong to no customer; it was 4 orders and 170.74 before).
    assert summary["orders"] == 3
    assert summary["net_revenue"] == Decimal("160.75")  # 90.50 + 50 + 20.25
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


# A shop of four customers who bought (a, b, e, r), all in EUR, for the reconciliation
# and the filtered summaries. r refused analytics. Acquisition channel of each customer
# (no channel in the customers table): the channel of their first counted order.
#   a: order 1 "Web"  -> Web
#   b: order 3 "Ads"  -> Ads
#   e: order 9 "Ads"  -> Ads (its earlier order 8 on "Web" is cancelled: not counted)
#   r: order 11 "Ads" -> Ads
SHOP = [
    ("1", "a", "2023-01-05 10:00", "paid", "EUR", "90.50", "90.50", "Web"),
    ("2", "a", "2023-03-01 09:00", "paid", "EUR", "50.00", "50.00", "Email"),
    ("3", "b", "2023-02-10 12:00", "paid", "EUR", "20.25", "20.25", "Ads"),
    ("4", "b", "2023-02-11 12:00", "refunded", "EUR", "80.00", "0.00", "Ads"),
    ("5", "c", "2022-12-31 23:00", "cancelled", "EUR", "30.00", "30.00", "Web"),
    ("6", None, "2023-03-20 08:00", "paid", "EUR", "10.00", "9.99", "Web"),  # guest
    ("7", "d", "2023-04-30 18:00", "test", "EUR", "1.00", "1.00", "Web"),  # sets the end
    ("8", "e", "2023-03-01 10:00", "cancelled", "EUR", "12.00", "12.00", "Web"),
    ("9", "e", "2023-03-15 10:00", "paid", "EUR", "40.00", "40.00", "Ads"),
    ("10", "e", "2023-04-10 10:00", "paid", "EUR", "15.00", "15.00", "Web"),
    ("11", "r", "2023-02-20 10:00", "paid", "EUR", "25.00", "25.00", "Ads"),
    ("12", None, "2023-04-15 10:00", "pending", "EUR", "7.00", "7.00", "Web"),  # guest
    ("13", "b", "2023-04-20 10:00", "cancelled", "EUR", "5.00", "5.00", "Ads"),
]


@pytest.fixture
def shop(tmp_store):
    frame = _orders([row[:7] for row in SHOP])
    frame["channel"] = [row[7] for row in SHOP]
    customers = pd.DataFrame({"customer_id": ["r"], "consent_analytics": [False]})
    with tmp_store.transaction() as cur:
        upsert_table(cur, "orders", frame, import_id=1)
        upsert_table(cur, "customers", customers, import_id=1)
    return tmp_store


def test_order_reconciliation_by_hand(shop):
    with shop.cursor() as cur:
        off = order_reconciliation(cur)
    # 13 rows; paid: 1, 2, 3, 6, 9, 10, 11, of which 6 is a guest's: 6 counted. Other
    # statuses: cancelled 5, 8, 13; refunded 4; test 7; pending 12 (most rows first, then
    # by name).
    assert off == OrderReconciliation(
        rows=13,
        counted=6,
        guest=1,
        refused=0,
        by_status={"cancelled": 3, "pending": 1, "refunded": 1, "test": 1},
    )
    assert list(off.by_status) == ["cancelled", "pending", "refunded", "test"]
    assert off.rows == off.counted + off.guest + off.refused + sum(off.by_status.values())
    # The summary counts exactly the counted orders.
    assert base_summary(shop)["orders"] == off.counted

    gdpr.set_respect_consent(shop, True)
    with shop.cursor() as cur:
        on = order_reconciliation(cur)
    # r refused analytics: its paid order 11 moves from counted to refused.
    assert (on.rows, on.counted, on.guest, on.refused) == (13, 5, 1, 1)
    assert on.by_status == off.by_status
    assert base_summary(shop)["orders"] == on.counted


def test_order_reconciliation_of_an_empty_store(tmp_store):
    with tmp_store.cursor() as cur:
        assert order_reconciliation(cur) == OrderReconciliation(0, 0, 0, 0, {})


def _figures(summary) -> tuple[int, int, Decimal]:
    return summary["customers"], summary["orders"], summary["net_revenue"]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        # a, b, e, r: orders 1, 2, 3, 9, 10, 11 = 90.50 + 50 + 20.25 + 40 + 15 + 25
        (Filters(), (4, 6, Decimal("240.75"))),
        # Ads customers b, e, r: every counted order of theirs, whatever the order's own
        # channel (e's order 10 was on "Web"): 20.25 + 40 + 15 + 25
        (Filters(channels=["Ads"]), (3, 4, Decimal("100.25"))),
        # Web: a alone (orders 1 and 2); the guest order 6 and e's Web orders are not a's
        (Filters(channels=["Web"]), (1, 2, Decimal("140.50"))),
        # Nobody was acquired by email (a's order 2 was on "Email")
        (Filters(channels=["Email"]), (0, 0, Decimal("0"))),
        (Filters(channels=["Ads", "Web"]), (4, 6, Decimal("240.75"))),
    ],
)
def test_summary_by_channel(shop, filters, expected):
    summary = base_summary(shop, filters)
    assert _figures(summary) == expected
    # The span of the data and its currencies do not depend on the filters.
    assert summary["first_order_date"] == dt.date(2022, 12, 31)
    assert summary["last_order_date"] == dt.date(2023, 4, 30)
    assert summary["currencies"] == ["EUR"]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        # Order days 1 Feb - 31 Mar: orders 2 (a), 3 (b), 9 (e), 11 (r); a counts though
        # its first order is in January; the guest order 6 of 20 Mar is out.
        (Filters(start="2023-02-01", end="2023-03-31"), (4, 4, Decimal("135.25"))),
        # and acquired through Ads: 3, 9, 11
        (
            Filters(start="2023-02-01", end="2023-03-31", channels=["Ads"]),
            (3, 3, Decimal("85.25")),
        ),
        # From 1 April: e's order 10 only (13 is cancelled, 12 a pending guest order)
        (Filters(start="2023-04-01"), (1, 1, Decimal("15.00"))),
        # Up to 31 January: a's first order only
        (Filters(end="2023-01-31"), (1, 1, Decimal("90.50"))),
        # A period without a counted order
        (Filters(start="2022-06-01", end="2022-12-31"), (0, 0, Decimal("0"))),
    ],
)
def test_summary_over_a_period(shop, filters, expected):
    summary = base_summary(shop, filters)
    assert _figures(summary) == expected
    assert summary["first_order_date"] == dt.date(2022, 12, 31)
    assert summary["last_order_date"] == dt.date(2023, 4, 30)


def test_summary_by_tier_and_without_the_refusers(shop):
    with shop.cursor() as cur:
        key = store_values(cur, tiers={"a": "Gold", "e": "Gold", "b": "Bronze", "r": "Bronze"})
    # Gold: a (orders 1, 2) and e (9, 10) = 90.50 + 50 + 40 + 15
    gold = Filters(tiers=["Gold"], valuation=key)
    assert _figures(base_summary(shop, gold)) == (2, 4, Decimal("195.50"))
    # Gold in March: a's order 2 and e's order 9
    march = Filters(tiers=["Gold"], valuation=key, start="2023-03-01", end="2023-03-31")
    assert _figures(base_summary(shop, march)) == (2, 2, Decimal("90.00"))
    # Switch on: r (refused) is out; Ads is b and e: 20.25 + 40 + 15
    gdpr.set_respect_consent(shop, True)
    assert _figures(base_summary(shop)) == (3, 5, Decimal("215.75"))
    assert _figures(base_summary(shop, Filters(channels=["Ads"]))) == (2, 3, Decimal("75.25"))

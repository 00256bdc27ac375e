"""The customer base at a glance: how many customers bought, how often, for how much."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TypedDict

from clv.store import Store


class BaseSummary(TypedDict):
    """Headline figures of the store (see :func:`base_summary`)."""

    customers: int
    orders: int
    net_revenue: Decimal
    currencies: list[str]
    first_order_date: dt.date | None
    last_order_date: dt.date | None


_SUMMARY_SQL = """
SELECT
    count(DISTINCT customer_id) FILTER (WHERE status = 'paid'),
    count(*) FILTER (WHERE status = 'paid'),
    coalesce(sum(net_amount) FILTER (WHERE status = 'paid'), 0),
    min(ordered_at),
    max(ordered_at)
FROM orders
"""

_CURRENCIES_SQL = """
SELECT currency
FROM orders
WHERE status = 'paid' AND currency IS NOT NULL
GROUP BY currency
ORDER BY sum(net_amount) DESC, currency
"""


def base_summary(store: Store) -> BaseSummary:
    """Customers, paid orders and net revenue of everything in the store.

    Parameters
    ----------
    store : the store to read (one cursor, one snapshot).

    Returns
    -------
    dict with
        ``customers`` : distinct known customers (``customer_id`` not null) with at least
        one paid order; guest orders without an identifier do not count.
        ``orders`` : orders with status ``paid``.
        ``net_revenue`` : sum of ``net_amount`` of paid orders (after discounts and
        refunds), as a ``Decimal``.
        ``currencies`` : currencies of the paid orders, largest revenue first; more
        than one means ``net_revenue`` adds up different currencies.
        ``first_order_date`` / ``last_order_date`` : dates of the earliest and latest
        order of any status (the period the data covers), ``None`` without orders.
    """
    with store.cursor() as cur:
        customers, orders, revenue, first, last = cur.execute(_SUMMARY_SQL).fetchone()
        currencies = [row[0] for row in cur.execute(_CURRENCIES_SQL).fetchall()]
    return BaseSummary(
        customers=int(customers),
        orders=int(orders),
        net_revenue=Decimal(revenue),
        currencies=currencies,
        first_order_date=first.date() if first is not None else None,
        last_order_date=last.date() if last is not None else None,
    )

"""The customer base at a glance: how many customers bought, how often, for how much, and
the one headline figure of each analysis page (the Overview's tiles)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TypedDict

import duckdb
import pandas as pd

from clv import derived
from clv.filters import (
    NO_FILTERS,
    Filters,
    base_ctes,
    customer_values,
    date_clause,
    observation_end,
)
from clv.gdpr import REFUSED_ANALYTICS_SQL
from clv.store import Store, registered
from clv.voice import NPSResult, nps_from_counts


class BaseSummary(TypedDict):
    """Headline figures of the store (see :func:`base_summary`)."""

    customers: int
    orders: int
    net_revenue: Decimal
    currencies: list[str]
    first_order_date: dt.date | None
    last_order_date: dt.date | None


# Orders of customers who refused analytics are left out while the shop's consent switch
# is on (clv.gdpr); guest orders (no customer) stay.
_COUNTED_ORDERS = f"(customer_id IS NULL OR customer_id NOT IN ({REFUSED_ANALYTICS_SQL}))"

# Customers with a paid order are counted in the derived per-customer table (clv.derived)
# rather than by a distinct count over every order.
_SUMMARY_SQL = f"""
SELECT
    (SELECT count(*) FROM {derived.TABLE}
     WHERE first_day IS NOT NULL AND customer_id NOT IN ({REFUSED_ANALYTICS_SQL})),
    count(*) FILTER (WHERE status = 'paid'),
    coalesce(sum(net_amount) FILTER (WHERE status = 'paid'), 0),
    min(ordered_at),
    max(ordered_at)
FROM orders
WHERE {_COUNTED_ORDERS}
"""  # noqa: S608 (fixed pieces)

_CURRENCIES_SQL = f"""
SELECT currency
FROM orders
WHERE status = 'paid' AND currency IS NOT NULL AND {_COUNTED_ORDERS}
GROUP BY currency
ORDER BY sum(net_amount) DESC, currency
"""  # noqa: S608 (fixed pieces)


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

    While the shop's consent switch is on, the orders of customers who refused analytics
    are left out of every figure (see :mod:`clv.gdpr`).
    """
    with store.cursor() as cur:
        derived.ensure(cur)
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


# -- headline figures of the analysis pages ------------------------------------------------
#
# Each function below folds a table of a KPI module into the one figure that the Overview
# shows on its tile; the tables themselves are tested in the modules' own tests.


@dataclass(frozen=True)
class ValueOfKept:
    """Predicted CLV of the customers that pass the filters (see :func:`value_of_kept`)."""

    customers: int
    average_clv: float | None
    total_clv: float


def value_of_kept(
    cur: duckdb.DuckDBPyConnection, clv_by_customer: pd.Series, filters: Filters = NO_FILTERS
) -> ValueOfKept:
    """Average and total predicted CLV of the customers kept by ``filters``.

    Parameters
    ----------
    cur : a cursor on the store.
    clv_by_customer : predicted CLV per customer (index ``customer_id``).
    filters : cohorts by first day (``start``/``end``), acquisition channels (after
        aliases) and customers (a tier).

    Returns
    -------
    :class:`ValueOfKept`: customers kept that have a predicted CLV, their mean CLV
    (``None`` when there are none) and their total.
    """
    end = observation_end(cur, filters)
    if end is None:
        return ValueOfKept(0, None, 0.0)
    base, params = base_ctes(cur, filters, end)
    dates, date_params = date_clause("k.first_day", filters, end)
    sql = f"""{base}
SELECT count(*), avg(v.clv), coalesce(sum(v.clv), 0)
FROM kept k
JOIN _clv_values v ON v.customer_id = k.customer_id
WHERE k.first_day IS NOT NULL{dates}
"""  # noqa: S608 (fixed pieces; values are parameters)
    with registered(cur, "_clv_values", customer_values(clv_by_customer, "clv")):
        count, average, total = cur.execute(sql, [*params, *date_params]).fetchall()[0]
    return ValueOfKept(int(count), None if average is None else float(average), float(total))


def paid_clv_cac_ratio(table: pd.DataFrame) -> float | None:
    """CLV/CAC over the channels with spend, from :func:`clv.acquisition.channel_table`.

    Total predicted CLV of the customers those channels acquired (average CLV x new
    customers, summed) over their total spend: the paid-only ratio. Channels without a
    known average CLV are left out of both sides. ``None`` when no channel has both
    spend and valued customers.
    """
    if table.empty:
        return None
    paid = table[(table["spend"] > 0) & table["average_clv"].notna()]
    if paid.empty or paid["new_customers"].sum() == 0:
        return None
    value = float((paid["average_clv"] * paid["new_customers"]).sum())
    return value / float(paid["spend"].sum())


def pooled_churn_rate(rates: pd.DataFrame) -> tuple[float | None, int]:
    """Churn rate over every group of :func:`clv.retention.churn_rates` (churned /
    customers judged, summed over the groups), and the customers judged."""
    judged = int(rates["customers"].sum()) if not rates.empty else 0
    if judged == 0:
        return None, 0
    return float(rates["churned"].sum()) / judged, judged


def pooled_repeat_rates(rates: pd.DataFrame) -> dict[int, tuple[float | None, int]]:
    """Repeat rate per window over the cohorts measurable for it, from
    :func:`clv.loyalty.repeat_rates`: customers who repeated / new customers of those
    cohorts, and that count of new customers. Cohorts too young for a window (NaN rate)
    are left out of that window only."""
    out: dict[int, tuple[float | None, int]] = {}
    for column in [c for c in rates.columns if c.startswith("rate_")]:
        window = int(column.removeprefix("rate_"))
        measured = rates[rates[column].notna()]
        customers = int(measured["new_customers"].sum())
        if customers == 0:
            out[window] = (None, 0)
            continue
        repeated = float((measured[column] * measured["new_customers"]).sum())
        out[window] = (repeated / customers, customers)
    return out


def overall_nps(by_segment: pd.DataFrame) -> NPSResult | None:
    """NPS over every answer of a :func:`clv.voice.nps_by` table (all its rows, the
    unmatched answers included), ``None`` without answers."""
    if by_segment.empty or int(by_segment["answers"].sum()) == 0:
        return None
    return nps_from_counts(
        int(by_segment["promoters"].sum()),
        int(by_segment["passives"].sum()),
        int(by_segment["detractors"].sum()),
    )

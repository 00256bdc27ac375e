"""The customer base at a glance: how many customers bought, how often, for how much, and
the one headline figure of each analysis page (the Overview's tiles)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TypedDict

import duckdb
import pandas as pd

from clv.metrics.filters import (
    NO_FILTERS,
    Filters,
    base_ctes,
    date_clause,
    observation_end,
    order_filter_sql,
)
from clv.metrics.voice import NPSResult, nps_from_counts
from clv.store import Store, definitions
from clv.store.definitions import REFUSED_ANALYTICS_SQL
from clv.valuation import values


class BaseSummary(TypedDict):
    """Headline figures of the store under the filters (see :func:`base_summary`)."""

    customers: int
    orders: int
    net_revenue: Decimal
    currencies: list[str]
    first_order_date: dt.date | None
    last_order_date: dt.date | None


@dataclass(frozen=True)
class OrderReconciliation:
    """How the order rows in the store become the counted orders (see
    :func:`order_reconciliation`)."""

    rows: int
    counted: int
    guest: int
    refused: int
    by_status: dict[str, int]


_SPAN_SQL = "SELECT min(ordered_at)::DATE, max(ordered_at)::DATE FROM orders"

# One row per part of the order rows; the three parts of the paid rows are not statuses.
_GUEST, _REFUSED, _COUNTED = "(guest)", "(refused)", "(counted)"
_RECONCILIATION_SQL = f"""
SELECT CASE WHEN status <> 'paid' THEN status
            WHEN customer_id IS NULL THEN '{_GUEST}'
            WHEN customer_id IN ({REFUSED_ANALYTICS_SQL}) THEN '{_REFUSED}'
            ELSE '{_COUNTED}' END AS part,
       count(*)
FROM orders
GROUP BY 1
"""  # noqa: S608 (fixed pieces)


def _summary_sql(filters: Filters, end: dt.date, base: str) -> tuple[str, list]:
    where, params = order_filter_sql(filters, end, "o")
    sql = f"""{base}
SELECT count(DISTINCT o.customer_id), count(*), coalesce(sum(o.net_amount_decimal), 0)
FROM paid o
WHERE {where}
"""  # noqa: S608 (fixed pieces; values are parameters)
    return sql, params


def base_summary(store: Store, filters: Filters = NO_FILTERS) -> BaseSummary:
    """Customers, counted orders and their net revenue under ``filters``.

    Parameters
    ----------
    store : the store to read (one cursor, one snapshot).
    filters : period (order days), acquisition channels and value tiers.

    Returns
    -------
    dict with
        ``customers`` : customers with at least one counted order in the period (kept by
        the channel and tier filters).
        ``orders`` : their counted orders in the period (status paid, with a customer:
        :data:`clv.store.definitions.COUNTED_ORDER_SQL`).
        ``net_revenue`` : sum of ``net_amount`` of those orders (after discounts and
        refunds), as a ``Decimal``.
        ``currencies`` : :func:`clv.store.definitions.shop_currencies`; more than one
        means ``net_revenue`` adds up different currencies.
        ``first_order_date`` / ``last_order_date`` : days of the earliest and latest
        order of any status in the store (the period the data covers, whatever the
        filters), ``None`` without orders.

    While the shop's consent switch is on, customers who refused analytics are left out
    of every figure (see :mod:`clv.compliance.gdpr`).
    """
    with store.cursor() as cur:
        first, last = cur.execute(_SPAN_SQL).fetchone()
        currencies = definitions.shop_currencies(cur)
        end = observation_end(cur, filters)
        customers, orders, revenue = 0, 0, Decimal(0)
        if end is not None:
            base, params = base_ctes(cur, filters, end)
            sql, where_params = _summary_sql(filters, end, base)
            customers, orders, revenue = cur.execute(sql, [*params, *where_params]).fetchone()
    return BaseSummary(
        customers=int(customers),
        orders=int(orders),
        net_revenue=Decimal(revenue),
        currencies=currencies,
        first_order_date=first,
        last_order_date=last,
    )


def order_reconciliation(cur: duckdb.DuckDBPyConnection) -> OrderReconciliation:
    """From the order rows in the store (what the sidebar counts) to the counted orders.

    Returns
    -------
    :class:`OrderReconciliation`: ``rows`` in ``orders``; ``counted`` (status paid, with
    a customer, not refused); ``guest`` paid orders without a customer; ``refused``
    paid orders of customers who refused analytics (0 while the consent switch is off);
    ``by_status``: the rows of every other status (cancelled, refunded, pending, test).
    ``rows == counted + guest + refused + sum(by_status)``.
    """
    parts = {str(part): int(n) for part, n in cur.execute(_RECONCILIATION_SQL).fetchall()}
    guest, refused, counted = [parts.pop(part, 0) for part in (_GUEST, _REFUSED, _COUNTED)]
    by_status = parts  # what is left: the rows of every other status
    return OrderReconciliation(
        rows=guest + refused + counted + sum(by_status.values()),
        counted=counted,
        guest=guest,
        refused=refused,
        by_status=dict(sorted(by_status.items(), key=lambda kv: (-kv[1], kv[0]))),
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
    cur: duckdb.DuckDBPyConnection, valuation: str, filters: Filters = NO_FILTERS
) -> ValueOfKept:
    """Average and total predicted CLV of the customers kept by ``filters``.

    Parameters
    ----------
    cur : a cursor on the store.
    valuation : key of the stored valuation (:mod:`clv.valuation.values`).
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
JOIN {values.TABLE} v ON v.customer_id = k.customer_id AND v.valuation_key = ?
WHERE k.first_day IS NOT NULL{dates}
"""  # noqa: S608 (fixed pieces; values are parameters)
    count, average, total = cur.execute(sql, [*params, valuation, *date_params]).fetchall()[0]
    return ValueOfKept(int(count), None if average is None else float(average), float(total))


def paid_clv_cac_ratio(table: pd.DataFrame) -> float | None:
    """CLV/CAC over the channels with spend, from :func:`clv.metrics.acquisition.channel_table`.

    Total lifetime value (margin to date + predicted CLV) of the customers those channels
    acquired (average value x new customers, summed) over their total spend: the
    paid-only ratio. Channels without a
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
    """Churn rate over every group of :func:`clv.metrics.retention.churn_rates` (churned /
    customers judged, summed over the groups), and the customers judged."""
    judged = int(rates["customers"].sum()) if not rates.empty else 0
    if judged == 0:
        return None, 0
    return float(rates["churned"].sum()) / judged, judged


def pooled_repeat_rates(rates: pd.DataFrame) -> dict[int, tuple[float | None, int]]:
    """Repeat rate per window over the cohorts measurable for it, from
    :func:`clv.metrics.loyalty.repeat_rates`: customers who repeated / new customers of those
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
    """NPS over every answer of a :func:`clv.metrics.voice.nps_by` table (all its rows, the
    unmatched answers included), ``None`` without answers."""
    if by_segment.empty or int(by_segment["answers"].sum()) == 0:
        return None
    return nps_from_counts(
        int(by_segment["promoters"].sum()),
        int(by_segment["passives"].sum()),
        int(by_segment["detractors"].sum()),
    )

"""Historical value: what customers have brought in so far, and the shop-level formula.

The *basic* customer lifetime value that finance teams quote is a product of four
shop-level factors, each shown on the page so the figure can be checked by hand::

    CLV = average order value x purchase frequency x customer lifespan x gross margin rate

with, over the observation window (orders with status ``'paid'`` and a customer):

- average order value = net revenue / orders;
- purchase frequency = orders per customer per year
  = orders / customers / (window length in years);
- customer lifespan (years) = 1 / annual churn rate, where the annual churn rate is the
  share of customers who bought in the 12 months before the last full year and did not
  buy again in that year (the classic "1 / churn" lifespan);
- gross margin rate = gross margin / net revenue, gross margin being
  ``net_amount - cost_amount`` where the export gives the cost, else
  ``net_amount x margin rate`` set by the user.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb

from clv.store import definitions
from clv.store.definitions import REFUSED_ANALYTICS_SQL, counted_order_sql

# Counted orders of the customers every figure counts (refusals left out while the
# consent switch is on), on ``orders o``.
COUNTED = f"{counted_order_sql('o')} AND o.customer_id NOT IN ({REFUSED_ANALYTICS_SQL})"

DAYS_PER_YEAR = 365.25


@dataclass(frozen=True)
class BasicCLV:
    """The shop-level basic CLV and each of its factors.

    Attributes
    ----------
    average_order_value : net revenue per paid order.
    purchase_frequency : paid orders per customer per year.
    lifespan_years : 1 / annual_churn_rate (``None`` when nobody churned or the
        window is shorter than two years).
    gross_margin_rate : gross margin / net revenue (``None`` without costs or a rate).
    annual_churn_rate : share of last-but-one-year buyers with no order in the last year.
    clv : the product of the four factors (``None`` when a factor is missing).
    customers, orders, net_revenue, gross_margin, window_years : the raw totals.
    """

    average_order_value: float | None
    purchase_frequency: float | None
    lifespan_years: float | None
    gross_margin_rate: float | None
    annual_churn_rate: float | None
    clv: float | None
    customers: int
    orders: int
    net_revenue: float
    gross_margin: float | None
    window_years: float


def margin_sql(margin_rate: float | None) -> tuple[str, list[object]]:
    """SQL expression (and its parameters) for one order's gross margin.

    The export's cost wins; without it, ``net_amount x margin_rate``; without either,
    NULL so that no margin is invented.
    """
    if margin_rate is None:
        return "(o.net_amount - o.cost_amount)", []
    return "coalesce(o.net_amount - o.cost_amount, o.net_amount * ?)", [float(margin_rate)]


def basic_clv(
    cur: duckdb.DuckDBPyConnection,
    *,
    margin_rate: float | None = None,
    observation_end: dt.date | None = None,
) -> BasicCLV:
    """Shop-level basic CLV from the store's paid orders (see the module docstring).

    Parameters
    ----------
    cur : a cursor on the store.
    margin_rate : gross margin rate for orders whose export has no cost (0..1).
    observation_end : last day counted; default (and at most) the observation end of
        :func:`clv.store.definitions.observation_end`.
    """
    if margin_rate is not None and not 0 <= margin_rate <= 1:
        raise ValueError(f"The margin rate must be between 0 and 1 (got {margin_rate}).")
    margin, margin_params = margin_sql(margin_rate)
    end = definitions.observation_end(cur, observation_end)
    if end is None:
        return BasicCLV(None, None, None, None, None, None, 0, 0, 0.0, None, 0.0)
    row = cur.execute(
        f"""
        WITH counted AS (
            SELECT o.customer_id, o.net_amount, o.ordered_at, {margin} AS margin
            FROM orders o
            WHERE {COUNTED} AND o.ordered_at::DATE <= ?
        )
        SELECT count(DISTINCT customer_id), count(*), sum(net_amount)::DOUBLE,
               sum(margin)::DOUBLE, count(margin), min(ordered_at)::DATE
        FROM counted
        """,  # noqa: S608 (margin is one of two fixed expressions)
        [*margin_params, end],
    ).fetchone()
    customers, orders, revenue, margin_total, margin_known, first = row
    window_years = ((end - first).days + 1) / DAYS_PER_YEAR
    churn = _annual_churn_rate(cur, end)
    aov = revenue / orders if orders else None
    frequency = orders / customers / window_years if customers and window_years > 0 else None
    lifespan = 1 / churn if churn else None
    # A margin rate only where every order has one (else it would mix known and unknown).
    margin_rate_total = (
        margin_total / revenue
        if revenue and margin_known == orders and margin_total is not None
        else None
    )
    factors = (aov, frequency, lifespan, margin_rate_total)
    clv = (
        None if any(f is None for f in factors) else aov * frequency * lifespan * margin_rate_total
    )
    return BasicCLV(
        average_order_value=aov,
        purchase_frequency=frequency,
        lifespan_years=lifespan,
        gross_margin_rate=margin_rate_total,
        annual_churn_rate=churn,
        clv=clv,
        customers=int(customers),
        orders=int(orders),
        net_revenue=float(revenue or 0.0),
        gross_margin=margin_total if margin_known == orders else None,
        window_years=window_years,
    )


def _annual_churn_rate(cur: duckdb.DuckDBPyConnection, end: dt.date) -> float | None:
    """Share of customers who bought in (end - 2y, end - 1y] and not in (end - 1y, end]."""
    row = cur.execute(
        f"""
        WITH buyers AS (
            SELECT customer_id,
                   bool_or(ordered_at::DATE >  ?::DATE - INTERVAL 2 YEAR
                           AND ordered_at::DATE <= ?::DATE - INTERVAL 1 YEAR) AS in_previous,
                   bool_or(ordered_at::DATE >  ?::DATE - INTERVAL 1 YEAR
                           AND ordered_at::DATE <= ?::DATE) AS in_last
            FROM orders o
            WHERE {COUNTED}
            GROUP BY customer_id
        )
        SELECT count(*) FILTER (WHERE in_previous), count(*) FILTER (WHERE in_previous AND NOT in_last)
        FROM buyers
        """,  # noqa: S608 (fixed pieces)
        [end, end, end, end],
    ).fetchone()
    previous, churned = row
    first = cur.execute(
        f"SELECT min(ordered_at)::DATE FROM orders o WHERE {COUNTED}"  # noqa: S608
    ).fetchone()[0]
    if not previous or first is None or (end - first).days < 2 * 365:
        return None
    return churned / previous

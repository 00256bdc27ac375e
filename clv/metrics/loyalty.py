"""Loyalty: repeat purchase, time between orders, basket by rank and tenure, revenue split.

Definitions (shared ones in :mod:`clv.metrics.filters`; guest orders never count):

- a **purchase day** is a calendar day with at least one paid order of the customer;
  repeat rates and gaps are measured on purchase days, so two orders on one day are one
  purchase;
- an order's **rank** is its place among the customer's paid orders (by time, then
  order id) over the whole history, whatever the period shown: the 1st is the first
  order, every later one is a repeat order;
- **basket** = ``net_amount`` of one order (after discounts and refunds);
- **tenure** of an order = time since the customer's first paid order day, in calendar
  months (an order 3 months to the day after the first is in "3-6 months").
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd

from clv.metrics.filters import (
    NO_FILTERS,
    Filters,
    base_ctes,
    date_clause,
    observation_end,
    order_filter_sql,
)

#: Repeat-order basket premium quoted for the market (repeat customers spend ~33 % more).
MARKET_REPEAT_BASKET_UPLIFT = 0.33

#: Share of French e-commerce revenue from existing customers, quoted for the market.
MARKET_EXISTING_REVENUE_SHARE = 0.65

RANKS: tuple[str, ...] = ("1st", "2nd", "3rd", "4th+")

#: Tenure bands and their bounds in months, [low, high).
TENURE_BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("0-3 months", 0, 3),
    ("3-6 months", 3, 6),
    ("6-12 months", 6, 12),
    ("12-24 months", 12, 24),
    ("24+ months", 24, None),
)


def _empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})


def _check_windows(windows: Sequence[int]) -> list[int]:
    out = []
    for window in windows:
        if isinstance(window, bool) or not isinstance(window, int | np.integer) or window < 1:
            raise ValueError(
                f"Repeat-purchase windows are whole numbers of days above 0, got {window!r}."
            )
        out.append(int(window))
    if not out or len(set(out)) != len(out):
        raise ValueError("Give one or more different repeat-purchase windows, e.g. 30, 60, 90.")
    return out


def repeat_rates(
    cur: duckdb.DuckDBPyConnection,
    filters: Filters = NO_FILTERS,
    windows: Sequence[int] = (30, 60, 90),
) -> pd.DataFrame:
    """Share of each monthly cohort's new customers who buy again within N days.

    A new customer repeats within N days when their second purchase day is at most N
    days after the first. A cohort is measured for N only when every one of its
    customers has been observed for N days: the cohort month's last day + N <= the
    observation end; otherwise the rate is NaN (too young to measure).

    Parameters
    ----------
    cur : a cursor on the store.
    filters : cohorts by first day, channels, customers; ``end`` is the observation end.
    windows : the N, in days.

    Returns
    -------
    DataFrame with ``cohort_month`` (datetime64), ``new_customers`` (int) and one
    ``rate_<N>`` column (0..1 or NaN) per window.
    """
    days = _check_windows(windows)
    columns = ["cohort_month", "new_customers", *[f"rate_{n}" for n in days]]
    end = observation_end(cur, filters)
    if end is None:
        return _empty(columns)
    base, params = base_ctes(cur, filters, end)
    dates, date_params = date_clause("k.first_day", filters, end)
    rates = ",\n".join(
        f"CASE WHEN last_day(cohort_month) + ?::INTEGER <= ?::DATE "
        f"THEN avg(CASE WHEN date_diff('day', first_day, second_day) <= ? THEN 1.0 ELSE 0.0 END) "
        f'END AS "rate_{n}"'
        for n in days
    )
    rate_params: list[object] = []
    for n in days:
        rate_params += [n, end, n]
    sql = f"""{base},
cohort AS (
    SELECT k.customer_id, k.cohort_month, k.first_day, k.second_day
    FROM kept k
    WHERE k.first_day IS NOT NULL{dates}
)
SELECT cohort_month, count(*) AS new_customers,
{rates}
FROM cohort
GROUP BY cohort_month
ORDER BY cohort_month
"""  # noqa: S608 (fixed pieces; values are parameters)
    frame = cur.execute(sql, [*params, *date_params, *rate_params]).df()
    if frame.empty:
        return _empty(columns)
    frame["cohort_month"] = pd.to_datetime(frame["cohort_month"])
    frame["new_customers"] = frame["new_customers"].astype(np.int64)
    for n in days:
        frame[f"rate_{n}"] = frame[f"rate_{n}"].astype(float)
    return frame[columns]


def time_between_orders(
    cur: duckdb.DuckDBPyConnection, filters: Filters = NO_FILTERS
) -> pd.DataFrame:
    """Distribution of the days between two consecutive purchase days of a customer.

    Parameters
    ----------
    cur : a cursor on the store.
    filters : channels and customers; ``start``/``end`` keep the gaps whose later
        purchase day is in the period (the earlier one may be before it).

    Returns
    -------
    DataFrame with ``gap_days`` (int, at least 1) and ``repeat_purchases`` (how many
    gaps have that length), sorted by ``gap_days``: a histogram, one row per distinct
    gap, small whatever the number of orders. See :func:`median_gap_days`.
    """
    columns = ["gap_days", "repeat_purchases"]
    end = observation_end(cur, filters)
    if end is None:
        return _empty(columns)
    base, params = base_ctes(cur, filters, end)
    # The gap sits on the first order of the later purchase day, so the period applies to
    # that order's day.
    where, where_params = order_filter_sql(filters, end, alias="p")
    sql = f"""{base}
SELECT p.day_gap AS gap_days, count(*) AS repeat_purchases
FROM paid p
WHERE p.day_gap IS NOT NULL AND {where}
GROUP BY 1
ORDER BY 1
"""  # noqa: S608 (fixed pieces; values are parameters)
    frame = cur.execute(sql, [*params, *where_params]).df()
    if frame.empty:
        return _empty(columns)
    return frame.astype({"gap_days": np.int64, "repeat_purchases": np.int64})[columns]


def median_gap_days(distribution: pd.DataFrame) -> float | None:
    """Median of a :func:`time_between_orders` histogram (``None`` when it is empty).

    The ordinary median of the gaps the histogram counts: the middle gap, or the mean of
    the two middle gaps when their number is even.
    """
    if distribution.empty or distribution["repeat_purchases"].sum() == 0:
        return None
    values = distribution["gap_days"].to_numpy(dtype=float)
    counts = distribution["repeat_purchases"].to_numpy(dtype=np.int64)
    order = np.argsort(values, kind="stable")
    values, cumulative = values[order], np.cumsum(counts[order])
    total = int(cumulative[-1])
    # 0-based positions of the middle element(s) in the sorted list of all gaps.
    low = values[np.searchsorted(cumulative, (total - 1) // 2, side="right")]
    high = values[np.searchsorted(cumulative, total // 2, side="right")]
    return float((low + high) / 2)


def _ranked_orders_sql(
    cur: duckdb.DuckDBPyConnection, filters: Filters, end: dt.date
) -> tuple[str, list[object]]:
    """Kept customers' paid orders in the period, with rank and tenure band index."""
    base, params = base_ctes(cur, filters, end)
    where, where_params = order_filter_sql(filters, end, alias="r")
    sql = f"""{base},
ranked AS (
    SELECT p.* FROM paid p
),
in_period AS (
    SELECT r.* FROM ranked r WHERE {where}
)"""  # noqa: S608 (fixed pieces; values are parameters)
    return sql, [*params, *where_params]


def basket_by_rank(cur: duckdb.DuckDBPyConnection, filters: Filters = NO_FILTERS) -> pd.DataFrame:
    """Average basket of 1st, 2nd, 3rd and later orders.

    Parameters
    ----------
    cur : a cursor on the store.
    filters : orders placed in the period by kept customers (ranks count the whole
        history).

    Returns
    -------
    DataFrame with the four ranks of :data:`RANKS` in order: ``rank``, ``orders`` (int)
    and ``average_basket`` (mean ``net_amount``; NaN without orders).
    """
    columns = ["rank", "orders", "average_basket"]
    end = observation_end(cur, filters)
    out = pd.DataFrame({"rank": list(RANKS), "orders": 0, "average_basket": math.nan})
    if end is None:
        return out[columns]
    ranked, params = _ranked_orders_sql(cur, filters, end)
    sql = (
        ranked
        + """
SELECT least(order_rank, 4) AS position, count(*) AS orders, avg(net_amount) AS average_basket
FROM in_period
GROUP BY 1
"""
    )
    counts = cur.execute(sql, params).df()
    for row in counts.itertuples(index=False):
        out.loc[int(row.position) - 1, ["orders", "average_basket"]] = [
            int(row.orders),
            float(row.average_basket),
        ]
    out["orders"] = out["orders"].astype(np.int64)
    out["average_basket"] = out["average_basket"].astype(float)
    return out[columns]


@dataclass(frozen=True)
class BasketComparison:
    """First orders against repeat orders.

    Attributes
    ----------
    first_basket, repeat_basket : average basket of first and of repeat (2nd and later)
        orders; ``None`` without such orders.
    difference : repeat / first - 1 (0.33 means repeat baskets are 33 % larger);
        ``None`` when either basket is unknown or the first is 0.
    first_orders, repeat_orders : the numbers of orders behind the averages.
    market_difference : the market figure to show beside it
        (:data:`MARKET_REPEAT_BASKET_UPLIFT`).
    """

    first_basket: float | None
    repeat_basket: float | None
    difference: float | None
    first_orders: int
    repeat_orders: int
    market_difference: float = MARKET_REPEAT_BASKET_UPLIFT


def first_vs_repeat_basket(
    cur: duckdb.DuckDBPyConnection, filters: Filters = NO_FILTERS
) -> BasketComparison:
    """Average basket of first orders against repeat orders (see :func:`basket_by_rank`)."""
    return basket_comparison(basket_by_rank(cur, filters))


def basket_comparison(ranks: pd.DataFrame) -> BasketComparison:
    """:func:`first_vs_repeat_basket` folded from a :func:`basket_by_rank` table (the page
    reads that table once for both)."""
    first = ranks.iloc[0]
    repeat = ranks.iloc[1:]
    repeat = repeat[repeat["orders"] > 0]
    first_orders = int(first["orders"])
    repeat_orders = int(repeat["orders"].sum())
    first_basket = float(first["average_basket"]) if first_orders else None
    repeat_basket = (
        float((repeat["orders"] * repeat["average_basket"]).sum() / repeat_orders)
        if repeat_orders
        else None
    )
    difference = (
        repeat_basket / first_basket - 1 if first_basket and repeat_basket is not None else None
    )
    return BasketComparison(first_basket, repeat_basket, difference, first_orders, repeat_orders)


def basket_by_tenure(cur: duckdb.DuckDBPyConnection, filters: Filters = NO_FILTERS) -> pd.DataFrame:
    """Average basket by the customer's tenure when ordering.

    Parameters
    ----------
    cur : a cursor on the store.
    filters : orders placed in the period by kept customers.

    Returns
    -------
    DataFrame with the bands of :data:`TENURE_BANDS` in order: ``tenure_band``,
    ``orders`` (int) and ``average_basket`` (NaN without orders). First orders are in
    "0-3 months".
    """
    columns = ["tenure_band", "orders", "average_basket"]
    out = pd.DataFrame(
        {"tenure_band": [b[0] for b in TENURE_BANDS], "orders": 0, "average_basket": math.nan}
    )
    end = observation_end(cur, filters)
    if end is None:
        return out[columns]
    ranked, params = _ranked_orders_sql(cur, filters, end)
    # Band i holds orders placed before first_day + upper bound of band i.
    cases = "\n".join(
        f"WHEN day < first_day + INTERVAL {int(high)} MONTH THEN {i}"
        for i, (_, _, high) in enumerate(TENURE_BANDS)
        if high is not None
    )
    sql = f"""{ranked}
SELECT CASE {cases} ELSE {len(TENURE_BANDS) - 1} END AS band,
       count(*) AS orders, avg(net_amount) AS average_basket
FROM in_period
GROUP BY 1
"""  # noqa: S608 (fixed pieces; values are parameters)
    for row in cur.execute(sql, params).df().itertuples(index=False):
        out.loc[int(row.band), ["orders", "average_basket"]] = [
            int(row.orders),
            float(row.average_basket),
        ]
    out["orders"] = out["orders"].astype(np.int64)
    out["average_basket"] = out["average_basket"].astype(float)
    return out[columns]


def revenue_split_by_month(
    cur: duckdb.DuckDBPyConnection, filters: Filters = NO_FILTERS
) -> pd.DataFrame:
    """Net revenue of new against existing customers, month by month.

    An order is from a new customer when it is the customer's first paid order (rank
    1), from an existing customer otherwise; guest orders are in neither.

    Parameters
    ----------
    cur : a cursor on the store.
    filters : orders placed in the period by kept customers.

    Returns
    -------
    DataFrame with ``month`` (datetime64), ``new_revenue``, ``existing_revenue`` and
    ``existing_share`` = existing / (new + existing) (NaN when both are 0); compare with
    :data:`MARKET_EXISTING_REVENUE_SHARE`. See :func:`existing_revenue_share` for the
    whole period.
    """
    columns = ["month", "new_revenue", "existing_revenue", "existing_share"]
    end = observation_end(cur, filters)
    if end is None:
        return _empty(columns)
    ranked, params = _ranked_orders_sql(cur, filters, end)
    sql = (
        ranked
        + """
SELECT date_trunc('month', day)::DATE AS month,
       coalesce(sum(net_amount) FILTER (WHERE order_rank = 1), 0.0) AS new_revenue,
       coalesce(sum(net_amount) FILTER (WHERE order_rank > 1), 0.0) AS existing_revenue
FROM in_period
GROUP BY 1
ORDER BY 1
"""
    )
    frame = cur.execute(sql, params).df()
    if frame.empty:
        return _empty(columns)
    frame["month"] = pd.to_datetime(frame["month"])
    total = frame["new_revenue"] + frame["existing_revenue"]
    frame["existing_share"] = frame["existing_revenue"] / total.where(total != 0)
    return frame[columns]


def existing_revenue_share(split: pd.DataFrame) -> float | None:
    """Share of existing customers in the revenue of a whole :func:`revenue_split_by_month`
    result (``None`` when there is no revenue)."""
    if split.empty:
        return None
    existing = float(split["existing_revenue"].sum())
    total = existing + float(split["new_revenue"].sum())
    return existing / total if total else None


# -- the page's one data call ---------------------------------------------------------------


@dataclass(frozen=True)
class LoyaltyFigures:
    """Everything the Loyalty page shows (see :func:`loyalty_figures`)."""

    repeat_rates: pd.DataFrame
    basket_by_rank: pd.DataFrame
    basket: BasketComparison
    revenue_split: pd.DataFrame
    existing_share: float | None
    gaps: pd.DataFrame
    median_gap_days: float | None
    basket_by_tenure: pd.DataFrame


def loyalty_figures(
    cur: duckdb.DuckDBPyConnection,
    filters: Filters = NO_FILTERS,
    windows: Sequence[int] = (30, 60, 90),
) -> LoyaltyFigures:
    """The Loyalty page's figures in one call: :func:`repeat_rates` over ``windows``,
    :func:`basket_by_rank` (and the first-vs-repeat comparison folded from it),
    :func:`revenue_split_by_month` and :func:`existing_revenue_share`,
    :func:`time_between_orders` and its median, :func:`basket_by_tenure`; each query once.
    """
    ranks = basket_by_rank(cur, filters)
    split = revenue_split_by_month(cur, filters)
    gaps = time_between_orders(cur, filters)
    return LoyaltyFigures(
        repeat_rates=repeat_rates(cur, filters, windows=windows),
        basket_by_rank=ranks,
        basket=basket_comparison(ranks),
        revenue_split=split,
        existing_share=existing_revenue_share(split),
        gaps=gaps,
        median_gap_days=median_gap_days(gaps),
        basket_by_tenure=basket_by_tenure(cur, filters),
    )

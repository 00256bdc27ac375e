"""Retention: monthly acquisition cohorts, churn under an explicit rule, survival curves.

Definitions (the shared ones are in :mod:`clv.metrics.filters`; guest orders are never counted):

- a customer's **cohort** is the calendar month of their first paid order; **month k** of
  a cohort is the k-th calendar month after it (month 0 is the cohort month itself);
- a cohort cell is shown only when its month is **fully observed**: on or before the last
  complete month up to the observation end (:func:`clv.metrics.filters.last_complete_month`);
- a customer is **churned** after ``churn_days`` days without a paid order: at the
  observation end ``E``, churned means the last paid order day is on or before
  ``E - churn_days``. Only customers whose first paid order is on or before
  ``E - churn_days`` can be judged (younger customers have not had the chance to lapse).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd

from clv.metrics.filters import (
    NO_FILTERS,
    Filters,
    base_ctes,
    date_clause,
    kept_clause,
    last_complete_month,
    observation_end,
    sort_groups,
)
from clv.store import derived
from clv.valuation import values
from clv.valuation.tiers import TIERS

#: Proposed churn window when no customer has bought twice (nothing to learn from).
FALLBACK_CHURN_DAYS = 180

#: Percentile of the gaps between consecutive purchase days used by default_churn_days.
CHURN_GAP_PERCENTILE = 0.9

GROUPINGS = ("cohort", "channel", "tier")

_GRID_COLUMNS = [
    "cohort_month",
    "channel",
    "months_since_first",
    "customers_in_cohort",
    "active_customers",
    "margin",
    "cumulative_margin",
]


def _empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})


def cohort_grid(
    cur: duckdb.DuckDBPyConnection,
    filters: Filters = NO_FILTERS,
    margin_rate: float | None = None,
    *,
    by_channel: bool = False,
) -> pd.DataFrame:
    """Every fully observed (cohort, month since first order) cell with its counts.

    Parameters
    ----------
    cur : a cursor on the store.
    filters : channels and customers kept; ``start``/``end`` select cohorts by first day
        (``end`` also caps the observation).
    margin_rate : margin rate for orders without a cost (see
        :func:`clv.valuation.historical.margin_sql`).
    by_channel : split each cohort by acquisition channel.

    Returns
    -------
    DataFrame, one row per cell including cells where nobody ordered, sorted:

    - ``cohort_month`` (datetime64, first day of the month);
    - ``channel`` (acquisition channel; missing for all when ``by_channel`` is False, or
      for customers whose channel is unknown);
    - ``months_since_first`` (int, 0 = the cohort month);
    - ``customers_in_cohort`` (int);
    - ``active_customers`` (int): customers of the cohort with a paid order in that month;
    - ``margin`` (float): gross margin of their paid orders in that month;
    - ``cumulative_margin`` (float): margin from month 0 to this month; NaN from the
      first month that has an order whose margin is unknown (no cost and no rate).
    """
    end = observation_end(cur, filters)
    if end is None:
        return _empty(_GRID_COLUMNS)
    last_month = last_complete_month(end)
    base, params = base_ctes(cur, filters, end, margin_rate=margin_rate)
    dates, date_params = date_clause("first_day", filters, end)
    channel = "channel" if by_channel else "NULL::VARCHAR"
    # A month's margin from the per-customer month totals (clv.store.derived): orders with a
    # cost give net - cost, the others net x rate, or an unknown margin without a rate.
    # Only whole months are read, so every order counted is on or before ``end``.
    if margin_rate is None:
        month_margin, unknown, rate_params = (
            "CAST(cost_margin AS DOUBLE)",
            "orders_without_cost",
            [],
        )
    else:
        month_margin = (
            "coalesce(CAST(cost_margin AS DOUBLE), 0.0) "
            "+ coalesce(CAST(net_without_cost AS DOUBLE), 0.0) * ?"
        )
        unknown, rate_params = "0", [float(margin_rate)]
    # The month rows carry each customer's cohort and channel: no join with the customers
    # unless some are chosen (kept_clause).
    m_channel = "m.channel" if by_channel else "NULL::VARCHAR"
    m_dates, _ = date_clause("m.first_day", filters, end)
    kept_filter, kept_params = kept_clause(filters, "m", "channel")
    sql = f"""{base},
cohorts AS (
    SELECT customer_id, cohort_month, {channel} AS channel
    FROM kept
    WHERE first_day IS NOT NULL AND cohort_month <= ?{dates}
),
sizes AS (
    SELECT cohort_month, channel, count(*) AS customers_in_cohort
    FROM cohorts
    GROUP BY ALL
),
grid AS (
    SELECT cohort_month, channel, customers_in_cohort,
           unnest(range(0, date_diff('month', cohort_month, ?::DATE) + 1)) AS months_since_first
    FROM sizes
),
activity AS (
    SELECT m.cohort_month, {m_channel} AS channel,
           date_diff('month', m.cohort_month, m.month) AS months_since_first,
           count(*) AS active_customers,
           sum({month_margin}) AS margin,
           sum({unknown}) AS unknown_margin
    FROM {derived.MONTHS_TABLE} m
    WHERE m.month <= ?{m_dates}{kept_filter}
      AND m.customer_id NOT IN (SELECT customer_id FROM refused)
    GROUP BY ALL
),
cells AS (
    SELECT g.cohort_month, g.channel, g.months_since_first, g.customers_in_cohort,
           coalesce(a.active_customers, 0) AS active_customers,
           coalesce(a.margin, 0.0) AS margin,
           coalesce(a.unknown_margin, 0) AS unknown_margin
    FROM grid g
    LEFT JOIN activity a
      ON a.cohort_month = g.cohort_month
     AND a.channel IS NOT DISTINCT FROM g.channel
     AND a.months_since_first = g.months_since_first
)
SELECT cohort_month, channel, months_since_first, customers_in_cohort, active_customers,
       margin,
       CASE WHEN sum(unknown_margin) OVER w = 0 THEN sum(margin) OVER w END
           AS cumulative_margin
FROM cells
WINDOW w AS (PARTITION BY cohort_month, channel ORDER BY months_since_first)
ORDER BY cohort_month, channel NULLS LAST, months_since_first
"""  # noqa: S608 (fixed pieces; values are parameters)
    frame = cur.execute(
        sql,
        [
            *params,
            *[last_month, *date_params, last_month],
            *[*rate_params, last_month, *date_params, *kept_params],
        ],
    ).df()
    if frame.empty:
        return _empty(_GRID_COLUMNS)
    for column in ("months_since_first", "customers_in_cohort", "active_customers"):
        frame[column] = frame[column].astype(np.int64)
    for column in ("margin", "cumulative_margin"):
        frame[column] = frame[column].astype(float)
    frame["cohort_month"] = pd.to_datetime(frame["cohort_month"])
    return frame[_GRID_COLUMNS]


def cohort_retention(cur: duckdb.DuckDBPyConnection, filters: Filters = NO_FILTERS) -> pd.DataFrame:
    """Share of each monthly cohort that orders in each month since its first order.

    Parameters
    ----------
    cur : a cursor on the store.
    filters : cohorts by first day (``start``/``end``), channels, customers.

    Returns
    -------
    DataFrame (the heatmap's cells, only fully observed months) with ``cohort_month``
    (datetime64), ``months_since_first`` (int), ``customers_in_cohort``,
    ``active_customers`` (int) and ``retention`` = active / cohort size (0..1; 1 in
    month 0 by construction).
    """
    grid = cohort_grid(cur, filters)
    columns = [
        "cohort_month",
        "months_since_first",
        "customers_in_cohort",
        "active_customers",
        "retention",
    ]
    if grid.empty:
        return _empty(columns)
    grid["retention"] = grid["active_customers"] / grid["customers_in_cohort"]
    return grid[columns]


def cumulative_margin_by_cohort(
    cur: duckdb.DuckDBPyConnection,
    filters: Filters = NO_FILTERS,
    margin_rate: float | None = None,
) -> pd.DataFrame:
    """Cumulative gross margin per customer of each cohort, month by month (the curves).

    Parameters
    ----------
    cur : a cursor on the store.
    filters : as in :func:`cohort_retention`.
    margin_rate : margin rate for orders without a cost (0..1); without it, such orders
        make the curve unknown (NaN) from their month on.

    Returns
    -------
    DataFrame with ``cohort_month``, ``months_since_first``, ``customers_in_cohort``,
    ``margin`` (the month's margin), ``cumulative_margin`` and
    ``cumulative_margin_per_customer`` (= cumulative margin / cohort size).
    """
    grid = cohort_grid(cur, filters, margin_rate)
    columns = [
        "cohort_month",
        "months_since_first",
        "customers_in_cohort",
        "margin",
        "cumulative_margin",
        "cumulative_margin_per_customer",
    ]
    if grid.empty:
        return _empty(columns)
    grid["cumulative_margin_per_customer"] = grid["cumulative_margin"] / grid["customers_in_cohort"]
    return grid[columns]


def default_churn_days(cur: duckdb.DuckDBPyConnection) -> int:
    """Churn window proposed from the shop's own rhythm of purchases.

    Rule: take every gap, in days, between two consecutive purchase days of the same
    customer (paid orders of known customers; several orders on one day are one
    purchase day); the 90th percentile of these gaps (linear interpolation, as
    ``numpy.quantile``) rounded **up** to a multiple of 30 days, at least 30. Nine
    repeat purchases in ten come sooner than that after the previous one, so a customer
    silent for longer has probably left. Without any repeat purchase,
    :data:`FALLBACK_CHURN_DAYS` (180).

    Returns
    -------
    The window in days (a multiple of 30).
    """
    derived.ensure(cur)
    value = cur.execute(
        f"SELECT quantile_cont(day_gap, ?) FROM {derived.PAID_TABLE} "  # noqa: S608 (fixed name)
        "WHERE day_gap IS NOT NULL",
        [CHURN_GAP_PERCENTILE],
    ).fetchall()[0][0]
    if value is None:
        return FALLBACK_CHURN_DAYS
    return max(30, int(math.ceil(float(value) / 30.0)) * 30)


def _check_churn_days(churn_days: int) -> int:
    try:
        days = int(churn_days)
    except (TypeError, ValueError):
        days = 0
    if days < 1 or days != churn_days:
        raise ValueError(
            f"The churn window {churn_days!r} is not a whole number of days above 0; "
            "give e.g. 90 or 180."
        )
    return days


def _check_by(by: str, allowed: tuple[str, ...], valuation: str | None) -> None:
    if by not in allowed:
        raise ValueError(f"Cannot group by {by!r}; choose one of {', '.join(allowed)}.")
    if by == "tier" and valuation is None:
        raise ValueError("Grouping by tier needs a valuation (the key of its stored tiers).")


def _customer_lifetimes_sql(
    cur: duckdb.DuckDBPyConnection,
    filters: Filters,
    end: dt.date,
    by: str,
    valuation: str | None,
) -> tuple[str, list[object]]:
    """SELECT of one row per kept customer: group, first_day, last_day (cohorts by filter)."""
    base, params = base_ctes(cur, filters, end)
    dates, date_params = date_clause("k.first_day", filters, end)
    group = {"cohort": "k.cohort_month", "channel": "k.channel", "tier": "t.tier"}[by]
    tier_cte, tier_join, tier_params = "", "", []
    if by == "tier":
        tier_cte = (
            f"tier_of AS (SELECT customer_id, tier FROM {values.TABLE} "  # noqa: S608
            "WHERE valuation_key = ?),"
        )
        tier_join = "JOIN tier_of t ON t.customer_id = k.customer_id"
        tier_params = [valuation]
    sql = f"""{base},
{tier_cte}
lifetimes AS (
    SELECT {group} AS grp, k.first_day, k.final_day AS last_day
    FROM kept k
    {tier_join}
    WHERE k.final_day IS NOT NULL{dates}
    UNION ALL
    -- customers who bought again after the end: their last day up to it
    SELECT {group} AS grp, k.first_day, max(p.day) AS last_day
    FROM kept k
    JOIN paid p ON p.customer_id = k.customer_id
    {tier_join}
    WHERE k.first_day IS NOT NULL AND k.final_day IS NULL{dates}
    GROUP BY k.customer_id, grp, k.first_day
)"""  # noqa: S608 (fixed pieces; values are parameters)
    return sql, [*params, *tier_params, *date_params, *date_params]


def churn_rates(
    cur: duckdb.DuckDBPyConnection,
    churn_days: int,
    filters: Filters = NO_FILTERS,
    by: str = "cohort",
    valuation: str | None = None,
) -> pd.DataFrame:
    """Churn rate per cohort, acquisition channel or value tier, at the observation end.

    Parameters
    ----------
    cur : a cursor on the store.
    churn_days : a customer without a paid order for this many days is churned (see the
        module docstring for the exact rule).
    filters : cohorts by first day, channels, customers; ``end`` is the observation end.
    by : ``"cohort"`` (first-order month), ``"channel"`` or ``"tier"``.
    valuation : key of the stored valuation whose tiers group the customers, needed for
        ``by="tier"``; customers without a tier are left out.

    Returns
    -------
    DataFrame with ``group`` (the cohort month as datetime64, the channel or the tier;
    missing for an unknown channel), ``customers`` (judged: first order at least
    ``churn_days`` before the end), ``churned`` and ``churn_rate`` (churned / customers).
    Groups whose customers are all too recent are absent.
    """
    days = _check_churn_days(churn_days)
    _check_by(by, GROUPINGS, valuation)
    columns = ["group", "customers", "churned", "churn_rate"]
    end = observation_end(cur, filters)
    if end is None:
        return _empty(columns)
    cutoff = end - dt.timedelta(days=days)
    lifetimes, params = _customer_lifetimes_sql(cur, filters, end, by, valuation)
    sql = (
        lifetimes
        + """
SELECT grp AS "group", count(*) AS customers,
       count(*) FILTER (WHERE last_day <= ?) AS churned
FROM lifetimes
WHERE first_day <= ?
GROUP BY grp
"""
    )
    frame = cur.execute(sql, [*params, cutoff, cutoff]).df()
    if frame.empty:
        return _empty(columns)
    frame["customers"] = frame["customers"].astype(np.int64)
    frame["churned"] = frame["churned"].astype(np.int64)
    frame["churn_rate"] = frame["churned"] / frame["customers"]
    if by == "cohort":
        frame["group"] = pd.to_datetime(frame["group"])
    return sort_groups(frame[columns], TIERS if by == "tier" else None)


def kaplan_meier(
    durations: np.ndarray | list[float],
    events: np.ndarray | list[bool],
    weights: np.ndarray | list[float] | None = None,
) -> pd.DataFrame:
    """Kaplan–Meier estimate of the survival function.

    At each distinct time ``t`` with ``n`` subjects still at risk (duration >= t; those
    censored at ``t`` count as at risk at ``t``) and ``d`` events at ``t``, survival is
    multiplied by ``1 - d / n``.

    Parameters
    ----------
    durations : time of the event or of censoring, per subject (or per group of
        identical subjects, see ``weights``).
    events : True where the event was observed, False where censored.
    weights : number of subjects each row stands for (default 1).

    Returns
    -------
    DataFrame with one row per distinct time (plus time 0 when no subject has it):
    ``days``, ``at_risk``, ``events``, ``censored`` and ``survival`` (the estimate just
    after that time).
    """
    time = np.asarray(durations, dtype=float)
    event = np.asarray(events, dtype=bool)
    weight = np.ones_like(time) if weights is None else np.asarray(weights, dtype=float)
    if not (time.shape == event.shape == weight.shape):
        raise ValueError("durations, events and weights must have the same length.")
    if time.size and (np.isnan(time).any() or (time < 0).any()):
        raise ValueError("Durations must be numbers of at least 0.")
    times, inverse = np.unique(time, return_inverse=True)
    deaths = np.bincount(inverse, weights=weight * event, minlength=times.size)
    removed = np.bincount(inverse, weights=weight, minlength=times.size)
    at_risk = weight.sum() - np.concatenate([[0.0], np.cumsum(removed)[:-1]])
    with np.errstate(divide="ignore", invalid="ignore"):
        factor = np.where(at_risk > 0, 1.0 - deaths / at_risk, 1.0)
    survival = np.cumprod(factor)
    out = pd.DataFrame(
        {
            "days": times,
            "at_risk": at_risk,
            "events": deaths,
            "censored": removed - deaths,
            "survival": survival,
        }
    )
    if times.size == 0 or times[0] > 0:
        start = pd.DataFrame(
            {
                "days": [0.0],
                "at_risk": [weight.sum()],
                "events": [0.0],
                "censored": [0.0],
                "survival": [1.0],
            }
        )
        out = pd.concat([start, out], ignore_index=True)
    return out


def survival_curves(
    cur: duckdb.DuckDBPyConnection,
    churn_days: int,
    filters: Filters = NO_FILTERS,
    by: str = "channel",
    valuation: str | None = None,
) -> pd.DataFrame:
    """Kaplan–Meier survival of customers per acquisition channel or value tier.

    A customer's time runs from their first paid order. A churned customer (see the
    module docstring) has the event at ``last order day + churn_days`` — the day the
    rule declares them gone; a customer still active is censored at the observation
    end. Every customer counts, however recent (censoring handles the young ones).

    Parameters
    ----------
    cur : a cursor on the store.
    churn_days : the churn window in days.
    filters : cohorts by first day, channels, customers; ``end`` is the observation end.
    by : ``"channel"``, ``"tier"`` or ``"cohort"``.
    valuation : key of the stored valuation whose tiers group the customers, needed for
        ``by="tier"`` (customers without a tier left out).

    Returns
    -------
    DataFrame with ``group``, ``days`` (since the first order), ``survival`` (share
    still active, 0..1) and ``at_risk`` (customers still followed at that time), one row
    per distinct time of each group plus day 0.
    """
    days = _check_churn_days(churn_days)
    _check_by(by, GROUPINGS, valuation)
    columns = ["group", "days", "survival", "at_risk"]
    end = observation_end(cur, filters)
    if end is None:
        return _empty(columns)
    cutoff = end - dt.timedelta(days=days)
    lifetimes, params = _customer_lifetimes_sql(cur, filters, end, by, valuation)
    sql = (
        lifetimes
        + """
SELECT grp AS "group",
       CASE WHEN last_day <= ? THEN date_diff('day', first_day, last_day) + ?
            ELSE date_diff('day', first_day, ?::DATE) END AS days,
       last_day <= ? AS churned,
       count(*) AS customers
FROM lifetimes
GROUP BY ALL
"""
    )
    counts = cur.execute(sql, [*params, cutoff, days, end, cutoff]).df()
    if counts.empty:
        return _empty(columns)
    pieces = []
    for group, rows in counts.groupby("group", dropna=False, sort=False):
        curve = kaplan_meier(rows["days"], rows["churned"], rows["customers"])
        curve.insert(0, "group", None if pd.isna(group) else group)
        pieces.append(curve[columns])
    out = pd.concat(pieces, ignore_index=True)
    if by == "cohort":
        out["group"] = pd.to_datetime(out["group"])
    return sort_groups(out, TIERS if by == "tier" else None)


@dataclass(frozen=True)
class PooledRetention:
    """Retention in one month since the first order, over every cohort observed that long.

    Attributes
    ----------
    month : months since the first order (1 = the month after the cohort month).
    rate : ``active / customers`` (0..1).
    active : customers of those cohorts who ordered in that month of their life.
    customers : customers of those cohorts.
    cohorts : how many cohorts count.
    first_cohort, last_cohort : first day of the oldest and of the youngest counted cohort.
    """

    month: int
    rate: float
    active: int
    customers: int
    cohorts: int
    first_cohort: dt.date
    last_cohort: dt.date


def pooled_retention(retention: pd.DataFrame, month: int) -> PooledRetention | None:
    """Share of customers ordering in their ``month``-th month, pooled over the cohorts
    whose month is fully observed.

    Cohorts too young for that month have no cell in :func:`clv.metrics.retention.cohort_retention`,
    so they are left out; each counted cohort weighs by its size (customers are pooled,
    not cohort rates averaged).

    Parameters
    ----------
    retention : :func:`clv.metrics.retention.cohort_retention` (``cohort_month``,
        ``months_since_first``, ``customers_in_cohort``, ``active_customers``).
    month : months since the first order.

    Returns
    -------
    :class:`PooledRetention`, or ``None`` when no cohort is old enough (or all are empty).
    """
    cells = retention[retention["months_since_first"] == month]
    customers = int(cells["customers_in_cohort"].sum()) if not cells.empty else 0
    if customers == 0:
        return None
    active = int(cells["active_customers"].sum())
    cohorts = pd.to_datetime(cells["cohort_month"])
    return PooledRetention(
        month=month,
        rate=active / customers,
        active=active,
        customers=customers,
        cohorts=int(cohorts.nunique()),
        first_cohort=cohorts.min().date(),
        last_cohort=cohorts.max().date(),
    )


# -- the page's one data call ---------------------------------------------------------------


@dataclass(frozen=True)
class RetentionFigures:
    """What the Retention page shows above its survival curves (see
    :func:`retention_figures`)."""

    churn_by_cohort: pd.DataFrame
    retention: pd.DataFrame
    margin: pd.DataFrame
    churn_by_tier: pd.DataFrame | None


def retention_figures(
    cur: duckdb.DuckDBPyConnection,
    churn_days: int,
    filters: Filters = NO_FILTERS,
    margin_rate: float | None = None,
    valuation: str | None = None,
) -> RetentionFigures:
    """The Retention page's figures in one call: :func:`churn_rates` by cohort (and by
    tier when ``valuation`` names a stored valuation), :func:`cohort_retention` and
    :func:`cumulative_margin_by_cohort`. The survival curves follow a choice on the page
    and stay a call of their own (:func:`survival_curves`)."""
    return RetentionFigures(
        churn_by_cohort=churn_rates(cur, churn_days, filters, by="cohort"),
        retention=cohort_retention(cur, filters),
        margin=cumulative_margin_by_cohort(cur, filters, margin_rate=margin_rate),
        churn_by_tier=(
            None
            if valuation is None
            else churn_rates(cur, churn_days, filters, by="tier", valuation=valuation)
        ),
    )

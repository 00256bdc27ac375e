"""Per-customer purchase summaries (frequency, recency, T, monetary value) in DuckDB SQL.

The vocabulary is lifetimes': for each customer,

- a **purchase period** is a calendar day (UTC): orders of the same customer on the same
  day are merged into one purchase whose value is their sum;
- ``frequency`` = distinct purchase days - 1 (the *repeat* purchases);
- ``recency`` = last purchase day - first purchase day, in time units;
- ``T`` = observation end - first purchase day, in time units;
- ``monetary_value`` = mean value of the repeat purchase days (the first day excluded),
  0 when ``frequency`` is 0.

Time differences are whole calendar days divided by the unit: 1 for ``"day"``, 7 for
``"week"`` (the CDNOW weeks of Fader, Hardie & Lee 2005) and 30.4375 (= 365.25 / 12) for
``"month"``. The observation end is a day and is included: an order at 23:59 on that day
counts, one on the next day does not.

Orders that count are those with status ``'paid'`` (a partially refunded order stays
``'paid'`` with ``net_amount = gross_amount - refunded_amount``) and a ``customer_id``
(guest checkouts belong to no history); their value is ``net_amount``.

Everything per order or per customer runs in DuckDB; pandas only receives the result,
one row per customer. These definitions reproduce lifetimes'
``summary_data_from_transaction_data(..., freq="D", freq_multiplier=7)`` exactly, and
Fader & Hardie's published CDNOW summary (``x``, ``t_x``, ``T``, ``zbar``).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from clv.store import definitions, derived
from clv.store.definitions import ACQUISITION_CHANNEL_SQL, REFUSED_ANALYTICS_SQL

#: Days per time unit. Months are mean Gregorian months (365.25 / 12 days).
TIME_UNITS: dict[str, float] = {"day": 1.0, "week": 7.0, "month": 30.4375}

#: Order statuses that may be counted as purchases.
STATUSES: tuple[str, ...] = ("paid", "pending", "cancelled", "refunded", "test")

SUMMARY_COLUMNS: tuple[str, ...] = (
    "frequency",
    "recency",
    "T",
    "monetary_value",
    "first_order_at",
    "last_order_at",
    "orders",
    "net_revenue",
    "gross_margin",
    "acquisition_channel",
)

CALIBRATION_COLUMNS: tuple[str, ...] = (
    "frequency_cal",
    "recency_cal",
    "T_cal",
    "monetary_value_cal",
    "frequency_holdout",
    "monetary_value_holdout",
    "duration_holdout",
    "first_order_at",
    "acquisition_channel",
)

MarginRate = float | Mapping[str, float] | None

# The counted orders up to $end and the customers kept by the filters, shared by the
# summary and the daily purchase counts. Values reach the SQL only as named parameters.
# Customers who refused analytics are left out while the shop's consent switch is on
# (clv.compliance.gdpr).
_ORDER_DAYS_CTES = f"""
counted AS (
    SELECT order_id, customer_id, ordered_at, CAST(ordered_at AS DATE) AS day,
           net_amount, cost_amount, channel
    FROM orders
    WHERE customer_id IS NOT NULL
      AND list_contains($statuses::VARCHAR[], status)
      AND CAST(ordered_at AS DATE) <= $end::DATE
      AND customer_id NOT IN ({REFUSED_ANALYTICS_SQL})
),
-- One row per customer and purchase day: the day's value, orders and margin parts
-- (decimal sums, exact), so that every per-customer figure below is one more GROUP BY
-- of these rows (no DISTINCT count, no second pass over the orders).
purchase_days AS (
    SELECT customer_id, day,
           sum(net_amount) AS day_value,
           count(*) AS day_orders,
           min(ordered_at) AS first_at,
           max(ordered_at) AS last_at,
           sum(net_amount - cost_amount) AS cost_margin,
           sum(net_amount) FILTER (WHERE cost_amount IS NULL) AS net_without_cost,
           count(*) FILTER (WHERE cost_amount IS NULL) AS orders_without_cost
    FROM counted
    GROUP BY customer_id, day
),
"""  # noqa: S608 (fixed pieces; values are parameters)

# The same rows when only paid orders count (the models' default): the derived table of
# purchase days (clv.store.derived), built once per version of the data, on the
# customers' integer keys (grouping ten million rows by a number, not by a 26-character
# pseudonym, keeps the hash table in memory and takes a fraction of the time).
_DERIVED_DAYS_CTES = f"""
purchase_days AS (
    SELECT * FROM {derived.DAYS_TABLE}
    WHERE day <= $end::DATE
),
"""  # noqa: S608 (fixed pieces; values are parameters)

_PER_CUSTOMER_SQL = """
per_customer AS (
    SELECT {key},
           min(day) AS first_day,
           max(day) AS last_day,
           count(*) - 1 AS frequency,
           min(first_at) AS first_order_at,
           max(last_at) AS last_order_at,
           sum(day_orders) AS orders,
           sum(day_value) AS net_revenue,
           arg_min(day_value, day) AS first_day_value,
           sum(cost_margin) AS cost_margin,
           sum(net_without_cost) AS net_without_cost,
           sum(orders_without_cost) AS orders_without_cost
    FROM purchase_days
    GROUP BY {key}
),
chosen AS (
    SELECT p.* {exclude}, {id} AS customer_id, {id_key} AS sort_key,
           {channel} AS acquisition_channel
    FROM per_customer p
    {join} {base} b USING ({key})
    {where}
),
kept AS (
    SELECT * FROM chosen
    WHERE ($channels::VARCHAR[] IS NULL OR list_contains($channels::VARCHAR[], acquisition_channel))
      AND ($start::DATE IS NULL OR first_day >= $start::DATE)
      AND ($stop::DATE IS NULL OR first_day <= $stop::DATE)
)
"""

# Orders path: every customer of the orders is in customer_base, so the join keeps them
# all; derived path: the consent switch is applied here, where the pseudonym is known.
_PER_CUSTOMER_CTES = {
    False: _PER_CUSTOMER_SQL.format(
        key="customer_id",
        exclude="EXCLUDE (customer_id)",
        id="p.customer_id",
        id_key="p.customer_id",
        channel=ACQUISITION_CHANNEL_SQL.format("b"),
        join="LEFT JOIN",
        base=derived.TABLE,
        where="",
    ),
    True: _PER_CUSTOMER_SQL.format(
        key="customer_key",
        exclude="",
        id="b.customer_id",
        id_key="b.customer_key",
        channel=ACQUISITION_CHANNEL_SQL.format("b"),
        join="JOIN",
        base=derived.TABLE,
        where=f"WHERE b.customer_id NOT IN ({REFUSED_ANALYTICS_SQL})",
    ),
}

_SUMMARY_TAIL = """,
rates AS (
    SELECT unnest($rate_channels::VARCHAR[]) AS channel, unnest($rate_values::DOUBLE[]) AS rate
),
priced AS (
    SELECT k.*, coalesce(r.rate, $default_rate::DOUBLE) AS rate
    FROM kept k
    LEFT JOIN rates r ON r.channel = k.acquisition_channel
)
SELECT k.customer_id,
       k.frequency,
       date_diff('day', k.first_day, k.last_day) / $days_per_unit::DOUBLE AS recency,
       date_diff('day', k.first_day, $end::DATE) / $days_per_unit::DOUBLE AS "T",
       -- The mean of the repeat days: (all days - the first) / their number, exact in
       -- decimals, as avg() over those days gives it.
       CASE WHEN k.frequency > 0
            THEN CAST(k.net_revenue - k.first_day_value AS DOUBLE) / k.frequency
            ELSE 0.0 END AS monetary_value,
       k.first_order_at,
       k.last_order_at,
       k.orders,
       CAST(k.net_revenue AS DOUBLE) AS net_revenue,
       CASE WHEN k.orders_without_cost > 0 AND k.rate IS NULL THEN NULL
            ELSE coalesce(CAST(k.cost_margin AS DOUBLE), 0.0)
                 + coalesce(CAST(k.net_without_cost AS DOUBLE) * k.rate, 0.0) END AS gross_margin,
       k.acquisition_channel
FROM priced k
ORDER BY k.sort_key
"""

_DAILY_TAIL = """
SELECT d.day,
       count(*) FILTER (WHERE d.day = k.first_day) AS first_purchases,
       count(*) FILTER (WHERE d.day > k.first_day) AS repeat_purchases
FROM purchase_days d
JOIN kept k USING (__KEY__)
GROUP BY d.day
ORDER BY d.day
"""

_HOLDOUT_SQL = f"""
WITH counted AS (
    SELECT customer_id, CAST(ordered_at AS DATE) AS day, net_amount
    FROM orders
    WHERE customer_id IS NOT NULL
      AND customer_id NOT IN ({REFUSED_ANALYTICS_SQL})
      AND list_contains($statuses::VARCHAR[], status)
      AND CAST(ordered_at AS DATE) > $calibration_end::DATE
      AND CAST(ordered_at AS DATE) <= $end::DATE
),
day_values AS (
    SELECT customer_id, day, sum(net_amount) AS day_value
    FROM counted
    GROUP BY customer_id, day
)
SELECT customer_id,
       count(*) AS frequency_holdout,
       avg(day_value) AS monetary_value_holdout
FROM day_values
GROUP BY customer_id
"""  # noqa: S608 (fixed pieces; values are parameters)

_DERIVED_HOLDOUT_SQL = f"""
SELECT b.customer_id, h.frequency_holdout, h.monetary_value_holdout
FROM (
    SELECT customer_key,
           count(*) AS frequency_holdout,
           avg(day_value) AS monetary_value_holdout
    FROM {derived.DAYS_TABLE}
    WHERE day > $calibration_end::DATE AND day <= $end::DATE
    GROUP BY customer_key
) h
JOIN {derived.TABLE} b USING (customer_key)
WHERE b.customer_id NOT IN ({REFUSED_ANALYTICS_SQL})
"""  # noqa: S608 (fixed pieces; values are parameters)


def _from_derived(statuses: Sequence[str]) -> bool:
    """Whether the derived tables hold the purchases counted: they count paid orders."""
    return list(statuses) == ["paid"]


def _run(cur: duckdb.DuckDBPyConnection, sql: str, params: Mapping[str, Any]) -> pd.DataFrame:
    """``sql`` with the parameters it names (the derived variant names no statuses)."""
    return cur.execute(sql, {k: v for k, v in params.items() if f"${k}" in sql}).df()


def _with(statuses: Sequence[str], tail: str) -> str:
    """The summary's CTEs over the purchase days (derived or from the orders) + ``tail``."""
    days = _DERIVED_DAYS_CTES if _from_derived(statuses) else _ORDER_DAYS_CTES
    key = "customer_key" if _from_derived(statuses) else "customer_id"
    return (
        "WITH" + days + _PER_CUSTOMER_CTES[_from_derived(statuses)] + tail.replace("__KEY__", key)
    )


def _days_per_unit(time_unit: str) -> float:
    try:
        return TIME_UNITS[time_unit]
    except KeyError:
        raise ValueError(
            f"Unknown time unit {time_unit!r}; choose one of {', '.join(TIME_UNITS)}."
        ) from None


def _as_date(value: Any, name: str) -> dt.date:
    try:
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError):
        stamp = pd.NaT
    if pd.isna(stamp):
        raise ValueError(f"{name} {value!r} is not a date; give it as YYYY-MM-DD.")
    return stamp.date()


def _statuses(status: Sequence[str]) -> list[str]:
    chosen = [status] if isinstance(status, str) else list(status)
    unknown = [s for s in chosen if s not in STATUSES]
    if not chosen or unknown:
        raise ValueError(
            f"Order statuses {unknown or chosen!r} are not valid; choose among "
            f"{', '.join(STATUSES)} (normally only 'paid')."
        )
    return chosen


def _check_rate(value: Any, what: str) -> float:
    try:
        rate = float(value)
    except (TypeError, ValueError):
        rate = math.nan
    if not (0.0 <= rate <= 1.0):
        raise ValueError(
            f"The margin rate {what} is {value!r}; give a share between 0 and 1 "
            "(0.6 for a 60 % gross margin)."
        )
    return rate


def margin_rate_parameters(margin_rate: MarginRate) -> tuple[list[str], list[float], float | None]:
    """Split a margin-rate setting into (channels, their rates, default rate).

    Parameters
    ----------
    margin_rate : ``None`` (no rate), a share for the whole shop, or a mapping
        acquisition channel -> share with an optional ``"default"`` key for the others.

    Returns
    -------
    The channels with their own rate, those rates, and the rate of every other channel
    (``None`` when there is none).
    """
    if margin_rate is None:
        return [], [], None
    if isinstance(margin_rate, Mapping):
        default = margin_rate.get("default")
        channels = [str(k) for k in margin_rate if k != "default"]
        rates = [_check_rate(margin_rate[k], f"of {k!r}") for k in channels]
        return channels, rates, None if default is None else _check_rate(default, "'default'")
    return [], [], _check_rate(margin_rate, "of the shop")


def last_order_date(cur: duckdb.DuckDBPyConnection) -> dt.date:
    """The default observation end (:func:`clv.store.definitions.observation_end`).

    Raises
    ------
    ValueError : when the store holds no orders.
    """
    last = definitions.observation_end(cur)
    if last is None:
        raise ValueError("There are no orders in the store yet; import an orders file first.")
    return last


def customer_summary(
    cur: duckdb.DuckDBPyConnection,
    *,
    observation_end: dt.date | str | None = None,
    time_unit: str = "week",
    margin_rate: MarginRate = None,
    channels: Sequence[str] | None = None,
    first_purchase_from: dt.date | str | None = None,
    first_purchase_to: dt.date | str | None = None,
    status: Sequence[str] = ("paid",),
) -> pd.DataFrame:
    """One row per customer: repeat purchases, recency, age, spend and margin to date.

    Parameters
    ----------
    cur : a cursor on the store.
    observation_end : last day observed (inclusive); orders after it are ignored and
        customers whose first purchase is after it are left out. Default: the day of
        the latest order in the store.
    time_unit : ``"day"``, ``"week"`` (days / 7) or ``"month"`` (days / 30.4375) for
        ``recency`` and ``T``.
    margin_rate : used for orders without ``cost_amount``: a share (0..1) for the whole
        shop, or a mapping acquisition channel -> share with an optional ``"default"``
        key. Orders with a cost use ``net_amount - cost_amount``.
    channels : keep only customers acquired through these channels (``None``: all).
    first_purchase_from, first_purchase_to : keep only customers whose first purchase
        day lies in this range (inclusive; ``None``: open).
    status : order statuses counted as purchases; keep the default ``("paid",)`` for
        the models.

    Returns
    -------
    DataFrame indexed by ``customer_id``, sorted, with columns

    - ``frequency`` (int): distinct purchase days - 1;
    - ``recency``, ``T`` (float): first to last purchase day, first purchase day to
      ``observation_end``, in ``time_unit``;
    - ``monetary_value`` (float): mean net value of the repeat purchase days, 0 when
      ``frequency`` is 0;
    - ``first_order_at``, ``last_order_at`` (timestamps): first and last counted order;
    - ``orders`` (int): counted orders (before merging days);
    - ``net_revenue`` (float): sum of ``net_amount``;
    - ``gross_margin`` (float): sum over orders of ``net_amount - cost_amount``, or
      ``net_amount * rate`` where the cost is unknown; NaN when some order has neither;
    - ``acquisition_channel``: from the customers table, else the channel of the first
      order (may be missing).

    ``attrs`` holds ``time_unit`` and ``observation_end`` (a date), which the models read.

    Raises
    ------
    ValueError : unknown time unit or status, invalid margin rate or date, empty store.
    """
    divisor = _days_per_unit(time_unit)
    statuses = _statuses(status)
    end = (
        last_order_date(cur)
        if observation_end is None
        else _as_date(observation_end, "The observation end")
    )
    rate_channels, rate_values, default_rate = margin_rate_parameters(margin_rate)
    channel_list = None if channels is None else [str(c) for c in channels]
    start = (
        None if first_purchase_from is None else _as_date(first_purchase_from, "The cohort start")
    )
    stop = None if first_purchase_to is None else _as_date(first_purchase_to, "The cohort end")
    params: dict[str, Any] = {
        "statuses": statuses,
        "end": end,
        "rate_channels": rate_channels,
        "rate_values": rate_values,
        "default_rate": default_rate,
        "channels": channel_list,
        "start": start,
        "stop": stop,
        "days_per_unit": divisor,
    }
    derived.ensure(cur)
    frame = _run(cur, _with(statuses, _SUMMARY_TAIL), params)
    return _finish(frame, time_unit, end)


def _finish(frame: pd.DataFrame, time_unit: str, end: dt.date) -> pd.DataFrame:
    frame = frame.set_index("customer_id")
    frame["frequency"] = frame["frequency"].astype(np.int64)
    frame["orders"] = frame["orders"].astype(np.int64)
    for column in ("recency", "T", "monetary_value", "net_revenue", "gross_margin"):
        frame[column] = frame[column].astype(float)
    frame = frame[list(SUMMARY_COLUMNS)]
    frame.attrs = {"time_unit": time_unit, "observation_end": end}
    return frame


def calibration_holdout(
    cur: duckdb.DuckDBPyConnection,
    *,
    calibration_end: dt.date | str,
    observation_end: dt.date | str | None = None,
    time_unit: str = "week",
    channels: Sequence[str] | None = None,
    first_purchase_from: dt.date | str | None = None,
    first_purchase_to: dt.date | str | None = None,
    status: Sequence[str] = ("paid",),
) -> pd.DataFrame:
    """Summary over a calibration period and purchases in the holdout period after it.

    Follows lifetimes' ``calibration_and_holdout_data``: only customers whose first
    purchase is on or before ``calibration_end``; the calibration columns are the
    :func:`customer_summary` at ``calibration_end``; the holdout counts purchase days in
    ``(calibration_end, observation_end]``. Two deliberate differences: days are
    compared as dates (lifetimes compares timestamps with midnight of the end date, so
    it drops orders placed later on that day), and ``monetary_value_holdout`` is the
    mean of holdout purchase *days* (same-day orders summed, as everywhere else) where
    lifetimes averages raw transactions.

    Parameters
    ----------
    cur : a cursor on the store.
    calibration_end : last day of the calibration period (inclusive).
    observation_end : last day of the holdout period (inclusive); default the day of
        the latest order in the store.
    time_unit, channels, first_purchase_from, first_purchase_to, status : as in
        :func:`customer_summary` (the filters select customers of the calibration).

    Returns
    -------
    DataFrame indexed by ``customer_id`` with ``frequency_cal``, ``recency_cal``,
    ``T_cal``, ``monetary_value_cal`` (calibration summary), ``frequency_holdout``
    (purchase days in the holdout, 0 if none), ``monetary_value_holdout`` (their mean
    value, 0 if none), ``duration_holdout`` (holdout length in time units),
    ``first_order_at`` and ``acquisition_channel``. ``attrs`` holds ``time_unit``,
    ``calibration_end`` and ``observation_end``.

    Raises
    ------
    ValueError : when the holdout period is empty (``calibration_end`` not before
        ``observation_end``), or as :func:`customer_summary`.
    """
    divisor = _days_per_unit(time_unit)
    cal_end = _as_date(calibration_end, "The calibration end")
    end = (
        last_order_date(cur)
        if observation_end is None
        else _as_date(observation_end, "The observation end")
    )
    if cal_end >= end:
        raise ValueError(
            f"The calibration end {cal_end} must come before the end of the observation "
            f"period {end}; choose an earlier calibration end to leave a holdout period."
        )
    cal = customer_summary(
        cur,
        observation_end=cal_end,
        time_unit=time_unit,
        channels=channels,
        first_purchase_from=first_purchase_from,
        first_purchase_to=first_purchase_to,
        status=status,
    )
    statuses = _statuses(status)
    holdout_sql = _DERIVED_HOLDOUT_SQL if _from_derived(statuses) else _HOLDOUT_SQL
    derived.ensure(cur)
    holdout = _run(cur, holdout_sql, {"statuses": statuses, "calibration_end": cal_end, "end": end})
    holdout = holdout.set_index("customer_id")
    out = pd.DataFrame(
        {
            "frequency_cal": cal["frequency"],
            "recency_cal": cal["recency"],
            "T_cal": cal["T"],
            "monetary_value_cal": cal["monetary_value"],
        },
        index=cal.index,
    )
    out["frequency_holdout"] = (
        holdout["frequency_holdout"].reindex(out.index).fillna(0).astype(np.int64)
    )
    out["monetary_value_holdout"] = (
        holdout["monetary_value_holdout"].reindex(out.index).fillna(0.0).astype(float)
    )
    out["duration_holdout"] = (end - cal_end).days / divisor
    out["first_order_at"] = cal["first_order_at"]
    out["acquisition_channel"] = cal["acquisition_channel"]
    out = out[list(CALIBRATION_COLUMNS)]
    out.attrs = {"time_unit": time_unit, "calibration_end": cal_end, "observation_end": end}
    return out


def compress(summary: pd.DataFrame) -> pd.DataFrame:
    """Distinct ``(frequency, recency, T)`` rows with the number of customers of each.

    The BG/NBD, MBG/NBD and Pareto/NBD likelihoods depend on a customer only through
    these three numbers, so fitting the distinct rows with counts as weights gives the
    same estimates as fitting every customer, in a fraction of the time.

    Parameters
    ----------
    summary : frame with ``frequency``, ``recency`` and ``T`` (e.g. from
        :func:`customer_summary`).

    Returns
    -------
    DataFrame with columns ``frequency``, ``recency``, ``T``, ``weight`` (int, the
    number of customers), sorted by the first three; ``attrs`` copied from
    ``summary``.
    """
    missing = [c for c in ("frequency", "recency", "T") if c not in summary.columns]
    if missing:
        raise ValueError(
            f"The summary lacks the column(s) {', '.join(missing)}; build it with "
            "customer_summary()."
        )
    out = (
        summary.groupby(["frequency", "recency", "T"], sort=True)
        .size()
        .rename("weight")
        .reset_index()
    )
    out["weight"] = out["weight"].astype(np.int64)
    out.attrs = dict(summary.attrs)
    return out


def daily_purchases(
    cur: duckdb.DuckDBPyConnection,
    *,
    cohort_end: dt.date | str,
    observation_end: dt.date | str | None = None,
    channels: Sequence[str] | None = None,
    first_purchase_from: dt.date | str | None = None,
    status: Sequence[str] = ("paid",),
) -> pd.DataFrame:
    """First and repeat purchase days per calendar day, for one cohort of customers.

    The cohort is the customers whose first purchase is on or before ``cohort_end``
    (the calibration customers of a back-test), optionally narrowed by channel and
    first-purchase start. Their purchases are followed up to ``observation_end``.

    Parameters
    ----------
    cur : a cursor on the store.
    cohort_end : last day of a first purchase that puts a customer in the cohort.
    observation_end : last day followed (inclusive); default the latest order day.
    channels, first_purchase_from, status : as in :func:`customer_summary`.

    Returns
    -------
    DataFrame with one row per day from the cohort's first purchase day to
    ``observation_end`` (days without purchases included): ``day`` (date),
    ``first_purchases`` (customers whose first purchase day it is) and
    ``repeat_purchases`` (customers with a repeat purchase that day).
    """
    cohort = _as_date(cohort_end, "The cohort end")
    end = (
        last_order_date(cur)
        if observation_end is None
        else _as_date(observation_end, "The observation end")
    )
    start = (
        None if first_purchase_from is None else _as_date(first_purchase_from, "The cohort start")
    )
    params = {
        "statuses": _statuses(status),
        "end": end,
        "channels": None if channels is None else [str(c) for c in channels],
        "start": start,
        "stop": min(cohort, end),
    }
    derived.ensure(cur)
    counts = _run(cur, _with(params["statuses"], _DAILY_TAIL), params)
    columns = ["day", "first_purchases", "repeat_purchases"]
    if counts.empty:
        return pd.DataFrame({c: pd.Series(dtype="int64") for c in columns}).astype(
            {"day": "object"}
        )
    counts["day"] = pd.to_datetime(counts["day"]).dt.date
    days = pd.date_range(counts["day"].min(), end, freq="D").date
    out = counts.set_index("day").reindex(days, fill_value=0).rename_axis("day").reset_index()
    for column in ("first_purchases", "repeat_purchases"):
        out[column] = out[column].astype(np.int64)
    return out[columns]

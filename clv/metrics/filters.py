"""The shared filters of the KPI pages, and the SQL every KPI module starts from.

A :class:`Filters` holds what the sidebar selects: a date range, acquisition channels and
(for a value tier) a set of customers. The KPI modules (:mod:`clv.metrics.acquisition`,
:mod:`clv.metrics.retention`, :mod:`clv.metrics.voice`, :mod:`clv.metrics.loyalty`) turn it into SQL with
:func:`base_ctes`, :func:`date_clause` and :func:`order_filter_sql`; values only ever reach
DuckDB as ``?`` parameters.

Definitions shared by every module:

- **counted orders**: status ``'paid'`` and a ``customer_id`` (guest checkouts belong to
  no customer and are left out of every customer metric), placed on or before the
  observation end;
- **observation end**: the filter's end date, or the day of the latest order in the store
  (any status) when that is earlier or no end is set;
- **first day** of a customer: the day of their first counted order; their **cohort month**
  is its month;
- **acquisition channel**: ``customers.acquisition_channel`` when the customers export
  gives one, else the channel of the customer's first counted order; both pass through the
  ``channel_aliases`` table (alias -> channel, compared without case, accents or extra
  spaces), as do the channels of the marketing spend, so that "facebook" in an ad export
  and "Meta Ads" in the shop can be the same channel;
- **consent**: while the shop's ``respect_analytics_consent`` setting is on, customers who
  refused analytics (``customers.consent_analytics`` FALSE) are not in :func:`base_ctes`
  at all: neither their orders nor the customers themselves (see :mod:`clv.compliance.gdpr`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import duckdb
import pandas as pd

from clv.store import definitions, derived
from clv.store.definitions import ALIAS_MAP_SQL, CHANNEL_KEY_SQL, REFUSED_ANALYTICS_SQL
from clv.store.definitions import channel_key as channel_key  # re-exported for callers
from clv.valuation import values
from clv.valuation.historical import margin_sql


def _tuple(value: Iterable[object] | None, what: str) -> tuple[str, ...] | None:
    if value is None:
        return None
    if isinstance(value, str):
        raise ValueError(f"Give the {what} as a list of names, not as one string ({value!r}).")
    return tuple(str(v) for v in value)


def _date(value: object, what: str) -> dt.date | None:
    if value is None:
        return None
    try:
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError):
        stamp = pd.NaT
    if pd.isna(stamp):
        raise ValueError(f"The {what} {value!r} is not a date; give it as YYYY-MM-DD.")
    return stamp.date()


@dataclass(frozen=True)
class Filters:
    """What a KPI page is restricted to.

    Attributes
    ----------
    start, end : first and last day (inclusive) of the period; ``None`` leaves that side
        open. Cohort metrics read them as the range of first days (cohorts), order metrics
        as the range of order days, spend and NPS as the range of their own dates. ``end``
        is also the observation end when it lies before the last order in the store.
    channels : acquisition channels kept (names after aliasing); ``None`` keeps all.
    tiers : value tiers kept (``"Platinum"``, ...); ``None`` keeps all. A tier is read from
        the valuation ``valuation`` (a key of :mod:`clv.valuation.values`).
    valuation : key of the stored valuation whose tiers ``tiers`` selects, and whose
        values the figures that need a customer's value read; required with ``tiers``.

    Lists are stored as tuples so that a ``Filters`` can be hashed (cache keys).
    """

    start: dt.date | None = None
    end: dt.date | None = None
    channels: tuple[str, ...] | None = None
    tiers: tuple[str, ...] | None = None
    valuation: str | None = None

    def __post_init__(self) -> None:
        # Frozen: normalise through object.__setattr__ (dates from strings, lists to tuples).
        object.__setattr__(self, "start", _date(self.start, "start date"))
        object.__setattr__(self, "end", _date(self.end, "end date"))
        object.__setattr__(self, "channels", _tuple(self.channels, "channels"))
        object.__setattr__(self, "tiers", _tuple(self.tiers, "tiers"))
        if self.tiers is not None and self.valuation is None:
            raise ValueError(
                "A tier filter needs the valuation its tiers come from; pass valuation=<key>."
            )
        if self.start is not None and self.end is not None and self.start > self.end:
            raise ValueError(
                f"The start date {self.start} is after the end date {self.end}; "
                "swap them or widen the period."
            )


NO_FILTERS = Filters()


def observation_end(
    cur: duckdb.DuckDBPyConnection, filters: Filters = NO_FILTERS
) -> dt.date | None:
    """Last day observed under ``filters``: :func:`clv.store.definitions.observation_end`
    capped at the filter's end. ``None`` when the store holds no orders."""
    return definitions.observation_end(cur, filters.end)


def last_complete_month(end: dt.date) -> dt.date:
    """First day of the last calendar month fully observed by ``end`` (inclusive).

    ``2024-03-31`` gives March 2024; ``2024-03-30`` gives February 2024.
    """
    month = end.replace(day=1)
    if (end + dt.timedelta(days=1)).month == end.month:
        month = (month - dt.timedelta(days=1)).replace(day=1)
    return month


def base_ctes(
    cur: duckdb.DuckDBPyConnection,
    filters: Filters,
    end: dt.date,
    *,
    margin_rate: float | None = None,
) -> tuple[str, list[object]]:
    """The ``WITH`` clause every KPI query starts from, and its parameters.

    Parameters
    ----------
    cur : a cursor on the store; the per-customer facts the clause reads
        (:mod:`clv.store.derived`) are rebuilt first when the data changed.
    filters : channels and customers to keep (dates are applied by the caller, whose
        meaning of a date differs: see :func:`date_clause` and :func:`order_filter_sql`).
    end : observation end; counted orders after it are ignored.
    margin_rate : margin rate for orders without a cost (see
        :func:`clv.valuation.historical.margin_sql`); ``None`` leaves their margin NULL.

    Returns
    -------
    SQL text beginning with ``WITH`` and defining, in order:

    - ``refused(customer_id)``: customers left out because they refused analytics (empty
      while the shop's consent switch is off; see :mod:`clv.compliance.gdpr`);
    - ``alias_map(alias_key, channel)``: the alias table by comparison key;
    - ``paid(order_id, customer_id, ordered_at, day, net_amount, net_amount_decimal,
      margin, order_rank, day_gap, first_day, acquisition_channel)``: the counted orders
      up to ``end`` (DOUBLE amounts, and the stored DECIMAL net amount for exact sums), with the rank of the order among its customer's, the days since
      their previous purchase day (on the first order of each later purchase day), the
      customer's first day and acquisition channel (see :mod:`clv.store.derived`);
    - ``customer_channel(customer_id, first_day, cohort_month, second_day, final_day,
      channel)``: every customer known from the customers table or from a counted order
      (``first_day`` NULL when the customer has no counted order by ``end``,
      ``second_day`` NULL without a second purchase day by ``end``; ``final_day`` is the
      customer's last purchase day when no purchase follows ``end``, else NULL: then
      read the last day up to ``end`` from ``paid``);
    - ``kept``: the rows of ``customer_channel`` that pass the channel and customer filters.

    The caller appends ``, more_ctes ...`` or a ``SELECT``.
    """
    derived.ensure(cur)
    margin, margin_params = margin_sql(margin_rate)
    # Orders, ranks, first days and channels come from the derived tables; a fact dated
    # after ``end`` is read as missing.
    sql = f"""
WITH refused AS (
    {REFUSED_ANALYTICS_SQL}
),
alias_map AS (
    {ALIAS_MAP_SQL}
),
paid AS (
    SELECT o.order_id, o.customer_id, o.ordered_at, o.day,
           CAST(o.net_amount AS DOUBLE) AS net_amount,
           o.net_amount AS net_amount_decimal,
           CAST({margin} AS DOUBLE) AS margin,
           o.order_rank, o.day_gap, o.first_day, o.acquisition_channel
    FROM {derived.PAID_TABLE} o
    WHERE o.day <= ? AND o.customer_id NOT IN (SELECT customer_id FROM refused)
),
customer_channel AS (
    SELECT customer_id,
           CASE WHEN first_day <= ? THEN first_day END AS first_day,
           CASE WHEN first_day <= ? THEN cohort_month END AS cohort_month,
           CASE WHEN second_day <= ? THEN second_day END AS second_day,
           CASE WHEN last_day <= ? THEN last_day END AS final_day,
           CASE WHEN listed_channel IS NOT NULL THEN listed_channel
                WHEN first_day <= ? THEN order_channel END AS channel
    FROM {derived.TABLE}
    WHERE (listed OR first_day <= ?)
      AND customer_id NOT IN (SELECT customer_id FROM refused)
),
kept AS (
    SELECT * FROM customer_channel WHERE TRUE"""  # noqa: S608 (fixed pieces)
    params: list[object] = [*margin_params, end, end, end, end, end, end, end]
    if filters.channels is not None:
        sql += " AND list_contains(?::VARCHAR[], channel)"
        params.append(list(filters.channels))
    if filters.tiers is not None:
        sql += (
            f" AND customer_id IN (SELECT customer_id FROM {values.TABLE}"  # noqa: S608
            " WHERE valuation_key = ? AND list_contains(?::VARCHAR[], tier))"
        )
        params.extend([filters.valuation, list(filters.tiers)])
    return sql + "\n)", params


def date_clause(column: str, filters: Filters, end: dt.date | None = None) -> tuple[str, list]:
    """`` AND column BETWEEN start AND end`` for the filter's dates (open sides left out).

    Parameters
    ----------
    column : a fixed SQL expression of type DATE (never user text).
    filters : its ``start`` and ``end``.
    end : overrides ``filters.end`` (the observation end, normally).

    Returns
    -------
    The fragment (empty when both sides are open) and its parameters.
    """
    stop = filters.end if end is None else end
    sql, params = "", []
    if filters.start is not None:
        sql += f" AND {column} >= ?"
        params.append(filters.start)
    if stop is not None:
        sql += f" AND {column} <= ?"
        params.append(stop)
    return sql, params


def kept_clause(filters: Filters, alias: str, channel: str) -> tuple[str, list]:
    """`` AND ...`` fragment that keeps the rows of the customers ``kept`` holds, for a
    relation drawn from ``paid`` or from :data:`clv.store.derived.MONTHS_TABLE` (rows of
    customers with a first order by the end, refusals already left out).

    Such rows carry their customer's acquisition channel (column ``channel`` of
    ``alias``), so a channel choice is a test on the row; a choice of customers is a
    test against ``kept``; without either every row passes and the fragment is empty
    (a join with every customer saved).

    Returns
    -------
    The fragment and its parameters.
    """
    if filters.tiers is not None:
        return f" AND {alias}.customer_id IN (SELECT customer_id FROM kept)", []  # noqa: S608
    if filters.channels is not None:
        return f" AND list_contains(?::VARCHAR[], {alias}.{channel})", [list(filters.channels)]
    return "", []


def order_filter_sql(filters: Filters, end: dt.date, alias: str = "o") -> tuple[str, list]:
    """WHERE fragment for counted orders: in the period and placed by a kept customer.

    For use after :func:`base_ctes` (it may refer to ``kept``), on a relation drawn from
    ``paid``. ``alias`` is the fixed alias of that relation in the caller's query.

    Returns
    -------
    ``"TRUE AND <alias>.ordered_at::DATE BETWEEN ? AND ?"`` (the start side left out
    when open) with the test of :func:`kept_clause` before the dates, and its parameters.
    """
    kept, kept_params = kept_clause(filters, alias, "acquisition_channel")
    dates, date_params = date_clause(f"{alias}.ordered_at::DATE", filters, end)
    return f"TRUE{kept}{dates}", [*kept_params, *date_params]


def sort_groups(
    frame: pd.DataFrame, order: Sequence[str] | None = None, column: str = "group"
) -> pd.DataFrame:
    """``frame`` sorted by its group labels: in ``order`` when given (e.g. the tiers from
    Platinum to Bronze), else in natural order; missing labels last. The index is reset."""
    if frame.empty:
        return frame.reset_index(drop=True)
    if order is not None:
        ranks = {str(c): i for i, c in enumerate(order)}
        key = frame[column].map(
            lambda v: len(ranks) + 1 if pd.isna(v) else ranks.get(str(v), len(ranks))
        )
        return frame.iloc[key.argsort(kind="stable")].reset_index(drop=True)
    return frame.sort_values(column, na_position="last", kind="stable").reset_index(drop=True)


def channel_choices(cur: duckdb.DuckDBPyConnection) -> list[str]:
    """Channel names to offer in a channel filter: the acquisition channels of customers
    and the channels of the marketing spend, after aliasing, sorted."""
    end = observation_end(cur) or dt.date.max
    base, params = base_ctes(cur, NO_FILTERS, end)
    s_key = CHANNEL_KEY_SQL.format("s.channel")
    sql = f"""{base}
SELECT DISTINCT channel FROM (
    SELECT channel FROM customer_channel
    UNION ALL
    SELECT coalesce(m.channel, nullif(trim(s.channel), ''))
    FROM marketing_spend s
    LEFT JOIN alias_map m ON m.alias_key = {s_key}
)
WHERE channel IS NOT NULL
ORDER BY channel
"""  # noqa: S608 (fixed pieces; values are parameters)
    return [row[0] for row in cur.execute(sql, params).fetchall()]


def kept_customers(cur: duckdb.DuckDBPyConnection, filters: Filters = NO_FILTERS) -> list[str]:
    """Customers that ``filters`` keep, as the pages that list customers read them.

    A customer is kept when their first counted order falls in the period, their
    acquisition channel (after aliases) is one of ``channels`` and they are among
    in the tiers of ``tiers`` (each condition only when set). Sorted ids.
    """
    end = observation_end(cur, filters)
    if end is None:
        return []
    base, params = base_ctes(cur, filters, end)
    dates, date_params = date_clause("k.first_day", filters, end)
    sql = f"""{base}
SELECT k.customer_id FROM kept k
WHERE k.first_day IS NOT NULL{dates}
ORDER BY 1
"""  # noqa: S608 (fixed pieces; values are parameters)
    return [row[0] for row in cur.execute(sql, [*params, *date_params]).fetchall()]


def is_filtering(filters: Filters) -> bool:
    """True when ``filters`` restrict anything."""
    return filters != NO_FILTERS

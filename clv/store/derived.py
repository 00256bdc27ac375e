"""Per-order and per-customer facts computed once per version of the data, kept in the store.

Every KPI query starts from the counted orders and from each customer's first counted order
and acquisition channel (:func:`clv.metrics.filters.base_ctes`); several also rank each customer's
orders or measure the gaps between their purchase days. Recomputing these means sorting or
grouping all orders by customer on every call: about 0.4 s per call at a million orders,
seconds at ten million. They are kept instead in four tables, rebuilt together by
:func:`ensure` when the data they depend on changed since they were built.

``paid_orders``: the counted orders (status ``'paid'``, with a customer), all dates:

- ``order_id``, ``customer_id``, ``ordered_at``, ``net_amount``, ``cost_amount``,
  ``channel`` as in ``orders``; ``day`` = ``ordered_at::DATE``;
- ``order_rank``: 1 for the customer's first order, 2 for the next... (by time, then id);
- ``day_gap``: on the first order of a purchase day other than the customer's first,
  the days since their previous purchase day; NULL on every other order;
- ``first_day``: the day of the customer's first counted order;
- ``acquisition_channel``: the customer's acquisition channel (as ``channel`` below),
  so that a channel filter on orders needs no join with the customers.

``customer_months``: one row per customer and calendar month with a counted order:
``orders``; ``cost_margin``, the margin (net - cost) of the orders with a cost (NULL
without one); ``net_without_cost`` and ``orders_without_cost``, the net amount and number
of the orders without a cost (so that any margin rate gives the month's margin); and the
customer's ``first_day``, ``cohort_month`` and acquisition ``channel`` (as below), so
that a cohort table needs no join with the customers.

``customer_days``: one row per customer (``customer_key``, see below) and purchase day
(a calendar day with a counted order): ``day_value`` (net amount of the day's orders, an exact decimal sum),
``day_orders``, ``first_at`` and ``last_at`` (the day's first and last order time),
``cost_margin``, ``net_without_cost`` and ``orders_without_cost`` (as in
``customer_months``). The per-customer summaries of :mod:`clv.valuation.summary` group
these rows (at any observation end: a day's row holds for every end on or after it),
which is one pass over about as many rows as customers' purchase days instead of a
grouping of every order.

``customer_base``: one row per customer with a counted order or a row in ``customers``:

- ``customer_key``: an integer, 1, 2, ... in the order of ``customer_id`` (the key of
  ``customer_days``);
- ``first_day``: day of the first counted order; ``cohort_month``: first day of its
  month; ``second_day``: the next purchase day (NULL without one); ``last_day``: the
  day of the last counted order;
- ``listed``: the customer has a row in ``customers``;
- ``listed_channel``: the customers export's acquisition channel after the aliases (NULL
  when blank);
- ``order_channel``: the channel of the first counted order after the aliases (NULL when
  blank).

They hold over any observation end, because each fact only looks back in time: a first
order on or before the end is the first order of the orders up to that end, and an
order's rank and gap depend only on earlier orders; :func:`clv.metrics.filters.base_ctes` reads
facts dated after the end as missing. A month's row holds for any end after the month
(:func:`clv.metrics.retention.cohort_grid` reads whole months only); ``last_day`` holds for the
ends on or after it (the common case: the end is the last day of the data). The consent switch is applied by the queries, not here
(turning it changes the data version all the same, so the tables are rebuilt).

Version: the store's data version (:func:`clv.store.definitions.data_version`: imports,
row counts, the alias checksum, the consent switch) and a checksum of the SQL that builds
the tables (an upgrade that changes them rebuilds them). Every write that changes what the tables hold changes
one of them (an import, a deleted import, an erasure or a purge, an alias edit). An erasure
also drops the tables in its own transaction (:func:`drop`), so that no erased pseudonym
outlives it.
"""

from __future__ import annotations

import hashlib
import threading

import duckdb

from clv.store.database import own_transaction
from clv.store.definitions import (
    ACQUISITION_CHANNEL_SQL,
    ALIAS_MAP_SQL,
    CHANNEL_KEY_SQL,
    COHORT_MONTH_SQL,
    COUNTED_ORDER_SQL,
    memoized,
    read_data_version,
)
from clv.store.definitions import data_version as store_data_version

#: The derived tables, and the table that records which data version they were built from.
TABLE = "customer_base"
PAID_TABLE = "paid_orders"
MONTHS_TABLE = "customer_months"
DAYS_TABLE = "customer_days"
STATE_TABLE = "derived_state"

# The counted orders with their rank, gap and first day, in a temporary table of the
# building connection: the per-customer table is built from it, then the stored orders
# with each customer's acquisition channel.
BUILD_RANKED_SQL = f"""
CREATE OR REPLACE TEMP TABLE _ranked_orders AS
WITH ranked AS (
    SELECT order_id, customer_id, ordered_at, ordered_at::DATE AS day,
           net_amount, cost_amount, channel,
           row_number() OVER w AS order_rank,
           lag(ordered_at::DATE) OVER w AS previous_day,
           first_value(ordered_at::DATE) OVER w AS first_day
    FROM orders
    WHERE {COUNTED_ORDER_SQL}
    WINDOW w AS (PARTITION BY customer_id ORDER BY ordered_at, order_id)
)
-- Along a customer's orders by time the day never decreases: an order whose previous
-- order fell on an earlier day opens a purchase day, and that earlier day is the previous
-- purchase day.
SELECT order_id, customer_id, ordered_at, day, net_amount, cost_amount, channel, order_rank,
       CASE WHEN previous_day < day THEN date_diff('day', previous_day, day) END AS day_gap,
       first_day
FROM ranked
"""  # noqa: S608 (fixed pieces)

BUILD_PAID_SQL = f"""
CREATE OR REPLACE TABLE {PAID_TABLE} AS
SELECT r.*, {ACQUISITION_CHANNEL_SQL.format("b")} AS acquisition_channel
FROM _ranked_orders r
JOIN {TABLE} b USING (customer_id)
"""  # noqa: S608 (fixed pieces)

BUILD_MONTHS_SQL = f"""
CREATE OR REPLACE TABLE {MONTHS_TABLE} AS
SELECT customer_id, date_trunc('month', day)::DATE AS month,
       count(*) AS orders,
       sum(net_amount - cost_amount) AS cost_margin,
       sum(net_amount) FILTER (WHERE cost_amount IS NULL) AS net_without_cost,
       count(*) FILTER (WHERE cost_amount IS NULL) AS orders_without_cost,
       first_day,
       {COHORT_MONTH_SQL.format("first_day")} AS cohort_month,
       acquisition_channel AS channel
FROM {PAID_TABLE}
GROUP BY customer_id, month, first_day, acquisition_channel
"""  # noqa: S608 (fixed pieces)

BUILD_DAYS_SQL = f"""
CREATE OR REPLACE TABLE {DAYS_TABLE} AS
SELECT b.customer_key, d.* EXCLUDE (customer_id)
FROM (
    SELECT customer_id, day,
           sum(net_amount) AS day_value,
           count(*) AS day_orders,
           min(ordered_at) AS first_at,
           max(ordered_at) AS last_at,
           sum(net_amount - cost_amount) AS cost_margin,
           sum(net_amount) FILTER (WHERE cost_amount IS NULL) AS net_without_cost,
           count(*) FILTER (WHERE cost_amount IS NULL) AS orders_without_cost
    FROM _ranked_orders
    GROUP BY customer_id, day
) d
JOIN {TABLE} b USING (customer_id)
"""  # noqa: S608 (fixed pieces)

BUILD_SQL = f"""
CREATE OR REPLACE TABLE {TABLE} AS
WITH alias_map AS (
    {ALIAS_MAP_SQL}
),
first_orders AS (
    SELECT customer_id,
           min(day) AS first_day,
           first(channel) FILTER (WHERE order_rank = 1) AS first_channel,
           min(day) FILTER (WHERE day_gap IS NOT NULL) AS second_day,
           max(day) AS last_day
    FROM _ranked_orders
    GROUP BY customer_id
)
SELECT coalesce(f.customer_id, c.customer_id) AS customer_id,
       -- An integer key in the order of the pseudonyms (ordering by it orders by them).
       CAST(row_number() OVER (ORDER BY coalesce(f.customer_id, c.customer_id)) AS INTEGER)
           AS customer_key,
       f.first_day,
       {COHORT_MONTH_SQL.format("f.first_day")} AS cohort_month,
       f.second_day,
       f.last_day,
       c.customer_id IS NOT NULL AS listed,
       CASE WHEN nullif(trim(c.acquisition_channel), '') IS NOT NULL
            THEN coalesce(mc.channel, trim(c.acquisition_channel)) END AS listed_channel,
       coalesce(mf.channel, nullif(trim(f.first_channel), '')) AS order_channel
FROM first_orders f
FULL JOIN customers c ON c.customer_id = f.customer_id
LEFT JOIN alias_map mc ON mc.alias_key = {CHANNEL_KEY_SQL.format("c.acquisition_channel")}
LEFT JOIN alias_map mf ON mf.alias_key = {CHANNEL_KEY_SQL.format("f.first_channel")}
"""  # noqa: S608 (fixed pieces)

_TABLES = (PAID_TABLE, MONTHS_TABLE, DAYS_TABLE, TABLE)
_BUILDS = (
    BUILD_RANKED_SQL,
    BUILD_SQL,
    BUILD_PAID_SQL,
    BUILD_MONTHS_SQL,
    BUILD_DAYS_SQL,
    "DROP TABLE _ranked_orders",
)
# Part of the version: a new release that changes what the tables hold rebuilds them.
_LAYOUT = hashlib.sha256("".join(_BUILDS).encode()).hexdigest()[:12]

# One rebuild at a time in this process; readers in other threads go on reading the
# previous table (or wait for the first one) meanwhile.
_LOCK = threading.Lock()


def data_version(cur: duckdb.DuckDBPyConnection) -> str:
    """The store's data version (:func:`clv.store.definitions.data_version`) and the
    tables' layout."""
    return f"{store_data_version(cur)}/{_LAYOUT}"


def _built_version(cur: duckdb.DuckDBPyConnection) -> str | None:
    exists = cur.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() "
        "AND schema_name = 'main' AND list_contains(?, table_name)",
        [[*_TABLES, STATE_TABLE]],
    ).fetchall()[0][0]
    if exists < len(_TABLES) + 1:
        return None
    rows = cur.execute(
        f"SELECT version FROM {STATE_TABLE} WHERE name = ?",  # noqa: S608 (fixed name)
        [TABLE],
    ).fetchall()
    return rows[0][0] if rows else None


def ensure(cur: duckdb.DuckDBPyConnection) -> bool:
    """Rebuild the derived tables when the data changed since they were built; checked
    once per :func:`clv.store.definitions.facts_memo` block.

    Parameters
    ----------
    cur : a cursor on the store, outside any transaction. The rebuild runs in a
        transaction of its own connection, so readers see the old table or the new one.

    Returns
    -------
    True when the table was rebuilt (by this call, or earlier in the same memo block).
    """
    return memoized("derived_current", lambda: _ensure(cur))


def _ensure(cur: duckdb.DuckDBPyConnection) -> bool:
    current = data_version(cur)
    if _built_version(cur) == current:
        return False
    with _LOCK, own_transaction(cur) as work:
        # Read again inside the transaction: the table is built from this snapshot.
        current = f"{read_data_version(work)}/{_LAYOUT}"
        if _built_version(work) == current:
            return False
        work.execute(
            f"CREATE TABLE IF NOT EXISTS {STATE_TABLE} "
            "(name VARCHAR PRIMARY KEY, version VARCHAR NOT NULL)"
        )
        for build in _BUILDS:
            work.execute(build)
        work.execute(
            f"INSERT OR REPLACE INTO {STATE_TABLE} VALUES (?, ?)",  # noqa: S608
            [TABLE, current],
        )
    return True


def drop(cur: duckdb.DuckDBPyConnection) -> None:
    """Drop the derived tables (inside the caller's transaction); the next query rebuilds
    them. Used by erasures, so that no erased customer stays in a derived table."""
    for table in (*_TABLES, STATE_TABLE):
        cur.execute(f"DROP TABLE IF EXISTS {table}")

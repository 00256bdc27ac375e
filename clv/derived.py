"""Per-order and per-customer facts computed once per version of the data, kept in the store.

Every KPI query starts from the counted orders and from each customer's first counted order
and acquisition channel (:func:`clv.filters.base_ctes`); several also rank each customer's
orders or measure the gaps between their purchase days. Recomputing these means sorting or
grouping all orders by customer on every call: about 0.4 s per call at a million orders,
seconds at ten million. They are kept instead in three tables, rebuilt together by
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

``customer_base``: one row per customer with a counted order or a row in ``customers``:

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
order's rank and gap depend only on earlier orders; :func:`clv.filters.base_ctes` reads
facts dated after the end as missing. A month's row holds for any end after the month
(:func:`clv.retention.cohort_grid` reads whole months only); ``last_day`` holds for the
ends on or after it (the common case: the end is the last day of the data). The consent switch is applied by the queries, not here, so
turning it rebuilds nothing.

Version: the last import id, the number of imports, the number of orders and customers,
a checksum of the alias table, and a checksum of the SQL that builds the tables (an
upgrade that changes them rebuilds them). Every write that changes what the tables hold changes
one of them (an import, a deleted import, an erasure or a purge, an alias edit). An erasure
also drops the tables in its own transaction (:func:`drop`), so that no erased pseudonym
outlives it.
"""

from __future__ import annotations

import hashlib
import threading
from contextlib import suppress

import duckdb

#: The derived tables, and the table that records which data version they were built from.
TABLE = "customer_base"
PAID_TABLE = "paid_orders"
MONTHS_TABLE = "customer_months"
STATE_TABLE = "derived_state"

#: SQL that turns a channel name into its comparison key (see
#: :func:`clv.filters.channel_key`, its Python twin).
CHANNEL_KEY_SQL = "lower(regexp_replace(strip_accents(trim({})), '\\s+', ' ', 'g'))"

#: The channel alias table by comparison key, ``(alias_key, channel)``: a query's
#: ``alias_map``.
ALIAS_MAP_SQL = f"""SELECT {CHANNEL_KEY_SQL.format("alias")} AS alias_key, min(channel) AS channel
    FROM channel_aliases
    GROUP BY 1"""  # noqa: S608 (fixed pieces)

VERSION_SQL = """
SELECT concat_ws('/',
    (SELECT coalesce(max(import_id), 0) FROM imports),
    (SELECT count(*) FROM imports),
    (SELECT count(*) FROM orders),
    (SELECT count(*) FROM customers),
    (SELECT coalesce(sum(hash(alias, channel)), 0) % 1000000007 FROM channel_aliases))
"""

# The counted orders with their rank, gap and first day, in a temporary table of the
# building connection: the per-customer table is built from it, then the stored orders
# with each customer's acquisition channel.
BUILD_RANKED_SQL = """
CREATE OR REPLACE TEMP TABLE _ranked_orders AS
WITH ranked AS (
    SELECT order_id, customer_id, ordered_at, ordered_at::DATE AS day,
           net_amount, cost_amount, channel,
           row_number() OVER w AS order_rank,
           lag(ordered_at::DATE) OVER w AS previous_day,
           first_value(ordered_at::DATE) OVER w AS first_day
    FROM orders
    WHERE status = 'paid' AND customer_id IS NOT NULL
    WINDOW w AS (PARTITION BY customer_id ORDER BY ordered_at, order_id)
)
-- Along a customer's orders by time the day never decreases: an order whose previous
-- order fell on an earlier day opens a purchase day, and that earlier day is the previous
-- purchase day.
SELECT order_id, customer_id, ordered_at, day, net_amount, cost_amount, channel, order_rank,
       CASE WHEN previous_day < day THEN date_diff('day', previous_day, day) END AS day_gap,
       first_day
FROM ranked
"""

BUILD_PAID_SQL = f"""
CREATE OR REPLACE TABLE {PAID_TABLE} AS
SELECT r.*, coalesce(b.listed_channel, b.order_channel) AS acquisition_channel
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
       date_trunc('month', first_day)::DATE AS cohort_month,
       acquisition_channel AS channel
FROM {PAID_TABLE}
GROUP BY customer_id, month, first_day, acquisition_channel
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
       f.first_day,
       date_trunc('month', f.first_day)::DATE AS cohort_month,
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

_TABLES = (PAID_TABLE, MONTHS_TABLE, TABLE)
_BUILDS = (
    BUILD_RANKED_SQL,
    BUILD_SQL,
    BUILD_PAID_SQL,
    BUILD_MONTHS_SQL,
    "DROP TABLE _ranked_orders",
)
# Part of the version: a new release that changes what the tables hold rebuilds them.
_LAYOUT = hashlib.sha256("".join(_BUILDS).encode()).hexdigest()[:12]

# One rebuild at a time in this process; readers in other threads go on reading the
# previous table (or wait for the first one) meanwhile.
_LOCK = threading.Lock()


def data_version(cur: duckdb.DuckDBPyConnection) -> str:
    """The version of the data the derived tables depend on (see the module docstring),
    and of the tables' layout."""
    return f"{cur.execute(VERSION_SQL).fetchall()[0][0]}/{_LAYOUT}"


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
    """Rebuild the derived tables when the data changed since they were built.

    Parameters
    ----------
    cur : a cursor on the store, outside any transaction. The rebuild runs in a
        transaction of its own connection, so readers see the old table or the new one.

    Returns
    -------
    True when the table was rebuilt.
    """
    current = data_version(cur)
    if _built_version(cur) == current:
        return False
    with _LOCK:
        work = cur.cursor()
        try:
            work.execute("BEGIN TRANSACTION")
            try:
                # Read again inside the transaction: the table is built from this snapshot.
                current = data_version(work)
                if _built_version(work) == current:
                    work.execute("ROLLBACK")
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
                work.execute("COMMIT")
            except BaseException:
                with suppress(duckdb.Error):
                    work.execute("ROLLBACK")
                raise
        finally:
            work.close()
    return True


def drop(cur: duckdb.DuckDBPyConnection) -> None:
    """Drop the derived tables (inside the caller's transaction); the next query rebuilds
    them. Used by erasures, so that no erased customer stays in a derived table."""
    for table in (*_TABLES, STATE_TABLE):
        cur.execute(f"DROP TABLE IF EXISTS {table}")

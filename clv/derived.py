"""Per-order and per-customer facts computed once per version of the data, kept in the store.

Every KPI query starts from the counted orders and from each customer's first counted order
and acquisition channel (:func:`clv.filters.base_ctes`); several also rank each customer's
orders or measure the gaps between their purchase days. Recomputing these means sorting or
grouping all orders by customer on every call: about 0.4 s per call at a million orders,
seconds at ten million. They are kept instead in two tables, rebuilt together by
:func:`ensure` when the data they depend on changed since they were built.

``paid_orders``: the counted orders (status ``'paid'``, with a customer), all dates:

- ``order_id``, ``customer_id``, ``ordered_at``, ``net_amount``, ``cost_amount``,
  ``channel`` as in ``orders``; ``day`` = ``ordered_at::DATE``;
- ``order_rank``: 1 for the customer's first order, 2 for the next... (by time, then id);
- ``day_gap``: on the first order of a purchase day other than the customer's first,
  the days since their previous purchase day; NULL on every other order.

``customer_base``: one row per customer with a counted order or a row in ``customers``:

- ``first_day``: day of the first counted order; ``cohort_month``: first day of its
  month; ``second_day``: the next purchase day (NULL without one);
- ``listed``: the customer has a row in ``customers``;
- ``listed_channel``: the customers export's acquisition channel after the aliases (NULL
  when blank);
- ``order_channel``: the channel of the first counted order after the aliases (NULL when
  blank).

Both hold over any observation end, because each fact only looks back in time: a first
order on or before the end is the first order of the orders up to that end, an order's
rank and gap depend only on earlier orders. :func:`clv.filters.base_ctes` reads facts
dated after the end as missing. The consent switch is applied by the queries, not here, so
turning it rebuilds nothing.

Version: the last import id, the number of imports, the number of orders and customers
and a checksum of the alias table. Every write that changes what the tables hold changes
one of them (an import, a deleted import, an erasure or a purge, an alias edit). An erasure
also drops the tables in its own transaction (:func:`drop`), so that no erased pseudonym
outlives it.
"""

from __future__ import annotations

import threading
from contextlib import suppress

import duckdb

#: The derived tables, and the table that records which data version they were built from.
TABLE = "customer_base"
PAID_TABLE = "paid_orders"
STATE_TABLE = "derived_state"

# Channel comparison key, as clv.filters.CHANNEL_KEY_SQL (kept here to avoid a cycle).
_KEY_SQL = "lower(regexp_replace(strip_accents(trim({})), '\\s+', ' ', 'g'))"

VERSION_SQL = """
SELECT concat_ws('/',
    (SELECT coalesce(max(import_id), 0) FROM imports),
    (SELECT count(*) FROM imports),
    (SELECT count(*) FROM orders),
    (SELECT count(*) FROM customers),
    (SELECT coalesce(sum(hash(alias, channel)), 0) % 1000000007 FROM channel_aliases))
"""

BUILD_PAID_SQL = f"""
CREATE OR REPLACE TABLE {PAID_TABLE} AS
WITH ranked AS (
    SELECT order_id, customer_id, ordered_at, ordered_at::DATE AS day,
           net_amount, cost_amount, channel,
           row_number() OVER w AS order_rank,
           lag(ordered_at::DATE) OVER w AS previous_day
    FROM orders
    WHERE status = 'paid' AND customer_id IS NOT NULL
    WINDOW w AS (PARTITION BY customer_id ORDER BY ordered_at, order_id)
)
-- Along a customer's orders by time the day never decreases: an order whose previous
-- order fell on an earlier day opens a purchase day, and that earlier day is the previous
-- purchase day.
SELECT order_id, customer_id, ordered_at, day, net_amount, cost_amount, channel, order_rank,
       CASE WHEN previous_day < day THEN date_diff('day', previous_day, day) END AS day_gap
FROM ranked
"""  # noqa: S608 (fixed pieces)

BUILD_SQL = f"""
CREATE OR REPLACE TABLE {TABLE} AS
WITH alias_map AS (
    SELECT {_KEY_SQL.format("alias")} AS alias_key, min(channel) AS channel
    FROM channel_aliases
    GROUP BY 1
),
first_orders AS (
    SELECT customer_id,
           min(day) AS first_day,
           first(channel) FILTER (WHERE order_rank = 1) AS first_channel,
           min(day) FILTER (WHERE day_gap IS NOT NULL) AS second_day
    FROM {PAID_TABLE}
    GROUP BY customer_id
)
SELECT coalesce(f.customer_id, c.customer_id) AS customer_id,
       f.first_day,
       date_trunc('month', f.first_day)::DATE AS cohort_month,
       f.second_day,
       c.customer_id IS NOT NULL AS listed,
       CASE WHEN nullif(trim(c.acquisition_channel), '') IS NOT NULL
            THEN coalesce(mc.channel, trim(c.acquisition_channel)) END AS listed_channel,
       coalesce(mf.channel, nullif(trim(f.first_channel), '')) AS order_channel
FROM first_orders f
FULL JOIN customers c ON c.customer_id = f.customer_id
LEFT JOIN alias_map mc ON mc.alias_key = {_KEY_SQL.format("c.acquisition_channel")}
LEFT JOIN alias_map mf ON mf.alias_key = {_KEY_SQL.format("f.first_channel")}
"""  # noqa: S608 (fixed pieces)

# One rebuild at a time in this process; readers in other threads go on reading the
# previous table (or wait for the first one) meanwhile.
_LOCK = threading.Lock()


def data_version(cur: duckdb.DuckDBPyConnection) -> str:
    """The version of the data the derived tables depend on (see the module docstring)."""
    return str(cur.execute(VERSION_SQL).fetchall()[0][0])


def _built_version(cur: duckdb.DuckDBPyConnection) -> str | None:
    exists = cur.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() "
        "AND schema_name = 'main' AND table_name IN (?, ?, ?)",
        [TABLE, PAID_TABLE, STATE_TABLE],
    ).fetchall()[0][0]
    if exists < 3:  # noqa: PLR2004 (the three tables)
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
                work.execute(BUILD_PAID_SQL)
                work.execute(BUILD_SQL)
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
    cur.execute(f"DROP TABLE IF EXISTS {TABLE}")
    cur.execute(f"DROP TABLE IF EXISTS {PAID_TABLE}")
    cur.execute(f"DROP TABLE IF EXISTS {STATE_TABLE}")

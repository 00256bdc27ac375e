"""Per-customer facts computed once per version of the data, kept in the store.

Every KPI query starts from each customer's first counted order and acquisition channel
(:func:`clv.filters.base_ctes`). Recomputing them means grouping all orders by customer on
every call: about 0.4 s per call at a million orders, seconds at ten million. They are
kept instead in the table ``customer_base``, rebuilt by :func:`ensure` when the data it
depends on changed since it was built:

- ``customer_id``: every customer with a counted order or a row in ``customers``;
- ``first_day``: day of the first counted order (status ``'paid'``, with a customer),
  over the whole history; NULL without one;
- ``first_at``, ``first_order_id``: that order's time and id (the earliest order, then
  the smallest id);
- ``cohort_month``: first day of ``first_day``'s month;
- ``listed``: the customer has a row in ``customers``;
- ``listed_channel``: the customers export's acquisition channel after the aliases (NULL
  when blank);
- ``order_channel``: the channel of the first counted order after the aliases (NULL when
  blank).

The facts hold over any observation end: a first order on or before the end is the first
order of the orders up to that end, and later facts are read as missing
(:func:`clv.filters.base_ctes` does so). The consent switch is applied by the queries, not
here, so turning it does not rebuild anything.

Version: the last import id, the number of imports, the number of orders and customers
and a checksum of the alias table. Every write that changes what the table holds changes
one of them (an import, a deleted import, an erasure or a purge, an alias edit). An erasure
also drops the table in its own transaction (:func:`drop`), so that no erased pseudonym
outlives it.
"""

from __future__ import annotations

import threading
from contextlib import suppress

import duckdb

#: The derived table and the table that records which data version it was built from.
TABLE = "customer_base"
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

BUILD_SQL = f"""
CREATE OR REPLACE TABLE {TABLE} AS
WITH alias_map AS (
    SELECT {_KEY_SQL.format("alias")} AS alias_key, min(channel) AS channel
    FROM channel_aliases
    GROUP BY 1
),
first_orders AS (
    SELECT customer_id,
           min(ordered_at) AS first_at,
           arg_min(order_id, (ordered_at, order_id)) AS first_order_id,
           arg_min_null(channel, (ordered_at, order_id)) AS first_channel
    FROM orders
    WHERE status = 'paid' AND customer_id IS NOT NULL
    GROUP BY customer_id
)
SELECT coalesce(f.customer_id, c.customer_id) AS customer_id,
       f.first_at::DATE AS first_day,
       f.first_at,
       f.first_order_id,
       date_trunc('month', f.first_at)::DATE AS cohort_month,
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
    """The version of the data :data:`TABLE` depends on (see the module docstring)."""
    return str(cur.execute(VERSION_SQL).fetchall()[0][0])


def _built_version(cur: duckdb.DuckDBPyConnection) -> str | None:
    exists = cur.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() "
        "AND schema_name = 'main' AND table_name IN (?, ?)",
        [TABLE, STATE_TABLE],
    ).fetchall()[0][0]
    if exists < 2:  # noqa: PLR2004 (both tables)
        return None
    rows = cur.execute(
        f"SELECT version FROM {STATE_TABLE} WHERE name = ?",  # noqa: S608 (fixed name)
        [TABLE],
    ).fetchall()
    return rows[0][0] if rows else None


def ensure(cur: duckdb.DuckDBPyConnection) -> bool:
    """Rebuild :data:`TABLE` when the data changed since it was built.

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
    cur.execute(f"DROP TABLE IF EXISTS {STATE_TABLE}")

"""The valuation's per-customer values, kept in the store for every page to join in SQL.

:func:`clv.valuation.engine.value_customers` fits the models and predicts in pandas; its
per-customer result is written once into :data:`TABLE`, keyed by the data version it was
computed from and the valuation settings (tier rule included). Every figure that needs a
customer's value or tier (a tier filter, CLV by channel, CLV/CAC, NPS or churn by tier)
joins this table by ``valuation_key`` instead of receiving a Series.

``customer_values``: one row per valued customer and key:

- ``valuation_key``: :func:`valuation_key` of the data version and the settings;
- ``data_version``: the data version the values were computed from;
- ``customer_id``;
- ``clv``: predicted CLV (discounted gross margin over the horizon);
- ``margin_to_date``: gross margin of the orders so far (NULL when unknown);
- ``lifetime_value``: ``coalesce(margin_to_date, 0) + clv``, what CLV/CAC compares with
  the acquisition cost (:func:`clv.valuation.engine.lifetime_value`);
- ``probability_alive``;
- ``tier``: Platinum / Gold / Silver / Bronze;
- ``tier_rank``: 0 for Platinum ... 3 for Bronze (for ordering in SQL);
- ``written_at``.

The table is part of the store's schema (:data:`clv.store.database.MIGRATIONS`). Rows of
another data version are deleted when a valuation is written, and an erasure empties the
table (:func:`drop`), so no erased pseudonym outlives it. At most
:data:`KEYS_KEPT` settings are kept per data version.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import threading
from typing import Any

import duckdb
import pandas as pd

from clv.store.database import own_transaction, registered
from clv.valuation.tiers import TIERS

TABLE = "customer_values"
KEYS_KEPT = 8

_INSERT_SQL = f"""
INSERT INTO {TABLE}
SELECT ?, ?, customer_id, clv, margin_to_date,
       coalesce(margin_to_date, 0) + clv,
       probability_alive, tier,
       list_position(?::VARCHAR[], tier) - 1,
       current_timestamp
FROM _valuation_rows
"""  # noqa: S608 (fixed pieces; values are parameters)

# Keep the KEYS_KEPT most recent settings of the current data version.
_PRUNE_SQL = f"""
DELETE FROM {TABLE}
WHERE data_version <> ?
   OR valuation_key IN (
        SELECT valuation_key FROM (
            SELECT valuation_key, max(written_at) AS written
            FROM {TABLE} GROUP BY valuation_key
        )
        QUALIFY row_number() OVER (ORDER BY written DESC) > ?
   )
"""  # noqa: S608 (fixed pieces; values are parameters)

# One writer at a time in this process.
_LOCK = threading.Lock()


def _settings_dict(settings: Any) -> dict[str, Any]:
    out = dataclasses.asdict(settings)
    return {key: out[key] for key in sorted(out)}


def valuation_key(data_version: str, settings: Any) -> str:
    """The key of a valuation: a digest of the data version and every setting (a
    :class:`clv.valuation.engine.ValuationSettings`, tier rule included)."""
    text = json.dumps([data_version, _settings_dict(settings)], default=str, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


def exists(cur: duckdb.DuckDBPyConnection, key: str) -> bool:
    """True when the values of ``key`` are in the store."""
    return bool(
        cur.execute(
            f"SELECT count(*) > 0 FROM (SELECT 1 FROM {TABLE} WHERE valuation_key = ? LIMIT 1)",  # noqa: S608
            [key],
        ).fetchall()[0][0]
    )


def write(
    cur: duckdb.DuckDBPyConnection, key: str, data_version: str, customers: pd.DataFrame
) -> None:
    """Write the per-customer values of one valuation under ``key``, in one transaction
    of a cursor of its own (readers see all of them or none).

    Parameters
    ----------
    cur : a cursor on the store, outside any transaction.
    key : :func:`valuation_key` of the valuation.
    data_version : the data version the valuation was computed from; rows of any other
        version are deleted in the same transaction.
    customers : :attr:`clv.valuation.engine.Valuation.customers` (index ``customer_id``;
        columns ``clv``, ``margin_to_date``, ``probability_alive``, ``tier``).
    """
    rows = pd.DataFrame(
        {
            "customer_id": customers.index.astype(str).to_numpy(),
            "clv": customers["clv"].astype(float).to_numpy(),
            "margin_to_date": customers["margin_to_date"].astype(float).to_numpy(),
            "probability_alive": customers["probability_alive"].astype(float).to_numpy(),
            "tier": customers["tier"].astype(object).where(customers["tier"].notna()).to_numpy(),
        }
    )
    with _LOCK, own_transaction(cur) as work:
        work.execute(f"DELETE FROM {TABLE} WHERE valuation_key = ?", [key])  # noqa: S608
        with registered(work, "_valuation_rows", rows):
            work.execute(_INSERT_SQL, [key, data_version, list(TIERS)])
        work.execute(_PRUNE_SQL, [data_version, KEYS_KEPT])


def drop(cur: duckdb.DuckDBPyConnection) -> None:
    """Empty the table (inside the caller's transaction); the next page writes its
    valuation again. Used by erasures, so that no erased customer stays in it."""
    cur.execute(f"DELETE FROM {TABLE}")  # noqa: S608 (fixed name)

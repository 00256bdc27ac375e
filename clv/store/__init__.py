"""The store layer: the DuckDB file, its canonical tables, and the facts derived from them.

- :mod:`clv.store.database`: the file, migrations, the write lock, upserts by natural key;
- :mod:`clv.store.definitions`: the one definition of each shared concept (counted
  order, acquisition channel, observation end, currency, cohort month, data version);
- :mod:`clv.store.derived`: counted orders with rank and gap, per-customer facts and
  months, kept in the store and rebuilt per data version.

The store's public face is re-exported here: ``from clv.store import Store``.
"""

from clv.store.database import (
    KEY_FILE_NAME,
    MIGRATIONS,
    TABLE_KEYS,
    Store,
    StoreBusy,
    StoreWriteError,
    UpsertCounts,
    column_types,
    default_db_path,
    registered,
    upsert_relation,
    upsert_table,
)

__all__ = [
    "KEY_FILE_NAME",
    "MIGRATIONS",
    "TABLE_KEYS",
    "Store",
    "StoreBusy",
    "StoreWriteError",
    "UpsertCounts",
    "column_types",
    "default_db_path",
    "registered",
    "upsert_relation",
    "upsert_table",
]

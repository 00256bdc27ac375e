"""The store: one DuckDB file holding the canonical tables.

One :class:`Store` per process owns the file read-write. Readers take a fresh
``cursor()`` per unit of work (DuckDB connections must not be shared between threads);
writers go through :meth:`Store.transaction`, which holds one process-wide lock, runs
everything in a single transaction (all or nothing) and checkpoints afterwards so the
write-ahead log stays short.

What can go wrong with the file, and what the store does about it:

- another process holds it: :class:`StoreBusy`, after ``wait_seconds`` of retries;
- its write-ahead log cannot be replayed (damaged, or left from another copy of the
  file): the log is moved aside as ``<file>.wal.unreplayable-<time>`` and the store opens
  with the data of the last checkpoint; :attr:`Store.notices` says so;
- the disk is full or the folder read-only: :class:`StoreWriteError` (a ``ValueError``
  that the Data page shows), the transaction rolled back, the data as it was;
- a checkpoint fails after a commit (DuckDB then invalidates the connection): the
  committed data is safe in the log, the connection is reopened and a notice added.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from clv.compliance.privacy import load_key
from clv.i18n.messages import msg

LOG = logging.getLogger(__name__)

DB_ENV = "CLV_DB"
DEFAULT_DB = Path("data") / "clv.duckdb"
KEY_FILE_NAME = "pseudonym.key"

# Natural key of every canonical table (DESIGN.md section 2). No PRIMARY KEY
# constraints: DuckDB's indexes cost memory at ten million rows, and every write goes
# through upsert_table(), which deletes by key before inserting.
TABLE_KEYS: dict[str, tuple[str, ...]] = {
    "customers": ("customer_id",),
    "orders": ("order_id",),
    "order_lines": ("order_id", "line_no"),
    "marketing_spend": ("spend_date", "channel", "campaign"),
    "nps_responses": ("response_id",),
    "support_tickets": ("ticket_id",),
}

# Columns that tell where a row's date lies, for status().
TABLE_DATES: dict[str, str | None] = {
    "customers": "first_seen_at",
    "orders": "ordered_at",
    "order_lines": None,
    "marketing_spend": "spend_date",
    "nps_responses": "answered_at",
    "support_tickets": "opened_at",
}

MIGRATIONS: list[str] = [
    # 1: the canonical tables
    """
    CREATE SEQUENCE import_id_seq START 1;
    CREATE TABLE imports (
        import_id INTEGER NOT NULL,
        file_name VARCHAR NOT NULL,
        sha256 VARCHAR NOT NULL,
        kind VARCHAR NOT NULL,
        source_preset VARCHAR NOT NULL,
        rows_read BIGINT NOT NULL DEFAULT 0,
        rows_loaded BIGINT NOT NULL DEFAULT 0,
        rows_updated BIGINT NOT NULL DEFAULT 0,
        rows_unchanged BIGINT NOT NULL DEFAULT 0,
        rows_rejected BIGINT NOT NULL DEFAULT 0,
        notes VARCHAR,
        imported_at TIMESTAMP NOT NULL
    );
    CREATE TABLE customers (
        customer_id VARCHAR NOT NULL,
        source VARCHAR,
        source_customer_id VARCHAR,
        acquisition_channel VARCHAR,
        first_seen_at TIMESTAMP,
        country VARCHAR,
        consent_analytics BOOLEAN,
        consent_marketing BOOLEAN,
        import_id INTEGER NOT NULL
    );
    CREATE TABLE orders (
        order_id VARCHAR NOT NULL,
        customer_id VARCHAR,
        is_guest BOOLEAN NOT NULL DEFAULT FALSE,
        ordered_at TIMESTAMP NOT NULL,
        status VARCHAR NOT NULL CHECK (status IN ('paid', 'pending', 'cancelled', 'refunded', 'test')),
        currency VARCHAR,
        gross_amount DECIMAL(18, 2) NOT NULL,
        discount_amount DECIMAL(18, 2) NOT NULL DEFAULT 0,
        refunded_amount DECIMAL(18, 2) NOT NULL DEFAULT 0,
        net_amount DECIMAL(18, 2) NOT NULL,
        cost_amount DECIMAL(18, 2),
        channel VARCHAR,
        country VARCHAR,
        source VARCHAR NOT NULL,
        import_id INTEGER NOT NULL
    );
    CREATE TABLE order_lines (
        order_id VARCHAR NOT NULL,
        line_no INTEGER NOT NULL,
        product_id VARCHAR,
        product_name VARCHAR,
        quantity DECIMAL(18, 3),
        unit_price DECIMAL(18, 2),
        line_amount DECIMAL(18, 2),
        import_id INTEGER NOT NULL
    );
    CREATE TABLE marketing_spend (
        spend_date DATE NOT NULL,
        channel VARCHAR NOT NULL,
        campaign VARCHAR NOT NULL,
        spend_amount DECIMAL(18, 2) NOT NULL,
        currency VARCHAR,
        import_id INTEGER NOT NULL
    );
    CREATE TABLE nps_responses (
        response_id VARCHAR NOT NULL,
        customer_id VARCHAR,
        answered_at TIMESTAMP NOT NULL,
        score TINYINT NOT NULL CHECK (score BETWEEN 0 AND 10),
        source VARCHAR,
        import_id INTEGER NOT NULL
    );
    CREATE TABLE support_tickets (
        ticket_id VARCHAR NOT NULL,
        customer_id VARCHAR,
        opened_at TIMESTAMP NOT NULL,
        solved_at TIMESTAMP,
        status VARCHAR,
        satisfaction VARCHAR,
        source VARCHAR,
        import_id INTEGER NOT NULL
    );
    CREATE TABLE rejected_rows (
        import_id INTEGER NOT NULL,
        line_no INTEGER NOT NULL,
        reason VARCHAR NOT NULL,
        raw_line VARCHAR
    );
    CREATE TABLE settings (key VARCHAR NOT NULL, value VARCHAR NOT NULL);
    CREATE TABLE channel_aliases (alias VARCHAR NOT NULL, channel VARCHAR NOT NULL);
    CREATE TABLE saved_mappings (
        header_signature VARCHAR NOT NULL,
        kind VARCHAR NOT NULL,
        mapping VARCHAR NOT NULL,
        saved_at TIMESTAMP NOT NULL
    );
    """,
    # 2: the valuation's per-customer values, joined by every figure that needs a
    # customer's value or tier (written by clv.valuation.values)
    """
    CREATE TABLE IF NOT EXISTS customer_values (
        valuation_key VARCHAR NOT NULL,
        data_version VARCHAR NOT NULL,
        customer_id VARCHAR NOT NULL,
        clv DOUBLE,
        margin_to_date DOUBLE,
        lifetime_value DOUBLE,
        probability_alive DOUBLE,
        tier VARCHAR,
        tier_rank INTEGER,
        written_at TIMESTAMP NOT NULL
    );
    """,
]


class StoreBusy(RuntimeError):
    """Another process holds the database file (DuckDB allows one writer process)."""


class StoreWriteError(ValueError):
    """The data file cannot be written (disk full, read-only folder); nothing was changed."""


# Error texts of the operating system as DuckDB passes them on (strerror of ENOSPC,
# EFBIG, EDQUOT; EROFS, EACCES).
_DISK_FULL_WORDS = ("no space left", "file too large", "disk quota exceeded")
_READ_ONLY_WORDS = ("read-only file system", "permission denied", "operation not permitted")


def _write_problem(error: BaseException, path: Path) -> StoreWriteError | None:
    """A clear :class:`StoreWriteError` for a DuckDB error caused by the disk, else None."""
    if not isinstance(error, duckdb.Error):
        return None
    text = str(error).lower()
    folder = path.parent.resolve() if str(path) != ":memory:" else path
    if any(word in text for word in _DISK_FULL_WORDS):
        # Plain English: the French catalogue (clv.i18n.catalog.MESSAGES) has no entry for it yet.
        return StoreWriteError(
            f"The disk holding the data file {path} is full (or its size limit is reached): "
            "nothing of this change was stored and the data is as before. Free some space "
            f"in {folder}, then try again."
        )
    if any(word in text for word in _READ_ONLY_WORDS):
        return StoreWriteError(
            f"The data folder {folder} cannot be written (read-only, or owned by another "
            "user): nothing of this change was stored and the data is as before. Make the "
            "folder and the data file writable by the user that runs the app, or point "
            "CLV_DB to a writable place."
        )
    return None


def default_db_path(env: dict[str, str] | None = None) -> Path:
    """Where the store lives: ``CLV_DB`` if set, else ``data/clv.duckdb``."""
    env = os.environ if env is None else env
    value = env.get(DB_ENV, "").strip()
    return Path(value) if value else DEFAULT_DB


@dataclass
class UpsertCounts:
    """What an upsert did: rows new to the store, rows that replaced an older version,
    rows identical to what was stored (left alone)."""

    loaded: int = 0
    updated: int = 0
    unchanged: int = 0

    def __iadd__(self, other: UpsertCounts) -> UpsertCounts:
        self.loaded += other.loaded
        self.updated += other.updated
        self.unchanged += other.unchanged
        return self


class Store:
    """The DuckDB store of one process.

    Parameters
    ----------
    path : database file (created with its folder if missing), or ``":memory:"``.
    memory_limit : DuckDB ``memory_limit``, so one big import cannot take the machine.
    threads : DuckDB worker threads.
    wait_seconds : how long to retry when another process holds the file.
    pseudonym_key : HMAC key for emails; default ``CLV_PSEUDONYM_KEY``, else the file
        ``pseudonym.key`` beside the database (generated on first use).
    """

    def __init__(
        self,
        path: str | Path | None = None,
        *,
        memory_limit: str = "1GB",
        threads: int = 2,
        wait_seconds: float = 0.0,
        pseudonym_key: bytes | None = None,
    ) -> None:
        self.path = Path(path) if path is not None else default_db_path()
        self._lock = threading.RLock()
        #: What went wrong with the file and was repaired (a moved-aside log, a failed
        #: checkpoint), for the app to show; newest last.
        self.notices: list[str] = []
        in_memory = str(self.path) == ":memory:"
        if not in_memory:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreWriteError(
                    f"The data folder {self.path.parent} cannot be created ({exc.strerror}). "
                    "Create it, writable by the user that runs the app, or point CLV_DB to "
                    "a writable place."
                ) from exc
        self._config = {"memory_limit": memory_limit, "threads": threads}
        deadline = time.monotonic() + wait_seconds
        moved_wal = False
        while True:
            try:
                self._con = duckdb.connect(str(self.path), config=self._config)
                break
            except duckdb.Error as exc:
                text = str(exc).lower()
                if "replaying wal" in text and not moved_wal and not in_memory:
                    self._move_wal_aside(exc)
                    moved_wal = True
                    continue
                problem = _write_problem(exc, self.path)
                if problem is not None:
                    raise problem from exc
                if "could not set lock" not in text and "conflicting lock" not in text:
                    raise
                if time.monotonic() >= deadline:
                    raise StoreBusy(
                        msg(
                            "The data file {path} is in use by another program (probably the "
                            "dashboard or another import). Wait for it to finish, or stop it, "
                            "then try again; from the CLI, --wait SECONDS retries for a while.",
                            path=str(self.path),
                        )
                    ) from exc
                time.sleep(0.5)
        self._migrate()
        # The key lives outside the database (env or a file beside it), never inside.
        key_dir = Path("data") if in_memory else self.path.parent
        self.pseudonym_key: bytes = pseudonym_key or load_key(key_dir / KEY_FILE_NAME)

    # -- connections -------------------------------------------------------------------

    def _move_wal_aside(self, error: duckdb.Error) -> None:
        """Rename a write-ahead log DuckDB cannot replay, so the file opens at its last
        checkpoint instead of not at all; the log is kept for a manual look."""
        wal = self.path.with_name(self.path.name + ".wal")
        aside = wal.with_name(f"{wal.name}.unreplayable-{time.strftime('%Y%m%dT%H%M%S')}")
        try:
            wal.rename(aside)
        except OSError:
            raise error from None
        notice = (
            f"The write-ahead log of {self.path} could not be replayed ({error}). It was "
            f"moved aside to {aside} and the data file opened as of its last checkpoint: "
            "changes made after it (usually the last import) are missing. Import that file "
            "again."
        )
        LOG.warning(notice)
        self.notices.append(notice)

    def _reopen(self) -> None:
        """A fresh connection after DuckDB invalidated the old one (a fatal error)."""
        with suppress(duckdb.Error):
            self._con.close()
        self._con = duckdb.connect(str(self.path), config=self._config)

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """A new connection to the same database, for this thread only."""
        return self._con.cursor()

    @contextmanager
    def transaction(
        self, cursor: duckdb.DuckDBPyConnection | None = None
    ) -> Iterator[duckdb.DuckDBPyConnection]:
        """Serialised write transaction: all or nothing, checkpointed after commit.

        Parameters
        ----------
        cursor : a cursor of this store to run the transaction on, so that its temporary
            tables are visible (the streaming import's staged rows); it stays open.
            By default a new cursor, closed at the end.

        Raises
        ------
        StoreWriteError
            When the disk is full or the folder read-only; the store is as before.
        """
        with self._lock:
            cur = self._con.cursor() if cursor is None else cursor
            try:
                cur.execute("BEGIN TRANSACTION")
                try:
                    yield cur
                except BaseException as exc:
                    # A failed COMMIT or an I/O error may have ended the transaction
                    # already; a second error must not hide the first.
                    with suppress(duckdb.Error):
                        cur.execute("ROLLBACK")
                    problem = _write_problem(exc, self.path)
                    if problem is not None:
                        raise problem from exc
                    raise
                try:
                    cur.execute("COMMIT")
                except duckdb.Error as exc:
                    with suppress(duckdb.Error):
                        cur.execute("ROLLBACK")
                    if isinstance(exc, duckdb.FatalException):
                        self._reopen()
                    problem = _write_problem(exc, self.path)
                    if problem is not None:
                        raise problem from exc
                    raise
                try:
                    cur.execute("CHECKPOINT")
                except duckdb.TransactionException as exc:
                    # Another connection is writing (the derived tables of clv.store.derived
                    # being rebuilt for a page): the commit is in the write-ahead log and
                    # a later checkpoint folds it in. Nothing for the user to do.
                    LOG.info("Checkpoint after commit postponed: %s", exc)
                except duckdb.Error as exc:
                    # The commit is in the write-ahead log, which the next open replays:
                    # the change is stored. DuckDB invalidates the connection after a
                    # failed checkpoint, so the app would fail on every page without a
                    # new one.
                    notice = (
                        f"The change was saved, but the data file {self.path} could not be "
                        f"compacted ({exc}). Check the free space of its disk."
                    )
                    LOG.warning(notice)
                    self.notices.append(notice)
                    if isinstance(exc, duckdb.FatalException):
                        self._reopen()
            finally:
                if cursor is None:
                    with suppress(duckdb.Error):
                        cur.close()

    def close(self) -> None:
        """Checkpoint and release the file."""
        with self._lock:
            try:
                self._con.execute("CHECKPOINT")
            except duckdb.Error as exc:
                # Nothing is lost: the next open replays the write-ahead log.
                LOG.warning("No checkpoint on closing %s: %s", self.path, exc)
            finally:
                self._con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- schema ------------------------------------------------------------------------

    def _migrate(self) -> None:
        with self.transaction() as cur:
            cur.execute(
                "CREATE TABLE IF NOT EXISTS schema_version "
                "(version INTEGER NOT NULL, applied_at TIMESTAMP NOT NULL)"
            )
            current = cur.execute(
                "SELECT coalesce(max(version), 0) FROM schema_version"
            ).fetchone()[0]
            if current > len(MIGRATIONS):
                raise RuntimeError(
                    msg(
                        "The data file {path} was written by a newer version of this app "
                        "(schema {schema}); update the app.",
                        path=str(self.path),
                        schema=current,
                    )
                )
            for version, script in enumerate(MIGRATIONS[current:], start=current + 1):
                cur.execute(script)
                cur.execute("INSERT INTO schema_version VALUES (?, now()::TIMESTAMP)", [version])

    def schema_version(self) -> int:
        """Highest migration applied to the file."""
        with self.cursor() as cur:
            return int(cur.execute("SELECT max(version) FROM schema_version").fetchone()[0])

    # -- reading -----------------------------------------------------------------------

    def is_empty(self) -> bool:
        """True when no customer-facing data is stored (orders, customers, NPS, tickets, spend)."""
        with self.cursor() as cur:
            return all(
                cur.execute(f"SELECT count(*) FROM {t}").fetchone()[0] == 0  # noqa: S608 (fixed names)
                for t in TABLE_KEYS
            )

    def status(self) -> pd.DataFrame:
        """Rows and date range per canonical table.

        Returns
        -------
        DataFrame with columns ``table``, ``rows``, ``first_date``, ``last_date``.
        """
        out = []
        with self.cursor() as cur:
            for table, date_col in TABLE_DATES.items():
                if date_col:
                    rows, first, last = cur.execute(
                        f"SELECT count(*), min({date_col}), max({date_col}) FROM {table}"  # noqa: S608
                    ).fetchone()
                else:
                    rows = cur.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608
                    first = last = None
                out.append(
                    {
                        "table": table,
                        "rows": int(rows),
                        "first_date": pd.Timestamp(first).date() if first is not None else None,
                        "last_date": pd.Timestamp(last).date() if last is not None else None,
                    }
                )
        return pd.DataFrame(out, columns=["table", "rows", "first_date", "last_date"])

    def imports(self) -> pd.DataFrame:
        """The import log, newest first."""
        with self.cursor() as cur:
            return cur.execute(
                "SELECT import_id, imported_at, file_name, kind, source_preset, rows_read, "
                "rows_loaded, rows_updated, rows_unchanged, rows_rejected, notes "
                "FROM imports ORDER BY import_id DESC"
            ).df()

    def rejected_rows(self, import_id: int | None = None) -> pd.DataFrame:
        """Rejected rows (line number, reason, excerpt), of one import or of all."""
        sql = (
            "SELECT r.import_id, i.file_name, r.line_no, r.reason, r.raw_line "
            "FROM rejected_rows r JOIN imports i USING (import_id)"
        )
        params: list[object] = []
        if import_id is not None:
            sql += " WHERE r.import_id = ?"
            params.append(import_id)
        with self.cursor() as cur:
            return cur.execute(sql + " ORDER BY r.import_id, r.line_no", params).df()

    def find_import_by_hash(self, sha256: str) -> int | None:
        """Id of an earlier import of the very same bytes, if any."""
        with self.cursor() as cur:
            row = cur.execute(
                "SELECT max(import_id) FROM imports WHERE sha256 = ?", [sha256]
            ).fetchone()
        return None if row is None or row[0] is None else int(row[0])

    # -- settings and mappings -----------------------------------------------------------

    def get_setting(self, key: str, default: object = None) -> object:
        """A setting (JSON value) or ``default``."""
        with self.cursor() as cur:
            row = cur.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
        return default if row is None else json.loads(row[0])

    def set_setting(self, key: str, value: object) -> None:
        """Save a setting (any JSON-serialisable value)."""
        with self.transaction() as cur:
            cur.execute("DELETE FROM settings WHERE key = ?", [key])
            cur.execute("INSERT INTO settings VALUES (?, ?)", [key, json.dumps(value)])

    def save_mapping(self, header_signature: str, kind: str, mapping: dict[str, str]) -> None:
        """Remember a user's column mapping for files with the same header."""
        with self.transaction() as cur:
            cur.execute("DELETE FROM saved_mappings WHERE header_signature = ?", [header_signature])
            cur.execute(
                "INSERT INTO saved_mappings VALUES (?, ?, ?, now()::TIMESTAMP)",
                [header_signature, kind, json.dumps(mapping, sort_keys=True)],
            )

    def saved_mapping(self, header_signature: str) -> tuple[str, dict[str, str]] | None:
        """``(kind, mapping)`` saved for this header, if any."""
        with self.cursor() as cur:
            row = cur.execute(
                "SELECT kind, mapping FROM saved_mappings WHERE header_signature = ?",
                [header_signature],
            ).fetchone()
        return None if row is None else (row[0], json.loads(row[1]))

    # -- writing -----------------------------------------------------------------------

    def delete_import(self, import_id: int) -> dict[str, int]:
        """Remove the rows that an import last wrote, its rejected rows and its log entry.

        Rows that a later import replaced belong to that later import and stay. Returns
        the number of rows removed per table.
        """
        removed: dict[str, int] = {}
        with self.transaction() as cur:
            exists = cur.execute(
                "SELECT count(*) FROM imports WHERE import_id = ?", [import_id]
            ).fetchone()[0]
            if not exists:
                raise ValueError(
                    msg(
                        "There is no import number {import_id}; see the import history.",
                        import_id=import_id,
                    )
                )
            for table in (*TABLE_KEYS, "rejected_rows"):
                n = cur.execute(
                    f"SELECT count(*) FROM {table} WHERE import_id = ?",  # noqa: S608
                    [import_id],
                ).fetchone()[0]
                cur.execute(f"DELETE FROM {table} WHERE import_id = ?", [import_id])  # noqa: S608
                removed[table] = int(n)
            # Lines of an order that no longer exists would count products never sold.
            cur.execute(
                "DELETE FROM order_lines WHERE order_id NOT IN (SELECT order_id FROM orders)"
            )
            cur.execute("DELETE FROM imports WHERE import_id = ?", [import_id])
        return removed


@contextmanager
def own_transaction(cur: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """A transaction on a cursor of its own, for a write that readers on other cursors must
    see whole or not at all (the derived tables, the stored valuation): committed at the
    end of the block, rolled back on any error.

    ``cur`` must be outside a transaction; the new cursor is closed afterwards.
    """
    work = cur.cursor()
    try:
        work.execute("BEGIN TRANSACTION")
        try:
            yield work
            work.execute("COMMIT")
        except BaseException:
            with suppress(duckdb.Error):
                work.execute("ROLLBACK")
            raise
    finally:
        work.close()


@contextmanager
def registered(cur: duckdb.DuckDBPyConnection, name: str, frame: pd.DataFrame) -> Iterator[None]:
    """Expose a DataFrame to SQL as ``name`` for the duration of the block.

    After a failed statement the transaction is aborted and even ``unregister`` fails;
    that second error must not hide the first one.
    """
    cur.register(name, frame)
    try:
        yield
    except BaseException:
        with suppress(duckdb.Error):
            cur.unregister(name)
        raise
    cur.unregister(name)


def column_types(cur: duckdb.DuckDBPyConnection, table: str) -> dict[str, str]:
    """Column name -> SQL type of a store table, in table order."""
    rows = cur.execute(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_name = ? AND table_schema = 'main' ORDER BY ordinal_position",
        [table],
    ).fetchall()
    return dict(rows)


def upsert_table(
    cur: duckdb.DuckDBPyConnection,
    table: str,
    frame: pd.DataFrame,
    import_id: int,
    *,
    replace_children: bool = True,
) -> UpsertCounts:
    """Write ``frame`` into ``table`` by natural key, inside the caller's transaction.

    Rows whose key is new are inserted; rows whose key exists with other values replace
    the stored version (the newer import wins); rows identical to the stored ones are
    left alone (and keep the import that wrote them). For ``orders``, the lines of a
    replaced order are replaced with it when ``replace_children``.

    ``frame`` holds the table's columns except ``import_id`` (extra columns are ignored,
    missing nullable ones are NULL); its keys must be unique.
    """
    keys = TABLE_KEYS[table]
    types = column_types(cur, table)
    columns = [c for c in types if c != "import_id"]
    staged = frame.reindex(columns=columns)
    if staged.duplicated(subset=list(keys)).any():
        raise ValueError(
            msg("Internal error: duplicate keys in the rows prepared for {table}.", table=table)
        )
    view = f"_staged_{table}"
    with registered(cur, view, staged):
        return upsert_relation(cur, table, view, import_id, replace_children=replace_children)


def upsert_relation(
    cur: duckdb.DuckDBPyConnection,
    table: str,
    relation: str,
    import_id: int,
    *,
    replace_children: bool = True,
) -> UpsertCounts:
    """:func:`upsert_table` from a table or view already in the database (the streaming
    import's staged rows): same rules, same counts. ``relation`` is a trusted name built
    by the caller; it holds every column of ``table`` but ``import_id``, keys unique."""
    keys = TABLE_KEYS[table]
    types = column_types(cur, table)
    columns = [c for c in types if c != "import_id"]
    view = relation
    key_match = " AND ".join(f"t.{k} IS NOT DISTINCT FROM s.{k}" for k in keys)
    same_values = " AND ".join(f"t.{c} IS NOT DISTINCT FROM s.{c}" for c in columns)
    select_cols = ", ".join(f"CAST(s.{c} AS {types[c]}) AS {c}" for c in columns)
    col_list = ", ".join(columns)
    if not cur.execute(f"SELECT EXISTS (SELECT 1 FROM {table})").fetchone()[0]:  # noqa: S608
        # Nothing to compare with (a first import): every row is new, and writing them
        # straight from the relation saves a copy of all of them.
        loaded = cur.execute(
            f"INSERT INTO {table} ({col_list}, import_id) "  # noqa: S608
            f"SELECT {select_cols}, ? FROM {view} s",
            [import_id],
        ).fetchone()[0]
        return UpsertCounts(loaded=int(loaded), updated=0, unchanged=0)
    cur.execute(
        f"CREATE OR REPLACE TEMP TABLE _incoming AS SELECT {select_cols} FROM {view} s"  # noqa: S608
    )
    unchanged = cur.execute(
        f"SELECT count(*) FROM _incoming s WHERE EXISTS "  # noqa: S608
        f"(SELECT 1 FROM {table} t WHERE {same_values})"
    ).fetchone()[0]
    existing = cur.execute(
        f"SELECT count(*) FROM _incoming s WHERE EXISTS "  # noqa: S608
        f"(SELECT 1 FROM {table} t WHERE {key_match})"
    ).fetchone()[0]
    # Keep identical rows as they are; everything else is written by this import.
    cur.execute(
        f"DELETE FROM _incoming s WHERE EXISTS (SELECT 1 FROM {table} t WHERE {same_values})"  # noqa: S608
    )
    if replace_children and table == "orders":
        cur.execute(
            "DELETE FROM order_lines WHERE order_id IN "
            "(SELECT s.order_id FROM _incoming s JOIN orders t USING (order_id))"
        )
    cur.execute(
        f"DELETE FROM {table} t WHERE EXISTS (SELECT 1 FROM _incoming s WHERE {key_match})"  # noqa: S608
    )
    cur.execute(
        f"INSERT INTO {table} ({col_list}, import_id) "  # noqa: S608
        f"SELECT {col_list}, ? FROM _incoming",
        [import_id],
    )
    total = cur.execute(f"SELECT count(*) FROM {view}").fetchone()[0]  # noqa: S608
    cur.execute("DROP TABLE _incoming")
    return UpsertCounts(
        loaded=int(total - existing), updated=int(existing - unchanged), unchanged=int(unchanged)
    )

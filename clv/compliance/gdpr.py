"""GDPR in the store: erase a person, purge inactive customers, honour analytics consent.

**Erasure** (right to erasure, GDPR article 17). The store never holds an email; it holds
the keyed pseudonym of one (see :mod:`clv.compliance.privacy`). :func:`erase_customer` computes that
pseudonym with the store's key and deletes, in one transaction, every row that belongs to
it: the customer, their orders and the lines of those orders, their NPS answers, their
support tickets, and the rejected-row excerpts that quote the pseudonym or the email.
Rows keyed by the shop's own customer number of that person (``source:number``, for
exports without an email) go too.

A deleted row is not yet gone from the disk: DuckDB marks it deleted and, even after a
``CHECKPOINT``, the old bytes stay in the freed blocks of the data file (``VACUUM`` does
not reclaim them either; DuckDB's manual, "Reclaiming space", gives a copy of the
database as the way to compact a file). So after the deletion the store is copied into
a fresh file with ``COPY FROM DATABASE`` and the fresh file takes the old one's place
(:func:`compact_store`); the test suite reads the file's bytes to check it.

What stays out of reach: files already downloaded from the app (CSV exports of customer
lists, the record of processing), backups of the data file, and the export files on the
user's own computer. They hold pseudonyms (never emails, except the original exports):
delete or regenerate them after an erasure (see :data:`EXPORTS_ADVICE`).

**Retention** (storage limitation, article 5(1)(e)). :func:`purge_inactive` deletes the
customers whose last activity (an order, an NPS answer, a support ticket, or the date the
shop first saw them) is older than N years, 3 by default as the CNIL's reference for
customer management suggests (three years after the end of the commercial relationship).

**Consent**. Where the shop's setting :data:`CONSENT_SETTING` is on, the customers whose
``consent_analytics`` is FALSE are left out of every metric: the SQL of
:mod:`clv.metrics.filters`, :mod:`clv.valuation.summary`, :mod:`clv.metrics.overview` and :mod:`clv.metrics.voice` reads
:data:`REFUSED_ANALYTICS_SQL`. Unknown consent (NULL) is not a refusal.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from contextlib import suppress
from dataclasses import dataclass, field

import duckdb
import pandas as pd

from clv.compliance.privacy import normalize_email, pseudonymize
from clv.store import Store, derived, registered
from clv.store.definitions import CONSENT_SETTING
from clv.valuation import values

LOG = logging.getLogger(__name__)

#: Setting (JSON integer): how many years a customer without activity is kept.
RETENTION_SETTING = "retention_years"
#: Default retention, in years (CNIL reference for customer management).
DEFAULT_RETENTION_YEARS = 3
# The consent switch and the refused customers are defined with the other shared
# concepts (clv.store.definitions); read inside each query, so one switch reaches every
# module and the answer comes from the same snapshot as the data.

#: Tables whose rows belong to one customer through ``customer_id``.
CUSTOMER_TABLES: tuple[str, ...] = ("customers", "orders", "nps_responses", "support_tickets")

#: What to tell the user about copies outside the store, after an erasure or a purge.
EXPORTS_ADVICE = (
    "Files downloaded from the app before this erasure (customer lists, CSV downloads of "
    "charts, the record of processing) and backups of the data file may still hold this "
    "customer's pseudonym: delete them or download them again. The original export files "
    "(from the shop, the survey tool, the help desk) hold the email itself: delete them "
    "where they are no longer needed, and erase the person in those tools too."
)


@dataclass
class ErasureReport:
    """What :func:`erase_customer` did.

    Attributes
    ----------
    pseudonym : the pseudonym the email maps to with the store's key (the email itself
        is not kept).
    customer_ids : every identifier erased (the pseudonym, and the shop's own customer
        numbers of that person, ``source:number``).
    removed : rows deleted per table (``customers``, ``orders``, ``order_lines``,
        ``nps_responses``, ``support_tickets``, ``rejected_rows``); zeros when nothing
        matched.
    compacted : True when the data file was rewritten so the deleted bytes left it.
    """

    pseudonym: str
    customer_ids: list[str]
    removed: dict[str, int] = field(default_factory=dict)
    compacted: bool = False

    @property
    def found(self) -> bool:
        """True when any row of this person was stored."""
        return any(self.removed.values())

    @property
    def total(self) -> int:
        """Rows deleted over all tables."""
        return sum(self.removed.values())


@dataclass
class PurgeReport:
    """What :func:`purge_inactive` did.

    Attributes
    ----------
    years : the retention applied.
    cutoff : customers whose last activity falls before this day were deleted.
    customers : how many customers were deleted.
    removed : rows deleted per table (as in :class:`ErasureReport`).
    compacted : True when the data file was rewritten.
    """

    years: int
    cutoff: dt.date
    customers: int
    removed: dict[str, int] = field(default_factory=dict)
    compacted: bool = False


# -- settings ------------------------------------------------------------------------------


def retention_years(store: Store) -> int:
    """The shop's retention in years (:data:`DEFAULT_RETENTION_YEARS` until set)."""
    value = store.get_setting(RETENTION_SETTING, DEFAULT_RETENTION_YEARS)
    try:
        years = int(value)
    except (TypeError, ValueError):
        return DEFAULT_RETENTION_YEARS
    return years if years >= 1 else DEFAULT_RETENTION_YEARS


def set_retention_years(store: Store, years: int) -> None:
    """Save the retention in years (a whole number from 1 to 100)."""
    years = _check_years(years)
    store.set_setting(RETENTION_SETTING, years)


def respects_consent(store: Store) -> bool:
    """True when customers who refused analytics are left out of the metrics."""
    return store.get_setting(CONSENT_SETTING, False) is True


def set_respect_consent(store: Store, on: bool) -> None:
    """Turn the analytics-consent switch on or off."""
    store.set_setting(CONSENT_SETTING, bool(on))


def _check_years(years: object) -> int:
    try:
        value = int(years)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        value = 0
    if value != years or not 1 <= value <= 100:
        raise ValueError(
            f"The retention must be a whole number of years from 1 to 100 (got {years!r}); "
            f"the CNIL's reference for customer data is {DEFAULT_RETENTION_YEARS} years."
        )
    return value


# -- deleting ------------------------------------------------------------------------------


def _customer_rows(
    cur: duckdb.DuckDBPyConnection, ids: list[str], needles: list[str], *, delete: bool
) -> dict[str, int]:
    """Count, or delete inside the caller's transaction, every row of the customers ``ids``.

    ``needles`` are texts (pseudonyms, an email) whose presence in a rejected-row excerpt
    means the excerpt is about these customers. Returns rows per table.
    """
    verb = "DELETE" if delete else "SELECT count(*)"
    with (
        registered(cur, "_erased_ids", pd.DataFrame({"customer_id": pd.Series(ids, dtype=object)})),
        registered(
            cur,
            "_needles",
            pd.DataFrame({"needle": pd.Series([n.lower() for n in needles], dtype=object)}),
        ),
    ):
        cur.execute("CREATE OR REPLACE TEMP TABLE _erased AS SELECT DISTINCT * FROM _erased_ids")
        cur.execute("CREATE OR REPLACE TEMP TABLE _erased_text AS SELECT DISTINCT * FROM _needles")
    rows: dict[str, int] = {}
    # Lines first: they hang on the orders about to go.
    rows["order_lines"] = cur.execute(
        f"{verb} FROM order_lines WHERE order_id IN "  # noqa: S608 (fixed pieces)
        "(SELECT order_id FROM orders WHERE customer_id IN (SELECT customer_id FROM _erased))"
    ).fetchone()[0]
    for table in CUSTOMER_TABLES:
        rows[table] = cur.execute(
            f"{verb} FROM {table} WHERE customer_id IN (SELECT customer_id FROM _erased)"  # noqa: S608 (fixed names)
        ).fetchone()[0]
    rows["rejected_rows"] = cur.execute(
        f"{verb} FROM rejected_rows WHERE EXISTS "  # noqa: S608 (fixed pieces)
        "(SELECT 1 FROM _erased_text n WHERE strpos(lower(raw_line), n.needle) > 0)"
    ).fetchone()[0]
    cur.execute("DROP TABLE _erased")
    cur.execute("DROP TABLE _erased_text")
    if delete:
        # The per-customer facts and the stored valuation hold the erased ids too; the
        # next query rebuilds them.
        derived.drop(cur)
        values.drop(cur)
    return {table: int(n) for table, n in rows.items()}


def _identify(cur: duckdb.DuckDBPyConnection, email: str, key: bytes) -> tuple[str, str, list[str]]:
    """The normalised email, its pseudonym and every id of that person.

    Raises ValueError when ``email`` is not an email address.
    """
    normalized = normalize_email(email or "")
    local, at, domain = normalized.partition("@")
    if not (local and at and domain) or any(ch.isspace() for ch in normalized):
        raise ValueError(
            f"{email!r} is not an email address; type the person's email as they gave it "
            "(name@domain)."
        )
    pseudonym = pseudonymize(normalized, key)
    # The shop's own number of this person keys the rows of exports without an email.
    linked = cur.execute(
        "SELECT DISTINCT source || ':' || source_customer_id FROM customers "
        "WHERE customer_id = ? AND source IS NOT NULL AND source_customer_id IS NOT NULL",
        [pseudonym],
    ).fetchall()
    return normalized, pseudonym, [pseudonym, *sorted(row[0] for row in linked)]


def preview_erasure(store: Store, email: str) -> ErasureReport:
    """What :func:`erase_customer` would delete, without deleting anything.

    Returns
    -------
    ErasureReport
        ``removed`` holds the rows that the erasure would delete per table;
        ``compacted`` is False.

    Raises
    ------
    ValueError
        When ``email`` is not an email address.
    """
    with store.cursor() as cur:
        normalized, pseudonym, ids = _identify(cur, email, store.pseudonym_key)
        rows = _customer_rows(cur, ids, [pseudonym, normalized], delete=False)
    return ErasureReport(pseudonym=pseudonym, customer_ids=ids, removed=rows)


def erase_customer(store: Store, email: str, *, compact: bool = True) -> ErasureReport:
    """Erase everything the store holds about the person with this email.

    Parameters
    ----------
    store : the open store (its key gives the pseudonym).
    email : the person's email, as they wrote it (case and spaces do not matter).
    compact : rewrite the data file afterwards (:func:`compact_store`) so the deleted
        bytes leave the disk file; turn off only to erase several people and compact once.

    Returns
    -------
    ErasureReport
        The pseudonym, the identifiers erased and the rows deleted per table. Nothing
        found is not an error (``report.found`` is False): the person may never have
        been imported, or was erased before.

    Raises
    ------
    ValueError
        When ``email`` is not an email address, or the file could not be rewritten
        (see :func:`compact_store`; the rows are deleted all the same).
    """
    with store.transaction() as cur:
        normalized, pseudonym, ids = _identify(cur, email, store.pseudonym_key)
        removed = _customer_rows(cur, ids, [pseudonym, normalized], delete=True)
    report = ErasureReport(pseudonym=pseudonym, customer_ids=ids, removed=removed)
    # Rewritten even when nothing matched: a compaction that failed after an earlier
    # erasure is finished this way.
    if compact:
        report.compacted = compact_store(store)
    LOG.info("Erased customer %s: %s rows", pseudonym, report.total)
    return report


def retention_cutoff(years: int, today: dt.date) -> dt.date:
    """The day ``years`` years before ``today``: customers whose last activity is before
    it are past the retention (29 February counts back to 28 February)."""
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February in a year that has none
        return today.replace(year=today.year - years, day=28)


_LAST_ACTIVITY_SQL = """
WITH activity AS (
    SELECT customer_id, first_seen_at AS activity_at FROM customers
    UNION ALL
    SELECT customer_id, ordered_at FROM orders WHERE customer_id IS NOT NULL
    UNION ALL
    SELECT customer_id, answered_at FROM nps_responses WHERE customer_id IS NOT NULL
    UNION ALL
    SELECT customer_id, greatest(opened_at, solved_at) FROM support_tickets
    WHERE customer_id IS NOT NULL
)
SELECT customer_id, max(activity_at)::DATE AS last_activity
FROM activity
GROUP BY customer_id
HAVING max(activity_at) IS NOT NULL AND max(activity_at)::DATE < ?
ORDER BY customer_id
"""


def inactive_customers(
    cur: duckdb.DuckDBPyConnection,
    years: int = DEFAULT_RETENTION_YEARS,
    today: dt.date | None = None,
) -> pd.DataFrame:
    """Customers whose last activity is older than ``years`` years (what a purge deletes).

    Parameters
    ----------
    cur : a cursor on the store.
    years : the retention, in whole years.
    today : the day the retention counts back from (default: today).

    Returns
    -------
    DataFrame with ``customer_id`` and ``last_activity`` (date of the latest order,
    NPS answer, ticket opening or solving, or first-seen date), one row per customer whose
    last activity is before ``today`` minus ``years`` years, sorted by id. Customers with
    no dated row at all are not listed (their age cannot be told).
    """
    cutoff = retention_cutoff(_check_years(years), today or dt.date.today())
    return cur.execute(_LAST_ACTIVITY_SQL, [cutoff]).df()


def purge_inactive(
    store: Store,
    years: int = DEFAULT_RETENTION_YEARS,
    today: dt.date | None = None,
    *,
    compact: bool = True,
) -> PurgeReport:
    """Delete the customers inactive for more than ``years`` years, with all their rows.

    Parameters
    ----------
    store : the open store.
    years : the retention, in whole years (the shop's setting: :func:`retention_years`).
    today : the day the retention counts back from (default: today).
    compact : rewrite the data file afterwards (see :func:`erase_customer`).

    Returns
    -------
    PurgeReport
        The cutoff day, the customers deleted and the rows deleted per table.
    """
    years = _check_years(years)
    cutoff = retention_cutoff(years, today or dt.date.today())
    with store.transaction() as cur:
        ids = [row[0] for row in cur.execute(_LAST_ACTIVITY_SQL, [cutoff]).fetchall()]
        removed = _customer_rows(cur, ids, ids, delete=True)
    report = PurgeReport(years=years, cutoff=cutoff, customers=len(ids), removed=removed)
    if compact and ids:
        report.compacted = compact_store(store)
    return report


# -- compacting the file ---------------------------------------------------------------------


def _quote_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _quote_identifier(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def compact_store(store: Store) -> bool:
    """Rewrite the data file so that deleted rows leave it.

    The database is copied into a fresh file beside it (``COPY FROM DATABASE``, which
    keeps tables, constraints, defaults and sequences), the connection is closed, the
    fresh file replaces the old one, and the store reopens on it. Everything runs under
    the store's write lock. Queries running at that instant in other threads fail once
    (their connection closes); the next run of the page works.

    Parameters
    ----------
    store : the open store.

    Returns
    -------
    True when the file was rewritten; False for an in-memory store (no file).

    Raises
    ------
    ValueError
        When the copy cannot be written (disk full, read-only folder); the data file is
        then left as it was, with the deleted rows unreachable but their bytes still in it.
    """
    path = store.path
    if str(path) == ":memory:":
        return False
    fresh = path.with_name(path.name + ".compact")
    wal = path.with_name(path.name + ".wal")
    # The store keeps its connection, lock and reopening private; compaction needs all
    # three to swap the file under it.
    with store._lock:  # noqa: SLF001
        con = store._con  # noqa: SLF001
        for leftover in (fresh, fresh.with_name(fresh.name + ".wal")):
            leftover.unlink(missing_ok=True)
        try:
            name = con.execute("SELECT current_database()").fetchone()[0]
            con.execute(f"ATTACH {_quote_literal(str(fresh))} AS _compacted")
            try:
                con.execute(f"COPY FROM DATABASE {_quote_identifier(name)} TO _compacted")
            finally:
                con.execute("DETACH _compacted")
        except (duckdb.Error, OSError) as exc:
            with suppress(OSError):
                fresh.unlink(missing_ok=True)
            raise ValueError(
                f"The deleted rows are gone from every table, but the data file {path} could "
                f"not be rewritten to remove their bytes ({exc}). Free some disk space beside "
                "it, then run the erasure again: it rewrites the file even when nothing is "
                "left to delete."
            ) from exc
        con.close()
        if wal.exists() and wal.stat().st_size > 0:
            # A log left after closing would be replayed onto the fresh file: keep the old
            # file rather than risk it.
            fresh.unlink(missing_ok=True)
            store._reopen()  # noqa: SLF001
            raise ValueError(
                f"The data file {path} still had a write-ahead log after closing, so it was "
                "not rewritten; the deleted rows are unreachable but their bytes remain. "
                "Restart the app, then run the erasure again."
            )
        try:
            wal.unlink(missing_ok=True)
            os.replace(fresh, path)
        finally:
            # Whatever happened to the swap, the app needs an open connection again.
            store._reopen()  # noqa: SLF001
    return True

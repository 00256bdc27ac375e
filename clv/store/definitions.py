"""The one definition of each concept every figure is built on.

Every module that counts orders, names a channel, ends an observation, picks the shop's
currency, dates a cohort or keys a cache reads it here; ``docs/definitions.md`` lists the
figures built on them.

- **customer**: a ``customer_id`` (a pseudonym, or the source's own id) with at least one
  counted order, or a row in ``customers``. While the shop's consent switch is on,
  customers who refused analytics are left out of every figure (:data:`REFUSED_ANALYTICS_SQL`).
- **counted order** (:data:`COUNTED_ORDER_SQL`): status ``'paid'`` and a customer. Guest
  checkouts belong to no customer; cancelled, refunded, pending and test orders are not
  purchases. A partially refunded order stays paid with its net amount.
- **acquisition channel** (:data:`ACQUISITION_CHANNEL_SQL`, kept per customer by
  :mod:`clv.store.derived`): the customers export's channel when it gives one, else the
  channel of the customer's first counted order; both go through the ``channel_aliases``
  table, compared by :data:`CHANNEL_KEY_SQL` (no accents, case or extra spaces).
- **observation end** (:func:`observation_end`): the day of the latest order in the store,
  of any status (the day up to which the exports were taken), or an earlier day chosen by
  a filter.
- **shop currency** (:func:`shop_currency`): the currency of most of the counted revenue.
- **cohort month** (:data:`COHORT_MONTH_SQL`): the month of the customer's first counted order.
- **data version** (:func:`data_version`): changes whenever what any figure reads
  changes: an import added or deleted, an alias edited, rows erased or purged, the
  consent switch turned.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

import duckdb

T = TypeVar("T")

# The store facts already read in this context (see :func:`facts_memo`); None outside one.
_FACTS: ContextVar[dict[str, Any] | None] = ContextVar("store_facts", default=None)

#: The consent switch (a setting): while it is ``true``, customers who refused analytics
#: are left out of every figure.
CONSENT_SETTING = "respect_analytics_consent"

#: Customers left out of every figure because they refused analytics while the switch is on.
REFUSED_ANALYTICS_SQL = (
    "SELECT customer_id FROM customers WHERE consent_analytics = FALSE "  # noqa: S608
    f"AND (SELECT max(value) FROM settings WHERE key = '{CONSENT_SETTING}') = 'true'"
)


def counted_order_sql(alias: str | None = None) -> str:
    """WHERE condition of a counted order on ``orders`` (its columns prefixed by
    ``alias.`` when given): status paid and a customer."""
    prefix = f"{alias}." if alias else ""
    return f"{prefix}status = 'paid' AND {prefix}customer_id IS NOT NULL"


#: WHERE condition of a counted order on the ``orders`` table (unqualified columns).
COUNTED_ORDER_SQL = counted_order_sql()

#: SQL that turns a channel name into its comparison key (:func:`channel_key` is its twin).
CHANNEL_KEY_SQL = "lower(regexp_replace(strip_accents(trim({})), '\\s+', ' ', 'g'))"

#: The channel alias table by comparison key, ``(alias_key, channel)``.
ALIAS_MAP_SQL = f"""SELECT {CHANNEL_KEY_SQL.format("alias")} AS alias_key, min(channel) AS channel
    FROM channel_aliases
    GROUP BY 1"""  # noqa: S608 (fixed pieces)

#: A customer's acquisition channel from a ``customer_base`` row (alias ``{0}``): the
#: customers export's channel after aliases, else the first counted order's.
ACQUISITION_CHANNEL_SQL = "coalesce({0}.listed_channel, {0}.order_channel)"

#: The cohort month of a first day (a DATE expression ``{}``): the first day of its month.
COHORT_MONTH_SQL = "date_trunc('month', {})::DATE"

_CURRENCIES_SQL = f"""
SELECT currency
FROM orders
WHERE {COUNTED_ORDER_SQL} AND currency IS NOT NULL
  AND customer_id NOT IN ({REFUSED_ANALYTICS_SQL})
GROUP BY currency
ORDER BY sum(net_amount) DESC, currency
"""  # noqa: S608 (fixed pieces)

_VERSION_SQL = f"""
SELECT concat_ws('/',
    (SELECT coalesce(max(import_id), 0) FROM imports),
    (SELECT count(*) FROM imports),
    (SELECT count(*) FROM orders),
    (SELECT count(*) FROM customers),
    (SELECT count(*) FROM nps_responses),
    (SELECT count(*) FROM support_tickets),
    (SELECT coalesce(sum(hash(alias, channel)), 0) % 1000000007 FROM channel_aliases),
    (SELECT coalesce(max(value), 'false') FROM settings WHERE key = '{CONSENT_SETTING}'))
"""  # noqa: S608 (fixed pieces)

#: The default currency when the store holds no counted order.
DEFAULT_CURRENCY = "EUR"


@contextmanager
def facts_memo(memo: dict[str, Any]) -> Iterator[None]:
    """Within this block, the store facts below (latest order day, currencies, data
    version, and whether the derived tables are current) are read at most once, into
    ``memo``: a page run reads each of them once however many figures it computes.

    The memo is the caller's (one per page run); a context variable carries it, so
    concurrent runs in other threads never see it. Outside a block every call reads the
    store.
    """
    token = _FACTS.set(memo)
    try:
        yield
    finally:
        _FACTS.reset(token)


def memoized(name: str, read: Callable[[], T]) -> T:
    """``read()``, or its value already read under ``name`` in the current
    :func:`facts_memo` block."""
    memo = _FACTS.get()
    if memo is None:
        return read()
    if name not in memo:
        memo[name] = read()
    return memo[name]


def channel_key(name: str) -> str:
    """Comparison key of a channel name: no accents, lower case, single spaces.

    The Python twin of :data:`CHANNEL_KEY_SQL`: ``channel_key(" Réseaux  Sociaux ")`` is
    ``"reseaux sociaux"``.
    """
    decomposed = unicodedata.normalize("NFKD", str(name))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.lower().split())


def last_order_day(cur: duckdb.DuckDBPyConnection) -> dt.date | None:
    """Day of the latest order in the store, of any status; ``None`` without orders."""
    return memoized(
        "last_order_day",
        lambda: cur.execute("SELECT max(ordered_at)::DATE FROM orders").fetchall()[0][0],
    )


def observation_end(cur: duckdb.DuckDBPyConnection, end: dt.date | None = None) -> dt.date | None:
    """The last day observed: the latest order day in the store (any status), or ``end``
    when that is earlier. ``None`` when the store holds no orders."""
    last = last_order_day(cur)
    if last is None:
        return None
    return last if end is None else min(end, last)


def shop_currencies(cur: duckdb.DuckDBPyConnection) -> list[str]:
    """Currencies of the counted orders, largest net revenue first (more than one means
    amounts in different currencies are being added up)."""
    return list(
        memoized("currencies", lambda: [row[0] for row in cur.execute(_CURRENCIES_SQL).fetchall()])
    )


def shop_currency(cur: duckdb.DuckDBPyConnection) -> str:
    """Currency of most of the counted revenue (:data:`DEFAULT_CURRENCY` without orders)."""
    currencies = shop_currencies(cur)
    return currencies[0] if currencies else DEFAULT_CURRENCY


def data_version(cur: duckdb.DuckDBPyConnection) -> str:
    """A text that changes whenever what the figures read changes: last import id,
    number of imports, rows of orders, customers, NPS answers and tickets, a checksum of
    the channel aliases, and the consent switch."""
    return memoized("data_version", lambda: read_data_version(cur))


def read_data_version(cur: duckdb.DuckDBPyConnection) -> str:
    """:func:`data_version` read from the store now, never from a memo (inside a
    transaction, for the snapshot it works on)."""
    return str(cur.execute(_VERSION_SQL).fetchall()[0][0])

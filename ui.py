"""What every page shares: the store, cached reads, the language, the sidebar, downloads.

This is the only UI-side module with Streamlit caching in it. The store is a process-wide
resource (``st.cache_resource``, one per data file); query results are cached with
``st.cache_data`` and keyed by the data file and a *data version* read from the import
log, so an import or a deletion (from this app or from the CLI) shows at the next run.
"""

from __future__ import annotations

import dataclasses
import os
import runpy
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
import streamlit as st

from clv import formatting, i18n
from clv.overview import base_summary
from clv.store import Store, StoreBusy, default_db_path

if TYPE_CHECKING:
    from clv.valuation import Valuation, ValuationSettings

LANGUAGES: dict[str, str] = {"fr": "Français", "en": "English"}
# British English writes dates day/month/year like French, which keeps one reading of
# 05/01/2023 across the app whatever the language.
LOCALES: dict[str, str] = {"fr": "fr_FR", "en": "en_GB"}
LANG_KEY = "lang"
LANG_WIDGET_KEY = "lang_select"

DEMO_CUSTOMERS_ENV = "CLV_DEMO_CUSTOMERS"
DEMO_DECLINED = "demo_declined"

# Query results are small (status, log, summaries); ten minutes bounds staleness
# should the import log be edited behind the app's back.
CACHE_TTL = "10m"
CACHE_ENTRIES = 64


# -- settings --------------------------------------------------------------------------


def secret(name: str, default: Any = None) -> Any:
    """A value from ``.streamlit/secrets.toml``, or ``default`` when there is no such
    file or key (Streamlit raises when no secrets file exists at all)."""
    try:
        return st.secrets.get(name, default)
    except FileNotFoundError:
        return default


def db_path() -> Path:
    """The data file: env ``CLV_DB``, else secret ``clv_db``, else ``data/clv.duckdb``.

    The environment wins so that a test or a one-off run can point elsewhere without
    editing the secrets file.
    """
    if os.environ.get("CLV_DB", "").strip():
        return default_db_path()
    from_secrets = str(secret("clv_db", "") or "").strip()
    return Path(from_secrets) if from_secrets else default_db_path()


# -- language --------------------------------------------------------------------------


def _browser_language() -> str:
    locale = (st.context.locale or "").lower()
    return "fr" if locale.startswith("fr") else "en"


def lang() -> str:
    """The session's language code (``"fr"`` or ``"en"``), from the browser at first."""
    value = st.session_state.setdefault(LANG_KEY, _browser_language())
    return value if value in LANGUAGES else "en"


def locale() -> str:
    """Babel locale of the session's language."""
    return LOCALES[lang()]


def t(key: str, **kwargs: object) -> str:
    """Message ``key`` in the session's language."""
    return i18n.translate(key, lang(), **kwargs)


def tr(message: str) -> str:
    """A message of the ingest pipeline (note, file problem) in the session's language.

    Plain text: escape it with :func:`text` before showing it as Markdown.
    """
    return i18n.render(message, lang())


def tr_error(error: BaseException) -> str:
    """The message of an exception raised by the ingest or the store, in the session's
    language (``str(error)`` would lose its translation)."""
    return tr(i18n.message_of(error))


def tr_reason(reason: str) -> str:
    """A rejected-row reason (``"reason: value"``) in the session's language."""
    return i18n.render_reason(reason, lang())


def fmt_money(value: Any, currency: str | None = "EUR", *, decimals: int | None = None) -> str:
    return formatting.format_money(value, currency or "EUR", locale(), decimals=decimals)


def fmt_int(value: Any) -> str:
    return formatting.format_int(value, locale())


def fmt_number(value: Any, decimals: int = 2) -> str:
    return formatting.format_number(value, locale(), decimals=decimals)


def fmt_percent(value: Any, decimals: int = 1) -> str:
    return formatting.format_percent(value, locale(), decimals=decimals)


def fmt_date(value: Any) -> str:
    return formatting.format_date(value, locale())


def fmt_datetime(value: Any) -> str:
    return formatting.format_datetime(value, locale())


def date_column_format() -> str:
    """Display format of ``st.column_config.DatetimeColumn`` (moment.js tokens)."""
    return "DD/MM/YYYY HH:mm"


def text(value: object) -> str:
    """Text from a file (file name, column, reader note) made inert for Markdown."""
    return formatting.escape_markdown(value)


# -- the store -------------------------------------------------------------------------


@st.cache_resource(show_spinner=False)
def _open_store(path: str, memory_limit: str, threads: int) -> Store:
    key = str(secret("pseudonym_key", "") or "").strip()
    return Store(
        path,
        memory_limit=memory_limit,
        threads=threads,
        pseudonym_key=key.encode("utf-8") if key else None,
    )


@st.cache_resource(show_spinner=False)
def _demo_lock(path: str) -> threading.Lock:
    # Two first visitors at once must not both load the demo.
    return threading.Lock()


def get_store() -> Store:
    """The process-wide store of the configured data file.

    On the first run of a session, an empty store gets the demo shop (unless the user
    removed the demo before). When another program holds the file, the page shows why
    and stops.
    """
    path = str(db_path())
    try:
        store = _open_store(
            path, str(secret("duckdb_memory_limit", "1GB")), int(secret("duckdb_threads", 2))
        )
    except StoreBusy as exc:
        st.error(text(tr_error(exc)))
        st.stop()
    checked = st.session_state.setdefault("_demo_checked", set())
    if path not in checked:
        _load_demo_if_first_start(store, path)
        checked.add(path)
    return store


def demo_customers() -> int:
    """How many customers the demo shop has (env ``CLV_DEMO_CUSTOMERS``, default 20,000)."""
    raw = os.environ.get(DEMO_CUSTOMERS_ENV, "").strip()
    return int(raw) if raw else 20_000


def _load_demo_if_first_start(store: Store, path: str) -> None:
    with _demo_lock(path):
        if not store.is_empty() or store.get_setting(DEMO_DECLINED, False):
            return
        load_demo_data(store)


def load_demo_data(store: Store) -> dict[str, int]:
    """Load the demo shop, showing progress; clears the ``demo_declined`` setting."""
    from clv.demo import load_demo

    placeholder = st.empty()
    with placeholder.status(t("demo.loading"), expanded=False):
        counts = load_demo(store, n_customers=demo_customers(), key=store.pseudonym_key)
    placeholder.empty()
    store.set_setting(DEMO_DECLINED, False)
    st.toast(t("demo.loaded"), icon=":material/check_circle:")
    return counts


# -- cached reads ----------------------------------------------------------------------


def data_version(store: Store) -> tuple[int, int]:
    """Changes whenever an import is added or deleted: ``(last import id, imports)``."""
    with store.cursor() as cur:
        last, count = cur.execute(
            "SELECT coalesce(max(import_id), 0), count(*) FROM imports"
        ).fetchone()
    return int(last), int(count)


def _cached(function: Callable[..., Any]) -> Callable[..., Any]:
    return st.cache_data(ttl=CACHE_TTL, max_entries=CACHE_ENTRIES, show_spinner=False)(function)


# The store parameter starts with "_" so Streamlit does not hash it; the data file and
# the data version are the cache key.
@_cached
def _status(_store: Store, path: str, version: tuple[int, int]) -> pd.DataFrame:
    return _store.status()


@_cached
def _imports(_store: Store, path: str, version: tuple[int, int]) -> pd.DataFrame:
    return _store.imports()


@_cached
def _rejected(_store: Store, path: str, version: tuple[int, int], import_id: int) -> pd.DataFrame:
    return _store.rejected_rows(import_id)


@_cached
def _summary(_store: Store, path: str, version: tuple[int, int]) -> dict[str, Any]:
    return base_summary(_store)


def cached_status(store: Store) -> pd.DataFrame:
    """:meth:`Store.status`, cached until the data changes."""
    return _status(store, str(store.path), data_version(store))


def cached_imports(store: Store) -> pd.DataFrame:
    """:meth:`Store.imports`, cached until the data changes."""
    return _imports(store, str(store.path), data_version(store))


def cached_rejected_rows(store: Store, import_id: int) -> pd.DataFrame:
    """:meth:`Store.rejected_rows` of one import, cached until the data changes."""
    return _rejected(store, str(store.path), data_version(store), int(import_id))


def cached_summary(store: Store) -> dict[str, Any]:
    """:func:`clv.overview.base_summary`, cached until the data changes."""
    return _summary(store, str(store.path), data_version(store))


# -- shared widgets --------------------------------------------------------------------


def _language_chosen() -> None:
    st.session_state[LANG_KEY] = st.session_state[LANG_WIDGET_KEY]


def language_switch() -> None:
    """Language selector in the sidebar.

    The language lives in its own Session State entry, copied from the widget when the
    user picks one: a widget's own entry is dropped on any run that does not draw it.
    """
    codes = list(LANGUAGES)
    st.sidebar.selectbox(
        "Langue / Language",
        options=codes,
        index=codes.index(lang()),
        format_func=LANGUAGES.__getitem__,
        key=LANG_WIDGET_KEY,
        on_change=_language_chosen,
    )


TABLE_LABELS = {
    "orders": "table.orders",
    "customers": "table.customers",
    "order_lines": "table.order_lines",
    "marketing_spend": "table.marketing_spend",
    "nps_responses": "table.nps_responses",
    "support_tickets": "table.support_tickets",
}


def sidebar_status(store: Store) -> None:
    """Rows and date range per table, and where the data file is."""
    with st.sidebar:
        st.subheader(t("sidebar.data"))
        status = cached_status(store)
        filled = status[status["rows"] > 0]
        lines = []
        for row in filled.itertuples(index=False):
            label = t(TABLE_LABELS.get(row.table, row.table))
            lines.append(t("sidebar.table_rows", table=label, rows=fmt_int(row.rows)))
            if row.first_date is not None:
                lines.append(
                    t(
                        "sidebar.table_dates",
                        first=fmt_date(row.first_date),
                        last=fmt_date(row.last_date),
                    )
                )
        # Two trailing spaces: a Markdown line break, so the list stays one compact block.
        st.caption("  \n".join(lines) if lines else t("sidebar.no_data"))
        st.caption(t("sidebar.file", path=text(store.path)))


ROUTER_MARK = "_page_via_router"
ROUTER_SCRIPT = Path(__file__).resolve().parent / "app.py"


def mark_router_run() -> None:
    """Called by ``app.py`` before it hands over to a page (see :func:`page_header`)."""
    st.session_state[ROUTER_MARK] = True


def page_header(title_key: str, purpose_key: str) -> None:
    """Page title and the one line that says what the page is for.

    Also makes sure the page runs under ``app.py``. Because the pages live in a folder
    named ``pages/``, Streamlit runs a page the old multipage way (the page file alone:
    no language switch, no sidebar, file names as navigation) until ``st.navigation``
    has been called once in the process, and AppTest does so on every run. A page run
    that way runs the router instead, which runs the page again under it.
    """
    if not st.session_state.pop(ROUTER_MARK, False):
        runpy.run_path(str(ROUTER_SCRIPT))
        st.stop()
    st.title(t(title_key))
    st.caption(t(purpose_key))


def csv_download(frame: pd.DataFrame, file_name: str, label: str, key: str) -> None:
    """Download button for ``frame`` as CSV, cells neutralised against formula injection."""
    st.download_button(
        label,
        data=formatting.to_csv_bytes(frame),
        file_name=file_name,
        mime="text/csv",
        key=key,
        icon=":material/download:",
        on_click="ignore",
    )


# -- the CLV page's valuation ----------------------------------------------------------

# A valuation of a large base weighs a few MB: a handful of setting combinations per data
# version is plenty.
VALUATION_ENTRIES = 8


@st.cache_data(ttl=CACHE_TTL, max_entries=VALUATION_ENTRIES, show_spinner=False)
def _valuation(
    _store: Store, path: str, version: tuple[int, int], settings: ValuationSettings
) -> Valuation:
    # Imported here: the models pull in scipy and lifetimes, which the other pages need not
    # wait for.
    from clv.valuation import value_customers

    # The lifetimes fitters cannot be pickled, and the page needs none of them.
    return value_customers(_store, settings).portable()


def cached_valuation(store: Store, settings: ValuationSettings) -> Valuation:
    """:func:`clv.valuation.value_customers`, cached per data version and settings.

    The tiers are cut after the cache (:func:`clv.valuation.with_tiers`), so editing the
    thresholds refits nothing.
    """
    from clv.tiers import TierRule
    from clv.valuation import with_tiers

    fitted = dataclasses.replace(settings, tier_rule=TierRule())
    valuation = _valuation(store, str(store.path), data_version(store), fitted)
    return with_tiers(valuation, settings.tier_rule)

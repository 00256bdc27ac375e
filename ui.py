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
    for notice in store.notices:
        # e.g. a write-ahead log that could not be replayed and was moved aside
        st.warning(text(tr(notice)), icon=":material/history:")
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


# What the cached figures depend on besides the imports: the alias table, the rows left
# after an erasure or a purge (which add no import), and the consent switch.
_VERSION_SQL = """
SELECT
    (SELECT coalesce(max(import_id), 0) FROM imports),
    (SELECT count(*) FROM imports),
    (SELECT coalesce(sum(hash(alias, channel)), 0) % 1000000007 FROM channel_aliases),
    (SELECT count(*) FROM orders) + (SELECT count(*) FROM customers)
        + (SELECT count(*) FROM nps_responses) + (SELECT count(*) FROM support_tickets),
    (SELECT coalesce(max(hash(value)), 0) % 1000000007 FROM settings WHERE key = ?)
"""


def data_version(store: Store) -> tuple[int, int, int, int, int]:
    """Changes whenever an import is added or deleted, the channel aliases change, rows
    are erased or purged, or the consent switch is turned: ``(last import id, imports,
    alias checksum, rows, consent setting checksum)``."""
    from clv.gdpr import CONSENT_SETTING

    with store.cursor() as cur:
        row = cur.execute(_VERSION_SQL, [CONSENT_SETTING]).fetchone()
    return tuple(int(value) for value in row)  # type: ignore[return-value]


def _cached(function: Callable[..., Any]) -> Callable[..., Any]:
    return st.cache_data(ttl=CACHE_TTL, max_entries=CACHE_ENTRIES, show_spinner=False)(function)


# The store parameter starts with "_" so Streamlit does not hash it; the data file and
# the data version are the cache key.
@_cached
def _status(_store: Store, path: str, version: tuple[int, ...]) -> pd.DataFrame:
    return _store.status()


@_cached
def _imports(_store: Store, path: str, version: tuple[int, ...]) -> pd.DataFrame:
    return _store.imports()


@_cached
def _rejected(_store: Store, path: str, version: tuple[int, ...], import_id: int) -> pd.DataFrame:
    return _store.rejected_rows(import_id)


@_cached
def _summary(_store: Store, path: str, version: tuple[int, ...]) -> dict[str, Any]:
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
    _store: Store, path: str, version: tuple[int, ...], settings: ValuationSettings
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


# -- the CLV settings every page shares --------------------------------------------------

# The CLV page's controls and their first values. They are copied to CLV_CONTROLS_KEY after
# each run (Streamlit drops a widget's own entry on any run of another page), so that the
# other pages value and tier customers with the same settings.
CLV_CONTROLS_KEY = "clv_controls"
DEFAULT_CLV_CONTROLS: dict[str, Any] = {
    "clv_horizon": 12,
    "clv_discount": 10.0,
    "clv_model": "auto",
    "clv_time_unit": "week",
    "clv_compare_pareto": False,
}


def stored_tier_rule(store: Store) -> Any:
    """The shop's tier rule from its settings (the default rule if the setting is damaged)."""
    from clv.tiers import TierRule
    from clv.valuation import TIER_RULE_SETTING

    try:
        return TierRule.from_dict(store.get_setting(TIER_RULE_SETTING))
    except (TypeError, ValueError):
        return TierRule()


def stored_margin_rate(store: Store) -> float:
    """The shop's margin rate (0..1) for orders whose export has no cost."""
    from clv.valuation import MARGIN_RATE_SETTING

    return float(store.get_setting(MARGIN_RATE_SETTING, 0.40))


def clv_controls() -> dict[str, Any]:
    """The session's CLV controls (the CLV page's last choices, else the defaults)."""
    return st.session_state.setdefault(CLV_CONTROLS_KEY, dict(DEFAULT_CLV_CONTROLS))


def valuation_settings(store: Store) -> ValuationSettings:
    """The valuation settings of this session: CLV page controls, shop margin and tiers."""
    from clv.valuation import ValuationSettings

    saved = {**DEFAULT_CLV_CONTROLS, **clv_controls()}
    return ValuationSettings(
        time_unit=saved["clv_time_unit"],
        horizon_months=int(saved["clv_horizon"]),
        annual_discount_rate=float(saved["clv_discount"]) / 100,
        margin_rate=stored_margin_rate(store),
        model=saved["clv_model"],
        compare_pareto=bool(saved["clv_compare_pareto"]),
        tier_rule=stored_tier_rule(store),
    )


def shared_valuation(store: Store) -> Valuation | None:
    """The customers valued with this session's settings, or ``None`` when no valuation is
    possible (no repeat buyers, a failed fit). Cached: the first call after an import fits
    the models, with a spinner."""
    with st.spinner(t("filters.valuing"), show_time=True):
        valuation = cached_valuation(store, valuation_settings(store))
    return valuation if valuation.ok else None


def customer_tiers(store: Store) -> pd.Series | None:
    """Value tier per customer (index ``customer_id``), ``None`` without a valuation."""
    valuation = shared_valuation(store)
    return None if valuation is None else valuation.customers["tier"]


def customer_clv(store: Store) -> pd.Series | None:
    """Predicted CLV per customer (index ``customer_id``), ``None`` without a valuation."""
    valuation = shared_valuation(store)
    return None if valuation is None else valuation.customers["clv"]


def customer_lifetime_value(store: Store) -> pd.Series | None:
    """Margin earned so far plus predicted CLV per customer (what CLV/CAC compares with
    the acquisition cost), ``None`` without a valuation."""
    from clv.valuation import lifetime_value

    valuation = shared_valuation(store)
    return None if valuation is None else lifetime_value(valuation.customers)


# -- shared filters and presentation -----------------------------------------------------

FILTERS_KEY = "kpi_filters"
PRESENTATION_KEY = "presentation"


@_cached
def _channel_choices(_store: Store, path: str, version: tuple[int, ...]) -> list[str]:
    from clv.filters import channel_choices

    with _store.cursor() as cur:
        return channel_choices(cur)


def _saved_filters() -> dict[str, Any]:
    return st.session_state.setdefault(FILTERS_KEY, {"period": None, "channels": [], "tiers": []})


def _filters_changed() -> None:
    saved = _saved_filters()
    period = st.session_state.get("filter_period")
    # While the user picks a range the widget holds one date: keep the last full range.
    if isinstance(period, (tuple, list)) and len(period) == 2:
        saved["period"] = tuple(period)
    saved["channels"] = list(st.session_state.get("filter_channels", []))
    saved["tiers"] = list(st.session_state.get("filter_tiers", []))


def _presentation_changed() -> None:
    st.session_state[PRESENTATION_KEY] = bool(st.session_state["presentation_toggle"])


def _clamped(period: Any, first: Any, last: Any) -> tuple[Any, Any]:
    # A saved range may lie outside the data after an import or a deletion.
    if not period:
        return first, last
    start, end = max(period[0], first), min(period[1], last)
    return (start, end) if start <= end else (first, last)


def presentation() -> bool:
    """True when the user asked for large fonts (a meeting-room screen)."""
    return bool(st.session_state.get(PRESENTATION_KEY, False))


def sidebar_filters(store: Store) -> None:
    """Period, acquisition channels and value tiers that every analysis page honours, and
    the presentation switch. Drawn by ``app.py`` above every analysis page."""
    from clv.tiers import TIERS

    summary = cached_summary(store)
    saved = _saved_filters()
    with st.sidebar:
        st.subheader(t("filters.title"))
        first, last = summary["first_order_date"], summary["last_order_date"]
        if first is not None:
            period = _clamped(saved["period"], first, last)
            saved["period"] = None if period == (first, last) else period
            st.session_state["filter_period"] = period
            st.date_input(
                t("filters.period"),
                min_value=first,
                max_value=last,
                format="DD/MM/YYYY",
                key="filter_period",
                help=t("filters.period_help"),
                on_change=_filters_changed,
            )
        choices = _channel_choices(store, str(store.path), data_version(store))
        st.session_state["filter_channels"] = [c for c in saved["channels"] if c in choices]
        st.multiselect(
            t("filters.channels"),
            options=choices,
            key="filter_channels",
            placeholder=t("filters.all_channels"),
            help=t("filters.channels_help"),
            on_change=_filters_changed,
        )
        st.session_state["filter_tiers"] = [x for x in saved["tiers"] if x in TIERS]
        st.multiselect(
            t("filters.tiers"),
            options=list(TIERS),
            format_func=lambda tier: t(f"tier.{tier}"),
            key="filter_tiers",
            placeholder=t("filters.all_tiers"),
            help=t("filters.tiers_help"),
            on_change=_filters_changed,
        )
        if saved["period"] or saved["channels"] or saved["tiers"]:
            st.button(t("filters.reset"), key="filter_reset", on_click=reset_filters)
        st.session_state["presentation_toggle"] = presentation()
        st.toggle(
            t("filters.presentation"),
            key="presentation_toggle",
            help=t("filters.presentation_help"),
            on_change=_presentation_changed,
        )


def reset_filters() -> None:
    """Button callback: back to the whole period, every channel and tier."""
    st.session_state[FILTERS_KEY] = {"period": None, "channels": [], "tiers": []}


def current_filters(store: Store) -> Any:
    """The sidebar's choices as a :class:`clv.filters.Filters`.

    A tier choice becomes the set of customers in those tiers, from the shared valuation;
    when no valuation is possible the tier choice is dropped (the page says so through
    :func:`filter_caption`).
    """
    from clv.filters import Filters

    saved = _saved_filters()
    start, end = saved["period"] or (None, None)
    customers = None
    if saved["tiers"]:
        tiers = customer_tiers(store)
        if tiers is not None:
            kept = tiers[tiers.isin(saved["tiers"])].index
            customers = tuple(sorted(str(c) for c in kept))
    return Filters(
        start=start,
        end=end,
        channels=tuple(saved["channels"]) or None,
        customer_ids=customers,
    )


def filter_caption(store: Store, *, tiers_apply: bool = True) -> None:
    """One line under the page title saying which filters are in force (nothing when none).

    ``tiers_apply=False`` for figures that cannot be split by customer (ad spend): the line
    then says that the tier filter is not applied here.
    """
    saved = _saved_filters()
    parts = []
    if saved["period"]:
        start, end = saved["period"]
        parts.append(t("filters.caption.period", start=fmt_date(start), end=fmt_date(end)))
    if saved["channels"]:
        parts.append(t("filters.caption.channels", channels=text(", ".join(saved["channels"]))))
    if saved["tiers"]:
        names = ", ".join(t(f"tier.{tier}") for tier in saved["tiers"])
        if not tiers_apply:
            parts.append(t("filters.caption.tiers_ignored", tiers=names))
        elif customer_tiers(store) is None:
            parts.append(t("filters.caption.tiers_unavailable", tiers=names))
        else:
            parts.append(t("filters.caption.tiers", tiers=names))
    if parts:
        st.caption(":material/filter_alt: " + t("filters.caption") + " " + " · ".join(parts))


# -- cached KPI calls --------------------------------------------------------------------


@_cached
def _kpi(
    _store: Store,
    path: str,
    version: tuple[int, ...],
    name: str,
    args: tuple[Any, ...],
    kwargs: tuple[tuple[str, Any], ...],
) -> Any:
    import importlib

    module, function = name.split(":")
    target = getattr(importlib.import_module(f"clv.{module}"), function)
    with _store.cursor() as cur:
        return target(cur, *args, **dict(kwargs))


def kpi(store: Store, name: str, *args: Any, **kwargs: Any) -> Any:
    """``clv.<module>.<function>(cursor, *args, **kwargs)``, cached per data version.

    ``name`` is ``"module:function"``, e.g. ``kpi(store, "loyalty:repeat_rates", filters)``.
    Every argument must be hashable by Streamlit (Filters, Series, numbers, strings).
    """
    return _kpi(
        store, str(store.path), data_version(store), name, args, tuple(sorted(kwargs.items()))
    )


# -- charts and empty states -------------------------------------------------------------

# Plotly's decimal mark and thousands separator per language.
SEPARATORS = {"fr": ",\u202f", "en": ".,"}


def chart_labels(**texts: str) -> dict[str, str]:
    """Labels for a figure of ``clv``: tier names and separators, plus ``texts``."""
    from clv.tiers import TIERS

    names = {f"tier.{tier}": t(f"tier.{tier}") for tier in (*TIERS, "New")}
    return {"separators": SEPARATORS[lang()], **names, **texts}


def chart(
    figure: Any,
    key: str,
    data: pd.DataFrame | None = None,
    file_name: str | None = None,
) -> None:
    """A plotly figure, and below it a CSV download of the data it draws (when given)."""
    st.plotly_chart(figure, key=key, config={"displaylogo": False})
    if data is not None:
        csv_download(
            data,
            file_name or f"{key}.csv",
            t("chart.download"),
            key=f"{key}_csv",
        )


def missing_data(store: Store, *tables: str) -> list[str]:
    """Which of ``tables`` hold no rows (an empty list when all have data)."""
    status = cached_status(store)
    rows = dict(zip(status["table"], status["rows"], strict=True))
    return [table for table in tables if not rows.get(table)]


def empty_state(tables: list[str], what_key: str) -> None:
    """The page's empty state: what the page needs, which files to upload, and a link."""
    names = ", ".join(t(TABLE_LABELS.get(table, table)) for table in tables)
    st.info(t(what_key) + "\n\n" + t("empty.upload", tables=names), icon=":material/upload_file:")
    st.page_link("pages/data.py", label=t("empty.go_to_data"), icon=":material/upload_file:")


def require_data(store: Store, tables: tuple[str, ...], what_key: str) -> None:
    """Stop the page with its empty state when any of ``tables`` holds no rows."""
    missing = missing_data(store, *tables)
    if missing:
        empty_state(missing, what_key)
        st.stop()


# -- money -------------------------------------------------------------------------------

# Column presets of st.column_config for the currencies it knows.
MONEY_FORMATS = {"EUR": "euro", "USD": "dollar", "JPY": "yen"}


def shop_currency(store: Store) -> str:
    """Currency of most of the shop's paid revenue (``"EUR"`` when unknown)."""
    currencies = cached_summary(store)["currencies"]
    return currencies[0] if currencies else "EUR"


def money_column(label: str, currency: str) -> Any:
    """A table column of amounts in ``currency``."""
    return st.column_config.NumberColumn(label, format=MONEY_FORMATS.get(currency, "localized"))


# -- who gets in ---------------------------------------------------------------------------


def login_configured() -> bool:
    """True when ``.streamlit/secrets.toml`` has an ``[auth]`` section (OIDC login)."""
    return bool(secret("auth", None))


def allowed_emails() -> set[str]:
    """The allow-list (secret ``allowed_emails``), lower case."""
    raw = secret("allowed_emails", []) or []
    if isinstance(raw, str):
        raw = raw.replace(";", ",").split(",")
    return {str(email).strip().lower() for email in raw if str(email).strip()}


def _refused_view() -> None:
    st.title(t("login.refused_title"))
    if not allowed_emails():
        st.error(t("login.no_allow_list"))
    else:
        st.error(t("login.refused", email=text(st.user.get("email") or "?")))
    st.button(t("login.logout"), on_click=st.logout, key="login_logout_refused")


def _login_view() -> None:
    st.title(t("app.title"))
    st.markdown(t("login.why"))
    st.button(t("login.button"), on_click=st.login, key="login_button", type="primary")


def require_login() -> None:
    """Gate every page behind the OIDC login when one is configured.

    Without an ``[auth]`` section nothing happens (``make run`` binds to localhost). With
    one, a visitor who is not logged in sees only the login button, and a logged-in
    visitor whose email is not in ``allowed_emails`` sees only a refusal: no page, no
    navigation, no data. An empty allow-list lets nobody in, so that forgetting it never
    opens the data to every account of the identity provider.
    """
    if not login_configured():
        return
    if not st.user.is_logged_in:
        st.navigation([st.Page(_login_view, title=t("app.title"))], position="hidden").run()
        st.stop()
    email = str(st.user.get("email") or "").strip().lower()
    if email not in allowed_emails():
        st.navigation([st.Page(_refused_view, title=t("app.title"))], position="hidden").run()
        st.stop()
    with st.sidebar:
        st.caption(t("login.as", email=text(st.user.get("email"))))
        st.button(t("login.logout"), on_click=st.logout, key="login_logout")


# -- scenarios -----------------------------------------------------------------------------


@st.cache_data(ttl=CACHE_TTL, max_entries=VALUATION_ENTRIES, show_spinner=False)
def _retention_scenario(
    _store: Store,
    path: str,
    version: tuple[int, ...],
    settings: ValuationSettings,
    points: float,
    period_months: int,
) -> Any:
    from clv.scenarios import retention_scenario

    valuation = _valuation(_store, path, version, settings)
    return retention_scenario(valuation, points, period_months=period_months)


def cached_retention_scenario(store: Store, points: float, period_months: int = 12) -> Any:
    """:func:`clv.scenarios.retention_scenario` on this session's valuation, cached per
    data version, settings, points and period (the range takes a few seconds).

    Raises ``ValueError`` (from the scenario) when the valuation is not usable or the
    target retention is out of reach; the page says what to change.
    """
    from clv.tiers import TierRule

    settings = dataclasses.replace(valuation_settings(store), tier_rule=TierRule())
    return _retention_scenario(
        store, str(store.path), data_version(store), settings, float(points), int(period_months)
    )


# -- churn risk ------------------------------------------------------------------------------


@_cached
def _risk(_store: Store, path: str, version: tuple[int, ...], horizon_days: int) -> Any:
    from clv.risk import evaluate, score_customers

    with _store.cursor() as cur:
        evaluation = evaluate(cur, horizon_days)
        return evaluation, score_customers(cur, evaluation)


def cached_risk(store: Store, horizon_days: int = 90) -> tuple[Any, pd.DataFrame]:
    """:func:`clv.risk.evaluate` (the model comparison) and :func:`clv.risk.score_customers`
    (every customer's risk now, from the chosen model), cached per data version and
    horizon. Filter the scores afterwards: the model is the shop's, not a segment's.

    Raises ``ValueError`` (from the risk module) when the history is too short to train
    and test on; the page says what is needed.
    """
    with st.spinner(t("filters.risk"), show_time=True):
        return _risk(store, str(store.path), data_version(store), int(horizon_days))


# -- the churn definition ------------------------------------------------------------------

# The churn window the user chose on the Retention page, kept for the session (None or
# absent: follow the window proposed from the shop's own gaps).
CHURN_WINDOW_KEY = "retention_churn_window"
MAX_CHURN_DAYS = 3650


def churn_window(store: Store) -> tuple[int, int, bool]:
    """``(days in force, proposed days, chosen by the user)`` of the churn definition."""
    proposed = int(kpi(store, "retention:default_churn_days"))
    chosen = st.session_state.get(CHURN_WINDOW_KEY)
    if chosen:
        return min(MAX_CHURN_DAYS, max(1, int(chosen))), proposed, True
    return proposed, proposed, False

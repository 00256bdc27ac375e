"""The only UI-side module with Streamlit caching in it.

The store is a process-wide resource (``st.cache_resource``, one per data file); query
results are cached with ``st.cache_data`` and keyed by the data file and the *data
version*, so an import or a deletion (from this app or from the CLI) shows at the next run.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import os
import threading
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pandas as pd
import streamlit as st

from clv.metrics import retention
from clv.metrics.overview import base_summary
from clv.store import Store, StoreBusy
from ui.format import text
from ui.state import (
    CHURN_WINDOW_KEY,
    DEFAULT_CLV_CONTROLS,
    MAX_CHURN_DAYS,
    clv_controls,
    db_path,
    secret,
    t,
    tr,
    tr_error,
)

if TYPE_CHECKING:
    from clv.valuation.engine import Valuation, ValuationSettings


DEMO_CUSTOMERS_ENV = "CLV_DEMO_CUSTOMERS"


DEMO_DECLINED = "demo_declined"


# Query results are small (status, log, summaries); ten minutes bounds staleness
# should the import log be edited behind the app's back.
CACHE_TTL = "10m"


CACHE_ENTRIES = 64


@st.cache_resource(show_spinner=False)
def open_store(path: str, memory_limit: str, threads: int) -> Store:
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
        store = open_store(
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
    from clv.ingest.demo import load_demo

    placeholder = st.empty()
    with placeholder.status(t("demo.loading"), expanded=False):
        counts = load_demo(store, n_customers=demo_customers(), key=store.pseudonym_key)
    placeholder.empty()
    store.set_setting(DEMO_DECLINED, False)
    st.toast(t("demo.loaded"), icon=":material/check_circle:")
    return counts


RUN_KEY = "_run"


def _read_version(store: Store) -> str:
    from clv.store.definitions import data_version as read

    with store.cursor() as cur:
        return read(cur)


def start_run(store: Store) -> None:
    """Read the data version once for this run (``app.py`` calls it first on every run);
    every cached read of the run keys on it. Also empties the run's memos."""
    run: dict[str, Any] = {"path": str(store.path), "facts": {}}
    st.session_state[RUN_KEY] = run
    with _facts(store):
        run["version"] = _read_version(store)


def data_changed(store: Store) -> None:
    """After a write in this run (an import, a deletion, an alias, an erasure): read the
    data version again, so what the rest of the run shows is the new data."""
    start_run(store)


def _run(store: Store) -> dict[str, Any] | None:
    try:
        run = st.session_state.get(RUN_KEY)
    except Exception:  # noqa: BLE001 (no script run: bare mode, a test)
        return None
    return run if run and run.get("path") == str(store.path) else None


def data_version(store: Store) -> str:
    """:func:`clv.store.definitions.data_version` of ``store``, read once per run (see
    :func:`start_run`); read afresh outside a run."""
    run = _run(store)
    return run["version"] if run is not None else _read_version(store)


def _memo(store: Store) -> dict[Any, Any]:
    """Values computed once per run (the valuation, its key); empty outside a run."""
    run = _run(store)
    return {} if run is None else run.setdefault("memo", {})


@contextlib.contextmanager
def _facts(store: Store) -> Iterator[None]:
    """The run's store facts (latest order day, currencies, data version, derived tables
    checked) read at most once per run: :func:`clv.store.definitions.facts_memo`."""
    from clv.store.definitions import facts_memo

    run = _run(store)
    with facts_memo({} if run is None else run.setdefault("facts", {})):
        yield


def _cached(function: Callable[..., Any], max_entries: int = CACHE_ENTRIES) -> Callable[..., Any]:
    """``st.cache_data`` for a read of the store (first argument), run inside the run's
    facts memo (:func:`_facts`)."""
    cached = st.cache_data(ttl=CACHE_TTL, max_entries=max_entries, show_spinner=False)(function)

    @functools.wraps(function)
    def call(_store: Store, *args: Any, **kwargs: Any) -> Any:
        with _facts(_store):
            return cached(_store, *args, **kwargs)

    call.clear = cached.clear  # type: ignore[attr-defined]
    return call


# The store parameter starts with "_" so Streamlit does not hash it; the data file and
# the data version are the cache key.
@_cached
def _status(_store: Store, path: str, version: str) -> pd.DataFrame:
    return _store.status()


@_cached
def _imports(_store: Store, path: str, version: str) -> pd.DataFrame:
    return _store.imports()


@_cached
def _rejected(_store: Store, path: str, version: str, import_id: int) -> pd.DataFrame:
    return _store.rejected_rows(import_id)


@_cached
def _summary(_store: Store, path: str, version: str, filters: Any) -> dict[str, Any]:
    return base_summary(_store, filters)


def cached_status(store: Store) -> pd.DataFrame:
    """:meth:`Store.status`, cached until the data changes."""
    return _status(store, str(store.path), data_version(store))


def cached_imports(store: Store) -> pd.DataFrame:
    """:meth:`Store.imports`, cached until the data changes."""
    return _imports(store, str(store.path), data_version(store))


def cached_rejected_rows(store: Store, import_id: int) -> pd.DataFrame:
    """:meth:`Store.rejected_rows` of one import, cached until the data changes."""
    return _rejected(store, str(store.path), data_version(store), int(import_id))


def cached_summary(store: Store, filters: Any = None) -> dict[str, Any]:
    """:func:`clv.metrics.overview.base_summary` under ``filters`` (none by default),
    cached until the data changes."""
    from clv.metrics.filters import NO_FILTERS

    return _summary(store, str(store.path), data_version(store), filters or NO_FILTERS)


# A valuation of a large base weighs a few MB: a handful of setting combinations per data
# version is plenty.
VALUATION_ENTRIES = 8


def _valuation_uncached(
    _store: Store, path: str, version: str, settings: ValuationSettings
) -> Valuation:
    # Imported here: the models pull in scipy and lifetimes, which the other pages need not
    # wait for.
    from clv.valuation.engine import value_customers

    # The lifetimes fitters cannot be pickled, and the page needs none of them.
    return value_customers(_store, settings).portable()


_valuation = _cached(_valuation_uncached, VALUATION_ENTRIES)


def cached_valuation(store: Store, settings: ValuationSettings) -> Valuation:
    """:func:`clv.valuation.engine.value_customers`, cached per data version and settings.

    The tiers are cut after the cache (:func:`clv.valuation.engine.with_tiers`), so editing the
    thresholds refits nothing.
    """
    from clv.valuation.engine import with_tiers
    from clv.valuation.tiers import TierRule

    fitted = dataclasses.replace(settings, tier_rule=TierRule())
    valuation = _valuation(store, str(store.path), data_version(store), fitted)
    return with_tiers(valuation, settings.tier_rule)


def setting(store: Store, key: str, default: Any = None) -> Any:
    """:meth:`Store.get_setting`, read once per run (a page that saves a setting calls
    :func:`data_changed` after it)."""
    memo = _memo(store)
    if ("setting", key) not in memo:
        memo[("setting", key)] = store.get_setting(key, default)
    return memo[("setting", key)]


def stored_tier_rule(store: Store) -> Any:
    """The shop's tier rule from its settings (the default rule if the setting is damaged)."""
    from clv.valuation.engine import TIER_RULE_SETTING
    from clv.valuation.tiers import TierRule

    try:
        return TierRule.from_dict(setting(store, TIER_RULE_SETTING))
    except (TypeError, ValueError):
        return TierRule()


def stored_margin_rate(store: Store) -> float:
    """The shop's margin rate (0..1) for orders whose export has no cost."""
    from clv.valuation.engine import MARGIN_RATE_SETTING

    return float(setting(store, MARGIN_RATE_SETTING, 0.40))


def valuation_settings(store: Store) -> ValuationSettings:
    """The valuation settings of this session: CLV page controls, shop margin and tiers."""
    from clv.valuation.engine import ValuationSettings

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
    the models, with a spinner; computed once per run."""
    settings = valuation_settings(store)
    memo = _memo(store)
    if ("valuation", settings) not in memo:
        with st.spinner(t("filters.valuing"), show_time=True):
            valuation = cached_valuation(store, settings)
        memo[("valuation", settings)] = valuation if valuation.ok else None
    return memo[("valuation", settings)]


def valuation_key(store: Store) -> str | None:
    """The key of this session's valuation in the store (:mod:`clv.valuation.values`),
    written there first if needed; every figure that needs a customer's value or tier
    joins it in SQL. ``None`` without a valuation. Once per run."""
    from clv.valuation.engine import store_values

    settings = valuation_settings(store)
    memo = _memo(store)
    if ("valuation_key", settings) not in memo:
        valuation = shared_valuation(store)
        key = None
        if valuation is not None:
            with _facts(store), store.cursor() as cur:
                key = store_values(cur, valuation)
        memo[("valuation_key", settings)] = key
    return memo[("valuation_key", settings)]


@_cached
def _channel_choices(_store: Store, path: str, version: str) -> list[str]:
    from clv.metrics.filters import channel_choices

    with _store.cursor() as cur:
        return channel_choices(cur)


@_cached
def _kpi(
    _store: Store,
    path: str,
    version: str,
    name: str,
    args: tuple[Any, ...],
    kwargs: tuple[tuple[str, Any], ...],
) -> Any:
    import importlib

    module, function = name.split(":")
    target = getattr(importlib.import_module(module), function)
    with _store.cursor() as cur:
        return target(cur, *args, **dict(kwargs))


def kpi(store: Store, function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """``function(cursor, *args, **kwargs)``, a function of :mod:`clv` that reads the
    store, cached per data version: e.g. ``kpi(store, loyalty.repeat_rates, filters)``.

    Every argument must be hashable by Streamlit (Filters, keys, numbers, strings).
    """
    name = f"{function.__module__}:{function.__qualname__}"
    if not name.startswith("clv."):
        raise ValueError(f"kpi() runs functions of the clv package, not {name}.")
    return _kpi(
        store, str(store.path), data_version(store), name, args, tuple(sorted(kwargs.items()))
    )


def shop_currency(store: Store) -> str:
    """Currency of most of the shop's paid revenue (``"EUR"`` when unknown)."""
    currencies = cached_summary(store)["currencies"]
    return currencies[0] if currencies else "EUR"


def _retention_scenario_uncached(
    _store: Store,
    path: str,
    version: str,
    settings: ValuationSettings,
    points: float,
    period_months: int,
) -> Any:
    from clv.levers.scenarios import retention_scenario

    valuation = _valuation(_store, path, version, settings)
    return retention_scenario(valuation, points, period_months=period_months)


_retention_scenario = _cached(_retention_scenario_uncached, VALUATION_ENTRIES)


def cached_retention_scenario(store: Store, points: float, period_months: int = 12) -> Any:
    """:func:`clv.levers.scenarios.retention_scenario` on this session's valuation, cached per
    data version, settings, points and period (the range takes a few seconds).

    Raises ``ValueError`` (from the scenario) when the valuation is not usable or the
    target retention is out of reach; the page says what to change.
    """
    from clv.valuation.tiers import TierRule

    settings = dataclasses.replace(valuation_settings(store), tier_rule=TierRule())
    return _retention_scenario(
        store, str(store.path), data_version(store), settings, float(points), int(period_months)
    )


@_cached
def _risk(_store: Store, path: str, version: str, horizon_days: int) -> Any:
    from clv.risk.model import evaluate, score_customers

    with _store.cursor() as cur:
        evaluation = evaluate(cur, horizon_days)
        return evaluation, score_customers(cur, evaluation)


def cached_risk(store: Store, horizon_days: int = 90) -> tuple[Any, pd.DataFrame]:
    """:func:`clv.risk.model.evaluate` (the model comparison) and :func:`clv.risk.model.score_customers`
    (every customer's risk now, from the chosen model), cached per data version and
    horizon. Filter the scores afterwards: the model is the shop's, not a segment's.

    Raises ``ValueError`` (from the risk module) when the history is too short to train
    and test on; the page says what is needed.
    """
    with st.spinner(t("filters.risk"), show_time=True):
        return _risk(store, str(store.path), data_version(store), int(horizon_days))


def churn_window(store: Store) -> tuple[int, int, bool]:
    """``(days in force, proposed days, chosen by the user)`` of the churn definition."""
    proposed = int(kpi(store, retention.default_churn_days))
    chosen = st.session_state.get(CHURN_WINDOW_KEY)
    if chosen:
        return min(MAX_CHURN_DAYS, max(1, int(chosen))), proposed, True
    return proposed, proposed, False

"""The shared sidebar: language, the filters every analysis page honours, presentation
mode and what data is loaded."""

from __future__ import annotations

from typing import Any

import streamlit as st

from clv.store import Store
from ui.cache import _channel_choices, cached_status, cached_summary, data_version, valuation_key
from ui.format import fmt_date, fmt_int, text
from ui.state import (
    FILTERS_KEY,
    LANG_KEY,
    LANG_WIDGET_KEY,
    LANGUAGES,
    PRESENTATION_KEY,
    _saved_filters,
    lang,
    presentation,
    t,
)


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


def sidebar_filters(store: Store) -> None:
    """Period, acquisition channels and value tiers that every analysis page honours, and
    the presentation switch. Drawn by ``app.py`` above every analysis page."""
    from clv.valuation.tiers import TIERS

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
    """The sidebar's choices as a :class:`clv.metrics.filters.Filters`.

    A tier choice is read from the shared valuation's values in the store (its key goes
    into the filters); when no valuation is possible the tier choice is dropped (the page
    says so through :func:`filter_caption`).
    """
    from clv.metrics.filters import Filters

    saved = _saved_filters()
    start, end = saved["period"] or (None, None)
    tiers, key = None, None
    if saved["tiers"]:
        key = valuation_key(store)
        tiers = tuple(saved["tiers"]) if key is not None else None
    return Filters(
        start=start,
        end=end,
        channels=tuple(saved["channels"]) or None,
        tiers=tiers,
        valuation=key if tiers else None,
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
        elif valuation_key(store) is None:
            parts.append(t("filters.caption.tiers_unavailable", tiers=names))
        else:
            parts.append(t("filters.caption.tiers", tiers=names))
    if parts:
        st.caption(":material/filter_alt: " + t("filters.caption") + " " + " · ".join(parts))

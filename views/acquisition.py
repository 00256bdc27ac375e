"""Acquisition: what a new customer costs per channel (CAC), against what they bring (CLV)."""

from __future__ import annotations

import dataclasses
import math
from typing import Any

import pandas as pd
import streamlit as st

import ui
from clv.charts import acquisition as charts
from clv.metrics import acquisition
from clv.metrics.acquisition import (
    HEALTHY_RATIO,
    median_payback,
    payback_months,
    ratio_band,
    save_channel_aliases,
    suggest_aliases,
)
from clv.metrics.overview import paid_clv_cac_ratio
from clv.store import Store
from clv.store.definitions import channel_key

# Session State of the alias editor: the editor's key changes after each save or proposal,
# which starts it afresh from the new table instead of replaying the user's old edits.
ALIAS_ROUND = "acquisition_alias_round"
ALIAS_DRAFT = "acquisition_alias_draft"
ALIAS_FLASH = "acquisition_alias_flash"
ALIAS_COLUMNS = ["alias", "channel"]


# -- wording -----------------------------------------------------------------------------


def channel_label(value: Any) -> str:
    """A channel name for a table or a widget (not Markdown); unknown channels named."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ui.t("acquisition.unknown_channel")
    return str(value)


def interpretation(row: Any) -> str:
    """The reading of a row of the finance table: its band, or why it has none."""
    if isinstance(row.band, str):
        return ui.t(f"acquisition.band.{row.band}")
    if row.new_customers == 0:
        return ui.t("acquisition.reading.no_customers")
    if not row.spend > 0:
        return ui.t("acquisition.reading.no_spend")
    return ui.t("acquisition.reading.no_clv")


def payback_label(months: float, cac: float) -> str:
    """A payback month for a table: the month, "not yet", or a dash when there was no spend
    (nothing to pay back)."""
    if not cac > 0:
        return "—"
    if pd.isna(months):
        return ui.t("acquisition.not_yet")
    return ui.fmt_int(months)


def months_text(value: float | None) -> str:
    if value is None:
        return ui.t("acquisition.kpi.payback_not_reached")
    return ui.t("acquisition.kpi.payback_value", months=ui.fmt_int(value))


# -- the alias editor --------------------------------------------------------------------


def alias_frame(pairs: Any) -> pd.DataFrame:
    """``pairs`` (a frame or a list of dicts with alias and channel) as the editor's table."""
    frame = pd.DataFrame(pairs, columns=ALIAS_COLUMNS)
    return frame.astype({"alias": "string", "channel": "string"}).reset_index(drop=True)


def editor_mapping(edited: pd.DataFrame) -> dict[str, str] | None:
    """The alias -> channel mapping of the edited table; ``None`` (and a message for the
    next run) when a row names only one side."""
    mapping: dict[str, str] = {}
    for alias, channel in zip(edited["alias"], edited["channel"], strict=True):
        alias = "" if pd.isna(alias) else str(alias).strip()
        channel = "" if pd.isna(channel) else str(channel).strip()
        if not alias and not channel:
            continue  # an added row left blank
        if not alias or not channel:
            st.session_state[ALIAS_FLASH] = (
                "error",
                ui.t("acquisition.aliases.one_side", name=ui.text(alias or channel)),
            )
            return None
        mapping[alias] = channel
    return mapping


def save_aliases(store: Store, edited: pd.DataFrame) -> None:
    """Save the edited table as the shop's aliases, then run the page again with it."""
    mapping = editor_mapping(edited)
    if mapping is None:
        st.rerun()
    try:
        saved = save_channel_aliases(store, mapping)
    except ValueError as exc:
        st.session_state[ALIAS_FLASH] = (
            "error",
            ui.t("acquisition.aliases.refused", error=ui.text(exc)),
        )
        st.rerun()
    st.session_state.pop(ALIAS_DRAFT, None)
    st.session_state[ALIAS_ROUND] += 1
    st.session_state[ALIAS_FLASH] = (
        "success",
        ui.t("acquisition.aliases.saved", count=ui.fmt_int(len(saved))),
    )
    st.rerun()


def propose_aliases(saved: pd.DataFrame, spend_names: Any, shop_names: Any) -> None:
    """Add the suggested aliases to the editor's table (not saved until the user saves)."""
    known = {channel_key(a) for a in saved["alias"]}
    proposal = [
        {"alias": alias, "channel": channel}
        for alias, channel in suggest_aliases(spend_names, shop_names).items()
        if channel_key(alias) not in known
    ]
    if not proposal:
        st.session_state[ALIAS_FLASH] = ("info", ui.t("acquisition.aliases.nothing_to_propose"))
        st.rerun()
    st.session_state[ALIAS_DRAFT] = saved.to_dict("records") + proposal
    st.session_state[ALIAS_ROUND] += 1
    st.session_state[ALIAS_FLASH] = (
        "info",
        ui.t("acquisition.aliases.proposed", count=ui.fmt_int(len(proposal))),
    )
    st.rerun()


def discard_proposal() -> None:
    """Button callback: back to the saved aliases."""
    st.session_state.pop(ALIAS_DRAFT, None)
    st.session_state[ALIAS_ROUND] += 1


def alias_editor(store: Store) -> None:
    saved = alias_frame(ui.kpi(store, acquisition.channel_aliases))
    names = ui.kpi(store, acquisition.channel_names)
    st.session_state.setdefault(ALIAS_ROUND, 0)
    draft = st.session_state.get(ALIAS_DRAFT)
    base = alias_frame(draft) if draft is not None else saved
    st.markdown(ui.t("acquisition.aliases.explain"))
    listed = [ui.text(n) for n in names.spend]
    st.caption(
        ui.t("acquisition.aliases.spend_names", names=", ".join(listed) or "—")
        + "  \n"
        + ui.t(
            "acquisition.aliases.shop_names",
            names=", ".join(ui.text(n) for n in names.customers) or "—",
        )
    )
    # Every name seen on either side can be picked, and the aliases already in the table.
    options = sorted({*names.spend, *names.customers, *base["alias"].dropna()}, key=str.lower)
    edited = st.data_editor(
        base,
        num_rows="dynamic",
        hide_index=True,
        key=f"acquisition_aliases_editor_{st.session_state[ALIAS_ROUND]}",
        column_config={
            "alias": st.column_config.SelectboxColumn(
                ui.t("acquisition.aliases.col.alias"),
                options=options,
                required=True,
                help=ui.t("acquisition.aliases.col.alias_help"),
            ),
            "channel": st.column_config.TextColumn(
                ui.t("acquisition.aliases.col.channel"),
                required=True,
                help=ui.t("acquisition.aliases.col.channel_help"),
            ),
        },
    )
    if draft is not None:
        st.caption(ui.t("acquisition.aliases.draft"))
    propose, save, discard = st.columns(3)
    if propose.button(
        ui.t("acquisition.aliases.propose"),
        key="acquisition_aliases_propose",
        icon=":material/auto_fix_high:",
        help=ui.t("acquisition.aliases.propose_help"),
    ):
        propose_aliases(saved, names.spend, names.customers)
    if save.button(
        ui.t("acquisition.aliases.save"),
        key="acquisition_aliases_save",
        icon=":material/save:",
        type="primary",
    ):
        save_aliases(store, edited)
    if draft is not None:
        discard.button(
            ui.t("acquisition.aliases.discard"),
            key="acquisition_aliases_discard",
            icon=":material/undo:",
            on_click=discard_proposal,
        )
    flash = st.session_state.pop(ALIAS_FLASH, None)
    if flash is not None:
        level, message = flash
        {"error": st.error, "success": st.success}.get(level, st.info)(message)


# ======================================================================================

ui.page_header("acquisition.title", "acquisition.purpose")
store = ui.get_store()

ui.require_data(store, ("orders", "marketing_spend"), "acquisition.empty")

# Spend cannot be split by customer: a tier choice would change nothing here, and dropping
# it keeps one cached result per period and channels.
filters = dataclasses.replace(ui.current_filters(store), tiers=None, valuation=None)
ui.filter_caption(store, tiers_apply=False)
st.caption(ui.t("acquisition.tiers_note"))

currency = ui.shop_currency(store)
presentation = ui.presentation()


money = ui.money_formatter(currency)


def money_column(label_key: str) -> Any:
    return ui.money_column(ui.t(label_key, currency=currency), currency)


# -- one set of data calls -------------------------------------------------------------
# CLV/CAC compares the acquisition cost with the whole-life value: margin earned so far
# plus predicted margin (the stored valuation's lifetime_value, clv.valuation.values).
valuation = ui.valuation_key(store)
margin_rate = ui.stored_margin_rate(store)
figures = ui.kpi(store, acquisition.acquisition_figures, valuation, filters, margin_rate)
table, blended, months = figures.table, figures.blended, figures.months
paybacks, warnings = figures.payback, figures.warnings
cohorts = payback_months(paybacks)

if table.empty:
    st.info(ui.t("acquisition.nothing_in_period"), icon=":material/filter_alt_off:")
    st.stop()
if valuation is None:
    st.info(ui.t("acquisition.no_clv"), icon=":material/info:")

# -- KPI tiles -------------------------------------------------------------------------
ratio = paid_clv_cac_ratio(table)
paid_rows = table[(table["spend"] > 0) & table["average_clv"].notna()]
paid_spend = float(paid_rows["spend"].sum())
payback_median, cohorts_counted, cohorts_paid = median_payback(cohorts)

blended_tile, paid_tile, ratio_tile, payback_tile = st.columns(4)
blended_tile.metric(
    ui.t("acquisition.kpi.blended"),
    money(blended.blended_cac, 2),
    help=ui.t(
        "acquisition.kpi.blended_help",
        spend=money(blended.spend),
        customers=ui.fmt_int(blended.new_customers),
    ),
    border=True,
)
blended_tile.caption(
    ui.t(
        "acquisition.kpi.blended_caption",
        organic=ui.fmt_int(blended.new_customers - blended.paid_new_customers),
    )
)
paid_tile.metric(
    ui.t("acquisition.kpi.paid"),
    money(blended.paid_cac, 2),
    help=ui.t(
        "acquisition.kpi.paid_help",
        spend=money(blended.spend),
        customers=ui.fmt_int(blended.paid_new_customers),
    ),
    border=True,
)
paid_tile.caption(ui.t("acquisition.kpi.paid_caption"))
ratio_tile.metric(
    ui.t("acquisition.kpi.ratio"),
    ui.fmt_ratio(ratio),
    help=ui.t(
        "acquisition.kpi.ratio_help",
        value=money(None if ratio is None else ratio * paid_spend),
        spend=money(paid_spend),
    ),
    border=True,
)
band = ratio_band(ratio)
ratio_tile.caption(
    ui.t("acquisition.kpi.ratio_benchmark", benchmark=ui.fmt_number(HEALTHY_RATIO, 0))
    + " "
    + (ui.t(f"acquisition.kpi.here.{band}") if band else ui.t("acquisition.kpi.here.none"))
)
payback_tile.metric(
    ui.t("acquisition.kpi.payback"),
    "—" if cohorts_counted == 0 else months_text(payback_median),
    help=ui.t(
        "acquisition.kpi.payback_help",
        cohorts=ui.fmt_int(cohorts_counted),
        paid=ui.fmt_int(cohorts_paid),
        rate=ui.fmt_percent(margin_rate, decimals=0),
    ),
    border=True,
)
payback_tile.caption(ui.t("acquisition.kpi.payback_caption"))

# -- warnings ----------------------------------------------------------------------------
for warning in warnings:
    st.warning(
        ui.t(
            f"acquisition.warning.{warning['kind']}",
            channel=ui.text(warning["channel"]),
            spend=money(warning["amount"]),
            customers=ui.fmt_int(warning["customers"]),
        ),
        icon=":material/warning:",
    )

# -- CLV / CAC by channel: the finance table and its chart -------------------------------
st.subheader(ui.t("acquisition.table.title"))
view = table.copy()
view["channel"] = [channel_label(c) for c in view["channel"]]
view["interpretation"] = [interpretation(row) for row in table.itertuples(index=False)]
# Two decimals are all a reader compares, in the browser's own number format.
view["clv_cac_ratio"] = view["clv_cac_ratio"].round(2)
view["payback_months"] = [
    payback_label(m, c) for m, c in zip(table["payback_months"], table["average_cac"], strict=True)
]
st.dataframe(
    view,
    hide_index=True,
    column_order=[
        "channel",
        "average_cac",
        "average_clv",
        "clv_cac_ratio",
        "interpretation",
        "spend",
        "new_customers",
        "payback_months",
    ],
    column_config={
        "channel": st.column_config.TextColumn(ui.t("acquisition.col.channel")),
        "average_cac": money_column("acquisition.col.average_cac"),
        "average_clv": money_column("acquisition.col.average_clv"),
        "clv_cac_ratio": st.column_config.NumberColumn(
            ui.t("acquisition.col.ratio"),
            format="localized",
            help=ui.t("acquisition.col.ratio_help"),
        ),
        "interpretation": st.column_config.TextColumn(ui.t("acquisition.col.interpretation")),
        "spend": money_column("acquisition.col.spend"),
        "new_customers": st.column_config.NumberColumn(
            ui.t("acquisition.col.new_customers"), format="localized"
        ),
        "payback_months": st.column_config.TextColumn(
            ui.t("acquisition.col.payback"), help=ui.t("acquisition.col.payback_help")
        ),
    },
)
ui.csv_download(
    view.drop(columns=["band"]),
    "clv_cac_by_channel.csv",
    ui.t("acquisition.table.download"),
    key="acquisition_table_csv",
)
st.markdown(ui.t("acquisition.table.explain"))
ui.chart(
    charts.plot_clv_cac_ratio(
        table,
        labels=ui.chart_labels(
            title=ui.t("acquisition.chart.ratio.title"),
            x=ui.t("acquisition.chart.ratio.x"),
            y="",
            **{f"band.{b}": ui.t(f"acquisition.band.{b}") for b in charts.BAND_COLOURS},
            break_even_line=ui.t("acquisition.chart.ratio.break_even"),
            healthy_line=ui.t("acquisition.chart.ratio.healthy"),
            average_cac=ui.t("acquisition.col.average_cac", currency=currency),
            average_clv=ui.t("acquisition.col.average_clv", currency=currency),
            new_customers=ui.t("acquisition.col.new_customers"),
            unknown_channel=ui.t("acquisition.unknown_channel"),
        ),
        presentation=presentation,
    ),
    "acquisition_chart_ratio",
    data=view[["channel", "average_cac", "average_clv", "clv_cac_ratio", "interpretation"]],
    file_name="clv_cac_ratio.csv",
)

# -- CAC by month --------------------------------------------------------------------------
st.subheader(ui.t("acquisition.trend.title"))
ui.chart(
    charts.plot_cac_trend(
        months,
        labels=ui.chart_labels(
            title=ui.t("acquisition.chart.trend.title", currency=currency),
            x=ui.t("acquisition.chart.trend.x"),
            y=ui.t("acquisition.chart.trend.y", currency=currency),
            spend=ui.t("acquisition.col.spend", currency=currency),
            new_customers=ui.t("acquisition.col.new_customers"),
            unknown_channel=ui.t("acquisition.unknown_channel"),
        ),
        presentation=presentation,
    ),
    "acquisition_chart_trend",
    data=months,
    file_name="cac_by_month.csv",
)

# -- payback -------------------------------------------------------------------------------
st.subheader(ui.t("acquisition.payback.title"))
st.markdown(ui.t("acquisition.payback.explain", rate=ui.fmt_percent(margin_rate, decimals=0)))
# Channels with a cohort to pay back, most spend first (the finance table's order).
with_cac = set(paybacks.loc[paybacks["cac"] > 0, "channel"].dropna())
paid_channels = [c for c in table["channel"] if isinstance(c, str) and c in with_cac]
if not paid_channels:
    st.caption(ui.t("acquisition.payback.none"))
else:
    chosen = st.selectbox(
        ui.t("acquisition.payback.channel"),
        options=paid_channels,
        key="acquisition_payback_channel",
    )
    curves = paybacks[(paybacks["channel"] == chosen) & (paybacks["cac"] > 0)]
    ui.chart(
        charts.plot_payback(
            paybacks,
            chosen,
            labels=ui.chart_labels(
                title=ui.t("acquisition.chart.payback.title", channel=charts.plain_text(chosen)),
                x=ui.t("acquisition.chart.payback.x"),
                y=ui.t("acquisition.chart.payback.y"),
                subtitle=ui.t("acquisition.chart.payback.subtitle"),
                paid_back_line=ui.t("acquisition.chart.payback.line"),
                margin=ui.t("acquisition.chart.payback.margin", currency=currency),
                cac=ui.t("acquisition.chart.payback.cac", currency=currency),
            ),
            presentation=presentation,
        ),
        "acquisition_chart_payback",
        data=curves,
        file_name="payback_by_cohort.csv",
    )
    by_cohort = cohorts[(cohorts["channel"] == chosen) & (cohorts["cac"] > 0)].copy()
    by_cohort["payback_months"] = [
        payback_label(m, c)
        for m, c in zip(by_cohort["payback_months"], by_cohort["cac"], strict=True)
    ]
    st.dataframe(
        by_cohort,
        hide_index=True,
        column_order=["cohort_month", "cac", "payback_months"],
        column_config={
            "cohort_month": ui.month_column(ui.t("acquisition.col.cohort")),
            "cac": money_column("acquisition.col.cohort_cac"),
            "payback_months": st.column_config.TextColumn(
                ui.t("acquisition.col.payback"), help=ui.t("acquisition.col.cohort_payback_help")
            ),
        },
    )

# -- channel names -------------------------------------------------------------------------
st.subheader(ui.t("acquisition.aliases.title"))
alias_editor(store)

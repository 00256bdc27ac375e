"""Voice of the customer: NPS by segment, the predicted value it holds, tickets by tier."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

import ui
from clv.charts import voice as voice_charts
from clv.metrics import voice
from clv.metrics.overview import overall_nps
from clv.metrics.voice import MIN_ANSWERS, NPS_BY

# Tier first: the segment a retention lead acts on.
BY_CHOICES = NPS_BY


def segment_names(groups: pd.Series, by: str) -> list[str]:
    """Display name per segment (plain text, for tables and CSV files)."""
    names = []
    for value in groups:
        if value is None or (not isinstance(value, str) and pd.isna(value)):
            names.append(ui.t(f"voice.no_segment.{by}"))
        elif by == "tier":
            names.append(ui.t(f"tier.{value}"))
        elif by in ("cohort", "month"):
            names.append(ui.fmt_month(value))
        else:
            names.append(str(value))
    return names


def clv_tile(column: Any, group: str, held: pd.DataFrame) -> None:
    rows = held.set_index("group")
    total = float(rows["predicted_clv"].sum())
    value = float(rows.loc[group, "predicted_clv"])
    customers = int(rows.loc[group, "customers"])
    share = rows.loc[group, "share"]
    column.metric(
        ui.t(f"voice.kpi.clv_{group}s"),
        money(value),
        help=ui.t(
            f"voice.kpi.clv_{group}s_help",
            customers=ui.fmt_int(customers),
            value=money(value),
            share=ui.fmt_percent(share),
            total=money(total),
            all_customers=ui.fmt_int(rows["customers"].sum()),
        ),
        border=True,
    )
    column.caption(
        ui.t("voice.kpi.clv_share", share=ui.fmt_percent(share), customers=ui.fmt_int(customers))
    )


# ======================================================================================

ui.page_header("voice.title", "voice.purpose")
store = ui.get_store()

ui.require_data(store, ("nps_responses",), "voice.empty")

filters = ui.current_filters(store)
ui.filter_caption(store)
currency = ui.shop_currency(store)
money = ui.money_formatter(currency)
presentation = ui.presentation()
customer_filter = filters.channels is not None or filters.tiers is not None

# -- one data call --------------------------------------------------------------------------
valuation = ui.valuation_key(store)
figures = ui.kpi(store, voice.voice_figures, filters, valuation)
by_month = figures.by_month
overall = overall_nps(by_month)
if overall is None:
    st.info(ui.t("voice.no_answers"), icon=":material/filter_alt_off:")
    st.stop()
unmatched_rows = by_month[~by_month["matched"].astype(bool)]
unmatched_answers = int(unmatched_rows["answers"].sum())
months = by_month[by_month["matched"].astype(bool)]

held = figures.held

# -- KPI tiles ---------------------------------------------------------------------------
answers_text = ui.fmt_int(overall.n)
nps_tile, promoters_tile, passives_tile, detractors_tile = st.columns(4)
nps_tile.metric(
    ui.t("voice.kpi.nps"),
    ui.fmt_signed_number(overall.nps),
    help=ui.t(
        "voice.kpi.nps_help",
        promoters_share=ui.fmt_percent(overall.promoters / overall.n),
        detractors_share=ui.fmt_percent(overall.detractors / overall.n),
        nps=ui.fmt_signed_number(overall.nps),
        answers=answers_text,
        promoters=ui.fmt_int(overall.promoters),
        passives=ui.fmt_int(overall.passives),
        detractors=ui.fmt_int(overall.detractors),
    ),
    border=True,
)
nps_tile.caption(
    ui.t(
        "voice.kpi.interval",
        low=ui.fmt_signed_number(overall.low),
        high=ui.fmt_signed_number(overall.high),
        answers=answers_text,
    )
)
for tile, group, count in (
    (promoters_tile, "promoters", overall.promoters),
    (passives_tile, "passives", overall.passives),
    (detractors_tile, "detractors", overall.detractors),
):
    tile.metric(
        ui.t(f"voice.kpi.{group}"),
        ui.fmt_percent(count / overall.n),
        help=ui.t(f"voice.kpi.{group}_help", count=ui.fmt_int(count), answers=answers_text),
        border=True,
    )

if overall.low > 0:
    benchmark = "voice.benchmark.above"
elif overall.high < 0:
    benchmark = "voice.benchmark.below"
else:
    benchmark = "voice.benchmark.unclear"
st.markdown(ui.t(benchmark), help=ui.t("voice.benchmark.basis"))

answers_tile, unmatched_tile, clv_promoters_tile, clv_detractors_tile = st.columns(4)
answers_tile.metric(
    ui.t("voice.kpi.answers"), answers_text, help=ui.t("voice.kpi.answers_help"), border=True
)
unmatched_tile.metric(
    ui.t("voice.kpi.unmatched"),
    ui.fmt_int(unmatched_answers),
    help=ui.t(
        "voice.kpi.unmatched_help", count=ui.fmt_int(unmatched_answers), answers=answers_text
    ),
    border=True,
)
if held is not None:
    clv_tile(clv_promoters_tile, "promoter", held)
    clv_tile(clv_detractors_tile, "detractor", held)
else:
    st.info(ui.t("voice.no_valuation"), icon=":material/info:")

# -- NPS by segment ----------------------------------------------------------------------
st.subheader(ui.t("voice.segments.title"))
choices = [by for by in BY_CHOICES if by != "tier" or valuation is not None]
st.session_state.setdefault("voice_by", choices[0])
if st.session_state["voice_by"] not in choices:
    st.session_state["voice_by"] = choices[0]
by = st.radio(
    ui.t("voice.segments.by"),
    options=choices,
    format_func=lambda choice: ui.t(f"voice.by.{choice}"),
    key="voice_by",
    horizontal=True,
    help=ui.t("voice.segments.by_help"),
)
segments = ui.kpi(store, voice.nps_by, by, filters, valuation=valuation if by == "tier" else None)
segmented = segments[segments["matched"].astype(bool)].reset_index(drop=True)
if len(segmented):
    names = segment_names(segmented["group"], by)
    too_few = [
        ui.t("voice.segment_count", name=ui.text(name), answers=ui.fmt_int(answers))
        for name, answers, few in zip(
            names, segmented["answers"], segmented["too_few"], strict=True
        )
        if few
    ]
    if too_few:
        st.warning(
            ui.t("voice.segments.too_few", minimum=MIN_ANSWERS, segments=", ".join(too_few)),
            icon=":material/warning:",
        )
    figure = voice_charts.plot_nps_by_segment(
        segmented,
        by,
        labels=ui.chart_labels(
            title=ui.t("voice.chart.segments.title", by=ui.t(f"voice.by_noun.{by}")),
            x=ui.t(f"voice.by.{by}"),
            y=ui.t("voice.col.nps"),
            answers=ui.t("voice.chart.answers"),
            interval=ui.t("voice.chart.interval"),
            too_few=ui.t("voice.chart.too_few"),
            hatched=ui.t("voice.chart.hatched", minimum=MIN_ANSWERS),
            count=ui.t("voice.chart.count", answers="{answers}"),
            no_segment=ui.t(f"voice.no_segment.{by}"),
        ),
        presentation=presentation,
    )
    table = segmented.drop(columns=["group", "matched"]).copy()
    table.insert(0, "segment", names)
    ui.chart(figure, "voice_segments", data=table, file_name=f"nps_by_{by}.csv")
    number = st.column_config.NumberColumn
    st.dataframe(
        table,
        hide_index=True,
        column_config={
            "segment": st.column_config.TextColumn(ui.t("voice.col.segment")),
            "answers": number(ui.t("voice.col.answers"), format="localized"),
            "promoters": number(ui.t("voice.col.promoters"), format="localized"),
            "passives": number(ui.t("voice.col.passives"), format="localized"),
            "detractors": number(ui.t("voice.col.detractors"), format="localized"),
            "nps": number(ui.t("voice.col.nps"), format="%+.1f"),
            "low": number(ui.t("voice.col.low"), format="%+.1f"),
            "high": number(ui.t("voice.col.high"), format="%+.1f"),
            "too_few": st.column_config.CheckboxColumn(ui.t("voice.col.too_few")),
        },
    )
if unmatched_answers:
    unmatched = overall_nps(unmatched_rows)
    st.info(
        ui.t(
            "voice.unmatched.some",
            count=ui.fmt_int(unmatched_answers),
            share=ui.fmt_percent(unmatched_answers / overall.n),
            nps=ui.fmt_signed_number(unmatched.nps),
        ),
        icon=":material/person_off:",
    )
else:
    st.caption(ui.t("voice.unmatched.filtered" if customer_filter else "voice.unmatched.none"))

# -- NPS by month ------------------------------------------------------------------------
st.subheader(ui.t("voice.trend.title"))
if len(months):
    trend = voice_charts.plot_nps_trend(
        months,
        labels=ui.chart_labels(
            title=ui.t("voice.chart.trend.title"),
            x=ui.t("voice.chart.trend.x"),
            y=ui.t("voice.col.nps"),
            y2=ui.t("voice.chart.answers"),
            nps=ui.t("voice.col.nps"),
            answers=ui.t("voice.chart.answers"),
            interval=ui.t("voice.chart.interval"),
            too_few=ui.t("voice.chart.trend.too_few", minimum=MIN_ANSWERS),
        ),
        presentation=presentation,
    )
    month_table = months.drop(columns=["group", "matched"]).copy()
    month_table.insert(0, "month", segment_names(months["group"], "month"))
    ui.chart(trend, "voice_trend", data=month_table, file_name="nps_by_month.csv")
if unmatched_answers:
    st.caption(ui.t("voice.trend.unmatched", count=ui.fmt_int(unmatched_answers)))

# -- value held by NPS group ---------------------------------------------------------------
if held is not None:
    st.subheader(ui.t("voice.value.title"))
    groups_figure = voice_charts.plot_clv_by_nps_group(
        held,
        labels=ui.chart_labels(
            title=ui.t("voice.chart.groups.title", currency=currency),
            x=ui.t("voice.chart.groups.x", currency=currency),
            y="",
            customers=ui.t("voice.chart.groups.customers"),
            share=ui.t("voice.chart.groups.share"),
            **{
                f"group.{group}": ui.t(f"voice.group.{group}")
                for group in ("promoter", "passive", "detractor", "no answer")
            },
        ),
        presentation=presentation,
    )
    held_table = held.copy()
    held_table["group"] = [ui.t(f"voice.group.{group}") for group in held["group"]]
    ui.chart(groups_figure, "voice_value", data=held_table, file_name="clv_by_nps_group.csv")
    st.caption(ui.t("voice.value.caption"))

# -- support tickets -----------------------------------------------------------------------
st.subheader(ui.t("voice.tickets.title"))
if ui.missing_data(store, "support_tickets"):
    ui.empty_state(["support_tickets"], "voice.tickets.empty")
elif valuation is None:
    st.info(ui.t("voice.no_valuation"), icon=":material/info:")
else:
    tickets = figures.tickets
    # Tiers emptied by the tier filter would show as blank rows.
    tickets = tickets[tickets["customers"] > 0].reset_index(drop=True)
    tickets_figure = voice_charts.plot_tickets_by_tier(
        tickets,
        labels=ui.chart_labels(
            title=ui.t("voice.chart.tickets.title"),
            per_customer=ui.t("voice.chart.tickets.per_customer"),
            resolution=ui.t("voice.chart.tickets.resolution"),
            tickets=ui.t("voice.tickets.col.tickets"),
            customers=ui.t("voice.tickets.col.customers"),
            open=ui.t("voice.tickets.col.open"),
        ),
        presentation=presentation,
    )
    tickets_table = tickets.copy()
    tickets_table["tier"] = [ui.t(f"tier.{tier}") for tier in tickets["tier"]]
    ui.chart(tickets_figure, "voice_tickets", data=tickets_table, file_name="tickets_by_tier.csv")
    number = st.column_config.NumberColumn
    st.dataframe(
        tickets_table,
        hide_index=True,
        column_config={
            "tier": st.column_config.TextColumn(ui.t("voice.tickets.col.tier")),
            "customers": number(ui.t("voice.tickets.col.customers"), format="localized"),
            "tickets": number(ui.t("voice.tickets.col.tickets"), format="localized"),
            "tickets_per_customer": number(ui.t("voice.tickets.col.per_customer"), format="%.3f"),
            "median_resolution_hours": number(ui.t("voice.tickets.col.resolution"), format="%.1f"),
            "open_tickets": number(ui.t("voice.tickets.col.open"), format="localized"),
        },
    )
    st.caption(ui.t("voice.tickets.caption"))

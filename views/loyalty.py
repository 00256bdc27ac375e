"""Loyalty: how many new customers buy again, how soon, with what basket, and how much of
the revenue comes from customers already won, each figure beside its market benchmark."""

from __future__ import annotations

import streamlit as st
from babel.numbers import get_currency_symbol

import ui
from clv.charts import loyalty as loyalty_charts
from clv.metrics import loyalty
from clv.metrics.loyalty import (
    MARKET_EXISTING_REVENUE_SHARE,
    MARKET_REPEAT_BASKET_UPLIFT,
    RANKS,
    TENURE_BANDS,
)
from clv.metrics.overview import pooled_repeat_rates

WINDOWS = (30, 60, 90)


# -- wording -------------------------------------------------------------------------------


def days_text(value: float) -> str:
    return ui.fmt_number(value, 0 if float(value).is_integer() else 1)


# ========================================================================================

ui.page_header("loyalty.title", "loyalty.purpose")
store = ui.get_store()

ui.require_data(store, ("orders",), "loyalty.empty")

filters = ui.current_filters(store)
ui.filter_caption(store)
presentation = ui.presentation()
currency = ui.shop_currency(store)
symbol = get_currency_symbol(currency, locale=ui.locale())


money = ui.money_formatter(currency)


# -- one data call ----------------------------------------------------------------------------
figures = ui.kpi(store, loyalty.loyalty_figures, filters, WINDOWS)
rates, by_rank, basket = figures.repeat_rates, figures.basket_by_rank, figures.basket
split, share = figures.revenue_split, figures.existing_share
gaps, median = figures.gaps, figures.median_gap_days
pooled = pooled_repeat_rates(rates)

# -- KPI tiles -----------------------------------------------------------------------------
for column, days in zip(st.columns(len(WINDOWS)), WINDOWS, strict=True):
    rate, customers = pooled[days]
    measured = rates[rates[f"rate_{days}"].notna()]
    if rate is None:
        column.metric(ui.t("loyalty.kpi.repeat", days=days), "—", border=True)
        column.caption(ui.t("loyalty.kpi.repeat_none", days=days))
        continue
    first, last = (
        ui.fmt_month(measured["cohort_month"].min()),
        ui.fmt_month(measured["cohort_month"].max()),
    )
    column.metric(
        ui.t("loyalty.kpi.repeat", days=days),
        ui.fmt_percent(rate),
        help=ui.t(
            "loyalty.kpi.repeat_help",
            repeated=ui.fmt_int(round(rate * customers)),
            customers=ui.fmt_int(customers),
            first=first,
            last=last,
            days=days,
            rate=ui.fmt_percent(rate),
        ),
        border=True,
    )
    column.caption(
        ui.t("loyalty.kpi.repeat_cohorts", first=first, last=last, customers=ui.fmt_int(customers))
    )

basket_tile, existing_tile, gap_tile = st.columns(3)
basket_tile.metric(
    ui.t("loyalty.kpi.basket"),
    "—" if basket.difference is None else ui.fmt_signed_percent(basket.difference),
    help=ui.t(
        "loyalty.kpi.basket_help",
        repeat=money(basket.repeat_basket, 2),
        repeat_orders=ui.fmt_int(basket.repeat_orders),
        first=money(basket.first_basket, 2),
        first_orders=ui.fmt_int(basket.first_orders),
    ),
    border=True,
)
basket_tile.caption(
    ui.t(
        "loyalty.kpi.basket_caption",
        repeat=money(basket.repeat_basket, 2),
        first=money(basket.first_basket, 2),
        benchmark=ui.fmt_signed_percent(MARKET_REPEAT_BASKET_UPLIFT, 0),
    )
)
existing = float(split["existing_revenue"].sum()) if not split.empty else 0.0
total = existing + (float(split["new_revenue"].sum()) if not split.empty else 0.0)
existing_tile.metric(
    ui.t("loyalty.kpi.existing"),
    ui.fmt_percent(share),
    help=ui.t("loyalty.kpi.existing_help", existing=money(existing), total=money(total)),
    border=True,
)
existing_tile.caption(
    ui.t(
        "loyalty.kpi.existing_caption",
        benchmark=ui.fmt_percent(MARKET_EXISTING_REVENUE_SHARE, 0),
    )
)
gap_count = int(gaps["repeat_purchases"].sum()) if not gaps.empty else 0
gap_tile.metric(
    ui.t("loyalty.kpi.gap"),
    "—" if median is None else ui.t("loyalty.kpi.gap_value", days=days_text(median)),
    help=ui.t("loyalty.kpi.gap_help", gaps=ui.fmt_int(gap_count)),
    border=True,
)
gap_tile.caption(
    ui.t("loyalty.kpi.gap_none")
    if median is None
    else ui.t("loyalty.kpi.gap_caption", days=days_text(median))
)
st.markdown(ui.t("loyalty.explain"))

# -- repeat purchase by cohort ---------------------------------------------------------------
st.subheader(ui.t("loyalty.section.repeat"))
shown = loyalty_charts.measurable_cohorts(rates)
if shown.empty:
    st.info(ui.t("loyalty.repeat.none"), icon=":material/hourglass_empty:")
else:
    ui.chart(
        loyalty_charts.plot_repeat_rates(
            shown,
            labels=ui.chart_labels(
                title=ui.t("loyalty.repeat.chart.title"),
                x=ui.t("loyalty.repeat.chart.x"),
                y=ui.t("loyalty.repeat.chart.y"),
                # Filled by the figure, once per window.
                window=ui.t("loyalty.repeat.chart.window", days="{days}"),
                customers=ui.t("loyalty.repeat.chart.customers"),
            ),
            presentation=presentation,
        ),
        "loyalty_repeat",
        data=shown,
        file_name="repeat_rates_by_cohort.csv",
    )
    st.caption(ui.t("loyalty.repeat.note"))
    with st.expander(ui.t("loyalty.repeat.table")):
        st.dataframe(
            rates,
            hide_index=True,
            column_config={
                "cohort_month": ui.month_column(ui.t("loyalty.col.cohort")),
                "new_customers": st.column_config.NumberColumn(
                    ui.t("loyalty.col.new_customers"), format="localized"
                ),
                **{
                    f"rate_{days}": st.column_config.NumberColumn(
                        ui.t("loyalty.col.rate", days=days), format="percent"
                    )
                    for days in WINDOWS
                },
            },
        )
        st.caption(ui.t("loyalty.repeat.table_note"))

# -- time between orders ---------------------------------------------------------------------
st.subheader(ui.t("loyalty.section.gaps"))
if median is None:
    st.info(ui.t("loyalty.gaps.none"), icon=":material/hourglass_empty:")
else:
    ui.chart(
        loyalty_charts.plot_time_between_orders(
            gaps,
            median=median,
            labels=ui.chart_labels(
                title=ui.t("loyalty.gaps.chart.title"),
                x=ui.t("loyalty.gaps.chart.x"),
                y=ui.t("loyalty.gaps.chart.y"),
                median=ui.t("loyalty.gaps.chart.median", days="{days}"),
                range=ui.t("loyalty.gaps.chart.range", low="{low}", high="{high}"),
                clip_note=ui.t(
                    "loyalty.gaps.chart.clip_note", count="{count}", days="{days}", share="{share}"
                ),
            ),
            presentation=presentation,
            number_format=days_text,
            percent_format=ui.fmt_percent,
        ),
        "loyalty_gaps",
        data=gaps,
        file_name="time_between_orders.csv",
    )

# -- basket by rank and by tenure ----------------------------------------------------------
st.subheader(ui.t("loyalty.section.basket"))
by_tenure = figures.basket_by_tenure
if int(by_rank["orders"].sum()) == 0:
    st.info(ui.t("loyalty.basket.none"), icon=":material/hourglass_empty:")
else:
    y_title = ui.t("loyalty.basket.chart.y", currency=symbol)
    orders_word = ui.t("loyalty.basket.chart.orders")
    rank_names = {f"rank.{rank}": ui.t(f"loyalty.rank.{rank}") for rank in RANKS}
    band_names = {f"tenure.{band}": ui.t(f"loyalty.tenure.{band}") for band, _, _ in TENURE_BANDS}
    rank_column, tenure_column = st.columns(2)
    with rank_column:
        ui.chart(
            loyalty_charts.plot_basket_by_rank(
                by_rank,
                labels=ui.chart_labels(
                    title=ui.t("loyalty.rank.chart.title", currency=symbol),
                    x=ui.t("loyalty.rank.chart.x"),
                    y=y_title,
                    orders=orders_word,
                    **rank_names,
                ),
                presentation=presentation,
                count_format=ui.fmt_int,
            ),
            "loyalty_rank",
            data=by_rank,
            file_name="basket_by_rank.csv",
        )
    with tenure_column:
        ui.chart(
            loyalty_charts.plot_basket_by_tenure(
                by_tenure,
                labels=ui.chart_labels(
                    title=ui.t("loyalty.tenure.chart.title", currency=symbol),
                    x=ui.t("loyalty.tenure.chart.x"),
                    y=y_title,
                    orders=orders_word,
                    **band_names,
                ),
                presentation=presentation,
                count_format=ui.fmt_int,
            ),
            "loyalty_tenure",
            data=by_tenure,
            file_name="basket_by_tenure.csv",
        )
    st.caption(ui.t("loyalty.basket.note"))

# -- revenue from existing and new customers ----------------------------------------------------
st.subheader(ui.t("loyalty.section.split"))
if split.empty:
    st.info(ui.t("loyalty.split.none"), icon=":material/hourglass_empty:")
else:
    ui.chart(
        loyalty_charts.plot_revenue_split(
            split,
            benchmark=MARKET_EXISTING_REVENUE_SHARE,
            labels=ui.chart_labels(
                title=ui.t("loyalty.split.chart.title", currency=symbol),
                x="",
                y=ui.t("loyalty.split.chart.y", currency=symbol),
                y2=ui.t("loyalty.split.chart.y2"),
                new=ui.t("loyalty.split.chart.new"),
                existing=ui.t("loyalty.split.chart.existing"),
                share=ui.t("loyalty.split.chart.share"),
                benchmark=ui.t("loyalty.split.chart.benchmark", share="{share}"),
            ),
            presentation=presentation,
            percent_format=lambda value: ui.fmt_percent(value, 0),
        ),
        "loyalty_split",
        data=split,
        file_name="revenue_new_vs_existing.csv",
    )
    with st.expander(ui.t("loyalty.split.table")):
        st.dataframe(
            split,
            hide_index=True,
            column_config={
                "month": ui.month_column(ui.t("loyalty.col.month")),
                "new_revenue": ui.money_column(
                    ui.t("loyalty.col.new_revenue", currency=symbol), currency
                ),
                "existing_revenue": ui.money_column(
                    ui.t("loyalty.col.existing_revenue", currency=symbol), currency
                ),
                "existing_share": st.column_config.NumberColumn(
                    ui.t("loyalty.col.existing_share"), format="percent"
                ),
            },
        )

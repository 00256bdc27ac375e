"""Retention: which cohorts keep ordering, what they earn over time, and when customers
lapse under an explicit churn rule."""

from __future__ import annotations

import datetime as dt

import streamlit as st

import ui
from clv.charts import retention as charts
from clv.metrics import filters as shared_filters
from clv.metrics import retention as metrics
from clv.metrics.overview import pooled_churn_rate
from clv.metrics.retention import CHURN_GAP_PERCENTILE, FALLBACK_CHURN_DAYS, pooled_retention

# Months since the first order shown as tiles: the first repeat month, and a quarter on.
TILE_MONTHS = (1, 3)
# The widget's own entry is dropped on any run of another page: the window the user chose
# is kept in a second entry for the whole session (None: follow the proposed window).
CHURN_DAYS_KEY = "retention_churn_days"
CHURN_SAVED_KEY = ui.CHURN_WINDOW_KEY
MAX_CHURN_DAYS = ui.MAX_CHURN_DAYS
SURVIVAL_KEY = "retention_survival_by"


def churn_days_changed() -> None:
    st.session_state[CHURN_SAVED_KEY] = int(st.session_state[CHURN_DAYS_KEY])


def follow_proposal() -> None:
    st.session_state[CHURN_SAVED_KEY] = None


def nothing_to_show() -> None:
    st.caption(ui.t("retention.nothing"))


# ======================================================================================

ui.page_header("retention.title", "retention.purpose")
store = ui.get_store()
ui.require_data(store, ("orders",), "retention.empty")

filters = ui.current_filters(store)
ui.filter_caption(store)
presentation = ui.presentation()
currency = ui.shop_currency(store)
labels = ui.chart_labels
end = ui.kpi(store, shared_filters.observation_end, filters)

# -- 1. the churn definition ---------------------------------------------------------------
days, proposed, _chosen = ui.churn_window(store)
st.session_state[CHURN_DAYS_KEY] = days

st.subheader(ui.t("retention.definition.title"))
rule, explanation = st.columns([1, 3])
rule.number_input(
    ui.t("retention.definition.days"),
    min_value=1,
    max_value=MAX_CHURN_DAYS,
    step=30,
    key=CHURN_DAYS_KEY,
    help=ui.t("retention.definition.days_help"),
    on_change=churn_days_changed,
)
with explanation:
    st.markdown(
        ui.t(
            "retention.definition.rule",
            days=ui.fmt_int(days),
            end=ui.fmt_date(end),
            cutoff=ui.fmt_date(end - dt.timedelta(days=days)),
        )
    )
    st.markdown(
        ui.t(
            "retention.definition.proposed",
            proposed=ui.fmt_int(proposed),
            percentile=ui.fmt_int(round(100 * CHURN_GAP_PERCENTILE)),
            fallback=ui.fmt_int(FALLBACK_CHURN_DAYS),
        )
    )
    if days != proposed:
        st.button(
            ui.t("retention.definition.reset", days=ui.fmt_int(proposed)),
            key="retention_churn_reset",
            icon=":material/restart_alt:",
            on_click=follow_proposal,
        )

# -- 2. data calls ---------------------------------------------------------------------------
margin_rate = ui.stored_margin_rate(store)
valuation = ui.valuation_key(store)
figures = ui.kpi(store, metrics.retention_figures, days, filters, margin_rate, valuation)
churn_by_cohort, retention = figures.churn_by_cohort, figures.retention
margin, churn_by_tier = figures.margin, figures.churn_by_tier

# -- 3. KPI tiles ----------------------------------------------------------------------------
churn_rate, judged = pooled_churn_rate(churn_by_cohort)
churned = int(churn_by_cohort["churned"].sum()) if judged else 0
tiles = st.columns(1 + len(TILE_MONTHS))
tiles[0].metric(
    ui.t("retention.kpi.churn"),
    ui.fmt_percent(churn_rate),
    help=ui.t(
        "retention.kpi.churn_help",
        churned=ui.fmt_int(churned),
        judged=ui.fmt_int(judged),
        days=ui.fmt_int(days),
        end=ui.fmt_date(end),
        cutoff=ui.fmt_date(end - dt.timedelta(days=days)),
    ),
    border=True,
)
tiles[0].caption(
    ui.t("retention.kpi.churn_caption", days=ui.fmt_int(days))
    if churn_rate is not None
    else ui.t("retention.kpi.churn_none", days=ui.fmt_int(days))
)
for tile, months in zip(tiles[1:], TILE_MONTHS, strict=True):
    pooled = pooled_retention(retention, months)
    tile.metric(
        ui.t("retention.kpi.month", month=months),
        ui.fmt_percent(None if pooled is None else pooled.rate),
        help=None
        if pooled is None
        else ui.t(
            "retention.kpi.month_help",
            month=months,
            active=ui.fmt_int(pooled.active),
            customers=ui.fmt_int(pooled.customers),
        ),
        border=True,
    )
    tile.caption(
        ui.t("retention.kpi.month_none", month=months)
        if pooled is None
        else ui.t(
            "retention.kpi.month_cohorts"
            if pooled.cohorts > 1
            else "retention.kpi.month_one_cohort",
            month=months,
            cohorts=ui.fmt_int(pooled.cohorts),
            first=ui.fmt_month(pooled.first_cohort),
            last=ui.fmt_month(pooled.last_cohort),
            end=ui.fmt_date(end),
        )
    )
st.caption(ui.t("retention.kpi.benchmark"))

# -- 4. cohort heatmap -----------------------------------------------------------------------
st.subheader(ui.t("retention.heatmap.title"))
st.caption(ui.t("retention.heatmap.caption"))
if retention.empty:
    nothing_to_show()
else:
    ui.chart(
        charts.plot_retention_heatmap(
            retention,
            labels=labels(
                title=ui.t("retention.chart.heatmap.title"),
                x=ui.t("retention.chart.months"),
                y=ui.t("retention.chart.cohort"),
                cohort=ui.t("retention.chart.heatmap.row"),
                retention=ui.t("retention.chart.heatmap.retention"),
                active=ui.t("retention.chart.heatmap.active"),
                customers=ui.t("retention.chart.cohort_size"),
            ),
            presentation=presentation,
            count_format=ui.fmt_int,
        ),
        "retention_chart_heatmap",
        data=retention,
        file_name="retention_by_cohort.csv",
    )

# -- 5. cumulative margin --------------------------------------------------------------------
st.subheader(ui.t("retention.margin.title"))
st.caption(ui.t("retention.margin.caption", rate=ui.fmt_percent(margin_rate)))
if margin.empty:
    nothing_to_show()
else:
    ui.chart(
        charts.plot_cumulative_margin(
            margin,
            labels=labels(
                title=ui.t("retention.chart.margin.title", currency=currency),
                x=ui.t("retention.chart.months"),
                y=ui.t("retention.chart.margin.y", currency=currency),
                cohort=ui.t("retention.chart.cohort_short"),
                customers=ui.t("retention.chart.cohort_size"),
            ),
            presentation=presentation,
        ),
        "retention_chart_margin",
        data=margin,
        file_name="cumulative_margin_by_cohort.csv",
    )
    if margin["cumulative_margin"].isna().any():
        st.caption(ui.t("retention.margin.unknown"))

# -- 6. churn by cohort and by tier ----------------------------------------------------------
st.subheader(ui.t("retention.churn.title", days=ui.fmt_int(days)))
by_cohort, by_tier = st.columns(2)
churned_label, judged_label = ui.t("retention.chart.churned"), ui.t("retention.chart.judged")
with by_cohort:
    if churn_by_cohort.empty:
        nothing_to_show()
    else:
        ui.chart(
            charts.plot_churn_by_cohort(
                churn_by_cohort,
                overall=churn_rate,
                labels=labels(
                    title=ui.t("retention.chart.churn_cohort.title"),
                    x=ui.t("retention.chart.cohort"),
                    y=ui.t("retention.chart.churn_rate"),
                    churned=churned_label,
                    customers=judged_label,
                    overall=ui.t("retention.chart.churn_cohort.overall"),
                ),
                presentation=presentation,
            ),
            "retention_chart_churn_cohort",
            data=churn_by_cohort.rename(columns={"group": "cohort_month"}),
            file_name="churn_by_cohort.csv",
        )
with by_tier:
    if churn_by_tier is None:
        st.info(ui.t("retention.no_tiers"), icon=":material/info:")
    elif churn_by_tier.empty:
        nothing_to_show()
    else:
        ui.chart(
            charts.plot_churn_by_tier(
                churn_by_tier,
                labels=labels(
                    title=ui.t("retention.chart.churn_tier.title"),
                    y=ui.t("retention.chart.churn_rate"),
                    churned=churned_label,
                    customers=judged_label,
                ),
                presentation=presentation,
                count_format=ui.fmt_int,
            ),
            "retention_chart_churn_tier",
            data=churn_by_tier.rename(columns={"group": "tier"}),
            file_name="churn_by_tier.csv",
        )
st.caption(ui.t("retention.churn.caption", days=ui.fmt_int(days)))

with st.expander(ui.t("retention.table.title"), icon=":material/table:"):
    number = st.column_config.NumberColumn
    common = {
        "customers": number(judged_label, format="localized"),
        "churned": number(churned_label, format="localized"),
        "churn_rate": number(ui.t("retention.chart.churn_rate"), format="percent"),
    }
    if not churn_by_cohort.empty:
        st.dataframe(
            churn_by_cohort,
            hide_index=True,
            column_config={
                "group": st.column_config.DateColumn(
                    ui.t("retention.chart.cohort_short"), format="YYYY-MM"
                ),
                **common,
            },
        )
    if churn_by_tier is not None and not churn_by_tier.empty:
        st.dataframe(
            churn_by_tier.assign(group=churn_by_tier["group"].map(lambda g: ui.t(f"tier.{g}"))),
            hide_index=True,
            column_config={
                "group": st.column_config.TextColumn(ui.t("retention.table.tier")),
                **common,
            },
        )

# -- 7. survival curves ----------------------------------------------------------------------
st.subheader(ui.t("retention.survival.title"))
choices = ["channel"] if valuation is None else ["channel", "tier"]
if st.session_state.get(SURVIVAL_KEY) not in choices:
    st.session_state[SURVIVAL_KEY] = "channel"
by = st.radio(
    ui.t("retention.survival.by"),
    options=choices,
    format_func=lambda choice: ui.t(f"retention.survival.by.{choice}"),
    key=SURVIVAL_KEY,
    horizontal=True,
)
curves = ui.kpi(
    store,
    metrics.survival_curves,
    days,
    filters,
    by=by,
    valuation=valuation if by == "tier" else None,
)
if curves.empty:
    nothing_to_show()
else:
    ui.chart(
        charts.plot_survival(
            curves,
            by=by,
            labels=labels(
                title=ui.t("retention.chart.survival.title", days=ui.fmt_int(days)),
                x=ui.t("retention.chart.survival.x"),
                y=ui.t("retention.chart.survival.y"),
                at_risk=ui.t("retention.chart.survival.at_risk"),
                unknown=ui.t("retention.chart.unknown_channel"),
            ),
            presentation=presentation,
        ),
        "retention_chart_survival",
        data=curves.rename(columns={"group": by}),
        file_name=f"survival_by_{by}.csv",
    )
st.caption(ui.t("retention.survival.caption", days=ui.fmt_int(days)))
if valuation is None:
    st.caption(ui.t("retention.survival.no_tiers"))

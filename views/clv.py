"""CLV: what each customer should bring in margin, how sure we are, and who matters most."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

import ui
from clv.charts import common as charts
from clv.i18n import catalog as i18n
from clv.metrics import filters as shared_filters
from clv.metrics.filters import is_filtering
from clv.store import Store
from clv.valuation.engine import (
    HORIZONS,
    INDEPENDENCE_LIMIT,
    MARGIN_RATE_SETTING,
    MODEL_CHOICES,
    TIER_RULE_SETTING,
    Notice,
    Valuation,
    ValuationSettings,
    customer_table,
    restricted_to,
)
from clv.valuation.models import MODEL_LABELS
from clv.valuation.summary import TIME_UNITS
from clv.valuation.tiers import TierRule

TOP_CUSTOMERS = 25
# Decimals of the figures quoted in notices, by name.
NOTICE_DECIMALS = {"mae": 3, "correlation": 2, "limit": 1, "penalizer": 3}


# -- wording -----------------------------------------------------------------------------


def notice_text(notice: Notice) -> str:
    """A notice of the valuation in the session's language (its English text otherwise)."""
    values = {}
    for name, value in notice.values.items():
        if isinstance(value, (bool, str)):
            values[name] = ui.text(value)
        elif isinstance(value, int):
            values[name] = ui.fmt_int(value)
        else:
            values[name] = ui.fmt_number(value, NOTICE_DECIMALS.get(name, 2))
    key = f"clv.notice.{notice.code}"
    if key in i18n.TRANSLATIONS:
        return ui.t(key, **values)
    return ui.text(notice.text)


def model_label(model: str | None) -> str:
    if model == "auto":
        return ui.t("clv.model.auto")
    return MODEL_LABELS.get(model or "", "—")


def tier_label(tier: str) -> str:
    return ui.t(f"tier.{tier}")


chart_labels = ui.chart_labels


def show(figure: Any, key: str) -> None:
    st.plotly_chart(figure, key=key, config={"displaylogo": False})


# -- controls ----------------------------------------------------------------------------


def controls(store: Store) -> ValuationSettings:
    """The page's controls, restored for the session; the margin rate is the shop's."""
    saved = ui.clv_controls()
    for key, value in {**ui.DEFAULT_CLV_CONTROLS, **saved}.items():
        st.session_state.setdefault(key, value)
    stored_margin = ui.stored_margin_rate(store)
    st.session_state.setdefault("clv_margin", round(100 * stored_margin, 2))

    horizon, discount, margin, model, unit = st.columns(5)
    horizon.selectbox(
        ui.t("clv.horizon"),
        options=list(HORIZONS),
        format_func=lambda months: ui.t("clv.horizon_option", months=months),
        key="clv_horizon",
        help=ui.t("clv.horizon_help"),
    )
    discount.number_input(
        ui.t("clv.discount"),
        min_value=0.0,
        max_value=50.0,
        step=1.0,
        format="%.1f",
        key="clv_discount",
        help=ui.t("clv.discount_help"),
    )
    margin.number_input(
        ui.t("clv.margin"),
        min_value=0.0,
        max_value=100.0,
        step=1.0,
        format="%.1f",
        key="clv_margin",
        help=ui.t("clv.margin_help"),
    )
    model.selectbox(
        ui.t("clv.model"),
        options=list(MODEL_CHOICES),
        format_func=model_label,
        key="clv_model",
        help=ui.t("clv.model_help"),
    )
    unit.selectbox(
        ui.t("clv.time_unit"),
        options=list(TIME_UNITS),
        format_func=lambda u: ui.t(f"clv.time_unit.{u}"),
        key="clv_time_unit",
        help=ui.t("clv.time_unit_help"),
    )
    st.checkbox(
        ui.t("clv.compare_pareto"), key="clv_compare_pareto", help=ui.t("clv.compare_pareto_help")
    )
    saved.update({key: st.session_state[key] for key in ui.DEFAULT_CLV_CONTROLS})

    margin_rate = float(st.session_state["clv_margin"]) / 100
    if abs(margin_rate - stored_margin) > 1e-9:
        store.set_setting(MARGIN_RATE_SETTING, margin_rate)
        ui.data_changed(store)
    return ValuationSettings(
        time_unit=st.session_state["clv_time_unit"],
        horizon_months=int(st.session_state["clv_horizon"]),
        annual_discount_rate=float(st.session_state["clv_discount"]) / 100,
        margin_rate=margin_rate,
        model=st.session_state["clv_model"],
        compare_pareto=bool(st.session_state["clv_compare_pareto"]),
        tier_rule=ui.stored_tier_rule(store),
    )


def save_tier_rule(store: Store) -> None:
    """Button callback: the thresholds of the editor become the shop's tier rule."""
    state = st.session_state
    method = state["clv_tier_method"]
    try:
        if method == "quantile":
            rule = TierRule(
                "quantile",
                state["clv_tier_q_platinum"] / 100,
                state["clv_tier_q_gold"] / 100,
                state["clv_tier_q_silver"] / 100,
            )
        else:
            rule = TierRule(
                "amount",
                float(state["clv_tier_a_platinum"]),
                float(state["clv_tier_a_gold"]),
                float(state["clv_tier_a_silver"]),
            )
    except ValueError as exc:
        state["clv_tier_flash"] = ("error", ui.t("clv.tiers.invalid", error=ui.text(exc)))
        return
    store.set_setting(TIER_RULE_SETTING, rule.to_dict())
    state["clv_tier_flash"] = ("success", ui.t("clv.tiers.saved"))


def tier_editor(store: Store, valuation: Valuation) -> None:
    rule = valuation.settings.tier_rule
    cut = valuation.tier_thresholds or {}
    state = st.session_state
    state.setdefault("clv_tier_method", rule.method)
    quantiles = rule if rule.method == "quantile" else TierRule()
    for tier in ("platinum", "gold", "silver"):
        state.setdefault(f"clv_tier_q_{tier}", round(100 * getattr(quantiles, tier), 2))
        # Amounts start from the rule in force, or from today's cut when it is by quantile.
        amount = getattr(rule, tier) if rule.method == "amount" else cut.get(tier.title(), 0.0)
        state.setdefault(f"clv_tier_a_{tier}", float(round(amount, 2)))

    method = st.radio(
        ui.t("clv.tiers.method"),
        options=["quantile", "amount"],
        format_func=lambda m: ui.t(f"clv.tiers.method.{m}"),
        key="clv_tier_method",
        horizontal=True,
    )
    columns = st.columns(3)
    for column, tier in zip(columns, ("platinum", "gold", "silver"), strict=True):
        if method == "quantile":
            column.number_input(
                ui.t(f"clv.tiers.quantile.{tier}"),
                min_value=0.1,
                max_value=99.9,
                step=1.0,
                format="%.1f",
                key=f"clv_tier_q_{tier}",
            )
        else:
            column.number_input(
                ui.t(f"clv.tiers.amount.{tier}", currency=valuation.currency),
                min_value=0.0,
                step=10.0,
                format="%.2f",
                key=f"clv_tier_a_{tier}",
            )
    st.button(
        ui.t("clv.tiers.save"),
        key="clv_tier_save",
        icon=":material/save:",
        on_click=save_tier_rule,
        args=(store,),
    )


# -- tables ------------------------------------------------------------------------------


def tier_table_view(valuation: Valuation) -> None:
    currency = valuation.currency
    table = valuation.tier_table.reset_index()
    table["tier"] = table["tier"].map(tier_label)
    percent = st.column_config.NumberColumn
    st.dataframe(
        table,
        hide_index=True,
        column_config={
            "tier": st.column_config.TextColumn(ui.t("clv.tiers.col.tier")),
            "customers": st.column_config.NumberColumn(
                ui.t("clv.tiers.col.customers"), format="localized"
            ),
            "customer_share": percent(ui.t("clv.tiers.col.customer_share"), format="percent"),
            "predicted_clv": ui.money_column(
                ui.t("clv.tiers.col.predicted_clv", currency=currency), currency
            ),
            "clv_share": percent(ui.t("clv.tiers.col.clv_share"), format="percent"),
            "average_clv": ui.money_column(
                ui.t("clv.tiers.col.average_clv", currency=currency), currency
            ),
            "revenue": ui.money_column(ui.t("clv.tiers.col.revenue", currency=currency), currency),
            "revenue_share": percent(ui.t("clv.tiers.col.revenue_share"), format="percent"),
        },
    )


def top_customers_view(table: pd.DataFrame, currency: str) -> None:
    top = table.head(TOP_CUSTOMERS).copy()
    top["tier"] = top["tier"].map(tier_label)
    days = {
        f"expected_purchases_{n}d": st.column_config.NumberColumn(
            ui.t("clv.col.expected_purchases", days=n), format="%.2f"
        )
        for n in (30, 90, 365)
    }
    st.dataframe(
        top,
        hide_index=True,
        # The figures a reader scans first come first; the CSV keeps its own order.
        column_order=[
            "customer_id",
            "tier",
            "predicted_clv",
            "probability_alive",
            "expected_next_order_date",
            *days,
            "orders",
            "net_revenue",
            "margin_to_date",
            "acquisition_channel",
            "cohort",
        ],
        column_config={
            "customer_id": st.column_config.TextColumn(ui.t("clv.col.customer_id")),
            "acquisition_channel": st.column_config.TextColumn(ui.t("clv.col.acquisition_channel")),
            "cohort": st.column_config.TextColumn(ui.t("clv.col.cohort")),
            "tier": st.column_config.TextColumn(ui.t("clv.tiers.col.tier")),
            "orders": st.column_config.NumberColumn(ui.t("clv.col.orders"), format="%d"),
            "net_revenue": ui.money_column(
                ui.t("clv.col.net_revenue", currency=currency), currency
            ),
            "margin_to_date": ui.money_column(
                ui.t("clv.col.margin_to_date", currency=currency), currency
            ),
            "predicted_clv": ui.money_column(
                ui.t("clv.col.predicted_clv", currency=currency), currency
            ),
            **days,
            "probability_alive": st.column_config.ProgressColumn(
                ui.t("clv.col.probability_alive"), format="percent", min_value=0.0, max_value=1.0
            ),
            "expected_next_order_date": st.column_config.DateColumn(
                ui.t("clv.col.expected_next_order_date"), format="DD/MM/YYYY"
            ),
        },
    )


def comparison_view(valuation: Valuation) -> None:
    table = valuation.comparison.copy()
    table["used"] = table["model"] == valuation.model
    columns = ["label", "used", "actual_total", "predicted_total", "bias_percent", "mae"]
    columns += ["log_likelihood", "penalizer_used"]
    if table["error"].astype(bool).any():
        columns.append("error")
    number = st.column_config.NumberColumn
    st.dataframe(
        table,
        hide_index=True,
        column_order=columns,
        column_config={
            "label": st.column_config.TextColumn(ui.t("clv.trust.col.label")),
            "used": st.column_config.CheckboxColumn(ui.t("clv.trust.col.used")),
            "actual_total": number(ui.t("clv.trust.col.actual_total"), format="localized"),
            "predicted_total": number(ui.t("clv.trust.col.predicted_total"), format="%.1f"),
            "bias_percent": number(ui.t("clv.trust.col.bias_percent"), format="%+.1f"),
            "mae": number(ui.t("clv.trust.col.mae"), format="%.3f"),
            "log_likelihood": number(ui.t("clv.trust.col.log_likelihood"), format="%.1f"),
            "penalizer_used": number(ui.t("clv.trust.col.penalizer_used"), format="%g"),
            "error": st.column_config.TextColumn(ui.t("clv.trust.col.error")),
        },
    )


def parameter_view(valuation: Valuation) -> None:
    table = valuation.parameters.copy()
    table["role"] = table["role"].map(lambda r: ui.t(f"clv.role.{r}"))
    number = st.column_config.NumberColumn
    st.dataframe(
        table,
        hide_index=True,
        height="content",
        column_config={
            "role": st.column_config.TextColumn(ui.t("clv.trust.col.role")),
            "model": st.column_config.TextColumn(ui.t("clv.trust.col.model")),
            "parameter": st.column_config.TextColumn(ui.t("clv.trust.col.parameter")),
            "value": number(ui.t("clv.trust.col.value"), format="%.4f"),
            "standard_error": number(ui.t("clv.trust.col.standard_error"), format="%.4f"),
            "lower_95": number(ui.t("clv.trust.col.lower_95"), format="%.4f"),
            "upper_95": number(ui.t("clv.trust.col.upper_95"), format="%.4f"),
        },
    )


# ======================================================================================

ui.page_header("clv.title", "clv.purpose")
store = ui.get_store()

# -- 1. controls -------------------------------------------------------------------------
settings = controls(store)
presentation = ui.presentation()

# -- 2. one valuation call -------------------------------------------------------------
with st.spinner(ui.t("clv.fitting"), show_time=True):
    valuation = ui.cached_valuation(store, settings)

if not valuation.ok:
    st.info(
        notice_text(valuation.reason) + "\n\n" + ui.t("clv.empty.upload"),
        icon=":material/upload_file:",
    )
    detail = valuation.reason.values.get("detail")
    if detail:
        st.caption(ui.t("clv.detail", detail=ui.text(detail)))
    st.page_link("views/data.py", label=ui.t("clv.go_to_data"), icon=":material/upload_file:")
    st.stop()

# -- 3. the shared filters: which customers the figures below are about ---------------
filters = ui.current_filters(store)
ui.filter_caption(store)
whole_base = len(valuation.customers)
if is_filtering(filters):
    valuation = restricted_to(valuation, ui.kpi(store, shared_filters.kept_customers, filters))
    if valuation.customers.empty:
        st.warning(ui.t("clv.filtered_none"), icon=":material/filter_alt_off:")
        st.stop()
    st.info(
        ui.t(
            "clv.filtered",
            count=ui.fmt_int(len(valuation.customers)),
            total=ui.fmt_int(whole_base),
        ),
        icon=":material/filter_alt:",
    )

currency = valuation.currency
horizon = settings.horizon_months
kpis = valuation.kpis


money = ui.money_formatter(currency)


# -- 4. KPI tiles ------------------------------------------------------------------------
average_tile, total_tile, top_tile = st.columns(3)
average_tile.metric(
    ui.t("clv.kpi.average"),
    money(kpis.average_clv, 2),
    help=ui.t(
        "clv.kpi.average_help",
        total=money(kpis.total_clv),
        customers=ui.fmt_int(kpis.customers),
        horizon=horizon,
    ),
    border=True,
)
band = (
    ui.t("clv.kpi.band", low=money(kpis.band_low), high=money(kpis.band_high))
    if kpis.band_low is not None
    else ui.t("clv.kpi.band_none")
)
total_tile.metric(
    ui.t("clv.kpi.total"),
    money(kpis.total_clv),
    help=ui.t(
        "clv.kpi.total_help",
        customers=ui.fmt_int(kpis.customers),
        low=money(kpis.band_low),
        high=money(kpis.band_high),
    ),
    border=True,
)
total_tile.caption(band)
top_tile.metric(
    ui.t("clv.kpi.top"),
    ui.fmt_percent(kpis.top_tier_share),
    help=ui.t(
        "clv.kpi.top_help",
        count=ui.fmt_int(kpis.top_tier_customers),
        value=money(kpis.top_tier_share * kpis.total_clv),
        total=money(kpis.total_clv),
    ),
    border=True,
)
st.markdown(
    ui.t(
        "clv.explain.clv",
        horizon=horizon,
        rate=ui.fmt_percent(settings.annual_discount_rate, decimals=0),
    )
)
if valuation.activity_model is not None:
    alive_key = (
        "clv.explain.alive_same"
        if valuation.activity_model == valuation.model
        else "clv.explain.alive_other"
    )
    st.markdown(ui.t(alive_key, model=model_label(valuation.activity_model)))
st.markdown(ui.t("clv.explain.band"))
if valuation.warnings:
    st.warning(
        ui.t("clv.warnings_pointer", count=len(valuation.warnings)), icon=":material/warning:"
    )

# -- 5. the classic formula ------------------------------------------------------------
st.subheader(ui.t("clv.basic.title"))
basic = valuation.basic
aov, frequency, lifespan, margin_share, basic_value = st.columns(5)
aov.metric(
    ui.t("clv.basic.aov"),
    money(basic.average_order_value, 2),
    help=ui.t(
        "clv.basic.aov_help", revenue=money(basic.net_revenue), orders=ui.fmt_int(basic.orders)
    ),
)
frequency.metric(
    ui.t("clv.basic.frequency"),
    ui.fmt_number(basic.purchase_frequency, 2),
    help=ui.t(
        "clv.basic.frequency_help",
        orders=ui.fmt_int(basic.orders),
        customers=ui.fmt_int(basic.customers),
        years=ui.fmt_number(basic.window_years, 1),
    ),
)
lifespan.metric(
    ui.t("clv.basic.lifespan"),
    ui.fmt_number(basic.lifespan_years, 1),
    help=ui.t("clv.basic.lifespan_help", churn=ui.fmt_percent(basic.annual_churn_rate)),
)
margin_share.metric(
    ui.t("clv.basic.margin"),
    ui.fmt_percent(basic.gross_margin_rate),
    help=ui.t(
        "clv.basic.margin_help", margin=money(basic.gross_margin), revenue=money(basic.net_revenue)
    ),
)
basic_value.metric(
    ui.t("clv.basic.clv"), money(basic.clv, 2), help=ui.t("clv.basic.clv_help"), border=True
)
st.caption(ui.t("clv.basic.caption", horizon=horizon))
if basic.clv is None:
    st.caption(ui.t("clv.basic.incomplete"))

# -- 6. charts ---------------------------------------------------------------------------
st.subheader(ui.t("clv.charts.title"))
customers_label = ui.t("clv.chart.customers")
show(
    charts.plot_clv_distribution(
        valuation.customers,
        labels=chart_labels(
            title=ui.t("clv.chart.distribution.title", currency=currency, horizon=horizon),
            x=ui.t("clv.chart.distribution.x", currency=currency),
            y=customers_label,
            clip_note=ui.t("clv.chart.distribution.clip_note"),
        ),
        presentation=presentation,
        number_format=money,
        count_format=ui.fmt_int,
        percent_format=ui.fmt_percent,
    ),
    "clv_chart_distribution",
)
by_cohort, by_channel = st.columns(2)
with by_cohort:
    show(
        charts.plot_clv_by_cohort(
            valuation.by_cohort,
            labels=chart_labels(
                title=ui.t("clv.chart.cohort.title", currency=currency),
                x=ui.t("clv.chart.cohort.x"),
                y=ui.t("clv.chart.average", currency=currency),
                customers=customers_label,
                total=ui.t("clv.chart.total", currency=currency),
            ),
            presentation=presentation,
        ),
        "clv_chart_cohort",
    )
with by_channel:
    show(
        charts.plot_clv_by_channel(
            valuation.by_channel,
            labels=chart_labels(
                title=ui.t("clv.chart.channel.title", currency=currency),
                x=ui.t("clv.chart.average", currency=currency),
                customers=customers_label,
                total=ui.t("clv.chart.total", currency=currency),
            ),
            presentation=presentation,
        ),
        "clv_chart_channel",
    )

# -- 7. tiers ----------------------------------------------------------------------------
st.subheader(ui.t("clv.tiers.title"))
show(
    charts.plot_tiers(
        valuation.tier_table,
        labels=chart_labels(
            title=ui.t("clv.chart.tiers.title"),
            x=ui.t("clv.chart.tiers.x"),
            customers=customers_label,
            value=ui.t("clv.chart.tiers.value"),
            revenue=ui.t("clv.chart.tiers.revenue"),
        ),
        presentation=presentation,
    ),
    "clv_chart_tiers",
)
cut = valuation.tier_thresholds
st.markdown(
    ui.t(
        "clv.tiers.thresholds",
        platinum=money(cut["Platinum"], 2),
        gold=money(cut["Gold"], 2),
        silver=money(cut["Silver"], 2),
    )
)
tier_table_view(valuation)
flash = st.session_state.pop("clv_tier_flash", None)
if flash is not None:
    level, message = flash
    (st.error if level == "error" else st.success)(message)
with st.expander(ui.t("clv.tiers.edit"), icon=":material/tune:"):
    tier_editor(store, valuation)
if valuation.movements is not None:
    previous = ui.fmt_date(valuation.previous_end)
    show(
        charts.plot_tier_movements(
            valuation.movements,
            labels=chart_labels(
                title=ui.t("clv.chart.movements.title", date=previous),
                x=ui.t("clv.chart.movements.x"),
                y=ui.t("clv.chart.movements.y", date=previous),
            ),
            presentation=presentation,
        ),
        "clv_chart_movements",
    )
    st.caption(ui.t("clv.tiers.movements_caption", date=previous))

# -- 8. top customers and the download ---------------------------------------------------
st.subheader(ui.t("clv.top.title"))
table = customer_table(valuation)
st.caption(ui.t("clv.top.caption", count=ui.fmt_int(min(TOP_CUSTOMERS, len(table)))))
top_customers_view(table, currency)
ui.csv_download(table, "customer_lifetime_value.csv", ui.t("clv.download"), "clv_csv")

# -- 9. trust ----------------------------------------------------------------------------
st.subheader(ui.t("clv.trust.title"))
st.markdown(
    ui.t(
        "clv.trust.models",
        purchase=model_label(valuation.model),
        activity=model_label(valuation.activity_model),
    )
)
st.markdown(notice_text(valuation.model_reason))
if valuation.comparison is not None:
    st.markdown(
        ui.t(
            "clv.trust.backtest",
            calibration_end=ui.fmt_date(valuation.calibration_end),
            weeks=valuation.holdout_weeks,
            end=ui.fmt_date(valuation.observation_end),
        )
    )
    st.markdown(f"**{ui.t('clv.trust.comparison')}**")
    comparison_view(valuation)
backtest = valuation.backtest
if backtest is not None:
    mae, bias, totals = st.columns(3)
    mae.metric(
        ui.t("clv.trust.mae"),
        ui.fmt_number(backtest.mae, 3),
        help=ui.t("clv.trust.mae_help", customers=ui.fmt_int(len(backtest.per_customer))),
        border=True,
    )
    bias.metric(
        ui.t("clv.trust.bias"),
        ui.fmt_percent(backtest.bias_percent / 100),
        help=ui.t(
            "clv.trust.bias_help",
            predicted=ui.fmt_number(backtest.predicted_total, 1),
            actual=ui.fmt_int(backtest.actual_total),
        ),
        border=True,
    )
    totals.metric(
        ui.t("clv.trust.totals"),
        f"{ui.fmt_int(backtest.actual_total)} / {ui.fmt_int(backtest.predicted_total)}",
        help=ui.t("clv.trust.totals_help"),
        border=True,
    )
    tracking, by_frequency = st.columns(2)
    actual, predicted = ui.t("clv.chart.actual"), ui.t("clv.chart.predicted")
    if valuation.tracking is not None:
        with tracking:
            show(
                charts.plot_tracking(
                    valuation.tracking,
                    calibration_end=valuation.calibration_end,
                    labels=chart_labels(
                        title=ui.t("clv.chart.tracking.title"),
                        y=ui.t("clv.chart.tracking.y"),
                        actual=actual,
                        predicted=predicted,
                        calibration_end=ui.t("clv.chart.tracking.calibration_end"),
                    ),
                    presentation=presentation,
                ),
                "clv_chart_tracking",
            )
    with by_frequency:
        show(
            charts.plot_holdout_by_frequency(
                backtest.by_frequency,
                labels=chart_labels(
                    title=ui.t("clv.chart.frequency.title"),
                    x=ui.t("clv.chart.frequency.x"),
                    y=ui.t("clv.chart.frequency.y"),
                    actual=actual,
                    predicted=predicted,
                    customers=customers_label,
                ),
                presentation=presentation,
            ),
            "clv_chart_frequency",
        )
st.markdown(f"**{ui.t('clv.trust.parameters')}**")
parameter_view(valuation)
st.markdown(
    ui.t(
        "clv.trust.independence",
        value=ui.fmt_number(valuation.independence, 2),
        limit=ui.fmt_number(INDEPENDENCE_LIMIT, 1),
    )
)
if valuation.band is not None:
    st.markdown(
        ui.t(
            "clv.trust.band",
            low=money(valuation.band.low),
            high=money(valuation.band.high),
            draws=ui.fmt_int(len(valuation.band.draws)),
            sampled=ui.fmt_int(valuation.band.sampled_customers),
        )
    )
st.markdown(f"**{ui.t('clv.trust.warnings')}**")
if valuation.warnings:
    for notice in valuation.warnings:
        st.warning(notice_text(notice), icon=":material/warning:")
else:
    st.caption(ui.t("clv.trust.no_warnings"))

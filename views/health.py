"""Health and churn risk: a 0-100 score per customer, who to save first, and how well the
churn model predicts against two baselines."""

from __future__ import annotations

import dataclasses
from typing import Any

import pandas as pd
import streamlit as st

import ui
from clv.charts import health as health_charts
from clv.risk import health
from clv.risk.health import (
    BANDS,
    HEALTHY_FROM,
    SIGNALS,
    WATCH_FROM,
    HealthWeights,
    at_risk_csv,
    at_risk_list,
    health_breakdown,
    health_scores,
    kept_rows,
    load_health_weights,
    save_health_weights,
)
from clv.risk.model import LOGISTIC_MARGIN, TREE_MARGIN
from clv.store import Store

#: Churned = no order in the next this many days (the risk model's label window).
HORIZON_DAYS = 90
#: First value of the minimum-risk slider, in percent: "high risk" on the tiles.
DEFAULT_MIN_RISK = 80
#: Customers offered in the "why this score" picker (the top of the list).
BREAKDOWN_CHOICES = 300
WEIGHT_KEYS = {signal: f"health_weight_{signal}" for signal in SIGNALS}
FLASH_KEY = "health_weights_flash"
MIN_RISK_KEY = "health_min_risk"
BAND_LIMITS = {"healthy": (HEALTHY_FROM, 100.0), "watch": (WATCH_FROM, HEALTHY_FROM)}


# -- weights ---------------------------------------------------------------------------------


def saved_weights(store: Store) -> HealthWeights:
    """The shop's saved weights; the defaults (with a warning) when the setting is damaged."""
    try:
        return load_health_weights(store)
    except (TypeError, ValueError) as exc:
        st.warning(ui.t("health.weights.damaged", error=ui.text(exc)), icon=":material/warning:")
        return HealthWeights()


def save_weights(store: Store) -> None:
    """Save button: the form's weights become the shop's."""
    state = st.session_state
    try:
        weights = HealthWeights(**{k: state[key] for k, key in WEIGHT_KEYS.items()})
    except ValueError as exc:
        state[FLASH_KEY] = ("error", ui.t("health.weights.invalid", error=ui.text(exc)))
        return
    save_health_weights(store, weights)
    state[FLASH_KEY] = ("success", ui.t("health.weights.saved"))


def reset_weights(store: Store) -> None:
    """Reset button: the default weights, saved and shown in the form."""
    defaults = HealthWeights()
    save_health_weights(store, defaults)
    for signal, key in WEIGHT_KEYS.items():
        st.session_state[key] = getattr(defaults, signal)
    st.session_state[FLASH_KEY] = ("success", ui.t("health.weights.reset_done"))


def weights_editor(store: Store, weights: HealthWeights) -> None:
    for signal, key in WEIGHT_KEYS.items():
        st.session_state.setdefault(key, getattr(weights, signal))
    total = weights.total()
    with st.form("health_weights_form", border=True):
        for signal, key in WEIGHT_KEYS.items():
            left, right = st.columns([1, 3], vertical_alignment="center")
            left.number_input(
                ui.t(f"health.signal.{signal}"),
                min_value=0.0,
                max_value=1000.0,
                step=1.0,
                format="%.1f",
                key=key,
                help=ui.t(f"health.rule.{signal}"),
            )
            right.markdown(
                ui.t(
                    "health.weights.meaning",
                    meaning=ui.t(f"health.meaning.{signal}"),
                    points=ui.fmt_number(100 * getattr(weights, signal) / total, 1),
                )
            )
        save, reset, _ = st.columns([1, 1, 2])
        save.form_submit_button(
            ui.t("health.weights.save"),
            icon=":material/save:",
            type="primary",
            on_click=save_weights,
            args=(store,),
        )
        reset.form_submit_button(
            ui.t("health.weights.reset"),
            icon=":material/restart_alt:",
            on_click=reset_weights,
            args=(store,),
        )
    flash = st.session_state.pop(FLASH_KEY, None)
    if flash:
        kind, message = flash
        (st.success if kind == "success" else st.error)(message)


# -- wording ---------------------------------------------------------------------------------


def model_name(model: str) -> str:
    return ui.t(f"health.model.{model}")


def dates_text(days: Any) -> str:
    return ", ".join(ui.fmt_date(day) for day in sorted(days))


def chosen_reason(evaluation: Any) -> str:
    """Why the chosen model was kept, in the session's language (the module's English
    sentence when its figures are not at hand)."""
    if evaluation.validation_cutoff is None:
        return ui.t("health.reason.short")
    aucs = dict(zip(evaluation.validation["model"], evaluation.validation["roc_auc"], strict=True))
    try:
        if evaluation.chosen == "boosting":
            gain = aucs["boosting"] - aucs["logistic"]
            return ui.t(
                "health.reason.boosting",
                gain=ui.fmt_number(gain, 3),
                margin=ui.fmt_number(TREE_MARGIN, 2),
            )
        if evaluation.chosen == "logistic":
            gain = aucs["logistic"] - aucs["recency"]
            return ui.t(
                "health.reason.logistic",
                gain=ui.fmt_number(gain, 3),
                margin=ui.fmt_number(TREE_MARGIN, 2),
            )
        return ui.t("health.reason.recency", margin=ui.fmt_number(LOGISTIC_MARGIN, 3))
    except KeyError:
        return ui.text(evaluation.chosen_reason)


def signal_value(signal: str, row: pd.Series, features: pd.Series | None) -> str:
    """The raw signal behind one line of the breakdown, in words."""
    if bool(row["unknown"]) or features is None:
        return ui.t("health.value.unknown")
    value = row["value"]
    if signal == "recency":
        return ui.t(
            "health.value.recency",
            ratio=ui.fmt_number(value, 2),
            days=ui.fmt_int(features["days_since_last"]),
            gap=ui.fmt_int(round(features["expected_gap_days"])),
        )
    if signal == "activity":
        return ui.fmt_percent(value)
    if signal == "monetary_trend":
        return ("+" if value > 0 else "") + ui.fmt_number(value, 2)
    if signal == "tenure":
        return ui.t("health.value.days", days=ui.fmt_int(value))
    if signal == "nps":
        return ui.t("health.value.nps", score=ui.fmt_int(value))
    return ui.fmt_int(value)


# ======================================================================================

ui.page_header("health.title", "health.purpose")
store = ui.get_store()
ui.require_data(store, ("orders",), "health.empty")

filters = ui.current_filters(store)
ui.filter_caption(store)
summary = ui.cached_summary(store)
last_day = summary["last_order_date"]
if filters.start is not None or filters.end is not None:
    st.caption(ui.t("health.period_ignored", day=ui.fmt_date(last_day)))
# Health and risk are as of the latest order day: only the channel and tier filters apply.
segment = dataclasses.replace(filters, start=None, end=None)
currency = ui.shop_currency(store)
money = ui.money_formatter(currency)
presentation = ui.presentation()

# -- one data call per figure ------------------------------------------------------------
valuation = ui.shared_valuation(store)
tiers = None if valuation is None else valuation.customers["tier"]
clv_values = None if valuation is None else valuation.customers["clv"]
alive = None if valuation is None else valuation.customers["probability_alive"]
# Signals of the whole shop, then the segment's rows: a one-time buyer's expected gap is
# the shop's, whatever segment is looked at.
signals = ui.kpi(store, health.health_signals, None, probability_alive=alive)
weights = saved_weights(store)
all_scores = health_scores(signals, weights)
scores = kept_rows(all_scores, signals["channel"], tiers, segment)
customers = len(scores)

risk_problem: str | None = None
evaluation = risk_scores = None
try:
    evaluation, risk_scores = ui.cached_risk(store, HORIZON_DAYS)
except ValueError as exc:
    risk_problem = ui.text(exc)

st.session_state.setdefault(MIN_RISK_KEY, DEFAULT_MIN_RISK)
min_risk = st.session_state[MIN_RISK_KEY] / 100
at_risk = None
if risk_scores is not None and valuation is not None:
    with store.cursor() as cur:
        at_risk = at_risk_list(
            risk_scores.join(all_scores[["health"]]),
            clv_values,
            tiers,
            cur,
            segment,
            min_risk=min_risk,
        )

# -- KPI tiles ---------------------------------------------------------------------------
if customers == 0:
    st.info(ui.t("health.no_customers"), icon=":material/filter_alt_off:")
    st.stop()
band_counts = scores["band"].value_counts()
tiles = st.columns(4)
for tile, key in zip(tiles, BANDS, strict=False):
    count = int(band_counts.get(key, 0))
    tile.metric(
        ui.t(f"health.kpi.{key}"),
        ui.fmt_int(count),
        help=ui.t(
            f"health.kpi.{key}_help",
            count=ui.fmt_int(count),
            customers=ui.fmt_int(customers),
            share=ui.fmt_percent(count / customers),
            healthy=ui.fmt_int(HEALTHY_FROM),
            watch=ui.fmt_int(WATCH_FROM),
        ),
        border=True,
    )
    tile.caption(ui.t("health.kpi.share", share=ui.fmt_percent(count / customers)))
value_tile = tiles[3]
threshold = ui.fmt_percent(min_risk, 0)
if at_risk is not None:
    held = float(at_risk["predicted_clv"].sum())
    total_clv = float(clv_values.reindex(scores.index).sum())
    value_tile.metric(
        ui.t("health.kpi.clv_at_risk", threshold=threshold),
        money(held),
        help=ui.t(
            "health.kpi.clv_at_risk_help",
            threshold=threshold,
            days=HORIZON_DAYS,
            count=ui.fmt_int(len(at_risk)),
            value=money(held),
            total=money(total_clv),
            share=ui.fmt_percent(held / total_clv if total_clv else None),
            customers=ui.fmt_int(customers),
        ),
        border=True,
    )
    value_tile.caption(
        ui.t(
            "health.kpi.clv_at_risk_caption",
            count=ui.fmt_int(len(at_risk)),
            share=ui.fmt_percent(held / total_clv if total_clv else None),
        )
    )
else:
    value_tile.metric(
        ui.t("health.kpi.clv_at_risk", threshold=threshold),
        "—",
        help=ui.t("health.kpi.clv_at_risk_missing"),
        border=True,
    )

if evaluation is not None:
    test = evaluation.test
    churned = int(test["churned"].sum())
    tested = len(test)
    auc_help = {
        "customers": ui.fmt_int(tested),
        "churned": ui.fmt_int(churned),
        "cutoff": ui.fmt_date(evaluation.test_cutoff),
        "days": HORIZON_DAYS,
    }
    baselines = [evaluation.auc(m) for m in ("recency", evaluation.baseline_model) if m]
    baselines = [auc for auc in baselines if pd.notna(auc)]
    chosen_tile, recency_tile, alive_tile = st.columns(3)
    chosen_auc = evaluation.auc(evaluation.chosen)
    delta = None
    if baselines and pd.notna(chosen_auc):
        gain = chosen_auc - max(baselines)
        # An ASCII sign: Streamlit reads the direction of a text delta from it.
        signed_gain = ("+" if gain >= 0 else "-") + ui.fmt_number(abs(gain), 3)
        delta = ui.t("health.kpi.auc_delta", delta=signed_gain)
    chosen_tile.metric(
        ui.t("health.kpi.auc_chosen", model=model_name(evaluation.chosen)),
        ui.fmt_number(chosen_auc, 3),
        delta=delta,
        help=ui.t("health.kpi.auc_help", model=model_name(evaluation.chosen), **auc_help),
        border=True,
    )
    recency_tile.metric(
        ui.t("health.kpi.auc_recency"),
        ui.fmt_number(evaluation.auc("recency"), 3),
        help=ui.t("health.kpi.auc_help", model=model_name("recency"), **auc_help),
        border=True,
    )
    if evaluation.baseline_model is not None:
        alive_tile.metric(
            ui.t("health.kpi.auc_alive"),
            ui.fmt_number(evaluation.auc(evaluation.baseline_model), 3),
            help=ui.t(
                "health.kpi.auc_help", model=model_name(evaluation.baseline_model), **auc_help
            ),
            border=True,
        )
    else:
        alive_tile.metric(
            ui.t("health.kpi.auc_alive"),
            "—",
            help=ui.t("health.kpi.auc_alive_missing"),
            border=True,
        )
    st.caption(ui.t("health.kpi.auc_caption"))
elif risk_problem is not None:
    st.warning(
        ui.t("health.risk.unavailable", days=HORIZON_DAYS, twice=2 * HORIZON_DAYS)
        + "\n\n"
        + ui.t("health.risk.reason", reason=risk_problem),
        icon=":material/hourglass_empty:",
    )

# -- distribution --------------------------------------------------------------------------
st.subheader(ui.t("health.distribution.title"))
histogram = health_charts.health_histogram(scores["health"])
band_names = {f"band.{key}": ui.t(f"health.band.{key}") for key in BANDS}
figure = health_charts.plot_health_distribution(
    histogram,
    labels=ui.chart_labels(
        title=ui.t("health.chart.distribution.title", width=ui.fmt_int(health_charts.BIN_WIDTH)),
        x=ui.t("health.chart.distribution.x"),
        y=ui.t("health.chart.distribution.y"),
        threshold=ui.t("health.chart.distribution.threshold"),
        **band_names,
    ),
    presentation=presentation,
)
histogram_table = histogram.assign(band=[ui.t(f"health.band.{b}") for b in histogram["band"]])
ui.chart(figure, "health_distribution", data=histogram_table, file_name="health_scores.csv")
st.caption(
    ui.t(
        "health.distribution.caption",
        median=ui.fmt_number(scores["health"].median(), 1),
        one_time=ui.fmt_int(int((signals.loc[scores.index, "frequency"] == 0).sum())),
        one_time_median=ui.fmt_number(
            scores.loc[signals.loc[scores.index, "frequency"] == 0, "health"].median(), 1
        ),
    )
)
if signals.attrs.get("activity_note"):
    st.caption(ui.t("health.activity_note", note=ui.text(signals.attrs["activity_note"])))

# -- weights -------------------------------------------------------------------------------
st.subheader(ui.t("health.weights.title"))
st.markdown(ui.t("health.weights.intro"))
weights_editor(store, weights)

# -- at-risk list --------------------------------------------------------------------------
st.subheader(ui.t("health.at_risk.title"))
if risk_problem is not None:
    st.info(ui.t("health.at_risk.no_risk"), icon=":material/info:")
elif valuation is None:
    st.info(ui.t("health.at_risk.no_valuation"), icon=":material/info:")
st.slider(
    ui.t("health.at_risk.min_risk"),
    min_value=0,
    max_value=100,
    step=5,
    format="%d %%",
    key=MIN_RISK_KEY,
    help=ui.t("health.at_risk.min_risk_help", days=HORIZON_DAYS),
    disabled=at_risk is None,
)
if at_risk is not None:
    st.caption(ui.t("health.at_risk.caption", count=ui.fmt_int(len(at_risk))))
    table = at_risk.copy()
    table["tier"] = [None if t is None else ui.t(f"tier.{t}") for t in table["tier"]]
    number = st.column_config.NumberColumn
    st.dataframe(
        table,
        hide_index=True,
        height=420,
        column_config={
            "customer_id": st.column_config.TextColumn(
                ui.t("health.col.customer_id"), help=ui.t("health.col.customer_id_help")
            ),
            "source_customer_id": st.column_config.TextColumn(
                ui.t("health.col.source_customer_id"),
                help=ui.t("health.col.source_customer_id_help"),
            ),
            "tier": st.column_config.TextColumn(ui.t("health.col.tier")),
            "channel": st.column_config.TextColumn(ui.t("health.col.channel")),
            "risk": st.column_config.ProgressColumn(
                ui.t("health.col.risk"),
                help=ui.t("health.col.risk_help", days=HORIZON_DAYS),
                format="percent",
                min_value=0.0,
                max_value=1.0,
            ),
            "health": number(ui.t("health.col.health"), format="%.0f"),
            "predicted_clv": ui.money_column(
                ui.t("health.col.predicted_clv", currency=currency), currency
            ),
            "value_at_risk": ui.money_column(
                ui.t("health.col.value_at_risk", currency=currency), currency
            ),
            "days_since_last_order": number(ui.t("health.col.days_since_last"), format="%d"),
        },
    )
    st.download_button(
        ui.t("health.at_risk.download"),
        data=at_risk_csv(table),
        file_name="at_risk_customers.csv",
        mime="text/csv",
        key="health_at_risk_csv",
        icon=":material/download:",
        on_click="ignore",
    )

# -- why this score ------------------------------------------------------------------------
st.subheader(ui.t("health.why.title"))
if at_risk is not None and len(at_risk):
    choices = list(at_risk["customer_id"].head(BREAKDOWN_CHOICES))
    source_ids = dict(zip(at_risk["customer_id"], at_risk["source_customer_id"], strict=True))
    st.caption(ui.t("health.why.from_list", count=ui.fmt_int(len(choices))))
else:
    choices = list(scores["health"].sort_values(kind="stable").index[:BREAKDOWN_CHOICES])
    source_ids = {}
    st.caption(ui.t("health.why.lowest", count=ui.fmt_int(len(choices))))
if st.session_state.get("health_customer") not in choices:
    st.session_state["health_customer"] = choices[0] if choices else None


def customer_label(customer_id: str) -> str:
    source = source_ids.get(customer_id)
    score = ui.fmt_number(all_scores.loc[customer_id, "health"], 0)
    if source:
        return ui.t("health.why.option_source", id=customer_id, source=source, score=score)
    return ui.t("health.why.option", id=customer_id, score=score)


if choices:
    chosen_id = st.selectbox(
        ui.t("health.why.customer"),
        options=choices,
        format_func=customer_label,
        key="health_customer",
    )
    breakdown = health_breakdown(signals, all_scores, chosen_id)
    features = signals.loc[chosen_id] if chosen_id in signals.index else None
    score = float(all_scores.loc[chosen_id, "health"])
    st.markdown(
        ui.t(
            "health.why.summary",
            score=ui.fmt_number(score, 1),
            band=ui.t(f"health.band.{all_scores.loc[chosen_id, 'band']}"),
        )
    )
    signal_names = {f"signal.{k}": ui.t(f"health.signal.{k}") for k in SIGNALS}
    why_figure = health_charts.plot_health_breakdown(
        breakdown,
        labels=ui.chart_labels(
            title=ui.t("health.chart.why.title", score=ui.fmt_number(score, 1)),
            x=ui.t("health.chart.why.x"),
            y="",
            points=ui.t("health.chart.why.points"),
            lost=ui.t("health.chart.why.lost"),
            unknown=ui.t("health.chart.why.unknown"),
            **signal_names,
        ),
        presentation=presentation,
    )
    why_table = pd.DataFrame(
        {
            "signal": [ui.t(f"health.signal.{k}") for k in breakdown["signal"]],
            "value": [
                signal_value(k, row, features)
                for k, (_, row) in zip(breakdown["signal"], breakdown.iterrows(), strict=True)
            ],
            "rule": [ui.t(f"health.rule.{k}") for k in breakdown["signal"]],
            "sub_score": breakdown["sub_score"],
            "max_points": breakdown["max_points"],
            "points": breakdown["points"],
            "points_lost": breakdown["points_lost"],
        }
    )
    ui.chart(why_figure, "health_why", data=why_table, file_name="health_score_breakdown.csv")
    st.dataframe(
        why_table,
        hide_index=True,
        # The points first: they are what the reader came for; the rule last.
        column_order=[
            "signal",
            "points",
            "max_points",
            "points_lost",
            "value",
            "sub_score",
            "rule",
        ],
        column_config={
            "signal": st.column_config.TextColumn(ui.t("health.why.col.signal")),
            "value": st.column_config.TextColumn(ui.t("health.why.col.value")),
            "rule": st.column_config.TextColumn(ui.t("health.why.col.rule")),
            "sub_score": st.column_config.NumberColumn(
                ui.t("health.why.col.sub_score"), format="%.2f"
            ),
            "max_points": st.column_config.NumberColumn(
                ui.t("health.why.col.max_points"), format="%.1f"
            ),
            "points": st.column_config.NumberColumn(ui.t("health.why.col.points"), format="%.1f"),
            "points_lost": st.column_config.NumberColumn(
                ui.t("health.why.col.points_lost"), format="%.1f"
            ),
        },
    )
    st.caption(ui.t("health.why.caption"))

# -- model comparison ----------------------------------------------------------------------
st.subheader(ui.t("health.models.title"))
if evaluation is None:
    st.info(ui.t("health.models.unavailable"), icon=":material/info:")
    st.stop()
test_end = evaluation.test_cutoff + pd.Timedelta(days=evaluation.horizon_days)
st.markdown(
    ui.t(
        "health.models.split",
        train=dates_text(evaluation.train_cutoffs),
        test=ui.fmt_date(evaluation.test_cutoff),
        test_end=ui.fmt_date(test_end),
        days=evaluation.horizon_days,
        customers=ui.fmt_int(len(evaluation.test)),
        churn=ui.fmt_percent(evaluation.test["churned"].mean()),
    )
)
if evaluation.validation_cutoff is not None:
    st.caption(
        ui.t("health.models.validation", validation=ui.fmt_date(evaluation.validation_cutoff))
    )
metrics = evaluation.metrics.copy()
metrics_table = pd.DataFrame(
    {
        "model": [model_name(m) for m in metrics["model"]],
        "role": [ui.t(f"health.role.{r}") for r in metrics["role"]],
        "roc_auc": metrics["roc_auc"],
        "top_decile_lift": metrics["top_decile_lift"],
        "mean_predicted": metrics["mean_predicted"],
        "churn_rate": metrics["churn_rate"],
        "chosen": metrics["chosen"].astype(bool),
    }
)
st.dataframe(
    metrics_table,
    hide_index=True,
    column_config={
        "model": st.column_config.TextColumn(ui.t("health.models.col.model")),
        "role": st.column_config.TextColumn(ui.t("health.models.col.role")),
        "roc_auc": st.column_config.NumberColumn(
            ui.t("health.models.col.roc_auc"), format="%.3f", help=ui.t("health.models.auc_help")
        ),
        "top_decile_lift": st.column_config.NumberColumn(
            ui.t("health.models.col.lift"), format="%.2f", help=ui.t("health.models.lift_help")
        ),
        "mean_predicted": st.column_config.NumberColumn(
            ui.t("health.models.col.mean_predicted"), format="percent"
        ),
        "churn_rate": st.column_config.NumberColumn(
            ui.t("health.models.col.churn_rate"), format="percent"
        ),
        "chosen": st.column_config.CheckboxColumn(ui.t("health.models.col.chosen")),
    },
)
st.markdown(
    ui.t(
        "health.models.chosen",
        model=model_name(evaluation.chosen),
        reason=chosen_reason(evaluation),
    )
)
for note in evaluation.notes:
    if note and note != evaluation.chosen_reason:
        st.caption(ui.text(note))

model_names = {f"model.{m}": model_name(m) for m in metrics["model"]}
calibration_figure = health_charts.plot_calibration(
    evaluation.calibration,
    labels=ui.chart_labels(
        title=ui.t("health.chart.calibration.title"),
        x=ui.t("health.chart.calibration.x"),
        y=ui.t("health.chart.calibration.y", days=evaluation.horizon_days),
        diagonal=ui.t("health.chart.calibration.diagonal"),
        chosen=ui.t("health.chart.calibration.chosen"),
        decile=ui.t("health.chart.calibration.decile"),
        **model_names,
    ),
    presentation=presentation,
    chosen=evaluation.chosen,
)
calibration_table = evaluation.calibration.assign(
    model=[model_name(m) for m in evaluation.calibration["model"]]
)
ui.chart(
    calibration_figure, "health_calibration", data=calibration_table, file_name="calibration.csv"
)
st.caption(ui.t("health.models.calibration_caption"))

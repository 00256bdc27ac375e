"""Scenarios for finance: what better retention would be worth, and what moving ad spend
between channels would bring."""

from __future__ import annotations

import dataclasses
import math
import zlib
from typing import Any

import pandas as pd
import streamlit as st

import ui
from clv.charts import scenarios as charts
from clv.levers.scenarios import (
    RULE_OF_THUMB_HIGH,
    RULE_OF_THUMB_LOW,
    RULE_OF_THUMB_POINTS,
    budget_scenario,
    change_range_percent,
    cohort_margin_scenario,
    movable_channels,
    reachable_points,
)
from clv.metrics import acquisition, retention
from clv.metrics.filters import is_filtering

# The retention change (percentage points of retention over the period).
POINTS_KEY = "scenarios_points"
MIN_POINTS, MAX_POINTS, DEFAULT_POINTS = -10, 20, 5
PERIOD_KEY = "scenarios_period"
MAX_PERIOD, DEFAULT_PERIOD = 60, 12
# The month-over-month change of the model-free cohort view.
COHORT_POINTS_KEY = "scenarios_cohort_points"
DEFAULT_COHORT_POINTS = 1.0
SATURATION_KEY = "scenarios_saturation"
# A widget's own entry is dropped on any run of another page: the choices are kept in a
# second entry for the whole session.
SAVED_KEY = "scenarios_saved"
DEFAULTS: dict[str, Any] = {
    POINTS_KEY: DEFAULT_POINTS,
    PERIOD_KEY: DEFAULT_PERIOD,
    COHORT_POINTS_KEY: DEFAULT_COHORT_POINTS,
    SATURATION_KEY: 1.0,
}
# The budget editor starts afresh after "reset" and whenever its channels or spend change
# (another period or channel filter), instead of replaying old edits on other rows.
EDITOR_KEY = "scenarios_budget_editor"
EDITOR_ROUND = "scenarios_budget_round"
# The horizon of the three-year figures and of the rule of thumb.
LONG_HORIZON = 36


def remember(key: str) -> None:
    """Widget callback: keep the widget's value for the rest of the session."""
    st.session_state.setdefault(SAVED_KEY, {})[key] = st.session_state[key]


def restore(key: str) -> Any:
    """Put the saved (or default) value back in the widget's entry before it is drawn."""
    value = st.session_state.setdefault(SAVED_KEY, {}).get(key, DEFAULTS[key])
    st.session_state[key] = value
    return value


def reset_moves() -> None:
    st.session_state[EDITOR_ROUND] = st.session_state.get(EDITOR_ROUND, 0) + 1


def finite(value: Any) -> bool:
    try:
        return math.isfinite(float(value))
    except (TypeError, ValueError):
        return False


def channel_label(value: Any) -> str:
    """A channel name for a table cell (not Markdown); unknown channels named."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ui.t("scenarios.unknown_channel")
    return str(value)


def filtered(filters: Any) -> bool:
    return is_filtering(filters)


# ======================================================================================

ui.page_header("scenarios.title", "scenarios.purpose")
store = ui.get_store()

missing = ui.missing_data(store, "orders", "marketing_spend")
if "orders" in missing:
    ui.empty_state(missing, "scenarios.empty")
    st.stop()

filters = ui.current_filters(store)
currency = ui.shop_currency(store)
presentation = ui.presentation()
margin_rate = ui.stored_margin_rate(store)


money = ui.money_formatter(currency)


def money_column(label_key: str, **kwargs: Any) -> Any:
    return ui.money_column(ui.t(label_key, currency=currency, **kwargs), currency)


def count_column(label_key: str) -> Any:
    return st.column_config.NumberColumn(ui.t(label_key), format="localized")


def range_text(low: Any, high: Any) -> str:
    if not (finite(low) and finite(high)):
        return ui.t("scenarios.kpi.no_range")
    return ui.t(
        "scenarios.kpi.range",
        low=ui.fmt_signed_money(low, currency),
        high=ui.fmt_signed_money(high, currency),
    )


# -- 1. retention ---------------------------------------------------------------------------


def out_of_reach(points: float, period: int, error: ValueError) -> None:
    """Say why the scenario cannot be computed and which change to choose instead."""
    try:
        today = ui.cached_retention_scenario(store, 0, period).retention_before
    except ValueError:
        st.error(ui.text(error), icon=":material/error:")
        return
    st.error(
        ui.t(
            "scenarios.retention.out_of_reach",
            today=ui.fmt_percent(today),
            points=ui.fmt_points(points),
            target=ui.fmt_percent(today + points / 100),
            low=ui.fmt_points(reachable_points(today)[0]),
            high=ui.fmt_points(reachable_points(today)[1]),
        ),
        icon=":material/error:",
    )


def retention_tiles(scenario: Any) -> None:
    long = scenario.by_horizon.set_index("horizon_months").loc[LONG_HORIZON]
    retention_tile, value_tile, margin_tile = st.columns(3)
    retention_tile.metric(
        ui.t("scenarios.kpi.retention", months=ui.fmt_int(scenario.period_months)),
        f"{ui.fmt_percent(scenario.retention_before)} → {ui.fmt_percent(scenario.retention_after)}",
        delta=ui.t("scenarios.points", points=ui.fmt_points(scenario.points)),
        help=ui.t(
            "scenarios.kpi.retention_help",
            months=ui.fmt_int(scenario.period_months),
            before=ui.fmt_percent(scenario.retention_before, 2),
            after=ui.fmt_percent(scenario.retention_after, 2),
            factor=ui.fmt_number(scenario.dropout_factor, 3),
        ),
        border=True,
    )
    retention_tile.caption(ui.t("scenarios.kpi.retention_caption"))
    value_tile.metric(
        ui.t("scenarios.kpi.value", months=ui.fmt_int(scenario.horizon_months)),
        ui.fmt_signed_money(scenario.change, currency),
        delta=ui.fmt_signed_percent(scenario.change_percent / 100),
        help=ui.t(
            "scenarios.kpi.value_help",
            customers=ui.fmt_int(scenario.customers),
            months=ui.fmt_int(scenario.horizon_months),
            before=money(scenario.total_before),
            after=money(scenario.total_after),
            change=ui.fmt_signed_money(scenario.change, currency),
            percent=ui.fmt_signed_percent(scenario.change_percent / 100),
            draws=ui.fmt_int(scenario.valid_draws),
        ),
        border=True,
    )
    value_tile.caption(range_text(scenario.change_low, scenario.change_high))
    margin_tile.metric(
        ui.t("scenarios.kpi.margin", years=ui.fmt_int(LONG_HORIZON // 12)),
        ui.fmt_signed_money(long["change"], currency),
        delta=ui.fmt_signed_percent(long["change_percent"] / 100),
        help=ui.t(
            "scenarios.kpi.margin_help",
            months=ui.fmt_int(LONG_HORIZON),
            before=money(long["clv_before"]),
            after=money(long["clv_after"]),
            change=ui.fmt_signed_money(long["change"], currency),
            years=" + ".join(money(v) for v in scenario.by_year["change"]),
        ),
        border=True,
    )
    margin_tile.caption(range_text(long["change_low"], long["change_high"]))


def retention_charts(scenario: Any) -> None:
    common = {
        "before": ui.t("scenarios.chart.before"),
        "after": ui.t("scenarios.chart.after", points=ui.fmt_points(scenario.points)),
        "change": ui.t("scenarios.chart.change"),
        "range": ui.t("scenarios.chart.range"),
    }
    horizon, year = st.columns(2)
    with horizon:
        ui.chart(
            charts.plot_value_by_horizon(
                scenario.by_horizon,
                labels=ui.chart_labels(
                    title=ui.t("scenarios.chart.horizon.title", currency=currency),
                    x=ui.t("scenarios.chart.horizon.x"),
                    y=ui.t("scenarios.chart.horizon.y", currency=currency),
                    horizon_tick=ui.t("scenarios.chart.horizon.tick"),
                    **common,
                ),
                presentation=presentation,
            ),
            "scenarios_chart_horizon",
            data=scenario.by_horizon,
            file_name="retention_scenario_by_horizon.csv",
        )
    with year:
        ui.chart(
            charts.plot_margin_by_year(
                scenario.by_year,
                labels=ui.chart_labels(
                    title=ui.t("scenarios.chart.year.title", currency=currency),
                    x="",
                    y=ui.t("scenarios.chart.year.y", currency=currency),
                    year_tick=ui.t("scenarios.chart.year.tick"),
                    **common,
                ),
                presentation=presentation,
            ),
            "scenarios_chart_year",
            data=scenario.by_year,
            file_name="retention_scenario_by_year.csv",
        )


def rule_of_thumb_box() -> None:
    """The +5-point figure of the shop against "+25 % to +95 % of profit"."""
    with st.container(border=True):
        st.markdown(
            ui.t(
                "scenarios.rule.title",
                points=ui.fmt_points(RULE_OF_THUMB_POINTS),
                low=ui.fmt_percent(RULE_OF_THUMB_LOW / 100, 0),
                high=ui.fmt_percent(RULE_OF_THUMB_HIGH / 100, 0),
            )
        )
        try:
            five = ui.cached_retention_scenario(store, RULE_OF_THUMB_POINTS)
        except ValueError:
            st.markdown(ui.t("scenarios.rule.unreachable"))
            return
        long = five.by_horizon.set_index("horizon_months").loc[LONG_HORIZON]
        low, high = change_range_percent(five, LONG_HORIZON)
        position = five.rule_of_thumb or "none"
        st.markdown(
            ui.t(
                "scenarios.rule.shop",
                points=ui.fmt_points(RULE_OF_THUMB_POINTS),
                before=ui.fmt_percent(five.retention_before),
                after=ui.fmt_percent(five.retention_after),
                months=ui.fmt_int(LONG_HORIZON),
                percent=ui.fmt_signed_percent(long["change_percent"] / 100),
                change=ui.fmt_signed_money(long["change"], currency),
            )
            + (
                " "
                + ui.t(
                    "scenarios.rule.shop_range",
                    low=ui.fmt_signed_percent(low / 100),
                    high=ui.fmt_signed_percent(high / 100),
                )
                if finite(low) and finite(high)
                else ""
            )
            + "\n\n"
            + ui.t(
                f"scenarios.rule.position.{position}",
                low=ui.fmt_percent(RULE_OF_THUMB_LOW / 100, 0),
                high=ui.fmt_percent(RULE_OF_THUMB_HIGH / 100, 0),
            )
        )
        st.markdown(ui.t("scenarios.rule.why", months=ui.fmt_int(LONG_HORIZON)))


def cohort_view() -> None:
    """The model-free view: the shop's own cohort curves with a better month-over-month
    retention."""
    with st.expander(ui.t("scenarios.cohort.title"), icon=":material/stacked_line_chart:"):
        ui.filter_caption(store)
        st.markdown(ui.t("scenarios.cohort.explain"))
        restore(COHORT_POINTS_KEY)
        points = st.number_input(
            ui.t("scenarios.cohort.points"),
            min_value=-10.0,
            max_value=10.0,
            step=0.5,
            format="%.1f",
            key=COHORT_POINTS_KEY,
            on_change=remember,
            args=(COHORT_POINTS_KEY,),
            help=ui.t("scenarios.cohort.points_help"),
        )
        grid = ui.kpi(store, retention.cohort_grid, filters, margin_rate)
        curve = cohort_margin_scenario(grid, float(points))
        if curve.empty:
            st.caption(ui.t("scenarios.cohort.none"))
            return
        ui.chart(
            charts.plot_cohort_scenario(
                curve,
                labels=ui.chart_labels(
                    title=ui.t("scenarios.chart.cohort.title", currency=currency),
                    x=ui.t("scenarios.chart.cohort.x"),
                    y=ui.t("scenarios.chart.cohort.y", currency=currency),
                    before=ui.t("scenarios.chart.cohort.before"),
                    after=ui.t("scenarios.chart.cohort.after", points=ui.fmt_points(points)),
                    customers=ui.t("scenarios.chart.cohort.customers"),
                ),
                presentation=presentation,
            ),
            "scenarios_chart_cohort",
            data=curve,
            file_name="cohort_margin_scenario.csv",
        )
        last = curve.iloc[-1]
        st.caption(
            ui.t(
                "scenarios.cohort.last",
                months=ui.fmt_int(last["months_since_first"]),
                customers=ui.fmt_int(last["customers"]),
                before=money(last["cumulative_margin_per_customer"], 2),
                after=money(last["cumulative_margin_per_customer_scenario"], 2),
            )
        )


st.subheader(ui.t("scenarios.retention.title"))
valuation = ui.shared_valuation(store)
if valuation is None:
    st.info(ui.t("scenarios.no_valuation"), icon=":material/info:")
    st.page_link("views/clv.py", label=ui.t("scenarios.go_to_clv"), icon=":material/insights:")
else:
    st.markdown(ui.t("scenarios.retention.explain"))
    if filtered(filters):
        st.caption(ui.t("scenarios.retention.whole_base"))
    points_column, period_column = st.columns([3, 1])
    restore(POINTS_KEY)
    points = points_column.slider(
        ui.t("scenarios.retention.points"),
        min_value=MIN_POINTS,
        max_value=MAX_POINTS,
        step=1,
        format="%+d",
        key=POINTS_KEY,
        on_change=remember,
        args=(POINTS_KEY,),
        help=ui.t("scenarios.retention.points_help"),
    )
    restore(PERIOD_KEY)
    period = period_column.number_input(
        ui.t("scenarios.retention.period"),
        min_value=1,
        max_value=MAX_PERIOD,
        step=1,
        key=PERIOD_KEY,
        on_change=remember,
        args=(PERIOD_KEY,),
        help=ui.t("scenarios.retention.period_help"),
    )
    scenario = None
    with st.spinner(ui.t("scenarios.retention.computing"), show_time=True):
        try:
            scenario = ui.cached_retention_scenario(store, points, int(period))
        except ValueError as error:
            out_of_reach(points, int(period), error)
    if scenario is not None:
        retention_tiles(scenario)
        # The one note of a scenario today is a range that could not be drawn.
        if scenario.range_missing:
            st.warning(
                ui.t(
                    "scenarios.retention.no_range",
                    valid=ui.fmt_int(scenario.valid_draws),
                    draws=ui.fmt_int(scenario.n_draws),
                ),
                icon=":material/warning:",
            )
        retention_charts(scenario)
    rule_of_thumb_box()
    with st.expander(ui.t("scenarios.retention.method_title"), icon=":material/functions:"):
        st.markdown(
            ui.t(
                "scenarios.retention.method",
                discount=ui.fmt_percent(valuation.settings.annual_discount_rate, 0),
                horizon=ui.fmt_int(valuation.settings.horizon_months),
            )
        )
cohort_view()


# -- 2. budget ------------------------------------------------------------------------------


def editor_frame(movable: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "channel": [channel_label(c) for c in movable["channel"]],
            "spend": movable["spend"].to_numpy(dtype=float),
            "new_customers": movable["new_customers"].to_numpy(dtype=float),
            "average_cac": movable["average_cac"].to_numpy(dtype=float),
            "average_clv": movable["average_clv"].to_numpy(dtype=float),
            "spend_after": movable["spend"].to_numpy(dtype=float),
        }
    )


def editor_key(frame: pd.DataFrame) -> str:
    fingerprint = zlib.crc32(frame[["channel", "spend"]].to_csv(index=False).encode("utf-8"))
    return f"{EDITOR_KEY}_{st.session_state.get(EDITOR_ROUND, 0)}_{fingerprint:08x}"


def moves_of(movable: pd.DataFrame, edited: pd.DataFrame) -> dict[Any, float]:
    """Channel -> change of spend, from the edited "spend after" column (a cleared cell
    keeps the spend as it is)."""
    moves: dict[Any, float] = {}
    for channel, before, after in zip(
        movable["channel"], movable["spend"], edited["spend_after"], strict=True
    ):
        if finite(after) and float(after) != float(before):
            moves[channel] = float(after) - float(before)
    return moves


def changed(difference: float, shown: Any) -> str | None:
    """A tile's delta, or none when nothing moved (an arrow beside 0 reads as a change)."""
    return shown(difference) if abs(difference) >= 0.005 else None


def budget_tiles(result: Any) -> None:
    spend_tile, customers_tile, net_tile = st.columns(3)
    spend_tile.metric(
        ui.t("scenarios.budget.kpi.spend"),
        f"{money(result.spend_before)} → {money(result.spend_after)}",
        delta=changed(
            result.spend_after - result.spend_before,
            lambda v: ui.fmt_signed_money(v, currency),
        ),
        delta_color="off",
        help=ui.t("scenarios.budget.kpi.spend_help"),
        border=True,
    )
    customers_tile.metric(
        ui.t("scenarios.budget.kpi.customers"),
        f"{ui.fmt_number(result.new_customers_before, 0)} → "
        f"{ui.fmt_number(result.new_customers_after, 0)}",
        delta=changed(
            result.new_customers_after - result.new_customers_before,
            lambda v: ("+" if v > 0 else "") + ui.fmt_number(v, 1),
        ),
        help=ui.t(
            "scenarios.budget.kpi.customers_help",
            saturation=ui.fmt_number(result.saturation, 2),
        ),
        border=True,
    )
    net_tile.metric(
        ui.t("scenarios.budget.kpi.net"),
        ui.fmt_signed_money(result.net_value_change, currency),
        help=ui.t(
            "scenarios.budget.kpi.net_help",
            value_before=money(result.value_before),
            value_after=money(result.value_after),
            net_before=money(result.net_value_before),
            net_after=money(result.net_value_after),
        ),
        border=True,
    )
    net_tile.caption(
        ui.t(
            "scenarios.budget.kpi.net_caption",
            before=money(result.net_value_before),
            after=money(result.net_value_after),
        )
    )


def budget_result(result: Any) -> None:
    budget_tiles(result)
    view = result.table.copy()
    view["channel"] = [channel_label(c) for c in view["channel"]]
    # New customers after a move are an expectation: one decimal says so without noise.
    for column in ("new_customers_before", "new_customers_after"):
        view[column] = view[column].round(1)
    st.dataframe(
        view,
        hide_index=True,
        column_order=[
            "channel",
            "spend_before",
            "spend_after",
            "new_customers_before",
            "new_customers_after",
            "value_before",
            "value_after",
            "net_value_before",
            "net_value_after",
            "net_value_change",
        ],
        column_config={
            "channel": st.column_config.TextColumn(ui.t("scenarios.col.channel")),
            "spend_before": money_column("scenarios.col.spend_before"),
            "spend_after": money_column("scenarios.col.spend_after"),
            "new_customers_before": count_column("scenarios.col.customers_before"),
            "new_customers_after": count_column("scenarios.col.customers_after"),
            "value_before": money_column("scenarios.col.value_before"),
            "value_after": money_column("scenarios.col.value_after"),
            "net_value_before": money_column("scenarios.col.net_before"),
            "net_value_after": money_column("scenarios.col.net_after"),
            "net_value_change": money_column("scenarios.col.net_change"),
        },
        key="scenarios_budget_result",
    )
    ui.csv_download(
        view,
        "budget_scenario.csv",
        ui.t("scenarios.budget.download"),
        key="scenarios_budget_csv",
    )
    ui.chart(
        charts.plot_budget(
            result.table,
            labels=ui.chart_labels(
                title=ui.t("scenarios.chart.budget.title", currency=currency),
                x="",
                y=ui.t("scenarios.chart.budget.y", currency=currency),
                before=ui.t("scenarios.chart.budget.before"),
                after=ui.t("scenarios.chart.budget.after"),
                spend=ui.t("scenarios.chart.budget.spend"),
                new_customers=ui.t("scenarios.chart.budget.customers"),
                value=ui.t("scenarios.chart.budget.value"),
                unknown_channel=ui.t("scenarios.unknown_channel"),
            ),
            presentation=presentation,
        ),
        "scenarios_chart_budget",
        data=view,
        file_name="budget_scenario_by_channel.csv",
    )


def budget_section() -> None:
    st.subheader(ui.t("scenarios.budget.title"))
    if "marketing_spend" in missing:
        st.info(ui.t("scenarios.budget.no_spend"), icon=":material/upload_file:")
        st.page_link("views/data.py", label=ui.t("empty.go_to_data"), icon=":material/upload_file:")
        return
    # Spend cannot be split by customer: the tier choice is left out here.
    ui.filter_caption(store, tiers_apply=False)
    valuation = ui.valuation_key(store)
    if valuation is None:
        st.info(ui.t("scenarios.budget.no_value"), icon=":material/info:")
        return
    budget_filters = dataclasses.replace(filters, tiers=None, valuation=None)
    table = ui.kpi(
        store, acquisition.channel_table, valuation, budget_filters, margin_rate=margin_rate
    )
    if table.empty:
        st.info(ui.t("scenarios.budget.nothing_in_period"), icon=":material/filter_alt_off:")
        return
    st.markdown(ui.t("scenarios.budget.explain"))
    # A channel can give or take spend only with a cost per new customer and a value per
    # customer; the others are listed, not offered.
    movable, fixed = movable_channels(table)
    if movable.empty:
        st.info(ui.t("scenarios.budget.none_movable"), icon=":material/info:")
        return
    base = editor_frame(movable)
    edited = st.data_editor(
        base,
        hide_index=True,
        num_rows="fixed",
        key=editor_key(base),
        disabled=["channel", "spend", "new_customers", "average_cac", "average_clv"],
        column_config={
            "channel": st.column_config.TextColumn(ui.t("scenarios.col.channel")),
            "spend": money_column("scenarios.col.spend_now"),
            "new_customers": count_column("scenarios.col.new_customers"),
            "average_cac": money_column("scenarios.col.cac"),
            "average_clv": ui.money_column(
                ui.t("scenarios.col.value_per_customer", currency=currency), currency
            ),
            "spend_after": st.column_config.NumberColumn(
                ui.t("scenarios.col.spend_after_edit", currency=currency),
                min_value=0.0,
                step=0.01,
                format=ui.MONEY_FORMATS.get(currency, "localized"),
                required=True,
                help=ui.t("scenarios.col.spend_after_help"),
            ),
        },
    )
    if not fixed.empty:
        st.caption(
            ui.t(
                "scenarios.budget.fixed",
                channels=", ".join(ui.text(channel_label(c)) for c in fixed["channel"]),
            )
        )
    settings, reset = st.columns([3, 1])
    restore(SATURATION_KEY)
    saturation = settings.slider(
        ui.t("scenarios.budget.saturation"),
        min_value=0.1,
        max_value=1.0,
        step=0.05,
        key=SATURATION_KEY,
        on_change=remember,
        args=(SATURATION_KEY,),
        help=ui.t("scenarios.budget.saturation_help"),
    )
    reset.button(
        ui.t("scenarios.budget.reset"),
        key="scenarios_budget_reset",
        icon=":material/restart_alt:",
        on_click=reset_moves,
    )
    moves = moves_of(movable, edited)
    try:
        result = budget_scenario(table, moves, saturation=float(saturation))
    except ValueError as error:
        st.error(ui.t("scenarios.budget.refused", error=ui.text(error)), icon=":material/error:")
        return
    if not moves:
        st.caption(ui.t("scenarios.budget.no_move"))
    budget_result(result)
    st.markdown(
        ui.t(
            "scenarios.budget.assumptions",
            saturation=ui.fmt_number(float(saturation), 2),
            rate=ui.fmt_percent(margin_rate, 0),
        )
    )


budget_section()

"""Figures of the scenarios page: DataFrame in, plotly Figure out (no display, no streamlit).

Each ``plot_*`` takes a frame of :mod:`clv.levers.scenarios` and returns a
:class:`plotly.graph_objects.Figure` styled by :func:`clv.charts.common.style_figure`. Text comes
from ``labels`` (the page passes its translated words; English defaults otherwise); the
keys shared by every figure are described in :mod:`clv.charts.common`.

Colours: the baseline ("retention as today") is :data:`BEFORE_COLOUR`, the scenario
:data:`AFTER_COLOUR`; in the budget figure both bars of a channel take the channel's own
colour (:func:`clv.charts.common.channel_colours`, the same on every page), the baseline faded
and hatched.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from clv.charts.acquisition import plain_text
from clv.charts.common import channel_colours, merge_labels, style_figure

#: Colour of the baseline bars and curves.
BEFORE_COLOUR = "#9BA7B4"
#: Colour of the scenario bars and curves.
AFTER_COLOUR = "#3E6FA3"
#: Opacity of a channel's baseline bar in the budget figure (hatched as well).
BEFORE_OPACITY = 0.45
#: Colour of the error bars (the 95 % range of the scenario).
RANGE_COLOUR = "#334155"


def _error_bars(
    centre: np.ndarray, low: np.ndarray, high: np.ndarray, *, visible: bool = True
) -> dict[str, Any]:
    """Plotly ``error_y`` from a change and its range (distances above and below)."""
    known = np.isfinite(low) & np.isfinite(high)
    if not (visible and known.any()):
        return {"visible": False}
    return {
        "type": "data",
        "symmetric": False,
        "array": np.where(known, high - centre, 0.0),
        "arrayminus": np.where(known, centre - low, 0.0),
        "color": RANGE_COLOUR,
        "thickness": 1.5,
        "width": 6,
    }


def _before_after_bars(
    categories: list[str],
    before: np.ndarray,
    after: np.ndarray,
    change: np.ndarray,
    low: np.ndarray,
    high: np.ndarray,
    text: Mapping[str, str],
) -> go.Figure:
    """Grouped bars, baseline then scenario, the scenario with its range as error bars."""
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            x=categories,
            y=before,
            name=text["before"],
            marker_color=BEFORE_COLOUR,
            hovertemplate="%{x}<br>" + text["before"] + ": %{y:,.0f}<extra></extra>",
        )
    )
    # The range is of the change; on the bar it becomes a range of the scenario's value.
    fig.add_trace(
        go.Bar(
            x=categories,
            y=after,
            name=text["after"],
            marker_color=AFTER_COLOUR,
            error_y=_error_bars(change, low, high),
            customdata=np.column_stack([change, before + low, before + high]),
            hovertemplate="%{x}<br>"
            + text["after"]
            + ": %{y:,.0f}<br>"
            + text["change"]
            + ": %{customdata[0]:+,.0f}<br>"
            + text["range"]
            + ": %{customdata[1]:,.0f} – %{customdata[2]:,.0f}<extra></extra>",
        )
    )
    fig.update_layout(barmode="group")
    return fig


# -- value of the base by horizon -----------------------------------------------------------

HORIZON_LABELS = {
    "title": "Value of the customer base by horizon, before and after (€)",
    "x": "Horizon",
    "y": "Predicted margin of the base (€)",
    "before": "Retention as today",
    "after": "Scenario",
    "change": "Change",
    "range": "95 % range",
    "horizon_tick": "{months} months",
}


def plot_value_by_horizon(
    by_horizon: pd.DataFrame,
    *,
    labels: Mapping[str, str] | None = None,
    presentation: bool = False,
) -> go.Figure:
    """Value of the base at each horizon, retention as today against the scenario.

    Parameters
    ----------
    by_horizon : :attr:`clv.levers.scenarios.RetentionScenario.by_horizon`:
        ``horizon_months``, ``clv_before``, ``clv_after``, ``change``, ``change_low``,
        ``change_high``.
    labels : text overrides; ``horizon_tick`` is a template with ``{months}``.

    Returns
    -------
    Figure with two bar traces (baseline, then scenario), one bar per horizon in the
    frame's order; the scenario bars carry the 95 % range as error bars (none when the
    range is NaN).
    """
    text = merge_labels(HORIZON_LABELS, labels)
    ticks = [text["horizon_tick"].format(months=int(m)) for m in by_horizon["horizon_months"]]
    fig = _before_after_bars(
        ticks,
        by_horizon["clv_before"].to_numpy(dtype=float),
        by_horizon["clv_after"].to_numpy(dtype=float),
        by_horizon["change"].to_numpy(dtype=float),
        by_horizon["change_low"].to_numpy(dtype=float),
        by_horizon["change_high"].to_numpy(dtype=float),
        text,
    )
    return style_figure(fig, text, presentation)


# -- margin per year ------------------------------------------------------------------------

YEAR_LABELS = {
    "title": "Predicted margin per year, before and after (€)",
    "x": "",
    "y": "Margin earned in the year (€)",
    "before": "Retention as today",
    "after": "Scenario",
    "change": "Change",
    "range": "95 % range",
    "year_tick": "Year {year}",
}


def plot_margin_by_year(
    by_year: pd.DataFrame,
    *,
    labels: Mapping[str, str] | None = None,
    presentation: bool = False,
) -> go.Figure:
    """Discounted margin earned in each of the next years, before and after.

    Parameters
    ----------
    by_year : :attr:`clv.levers.scenarios.RetentionScenario.by_year`: ``year``,
        ``margin_before``, ``margin_after``, ``change``, ``change_low``, ``change_high``.
    labels : text overrides; ``year_tick`` is a template with ``{year}``.

    Returns
    -------
    Figure with two bar traces (baseline, then scenario), one bar per year; the scenario
    bars carry the 95 % range as error bars.
    """
    text = merge_labels(YEAR_LABELS, labels)
    ticks = [text["year_tick"].format(year=int(y)) for y in by_year["year"]]
    fig = _before_after_bars(
        ticks,
        by_year["margin_before"].to_numpy(dtype=float),
        by_year["margin_after"].to_numpy(dtype=float),
        by_year["change"].to_numpy(dtype=float),
        by_year["change_low"].to_numpy(dtype=float),
        by_year["change_high"].to_numpy(dtype=float),
        text,
    )
    return style_figure(fig, text, presentation)


# -- cohort curves --------------------------------------------------------------------------

COHORT_LABELS = {
    "title": "Cumulative margin per customer of the shop's cohorts (€)",
    "x": "Months since the first order",
    "y": "Cumulative margin per customer (€)",
    "before": "As observed",
    "after": "Scenario",
    "customers": "Customers observed that long",
}


def plot_cohort_scenario(
    curve: pd.DataFrame,
    *,
    labels: Mapping[str, str] | None = None,
    presentation: bool = False,
) -> go.Figure:
    """The pooled cohorts' cumulative margin per customer, observed and in the scenario.

    Parameters
    ----------
    curve : :func:`clv.levers.scenarios.cohort_margin_scenario`: ``months_since_first``,
        ``customers``, ``cumulative_margin_per_customer`` and its ``_scenario``.
    labels : text overrides.

    Returns
    -------
    Figure with two line traces (observed, dotted scenario) over the months since the
    first order; the hover gives the customers behind each month.
    """
    text = merge_labels(COHORT_LABELS, labels)
    months = curve["months_since_first"].to_numpy()
    customers = curve["customers"].to_numpy()
    fig = go.Figure()
    for column, name, colour, dash in (
        ("cumulative_margin_per_customer", text["before"], BEFORE_COLOUR, "solid"),
        ("cumulative_margin_per_customer_scenario", text["after"], AFTER_COLOUR, "dot"),
    ):
        fig.add_trace(
            go.Scatter(
                x=months,
                y=curve[column].to_numpy(dtype=float),
                name=name,
                mode="lines+markers",
                line={"color": colour, "dash": dash, "width": 2.5},
                marker={"size": 5},
                customdata=customers,
                hovertemplate=text["x"]
                + ": %{x}<br>"
                + name
                + ": %{y:,.2f}<br>"
                + text["customers"]
                + ": %{customdata:,}<extra></extra>",
            )
        )
    fig.update_xaxes(rangemode="tozero")
    fig.update_yaxes(rangemode="tozero")
    return style_figure(fig, text, presentation)


# -- budget ---------------------------------------------------------------------------------

BUDGET_LABELS = {
    "title": "Net value by channel: value of the new customers minus spend (€)",
    "x": "",
    "y": "Net value (€)",
    "before": "Spend as today",
    "after": "After the move",
    "spend": "Spend",
    "new_customers": "New customers",
    "value": "Value created",
    "unknown_channel": "Unknown channel",
}


def _missing(value: Any) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value))


def _channel_name(value: Any, labels: Mapping[str, str]) -> str:
    return labels["unknown_channel"] if _missing(value) else plain_text(value)


def _colour_key(value: Any, labels: Mapping[str, str]) -> str:
    return labels["unknown_channel"] if _missing(value) else str(value)


def plot_budget(
    table: pd.DataFrame,
    *,
    labels: Mapping[str, str] | None = None,
    presentation: bool = False,
) -> go.Figure:
    """Net value per channel before and after moving the spend.

    Parameters
    ----------
    table : :attr:`clv.levers.scenarios.BudgetScenario.table`: ``channel``, ``spend_before``,
        ``spend_after``, ``new_customers_before``, ``new_customers_after``,
        ``value_before``, ``value_after``, ``net_value_before``, ``net_value_after``.
    labels : text overrides.

    Returns
    -------
    Figure with two bar traces, one bar per channel in the table's order, both in each
    channel's colour (the baseline with :data:`BEFORE_OPACITY` and a hatch). Channels without a value
    per customer (NaN net value) are left out; the hover gives spend, new customers and
    value created.
    """
    text = merge_labels(BUDGET_LABELS, labels)
    known = table[table["net_value_before"].notna() & table["net_value_after"].notna()]
    names = [_channel_name(c, text) for c in known["channel"]]
    # Colours from every channel of the table, as the acquisition page draws them; an
    # unknown channel (missing name) is coloured by its label.
    colours = channel_colours(_colour_key(c, text) for c in table["channel"])
    fig = go.Figure()
    channel_colour = [colours[_colour_key(c, text)] for c in known["channel"]]
    for when, name in (("before", text["before"]), ("after", text["after"])):
        # Both bars in the channel's colour; the baseline faded and hatched.
        marker: dict[str, Any] = {"color": channel_colour}
        if when == "before":
            marker.update(opacity=BEFORE_OPACITY, pattern={"shape": "/"})
        fig.add_trace(
            go.Bar(
                x=names,
                y=known[f"net_value_{when}"].to_numpy(dtype=float),
                name=name,
                marker=marker,
                customdata=np.column_stack(
                    [
                        known[f"spend_{when}"].to_numpy(dtype=float),
                        known[f"new_customers_{when}"].to_numpy(dtype=float),
                        known[f"value_{when}"].to_numpy(dtype=float),
                    ]
                ),
                hovertemplate="%{x} · "
                + name
                + "<br>"
                + text["spend"]
                + ": %{customdata[0]:,.0f}<br>"
                + text["new_customers"]
                + ": %{customdata[1]:,.1f}<br>"
                + text["value"]
                + ": %{customdata[2]:,.0f}<br>"
                + text["y"]
                + ": %{y:,.0f}<extra></extra>",
            )
        )
    fig.update_layout(barmode="group")
    fig.add_hline(y=0, line={"color": RANGE_COLOUR, "width": 1})
    return style_figure(fig, text, presentation)

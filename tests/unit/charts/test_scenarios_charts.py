"""Figures of the scenarios page, from small hand-made frames: traces, values, error bars,
colours and titles."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from clv.charts.common import channel_colours
from clv.charts.scenarios import (
    AFTER_COLOUR,
    BEFORE_COLOUR,
    BEFORE_OPACITY,
    plot_budget,
    plot_cohort_scenario,
    plot_margin_by_year,
    plot_value_by_horizon,
)

BY_HORIZON = pd.DataFrame(
    {
        "horizon_months": [12, 24, 36],
        "clv_before": [100.0, 180.0, 240.0],
        "clv_after": [110.0, 200.0, 270.0],
        "change": [10.0, 20.0, 30.0],
        "change_percent": [10.0, 100 * 20 / 180, 12.5],
        "change_low": [6.0, 15.0, 20.0],
        "change_high": [15.0, 22.0, 45.0],
    }
)

BY_YEAR = pd.DataFrame(
    {
        "year": [1, 2, 3],
        "margin_before": [100.0, 80.0, 60.0],
        "margin_after": [110.0, 90.0, 70.0],
        "change": [10.0, 10.0, 10.0],
        "change_low": [8.0, math.nan, 7.0],
        "change_high": [12.0, math.nan, 14.0],
    }
)


def test_value_by_horizon_bars_and_their_range() -> None:
    fig = plot_value_by_horizon(BY_HORIZON)
    before, after = fig.data
    assert fig.layout.title.text == "Value of the customer base by horizon, before and after (€)"
    assert fig.layout.barmode == "group"
    assert (before.name, after.name) == ("Retention as today", "Scenario")
    assert list(before.x) == ["12 months", "24 months", "36 months"]
    assert list(before.y) == [100.0, 180.0, 240.0]
    assert list(after.y) == [110.0, 200.0, 270.0]
    assert (before.marker.color, after.marker.color) == (BEFORE_COLOUR, AFTER_COLOUR)
    # only the scenario carries the range: above = high - change, below = change - low
    assert not before.error_y.visible
    assert list(after.error_y.array) == [5.0, 2.0, 15.0]
    assert list(after.error_y.arrayminus) == [4.0, 5.0, 10.0]
    # the hover gives the scenario's own range: baseline + low .. baseline + high
    assert after.customdata[2].tolist() == [30.0, 260.0, 285.0]


def test_value_by_horizon_in_the_callers_words_and_for_a_meeting_room() -> None:
    fig = plot_value_by_horizon(
        BY_HORIZON,
        labels={
            "title": "Valeur de la base (EUR)",
            "horizon_tick": "{months} mois",
            "after": "Rétention +5 points",
            "separators": ", ",
        },
        presentation=True,
    )
    assert fig.layout.title.text == "Valeur de la base (EUR)"
    assert list(fig.data[0].x) == ["12 mois", "24 mois", "36 mois"]
    assert fig.data[1].name == "Rétention +5 points"
    assert fig.layout.separators == ", "
    normal = plot_value_by_horizon(BY_HORIZON)
    assert fig.layout.font.size > normal.layout.font.size
    assert fig.layout.height > normal.layout.height


def test_no_range_no_error_bars() -> None:
    frame = BY_HORIZON.assign(change_low=math.nan, change_high=math.nan)
    assert not plot_value_by_horizon(frame).data[1].error_y.visible


def test_margin_by_year_skips_a_missing_range_only_where_it_is_missing() -> None:
    fig = plot_margin_by_year(BY_YEAR)
    before, after = fig.data
    assert fig.layout.title.text == "Predicted margin per year, before and after (€)"
    assert list(before.x) == ["Year 1", "Year 2", "Year 3"]
    assert list(before.y) == [100.0, 80.0, 60.0]
    assert list(after.y) == [110.0, 90.0, 70.0]
    # year 2 has no range: a zero-length bar there, the others high - change / change - low
    assert list(after.error_y.array) == [2.0, 0.0, 4.0]
    assert list(after.error_y.arrayminus) == [2.0, 0.0, 3.0]


def test_cohort_curves_observed_and_scenario() -> None:
    curve = pd.DataFrame(
        {
            "months_since_first": [0, 1, 2],
            "customers": [10, 10, 4],
            "retention": [1.0, 0.5, 0.25],
            "retention_scenario": [1.0, 0.6, 0.36],
            "margin_per_active": [20.0, 10.0, 10.0],
            "cumulative_margin_per_customer": [20.0, 25.0, 27.5],
            "cumulative_margin_per_customer_scenario": [20.0, 26.0, 29.6],
            "change": [0.0, 1.0, 2.1],
        }
    )
    fig = plot_cohort_scenario(curve)
    observed, scenario = fig.data
    assert fig.layout.title.text == "Cumulative margin per customer of the shop's cohorts (€)"
    assert fig.layout.xaxis.title.text == "Months since the first order"
    assert list(observed.x) == [0, 1, 2]
    assert list(observed.y) == [20.0, 25.0, 27.5]
    assert list(scenario.y) == [20.0, 26.0, 29.6]
    assert (observed.line.color, scenario.line.color) == (BEFORE_COLOUR, AFTER_COLOUR)
    assert (observed.line.dash, scenario.line.dash) == ("solid", "dot")
    assert list(scenario.customdata) == [10, 10, 4]


def test_budget_net_value_per_channel_in_channel_colours() -> None:
    table = pd.DataFrame(
        {
            "channel": ["Meta Ads", "Google Ads", "Salons", None],
            "spend_before": [1000.0, 500.0, 200.0, 0.0],
            "spend_after": [500.0, 1000.0, 200.0, 0.0],
            "new_customers_before": [10.0, 10.0, 2.0, 5.0],
            "new_customers_after": [5.0, 20.0, 2.0, 5.0],
            "value_before": [1500.0, 1200.0, math.nan, 300.0],
            "value_after": [750.0, 2400.0, math.nan, 300.0],
            "net_value_before": [500.0, 700.0, math.nan, 300.0],
            "net_value_after": [250.0, 1400.0, math.nan, 300.0],
        }
    )
    fig = plot_budget(table)
    before, after = fig.data
    assert fig.layout.title.text == (
        "Net value by channel: value of the new customers minus spend (€)"
    )
    # "Salons" has no value per customer: left out; the unknown channel is named
    assert list(before.x) == ["Meta Ads", "Google Ads", "Unknown channel"]
    assert list(before.y) == [500.0, 700.0, 300.0]
    assert list(after.y) == [250.0, 1400.0, 300.0]
    # colours from all the table's channels, as on the acquisition page
    colours = channel_colours(["Meta Ads", "Google Ads", "Salons", "Unknown channel"])
    expected = [colours["Meta Ads"], colours["Google Ads"], colours["Unknown channel"]]
    assert list(after.marker.color) == expected
    assert list(before.marker.color) == expected
    assert before.marker.opacity == BEFORE_OPACITY and before.marker.pattern.shape == "/"
    assert after.marker.opacity is None
    # hover: spend, new customers, value created of each side
    assert np.asarray(after.customdata)[1].tolist() == [1000.0, 20.0, 2400.0]
    assert np.asarray(before.customdata)[0].tolist() == [1000.0, 10.0, 1500.0]


def test_budget_channel_names_are_inert() -> None:
    table = pd.DataFrame(
        {
            "channel": ["<a href='x'>Ads</a>"],
            "spend_before": [10.0],
            "spend_after": [20.0],
            "new_customers_before": [1.0],
            "new_customers_after": [2.0],
            "value_before": [30.0],
            "value_after": [60.0],
            "net_value_before": [20.0],
            "net_value_after": [40.0],
        }
    )
    assert plot_budget(table).data[0].x[0] == "&lt;a href='x'&gt;Ads&lt;/a&gt;"


@pytest.mark.parametrize("plot", [plot_value_by_horizon, plot_margin_by_year])
def test_titles_state_the_unit(plot) -> None:
    frame = BY_HORIZON if plot is plot_value_by_horizon else BY_YEAR
    fig = plot(frame)
    assert fig.layout.title.text.endswith("(€)")
    assert fig.layout.yaxis.title.text.endswith("(€)")

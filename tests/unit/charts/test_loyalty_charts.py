"""The Loyalty page's figures, from small hand-made frames."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from clv.charts.loyalty import (
    FIRST_COLOUR,
    REPEAT_COLOUR,
    SHARE_COLOUR,
    WINDOW_COLOURS,
    gap_bins,
    measurable_cohorts,
    plot_basket_by_rank,
    plot_basket_by_tenure,
    plot_repeat_rates,
    plot_revenue_split,
    plot_time_between_orders,
)
from clv.metrics.loyalty import median_gap_days

NAN = math.nan

# Jan: measured for every window; Feb: too young for 90 days; Mar: too young for all.
RATES = pd.DataFrame(
    {
        "cohort_month": pd.to_datetime(["2024-01-01", "2024-02-01", "2024-03-01"]),
        "new_customers": [10, 5, 8],
        "rate_30": [0.1, 0.4, NAN],
        "rate_60": [0.2, 0.6, NAN],
        "rate_90": [0.3, NAN, NAN],
    }
)

# 10 gaps: 1, 1, 3, 8, 8, 8, 8, 20, 100, 100 days.
GAPS = pd.DataFrame({"gap_days": [1, 3, 8, 20, 100], "repeat_purchases": [2, 1, 4, 1, 2]})


def test_repeat_rates_draw_one_line_per_window_over_measurable_cohorts():
    fig = plot_repeat_rates(RATES)
    assert [trace.name for trace in fig.data] == [
        "Within 30 days",
        "Within 60 days",
        "Within 90 days",
    ]
    assert [trace.line.color for trace in fig.data] == [WINDOW_COLOURS[n] for n in (30, 60, 90)]
    # March is too young for every window: not drawn at all.
    for trace in fig.data:
        assert [pd.Timestamp(x).strftime("%Y-%m") for x in trace.x] == ["2024-01", "2024-02"]
        assert list(trace.customdata) == [10, 5]
    assert list(fig.data[0].y) == pytest.approx([10.0, 40.0])
    assert list(fig.data[1].y) == pytest.approx([20.0, 60.0])
    # February's 90-day rate is a gap in the line, not a zero.
    assert fig.data[2].y[0] == pytest.approx(30.0) and math.isnan(fig.data[2].y[1])
    assert fig.data[2].connectgaps is False
    assert fig.layout.title.text.endswith("(% of the cohort)")


def test_repeat_rates_speak_the_callers_language():
    fig = plot_repeat_rates(
        RATES, labels={"title": "Réachat (% de la cohorte)", "window": "Sous {days} jours"}
    )
    assert fig.data[0].name == "Sous 30 jours"
    assert fig.layout.title.text == "Réachat (% de la cohorte)"


def test_measurable_cohorts_drop_only_cohorts_too_young_for_every_window():
    kept = measurable_cohorts(RATES)
    assert kept["new_customers"].tolist() == [10, 5]
    assert measurable_cohorts(RATES.iloc[2:]).empty


def test_gap_bins_by_hand():
    # Weeks: 1-7 days {1, 1, 3}, 8-14 {8 x4}, 15-21 {20}, nothing until 99-105 {100, 100}.
    bins, folded = gap_bins(GAPS, bin_days=7, clip_quantile=1.0)
    assert folded == 0
    assert len(bins) == 15
    assert bins.iloc[0].tolist() == [1, 7, 3]
    assert bins.iloc[1].tolist() == [8, 14, 4]
    assert bins.iloc[2].tolist() == [15, 21, 1]
    assert bins["repeat_purchases"].iloc[3:14].sum() == 0
    assert bins.iloc[14].tolist() == [99, 105, 2]
    # 8 of the 10 gaps are at most 20 days: with the 80 % quantile the two 100-day gaps
    # are folded into the 15-21 bar.
    bins, folded = gap_bins(GAPS, bin_days=7, clip_quantile=0.8)
    assert folded == 2
    assert bins.values.tolist() == [[1, 7, 3], [8, 14, 4], [15, 21, 3]]


def test_gap_bins_refuse_impossible_settings():
    with pytest.raises(ValueError, match="at least one day"):
        gap_bins(GAPS, bin_days=0)
    with pytest.raises(ValueError, match="clip quantile"):
        gap_bins(GAPS, clip_quantile=0)
    empty, folded = gap_bins(GAPS.iloc[:0])
    assert empty.empty and folded == 0


def test_time_between_orders_marks_the_median_and_the_folded_tail():
    median = median_gap_days(GAPS)
    assert median == 8.0  # 5th and 6th of the ten gaps are both 8 days
    fig = plot_time_between_orders(GAPS, median=median, clip_quantile=0.8)
    (bars,) = fig.data
    assert list(bars.x) == [4.0, 11.0, 18.0]  # centres of 1-7, 8-14, 15-21
    assert list(bars.y) == [3, 4, 3]
    assert list(bars.width) == [7, 7, 7]
    assert bars.marker.color == REPEAT_COLOUR
    assert list(bars.customdata) == ["1 to 7 days", "8 to 14 days", "15 to 21 days"]
    (line,) = fig.layout.shapes
    assert (line.x0, line.x1) == (8.0, 8.0)
    assert fig.layout.annotations[0].text == "Median: 8 days"
    assert fig.layout.title.subtitle.text == (
        "The 2 gaps over 21 days (20.0% of them) are counted in the last bar."
    )
    assert fig.layout.title.text.endswith("(days)")


def test_time_between_orders_without_median_or_tail():
    fig = plot_time_between_orders(GAPS, clip_quantile=1.0)
    assert not fig.layout.shapes
    assert not fig.layout.title.subtitle.text
    assert sum(fig.data[0].y) == 10


BY_RANK = pd.DataFrame(
    {
        "rank": ["1st", "2nd", "3rd", "4th+"],
        "orders": [4, 2, 1, 0],
        "average_basket": [50.0, 60.0, 70.0, NAN],
    }
)


def test_basket_by_rank_sets_first_orders_apart():
    fig = plot_basket_by_rank(BY_RANK)
    (bars,) = fig.data
    assert list(bars.x) == ["1st", "2nd", "3rd", "4th+"]
    assert list(bars.y[:3]) == [50.0, 60.0, 70.0] and math.isnan(bars.y[3])
    assert list(bars.marker.color) == [FIRST_COLOUR, REPEAT_COLOUR, REPEAT_COLOUR, REPEAT_COLOUR]
    assert list(bars.text) == ["n = 4", "n = 2", "n = 1", "n = 0"]
    labels = {"rank.1st": "1re", "rank.2nd": "2e", "rank.3rd": "3e", "rank.4th+": "4e et +"}
    french = plot_basket_by_rank(
        BY_RANK.assign(orders=[1234, 2, 1, 0]),
        labels=labels,
        count_format=lambda n: f"{n:,}".replace(",", "\u202f"),
    )
    assert list(french.data[0].x) == ["1re", "2e", "3e", "4e et +"]
    assert french.data[0].text[0] == "n = 1\u202f234"


def test_basket_by_tenure_keeps_the_band_order():
    frame = pd.DataFrame(
        {
            "tenure_band": [
                "0-3 months",
                "3-6 months",
                "6-12 months",
                "12-24 months",
                "24+ months",
            ],
            "orders": [5, 3, 0, 2, 1],
            "average_basket": [40.0, 45.5, NAN, 52.0, 80.0],
        }
    )
    fig = plot_basket_by_tenure(frame, labels={"tenure.24+ months": "24 mois et +"})
    (bars,) = fig.data
    assert list(bars.x) == [
        "0-3 months",
        "3-6 months",
        "6-12 months",
        "12-24 months",
        "24 mois et +",
    ]
    assert bars.y[1] == 45.5 and math.isnan(bars.y[2])
    assert list(bars.marker.color) == [REPEAT_COLOUR] * 5
    assert list(bars.customdata) == [5, 3, 0, 2, 1]


SPLIT = pd.DataFrame(
    {
        "month": pd.to_datetime(["2024-01-01", "2024-02-01"]),
        "new_revenue": [100.0, 50.0],
        "existing_revenue": [0.0, 150.0],
        "existing_share": [0.0, 0.75],
    }
)


def test_revenue_split_stacks_new_and_existing_with_the_share_line():
    fig = plot_revenue_split(SPLIT)
    new, existing, share = fig.data
    assert (new.type, existing.type, share.type) == ("bar", "bar", "scatter")
    assert fig.layout.barmode == "stack"
    assert list(new.y) == [100.0, 50.0] and new.marker.color == FIRST_COLOUR
    assert list(existing.y) == [0.0, 150.0] and existing.marker.color == REPEAT_COLOUR
    assert list(share.y) == pytest.approx([0.0, 75.0])
    assert share.yaxis == "y2" and share.line.color == SHARE_COLOUR
    assert fig.layout.yaxis.title.text == "Net revenue"
    assert fig.layout.yaxis2.title.text == "Existing customers (% of revenue)"
    assert tuple(fig.layout.yaxis2.range) == (0, 100)
    # the French e-commerce figure, 65 %, as a dashed line on the share axis
    (line,) = fig.layout.shapes
    assert (line.y0, line.y1, line.yref) == (65.0, 65.0, "y2")
    assert fig.layout.annotations[0].text == "French e-commerce: about 65%"


def test_revenue_split_without_benchmark_and_for_a_meeting_room():
    fig = plot_revenue_split(SPLIT, benchmark=None, presentation=True, labels={"separators": ", "})
    assert not fig.layout.shapes
    assert fig.layout.font.size > plot_revenue_split(SPLIT).layout.font.size
    assert fig.layout.separators == ", "
    assert fig.layout.height == 560

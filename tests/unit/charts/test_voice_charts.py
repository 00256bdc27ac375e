"""Figures of the voice page, from small hand-made frames."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from clv.charts.common import BAR_COLOUR, TIER_COLOURS, channel_colours
from clv.charts.voice import (
    FADED_COLOUR,
    GROUP_COLOURS,
    plot_clv_by_nps_group,
    plot_nps_by_segment,
    plot_nps_trend,
    plot_tickets_by_tier,
)
from clv.metrics.voice import UNMATCHED


def segments(groups, answers, nps, low, high, too_few):
    return pd.DataFrame(
        {
            "group": groups,
            "answers": answers,
            "promoters": 0,
            "passives": 0,
            "detractors": 0,
            "nps": nps,
            "low": low,
            "high": high,
            "too_few": too_few,
            "matched": True,
        }
    )


# Gold: 10, 5, 8 -> NPS 0; Bronze: 9, 3, 10 -> 33.3; one answer of a customer without a tier.
BY_TIER = segments(
    ["Gold", "Bronze", None],
    [40, 3, 1],
    [0.0, 100 / 3, -100.0],
    [-20.0, -60.0, -100.0],
    [20.0, 100.0, -100.0],
    [False, True, True],
)


def test_nps_by_tier_bars_with_interval_and_flags():
    fig = plot_nps_by_segment(BY_TIER, "tier", labels={"tier.Gold": "Or"})
    (bar,) = fig.data
    # Each segment is named with its answers below it.
    assert list(bar.x) == ["Or<br>n = 40", "Bronze<br>n = 3", "No segment<br>n = 1"]
    assert list(bar.y) == pytest.approx([0.0, 33.3333, -100.0], abs=1e-3)
    # Error bars reach the interval: up = high - NPS, down = NPS - low.
    assert list(bar.error_y.array) == pytest.approx([20.0, 66.6667, 0.0], abs=1e-3)
    assert list(bar.error_y.arrayminus) == pytest.approx([20.0, 93.3333, 0.0], abs=1e-3)
    assert not bar.error_y.symmetric
    assert list(bar.marker.color) == [TIER_COLOURS["Gold"], TIER_COLOURS["Bronze"], FADED_COLOUR]
    # The flagged segments are hatched, faded, and say so in the hover and the subtitle.
    assert list(bar.marker.pattern.shape) == ["", "/", "/"]
    assert list(bar.marker.opacity) == [1.0, 0.45, 0.45]
    assert [row[2] for row in bar.customdata] == [
        "n = 40",
        "n = 3 · too few answers to read",
        "n = 1 · too few answers to read",
    ]
    assert [row[:2] for row in bar.customdata][1] == pytest.approx([-60.0, 100.0])
    assert fig.layout.title.subtitle.text == "Hatched: too few answers to read"
    assert fig.layout.title.text.startswith("NPS by segment (−100 to 100)")
    assert tuple(fig.layout.yaxis.range) == (-105, 105)


def test_nps_by_channel_and_month_names_and_colours():
    channels = segments(
        ["Google Ads", "Meta Ads"], [2, 4], [-50.0, 25.0], [-100.0, -56.3], [19.3, 100.0], True
    )
    bar = plot_nps_by_segment(channels, "channel").data[0]
    colours = channel_colours(["Google Ads", "Meta Ads"])
    assert list(bar.marker.color) == [colours["Google Ads"], colours["Meta Ads"]]
    months = segments(
        [pd.Timestamp("2024-02-01"), pd.Timestamp("2024-03-01")],
        [1, 3],
        [100.0, 0.0],
        [100.0, -80.0],
        [100.0, 80.0],
        True,
    )
    bar = plot_nps_by_segment(months, "month", labels={"count": "{answers} réponses"}).data[0]
    assert list(bar.x) == ["2024-02<br>1 réponses", "2024-03<br>3 réponses"]
    assert list(bar.marker.color) == [BAR_COLOUR, BAR_COLOUR]
    assert bar.customdata[1][2] == "3 réponses · too few answers to read"
    # Past twelve segments the counts stay in the hover, off the crowded axis.
    many = pd.concat([months] * 7, ignore_index=True)
    many["group"] = pd.date_range("2023-01-01", periods=14, freq="MS")
    assert plot_nps_by_segment(many, "cohort").data[0].x[0] == "2023-01"
    with pytest.raises(ValueError, match="choose one of"):
        plot_nps_by_segment(months, "weekday")


def test_nps_trend_line_band_and_answers():
    frame = segments(
        [pd.Timestamp("2024-02-01"), pd.Timestamp("2024-03-01"), UNMATCHED],
        [1, 40, 2],
        [100.0, 10.0, 0.0],
        [100.0, -10.0, -90.0],
        [100.0, 30.0, 90.0],
        [True, False, True],
    )
    frame.loc[2, "matched"] = False
    fig = plot_nps_trend(frame)
    answers, upper, lower, line = fig.data
    # The unmatched answers belong to no month and are left out.
    assert list(answers.y) == [1, 40] and answers.yaxis is None  # the first axis, "y"
    assert list(upper.y) == [100.0, 30.0] and list(lower.y) == [100.0, -10.0]
    assert lower.fill == "tonexty"
    assert list(line.y) == [100.0, 10.0]
    # The NPS is drawn over the bars, on -100..100; the bars fill the lower third.
    assert {upper.yaxis, lower.yaxis, line.yaxis} == {"y2"}
    assert tuple(fig.layout.yaxis2.range) == (-105, 105)
    assert tuple(fig.layout.yaxis.range) == (0, 120)
    assert fig.layout.yaxis.title.text == "Answers" and fig.layout.yaxis2.title.text == "NPS"
    assert [pd.Timestamp(x).strftime("%Y-%m") for x in line.x] == ["2024-02", "2024-03"]
    assert list(line.marker.symbol) == ["circle-open", "circle"]
    assert fig.layout.title.subtitle.text == "○ Too few answers to read"
    assert fig.layout.yaxis2.overlaying == "y"
    assert fig.layout.title.text == "NPS by month of answer (−100 to 100)"


def test_clv_by_nps_group_bars_in_order():
    # From clv.metrics.voice's hand test: latest answers place 1000 of predicted CLV.
    held = pd.DataFrame(
        {
            "group": ["promoter", "passive", "detractor", "no answer"],
            "customers": [2, 1, 2, 2],
            "predicted_clv": [270.0, 30.0, 560.0, 140.0],
            "share": [0.27, 0.03, 0.56, 0.14],
        }
    )
    fig = plot_clv_by_nps_group(held, labels={"group.detractor": "Détracteurs (0-6)"})
    (bar,) = fig.data
    assert list(bar.y) == [
        "Promoters (9–10)",
        "Passives (7–8)",
        "Détracteurs (0-6)",
        "Never answered",
    ]
    assert list(bar.x) == [270.0, 30.0, 560.0, 140.0]
    assert list(bar.text) == ["27 %", "3 %", "56 %", "14 %"]
    assert list(bar.marker.color) == [GROUP_COLOURS[g] for g in held["group"]]
    assert fig.layout.title.text == "Predicted CLV held by each NPS group (€)"
    # The axis runs 12 % past the longest bar, to leave room for its share.
    assert tuple(fig.layout.xaxis.range) == pytest.approx((0, 627.2))
    # Without a positive total the shares are missing and no label is written.
    empty = held.assign(predicted_clv=0.0, share=math.nan)
    assert list(plot_clv_by_nps_group(empty).data[0].text) == ["", "", "", ""]


def test_tickets_by_tier_two_panels():
    # Gold {A, C}: 3 tickets, 1.5 each, median 14 h, 1 open (clv.metrics.voice's hand test).
    frame = pd.DataFrame(
        {
            "tier": ["Platinum", "Gold", "Silver", "Bronze"],
            "customers": [1, 2, 1, 3],
            "tickets": [0, 3, 0, 1],
            "tickets_per_customer": [0.0, 1.5, 0.0, 1 / 3],
            "median_resolution_hours": [np.nan, 14.0, np.nan, 2.0],
            "open_tickets": [0, 1, 0, 0],
        }
    )
    fig = plot_tickets_by_tier(frame, labels={"tier.Platinum": "Platine"}, presentation=True)
    per_customer, resolution = fig.data
    assert list(per_customer.x) == ["Platine", "Gold", "Silver", "Bronze"]
    assert list(per_customer.y) == pytest.approx([0.0, 1.5, 0.0, 1 / 3])
    assert resolution.y[1] == 14.0 and math.isnan(resolution.y[0])
    assert per_customer.xaxis == "x" and resolution.xaxis == "x2"
    assert list(per_customer.marker.color) == [TIER_COLOURS[t] for t in frame["tier"]]
    titles = [a.text for a in fig.layout.annotations]
    assert titles == ["Tickets per customer", "Median resolution time (hours)"]
    assert fig.layout.font.size == 18  # presentation size
    assert list(per_customer.customdata[1]) == [3.0, 2.0, 1.0]

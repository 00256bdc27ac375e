"""Figures of the health page, from small hand-made frames."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from clv.charts import health as health_charts
from clv.charts.health import (
    BAND_COLOURS,
    LOST_COLOUR,
    MODEL_COLOURS,
    health_histogram,
    plot_calibration,
    plot_health_breakdown,
    plot_health_distribution,
)

# Scores on both sides of every limit: 45 opens "watch", 75 opens "healthy", 100 falls in
# the last bin, NaN is left out.
SCORES = pd.Series([0.0, 4.9, 5.0, 44.9, 45.0, 74.99, 75.0, 99.9, 100.0, math.nan])


def test_histogram_by_hand():
    hist = health_histogram(SCORES)
    assert len(hist) == 20
    assert hist["lower"].tolist() == [5.0 * i for i in range(20)]
    assert hist["upper"].iloc[-1] == 100.0
    counts = dict(zip(hist["lower"], hist["customers"], strict=True))
    # [0, 5): 0 and 4.9; [5, 10): 5; [40, 45): 44.9; [45, 50): 45; [70, 75): 74.99;
    # [75, 80): 75; [95, 100]: 99.9 and 100.
    expected = {0.0: 2, 5.0: 1, 40.0: 1, 45.0: 1, 70.0: 1, 75.0: 1, 95.0: 2}
    assert {k: v for k, v in counts.items() if v} == expected
    assert hist["customers"].sum() == 9
    bands = dict(zip(hist["lower"], hist["band"], strict=True))
    assert (bands[40.0], bands[45.0], bands[70.0], bands[75.0]) == (
        "at risk",
        "watch",
        "watch",
        "healthy",
    )
    with pytest.raises(ValueError, match="positive"):
        health_histogram(SCORES, width=0)


def test_distribution_bars_by_band():
    hist = health_histogram(SCORES)
    fig = plot_health_distribution(
        hist,
        labels={"title": "Scores", "band.healthy": "En bonne santé", "band.at risk": "En danger"},
    )
    assert [t.name for t in fig.data] == ["En bonne santé", "To watch", "En danger"]
    healthy, watch, at_risk = fig.data
    assert healthy.marker.color == BAND_COLOURS["healthy"]
    assert at_risk.marker.color == BAND_COLOURS["at risk"]
    # Healthy bins are [75, 80) ... [95, 100]: centres 77.5 ... 97.5, one and two customers.
    assert list(healthy.x) == [77.5, 82.5, 87.5, 92.5, 97.5]
    assert list(healthy.y) == [1, 0, 0, 0, 2]
    assert list(healthy.width) == [5.0] * 5
    assert sum(watch.y) == 2 and sum(at_risk.y) == 4
    assert fig.layout.title.text == "Scores"
    assert sorted(shape.x0 for shape in fig.layout.shapes) == [45, 75]
    assert sorted(a.text for a in fig.layout.annotations) == [
        "En bonne santé from 75",
        "To watch from 45",
    ]
    # Room above the tallest bar (two customers) for those labels.
    assert fig.layout.yaxis.range[1] == pytest.approx(2 * 1.18)
    # A band without any bin leaves no trace.
    only_low = hist[hist["band"] == "at risk"]
    assert [t.name for t in plot_health_distribution(only_low).data] == ["At risk"]


BREAKDOWN = pd.DataFrame(
    {
        # Any order: the figure puts the signals in their display order.
        "signal": ["nps", "recency", "activity", "frequency"],
        "unknown": [True, False, False, False],
        "max_points": [10.0, 50.0, 20.0, 20.0],
        "points": [5.0, 25.0, 12.0, 0.0],
        "points_lost": [5.0, 25.0, 8.0, 20.0],
    }
)


def test_breakdown_bars():
    fig = plot_health_breakdown(BREAKDOWN, labels={"signal.nps": "Note NPS"})
    earned, lost = fig.data
    # Display order from the top: recency, activity, frequency, nps; plotly draws the
    # first category at the bottom, so the lists run the other way.
    assert list(earned.y) == ["Note NPS", "Repeat purchases", "Activity (P(alive))", "Recency"]
    assert list(earned.x) == [5.0, 0.0, 12.0, 25.0]
    assert list(lost.x) == [5.0, 20.0, 8.0, 25.0]
    assert [e + m for e, m in zip(earned.x, lost.x, strict=True)] == [10.0, 20.0, 20.0, 50.0]
    assert list(earned.marker.pattern.shape) == ["/", "", "", ""]
    assert lost.marker.color == LOST_COLOUR
    assert fig.layout.barmode == "stack"
    assert fig.layout.title.text == "Why this score: points per signal (out of 100)"


CALIBRATION = pd.DataFrame(
    {
        "bin": [2, 1, 1, 2],
        "customers": [5, 5, 5, 5],
        "predicted": [0.8, 0.2, 0.1, 0.6],
        "observed": [0.6, 0.4, 0.2, 1.0],
        "model": ["logistic", "logistic", "recency", "recency"],
    }
)


def test_calibration_lines():
    fig = plot_calibration(CALIBRATION, chosen="logistic")
    diagonal, logistic, recency = fig.data
    assert (list(diagonal.x), list(diagonal.y)) == ([0, 100], [0, 100])
    assert diagonal.line.dash == "dot"
    # Sorted by bin and in percent.
    assert np.allclose(logistic.x, [20.0, 80.0]) and np.allclose(logistic.y, [40.0, 60.0])
    assert np.allclose(recency.x, [10.0, 60.0]) and np.allclose(recency.y, [20.0, 100.0])
    assert logistic.name == "Logistic regression (chosen)" and logistic.line.width == 4
    assert recency.name == "Recency alone" and recency.line.width == 2
    assert logistic.line.color == MODEL_COLOURS["logistic"]
    assert recency.line.color == MODEL_COLOURS["recency"]
    assert fig.layout.title.text.endswith("(%)")
    assert list(fig.layout.xaxis.range) == [-2, 102]


def test_presentation_and_separators():
    hist = health_histogram(SCORES)
    normal = plot_health_distribution(hist)
    big = plot_health_distribution(hist, labels={"separators": ", "}, presentation=True)
    assert big.layout.font.size > normal.layout.font.size
    assert big.layout.separators == ", "
    fig = plot_calibration(CALIBRATION, labels={"model.recency": "Récence seule", "x": "Prédit"})
    assert fig.data[2].name == "Récence seule"
    assert fig.layout.xaxis.title.text == "Prédit"
    assert health_charts.BIN_WIDTH == 5.0

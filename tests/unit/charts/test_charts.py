"""Figures of the CLV page: traces, points, titles, colours, on hand-made frames."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from clv.charts import common as charts
from clv.charts.common import CHANNEL_PALETTE, TIER_COLOURS, channel_colours
from clv.valuation.tiers import TIERS, TierRule, assign_tiers, tier_movements, tier_table


@pytest.fixture
def customers() -> pd.DataFrame:
    """100 customers with CLV 1..100; default tiers: 5 Platinum, 15 Gold, 30 Silver, 50 Bronze."""
    clv = pd.Series(np.arange(1.0, 101.0), index=[f"c{i:03d}" for i in range(100)], name="clv")
    return pd.DataFrame({"clv": clv, "tier": assign_tiers(clv, TierRule())})


def test_distribution_stacks_tiers_and_states_the_clip(customers: pd.DataFrame) -> None:
    fig = charts.plot_clv_distribution(
        customers, labels={"title": "CLV (EUR, 12 months)"}, clip_quantile=0.95
    )
    assert isinstance(fig, go.Figure)
    assert fig.layout.title.text == "CLV (EUR, 12 months)"
    assert [t.name for t in fig.data] == list(TIERS)
    assert [len(t.x) for t in fig.data] == [5, 15, 30, 50]
    # 95th percentile of 1..100 (linear interpolation) = 95.05: five values above it,
    # shown in the last bar instead of stretching the axis.
    assert max(max(t.x) for t in fig.data) == pytest.approx(95.05)
    assert fig.layout.title.subtitle.text == (
        "The 5 customers above 95 (5.0% of them) are counted in the last bar."
    )
    assert fig.layout.barmode == "stack"


def test_distribution_without_tiers_or_clipping() -> None:
    frame = pd.DataFrame({"clv": [10.0, 10.0, 10.0]})
    fig = charts.plot_clv_distribution(frame)
    assert len(fig.data) == 1 and len(fig.data[0].x) == 3
    assert not fig.layout.title.subtitle.text  # nothing above the 99th percentile
    assert fig.layout.title.text == "Predicted CLV per customer"


def test_cohort_bars_carry_the_counts() -> None:
    by_cohort = pd.DataFrame(
        {
            "cohort": pd.to_datetime(["2025-01-01", "2025-02-01", "2025-03-01"]),
            "customers": [10, 20, 5],
            "total_clv": [500.0, 800.0, 400.0],
            "average_clv": [50.0, 40.0, 80.0],
        }
    )
    fig = charts.plot_clv_by_cohort(by_cohort, labels={"title": "By month (EUR)"})
    assert fig.layout.title.text == "By month (EUR)"
    assert len(fig.data) == 1 and len(fig.data[0].x) == 3
    assert list(fig.data[0].y) == [50.0, 40.0, 80.0]
    assert fig.data[0].customdata[:, 0].tolist() == [10, 20, 5]
    assert "Customers" in fig.data[0].hovertemplate


def test_channel_bars_sorted_with_their_colours() -> None:
    by_channel = pd.DataFrame(
        {
            "acquisition_channel": ["Ads", "SEO", "Referral"],
            "customers": [10, 20, 5],
            "total_clv": [300.0, 1200.0, 400.0],
            "average_clv": [30.0, 60.0, 80.0],
        }
    )
    fig = charts.plot_clv_by_channel(by_channel)
    bars = fig.data[0]
    assert len(fig.data) == 1
    # highest average on top (the last bar of a horizontal chart)
    assert list(bars.y) == ["Ads", "SEO", "Referral"]
    colours = channel_colours(["Ads", "SEO", "Referral"])
    assert list(bars.marker.color) == [colours[n] for n in ("Ads", "SEO", "Referral")]
    assert bars.customdata[:, 0].tolist() == [10, 20, 5]
    assert fig.layout.title.text == "Average predicted CLV by acquisition channel"


def test_channel_colours_are_distinct_and_stable() -> None:
    names = ["Meta Ads", "Google Ads", "SEO/contenu", "Parrainage", "Newsletter", "Salons"]
    colours = channel_colours(names)
    assert len(set(colours.values())) == len(names)
    assert set(colours.values()) <= set(CHANNEL_PALETTE)
    assert channel_colours(reversed(names)) == colours
    assert channel_colours(["Meta Ads"])["Meta Ads"] == channel_colours(["Meta Ads"])["Meta Ads"]
    # more channels than colours: the palette is reused rather than failing
    many = channel_colours([f"c{i}" for i in range(len(CHANNEL_PALETTE) + 3)])
    assert set(many.values()) == set(CHANNEL_PALETTE)


def test_tiers_chart_shares_add_to_a_hundred(customers: pd.DataFrame) -> None:
    revenue = pd.Series(10.0, index=customers.index)
    table = tier_table(customers["tier"], customers["clv"], revenue)
    fig = charts.plot_tiers(table, labels={"customers": "Clients"})
    assert [t.name for t in fig.data] == list(TIERS)
    assert all(len(t.x) == 3 for t in fig.data)
    assert fig.data[0].y[0] == "Clients"
    for bar in range(3):
        assert sum(t.x[bar] for t in fig.data) == pytest.approx(100.0)
    # Platinum: 5 % of the customers, (96+...+100)/5050 of the value, 5 % of revenue
    assert list(fig.data[0].x) == pytest.approx([5.0, 100 * 490 / 5050, 5.0])


def test_tier_colours_are_the_same_in_every_chart(customers: pd.DataFrame) -> None:
    revenue = pd.Series(1.0, index=customers.index)
    distribution = charts.plot_clv_distribution(customers)
    tiers = charts.plot_tiers(tier_table(customers["tier"], customers["clv"], revenue))
    for fig in (distribution, tiers):
        assert [t.marker.color for t in fig.data] == [TIER_COLOURS[t] for t in TIERS]
    assert charts.TIER_COLOURS is TIER_COLOURS


def test_tier_names_follow_the_labels(customers: pd.DataFrame) -> None:
    fig = charts.plot_clv_distribution(customers, labels={"tier.Gold": "Or"})
    assert [t.name for t in fig.data] == ["Platinum", "Or", "Silver", "Bronze"]


def test_tracking_marks_the_calibration_end() -> None:
    tracking = pd.DataFrame(
        {
            "t": [1.0, 2.0, 3.0, 4.0],
            "date": pd.to_datetime(["2025-01-07", "2025-01-14", "2025-01-21", "2025-01-28"]),
            "actual": [1.0, 3.0, 6.0, 8.0],
            "predicted": [1.5, 3.2, 5.5, 8.4],
            "period": ["calibration", "calibration", "holdout", "holdout"],
        }
    )
    fig = charts.plot_tracking(tracking, calibration_end=dt.date(2025, 1, 14))
    assert [t.name for t in fig.data] == ["Actual", "Predicted"]
    assert [len(t.x) for t in fig.data] == [4, 4]
    assert list(fig.data[1].y) == [1.5, 3.2, 5.5, 8.4]
    (line,) = fig.layout.shapes
    assert pd.Timestamp(line.x0) == pd.Timestamp("2025-01-14") and line.yref == "paper"
    assert fig.layout.annotations[0].text == "End of calibration"


def test_holdout_bars_per_frequency() -> None:
    by_frequency = pd.DataFrame(
        {
            "frequency_cal": [0, 1, 2, 7],
            "customers": [100, 40, 20, 5],
            "actual_mean": [0.1, 0.5, 0.9, 3.0],
            "predicted_mean": [0.12, 0.45, 1.0, 2.8],
        }
    )
    fig = charts.plot_holdout_by_frequency(by_frequency)
    assert [t.name for t in fig.data] == ["Actual", "Predicted"]
    assert list(fig.data[0].x) == ["0", "1", "2", "7+"]  # the last bucket is "7 or more"
    assert list(fig.data[1].y) == [0.12, 0.45, 1.0, 2.8]
    assert fig.layout.barmode == "group"


def test_movements_heatmap() -> None:
    before = pd.Series(["Gold", "Bronze", "Silver"], index=["a", "b", "c"])
    after = pd.Series(["Platinum", "Bronze", "Bronze", "Gold"], index=["a", "b", "c", "d"])
    moves = tier_movements(before, after)
    fig = charts.plot_tier_movements(moves, labels={"tier.New": "Nouveaux"})
    (heat,) = fig.data
    assert np.asarray(heat.z).shape == (5, 4)
    assert list(heat.y) == [*TIERS, "Nouveaux"] and list(heat.x) == list(TIERS)
    assert np.asarray(heat.z).sum() == 4
    assert heat.z[4][1] == 1  # the newcomer is Gold


def test_presentation_enlarges_the_text(customers: pd.DataFrame) -> None:
    normal = charts.plot_clv_distribution(customers)
    large = charts.plot_clv_distribution(customers, presentation=True)
    assert large.layout.font.size > normal.layout.font.size
    assert large.layout.title.font.size > normal.layout.title.font.size
    french = charts.plot_clv_distribution(customers, labels={"separators": ",\u202f"})
    assert french.layout.separators == ",\u202f"

"""Figures of the retention page, and the pooling behind its tiles, on hand-made frames."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from clv.charts import retention as charts
from clv.charts.common import TIER_COLOURS, channel_colours
from clv.metrics.retention import pooled_retention


@pytest.fixture
def retention() -> pd.DataFrame:
    """Three cohorts as cohort_retention gives them, observed to the end of April 2024.

    January: 10 customers, 3 order in February, 2 in March, 0 in April.
    February: 20 customers, 4 order in March, 5 in April.
    March: 5 customers, 1 orders in April.
    """
    rows = [
        ("2024-01-01", 0, 10, 10),
        ("2024-01-01", 1, 10, 3),
        ("2024-01-01", 2, 10, 2),
        ("2024-01-01", 3, 10, 0),
        ("2024-02-01", 0, 20, 20),
        ("2024-02-01", 1, 20, 4),
        ("2024-02-01", 2, 20, 5),
        ("2024-03-01", 0, 5, 5),
        ("2024-03-01", 1, 5, 1),
    ]
    frame = pd.DataFrame(
        rows,
        columns=["cohort_month", "months_since_first", "customers_in_cohort", "active_customers"],
    )
    frame["cohort_month"] = pd.to_datetime(frame["cohort_month"])
    frame["retention"] = frame["active_customers"] / frame["customers_in_cohort"]
    return frame


def test_pooled_retention_weighs_customers_of_the_cohorts_old_enough(retention) -> None:
    month_1 = pooled_retention(retention, 1)
    # (3 + 4 + 1) / (10 + 20 + 5), not the mean of 30 %, 20 % and 20 %
    assert month_1.rate == pytest.approx(8 / 35)
    assert (month_1.active, month_1.customers, month_1.cohorts) == (8, 35, 3)
    assert (month_1.first_cohort, month_1.last_cohort) == (
        dt.date(2024, 1, 1),
        dt.date(2024, 3, 1),
    )
    # month 2: March is too young and left out: (2 + 5) / (10 + 20)
    month_2 = pooled_retention(retention, 2)
    assert month_2.rate == pytest.approx(7 / 30)
    assert (month_2.cohorts, month_2.last_cohort) == (2, dt.date(2024, 2, 1))
    # month 3: January alone, where nobody ordered
    assert pooled_retention(retention, 3).rate == 0
    assert pooled_retention(retention, 4) is None
    assert pooled_retention(retention.iloc[:0], 1) is None


def test_heatmap_cells_sizes_and_blank_unobserved_months(retention) -> None:
    fig = charts.plot_retention_heatmap(
        retention, labels={"title": "Retention (% of the cohort)"}, count_format="<{}>".format
    )
    assert isinstance(fig, go.Figure)
    assert fig.layout.title.text == "Retention (% of the cohort)"
    (heatmap,) = fig.data
    assert list(heatmap.x) == [0, 1, 2, 3]
    assert list(heatmap.y) == ["2024-01 (n = <10>)", "2024-02 (n = <20>)", "2024-03 (n = <5>)"]
    z = np.asarray(heatmap.z, dtype=float)
    expected = [
        [100, 30, 20, 0],
        [100, 20, 25, math.nan],
        [100, 20, math.nan, math.nan],
    ]
    np.testing.assert_allclose(z, expected)
    assert heatmap.text[1][2] == "25" and heatmap.text[1][3] == "" and heatmap.text[2][2] == ""
    # the colours stop at the best later month (January, month 1: 30 %), not at 100 %
    assert (heatmap.zmin, heatmap.zmax) == (0, 30)
    # hover: customers ordering and cohort size of each cell
    assert list(heatmap.customdata[1][2]) == [5, 20]
    assert fig.layout.yaxis.autorange == "reversed"  # oldest cohort on top


def test_retention_matrix_is_empty_without_cells(retention) -> None:
    matrix, sizes = charts.retention_matrix(retention.iloc[:0])
    assert matrix.empty and sizes.empty


def test_cumulative_margin_one_curve_per_cohort() -> None:
    margin = pd.DataFrame(
        {
            "cohort_month": pd.to_datetime(["2024-02-01"] * 2 + ["2024-01-01"] * 3),
            "months_since_first": [0, 1, 0, 1, 2],
            "customers_in_cohort": [4, 4, 2, 2, 2],
            "cumulative_margin_per_customer": [5.0, 7.5, 10.0, math.nan, math.nan],
        }
    )
    fig = charts.plot_cumulative_margin(margin, labels={"title": "Margin per customer (EUR)"})
    assert fig.layout.title.text == "Margin per customer (EUR)"
    assert [t.name for t in fig.data] == ["2024-01", "2024-02"]  # oldest first
    january, february = fig.data
    assert list(february.x) == [0, 1] and list(february.y) == [5.0, 7.5]
    # an unknown margin breaks the curve; it is not drawn as zero
    assert january.y[0] == 10.0 and np.isnan(january.y[1:]).all()
    assert january.connectgaps is False
    assert january.line.color != february.line.color
    assert list(february.customdata) == [4, 4]


def test_churn_by_cohort_bars_and_overall_line() -> None:
    rates = pd.DataFrame(
        {
            "group": pd.to_datetime(["2024-01-01", "2024-02-01"]),
            "customers": [10, 30],
            "churned": [4, 6],
            "churn_rate": [0.4, 0.2],
        }
    )
    fig = charts.plot_churn_by_cohort(rates, overall=10 / 40, labels={"overall": "All"})
    assert fig.layout.title.text == "Churn rate by cohort (% of the customers judged)"
    bars, line = fig.data
    assert list(bars.y) == pytest.approx([40.0, 20.0])
    assert [list(row) for row in bars.customdata] == [[4, 10], [6, 30]]
    assert line.name == "All" and list(line.y) == pytest.approx([25.0, 25.0])
    assert line.line.dash == "dash"
    assert len(charts.plot_churn_by_cohort(rates).data) == 1


def test_churn_by_tier_in_tier_order_and_colours() -> None:
    rates = pd.DataFrame(
        {
            "group": ["Bronze", "Platinum", "Gold"],
            "customers": [1200, 5, 30],
            "churned": [600, 1, 6],
            "churn_rate": [0.5, 0.2, 0.2],
        }
    )
    fig = charts.plot_churn_by_tier(
        rates, labels={"tier.Platinum": "Platine", "tier.Gold": "Or"}, count_format="#{}".format
    )
    (bars,) = fig.data
    assert list(bars.x) == ["Platine", "Or", "Bronze"]
    assert list(bars.y) == pytest.approx([20.0, 20.0, 50.0])
    assert list(bars.marker.color) == [
        TIER_COLOURS["Platinum"],
        TIER_COLOURS["Gold"],
        TIER_COLOURS["Bronze"],
    ]
    assert list(bars.text) == ["n = #5", "n = #30", "n = #1200"]


@pytest.fixture
def curves() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "group": ["Meta Ads", "Meta Ads", None, None, "Google Ads", "Google Ads"],
            "days": [0.0, 120.0, 0.0, 200.0, 0.0, 95.0],
            "survival": [1.0, 0.5, 1.0, 0.75, 1.0, 0.0],
            "at_risk": [2.0, 2.0, 4.0, 4.0, 1.0, 1.0],
        }
    )


def test_survival_by_channel_uses_the_channel_colours(curves) -> None:
    fig = charts.plot_survival(curves, labels={"unknown": "No channel"})
    assert [t.name for t in fig.data] == ["Meta Ads", "No channel", "Google Ads"]
    meta, unknown, google = fig.data
    colours = channel_colours(["Meta Ads", "Google Ads"])
    assert (meta.line.color, google.line.color) == (colours["Meta Ads"], colours["Google Ads"])
    assert unknown.line.color == charts.UNKNOWN_COLOUR
    assert list(meta.x) == [0.0, 120.0] and list(meta.y) == pytest.approx([100.0, 50.0])
    assert meta.line.shape == "hv"  # Kaplan-Meier curves are steps
    assert list(unknown.customdata) == [4.0, 4.0]


def test_survival_by_tier_in_tier_order() -> None:
    curves = pd.DataFrame(
        {
            "group": ["Silver", "Silver", "Platinum", "Platinum"],
            "days": [0.0, 90.0, 0.0, 300.0],
            "survival": [1.0, 0.6, 1.0, 0.9],
            "at_risk": [5.0, 5.0, 2.0, 2.0],
        }
    )
    fig = charts.plot_survival(curves, by="tier", labels={"tier.Silver": "Argent"})
    assert [t.name for t in fig.data] == ["Platinum", "Argent"]
    assert [t.line.color for t in fig.data] == [TIER_COLOURS["Platinum"], TIER_COLOURS["Silver"]]
    with pytest.raises(ValueError, match="choose 'channel' or 'tier'"):
        charts.plot_survival(curves, by="cohort")


def test_presentation_enlarges_the_fonts(retention) -> None:
    normal = charts.plot_retention_heatmap(retention)
    large = charts.plot_retention_heatmap(retention, presentation=True)
    assert large.layout.font.size > normal.layout.font.size
    assert large.layout.height > normal.layout.height

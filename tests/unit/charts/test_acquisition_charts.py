"""Figures of the acquisition page: traces, values, colours, reference lines, on hand-made
frames."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from clv.charts import acquisition as charts
from clv.charts.acquisition import BAND_COLOURS
from clv.charts.common import channel_colours

NAN = math.nan


def test_ratio_bars_one_trace_per_band_with_reference_lines() -> None:
    table = pd.DataFrame(
        {
            "channel": ["Ads", "SEO", "Fairs", "Organic", "Email"],
            "new_customers": [10, 20, 5, 7, 4],
            "average_cac": [40.0, 10.0, 30.0, 0.0, 25.0],
            "average_clv": [20.0, 40.0, 60.0, 50.0, 25.0],
            "clv_cac_ratio": [0.5, 4.0, 2.0, NAN, 1.0],
            "band": ["loses_money", "healthy", "optimise", None, "break_even"],
        }
    )
    fig = charts.plot_clv_cac_ratio(table, labels={"title": "CLV/CAC (ratio)"})
    assert isinstance(fig, go.Figure)
    assert fig.layout.title.text == "CLV/CAC (ratio)"
    # worst band first; "Organic" has no ratio (no spend) and is not drawn
    assert [t.name for t in fig.data] == [
        "Loses money (below 1)",
        "Break-even (about 1)",
        "To optimise (1 to 3)",
        "Healthy (3 and above)",
    ]
    assert [t.marker.color for t in fig.data] == [
        BAND_COLOURS[b] for b in ("loses_money", "break_even", "optimise", "healthy")
    ]
    assert [(list(t.y), list(t.x)) for t in fig.data] == [
        (["Ads"], [0.5]),
        (["Email"], [1.0]),
        (["Fairs"], [2.0]),
        (["SEO"], [4.0]),
    ]
    # highest ratio on top of a horizontal chart = last category
    assert list(fig.layout.yaxis.categoryarray) == ["Ads", "Email", "Fairs", "SEO"]
    # hover data of "Ads": average CLV 20, average CAC 40, 10 new customers
    assert fig.data[0].customdata.tolist() == [[20.0, 40.0, 10.0]]
    lines = [(s.x0, s.x1, s.line.dash) for s in fig.layout.shapes]
    assert lines == [(1.0, 1.0, "dot"), (3.0, 3.0, "dot")]
    assert [a.text for a in fig.layout.annotations] == ["1 : break-even", "3 : healthy"]
    # the axis reaches 10 % past the highest ratio (4.0 -> 4.4)
    assert fig.layout.xaxis.range == pytest.approx((0, 4.4))


def test_ratio_axis_always_shows_the_healthy_line_and_names_are_inert() -> None:
    table = pd.DataFrame(
        {
            "channel": ['<a href="https://x.test">click</a>', None],
            "new_customers": [3, 2],
            "average_cac": [10.0, 10.0],
            "average_clv": [8.0, 12.0],
            "clv_cac_ratio": [0.8, 1.2],
            "band": ["loses_money", "optimise"],
        }
    )
    fig = charts.plot_clv_cac_ratio(table, labels={"unknown_channel": "Canal inconnu"})
    assert fig.layout.xaxis.range == pytest.approx((0, 3.5))
    names = list(fig.layout.yaxis.categoryarray)
    assert names == ['&lt;a href="https://x.test"&gt;click&lt;/a&gt;', "Canal inconnu"]
    assert all("<a" not in str(n) for n in names)


def test_cac_trend_draws_paid_channels_and_breaks_where_cac_is_unknown() -> None:
    months = pd.DataFrame(
        {
            "month": pd.to_datetime(
                ["2024-01-01", "2024-01-01", "2024-01-01", "2024-02-01", "2024-02-01", "2024-02-01"]
            ),
            "channel": ["Meta Ads", "Google Ads", "Direct", "Meta Ads", "Google Ads", None],
            "spend": [100.0, 60.0, 0.0, 90.0, 0.0, 0.0],
            "new_customers": [4, 3, 5, 0, 2, 1],
            "cac": [25.0, 20.0, 0.0, NAN, 0.0, 0.0],
        }
    )
    fig = charts.plot_cac_trend(months, labels={"title": "CAC (EUR per new customer)"})
    assert fig.layout.title.text == "CAC (EUR per new customer)"
    # Direct never had spend and the unknown channel is left out; sorted by name
    assert [t.name for t in fig.data] == ["Google Ads", "Meta Ads"]
    google, meta = fig.data
    assert list(google.y) == [20.0, 0.0]
    # February: 90 spent on Meta Ads, nobody acquired: no CAC, and no line across the gap
    assert meta.y[0] == 25.0 and np.isnan(meta.y[1])
    assert meta.connectgaps is False
    assert meta.customdata.tolist() == [[100.0, 4], [90.0, 0]]
    colours = channel_colours(["Meta Ads", "Google Ads", "Direct"])
    assert google.line.color == colours["Google Ads"]
    assert meta.line.color == colours["Meta Ads"]


def test_payback_curves_as_a_share_of_each_cohorts_cac() -> None:
    def rows(cohort: str, channel: str, margins: list[float], cac: float) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "cohort_month": pd.Timestamp(cohort),
                "channel": channel,
                "months_since_acquisition": range(len(margins)),
                "cumulative_margin_per_customer": margins,
                "cac": cac,
            }
        )

    table = pd.concat(
        [
            rows("2024-01-01", "Meta Ads", [20.0, 40.0, 60.0], 50.0),
            rows("2024-02-01", "Meta Ads", [30.0, 30.0], 25.0),
            rows("2024-03-01", "Meta Ads", [10.0], 0.0),  # no spend that month
            rows("2024-01-01", "SEO", [5.0, 6.0, 7.0], 2.0),  # another channel
        ],
        ignore_index=True,
    )
    fig = charts.plot_payback(table, "Meta Ads")
    assert [t.name for t in fig.data] == ["2024-01", "2024-02"]
    january, february = fig.data
    # 100 x margin / CAC: 20/50, 40/50, 60/50 and 30/25 twice
    assert list(january.x) == [0, 1, 2]
    assert list(january.y) == pytest.approx([40.0, 80.0, 120.0])
    assert list(february.y) == pytest.approx([120.0, 120.0])
    assert january.customdata.tolist() == [[20.0, 50.0], [40.0, 50.0], [60.0, 50.0]]
    # older cohorts lighter: the two shades differ, the newest is the darkest blue
    assert january.line.color != february.line.color
    assert february.line.color == "rgb(8, 48, 107)"
    assert [(s.y0, s.y1) for s in fig.layout.shapes] == [(100.0, 100.0)]
    assert fig.layout.annotations[0].text == "100 % = CAC paid back"
    assert "% of the cohort's CAC" in fig.layout.title.text
    # dozens of cohorts in a real shop: the shades are explained instead of listed
    assert fig.layout.showlegend is False
    assert fig.layout.title.subtitle.text.startswith("Light: older cohorts")


def test_presentation_mode_enlarges_the_fonts() -> None:
    months = pd.DataFrame(
        {
            "month": pd.to_datetime(["2024-01-01"]),
            "channel": ["Ads"],
            "spend": [10.0],
            "new_customers": [1],
            "cac": [10.0],
        }
    )
    normal = charts.plot_cac_trend(months)
    large = charts.plot_cac_trend(months, presentation=True, labels={"separators": ", "})
    assert large.layout.font.size > normal.layout.font.size
    assert large.layout.height > normal.layout.height
    assert large.layout.separators == ", "

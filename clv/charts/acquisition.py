"""Figures of the acquisition page: DataFrame in, plotly Figure out (no display, no streamlit).

Each ``plot_*`` takes a frame of :mod:`clv.metrics.acquisition` and returns a
:class:`plotly.graph_objects.Figure` styled by :func:`clv.charts.common.style_figure`. Text comes
from ``labels`` (the page passes its translated words; English defaults otherwise); the
keys shared by every figure are described in :mod:`clv.charts.common`.

Colours: a CLV / CAC ratio is coloured by its band (:data:`BAND_COLOURS`, the reading of
:func:`clv.metrics.acquisition.ratio_band`), a channel by :func:`clv.charts.common.channel_colours` (the
same colour for a channel on every page).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.colors import sample_colorscale

from clv.charts.common import channel_colours, merge_labels, style_figure
from clv.metrics.acquisition import BANDS, HEALTHY_RATIO

#: Colour of each band of the CLV / CAC ratio, from red (loses money) to green (healthy).
BAND_COLOURS: dict[str, str] = {
    "loses_money": "#C0392B",
    "break_even": "#E67E22",
    "optimise": "#E0B000",
    "healthy": "#2E8B57",
}
#: Colour of the reference lines drawn across a figure.
REFERENCE_COLOUR = "#475569"

_HEIGHT = {False: 420, True: 560}


def plain_text(value: object) -> str:
    """A name from a file made inert for plotly, which reads a few HTML tags (links
    among them) in titles, legends and tick labels."""
    return str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _channel_name(value: Any, labels: Mapping[str, str]) -> str:
    # Customers whose channel is unknown come back as a missing channel.
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return labels["unknown_channel"]
    return plain_text(value)


def _reference_line(
    fig: go.Figure, *, x: float | None = None, y: float | None = None, text: str
) -> None:
    """A dotted line across the plot at ``x`` (vertical) or ``y`` (horizontal), labelled."""
    line = {"color": REFERENCE_COLOUR, "dash": "dot", "width": 1.5}
    if x is not None:
        fig.add_vline(
            x=x,
            line=line,
            annotation_text=text,
            annotation_position="top",
            annotation_font_color=REFERENCE_COLOUR,
        )
    else:
        fig.add_hline(
            y=y,
            line=line,
            annotation_text=text,
            annotation_position="bottom right",
            annotation_font_color=REFERENCE_COLOUR,
        )


# -- CLV / CAC per channel ------------------------------------------------------------------

RATIO_LABELS = {
    "title": "CLV / CAC by acquisition channel (ratio, 3 : 1 is healthy)",
    "x": "CLV / CAC",
    "y": "",
    "band.loses_money": "Loses money (below 1)",
    "band.break_even": "Break-even (about 1)",
    "band.optimise": "To optimise (1 to 3)",
    "band.healthy": "Healthy (3 and above)",
    "break_even_line": "1 : break-even",
    "healthy_line": "3 : healthy",
    "average_cac": "Average CAC",
    "average_clv": "Average CLV",
    "new_customers": "New customers",
    "unknown_channel": "Unknown channel",
}


def plot_clv_cac_ratio(
    table: pd.DataFrame,
    *,
    labels: Mapping[str, str] | None = None,
    presentation: bool = False,
) -> go.Figure:
    """Horizontal bars of the CLV / CAC ratio per channel, coloured by band.

    Dotted reference lines mark the ratio 1 (break-even) and 3 (healthy); the axis always
    reaches past 3 so that both lines show. Channels whose ratio is unknown (no spend, no
    new customer or no predicted CLV) are left out.

    Parameters
    ----------
    table : :func:`clv.metrics.acquisition.channel_table`: ``channel``, ``new_customers``,
        ``average_cac``, ``average_clv``, ``clv_cac_ratio``, ``band``.
    labels : text overrides; ``band.<band>`` names the legend entries.

    Returns
    -------
    Figure with one bar trace per band present (in :data:`clv.metrics.acquisition.BANDS` order,
    coloured by :data:`BAND_COLOURS`), one bar per channel, highest ratio on top; the
    hover gives the average CLV, the average CAC and the new customers.
    """
    text = merge_labels(RATIO_LABELS, labels)
    known = table[table["clv_cac_ratio"].notna() & table["band"].notna()]
    known = known.sort_values("clv_cac_ratio", kind="stable")
    names = [_channel_name(c, text) for c in known["channel"]]
    fig = go.Figure()
    for band in BANDS:
        mask = (known["band"] == band).to_numpy()
        if not mask.any():
            continue
        rows = known[mask]
        fig.add_trace(
            go.Bar(
                x=rows["clv_cac_ratio"].astype(float),
                y=[n for n, m in zip(names, mask, strict=True) if m],
                orientation="h",
                name=text[f"band.{band}"],
                marker_color=BAND_COLOURS[band],
                texttemplate="%{x:.1f}",
                textposition="auto",
                customdata=np.column_stack(
                    [rows["average_clv"], rows["average_cac"], rows["new_customers"]]
                ),
                hovertemplate=(
                    "%{y}<br>"
                    + f"{text['x']}: %{{x:.2f}}<br>"
                    + f"{text['average_clv']}: %{{customdata[0]:,.2f}}<br>"
                    + f"{text['average_cac']}: %{{customdata[1]:,.2f}}<br>"
                    + f"{text['new_customers']}: %{{customdata[2]:,.0f}}<extra></extra>"
                ),
            )
        )
    _reference_line(fig, x=1.0, text=text["break_even_line"])
    _reference_line(fig, x=HEALTHY_RATIO, text=text["healthy_line"])
    highest = float(known["clv_cac_ratio"].max()) if len(known) else 0.0
    fig.update_xaxes(range=[0, max(HEALTHY_RATIO + 0.5, highest * 1.1)])
    # Keep the sorted order: one category list shared by every band's trace.
    fig.update_yaxes(categoryorder="array", categoryarray=names)
    height = max(_HEIGHT[presentation], 160 + 45 * len(names))
    style_figure(fig, text, presentation, height=height)
    # The legend goes under the plot: on top it would hide the labels of the lines.
    fig.update_layout(
        legend={"yanchor": "top", "y": -0.18, "xanchor": "left", "x": 0},
        margin={"b": 110},
    )
    return fig


# -- CAC by month -----------------------------------------------------------------------------

TREND_LABELS = {
    "title": "CAC by month and acquisition channel (currency per new customer)",
    "x": "Month of acquisition",
    "y": "CAC",
    "spend": "Spend",
    "new_customers": "New customers",
    "unknown_channel": "Unknown channel",
}


def plot_cac_trend(
    months: pd.DataFrame,
    *,
    labels: Mapping[str, str] | None = None,
    presentation: bool = False,
) -> go.Figure:
    """Lines of the CAC per month, one per channel with spend.

    A month with spend but no new customer has no CAC: the line breaks there rather than
    joining across it. Channels that never had spend in the frame (organic channels,
    CAC 0) are not drawn.

    Parameters
    ----------
    months : :func:`clv.metrics.acquisition.cac_by_channel_month`: ``month``, ``channel``,
        ``spend``, ``new_customers``, ``cac``.

    Returns
    -------
    Figure with one line trace per channel with spend (sorted by name, in its
    :func:`clv.charts.common.channel_colours` colour), one point per month of that channel; the
    hover gives the spend and the new customers.
    """
    text = merge_labels(TREND_LABELS, labels)
    frame = months[months["channel"].notna()]
    paid = frame.groupby("channel", sort=True)["spend"].sum()
    channels = [str(c) for c in paid.index[paid.to_numpy() > 0]]
    colours = channel_colours(frame["channel"].astype(str).unique())
    fig = go.Figure()
    for channel in channels:
        rows = frame[frame["channel"].astype(str) == channel].sort_values("month")
        fig.add_trace(
            go.Scatter(
                x=pd.to_datetime(rows["month"]),
                y=rows["cac"].astype(float),
                name=plain_text(channel),
                mode="lines+markers",
                line={"color": colours[channel], "width": 2.5},
                marker={"size": 6},
                connectgaps=False,
                customdata=np.column_stack([rows["spend"], rows["new_customers"]]),
                hovertemplate=(
                    f"{plain_text(channel)}<br>%{{x|%Y-%m}}<br>"
                    + f"{text['y']}: %{{y:,.2f}}<br>"
                    + f"{text['spend']}: %{{customdata[0]:,.0f}}<br>"
                    + f"{text['new_customers']}: %{{customdata[1]:,.0f}}<extra></extra>"
                ),
            )
        )
    fig.update_xaxes(tickformat="%Y-%m")
    fig.update_yaxes(rangemode="tozero")
    return style_figure(fig, text, presentation)


# -- payback --------------------------------------------------------------------------------

PAYBACK_LABELS = {
    "title": "Payback: cumulative margin per acquired customer against CAC, by cohort "
    "(% of the cohort's CAC)",
    "x": "Months since acquisition (0 = month of the first order)",
    "y": "Margin per customer / CAC (%)",
    "subtitle": "Light: older cohorts, dark: recent ones; hover over a curve for its cohort.",
    "paid_back_line": "100 % = CAC paid back",
    "margin": "Cumulative margin per customer",
    "cac": "CAC of the cohort",
}


def plot_payback(
    payback_table: pd.DataFrame,
    channel: str,
    *,
    labels: Mapping[str, str] | None = None,
    presentation: bool = False,
) -> go.Figure:
    """Payback curves of one channel: each cohort's cumulative margin per acquired customer
    as a share of that cohort's CAC.

    A cohort is paid back in the first month its curve reaches 100 %. Cohorts whose CAC is
    0 (no spend in their month) have nothing to pay back and are not drawn.

    Parameters
    ----------
    payback_table : :func:`clv.metrics.acquisition.payback`: ``cohort_month``, ``channel``,
        ``months_since_acquisition``, ``cumulative_margin_per_customer``, ``cac``.
    channel : the channel whose cohorts are drawn.

    Returns
    -------
    Figure with one line trace per cohort of ``channel`` with a CAC (oldest first, named
    ``MM/YYYY``, light to dark blue from the oldest to the newest), y = 100 x cumulative
    margin per customer / CAC; a dotted line at 100 %. The hover gives both amounts. No
    legend (a shop has dozens of cohorts): the subtitle explains the shades.
    """
    text = merge_labels(PAYBACK_LABELS, labels)
    rows = payback_table[
        (payback_table["channel"].astype(str) == str(channel)) & (payback_table["cac"] > 0)
    ]
    cohorts = sorted(pd.to_datetime(rows["cohort_month"]).unique())
    shades = (
        sample_colorscale("Blues", list(np.linspace(0.35, 1.0, len(cohorts))))
        if len(cohorts) > 1
        else ["rgb(8, 81, 156)"] * len(cohorts)
    )
    fig = go.Figure()
    for cohort, shade in zip(cohorts, shades, strict=True):
        curve = rows[pd.to_datetime(rows["cohort_month"]) == cohort].sort_values(
            "months_since_acquisition"
        )
        margin = curve["cumulative_margin_per_customer"].astype(float)
        cac = curve["cac"].astype(float)
        name = pd.Timestamp(cohort).strftime("%Y-%m")
        fig.add_trace(
            go.Scatter(
                x=curve["months_since_acquisition"].astype(int),
                y=100 * margin / cac,
                name=name,
                mode="lines",
                line={"color": shade, "width": 2},
                customdata=np.column_stack([margin, cac]),
                hovertemplate=(
                    f"{name}<br>{text['x']}: %{{x}}<br>"
                    + f"{text['y']}: %{{y:.0f}}<br>"
                    + f"{text['margin']}: %{{customdata[0]:,.2f}}<br>"
                    + f"{text['cac']}: %{{customdata[1]:,.2f}}<extra></extra>"
                ),
            )
        )
    _reference_line(fig, y=100.0, text=text["paid_back_line"])
    fig.update_xaxes(rangemode="tozero", dtick=3)
    fig.update_yaxes(rangemode="tozero")
    return style_figure(fig, text, presentation, legend=False)

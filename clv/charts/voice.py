"""Figures of the voice-of-the-customer page: DataFrame in, plotly Figure out.

Every ``plot_*`` takes a frame of :mod:`clv.metrics.voice` and returns a
:class:`plotly.graph_objects.Figure` whose title states its unit. Words come from
``labels`` merged over the English defaults of each figure (keys ``title``, ``subtitle``,
``x``, ``y``, ``tier.<Tier>``, ``separators`` as in :mod:`clv.charts.common`, plus the keys
listed in each default dict). Colours are fixed: tiers in :data:`clv.charts.common.TIER_COLOURS`,
channels from :func:`clv.charts.common.channel_colours`, NPS groups in :data:`GROUP_COLOURS`.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from clv.charts.common import (
    ACTUAL_COLOUR,
    BAR_COLOUR,
    TIER_COLOURS,
    channel_colours,
    merge_labels,
    style_figure,
)
from clv.formatting import format_month
from clv.metrics.voice import NPS_BY, NPS_GROUPS

#: One colour per NPS group (Okabe-Ito blue and vermilion: readable by colour-blind eyes).
GROUP_COLOURS: dict[str, str] = {
    "promoter": "#0072B2",
    "passive": "#9CA3AF",
    "detractor": "#D55E00",
    "no answer": "#D9DEE4",
}
#: Colour of the segments with too few answers to read, and of "no segment".
FADED_COLOUR = "#C4CAD2"

_NPS_RANGE = [-105, 105]


def _group_names(frame: pd.DataFrame, by: str, text: Mapping[str, str]) -> list[str]:
    """Display name of each segment: tier name, channel, ``YYYY-MM``, or "no segment"."""
    names = []
    for value in frame["group"]:
        if value is None or (not isinstance(value, str) and pd.isna(value)):
            names.append(text["no_segment"])
        elif by == "tier":
            names.append(text.get(f"tier.{value}", str(value)))
        elif by in ("cohort", "month"):
            names.append(format_month(value))
        else:
            names.append(str(value))
    return names


def _segment_colours(frame: pd.DataFrame, by: str) -> list[str]:
    groups = frame["group"]
    known = [g for g in groups if isinstance(g, str)]
    channels = channel_colours(known) if by == "channel" else {}
    colours = []
    for value in groups:
        if not isinstance(value, str) and (value is None or pd.isna(value)):
            colours.append(FADED_COLOUR)
        elif by == "tier":
            colours.append(TIER_COLOURS.get(str(value), BAR_COLOUR))
        elif by == "channel":
            colours.append(channels[str(value)])
        else:
            colours.append(BAR_COLOUR)
    return colours


SEGMENT_LABELS = {
    "title": "NPS by segment (−100 to 100), with its 95 % interval",
    "x": "",
    "y": "NPS",
    "answers": "Answers",
    "interval": "95 % interval",
    "too_few": "too few answers to read",
    "hatched": "Hatched: too few answers to read",
    "no_segment": "No segment",
    "count": "n = {answers}",
}

#: Above this many segments the answer counts leave the axis for the hover only.
_COUNTS_ON_AXIS = 12


def plot_nps_by_segment(
    frame: pd.DataFrame,
    by: str = "tier",
    *,
    labels: Mapping[str, str] | None = None,
    presentation: bool = False,
) -> go.Figure:
    """Bars of the NPS per segment, the 95 % interval as error bars, answers on each bar.

    Parameters
    ----------
    frame : :func:`clv.metrics.voice.nps_by` without its unmatched row (``frame[frame.matched]``):
        ``group``, ``answers``, ``nps``, ``low``, ``high``, ``too_few``. A missing
        ``group`` is drawn as ``labels["no_segment"]``.
    by : what ``group`` holds (``"tier"``, ``"channel"``, ``"cohort"`` or ``"month"``):
        tiers and channels take their colours, months are written ``YYYY-MM``.
    labels : words over :data:`SEGMENT_LABELS`; ``count`` (placeholder ``{answers}``)
        is written under each segment's name when there are at most 12 segments, and in
        the hover always, followed by ``too_few`` for flagged segments; ``hatched`` is
        the subtitle when any segment is flagged.

    Returns
    -------
    Figure with one bar trace, one bar per row of ``frame`` in its order. Segments
    flagged ``too_few`` are hatched and half transparent.
    """
    if by not in NPS_BY:
        raise ValueError(f"Cannot draw NPS by {by!r}; choose one of {', '.join(NPS_BY)}.")
    text = merge_labels(SEGMENT_LABELS, labels)
    names = _group_names(frame, by, text)
    scores = frame["nps"].astype(float).to_numpy()
    low = frame["low"].astype(float).to_numpy()
    high = frame["high"].astype(float).to_numpy()
    answers = frame["answers"].astype(int).to_numpy()
    too_few = frame["too_few"].astype(bool).to_numpy()
    counts = [text["count"].format(answers=f"{a:,}") for a in answers]
    if len(frame) <= _COUNTS_ON_AXIS:
        names = [f"{name}<br>{count}" for name, count in zip(names, counts, strict=True)]
    notes = [
        count + (f" · {text['too_few']}" if few else "")
        for count, few in zip(counts, too_few, strict=True)
    ]
    if too_few.any():
        text.setdefault("subtitle", text["hatched"])
    fig = go.Figure(
        go.Bar(
            x=names,
            y=scores,
            marker={
                "color": _segment_colours(frame, by),
                "opacity": [0.45 if few else 1.0 for few in too_few],
                "pattern": {"shape": ["/" if few else "" for few in too_few]},
            },
            error_y={
                "type": "data",
                "symmetric": False,
                "array": high - scores,
                "arrayminus": scores - low,
                "color": ACTUAL_COLOUR,
                "thickness": 1.5,
            },
            # A list of rows, not an array: the note is text, the bounds are numbers.
            customdata=[
                [float(lo), float(hi), note] for lo, hi, note in zip(low, high, notes, strict=True)
            ],
            hovertemplate=(
                "%{x}<br>NPS: %{y:.1f}<br>"
                + f"{text['interval']}: %{{customdata[0]:.1f}} … %{{customdata[1]:.1f}}<br>"
                + "%{customdata[2]}<extra></extra>"
            ),
        )
    )
    fig.add_hline(y=0, line={"color": "#64748B", "width": 1})
    fig.update_yaxes(range=_NPS_RANGE, zeroline=False)
    fig.update_xaxes(type="category")
    return style_figure(fig, text, presentation, legend=False)


TREND_LABELS = {
    "title": "NPS by month of answer (−100 to 100)",
    "x": "Month of answer",
    "y": "NPS",
    "y2": "Answers",
    "nps": "NPS",
    "interval": "95 % interval",
    "answers": "Answers",
    "too_few": "Too few answers to read",
}


def plot_nps_trend(
    frame: pd.DataFrame,
    *,
    labels: Mapping[str, str] | None = None,
    presentation: bool = False,
) -> go.Figure:
    """NPS per month as a line in its 95 % band, over pale bars of the answers per month.

    Parameters
    ----------
    frame : :func:`clv.metrics.voice.nps_by` with ``by="month"`` (every answer has a month), one
        row per month: ``group`` (month start), ``answers``, ``nps``, ``low``, ``high``,
        ``too_few``; an unmatched row, if any, is left out.
    labels : words over :data:`TREND_LABELS` (``y`` names the NPS axis on the left,
        ``y2`` the answers axis on the right).

    Returns
    -------
    Figure with four traces in order: answers (bars on the right axis ``y``, scaled to
    fill the lower third), the band's upper and lower bounds (the lower filled up to the
    upper) and the NPS line, all three on the left axis ``y2`` drawn over the bars; the
    line's markers are hollow for the months flagged ``too_few``.
    """
    text = merge_labels(TREND_LABELS, labels)
    if "matched" in frame.columns:
        frame = frame[frame["matched"].astype(bool)]
    frame = frame[frame["group"].notna()]
    months = pd.to_datetime(frame["group"].astype(object))
    too_few = frame["too_few"].astype(bool).to_numpy()
    answers = frame["answers"].astype(int)
    # The NPS axis overlays the answers axis so that the line is drawn over the bars.
    on_nps = {"yaxis": "y2"}
    fig = go.Figure(
        [
            go.Bar(
                x=months,
                y=answers,
                name=text["answers"],
                marker_color="#E2E8F0",
                hovertemplate=f"%{{x|%Y-%m}}<br>{text['answers']}: %{{y:,}}<extra></extra>",
            ),
            go.Scatter(
                x=months,
                y=frame["high"],
                mode="lines",
                line={"width": 0},
                showlegend=False,
                hoverinfo="skip",
                **on_nps,
            ),
            go.Scatter(
                x=months,
                y=frame["low"],
                mode="lines",
                line={"width": 0},
                fill="tonexty",
                fillcolor="rgba(62, 111, 163, 0.18)",
                name=text["interval"],
                hoverinfo="skip",
                **on_nps,
            ),
            go.Scatter(
                x=months,
                y=frame["nps"],
                mode="lines+markers",
                name=text["nps"],
                line={"color": BAR_COLOUR, "width": 2.5},
                marker={
                    "size": 8,
                    "symbol": ["circle-open" if few else "circle" for few in too_few],
                    "color": BAR_COLOUR,
                },
                customdata=np.column_stack([answers, frame["low"], frame["high"]]).astype(float),
                hovertemplate=(
                    "%{x|%Y-%m}<br>NPS: %{y:.1f}<br>"
                    + f"{text['interval']}: %{{customdata[1]:.1f}} … %{{customdata[2]:.1f}}<br>"
                    + f"{text['answers']}: %{{customdata[0]:,.0f}}<extra></extra>"
                ),
                **on_nps,
            ),
        ]
    )
    if too_few.any():
        text.setdefault("subtitle", "○ " + text["too_few"])
    styled = style_figure(fig, text, presentation)
    top = 3 * int(answers.max()) if len(answers) else 1
    styled.update_layout(
        yaxis={
            "title": {"text": text["y2"]},
            "side": "right",
            "range": [0, max(top, 1)],
            "showgrid": False,
            "tickformat": ",d",
        },
        yaxis2={
            "title": {"text": text["y"]},
            "side": "left",
            "overlaying": "y",
            "range": _NPS_RANGE,
            "tickmode": "array",
            "tickvals": [-100, -50, 0, 50, 100],
            "zeroline": True,
            "zerolinecolor": "#64748B",
            "showgrid": True,
            "gridcolor": "#EEF1F4",
        },
        # style_figure leaves room for one axis on the right: the answers need a little more.
        margin={"r": 70},
    )
    styled.update_xaxes(tickformat="%Y-%m")
    return styled


GROUPS_LABELS = {
    "title": "Predicted CLV held by each NPS group (€)",
    "x": "Predicted CLV",
    "y": "",
    "customers": "Customers",
    "share": "Share of the predicted CLV",
    "group.promoter": "Promoters (9–10)",
    "group.passive": "Passives (7–8)",
    "group.detractor": "Detractors (0–6)",
    "group.no answer": "Never answered",
}


def plot_clv_by_nps_group(
    frame: pd.DataFrame,
    *,
    labels: Mapping[str, str] | None = None,
    presentation: bool = False,
) -> go.Figure:
    """Horizontal bars of the predicted CLV held by promoters, passives, detractors and
    customers who never answered, each bar labelled with its share.

    Parameters
    ----------
    frame : :func:`clv.metrics.voice.clv_held_by_nps_group`: ``group``, ``customers``,
        ``predicted_clv``, ``share``.

    Returns
    -------
    Figure with one bar trace, one bar per group in :data:`clv.metrics.voice.NPS_GROUPS` order
    (top to bottom), coloured by :data:`GROUP_COLOURS`.
    """
    text = merge_labels(GROUPS_LABELS, labels)
    order = [g for g in NPS_GROUPS if g in set(frame["group"])]
    rows = frame.set_index("group").loc[order]
    names = [text.get(f"group.{g}", g) for g in order]
    shares = rows["share"].astype(float).to_numpy()
    fig = go.Figure(
        go.Bar(
            x=rows["predicted_clv"].astype(float),
            y=names,
            orientation="h",
            marker_color=[GROUP_COLOURS[g] for g in order],
            text=["" if np.isnan(s) else f"{100 * s:.0f} %" for s in shares],
            textposition="outside",
            textangle=0,
            cliponaxis=False,
            customdata=np.column_stack([rows["customers"], 100 * shares]).astype(float),
            hovertemplate=(
                "%{y}<br>"
                + f"{text['x']}: %{{x:,.0f}}<br>"
                + f"{text['customers']}: %{{customdata[0]:,.0f}}<br>"
                + f"{text['share']}: %{{customdata[1]:.1f}} %<extra></extra>"
            ),
        )
    )
    fig.update_yaxes(autorange="reversed")
    # Room on the right for the share written after the longest bar.
    longest = float(rows["predicted_clv"].max()) if len(rows) else 0.0
    if longest > 0:
        fig.update_xaxes(range=[0, 1.12 * longest])
    return style_figure(
        fig, text, presentation, legend=False, height=320 if not presentation else 440
    )


TICKETS_LABELS = {
    "title": "Support tickets by value tier",
    "x": "",
    "y": "",
    "per_customer": "Tickets per customer",
    "resolution": "Median resolution time (hours)",
    "tickets": "Tickets",
    "customers": "Customers",
    "open": "Open tickets",
}


def plot_tickets_by_tier(
    frame: pd.DataFrame,
    *,
    labels: Mapping[str, str] | None = None,
    presentation: bool = False,
) -> go.Figure:
    """Two panels of bars per tier: tickets per customer, and median resolution hours.

    Parameters
    ----------
    frame : :func:`clv.metrics.voice.tickets_by_tier`: ``tier``, ``customers``, ``tickets``,
        ``tickets_per_customer``, ``median_resolution_hours``, ``open_tickets``.

    Returns
    -------
    Figure with two bar traces (left panel: tickets per customer; right panel: median
    hours to resolve), one bar per tier in the frame's order, in tier colours.
    """
    text = merge_labels(TICKETS_LABELS, labels)
    tiers = frame["tier"].astype(str).tolist()
    names = [text.get(f"tier.{t}", t) for t in tiers]
    colours = [TIER_COLOURS.get(t, BAR_COLOUR) for t in tiers]
    customdata = np.column_stack(
        [frame["tickets"], frame["customers"], frame["open_tickets"]]
    ).astype(float)
    hover_counts = (
        f"{text['tickets']}: %{{customdata[0]:,.0f}}<br>"
        f"{text['customers']}: %{{customdata[1]:,.0f}}<br>"
        f"{text['open']}: %{{customdata[2]:,.0f}}<extra></extra>"
    )
    fig = make_subplots(rows=1, cols=2, subplot_titles=(text["per_customer"], text["resolution"]))
    fig.add_trace(
        go.Bar(
            x=names,
            y=frame["tickets_per_customer"].astype(float),
            name=text["per_customer"],
            marker_color=colours,
            customdata=customdata,
            hovertemplate=f"%{{x}}<br>{text['per_customer']}: %{{y:.3f}}<br>" + hover_counts,
        ),
        row=1,
        col=1,
    )
    fig.add_trace(
        go.Bar(
            x=names,
            y=frame["median_resolution_hours"].astype(float),
            name=text["resolution"],
            marker_color=colours,
            customdata=customdata,
            hovertemplate=f"%{{x}}<br>{text['resolution']}: %{{y:.1f}}<br>" + hover_counts,
        ),
        row=1,
        col=2,
    )
    fig.update_xaxes(type="category")
    fig.update_yaxes(rangemode="tozero")
    return style_figure(fig, text, presentation, legend=False)

"""Figures of the CLV page: DataFrame in, plotly Figure out (no display, no streamlit).

Every ``plot_*`` takes the frame that :mod:`clv.valuation.engine` computes and returns a
:class:`plotly.graph_objects.Figure` with a title that states its unit. Text comes from
``labels`` (the page passes its translated words; English defaults otherwise), so the
figures speak no language of their own. Keys common to every figure:

- ``title``, ``subtitle`` (optional), ``x``, ``y``: title and axis titles;
- ``tier.Platinum`` ... ``tier.Bronze``, ``tier.New``: tier names;
- ``separators``: plotly's decimal and thousands separators (``".,"`` English,
  ``", "`` French).

Colours are fixed: :data:`TIER_COLOURS` for tiers in every figure, :func:`channel_colours`
for acquisition channels, :data:`ACTUAL_COLOUR` / :data:`PREDICTED_COLOUR` for the
back-test. ``presentation=True`` enlarges the fonts for a meeting-room screen.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from clv.valuation.tiers import TIERS

#: One colour per tier, the same object in every figure.
TIER_COLOURS: dict[str, str] = {
    "Platinum": "#3E4C6D",
    "Gold": "#D4A72C",
    "Silver": "#9BA7B4",
    "Bronze": "#A8643A",
}
#: Colour of customers who were not yet customers at the previous date.
NEW_COLOUR = "#6BAF92"
#: Channel colours are drawn from this palette (Okabe-Ito and Tableau, colour-blind safe).
CHANNEL_PALETTE: tuple[str, ...] = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#F0E442",
    "#999999",
    "#8C564B",
    "#17BECF",
    "#BCBD22",
    "#7F7F7F",
)
ACTUAL_COLOUR = "#334155"
PREDICTED_COLOUR = "#E07A1F"
BAR_COLOUR = "#3E6FA3"

_FONT = {False: 13, True: 18}
_TITLE = {False: 17, True: 24}
_HEIGHT = {False: 420, True: 560}


def channel_colours(names: Iterable[Any]) -> dict[str, str]:
    """A colour per channel name, the same for a name whatever the order of the others.

    Each name (sorted) takes the palette colour at ``crc32(name) mod len(palette)``, or
    the next free one when that colour is taken, so two channels never share a colour
    until the palette is used up.
    """
    unique = sorted({str(n) for n in names})
    taken: set[int] = set()
    out: dict[str, str] = {}
    size = len(CHANNEL_PALETTE)
    for name in unique:
        slot = zlib.crc32(name.encode("utf-8")) % size
        for step in range(size):
            if (slot + step) % size not in taken:
                slot = (slot + step) % size
                break
        if len(taken) < size:
            taken.add(slot)
        out[name] = CHANNEL_PALETTE[slot]
    return out


def merge_labels(defaults: Mapping[str, str], labels: Mapping[str, str] | None) -> dict[str, str]:
    """A figure's English default texts overridden by the caller's ``labels``."""
    return {**defaults, **(labels or {})}


def tier_name(tier: str, labels: Mapping[str, str]) -> str:
    """The display name of ``tier`` from ``labels`` (``"tier.Gold"``), else the tier itself."""
    return labels.get(f"tier.{tier}", tier)


def style_figure(
    fig: go.Figure,
    labels: Mapping[str, str],
    presentation: bool,
    *,
    legend: bool = True,
    height: int | None = None,
) -> go.Figure:
    """Apply the shared look to ``fig``: white template, title (and subtitle) from
    ``labels``, fonts and height for normal or ``presentation`` screens, legend on top,
    the language's separators, axis titles ``labels["x"]`` / ``labels["y"]``."""
    title: dict[str, Any] = {"text": labels["title"], "font": {"size": _TITLE[presentation]}}
    if labels.get("subtitle"):
        title["subtitle"] = {"text": labels["subtitle"], "font": {"size": _FONT[presentation]}}
    fig.update_layout(
        template="plotly_white",
        title=title,
        font={"size": _FONT[presentation]},
        height=height or _HEIGHT[presentation],
        margin={"l": 60, "r": 30, "t": 100 if labels.get("subtitle") else 70, "b": 60},
        showlegend=legend,
        legend={
            "orientation": "h",
            "yanchor": "bottom",
            "y": 1.0,
            "xanchor": "right",
            "x": 1,
            "traceorder": "normal",
        },
        hoverlabel={"font": {"size": _FONT[presentation]}},
    )
    if labels.get("separators"):
        fig.update_layout(separators=labels["separators"])
    fig.update_xaxes(title_text=labels.get("x"))
    fig.update_yaxes(title_text=labels.get("y"))
    return fig


def _money(value: float) -> str:
    return f"{value:,.0f}"


# -- distribution -------------------------------------------------------------------------

DISTRIBUTION_LABELS = {
    "title": "Predicted CLV per customer",
    "x": "Predicted CLV",
    "y": "Customers",
    "clip_note": "The {count} customers above {value} ({share} of them) are counted in the "
    "last bar.",
}


def plot_clv_distribution(
    customers: pd.DataFrame,
    *,
    labels: Mapping[str, str] | None = None,
    clip_quantile: float = 0.99,
    bins: int = 40,
    presentation: bool = False,
    number_format: Callable[[float], str] = _money,
    count_format: Callable[[int], str] = "{:,}".format,
    percent_format: Callable[[float], str] = "{:.1%}".format,
) -> go.Figure:
    """Histogram of predicted CLV, stacked by tier, clipped at a high quantile.

    A few very valuable customers would stretch the axis until everyone else sits in
    one bar: values above the ``clip_quantile`` quantile are counted in the last bar
    and the subtitle says so (``labels["clip_note"]`` with ``{count}``, ``{value}`` and
    ``{share}``, formatted by ``count_format``, ``number_format`` and
    ``percent_format``).

    Parameters
    ----------
    customers : frame with ``clv`` and optionally ``tier``.

    Returns
    -------
    Figure with one histogram trace per tier present (one trace without ``tier``); the
    traces hold every customer once.
    """
    text = merge_labels(DISTRIBUTION_LABELS, labels)
    values = customers["clv"].astype(float)
    clip = float(values.quantile(clip_quantile)) if len(values) else 0.0
    above = int((values > clip).sum())
    if above and "subtitle" not in (labels or {}):
        text["subtitle"] = text["clip_note"].format(
            count=count_format(above),
            value=number_format(clip),
            share=percent_format(above / len(values)),
        )
    shown = values.clip(upper=clip)
    size = clip / bins if clip > 0 else 1.0
    xbins = {"start": 0.0, "end": clip + size, "size": size}
    fig = go.Figure()
    if "tier" in customers.columns:
        tier = customers["tier"].astype(str)
        for name in TIERS:
            mask = (tier == name).to_numpy()
            if not mask.any():
                continue
            fig.add_trace(
                go.Histogram(
                    x=shown[mask],
                    name=tier_name(name, text),
                    marker_color=TIER_COLOURS[name],
                    xbins=xbins,
                    autobinx=False,
                )
            )
    else:
        fig.add_trace(go.Histogram(x=shown, marker_color=BAR_COLOUR, xbins=xbins, autobinx=False))
    fig.update_layout(barmode="stack", bargap=0.05)
    return style_figure(fig, text, presentation, legend="tier" in customers.columns)


# -- by cohort and by channel ---------------------------------------------------------------

COHORT_LABELS = {
    "title": "Average predicted CLV by month of first order",
    "x": "Month of first order",
    "y": "Average predicted CLV",
    "customers": "Customers",
    "total": "Total predicted CLV",
}


def plot_clv_by_cohort(
    by_cohort: pd.DataFrame,
    *,
    labels: Mapping[str, str] | None = None,
    presentation: bool = False,
) -> go.Figure:
    """Bars of the average predicted CLV per acquisition month.

    Parameters
    ----------
    by_cohort : :func:`clv.valuation.engine.group_values` by ``cohort``: ``cohort`` (month
        start), ``customers``, ``total_clv``, ``average_clv``.

    Returns
    -------
    Figure with one bar trace, one bar per month; the hover gives the customers and
    the total.
    """
    text = merge_labels(COHORT_LABELS, labels)
    fig = go.Figure(
        go.Bar(
            x=pd.to_datetime(by_cohort["cohort"]),
            y=by_cohort["average_clv"],
            marker_color=BAR_COLOUR,
            customdata=np.column_stack([by_cohort["customers"], by_cohort["total_clv"]]),
            hovertemplate=(
                "%{x|%Y-%m}<br>"
                + f"{text['y']}: %{{y:,.2f}}<br>"
                + f"{text['customers']}: %{{customdata[0]:,.0f}}<br>"
                + f"{text['total']}: %{{customdata[1]:,.0f}}<extra></extra>"
            ),
        )
    )
    fig.update_xaxes(tickformat="%Y-%m")
    return style_figure(fig, text, presentation, legend=False)


CHANNEL_LABELS = {
    "title": "Average predicted CLV by acquisition channel",
    "x": "Average predicted CLV",
    "y": "",
    "customers": "Customers",
    "total": "Total predicted CLV",
}


def plot_clv_by_channel(
    by_channel: pd.DataFrame,
    *,
    labels: Mapping[str, str] | None = None,
    presentation: bool = False,
) -> go.Figure:
    """Horizontal bars of the average predicted CLV per acquisition channel.

    Parameters
    ----------
    by_channel : :func:`clv.valuation.engine.group_values` by ``acquisition_channel``.

    Returns
    -------
    Figure with one bar trace, one bar per channel (highest average on top), each in
    its :func:`channel_colours` colour; the hover gives the customers and the total.
    """
    text = merge_labels(CHANNEL_LABELS, labels)
    frame = by_channel.sort_values("average_clv", kind="stable")
    names = frame["acquisition_channel"].astype(str)
    colours = channel_colours(names)
    fig = go.Figure(
        go.Bar(
            x=frame["average_clv"],
            y=names,
            orientation="h",
            marker_color=[colours[n] for n in names],
            customdata=np.column_stack([frame["customers"], frame["total_clv"]]),
            text=[f"n = {c:,}" for c in frame["customers"]],
            textposition="auto",
            hovertemplate=(
                "%{y}<br>"
                + f"{text['x']}: %{{x:,.2f}}<br>"
                + f"{text['customers']}: %{{customdata[0]:,.0f}}<br>"
                + f"{text['total']}: %{{customdata[1]:,.0f}}<extra></extra>"
            ),
        )
    )
    height = max(_HEIGHT[presentation], 120 + 45 * len(frame))
    return style_figure(fig, text, presentation, legend=False, height=height)


# -- tiers ----------------------------------------------------------------------------------

TIER_LABELS = {
    "title": "Value tiers: share of customers, of predicted value and of revenue to date",
    "x": "Share (%)",
    "y": "",
    "customers": "Customers",
    "value": "Predicted value",
    "revenue": "Revenue to date",
}


def plot_tiers(
    tier_table: pd.DataFrame,
    *,
    labels: Mapping[str, str] | None = None,
    presentation: bool = False,
) -> go.Figure:
    """Three 100 % stacked bars: customers, predicted CLV and revenue to date by tier.

    Parameters
    ----------
    tier_table : :func:`clv.valuation.tiers.tier_table` (indexed by tier, with
        ``customer_share``, ``clv_share``, ``revenue_share``).

    Returns
    -------
    Figure with one bar trace per tier (Platinum to Bronze, :data:`TIER_COLOURS`), each
    with three bars in percent.
    """
    text = merge_labels(TIER_LABELS, labels)
    rows = [text["customers"], text["value"], text["revenue"]]
    fig = go.Figure()
    for tier in TIERS:
        shares = [
            100 * float(tier_table.loc[tier, column]) if tier in tier_table.index else 0.0
            for column in ("customer_share", "clv_share", "revenue_share")
        ]
        fig.add_trace(
            go.Bar(
                x=shares,
                y=rows,
                orientation="h",
                name=tier_name(tier, text),
                marker_color=TIER_COLOURS[tier],
                text=[f"{s:.0f} %" if s >= 4 else "" for s in shares],
                textposition="inside",
                insidetextanchor="middle",
                hovertemplate=f"{tier_name(tier, text)}<br>%{{y}}: %{{x:.1f}} %<extra></extra>",
            )
        )
    fig.update_layout(barmode="stack")
    fig.update_xaxes(range=[0, 100])
    fig.update_yaxes(autorange="reversed")
    return style_figure(fig, text, presentation, height=300 if not presentation else 400)


MOVEMENT_LABELS = {
    "title": "Customers moving between tiers",
    "x": "Tier now",
    "y": "Tier before",
}


def plot_tier_movements(
    movements: pd.DataFrame,
    *,
    labels: Mapping[str, str] | None = None,
    presentation: bool = False,
) -> go.Figure:
    """Heatmap of customer counts from the previous tier (rows) to the current one.

    Parameters
    ----------
    movements : :func:`clv.valuation.tiers.tier_movements` (rows Platinum..Bronze and New,
        columns Platinum..Bronze).

    Returns
    -------
    Figure with one heatmap trace whose cells are labelled with their counts.
    """
    text = merge_labels(MOVEMENT_LABELS, labels)
    z = movements.to_numpy(dtype=float)
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=[tier_name(str(c), text) for c in movements.columns],
            y=[tier_name(str(i), text) for i in movements.index],
            text=movements.to_numpy(),
            texttemplate="%{text:,}",
            colorscale="Blues",
            showscale=False,
            hovertemplate=f"{text['y']}: %{{y}}<br>{text['x']}: %{{x}}<br>%{{z:,.0f}}<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed")
    return style_figure(
        fig, text, presentation, legend=False, height=400 if not presentation else 520
    )


# -- back-test ------------------------------------------------------------------------------

TRACKING_LABELS = {
    "title": "Repeat purchases of the calibration customers, cumulative",
    "x": "",
    "y": "Repeat purchases",
    "actual": "Actual",
    "predicted": "Predicted",
    "calibration_end": "End of calibration",
}


def plot_tracking(
    tracking: pd.DataFrame,
    *,
    calibration_end: Any = None,
    labels: Mapping[str, str] | None = None,
    presentation: bool = False,
) -> go.Figure:
    """Cumulative actual and predicted repeat purchases, with the calibration end marked.

    Parameters
    ----------
    tracking : :func:`clv.valuation.models.cumulative_purchases` (``date``, ``actual``,
        ``predicted``).
    calibration_end : where the hidden (holdout) period starts; a dashed vertical line.

    Returns
    -------
    Figure with two line traces (actual, predicted), one point per row of ``tracking``.
    """
    text = merge_labels(TRACKING_LABELS, labels)
    dates = pd.to_datetime(tracking["date"])
    fig = go.Figure(
        [
            go.Scatter(
                x=dates,
                y=tracking["actual"],
                name=text["actual"],
                mode="lines",
                line={"color": ACTUAL_COLOUR, "width": 2.5},
                hovertemplate="%{x|%Y-%m-%d}: %{y:,.0f}<extra>" + text["actual"] + "</extra>",
            ),
            go.Scatter(
                x=dates,
                y=tracking["predicted"],
                name=text["predicted"],
                mode="lines",
                line={"color": PREDICTED_COLOUR, "width": 2.5, "dash": "dash"},
                hovertemplate="%{x|%Y-%m-%d}: %{y:,.0f}<extra>" + text["predicted"] + "</extra>",
            ),
        ]
    )
    if calibration_end is not None:
        # A shape and an annotation rather than add_vline, whose label cannot be placed
        # on a date axis.
        x = pd.Timestamp(calibration_end)
        fig.add_shape(
            type="line",
            x0=x,
            x1=x,
            y0=0,
            y1=1,
            xref="x",
            yref="paper",
            line={"color": "#64748B", "dash": "dot", "width": 1.5},
        )
        fig.add_annotation(
            x=x,
            y=1,
            xref="x",
            yref="paper",
            text=text["calibration_end"],
            showarrow=False,
            xanchor="right",
            yanchor="top",
            xshift=-4,
            font={"color": "#475569"},
        )
    return style_figure(fig, text, presentation)


FREQUENCY_LABELS = {
    "title": "Purchases in the hidden period, by purchases in calibration (mean per customer)",
    "x": "Repeat purchases in the calibration period",
    "y": "Purchases per customer in the hidden period",
    "actual": "Actual",
    "predicted": "Predicted",
    "customers": "Customers",
}


def plot_holdout_by_frequency(
    by_frequency: pd.DataFrame,
    *,
    labels: Mapping[str, str] | None = None,
    presentation: bool = False,
) -> go.Figure:
    """Actual and predicted mean holdout purchases per calibration frequency.

    Parameters
    ----------
    by_frequency : ``HoldoutResult.by_frequency`` (``frequency_cal``, ``customers``,
        ``actual_mean``, ``predicted_mean``); its last bucket holds that many repeat
        purchases *or more* and is labelled ``"7+"``.

    Returns
    -------
    Figure with two grouped bar traces (actual, predicted), one bar per bucket.
    """
    text = merge_labels(FREQUENCY_LABELS, labels)
    buckets = by_frequency["frequency_cal"].astype(int).tolist()
    names = [str(b) for b in buckets]
    if names:
        names[-1] = f"{buckets[-1]}+"
    customers = by_frequency["customers"].to_numpy()
    fig = go.Figure(
        [
            go.Bar(
                x=names,
                y=by_frequency["actual_mean"],
                name=text["actual"],
                marker_color=ACTUAL_COLOUR,
                customdata=customers,
                hovertemplate=f"%{{x}}: %{{y:.2f}}<br>{text['customers']}: "
                "%{customdata:,}<extra>" + text["actual"] + "</extra>",
            ),
            go.Bar(
                x=names,
                y=by_frequency["predicted_mean"],
                name=text["predicted"],
                marker_color=PREDICTED_COLOUR,
                customdata=customers,
                hovertemplate=f"%{{x}}: %{{y:.2f}}<br>{text['customers']}: "
                "%{customdata:,}<extra>" + text["predicted"] + "</extra>",
            ),
        ]
    )
    fig.update_layout(barmode="group")
    fig.update_xaxes(type="category")
    return style_figure(fig, text, presentation)

"""Figures of the health page: DataFrame in, plotly Figure out (no display, no streamlit).

Every ``plot_*`` takes a frame of :mod:`clv.risk.health` or :mod:`clv.risk.model` and returns a
:class:`plotly.graph_objects.Figure` whose title states its unit. Words come from
``labels`` merged over the English defaults of each figure (keys ``title``, ``subtitle``,
``x``, ``y``, ``separators`` as in :mod:`clv.charts.common`, plus ``band.<band>``,
``signal.<signal>`` and ``model.<model>`` names and the keys of each default dict).
Colours are fixed: health bands in :data:`BAND_COLOURS`, models in :data:`MODEL_COLOURS`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from clv.charts.common import ACTUAL_COLOUR, BAR_COLOUR, merge_labels, style_figure
from clv.risk.health import BANDS, HEALTHY_FROM, SIGNALS, WATCH_FROM, band
from clv.risk.model import MODEL_LABELS

#: One colour per health band (Okabe-Ito green, orange and vermilion: colour-blind safe).
BAND_COLOURS: dict[str, str] = {
    "healthy": "#009E73",
    "watch": "#E69F00",
    "at risk": "#D55E00",
}
#: One colour per risk model; the baselines in greys and blue-grey, the candidates in colour.
MODEL_COLOURS: dict[str, str] = {
    "recency": "#7F7F7F",
    "logistic": "#0072B2",
    "boosting": "#CC79A7",
    "mbgnbd": "#56B4E9",
    "pareto": "#56B4E9",
}
#: Colour of the points a signal could give and did not.
LOST_COLOUR = "#E5E7EB"
#: Width of a bar of the distribution, in health points (45 and 75 are multiples of it).
BIN_WIDTH = 5.0

_BAND_NAMES = {"healthy": "Healthy", "watch": "To watch", "at risk": "At risk"}
_SIGNAL_NAMES = {
    "recency": "Recency",
    "activity": "Activity (P(alive))",
    "frequency": "Repeat purchases",
    "monetary_trend": "Spending trend",
    "tenure": "Tenure",
    "tickets": "Support tickets",
    "refunds": "Refunds",
    "nps": "NPS",
}


def _band_name(key: str, text: Mapping[str, str]) -> str:
    return text.get(f"band.{key}", _BAND_NAMES.get(key, key))


def _signal_name(key: str, text: Mapping[str, str]) -> str:
    return text.get(f"signal.{key}", _SIGNAL_NAMES.get(key, key))


def _model_name(key: str, text: Mapping[str, str]) -> str:
    return text.get(f"model.{key}", MODEL_LABELS.get(key, key))


# -- distribution ---------------------------------------------------------------------------


def health_histogram(health: pd.Series, width: float = BIN_WIDTH) -> pd.DataFrame:
    """Customers per bin of the health score, each bin in one band.

    Parameters
    ----------
    health : health score (0-100) per customer (``health_scores(...)["health"]``).
    width : bin width in points; 100 should be a multiple of it (the last bin holds 100).

    Returns
    -------
    DataFrame, one row per bin from 0 to 100 (empty bins included): ``lower``, ``upper``
    (the bin is ``[lower, upper)``, the last one ``[lower, 100]``), ``band`` (the band of
    ``lower``; with the default width every score of a bin has that band) and
    ``customers``.
    """
    if not width > 0:
        raise ValueError(f"The bin width {width!r} must be a positive number of points.")
    bins = math.ceil(100.0 / width)
    lower = np.arange(bins) * width
    values = pd.to_numeric(health, errors="coerce").dropna().to_numpy(dtype=float)
    position = np.clip(np.floor(values / width), 0, bins - 1).astype(int)
    counts = np.bincount(position, minlength=bins)
    return pd.DataFrame(
        {
            "lower": lower,
            "upper": np.minimum(lower + width, 100.0),
            "band": [band(float(x)) for x in lower],
            "customers": counts.astype(np.int64),
        }
    )


DISTRIBUTION_LABELS = {
    "title": "Health score distribution (customers per 5 points)",
    "x": "Health score (0-100)",
    "y": "Customers",
    "threshold": "{band} from {value}",
}


def plot_health_distribution(
    histogram: pd.DataFrame,
    labels: Mapping[str, str] | None = None,
    presentation: bool = False,
) -> go.Figure:
    """Bars of customers per bin of the health score, coloured by band.

    Parameters
    ----------
    histogram : :func:`health_histogram` (``lower``, ``upper``, ``band``,
        ``customers``).
    labels : words over :data:`DISTRIBUTION_LABELS`, and ``band.<band>`` names;
        ``threshold`` (placeholders ``{band}``, ``{value}``) names the dotted lines at
        the band limits.

    Returns
    -------
    Figure with one bar trace per band of :data:`clv.risk.health.BANDS` present in
    ``histogram`` (healthy first), bars centred on their bin and as wide as it, and two
    dotted vertical lines at :data:`clv.risk.health.WATCH_FROM` and
    :data:`clv.risk.health.HEALTHY_FROM`.
    """
    text = merge_labels(DISTRIBUTION_LABELS, labels)
    fig = go.Figure()
    for key in BANDS:
        rows = histogram[histogram["band"] == key]
        if rows.empty:
            continue
        lower = rows["lower"].astype(float).to_numpy()
        upper = rows["upper"].astype(float).to_numpy()
        fig.add_trace(
            go.Bar(
                x=(lower + upper) / 2,
                y=rows["customers"].astype(int).to_numpy(),
                width=upper - lower,
                name=_band_name(key, text),
                marker={"color": BAND_COLOURS[key], "line": {"color": "white", "width": 1}},
                customdata=np.column_stack([lower, upper]),
                hovertemplate="%{customdata[0]:.0f}-%{customdata[1]:.0f}: %{y:,} "
                + text["y"].lower()
                + "<extra>%{fullData.name}</extra>",
            )
        )
    for key, value in (("watch", WATCH_FROM), ("healthy", HEALTHY_FROM)):
        fig.add_vline(
            x=value,
            line={"color": ACTUAL_COLOUR, "dash": "dot", "width": 1},
            annotation_text=text["threshold"].format(
                band=_band_name(key, text), value=f"{value:.0f}"
            ),
            annotation_position="top right",
            # Inside the plot, under the legend that sits on its top edge.
            annotation_yshift=-18,
        )
    fig.update_layout(bargap=0, barmode="overlay")
    fig.update_xaxes(range=[0, 100], dtick=10)
    # Headroom for the labels of the limits above the tallest bar.
    tallest = float(histogram["customers"].max()) if len(histogram) else 0.0
    fig.update_yaxes(range=[0, max(tallest, 1.0) * 1.18])
    return style_figure(fig, text, presentation)


# -- why this score ---------------------------------------------------------------------------

BREAKDOWN_LABELS = {
    "title": "Why this score: points per signal (out of 100)",
    "x": "Points",
    "y": "",
    "points": "Points earned",
    "lost": "Points missed",
    "unknown": "unknown, counted as half",
}


def plot_health_breakdown(
    breakdown: pd.DataFrame,
    labels: Mapping[str, str] | None = None,
    presentation: bool = False,
) -> go.Figure:
    """Horizontal stacked bars: the points each signal gave, and the points it missed.

    Parameters
    ----------
    breakdown : :func:`clv.risk.health.health_breakdown` (``signal``, ``unknown``,
        ``max_points``, ``points``, ``points_lost``), any row order.
    labels : words over :data:`BREAKDOWN_LABELS`, and ``signal.<signal>`` names.

    Returns
    -------
    Figure with two bar traces, ``points`` (earned) then ``lost`` (missed), one bar per
    signal in the order of :data:`clv.risk.health.SIGNALS` from top to bottom; a bar's full
    length is the signal's maximum points. Signals that were unknown are hatched and
    say so in the hover.
    """
    text = merge_labels(BREAKDOWN_LABELS, labels)
    order = {key: i for i, key in enumerate(SIGNALS)}
    rows = breakdown.sort_values(
        "signal", key=lambda s: s.map(order).fillna(len(order)), kind="stable"
    ).iloc[::-1]
    names = [_signal_name(str(key), text) for key in rows["signal"]]
    unknown = rows["unknown"].astype(bool).to_numpy()
    notes = [f" ({text['unknown']})" if u else "" for u in unknown]
    points = rows["points"].astype(float).to_numpy()
    lost = rows["points_lost"].astype(float).to_numpy()
    maximum = rows["max_points"].astype(float).to_numpy()
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            y=names,
            x=points,
            orientation="h",
            name=text["points"],
            marker={
                "color": BAR_COLOUR,
                "pattern": {"shape": ["/" if u else "" for u in unknown]},
            },
            customdata=np.column_stack([maximum, notes]),
            hovertemplate="%{y}: %{x:.1f} / %{customdata[0]:.1f}%{customdata[1]}<extra></extra>",
        )
    )
    fig.add_trace(
        go.Bar(
            y=names,
            x=lost,
            orientation="h",
            name=text["lost"],
            marker={"color": LOST_COLOUR},
            hovertemplate="%{y}: %{x:.1f}<extra>" + text["lost"] + "</extra>",
        )
    )
    fig.update_layout(barmode="stack")
    return style_figure(fig, text, presentation)


# -- model comparison ---------------------------------------------------------------------------

CALIBRATION_LABELS = {
    "title": "Calibration: predicted risk against observed churn, per decile (%)",
    "x": "Mean predicted risk (%)",
    "y": "Customers who placed no order (%)",
    "diagonal": "Perfect calibration",
    "chosen": "chosen",
    "decile": "Decile",
}


def plot_calibration(
    calibration: pd.DataFrame,
    labels: Mapping[str, str] | None = None,
    presentation: bool = False,
    *,
    chosen: str | None = None,
) -> go.Figure:
    """One line per model: observed churn against mean predicted risk per decile.

    Parameters
    ----------
    calibration : ``RiskEvaluation.calibration`` (``model``, ``bin``, ``customers``,
        ``predicted``, ``observed``; shares 0-1).
    labels : words over :data:`CALIBRATION_LABELS`, and ``model.<model>`` names.
    chosen : key of the chosen model: its line is thicker and its name says ``chosen``.

    Returns
    -------
    Figure with a dotted diagonal trace (0 to 100, the perfect calibration) first, then
    one line-and-markers trace per model in order of first appearance, x and y in
    percent, points in order of ``bin``.
    """
    text = merge_labels(CALIBRATION_LABELS, labels)
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=[0, 100],
            y=[0, 100],
            mode="lines",
            name=text["diagonal"],
            line={"color": ACTUAL_COLOUR, "dash": "dot", "width": 1},
            hoverinfo="skip",
        )
    )
    for model in pd.unique(calibration["model"]):
        rows = calibration[calibration["model"] == model].sort_values("bin")
        name = _model_name(str(model), text)
        is_chosen = model == chosen
        if is_chosen:
            name = f"{name} ({text['chosen']})"
        fig.add_trace(
            go.Scatter(
                x=100 * rows["predicted"].astype(float).to_numpy(),
                y=100 * rows["observed"].astype(float).to_numpy(),
                mode="lines+markers",
                name=name,
                line={
                    "color": MODEL_COLOURS.get(str(model), BAR_COLOUR),
                    "width": 4 if is_chosen else 2,
                },
                customdata=rows[["bin", "customers"]].to_numpy(),
                hovertemplate=text["decile"] + " %{customdata[0]}: %{x:.1f} % → %{y:.1f} % "
                "(n = %{customdata[1]:,})<extra>%{fullData.name}</extra>",
            )
        )
    # A little margin so that points at 0 or 100 % are not cut in half.
    fig.update_xaxes(range=[-2, 102])
    fig.update_yaxes(range=[-2, 102])
    return style_figure(fig, text, presentation)

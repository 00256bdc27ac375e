"""Figures of the retention page: DataFrame in, plotly Figure out (no display, no streamlit).

Every ``plot_*`` takes a frame computed by :mod:`clv.metrics.retention` and returns a
:class:`plotly.graph_objects.Figure` whose title states its unit. Words come from
``labels`` (the page passes its translated words; the English defaults below otherwise),
with the keys shared by every figure of :mod:`clv.charts.common` (``title``, ``subtitle``, ``x``,
``y``, ``tier.<name>``, ``separators``). Tiers keep :data:`clv.charts.common.TIER_COLOURS` and
channels :func:`clv.charts.common.channel_colours`, as on every other page.

:func:`pooled_retention` and :func:`retention_matrix` reshape the same frames for the
page's tiles and for the heatmap.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.colors import sample_colorscale

from clv.charts.common import (
    BAR_COLOUR,
    TIER_COLOURS,
    channel_colours,
    merge_labels,
    style_figure,
    tier_name,
)
from clv.formatting import format_month
from clv.valuation.tiers import TIERS

#: Colour of the survival curve of customers whose acquisition channel is unknown.
UNKNOWN_COLOUR = "#6B7280"
#: Dashed line of the overall churn rate across the cohort bars.
OVERALL_COLOUR = "#334155"

_HEIGHT = {False: 420, True: 560}
_ROW = {False: 22, True: 30}


def _month(value: Any) -> str:
    return format_month(value)


# -- reshaping for the tiles and the heatmap ------------------------------------------------


def retention_matrix(retention: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
    """The heatmap's grid: one row per cohort, one column per month since the first order.

    Parameters
    ----------
    retention : :func:`clv.metrics.retention.cohort_retention`.

    Returns
    -------
    ``(matrix, sizes)``: ``matrix`` holds ``retention`` (0..1) indexed by ``cohort_month``
    (oldest first) with integer columns ``0..max month``, NaN where the month is not yet
    fully observed; ``sizes`` is ``customers_in_cohort`` on the same index.
    """
    if retention.empty:
        return pd.DataFrame(dtype=float), pd.Series(dtype=np.int64)
    frame = retention.assign(cohort_month=pd.to_datetime(retention["cohort_month"]))
    matrix = frame.pivot(index="cohort_month", columns="months_since_first", values="retention")
    matrix = matrix.reindex(columns=range(int(frame["months_since_first"].max()) + 1))
    matrix = matrix.sort_index().astype(float)
    matrix.columns.name = None
    sizes = frame.groupby("cohort_month")["customers_in_cohort"].max().reindex(matrix.index)
    return matrix, sizes.astype(np.int64)


# -- heatmap ---------------------------------------------------------------------------------

HEATMAP_LABELS = {
    "title": "Retention by monthly cohort (% of the cohort ordering in the month)",
    "x": "Months since the first order",
    "y": "Cohort (month of first order)",
    "cohort": "{month} (n = {size})",
    "retention": "Ordering in the month",
    "active": "Customers ordering",
    "customers": "Customers in the cohort",
}


def plot_retention_heatmap(
    retention: pd.DataFrame,
    *,
    labels: Mapping[str, str] | None = None,
    presentation: bool = False,
    count_format: Callable[[int], str] = "{:,}".format,
) -> go.Figure:
    """Cohorts (rows, oldest on top) × months since the first order (columns), coloured
    by the share of the cohort that orders in that month.

    Month 0 is 100 % by construction: the colour scale stops at the highest later month
    so that months 1, 2, … can be told apart (month 0 shows in the darkest colour). Cells
    not yet fully observed stay blank. Each row is labelled with its cohort size
    (``labels["cohort"]`` with ``{month}`` and ``{size}``, sizes through ``count_format``).

    Parameters
    ----------
    retention : :func:`clv.metrics.retention.cohort_retention`.

    Returns
    -------
    Figure with one heatmap trace: ``z`` in percent (NaN where unobserved), ``x`` the
    months ``0..max``, ``y`` the row labels; each cell's text is its rounded percent.
    """
    text = merge_labels(HEATMAP_LABELS, labels)
    matrix, sizes = retention_matrix(retention)
    z = matrix.to_numpy(dtype=float) * 100
    rows = [
        text["cohort"].format(month=_month(month), size=count_format(int(size)))
        for month, size in sizes.items()
    ]
    later = z[:, 1:] if z.shape[1] > 1 else np.empty((0, 0))
    top = float(np.nanmax(later)) if later.size and not np.isnan(later).all() else 100.0
    cell_text = np.where(np.isnan(z), "", np.vectorize(lambda v: f"{v:.0f}")(np.nan_to_num(z)))
    active = (
        retention.assign(cohort_month=pd.to_datetime(retention["cohort_month"]))
        .pivot(index="cohort_month", columns="months_since_first", values="active_customers")
        .reindex(index=matrix.index, columns=matrix.columns)
        .to_numpy(dtype=float)
        if not retention.empty
        else np.empty((0, 0))
    )
    customdata = np.dstack([active, np.broadcast_to(sizes.to_numpy()[:, None], z.shape)])
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=list(matrix.columns),
            y=rows,
            text=cell_text,
            texttemplate="%{text}",
            customdata=customdata,
            colorscale="Blues",
            zmin=0,
            zmax=max(top, 1.0),
            xgap=1,
            ygap=1,
            colorbar={"ticksuffix": " %"},
            hoverongaps=False,
            hovertemplate=(
                "%{y}<br>"
                + f"{text['x']}: %{{x}}<br>"
                + f"{text['retention']}: %{{z:.1f}} %<br>"
                + f"{text['active']}: %{{customdata[0]:,.0f}}<br>"
                + f"{text['customers']}: %{{customdata[1]:,.0f}}<extra></extra>"
            ),
        )
    )
    fig.update_xaxes(dtick=1, side="top")
    fig.update_yaxes(autorange="reversed", type="category")
    height = max(_HEIGHT[presentation], 160 + _ROW[presentation] * len(rows))
    fig = style_figure(fig, text, presentation, legend=False, height=height)
    # The axis sits on top, under the title: more room there, less at the bottom.
    top_margin = fig.layout.margin.t + 40
    fig.update_layout(margin={"t": top_margin, "b": 30})
    return fig


# -- cumulative margin -----------------------------------------------------------------------

MARGIN_LABELS = {
    "title": "Cumulative gross margin per customer by cohort (currency)",
    "x": "Months since the first order",
    "y": "Cumulative margin per customer",
    "cohort": "Cohort",
    "customers": "Customers in the cohort",
}


def plot_cumulative_margin(
    margin: pd.DataFrame,
    *,
    labels: Mapping[str, str] | None = None,
    presentation: bool = False,
) -> go.Figure:
    """One curve per cohort: cumulative gross margin per customer, month by month.

    Cohorts are coloured along one sequential scale (oldest dark, youngest light), so
    that a later cohort climbing faster stands out. A month whose margin is unknown
    (NaN) breaks the curve rather than drawing a false zero.

    Parameters
    ----------
    margin : :func:`clv.metrics.retention.cumulative_margin_by_cohort` (``cohort_month``,
        ``months_since_first``, ``customers_in_cohort``,
        ``cumulative_margin_per_customer``).

    Returns
    -------
    Figure with one line trace per cohort (oldest first), named ``YYYY-MM``.
    """
    text = merge_labels(MARGIN_LABELS, labels)
    frame = margin.assign(cohort_month=pd.to_datetime(margin["cohort_month"]))
    cohorts = sorted(frame["cohort_month"].unique())
    positions = np.linspace(0.0, 0.85, len(cohorts)) if len(cohorts) > 1 else [0.0]
    colours = sample_colorscale("Viridis", list(positions)) if cohorts else []
    fig = go.Figure()
    for cohort, colour in zip(cohorts, colours, strict=True):
        rows = frame[frame["cohort_month"] == cohort].sort_values("months_since_first")
        name = _month(cohort)
        size = int(rows["customers_in_cohort"].iloc[0])
        fig.add_trace(
            go.Scatter(
                x=rows["months_since_first"],
                y=rows["cumulative_margin_per_customer"],
                name=name,
                mode="lines+markers" if len(rows) == 1 else "lines",
                line={"color": colour, "width": 2},
                connectgaps=False,
                customdata=np.full(len(rows), size),
                hovertemplate=(
                    f"{text['cohort']} {name} ({text['customers']}: %{{customdata:,.0f}})<br>"
                    + f"{text['x']}: %{{x}}<br>{text['y']}: %{{y:,.2f}}<extra></extra>"
                ),
            )
        )
    fig.update_xaxes(rangemode="tozero")
    fig.update_yaxes(rangemode="tozero")
    fig = style_figure(fig, text, presentation)
    # Dozens of cohorts: a column of names on the right reads better than rows on top.
    fig.update_layout(legend={"orientation": "v", "y": 1, "yanchor": "top", "x": 1.02})
    return fig


# -- churn -----------------------------------------------------------------------------------

CHURN_COHORT_LABELS = {
    "title": "Churn rate by cohort (% of the customers judged)",
    "x": "Cohort (month of first order)",
    "y": "Churn rate (%)",
    "churned": "Churned",
    "customers": "Customers judged",
    "overall": "All cohorts",
}


def plot_churn_by_cohort(
    rates: pd.DataFrame,
    *,
    overall: float | None = None,
    labels: Mapping[str, str] | None = None,
    presentation: bool = False,
) -> go.Figure:
    """Bars of the churn rate of each monthly cohort, and the overall rate as a line.

    Parameters
    ----------
    rates : :func:`clv.metrics.retention.churn_rates` with ``by="cohort"`` (``group`` = cohort
        month, ``customers``, ``churned``, ``churn_rate``).
    overall : the rate over every cohort (0..1), drawn as a dashed horizontal line.

    Returns
    -------
    Figure with one bar trace (percent, one bar per cohort) and, with ``overall``, a
    line trace named ``labels["overall"]``.
    """
    text = merge_labels(CHURN_COHORT_LABELS, labels)
    months = pd.to_datetime(rates["group"])
    fig = go.Figure(
        go.Bar(
            x=months,
            y=rates["churn_rate"].astype(float) * 100,
            marker_color=BAR_COLOUR,
            name=text["y"],
            showlegend=False,
            customdata=np.column_stack([rates["churned"], rates["customers"]]),
            hovertemplate=(
                "%{x|%Y-%m}: %{y:.1f} %<br>"
                + f"{text['churned']}: %{{customdata[0]:,.0f}} / "
                + f"{text['customers']}: %{{customdata[1]:,.0f}}<extra></extra>"
            ),
        )
    )
    if overall is not None and len(months):
        span = [months.min() - pd.Timedelta(days=15), months.max() + pd.Timedelta(days=15)]
        fig.add_trace(
            go.Scatter(
                x=span,
                y=[overall * 100] * 2,
                mode="lines",
                name=text["overall"],
                line={"color": OVERALL_COLOUR, "dash": "dash", "width": 1.5},
                hovertemplate=f"{text['overall']}: %{{y:.1f}} %<extra></extra>",
            )
        )
    fig.update_xaxes(tickformat="%Y-%m")
    fig.update_yaxes(range=[0, 100], ticksuffix=" %")
    return style_figure(fig, text, presentation, legend=overall is not None)


CHURN_TIER_LABELS = {
    "title": "Churn rate by value tier (% of the customers judged)",
    "x": "",
    "y": "Churn rate (%)",
    "churned": "Churned",
    "customers": "Customers judged",
}


def plot_churn_by_tier(
    rates: pd.DataFrame,
    *,
    labels: Mapping[str, str] | None = None,
    presentation: bool = False,
    count_format: Callable[[int], str] = "{:,}".format,
) -> go.Figure:
    """Bars of the churn rate of each value tier, Platinum to Bronze, in the tier colours.

    Parameters
    ----------
    rates : :func:`clv.metrics.retention.churn_rates` with ``by="tier"`` (``group`` = tier name).

    Returns
    -------
    Figure with one bar trace; bars in tier order with :data:`clv.charts.common.TIER_COLOURS`,
    each labelled with its customers judged (``n = …`` through ``count_format``).
    """
    text = merge_labels(CHURN_TIER_LABELS, labels)
    order = {tier: i for i, tier in enumerate(TIERS)}
    frame = rates.iloc[
        rates["group"].map(lambda g: order.get(str(g), len(order))).argsort(kind="stable")
    ]
    tiers = frame["group"].astype(str).tolist()
    fig = go.Figure(
        go.Bar(
            x=[tier_name(t, text) for t in tiers],
            y=frame["churn_rate"].astype(float) * 100,
            marker_color=[TIER_COLOURS.get(t, BAR_COLOUR) for t in tiers],
            text=[f"n = {count_format(int(c))}" for c in frame["customers"]],
            textposition="auto",
            customdata=np.column_stack([frame["churned"], frame["customers"]]),
            hovertemplate=(
                "%{x}: %{y:.1f} %<br>"
                + f"{text['churned']}: %{{customdata[0]:,.0f}} / "
                + f"{text['customers']}: %{{customdata[1]:,.0f}}<extra></extra>"
            ),
        )
    )
    fig.update_yaxes(range=[0, 100], ticksuffix=" %")
    return style_figure(fig, text, presentation, legend=False)


# -- survival --------------------------------------------------------------------------------

SURVIVAL_LABELS = {
    "title": "Share of customers still active, by days since the first order (%)",
    "x": "Days since the first order",
    "y": "Still active (%)",
    "at_risk": "Customers still followed",
    "unknown": "Unknown channel",
}


def plot_survival(
    curves: pd.DataFrame,
    *,
    by: str = "channel",
    labels: Mapping[str, str] | None = None,
    presentation: bool = False,
) -> go.Figure:
    """Kaplan–Meier survival curves, one step line per channel or tier.

    Parameters
    ----------
    curves : :func:`clv.metrics.retention.survival_curves` (``group``, ``days``, ``survival``,
        ``at_risk``).
    by : ``"channel"`` (colours of :func:`clv.charts.common.channel_colours`; a missing channel
        is named ``labels["unknown"]``) or ``"tier"`` (tier names and
        :data:`clv.charts.common.TIER_COLOURS`, Platinum first).

    Returns
    -------
    Figure with one step-line trace per group (survival in percent against days).
    """
    if by not in ("channel", "tier"):
        raise ValueError(f"Cannot draw survival curves by {by!r}; choose 'channel' or 'tier'.")
    text = merge_labels(SURVIVAL_LABELS, labels)
    groups = list(dict.fromkeys(None if pd.isna(g) else str(g) for g in curves["group"]))
    if by == "tier":
        order = {tier: i for i, tier in enumerate(TIERS)}
        groups.sort(key=lambda g: order.get(g, len(order)) if g is not None else len(order) + 1)
        colours = dict(TIER_COLOURS)
    else:
        colours = channel_colours(g for g in groups if g is not None)
    fig = go.Figure()
    for group in groups:
        rows = curves[curves["group"].isna()] if group is None else curves[curves["group"] == group]
        if group is None:
            name = text["unknown"]
        else:
            name = tier_name(group, text) if by == "tier" else group
        fig.add_trace(
            go.Scatter(
                x=rows["days"],
                y=rows["survival"].astype(float) * 100,
                name=name,
                mode="lines",
                line={
                    "shape": "hv",
                    "width": 2.5,
                    "color": UNKNOWN_COLOUR if group is None else colours.get(group, BAR_COLOUR),
                },
                customdata=rows["at_risk"],
                hovertemplate=(
                    f"{name}<br>{text['x']}: %{{x:,.0f}}<br>{text['y']}: %{{y:.1f}} %<br>"
                    + f"{text['at_risk']}: %{{customdata:,.0f}}<extra></extra>"
                ),
            )
        )
    fig.update_xaxes(rangemode="tozero")
    fig.update_yaxes(range=[0, 101], ticksuffix=" %")
    return style_figure(fig, text, presentation)

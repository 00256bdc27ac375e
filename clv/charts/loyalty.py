"""Figures of the Loyalty page: DataFrame in, plotly Figure out (no display, no streamlit).

Each ``plot_*`` takes a frame of :mod:`clv.metrics.loyalty` and returns a
:class:`plotly.graph_objects.Figure` whose title states its unit. Words come from
``labels`` (English defaults below, merged with the caller's; see :mod:`clv.charts.common` for
the keys every figure shares: ``title``, ``subtitle``, ``x``, ``y``, ``separators``).
``presentation=True`` enlarges the fonts for a meeting-room screen.

Colours are fixed so that a reader finds the same thing in the same colour on every
chart: first orders and new customers in :data:`FIRST_COLOUR`, repeat orders and
existing customers in :data:`REPEAT_COLOUR`, benchmarks in :data:`BENCHMARK_COLOUR`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from clv.charts.common import BAR_COLOUR, NEW_COLOUR, PREDICTED_COLOUR, merge_labels, style_figure
from clv.metrics.loyalty import MARKET_EXISTING_REVENUE_SHARE, RANKS, TENURE_BANDS

#: First orders and new customers.
FIRST_COLOUR = NEW_COLOUR
#: Repeat orders and existing customers.
REPEAT_COLOUR = BAR_COLOUR
#: The share of existing customers (a line over the bars).
SHARE_COLOUR = PREDICTED_COLOUR
#: Medians and market figures: dashed reference lines.
BENCHMARK_COLOUR = "#64748B"
#: One colour per repeat window, lighter for the shorter ones (other windows: grey).
WINDOW_COLOURS: dict[int, str] = {30: "#9EC5E8", 60: "#3E6FA3", 90: "#1B365D"}
OTHER_WINDOW_COLOUR = "#999999"


def _plain(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def _reference_line(
    fig: go.Figure,
    *,
    x: float | None = None,
    y: float | None = None,
    yref: str = "y",
    text: str = "",
) -> None:
    """A dashed line across the plot at ``x`` (vertical) or ``y`` (horizontal), labelled.

    Shapes and annotations rather than ``add_vline``/``add_hline``, whose labels cannot
    be placed on a secondary axis.
    """
    line = {"color": BENCHMARK_COLOUR, "dash": "dash", "width": 1.5}
    if x is not None:
        fig.add_shape(type="line", x0=x, x1=x, y0=0, y1=1, xref="x", yref="paper", line=line)
        fig.add_annotation(
            x=x,
            y=1,
            xref="x",
            yref="paper",
            text=text,
            showarrow=False,
            xanchor="left",
            yanchor="top",
            xshift=4,
            font={"color": BENCHMARK_COLOUR},
        )
    elif y is not None:
        fig.add_shape(type="line", x0=0, x1=1, y0=y, y1=y, xref="paper", yref=yref, line=line)
        fig.add_annotation(
            x=0,
            y=y,
            xref="paper",
            yref=yref,
            text=text,
            showarrow=False,
            xanchor="left",
            yanchor="bottom",
            font={"color": BENCHMARK_COLOUR},
        )


# -- repeat purchase by cohort ------------------------------------------------------------

REPEAT_LABELS = {
    "title": "Repeat purchase by month of first order (% of the cohort)",
    "x": "Month of first order",
    "y": "% of the cohort",
    "window": "Within {days} days",
    "customers": "New customers",
}


def measurable_cohorts(rates: pd.DataFrame) -> pd.DataFrame:
    """The rows of a :func:`clv.metrics.loyalty.repeat_rates` frame with at least one measured rate.

    Cohorts too young for every window (all ``rate_<N>`` NaN) are dropped; the index is
    reset.
    """
    columns = [c for c in rates.columns if c.startswith("rate_")]
    if not columns:
        return rates.iloc[:0].reset_index(drop=True)
    return rates[rates[columns].notna().any(axis=1)].reset_index(drop=True)


def plot_repeat_rates(
    rates: pd.DataFrame,
    *,
    labels: Mapping[str, str] | None = None,
    presentation: bool = False,
) -> go.Figure:
    """One line per repeat window: share of each cohort's new customers who bought again.

    Parameters
    ----------
    rates : :func:`clv.metrics.loyalty.repeat_rates` (``cohort_month``, ``new_customers``,
        ``rate_<N>`` in 0..1 or NaN when the cohort is too young for N days).

    Returns
    -------
    Figure with one line trace per ``rate_<N>`` column, in percent, over the cohorts
    measurable for at least one window (:func:`measurable_cohorts`); a cohort too young
    for N days is a gap in that line, never a zero. Trace names come from
    ``labels["window"]`` with ``{days}``; colours from :data:`WINDOW_COLOURS`.
    """
    text = merge_labels(REPEAT_LABELS, labels)
    shown = measurable_cohorts(rates)
    months = pd.to_datetime(shown["cohort_month"])
    fig = go.Figure()
    for column in [c for c in shown.columns if c.startswith("rate_")]:
        days = int(column.removeprefix("rate_"))
        name = text["window"].format(days=days)
        fig.add_trace(
            go.Scatter(
                x=months,
                y=100 * shown[column].astype(float),
                name=name,
                mode="lines+markers",
                connectgaps=False,
                line={"color": WINDOW_COLOURS.get(days, OTHER_WINDOW_COLOUR), "width": 2.5},
                customdata=shown["new_customers"].to_numpy(),
                hovertemplate="%{x|%Y-%m}<br>"
                + f"{name}: %{{y:.1f}} %<br>{text['customers']}: %{{customdata:,}}"
                + "<extra></extra>",
            )
        )
    fig.update_xaxes(tickformat="%Y-%m")
    fig.update_yaxes(rangemode="tozero", ticksuffix=" %")
    return style_figure(fig, text, presentation)


# -- time between orders ------------------------------------------------------------------

GAP_LABELS = {
    "title": "Time between two purchases of the same customer (days)",
    "x": "Days since the customer's previous purchase",
    "y": "Repeat purchases",
    "median": "Median: {days} days",
    "range": "{low} to {high} days",
    "clip_note": "The {count} gaps over {days} days ({share} of them) are counted in the last bar.",
}


def gap_bins(
    distribution: pd.DataFrame, *, bin_days: int = 7, clip_quantile: float = 0.99
) -> tuple[pd.DataFrame, int]:
    """Group a :func:`clv.metrics.loyalty.time_between_orders` histogram into bins of days.

    Bin ``k`` holds the gaps from ``k * bin_days + 1`` to ``(k + 1) * bin_days`` days. The
    long tail is folded into the last bar: the gaps above the bin holding the
    ``clip_quantile`` quantile of all gaps are counted in that bin.

    Parameters
    ----------
    distribution : ``gap_days`` (int >= 1), ``repeat_purchases`` (int).
    bin_days : width of a bin in days (>= 1).
    clip_quantile : 0 < q <= 1; 1 folds nothing.

    Returns
    -------
    DataFrame with ``low_days``, ``high_days`` (inclusive bounds) and
    ``repeat_purchases``, one row per bin from the first to the last (empty bins kept
    with 0); and how many gaps were folded into the last bin.
    """
    if bin_days < 1:
        raise ValueError(f"A bin is at least one day wide, got {bin_days!r}.")
    if not 0 < clip_quantile <= 1:
        raise ValueError(f"The clip quantile is above 0 and at most 1, got {clip_quantile!r}.")
    columns = ["low_days", "high_days", "repeat_purchases"]
    counts = distribution["repeat_purchases"].to_numpy(dtype=np.int64)
    if distribution.empty or counts.sum() == 0:
        return pd.DataFrame({c: pd.Series(dtype=np.int64) for c in columns}), 0
    gaps = distribution["gap_days"].to_numpy(dtype=np.int64)
    order = np.argsort(gaps, kind="stable")
    gaps, counts = gaps[order], counts[order]
    cumulative = np.cumsum(counts)
    total = int(cumulative[-1])
    # Smallest gap whose cumulative count reaches the quantile.
    at_quantile = gaps[np.searchsorted(cumulative, clip_quantile * total - 1e-9)]
    bins = (gaps - 1) // bin_days
    last = int((at_quantile - 1) // bin_days)
    folded = int(counts[bins > last].sum())
    bins = np.minimum(bins, last)
    first = int(bins.min())
    per_bin = np.bincount(bins - first, weights=counts, minlength=last - first + 1)
    index = np.arange(first, last + 1)
    frame = pd.DataFrame(
        {
            "low_days": index * bin_days + 1,
            "high_days": (index + 1) * bin_days,
            "repeat_purchases": per_bin.astype(np.int64),
        }
    )
    return frame, folded


def plot_time_between_orders(
    distribution: pd.DataFrame,
    *,
    median: float | None = None,
    bin_days: int = 7,
    clip_quantile: float = 0.99,
    labels: Mapping[str, str] | None = None,
    presentation: bool = False,
    number_format: Callable[[float], str] = _plain,
    percent_format: Callable[[float], str] = "{:.1%}".format,
) -> go.Figure:
    """Bars of the days between two consecutive purchases, with the median marked.

    Parameters
    ----------
    distribution : :func:`clv.metrics.loyalty.time_between_orders` (``gap_days``,
        ``repeat_purchases``).
    median : :func:`clv.metrics.loyalty.median_gap_days`; a dashed vertical line labelled
        ``labels["median"]`` (``{days}`` written by ``number_format``). ``None``: no line.
    bin_days, clip_quantile : see :func:`gap_bins`; when gaps are folded into the last
        bar, the subtitle says so (``labels["clip_note"]`` with ``{count}``, ``{days}``
        and ``{share}``) unless the caller gives a subtitle.

    Returns
    -------
    Figure with one bar trace, one bar per bin of :func:`gap_bins`, centred on the bin
    and as wide as it; the hover gives the bin's bounds and count.
    """
    text = merge_labels(GAP_LABELS, labels)
    bins, folded = gap_bins(distribution, bin_days=bin_days, clip_quantile=clip_quantile)
    if folded and "subtitle" not in (labels or {}):
        total = int(distribution["repeat_purchases"].sum())
        text["subtitle"] = text["clip_note"].format(
            count=number_format(folded),
            days=number_format(int(bins["high_days"].iloc[-1])),
            share=percent_format(folded / total),
        )
    ranges = [
        text["range"].format(low=number_format(lo), high=number_format(hi))
        for lo, hi in zip(bins["low_days"], bins["high_days"], strict=True)
    ]
    fig = go.Figure(
        go.Bar(
            x=(bins["low_days"] + bins["high_days"]) / 2,
            y=bins["repeat_purchases"],
            width=[bin_days] * len(bins),
            marker_color=REPEAT_COLOUR,
            customdata=ranges,
            hovertemplate="%{customdata}: %{y:,}<extra></extra>",
        )
    )
    if median is not None:
        _reference_line(
            fig, x=float(median), text=text["median"].format(days=number_format(median))
        )
    fig.update_layout(bargap=0.05)
    fig.update_xaxes(rangemode="tozero")
    return style_figure(fig, text, presentation, legend=False)


# -- basket by rank and by tenure -----------------------------------------------------------

RANK_LABELS = {
    "title": "Average basket by order rank (net amount per order)",
    "x": "Order of the customer",
    "y": "Average basket",
    "orders": "Orders",
    **{f"rank.{rank}": rank for rank in RANKS},
}

TENURE_LABELS = {
    "title": "Average basket by the customer's tenure at the order (net amount per order)",
    "x": "Time since the customer's first order",
    "y": "Average basket",
    "orders": "Orders",
    **{f"tenure.{band}": band for band, _, _ in TENURE_BANDS},
}


def _basket_bars(
    names: list[str],
    frame: pd.DataFrame,
    colours: list[str],
    text: Mapping[str, str],
    presentation: bool,
    count_format: Callable[[int], str],
) -> go.Figure:
    fig = go.Figure(
        go.Bar(
            x=names,
            y=frame["average_basket"].astype(float),
            marker_color=colours,
            customdata=frame["orders"].to_numpy(),
            text=[f"n = {count_format(int(n))}" for n in frame["orders"]],
            textposition="auto",
            hovertemplate="%{x}<br>"
            + f"{text['y']}: %{{y:,.2f}}<br>{text['orders']}: %{{customdata:,}}<extra></extra>",
        )
    )
    fig.update_xaxes(type="category")
    fig.update_yaxes(rangemode="tozero")
    return style_figure(fig, text, presentation, legend=False)


def plot_basket_by_rank(
    by_rank: pd.DataFrame,
    *,
    labels: Mapping[str, str] | None = None,
    presentation: bool = False,
    count_format: Callable[[int], str] = "{:,}".format,
) -> go.Figure:
    """Bars of the average basket of 1st, 2nd, 3rd and 4th-or-later orders.

    Parameters
    ----------
    by_rank : :func:`clv.metrics.loyalty.basket_by_rank` (``rank`` among :data:`clv.metrics.loyalty.RANKS`,
        ``orders``, ``average_basket``).

    Returns
    -------
    Figure with one bar trace, one bar per rank named ``labels["rank.<rank>"]``; the first
    order in :data:`FIRST_COLOUR`, repeat orders in :data:`REPEAT_COLOUR`; each bar
    labelled with its number of orders (``count_format``).
    """
    text = merge_labels(RANK_LABELS, labels)
    ranks = by_rank["rank"].astype(str).tolist()
    names = [text.get(f"rank.{rank}", rank) for rank in ranks]
    colours = [FIRST_COLOUR if rank == RANKS[0] else REPEAT_COLOUR for rank in ranks]
    return _basket_bars(names, by_rank, colours, text, presentation, count_format)


def plot_basket_by_tenure(
    by_tenure: pd.DataFrame,
    *,
    labels: Mapping[str, str] | None = None,
    presentation: bool = False,
    count_format: Callable[[int], str] = "{:,}".format,
) -> go.Figure:
    """Bars of the average basket by the customer's tenure when ordering.

    Parameters
    ----------
    by_tenure : :func:`clv.metrics.loyalty.basket_by_tenure` (``tenure_band`` among
        :data:`clv.metrics.loyalty.TENURE_BANDS`, ``orders``, ``average_basket``).

    Returns
    -------
    Figure with one bar trace in :data:`REPEAT_COLOUR`, one bar per band named
    ``labels["tenure.<band>"]``, each labelled with its number of orders.
    """
    text = merge_labels(TENURE_LABELS, labels)
    bands = by_tenure["tenure_band"].astype(str).tolist()
    names = [text.get(f"tenure.{band}", band) for band in bands]
    colours = [REPEAT_COLOUR] * len(bands)
    return _basket_bars(names, by_tenure, colours, text, presentation, count_format)


# -- revenue of new and existing customers ------------------------------------------------

SPLIT_LABELS = {
    "title": "Net revenue of new and existing customers by month",
    "x": "",
    "y": "Net revenue",
    "y2": "Existing customers (% of revenue)",
    "new": "New customers (first order)",
    "existing": "Existing customers (repeat orders)",
    "share": "Share of existing customers",
    "benchmark": "French e-commerce: about {share}",
}


def plot_revenue_split(
    split: pd.DataFrame,
    *,
    benchmark: float | None = MARKET_EXISTING_REVENUE_SHARE,
    labels: Mapping[str, str] | None = None,
    presentation: bool = False,
    percent_format: Callable[[float], str] = "{:.0%}".format,
) -> go.Figure:
    """Stacked monthly revenue of new and existing customers, with the existing share.

    Parameters
    ----------
    split : :func:`clv.metrics.loyalty.revenue_split_by_month` (``month``, ``new_revenue``,
        ``existing_revenue``, ``existing_share`` in 0..1).
    benchmark : market share of existing customers (0..1), drawn as a dashed line on the
        share axis and labelled ``labels["benchmark"]`` with ``{share}``; ``None``: none.

    Returns
    -------
    Figure with two stacked bar traces (new in :data:`FIRST_COLOUR`, existing in
    :data:`REPEAT_COLOUR`) on the money axis and one line trace of the share in percent
    on a second axis from 0 to 100.
    """
    text = merge_labels(SPLIT_LABELS, labels)
    months = pd.to_datetime(split["month"])
    fig = go.Figure(
        [
            go.Bar(
                x=months,
                y=split["new_revenue"].astype(float),
                name=text["new"],
                marker_color=FIRST_COLOUR,
                hovertemplate="%{x|%Y-%m}: %{y:,.0f}<extra>" + text["new"] + "</extra>",
            ),
            go.Bar(
                x=months,
                y=split["existing_revenue"].astype(float),
                name=text["existing"],
                marker_color=REPEAT_COLOUR,
                hovertemplate="%{x|%Y-%m}: %{y:,.0f}<extra>" + text["existing"] + "</extra>",
            ),
            go.Scatter(
                x=months,
                y=100 * split["existing_share"].astype(float),
                name=text["share"],
                mode="lines+markers",
                yaxis="y2",
                line={"color": SHARE_COLOUR, "width": 2.5},
                hovertemplate="%{x|%Y-%m}: %{y:.1f} %<extra>" + text["share"] + "</extra>",
            ),
        ]
    )
    fig.update_layout(barmode="stack")
    if benchmark is not None:
        _reference_line(
            fig,
            y=100 * benchmark,
            yref="y2",
            text=text["benchmark"].format(share=percent_format(benchmark)),
        )
    fig.update_xaxes(tickformat="%Y-%m")
    style_figure(fig, text, presentation)
    # After style_figure: it titles every y axis with labels["y"], and its right margin
    # leaves no room for a right-hand axis.
    fig.update_layout(
        yaxis2={
            "title": {"text": text["y2"]},
            "overlaying": "y",
            "side": "right",
            "range": [0, 100],
            "dtick": 25,
            "ticksuffix": " %",
            "showgrid": False,
        },
        margin={"r": 80},
    )
    return fig

"""Predictions of fitted models: purchases, activity, next order, discounted CLV, its band.

Per customer: expected purchases over a horizon, probability of being active, expected
purchase rate and next order date (purchase model); the discounted CLV on gross margin
(purchase and spend models, :func:`predict_clv`) and the 95 % band of its total from the
uncertainty of the parameters (:func:`clv_band`).
"""

from __future__ import annotations

import copy
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from clv.valuation.models.fitting import (
    DAYS_PER_MONTH,
    PARAMETERS,
    PURCHASE_MODELS,
    FitFailed,
    FitResult,
    _contained,
)
from clv.valuation.models.spend import expected_order_value
from clv.valuation.summary import TIME_UNITS


def _patterns(summary: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    """Distinct (frequency, recency, T) rows and, per customer, the index of its row.

    Predictions depend on a customer only through these three numbers, so they are
    computed once per distinct row.
    """
    keys = summary[["frequency", "recency", "T"]]
    # ngroup(sort=False) numbers rows in order of first appearance, as drop_duplicates keeps them.
    codes = keys.groupby(["frequency", "recency", "T"], sort=False).ngroup().to_numpy()
    rows = keys.drop_duplicates().reset_index(drop=True)
    return rows, codes


def _arrays(rows: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return (
        rows["frequency"].to_numpy(dtype=float),
        rows["recency"].to_numpy(dtype=float),
        rows["T"].to_numpy(dtype=float),
    )


def _check_purchase_fit(fit: FitResult, summary: pd.DataFrame) -> float:
    if fit.model not in PURCHASE_MODELS:
        raise ValueError(f"{fit.label} is not a purchase model; fit one with fit_purchase_model().")
    unit = summary.attrs.get("time_unit")
    if unit is not None and fit.time_unit is not None and unit != fit.time_unit:
        raise ValueError(
            f"The model was fitted in {fit.time_unit}s but the summary is in {unit}s; "
            "use the same time unit for both."
        )
    return TIME_UNITS[fit.time_unit or "week"]


def _conditional(
    fitter: Any, t: float, x: np.ndarray, tx: np.ndarray, age: np.ndarray
) -> np.ndarray:
    if t <= 0:
        return np.zeros_like(x)
    with _contained():
        out = fitter.conditional_expected_number_of_purchases_up_to_time(t, x, tx, age)
    return np.asarray(out, dtype=float).reshape(-1)


def _conditional_purchases(fitter: Any, t: float, rows: pd.DataFrame) -> np.ndarray:
    return _conditional(fitter, t, *_arrays(rows))


def _purchases_over_time(fitter: Any, times: Sequence[float], rows: pd.DataFrame) -> np.ndarray:
    """``E[X(t) | frequency, recency, T]`` for several ``t``: array (len(times), len(rows)).

    In all three purchase models the expectation factors as ``A(t; x, T) / D(x, t_x, T)``
    (BG/NBD and MBG/NBD: the denominator is ``1 + P(dropped out) / P(alive)`` odds;
    Pareto/NBD: the likelihood), so ``E[X(t)] = E[X(t_max)] * A(t) / A(t_max)``. The
    ratio is computed once per distinct ``(frequency, T)`` pair (with any valid recency)
    and the full expectation once per row, instead of once per row and ``t``.
    """
    x, tx, age = _arrays(rows)
    t_max = max(times)
    at_max = _conditional(fitter, t_max, x, tx, age)
    pairs, at_pair = np.unique(x + 1j * age, return_inverse=True)
    px, page = pairs.real, pairs.imag
    prec = np.where(px > 0, page, 0.0)
    pair_max = _conditional(fitter, t_max, px, prec, page)
    out = np.empty((len(times), len(x)))
    for i, t in enumerate(times):
        pair_t = _conditional(fitter, t, px, prec, page)
        ratio = np.divide(pair_t, pair_max, out=np.zeros_like(pair_t), where=pair_max > 0)
        out[i] = at_max * ratio[at_pair]
    return out


def expected_purchases(fit: FitResult, summary: pd.DataFrame, days: float) -> pd.Series:
    """Expected number of purchases of each customer in the next ``days`` days.

    The conditional expectation ``E[X(t) | frequency, recency, T]`` of the purchase model
    (BG/NBD: Fader, Hardie & Lee 2005, eq. 10), with ``t = days / days per time unit``.

    Returns
    -------
    Series indexed like ``summary``, named ``expected_purchases``.
    """
    days_per_unit = _check_purchase_fit(fit, summary)
    rows, codes = _patterns(summary)
    values = _conditional_purchases(fit.fitter, days / days_per_unit, rows)
    return pd.Series(values[codes], index=summary.index, name="expected_purchases")


def probability_alive(fit: FitResult, summary: pd.DataFrame) -> pd.Series:
    """Probability that each customer is still active at the end of the observation.

    Under **BG/NBD** a customer can only drop out right after a repeat purchase, so a
    customer with ``frequency == 0`` has probability 1 *by construction*, however long
    ago they bought: do not use BG/NBD for churn or activity figures. **MBG/NBD** (which
    lets customers drop out after the first purchase) and **Pareto/NBD** give one-time
    buyers a probability that falls with time, and are the models to use for activity.

    Returns
    -------
    Series indexed like ``summary``, named ``probability_alive``.
    """
    _check_purchase_fit(fit, summary)
    rows, codes = _patterns(summary)
    x, tx, age = _arrays(rows)
    with _contained():
        values = np.asarray(fit.fitter.conditional_probability_alive(x, tx, age), dtype=float)
    return pd.Series(values.reshape(-1)[codes], index=summary.index, name="probability_alive")


def expected_purchase_rate(fit: FitResult, summary: pd.DataFrame) -> pd.Series:
    """Expected purchases per time unit right after the observation end.

    ``P(alive) * (r + frequency) / (alpha + T)``: the probability of being active times
    the mean of the customer's purchase rate given their history (a Gamma(r + x,
    alpha + T) posterior in all three purchase models). It is the slope of the
    expected purchases ``E[X(t) | history]`` at ``t = 0``.
    """
    alive = probability_alive(fit, summary)
    r, alpha = fit.params["r"], fit.params["alpha"]
    rate = alive * (r + summary["frequency"]) / (alpha + summary["T"])
    return rate.rename("expected_purchase_rate")


def expected_next_order(
    fit: FitResult,
    summary: pd.DataFrame,
    *,
    observation_end: Any = None,
    max_days: float = 5 * 365.25,
) -> pd.DataFrame:
    """Approximate date of each customer's next order.

    ``days_to_next_order = days per time unit / expected_purchase_rate`` (the mean
    waiting time if the current expected rate, :func:`expected_purchase_rate`, held),
    and ``expected_next_order_date = observation_end + days_to_next_order``. It is an
    approximation: under the models the exact expected waiting time is infinite, since
    an inactive customer never orders again. Beyond ``max_days`` no date is given.

    Returns
    -------
    DataFrame indexed like ``summary`` with ``days_to_next_order`` (float, NaN beyond
    ``max_days``) and ``expected_next_order_date`` (datetime, NaT beyond it).
    """
    days_per_unit = _check_purchase_fit(fit, summary)
    end = observation_end if observation_end is not None else summary.attrs.get("observation_end")
    if end is None:
        raise ValueError(
            "The observation end is unknown; pass observation_end (summaries from "
            "customer_summary() carry it)."
        )
    rate = expected_purchase_rate(fit, summary).to_numpy()
    with np.errstate(divide="ignore"):
        days = days_per_unit / rate
    days = np.where(np.isfinite(days) & (days <= max_days), days, np.nan)
    dates = (pd.Timestamp(end) + pd.to_timedelta(np.round(days), unit="D")).to_numpy()
    return pd.DataFrame(
        {"days_to_next_order": days, "expected_next_order_date": dates}, index=summary.index
    )


def monthly_discount_rate(annual_discount_rate: float) -> float:
    """Monthly rate with the same yearly effect: ``(1 + annual) ** (1 / 12) - 1``."""
    if not (math.isfinite(annual_discount_rate) and annual_discount_rate > -1):
        raise ValueError(
            f"The annual discount rate {annual_discount_rate!r} is not valid; give a "
            "share such as 0.10 for 10 % a year."
        )
    return (1 + annual_discount_rate) ** (1 / 12) - 1


def _margins(
    summary: pd.DataFrame, margin_rate: float | Mapping[str, float] | pd.Series | None
) -> np.ndarray:
    """Margin share per customer (see :func:`predict_clv`)."""
    if margin_rate is None:
        revenue = summary["net_revenue"].to_numpy(dtype=float)
        margin = summary["gross_margin"].to_numpy(dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            share = margin / revenue
        if not np.all(np.isfinite(share)):
            raise ValueError(
                "The gross margin of some customers is unknown (orders without cost and no "
                "margin rate); give a margin rate, e.g. 0.6 for 60 %."
            )
        return share
    if isinstance(margin_rate, pd.Series):
        share = margin_rate.reindex(summary.index).to_numpy(dtype=float)
        if not np.all(np.isfinite(share)):
            raise ValueError("The margin shares do not cover every customer of the summary.")
        return share
    if isinstance(margin_rate, Mapping):
        default = margin_rate.get("default", math.nan)
        channels = summary["acquisition_channel"]
        share = np.array([margin_rate.get(c, default) for c in channels], dtype=float)
        if not np.all(np.isfinite(share)):
            raise ValueError(
                "Some acquisition channels have no margin rate; add them or a 'default'."
            )
        return share
    rate = float(margin_rate)
    if not 0 <= rate <= 1:
        raise ValueError(f"The margin rate {rate!r} must be a share between 0 and 1.")
    return np.full(len(summary), rate)


def _discounted_purchases(
    fitter: Any, rows: pd.DataFrame, horizon_months: int, month: float, monthly_rate: float
) -> tuple[np.ndarray, np.ndarray]:
    """Per row: expected purchases over the horizon, and the same discounted per month."""
    cumulative = _purchases_over_time(
        fitter, [m * month for m in range(1, horizon_months + 1)], rows
    )
    monthly = np.diff(cumulative, axis=0, prepend=0.0)
    factors = (1 + monthly_rate) ** -np.arange(1, horizon_months + 1, dtype=float)
    return cumulative[-1], factors @ monthly


def _check_horizon(horizon_months: int) -> int:
    if int(horizon_months) != horizon_months or not 1 <= horizon_months <= 120:
        raise ValueError(
            f"The horizon {horizon_months!r} must be a whole number of months from 1 to 120."
        )
    return int(horizon_months)


def predict_clv(
    purchase_fit: FitResult,
    spend_fit: FitResult,
    summary: pd.DataFrame,
    *,
    horizon_months: int = 12,
    annual_discount_rate: float = 0.10,
    margin_rate: float | Mapping[str, float] | pd.Series | None = None,
) -> pd.DataFrame:
    r"""Discounted customer lifetime value on gross margin over a horizon.

    .. math::

        \mathrm{CLV}_i = \sum_{m=1}^{H}
            \frac{\left(E[X_i(m\tau)] - E[X_i((m-1)\tau)]\right)\, E[M_i]\, g_i}
                 {(1 + d)^m},
        \qquad d = (1 + d_{year})^{1/12} - 1,

    where ``E[X_i(t)]`` is the purchase model's expected purchases in the next ``t``
    time units given the customer's history, ``tau`` a month in time units (30.4375
    days), ``E[M_i]`` the Gamma-Gamma expected value per purchase
    (:func:`expected_order_value`) and ``g_i`` the margin share. Cash of month ``m`` is
    discounted by a full month's factor ``(1 + d)^m``.

    This is lifetimes' ``customer_lifetime_value`` with three differences: it counts
    gross margin instead of revenue (``g_i``); the rate is annual, turned into the
    equivalent monthly rate (lifetimes takes a monthly rate); and a month is 30.4375
    days (lifetimes uses 30 days, or 4.345 weeks). With ``g_i = 1`` and the same month
    length and monthly rate the two agree.

    Parameters
    ----------
    purchase_fit, spend_fit : from :func:`fit_purchase_model` and :func:`fit_spend_model`.
    summary : per-customer frame (:func:`clv.valuation.summary.customer_summary`) in the purchase
        model's time unit.
    horizon_months : 1 to 120 (the pages offer 6, 12, 24, 36).
    annual_discount_rate : e.g. 0.10 for 10 % a year.
    margin_rate : gross margin share ``g_i``: a number for every customer, a mapping
        acquisition channel -> share (with an optional ``"default"``), a Series per
        ``customer_id``, or ``None`` for each customer's own share to date
        (``gross_margin / net_revenue`` of the summary).

    Returns
    -------
    DataFrame indexed like ``summary`` with ``expected_purchases`` (over the horizon,
    undiscounted), ``expected_order_value``, ``margin_rate``, ``expected_revenue``
    (undiscounted purchases x value) and ``clv`` (discounted gross margin).
    """
    horizon = _check_horizon(horizon_months)
    days_per_unit = _check_purchase_fit(purchase_fit, summary)
    rate = monthly_discount_rate(annual_discount_rate)
    margin = _margins(summary, margin_rate)
    value = expected_order_value(spend_fit, summary).to_numpy()
    rows, codes = _patterns(summary)
    total, discounted = _discounted_purchases(
        purchase_fit.fitter, rows, horizon, DAYS_PER_MONTH / days_per_unit, rate
    )
    return pd.DataFrame(
        {
            "expected_purchases": total[codes],
            "expected_order_value": value,
            "margin_rate": margin,
            "expected_revenue": total[codes] * value,
            "clv": discounted[codes] * value * margin,
        },
        index=summary.index,
    )


def predict_customers(
    purchase_fit: FitResult,
    summary: pd.DataFrame,
    *,
    spend_fit: FitResult | None = None,
    horizons_days: Sequence[int] = (30, 90, 365),
) -> pd.DataFrame:
    """The per-customer predictions a table shows, in one frame.

    Returns
    -------
    DataFrame indexed like ``summary`` with ``expected_purchases_{n}d`` for each horizon
    ``n`` in ``horizons_days``, ``probability_alive`` (see :func:`probability_alive`
    for why BG/NBD says 1 for one-time buyers), ``expected_purchase_rate``,
    ``days_to_next_order``, ``expected_next_order_date`` and, with ``spend_fit``,
    ``expected_order_value``.
    """
    out = pd.DataFrame(index=summary.index)
    for days in horizons_days:
        out[f"expected_purchases_{days}d"] = expected_purchases(purchase_fit, summary, days)
    out["probability_alive"] = probability_alive(purchase_fit, summary)
    out["expected_purchase_rate"] = expected_purchase_rate(purchase_fit, summary)
    out = out.join(expected_next_order(purchase_fit, summary))
    if spend_fit is not None:
        out["expected_order_value"] = expected_order_value(spend_fit, summary)
    return out


@dataclass
class ClvBand:
    """Uncertainty band of the shop's total predicted CLV.

    Attributes
    ----------
    total : the point estimate (sum of :func:`predict_clv`'s ``clv``).
    low, median, high : 2.5 %, 50 % and 97.5 % percentiles over the parameter draws.
    draws : totals of the draws that gave a valid prediction.
    n_draws : draws requested; ``len(draws)`` may be smaller (invalid parameters).
    sampled_customers : customers used to measure the effect of each draw (all of
        them up to ``max_customers``).
    """

    total: float
    low: float
    median: float
    high: float
    draws: np.ndarray = field(repr=False)
    n_draws: int
    sampled_customers: int


def _with_params(fitter: Any, names: Sequence[str], values: np.ndarray) -> Any:
    clone = copy.copy(fitter)
    clone.params_ = pd.Series(values, index=list(names), dtype=float)
    return clone


def clv_band(
    purchase_fit: FitResult,
    spend_fit: FitResult,
    summary: pd.DataFrame,
    *,
    horizon_months: int = 12,
    annual_discount_rate: float = 0.10,
    margin_rate: float | Mapping[str, float] | pd.Series | None = None,
    n_draws: int = 200,
    seed: int = 0,
    max_customers: int = 1_000,
) -> ClvBand:
    """95 % band of the total predicted CLV from the uncertainty of the parameters.

    Both models' log parameters are drawn from normal distributions with the fits'
    covariance (``Cov(log theta) = H^-1 / N``; drawing on the log scale keeps every
    parameter positive), and the total CLV of :func:`predict_clv` is recomputed for
    each draw. This is cheaper than a bootstrap over customers (which would refit both
    models for each draw) and measures the same thing for large samples: how far the
    estimates could be from the truth. It does not include the randomness of the
    customers' future behaviour itself.

    For speed each draw is evaluated on a fixed random sample of ``max_customers``
    customers (seeded; all customers when fewer) and, beyond 12 months, with the
    expected purchases computed at 12 points of the horizon and interpolated linearly
    between them; the band is the exact total scaled by the ratio
    ``total(draw) / total(estimates)`` of that cheaper computation, in which both
    simplifications largely cancel.

    Returns
    -------
    :class:`ClvBand`.
    """
    if n_draws < 10:
        raise ValueError("Use at least 10 draws for a band (200 by default).")
    horizon = _check_horizon(horizon_months)
    point = predict_clv(
        purchase_fit,
        spend_fit,
        summary,
        horizon_months=horizon,
        annual_discount_rate=annual_discount_rate,
        margin_rate=margin_rate,
    )
    total = float(point["clv"].sum())
    rng = np.random.default_rng(seed)
    if len(summary) > max_customers:
        chosen = np.sort(rng.choice(len(summary), size=max_customers, replace=False))
    else:
        chosen = np.arange(len(summary))
    sample = summary.iloc[chosen]
    margin = point["margin_rate"].to_numpy()[chosen]
    mv = sample["monetary_value"].to_numpy(dtype=float)
    rows, codes = _patterns(sample)
    # Spend enters the total linearly: sum_i D_i g_i [mu + w_i (m_i - mu)], with D_i the
    # discounted purchases; group the margin terms by purchase pattern once.
    s1 = np.bincount(codes, weights=margin, minlength=len(rows))
    s2 = np.bincount(codes, weights=margin * mv, minlength=len(rows))
    row_x = rows["frequency"].to_numpy(dtype=float)
    days_per_unit = _check_purchase_fit(purchase_fit, summary)
    month = DAYS_PER_MONTH / days_per_unit
    rate = monthly_discount_rate(annual_discount_rate)

    # At most 13 evaluation times: E[X(t)] between them is interpolated linearly. The
    # discounted sum is then a fixed weighting of the values at those times.
    step = math.ceil(horizon / 12)
    nodes = np.unique(np.append(np.arange(step, horizon + 1, step), horizon)).astype(float)
    months = np.arange(1, horizon + 1, dtype=float)
    factors = (1 + rate) ** -months
    month_weights = factors - np.append(factors[1:], 0.0)
    grid = np.append(0.0, nodes)
    node_weights = np.array(
        [month_weights @ np.interp(months, grid, np.eye(len(grid))[j]) for j in range(len(grid))]
    )[1:]

    def sample_total(purchase: Any, p: float, q: float, gamma: float) -> float:
        disc = node_weights @ _purchases_over_time(purchase, list(nodes * month), rows)
        mu = p * gamma / (q - 1)
        w = p * row_x / (p * row_x + q - 1)
        return float(np.sum(disc * (mu * s1 + w * (s2 - mu * s1))))

    sp = spend_fit.params
    base = sample_total(purchase_fit.fitter, sp["p"], sp["q"], sp["gamma"])
    names = PARAMETERS[purchase_fit.model]
    log_purchase = np.log([purchase_fit.params[k] for k in names])
    log_spend = np.log([sp["p"], sp["q"], sp["gamma"]])
    purchase_draws = rng.multivariate_normal(log_purchase, purchase_fit.log_covariance, n_draws)
    spend_draws = rng.multivariate_normal(log_spend, spend_fit.log_covariance, n_draws)
    totals = []
    for lp, ls in zip(purchase_draws, spend_draws, strict=True):
        p, q, gamma = np.exp(ls)
        if q <= 1:
            continue
        fitter = _with_params(purchase_fit.fitter, names, np.exp(lp))
        value = sample_total(fitter, p, q, gamma)
        if math.isfinite(value):
            totals.append(total * value / base if base else value)
    draws = np.array(totals)
    if len(draws) < n_draws / 2:
        raise FitFailed(
            "The parameters are too uncertain for a band of the total CLV; use more data."
        )
    low, median, high = np.percentile(draws, [2.5, 50, 97.5])
    return ClvBand(
        total=total,
        low=float(low),
        median=float(median),
        high=float(high),
        draws=draws,
        n_draws=n_draws,
        sampled_customers=len(chosen),
    )

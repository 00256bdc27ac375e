"""The spend model: Gamma-Gamma, its fit, likelihood, assumption check and expected value.

Spend model: Gamma-Gamma (Fader, Hardie & Lee 2005b), ``GammaGammaFitter``, on repeat
customers' ``(frequency, monetary_value)``; parameters ``p, q, gamma`` (lifetimes calls
``gamma`` ``v``). The mean order value of the population is ``p * gamma / (q - 1)``.
Retries, standard errors and the fit result are shared with the purchase models
(:mod:`clv.valuation.models.fitting`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from lifetimes import GammaGammaFitter

from clv.valuation.models.fitting import (
    MIN_REPEAT_CUSTOMERS,
    PARAMETERS,
    SPEND_MODEL,
    FitFailed,
    FitResult,
    _contained,
    _result,
    _Unstable,
    _with_retries,
)


def _spend_rows(summary: pd.DataFrame) -> pd.DataFrame:
    repeat = summary[(summary["frequency"] > 0) & (summary["monetary_value"] > 0)]
    return (
        repeat.groupby(["frequency", "monetary_value"], sort=True)
        .size()
        .rename("weight")
        .reset_index()
    )


def spend_log_likelihood(params: Mapping[str, float], rows: pd.DataFrame) -> float:
    """Gamma-Gamma log-likelihood of ``(frequency, monetary_value)`` rows (no penalty).

    ``rows`` may carry a ``weight`` column (customers per row). The likelihood is
    lifetimes': the density of a customer's average spend ``m`` given ``x`` purchases
    (Fader & Hardie, note 025, eq. 1a).
    """
    theta = np.log([params["p"], params["q"], params["gamma"]])
    x = rows["frequency"].to_numpy(dtype=float)
    m = rows["monetary_value"].to_numpy(dtype=float)
    w = rows["weight"].to_numpy(dtype=float) if "weight" in rows else np.ones_like(x)
    with _contained():
        nll = GammaGammaFitter._negative_log_likelihood(theta, x, m, w, 0.0)
    return -float(nll) * float(np.sum(w))


def fit_spend_model(summary: pd.DataFrame, *, penalizer: float = 0.0) -> FitResult:
    """Fit the Gamma-Gamma model of spend per purchase on repeat customers.

    Parameters
    ----------
    summary : per-customer frame with ``frequency`` and ``monetary_value`` (mean value
        of the repeat purchases). Customers with ``frequency == 0`` or
        ``monetary_value <= 0`` carry no information on spend and are left out.
    penalizer : L2 penalizer of the first try; retries as :func:`fit_purchase_model`.

    Returns
    -------
    :class:`FitResult` with parameters ``p``, ``q``, ``gamma``; check
    :func:`spend_independence` before trusting it.

    Raises
    ------
    FitFailed : too few repeat customers, no convergence, or ``q <= 1`` (the mean
        order value would be infinite: spend too heavy-tailed for the model).
    """
    rows = _spend_rows(summary)
    n = int(rows["weight"].sum())
    if n < MIN_REPEAT_CUSTOMERS:
        raise FitFailed(
            f"Only {n} customers have a repeat purchase with a positive value; the "
            f"Gamma-Gamma model needs at least {MIN_REPEAT_CUSTOMERS}. Choose a longer "
            "period or include more customers."
        )
    x = rows["frequency"].to_numpy(dtype=float)
    m = rows["monetary_value"].to_numpy(dtype=float)
    w = rows["weight"].to_numpy(dtype=np.int64)

    def attempt(pen: float) -> tuple[Any, np.ndarray, np.ndarray | None]:
        fitter = GammaGammaFitter(penalizer_coef=pen).fit(x, m, weights=w)
        params = np.array([fitter.params_[k] for k in ("p", "q", "v")], dtype=float)
        if params[1] <= 1:
            raise _Unstable("q <= 1, so the mean spend per purchase would be infinite")
        return fitter, params, fitter._hessian_

    fitter, params, log_cov, se, pen, notes = _with_retries("Gamma-Gamma", attempt, n, penalizer)
    ll = spend_log_likelihood(dict(zip(PARAMETERS[SPEND_MODEL], params, strict=True)), rows)
    return _result(SPEND_MODEL, fitter, params, log_cov, se, ll, n, pen, notes, None)


def spend_independence(summary: pd.DataFrame) -> float:
    """Pearson correlation of ``frequency`` and ``monetary_value`` among repeat customers.

    Gamma-Gamma assumes that how much a customer spends per purchase does not depend on
    how often they buy; a correlation far from 0 (above 0.3 in absolute value, say)
    means the spend predictions are biased.

    Returns
    -------
    The correlation, NaN when fewer than 3 repeat customers or no variation.
    """
    repeat = summary[(summary["frequency"] > 0) & (summary["monetary_value"] > 0)]
    if len(repeat) < 3:
        return math.nan
    f = repeat["frequency"].to_numpy(dtype=float)
    m = repeat["monetary_value"].to_numpy(dtype=float)
    if f.std() == 0 or m.std() == 0:
        return math.nan
    return float(np.corrcoef(f, m)[0, 1])


def expected_order_value(spend_fit: FitResult, summary: pd.DataFrame) -> pd.Series:
    """Expected value of each customer's future purchases (Gamma-Gamma conditional mean).

    ``E[M | x, m] = (1 - w) * p * gamma / (q - 1) + w * m`` with
    ``w = p x / (p x + q - 1)``: a weighted mean of the population mean and the
    customer's own repeat average ``m`` (Fader, Hardie & Lee 2005b, eq. 5); a customer
    without repeat purchase gets the population mean.

    Returns
    -------
    Series indexed like ``summary``, named ``expected_order_value``.
    """
    if spend_fit.model != SPEND_MODEL:
        raise ValueError("The spend model must be a Gamma-Gamma fit from fit_spend_model().")
    p, q, gamma = (spend_fit.params[k] for k in ("p", "q", "gamma"))
    x = summary["frequency"].to_numpy(dtype=float)
    m = summary["monetary_value"].to_numpy(dtype=float)
    weight = p * x / (p * x + q - 1)
    values = (1 - weight) * p * gamma / (q - 1) + weight * m
    return pd.Series(values, index=summary.index, name="expected_order_value")

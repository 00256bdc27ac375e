"""Purchase models (lifetimes) behind one interface.

Purchase models, fitted on the per-customer ``(frequency, recency, T)`` of
:func:`clv.valuation.summary.customer_summary`:

- ``"bgnbd"``: BG/NBD (Fader, Hardie & Lee 2005), lifetimes' ``BetaGeoFitter``;
  parameters ``r, alpha`` (purchase rate ~ Gamma(r, alpha)) and ``a, b`` (dropout
  probability after each repeat purchase ~ Beta(a, b)).
- ``"mbgnbd"``: MBG/NBD (Batislam et al. 2007), ``ModifiedBetaGeoFitter``; as BG/NBD, but
  a customer may also drop out right after the first purchase.
- ``"pareto"``: Pareto/NBD (Schmittlein et al. 1987), ``ParetoNBDFitter``; parameters
  ``r, alpha`` and ``s, beta`` (lifetime ~ exponential with rate ~ Gamma(s, beta)).

lifetimes' Pareto/NBD fitter has neither a convergence check, a fixed start nor a
Hessian: here it is optimised from a fixed start in the log parameters (Nelder-Mead, then
BFGS) and its Hessian is taken by central differences. Retries, standard errors and the
fit result are shared with the spend model (:mod:`clv.valuation.models.fitting`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from lifetimes import BetaGeoFitter, ModifiedBetaGeoFitter, ParetoNBDFitter
from lifetimes.utils import ConvergenceError, _check_inputs
from scipy.optimize import minimize
from scipy.special import gammaln, hyp2f1, logsumexp

from clv.valuation.models import vectorised
from clv.valuation.models.fitting import (
    MIN_REPEAT_CUSTOMERS,
    PARAMETERS,
    PARETO_SEARCH_CUSTOMERS,
    PURCHASE_MODELS,
    FitFailed,
    FitResult,
    _contained,
    _gradient,
    _hessian,
    _result,
    _with_retries,
)
from clv.valuation.summary import TIME_UNITS, compress


class _ParetoNBD(ParetoNBDFitter):
    """lifetimes' Pareto/NBD with a deterministic, checked optimisation and a Hessian.

    Every prediction is lifetimes'; only ``_fit`` is replaced, with lifetimes' likelihood
    arranged for speed (:func:`pareto_log_likelihood_function`). The
    objective is the mean negative log-likelihood per customer (``/ weights.sum()``,
    like the other lifetimes fitters, so a penalizer means the same for every model),
    minimised over the log parameters from a fixed start: a Nelder-Mead search (on a
    fixed random sample of :data:`PARETO_SEARCH_CUSTOMERS` customers when there are
    more), then BFGS on every customer. lifetimes' own fit starts from random values and
    does not check that the optimiser converged.
    """

    _hessian_log: np.ndarray | None = None

    def _fit(
        self,
        minimizing_function_args: tuple[Any, ...],
        iterative_fitting: int,
        initial_params: Any,
        params_size: int,
        disp: bool,
        tol: float = 1e-6,
        fit_method: str = "Nelder-Mead",
        maxiter: int = 2000,
        **kwargs: Any,
    ) -> tuple[np.ndarray, float]:
        freq, rec, age, weights, penalizer = minimizing_function_args

        def objective_on(
            x: np.ndarray, tx: np.ndarray, t: np.ndarray, w: np.ndarray
        ) -> Callable[[np.ndarray], float]:
            total = float(np.sum(w))
            log_likelihood = pareto_log_likelihood_function(x, tx, t)

            def objective(log_params: np.ndarray) -> float:
                params = np.exp(log_params)
                ll = log_likelihood(params)
                value = -float(np.sum(w * ll)) / total + penalizer * float(np.sum(params**2))
                return value if math.isfinite(value) else 1e300

            return objective

        full = objective_on(freq, rec, age, weights)
        rough_objective = full
        counts = np.asarray(weights)
        if counts.sum() > PARETO_SEARCH_CUSTOMERS and np.all(counts == np.round(counts)):
            # The simplex search needs ~1,000 likelihood evaluations: run it on a fixed
            # random sample of customers, then let BFGS finish on everyone.
            sample = np.random.default_rng(0).multivariate_hypergeometric(
                counts.astype(np.int64), PARETO_SEARCH_CUSTOMERS
            )
            keep = sample > 0
            rough_objective = objective_on(freq[keep], rec[keep], age[keep], sample[keep])
        start = np.zeros(params_size) if initial_params is None else np.log(initial_params)
        rough = minimize(
            rough_objective,
            start,
            method="Nelder-Mead",
            options={"maxiter": 4000, "xatol": 1e-6, "fatol": 1e-10},
        )
        fine = minimize(full, rough.x, method="BFGS", options={"gtol": 1e-6})
        best = fine if fine.fun <= full(rough.x) else rough
        gradient_small = fine.success or np.max(np.abs(_gradient(full, best.x))) < 1e-4
        if not (rough.success and gradient_small and math.isfinite(best.fun)):
            raise ConvergenceError("The Pareto/NBD optimisation did not converge.")
        self._hessian_log = _hessian(full, best.x)
        return np.exp(best.x), float(full(best.x))


def pareto_log_likelihood_function(
    frequency: np.ndarray, recency: np.ndarray, T: np.ndarray
) -> Callable[[Sequence[float]], np.ndarray]:
    """Per-customer Pareto/NBD log-likelihood as a function of ``(r, alpha, s, beta)``.

    The formula of lifetimes' ``ParetoNBDFitter._conditional_log_likelihood`` (Fader &
    Hardie 2005, note 009, eq. 18), arranged for speed: its two hypergeometric
    functions depend on ``(frequency, recency)`` and on ``(frequency, T)`` only, so
    they are evaluated once per distinct pair (thousands) instead of once per customer
    row (up to millions), the pairs being found once for all evaluations.
    """
    x = np.asarray(frequency, dtype=float)
    tx = np.asarray(recency, dtype=float)
    age = np.asarray(T, dtype=float)
    pairs_tx, at_tx = np.unique(x + 1j * tx, return_inverse=True)
    pairs_t, at_t = np.unique(x + 1j * age, return_inverse=True)
    signs = np.array([[1.0], [-1.0]])

    def log_likelihood(params: Sequence[float]) -> np.ndarray:
        r, alpha, s, beta = (float(v) for v in params)
        low, high = sorted((alpha, beta))
        diff = high - low
        rsf_tx, rsf_t = r + s + pairs_tx.real, r + s + pairs_t.real
        second_tx = r + pairs_tx.real if alpha < beta else s + 1.0
        second_t = r + pairs_t.real if alpha < beta else s + 1.0
        p_1 = hyp2f1(rsf_tx, second_tx, rsf_tx + 1.0, diff / (high + pairs_tx.imag))[at_tx]
        p_2 = hyp2f1(rsf_t, second_t, rsf_t + 1.0, diff / (high + pairs_t.imag))[at_t]
        rsf = r + s + x
        q_1, q_2 = high + tx, high + age
        log_a0 = logsumexp(
            [np.log(p_1) + rsf * np.log(q_2), np.log(p_2) + rsf * np.log(q_1)], axis=0, b=signs
        ) - rsf * np.log(q_1 * q_2)
        a_1 = gammaln(r + x) - gammaln(r) + r * np.log(alpha) + s * np.log(beta)
        a_2 = np.logaddexp(
            -(r + x) * np.log(alpha + age) - s * np.log(beta + age),
            np.log(s) + log_a0 - np.log(rsf),
        )
        return a_1 + a_2

    return log_likelihood


_PURCHASE_FITTERS: dict[str, type] = {
    "bgnbd": BetaGeoFitter,
    "mbgnbd": ModifiedBetaGeoFitter,
    "pareto": _ParetoNBD,
}


def purchase_fitter(fit: FitResult, params: dict[str, float] | None = None) -> Any:
    """A lifetimes purchase fitter that predicts with ``params`` (default: the fit's own).

    Works on a cached copy of a fit too (:meth:`clv.valuation.engine.Valuation.portable` drops
    the fitter objects, which cannot be pickled): the predictions of these models need
    nothing but their parameters.
    """
    if fit.model not in _PURCHASE_FITTERS:
        raise ValueError(f"{fit.model!r} is not a purchase model; use one of {_PURCHASE_FITTERS}.")
    values = fit.params if params is None else params
    names = list(PARAMETERS[fit.model])
    fitter = _PURCHASE_FITTERS[fit.model]()
    fitter.params_ = pd.Series([float(values[k]) for k in names], index=names, dtype=float)
    return fitter


def _time_unit(frame: pd.DataFrame, time_unit: str | None) -> str:
    unit = time_unit or frame.attrs.get("time_unit")
    if unit is None:
        raise ValueError(
            "The time unit of recency and T is unknown; pass time_unit='day', 'week' or "
            "'month' (summaries from customer_summary() carry it)."
        )
    if unit not in TIME_UNITS:
        raise ValueError(f"Unknown time unit {unit!r}; choose one of {', '.join(TIME_UNITS)}.")
    frame_unit = frame.attrs.get("time_unit")
    if frame_unit is not None and frame_unit != unit:
        raise ValueError(
            f"The summary is in {frame_unit}s but time_unit={unit!r} was given; build the "
            "summary in the unit you want."
        )
    return unit


def _purchase_rows(summary: pd.DataFrame) -> pd.DataFrame:
    if "weight" in summary.columns:
        rows = summary[["frequency", "recency", "T", "weight"]].copy()
    else:
        rows = compress(summary)
    return rows[rows["weight"] > 0]


def purchase_log_likelihood(model: str, params: Mapping[str, float], rows: pd.DataFrame) -> float:
    """Log-likelihood of ``(frequency, recency, T)`` rows under a purchase model.

    Parameters
    ----------
    model : a key of :data:`PURCHASE_MODELS`.
    params : the model's parameters, in the time unit of ``recency`` and ``T``.
    rows : frame with ``frequency``, ``recency``, ``T`` and optionally ``weight``.

    Returns
    -------
    The sum over customers of the log-likelihood (lifetimes' formulas, no penalty).
    """
    names = PARAMETERS[model]
    theta = np.array([params[k] for k in names], dtype=float)
    x = rows["frequency"].to_numpy(dtype=float)
    tx = rows["recency"].to_numpy(dtype=float)
    age = rows["T"].to_numpy(dtype=float)
    w = rows["weight"].to_numpy(dtype=float) if "weight" in rows else np.ones_like(x)
    with _contained():
        if model == "pareto":
            return float(np.sum(w * pareto_log_likelihood_function(x, tx, age)(theta)))
        nll = _PURCHASE_FITTERS[model]._negative_log_likelihood(np.log(theta), x, tx, age, w, 0.0)
    return -float(nll) * float(np.sum(w))


# The purchase models fitted by our vectorised fitters rather than by lifetimes.
VECTORISED_FITS: dict[str, Callable[..., Any]] = {
    "bgnbd": vectorised.fit_bgnbd,
    "mbgnbd": vectorised.fit_mbgnbd,
}


def fit_purchase_model(
    summary: pd.DataFrame,
    model: str = "bgnbd",
    *,
    penalizer: float = 0.0,
    time_unit: str | None = None,
) -> FitResult:
    """Fit a purchase model on distinct ``(frequency, recency, T)`` rows.

    Parameters
    ----------
    summary : per-customer frame with ``frequency``, ``recency``, ``T`` (from
        :func:`clv.valuation.summary.customer_summary`), or already compressed rows with a
        ``weight`` column (:func:`clv.valuation.summary.compress`).
    model : ``"bgnbd"``, ``"mbgnbd"`` or ``"pareto"``.
    penalizer : L2 penalizer of the first try (0 = maximum likelihood). When that fit
        fails, the larger penalizers of :data:`RETRY_PENALIZERS` are tried in turn.
    time_unit : unit of ``recency`` and ``T``; default ``summary.attrs["time_unit"]``.

    Returns
    -------
    :class:`FitResult` (``warnings`` says when a penalizer had to be added).

    Raises
    ------
    FitFailed : fewer than :data:`MIN_REPEAT_CUSTOMERS` repeat customers, or no try
        converged to a trustworthy optimum.
    ValueError : unknown model, inconsistent summary.
    """
    if model not in PURCHASE_MODELS:
        raise ValueError(
            f"Unknown purchase model {model!r}; choose one of {', '.join(PURCHASE_MODELS)}."
        )
    label = PURCHASE_MODELS[model]
    unit = _time_unit(summary, time_unit)
    # Customers whose first purchase is on the observation end (T = 0) have likelihood 1
    # under all three models: they carry no information and are left out.
    rows = _purchase_rows(summary)
    rows = rows[rows["T"] > 0]
    x = rows["frequency"].to_numpy()
    tx = rows["recency"].to_numpy(dtype=float)
    age = rows["T"].to_numpy(dtype=float)
    w = rows["weight"].to_numpy(dtype=np.int64)
    n = int(w.sum())
    repeaters = int(w[x > 0].sum())
    if repeaters < MIN_REPEAT_CUSTOMERS:
        raise FitFailed(
            f"Only {repeaters} of {n} customers bought on more than one day; the {label} "
            f"model needs at least {MIN_REPEAT_CUSTOMERS} repeat customers. Choose a longer "
            "period or include more customers."
        )
    _check_inputs(x, tx, age)

    def attempt(pen: float) -> tuple[Any, np.ndarray, np.ndarray | None]:
        if model in VECTORISED_FITS:
            # Our vectorised fit (same objective, start and penalizer as lifetimes, equal
            # to it to about 1e-6); the lifetimes fitter only carries the parameters for
            # the predictions.
            fit = VECTORISED_FITS[model](x, tx, age, w, penalizer=pen)
            if not fit.converged:
                raise ConvergenceError(
                    f"The {label} optimisation did not converge ({fit.message})."
                )
            names = list(PARAMETERS[model])
            params = np.array([fit.params[k] for k in names], dtype=float)
            fitter = _PURCHASE_FITTERS[model](penalizer_coef=pen)
            fitter.params_ = pd.Series(params, index=names, dtype=float)
            # lifetimes' fit() names the predictor too (its CLV helper calls it).
            fitter.predict = fitter.conditional_expected_number_of_purchases_up_to_time
            return fitter, params, fit.hessian
        fitter = _PURCHASE_FITTERS[model](penalizer_coef=pen)
        fitter.fit(x, tx, age, weights=w)
        if model == "pareto":
            fitter._hessian_ = fitter._hessian_log
        params = np.array([fitter.params_[k] for k in PARAMETERS[model]], dtype=float)
        return fitter, params, fitter._hessian_

    fitter, params, log_cov, se, pen, notes = _with_retries(label, attempt, n, penalizer)
    ll = purchase_log_likelihood(model, dict(zip(PARAMETERS[model], params, strict=True)), rows)
    return _result(model, fitter, params, log_cov, se, ll, n, pen, notes, unit)

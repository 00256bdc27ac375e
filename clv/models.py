r"""Purchase and spend models (lifetimes) behind one interface, with predictive CLV.

Purchase models, fitted on the per-customer ``(frequency, recency, T)`` of
:func:`clv.summary.customer_summary`:

- ``"bgnbd"``: BG/NBD (Fader, Hardie & Lee 2005), lifetimes' ``BetaGeoFitter``;
  parameters ``r, alpha`` (purchase rate ~ Gamma(r, alpha)) and ``a, b`` (dropout
  probability after each repeat purchase ~ Beta(a, b)).
- ``"mbgnbd"``: MBG/NBD (Batislam et al. 2007), ``ModifiedBetaGeoFitter``; as BG/NBD, but
  a customer may also drop out right after the first purchase.
- ``"pareto"``: Pareto/NBD (Schmittlein et al. 1987), ``ParetoNBDFitter``; parameters
  ``r, alpha`` and ``s, beta`` (lifetime ~ exponential with rate ~ Gamma(s, beta)).

Spend model: Gamma-Gamma (Fader, Hardie & Lee 2005b), ``GammaGammaFitter``, on repeat
customers' ``(frequency, monetary_value)``; parameters ``p, q, gamma`` (lifetimes calls
``gamma`` ``v``). The mean order value of the population is ``p * gamma / (q - 1)``.

Fitting is done on the distinct ``(frequency, recency, T)`` rows with the number of
customers as weights (:func:`clv.summary.compress`), which gives the same estimates as
fitting every customer. A fit that does not converge, whose parameters are not finite or
whose information matrix is not positive definite is retried with the penalizers
:data:`RETRY_PENALIZERS`; :class:`FitFailed` is raised when every try fails, so no number
from a failed fit ever leaves this module.

Standard errors come from the inverse Hessian of the log-likelihood in the log
parameters (the optimiser's own coordinates): ``Cov(log theta) = H^-1 / N``, hence
``se(theta_k) = theta_k * sqrt(Cov_kk)`` (the delta method) and the 95 % interval is
``theta_k +- 1.96 se``. These equal lifetimes' ``standard_errors_``; lifetimes'
``variance_matrix_`` off the diagonal is not symmetric, so the covariance is rebuilt here.
lifetimes' Pareto/NBD fitter has neither a convergence check, a fixed start nor a
Hessian: here it is optimised from a fixed start in the log parameters (Nelder-Mead, then
BFGS) and its Hessian is taken by central differences.
"""

from __future__ import annotations

import copy
import io
import math
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, redirect_stdout
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from lifetimes import BetaGeoFitter, GammaGammaFitter, ModifiedBetaGeoFitter, ParetoNBDFitter
from lifetimes.utils import ConvergenceError, _check_inputs
from scipy.optimize import minimize
from scipy.special import gammaln, hyp2f1, logsumexp

from clv.summary import TIME_UNITS, compress

PURCHASE_MODELS: dict[str, str] = {
    "bgnbd": "BG/NBD",
    "mbgnbd": "MBG/NBD",
    "pareto": "Pareto/NBD",
}
SPEND_MODEL = "gamma_gamma"
MODEL_LABELS: dict[str, str] = {**PURCHASE_MODELS, SPEND_MODEL: "Gamma-Gamma"}
PARAMETERS: dict[str, tuple[str, ...]] = {
    "bgnbd": ("r", "alpha", "a", "b"),
    "mbgnbd": ("r", "alpha", "a", "b"),
    "pareto": ("r", "alpha", "s", "beta"),
    SPEND_MODEL: ("p", "q", "gamma"),
}
#: Penalizers tried, in order, when a fit does not converge.
RETRY_PENALIZERS: tuple[float, ...] = (0.001, 0.01, 0.1)
#: Fewer repeat customers than this cannot identify four (or three) parameters.
MIN_REPEAT_CUSTOMERS = 10
#: Customers in the sample on which the Pareto/NBD simplex search runs (see _ParetoNBD).
PARETO_SEARCH_CUSTOMERS = 5_000
#: A parameter whose standard error exceeds this multiple of its value is not identified
#: (its 95 % interval would span many orders of magnitude): the fit is not accepted.
MAX_RELATIVE_SE = 10.0
#: Days per month for horizons and discounting (365.25 / 12).
DAYS_PER_MONTH = 30.4375
Z_95 = 1.96


class FitFailed(ValueError):
    """A model could not be fitted; the message says why and what to try."""


class _Unstable(ArithmeticError):
    """A fit ended, but its result cannot be trusted (raised between retries)."""


@dataclass
class FitResult:
    """A fitted purchase or spend model.

    Attributes
    ----------
    model : ``"bgnbd"``, ``"mbgnbd"``, ``"pareto"`` or ``"gamma_gamma"``.
    params : parameter name -> estimate (names in :data:`PARAMETERS`).
    standard_errors, lower, upper : per parameter, the standard error and the 95 %
        interval ``estimate -+ 1.96 * standard error``.
    log_likelihood : log-likelihood of the data at the estimates (without penalty), in
        the summary's time unit.
    n_customers : customers the model was fitted on.
    penalizer_used : the L2 penalizer of the accepted fit (0 = plain maximum likelihood).
    warnings : what a reader must know (retries, penalizers), as sentences.
    time_unit : time unit of ``recency`` and ``T`` (purchase models), else ``None``.
    log_covariance : covariance matrix of the log parameters (order of ``params``).
    fitter : the fitted lifetimes object, for predictions.
    """

    model: str
    params: dict[str, float]
    standard_errors: dict[str, float]
    lower: dict[str, float]
    upper: dict[str, float]
    log_likelihood: float
    n_customers: int
    penalizer_used: float
    warnings: list[str]
    time_unit: str | None
    log_covariance: np.ndarray = field(repr=False)
    fitter: Any = field(repr=False)

    @property
    def label(self) -> str:
        """Display name of the model (e.g. ``"BG/NBD"``)."""
        return MODEL_LABELS[self.model]

    def parameter_table(self) -> pd.DataFrame:
        """Parameters with their uncertainty.

        Returns
        -------
        DataFrame with columns ``parameter``, ``value``, ``standard_error``,
        ``lower_95``, ``upper_95``.
        """
        names = list(self.params)
        return pd.DataFrame(
            {
                "parameter": names,
                "value": [self.params[n] for n in names],
                "standard_error": [self.standard_errors[n] for n in names],
                "lower_95": [self.lower[n] for n in names],
                "upper_95": [self.upper[n] for n in names],
            }
        )

    def covariance(self) -> pd.DataFrame:
        """Covariance matrix of the parameters (delta method from the log parameters)."""
        values = np.array(list(self.params.values()))
        names = list(self.params)
        return pd.DataFrame(
            self.log_covariance * np.outer(values, values), index=names, columns=names
        )


@contextmanager
def _contained() -> Iterator[None]:
    """Keep lifetimes' warning-filter changes and numpy's overflow noise local.

    lifetimes calls ``warnings.simplefilter("ignore", FutureWarning)`` on every
    likelihood evaluation, which would otherwise silence FutureWarnings for the whole
    process; extreme trial parameters overflow harmlessly during the search.
    """
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        yield


# -- purchase models -------------------------------------------------------------------


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


def _gradient(f: Callable[[np.ndarray], float], x: np.ndarray, h: float = 1e-5) -> np.ndarray:
    eye = np.eye(x.size) * h
    return np.array([(f(x + e) - f(x - e)) / (2 * h) for e in eye])


def _hessian(f: Callable[[np.ndarray], float], x: np.ndarray, h: float = 1e-3) -> np.ndarray:
    """Central-difference Hessian (the objective is smooth and O(1) in size)."""
    n = x.size
    out = np.empty((n, n))
    f0 = f(x)
    for i in range(n):
        ei = np.zeros(n)
        ei[i] = h
        out[i, i] = (f(x + ei) - 2 * f0 + f(x - ei)) / h**2
        for j in range(i + 1, n):
            ej = np.zeros(n)
            ej[j] = h
            out[i, j] = out[j, i] = (
                f(x + ei + ej) - f(x + ei - ej) - f(x - ei + ej) + f(x - ei - ej)
            ) / (4 * h**2)
    return out


_PURCHASE_FITTERS: dict[str, type] = {
    "bgnbd": BetaGeoFitter,
    "mbgnbd": ModifiedBetaGeoFitter,
    "pareto": _ParetoNBD,
}


def purchase_fitter(fit: FitResult, params: dict[str, float] | None = None) -> Any:
    """A lifetimes purchase fitter that predicts with ``params`` (default: the fit's own).

    Works on a cached copy of a fit too (:meth:`clv.valuation.Valuation.portable` drops
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


def _check_fit(
    params: np.ndarray, hessian: np.ndarray | None, n: float
) -> tuple[np.ndarray, np.ndarray]:
    """Covariance of the log parameters, or :class:`_Unstable` if it cannot be trusted."""
    if not np.all(np.isfinite(params)) or np.any(params <= 0):
        raise _Unstable("the estimates are not finite positive numbers")
    if np.any(params > 1e8) or np.any(params < 1e-8):
        raise _Unstable("an estimate ran off towards zero or infinity")
    if hessian is None or not np.all(np.isfinite(hessian)):
        raise _Unstable("the curvature of the likelihood could not be computed")
    sym = (np.asarray(hessian, dtype=float) + np.asarray(hessian, dtype=float).T) / 2
    try:
        np.linalg.cholesky(sym)
    except np.linalg.LinAlgError:
        raise _Unstable("the likelihood is flat or saddle-shaped at the estimates") from None
    log_cov = np.linalg.inv(sym) / n
    log_se = np.sqrt(np.diag(log_cov))
    if not np.all(np.isfinite(log_se)):
        raise _Unstable("the standard errors are not finite")
    if np.any(log_se > MAX_RELATIVE_SE):
        raise _Unstable(
            "the data do not pin down a parameter (standard error "
            f"{np.max(log_se):.3g} times its value)"
        )
    return log_cov, params * log_se


def _with_retries(
    label: str,
    attempt: Callable[[float], tuple[Any, np.ndarray, np.ndarray | None]],
    n: float,
    penalizer: float,
) -> tuple[Any, np.ndarray, np.ndarray, np.ndarray, float, list[str]]:
    if not (penalizer >= 0 and math.isfinite(penalizer)):
        raise ValueError(f"The penalizer must be a number >= 0, not {penalizer!r}.")
    tries = [penalizer, *[p for p in RETRY_PENALIZERS if p > penalizer]]
    problems: list[str] = []
    for pen in tries:
        try:
            # lifetimes prints the optimiser's report when a fit fails; the reason is
            # reported through FitFailed / FitResult.warnings instead.
            with _contained(), redirect_stdout(io.StringIO()):
                fitter, params, hessian = attempt(pen)
                log_cov, se = _check_fit(params, hessian, n)
        except (ConvergenceError, _Unstable, FloatingPointError, np.linalg.LinAlgError) as exc:
            reason = (
                "the optimiser did not converge"
                if isinstance(exc, ConvergenceError)
                else str(exc) or type(exc).__name__
            )
            problems.append(f"penalizer {pen:g}: {reason}")
            continue
        notes = []
        if pen != penalizer:
            notes.append(
                f"The {label} fit failed with penalizer {penalizer:g} "
                f"({'; '.join(problems)}); it converged with penalizer {pen:g}, which pulls "
                "the parameters towards zero. Treat the figures with caution."
            )
        return fitter, params, log_cov, se, pen, notes
    raise FitFailed(
        f"The {label} model could not be fitted ({'; '.join(problems)}). Use a longer "
        "period or more customers (the model learns from repeat purchases), or try "
        "another model."
    )


def _result(
    model: str,
    fitter: Any,
    params: np.ndarray,
    log_cov: np.ndarray,
    se: np.ndarray,
    log_likelihood: float,
    n: int,
    penalizer: float,
    notes: list[str],
    time_unit: str | None,
) -> FitResult:
    names = PARAMETERS[model]
    values = {k: float(v) for k, v in zip(names, params, strict=True)}
    errors = {k: float(v) for k, v in zip(names, se, strict=True)}
    return FitResult(
        model=model,
        params=values,
        standard_errors=errors,
        lower={k: values[k] - Z_95 * errors[k] for k in names},
        upper={k: values[k] + Z_95 * errors[k] for k in names},
        log_likelihood=float(log_likelihood),
        n_customers=int(n),
        penalizer_used=float(penalizer),
        warnings=notes,
        time_unit=time_unit,
        log_covariance=log_cov,
        fitter=fitter,
    )


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
        :func:`clv.summary.customer_summary`), or already compressed rows with a
        ``weight`` column (:func:`clv.summary.compress`).
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
        fitter = _PURCHASE_FITTERS[model](penalizer_coef=pen)
        fitter.fit(x, tx, age, weights=w)
        if model == "pareto":
            fitter._hessian_ = fitter._hessian_log
        params = np.array([fitter.params_[k] for k in PARAMETERS[model]], dtype=float)
        return fitter, params, fitter._hessian_

    fitter, params, log_cov, se, pen, notes = _with_retries(label, attempt, n, penalizer)
    ll = purchase_log_likelihood(model, dict(zip(PARAMETERS[model], params, strict=True)), rows)
    return _result(model, fitter, params, log_cov, se, ll, n, pen, notes, unit)


# -- spend model -------------------------------------------------------------------------


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


# -- predictions --------------------------------------------------------------------------


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
    summary : per-customer frame (:func:`clv.summary.customer_summary`) in the purchase
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


# -- trust: back-test, model choice, uncertainty --------------------------------------------


@dataclass
class HoldoutResult:
    """Back-test of a purchase model fitted on the calibration period.

    Attributes
    ----------
    model : the model key.
    fit : the :class:`FitResult` on the calibration period.
    per_customer : DataFrame indexed by ``customer_id`` with ``frequency_cal``,
        ``actual`` (holdout purchases) and ``predicted``.
    actual_total, predicted_total : total repeat purchases in the holdout.
    mae : mean absolute error per customer.
    bias_percent : ``100 * (predicted_total - actual_total) / actual_total``.
    by_frequency : DataFrame with ``frequency_cal`` (0.. ``max_frequency``, the last
        bucket holding that many or more), ``customers``, ``actual_mean``,
        ``predicted_mean``: mean holdout purchases per calibration frequency.
    """

    model: str
    fit: FitResult
    per_customer: pd.DataFrame
    actual_total: float
    predicted_total: float
    mae: float
    bias_percent: float
    by_frequency: pd.DataFrame


def _calibration_summary(cal_holdout: pd.DataFrame) -> pd.DataFrame:
    summary = pd.DataFrame(
        {
            "frequency": cal_holdout["frequency_cal"],
            "recency": cal_holdout["recency_cal"],
            "T": cal_holdout["T_cal"],
            "monetary_value": cal_holdout["monetary_value_cal"],
        },
        index=cal_holdout.index,
    )
    summary.attrs = {
        "time_unit": cal_holdout.attrs.get("time_unit"),
        "observation_end": cal_holdout.attrs.get("calibration_end"),
    }
    return summary


def holdout_error(
    cal_holdout: pd.DataFrame,
    model: str = "bgnbd",
    *,
    penalizer: float = 0.0,
    time_unit: str | None = None,
    max_frequency: int = 7,
) -> HoldoutResult:
    """Fit on the calibration period and compare predicted with actual holdout purchases.

    Parameters
    ----------
    cal_holdout : from :func:`clv.summary.calibration_holdout`.
    model, penalizer : as :func:`fit_purchase_model`.
    time_unit : default ``cal_holdout.attrs["time_unit"]``.
    max_frequency : last bucket of ``by_frequency`` ("that many or more").

    Returns
    -------
    :class:`HoldoutResult`; the prediction for customer ``i`` is
    ``E[X(duration_holdout) | frequency_cal, recency_cal, T_cal]``.

    Raises
    ------
    FitFailed : as :func:`fit_purchase_model`.
    """
    summary = _calibration_summary(cal_holdout)
    fit = fit_purchase_model(summary, model, penalizer=penalizer, time_unit=time_unit)
    duration = float(cal_holdout["duration_holdout"].iloc[0]) if len(cal_holdout) else 0.0
    days = duration * TIME_UNITS[fit.time_unit or "week"]
    predicted = expected_purchases(fit, summary, days).to_numpy()
    actual = cal_holdout["frequency_holdout"].to_numpy(dtype=float)
    per_customer = pd.DataFrame(
        {"frequency_cal": summary["frequency"], "actual": actual, "predicted": predicted},
        index=cal_holdout.index,
    )
    bucket = np.minimum(per_customer["frequency_cal"].to_numpy(), max_frequency)
    by_frequency = (
        per_customer.assign(bucket=bucket)
        .groupby("bucket")
        .agg(
            customers=("actual", "size"),
            actual_mean=("actual", "mean"),
            predicted_mean=("predicted", "mean"),
        )
        .rename_axis("frequency_cal")
        .reset_index()
    )
    actual_total = float(actual.sum())
    predicted_total = float(predicted.sum())
    return HoldoutResult(
        model=model,
        fit=fit,
        per_customer=per_customer,
        actual_total=actual_total,
        predicted_total=predicted_total,
        mae=float(np.mean(np.abs(predicted - actual))),
        bias_percent=(
            100 * (predicted_total - actual_total) / actual_total if actual_total else math.nan
        ),
        by_frequency=by_frequency,
    )


@dataclass
class ModelComparison:
    """Holdout back-tests of several purchase models and the best one.

    Attributes
    ----------
    table : DataFrame, one row per model: ``model``, ``label``, ``actual_total``,
        ``predicted_total``, ``bias_percent``, ``mae``, ``log_likelihood``,
        ``penalizer_used``, ``error`` (why a model failed, else empty).
    best : key of the model with the lowest mean absolute error per customer, ``None``
        when every model failed.
    results : model key -> :class:`HoldoutResult` for the models that could be fitted.
    """

    table: pd.DataFrame
    best: str | None
    results: dict[str, HoldoutResult]


def compare_models(
    cal_holdout: pd.DataFrame,
    models: Sequence[str] = tuple(PURCHASE_MODELS),
    *,
    penalizer: float = 0.0,
) -> ModelComparison:
    """Back-test each purchase model and choose the one with the smallest holdout error.

    The criterion is the mean absolute error per customer of the holdout purchases
    (it rewards getting individuals right, not only the total); the bias of the total
    is reported beside it. A model that cannot be fitted is listed with its reason.
    """
    rows = []
    results: dict[str, HoldoutResult] = {}
    for model in models:
        try:
            result = holdout_error(cal_holdout, model, penalizer=penalizer)
        except FitFailed as exc:
            rows.append({"model": model, "label": PURCHASE_MODELS[model], "error": str(exc)})
            continue
        results[model] = result
        rows.append(
            {
                "model": model,
                "label": PURCHASE_MODELS[model],
                "actual_total": result.actual_total,
                "predicted_total": result.predicted_total,
                "bias_percent": result.bias_percent,
                "mae": result.mae,
                "log_likelihood": result.fit.log_likelihood,
                "penalizer_used": result.fit.penalizer_used,
                "error": "",
            }
        )
    columns = [
        "model",
        "label",
        "actual_total",
        "predicted_total",
        "bias_percent",
        "mae",
        "log_likelihood",
        "penalizer_used",
        "error",
    ]
    table = pd.DataFrame(rows).reindex(columns=columns)
    table["error"] = table["error"].fillna("")
    best = min(results, key=lambda k: results[k].mae) if results else None
    return ModelComparison(table=table, best=best, results=results)


def cumulative_purchases(
    fit: FitResult, daily: pd.DataFrame, *, calibration_end: Any = None
) -> pd.DataFrame:
    r"""Cumulative actual and predicted repeat purchases of a cohort, per time unit.

    The prediction is unconditional: for a customer whose first purchase was ``t``
    time units ago it is ``E[X(t)]`` (the model's expected repeat purchases of a new
    customer), summed over the cohort,

    .. math:: \hat{C}(t) = \sum_{d} n_d\, E[X(t - d)],

    ``n_d`` customers having their first purchase on day ``d`` (Fader, Hardie & Lee
    2005, figure 2 of the tracking plot).

    Parameters
    ----------
    fit : a purchase model fitted on the cohort's calibration period.
    daily : from :func:`clv.summary.daily_purchases` (same cohort).
    calibration_end : marks the rows of the holdout (``period`` column).

    Returns
    -------
    DataFrame, one row per whole time unit since the cohort's first day and one for
    the last day: ``t`` (time units since the first day), ``date``, ``actual`` and
    ``predicted`` cumulative repeat purchases, and ``period`` (``"calibration"`` /
    ``"holdout"``).
    """
    if fit.model not in PURCHASE_MODELS:
        raise ValueError("The tracking needs a purchase model fit.")
    if daily.empty:
        return pd.DataFrame(columns=["t", "date", "actual", "predicted", "period"])
    unit = TIME_UNITS[fit.time_unit or "week"]
    newcomers = daily["first_purchases"].to_numpy(dtype=float)
    repeats = daily["repeat_purchases"].to_numpy(dtype=float)
    ages = np.arange(len(daily), dtype=float) / unit
    with _contained():
        expected = np.asarray(fit.fitter.expected_number_of_purchases_up_to_time(ages), dtype=float)
    expected[0] = 0.0
    predicted = np.convolve(newcomers, expected)[: len(daily)]
    actual = np.cumsum(repeats)
    last = len(daily) - 1
    steps = np.arange(1, int(math.floor(last / unit)) + 1, dtype=float)
    index = np.round(steps * unit).astype(int)
    if index.size == 0 or index[-1] < last:
        # The observation end closes the series even when it is not a whole unit.
        steps = np.append(steps, last / unit)
        index = np.append(index, last)
    days = pd.to_datetime(pd.Series(daily["day"]).iloc[index].to_numpy())
    cal_end = pd.Timestamp(calibration_end) if calibration_end is not None else None
    period = (
        np.where(days <= cal_end, "calibration", "holdout")
        if cal_end is not None
        else np.full(len(index), "calibration")
    )
    return pd.DataFrame(
        {
            "t": steps,
            "date": days,
            "actual": actual[index],
            "predicted": predicted[index],
            "period": period,
        }
    )


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

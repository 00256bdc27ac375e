"""What the purchase and spend models share: the fit result, the constants, the retries.

Fitting is done on the distinct ``(frequency, recency, T)`` rows with the number of
customers as weights (:func:`clv.valuation.summary.compress`), which gives the same estimates as
fitting every customer. A fit that does not converge, whose parameters are not finite or
whose information matrix is not positive definite is retried with the penalizers
:data:`RETRY_PENALIZERS`; :class:`FitFailed` is raised when every try fails, so no number
from a failed fit ever leaves this package.

Standard errors come from the inverse Hessian of the log-likelihood in the log
parameters (the optimiser's own coordinates): ``Cov(log theta) = H^-1 / N``, hence
``se(theta_k) = theta_k * sqrt(Cov_kk)`` (the delta method) and the 95 % interval is
``theta_k +- 1.96 se``. These equal lifetimes' ``standard_errors_``; lifetimes'
``variance_matrix_`` off the diagonal is not symmetric, so the covariance is rebuilt here.
"""

from __future__ import annotations

import io
import math
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager, redirect_stdout
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from lifetimes.utils import ConvergenceError

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

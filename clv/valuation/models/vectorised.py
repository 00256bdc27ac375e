"""Vectorised maximum-likelihood fitters for BG/NBD and MBG/NBD, with analytic gradients.

:func:`clv.valuation.models.purchase.fit_purchase_model` fits BG/NBD and MBG/NBD with
these (lifetimes takes several times longer on a large base); lifetimes stays the
reference the tests compare them with, and fits Pareto/NBD.

The models and their log-likelihoods are lifetimes':

- BG/NBD (Fader, Hardie & Lee 2005; lifetimes' ``BetaGeoFitter``)::

      L = B(a, b + x) / B(a, b) * G(r + x) alpha^r / (G(r) (alpha + T)^(r + x))
          + [x > 0] B(a + 1, b + x - 1) / B(a, b) * G(r + x) alpha^r
            / (G(r) (alpha + t_x)^(r + x))

- MBG/NBD (Batislam, Denizel & Filiztekin 2007; lifetimes' ``ModifiedBetaGeoFitter``),
  where a customer may also drop out right after the first purchase::

      L = B(a, b + x + 1) / B(a, b) * G(r + x) alpha^r / (G(r) (alpha + T)^(r + x))
          + B(a + 1, b + x) / B(a, b) * G(r + x) alpha^r / (G(r) (alpha + t_x)^(r + x))

Both are written as ``A_1 + A_2 - (r + x) log(alpha + T) + log(1 + exp(d))`` with
``d = log a - log(b + x - k) + (r + x) (log(alpha + T) - log(alpha + t_x))`` (``k = 1``
for BG/NBD, on repeat customers only; ``k = 0`` for MBG/NBD, on every customer), so the
sum of the two terms is one ``np.logaddexp(0, d)``, which neither overflows nor loses
the smaller term. The log-likelihood is in the time unit of ``recency`` and ``T``: it is
lifetimes' ``-_negative_log_likelihood_ * n`` plus ``sum(weights * x) * log(_scale)``,
since lifetimes fits on times divided by ``max(T)``.

The optimiser is L-BFGS-B on the log parameters (so every parameter is positive by
construction) with the analytic gradient (digamma terms), from lifetimes' start and on
lifetimes' objective: the mean negative log-likelihood per customer, plus
``penalizer * sum(params ** 2)`` on the parameters of the rescaled time (lifetimes'
penalizer semantics). Standard errors come from the Hessian of that objective in the log
parameters (central differences of the analytic gradient): ``Cov(log p) = H^-1 / n``,
the 95 % interval is ``exp(log p -+ 1.96 se(log p))`` (always positive, asymmetric) and
the reported standard error of ``p`` is the delta-method ``p * se(log p)`` (lifetimes'
``standard_errors_``).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.optimize import minimize
from scipy.special import betaln, digamma, expit, gammaln

from clv.valuation.models.fitting import MIN_REPEAT_CUSTOMERS, Z_95, FitFailed
from clv.valuation.summary import compress

#: Models fitted here (keys as in :data:`clv.valuation.models.fitting.PURCHASE_MODELS`).
MODELS: dict[str, str] = {"bgnbd": "BG/NBD", "mbgnbd": "MBG/NBD"}
#: Parameter names, in the order of every parameter vector of this module.
PARAMETER_NAMES: tuple[str, str, str, str] = ("r", "alpha", "a", "b")
#: lifetimes' start: 0.1 for every log parameter, time rescaled so that max(T) = 1.
_START = 0.1
#: Bounds of the log parameters for the optimiser: exp(+-25) spans 1e-11 .. 7e10, far
#: beyond any sensible estimate, and keeps every trial point finite (no overflow in
#: gammaln or exp). An estimate on a bound is reported as not converged.
_LOG_BOUND = 25.0
#: Largest gradient component (of the mean negative log-likelihood in log parameters)
#: accepted as an optimum: a check on top of L-BFGS-B's own stop (projected gradient
#: 1e-9), which also reports success when the relative decrease stalls far from it.
_GRADIENT_TOLERANCE = 1e-5
#: Step of the central differences of the gradient for the Hessian (log scale): small
#: against the curvature, large against rounding of an O(1) gradient.
_HESSIAN_STEP = 1e-4


@dataclass(frozen=True)
class VectorisedFit:
    """A BG/NBD or MBG/NBD fit of :func:`fit_bgnbd` / :func:`fit_mbgnbd`.

    Attributes
    ----------
    model : ``"bgnbd"`` or ``"mbgnbd"``.
    params : ``{"r", "alpha", "a", "b"}`` -> estimate, ``alpha`` in the time unit of the
        input.
    log_likelihood : total log-likelihood of the customers at the estimates (sum over
        rows of weight x log-likelihood, no penalty), in the time unit of the input.
    n_customers : customers fitted (the sum of the weights).
    iterations : L-BFGS-B iterations.
    converged : the optimiser stopped on its own criteria, with a gradient below
        ``1e-5`` and no parameter on a bound.
    standard_errors : delta-method standard error of each parameter, ``p * se(log p)``.
    log_standard_errors : standard error of each log parameter.
    lower, upper : 95 % interval ``exp(log p -+ 1.96 se(log p))`` of each parameter.
        These four are NaN when the Hessian is not positive definite (no usable
        curvature at the estimates).
    penalizer : the L2 penalizer of the fit (0 = maximum likelihood).
    message : the optimiser's stopping message.
    hessian : Hessian of the objective (mean negative log-likelihood per customer, plus
        the penalty) in the log parameters at the estimates: ``Cov(log p) = H^-1 / n``,
        the convention of :func:`clv.valuation.models.fitting._check_fit`.
    """

    model: str
    params: dict[str, float]
    log_likelihood: float
    n_customers: int
    iterations: int
    converged: bool
    standard_errors: dict[str, float]
    log_standard_errors: dict[str, float]
    lower: dict[str, float]
    upper: dict[str, float]
    penalizer: float
    message: str
    hessian: np.ndarray = field(repr=False, compare=False)


@dataclass(frozen=True)
class _Rows:
    """Validated rows, arranged once per fit for cheap likelihood evaluations.

    Rows are sorted so that repeat customers (``x > 0``) come last: the blocks of the
    second likelihood term (repeat customers; one-time buyers in MBG/NBD) are then slices
    (views) instead of fancy-indexed copies at every evaluation.
    The gamma-function terms depend on a row only through ``x``, of which there are few
    distinct values (hundreds) against up to millions of rows: they are evaluated on
    ``x_values`` with the total weight ``x_weight`` of each.
    """

    x: np.ndarray
    recency: np.ndarray
    T: np.ndarray
    weight: np.ndarray
    weight_x: np.ndarray
    first_repeat: int
    x_values: np.ndarray
    x_weight: np.ndarray
    n_customers: int
    n_repeat: int


def _as_vector(values: np.ndarray, name: str) -> np.ndarray:
    array = np.asarray(values, dtype=float)
    if array.ndim != 1:
        raise ValueError(f"{name} must be a one-dimensional array, not of shape {array.shape}.")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} contains missing or infinite values; drop or fix those rows.")
    return array


def _rows(
    frequency: np.ndarray,
    recency: np.ndarray,
    T: np.ndarray,
    weights: np.ndarray | None,
    label: str,
    min_repeat: int = MIN_REPEAT_CUSTOMERS,
) -> _Rows:
    """Check the inputs (lifetimes' rules, plus whole non-negative weights) and arrange them.

    ``min_repeat`` is the fewest repeat customers accepted: :data:`MIN_REPEAT_CUSTOMERS`
    for a fit, 0 to evaluate a likelihood.
    """
    x = _as_vector(frequency, "frequency")
    tx = _as_vector(recency, "recency")
    age = _as_vector(T, "T")
    w = np.ones_like(x) if weights is None else _as_vector(weights, "weights")
    if not (x.size == tx.size == age.size == w.size):
        raise ValueError(
            f"frequency, recency, T and weights have different lengths ({x.size}, {tx.size}, "
            f"{age.size}, {w.size}); pass one value of each per row."
        )
    if np.any(w < 0) or np.any(w != np.round(w)):
        raise ValueError(
            "weights must be whole numbers >= 0 (customers per row, the 'weight' column of "
            "compress())."
        )
    keep = w > 0
    if not np.any(keep):
        raise ValueError(
            f"There are no customers to fit the {label} model on (no rows, or every weight "
            "is 0); pass the rows of compress() on a non-empty customer summary."
        )
    x, tx, age, w = x[keep], tx[keep], age[keep], w[keep]
    if np.any(x < 0) or np.any(x != np.round(x)):
        raise ValueError("frequency must hold whole numbers >= 0 (repeat purchase days).")
    if np.any(tx < 0) or np.any(tx > age):
        raise ValueError(
            "recency must lie between 0 and T on every row (last purchase after the first, "
            "before the observation end); check how the summary was built."
        )
    if np.any(tx[x == 0] != 0):
        raise ValueError(
            "Rows with frequency 0 must have recency 0 (no repeat purchase); check how the "
            "summary was built."
        )
    n_customers = int(w.sum())
    n_repeat = int(w[x > 0].sum())
    if n_repeat < min_repeat:
        # Same rule, and the same exception type (a ValueError), as fit_purchase_model.
        raise FitFailed(
            f"Only {n_repeat} of {n_customers} customers bought on more than one day; the "
            f"{label} model needs at least {min_repeat} repeat customers. Choose a "
            "longer period or include more customers."
        )
    order = np.argsort(x > 0, kind="stable")
    x, tx, age, w = x[order], tx[order], age[order], w[order]
    x_values, inverse = np.unique(x, return_inverse=True)
    return _Rows(
        x=x,
        recency=tx,
        T=age,
        weight=w,
        weight_x=w * x,
        first_repeat=int(np.searchsorted(x > 0, True)),
        x_values=x_values,
        x_weight=np.bincount(inverse, weights=w, minlength=x_values.size),
        n_customers=n_customers,
        n_repeat=n_repeat,
    )


def _second_term(
    weight: np.ndarray,
    r_x: np.ndarray | float,
    log_ratio: np.ndarray,
    inverse_difference: np.ndarray | float,
    log_a: float,
    b_x: np.ndarray | float,
) -> tuple[float, float, float, float, float]:
    """``sum(w log(1 + e^d))`` on a block of rows and its derivatives in ``r, alpha, a, b``.

    ``d = log a - log b_x + (r + x) log_ratio`` with ``log_ratio = log(alpha + T) -
    log(alpha + t_x)`` and ``inverse_difference = 1 / (alpha + T) - 1 / (alpha + t_x)``
    (``r_x = r + x``, ``inverse_difference`` and ``b_x`` may be scalars when a block shares
    them). Returns the value, ``d/dr``, ``d/dalpha``, ``a * d/da`` and ``d/db``.
    """
    d = log_a - np.log(b_x) + r_x * log_ratio
    value = float(weight @ np.logaddexp(0.0, d))
    # d log(1 + e^d) / d theta = expit(d) * d d / d theta; q carries the weights.
    q = weight * expit(d)
    total_q = float(q.sum())
    return (
        value,
        float(q @ log_ratio),
        float(q @ (r_x * inverse_difference)),
        total_q,
        -float(np.sum(q / b_x)),
    )


def _log_likelihood(model: str, log_params: np.ndarray, rows: _Rows) -> tuple[float, np.ndarray]:
    """Total log-likelihood and its gradient in ``(log r, log alpha, log a, log b)``."""
    r, alpha, a, b = np.exp(np.asarray(log_params, dtype=float))

    # Terms in x alone, on the distinct frequencies (gamma functions are the costly part).
    # MBG/NBD's first term has B(a, b + x + 1) where BG/NBD's has B(a, b + x).
    xv, wx = rows.x_values, rows.x_weight
    m = xv if model == "bgnbd" else xv + 1.0
    log_alpha = math.log(alpha)
    psi_ab, psi_abm = digamma(a + b), digamma(a + b + m)
    value = float(
        wx @ (gammaln(r + xv) - gammaln(r) + r * log_alpha + betaln(a, b + m) - betaln(a, b))
    )
    g_r = float(wx @ (digamma(r + xv) - digamma(r) + log_alpha))
    g_alpha = rows.n_customers * r / alpha
    g_a = float(wx @ (psi_ab - psi_abm))
    g_b = float(wx @ (psi_ab + digamma(b + m) - digamma(b) - psi_abm))

    # -(r + x) log(alpha + T) on every row, as r * (w . log) + (w x) . log: no temporary
    # (r + x) array, two dot products.
    log_alpha_t = np.log(alpha + rows.T)
    inv_alpha_t = 1.0 / (alpha + rows.T)
    value -= r * float(rows.weight @ log_alpha_t) + float(rows.weight_x @ log_alpha_t)
    g_r -= float(rows.weight @ log_alpha_t)
    g_alpha -= r * float(rows.weight @ inv_alpha_t) + float(rows.weight_x @ inv_alpha_t)

    # The second term, log(1 + e^d). Repeat customers (the slice after first_repeat, see
    # _Rows) have it in both models: the drop-out right after the last purchase, with
    # beta ratio a / (b + x - 1) in BG/NBD and a / (b + x) in MBG/NBD.
    blocks = []
    rep = slice(rows.first_repeat, None)
    x_rep = rows.x[rep]
    alpha_tx = alpha + rows.recency[rep]
    blocks.append(
        _second_term(
            rows.weight[rep],
            r + x_rep,
            log_alpha_t[rep] - np.log(alpha_tx),
            inv_alpha_t[rep] - 1.0 / alpha_tx,
            math.log(a),
            b + x_rep - (1.0 if model == "bgnbd" else 0.0),
        )
    )
    if model == "mbgnbd" and rows.first_repeat > 0:
        # MBG/NBD lets one-time buyers drop out after their first purchase too. Their
        # t_x is 0, so log(alpha + t_x) = log alpha and b + x = b are scalars: one log
        # and one division fewer per row on what is often most of the rows.
        once = slice(0, rows.first_repeat)
        blocks.append(
            _second_term(
                rows.weight[once],
                r,
                log_alpha_t[once] - log_alpha,
                inv_alpha_t[once] - 1.0 / alpha,
                math.log(a),
                b,
            )
        )
    for block_value, d_r, d_alpha, a_d_a, d_b in blocks:
        value += block_value
        g_r += d_r
        g_alpha += d_alpha
        g_a += a_d_a / a
        g_b += d_b

    # Chain rule to the log parameters: d/d log p = p d/dp.
    gradient = np.array([g_r * r, g_alpha * alpha, g_a * a, g_b * b])
    return value, gradient


def bgnbd_log_likelihood(
    log_params: np.ndarray,
    frequency: np.ndarray,
    recency: np.ndarray,
    T: np.ndarray,
    weights: np.ndarray | None = None,
) -> tuple[float, np.ndarray]:
    """BG/NBD log-likelihood of weighted rows and its gradient in the log parameters.

    Parameters
    ----------
    log_params : ``(log r, log alpha, log a, log b)``, ``alpha`` in the time unit of
        ``recency`` and ``T``.
    frequency, recency, T : per row, repeat purchases ``x``, time of the last purchase
        ``t_x`` and age ``T`` (as in :func:`clv.valuation.summary.compress`).
    weights : customers per row (default 1 each).

    Returns
    -------
    The total log-likelihood ``sum(weights * log L)`` and its gradient (array of 4).

    Raises
    ------
    ValueError : invalid or empty rows (any number of repeat customers is accepted).
    """
    return _log_likelihood("bgnbd", log_params, _rows(frequency, recency, T, weights, "BG/NBD", 0))


def mbgnbd_log_likelihood(
    log_params: np.ndarray,
    frequency: np.ndarray,
    recency: np.ndarray,
    T: np.ndarray,
    weights: np.ndarray | None = None,
) -> tuple[float, np.ndarray]:
    """MBG/NBD log-likelihood of weighted rows and its gradient in the log parameters.

    Parameters and returns as :func:`bgnbd_log_likelihood`.
    """
    return _log_likelihood(
        "mbgnbd", log_params, _rows(frequency, recency, T, weights, "MBG/NBD", 0)
    )


def _hessian(gradient: Callable[[np.ndarray], np.ndarray], z: np.ndarray) -> np.ndarray:
    """Symmetrised central-difference Jacobian of an (analytic) gradient."""
    columns = []
    for k in range(z.size):
        step = np.zeros_like(z)
        step[k] = _HESSIAN_STEP
        columns.append((gradient(z + step) - gradient(z - step)) / (2 * _HESSIAN_STEP))
    jacobian = np.column_stack(columns)
    return (jacobian + jacobian.T) / 2


def _log_standard_errors(hessian: np.ndarray, n: int) -> np.ndarray:
    """Standard errors of the log parameters, NaN when the curvature is unusable."""
    if not np.all(np.isfinite(hessian)):
        return np.full(hessian.shape[0], np.nan)
    try:
        # Cholesky both tests positive definiteness and inverts stably.
        factor = np.linalg.cholesky(hessian)
    except np.linalg.LinAlgError:
        return np.full(hessian.shape[0], np.nan)
    inverse_factor = np.linalg.inv(factor)
    # (L L^T)^-1 = L^-T L^-1: its diagonal is the column sums of squares of L^-1.
    return np.sqrt(np.sum(inverse_factor**2, axis=0) / n)


def _fit(
    model: str,
    frequency: np.ndarray,
    recency: np.ndarray,
    T: np.ndarray,
    weights: np.ndarray | None,
    penalizer: float,
    maxiter: int,
) -> VectorisedFit:
    label = MODELS[model]
    if not (math.isfinite(penalizer) and penalizer >= 0):
        raise ValueError(f"The penalizer must be a number >= 0, not {penalizer!r}.")
    rows = _rows(frequency, recency, T, weights, label)
    max_age = float(rows.T.max())
    if max_age <= 0:
        raise ValueError("Every T is 0: the customers have not been observed; use a later end.")
    # The optimiser works on z = log parameters of the time rescaled to max(T) = 1, like
    # lifetimes: its start (0.1 each) then fits any time unit, and the penalizer acts on
    # the same numbers as lifetimes'. Only alpha carries the time unit: log alpha = z_1 +
    # log max(T). The rescaling adds a constant to the log-likelihood, so the optimum and
    # the Hessian in log parameters are the same either way.
    offset = np.array([0.0, math.log(max_age), 0.0, 0.0])
    n = rows.n_customers

    def objective(z: np.ndarray) -> tuple[float, np.ndarray]:
        value, gradient = _log_likelihood(model, z + offset, rows)
        scaled = np.exp(z)
        # Mean per customer, as lifetimes, so the penalizer means the same for any n.
        return (
            -value / n + penalizer * float(scaled @ scaled),
            -gradient / n + 2.0 * penalizer * scaled**2,
        )

    with np.errstate(over="ignore", under="ignore"):
        result = minimize(
            objective,
            np.full(4, _START),
            jac=True,
            method="L-BFGS-B",
            bounds=[(-_LOG_BOUND, _LOG_BOUND)] * 4,
            # ftol is relative to an O(1) objective; the stop should come from the
            # gradient (gtol), so that the estimates are good to many digits.
            options={"maxiter": maxiter, "ftol": 1e-15, "gtol": 1e-9},
        )
        z = np.asarray(result.x, dtype=float)
        value, _ = _log_likelihood(model, z + offset, rows)
        gradient = np.asarray(result.jac, dtype=float)
        hessian = _hessian(lambda u: objective(u)[1], z)
    on_bound = bool(np.any(np.abs(z) >= _LOG_BOUND - 1e-8))
    converged = bool(
        result.success
        and not on_bound
        and math.isfinite(value)
        and np.max(np.abs(gradient)) <= _GRADIENT_TOLERANCE
    )
    log_params = z + offset
    log_se = _log_standard_errors(hessian, n)
    estimates = np.exp(log_params)
    names = PARAMETER_NAMES
    return VectorisedFit(
        model=model,
        params={k: float(v) for k, v in zip(names, estimates, strict=True)},
        log_likelihood=float(value),
        n_customers=n,
        iterations=int(result.nit),
        converged=converged,
        standard_errors={k: float(v) for k, v in zip(names, estimates * log_se, strict=True)},
        log_standard_errors={k: float(v) for k, v in zip(names, log_se, strict=True)},
        lower={k: float(v) for k, v in zip(names, np.exp(log_params - Z_95 * log_se), strict=True)},
        upper={k: float(v) for k, v in zip(names, np.exp(log_params + Z_95 * log_se), strict=True)},
        penalizer=float(penalizer),
        message=str(result.message),
        hessian=hessian,
    )


def fit_bgnbd(
    frequency: np.ndarray,
    recency: np.ndarray,
    T: np.ndarray,
    weights: np.ndarray | None = None,
    *,
    penalizer: float = 0.0,
    maxiter: int = 1000,
) -> VectorisedFit:
    """Fit BG/NBD (Fader, Hardie & Lee 2005) on weighted ``(frequency, recency, T)`` rows.

    Parameters
    ----------
    frequency : repeat purchases ``x`` per row (whole numbers >= 0).
    recency : time from the first to the last purchase ``t_x`` (0 when ``x`` is 0).
    T : time from the first purchase to the observation end (``t_x <= T``).
    weights : customers per row (whole numbers >= 0; rows of weight 0 are ignored),
        e.g. the ``weight`` column of :func:`clv.valuation.summary.compress`; default 1.
    penalizer : lifetimes' L2 penalizer (``penalizer * sum(params ** 2)`` on the
        parameters of the time rescaled to ``max(T) = 1``, added to the mean negative
        log-likelihood); default 0, plain maximum likelihood.
    maxiter : most L-BFGS-B iterations.

    Returns
    -------
    :class:`VectorisedFit` with ``r, alpha, a, b`` (``alpha`` in the time unit of
    ``recency`` and ``T``), the log-likelihood, standard errors and 95 % intervals.

    Raises
    ------
    ValueError : empty input, inconsistent rows, a negative penalizer, or (as
        :class:`~clv.valuation.models.fitting.FitFailed`) fewer than
        ``MIN_REPEAT_CUSTOMERS`` repeat customers.
    """
    return _fit("bgnbd", frequency, recency, T, weights, penalizer, maxiter)


def fit_mbgnbd(
    frequency: np.ndarray,
    recency: np.ndarray,
    T: np.ndarray,
    weights: np.ndarray | None = None,
    *,
    penalizer: float = 0.0,
    maxiter: int = 1000,
) -> VectorisedFit:
    """Fit MBG/NBD (Batislam et al. 2007, lifetimes' ``ModifiedBetaGeoFitter``).

    Parameters, returns and exceptions as :func:`fit_bgnbd`.
    """
    return _fit("mbgnbd", frequency, recency, T, weights, penalizer, maxiter)


def fit_compressed(
    rows: pd.DataFrame,
    model: str = "bgnbd",
    *,
    penalizer: float = 0.0,
    maxiter: int = 1000,
) -> VectorisedFit:
    """Fit BG/NBD or MBG/NBD on a frame of :func:`clv.valuation.summary.compress`.

    Parameters
    ----------
    rows : frame with ``frequency``, ``recency``, ``T`` and ``weight`` (customers per
        row); a per-customer summary without ``weight`` is compressed first.
    model : ``"bgnbd"`` or ``"mbgnbd"``.
    penalizer, maxiter : as in :func:`fit_bgnbd`.

    Returns
    -------
    :class:`VectorisedFit`.

    Raises
    ------
    ValueError : unknown model, missing columns, or as :func:`fit_bgnbd`.
    """
    if model not in MODELS:
        raise ValueError(f"Unknown model {model!r}; choose one of {', '.join(MODELS)}.")
    missing = [c for c in ("frequency", "recency", "T") if c not in rows.columns]
    if missing:
        raise ValueError(
            f"The rows lack the column(s) {', '.join(missing)}; pass the frame of compress()."
        )
    if "weight" not in rows.columns:
        rows = compress(rows)
    return _fit(
        model,
        rows["frequency"].to_numpy(dtype=float),
        rows["recency"].to_numpy(dtype=float),
        rows["T"].to_numpy(dtype=float),
        rows["weight"].to_numpy(dtype=float),
        penalizer,
        maxiter,
    )

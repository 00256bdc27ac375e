"""Our vectorised BG/NBD and MBG/NBD fitters against the paper, lifetimes and the formulas.

The CDNOW calibration summary shipped with lifetimes (2,357 customers, weeks) is the data
of Fader, Hardie & Lee (2005): their BG/NBD estimates are r = 0.243, alpha = 4.414,
a = 0.793, b = 2.426 with log-likelihood -9582.4. lifetimes fits on times divided by
max(T) and keeps ``_negative_log_likelihood_``, the mean per customer in that rescaled
time; the total log-likelihood in weeks is ``-n * _negative_log_likelihood_ +
sum(x) * log(_scale)`` (each purchase time density carries one factor of the time unit).
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest
from lifetimes import BetaGeoFitter, ModifiedBetaGeoFitter
from lifetimes.datasets import load_cdnow_summary

from clv.valuation.models.fitting import MIN_REPEAT_CUSTOMERS
from clv.valuation.models.vectorised import (
    PARAMETER_NAMES,
    VectorisedFit,
    bgnbd_log_likelihood,
    fit_bgnbd,
    fit_compressed,
    fit_mbgnbd,
    mbgnbd_log_likelihood,
)
from clv.valuation.summary import compress

FITS = {"bgnbd": fit_bgnbd, "mbgnbd": fit_mbgnbd}
LIKELIHOODS = {"bgnbd": bgnbd_log_likelihood, "mbgnbd": mbgnbd_log_likelihood}
LIFETIMES = {"bgnbd": BetaGeoFitter, "mbgnbd": ModifiedBetaGeoFitter}


def same_to_digits(ours: float, reference: float, digits: int = 4) -> bool:
    """``ours`` equals ``reference`` to ``digits`` significant digits (half a unit of the last)."""
    last = math.floor(math.log10(abs(reference))) - digits + 1
    return abs(ours - reference) <= 0.5 * 10.0**last


def arrays(rows: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    return (
        rows["frequency"].to_numpy(dtype=float),
        rows["recency"].to_numpy(dtype=float),
        rows["T"].to_numpy(dtype=float),
        rows["weight"].to_numpy(dtype=float),
    )


@pytest.fixture(scope="module")
def cdnow() -> pd.DataFrame:
    """One row per customer: frequency, recency, T in weeks (the published summary)."""
    data = load_cdnow_summary(index_col=[0])
    assert len(data) == 2357 and list(data.columns) == ["frequency", "recency", "T"]
    return data


@pytest.fixture(scope="module")
def rows(cdnow: pd.DataFrame) -> pd.DataFrame:
    """The distinct (frequency, recency, T) rows with their customer counts."""
    out = compress(cdnow)
    assert len(out) < len(cdnow) and out["weight"].sum() == len(cdnow)
    return out


@pytest.fixture(scope="module")
def ours(rows: pd.DataFrame) -> dict[str, VectorisedFit]:
    return {model: fit(*arrays(rows)) for model, fit in FITS.items()}


@pytest.fixture(scope="module")
def theirs(cdnow: pd.DataFrame) -> dict[str, object]:
    # lifetimes resets warning filters on each likelihood evaluation: keep that local.
    with warnings.catch_warnings():
        return {
            model: fitter(penalizer_coef=0.0).fit(cdnow["frequency"], cdnow["recency"], cdnow["T"])
            for model, fitter in LIFETIMES.items()
        }


def test_bgnbd_on_cdnow_gives_the_published_estimates(ours: dict[str, VectorisedFit]):
    fit = ours["bgnbd"]
    assert fit.converged and fit.n_customers == 2357
    published = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
    for name, value in published.items():
        assert f"{fit.params[name]:.3g}" == f"{value:.3g}", name
    # Fader, Hardie & Lee (2005), section 5: LL = -9582.4.
    assert round(fit.log_likelihood, 1) == -9582.4


@pytest.mark.parametrize("model", ["bgnbd", "mbgnbd"])
def test_fit_on_cdnow_equals_lifetimes(
    model: str,
    cdnow: pd.DataFrame,
    ours: dict[str, VectorisedFit],
    theirs: dict[str, object],
):
    fit, reference = ours[model], theirs[model]
    assert fit.converged
    for name in PARAMETER_NAMES:
        assert same_to_digits(fit.params[name], reference.params_[name]), name
    # lifetimes' objective is the mean negative log-likelihood in time / max(T).
    n = len(cdnow)
    total_x = float(cdnow["frequency"].sum())
    reference_ll = -n * reference._negative_log_likelihood_ + total_x * math.log(reference._scale)
    assert fit.log_likelihood == pytest.approx(reference_ll, rel=1e-6)
    # The same number from lifetimes' own likelihood in weeks at its own estimates.
    at_theirs = -n * LIFETIMES[model]._negative_log_likelihood(
        np.log(reference.params_[list(PARAMETER_NAMES)].to_numpy()),
        cdnow["frequency"].to_numpy(),
        cdnow["recency"].to_numpy(),
        cdnow["T"].to_numpy(),
        np.ones(n),
        0.0,
    )
    assert fit.log_likelihood == pytest.approx(at_theirs, rel=1e-6)
    # Delta-method standard errors: lifetimes' come from autograd's exact Hessian, ours
    # from differences of the analytic gradient.
    for name in PARAMETER_NAMES:
        assert fit.standard_errors[name] == pytest.approx(
            reference.standard_errors_[name], rel=1e-3
        ), name


@pytest.mark.parametrize("model", ["bgnbd", "mbgnbd"])
def test_penalizer_means_what_it_means_in_lifetimes(
    model: str, cdnow: pd.DataFrame, rows: pd.DataFrame
):
    fit = FITS[model](*arrays(rows), penalizer=0.01)
    with warnings.catch_warnings():
        reference = LIFETIMES[model](penalizer_coef=0.01).fit(
            cdnow["frequency"], cdnow["recency"], cdnow["T"]
        )
    assert fit.converged and fit.penalizer == 0.01
    for name in PARAMETER_NAMES:
        assert same_to_digits(fit.params[name], reference.params_[name]), name


@pytest.mark.parametrize("model", ["bgnbd", "mbgnbd"])
def test_weighted_distinct_rows_equal_one_row_per_customer(
    model: str, cdnow: pd.DataFrame, rows: pd.DataFrame, ours: dict[str, VectorisedFit]
):
    weighted = ours[model]
    expanded = FITS[model](
        cdnow["frequency"].to_numpy(dtype=float),
        cdnow["recency"].to_numpy(dtype=float),
        cdnow["T"].to_numpy(dtype=float),
    )
    assert expanded.n_customers == weighted.n_customers == 2357
    for name in PARAMETER_NAMES:
        assert expanded.params[name] == pytest.approx(weighted.params[name], rel=1e-6), name
    assert expanded.log_likelihood == pytest.approx(weighted.log_likelihood, rel=1e-12)
    # The likelihood itself, away from the optimum: weights are exact multiplicities.
    point = np.log([0.7, 3.0, 1.5, 4.0])
    value_w, gradient_w = LIKELIHOODS[model](point, *arrays(rows))
    value_e, gradient_e = LIKELIHOODS[model](
        point, cdnow["frequency"], cdnow["recency"], cdnow["T"]
    )
    assert value_w == pytest.approx(value_e, rel=1e-12)
    np.testing.assert_allclose(gradient_w, gradient_e, rtol=1e-10)
    # The frame wrapper, on the compressed rows and on the per-customer summary.
    for frame in (rows, cdnow):
        wrapped = fit_compressed(frame, model)
        assert wrapped.params == pytest.approx(weighted.params, rel=1e-9)


@pytest.mark.parametrize("model", ["bgnbd", "mbgnbd"])
@pytest.mark.parametrize(
    "params",
    [
        (0.243, 4.414, 0.793, 2.426),
        (1.0, 1.0, 1.0, 1.0),
        (2.0, 12.0, 0.3, 0.6),
        (0.1, 0.5, 4.0, 9.0),
    ],
)
def test_gradient_equals_central_differences(
    model: str, params: tuple[float, ...], rows: pd.DataFrame
):
    data = arrays(rows)
    point = np.log(params)
    _, gradient = LIKELIHOODS[model](point, *data)

    def value(k: int, multiple: int) -> float:
        shifted = point.copy()
        shifted[k] += multiple * step
        return LIKELIHOODS[model](shifted, *data)[0]

    # Five-point central stencil (error O(step^4)): near the optimum the gradient is
    # small against a total log-likelihood of about -1e4, and the two-point difference
    # with a step small enough for its O(step^2) error loses those digits to rounding.
    step = 1e-4
    differences = np.array(
        [
            (value(k, -2) - 8 * value(k, -1) + 8 * value(k, 1) - value(k, 2)) / (12 * step)
            for k in range(4)
        ]
    )
    np.testing.assert_allclose(gradient, differences, rtol=1e-5)


def _paper_log_likelihood(model: str, params: tuple[float, ...], x: int, tx: float, T: float):
    """One customer's log-likelihood, straight from the published formula (math module)."""
    r, alpha, a, b = params

    def log_beta(p: float, q: float) -> float:
        return math.lgamma(p) + math.lgamma(q) - math.lgamma(p + q)

    gamma_part = math.lgamma(r + x) - math.lgamma(r) + r * math.log(alpha)
    if model == "bgnbd":
        first = log_beta(a, b + x) - log_beta(a, b) - (r + x) * math.log(alpha + T)
        if x == 0:
            return gamma_part + first
        second = log_beta(a + 1, b + x - 1) - log_beta(a, b) - (r + x) * math.log(alpha + tx)
    else:
        first = log_beta(a, b + x + 1) - log_beta(a, b) - (r + x) * math.log(alpha + T)
        second = log_beta(a + 1, b + x) - log_beta(a, b) - (r + x) * math.log(alpha + tx)
    return gamma_part + math.log(math.exp(first) + math.exp(second))


@pytest.mark.parametrize("model", ["bgnbd", "mbgnbd"])
def test_log_likelihood_is_the_published_formula(model: str):
    params = (0.5, 5.0, 0.8, 2.5)
    customers = [(0, 0.0, 30.0, 4), (1, 3.5, 30.0, 2), (3, 20.0, 30.0, 1), (12, 35.0, 38.0, 3)]
    x, tx, T, w = (np.array(c, dtype=float) for c in zip(*customers, strict=True))
    value, _ = LIKELIHOODS[model](np.log(params), x, tx, T, w)
    expected = sum(n * _paper_log_likelihood(model, params, *c) for *c, n in customers)
    assert value == pytest.approx(expected, rel=1e-12)
    # A customer seen on the observation end only (T = 0) has likelihood 1.
    zero, zero_gradient = LIKELIHOODS[model](np.log(params), [0], [0], [0], [5])
    assert zero == pytest.approx(0.0, abs=1e-12)
    np.testing.assert_allclose(zero_gradient, 0.0, atol=1e-12)


@pytest.mark.parametrize("model", ["bgnbd", "mbgnbd"])
def test_intervals_are_positive_asymmetric_and_contain_the_estimate(
    model: str, ours: dict[str, VectorisedFit]
):
    fit = ours[model]
    for name in PARAMETER_NAMES:
        estimate, low, high = fit.params[name], fit.lower[name], fit.upper[name]
        assert 0 < low < estimate < high, name
        assert high - estimate > estimate - low, name
        log_se = fit.log_standard_errors[name]
        assert low == pytest.approx(estimate * math.exp(-1.96 * log_se), rel=1e-12)
        assert high == pytest.approx(estimate * math.exp(1.96 * log_se), rel=1e-12)
        assert fit.standard_errors[name] == pytest.approx(estimate * log_se, rel=1e-12)


def test_result_is_frozen(ours: dict[str, VectorisedFit]):
    with pytest.raises(AttributeError):
        ours["bgnbd"].converged = False  # type: ignore[misc]


@pytest.mark.parametrize("model", ["bgnbd", "mbgnbd"])
def test_empty_input_is_refused(model: str):
    empty = np.array([], dtype=float)
    with pytest.raises(ValueError, match="no customers"):
        FITS[model](empty, empty, empty, empty)
    with pytest.raises(ValueError, match="no customers"):
        FITS[model]([2.0, 0.0], [5.0, 0.0], [10.0, 10.0], [0, 0])
    frame = pd.DataFrame({"frequency": [], "recency": [], "T": []})
    with pytest.raises(ValueError, match="no customers"):
        fit_compressed(frame, model)


@pytest.mark.parametrize("model", ["bgnbd", "mbgnbd"])
def test_too_few_repeat_customers_are_refused(model: str):
    assert MIN_REPEAT_CUSTOMERS == 10
    x = np.array([0.0, 2.0])
    tx = np.array([0.0, 5.0])
    T = np.array([10.0, 10.0])
    # 500 one-time buyers and 9 repeat customers on one row: weights are counted.
    with pytest.raises(ValueError, match="at least 10 repeat customers"):
        FITS[model](x, tx, T, np.array([500, 9]))
    # Ten repeat customers pass the check (the fit itself may then be poor).
    assert isinstance(FITS[model](x, tx, T, np.array([500, 10])), VectorisedFit)


def test_inconsistent_input_is_refused(rows: pd.DataFrame):
    x, tx, T, w = arrays(rows)
    with pytest.raises(ValueError, match="different lengths"):
        fit_bgnbd(x, tx, T[:-1], w)
    with pytest.raises(ValueError, match="between 0 and T"):
        fit_bgnbd(x, T + 1.0, T, w)
    with pytest.raises(ValueError, match="whole numbers"):
        fit_bgnbd(x, tx, T, w + 0.5)
    with pytest.raises(ValueError, match="penalizer"):
        fit_bgnbd(x, tx, T, w, penalizer=-1.0)
    with pytest.raises(ValueError, match="Unknown model"):
        fit_compressed(rows, "pareto")

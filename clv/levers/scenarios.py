r"""What-if scenarios for finance: better retention, and ad spend moved between channels.

Retention scenario (:func:`retention_scenario`)
-----------------------------------------------
**Retention** is the probability that a customer who is active today is still active
``period_months`` months later (12 by default: yearly retention, the rate of the
"+5 % retention" rule of thumb), averaged over the shop's customers, each weighted by
the fitted model's probability that they are active today:

.. math::

    R(c) = \frac{\sum_i P_i(\text{alive})\, S_i(c)}{\sum_i P_i(\text{alive})},

where ``S_i(c)`` is customer ``i``'s probability of staying active over the period,
given their history, when every dropout hazard is multiplied by ``c``.

**"Retention improves by x points"** means: every customer's dropout hazard is multiplied
by the same factor ``c`` (``0 < c``; ``c < 1`` for an improvement), with ``c`` chosen so
that ``R(c) = R(1) + x / 100``. In each model:

- **BG/NBD** and **MBG/NBD**: a customer buying at rate ``lambda`` drops out with
  probability ``p`` after each purchase, i.e. at the hazard ``lambda p`` per unit of
  time; the scenario replaces ``p`` by ``c p`` (each customer's dropout probability per
  purchase falls by the same share). Given the history and being active, ``lambda``
  follows Gamma(``r + x``, ``alpha + T``) and ``p`` Beta(``a``, ``b + x``) (MBG/NBD:
  Beta(``a``, ``b + x + 1``), the first purchase being a chance to drop out too), so

  .. math::

      S_i(c) = {}_2F_1\!\left(r + x, a; a + b'; -\tfrac{c\,Y}{\alpha + T}\right),\qquad
      F_i(t; c) = \frac{a + b' - 1}{(a - 1)\, c}
          \left[1 - {}_2F_1\!\left(r + x, a - 1; a + b' - 1; -\tfrac{c\,t}{\alpha + T}\right)\right]

  with ``b' = b + x`` (MBG/NBD: ``b + x + 1``), ``Y`` the period and ``F_i(t; c)`` the
  expected purchases in the next ``t`` of a customer active today (evaluated in the
  Pfaff form, whose argument lies in ``[0, 1)``). For a worsening (``c > 1``) read
  ``c p`` as a hazard: a probability above 1 has no meaning per purchase.
- **Pareto/NBD**: the dropout rate ``mu`` becomes ``c mu``; given the history and being
  active, ``mu`` follows Gamma(``s``, ``beta + T``), so
  ``S_i(c) = ((beta + T) / (beta + T + c Y))^s`` and
  ``F_i(t; c) = (r + x) / (alpha + T) * (beta + T) / (c (s - 1)) *
  [1 - ((beta + T) / (beta + T + c t))^(s - 1)]``.

At ``c = 1`` these are lifetimes' formulas: ``E[X_i(t)] = P_i(alive) F_i(t; 1)``. The
scenario keeps each customer's **probability of being active today** and their purchase
rate (the history is what it is); only their future dropout changes. Each customer's
discounted margin is then recomputed exactly as :func:`clv.valuation.models.predict_clv` does,
month by month, with the valuation's expected order value (same Gamma-Gamma fit), margin
share and discount rate, over 12, 24 and 36 months and over the valuation's horizon.

The **value of the base** is the total predicted CLV of the valued customers over the
valuation's horizon (:attr:`clv.valuation.engine.Kpis.total_clv`).

**Range**: the purchase model's log parameters are drawn from a normal distribution with
the fit's covariance (as :func:`clv.valuation.models.clv_band` does), ``c`` is solved again for
each draw (the same ``x`` points on that draw's own retention) and the percentage change
recomputed on a fixed sample of customers. The range is the 2.5 %-97.5 % percentiles of
those changes, shifted by the difference between the exact change and the sample's change
at the estimates, applied to the exact baseline. It measures how far the estimates of the
purchase model could be from the truth; the spend model enters the baseline and the
scenario alike and is kept at its estimates. A draw on which the target retention is
out of reach (100 % or more) is left out.

**Rule of thumb** (Reichheld & Sasser, 1990): "+5 points of retention -> +25 % to +95 %
of profit". It speaks of profit over the customer's life; the shop's own figure here is
the change of the predicted CLV (discounted gross margin) over 36 months, the longest
horizon computed. :func:`rule_of_thumb_position` says where a figure falls.

Cohort curves (:func:`cohort_margin_scenario`)
----------------------------------------------
A model-free view on :func:`clv.metrics.retention.cohort_grid`: pooled over the cohorts observed
through month ``k``, ``r_k`` is the share of customers active in month ``k`` (``r_0 = 1``)
and ``m_k`` the margin per active customer in that month. The month-over-month retention
``r_k / r_{k-1}`` rises by ``x`` points: ``r'_k = r'_{k-1} (r_k / r_{k-1} + x / 100)``,
at most 1; the cumulative margin per customer becomes ``sum_{j <= k} r'_j m_j`` (the
baseline ``sum_{j <= k} r_j m_j`` is the pooled curve itself). Where ``r_{k-1} = 0`` the
ratio is undefined and ``r'_k = r_k``.

Budget scenario (:func:`budget_scenario`)
-----------------------------------------
Spend is moved between the channels of :func:`clv.metrics.acquisition.channel_table`. Each
channel keeps its average CAC: **no diminishing returns** by default, so new customers
``= spend / CAC``. With ``saturation = k < 1`` new customers grow as
``new customers x (spend after / spend before)^k`` (a simple saturation, off by
default). **Value created** = new customers x the channel's average value per customer
(the table's ``average_clv``: build the table with
:func:`clv.valuation.engine.lifetime_value`, margin to date plus predicted CLV, so that the
first order counts); **net value** = value created - spend.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy.optimize import brentq
from scipy.special import hyp2f1

from clv.valuation.models import (
    DAYS_PER_MONTH,
    PARAMETERS,
    PURCHASE_MODELS,
    FitResult,
    monthly_discount_rate,
    purchase_fitter,
)
from clv.valuation.summary import TIME_UNITS

#: The rule of thumb: this many points of retention ...
RULE_OF_THUMB_POINTS = 5.0
#: ... raise profit by this much, in percent (low and high end).
RULE_OF_THUMB_LOW = 25.0
RULE_OF_THUMB_HIGH = 95.0
#: Horizons (months) always computed; the valuation's own horizon is added.
SCENARIO_HORIZONS: tuple[int, ...] = (12, 24, 36)
#: Years of margin shown one by one.
SCENARIO_YEARS = 3
#: Parameter draws and customers behind the range.
RANGE_DRAWS = 100
RANGE_CUSTOMERS = 500
#: Below this many valid draws no range is given.
MIN_VALID_SHARE = 0.5


# -- the retention formulas (per customer, given active today) -------------------------


def _posterior(
    model: str, params: Mapping[str, float], frequency: np.ndarray, T: np.ndarray
) -> tuple[np.ndarray, np.ndarray, float, np.ndarray]:
    """``(R, A, shape, rate)``: Gamma(R, A) of the purchase rate and the dropout posterior.

    BG family: ``shape = a`` and ``rate = b'`` (Beta(a, b') of ``p``); Pareto/NBD:
    ``shape = s`` and ``rate = beta + T`` (Gamma of ``mu``).
    """
    if model not in PURCHASE_MODELS:
        raise ValueError(
            f"Unknown purchase model {model!r}; choose one of {', '.join(PURCHASE_MODELS)}."
        )
    x = np.asarray(frequency, dtype=float)
    age = np.asarray(T, dtype=float)
    big_r = params["r"] + x
    big_a = params["alpha"] + age
    if model == "pareto":
        return big_r, big_a, float(params["s"]), params["beta"] + age
    extra = 1.0 if model == "mbgnbd" else 0.0
    return big_r, big_a, float(params["a"]), params["b"] + x + extra


def active_retention(
    model: str,
    params: Mapping[str, float],
    frequency: np.ndarray,
    T: np.ndarray,
    period: float,
    factor: float = 1.0,
) -> np.ndarray:
    """Probability of staying active over ``period`` for customers active today.

    Parameters
    ----------
    model : ``"bgnbd"``, ``"mbgnbd"`` or ``"pareto"``.
    params : the model's parameters (:data:`clv.valuation.models.PARAMETERS`), in the time unit of
        ``T`` and ``period``.
    frequency, T : the customers' repeat purchases and age.
    period : length of the period, in the same time unit.
    factor : the dropout hazard multiplier ``c`` (1 = the fitted model).

    Returns
    -------
    Array ``S_i(c)`` (see the module docstring), between 0 and 1.
    """
    big_r, big_a, shape, rate = _posterior(model, params, frequency, T)
    if model == "pareto":
        return (rate / (rate + factor * period)) ** shape
    z = factor * period / big_a
    return (1 + z) ** -big_r * hyp2f1(big_r, rate, shape + rate, z / (1 + z))


def future_purchases(
    model: str,
    params: Mapping[str, float],
    frequency: np.ndarray,
    T: np.ndarray,
    t: float | np.ndarray,
    factor: float = 1.0,
) -> np.ndarray:
    """Expected purchases in the next ``t`` of customers active today, hazard times ``factor``.

    Parameters
    ----------
    model, params, frequency, T, factor : as :func:`active_retention`.
    t : time ahead, in the time unit of ``T``; an array broadcasts against ``frequency``
        (e.g. shape ``(n_times, 1)`` for a grid of times).

    Returns
    -------
    Array ``F_i(t; c)`` (module docstring); ``P(alive) * F_i(t; 1)`` is lifetimes'
    ``conditional_expected_number_of_purchases_up_to_time``.
    """
    big_r, big_a, shape, rate = _posterior(model, params, frequency, T)
    t = np.asarray(t, dtype=float)
    if model == "pareto":
        if abs(shape - 1) < 1e-9:
            return big_r / big_a * rate / factor * np.log1p(factor * t / rate)
        return (
            big_r
            / big_a
            * rate
            / (factor * (shape - 1))
            * (1 - (rate / (rate + factor * t)) ** (shape - 1))
        )
    if abs(shape - 1) < 1e-6:
        # The closed form is 0/0 at a = 1: average the two sides (it is smooth in a).
        below = future_purchases(model, {**params, "a": 1 - 1e-6}, frequency, T, t, factor)
        above = future_purchases(model, {**params, "a": 1 + 1e-6}, frequency, T, t, factor)
        return (below + above) / 2
    z = factor * t / big_a
    c = shape + rate - 1
    return (
        c / ((shape - 1) * factor) * (1 - (1 + z) ** -big_r * hyp2f1(big_r, rate, c, z / (1 + z)))
    )


def base_retention(
    model: str,
    params: Mapping[str, float],
    frequency: np.ndarray,
    T: np.ndarray,
    alive: np.ndarray,
    period: float,
    factor: float = 1.0,
    weights: np.ndarray | None = None,
) -> float:
    """Retention ``R(c)`` of the base: :func:`active_retention` weighted by ``P(alive)``.

    Parameters
    ----------
    model, params, frequency, T, period, factor : as :func:`active_retention`.
    alive : each customer's probability of being active today.
    weights : customers per row (default 1 each).

    Returns
    -------
    The weighted mean, between 0 and 1.
    """
    w = np.asarray(alive, dtype=float) * (
        1.0 if weights is None else np.asarray(weights, dtype=float)
    )
    survive = active_retention(model, params, frequency, T, period, factor)
    return float(np.sum(w * survive) / np.sum(w))


def dropout_factor(
    model: str,
    params: Mapping[str, float],
    frequency: np.ndarray,
    T: np.ndarray,
    alive: np.ndarray,
    period: float,
    points: float,
    weights: np.ndarray | None = None,
) -> tuple[float, float, float]:
    """The hazard multiplier ``c`` that raises the base's retention by ``points``.

    Parameters
    ----------
    model, params, frequency, T, alive, period, weights : as :func:`base_retention`.
    points : percentage points of retention to add (negative: retention falls).

    Returns
    -------
    ``(c, retention_before, retention_after)``; ``c = 1`` exactly when ``points == 0``.

    Raises
    ------
    ValueError : the target retention is not strictly between 0 and 100 %.
    """
    if not math.isfinite(points):
        raise ValueError(f"The retention change {points!r} must be a number of percentage points.")

    def retention(factor: float) -> float:
        return base_retention(model, params, frequency, T, alive, period, factor, weights)

    before = retention(1.0)
    if points == 0:
        return 1.0, before, before
    target = before + points / 100
    if not 0 < target < 1:
        raise ValueError(
            f"Retention is {100 * before:.1f} % today; {points:+g} points would take it to "
            f"{100 * target:.1f} %, outside 0-100 %. Choose a change between "
            f"{-100 * before:+.1f} and {100 * (1 - before):+.1f} points."
        )
    # R is decreasing in c, from 1 (c -> 0) to 0 (c -> infinity): bracket in log c.
    low, high = (-1.0, 0.0) if points > 0 else (0.0, 1.0)
    for _ in range(60):
        if points > 0 and retention(math.exp(low)) < target:
            low *= 2
        elif points < 0 and retention(math.exp(high)) > target:
            high *= 2
        else:
            break
    log_c = brentq(lambda v: retention(math.exp(v)) - target, low, high, xtol=1e-12, rtol=1e-12)
    factor = math.exp(log_c)
    return factor, before, retention(factor)


# -- the scenario on a valuation ---------------------------------------------------------


@dataclass
class RetentionScenario:
    """Result of :func:`retention_scenario` (definitions in the module docstring).

    Attributes
    ----------
    points : the retention change asked for, in percentage points.
    model : key of the purchase model.
    period_months : period of the retention figure (12: yearly).
    retention_before, retention_after : retention of the base today and in the scenario.
    dropout_factor : the hazard multiplier ``c``.
    horizon_months : the valuation's horizon.
    customers : customers valued.
    total_before, total_after : value of the base (total predicted CLV over the horizon).
    change, change_percent : ``total_after - total_before`` and in percent of the before.
    change_low, change_high : range of ``change`` (money); NaN without a range.
    change_percent_low, change_percent_high : the same in percent.
    average_before, average_after : predicted CLV per customer.
    by_horizon : DataFrame, one row per horizon (12, 24, 36 and the valuation's):
        ``horizon_months``, ``clv_before``, ``clv_after`` (totals), ``change``,
        ``change_percent``, ``change_low``, ``change_high``, ``average_before``,
        ``average_after``.
    by_year : DataFrame, one row per year 1-3: ``year``, ``margin_before``,
        ``margin_after`` (discounted gross margin earned in that year), ``change``,
        ``change_percent``, ``change_low``, ``change_high``.
    per_customer : DataFrame indexed by ``customer_id`` with ``probability_alive``,
        ``clv_before`` and ``clv_after`` (horizon of the valuation).
    rule_of_thumb : :func:`rule_of_thumb_position` of the 36-month change when
        ``points`` is 5, else ``None``.
    valid_draws, n_draws : parameter draws behind the range.
    notes : what a reader must know, as sentences.

    ``range_missing`` (a property) says the range could not be drawn: too few parameter
    draws reached the target.
    """

    points: float
    model: str
    period_months: int
    retention_before: float
    retention_after: float
    dropout_factor: float
    horizon_months: int
    customers: int
    total_before: float
    total_after: float
    change: float
    change_percent: float
    change_low: float
    change_high: float
    change_percent_low: float
    change_percent_high: float
    average_before: float
    average_after: float
    by_horizon: pd.DataFrame
    by_year: pd.DataFrame
    per_customer: pd.DataFrame = field(repr=False)
    rule_of_thumb: str | None
    valid_draws: int
    n_draws: int
    notes: list[str] = field(default_factory=list)

    @property
    def range_missing(self) -> bool:
        """True when too few parameter draws reached the target to give a range."""
        return self.n_draws > 0 and self.valid_draws < MIN_VALID_SHARE * self.n_draws


def reachable_points(retention_before: float) -> tuple[int, int]:
    """The whole-point changes of retention a scenario can ask for from ``retention_before``
    (a share): the target must stay strictly between 0 and 100 %.

    ``reachable_points(0.773)`` is ``(-77, 22)``.
    """
    return math.floor(-100 * retention_before) + 1, math.ceil(100 * (1 - retention_before)) - 1


def change_range_percent(scenario: RetentionScenario, horizon_months: int) -> tuple[float, float]:
    """The range of the value change over ``horizon_months``, in percent of the value
    before (NaN, NaN without a range or without value)."""
    row = scenario.by_horizon.set_index("horizon_months").loc[horizon_months]
    before = float(row["clv_before"])
    if not before or not (math.isfinite(row["change_low"]) and math.isfinite(row["change_high"])):
        return math.nan, math.nan
    return 100 * float(row["change_low"]) / before, 100 * float(row["change_high"]) / before


def movable_channels(table: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split a :func:`clv.metrics.acquisition.channel_table` into the channels whose spend a
    budget scenario can move (spend, new customers, a finite CAC and a finite value per
    customer) and the others (listed, not offered). Both with a fresh index."""

    def finite(column: str) -> pd.Series:
        return table[column].map(lambda v: v is not None and math.isfinite(float(v)))

    can_move = (
        (table["spend"] > 0)
        & (table["new_customers"] > 0)
        & finite("average_cac")
        & finite("average_clv")
    )
    return table[can_move].reset_index(drop=True), table[~can_move].reset_index(drop=True)


def _fitter_with(fit: FitResult, params: Mapping[str, float]) -> Any:
    return purchase_fitter(fit, dict(params))


def _probability_alive(fitter: Any, x: np.ndarray, tx: np.ndarray, age: np.ndarray) -> np.ndarray:
    with np.errstate(all="ignore"):
        return np.asarray(fitter.conditional_probability_alive(x, tx, age), dtype=float).reshape(-1)


@dataclass
class _Paths:
    """Discounted cumulative margin per month (rows: months 1..H), before and after."""

    before: np.ndarray
    after: np.ndarray
    factor: float
    retention_before: float
    retention_after: float
    alive: np.ndarray


def _paths(
    fit: FitResult,
    params: Mapping[str, float],
    rows: pd.DataFrame,
    counts: np.ndarray,
    values: np.ndarray,
    *,
    months: int,
    month: float,
    monthly_rate: float,
    period: float,
    points: float,
) -> _Paths:
    """Per pattern row, the discounted margin accumulated by each month, both ways.

    ``values`` is the sum over the row's customers of expected order value x margin share.
    """
    x = rows["frequency"].to_numpy(dtype=float)
    tx = rows["recency"].to_numpy(dtype=float)
    age = rows["T"].to_numpy(dtype=float)
    fitter = _fitter_with(fit, params)
    alive = _probability_alive(fitter, x, tx, age)
    factor, before_r, after_r = dropout_factor(
        fit.model, params, x, age, alive, period, points, counts
    )
    times = (np.arange(1, months + 1, dtype=float) * month)[:, None]
    discount = (1 + monthly_rate) ** -np.arange(1, months + 1, dtype=float)

    def path(c: float) -> np.ndarray:
        cumulative = alive * future_purchases(fit.model, params, x, age, times, c)
        monthly = np.diff(cumulative, axis=0, prepend=0.0)
        return np.cumsum(discount[:, None] * monthly, axis=0) * values

    before = path(1.0)
    after = before if factor == 1.0 else path(factor)
    return _Paths(before, after, factor, before_r, after_r, alive)


def _patterns(frame: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    keys = frame[["frequency", "recency", "T"]]
    codes = keys.groupby(["frequency", "recency", "T"], sort=False).ngroup().to_numpy()
    return keys.drop_duplicates().reset_index(drop=True), codes


def _percent(after: np.ndarray, before: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(before != 0, 100 * (after - before) / before, np.nan)


def retention_scenario(
    valuation: Any,
    points: float,
    *,
    period_months: int = 12,
    n_draws: int = RANGE_DRAWS,
    max_customers: int = RANGE_CUSTOMERS,
    seed: int = 0,
) -> RetentionScenario:
    """Value of the base if retention improved by ``points`` percentage points.

    Parameters
    ----------
    valuation : a :class:`clv.valuation.engine.Valuation` with ``ok`` and its fitted models
        (not a :meth:`~clv.valuation.engine.Valuation.portable` copy, which has no fitters).
    points : percentage points added to the yearly retention (negative: it falls);
        definitions in the module docstring.
    period_months : period of the retention figure (12 = yearly retention).
    n_draws : parameter draws for the range (0: no range).
    max_customers : customers in the fixed random sample on which the draws are
        evaluated.
    seed : seed of the draws and of the sample.

    Returns
    -------
    :class:`RetentionScenario`. With ``points == 0`` the scenario equals the baseline
    exactly, and the baseline equals the valuation's ``clv`` column.

    Raises
    ------
    ValueError : the valuation is not usable, or the target retention is outside 0-100 %.
    """
    if not getattr(valuation, "ok", False) or valuation.customers is None:
        raise ValueError("There is no valuation to build on; value the customers first.")
    fit = valuation.purchase_fit
    if fit is None:
        raise ValueError("The valuation has no fitted purchase model; value the customers first.")
    if int(period_months) != period_months or not 1 <= period_months <= 120:
        raise ValueError(
            f"The retention period {period_months!r} must be a whole number of months from 1 to 120."
        )
    if not math.isfinite(points):
        raise ValueError(f"The retention change {points!r} must be a number of percentage points.")
    settings = valuation.settings
    horizon = int(settings.horizon_months)
    horizons = sorted({*SCENARIO_HORIZONS, horizon})
    months = max(horizons[-1], 12 * SCENARIO_YEARS)
    month = DAYS_PER_MONTH / TIME_UNITS[fit.time_unit or "week"]
    rate = monthly_discount_rate(settings.annual_discount_rate)
    customers = valuation.customers
    per_value = customers["expected_order_value"].to_numpy(dtype=float) * customers[
        "margin_rate"
    ].to_numpy(dtype=float)
    common = {
        "months": months,
        "month": month,
        "monthly_rate": rate,
        "period": period_months * month,
        "points": float(points),
    }

    def run(
        frame: pd.DataFrame, value: np.ndarray, params: Mapping[str, float]
    ) -> tuple[_Paths, np.ndarray]:
        rows, codes = _patterns(frame)
        counts = np.bincount(codes, minlength=len(rows)).astype(float)
        sums = np.bincount(codes, weights=value, minlength=len(rows))
        return _paths(fit, params, rows, counts, sums, **common), codes

    exact, codes = run(customers, per_value, fit.params)
    horizon_index = np.array(horizons) - 1
    year_ends = 12 * np.arange(1, SCENARIO_YEARS + 1) - 1

    def totals(paths: _Paths) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        before = paths.before.sum(axis=1)
        after = paths.after.sum(axis=1)
        year_before = np.diff(before[year_ends], prepend=0.0)
        year_after = np.diff(after[year_ends], prepend=0.0)
        return before[horizon_index], after[horizon_index], year_before, year_after

    h_before, h_after, y_before, y_after = totals(exact)
    point_h, point_y = _percent(h_after, h_before), _percent(y_after, y_before)

    notes: list[str] = []
    valid = 0
    low_h = high_h = np.full(len(horizons), np.nan)
    low_y = high_y = np.full(SCENARIO_YEARS, np.nan)
    if points == 0:
        low_h = high_h = np.zeros(len(horizons))
        low_y = high_y = np.zeros(SCENARIO_YEARS)
    elif n_draws > 0:
        rng = np.random.default_rng(seed)
        n = len(customers)
        chosen = (
            np.sort(rng.choice(n, size=max_customers, replace=False))
            if n > max_customers
            else np.arange(n)
        )
        sample, sample_value = customers.iloc[chosen], per_value[chosen]
        names = list(PARAMETERS[fit.model])
        centre, _ = run(sample, sample_value, fit.params)
        cb_h, ca_h, cb_y, ca_y = totals(centre)
        c_h, c_y = _percent(ca_h, cb_h), _percent(ca_y, cb_y)
        draws = rng.multivariate_normal(
            np.log([fit.params[k] for k in names]), fit.log_covariance, n_draws
        )
        pct_h, pct_y = [], []
        for draw in draws:
            params = dict(zip(names, np.exp(draw), strict=True))
            try:
                paths, _ = run(sample, sample_value, params)
            except (ValueError, ArithmeticError):
                continue  # the target retention is out of reach for this draw
            hb, ha, yb, ya = totals(paths)
            ph, py = _percent(ha, hb), _percent(ya, yb)
            if np.all(np.isfinite(ph)) and np.all(np.isfinite(py)):
                pct_h.append(ph - c_h + point_h)
                pct_y.append(py - c_y + point_y)
        valid = len(pct_h)
        if valid >= MIN_VALID_SHARE * n_draws:
            low_h, high_h = np.percentile(np.array(pct_h), [2.5, 97.5], axis=0)
            low_y, high_y = np.percentile(np.array(pct_y), [2.5, 97.5], axis=0)
        else:
            notes.append(
                f"No range: only {valid} of {n_draws} parameter draws could reach the target "
                "retention; the model's parameters are too uncertain."
            )

    n_customers = len(customers)
    by_horizon = pd.DataFrame(
        {
            "horizon_months": horizons,
            "clv_before": h_before,
            "clv_after": h_after,
            "change": h_after - h_before,
            "change_percent": point_h,
            "change_low": h_before * low_h / 100,
            "change_high": h_before * high_h / 100,
            "average_before": h_before / n_customers,
            "average_after": h_after / n_customers,
        }
    )
    by_year = pd.DataFrame(
        {
            "year": np.arange(1, SCENARIO_YEARS + 1),
            "margin_before": y_before,
            "margin_after": y_after,
            "change": y_after - y_before,
            "change_percent": point_y,
            "change_low": y_before * low_y / 100,
            "change_high": y_before * high_y / 100,
        }
    )
    # Per customer: the row's path divided back by the row's summed value, times their own.
    h = horizon - 1
    row_values = np.bincount(codes, weights=per_value, minlength=exact.before.shape[1])
    with np.errstate(divide="ignore", invalid="ignore"):
        unit_before = np.where(row_values != 0, exact.before[h] / row_values, 0.0)
        unit_after = np.where(row_values != 0, exact.after[h] / row_values, 0.0)
    per_customer = pd.DataFrame(
        {
            "probability_alive": exact.alive[codes],
            "clv_before": unit_before[codes] * per_value,
            "clv_after": unit_after[codes] * per_value,
        },
        index=customers.index,
    )
    head = horizons.index(horizon)
    long = horizons.index(36)
    return RetentionScenario(
        points=float(points),
        model=fit.model,
        period_months=int(period_months),
        retention_before=exact.retention_before,
        retention_after=exact.retention_after,
        dropout_factor=exact.factor,
        horizon_months=horizon,
        customers=n_customers,
        total_before=float(h_before[head]),
        total_after=float(h_after[head]),
        change=float(h_after[head] - h_before[head]),
        change_percent=float(point_h[head]),
        change_low=float(by_horizon["change_low"].iloc[head]),
        change_high=float(by_horizon["change_high"].iloc[head]),
        change_percent_low=float(low_h[head]),
        change_percent_high=float(high_h[head]),
        average_before=float(h_before[head] / n_customers),
        average_after=float(h_after[head] / n_customers),
        by_horizon=by_horizon,
        by_year=by_year,
        per_customer=per_customer,
        rule_of_thumb=(
            rule_of_thumb_position(float(point_h[long])) if points == RULE_OF_THUMB_POINTS else None
        ),
        valid_draws=valid,
        n_draws=int(n_draws) if points != 0 else 0,
        notes=notes,
    )


def rule_of_thumb_position(change_percent_for_5_points: float) -> str | None:
    """Where the shop's own +5-point figure falls against "+25 % to +95 % profit".

    Parameters
    ----------
    change_percent_for_5_points : the shop's change, in percent, for 5 points more
        retention (here: of the predicted CLV, a discounted gross margin, over 36
        months; the rule of thumb speaks of profit).

    Returns
    -------
    ``"below"`` (under 25), ``"inside"`` (25 to 95, both ends included) or ``"above"``
    (over 95); ``None`` when the figure is not a finite number.
    """
    value = float(change_percent_for_5_points)
    if not math.isfinite(value):
        return None
    if value < RULE_OF_THUMB_LOW:
        return "below"
    if value > RULE_OF_THUMB_HIGH:
        return "above"
    return "inside"


# -- cohort curves ----------------------------------------------------------------------

_COHORT_COLUMNS = [
    "months_since_first",
    "customers",
    "retention",
    "retention_scenario",
    "margin_per_active",
    "cumulative_margin_per_customer",
    "cumulative_margin_per_customer_scenario",
    "change",
]


def cohort_margin_scenario(grid: pd.DataFrame, points: float) -> pd.DataFrame:
    """Cumulative margin per customer of the pooled cohorts, month-over-month retention + x.

    Parameters
    ----------
    grid : :func:`clv.metrics.retention.cohort_grid` (``months_since_first``,
        ``customers_in_cohort``, ``active_customers``, ``margin``); cohorts are pooled
        (a ``channel`` column, if any, is pooled too: filter the grid first for one).
    points : percentage points added to each month's month-over-month retention.

    Returns
    -------
    DataFrame, one row per month since the first order (definitions in the module
    docstring): ``months_since_first``, ``customers`` (of the cohorts observed that
    long), ``retention`` (``r_k``), ``retention_scenario`` (``r'_k``),
    ``margin_per_active`` (``m_k``, 0 when nobody was active),
    ``cumulative_margin_per_customer`` (``sum r_j m_j``), the same ``_scenario`` and
    ``change``. NaN margins (unknown costs) carry over.
    """
    if not math.isfinite(points):
        raise ValueError(f"The retention change {points!r} must be a number of percentage points.")
    if grid.empty:
        return pd.DataFrame({c: pd.Series(dtype=float) for c in _COHORT_COLUMNS})
    pooled = (
        grid.groupby("months_since_first", sort=True)
        .agg(
            customers=("customers_in_cohort", "sum"),
            active=("active_customers", "sum"),
            margin=("margin", lambda s: s.sum(min_count=len(s))),
        )
        .reset_index()
    )
    customers = pooled["customers"].to_numpy(dtype=float)
    active = pooled["active"].to_numpy(dtype=float)
    margin = pooled["margin"].to_numpy(dtype=float)
    retention = np.where(customers > 0, active / np.where(customers > 0, customers, 1), 0.0)
    per_active = np.where(active > 0, margin / np.where(active > 0, active, 1), 0.0)
    per_active = np.where(np.isnan(margin), np.nan, per_active)
    scenario = retention.copy()
    for k in range(1, len(retention)):
        if retention[k - 1] > 0:
            ratio = retention[k] / retention[k - 1]
            scenario[k] = min(1.0, max(0.0, scenario[k - 1] * (ratio + points / 100)))
    before = np.cumsum(retention * per_active)
    after = np.cumsum(scenario * per_active)
    return pd.DataFrame(
        {
            "months_since_first": pooled["months_since_first"].to_numpy(dtype=np.int64),
            "customers": customers.astype(np.int64),
            "retention": retention,
            "retention_scenario": scenario,
            "margin_per_active": per_active,
            "cumulative_margin_per_customer": before,
            "cumulative_margin_per_customer_scenario": after,
            "change": after - before,
        }
    )


# -- budget -------------------------------------------------------------------------------


@dataclass
class BudgetScenario:
    """Result of :func:`budget_scenario`.

    Attributes
    ----------
    table : DataFrame, one row per channel of the channel table: ``channel``,
        ``spend_before``, ``spend_after``, ``spend_change``, ``average_cac``,
        ``average_clv`` (value per new customer), ``new_customers_before``,
        ``new_customers_after``, ``value_before``, ``value_after`` (new customers x
        value per customer), ``net_value_before``, ``net_value_after`` (value - spend),
        ``net_value_change``.
    spend_before, spend_after, new_customers_before, new_customers_after, value_before,
    value_after, net_value_before, net_value_after : totals over the channels.
    net_value_change : ``net_value_after - net_value_before``.
    saturation : the exponent used (1 = constant CAC).
    """

    table: pd.DataFrame
    spend_before: float
    spend_after: float
    new_customers_before: float
    new_customers_after: float
    value_before: float
    value_after: float
    net_value_before: float
    net_value_after: float
    net_value_change: float
    saturation: float


def budget_scenario(
    channel_table: pd.DataFrame,
    moves: Mapping[str, float],
    *,
    as_share: bool = False,
    saturation: float = 1.0,
) -> BudgetScenario:
    """Move ad spend between channels and see the expected new customers and value.

    Parameters
    ----------
    channel_table : :func:`clv.metrics.acquisition.channel_table` (``channel``, ``spend``,
        ``new_customers``, ``average_cac``, ``average_clv``); for the value created,
        build it with :func:`clv.valuation.engine.lifetime_value` as the per-customer value.
    moves : channel -> change of its spend: an amount (``+2000`` adds, ``-2000``
        takes), or with ``as_share`` a share of the channel's current spend (``-0.25``
        takes a quarter). The changes need not sum to zero: the totals show the
        difference in budget.
    as_share : read ``moves`` as shares of each channel's current spend.
    saturation : exponent ``k`` (0 < k <= 1) of new customers in the spend ratio; 1 (the
        default) keeps each channel's CAC constant (no diminishing returns).

    Returns
    -------
    :class:`BudgetScenario`. A channel without a move keeps its figures; before the
    move, new customers are ``spend / CAC`` (the table's own count). A channel without a
    value per customer (NaN ``average_clv``, e.g. none of its customers valued) has NaN
    value columns and is left out of the value totals (its spend still counts in the
    spend totals).

    Raises
    ------
    ValueError : an unknown channel, a move that takes more than the channel spends, a
        move into or out of a channel without a CAC (no spend or no new customers) or
        without a value per customer, a non-finite amount, or a saturation outside
        (0, 1].
    """
    if not (math.isfinite(saturation) and 0 < saturation <= 1):
        raise ValueError(
            f"The saturation {saturation!r} must be above 0 and at most 1 (1 = constant CAC)."
        )
    table = channel_table.reset_index(drop=True)
    names = [str(c) for c in table["channel"]]
    spend = table["spend"].to_numpy(dtype=float)
    cac = table["average_cac"].to_numpy(dtype=float)
    value = table["average_clv"].to_numpy(dtype=float)
    customers = table["new_customers"].to_numpy(dtype=float)
    change = np.zeros(len(table))
    for channel, amount in moves.items():
        if str(channel) not in names:
            raise ValueError(
                f"There is no channel {channel!r} in the channel table; choose one of "
                f"{', '.join(names)}."
            )
        i = names.index(str(channel))
        amount = float(amount)
        if not math.isfinite(amount):
            raise ValueError(f"The move for {channel!r} is not a number; give an amount.")
        if amount == 0:
            continue
        if not (math.isfinite(cac[i]) and cac[i] > 0):
            raise ValueError(
                f"{channel!r} has no cost per new customer (no spend or no new customer in "
                "the period), so what more spend would bring is unknown; leave it out of the "
                "moves or import its spend."
            )
        if not math.isfinite(value[i]):
            raise ValueError(
                f"{channel!r} has no value per customer (no valued customer acquired in the "
                "period); leave it out of the moves."
            )
        if as_share and amount < -1:
            raise ValueError(
                f"The move takes {-amount:.0%} of {channel!r}'s spend; a channel cannot give "
                "more than all of it (at most -1)."
            )
        delta = amount * spend[i] if as_share else amount
        if spend[i] + delta < -1e-9 * max(1.0, spend[i]):
            raise ValueError(
                f"The move takes {-delta:,.2f} from {channel!r}, which spent only "
                f"{spend[i]:,.2f}; take at most that."
            )
        change[i] += delta
    after = np.maximum(spend + change, 0.0)
    moved = change != 0
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(moved, after / np.where(spend > 0, spend, 1), 1.0)
        new_after = np.where(moved, customers * ratio**saturation, customers)
    value_before = customers * value
    value_after = new_after * value
    net_before = value_before - spend
    net_after = value_after - after
    known = np.isfinite(value)
    out = pd.DataFrame(
        {
            "channel": table["channel"].to_numpy(),
            "spend_before": spend,
            "spend_after": after,
            "spend_change": after - spend,
            "average_cac": cac,
            "average_clv": value,
            "new_customers_before": customers,
            "new_customers_after": new_after,
            "value_before": value_before,
            "value_after": value_after,
            "net_value_before": net_before,
            "net_value_after": net_after,
            "net_value_change": net_after - net_before,
        }
    )
    return BudgetScenario(
        table=out,
        spend_before=float(spend.sum()),
        spend_after=float(after.sum()),
        new_customers_before=float(customers.sum()),
        new_customers_after=float(new_after.sum()),
        value_before=float(value_before[known].sum()),
        value_after=float(value_after[known].sum()),
        net_value_before=float(net_before[known].sum()),
        net_value_after=float(net_after[known].sum()),
        net_value_change=float(net_after[known].sum() - net_before[known].sum()),
        saturation=float(saturation),
    )


__all__: Sequence[str] = (
    "RULE_OF_THUMB_HIGH",
    "RULE_OF_THUMB_LOW",
    "RULE_OF_THUMB_POINTS",
    "BudgetScenario",
    "RetentionScenario",
    "active_retention",
    "base_retention",
    "budget_scenario",
    "change_range_percent",
    "cohort_margin_scenario",
    "dropout_factor",
    "future_purchases",
    "movable_channels",
    "reachable_points",
    "retention_scenario",
    "rule_of_thumb_position",
)

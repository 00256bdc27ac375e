"""Scenarios: retention on the fitted model, cohort curves and budget moves, by hand."""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from lifetimes import BetaGeoFitter, ModifiedBetaGeoFitter, ParetoNBDFitter
from scipy import integrate, stats

from clv.levers import scenarios
from clv.valuation.engine import Valuation, ValuationSettings, value_customers
from clv.valuation.models import PARAMETERS, FitResult

FITTERS = {"bgnbd": BetaGeoFitter, "mbgnbd": ModifiedBetaGeoFitter, "pareto": ParetoNBDFitter}


def toy_fit(model: str, params: dict[str, float], relative_se: float = 0.0) -> FitResult:
    """A purchase-model fit with given parameters (time unit: month)."""
    names = list(PARAMETERS[model])
    fitter = FITTERS[model]()
    fitter.params_ = pd.Series([params[k] for k in names], index=names, dtype=float)
    return FitResult(
        model=model,
        params=dict(params),
        standard_errors={k: relative_se * params[k] for k in names},
        lower=dict(params),
        upper=dict(params),
        log_likelihood=0.0,
        n_customers=1,
        penalizer_used=0.0,
        warnings=[],
        time_unit="month",
        log_covariance=np.eye(len(names)) * relative_se**2,
        fitter=fitter,
    )


def toy_valuation(fit: FitResult, customers: pd.DataFrame, horizon: int = 12) -> Valuation:
    settings = ValuationSettings(
        time_unit="month", horizon_months=horizon, annual_discount_rate=0.0
    )
    return Valuation(ok=True, settings=settings, customers=customers, purchase_fit=fit)


def solve(f, target: float, low: float, high: float) -> float:
    """Bisection on a decreasing function (independent of the module's root finder)."""
    for _ in range(200):
        mid = (low + high) / 2
        low, high = (mid, high) if f(mid) > target else (low, mid)
    return (low + high) / 2


# -- BG/NBD, a one-time buyer: closed forms --------------------------------------------
#
# r = 1, alpha = 10, a = 2, b = 1; customer x = 0, T = 2 (months). Given active, the purchase
# rate is Gamma(1, 12) and p ~ Beta(2, 1) (density 2p). With k = c t / 12:
#   E[1 - exp(-lambda c p t)] = c p t / (12 + c p t), so
#   F(t; c) = E_p[t / (12 + c p t)] = (t / 12) * 2 * (1/k - ln(1 + k) / k^2),
#   S(c) over Y = 12 months = E_p[12 / (12 + 12 c p)] = 2 * (1/c - ln(1 + c) / c^2).

BG = {"r": 1.0, "alpha": 10.0, "a": 2.0, "b": 1.0}


def g(k: float) -> float:
    return 2 * (1 / k - math.log1p(k) / k**2)


def test_bgnbd_one_time_buyer_closed_forms() -> None:
    x, age = np.array([0.0]), np.array([2.0])
    assert scenarios.active_retention("bgnbd", BG, x, age, 12.0)[0] == pytest.approx(
        2 * (1 - math.log(2)), rel=1e-12
    )  # 0.613706
    assert scenarios.active_retention("bgnbd", BG, x, age, 12.0, 0.5)[0] == pytest.approx(
        g(0.5), rel=1e-12
    )
    for t, c in [(12.0, 1.0), (6.0, 1.0), (6.0, 0.4), (36.0, 0.7)]:
        expected = t / 12 * g(c * t / 12)
        assert scenarios.future_purchases("bgnbd", BG, x, age, t, c)[0] == pytest.approx(
            expected, rel=1e-10
        )
    # (lifetimes' own formula is 0 x inf at b = 1, x = 0: it is compared on the repeat
    # customer below instead.)


def test_five_points_solve_the_closed_form() -> None:
    x, age = np.array([0.0]), np.array([2.0])
    c, before, after = scenarios.dropout_factor("bgnbd", BG, x, age, np.ones(1), 12.0, 5.0)
    by_hand = solve(g, 2 * (1 - math.log(2)) + 0.05, 1e-6, 1.0)
    assert c == pytest.approx(by_hand, rel=1e-9)
    assert c == pytest.approx(0.7980, abs=1e-4)  # g(0.798) = 1.2531 - 0.9213 ... x 2 = 0.6637
    assert before == pytest.approx(0.613706, abs=1e-6)
    assert after == pytest.approx(before + 0.05, abs=1e-12)
    same = scenarios.dropout_factor("bgnbd", BG, x, age, np.ones(1), 12.0, 0.0)
    assert same == (1.0, before, before)


def test_scenario_on_a_one_customer_valuation_by_hand() -> None:
    # One customer: order value 50, margin share 0.4 -> 20 per purchase; no discounting.
    customers = pd.DataFrame(
        {
            "frequency": [0.0],
            "recency": [0.0],
            "T": [2.0],
            "expected_order_value": [50.0],
            "margin_rate": [0.4],
            "clv": [0.0],
        },
        index=pd.Index(["c1"], name="customer_id"),
    )
    result = scenarios.retention_scenario(
        toy_valuation(toy_fit("bgnbd", BG), customers), 5.0, n_draws=0
    )
    c = solve(g, 2 * (1 - math.log(2)) + 0.05, 1e-6, 1.0)
    assert result.dropout_factor == pytest.approx(c, rel=1e-9)

    def clv(t: float, factor: float) -> float:
        return 20 * t / 12 * g(factor * t / 12)

    assert result.total_before == pytest.approx(clv(12, 1.0), rel=1e-10)  # 12.274
    assert result.total_after == pytest.approx(clv(12, c), rel=1e-10)  # 13.274
    assert result.change_percent == pytest.approx(100 * (0.05 / 0.613706), rel=1e-5)  # 8.15 %
    rows = result.by_horizon.set_index("horizon_months")
    assert list(rows.index) == [12, 24, 36]
    for months in (24, 36):
        assert rows.loc[months, "clv_before"] == pytest.approx(clv(months, 1.0), rel=1e-10)
        assert rows.loc[months, "clv_after"] == pytest.approx(clv(months, c), rel=1e-10)
    years = result.by_year.set_index("year")
    assert years.loc[2, "margin_before"] == pytest.approx(clv(24, 1) - clv(12, 1), rel=1e-10)
    assert years.loc[3, "margin_after"] == pytest.approx(clv(36, c) - clv(24, c), rel=1e-10)
    change_36 = 100 * (clv(36, c) / clv(36, 1) - 1)
    assert change_36 == pytest.approx(14.05, abs=0.01)  # g(2.394) / g(3) = 0.4090 / 0.3586
    assert result.rule_of_thumb == "below"
    assert math.isnan(result.change_low) and result.valid_draws == 0
    assert result.per_customer.loc["c1", "clv_after"] == pytest.approx(clv(12, c), rel=1e-10)


# -- a repeat customer: independent numeric integration ---------------------------------


@pytest.mark.parametrize("model", ["bgnbd", "mbgnbd"])
def test_repeat_customer_against_numeric_integrals(model: str) -> None:
    params = {"r": 1.5, "alpha": 4.0, "a": 0.8, "b": 2.5}
    x, tx, age, c, t, year = 2.0, 5.0, 8.0, 0.6, 9.0, 12.0
    big_r, big_a = params["r"] + x, params["alpha"] + age
    b_post = params["b"] + x + (1 if model == "mbgnbd" else 0)
    density = stats.beta(params["a"], b_post).pdf
    survive, _ = integrate.quad(
        lambda p: (big_a / (big_a + c * p * year)) ** big_r * density(p), 0, 1
    )
    purchases, _ = integrate.quad(
        lambda p: (1 - (big_a / (big_a + c * p * t)) ** big_r) / (c * p) * density(p), 0, 1
    )
    fx, fage = np.array([x]), np.array([age])
    assert scenarios.active_retention(model, params, fx, fage, year, c)[0] == pytest.approx(
        survive, rel=1e-7
    )
    assert scenarios.future_purchases(model, params, fx, fage, t, c)[0] == pytest.approx(
        purchases, rel=1e-7
    )
    # At c = 1, P(alive) * F is lifetimes' conditional expectation.
    fitter = toy_fit(model, params).fitter
    alive = fitter.conditional_probability_alive(x, tx, age)
    lifetimes_value = fitter.conditional_expected_number_of_purchases_up_to_time(t, x, tx, age)
    ours = alive * scenarios.future_purchases(model, params, fx, fage, t)[0]
    assert ours == pytest.approx(lifetimes_value, rel=1e-9)


def test_bgnbd_probability_alive_of_the_repeat_customer_by_hand() -> None:
    # P(alive) = 1 / (1 + a / (b + x - 1) * ((alpha + T) / (alpha + t_x))^(r + x))
    params = {"r": 1.5, "alpha": 4.0, "a": 0.8, "b": 2.5}
    by_hand = 1 / (1 + 0.8 / 3.5 * (12 / 9) ** 3.5)  # 1 / (1 + 0.2286 * 2.737) = 0.6152
    fitter = toy_fit("bgnbd", params).fitter
    assert fitter.conditional_probability_alive(2.0, 5.0, 8.0) == pytest.approx(by_hand, rel=1e-9)


# -- Pareto/NBD: closed forms ------------------------------------------------------------
#
# r = 1, alpha = 5, s = 2, beta = 10; customer x = 1, T = 10: lambda ~ Gamma(2, 15),
# mu ~ Gamma(2, 20) given active. S(c) = (20 / (20 + 12 c))^2, S(1) = 0.390625;
# F(t; c) = 2/15 * 20 / c * (1 - 20 / (20 + c t)) = (8/3) t / (20 + c t); F(12; 1) = 1.

PARETO = {"r": 1.0, "alpha": 5.0, "s": 2.0, "beta": 10.0}


def test_pareto_closed_forms() -> None:
    x, age = np.array([1.0]), np.array([10.0])
    assert scenarios.active_retention("pareto", PARETO, x, age, 12.0)[0] == pytest.approx(0.390625)
    assert scenarios.future_purchases("pareto", PARETO, x, age, 12.0)[0] == pytest.approx(1.0)
    assert scenarios.future_purchases("pareto", PARETO, x, age, 30.0, 0.5)[0] == pytest.approx(
        8 / 3 * 30 / 35
    )
    c, before, after = scenarios.dropout_factor("pareto", PARETO, x, age, np.ones(1), 12.0, 5.0)
    # (20 / (20 + 12 c))^2 = 0.440625  ->  c = (20 / 12) * (0.440625^(-1/2) - 1)
    assert c == pytest.approx(20 / 12 * (0.440625**-0.5 - 1), rel=1e-9)  # 0.8441
    assert (before, after) == (pytest.approx(0.390625), pytest.approx(0.440625))
    fitter = toy_fit("pareto", PARETO).fitter
    alive = fitter.conditional_probability_alive(1.0, 6.0, 10.0)
    lifetimes_value = fitter.conditional_expected_number_of_purchases_up_to_time(12, 1.0, 6.0, 10.0)
    assert lifetimes_value == pytest.approx(alive * 1.0, rel=1e-9)


def test_base_retention_weights_by_probability_alive() -> None:
    # Second customer x = 0, T = 2: S = (12 / 24)^2 = 0.25. Weights 1 and 0.5:
    # (0.390625 + 0.5 * 0.25) / 1.5 = 0.34375.
    x, age = np.array([1.0, 0.0]), np.array([10.0, 2.0])
    value = scenarios.base_retention("pareto", PARETO, x, age, np.array([1.0, 0.5]), 12.0)
    assert value == pytest.approx(0.34375, rel=1e-12)
    doubled = scenarios.base_retention(
        "pareto", PARETO, x, age, np.array([1.0, 0.5]), 12.0, weights=np.array([1.0, 2.0])
    )
    assert doubled == pytest.approx((0.390625 + 0.25) / 2, rel=1e-12)


def test_unreachable_retention_says_the_allowed_range() -> None:
    x, age = np.array([1.0]), np.array([10.0])
    with pytest.raises(ValueError, match=r"between -39\.1 and \+60\.9 points"):
        scenarios.dropout_factor("pareto", PARETO, x, age, np.ones(1), 12.0, 61.0)
    with pytest.raises(ValueError, match="number of percentage points"):
        scenarios.dropout_factor("pareto", PARETO, x, age, np.ones(1), 12.0, math.nan)
    c, _, after = scenarios.dropout_factor("pareto", PARETO, x, age, np.ones(1), 12.0, -10.0)
    assert c > 1 and after == pytest.approx(0.290625)


# -- rule of thumb -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "position"),
    [
        (12.3, "below"),
        (24.99, "below"),
        (25.0, "inside"),
        (60.0, "inside"),
        (95.0, "inside"),
        (95.01, "above"),
        (140.0, "above"),
        (-3.0, "below"),
        (math.nan, None),
    ],
)
def test_rule_of_thumb_position(value: float, position: str | None) -> None:
    assert scenarios.rule_of_thumb_position(value) == position


# -- cohort curves -------------------------------------------------------------------------


def cohort_cells(rows: list[tuple[str, int, int, int, float]]) -> pd.DataFrame:
    return pd.DataFrame(
        rows,
        columns=[
            "cohort_month",
            "months_since_first",
            "customers_in_cohort",
            "active_customers",
            "margin",
        ],
    )


def test_cohort_margin_scenario_by_hand() -> None:
    # Pooled: r = 1, 0.4, 0.3, 0.25 (month 3: cohort A only, 15 of 60); margin per active
    # customer 30, 20, 20, 20. Ratios 0.4, 0.75, 0.8333; +5 points: 0.45, 0.8, 0.8833
    # -> r' = 1, 0.45, 0.36, 0.318.
    grid = cohort_cells(
        [
            ("A", 0, 60, 60, 1800.0),
            ("A", 1, 60, 24, 480.0),
            ("A", 2, 60, 18, 360.0),
            ("A", 3, 60, 15, 300.0),
            ("B", 0, 40, 40, 1200.0),
            ("B", 1, 40, 16, 320.0),
            ("B", 2, 40, 12, 240.0),
        ]
    )
    out = scenarios.cohort_margin_scenario(grid, 5.0)
    assert out["customers"].tolist() == [100, 100, 100, 60]
    assert out["retention"].tolist() == pytest.approx([1, 0.4, 0.3, 0.25])
    assert out["retention_scenario"].tolist() == pytest.approx([1, 0.45, 0.36, 0.318])
    assert out["margin_per_active"].tolist() == pytest.approx([30, 20, 20, 20])
    assert out["cumulative_margin_per_customer"].tolist() == pytest.approx([30, 38, 44, 49])
    assert out["cumulative_margin_per_customer_scenario"].tolist() == pytest.approx(
        [30, 39, 46.2, 52.56]
    )
    assert out["change"].tolist() == pytest.approx([0, 1, 2.2, 3.56])
    unchanged = scenarios.cohort_margin_scenario(grid, 0.0)
    assert unchanged["change"].tolist() == [0.0] * 4


def test_cohort_scenario_caps_at_one_and_skips_empty_months() -> None:
    # r = 1, 0.98, 0, 0.1: 0.98 + 0.05 would pass 1; month 3 follows an empty month.
    grid = cohort_cells(
        [
            ("A", 0, 100, 100, 100.0),
            ("A", 1, 100, 98, 98.0),
            ("A", 2, 100, 0, 0.0),
            ("A", 3, 100, 10, 10.0),
        ]
    )
    out = scenarios.cohort_margin_scenario(grid, 5.0)
    assert out["retention_scenario"].tolist() == pytest.approx([1, 1, 0.05, 0.1])
    assert out["margin_per_active"].tolist() == pytest.approx([1, 1, 0, 1])
    assert scenarios.cohort_margin_scenario(grid.iloc[0:0], 5.0).empty


# -- budget --------------------------------------------------------------------------------


def channels() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "channel": ["Meta Ads", "Google Ads", "Salons", "SEO"],
            "spend": [10_000.0, 6_000.0, 3_000.0, 0.0],
            "new_customers": [200, 100, 0, 300],
            "average_cac": [50.0, 60.0, math.nan, 0.0],
            "average_clv": [120.0, 90.0, math.nan, 100.0],
        }
    )


def test_budget_move_by_hand() -> None:
    result = scenarios.budget_scenario(channels(), {"Google Ads": -2_000, "Meta Ads": 2_000})
    rows = result.table.set_index("channel")
    # Meta: 12,000 / 50 = 240 customers x 120 = 28,800, net 16,800 (before 24,000 - 10,000).
    assert rows.loc["Meta Ads", "new_customers_after"] == pytest.approx(240)
    assert rows.loc["Meta Ads", "value_after"] == pytest.approx(28_800)
    assert rows.loc["Meta Ads", "net_value_before"] == pytest.approx(14_000)
    assert rows.loc["Meta Ads", "net_value_after"] == pytest.approx(16_800)
    # Google: 4,000 / 60 = 66.67 customers x 90 = 6,000, net 2,000 (before 9,000 - 6,000).
    assert rows.loc["Google Ads", "new_customers_after"] == pytest.approx(4_000 / 60)
    assert rows.loc["Google Ads", "net_value_after"] == pytest.approx(2_000)
    assert rows.loc["Google Ads", "net_value_change"] == pytest.approx(-1_000)
    # SEO and the trade shows keep their figures; the shows have no value per customer.
    assert rows.loc["SEO", "new_customers_after"] == 300
    assert math.isnan(rows.loc["Salons", "value_after"])
    assert result.spend_before == result.spend_after == 19_000
    assert result.new_customers_before == 600
    assert result.new_customers_after == pytest.approx(240 + 4_000 / 60 + 300)
    assert result.value_before == pytest.approx(24_000 + 9_000 + 30_000)
    assert result.value_after == pytest.approx(28_800 + 6_000 + 30_000)
    assert result.net_value_before == pytest.approx(63_000 - 16_000)
    assert result.net_value_change == pytest.approx(1_800)


def test_budget_shares_and_saturation_by_hand() -> None:
    shares = scenarios.budget_scenario(
        channels(), {"Google Ads": -0.5, "Meta Ads": 0.3}, as_share=True
    )
    rows = shares.table.set_index("channel")
    assert rows.loc["Google Ads", "spend_after"] == 3_000
    assert rows.loc["Meta Ads", "spend_after"] == 13_000
    assert rows.loc["Meta Ads", "new_customers_after"] == pytest.approx(260)
    saturated = scenarios.budget_scenario(
        channels(), {"Google Ads": -2_000, "Meta Ads": 2_000}, saturation=0.5
    )
    rows = saturated.table.set_index("channel")
    assert rows.loc["Meta Ads", "new_customers_after"] == pytest.approx(200 * 1.2**0.5)  # 219.09
    assert rows.loc["Google Ads", "new_customers_after"] == pytest.approx(100 * (2 / 3) ** 0.5)
    nothing = scenarios.budget_scenario(channels(), {})
    assert nothing.net_value_change == 0
    assert nothing.table["new_customers_after"].tolist() == [200, 100, 0, 300]


@pytest.mark.parametrize(
    ("moves", "options", "message"),
    [
        ({"Google Ads": -7_000, "Meta Ads": 7_000}, {}, "spent only 6,000.00"),
        ({"Meta Ads": -1_000, "SEO": 1_000}, {}, "'SEO' has no cost per new customer"),
        ({"Meta Ads": -1_000, "Salons": 1_000}, {}, "'Salons' has no cost per new customer"),
        ({"TikTok": 1_000}, {}, "no channel 'TikTok'"),
        ({"Meta Ads": -1.5}, {"as_share": True}, "at most -1"),
        ({"Meta Ads": math.inf}, {}, "not a number"),
        ({"Meta Ads": 100}, {"saturation": 0.0}, "saturation"),
        ({"Meta Ads": 100}, {"saturation": 1.5}, "saturation"),
    ],
)
def test_budget_refuses_impossible_moves(moves, options, message) -> None:
    with pytest.raises(ValueError, match=message):
        scenarios.budget_scenario(channels(), moves, **options)


def test_budget_can_empty_a_channel() -> None:
    result = scenarios.budget_scenario(channels(), {"Google Ads": -6_000, "Meta Ads": 6_000})
    rows = result.table.set_index("channel")
    assert rows.loc["Google Ads", "new_customers_after"] == 0
    assert rows.loc["Meta Ads", "new_customers_after"] == pytest.approx(320)


# -- the demo shop -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_valuation(demo) -> Valuation:
    valuation = value_customers(demo)
    assert valuation.ok
    return valuation


def test_demo_baseline_is_the_valuation(demo_valuation: Valuation) -> None:
    zero = scenarios.retention_scenario(demo_valuation, 0.0)
    clv = demo_valuation.customers["clv"]
    np.testing.assert_allclose(zero.per_customer["clv_before"], clv, rtol=1e-9, atol=1e-9)
    assert zero.total_before == pytest.approx(demo_valuation.kpis.total_clv, rel=1e-12)
    # 0 points: exactly no change, and an empty range.
    assert zero.dropout_factor == 1.0
    assert zero.total_after == zero.total_before
    assert (zero.by_horizon["change"] == 0).all() and (zero.by_year["change"] == 0).all()
    assert zero.change_low == zero.change_high == 0


def test_demo_more_retention_more_value(demo_valuation: Valuation) -> None:
    five = scenarios.retention_scenario(demo_valuation, 5.0)
    ten = scenarios.retention_scenario(demo_valuation, 10.0, n_draws=0)
    worse = scenarios.retention_scenario(demo_valuation, -5.0, n_draws=0)
    assert five.retention_after - five.retention_before == pytest.approx(0.05, abs=1e-9)
    assert 0 < five.dropout_factor < 1 < worse.dropout_factor
    assert (five.by_horizon["change"] > 0).all() and (five.by_year["change"] > 0).all()
    assert (ten.by_horizon["change"] > five.by_horizon["change"]).all()
    assert (worse.by_horizon["change"] < 0).all()
    # Longer horizons gain more: the extra customers kept buy again and again.
    assert five.by_horizon["change_percent"].is_monotonic_increasing
    assert five.valid_draws >= 90
    assert five.change_percent_low <= five.change_percent <= five.change_percent_high
    assert (five.by_horizon["change_low"] <= five.by_horizon["change"]).all()
    assert (five.by_horizon["change"] <= five.by_horizon["change_high"]).all()
    assert (five.by_year["change_low"] <= five.by_year["change"]).all()
    assert (five.by_year["change"] <= five.by_year["change_high"]).all()
    long = five.by_horizon.set_index("horizon_months").loc[36, "change_percent"]
    assert five.rule_of_thumb == scenarios.rule_of_thumb_position(long)
    assert (five.per_customer["clv_after"] >= five.per_customer["clv_before"] - 1e-12).all()


def test_a_cached_valuation_gives_the_same_scenario(demo_valuation: Valuation) -> None:
    """The app caches valuations without their fitter objects: the scenario rebuilds them
    from the parameters and finds the same figures."""
    cached = scenarios.retention_scenario(demo_valuation.portable(), 5.0, n_draws=0)
    fresh = scenarios.retention_scenario(demo_valuation, 5.0, n_draws=0)
    assert cached.total_after == pytest.approx(fresh.total_after, rel=1e-12)
    assert cached.dropout_factor == pytest.approx(fresh.dropout_factor, rel=1e-12)


def test_scenario_needs_a_fitted_valuation(demo_valuation: Valuation) -> None:
    with pytest.raises(ValueError, match="value the customers first"):
        scenarios.retention_scenario(Valuation(ok=False, settings=ValuationSettings()), 5.0)
    with pytest.raises(ValueError, match="outside 0-100 %"):
        scenarios.retention_scenario(demo_valuation, 40.0, n_draws=0)


# -- rules the Scenarios page reads (moved out of the page) ----------------------------------


def test_reachable_points_keep_the_target_strictly_inside_0_and_100_percent():
    from clv.levers.scenarios import reachable_points

    # 77.3 % today: down to 0.3 % (-77 points) and up to 99.3 % (+22 points).
    assert reachable_points(0.773) == (-77, 22)
    # 50 % exactly: -49 and +49 (the targets 0 % and 100 % are out of reach).
    assert reachable_points(0.5) == (-49, 49)


def test_movable_channels_need_spend_customers_cac_and_value():
    from clv.levers.scenarios import movable_channels

    table = pd.DataFrame(
        {
            "channel": ["Meta", "Organic", "Google", "Unvalued"],
            "spend": [1000.0, 0.0, 500.0, 300.0],
            "new_customers": [10, 40, 5, 3],
            "average_cac": [100.0, math.nan, 100.0, 100.0],
            "average_clv": [250.0, 80.0, 90.0, math.nan],
        }
    )
    movable, fixed = movable_channels(table)
    assert movable["channel"].tolist() == ["Meta", "Google"]
    assert fixed["channel"].tolist() == ["Organic", "Unvalued"]
    assert movable.index.tolist() == [0, 1] and fixed.index.tolist() == [0, 1]


def test_change_range_percent_is_the_range_over_the_value_before():
    from clv.levers.scenarios import change_range_percent

    scenario = SimpleNamespace(
        by_horizon=pd.DataFrame(
            {
                "horizon_months": [12, 36],
                "clv_before": [1000.0, 2000.0],
                "change_low": [10.0, 100.0],
                "change_high": [30.0, 300.0],
            }
        )
    )
    assert change_range_percent(scenario, 36) == (5.0, 15.0)  # 100/2000, 300/2000
    scenario.by_horizon.loc[1, "change_low"] = math.nan
    low, high = change_range_percent(scenario, 36)
    assert math.isnan(low) and math.isnan(high)

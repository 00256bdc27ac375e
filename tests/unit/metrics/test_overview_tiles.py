"""The Overview's headline figures, against the hand-made shop and hand-made tables."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from clv.metrics.acquisition import save_channel_aliases
from clv.metrics.filters import Filters
from clv.metrics.overview import (
    overall_nps,
    paid_clv_cac_ratio,
    pooled_churn_rate,
    pooled_repeat_rates,
    value_of_kept,
)
from tests.kpi_shop import ALIASES, CUSTOMERS, ORDERS, hand_store
from tests.valued import store_values

# Predicted CLV given by hand to the shop's customers; J has no paid order, so it is never
# a kept customer whatever its value.
CLV = pd.Series({"A": 100.0, "B": 50.0, "C": 30.0, "D": 20.0, "E": 10.0, "I": 40.0, "J": 999.0})
# The picked customers A, C and J get a tier of their own (Gold), the others Bronze.
TIERS = {"A": "Gold", "C": "Gold", "J": "Gold", "B": "Bronze", "D": "Bronze", "E": "Bronze"}
VALUATION = "overview-hand"


@pytest.fixture(scope="module")
def shop(tmp_path_factory):
    store = hand_store(tmp_path_factory.mktemp("overview") / "o.duckdb", ORDERS, CUSTOMERS)
    save_channel_aliases(store, ALIASES)
    with store.cursor() as cur:
        store_values(cur, clv=CLV, tiers=TIERS, key=VALUATION)
    yield store
    store.close()


@pytest.mark.parametrize(
    ("filters", "customers", "total"),
    [
        # A, B, C, D, E, I: 100 + 50 + 30 + 20 + 10 + 40
        (Filters(), 6, 250.0),
        # Meta Ads after aliases: A ("facebook"), B, I ("FaceBook" first order)
        (Filters(channels=["Meta Ads"]), 3, 190.0),
        # February cohort: C (3 Feb) and D (10 Feb)
        (Filters(start="2024-02-01", end="2024-02-29"), 2, 50.0),
        # the Gold tier: A, C and J; J never paid, so A + C = 100 + 30
        (Filters(tiers=["Gold"], valuation=VALUATION), 2, 130.0),
        # I has a CLV but no tier: the Bronze tier is B, D, E = 50 + 20 + 10
        (Filters(tiers=["Bronze"], valuation=VALUATION), 3, 80.0),
        # Gold and Meta Ads: A alone
        (Filters(channels=["Meta Ads"], tiers=["Gold"], valuation=VALUATION), 1, 100.0),
    ],
)
def test_value_of_kept_customers(shop, filters, customers, total):
    with shop.cursor() as cur:
        kept = value_of_kept(cur, VALUATION, filters)
    assert kept.customers == customers
    assert kept.total_clv == pytest.approx(total)
    assert kept.average_clv == pytest.approx(total / customers)


def test_value_of_nobody(shop):
    with shop.cursor() as cur:
        kept = value_of_kept(cur, VALUATION, Filters(channels=["Nowhere"]))
        # a valuation that is not in the store values nobody either
        unknown = value_of_kept(cur, "not-stored")
    assert (kept.customers, kept.average_clv, kept.total_clv) == (0, None, 0.0)
    assert (unknown.customers, unknown.average_clv, unknown.total_clv) == (0, None, 0.0)


def test_paid_ratio_weights_each_channel_by_its_customers():
    table = pd.DataFrame(
        {
            "channel": ["Meta Ads", "Google Ads", "Newsletter", "TikTok"],
            "spend": [300.0, 100.0, 0.0, 50.0],
            "new_customers": [3, 2, 1, 0],
            "average_clv": [150.0, 30.0, 10.0, math.nan],
        }
    )
    # (150 x 3 + 30 x 2) / (300 + 100): Newsletter has no spend, TikTok no valued customer
    assert paid_clv_cac_ratio(table) == pytest.approx(510 / 400)
    assert paid_clv_cac_ratio(table.iloc[2:]) is None
    assert paid_clv_cac_ratio(table.iloc[:0]) is None


def test_pooled_churn_counts_customers_not_groups():
    rates = pd.DataFrame({"group": ["a", "b"], "customers": [4, 6], "churned": [1, 3]})
    # 4 / 10, not the mean of 25 % and 50 %
    assert pooled_churn_rate(rates) == (pytest.approx(0.4), 10)
    assert pooled_churn_rate(rates.iloc[:0]) == (None, 0)


def test_pooled_repeat_rates_skip_young_cohorts_per_window():
    rates = pd.DataFrame(
        {
            "new_customers": [10, 20, 5],
            "rate_30": [0.1, 0.2, 0.4],
            "rate_90": [0.3, math.nan, math.nan],
        }
    )
    pooled = pooled_repeat_rates(rates)
    # 30 days: (1 + 4 + 2) / 35; 90 days: the first cohort only
    assert pooled[30] == (pytest.approx(7 / 35), 35)
    assert pooled[90] == (pytest.approx(0.3), 10)
    assert pooled_repeat_rates(rates.assign(rate_90=math.nan))[90] == (None, 0)


def test_overall_nps_counts_every_answer():
    segments = pd.DataFrame(
        {"answers": [10, 2], "promoters": [5, 1], "passives": [3, 0], "detractors": [2, 1]}
    )
    result = overall_nps(segments)
    # (6 - 3) / 12
    assert result.nps == pytest.approx(25.0)
    assert result.n == 12
    assert overall_nps(segments.iloc[:0]) is None

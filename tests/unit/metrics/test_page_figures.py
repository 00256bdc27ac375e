"""Each page's one data call gives what the separate calls give (same figures, one pass)."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from clv.metrics import acquisition, loyalty, retention, voice
from clv.metrics.filters import NO_FILTERS, Filters
from clv.store import derived
from tests.valued import store_values

TIERS = ("Platinum", "Gold", "Silver", "Bronze")


@pytest.fixture(scope="module")
def shop(demo):
    """The demo shop with a hand valuation: tiers dealt in turn by customer id, CLV = 10 x
    the position in that order (no model fitted)."""
    with demo.cursor() as cur:
        derived.ensure(cur)
        ids = [
            row[0]
            for row in cur.execute("SELECT customer_id FROM customer_base ORDER BY 1").fetchall()
        ]
        key = store_values(
            cur,
            clv={c: 10.0 * i for i, c in enumerate(ids)},
            tiers={c: TIERS[i % 4] for i, c in enumerate(ids)},
        )
    return demo, key


def same(left, right) -> None:
    if isinstance(left, pd.DataFrame):
        pd.testing.assert_frame_equal(left, right)
    elif dataclasses.is_dataclass(left):
        assert left == right
    else:
        assert left == right or (pd.isna(left) and pd.isna(right))


FILTERS = [
    NO_FILTERS,
    Filters(channels=["Google Ads", "Meta Ads"]),
    Filters(start="2024-01-01", end="2024-12-31"),
]


@pytest.mark.parametrize("filters", FILTERS, ids=["none", "channels", "period"])
def test_loyalty_figures_equal_the_separate_calls(shop, filters):
    store, _key = shop
    with store.cursor() as cur:
        figures = loyalty.loyalty_figures(cur, filters, (30, 60, 90))
        same(figures.repeat_rates, loyalty.repeat_rates(cur, filters, windows=(30, 60, 90)))
        same(figures.basket_by_rank, loyalty.basket_by_rank(cur, filters))
        same(figures.basket, loyalty.first_vs_repeat_basket(cur, filters))
        split = loyalty.revenue_split_by_month(cur, filters)
        same(figures.revenue_split, split)
        same(figures.existing_share, loyalty.existing_revenue_share(split))
        gaps = loyalty.time_between_orders(cur, filters)
        same(figures.gaps, gaps)
        same(figures.median_gap_days, loyalty.median_gap_days(gaps))
        same(figures.basket_by_tenure, loyalty.basket_by_tenure(cur, filters))


@pytest.mark.parametrize("filters", FILTERS, ids=["none", "channels", "period"])
def test_retention_figures_equal_the_separate_calls(shop, filters):
    store, key = shop
    with store.cursor() as cur:
        figures = retention.retention_figures(cur, 120, filters, 0.4, key)
        same(figures.churn_by_cohort, retention.churn_rates(cur, 120, filters, by="cohort"))
        same(figures.retention, retention.cohort_retention(cur, filters))
        same(figures.margin, retention.cumulative_margin_by_cohort(cur, filters, margin_rate=0.4))
        by_tier = retention.churn_rates(cur, 120, filters, by="tier", valuation=key)
        same(figures.churn_by_tier, by_tier)
        assert by_tier["group"].tolist() == list(TIERS)
        assert retention.retention_figures(cur, 120, filters).churn_by_tier is None


@pytest.mark.parametrize("filters", FILTERS, ids=["none", "channels", "period"])
def test_voice_figures_equal_the_separate_calls(shop, filters):
    store, key = shop
    with store.cursor() as cur:
        figures = voice.voice_figures(cur, filters, key)
        same(figures.by_month, voice.nps_by(cur, "month", filters))
        same(figures.held, voice.clv_held_by_nps_group(cur, key, filters))
        same(figures.tickets, voice.tickets_by_tier(cur, key, filters))
        bare = voice.voice_figures(cur, filters)
        assert bare.held is None and bare.tickets is None


def test_a_tier_filter_reaches_every_figure_of_the_bundles(shop):
    store, key = shop
    gold = Filters(tiers=["Gold"], valuation=key)
    with store.cursor() as cur:
        every = voice.voice_figures(cur, NO_FILTERS, key).tickets.set_index("tier")
        only = voice.voice_figures(cur, gold, key).tickets.set_index("tier")
        # Gold keeps its customers and tickets; the other tiers keep none.
        assert only.loc["Gold", "customers"] == every.loc["Gold", "customers"] > 0
        assert only.loc["Gold", "tickets"] == every.loc["Gold", "tickets"]
        assert (only.drop(index="Gold")["customers"] == 0).all()
        # One customer in four is Gold: the cohorts of the Gold filter are about a quarter.
        cohorts = retention.retention_figures(cur, 120, gold).churn_by_cohort
        everyone = retention.retention_figures(cur, 120).churn_by_cohort
        assert 0.15 < cohorts["customers"].sum() / everyone["customers"].sum() < 0.35
    with store.cursor() as cur:
        table = acquisition.acquisition_figures(cur, key, gold, 0.4).table
        # Spend cannot be split by tier: the acquisition table ignores the tier filter.
        pd.testing.assert_frame_equal(
            table, acquisition.acquisition_figures(cur, key, NO_FILTERS, 0.4).table
        )

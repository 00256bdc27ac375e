"""Which customers the page filters keep, on the hand-made shop."""

from __future__ import annotations

import pandas as pd
import pytest

from clv.metrics.acquisition import save_channel_aliases
from clv.metrics.filters import Filters, is_filtering, kept_customers
from clv.risk.health import kept_rows
from tests.kpi_shop import ALIASES, CUSTOMERS, ORDERS, hand_store
from tests.valued import store_values

# A hand valuation giving the picked customers (A, I, E) a tier of their own.
PICKED = "picked"
PICKED_TIERS = {"A": "Gold", "I": "Gold", "E": "Gold", "B": "Bronze", "C": "Bronze", "D": "Bronze"}


@pytest.fixture(scope="module")
def shop(tmp_path_factory):
    store = hand_store(tmp_path_factory.mktemp("kept") / "k.duckdb", ORDERS, CUSTOMERS)
    save_channel_aliases(store, ALIASES)
    with store.cursor() as cur:
        store_values(cur, tiers=PICKED_TIERS, key=PICKED)
    yield store
    store.close()


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        # J never paid, F only cancelled, the guest is nobody
        (Filters(), ["A", "B", "C", "D", "E", "I"]),
        (Filters(channels=["Google Ads"]), ["C", "D"]),
        (Filters(start="2024-03-01"), ["E", "I"]),
        (Filters(end="2024-01-31"), ["A", "B"]),
        (Filters(channels=["Meta Ads"], tiers=["Gold"], valuation=PICKED), ["A", "I"]),
        (Filters(tiers=["Gold"], valuation=PICKED), ["A", "E", "I"]),
        (
            Filters(tiers=["Bronze", "Gold"], valuation=PICKED, start="2024-02-01"),
            ["C", "D", "E", "I"],
        ),
        # a tier nobody has, or a valuation that is not stored, keeps nobody
        (Filters(tiers=["Platinum"], valuation=PICKED), []),
        (Filters(tiers=["Gold"], valuation="not-stored"), []),
    ],
)
def test_kept_customers(shop, filters, expected):
    with shop.cursor() as cur:
        assert kept_customers(cur, filters) == expected


def test_is_filtering():
    assert not is_filtering(Filters())
    assert is_filtering(Filters(channels=[]))
    assert is_filtering(Filters(start="2024-01-01"))
    assert is_filtering(Filters(tiers=["Gold"], valuation=PICKED))


# Per-customer rows as the Health page holds them, with each customer's channel and tier.
ROWS = pd.DataFrame(
    {"health": [80.0, 30.0, 45.0, 60.0, 10.0]},
    index=pd.Index(["A", "B", "C", "D", "E"], name="customer_id"),
)
CHANNELS = pd.Series({"A": "Meta Ads", "B": "Meta Ads", "C": "Google Ads", "D": None, "E": "Email"})
ROW_TIERS = pd.Series({"A": "Gold", "B": "Bronze", "C": "Gold", "D": "Gold"})  # E: no tier


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (Filters(), ["A", "B", "C", "D", "E"]),
        # D's channel is unknown: no channel keeps it
        (Filters(channels=["Meta Ads"]), ["A", "B"]),
        (Filters(channels=["Meta Ads", "Email"]), ["A", "B", "E"]),
        (Filters(channels=[]), []),
        # E has no tier: no tier keeps it
        (Filters(tiers=["Gold"], valuation=PICKED), ["A", "C", "D"]),
        (Filters(channels=["Meta Ads"], tiers=["Gold"], valuation=PICKED), ["A"]),
        # dates do not apply (health is as of the latest day)
        (Filters(start="2030-01-01", channels=["Google Ads"]), ["C"]),
    ],
)
def test_kept_rows(filters, expected):
    kept = kept_rows(ROWS, CHANNELS, ROW_TIERS, filters)
    assert kept.index.tolist() == expected
    pd.testing.assert_frame_equal(kept, ROWS.loc[expected])


def test_kept_rows_without_tiers():
    # Without the tiers (no valuation yet) a tier filter keeps nobody; others need none.
    assert kept_rows(ROWS, CHANNELS, None, Filters(tiers=["Gold"], valuation=PICKED)).empty
    assert kept_rows(ROWS, CHANNELS, None, Filters(channels=["Email"])).index.tolist() == ["E"]
    # Tiers given as a categorical (as a valuation holds them) work the same.
    categorical = ROW_TIERS.astype(pd.CategoricalDtype(["Platinum", "Gold", "Silver", "Bronze"]))
    kept = kept_rows(ROWS, CHANNELS, categorical, Filters(tiers=["Bronze"], valuation=PICKED))
    assert kept.index.tolist() == ["B"]

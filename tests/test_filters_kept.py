"""Which customers the page filters keep, on the hand-made shop."""

from __future__ import annotations

import pytest

from clv.acquisition import save_channel_aliases
from clv.filters import Filters, is_filtering, kept_customers
from tests.kpi_shop import ALIASES, CUSTOMERS, ORDERS, hand_store


@pytest.fixture(scope="module")
def shop(tmp_path_factory):
    store = hand_store(tmp_path_factory.mktemp("kept") / "k.duckdb", ORDERS, CUSTOMERS)
    save_channel_aliases(store, ALIASES)
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
        (Filters(channels=["Meta Ads"], customer_ids=["A", "I", "E"]), ["A", "I"]),
    ],
)
def test_kept_customers(shop, filters, expected):
    with shop.cursor() as cur:
        assert kept_customers(cur, filters) == expected


def test_is_filtering():
    assert not is_filtering(Filters())
    assert is_filtering(Filters(channels=[]))
    assert is_filtering(Filters(start="2024-01-01"))

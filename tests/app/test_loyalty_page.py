"""The Loyalty page under AppTest: its tiles against :mod:`clv.metrics.loyalty` on the same file,
in English and French, with the shared filters, and on an empty store."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import ui
from clv.metrics.filters import Filters
from clv.metrics.loyalty import (
    existing_revenue_share,
    first_vs_repeat_basket,
    median_gap_days,
    repeat_rates,
    revenue_split_by_month,
    time_between_orders,
)
from clv.metrics.overview import pooled_repeat_rates
from tests.apptest import run_page

PAGE = "views/loyalty.py"
# A period and a channel of the demo shop (2023-01-01 .. 2025-12-31).
PERIOD = (dt.date(2023, 6, 1), dt.date(2024, 6, 30))
CHANNEL = "Google Ads"


def tiles(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def number(text: str) -> float:
    """A figure as shown, back to a float: ``19.4%`` / ``19,4 %`` -> 19.4, ``+10.6%`` -> 10.6,
    ``49 days`` / ``49 jours`` -> 49."""
    cleaned = text.replace("\u202f", "").replace("\u00a0", " ").replace("%", " ")
    cleaned = cleaned.replace("\u2212", "-").split()[0]
    return float(cleaned.replace(",", "."))


def percent(text: str) -> float:
    return number(text) / 100


# A tile shows one decimal of a percentage: within 0.05 points of the exact share.
ROUNDING = 0.0005 + 1e-9


def test_loyalty_page_on_the_demo_shop(app_demo_db: Path) -> None:
    at = run_page(PAGE, "en")
    assert at.title[0].value == "Loyalty: repeat purchase"
    shown = tiles(at)
    with ui.open_store(str(app_demo_db), "1GB", 2).cursor() as cur:
        last_day = cur.execute("SELECT max(ordered_at)::DATE FROM orders").fetchone()[0]
        pooled = pooled_repeat_rates(repeat_rates(cur))
        share = existing_revenue_share(revenue_split_by_month(cur))
        basket = first_vs_repeat_basket(cur)
        median = median_gap_days(time_between_orders(cur))

    for days in (30, 60, 90):
        rate, _ = pooled[days]
        assert percent(shown[f"Repeat within {days} days"]) == pytest.approx(rate, abs=ROUNDING)
    assert percent(shown["Revenue share of existing customers"]) == pytest.approx(
        share, abs=ROUNDING
    )
    assert percent(shown["Repeat basket vs first basket"]) == pytest.approx(
        basket.difference, abs=ROUNDING
    )
    assert number(shown["Median time between orders"]) == median

    # Which cohorts count: the last order is on 31/12/2025, so the youngest cohort measured
    # for 90 days is September 2025 (30/09 + 90 days = 29/12), for 60 days October
    # (31/10 + 60 = 30/12) and for 30 days November (30/11 + 30 = 30/12).
    assert last_day == dt.date(2025, 12, 31)
    captions = [c.value for c in at.caption]
    customers = {days: f"{pooled[days][1]:,}" for days in (30, 60, 90)}
    assert f"Cohorts 2023-01 to 2025-09 · {customers[90]} new customers" in captions
    assert f"Cohorts 2023-01 to 2025-10 · {customers[60]} new customers" in captions
    assert f"Cohorts 2023-01 to 2025-11 · {customers[30]} new customers" in captions
    # the market figures beside the tiles
    assert any(c.endswith("Market figure: about +33% for repeat customers.") for c in captions)
    assert "French e-commerce figure: about 65%." in captions
    # five charts, each with its data as CSV
    assert len(at.get("plotly_chart")) == 5
    for key in ("loyalty_repeat", "loyalty_gaps", "loyalty_rank", "loyalty_tenure"):
        assert at.download_button(key=f"{key}_csv") is not None
    assert at.download_button(key="loyalty_split_csv") is not None
    assert not at.info  # no empty state


def test_loyalty_page_in_french(app_demo_db: Path) -> None:
    at = run_page(PAGE, "fr")
    assert at.title[0].value == "Fidélité : le réachat"
    shown = tiles(at)
    with ui.open_store(str(app_demo_db), "1GB", 2).cursor() as cur:
        rate, _ = pooled_repeat_rates(repeat_rates(cur))[90]
        share = existing_revenue_share(revenue_split_by_month(cur))
    assert shown["Réachat sous 90 jours"].endswith("\u00a0%")
    assert percent(shown["Réachat sous 90 jours"]) == pytest.approx(rate, abs=ROUNDING)
    assert percent(shown["Part du CA des clients existants"]) == pytest.approx(share, abs=ROUNDING)
    assert shown["Délai médian entre deux achats"].endswith(" jours")
    assert "Repère e-commerce français : environ 65\u00a0%." in [c.value for c in at.caption]


def test_loyalty_page_honours_the_shared_filters(app_demo_db: Path) -> None:
    saved = {"period": PERIOD, "channels": [CHANNEL], "tiers": []}
    at = run_page(PAGE, "en", kpi_filters=saved)
    shown = tiles(at)
    filters = Filters(start=PERIOD[0], end=PERIOD[1], channels=[CHANNEL])
    with ui.open_store(str(app_demo_db), "1GB", 2).cursor() as cur:
        everyone, _ = pooled_repeat_rates(repeat_rates(cur))[90]
        filtered, customers = pooled_repeat_rates(repeat_rates(cur, filters))[90]
        share = existing_revenue_share(revenue_split_by_month(cur, filters))
    # the filter moves the figure by more than the tile's rounding...
    assert abs(filtered - everyone) > 0.01
    # ...and the tile follows the clv function with the same Filters.
    assert percent(shown["Repeat within 90 days"]) == pytest.approx(filtered, abs=ROUNDING)
    assert percent(shown["Revenue share of existing customers"]) == pytest.approx(
        share, abs=ROUNDING
    )
    # the period ends 30/06/2024: the youngest cohort measured for 90 days is March 2024
    # (31/03 + 90 days = 29/06), the oldest is the period's first, June 2023.
    captions = [c.value for c in at.caption]
    assert f"Cohorts 2023-06 to 2024-03 · {customers:,} new customers" in captions
    assert any(c.startswith(":material/filter_alt: Filtered:") for c in captions)


def test_loyalty_page_on_an_empty_store(app_empty_db: Path) -> None:
    at = run_page(PAGE, "en")
    assert not at.metric
    (info,) = at.info
    assert "This page needs the **orders**" in info.value
    assert "Upload on the Data page: Orders." in info.value
    links = at.get("page_link")
    # the link to the Data page (by its URL path) under the info box
    assert [(link.proto.page, link.proto.label) for link in links] == [
        ("data", "Go to the Data page")
    ]

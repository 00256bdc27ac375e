"""The Overview's page tiles, on the demo shop, checked against figures recomputed here
from the data file (plain SQL where the figure is simple, the KPI modules otherwise)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import ui
from clv.metrics.filters import Filters
from clv.metrics.retention import churn_rates, default_churn_days
from clv.valuation import engine
from clv.valuation.engine import ValuationSettings
from tests.apptest import run_page

OVERVIEW = "views/overview.py"


def number(text: str) -> float:
    """A displayed English figure back to a float ("1,234.5 %" -> 1234.5)."""
    return float(text.replace(",", "").replace("€", "").replace("%", "").split(":")[0])


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def nps_by_sql(cur, start: dt.date | None = None, end: dt.date | None = None) -> float:
    promoters, detractors, answers = cur.execute(
        """
        SELECT count(*) FILTER (WHERE score >= 9), count(*) FILTER (WHERE score <= 6), count(*)
        FROM nps_responses
        WHERE ($1::DATE IS NULL OR answered_at::DATE >= $1)
          AND ($2::DATE IS NULL OR answered_at::DATE <= $2)
        """,
        [start, end],
    ).fetchone()
    return 100 * (promoters - detractors) / answers


def test_tiles_on_the_demo_shop(app_demo_db: Path) -> None:
    at = run_page(OVERVIEW, "en")
    shown = metrics(at)
    store = ui.open_store(str(app_demo_db), "1GB", 2)
    with store.cursor() as cur:
        nps = nps_by_sql(cur)
        # existing customers' revenue: every paid order but each customer's first
        existing, total = cur.execute(
            """
            WITH ranked AS (
                SELECT net_amount, row_number() OVER (
                    PARTITION BY customer_id ORDER BY ordered_at, order_id) AS rank
                FROM orders WHERE status = 'paid' AND customer_id IS NOT NULL)
            SELECT sum(net_amount) FILTER (WHERE rank > 1), sum(net_amount) FROM ranked
            """
        ).fetchone()
        days = default_churn_days(cur)
        rates = churn_rates(cur, days, Filters(), by="cohort")
    # Shown as on their own pages: NPS with one decimal and its sign, a share with one.
    assert number(shown["NPS"]) == pytest.approx(nps, abs=0.05)
    assert number(shown["Revenue share of existing customers"]) == pytest.approx(
        100 * float(existing) / float(total), abs=0.05
    )
    churn = 100 * rates["churned"].sum() / rates["customers"].sum()
    assert number(shown["Churn rate"]) == pytest.approx(churn, abs=0.05)
    # every tile links to its page
    links = [link for link in at.get("page_link") if link.proto.label == "Open the page"]
    assert sorted(link.proto.page for link in links) == [
        "acquisition",
        "clv",
        "loyalty",
        "retention",
        "voice",
    ]
    assert "Benchmark: 3:1 or more is healthy." in "\n".join(c.value for c in at.caption)
    # the CLV tile: mean predicted CLV of every customer, valued here with the defaults
    valuation = engine.value_customers(store, ValuationSettings())
    shown_clv = number(shown["Average predicted CLV (12 months)"])
    assert shown_clv == pytest.approx(valuation.customers["clv"].mean(), abs=0.005)


def test_period_filter_reaches_the_tiles(app_demo_db: Path) -> None:
    start, end = dt.date(2024, 1, 1), dt.date(2024, 6, 30)
    at = run_page(OVERVIEW, "en", kpi_filters={"period": (start, end), "channels": [], "tiers": []})
    with ui.open_store(str(app_demo_db), "1GB", 2).cursor() as cur:
        nps = nps_by_sql(cur, start, end)
    assert number(metrics(at)["NPS"]) == pytest.approx(nps, abs=0.05)
    assert "Filtered: 01/01/2024 to 30/06/2024" in "\n".join(c.value for c in at.caption)


def test_empty_store_overview(app_empty_db: Path) -> None:
    at = run_page(OVERVIEW, "en")
    assert not at.metric
    assert at.info[0].value.startswith("No orders yet.")


def test_churn_tile_follows_the_window_chosen_on_the_retention_page(app_demo_db: Path) -> None:
    at = run_page(OVERVIEW, "en", retention_churn_window=90)
    with ui.open_store(str(app_demo_db), "1GB", 2).cursor() as cur:
        rates = churn_rates(cur, 90, Filters(), by="cohort")
    churn = 100 * rates["churned"].sum() / rates["customers"].sum()
    assert number(metrics(at)["Churn rate"]) == pytest.approx(churn, abs=0.05)
    captions = "\n".join(c.value for c in at.caption)
    assert "no order for 90 days, as chosen on the Retention page" in captions

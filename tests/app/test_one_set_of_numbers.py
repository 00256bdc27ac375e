"""One set of numbers: the Overview obeys the filters, its tiles equal each page's own
figure under the same filters, and a cold page runs each of its queries once.

The app runs headless (AppTest) on the 1,500-customer demo shop.
"""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal

import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

import ui
from clv.store.definitions import channel_key
from tests.apptest import APP, run_page

# The sidebar's saved filters, as ui.sidebar keeps them in Session State.
NO_FILTERS = {"period": None, "channels": [], "tiers": []}
ONE_CHANNEL = {"period": None, "channels": ["Google Ads"], "tiers": []}
CHANNEL_AND_TIER = {"period": None, "channels": ["Meta Ads"], "tiers": ["Platinum", "Gold"]}

# Overview tile label -> (page, label of the same figure on that page).
SAME_FIGURE = {
    "Average predicted CLV (12 months)": ("views/clv.py", "Average predicted CLV"),
    "CLV/CAC of paid channels": ("views/acquisition.py", "CLV/CAC of paid channels"),
    "Churn rate": ("views/retention.py", "Churn rate"),
    "NPS": ("views/voice.py", "Overall NPS"),
    "Revenue share of existing customers": (
        "views/loyalty.py",
        "Revenue share of existing customers",
    ),
}


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def period_filter(app_demo_db) -> dict:
    """The middle year of the demo's orders (a period that cuts cohorts and orders)."""
    with ui.open_store(str(app_demo_db), "1GB", 2).cursor() as cur:
        first, last = cur.execute(
            "SELECT min(ordered_at)::DATE, max(ordered_at)::DATE FROM orders"
        ).fetchone()
    middle = first + (last - first) / 2
    return {
        "period": (middle - pd.Timedelta(days=182), middle + pd.Timedelta(days=182)),
        "channels": ["Meta Ads"],
        "tiers": [],
    }


@pytest.fixture(scope="module")
def overview_runs(app_demo_db):
    """The Overview's tiles without filters, with one channel, with a channel and two tiers."""
    runs = {}
    for name, saved in (
        ("none", NO_FILTERS),
        ("channel", ONE_CHANNEL),
        ("channel_tier", CHANNEL_AND_TIER),
    ):
        runs[name] = metrics(run_page("views/overview.py", kpi_filters=dict(saved)))
    return runs


@pytest.mark.parametrize("name", ["none", "channel", "channel_tier", "period"])
def test_every_overview_tile_equals_its_pages_figure(app_demo_db, overview_runs, name):
    if name == "period":
        saved = period_filter(app_demo_db)
        overview = metrics(run_page("views/overview.py", kpi_filters=dict(saved)))
    else:
        saved = {"none": NO_FILTERS, "channel": ONE_CHANNEL, "channel_tier": CHANNEL_AND_TIER}[name]
        overview = overview_runs[name]
    compared = 0
    for label, (page, page_label) in SAME_FIGURE.items():
        shown = metrics(run_page(page, kpi_filters=dict(saved)))
        if page_label not in shown:
            # A page without the figure under these filters (e.g. no NPS answer among the
            # customers kept) must show no figure on the Overview either.
            assert overview.get(label, "—") == "—", (label, page, shown)
            continue
        assert overview[label] == shown[page_label], (name, label, page)
        compared += 1
    assert compared >= 4, (name, compared)


def _independent_headline(app_demo_db, channel: str | None) -> tuple[int, int, Decimal]:
    """Customers, counted orders and net revenue recomputed in pandas from the raw tables:
    a counted order is paid and has a customer; a customer's acquisition channel is the
    customers export's, else their first paid order's, both through the aliases."""
    with ui.open_store(str(app_demo_db), "1GB", 2).cursor() as cur:
        orders = cur.execute(
            "SELECT order_id, customer_id, ordered_at, status, net_amount, channel FROM orders"
        ).df()
        customers = cur.execute("SELECT customer_id, acquisition_channel FROM customers").df()
        aliases = cur.execute("SELECT alias, channel FROM channel_aliases").df()
    alias_map = dict(zip(aliases["alias"].map(channel_key), aliases["channel"], strict=True))

    def aliased(name):
        if name is None or pd.isna(name) or not str(name).strip():
            return None
        return alias_map.get(channel_key(name), str(name).strip())

    counted = orders[(orders["status"] == "paid") & orders["customer_id"].notna()]
    first = counted.sort_values(["ordered_at", "order_id"]).groupby("customer_id").first()
    listed = customers.set_index("customer_id")["acquisition_channel"].map(aliased)
    acquisition = first["channel"].map(aliased)
    acquisition.update(listed[listed.notna()])
    if channel is not None:
        keep = acquisition[acquisition == channel].index
        counted = counted[counted["customer_id"].isin(keep)]
    revenue = sum((Decimal(str(v)) for v in counted["net_amount"]), Decimal(0))
    return counted["customer_id"].nunique(), len(counted), revenue


def _number(text: str) -> int:
    return int(re.sub(r"[^\d]", "", text))


def test_one_channel_changes_the_overview_headline(app_demo_db, overview_runs):
    everything, google = overview_runs["none"], overview_runs["channel"]
    for label in ("Customers", "Paid orders", "Net revenue"):
        assert _number(google[label]) < _number(everything[label]), label
    for run, channel in ((everything, None), (google, "Google Ads")):
        customers, orders, revenue = _independent_headline(app_demo_db, channel)
        assert _number(run["Customers"]) == customers
        assert _number(run["Paid orders"]) == orders
        assert _number(run["Net revenue"]) == int(revenue.quantize(Decimal(1)))


def test_overview_headline_follows_the_tier_filter(overview_runs):
    meta_top = overview_runs["channel_tier"]
    assert _number(meta_top["Customers"]) < _number(overview_runs["none"]["Customers"])


# -- each query once ---------------------------------------------------------------------

# SQL that a cold page legitimately runs more than once, with different parameters (the
# query log holds the text only): the per-customer summary at the valuation's three
# observation ends (today, the back-test's calibration end, the previous tiers' day), and
# one settings read per setting (margin rate, tier rule).
ALLOWED_REPEATS = {
    "WITH counted AS (": 3,
    "SELECT value FROM settings WHERE key = ?": 2,
}


def _query_log(app_demo_db, page: str) -> Counter:
    at = AppTest.from_file(APP, default_timeout=300)
    at.session_state["lang"] = "en"
    at.run()
    at.switch_page(page)
    st.cache_data.clear()
    with ui.open_store(str(app_demo_db), "1GB", 2).cursor() as cur:
        cur.execute("CALL enable_logging('QueryLog')")
        cur.execute("CALL truncate_duckdb_logs()")
        try:
            at.run()
            rows = cur.execute("SELECT message FROM duckdb_logs WHERE type = 'QueryLog'").fetchall()
        finally:
            cur.execute("CALL disable_logging()")
    assert not at.exception, [e.value for e in at.exception]
    return Counter(" ".join(row[0].split()) for row in rows)


@pytest.mark.parametrize(
    "page",
    [
        "views/overview.py",
        "views/clv.py",
        "views/acquisition.py",
        "views/retention.py",
        "views/voice.py",
        "views/loyalty.py",
    ],
)
def test_a_cold_page_runs_each_query_once(app_demo_db, page):
    log = _query_log(app_demo_db, page)
    # The run did read the store cold: the data version, the derived tables' check and
    # the page's own figures.
    assert sum(log.values()) > 10, log
    repeated = {}
    for sql, count in log.items():
        allowed = next((n for start, n in ALLOWED_REPEATS.items() if sql.startswith(start)), 1)
        if count > allowed:
            repeated[sql[:200]] = count
    assert not repeated, repeated
    # No per-call registration of pandas data: the valuation is joined from its table.
    assert not [sql for sql in log if "_clv_values" in sql or "_tiers" in sql]

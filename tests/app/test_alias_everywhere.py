"""A channel alias reaches every page: the sidebar, the Acquisition table and the CLV
page's channel chart and per-customer CSV (which used to keep the raw channel name)."""

from __future__ import annotations

import json

import ui
from clv.valuation import engine
from clv.valuation.engine import ValuationSettings, customer_table
from tests.apptest import run_page

RAW, RENAMED = "SEO/contenu", "RENAMED"


def channel_chart_labels(at) -> list[str]:
    for chart in at.get("plotly_chart"):
        if chart.proto.id.endswith("clv_chart_channel"):
            spec = json.loads(chart.proto.spec)
            return [str(label) for trace in spec["data"] for label in trace["y"]]
    raise AssertionError("the CLV page drew no channel chart")


def test_an_alias_reaches_the_clv_channel_chart_and_csv(app_demo_db):
    before = run_page("views/clv.py")
    assert RAW in channel_chart_labels(before)
    store = ui.open_store(str(app_demo_db), "1GB", 2)
    with store.transaction() as cur:
        cur.execute("INSERT INTO channel_aliases (alias, channel) VALUES (?, ?)", [RAW, RENAMED])

    after = run_page("views/clv.py")
    labels = channel_chart_labels(after)
    assert RENAMED in labels and RAW not in labels, labels

    # The per-customer CSV of the page (customer_table of the same valuation).
    table = customer_table(engine.value_customers(store, ValuationSettings()))
    channels = set(table["acquisition_channel"].dropna())
    assert RENAMED in channels and RAW not in channels

    # The sidebar's channel choices and the Acquisition page's table say the same.
    acquisition = run_page("views/acquisition.py")
    assert RENAMED in acquisition.sidebar.multiselect[0].options
    assert RAW not in acquisition.sidebar.multiselect[0].options

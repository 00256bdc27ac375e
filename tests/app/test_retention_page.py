"""The retention page, run headless with AppTest on the demo shop and on an empty store.

Every figure read off the page is compared with the :mod:`clv.metrics.retention` function run by
the test itself on a cursor of the same data file.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import ui
from clv.formatting import format_percent
from clv.metrics.filters import Filters
from clv.metrics.retention import churn_rates, cohort_retention, default_churn_days
from tests.apptest import rerun, run_page

PAGE = "views/retention.py"
CHURN = {"en": "Churn rate", "fr": "Taux d'attrition"}


def tiles(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def percent(text: str) -> float:
    """'64.6%' or '64,6 %' (French, no-break space) as a share."""
    return float(text.replace("\u00a0", "").replace("%", "").replace(",", ".")) / 100


def pooled_churn(frame: pd.DataFrame) -> float:
    return frame["churned"].sum() / frame["customers"].sum()


def figure(at: AppTest, key: str) -> dict:
    """The plotly figure drawn with ``key``, as the JSON the browser receives."""
    for element in at.get("plotly_chart"):
        if element.proto.id.endswith(f"-{key}"):
            return json.loads(element.proto.spec)
    raise AssertionError(f"no chart {key!r} on the page")


def array(value: object) -> np.ndarray:
    """A plotly array, plain or base64-typed ({"dtype", "bdata", "shape"})."""
    if isinstance(value, dict):
        data = np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
        shape = [int(n) for n in str(value.get("shape", len(data))).split(",")]
        return data.reshape(shape)
    return np.asarray(value, dtype=float)


def test_tiles_and_heatmap_match_the_retention_functions(app_demo_db: Path) -> None:
    at = run_page(PAGE, "en")
    assert at.title[0].value == "Retention and churn"
    with ui.open_store(str(app_demo_db), "1GB", 2).cursor() as cur:
        proposed = default_churn_days(cur)
        churn = churn_rates(cur, proposed)
        churn_90 = churn_rates(cur, 90)
        retention = cohort_retention(cur)

    # the churn window starts at the proposed value, and the rule is explained
    assert at.number_input(key="retention_churn_days").value == proposed
    text = "\n".join(m.value for m in at.markdown)
    assert f"**Proposed value: {proposed} days**" in text
    assert "90th percentile of the gaps" in text

    values = tiles(at)
    assert percent(values["Churn rate"]) == pytest.approx(pooled_churn(churn), abs=5e-4)
    # month 1: customers ordering in their month 1 / customers of the cohorts that have one
    month_1 = retention[retention["months_since_first"] == 1]
    expected = month_1["active_customers"].sum() / month_1["customers_in_cohort"].sum()
    assert percent(values["Retention in month 1"]) == pytest.approx(expected, abs=5e-4)
    assert "Retention in month 3" in values
    first, last = month_1["cohort_month"].min(), month_1["cohort_month"].max()
    captions = [c.value for c in at.caption]
    assert any(
        f"Cohorts {first:%Y-%m} to {last:%Y-%m} ({month_1['cohort_month'].nunique()})" in c
        for c in captions
    )

    # the heatmap: one row per cohort labelled with its size, cells in percent
    heatmap = figure(at, "retention_chart_heatmap")["data"][0]
    z = array(heatmap["z"])
    cohorts = sorted(retention["cohort_month"].unique())
    assert z.shape == (len(cohorts), retention["months_since_first"].max() + 1)
    row = 2  # the third cohort, month 1
    cell = retention[
        (retention["cohort_month"] == cohorts[row]) & (retention["months_since_first"] == 1)
    ].iloc[0]
    assert 0 < cell["retention"] < 1  # a cell that tells something
    assert z[row, 1] == pytest.approx(100 * cell["retention"])
    size = int(cell["customers_in_cohort"])
    assert heatmap["y"][row] == f"{pd.Timestamp(cohorts[row]):%Y-%m} (n = {size:,})"
    # the youngest cohort has only its month 0 observed: the rest of its row is blank
    assert z[-1, 0] == 100 and np.isnan(z[-1, 1:]).all()

    # a shorter window: more customers judged, the tile follows churn_rates(cur, 90)
    at.number_input(key="retention_churn_days").set_value(90)
    rerun(at)
    assert percent(tiles(at)["Churn rate"]) == pytest.approx(pooled_churn(churn_90), abs=5e-4)
    help_text = next(m.help for m in at.metric if m.label == "Churn rate")
    assert f"= {churn_90['churned'].sum():,} ÷ {churn_90['customers'].sum():,}." in help_text

    # the window stays with the session after a visit to another page
    at.switch_page("views/overview.py")
    rerun(at)
    at.switch_page(PAGE)
    rerun(at)
    assert at.number_input(key="retention_churn_days").value == 90
    assert percent(tiles(at)["Churn rate"]) == pytest.approx(pooled_churn(churn_90), abs=5e-4)


def test_french_page_and_shared_filters(app_demo_db: Path) -> None:
    period = (dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    at = run_page(
        PAGE,
        "fr",
        kpi_filters={"period": period, "channels": ["Google Ads"], "tiers": []},
    )
    assert at.title[0].value == "Rétention et attrition"
    with ui.open_store(str(app_demo_db), "1GB", 2).cursor() as cur:
        days = default_churn_days(cur)
        everyone = churn_rates(cur, days)
        kept = churn_rates(cur, days, Filters(*period, channels=["Google Ads"]))
    shown = tiles(at)[CHURN["fr"]]
    # French layout: decimal comma and a no-break space before the sign
    assert shown == format_percent(pooled_churn(kept), "fr_FR")
    assert pooled_churn(kept) != pytest.approx(pooled_churn(everyone), abs=1e-3)
    # the cohorts of the churn chart are the filtered ones: 2024 only
    bars = figure(at, "retention_chart_churn_cohort")["data"][0]
    assert [x[:7] for x in bars["x"]] == [f"{m:%Y-%m}" for m in kept["group"]]
    assert all(x.startswith("2024-") for x in bars["x"])
    assert at.radio(key="retention_survival_by").options == [
        "Canal d'acquisition",
        "Segment de valeur",
    ]


def test_empty_store_says_what_to_upload(app_empty_db: Path) -> None:
    at = run_page(PAGE, "en")
    assert not at.metric
    message = at.info[0].value
    assert message.startswith("No orders yet")
    assert message.endswith("Upload on the Data page: Orders.")
    assert at.page_link[0].label == "Go to the Data page"

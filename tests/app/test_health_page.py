"""The health page, run headless with AppTest: the demo shop (tiles, at-risk list, the
"why this score" panel, the model comparison, saving and resetting the weights), the
shared filters in French, a history too short for the risk model, and an empty store."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd
import pytest

import ui
from clv.metrics.filters import Filters, channel_choices
from clv.risk import health
from clv.risk import model as risk
from clv.risk.health import SIGNALS, HealthWeights
from clv.store import Store, upsert_table
from clv.valuation import engine
from clv.valuation.engine import ValuationSettings, store_values
from tests.apptest import rerun, run_page

PAGE = "views/health.py"
MIN_RISK = 0.8  # the slider's first value
MODEL_NAMES = {
    "en": {
        "recency": "Recency alone",
        "logistic": "Logistic regression",
        "boosting": "Gradient-boosted trees",
    },
    "fr": {
        "recency": "Récence seule",
        "logistic": "Régression logistique",
        "boosting": "Arbres boostés",
    },
}
BAND_TILES = {
    "en": {
        "healthy": "Healthy customers",
        "watch": "Customers to watch",
        "at risk": "Customers at risk",
    },
    "fr": {
        "healthy": "Clients en bonne santé",
        "watch": "Clients à surveiller",
        "at risk": "Clients en danger",
    },
}


def number(text: str, lang: str = "en") -> float:
    """A figure as shown on the page (``0.777``, ``€19,312``, ``19 312 €``, ``0,777``)."""
    cleaned = re.sub(r"[€%\s\u202f\u00a0]", "", text).replace("\u2212", "-")
    if lang == "fr":
        return float(cleaned.replace(",", "."))
    return float(cleaned.replace(",", ""))


def tiles(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def band_counts(scores: pd.DataFrame) -> dict[str, int]:
    counts = scores["band"].value_counts()
    return {band: int(counts.get(band, 0)) for band in health.BANDS}


def shown_bands(at, lang: str = "en") -> dict[str, int]:
    shown = tiles(at)
    return {band: int(number(shown[label], lang)) for band, label in BAND_TILES[lang].items()}


def button(at, label: str):
    (found,) = [b for b in at.button if b.label == label]
    return found


@pytest.fixture(scope="module")
def page(app_demo_db: Path):
    """The page in English on the demo shop (the app loads the demo at this first run)."""
    return run_page(PAGE, "en")


@pytest.fixture(scope="module")
def shop(page, app_demo_db: Path) -> dict:
    """The figures of ``clv`` computed on a cursor of the same file, independently of the
    page (same valuation settings, same risk horizon)."""
    store = ui.open_store(str(app_demo_db), "1GB", 2)
    valuation = engine.value_customers(store, ValuationSettings())
    assert valuation.ok
    with store.cursor() as cur:
        key = store_values(cur, valuation)
        evaluation = risk.evaluate(cur, 90)
        risk_scores = risk.score_customers(cur, evaluation)
        signals = health.health_signals(
            cur, probability_alive=valuation.customers["probability_alive"]
        )
        # Repeat purchase days per customer, counted straight from the orders.
        repeat = (
            cur.execute(
                "SELECT customer_id, count(DISTINCT ordered_at::DATE) - 1 AS repeat_days "
                "FROM orders WHERE status = 'paid' AND customer_id IS NOT NULL GROUP BY 1"
            )
            .df()
            .set_index("customer_id")["repeat_days"]
        )
    return {
        "store": store,
        "tiers": valuation.customers["tier"],
        "clv": valuation.customers["clv"],
        "valuation": key,
        "evaluation": evaluation,
        "risk": risk_scores,
        "signals": signals,
        "repeat": repeat,
    }


def expected_list(shop: dict, scores: pd.DataFrame, filters: Filters | None = None) -> pd.DataFrame:
    with shop["store"].cursor() as cur:
        return health.at_risk_list(
            shop["risk"].join(scores[["health"]]),
            shop["clv"],
            shop["tiers"],
            cur,
            filters or Filters(),
            min_risk=MIN_RISK,
        )


def test_health_page_on_the_demo_shop(page, shop: dict) -> None:
    at = page
    assert at.title[0].value == "Customer health and churn risk"
    assert shop["store"].get_setting(health.HEALTH_WEIGHTS_SETTING) is None
    shown = tiles(at)
    evaluation = shop["evaluation"]
    scores = health.health_scores(shop["signals"], HealthWeights())

    # Bands: every customer with an order is in exactly one.
    bands = shown_bands(at)
    assert bands == band_counts(scores)
    assert sum(bands.values()) == len(shop["repeat"]) == 1500

    # AUC tiles: the chosen model and both baselines, as clv.risk.model.evaluate says.
    chosen = evaluation.chosen
    chosen_label = f"ROC AUC · {MODEL_NAMES['en'][chosen]} (chosen)"
    assert number(shown[chosen_label]) == round(evaluation.auc(chosen), 3)
    assert number(shown["ROC AUC · baseline recency alone"]) == round(evaluation.auc("recency"), 3)
    assert number(shown["ROC AUC · baseline 1 − P(alive)"]) == round(evaluation.auc("mbgnbd"), 3)
    # The delta under the chosen model's AUC is its gain on the better baseline.
    gain = evaluation.auc(chosen) - max(evaluation.auc("recency"), evaluation.auc("mbgnbd"))
    (delta,) = [m.delta for m in at.metric if m.label == chosen_label]
    assert number(delta.split(" ")[0]) == pytest.approx(gain, abs=0.0005)

    # The at-risk list: high value x high risk first, as at_risk_list computes it.
    expected = expected_list(shop, scores)
    table = at.dataframe[0].value
    assert len(table) == len(expected) > 20
    assert table["customer_id"].head(20).tolist() == expected["customer_id"].head(20).tolist()
    assert table["risk"].head(20).tolist() == pytest.approx(expected["risk"].head(20).tolist())
    assert (table["risk"] >= MIN_RISK).all()
    assert table["value_at_risk"].is_monotonic_decreasing
    assert table["source_customer_id"].notna().all()  # the demo's export gives one
    # The tile: predicted CLV of the customers of that list, in whole euros.
    held = expected["predicted_clv"].sum()
    assert number(shown["CLV at risk ≥ 80%"]) == pytest.approx(held, abs=0.5)

    # Why this score: the first customer of the list; the points add up to the score.
    customer = at.selectbox(key="health_customer").value
    assert customer == expected["customer_id"].iloc[0]
    why = at.dataframe[1].value
    score = scores.loc[customer, "health"]
    assert why["points"].sum() == pytest.approx(score)
    assert (why["points"] + why["points_lost"]).sum() == pytest.approx(100.0)
    breakdown = health.health_breakdown(shop["signals"], scores, customer)
    assert why["points"].tolist() == pytest.approx(breakdown["points"].tolist())
    assert any(f"Health score: **{score:.1f}** out of 100" in m.value for m in at.markdown)

    # The model comparison: one row per model, the chosen one ticked.
    models = at.dataframe[2].value
    # (The trees' AUC may move in the fourth decimal between two fits: their histogram
    # sums run on several threads.)
    assert models["roc_auc"].tolist() == pytest.approx(
        evaluation.metrics["roc_auc"].tolist(), abs=2e-3
    )
    assert models["chosen"].tolist() == evaluation.metrics["chosen"].tolist()
    test_day = evaluation.test_cutoff.strftime("%d/%m/%Y")
    assert any(
        f"tested on the {len(evaluation.test):,} customers as of {test_day}" in m.value
        for m in at.markdown
    )


def test_saved_weights_change_the_scores_and_reset(page, shop: dict) -> None:
    at = page
    store = shop["store"]
    before = shown_bands(at)
    try:
        # Repeat purchases alone: 100 x (1 - 0.5 ** repeat days) = 0 for a one-time buyer
        # (at risk), 50 after one repeat day (to watch), 75 or more after two (healthy).
        for signal in SIGNALS:
            at.number_input(key=f"health_weight_{signal}").set_value(
                1.0 if signal == "frequency" else 0.0
            )
        button(at, "Save the weights").click()
        rerun(at)
        saved = {signal: 0.0 for signal in SIGNALS} | {"frequency": 1.0}
        assert store.get_setting(health.HEALTH_WEIGHTS_SETTING) == saved
        repeat = shop["repeat"]
        by_hand = {
            "healthy": int((repeat >= 2).sum()),
            "watch": int((repeat == 1).sum()),
            "at risk": int((repeat == 0).sum()),
        }
        assert shown_bands(at) == by_hand
        assert by_hand == band_counts(health.health_scores(shop["signals"], HealthWeights(**saved)))
        assert "Weights saved: the scores above use them." in [s.value for s in at.success]
        # The breakdown follows: all the points come from repeat purchases.
        why = at.dataframe[1].value.set_index("signal")
        assert why.loc["Repeat purchases", "max_points"] == 100.0
        customer = at.selectbox(key="health_customer").value
        days = repeat[customer]
        assert why["points"].sum() == pytest.approx(100 * (1 - 0.5**days))

        button(at, "Reset to defaults").click()
        rerun(at)
        assert store.get_setting(health.HEALTH_WEIGHTS_SETTING) == HealthWeights().to_dict()
        assert shown_bands(at) == before
        assert at.number_input(key="health_weight_recency").value == 25.0
    finally:
        health.save_health_weights(store, HealthWeights())


def test_health_page_in_french_honours_the_filters(shop: dict) -> None:
    with shop["store"].cursor() as cur:
        channel = channel_choices(cur)[0]
    period = (dt.date(2024, 1, 1), dt.date(2024, 6, 30))
    saved = {"period": period, "channels": [channel], "tiers": ["Gold"]}
    at = run_page(PAGE, "fr", kpi_filters=saved)
    assert at.title[0].value == "Santé client et risque d'attrition"
    # Health is as of the latest order day: the period is said not to apply.
    assert any("le filtre de période ne s'applique pas ici" in c.value for c in at.caption)

    gold = shop["tiers"][shop["tiers"] == "Gold"].index
    signals = shop["signals"]
    kept = signals.index[(signals["channel"] == channel) & signals.index.isin(gold)]
    scores = health.health_scores(signals, HealthWeights())
    bands = shown_bands(at, "fr")
    assert bands == band_counts(scores.loc[kept])
    assert 0 < sum(bands.values()) < 1500

    filters = Filters(channels=[channel], tiers=["Gold"], valuation=shop["valuation"])
    expected = expected_list(shop, scores, filters)
    table = at.dataframe[0].value
    assert table["customer_id"].tolist() == expected["customer_id"].tolist()
    assert set(table["channel"]) == {channel}
    assert set(table["tier"]) == {"Or"}
    shown = tiles(at)
    held = expected["predicted_clv"].sum()
    assert number(shown["CLV à risque ≥ 80\u00a0%"], "fr") == pytest.approx(held, abs=0.5)
    # The model is the whole shop's: the filters leave its AUC alone.
    evaluation = shop["evaluation"]
    label = f"AUC ROC · {MODEL_NAMES['fr'][evaluation.chosen]} (retenu)"
    assert number(shown[label], "fr") == round(evaluation.auc(evaluation.chosen), 3)


def test_short_history_shows_the_score_and_what_the_risk_model_needs(app_empty_db: Path) -> None:
    # Four customers over 40 days: too short for a 90-day risk model (it needs 180 days).
    rows = [
        ("o1", "A", "2025-03-01 10:00", 50.0),
        ("o2", "A", "2025-03-20 10:00", 60.0),
        ("o3", "B", "2025-03-05 10:00", 30.0),
        ("o4", "C", "2025-03-10 10:00", 80.0),
        ("o5", "C", "2025-04-01 10:00", 20.0),
        ("o6", "D", "2025-04-10 10:00", 40.0),
    ]
    orders = pd.DataFrame(rows, columns=["order_id", "customer_id", "ordered_at", "net_amount"])
    orders["ordered_at"] = pd.to_datetime(orders["ordered_at"])
    orders["status"] = "paid"
    orders["gross_amount"] = orders["net_amount"]
    orders["discount_amount"] = 0.0
    orders["refunded_amount"] = 0.0
    orders["is_guest"] = False
    orders["source"] = "test"
    with (
        Store(app_empty_db, memory_limit="1GB", threads=2) as store,
        store.transaction() as cur,
    ):
        upsert_table(cur, "orders", orders, 1)
    at = run_page(PAGE, "en")
    assert sum(shown_bands(at).values()) == 4
    (warning,) = at.warning
    assert warning.value.startswith("The risk model cannot be trained yet.")
    assert "at least 180 days of orders" in warning.value
    assert "Details: The history is too short" in warning.value
    notes = "\n".join(i.value for i in at.info)
    assert "The list needs the risk model" in notes
    assert "The model comparison needs a longer history" in notes
    # The "why this score" panel still works, on the lowest scores.
    assert len(at.selectbox(key="health_customer").options) == 4


def test_empty_store_says_what_to_upload(app_empty_db: Path) -> None:
    at = run_page(PAGE, "en")
    assert not at.metric
    (info,) = at.info
    assert info.value.startswith("No orders yet.")
    assert "Upload on the Data page: Orders." in info.value
    assert at.page_link[0].label == "Go to the Data page"

"""Health score, its breakdown, saved weights and the at-risk list (clv.risk.health)."""

from __future__ import annotations

import io
import math

import numpy as np
import pandas as pd
import pytest

from clv.metrics.filters import Filters
from clv.risk import health
from clv.risk import model as risk
from clv.risk.health import HealthWeights
from tests.unit.risk.test_risk import CUTOFF, shop_store


def _signals(rows: dict[str, dict[str, float]]) -> pd.DataFrame:
    return pd.DataFrame.from_dict(rows, orient="index")


# R: a repeat customer one usual gap after the last order (ratio 1), P(alive) 0.8, two
#    repeat purchase days, revenue trend +0.2, one year of tenure, one open ticket, no
#    refund, NPS 8.
#    Sub-scores: 0.5, 0.8, 0.75, 0.6, 0.5, 0.5, 1, 0.8.
#    Points (default weights sum to 100): 12.5 + 16 + 15 + 6 + 2.5 + 5 + 5 + 4 = 66.
# O: a one-time buyer half a usual gap after the order (ratio 0.5), P(alive) 0.6, no trend
#    and no NPS (unknown: 0.5 each), 73 days of tenure (0.2 year), nothing else.
#    Sub-scores: 0.5 ** 0.5 = 0.707107, 0.6, 0, 0.5, 1 - 0.5 ** 0.2 = 0.129449, 1, 1, 0.5.
#    Points: 17.677670 + 12 + 0 + 5 + 0.647247 + 10 + 5 + 2.5 = 52.824917.
SIGNALS = _signals(
    {
        "R": {
            "recency_ratio": 1.0,
            "probability_alive": 0.8,
            "frequency": 2,
            "monetary_trend": 0.2,
            "tenure_days": 365,
            "open_tickets": 1,
            "slow_tickets": 0,
            "refunds": 0,
            "latest_nps": 8.0,
        },
        "O": {
            "recency_ratio": 0.5,
            "probability_alive": 0.6,
            "frequency": 0,
            "monetary_trend": math.nan,
            "tenure_days": 73,
            "open_tickets": 0,
            "slow_tickets": 0,
            "refunds": 0,
            "latest_nps": math.nan,
        },
    }
)


def test_scores_by_hand():
    scores = health.health_scores(SIGNALS)
    r, o = scores.loc["R"], scores.loc["O"]
    assert r["health"] == pytest.approx(66.0)
    assert [r[f"points_{k}"] for k in health.SIGNALS] == pytest.approx(
        [12.5, 16, 15, 6, 2.5, 5, 5, 4]
    )
    assert r["band"] == "watch"
    assert o["health"] == pytest.approx(52.824917, abs=1e-6)
    assert o["points_recency"] == pytest.approx(17.677670, abs=1e-6)
    assert o["points_tenure"] == pytest.approx(0.647247, abs=1e-6)
    assert o["points_frequency"] == 0.0
    assert o["unknown_nps"] and o["unknown_monetary_trend"] and not o["unknown_recency"]
    for _, row in scores.iterrows():
        assert sum(row[f"points_{k}"] for k in health.SIGNALS) == pytest.approx(row["health"])


def test_custom_weights_and_missing_activity():
    # Recency and frequency only, equal weights: R = 100 * (0.5 + 0.75) / 2 = 62.5.
    weights = HealthWeights(**{k: 0.0 for k in health.SIGNALS} | {"recency": 1, "frequency": 1})
    scores = health.health_scores(SIGNALS, weights)
    assert scores.loc["R", "health"] == pytest.approx(62.5)
    assert scores.loc["R", "points_activity"] == 0.0
    # Without a P(alive) column, activity is unknown and counts 0.5: R loses 16 - 10 points.
    no_alive = health.health_scores(SIGNALS.drop(columns="probability_alive"))
    assert no_alive.loc["R", "health"] == pytest.approx(66.0 - 16 + 10)
    assert no_alive["unknown_activity"].all()


def test_breakdown_says_why():
    scores = health.health_scores(SIGNALS)
    why = health.health_breakdown(SIGNALS, scores, "R")
    assert why["points"].sum() == pytest.approx(66.0)
    assert why["max_points"].sum() == pytest.approx(100.0)
    # Points lost: recency 12.5, frequency 5, tickets 5, activity 4, trend 4, tenure 2.5,
    # NPS 1, refunds 0.
    assert why["signal"].tolist()[:3] == ["recency", "frequency", "tickets"]
    assert why["signal"].tolist()[-1] == "refunds"
    tickets = why.set_index("signal").loc["tickets"]
    assert tickets["value"] == 1 and tickets["points_lost"] == pytest.approx(5.0)
    assert why.set_index("signal").loc["nps", "value"] == 8.0
    with pytest.raises(ValueError, match="No health score"):
        health.health_breakdown(SIGNALS, scores, "nobody")


def test_one_time_buyer_is_not_healthy_by_default():
    # The best a one-time buyer can do: ordered today, P(alive) 1, NPS 10, no problem.
    best = _signals(
        {
            "new": {
                "recency_ratio": 0.0,
                "probability_alive": 1.0,
                "frequency": 0,
                "monetary_trend": math.nan,
                "tenure_days": 0,
                "open_tickets": 0,
                "slow_tickets": 0,
                "refunds": 0,
                "latest_nps": 10.0,
            }
        }
    )
    score = health.health_scores(best).loc["new"]
    # 25 + 20 + 0 + 5 + 0 + 10 + 5 + 5 = 70 < 75.
    assert score["health"] == pytest.approx(70.0)
    assert score["band"] != "healthy"
    # One shop gap later, the same buyer: 12.5 + 20 + 5 + 10 + 5 + 5 + tenure.
    later = best.assign(recency_ratio=1.0, tenure_days=90)
    assert health.health_scores(later).loc["new", "health"] < 60


def test_one_time_buyers_on_the_demo(demo):
    with demo.cursor() as cur:
        signals = health.health_signals(cur)
    assert signals.attrs["activity_note"] is None
    assert signals["probability_alive"].between(0, 1).all()
    scores = health.health_scores(signals)
    assert scores["health"].between(0, 100).all()
    one_time = signals["frequency"] == 0
    assert one_time.sum() > 100
    assert (scores.loc[one_time, "band"] != "healthy").all()
    assert scores.loc[one_time, "health"].mean() < scores.loc[~one_time, "health"].mean()


def test_signals_from_a_small_store(tmp_path):
    store = shop_store(tmp_path / "s.duckdb")
    with store.cursor() as cur:
        signals = health.health_signals(cur, CUTOFF)
        features = risk.risk_features(cur, CUTOFF)
    store.close()
    # Too few repeat customers for MBG/NBD: activity unknown, and said so.
    assert "P(alive) is unknown" in signals.attrs["activity_note"]
    assert signals["probability_alive"].isna().all()
    pd.testing.assert_frame_equal(signals.drop(columns="probability_alive"), features)
    scores = health.health_scores(signals)
    # B, one-time buyer: ratio 60 / 107.25, tenure 60 days, one refund, nothing else known.
    # 16.964 + 10 (activity unknown) + 0 + 5 (trend unknown) + 0.538 + 10 + 2.5 + 2.5
    expected = 25 * 0.5 ** (60 / 107.25) + 10 + 5 + 5 * (1 - 0.5 ** (60 / 365)) + 10 + 2.5 + 2.5
    assert scores.loc["B", "health"] == pytest.approx(expected)
    assert scores.loc["B", "health"] == pytest.approx(47.50, abs=0.01)


def test_weights_validation_and_settings_round_trip(tmp_store):
    assert health.load_health_weights(tmp_store) == HealthWeights()
    assert HealthWeights().total() == pytest.approx(100.0)
    custom = HealthWeights(recency=40, nps=0, tickets=12.5)
    health.save_health_weights(tmp_store, custom)
    assert tmp_store.get_setting(health.HEALTH_WEIGHTS_SETTING)["recency"] == 40.0
    assert health.load_health_weights(tmp_store) == custom
    assert HealthWeights.from_dict({"recency": 1}) == HealthWeights(recency=1)
    with pytest.raises(ValueError, match="0 or more"):
        HealthWeights(recency=-1)
    with pytest.raises(ValueError, match="0 or more"):
        HealthWeights(nps=float("nan"))
    with pytest.raises(ValueError, match="at least one signal"):
        HealthWeights(**{k: 0 for k in health.SIGNALS})
    with pytest.raises(ValueError, match="Unknown health signals channel"):
        HealthWeights.from_dict({"channel": 3})


# -- the at-risk list --------------------------------------------------------------------


def test_at_risk_list_by_hand(tmp_path):
    store = shop_store(tmp_path / "s.duckdb")
    # Value at risk: A 1000 x 0.2 = 200, B 300 x 0.9 = 270, C 400 x 0.5 = 200 (ties with
    # A: higher risk first, so C before A). D has scores but no prediction: left out.
    scores = pd.DataFrame(
        {
            "risk": [0.2, 0.9, 0.5, 0.7],
            "days_since_last": [10, 60, 150, 1],
            "health": [80.0, 30.0, 45.5, 60.0],
        },
        index=pd.Index(["A", "B", "C", "D"], name="customer_id"),
    )
    clv = pd.Series({"A": 1000.0, "B": 300.0, "C": 400.0})
    tiers = pd.Series({"A": "Platinum", "B": "Silver", "C": "Gold"})
    with store.cursor() as cur:
        out = health.at_risk_list(scores, clv, tiers, cur)
        assert list(out.columns) == list(health.AT_RISK_COLUMNS)
        assert out["customer_id"].tolist() == ["B", "C", "A"]
        assert out["value_at_risk"].tolist() == pytest.approx([270, 200, 200])
        assert out["source_customer_id"].tolist() == [None, None, "SHOP-1"]
        assert out["channel"].tolist() == ["Google Ads", "Newsletter", "Meta Ads"]
        assert out["tier"].tolist() == ["Silver", "Gold", "Platinum"]
        assert out["days_since_last_order"].tolist() == [60, 150, 10]

        meta = health.at_risk_list(scores, clv, tiers, cur, Filters(channels=["Meta Ads"]))
        assert meta["customer_id"].tolist() == ["A"]
        gold_up = health.at_risk_list(scores, clv, tiers, cur, keep_tiers=["Platinum", "Gold"])
        assert gold_up["customer_id"].tolist() == ["C", "A"]
        risky = health.at_risk_list(scores, clv, None, cur, min_risk=0.5)
        assert risky["customer_id"].tolist() == ["B", "C"] and risky["tier"].isna().all()
        with pytest.raises(ValueError, match="no 'risk' column"):
            health.at_risk_list(scores.drop(columns="risk"), clv, tiers, cur)
    store.close()

    csv = health.at_risk_csv(out).decode("utf-8-sig")
    back = pd.read_csv(io.StringIO(csv), dtype={"source_customer_id": str})
    assert csv.splitlines()[0] == ",".join(health.AT_RISK_COLUMNS)
    assert back["customer_id"].tolist() == ["B", "C", "A"]
    assert back["source_customer_id"].isna().tolist() == [True, True, False]
    assert back.loc[2, "source_customer_id"] == "SHOP-1"
    assert back["health"].tolist() == [30.0, 45.5, 80.0]
    # a shop id that a spreadsheet would run as a formula comes out inert
    hostile = out.assign(source_customer_id=["=HYPERLINK(1)", None, "-12.50"])
    back = pd.read_csv(
        io.StringIO(health.at_risk_csv(hostile).decode("utf-8-sig")),
        dtype={"source_customer_id": str},
    )
    assert back.loc[0, "source_customer_id"] == "'=HYPERLINK(1)"


def test_at_risk_list_on_the_demo(demo):
    with demo.cursor() as cur:
        features = risk.risk_features(cur, "2025-12-31")
        scores = features.assign(risk=np.linspace(0.0, 1.0, len(features)))
        clv = pd.Series(100.0, index=features.index)
        out = health.at_risk_list(scores, clv, None, cur)
    # Equal CLV: the list is the risk order; every demo customer has a shop id.
    assert out["risk"].is_monotonic_decreasing
    assert out["source_customer_id"].str.startswith("MLU-").all()
    assert len(out) == len(features)

"""NPS with its interval, by segment; CLV by NPS group; tickets by tier."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from clv.metrics.acquisition import save_channel_aliases
from clv.metrics.filters import Filters
from clv.metrics.voice import (
    NPS_GROUPS,
    UNMATCHED,
    clv_held_by_nps_group,
    nps,
    nps_by,
    tickets_by_tier,
)
from clv.valuation.tiers import assign_tiers
from tests.kpi_shop import ALIASES, CUSTOMERS, ORDERS, TIERS, hand_store
from tests.valued import store_values

NPS = [
    # answer, customer, time, score
    ("r1", "A", "2024-02-01 10:00", 10),
    ("r2", "A", "2024-04-05 10:00", 5),  # A's latest answer: a detractor
    ("r3", "B", "2024-03-01 10:00", 9),
    ("r4", "C", "2024-03-10 10:00", 8),
    ("r5", "D", "2024-03-20 10:00", 3),
    ("r6", None, "2024-03-25 10:00", 10),  # no customer: unmatched
    ("r7", "ZZ", "2024-04-01 10:00", 0),  # a customer the shop does not know: unmatched
    ("r8", "E", "2024-04-02 10:00", 10),
    ("r9", "J", "2024-04-03 10:00", 7),  # known (Meta Ads) but without a paid order
]
TICKETS = [
    ("t1", "A", "2024-02-01 10:00", "2024-02-01 14:00"),  # 4 hours
    ("t2", "A", "2024-03-01 00:00", None),  # open
    ("t3", "C", "2024-03-02 08:00", "2024-03-03 08:00"),  # 24 hours
    ("t4", "D", "2024-03-05 00:00", "2024-03-05 02:00"),  # 2 hours
    ("t5", None, "2024-03-06 00:00", "2024-03-06 01:00"),  # nobody's: left out
]
CLV = pd.Series({"A": 500.0, "B": 220.0, "C": 30.0, "D": 60.0, "E": 50.0, "I": 0.0, "X": 140.0})
# One hand valuation: the CLV above and the shop's tiers (A, C Gold; B, D, E Bronze; I
# and X valued without a tier).
VALUATION = "voice-hand"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = tmp_path_factory.mktemp("voice") / "v.duckdb"
    s = hand_store(path, ORDERS, CUSTOMERS, nps=NPS, tickets=TICKETS)
    save_channel_aliases(s, ALIASES)
    with s.cursor() as c:
        store_values(c, clv=CLV, tiers=TIERS, key=VALUATION)
    yield s
    s.close()


@pytest.fixture
def cur(store):
    with store.cursor() as c:
        yield c


def test_nps_and_interval_by_hand():
    result = nps([10, 10, 9, 9, 10, 7, 8, 8, 0, 6])
    # 5 promoters, 3 passives, 2 detractors of 10: NPS = 50 - 20 = 30.
    assert (result.promoters, result.passives, result.detractors, result.n) == (5, 3, 2, 10)
    assert result.nps == pytest.approx(30.0)
    # var = (0.5 + 0.2 - 0.3^2) / 10 = 0.061; half-width 1.96 x sqrt(0.061) x 100 = 48.408.
    assert result.low == pytest.approx(30 - 48.40843, abs=1e-4)
    assert result.high == pytest.approx(30 + 48.40843, abs=1e-4)
    # Clipped to the scale.
    assert nps([10, 10, 0]).high == 100.0
    empty = nps([])
    assert empty.nps is None and empty.n == 0 and empty.low is None
    with pytest.raises(ValueError, match="0 to 10"):
        nps([11])
    with pytest.raises(ValueError, match="0 to 10"):
        nps([7.5])


def test_nps_by_channel_by_hand(cur):
    frame = nps_by(cur, "channel")
    assert frame["group"].tolist() == ["Google Ads", "Meta Ads", "Newsletter", UNMATCHED]
    rows = frame.set_index("group")
    # Meta Ads: A 10 and 5, B 9, J 7 -> 2 promoters, 1 passive, 1 detractor: 25.
    meta = rows.loc["Meta Ads"]
    assert meta[["answers", "promoters", "passives", "detractors"]].tolist() == [4, 2, 1, 1]
    assert meta["nps"] == pytest.approx(25.0)
    # var = (0.75 - 0.25^2) / 4 = 0.171875; half-width 81.257; high clipped at 100.
    assert meta["low"] == pytest.approx(25 - 81.2573, abs=1e-3) and meta["high"] == 100.0
    # Google Ads: C 8, D 3 -> -50; var = (0.5 - 0.25) / 2; half-width 69.296.
    assert rows.loc["Google Ads", "nps"] == pytest.approx(-50.0)
    assert rows.loc["Google Ads", "high"] == pytest.approx(19.2965, abs=1e-3)
    assert rows.loc["Google Ads", "low"] == -100.0
    # The two answers that match nobody (no id; unknown id) are counted apart.
    unmatched = rows.loc[UNMATCHED]
    assert unmatched["answers"] == 2 and unmatched["nps"] == 0.0 and not unmatched["matched"]
    assert frame["too_few"].all()  # fewer than 30 answers everywhere
    assert frame["answers"].sum() == len(NPS)


def test_nps_by_cohort_month_and_tier(cur):
    cohort = nps_by(cur, "cohort")
    # Jan {A, B}: 10, 5, 9 -> 33.3; Feb {C, D}: 8, 3 -> -50; Mar {E}: 100; J has no first
    # order: matched, without a cohort.
    assert cohort["nps"].tolist()[:3] == pytest.approx([100 / 3, -50, 100])
    # The group column mixes cohort months with the label of unmatched answers.
    months = [pd.Timestamp(g).strftime("%Y-%m") for g in cohort["group"].iloc[:3]]
    assert months == ["2024-01", "2024-02", "2024-03"]
    assert pd.isna(cohort["group"].iloc[3]) and cohort["answers"].iloc[3] == 1
    assert cohort["group"].iloc[4] == UNMATCHED
    month = nps_by(cur, "month")
    # Feb: r1 -> 100; Mar: r3, r4, r5 -> 0; Apr: r2 5, r8 10, r9 7 -> 0.
    assert month["answers"].tolist() == [1, 3, 3, 2]
    assert month["nps"].tolist() == [100.0, 0.0, 0.0, 0.0]
    tier = nps_by(cur, "tier", valuation=VALUATION, min_answers=3)
    # Gold {A, C}: 10, 5, 8 -> 0; Bronze {B, D, E}: 9, 3, 10 -> 33.3; J has no tier.
    assert tier["group"].iloc[:2].tolist() == ["Gold", "Bronze"]
    assert tier["nps"].iloc[:2].tolist() == pytest.approx([0.0, 100 / 3])
    assert tier["too_few"].tolist() == [False, False, True, True]
    with pytest.raises(ValueError, match="needs a valuation"):
        nps_by(cur, "tier")
    with pytest.raises(ValueError, match="choose one of"):
        nps_by(cur, "weekday")


def test_nps_filters(cur):
    google = nps_by(cur, "channel", Filters(channels=["Google Ads"]))
    # Only C and D; answers of nobody cannot belong to a channel.
    assert google["group"].tolist() == ["Google Ads"] and google["answers"].tolist() == [2]
    march = nps_by(cur, "channel", Filters(start="2024-03-01", end="2024-03-31"))
    assert march["group"].tolist() == ["Google Ads", "Meta Ads", UNMATCHED]
    assert march["nps"].tolist() == [-50.0, 100.0, 100.0]
    # The Gold tier (A, C): A's 10 and 5 in Meta Ads, C's 8 in Google Ads; no unmatched row.
    gold = nps_by(cur, "channel", Filters(tiers=["Gold"], valuation=VALUATION))
    assert gold["group"].tolist() == ["Google Ads", "Meta Ads"]
    assert gold["answers"].tolist() == [1, 2]
    assert gold["nps"].tolist() == [0.0, 0.0]
    # by tier within the Gold tier: one row
    gold_by_tier = nps_by(cur, "tier", Filters(tiers=["Gold"], valuation=VALUATION), VALUATION)
    assert gold_by_tier["group"].tolist() == ["Gold"] and gold_by_tier["answers"].tolist() == [3]


def test_clv_held_by_nps_group_by_hand(cur):
    frame = clv_held_by_nps_group(cur, VALUATION).set_index("group")
    assert list(frame.index) == list(NPS_GROUPS)
    # Latest answers: A 5 (detractor, though A once gave 10), B 9, C 8, D 3, E 10;
    # I and X never answered. Total predicted CLV 1000.
    assert frame["customers"].tolist() == [2, 1, 2, 2]
    assert frame["predicted_clv"].tolist() == [270.0, 30.0, 560.0, 140.0]
    assert frame["share"].tolist() == pytest.approx([0.27, 0.03, 0.56, 0.14])
    # Meta Ads only: B 220 promoter, A 500 detractor, I 0 never answered.
    meta = clv_held_by_nps_group(cur, VALUATION, Filters(channels=["Meta Ads"]))
    meta = meta.set_index("group")
    assert meta["customers"].tolist() == [1, 0, 1, 1]
    assert meta["predicted_clv"].tolist() == [220.0, 0.0, 500.0, 0.0]
    assert meta["share"].tolist() == pytest.approx([220 / 720, 0.0, 500 / 720, 0.0])
    # The Gold tier: A 500 detractor, C 30 passive.
    gold = clv_held_by_nps_group(cur, VALUATION, Filters(tiers=["Gold"], valuation=VALUATION))
    assert gold.set_index("group")["predicted_clv"].tolist() == [0.0, 30.0, 500.0, 0.0]


def test_tickets_by_tier_by_hand(cur):
    frame = tickets_by_tier(cur, VALUATION).set_index("tier")
    assert list(frame.index) == ["Platinum", "Gold", "Silver", "Bronze"]
    # Gold {A, C}: t1 4 h, t2 open, t3 24 h -> 3 tickets, 1.5 each, median 14 h, 1 open.
    gold = frame.loc["Gold"]
    assert gold[["customers", "tickets", "open_tickets"]].tolist() == [2, 3, 1]
    assert gold["tickets_per_customer"] == 1.5 and gold["median_resolution_hours"] == 14.0
    # Bronze {B, D, E}: only t4, 2 h.
    bronze = frame.loc["Bronze"]
    assert bronze["tickets_per_customer"] == pytest.approx(1 / 3)
    assert bronze["median_resolution_hours"] == 2.0
    assert frame.loc["Platinum", "customers"] == 0
    assert math.isnan(frame.loc["Platinum", "tickets_per_customer"])
    march = tickets_by_tier(cur, VALUATION, Filters(start="2024-03-01")).set_index("tier")
    assert march.loc["Gold", ["tickets", "open_tickets"]].tolist() == [2, 1]
    assert march.loc["Gold", "median_resolution_hours"] == 24.0
    # Google Ads only: C (Gold, t3 24 h) and D (Bronze, t4 2 h); the four tiers stay listed.
    google = tickets_by_tier(cur, VALUATION, Filters(channels=["Google Ads"]))
    assert google["tier"].tolist() == ["Platinum", "Gold", "Silver", "Bronze"]
    google = google.set_index("tier")
    assert google["customers"].tolist() == [0, 1, 0, 1]
    assert google["tickets"].tolist() == [0, 1, 0, 1]
    assert google.loc["Gold", "median_resolution_hours"] == 24.0
    assert google.loc["Bronze", "median_resolution_hours"] == 2.0
    # The Gold tier only: Bronze has no customer left.
    gold = tickets_by_tier(cur, VALUATION, Filters(tiers=["Gold"], valuation=VALUATION))
    gold = gold.set_index("tier")
    assert gold.loc["Gold", ["customers", "tickets", "open_tickets"]].tolist() == [2, 3, 1]
    assert gold.loc["Bronze", ["customers", "tickets"]].tolist() == [0, 0]


def test_demo_invariants(demo):
    with demo.cursor() as cur:
        clv = (
            cur.execute(
                "SELECT customer_id, sum(net_amount)::DOUBLE AS v FROM orders "
                "WHERE status = 'paid' AND customer_id IS NOT NULL GROUP BY 1"
            )
            .df()
            .set_index("customer_id")["v"]
        )
        tiers = assign_tiers(clv)
        valuation = store_values(cur, clv=clv, tiers=tiers, key="voice-demo")
        answers = cur.execute("SELECT count(*) FROM nps_responses").fetchall()[0][0]
        for by in ("tier", "channel", "cohort", "month"):
            frame = nps_by(cur, by, valuation=valuation)
            assert frame["nps"].between(-100, 100).all(), by
            assert (frame["low"] <= frame["nps"]).all() and (frame["nps"] <= frame["high"]).all()
            assert frame["answers"].sum() == answers, by
            assert (frame["too_few"] == (frame["answers"] < 30)).all()
        held = clv_held_by_nps_group(cur, valuation)
        assert held["share"].sum() == pytest.approx(1.0)
        assert held["customers"].sum() == len(clv)
        tickets = tickets_by_tier(cur, valuation)
        assert tickets["customers"].sum() == len(clv)
        assert np.all(tickets["tickets"] >= tickets["open_tickets"])

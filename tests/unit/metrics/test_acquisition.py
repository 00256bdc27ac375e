"""CAC, CLV/CAC, payback and channel aliases on a hand-made shop and on the demo."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from clv.metrics.acquisition import (
    acquisition_figures,
    blended_vs_paid_cac,
    cac_by_channel_month,
    channel_aliases,
    channel_names,
    channel_table,
    channel_warnings,
    median_payback,
    payback,
    payback_months,
    ratio_band,
    save_channel_aliases,
    suggest_aliases,
)
from clv.metrics.filters import Filters, channel_choices, channel_key, last_complete_month
from clv.store import Store
from tests.kpi_shop import ALIASES, CUSTOMERS, ORDERS, hand_store
from tests.valued import store_values

SPEND = [
    # day, channel as in the ad export, campaign, amount
    ("2024-01-05", "Facebook ", "winter", 150),
    ("2024-02-01", "Facebook ", "winter", 90),
    ("2024-02-01", "Google Ads", "search", 120),
    ("2024-03-01", "Google Ads", "search", 60),
    ("2024-03-01", "TikTok", "test", 80),
]
# Predicted CLV of the hand valuation; X was not acquired in the period (no order).
CLV = pd.Series({"A": 500.0, "B": 220.0, "I": 0.0, "C": 30.0, "D": 60.0, "E": 50.0, "X": 999.0})
# A tier of its own for A (the customer a tier filter picks), Bronze for the others.
TIER_OF_A = {"A": "Gold", "B": "Bronze", "C": "Bronze", "D": "Bronze", "E": "Bronze", "I": "Bronze"}
VALUATION = "acq-clv"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    s = hand_store(tmp_path_factory.mktemp("acq") / "a.duckdb", ORDERS, CUSTOMERS, spend=SPEND)
    save_channel_aliases(s, ALIASES)
    with s.cursor() as c:
        # margin to date unknown: each lifetime value is the CLV itself
        store_values(c, clv=CLV, tiers=TIER_OF_A, key=VALUATION)
    yield s
    s.close()


@pytest.fixture
def cur(store):
    with store.cursor() as c:
        yield c


def test_cac_by_channel_and_month_by_hand(cur):
    table = cac_by_channel_month(cur)
    rows = {
        (m.strftime("%Y-%m"), c): (s, n, cac) for m, c, s, n, cac in table.itertuples(index=False)
    }
    # January: "Facebook " spend 150 is Meta Ads; A and B are new there: 150 / 2 = 75.
    assert rows[("2024-01", "Meta Ads")] == (150.0, 2, 75.0)
    # February: Google Ads 120 for C and D (D's " google ADS " folds onto it): 60.
    assert rows[("2024-02", "Google Ads")] == (120.0, 2, 60.0)
    # Spend without a new customer: CAC undefined.
    spend, new, cac = rows[("2024-02", "Meta Ads")]
    assert (spend, new) == (90.0, 0) and math.isnan(cac)
    # New customers without spend: CAC 0 (I came in March through "FaceBook").
    assert rows[("2024-03", "Meta Ads")] == (0.0, 1, 0.0)
    assert rows[("2024-03", "Newsletter")] == (0.0, 1, 0.0)
    assert rows[("2024-03", "TikTok")][:2] == (80.0, 0)
    # Six new customers in all (J, F and the guest are not), 500 of spend.
    assert table["new_customers"].sum() == 6 and table["spend"].sum() == 500.0
    assert len(table) == 7
    assert list(table["month"]) == sorted(table["month"])


def test_filters_on_channel_and_period(cur):
    meta = cac_by_channel_month(cur, Filters(channels=("Meta Ads",)))
    assert set(meta["channel"]) == {"Meta Ads"}
    assert list(meta["new_customers"]) == [2, 0, 1]
    from_feb = cac_by_channel_month(cur, Filters(start="2024-02-01", end="2024-02-29"))
    assert from_feb["spend"].sum() == 210.0 and from_feb["new_customers"].sum() == 2
    # A tier selection cannot split spend: the tier filter (A alone is Gold) is ignored here.
    tier = cac_by_channel_month(cur, Filters(tiers=("Gold",), valuation=VALUATION))
    pd.testing.assert_frame_equal(tier, cac_by_channel_month(cur))


def test_ratio_bands_at_their_limits():
    assert ratio_band(0.94) == "loses_money"
    assert ratio_band(0.95) == ratio_band(1.0) == ratio_band(1.049) == "break_even"
    assert ratio_band(1.05) == ratio_band(2.99) == "optimise"
    assert ratio_band(3.0) == ratio_band(12.0) == "healthy"
    assert ratio_band(float("nan")) is None and ratio_band(None) is None


def test_channel_table_by_hand(cur):
    table = channel_table(cur, VALUATION, margin_rate=0.5).set_index("channel")
    # Most spend first: Meta 240, Google 180, TikTok 80, Newsletter 0.
    assert list(table.index) == ["Meta Ads", "Google Ads", "TikTok", "Newsletter"]
    meta = table.loc["Meta Ads"]
    # CAC 240 / 3 = 80; CLV of A, B, I = (500 + 220 + 0) / 3 = 240; ratio 3: healthy.
    assert meta["average_cac"] == pytest.approx(80.0)
    assert meta["average_clv"] == pytest.approx(240.0)
    assert meta["clv_cac_ratio"] == pytest.approx(3.0) and meta["band"] == "healthy"
    # Payback, pooling the Jan cohort (A, B: margins 60, +30, +50, +110) and the Mar
    # cohort (I: 150, then nothing): month 0 (60 + 150) / 3 = 70 < 80; month 1
    # (90 + 150) / 3 = 80 >= 80: one month.
    assert meta["payback_months"] == 1.0
    google = table.loc["Google Ads"]
    # 180 / 2 = 90; CLV (30 + 60) / 2 = 45: ratio 0.5, loses money; margin per customer
    # 50, 50, 60 never reaches 90.
    assert google["average_cac"] == pytest.approx(90.0)
    assert google["clv_cac_ratio"] == pytest.approx(0.5) and google["band"] == "loses_money"
    assert math.isnan(google["payback_months"])
    tiktok = table.loc["TikTok"]
    assert tiktok["new_customers"] == 0 and math.isnan(tiktok["average_cac"])
    assert table["band"].tolist()[:2] == ["healthy", "loses_money"]
    assert table["band"].isna().tolist() == [False, False, True, True]
    # Customers but no spend: CAC 0, no ratio to read.
    newsletter = table.loc["Newsletter"]
    assert newsletter["average_cac"] == 0.0 and math.isnan(newsletter["clv_cac_ratio"])
    assert newsletter["average_clv"] == pytest.approx(50.0)


def test_channel_table_averages_the_lifetime_value(store):
    # A second valuation that knows some margins to date: lifetime value = margin + CLV
    # (an unknown margin counts 0).
    with store.cursor() as c:
        key = store_values(
            c,
            clv=CLV,
            margin_to_date={"A": 60.0, "B": 70.0, "I": 150.0, "D": 50.0},
            key="acq-lifetime",
        )
        table = channel_table(c, key, margin_rate=0.5).set_index("channel")
        # The tier filter is ignored: same table.
        tiered = channel_table(
            c, key, Filters(tiers=("Gold",), valuation=VALUATION), margin_rate=0.5
        ).set_index("channel")
    # Meta: A 60 + 500, B 70 + 220, I 150 + 0 -> 1000 / 3; CAC 80; ratio 1000 / 240.
    assert table.loc["Meta Ads", "average_clv"] == pytest.approx(1000 / 3)
    assert table.loc["Meta Ads", "clv_cac_ratio"] == pytest.approx(1000 / 240)
    assert table.loc["Meta Ads", "band"] == "healthy"
    # Google: C (margin unknown) 0 + 30, D 50 + 60 -> 70; CAC 90: 70 / 90, loses money.
    assert table.loc["Google Ads", "average_clv"] == pytest.approx(70.0)
    assert table.loc["Google Ads", "clv_cac_ratio"] == pytest.approx(70 / 90)
    assert table.loc["Google Ads", "band"] == "loses_money"
    # Newsletter: E, margin unknown: 50.
    assert table.loc["Newsletter", "average_clv"] == pytest.approx(50.0)
    pd.testing.assert_frame_equal(tiered, table)


@pytest.mark.parametrize(
    "filters",
    [
        Filters(),
        Filters(channels=("Meta Ads", "Google Ads")),
        Filters(start="2024-02-01", end="2024-03-31"),
        Filters(tiers=("Gold",), valuation=VALUATION),
    ],
)
@pytest.mark.parametrize("margin_rate", [None, 0.5])
def test_acquisition_figures_match_their_own_calls(cur, filters, margin_rate):
    figures = acquisition_figures(cur, VALUATION, filters, margin_rate)
    pd.testing.assert_frame_equal(
        figures.table, channel_table(cur, VALUATION, filters, margin_rate=margin_rate)
    )
    assert figures.blended == blended_vs_paid_cac(cur, filters)
    pd.testing.assert_frame_equal(figures.months, cac_by_channel_month(cur, filters))
    pd.testing.assert_frame_equal(figures.payback, payback(cur, filters, margin_rate))
    assert figures.warnings == channel_warnings(cur, filters)
    # Without a valuation the CLV columns are empty, the rest is the same.
    bare = acquisition_figures(cur, None, filters, margin_rate)
    pd.testing.assert_frame_equal(
        bare.table, channel_table(cur, None, filters, margin_rate=margin_rate)
    )
    assert bare.table["average_clv"].isna().all()


def test_channel_table_without_clv_or_rate(cur):
    table = channel_table(cur, None).set_index("channel")
    assert table["average_clv"].isna().all() and table["band"].isna().all()
    # Without a margin rate, a3's margin is unknown: Meta's month-1 pooled margin no
    # longer needs it (a3 is in April), so month 1 still pays back.
    assert table.loc["Meta Ads", "payback_months"] == 1.0


def test_payback_per_cohort_by_hand(cur):
    frame = payback(cur, margin_rate=0.5)
    jan = frame[(frame["cohort_month"] == "2024-01-01") & (frame["channel"] == "Meta Ads")]
    # Margins of A and B: Jan 40 + 20, Feb 30, Mar 50, Apr 100 + 10 -> per customer
    # 30, 45, 70, 125 against the January CAC of 75.
    assert list(jan["cumulative_margin_per_customer"]) == pytest.approx([30, 45, 70, 125])
    assert list(jan["cac"]) == [75.0] * 4
    assert list(jan["paid_back"]) == [False, False, False, True]
    feb = frame[frame["cohort_month"] == "2024-02-01"]
    # C and D: Feb 50 + 30 + 20, Mar 0, Apr 20 -> 50, 50, 60 against 60.
    assert list(feb["cumulative_margin_per_customer"]) == pytest.approx([50, 50, 60])
    assert list(feb["paid_back"]) == [False, False, True]
    # No spend in March for Meta Ads or Newsletter: nothing to pay back.
    march = frame[frame["cohort_month"] == "2024-03-01"]
    assert march["paid_back"].isna().all()
    months = payback_months(frame).set_index(["cohort_month", "channel"])["payback_months"]
    assert months[(pd.Timestamp("2024-01-01"), "Meta Ads")] == 3.0
    assert months[(pd.Timestamp("2024-02-01"), "Google Ads")] == 2.0
    assert math.isnan(months[(pd.Timestamp("2024-03-01"), "Newsletter")])


def test_payback_without_rate_stops_at_unknown_margin(cur):
    frame = payback(cur)  # a3 has no cost: April's margin of the Jan cohort is unknown
    jan = frame[(frame["cohort_month"] == "2024-01-01")]
    assert jan["cumulative_margin_per_customer"].iloc[:3].tolist() == pytest.approx([30, 45, 70])
    assert math.isnan(jan["cumulative_margin_per_customer"].iloc[3])
    assert jan["paid_back"].isna().iloc[3]


def test_blended_and_paid_cac(cur):
    result = blended_vs_paid_cac(cur)
    # 500 of spend over 6 new customers; paid channels (Meta 3, Google 2, TikTok 0): 5.
    assert result.blended_cac == pytest.approx(500 / 6)
    assert result.paid_cac == pytest.approx(100.0)
    assert (result.new_customers, result.paid_new_customers) == (6, 5)


def test_channel_warnings(cur):
    assert channel_warnings(cur) == [
        {"channel": "Newsletter", "kind": "customers_without_spend", "amount": 0.0, "customers": 1},
        {"channel": "TikTok", "kind": "spend_without_customers", "amount": 80.0, "customers": 0},
    ]


def test_suggested_aliases():
    suggestion = suggest_aliases(
        ["Facebook Ads", "Instagram", "google cpc", "Newsletter ", "TikTok", "Réseaux"],
        ["Meta Ads", "Google Ads", "newsletter", "Direct", "reseaux"],
    )
    assert suggestion == {
        "Facebook Ads": "Meta Ads",
        "Instagram": "Meta Ads",
        "google cpc": "Google Ads",
        "Newsletter ": "newsletter",
        "Réseaux": "reseaux",
    }
    # Two names of one platform with no canonical spelling on either side.
    assert suggest_aliases(["FB"], ["AdWords", "instagram"]) == {
        "FB": "Meta Ads",
        "instagram": "Meta Ads",
    }
    # Nothing to reconcile: no suggestion (words, not substrings: "metadata" is no Meta).
    assert suggest_aliases(["Meta Ads", "metadata"], ["Meta Ads"]) == {}
    assert channel_key("  Réseaux   SOCIAUX ") == "reseaux sociaux"


def test_saving_aliases(tmp_path):
    s = Store(tmp_path / "aliases.duckdb", pseudonym_key=b"k")
    try:
        saved = save_channel_aliases(
            s, {" fb ": "Facebook", "facebook": "Meta Ads", "Meta Ads": "Meta Ads"}
        )
        # Trimmed, the chain fb -> Facebook -> Meta Ads followed, the identity dropped.
        assert saved.to_dict("records") == [
            {"alias": "facebook", "channel": "Meta Ads"},
            {"alias": "fb", "channel": "Meta Ads"},
        ]
        with pytest.raises(ValueError, match="loop"):
            save_channel_aliases(s, {"a": "b", "b": "a"})
        with pytest.raises(ValueError, match="different channels"):
            save_channel_aliases(s, {"FB": "Meta Ads", "fb": "Google Ads"})
        with pytest.raises(ValueError, match="empty side"):
            save_channel_aliases(s, {"fb": " "})
        # A refused table leaves the saved one as it was.
        with s.cursor() as cur:
            assert len(channel_aliases(cur)) == 2
        assert save_channel_aliases(s, {}).empty
    finally:
        s.close()


def test_channel_choices_after_aliasing(cur):
    # Customers' channels (J's Meta Ads counts though J never paid) and spend channels.
    assert channel_choices(cur) == ["Google Ads", "Meta Ads", "Newsletter", "TikTok"]


def test_channel_names_before_aliasing(cur):
    names = channel_names(cur)
    assert names.spend == ("Facebook ", "Google Ads", "TikTok")
    assert "facebook" in names.customers and "FaceBook" in names.customers
    assert "Meta Ads" in names.customers  # from the customers table (B, J)


def test_filters_refuse_bad_input():
    with pytest.raises(ValueError, match="after the end date"):
        Filters(start="2024-03-01", end="2024-02-01")
    with pytest.raises(ValueError, match="list of names"):
        Filters(channels="Meta Ads")
    with pytest.raises(ValueError, match="not a date"):
        Filters(start="soon")
    with pytest.raises(ValueError, match="valuation"):
        Filters(tiers=("Gold",))
    assert Filters(channels=["a"]).channels == ("a",)
    assert last_complete_month(pd.Timestamp("2024-03-31").date()).isoformat() == "2024-03-01"
    assert last_complete_month(pd.Timestamp("2024-03-30").date()).isoformat() == "2024-02-01"


def test_empty_store_gives_empty_tables(tmp_path):
    s = Store(tmp_path / "empty.duckdb", pseudonym_key=b"k")
    try:
        with s.cursor() as cur:
            key = store_values(cur, clv=CLV, key=VALUATION)
            assert cac_by_channel_month(cur).empty
            assert channel_table(cur, key).empty
            figures = acquisition_figures(cur, key)
            assert figures.table.empty and figures.months.empty and figures.payback.empty
            assert figures.blended.blended_cac is None and figures.warnings == []
            assert payback(cur).empty
            assert blended_vs_paid_cac(cur).blended_cac is None
            assert channel_warnings(cur) == []
    finally:
        s.close()


def test_demo_invariants(demo):
    with demo.cursor() as cur:
        months = cac_by_channel_month(cur)
        new_customers = cur.execute(
            "SELECT count(DISTINCT customer_id) FROM orders "
            "WHERE status = 'paid' AND customer_id IS NOT NULL"
        ).fetchall()[0][0]
        spend = cur.execute("SELECT sum(spend_amount)::DOUBLE FROM marketing_spend").fetchall()[0][
            0
        ]
        # Every customer is new exactly once; every spend row is counted once.
        assert months["new_customers"].sum() == new_customers
        assert months["spend"].sum() == pytest.approx(spend)
        with_customers = months[months["new_customers"] > 0]
        assert np.allclose(
            with_customers["cac"], with_customers["spend"] / with_customers["new_customers"]
        )
        blended = blended_vs_paid_cac(cur)
        assert blended.blended_cac == pytest.approx(spend / new_customers)
        assert blended.paid_cac >= blended.blended_cac
        table = channel_table(cur, None)
        assert set(table["channel"]) == set(months["channel"])


def test_median_payback_counts_unpaid_cohorts_as_the_slowest():
    cohorts = pd.DataFrame(
        {
            "cohort_month": pd.to_datetime(
                ["2024-01-01", "2024-02-01", "2024-03-01", "2024-04-01"]
            ),
            "channel": ["Meta Ads"] * 4,
            "cac": [40.0, 50.0, 0.0, 45.0],
            "payback_months": [2.0, 5.0, 0.0, math.nan],
        }
    )
    # cohorts with a CAC: 2, 5 and "not yet" (slowest): the median is 5
    assert median_payback(cohorts) == (5.0, 3, 2)
    # two of the three not yet paid back: the median is not reached
    later = cohorts.assign(payback_months=[2.0, math.nan, 0.0, math.nan])
    assert median_payback(later) == (None, 3, 1)
    assert median_payback(cohorts.assign(cac=0.0)) == (None, 0, 0)

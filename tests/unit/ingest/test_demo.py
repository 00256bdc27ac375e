"""The demo shop: reproducible, loadable into the store, and faithful to its known models."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from scipy.special import hyp2f1

from clv.compliance.privacy import pseudonymize
from clv.ingest.demo import (
    DEMO_SOURCE,
    DemoData,
    expected_repeat_purchases,
    generate_demo,
    load_demo,
    write_truth,
)
from clv.store import Store, column_types

KEY = b"test-demo-key"
SMALL = {"seed": 11, "n_customers": 3_000, "key": KEY}
ALLOWED_STATUSES = {"paid", "pending", "cancelled", "refunded", "test"}


@pytest.fixture(scope="module")
def small() -> DemoData:
    return generate_demo(**SMALL)


@pytest.fixture(scope="module")
def big() -> DemoData:
    return generate_demo(seed=7, n_customers=20_000, key=KEY)


def _cents(values: pd.Series) -> np.ndarray:
    return np.round(values.to_numpy(dtype=float) * 100).astype(np.int64)


def _counted_orders(data: DemoData) -> pd.DataFrame:
    """Paid customer orders, with the customer's channel and acquisition time."""
    o = data.orders
    paid = o[(o["status"] == "paid") & o["customer_id"].notna()]
    return paid.merge(
        data.customers[["customer_id", "acquisition_channel", "first_seen_at"]],
        on="customer_id",
        validate="many_to_one",
    )


# -- reproducibility ------------------------------------------------------------------


def test_same_seed_gives_identical_frames(small: DemoData) -> None:
    again = generate_demo(**SMALL)
    for name, frame in small.tables().items():
        pd.testing.assert_frame_equal(frame, again.tables()[name], obj=name)
    pd.testing.assert_frame_equal(small.customer_truth, again.customer_truth)
    assert json.dumps(small.truth, sort_keys=True) == json.dumps(again.truth, sort_keys=True)


def test_other_seed_gives_other_data(small: DemoData) -> None:
    other = generate_demo(**{**SMALL, "seed": 12})
    # Same synthetic emails, so the same customer ids, but other histories.
    assert set(other.customers["customer_id"]) == set(small.customers["customer_id"])
    assert not other.customers["first_seen_at"].equals(small.customers["first_seen_at"])
    assert not other.customers["acquisition_channel"].equals(small.customers["acquisition_channel"])
    assert len(other.orders) != len(small.orders) or not other.orders["gross_amount"].equals(
        small.orders["gross_amount"]
    )


def test_default_size_has_twenty_thousand_customers(big: DemoData) -> None:
    assert len(big.customers) == 20_000
    assert big.customers["customer_id"].is_unique


# -- schema and store -----------------------------------------------------------------


def test_columns_are_the_store_columns(small: DemoData, tmp_path) -> None:
    store = Store(tmp_path / "schema.duckdb")
    try:
        with store.cursor() as cur:
            for name, frame in small.tables().items():
                expected = [c for c in column_types(cur, name) if c != "import_id"]
                assert list(frame.columns) == expected, name
    finally:
        store.close()


def test_load_demo_writes_one_import(small: DemoData, tmp_path) -> None:
    store = Store(tmp_path / "t.duckdb")
    try:
        assert store.is_empty()
        counts = load_demo(store, seed=11, n_customers=3_000, key=KEY)
        assert not store.is_empty()
        assert counts == {name: len(frame) for name, frame in small.tables().items()}
        with store.cursor() as cur:
            for table, n in counts.items():
                assert cur.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == n, table
                assert cur.execute(f"SELECT DISTINCT import_id FROM {table}").fetchall() == [(1,)]
            # Money survives the DECIMAL(18, 2) cast to the cent.
            stored = cur.execute(
                "SELECT sum(gross_amount), sum(net_amount), count(*) FILTER (WHERE is_guest), "
                "count(*) FILTER (WHERE customer_id IS NULL) FROM orders"
            ).fetchone()
            assert int(stored[0] * 100) == _cents(small.orders["gross_amount"]).sum()
            assert int(stored[1] * 100) == _cents(small.orders["net_amount"]).sum()
            assert stored[2] == stored[3] == int(small.orders["is_guest"].sum()) > 0
            open_tickets = cur.execute(
                "SELECT count(*) FROM support_tickets WHERE status = 'open' AND solved_at IS NULL"
            ).fetchone()[0]
            assert open_tickets == int((small.support_tickets["status"] == "open").sum()) > 0
        log = store.imports()
        assert len(log) == 1
        row = log.iloc[0]
        assert row["file_name"] == "demo: Maison Lumière (generated)"
        assert row["kind"] == "demo" and row["source_preset"] == "demo"
        assert row["rows_read"] == row["rows_loaded"] == sum(counts.values())
        assert store.find_import_by_hash("demo-seed-11-3000") == 1
        assert store.get_setting("demo_truth") == json.loads(json.dumps(small.truth))

        # Loading the same demo again changes nothing but logs a second import.
        again = load_demo(store, seed=11, n_customers=3_000, key=KEY)
        assert again == counts
        log = store.imports()
        assert len(log) == 2
        assert log.iloc[0]["rows_unchanged"] == sum(counts.values())
        assert log.iloc[0]["rows_loaded"] == 0
        with store.cursor() as cur:
            assert cur.execute("SELECT count(*) FROM orders").fetchone()[0] == counts["orders"]
            assert cur.execute("SELECT count(*) FROM settings").fetchone()[0] == 1
    finally:
        store.close()


def test_no_email_anywhere_and_ids_are_pseudonyms(small: DemoData) -> None:
    for name, frame in [*small.tables().items(), ("customer_truth", small.customer_truth)]:
        for column in frame.columns:
            values = frame[column]
            if values.dtype == object or pd.api.types.is_string_dtype(values):
                assert not values.dropna().astype(str).str.contains("@").any(), (name, column)
    row = small.customers.loc[small.customers["source_customer_id"] == "MLU-000042"].iloc[0]
    assert row["customer_id"] == pseudonymize("client00042@exemple.fr", KEY)
    assert small.customers["customer_id"].is_unique
    assert (small.customers["source"] == DEMO_SOURCE).all()
    assert small.orders["order_id"].str.fullmatch(r"demo:FR-\d{6}").all()
    assert small.orders["order_id"].is_unique


# -- orders, lines, money ---------------------------------------------------------------


def test_lines_sum_to_gross_and_net_is_gross_minus_refunds(small: DemoData) -> None:
    o, lines = small.orders, small.order_lines
    line_sum = (
        pd.Series(_cents(lines["line_amount"]), index=lines["order_id"]).groupby(level=0).sum()
    )
    assert set(line_sum.index) == set(o["order_id"])
    gross = pd.Series(_cents(o["gross_amount"]), index=o["order_id"])
    assert (line_sum.reindex(gross.index) == gross).all()
    assert (
        _cents(o["net_amount"]) == _cents(o["gross_amount"]) - _cents(o["refunded_amount"])
    ).all()
    # Lines are numbered 1..n within an order.
    numbered = lines.groupby("order_id")["line_no"].agg(["min", "max", "size"])
    assert (numbered["min"] == 1).all() and (numbered["max"] == numbered["size"]).all()
    assert numbered["size"].max() <= 4
    assert (lines["quantity"] >= 1).all() and (lines["line_amount"] > 0).all()
    assert (o["discount_amount"] >= 0).all() and (o["refunded_amount"] >= 0).all()
    # Cost comes from category margins of 45-68 %: between 32 % and 55 % of the gross.
    cost, gross = o["cost_amount"], o["gross_amount"]
    assert ((cost >= 0.32 * gross - 0.005) & (cost <= 0.55 * gross + 0.005)).all()


def test_statuses_and_extra_rows(small: DemoData) -> None:
    o = small.orders
    assert set(o["status"]) <= ALLOWED_STATUSES
    assert set(o["status"]) >= {"paid", "cancelled", "refunded", "test"}
    refunded = o[o["status"] == "refunded"]
    assert (refunded["refunded_amount"] == refunded["gross_amount"]).all()
    assert (refunded["net_amount"] == 0).all()
    partial = o[(o["status"] == "paid") & (o["refunded_amount"] > 0)]
    assert len(partial) > 0 and (partial["net_amount"] > 0).all()
    assert (o["is_guest"] == o["customer_id"].isna()).all()
    share = o["status"].value_counts(normalize=True)
    assert 0.01 < share["cancelled"] < 0.03
    assert 0.007 < share["refunded"] < 0.025
    assert 0.005 < o["is_guest"].mean() < 0.02
    assert (o["currency"] == "EUR").all()
    assert o["ordered_at"].min() >= pd.Timestamp("2023-01-01")
    assert o["ordered_at"].max() < pd.Timestamp("2026-01-01")


def test_no_two_paid_orders_of_a_customer_on_one_day(small: DemoData) -> None:
    paid = _counted_orders(small)
    assert not paid.assign(day=paid["ordered_at"].dt.date).duplicated(["customer_id", "day"]).any()


def test_first_paid_order_is_the_acquisition(small: DemoData) -> None:
    paid = _counted_orders(small)
    first = paid.groupby("customer_id")["ordered_at"].min()
    customers = small.customers.set_index("customer_id")
    assert set(first.index) == set(customers.index)  # every customer has a paid order
    assert (first == customers.loc[first.index, "first_seen_at"]).all()
    first_channel = paid.sort_values("ordered_at").groupby("customer_id").first()
    assert (first_channel["channel"] == first_channel["acquisition_channel"]).all()


def test_customer_truth_matches_the_orders(small: DemoData) -> None:
    paid = _counted_orders(small)
    truth = small.customer_truth.set_index("customer_id")
    repeats = paid.groupby("customer_id").size() - 1
    assert (repeats.reindex(truth.index) == truth["repeat_purchases"]).all()
    # A customer who drops out does so at their last purchase (the same day: a same-day
    # purchase that ended the relationship was dropped as a separate order).
    last = paid.groupby("customer_id")["ordered_at"].max()
    gone = truth[truth["dropout_at"].notna()]
    assert len(gone) > 0 and (~truth["alive_at_end"]).sum() == len(gone)
    assert (last.reindex(gone.index).dt.date == gone["dropout_at"].dt.date).all()
    # No dropout without a repeat purchase, unless it fell on the day of the first order.
    same_day_as_first = gone["dropout_at"].dt.date == gone["acquired_at"].dt.date
    assert ((gone["repeat_purchases"] >= 1) | same_day_as_first).all()
    assert (truth.loc[truth["alive_at_end"], "dropout_at"].isna()).all()


# -- the known models -------------------------------------------------------------------


def _bgnbd_expectation(t: float, r: float, alpha: float, a: float, b: float) -> float:
    """E[X(t)] of Fader, Hardie & Lee (2005), equation 7, written out here on purpose."""
    return (
        (a + b - 1)
        / (a - 1)
        * (1 - (alpha / (alpha + t)) ** r * hyp2f1(r, b, a + b - 1, t / (alpha + t)))
    )


def test_expectation_helper_agrees_with_lifetimes() -> None:
    lifetimes = pytest.importorskip("lifetimes")
    fitter = lifetimes.BetaGeoFitter()
    cdnow = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
    fitter.params_ = pd.Series(cdnow)
    for t in (10.0, 39.0, 78.0):
        reference = float(fitter.expected_number_of_purchases_up_to_time(t))
        assert expected_repeat_purchases(t, **cdnow) == pytest.approx(reference, rel=1e-10)
        assert _bgnbd_expectation(t, **cdnow) == pytest.approx(reference, rel=1e-10)


def test_repeat_purchases_in_first_year_follow_bgnbd(big: DemoData) -> None:
    data = big
    paid = _counted_orders(data)
    end = pd.Timestamp(data.truth["observation_end"])
    year = pd.Timedelta(weeks=52)
    # Customers observed for a full 52 weeks after their first order.
    eligible = data.customers[data.customers["first_seen_at"] <= end - year]
    in_year = paid[
        (paid["ordered_at"] > paid["first_seen_at"])
        & (paid["ordered_at"] <= paid["first_seen_at"] + year)
    ]
    x = in_year.groupby("customer_id").size().reindex(eligible["customer_id"], fill_value=0)
    eligible = eligible.assign(x=x.to_numpy())
    expected_total = 0.0
    for name, group in eligible.groupby("acquisition_channel"):
        params = data.truth["channels"][name]["bgnbd"]
        expected = _bgnbd_expectation(52.0, **params)
        expected_total += expected * len(group)
        se = group["x"].std() / np.sqrt(len(group))
        # Each channel: within 4 standard errors (a fixed seed, so no flakiness).
        assert abs(group["x"].mean() - expected) < 4 * se, (name, group["x"].mean(), expected)
    # All channels together: the sampling error is about 1 %, the tolerance 5 %.
    pooled = eligible["x"].mean()
    pooled_se = eligible["x"].std() / np.sqrt(len(eligible))
    expected_pooled = expected_total / len(eligible)
    assert pooled_se / expected_pooled < 0.02
    assert pooled == pytest.approx(expected_pooled, rel=0.05)
    # The biggest channel alone, within 5 % as well.
    biggest = eligible["acquisition_channel"].value_counts().index[0]
    group = eligible[eligible["acquisition_channel"] == biggest]
    expected = _bgnbd_expectation(52.0, **data.truth["channels"][biggest]["bgnbd"])
    assert group["x"].mean() == pytest.approx(expected, rel=0.05)


def test_order_values_follow_gamma_gamma(big: DemoData) -> None:
    data = big
    paid = _counted_orders(data)
    for name, group in paid.groupby("acquisition_channel"):
        gg = data.truth["channels"][name]["gamma_gamma"]
        expected = gg["p"] * gg["gamma"] / (gg["q"] - 1)
        assert 40 <= expected <= 120
        # Customer-level spread dominates the error: about 1-1.6 % here, tolerance 5 %.
        assert group["net_amount"].mean() == pytest.approx(expected, rel=0.05), name


def test_truth_is_json_and_in_weeks(small: DemoData, tmp_path) -> None:
    path = tmp_path / "truth.json"
    write_truth(small, path)
    truth = json.loads(path.read_text(encoding="utf-8"))
    assert truth == json.loads(json.dumps(small.truth))
    assert truth["seed"] == 11 and truth["n_customers"] == 3_000
    assert "weeks" in truth["time_unit"]
    channels = truth["channels"]
    assert sum(c["customers"] for c in channels.values()) == 3_000
    counts = small.customers["acquisition_channel"].value_counts()
    for name, spec in channels.items():
        assert spec["customers"] == counts.get(name, 0)
        bg = spec["bgnbd"]
        # One order every 3 to 8 months on average, dropout 0.2 to 0.5.
        assert 1 / (8 * 4.35) <= bg["r"] / bg["alpha"] <= 1 / (3 * 4.35), name
        assert 0.2 <= bg["a"] / (bg["a"] + bg["b"]) <= 0.5, name
    # Distinct parameters per channel.
    assert len({tuple(c["bgnbd"].values()) for c in channels.values()}) == len(channels)
    assert set(small.customer_truth.columns) >= {
        "customer_id",
        "channel",
        "lambda_per_week",
        "p_dropout",
        "dropout_at",
        "nu",
        "true_mean_spend",
    }


# -- marketing, NPS, tickets ------------------------------------------------------------


def test_marketing_spend_gives_plausible_cac(big: DemoData) -> None:
    data = big
    spend = data.marketing_spend
    assert (spend["spend_date"].dt.day == 1).all()
    assert not spend.duplicated(["spend_date", "channel", "campaign"]).any()
    assert (spend["spend_amount"] > 0).all()
    customers = data.customers["acquisition_channel"].value_counts()
    cac = spend.groupby("channel")["spend_amount"].sum() / customers
    assert cac["Google Ads"] == pytest.approx(35, rel=0.1)
    assert cac["Meta Ads"] == pytest.approx(45, rel=0.1)
    assert cac["Salons professionnels"] == pytest.approx(120, rel=0.1)
    assert cac["Parrainage"] == pytest.approx(15, abs=0.01)  # a fixed reward per referral
    assert cac["SEO/contenu"] < cac["Google Ads"] < cac["Meta Ads"] < cac["Salons professionnels"]
    assert "Prospection - Bougies" in set(spend["campaign"])


def test_nps_answers_are_lower_among_customers_who_leave(small: DemoData) -> None:
    nps = small.nps_responses
    assert set(nps["customer_id"]) <= set(small.customers["customer_id"])
    assert nps["customer_id"].is_unique
    assert nps["score"].between(0, 10).all()
    assert 0.12 < len(nps) / len(small.customers) < 0.16
    assert nps["response_id"].str.fullmatch(r"demo-nps-\d{6}").all()
    scored = nps.merge(small.customer_truth, on="customer_id")
    means = scored.groupby("alive_at_end")["score"].mean()
    assert means[False] < means[True] - 1.5
    # Each answer comes after the customer's first order.
    first = small.customers.set_index("customer_id")["first_seen_at"]
    assert (nps["answered_at"].to_numpy() > first.loc[nps["customer_id"]].to_numpy()).all()


def test_tickets_are_more_frequent_and_worse_for_customers_who_leave(small: DemoData) -> None:
    tickets = small.support_tickets
    assert set(tickets["customer_id"]) <= set(small.customers["customer_id"])
    assert set(tickets["status"]) == {"open", "solved"}
    assert tickets.loc[tickets["status"] == "open", "solved_at"].isna().all()
    solved = tickets[tickets["status"] == "solved"]
    assert (solved["solved_at"] > solved["opened_at"]).all()
    assert set(tickets["satisfaction"].dropna()) == {"good", "bad"}
    truth = small.customer_truth
    with_ticket = truth["customer_id"].isin(tickets["customer_id"])
    assert (with_ticket == truth["has_ticket"]).all()
    assert 0.07 < with_ticket.mean() < 0.14
    rate = with_ticket.groupby(truth["alive_at_end"]).mean()
    assert rate[False] > 2 * rate[True]
    joined = tickets.merge(truth, on="customer_id")
    slow = joined["solved_at"].isna() | (
        joined["solved_at"] - joined["opened_at"] > pd.Timedelta(days=7)
    )
    slow_share = slow.groupby(joined["alive_at_end"]).mean()
    assert slow_share[False] > 2 * slow_share[True]


def test_customers_table_values(small: DemoData) -> None:
    c = small.customers
    assert c["source_customer_id"].str.fullmatch(r"MLU-\d{6}").all()
    assert set(c["country"]) <= {"FR", "BE", "CH", "LU", "CA"}
    assert (c["country"] == "FR").mean() > 0.8
    assert 0.95 < c["consent_analytics"].mean() < 0.99
    assert 0.55 < c["consent_marketing"].mean() < 0.65
    assert len(set(c["acquisition_channel"])) == 6
    # Acquisitions peak before Christmas.
    by_month = c["first_seen_at"].dt.month.value_counts()
    assert by_month[12] > 1.5 * by_month[7]

"""Per-customer summaries in SQL: hand-made cases, lifetimes' own helpers, Hardie's CDNOW file."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import lifetimes.datasets
import numpy as np
import pandas as pd
import pytest
from lifetimes.utils import calibration_and_holdout_data, summary_data_from_transaction_data

from clv.ingest.pipeline import load_cdnow_sample
from clv.store import Store
from clv.valuation.summary import (
    TIME_UNITS,
    calibration_holdout,
    compress,
    customer_summary,
    daily_purchases,
    last_order_date,
)

DATASETS = Path(lifetimes.datasets.__file__).parent

# -- a hand-made shop ---------------------------------------------------------------------
#
# Customer a (acquired through "Meta Ads" per the customers table):
#   2024-01-01  100 (cost 40) + 20 (no cost), same day -> one purchase of 120
#   2024-01-15  gross 50, 10 refunded -> net 40 (cost 15), still 'paid'
#   2024-01-20  cancelled 999            -> ignored
#   2024-01-29  60 (no cost)
#   2024-02-10  10 + 30 (no cost), same day -> one purchase of 40
#   2024-02-12  refunded 80              -> ignored
#   2024-02-20  pending 77               -> ignored (unless asked for)
#   2024-03-05  500                      -> after the observation end 2024-02-29
# Purchase days at 2024-02-29: Jan 1, Jan 15, Jan 29, Feb 10 -> frequency 3,
# recency 40 days, T 59 days, monetary (40 + 60 + 40) / 3, 6 paid orders, net 260.
# Margin with a 50 % rate: (100-40) + 20*.5 + (40-15) + 60*.5 + 10*.5 + 30*.5 = 145;
# with {"Meta Ads": .3, "default": .5}: 60 + 6 + 25 + 18 + 3 + 9 = 121.
#
# Customer b (no customers row; first order through "Google Ads"):
#   2024-02-01 23:30  30 (cost 10);  2024-02-02 00:10  45 (cost 20, channel "Email")
# -> two calendar days: frequency 1, recency 1 day, T 28 days, monetary 45, margin 45.
#
# Customer c: one order on the observation end day -> frequency 0, recency 0, T 0.
# Customer d: only a cancelled order -> not a customer. Customer e: first order after
# the observation end. A guest order (no customer id) belongs to nobody.
ORDERS = [
    # order_id, customer_id, ordered_at, status, gross, refunded, net, cost, channel
    ("a1", "shop:a", "2024-01-01 10:00", "paid", 100, 0, 100, 40, "Meta Ads"),
    ("a2", "shop:a", "2024-01-01 18:00", "paid", 20, 0, 20, None, "Meta Ads"),
    ("a3", "shop:a", "2024-01-15 09:00", "paid", 50, 10, 40, 15, "Email"),
    ("a4", "shop:a", "2024-01-20 12:00", "cancelled", 999, 0, 999, None, "Email"),
    ("a5", "shop:a", "2024-01-29 08:00", "paid", 60, 0, 60, None, "Email"),
    ("a6", "shop:a", "2024-02-10 08:00", "paid", 10, 0, 10, None, "Email"),
    ("a7", "shop:a", "2024-02-10 20:00", "paid", 30, 0, 30, None, "Email"),
    ("a8", "shop:a", "2024-02-12 08:00", "refunded", 80, 80, 0, None, "Email"),
    ("a9", "shop:a", "2024-02-20 08:00", "pending", 77, 0, 77, None, "Email"),
    ("a10", "shop:a", "2024-03-05 08:00", "paid", 500, 0, 500, None, "Email"),
    ("b1", "shop:b", "2024-02-01 23:30", "paid", 30, 0, 30, 10, "Google Ads"),
    ("b2", "shop:b", "2024-02-02 00:10", "paid", 45, 0, 45, 20, "Email"),
    ("c1", "shop:c", "2024-02-29 12:00", "paid", 25, 0, 25, None, None),
    ("d1", "shop:d", "2024-01-10 12:00", "cancelled", 40, 0, 40, None, None),
    ("e1", "shop:e", "2024-03-01 12:00", "paid", 35, 0, 35, None, None),
    ("g1", None, "2024-01-05 12:00", "paid", 70, 0, 70, None, None),
]
END = "2024-02-29"


@pytest.fixture
def shop(tmp_store: Store) -> Iterator[Store]:
    with tmp_store.transaction() as cur:
        cur.executemany(
            "INSERT INTO orders (order_id, customer_id, ordered_at, status, gross_amount, "
            "refunded_amount, net_amount, cost_amount, channel, source, import_id) "
            "VALUES (?, ?, CAST(? AS TIMESTAMP), ?, ?, ?, ?, ?, ?, 'test', 1)",
            [list(row) for row in ORDERS],
        )
        cur.executemany(
            "INSERT INTO customers (customer_id, acquisition_channel, import_id) VALUES (?, ?, 1)",
            [["shop:a", "Meta Ads"], ["shop:c", None]],
        )
    yield tmp_store


def _summary(store: Store, **kwargs: object) -> pd.DataFrame:
    with store.cursor() as cur:
        return customer_summary(cur, **kwargs)


def test_hand_made_summary_in_weeks(shop: Store) -> None:
    s = _summary(shop, observation_end=END, margin_rate=0.5)
    assert list(s.index) == ["shop:a", "shop:b", "shop:c"]
    a, b, c = (s.loc[k] for k in ("shop:a", "shop:b", "shop:c"))
    assert a["frequency"] == 3
    assert a["recency"] == pytest.approx(40 / 7)
    assert a["T"] == pytest.approx(59 / 7)
    assert a["monetary_value"] == pytest.approx(140 / 3)
    assert a["orders"] == 6
    assert a["net_revenue"] == pytest.approx(260)
    assert a["gross_margin"] == pytest.approx(145)
    assert a["acquisition_channel"] == "Meta Ads"
    assert a["first_order_at"] == pd.Timestamp("2024-01-01 10:00")
    assert a["last_order_at"] == pd.Timestamp("2024-02-10 20:00")
    # Minutes apart but on two calendar days: a repeat purchase one day later.
    assert (b["frequency"], b["recency"], b["T"]) == (1, pytest.approx(1 / 7), pytest.approx(4))
    assert b["monetary_value"] == pytest.approx(45)
    assert b["gross_margin"] == pytest.approx(45)
    assert b["acquisition_channel"] == "Google Ads"
    assert (c["frequency"], c["recency"], c["T"], c["monetary_value"]) == (0, 0, 0, 0)
    assert c["gross_margin"] == pytest.approx(12.5)
    assert s["frequency"].dtype == np.int64
    assert s.attrs == {"time_unit": "week", "observation_end": dt.date(2024, 2, 29)}


@pytest.mark.parametrize("unit", ["day", "week", "month"])
def test_time_units_divide_calendar_days(shop: Store, unit: str) -> None:
    s = _summary(shop, observation_end=END, time_unit=unit)
    days = {"day": 1, "week": 7, "month": 30.4375}[unit]
    assert TIME_UNITS[unit] == days
    assert s.loc["shop:a", "recency"] == pytest.approx(40 / days)
    assert s.loc["shop:a", "T"] == pytest.approx(59 / days)
    assert s.loc["shop:b", "T"] == pytest.approx(28 / days)


def test_margin_by_channel_and_unknown_margin(shop: Store) -> None:
    by_channel = _summary(shop, observation_end=END, margin_rate={"Meta Ads": 0.3, "default": 0.5})
    assert by_channel.loc["shop:a", "gross_margin"] == pytest.approx(121)
    assert by_channel.loc["shop:c", "gross_margin"] == pytest.approx(12.5)
    unknown = _summary(shop, observation_end=END)
    # a and c have orders without cost and there is no rate: their margin is unknown,
    # not the sum of the orders whose cost is known.
    assert np.isnan(unknown.loc["shop:a", "gross_margin"])
    assert np.isnan(unknown.loc["shop:c", "gross_margin"])
    assert unknown.loc["shop:b", "gross_margin"] == pytest.approx(45)
    only_meta = _summary(shop, observation_end=END, margin_rate={"Meta Ads": 0.3})
    assert only_meta.loc["shop:a", "gross_margin"] == pytest.approx(121)
    assert np.isnan(only_meta.loc["shop:c", "gross_margin"])


def test_default_observation_end_is_the_last_order_day(shop: Store) -> None:
    with shop.cursor() as cur:
        assert last_order_date(cur) == dt.date(2024, 3, 5)
    s = _summary(shop)
    assert s.attrs["observation_end"] == dt.date(2024, 3, 5)
    assert set(s.index) == {"shop:a", "shop:b", "shop:c", "shop:e"}
    # Jan 1 .. Mar 5 is 64 days; the 500 order is a fifth purchase day.
    assert s.loc["shop:a", "frequency"] == 4
    assert s.loc["shop:a", "recency"] == pytest.approx(64 / 7)
    assert s.loc["shop:a", "monetary_value"] == pytest.approx((40 + 60 + 40 + 500) / 4)


def test_statuses_and_filters(shop: Store) -> None:
    with_pending = _summary(shop, observation_end=END, status=("paid", "pending"))
    assert with_pending.loc["shop:a", "frequency"] == 4
    assert with_pending.loc["shop:a", "orders"] == 7
    assert list(_summary(shop, observation_end=END, channels=["Meta Ads"]).index) == ["shop:a"]
    assert list(_summary(shop, observation_end=END, channels=["Google Ads", "Meta Ads"]).index) == [
        "shop:a",
        "shop:b",
    ]
    late = _summary(shop, observation_end=END, first_purchase_from="2024-01-02")
    assert list(late.index) == ["shop:b", "shop:c"]
    early = _summary(shop, observation_end=END, first_purchase_to="2024-01-31")
    assert list(early.index) == ["shop:a"]
    assert _summary(shop, observation_end="2023-12-31").empty


def test_acquisition_channel_goes_through_the_aliases(shop: Store) -> None:
    before = _summary(shop, observation_end=END)
    assert before["acquisition_channel"].iloc[:2].tolist() == ["Meta Ads", "Google Ads"]
    # Aliases are compared without case, accents or extra spaces: "meta ads" names a's
    # customers-table channel "Meta Ads", " GOOGLE ads" b's first order's "Google Ads".
    # b's second order (on "Email") is not its first, so the "email" alias changes nothing.
    with shop.transaction() as cur:
        cur.executemany(
            "INSERT INTO channel_aliases (alias, channel) VALUES (?, ?)",
            [["meta ads", "Social"], [" GOOGLE ads", "Search"], ["email", "Newsletter"]],
        )
    s = _summary(shop, observation_end=END)
    assert s["acquisition_channel"].iloc[:2].tolist() == ["Social", "Search"]
    # c has neither a listed channel nor one on its first order: still unknown.
    assert pd.isna(before.loc["shop:c", "acquisition_channel"])
    assert pd.isna(s.loc["shop:c", "acquisition_channel"])
    # The channel filter reads the aliased names, and so does the margin rate per channel.
    assert list(_summary(shop, observation_end=END, channels=["Social"]).index) == ["shop:a"]
    assert _summary(shop, observation_end=END, channels=["Meta Ads", "Google Ads"]).empty
    by_channel = _summary(shop, observation_end=END, margin_rate={"Social": 0.3, "default": 0.5})
    assert by_channel.loc["shop:a", "gross_margin"] == pytest.approx(121)
    with shop.cursor() as cur:
        ch = calibration_holdout(cur, calibration_end="2024-02-05", observation_end=END)
    assert ch["acquisition_channel"].tolist() == ["Social", "Search"]


def test_invalid_arguments_say_what_to_do(shop: Store) -> None:
    with shop.cursor() as cur:
        with pytest.raises(ValueError, match="day, week, month"):
            customer_summary(cur, time_unit="fortnight")
        with pytest.raises(ValueError, match="between 0 and 1"):
            customer_summary(cur, margin_rate=60)
        with pytest.raises(ValueError, match="YYYY-MM-DD"):
            customer_summary(cur, observation_end="last tuesday")
        with pytest.raises(ValueError, match="normally only 'paid'"):
            customer_summary(cur, status=("shipped",))
        with pytest.raises(ValueError, match="must come before"):
            calibration_holdout(cur, calibration_end="2024-03-05")


def test_empty_store_asks_for_orders(tmp_store: Store) -> None:
    with tmp_store.cursor() as cur, pytest.raises(ValueError, match="import an orders file"):
        customer_summary(cur)


def test_hand_made_calibration_holdout(shop: Store) -> None:
    with shop.cursor() as cur:
        ch = calibration_holdout(cur, calibration_end="2024-01-20", observation_end=END)
    # Only a bought before the calibration end.
    assert list(ch.index) == ["shop:a"]
    a = ch.loc["shop:a"]
    assert (a["frequency_cal"], a["recency_cal"]) == (1, pytest.approx(14 / 7))
    assert a["T_cal"] == pytest.approx(19 / 7)
    assert a["monetary_value_cal"] == pytest.approx(40)
    # Holdout days Jan 29 (60) and Feb 10 (10 + 30).
    assert a["frequency_holdout"] == 2
    assert a["monetary_value_holdout"] == pytest.approx(50)
    assert a["duration_holdout"] == pytest.approx(40 / 7)
    assert ch.attrs["calibration_end"] == dt.date(2024, 1, 20)


def test_daily_purchases_of_a_cohort(shop: Store) -> None:
    with shop.cursor() as cur:
        daily = daily_purchases(cur, cohort_end="2024-01-31", observation_end=END)
    assert daily["day"].iloc[0] == dt.date(2024, 1, 1)
    assert daily["day"].iloc[-1] == dt.date(2024, 2, 29)
    assert len(daily) == 60
    assert daily["first_purchases"].sum() == 1
    repeat_days = daily.loc[daily["repeat_purchases"] > 0, "day"].tolist()
    assert repeat_days == [dt.date(2024, 1, 15), dt.date(2024, 1, 29), dt.date(2024, 2, 10)]


def test_compress_counts_identical_rows() -> None:
    summary = pd.DataFrame(
        {"frequency": [1, 0, 1, 1], "recency": [2.0, 0.0, 2.0, 3.0], "T": [5.0, 5.0, 5.0, 5.0]},
        index=pd.Index(["w", "x", "y", "z"], name="customer_id"),
    )
    summary.attrs = {"time_unit": "week"}
    rows = compress(summary)
    assert rows.to_dict("records") == [
        {"frequency": 0, "recency": 0.0, "T": 5.0, "weight": 1},
        {"frequency": 1, "recency": 2.0, "T": 5.0, "weight": 2},
        {"frequency": 1, "recency": 3.0, "T": 5.0, "weight": 1},
    ]
    assert rows.attrs == {"time_unit": "week"}
    with pytest.raises(ValueError, match="customer_summary"):
        compress(summary.drop(columns="T"))


# -- CDNOW: the SQL against lifetimes and against Hardie's published summary ---------------


@pytest.fixture(scope="module")
def cdnow(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    store = Store(
        tmp_path_factory.mktemp("cdnow") / "clv.duckdb",
        memory_limit="512MB",
        threads=1,
        pseudonym_key=b"test-key",
    )
    load_cdnow_sample(store)
    yield store
    store.close()


@pytest.fixture(scope="module")
def transactions() -> pd.DataFrame:
    """The raw CDNOW rows read with pandas, independently of the ingest path."""
    raw = pd.read_csv(
        DATASETS / "CDNOW_sample.txt",
        sep=r"\s+",
        header=None,
        names=["customer", "index", "date", "cds", "dollars"],
        dtype={"customer": str, "date": str},
    )
    return pd.DataFrame(
        {
            "customer_id": "cdnow:" + raw["customer"],
            "date": pd.to_datetime(raw["date"], format="%Y%m%d"),
            "value": raw["dollars"].astype(float),
            "index": raw["index"],
        }
    )


@pytest.mark.parametrize("end", ["1997-09-30", None])
def test_cdnow_summary_equals_lifetimes(
    cdnow: Store, transactions: pd.DataFrame, end: str | None
) -> None:
    with cdnow.cursor() as cur:
        ours = customer_summary(cur, observation_end=end)
    # Weeks as days / 7 exactly: daily periods, divided by a multiplier of 7.
    theirs = summary_data_from_transaction_data(
        transactions,
        "customer_id",
        "date",
        monetary_value_col="value",
        observation_period_end=end or transactions["date"].max(),
        freq="D",
        freq_multiplier=7,
    )
    assert len(ours) == len(theirs) == 2357
    theirs = theirs.reindex(ours.index)
    np.testing.assert_array_equal(ours["frequency"], theirs["frequency"])
    for column in ("recency", "T", "monetary_value"):
        np.testing.assert_allclose(ours[column], theirs[column], rtol=1e-12, atol=1e-9)


def test_cdnow_summary_equals_hardies_published_file(
    cdnow: Store, transactions: pd.DataFrame
) -> None:
    """``cdnow_customers_summary_with_transactions.csv``: x, t_x, T, zbar to 2 decimals."""
    published = pd.read_csv(DATASETS / "cdnow_customers_summary_with_transactions.csv")
    ids = transactions.drop_duplicates("index").set_index("index")["customer_id"]
    published.index = ids.reindex(published["ID"]).to_numpy()
    with cdnow.cursor() as cur:
        ours = customer_summary(cur, observation_end="1997-09-30").reindex(published.index)
    np.testing.assert_array_equal(ours["frequency"], published["x"])
    np.testing.assert_allclose(ours["recency"], published["t_x"], atol=0.005 + 1e-9)
    np.testing.assert_allclose(ours["T"], published["T"], atol=0.005 + 1e-9)
    np.testing.assert_allclose(ours["monetary_value"], published["zbar"], atol=0.005 + 1e-9)
    # 2,357 customers with 2,457 repeat purchase days in the 39 calibration weeks.
    assert ours["frequency"].sum() == 2457


def test_cdnow_calibration_holdout_equals_lifetimes(
    cdnow: Store, transactions: pd.DataFrame
) -> None:
    with cdnow.cursor() as cur:
        ours = calibration_holdout(cur, calibration_end="1997-09-30")
    theirs = calibration_and_holdout_data(
        transactions,
        "customer_id",
        "date",
        calibration_period_end="1997-09-30",
        observation_period_end="1998-06-30",
        freq="D",
        freq_multiplier=7,
        monetary_value_col="value",
    ).reindex(ours.index)
    for column in ("frequency_cal", "frequency_holdout"):
        np.testing.assert_array_equal(ours[column], theirs[column])
    for column in ("recency_cal", "T_cal", "monetary_value_cal", "duration_holdout"):
        np.testing.assert_allclose(ours[column], theirs[column], rtol=1e-12, atol=1e-9)
    assert ours["duration_holdout"].iloc[0] == 39.0
    # lifetimes averages raw holdout transactions; here same-day orders are one purchase.
    # Fed with day totals, lifetimes agrees.
    days = transactions.groupby(["customer_id", "date"], as_index=False)["value"].sum()
    by_day = calibration_and_holdout_data(
        days,
        "customer_id",
        "date",
        calibration_period_end="1997-09-30",
        observation_period_end="1998-06-30",
        freq="D",
        freq_multiplier=7,
        monetary_value_col="value",
    ).reindex(ours.index)
    np.testing.assert_allclose(
        ours["monetary_value_holdout"], by_day["monetary_value_holdout"], rtol=1e-12
    )
    # Independent count: distinct (customer, day) pairs after the calibration end.
    holdout = transactions[transactions["date"] > "1997-09-30"]
    assert ours["frequency_holdout"].sum() == len(holdout.drop_duplicates(["customer_id", "date"]))
    assert ours["frequency_holdout"].sum() == 1882


def test_cdnow_daily_purchases_add_up(cdnow: Store, transactions: pd.DataFrame) -> None:
    with cdnow.cursor() as cur:
        daily = daily_purchases(cur, cohort_end="1997-09-30")
    assert daily["first_purchases"].sum() == 2357
    distinct_days = len(transactions.drop_duplicates(["customer_id", "date"]))
    assert daily["repeat_purchases"].sum() == distinct_days - 2357
    assert (daily["day"].iloc[0], daily["day"].iloc[-1]) == (
        dt.date(1997, 1, 1),
        dt.date(1998, 6, 30),
    )


def test_the_derived_purchase_days_give_what_the_orders_give(
    shop: Store, cdnow: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Paid orders are summarised from the derived table of purchase days; any other set
    # of statuses from the orders. Forcing the orders path for the paid orders must give
    # the same frames, on the hand-made shop (costs, margins by channel, the customer
    # whose first day is the end) and on CDNOW.
    from clv.valuation import summary as module

    def frames(store: Store, end: str, cal_end: str) -> list[pd.DataFrame]:
        with store.cursor() as cur:
            return [
                customer_summary(
                    cur, observation_end=end, margin_rate={"Meta Ads": 0.3, "default": 0.5}
                ),
                calibration_holdout(cur, calibration_end=cal_end, observation_end=end),
                daily_purchases(cur, cohort_end=cal_end, observation_end=end),
            ]

    for store, end, cal_end in (
        (shop, "2024-02-29", "2024-01-31"),
        (cdnow, "1998-06-30", "1997-09-30"),
    ):
        derived_frames = frames(store, end, cal_end)
        with monkeypatch.context() as patch:
            patch.setattr(module, "_from_derived", lambda statuses: False)
            order_frames = frames(store, end, cal_end)
        for a, b in zip(derived_frames, order_frames, strict=True):
            assert len(a) > 0
            pd.testing.assert_frame_equal(a, b, check_exact=False, rtol=1e-12)

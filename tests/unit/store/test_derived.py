"""The per-customer facts kept in the store (clv.store.derived): same answers as computing them
from the orders on every query, and rebuilt whenever the data they depend on change."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from clv.compliance import gdpr
from clv.ingest.pipeline import import_file
from clv.metrics.acquisition import save_channel_aliases
from clv.metrics.filters import CHANNEL_KEY_SQL, NO_FILTERS, base_ctes
from clv.store import derived
from tests.kpi_shop import ALIASES, CUSTOMERS, ORDERS, hand_store
from tests.unit.ingest.test_import import stripe_payments_csv

# The definition of customer_channel as every query computed it before the facts were
# kept: first counted order up to the end, grouped from the orders on each call.
_F_KEY = CHANNEL_KEY_SQL.format("f.first_channel")
_C_KEY = CHANNEL_KEY_SQL.format("c.acquisition_channel")
_A_KEY = CHANNEL_KEY_SQL.format("alias")
FROM_ORDERS_SQL = f"""
WITH alias_map AS (
    SELECT {_A_KEY} AS alias_key, min(channel) AS channel FROM channel_aliases GROUP BY 1
),
first_orders AS (
    SELECT customer_id, min(ordered_at)::DATE AS first_day,
           arg_min_null(channel, (ordered_at, order_id)) AS first_channel
    FROM orders
    WHERE status = 'paid' AND customer_id IS NOT NULL AND ordered_at::DATE <= $end
    GROUP BY customer_id
)
SELECT coalesce(f.customer_id, c.customer_id) AS customer_id,
       f.first_day,
       date_trunc('month', f.first_day)::DATE AS cohort_month,
       CASE WHEN nullif(trim(c.acquisition_channel), '') IS NOT NULL
            THEN coalesce(mc.channel, trim(c.acquisition_channel))
            ELSE coalesce(mf.channel, nullif(trim(f.first_channel), '')) END AS channel
FROM first_orders f
FULL JOIN customers c ON c.customer_id = f.customer_id
LEFT JOIN alias_map mc ON mc.alias_key = {_C_KEY}
LEFT JOIN alias_map mf ON mf.alias_key = {_F_KEY}
ORDER BY 1
"""  # noqa: S608 (fixed pieces)


def _kept(cur, end: dt.date) -> list[tuple]:
    base, params = base_ctes(cur, NO_FILTERS, end)
    sql = f"{base} SELECT customer_id, first_day, cohort_month, channel FROM kept ORDER BY 1"
    return cur.execute(sql, params).fetchall()


def _from_orders(cur, end: dt.date) -> list[tuple]:
    return cur.execute(FROM_ORDERS_SQL, {"end": end}).fetchall()


@pytest.fixture
def shop(tmp_path):
    store = hand_store(tmp_path / "d.duckdb", ORDERS, CUSTOMERS)
    save_channel_aliases(store, ALIASES)
    yield store
    store.close()


# Ends before every order, inside the history (first orders of some customers after it),
# on the last day, and after it.
ENDS = [dt.date(2023, 1, 1), dt.date(2024, 1, 31), dt.date(2024, 2, 15), dt.date(2030, 1, 1)]


@pytest.mark.parametrize("end", ENDS)
def test_kept_facts_equal_the_per_query_computation(shop, end):
    with shop.cursor() as cur:
        expected = _from_orders(cur, end)
        assert _kept(cur, end) == expected
    # the hand-made shop has customers without orders, listed customers with and without
    # a channel, and first orders on both sides of the middle ends
    assert len(expected) >= 5


def test_the_table_follows_imports_aliases_and_deletions(shop):
    end = dt.date(2030, 1, 1)
    with shop.cursor() as cur:
        assert _kept(cur, end) == _from_orders(cur, end)
        built = derived.data_version(cur)
        # nothing changed: no rebuild
        assert derived.ensure(cur) is False

    save_channel_aliases(shop, {"google": "Search", "Meta Ads": "Social"})
    with shop.cursor() as cur:
        assert derived.data_version(cur) != built
        channels = {row[3] for row in _kept(cur, end)}
        assert _kept(cur, end) == _from_orders(cur, end)
    assert "Social" in channels

    report = import_file(shop, stripe_payments_csv(), "payments.csv")
    with shop.cursor() as cur:
        after_import = _kept(cur, end)
        assert after_import == _from_orders(cur, end)
    shop.delete_import(report.import_id)
    with shop.cursor() as cur:
        assert _kept(cur, end) == _from_orders(cur, end)
        assert len(_kept(cur, end)) < len(after_import)


def test_unrelated_settings_do_not_rebuild_but_the_consent_switch_does(shop):
    with shop.cursor() as cur:
        derived.ensure(cur)
    shop.set_setting("clv_unrelated", 1)
    with shop.cursor() as cur:
        assert derived.ensure(cur) is False
    # The consent switch is part of the store's one data version
    # (clv.store.definitions.data_version), so turning it rebuilds the tables once (the
    # queries still apply it: the tables hold the refusers either way).
    gdpr.set_respect_consent(shop, True)
    with shop.cursor() as cur:
        assert derived.ensure(cur) is True
        assert derived.ensure(cur) is False


def test_an_erasure_leaves_no_pseudonym_in_the_derived_table(tmp_store):
    import_file(tmp_store, stripe_payments_csv(), "payments.csv")
    end = dt.date(2030, 1, 1)
    preview = gdpr.preview_erasure(tmp_store, "carol@example.com")
    assert preview.customer_ids
    with tmp_store.cursor() as cur:
        ids = {row[0] for row in _kept(cur, end)}
        assert set(preview.customer_ids) & ids
    gdpr.erase_customer(tmp_store, "carol@example.com", compact=False)
    with tmp_store.cursor() as cur:
        # dropped in the erasure's transaction, before any query rebuilds it
        tables = {
            row[0]
            for row in cur.execute(
                "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database()"
            ).fetchall()
        }
        assert derived.TABLE not in tables
        ids = {row[0] for row in _kept(cur, end)}
        assert not set(preview.customer_ids) & ids
        assert _kept(cur, end) == _from_orders(cur, end)


def _paid_from_pandas(store, end: dt.date):
    """Rank of each counted order up to ``end`` among its customer's, and the days since
    the previous purchase day on the first order of each later purchase day, in pandas."""
    with store.cursor() as cur:
        orders = cur.execute(
            "SELECT order_id, customer_id, ordered_at FROM orders "
            "WHERE status = 'paid' AND customer_id IS NOT NULL AND ordered_at::DATE <= ?",
            [end],
        ).df()
    orders = orders.sort_values(["customer_id", "ordered_at", "order_id"])
    orders["rank"] = orders.groupby("customer_id").cumcount() + 1
    orders["day"] = orders["ordered_at"].dt.normalize()
    days = orders.drop_duplicates(["customer_id", "day"]).copy()
    days["gap"] = days.groupby("customer_id")["day"].diff().dt.days
    orders = orders.merge(
        days[["order_id", "gap"]], on="order_id", how="left", validate="one_to_one"
    )
    return sorted(
        (row.order_id, int(row.rank), None if pd.isna(row.gap) else int(row.gap))
        for row in orders.itertuples()
    )


@pytest.mark.parametrize("end", ENDS)
def test_order_ranks_and_gaps_equal_an_independent_computation(shop, end):
    # same-day repeat orders and several purchase days per customer
    hand_store_extra = [
        ("x1", "X", "2024-01-05 09:00", "paid", 10, None, "Web"),
        ("x2", "X", "2024-01-05 18:00", "paid", 20, None, "Web"),
        ("x0", "X", "2024-01-05 18:00", "paid", 5, None, "Web"),
        ("x3", "X", "2024-01-20 08:00", "paid", 30, None, "Web"),
        ("x4", "X", "2024-01-20 09:00", "cancelled", 30, None, "Web"),
        ("x5", "X", "2024-03-01 08:00", "paid", 40, None, "Web"),
    ]
    store = hand_store(shop.path.with_name("x.duckdb"), [*ORDERS, *hand_store_extra], CUSTOMERS)
    try:
        with store.cursor() as cur:
            base, params = base_ctes(cur, NO_FILTERS, end)
            got = cur.execute(
                f"{base} SELECT order_id, order_rank, day_gap FROM paid ORDER BY 1", params
            ).fetchall()
            second = dict(
                cur.execute(f"{base} SELECT customer_id, second_day FROM kept", params).fetchall()
            )
        expected = _paid_from_pandas(store, end)
        assert got == expected
        # the second purchase day is the first order day with a gap
        gaps = [(oid, gap) for oid, _, gap in expected if gap is not None]
        if end >= dt.date(2024, 1, 20):
            assert ("x3", 15) in gaps
            assert second["X"] == dt.date(2024, 1, 20)
        elif end >= dt.date(2024, 1, 5):
            assert second["X"] is None
    finally:
        store.close()


@pytest.mark.parametrize("end", ENDS)
def test_last_purchase_days_up_to_the_end_equal_pandas(shop, end):
    """Churn and survival read each customer's last purchase day up to the end: the stored
    last day when nothing follows the end, else the orders up to it."""
    from clv.metrics.retention import _customer_lifetimes_sql

    with shop.cursor() as cur:
        sql, params = _customer_lifetimes_sql(cur, NO_FILTERS, end, "cohort", None)
        got = sorted(
            cur.execute(f"{sql} SELECT grp, first_day, last_day FROM lifetimes", params).fetchall()
        )
        orders = cur.execute(
            "SELECT customer_id, ordered_at::DATE AS day FROM orders "
            "WHERE status = 'paid' AND customer_id IS NOT NULL AND ordered_at::DATE <= ?",
            [end],
        ).df()
    days = orders.groupby("customer_id")["day"].agg(["min", "max"])
    expected = sorted(
        (first.date().replace(day=1), first.date(), last.date())
        for first, last in zip(days["min"], days["max"], strict=True)
    )
    assert got == expected
    if end == dt.date(2024, 1, 31):
        # A bought again in February: their last day up to the end is in January
        assert any(last == dt.date(2024, 1, 10) for _, _, last in got)


def test_a_table_built_by_another_layout_is_rebuilt(shop, monkeypatch):
    with shop.cursor() as cur:
        derived.ensure(cur)
        monkeypatch.setattr(derived, "_LAYOUT", "another-release")
        assert derived.ensure(cur) is True
        assert derived.ensure(cur) is False


def test_a_write_while_the_tables_are_rebuilt_commits_without_a_disk_warning(tmp_store):
    """DuckDB refuses a checkpoint while another connection writes (a rebuild of the
    derived tables for a page): the write is committed and the user is not told to check
    their disk."""
    rebuilding = tmp_store.cursor()
    rebuilding.execute("BEGIN TRANSACTION")
    rebuilding.execute("CREATE TABLE scratch AS SELECT 1 AS x")
    try:
        tmp_store.set_setting("clv_unrelated", 7)
    finally:
        rebuilding.execute("ROLLBACK")
        rebuilding.close()
    assert tmp_store.get_setting("clv_unrelated") == 7
    assert tmp_store.notices == []

"""The store: schema migrations, upserts by natural key, all-or-nothing transactions."""

from __future__ import annotations

import pandas as pd
import pytest

from clv.store import MIGRATIONS, Store, StoreBusy, upsert_table


def _orders(**overrides: list) -> pd.DataFrame:
    base = {
        "order_id": ["shop:1", "shop:2"],
        "customer_id": ["c_a", None],
        "is_guest": [False, True],
        "ordered_at": pd.to_datetime(["2024-01-01 10:00", "2024-01-02 11:00"]),
        "status": ["paid", "paid"],
        "currency": ["EUR", "EUR"],
        "gross_amount": [10.50, 20.00],
        "discount_amount": [0.0, 0.0],
        "refunded_amount": [0.0, 0.0],
        "net_amount": [10.50, 20.00],
        "source": ["shop", "shop"],
    }
    base.update(overrides)
    return pd.DataFrame(base)


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "t.duckdb", pseudonym_key=b"k")
    yield s
    s.close()


def test_new_file_gets_every_migration(store):
    assert store.schema_version() == len(MIGRATIONS)
    assert store.is_empty()
    assert list(store.status()["table"]) == [
        "customers", "orders", "order_lines", "marketing_spend", "nps_responses", "support_tickets",
    ]  # fmt: skip


def test_reopening_applies_nothing_twice(tmp_path):
    path = tmp_path / "t.duckdb"
    Store(path, pseudonym_key=b"k").close()
    with Store(path, pseudonym_key=b"k") as again, again.cursor() as cur:
        assert cur.execute("SELECT count(*) FROM schema_version").fetchone()[0] == len(MIGRATIONS)


def test_upsert_counts_new_changed_and_identical_rows(store):
    with store.transaction() as cur:
        first = upsert_table(cur, "orders", _orders(), 1)
    assert (first.loaded, first.updated, first.unchanged) == (2, 0, 0)
    # Order 2 changed (a refund arrived), order 1 is the same, order 3 is new.
    newer = _orders(
        order_id=["shop:1", "shop:2"], refunded_amount=[0.0, 5.0], net_amount=[10.50, 15.00]
    )
    newer = pd.concat([newer, _orders().iloc[[0]].assign(order_id="shop:3")], ignore_index=True)
    with store.transaction() as cur:
        second = upsert_table(cur, "orders", newer, 2)
    assert (second.loaded, second.updated, second.unchanged) == (1, 1, 1)
    with store.cursor() as cur:
        rows = cur.execute(
            "SELECT order_id, net_amount, import_id FROM orders ORDER BY 1"
        ).fetchall()
    # The unchanged order keeps the import that wrote it; the replaced one belongs to import 2.
    assert [(r[0], float(r[1]), r[2]) for r in rows] == [
        ("shop:1", 10.5, 1), ("shop:2", 15.0, 2), ("shop:3", 10.5, 2),
    ]  # fmt: skip


def test_failed_transaction_leaves_the_store_as_it_was(store):
    with store.transaction() as cur:
        upsert_table(cur, "orders", _orders(), 1)
    with pytest.raises(RuntimeError), store.transaction() as cur:
        upsert_table(cur, "orders", _orders(order_id=["shop:8", "shop:9"]), 2)
        raise RuntimeError("crash in the middle of an import")
    with store.cursor() as cur:
        assert cur.execute("SELECT count(*) FROM orders").fetchone()[0] == 2


def test_check_constraint_rejects_a_status_outside_the_vocabulary(store):
    with pytest.raises(Exception, match="CHECK"), store.transaction() as cur:
        upsert_table(cur, "orders", _orders(status=["paid", "shipped"]), 1)
    with store.cursor() as cur:
        assert cur.execute("SELECT count(*) FROM orders").fetchone()[0] == 0


def test_delete_import_removes_its_rows_and_orphan_lines(store):
    lines = pd.DataFrame(
        {"order_id": ["shop:1"], "line_no": [1], "product_name": ["Bougie"], "line_amount": [10.5]}
    )
    with store.transaction() as cur:
        cur.execute(
            "INSERT INTO imports (import_id, file_name, sha256, kind, source_preset, imported_at) "
            "VALUES (1, 'a.csv', 'x', 'orders', 'shop', now()::TIMESTAMP)"
        )
        upsert_table(cur, "orders", _orders(), 1)
        upsert_table(cur, "order_lines", lines, 1)
    removed = store.delete_import(1)
    assert removed["orders"] == 2
    assert store.is_empty()
    with store.cursor() as cur:
        assert cur.execute("SELECT count(*) FROM order_lines").fetchone()[0] == 0
    with pytest.raises(ValueError, match="no import number 1"):
        store.delete_import(1)


def test_settings_round_trip(store):
    assert store.get_setting("margin_rate", 0.4) == 0.4
    store.set_setting("margin_rate", 0.55)
    store.set_setting("margin_rate", 0.6)
    assert store.get_setting("margin_rate") == 0.6


def test_second_process_gets_a_clear_message(tmp_path):
    import subprocess
    import sys

    path = tmp_path / "t.duckdb"
    holder = subprocess.Popen(
        [sys.executable, "-c",
         f"import duckdb, time; c = duckdb.connect({str(path)!r}); print('ready', flush=True); time.sleep(30)"],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout.readline().strip() == "ready"
        with pytest.raises(StoreBusy, match="in use by another program"):
            Store(path, pseudonym_key=b"k", wait_seconds=1.0)
    finally:
        holder.kill()
        holder.wait()

"""The streaming import (clv.ingest.bulk) against the in-memory pipeline.

Both import the same files into two stores with the same pseudonym key; the stores
must agree on every stored order, every rejected row (line, reason, excerpt) and the
import log (rows read, loaded, rejected, notes). The files are built to hit every rule
of ``normalize_orders``: padded and guarded ids, words for "no value", unknown and
French statuses, cancellations, refunds, test orders, orders over several rows, rows
without an order id, day-first dates, invalid dates, amounts written the French way,
negative and invalid amounts, upper-case and non-ASCII emails, guests, blank rows, a
title line and a ``Total`` row.
"""

from __future__ import annotations

import csv
import io
import random
from pathlib import Path

import pandas as pd
import pytest

from clv.ingest import bulk
from clv.ingest.pipeline import import_path
from clv.ingest.types import FileProblem
from clv.store import Store

KEY = b"bulk-test-key-0123456789abcdef"

HEADER = [
    "Order",
    "Email",
    "Client ref",
    "Date",
    "Status",
    "Total",
    "Discount",
    "Refunded",
    "Net",
    "Cost",
    "Currency",
    "Channel",
    "Country",
    "Cancelled",
    "Payment",
    "Tags",
    "Note",
]
MAPPING = {
    "order_id": "Order",
    "customer_email": "Email",
    "customer_ref": "Client ref",
    "ordered_at": "Date",
    "status": "Status",
    "total_amount": "Total",
    "discount_amount": "Discount",
    "refunded_amount": "Refunded",
    "net_amount": "Net",
    "cost_amount": "Cost",
    "currency": "Currency",
    "channel": "Channel",
    "country": "Country",
    "cancelled_at": "Cancelled",
    "payment_method": "Payment",
    "tags": "Tags",
}

EMAILS = [
    "a@shop.fr",
    "A@Shop.FR",
    " b@shop.fr ",
    "Élodie@exemple.fr",
    "c@shop.fr",
    "n/a",
    "",
    "null",
    "d\u00a0@shop.fr",
]
REFS = ["", "", "R1", " R2 ", "'0042", "-"]
ISO_DATES = ["2023-01-05 10:00:00", "2023-02-28", "2023-03-01T08:30:00", "2024-02-29 23:59:59"]
OTHER_DATES = [
    "05/01/2023",
    "13/02/2023",
    "2023-02-30",
    "31/12/2023 14:00",
    "not a date",
    "1899-12-31",
    "",
    "7 janv. 2024",
]
STATUSES = ["paid", "Paiement accepté", "refunded", "cancelled", "weird", "", "test", "PENDING"]
TOTALS = ["-5", "abc", "", "0", "$30", "(4.00)", "--"]
# Odd seeds write amounts with a decimal point, even seeds the French way.
AMOUNTS = (["12,50", "7,125", "19,99", "1 234,56 €"], ["12.50", "7.125", "19.99", "0.135"])
SMALL = ["", "", "", "1.00", "-2", "x", "0.5"]
CURRENCIES = ["EUR", "eur", "", "usd"]
CHANNELS = ["Google Ads", "(not set)", "", " Meta "]


def _pick(rng: random.Random, good: list[str], bad: list[str], share_bad: float = 0.15) -> str:
    return rng.choice(bad if rng.random() < share_bad else good)


def _row(rng: random.Random, order: str, dates: list[str], seed: int) -> list[str]:
    return [
        order,
        _pick(rng, EMAILS[:5], EMAILS[5:], 0.2),
        _pick(rng, REFS[:2], REFS[2:], 0.4),
        rng.choice(dates),
        _pick(rng, STATUSES[:2], STATUSES[2:], 0.3),
        _pick(rng, AMOUNTS[seed % 2], TOTALS),
        _pick(rng, [""], SMALL[1:], 0.2),
        _pick(rng, [""], SMALL[1:], 0.2),
        _pick(rng, [""], SMALL[1:] + ["10"], 0.2),
        _pick(rng, [""], SMALL[1:], 0.2),
        rng.choice(CURRENCIES),
        rng.choice(CHANNELS),
        rng.choice(["FR", "", "n/a"]),
        _pick(rng, [""], ["2023-02-01"], 0.1),
        _pick(rng, ["card", ""], ["Bogus Gateway"], 0.05),
        _pick(rng, ["", "vip"], ["test, vip"], 0.05),
        rng.choice(["note", ""]),
    ]


def _orders_file(path: Path, seed: int, *, order_ids: bool = True, iso_share: float = 0.8) -> Path:
    rng = random.Random(seed)
    rows = []
    for i in range(400):
        dates = ISO_DATES if rng.random() < iso_share else OTHER_DATES
        order = rng.choice([f"#{i}", f" {i} ", f"'{i}", "", "null", f"#{i // 3}"])
        row = _row(rng, order, dates, seed)
        if rng.random() < 0.05:
            row = [""] * len(HEADER)  # a blank row: skipped by both readers
        rows.append(row)
    header = HEADER if order_ids else [h for h in HEADER if h != "Order"]
    out = io.StringIO()
    out.write("Export des commandes\n")
    writer = csv.writer(out, delimiter=";" if seed % 2 else ",", lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(row if order_ids else row[1:])
    writer.writerow(["Total", *[""] * (len(header) - 1)])
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def _import(tmp_path: Path, name: str, file: Path, engine: str, mapping: dict) -> Store:
    store = Store(tmp_path / f"{name}.duckdb", pseudonym_key=KEY)
    import_path(store, file, kind="orders", source="shop", mapping=mapping, engine=engine)
    return store


def _contents(store: Store) -> dict[str, pd.DataFrame]:
    with store.cursor() as cur:
        orders = cur.execute("SELECT * EXCLUDE (import_id) FROM orders ORDER BY order_id").df()
        rejected = cur.execute(
            "SELECT line_no, reason, raw_line FROM rejected_rows ORDER BY line_no"
        ).df()
        log = cur.execute(
            "SELECT file_name, sha256, kind, source_preset, rows_read, rows_loaded, "
            "rows_updated, rows_unchanged, rows_rejected, notes FROM imports"
        ).df()
    return {"orders": orders, "rejected": rejected, "log": log}


def _assert_same(memory: Store, stream: Store) -> dict[str, pd.DataFrame]:
    a, b = _contents(memory), _contents(stream)
    for table in a:
        pd.testing.assert_frame_equal(a[table], b[table], check_dtype=False, obj=table)
    return a


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_stream_and_memory_store_the_same(tmp_path: Path, seed: int) -> None:
    file = _orders_file(tmp_path / f"orders_{seed}.csv", seed)
    memory = _import(tmp_path, "memory", file, "memory", MAPPING)
    stream = _import(tmp_path, "stream", file, "stream", MAPPING)
    contents = _assert_same(memory, stream)
    # The file did exercise the rules: kept orders, guests, several reasons, notes.
    assert len(contents["orders"]) > 60
    assert contents["orders"]["is_guest"].any()
    reasons = contents["rejected"]["reason"].str.replace(r":.*$", "", regex=True)
    assert {"missing order id", "order total is not a number", "missing order date"} <= set(reasons)
    assert {"test", "paid", "refunded", "cancelled"} <= set(contents["orders"]["status"])
    # Amounts that sit exactly between two cents are rounded half to even, as pandas does.
    assert (contents["orders"]["gross_amount"].astype(float) == 7.12).any()
    assert "Dropped 1 total row(s)" in contents["log"]["notes"][0]


def test_rows_without_order_id_get_the_same_derived_ids(tmp_path: Path) -> None:
    file = _orders_file(tmp_path / "no_ids.csv", 6, order_ids=False)
    mapping = {k: v for k, v in MAPPING.items() if k != "order_id"}
    memory = _import(tmp_path, "memory", file, "memory", mapping)
    stream = _import(tmp_path, "stream", file, "stream", mapping)
    contents = _assert_same(memory, stream)
    assert "The file has no order id" in contents["log"]["notes"][0]


def test_day_first_dates_decide_the_same_way(tmp_path: Path) -> None:
    # Few ISO dates: the day/month vote and its note come from the other values.
    file = _orders_file(tmp_path / "dates.csv", 8, iso_share=0.1)
    memory = _import(tmp_path, "memory", file, "memory", MAPPING)
    stream = _import(tmp_path, "stream", file, "stream", MAPPING)
    contents = _assert_same(memory, stream)
    assert "order date not understood" in " ".join(contents["rejected"]["reason"])


def _plain_file(path: Path, body: str) -> Path:
    path.write_text("Order,Email,Date,Total\n" + body, encoding="utf-8")
    return path


PLAIN = {
    "order_id": "Order",
    "customer_email": "Email",
    "ordered_at": "Date",
    "total_amount": "Total",
}


def test_multi_line_cells_are_refused_by_the_stream_and_taken_in_memory(tmp_path: Path) -> None:
    file = _plain_file(
        tmp_path / "multi.csv", '1,a@x.fr,2023-01-01,"12\n.00"\n2,b@x.fr,2023-01-02,5\n'
    )
    store = Store(tmp_path / "s.duckdb", pseudonym_key=KEY)
    with pytest.raises(FileProblem, match="streaming"):
        import_path(store, file, kind="orders", mapping=PLAIN, engine="stream")
    with store.cursor() as cur:
        assert cur.execute("SELECT count(*) FROM imports").fetchall() == [(0,)]
    report = import_path(store, file, kind="orders", mapping=PLAIN, engine="auto")
    assert (report.rows_loaded, report.rows_rejected) == (1, 1)


def test_a_file_with_nothing_usable_leaves_the_store_as_it_was(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.duckdb", pseudonym_key=KEY)
    good = _plain_file(tmp_path / "good.csv", "1,a@x.fr,2023-01-01,12.00\n")
    import_path(store, good, kind="orders", mapping=PLAIN, engine="stream")
    before = _contents(store)
    bad = _plain_file(tmp_path / "bad.csv", "2,b@x.fr,yesterday,12.00\n3,c@x.fr,2023-01-01,abc\n")
    with pytest.raises(FileProblem, match="No row of this file could be imported"):
        import_path(store, bad, kind="orders", mapping=PLAIN, engine="stream")
    after = _contents(store)
    for table in before:
        pd.testing.assert_frame_equal(before[table], after[table])
    # No scratch file is left next to the store.
    assert not list(tmp_path.glob("clv-import-*"))


def test_reimport_counts_unchanged_and_updated_rows_as_the_memory_path(tmp_path: Path) -> None:
    first = _plain_file(tmp_path / "v1.csv", "1,a@x.fr,2023-01-01,10\n2,b@x.fr,2023-01-02,20\n")
    second = _plain_file(
        tmp_path / "v2.csv",
        "1,a@x.fr,2023-01-01,10\n2,b@x.fr,2023-01-02,25\n3,c@x.fr,2023-01-03,5\n",
    )
    counts = {}
    for engine in ("memory", "stream"):
        store = Store(tmp_path / f"{engine}.duckdb", pseudonym_key=KEY)
        import_path(store, first, kind="orders", mapping=PLAIN, engine=engine)
        report = import_path(store, second, kind="orders", mapping=PLAIN, engine=engine)
        counts[engine] = (report.rows_loaded, report.rows_updated, report.rows_unchanged)
    assert counts["stream"] == counts["memory"] == (1, 1, 1)


def test_presets_and_line_items_go_to_the_memory_path(tmp_path: Path) -> None:
    file = _plain_file(tmp_path / "lines.csv", "1,a@x.fr,2023-01-01,12.00\n")
    store = Store(tmp_path / "s.duckdb", pseudonym_key=KEY)
    with pytest.raises(bulk.NotBulk, match="line items"):
        bulk.plan(
            store,
            file,
            "lines.csv",
            kind="orders",
            source=None,
            mapping={**PLAIN, "line_amount": "Total"},
        )


def test_cells_are_cleaned_by_sql_as_the_memory_reader_cleans_them(tmp_path: Path) -> None:
    # Unicode white space of every kind Python's str.strip() and Arrow's trim remove,
    # Excel's apostrophe guard (on ids and on text), quoted cells holding the delimiter,
    # doubled quotes and nothing at all, and a row blank but for a quoted empty cell in
    # a column that is not mapped.
    body = (
        "Order,Email,Date,Total,Note\n"
        '\u2003 1\t,"a@x.fr\u3000",2023-01-01,"12.00",x\n'
        "'0042,\u00a0B@X.FR ,2023-01-02 10:00:00,' 7.5,\n"
        '" 3 ","c@x.fr, d",2023-01-03,"5",\u2028\n'
        ',,,,""\n'
        '4,"say ""hi""@x.fr",n/a,5,\n'
        "5,e@x.fr,\u00a02023-01-05\u00a0,'(not set),\n"
        "'',f@x.fr,2023-01-06,6,\n"
    )
    file = tmp_path / "spaces.csv"
    file.write_text(body, encoding="utf-8")
    mapping = {**PLAIN}
    memory = _import(tmp_path, "memory", file, "memory", mapping)
    stream = _import(tmp_path, "stream", file, "stream", mapping)
    contents = _assert_same(memory, stream)
    # Trimmed ids (white space of every kind, guard removed; a lone guard stays an id).
    assert sorted(contents["orders"]["order_id"]) == ["shop:'", "shop:0042", "shop:1", "shop:3"]
    assert sorted(contents["orders"]["gross_amount"].astype(float)) == [5.0, 6.0, 7.5, 12.0]
    assert list(contents["rejected"]["line_no"]) == [6, 7]
    assert list(contents["rejected"]["reason"]) == ["missing order date", "missing order total"]
    # Seven data rows, one blank (a quoted empty cell in an unmapped column).
    assert int(contents["log"]["rows_read"][0]) == 6


def test_a_windows_1252_file_goes_through_arrow_and_stores_the_same(tmp_path: Path) -> None:
    file = tmp_path / "cp1252.csv"
    file.write_bytes(
        "Order;Email;Date;Total\n1;élodie@x.fr;05/01/2023;12,50 €\n2;b@x.fr;06/01/2023;3\n".encode(
            "cp1252"
        )
    )
    mapping = {**PLAIN}
    used = []
    original = bulk._stream

    def stream(*args, **kwargs):
        used.append("arrow")
        return original(*args, **kwargs)

    bulk._stream = stream
    try:
        memory = _import(tmp_path, "memory", file, "memory", mapping)
        streamed = _import(tmp_path, "stream", file, "stream", mapping)
    finally:
        bulk._stream = original
    contents = _assert_same(memory, streamed)
    assert used == ["arrow"]
    assert sorted(contents["orders"]["gross_amount"].astype(float)) == [3.0, 12.5]


def test_a_row_of_another_width_is_refused_by_the_sql_reader_and_taken_in_memory(
    tmp_path: Path,
) -> None:
    file = _plain_file(tmp_path / "ragged.csv", "1,a@x.fr,2023-01-01,12.00\n2,b@x.fr,2023-01-02\n")
    store = Store(tmp_path / "s.duckdb", pseudonym_key=KEY)
    with pytest.raises(FileProblem, match="streaming"):
        import_path(store, file, kind="orders", mapping=PLAIN, engine="stream")
    report = import_path(store, file, kind="orders", mapping=PLAIN, engine="auto")
    assert report.rows_loaded == 1

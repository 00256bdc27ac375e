"""The benchmark harness runs end to end on a tiny file (no timing is checked here)."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

from bench import generate, run


def test_generated_file_has_the_rows_asked_and_reads_as_a_generic_orders_export(tmp_path):
    files = generate.generate(tmp_path, 2_000, seed=3)
    with open(files.orders, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 2_000
    assert list(rows[0]) == list(generate.ORDER_COLUMNS)
    assert len({r["Order ID"] for r in rows}) == 2_000
    emails = {r["Customer Email"] for r in rows if r["Customer Email"]}
    assert len(emails) == files.customers
    # About four orders per customer: the BG/NBD parameters are tuned for it.
    assert 2.5 < 2_000 / files.customers < 6
    assert {r["Status"] for r in rows} <= {"paid", "refunded", "cancelled", "test"}
    assert min(r["Order Date"] for r in rows) >= "2021-01-01"
    assert max(r["Order Date"] for r in rows) < "2024-01-01"
    # The mapping names only columns the file has.
    mapping = json.loads(Path(files.orders_mapping).read_text(encoding="utf-8"))
    assert set(mapping["columns"].values()) <= set(generate.ORDER_COLUMNS)


def test_same_seed_same_bytes(tmp_path):
    a = generate.generate(tmp_path / "a", 1_500, seed=9)
    b = generate.generate(tmp_path / "b", 1_500, seed=9)
    with open(a.orders, "rb") as fa, open(b.orders, "rb") as fb:
        assert fa.read() == fb.read()


@pytest.mark.parametrize(
    ("text", "rows", "label"),
    [
        ("2500", 2_500, "2500"),
        ("2000", 2_000, "2k"),
        ("100k", 100_000, "100k"),
        ("1.5M", 1_500_000, "1500k"),
        ("10M", 10_000_000, "10M"),
    ],
)
def test_row_counts_read_and_print(text, rows, label):
    assert generate.parse_count(text) == rows
    assert generate.count_label(rows) == label


def test_report_from_a_tiny_run(tmp_path):
    out = tmp_path / "performance.md"
    out.write_text("# Performance\n\nKept text.\n\n<!-- bench:begin -->\nold\n<!-- bench:end -->\n")
    work = tmp_path / "work"
    code = run.main(
        [
            "--sizes", "2000",
            "--repeats", "1",
            "--out", str(out),
            "--work", str(work),
            "--timeout", "600",
        ]
    )  # fmt: skip
    assert code == 0
    text = out.read_text(encoding="utf-8")
    assert "Kept text." in text and "\nold\n" not in text

    # Every step ran and succeeded, in its own process.
    results = json.loads((work / "results.json").read_text(encoding="utf-8"))
    runs = results["sizes"][0]["runs"]
    for step in ("floor", "ingest", "analysis", "reference"):
        assert [r["status"] for r in runs[step]] == ["ok"], runs[step]
        assert runs[step][0]["peak_mb"] > 20  # a Python process with pandas or DuckDB

    # Ours, the floor and the reference saw the same customers (paid orders with an email).
    customers = {
        step: runs[step][0]["info"]["customers"] for step in ("floor", "analysis", "reference")
    }
    assert len(set(customers.values())) == 1, customers
    assert runs["ingest"][0]["info"]["rows_read"] == 2_000
    # The same BG/NBD likelihood on the same data: alpha in weeks (ours) is alpha in days / 7.
    ours = runs["analysis"][0]["info"]["fit_params"]
    reference = runs["reference"][0]["info"]["fit_params"]
    assert ours["r"] == pytest.approx(reference["r"], rel=0.02)
    assert ours["alpha"] * 7 == pytest.approx(reference["alpha"], rel=0.02)

    # The table holds the three pipelines with figures, not dashes.
    for title in (
        "floor: DuckDB read_csv + GROUP BY customer",
        "ours: import (`python -m clv ingest`)",
        "ours: per-customer summary",
        "ours: BG/NBD fit on distinct rows",
        "reference: total",
    ):
        line = next(line for line in text.splitlines() if line.startswith(f"| {title} |"))
        cells = [c.strip() for c in line.strip("|").split("|")][1:]
        seconds = float(cells[0])
        assert 0 < seconds < 600, line
        if cells[2]:
            assert 20 < float(cells[2].replace(",", "")) < 100_000, line
    for row in ("ours/floor", "reference/ours"):
        line = next(line for line in text.splitlines() if line.startswith(f"| {row} |"))
        assert re.search(r"\d+\.\d\d×", line), line
    for page in ("Overview", "Acquisition", "Retention", "Loyalty"):
        assert any(line.startswith(f"| {page} |") for line in text.splitlines()), page
    assert "Voice of customer: no NPS answers" in text

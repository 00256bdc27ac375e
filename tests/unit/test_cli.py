"""``python -m clv``: JSON reports, exit codes, and the store left intact on a file problem."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from tests.unit.ingest.test_import import google_ads_report_csv, stripe_payments_csv

ROOT = Path(__file__).resolve().parents[2]


def run_cli(*args: str, db: Path) -> tuple[int, dict]:
    env = {**os.environ, "CLV_DB": str(db), "CLV_PSEUDONYM_KEY": "cli-test-key"}
    done = subprocess.run(
        [sys.executable, "-m", "clv", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return done.returncode, json.loads(done.stdout)


def test_ingest_prints_the_report_and_status_counts_it(tmp_path):
    db = tmp_path / "clv.duckdb"
    payments = tmp_path / "unified_payments.csv"
    payments.write_bytes(stripe_payments_csv())
    code, report = run_cli("ingest", str(payments), db=db)
    assert code == 0
    assert report["kind"] == "orders" and report["source"] == "stripe_payments"
    assert (report["rows_read"], report["rows_loaded"], report["rows_rejected"]) == (5, 4, 0)
    code, again = run_cli("ingest", str(payments), db=db)
    assert code == 0 and again["rows_loaded"] == 0 and again["duplicates"] == 4
    code, status = run_cli("status", db=db)
    assert code == 0 and status["tables"]["orders"]["rows"] == 4
    assert status["tables"]["orders"]["first"] == "2024-06-07"


def test_ingest_with_a_mapping_file(tmp_path):
    db = tmp_path / "clv.duckdb"
    export = tmp_path / "ventes.csv"
    export.write_text("Commande;Jour;Courriel;Montant\nA1;13/01/2024;x@exemple.fr;12,50\n", "utf-8")
    mapping = tmp_path / "mapping.json"
    mapping.write_text(
        json.dumps(
            {
                "kind": "orders",
                "source": "ma_boutique",
                "columns": {
                    "order_id": "Commande",
                    "ordered_at": "Jour",
                    "customer_email": "Courriel",
                    "total_amount": "Montant",
                },
            }
        ),
        "utf-8",
    )
    code, report = run_cli("ingest", str(export), "--mapping", str(mapping), db=db)
    assert code == 0, report
    assert (report["source"], report["rows_loaded"]) == ("ma_boutique", 1)


def test_file_problem_exits_2_and_stores_nothing(tmp_path):
    db = tmp_path / "clv.duckdb"
    ads = tmp_path / "Campaign report.csv"
    ads.write_bytes(google_ads_report_csv())
    assert run_cli("ingest", str(ads), db=db)[0] == 0
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    code, out = run_cli("ingest", str(empty), db=db)
    assert code == 2 and "empty" in out["error"]
    code, status = run_cli("status", db=db)
    assert status["tables"]["marketing_spend"]["rows"] == 3


def test_fit_on_cdnow_prints_the_published_parameters_and_holdout(tmp_path):
    db = tmp_path / "clv.duckdb"
    assert run_cli("cdnow", db=db)[0] == 0
    code, out = run_cli("fit", "--calibration-end", "1997-09-30", "--time-unit", "week", db=db)
    assert code == 0, out
    params = out["purchase_model"]["parameters"]
    # Fader, Hardie & Lee (2005): r = 0.243, alpha = 4.414, a = 0.793, b = 2.426.
    assert [f"{params[k]:.3g}" for k in ("r", "alpha", "a", "b")] == [
        "0.243",
        "4.41",
        "0.793",
        "2.43",
    ]
    spend = out["spend_model"]["parameters"]
    assert [f"{spend[k]:.3g}" for k in ("p", "q", "gamma")] == ["6.25", "3.74", "15.4"]
    assert out["purchase_model"]["log_likelihood"] == pytest.approx(-9582.43, abs=0.01)
    # Repeat purchase days in 1997-10-01..1998-06-30, counted from the raw file in test_summary.
    assert out["holdout"]["actual_repeat_purchases"] == 1882


def test_predict_writes_one_row_per_customer(tmp_path):
    db = tmp_path / "clv.duckdb"
    assert run_cli("cdnow", db=db)[0] == 0
    # CDNOW has no costs: without a margin rate the CLV cannot be on margin.
    code, out = run_cli("predict", db=db)
    assert code == 2 and "margin rate" in out["error"]
    target = tmp_path / "clv.csv"
    env = {**os.environ, "CLV_DB": str(db), "CLV_PSEUDONYM_KEY": "cli-test-key"}
    done = subprocess.run(
        [sys.executable, "-m", "clv", "predict", "--horizon-months", "12", "--margin-rate", "0.3",
         "--output", str(target)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    table = pd.read_csv(target, encoding="utf-8-sig")
    assert len(table) == 2357 and table["customer_id"].is_unique
    assert {"clv_12m", "expected_purchases_90d", "probability_alive"} <= set(table.columns)
    # Activity from MBG/NBD: one-time buyers are not all "certainly active".
    one_timers = table[table["orders"] == 1]
    assert (one_timers["probability_alive"] < 1).all()
    assert (table["clv_12m"] >= 0).all()
    # Margin 30 % of an undiscounted expected revenue is an upper bound of the discounted CLV.
    revenue = table["expected_purchases_12m"] * table["expected_order_value"]
    assert (table["clv_12m"] <= 0.3 * revenue + 1e-9).all()


def test_fit_on_an_empty_store_says_what_to_do(tmp_path):
    code, out = run_cli("fit", db=tmp_path / "clv.duckdb")
    assert code == 2 and "import an orders file first" in out["error"]


def test_ingest_size_limit_is_the_command_lines_own(tmp_path):
    """The app's 200 MB upload limit does not bind the command line, which has --max-mb;
    a file over the given limit is refused with exit code 2 and nothing stored."""
    db = tmp_path / "clv.duckdb"
    payments = tmp_path / "unified_payments.csv"
    payments.write_bytes(stripe_payments_csv())
    size_mb = payments.stat().st_size / 1024 / 1024
    code, refused = run_cli("ingest", str(payments), "--max-mb", str(size_mb / 2), db=db)
    assert code == 2 and "limit" in refused["error"]
    code, status = run_cli("status", db=db)
    assert status["tables"]["orders"]["rows"] == 0
    code, report = run_cli("ingest", str(payments), "--max-mb", str(size_mb * 2), db=db)
    assert code == 0 and report["rows_loaded"] == 4

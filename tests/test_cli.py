"""``python -m clv``: JSON reports, exit codes, and the store left intact on a file problem."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.test_import import google_ads_report_csv, stripe_payments_csv

ROOT = Path(__file__).resolve().parent.parent


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

"""Point 1: many sessions, one store.

- Twenty reader threads (as twenty browser sessions, each with its own cursor) read the
  orders while imports replace every order: each read sees all the rows of one import,
  never a mix, never an error.
- Two imports started at the same instant are both applied, one after the other.
- The CLI started while the app holds the data file (a second process) exits with a
  clear message, or waits with ``--wait`` and then imports; the app keeps working.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from decimal import Decimal
from pathlib import Path

import pytest

from clv.ingest.pipeline import import_file
from clv.store import Store
from tests.reliability_report import record

ROOT = Path(__file__).resolve().parents[2]
N_ORDERS = 1_000
READERS = 20
IMPORTS = 4


def prestashop(first: int, last: int, total: Decimal) -> bytes:
    """A PrestaShop orders export of orders ``first..last``, every one for ``total`` EUR."""
    lines = ["ID;Référence;Nouveau client;Livraison;Client;Total;Paiement;État;Date"]
    amount = f"{total:.2f}".replace(".", ",")
    for order in range(first, last + 1):
        lines.append(
            f"{order};REF{order};1;France;C. {order % 97};{amount} €;Carte bancaire;"
            f"Paiement accepté;2024-03-{1 + order % 28:02d} 10:00:00"
        )
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "s.duckdb", pseudonym_key=b"k", threads=2)
    yield s
    s.close()


def test_twenty_readers_see_all_old_or_all_new_rows(store):
    import_file(store, prestashop(1, N_ORDERS, Decimal("10.00")), "v0.csv")
    stop = threading.Event()
    reads = [0] * READERS
    mixed: list[tuple] = []
    errors: list[BaseException] = []

    def reader(index: int) -> None:
        try:
            while not stop.is_set():
                with store.cursor() as cur:
                    snapshot = cur.execute(
                        "SELECT count(*), count(DISTINCT import_id), min(net_amount), "
                        "max(net_amount) FROM orders"
                    ).fetchone()
                if snapshot[0] != N_ORDERS or snapshot[1] != 1 or snapshot[2] != snapshot[3]:
                    mixed.append(snapshot)
                reads[index] += 1
                # A session reads, then renders: leave the writer some of the GIL.
                time.sleep(0.02)
        except BaseException as exc:  # noqa: BLE001 (reported by the main thread)
            errors.append(exc)

    threads = [threading.Thread(target=reader, args=(i,)) for i in range(READERS)]
    for thread in threads:
        thread.start()
    started = time.perf_counter()
    try:
        for version in range(1, IMPORTS + 1):
            report = import_file(
                store, prestashop(1, N_ORDERS, Decimal(10 + version)), f"v{version}.csv"
            )
            assert report.rows_updated == N_ORDERS
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
    elapsed = time.perf_counter() - started
    assert not errors, errors[:3]
    assert not mixed, mixed[:3]
    assert min(reads) > 0  # every session did read while the imports ran
    with store.cursor() as cur:
        assert cur.execute("SELECT min(net_amount), max(net_amount) FROM orders").fetchone() == (
            Decimal(10 + IMPORTS),
            Decimal(10 + IMPORTS),
        )
    record(
        "1",
        "test_reliability_sessions.py::test_twenty_readers_see_all_old_or_all_new_rows",
        f"{READERS} reader threads, one cursor each, read the {N_ORDERS:,} orders while "
        f"{IMPORTS} imports replace all of them: every read sees one import's rows, all "
        "of them.",
        f"{READERS} sessions held, {sum(reads):,} reads during {IMPORTS} imports "
        f"({elapsed:.1f} s), 0 mixed, 0 errors",
        sessions=READERS,
        reads=sum(reads),
        imports=IMPORTS,
        seconds=round(elapsed, 2),
    )


def test_two_imports_at_once_are_both_applied(store):
    first = prestashop(1, 1_000, Decimal("20.00"))
    second = prestashop(501, 1_500, Decimal("30.00"))
    barrier = threading.Barrier(2)
    reports: dict[str, object] = {}

    def run(name: str, content: bytes) -> None:
        held = []

        def progress(message: str, fraction: float) -> None:
            # Both reach the write at the same instant; each then lingers inside its
            # transaction, so that without serialisation the two would overlap.
            if message == "Writing to the store":
                barrier.wait(timeout=60)
            elif message.startswith("Writing ") and not held:
                held.append(message)
                time.sleep(0.5)

        try:
            reports[name] = import_file(store, content, name, progress=progress)
        except BaseException as exc:  # noqa: BLE001 (checked below)
            reports[name] = exc

    threads = [
        threading.Thread(target=run, args=("a.csv", first)),
        threading.Thread(target=run, args=("b.csv", second)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert all(not isinstance(r, BaseException) for r in reports.values()), reports
    later = max(reports.values(), key=lambda r: r.import_id)
    later_total = Decimal("20.00") if later.file_name == "a.csv" else Decimal("30.00")
    with store.cursor() as cur:
        assert cur.execute("SELECT count(*) FROM imports").fetchone()[0] == 2
        rows = dict(
            cur.execute(
                "SELECT CAST(regexp_extract(order_id, '[0-9]+$') AS INTEGER) AS n, net_amount "
                "FROM orders"
            ).fetchall()
        )
    # Nothing lost: 1..500 only in a, 1001..1500 only in b, the overlap from the later.
    assert len(rows) == 1_500
    assert {rows[n] for n in range(1, 501)} == {Decimal("20.00")}
    assert {rows[n] for n in range(1_001, 1_501)} == {Decimal("30.00")}
    assert {rows[n] for n in range(501, 1_001)} == {later_total}
    record(
        "1",
        "test_reliability_sessions.py::test_two_imports_at_once_are_both_applied",
        "Two imports of overlapping files released at the same instant are applied one "
        "after the other: both logged, every order of both files stored, the overlap "
        "from the later one.",
        "2 of 2 simultaneous imports applied, 1,500 of 1,500 orders kept",
        imports=2,
        orders=len(rows),
    )


def cli(db: Path, *args: str, timeout: float = 120) -> tuple[int, dict, float]:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "clv", "--db", str(db), *args],
        cwd=ROOT,
        env={**os.environ, "CLV_PSEUDONYM_KEY": "k"},
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    return done.returncode, json.loads(done.stdout or "{}"), time.perf_counter() - started


def test_cli_beside_the_running_app(tmp_path):
    db = tmp_path / "app.duckdb"
    export = tmp_path / "cli.csv"
    export.write_bytes(prestashop(1, 50, Decimal("5.00")))
    app = Store(db, pseudonym_key=b"k")  # the app's process holds the file
    try:
        import_file(app, prestashop(100, 120, Decimal("7.00")), "app.csv")
        code, out, _ = cli(db, "ingest", str(export))
        assert code == 3
        assert "in use by another program" in out["error"] and "--wait" in out["error"]
        code, out, waited = cli(db, "--wait", "2", "status")
        assert code == 3 and "in use by another program" in out["error"]
        assert waited >= 2.0
        # The app did not notice: it reads and imports as before.
        assert app.status().set_index("table").loc["orders", "rows"] == 21
        import_file(app, prestashop(121, 130, Decimal("7.00")), "app-2.csv")
        assert app.status().set_index("table").loc["orders", "rows"] == 31

        # Waiting: the app lets go of the file (a restart, say) while the CLI waits.
        waiting = subprocess.Popen(
            [sys.executable, "-m", "clv", "--db", str(db), "--wait", "60", "ingest", str(export)],
            cwd=ROOT,
            env={**os.environ, "CLV_PSEUDONYM_KEY": "k"},
            stdout=subprocess.PIPE,
            text=True,
        )
        time.sleep(3)
        assert waiting.poll() is None  # still waiting, not failed
    finally:
        app.close()
    out, _ = waiting.communicate(timeout=120)
    assert waiting.returncode == 0, out
    assert json.loads(out)["rows_loaded"] == 50
    with Store(db, pseudonym_key=b"k") as reopened:
        assert reopened.status().set_index("table").loc["orders", "rows"] == 81
    record(
        "1",
        "test_reliability_sessions.py::test_cli_beside_the_running_app",
        "The CLI on the file the app holds exits with code 3 and 'in use by another "
        "program ... --wait'; with --wait it retries, then imports once the app lets go; "
        "the app reads and imports meanwhile.",
        "2 refused CLI runs (exit 3), 1 waiting run imported 50 orders after release; "
        "app kept working",
    )

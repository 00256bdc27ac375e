"""Point 2: crash safety.

- An import process is killed (SIGKILL) again and again: at random times in a loop of
  imports, and at chosen points (before COMMIT, after COMMIT before CHECKPOINT, at the
  start of CHECKPOINT). After each kill the store reopens, and holds all the rows of
  exactly one import: the last one reported done, or the one in flight if its COMMIT
  went through. Never half an import, never an unreadable file.
- A write-ahead log that cannot be replayed (damaged, or left from another copy of the
  file) is moved aside with a notice; the store opens at its last checkpoint.
- Disk full (simulated with RLIMIT_FSIZE in a child process, see docs/reliability.md) and
  a read-only folder give a clear StoreWriteError, and the old data stays intact.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from decimal import Decimal
from pathlib import Path

import pytest

from clv.ingest.pipeline import import_file
from clv.store import Store
from tests.reliability.test_reliability_sessions import prestashop
from tests.reliability_report import record

ROOT = Path(__file__).resolve().parents[2]
N_ORDERS = 2_000
RANDOM_KILLS_PER_LANE = 9
PHASE_KILLS = 3  # per chosen point and lane
LANES = 2  # independent files killed in parallel (CI has 2 cores)
PHASES = ("before-commit", "after-commit", "checkpoint")

# The import process. It reports each import once import_file has returned
# ("done V"); with a chosen point, it announces the point ("at V") and, for the points
# before and after COMMIT, waits there to be killed.
CHILD = r"""
import sys, time
from decimal import Decimal
from clv.store import Store
from clv.ingest.pipeline import import_file
from tests.reliability.test_reliability_sessions import prestashop

db, phase, version, n_orders = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
store = Store(db, pseudonym_key=b"k", threads=1)


class Cursor:
    def __init__(self, cur):
        self._cur = cur

    def __getattr__(self, name):
        return getattr(self._cur, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._cur.close()

    def execute(self, sql, *args):
        point = {"COMMIT": "before-commit", "CHECKPOINT": "after-commit"}.get(sql)
        if point == phase:
            print(f"at {version}", flush=True)
            time.sleep(60)
        if sql == "CHECKPOINT" and phase == "checkpoint":
            print(f"at {version}", flush=True)  # killed while CHECKPOINT runs
        return self._cur.execute(sql, *args)


class Connection:
    def __init__(self, con):
        self._con = con

    def __getattr__(self, name):
        return getattr(self._con, name)

    def cursor(self):
        return Cursor(self._con.cursor())


if phase != "random":
    store._con = Connection(store._con)
print("ready", flush=True)
while True:
    version += 1
    import_file(store, prestashop(1, n_orders, Decimal(version)), f"v{version}.csv")
    print(f"done {version}", flush=True)
"""


def state(db: Path) -> tuple[int, list[str]]:
    """The version the store holds after reopening, checked whole; and its notices."""
    with Store(db, pseudonym_key=b"k", threads=1) as store, store.cursor() as cur:
        count, imports, low, high = cur.execute(
            "SELECT count(*), count(DISTINCT import_id), min(net_amount), max(net_amount) "
            "FROM orders"
        ).fetchone()
        assert (count, imports) == (N_ORDERS, 1), (count, imports)
        assert low == high
        last_file, last_id = cur.execute(
            "SELECT file_name, import_id FROM imports ORDER BY import_id DESC LIMIT 1"
        ).fetchone()
        owner = cur.execute("SELECT DISTINCT import_id FROM orders").fetchone()[0]
        # The import log and the rows agree: the last logged import wrote the rows.
        assert last_id == owner
        assert last_file == f"v{int(high)}.csv"
        assert cur.execute("SELECT count(*) FROM rejected_rows").fetchone()[0] == 0
        return int(high), list(store.notices)


def kill_once(db: Path, phase: str, version: int, rng: random.Random) -> tuple[int, int | None]:
    """Start the import loop at ``version``, kill it, return (last done, version at the
    chosen point or None)."""
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(db), phase, str(version), str(N_ORDERS)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    done, at = version, None
    try:
        assert child.stdout.readline().strip() == "ready"
        if phase == "random":
            lines: list[str] = []
            reader = threading.Thread(target=lambda: lines.extend(child.stdout), daemon=True)
            reader.start()
            time.sleep(rng.uniform(0.0, 1.2))
            child.send_signal(signal.SIGKILL)
            child.wait(timeout=30)
            reader.join(timeout=30)
            done = max([version, *(int(x.split()[1]) for x in lines if x.startswith("done"))])
        else:
            # A point never reached must fail the test, not hang it.
            watchdog = threading.Timer(60, child.kill)
            watchdog.start()
            for line in child.stdout:
                if line.startswith("done"):
                    done = int(line.split()[1])
                elif line.startswith("at"):
                    at = int(line.split()[1])
                    child.send_signal(signal.SIGKILL)
                    break
            watchdog.cancel()
    finally:
        if child.poll() is None:
            child.kill()
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    return done, at


def lane(db: Path, seed: int, results: dict) -> None:
    rng = random.Random(seed)
    with Store(db, pseudonym_key=b"k", threads=1) as store:
        import_file(store, prestashop(1, N_ORDERS, Decimal(1)), "v1.csv")
    version = 1
    plan = ["random"] * RANDOM_KILLS_PER_LANE + [p for p in PHASES for _ in range(PHASE_KILLS)]
    rng.shuffle(plan)
    for phase in plan:
        done, at = kill_once(db, phase, version, rng)
        held, notices = state(db)
        assert not notices, notices
        if phase == "random":
            # The last import reported done is there, or the one after it if the kill
            # came between its COMMIT and its report.
            assert held in (done, done + 1), (phase, done, held)
        elif phase == "before-commit":
            assert held == at - 1, (phase, at, held)
        else:
            assert held == at, (phase, at, held)
        results.setdefault(phase, 0)
        results[phase] += 1
        version = held


def test_sigkill_at_random_and_chosen_points_never_leaves_half_an_import(tmp_path):
    results: list[dict] = [{} for _ in range(LANES)]
    errors: list[BaseException] = []

    def run(index: int) -> None:
        try:
            lane(tmp_path / f"lane{index}.duckdb", 1000 + index, results[index])
        except BaseException as exc:  # noqa: BLE001 (reported below)
            errors.append(exc)

    started = time.perf_counter()
    threads = [threading.Thread(target=run, args=(i,)) for i in range(LANES)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    assert not errors, errors
    kills = {p: sum(r.get(p, 0) for r in results) for p in ("random", *PHASES)}
    total = sum(kills.values())
    assert total == LANES * (RANDOM_KILLS_PER_LANE + PHASE_KILLS * len(PHASES))
    record(
        "2",
        "test_reliability_crash.py::test_sigkill_at_random_and_chosen_points_never_leaves_half_an_import",
        f"SIGKILL of an import loop ({N_ORDERS:,} orders replaced per import) at random "
        "times and at chosen points; after each kill the file reopens with all the rows "
        "of one import, the one the log names: the last done, or the one whose COMMIT "
        "went through.",
        f"{total} kills survived ({kills['random']} random, {kills['before-commit']} before "
        f"COMMIT, {kills['after-commit']} after COMMIT, {kills['checkpoint']} in CHECKPOINT) "
        f"in {time.perf_counter() - started:.0f} s; 0 half imports, 0 unreadable files",
        kills=kills,
    )


# -- a write-ahead log that cannot be replayed ------------------------------------------


def store_with_pending_log(db: Path) -> None:
    """A file whose last import is committed in the log but not checkpointed."""
    with Store(db, pseudonym_key=b"k", threads=1) as store:
        import_file(store, prestashop(1, N_ORDERS, Decimal(1)), "v1.csv")
    done, at = kill_once(db, "after-commit", 1, random.Random(0))
    assert at == 2
    assert db.with_name(db.name + ".wal").stat().st_size > 0


@pytest.mark.parametrize("damage", ["flipped_bytes", "log_of_another_file"])
def test_unreplayable_log_is_moved_aside_with_a_notice(tmp_path, damage):
    db = tmp_path / "w.duckdb"
    wal = db.with_name(db.name + ".wal")
    store_with_pending_log(db)
    if damage == "flipped_bytes":
        # Inside the log: entries whose checksums no longer match. (DuckDB ignores damage
        # in the very first bytes: it then sees no log at all.) The log's layout varies a
        # little from run to run (where the child was killed), so 16 bytes are flipped at
        # each of eight places over its middle half rather than at one spot, which could
        # fall where no checksum looks.
        data = bytearray(wal.read_bytes())
        for place in range(8):
            start = len(data) // 4 + place * (len(data) // 2) // 8
            for i in range(start, start + 16):
                data[i] ^= 0xFF
        wal.write_bytes(bytes(data))
    else:
        other = tmp_path / "other.duckdb"
        store_with_pending_log(other)
        wal.write_bytes(other.with_name(other.name + ".wal").read_bytes())
    held, notices = state(db)
    assert held == 1  # the last checkpoint: import v2 was only in the log
    assert len(notices) == 1
    assert "could not be replayed" in notices[0] and "Import that file again" in notices[0]
    aside = list(tmp_path.glob("w.duckdb.wal.unreplayable-*"))
    assert len(aside) == 1 and aside[0].stat().st_size > 0
    # The app goes on: the same import again works.
    with Store(db, pseudonym_key=b"k", threads=1) as store:
        assert not store.notices
        import_file(store, prestashop(1, N_ORDERS, Decimal(2)), "v2.csv")
    assert state(db) == (2, [])
    record(
        "2",
        f"test_reliability_crash.py::test_unreplayable_log_is_moved_aside_with_a_notice[{damage}]",
        "A write-ahead log DuckDB refuses to replay ("
        + ("checksum mismatch" if damage == "flipped_bytes" else "log of another file")
        + ") is renamed *.unreplayable-*, the store opens at its last checkpoint with a "
        "notice, and the next import works.",
        "1 log moved aside, store opened at its checkpoint, 1 notice",
    )


# -- disk full, read-only folder ---------------------------------------------------------

# A child process whose files cannot grow past their size + LIMIT bytes (RLIMIT_FSIZE:
# writes beyond fail with EFBIG, as they fail with ENOSPC on a full disk).
FULL_DISK_CHILD = r"""
import json, os, resource, signal, sys
from decimal import Decimal
from clv.store import Store, StoreWriteError
from clv.ingest.pipeline import import_file
from tests.reliability.test_reliability_sessions import prestashop

db, headroom, orders = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
store = Store(db, pseudonym_key=b"k", threads=1)
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
size = os.path.getsize(db)
resource.setrlimit(resource.RLIMIT_FSIZE, (size + headroom, resource.RLIM_INFINITY))
out = {}
try:
    import_file(store, prestashop(1, orders, Decimal(99)), "v99.csv")
    out["imported"] = True
except StoreWriteError as exc:
    out["error"] = str(exc)
out["notices"] = store.notices
# The same process goes on serving reads.
with store.cursor() as cur:
    out["rows_after"] = cur.execute("SELECT count(*) FROM orders").fetchone()[0]
print(json.dumps(out))
"""


def run_child(code: str, *args: str, user: int | None = None) -> dict:
    env = {**os.environ}
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_disk_full_during_an_import_keeps_the_old_data(tmp_path):
    db = tmp_path / "full.duckdb"
    with Store(db, pseudonym_key=b"k", threads=1) as store:
        import_file(store, prestashop(1, N_ORDERS, Decimal(1)), "v1.csv")
    # 50,000 orders need megabytes; 64 kB of headroom is far too little.
    out = run_child(FULL_DISK_CHILD, str(db), str(64 * 1024), "50000")
    assert "imported" not in out
    assert "is full" in out["error"] and "nothing of this change was stored" in out["error"]
    assert "Free some space" in out["error"]
    assert out["rows_after"] == N_ORDERS  # the app's process still reads the old rows
    assert state(db) == (1, [])
    record(
        "2",
        "test_reliability_crash.py::test_disk_full_during_an_import_keeps_the_old_data",
        "A 50,000-order import in a process that cannot write past 64 kB more (RLIMIT_FSIZE) "
        "fails with 'The disk ... is full ... nothing of this change was stored'; the "
        "process still reads the old rows, and the reopened file holds them.",
        "1 disk-full import refused with a clear message, 2,000 of 2,000 old orders intact",
    )


def test_disk_full_at_checkpoint_keeps_the_committed_import(tmp_path):
    """The commit fits in the log, the checkpoint does not: DuckDB invalidates the
    connection; the store reopens it, so the same process keeps working."""
    db = tmp_path / "ckpt.duckdb"
    with Store(db, pseudonym_key=b"k", threads=1) as store:
        import_file(store, prestashop(1, N_ORDERS, Decimal(1)), "v1.csv")
    out = run_child(FULL_DISK_CHILD, str(db), str(120 * 1024), str(N_ORDERS))
    assert out.get("imported") is True, out
    assert len(out["notices"]) == 1 and "could not be compacted" in out["notices"][0]
    assert out["rows_after"] == N_ORDERS
    assert state(db) == (99, [])  # the committed import, replayed from the log
    record(
        "2",
        "test_reliability_crash.py::test_disk_full_at_checkpoint_keeps_the_committed_import",
        "When the commit fits but the checkpoint does not (120 kB of headroom), the import "
        "is kept (it is in the log), the invalidated connection is reopened with a notice, "
        "the process keeps reading, and the reopened file holds the new rows.",
        "1 failed checkpoint survived, 2,000 of 2,000 new orders kept, 1 notice",
    )


READ_ONLY_CHILD = r"""
import json, os, sys
from decimal import Decimal
from clv.store import Store, StoreWriteError
from clv.ingest.pipeline import import_file
from tests.reliability.test_reliability_sessions import prestashop

db, uid = sys.argv[1], int(sys.argv[2])
if os.geteuid() == 0:
    # Permissions do not bind root: run as an ordinary user, as a server would.
    os.setgid(uid)
    os.setuid(uid)
out = {}
try:
    store = Store(db, pseudonym_key=b"k", threads=1)
    out["opened"] = True
    import_file(store, prestashop(1, 10, Decimal(99)), "new.csv")
    out["imported"] = True
except StoreWriteError as exc:
    out["error"] = str(exc)
print(json.dumps(out))
"""


@pytest.mark.parametrize("what", ["folder_and_file", "folder_only"])
def test_read_only_folder_gives_a_clear_error(what):
    uid = 65534 if os.geteuid() == 0 else os.geteuid()  # 65534: nobody
    # tmp_path sits in a folder only its owner may enter; this one is open to the user.
    with tempfile.TemporaryDirectory(prefix="clv-ro-") as folder:
        base = Path(folder)
        base.chmod(0o755)
        data = base / "data"
        data.mkdir()
        db = data / "ro.duckdb"
        with Store(db, pseudonym_key=b"k", threads=1) as store:
            import_file(store, prestashop(1, N_ORDERS, Decimal(1)), "v1.csv")
        if os.geteuid() == 0:
            os.chown(db, uid, uid) if what == "folder_only" else None
        db.chmod(0o666 if what == "folder_only" else 0o444)
        data.chmod(0o555)
        try:
            out = run_child(READ_ONLY_CHILD, str(db), str(uid))
        finally:
            data.chmod(0o755)
            db.chmod(0o644)
        assert "imported" not in out, out
        assert "cannot be written" in out["error"] and "writable" in out["error"], out
        assert "nothing of this change was stored" in out["error"]
        assert state(db) == (1, [])
    record(
        "2",
        f"test_reliability_crash.py::test_read_only_folder_gives_a_clear_error[{what}]",
        "A store in a read-only folder ("
        + (
            "file read-only too"
            if what == "folder_and_file"
            else "file writable, no log can be made"
        )
        + ") refuses with 'The data folder ... cannot be written ... Make the folder and the "
        "data file writable'; the old data intact.",
        "1 clear refusal, 2,000 of 2,000 old orders intact",
    )

"""Figures of the reliability tests, and ``docs/reliability.md`` written from them.

Each reliability test calls :func:`record` with what it proves and the figure it measured
(sessions held, kills survived, files rejected...); the figure lands in
``tests/artifacts/reliability/<point>__<test>.json`` (ignored by git), replacing the one of
the previous run. Then::

    python -m tests.reliability_report

rewrites ``docs/reliability.md``: the fixed text of :data:`INTRO`, then one table per
point listing every test with the figure of its last run and the time of that run.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIGURES = ROOT / "tests" / "artifacts" / "reliability"
DOC = ROOT / "docs" / "reliability.md"

POINTS: dict[str, str] = {
    "1": "Many sessions, one store",
    "2": "Crash safety",
    "3": "Hostile and broken files",
    "4": "Nothing executes that came in a file",
    "5": "Login",
    "6": "Personal data",
    "7": "Load",
}

INTRO = """\
# Reliability

What the app withstands, each claim backed by a test that fails when the protection is
removed. The figures below are those of the last run of each test; they are written by
the tests into `tests/artifacts/reliability/` and rendered here by
`python -m tests.reliability_report` (run it after `pytest`).

How the store protects the data (see `clv/store.py`):

- one DuckDB connection per process, a cursor per unit of work, one lock around writes;
  each import is one transaction, checkpointed after commit;
- a second process on the same file gets `StoreBusy` with a message (the CLI exits with
  code 3, or waits with `--wait SECONDS`);
- a write-ahead log that cannot be replayed is moved aside (`<file>.wal.unreplayable-<time>`)
  and the store opens at its last checkpoint, with a notice in `Store.notices`;
- disk full or read-only folder: `StoreWriteError` (a `ValueError` the Data page shows),
  the transaction rolled back; a failed checkpoint after a commit reopens the connection.

Simulations, and what they prove:

- *Disk full* is simulated with `RLIMIT_FSIZE` in a child process (writes past a file size
  fail with `EFBIG`, as they fail with `ENOSPC` on a full disk): it proves that a write
  refused by the operating system at any point of an import (data pages, log, commit,
  checkpoint) rolls back or keeps the committed state, with a clear message. It does not
  exercise a file system that fills up while other programs write to it.
- *Read-only folder*: the child process drops to an unprivileged user (when tests run as
  root, permissions do not apply to root) and opens a store whose folder and file are
  read-only.
- *Kills*: `SIGKILL` at random times during a loop of imports, and at chosen points
  (before `COMMIT`, after `COMMIT` before `CHECKPOINT`, at the start of `CHECKPOINT`).
- *Load*: the browsers run on the same machine as the server. On two cores the ten
  Chromium renderers take most of the CPU, so the page times measure the whole machine
  under load, not the server alone; the figure gives the server's own CPU share.
"""


def record(point: str, test: str, proves: str, figure: str, **numbers: object) -> None:
    """Save the figure of one test run (replacing that of the previous run).

    Parameters
    ----------
    point : the point of the reliability brief, ``"1"`` to ``"7"``.
    test : the test's id, e.g. ``"test_reliability_crash.py::test_kills"``.
    proves : what the test shows, one sentence.
    figure : the measured figure as shown in the report, e.g. ``"40 kills, 0 lost"``.
    numbers : the raw numbers behind the figure, kept in the JSON file.
    """
    FIGURES.mkdir(parents=True, exist_ok=True)
    safe = test.replace("/", "_").replace("::", "__").replace(".py", "")
    payload = {
        "point": point,
        "test": test,
        "proves": proves,
        "figure": figure,
        "numbers": numbers,
        "run_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }
    (FIGURES / f"{point}__{safe}.json").write_text(
        json.dumps(payload, indent=2, default=str), encoding="utf-8"
    )


def _cell(text: str) -> str:
    # Attack strings in the figures must show as text here too.
    return str(text).replace("<", "&lt;").replace("|", "\\|").replace("\n", " ")


def render() -> str:
    """``docs/reliability.md`` from the saved figures."""
    entries = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(FIGURES.glob("*.json"))]
    lines = [INTRO]
    for point, title in POINTS.items():
        rows = [e for e in entries if e["point"] == point]
        lines.append(f"\n## {point}. {title}\n")
        if not rows:
            lines.append("No figure recorded yet: run the tests, then this script.\n")
            continue
        lines.append("| test | what it proves | figure (last run) | run at |")
        lines.append("|---|---|---|---|")
        for e in sorted(rows, key=lambda e: e["test"]):
            lines.append(
                f"| `{_cell(e['test'])}` | {_cell(e['proves'])} | {_cell(e['figure'])} "
                f"| {e['run_at']} |"
            )
    return "\n".join(lines) + "\n"


def main() -> int:
    """Write ``docs/reliability.md``; returns the exit code."""
    if not FIGURES.exists():
        print(f"No figures in {FIGURES}: run pytest first.", file=sys.stderr)
        return 1
    DOC.write_text(render(), encoding="utf-8")
    print(f"wrote {DOC}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

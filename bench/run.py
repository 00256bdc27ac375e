"""Run the benchmark and write the report.

::

    python -m bench.run --sizes 100k,1M,10M --repeats 3 --out docs/performance.md

For each size: generate the orders file (seeded; reused when already in ``--work``), then,
``--repeats`` times and on that same file, run in fresh processes:

1. floor: a bare DuckDB ``read_csv`` + ``GROUP BY`` customer;
2. ours: ``python -m clv ingest`` into a new store, then (untimed) the ad-spend file, then
   the per-customer summary, the BG/NBD fit and every page's data calls;
3. reference: ``pd.read_csv`` + lifetimes' ``summary_data_from_transaction_data`` +
   ``BetaGeoFitter.fit``.

Times are medians over the repeats of the time measured inside each process (see
:mod:`bench.steps`); peak memory is the largest peak resident set size of the process over
the repeats, read with ``os.wait4`` when the process ends (the per-process form of
``getrusage(RUSAGE_CHILDREN).ru_maxrss``). A step that runs past ``--timeout`` is stopped
and reported as not finished; the run goes on.

The report replaces the part of ``--out`` between the markers
``<!-- bench:begin -->`` and ``<!-- bench:end -->`` (the whole file when it has none), so
text written around them is kept from one run to the next. Raw figures go to
``--work/results.json``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shlex
import signal
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from bench.generate import Generated, count_label, generate, parse_count

ROOT = Path(__file__).resolve().parent.parent
BEGIN = "<!-- bench:begin -->"
END = "<!-- bench:end -->"
PSEUDONYM_KEY = "benchmark-only-key"
MB = 1024

# Targets of the issue (docs/performance.md says where each is measured).
IMPORT_VS_FLOOR = 2.0
REFERENCE_VS_OURS = 3.0
PEAK_MB = 1024.0
PAGE_WARM_S = 1.5
# "Seconds" for the model fit, read as under ten seconds.
FIT_S = 10.0
TARGET_ROWS = 10_000_000


@dataclass
class StepRun:
    """One run of one step in its own process."""

    step: str
    status: str  # "ok", "failed", "timeout"
    wall: float  # seconds around the process, start-up and imports included
    peak_mb: float  # peak resident set size of the process (os.wait4)
    times: dict[str, float] = field(default_factory=dict)
    rss: dict[str, float] = field(default_factory=dict)
    info: dict[str, Any] = field(default_factory=dict)
    error: str | None = None


def _log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def run_step(
    step: str, args: list[str], *, env: dict[str, str], timeout: float, logs: Path
) -> StepRun:
    """Run ``python -m bench.steps STEP`` in a fresh process and collect what it measured."""
    logs.mkdir(parents=True, exist_ok=True)
    result = logs / f"{step}.json"
    result.unlink(missing_ok=True)
    argv = [sys.executable, "-m", "bench.steps", step, str(result), *args]
    with open(logs / f"{step}.out", "wb") as out, open(logs / f"{step}.err", "wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(
            argv, stdout=out, stderr=err, env=env, cwd=ROOT, start_new_session=True
        )
        timed_out = False
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() - start > timeout:
                # Only this step's own process group: the child and anything it started.
                os.killpg(proc.pid, signal.SIGKILL)
                pid, status, usage = os.wait4(proc.pid, 0)
                timed_out = True
                break
            time.sleep(0.02)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
    peak = usage.ru_maxrss / MB  # kilobytes on Linux
    if timed_out:
        return StepRun(step, "timeout", wall, peak, error=f"did not finish in {timeout:.0f} s")
    try:
        data = json.loads(result.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        tail = (logs / f"{step}.err").read_text(encoding="utf-8", errors="replace")[-600:]
        return StepRun(
            step, "failed", wall, peak, error=f"exit code {proc.returncode}: {tail.strip()}"
        )
    return StepRun(
        step,
        "ok" if data.get("ok") else "failed",
        wall,
        peak,
        times=data.get("times", {}),
        rss=data.get("rss", {}),
        info=data.get("info", {}),
        error=data.get("error"),
    )


def _setup_spend(files: Generated, env: dict[str, str]) -> None:
    """Import the ad-spend file (untimed) so the acquisition page has costs to show."""
    done = subprocess.run(
        [sys.executable, "-m", "clv", "ingest", files.spend, "--mapping", files.spend_mapping],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"importing the spend file failed: {done.stdout[-400:]}")


def run_size(
    files: Generated, *, repeats: int, timeout: float, work: Path
) -> dict[str, list[StepRun]]:
    """Every repeat of every step on one file; a step that timed out is not repeated."""
    label = count_label(files.rows)
    db = work / f"store_{label}.duckdb"
    env = {**os.environ, "CLV_DB": str(db), "CLV_PSEUDONYM_KEY": PSEUDONYM_KEY}
    env.pop("PYTHONWARNINGS", None)
    runs: dict[str, list[StepRun]] = {"floor": [], "ingest": [], "analysis": [], "reference": []}
    gave_up: set[str] = set()
    for r in range(1, repeats + 1):
        logs = work / "logs" / label / f"run{r}"

        def step(name: str, args: list[str], r: int = r, logs: Path = logs) -> StepRun | None:
            if name in gave_up:
                return None
            run = run_step(name, args, env=env, timeout=timeout, logs=logs)
            runs[name].append(run)
            if run.status == "timeout":
                gave_up.add(name)
            inner = sum(v for k, v in run.times.items() if k != "imports")
            _log(
                f"{label} run {r}/{repeats}: {name} {run.status} "
                f"inside {inner:.2f} s, wall {run.wall:.2f} s, peak {run.peak_mb:.0f} MB"
                + (f" ({run.error})" if run.error else "")
            )
            return run

        step("floor", [files.orders])
        for suffix in ("", ".wal"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        imported = step("ingest", [files.orders, files.orders_mapping])
        if imported is not None and imported.status == "ok":
            _setup_spend(files, env)
            step("analysis", [])
        step("reference", [files.orders])
    for suffix in ("", ".wal"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    return runs


# -- figures ---------------------------------------------------------------------------


def _ok(runs: list[StepRun]) -> list[StepRun]:
    return [r for r in runs if r.status == "ok"]


def median_time(runs: list[StepRun], *phases: str) -> float | None:
    """Median over the successful runs of the sum of ``phases`` (inside times)."""
    good = _ok(runs)
    if not good:
        return None
    return statistics.median(sum(r.times.get(p, 0.0) for p in phases) for r in good)


def median_wall(runs: list[StepRun]) -> float | None:
    good = _ok(runs)
    return statistics.median(r.wall for r in good) if good else None


def peak(runs: list[StepRun]) -> float | None:
    good = _ok(runs)
    return max(r.peak_mb for r in good) if good else None


def phase_peak(runs: list[StepRun], phase: str) -> float | None:
    values = [r.rss[phase] for r in _ok(runs) if phase in r.rss]
    return max(values) if values else None


def growth_per_million(runs: list[StepRun], rows: int) -> float | None:
    """Peak resident set size above the process's size after its imports, per million rows."""
    top, base = peak(runs), phase_peak(runs, "imports")
    if top is None or base is None:
        return None
    return max(top - base, 0.0) / (rows / 1e6)


def failure(runs: list[StepRun]) -> str | None:
    """Why no run of a step succeeded (``None`` when one did, or none was run)."""
    if not runs or _ok(runs):
        return None
    return runs[-1].error or runs[-1].status


def page_times(runs: list[StepRun]) -> dict[str, dict[str, dict[str, float]]]:
    """page -> call -> {cold, warm, filtered}: medians over the successful runs."""
    good = _ok(runs)
    out: dict[str, dict[str, dict[str, float]]] = {}
    if not good:
        return out
    for page, calls in good[0].info.get("pages", {}).items():
        for call, kinds in calls.items():
            for kind in kinds:
                values = [
                    r.info["pages"][page][call][kind]
                    for r in good
                    if kind in r.info.get("pages", {}).get(page, {}).get(call, {})
                ]
                out.setdefault(page, {}).setdefault(call, {})[kind] = statistics.median(values)
    return out


SIDEBAR = "sidebar (every page)"


def page_totals(pages: dict[str, dict[str, dict[str, float]]], kind: str) -> dict[str, float]:
    """Seconds of each page's data calls, the sidebar's included."""
    sidebar = sum(c.get(kind, 0.0) for c in pages.get(SIDEBAR, {}).values())
    return {
        page: sidebar + sum(c.get(kind, 0.0) for c in calls.values())
        for page, calls in pages.items()
        if page != SIDEBAR
    }


@dataclass
class SizeFigures:
    """Medians and peaks of one size, as the report shows them."""

    files: Generated
    generate_s: float
    runs: dict[str, list[StepRun]]

    def t(self, step: str, *phases: str) -> float | None:
        return median_time(self.runs[step], *phases)

    @property
    def floor(self) -> float | None:
        return self.t("floor", "floor")

    @property
    def ours_import(self) -> float | None:
        return self.t("ingest", "import")

    @property
    def ours_summary(self) -> float | None:
        return self.t("analysis", "summary")

    @property
    def ours_fit(self) -> float | None:
        return self.t("analysis", "fit")

    @property
    def ours_import_summary(self) -> float | None:
        a, b = self.ours_import, self.ours_summary
        return None if a is None or b is None else a + b

    @property
    def ours_total(self) -> float | None:
        a, b = self.ours_import_summary, self.ours_fit
        return None if a is None or b is None else a + b

    @property
    def reference_total(self) -> float | None:
        return self.t("reference", "read", "summary", "fit")

    @property
    def ours_peak(self) -> float | None:
        values = [
            v
            for v in (peak(self.runs["ingest"]), phase_peak(self.runs["analysis"], "summary"))
            if v
        ]
        return max(values) if values else None


# -- report ----------------------------------------------------------------------------


def _s(value: float | None, digits: int = 2) -> str:
    if value is None:
        return "—"
    if value >= 100:
        return f"{value:,.0f}"
    return f"{value:.{digits}f}"


def _mb(value: float | None) -> str:
    return "—" if value is None else f"{value:,.0f}"


def _ratio(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}×"


def _div(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None or b == 0 else a / b


def _versions() -> str:
    names = ("duckdb", "pandas", "numpy", "lifetimes", "scipy")
    found = []
    for name in names:
        try:
            found.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            continue
    return ", ".join(found)


def _memory_gib() -> float:
    with open("/proc/meminfo", encoding="ascii") as info:
        for line in info:
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024 / 1024
    return float("nan")


def _step_cell(
    figures: SizeFigures, step: str, phases: tuple[str, ...], rss: str | None
) -> tuple[str, str, str]:
    runs = figures.runs[step]
    why = failure(runs)
    if why is not None:
        return (f"not measured: {why}", "", "")
    if not runs:
        return ("not run", "", "")
    inside = median_time(runs, *phases)
    memory = phase_peak(runs, rss) if rss else peak(runs)
    wall = median_wall(runs) if rss is None else None
    return (_s(inside), _s(wall), _mb(memory))


STEP_ROWS: tuple[tuple[str, str, tuple[str, ...], str | None], ...] = (
    ("floor: DuckDB read_csv + GROUP BY customer", "floor", ("floor",), None),
    ("ours: import (`python -m clv ingest`)", "ingest", ("import",), None),
    ("ours: per-customer summary", "analysis", ("summary",), "summary"),
    ("ours: BG/NBD fit on distinct rows", "analysis", ("fit",), "fit"),
    (
        "ours: shared valuation, first call (CLV page)",
        "analysis",
        ("valuation.cold",),
        "valuation.cold",
    ),
    (
        "ours: analysis process (summary, fit, valuation, pages ×3)",
        "analysis",
        ("open", "summary", "fit", "valuation.cold", "pages"),
        None,
    ),
    ("reference: `pd.read_csv`", "reference", ("read",), "read"),
    ("reference: `summary_data_from_transaction_data`", "reference", ("summary",), "summary"),
    ("reference: `BetaGeoFitter.fit`", "reference", ("fit",), "fit"),
    ("reference: total", "reference", ("read", "summary", "fit"), None),
)


def _verdicts(figures: list[SizeFigures]) -> list[tuple[str, str, str, str]]:
    """(target, measured, verdict, why) at the largest size measured."""
    big = figures[-1]
    where = count_label(big.files.rows)
    partial = big.files.rows < TARGET_ROWS
    at = f"at {where}" + (" (10M not run)" if partial else "")
    rows: list[tuple[str, str, str, str]] = []

    # 1. import + summary within 2x the floor
    ratio = _div(big.ours_import_summary, big.floor)
    if ratio is None:
        rows.append(("import + summary ≤ 2× floor", "not measured", "—", _why_missing(big)))
    else:
        share = _div(big.ours_import, big.ours_import_summary) or 0.0
        why = (
            f"the import takes {_s(big.ours_import)} s of {_s(big.ours_import_summary)} s "
            f"({share:.0%}); the summary {_s(big.ours_summary)} s; the floor reads and groups "
            f"the file in {_s(big.floor)} s"
        )
        rows.append(
            (
                "import + summary ≤ 2× floor",
                f"{ratio:.1f}× the floor {at}",
                _met(
                    ratio <= IMPORT_VS_FLOOR,
                    f"missed by {ratio / IMPORT_VS_FLOOR:.1f}× "
                    f"({_s(big.ours_import_summary)} s for a target of {_s(IMPORT_VS_FLOOR * big.floor)} s)",
                ),
                why,
            )
        )

    # 2. at least 3x faster than the reference
    speed = _div(big.reference_total, big.ours_total)
    ref_fail = failure(big.runs["reference"])
    if ref_fail is not None and big.ours_total is not None:
        rows.append(
            (
                "≥ 3× faster than pandas + lifetimes",
                f"reference {ref_fail}; ours {_s(big.ours_total)} s {at}",
                "met (lower bound)" if "did not finish" in ref_fail else "—",
                "the reference did not complete, so the speed-up is at least the timeout over ours",
            )
        )
    elif speed is None:
        rows.append(("≥ 3× faster than pandas + lifetimes", "not measured", "—", _why_missing(big)))
    else:
        rows.append(
            (
                "≥ 3× faster than pandas + lifetimes",
                f"reference / ours = {speed:.2f}× {at}",
                _met(
                    speed >= REFERENCE_VS_OURS,
                    f"missed: ours needs {_s(big.ours_total)} s, "
                    f"the target is {_s(big.reference_total / REFERENCE_VS_OURS)} s "
                    f"({REFERENCE_VS_OURS / speed:.1f}× too slow)",
                ),
                f"ours: import {_s(big.ours_import)} s + summary {_s(big.ours_summary)} s + fit "
                f"{_s(big.ours_fit)} s; reference: read {_s(big.t('reference', 'read'))} s + "
                f"summary {_s(big.t('reference', 'summary'))} s + fit {_s(big.t('reference', 'fit'))} s",
            )
        )

    # 3. peak memory under 1 GB at 10M rows
    ingest_peak = peak(big.runs["ingest"])
    if ingest_peak is None:
        rows.append(("peak memory < 1 GB at 10M rows", "not measured", "—", _why_missing(big)))
    else:
        worst = big.ours_peak or ingest_peak
        text = f"{_mb(worst)} MB {at}"
        projected = worst
        per_million = growth_per_million(big.runs["ingest"], big.files.rows)
        if partial and per_million is not None and big.files.rows >= 100_000:
            base = phase_peak(big.runs["ingest"], "imports") or 0.0
            projected = base + per_million * TARGET_ROWS / 1e6
            text += (
                f"; the import grows by {_mb(per_million)} MB per million rows above the "
                f"{_mb(base)} MB of its imports → about {_mb(projected)} MB at 10M if linear"
            )
        ok = max(worst, projected) < PEAK_MB
        rows.append(
            (
                "peak memory < 1 GB at 10M rows",
                text,
                _met(ok, f"missed by {max(worst, projected) / PEAK_MB:.1f}×"),
                f"import process peak {_mb(ingest_peak)} MB, analysis process peak "
                f"{_mb(peak(big.runs['analysis']))} MB (after the summary "
                f"{_mb(phase_peak(big.runs['analysis'], 'summary'))} MB)",
            )
        )

    # 4. model fit in seconds
    fit = big.ours_fit
    good = _ok(big.runs["analysis"])
    if fit is None or not good:
        rows.append(
            ("BG/NBD fit in seconds (distinct rows)", "not measured", "—", _why_missing(big))
        )
    else:
        info = good[0].info
        rows.append(
            (
                "BG/NBD fit in seconds (distinct rows)",
                f"{_s(fit)} s on {info.get('fit_customers', 0):,} customers "
                f"({info.get('distinct_rows', 0):,} distinct rows) {at}",
                _met(fit < FIT_S, f"missed: {_s(fit)} s against {FIT_S} s ({fit / FIT_S:.1f}×)"),
                f"the reference fits every customer: {_s(big.t('reference', 'fit'))} s",
            )
        )

    # 5. every page under 1.5 s warm
    pages = page_times(big.runs["analysis"])
    if not pages:
        rows.append(
            ("every page's data calls < 1.5 s warm", "not measured", "—", _why_missing(big))
        )
    else:
        warm = page_totals(pages, "warm")
        slowest = max(warm, key=warm.get)
        calls = [
            (call, kinds.get("warm", 0.0), page)
            for page, page_calls in pages.items()
            for call, kinds in page_calls.items()
        ]
        call, seconds, _ = max(calls, key=lambda c: c[1])
        over = [p for p, s in warm.items() if s >= PAGE_WARM_S]
        valuation = big.t("analysis", "valuation.cold")
        rows.append(
            (
                "every page's data calls < 1.5 s warm",
                f"slowest: {slowest} {_s(warm[slowest])} s warm {at}; "
                f"CLV page (valuation, uncached) {_s(valuation)} s",
                _met(
                    not over and (valuation or 0) < PAGE_WARM_S,
                    f"missed by {max(warm[slowest], valuation or 0) / PAGE_WARM_S:.1f}× "
                    f"({len(over)} of {len(warm)} pages over, plus the CLV page)"
                    if (valuation or 0) >= PAGE_WARM_S
                    else f"missed by {warm[slowest] / PAGE_WARM_S:.1f}× ({len(over)} of {len(warm)} pages over)",
                ),
                f"slowest call {call} {_s(seconds)} s; the valuation is timed uncached here "
                "(the app computes it once per data version and settings and caches it)",
            )
        )
    return rows


def _met(ok: bool, miss: str) -> str:
    return "met" if ok else miss


def _why_missing(figures: SizeFigures) -> str:
    for step in ("ingest", "analysis", "floor", "reference"):
        why = failure(figures.runs[step])
        if why:
            return f"{step}: {why}"
    return "no run"


def render(
    figures: list[SizeFigures], *, command: str, repeats: int, started: str, load: str
) -> str:
    """The generated part of the report (Markdown)."""
    labels = [count_label(f.files.rows) for f in figures]
    lines = [
        BEGIN,
        "## Measurements",
        "",
        f"Generated by `{command}` on {started}.",
        "",
        f"Machine: {os.cpu_count()} CPUs, {_memory_gib():.1f} GiB RAM, {platform.system()} "
        f"{platform.release()}; Python {platform.python_version()}, {_versions()}. "
        f"Load average at start: {load}. DuckDB runs with 2 threads and a 1 GB memory limit "
        "(the app's store settings) in every pipeline but the import, which runs with the "
        "command line's default of 512 MB.",
        "",
        f"Times are medians of {repeats} run(s), measured inside each process around the work "
        "(interpreter start-up and imports excluded); *wall* is the median time around the whole "
        "process. Peak memory is the largest peak resident set size of the process over the "
        "runs (for a phase: the process's peak at the end of that phase).",
        "",
        "### Files",
        "",
        "| size | rows | customers | MB | generated in (s) |",
        "|---|---:|---:|---:|---:|",
    ]
    for f in figures:
        lines.append(
            f"| {count_label(f.files.rows)} | {f.files.rows:,} | {f.files.customers:,} | "
            f"{f.files.bytes / 1e6:,.1f} | {_s(f.generate_s)} |"
        )
    lines += ["", "### Pipelines", ""]
    head = (
        "| step | "
        + " | ".join(f"{lab} inside (s) | {lab} wall (s) | {lab} peak (MB)" for lab in labels)
        + " |"
    )
    lines += [head, "|---|" + "---:|---:|---:|" * len(labels)]
    for title, step, phases, rss in STEP_ROWS:
        cells = [" | ".join(_step_cell(f, step, phases, rss)) for f in figures]
        lines.append(f"| {title} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "### Ratios",
        "",
        "- *ours/floor* = (import + summary, inside times) / floor. Target ≤ 2.",
        "- *reference/ours* = reference total (read + summary + fit) / ours (import + summary + "
        "fit). Target ≥ 3.",
        "",
        "| | " + " | ".join(labels) + " |",
        "|---|" + "---:|" * len(labels),
        "| ours import + summary (s) | "
        + " | ".join(_s(f.ours_import_summary) for f in figures)
        + " |",
        "| ours import + summary + fit (s) | "
        + " | ".join(_s(f.ours_total) for f in figures)
        + " |",
        "| ours/floor | "
        + " | ".join(_ratio(_div(f.ours_import_summary, f.floor)) for f in figures)
        + " |",
        "| reference/ours | "
        + " | ".join(_ratio(_div(f.reference_total, f.ours_total)) for f in figures)
        + " |",
        "| import: peak MB above its imports, per million rows | "
        + " | ".join(_mb(growth_per_million(f.runs["ingest"], f.files.rows)) for f in figures)
        + " |",
        "",
        "### Targets",
        "",
        "| target | measured | verdict | why |",
        "|---|---|---|---|",
    ]
    for target, measured, verdict, why in _verdicts(figures):
        lines.append(f"| {target} | {measured} | {verdict} | {why} |")
    lines += [
        "",
        "### Pages",
        "",
        "Seconds of each page's data calls with the default settings, the sidebar's "
        "(`overview.base_summary`, `filters.channel_choices`) included: *cold* is the first "
        "call in a fresh process (the first one also builds the derived tables of "
        "`clv.store.derived`), *warm* a second identical call, *filtered* the same calls "
        "with a channel filter (a filter change). The valuation (`clv.valuation.engine.value_customers`) "
        "is the CLV page's one call; the other pages take predicted CLV and tiers from it, and "
        "the app caches it per data version and settings, so it is shown apart.",
        "",
        "| page | "
        + " | ".join(f"{lab} cold | {lab} warm | {lab} filtered" for lab in labels)
        + " |",
        "|---|" + "---:|---:|---:|" * len(labels),
    ]
    per_size = [page_times(f.runs["analysis"]) for f in figures]
    page_names = [p for p in (per_size[-1] or (per_size[0] if per_size else {})) if p != SIDEBAR]
    for page in page_names:
        cells = []
        for pages in per_size:
            if page not in pages:
                cells.append("— | — | —")
                continue
            cells.append(
                " | ".join(
                    _s(page_totals(pages, kind)[page]) for kind in ("cold", "warm", "filtered")
                )
            )
        lines.append(f"| {page} | " + " | ".join(cells) + " |")
    lines.append(
        "| CLV page: valuation | "
        + " | ".join(f"{_s(f.t('analysis', 'valuation.cold'))} | — | —" for f in figures)
        + " |"
    )
    if per_size and per_size[-1]:
        lines += ["", f"Slowest calls at {labels[-1]} (warm, seconds):", ""]
        calls = sorted(
            (
                (kinds.get("warm", 0.0), call, page)
                for page, page_calls in per_size[-1].items()
                for call, kinds in page_calls.items()
            ),
            reverse=True,
        )
        lines += [f"- `{call}` ({page}): {_s(seconds, 3)}" for seconds, call, page in calls[:6]]
    lines += _stage_lines(figures)
    notes = _notes(figures)
    if notes:
        lines += ["", "### Notes from this run", ""] + [f"- {n}" for n in notes]
    lines.append(END)
    return "\n".join(lines) + "\n"


def _stage_lines(figures: list[SizeFigures]) -> list[str]:
    """Where the import's time and memory go: the time after each progress line of the
    CLI (median over the runs) and the process's peak memory when the next line came."""
    measured = [f for f in figures if _ok(f.runs["ingest"])]
    if not measured:
        return []
    labels = [count_label(f.files.rows) for f in measured]
    order = [s["stage"] for s in _merged_stages(_ok(measured[-1].runs["ingest"])[0])]
    lines = [
        "",
        "### Import stages",
        "",
        "Time from each progress line of `python -m clv ingest` to the next stage's first line "
        "(median; the lines that count rows read, and repeated lines, are one stage), and the "
        "import process's peak memory at the end of that stage (largest over the runs).",
        "",
        "| stage | " + " | ".join(f"{lab} (s) | {lab} peak (MB)" for lab in labels) + " |",
        "|---|" + "---:|---:|" * len(labels),
    ]
    for stage in order:
        cells = []
        for f in measured:
            found = [
                s for r in _ok(f.runs["ingest"]) for s in _merged_stages(r) if s["stage"] == stage
            ]
            if not found:
                cells.append("— | —")
                continue
            seconds = statistics.median(s["seconds"] for s in found)
            cells.append(f"{_s(seconds)} | {_mb(max(s['peak_mb'] for s in found))}")
        lines.append(f"| {stage} | " + " | ".join(cells) + " |")
    return lines


def _merged_stages(run: StepRun) -> list[dict[str, Any]]:
    """The import's stages with ``Reading the file (N rows)`` folded into ``Reading the
    file`` and consecutive lines of the same stage added up."""
    merged: list[dict[str, Any]] = []
    for stage in run.info.get("stages", []):
        name = re.sub(r" \([\d,.\u202f\xa0 ]+ rows\)$", "", stage["stage"])
        if merged and merged[-1]["stage"] == name:
            merged[-1]["seconds"] += stage["seconds"]
            merged[-1]["peak_mb"] = max(merged[-1]["peak_mb"], stage["peak_mb"])
        else:
            merged.append({"stage": name, "seconds": stage["seconds"], "peak_mb": stage["peak_mb"]})
    return merged


def _notes(figures: list[SizeFigures]) -> list[str]:
    notes: list[str] = []
    for f in figures:
        label = count_label(f.files.rows)
        for step, runs in f.runs.items():
            for r in runs:
                if r.status != "ok":
                    notes.append(f"{label}, {step}: {r.status}: {r.error}")
        good = _ok(f.runs["analysis"])
        if good:
            info = good[0].info
            for text in info.get("skipped_pages", []):
                notes.append(f"{label}: page left out: {text}")
            if not info.get("valuation_ok"):
                notes.append(f"{label}: no valuation: {info.get('valuation_reason')}")
        ref = _ok(f.runs["reference"])
        ours = _ok(f.runs["analysis"])
        if ref and ours:
            notes.append(
                f"{label}: customers: ours {ours[0].info.get('customers'):,}, reference "
                f"{ref[0].info.get('customers'):,}; BG/NBD ours (weeks) "
                f"{ours[0].info.get('fit_params')}, reference (days) {ref[0].info.get('fit_params')}"
            )
            warned = ref[0].info.get("warnings")
            if warned:
                notes.append(f"{label}: the reference raised warnings: {warned}")
    return notes


def write_report(path: Path, body: str) -> None:
    """Replace the generated part of ``path`` (or write it whole when it has none)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    old = path.read_text(encoding="utf-8") if path.is_file() else ""
    if BEGIN in old and END in old:
        head, rest = old.split(BEGIN, 1)
        _, tail = rest.split(END, 1)
        text = head + body.rstrip("\n") + tail
    else:
        text = "# Performance\n\n" + body
    path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.run", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--sizes",
        type=lambda text: [parse_count(part) for part in text.split(",") if part.strip()],
        default=[100_000, 1_000_000, 10_000_000],
        help="comma-separated row counts (default 100k,1M,10M)",
    )
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "performance.md")
    parser.add_argument("--work", type=Path, default=ROOT / "bench" / "data")
    parser.add_argument(
        "--timeout", type=float, default=1800.0, help="seconds before a step is stopped"
    )
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument(
        "--report-only",
        action="store_true",
        help="rewrite the report from WORK/results.json (the last run) without running anything",
    )
    args = parser.parse_args(argv)
    if args.repeats < 1:
        parser.error("--repeats must be at least 1")
    work = args.work.resolve()
    if args.report_only:
        return _report_only(work, args.out)
    command = "python -m bench.run " + " ".join(
        shlex.quote(a) for a in (sys.argv[1:] if argv is None else argv)
    )
    started = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    figures: list[SizeFigures] = []
    raw: list[dict[str, Any]] = []
    for rows in sorted(args.sizes):
        _log(f"generating {count_label(rows)} rows in {work}")
        start = time.perf_counter()
        files = generate(work, rows, args.seed)
        generate_s = time.perf_counter() - start
        runs = run_size(files, repeats=args.repeats, timeout=args.timeout, work=work)
        figures.append(SizeFigures(files, generate_s, runs))
        raw.append(
            {
                "files": asdict(files),
                "generate_s": generate_s,
                "runs": {k: [asdict(r) for r in v] for k, v in runs.items()},
            }
        )
        # Written after each size, so that a long run can be read before it ends.
        body = render(figures, command=command, repeats=args.repeats, started=started, load=load)
        write_report(args.out, body)
        (work / "results.json").write_text(
            json.dumps(
                {
                    "command": command,
                    "started": started,
                    "load": load,
                    "repeats": args.repeats,
                    "sizes": raw,
                },
                indent=2,
                default=str,
            ),
            encoding="utf-8",
        )
    _log(f"report written to {args.out}")
    return 0


def _report_only(work: Path, out: Path) -> int:
    """Render the report again from the results of the last run (same figures)."""
    saved = json.loads((work / "results.json").read_text(encoding="utf-8"))
    figures = [
        SizeFigures(
            Generated(**size["files"]),
            size["generate_s"],
            {step: [StepRun(**run) for run in runs] for step, runs in size["runs"].items()},
        )
        for size in saved["sizes"]
    ]
    body = render(
        figures,
        command=saved["command"],
        repeats=saved["repeats"],
        started=saved["started"],
        load=saved["load"],
    )
    write_report(out, body)
    _log(f"report rewritten from {work / 'results.json'} to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

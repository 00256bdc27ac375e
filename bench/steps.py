"""The measured steps of the benchmark, each run in a fresh process by :mod:`bench.run`.

``python -m bench.steps STEP RESULT.json ARGS...`` runs one step and writes what it
measured to ``RESULT.json``:

- ``times``: seconds measured *inside* the process, around the work only (the
  interpreter's start and the imports of pandas, DuckDB and lifetimes are outside);
- ``rss``: the process's peak resident set size so far (``VmHWM``, in MB) after each
  phase, so a phase's own peak shows even when several phases share the process;
- ``info``: counts that let the reader check the work was done (customers, rows);
- ``error``: what went wrong, when it did (``ok`` is then false).

Steps:

``floor FILE``
    a bare DuckDB ``read_csv`` + ``GROUP BY`` customer over the file, computing what a
    per-customer summary needs (orders, distinct purchase days, first and last order,
    revenue of paid orders), fetched as a DataFrame.
``ingest FILE MAPPING``
    ``python -m clv ingest FILE --mapping MAPPING`` (the CLI's own ``main``) into the
    store named by ``CLV_DB``.
``analysis``
    on the store named by ``CLV_DB``: the per-customer summary, the BG/NBD fit on
    distinct rows, the shared valuation (once), then every page's data calls, each timed
    on its first call (cold)
    and on a second identical call (warm), then once more with a channel filter.
``reference FILE``
    ``pd.read_csv`` + ``lifetimes.utils.summary_data_from_transaction_data`` +
    ``BetaGeoFitter(penalizer_coef=0).fit`` on the full summary.
"""

from __future__ import annotations

import contextlib
import io
import json
import sys
import time
import traceback
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

# Column names of the generated orders file (bench.generate.ORDER_COLUMNS).
CUSTOMER, DATE, STATUS, TOTAL = "Customer Email", "Order Date", "Status", "Total"
DUCKDB_CONFIG = {"threads": 2, "memory_limit": "1GB"}  # as the store opens DuckDB


def peak_rss_mb() -> float:
    """This process's peak resident set size so far (``VmHWM``), in MB."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


class Recorder:
    """Times and peaks of the phases of one step."""

    def __init__(self) -> None:
        self.times: dict[str, float] = {}
        self.rss: dict[str, float] = {}
        self.info: dict[str, Any] = {}

    @contextlib.contextmanager
    def phase(self, name: str):
        start = time.perf_counter()
        try:
            yield
        finally:
            self.times[name] = time.perf_counter() - start
            self.rss[name] = peak_rss_mb()


# -- floor ------------------------------------------------------------------------------

FLOOR_SQL = """
SELECT "Customer Email" AS customer_id,
       count(*) AS orders,
       count(DISTINCT CAST("Order Date" AS DATE)) AS purchase_days,
       min("Order Date") AS first_order_at,
       max("Order Date") AS last_order_at,
       sum("Total") AS revenue
FROM read_csv(?, header = true)
WHERE "Status" = 'paid' AND "Customer Email" IS NOT NULL
GROUP BY 1
"""


def floor(rec: Recorder, file: str) -> None:
    with rec.phase("imports"):
        import duckdb
        import pandas  # noqa: F401  (DuckDB's .df() would import it inside the timing)

    with rec.phase("floor"):
        con = duckdb.connect(":memory:", config=DUCKDB_CONFIG)
        frame = con.execute(FLOOR_SQL, [file]).df()
        con.close()
    rec.info["customers"] = len(frame)
    rec.info["paid_orders"] = int(frame["orders"].sum())


# -- ours: import ---------------------------------------------------------------------


class _StageClock(io.TextIOBase):
    """Stands for standard error during the import: notes when each progress line of the
    CLI (``[ 35%] Checking every row``) arrives, and the process's peak memory then."""

    def __init__(self) -> None:
        self.start = time.perf_counter()
        self.marks: list[tuple[str, float, float]] = []
        self._pending = ""

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        self._pending += text
        while "\n" in self._pending:
            line, self._pending = self._pending.split("\n", 1)
            message = line.split("]", 1)[-1].strip()
            self.marks.append((message, time.perf_counter() - self.start, peak_rss_mb()))
        return len(text)

    def durations(self) -> list[dict[str, Any]]:
        """Each stage (named by the line that opens it), its seconds and the peak memory
        at its end; the first stage is what ran before the first line (opening the store)."""
        stages = []
        previous, previous_t = "Opening the store", 0.0
        for message, t, mb in self.marks:
            stages.append({"stage": previous, "seconds": t - previous_t, "peak_mb": mb})
            previous, previous_t = message, t
        end = time.perf_counter() - self.start
        stages.append({"stage": previous, "seconds": end - previous_t, "peak_mb": peak_rss_mb()})
        return stages


def ingest(rec: Recorder, file: str, mapping: str) -> None:
    with rec.phase("imports"):
        from clv import cli
        from clv.ingest import pipeline  # noqa: F401  (the CLI imports it on first use)

    out = io.StringIO()
    stages = _StageClock()
    with rec.phase("import"), contextlib.redirect_stdout(out), contextlib.redirect_stderr(stages):
        code = cli.main(["ingest", file, "--mapping", mapping])
    rec.info["stages"] = stages.durations()
    text = out.getvalue()
    try:
        report = json.loads(text)
    except json.JSONDecodeError:
        report = {"error": text.strip()[-500:]}
    if code != 0 or "error" in report:
        raise RuntimeError(f"python -m clv ingest exited with {code}: {report.get('error')}")
    rec.info.update(
        rows_read=report["rows_read"],
        rows_loaded=report["rows_loaded"],
        rows_rejected=report["rows_rejected"],
    )


# -- ours: summary, fit, pages ----------------------------------------------------------

Call = Callable[[Any], Any]


def page_calls(store: Any, key: Any, filters: Any) -> dict[str, dict[str, Call]]:
    """Each page's data calls with the page's default settings, keyed by call label.

    ``key`` names the shared valuation's values in the store (``None`` without one);
    the margin rate is the app's default (40 %). The Voice of customer page is left
    out when the store holds no NPS answer (the page then only says what to upload).
    """
    from clv.metrics import acquisition, loyalty, overview, retention, voice
    from clv.metrics import filters as flt

    margin = 0.40
    days: dict[str, int] = {}

    def churn_days(cur: Any) -> int:
        days["value"] = retention.default_churn_days(cur)
        return days["value"]

    def d(cur: Any) -> int:
        return days.get("value") or churn_days(cur)

    calls: dict[str, dict[str, Call]] = {
        "sidebar (every page)": {
            "overview.base_summary": lambda cur: overview.base_summary(store, filters),
            "filters.channel_choices": flt.channel_choices,
        },
        "Overview": {
            "overview.value_of_kept": lambda cur: (
                overview.value_of_kept(cur, key, filters) if key is not None else None
            ),
            "acquisition.acquisition_figures": lambda cur: acquisition.acquisition_figures(
                cur, key, filters, margin
            ),
            "retention.default_churn_days": churn_days,
            "retention.churn_rates(cohort)": lambda cur: retention.churn_rates(
                cur, d(cur), filters, by="cohort"
            ),
            "loyalty.revenue_split_by_month": lambda cur: loyalty.revenue_split_by_month(
                cur, filters
            ),
            "loyalty.repeat_rates": lambda cur: loyalty.repeat_rates(cur, filters),
        },
        "Acquisition": {
            "acquisition.channel_aliases": acquisition.channel_aliases,
            "acquisition.channel_names": acquisition.channel_names,
            "acquisition.acquisition_figures": lambda cur: acquisition.acquisition_figures(
                cur, key, filters, margin
            ),
        },
        "Retention": {
            "filters.observation_end": lambda cur: flt.observation_end(cur, filters),
            "retention.default_churn_days": churn_days,
            "retention.churn_rates(cohort)": lambda cur: retention.churn_rates(
                cur, d(cur), filters, by="cohort"
            ),
            "retention.cohort_retention": lambda cur: retention.cohort_retention(cur, filters),
            "retention.cumulative_margin_by_cohort": lambda cur: (
                retention.cumulative_margin_by_cohort(cur, filters, margin_rate=margin)
            ),
            "retention.churn_rates(tier)": lambda cur: (
                retention.churn_rates(cur, d(cur), filters, by="tier", valuation=key)
                if key is not None
                else None
            ),
            "retention.survival_curves(channel)": lambda cur: retention.survival_curves(
                cur, d(cur), filters, by="channel"
            ),
        },
        "Loyalty": {
            "loyalty.repeat_rates": lambda cur: loyalty.repeat_rates(
                cur, filters, windows=(30, 60, 90)
            ),
            "loyalty.revenue_split_by_month": lambda cur: loyalty.revenue_split_by_month(
                cur, filters
            ),
            "loyalty.time_between_orders": lambda cur: loyalty.time_between_orders(cur, filters),
            "loyalty.basket_by_rank": lambda cur: loyalty.basket_by_rank(cur, filters),
            "loyalty.basket_by_tenure": lambda cur: loyalty.basket_by_tenure(cur, filters),
        },
        "Voice of customer": {
            "voice.nps_by(month)": lambda cur: voice.nps_by(cur, "month", filters),
        },
    }
    return calls


_COUNT_SQL = {
    "nps_responses": "SELECT count(*) FROM nps_responses",
    "marketing_spend": "SELECT count(*) FROM marketing_spend",
}


def _has_rows(store: Any, table: str) -> bool:
    with store.cursor() as cur:
        return bool(cur.execute(_COUNT_SQL[table]).fetchone()[0])


def analysis(rec: Recorder) -> None:
    with rec.phase("imports"):
        from clv.metrics import (
            acquisition,  # noqa: F401
        )
        from clv.metrics.filters import NO_FILTERS, Filters
        from clv.store import Store
        from clv.valuation import models, summary
        from clv.valuation.engine import ValuationSettings, store_values, value_customers

    with rec.phase("open"):
        store = Store()
    with rec.phase("summary"), store.cursor() as cur:
        data = summary.customer_summary(cur)
    rec.info["customers"] = len(data)
    rec.info["repeat_customers"] = int((data["frequency"] > 0).sum())
    rec.info["distinct_rows"] = len(summary.compress(data))
    with rec.phase("fit"):
        fit = models.fit_purchase_model(data, "bgnbd")
    rec.info["fit_params"] = {k: round(float(v), 4) for k, v in fit.params.items()}
    rec.info["fit_customers"] = int(fit.n_customers)

    # The shared valuation (CLV page, tiers and CLV used by the other pages); the app
    # computes it once per data version and settings and caches it, so it is timed once
    # (a second call does the same work again: minutes at ten million orders).
    settings = ValuationSettings(margin_rate=0.40)
    with rec.phase("valuation.cold"):
        valuation = value_customers(store, settings)
    rec.info["valuation_ok"] = bool(valuation.ok)
    rec.info["valuation_model"] = getattr(valuation, "model", None) if valuation.ok else None
    if not valuation.ok:
        rec.info["valuation_reason"] = str(valuation.reason)
    # Its per-customer values go into the store once; every page joins them by key.
    with rec.phase("valuation.store"), store.cursor() as cur:
        key = store_values(cur, valuation)

    skipped = []
    if not _has_rows(store, "nps_responses"):
        skipped.append(
            "Voice of customer: no NPS answers in the store (the page shows its empty state)"
        )
    if not _has_rows(store, "marketing_spend"):
        skipped.append("Acquisition: no ad spend in the store (the page shows its empty state)")
    rec.info["skipped_pages"] = skipped
    skip = {text.split(":")[0] for text in skipped}

    channel = Filters(channels=("Google Ads",))
    pages: dict[str, dict[str, dict[str, float]]] = {}
    with rec.phase("pages"):
        for label, filters in (("cold", NO_FILTERS), ("warm", NO_FILTERS), ("filtered", channel)):
            calls = page_calls(store, key, filters)
            for page, page_calls_ in calls.items():
                if page in skip:
                    continue
                for name, call in page_calls_.items():
                    start = time.perf_counter()
                    with store.cursor() as cur:
                        call(cur)
                    elapsed = time.perf_counter() - start
                    pages.setdefault(page, {}).setdefault(name, {})[label] = elapsed
    rec.info["pages"] = pages
    store.close()


# -- reference ------------------------------------------------------------------------


def reference(rec: Recorder, file: str) -> None:
    with rec.phase("imports"):
        import pandas as pd
        from lifetimes import BetaGeoFitter
        from lifetimes.utils import summary_data_from_transaction_data

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with rec.phase("read"):
            frame = pd.read_csv(file)
        rows = len(frame)
        with rec.phase("summary"):
            paid = frame[frame[STATUS] == "paid"]
            del frame
            data = summary_data_from_transaction_data(
                paid, CUSTOMER, DATE, monetary_value_col=TOTAL, freq="D"
            )
        del paid
        with rec.phase("fit"):
            fitter = BetaGeoFitter(penalizer_coef=0.0)
            fitter.fit(data["frequency"], data["recency"], data["T"])
    distinct = {f"{w.category.__name__}: {str(w.message)[:160]}" for w in caught}
    rec.info["warnings"] = sorted(distinct)[:5]
    rec.info.update(
        rows=rows,
        customers=len(data),
        repeat_customers=int((data["frequency"] > 0).sum()),
        fit_params={k: round(float(v), 4) for k, v in fitter.params_.items()},
    )


STEPS: dict[str, Callable[..., None]] = {
    "floor": floor,
    "ingest": ingest,
    "analysis": analysis,
    "reference": reference,
}


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) < 2 or args[0] not in STEPS:
        print(
            f"usage: python -m bench.steps {{{','.join(STEPS)}}} RESULT.json ARGS...",
            file=sys.stderr,
        )
        return 2
    step, result = args[0], Path(args[1])
    rec = Recorder()
    out: dict[str, Any] = {"step": step, "ok": True, "rss_at_start": peak_rss_mb()}
    try:
        STEPS[step](rec, *args[2:])
    except Exception as exc:  # a failed step is a result to report, not a crash
        out["ok"] = False
        out["error"] = f"{type(exc).__name__}: {exc}"
        out["traceback"] = traceback.format_exc(limit=8)
    out.update(times=rec.times, rss=rec.rss, info=rec.info, peak_rss=peak_rss_mb())
    result.write_text(json.dumps(out, indent=2, default=str), encoding="utf-8")
    return 0 if out["ok"] else 1


if __name__ == "__main__":
    raise SystemExit(main())

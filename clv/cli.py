"""Command line: ``python -m clv ingest|demo|status``.

For files past the upload limit, scheduled imports and scripted checks. Every command
prints JSON on standard output; a problem prints ``{"error": "..."}`` and exits non-zero
(2 for a file problem, 3 when the data file is in use by another process).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from clv.ingest.types import KINDS, FileProblem
from clv.store import Store, StoreBusy


def _print(payload: object) -> None:
    json.dump(payload, sys.stdout, indent=2, ensure_ascii=False, default=str)
    sys.stdout.write("\n")


def date_arg(text: str) -> dt.date:
    """A ``YYYY-MM-DD`` command-line date."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 1997-09-30") from exc


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m clv", description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="data file (default: $CLV_DB or data/clv.duckdb)")
    parser.add_argument(
        "--wait",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="when the data file is in use by the app, retry for this long",
    )
    parser.add_argument(
        "--memory-limit",
        default="512MB",
        metavar="SIZE",
        help="DuckDB's memory limit (default 512MB, which keeps an import of ten million "
        "rows under 1 GB in all); beyond it, work spills to disk",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    ingest = sub.add_parser("ingest", help="import an export file; prints the import report")
    ingest.add_argument("file", type=Path)
    ingest.add_argument("--kind", choices=KINDS, help="force the kind of data")
    ingest.add_argument("--source", help="force the source preset (e.g. shopify_orders)")
    ingest.add_argument("--mapping", type=Path, help="JSON column mapping for unknown layouts")
    ingest.add_argument(
        "--max-mb", type=float, default=2048,
        help="largest file accepted, in MB (default 2048; the app's upload limit is 200)",
    )  # fmt: skip
    order = ingest.add_mutually_exclusive_group()
    order.add_argument(
        "--dayfirst", dest="dayfirst", action="store_true", default=None,
        help="read ambiguous dates like 05/01/2023 as 5 January",
    )  # fmt: skip
    order.add_argument(
        "--monthfirst", dest="dayfirst", action="store_false",
        help="read ambiguous dates like 05/01/2023 as May 1",
    )  # fmt: skip

    demo = sub.add_parser("demo", help="load the generated demo shop")
    demo.add_argument("--customers", type=int, default=20_000)
    demo.add_argument("--seed", type=int, default=7)
    sub.add_parser("cdnow", help="load the CDNOW sample shipped with lifetimes")

    models = ("bgnbd", "mbgnbd", "pareto")
    fit = sub.add_parser("fit", help="fit the purchase and spend models; prints parameters")
    fit.add_argument("--model", choices=models, default="bgnbd")
    fit.add_argument(
        "--calibration-end", type=date_arg, metavar="YYYY-MM-DD",
        help="fit on orders up to this day and back-test on the orders after it",
    )  # fmt: skip
    fit.add_argument("--time-unit", choices=("day", "week", "month"), default="week")

    predict = sub.add_parser("predict", help="per-customer predictions and CLV as CSV")
    predict.add_argument("--horizon-months", type=int, default=12, choices=(6, 12, 24, 36))
    predict.add_argument("--model", choices=models, default="bgnbd")
    predict.add_argument("--time-unit", choices=("day", "week", "month"), default="week")
    predict.add_argument("--discount-rate", type=float, default=0.10, help="annual, e.g. 0.10")
    predict.add_argument(
        "--margin-rate", type=float, default=None,
        help="gross margin rate for orders without a cost (default: each customer's own to date)",
    )  # fmt: skip
    predict.add_argument("--output", type=Path, help="CSV file (default: standard output)")
    sub.add_parser("status", help="rows and date range per table")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; returns the exit code."""
    args = _parser().parse_args(argv)
    try:
        store = Store(args.db, wait_seconds=args.wait, memory_limit=args.memory_limit)
    except StoreBusy as exc:
        _print({"error": str(exc)})
        return 3
    try:
        if args.command == "ingest":
            return _ingest(store, args)
        if args.command == "demo":
            from clv.ingest.demo import load_demo

            rows = load_demo(
                store, seed=args.seed, n_customers=args.customers, key=store.pseudonym_key
            )
            _print({"loaded": rows})
            return 0
        if args.command in ("fit", "predict"):
            return _modelling(store, args)
        if args.command == "cdnow":
            from clv.ingest.pipeline import load_cdnow_sample

            _print(load_cdnow_sample(store).to_dict())
            return 0
        status = store.status()
        _print(
            {
                "db": str(store.path),
                "tables": {
                    row.table: {"rows": row.rows, "first": row.first_date, "last": row.last_date}
                    for row in status.itertuples()
                },
            }
        )
        return 0
    finally:
        store.close()


def _ingest(store: Store, args: argparse.Namespace) -> int:
    from clv.ingest.pipeline import import_path, load_mapping_file

    try:
        if not args.file.is_file():
            raise FileProblem(f"There is no file {args.file}.")
        kind, source, mapping = args.kind, args.source, None
        if args.mapping is not None:
            map_kind, map_source, mapping = load_mapping_file(args.mapping)
            kind = kind or map_kind
            source = source or map_source

        def progress(message: str, fraction: float) -> None:
            print(f"[{fraction:4.0%}] {message}", file=sys.stderr)

        report = import_path(
            store,
            args.file,
            kind=kind,
            source=source,
            mapping=mapping,
            dayfirst=args.dayfirst,
            progress=progress,
            max_bytes=int(args.max_mb * 1024 * 1024),
        )
    except FileProblem as exc:
        _print({"error": str(exc), "file": str(args.file)})
        return 2
    _print(report.to_dict())
    return 0


def _rounded(values: dict[str, float]) -> dict[str, float]:
    return {k: round(float(v), 6) for k, v in values.items()}


def _fit_json(fit) -> dict[str, object]:
    return {
        "model": fit.label,
        "parameters": _rounded(fit.params),
        "lower_95": _rounded(fit.lower),
        "upper_95": _rounded(fit.upper),
        "log_likelihood": round(fit.log_likelihood, 4),
        "customers": fit.n_customers,
        "penalizer": fit.penalizer_used,
        "warnings": [str(w) for w in fit.warnings],
    }


def _modelling(store: Store, args: argparse.Namespace) -> int:
    """``fit`` and ``predict``: a failed fit exits with 4, missing data or settings with 2."""
    from clv.valuation.models import FitFailed

    try:
        return _fit(store, args) if args.command == "fit" else _predict(store, args)
    except FitFailed as exc:
        _print({"error": str(exc)})
        return 4
    except ValueError as exc:
        _print({"error": str(exc)})
        return 2


def _fit(store: Store, args: argparse.Namespace) -> int:
    from clv.valuation import models, summary

    with store.cursor() as cur:
        data = summary.customer_summary(
            cur, observation_end=args.calibration_end, time_unit=args.time_unit
        )
        cal_holdout = (
            summary.calibration_holdout(
                cur, calibration_end=args.calibration_end, time_unit=args.time_unit
            )
            if args.calibration_end
            else None
        )
    purchase = models.fit_purchase_model(data, args.model, time_unit=args.time_unit)
    spend = models.fit_spend_model(data)
    holdout = models.holdout_error(cal_holdout, args.model) if cal_holdout is not None else None
    out: dict[str, object] = {
        "time_unit": args.time_unit,
        "observation_end": str(data.attrs.get("observation_end")),
        "purchase_model": _fit_json(purchase),
        "spend_model": _fit_json(spend),
        "spend_independence": round(models.spend_independence(data), 4),
        "holdout": None,
    }
    if holdout is not None:
        out["holdout"] = {
            "calibration_end": str(args.calibration_end),
            "actual_repeat_purchases": holdout.actual_total,
            "predicted_repeat_purchases": round(holdout.predicted_total, 2),
            "bias_percent": round(holdout.bias_percent, 2),
            "mean_absolute_error_per_customer": round(holdout.mae, 4),
        }
    _print(out)
    return 0


def _predict(store: Store, args: argparse.Namespace) -> int:
    from clv.valuation import models, summary

    with store.cursor() as cur:
        data = summary.customer_summary(cur, time_unit=args.time_unit, margin_rate=args.margin_rate)
    purchase = models.fit_purchase_model(data, args.model, time_unit=args.time_unit)
    spend = models.fit_spend_model(data)
    clv = models.predict_clv(
        purchase,
        spend,
        data,
        horizon_months=args.horizon_months,
        annual_discount_rate=args.discount_rate,
        margin_rate=args.margin_rate,
    )
    predictions = models.predict_customers(purchase, data, spend_fit=spend)
    if args.model == "bgnbd":
        # BG/NBD calls every one-time buyer certainly active; activity comes from MBG/NBD.
        activity = models.fit_purchase_model(data, "mbgnbd", time_unit=args.time_unit)
        predictions["probability_alive"] = models.probability_alive(activity, data)
        print("probability_alive from MBG/NBD (BG/NBD gives 1 to one-time buyers)", file=sys.stderr)
    table = data[["acquisition_channel", "orders", "net_revenue", "gross_margin"]].join(
        predictions.drop(columns=["expected_order_value"], errors="ignore")
    )
    table = table.join(clv[["expected_purchases", "expected_order_value", "clv"]].rename(
        columns={"expected_purchases": f"expected_purchases_{args.horizon_months}m",
                 "clv": f"clv_{args.horizon_months}m"}))  # fmt: skip
    from clv.formatting import to_csv_bytes

    payload = to_csv_bytes(table.reset_index())
    if args.output is None:
        sys.stdout.buffer.write(payload)
    else:
        args.output.write_bytes(payload)
        print(f"{len(table)} customers written to {args.output}", file=sys.stderr)
    return 0

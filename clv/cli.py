"""Command line: ``python -m clv ingest|demo|status``.

For files past the upload limit, scheduled imports and scripted checks. Every command
prints JSON on standard output; a problem prints ``{"error": "..."}`` and exits non-zero
(2 for a file problem, 3 when the data file is in use by another process).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from clv.ingest.types import KINDS, FileProblem
from clv.store import Store, StoreBusy


def _print(payload: object) -> None:
    json.dump(payload, sys.stdout, indent=2, ensure_ascii=False, default=str)
    sys.stdout.write("\n")


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
    sub = parser.add_subparsers(dest="command", required=True)

    ingest = sub.add_parser("ingest", help="import an export file; prints the import report")
    ingest.add_argument("file", type=Path)
    ingest.add_argument("--kind", choices=KINDS, help="force the kind of data")
    ingest.add_argument("--source", help="force the source preset (e.g. shopify_orders)")
    ingest.add_argument("--mapping", type=Path, help="JSON column mapping for unknown layouts")
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
    sub.add_parser("status", help="rows and date range per table")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; returns the exit code."""
    args = _parser().parse_args(argv)
    try:
        store = Store(args.db, wait_seconds=args.wait)
    except StoreBusy as exc:
        _print({"error": str(exc)})
        return 3
    try:
        if args.command == "ingest":
            return _ingest(store, args)
        if args.command == "demo":
            from clv.demo import load_demo

            rows = load_demo(
                store, seed=args.seed, n_customers=args.customers, key=store.pseudonym_key
            )
            _print({"loaded": rows})
            return 0
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
    from clv.ingest.pipeline import import_file, load_mapping_file

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

        report = import_file(
            store,
            args.file.read_bytes(),
            args.file.name,
            kind=kind,
            source=source,
            mapping=mapping,
            dayfirst=args.dayfirst,
            progress=progress,
        )
    except FileProblem as exc:
        _print({"error": str(exc), "file": str(args.file)})
        return 2
    _print(report.to_dict())
    return 0

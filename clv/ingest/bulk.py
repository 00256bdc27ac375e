"""Streaming import of large order files, in bounded memory.

The in-memory pipeline (:func:`clv.ingest.pipeline.import_file`) holds the whole file as
Python text: about 2 GB per million rows. For a CSV orders file mapped column by column
(a user's mapping, given or saved), this module does the same import without that:

1. the first megabytes are read by :func:`clv.ingest.reading.read_table` and mapped as
   usual: they decide the header, the delimiter, the encoding and the mapping;
2. DuckDB's own CSV reader loads a UTF-8 file into a temporary table of a store
   connection, each cell cleaned in SQL as the ordinary reader cleans it (in memory up
   to DuckDB's memory limit, spilled to its temporary folder beyond); a Windows-1252
   file, which DuckDB does not decode, is streamed block by block by Arrow's reader;
3. DuckDB SQL does the per-row work (order keys, order-level fields, HMAC
   pseudonyms, rejection reasons); the parsers of :mod:`clv.ingest.parsing` and the
   status rules of :mod:`clv.ingest.normalize` run on each column's *distinct*
   values only (a few thousand amounts, a handful of statuses, the dates SQL does not
   read itself);
4. one store transaction on the same connection writes the orders, the rejected rows
   and the import log.

The rules are those of :func:`clv.ingest.normalize.normalize_orders`, with the same
messages and the same stored values; ``tests/unit/ingest/test_bulk_import.py`` imports the same
files both ways and compares the stores. What this path does not take (Excel and
Parquet files, presets, line items, time zones, multi-line cells, blank lines, rows
of another width) raises :class:`NotBulk`, and the caller uses the in-memory pipeline.
"""

from __future__ import annotations

import csv
import hashlib
import json
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from clv.compliance.privacy import pseudonymize_series
from clv.i18n.messages import msg
from clv.ingest import parsing, presets
from clv.ingest.normalize import (
    LINE_FIELDS,
    ORDER_LEVEL_FIELDS,
    _dates,
    _status,
    rejected_frame,
)
from clv.ingest.pipeline import _map, nothing_usable
from clv.ingest.reading import _clean_cells, _is_total, read_table
from clv.ingest.types import FileProblem, MappedTable, RawTable
from clv.store import Store, UpsertCounts, registered, upsert_relation

Progress = Callable[[str, float], None]
_log = logging.getLogger(__name__)

# The head read by the ordinary reader, to learn the file's layout.
HEAD_BYTES = 4 * 1024 * 1024
# Arrow reads the file in blocks of this size. Its streaming reader holds about 35 blocks
# (read ahead and being converted): 8 MB blocks took 280 MB, 3 MB blocks take about 100.
BLOCK_BYTES = 3 * 1024 * 1024
# Files from this size go through this module when they can (smaller ones gain nothing).
BULK_MIN_BYTES = 32 * 1024 * 1024

_AMOUNT_FIELDS = ("total_amount", "discount_amount", "refunded_amount", "net_amount", "cost_amount")
_ID_FIELDS = ("order_id", "customer_ref")
# Python's str.strip() removes these (every character whose isspace() is true).
_PY_SPACES = "".join(chr(c) for c in range(0x110000) if chr(c).isspace())
_ENCODINGS = {"utf-8": "utf8", "utf-8-sig": "utf8", "cp1252": "cp1252"}
_DELIMITERS = (",", ";", "\t", "|")
_TOTALS_TEMPLATE = "Dropped {count} total row(s) at the end of the table."


class NotBulk(Exception):  # noqa: N818  (a decision, not an error)
    """The file needs the in-memory pipeline; the message says why (for the log)."""


@dataclass
class BulkPlan:
    """What the head of the file taught: layout, mapping and notes."""

    path: Path
    file_name: str
    raw: RawTable
    mapped: MappedTable
    mapping: dict[str, str]
    indices: dict[str, int]
    width: int
    skip_lines: int
    encoding: str
    delimiter: str
    save_mapping: bool
    head_bytes: int


def _head(path: Path) -> tuple[bytes, bool]:
    """The file's first bytes, cut after a line end, and whether that is the whole file."""
    with path.open("rb") as handle:
        data = handle.read(HEAD_BYTES + 1)
    if len(data) <= HEAD_BYTES:
        return data, True
    cut = data.rfind(b"\n", 0, HEAD_BYTES)
    if cut < 0:
        raise NotBulk("no line end in the first megabytes")
    return data[: cut + 1], False


def plan(
    store: Store,
    path: Path,
    file_name: str,
    *,
    kind: str | None,
    source: str | None,
    mapping: dict[str, str] | None,
) -> BulkPlan:
    """Read and map the head of ``path``; raise :class:`NotBulk` if the file needs the
    in-memory pipeline, :class:`FileProblem` for the same problems it would report."""
    head, complete = _head(path)
    try:
        raw = read_table(head, file_name, max_bytes=len(head) + 1)
    except FileProblem:
        if complete:
            raise
        raise NotBulk("the head of the file could not be read on its own") from None
    if raw.file_format != "csv" or raw.encoding not in _ENCODINGS:
        raise NotBulk(f"{raw.file_format} file in {raw.encoding}")
    if raw.delimiter not in _DELIMITERS or raw.extra_header_rows or "_extra" in raw.columns:
        raise NotBulk("layout the streaming reader does not take")
    plain: dict[str, str] | None = None
    save = False
    if mapping:
        plain, save = {f: c for f, c in mapping.items() if c}, True
    elif not source or source == "custom":
        saved = store.saved_mapping(presets.header_signature(raw.columns))
        if saved is not None and (kind is None or saved[0] == kind):
            plain = saved[1]
    mapped = _map(raw, kind=kind, source=source, mapping=mapping, store=store)
    if plain is None:
        raise NotBulk("mapped by a preset")
    if mapped.kind != "orders" or mapped.timezone is not None:
        raise NotBulk("not an orders file, or dates in a time zone")
    if any(f in plain for f in LINE_FIELDS):
        raise NotBulk("line items")

    text = head.decode("utf-8-sig" if raw.encoding.startswith("utf-8") else raw.encoding)
    lines = text.splitlines()
    first = raw.line_numbers[0]
    if first < 2 or first > len(lines):
        raise NotBulk("no header line right above the data")
    # The header is the last line above the first data row that names every mapped
    # column (rows of empty cells may sit between them: the reader skips those).
    wanted = set(plain.values())
    header_line = 0
    for number in range(first - 1, 0, -1):
        cells = next(csv.reader([lines[number - 1]], delimiter=raw.delimiter), [])
        if wanted <= {c.strip().lstrip("\ufeff").strip() for c in cells}:
            header, header_line = cells, number
            break
    if not header_line:
        raise NotBulk("header line not found")
    body = next(csv.reader([lines[first - 1]], delimiter=raw.delimiter))
    names = [c.strip().lstrip("\ufeff").strip() for c in header]
    if len(body) != len(header):
        raise NotBulk("the header and the first row differ in width")
    indices: dict[str, int] = {}
    for fname, column in plain.items():
        if names.count(column) != 1:
            raise NotBulk(f"column {column!r} not found once in the header line")
        indices[fname] = names.index(column)
    return BulkPlan(
        path=path,
        file_name=file_name,
        raw=raw,
        mapped=mapped,
        mapping=plain,
        indices=indices,
        width=len(header),
        skip_lines=header_line,
        encoding=_ENCODINGS[raw.encoding],
        delimiter=raw.delimiter,
        save_mapping=save,
        head_bytes=len(head),
    )


def _scan(path: Path) -> tuple[str, int, bool]:
    """SHA-256 of the file, its number of line ends, and whether it ends with one."""
    digest = hashlib.sha256()
    newlines = 0
    last = b""
    with path.open("rb") as handle:
        while block := handle.read(16 * 1024 * 1024):
            digest.update(block)
            newlines += block.count(b"\n")
            last = block[-1:]
    return digest.hexdigest(), newlines, last == b"\n"


def _trailing_totals(path: Path, plan_: BulkPlan, records: int) -> int:
    """How many rows at the very end are ``Total`` rows (the reader drops them)."""
    size = path.stat().st_size
    with path.open("rb") as handle:
        handle.seek(max(0, size - 65536))
        tail = handle.read()
    text = tail.decode(plan_.raw.encoding if plan_.encoding != "utf8" else "utf-8", "replace")
    lines = text.splitlines()
    if size > 65536:
        lines = lines[1:]  # the first line of the tail may be cut
    count = 0
    for row in reversed(list(csv.reader(lines, delimiter=plan_.delimiter))):
        if count >= records or not _is_total(row):
            break
        count += 1
    return count


@contextmanager
def _staging(store: Store) -> Iterator[tuple[duckdb.DuckDBPyConnection, str]]:
    """A connection to the store whose scratch tables are temporary ones (catalog
    ``temp``): kept in memory up to the store's memory limit, spilled uncompressed to
    DuckDB's temporary folder beyond it, gone when the connection closes. Writing them
    costs a third of writing compressed tables into a scratch file, and the store's final
    transaction runs on the same connection, so it sees them."""
    cur = store.cursor()
    try:
        yield cur, "temp"
    finally:
        with suppress(duckdb.Error):
            cur.close()


def _stream(
    cur: duckdb.DuckDBPyConnection,
    s: str,
    plan_: BulkPlan,
    progress: Progress,
    size: int,
) -> tuple[int, int]:
    """Arrow's reader -> ``s.raw`` (``line_no`` and one cleaned text column per mapped
    field). Returns (records read, blank rows dropped)."""
    fields = list(plan_.indices)
    columns = [f"c{i}" for i in range(plan_.width)]
    reader = pa_csv.open_csv(
        plan_.path,
        read_options=pa_csv.ReadOptions(
            skip_rows=plan_.skip_lines,
            column_names=columns,
            block_size=BLOCK_BYTES,
            encoding=plan_.encoding,
            use_threads=True,
        ),
        parse_options=pa_csv.ParseOptions(
            delimiter=plan_.delimiter,
            quote_char='"',
            double_quote=True,
            escape_char=False,
            newlines_in_values=False,
            ignore_empty_lines=False,
        ),
        convert_options=pa_csv.ConvertOptions(
            column_types=dict.fromkeys(columns, pa.string()),
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    )
    _exec(
        cur,
        f"CREATE TEMP TABLE {s}.raw (line_no BIGINT, "
        + ", ".join(f'"{f}" VARCHAR, "{f}__raw" VARCHAR' for f in fields)
        + ")",
    )
    mapped_positions = set(plan_.indices.values())
    records = blanks = 0
    bytes_per_row = plan_.head_bytes / max(len(plan_.raw.data), 1)
    try:
        for batch in reader:
            n = batch.num_rows
            cleaned = {f: _clean_cells(batch.column(i)) for f, i in plan_.indices.items()}
            for f in _ID_FIELDS:
                if f in cleaned:
                    cleaned[f] = _strip_guard(cleaned[f])
            empty = np.ones(n, dtype=bool)
            for values in cleaned.values():
                empty &= values.is_null().to_numpy(zero_copy_only=False)
            if empty.any():
                # A row is blank only when every column of the file is.
                for i in range(plan_.width):
                    if i not in mapped_positions and empty.any():
                        other = _clean_cells(batch.column(i)).is_null()
                        empty &= other.to_numpy(zero_copy_only=False)
            line_no = np.arange(records, records + n, dtype=np.int64) + plan_.skip_lines + 1
            columns_out: dict[str, pa.Array] = {"line_no": pa.array(line_no)}
            for f, values in cleaned.items():
                view = _view(f, values)
                differs = pc.or_kleene(
                    pc.and_(pc.is_null(view), pc.is_valid(values)), pc.not_equal(view, values)
                )
                columns_out[f] = view
                columns_out[f"{f}__raw"] = pc.if_else(differs, values, _NULL_TEXT)
            table = pa.table(columns_out)
            if empty.any():
                table = table.filter(pa.array(~empty))
                blanks += int(empty.sum())
            with registered(cur, "_bulk_batch", table):
                _exec(cur, f"INSERT INTO {s}.raw SELECT * FROM _bulk_batch")
            records += n
            progress(
                msg("Reading the file ({rows} rows)", rows=f"{records:,}"),
                0.05 + 0.45 * min(1.0, records * bytes_per_row / max(size, 1)),
            )
    except pa.ArrowInvalid as exc:
        raise NotBulk(f"the streaming reader stopped: {exc}") from None
    return records, blanks


def _sql_text(text: str) -> str:
    """A SQL string literal of ``text``."""
    return "'" + text.replace("'", "''") + "'"


_SPACES_SQL = _sql_text(_PY_SPACES)


# The first and last characters of a cell that the trims of _clean_sql would leave as
# they are: printable ASCII, or any code point above it that is not white space. A cell
# whose two ends are such (most cells) skips the trims, which cost several times the
# reading itself at ten million rows.
_SPACE_POINTS = ", ".join(str(ord(c)) for c in _PY_SPACES if ord(c) > 127)


def _plain_end(point: str) -> str:
    return f"({point} BETWEEN 33 AND 126 OR ({point} > 127 AND {point} NOT IN ({_SPACE_POINTS})))"


def _clean_sql(column: str) -> str:
    """:func:`clv.ingest.reading._clean_cells` in SQL: trimmed of the white space Arrow's
    and Python's trims remove (the same set), one leading apostrophe removed and the rest
    trimmed again, empty to NULL."""
    once = f"trim({column}, {_SPACES_SQL})"
    slow = (
        f"nullif(CASE WHEN starts_with({once}, chr(39)) "
        f"THEN trim(substr({once}, 2), {_SPACES_SQL}) ELSE {once} END, '')"
    )
    plain = f"{_plain_end(f'ord({column})')} AND ord({column}) <> 39 AND " + _plain_end(
        f"ord(right({column}, 1))"
    )
    return f"CASE WHEN {column} IS NULL OR {column} = '' THEN NULL WHEN {plain} THEN {column} ELSE {slow} END"


def _view_sql(field: str, cell: str) -> str:
    """:func:`_view` (after :func:`_strip_guard` for the ids) in SQL, on a cleaned cell."""
    if field in _ID_FIELDS:
        guarded = (
            f"CASE WHEN starts_with({cell}, chr(39)) "
            f"AND regexp_matches({cell}, '^' || chr(39) || '[0-9+]') "
            f"THEN substr({cell}, 2) ELSE {cell} END"
        )
        return f"nullif(trim({guarded}, {_SPACES_SQL}), '')"
    missing = ", ".join(_sql_text(t) for t in sorted(parsing.MISSING_TOKENS))
    return f"CASE WHEN lower({cell}) IN ({missing}) THEN NULL ELSE {cell} END"


def _read(cur: duckdb.DuckDBPyConnection, s: str, plan_: BulkPlan, progress: Progress) -> int:
    """DuckDB's own CSV reader -> ``s.cells``, each cell cleaned in SQL: what
    :func:`_stream` does block by block in Arrow, for UTF-8 files (DuckDB's reader is
    parallel and fills the table with no Python step per block). :func:`_raw_view` then
    shows it as ``s.raw``.

    Returns the records read; any refusal of DuckDB's reader (a row of another width, a
    runaway quote, bytes that are not UTF-8) is a :class:`NotBulk`."""
    columns = [f"c{i}" for i in range(plan_.width)]
    spec = "{" + ", ".join(f"'{c}': 'VARCHAR'" for c in columns) + "}"
    quote = _sql_text('"')
    reader = (
        f"read_csv({_sql_text(str(plan_.path))}, columns={spec}, header=false, "
        f"skip={int(plan_.skip_lines)}, delim={_sql_text(plan_.delimiter)}, "
        f"quote={quote}, escape={quote}, auto_detect=false, strict_mode=true, "
        "null_padding=false, all_varchar=true, allow_quoted_nulls=false, "
        "encoding='utf-8')"
    )
    mapped = {f"c{i}" for i in plan_.indices.values()}
    out = []
    for field, index in plan_.indices.items():
        cell = f"c{index}"
        view = _view_sql(field, cell)
        out.append(f'{view} AS "{field}"')
        out.append(f'CASE WHEN ({view}) IS DISTINCT FROM {cell} THEN {cell} END AS "{field}__raw"')
    # A row is blank only when every column of the file is.
    out.append(
        " AND ".join(f"{c} IS NULL" if c in mapped else f"{c}_blank" for c in columns) + " AS blank"
    )
    # Unmapped columns only tell whether the row is blank.
    cleaned = ", ".join(
        f"{_clean_sql(c)} AS {c}" if c in mapped else f"({_clean_sql(c)}) IS NULL AS {c}_blank"
        for c in columns
    )
    try:
        _exec(
            cur,
            f"CREATE TEMP TABLE {s}.cells AS SELECT {', '.join(out)} "
            f"FROM (SELECT {cleaned} FROM {reader})",
        )
    except duckdb.Error as exc:
        raise NotBulk(f"DuckDB's reader stopped: {exc}") from None
    records = int(_exec(cur, f"SELECT count(*) FROM {s}.cells")[0][0])
    progress(msg("Reading the file ({rows} rows)", rows=f"{records:,}"), 0.5)
    return records


def _raw_view(cur: duckdb.DuckDBPyConnection, s: str, plan_: BulkPlan, last_line: int) -> int:
    """``s.raw`` over ``s.cells``: the rows up to ``last_line`` that are not blank, with
    their line in the file (``line_no``: the row's position in the staged table, which
    DuckDB fills in the file's order, plus the lines above the first data row). Returns
    the blank rows left out."""
    first = int(plan_.skip_lines) + 1
    fields = ", ".join(f'"{f}", "{f}__raw"' for f in plan_.indices)
    _exec(
        cur,
        f"CREATE TEMP VIEW {s}.raw AS SELECT line_no, {fields} FROM "
        f"(SELECT rowid + {first} AS line_no, * FROM {s}.cells) "
        f"WHERE NOT blank AND line_no <= {int(last_line)}",
    )
    return int(_exec(cur, f"SELECT count(*) FROM {s}.cells WHERE blank")[0][0])


_NULL_TEXT = pa.scalar(None, pa.string())
_MISSING = pa.array(sorted(parsing.MISSING_TOKENS), type=pa.string())


def _view(field: str, values: pa.Array) -> pa.Array:
    """What ``normalize._col`` makes of a mapped column, in Arrow: identifiers stripped
    as ``str.strip()`` does; other text with the words for "no value" made missing
    (``parsing.strip_text``; the cells are already trimmed by the reader)."""
    if field in _ID_FIELDS:
        stripped = pc.utf8_trim(values, characters=_PY_SPACES)
        return pc.if_else(pc.equal(stripped, ""), _NULL_TEXT, stripped)
    missing = pc.is_in(pc.utf8_lower(values), value_set=_MISSING)
    return pc.if_else(missing, _NULL_TEXT, values)


def _strip_guard(values: pa.Array) -> pa.Array:
    """``clv.ingest.presets._strip_text_guard`` on an Arrow array."""
    guarded = pc.match_substring_regex(values, r"^'[0-9+]")
    if not pc.any(guarded).as_py():
        return values
    return pc.if_else(guarded, pc.utf8_slice_codeunits(values, 1), values)


def _hmac_pads(key: bytes) -> tuple[bytes, bytes]:
    """HMAC-SHA256's inner and outer padded keys (RFC 2104)."""
    if len(key) > 64:
        key = hashlib.sha256(key).digest()
    key = key.ljust(64, b"\0")
    return bytes(b ^ 0x36 for b in key), bytes(b ^ 0x5C for b in key)


def _exec(cur: duckdb.DuckDBPyConnection, sql: str, params: object = None) -> list[tuple]:
    """Run one statement to the end (DuckDB wants every result fetched before the
    connection does anything else) and log its time."""
    start = time.perf_counter()
    rows = cur.execute(sql, params).fetchall()
    _log.debug("%.2f s  %s", time.perf_counter() - start, " ".join(sql.split())[:90])
    return rows


def _dictionary(cur: duckdb.DuckDBPyConnection, name: str, frame: pd.DataFrame, s: str) -> None:
    """Store a small Python-made table in the staging database."""
    with registered(cur, "_bulk_dict", frame):
        cur.execute(f"CREATE OR REPLACE TEMP TABLE {s}.{name} AS SELECT * FROM _bulk_dict")


def _text_view(field: str, present: set[str]) -> str:
    """SQL for ``normalize._col(data, field)``: the staged view, or NULL if unmapped."""
    return f'"{field}"' if field in present else "CAST(NULL AS VARCHAR)"


def run(
    store: Store,
    plan_: BulkPlan,
    *,
    dayfirst: bool | None,
    progress: Progress,
) -> tuple[dict, pd.DataFrame]:
    """Import the planned file; returns the report's fields and the rejected rows."""
    path, mapped, raw = plan_.path, plan_.mapped, plan_.raw
    source = mapped.source
    size = path.stat().st_size
    progress("Reading the file", 0.02)
    digest, newlines, ends_with_newline = _scan(path)
    lines_total = newlines + (0 if ends_with_newline or size == 0 else 1)
    key = store.pseudonym_key
    notes: list[str] = [n for n in raw.notes if getattr(n, "template", None) != _TOTALS_TEMPLATE]
    notes += [n for n in mapped.notes if n not in raw.notes]
    present = set(plan_.indices)
    with _staging(store) as (cur, s):
        sql_reader = plan_.encoding == "utf8"
        if sql_reader:
            records = _read(cur, s, plan_, progress)
        else:
            records, blanks = _stream(cur, s, plan_, progress, size)
        if records != lines_total - plan_.skip_lines:
            raise NotBulk("cells spread over several lines, or blank lines")
        totals = _trailing_totals(path, plan_, records)
        last_line = plan_.skip_lines + records - totals
        if sql_reader:
            blanks = _raw_view(cur, s, plan_, last_line)
        elif totals:
            _exec(cur, f"DELETE FROM {s}.raw WHERE line_no > ?", [last_line])
        if totals:
            notes.append(msg("Dropped {count} total row(s) at the end of the table.", count=totals))
        rows_read = records - blanks - totals
        if rows_read == 0:
            raise FileProblem(msg("The file has no data rows: nothing to import."))

        progress("Checking every row", 0.55)
        normalize_notes: list[str] = []
        views = {f: _text_view(f, present) for f in ORDER_LEVEL_FIELDS}
        if "order_id" in present:
            key_sql = _text_view("order_id", present)
        else:
            parts = [
                f"coalesce({_text_view(f, present)}, '')"
                for f in ("customer_email", "customer_ref", "ordered_at", "total_amount")
            ]
            nth = f"row_number() OVER (PARTITION BY {', '.join(parts)} ORDER BY line_no) - 1"
            joined = " || '|' || ".join([*parts, f"CAST({nth} AS VARCHAR)"])
            key_sql = f"left(sha256({joined}), 20)"
            normalize_notes.append(msg("The file has no order id: each row is taken as one order."))
        field_sql = ", ".join(f'{sql} AS "{f}"' for f, sql in views.items())
        _exec(
            cur,
            f"CREATE TEMP {'VIEW' if 'order_id' in present else 'TABLE'} {s}.rows AS "
            f"SELECT line_no, {key_sql} AS k, coalesce({key_sql}, '') AS g, {field_sql} "
            f"FROM {s}.raw",
        )
        # Order-level fields: the first non-empty value of each order (normalize_orders'
        # groupby-first); only orders spread over several rows need it.
        _exec(
            cur,
            f"CREATE TEMP TABLE {s}.dups AS SELECT g FROM {s}.rows GROUP BY g HAVING count(*) > 1",
        )
        if _exec(cur, f"SELECT count(*) FROM {s}.dups")[0][0]:
            firsts = ", ".join(
                f'arg_min("{f}", line_no) FILTER (WHERE "{f}" IS NOT NULL) AS "{f}"'
                for f in ORDER_LEVEL_FIELDS
            )
            _exec(
                cur,
                f"CREATE TEMP TABLE {s}.multi AS SELECT g, min(line_no) AS first_line, {firsts} "
                f"FROM {s}.rows SEMI JOIN {s}.dups USING (g) GROUP BY g",
            )
            merged = ", ".join(f'coalesce(m."{f}", r."{f}") AS "{f}"' for f in ORDER_LEVEL_FIELDS)
            _exec(
                cur,
                f"CREATE TEMP TABLE {s}.orows AS SELECT r.line_no, r.k, r.g, "
                f"coalesce(m.first_line, r.line_no) AS first_line, {merged} "
                f"FROM {s}.rows r LEFT JOIN {s}.multi m USING (g)",
            )
        else:
            _exec(
                cur, f"CREATE TEMP VIEW {s}.orows AS SELECT *, line_no AS first_line FROM {s}.rows"
            )

        progress("Checking every row", 0.62)
        _date_dictionary(cur, s, mapped, dayfirst, normalize_notes)
        for f in _AMOUNT_FIELDS:
            _amount_dictionary(cur, s, f)
        _status_dictionary(cur, s, normalize_notes)
        _currency_dictionary(cur, s)
        _pseudonyms(cur, s, key)

        progress("Checking every row", 0.75)
        check_sql = _CHECK_SQL.format(s=s).replace("__FAST_DATE__", _fast_date("o.ordered_at"))
        for statement in check_sql.split(";"):
            if statement.strip():
                params_used = {"source": source} if "$source" in statement else None
                _exec(cur, statement, params_used)
        rejected = _rejected(cur, s, plan_, key)
        kept = cur.execute(f"SELECT count(*) FROM {s}.orders_out").fetchall()[0][0]
        if kept == 0:
            raise nothing_usable(rejected, "orders")
        guests = cur.execute(f"SELECT count(*) FROM {s}.orders_out WHERE is_guest").fetchall()[0][0]
        if guests:
            normalize_notes.append(
                msg(
                    "{count} order(s) have no customer email or id: kept for revenue, counted "
                    "as guest orders.",
                    count=int(guests),
                )
            )
        notes = list(dict.fromkeys([*notes, *normalize_notes]))
        earlier = store.find_import_by_hash(digest)
        if earlier is not None:
            notes.append(
                msg(
                    "This exact file was imported before (import #{import_id}): nothing is "
                    "counted twice.",
                    import_id=earlier,
                )
            )

        progress("Writing to the store", 0.85)
        with store.transaction(cur) as tx:
            import_id = int(tx.execute("SELECT nextval('import_id_seq')").fetchall()[0][0])
            tx.execute(
                "INSERT INTO imports (import_id, file_name, sha256, kind, source_preset, "
                "rows_read, notes, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, now()::TIMESTAMP)",
                [
                    import_id,
                    plan_.file_name,
                    digest,
                    "orders",
                    source,
                    rows_read,
                    json.dumps(notes),
                ],
            )
            counts: UpsertCounts = upsert_relation(tx, "orders", f"{s}.orders_out", import_id)
            if len(rejected):
                with registered(tx, "_rejected", rejected.assign(import_id=import_id)):
                    tx.execute(
                        "INSERT INTO rejected_rows "
                        "SELECT import_id, line_no, reason, raw_line FROM _rejected"
                    )
            tx.execute(
                "UPDATE imports SET rows_loaded = ?, rows_updated = ?, rows_unchanged = ?, "
                "rows_rejected = ? WHERE import_id = ?",
                [counts.loaded, counts.updated, counts.unchanged, len(rejected), import_id],
            )
    if plan_.save_mapping:
        store.save_mapping(presets.header_signature(raw.columns), "orders", plan_.mapping)
    progress("Done", 1.0)
    report = {
        "import_id": import_id,
        "source": source,
        "rows_read": rows_read,
        "counts": counts,
        "notes": notes,
        "already_imported": earlier is not None,
    }
    return report, rejected


def _distinct(cur: duckdb.DuckDBPyConnection, s: str, columns: list[str]) -> pd.DataFrame:
    cols = ", ".join(f'"{c}"' for c in columns)
    return cur.execute(
        f"SELECT {cols}, count(*) AS n FROM {s}.orows GROUP BY ALL ORDER BY min(line_no)"
    ).df()


# ``YYYY-MM-DD HH:MM:SS`` (or with a ``T``) and ``YYYY-MM-DD``, years 1900-2200, read in
# SQL on every row as the parser's fixed layouts read them; NULL for any other text.
_FAST_DATE_SQL = """CASE
    WHEN regexp_full_match({col}, '\\d{{4}}-\\d\\d-\\d\\d[ T]\\d\\d:\\d\\d:\\d\\d')
    THEN try_strptime(replace({col}, 'T', ' '), '%Y-%m-%d %H:%M:%S')
    WHEN regexp_full_match({col}, '\\d{{4}}-\\d\\d-\\d\\d')
    THEN try_strptime({col}, '%Y-%m-%d') END"""


def _fast_date(col: str) -> str:
    stamp = _FAST_DATE_SQL.format(col=col)
    return f"(CASE WHEN year({stamp}) BETWEEN 1900 AND 2200 THEN {stamp} END)"


def _date_dictionary(
    cur: duckdb.DuckDBPyConnection,
    s: str,
    mapped: MappedTable,
    dayfirst: bool | None,
    notes: list[str],
) -> None:
    """``s.dates(ordered_at, stamp, invalid)`` for the values SQL does not read itself.

    ``YYYY-MM-DD HH:MM:SS`` and ``YYYY-MM-DD`` (years 1900-2200) are read in SQL on
    each row (:func:`_fast_date`, in the check itself: a dictionary of ten million
    distinct time stamps would cost more than reading them); every other value goes,
    once per distinct text and weighted by its rows, through
    :func:`clv.ingest.parsing.parse_dates`, and only those are in ``s.dates``.
    """
    counts = cur.execute(
        f"""SELECT CASE WHEN {_fast_date("ordered_at")} IS NULL THEN ordered_at END AS ordered_at,
                   count(*) AS n, min(line_no) AS first
        FROM {s}.orows WHERE ordered_at IS NOT NULL GROUP BY 1 ORDER BY first"""
    ).df()
    fast = counts["ordered_at"].isna()
    fast_rows = int(counts.loc[fast, "n"].sum())
    rest = counts[~fast]
    values = rest["ordered_at"].astype(object).reset_index(drop=True)
    weights = rest["n"].to_numpy(dtype=float)
    if fast_rows and len(values):
        # An ISO value the column holds, weighing nothing: it keeps a column of mixed
        # layouts from being taken for Excel serial numbers, as the whole column would.
        values = pd.concat([values, pd.Series(["2000-01-01"], dtype=object)], ignore_index=True)
        weights = np.append(weights, 0.0)
    parsed = _dates(values, msg("Order date"), mapped, dayfirst, notes, weights=weights)
    frame = pd.DataFrame(
        {
            "ordered_at": values.astype("string").to_numpy(),
            "stamp": pd.to_datetime(parsed.values).to_numpy(),
            "invalid": parsed.invalid.to_numpy(dtype=bool),
        }
    )
    _dictionary(cur, "dates", frame, s)


def _amount_dictionary(cur: duckdb.DuckDBPyConnection, s: str, field: str) -> None:
    """``s.amount_<field>(text, num, num_r, invalid, currency)``: parse_amount on the
    distinct texts (it decides the decimal mark from the distinct texts, as it does)."""
    values = cur.execute(
        f'SELECT DISTINCT "{field}" AS text FROM {s}.orows WHERE "{field}" IS NOT NULL'
    ).df()["text"]
    values = values.astype(object)
    parsed = parsing.parse_amount(values)
    frame = pd.DataFrame(
        {
            "text": values.to_numpy(dtype=object),
            "num": parsed.values.to_numpy(),
            "num_r": parsed.values.round(2).to_numpy(),
            "invalid": parsed.invalid.to_numpy(dtype=bool),
            "currency": parsed.currency.astype(object).to_numpy(),
        }
    )
    frame["currency"] = frame["currency"].astype("string")
    _dictionary(cur, f"amount_{field}", frame, s)


def _status_dictionary(cur: duckdb.DuckDBPyConnection, s: str, notes: list[str]) -> None:
    """``s.statuses``: the canonical status of each distinct (status, cancelled,
    payment method, tags), by ``normalize._status`` with row weights."""
    combos = cur.execute(
        f"""SELECT status, CASE WHEN cancelled_at IS NOT NULL THEN 'x' END AS cancelled_at,
                   payment_method, tags, count(*) AS n
        FROM {s}.orows GROUP BY ALL ORDER BY min(line_no)"""
    ).df()
    keys = combos[["status", "cancelled_at", "payment_method", "tags"]].astype(object)
    keys = keys.where(keys.notna(), None)
    combos["canonical"] = _status(keys, notes, weights=combos["n"]).to_numpy()
    combos = combos.drop(columns="n")
    for col in ("status", "cancelled_at", "payment_method", "tags", "canonical"):
        combos[col] = combos[col].astype("string")
    _dictionary(cur, "statuses", combos, s)


def _currency_dictionary(cur: duckdb.DuckDBPyConnection, s: str) -> None:
    values = cur.execute(
        f"SELECT DISTINCT currency AS text FROM {s}.orows WHERE currency IS NOT NULL"
    ).df()["text"]
    frame = pd.DataFrame(
        {
            "text": values.astype("string"),
            "upper": pd.Series([v.upper() or None for v in values], dtype="string"),
        }
    )
    _dictionary(cur, "currencies", frame, s)


def _pseudonyms(cur: duckdb.DuckDBPyConnection, s: str, key: bytes) -> None:
    """``s.pseudonyms(email, customer_id)``: HMAC-SHA256 in SQL for plain ASCII emails
    (lower case is then the same in SQL as in Python), Python for the others."""
    inner, outer = _hmac_pads(key)
    _exec(
        cur,
        f"""CREATE TEMP TABLE {s}.pseudonyms AS
        SELECT customer_email AS email,
               CASE WHEN regexp_full_match(customer_email, '[!-~]+')
                    THEN 'c_' || left(sha256($outer || unhex(sha256($inner
                         || encode(lower(customer_email))))), 24) END AS customer_id
        FROM (SELECT DISTINCT customer_email FROM {s}.orows
              WHERE customer_email IS NOT NULL)""",
        {"inner": inner, "outer": outer},
    )
    rest = cur.execute(f"SELECT email FROM {s}.pseudonyms WHERE customer_id IS NULL").df()["email"]
    if len(rest):
        frame = pd.DataFrame(
            {
                "email": rest.astype("string"),
                "customer_id": pseudonymize_series(rest.astype(object), key).astype("string"),
            }
        )
        _dictionary(cur, "slow_pseudonyms", frame, s)
        _exec(
            cur,
            f"""UPDATE {s}.pseudonyms p SET customer_id = w.customer_id
            FROM {s}.slow_pseudonyms w WHERE p.email = w.email AND p.customer_id IS NULL""",
        )


# Rejection reasons in normalize_orders' order: the first that applies wins. Only what
# the orders table and the rejected rows need is kept (a narrow table is written once:
# at ten million rows every column costs a second), and the orders are a view of it.
_CHECK_SQL = """
CREATE TEMP TABLE {s}.checked AS
WITH parts AS (
    SELECT o.line_no, o.k, o.channel, o.country, o.ordered_at AS date_text,
           o.total_amount, o.discount_amount, o.refunded_amount, o.net_amount, o.cost_amount,
           coalesce(__FAST_DATE__, d.stamp) AS stamp,
           __FAST_DATE__ IS NULL AND coalesce(d.invalid, false) AS date_invalid,
           t.num AS gross, t.num_r AS gross_r, t.invalid AS total_invalid,
           t.currency AS total_currency,
           dc.num_r AS discount_r, dc.num AS discount, dc.invalid AS discount_invalid,
           rf.num AS refunded, rf.num_r AS refunded_r, rf.invalid AS refunded_invalid,
           nt.num_r AS net_r, nt.invalid AS net_invalid,
           cs.num_r AS cost_r, cs.invalid AS cost_invalid,
           st.canonical AS status, cu.upper AS currency,
           coalesce(p.customer_id, CASE WHEN o.customer_ref IS NOT NULL
                                        THEN $source || ':' || o.customer_ref END) AS customer_id,
           o.line_no = o.first_line AS first_of_order
    FROM {s}.orows o
    LEFT JOIN {s}.dates d ON d.ordered_at = o.ordered_at
    LEFT JOIN {s}.amount_total_amount t ON t.text = o.total_amount
    LEFT JOIN {s}.amount_discount_amount dc ON dc.text = o.discount_amount
    LEFT JOIN {s}.amount_refunded_amount rf ON rf.text = o.refunded_amount
    LEFT JOIN {s}.amount_net_amount nt ON nt.text = o.net_amount
    LEFT JOIN {s}.amount_cost_amount cs ON cs.text = o.cost_amount
    LEFT JOIN {s}.statuses st
           ON st.status IS NOT DISTINCT FROM o.status
          AND st.cancelled_at IS NOT DISTINCT FROM
              (CASE WHEN o.cancelled_at IS NOT NULL THEN 'x' END)
          AND st.payment_method IS NOT DISTINCT FROM o.payment_method
          AND st.tags IS NOT DISTINCT FROM o.tags
    LEFT JOIN {s}.currencies cu ON cu.text = o.currency
    LEFT JOIN {s}.pseudonyms p ON p.email = o.customer_email
), reasons AS (
    SELECT *,
        CASE
            WHEN k IS NULL THEN 'missing order id'
            WHEN date_text IS NULL THEN 'missing order date'
            WHEN date_invalid THEN 'order date not understood: ' || date_text
            WHEN total_invalid THEN 'order total is not a number: ' || total_amount
            WHEN gross IS NULL OR isnan(gross) THEN 'missing order total'
            WHEN gross < 0
                THEN 'negative order total (a refund belongs in the refunded-amount column)'
            WHEN discount_invalid THEN 'discount amount is not a number: ' || discount_amount
            WHEN refunded_invalid THEN 'refunded amount is not a number: ' || refunded_amount
            WHEN net_invalid THEN 'net amount is not a number: ' || net_amount
            WHEN cost_invalid THEN 'cost amount is not a number: ' || cost_amount
            WHEN refunded < 0 THEN 'negative refunded amount'
            WHEN discount < 0 THEN 'negative discount amount'
        END AS reason
    FROM parts
)
-- In scan order: sorting by line would cost a sort of every row for no use.
SELECT line_no, reason, first_of_order,
       $source || ':' || k AS order_id,
       customer_id,
       customer_id IS NULL AS is_guest,
       stamp AS ordered_at,
       status,
       coalesce(currency, total_currency) AS currency,
       gross_r AS gross_amount,
       coalesce(discount_r, 0.0) AS discount_amount,
       coalesce(refunded_r, CASE WHEN status = 'refunded' THEN gross_r ELSE 0.0 END)
           AS refunded_amount,
       coalesce(net_r, round_even(gross - coalesce(
           refunded, CASE WHEN status = 'refunded' THEN gross ELSE 0.0 END), 2)) AS net_amount,
       cost_r AS cost_amount,
       channel,
       country,
       $source AS source
FROM reasons;

CREATE TEMP VIEW {s}.orders_out AS
SELECT * EXCLUDE (line_no, reason, first_of_order)
FROM {s}.checked
WHERE reason IS NULL AND first_of_order;
"""


def _rejected(cur: duckdb.DuckDBPyConnection, s: str, plan_: BulkPlan, key: bytes) -> pd.DataFrame:
    """Rejected rows with their reason and excerpt (mapped values, emails pseudonymised)."""
    fields = [f for f in plan_.mapped.data.columns if f != "line_no"]
    cols = ", ".join(f'coalesce(r."{f}__raw", r."{f}") AS "{f}"' for f in fields)
    bad = cur.execute(
        f"SELECT c.reason, {cols}, r.line_no FROM {s}.checked c "
        f"JOIN {s}.raw r USING (line_no) WHERE c.reason IS NOT NULL ORDER BY r.line_no"
    ).df()
    reasons = bad.pop("reason")
    bad = bad.astype(object).where(bad.notna(), None)
    return rejected_frame(bad, reasons, key)


__all__ = ["BULK_MIN_BYTES", "BulkPlan", "NotBulk", "plan", "run"]

"""Read an export file (CSV/TSV/TXT, XLSX, Parquet) into a :class:`RawTable` of text cells.

What the reader does, in order:

1. Refuses what it cannot read safely, with a message saying what to do: empty files,
   files over ``max_bytes``, ``.xls``/``.xlsm``/``.numbers``/``.ods``, binary files
   named ``.csv``, zip bombs posing as ``.xlsx``, lines longer than 5 MB.
2. Text files: encoding from the byte-order mark, else strict UTF-8, else cp1252;
   delimiter (``,`` ``;`` tab ``|``) from the field counts of the first lines;
   whitespace-aligned files without delimiter (lifetimes' ``CDNOW_sample.txt``).
3. Finds the header below report titles (Google Ads), sets aside the extra header
   rows of Qualtrics and SurveyMonkey, drops ``Total`` rows at the end.
4. Cleans every cell: surrounding whitespace removed, one leading ``'`` (Excel's text
   guard) removed, empty cells become ``None``. Nothing else is interpreted here:
   ``--``, amounts and dates are left to :mod:`clv.ingest.parsing`.

Rows with more fields than the header
    Surplus fields that are all empty (trailing delimiters, Excel padding) are
    dropped silently. Otherwise the row keeps its first fields under the header
    names and the surplus, joined by the delimiter, goes to a column ``_extra``
    (created only then), with a note naming the line. Rows with fewer fields are
    padded with ``None``. Fully empty lines are skipped; line numbers stay those of
    the file.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import PurePath

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from clv.i18n.messages import msg
from clv.ingest.types import FileProblem, RawTable

__all__ = ["DEFAULT_MAX_BYTES", "MAX_LINE_CHARS", "read_table"]

DEFAULT_MAX_BYTES = 200 * 1024 * 1024
MAX_LINE_CHARS = 5 * 1024 * 1024
# Excel's own limit: a row wider than any spreadsheet is not an export, and finding the
# header in it would take seconds per megabyte.
MAX_COLUMNS = 16_384
# A quoted cell may hold line breaks (order notes), never thousands: a quote that is
# never closed would silently swallow the rest of the file into one cell.
MAX_LINES_PER_RECORD = 1_000
# XLSX is a zip: its declared sizes bound what openpyxl will inflate (zipfile stops
# at the declared size), so checking them before parsing stops zip bombs.
MAX_XLSX_UNPACKED = 500 * 1024 * 1024
MAX_XLSX_RATIO = 20
# Below this, the ratio does not matter: a small workbook cannot hurt.
XLSX_RATIO_FLOOR = 10 * 1024 * 1024
MAX_XLSX_ENTRIES = 10_000

DELIMITERS = (",", ";", "\t", "|")
SAMPLE_LINES = 500
SAMPLE_CHARS = 1024 * 1024
HEADER_SEARCH_ROWS = 50
MIN_DELIMITER_CONSISTENCY = 0.6
MIN_WHITESPACE_CONSISTENCY = 0.95
MAX_RAGGED_NOTES = 5

_REFUSED_EXTENSIONS = {
    ".xls": (
        "{name} is an Excel 97-2003 workbook (.xls), which this app does not read. "
        "Open it in Excel or LibreOffice and save it as .xlsx or CSV, then upload that."
    ),
    ".xlsm": (
        "{name} contains macros; save as .xlsx (Excel: File > Save As > Excel Workbook) "
        "or as CSV, then upload that."
    ),
    ".xlsb": (
        "{name} is a binary Excel workbook (.xlsb). Save it as .xlsx or CSV, then upload that."
    ),
    ".numbers": (
        "{name} is an Apple Numbers file. In Numbers, choose File > Export To > CSV "
        "(or Excel) and upload that."
    ),
    ".ods": (
        "{name} is an OpenDocument spreadsheet (.ods). Save it as .xlsx or CSV "
        "(LibreOffice: File > Save As), then upload that."
    ),
}

_TOTAL_RE = re.compile(
    r"^(?:(?:grand\s+)?totals?|total\s+g[ée]n[ée]ral|sous[-\s]?total|sub[-\s]?total)"
    r"\s*(?::.*)?$",
    re.IGNORECASE,
)
# A cell that reads as data rather than as a column name: numbers, amounts, dates, ids.
_DATA_LIKE_RE = re.compile(r"^[\s'+\-−(]*[$€£]?\s*\d[\d\s.,:/'%$€£()+\-−TZ]*$")
_NULL_WORDS = frozenset({"-", "--", "n/a", "null", "(not set)"})
_SURVEYMONKEY_LABELS = frozenset({"response", "open-ended response"})


@dataclass
class _Rows:
    """Records of a file before the header is known: fields as text, source line numbers."""

    rows: list[list[str]]
    line_numbers: list[int]
    file_format: str
    encoding: str | None = None
    delimiter: str | None = None
    notes: list[str] = field(default_factory=list)
    has_header: bool = True


# ---------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------


def read_table(
    content: bytes,
    file_name: str,
    *,
    header: bool = True,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> RawTable:
    """Read an export file into a table of text cells.

    Parameters
    ----------
    content : the file's bytes.
    file_name : the file's name, used for its extension and in messages (never opened).
    header : False when the file has no header row (columns are then named
        ``column_1..column_n``). With True, a file whose first row looks like data
        (all numbers or dates) is also read without header, with a note.
    max_bytes : largest file accepted; the command line (``python -m clv ingest FILE``)
        passes a larger limit.

    Parquet files always carry column names: ``header`` does not apply to them, and
    neither do title lines, ``Total`` rows or extra header rows.

    Returns
    -------
    RawTable
        ``data`` holds one object column per header name (``str`` or ``None``);
        ``line_numbers`` the source line (CSV), sheet row (XLSX) or row index + 2
        (Parquet) of each row; ``notes`` what was skipped or changed.

    Raises
    ------
    FileProblem
        When the file cannot be read as a table; the message says what to do.
    """
    name = PurePath(file_name).name or msg("The file")
    if not content:
        raise FileProblem(
            msg(
                "The file is empty: {name} has 0 bytes. Export it again and upload the new file.",
                name=name,
            )
        )
    if len(content) > max_bytes:
        raise too_large(name, len(content), max_bytes)
    extension = PurePath(file_name).suffix.lower()
    if extension in _REFUSED_EXTENSIONS:
        raise FileProblem(msg(_REFUSED_EXTENSIONS[extension], name=name))

    kind = _sniff_container(content, name)
    if kind == "xlsx":
        return _finish(_xlsx_rows(content, name, header), name)
    if kind == "parquet":
        return _read_parquet(content, name)
    return _finish(_text_rows(content, name, header), name)


def too_large(name: str, size: int, max_bytes: int) -> FileProblem:
    """The problem of a file over the size limit, saying what to do."""
    return FileProblem(
        msg(
            "{name} is {size}, over the {limit} limit for uploads. Import it from the "
            "command line instead: python -m clv ingest FILE",
            name=name,
            size=_megabytes(size),
            limit=_megabytes(max_bytes),
        )
    )


def _megabytes(size: int) -> str:
    if size >= 1024 * 1024:
        return msg("{megabytes:.0f} MB", megabytes=size / (1024 * 1024))
    return msg("{size} bytes", size=size)


def _sniff_container(content: bytes, name: str) -> str:
    """``"xlsx"``, ``"parquet"`` or ``"text"`` from the first bytes, whatever the extension."""
    if content.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _zip_kind(content, name)
    if content.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise FileProblem(
            msg(
                "{name} is an Excel 97-2003 workbook (.xls) or a password-protected workbook. "
                "Open it in Excel or LibreOffice, remove any password and save it as .xlsx "
                "or CSV, then upload that.",
                name=name,
            )
        )
    if content.startswith(b"PAR1"):
        return "parquet"
    if content.startswith(b"\x1f\x8b"):
        raise FileProblem(
            msg("{name} is compressed (gzip). Decompress it and upload the file inside.", name=name)
        )
    return "text"


def _zip_kind(content: bytes, name: str) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                with archive.open("mimetype") as entry:
                    if b"opendocument" in entry.read(200):  # never inflate more than that
                        raise FileProblem(msg(_REFUSED_EXTENSIONS[".ods"], name=name))
            if any(n.startswith("Index/") and n.endswith(".iwa") for n in names):
                raise FileProblem(msg(_REFUSED_EXTENSIONS[".numbers"], name=name))
            if "xl/workbook.bin" in names:
                raise FileProblem(msg(_REFUSED_EXTENSIONS[".xlsb"], name=name))
            if "xl/workbook.xml" not in names:
                raise FileProblem(
                    msg(
                        "{name} is a zip archive, not a table. Unzip it and upload the CSV or "
                        "XLSX file inside.",
                        name=name,
                    )
                )
            if "xl/vbaProject.bin" in names:
                raise FileProblem(msg(_REFUSED_EXTENSIONS[".xlsm"], name=name))
    except zipfile.BadZipFile:
        raise FileProblem(
            msg(
                "{name} looks like an Excel file but is damaged. Open it in Excel and save it "
                "again as .xlsx, or export it as CSV.",
                name=name,
            )
        ) from None
    return "xlsx"


# ---------------------------------------------------------------------------
# Text files
# ---------------------------------------------------------------------------


def _decode_probe(content: bytes) -> str:
    """The encoding of a text file: BOM, else strict UTF-8, else cp1252."""
    if content.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    head = content[:4096]
    # UTF-16 without BOM: every other byte is NUL in Latin text.
    if len(head) >= 16:
        odd_nul = head[1::2].count(0) / len(head[1::2])
        even_nul = head[0::2].count(0) / len(head[0::2])
        if odd_nul > 0.9 and even_nul < 0.1:
            return "utf-16-le"
        if even_nul > 0.9 and odd_nul < 0.1:
            return "utf-16-be"
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    try:
        for start in range(0, len(content), 1 << 20):
            decoder.decode(content[start : start + (1 << 20)])
        decoder.decode(b"", final=True)
        return "utf-8"
    except UnicodeDecodeError:
        return "cp1252"


def _not_text(name: str) -> FileProblem:
    return FileProblem(
        msg(
            "{name} is not a text table (it looks like a binary file). "
            "Open it in the program that made it and export it as CSV or XLSX.",
            name=name,
        )
    )


def _check_text(sample: str, name: str) -> None:
    if "\x00" in sample:
        raise _not_text(name)
    if not sample:
        return
    controls = sum(
        1
        for ch in sample
        if unicodedata.category(ch) in ("Cc", "Cs", "Co", "Cn") and ch not in "\t\r\n"
    )
    if controls / len(sample) > 0.05:
        raise _not_text(name)


def _open_text(content: bytes, encoding: str) -> io.TextIOWrapper:
    # newline="" hands "\r\n", "\r" and "\n" to the csv module untouched, as it requires.
    errors = "replace" if encoding == "cp1252" else "strict"
    return io.TextIOWrapper(io.BytesIO(content), encoding=encoding, errors=errors, newline="")


def _check_line_lengths(content: bytes, encoding: str, name: str) -> None:
    """Refuse a line over :data:`MAX_LINE_CHARS`, counted on the bytes before decoding."""
    data = np.frombuffer(content, dtype=np.uint8)
    breaks = np.flatnonzero(data == 0x0A)
    if not len(breaks):
        breaks = np.flatnonzero(data == 0x0D)
    edges = np.concatenate(([-1], breaks, [len(data)]))
    longest = int(np.diff(edges).max()) - 1
    limit = MAX_LINE_CHARS * (2 if encoding.startswith("utf-16") else 1)
    if longest > limit:
        raise FileProblem(
            msg(
                "{name} has a line longer than {megabytes} MB: this is not a normal table "
                "export. Check the file, or export it again as CSV.",
                name=name,
                megabytes=MAX_LINE_CHARS // (1024 * 1024),
            )
        )


def _read_sample(content: bytes, encoding: str, name: str) -> tuple[list[str], bool]:
    """The first lines of the file, and whether the file goes on after them."""
    lines: list[str] = []
    size = 0
    try:
        with _open_text(content, encoding) as handle:
            for line in handle:
                if len(lines) >= SAMPLE_LINES or size >= SAMPLE_CHARS:
                    return lines, True
                lines.append(line)
                size += len(line)
    except UnicodeDecodeError:
        raise _not_text(name) from None
    return lines, False


@dataclass
class _Sniff:
    delimiter: str | None  # None: whitespace-aligned or a single column
    whitespace: bool = False


def _field_counts(sample: list[str], delimiter: str) -> list[int]:
    reader = csv.reader(sample, delimiter=delimiter, quotechar='"', doublequote=True, strict=False)
    counts: list[int] = []
    try:
        for record in reader:
            if any(f.strip() for f in record):
                counts.append(len(record))
    except csv.Error:
        pass  # a sample cut inside a quoted field: the counts so far still tell
    return counts


def _mode(counts: list[int]) -> tuple[int, float]:
    """Most frequent count (the larger on ties) and its share of all counts."""
    if not counts:
        return 0, 0.0
    tally = Counter(counts)
    best = max(tally, key=lambda c: (tally[c], c))
    return best, tally[best] / len(counts)


def _sniff(sample: list[str], truncated: bool, name: str) -> _Sniff:
    if truncated and len(sample) > 1:
        # The last record may go on past the sample (a quoted newline) and look ragged.
        sample = sample[:-1]
    best: tuple[float, int, str] | None = None
    loose: tuple[float, int, str] | None = None
    for delimiter in DELIMITERS:
        counts = _field_counts(sample, delimiter)
        mode, share = _mode(counts)
        key = (round(share, 2), mode, delimiter)
        consistent = mode > 1 and share >= MIN_DELIMITER_CONSISTENCY
        if consistent and (best is None or key[:2] > best[:2]):
            best = key
        # Ragged but clearly delimited: every line splits, just not into equal counts.
        split = sum(c > 1 for c in counts) / len(counts) if counts else 0.0
        if split >= 0.9 and (loose is None or key[:2] > loose[:2]):
            loose = key
    if best is not None:
        return _Sniff(best[2])
    words = [len(line.split()) for line in sample if line.strip()]
    if len(words) <= 1:
        return _Sniff(None)  # one line: a header alone, reported as such later
    mode, share = _mode(words)
    if mode > 1 and share >= MIN_WHITESPACE_CONSISTENCY:
        return _Sniff(None, whitespace=True)
    if loose is not None:
        return _Sniff(loose[2])
    if _looks_single_column(sample):
        return _Sniff(None)
    raise FileProblem(
        msg(
            "No delimiter found in {name}: it is not a table with columns separated by "
            "commas, semicolons, tabs or |. Export it again as CSV or XLSX.",
            name=name,
        )
    )


def _looks_single_column(sample: list[str]) -> bool:
    lines = [line.strip() for line in sample if line.strip()]
    if len(lines) < 2:
        return False
    head = lines[0].strip('"')
    header_ok = (
        len(head) <= 64
        and len(head.split()) <= 6
        and any(ch.isalpha() for ch in head)
        and not _DATA_LIKE_RE.match(head)
    )
    short = sum(len(line) <= 256 for line in lines[1:]) / (len(lines) - 1)
    return header_ok and short >= 0.9


def _text_rows(content: bytes, name: str, header: bool) -> _Rows:
    encoding = _decode_probe(content)
    _check_line_lengths(content, encoding, name)
    sample, truncated = _read_sample(content, encoding, name)
    _check_text("".join(sample)[:65536], name)
    if not truncated and not any(line.strip() for line in sample):
        raise FileProblem(
            msg(
                "The file is empty: {name} has no text. Export it again and upload the new file.",
                name=name,
            )
        )
    if sample and sample[0].startswith("\ufeff"):
        sample[0] = sample[0][1:]
    sniff = _sniff(sample, truncated, name)
    reported = "utf-16" if encoding.startswith("utf-16") else encoding
    notes: list[str] = []
    if encoding == "cp1252":
        notes.append(
            msg("The file is not UTF-8; it was read as Windows-1252 (Excel's usual encoding).")
        )
    rows: list[list[str]] = []
    line_numbers: list[int] = []
    last_line = 0
    try:
        with _open_text(content, encoding) as handle:
            if sniff.whitespace:
                notes.append(msg("Columns are separated by spaces."))
                for number, line in enumerate(handle, start=1):
                    fields = line.split()
                    if fields:
                        rows.append(fields)
                        line_numbers.append(number)
            else:
                _raise_field_limit()
                reader = csv.reader(
                    handle,
                    delimiter=sniff.delimiter or ",",
                    quotechar='"',
                    doublequote=True,
                    strict=False,
                )
                for record in reader:
                    start = last_line + 1
                    last_line = reader.line_num
                    if last_line - start >= MAX_LINES_PER_RECORD:
                        raise _runaway_quote(name, start, last_line)
                    if any(record):
                        rows.append(record)
                        line_numbers.append(start)
    except csv.Error as error:
        raise FileProblem(
            msg(
                "{name} could not be read as CSV near line {line} ({error}). "
                "Export it again as CSV or XLSX.",
                name=name,
                line=last_line + 1,
                error=str(error),
            )
        ) from None
    except UnicodeDecodeError:
        raise _not_text(name) from None
    if rows and rows[0] and rows[0][0].startswith("\ufeff"):
        rows[0][0] = rows[0][0].lstrip("\ufeff")
    return _Rows(
        rows,
        line_numbers,
        "csv",
        encoding=reported,
        delimiter=sniff.delimiter,
        notes=notes,
        has_header=header,
    )


def _runaway_quote(name: str, start: int, end: int) -> FileProblem:
    # Plain English: the French catalogue (clv.i18n.catalog.MESSAGES) has no entry for it yet.
    return FileProblem(
        f"{name}: the quote opened on line {start} runs over {end - start + 1:,} lines, so "
        "the rest of the file would be read as one cell (a quote that is never closed). "
        "Check the file around that line, or export it again as CSV or XLSX."
    )


def _raise_field_limit() -> None:
    # The csv module refuses fields over 128 KiB by default; long free-text cells
    # (order notes) are legitimate up to the line limit. Raising a process-wide
    # limit is harmless: it only ever grows.
    if csv.field_size_limit() < MAX_LINE_CHARS:
        csv.field_size_limit(MAX_LINE_CHARS)


# ---------------------------------------------------------------------------
# XLSX
# ---------------------------------------------------------------------------


def _check_zip(content: bytes, name: str) -> None:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        entries = archive.infolist()
    if len(entries) > MAX_XLSX_ENTRIES:
        raise FileProblem(
            msg(
                "{name} holds {parts} parts, more than a workbook ever needs ({limit}). "
                "Save the sheet as CSV and upload that.",
                name=name,
                parts=len(entries),
                limit=MAX_XLSX_ENTRIES,
            )
        )
    unpacked = sum(entry.file_size for entry in entries)
    too_dense = unpacked > XLSX_RATIO_FLOOR and unpacked > MAX_XLSX_RATIO * len(content)
    if unpacked > MAX_XLSX_UNPACKED or too_dense:
        raise FileProblem(
            msg(
                "{name} would unpack to {unpacked} from {size}: too large or too compressed "
                "to open safely. Save the sheet as CSV and upload that.",
                name=name,
                unpacked=_megabytes(unpacked),
                size=_megabytes(len(content)),
            )
        )


def _excel_text(value: object) -> str:
    """The text a cell shows, without float noise: ``59.9`` not ``59.900000000000006``."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return ""
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return format(Decimal(f"{value:.15g}"), "f")
    if isinstance(value, datetime):
        # Excel stores times as fractions of a day: 14:30 may come back as 14:29:59.9999.
        value = (value + timedelta(microseconds=500_000)).replace(microsecond=0)
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
            return value.strftime("%Y-%m-%dT%H:%M:%SZ")
        if value.time() == time(0, 0):
            return value.strftime("%Y-%m-%d")
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M:%S")
    if isinstance(value, timedelta):
        return str(value)
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def _xlsx_rows(content: bytes, name: str, header: bool) -> _Rows:
    import openpyxl
    import openpyxl.xml

    _check_zip(content, name)
    if not openpyxl.xml.DEFUSEDXML:
        # openpyxl parses with defusedxml only when it is installed and not disabled by
        # OPENPYXL_DEFUSEDXML=False; without it, a crafted workbook can attack the parser.
        raise FileProblem(
            msg(
                "{name} cannot be opened safely on this server: reading XLSX needs the "
                "defusedxml package (and OPENPYXL_DEFUSEDXML not set to False). Upload the "
                "sheet as CSV, or ask the administrator to install defusedxml.",
                name=name,
            )
        )
    try:
        workbook = openpyxl.load_workbook(
            io.BytesIO(content), read_only=True, data_only=True, keep_links=False
        )
    except Exception as error:  # openpyxl raises many types for broken files
        raise FileProblem(
            msg(
                "{name} could not be opened as an Excel workbook ({error}). "
                "Open it in Excel and save it again as .xlsx, or export it as CSV.",
                name=name,
                error=type(error).__name__,
            )
        ) from None
    sheets: list[tuple[str, list[list[str]], list[int]]] = []
    try:
        for sheet in workbook.worksheets:
            sheet.reset_dimensions()  # some writers declare a wrong size; read what is there
            rows: list[list[str]] = []
            numbers: list[int] = []
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                cells = [_excel_text(v) for v in values]
                if any(c.strip() for c in cells):
                    rows.append(cells)
                    numbers.append(number)
            sheets.append((sheet.title, rows, numbers))
    finally:
        workbook.close()
    filled = [s for s in sheets if s[1]]
    if not filled:
        raise FileProblem(
            msg("The file is empty: no sheet of {name} has any cell filled.", name=name)
        )
    title, rows, numbers = max(filled, key=lambda s: len(s[1]))  # first one on ties
    notes = []
    if len(filled) > 1:
        others = ", ".join(repr(s[0]) for s in filled if s[0] != title)
        notes.append(
            msg(
                "Read sheet {title!r}, the one with the most rows; not read: {others}.",
                title=title,
                others=others,
            )
        )
    # openpyxl gives each row up to its last written cell: pad to the sheet's width so
    # that field counts compare like those of a CSV.
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) if len(r) < width else r for r in rows]
    return _Rows(rows, numbers, "xlsx", notes=notes, has_header=header)


# ---------------------------------------------------------------------------
# Parquet
# ---------------------------------------------------------------------------


def _is_text_type(kind: pa.DataType) -> bool:
    is_view = getattr(pa.types, "is_string_view", lambda _kind: False)
    return pa.types.is_string(kind) or pa.types.is_large_string(kind) or is_view(kind)


def _read_parquet(content: bytes, name: str) -> RawTable:
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(pa.BufferReader(content))
    except (pa.ArrowException, OSError) as error:
        raise FileProblem(
            msg(
                "{name} could not be read as Parquet ({error}). Export it again, or as CSV.",
                name=name,
                error=str(error),
            )
        ) from None
    if table.num_rows == 0:
        raise FileProblem(
            msg("The file has a header but no rows: {name} has columns but no data.", name=name)
        )
    columns = _unique_names([str(n).strip() for n in table.column_names])
    data: dict[str, np.ndarray] = {}
    for column_name, column in zip(columns, table.columns, strict=True):
        if pa.types.is_dictionary(column.type):
            column = column.cast(column.type.value_type)
        if _is_text_type(column.type):
            texts = column.cast(pa.string()).combine_chunks()
        else:
            texts = pa.array(
                [None if v is None else _excel_text(v) for v in column.to_pylist()],
                type=pa.string(),
            )
        data[column_name] = _clean_cells(texts).to_numpy(zero_copy_only=False)
    frame = pd.DataFrame(data, dtype=object, columns=columns)
    return RawTable(
        columns=columns,
        data=frame,
        line_numbers=list(range(2, len(frame) + 2)),
        file_format="parquet",
    )


# ---------------------------------------------------------------------------
# Header, titles, totals, extra header rows
# ---------------------------------------------------------------------------


def _is_data_like(cell: str) -> bool:
    text = cell.strip()
    return bool(text) and bool(_DATA_LIKE_RE.match(text))


def _meaningful(row: list[str]) -> list[str]:
    """Non-empty cells, ignoring the words exports use for "no value"."""
    return [c.strip() for c in row if c.strip() and c.strip().lower() not in _NULL_WORDS]


def _mostly_numeric(row: list[str]) -> bool:
    cells = _meaningful(row)
    return bool(cells) and sum(_is_data_like(c) for c in cells) / len(cells) > 0.5


def _all_data_like(row: list[str]) -> bool:
    cells = _meaningful(row)
    return bool(cells) and all(_is_data_like(c) for c in cells)


def _fits_width(row: list[str], width: int, sample: list[list[str]], index: int) -> bool:
    """Whether ``row`` (at ``index`` in ``sample``) can head rows that mostly have ``width`` fields."""
    if len(row) == width:
        return True
    if len(row) > width:
        # Wider than the data: trailing empty names, or rows that leave out their
        # empty trailing fields. A title line is never the widest row.
        below = sample[index + 1 :]
        return not any(c.strip() for c in row[width:]) or (
            bool(below) and all(len(r) <= len(row) for r in below)
        )
    if len(row) < 2:
        return False
    # Data rows that end with a delimiter have one more (empty) field than the header.
    wide = [r for r in sample if len(r) == width]
    padded = sum(not any(c.strip() for c in r[len(row) :]) for r in wide)
    return bool(wide) and padded / len(wide) >= 0.9


def _find_header(rows: list[list[str]]) -> tuple[int | None, int]:
    """Index of the header row (None: no header) and the dominant field count."""
    sample = rows[:200]
    width, _share = _mode([len(r) for r in sample])
    need = min(2, width)
    first_full: int | None = None
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if not _fits_width(row, width, sample, index) or len(_meaningful(row)) < need:
            continue
        if first_full is None:
            first_full = index
            if _all_data_like(row):
                return None, width
        if not _mostly_numeric(row):
            return index, width
    return None, width


def _line_text(row: list[str]) -> str:
    """A title line as text: its non-empty cells (usually just one)."""
    return ", ".join(c.strip() for c in row if c.strip())


def _first_cell(row: list[str]) -> str:
    for cell in row:
        if cell.strip():
            return cell.strip()
    return ""


def _is_total(row: list[str]) -> bool:
    return bool(_TOTAL_RE.match(_first_cell(row)))


def _qualtrics_rows(rows: list[list[str]], start: int) -> int:
    """How many rows from ``start`` are Qualtrics' extra header rows (0, 1 or 2)."""

    def import_ids(row: list[str]) -> bool:
        cells = [c.strip() for c in row if c.strip()]
        hits = sum(c.startswith(('{"ImportId"', "{'ImportId'")) for c in cells)
        return bool(cells) and hits / len(cells) >= 0.5

    if start + 1 < len(rows) and import_ids(rows[start + 1]):
        return 2
    if start < len(rows) and import_ids(rows[start]):
        return 1
    return 0


def _surveymonkey_names(header: list[str], second: list[str]) -> list[str] | None:
    """Column names merged from SurveyMonkey's two header rows, or None if not that layout.

    A question spanning several columns has its name over the first column only and
    the option labels in the second row: each column of the group becomes
    ``question - option``. Single-column questions keep their name.
    """
    if not any(not h.strip() for h in header[1:]):
        return None
    labels = [c.strip() for c in second] + [""] * max(0, len(header) - len(second))
    if not any(label.lower() in _SURVEYMONKEY_LABELS for label in labels):
        return None
    if _mostly_numeric(second):
        return None
    names: list[str] = []
    for index, name in enumerate(header):
        name = name.strip()
        label = labels[index]
        if name:
            in_group = index + 1 < len(header) and not header[index + 1].strip()
            if in_group and label and label.lower() not in _SURVEYMONKEY_LABELS:
                names.append(f"{name} - {label}")
            else:
                names.append(name)
            continue
        question = next((h.strip() for h in reversed(header[:index]) if h.strip()), "")
        if question and label:
            names.append(f"{question} - {label}")
        else:
            names.append(label or question)
    return names


def _unique_names(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    taken = set(names)
    out: list[str] = []
    for index, name in enumerate(names):
        base = name or f"column_{index + 1}"
        if base not in seen:
            seen[base] = 1
            out.append(base)
            continue
        count = seen[base]
        candidate = base
        while candidate in seen or (candidate in taken and candidate != base):
            count += 1
            candidate = f"{base} ({count})"
        seen[base] = count
        seen[candidate] = 1
        out.append(candidate)
    return out


def _clean_cells(values: pa.Array) -> pa.Array:
    """Trim, remove one leading apostrophe (Excel's text guard), empty to null."""
    cells = pc.utf8_trim_whitespace(values)
    guarded = pc.starts_with(cells, "'")
    if pc.any(guarded).as_py():
        cells = pc.if_else(guarded, pc.utf8_slice_codeunits(cells, 1), cells)
        cells = pc.utf8_trim_whitespace(cells)
    return pc.if_else(pc.equal(cells, ""), pa.scalar(None, pa.string()), cells)


def _finish(raw: _Rows, name: str) -> RawTable:
    """Header, preamble, extra header rows, totals, ragged rows -> RawTable."""
    rows, numbers, notes = raw.rows, raw.line_numbers, list(raw.notes)
    delimiter = raw.delimiter or ("\t" if raw.file_format == "xlsx" else " ")
    if not rows:
        raise FileProblem(msg("The file is empty: {name} has no rows.", name=name))
    preamble: list[str] = []
    extra_header_rows: list[list[str]] = []

    header_index: int | None = None
    width = max(len(r) for r in rows[:200])
    if width > MAX_COLUMNS:
        # Plain English: the French catalogue (clv.i18n.catalog.MESSAGES) has no entry for it yet.
        raise FileProblem(
            f"{name} has a row of {width:,} fields, more than a spreadsheet can hold "
            f"({MAX_COLUMNS:,} columns): it is not a table export. Check the file, or "
            "export it again as CSV or XLSX."
        )
    if raw.has_header:
        header_index, width = _find_header(rows)
    if header_index is None:
        start = 0
        if raw.has_header:
            start = next(
                (i for i, r in enumerate(rows[:HEADER_SEARCH_ROWS]) if _all_data_like(r)), 0
            )
        preamble = [_line_text(r) for r in rows[:start]]
        body = rows[start:]
        body_numbers = numbers[start:]
        width = max(width, _mode([len(r) for r in body[:200]])[0])
        names = [f"column_{i + 1}" for i in range(width)]
        notes.append(msg("No header row: columns are named column_1..column_{width}.", width=width))
    else:
        preamble = [_line_text(r) for r in rows[:header_index]]
        header_row = rows[header_index]
        header_row = header_row[: max(width, _last_filled(header_row) + 1)]
        names = [c.strip().lstrip("\ufeff").strip() for c in header_row]
        start = header_index + 1
        extra = _qualtrics_rows(rows, start)
        if extra:
            extra_header_rows = [list(r) for r in rows[start : start + extra]]
            notes.append(
                msg(
                    "Qualtrics layout: {count} extra header row(s) (question texts, import ids) "
                    "set aside.",
                    count=extra,
                )
            )
            start += extra
        elif start < len(rows):
            merged = _surveymonkey_names(header_row, rows[start])
            if merged is not None:
                extra_header_rows = [list(rows[start])]
                names = merged
                notes.append(
                    msg(
                        "SurveyMonkey layout: the second header row was merged into the column "
                        "names."
                    )
                )
                start += 1
        body = rows[start:]
        body_numbers = numbers[start:]
    if preamble:
        if header_index is not None:
            skipped = msg("Skipped {count} title line(s) above the header.", count=len(preamble))
        else:
            skipped = msg("Skipped {count} title line(s) above the data.", count=len(preamble))
        notes.append(skipped)

    totals = 0
    while body and _is_total(body[-1]):
        body.pop()
        body_numbers.pop()
        totals += 1
    if totals:
        notes.append(msg("Dropped {count} total row(s) at the end of the table.", count=totals))
    if not body:
        raise FileProblem(
            msg(
                "The file has a header but no rows: {name} has no data below its column names.",
                name=name,
            )
        )

    width = len(names)
    lengths = np.fromiter(map(len, body), dtype=np.int64, count=len(body))
    ragged: list[int] = []
    extra_cells: list[str | None] | None = None
    # Only rows of another width are touched one by one; the rest go to Arrow as is.
    for position in np.flatnonzero(lengths != width).tolist():
        row = body[position]
        if len(row) < width:
            body[position] = row + [""] * (width - len(row))
            continue
        surplus = row[width:]
        body[position] = row[:width]
        if any(c.strip() for c in surplus):
            if extra_cells is None:
                extra_cells = [None] * len(body)
            extra_cells[position] = delimiter.join(surplus)
            ragged.append(position)
    for position in ragged[:MAX_RAGGED_NOTES]:
        notes.append(
            msg(
                "Line {line} has {fields} fields, header has {width}; "
                "the extra fields are kept in column _extra.",
                line=body_numbers[position],
                fields=int(lengths[position]),
                width=width,
            )
        )
    if len(ragged) > MAX_RAGGED_NOTES:
        notes.append(
            msg(
                "{count} more line(s) have more fields than the header.",
                count=len(ragged) - MAX_RAGGED_NOTES,
            )
        )

    records = pa.array(body, type=pa.list_(pa.string()))
    columns_in = [(n, _clean_cells(pc.list_element(records, j))) for j, n in enumerate(names)]
    if extra_cells is not None:
        columns_in.append(("_extra", _clean_cells(pa.array(extra_cells, type=pa.string()))))
    # Columns with neither a name nor a value are artefacts of trailing delimiters.
    columns_in = [(n, v) for n, v in columns_in if n or v.null_count < len(v)]
    # Whitespace-only rows survive the reader's emptiness check; drop them now.
    empty = np.ones(len(body), dtype=bool)
    for _, values in columns_in:
        empty &= values.is_null().to_numpy(zero_copy_only=False)
    if empty.all():
        raise FileProblem(
            msg(
                "The file has a header but no rows: {name} has no data below its column names.",
                name=name,
            )
        )
    if empty.any():
        keep = pa.array(~empty)
        columns_in = [(n, v.filter(keep)) for n, v in columns_in]
        body_numbers = [n for n, gone in zip(body_numbers, empty.tolist(), strict=True) if not gone]
    unique = _unique_names([n for n, _ in columns_in])
    frame = pd.DataFrame(
        {u: v.to_numpy(zero_copy_only=False) for u, (_, v) in zip(unique, columns_in, strict=True)},
        dtype=object,
        columns=unique,
    )
    return RawTable(
        columns=unique,
        data=frame,
        line_numbers=body_numbers,
        file_format=raw.file_format,
        encoding=raw.encoding,
        delimiter=raw.delimiter,
        notes=notes,
        preamble=preamble,
        extra_header_rows=extra_header_rows,
    )


def _last_filled(row: list[str]) -> int:
    for index in range(len(row) - 1, -1, -1):
        if row[index].strip():
            return index
    return -1

"""A corpus of hostile and broken export files, generated on demand (nothing committed).

Each :class:`HostileFile` is a file a user could upload by mistake or by malice, the kind
it is uploaded as, and the message the import must answer with. The tests feed every one
to :func:`clv.ingest.pipeline.import_file` and check that it is refused quickly, within
bounded memory, with that message, leaving the store as it was.

Sizes are kept small where the size does not matter (a zip bomb is dangerous by its
*declared* size, not by its bytes on disk) so the whole corpus builds in about a second.
"""

from __future__ import annotations

import io
import random
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

import openpyxl

from clv.ingest.reading import DEFAULT_MAX_BYTES


@dataclass(frozen=True)
class HostileFile:
    """One hostile file: how to build it and what the import must say."""

    name: str  # short id, used in test ids and in docs/reliability.md
    file_name: str  # the name it is uploaded under
    build: Callable[[], bytes]
    message: str  # regular expression the FileProblem message must match
    kind: str | None = None  # the kind the user chose (None: recognised from the header)
    what: str = ""  # one line for the report


def _seeded_bytes(size: int, seed: int = 7) -> bytes:
    return random.Random(seed).randbytes(size)


def _workbook(rows: list[list[object]]) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


ORDER_ROWS = [
    ["Order ID", "Customer Email", "Date", "Total"],
    ["A-1", "a@example.com", "2024-01-05", "10.00"],
    ["A-2", "b@example.com", "2024-01-06", "20.00"],
]


def _replace_part(content: bytes, part: str, new: bytes) -> bytes:
    """``content`` (a zip) with ``part`` replaced by ``new`` (added if absent)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(content)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            if item.filename != part:
                target.writestr(item, source.read(item.filename))
        target.writestr(part, new)
    return out.getvalue()


def zip_bomb() -> bytes:
    """An XLSX whose one sheet inflates to 40 MB of XML from about 40 kB (ratio ~1000)."""
    sheet = b"<worksheet><sheetData>" + b"<row/>" * 7_000_000 + b"</sheetData></worksheet>"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    return out.getvalue()


# "Billion laughs": ten levels of ten references each expand to 10**9 copies of "lol"
# (3 GB) in a parser that expands entities.
_LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    + b"".join(
        b' <!ENTITY lol%d "%s">\n'
        % (level, (b"&lol%d;" % (level - 1)) * 10 if level > 1 else b"&lol;" * 10)
        for level in range(1, 10)
    )
    + b"]>\n"
)


def entity_bomb_in_shared_strings() -> bytes:
    """A workbook whose shared strings (parsed when the workbook opens, before any
    sheet) hold a billion-laughs entity bomb that cell A1 refers to."""
    strings = _LAUGHS + (
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" '
        b'uniqueCount="1"><si><t>&lol9;</t></si></sst>'
    )
    sheet = (
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>'
    )
    content = _replace_part(_workbook(ORDER_ROWS), "xl/worksheets/sheet1.xml", sheet)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        types = archive.read("[Content_Types].xml")
    # Declared in the manifest, as Excel does, so that openpyxl reads it.
    types = types.replace(
        b"</Types>",
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    )
    content = _replace_part(content, "[Content_Types].xml", types)
    return _replace_part(content, "xl/sharedStrings.xml", strings)


def entity_bomb_in_sheet() -> bytes:
    """A valid workbook whose sheet XML (parsed row by row, after the workbook opened)
    holds a billion-laughs entity bomb in an inline string."""
    sheet = _LAUGHS + (
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
        b"</sheetData></worksheet>"
    )
    return _replace_part(_workbook(ORDER_ROWS), "xl/worksheets/sheet1.xml", sheet)


def external_entity_in_sheet() -> bytes:
    """A sheet that asks the parser to read /etc/passwd into a cell (XXE)."""
    sheet = (
        b'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c></row>'
        b"</sheetData></worksheet>"
    )
    return _replace_part(_workbook(ORDER_ROWS), "xl/worksheets/sheet1.xml", sheet)


def macro_workbook() -> bytes:
    """A workbook carrying a VBA project, as Excel saves a .xlsm."""
    return _replace_part(
        _workbook(ORDER_ROWS), "xl/vbaProject.bin", b"\xd0\xcf\x11\xe0" + b"\x00" * 60
    )


def text_zip() -> bytes:
    """A zip archive holding a text file, as a user might zip a CSV."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("orders.txt", "Order ID,Total\nA-1,10\n")
    return out.getvalue()


def ragged_rows() -> bytes:
    """Rows of 1 to 40 fields of random words: no width, no header, no table."""
    rng = random.Random(11)
    words = ["lorem", "ipsum", "12", "3,5", "x", "", "2024-01-01"]
    lines = [",".join(rng.choice(words) for _ in range(rng.randint(1, 40))) for _ in range(2_000)]
    return "\n".join(lines).encode()


def unterminated_quote() -> bytes:
    """An orders file whose second line opens a quote that never closes: the 30,000
    lines after it (quoted newlines) would fall into one cell."""
    head = "Order ID,Customer Email,Date,Total\n"
    body = 'A-1,"a@example.com,2024-01-05,10.00\n' + "A-2,b@example.com,2024-01-06,20.00\n" * 30_000
    return (head + body).encode()


def quoted_newlines_only() -> bytes:
    """A header and one quoted cell holding 50,000 line breaks and nothing else."""
    return b'Order ID,Total\n"' + b"\n" * 50_000 + b'",\n'


def survey_export() -> bytes:
    """A Delighted NPS export (scores and comments), uploaded as orders."""
    return (
        b"Response ID,Email,Score,Comment,Created At\n"
        b"1,a@example.com,9,Great,2024-01-05 10:00:00\n"
        b"2,b@example.com,3,Slow delivery,2024-01-06 11:00:00\n"
    )


def corpus() -> list[HostileFile]:
    """Every hostile file, in the order of the report."""
    return [
        HostileFile("empty", "orders.csv", lambda: b"", r"The file is empty: orders\.csv has 0 bytes",
                    what="0-byte file"),
        HostileFile("blank", "orders.csv", lambda: b" \r\n\n\t\n" * 100, r"The file is empty",
                    what="only blank lines"),
        HostileFile("binary_csv", "orders.csv", lambda: _seeded_bytes(256 * 1024),
                    r"is not a text table", what="256 kB of random bytes named .csv"),
        HostileFile("pdf_csv", "orders.csv",
                    lambda: b"%PDF-1.7\n" + b"\x00\x9c\x8f\x10stream\x00" * 4_000,
                    r"is not a text table", what="a PDF named .csv"),
        HostileFile("gzip_csv", "orders.csv", lambda: b"\x1f\x8b\x08\x00" + _seeded_bytes(4_000),
                    r"is compressed \(gzip\)", what="a gzip archive named .csv"),
        HostileFile("zip_not_xlsx", "orders.xlsx", text_zip,
                    r"is a zip archive, not a table", what="a zip of a text file named .xlsx"),
        HostileFile("single_line_2mb", "orders.csv", lambda: b"A" * (2 * 1024 * 1024),
                    r"No delimiter found|header but no rows", what="one 2 MB line, no line break"),
        HostileFile("wide_line_2mb", "orders.csv", lambda: b"a," * (1024 * 1024) + b"\n",
                    r"row of 1,048,577 fields, more than a spreadsheet can hold",
                    what="one 2 MB line of 1,048,577 empty columns"),
        HostileFile("line_over_5mb", "orders.csv",
                    lambda: b"a,b\n" + b"x" * (5 * 1024 * 1024 + 10) + b",1\n",
                    r"line longer than 5 MB", what="a 5 MB line below a header"),
        HostileFile("ragged", "orders.csv", ragged_rows,
                    r"No delimiter found|match no known export|could not be imported",
                    what="2,000 rows of 1 to 40 random fields"),
        HostileFile("unterminated_quote", "orders.csv", unterminated_quote,
                    r"the quote opened on line 2 runs over 30,001 lines", what="a quote that never closes, 30,000 lines after it"),
        HostileFile("quoted_newlines", "orders.csv", quoted_newlines_only,
                    r"the quote opened on line 2 runs over 50,001 lines",
                    what="one quoted cell of 50,000 line breaks"),
        HostileFile("invalid_utf8_bom", "orders.csv",
                    lambda: b"\xef\xbb\xbfOrder ID,Total\nA-1,\xff\xfe\xfa 10\n",
                    r"is not a text table", what="UTF-8 byte-order mark, then bytes that are not UTF-8"),
        HostileFile("invalid_utf16", "orders.csv",
                    lambda: b"\xff\xfe" + "Order ID\tTotal\n".encode("utf-16-le") + b"\x00\xd8\x41\x00",
                    r"is not a text table", what="UTF-16 with an unpaired surrogate"),
        HostileFile("xlsx_zip_bomb", "orders.xlsx", zip_bomb,
                    r"too large or too compressed to open safely",
                    what="XLSX sheet inflating 40 MB from 40 kB"),
        HostileFile("xlsx_entity_bomb_strings", "orders.xlsx", entity_bomb_in_shared_strings,
                    r"could not be opened as an Excel workbook",
                    what="billion-laughs entities in sharedStrings.xml"),
        HostileFile("xlsx_entity_bomb_sheet", "orders.xlsx", entity_bomb_in_sheet,
                    r"could not be opened as an Excel workbook",
                    what="billion-laughs entities in the sheet XML"),
        HostileFile("xlsx_external_entity", "orders.xlsx", external_entity_in_sheet,
                    r"could not be opened as an Excel workbook",
                    what="external entity file:///etc/passwd in the sheet XML"),
        HostileFile("xlsm_by_name", "orders.xlsm", macro_workbook, r"contains macros",
                    what="macro workbook named .xlsm"),
        HostileFile("xlsm_as_xlsx", "orders.xlsx", macro_workbook, r"contains macros",
                    what="macro workbook renamed .xlsx"),
        HostileFile("xls_as_csv", "orders.csv",
                    lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4_000,
                    r"Excel 97-2003 workbook", what="an Excel 97 (OLE2) file named .csv"),
        HostileFile("broken_parquet", "orders.parquet", lambda: b"PAR1" + _seeded_bytes(2_000) + b"PAR1",
                    r"could not be read as Parquet", what="Parquet magic around random bytes"),
        HostileFile("over_size_limit", "orders.csv",
                    lambda: b"a,b\n" + b"1" * (DEFAULT_MAX_BYTES - 3),
                    r"over the 200 MB limit for uploads.*python -m clv ingest FILE",
                    what="200 MB + 1 byte"),
        HostileFile("survey_as_orders", "orders.csv", survey_export,
                    r"looks like .*not orders", kind="orders",
                    what="an NPS survey export uploaded as orders"),
    ]  # fmt: skip

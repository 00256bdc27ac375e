"""Point 4: nothing executes that came in a file.

A store gets the demo shop plus real imports whose channel, campaign and product names
(and one file name) are attacks: an HTML image whose ``onerror`` runs script, spreadsheet
formulas (``=``, ``+``, ``-``, ``@``, tab, carriage return) and SQL. Then every page runs
headless (AppTest) and:

- each payload is shown as text: no Markdown element allows HTML, no raw HTML element
  exists, and the image payload does appear, verbatim, in what the pages send;
- every CSV download of every page (captured at ``st.download_button``) has its formula
  cells neutralised with a leading ``'``, while ``-12.50`` stays a number;
- the SQL payload is stored verbatim and every table is still there.

The page sources are also checked statically: no ``unsafe_allow_html=True``, no
``st.html``, no ``components.html``; and ruff's S608 (SQL built from strings) reports
nothing unreviewed in the app's code.
"""

from __future__ import annotations

import csv
import io
import re
import subprocess
import sys
from pathlib import Path

import pytest
import streamlit
from streamlit.testing.v1 import AppTest

from clv.formatting import to_csv_bytes
from clv.ingest.demo import load_demo
from clv.ingest.pipeline import import_file
from clv.store import TABLE_KEYS, Store
from tests.apptest import APP
from tests.conftest import TEST_KEY
from tests.reliability_report import record

ROOT = Path(__file__).resolve().parents[2]
APP_SOURCES = [
    ROOT / "app.py",
    *sorted((ROOT / "ui").glob("*.py")),
    *sorted((ROOT / "views").glob("*.py")),
]

XSS = "<img src=x onerror=alert(1)>"
SQL = "x'); DROP TABLE orders; --"
FORMULAS = [
    '=HYPERLINK("http://evil.example","click")',
    "+1+1",
    "-2+3",
    "@SUM(A1)",
    "\t=1+1",
    "\r=1+1",
]
CHANNELS = [XSS, SQL, *FORMULAS]
PAGES = [
    "views/overview.py",
    "views/clv.py",
    "views/acquisition.py",
    "views/retention.py",
    "views/voice.py",
    "views/loyalty.py",
    "views/health.py",
    "views/scenarios.py",
    "views/data.py",
    "views/registre.py",
]
# A spreadsheet runs a cell starting with one of these as a formula.
DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")
NEGATIVE_NUMBER = re.compile(r"-\d+(?:[.,]\d+)?")


def _csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    # CRLF line ends, as Excel writes them: fields holding a CR or LF get quoted.
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode()


def hostile_orders() -> bytes:
    """Orders of new customers in 2024, each channel and product named by a payload; one
    refund of -12.50 written as text."""
    rows = [["order", "email", "date", "total", "channel", "product", "refund"]]
    for i in range(64):
        name = CHANNELS[i % len(CHANNELS)]
        rows.append(
            [
                f"H-{i}",
                f"hostile{i % 16}@example.com",
                f"2024-{1 + i % 12:02d}-{1 + i % 27:02d}",
                f"{20 + i}.00",
                name,
                name,
                "-12.50" if i == 0 else "",
            ]
        )
    return _csv(rows)


ORDER_MAPPING = {
    "order_id": "order",
    "customer_email": "email",
    "ordered_at": "date",
    "total_amount": "total",
    "channel": "channel",
    "product_name": "product",
}


def hostile_spend() -> bytes:
    rows = [["day", "channel", "campaign", "cost", "currency"]]
    for month in range(1, 13):
        for name in CHANNELS:
            rows.append([f"2024-{month:02d}-01", name, name, "100.00", "EUR"])
    return _csv(rows)


SPEND_MAPPING = {
    "spend_date": "day",
    "channel": "channel",
    "campaign": "campaign",
    "spend_amount": "cost",
    # Without a currency column, normalize.py fails on the spend rows (an open bug).
    "currency": "currency",
}


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("injection") / "clv.duckdb"
    with Store(path, pseudonym_key=TEST_KEY.encode(), threads=2) as store:
        load_demo(store, n_customers=400, key=TEST_KEY.encode())
        orders = import_file(
            store, hostile_orders(), "=HYPERLINK(1).csv", kind="orders", mapping=ORDER_MAPPING
        )
        spend = import_file(
            store, hostile_spend(), f"{XSS}.csv", kind="spend", mapping=SPEND_MAPPING
        )
        # The reader trims cells: the tab and CR payloads both become "=1+1", one key.
        assert orders.rows_loaded == 64
        assert spend.rows_loaded == 12 * len({c.strip() for c in CHANNELS})
    return path


def test_sql_payloads_are_stored_verbatim(hostile_db):
    with Store(hostile_db, pseudonym_key=TEST_KEY.encode()) as store, store.cursor() as cur:
        for table in TABLE_KEYS:  # every table still exists
            cur.execute(f"SELECT count(*) FROM {table}").fetchone()
        stored = {
            r[0] for r in cur.execute("SELECT DISTINCT channel FROM marketing_spend").fetchall()
        }
        campaigns = {
            r[0] for r in cur.execute("SELECT DISTINCT campaign FROM marketing_spend").fetchall()
        }
        products = {
            r[0]
            for r in cur.execute("SELECT DISTINCT product_name FROM order_lines").fetchall()
            if r[0] is not None
        }
    # Names are kept as written (cells are trimmed by the reader: the tab and CR go).
    expected = {c.strip() for c in CHANNELS}
    assert expected <= stored
    assert expected <= campaigns
    assert {XSS, SQL} <= products


def test_page_sources_render_no_raw_html():
    found = []
    for path in APP_SOURCES:
        source = path.read_text(encoding="utf-8")
        for pattern in (
            r"unsafe_allow_html\s*=\s*True",
            r"\bst\.html\(",
            r"components\.v1",
            r"\.html\(",
        ):
            found += [f"{path.name}: {m.group(0)}" for m in re.finditer(pattern, source)]
    assert not found


def test_sql_is_built_only_from_fixed_names():
    """ruff S608 flags SQL assembled from strings; each remaining use is marked as
    reviewed (fixed table or column names) with ``noqa: S608``."""
    targets = [str(ROOT / "clv"), *map(str, APP_SOURCES)]
    done = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--select", "S608", "--output-format", "concise",
         *targets],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout


def _is_safe_cell(cell: str) -> bool:
    return not cell.startswith(DANGEROUS_START) or bool(NEGATIVE_NUMBER.fullmatch(cell))


def _spreadsheet_rows(payload: bytes) -> list[list[str]]:
    """The rows a spreadsheet sees: a bare CR or LF outside quotes ends a row."""
    return list(csv.reader(io.StringIO(payload.decode("utf-8-sig"), newline="")))


def test_csv_bytes_neutralise_every_formula_start():
    import pandas as pd

    starts = [f for f in FORMULAS if not f.startswith("\r")]
    frame = pd.DataFrame({"name": [*starts, XSS, "-12.50", "plain"], "n": range(len(starts) + 3)})
    rows = _spreadsheet_rows(to_csv_bytes(frame))
    assert [r[0] for r in rows[1:]] == [f"'{f}" for f in starts] + [XSS, "-12.50", "plain"]
    assert all(_is_safe_cell(c) for r in rows for c in r)


@pytest.mark.parametrize("cell", ["\r=1+1", "note\r=HYPERLINK(1)"])
def test_csv_cell_with_a_carriage_return_stays_one_inert_cell(cell):
    import pandas as pd

    rows = _spreadsheet_rows(to_csv_bytes(pd.DataFrame({"name": [cell], "n": [1]})))
    assert len(rows) == 2 and rows[1][1] == "1"
    assert all(_is_safe_cell(c) for r in rows for c in r)


def _markdown_like(at: AppTest) -> list:
    elements = []
    for kind in ("markdown", "caption", "latex", "title", "header", "subheader"):
        elements += list(at.get(kind))
    return elements


def test_every_page_shows_payloads_as_text_and_neutralises_downloads(hostile_db, monkeypatch):
    monkeypatch.setenv("CLV_DB", str(hostile_db))
    monkeypatch.setenv("CLV_PSEUDONYM_KEY", TEST_KEY)
    downloads: list[tuple[str, str, bytes]] = []
    original = streamlit.download_button

    def capture(label, data=None, file_name=None, *args, **kwargs):
        payload = data() if callable(data) else data
        if isinstance(payload, str):
            payload = payload.encode("utf-8")
        downloads.append((current[0], str(file_name), payload))
        return original(label, payload, file_name, *args, **kwargs)

    monkeypatch.setattr(streamlit, "download_button", capture)
    current = [""]
    xss_seen_on: set[str] = set()
    for page in PAGES:
        current[0] = page
        at = AppTest.from_file(APP, default_timeout=180)
        at.session_state["lang"] = "en"
        at.run()
        at.switch_page(page)
        at.run()
        assert not at.exception, (page, [e.value for e in at.exception])
        assert not list(at.get("html")), page
        for element in _markdown_like(at):
            assert not getattr(element.proto, "allow_html", False), (page, element.proto.body[:80])
        sent = str([e.proto for e in at.main]) + str([e.proto for e in at.sidebar])
        if XSS in sent or "<img src=x" in sent:
            xss_seen_on.add(page)
    # The payload did reach the pages (as text), so the checks above saw it.
    assert {"views/acquisition.py", "views/data.py"} <= xss_seen_on, xss_seen_on

    unsafe = []
    cells_checked = 0
    payload_cells = 0
    # Spreadsheets open the CSV downloads; the record of processing is a Markdown text.
    downloads = [d for d in downloads if d[1].endswith(".csv")]
    for page, name, payload in downloads:
        for row in _spreadsheet_rows(payload):
            for cell in row:
                cells_checked += 1
                payload_cells += cell.lstrip("'").strip() in {f.strip() for f in FORMULAS}
                if not _is_safe_cell(cell):
                    unsafe.append((page, name, cell))
    assert downloads
    assert payload_cells > 0  # hostile names did reach the downloads
    assert not unsafe, unsafe[:10]
    pages_with_downloads = sorted({p for p, _, _ in downloads})
    assert "views/acquisition.py" in pages_with_downloads
    record(
        "4",
        "test_reliability_injection.py::test_every_page_shows_payloads_as_text_and_neutralises_downloads",
        "Channel, campaign, product and file names such as <img src=x onerror=alert(1)>, "
        "=HYPERLINK(...), +1+1, -2+3, @SUM(A1), tab/CR formulas, imported through "
        "import_file: every page runs without raw HTML (no allow_html, no st.html), and "
        "every CSV download has no cell a spreadsheet would run.",
        f"{len(PAGES)} pages, {len(downloads)} downloads, {cells_checked:,} cells checked, "
        f"{payload_cells} hostile cells neutralised, 0 unsafe; image payload shown as text "
        f"on {len(xss_seen_on)} pages",
        pages=len(PAGES),
        downloads=len(downloads),
        cells=cells_checked,
        hostile_cells=payload_cells,
        download_pages=pages_with_downloads,
    )

"""The file reader: one test per quirk of real exports (fixtures built in the tests)."""

from __future__ import annotations

import datetime as dt
import zipfile

import openpyxl
import openpyxl.xml
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from clv.ingest import parsing
from clv.ingest.reading import read_table
from clv.ingest.types import FileProblem


def rows(table) -> list[dict]:
    return table.data.to_dict("records")


def notes_text(table) -> str:
    return " | ".join(table.notes).lower()


# ---------------------------------------------------------------------------
# Real-world layouts
# ---------------------------------------------------------------------------


def test_prestashop_resaved_by_french_excel():
    text = (
        "ID;Référence;Nouveau client;Livraison;Client;Total;Paiement;État;Date\r\n"
        "1;XKBKNABJK;1;France;J. Dupont;59,90\u00a0€;Carte bancaire;Paiement accepté;05/01/2023 14:30\r\n"
        "2;OHSATSERP;0;France;M. Martin;1\u00a0234,00\u00a0€;Chèque;Livré;13/01/2023 09:00\r\n"
    )
    table = read_table(text.encode("cp1252"), "order_2023-01-31_120000.csv")
    assert table.encoding == "cp1252"
    assert table.delimiter == ";"
    assert table.columns == [
        "ID", "Référence", "Nouveau client", "Livraison", "Client", "Total", "Paiement", "État", "Date",
    ]  # fmt: skip
    assert table.line_numbers == [2, 3]
    assert table.data["État"].tolist() == ["Paiement accepté", "Livré"]

    amounts = parsing.parse_amount(table.data["Total"])
    assert amounts.values.tolist() == [59.90, 1234.00]
    assert amounts.currency.tolist() == ["EUR", "EUR"]
    assert amounts.decimal == ","

    dates = parsing.parse_dates(table.data["Date"])
    # 13/01 proves day-first, so 05/01 is 5 January, not May 1.
    assert dates.values.tolist() == [
        pd.Timestamp("2023-01-05 14:30"),
        pd.Timestamp("2023-01-13 09:00"),
    ]
    assert dates.order == "dmy"
    assert not dates.ambiguous
    assert not dates.invalid.any()


GOOGLE_ADS = (
    "Campaign report\n"
    '"July 8, 2025 - July 31, 2025"\n'
    "Campaign status,Campaign,Budget,Currency code,Impr.,Interactions,Cost\n"
    'Enabled,Brand search,500.00,INR,"25,881",1234,"1,050.75"\n'
    "Paused,Display retargeting,200.00,INR, --, --,0.00\n"
    'Total: Account,--,--,INR,"25,881",1234,"1,050.75"\n'
    'Total: Campaigns,--,--,INR,"25,881",1234,"1,050.75"\n'
    "Total: Search,--,--,INR,25881,1234,1050.75\n"
)


def test_google_ads_title_lines_and_total_rows():
    table = read_table(GOOGLE_ADS.encode("utf-8"), "Campaign report.csv")
    assert table.columns[:2] == ["Campaign status", "Campaign"]
    assert table.preamble == ["Campaign report", "July 8, 2025 - July 31, 2025"]
    assert "skipped 2 title line(s)" in notes_text(table)
    assert "dropped 3 total row(s)" in notes_text(table)
    assert table.data["Campaign"].tolist() == ["Brand search", "Display retargeting"]
    assert table.line_numbers == [4, 5]
    # Reading keeps numbers as text; " --" is trimmed but left for the parsers.
    assert table.data["Impr."].tolist() == ["25,881", "--"]
    impressions = parsing.parse_amount(table.data["Impr."])
    assert impressions.values.iloc[0] == 25881
    assert pd.isna(impressions.values.iloc[1]) and not impressions.invalid.iloc[1]


def test_google_ads_utf16_tab_export():
    text = (
        "Campaign report\n"
        "July 8, 2025 - July 31, 2025\n"
        "Campaign status\tCampaign\tImpr.\tCost\n"
        "Enabled\tBrand search\t25,881\t1,050.75\n"
        "Paused\tDisplay\t --\t0.00\n"
        "Total: Account\t--\t25,881\t1,050.75\n"
    )
    content = text.encode("utf-16")
    assert content[:2] in (b"\xff\xfe", b"\xfe\xff")
    table = read_table(content, "Campaign report.csv")
    assert table.encoding == "utf-16"
    assert table.delimiter == "\t"
    assert table.columns == ["Campaign status", "Campaign", "Impr.", "Cost"]
    assert table.data["Impr."].tolist() == ["25,881", "--"]
    assert table.line_numbers == [4, 5]


def test_title_lines_padded_by_excel_are_skipped():
    text = (
        "Campaign report,,,\n"
        '"July 8, 2025 - July 31, 2025",,,\n'
        "Day,Campaign,Cost,Clicks\n"
        "2025-07-08,Brand,12.50,3\n"
    )
    table = read_table(text.encode(), "report.csv")
    assert table.columns == ["Day", "Campaign", "Cost", "Clicks"]
    assert table.preamble == ["Campaign report", "July 8, 2025 - July 31, 2025"]
    assert rows(table) == [
        {"Day": "2025-07-08", "Campaign": "Brand", "Cost": "12.50", "Clicks": "3"}
    ]


def test_qualtrics_three_header_rows():
    text = (
        "StartDate,EndDate,Status,ResponseId,RecipientEmail,Q1\n"
        "Start Date,End Date,Response Type,Response ID,Recipient Email,How likely are you to recommend us?\n"
        '"{""ImportId"":""startDate"",""timeZone"":""America/Denver""}",'
        '"{""ImportId"":""endDate"",""timeZone"":""America/Denver""}",'
        '"{""ImportId"":""status""}","{""ImportId"":""_recordId""}",'
        '"{""ImportId"":""recipientEmail""}","{""ImportId"":""QID1""}"\n'
        "2024-01-05 10:00:00,2024-01-05 10:05:00,0,R_1abc,a@example.com,9\n"
    )
    table = read_table(text.encode(), "survey.csv")
    assert table.columns == ["StartDate", "EndDate", "Status", "ResponseId", "RecipientEmail", "Q1"]
    assert len(table.extra_header_rows) == 2
    assert table.extra_header_rows[0][5] == "How likely are you to recommend us?"
    assert table.extra_header_rows[1][0] == '{"ImportId":"startDate","timeZone":"America/Denver"}'
    assert rows(table) == [
        {
            "StartDate": "2024-01-05 10:00:00",
            "EndDate": "2024-01-05 10:05:00",
            "Status": "0",
            "ResponseId": "R_1abc",
            "RecipientEmail": "a@example.com",
            "Q1": "9",
        }
    ]
    assert table.line_numbers == [4]
    assert "qualtrics" in notes_text(table)


def test_surveymonkey_two_header_rows():
    text = (
        "Respondent ID,Collector ID,Start Date,Email Address,How likely?,Which products?,,,Comments\n"
        ",,,,Response,Shoes,Bags,Other (please specify),Open-Ended Response\n"
        "1001,55,01/02/2024 10:00:00 AM,a@example.com,9,Shoes,,,great\n"
    )
    table = read_table(text.encode(), "CSV/Sheet_1.csv")
    assert table.columns == [
        "Respondent ID",
        "Collector ID",
        "Start Date",
        "Email Address",
        "How likely?",
        "Which products? - Shoes",
        "Which products? - Bags",
        "Which products? - Other (please specify)",
        "Comments",
    ]
    assert table.extra_header_rows == [
        [
            "",
            "",
            "",
            "",
            "Response",
            "Shoes",
            "Bags",
            "Other (please specify)",
            "Open-Ended Response",
        ]
    ]
    assert table.data["How likely?"].tolist() == ["9"]
    assert table.line_numbers == [3]


def test_cdnow_whitespace_file_without_header():
    text = (
        " 00004 0001 19970101  2   29.33\n"
        " 00004 0001 19970118  2   29.73\n"
        " 00005 0002 19970101  1   11.77\n"
    )
    table = read_table(text.encode("ascii"), "CDNOW_sample.txt", header=False)
    assert table.columns == ["column_1", "column_2", "column_3", "column_4", "column_5"]
    assert rows(table)[0] == {
        "column_1": "00004",
        "column_2": "0001",
        "column_3": "19970101",
        "column_4": "2",
        "column_5": "29.33",
    }
    assert table.line_numbers == [1, 2, 3]
    assert "no header row" in notes_text(table)


def test_first_row_that_looks_like_data_is_not_taken_as_header():
    text = " 00004 0001 19970101  2   29.33\n 00005 0002 19970102  1   11.77\n"
    table = read_table(text.encode(), "CDNOW_sample.txt")  # header=True by default
    assert table.columns[0] == "column_1"
    assert len(table) == 2
    assert "no header row" in notes_text(table)
    csv_table = read_table(b"1,2023-01-05,59.90\n2,2023-01-06,12.00\n", "headerless.csv")
    assert csv_table.columns == ["column_1", "column_2", "column_3"]
    assert len(csv_table) == 2


# ---------------------------------------------------------------------------
# Cells
# ---------------------------------------------------------------------------


def test_apostrophe_text_guard_removed_once():
    text = "Customer ID,Zip,Phone,Note\n'9980311896380,'75008,'+33612345678,''quoted\n'0812,' 0812 ,',x\n"
    table = read_table(text.encode(), "customers_export.csv")
    assert rows(table) == [
        {
            "Customer ID": "9980311896380",
            "Zip": "75008",
            "Phone": "+33612345678",
            "Note": "'quoted",
        },
        {"Customer ID": "0812", "Zip": "0812", "Phone": None, "Note": "x"},
    ]


def test_cells_trimmed_and_empty_cells_none():
    text = 'a,b,c\n  x  ,"",\t\n"  y",\u00a0z\u00a0,  \n'
    table = read_table(text.encode(), "t.csv")
    assert rows(table) == [
        {"a": "x", "b": None, "c": None},
        {"a": "y", "b": "z", "c": None},
    ]
    assert all(dtype is object or dtype == "object" for dtype in map(str, table.data.dtypes))


def test_duplicate_header_names_made_unique():
    table = read_table(b"Name,Tags,Tags,Tags\nA,x,y,z\n", "t.csv")
    assert table.columns == ["Name", "Tags", "Tags (2)", "Tags (3)"]
    assert table.data["Tags (2)"].tolist() == ["y"]


def test_utf8_bom_removed_from_first_header():
    content = "\ufefforder_id,total\n1,2\n".encode("utf-8")
    assert content.startswith(b"\xef\xbb\xbf")
    table = read_table(content, "woo.csv")
    assert table.encoding == "utf-8-sig"
    assert table.columns == ["order_id", "total"]


def test_strict_utf8_then_cp1252():
    utf8 = read_table("Client;Ville\nJosé;Besançon\n".encode(), "t.csv")
    assert utf8.encoding == "utf-8"
    assert utf8.data["Ville"].tolist() == ["Besançon"]
    latin = read_table("Client;Montant\nJosé;12 €\n".encode("cp1252"), "t.csv")
    assert latin.encoding == "cp1252"
    assert latin.data["Montant"].tolist() == ["12 €"]


@pytest.mark.parametrize(
    ("delimiter", "expected"), [(";", ";"), ("\t", "\t"), ("|", "|"), (",", ",")]
)
def test_delimiters(delimiter, expected):
    text = delimiter.join(["id", "amount", "note"]) + "\n"
    text += delimiter.join(["1", '"1,5"' if delimiter != "," else "1.5", "a b"]) + "\n"
    text += delimiter.join(["2", "3", "c"]) + "\n"
    table = read_table(text.encode(), "t.txt")
    assert table.delimiter == expected
    assert table.columns == ["id", "amount", "note"]
    assert table.data["id"].tolist() == ["1", "2"]


def test_quoted_newlines_and_escaped_quotes_keep_true_line_numbers():
    text = (
        "Name,Note Attributes,Total\n"
        '#1001,"UTM source: facebook\nIP address: 192.0.2.1",10.00\n'
        "\n"
        '#1002,"He said ""hi""",20.00\n'
    )
    table = read_table(text.encode(), "orders_export.csv")
    assert table.data["Note Attributes"].tolist() == [
        "UTM source: facebook\nIP address: 192.0.2.1",
        'He said "hi"',
    ]
    # Record 1 starts on line 2 and spans 2 lines; line 4 is empty; record 2 is line 5.
    assert table.line_numbers == [2, 5]


def test_crlf_and_cr_line_endings():
    crlf = read_table(b"a,b\r\n1,2\r\n\r\n3,4\r\n", "t.csv")
    assert crlf.line_numbers == [2, 4]
    assert crlf.data["b"].tolist() == ["2", "4"]
    old_mac = read_table(b"a,b\r1,2\r3,4\r", "t.csv")
    assert old_mac.data["a"].tolist() == ["1", "3"]


def test_ragged_rows():
    text = (
        "a,b,c\n"
        "1,2,3,4\n"  # surplus with a value: kept in _extra, noted
        "5,6\n"  # short: padded
        "7,8,9,,\n"  # surplus all empty: dropped silently
    )
    table = read_table(text.encode(), "t.csv")
    assert table.columns == ["a", "b", "c", "_extra"]
    assert rows(table) == [
        {"a": "1", "b": "2", "c": "3", "_extra": "4"},
        {"a": "5", "b": "6", "c": None, "_extra": None},
        {"a": "7", "b": "8", "c": "9", "_extra": None},
    ]
    assert table.notes == [
        "Line 2 has 4 fields, header has 3; the extra fields are kept in column _extra."
    ]


def test_trailing_delimiter_on_every_row_adds_no_column():
    table = read_table(b"a;b;\n1;2;\n3;4;\n", "t.csv")
    assert table.columns == ["a", "b"]
    assert rows(table) == [{"a": "1", "b": "2"}, {"a": "3", "b": "4"}]
    data_padded = read_table(b"a;b\n1;2;\n3;4;\n", "t.csv")
    assert data_padded.columns == ["a", "b"]
    assert data_padded.notes == []


def test_rows_that_leave_out_trailing_empty_fields():
    table = read_table(b"a,b,c,d\n1,2\n3,4\n5,6,7\n", "t.csv")
    assert table.columns == ["a", "b", "c", "d"]
    assert rows(table)[2] == {"a": "5", "b": "6", "c": "7", "d": None}
    assert table.line_numbers == [2, 3, 4]


def test_single_column_with_header_is_allowed():
    table = read_table(b"email\nx@example.com\ny@example.com\n", "list.csv")
    assert table.columns == ["email"]
    assert table.data["email"].tolist() == ["x@example.com", "y@example.com"]


def test_prose_is_not_a_table():
    text = (
        "Dear customer thank you for your order. We will ship it soon.\n"
        "Please contact us if anything is wrong with it or if you need help\n"
        "Best regards\n"
    )
    with pytest.raises(FileProblem, match="No delimiter found"):
        read_table(text.encode(), "letter.csv")


# ---------------------------------------------------------------------------
# Refusals
# ---------------------------------------------------------------------------


def test_empty_file():
    with pytest.raises(FileProblem, match="The file is empty"):
        read_table(b"", "orders.csv")
    with pytest.raises(FileProblem, match="The file is empty"):
        read_table(b"\n\r\n  \n", "orders.csv")


def test_header_without_rows():
    with pytest.raises(FileProblem, match="The file has a header but no rows"):
        read_table(b"order_id,total\n", "orders.csv")
    with pytest.raises(FileProblem, match="The file has a header but no rows"):
        read_table(
            GOOGLE_ADS.split("Enabled")[0].encode() + b"Total: Account,--,--,INR,0,0,0\n", "r.csv"
        )


def test_binary_named_csv_is_rejected():
    content = bytes(range(256)) * 64
    with pytest.raises(FileProblem, match="is not a text table.*export it as CSV or XLSX"):
        read_table(content, "orders.csv")
    pdf_like = b"%PDF-1.7\n" + b"\x00\x9c\x8f\x10stream\x00\x01\x02" * 500
    with pytest.raises(FileProblem, match="is not a text table"):
        read_table(pdf_like, "orders.csv")


def test_over_max_bytes_suggests_the_command_line():
    with pytest.raises(FileProblem, match=r"over the 1 MB limit.*python -m clv ingest FILE"):
        read_table(b"a,b\n" + b"1,2\n" * 300_000, "big.csv", max_bytes=1024 * 1024)


def test_line_longer_than_5_mb_is_rejected():
    content = b"a,b\n" + b"x" * (5 * 1024 * 1024 + 10) + b",1\n"
    with pytest.raises(FileProblem, match="longer than 5 MB"):
        read_table(content, "t.csv")


@pytest.mark.parametrize(
    ("file_name", "message"),
    [
        ("orders.xls", "(?i)save it as .xlsx or CSV"),
        ("orders.xlsm", "contains macros; save as .xlsx"),
        ("orders.numbers", "Export To > CSV"),
        ("orders.ods", "(?i)save it as .xlsx or CSV"),
    ],
)
def test_refused_spreadsheet_formats(file_name, message):
    with pytest.raises(FileProblem, match=message):
        read_table(b"PK\x03\x04 whatever", file_name)


def test_macro_workbook_named_xlsx_is_refused(tmp_path):
    path = tmp_path / "book.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.append(["a", "b"])
    workbook.active.append([1, 2])
    workbook.save(path)
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("xl/vbaProject.bin", b"\x00" * 16)
    with pytest.raises(FileProblem, match="contains macros; save as .xlsx"):
        read_table(path.read_bytes(), "book.xlsx")


def test_old_excel_binary_is_refused_by_content():
    ole2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    with pytest.raises(FileProblem, match="save it as .xlsx or CSV"):
        read_table(ole2, "export.csv")


# ---------------------------------------------------------------------------
# XLSX
# ---------------------------------------------------------------------------


def test_openpyxl_parses_with_defusedxml():
    # openpyxl switches to defusedxml by itself when the package is importable.
    assert openpyxl.xml.DEFUSEDXML is True


def test_xlsx_cells_become_clean_text(tmp_path):
    path = tmp_path / "orders.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Order", "Date", "Paid at", "Total", "Quantity", "Zip", "Accepts Marketing"])
    sheet.append(
        [
            "0012",
            dt.datetime(2023, 1, 5),
            dt.datetime(2023, 1, 5, 14, 30, 5),
            59.9 + 1e-14,
            2.0,
            75008,
            True,
        ]
    )
    sheet.append(["0013", dt.date(2023, 1, 6), None, 0.1 + 0.2, 12, "'08012", False])
    workbook.save(path)
    table = read_table(path.read_bytes(), "orders.xlsx")
    assert table.file_format == "xlsx"
    assert table.encoding is None
    assert rows(table) == [
        {
            "Order": "0012",
            "Date": "2023-01-05",
            "Paid at": "2023-01-05 14:30:05",
            "Total": "59.9",
            "Quantity": "2",
            "Zip": "75008",
            "Accepts Marketing": "TRUE",
        },
        {
            "Order": "0013",
            "Date": "2023-01-06",
            "Paid at": None,
            "Total": "0.3",
            "Quantity": "12",
            "Zip": "08012",
            "Accepts Marketing": "FALSE",
        },
    ]
    assert table.line_numbers == [2, 3]


def test_xlsx_sheet_with_most_rows_and_title_rows(tmp_path):
    path = tmp_path / "report.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.title = "Notes"
    workbook.active["A1"] = "Exported by the shop"
    report = workbook.create_sheet("Report")
    report["A1"] = "Campaign report"
    report["A2"] = "All time"
    report.append(["Day", "Campaign", "Cost"])
    report.append([dt.date(2025, 7, 8), "Brand", 12.5])
    report.append([dt.date(2025, 7, 9), "Brand", 7])
    report.append(["Total", None, 19.5])
    workbook.save(path)
    table = read_table(path.read_bytes(), "report.xlsx")
    assert table.columns == ["Day", "Campaign", "Cost"]
    assert table.preamble == ["Campaign report", "All time"]
    assert rows(table) == [
        {"Day": "2025-07-08", "Campaign": "Brand", "Cost": "12.5"},
        {"Day": "2025-07-09", "Campaign": "Brand", "Cost": "7"},
    ]
    assert table.line_numbers == [4, 5]
    assert "'Report'" in " ".join(table.notes)
    assert "dropped 1 total row(s)" in notes_text(table)


def test_xlsx_zip_bomb_rejected_before_parsing(tmp_path, monkeypatch):
    path = tmp_path / "bomb.xlsx"
    sheet = "<worksheet><sheetData>" + "<row/>" * 5_000_000 + "</sheetData></worksheet>"
    assert len(sheet) > 30_000_000
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    content = path.read_bytes()
    assert len(content) < 100_000

    def must_not_parse(*args, **kwargs):
        raise AssertionError("the workbook was opened")

    monkeypatch.setattr(openpyxl, "load_workbook", must_not_parse)
    with pytest.raises(FileProblem, match="too large or too compressed"):
        read_table(content, "bomb.xlsx")


def test_xlsx_with_too_many_parts_rejected(tmp_path):
    path = tmp_path / "many.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        for index in range(10_001):
            archive.writestr(f"xl/p{index}.xml", "")
    with pytest.raises(FileProblem, match="parts"):
        read_table(path.read_bytes(), "many.xlsx")


# ---------------------------------------------------------------------------
# Parquet
# ---------------------------------------------------------------------------


def test_parquet_columns_cast_to_text(tmp_path):
    path = tmp_path / "orders.parquet"
    table = pa.table(
        {
            "order_id": ["A-1", "A-2"],
            "total": [59.9, 12.0],
            "quantity": [1, 3],
            "paid_at": pa.array(
                [dt.datetime(2024, 1, 1, 10, 0), None], type=pa.timestamp("us", tz="UTC")
            ),
            "day": [dt.date(2024, 1, 1), dt.date(2024, 1, 2)],
            "zip": ["'75008", " 0812 "],
        }
    )
    pq.write_table(table, path)
    raw = read_table(path.read_bytes(), "orders.parquet")
    assert raw.file_format == "parquet"
    assert raw.line_numbers == [2, 3]
    assert rows(raw) == [
        {
            "order_id": "A-1",
            "total": "59.9",
            "quantity": "1",
            "paid_at": "2024-01-01T10:00:00Z",
            "day": "2024-01-01",
            "zip": "75008",
        },
        {
            "order_id": "A-2",
            "total": "12",
            "quantity": "3",
            "paid_at": None,
            "day": "2024-01-02",
            "zip": "0812",
        },
    ]


def test_empty_parquet_rejected(tmp_path):
    path = tmp_path / "empty.parquet"
    pq.write_table(pa.table({"a": pa.array([], type=pa.string())}), path)
    with pytest.raises(FileProblem, match="header but no rows"):
        read_table(path.read_bytes(), "empty.parquet")


# ---------------------------------------------------------------------------
# Size
# ---------------------------------------------------------------------------


def test_large_csv_keeps_every_row_and_line_number():
    lines = ["order_id,email,created_at,total,currency,status"]
    lines += [
        f"{i},c{i % 5000}@example.com,2024-01-{1 + i % 28:02d} 10:{i % 60:02d}:00,{i % 500}.99,EUR,paid"
        for i in range(200_000)
    ]
    content = ("\n".join(lines) + "\n").encode()
    table = read_table(content, "big.csv")
    assert len(table) == 200_000
    assert table.line_numbers[-1] == 200_001
    assert table.data["total"].iloc[-1] == "499.99"

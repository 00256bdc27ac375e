"""Numbers, money and dates as French and English readers write them; safe CSV cells."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd
import pytest

from clv.formatting import (
    escape_markdown,
    format_date,
    format_datetime,
    format_int,
    format_money,
    format_number,
    format_percent,
    neutralize_csv_cells,
    to_csv_bytes,
)

NNBSP = "\u202f"  # narrow no-break space: French thousands separator in CLDR
NBSP = "\u00a0"  # no-break space: before € and % in French


@pytest.mark.parametrize(
    ("value", "currency", "locale", "expected"),
    [
        (1234.56, "EUR", "fr_FR", f"1{NNBSP}234,56{NBSP}€"),
        (Decimal("1234.56"), "EUR", "en_GB", "€1,234.56"),
        (-1234.5, "EUR", "fr_FR", f"-1{NNBSP}234,50{NBSP}€"),
        (0, "EUR", "fr_FR", f"0,00{NBSP}€"),
        (1234.56, "USD", "en_US", "$1,234.56"),
        (1234567.89, "EUR", "fr_FR", f"1{NNBSP}234{NNBSP}567,89{NBSP}€"),
    ],
)
def test_money(value, currency, locale, expected):
    assert format_money(value, currency, locale) == expected


def test_money_without_cents_rounds():
    assert format_money(1234567.5, "EUR", "fr_FR", decimals=0) == f"1{NNBSP}234{NNBSP}568{NBSP}€"
    assert format_money(Decimal("999.49"), "EUR", "en_GB", decimals=0) == "€999"


def test_missing_values_show_a_dash():
    assert format_money(None) == "—"
    assert format_money(float("nan")) == "—"
    assert format_int(None) == "—"
    assert format_date(None) == "—"
    assert format_date(pd.NaT) == "—"
    assert format_percent(None) == "—"


def test_numbers_and_integers():
    assert format_number(1234.5, "fr_FR") == f"1{NNBSP}234,50"
    assert format_number(1234.5, "en_GB") == "1,234.50"
    assert format_number(2.0 / 3.0, "fr_FR", decimals=3) == "0,667"
    assert format_int(12345.6, "fr_FR") == f"12{NNBSP}346"
    assert format_int(12345, "en_GB") == "12,345"
    assert format_int(999, "fr_FR") == "999"


def test_percent_from_a_fraction():
    assert format_percent(0.1234, "fr_FR") == f"12,3{NBSP}%"
    assert format_percent(0.1234, "en_GB") == "12.3%"
    assert format_percent(0.5, "en_GB", decimals=0) == "50%"


def test_dates():
    day = dt.date(2023, 1, 5)  # 5 January 2023
    assert format_date(day, "fr_FR") == "05/01/2023"
    assert format_date(day, "en_GB") == "05/01/2023"
    assert format_date(day, "en_US") == "1/5/23"
    # a timestamp's time of day is dropped
    assert format_date(pd.Timestamp("2023-01-05 23:59"), "fr_FR") == "05/01/2023"
    assert format_date(dt.datetime(2023, 12, 31, 8, 0), "en_GB") == "31/12/2023"
    assert format_date("2024-02-29", "fr_FR") == "29/02/2024"


def test_datetimes():
    moment = dt.datetime(2023, 1, 5, 14, 3)
    assert format_datetime(moment, "fr_FR") == "05/01/2023 14:03"
    assert format_datetime(pd.Timestamp(moment), "en_GB") == "05/01/2023, 14:03"


def test_neutralize_formula_cells():
    frame = pd.DataFrame(
        {
            "text": [
                "=1+1",
                "-12.50",
                "@SUM(A1)",
                "+33 6 12 34 56 78",
                "\tcmd",
                "\rcmd",
                "plain",
                "-12,50",
            ],
            "amount": [1.5, -2.0, 3.0, 4.0, 5.0, 6.0, 7.0, -8.25],
        }
    )
    out = neutralize_csv_cells(frame)
    assert out["text"].tolist() == [
        "'=1+1",
        "-12.50",  # a negative amount stays a number
        "'@SUM(A1)",
        "'+33 6 12 34 56 78",
        "'\tcmd",
        "'\rcmd",
        "plain",
        "-12,50",
    ]
    # numeric columns are not touched, and the input is not modified
    assert out["amount"].tolist() == [1.5, -2.0, 3.0, 4.0, 5.0, 6.0, 7.0, -8.25]
    assert frame["text"][0] == "=1+1"


def test_neutralize_catches_what_is_not_a_plain_negative_number():
    frame = pd.DataFrame({"c": ["-1+1", "-", "--5", "  =HYPERLINK(x)", "-12.50e3", None, ""]})
    assert neutralize_csv_cells(frame)["c"].tolist()[:5] == [
        "'-1+1",
        "'-",
        "'--5",
        "'  =HYPERLINK(x)",
        "-12.50e3",  # scientific notation is still a plain number
    ]
    assert neutralize_csv_cells(frame)["c"].isna().tolist()[5]
    assert neutralize_csv_cells(frame)["c"].tolist()[6] == ""


def test_neutralize_column_names_and_object_columns():
    frame = pd.DataFrame({"=cmd": pd.Series(["=x", 3, None], dtype=object)})
    out = neutralize_csv_cells(frame)
    assert list(out.columns) == ["'=cmd"]
    assert out.iloc[0, 0] == "'=x"
    assert out.iloc[1, 0] == 3


def test_csv_bytes_are_utf8_with_bom_and_neutralised():
    data = to_csv_bytes(pd.DataFrame({"name": ["=evil()", "Crème"], "n": [1, -2]}))
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig") == "name,n\r\n'=evil(),1\r\nCrème,-2\r\n"


def test_escape_markdown_keeps_the_text_inert():
    assert escape_markdown("[click](http://x.y)") == r"\[click\]\(http\://x\.y\)"
    assert escape_markdown("orders_2023*.csv") == r"orders\_2023\*\.csv"
    assert escape_markdown("$x$ :red[a]") == r"\$x\$ \:red\[a\]"
    assert escape_markdown("plain words") == "plain words"

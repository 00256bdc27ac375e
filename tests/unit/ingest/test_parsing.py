"""Value parsers: money, whole numbers, dates, booleans, text (expected values worked by hand)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clv.ingest.parsing import (
    detect_day_first,
    detect_decimal_mark,
    parse_amount,
    parse_bool,
    parse_dates,
    parse_int,
    strip_text,
)

NBSP = "\u00a0"
NNBSP = "\u202f"


def text(*values) -> pd.Series:
    return pd.Series(list(values), dtype=object)


def same(left: list, right: list) -> bool:
    """Equal lists where NaN equals NaN and NaT equals NaT."""
    return len(left) == len(right) and all(
        (pd.isna(a) and pd.isna(b) and type(a) is type(b)) or (not pd.isna(a) and a == b)
        for a, b in zip(left, right, strict=True)
    )


# ---------------------------------------------------------------------------
# Amounts
# ---------------------------------------------------------------------------


def test_plain_decimal_amounts():
    parsed = parse_amount(text("1234.56", "0.5", "12", "-3.10"))
    assert parsed.values.tolist() == [1234.56, 0.5, 12.0, -3.10]
    assert not parsed.invalid.any()
    assert parsed.decimal == "."
    assert parsed.values.dtype == "float64"


def test_french_amounts_with_every_kind_of_space():
    parsed = parse_amount(
        text("1 234,56 €", f"1{NBSP}234,56{NBSP}€", f"1{NNBSP}234,56{NNBSP}€", "59,90 €")
    )
    assert parsed.values.tolist() == [1234.56, 1234.56, 1234.56, 59.90]
    assert parsed.currency.tolist() == ["EUR"] * 4
    assert parsed.decimal == ","


def test_google_ads_thousands_comma():
    parsed = parse_amount(text("25,881", "1,234,567", "12"))
    assert parsed.values.tolist() == [25881.0, 1234567.0, 12.0]
    assert parsed.decimal == "."


def test_google_ads_dashes_are_missing_not_invalid():
    parsed = parse_amount(text(" --", "--", "-", "n/a", "N/A", "", "   ", None, "12.00"))
    assert same(parsed.values.tolist(), [math.nan] * 8 + [12.0])
    assert not parsed.invalid.any()


def test_currency_codes_and_symbols():
    parsed = parse_amount(text("EUR 12.00", "usd 3.5", "$5", "£1,234.50", "12.00", "CHF 7"))
    assert parsed.values.tolist() == [12.0, 3.5, 5.0, 1234.5, 12.0, 7.0]
    assert parsed.currency.tolist() == ["EUR", "USD", "USD", "GBP", None, "CHF"]


def test_currency_code_after_a_decimal_comma():
    parsed = parse_amount(text("12,00 EUR", "3,5 EUR"))
    assert parsed.values.tolist() == [12.0, 3.5]
    assert parsed.currency.tolist() == ["EUR", "EUR"]


def test_negative_forms():
    parsed = parse_amount(text("-12,50", "(12,50)", "12,50-", "\u221212,50", "+3,00"))
    assert parsed.values.tolist() == [-12.5, -12.5, -12.5, -12.5, 3.0]
    assert not parsed.invalid.any()


def test_accounting_parentheses_with_dot_decimal():
    assert parse_amount(text("(12.50)", "4.00")).values.tolist() == [-12.5, 4.0]


def test_percentages_and_words_are_invalid_for_money():
    parsed = parse_amount(text("77.77%", "abc", "12.5", "€", "1.2.3"))
    assert parsed.invalid.tolist() == [True, True, False, True, True]
    assert same(parsed.values.tolist(), [math.nan, math.nan, 12.5, math.nan, math.nan])


def test_decimal_comma_elsewhere_in_the_column_wins_over_thousands_reading():
    # "1,234" alone would be a thousand; "5,5" shows the column uses a decimal comma.
    parsed = parse_amount(text("1,234", "5,5"))
    assert parsed.decimal == ","
    assert parsed.values.tolist() == [1.234, 5.5]


def test_both_marks_last_one_is_decimal():
    assert detect_decimal_mark(text("1.234,56", "12")) == ","
    assert detect_decimal_mark(text("1,234.56", "12")) == "."
    assert parse_amount(text("1.234,56", "7")).values.tolist() == [1234.56, 7.0]


def test_decimal_mark_rules():
    assert detect_decimal_mark(text("25,881", "1,000")) == "."  # only 3-digit groups
    assert detect_decimal_mark(text("59,90")) == ","  # 2 digits after the comma
    assert detect_decimal_mark(text("0,1234")) == ","  # 4 digits: never a group
    assert detect_decimal_mark(text("1.234.567")) == ","  # dots can only be groups
    assert detect_decimal_mark(text("12", None)) == "."  # nothing decides: default


def test_value_not_fitting_the_column_mark_is_invalid_not_reinterpreted():
    parsed = parse_amount(text("1,234.56", "12,5"))
    assert parsed.decimal == "."
    assert parsed.values.iloc[0] == 1234.56
    assert parsed.invalid.tolist() == [False, True]


def test_forced_decimal_mark():
    parsed = parse_amount(text("1.234", "2,5"), decimal=".")
    assert parsed.values.iloc[0] == 1.234
    assert parsed.invalid.tolist() == [False, True]
    with pytest.raises(ValueError, match="decimal"):
        parse_amount(text("1"), decimal=";")


def test_indian_grouping_and_swiss_apostrophes():
    assert parse_amount(text("1,23,456.50", "12,34,567")).values.tolist() == [123456.5, 1234567.0]
    assert parse_amount(text("1'234.50")).values.tolist() == [1234.5]


def test_amount_index_is_kept():
    values = pd.Series(["1.5", None, "x"], index=[10, 20, 30], dtype=object)
    parsed = parse_amount(values)
    assert parsed.values.index.tolist() == [10, 20, 30]
    assert parsed.invalid.to_dict() == {10: False, 20: False, 30: True}


def french(amount: float, space: str) -> str:
    grouped = f"{abs(amount):,.2f}".replace(",", space).replace(".", ",")
    return ("-" if amount < 0 else "") + grouped + NBSP + "€"


amounts = st.floats(min_value=-1e7, max_value=1e7, allow_nan=False).map(lambda x: round(x, 2))


@settings(max_examples=200, deadline=None)
@given(amount=amounts, space=st.sampled_from([NNBSP, NBSP, " "]))
def test_property_french_and_english_formats_round_trip(amount, space):
    for written in (french(amount, space), f"{amount:,.2f}"):
        parsed = parse_amount(text(written))
        assert not parsed.invalid.iloc[0], written
        assert abs(parsed.values.iloc[0] - amount) < 0.005, written


@settings(max_examples=100, deadline=None)
@given(values=st.lists(amounts, min_size=1, max_size=20))
def test_property_whole_french_column_round_trips(values):
    parsed = parse_amount(pd.Series([french(v, NNBSP) for v in values], dtype=object))
    assert np.allclose(parsed.values.to_numpy(), values, atol=0.005)


# ---------------------------------------------------------------------------
# Whole numbers
# ---------------------------------------------------------------------------


def test_parse_int_accepts_integral_writings():
    values, invalid = parse_int(text("3", "3.0", "10", None, "--"))
    assert values.dtype == "Int64"
    assert values.tolist()[:3] == [3, 3, 10]
    assert values.isna().tolist() == [False, False, False, True, True]
    assert not invalid.any()
    comma_values, comma_invalid = parse_int(text("3,0", "7,0"))
    assert comma_values.tolist() == [3, 7]
    assert not comma_invalid.any()


def test_parse_int_rejects_fractions_and_words():
    values, invalid = parse_int(text("3.5", "seven", "80%", "9"))
    assert invalid.tolist() == [True, True, True, False]
    assert values.isna().tolist() == [True, True, True, False]
    assert values.iloc[3] == 9


# ---------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------


def stamps(*values: str) -> list:
    return [pd.Timestamp(v) if v is not None else pd.NaT for v in values]


def test_iso_dates_and_times():
    parsed = parse_dates(
        text("2024-06-07", "2024-06-07 02:38:54", "2024-06-07T02:38:54Z", "2024/06/08", None)
    )
    assert parsed.values.dtype == "datetime64[us]"
    assert same(
        parsed.values.tolist(),
        stamps("2024-06-07", "2024-06-07 02:38:54", "2024-06-07 02:38:54", "2024-06-08", None),
    )
    assert parsed.order == "iso"
    assert not parsed.invalid.any()
    assert parsed.assumed_dayfirst is None


def test_offsets_converted_to_utc_across_daylight_saving():
    parsed = parse_dates(
        text("2025-05-12 15:06:16 -0400", "2025-01-12 15:06:16 -0500", "2024-06-07T10:00:00+02:00")
    )
    assert parsed.values.tolist() == stamps(
        "2025-05-12 19:06:16", "2025-01-12 20:06:16", "2024-06-07 08:00:00"
    )


def test_compact_yyyymmdd():
    parsed = parse_dates(text("19970101", "19970118"))
    assert parsed.values.tolist() == stamps("1997-01-01", "1997-01-18")
    assert parsed.order == "iso"


def test_excel_serial_dates():
    parsed = parse_dates(text("44927", "44927.5", "45000"))
    assert parsed.order == "excel_serial"
    # 44927 days after 1899-12-30 is 2023-01-01; 45000 is 73 days later.
    assert parsed.values.tolist() == stamps("2023-01-01", "2023-01-01 12:00", "2023-03-15")


def test_unix_epoch_seconds_and_milliseconds():
    parsed = parse_dates(text("1700000000", "1700000000500"))
    assert parsed.order == "epoch"
    assert parsed.values.tolist() == stamps("2023-11-14 22:13:20", "2023-11-14 22:13:20.5")


def test_day_first_proven_by_a_day_above_12():
    parsed = parse_dates(text("05/01/2023 14:30", "13/01/2023 09:00"))
    assert parsed.values.tolist() == stamps("2023-01-05 14:30", "2023-01-13 09:00")
    assert parsed.order == "dmy"
    assert parsed.assumed_dayfirst is True
    assert not parsed.ambiguous


def test_month_first_proven_with_am_pm_times():
    parsed = parse_dates(
        text("1/5/2023 1:05:00 PM", "12/31/2023 12:00:00 AM", "2/1/2023 12:30:00 PM")
    )
    assert parsed.values.tolist() == stamps(
        "2023-01-05 13:05", "2023-12-31 00:00", "2023-02-01 12:30"
    )
    assert parsed.order == "mdy"
    assert parsed.assumed_dayfirst is False


def test_ambiguous_column_uses_the_default_and_says_so():
    values = text("05/01/2023", "06/02/2023")
    parsed = parse_dates(values)
    assert parsed.ambiguous
    assert parsed.assumed_dayfirst is True
    assert parsed.values.tolist() == stamps("2023-01-05", "2023-02-06")
    us = parse_dates(values, default_dayfirst=False)
    assert us.ambiguous
    assert us.values.tolist() == stamps("2023-05-01", "2023-06-02")


def test_mixed_orders_flag_the_minority_and_never_swap():
    parsed = parse_dates(text("13/01/2023", "14/01/2023", "01/13/2023"))
    assert parsed.order == "mixed"
    assert parsed.invalid.tolist() == [False, False, True]
    assert same(parsed.values.tolist(), stamps("2023-01-13", "2023-01-14", None))


def test_explicit_order_wins_and_contradictions_are_invalid():
    parsed = parse_dates(text("13/01/2023", "01/02/2023"), dayfirst=False)
    assert parsed.invalid.tolist() == [True, False]
    assert same(parsed.values.tolist(), stamps(None, "2023-01-02"))
    assert parsed.order == "mdy"
    day_first = parse_dates(text("01/02/2023"), dayfirst=True, default_dayfirst=False)
    assert day_first.values.tolist() == stamps("2023-02-01")


def test_other_separators_and_two_digit_years():
    parsed = parse_dates(text("05.01.2023", "05-01-2023", "05/01/23", "31/12/99", "13.01.2023"))
    assert parsed.values.tolist() == stamps(
        "2023-01-05", "2023-01-05", "2023-01-05", "1999-12-31", "2023-01-13"
    )


def test_month_names_in_english_and_french():
    parsed = parse_dates(text("July 8, 2025", "8 Jul 2025", "12 janv. 2024", "1er août 2024 14h05"))
    assert parsed.values.tolist() == stamps(
        "2025-07-08", "2025-07-08", "2024-01-12", "2024-08-01 14:05"
    )
    assert parsed.order == "iso"


def test_impossible_dates_are_invalid():
    parsed = parse_dates(
        text("2024-02-30", "2023-02-29", "2024-02-29", "2024-13-01", "hello", "2024-06-07 25:00")
    )
    assert parsed.invalid.tolist() == [True, True, False, True, True, True]
    assert parsed.values.iloc[2] == pd.Timestamp("2024-02-29")


def test_naive_times_localised_with_a_time_zone():
    parsed = parse_dates(
        text("2024-01-15 10:00:00", "2024-07-15 10:00:00", "2024-07-15T10:00:00Z"),
        timezone="Europe/Paris",
    )
    # Paris is UTC+1 in winter, UTC+2 in summer; a written offset is kept as is.
    assert parsed.values.tolist() == stamps(
        "2024-01-15 09:00", "2024-07-15 08:00", "2024-07-15 10:00"
    )
    unlocalised = parse_dates(text("2024-01-15 10:00:00"))
    assert unlocalised.values.tolist() == stamps("2024-01-15 10:00")


def test_unknown_time_zone_is_a_clear_error():
    with pytest.raises(ValueError, match="Europe/Paris"):
        parse_dates(text("2024-01-15"), timezone="Paris/France")


def test_missing_dates_are_not_invalid():
    parsed = parse_dates(text(None, "", " --", "n/a", "2024-01-01"))
    assert parsed.invalid.tolist() == [False] * 5
    assert parsed.values.isna().tolist() == [True, True, True, True, False]


def test_detect_day_first():
    assert detect_day_first(text("13/01/2023", "05/01/2023")) is True
    assert detect_day_first(text("01/13/2023", "05/01/2023")) is False
    assert detect_day_first(text("05/01/2023")) is None
    assert detect_day_first(text("13/01/2023", "01/13/2023")) is None
    assert detect_day_first(text("2023-01-13")) is None


def test_date_index_is_kept():
    values = pd.Series(["2024-01-01", None], index=["a", "b"], dtype=object)
    parsed = parse_dates(values)
    assert parsed.values.index.tolist() == ["a", "b"]
    assert parsed.invalid.index.tolist() == ["a", "b"]


# ---------------------------------------------------------------------------
# Text and booleans
# ---------------------------------------------------------------------------


def test_strip_text():
    cleaned = strip_text(
        text("  Brand  ", "--", "-", "n/a", "N/A", "null", "(not set)", "", None, "NA")
    )
    assert cleaned.tolist() == ["Brand", None, None, None, None, None, None, None, None, "NA"]
    assert cleaned.dtype == object


def test_parse_bool():
    parsed = parse_bool(
        text("yes", "No", "TRUE", "false", "1", "0", "oui", "non", "y", "n", "subscribed",
             "unsubscribed", "opt-in", "accepted", "refused", "pending", None)
    )  # fmt: skip
    assert parsed.dtype == "boolean"
    assert parsed.tolist() == [
        True, False, True, False, True, False, True, False, True, False, True,
        False, True, True, False, pd.NA, pd.NA,
    ]  # fmt: skip

"""Numbers, money and dates written the way the reader's language writes them.

Everything goes through Babel (CLDR data), so French reads ``1 234,56 €`` and
``05/01/2023`` while British English reads ``€1,234.56`` and ``05/01/2023``. Babel
separates thousands in French with U+202F (narrow no-break space) and puts U+00A0
(no-break space) before ``€`` and ``%``: the figures never wrap across two lines.

Also here, because every download passes through them: :func:`neutralize_csv_cells`
(CSV formula injection) and :func:`escape_markdown` (text from a file shown as text).
"""

from __future__ import annotations

import copy
import datetime as dt
import math
import re
from decimal import Decimal

import pandas as pd
from babel import Locale
from babel.dates import format_date as _babel_date
from babel.dates import format_datetime as _babel_datetime
from babel.numbers import format_currency, format_decimal

MISSING = "—"

Numeric = int | float | Decimal


def is_missing(value: object) -> bool:
    if value is None or value is pd.NaT:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    if isinstance(value, Decimal) and value.is_nan():
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def format_money(
    value: Numeric | None,
    currency: str = "EUR",
    locale: str = "fr_FR",
    *,
    decimals: int | None = None,
) -> str:
    """An amount with its currency sign, in the locale's layout.

    Parameters
    ----------
    value : the amount; ``None`` or NaN gives ``"—"``.
    currency : ISO 4217 code (``"EUR"``, ``"USD"``...).
    locale : Babel locale name (``"fr_FR"``, ``"en_GB"``, ``"en_US"``).
    decimals : digits after the decimal mark; ``None`` uses the currency's own (2 for
        euros). ``0`` suits KPI tiles, where cents are noise.

    Returns
    -------
    str, e.g. ``"1\u202f234,56\u00a0€"`` in ``fr_FR``, ``"€1,234.56"`` in ``en_GB``.
    """
    if is_missing(value):
        return MISSING
    if decimals is None:
        return format_currency(value, currency, locale=locale)
    pattern = copy.copy(Locale.parse(locale).currency_formats["standard"])
    pattern.frac_prec = (decimals, decimals)
    return pattern.apply(value, Locale.parse(locale), currency=currency, currency_digits=False)


def format_number(value: Numeric | None, locale: str = "fr_FR", *, decimals: int = 2) -> str:
    """A number with exactly ``decimals`` digits after the decimal mark.

    Examples
    --------
    >>> format_number(1234.5, "en_GB")
    '1,234.50'
    """
    if is_missing(value):
        return MISSING
    fraction = "." + "0" * decimals if decimals > 0 else ""
    return format_decimal(value, format="#,##0" + fraction, locale=locale)


def format_int(value: Numeric | None, locale: str = "fr_FR") -> str:
    """A whole number with the locale's thousands separator (``12 345`` / ``12,345``)."""
    if is_missing(value):
        return MISSING
    return format_decimal(round(value), format="#,##0", locale=locale)


def format_percent(value: Numeric | None, locale: str = "fr_FR", *, decimals: int = 1) -> str:
    """A share given as a fraction (``0.123``) written as a percentage (``12,3 %``)."""
    if is_missing(value):
        return MISSING
    loc = Locale.parse(locale)
    pattern = copy.copy(loc.percent_formats[None])
    pattern.frac_prec = (decimals, decimals)
    return pattern.apply(value, loc)


def _as_datetime(value: object) -> dt.datetime | dt.date:
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, dt.datetime | dt.date):
        return value
    if isinstance(value, str):
        return pd.Timestamp(value).to_pydatetime()
    raise TypeError(f"Expected a date, got {type(value).__name__}: {value!r}")


def with_sign(text: str, value: object) -> str:
    """``text`` (a formatted number) with a ``+`` in front when ``value`` is above 0, so a
    change reads as one (``+6,9 %``); negative numbers already carry their sign."""
    if is_missing(value) or text == MISSING:
        return MISSING
    return "+" + text if float(value) > 0 else text  # type: ignore[arg-type]


#: How a calendar month (a cohort) is written everywhere: tiles, tables, charts (with
#: plotly's ``%{x|%Y-%m}``) and CSV files. ``2024-03`` reads the same in French and
#: English, sorts as text, and cannot be taken for a day.
MONTH_FORMAT = "%Y-%m"


def format_month(value: object) -> str:
    """A calendar month (a cohort) as ``YYYY-MM`` (:data:`MONTH_FORMAT`); ``"—"`` when
    missing."""
    if is_missing(value):
        return MISSING
    return pd.Timestamp(value).strftime(MONTH_FORMAT)  # type: ignore[arg-type]


def format_date(
    value: dt.date | dt.datetime | pd.Timestamp | str | None, locale: str = "fr_FR"
) -> str:
    """A calendar date in the locale's short numeric form.

    ``fr_FR`` and ``en_GB``: ``05/01/2023`` (day/month/year); ``en_US``: ``1/5/23``.
    ``None`` or NaT gives ``"—"``; the time of a datetime is dropped.
    """
    if is_missing(value):
        return MISSING
    moment = _as_datetime(value)
    if isinstance(moment, dt.datetime):
        moment = moment.date()
    return _babel_date(moment, format="short", locale=locale)


def format_datetime(value: dt.datetime | pd.Timestamp | str | None, locale: str = "fr_FR") -> str:
    """Date and time to the minute (``05/01/2023 14:03`` in ``fr_FR``), no time-zone shift."""
    if is_missing(value):
        return MISSING
    moment = _as_datetime(value)
    if not isinstance(moment, dt.datetime):
        moment = dt.datetime.combine(moment, dt.time())
    return _babel_datetime(moment, format="short", locale=locale, tzinfo=None)


# Spreadsheets read a cell starting with one of these as a formula (OWASP "CSV injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
# A refund written -12.50 (or -12,50) must stay a number once opened in a spreadsheet.
_NEGATIVE_NUMBER = re.compile(r"-(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?")


def neutralize_cell(value: object) -> object:
    """One cell made safe for a spreadsheet: text that would run as a formula gets a
    leading apostrophe; everything else (numbers, dates, ``-12.50``) is returned as is."""
    if not isinstance(value, str) or not value:
        return value
    if _NEGATIVE_NUMBER.fullmatch(value.strip()):
        return value
    # Spreadsheets skip leading spaces before deciding that a cell is a formula.
    if value.startswith(_FORMULA_START) or value.lstrip(" ").startswith(_FORMULA_START):
        return "'" + value
    return value


def neutralize_csv_cells(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` safe to open in Excel, LibreOffice or Google Sheets.

    Text cells (and column names) that start with ``=``, ``+``, ``-``, ``@``, a tab, a
    carriage return or a line feed, possibly after spaces, get a leading ``'`` so the
    spreadsheet shows them as text instead of running them. Negative numbers written
    as text (``-12.50``) and numeric columns are left alone.

    Parameters
    ----------
    frame : any DataFrame (rejected rows, import log, per-customer tables...).

    Returns
    -------
    DataFrame with the same shape, index and dtypes except that text columns hold the
    neutralised strings.
    """
    out = frame.copy()
    out.columns = [neutralize_cell(str(c)) if isinstance(c, str) else c for c in out.columns]
    for position in range(out.shape[1]):
        column = out.iloc[:, position]
        if isinstance(column.dtype, pd.CategoricalDtype):
            column = column.astype("object")
        if column.dtype == object or pd.api.types.is_string_dtype(column.dtype):
            out.isetitem(position, column.map(neutralize_cell, na_action="ignore"))
    return out


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """CSV bytes of ``frame`` for a download: neutralised cells, UTF-8 with a byte-order
    mark (so Excel reads accents right), CRLF row ends (RFC 4180), no index."""
    # CRLF row ends make pandas quote any cell holding a lone CR; with bare LF such a cell
    # would be split by a spreadsheet into a new row that may start with a formula.
    csv = neutralize_csv_cells(frame).to_csv(index=False, lineterminator="\r\n")
    return csv.encode("utf-8-sig")


# Characters that Streamlit's Markdown gives a meaning to: CommonMark punctuation, LaTeX
# ``$``, ``:emoji:`` / ``:red[...]`` directives.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def escape_markdown(text: object) -> str:
    """``text`` with every Markdown-active character backslash-escaped, so a file name
    or a cell shown in a message reads exactly as it was written (no links, no images)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))

"""Parsers for the text cells of an export: money, whole numbers, dates, booleans.

Every parser takes a pandas Series of text (``str`` or ``None``, as in
:class:`clv.ingest.types.RawTable`), keeps its index, and works on the distinct values
of the column with pandas string methods, so a million rows cost one pass over the
distinct texts, not a Python loop over rows.

Words that mean "no value" in exports (``--`` and `` --`` from Google Ads, ``-``,
``n/a``, ``null``, ``(not set)`` from Google Analytics, ...) are *missing*, never
*invalid*: a value is invalid only when there is text that cannot be read.
"""

from __future__ import annotations

import re
import zoneinfo
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

__all__ = [
    "MISSING_TOKENS",
    "AmountParse",
    "DateParse",
    "detect_day_first",
    "detect_decimal_mark",
    "parse_amount",
    "parse_bool",
    "parse_dates",
    "parse_int",
    "strip_text",
]

# Compared after trimming and lower-casing. "na" is left out on purpose: it is
# Namibia's country code.
MISSING_TOKENS: frozenset[str] = frozenset(
    {"", "-", "--", "---", "\u2014", "\u2013", "n/a", "#n/a", "null", "(not set)"}
)
_MISSING_ARROW = pa.array(sorted(MISSING_TOKENS), type=pa.string())

# ---------------------------------------------------------------------------
# Shared helpers
# ---------------------------------------------------------------------------


def _factorize(values: pd.Series) -> tuple[np.ndarray, pa.Array]:
    """Codes per row (-1 where missing) and the distinct texts, trimmed, as an Arrow array.

    Missing tokens share the -1 code, so every parser sees only real text.
    """
    series = pd.Series(values, copy=False)
    try:
        arrow = pa.array(series, type=pa.string(), from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        raw = series.to_numpy(dtype=object, na_value=None)
        arrow = pa.array([None if v is None else str(v) for v in raw], type=pa.string())
    if isinstance(arrow, pa.ChunkedArray):
        arrow = arrow.combine_chunks()
    trimmed = pc.utf8_trim_whitespace(arrow)
    missing = pc.is_in(pc.utf8_lower(trimmed), value_set=_MISSING_ARROW)
    trimmed = pc.if_else(missing, pa.scalar(None, pa.string()), trimmed)
    encoded = trimmed.dictionary_encode()
    codes = encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)
    return codes, encoded.dictionary


def _pandas(texts: pa.Array) -> pd.Series:
    """Distinct texts as an object Series, for pandas string methods."""
    return pd.Series(texts.to_numpy(zero_copy_only=False), dtype=object)


def _spread(unique_values: np.ndarray, codes: np.ndarray, fill: object) -> np.ndarray:
    """Per-row values from per-distinct-value results; ``fill`` where the code is -1."""
    extended = np.empty(len(unique_values) + 1, dtype=unique_values.dtype)
    extended[:-1] = unique_values
    extended[-1] = fill
    return extended[codes]


def _count_rows(codes: np.ndarray, n_uniques: int) -> np.ndarray:
    """How many rows hold each distinct value."""
    return np.bincount(codes[codes >= 0], minlength=n_uniques)


# ---------------------------------------------------------------------------
# Text and booleans
# ---------------------------------------------------------------------------


def strip_text(values: pd.Series) -> pd.Series:
    """Trim text and turn "no value" words into ``None``.

    Parameters
    ----------
    values : Series of ``str``/``None``.

    Returns
    -------
    Series of dtype ``object`` with the same index: trimmed ``str``, or ``None`` for
    empty cells and the words in :data:`MISSING_TOKENS` (``--``, ``-``, ``n/a``, ``N/A``,
    ``null``, ``(not set)``, ...; case does not matter).
    """
    codes, arrow = _factorize(values)
    texts = _pandas(arrow)
    out = _spread(texts.to_numpy(dtype=object), codes, None)
    return pd.Series(out, index=pd.Series(values, copy=False).index, dtype=object)


_TRUE_WORDS = frozenset(
    {
        "yes", "y", "true", "t", "1", "1.0", "oui", "o", "vrai", "x",
        "subscribed", "opt-in", "opt in", "optin", "opted in", "opted-in",
        "accepted", "granted", "confirmed", "consented",
    }
)  # fmt: skip
_FALSE_WORDS = frozenset(
    {
        "no", "n", "false", "f", "0", "0.0", "non", "faux",
        "unsubscribed", "not subscribed", "not_subscribed", "never subscribed",
        "opt-out", "opt out", "optout", "opted out", "opted-out",
        "refused", "declined", "denied", "rejected",
    }
)  # fmt: skip


def parse_bool(values: pd.Series) -> pd.Series:
    """Read yes/no answers.

    Understood (case and surrounding spaces ignored): ``yes/no``, ``y/n``,
    ``true/false``, ``t/f``, ``1/0``, ``oui/non``, ``vrai/faux``,
    ``subscribed/unsubscribed`` (and ``not_subscribed``), ``opt-in/opt-out``,
    ``accepted/refused``, ``granted/denied``.

    Returns
    -------
    Series of pandas ``boolean`` dtype, same index; ``<NA>`` for empty cells and for
    words that mean neither (``pending``, ``unknown``, ...).
    """
    codes, arrow = _factorize(values)
    texts = _pandas(arrow)
    folded = texts.str.lower().str.replace(r"\s+", " ", regex=True)
    truth = np.where(folded.isin(_TRUE_WORDS), 1, np.where(folded.isin(_FALSE_WORDS), 0, -1))
    per_row = _spread(truth.astype(np.int8), codes, np.int8(-1))
    out = pd.array(per_row == 1, dtype="boolean")
    out[per_row == -1] = pd.NA
    return pd.Series(out, index=pd.Series(values, copy=False).index)


# ---------------------------------------------------------------------------
# Money
# ---------------------------------------------------------------------------

# Symbols first: "US$" must win over "$". "$" alone is read as USD: exports from
# Canadian or Australian shops usually carry a currency column that says otherwise.
_SYMBOLS: dict[str, str] = {
    "US$": "USD", "CA$": "CAD", "C$": "CAD", "AU$": "AUD", "A$": "AUD", "NZ$": "NZD",
    "HK$": "HKD", "R$": "BRL", "MX$": "MXN", "$": "USD", "€": "EUR", "£": "GBP",
    "¥": "JPY", "₹": "INR", "₩": "KRW", "₽": "RUB", "₺": "TRY", "₪": "ILS", "zł": "PLN",
    "Kč": "CZK", "Fr.": "CHF",
}  # fmt: skip
_ISO_CODES: frozenset[str] = frozenset(
    {
        "AED", "ARS", "AUD", "BGN", "BHD", "BRL", "CAD", "CHF", "CLP", "CNY", "COP", "CZK", "DKK",
        "EGP", "EUR", "GBP", "HKD", "HRK", "HUF", "IDR", "ILS", "INR", "ISK", "JPY", "KES", "KRW",
        "KWD", "MAD", "MXN", "MYR", "NGN", "NOK", "NZD", "PEN", "PHP", "PKR", "PLN", "QAR", "RON",
        "RSD", "RUB", "SAR", "SEK", "SGD", "THB", "TND", "TRY", "TWD", "UAH", "USD", "VND", "XAF",
        "XOF", "ZAR",
    }
)  # fmt: skip
_SYMBOL_RE = "|".join(re.escape(s) for s in sorted(_SYMBOLS, key=len, reverse=True))
_CURRENCY_RE = rf"(?P<sym>{_SYMBOL_RE})|(?<![A-Za-z])(?P<code>[A-Za-z]{{3}})(?![A-Za-z])"
_SPACES_RE = r"[\s\u00a0\u202f\u2007\u2009]+"


@dataclass
class AmountParse:
    """Result of :func:`parse_amount`.

    Attributes
    ----------
    values : float64 Series, NaN where the cell is missing or invalid.
    invalid : bool Series, True where there is text that is not an amount
        (percentages included).
    currency : object Series, the ISO code written in the cell (``€`` gives ``EUR``,
        ``$`` gives ``USD``, ``usd`` gives ``USD``) or ``None``.
    decimal : the decimal mark used for the column, ``"."`` or ``","``.
    """

    values: pd.Series
    invalid: pd.Series
    currency: pd.Series
    decimal: str


def _amount_cores(texts: pd.Series) -> pd.DataFrame:
    """Split distinct amount texts into sign, bare digits and currency.

    Returns a frame with columns ``core`` (digits and separators only, or whatever is
    left if the text is not an amount), ``negative``, ``percent``, ``currency``.
    """
    found = texts.str.extract(_CURRENCY_RE)
    code = found["code"].str.upper()
    known_code = code.isin(_ISO_CODES)
    currency = found["sym"].map(_SYMBOLS).astype(object)
    currency = currency.where(currency.notna(), code.where(known_code))
    currency_codes = currency.to_numpy(dtype=object, copy=True)
    currency_codes[pd.isna(currency_codes)] = None
    has_symbol = found["sym"].notna()
    stripped = texts.where(~has_symbol, texts.str.replace(_SYMBOL_RE, " ", regex=True))
    stripped = stripped.where(
        ~known_code,
        stripped.str.replace(r"(?<![A-Za-z])[A-Za-z]{3}(?![A-Za-z])", " ", regex=True),
    )
    core = stripped.str.replace("\u2212", "-", regex=False)
    core = core.str.replace(_SPACES_RE, " ", regex=True).str.strip()
    percent = core.str.contains("%", regex=False)
    paren = core.str.fullmatch(r"\(\s*[^()]*\)").fillna(False).astype(bool)
    core = core.where(~paren, core.str.slice(1, -1).str.strip())
    lead_minus = core.str.match(r"-").fillna(False).astype(bool)
    trail_minus = core.str.contains(r"\d\s*-$", regex=True).fillna(False).astype(bool)
    core = core.str.replace(r"^[+-]\s*|\s*-$", "", regex=True)
    return pd.DataFrame(
        {
            "core": core,
            "negative": (paren | lead_minus | trail_minus).to_numpy(),
            "percent": percent.to_numpy(dtype=bool),
            "currency": currency_codes,
        }
    )


def _decide_decimal(cores: pd.Series) -> str:
    numeric = cores[cores.str.fullmatch(r"[\d.,' ’]*\d[\d.,' ’]*").fillna(False).astype(bool)]
    if numeric.empty:
        return "."
    has_dot = numeric.str.contains(".", regex=False)
    has_comma = numeric.str.contains(",", regex=False)
    both = numeric[has_dot & has_comma]
    if not both.empty:
        comma_last = both.str.rfind(",") > both.str.rfind(".")
        return "," if comma_last.sum() > (~comma_last).sum() else "."
    # A group of thousands always has exactly 3 digits, so a single comma followed by
    # 1, 2, or 4+ digits can only be a decimal comma.
    if numeric.str.fullmatch(r"[^,]*,(?:\d{1,2}|\d{4,})").any():
        return ","
    # Two dots or more in one number can only be thousands groups ("1.234.567").
    if numeric.str.fullmatch(r"\d{1,3}(?:\.\d{3}){2,}").any():
        return ","
    return "."


def detect_decimal_mark(values: pd.Series) -> str:
    """The decimal mark of a column of amounts: ``"."`` or ``","``.

    The rule, looking at every value of the column (currency signs, spaces and signs
    removed first):

    1. If a value holds both ``.`` and ``,``, the one that comes last is the decimal
       mark (``1.234,56`` -> ``,``; ``1,234.56`` -> ``.``); if values disagree, the
       majority wins and :func:`parse_amount` marks the others invalid.
    2. Else, if a value has a single ``,`` followed by 1 or 2 digits at the end (or by
       4 or more digits, which a thousands group never has), ``,`` is the decimal mark
       (``59,90``, ``12,5``).
    3. Else, if a value is grouped by dots only (``1.234.567``), ``,`` is the decimal mark.
    4. Else ``.``: a comma followed only by groups of exactly 3 digits with no ``.``
       anywhere (Google Ads ``"25,881"``) is a thousands separator, unless rule 2
       found a decimal comma elsewhere in the same column.
    """
    _codes, arrow = _factorize(values)
    texts = _pandas(arrow)
    return _decide_decimal(_amount_cores(texts)["core"])


def _number_pattern(decimal: str) -> str:
    group = "[, '’]" if decimal == "." else "[. '’]"
    mark = re.escape(decimal)
    integer = (
        rf"(?:\d{{1,3}}(?:(?P<g>{group})\d{{3}})(?:(?P=g)\d{{3}})*"  # 1,234,567
        rf"|\d{{1,2}}(?:(?P<h>{group})\d{{2}})+(?P=h)\d{{3}}"  # 12,34,567 (Indian grouping)
        r"|\d+)"
    )
    return rf"(?:{integer}(?:{mark}\d*)?|{mark}\d+)(?:[eE][+-]?\d+)?"


def parse_amount(values: pd.Series, *, decimal: str | None = None) -> AmountParse:
    """Read amounts of money written the way exports write them.

    Understood: ``1234.56``, ``1,234.56``, ``"25,881"`` (thousands comma), ``1 234,56 €``
    (group separators: space, U+00A0, U+202F, U+2009, ``'``), ``1.234,56``,
    ``EUR 12.00``, ``12,00 EUR``, ``$12``, ``-12,50``, ``12.50-``, ``(12.50)``
    (accounting negative), ``−12`` (U+2212). Missing: empty cells and the words of
    :data:`MISSING_TOKENS` (``--``, `` --``, ``-``, ``n/a``). Invalid: any other text
    that is not a number, and percentages (``77.77%`` is not money).

    Parameters
    ----------
    values : Series of ``str``/``None``.
    decimal : ``"."`` or ``","`` to force the decimal mark; ``None`` decides it for the
        whole column with :func:`detect_decimal_mark` (see the rule there). A value that
        does not fit the column's decimal mark is invalid, never reinterpreted.

    Returns
    -------
    AmountParse
        ``values`` (float64), ``invalid`` (bool), ``currency`` (object), ``decimal``;
        Series share the input's index.
    """
    if decimal not in (None, ".", ","):
        raise ValueError(f"decimal must be '.', ',' or None, not {decimal!r}")
    index = pd.Series(values, copy=False).index
    codes, arrow = _factorize(values)
    texts = _pandas(arrow)
    parts = _amount_cores(texts)
    core = parts["core"]
    mark = decimal if decimal is not None else _decide_decimal(core)
    good = core.str.fullmatch(_number_pattern(mark)).fillna(False).to_numpy(dtype=bool, copy=True)
    good &= ~parts["percent"].to_numpy()
    digits = core.str.replace(r"[^\d.,eE+-]", "", regex=True)
    if mark == ",":
        digits = digits.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    else:
        digits = digits.str.replace(",", "", regex=False)
    number = pd.to_numeric(digits.where(good, None), errors="coerce").to_numpy(dtype=float)
    number = np.where(parts["negative"].to_numpy(), -number, number)
    good &= ~np.isnan(number)
    number = np.where(good, number, np.nan)
    return AmountParse(
        values=pd.Series(_spread(number, codes, np.nan), index=index, dtype="float64"),
        invalid=pd.Series(_spread(~good, codes, False), index=index, dtype=bool),
        currency=pd.Series(
            _spread(parts["currency"].to_numpy(dtype=object, na_value=None), codes, None),
            index=index,
            dtype=object,
        ),
        decimal=mark,
    )


def parse_int(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Read whole numbers (scores, quantities): ``3``, ``3.0``, ``3,0``, ``1,000``.

    Returns
    -------
    values : Series of ``Int64``, ``<NA>`` where missing or invalid.
    invalid : bool Series, True where there is text that is not a whole number
        (``3.5``, ``7/10``, ``80%``, an amount with a currency).
    """
    parsed = parse_amount(values)
    number = parsed.values.to_numpy()
    with np.errstate(invalid="ignore"):
        whole = np.isfinite(number) & (np.mod(number, 1) == 0) & (np.abs(number) < 2**53)
    whole &= parsed.currency.isna().to_numpy()
    present = ~np.isnan(number) | parsed.invalid.to_numpy()
    invalid = present & ~whole
    out = pd.array(np.where(whole, number, 0).astype(np.int64), dtype="Int64")
    out[~whole] = pd.NA
    return (
        pd.Series(out, index=parsed.values.index),
        pd.Series(invalid, index=parsed.values.index, dtype=bool),
    )


# ---------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------

_MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    [
        "january jan janvier janv",
        "february feb février fevrier févr fevr fév fev",
        "march mar mars",
        "april apr avril avr",
        "may mai",
        "june jun juin",
        "july jul juillet juil",
        "august aug août aout aoû aou",
        "september sep sept septembre",
        "october oct octobre",
        "november nov novembre",
        "december dec décembre decembre déc",
    ],
    start=1,
):
    for _name in _names.split():
        _MONTHS[_name] = _number

_MONTH_NAMES = pa.array(list(_MONTHS), type=pa.string())
_MONTH_NUMBERS = np.array([*_MONTHS.values(), np.nan], dtype=float)
_DAYS_IN_MONTH = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])

# Arrow's regular expressions (RE2) run compiled over all distinct values at once. RE2
# has no back-references, so both separators of a date are captured and compared after.
_TIME = (
    r"(?P<h>\d{1,2})[:hH](?P<mi>\d{2})(?::(?P<s>\d{2})(?:[.,](?P<f>\d{1,9}))?)?"
    r"\s*(?P<ampm>[AaPp]\.?\s?[Mm]\.?)?"
)
_TZ = r"\s*(?P<tz>[Zz]|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?"
_ISO_RE = (
    r"^(?P<Y>\d{4})(?P<s1>[-/.])(?P<M>\d{1,2})(?P<s2>[-/.])(?P<D>\d{1,2})"
    rf"(?:(?:[Tt]|\s+|,\s*){_TIME})?{_TZ}$"
)
_COMPACT_RE = r"^(?P<Y>(?:19|20)\d{2})(?P<M>\d{2})(?P<D>\d{2})$"
_NUMERIC_RE = (
    r"^(?P<a>\d{1,2})(?P<s1>[-/.])(?P<b>\d{1,2})(?P<s2>[-/.])(?P<Y>\d{4}|\d{2})"
    rf"(?:(?:[Tt]|\s+|,\s*|\s+-\s+){_TIME})?{_TZ}$"
)
_WORD = r"\pL+"
_NAMED_DMY_RE = (
    rf"^(?:{_WORD}\.?,?\s+)?(?P<D>\d{{1,2}})(?:er|st|nd|rd|th)?[\s.-]+(?P<mon>{_WORD})\.?"
    rf"[\s.,-]+(?P<Y>\d{{4}}|\d{{2}})(?:(?:\s+|,\s*|\s+at\s+|\s+à\s+){_TIME})?{_TZ}$"
)
_NAMED_MDY_RE = (
    rf"^(?:{_WORD}\.?,?\s+)?(?P<mon>{_WORD})\.?\s+(?P<D>\d{{1,2}})(?:st|nd|rd|th)?,?\s+"
    rf"(?P<Y>\d{{4}})(?:(?:\s+|,\s*|\s+at\s+){_TIME})?{_TZ}$"
)

# The zero-padded layouts most exports use: recognised by a cheap match and cut at fixed
# positions, which spares the general patterns above (their many groups are slow).
_TO_END = 1_000
_FIXED_ISO: tuple[tuple[str, dict[str, tuple[int, int]]], ...] = (
    (
        r"^\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d$",
        {"Y": (0, 4), "M": (5, 7), "D": (8, 10), "h": (11, 13), "mi": (14, 16), "s": (17, 19)},
    ),
    (r"^\d{4}-\d\d-\d\d$", {"Y": (0, 4), "M": (5, 7), "D": (8, 10)}),
    (
        r"^\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d ?(?:Z|[+-]\d\d:?\d\d)$",
        {
            "Y": (0, 4), "M": (5, 7), "D": (8, 10), "h": (11, 13), "mi": (14, 16), "s": (17, 19),
            "tz": (19, _TO_END),
        },
    ),
    (
        r"^\d{4}-\d\d-\d\d[ T]\d\d:\d\d$",
        {"Y": (0, 4), "M": (5, 7), "D": (8, 10), "h": (11, 13), "mi": (14, 16)},
    ),
)  # fmt: skip
_NUMERIC_DATE = {"a": (0, 2), "s1": (2, 3), "b": (3, 5), "s2": (5, 6), "Y": (6, 10)}
_FIXED_NUMERIC: tuple[tuple[str, dict[str, tuple[int, int]]], ...] = (
    (r"^\d\d[/.-]\d\d[/.-]\d{4}$", _NUMERIC_DATE),
    (r"^\d\d[/.-]\d\d[/.-]\d{4} \d\d:\d\d$", {**_NUMERIC_DATE, "h": (11, 13), "mi": (14, 16)}),
    (
        r"^\d\d[/.-]\d\d[/.-]\d{4} \d\d:\d\d:\d\d$",
        {**_NUMERIC_DATE, "h": (11, 13), "mi": (14, 16), "s": (17, 19)},
    ),
)
_LEADING_NUMBERS_RE = r"^(?P<a>\d{1,2})[-/.](?P<b>\d{1,2})[-/.]\d"


@dataclass
class DateParse:
    """Result of :func:`parse_dates`.

    Attributes
    ----------
    values : ``datetime64[us]`` Series, naive, in UTC when an offset or a time zone
        was known (else as written); NaT where missing or invalid.
    invalid : bool Series, True where there is text that is not a date, or a date
        that contradicts the column's day/month order.
    order : ``"iso"`` (no day/month question: ISO, ``YYYYMMDD``, month names),
        ``"dmy"``, ``"mdy"``, ``"mixed"`` (both orders proven by values: the minority
        is invalid), ``"excel_serial"`` or ``"epoch"``.
    ambiguous : True when the column has ``a/b/yyyy`` values and none of them tells day
        from month (all numbers 12 or less): the order used is then ``dayfirst`` if it
        was given, else ``default_dayfirst``.
    assumed_dayfirst : the order applied to ``05/01/2023``-style values
        (True: day first), or None when the column has none.
    """

    values: pd.Series
    invalid: pd.Series
    order: str
    ambiguous: bool
    assumed_dayfirst: bool | None


def _extract(texts: pa.Array, todo: np.ndarray, pattern: str) -> tuple[np.ndarray, dict]:
    """Positions (in ``texts``) of the values flagged in ``todo`` that match ``pattern``,
    and the text of each named group for them (``""`` for a group that did not take part)."""
    positions = np.flatnonzero(todo)
    if len(positions) == 0:
        return positions, {}
    found = pc.extract_regex(texts.take(pa.array(positions)), pattern=pattern)
    matched = found.is_valid().to_numpy(zero_copy_only=False)
    found = found.filter(pa.array(matched))
    names = [found.type.field(i).name for i in range(found.type.num_fields)]
    return positions[matched], dict(zip(names, found.flatten(), strict=True))


def _floats(groups: dict, name: str, n: int) -> np.ndarray:
    """A group's digits as floats, NaN where it is empty or absent."""
    text = groups.get(name)
    if text is None:
        return np.full(n, np.nan)
    text = pc.if_else(pc.equal(text, ""), pa.scalar(None, pa.string()), text)
    return pc.cast(text, pa.float64()).to_numpy(zero_copy_only=False)


def _years(groups: dict, n: int) -> np.ndarray:
    """The year group; 2 digits read as 1969-2068 (``69``-``99`` -> 19xx, else 20xx)."""
    year = _floats(groups, "Y", n)
    short = pc.equal(pc.utf8_length(_strings(groups, "Y", n)), 2).to_numpy(zero_copy_only=False)
    return np.where(short, np.where(year < 69, 2000 + year, 1900 + year), year)


def _strings(groups: dict, name: str, n: int) -> pa.Array:
    text = groups.get(name)
    return text if text is not None else pa.repeat(pa.scalar("", pa.string()), n)


_DECIMAL_RE = r"^\d+(?:[.,]\d+)?$"


def _all_match(texts: pa.Array, pattern: str) -> bool:
    return bool(pc.all(pc.match_substring_regex(texts, pattern)).as_py() is not False)


def _votes(a: np.ndarray, b: np.ndarray, weights: np.ndarray) -> tuple[int, int]:
    """Rows proving day-first (first number > 12) and month-first (second > 12)."""
    day_first = (a > 12) & (b <= 12)
    month_first = (b > 12) & (a <= 12)
    return int(weights[day_first].sum()), int(weights[month_first].sum())


def detect_day_first(values: pd.Series) -> bool | None:
    """Whether ``a/b/yyyy`` dates in a column are day-first, from the values alone.

    Returns
    -------
    True if some first number is above 12 and no second number is; False in the
    opposite case; None if no value decides (all numbers 12 or less, or no such dates)
    or if both orders are present.
    """
    codes, arrow = _factorize(values)
    n = len(arrow)
    positions, groups = _extract(arrow, np.ones(n, dtype=bool), _NUMERIC_RE)
    weights = _count_rows(codes, n)[positions]
    day_votes, month_votes = _votes(
        _floats(groups, "a", len(positions)), _floats(groups, "b", len(positions)), weights
    )
    if day_votes and not month_votes:
        return True
    if month_votes and not day_votes:
        return False
    return None


def _clock(groups: dict, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Microseconds since midnight, offset in minutes (NaN: none written), bad-time flag."""
    hour = np.nan_to_num(_floats(groups, "h", n))
    minute = np.nan_to_num(_floats(groups, "mi", n))
    second = np.nan_to_num(_floats(groups, "s", n))
    fraction = pc.utf8_rpad(
        pc.utf8_slice_codeunits(_strings(groups, "f", n), 0, 6), width=6, padding="0"
    )
    micro = np.nan_to_num(_floats({"f": fraction}, "f", n))
    ampm_text = _strings(groups, "ampm", n)
    if pc.any(pc.not_equal(ampm_text, "")).as_py():
        ampm = pc.utf8_lower(pc.replace_substring_regex(ampm_text, r"[.\s]", ""))
        ampm = ampm.to_numpy(zero_copy_only=False)
        has_ampm = ampm != ""
        bad = has_ampm & ~((hour >= 1) & (hour <= 12))
        hour = np.where(has_ampm, np.mod(hour, 12) + np.where(ampm == "pm", 12, 0), hour)
    else:
        bad = np.zeros(n, dtype=bool)
    bad |= (hour > 23) | (minute > 59) | (second > 59)

    tz = _strings(groups, "tz", n)
    if pc.any(pc.not_equal(tz, "")).as_py():
        digits = pc.replace_substring_regex(tz, r"[^0-9]", "")
        offset_hours = _floats({"x": pc.utf8_slice_codeunits(digits, 0, 2)}, "x", n)
        offset_minutes = np.nan_to_num(
            _floats({"x": pc.utf8_slice_codeunits(digits, 2, 4)}, "x", n)
        )
        sign = np.where(pc.starts_with(tz, "-").to_numpy(zero_copy_only=False), -1.0, 1.0)
        offset = sign * (offset_hours * 60 + offset_minutes)
        named_utc = pc.is_in(pc.utf8_upper(tz), value_set=pa.array(["Z", "UTC", "GMT"]))
        offset = np.where(named_utc.to_numpy(zero_copy_only=False), 0.0, offset)
        bad |= np.abs(np.nan_to_num(offset)) > 18 * 60
    else:
        offset = np.full(n, np.nan)
    since_midnight = ((hour * 60 + minute) * 60 + second) * 1_000_000 + micro
    return since_midnight, offset, bad


def _civil(
    year: np.ndarray, month: np.ndarray, day: np.ndarray, since_midnight: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """``datetime64[us]`` from calendar parts, and which parts make a real date.

    Days since 1970-01-01 by the proleptic Gregorian rule (H. Hinnant's
    ``days_from_civil``), so no Python object is built per value.
    """
    ok = ~(np.isnan(year) | np.isnan(month) | np.isnan(day))
    ok &= (year >= 1900) & (year <= 2200) & (month >= 1) & (month <= 12) & (day >= 1)
    y = np.where(ok, year, 2000).astype(np.int64)
    m = np.where(ok, month, 1).astype(np.int64)
    d = np.where(ok, day, 1).astype(np.int64)
    leap = (y % 4 == 0) & ((y % 100 != 0) | (y % 400 == 0))
    ok &= d <= _DAYS_IN_MONTH[m - 1] + ((m == 2) & leap)
    y = y - (m <= 2)
    era = y // 400
    year_of_era = y - era * 400
    day_of_year = (153 * ((m + 9) % 12) + 2) // 5 + d - 1
    day_of_era = year_of_era * 365 + year_of_era // 4 - year_of_era // 100 + day_of_year
    days = era * 146097 + day_of_era - 719468
    micros = days * 86_400_000_000 + since_midnight.astype(np.int64)
    stamps = micros.astype("datetime64[us]")
    stamps[~ok] = np.datetime64("NaT")
    return stamps, ok


def _to_utc(stamps: np.ndarray, offsets: np.ndarray, timezone: str | None) -> np.ndarray:
    """Apply written offsets; localise the others to ``timezone`` (if any), then UTC."""
    has_offset = ~np.isnan(offsets)
    shift = np.where(has_offset, offsets, 0.0).astype(np.int64).astype("timedelta64[m]")
    out = stamps - shift
    naive = ~has_offset & ~np.isnat(stamps)
    if timezone is not None and naive.any():
        local = pd.Series(stamps[naive]).dt.tz_localize(
            timezone,
            ambiguous=np.ones(int(naive.sum()), dtype=bool),
            nonexistent="shift_forward",
        )
        out[naive] = (
            local.dt.tz_convert("UTC").dt.tz_localize(None).to_numpy(dtype="datetime64[us]")
        )
    return out.astype("datetime64[us]")


def _check_timezone(timezone: str | None) -> None:
    if timezone is None:
        return
    try:
        zoneinfo.ZoneInfo(timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"Unknown time zone {timezone!r}: use a name like 'Europe/Paris' or "
            "'America/New_York' (IANA time zone database)."
        ) from None


def parse_dates(
    values: pd.Series,
    *,
    dayfirst: bool | None = None,
    default_dayfirst: bool = True,
    timezone: str | None = None,
    weights: np.ndarray | None = None,
) -> DateParse:
    """Read dates and date-times written the way exports write them.

    Understood: ISO ``2024-06-07``, ``2024-06-07 02:38:54``, ``2024-06-07T02:38:54Z``,
    ``2025-05-12 15:06:16 -0400`` (offsets may differ within the column, e.g. across
    daylight saving), ``2024/06/07``; ``19970101``; ``dd/mm/yyyy``, ``mm/dd/yyyy``,
    ``dd.mm.yyyy``, ``dd-mm-yyyy`` and 2-digit years (``69``-``99`` -> 19xx,
    ``00``-``68`` -> 20xx), with an optional time ``HH:MM``, ``HH:MM:SS``,
    ``h:mm:ss AM/PM`` or ``14h30``; month names in English or French
    (``July 8, 2025``, ``8 Jul 2025``, ``12 janv. 2024``). A column made only of
    numbers between 20000 and 80000 is Excel serial dates (day 0 = 1899-12-30, time
    rounded to the second); a column of 10-digit (13-digit) numbers is Unix time in
    seconds (milliseconds). Years outside 1900-2200 are invalid.

    Day and month order is decided for the whole column, never value by value: a
    first number above 12 proves day-first, a second number above 12 proves
    month-first. If both are proven (``order="mixed"``), the order with more rows
    wins (a tie goes to ``default_dayfirst``) and the values proving the other order
    are invalid. If nothing is proven, ``ambiguous`` is True and ``dayfirst`` (if
    given) or ``default_dayfirst`` is used. An explicit ``dayfirst`` is used for every
    value; values that contradict it (``13/01/2023`` with ``dayfirst=False``) are
    invalid, never swapped.

    Parameters
    ----------
    values : Series of ``str``/``None``.
    dayfirst : the order chosen by the user or the preset, or None to decide from data.
    default_dayfirst : the order used when the data cannot decide (True for French files).
    timezone : IANA zone (``"Europe/Paris"``) of values written without an offset:
        they are localised (the earlier instant on the repeated autumn hour, moved
        forward over the skipped spring hour) and converted to UTC. None leaves them as
        written. Values with an offset (or Unix times) are always converted to UTC.
    weights : how many rows each value stands for (default 1 each), for callers that
        pass the distinct values of a larger column: the day/month votes count rows.

    Returns
    -------
    DateParse
        ``values`` is ``datetime64[us]`` (naive) with the input's index.

    Raises
    ------
    ValueError
        If ``timezone`` is not a known IANA time zone.
    """
    _check_timezone(timezone)
    index = pd.Series(values, copy=False).index
    codes, arrow = _factorize(values)
    n = len(arrow)
    if weights is None:
        weights = _count_rows(codes, n)
    else:
        present = codes >= 0
        weights = np.bincount(
            codes[present], weights=np.asarray(weights, dtype=float)[present], minlength=n
        )
    stamps = np.full(n, np.datetime64("NaT"), dtype="datetime64[us]")
    offsets = np.full(n, np.nan)
    ok = np.zeros(n, dtype=bool)
    order = "iso"
    ambiguous = False
    assumed: bool | None = None

    whole = pc.ascii_is_decimal(arrow).to_numpy(zero_copy_only=False)
    # Serial and epoch columns are all numbers: look at the first values before
    # running a regular expression over the whole column.
    numeric = whole.all() or (
        _all_match(arrow.slice(0, 1000), _DECIMAL_RE) and _all_match(arrow, _DECIMAL_RE)
    )
    if numeric:
        as_number = pc.cast(pc.replace_substring(arrow, ",", "."), pa.float64()).to_numpy(
            zero_copy_only=False
        )
        lengths = pc.utf8_length(arrow).to_numpy(zero_copy_only=False)
    if n and numeric and ((as_number >= 20000) & (as_number <= 80000)).all():
        order = "excel_serial"
        seconds = np.round(as_number * 86400.0).astype(np.int64)
        stamps = np.datetime64("1899-12-30T00:00:00", "us") + seconds.astype("timedelta64[s]")
        ok[:] = True
    elif n and whole.all() and np.isin(lengths, (10, 13)).all():
        order = "epoch"
        micros = as_number * np.where(lengths == 13, 1_000, 1_000_000)
        stamps = micros.astype(np.int64).astype("datetime64[us]")
        offsets[:] = 0.0  # Unix time is UTC by definition: never localised.
        ok[:] = True
    else:
        remaining = np.ones(n, dtype=bool)

        def fill(positions: np.ndarray, year, month, day, groups: dict, good=True) -> None:
            count = len(positions)
            since_midnight, offset, bad = _clock(groups, count)
            made, real = _civil(year, month, day, since_midnight)
            stamps[positions] = made
            offsets[positions] = offset
            ok[positions] = real & ~bad & good
            remaining[positions] = False

        def same_separators(groups: dict) -> np.ndarray:
            return pc.equal(groups["s1"], groups["s2"]).to_numpy(zero_copy_only=False)

        def fixed(pattern: str, cuts: dict[str, tuple[int, int]]) -> tuple[np.ndarray, dict]:
            todo = np.flatnonzero(remaining)
            if not len(todo):
                return todo, {}
            candidates = arrow.take(pa.array(todo))
            if not pc.any(pc.match_substring_regex(candidates.slice(0, 64), pattern)).as_py():
                return todo[:0], {}
            hit = pc.match_substring_regex(candidates, pattern).to_numpy(zero_copy_only=False)
            matched = candidates.filter(pa.array(hit))
            groups = {
                name: pc.utf8_trim_whitespace(pc.utf8_slice_codeunits(matched, start, stop))
                for name, (start, stop) in cuts.items()
            }
            return todo[hit], groups

        for pattern, cuts in _FIXED_ISO:
            positions, groups = fixed(pattern, cuts)
            if len(positions):
                k = len(positions)
                fill(
                    positions,
                    _years(groups, k),
                    _floats(groups, "M", k),
                    _floats(groups, "D", k),
                    groups,
                )
        for pattern in (_ISO_RE, _COMPACT_RE):
            positions, groups = _extract(arrow, remaining, pattern)
            if len(positions):
                k = len(positions)
                good = same_separators(groups) if "s1" in groups else np.ones(k, dtype=bool)
                fill(
                    positions,
                    _years(groups, k),
                    _floats(groups, "M", k),
                    _floats(groups, "D", k),
                    groups,
                    good,
                )

        positions, groups = _extract(arrow, remaining, _LEADING_NUMBERS_RE)
        if len(positions):
            k = len(positions)
            day_votes, month_votes = _votes(
                _floats(groups, "a", k), _floats(groups, "b", k), weights[positions]
            )
            if dayfirst is not None:
                use_dayfirst = dayfirst
            elif day_votes and month_votes:
                use_dayfirst = (
                    day_votes > month_votes if day_votes != month_votes else default_dayfirst
                )
            elif day_votes or month_votes:
                use_dayfirst = day_votes > 0
            else:
                use_dayfirst = default_dayfirst
            ambiguous = not (day_votes or month_votes)
            if dayfirst is None and day_votes and month_votes:
                order = "mixed"
            else:
                order = "dmy" if use_dayfirst else "mdy"
            assumed = use_dayfirst
            for pattern, cuts in (*_FIXED_NUMERIC, (_NUMERIC_RE, None)):
                if cuts is None:
                    positions, groups = _extract(arrow, remaining, pattern)
                else:
                    positions, groups = fixed(pattern, cuts)
                if len(positions):
                    k = len(positions)
                    a, b = _floats(groups, "a", k), _floats(groups, "b", k)
                    day, month = (a, b) if use_dayfirst else (b, a)
                    # A month above 12 is the other order's proof: invalid, never swapped.
                    fill(positions, _years(groups, k), month, day, groups, same_separators(groups))

        for pattern in (_NAMED_DMY_RE, _NAMED_MDY_RE):
            positions, groups = _extract(arrow, remaining, pattern)
            if len(positions):
                k = len(positions)
                names = pc.utf8_rtrim(pc.utf8_lower(groups["mon"]), characters=".")
                month_index = pc.index_in(names, value_set=_MONTH_NAMES).fill_null(-1)
                month = _MONTH_NUMBERS[month_index.to_numpy(zero_copy_only=False)]
                fill(positions, _years(groups, k), month, _floats(groups, "D", k), groups)

    utc = _to_utc(
        np.where(ok, stamps, np.datetime64("NaT")), np.where(ok, offsets, np.nan), timezone
    )
    return DateParse(
        values=pd.Series(
            _spread(utc, codes, np.datetime64("NaT")), index=index, dtype="datetime64[us]"
        ),
        invalid=pd.Series(_spread(~ok, codes, False), index=index, dtype=bool),
        order=order,
        ambiguous=ambiguous,
        assumed_dayfirst=assumed,
    )

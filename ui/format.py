"""The one set of formatters of the pages: money, numbers, percentages, dates in the
session's locale, Markdown-inert text, table columns and chart labels."""

from __future__ import annotations

from typing import Any

import streamlit as st

from clv import formatting
from ui.state import lang, locale, t


def fmt_money(value: Any, currency: str | None = "EUR", *, decimals: int | None = None) -> str:
    return formatting.format_money(value, currency or "EUR", locale(), decimals=decimals)


def fmt_int(value: Any) -> str:
    return formatting.format_int(value, locale())


def fmt_number(value: Any, decimals: int = 2) -> str:
    return formatting.format_number(value, locale(), decimals=decimals)


def fmt_percent(value: Any, decimals: int = 1) -> str:
    return formatting.format_percent(value, locale(), decimals=decimals)


def fmt_signed_number(value: Any, decimals: int = 1) -> str:
    """A number with its sign (an NPS, ``+12.5``; a change)."""
    return formatting.with_sign(fmt_number(value, decimals), value)


def fmt_signed_percent(share: Any, decimals: int = 1) -> str:
    """A change given as a fraction (``0.069``) as a signed percentage (``+6.9%``)."""
    return formatting.with_sign(fmt_percent(share, decimals), share)


def fmt_signed_money(value: Any, currency: str | None = "EUR", *, decimals: int = 0) -> str:
    """A change of money with its sign (``+1,234 €``)."""
    return formatting.with_sign(fmt_money(value, currency, decimals=decimals), value)


def fmt_points(points: Any) -> str:
    """Percentage points with their sign: whole points without decimals (``+5``), else one
    (``+2.5``)."""
    if formatting.is_missing(points):
        return formatting.MISSING
    decimals = 0 if float(points).is_integer() else 1
    return fmt_signed_number(points, decimals)


def fmt_ratio(ratio: Any) -> str:
    """A CLV/CAC ratio as ``5.0 : 1``."""
    if formatting.is_missing(ratio):
        return formatting.MISSING
    return f"{fmt_number(ratio, 1)} : 1"


def fmt_month(value: Any) -> str:
    """A cohort month as ``YYYY-MM`` (:func:`clv.formatting.format_month`)."""
    return formatting.format_month(value)


def money_formatter(currency: str | None, default_decimals: int = 0) -> Any:
    """``money(value, decimals=default_decimals)`` in the page's currency; ``"—"`` when the
    value is missing. Every page formats its amounts with one of these."""

    def money(value: Any, decimals: int = default_decimals) -> str:
        return fmt_money(value, currency, decimals=decimals)

    return money


def fmt_date(value: Any) -> str:
    return formatting.format_date(value, locale())


def fmt_datetime(value: Any) -> str:
    return formatting.format_datetime(value, locale())


#: A cohort month in a table column (moment.js tokens): ``YYYY-MM``, as everywhere else
#: (:data:`clv.formatting.MONTH_FORMAT`).
MONTH_COLUMN_FORMAT = "YYYY-MM"


def month_column(label: str) -> Any:
    """A table column of cohort months, written ``YYYY-MM``."""
    return st.column_config.DateColumn(label, format=MONTH_COLUMN_FORMAT)


def date_column_format() -> str:
    """Display format of ``st.column_config.DatetimeColumn`` (moment.js tokens)."""
    return "DD/MM/YYYY HH:mm"


def text(value: object) -> str:
    """Text from a file (file name, column, reader note) made inert for Markdown."""
    return formatting.escape_markdown(value)


# Plotly's decimal mark and thousands separator per language.
SEPARATORS = {"fr": ",\u202f", "en": ".,"}


def chart_labels(**texts: str) -> dict[str, str]:
    """Labels for a figure of ``clv``: tier names and separators, plus ``texts``."""
    from clv.valuation.tiers import TIERS

    names = {f"tier.{tier}": t(f"tier.{tier}") for tier in (*TIERS, "New")}
    return {"separators": SEPARATORS[lang()], **names, **texts}


# Column presets of st.column_config for the currencies it knows.
MONEY_FORMATS = {"EUR": "euro", "USD": "dollar", "JPY": "yen"}


def money_column(label: str, currency: str) -> Any:
    """A table column of amounts in ``currency``."""
    return st.column_config.NumberColumn(label, format=MONEY_FORMATS.get(currency, "localized"))

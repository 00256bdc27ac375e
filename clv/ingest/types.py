"""Shared vocabulary of the ingest pipeline.

The pipeline has three stages, each with one data shape:

1. ``reading``: bytes -> :class:`RawTable` (all cells as text, with the source line
   number of every row).
2. ``presets`` (or a user mapping): :class:`RawTable` -> :class:`MappedTable`, a frame whose
   columns are the *input fields* of one kind (still text, see :data:`FIELDS`).
3. ``normalize``: :class:`MappedTable` -> typed canonical tables + rejected rows, with
   emails replaced by pseudonyms; then ``clv.store`` writes them in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

KINDS: tuple[str, ...] = ("orders", "customers", "spend", "nps", "tickets")


class FileProblem(ValueError):
    """A problem with the whole file: nothing from it is stored.

    The message is shown to the user as is, so it says what is wrong *and what to do*.
    """


@dataclass
class RawTable:
    """A table read from an export, every cell as text.

    Attributes
    ----------
    columns : header names, stripped, BOM removed, made unique (``Tags``, ``Tags (2)``).
    data : one column per header name, dtype ``object`` holding ``str`` or ``None``
        (empty cells are ``None``), index ``0..n-1``.
    line_numbers : for each row of ``data``, its 1-based line number in the source file
        (CSV: the physical line where the record starts; XLSX: the sheet row number;
        Parquet: row index + 2, as if a header were line 1).
    file_format : ``"csv"``, ``"xlsx"`` or ``"parquet"``.
    encoding : detected text encoding (``"utf-8"``, ``"utf-8-sig"``, ``"utf-16"``,
        ``"cp1252"``) or ``None`` for binary formats.
    delimiter : ``","``, ``";"``, ``"\\t"`` or ``None``.
    notes : what the reader did that the user should know (title lines skipped,
        ``Total`` rows dropped, ...), in English; shown in the import report.
    preamble : lines above the header (report titles, date ranges), as text.
    extra_header_rows : rows right below the header that are headers too (Qualtrics'
        question text and ``{"ImportId": ...}`` rows, SurveyMonkey's second header row).
    """

    columns: list[str]
    data: pd.DataFrame
    line_numbers: list[int]
    file_format: str
    encoding: str | None = None
    delimiter: str | None = None
    notes: list[str] = field(default_factory=list)
    preamble: list[str] = field(default_factory=list)
    extra_header_rows: list[list[str]] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.data)


@dataclass(frozen=True)
class FieldSpec:
    """One input field of a kind: what a preset or a user mapping must fill."""

    name: str
    label: str
    required: bool = False
    help: str = ""


# Input fields per kind. A preset or a user's column mapping produces a frame with
# these column names (text values); ``normalize`` parses and validates them.
# Email-like fields are pseudonymised there and never stored.
FIELDS: dict[str, tuple[FieldSpec, ...]] = {
    "orders": (
        FieldSpec(
            "order_id",
            "Order id",
            help="Rows sharing it are line items of one order; if absent, each row is one order",
        ),
        FieldSpec("ordered_at", "Order date", True),
        FieldSpec("customer_email", "Customer email", help="Pseudonymised on import, never stored"),
        FieldSpec("customer_ref", "Customer id in the shop", help="Used when there is no email"),
        FieldSpec("total_amount", "Order total", True, "Gross amount paid for the order"),
        FieldSpec("discount_amount", "Discount"),
        FieldSpec("refunded_amount", "Refunded amount"),
        FieldSpec("net_amount", "Net amount", help="If absent: total - refunded"),
        FieldSpec("cost_amount", "Cost of goods", help="Gives the real gross margin"),
        FieldSpec("currency", "Currency"),
        FieldSpec(
            "status", "Status", help="paid / cancelled / refunded / test, or the shop's own words"
        ),
        FieldSpec("cancelled_at", "Cancelled at", help="Any value marks the order cancelled"),
        FieldSpec("payment_method", "Payment method", help="A test gateway marks a test order"),
        FieldSpec("tags", "Tags", help="A 'test' tag marks a test order"),
        FieldSpec("channel", "Sales or marketing channel"),
        FieldSpec("country", "Country"),
        FieldSpec("product_id", "Product id / SKU"),
        FieldSpec("product_name", "Product name"),
        FieldSpec("quantity", "Quantity"),
        FieldSpec("unit_price", "Unit price"),
        FieldSpec("line_amount", "Line amount", help="If absent: quantity x unit price"),
    ),
    "customers": (
        FieldSpec("customer_email", "Customer email", help="Pseudonymised on import, never stored"),
        FieldSpec("customer_ref", "Customer id in the shop"),
        FieldSpec("first_seen_at", "Created / first seen"),
        FieldSpec("acquisition_channel", "Acquisition channel"),
        FieldSpec("country", "Country"),
        FieldSpec("consent_analytics", "Consents to analytics"),
        FieldSpec("consent_marketing", "Accepts marketing"),
    ),
    "spend": (
        FieldSpec("spend_date", "Day", True),
        FieldSpec(
            "channel",
            "Channel / platform",
            help="Filled by the preset (Google Ads, Meta Ads) when absent",
        ),
        FieldSpec("campaign", "Campaign"),
        FieldSpec("spend_amount", "Amount spent", True),
        FieldSpec("currency", "Currency"),
    ),
    "nps": (
        FieldSpec("response_id", "Response id", help="If absent: derived from the row"),
        FieldSpec(
            "customer_email", "Respondent email", help="Pseudonymised on import, never stored"
        ),
        FieldSpec("customer_ref", "Customer id in the shop"),
        FieldSpec("answered_at", "Answered at", True),
        FieldSpec("score", "Score 0-10", True),
    ),
    "tickets": (
        FieldSpec("ticket_id", "Ticket id", True),
        FieldSpec(
            "customer_email", "Requester email", help="Pseudonymised on import, never stored"
        ),
        FieldSpec("customer_ref", "Requester id"),
        FieldSpec("opened_at", "Created at", True),
        FieldSpec("solved_at", "Solved at"),
        FieldSpec("status", "Status"),
        FieldSpec("satisfaction", "Satisfaction"),
    ),
}


def field_names(kind: str) -> list[str]:
    """Names of the input fields of ``kind`` (see :data:`FIELDS`)."""
    return [f.name for f in FIELDS[kind]]


def required_fields(kind: str) -> list[str]:
    """Names of the input fields that ``kind`` cannot do without."""
    return [f.name for f in FIELDS[kind] if f.required]


@dataclass
class MappedTable:
    """A :class:`RawTable` mapped onto the input fields of one kind.

    Attributes
    ----------
    kind : one of :data:`KINDS`.
    source : preset name (``"shopify_orders"``, ``"prestashop"``, ...) or ``"custom"``.
    data : columns are a subset of ``field_names(kind)`` plus ``line_no`` (int, the
        source line); values are text (``str`` or ``None``). For orders with line items,
        one row per line item, order-level fields repeated on every row of the order
        (or empty on all but the first: ``normalize`` takes the first non-empty value).
    dayfirst : for text dates like ``05/01/2023``: ``True`` day-first, ``False``
        month-first, ``None`` decide from the data (and the file's locale).
    french : the file looks French (``;`` delimiter, French headers, decimal comma),
        which makes day-first the default for dates that stay ambiguous.
    timezone : IANA zone of dates without an offset (``None``: taken as UTC).
    notes : what the preset did that the user should know.
    """

    kind: str
    source: str
    data: pd.DataFrame
    dayfirst: bool | None = None
    french: bool = False
    timezone: str | None = None
    notes: list[str] = field(default_factory=list)

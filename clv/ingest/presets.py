"""Source presets: recognise where an export comes from and map it onto input fields.

A preset knows one vendor's export layout (Shopify orders, Stripe payments, Google Ads,
Qualtrics, ...): which header it has, which column feeds which input field of
:data:`clv.ingest.types.FIELDS`, and the structural quirks of the file (preview rows,
currency written in a header, a time zone hidden in a header row, line items packed in one
cell). Values stay text: parsing numbers, dates and statuses is done by ``normalize``.

For files no preset knows, :func:`guess_kind` and :func:`suggest_mapping` propose a kind and a
column mapping from header words (English and French) that the user confirms, and
:func:`apply_mapping` applies it. :func:`header_signature` keys a saved mapping so that the next
file with the same header is mapped the same way.

Columns holding free text or personal data other than the email (names, addresses, phones,
subjects, comments, notes) are never mapped: they are dropped here and never reach the store.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pandas as pd

from clv.i18n.messages import Msg, msg, msg_n
from clv.ingest.types import (
    FIELDS,
    KINDS,
    FileProblem,
    MappedTable,
    RawTable,
    field_names,
    required_fields,
)

__all__ = [
    "KIND_WORDS",
    "PRESETS",
    "Preset",
    "PresetMatch",
    "apply_mapping",
    "apply_preset",
    "get_preset",
    "guess_kind",
    "header_signature",
    "looks_french",
    "recognise",
    "suggest_mapping",
]

# Alternatives for one source column, best first. An entry starting with ``re:`` is a regular
# expression matched against the normalised header name (see ``_norm``).
Names = tuple[str, ...]

# Kinds as words in messages ("as orders", "for customers"): English as the kind names.
KIND_WORDS: dict[str, Msg] = {
    "orders": msg("orders"),
    "customers": msg("customers"),
    "spend": msg("spend"),
    "nps": msg("nps"),
    "tickets": msg("tickets"),
}

# Fields holding identifiers: Excel's text guard (a leading apostrophe) is removed from them.
_ID_FIELDS = ("order_id", "customer_ref", "product_id", "ticket_id", "response_id")


# --------------------------------------------------------------------------------------------
# Text helpers


def _norm(text: object) -> str:
    """Header name reduced for comparison: lower case, no accents, ``_``/``-`` as spaces."""
    t = str(text).replace("°", "o ").replace("º", "o ").replace("\u2019", "'")
    t = unicodedata.normalize("NFKD", t)
    t = "".join(ch for ch in t if not unicodedata.combining(ch)).lower()
    return re.sub(r"[\s_\-\u00a0\u202f]+", " ", t).strip()


def _is_blank(s: pd.Series) -> pd.Series:
    """True where a cell is missing or empty.

    Whitespace-only cells are not looked for: the reader gives empty cells as ``None`` and a
    per-cell strip would cost more than the rest of the mapping on large files.
    """
    return s.isna() | s.eq("")


def _strip_text_guard(s: pd.Series) -> pd.Series:
    """Remove Excel's text guard, a leading apostrophe, from ids like ``'9980311896380``."""
    # Arrow string kernels find the few guarded cells far faster than a Python loop.
    guarded = (
        s.astype(pd.StringDtype("pyarrow"))
        .str.match(r"'[0-9+]")
        .to_numpy(dtype=bool, na_value=False)
    )
    if not guarded.any():
        return s
    out = s.copy()
    out[guarded] = [v[1:] for v in s[guarded]]
    return out


def _clean_text(s: pd.Series) -> pd.Series:
    """Cells as stripped lower-case text, missing cells as ``""``."""
    return s.where(s.notna(), "").astype(str).str.strip().str.lower()


def _coalesce(series: Sequence[pd.Series]) -> pd.Series:
    """Row by row, the first non-blank value among ``series``."""
    out = series[0]
    for nxt in series[1:]:
        out = out.where(~_is_blank(out), nxt)
    return out


class _Columns:
    """A table's columns, looked up by normalised name or pattern."""

    def __init__(self, columns: Iterable[str]) -> None:
        self.columns = list(columns)
        self.norm = [_norm(c) for c in self.columns]
        self.by_norm: dict[str, str] = {}
        for col, n in zip(self.columns, self.norm, strict=True):
            self.by_norm.setdefault(n, col)

    def find_all(self, names: Iterable[str]) -> list[str]:
        """Columns matching any of ``names``, in the order of ``names``, without repeats."""
        found: list[str] = []
        for name in names:
            if name.startswith("re:"):
                pattern = re.compile(name[3:])
                hits = [
                    c for c, n in zip(self.columns, self.norm, strict=True) if pattern.search(n)
                ]
            else:
                hit = self.by_norm.get(_norm(name))
                hits = [hit] if hit is not None else []
            found.extend(h for h in hits if h not in found)
        return found

    def find(self, names: Iterable[str]) -> str | None:
        hits = self.find_all(names)
        return hits[0] if hits else None

    def has(self, names: Iterable[str]) -> bool:
        return self.find(names) is not None


def _column(raw: RawTable, name: str) -> pd.Series:
    return raw.data[name].reset_index(drop=True).astype(object)


def _constant(raw: RawTable, value: str | None) -> pd.Series:
    return pd.Series([value] * len(raw.data), dtype=object)


def _take(raw: RawTable, cols: _Columns, names: Names) -> pd.Series | None:
    """The column(s) named by ``names``, coalesced row by row; ``None`` if none exists."""
    found = cols.find_all(names)
    if not found:
        return None
    return _coalesce([_column(raw, c) for c in found])


def _rename(raw: RawTable, spec: dict[str, Names]) -> dict[str, pd.Series]:
    cols = _Columns(raw.columns)
    out: dict[str, pd.Series] = {}
    for fname, names in spec.items():
        s = _take(raw, cols, names)
        if s is not None:
            out[fname] = s
    return out


def _finish(
    raw: RawTable,
    kind: str,
    source: str,
    values: dict[str, pd.Series],
    *,
    keep: pd.Series | None = None,
    notes: Sequence[str] = (),
    timezone: str | None = None,
    dayfirst: bool | None = None,
    french: bool | None = None,
) -> MappedTable:
    """Assemble a :class:`MappedTable` from field -> series, with ``line_no``."""
    if len(raw.line_numbers) != len(raw.data):
        raise ValueError(
            f"The table has {len(raw.data)} rows but {len(raw.line_numbers)} line numbers; "
            "read the file again with clv.ingest.reading."
        )
    data = pd.DataFrame(index=pd.RangeIndex(len(raw.data)))
    for fname in field_names(kind):
        if fname in values:
            s = values[fname].reset_index(drop=True).astype(object)
            s = s.where(~_is_blank(s), None)
            if fname in _ID_FIELDS:
                s = _strip_text_guard(s)
            data[fname] = s
    data["line_no"] = pd.Series(raw.line_numbers, dtype="int64")
    if keep is not None:
        data = data[keep.reset_index(drop=True).to_numpy(dtype=bool)].reset_index(drop=True)
    return MappedTable(
        kind=kind,
        source=source,
        data=data,
        dayfirst=dayfirst,
        french=looks_french(raw) if french is None else french,
        timezone=timezone,
        notes=list(raw.notes) + list(notes),
    )


# --------------------------------------------------------------------------------------------
# Public data classes


Mapper = Callable[[RawTable, "_Layout"], MappedTable]


@dataclass(frozen=True, eq=False)
class _Layout:
    """One header layout of a preset: the columns that identify it and how to map it."""

    signature: tuple[Names, ...]
    spec: dict[str, Names]
    mapper: Mapper
    bonus: Callable[[RawTable], float] | None = None

    def match(self, raw: RawTable, cols: _Columns) -> tuple[float, list[str]] | None:
        if not all(cols.has(group) for group in self.signature):
            return None
        present = [cols.has(names) for names in self.spec.values()]
        missing = [
            names[0].removeprefix("re:")
            for names, ok in zip(self.spec.values(), present, strict=True)
            if not ok
        ]
        score = 0.6 + 0.3 * (sum(present) / max(len(present), 1))
        if self.bonus is not None:
            score += self.bonus(raw)
        return min(score, 1.0), missing


@dataclass(frozen=True)
class Preset:
    """A known export layout of one vendor.

    Attributes
    ----------
    name : stable identifier (``"shopify_orders"``), stored as the import's source preset.
    label : what the user sees (``"Shopify – orders export"``).
    kind : one of :data:`clv.ingest.types.KINDS`.
    vendor : the product the export comes from (``"Shopify"``).
    """

    name: str
    label: str
    kind: str
    vendor: str
    _layouts: tuple[_Layout, ...] = field(default=(), repr=False, compare=False)

    def _best_layout(self, raw: RawTable) -> tuple[_Layout, float, list[str]] | None:
        cols = _Columns(raw.columns)
        best: tuple[_Layout, float, list[str]] | None = None
        for layout in self._layouts:
            m = layout.match(raw, cols)
            if m is not None and (best is None or m[0] > best[1]):
                best = (layout, m[0], m[1])
        return best


@dataclass
class PresetMatch:
    """A preset that recognises a table.

    Attributes
    ----------
    preset : the preset.
    score : 0..1, higher is a closer match (signature found, share of the preset's columns
        present, delimiter/preamble typical of the vendor).
    missing : source columns the preset would use that the file lacks (the fields they feed
        stay empty).
    """

    preset: Preset
    score: float
    missing: list[str]


# --------------------------------------------------------------------------------------------
# Orders


def _shopify_orders(raw: RawTable, layout: _Layout) -> MappedTable:
    values = _rename(raw, layout.spec)
    notes: list[str] = []
    cols = _Columns(raw.columns)
    attrs = cols.find(("Note Attributes",))
    if attrs is not None:
        # Checkout apps write "utm_source: facebook" lines there; Shopify's own Source only
        # says "web" for every online order, so the UTM source says more.
        attributes = _column(raw, attrs)
        filled = ~_is_blank(attributes)
        utm = pd.Series(None, index=attributes.index, dtype=object)
        # Most rows have no attributes (every continuation row): extract on the filled ones only.
        utm[filled] = (
            attributes[filled]
            .astype(str)
            .str.extract(r"(?im)^\s*utm[ _]?source\s*:\s*(\S[^\r\n]*?)\s*$", expand=False)
            .astype(object)
        )
        source = values.get("channel", _constant(raw, None))
        generic = _is_blank(source) | _clean_text(source).eq("web")
        use = generic & utm.notna()
        if use.any():
            values["channel"] = source.where(~use, utm)
            notes.append(
                msg_n(
                    "Channel taken from the UTM source in Note Attributes for {count} row.",
                    "Channel taken from the UTM source in Note Attributes for {count} rows.",
                    int(use.sum()),
                )
            )
    return _finish(raw, "orders", "shopify_orders", values, notes=notes, dayfirst=False)


_WOO_ITEM_KEYS = {
    "product_name": ("name", "item_name", "product_name"),
    "product_id": ("sku", "product_id", "item_product_id"),
    "quantity": ("quantity", "qty"),
    "line_amount": ("total", "item_total", "line_total"),
}


def _parse_woo_items(cells: list[str]) -> list[dict[str, str]]:
    """Line items packed as ``name:A|sku:X|quantity:2|total:9.90`` (items split by ``;``)."""
    items: list[dict[str, str]] = []
    for cell in cells:
        for chunk in cell.split(";"):
            pairs: dict[str, str] = {}
            for part in chunk.split("|"):
                key, sep, val = part.partition(":")
                if sep:
                    pairs.setdefault(key.strip().lower(), val.strip())
            item: dict[str, str] = {}
            for fname, keys in _WOO_ITEM_KEYS.items():
                for k in keys:
                    if pairs.get(k):
                        item[fname] = pairs[k]
                        break
            if item:
                items.append(item)
    return items


def _woo_expand_packed_items(mapped: MappedTable, raw: RawTable) -> MappedTable:
    """One row per line item from a ``line_items`` / ``line_item_N`` column."""
    cols = _Columns(raw.columns)
    packed = cols.find_all(("line_items", r"re:^line item \d+$"))
    if not packed:
        return mapped
    cells_per_row = raw.data[packed].reset_index(drop=True)
    rows: list[dict[str, object]] = []
    order_level = [c for c in mapped.data.columns if c not in _WOO_ITEM_KEYS]
    # Like Shopify's layout: the order's fields on its first line only, the key fields on all.
    repeated = [
        c for c in ("order_id", "ordered_at", "customer_email", "line_no") if c in order_level
    ]
    for i, record in enumerate(mapped.data.to_dict("records")):
        cells = [v for v in cells_per_row.iloc[i].tolist() if isinstance(v, str) and v.strip()]
        items = _parse_woo_items(cells)
        if not items:
            rows.append(record)
            continue
        for j, item in enumerate(items):
            row = dict(record) if j == 0 else {c: record[c] for c in repeated}
            row.update(item)
            rows.append(row)
    columns = [f for f in field_names("orders") if any(f in r for r in rows)] + ["line_no"]
    data = pd.DataFrame(
        {c: pd.Series([r.get(c) for r in rows], dtype=object) for c in columns if c != "line_no"}
    )
    data["line_no"] = pd.Series([r["line_no"] for r in rows], dtype="int64")
    mapped.data = data
    mapped.notes.append(msg("Line items unpacked from the line_items column: one row per item."))
    return mapped


def _woo_plugin(raw: RawTable, layout: _Layout) -> MappedTable:
    values = _rename(raw, layout.spec)
    ref = values.get("customer_ref")
    if ref is not None:
        # WooCommerce writes customer id 0 for guest checkouts: not a customer identity.
        guest = _clean_text(ref).eq("0")
        values["customer_ref"] = ref.where(~guest, None)
    mapped = _finish(raw, "orders", "woocommerce", values)
    has_items = any(f in mapped.data.columns for f in ("product_name", "product_id", "quantity"))
    if not has_items:
        mapped = _woo_expand_packed_items(mapped, raw)
    return mapped


def _woo_analytics(raw: RawTable, layout: _Layout) -> MappedTable:
    values = _rename(raw, layout.spec)
    notes = [
        msg(
            "WooCommerce Analytics gives net sales only (after refunds and coupons, without "
            "shipping and taxes): order totals are net sales."
        ),
        msg(
            "This export has no customer email or id: orders are counted as guest orders. "
            "Export orders with a customer export plugin to follow customers over time."
        ),
    ]
    return _finish(raw, "orders", "woocommerce", values, notes=notes)


def _stripe(raw: RawTable, layout: _Layout) -> MappedTable:
    values = _rename(raw, layout.spec)
    cols = _Columns(raw.columns)
    notes = [msg("Stripe dates are in UTC.")]
    mode_col = cols.find(("Mode",))
    if mode_col is not None:
        test = _clean_text(_column(raw, mode_col)).eq("test")
        if test.any():
            values["tags"] = _constant(raw, None).where(~test, "test")
            notes.append(
                msg_n(
                    "{count} payment in test mode marked as test orders.",
                    "{count} payments in test mode marked as test orders.",
                    int(test.sum()),
                )
            )
    keep = None
    order_id = values.get("order_id")
    if order_id is not None:
        # Payment intents that never produced a charge have no id: they are not payments.
        no_id = _is_blank(order_id)
        if no_id.any():
            keep = ~no_id
            notes.append(
                msg_n(
                    "{count} row without a payment id skipped "
                    "(checkout attempts that never created a charge).",
                    "{count} rows without a payment id skipped "
                    "(checkout attempts that never created a charge).",
                    int(no_id.sum()),
                )
            )
    return _finish(raw, "orders", "stripe_payments", values, keep=keep, notes=notes, timezone=None)


def _prestashop(raw: RawTable, layout: _Layout) -> MappedTable:
    values = _rename(raw, layout.spec)
    notes: list[str] = []
    if "customer_ref" not in values:
        notes.append(
            msg(
                "PrestaShop's order list has no customer email or id: orders are counted as "
                "guest orders; import the customers export too."
            )
        )
    return _finish(raw, "orders", "prestashop", values, notes=notes, french=True)


# --------------------------------------------------------------------------------------------
# Customers


def _shopify_customers(raw: RawTable, layout: _Layout) -> MappedTable:
    values = _rename(raw, layout.spec)
    return _finish(raw, "customers", "shopify_customers", values, dayfirst=False)


# --------------------------------------------------------------------------------------------
# Spend

_GOOGLE_DAY: Names = ("Day", "Date", "Jour", "Journée")
_GOOGLE_PERIOD: Names = (
    "Week",
    "Semaine",
    "Month",
    "Mois",
    "Quarter",
    "Trimestre",
    "Year",
    "Année",
)


def _preamble_has_date_range(raw: RawTable) -> float:
    for line in raw.preamble:
        text = _norm(line)
        if re.search(r"\b(19|20)\d\d\b", text) or "all time" in text or "toute la periode" in text:
            return 0.1
    return 0.05 if raw.preamble else 0.0


def _google_ads(raw: RawTable, layout: _Layout) -> MappedTable:
    cols = _Columns(raw.columns)
    values = _rename(raw, layout.spec)
    notes: list[str] = []
    if "spend_date" not in values:
        period = cols.find(_GOOGLE_PERIOD)
        if period is None:
            raise FileProblem(
                msg(
                    "This Google Ads report has no Day column, so its cost cannot be placed on "
                    "days. In Google Ads, open the report, add the segment Time > Day, and "
                    "download it again."
                )
            )
        values["spend_date"] = _column(raw, period)
        notes.append(
            msg(
                "The report is segmented by {period}, not by day: each period's cost is dated "
                "on its first day. Download it with the Day segment for daily spend.",
                period=period.lower(),
            )
        )
    values["channel"] = _constant(raw, "Google Ads")
    if "currency" not in values:
        notes.append(msg("No Currency code column: the store's currency is assumed."))
    first = _column(raw, raw.columns[0]) if raw.columns else _constant(raw, None)
    total = first.where(first.notna(), "").astype(str).str.strip().str.match(r"(?i)^total\s*:")
    keep = None
    if total.any():
        keep = ~total
        notes.append(
            msg_n("{count} Total row skipped.", "{count} Total rows skipped.", int(total.sum()))
        )
    return _finish(raw, "spend", "google_ads", values, keep=keep, notes=notes)


_META_SPENT = r"re:^(amount spent|montant depense)( \([a-z]{3}\))?$"
_META_STARTS: Names = ("Reporting starts", "Début des rapports")
_META_ENDS: Names = ("Reporting ends", "Fin des rapports")


def _meta_ads(raw: RawTable, layout: _Layout) -> MappedTable:
    cols = _Columns(raw.columns)
    values = _rename(raw, layout.spec)
    notes: list[str] = []
    spent = cols.find((_META_SPENT,))
    if spent is not None:
        m = re.search(r"\(([A-Za-z]{3})\)\s*$", spent)
        if m:
            values["currency"] = _constant(raw, m.group(1).upper())
        else:
            notes.append(
                msg("The Amount spent header names no currency: the store's currency is assumed.")
            )
    names = [_column(raw, c) for c in cols.find_all(layout.spec["campaign"])]
    unnamed = _is_blank(_coalesce(names)) if names else pd.Series(True, index=range(len(raw.data)))
    starts_col, ends_col = cols.find(_META_STARTS), cols.find(_META_ENDS)
    keep = pd.Series(True, index=range(len(raw.data)))
    if starts_col is not None and ends_col is not None:
        starts, ends = _column(raw, starts_col), _column(raw, ends_col)
        window = ~(_is_blank(starts) & _is_blank(ends)) & (
            starts.where(starts.notna(), "").astype(str).str.strip()
            != ends.where(ends.notna(), "").astype(str).str.strip()
        )
    else:
        starts, window = None, pd.Series(False, index=range(len(raw.data)))
    day_col = cols.find(layout.spec["spend_date"])
    # The optional summary row has no campaign name and covers the whole reporting window.
    summary = unnamed & (window | (_is_blank(_column(raw, day_col)) if day_col else False))
    if summary.any():
        keep &= ~summary
        notes.append(
            msg_n(
                "{count} summary row skipped.", "{count} summary rows skipped.", int(summary.sum())
            )
        )
    if day_col is None:
        if starts is None:
            raise FileProblem(
                msg(
                    "This Meta Ads export has no day column. In Ads Manager, choose Breakdown > "
                    "By time > Day, then export the table again."
                )
            )
        if (window & keep).any():
            raise FileProblem(
                msg(
                    "Each row of this Meta Ads export covers several days (Reporting starts "
                    "differs from Reporting ends), so the spend cannot be placed on days. In Ads "
                    'Manager, choose Breakdown > By time > Day ("By day") and export the table '
                    "again."
                )
            )
        values["spend_date"] = starts
    values["channel"] = _constant(raw, "Meta Ads")
    return _finish(raw, "spend", "meta_ads", values, keep=keep, notes=notes)


# --------------------------------------------------------------------------------------------
# NPS

_SCORE_VALUE = re.compile(r"^\s*(10|[0-9])(?:[.,]0+)?(?:\s*[-–:]\s*\D.*)?\s*$", re.S)
_STRONG_HINT = re.compile(r"\b(nps|recommend\w*|recommand\w*|likely|probab\w*|empfehl\w*)\b")
_WEAK_HINT = re.compile(r"\b(score|note|rating|notez?)\b")
_NPS_GROUP = re.compile(r"nps group$")


def _score_candidates(raw: RawTable, exclude: set[str]) -> list[str]:
    """Columns whose non-empty values are all whole numbers 0..10 (optionally with a label)."""
    found: list[str] = []
    for col in raw.columns:
        if col in exclude or _NPS_GROUP.search(_norm(col)):
            continue
        values = raw.data[col].dropna().astype(str).unique()
        values = [v for v in values if v.strip()]
        if values and all(_SCORE_VALUE.match(v) for v in values):
            found.append(col)
    return found


def _find_score_column(
    raw: RawTable, exclude: set[str], questions: dict[str, str] | None = None
) -> tuple[str | None, list[str]]:
    """The 0..10 score column: named like an NPS question, else the only 0..10 column.

    Returns the column (or ``None``) and all 0..10 candidates, for the error message.
    """
    candidates = _score_candidates(raw, exclude)
    questions = questions or {}

    def text(col: str) -> str:
        return _norm(col) + " " + _norm(questions.get(col, ""))

    for hint in (_STRONG_HINT, _WEAK_HINT):
        hinted = [c for c in candidates if hint.search(text(c))]
        if hinted:
            return hinted[0], candidates
    if len(candidates) == 1:
        return candidates[0], candidates
    return None, candidates


def _score_values(raw: RawTable, col: str) -> pd.Series:
    s = _column(raw, col)
    text = s.where(s.notna(), "").astype(str)
    if text.str.fullmatch(r"\s*\d*\s*").all():
        return s
    # "10 - Extremely likely": exports with answer labels; the number is the score.
    return text.str.extract(r"^\s*(10|[0-9])", expand=False).astype(object)


def _with_score(
    raw: RawTable,
    values: dict[str, pd.Series],
    exclude: set[str],
    vendor: str,
    questions: dict[str, str] | None = None,
) -> None:
    col, candidates = _find_score_column(raw, exclude, questions)
    if col is None and len(raw.data) == 0:
        # A survey without answers yet: nothing to find the score column by.
        values["score"] = pd.Series([], dtype=object)
        return
    if col is None:
        if candidates:
            raise FileProblem(
                msg(
                    "Several columns of this {vendor} export hold answers from 0 to 10 "
                    "({columns}): choose the recommendation score column in the column mapping.",
                    vendor=vendor,
                    columns=", ".join(candidates),
                )
            )
        raise FileProblem(
            msg(
                "No column of this {vendor} export holds scores from 0 to 10. Export the survey "
                "with numeric answer values, or choose the score column in the column mapping.",
                vendor=vendor,
            )
        )
    values["score"] = _score_values(raw, col)


def _find_email_column(raw: RawTable, exclude: set[str]) -> str | None:
    cols = _Columns([c for c in raw.columns if c not in exclude])
    exact = cols.find(_EMAIL_NAMES)
    if exact is not None:
        return exact
    for col, n in zip(cols.columns, cols.norm, strict=True):
        if re.search(r"\b(e ?mail|courriel)\b", n):
            values = raw.data[col].dropna().astype(str)
            values = values[values.str.strip() != ""]
            if len(values) and values.str.contains("@").mean() >= 0.5:
                return col
    return None


def _spec_columns(raw: RawTable, layout: _Layout) -> set[str]:
    cols = _Columns(raw.columns)
    used: set[str] = set()
    for names in (*layout.signature, *layout.spec.values()):
        used.update(cols.find_all(names))
    return used


_TYPEFORM_META: Names = (
    "#",
    "Response Type",
    "Start Date (UTC)",
    "Stage Date (UTC)",
    "Submit Date (UTC)",
    "Network ID",
    "Tags",
    "Ending",
)


def _typeform(raw: RawTable, layout: _Layout) -> MappedTable:
    values = _rename(raw, layout.spec)
    exclude = _spec_columns(raw, layout) | set(_Columns(raw.columns).find_all(_TYPEFORM_META))
    email = _find_email_column(raw, exclude)
    if email is not None:
        values["customer_email"] = _column(raw, email)
        exclude.add(email)
    _with_score(raw, values, exclude, "Typeform")
    return _finish(raw, "nps", "typeform", values, timezone=None)


_SURVEYMONKEY_META: Names = (
    "Respondent ID",
    "Collector ID",
    "Start Date",
    "End Date",
    "IP Address",
    "Email Address",
    "First Name",
    "Last Name",
    "re:^custom data \\d+$",
)


def _surveymonkey(raw: RawTable, layout: _Layout) -> MappedTable:
    values = _rename(raw, layout.spec)
    exclude = _spec_columns(raw, layout) | set(_Columns(raw.columns).find_all(_SURVEYMONKEY_META))
    questions: dict[str, str] = {}
    for row in raw.extra_header_rows:
        for col, cell in zip(raw.columns, row, strict=False):
            if cell:
                questions[col] = (questions.get(col, "") + " " + str(cell)).strip()
    _with_score(raw, values, exclude, "SurveyMonkey", questions)
    return _finish(raw, "nps", "surveymonkey", values)


_QUALTRICS_META: Names = (
    "StartDate",
    "EndDate",
    "Status",
    "IPAddress",
    "Progress",
    "Duration (in seconds)",
    "Finished",
    "RecordedDate",
    "ResponseId",
    "ResponseSet",
    "RecipientLastName",
    "RecipientFirstName",
    "RecipientEmail",
    "ExternalReference",
    "ExternalDataReference",
    "LocationLatitude",
    "LocationLongitude",
    "LocationAccuracy",
    "DistributionChannel",
    "UserLanguage",
    "Name",
    "EmailAddress",
)
# Qualtrics response types that are not real answers: previews, tests, spam.
_QUALTRICS_NOT_ANSWERS = {
    "1",
    "2",
    "8",
    "9",
    "12",
    "17",
    "survey preview",
    "survey test",
    "spam",
    "survey preview spam",
    "imported spam",
    "offline survey preview",
}


def _qualtrics_header_rows(raw: RawTable) -> tuple[list[list[str]], int]:
    """Header rows below the header, including any the reader left among the data rows."""
    rows = [list(r) for r in raw.extra_header_rows]
    start = _Columns(raw.columns).find(("StartDate",))
    skipped = 0
    for i in range(min(2, len(raw.data))):
        cells = ["" if v is None else str(v) for v in raw.data.iloc[i].tolist()]
        start_cell = "" if start is None else cells[raw.columns.index(start)]
        if any('"ImportId"' in c for c in cells) or (start and not re.search(r"\d", start_cell)):
            rows.append(cells)
            skipped = i + 1
        else:
            break
    return rows, skipped


def _qualtrics_timezone(raw: RawTable, rows: list[list[str]]) -> tuple[str | None, list[str]]:
    preferred = _Columns(raw.columns).find(("RecordedDate", "EndDate"))
    order = list(range(len(raw.columns)))
    if preferred is not None:
        idx = raw.columns.index(preferred)
        order.remove(idx)
        order.insert(0, idx)
    for row in rows:
        for i in order:
            cell = row[i] if i < len(row) else None
            if not cell or "timeZone" not in str(cell):
                continue
            try:
                zone = json.loads(cell).get("timeZone")
            except (ValueError, AttributeError):
                continue
            if not zone or zone.upper() in ("Z", "UTC", "GMT"):
                return None, []
            try:
                ZoneInfo(zone)
            except (ZoneInfoNotFoundError, ValueError):
                return None, [
                    msg(
                        "Unknown time zone {zone!r} in the Qualtrics header: dates taken as UTC.",
                        zone=zone,
                    )
                ]
            return zone, [msg("Qualtrics dates are in the account's time zone, {zone}.", zone=zone)]
    return None, []


def _qualtrics(raw: RawTable, layout: _Layout) -> MappedTable:
    rows, skipped = _qualtrics_header_rows(raw)
    questions: dict[str, str] = {}
    for row in rows:
        for col, cell in zip(raw.columns, row, strict=False):
            if cell and '"ImportId"' not in str(cell):
                questions.setdefault(col, str(cell))
    timezone, notes = _qualtrics_timezone(raw, rows)
    values = _rename(raw, layout.spec)
    exclude = _spec_columns(raw, layout) | set(_Columns(raw.columns).find_all(_QUALTRICS_META))
    data_part = raw if not skipped else _drop_head(raw, skipped)
    _with_score(data_part, values, exclude, "Qualtrics", questions)
    if skipped:
        values["score"] = pd.concat(
            [pd.Series([None] * skipped, dtype=object), values["score"]], ignore_index=True
        )
    keep = pd.Series(True, index=range(len(raw.data)))
    keep.iloc[:skipped] = False
    status_col = _Columns(raw.columns).find(("Status",))
    if status_col is not None:
        status = _clean_text(_column(raw, status_col))
        preview = status.isin(_QUALTRICS_NOT_ANSWERS) & keep
        if preview.any():
            keep &= ~preview
            notes.append(
                msg_n(
                    "{count} preview, test or spam response skipped (Qualtrics Status).",
                    "{count} preview, test or spam responses skipped (Qualtrics Status).",
                    int(preview.sum()),
                )
            )
    return _finish(raw, "nps", "qualtrics", values, keep=keep, notes=notes, timezone=timezone)


def _drop_head(raw: RawTable, n: int) -> RawTable:
    return RawTable(
        columns=raw.columns,
        data=raw.data.iloc[n:].reset_index(drop=True),
        line_numbers=raw.line_numbers[n:],
        file_format=raw.file_format,
        encoding=raw.encoding,
        delimiter=raw.delimiter,
    )


def _delighted(raw: RawTable, layout: _Layout) -> MappedTable:
    values = _rename(raw, layout.spec)
    notes: list[str] = []
    keep = None
    survey = _Columns(raw.columns).find(("Survey type", "survey_type"))
    if survey is not None:
        kind = _clean_text(_column(raw, survey))
        other = ~kind.isin(("", "nps"))
        if other.any():
            keep = ~other
            notes.append(
                msg_n(
                    "{count} CSAT/CES response skipped: only NPS answers are imported.",
                    "{count} CSAT/CES responses skipped: only NPS answers are imported.",
                    int(other.sum()),
                )
            )
    return _finish(raw, "nps", "delighted", values, keep=keep, notes=notes)


# --------------------------------------------------------------------------------------------
# Tickets


def _zendesk(raw: RawTable, layout: _Layout) -> MappedTable:
    values = _rename(raw, layout.spec)
    sat = values.get("satisfaction")
    if sat is not None:
        text = sat.where(sat.notna(), "").astype(str)
        # The API layout writes the rating as a dict literal: {'score': 'good', ...}.
        packed = text.str.extract(r"""['"]score['"]\s*:\s*['"]?([\w-]+)""", expand=False)
        text = text.where(packed.isna(), packed)
        # "offered"/"unoffered" say whether a survey was sent, not what the customer answered.
        unanswered = text.str.strip().str.lower().isin(("offered", "unoffered"))
        values["satisfaction"] = text.where(~unanswered, None).astype(object)
    return _finish(raw, "tickets", "zendesk", values)


def _simple(source: str, kind: str) -> Mapper:
    def mapper(raw: RawTable, layout: _Layout) -> MappedTable:
        return _finish(raw, kind, source, _rename(raw, layout.spec))

    return mapper


# --------------------------------------------------------------------------------------------
# The presets


def _semicolon(raw: RawTable) -> float:
    return 0.1 if raw.delimiter == ";" else 0.0


def _qualtrics_import_ids(raw: RawTable) -> float:
    rows, _ = _qualtrics_header_rows(raw)
    return 0.1 if any('"ImportId"' in str(c) for r in rows for c in r) else 0.0


PRESETS: tuple[Preset, ...] = (
    Preset(
        "shopify_orders",
        "Shopify – orders export",
        "orders",
        "Shopify",
        (
            _Layout(
                signature=(
                    ("Name",),
                    ("Created at",),
                    ("Total",),
                    ("Financial Status", "Lineitem name", "Lineitem quantity"),
                ),
                spec={
                    "order_id": ("Name",),
                    "ordered_at": ("Created at",),
                    "customer_email": ("Email",),
                    "total_amount": ("Total",),
                    "discount_amount": ("Discount Amount",),
                    "refunded_amount": ("Refunded Amount",),
                    "currency": ("Currency",),
                    "status": ("Financial Status",),
                    "cancelled_at": ("Cancelled at",),
                    "payment_method": ("Payment Method",),
                    "tags": ("Tags",),
                    "channel": ("Source",),
                    "country": ("Billing Country", "Shipping Country"),
                    "product_id": ("Lineitem sku",),
                    "product_name": ("Lineitem name",),
                    "quantity": ("Lineitem quantity",),
                    "unit_price": ("Lineitem price",),
                },
                mapper=_shopify_orders,
            ),
            # The reduced export: order totals and billing place only.
            _Layout(
                signature=(
                    ("Name",),
                    ("Created at",),
                    ("Total",),
                    ("Subtotal",),
                    ("Taxes",),
                    ("Shipping",),
                ),
                spec={
                    "order_id": ("Name",),
                    "ordered_at": ("Created at",),
                    "total_amount": ("Total",),
                    "country": ("Billing Country", "Shipping Country"),
                },
                mapper=_shopify_orders,
            ),
        ),
    ),
    Preset(
        "woocommerce",
        "WooCommerce – orders export",
        "orders",
        "WooCommerce",
        (
            _Layout(
                signature=(
                    ("order_number", "order_id", "Order Number", "Order ID"),
                    ("billing_email", "customer_email", "order_total", "Order Total Amount"),
                    ("order_date", "date", "Order Date", "date_created", "status", "Order Status"),
                ),
                spec={
                    "order_id": ("order_number", "order_id", "Order Number", "Order ID"),
                    "ordered_at": ("order_date", "date", "Order Date", "date_created"),
                    "customer_email": ("billing_email", "customer_email", "Billing Email Address"),
                    "customer_ref": ("customer_id", "customer_user", "Customer User ID"),
                    "total_amount": ("order_total", "Order Total Amount", "Order Total"),
                    "discount_amount": ("discount_total", "cart_discount", "Cart Discount Amount"),
                    "refunded_amount": ("refunded_total", "order_refund", "Order Refund Amount"),
                    "currency": ("order_currency", "currency", "Order Currency"),
                    "status": ("status", "order_status", "Order Status"),
                    "payment_method": (
                        "payment_method",
                        "payment_method_title",
                        "Payment Method Title",
                    ),
                    "channel": (
                        "meta:_wc_order_attribution_utm_source",
                        "meta:_wc_order_attribution_source_type",
                        "utm_source",
                    ),
                    "country": ("billing_country", "shipping_country", "Country Code (Billing)"),
                    "product_id": ("item_sku", "sku", "item_product_id", "product_id", "SKU"),
                    "product_name": ("item_name", "product_name", "Item Name"),
                    "quantity": ("item_quantity", "quantity", "qty", "Quantity"),
                    "unit_price": ("item_price", "Item Cost"),
                    "line_amount": ("item_total", "line_total", "Order Line Total"),
                },
                mapper=_woo_plugin,
            ),
            _Layout(
                signature=(
                    ("Order #", "Commande n°", "N° de commande", "N° commande"),
                    ("Net sales", "Ventes nettes"),
                ),
                spec={
                    "order_id": ("Order #", "Commande n°", "N° de commande", "N° commande"),
                    "ordered_at": ("Date",),
                    "total_amount": ("Net sales", "Ventes nettes"),
                    "net_amount": ("Net sales", "Ventes nettes"),
                    "status": ("Status", "Statut", "État"),
                    "channel": ("Origin", "Attribution", "Origine"),
                },
                mapper=_woo_analytics,
            ),
        ),
    ),
    Preset(
        "stripe_payments",
        "Stripe – payments export",
        "orders",
        "Stripe",
        (
            _Layout(
                signature=(
                    ("id",),
                    ("Created date (UTC)", "Created (UTC)"),
                    ("Amount",),
                    ("Amount Refunded",),
                ),
                spec={
                    "order_id": ("id",),
                    "ordered_at": ("Created date (UTC)", "Created (UTC)"),
                    "customer_email": ("Customer Email",),
                    "customer_ref": ("Customer ID",),
                    "total_amount": ("Amount",),
                    "refunded_amount": ("Amount Refunded",),
                    "currency": ("Currency",),
                    "status": ("Status",),
                    "payment_method": ("Payment Source Type",),
                    "channel": ("UTM Source",),
                    "country": ("Card Address Country", "Card Issue Country"),
                },
                mapper=_stripe,
            ),
        ),
    ),
    Preset(
        "prestashop",
        "PrestaShop – orders export",
        "orders",
        "PrestaShop",
        (
            _Layout(
                signature=(
                    ("ID",),
                    ("Référence", "Reference"),
                    ("Total",),
                    ("Date",),
                    ("Nouveau client", "New client"),
                ),
                spec={
                    "order_id": ("ID", "Référence", "Reference"),
                    "ordered_at": ("Date",),
                    "customer_ref": ("ID client", "Customer ID", "id_customer"),
                    "total_amount": ("Total",),
                    "payment_method": ("Paiement", "Payment"),
                    "status": ("État", "Statut", "Status"),
                    "country": ("Livraison", "Delivery"),
                },
                mapper=_prestashop,
                bonus=_semicolon,
            ),
        ),
    ),
    Preset(
        "shopify_customers",
        "Shopify – customers export",
        "customers",
        "Shopify",
        (
            _Layout(
                signature=(
                    ("First Name",),
                    ("Last Name",),
                    ("Email",),
                    ("Total Spent",),
                    ("Total Orders",),
                ),
                spec={
                    "customer_ref": ("Customer ID",),
                    "customer_email": ("Email",),
                    "consent_marketing": ("Accepts Email Marketing", "Accepts Marketing"),
                    "country": ("Default Address Country Code", "Country Code", "Country"),
                },
                mapper=_shopify_customers,
            ),
        ),
    ),
    Preset(
        "google_ads",
        "Google Ads – report download",
        "spend",
        "Google Ads",
        (
            _Layout(
                signature=(
                    ("Campaign", "Campagne"),
                    ("Cost", "Coût", "Coûts"),
                    (
                        "Currency code",
                        "Code de la devise",
                        "Code devise",
                        "Impr.",
                        "Interactions",
                        "Campaign status",
                        "État de la campagne",
                        "Avg. CPC",
                        "CPC moy.",
                        "Conv.",
                    ),
                ),
                spec={
                    "spend_date": _GOOGLE_DAY,
                    "campaign": ("Campaign", "Campagne"),
                    "spend_amount": ("Cost", "Coût", "Coûts"),
                    "currency": ("Currency code", "Code de la devise", "Code devise"),
                },
                mapper=_google_ads,
                bonus=_preamble_has_date_range,
            ),
        ),
    ),
    Preset(
        "meta_ads",
        "Meta Ads – Ads Manager export",
        "spend",
        "Meta",
        (
            _Layout(
                signature=(
                    (_META_SPENT,),
                    (*_META_STARTS, "Campaign name", "Nom de la campagne", "Day", "Jour"),
                ),
                spec={
                    "spend_date": ("Day", "Jour"),
                    "campaign": (
                        "Campaign name",
                        "Nom de la campagne",
                        "Ad set name",
                        "Nom de l'ensemble de publicités",
                        "Ad name",
                        "Nom de la publicité",
                    ),
                    "spend_amount": (_META_SPENT,),
                },
                mapper=_meta_ads,
            ),
        ),
    ),
    Preset(
        "typeform",
        "Typeform – responses download",
        "nps",
        "Typeform",
        (
            _Layout(
                signature=(("#",), ("Submit Date (UTC)",)),
                spec={
                    "response_id": ("#",),
                    "customer_ref": ("customer_id", "user_id", "customer_ref"),
                    "answered_at": ("Submit Date (UTC)",),
                },
                mapper=_typeform,
                bonus=lambda raw: 0.1 if raw.columns and raw.columns[0] == "#" else 0.0,
            ),
        ),
    ),
    Preset(
        "surveymonkey",
        "SurveyMonkey – responses export",
        "nps",
        "SurveyMonkey",
        (
            _Layout(
                signature=(("Respondent ID",), ("Collector ID",)),
                spec={
                    "response_id": ("Respondent ID",),
                    "customer_email": ("Email Address", "Email"),
                    "answered_at": ("End Date",),
                },
                mapper=_surveymonkey,
            ),
        ),
    ),
    Preset(
        "qualtrics",
        "Qualtrics – responses export",
        "nps",
        "Qualtrics",
        (
            _Layout(
                signature=(("StartDate",), ("EndDate",), ("ResponseId",)),
                spec={
                    "response_id": ("ResponseId",),
                    "customer_email": ("RecipientEmail", "EmailAddress"),
                    "customer_ref": ("ExternalReference", "ExternalDataReference"),
                    "answered_at": ("RecordedDate", "EndDate"),
                },
                mapper=_qualtrics,
                bonus=_qualtrics_import_ids,
            ),
        ),
    ),
    Preset(
        "delighted",
        "Delighted – responses export",
        "nps",
        "Delighted",
        (
            _Layout(
                signature=(
                    ("Score",),
                    ("Response ID", "id"),
                    ("Response timestamp", "Created at", "Response date"),
                ),
                spec={
                    "response_id": ("Response ID", "id"),
                    "customer_email": ("Email", "Person email", "person_email"),
                    "customer_ref": ("customer_id", "Customer ID", "Properties: customer_id"),
                    "answered_at": ("Response timestamp", "Created at", "Response date"),
                    "score": ("Score",),
                },
                mapper=_delighted,
            ),
        ),
    ),
    Preset(
        "zendesk",
        "Zendesk – tickets export",
        "tickets",
        "Zendesk",
        (
            _Layout(
                signature=(
                    ("Id",),
                    ("Requester email", "Requester id"),
                    ("Created at",),
                    ("Satisfaction Score", "Solved at", "Requester domain", "Via"),
                ),
                spec={
                    "ticket_id": ("Id",),
                    "customer_email": ("Requester email",),
                    "customer_ref": ("Requester id",),
                    "opened_at": ("Created at",),
                    "solved_at": ("Solved at",),
                    "status": ("Status",),
                    "satisfaction": ("Satisfaction Score",),
                },
                mapper=_zendesk,
            ),
            _Layout(
                signature=(
                    ("id",),
                    ("requester_id",),
                    ("created_at",),
                    ("via", "tags", "assignee_id", "organization_id", "subject"),
                ),
                spec={
                    "ticket_id": ("id",),
                    "customer_email": ("requester_email", "requester.email"),
                    "customer_ref": ("requester_id",),
                    "opened_at": ("created_at",),
                    "solved_at": ("solved_at",),
                    "status": ("status",),
                    "satisfaction": ("satisfaction_rating.score", "satisfaction_rating"),
                },
                mapper=_zendesk,
            ),
        ),
    ),
    Preset(
        "gorgias",
        "Gorgias – tickets export",
        "tickets",
        "Gorgias",
        (
            _Layout(
                signature=(
                    ("Ticket id", "id"),
                    ("Customer email", "customer.email"),
                    ("Created datetime", "Created", "created_datetime"),
                ),
                spec={
                    "ticket_id": ("Ticket id", "id"),
                    "customer_email": ("Customer email", "customer.email"),
                    "customer_ref": ("Customer id", "customer.id"),
                    "opened_at": ("Created datetime", "Created", "created_datetime"),
                    "solved_at": ("Closed datetime", "Closed", "closed_datetime"),
                    "status": ("Status",),
                    "satisfaction": ("Satisfaction score", "CSAT", "satisfaction_survey.score"),
                },
                mapper=_simple("gorgias", "tickets"),
            ),
        ),
    ),
    Preset(
        "freshdesk",
        "Freshdesk – tickets export",
        "tickets",
        "Freshdesk",
        (
            _Layout(
                signature=(
                    ("Ticket ID",),
                    ("Created time",),
                    ("Resolved time", "Closed time", "Due by Time"),
                ),
                spec={
                    "ticket_id": ("Ticket ID",),
                    "customer_email": ("Email",),
                    "customer_ref": ("Contact ID",),
                    "opened_at": ("Created time",),
                    "solved_at": ("Resolved time", "Closed time"),
                    "status": ("Status",),
                    "satisfaction": ("Survey results",),
                },
                mapper=_simple("freshdesk", "tickets"),
            ),
        ),
    ),
)


def get_preset(name: str) -> Preset:
    """The preset called ``name``.

    Raises
    ------
    ValueError
        If no preset has that name (the message lists the names).
    """
    for preset in PRESETS:
        if preset.name == name:
            return preset
    raise ValueError(
        msg(
            "No source preset is called {name!r}. Choose one of: {names}.",
            name=name,
            names=", ".join(p.name for p in PRESETS),
        )
    )


def recognise(raw: RawTable) -> list[PresetMatch]:
    """Presets whose signature matches the table, best first.

    Parameters
    ----------
    raw : a table from ``clv.ingest.reading``; its header, delimiter, preamble and extra header
        rows are looked at, not its data.

    Returns
    -------
    list of PresetMatch
        Empty when no preset knows the layout: the user then maps the columns
        (see :func:`suggest_mapping`).
    """
    matches: list[PresetMatch] = []
    for preset in PRESETS:
        best = preset._best_layout(raw)
        if best is not None:
            matches.append(PresetMatch(preset, round(best[1], 4), best[2]))
    order = {p.name: i for i, p in enumerate(PRESETS)}
    matches.sort(key=lambda m: (-m.score, order[m.preset.name]))
    return matches


def apply_preset(raw: RawTable, preset_name: str) -> MappedTable:
    """Map ``raw`` onto the input fields of the preset's kind.

    Parameters
    ----------
    raw : the table read from the export.
    preset_name : a name from :data:`PRESETS`.

    Returns
    -------
    MappedTable
        ``data`` holds a subset of ``field_names(preset.kind)`` plus ``line_no``, values as text;
        rows that are not records (previews, summary rows, charge-less payment attempts) are
        dropped with a note. Order exports with line items keep one row per line item.

    Raises
    ------
    ValueError
        Unknown preset name.
    FileProblem
        The file does not have the preset's layout, or lacks what the kind needs (a day
        column for ad spend, a score column for NPS).
    """
    preset = get_preset(preset_name)
    best = preset._best_layout(raw)
    if best is None:
        cols = _Columns(raw.columns)
        lacking = [g[0] for g in preset._layouts[0].signature if not cols.has(g)]
        raise FileProblem(
            msg(
                "This file does not look like a {label}: it has no {columns} column. "
                "Choose another source, or map the columns yourself.",
                label=preset.label,
                columns=", ".join(repr(c.removeprefix("re:")) for c in lacking),
            )
        )
    layout = best[0]
    mapped = layout.mapper(raw, layout)
    lacking_fields = [f for f in required_fields(preset.kind) if f not in mapped.data.columns]
    if lacking_fields:
        labels = [spec.label for spec in FIELDS[preset.kind] if spec.name in lacking_fields]
        raise FileProblem(
            msg(
                "This {label} has no column for {fields}. Export the file again "
                "with that column, or map the columns yourself.",
                label=preset.label,
                fields=", ".join(labels),
            )
        )
    return mapped


# --------------------------------------------------------------------------------------------
# Unknown layouts: guess the kind, suggest a mapping

_EMAIL_NAMES: Names = (
    "email",
    "e-mail",
    "courriel",
    "adresse e-mail",
    "adresse email",
    "adresse mail",
    "mail",
    "email address",
    "customer email",
    "customer e-mail",
    "client email",
    "email client",
    "e-mail client",
    "billing email",
    "contact email",
)
_CUSTOMER_REF_NAMES: Names = (
    "customer id",
    "id client",
    "client id",
    "n° client",
    "numéro client",
    "numéro de client",
    "customer number",
    "customer ref",
    "customer reference",
    "référence client",
    "id customer",
    "user id",
    "code client",
)
_CURRENCY_NAMES: Names = (
    "currency",
    "devise",
    "monnaie",
    "currency code",
    "code devise",
    "code de la devise",
)
_COUNTRY_NAMES: Names = (
    "country",
    "pays",
    "country code",
    "code pays",
    "billing country",
    "shipping country",
    "pays de livraison",
    "pays de facturation",
)

_SYNONYMS: dict[str, dict[str, Names]] = {
    "orders": {
        "order_id": (
            "order id",
            "order number",
            "order",
            "order #",
            "order no",
            "order ref",
            "order reference",
            "commande",
            "n° de commande",
            "n° commande",
            "numéro de commande",
            "numéro commande",
            "id commande",
            "commande n°",
            "référence",
            "référence commande",
            "reference",
            "id",
        ),
        "ordered_at": (
            "date",
            "order date",
            "created at",
            "date de commande",
            "date commande",
            "created",
            "created date",
            "date de création",
            "purchase date",
            "date d'achat",
            "placed at",
            "datetime",
        ),
        "customer_email": _EMAIL_NAMES,
        "customer_ref": _CUSTOMER_REF_NAMES,
        "total_amount": (
            "total",
            "amount",
            "montant",
            "montant ttc",
            "total ttc",
            "revenue",
            "chiffre d'affaires",
            "order total",
            "grand total",
            "total paid",
            "total payé",
            "montant total",
            "total amount",
            "prix total",
            "montant de la commande",
            "sales",
            "ventes",
            "gross sales",
        ),
        "discount_amount": (
            "discount",
            "discount amount",
            "discount total",
            "total discount",
            "remise",
            "réduction",
            "montant remise",
            "montant de la remise",
            "rabais",
        ),
        "refunded_amount": (
            "refunded",
            "refunded amount",
            "amount refunded",
            "refund",
            "refund amount",
            "refunded total",
            "remboursé",
            "montant remboursé",
            "remboursement",
            "total remboursé",
        ),
        "net_amount": (
            "net",
            "net amount",
            "net sales",
            "net revenue",
            "montant net",
            "ventes nettes",
            "chiffre d'affaires net",
        ),
        "cost_amount": (
            "cost",
            "cost of goods",
            "cogs",
            "product cost",
            "purchase cost",
            "coût",
            "coût d'achat",
            "prix d'achat",
            "coût de revient",
        ),
        "currency": (*_CURRENCY_NAMES, "order currency"),
        "status": (
            "status",
            "statut",
            "état",
            "order status",
            "financial status",
            "payment status",
            "statut de la commande",
            "état de la commande",
            "statut paiement",
        ),
        "cancelled_at": (
            "cancelled at",
            "canceled at",
            "cancelled",
            "cancellation date",
            "date d'annulation",
            "annulée le",
        ),
        "payment_method": (
            "payment method",
            "payment",
            "paiement",
            "moyen de paiement",
            "mode de paiement",
            "méthode de paiement",
            "gateway",
            "payment gateway",
        ),
        "tags": ("tags", "tag", "étiquettes", "labels", "libellés"),
        "channel": (
            "channel",
            "canal",
            "source",
            "sales channel",
            "canal de vente",
            "utm source",
            "origin",
            "origine",
            "attribution",
            "marketing channel",
            "source de trafic",
            "referrer",
        ),
        "country": _COUNTRY_NAMES,
        "product_id": (
            "sku",
            "product id",
            "id produit",
            "référence produit",
            "ref produit",
            "product sku",
            "item sku",
            "lineitem sku",
            "code article",
            "référence article",
            "ean",
        ),
        "product_name": (
            "product",
            "product name",
            "produit",
            "nom du produit",
            "nom produit",
            "item name",
            "item",
            "article",
            "désignation",
            "libellé produit",
            "lineitem name",
            "product title",
        ),
        "quantity": (
            "quantity",
            "qty",
            "quantité",
            "qté",
            "item quantity",
            "lineitem quantity",
            "nombre d'articles",
        ),
        "unit_price": (
            "unit price",
            "price",
            "prix",
            "prix unitaire",
            "prix unitaire ttc",
            "item price",
            "lineitem price",
        ),
        "line_amount": (
            "line total",
            "line amount",
            "item total",
            "total ligne",
            "montant ligne",
            "montant de la ligne",
            "line subtotal",
        ),
    },
    "customers": {
        "customer_email": _EMAIL_NAMES,
        "customer_ref": (*_CUSTOMER_REF_NAMES, "id"),
        "first_seen_at": (
            "created at",
            "created",
            "first seen",
            "first order date",
            "signup date",
            "registration date",
            "customer since",
            "date de création",
            "date d'inscription",
            "date inscription",
            "client depuis",
            "date de première commande",
            "date",
        ),
        "acquisition_channel": (
            "acquisition channel",
            "canal d'acquisition",
            "acquisition source",
            "source",
            "channel",
            "canal",
            "utm source",
            "origine",
            "referrer",
        ),
        "country": (*_COUNTRY_NAMES, "default address country code"),
        "consent_analytics": (
            "consent analytics",
            "analytics consent",
            "consentement analytique",
            "consentement statistiques",
        ),
        "consent_marketing": (
            "accepts marketing",
            "accepts email marketing",
            "marketing consent",
            "email marketing consent",
            "newsletter",
            "opt in",
            "optin",
            "consentement marketing",
            "accepte le marketing",
            "abonné newsletter",
            "inscrit newsletter",
        ),
    },
    "spend": {
        "spend_date": (
            "date",
            "day",
            "jour",
            "spend date",
            "date de dépense",
            "reporting starts",
            "début des rapports",
        ),
        "channel": (
            "channel",
            "canal",
            "platform",
            "plateforme",
            "source",
            "network",
            "réseau",
            "régie",
            "media",
        ),
        "campaign": ("campaign", "campagne", "campaign name", "nom de la campagne"),
        "spend_amount": (
            "spend",
            "cost",
            "coût",
            "coûts",
            "dépense",
            "dépenses",
            "amount spent",
            "montant dépensé",
            "ad spend",
            "spend amount",
            "spent",
            "amount",
            "montant",
        ),
        "currency": _CURRENCY_NAMES,
    },
    "nps": {
        "response_id": (
            "response id",
            "respondent id",
            "id",
            "#",
            "id réponse",
            "id de la réponse",
            "token",
            "responseid",
        ),
        "customer_email": (*_EMAIL_NAMES, "respondent email", "recipient email", "person email"),
        "customer_ref": (*_CUSTOMER_REF_NAMES, "external reference"),
        "answered_at": (
            "date",
            "answered at",
            "submitted at",
            "submit date",
            "submit date (utc)",
            "response date",
            "response timestamp",
            "date de réponse",
            "date de soumission",
            "horodatage",
            "created at",
            "end date",
            "recorded date",
            "recordeddate",
            "timestamp",
        ),
        "score": (
            "score",
            "nps",
            "nps score",
            "score nps",
            "note",
            "note nps",
            "rating",
            "likelihood to recommend",
            "probabilité de recommander",
        ),
    },
    "tickets": {
        "ticket_id": (
            "ticket id",
            "ticket",
            "id",
            "ticket number",
            "ticket #",
            "ticket no",
            "n° ticket",
            "numéro de ticket",
            "id ticket",
        ),
        "customer_email": (*_EMAIL_NAMES, "requester email", "email du demandeur"),
        "customer_ref": ("requester id", "customer id", "contact id", "id demandeur", "id client"),
        "opened_at": (
            "created at",
            "created",
            "created time",
            "created datetime",
            "opened at",
            "creation date",
            "date de création",
            "date d'ouverture",
            "ouvert le",
            "créé le",
            "date",
        ),
        "solved_at": (
            "solved at",
            "resolved at",
            "resolved time",
            "closed at",
            "closed",
            "closed time",
            "closed datetime",
            "solved",
            "resolved",
            "date de résolution",
            "résolu le",
            "fermé le",
            "date de clôture",
        ),
        "status": ("status", "statut", "état", "ticket status"),
        "satisfaction": (
            "satisfaction",
            "satisfaction score",
            "satisfaction rating",
            "csat",
            "survey results",
            "note de satisfaction",
            "score de satisfaction",
            "rating",
            "note",
        ),
    },
}

# Words that may sit beside a synonym in a header without changing its meaning
# ("Montant TTC (EUR)", "Order Date (UTC)"); any other word blocks a partial match
# ("Discount Code" is not a discount amount).
_QUALIFIER_WORDS = (
    "ttc ht utc gmt local incl tax taxes tva in en de du la le des the of at on total net brut "
    "gross amount montant value valeur date time heure datetime s eur usd gbp chf cad aud jpy "
    "sek nok dkk pln inr brl mxn € $ £"
)
_QUALIFIERS = frozenset(_QUALIFIER_WORDS.split())


def _partial_match(header: str, synonym: str) -> bool:
    m = re.search(rf"(?<![\w#]){re.escape(synonym)}(?![\w#])", header)
    if m is None or len(synonym) < 3:
        return False
    rest = (header[: m.start()] + " " + header[m.end() :]).replace("(", " ").replace(")", " ")
    return all(word.strip(".:[]") in _QUALIFIERS for word in rest.split() if word.strip(".:[]"))


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise ValueError(
            msg("Unknown kind {kind!r}: choose one of {kinds}.", kind=kind, kinds=", ".join(KINDS))
        )


def suggest_mapping(raw: RawTable, kind: str) -> dict[str, str]:
    """Guess which column feeds each input field of ``kind`` from header words.

    Header names are compared without case or accents against English and French synonyms
    (``order_id`` <- ``Order number``, ``N° de commande``, ...). An exact name wins over a
    partial one (``Montant TTC (EUR)``); each source column is used at most once. For NPS, a
    score column not found by name is looked for by content (values all 0..10).

    Parameters
    ----------
    raw : the table read from the export.
    kind : one of :data:`clv.ingest.types.KINDS`.

    Returns
    -------
    dict
        field name -> source column name, only for the fields a column was found for.
    """
    _check_kind(kind)
    headers = [(col, _norm(col)) for col in raw.columns]
    candidates: list[tuple[tuple[int, int, int, int, int], str, str]] = []
    for fi, fname in enumerate(field_names(kind)):
        for si, synonym in enumerate(_SYNONYMS[kind].get(fname, ())):
            ns = _norm(synonym)
            for ci, (col, nc) in enumerate(headers):
                if nc == ns:
                    candidates.append(((0, si, fi, ci, 0), fname, col))
                elif _partial_match(nc, ns):
                    # Longer synonyms are more specific: "montant remboursé" beats "montant".
                    candidates.append(((1, -len(ns), si, fi, ci), fname, col))
    candidates.sort(key=lambda c: c[0])
    mapping: dict[str, str] = {}
    used: set[str] = set()
    for _, fname, col in candidates:
        if fname not in mapping and col not in used:
            mapping[fname] = col
            used.add(col)
    if kind == "nps" and "score" not in mapping:
        col, _ = _find_score_column(raw, used)
        if col is not None:
            mapping["score"] = col
    return {f: mapping[f] for f in field_names(kind) if f in mapping}


def guess_kind(raw: RawTable) -> str | None:
    """The kind of data a table most likely holds, from its header.

    A recognised preset decides; otherwise header words (English and French): a ticket column
    -> tickets; an order number and an amount -> orders; spend or cost (and no email) ->
    spend; a recommendation question or score -> nps; an email or customer id -> customers.

    Parameters
    ----------
    raw : the table read from the export.

    Returns
    -------
    str or None
        One of :data:`clv.ingest.types.KINDS`, or ``None`` when the header says nothing
        (the user then picks the kind).
    """
    matches = recognise(raw)
    if matches:
        return matches[0].preset.kind
    heads = [_norm(c) for c in raw.columns]

    def any_head(pattern: str) -> bool:
        return any(re.search(pattern, h) for h in heads)

    if any_head(r"\btickets?\b"):
        return "tickets"
    orders = suggest_mapping(raw, "orders")
    order_word = any_head(r"\b(order|commande)\b") or "order_id" in orders
    if order_word and "total_amount" in orders:
        return "orders"
    # Ad-spend reports never carry emails; a customers export may ("Total Spent").
    has_email = any(h in {_norm(n) for n in _EMAIL_NAMES} or "email" in h for h in heads)
    if any_head(r"\b(spend|spent|cost|couts?|depenses?)\b") and not has_email:
        return "spend"
    if any_head(r"\b(nps|recommend\w*|recommand\w*|likely)\b") or any_head(r"^(score|note)\b"):
        return "nps"
    if order_word and "ordered_at" in orders:
        return "orders"
    customers = suggest_mapping(raw, "customers")
    if "customer_email" in customers or "customer_ref" in customers:
        return "customers"
    return None


def apply_mapping(
    raw: RawTable, kind: str, mapping: dict[str, str], *, source: str = "custom"
) -> MappedTable:
    """Map ``raw`` with a user's column mapping.

    Parameters
    ----------
    raw : the table read from the export.
    kind : one of :data:`clv.ingest.types.KINDS`.
    mapping : field name -> source column name; fields mapped to ``None`` or ``""`` are skipped.
    source : recorded as the import's source (``"custom"`` by default).

    Returns
    -------
    MappedTable
        ``data`` columns: the mapped fields (in :data:`FIELDS` order) plus ``line_no``.

    Raises
    ------
    ValueError
        Unknown kind or field, a source column the file does not have, or a required field
        left without a column (the message names it and says to pick a column).
    """
    _check_kind(kind)
    mapping = {f: c for f, c in mapping.items() if c}
    known = field_names(kind)
    unknown_fields = [f for f in mapping if f not in known]
    if unknown_fields:
        raise ValueError(
            msg_n(
                "{fields} is not a field of {kind}; the fields are: {known}.",
                "{fields} are not a field of {kind}; the fields are: {known}.",
                len(unknown_fields),
                fields=", ".join(map(repr, unknown_fields)),
                kind=KIND_WORDS[kind],
                known=", ".join(known),
            )
        )
    unknown_cols = [c for c in mapping.values() if c not in raw.columns]
    if unknown_cols:
        raise ValueError(
            msg(
                "The file has no column {missing}. Pick one of its columns: {columns}.",
                missing=", ".join(map(repr, unknown_cols)),
                columns=", ".join(raw.columns),
            )
        )
    lacking = [spec for spec in FIELDS[kind] if spec.required and spec.name not in mapping]
    if lacking:
        names = ", ".join(f"{spec.label} ({spec.name})" for spec in lacking)
        raise ValueError(
            msg_n(
                "Pick the column that holds {fields}: {kind} cannot be imported without it.",
                "Pick the column that holds {fields}: {kind} cannot be imported without them.",
                len(lacking),
                fields=names,
                kind=KIND_WORDS[kind],
            )
        )
    values = {f: _column(raw, c) for f, c in mapping.items()}
    return _finish(raw, kind, source, values)


# --------------------------------------------------------------------------------------------
# Header signature and language


def header_signature(columns: list[str]) -> str:
    """A stable key for a header, to reuse a saved column mapping on the next file.

    Parameters
    ----------
    columns : header names, in file order.

    Returns
    -------
    str
        SHA-256 hex digest (64 characters) of the names lower-cased and stripped (Unicode
        NFC), order kept, joined by a separator no header contains.
    """
    normalised = [unicodedata.normalize("NFC", str(c)).strip().lower() for c in columns]
    return hashlib.sha256("\x1f".join(normalised).encode("utf-8")).hexdigest()


_FRENCH_WORDS = re.compile(
    r"\b(commande|montant|date de|devise|quantite|statut|courriel|ventes|campagne|jour|debut|"
    r"prix|pays|remise|paiement|livraison|nom de)\b"
)
_DECIMAL_COMMA = re.compile(r"^-?\d{1,3}(?:[ \u00a0\u202f.]\d{3})*,\d{2}\s?(?:€|eur)?$", re.I)
_DECIMAL_POINT = re.compile(r"^-?\d+\.\d{2}$")


def looks_french(raw: RawTable) -> bool:
    """Whether a table looks like a French-locale export.

    Parameters
    ----------
    raw : the table read from the export (header, delimiter, encoding, first 200 rows).

    Returns
    -------
    bool
        True for a ``;`` delimiter, French header words (accented letters, ``commande``,
        ``montant``, ``date de``, ...), cp1252 text with accented headers, or amounts written
        with a decimal comma (``59,90``) and none with a decimal point. Such files default to
        day-first dates (:attr:`MappedTable.french`).
    """
    if raw.delimiter == ";":
        return True
    lowered = [str(c).lower() for c in raw.columns]
    if any(ch in h for h in lowered for ch in "éèêàç"):
        return True
    if any(_FRENCH_WORDS.search(_norm(c)) for c in raw.columns):
        return True
    if raw.encoding == "cp1252" and any(not c.isascii() for c in raw.columns):
        return True
    sample = raw.data.head(200)
    commas = points = 0
    for col in sample.columns:
        for v in sample[col].dropna().astype(str):
            v = v.strip()
            if _DECIMAL_COMMA.match(v):
                commas += 1
            elif _DECIMAL_POINT.match(v):
                points += 1
    return commas > 0 and points == 0

"""From mapped text to typed canonical tables, with every rejected row explained.

Input: a :class:`~clv.ingest.types.MappedTable` (text values named after the input
fields of one kind). Output: :class:`Normalized`, the typed frames of the store tables
(see ``clv.store``) and the rejected rows with their source line and a reason.

Emails are replaced by pseudonyms here, before anything else sees them: the frames
that leave this module carry ``customer_id`` pseudonyms, never an email.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from clv.compliance.privacy import pseudonymize_series, redact_emails
from clv.i18n.messages import msg
from clv.ingest import parsing
from clv.ingest.types import MappedTable

# The shop's own words for an order status -> canonical status. Compared after
# lower-casing, removing accents and collapsing separators (so "Paiement accepté",
# "paiement-accepte" and "PAIEMENT ACCEPTE" agree).
STATUS_WORDS: dict[str, str] = {
    # paid: money was taken (fulfilled or not)
    "paid": "paid", "completed": "paid", "complete": "paid", "processing": "paid",
    "succeeded": "paid", "success": "paid", "shipped": "paid", "delivered": "paid",
    "fulfilled": "paid", "partially refunded": "paid", "partially paid": "paid",
    "paiement accepte": "paid", "livre": "paid", "expedie": "paid", "en cours de preparation": "paid",
    "en cours de livraison": "paid", "termine": "paid", "terminee": "paid", "payee": "paid",
    "paye": "paid", "remboursement partiel": "paid", "wc completed": "paid", "wc processing": "paid",
    "captured": "paid", "settled": "paid",
    # pending: not (yet) paid
    "pending": "pending", "authorized": "pending", "on hold": "pending", "pending payment": "pending",
    "en attente": "pending", "en attente de paiement": "pending", "en attente du paiement par cheque": "pending",
    "en attente de virement bancaire": "pending", "en attente de paiement a la livraison": "pending",
    "requires payment method": "pending", "requires action": "pending", "incomplete": "pending",
    "wc pending": "pending", "wc on hold": "pending", "uncaptured": "pending",
    # cancelled: no money kept
    "cancelled": "cancelled", "canceled": "cancelled", "voided": "cancelled", "void": "cancelled",
    "failed": "cancelled", "expired": "cancelled", "declined": "cancelled", "annule": "cancelled",
    "annulee": "cancelled", "erreur de paiement": "cancelled", "echec": "cancelled",
    "wc cancelled": "cancelled", "wc failed": "cancelled", "trash": "cancelled",
    # refunded: the whole order was paid back
    "refunded": "refunded", "rembourse": "refunded", "remboursee": "refunded", "wc refunded": "refunded",
    # test orders
    "test": "test",
}  # fmt: skip

TEST_PAYMENT_WORDS = ("bogus", "test gateway", "for testing")
ORDER_LEVEL_FIELDS = (
    "ordered_at", "customer_email", "customer_ref", "total_amount", "discount_amount",
    "refunded_amount", "net_amount", "cost_amount", "currency", "status", "cancelled_at",
    "payment_method", "tags", "channel", "country",
)  # fmt: skip
LINE_FIELDS = ("product_id", "product_name", "quantity", "unit_price", "line_amount")


@dataclass
class Normalized:
    """Typed tables ready for ``clv.store.upsert_table`` and what was rejected.

    Attributes
    ----------
    tables : store table name -> frame with that table's columns (no ``import_id``).
    rejected : columns ``line_no`` (int), ``reason`` (str), ``raw_line`` (str, with
        emails replaced by pseudonyms).
    rows_read : data rows in the mapped table.
    notes : what the user should know (assumed date order, unknown statuses, ...).
    """

    tables: dict[str, pd.DataFrame]
    rejected: pd.DataFrame
    rows_read: int
    notes: list[str] = field(default_factory=list)


class _Rejects:
    """Collects rejected rows: the first reason given for a line wins."""

    def __init__(self, data: pd.DataFrame, key: bytes) -> None:
        self._data = data
        self._key = key
        self.reason = pd.Series(None, index=data.index, dtype="object")

    def add(self, mask: pd.Series, reason: str | pd.Series) -> None:
        mask = mask.fillna(False).astype(bool) & self.reason.isna()
        if not mask.any():
            return
        if isinstance(reason, pd.Series):
            self.reason[mask] = reason[mask]
        else:
            self.reason[mask] = reason

    @property
    def mask(self) -> pd.Series:
        return self.reason.notna()

    def frame(self) -> pd.DataFrame:
        return rejected_frame(self._data[self.mask], self.reason[self.mask], self._key)


def rejected_frame(bad: pd.DataFrame, reasons: pd.Series, key: bytes) -> pd.DataFrame:
    """The rejected rows as stored: line number, reason and an excerpt of the mapped
    fields (``field=value; ...``) in which every email is replaced by its pseudonym.

    ``bad`` holds the mapped fields of the rejected rows and their ``line_no``;
    ``reasons`` one reason per row of ``bad``, in the same order.
    """
    if bad.empty:
        return pd.DataFrame({"line_no": pd.Series(dtype="int64"), "reason": [], "raw_line": []})
    fields = [c for c in bad.columns if c != "line_no"]
    bad = bad.copy()
    if "customer_email" in bad.columns:
        bad["customer_email"] = pseudonymize_series(bad["customer_email"], key)
    raw = bad[fields].apply(
        lambda row: "; ".join(f"{k}={v}" for k, v in row.items() if v is not None and v == v),
        axis=1,
    )
    raw = raw.map(lambda text: redact_emails(text, key)[:500])
    return pd.DataFrame(
        {
            "line_no": bad["line_no"].astype("int64").to_numpy(),
            "reason": np.asarray(reasons, dtype=object),
            "raw_line": raw.to_numpy(),
        }
    )


def per_distinct(values: pd.Series, func: Callable[[str], object]) -> pd.Series:
    """``func`` of every text cell (``None`` stays ``None``), computed once per distinct
    text: exports repeat the same few words (statuses, currencies, tags) on every row."""
    codes, uniques = pd.factorize(pd.Series(values, copy=False).astype(object))
    results = np.empty(len(uniques) + 1, dtype=object)
    results[:-1] = [func(u) if isinstance(u, str) else None for u in uniques]
    results[-1] = None
    return pd.Series(results[codes], index=pd.Series(values, copy=False).index, dtype=object)


def _count(mask: pd.Series, weights: pd.Series | None) -> int:
    """Rows flagged by ``mask``; with ``weights``, each row counts for its weight."""
    if weights is None:
        return int(mask.sum())
    return int(np.asarray(weights)[np.asarray(mask, dtype=bool)].sum())


def _fold_or_none(value: object) -> str | None:
    """:func:`_fold` of a cell, ``None`` for an empty or missing one (None or NaN)."""
    return _fold(value) if isinstance(value, str) and value else None


def _fold(text: str) -> str:
    """Lower case, no accents, separators collapsed: for matching the shop's words."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    for sep in ("-", "_", "/", ".", ":"):
        text = text.replace(sep, " ")
    return " ".join(text.split())


# Identifiers are taken as written: "NULL" or "-" may be a real order number, while in
# other fields such placeholders mean "no value".
ID_FIELDS = frozenset({"order_id", "customer_ref", "response_id", "ticket_id", "product_id"})


def _col(data: pd.DataFrame, name: str) -> pd.Series:
    """A mapped column as text (``None`` where empty), or all ``None`` if unmapped."""
    if name not in data.columns:
        return pd.Series(None, index=data.index, dtype="object")
    if name in ID_FIELDS:
        values = per_distinct(data[name], lambda v: v.strip() or None)
        return values.where(values.notna(), None).astype("object")
    return parsing.strip_text(data[name])


def _namespaced(source: str, values: pd.Series) -> pd.Series:
    # A missing value may come as None or NaN (pandas fills object columns with NaN): it
    # stays missing, never "source:nan".
    present = values.notna().to_numpy()
    out = np.full(len(values), None, dtype=object)
    if present.any():
        out[present] = (source + ":" + values[present].astype(str)).to_numpy(dtype=object)
    return pd.Series(out, index=values.index, dtype=object)


def _customer_ids(data: pd.DataFrame, source: str, key: bytes) -> tuple[pd.Series, pd.Series]:
    """``customer_id`` (pseudonym of the email, else the shop's id namespaced by source)
    and the shop's own id (kept so lists can be acted on in the shop's tools)."""
    emails = _col(data, "customer_email")
    refs = _col(data, "customer_ref")
    from_email = pseudonymize_series(emails, key)
    ids = from_email.where(from_email.notna(), _namespaced(source, refs))
    return ids.astype("object"), refs


def _dates(
    values: pd.Series,
    label: str,
    mapped: MappedTable,
    dayfirst: bool | None,
    notes: list[str],
    weights: np.ndarray | None = None,
) -> parsing.DateParse:
    chosen = dayfirst if dayfirst is not None else mapped.dayfirst
    parsed = parsing.parse_dates(
        values,
        dayfirst=chosen,
        default_dayfirst=mapped.french,
        timezone=mapped.timezone,
        weights=weights,
    )
    if parsed.ambiguous and values.notna().any():
        way = (
            msg("day/month (05/01 = 5 January)")
            if parsed.assumed_dayfirst
            else msg("month/day (05/01 = May 1)")
        )
        why = (
            msg("as you chose")
            if chosen is not None
            else (
                msg("because the file looks French")
                if mapped.french
                else msg("because the file does not look French")
            )
        )
        notes.append(
            msg(
                "{label}: no value tells day from month (all days are 12 or less); read as "
                "{way} {why}. If that is wrong, choose the other order and import again.",
                label=label,
                way=way,
                why=why,
            )
        )
    return parsed


def _amount(values: pd.Series) -> parsing.AmountParse:
    return parsing.parse_amount(values)


def _stable_id(*parts: pd.Series) -> pd.Series:
    """A short hash of several columns: an id for rows whose export has none."""
    joined = parts[0].astype("string").fillna("")
    for part in parts[1:]:
        joined = joined + "|" + part.astype("string").fillna("")
    return joined.map(lambda s: hashlib.sha256(s.encode("utf-8")).hexdigest()[:20]).astype("object")


def _status(data: pd.DataFrame, notes: list[str], weights: pd.Series | None = None) -> pd.Series:
    """Canonical status of each row, from its status word, cancellation date, payment
    method and tags. ``weights`` (rows each row of ``data`` stands for) make the counts
    in the notes count rows when ``data`` holds distinct combinations."""
    raw = _col(data, "status")
    folded = per_distinct(raw, _fold)
    status = per_distinct(folded, STATUS_WORDS.get)
    unknown = folded.notna() & status.isna()
    if unknown.any():
        words = sorted(raw[unknown].unique())[:8]
        notes.append(
            msg(
                "{count} order(s) have a status this app does not know ({words}); "
                "they are counted as paid.",
                count=_count(unknown, weights),
                words=", ".join(map(repr, words)),
            )
        )
    status = status.where(status.notna(), "paid")
    cancelled = _col(data, "cancelled_at").notna()
    status = status.mask(cancelled & status.isin(["paid", "pending"]), "cancelled")
    test_payment = per_distinct(
        _col(data, "payment_method"), lambda v: any(w in _fold(v) for w in TEST_PAYMENT_WORDS)
    )
    test_tag = per_distinct(
        _col(data, "tags"), lambda v: "test" in _fold(v).replace(",", " ").split()
    )
    is_test = (test_payment.eq(True) | test_tag.eq(True)).astype(bool)
    if is_test.any():
        notes.append(
            msg(
                "{count} test order(s) (test gateway or 'test' tag) kept apart.",
                count=_count(is_test, weights),
            )
        )
    return status.mask(is_test, "test").astype("object")


def normalize_orders(
    mapped: MappedTable, key: bytes, *, dayfirst: bool | None = None
) -> Normalized:
    """Orders (and their line items) from a mapped orders table.

    Rows sharing an ``order_id`` are the line items of one order; order-level fields are
    taken from the first non-empty value within the order (Shopify fills them on the first
    row only). Without an ``order_id`` each row is one order, identified by a hash of its
    customer, date and amount.

    Returns
    -------
    Normalized with tables ``orders`` (columns of the store's ``orders``) and, when the
    file has line items, ``order_lines``.
    """
    data = mapped.data.reset_index(drop=True)
    notes: list[str] = []
    rejects = _Rejects(data, key)
    source = mapped.source
    order_key = _col(data, "order_id")
    if "order_id" not in data.columns:
        nth = data.groupby(
            [
                _col(data, c).fillna("")
                for c in ("customer_email", "customer_ref", "ordered_at", "total_amount")
            ]
        ).cumcount()
        order_key = _stable_id(
            _col(data, "customer_email"),
            _col(data, "customer_ref"),
            _col(data, "ordered_at"),
            _col(data, "total_amount"),
            nth.astype("string"),
        )
        notes.append(msg("The file has no order id: each row is taken as one order."))
    rejects.add(order_key.isna(), "missing order id")

    # Order-level fields: first non-empty value within each order.
    present = [c for c in ORDER_LEVEL_FIELDS if c in data.columns]
    order_fields = pd.DataFrame({c: _col(data, c) for c in present}, index=data.index)
    order_fields = order_fields.groupby(order_key.fillna("")).transform("first")
    order_fields = order_fields.reindex(columns=list(ORDER_LEVEL_FIELDS)).astype("object")
    order_fields = order_fields.where(order_fields.notna(), None)

    ordered = _dates(order_fields["ordered_at"], msg("Order date"), mapped, dayfirst, notes)
    rejects.add(order_fields["ordered_at"].isna(), "missing order date")
    rejects.add(
        ordered.invalid, "order date not understood: " + order_fields["ordered_at"].astype(str)
    )

    has_lines = any(c in data.columns for c in LINE_FIELDS)
    qty = _amount(_col(data, "quantity"))
    unit = _amount(_col(data, "unit_price"))
    line_amt = _amount(_col(data, "line_amount"))
    line_value = line_amt.values.where(line_amt.values.notna(), qty.values * unit.values)

    total = _amount(order_fields["total_amount"])
    rejects.add(
        total.invalid, "order total is not a number: " + order_fields["total_amount"].astype(str)
    )
    gross = total.values
    if has_lines:
        # An export without an order total: the order is the sum of its lines.
        line_sums = line_value.groupby(order_key.fillna("")).transform("sum")
        gross = gross.where(gross.notna(), line_sums.where(line_sums > 0))
    rejects.add(gross.isna(), "missing order total")
    rejects.add(gross < 0, "negative order total (a refund belongs in the refunded-amount column)")

    extras = {}
    for name in ("discount_amount", "refunded_amount", "net_amount", "cost_amount"):
        parsed = _amount(order_fields[name])
        rejects.add(
            parsed.invalid,
            f"{name.replace('_', ' ')} is not a number: " + order_fields[name].astype(str),
        )
        extras[name] = parsed.values
    rejects.add(extras["refunded_amount"] < 0, "negative refunded amount")
    rejects.add(extras["discount_amount"] < 0, "negative discount amount")

    status = _status(order_fields, notes)
    refunded = extras["refunded_amount"]
    refunded = refunded.where(refunded.notna(), gross.where(status == "refunded", 0.0))
    net = extras["net_amount"]
    net = net.where(net.notna(), gross - refunded)

    currency = per_distinct(order_fields["currency"], lambda v: v.upper() or None)
    currency = currency.where(currency.notna(), total.currency)

    if has_lines:
        line_has_data = pd.concat(
            [_col(data, c).notna() for c in LINE_FIELDS if c in data.columns], axis=1
        ).any(axis=1)
        rejects.add(line_has_data & (qty.values < 0), "negative quantity")
        rejects.add(line_has_data & qty.invalid, "quantity is not a number")
        rejects.add(line_has_data & (unit.invalid | line_amt.invalid), "line price is not a number")

    customer_id, _refs = _customer_ids(order_fields, source, key)
    ok = ~rejects.mask
    # An order is kept or rejected as a whole: a bad line rejects its order, so that
    # revenue and items never disagree.
    bad_orders = set(order_key[~ok].dropna())
    whole_order_bad = order_key.isin(bad_orders) & ok
    rejects.add(whole_order_bad, "another line of the same order was rejected")
    ok = ~rejects.mask

    first = ok & ~order_key.duplicated()
    first &= ok
    orders = pd.DataFrame(
        {
            "order_id": _namespaced(source, order_key)[first],
            "customer_id": customer_id[first],
            "is_guest": customer_id[first].isna(),
            "ordered_at": ordered.values[first],
            "status": status[first],
            "currency": currency[first],
            "gross_amount": gross[first].round(2),
            "discount_amount": extras["discount_amount"][first].fillna(0.0).round(2),
            "refunded_amount": refunded[first].fillna(0.0).round(2),
            "net_amount": net[first].round(2),
            "cost_amount": extras["cost_amount"][first].round(2),
            "channel": order_fields["channel"][first],
            "country": order_fields["country"][first],
            "source": source,
        }
    ).reset_index(drop=True)
    guests = int(orders["is_guest"].sum())
    if guests:
        notes.append(
            msg(
                "{count} order(s) have no customer email or id: kept for revenue, counted as "
                "guest orders.",
                count=guests,
            )
        )
    tables = {"orders": orders}
    if has_lines:
        line_rows = ok & line_has_data
        lines = pd.DataFrame(
            {
                "order_id": _namespaced(source, order_key)[line_rows],
                "product_id": _col(data, "product_id")[line_rows],
                "product_name": _col(data, "product_name")[line_rows],
                "quantity": qty.values[line_rows].round(3),
                "unit_price": unit.values[line_rows].round(2),
                "line_amount": line_value[line_rows].round(2),
            }
        )
        lines["line_no"] = lines.groupby("order_id").cumcount() + 1
        tables["order_lines"] = lines.reset_index(drop=True)
    return Normalized(tables, rejects.frame(), len(data), notes)


def normalize_customers(
    mapped: MappedTable, key: bytes, *, dayfirst: bool | None = None
) -> Normalized:
    """Customers from a mapped customers table (one row per customer; the last row of a
    customer wins)."""
    data = mapped.data.reset_index(drop=True)
    notes: list[str] = []
    rejects = _Rejects(data, key)
    customer_id, refs = _customer_ids(data, mapped.source, key)
    rejects.add(customer_id.isna(), "no email and no customer id")
    seen = _dates(
        _col(data, "first_seen_at"), msg("Customer creation date"), mapped, dayfirst, notes
    )
    rejects.add(seen.invalid, "creation date not understood")
    ok = ~rejects.mask
    frame = pd.DataFrame(
        {
            "customer_id": customer_id,
            "source": mapped.source,
            "source_customer_id": refs,
            "acquisition_channel": _col(data, "acquisition_channel"),
            "first_seen_at": seen.values,
            "country": _col(data, "country"),
            "consent_analytics": parsing.parse_bool(_col(data, "consent_analytics")),
            "consent_marketing": parsing.parse_bool(_col(data, "consent_marketing")),
        }
    )[ok]
    frame = frame.drop_duplicates(subset=["customer_id"], keep="last").reset_index(drop=True)
    return Normalized({"customers": frame}, rejects.frame(), len(data), notes)


def normalize_spend(mapped: MappedTable, key: bytes, *, dayfirst: bool | None = None) -> Normalized:
    """Marketing spend per day, channel and campaign (rows with the same key are summed:
    reports segmented by device or network repeat them)."""
    data = mapped.data.reset_index(drop=True)
    notes: list[str] = []
    rejects = _Rejects(data, key)
    day = _dates(_col(data, "spend_date"), msg("Spend date"), mapped, dayfirst, notes)
    rejects.add(_col(data, "spend_date").isna(), "missing date")
    rejects.add(day.invalid, "date not understood")
    amount = _amount(_col(data, "spend_amount"))
    rejects.add(amount.values.isna() & ~amount.invalid, "missing amount spent")
    rejects.add(amount.invalid, "amount spent is not a number")
    rejects.add(amount.values < 0, "negative amount spent")
    channel = _col(data, "channel")
    rejects.add(channel.isna(), "missing channel")
    ok = ~rejects.mask
    currency = _col(data, "currency").map(lambda v: v.upper() if isinstance(v, str) and v else None)
    currency = currency.where(currency.notna(), amount.currency)
    frame = pd.DataFrame(
        {
            "spend_date": day.values.dt.normalize(),
            "channel": channel,
            "campaign": _col(data, "campaign").fillna(""),
            "spend_amount": amount.values,
            "currency": currency,
        }
    )[ok]
    summed = frame.groupby(["spend_date", "channel", "campaign"], as_index=False, dropna=False).agg(
        spend_amount=("spend_amount", "sum"), currency=("currency", "first")
    )
    summed["spend_amount"] = summed["spend_amount"].round(2)
    summed["spend_date"] = summed["spend_date"].dt.date
    return Normalized({"marketing_spend": summed}, rejects.frame(), len(data), notes)


def normalize_nps(mapped: MappedTable, key: bytes, *, dayfirst: bool | None = None) -> Normalized:
    """NPS answers: integer scores 0..10; anything else is rejected, never rescaled."""
    data = mapped.data.reset_index(drop=True)
    notes: list[str] = []
    rejects = _Rejects(data, key)
    customer_id, _refs = _customer_ids(data, mapped.source, key)
    answered = _dates(_col(data, "answered_at"), msg("Answer date"), mapped, dayfirst, notes)
    rejects.add(_col(data, "answered_at").isna(), "missing answer date")
    rejects.add(answered.invalid, "answer date not understood")
    raw_score = _col(data, "score")
    score, invalid = parsing.parse_int(raw_score)
    rejects.add(raw_score.isna(), "missing score")
    rejects.add(invalid, "score is not a whole number: " + raw_score.astype(str))
    rejects.add((score < 0) | (score > 10), "score outside 0..10: " + raw_score.astype(str))
    response = _col(data, "response_id")
    derived = _stable_id(customer_id, _col(data, "answered_at"), raw_score)
    response = response.where(response.notna(), "row-" + derived)
    ok = ~rejects.mask
    frame = pd.DataFrame(
        {
            "response_id": _namespaced(mapped.source, response),
            "customer_id": customer_id,
            "answered_at": answered.values,
            "score": score,
            "source": mapped.source,
        }
    )[ok]
    unmatched = int(frame["customer_id"].isna().sum())
    if unmatched:
        notes.append(
            msg(
                "{count} answer(s) carry no email or customer id: counted apart in NPS.",
                count=unmatched,
            )
        )
    frame = frame.drop_duplicates(subset=["response_id"], keep="last").reset_index(drop=True)
    return Normalized({"nps_responses": frame}, rejects.frame(), len(data), notes)


def normalize_tickets(
    mapped: MappedTable, key: bytes, *, dayfirst: bool | None = None
) -> Normalized:
    """Support tickets (id, requester, opened/solved dates, status, satisfaction)."""
    data = mapped.data.reset_index(drop=True)
    notes: list[str] = []
    rejects = _Rejects(data, key)
    customer_id, _refs = _customer_ids(data, mapped.source, key)
    ticket = _col(data, "ticket_id")
    rejects.add(ticket.isna(), "missing ticket id")
    opened = _dates(_col(data, "opened_at"), msg("Ticket creation date"), mapped, dayfirst, notes)
    rejects.add(_col(data, "opened_at").isna(), "missing creation date")
    rejects.add(opened.invalid, "creation date not understood")
    solved = _dates(_col(data, "solved_at"), msg("Ticket solved date"), mapped, dayfirst, notes)
    rejects.add(solved.invalid, "solved date not understood")
    rejects.add(solved.values < opened.values, "solved before it was opened")
    ok = ~rejects.mask
    frame = pd.DataFrame(
        {
            "ticket_id": _namespaced(mapped.source, ticket),
            "customer_id": customer_id,
            "opened_at": opened.values,
            "solved_at": solved.values,
            "status": _col(data, "status").map(_fold_or_none),
            "satisfaction": _col(data, "satisfaction").map(_fold_or_none),
            "source": mapped.source,
        }
    )[ok]
    frame = frame.drop_duplicates(subset=["ticket_id"], keep="last").reset_index(drop=True)
    return Normalized({"support_tickets": frame}, rejects.frame(), len(data), notes)


NORMALIZERS = {
    "orders": normalize_orders,
    "customers": normalize_customers,
    "spend": normalize_spend,
    "nps": normalize_nps,
    "tickets": normalize_tickets,
}


def normalize(mapped: MappedTable, key: bytes, *, dayfirst: bool | None = None) -> Normalized:
    """Typed canonical tables of a mapped table of any kind (see the per-kind functions)."""
    if mapped.kind not in NORMALIZERS:
        raise ValueError(
            msg(
                "Unknown kind {kind!r}; choose one of {kinds}.",
                kind=mapped.kind,
                kinds=", ".join(NORMALIZERS),
            )
        )
    result = NORMALIZERS[mapped.kind](mapped, key, dayfirst=dayfirst)
    result.notes = [*mapped.notes, *result.notes]
    return result

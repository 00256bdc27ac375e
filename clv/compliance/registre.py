"""The record of processing activities (GDPR article 30), written from the store.

Everything the record states about the data is read from the store when it is written:
tables and row counts, which categories of personal data are actually held, the
retention setting and how many customers are past it, the consent switch, and a check
that no text cell holds an ``@``. What the store cannot know (the controller, the legal
basis, who may see the data, where the server is hosted) is marked *to fill in*.

Facts about the running server (the address it listens on, the upload limit, whether a
login is configured) are passed in by the app as :class:`ServerFacts`; the record says
"to fill in" for any fact not given.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from typing import TypedDict

from clv import formatting
from clv.compliance.gdpr import (
    inactive_customers,
    respects_consent,
    retention_cutoff,
    retention_years,
)
from clv.compliance.privacy import KEY_ENV
from clv.i18n.catalog import translate
from clv.store import KEY_FILE_NAME, TABLE_KEYS, Store

LOCALES = {"fr": "fr_FR", "en": "en_GB"}

#: Tables listed in the record, in order.
RECORD_TABLES: tuple[str, ...] = (*TABLE_KEYS, "rejected_rows", "imports")

LOCAL_ADDRESSES = frozenset({"127.0.0.1", "localhost", "::1"})


@dataclass(frozen=True)
class ServerFacts:
    """What the app knows about the server it runs in (``None``: not known).

    Attributes
    ----------
    address : the address the server listens on (``""`` for every interface).
    upload_limit_mb : largest upload accepted, in MB.
    login : True when an OIDC login guards every page.
    xsrf : True when XSRF protection is on.
    """

    address: str | None = None
    upload_limit_mb: int | None = None
    login: bool | None = None
    xsrf: bool | None = None


class Holdings(TypedDict):
    """What the store holds (see :func:`holdings`)."""

    rows: dict[str, int]
    customers: int
    shop_numbers: int
    consent_refused: int
    consent_granted: int
    consent_unknown: int
    text_cells_with_at: int
    kinds: list[str]


def holdings(store: Store) -> Holdings:
    """Counts the record is written from.

    Returns
    -------
    dict with ``rows`` (table -> rows, for :data:`RECORD_TABLES`), ``customers``
    (distinct customer ids over customers, orders, NPS answers and tickets),
    ``shop_numbers`` (customers with the shop's own customer number),
    ``consent_refused`` / ``consent_granted`` / ``consent_unknown`` (analytics consent of
    the customers table), ``text_cells_with_at`` (text cells of any table holding an
    ``@``; 0 expected) and ``kinds`` (kinds of file imported, sorted).
    """
    with store.cursor() as cur:
        rows = {
            table: int(cur.execute(f"SELECT count(*) FROM {table}").fetchone()[0])  # noqa: S608 (fixed names)
            for table in RECORD_TABLES
        }
        customers = cur.execute(
            """
            SELECT count(DISTINCT customer_id) FROM (
                SELECT customer_id FROM customers
                UNION ALL SELECT customer_id FROM orders
                UNION ALL SELECT customer_id FROM nps_responses
                UNION ALL SELECT customer_id FROM support_tickets
            ) WHERE customer_id IS NOT NULL
            """
        ).fetchone()[0]
        numbers, refused, granted, unknown = cur.execute(
            "SELECT count(source_customer_id), count(*) FILTER (WHERE consent_analytics = FALSE), "
            "count(*) FILTER (WHERE consent_analytics), "
            "count(*) FILTER (WHERE consent_analytics IS NULL) FROM customers"
        ).fetchone()
        columns = cur.execute(
            "SELECT table_name, list(column_name ORDER BY ordinal_position) "
            "FROM information_schema.columns "
            "WHERE data_type = 'VARCHAR' AND table_schema = 'main' "
            "AND table_catalog = current_database() GROUP BY table_name"
        ).fetchall()
        # One scan per table: the check must stay cheap on millions of orders.
        with_at = 0
        for table, names in columns:
            cells = " + ".join(f"count(*) FILTER (WHERE contains(\"{c}\", '@'))" for c in names)
            with_at += int(cur.execute(f'SELECT {cells} FROM "{table}"').fetchone()[0])  # noqa: S608 (names from the catalog)
        kinds = [
            row[0] for row in cur.execute("SELECT DISTINCT kind FROM imports ORDER BY 1").fetchall()
        ]
    return Holdings(
        rows=rows,
        customers=int(customers),
        shop_numbers=int(numbers),
        consent_refused=int(refused),
        consent_granted=int(granted),
        consent_unknown=int(unknown),
        text_cells_with_at=with_at,
        kinds=kinds,
    )


def _key_source(store: Store) -> str:
    """Where the pseudonymisation key comes from: ``env``, ``file`` (owner-only),
    ``file_open`` (a key file other accounts can read) or ``secrets``."""
    if os.environ.get(KEY_ENV, "").strip():
        return "env"
    if str(store.path) != ":memory:":
        key_file = store.path.parent / KEY_FILE_NAME
        try:
            if key_file.read_text(encoding="ascii").strip().encode("ascii") == store.pseudonym_key:
                return "file" if key_file.stat().st_mode & 0o077 == 0 else "file_open"
        except (OSError, UnicodeError):
            pass
    return "secrets"


def _security(store: Store, server: ServerFacts, lang: str, fill: str) -> list[str]:
    def t(key: str, **kwargs: object) -> str:
        return translate(f"registre.record.{key}", lang, **kwargs)

    source = _key_source(store)
    where = t("key.file", name=KEY_FILE_NAME) if source == "file" else t(f"key.{source}")
    lines = [
        t("security"),
        "",
        t("sec.pseudonym", where=where),
        t("sec.no_email"),
        t("sec.erasure"),
    ]
    if server.address is None:
        lines.append(t("sec.address_unknown", fill=fill))
        if server.login:
            lines.append(t("sec.login_only"))
    elif server.address in LOCAL_ADDRESSES:
        lines.append(t("sec.local", address=server.address))
        if server.login:
            lines.append(t("sec.login_only"))
    else:
        address = server.address or t("sec.all_interfaces")
        login = t("sec.login_on") if server.login else t("sec.login_off")
        lines.append(t("sec.network", address=address, login=login))
    if server.upload_limit_mb is not None:
        xsrf = t("sec.on") if server.xsrf else t("sec.off")
        lines.append(t("sec.upload", mb=server.upload_limit_mb, xsrf=xsrf))
    lines.append(t("sec.file", file=store.path.name, fill=fill))
    return lines


def record_of_processing(
    store: Store,
    lang: str = "fr",
    *,
    server: ServerFacts | None = None,
    today: dt.date | None = None,
    held: Holdings | None = None,
) -> str:
    """The record of processing activities of this store, as Markdown.

    Parameters
    ----------
    store : the open store.
    lang : ``"fr"`` or ``"en"``.
    server : facts about the running server (address, upload limit, login); those not
        given are left for the controller to fill in.
    today : the day written on the record and the retention counts back from (default:
        today).
    held : :func:`holdings` of the store, when the caller has read them already.

    Returns
    -------
    Markdown: controller and legal basis (to fill in), purposes, data subjects (count),
    categories of data per table with row counts, what is never kept (with the live
    ``@`` check), data sources, recipients and transfers (none), retention (setting,
    customers past it), security measures in place, people's rights.
    """
    lang = lang if lang in LOCALES else "en"
    locale = LOCALES[lang]
    today = today or dt.date.today()
    server = server or ServerFacts()

    def t(key: str, **kwargs: object) -> str:
        return translate(f"registre.record.{key}", lang, **kwargs)

    def n(value: int) -> str:
        return formatting.format_int(value, locale)

    held = holdings(store) if held is None else held
    fill = t("to_fill")
    years = retention_years(store)
    with store.cursor() as cur:
        due = len(inactive_customers(cur, years, today))
    consent = t(
        "consent_on" if respects_consent(store) else "consent_off",
        refused=n(held["consent_refused"]),
    )
    lines = [
        t("title"),
        "",
        t("generated", date=formatting.format_date(today, locale), file=store.path.name),
        "",
        t("controller", fill=fill),
        "",
        t("purposes"),
        "",
        t("legal_basis", fill=fill),
        "",
        t("subjects", customers=n(held["customers"])),
        "",
        t("categories"),
    ]
    for table in RECORD_TABLES:
        label = translate(f"table.{table}", lang)
        if label == f"table.{table}":
            label = t(f"table.{table}")
        what = t(f"cat.{table}", refs=n(held["shop_numbers"]))
        lines.append(f"| {label} | {n(held['rows'][table])} | {what} |")
    kinds = ", ".join(translate(f"kind.{k}", lang) for k in held["kinds"]) or t("no_kinds")
    lines += [
        "",
        t("not_held", cells=n(held["text_cells_with_at"])),
        "",
        t("sources", imports=n(held["rows"]["imports"]), kinds=kinds),
        "",
        t("recipients", fill=fill),
        "",
        t(
            "retention",
            years=years,
            due=n(due),
            cutoff=formatting.format_date(retention_cutoff(years, today), locale),
            consent=consent,
        ),
        "",
        *_security(store, server, lang, fill),
        "",
        t("rights", fill=fill),
        "",
    ]
    return "\n".join(lines)

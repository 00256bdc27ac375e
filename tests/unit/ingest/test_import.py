"""End to end: real export layouts through read -> recognise -> validate -> store.

Every expected figure below was computed by hand from the fixture rows written here.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime
from decimal import Decimal

import pytest

from clv.compliance.privacy import pseudonymize
from clv.ingest.pipeline import import_file, preview_file
from clv.ingest.types import FileProblem
from clv.store import Store

KEY = b"test-key"
NBSP = "\u00a0"
NNBSP = "\u202f"

SHOPIFY_HEADER = [
    "Name",
    "Email",
    "Financial Status",
    "Paid at",
    "Fulfillment Status",
    "Fulfilled at",
    "Accepts Marketing",
    "Currency",
    "Subtotal",
    "Shipping",
    "Taxes",
    "Total",
    "Discount Code",
    "Discount Amount",
    "Shipping Method",
    "Created at",
    "Lineitem quantity",
    "Lineitem name",
    "Lineitem price",
    "Lineitem compare at price",
    "Lineitem sku",
    "Lineitem requires shipping",
    "Lineitem taxable",
    "Lineitem fulfillment status",
    "Billing Name",
    "Billing Street",
    "Billing Address1",
    "Billing Address2",
    "Billing Company",
    "Billing City",
    "Billing Zip",
    "Billing Province",
    "Billing Country",
    "Billing Phone",
    "Shipping Name",
    "Shipping Street",
    "Shipping Address1",
    "Shipping Address2",
    "Shipping Company",
    "Shipping City",
    "Shipping Zip",
    "Shipping Province",
    "Shipping Country",
    "Shipping Phone",
    "Notes",
    "Note Attributes",
    "Cancelled at",
    "Payment Method",
    "Payment Reference",
    "Refunded Amount",
    "Vendor",
    "Outstanding Balance",
    "Employee",
    "Location",
    "Device ID",
    "Id",
    "Tags",
    "Risk Level",
    "Source",
    "Lineitem discount",
    "Tax 1 Name",
    "Tax 1 Value",
    "Tax 2 Name",
    "Tax 2 Value",
    "Tax 3 Name",
    "Tax 3 Value",
    "Tax 4 Name",
    "Tax 4 Value",
    "Tax 5 Name",
    "Tax 5 Value",
    "Phone",
    "Receipt Number",
    "Duties",
    "Billing Province Name",
    "Shipping Province Name",
    "Payment ID",
    "Payment Terms Name",
    "Next Payment Due At",
    "Payment References",
]


def _csv(header: list[str], rows: list[dict[str, str]], delimiter: str = ",") -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, delimiter=delimiter, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: row.get(k, "") for k in header})
    return out.getvalue()


def shopify_orders_csv() -> bytes:
    first = {"Currency": "EUR", "Accepts Marketing": "yes", "Billing Country": "FR"}
    rows = [
        # #1001: two line items; order fields on the first row only; 2x20 + 40.50 - 5 = 75.50
        {**first, "Name": "#1001", "Email": "alice@example.com", "Financial Status": "paid",
         "Total": "75.50", "Discount Amount": "5.00", "Created at": "2025-05-12 15:06:16 -0400",
         "Lineitem quantity": "2", "Lineitem name": "Bougie Figue", "Lineitem price": "20.00",
         "Lineitem sku": "BF-01", "Billing Name": "Alice Martin", "Billing Phone": "'+33612345678",
         "Payment Method": "Shopify Payments", "Refunded Amount": "0.00", "Id": "'5012345678901",
         "Source": "web", "Billing Zip": "'75008", "Notes": "Livrer après 18h"},
        {"Name": "#1001", "Email": "alice@example.com", "Created at": "2025-05-12 15:06:16 -0400",
         "Lineitem quantity": "1", "Lineitem name": "Diffuseur Ambre", "Lineitem price": "40.50",
         "Lineitem sku": "DA-02"},
        # #1002: partially refunded, winter offset -0500
        {**first, "Name": "#1002", "Email": "Bob@Example.com ", "Financial Status": "partially_refunded",
         "Total": "30.00", "Discount Amount": "0.00", "Created at": "2025-11-03 09:00:00 -0500",
         "Lineitem quantity": "1", "Lineitem name": "Bougie Figue", "Lineitem price": "30.00",
         "Payment Method": "Shopify Payments", "Refunded Amount": "10.00", "Source": "web"},
        # #1003: paid through the test gateway
        {**first, "Name": "#1003", "Email": "carol@example.com", "Financial Status": "paid",
         "Total": "10.00", "Created at": "2025-06-01 10:00:00 +0200", "Lineitem quantity": "1",
         "Lineitem name": "Échantillon", "Lineitem price": "10.00",
         "Payment Method": "(for testing) Bogus Gateway", "Refunded Amount": "0.00"},
        # #1004: cancelled
        {**first, "Name": "#1004", "Email": "alice@example.com", "Financial Status": "voided",
         "Total": "15.00", "Created at": "2025-06-02 10:00:00 +0200", "Lineitem quantity": "1",
         "Lineitem name": "Mèche", "Lineitem price": "15.00", "Cancelled at": "2025-06-02 11:00:00 +0200",
         "Payment Method": "Shopify Payments", "Refunded Amount": "0.00"},
    ]  # fmt: skip
    return _csv(SHOPIFY_HEADER, rows).encode("utf-8")


def prestashop_excel_fr_csv() -> bytes:
    """PrestaShop's order list re-saved by French Excel: cp1252, ';', '59,90 €', dd/mm/yyyy."""
    lines = [
        "ID;Référence;Nouveau client;Livraison;Client;Total;Paiement;État;Date",
        f"1;XKBKNABJK;1;France;J. Dupont;59,90{NBSP}€;Carte bancaire;Paiement accepté;05/01/2023 14:30",
        f"2;OHSATSERP;0;France;M. Martin;1{NBSP}234,56{NBSP}€;Virement bancaire;Livré;06/02/2023 09:15",
        f"3;FFATNOMMJ;1;Belgique;A. Durand;25,00{NBSP}€;Chèque;Annulé;11/03/2023 18:00",
        f"4;UOYEVOLIA;0;France;J. Dupont;12,50{NBSP}€;Carte bancaire;Remboursé;12/12/2023 10:00",
    ]
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


STRIPE_HEADER = [
    "id",
    "Created date (UTC)",
    "Amount",
    "Amount Refunded",
    "Currency",
    "Captured",
    "Converted Amount",
    "Converted Amount Refunded",
    "Converted Currency",
    "Decline Reason",
    "Description",
    "Fee",
    "Mode",
    "PaymentIntent ID",
    "Status",
    "Seller Message",
    "Card Name",
    "Card Last4",
    "Customer ID",
    "Customer Description",
    "Customer Email",
    "Customer Phone",
]


def stripe_payments_csv() -> bytes:
    rows = [
        {"id": "ch_1", "Created date (UTC)": "2024-06-07 02:38:54", "Amount": "14.99",
         "Amount Refunded": "0.00", "Currency": "eur", "Captured": "true", "Mode": "Live",
         "Status": "Paid", "Customer ID": "cus_A", "Customer Email": "carol@example.com",
         "Card Name": "Carol Petit"},
        {"id": "ch_2", "Created date (UTC)": "2024-06-08 10:00:00", "Amount": "50.00",
         "Amount Refunded": "20.00", "Currency": "eur", "Captured": "true", "Mode": "Live",
         "Status": "Paid", "Customer ID": "cus_B", "Customer Email": "dave@example.com"},
        {"id": "ch_3", "Created date (UTC)": "2024-06-09 11:00:00", "Amount": "9.99",
         "Amount Refunded": "0.00", "Currency": "eur", "Captured": "false", "Mode": "Live",
         "Status": "Failed", "Decline Reason": "insufficient_funds", "Customer Email": "erin@example.com"},
        # A PaymentIntent that never produced a charge has no id: not a payment, skipped.
        {"id": "", "Created date (UTC)": "2024-06-09 12:00:00", "Amount": "20.00",
         "Amount Refunded": "0.00", "Currency": "eur", "Captured": "false", "Mode": "Live",
         "Status": "requires_payment_method", "Customer Email": "frank@example.com"},
        {"id": "ch_5", "Created date (UTC)": "2024-06-10 08:00:00", "Amount": "1.00",
         "Amount Refunded": "0.00", "Currency": "eur", "Captured": "true", "Mode": "Test",
         "Status": "Paid", "Customer Email": "grace@example.com"},
    ]  # fmt: skip
    return _csv(STRIPE_HEADER, rows).encode("utf-8")


def google_ads_report_csv() -> bytes:
    lines = [
        "Campaign report",
        '"July 1, 2025 - July 3, 2025"',
        "Day,Campaign,Campaign status,Currency code,Impr.,Clicks,Cost",
        '2025-07-01,Prospection - Bougies,Enabled,EUR,"12,345",321,"1,234.56"',
        "2025-07-01,Marque,Enabled,EUR,800,50,45.10",
        '2025-07-02,Prospection - Bougies,Enabled,EUR,"10,001",300,"1,100.00"',
        "2025-07-03,Marque,Enabled,EUR, --, --, --",
        'Total: Account,,,EUR,"23,146",671,"2,379.66"',
        'Total: Campaigns,,,EUR,"23,146",671,"2,379.66"',
        'Total: Search,,,EUR,"23,146",671,"2,379.66"',
    ]
    return ("\n".join(lines) + "\n").encode("utf-8")


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "clv.duckdb", pseudonym_key=KEY)
    yield s
    s.close()


def _rows(store: Store, sql: str, params: list | None = None) -> list[tuple]:
    with store.cursor() as cur:
        return cur.execute(sql, params or []).fetchall()


def snapshot(store: Store) -> dict[str, list[tuple]]:
    """Every row of every table, for before/after comparisons."""
    tables = [
        "imports", "customers", "orders", "order_lines", "marketing_spend", "nps_responses",
        "support_tickets", "rejected_rows", "settings", "saved_mappings",
    ]  # fmt: skip
    return {t: sorted(map(repr, _rows(store, f"SELECT * FROM {t}"))) for t in tables}


def test_shopify_orders_export(store):
    report = import_file(store, shopify_orders_csv(), "orders_export_1.csv")
    assert (report.kind, report.source) == ("orders", "shopify_orders")
    assert report.rows_read == 5 and report.rows_loaded == 4 and report.rows_rejected == 0
    rows = _rows(
        store,
        "SELECT order_id, customer_id, ordered_at, status, gross_amount, discount_amount, "
        "refunded_amount, net_amount FROM orders ORDER BY order_id",
    )
    alice = pseudonymize("alice@example.com", KEY)
    assert rows[0] == ("shopify_orders:#1001", alice, datetime(2025, 5, 12, 19, 6, 16), "paid",
                       Decimal("75.50"), Decimal("5.00"), Decimal("0.00"), Decimal("75.50"))  # fmt: skip
    # Bob's email had capitals and a trailing space: same pseudonym as the clean form.
    assert rows[1][1] == pseudonymize("bob@example.com", KEY)
    assert rows[1][2:] == (datetime(2025, 11, 3, 14, 0), "paid", Decimal("30.00"), Decimal("0.00"),
                           Decimal("10.00"), Decimal("20.00"))  # fmt: skip
    assert rows[2][3] == "test" and rows[3][3] == "cancelled"
    lines = _rows(
        store,
        "SELECT order_id, line_no, product_name, quantity, line_amount FROM order_lines ORDER BY 1, 2",
    )
    assert lines[:2] == [
        ("shopify_orders:#1001", 1, "Bougie Figue", Decimal("2.000"), Decimal("40.00")),
        ("shopify_orders:#1001", 2, "Diffuseur Ambre", Decimal("1.000"), Decimal("40.50")),
    ]
    assert len(lines) == 5


def test_prestashop_resaved_by_french_excel(store):
    report = import_file(store, prestashop_excel_fr_csv(), "order_2023-12-31_101010.csv")
    assert (report.kind, report.source) == ("orders", "prestashop")
    assert report.rows_loaded == 4 and report.rows_rejected == 0
    rows = _rows(
        store,
        "SELECT order_id, ordered_at, status, gross_amount, net_amount, is_guest, country "
        "FROM orders ORDER BY ordered_at",
    )
    # Every day is 12 or less: the file cannot settle it; French file -> day-first.
    assert rows[0] == ("prestashop:1", datetime(2023, 1, 5, 14, 30), "paid", Decimal("59.90"),
                       Decimal("59.90"), True, "France")  # fmt: skip
    assert rows[1][1:5] == (
        datetime(2023, 2, 6, 9, 15),
        "paid",
        Decimal("1234.56"),
        Decimal("1234.56"),
    )
    # guest orders belong to nobody: no "prestashop:nan" customer gathering them all
    assert _rows(store, "SELECT DISTINCT customer_id FROM orders") == [(None,)]
    assert rows[2][2] == "cancelled"
    assert rows[3][1:5] == (
        datetime(2023, 12, 12, 10, 0),
        "refunded",
        Decimal("12.50"),
        Decimal("0.00"),
    )
    assert any("day/month" in note for note in report.notes)
    # The customer name column is personal data: not stored anywhere.
    assert not _rows(store, "SELECT * FROM orders WHERE customer_id LIKE '%Dupont%'")


def test_prestashop_month_first_when_the_user_says_so(store):
    report = import_file(store, prestashop_excel_fr_csv(), "order.csv", dayfirst=False)
    assert report.rows_loaded == 4
    first = _rows(store, "SELECT ordered_at FROM orders WHERE order_id = 'prestashop:1'")[0][0]
    assert first == datetime(2023, 5, 1, 14, 30)


def test_stripe_payments_export(store):
    report = import_file(store, stripe_payments_csv(), "unified_payments.csv")
    assert (report.kind, report.source) == ("orders", "stripe_payments")
    assert report.rows_read == 5 and report.rows_loaded == 4 and report.rows_rejected == 0
    assert any("1 row without a payment id skipped" in note for note in report.notes)
    rows = dict(
        (r[0], r[1:])
        for r in _rows(
            store, "SELECT order_id, status, currency, net_amount, ordered_at FROM orders"
        )
    )
    assert rows["stripe_payments:ch_1"] == (
        "paid",
        "EUR",
        Decimal("14.99"),
        datetime(2024, 6, 7, 2, 38, 54),
    )
    assert rows["stripe_payments:ch_2"][:3] == ("paid", "EUR", Decimal("30.00"))
    assert rows["stripe_payments:ch_3"][0] == "cancelled"
    assert rows["stripe_payments:ch_5"][0] == "test"


def test_google_ads_report(store):
    report = import_file(store, google_ads_report_csv(), "Campaign report.csv")
    assert (report.kind, report.source) == ("spend", "google_ads")
    assert report.rows_loaded == 3 and report.rows_rejected == 1
    rows = _rows(
        store,
        "SELECT spend_date, channel, campaign, spend_amount, currency FROM marketing_spend ORDER BY 1, 3",
    )
    assert rows == [
        (date(2025, 7, 1), "Google Ads", "Marque", Decimal("45.10"), "EUR"),
        (date(2025, 7, 1), "Google Ads", "Prospection - Bougies", Decimal("1234.56"), "EUR"),
        (date(2025, 7, 2), "Google Ads", "Prospection - Bougies", Decimal("1100.00"), "EUR"),
    ]


def test_same_file_twice_changes_no_count(store):
    first = import_file(store, shopify_orders_csv(), "orders_export_1.csv")
    before = store.status()
    second = import_file(store, shopify_orders_csv(), "orders_export_1.csv")
    assert first.rows_loaded == 4
    assert (second.rows_loaded, second.rows_updated, second.rows_unchanged) == (0, 0, 4)
    assert second.already_imported
    assert store.status().equals(before)


def test_overlapping_export_replaces_the_newer_version_of_an_order(store):
    import_file(store, stripe_payments_csv(), "payments_june.csv")
    # A later export: ch_1 was refunded in full since, ch_6 is new.
    newer = (
        stripe_payments_csv()
        .decode()
        .replace("ch_1,2024-06-07 02:38:54,14.99,0.00", "ch_1,2024-06-07 02:38:54,14.99,14.99")
    )
    newer += (
        "ch_6,2024-06-11 09:00:00,30.00,0.00,eur,true,,,,,,,Live,,Paid,,,,,,new@example.com,\r\n"
    )
    report = import_file(store, newer.encode(), "payments_june_july.csv")
    assert (report.rows_loaded, report.rows_updated, report.rows_unchanged) == (1, 1, 3)
    assert _rows(store, "SELECT count(*) FROM orders")[0][0] == 5
    assert (
        _rows(store, "SELECT net_amount FROM orders WHERE order_id = 'stripe_payments:ch_1'")[0][0]
        == 0
    )


@pytest.mark.parametrize(
    ("content", "name", "kind", "message"),
    [
        (b"", "empty.csv", None, "empty"),
        (bytes(range(256)) * 64, "binary.csv", None, "not a text table"),
        (b"foo,bar\n1,2\n", "unknown.csv", None, "match no known export"),
        ((b"Respondent ID,Collector ID,Start Date,End Date,Email Address,How likely are you to "
          b"recommend us?\n1,2,2024-01-01,2024-01-01,a@example.com,9\n"),
         "survey.csv", "orders", "not orders"),
    ],
)  # fmt: skip
def test_broken_files_leave_every_table_as_it_was(store, content, name, kind, message):
    import_file(store, shopify_orders_csv(), "orders_export_1.csv")
    before = snapshot(store)
    with pytest.raises(FileProblem, match=message):
        import_file(store, content, name, kind=kind)
    assert snapshot(store) == before


def test_file_whose_every_row_is_invalid_is_refused_whole(store):
    bad = "Name,Email,Financial Status,Total,Created at,Lineitem quantity,Lineitem name\n"
    bad += "#1,a@example.com,paid,abc,not a date,1,X\n#2,b@example.com,paid,xyz,yesterday,1,Y\n"
    before = snapshot(store)
    with pytest.raises(FileProblem, match="No row of this file could be imported"):
        import_file(store, bad.encode(), "bad.csv")
    assert snapshot(store) == before


def test_preview_stores_nothing_and_flags_ambiguous_dates(store):
    before = snapshot(store)
    preview = preview_file(store, prestashop_excel_fr_csv(), "order.csv")
    assert (preview.kind, preview.source) == ("orders", "prestashop")
    assert preview.ambiguous_date_columns == ["ordered_at"]
    assert preview.default_dayfirst is True
    # The customer-name column is masked in the on-screen sample.
    assert set(preview.sample["Client"]) == {"•••"}
    assert snapshot(store) == before


EMAIL_BYTES = re.compile(rb"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+\.[A-Za-z]{2,}")


def test_no_email_reaches_the_database_file(tmp_path):
    path = tmp_path / "clv.duckdb"
    with Store(path, pseudonym_key=KEY) as store:
        import_file(store, shopify_orders_csv(), "orders_export_1.csv")
        import_file(store, stripe_payments_csv(), "unified_payments.csv")
        tables = _rows(
            store,
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE data_type = 'VARCHAR' AND table_schema = 'main'",
        )
        for table, column in tables:
            hits = _rows(store, f"SELECT count(*) FROM {table} WHERE \"{column}\" LIKE '%@%'")
            assert hits[0][0] == 0, f"{table}.{column} holds an '@'"
    data = path.read_bytes()
    wal = path.with_name(path.name + ".wal")
    if wal.exists():
        data += wal.read_bytes()
    assert EMAIL_BYTES.search(data) is None
    for needle in (b"example.com", b"alice", b"Alice Martin", b"+33612345678", b"Carol Petit"):
        assert needle not in data


def test_rejected_rows_keep_line_and_reason_but_no_email(store):
    lines = shopify_orders_csv().decode().splitlines()
    # A fifth order whose date cannot be read: the rest of the file still imports.
    lines.append(
        lines[1].replace("#1001", "#1005").replace("2025-05-12 15:06:16 -0400", "32/13/2025")
    )
    report = import_file(store, ("\r\n".join(lines) + "\r\n").encode(), "orders_export_2.csv")
    assert report.rows_loaded == 4 and report.rows_rejected == 1
    rejected = store.rejected_rows(report.import_id)
    assert list(rejected["line_no"]) == [7]
    assert rejected["reason"][0] == "order date not understood: 32/13/2025"
    assert "alice@example.com" not in rejected["raw_line"][0]
    assert pseudonymize("alice@example.com", KEY) in rejected["raw_line"][0]


def test_cdnow_sample_goes_through_the_ordinary_ingest_path(store):
    from pathlib import Path

    import lifetimes.datasets

    from clv.ingest.pipeline import load_cdnow_sample

    # Independent count straight from the text file: customer, index, YYYYMMDD, cds, dollars.
    text = (Path(lifetimes.datasets.__file__).parent / "CDNOW_sample.txt").read_text()
    records = [line.split() for line in text.splitlines() if line.strip()]
    report = load_cdnow_sample(store)
    assert report.rows_loaded == len(records) == 6919 and report.rows_rejected == 0
    count, customers, first, last, total = _rows(
        store,
        "SELECT count(*), count(DISTINCT customer_id), min(ordered_at), max(ordered_at), "
        "sum(gross_amount) FROM orders",
    )[0]
    assert customers == len({r[0] for r in records}) == 2357
    assert first == datetime(1997, 1, 1) and last == datetime(1998, 6, 30)
    assert total == sum(Decimal(r[4]) for r in records)


SHOPIFY_CUSTOMERS = (
    "Customer ID,First Name,Last Name,Email,Accepts Email Marketing,Default Address Company,"
    "Default Address Address1,Default Address Address2,Default Address City,"
    "Default Address Province Code,Default Address Country Code,Default Address Zip,"
    "Default Address Phone,Phone,Accepts SMS Marketing,Total Spent,Total Orders,Note,Tax Exempt,Tags\n"
    "'9980311896380,Alice,Martin,alice@example.com,yes,,1 rue X,,Paris,,FR,'75008,,'+33612345678,"
    'no,75.50,1,VIP cliente,no,"vip, newsletter"\n'
    "'9980311896381,Paul,Sansmail,,no,,,,Lyon,,FR,,,'+33600000000,no,0.00,0,,no,\n"
)
TYPEFORM_NPS = (
    "#,How likely are you to recommend Maison Lumière to a friend?,email,Response Type,"
    "Start Date (UTC),Stage Date (UTC),Submit Date (UTC),Network ID,Tags,Ending\n"
    "r1,10,alice@example.com,completed,2025-06-01 10:00:00,2025-06-01 10:01:00,2025-06-01 10:01:00,n1,,Merci\n"
    "r2,3,nobody@example.com,completed,2025-06-02 10:00:00,2025-06-02 10:01:00,2025-06-02 10:01:00,n2,,Merci\n"
)
ZENDESK_TICKETS = (
    "Summation column,Id,Requester,Requester id,Requester external id,Requester email,"
    "Requester domain,Submitter,Assignee,Group,Subject,Tags,Status,Priority,Via,Ticket type,"
    "Created at,Updated at,Assigned at,Organization,Due date,Initially assigned at,Solved at,"
    "Resolution time,Satisfaction Score\n"
    ",101,Alice Martin,3001,,alice@example.com,example.com,Alice Martin,Agent,Support,"
    "Colis cassé,livraison,Solved,normal,email,problem,2025-06-03 09:00,2025-06-04 10:00,"
    "2025-06-03 09:30,,,2025-06-03 09:30,2025-06-04 10:00,25,Good\n"
)


def test_customers_nps_and_tickets_join_on_the_same_pseudonym(store):
    import_file(store, shopify_orders_csv(), "orders_export_1.csv")
    customers = import_file(store, SHOPIFY_CUSTOMERS.encode(), "customers_export.csv")
    nps = import_file(store, TYPEFORM_NPS.encode(), "responses.csv")
    tickets = import_file(store, ZENDESK_TICKETS.encode(), "tickets.csv")
    assert (customers.source, nps.source, tickets.source) == (
        "shopify_customers",
        "typeform",
        "zendesk",
    )
    assert (customers.rows_loaded, nps.rows_loaded, tickets.rows_loaded) == (2, 2, 1)
    alice = pseudonymize("alice@example.com", KEY)
    assert _rows(store, "SELECT source_customer_id, consent_marketing, country FROM customers "
                 "WHERE customer_id = ?", [alice]) == [("9980311896380", True, "FR")]  # fmt: skip
    # A customer with no email keeps the shop's own id, namespaced by source.
    assert _rows(store, "SELECT count(*) FROM customers WHERE customer_id = "
                 "'shopify_customers:9980311896381'")[0][0] == 1  # fmt: skip
    joined = _rows(
        store,
        "SELECT o.order_id, n.score, t.satisfaction FROM orders o "
        "JOIN nps_responses n USING (customer_id) JOIN support_tickets t USING (customer_id) "
        "WHERE o.status = 'paid' ORDER BY 1",
    )
    assert joined == [("shopify_orders:#1001", 10, "good")]
    assert _rows(store, "SELECT opened_at, solved_at FROM support_tickets") == [
        (datetime(2025, 6, 3, 9, 0), datetime(2025, 6, 4, 10, 0))
    ]


def test_nps_scores_outside_zero_to_ten_are_rejected_not_rescaled(store):
    survey = "Date;E-mail;Note\n01/06/2025;a@exemple.fr;9\n02/06/2025;b@exemple.fr;11\n03/06/2025;c@exemple.fr;7,5\n"
    mapping = {"answered_at": "Date", "customer_email": "E-mail", "score": "Note"}
    report = import_file(store, survey.encode(), "nps.csv", kind="nps", mapping=mapping)
    assert report.rows_loaded == 1 and report.rows_rejected == 2
    assert list(report.rejected["line_no"]) == [3, 4]
    assert report.rejected["reason"].tolist() == [
        "score outside 0..10: 11", "score is not a whole number: 7,5",
    ]  # fmt: skip


def test_excel_workbook_import(store, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Commande", "Date", "Courriel", "Montant"])
    sheet.append(["A-1", datetime(2024, 3, 5, 14, 0), "x@exemple.fr", 59.9])
    sheet.append(["A-2", datetime(2023, 3, 15), "y@exemple.fr", 1234.56])
    path = tmp_path / "ventes.xlsx"
    book.save(path)
    mapping = {
        "order_id": "Commande",
        "ordered_at": "Date",
        "customer_email": "Courriel",
        "total_amount": "Montant",
    }
    report = import_file(store, path.read_bytes(), "ventes.xlsx", kind="orders", mapping=mapping)
    assert report.rows_loaded == 2
    assert _rows(store, "SELECT order_id, ordered_at, gross_amount FROM orders ORDER BY 1") == [
        ("custom:A-1", datetime(2024, 3, 5, 14, 0), Decimal("59.90")),
        ("custom:A-2", datetime(2023, 3, 15, 0, 0), Decimal("1234.56")),
    ]


def test_google_ads_unicode_text_export(store):
    """Google Ads' "Excel CSV": UTF-16 with a byte-order mark, tab-separated."""
    text = google_ads_report_csv().decode().replace(",", "\t")
    text = text.replace('"12\t345"', "12,345").replace('"1\t234.56"', "1,234.56")
    text = text.replace('"10\t001"', "10,001").replace('"1\t100.00"', "1,100.00")
    text = text.replace('"July 1\t 2025 - July 3\t 2025"', "July 1, 2025 - July 3, 2025")
    report = import_file(store, text.encode("utf-16"), "Campaign report.csv")
    assert (report.source, report.rows_loaded) == ("google_ads", 3)
    total = _rows(store, "SELECT sum(spend_amount) FROM marketing_spend")[0][0]
    assert total == Decimal("2379.66")


def test_answers_without_email_belong_to_nobody(store):
    survey = (
        b"Response ID,Email,Submitted at,Score\n"
        b"r1,ann@example.com,2024-03-01,9\n"
        b"r2,,2024-03-02,3\n"
        b"r3, ,2024-03-03,7\n"
    )
    report = import_file(
        store,
        survey,
        "survey.csv",
        kind="nps",
        mapping={
            "response_id": "Response ID",
            "customer_email": "Email",
            "answered_at": "Submitted at",
            "score": "Score",
        },
    )
    assert report.rows_loaded == 3
    ids = dict(_rows(store, "SELECT response_id, customer_id FROM nps_responses"))
    assert ids["custom:r2"] is None and ids["custom:r3"] is None
    assert ids["custom:r1"].startswith("c_")


def test_tickets_without_status_or_satisfaction_columns(store):
    tickets = (
        b"Ticket,Email,Opened,Solved\n"
        b"t1,ann@example.com,2024-03-01,2024-03-02\n"
        b"t2,bob@example.com,2024-03-05,\n"
    )
    report = import_file(
        store,
        tickets,
        "tickets.csv",
        kind="tickets",
        mapping={
            "ticket_id": "Ticket",
            "customer_email": "Email",
            "opened_at": "Opened",
            "solved_at": "Solved",
        },
    )
    assert report.rows_loaded == 2
    rows = _rows(store, "SELECT ticket_id, status, satisfaction FROM support_tickets ORDER BY 1")
    assert rows == [("custom:t1", None, None), ("custom:t2", None, None)]


def test_spend_without_a_currency_column(store):
    spend = b"Day,Channel,Cost\n2024-03-01,Meta Ads,12.50\n2024-03-02,Meta Ads,7.50\n"
    report = import_file(
        store,
        spend,
        "spend.csv",
        kind="spend",
        mapping={"spend_date": "Day", "channel": "Channel", "spend_amount": "Cost"},
    )
    assert report.rows_loaded == 2
    assert _rows(store, "SELECT sum(spend_amount), count(currency) FROM marketing_spend") == [
        (Decimal("20.00"), 0)
    ]

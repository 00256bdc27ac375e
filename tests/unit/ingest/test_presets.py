"""Source presets: recognition, mapping of real export layouts, user mappings.

Headers are copied from the export notes (real exports or vendor sources); rows are fake
(example.com emails). Every expected value below was read off the rows by hand.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import pytest

from clv.ingest.presets import (
    PRESETS,
    apply_mapping,
    apply_preset,
    get_preset,
    guess_kind,
    header_signature,
    looks_french,
    recognise,
    suggest_mapping,
)
from clv.ingest.types import FileProblem, RawTable, field_names


def make_raw(
    columns: list[str] | str,
    rows: list[dict[str, str] | list[str]],
    *,
    line_numbers: list[int] | None = None,
    delimiter: str | None = ",",
    preamble: list[str] | None = None,
    extra_header_rows: list[list[str]] | None = None,
    encoding: str | None = "utf-8",
) -> RawTable:
    """A RawTable as the reader would produce it: text cells, empty cells as None."""
    if isinstance(columns, str):
        columns = columns.split(delimiter or ",")
    records = []
    for row in rows:
        if isinstance(row, dict):
            unknown = set(row) - set(columns)
            assert not unknown, f"test row has columns not in the header: {unknown}"
            records.append([row.get(c) for c in columns])
        else:
            assert len(row) == len(columns), "test row and header differ in length"
            records.append(list(row))
    data = pd.DataFrame(
        {
            c: pd.Series(
                [(r[i] if r[i] not in ("", None) else None) for r in records], dtype=object
            )
            for i, c in enumerate(columns)
        }
    )
    return RawTable(
        columns=list(columns),
        data=data,
        line_numbers=line_numbers or list(range(2, len(records) + 2)),
        file_format="csv",
        encoding=encoding,
        delimiter=delimiter,
        preamble=preamble or [],
        extra_header_rows=extra_header_rows or [],
    )


def col(mapped, name: str) -> list:
    return mapped.data[name].tolist()


def all_text(mapped) -> str:
    return " | ".join(str(v) for v in mapped.data.drop(columns="line_no").to_numpy().ravel())


# --------------------------------------------------------------------------------------------
# Fixtures per preset

SHOPIFY_ORDERS_HEADER = (
    "Name,Email,Financial Status,Paid at,Fulfillment Status,Fulfilled at,Accepts Marketing,Currency,"
    "Subtotal,Shipping,Taxes,Total,Discount Code,Discount Amount,Shipping Method,Created at,"
    "Lineitem quantity,Lineitem name,Lineitem price,Lineitem compare at price,Lineitem sku,"
    "Lineitem requires shipping,Lineitem taxable,Lineitem fulfillment status,Billing Name,"
    "Billing Street,Billing Address1,Billing Address2,Billing Company,Billing City,Billing Zip,"
    "Billing Province,Billing Country,Billing Phone,Shipping Name,Shipping Street,Shipping Address1,"
    "Shipping Address2,Shipping Company,Shipping City,Shipping Zip,Shipping Province,"
    "Shipping Country,Shipping Phone,Notes,Note Attributes,Cancelled at,Payment Method,"
    "Payment Reference,Refunded Amount,Vendor,Outstanding Balance,Employee,Location,Device ID,Id,"
    "Tags,Risk Level,Source,Lineitem discount,Tax 1 Name,Tax 1 Value,Tax 2 Name,Tax 2 Value,"
    "Tax 3 Name,Tax 3 Value,Tax 4 Name,Tax 4 Value,Tax 5 Name,Tax 5 Value,Phone,Receipt Number,"
    "Duties,Billing Province Name,Shipping Province Name,Payment ID,Payment Terms Name,"
    "Next Payment Due At,Payment References"
)


def shopify_orders_raw() -> RawTable:
    created = "2025-04-01 17:18:52 -0400"
    first = {
        "Name": "#1001",
        "Email": "ana@example.com",
        "Financial Status": "paid",
        "Currency": "EUR",
        "Subtotal": "50.00",
        "Shipping": "9.90",
        "Total": "59.90",
        "Discount Code": "WELCOME",
        "Discount Amount": "5.00",
        "Created at": created,
        "Lineitem quantity": "2",
        "Lineitem name": "Mug",
        "Lineitem price": "15.00",
        "Lineitem sku": "MUG-1",
        "Billing Name": "Ana Example",
        "Billing Street": "1 Rue Exemple",
        "Billing Phone": "'+33123456789",
        "Billing Country": "FR",
        "Shipping Country": "FR",
        "Notes": "Leave at the door",
        "Note Attributes": "utm_source: facebook\nIP address: 192.0.2.1",
        "Payment Method": "Shopify Payments",
        "Refunded Amount": "0.00",
        "Id": "5550001",
        "Source": "web",
    }
    continuation = {
        "Name": "#1001",
        "Email": "ana@example.com",
        "Created at": created,
        "Lineitem quantity": "1",
        "Lineitem name": "Tea",
        "Lineitem price": "20.00",
        "Lineitem sku": "TEA-1",
        "Vendor": "Acme",
    }
    second = {
        "Name": "#1002",
        "Email": "bo@example.com",
        "Financial Status": "refunded",
        "Currency": "EUR",
        "Total": "20.00",
        "Created at": "2025-04-02 09:00:00 -0400",
        "Lineitem quantity": "1",
        "Lineitem name": "Tea",
        "Lineitem price": "20.00",
        "Lineitem sku": "TEA-1",
        "Shipping Country": "CA",
        "Cancelled at": "2025-04-03 10:00:00 -0400",
        "Payment Method": "manual",
        "Refunded Amount": "20.00",
        "Tags": "vip",
        "Source": "shopify_draft_order",
    }
    # The first record spans lines 2-3 (multi-line Note Attributes).
    return make_raw(SHOPIFY_ORDERS_HEADER, [first, continuation, second], line_numbers=[2, 4, 5])


WOO_PLUGIN_HEADER = (
    "order_number,order_date,paid_date,completed_date,status,payment_method,payment_method_title,"
    "order_currency,shipping_total,tax_total,discount_total,order_total,customer_email,customer_note,"
    "billing_first_name,billing_last_name,billing_company,billing_address_1,billing_address_2,"
    "billing_city,billing_state,billing_postcode,billing_country,billing_phone,billing_email,"
    "shipping_first_name,shipping_last_name,shipping_company,shipping_address_1,shipping_address_2,"
    "shipping_city,shipping_state,shipping_postcode,shipping_country,product_name,sku,quantity,"
    "item_total"
)


def woo_plugin_raw() -> RawTable:
    base = {
        "order_number": "10001",
        "order_date": "2026-04-26 21:32:57",
        "status": "completed",
        "payment_method": "bacs",
        "payment_method_title": "Direct bank transfer",
        "order_currency": "USD",
        "customer_email": "ana@example.com",
        "billing_first_name": "Ana",
        "billing_last_name": "Example",
        "billing_phone": "+1-555-0100",
        "billing_email": "ana@example.com",
        "billing_country": "US",
        "shipping_country": "US",
    }
    return make_raw(
        WOO_PLUGIN_HEADER,
        [
            base
            | {
                "order_total": "855.25",
                "discount_total": "0.00",
                "customer_note": "Ring twice",
                "product_name": "Painting Supplies",
                "sku": "woo-import-0065",
                "quantity": "2",
                "item_total": "432.32",
            },
            base
            | {
                "product_name": "Cat Food",
                "sku": "woo-import-0034",
                "quantity": "2",
                "item_total": "294.26",
            },
            base
            | {
                "order_number": "10002",
                "order_date": "2026-04-27 00:09:33",
                "status": "pending",
                "payment_method": "cheque",
                "customer_email": "bo@example.com",
                "billing_email": "bo@example.com",
                "order_total": "473.16",
                "product_name": "Boots",
                "sku": "woo-import-0080",
                "quantity": "2",
                "item_total": "169.22",
            },
        ],
    )


def woo_analytics_fr_raw() -> RawTable:
    header = (
        "Date,Commande n°,État,Client,Type de client,Produit(s),Articles vendus,Code(s) promo,"
        "Ventes nettes,Attribution"
    )
    return make_raw(
        header,
        [
            [
                "2024-05-02",
                "1045",
                "Terminée",
                "Jeanne Exemple",
                "Nouveau",
                "Mug × 2",
                "2",
                "",
                "27,90 €",
                "Google",
            ],
            [
                "2024-05-03",
                "1046",
                "Remboursée",
                "Marc Exemple",
                "Connu",
                "Thé × 1",
                "1",
                "BIENVENUE",
                "0,00 €",
                "",
            ],
        ],
    )


STRIPE_HEADER = (
    "id,Created date (UTC),Amount,Amount Refunded,Currency,Captured,Converted Amount,"
    "Converted Amount Refunded,Converted Currency,Decline Reason,Description,Fee,Is Link,"
    "Link Funding,Mode,PaymentIntent ID,Payment Source Type,Refunded date (UTC),"
    "Statement Descriptor,Status,Seller Message,Taxes On Fee,Card ID,Card Name,Card Address Line1,"
    "Card Address Line2,Card Address City,Card Address State,Card Address Country,Card Address Zip,"
    "Card AVS Line1 Status,Card AVS Zip Status,Card Brand,Card CVC Status,Card Exp Month,"
    "Card Exp Year,Card Fingerprint,Card Funding,Card Issue Country,Card Last4,"
    "Card Tokenization Method,Customer ID,Customer Description,Customer Email,Customer Phone,"
    "Shipping Name,Shipping Address Line1,Shipping Address Line2,Shipping Address City,"
    "Shipping Address State,Shipping Address Country,Shipping Address Postal Code,Disputed Amount,"
    "Dispute Date (UTC),Dispute Evidence Due (UTC),Dispute Reason,Dispute Status,Invoice ID,"
    "Invoice Number,Checkout Session ID,Checkout Custom Field 1 Key,Checkout Custom Field 1 Value,"
    "Checkout Custom Field 2 Key,Checkout Custom Field 2 Value,Checkout Custom Field 3 Key,"
    "Checkout Custom Field 3 Value,Checkout Line Item Summary,Checkout Promotional Consent,"
    "Checkout Terms of Service Consent,Client Reference ID,Payment Link ID,UTM Campaign,UTM Content,"
    "UTM Medium,UTM Source,UTM Term,Terminal Location ID,Terminal Reader ID,Application Fee,"
    "Application ID,Destination,Transfer,Transfer Group"
)


def stripe_raw() -> RawTable:
    def payment(**kw: str) -> dict[str, str]:
        base = {
            "Created date (UTC)": "2024-06-07 02:38:54",
            "Amount": "14.99",
            "Amount Refunded": "0.00",
            "Currency": "usd",
            "Captured": "true",
            "Mode": "Live",
            "Status": "Paid",
            "Description": "Order 1001 for Ana",
            "Card Name": "Ana Example",
        }
        return base | {k.replace("_", " "): v for k, v in kw.items()}

    return make_raw(
        STRIPE_HEADER,
        [
            payment(id="ch_1", **{"Customer_Email": "ana@example.com", "Customer_ID": "cus_A"})
            | {"Card Address Country": "US", "UTM Source": "newsletter"},
            payment(id="ch_2", Amount="29.00")
            | {"Amount Refunded": "10.00", "Customer Email": "bo@example.com"},
            payment(id="ch_3", Status="Failed", Captured="false")
            | {"Decline Reason": "card_declined"},
            payment(id="ch_4", Mode="Test") | {"Customer Email": "qa@example.com"},
            payment(id="", Status="requires_payment_method", Captured="false")
            | {"PaymentIntent ID": "pi_9"},
        ],
    )


def prestashop_fr_raw() -> RawTable:
    return make_raw(
        "ID;Référence;Nouveau client;Livraison;Client;Total;Paiement;État;Date",
        [
            [
                "12",
                "XKBKNABJK",
                "1",
                "France",
                "J. Exemple",
                "59,90\u00a0€",
                "Carte bancaire",
                "Paiement accepté",
                "2024-03-05 14:02:11",
            ],
            [
                "13",
                "QWERTYUIO",
                "0",
                "Belgique",
                "M. Exemple",
                "1\u202f120,00\u00a0€",
                "PayPal",
                "Annulé",
                "2024-03-06 09:15:00",
            ],
        ],
        delimiter=";",
    )


SHOPIFY_CUSTOMERS_HEADER = (
    "Customer ID,First Name,Last Name,Email,Accepts Email Marketing,Default Address Company,"
    "Default Address Address1,Default Address Address2,Default Address City,"
    "Default Address Province Code,Default Address Country Code,Default Address Zip,"
    "Default Address Phone,Phone,Accepts SMS Marketing,Total Spent,Total Orders,Note,Tax Exempt,Tags"
)


def shopify_customers_raw() -> RawTable:
    return make_raw(
        SHOPIFY_CUSTOMERS_HEADER,
        [
            {
                "Customer ID": "'9980311896380",
                "First Name": "Ana",
                "Last Name": "Example",
                "Email": "ana@example.com",
                "Accepts Email Marketing": "yes",
                "Default Address City": "Lyon",
                "Default Address Country Code": "FR",
                "Default Address Zip": "'69001",
                "Phone": "'+33123456789",
                "Total Spent": "120.00",
                "Total Orders": "3",
                "Note": "Prefers tea",
            },
            {
                "Customer ID": "'9980311896381",
                "First Name": "Bo",
                "Email": "bo@example.com",
                "Accepts Email Marketing": "no",
                "Default Address Country Code": "CA",
                "Total Spent": "0.00",
                "Total Orders": "0",
            },
        ],
    )


GOOGLE_HEADER = (
    "Day,Campaign status,Campaign,Budget,Currency code,Impr.,Interactions,Cost,Conversions"
)
GOOGLE_PREAMBLE = ["Campaign report", "July 8, 2025 - July 31, 2025"]


def google_ads_raw() -> RawTable:
    return make_raw(
        GOOGLE_HEADER,
        [
            ["2025-07-08", "Enabled", "Brand FR", "50.00", "EUR", "1,204", "88", "42.17", "3.00"],
            [
                "2025-07-08",
                "Enabled",
                "Generic",
                "30.00",
                "EUR",
                "25,881",
                "310",
                "1,234.56",
                "9.00",
            ],
            ["Total: Account", "--", "--", "--", "EUR", "27,085", "398", "1,276.73", "12.00"],
        ],
        line_numbers=[4, 5, 6],
        preamble=GOOGLE_PREAMBLE,
    )


META_HEADER = (
    "Reporting starts,Reporting ends,Campaign name,Campaign delivery,Attribution setting,Results,"
    "Result indicator,Reach,Impressions,Cost per results,Amount spent (USD),Ends"
)


def meta_row(starts: str, ends: str, campaign: str, spent: str) -> list[str]:
    return [
        starts,
        ends,
        campaign,
        "active",
        "7-day click or 1-day view",
        "12",
        "actions:offsite_conversion.fb_pixel_purchase",
        "900",
        "1500",
        "2.50",
        spent,
        "Ongoing",
    ]


def meta_ads_raw() -> RawTable:
    return make_raw(
        META_HEADER,
        [
            meta_row("2024-05-01", "2024-05-02", "", "55.50"),  # the optional summary row
            meta_row("2024-05-01", "2024-05-01", "Spring sale", "30.00"),
            meta_row("2024-05-02", "2024-05-02", "Spring sale", "25.50"),
        ],
    )


TYPEFORM_HEADER = [
    "#",
    "On a scale from 0 to 10, how would you rate your experience with Acme?",
    "How many orders have you placed with us?",
    "What could we do better?",
    "email",
    "utm_source",
    "Response Type",
    "Start Date (UTC)",
    "Stage Date (UTC)",
    "Submit Date (UTC)",
    "Network ID",
    "Tags",
    "Ending",
]


def typeform_raw() -> RawTable:
    def row(token: str, score: str, orders: str, text: str, email: str, submit: str) -> list[str]:
        return [token, score, orders, text, email, "newsletter", "completed",
                "2024-04-01 10:00:00", "2024-04-01 10:01:00", submit, "3f9a", "", "Thanks!"]  # fmt: skip

    return make_raw(
        TYPEFORM_HEADER,
        [
            row("a1b2c3", "9", "12", "Faster shipping", "ana@example.com", "2024-04-01 10:02:00"),
            row("d4e5f6", "6", "3", "", "bo@example.com", "2024-04-02 11:00:00"),
            row("g7h8i9", "10", "1", "Nothing", "cy@example.com", "2024-04-03 12:30:00"),
        ],
    )


SURVEYMONKEY_HEADER = [
    "Respondent ID",
    "Collector ID",
    "Start Date",
    "End Date",
    "IP Address",
    "Email Address",
    "First Name",
    "Last Name",
    "Custom Data 1",
    "How likely is it that you would recommend Acme to a friend or colleague?",
    "What is the main reason for your score?",
]


def surveymonkey_raw() -> RawTable:
    return make_raw(
        SURVEYMONKEY_HEADER,
        [
            [
                "11446531721",
                "404235519",
                "05/01/2024 09:12:03 AM",
                "05/01/2024 09:14:40 AM",
                "192.0.2.10",
                "ana@example.com",
                "Ana",
                "Example",
                "",
                "10",
                "Great tea",
            ],
            [
                "11446531722",
                "404235519",
                "05/02/2024 10:00:00 AM",
                "05/02/2024 10:03:10 AM",
                "192.0.2.11",
                "bo@example.com",
                "Bo",
                "Example",
                "",
                "4",
                "Slow delivery",
            ],
        ],  # fmt: skip
        extra_header_rows=[["", "", "", "", "", "", "", "", "", "Response", "Open-Ended Response"]],
    )


QUALTRICS_HEADER = [
    "StartDate", "EndDate", "Status", "IPAddress", "Progress", "Duration (in seconds)", "Finished",
    "RecordedDate", "ResponseId", "RecipientLastName", "RecipientFirstName", "RecipientEmail",
    "ExternalReference", "LocationLatitude", "LocationLongitude", "DistributionChannel",
    "UserLanguage", "Q1", "Q1_NPS_GROUP", "Q2",
]  # fmt: skip
QUALTRICS_QUESTIONS = [
    "Start Date", "End Date", "Response Type", "IP Address", "Progress", "Duration (in seconds)",
    "Finished", "Recorded Date", "Response ID", "Recipient Last Name", "Recipient First Name",
    "Recipient Email", "External Data Reference", "Location Latitude", "Location Longitude",
    "Distribution Channel", "User Language",
    "How likely are you to recommend Acme to a friend?",
    "How likely are you to recommend Acme to a friend? - Group", "Why?",
]  # fmt: skip
QUALTRICS_IMPORT_IDS = [
    '{"ImportId":"startDate","timeZone":"Europe/Paris"}',
    '{"ImportId":"endDate","timeZone":"Europe/Paris"}',
    '{"ImportId":"status"}', '{"ImportId":"ipAddress"}', '{"ImportId":"progress"}',
    '{"ImportId":"duration"}', '{"ImportId":"finished"}',
    '{"ImportId":"recordedDate","timeZone":"Europe/Paris"}',
    '{"ImportId":"_recordId"}', '{"ImportId":"recipientLastName"}',
    '{"ImportId":"recipientFirstName"}', '{"ImportId":"recipientEmail"}',
    '{"ImportId":"externalDataReference"}', '{"ImportId":"locationLatitude"}',
    '{"ImportId":"locationLongitude"}', '{"ImportId":"distributionChannel"}',
    '{"ImportId":"userLanguage"}', '{"ImportId":"QID1"}', '{"ImportId":"QID1_NPS_GROUP"}',
    '{"ImportId":"QID2_TEXT"}',
]  # fmt: skip


def qualtrics_rows() -> list[list[str]]:
    def row(
        status: str, recorded: str, rid: str, email: str, ref: str, q1: str, group: str, q2: str
    ):
        return ["2024-04-02 09:00:00", recorded, status, "192.0.2.20", "100", "60", "1", recorded,
                rid, "", "", email, ref, "48.85", "2.35", "anonymous", "EN", q1, group, q2]  # fmt: skip

    return [
        row("1", "2024-04-02 09:01:00", "R_prev1", "", "", "7", "2", "preview"),
        row("0", "2024-04-03 18:20:00", "R_abc1", "ana@example.com", "C-1001", "9", "3", "Tasty"),
        row("0", "2024-04-04 08:05:00", "R_abc2", "bo@example.com", "", "3", "1", "Late"),
    ]


def qualtrics_raw() -> RawTable:
    return make_raw(
        QUALTRICS_HEADER,
        qualtrics_rows(),
        line_numbers=[4, 5, 6],
        extra_header_rows=[QUALTRICS_QUESTIONS, QUALTRICS_IMPORT_IDS],
    )


def delighted_raw() -> RawTable:
    return make_raw(
        "Response ID,Email,Name,Score,Comment,Response timestamp,Survey type",
        [
            [
                "1001",
                "ana@example.com",
                "Ana Example",
                "10",
                "Love it",
                "2024-05-01 10:00:00",
                "nps",
            ],
            ["1002", "bo@example.com", "Bo Example", "4", "Meh", "2024-05-02 11:00:00", "csat"],
            ["1003", "cy@example.com", "Cy Example", "0", "", "2024-05-03 12:00:00", "nps"],
        ],
    )


ZENDESK_HEADER = (
    "Summation column,Id,Requester,Requester id,Requester external id,Requester email,"
    "Requester domain,Submitter,Assignee,Group,Subject,Tags,Status,Priority,Via,Ticket type,"
    "Created at,Updated at,Assigned at,Organization,Due date,Initially assigned at,Solved at,"
    "Resolution time,Satisfaction Score,Group stations,Assignee stations,Reopens,Replies,"
    "First reply time in minutes,First reply time in minutes within business hours,"
    "First resolution time in minutes,First resolution time in minutes within business hours,"
    "Full resolution time in minutes,Full resolution time in minutes within business hours,"
    "Agent wait time in minutes,Agent wait time in minutes within business hours,"
    "Requester wait time in minutes,Requester wait time in minutes within business hours,"
    "On hold time in minutes,On hold time in minutes within business hours"
)


def zendesk_raw() -> RawTable:
    return make_raw(
        ZENDESK_HEADER,
        [
            {
                "Id": "101",
                "Requester": "Ana Example",
                "Requester id": "3001",
                "Requester email": "ana@example.com",
                "Requester domain": "example.com",
                "Subject": "Broken mug",
                "Tags": "damage",
                "Status": "Solved",
                "Via": "Mail",
                "Created at": "2024-05-01 10:00",
                "Solved at": "2024-05-02 11:00",
                "Satisfaction Score": "Good",
            },
            {
                "Id": "102",
                "Requester": "Bo Example",
                "Requester id": "3002",
                "Requester email": "bo@example.com",
                "Subject": "Where is my order?",
                "Status": "Open",
                "Via": "Web form",
                "Created at": "2024-05-03 09:30",
                "Satisfaction Score": "Offered",
            },
        ],
    )


def gorgias_raw() -> RawTable:
    return make_raw(
        "Ticket id,Subject,Customer email,Customer name,Channel,Status,Created datetime,"
        "Closed datetime,Satisfaction score,Tags",
        [
            [
                "55001",
                "Refund please",
                "ana@example.com",
                "Ana Example",
                "email",
                "closed",
                "2024-05-01T10:00:00Z",
                "2024-05-01T15:00:00Z",
                "5",
                "refund",
            ],
            [
                "55002",
                "Sizing",
                "bo@example.com",
                "Bo Example",
                "chat",
                "open",
                "2024-05-02T08:00:00Z",
                "",
                "",
                "",
            ],
        ],  # fmt: skip
    )


FRESHDESK_HEADER = (
    "Ticket ID,Subject,Status,Priority,Source,Type,Agent,Group,Created time,Due by Time,"
    "Resolved time,Closed time,Last update time,First response time (in hrs),"
    "Resolution time (in hrs),Full name,Email,Survey results"
)


def freshdesk_raw() -> RawTable:
    def row(
        tid: str, status: str, created: str, resolved: str, closed: str, email: str, survey: str
    ):
        return [tid, "Question about my order", status, "Low", "Email", "Question", "Agent One",
                "Support", created, "2024-05-05 10:00:00", resolved, closed, "2024-05-04 10:00:00",
                "1.5", "20", "Ana Example", email, survey]  # fmt: skip

    return make_raw(
        FRESHDESK_HEADER,
        [
            row(
                "7",
                "Resolved",
                "2024-05-01 10:00:00",
                "2024-05-02 09:00:00",
                "",
                "ana@example.com",
                "Awesome",
            ),
            row(
                "8",
                "Closed",
                "2024-05-01 12:00:00",
                "",
                "2024-05-03 17:00:00",
                "bo@example.com",
                "",
            ),
            row("9", "Open", "2024-05-04 08:00:00", "", "", "cy@example.com", ""),
        ],
    )


BUILDERS: dict[str, Callable[[], RawTable]] = {
    "shopify_orders": shopify_orders_raw,
    "woocommerce": woo_plugin_raw,
    "stripe_payments": stripe_raw,
    "prestashop": prestashop_fr_raw,
    "shopify_customers": shopify_customers_raw,
    "google_ads": google_ads_raw,
    "meta_ads": meta_ads_raw,
    "typeform": typeform_raw,
    "surveymonkey": surveymonkey_raw,
    "qualtrics": qualtrics_raw,
    "delighted": delighted_raw,
    "zendesk": zendesk_raw,
    "gorgias": gorgias_raw,
    "freshdesk": freshdesk_raw,
}


# --------------------------------------------------------------------------------------------
# Every preset


def test_every_preset_has_a_fixture():
    assert set(BUILDERS) == {p.name for p in PRESETS}


@pytest.mark.parametrize("name", list(BUILDERS))
def test_recognise_ranks_the_right_preset_first(name):
    matches = recognise(BUILDERS[name]())
    assert matches, f"{name} not recognised"
    assert matches[0].preset.name == name
    assert 0 < matches[0].score <= 1
    if len(matches) > 1:
        assert matches[0].score > matches[1].score


@pytest.mark.parametrize("name", list(BUILDERS))
def test_mapped_table_shape(name):
    preset = get_preset(name)
    mapped = apply_preset(BUILDERS[name](), name)
    assert mapped.kind == preset.kind
    assert mapped.source == name
    assert set(mapped.data.columns) <= set(field_names(preset.kind)) | {"line_no"}
    assert mapped.data.columns[-1] == "line_no"
    assert mapped.data["line_no"].dtype == "int64"
    for c in mapped.data.columns.drop("line_no"):
        assert mapped.data[c].dtype == object
        assert all(v is None or isinstance(v, str) for v in mapped.data[c]), c
    assert list(mapped.data.index) == list(range(len(mapped.data)))


# --------------------------------------------------------------------------------------------
# Orders


def test_shopify_orders_keeps_one_row_per_line_item():
    mapped = apply_preset(shopify_orders_raw(), "shopify_orders")
    assert col(mapped, "order_id") == ["#1001", "#1001", "#1002"]
    assert col(mapped, "line_no") == [2, 4, 5]
    # Order-level fields only where Shopify writes them: the first row of each order.
    assert col(mapped, "total_amount") == ["59.90", None, "20.00"]
    assert col(mapped, "status") == ["paid", None, "refunded"]
    assert col(mapped, "discount_amount") == ["5.00", None, None]
    assert col(mapped, "refunded_amount") == ["0.00", None, "20.00"]
    assert col(mapped, "currency") == ["EUR", None, "EUR"]
    assert col(mapped, "cancelled_at") == [None, None, "2025-04-03 10:00:00 -0400"]
    assert col(mapped, "payment_method") == ["Shopify Payments", None, "manual"]
    assert col(mapped, "tags") == [None, None, "vip"]
    # Repeated on continuation rows by Shopify itself.
    assert col(mapped, "customer_email") == ["ana@example.com", "ana@example.com", "bo@example.com"]
    assert col(mapped, "ordered_at")[1] == "2025-04-01 17:18:52 -0400"
    # Line fields on every row.
    assert col(mapped, "product_name") == ["Mug", "Tea", "Tea"]
    assert col(mapped, "product_id") == ["MUG-1", "TEA-1", "TEA-1"]
    assert col(mapped, "quantity") == ["2", "1", "1"]
    assert col(mapped, "unit_price") == ["15.00", "20.00", "20.00"]
    # Billing country, else shipping country.
    assert col(mapped, "country") == ["FR", None, "CA"]
    # "web" is replaced by the UTM source of Note Attributes; other sources stay.
    assert col(mapped, "channel") == ["facebook", None, "shopify_draft_order"]
    assert mapped.dayfirst is False
    assert mapped.french is False


def test_shopify_orders_drops_names_addresses_phones_and_notes():
    text = all_text(apply_preset(shopify_orders_raw(), "shopify_orders"))
    for personal in (
        "Ana Example",
        "1 Rue Exemple",
        "+33123456789",
        "Leave at the door",
        "192.0.2.1",
    ):
        assert personal not in text


def test_shopify_reduced_export_is_recognised():
    raw = make_raw(
        "Name,Subtotal,Shipping,Taxes,Total,Created at,Billing City,Billing Zip,Billing Province,Billing Country",
        [
            [
                "#1",
                "10.00",
                "2.00",
                "0.00",
                "12.00",
                "2020-01-02 10:00:00 +0100",
                "Paris",
                "'75008",
                "",
                "FR",
            ]
        ],
    )
    assert recognise(raw)[0].preset.name == "shopify_orders"
    mapped = apply_preset(raw, "shopify_orders")
    assert col(mapped, "order_id") == ["#1"]
    assert col(mapped, "total_amount") == ["12.00"]
    assert col(mapped, "country") == ["FR"]
    assert "Paris" not in all_text(mapped)


def test_woocommerce_plugin_rows_per_item():
    mapped = apply_preset(woo_plugin_raw(), "woocommerce")
    assert col(mapped, "order_id") == ["10001", "10001", "10002"]
    assert col(mapped, "total_amount") == ["855.25", None, "473.16"]
    assert col(mapped, "customer_email") == ["ana@example.com", "ana@example.com", "bo@example.com"]
    assert col(mapped, "status") == ["completed", "completed", "pending"]
    assert col(mapped, "payment_method") == ["bacs", "bacs", "cheque"]
    assert col(mapped, "currency") == ["USD", "USD", "USD"]
    assert col(mapped, "country") == ["US", "US", "US"]
    assert col(mapped, "product_name") == ["Painting Supplies", "Cat Food", "Boots"]
    assert col(mapped, "product_id") == ["woo-import-0065", "woo-import-0034", "woo-import-0080"]
    assert col(mapped, "quantity") == ["2", "2", "2"]
    assert col(mapped, "line_amount") == ["432.32", "294.26", "169.22"]
    text = all_text(mapped)
    assert "Ring twice" not in text and "+1-555-0100" not in text and "Example" not in text


def test_woocommerce_packed_line_items_are_unpacked():
    header = (
        "order_id,order_number,order_number_formatted,date,status,shipping_total,shipping_tax_total,"
        "fee_total,fee_tax_total,tax_total,discount_total,order_total,refunded_total,order_currency,"
        "payment_method,shipping_method,customer_id,billing_first_name,billing_last_name,"
        "billing_company,billing_email,billing_phone,billing_address_1,billing_address_2,"
        "billing_postcode,billing_city,billing_state,billing_country,shipping_first_name,"
        "shipping_last_name,shipping_address_1,shipping_address_2,shipping_postcode,shipping_city,"
        "shipping_state,shipping_country,shipping_company,customer_note,line_items,shipping_items,"
        "fee_items,tax_items,coupon_items,refunds,order_notes,download_permissions_granted"
    )
    two_items = (
        "name:Mug|product_id:12|sku:MUG-1|quantity:2|total:27.90|refunded:0.00;"
        "name:Tea|product_id:13|sku:TEA-1|quantity:1|total:27.90|refunded:0.00"
    )
    raw = make_raw(
        header,
        [
            {
                "order_id": "1234",
                "order_number": "1234",
                "date": "2024-03-01 10:00:00",
                "status": "completed",
                "order_total": "55.80",
                "refunded_total": "0.00",
                "order_currency": "EUR",
                "payment_method": "stripe",
                "customer_id": "0",
                "billing_email": "c@example.com",
                "billing_country": "FR",
                "line_items": two_items,
            },
            {
                "order_id": "1235",
                "order_number": "1235",
                "date": "2024-03-02 11:00:00",
                "status": "refunded",
                "order_total": "9.90",
                "refunded_total": "9.90",
                "order_currency": "EUR",
                "payment_method": "paypal",
                "customer_id": "57",
                "billing_email": "d@example.com",
                "billing_country": "BE",
                "line_items": "name:Spoon|product_id:14|sku:SPN-1|quantity:1|total:9.90",
            },
        ],  # fmt: skip
    )
    assert recognise(raw)[0].preset.name == "woocommerce"
    mapped = apply_preset(raw, "woocommerce")
    assert col(mapped, "order_id") == ["1234", "1234", "1235"]
    assert col(mapped, "line_no") == [2, 2, 3]
    assert col(mapped, "product_name") == ["Mug", "Tea", "Spoon"]
    assert col(mapped, "product_id") == ["MUG-1", "TEA-1", "SPN-1"]
    assert col(mapped, "quantity") == ["2", "1", "1"]
    assert col(mapped, "line_amount") == ["27.90", "27.90", "9.90"]
    assert col(mapped, "total_amount") == ["55.80", None, "9.90"]
    assert col(mapped, "refunded_amount") == ["0.00", None, "9.90"]
    assert col(mapped, "customer_email") == ["c@example.com", "c@example.com", "d@example.com"]
    # Customer id 0 is WooCommerce's guest checkout, not a customer.
    assert col(mapped, "customer_ref") == [None, None, "57"]


def test_woocommerce_analytics_french_export():
    raw = woo_analytics_fr_raw()
    assert recognise(raw)[0].preset.name == "woocommerce"
    mapped = apply_preset(raw, "woocommerce")
    assert col(mapped, "order_id") == ["1045", "1046"]
    assert col(mapped, "ordered_at") == ["2024-05-02", "2024-05-03"]
    assert col(mapped, "status") == ["Terminée", "Remboursée"]
    assert col(mapped, "total_amount") == ["27,90 €", "0,00 €"]
    assert col(mapped, "net_amount") == ["27,90 €", "0,00 €"]
    assert col(mapped, "channel") == ["Google", None]
    assert "customer_email" not in mapped.data.columns
    assert "Jeanne Exemple" not in all_text(mapped)
    assert mapped.french is True
    assert any("guest" in n for n in mapped.notes)


def test_stripe_payments():
    mapped = apply_preset(stripe_raw(), "stripe_payments")
    # The attempt without a charge id (line 6) is skipped, with a note.
    assert col(mapped, "order_id") == ["ch_1", "ch_2", "ch_3", "ch_4"]
    assert col(mapped, "line_no") == [2, 3, 4, 5]
    assert any("1 row without a payment id" in n for n in mapped.notes)
    assert col(mapped, "status") == ["Paid", "Paid", "Failed", "Paid"]
    assert col(mapped, "tags") == [None, None, None, "test"]
    assert col(mapped, "total_amount") == ["14.99", "29.00", "14.99", "14.99"]
    assert col(mapped, "refunded_amount") == ["0.00", "10.00", "0.00", "0.00"]
    assert col(mapped, "currency") == ["usd"] * 4
    assert col(mapped, "ordered_at")[0] == "2024-06-07 02:38:54"
    assert col(mapped, "customer_email")[:2] == ["ana@example.com", "bo@example.com"]
    assert col(mapped, "customer_ref")[0] == "cus_A"
    assert col(mapped, "country")[0] == "US"
    assert col(mapped, "channel")[0] == "newsletter"
    assert mapped.timezone is None
    text = all_text(mapped)
    assert "Order 1001 for Ana" not in text and "Ana Example" not in text


def test_stripe_older_created_header():
    raw = make_raw(
        "id,Description,Created (UTC),Amount,Amount Refunded,Currency,Status,Customer Email",
        [["ch_9", "x", "2019-01-02 03:04:05", "5.00", "0.00", "eur", "Paid", "e@example.com"]],
    )
    assert recognise(raw)[0].preset.name == "stripe_payments"
    assert col(apply_preset(raw, "stripe_payments"), "ordered_at") == ["2019-01-02 03:04:05"]


def test_prestashop_french_orders_without_customer_column():
    mapped = apply_preset(prestashop_fr_raw(), "prestashop")
    assert col(mapped, "order_id") == ["12", "13"]
    assert col(mapped, "total_amount") == ["59,90\u00a0€", "1\u202f120,00\u00a0€"]
    assert col(mapped, "status") == ["Paiement accepté", "Annulé"]
    assert col(mapped, "payment_method") == ["Carte bancaire", "PayPal"]
    assert col(mapped, "country") == ["France", "Belgique"]
    assert col(mapped, "ordered_at") == ["2024-03-05 14:02:11", "2024-03-06 09:15:00"]
    assert "customer_ref" not in mapped.data.columns
    assert "customer_email" not in mapped.data.columns
    assert "Exemple" not in all_text(mapped)
    assert mapped.french is True
    assert any("import the customers export too" in n for n in mapped.notes)


def test_prestashop_english_with_customer_id():
    raw = make_raw(
        "ID;Reference;New client;Delivery;Customer;Customer ID;Total;Payment;Status;Date",
        [
            [
                "7",
                "ABCDEFGHI",
                "0",
                "Germany",
                "K. Example",
                "41",
                "€19.00",
                "Bank wire",
                "Delivered",
                "2024-01-02 03:04:05",
            ]
        ],
        delimiter=";",
    )
    assert recognise(raw)[0].preset.name == "prestashop"
    mapped = apply_preset(raw, "prestashop")
    assert col(mapped, "customer_ref") == ["41"]
    assert col(mapped, "status") == ["Delivered"]
    assert not any("guest" in n for n in mapped.notes)
    assert "K. Example" not in all_text(mapped)


# --------------------------------------------------------------------------------------------
# Customers


def test_shopify_customers():
    mapped = apply_preset(shopify_customers_raw(), "shopify_customers")
    # Excel's text-guard apostrophe is removed from ids.
    assert col(mapped, "customer_ref") == ["9980311896380", "9980311896381"]
    assert col(mapped, "customer_email") == ["ana@example.com", "bo@example.com"]
    assert col(mapped, "consent_marketing") == ["yes", "no"]
    assert col(mapped, "country") == ["FR", "CA"]
    text = all_text(mapped)
    for personal in ("Ana", "Example", "Lyon", "69001", "+33123456789", "Prefers tea"):
        assert personal not in text.replace("ana@example.com", "")


def test_shopify_customers_legacy_header():
    raw = make_raw(
        "First Name,Last Name,Email,Company,Address1,Address2,City,Province,Province Code,Country,"
        "Country Code,Zip,Phone,Accepts Marketing,Total Spent,Total Orders,Tags,Note,Tax Exempt",
        [
            [
                "Ana",
                "Example",
                "ana@example.com",
                "",
                "1 Rue",
                "",
                "Lyon",
                "",
                "",
                "France",
                "FR",
                "69001",
                "",
                "yes",
                "10.00",
                "1",
                "",
                "",
                "no",
            ]
        ],  # fmt: skip
    )
    assert recognise(raw)[0].preset.name == "shopify_customers"
    mapped = apply_preset(raw, "shopify_customers")
    assert col(mapped, "consent_marketing") == ["yes"]
    assert col(mapped, "country") == ["FR"]
    assert "customer_ref" not in mapped.data.columns


# --------------------------------------------------------------------------------------------
# Spend


def test_google_ads_daily_report():
    mapped = apply_preset(google_ads_raw(), "google_ads")
    assert col(mapped, "spend_date") == ["2025-07-08", "2025-07-08"]
    assert col(mapped, "campaign") == ["Brand FR", "Generic"]
    assert col(mapped, "spend_amount") == ["42.17", "1,234.56"]
    assert col(mapped, "currency") == ["EUR", "EUR"]
    assert col(mapped, "channel") == ["Google Ads", "Google Ads"]
    assert col(mapped, "line_no") == [4, 5]  # the Total row is dropped


def test_google_ads_french_header():
    raw = make_raw(
        "Jour;Campagne;Code de la devise;Impr.;Clics;Coût",
        [["2025-07-08", "Marque", "EUR", "1 204", "88", "42,17"]],
        delimiter=";",
        preamble=["Rapport sur les campagnes", "8 juillet 2025 - 31 juillet 2025"],
    )
    assert recognise(raw)[0].preset.name == "google_ads"
    mapped = apply_preset(raw, "google_ads")
    assert col(mapped, "spend_date") == ["2025-07-08"]
    assert col(mapped, "spend_amount") == ["42,17"]
    assert col(mapped, "currency") == ["EUR"]
    assert col(mapped, "channel") == ["Google Ads"]
    assert mapped.french is True


def test_google_ads_without_day_segment_is_a_file_problem():
    raw = make_raw(
        "Campaign status,Campaign,Budget,Currency code,Impr.,Cost",
        [["Enabled", "Brand FR", "50.00", "EUR", "1,204", "42.17"]],
        preamble=GOOGLE_PREAMBLE,
    )
    assert recognise(raw)[0].preset.name == "google_ads"
    with pytest.raises(FileProblem, match="Day"):
        apply_preset(raw, "google_ads")


def test_meta_ads_daily_rows_with_currency_from_header():
    mapped = apply_preset(meta_ads_raw(), "meta_ads")
    # The summary row (no campaign, two-day window) is dropped.
    assert col(mapped, "line_no") == [3, 4]
    assert col(mapped, "spend_date") == ["2024-05-01", "2024-05-02"]
    assert col(mapped, "campaign") == ["Spring sale", "Spring sale"]
    assert col(mapped, "spend_amount") == ["30.00", "25.50"]
    assert col(mapped, "currency") == ["USD", "USD"]
    assert col(mapped, "channel") == ["Meta Ads", "Meta Ads"]


def test_meta_ads_without_daily_breakdown_is_a_file_problem():
    raw = make_raw(META_HEADER, [meta_row("2024-05-01", "2024-05-31", "Spring sale", "300.00")])
    assert recognise(raw)[0].preset.name == "meta_ads"
    with pytest.raises(FileProblem, match="By day"):
        apply_preset(raw, "meta_ads")


def test_meta_ads_french_with_day_column():
    raw = make_raw(
        "Début des rapports;Fin des rapports;Nom de la campagne;Jour;Montant dépensé (EUR);Impressions",
        [
            ["2024-05-01", "2024-05-31", "Soldes", "2024-05-01", "12,30", "800"],
            ["2024-05-01", "2024-05-31", "Soldes", "2024-05-02", "8,00", "500"],
        ],
        delimiter=";",
    )
    assert recognise(raw)[0].preset.name == "meta_ads"
    mapped = apply_preset(raw, "meta_ads")
    assert col(mapped, "spend_date") == ["2024-05-01", "2024-05-02"]
    assert col(mapped, "campaign") == ["Soldes", "Soldes"]
    assert col(mapped, "spend_amount") == ["12,30", "8,00"]
    assert col(mapped, "currency") == ["EUR", "EUR"]
    assert mapped.french is True


# --------------------------------------------------------------------------------------------
# NPS


def test_typeform_score_found_by_content():
    mapped = apply_preset(typeform_raw(), "typeform")
    # The question has no NPS word; it is the only column of whole numbers 0..10
    # ("How many orders" has 12).
    assert col(mapped, "score") == ["9", "6", "10"]
    assert col(mapped, "response_id") == ["a1b2c3", "d4e5f6", "g7h8i9"]
    assert col(mapped, "answered_at") == [
        "2024-04-01 10:02:00",
        "2024-04-02 11:00:00",
        "2024-04-03 12:30:00",
    ]
    assert col(mapped, "customer_email") == ["ana@example.com", "bo@example.com", "cy@example.com"]
    assert mapped.timezone is None
    assert "Faster shipping" not in all_text(mapped)


def test_typeform_with_two_unnamed_score_columns_asks_for_a_mapping():
    header = ["#", "Rate our tea", "Rate our mugs", "Submit Date (UTC)"]
    raw = make_raw(header, [["t1", "9", "7", "2024-01-01 00:00:00"]])
    with pytest.raises(FileProblem, match="Rate our tea, Rate our mugs"):
        apply_preset(raw, "typeform")


def test_surveymonkey():
    mapped = apply_preset(surveymonkey_raw(), "surveymonkey")
    assert col(mapped, "response_id") == ["11446531721", "11446531722"]
    assert col(mapped, "customer_email") == ["ana@example.com", "bo@example.com"]
    assert col(mapped, "answered_at") == ["05/01/2024 09:14:40 AM", "05/02/2024 10:03:10 AM"]
    assert col(mapped, "score") == ["10", "4"]
    assert "Slow delivery" not in all_text(mapped)


def test_surveymonkey_answer_labels_keep_the_number():
    raw = make_raw(
        SURVEYMONKEY_HEADER,
        [["1", "2", "05/01/2024", "05/01/2024", "", "a@example.com", "", "", "", "10 - Extremely likely", ""],
         ["3", "2", "05/01/2024", "05/01/2024", "", "b@example.com", "", "", "", "0 - Not at all likely", ""]],
    )  # fmt: skip
    assert col(apply_preset(raw, "surveymonkey"), "score") == ["10", "0"]


def test_qualtrics_preview_dropped_timezone_taken_group_column_ignored():
    raw = qualtrics_raw()
    assert recognise(raw)[0].preset.name == "qualtrics"
    mapped = apply_preset(raw, "qualtrics")
    assert col(mapped, "response_id") == ["R_abc1", "R_abc2"]
    assert col(mapped, "line_no") == [5, 6]
    # Q1 is the score; Q1_NPS_GROUP (3 / 1) is Qualtrics' derived group, not the score.
    assert col(mapped, "score") == ["9", "3"]
    assert col(mapped, "answered_at") == ["2024-04-03 18:20:00", "2024-04-04 08:05:00"]
    assert col(mapped, "customer_email") == ["ana@example.com", "bo@example.com"]
    assert col(mapped, "customer_ref") == ["C-1001", None]
    assert mapped.timezone == "Europe/Paris"
    assert any("1 preview" in n for n in mapped.notes)


def test_qualtrics_header_rows_left_in_the_data():
    rows = [QUALTRICS_QUESTIONS, QUALTRICS_IMPORT_IDS, *qualtrics_rows()]
    raw = make_raw(QUALTRICS_HEADER, rows, line_numbers=[2, 3, 4, 5, 6])
    mapped = apply_preset(raw, "qualtrics")
    assert col(mapped, "response_id") == ["R_abc1", "R_abc2"]
    assert col(mapped, "score") == ["9", "3"]
    assert col(mapped, "line_no") == [5, 6]
    assert mapped.timezone == "Europe/Paris"


def test_qualtrics_text_status_preview():
    rows = qualtrics_rows()
    rows[0][2] = "Survey Preview"
    rows[1][2] = rows[2][2] = "IP Address"
    raw = make_raw(QUALTRICS_HEADER, rows, extra_header_rows=[QUALTRICS_QUESTIONS])
    mapped = apply_preset(raw, "qualtrics")
    assert col(mapped, "response_id") == ["R_abc1", "R_abc2"]
    assert mapped.timezone is None  # no ImportId row: dates taken as UTC


def test_qualtrics_group_column_is_never_the_score():
    # Without the question-text row there is no name hint: Q1 and Q1_NPS_GROUP both hold
    # 0..10 integers, and only the group column's name rules it out.
    raw = make_raw(QUALTRICS_HEADER, qualtrics_rows()[1:])
    assert col(apply_preset(raw, "qualtrics"), "score") == ["9", "3"]


def test_delighted_keeps_nps_answers_only():
    mapped = apply_preset(delighted_raw(), "delighted")
    assert col(mapped, "response_id") == ["1001", "1003"]
    assert col(mapped, "score") == ["10", "0"]
    assert col(mapped, "customer_email") == ["ana@example.com", "cy@example.com"]
    assert col(mapped, "answered_at") == ["2024-05-01 10:00:00", "2024-05-03 12:00:00"]
    assert "Love it" not in all_text(mapped) and "Ana Example" not in all_text(mapped)


# --------------------------------------------------------------------------------------------
# Tickets


def test_zendesk_legacy_csv():
    mapped = apply_preset(zendesk_raw(), "zendesk")
    assert col(mapped, "ticket_id") == ["101", "102"]
    assert col(mapped, "customer_email") == ["ana@example.com", "bo@example.com"]
    assert col(mapped, "customer_ref") == ["3001", "3002"]
    assert col(mapped, "opened_at") == ["2024-05-01 10:00", "2024-05-03 09:30"]
    assert col(mapped, "solved_at") == ["2024-05-02 11:00", None]
    assert col(mapped, "status") == ["Solved", "Open"]
    # "Offered" says a survey was sent, not how the customer rated.
    assert col(mapped, "satisfaction") == ["Good", None]
    text = all_text(mapped)
    assert "Broken mug" not in text and "Ana Example" not in text


def test_zendesk_api_layout():
    raw = make_raw(
        "id,subject,status,priority,assignee_id,requester_id,organization_id,tags,created_at,updated_at",
        [["35436", "Help, my printer is on fire!", "open", "urgent", "235323", "20978392", "509974",
          "['enterprise', 'other_tag']", "2009-07-20T22:55:29Z", "2011-05-05T10:38:52Z"]],
    )  # fmt: skip
    assert recognise(raw)[0].preset.name == "zendesk"
    mapped = apply_preset(raw, "zendesk")
    assert col(mapped, "ticket_id") == ["35436"]
    assert col(mapped, "customer_ref") == ["20978392"]
    assert col(mapped, "opened_at") == ["2009-07-20T22:55:29Z"]
    assert col(mapped, "status") == ["open"]
    assert "printer" not in all_text(mapped)


def test_gorgias():
    mapped = apply_preset(gorgias_raw(), "gorgias")
    assert col(mapped, "ticket_id") == ["55001", "55002"]
    assert col(mapped, "customer_email") == ["ana@example.com", "bo@example.com"]
    assert col(mapped, "opened_at") == ["2024-05-01T10:00:00Z", "2024-05-02T08:00:00Z"]
    assert col(mapped, "solved_at") == ["2024-05-01T15:00:00Z", None]
    assert col(mapped, "status") == ["closed", "open"]
    assert col(mapped, "satisfaction") == ["5", None]
    assert "Refund please" not in all_text(mapped)


def test_freshdesk_solved_at_falls_back_to_closed_time():
    mapped = apply_preset(freshdesk_raw(), "freshdesk")
    assert col(mapped, "ticket_id") == ["7", "8", "9"]
    assert col(mapped, "solved_at") == ["2024-05-02 09:00:00", "2024-05-03 17:00:00", None]
    assert col(mapped, "opened_at") == [
        "2024-05-01 10:00:00",
        "2024-05-01 12:00:00",
        "2024-05-04 08:00:00",
    ]
    assert col(mapped, "customer_email") == ["ana@example.com", "bo@example.com", "cy@example.com"]
    assert col(mapped, "satisfaction") == ["Awesome", None, None]
    assert "Question about my order" not in all_text(mapped)


# --------------------------------------------------------------------------------------------
# Unknown layouts


def test_unrelated_header_recognises_nothing():
    raw = make_raw("foo,bar", [["1", "2"]])
    assert recognise(raw) == []
    assert guess_kind(raw) is None
    assert suggest_mapping(raw, "orders") == {}


def test_apply_preset_on_another_layout_is_a_file_problem():
    with pytest.raises(FileProblem, match="Shopify"):
        apply_preset(make_raw("foo,bar", [["1", "2"]]), "shopify_orders")


def test_get_preset_lists_names():
    assert get_preset("meta_ads").kind == "spend"
    with pytest.raises(ValueError, match="shopify_orders.*freshdesk"):
        get_preset("magento")


FRENCH_GENERIC = "N° commande;Date;E-mail;Montant TTC"


def test_suggest_mapping_french_generic_header():
    raw = make_raw(FRENCH_GENERIC, [["A-1", "05/01/2024", "a@example.com", "12,50"]], delimiter=";")
    assert suggest_mapping(raw, "orders") == {
        "order_id": "N° commande",
        "ordered_at": "Date",
        "customer_email": "E-mail",
        "total_amount": "Montant TTC",
    }


def test_suggest_mapping_partial_names_and_blocked_words():
    raw = make_raw(
        "Order Number,Order Date (UTC),Customer Email,Discount Code,Order Total (EUR),Refund Amount",
        [["1", "2024-01-01", "a@example.com", "WELCOME", "10.00", "0.00"]],
    )
    assert suggest_mapping(raw, "orders") == {
        "order_id": "Order Number",
        "ordered_at": "Order Date (UTC)",
        "customer_email": "Customer Email",
        "total_amount": "Order Total (EUR)",
        "refunded_amount": "Refund Amount",
    }  # "Discount Code" is a code, not a discount amount


def test_suggest_mapping_uses_each_column_once_and_is_accent_blind():
    raw = make_raw(
        "Numero de commande,Date,Etat,Montant,Montant rembourse", [["1", "d", "s", "1", "0"]]
    )
    mapping = suggest_mapping(raw, "orders")
    assert mapping == {
        "order_id": "Numero de commande",
        "ordered_at": "Date",
        "total_amount": "Montant",
        "refunded_amount": "Montant rembourse",
        "status": "Etat",
    }
    assert len(set(mapping.values())) == len(mapping)


def test_suggest_mapping_nps_score_by_content():
    raw = make_raw(
        "Horodatage,Adresse e-mail,Quelle est votre expérience ?",
        [["01/02/2024 10:00", "a@example.com", "8"], ["02/02/2024 11:00", "b@example.com", "10"]],
    )
    assert suggest_mapping(raw, "nps") == {
        "customer_email": "Adresse e-mail",
        "answered_at": "Horodatage",
        "score": "Quelle est votre expérience ?",
    }


def test_apply_mapping_renames_and_keeps_line_numbers():
    raw = make_raw(
        FRENCH_GENERIC,
        [["A-1", "05/01/2024", "a@example.com", "12,50"], ["A-2", "06/01/2024", None, "3,00"]],
        delimiter=";",
        line_numbers=[2, 3],
    )
    mapped = apply_mapping(raw, "orders", suggest_mapping(raw, "orders"))
    assert list(mapped.data.columns) == [
        "order_id",
        "ordered_at",
        "customer_email",
        "total_amount",
        "line_no",
    ]
    assert col(mapped, "order_id") == ["A-1", "A-2"]
    assert col(mapped, "customer_email") == ["a@example.com", None]
    assert col(mapped, "line_no") == [2, 3]
    assert mapped.source == "custom"
    assert mapped.french is True


def test_apply_mapping_missing_required_field():
    raw = make_raw(FRENCH_GENERIC, [["A-1", "05/01/2024", "a@example.com", "12,50"]], delimiter=";")
    with pytest.raises(ValueError, match=r"Pick the column.*Order date \(ordered_at\)") as err:
        apply_mapping(raw, "orders", {"order_id": "N° commande", "total_amount": "Montant TTC"})
    assert "order_id" not in str(err.value)


def test_apply_mapping_unknown_column_and_field():
    raw = make_raw("a,b", [["1", "2"]])
    with pytest.raises(ValueError, match="'Amount'"):
        apply_mapping(raw, "spend", {"spend_date": "a", "spend_amount": "Amount"})
    with pytest.raises(ValueError, match="'revenue' is not a field of spend"):
        apply_mapping(raw, "spend", {"spend_date": "a", "spend_amount": "b", "revenue": "b"})
    with pytest.raises(ValueError, match="Unknown kind"):
        apply_mapping(raw, "invoices", {})


@pytest.mark.parametrize(
    ("header", "kind"),
    [
        (FRENCH_GENERIC, "orders"),
        ("order id;date;total", "orders"),
        ("Date;Campaign;Spend", "spend"),
        ("Jour;Campagne;Dépense", "spend"),
        ("email;How likely are you to recommend us?;date", "nps"),
        ("e-mail;Score NPS;date", "nps"),
        ("Ticket number;Opened;email", "tickets"),
        ("email;first name;total spent;total orders", "customers"),
    ],
)
def test_guess_kind_from_header_words(header, kind):
    raw = make_raw(header, [["x"] * len(header.split(";"))], delimiter=";")
    assert recognise(raw) == []
    assert guess_kind(raw) == kind


def test_guess_kind_uses_a_recognised_preset():
    assert guess_kind(google_ads_raw()) == "spend"
    assert guess_kind(shopify_customers_raw()) == "customers"


def test_header_signature():
    sig = header_signature(["Order ID", "Date", "Total"])
    assert len(sig) == 64 and int(sig, 16) >= 0
    assert sig == header_signature(["Order ID", "Date", "Total"])
    assert sig == header_signature([" order id ", "DATE", "total"])
    assert sig != header_signature(["Date", "Order ID", "Total"])
    assert sig != header_signature(["Order ID", "Date", "Amount"])
    assert header_signature(["a,b"]) != header_signature(["a", "b"])


def test_looks_french():
    assert looks_french(make_raw("a;b", [["1", "2"]], delimiter=";"))
    assert looks_french(make_raw("Référence,Total", [["1", "2.00"]]))
    assert looks_french(make_raw("Numero commande,Total", [["1", "2.00"]]))
    assert looks_french(make_raw("id,total", [["1", "59,90"], ["2", "1 234,00 €"]]))
    assert not looks_french(make_raw("id,total", [["1", "59.90"], ["2", "25,881"]]))
    assert not looks_french(google_ads_raw())


@pytest.mark.parametrize("name", list(BUILDERS))
def test_header_only_export_maps_to_an_empty_table(name):
    full = BUILDERS[name]()
    empty = make_raw(
        full.columns,
        [],
        delimiter=full.delimiter,
        preamble=full.preamble,
        extra_header_rows=full.extra_header_rows,
    )
    mapped = apply_preset(empty, name)
    assert len(mapped.data) == 0
    assert "line_no" in mapped.data.columns

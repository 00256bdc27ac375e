"""Property: every valid row survives import -> store -> read unchanged."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clv.compliance.privacy import pseudonymize
from clv.ingest.pipeline import import_file
from clv.store import Store

KEY = b"property-key"
MAPPING = {
    "order_id": "Order",
    "ordered_at": "Date",
    "customer_email": "Email",
    "total_amount": "Total",
    "currency": "Currency",
}

order_ids = st.text(alphabet="ABCDEFGHJKLMNPQRSTUVWXYZ0123456789-#", min_size=1, max_size=12)
emails = st.builds(
    lambda user, domain: f"{user}@{domain}.fr",
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789._", min_size=1, max_size=10).filter(
        lambda s: not s.startswith(".")
    ),
    st.sampled_from(["exemple", "boutique", "mail"]),
)
moments = st.datetimes(min_value=datetime(2015, 1, 1), max_value=datetime(2030, 12, 31)).map(
    lambda d: d.replace(microsecond=0)
)
cents = st.integers(min_value=0, max_value=10_000_000)
rows = st.lists(
    st.tuples(order_ids, moments, emails, cents, st.sampled_from(["EUR", "USD", "CHF"])),
    min_size=1,
    max_size=25,
    unique_by=lambda r: r[0],
)


def _file(records, style: str) -> bytes:
    out = io.StringIO()
    delimiter = ";" if style == "fr" else ","
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(["Order", "Date", "Email", "Total", "Currency"])
    for order_id, moment, email, amount, currency in records:
        euros, rest = divmod(amount, 100)
        if style == "fr":
            # French Excel: dd/mm/yyyy, decimal comma, narrow no-break space thousands.
            when = moment.strftime("%d/%m/%Y %H:%M:%S")
            total = f"{euros:,}".replace(",", "\u202f") + f",{rest:02d}"
        else:
            when = moment.strftime("%Y-%m-%d %H:%M:%S")
            total = f"{euros:,}.{rest:02d}"
        writer.writerow([order_id, when, email, total, currency])
    return out.getvalue().encode("utf-8")


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(records=rows, style=st.sampled_from(["fr", "en"]))
def test_valid_rows_survive_import_unchanged(tmp_path_factory, records, style):
    path = tmp_path_factory.mktemp("prop") / "clv.duckdb"
    with Store(path, pseudonym_key=KEY) as store:
        report = import_file(
            store,
            _file(records, style),
            "export.csv",
            kind="orders",
            mapping=MAPPING,
            dayfirst=True,
        )
        assert report.rows_rejected == 0
        assert report.rows_loaded == len(records)
        with store.cursor() as cur:
            stored = {
                r[0]: r[1:]
                for r in cur.execute(
                    "SELECT order_id, ordered_at, customer_id, gross_amount, net_amount, currency "
                    "FROM orders"
                ).fetchall()
            }
    for order_id, moment, email, amount, currency in records:
        value = Decimal(amount) / 100
        got = stored[f"custom:{order_id}"]
        assert got[0] - moment < timedelta(seconds=1)
        assert got[1:] == (pseudonymize(email, KEY), value, value, currency)

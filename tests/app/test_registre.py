"""The record of processing (clv.compliance.registre) and the Registre page under AppTest."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

import ui
from clv.compliance import gdpr
from clv.compliance.privacy import pseudonymize
from clv.compliance.registre import ServerFacts, holdings, record_of_processing
from clv.metrics.overview import base_summary
from clv.store import Store
from tests.apptest import rerun, run_page

PAGE = "views/registre.py"
TODAY = dt.date(2025, 6, 30)


def _insert(cur, table: str, rows: list[dict]) -> None:
    cur.register("_rows", pd.DataFrame(rows))
    cur.execute(f"INSERT INTO {table} BY NAME SELECT *, 0 AS import_id FROM _rows")
    cur.unregister("_rows")


@pytest.fixture
def small_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Three customers (one refused analytics, one with a shop number), four orders (one
    from 2020, so its customer is past a 3-year retention on 2025-06-30), one NPS answer,
    one import; the key comes from a file beside the data."""
    monkeypatch.delenv("CLV_PSEUDONYM_KEY", raising=False)
    store = Store(tmp_path / "shop.duckdb")
    with store.transaction() as cur:
        _insert(
            cur,
            "customers",
            [
                {"customer_id": "c_a", "source_customer_id": "101", "consent_analytics": True},
                {"customer_id": "c_b", "consent_analytics": False},
                {"customer_id": "c_c", "consent_analytics": None},
            ],
        )
        _insert(
            cur,
            "orders",
            [
                {"order_id": o, "customer_id": c, "ordered_at": pd.Timestamp(d), "status": "paid",
                 "gross_amount": 10.0, "net_amount": 10.0, "source": "test"}
                for o, c, d in (("o1", "c_a", "2025-01-01"), ("o2", "c_a", "2025-02-01"),
                                ("o3", "c_b", "2025-03-01"), ("o4", "c_c", "2020-05-05"))
            ],
        )  # fmt: skip
        _insert(
            cur,
            "nps_responses",
            [{"response_id": "r1", "customer_id": "c_a", "answered_at": pd.Timestamp("2025-03-03"), "score": 9}],
        )  # fmt: skip
        cur.execute(
            "INSERT INTO imports (import_id, file_name, sha256, kind, source_preset, imported_at) "
            "VALUES (1, 'orders.csv', 'x', 'orders', 'custom', TIMESTAMP '2025-06-01')"
        )
    yield store
    store.close()


def test_holdings_count_what_the_store_holds(small_store):
    held = holdings(small_store)
    assert held["rows"]["customers"] == 3 and held["rows"]["orders"] == 4
    assert held["rows"]["nps_responses"] == 1 and held["rows"]["imports"] == 1
    assert held["rows"]["order_lines"] == 0 and held["rows"]["rejected_rows"] == 0
    assert held["customers"] == 3 and held["shop_numbers"] == 1
    assert (held["consent_refused"], held["consent_granted"], held["consent_unknown"]) == (1, 1, 1)
    assert held["text_cells_with_at"] == 0
    assert held["kinds"] == ["orders"]
    # An '@' that slipped into any text cell is counted (here a file name).
    with small_store.transaction() as cur:
        cur.execute("UPDATE imports SET file_name = 'from jo@shop.fr.csv'")
    assert holdings(small_store)["text_cells_with_at"] == 1


def test_record_in_english(small_store):
    server = ServerFacts(address="127.0.0.1", upload_limit_mb=200, login=False, xsrf=True)
    text = record_of_processing(small_store, "en", server=server, today=TODAY)
    assert text.startswith("# Record of processing activities")
    assert "Written on 30/06/2025 from the contents of the store `shop.duckdb`" in text
    assert "## Legal basis\n\n*to fill in*" in text
    assert "The shop's customers: 3 person(s)" in text
    assert (
        "| Customers | 3 | pseudonymous id (HMAC of the email); the shop's customer number (1);"
        in text
    )
    assert "| Orders | 4 |" in text and "| NPS answers | 1 |" in text
    assert "| Rejected rows | 0 |" in text and "| Import log | 1 |" in text
    assert "Checked when this record was written: 0 text cell(s)" in text
    assert "1 import(s) of files exported from the shop's tools (Orders)." in text
    # c_c's last activity (2020-05-05) is before 2022-06-30; c_b (refused) counted, switch off.
    assert "3 year(s) after the customer's last activity" in text
    assert "Today 1 customer(s) are past it (last activity before 30/06/2022)" in text
    assert "counted in the metrics (1 customer(s); leaving them out can be turned on)" in text
    assert (
        "kept outside the data file (file `pseudonym.key` beside the store, readable by its owner only)"
        in text
    )
    assert "- Server listening on this machine only (127.0.0.1)." in text
    assert "- Uploaded files limited to 200 MB; XSRF protection on." in text
    assert "## Recipients\n\nNone" in text and "None by the app." in text


def test_record_in_french_follows_the_settings(small_store, monkeypatch):
    gdpr.set_retention_years(small_store, 6)
    gdpr.set_respect_consent(small_store, True)
    monkeypatch.setenv("CLV_PSEUDONYM_KEY", "from-the-environment")
    server = ServerFacts(address="", upload_limit_mb=50, login=False, xsrf=True)
    text = record_of_processing(small_store, "fr", server=server, today=TODAY)
    assert text.startswith("# Registre des activités de traitement")
    assert "## Base légale\n\n*à compléter*" in text
    assert "| Commandes | 4 |" in text
    # Six years back: 2019-06-30; c_c (2020-05-05) is no longer past it.
    assert "6 an(s) après la dernière activité" in text
    assert (
        "À ce jour, 0 client(s) dépassent cette durée (dernière activité avant le 30/06/2019)"
        in text
    )
    assert "exclus des indicateurs (1 client(s))" in text
    assert "(variable d'environnement CLV_PSEUDONYM_KEY)" in text
    assert (
        "Serveur à l'écoute du réseau (toutes les interfaces) : **aucune connexion configurée**"
        in text
    )
    assert "limitée à 50 Mo" in text


def test_record_of_an_empty_store(tmp_path):
    with Store(tmp_path / "clv.duckdb", pseudonym_key=b"k") as store:
        text = record_of_processing(store, "en", today=TODAY)
    assert "The shop's customers: 0 person(s)" in text
    assert "| Orders | 0 |" in text and "| Customers | 0 |" in text
    assert "0 import(s) of files exported from the shop's tools (none so far)." in text
    assert "Today 0 customer(s) are past it" in text
    # No server facts given: the address is left to the controller.
    assert "- Address the server listens on: *to fill in*" in text


# -- the page ---------------------------------------------------------------------------------


def _markdown(at) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_registre_page_on_the_demo_shop(app_demo_db: Path) -> None:
    at = run_page(PAGE, "en")
    assert at.title[0].value == "GDPR record and people's rights"
    store = ui.open_store(str(app_demo_db), "1GB", 2)
    assert not at.info or "holds no customer data" not in at.info[0].value
    text = _markdown(at)
    assert "# Record of processing activities" in text
    orders = holdings(store)["rows"]["orders"]
    assert f"| Orders | {orders:,} |" in text
    # The purge count shown equals the one computed on the file.
    with store.cursor() as cur:
        due = len(gdpr.inactive_customers(cur, 3))
    warning = next(w.value for w in at.warning if "would be deleted" in w.value)
    assert warning.startswith(f"**{due:,}** customer(s) with no activity since")

    # Erase a demo customer: prepare, see the counts, confirm.
    email = "client00042@exemple.fr"
    pseudonym = pseudonymize(email, store.pseudonym_key)
    with store.cursor() as cur:
        orders_of = cur.execute(
            "SELECT count(*) FROM orders WHERE customer_id = ?", [pseudonym]
        ).fetchone()[0]
    assert orders_of > 0
    at.text_input(key="registre_erase_email").input(email)
    at.button(key="registre_erase_submit").click()
    rerun(at)
    confirm = next(w.value for w in at.warning if "Erase for good" in w.value)
    assert f"pseudonym `{pseudonym}`" in confirm and f"orders {orders_of}," in confirm
    at.button(key="registre_erase_do").click()
    rerun(at)
    done = at.success[0].value
    assert done.startswith("Customer erased:") and f"orders {orders_of}," in done
    assert "The data file was rewritten" in done
    assert any("Copies outside the store" in i.value for i in at.info)
    with store.cursor() as cur:
        assert (
            cur.execute(
                "SELECT count(*) FROM orders WHERE customer_id = ?", [pseudonym]
            ).fetchone()[0]
            == 0
        )
    assert holdings(store)["rows"]["orders"] == orders - orders_of

    # The consent switch: on, the refusers leave the base summary.
    refused = holdings(store)["consent_refused"]
    before = base_summary(store)["customers"]
    at.toggle(key="registre_consent").set_value(True)
    rerun(at)
    assert gdpr.respects_consent(store)
    with store.cursor() as cur:
        refusers_who_bought = cur.execute(
            "SELECT count(DISTINCT o.customer_id) FROM orders o JOIN customers c USING (customer_id) "
            "WHERE c.consent_analytics = FALSE AND o.status = 'paid'"
        ).fetchone()[0]
    assert refused > 0 and refusers_who_bought > 0
    assert base_summary(store)["customers"] == before - refusers_who_bought
    at.toggle(key="registre_consent").set_value(False)
    rerun(at)
    assert not gdpr.respects_consent(store)


def test_registre_page_in_french_with_an_invalid_email(app_demo_db: Path) -> None:
    at = run_page(PAGE, "fr")
    assert at.title[0].value == "Registre RGPD et droits des personnes"
    assert "# Registre des activités de traitement" in _markdown(at)
    at.text_input(key="registre_erase_email").input("pas un e-mail")
    at.button(key="registre_erase_submit").click()
    rerun(at)
    assert at.error[0].value.startswith("Ce n'est pas une adresse e-mail")


def test_registre_page_on_an_empty_store(app_empty_db: Path) -> None:
    at = run_page(PAGE, "en")
    assert "The store holds no customer data yet" in at.info[0].value
    assert "Import the orders" in at.info[0].value
    assert at.page_link[0].label == "Go to the Data page"
    text = _markdown(at)
    assert "| Orders | 0 |" in text and "The shop's customers: 0 person(s)" in text
    assert any("nothing to purge" in i.value for i in at.info)

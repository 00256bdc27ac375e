"""The app and its pages, run headless with Streamlit's AppTest.

Two stores: the demo shop (1,500 customers, loaded by the app itself at first start) and
an empty store whose user removed the demo. Uploads go through ``at.file_uploader``.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import ui
from clv.formatting import escape_markdown
from clv.ingest.presets import header_signature
from clv.store import Store

APP = str(Path(__file__).resolve().parents[2] / "app.py")
DATA_PAGE = "views/data.py"
NNBSP = "\u202f"

# A French PrestaShop export: ';' delimiter, decimal comma, euro amounts with spaces.
PRESTASHOP_CSV = (
    "ID;Référence;Nouveau client;Livraison;Client;Total;Paiement;État;Date\n"
    "1;XKBKNABJK;1;France;J. Dupont;59,90 €;Carte bancaire;Paiement accepté;2024-03-05 10:12:00\n"
    "2;OHSATSERP;0;France;M. Martin;120,00 €;Virement bancaire;Paiement accepté;2024-03-06 14:30:00\n"
    "3;WKRDGNHPU;1;Belgique;A. Leroy;1 234,50 €;PayPal;Paiement accepté;2024-03-07 09:00:00\n"
).encode()

# A layout no preset knows: the user maps the columns.
CUSTOM_CSV = (
    b"Numero,Quand,Montant,Mail\n"
    b"A-1,2024-01-15,10.00,ann@example.com\n"
    b"A-2,2024-01-16,25.50,bob@example.com\n"
    b"A-3,not a date,30.00,cy@example.com\n"
)


@pytest.fixture(autouse=True)
def full_error_details() -> Iterator[None]:
    """Show exceptions in full (the app's config hides them from users)."""
    from streamlit import config

    before = config.get_option("client.showErrorDetails")
    config.set_option("client.showErrorDetails", "full")
    yield
    config.set_option("client.showErrorDetails", before)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory, pseudonym_key: str) -> Iterator[Path]:
    """A data file that the app fills with the demo shop at its first run."""
    path = tmp_path_factory.mktemp("demo") / "clv.duckdb"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CLV_DB", str(path))
        patch.setenv("CLV_PSEUDONYM_KEY", pseudonym_key)
        patch.setenv("CLV_DEMO_CUSTOMERS", "1500")
        yield path


@pytest.fixture
def declined_db(tmp_db: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty data file whose user removed the demo (the app must not load it again)."""
    monkeypatch.setenv("CLV_DEMO_CUSTOMERS", "1500")
    with Store(tmp_db, memory_limit="1GB", threads=2) as store:
        store.set_setting("demo_declined", True)
    return tmp_db


def app_store(path: Path) -> Store:
    """The store the app opened (the same cached object, not a second connection)."""
    return ui.open_store(str(path), "1GB", 2)


def run_app(lang: str = "en", page: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["lang"] = lang
    at.run()
    if page is not None:
        at.switch_page(page)
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def metric_values(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def all_text(at: AppTest) -> str:
    parts = [
        e.value for e in (*at.markdown, *at.caption, *at.info, *at.success, *at.error, *at.warning)
    ]
    return "\n".join(str(p) for p in parts)


# -- demo store ------------------------------------------------------------------------


def test_first_start_loads_the_demo_and_shows_the_overview(demo_db):
    at = run_app("en")
    assert at.title[0].value == "Overview"
    store = app_store(demo_db)
    imports = store.imports()
    assert imports["source_preset"].tolist() == ["demo"]
    values = metric_values(at)
    # Every demo customer places a first order; some orders are cancelled or refunded.
    customers = int(values["Customers"].replace(",", ""))
    assert 1000 < customers <= 1500
    assert int(values["Paid orders"].replace(",", "")) > customers
    assert values["Net revenue"].startswith("€")
    # the sidebar names the data file and counts the orders
    sidebar = "\n".join(c.value for c in at.sidebar.caption)
    assert str(demo_db) in sidebar.replace("\\", "")
    with store.cursor() as cur:
        orders = cur.execute("SELECT count(*) FROM orders").fetchone()[0]
    assert f"**Orders**: {orders:,}" in sidebar
    assert [toast.value for toast in at.toast] == ["Demo shop loaded"]


def test_overview_in_french(demo_db):
    at = run_app("fr")
    assert at.title[0].value == "Vue d'ensemble"
    values = metric_values(at)
    assert {"Clients", "Commandes payées", "Chiffre d'affaires net"} <= set(values)
    # French groups thousands with a narrow no-break space and puts € after the amount
    assert NNBSP in values["Commandes payées"]
    assert values["Chiffre d'affaires net"].endswith("\u00a0€")
    assert "Commandes du **" in all_text(at)


def test_data_page_on_the_demo_store(demo_db):
    at = run_app("fr", DATA_PAGE)
    assert at.title[0].value == "Données"
    assert at.subheader[0].value == "Importer un fichier"
    assert "Historique des imports" in [s.value for s in at.subheader]
    history = at.dataframe[0].value
    assert history["kind"].tolist() == ["Démo (tout)"]
    assert at.button(key="data_demo_remove") is not None
    # the delete button stays disabled until the deletion is confirmed
    assert at.button(key="data_delete_button").disabled


def test_language_switch_renames_the_pages(demo_db):
    at = run_app("en")
    at.sidebar.selectbox(key="lang_select").set_value("fr").run()
    assert not at.exception
    assert at.title[0].value == "Vue d'ensemble"


# -- empty store -----------------------------------------------------------------------


def test_empty_store_overview_points_to_the_data_page(declined_db):
    at = run_app("en")
    assert not at.metric
    assert "No orders yet" in at.info[0].value
    assert app_store(declined_db).is_empty()  # the demo was not loaded again


def test_empty_store_data_page_says_what_to_upload(declined_db):
    at = run_app("fr", DATA_PAGE)
    assert "Commencez par l'export des **commandes**" in at.info[0].value
    assert at.file_uploader(key="data_upload") is not None
    assert "Aucun import pour l'instant." in [c.value for c in at.caption]
    assert at.button(key="data_demo_reload") is not None


def test_upload_a_french_prestashop_file(declined_db):
    # English: AppTest formats option labels outside the session, in the default language.
    at = run_app("en", DATA_PAGE)
    at.file_uploader(key="data_upload").set_value(("commandes.csv", PRESTASHOP_CSV, "text/csv"))
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.selectbox(key="data_kind").value == "orders"
    assert at.selectbox(key="data_source").value == "prestashop"
    preview = at.dataframe[0].value
    assert len(preview) == 3
    assert set(preview["Client"]) == {"•••"}  # names are masked in the preview

    at.button(key="data_import_button").click().run()
    assert not at.exception, [e.value for e in at.exception]
    values = metric_values(at)
    assert values["Rows read"] == "3"
    assert values["Added"] == "3"
    assert values["Rejected rows"] == "0"
    store = app_store(declined_db)
    with store.cursor() as cur:
        total = cur.execute("SELECT sum(net_amount) FROM orders").fetchone()[0]
    assert float(total) == pytest.approx(59.90 + 120.00 + 1234.50)

    # the history lists it; deleting needs the confirmation
    at.switch_page(DATA_PAGE).run()
    history = at.dataframe[0].value
    assert history["file_name"].tolist() == ["commandes.csv"]
    import_id = int(history["import_id"][0])
    at.selectbox(key="data_delete_id").set_value(import_id)
    at.checkbox(key="data_delete_confirm").check().run()
    at.button(key="data_delete_button").click().run()
    assert not at.exception
    assert [s.value for s in at.success] == [f"Import no. {import_id} deleted."]  # report gone
    assert store.is_empty()
    # deleting one's own import does not bring the demo back
    assert store.get_setting("demo_declined") is True


def test_import_notes_are_shown_in_french(declined_db):
    # Imported in English (see above: AppTest formats option labels in English), then the
    # user switches to French: the report's notes follow the language.
    at = run_app("en", DATA_PAGE)
    at.file_uploader(key="data_upload").set_value(("commandes.csv", PRESTASHOP_CSV, "text/csv"))
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    at.button(key="data_import_button").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert "counted as guest orders" in "\n".join(m.value for m in at.markdown)
    at.sidebar.selectbox(key="lang_select").set_value("fr").run()
    assert not at.exception, [e.value for e in at.exception]
    assert metric_values(at)["Ajoutés"] == "3"
    notes = "\n".join(m.value for m in at.markdown)
    # Notes are plain text made inert for Markdown: compare with the escaped French.
    for french in (
        "La liste des commandes de PrestaShop n'a ni e-mail ni numéro client : les commandes "
        "sont comptées comme commandes d'invités ; importez aussi l'export des clients.",
        "3 commandes n'ont ni e-mail ni numéro client : elles comptent dans le chiffre "
        "d'affaires, comme commandes d'invités.",
    ):
        assert f"- {escape_markdown(french)}" in notes
    assert "guest" not in notes


def test_a_file_problem_is_shown_in_french(declined_db):
    at = run_app("fr", DATA_PAGE)
    at.file_uploader(key="data_upload").set_value(("vide.csv", b"", "text/csv"))
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert [e.value for e in at.error] == [
        escape_markdown(
            "Le fichier est vide : vide.csv fait 0 octet. Exportez-le à nouveau et importez "
            "le nouveau fichier."
        )
    ]


def test_unknown_layout_is_mapped_by_hand_and_bad_rows_rejected(declined_db):
    at = run_app("en", DATA_PAGE)
    at.file_uploader(key="data_upload").set_value(("my_shop.csv", CUSTOM_CSV, "text/csv"))
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.selectbox(key="data_source").value == "custom"
    at.selectbox(key="data_kind").set_value("orders").run()
    at.selectbox(key="data_map_orders_order_id").set_value("Numero")
    at.selectbox(key="data_map_orders_ordered_at").set_value("Quand")
    at.selectbox(key="data_map_orders_total_amount").set_value("Montant")
    at.selectbox(key="data_map_orders_customer_email").set_value("Mail")
    at.run()
    assert not at.button(key="data_import_button").disabled
    at.button(key="data_import_button").click().run()
    assert not at.exception, [e.value for e in at.exception]
    values = metric_values(at)
    assert values["Rows read"] == "3"
    assert values["Added"] == "2"
    assert values["Rejected rows"] == "1"
    rejected = at.dataframe[0].value
    assert rejected["line_no"].tolist() == [4]  # header is line 1
    assert at.download_button(key="data_report_rejected_csv") is not None
    store = app_store(declined_db)
    assert store.imports()["rows_rejected"].tolist() == [1]
    # the mapping is remembered for the next file with the same header
    saved = store.saved_mapping(header_signature(["Numero", "Quand", "Montant", "Mail"]))
    assert saved == (
        "orders",
        {
            "order_id": "Numero",
            "ordered_at": "Quand",
            "total_amount": "Montant",
            "customer_email": "Mail",
        },
    )


def test_rejected_reasons_are_shown_in_french(declined_db):
    at = run_app("en", DATA_PAGE)
    at.file_uploader(key="data_upload").set_value(("my_shop.csv", CUSTOM_CSV, "text/csv"))
    at.run()
    at.selectbox(key="data_kind").set_value("orders").run()
    for field, column in (
        ("order_id", "Numero"),
        ("ordered_at", "Quand"),
        ("total_amount", "Montant"),
    ):
        at.selectbox(key=f"data_map_orders_{field}").set_value(column)
    at.run()
    at.button(key="data_import_button").click().run()
    assert at.dataframe[0].value["reason"].tolist() == ["order date not understood: not a date"]
    at.sidebar.selectbox(key="lang_select").set_value("fr").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.dataframe[0].value["reason"].tolist() == ["date de commande illisible: not a date"]
    # the rejected rows of the history too (stored in English, read back from the store)
    fresh = run_app("fr", DATA_PAGE)
    assert fresh.dataframe[-1].value["reason"].tolist() == [
        "date de commande illisible: not a date"
    ]


def test_missing_required_columns_block_the_import(declined_db):
    at = run_app("en", DATA_PAGE)
    at.file_uploader(key="data_upload").set_value(("my_shop.csv", CUSTOM_CSV, "text/csv"))
    at.run()
    at.selectbox(key="data_kind").set_value("orders").run()
    for field in ("ordered_at", "total_amount"):
        at.selectbox(key=f"data_map_orders_{field}").set_value("")
    at.run()
    assert at.button(key="data_import_button").disabled
    assert "Choose a column for: Order date, Order total." in [w.value for w in at.warning]


def test_unreadable_file_shows_the_problem_and_stores_nothing(declined_db):
    at = run_app("en", DATA_PAGE)
    at.file_uploader(key="data_upload").set_value(("orders.csv", b"", "text/csv"))
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert len(at.error) == 1
    assert app_store(declined_db).is_empty()
    assert "data_import_button" not in [b.key for b in at.button]


def test_removing_the_demo_is_remembered_and_can_be_undone(tmp_db, monkeypatch):
    monkeypatch.setenv("CLV_DEMO_CUSTOMERS", "300")
    at = run_app("en", DATA_PAGE)
    store = app_store(tmp_db)
    assert store.imports()["source_preset"].tolist() == ["demo"]

    at.button(key="data_demo_remove").click().run()
    assert not at.exception
    assert store.is_empty()
    assert store.get_setting("demo_declined") is True
    assert "Demo data removed" in at.success[0].value

    # a new visitor (or a restart) does not get the demo back
    fresh = run_app("en")
    assert "No orders yet" in fresh.info[0].value
    assert store.is_empty()

    fresh.switch_page(DATA_PAGE).run()
    fresh.button(key="data_demo_reload").click().run()
    assert not fresh.exception, [e.value for e in fresh.exception]
    assert store.imports()["source_preset"].tolist() == ["demo"]
    assert store.get_setting("demo_declined") is False
    assert fresh.button(key="data_demo_remove") is not None


def test_ambiguous_dates_ask_day_or_month_first(declined_db):
    # 05/01/2024 and 06/01/2024: nothing in the file tells 5 January from May 1.
    content = b"Numero,Quand,Montant\nB-1,05/01/2024,10.00\nB-2,06/01/2024,20.00\n"
    at = run_app("en", DATA_PAGE)
    at.file_uploader(key="data_upload").set_value(("dates.csv", content, "text/csv"))
    at.run()
    at.selectbox(key="data_kind").set_value("orders").run()
    at.selectbox(key="data_map_orders_order_id").set_value("Numero")
    at.selectbox(key="data_map_orders_ordered_at").set_value("Quand")
    at.selectbox(key="data_map_orders_total_amount").set_value("Montant")
    at.run()
    question = at.radio(key="data_dayfirst")
    assert question.label == "Dates like 05/01/2023 are:"
    assert question.options == ["day/month (5 January)", "month/day (May 1)"]
    question.set_value(False).run()
    at.button(key="data_import_button").click().run()
    assert not at.exception, [e.value for e in at.exception]
    with app_store(declined_db).cursor() as cur:
        dates = cur.execute("SELECT order_id, ordered_at::DATE FROM orders ORDER BY 1").fetchall()
    # order ids are namespaced by source ("custom:B-1"); month first: 05/01 is May 1
    assert [(o.split(":")[-1], d.isoformat()) for o, d in dates] == [
        ("B-1", "2024-05-01"),
        ("B-2", "2024-06-01"),
    ]


def test_file_names_are_shown_as_text_not_markdown(declined_db):
    name = "[win](http://evil.example) **now**.csv"
    at = run_app("en", DATA_PAGE)
    at.file_uploader(key="data_upload").set_value((name, PRESTASHOP_CSV, "text/csv"))
    at.run()
    at.button(key="data_import_button").click().run()
    assert not at.exception, [e.value for e in at.exception]
    message = at.success[0].value
    # every Markdown-active character is escaped: no link, no bold
    assert message.startswith(r"\[win\]\(http\://evil\.example\) \*\*now\*\*\.csv imported")


def test_a_data_file_held_by_another_program_gives_a_clear_message(tmp_db):
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time; con = duckdb.connect(sys.argv[1]); print('ready', flush=True); "
            "time.sleep(60)",
            str(tmp_db),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        at = run_app("en")
        assert "is in use by another program" in at.error[0].value
        assert not at.title  # the page stops there
    finally:
        holder.kill()
        holder.wait(timeout=10)


def test_cdnow_sample_replaces_the_demo_shop(tmp_db, monkeypatch):
    monkeypatch.setenv("CLV_DEMO_CUSTOMERS", "300")
    at = run_app("en", DATA_PAGE)
    at.button(key="data_cdnow_load").click().run()
    assert not at.exception, [e.value for e in at.exception]
    store = app_store(tmp_db)
    # The demo import is gone and stays gone; CDNOW's 6,919 purchases of 2,357 customers are in.
    assert store.imports()["source_preset"].tolist() == ["cdnow"]
    assert store.get_setting("demo_declined") is True
    with store.cursor() as cur:
        assert cur.execute(
            "SELECT count(*), count(DISTINCT customer_id) FROM orders"
        ).fetchone() == (6919, 2357)
    assert "CDNOW sample loaded: 6,919 orders." in at.success[0].value
    assert "The CDNOW sample is loaded" in all_text(at)

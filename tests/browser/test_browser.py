"""The whole app in a real browser: a Streamlit server and headless Chromium.

Starts ``streamlit run app.py`` on a free port with a temporary data file (the app loads a
small demo shop), opens the overview in French, then uploads a PrestaShop export through
the real file chooser on the Data page and checks the import report. Screenshots go to
``tests/artifacts/`` (ignored by git).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
TIMEOUT_MS = 60_000

PRESTASHOP_CSV = (
    "ID;Référence;Nouveau client;Livraison;Client;Total;Paiement;État;Date\n"
    "1;XKBKNABJK;1;France;J. Dupont;59,90 €;Carte bancaire;Paiement accepté;2024-03-05 10:12:00\n"
    "2;OHSATSERP;0;France;M. Martin;120,00 €;Virement bancaire;Paiement accepté;2024-03-06 14:30:00\n"
    "3;WKRDGNHPU;1;Belgique;A. Leroy;1 234,50 €;PayPal;Paiement accepté;2024-03-07 09:00:00\n"
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1) as reply:
            return reply.read().decode() == "ok"
    except OSError:
        return False


@contextmanager
def streamlit_server(env: dict[str, str], folder: Path) -> Iterator[tuple[str, int]]:
    """``streamlit run app.py`` on a free local port with ``env``, its log in ``folder``;
    yields the URL and the server's process id once it answers its health check, and
    stops it afterwards."""
    port = _free_port()
    log_path = folder / "streamlit.log"
    with log_path.open("w+", encoding="utf-8") as log:
        process = subprocess.Popen(
            [
                sys.executable, "-m", "streamlit", "run", "app.py",
                "--server.headless", "true",
                "--server.port", str(port),
                "--server.address", "127.0.0.1",
                "--browser.gatherUsageStats", "false",
                "--server.fileWatcherType", "none",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 60
            while not _healthy(port):
                if process.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    pytest.fail("the Streamlit server did not start:\n" + log.read())
                time.sleep(0.3)
            yield f"http://127.0.0.1:{port}", process.pid
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory, pseudonym_key: str) -> Iterator[str]:
    if not CHROMIUM.exists():
        pytest.skip(
            "needs Chromium at /usr/bin/chromium (`make test` installs it; apt install chromium)"
        )
    folder = tmp_path_factory.mktemp("browser")
    env = {
        **os.environ,
        "CLV_DB": str(folder / "clv.duckdb"),
        "CLV_DEMO_CUSTOMERS": "1500",
        "CLV_PSEUDONYM_KEY": pseudonym_key,
    }
    with streamlit_server(env, folder) as (url, _pid):
        yield url


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


def wait_for_app(page) -> None:
    """Until the script run is over and nothing is left loading."""
    from playwright.sync_api import expect

    page.wait_for_selector("[data-testid='stApp']", state="attached", timeout=TIMEOUT_MS)
    app = page.locator("[data-testid='stApp']")
    if app.get_attribute("data-test-script-state") is not None:
        page.locator("[data-testid='stApp'][data-test-script-state='notRunning']").wait_for(
            state="attached", timeout=TIMEOUT_MS
        )
    page.wait_for_timeout(300)
    page.wait_for_selector("[data-testid='stStatusWidget']", state="detached", timeout=TIMEOUT_MS)
    expect(page.get_by_test_id("stSkeleton")).to_have_count(0, timeout=TIMEOUT_MS)


def screenshot_whole_page(page, path: Path) -> None:
    """A screenshot of the whole page. The app scrolls inside its main block, not the
    window: the window grows to the block's height first."""
    height = page.evaluate("document.querySelector(\"[data-testid='stMain']\").scrollHeight")
    page.set_viewport_size({"width": 1400, "height": int(height) + 100})
    page.wait_for_timeout(1500)  # let the figures redraw at the new size
    page.screenshot(path=path, full_page=True)


LOCALES = {"fr": "fr-FR", "en": "en-GB"}


@contextmanager
def opened(browser, url: str, lang: str = "fr", height: int = 1600) -> Iterator:
    """A fresh browser context in ``lang`` on ``url``, waited for; an alert fails the test
    (it would mean text from a file ran as a script)."""
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(locale=LOCALES[lang], viewport={"width": 1400, "height": height})
    page = context.new_page()
    page.on("dialog", lambda dialog: pytest.fail(f"unexpected dialog: {dialog.message}"))
    try:
        page.goto(url, timeout=TIMEOUT_MS)
        wait_for_app(page)
        yield page
    finally:
        context.close()


def test_overview_and_import_in_french(app_url, browser, tmp_path):
    from playwright.sync_api import expect

    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(locale="fr-FR", viewport={"width": 1400, "height": 1600})
    page = context.new_page()
    # An alert would mean text from a file ran as a script.
    page.on("dialog", lambda dialog: pytest.fail(f"unexpected dialog: {dialog.message}"))
    try:
        page.goto(app_url, timeout=TIMEOUT_MS)
        wait_for_app(page)
        # The browser speaks French, so does the app; the demo shop is loaded.
        expect(page.get_by_role("heading", name="Vue d'ensemble")).to_be_visible(timeout=TIMEOUT_MS)
        # three figures of the base, then one tile per analysis page
        expect(page.get_by_test_id("stMetric")).to_have_count(8)
        expect(page.get_by_test_id("stMetric").first).to_contain_text("Clients")
        expect(page.get_by_test_id("stMetric").filter(has_text="NPS")).to_have_count(1)
        screenshot_whole_page(page, ARTIFACTS / "overview.png")

        page.get_by_test_id("stSidebarNav").get_by_text("Données").click()
        wait_for_app(page)
        expect(page.get_by_role("heading", name="Importer un fichier")).to_be_visible()

        export = tmp_path / "commandes.csv"
        export.write_text(PRESTASHOP_CSV, encoding="utf-8")
        dropzone = page.get_by_test_id("stFileUploaderDropzone")
        with page.expect_file_chooser() as chooser:
            dropzone.locator("button").click()
        chooser.value.set_files(export)
        wait_for_app(page)

        import_button = page.get_by_role("button", name="Importer", exact=True)
        expect(import_button).to_be_visible(timeout=TIMEOUT_MS)
        import_button.click()
        wait_for_app(page)

        added = page.get_by_test_id("stMetric").filter(has_text="Ajoutés")
        expect(added).to_be_visible(timeout=TIMEOUT_MS)
        expect(added.get_by_test_id("stMetricValue")).to_have_text("3")
        expect(
            page.get_by_test_id("stMetric")
            .filter(has_text="Lignes rejetées")
            .get_by_test_id("stMetricValue")
        ).to_have_text("0")
        expect(page.get_by_text("commandes.csv importé")).to_be_visible()
        page.screenshot(path=ARTIFACTS / "data_report.png", full_page=True)
    finally:
        context.close()


def test_clv_page_in_french(app_url, browser):
    from playwright.sync_api import expect

    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(locale="fr-FR", viewport={"width": 1400, "height": 1600})
    page = context.new_page()
    page.on("dialog", lambda dialog: pytest.fail(f"unexpected dialog: {dialog.message}"))
    try:
        page.goto(app_url, timeout=TIMEOUT_MS)
        wait_for_app(page)
        page.get_by_test_id("stSidebarNav").get_by_text("Valeur vie client").click()
        wait_for_app(page)
        expect(page.get_by_role("heading", name="Valeur vie client (CLV)")).to_be_visible(
            timeout=TIMEOUT_MS
        )
        average = page.get_by_test_id("stMetric").filter(has_text="CLV prédite moyenne")
        expect(average.get_by_test_id("stMetricValue")).to_contain_text("€")
        expect(page.get_by_test_id("stMetric").filter(has_text="Part détenue par les Platine"))
        # every figure is drawn: distribution, cohort, channel, tiers, movements, tracking,
        # per-frequency bars
        expect(page.locator(".js-plotly-plot")).to_have_count(7, timeout=TIMEOUT_MS)
        expect(page.get_by_role("heading", name="Peut-on se fier à ces chiffres ?")).to_be_visible()
        expect(page.get_by_text("Télécharger les résultats par client (CSV)")).to_be_visible()
        screenshot_whole_page(page, ARTIFACTS / "clv.png")
    finally:
        context.close()


ANALYSIS_PAGES = ["acquisition", "retention", "voice", "loyalty", "health", "scenarios"]


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("topic", ANALYSIS_PAGES)
def test_analysis_page(app_url, browser, topic, lang):
    """Each analysis page, reached from the navigation as a user would, in French and in
    English: its title, its tiles and charts drawn, no error box, a CSV download per chart,
    and a screenshot."""
    from playwright.sync_api import expect

    from clv.i18n.catalog import translate

    with opened(browser, app_url, lang) as page:
        nav = page.get_by_test_id("stSidebarNav")
        nav.get_by_text(translate(f"page.{topic}", lang), exact=True).click()
        wait_for_app(page)
        expect(page.get_by_role("heading", name=translate(f"{topic}.title", lang))).to_be_visible(
            timeout=TIMEOUT_MS
        )
        expect(page.get_by_test_id("stException")).to_have_count(0)
        expect(page.get_by_test_id("stMetric").first).to_be_visible()
        charts = page.locator(".js-plotly-plot")
        expect(charts.first).to_be_visible(timeout=TIMEOUT_MS)
        downloads = page.get_by_text(translate("chart.download", lang))
        expect(downloads).to_have_count(charts.count())
        name = topic if lang == "fr" else f"{topic}_en"
        screenshot_whole_page(page, ARTIFACTS / f"{name}.png")


def test_overview_in_english(app_url, browser):
    """The Overview in English: the same eight tiles, English words and number layout."""
    from playwright.sync_api import expect

    with opened(browser, app_url, "en") as page:
        expect(page.get_by_role("heading", name="Overview")).to_be_visible(timeout=TIMEOUT_MS)
        expect(page.get_by_test_id("stMetric")).to_have_count(8)
        revenue = page.get_by_test_id("stMetric").filter(has_text="Net revenue")
        expect(revenue.get_by_test_id("stMetricValue")).to_contain_text("€")
        expect(page.get_by_text("The data file holds")).to_be_visible()
        screenshot_whole_page(page, ARTIFACTS / "overview_en.png")


def test_presentation_mode_enlarges_the_charts(app_url, browser):
    """The sidebar's presentation switch: larger fonts on every chart of the page."""
    from playwright.sync_api import expect

    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(locale="fr-FR", viewport={"width": 1400, "height": 1600})
    page = context.new_page()
    try:
        page.goto(f"{app_url}/loyalty", timeout=TIMEOUT_MS)
        wait_for_app(page)
        title = page.locator(".js-plotly-plot .gtitle").first
        expect(title).to_be_visible(timeout=TIMEOUT_MS)
        before = float(title.evaluate("node => parseFloat(getComputedStyle(node).fontSize)"))
        page.get_by_test_id("stSidebar").get_by_text("Mode présentation").click()
        wait_for_app(page)
        title = page.locator(".js-plotly-plot .gtitle").first
        expect(title).to_be_visible(timeout=TIMEOUT_MS)
        after = float(title.evaluate("node => parseFloat(getComputedStyle(node).fontSize)"))
        assert after > before
        screenshot_whole_page(page, ARTIFACTS / "loyalty_presentation.png")
    finally:
        context.close()


def test_registre_page_in_french(app_url, browser):
    """The GDPR record, written from what the store holds, and its download."""
    from playwright.sync_api import expect

    from clv.i18n.catalog import translate

    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(locale="fr-FR", viewport={"width": 1400, "height": 1600})
    page = context.new_page()
    try:
        page.goto(f"{app_url}/registre", timeout=TIMEOUT_MS)
        wait_for_app(page)
        expect(page.get_by_role("heading", name=translate("registre.title", "fr"))).to_be_visible(
            timeout=TIMEOUT_MS
        )
        expect(page.get_by_test_id("stException")).to_have_count(0)
        expect(page.get_by_test_id("stDownloadButton").first).to_be_visible()
        screenshot_whole_page(page, ARTIFACTS / "registre.png")
    finally:
        context.close()


def _headline(page) -> dict[str, str]:
    values = {}
    for label in ("Clients", "Commandes payées", "Chiffre d'affaires net"):
        metric = page.get_by_test_id("stMetric").filter(has_text=label).first
        values[label] = metric.get_by_test_id("stMetricValue").inner_text()
    return values


def test_one_channel_in_the_sidebar_changes_the_overview_headline(app_url, browser):
    """Choosing one acquisition channel in the sidebar changes the Overview's Customers,
    Paid orders and Net revenue tiles (they used to stay those of the whole store)."""
    from playwright.sync_api import expect

    with opened(browser, app_url) as page:
        expect(page.get_by_role("heading", name="Vue d'ensemble")).to_be_visible(timeout=TIMEOUT_MS)
        before = _headline(page)
        channels = page.get_by_test_id("stSidebar").get_by_test_id("stMultiSelect").first
        channels.click()
        page.get_by_role("option", name="Google Ads", exact=True).click()
        page.keyboard.press("Escape")
        wait_for_app(page)
        expect(page.get_by_text("Filtré")).to_be_visible(timeout=TIMEOUT_MS)
        after = _headline(page)
        for label, value in before.items():
            assert after[label] != value, (label, value)
            digits = int("".join(ch for ch in after[label] if ch.isdigit()))
            assert 0 < digits < int("".join(ch for ch in value if ch.isdigit())), label
        screenshot_whole_page(page, ARTIFACTS / "overview_one_channel.png")


def test_a_direct_link_opens_under_the_router(tmp_path_factory, browser, pseudonym_key):
    """The first visitor after a start opens /data directly: the page runs under the app's
    router (language switch, navigation in the chosen language), with no re-entry trick."""
    from playwright.sync_api import expect

    if not CHROMIUM.exists():
        pytest.skip("needs Chromium at /usr/bin/chromium")
    folder = tmp_path_factory.mktemp("direct")
    env = {
        **os.environ,
        "CLV_DB": str(folder / "clv.duckdb"),
        "CLV_DEMO_CUSTOMERS": "300",
        "CLV_PSEUDONYM_KEY": pseudonym_key,
    }
    with streamlit_server(env, folder) as (url, _pid), opened(browser, f"{url}/data") as page:
        expect(page.get_by_role("heading", name="Importer un fichier")).to_be_visible(
            timeout=TIMEOUT_MS
        )
        nav = page.get_by_test_id("stSidebarNav")
        expect(nav.get_by_text("Vue d'ensemble")).to_be_visible()
        expect(page.get_by_test_id("stSidebar").get_by_text("Langue / Language")).to_be_visible()
        expect(page.get_by_test_id("stException")).to_have_count(0)

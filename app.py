"""Entry point: page setup, language, navigation and the sidebar shared by every page.

Run with ``streamlit run app.py``. This script runs before every page: it names the
pages in the chosen language, draws the shared filters, then hands over to the selected
page.
"""

import streamlit as st

import ui

st.set_page_config(page_title=ui.t("app.title"), page_icon=":material/insights:", layout="wide")
ui.language_switch()
ui.require_login()

# (file, title key, icon, url path); the first one is the home page.
PAGES = [
    ("views/overview.py", "page.overview", ":material/dashboard:", None),
    ("views/clv.py", "page.clv", ":material/savings:", "clv"),
    ("views/acquisition.py", "page.acquisition", ":material/campaign:", "acquisition"),
    ("views/retention.py", "page.retention", ":material/group:", "retention"),
    ("views/voice.py", "page.voice", ":material/reviews:", "voice"),
    ("views/loyalty.py", "page.loyalty", ":material/loyalty:", "loyalty"),
    ("views/health.py", "page.health", ":material/monitor_heart:", "health"),
    ("views/scenarios.py", "page.scenarios", ":material/trending_up:", "scenarios"),
    ("views/data.py", "page.data", ":material/upload_file:", "data"),
    ("views/registre.py", "page.registre", ":material/policy:", "registre"),
]

pages = {
    path: st.Page(
        path,
        title=ui.t(title),
        icon=icon,
        default=url is None,
        **({"url_path": url} if url else {}),
    )
    for path, title, icon, url in PAGES
}
page = st.navigation(list(pages.values()))

store = ui.get_store()
# The data version is read once here; every cached read of this run keys on it.
ui.start_run(store)
# Every page but the Data and Registre pages analyses the data, and honours the shared
# filters.
if page not in (pages["views/data.py"], pages["views/registre.py"]):
    ui.sidebar_filters(store)
ui.sidebar_status(store)
page.run()

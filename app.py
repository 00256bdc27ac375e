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
    ("pages/overview.py", "page.overview", ":material/dashboard:", None),
    ("pages/clv.py", "page.clv", ":material/savings:", "clv"),
    ("pages/acquisition.py", "page.acquisition", ":material/campaign:", "acquisition"),
    ("pages/retention.py", "page.retention", ":material/group:", "retention"),
    ("pages/voice.py", "page.voice", ":material/reviews:", "voice"),
    ("pages/loyalty.py", "page.loyalty", ":material/loyalty:", "loyalty"),
    ("pages/health.py", "page.health", ":material/monitor_heart:", "health"),
    ("pages/scenarios.py", "page.scenarios", ":material/trending_up:", "scenarios"),
    ("pages/data.py", "page.data", ":material/upload_file:", "data"),
    ("pages/registre.py", "page.registre", ":material/policy:", "registre"),
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
# Every page but the Data and Registre pages analyses the data, and honours the shared
# filters.
if page not in (pages["pages/data.py"], pages["pages/registre.py"]):
    ui.sidebar_filters(store)
ui.sidebar_status(store)
ui.mark_router_run()
page.run()

"""Entry point: page setup, language, navigation and the sidebar shared by every page.

Run with ``streamlit run app.py``. This script runs before every page: it names the
pages in the chosen language, then hands over to the selected one.
"""

import streamlit as st

import ui

st.set_page_config(page_title=ui.t("app.title"), page_icon=":material/insights:", layout="wide")
ui.language_switch()

pages = [
    st.Page(
        "pages/overview.py",
        title=ui.t("page.overview"),
        icon=":material/dashboard:",
        default=True,
    ),
    st.Page(
        "pages/clv.py",
        title=ui.t("page.clv"),
        icon=":material/savings:",
        url_path="clv",
    ),
    st.Page(
        "pages/data.py",
        title=ui.t("page.data"),
        icon=":material/upload_file:",
        url_path="data",
    ),
]
page = st.navigation(pages)

store = ui.get_store()
ui.sidebar_status(store)
ui.mark_router_run()
page.run()

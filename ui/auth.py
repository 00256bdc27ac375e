"""Who gets in: the optional OIDC login and its allow-list."""

from __future__ import annotations

import streamlit as st

from ui.format import text
from ui.state import secret, t


def login_configured() -> bool:
    """True when ``.streamlit/secrets.toml`` has an ``[auth]`` section (OIDC login)."""
    return bool(secret("auth", None))


def allowed_emails() -> set[str]:
    """The allow-list (secret ``allowed_emails``), lower case."""
    raw = secret("allowed_emails", []) or []
    if isinstance(raw, str):
        raw = raw.replace(";", ",").split(",")
    return {str(email).strip().lower() for email in raw if str(email).strip()}


def _refused_view() -> None:
    st.title(t("login.refused_title"))
    if not allowed_emails():
        st.error(t("login.no_allow_list"))
    else:
        st.error(t("login.refused", email=text(st.user.get("email") or "?")))
    st.button(t("login.logout"), on_click=st.logout, key="login_logout_refused")


def _login_view() -> None:
    st.title(t("app.title"))
    st.markdown(t("login.why"))
    st.button(t("login.button"), on_click=st.login, key="login_button", type="primary")


def require_login() -> None:
    """Gate every page behind the OIDC login when one is configured.

    Without an ``[auth]`` section nothing happens (``make run`` binds to localhost). With
    one, a visitor who is not logged in sees only the login button, and a logged-in
    visitor whose email is not in ``allowed_emails`` sees only a refusal: no page, no
    navigation, no data. An empty allow-list lets nobody in, so that forgetting it never
    opens the data to every account of the identity provider.
    """
    if not login_configured():
        return
    if not st.user.is_logged_in:
        st.navigation([st.Page(_login_view, title=t("app.title"))], position="hidden").run()
        st.stop()
    email = str(st.user.get("email") or "").strip().lower()
    if email not in allowed_emails():
        st.navigation([st.Page(_refused_view, title=t("app.title"))], position="hidden").run()
        st.stop()
    with st.sidebar:
        st.caption(t("login.as", email=text(st.user.get("email"))))
        st.button(t("login.logout"), on_click=st.logout, key="login_logout")

"""The optional login: with [auth] in the secrets, nobody sees a page without logging
in, and a logged-in account outside the allow-list sees nothing either."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.apptest import APP
from tests.reliability_report import record

AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "test-cookie-secret",
    "client_id": "id",
    "client_secret": "secret",
    "server_metadata_url": "https://example.com/.well-known/openid-configuration",
}


def app(user: dict, **secrets: object) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180)
    at.session_state["lang"] = "en"
    for name, value in secrets.items():
        at.secrets[name] = value
    at.user = user
    return at.run()


def shown(at: AppTest) -> str:
    return "\n".join(
        str(e.value) for e in (*at.title, *at.markdown, *at.caption, *at.error, *at.info)
    )


def test_without_auth_the_app_opens(app_demo_db: Path) -> None:
    at = app({"is_logged_in": False})
    assert not at.exception
    assert at.title[0].value == "Overview"
    assert at.metric  # the data is there


def test_login_required_when_configured(app_demo_db: Path) -> None:
    at = app({"is_logged_in": False}, auth=AUTH, allowed_emails=["cfo@shop.example"])
    assert not at.exception
    assert [b.label for b in at.button] == ["Log in"]
    assert not at.metric and not at.dataframe
    assert "customer data" in shown(at)
    assert "Data loaded" not in shown(at) and str(app_demo_db) not in shown(at)


@pytest.mark.parametrize("allowed", [["someone@shop.example"], []])
def test_refused_account_sees_nothing(app_demo_db: Path, allowed: list[str]) -> None:
    at = app(
        {"is_logged_in": True, "email": "intruder@else.example"},
        auth=AUTH,
        allowed_emails=allowed,
    )
    assert not at.exception
    assert at.title[0].value == "Access refused"
    assert not at.metric and not at.dataframe
    assert [b.label for b in at.button] == ["Log out"]
    assert "Data loaded" not in shown(at)
    if allowed:
        record(
            "5",
            "test_login.py::test_refused_account_sees_nothing",
            "With [auth] configured, a visitor not logged in sees only the login button, and "
            "a logged-in account outside allowed_emails (or with an empty list) sees a "
            "refusal: no page, no navigation, no figure, no data-file path.",
            "3 gated runs (logged out, refused, empty allow-list): 0 metrics, 0 tables shown; "
            "allowed account (any case) gets in",
        )


def test_allowed_account_gets_in_whatever_the_case(app_demo_db: Path) -> None:
    at = app(
        {"is_logged_in": True, "email": "CFO@Shop.example"},
        auth=AUTH,
        allowed_emails=["cfo@shop.example"],
    )
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == "Overview"
    assert at.metric
    assert "Logged in as CFO@Shop\\.example" in "\n".join(c.value for c in at.sidebar.caption)

"""Running the app headless (AppTest) on one page, for the page tests."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "app.py")


def run_page(page: str, lang: str = "en", **state: object) -> AppTest:
    """The app, switched to ``page`` (e.g. ``"views/loyalty.py"``) in ``lang``, after one
    run; ``state`` entries are put in Session State first (e.g. saved filters). Fails the
    test when the page raised."""
    at = AppTest.from_file(APP, default_timeout=180)
    at.session_state["lang"] = lang
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def rerun(at: AppTest) -> AppTest:
    """Run again (after a widget change) and fail the test when the page raised."""
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at

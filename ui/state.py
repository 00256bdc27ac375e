"""Session state of one visitor: language, settings from secrets, and the keys under which
the CLV controls, the shared filters and the churn window are kept between pages."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import streamlit as st

from clv.i18n import catalog as i18n
from clv.i18n import messages
from clv.store import default_db_path

LANGUAGES: dict[str, str] = {"fr": "Français", "en": "English"}


# British English writes dates day/month/year like French, which keeps one reading of
# 05/01/2023 across the app whatever the language.
LOCALES: dict[str, str] = {"fr": "fr_FR", "en": "en_GB"}


LANG_KEY = "lang"


LANG_WIDGET_KEY = "lang_select"


def secret(name: str, default: Any = None) -> Any:
    """A value from ``.streamlit/secrets.toml``, or ``default`` when there is no such
    file or key (Streamlit raises when no secrets file exists at all)."""
    try:
        return st.secrets.get(name, default)
    except FileNotFoundError:
        return default


def db_path() -> Path:
    """The data file: env ``CLV_DB``, else secret ``clv_db``, else ``data/clv.duckdb``.

    The environment wins so that a test or a one-off run can point elsewhere without
    editing the secrets file.
    """
    if os.environ.get("CLV_DB", "").strip():
        return default_db_path()
    from_secrets = str(secret("clv_db", "") or "").strip()
    return Path(from_secrets) if from_secrets else default_db_path()


def _browser_language() -> str:
    locale = (st.context.locale or "").lower()
    return "fr" if locale.startswith("fr") else "en"


def lang() -> str:
    """The session's language code (``"fr"`` or ``"en"``), from the browser at first."""
    value = st.session_state.setdefault(LANG_KEY, _browser_language())
    return value if value in LANGUAGES else "en"


def locale() -> str:
    """Babel locale of the session's language."""
    return LOCALES[lang()]


def t(key: str, **kwargs: object) -> str:
    """Message ``key`` in the session's language."""
    return i18n.translate(key, lang(), **kwargs)


def tr(message: str) -> str:
    """A message of the ingest pipeline (note, file problem) in the session's language.

    Plain text: escape it with :func:`text` before showing it as Markdown.
    """
    return i18n.render(message, lang())


def tr_error(error: BaseException) -> str:
    """The message of an exception raised by the ingest or the store, in the session's
    language (``str(error)`` would lose its translation)."""
    return tr(messages.message_of(error))


def tr_reason(reason: str) -> str:
    """A rejected-row reason (``"reason: value"``) in the session's language."""
    return i18n.render_reason(reason, lang())


# The CLV page's controls and their first values. They are copied to CLV_CONTROLS_KEY after
# each run (Streamlit drops a widget's own entry on any run of another page), so that the
# other pages value and tier customers with the same settings.
CLV_CONTROLS_KEY = "clv_controls"


DEFAULT_CLV_CONTROLS: dict[str, Any] = {
    "clv_horizon": 12,
    "clv_discount": 10.0,
    "clv_model": "auto",
    "clv_time_unit": "week",
    "clv_compare_pareto": False,
}


def clv_controls() -> dict[str, Any]:
    """The session's CLV controls (the CLV page's last choices, else the defaults)."""
    return st.session_state.setdefault(CLV_CONTROLS_KEY, dict(DEFAULT_CLV_CONTROLS))


FILTERS_KEY = "kpi_filters"


PRESENTATION_KEY = "presentation"


def _saved_filters() -> dict[str, Any]:
    return st.session_state.setdefault(FILTERS_KEY, {"period": None, "channels": [], "tiers": []})


def presentation() -> bool:
    """True when the user asked for large fonts (a meeting-room screen)."""
    return bool(st.session_state.get(PRESENTATION_KEY, False))


# The churn window the user chose on the Retention page, kept for the session (None or
# absent: follow the window proposed from the shop's own gaps).
CHURN_WINDOW_KEY = "retention_churn_window"


MAX_CHURN_DAYS = 3650

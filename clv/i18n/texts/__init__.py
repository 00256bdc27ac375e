"""Messages of the analysis pages, one module per page, merged into
:data:`clv.i18n.catalog.TRANSLATIONS` (same shape: key -> {"fr": ..., "en": ...}).

Keeping each page's words in its own module keeps :mod:`clv.i18n.catalog` readable; a key defined
twice is an error at import time, so two pages cannot silently overwrite each other.
"""

from __future__ import annotations

from clv.i18n.texts import (
    acquisition,
    health,
    loyalty,
    overview,
    registre,
    retention,
    scenarios,
    shared,
    voice,
)

PAGE_TEXTS: tuple[dict[str, dict[str, str]], ...] = (
    shared.TRANSLATIONS,
    overview.TRANSLATIONS,
    acquisition.TRANSLATIONS,
    retention.TRANSLATIONS,
    voice.TRANSLATIONS,
    loyalty.TRANSLATIONS,
    registre.TRANSLATIONS,
    scenarios.TRANSLATIONS,
    health.TRANSLATIONS,
)

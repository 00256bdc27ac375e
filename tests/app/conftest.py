"""Fixtures of the app tier (pages run headless with AppTest)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from clv.store.definitions import data_version
from clv.valuation import engine


@pytest.fixture(scope="session", autouse=True)
def valuation_fitted_once_per_data() -> Iterator[dict]:
    """Every module of this tier runs the app on the same seeded demo shop (same rows, same
    pseudonym key, so the same data version): the valuation of one data version and one
    set of settings is fitted once and handed to every page and test that asks for it,
    instead of refitting the models in each module. The fits themselves are tested in
    ``tests/unit/valuation``; a change of the data (an import, an alias) changes the
    version and fits again.
    """
    fitted: dict[tuple[str, Any], engine.Valuation] = {}
    original = engine.value_customers

    def value_customers(source: Any, settings: Any = None) -> engine.Valuation:
        settings = settings or engine.ValuationSettings()
        with engine._cursor(source) as cur:
            key = (data_version(cur), settings)
        if key not in fitted:
            fitted[key] = original(source, settings)
        return fitted[key]

    patch = pytest.MonkeyPatch()
    patch.setattr(engine, "value_customers", value_customers)
    yield fitted
    patch.undo()

"""Shared fixtures, and the tiers of the suite.

The folders mirror the tiers: ``unit/`` (the ``clv`` package, by subpackage), ``app/``
(the pages, headless), ``browser/`` (the real app in Chromium) and ``reliability/``
(crashes, sessions, hostile files, load). Every test under ``app/`` and ``reliability/``
is marked ``slow`` (``browser/`` is marked ``browser``): ``pytest -m "not slow and not
browser"`` runs the unit tier alone.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from clv.ingest.demo import load_demo
from clv.store import Store

TEST_KEY = "test-pseudonym-key-0123456789"
SLOW_TIERS = ("app", "reliability")


@pytest.fixture(scope="session")
def pseudonym_key() -> str:
    """The fixed pseudonymisation key of every test store (as ``CLV_PSEUDONYM_KEY``)."""
    return TEST_KEY


@pytest.fixture
def tmp_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Path of a fresh data file; ``CLV_DB`` and a fixed ``CLV_PSEUDONYM_KEY`` point to it."""
    path = tmp_path / "clv.duckdb"
    monkeypatch.setenv("CLV_DB", str(path))
    monkeypatch.setenv("CLV_PSEUDONYM_KEY", TEST_KEY)
    return path


@pytest.fixture
def tmp_store(tmp_db: Path) -> Iterator[Store]:
    """An open, empty :class:`Store` on ``tmp_db``, closed after the test."""
    store = Store(tmp_db, memory_limit="512MB", threads=1)
    yield store
    store.close()


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """A generated 1,500-customer demo shop, for the invariant checks of each module."""
    s = Store(tmp_path_factory.mktemp("demo") / "d.duckdb", pseudonym_key=b"k")
    load_demo(s, n_customers=1500, key=b"k")
    yield s
    s.close()


@pytest.fixture(scope="module")
def app_demo_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A data file that the app fills with a 1,500-customer demo shop at its first run
    (``CLV_DB``, ``CLV_PSEUDONYM_KEY`` and ``CLV_DEMO_CUSTOMERS`` set for the module)."""
    path = tmp_path_factory.mktemp("app_demo") / "clv.duckdb"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CLV_DB", str(path))
        patch.setenv("CLV_PSEUDONYM_KEY", TEST_KEY)
        patch.setenv("CLV_DEMO_CUSTOMERS", "1500")
        yield path


@pytest.fixture
def app_empty_db(tmp_db: Path) -> Path:
    """A data file with nothing in it, where the user declined the demo."""
    with Store(tmp_db, memory_limit="1GB", threads=2) as store:
        store.set_setting("demo_declined", True)
    return tmp_db


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark the app and reliability tiers ``slow`` (see the module docstring)."""
    root = Path(__file__).resolve().parent
    for item in items:
        try:
            tier = Path(str(item.path)).resolve().relative_to(root).parts[0]
        except ValueError:
            continue
        if tier in SLOW_TIERS:
            item.add_marker(pytest.mark.slow)

"""Every message key the app uses exists in the catalogue, in French and in English.

An unknown key is shown on screen as the key itself (``clv.i18n.catalog.translate`` does
not fail), so a typo or a key removed from the catalogue would reach the user unnoticed;
this scan of the page and UI code finds every ``t("...")`` / ``ui.t("...")`` call.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from clv.i18n.catalog import TRANSLATIONS

ROOT = Path(__file__).resolve().parents[3]
SOURCES = sorted([ROOT / "app.py", *(ROOT / "ui").glob("*.py"), *(ROOT / "views").glob("*.py")])


def _is_translate(call: ast.Call) -> bool:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id == "t"
    return (
        isinstance(func, ast.Attribute)
        and func.attr == "t"
        and (isinstance(func.value, ast.Name) and func.value.id == "ui")
    )


def used_keys(source: str) -> tuple[set[str], set[str]]:
    """Literal keys and literal prefixes of f-string keys passed to ``t``/``ui.t``."""
    literal, prefixes = set(), set()
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and _is_translate(node) and node.args):
            continue
        key = node.args[0]
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            literal.add(key.value)
        elif isinstance(key, ast.JoinedStr) and key.values:
            first = key.values[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                prefixes.add(first.value)
    return literal, prefixes


def test_the_scan_finds_the_calls():
    literal, prefixes = used_keys(
        'ui.t("a.b")\nt("c", x=1)\nui.t(f"tier.{name}")\nother.t("not.this")\n'
    )
    assert literal == {"a.b", "c"}
    assert prefixes == {"tier."}


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_key_used_is_in_both_languages(path):
    literal, prefixes = used_keys(path.read_text(encoding="utf-8"))
    missing = sorted(key for key in literal if key not in TRANSLATIONS)
    assert not missing, missing
    for key in literal:
        assert TRANSLATIONS[key].get("fr") and TRANSLATIONS[key].get("en"), key
    orphans = sorted(p for p in prefixes if not any(k.startswith(p) for k in TRANSLATIONS))
    assert not orphans, orphans


def test_the_pages_use_many_keys():
    # The scan reads the real pages: hundreds of keys, not an empty set by mistake.
    used = set()
    for path in SOURCES:
        used |= used_keys(path.read_text(encoding="utf-8"))[0]
    assert len(used) > 300

"""Every message exists in both languages; placeholders match; fields match the ingest labels."""

from __future__ import annotations

import string

import pytest

from clv.i18n import LANGUAGES, TRANSLATIONS, translate
from clv.ingest.types import FIELDS, KINDS


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_message_has_both_languages():
    for key, messages in TRANSLATIONS.items():
        assert set(messages) == set(LANGUAGES), key
        for lang in LANGUAGES:
            assert messages[lang].strip(), f"{key} is empty in {lang}"


def test_both_languages_use_the_same_placeholders():
    for key, messages in TRANSLATIONS.items():
        assert _placeholders(messages["fr"]) == _placeholders(messages["en"]), key


def test_translate_fills_placeholders():
    assert translate("data.delete.done", "fr", id=12) == "Import n° 12 supprimé."
    assert translate("data.delete.done", "en", id=12) == "Import no. 12 deleted."
    assert translate("page.data", "fr") == "Données"
    assert translate("data.upload.title", "fr") == "Importer un fichier"


def test_unknown_key_and_language():
    assert translate("no.such.key", "fr") == "no.such.key"
    assert translate("page.data", "de") == "Data"


@pytest.mark.parametrize("kind", KINDS)
def test_kinds_are_named(kind):
    assert translate(f"kind.{kind}", "fr") != f"kind.{kind}"


@pytest.mark.parametrize("kind", KINDS)
def test_english_field_labels_are_the_ingest_labels(kind):
    # The mapping step looks up field.<kind>.<name>, then field.<name>.
    for spec in FIELDS[kind]:
        key = next(
            (k for k in (f"field.{kind}.{spec.name}", f"field.{spec.name}") if k in TRANSLATIONS),
            None,
        )
        assert key is not None, f"no French label for {kind}.{spec.name}"
        assert TRANSLATIONS[key]["en"] == spec.label, key


@pytest.mark.parametrize("kind", KINDS)
def test_english_field_help_is_the_ingest_help(kind):
    # A French help text is shown only while its English twin matches the ingest's help.
    for spec in FIELDS[kind]:
        if not spec.help:
            continue
        key = next(
            (
                k
                for k in (f"fieldhelp.{kind}.{spec.name}", f"fieldhelp.{spec.name}")
                if k in TRANSLATIONS
            ),
            None,
        )
        assert key is not None, f"no French help for {kind}.{spec.name}"
        assert TRANSLATIONS[key]["en"] == spec.help, key

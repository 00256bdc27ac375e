"""Every message exists in both languages; placeholders match; fields match the ingest labels."""

from __future__ import annotations

import ast
import json
import pickle
import string
from pathlib import Path

import pandas as pd
import pytest

from clv.i18n.catalog import (
    LANGUAGES,
    MESSAGES,
    REASONS,
    TRANSLATIONS,
    render,
    render_reason,
    translate,
)
from clv.i18n.messages import Msg, message_of, msg, msg_n
from clv.ingest import pipeline, reading
from clv.ingest.normalize import Normalized, normalize
from clv.ingest.types import FIELDS, KINDS, FileProblem, MappedTable


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


# -- messages of the ingest pipeline ------------------------------------------------------

ROOT = Path(__file__).resolve().parents[3]
MESSAGE_SOURCES = [
    *sorted((ROOT / "clv" / "ingest").glob("*.py")),
    *sorted((ROOT / "clv" / "store").glob("*.py")),
]
# normalize.py builds these reasons with an f-string, one per amount field.
AMOUNT_FIELDS = ("discount_amount", "refunded_amount", "net_amount", "cost_amount")


def _calls(path: Path, names: tuple[str, ...]) -> list[ast.Call]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in names
    ]


def _ingest_templates() -> dict[str, str]:
    """English template -> where it is built, for every msg()/msg_n() of the ingest."""
    found: dict[str, str] = {}
    for path in MESSAGE_SOURCES:
        for call in _calls(path, ("msg", "msg_n")):
            templates = call.args[:1] if call.func.id == "msg" else call.args[:2]
            for arg in templates:
                where = f"{path.name}:{call.lineno}"
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    found[arg.value] = where
                else:
                    # The one indirection: the messages for refused file types, checked below.
                    assert ast.unparse(arg).startswith("_REFUSED_EXTENSIONS["), where
    for template in reading._REFUSED_EXTENSIONS.values():
        found[template] = "reading.py:_REFUSED_EXTENSIONS"
    return found


def _french_forms(entry: str | tuple[str, str]) -> tuple[str, ...]:
    return entry if isinstance(entry, tuple) else (entry,)


def test_every_ingest_message_has_a_french_template_with_the_same_placeholders():
    templates = _ingest_templates()
    assert len(templates) > 80  # the scan does find the messages
    for template, where in templates.items():
        assert template in MESSAGES, f"no French for {template!r} ({where})"
        for french in _french_forms(MESSAGES[template]):
            assert _placeholders(french) == _placeholders(template), where
            assert french.strip() and french != template, where


def test_french_plural_pairs_depend_on_a_count():
    for template, entry in MESSAGES.items():
        if isinstance(entry, tuple):
            assert len(entry) == 2 and entry[0] != entry[1], template
            assert "count" in _placeholders(template), template


def test_no_french_template_is_left_over():
    # A French entry whose English template no longer exists would never be shown.
    assert set(MESSAGES) == set(_ingest_templates())


def _reason_literals() -> tuple[set[str], int]:
    """Reasons passed to rejects.add in normalize.py, and how many are f-strings."""
    reasons: set[str] = set()
    formatted = 0
    tree = ast.parse((ROOT / "clv" / "ingest" / "normalize.py").read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if not (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "add"
            and len(node.args) == 2
        ):
            continue
        reason = node.args[1]
        if isinstance(reason, ast.BinOp) and isinstance(reason.op, ast.Add):
            reason = reason.left  # "reason: " + the values
        if isinstance(reason, ast.Constant) and isinstance(reason.value, str):
            reasons.add(reason.value.removesuffix(": "))
        elif isinstance(reason, ast.JoinedStr):
            formatted += 1
    return reasons, formatted


def test_every_rejection_reason_has_a_french_version():
    reasons, formatted = _reason_literals()
    assert len(reasons) > 25
    # the f-string reason is the "<amount field> is not a number" of AMOUNT_FIELDS
    assert formatted == 1
    reasons |= {f"{name.replace('_', ' ')} is not a number" for name in AMOUNT_FIELDS}
    assert set(REASONS) == reasons
    for reason, french in REASONS.items():
        # render_reason splits on the first ": " and msg_reason uses the reason as template
        assert ": " not in reason and "{" not in reason, reason
        assert french.strip() and french != reason, reason


def test_msg_is_its_english_text():
    note = msg("Dropped {count} total row(s) at the end of the table.", count=3)
    assert note == "Dropped 3 total row(s) at the end of the table."
    assert isinstance(note, str) and "3 total row(s)" in note
    assert json.dumps([note]) == '["Dropped 3 total row(s) at the end of the table."]'
    assert {note: 1}["Dropped 3 total row(s) at the end of the table."] == 1
    assert note.template == "Dropped {count} total row(s) at the end of the table."
    assert note.params == {"count": 3}
    copy = pickle.loads(pickle.dumps(note))
    assert copy == note and copy.params == {"count": 3}
    assert render(copy, "fr") == "3 lignes de total retirées en fin de tableau."


def test_render_passes_plain_text_and_english_through():
    assert render("Anything at all: 12", "fr") == "Anything at all: 12"
    note = msg("Stripe dates are in UTC.")
    assert render(note, "en") == "Stripe dates are in UTC."
    assert render(note, "de") == "Stripe dates are in UTC."
    assert render(note, "fr") == "Les dates Stripe sont en UTC."
    # a message without French template stays English
    assert render(msg("Not in the catalog {n}.", n=1), "fr") == "Not in the catalog 1."


def test_an_empty_file_problem_in_french():
    with pytest.raises(FileProblem) as caught:
        reading.read_table(b"", "commandes.csv")
    # str() stays English (CLI, logs, tests); the first argument keeps the template
    assert str(caught.value) == (
        "The file is empty: commandes.csv has 0 bytes. Export it again and upload the new file."
    )
    assert render(message_of(caught.value), "fr") == (
        "Le fichier est vide : commandes.csv fait 0 octet. Exportez-le à nouveau et importez "
        "le nouveau fichier."
    )


def test_a_too_large_file_gives_sizes_in_french_units():
    with pytest.raises(FileProblem) as caught:
        reading.read_table(b"x" * 3 * 1024 * 1024, "gros.csv", max_bytes=2 * 1024 * 1024)
    assert str(caught.value).startswith("gros.csv is 3 MB, over the 2 MB limit for uploads.")
    assert render(message_of(caught.value), "fr") == (
        "gros.csv fait 3 Mo, au-delà de la limite de 2 Mo pour les imports depuis le "
        "navigateur. Importez-le plutôt en ligne de commande : python -m clv ingest FICHIER"
    )


def test_notes_with_a_count_in_french_singular_and_plural():
    one = reading.read_table(b"id,amount\n1,10\n2,20\nTotal,30\n", "a.csv")
    three = reading.read_table(b"id,amount\n1,10\nTotal,10\nSubtotal,10\nGrand total,10\n", "b.csv")
    assert one.notes == ["Dropped 1 total row(s) at the end of the table."]
    assert [render(n, "fr") for n in one.notes] == ["1 ligne de total retirée en fin de tableau."]
    assert [render(n, "fr") for n in three.notes] == [
        "3 lignes de total retirées en fin de tableau."
    ]


def test_msg_n_follows_each_languages_plural_rule():
    def skipped(n: int) -> Msg:
        return msg_n("{count} summary row skipped.", "{count} summary rows skipped.", n)

    assert [str(skipped(n)) for n in (0, 1, 2)] == [
        "0 summary rows skipped.",
        "1 summary row skipped.",
        "2 summary rows skipped.",
    ]
    # French: 0 and 1 are singular
    assert [render(skipped(n), "fr") for n in (0, 1, 2)] == [
        "0 ligne de synthèse ignorée.",
        "1 ligne de synthèse ignorée.",
        "2 lignes de synthèse ignorées.",
    ]


def test_a_note_made_of_translated_parts():
    data = pd.DataFrame(
        {
            "order_id": ["A", "B"],
            "ordered_at": ["05/01/2024", "06/01/2024"],
            "total_amount": ["10", "20"],
            "customer_email": ["ann@example.com", None],
            "line_no": [2, 3],
        }
    )
    mapped = MappedTable(kind="orders", source="custom", data=data, french=True)
    notes = normalize(mapped, b"key").notes
    assert [render(n, "fr") for n in notes] == [
        "Date de commande : aucune valeur ne permet de distinguer le jour du mois (tous les "
        "jours sont inférieurs ou égaux à 12) ; dates lues en jour/mois (05/01 = 5 janvier) car "
        "le fichier semble français. Si c'est faux, choisissez l'autre ordre et importez à "
        "nouveau le fichier.",
        "1 commande n'a ni e-mail ni numéro client : elle compte dans le chiffre d'affaires, "
        "comme commande d'invité.",
    ]
    assert notes[1] == (
        "1 order(s) have no customer email or id: kept for revenue, counted as guest orders."
    )


def test_nothing_importable_names_the_reasons_in_french():
    rejected = pd.DataFrame(
        {
            "line_no": [2, 3, 4],
            "reason": [
                "order date not understood: 31/02/2024",
                "missing order date",
                "order date not understood: hier",
            ],
            "raw_line": ["", "", ""],
        }
    )
    result = Normalized({"orders": pd.DataFrame()}, rejected, rows_read=3)
    with pytest.raises(FileProblem) as caught:
        pipeline._check_usable(result, "orders")
    assert str(caught.value) == (
        "No row of this file could be imported as orders: order date not understood (2 rows); "
        "missing order date (1 rows). Check that the file is a orders export and that the "
        "right columns are mapped."
    )
    assert render(message_of(caught.value), "fr") == (
        "Aucune ligne de ce fichier n'a pu être importée comme commandes : date de commande "
        "illisible (2 lignes); date de commande manquante (1 ligne). Vérifiez que le fichier est "
        "bien un export de commandes et que les bonnes colonnes sont associées."
    )


def test_render_reason_keeps_the_value():
    assert render_reason("score outside 0..10: 11", "fr") == "note hors de l'échelle 0 à 10: 11"
    assert render_reason("missing order date", "fr") == "date de commande manquante"
    # only the first ": " separates: the value may hold more
    assert render_reason("order date not understood: 12:30: x", "fr") == (
        "date de commande illisible: 12:30: x"
    )
    assert render_reason("score outside 0..10: 11", "en") == "score outside 0..10: 11"
    assert render_reason("a reason from elsewhere: 1", "fr") == "a reason from elsewhere: 1"

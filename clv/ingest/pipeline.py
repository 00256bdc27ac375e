"""Import an export file into the store: read, recognise, map, validate, write.

Two entry points share every step:

- :func:`preview_file` reads a file and says what it looks like (kind, source, the
  column mapping to confirm, dates whose day/month order is ambiguous), storing nothing;
- :func:`import_file` does the import in one transaction: either every accepted row
  and the import log are stored, or (on a file problem or any error) nothing is.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from clv.i18n.messages import message_of, msg, msg_join, msg_reason
from clv.ingest import parsing, presets
from clv.ingest.normalize import Normalized, normalize
from clv.ingest.reading import DEFAULT_MAX_BYTES, read_table, too_large
from clv.ingest.types import FIELDS, KINDS, FileProblem, MappedTable, RawTable
from clv.store import Store, UpsertCounts, registered, upsert_table

Progress = Callable[[str, float], None]

# Which store table holds the entities counted in an import report, per kind.
MAIN_TABLE = {
    "orders": "orders",
    "customers": "customers",
    "spend": "marketing_spend",
    "nps": "nps_responses",
    "tickets": "support_tickets",
}
DATE_FIELDS = ("ordered_at", "first_seen_at", "spend_date", "answered_at", "opened_at", "solved_at")
_PERSONAL_HEADER = re.compile(
    r"e-?mail|courriel|name|nom|pr[ée]nom|client|customer$|requester$|address|adresse|"
    r"street|rue|phone|t[ée]l[ée]phone|mobile|zip|postal|ip",
    re.IGNORECASE,
)


@dataclass
class Preview:
    """What a file looks like, before anything is stored (see :func:`preview_file`)."""

    file_name: str
    raw: RawTable
    matches: list[presets.PresetMatch]
    kind: str | None
    source: str | None
    mapping: dict[str, str] | None
    header_signature: str
    ambiguous_date_columns: list[str]
    default_dayfirst: bool
    sample: pd.DataFrame
    notes: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    """What an import did. Counts are of the kind's main entities (orders, customers,
    spend rows, answers, tickets); ``rows_read`` counts data rows of the file (rows a
    preset skips on purpose, such as Stripe checkout attempts without a charge, are read
    but neither loaded nor rejected: the notes say so)."""

    import_id: int | None
    file_name: str
    kind: str
    source: str
    rows_read: int
    rows_loaded: int
    rows_updated: int
    rows_unchanged: int
    rows_rejected: int
    rejected: pd.DataFrame
    notes: list[str]
    already_imported: bool = False
    tables: dict[str, dict[str, int]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, object]:
        """JSON-friendly form (the CLI prints it)."""
        reasons = (
            self.rejected["reason"].str.replace(r":.*$", "", regex=True).value_counts().to_dict()
            if len(self.rejected)
            else {}
        )
        return {
            "import_id": self.import_id,
            "file": self.file_name,
            "kind": self.kind,
            "source": self.source,
            "rows_read": self.rows_read,
            "rows_loaded": self.rows_loaded,
            "rows_updated": self.rows_updated,
            "duplicates": self.rows_unchanged,
            "rows_rejected": self.rows_rejected,
            "rejected_reasons": {str(k): int(v) for k, v in reasons.items()},
            "tables": self.tables,
            "already_imported": self.already_imported,
            "notes": self.notes,
        }


def _mask_personal(raw: RawTable, rows: int = 20) -> pd.DataFrame:
    """First rows for display, with columns that hold personal data masked."""
    sample = raw.data.head(rows).copy()
    for col in sample.columns:
        values = sample[col].dropna().astype(str)
        if _PERSONAL_HEADER.search(col) or values.str.contains("@", regex=False).any():
            sample[col] = sample[col].map(lambda v: "•••" if v is not None else None)
    return sample


def _map(
    raw: RawTable,
    *,
    kind: str | None,
    source: str | None,
    mapping: dict[str, str] | None,
    store: Store | None,
) -> MappedTable:
    """The mapped table, from an explicit source/mapping, a saved mapping or a preset."""
    if kind is not None and kind not in KINDS:
        raise FileProblem(
            msg("Unknown kind {kind!r}: choose one of {kinds}.", kind=kind, kinds=", ".join(KINDS))
        )
    if mapping:
        if kind is None:
            raise FileProblem(
                msg("A column mapping needs the kind of data too (orders, customers, ...).")
            )
        try:
            return presets.apply_mapping(raw, kind, mapping, source=source or "custom")
        except ValueError as exc:
            raise FileProblem(message_of(exc)) from exc
    if source and source != "custom":
        preset = presets.get_preset(source)
        if kind is not None and preset.kind != kind:
            raise FileProblem(
                msg(
                    "The source {label} gives {kind}, not {wanted}: choose a matching kind.",
                    label=preset.label,
                    kind=presets.KIND_WORDS[preset.kind],
                    wanted=presets.KIND_WORDS[kind],
                )
            )
        return presets.apply_preset(raw, source)
    if store is not None:
        saved = store.saved_mapping(presets.header_signature(raw.columns))
        if saved is not None and (kind is None or saved[0] == kind):
            return presets.apply_mapping(raw, saved[0], saved[1], source="custom")
    matches = presets.recognise(raw)
    if matches:
        best = matches[0].preset
        if kind is not None and best.kind != kind:
            raise FileProblem(
                msg(
                    "This file looks like {label} ({kind}), not {wanted}. Choose the kind "
                    "'{kind}', or upload the {wanted} export instead.",
                    label=best.label,
                    kind=presets.KIND_WORDS[best.kind],
                    wanted=presets.KIND_WORDS[kind],
                )
            )
        return presets.apply_preset(raw, best.name)
    raise FileProblem(
        msg(
            "This file's columns match no known export (Shopify, WooCommerce, Stripe, "
            "PrestaShop, Google Ads, Meta Ads, Typeform, SurveyMonkey, Qualtrics, Delighted, "
            "Zendesk, Gorgias, Freshdesk). Map its columns in the Data page, or pass --kind and "
            "--mapping FILE to the CLI."
        )
    )


def preview_file(store: Store | None, content: bytes, file_name: str) -> Preview:
    """Read a file and tell what it is, storing nothing.

    Raises
    ------
    FileProblem
        When the file cannot be read as a table (empty, binary, too large, ...).
    """
    raw = read_table(content, file_name)
    matches = presets.recognise(raw)
    signature = presets.header_signature(raw.columns)
    saved = store.saved_mapping(signature) if store is not None else None
    kind: str | None
    source: str | None
    mapping: dict[str, str] | None
    if saved is not None:
        kind, mapping, source = saved[0], saved[1], None
    elif matches:
        kind, source, mapping = matches[0].preset.kind, matches[0].preset.name, None
    else:
        kind = presets.guess_kind(raw)
        source = None
        mapping = presets.suggest_mapping(raw, kind) if kind else None
    ambiguous: list[str] = []
    notes = list(raw.notes)
    french = presets.looks_french(raw)
    try:
        if mapping is not None and kind is not None:
            mapped = presets.apply_mapping(raw, kind, mapping, source="custom")
        elif source is not None:
            mapped = presets.apply_preset(raw, source)
        else:
            mapped = None
    except (ValueError, FileProblem) as exc:
        notes.append(message_of(exc))
        mapped = None
    if mapped is not None:
        french = mapped.french
        for name in DATE_FIELDS:
            if name in mapped.data.columns:
                values = parsing.strip_text(mapped.data[name])
                if values.notna().any() and parsing.parse_dates(values).ambiguous:
                    ambiguous.append(name)
    return Preview(
        file_name=file_name,
        raw=raw,
        matches=matches,
        kind=kind,
        source=source,
        mapping=mapping,
        header_signature=signature,
        ambiguous_date_columns=ambiguous,
        default_dayfirst=french,
        sample=_mask_personal(raw),
        notes=notes,
    )


def _check_usable(result: Normalized, kind: str) -> None:
    if result.rows_read == 0:
        raise FileProblem(msg("The file has no data rows: nothing to import."))
    if all(frame.empty for frame in result.tables.values()):
        raise nothing_usable(result.rejected, kind)


def nothing_usable(rejected: pd.DataFrame, kind: str) -> FileProblem:
    """The problem of a file none of whose rows could be imported: its top reasons."""
    reasons = rejected["reason"].str.replace(r":.*$", "", regex=True).value_counts()
    top = msg_join(
        "; ",
        [
            msg("{reason} ({count} rows)", reason=msg_reason(reason), count=int(count))
            for reason, count in reasons.head(3).items()
        ],
    )
    return FileProblem(
        msg(
            "No row of this file could be imported as {kind}: {top}. Check that the file "
            "is a {kind} export and that the right columns are mapped.",
            kind=presets.KIND_WORDS.get(kind, kind),
            top=top,
        )
    )


def import_file(
    store: Store,
    content: bytes,
    file_name: str,
    *,
    kind: str | None = None,
    source: str | None = None,
    mapping: dict[str, str] | None = None,
    dayfirst: bool | None = None,
    save_mapping: bool = True,
    progress: Progress | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> ImportReport:
    """Import one export file into the store, all or nothing.

    Parameters
    ----------
    store : the open store.
    content : the file's bytes.
    file_name : its name (for the format and the import log; never used as a path).
    kind, source : force the kind (orders, customers, spend, nps, tickets) and the
        source preset; by default both are recognised from the header.
    mapping : input field -> column name, for layouts no preset knows (needs ``kind``).
    dayfirst : how to read dates like ``05/01/2023`` when the data cannot tell.
    save_mapping : remember ``mapping`` for the next file with the same header.
    progress : called with a message and a fraction done.
    max_bytes : largest file accepted (the upload limit by default; the command line
        sets its own with ``--max-mb``).

    Returns
    -------
    ImportReport

    Raises
    ------
    FileProblem
        For problems of the whole file; the store is then unchanged.
    """

    def step(message: str, fraction: float) -> None:
        if progress is not None:
            progress(message, fraction)

    step("Reading the file", 0.05)
    digest = hashlib.sha256(content).hexdigest()
    raw = read_table(content, file_name, max_bytes=max_bytes)
    step("Recognising the columns", 0.2)
    mapped = _map(raw, kind=kind, source=source, mapping=mapping, store=store)
    step("Checking every row", 0.35)
    result = normalize(mapped, store.pseudonym_key, dayfirst=dayfirst)
    _check_usable(result, mapped.kind)
    notes = list(dict.fromkeys([*raw.notes, *result.notes]))
    earlier = store.find_import_by_hash(digest)
    if earlier is not None:
        notes.append(
            msg(
                "This exact file was imported before (import #{import_id}): nothing is counted "
                "twice.",
                import_id=earlier,
            )
        )

    step("Writing to the store", 0.6)
    counts: dict[str, UpsertCounts] = {}
    with store.transaction() as cur:
        import_id = int(cur.execute("SELECT nextval('import_id_seq')").fetchone()[0])
        cur.execute(
            "INSERT INTO imports (import_id, file_name, sha256, kind, source_preset, rows_read, "
            "notes, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, now()::TIMESTAMP)",
            [import_id, file_name, digest, mapped.kind, mapped.source, len(raw), json.dumps(notes)],
        )
        tables = list(result.tables.items())
        for i, (table, frame) in enumerate(tables):
            if table == "customers":
                frame = _keep_known_values(cur, frame)
            counts[table] = upsert_table(cur, table, frame, import_id)
            step(msg("Writing {table}", table=table), 0.6 + 0.35 * (i + 1) / len(tables))
        if len(result.rejected):
            rejected = result.rejected.assign(import_id=import_id)
            with registered(cur, "_rejected", rejected):
                cur.execute(
                    "INSERT INTO rejected_rows "
                    "SELECT import_id, line_no, reason, raw_line FROM _rejected"
                )
        main = counts[MAIN_TABLE[mapped.kind]]
        cur.execute(
            "UPDATE imports SET rows_loaded = ?, rows_updated = ?, rows_unchanged = ?, "
            "rows_rejected = ? WHERE import_id = ?",
            [main.loaded, main.updated, main.unchanged, len(result.rejected), import_id],
        )
    if mapping and save_mapping:
        store.save_mapping(presets.header_signature(raw.columns), mapped.kind, mapping)
    step("Done", 1.0)
    return ImportReport(
        import_id=import_id,
        file_name=file_name,
        kind=mapped.kind,
        source=mapped.source,
        rows_read=len(raw),
        rows_loaded=main.loaded,
        rows_updated=main.updated,
        rows_unchanged=main.unchanged,
        rows_rejected=len(result.rejected),
        rejected=result.rejected,
        notes=notes,
        already_imported=earlier is not None,
        tables={t: vars(c) for t, c in counts.items()},
    )


def import_path(
    store: Store,
    path: Path,
    *,
    file_name: str | None = None,
    kind: str | None = None,
    source: str | None = None,
    mapping: dict[str, str] | None = None,
    dayfirst: bool | None = None,
    save_mapping: bool = True,
    progress: Progress | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    engine: str = "auto",
) -> ImportReport:
    """Import one export file from disk, all or nothing; large files stream.

    A CSV orders file of :data:`clv.ingest.bulk.BULK_MIN_BYTES` or more, mapped column
    by column, is imported by :mod:`clv.ingest.bulk` in bounded memory, whatever its
    size; any other file is read into memory by :func:`import_file` (and must then fit
    ``max_bytes``). Same parameters as :func:`import_file`, plus:

    path : the file.
    file_name : the name recorded in the import log (default: the file's own name).
    engine : ``"auto"``; ``"stream"`` to use the streaming import whatever the size
        (a file it cannot take is then refused with the reason); ``"memory"`` never.

    Raises
    ------
    FileProblem
        For problems of the whole file; the store is then unchanged.
    """
    from clv.ingest import bulk

    if engine not in ("auto", "stream", "memory"):
        raise ValueError(f"engine must be 'auto', 'stream' or 'memory', not {engine!r}")
    name = file_name or path.name

    def step(message: str, fraction: float) -> None:
        if progress is not None:
            progress(message, fraction)

    size = path.stat().st_size
    fallback_note: str | None = None
    if engine == "stream" or (engine == "auto" and size >= bulk.BULK_MIN_BYTES):
        try:
            planned = bulk.plan(store, path, name, kind=kind, source=source, mapping=mapping)
            report, rejected = bulk.run(store, planned, dayfirst=dayfirst, progress=step)
        except bulk.NotBulk as why:
            if engine == "stream":
                raise FileProblem(
                    f"This file cannot be imported in streaming mode: {why}"
                ) from None
            fallback_note = str(why)
        else:
            counts = report["counts"]
            return ImportReport(
                import_id=report["import_id"],
                file_name=name,
                kind="orders",
                source=report["source"],
                rows_read=report["rows_read"],
                rows_loaded=counts.loaded,
                rows_updated=counts.updated,
                rows_unchanged=counts.unchanged,
                rows_rejected=len(rejected),
                rejected=rejected,
                notes=report["notes"],
                already_imported=report["already_imported"],
                tables={"orders": vars(counts)},
            )
    if fallback_note is not None:
        step(f"Reading the whole file into memory ({fallback_note})", 0.01)
    if size > max_bytes:
        # read_table would say the same; saying it before reading spares the memory.
        raise too_large(name, size, max_bytes)
    return import_file(
        store,
        path.read_bytes(),
        name,
        kind=kind,
        source=source,
        mapping=mapping,
        dayfirst=dayfirst,
        save_mapping=save_mapping,
        progress=progress,
        max_bytes=max_bytes,
    )


def _keep_known_values(cur, frame: pd.DataFrame) -> pd.DataFrame:
    """A customers file that leaves a field empty keeps what the store already knew."""
    if frame.empty:
        return frame
    with registered(cur, "_new_customers", frame[["customer_id"]]):
        known = cur.execute(
            "SELECT c.* EXCLUDE (import_id) FROM customers c JOIN _new_customers n USING (customer_id)"
        ).df()
    if known.empty:
        return frame
    merged = frame.set_index("customer_id")
    known = known.set_index("customer_id").reindex(merged.index)
    for col in merged.columns:
        if col in known.columns:
            merged[col] = merged[col].where(merged[col].notna(), known[col])
    return merged.reset_index()


def load_mapping_file(path: Path) -> tuple[str | None, str | None, dict[str, str]]:
    """Read a JSON mapping file for the CLI.

    Format: ``{"kind": "orders", "source": "my_shop", "columns": {"order_id": "Order", ...}}``
    where keys of ``columns`` are input fields (see ``clv.ingest.types.FIELDS``).
    """
    # Only the command line reads mapping files, and it speaks English.
    try:
        spec = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise FileProblem(f"The mapping file {path} is not readable JSON: {exc}") from exc
    if not isinstance(spec, dict) or not isinstance(spec.get("columns"), dict):
        raise FileProblem(
            'The mapping file must look like {"kind": "orders", "columns": {"order_id": "Order", ...}}.'
        )
    kind = spec.get("kind")
    if kind is not None and kind not in FIELDS:
        raise FileProblem(
            f"Unknown kind {kind!r} in the mapping file; use one of {', '.join(KINDS)}."
        )
    return kind, spec.get("source"), {str(k): str(v) for k, v in spec["columns"].items()}


CDNOW_MAPPING = {
    "customer_ref": "column_1",
    "ordered_at": "column_3",
    "total_amount": "column_5",
}


def load_cdnow_sample(store: Store) -> ImportReport:
    """Import the CDNOW sample shipped with lifetimes (2,357 customers of a CD shop,
    1997-1998) through the ordinary ingest path, as a generic orders file.

    Each row of ``CDNOW_sample.txt`` is ``customer id, customer index, date YYYYMMDD,
    CDs bought, dollars``; it has no order id, so each row is one order.
    """
    # Located without importing lifetimes (its import pulls in scipy and autograd: ~2 s).
    spec = importlib.util.find_spec("lifetimes")
    if spec is None or not spec.submodule_search_locations:
        raise FileProblem(
            msg("The CDNOW sample ships with the lifetimes package, which is not installed.")
        )
    path = Path(spec.submodule_search_locations[0]) / "datasets" / "CDNOW_sample.txt"
    return import_file(
        store,
        path.read_bytes(),
        "CDNOW_sample.txt",
        kind="orders",
        source="cdnow",
        mapping=CDNOW_MAPPING,
        save_mapping=False,
    )

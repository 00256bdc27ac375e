"""Data: import export files, see what each import did, undo an import."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

import ui
from clv.i18n import catalog as i18n
from clv.i18n import messages
from clv.ingest import bulk, parsing, pipeline, presets
from clv.ingest.types import FIELDS, KINDS, FieldSpec, FileProblem
from clv.store import Store

UPLOAD_TYPES = ["csv", "tsv", "txt", "xlsx", "parquet"]
CUSTOM = "custom"
NO_COLUMN = ""
DEMO_SOURCE = "demo"

# Session State entries that describe one uploaded file; a new file starts them afresh.
FILE_STATE_PREFIXES = (
    "data_kind",
    "data_source",
    "data_map_",
    "data_dayfirst",
    "data_ambiguous_columns",
)


# -- labels ----------------------------------------------------------------------------


def kind_label(kind: str) -> str:
    return ui.t(f"kind.{kind}")


def source_label(source: str | None) -> str:
    if not source or source == CUSTOM:
        return ui.t("data.source.custom")
    if source == DEMO_SOURCE:
        return ui.t("data.source.demo")
    for preset in presets.PRESETS:
        if preset.name == source:
            return preset.label
    return source


def _field_text(prefix: str, kind: str, spec: FieldSpec, english: str) -> str:
    # A translation whose English no longer matches the ingest's wording is out of date:
    # the ingest's own (English) text is then better than a stale French one.
    for key in (f"{prefix}.{kind}.{spec.name}", f"{prefix}.{spec.name}"):
        messages = i18n.TRANSLATIONS.get(key)
        if messages is not None and messages["en"] == english:
            return messages[ui.lang()]
    return english


def field_label(kind: str, spec: FieldSpec) -> str:
    return _field_text("field", kind, spec, spec.label)


def field_help(kind: str, spec: FieldSpec) -> str | None:
    return _field_text("fieldhelp", kind, spec, spec.help) if spec.help else None


def is_demo_import(row: pd.Series) -> bool:
    return str(row["source_preset"]) == DEMO_SOURCE


def notes_text(raw: object) -> str:
    """Import-log notes (a JSON list) as one line."""
    if raw is None or (isinstance(raw, float) and pd.isna(raw)):
        return ""
    try:
        notes = json.loads(str(raw))
    except json.JSONDecodeError:
        return str(raw)
    return " · ".join(str(n) for n in notes) if isinstance(notes, list) else str(notes)


# -- upload: preview, kind, source, mapping --------------------------------------------


def current_preview(store: Store, uploaded) -> pipeline.Preview | None:
    """The preview of the uploaded file, read once per file (reruns reuse it)."""
    cached = st.session_state.get("data_preview")
    if cached is not None and cached["file_id"] == uploaded.file_id:
        preview, problem = cached["preview"], cached["problem"]
    else:
        for key in list(st.session_state):
            if str(key).startswith(FILE_STATE_PREFIXES):
                del st.session_state[key]
        st.session_state.pop("data_report", None)
        preview, problem = None, None
        try:
            with st.spinner(ui.t("data.reading")):
                preview = pipeline.preview_file(store, uploaded.getvalue(), uploaded.name)
        except FileProblem as exc:
            # Kept as built, so that it shows in the language of each run.
            problem = messages.message_of(exc)
        st.session_state["data_preview"] = {
            "file_id": uploaded.file_id,
            "preview": preview,
            "problem": problem,
        }
    if problem is not None:
        st.error(ui.text(ui.tr(problem)), icon=":material/error:")
    return preview


def choose_kind_and_source(preview: pipeline.Preview) -> tuple[str, str]:
    st.session_state.setdefault("data_kind", preview.kind or KINDS[0])
    st.session_state.setdefault("data_source", preview.source or CUSTOM)
    left, right = st.columns(2)
    kind = left.selectbox(
        ui.t("data.kind"),
        options=list(KINDS),
        format_func=kind_label,
        key="data_kind",
        help=ui.t("data.kind_help"),
    )
    sources = [p.name for p in presets.PRESETS if p.kind == kind] + [CUSTOM]
    if st.session_state["data_source"] not in sources:
        st.session_state["data_source"] = preview.source if preview.source in sources else CUSTOM
    source = right.selectbox(
        ui.t("data.source"),
        options=sources,
        format_func=source_label,
        key="data_source",
        help=ui.t("data.source_help"),
    )
    return kind, source


def suggested_mapping(preview: pipeline.Preview, kind: str) -> dict[str, str]:
    if preview.mapping and preview.kind == kind:
        return preview.mapping
    try:
        return presets.suggest_mapping(preview.raw, kind) or {}
    except ValueError:
        return {}


def choose_mapping(preview: pipeline.Preview, kind: str) -> dict[str, str]:
    """One selectbox per input field of ``kind``; returns field -> column (mapped only)."""
    st.markdown(f"**{ui.t('data.mapping.title')}**")
    st.caption(ui.t("data.mapping.purpose"))
    columns = list(preview.raw.columns)
    suggestion = suggested_mapping(preview, kind)
    mapping: dict[str, str] = {}
    grid = st.columns(3)
    for i, spec in enumerate(FIELDS[kind]):
        key = f"data_map_{kind}_{spec.name}"
        suggested = suggestion.get(spec.name, NO_COLUMN)
        st.session_state.setdefault(key, suggested if suggested in columns else NO_COLUMN)
        label = field_label(kind, spec) + (" *" if spec.required else "")
        chosen = grid[i % 3].selectbox(
            label,
            options=[NO_COLUMN, *columns],
            format_func=lambda c: c if c else ui.t("data.mapping.none"),
            key=key,
            help=field_help(kind, spec),
        )
        if chosen:
            mapping[spec.name] = chosen
    st.caption(ui.t("data.mapping.required_note"))
    return mapping


def ambiguous_date_fields(preview: pipeline.Preview, mapping: dict[str, str] | None) -> list[str]:
    """Date fields whose day/month order the data cannot tell (``05/01/2023``).

    The preview knows for the layout it recognised; a hand-made mapping is checked here,
    once per column (the answer is kept for the reruns of this file).
    """
    if mapping is None:
        return list(preview.ambiguous_date_columns)
    known = st.session_state.setdefault("data_ambiguous_columns", {})
    fields = []
    for name in pipeline.DATE_FIELDS:
        column = mapping.get(name)
        if column is None or column not in preview.raw.data.columns:
            continue
        if column not in known:
            values = parsing.strip_text(preview.raw.data[column])
            known[column] = bool(values.notna().any() and parsing.parse_dates(values).ambiguous)
        if known[column]:
            fields.append(name)
    return fields


def choose_dayfirst(
    preview: pipeline.Preview, kind: str, mapping: dict[str, str] | None
) -> bool | None:
    ambiguous = ambiguous_date_fields(preview, mapping)
    if not ambiguous:
        return None
    specs = {spec.name: spec for spec in FIELDS[kind]}
    names = [field_label(kind, specs[c]) if c in specs else c for c in ambiguous]
    st.session_state.setdefault("data_dayfirst", bool(preview.default_dayfirst))
    return st.radio(
        ui.t("data.dates.question"),
        options=[True, False],
        format_func=lambda dayfirst: ui.t(
            "data.dates.dayfirst" if dayfirst else "data.dates.monthfirst"
        ),
        key="data_dayfirst",
        horizontal=True,
        help=ui.t("data.dates.help", columns=", ".join(names)),
    )


# The import reports its steps in English; the known ones are shown in the user's language.
PROGRESS_STEPS = {
    "Reading the file": "data.progress.reading",
    "Recognising the columns": "data.progress.recognising",
    "Checking every row": "data.progress.checking",
    "Writing to the store": "data.progress.writing",
    "Done": "data.progress.done",
}


def progress_text(message: str) -> str:
    if message in PROGRESS_STEPS:
        return ui.t(PROGRESS_STEPS[message])
    # A step that names a table is a message with its template and values (clv.i18n.messages).
    if getattr(message, "template", None) == "Writing {table}":
        table = str(message.params["table"])
        if table in ui.TABLE_LABELS:
            return ui.t("data.progress.writing_table", table=ui.t(ui.TABLE_LABELS[table]))
    return ui.text(ui.tr(message))


def run_import(
    store: Store,
    uploaded,
    *,
    kind: str,
    source: str,
    mapping: dict[str, str] | None,
    dayfirst: bool | None,
) -> None:
    with st.status(ui.t("data.importing", file=ui.text(uploaded.name)), expanded=True) as status:
        bar = st.progress(0.0)

        def progress(message: str, fraction: float) -> None:
            bar.progress(min(max(float(fraction), 0.0), 1.0), text=progress_text(message))

        try:
            report = _import_upload(
                store,
                uploaded,
                kind=kind,
                source=None if source == CUSTOM else source,
                mapping=mapping,
                dayfirst=dayfirst,
                progress=progress,
            )
        except ValueError as exc:
            # FileProblem and other ValueErrors carry a message meant for the user; the
            # import ran in one transaction, so nothing of the file is stored.
            status.update(label=ui.t("data.import_failed"), state="error", expanded=True)
            st.error(ui.text(ui.tr_error(exc)), icon=":material/error:")
            st.caption(ui.t("data.store_unchanged"))
            return
        status.update(label=ui.t("data.import_done"), state="complete", expanded=False)
    st.session_state["data_report"] = {"file_id": uploaded.file_id, "report": report}
    st.session_state.pop("data_preview", None)  # the whole file as text: free it
    st.session_state["data_delete_id"] = report.import_id  # offer the newest import first
    # Run again so the sidebar and the history show the new rows.
    st.rerun()


def _import_upload(store: Store, uploaded, **options) -> pipeline.ImportReport:
    """Large uploads go through a temporary file, so that a CSV orders file mapped column
    by column streams (clv.ingest.bulk) instead of being held in memory as text."""
    content = uploaded.getvalue()
    if len(content) < bulk.BULK_MIN_BYTES:
        return pipeline.import_file(store, content, uploaded.name, **options)
    with tempfile.TemporaryDirectory(prefix="clv-upload-") as folder:
        path = Path(folder) / "upload"
        path.write_bytes(content)
        del content
        return pipeline.import_path(store, path, file_name=uploaded.name, **options)


# -- the report of an import -----------------------------------------------------------


def show_report(report: pipeline.ImportReport) -> None:
    st.success(
        ui.t(
            "data.report.done",
            file=ui.text(report.file_name),
            kind=kind_label(report.kind),
            source=ui.text(source_label(report.source)),
            id=report.import_id,
        ),
        icon=":material/check_circle:",
    )
    if report.already_imported:
        st.info(ui.t("data.report.already"), icon=":material/info:")
    figures = [
        ("data.report.read", report.rows_read),
        ("data.report.loaded", report.rows_loaded),
        ("data.report.updated", report.rows_updated),
        ("data.report.unchanged", report.rows_unchanged),
        ("data.report.rejected", report.rows_rejected),
    ]
    for column, (key, value) in zip(st.columns(len(figures)), figures, strict=True):
        column.metric(
            ui.t(key, kind=kind_label(report.kind)),
            ui.fmt_int(value),
            help=ui.t(key + "_help", kind=kind_label(report.kind)),
            border=True,
        )
    if report.notes:
        st.markdown("\n".join(f"- {ui.text(ui.tr(note))}" for note in report.notes))
    if report.rows_rejected:
        st.markdown(f"**{ui.t('data.rejected.title')}**")
        show_rejected(
            report.rejected,
            f"rejected_rows_import_{report.import_id}.csv",
            "data_report_rejected_csv",
        )
    st.caption(ui.t("data.report.next"))


def show_rejected(rejected: pd.DataFrame, file_name: str, key: str) -> None:
    columns = [c for c in ("line_no", "reason", "raw_line") if c in rejected.columns]
    shown = rejected[columns].copy()
    if "reason" in shown.columns:
        shown["reason"] = shown["reason"].map(ui.tr_reason)
    st.dataframe(
        shown,
        hide_index=True,
        column_config={
            "line_no": st.column_config.NumberColumn(ui.t("data.rejected.line"), format="%d"),
            "reason": st.column_config.TextColumn(ui.t("data.rejected.reason")),
            "raw_line": st.column_config.TextColumn(ui.t("data.rejected.raw_line")),
        },
    )
    ui.csv_download(shown, file_name, ui.t("data.rejected.download"), key)


# -- history, deletion, demo -----------------------------------------------------------


def delete_import(store: Store, import_id: int, demo: bool) -> None:
    """Button callback: runs before the page, so the page shows the store without it."""
    try:
        store.delete_import(import_id)
    except ValueError as exc:
        st.session_state["data_flash"] = ("error", ui.text(ui.tr_error(exc)))
        return
    if demo:
        store.set_setting(ui.DEMO_DECLINED, True)
    st.session_state["data_delete_confirm"] = False
    offer_newest_import(store)
    done = st.session_state.get("data_report")
    if done is not None and done["report"].import_id == import_id:
        # The report would describe rows that are gone; the file can be imported again.
        del st.session_state["data_report"]
    st.session_state["data_flash"] = ("success", ui.t("data.delete.done", id=import_id))


def offer_newest_import(store: Store) -> None:
    """After a deletion the deleted import is no longer an option: select the newest one."""
    remaining = store.imports()["import_id"]
    if remaining.empty:
        st.session_state.pop("data_delete_id", None)
    else:
        st.session_state["data_delete_id"] = int(remaining.max())


def remove_demo(store: Store, import_ids: list[int]) -> None:
    for import_id in import_ids:
        try:
            store.delete_import(import_id)
        except ValueError:
            continue  # removed meanwhile by another session
    store.set_setting(ui.DEMO_DECLINED, True)
    offer_newest_import(store)
    st.session_state["data_flash"] = ("success", ui.t("demo.removed"))


def load_cdnow(store: Store, demo_ids: list[int]) -> None:
    """Button callback: the CDNOW sample replaces the demo shop (mixing a 1997 CD shop in
    dollars with a 2025 candle shop in euros would give meaningless figures)."""
    if demo_ids:
        remove_demo(store, demo_ids)
    report = pipeline.load_cdnow_sample(store)
    offer_newest_import(store)
    st.session_state["data_flash"] = (
        "success",
        ui.t("cdnow.loaded", n=ui.fmt_int(report.rows_loaded)),
    )


def history_table(imports: pd.DataFrame) -> pd.DataFrame:
    shown = imports.copy()
    shown["kind"] = shown["kind"].map(kind_label)
    shown["source_preset"] = shown["source_preset"].map(source_label)
    shown["notes"] = shown["notes"].map(notes_text)
    return shown


# ======================================================================================

ui.page_header("data.title", "data.purpose")
store = ui.get_store()

flash = st.session_state.pop("data_flash", None)
if flash is not None:
    level, message = flash
    # Messages are Markdown already made safe where they quote a file or an error.
    (st.error if level == "error" else st.success)(message)

imports = ui.cached_imports(store)

# -- 1. upload -------------------------------------------------------------------------
st.subheader(ui.t("data.upload.title"))
if imports.empty:
    st.info(ui.t("data.empty"), icon=":material/upload_file:")
uploaded = st.file_uploader(
    ui.t("data.upload.label"),
    type=UPLOAD_TYPES,
    key="data_upload",
    help=ui.t("data.upload.help"),
)

if uploaded is None:
    # The file was removed from the uploader: forget what was read from it.
    st.session_state.pop("data_preview", None)
    st.session_state.pop("data_report", None)
else:
    done = st.session_state.get("data_report")
    if done is not None and done["file_id"] == uploaded.file_id:
        show_report(done["report"])
    else:
        preview = current_preview(store, uploaded)
        if preview is not None:
            kind, source = choose_kind_and_source(preview)
            if preview.kind is None:
                st.warning(ui.t("data.kind_unknown"), icon=":material/help:")
            st.markdown(f"**{ui.t('data.preview.title')}**")
            st.caption(ui.t("data.preview.caption", rows=ui.fmt_int(len(preview.raw))))
            st.dataframe(preview.sample, hide_index=True)
            if preview.notes:
                st.markdown("\n".join(f"- {ui.text(ui.tr(note))}" for note in preview.notes))
            mapping = choose_mapping(preview, kind) if source == CUSTOM else None
            dayfirst = choose_dayfirst(preview, kind, mapping)
            missing = [
                field_label(kind, spec)
                for spec in FIELDS[kind]
                if spec.required and mapping is not None and spec.name not in mapping
            ]
            if missing:
                st.warning(ui.t("data.mapping.missing", fields=", ".join(missing)))
            if st.button(
                ui.t("data.import"),
                key="data_import_button",
                type="primary",
                icon=":material/upload:",
                disabled=bool(missing),
            ):
                run_import(
                    store, uploaded, kind=kind, source=source, mapping=mapping, dayfirst=dayfirst
                )

with st.expander(ui.t("data.sources.title")):
    st.markdown(ui.t("data.sources.intro"))
    for kind in KINDS:
        labels = [p.label for p in presets.PRESETS if p.kind == kind]
        st.markdown(
            ui.t("data.sources.line", kind=kind_label(kind), sources=", ".join(labels) or "—")
        )
    st.caption(ui.t("data.sources.cli"))

# -- 2. history ------------------------------------------------------------------------
st.divider()
st.subheader(ui.t("data.history.title"))
if imports.empty:
    st.caption(ui.t("data.history.empty"))
else:
    st.dataframe(
        history_table(imports),
        hide_index=True,
        column_order=[
            "import_id",
            "imported_at",
            "file_name",
            "kind",
            "source_preset",
            "rows_read",
            "rows_loaded",
            "rows_updated",
            "rows_unchanged",
            "rows_rejected",
            "notes",
        ],
        column_config={
            "import_id": st.column_config.NumberColumn(ui.t("data.history.id"), format="%d"),
            "imported_at": st.column_config.DatetimeColumn(
                ui.t("data.history.imported_at"), format=ui.date_column_format()
            ),
            "file_name": st.column_config.TextColumn(ui.t("data.history.file")),
            "kind": st.column_config.TextColumn(ui.t("data.history.kind")),
            "source_preset": st.column_config.TextColumn(ui.t("data.history.source")),
            "rows_read": st.column_config.NumberColumn(
                ui.t("data.report.read"), format="localized"
            ),
            "rows_loaded": st.column_config.NumberColumn(
                ui.t("data.report.loaded"), format="localized"
            ),
            "rows_updated": st.column_config.NumberColumn(
                ui.t("data.report.updated"), format="localized"
            ),
            "rows_unchanged": st.column_config.NumberColumn(
                ui.t("data.report.unchanged"), format="localized"
            ),
            "rows_rejected": st.column_config.NumberColumn(
                ui.t("data.report.rejected"), format="localized"
            ),
            "notes": st.column_config.TextColumn(ui.t("data.history.notes")),
        },
    )
    ui.csv_download(
        history_table(imports),
        "import_history.csv",
        ui.t("data.history.download"),
        "data_history_csv",
    )

    # Deleting an import
    st.markdown(f"**{ui.t('data.delete.title')}**")
    by_id = {int(row["import_id"]): row for _, row in imports.iterrows()}
    chosen = st.selectbox(
        ui.t("data.delete.which"),
        options=list(by_id),
        format_func=lambda i: ui.t(
            "data.import_option",
            id=i,
            file=by_id[i]["file_name"],
            kind=kind_label(by_id[i]["kind"]),
            date=ui.fmt_date(by_id[i]["imported_at"]),
        ),
        key="data_delete_id",
    )
    st.caption(ui.t("data.delete.explain"))
    confirmed = st.checkbox(ui.t("data.delete.confirm"), key="data_delete_confirm")
    st.button(
        ui.t("data.delete.button"),
        key="data_delete_button",
        icon=":material/delete:",
        disabled=not confirmed or chosen is None,
        on_click=delete_import,
        args=(store, chosen, chosen is not None and is_demo_import(by_id[chosen])),
    )

    # Rejected rows of one import
    st.markdown(f"**{ui.t('data.rejected.title')}**")
    with_rejects = [i for i, row in by_id.items() if int(row["rows_rejected"]) > 0]
    if not with_rejects:
        st.caption(ui.t("data.rejected.none"))
    else:
        which = st.selectbox(
            ui.t("data.rejected.which"),
            options=with_rejects,
            format_func=lambda i: ui.t(
                "data.import_option",
                id=i,
                file=by_id[i]["file_name"],
                kind=kind_label(by_id[i]["kind"]),
                date=ui.fmt_date(by_id[i]["imported_at"]),
            ),
            key="data_rejected_id",
        )
        show_rejected(
            ui.cached_rejected_rows(store, which),
            f"rejected_rows_import_{which}.csv",
            "data_rejected_csv",
        )

# -- 3. demo data ----------------------------------------------------------------------
st.divider()
st.subheader(ui.t("demo.title"))
demo_ids = [int(row["import_id"]) for _, row in imports.iterrows() if is_demo_import(row)]
if demo_ids:
    st.caption(ui.t("demo.present"))
    st.button(
        ui.t("demo.remove"),
        key="data_demo_remove",
        icon=":material/delete_sweep:",
        on_click=remove_demo,
        args=(store, demo_ids),
    )
else:
    st.caption(ui.t("demo.absent"))
    if st.button(ui.t("demo.reload"), key="data_demo_reload", icon=":material/replay:"):
        ui.load_demo_data(store)
        st.rerun()

st.markdown(f"**{ui.t('cdnow.title')}**")
st.caption(ui.t("cdnow.explain"))
if (imports["source_preset"] == "cdnow").any():
    st.caption(ui.t("cdnow.present"))
else:
    st.button(
        ui.t("cdnow.load"),
        key="data_cdnow_load",
        icon=":material/album:",
        on_click=load_cdnow,
        args=(store, demo_ids),
    )

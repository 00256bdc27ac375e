"""Registre: the record of processing, erasure by email, retention and consent."""

from __future__ import annotations

import datetime as dt

import streamlit as st

import ui
from clv.compliance import gdpr
from clv.compliance.registre import Holdings, ServerFacts, holdings, record_of_processing
from clv.store import Store

PENDING = "registre_erase_pending"
ERASED = "registre_erase_result"
PURGED = "registre_purge_result"


def _counts(removed: dict[str, int]) -> dict[str, str]:
    return {
        "orders": ui.fmt_int(removed.get("orders", 0)),
        "lines": ui.fmt_int(removed.get("order_lines", 0)),
        "customers": ui.fmt_int(removed.get("customers", 0)),
        "answers": ui.fmt_int(removed.get("nps_responses", 0)),
        "tickets": ui.fmt_int(removed.get("support_tickets", 0)),
        "rejected": ui.fmt_int(removed.get("rejected_rows", 0)),
    }


def server_facts() -> ServerFacts:
    return ServerFacts(
        address=str(st.get_option("server.address") or ""),
        upload_limit_mb=int(st.get_option("server.maxUploadSize")),
        login=ui.login_configured(),
        xsrf=bool(st.get_option("server.enableXsrfProtection")),
    )


# -- the record --------------------------------------------------------------------------


def show_record(store: Store, held: Holdings) -> None:
    st.subheader(ui.t("registre.record.header"))
    st.caption(ui.t("registre.record.caption"))
    record = record_of_processing(store, ui.lang(), server=server_facts(), held=held)
    name = "registre-des-traitements.md" if ui.lang() == "fr" else "record-of-processing.md"
    st.download_button(
        ui.t("registre.record.download"),
        data=record.encode("utf-8"),
        file_name=name,
        mime="text/markdown",
        key="registre_download",
        icon=":material/download:",
        on_click="ignore",
    )
    with st.container(border=True):
        # Written by clv.compliance.registre from fixed texts, counts and the data file's name.
        st.markdown(record)


# -- erasure -----------------------------------------------------------------------------


def _prepare(store: Store) -> None:
    email = st.session_state.get("registre_erase_email", "")
    st.session_state.pop(ERASED, None)
    try:
        preview = gdpr.preview_erasure(store, email)
    except ValueError:
        st.session_state[PENDING] = {"invalid": True}
        return
    st.session_state[PENDING] = {
        "email": email,
        "pseudonym": preview.pseudonym,
        "removed": preview.removed,
    }
    # The email lives only as long as the confirmation step.
    st.session_state["registre_erase_email"] = ""


def _cancel() -> None:
    st.session_state.pop(PENDING, None)


def erase_section(store: Store) -> None:
    st.subheader(ui.t("registre.erase.header"))
    st.markdown(ui.t("registre.erase.intro"))
    with st.form("registre_erase_form", border=True):
        st.text_input(
            ui.t("registre.erase.email"),
            key="registre_erase_email",
            placeholder="nom@exemple.fr",
            autocomplete="off",
        )
        st.form_submit_button(
            ui.t("registre.erase.submit"),
            on_click=_prepare,
            args=(store,),
            icon=":material/person_remove:",
            key="registre_erase_submit",
        )
    pending = st.session_state.get(PENDING)
    if pending and pending.get("invalid"):
        st.error(ui.t("registre.erase.invalid"), icon=":material/error:")
    elif pending:
        found = sum(pending["removed"].values())
        # Computed here (c_ + hex digits), shown in a code span, where escapes would show.
        pseudonym = pending["pseudonym"]
        if found:
            st.warning(
                ui.t(
                    "registre.erase.confirm",
                    found=ui.fmt_int(found),
                    pseudonym=pseudonym,
                    **_counts(pending["removed"]),
                ),
                icon=":material/warning:",
            )
        else:
            st.info(ui.t("registre.erase.nothing", pseudonym=pseudonym))
        left, right = st.columns(2)
        if left.button(
            ui.t("registre.erase.do"), type="primary", key="registre_erase_do", width="stretch"
        ):
            with st.spinner(ui.t("registre.erase.running")):
                try:
                    report = gdpr.erase_customer(store, pending["email"])
                except ValueError as exc:
                    st.session_state.pop(PENDING, None)
                    st.error(ui.text(ui.tr_error(exc)), icon=":material/error:")
                    return
            st.session_state.pop(PENDING, None)
            st.session_state[ERASED] = {"removed": report.removed, "compacted": report.compacted}
            st.rerun()
        right.button(
            ui.t("registre.erase.cancel"),
            key="registre_erase_cancel",
            on_click=_cancel,
            width="stretch",
        )
    result = st.session_state.get(ERASED)
    if result:
        compacted = ui.t(
            "registre.erase.compacted" if result["compacted"] else "registre.erase.not_compacted"
        )
        st.success(
            ui.t(
                "registre.erase.done",
                total=ui.fmt_int(sum(result["removed"].values())),
                compacted=compacted,
                **_counts(result["removed"]),
            ),
            icon=":material/check_circle:",
        )
        st.info(ui.t("registre.erase.exports"), icon=":material/folder_delete:")


# -- retention ---------------------------------------------------------------------------


def _years_changed(store: Store) -> None:
    gdpr.set_retention_years(store, int(st.session_state["registre_years"]))
    st.session_state.pop(PURGED, None)
    st.toast(ui.t("registre.retention.saved", years=st.session_state["registre_years"]))


def retention_section(store: Store) -> None:
    st.subheader(ui.t("registre.retention.header"))
    st.markdown(ui.t("registre.retention.intro"))
    st.session_state.setdefault("registre_years", gdpr.retention_years(store))
    years = st.number_input(
        ui.t("registre.retention.years"),
        min_value=1,
        max_value=100,
        step=1,
        key="registre_years",
        help=ui.t("registre.retention.years_help"),
        on_change=_years_changed,
        args=(store,),
    )
    years = int(years)
    due = ui.kpi(store, gdpr.inactive_customers, years)
    cutoff = ui.fmt_date(gdpr.retention_cutoff(years, dt.date.today()))
    result = st.session_state.get(PURGED)
    if result:
        st.success(
            ui.t(
                "registre.retention.done",
                customers=ui.fmt_int(result["customers"]),
                orders=ui.fmt_int(result["removed"].get("orders", 0)),
                answers=ui.fmt_int(result["removed"].get("nps_responses", 0)),
                tickets=ui.fmt_int(result["removed"].get("support_tickets", 0)),
            ),
            icon=":material/check_circle:",
        )
    if due.empty:
        st.info(ui.t("registre.retention.none", cutoff=cutoff))
        return
    st.warning(
        ui.t("registre.retention.count", customers=ui.fmt_int(len(due)), cutoff=cutoff),
        icon=":material/auto_delete:",
    )
    confirmed = st.checkbox(ui.t("registre.retention.confirm"), key="registre_purge_confirm")
    if st.button(
        ui.t("registre.retention.purge"),
        key="registre_purge",
        type="primary",
        disabled=not confirmed,
        icon=":material/delete_sweep:",
    ):
        try:
            report = gdpr.purge_inactive(store, years)
        except ValueError as exc:
            st.error(ui.text(ui.tr_error(exc)), icon=":material/error:")
            return
        st.session_state[PURGED] = {"customers": report.customers, "removed": report.removed}
        st.session_state.pop("registre_purge_confirm", None)
        st.rerun()


# -- consent -----------------------------------------------------------------------------


def _consent_changed(store: Store) -> None:
    on = bool(st.session_state["registre_consent"])
    gdpr.set_respect_consent(store, on)
    st.toast(ui.t("registre.consent.saved_on" if on else "registre.consent.saved_off"))


def consent_section(store: Store, held: Holdings) -> None:
    st.subheader(ui.t("registre.consent.header"))
    st.session_state.setdefault("registre_consent", gdpr.respects_consent(store))
    st.toggle(
        ui.t("registre.consent.switch"),
        key="registre_consent",
        help=ui.t("registre.consent.help"),
        on_change=_consent_changed,
        args=(store,),
    )
    st.caption(
        ui.t(
            "registre.consent.count",
            refused=ui.fmt_int(held["consent_refused"]),
            granted=ui.fmt_int(held["consent_granted"]),
            unknown=ui.fmt_int(held["consent_unknown"]),
        )
    )


# -- the page ----------------------------------------------------------------------------

ui.page_header("registre.title", "registre.purpose")
store = ui.get_store()
held = holdings(store)
if held["customers"] == 0:
    st.info(ui.t("registre.empty"), icon=":material/upload_file:")
    st.page_link("views/data.py", label=ui.t("registre.go_to_data"), icon=":material/upload_file:")

record_tab, erase_tab, retention_tab, consent_tab = st.tabs(
    [
        ui.t("registre.record.header"),
        ui.t("registre.erase.header"),
        ui.t("registre.retention.header"),
        ui.t("registre.consent.header"),
    ]
)
with record_tab:
    show_record(store, held)
with erase_tab:
    erase_section(store)
with retention_tab:
    retention_section(store)
with consent_tab:
    consent_section(store, held)

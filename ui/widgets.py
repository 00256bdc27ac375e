"""What every page draws the same way: its header, charts with their CSV download, and
the empty state that says which files to upload."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from clv import formatting
from clv.store import Store
from ui.cache import cached_status
from ui.sidebar import TABLE_LABELS
from ui.state import t


def page_header(title_key: str, purpose_key: str) -> None:
    """Page title and the one line that says what the page is for."""
    st.title(t(title_key))
    st.caption(t(purpose_key))


def csv_download(frame: pd.DataFrame, file_name: str, label: str, key: str) -> None:
    """Download button for ``frame`` as CSV, cells neutralised against formula injection."""
    st.download_button(
        label,
        data=formatting.to_csv_bytes(frame),
        file_name=file_name,
        mime="text/csv",
        key=key,
        icon=":material/download:",
        on_click="ignore",
    )


def chart(
    figure: Any,
    key: str,
    data: pd.DataFrame | None = None,
    file_name: str | None = None,
) -> None:
    """A plotly figure, and below it a CSV download of the data it draws (when given)."""
    st.plotly_chart(figure, key=key, config={"displaylogo": False})
    if data is not None:
        csv_download(
            data,
            file_name or f"{key}.csv",
            t("chart.download"),
            key=f"{key}_csv",
        )


def missing_data(store: Store, *tables: str) -> list[str]:
    """Which of ``tables`` hold no rows (an empty list when all have data)."""
    status = cached_status(store)
    rows = dict(zip(status["table"], status["rows"], strict=True))
    return [table for table in tables if not rows.get(table)]


def empty_state(tables: list[str], what_key: str) -> None:
    """The page's empty state: what the page needs, which files to upload, and a link."""
    names = ", ".join(t(TABLE_LABELS.get(table, table)) for table in tables)
    st.info(t(what_key) + "\n\n" + t("empty.upload", tables=names), icon=":material/upload_file:")
    st.page_link("views/data.py", label=t("empty.go_to_data"), icon=":material/upload_file:")


def require_data(store: Store, tables: tuple[str, ...], what_key: str) -> None:
    """Stop the page with its empty state when any of ``tables`` holds no rows."""
    missing = missing_data(store, *tables)
    if missing:
        empty_state(missing, what_key)
        st.stop()

"""Overview: what the customer base is worth, in three figures and the period they cover."""

import streamlit as st

import ui

ui.page_header("overview.title", "overview.purpose")

store = ui.get_store()
summary = ui.cached_summary(store)

if summary["orders"] == 0:
    st.info(ui.t("overview.empty"), icon=":material/upload_file:")
    st.page_link("pages/data.py", label=ui.t("overview.go_to_data"), icon=":material/upload_file:")
    st.stop()

st.markdown(
    ui.t(
        "overview.period",
        first=ui.fmt_date(summary["first_order_date"]),
        last=ui.fmt_date(summary["last_order_date"]),
    )
)

currencies = summary["currencies"]
currency = currencies[0] if currencies else "EUR"
customers, orders, revenue = st.columns(3)
customers.metric(
    ui.t("overview.customers"),
    ui.fmt_int(summary["customers"]),
    help=ui.t("overview.customers_help"),
    border=True,
)
orders.metric(
    ui.t("overview.orders"),
    ui.fmt_int(summary["orders"]),
    help=ui.t("overview.orders_help"),
    border=True,
)
revenue.metric(
    ui.t("overview.net_revenue"),
    ui.fmt_money(summary["net_revenue"], currency, decimals=0),
    help=ui.t("overview.net_revenue_help"),
    border=True,
)
if len(currencies) > 1:
    st.warning(ui.t("overview.mixed_currencies", currencies=ui.text(", ".join(currencies))))

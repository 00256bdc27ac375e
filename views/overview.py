"""Overview: what the customer base is worth, and one headline figure per analysis page,
each beside its benchmark, with a link to the page that explains it."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

import ui
from clv.metrics import acquisition, loyalty, overview, retention, voice
from clv.metrics.acquisition import HEALTHY_RATIO, ratio_band
from clv.metrics.filters import is_filtering
from clv.metrics.loyalty import MARKET_EXISTING_REVENUE_SHARE, existing_revenue_share
from clv.metrics.overview import (
    overall_nps,
    paid_clv_cac_ratio,
    pooled_churn_rate,
    pooled_repeat_rates,
)

# The repeat window quoted on the loyalty tile.
REPEAT_WINDOW = 90


def tile(title_key: str, page: str, body: Callable[[], None]) -> None:
    """One bordered tile: its title, what ``body`` draws, and the link to its page."""
    with st.container(border=True):
        st.markdown(f"**{ui.t(title_key)}**")
        body()
        st.page_link(page, label=ui.t("overview.tile.open"), icon=":material/arrow_forward:")


ui.page_header("overview.title", "overview.purpose")
store = ui.get_store()
span = ui.cached_summary(store)
reconciliation = ui.kpi(store, overview.order_reconciliation)

if reconciliation.rows == 0:
    st.info(ui.t("overview.empty"), icon=":material/upload_file:")
    st.page_link("views/data.py", label=ui.t("overview.go_to_data"), icon=":material/upload_file:")
    st.stop()

filters = ui.current_filters(store)
ui.filter_caption(store)
# The headline figures under the sidebar's filters; the period line says what the store holds.
summary = ui.cached_summary(store, filters)
st.markdown(
    ui.t(
        "overview.period",
        first=ui.fmt_date(span["first_order_date"]),
        last=ui.fmt_date(span["last_order_date"]),
    )
)

currencies = summary["currencies"]
currency = ui.shop_currency(store)
money = ui.money_formatter(currency)


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
others = [
    ui.t("overview.reconciliation.status", count=ui.fmt_int(count), status=ui.t(f"status.{name}"))
    for name, count in reconciliation.by_status.items()
]
if reconciliation.guest:
    others.append(ui.t("overview.reconciliation.guest", count=ui.fmt_int(reconciliation.guest)))
if reconciliation.refused:
    others.append(ui.t("overview.reconciliation.refused", count=ui.fmt_int(reconciliation.refused)))
st.caption(
    ui.t(
        "overview.reconciliation",
        rows=ui.fmt_int(reconciliation.rows),
        counted=ui.fmt_int(reconciliation.counted),
        others=", ".join(others) if others else ui.t("overview.reconciliation.none"),
    )
    + (" " + ui.t("overview.reconciliation.filtered") if is_filtering(filters) else "")
)
if len(currencies) > 1:
    st.warning(ui.t("overview.mixed_currencies", currencies=ui.text(", ".join(currencies))))

st.subheader(ui.t("overview.tiles"))
valuation = ui.valuation_key(store)


def clv_tile() -> None:
    if valuation is None:
        st.caption(ui.t("overview.tile.clv_none"))
        return
    kept = ui.kpi(store, overview.value_of_kept, valuation, filters)
    settings = ui.valuation_settings(store)
    st.metric(
        ui.t("overview.tile.clv", horizon=settings.horizon_months),
        money(kept.average_clv, 2),
        help=ui.t(
            "overview.tile.clv_help",
            total=money(kept.total_clv),
            customers=ui.fmt_int(kept.customers),
        ),
    )
    st.caption(ui.t("overview.tile.clv_total", total=money(kept.total_clv)))


def acquisition_tile() -> None:
    if ui.missing_data(store, "marketing_spend"):
        st.caption(ui.t("overview.tile.no_spend"))
        return
    figures = ui.kpi(
        store, acquisition.acquisition_figures, valuation, filters, ui.stored_margin_rate(store)
    )
    table = figures.table
    ratio = paid_clv_cac_ratio(table)
    st.metric(
        ui.t("overview.tile.ratio"),
        ui.fmt_ratio(ratio),
        help=ui.t("overview.tile.ratio_help"),
    )
    band = ratio_band(ratio)
    reading = ui.t(f"overview.band.{band}") if band else ui.t("overview.band.none")
    st.caption(
        ui.t("overview.tile.ratio_benchmark", benchmark=ui.fmt_number(HEALTHY_RATIO, 0))
        + " "
        + reading
    )


def retention_tile() -> None:
    days, _proposed, chosen = ui.churn_window(store)
    rates = ui.kpi(store, retention.churn_rates, days, filters, by="cohort")
    rate, judged = pooled_churn_rate(rates)
    st.metric(
        ui.t("overview.tile.churn"),
        "—" if rate is None else ui.fmt_percent(rate),
        help=ui.t("overview.tile.churn_help", days=ui.fmt_int(days), judged=ui.fmt_int(judged)),
    )
    definition = "overview.tile.churn_chosen" if chosen else "overview.tile.churn_definition"
    st.caption(ui.t(definition, days=ui.fmt_int(days)))


def voice_tile() -> None:
    if ui.missing_data(store, "nps_responses"):
        st.caption(ui.t("overview.tile.no_nps"))
        return
    result = overall_nps(ui.kpi(store, voice.nps_by, "month", filters))
    if result is None:
        st.metric(ui.t("overview.tile.nps"), "—")
        st.caption(ui.t("overview.tile.nps_none"))
        return
    st.metric(
        ui.t("overview.tile.nps"),
        ui.fmt_signed_number(result.nps),
        help=ui.t(
            "overview.tile.nps_help",
            promoters=ui.fmt_int(result.promoters),
            detractors=ui.fmt_int(result.detractors),
            answers=ui.fmt_int(result.n),
        ),
    )
    st.caption(
        ui.t(
            "overview.tile.nps_interval",
            low=ui.fmt_signed_number(result.low),
            high=ui.fmt_signed_number(result.high),
        )
    )


def loyalty_tile() -> None:
    split = ui.kpi(store, loyalty.revenue_split_by_month, filters)
    share = existing_revenue_share(split)
    st.metric(
        ui.t("overview.tile.existing"),
        ui.fmt_percent(share),
        help=ui.t("overview.tile.existing_help"),
    )
    repeat = pooled_repeat_rates(ui.kpi(store, loyalty.repeat_rates, filters))
    rate, customers = repeat.get(REPEAT_WINDOW, (None, 0))
    st.caption(
        ui.t(
            "overview.tile.existing_benchmark",
            benchmark=ui.fmt_percent(MARKET_EXISTING_REVENUE_SHARE, 0),
        )
        + " "
        + ui.t(
            "overview.tile.repeat",
            days=REPEAT_WINDOW,
            rate="—" if rate is None else ui.fmt_percent(rate),
            customers=ui.fmt_int(customers),
        )
    )


top = st.columns(3)
bottom = st.columns(2)
with top[0]:
    tile("page.clv", "views/clv.py", clv_tile)
with top[1]:
    tile("page.acquisition", "views/acquisition.py", acquisition_tile)
with top[2]:
    tile("page.retention", "views/retention.py", retention_tile)
with bottom[0]:
    tile("page.voice", "views/voice.py", voice_tile)
with bottom[1]:
    tile("page.loyalty", "views/loyalty.py", loyalty_tile)

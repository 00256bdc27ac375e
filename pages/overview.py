"""Overview: what the customer base is worth, and one headline figure per analysis page,
each beside its benchmark, with a link to the page that explains it."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

import ui
from clv.acquisition import HEALTHY_RATIO, ratio_band
from clv.loyalty import MARKET_EXISTING_REVENUE_SHARE, existing_revenue_share
from clv.overview import overall_nps, paid_clv_cac_ratio, pooled_churn_rate, pooled_repeat_rates

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
summary = ui.cached_summary(store)

if summary["orders"] == 0:
    st.info(ui.t("overview.empty"), icon=":material/upload_file:")
    st.page_link("pages/data.py", label=ui.t("overview.go_to_data"), icon=":material/upload_file:")
    st.stop()

filters = ui.current_filters(store)
ui.filter_caption(store)
st.markdown(
    ui.t(
        "overview.period",
        first=ui.fmt_date(summary["first_order_date"]),
        last=ui.fmt_date(summary["last_order_date"]),
    )
)

currencies = summary["currencies"]
currency = currencies[0] if currencies else "EUR"


def money(value: float | None, decimals: int = 0) -> str:
    return "—" if value is None else ui.fmt_money(value, currency, decimals=decimals)


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

st.subheader(ui.t("overview.tiles"))
clv = ui.customer_clv(store)


def clv_tile() -> None:
    if clv is None:
        st.caption(ui.t("overview.tile.clv_none"))
        return
    kept = ui.kpi(store, "overview:value_of_kept", clv, filters)
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
    table = ui.kpi(
        store,
        "acquisition:channel_table",
        ui.customer_lifetime_value(store),
        filters,
        margin_rate=ui.stored_margin_rate(store),
    )
    ratio = paid_clv_cac_ratio(table)
    st.metric(
        ui.t("overview.tile.ratio"),
        "—" if ratio is None else f"{ui.fmt_number(ratio, 1)} : 1",
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
    rates = ui.kpi(store, "retention:churn_rates", days, filters, by="cohort")
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
    result = overall_nps(ui.kpi(store, "voice:nps_by", "month", filters))
    if result is None:
        st.metric(ui.t("overview.tile.nps"), "—")
        st.caption(ui.t("overview.tile.nps_none"))
        return
    st.metric(
        ui.t("overview.tile.nps"),
        ui.fmt_number(result.nps, 0),
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
            low=ui.fmt_number(result.low, 0),
            high=ui.fmt_number(result.high, 0),
        )
    )


def loyalty_tile() -> None:
    split = ui.kpi(store, "loyalty:revenue_split_by_month", filters)
    share = existing_revenue_share(split)
    st.metric(
        ui.t("overview.tile.existing"),
        "—" if share is None else ui.fmt_percent(share, 0),
        help=ui.t("overview.tile.existing_help"),
    )
    repeat = pooled_repeat_rates(ui.kpi(store, "loyalty:repeat_rates", filters))
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
    tile("page.clv", "pages/clv.py", clv_tile)
with top[1]:
    tile("page.acquisition", "pages/acquisition.py", acquisition_tile)
with top[2]:
    tile("page.retention", "pages/retention.py", retention_tile)
with bottom[0]:
    tile("page.voice", "pages/voice.py", voice_tile)
with bottom[1]:
    tile("page.loyalty", "pages/loyalty.py", loyalty_tile)

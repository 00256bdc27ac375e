"""What every page shares, as one small package (the pages write ``ui.t(...)``):

- :mod:`ui.state`: the visitor's language, settings from secrets, Session State keys;
- :mod:`ui.format`: the one set of formatters (money, numbers, dates, labels);
- :mod:`ui.cache`: the store and every cached read (the only Streamlit caching);
- :mod:`ui.sidebar`: language, shared filters, presentation mode, data status;
- :mod:`ui.widgets`: page header, charts with downloads, empty states;
- :mod:`ui.auth`: the optional login.
"""

from ui.auth import allowed_emails, login_configured, require_login
from ui.cache import (
    CACHE_ENTRIES,
    CACHE_TTL,
    DEMO_CUSTOMERS_ENV,
    DEMO_DECLINED,
    cached_imports,
    cached_rejected_rows,
    cached_retention_scenario,
    cached_risk,
    cached_status,
    cached_summary,
    cached_valuation,
    churn_window,
    data_changed,
    data_version,
    demo_customers,
    get_store,
    kpi,
    load_demo_data,
    open_store,
    shared_valuation,
    shop_currency,
    start_run,
    stored_margin_rate,
    stored_tier_rule,
    valuation_key,
    valuation_settings,
)
from ui.format import (
    MONEY_FORMATS,
    chart_labels,
    date_column_format,
    fmt_date,
    fmt_datetime,
    fmt_int,
    fmt_money,
    fmt_month,
    fmt_number,
    fmt_percent,
    fmt_points,
    fmt_ratio,
    fmt_signed_money,
    fmt_signed_number,
    fmt_signed_percent,
    money_column,
    money_formatter,
    month_column,
    text,
)
from ui.sidebar import (
    TABLE_LABELS,
    current_filters,
    filter_caption,
    language_switch,
    reset_filters,
    sidebar_filters,
    sidebar_status,
)
from ui.state import (
    CHURN_WINDOW_KEY,
    CLV_CONTROLS_KEY,
    DEFAULT_CLV_CONTROLS,
    FILTERS_KEY,
    LANGUAGES,
    MAX_CHURN_DAYS,
    PRESENTATION_KEY,
    clv_controls,
    db_path,
    lang,
    locale,
    presentation,
    secret,
    t,
    tr,
    tr_error,
    tr_reason,
)
from ui.widgets import chart, csv_download, empty_state, missing_data, page_header, require_data

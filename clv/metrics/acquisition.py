"""Acquisition: cost of acquiring a customer (CAC) per channel, against their value (CLV).

Definitions (shared ones in :mod:`clv.metrics.filters`; guest orders never count):

- a **new customer** of month ``m`` and channel ``c`` is a customer whose first paid order
  is in ``m`` and whose acquisition channel is ``c``;
- **spend** is ``marketing_spend.spend_amount`` by the month of ``spend_date`` and the
  channel after aliasing;
- **CAC** = spend / new customers, per channel and month (:func:`cac_by_channel_month`)
  or over the whole period (:func:`channel_table`); undefined (NaN) without new
  customers;
- **CLV / CAC**: average lifetime value (margin to date + predicted CLV, from the stored
  valuation) of the channel's new customers over the period, divided by its average CAC,
  read with :func:`ratio_band`;
- **payback**: months after acquisition until the cumulative gross margin per acquired
  customer reaches the CAC (month 0 = the acquisition month).

Spend cannot be split by customer, so these functions ignore ``Filters.tiers``
(a value-tier selection does not change CAC); they honour dates and channels.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd

from clv.metrics.filters import (
    CHANNEL_KEY_SQL,
    NO_FILTERS,
    Filters,
    base_ctes,
    channel_key,
    date_clause,
    observation_end,
)
from clv.metrics.retention import cohort_grid
from clv.store import Store
from clv.store.definitions import COUNTED_ORDER_SQL
from clv.valuation import values

#: Band codes of a CLV / CAC ratio, from worst to best.
BANDS: tuple[str, ...] = ("loses_money", "break_even", "optimise", "healthy")

#: A ratio in [BREAK_EVEN_LOW, BREAK_EVEN_HIGH) is read as break-even (about 1).
BREAK_EVEN_LOW = 0.95
BREAK_EVEN_HIGH = 1.05
#: From this ratio on, a channel is healthy (the usual 3:1 rule).
HEALTHY_RATIO = 3.0

#: Canonical names suggested for the ad platforms whose names differ between exports.
#: A name belongs to a family when one of its words (after :func:`channel_key`) is in
#: the word set, or when it contains one of the phrases.
CHANNEL_FAMILIES: dict[str, tuple[frozenset[str], tuple[str, ...]]] = {
    "Meta Ads": (frozenset({"facebook", "instagram", "meta", "fb"}), ()),
    "Google Ads": (frozenset({"google", "adwords", "cpc"}), ("google ads",)),
}

_MONTH_COLUMNS = ["month", "channel", "spend", "new_customers", "cac"]
_TABLE_COLUMNS = [
    "channel",
    "spend",
    "new_customers",
    "average_cac",
    "average_clv",
    "clv_cac_ratio",
    "band",
    "payback_months",
]
_PAYBACK_COLUMNS = [
    "cohort_month",
    "channel",
    "months_since_acquisition",
    "cumulative_margin_per_customer",
    "cac",
    "paid_back",
]


# -- channel aliases -------------------------------------------------------------------


def channel_aliases(cur: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The saved channel aliases.

    Returns
    -------
    DataFrame with ``alias`` (a name as it appears in an export) and ``channel`` (the
    name it stands for), sorted by channel then alias.
    """
    return cur.execute("SELECT alias, channel FROM channel_aliases ORDER BY channel, alias").df()


def _resolved_aliases(mapping: Mapping[str, str]) -> dict[str, str]:
    """Clean a user's alias table: trimmed names, one entry per alias key, no chains."""
    out: dict[str, str] = {}
    by_key: dict[str, str] = {}
    for raw_alias, raw_channel in mapping.items():
        alias = " ".join(str(raw_alias or "").split())
        channel = " ".join(str(raw_channel or "").split())
        if not alias or not channel:
            raise ValueError(
                f"The alias {raw_alias!r} -> {raw_channel!r} has an empty side; give both "
                "the name in the export and the channel it stands for, or delete the row."
            )
        key = channel_key(alias)
        if key in by_key and channel_key(out[by_key[key]]) != channel_key(channel):
            raise ValueError(
                f"{by_key[key]!r} and {alias!r} are the same name (case and accents aside) "
                f"but point to different channels; keep one of them."
            )
        if alias == channel:
            continue  # an alias of itself changes nothing
        by_key[key] = alias
        out[alias] = channel
    # Follow chains (a -> b, b -> c) so each alias points straight at its final channel.
    # A target whose own key maps to that very spelling ("google ads" -> "Google Ads") ends
    # the chain: that alias only folds case and accents.
    targets = {channel_key(a): c for a, c in out.items()}
    for alias, channel in list(out.items()):
        seen = {channel_key(alias)}
        while targets.get(channel_key(channel), channel) != channel:
            if channel_key(channel) in seen:
                raise ValueError(
                    f"The aliases loop back to {alias!r}; make every name point to one "
                    "final channel."
                )
            seen.add(channel_key(channel))
            channel = targets[channel_key(channel)]
        out[alias] = channel
    return out


def save_channel_aliases(store: Store, mapping: Mapping[str, str]) -> pd.DataFrame:
    """Replace the whole alias table with ``mapping`` (alias -> channel), in one transaction.

    Names are trimmed and compared without case or accents when the store applies them
    (so ``"google ads" -> "Google Ads"`` also folds "GOOGLE ADS"); an alias spelled exactly
    as its channel is dropped; chains are followed so that every alias points to its final
    channel.

    Raises
    ------
    ValueError : an empty name, one alias (case and accents aside) mapped to two
        channels, or aliases that loop.

    Returns
    -------
    The saved table, as :func:`channel_aliases` returns it.
    """
    clean = _resolved_aliases(mapping)
    with store.transaction() as cur:
        cur.execute("DELETE FROM channel_aliases")
        if clean:
            cur.executemany("INSERT INTO channel_aliases VALUES (?, ?)", list(clean.items()))
    with store.cursor() as cur:
        return channel_aliases(cur)


def _family(name: str) -> str | None:
    key = channel_key(name)
    words = set("".join(ch if ch.isalnum() else " " for ch in key).split())
    for canonical, (family_words, phrases) in CHANNEL_FAMILIES.items():
        if words & family_words or any(p in key for p in phrases):
            return canonical
    return None


def suggest_aliases(
    spend_channels: Iterable[str], customer_channels: Iterable[str]
) -> dict[str, str]:
    """Aliases that reconcile obvious pairs of names between ad exports and the shop.

    Names are grouped when they are the same ad platform (:data:`CHANNEL_FAMILIES`:
    facebook / instagram / meta / fb are "Meta Ads"; google / adwords / google ads / cpc
    are "Google Ads") or the same name once case, accents and spaces are ignored. A group
    holding two or more different names gets an alias from each name to the group's
    channel: the family name for a platform, else the shop's (customer side) spelling.
    Names that are alone in their group are left as they are.

    Parameters
    ----------
    spend_channels : channel names of the marketing spend.
    customer_channels : acquisition channel names of the customers and orders.

    Returns
    -------
    dict alias -> channel (empty when nothing needs reconciling).
    """
    spend = [str(c) for c in spend_channels if c is not None and str(c).strip()]
    customers = [str(c) for c in customer_channels if c is not None and str(c).strip()]
    groups: dict[str, list[str]] = {}
    for name in [*customers, *spend]:
        group = _family(name) or channel_key(name)
        if name not in groups.setdefault(group, []):
            groups[group].append(name)
    out: dict[str, str] = {}
    for group, names in groups.items():
        if len(names) < 2:
            continue
        # Customer names come first in each group, so names[0] is the shop's spelling.
        target = group if group in CHANNEL_FAMILIES else names[0]
        for name in names:
            if name != target:
                out[name] = target
    return out


@dataclass(frozen=True)
class ChannelNames:
    """Channel names as they appear in the store, before aliasing.

    Attributes
    ----------
    spend : distinct channels of the marketing spend.
    customers : distinct acquisition channels of the customers export and channels of
        paid orders.
    """

    spend: tuple[str, ...]
    customers: tuple[str, ...]


def channel_names(cur: duckdb.DuckDBPyConnection) -> ChannelNames:
    """The raw channel names on both sides, sorted (input of :func:`suggest_aliases`)."""
    spend = cur.execute(
        "SELECT DISTINCT channel FROM marketing_spend WHERE trim(channel) <> '' ORDER BY 1"
    ).fetchall()
    customers = cur.execute(
        f"""
        SELECT DISTINCT name FROM (
            SELECT acquisition_channel AS name FROM customers
            UNION ALL
            SELECT channel FROM orders WHERE {COUNTED_ORDER_SQL}
        )
        WHERE name IS NOT NULL AND trim(name) <> ''
        ORDER BY 1
        """  # noqa: S608 (fixed pieces)
    ).fetchall()
    return ChannelNames(tuple(r[0] for r in spend), tuple(r[0] for r in customers))


# -- CAC ---------------------------------------------------------------------------------


def _no_customer_filter(filters: Filters) -> Filters:
    return dataclasses.replace(filters, tiers=None)


def _empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})


def cac_by_channel_month(
    cur: duckdb.DuckDBPyConnection, filters: Filters = NO_FILTERS
) -> pd.DataFrame:
    """Spend, new customers and CAC per acquisition channel and calendar month.

    Parameters
    ----------
    cur : a cursor on the store.
    filters : period (spend dates and first-order days), channels; the tier filter is
        ignored (see the module docstring).

    Returns
    -------
    DataFrame, one row per month and channel with spend or new customers, sorted by
    month then channel:

    - ``month`` (datetime64, first day);
    - ``channel`` (after aliasing; missing for customers whose channel is unknown);
    - ``spend`` (float, 0 without spend rows);
    - ``new_customers`` (int);
    - ``cac`` (float): spend / new customers; NaN when there is no new customer.
    """
    filters = _no_customer_filter(filters)
    end = observation_end(cur, filters)
    if end is None:
        return _empty(_MONTH_COLUMNS)
    base, params = base_ctes(cur, filters, end)
    spend_dates, spend_params = date_clause("s.spend_date", filters, end)
    first_dates, first_params = date_clause("first_day", filters, end)
    s_key = CHANNEL_KEY_SQL.format("s.channel")
    channel_filter, channel_params = "", []
    if filters.channels is not None:
        channel_filter = " AND list_contains(?::VARCHAR[], channel)"
        channel_params = [list(filters.channels)]
    sql = f"""{base},
spend AS (
    SELECT date_trunc('month', s.spend_date)::DATE AS month,
           coalesce(m.channel, nullif(trim(s.channel), '')) AS channel,
           sum(CAST(s.spend_amount AS DOUBLE)) AS spend
    FROM marketing_spend s
    LEFT JOIN alias_map m ON m.alias_key = {s_key}
    WHERE TRUE{spend_dates}
    GROUP BY ALL
),
spend_kept AS (
    SELECT * FROM spend WHERE TRUE{channel_filter}
),
acquired AS (
    SELECT cohort_month AS month, channel, count(*) AS new_customers
    FROM kept
    WHERE first_day IS NOT NULL{first_dates}
    GROUP BY ALL
)
SELECT coalesce(s.month, a.month) AS month,
       coalesce(s.channel, a.channel) AS channel,
       coalesce(s.spend, 0.0) AS spend,
       coalesce(a.new_customers, 0) AS new_customers,
       CASE WHEN a.new_customers > 0 THEN coalesce(s.spend, 0.0) / a.new_customers END AS cac
FROM spend_kept s
FULL JOIN acquired a ON a.month = s.month AND a.channel IS NOT DISTINCT FROM s.channel
ORDER BY month, channel NULLS LAST
"""  # noqa: S608 (fixed pieces; values are parameters)
    frame = cur.execute(sql, [*params, *spend_params, *channel_params, *first_params]).df()
    if frame.empty:
        return _empty(_MONTH_COLUMNS)
    frame["month"] = pd.to_datetime(frame["month"])
    frame["spend"] = frame["spend"].astype(float)
    frame["new_customers"] = frame["new_customers"].astype(np.int64)
    frame["cac"] = frame["cac"].astype(float)
    return frame[_MONTH_COLUMNS]


def ratio_band(ratio: float | None) -> str | None:
    """Reading of a CLV / CAC ratio.

    ``"loses_money"`` below 0.95 (a customer brings in less margin than they cost),
    ``"break_even"`` from 0.95 to below 1.05 (about 1), ``"optimise"`` from 1.05 to
    below 3, ``"healthy"`` from 3 on; ``None`` when the ratio is unknown (NaN, no CLV,
    or no CAC because there was no spend).
    """
    if ratio is None or not math.isfinite(ratio):
        return None
    if ratio < BREAK_EVEN_LOW:
        return "loses_money"
    if ratio < BREAK_EVEN_HIGH:
        return "break_even"
    if ratio < HEALTHY_RATIO:
        return "optimise"
    return "healthy"


def _channel_totals(months: pd.DataFrame) -> pd.DataFrame:
    totals = months.groupby("channel", dropna=False, sort=False).agg(
        spend=("spend", "sum"), new_customers=("new_customers", "sum")
    )
    return totals.reset_index()


def _average_clv(cur: duckdb.DuckDBPyConnection, valuation: str, filters: Filters) -> pd.DataFrame:
    """Mean lifetime value (margin to date + predicted CLV) of each channel's customers
    acquired in the period, from the stored valuation ``valuation``."""
    end = observation_end(cur, filters)
    base, params = base_ctes(cur, filters, end)
    dates, date_params = date_clause("k.first_day", filters, end)
    sql = f"""{base}
SELECT k.channel, avg(v.lifetime_value) AS average_clv
FROM kept k
JOIN {values.TABLE} v ON v.customer_id = k.customer_id AND v.valuation_key = ?
WHERE k.first_day IS NOT NULL{dates}
GROUP BY k.channel
"""  # noqa: S608 (fixed pieces; values are parameters)
    return cur.execute(sql, [*params, valuation, *date_params]).df()


def _pooled_payback(grid: pd.DataFrame, cac: pd.Series) -> pd.Series:
    """First month at which the channel's pooled margin per customer reaches its CAC.

    Pooling: at month k, the cohorts observed through k together — their cumulative
    margin summed over their customers.
    """
    pooled = grid.groupby(["channel", "months_since_first"], dropna=False).agg(
        margin=("cumulative_margin", lambda s: s.sum(min_count=len(s))),
        customers=("customers_in_cohort", "sum"),
    )
    pooled["per_customer"] = pooled["margin"] / pooled["customers"]
    out = {}
    for channel, rows in pooled.groupby(level="channel", dropna=False):
        target = cac.get(channel, math.nan)
        if not (isinstance(target, float) and target > 0):
            continue
        reached = rows.index.get_level_values("months_since_first")[
            (rows["per_customer"] >= target).to_numpy()
        ]
        if len(reached):
            out[channel] = float(reached.min())
    return pd.Series(out, dtype=float)


def channel_table(
    cur: duckdb.DuckDBPyConnection,
    valuation: str | None,
    filters: Filters = NO_FILTERS,
    *,
    margin_rate: float | None = None,
) -> pd.DataFrame:
    """The finance table: per channel, average CAC, average CLV, their ratio and payback.

    Parameters
    ----------
    cur : a cursor on the store.
    valuation : key of the stored valuation (:mod:`clv.valuation.values`) whose lifetime
        values (margin to date + predicted CLV) are averaged; ``None`` leaves the CLV
        columns empty.
    filters : period and channels; the tier filter is ignored.
    margin_rate : margin rate for orders without a cost, for the payback.

    Returns
    -------
    DataFrame, one row per channel with spend or new customers, most spend first:

    - ``channel``;
    - ``spend`` (float) and ``new_customers`` (int) over the period;
    - ``average_cac`` = spend / new customers (NaN without new customers);
    - ``average_clv``: mean lifetime value of the channel's customers acquired in the
      period (those valued in ``valuation``);
    - ``clv_cac_ratio`` = average CLV / average CAC (NaN when either is unknown or the
      CAC is 0, i.e. no spend);
    - ``band``: :func:`ratio_band` of the ratio (missing when the ratio is unknown);
    - ``payback_months``: first month since acquisition (0 = the acquisition month) at
      which the cumulative margin per customer of the channel's cohorts, pooled over the
      cohorts observed that long, reaches the average CAC; NaN when not yet reached.
    """
    filters = _no_customer_filter(filters)
    months = cac_by_channel_month(cur, filters)
    if months.empty:
        return _empty(_TABLE_COLUMNS)
    average = _average_clv(cur, valuation, filters) if valuation is not None else None
    grid = cohort_grid(cur, filters, margin_rate, by_channel=True)
    return _channel_table_from(months, average, grid)


def _channel_table_from(
    months: pd.DataFrame, average: pd.DataFrame | None, grid: pd.DataFrame
) -> pd.DataFrame:
    """:func:`channel_table` from the month table, the channels' average values (``None``
    without a valuation) and the cohort grid by channel."""
    if months.empty:
        return _empty(_TABLE_COLUMNS)
    table = _channel_totals(months)
    table["new_customers"] = table["new_customers"].astype(np.int64)
    table["average_cac"] = (
        table["spend"] / table["new_customers"].where(table["new_customers"] > 0)
    ).astype(float)
    if average is not None:
        table = table.merge(average, on="channel", how="left")
        table["average_clv"] = table["average_clv"].astype(float)
    else:
        table["average_clv"] = math.nan
    cac = table["average_cac"].where(table["average_cac"] > 0)
    table["clv_cac_ratio"] = table["average_clv"] / cac
    table["band"] = [ratio_band(r) for r in table["clv_cac_ratio"]]
    payback_by_channel = (
        _pooled_payback(grid, pd.Series(cac.to_numpy(), index=table["channel"]))
        if not grid.empty
        else pd.Series(dtype=float)
    )
    table["payback_months"] = table["channel"].map(payback_by_channel).astype(float)
    table = table.sort_values(["spend", "new_customers"], ascending=False, kind="stable")
    return table[_TABLE_COLUMNS].reset_index(drop=True)


def payback(
    cur: duckdb.DuckDBPyConnection,
    filters: Filters = NO_FILTERS,
    margin_rate: float | None = None,
) -> pd.DataFrame:
    """Cumulative margin per acquired customer against CAC, per cohort and channel.

    Parameters
    ----------
    cur : a cursor on the store.
    filters : period (cohorts by first day) and channels; the tier filter is ignored.
    margin_rate : margin rate for orders without a cost (see
        :func:`clv.valuation.historical.margin_sql`).

    Returns
    -------
    DataFrame, one row per cohort month, channel and fully observed month since
    acquisition:

    - ``cohort_month`` (datetime64), ``channel``;
    - ``months_since_acquisition`` (int, 0 = the acquisition month);
    - ``cumulative_margin_per_customer``: gross margin of the cohort's paid orders up to
      that month / customers acquired (NaN once a margin is unknown);
    - ``cac``: that cohort's CAC (spend of the channel in the cohort month / its new
      customers; 0 when the channel had no spend that month);
    - ``paid_back`` (nullable boolean): cumulative margin per customer >= CAC; missing
      when the CAC is 0 (nothing to pay back) or the margin is unknown.
    """
    filters = _no_customer_filter(filters)
    grid = cohort_grid(cur, filters, margin_rate, by_channel=True)
    if grid.empty:
        return _empty(_PAYBACK_COLUMNS)
    return _payback_from(grid, cac_by_channel_month(cur, filters))


def _payback_from(grid: pd.DataFrame, months: pd.DataFrame) -> pd.DataFrame:
    """:func:`payback` from the cohort grid by channel and the month table."""
    if grid.empty:
        return _empty(_PAYBACK_COLUMNS)
    out = grid.merge(
        months[["month", "channel", "cac"]].rename(columns={"month": "cohort_month"}),
        on=["cohort_month", "channel"],
        how="left",
    )
    out = out.rename(columns={"months_since_first": "months_since_acquisition"})
    out["cumulative_margin_per_customer"] = out["cumulative_margin"] / out["customers_in_cohort"]
    known = (out["cac"] > 0) & out["cumulative_margin_per_customer"].notna()
    reached = out["cumulative_margin_per_customer"] >= out["cac"]
    out["paid_back"] = pd.array(
        [bool(r) if k else pd.NA for r, k in zip(reached, known, strict=True)], dtype="boolean"
    )
    return out[_PAYBACK_COLUMNS]


def payback_months(payback_table: pd.DataFrame) -> pd.DataFrame:
    """Payback month of each cohort: the first month where it was paid back.

    Parameters
    ----------
    payback_table : the result of :func:`payback`.

    Returns
    -------
    DataFrame with ``cohort_month``, ``channel``, ``cac`` and ``payback_months`` (float:
    the first ``months_since_acquisition`` with ``paid_back``; NaN when not yet paid
    back or the CAC is 0).
    """
    columns = ["cohort_month", "channel", "cac", "payback_months"]
    if payback_table.empty:
        return _empty(columns)
    frame = payback_table.copy()
    frame["hit"] = frame["months_since_acquisition"].where(
        frame["paid_back"].fillna(False).astype(bool)
    )
    out = frame.groupby(["cohort_month", "channel"], dropna=False, sort=True).agg(
        cac=("cac", "first"), payback_months=("hit", "min")
    )
    out["payback_months"] = out["payback_months"].astype(float)
    return out.reset_index()[columns]


def median_payback(cohorts: pd.DataFrame) -> tuple[float | None, int, int]:
    """Median payback month over the cohorts with a CAC, with the cohorts counted and those
    paid back.

    ``cohorts`` is :func:`payback_months`' table.

    A cohort not yet paid back counts as later than every paid-back one (its payback lies
    beyond what has been observed), so the median is ``None`` ("not reached") when half of
    the cohorts or more have not paid back yet.
    """
    with_cac = cohorts[cohorts["cac"] > 0]
    if with_cac.empty:
        return None, 0, 0
    months = with_cac["payback_months"].astype(float).fillna(math.inf)
    middle = float(months.median())
    paid = int(with_cac["payback_months"].notna().sum())
    return (middle if math.isfinite(middle) else None), len(with_cac), paid


@dataclass(frozen=True)
class BlendedCAC:
    """CAC over all new customers against CAC over the customers of paid channels.

    Attributes
    ----------
    blended_cac : all spend / all new customers (organic ones included); ``None``
        without new customers.
    paid_cac : all spend / new customers of channels with spend in the period;
        ``None`` when those channels acquired nobody.
    spend : total spend of the period.
    new_customers : all new customers of the period.
    paid_new_customers : new customers of channels with spend.
    """

    blended_cac: float | None
    paid_cac: float | None
    spend: float
    new_customers: int
    paid_new_customers: int


def blended_vs_paid_cac(
    cur: duckdb.DuckDBPyConnection, filters: Filters = NO_FILTERS
) -> BlendedCAC:
    """Blended CAC (every new customer) and paid-only CAC over the period.

    Parameters
    ----------
    cur : a cursor on the store.
    filters : period and channels; the tier filter is ignored.
    """
    return _blended_from(cac_by_channel_month(cur, filters))


def _blended_from(months: pd.DataFrame) -> BlendedCAC:
    """:func:`blended_vs_paid_cac` from the month table."""
    if months.empty:
        return BlendedCAC(None, None, 0.0, 0, 0)
    totals = _channel_totals(months)
    spend = float(totals["spend"].sum())
    new = int(totals["new_customers"].sum())
    paid_new = int(totals.loc[totals["spend"] > 0, "new_customers"].sum())
    return BlendedCAC(
        blended_cac=spend / new if new else None,
        paid_cac=spend / paid_new if paid_new else None,
        spend=spend,
        new_customers=new,
        paid_new_customers=paid_new,
    )


def channel_warnings(
    cur: duckdb.DuckDBPyConnection, filters: Filters = NO_FILTERS
) -> list[dict[str, object]]:
    """Channels whose spend and customers do not meet over the period.

    A channel with spend but no new customer usually has a different name in the ad
    export and in the shop (add an alias); a channel with new customers but no spend is
    organic or lacks its spend export.

    Returns
    -------
    list of dicts with ``channel``, ``kind`` (``"spend_without_customers"`` or
    ``"customers_without_spend"``), ``amount`` (the spend) and ``customers`` (the new
    customers); customers with an unknown channel are not reported.
    """
    return _warnings_from(cac_by_channel_month(cur, filters))


def _warnings_from(months: pd.DataFrame) -> list[dict[str, object]]:
    """:func:`channel_warnings` from the month table."""
    if months.empty:
        return []
    out: list[dict[str, object]] = []
    for row in _channel_totals(months).itertuples(index=False):
        if row.channel is None or pd.isna(row.channel):
            continue
        if row.spend > 0 and row.new_customers == 0:
            kind = "spend_without_customers"
        elif row.new_customers > 0 and row.spend <= 0:
            kind = "customers_without_spend"
        else:
            continue
        out.append(
            {
                "channel": row.channel,
                "kind": kind,
                "amount": float(row.spend),
                "customers": int(row.new_customers),
            }
        )
    return sorted(out, key=lambda w: (w["kind"], str(w["channel"])))


# -- the page's one data call ---------------------------------------------------------------


@dataclass(frozen=True)
class AcquisitionFigures:
    """Everything the Acquisition page shows (see :func:`acquisition_figures`)."""

    table: pd.DataFrame
    blended: BlendedCAC
    months: pd.DataFrame
    payback: pd.DataFrame
    warnings: list[dict[str, object]]


def acquisition_figures(
    cur: duckdb.DuckDBPyConnection,
    valuation: str | None,
    filters: Filters = NO_FILTERS,
    margin_rate: float | None = None,
) -> AcquisitionFigures:
    """The Acquisition page's figures from one pass over the store: the month table
    (:func:`cac_by_channel_month`), the cohort grid by channel and the channels' average
    lifetime values are each read once, and :func:`channel_table`,
    :func:`blended_vs_paid_cac`, :func:`payback` and :func:`channel_warnings` are folded
    from them (each gives the same result as its own call; the tests check it).

    Parameters
    ----------
    cur : a cursor on the store.
    valuation : key of the stored valuation (lifetime values), ``None`` without one.
    filters : period and channels; the tier filter is ignored (ad spend cannot be split
        by customer).
    margin_rate : margin rate for orders without a cost.
    """
    filters = _no_customer_filter(filters)
    months = cac_by_channel_month(cur, filters)
    grid = cohort_grid(cur, filters, margin_rate, by_channel=True)
    average = (
        _average_clv(cur, valuation, filters)
        if valuation is not None and not months.empty
        else None
    )
    return AcquisitionFigures(
        table=_channel_table_from(months, average, grid),
        blended=_blended_from(months),
        months=months,
        payback=_payback_from(grid, months),
        warnings=_warnings_from(months),
    )

"""Voice of the customer: Net Promoter Score by segment, and support tickets by tier.

NPS = % promoters (scores 9-10) - % detractors (scores 0-6), on -100..100; passives
(7-8) count in the total only. Its 95 % interval treats the answers as a trinomial sample:
with shares ``p_P`` and ``p_D``, an answer scores +1, 0 or -1, whose variance is
``p_P + p_D - (p_P - p_D)^2``, so::

    var(NPS / 100) = (p_P + p_D - (p_P - p_D)^2) / n
    interval = NPS +/- 1.96 * sqrt(var) * 100     (clipped to -100..100)

This normal approximation needs a fair number of answers: with few answers, or when
every answer is a promoter (or every one a detractor), its width shrinks towards 0.
Segments under ``min_answers`` (30 by default) are therefore flagged as too few to read.

An answer **matches** a customer when its ``customer_id`` is in the customers table or
has a paid order; answers that match nobody (no email in the survey export, or a
customer the shop does not know) belong to no segment and are counted apart.

While the shop's consent switch is on, the answers of customers who refused analytics
are left out altogether (see :mod:`clv.compliance.gdpr`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd

from clv.metrics.filters import (
    NO_FILTERS,
    Filters,
    base_ctes,
    date_clause,
    sort_groups,
)
from clv.store.definitions import REFUSED_ANALYTICS_SQL
from clv.valuation import values
from clv.valuation.tiers import TIERS

#: z of a two-sided 95 % normal interval.
Z_95 = 1.96

#: Below this many answers a segment's NPS is flagged as too few to read.
MIN_ANSWERS = 30

#: Label of the row of answers that match no customer in :func:`nps_by`.
UNMATCHED = "unmatched"

#: Groups of :func:`clv_held_by_nps_group`, in display order.
NPS_GROUPS: tuple[str, ...] = ("promoter", "passive", "detractor", "no answer")

NPS_BY = ("tier", "channel", "cohort", "month")

_NPS_COLUMNS = [
    "group",
    "answers",
    "promoters",
    "passives",
    "detractors",
    "nps",
    "low",
    "high",
    "too_few",
    "matched",
]


@dataclass(frozen=True)
class NPSResult:
    """An NPS with its counts and 95 % interval.

    Attributes
    ----------
    nps : % promoters - % detractors (-100..100); ``None`` without answers.
    promoters, passives, detractors : answers scoring 9-10, 7-8 and 0-6.
    n : answers.
    low, high : bounds of the 95 % interval (see the module docstring); ``None``
        without answers.
    """

    nps: float | None
    promoters: int
    passives: int
    detractors: int
    n: int
    low: float | None
    high: float | None


def nps_from_counts(promoters: int, passives: int, detractors: int) -> NPSResult:
    """NPS and its 95 % interval from the three counts (see the module docstring)."""
    n = int(promoters) + int(passives) + int(detractors)
    if n == 0:
        return NPSResult(None, 0, 0, 0, 0, None, None)
    p_promoter, p_detractor = promoters / n, detractors / n
    score = 100.0 * (p_promoter - p_detractor)
    variance = (p_promoter + p_detractor - (p_promoter - p_detractor) ** 2) / n
    half = Z_95 * math.sqrt(max(variance, 0.0)) * 100.0
    return NPSResult(
        nps=score,
        promoters=int(promoters),
        passives=int(passives),
        detractors=int(detractors),
        n=n,
        low=max(-100.0, score - half),
        high=min(100.0, score + half),
    )


def nps(scores: Iterable[int]) -> NPSResult:
    """NPS of a list of 0-10 scores, with counts and 95 % interval.

    Raises
    ------
    ValueError : a score outside 0..10 or not a whole number.
    """
    values = np.asarray(list(scores), dtype=float)
    if values.size and (
        np.isnan(values).any()
        or (values < 0).any()
        or (values > 10).any()
        or (values != np.round(values)).any()
    ):
        raise ValueError("NPS scores must be whole numbers from 0 to 10; check the survey export.")
    return nps_from_counts(
        int((values >= 9).sum()),
        int(((values >= 7) & (values <= 8)).sum()),
        int((values <= 6).sum()),
    )


def nps_by(
    cur: duckdb.DuckDBPyConnection,
    by: str,
    filters: Filters = NO_FILTERS,
    valuation: str | None = None,
    min_answers: int = MIN_ANSWERS,
) -> pd.DataFrame:
    """NPS per value tier, acquisition channel, cohort or answer month.

    Every answer counts (a customer who answered twice counts twice).

    Parameters
    ----------
    cur : a cursor on the store.
    by : ``"tier"``, ``"channel"``, ``"cohort"`` (month of the customer's first paid
        order) or ``"month"`` (month of the answer).
    filters : ``start``/``end`` select answers by answer day; ``channels`` and
        ``tiers`` keep the answers of those customers only (and then drop the
        unmatched answers, which belong to no channel or customer).
    valuation : key of the stored valuation (:mod:`clv.valuation.values`) whose tiers
        group the answers; needed for ``by="tier"``.
    min_answers : segments with fewer answers are flagged ``too_few``.

    Returns
    -------
    DataFrame with ``group``, ``answers``, ``promoters``, ``passives``, ``detractors``,
    ``nps``, ``low``, ``high`` (95 % interval), ``too_few`` (bool) and ``matched``
    (bool). Segments come first, in order (tiers from best, months and cohorts as
    timestamps); answers of matched customers without a segment (no tier, unknown
    channel, no paid order) share one row whose ``group`` is missing. The answers that
    match no customer come last, in one row whose ``group`` is :data:`UNMATCHED` and
    ``matched`` is False (drop it with ``frame[frame.matched]`` before plotting).
    """
    if by not in NPS_BY:
        raise ValueError(f"Cannot group NPS by {by!r}; choose one of {', '.join(NPS_BY)}.")
    if by == "tier" and valuation is None:
        raise ValueError("NPS by tier needs a valuation (the key of its stored tiers).")
    # Orders are read up to the filter's end (or all of them) to place each customer.
    end = filters.end or dt.date.max
    base, params = base_ctes(cur, filters, end)
    answer_dates, date_params = date_clause("r.answered_at::DATE", filters)
    group = {
        "tier": "t.tier",
        "channel": "c.channel",
        "cohort": "c.cohort_month",
        "month": "date_trunc('month', r.answered_at)::DATE",
    }[by]
    tier_join, tier_params = "", []
    if by == "tier":
        tier_join = (
            f"LEFT JOIN {values.TABLE} t ON t.customer_id = c.customer_id AND t.valuation_key = ?"
        )
        tier_params = [valuation]
    customer_filter = ""
    if filters.channels is not None or filters.tiers is not None:
        customer_filter = " AND r.customer_id IN (SELECT customer_id FROM kept)"
    sql = f"""{base}
SELECT CASE WHEN c.customer_id IS NOT NULL THEN {group} END AS "group",
       c.customer_id IS NOT NULL AS matched,
       count(*) AS answers,
       count(*) FILTER (WHERE r.score >= 9) AS promoters,
       count(*) FILTER (WHERE r.score BETWEEN 7 AND 8) AS passives,
       count(*) FILTER (WHERE r.score <= 6) AS detractors
FROM nps_responses r
LEFT JOIN customer_channel c ON c.customer_id = r.customer_id
{tier_join}
WHERE (r.customer_id IS NULL OR r.customer_id NOT IN (SELECT customer_id FROM refused))
{answer_dates}{customer_filter}
GROUP BY ALL
"""  # noqa: S608 (fixed pieces; values are parameters)
    counts = cur.execute(sql, [*params, *tier_params, *date_params]).df()
    if counts.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in _NPS_COLUMNS})
    rows = []
    for record in counts.itertuples(index=False):
        result = nps_from_counts(record.promoters, record.passives, record.detractors)
        rows.append(
            {
                "group": record.group if record.matched else UNMATCHED,
                "answers": result.n,
                "promoters": result.promoters,
                "passives": result.passives,
                "detractors": result.detractors,
                "nps": result.nps,
                "low": result.low,
                "high": result.high,
                "too_few": result.n < min_answers,
                "matched": bool(record.matched),
            }
        )
    frame = pd.DataFrame(rows, columns=_NPS_COLUMNS)
    matched = frame[frame["matched"]].copy()
    if by in ("cohort", "month"):
        matched["group"] = pd.to_datetime(matched["group"])
    matched = sort_groups(matched, TIERS if by == "tier" else None)
    unmatched = frame[~frame["matched"]]
    out = pd.concat([matched, unmatched], ignore_index=True) if len(unmatched) else matched
    for column in ("answers", "promoters", "passives", "detractors"):
        out[column] = out[column].astype(np.int64)
    for column in ("nps", "low", "high"):
        out[column] = out[column].astype(float)
    return out


def _kept_customers_sql(
    cur: duckdb.DuckDBPyConnection, filters: Filters, column: str
) -> tuple[str, str, list[object]]:
    """The ``WITH`` clause of :func:`base_ctes` and `` AND column IN kept`` when the
    channel or tier filter is set (customers of those channels and tiers); two empty
    strings otherwise."""
    if filters.channels is None and filters.tiers is None:
        return "", "", []
    base, params = base_ctes(cur, dataclasses.replace(filters, start=None), dt.date.max)
    return base, f" AND {column} IN (SELECT customer_id FROM kept)", params  # noqa: S608


def clv_held_by_nps_group(
    cur: duckdb.DuckDBPyConnection, valuation: str, filters: Filters = NO_FILTERS
) -> pd.DataFrame:
    """Predicted CLV held by promoters, passives, detractors and customers who never answered.

    Each customer is placed by their **latest** answer (latest ``answered_at``, then
    highest ``response_id``).

    Parameters
    ----------
    cur : a cursor on the store.
    valuation : key of the stored valuation (:mod:`clv.valuation.values`); its valued
        customers are the customers counted, with their predicted CLV.
    filters : the channel and tier filters keep those customers; the period is not
        applied (a customer is placed by their latest answer, whenever it was given).

    Returns
    -------
    DataFrame with the four groups of :data:`NPS_GROUPS` in order: ``group``,
    ``customers``, ``predicted_clv`` (sum; missing values left out) and ``share`` of the
    total predicted CLV (the shares add up to 1 when the total is positive).
    """
    base, kept, kept_params = _kept_customers_sql(cur, filters, "v.customer_id")
    sql = f"""
{f"{base}," if base else "WITH"} latest AS (
    SELECT customer_id, first(score ORDER BY answered_at DESC, response_id DESC) AS score
    FROM nps_responses
    WHERE customer_id IS NOT NULL AND customer_id NOT IN ({REFUSED_ANALYTICS_SQL})
    GROUP BY customer_id
)
SELECT CASE WHEN l.score IS NULL THEN 'no answer'
            WHEN l.score >= 9 THEN 'promoter'
            WHEN l.score >= 7 THEN 'passive'
            ELSE 'detractor' END AS "group",
       count(*) AS customers,
       coalesce(sum(v.clv), 0.0) AS predicted_clv
FROM {values.TABLE} v
LEFT JOIN latest l ON l.customer_id = v.customer_id
WHERE v.valuation_key = ?{kept}
GROUP BY 1
"""  # noqa: S608 (fixed pieces)
    counts = cur.execute(sql, [*kept_params, valuation]).df()
    out = (
        counts.set_index("group")
        .reindex(list(NPS_GROUPS))
        .fillna({"customers": 0, "predicted_clv": 0.0})
        .rename_axis("group")
        .reset_index()
    )
    out["customers"] = out["customers"].astype(np.int64)
    out["predicted_clv"] = out["predicted_clv"].astype(float)
    total = out["predicted_clv"].sum()
    out["share"] = out["predicted_clv"] / total if total > 0 else math.nan
    return out[["group", "customers", "predicted_clv", "share"]]


def tickets_by_tier(
    cur: duckdb.DuckDBPyConnection, valuation: str, filters: Filters = NO_FILTERS
) -> pd.DataFrame:
    """Support load and resolution time per value tier.

    Parameters
    ----------
    cur : a cursor on the store.
    valuation : key of the stored valuation whose tiers group the tickets; tickets of
        customers without a tier (or without a customer) are left out.
    filters : ``start``/``end`` select tickets by opening day; the channel and tier
        filters keep those customers (and their tickets).

    Returns
    -------
    DataFrame, one row per tier, from Platinum to Bronze:

    - ``tier``, ``customers`` (customers of the tier, with or without tickets);
    - ``tickets`` and ``tickets_per_customer`` (= tickets / customers);
    - ``median_resolution_hours``: median of ``solved_at - opened_at`` over solved
      tickets (NaN when none is solved);
    - ``open_tickets``: tickets without ``solved_at``.
    """
    dates, date_params = date_clause("s.opened_at::DATE", filters)
    base, kept, kept_params = _kept_customers_sql(cur, filters, "t.customer_id")
    sql = f"""{base}
SELECT t.tier,
       count(*) AS tickets,
       median(epoch(s.solved_at - s.opened_at) / 3600.0)
           FILTER (WHERE s.solved_at >= s.opened_at) AS median_resolution_hours,
       count(*) FILTER (WHERE s.solved_at IS NULL) AS open_tickets
FROM support_tickets s
JOIN {values.TABLE} t ON t.customer_id = s.customer_id AND t.valuation_key = ?
WHERE t.tier IS NOT NULL{dates}{kept}
GROUP BY t.tier
"""  # noqa: S608 (fixed pieces; values are parameters)
    counts = cur.execute(sql, [*kept_params, valuation, *date_params]).df()
    sizes_sql = f"""{base}
SELECT t.tier, count(*) FROM {values.TABLE} t
WHERE t.valuation_key = ? AND t.tier IS NOT NULL{kept}
GROUP BY t.tier
"""  # noqa: S608 (fixed pieces; values are parameters)
    sizes = dict(cur.execute(sizes_sql, [*kept_params, valuation]).fetchall())
    out = pd.DataFrame({"tier": list(TIERS)})
    out["customers"] = out["tier"].map(sizes).fillna(0).astype(np.int64)
    out = out.merge(counts, on="tier", how="left")
    out["tickets"] = out["tickets"].fillna(0).astype(np.int64)
    out["open_tickets"] = out["open_tickets"].fillna(0).astype(np.int64)
    out["median_resolution_hours"] = out["median_resolution_hours"].astype(float)
    out["tickets_per_customer"] = out["tickets"] / out["customers"].where(out["customers"] > 0)
    return out[
        [
            "tier",
            "customers",
            "tickets",
            "tickets_per_customer",
            "median_resolution_hours",
            "open_tickets",
        ]
    ]


# -- the page's one data call ---------------------------------------------------------------


@dataclass(frozen=True)
class VoiceFigures:
    """What the Voice of the customer page shows besides its segment view (see
    :func:`voice_figures`)."""

    by_month: pd.DataFrame
    held: pd.DataFrame | None
    tickets: pd.DataFrame | None


def voice_figures(
    cur: duckdb.DuckDBPyConnection, filters: Filters = NO_FILTERS, valuation: str | None = None
) -> VoiceFigures:
    """The page's figures in one call: :func:`nps_by` month (the overall NPS and the
    trend), and with a stored ``valuation`` :func:`clv_held_by_nps_group` and
    :func:`tickets_by_tier` (``None`` without one). The NPS by segment follows a choice on
    the page and stays a call of its own."""
    return VoiceFigures(
        by_month=nps_by(cur, "month", filters),
        held=None if valuation is None else clv_held_by_nps_group(cur, valuation, filters),
        tickets=None if valuation is None else tickets_by_tier(cur, valuation, filters),
    )

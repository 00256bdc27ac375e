"""Customer health 0-100: a transparent weighted sum of signals, and the at-risk list.

The health score of a customer is

.. math:: H = 100 \\cdot \\frac{\\sum_s w_s\\, q_s}{\\sum_s w_s},

with one sub-score ``q_s`` in ``[0, 1]`` (1 = healthy) per signal ``s`` and the weights
``w_s`` of :class:`HealthWeights` (editable, saved in the store's settings). Each signal
contributes ``100 * w_s * q_s / sum(w)`` points; the contributions sum to the score, and
:func:`health_breakdown` lists them for one customer ("why this score").

The signals (from :func:`clv.risk.model.risk_features`, all as of the scoring day) and their
sub-scores:

- ``recency``: ``0.5 ** (days since the last order / expected gap)``: 1 just after an
  order, 0.5 when one usual gap has passed, 0.25 after two. The expected gap is the
  customer's own mean gap between purchase days or, for a one-time buyer, the shop's
  (median own gap of the repeat customers);
- ``activity``: the probability of being active, ``P(alive)``, from an MBG/NBD model
  fitted on the history up to the scoring day (MBG/NBD, unlike BG/NBD, lets a one-time
  buyer be inactive);
- ``frequency``: ``1 - 0.5 ** repeat purchase days``: 0 for a one-time buyer, 0.5 after
  one repeat purchase, 0.75 after two;
- ``monetary_trend``: ``(1 + trend) / 2``, the trend of the net revenue of the last 180
  days against the 180 before, in ``[-1, 1]``;
- ``tenure``: ``1 - 0.5 ** (years since the first order)``;
- ``tickets``: ``0.5 ** (open + slow support tickets)``;
- ``refunds``: ``0.5 ** refunded orders``;
- ``nps``: the latest NPS answer / 10.

A signal that is unknown for a customer (no NPS answer, no trend for a customer younger
than a year, no ``P(alive)`` when the model cannot be fitted) counts as 0.5, half its
weight, and the breakdown says it is unknown.

One-time buyers are not healthy by default: their frequency sub-score is 0, their
recency is measured against the shop's usual gap and their ``P(alive)`` falls with time.
With the default weights a one-time buyer scores at most 70 (recency 25, activity 20,
unknown trend 5, tickets 10, refunds 5, NPS 5, tenure 0 on the day of the order), below
:data:`HEALTHY_FROM`, and loses points from there; the absence of tickets and refunds
alone is worth 15 points, never a healthy score. The acquisition channel is a feature of
the risk model but not a health signal: it describes where a customer came from, not how
the relationship goes.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, fields
from typing import TYPE_CHECKING, Any

import duckdb
import numpy as np
import pandas as pd

from clv.formatting import to_csv_bytes
from clv.metrics.filters import NO_FILTERS, Filters, base_ctes, observation_end
from clv.risk.model import parse_day, risk_features
from clv.valuation import models, summary

if TYPE_CHECKING:
    from clv.store import Store

#: Settings key of the saved weights (``HealthWeights.to_dict()``).
HEALTH_WEIGHTS_SETTING = "health_weights"
#: Score bands: healthy from 75, to watch from 45, at risk below.
HEALTHY_FROM = 75.0
WATCH_FROM = 45.0
BANDS: tuple[str, ...] = ("healthy", "watch", "at risk")
#: Sub-score of a signal that is unknown for a customer.
UNKNOWN_SUB_SCORE = 0.5

#: Signals in display order, with a short description of the sub-score.
SIGNALS: dict[str, str] = {
    "recency": "0.5 ** (days since last order / expected gap)",
    "activity": "P(alive), MBG/NBD",
    "frequency": "1 - 0.5 ** repeat purchase days",
    "monetary_trend": "(1 + revenue trend) / 2",
    "tenure": "1 - 0.5 ** years since first order",
    "tickets": "0.5 ** (open + slow tickets)",
    "refunds": "0.5 ** refunded orders",
    "nps": "latest NPS / 10",
}


@dataclass(frozen=True)
class HealthWeights:
    """Weights of the health signals (any non-negative numbers; only their ratios
    matter). The defaults sum to 100, so each is the signal's maximum points."""

    recency: float = 25.0
    activity: float = 20.0
    frequency: float = 20.0
    monetary_trend: float = 10.0
    tenure: float = 5.0
    tickets: float = 10.0
    refunds: float = 5.0
    nps: float = 5.0

    def __post_init__(self) -> None:
        total = 0.0
        for f in fields(self):
            value = getattr(self, f.name)
            try:
                number = float(value)
            except (TypeError, ValueError):
                number = math.nan
            if not math.isfinite(number) or number < 0:
                raise ValueError(
                    f"The weight of {f.name!r} is {value!r}; give a number of 0 or more."
                )
            object.__setattr__(self, f.name, number)
            total += number
        if total <= 0:
            raise ValueError("All health weights are 0; give at least one signal a weight.")

    def to_dict(self) -> dict[str, float]:
        """JSON-friendly form, for the settings table."""
        return asdict(self)

    @classmethod
    def from_dict(cls, value: Mapping[str, Any] | None) -> HealthWeights:
        """Weights from a saved dict; missing signals take their default, ``None`` gives
        the defaults.

        Raises
        ------
        ValueError : an unknown signal name or an invalid weight.
        """
        if not value:
            return cls()
        unknown = sorted(set(value) - set(SIGNALS))
        if unknown:
            raise ValueError(
                f"Unknown health signals {', '.join(unknown)}; the signals are "
                f"{', '.join(SIGNALS)}."
            )
        return cls(**dict(value))

    def total(self) -> float:
        """Sum of the weights."""
        return float(sum(self.to_dict().values()))


def load_health_weights(store: Store) -> HealthWeights:
    """The weights saved in ``store``'s settings, or the defaults."""
    return HealthWeights.from_dict(store.get_setting(HEALTH_WEIGHTS_SETTING))


def save_health_weights(store: Store, weights: HealthWeights) -> None:
    """Save ``weights`` in ``store``'s settings under :data:`HEALTH_WEIGHTS_SETTING`."""
    store.set_setting(HEALTH_WEIGHTS_SETTING, weights.to_dict())


def health_signals(
    cur: duckdb.DuckDBPyConnection,
    as_of: dt.date | str | None = None,
    filters: Filters = NO_FILTERS,
    *,
    probability_alive: pd.Series | None = None,
    activity_model: str = "mbgnbd",
) -> pd.DataFrame:
    """The signals of every customer as of ``as_of`` (default: the observation end).

    Parameters
    ----------
    cur : a cursor on the store.
    as_of : the scoring day; nothing after it is read.
    filters : channels and customers kept.
    probability_alive : ``P(alive)`` per customer when already known (e.g. from the
        valuation at the same day); otherwise ``activity_model`` is fitted on the
        history up to ``as_of``.
    activity_model : ``"mbgnbd"`` or ``"pareto"``.

    Returns
    -------
    :func:`clv.risk.model.risk_features` plus ``probability_alive`` (NaN when the model cannot
    be fitted; ``attrs["activity_note"]`` then says why).
    """
    day = observation_end(cur) if as_of is None else parse_day(as_of, "scoring day")
    if day is None:
        raise ValueError("There are no orders in the store yet; import an orders file first.")
    signals = risk_features(cur, day, filters)
    note = None
    if probability_alive is None:
        history = summary.customer_summary(cur, observation_end=day, time_unit="week")
        try:
            fit = models.fit_purchase_model(history, activity_model)
            probability_alive = models.probability_alive(fit, history)
        except models.FitFailed as exc:
            note = f"P(alive) is unknown (counted as half its weight): {exc}"
            probability_alive = pd.Series(dtype=float)
    attrs = dict(signals.attrs)
    signals["probability_alive"] = probability_alive.reindex(signals.index).astype(float)
    signals.attrs = {**attrs, "activity_note": note}
    return signals


def _sub_scores(signals: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Sub-scores per signal (unknown filled with 0.5) and the mask of unknown ones."""
    s = signals
    alive = s["probability_alive"] if "probability_alive" in s else pd.Series(np.nan, s.index)
    raw = pd.DataFrame(
        {
            "recency": 0.5 ** s["recency_ratio"].astype(float),
            "activity": alive.astype(float).clip(0.0, 1.0),
            "frequency": 1.0 - 0.5 ** s["frequency"].astype(float),
            "monetary_trend": (1.0 + s["monetary_trend"].astype(float)) / 2.0,
            "tenure": 1.0 - 0.5 ** (s["tenure_days"].astype(float) / 365.0),
            "tickets": 0.5 ** (s["open_tickets"] + s["slow_tickets"]).astype(float),
            "refunds": 0.5 ** s["refunds"].astype(float),
            "nps": s["latest_nps"].astype(float) / 10.0,
        },
        index=s.index,
    )
    unknown = raw.isna()
    return raw.fillna(UNKNOWN_SUB_SCORE), unknown


def band(score: float) -> str:
    """``"healthy"`` from :data:`HEALTHY_FROM`, ``"watch"`` from :data:`WATCH_FROM`,
    else ``"at risk"``."""
    if score >= HEALTHY_FROM:
        return "healthy"
    return "watch" if score >= WATCH_FROM else "at risk"


def health_scores(signals: pd.DataFrame, weights: HealthWeights | None = None) -> pd.DataFrame:
    """Health score 0-100 per customer and the points of each signal.

    Parameters
    ----------
    signals : from :func:`health_signals` (or :func:`clv.risk.model.risk_features` with a
        ``probability_alive`` column; without it activity counts as unknown).
    weights : default :class:`HealthWeights()`.

    Returns
    -------
    DataFrame indexed like ``signals`` with ``health`` (0-100), ``band``
    (:data:`BANDS`), and per signal ``s`` of :data:`SIGNALS`: ``sub_<s>`` (sub-score in
    ``[0, 1]``), ``points_<s>`` (``100 * w_s * sub / sum(w)``; the points sum to
    ``health``) and ``unknown_<s>`` (bool, the signal was unknown and counted as 0.5).
    """
    weights = weights or HealthWeights()
    sub, unknown = _sub_scores(signals)
    w = weights.to_dict()
    total = weights.total()
    out = pd.DataFrame(index=signals.index)
    points = pd.DataFrame({k: 100.0 * w[k] * sub[k] / total for k in SIGNALS}, index=signals.index)
    out["health"] = points.sum(axis=1)
    out["band"] = out["health"].map(band).astype(object)
    for k in SIGNALS:
        out[f"sub_{k}"] = sub[k]
        out[f"points_{k}"] = points[k]
        out[f"unknown_{k}"] = unknown[k]
    out.attrs = {"weights": weights.to_dict()}
    return out


_RAW_VALUE = {
    "recency": "recency_ratio",
    "activity": "probability_alive",
    "frequency": "frequency",
    "monetary_trend": "monetary_trend",
    "tenure": "tenure_days",
    "refunds": "refunds",
    "nps": "latest_nps",
}


def health_breakdown(signals: pd.DataFrame, scores: pd.DataFrame, customer_id: str) -> pd.DataFrame:
    """Why one customer has their score: one row per signal.

    Returns
    -------
    DataFrame with ``signal``, ``rule`` (how the sub-score is computed), ``value`` (the
    raw signal: ratio, probability, count, trend, days or score; NaN when unknown),
    ``sub_score``, ``unknown``, ``max_points`` (the signal's share of 100), ``points``
    and ``points_lost`` (``max_points - points``), sorted by points lost (the biggest
    reasons first). ``points`` sums to the customer's score.

    Raises
    ------
    ValueError : the customer is not in ``scores``.
    """
    if customer_id not in scores.index:
        raise ValueError(f"No health score for customer {customer_id!r}; check the id.")
    weights = scores.attrs.get("weights") or HealthWeights().to_dict()
    total = sum(weights.values())
    row = scores.loc[customer_id]
    sig = signals.loc[customer_id] if customer_id in signals.index else None
    rows = []
    for k, rule in SIGNALS.items():
        if sig is None:
            value = math.nan
        elif k == "tickets":
            value = float(sig["open_tickets"] + sig["slow_tickets"])
        else:
            column = _RAW_VALUE[k]
            value = float(sig[column]) if column in sig.index else math.nan
        max_points = 100.0 * weights[k] / total
        rows.append(
            {
                "signal": k,
                "rule": rule,
                "value": value,
                "sub_score": float(row[f"sub_{k}"]),
                "unknown": bool(row[f"unknown_{k}"]),
                "max_points": max_points,
                "points": float(row[f"points_{k}"]),
                "points_lost": max_points - float(row[f"points_{k}"]),
            }
        )
    frame = pd.DataFrame(rows)
    return frame.sort_values("points_lost", ascending=False, kind="stable").reset_index(drop=True)


# -- the at-risk list -------------------------------------------------------------------

AT_RISK_COLUMNS: tuple[str, ...] = (
    "customer_id",
    "source_customer_id",
    "tier",
    "channel",
    "risk",
    "health",
    "predicted_clv",
    "value_at_risk",
    "days_since_last_order",
)


def at_risk_list(
    scores: pd.DataFrame,
    clv_by_customer: pd.Series,
    tiers: pd.Series | None,
    cur: duckdb.DuckDBPyConnection,
    filters: Filters = NO_FILTERS,
    *,
    keep_tiers: Sequence[str] | None = None,
    min_risk: float = 0.0,
) -> pd.DataFrame:
    """Customers worth saving first: predicted CLV x churn risk, largest first.

    Parameters
    ----------
    scores : indexed by ``customer_id`` with ``risk`` (0-1) and ``days_since_last``
        (:func:`clv.risk.model.score_customers`), and optionally ``health`` (joined from
        :func:`health_scores`).
    clv_by_customer : predicted CLV per customer (``Valuation.customers["clv"]``);
        customers without one are left out.
    tiers : value tier per customer (``Valuation.customers["tier"]``), or ``None``.
    cur : a cursor on the store (channels after aliases, source ids).
    filters : channels and customers kept (:func:`clv.metrics.filters.base_ctes`).
    keep_tiers : tiers kept (``None``: all).
    min_risk : leave out customers whose risk is below this.

    Returns
    -------
    DataFrame with :data:`AT_RISK_COLUMNS`: the pseudonymous ``customer_id``, the
    shop's own ``source_customer_id`` from the customers export (None when the shop gave
    none), ``tier``, ``channel``, ``risk``, ``health`` (NaN without health scores),
    ``predicted_clv``, ``value_at_risk`` (``predicted_clv * risk``) and
    ``days_since_last_order``; sorted by value at risk, then risk (both descending),
    then id.
    """
    for column in ("risk", "days_since_last"):
        if column not in scores:
            raise ValueError(
                f"The scores have no {column!r} column; pass clv.risk.model.score_customers(...)."
            )
    end = observation_end(cur) or dt.date.max
    base, params = base_ctes(cur, filters, end)
    sql = f"""{base}
SELECT k.customer_id, k.channel, c.source_customer_id
FROM kept k
LEFT JOIN (SELECT customer_id, min(nullif(trim(source_customer_id), '')) AS source_customer_id
           FROM customers GROUP BY customer_id) c USING (customer_id)
"""  # noqa: S608 (fixed pieces; values are parameters)
    known = cur.execute(sql, params).df().set_index("customer_id")
    frame = pd.DataFrame(index=scores.index)
    frame["risk"] = scores["risk"].astype(float)
    frame["health"] = scores["health"].astype(float) if "health" in scores else np.nan
    frame["days_since_last_order"] = scores["days_since_last"]
    frame["predicted_clv"] = clv_by_customer.reindex(frame.index).astype(float)
    frame["tier"] = tiers.reindex(frame.index).astype(object) if tiers is not None else None
    frame = frame[frame.index.isin(known.index) & frame["predicted_clv"].notna()]
    frame = frame[frame["risk"] >= min_risk]
    if keep_tiers is not None:
        if isinstance(keep_tiers, str):
            raise ValueError("Give the tiers as a list of names, not as one string.")
        frame = frame[frame["tier"].isin([str(t) for t in keep_tiers])]
    frame["channel"] = known["channel"].reindex(frame.index)
    frame["source_customer_id"] = known["source_customer_id"].reindex(frame.index)
    frame["value_at_risk"] = frame["predicted_clv"] * frame["risk"]
    frame = frame.rename_axis("customer_id").reset_index()
    frame = frame.sort_values(
        ["value_at_risk", "risk", "customer_id"], ascending=[False, False, True], kind="stable"
    )
    out = frame.reindex(columns=list(AT_RISK_COLUMNS)).reset_index(drop=True)
    for column in ("customer_id", "source_customer_id", "tier", "channel"):
        out[column] = out[column].astype(object).where(out[column].notna(), None)
    return out


def at_risk_csv(frame: pd.DataFrame) -> bytes:
    """The at-risk list as CSV for the shop's own tools, through
    :func:`clv.formatting.to_csv_bytes` (UTF-8 with a byte-order mark, comma, header row,
    cells that a spreadsheet would run as a formula neutralised).

    Risk and health are rounded to 3 and 1 decimals, money to the cent; missing values
    are empty cells.
    """
    out = frame.round({"risk": 3, "health": 1, "predicted_clv": 2, "value_at_risk": 2})
    return to_csv_bytes(out)


def kept_rows(
    frame: pd.DataFrame,
    channels: pd.Series,
    tiers: pd.Series | None,
    filters: Filters,
) -> pd.DataFrame:
    """Rows of ``frame`` (indexed by customer) that the channel and tier filters keep.

    Parameters
    ----------
    frame : per-customer rows (scores, signals), index ``customer_id``.
    channels : acquisition channel per customer (:func:`health_signals`' ``channel``).
    tiers : tier per customer (the valuation's), needed when ``filters.tiers`` is set;
        without it the tier filter keeps nobody.
    filters : only ``channels`` and ``tiers`` apply (health is as of the latest day).
    """
    mask = pd.Series(True, index=frame.index)
    if filters.channels is not None:
        mask &= channels.reindex(frame.index).isin(filters.channels)
    if filters.tiers is not None:
        if tiers is None:
            mask &= False
        else:
            mask &= tiers.reindex(frame.index).astype(object).isin(filters.tiers)
    return frame[mask]

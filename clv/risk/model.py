"""Churn risk: who will not order again soon, learned from the shop's own past.

Everything here is computed **as of a cutoff day**. :func:`risk_features` reads only rows
dated on or before the cutoff in every table; :func:`churn_labels` says who then placed
no counted order in the following ``horizon_days``. :func:`evaluate` trains on an earlier
cutoff and tests on a later one (a time-based split, never a random one), compares the
candidate models with two baselines on the same test customers, and keeps the simplest
model that wins; :func:`score_customers` gives every customer's risk now.

Features (one row per customer with a counted order on or before the cutoff ``c``):

- ``days_since_last``: ``c`` minus the day of the last counted order;
- ``expected_gap_days``: the customer's own mean gap between purchase days
  (``(last day - first day) / (purchase days - 1)``), or, for one-time buyers, the
  shop's: the median of the repeat customers' own gaps as of ``c``
  (:data:`FALLBACK_GAP_DAYS` when nobody has bought twice yet); ``own_gap`` says which;
- ``recency_ratio``: ``days_since_last / expected_gap_days`` (1 = one usual gap has
  passed);
- ``frequency``: purchase days minus one (repeat purchase days, as in
  :mod:`clv.valuation.summary`); ``purchase_days``;
- ``net_revenue`` and ``mean_day_value`` (net revenue per purchase day);
- ``monetary_trend``: ``(recent - previous) / (recent + previous)`` of the net revenue
  in the last :data:`TREND_WINDOW_DAYS` days and in the window before; in ``[-1, 1]``,
  NaN when the customer's first order is inside the last two windows (no previous
  window to compare with) or when both windows are empty;
- ``tenure_days``: ``c`` minus the first purchase day;
- ``channel``: acquisition channel after aliases (:func:`clv.metrics.filters.base_ctes`);
- ``refunds``: the customer's orders (paid or refunded) with a refund, among the orders
  placed at least :data:`REFUND_LAG_DAYS` days before ``c`` (see below);
- ``tickets``, ``open_tickets``, ``slow_tickets``: support tickets opened on or before
  ``c``; open at ``c`` (not solved by then); solved by ``c`` after more than
  :data:`SLOW_TICKET_DAYS` days;
- ``latest_nps``: the score of the latest NPS answer on or before ``c`` (NaN if none).

What the store cannot tell about the past
-----------------------------------------
The store holds each order and ticket **as last exported**: an order's ``status`` and
``refunded_amount`` and a ticket's ``status`` are their latest values, not those of the
cutoff day. Dates we do have (``ordered_at``, ``opened_at``, ``solved_at``,
``answered_at``) are used as bounds. For the rest:

- refunds are counted only on orders placed at least :data:`REFUND_LAG_DAYS` days before
  the cutoff, on the assumption that a refund comes within that time of the order (the
  EU withdrawal period is 14 days, plus handling). A refund granted later would still
  leak; the lag makes that rare, not impossible;
- an order counted as a purchase (status ``'paid'``) is counted by its latest status too:
  an order paid before the cutoff and fully refunded after it is missing from the
  history. The same holds for every other module (:mod:`clv.valuation.summary`);
- a ticket is open at ``c`` when ``solved_at`` is after ``c``, or when it has no
  ``solved_at`` and its status is not one of :data:`CLOSED_TICKET_STATUSES`; a ticket
  marked closed without a ``solved_at`` counts as solved on an unknown day (neither open
  nor slow).

Rows dated after the cutoff are never read: changing, shuffling or deleting them cannot
change a feature (``tests/unit/risk/test_risk.py`` checks it).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import duckdb
import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from clv.metrics.filters import NO_FILTERS, Filters, base_ctes, observation_end
from clv.store.definitions import COUNTED_ORDER_SQL
from clv.valuation import models, summary

#: Default length of the label window: no counted order in the next 90 days = churned.
DEFAULT_HORIZON_DAYS = 90
#: Length of each of the two windows compared by ``monetary_trend``.
TREND_WINDOW_DAYS = 180
#: Refunds are read only on orders at least this old at the cutoff (see the module).
REFUND_LAG_DAYS = 30
#: A ticket solved after more than this many days is slow.
SLOW_TICKET_DAYS = 7
#: Expected gap between orders when no customer has bought twice yet.
FALLBACK_GAP_DAYS = 365.0
#: Ticket statuses that mean "closed" when ``solved_at`` is missing (lower case).
CLOSED_TICKET_STATUSES: tuple[str, ...] = ("solved", "closed", "resolved", "done")
#: The tree is kept only when its validation AUC beats logistic regression's by more.
TREE_MARGIN = 0.01
#: Logistic regression is kept over recency alone only when it beats it by more.
LOGISTIC_MARGIN = 0.005
#: Candidate models, simplest first.
CANDIDATES: tuple[str, ...] = ("recency", "logistic", "boosting")
MODEL_LABELS: dict[str, str] = {
    "recency": "Recency alone",
    "logistic": "Logistic regression",
    "boosting": "Gradient-boosted trees",
    "mbgnbd": "1 - P(alive), MBG/NBD",
    "pareto": "1 - P(alive), Pareto/NBD",
}
RANDOM_STATE = 0

FEATURE_COLUMNS: tuple[str, ...] = (
    "channel",
    "first_day",
    "last_day",
    "purchase_days",
    "frequency",
    "days_since_last",
    "expected_gap_days",
    "own_gap",
    "recency_ratio",
    "tenure_days",
    "net_revenue",
    "mean_day_value",
    "monetary_trend",
    "refunds",
    "tickets",
    "open_tickets",
    "slow_tickets",
    "latest_nps",
)

_NUMERIC_INPUTS: tuple[str, ...] = (
    "log_days_since_last",
    "log_recency_ratio",
    "log_frequency",
    "one_time",
    "log_tenure",
    "log_mean_value",
    "monetary_trend",
    "trend_missing",
    "has_refund",
    "open_tickets",
    "slow_tickets",
    "nps_detractor",
    "nps_promoter",
    "nps_missing",
)


def parse_day(value: Any, what: str) -> dt.date:
    """``value`` (a date, timestamp or ``YYYY-MM-DD`` text) as a date.

    Raises
    ------
    ValueError : not a date; the message names ``what``.
    """
    try:
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError):
        stamp = pd.NaT
    if pd.isna(stamp):
        raise ValueError(f"The {what} {value!r} is not a date; give it as YYYY-MM-DD.")
    return stamp.date()


def _horizon(horizon_days: int) -> int:
    if not isinstance(horizon_days, int | np.integer) or horizon_days < 1:
        raise ValueError(
            f"The churn horizon {horizon_days!r} is not a whole number of days; "
            "give a number of days of at least 1 (90 by default)."
        )
    return int(horizon_days)


# -- features and labels ----------------------------------------------------------------


def risk_features(
    cur: duckdb.DuckDBPyConnection, cutoff: dt.date | str, filters: Filters = NO_FILTERS
) -> pd.DataFrame:
    """Features of every customer as of the end of ``cutoff`` (see the module docstring).

    Parameters
    ----------
    cur : a cursor on the store.
    cutoff : the last day seen (inclusive). No row dated after it is read.
    filters : channels and customers to keep; its dates are not used (the cutoff is the
        date here).

    Returns
    -------
    DataFrame indexed by ``customer_id`` (sorted), one row per customer with a counted
    order on or before ``cutoff``, with :data:`FEATURE_COLUMNS`: ``channel`` (str or
    None), ``first_day``/``last_day`` (dates), ``purchase_days``, ``frequency``,
    ``days_since_last``, ``tenure_days``, ``refunds``, ``tickets``, ``open_tickets``,
    ``slow_tickets`` (ints), ``expected_gap_days``, ``recency_ratio``, ``net_revenue``,
    ``mean_day_value``, ``monetary_trend``, ``latest_nps`` (floats, the last two NaN
    when unknown), ``own_gap`` (bool). ``attrs["cutoff"]`` and ``attrs["shop_gap_days"]``
    hold the cutoff and the shop's expected gap.
    """
    c = parse_day(cutoff, "cutoff")
    base, params = base_ctes(cur, filters, c)
    closed = list(CLOSED_TICKET_STATUSES)
    sql = f"""{base},
days AS (
    SELECT customer_id, day, sum(net_amount) AS day_value
    FROM paid GROUP BY customer_id, day
),
per AS (
    SELECT customer_id, min(day) AS first_day, max(day) AS last_day,
           count(*) AS purchase_days, sum(day_value) AS net_revenue,
           coalesce(sum(day_value) FILTER (WHERE day > $c::DATE - $w::INTEGER), 0) AS recent,
           coalesce(sum(day_value) FILTER (WHERE day <= $c::DATE - $w::INTEGER
                                           AND day > $c::DATE - 2 * $w::INTEGER), 0)
               AS previous
    FROM days GROUP BY customer_id
),
refunds AS (
    SELECT customer_id, count(*) AS refunds
    FROM orders
    WHERE customer_id IS NOT NULL AND ordered_at::DATE <= $c::DATE - $lag::INTEGER
      AND (status = 'refunded' OR (status = 'paid' AND refunded_amount > 0))
    GROUP BY customer_id
),
tickets AS (
    SELECT customer_id, count(*) AS tickets,
           count(*) FILTER (WHERE solved_at::DATE > $c::DATE
                               OR (solved_at IS NULL AND (status IS NULL OR NOT
                                   list_contains($closed::VARCHAR[], lower(trim(status))))))
               AS open_tickets,
           count(*) FILTER (WHERE solved_at::DATE <= $c::DATE
                              AND solved_at - opened_at > to_days($slow::INTEGER))
               AS slow_tickets
    FROM support_tickets
    WHERE customer_id IS NOT NULL AND opened_at::DATE <= $c::DATE
    GROUP BY customer_id
),
nps AS (
    SELECT customer_id, arg_max(score, (answered_at, response_id)) AS latest_nps
    FROM nps_responses
    WHERE customer_id IS NOT NULL AND answered_at::DATE <= $c::DATE
    GROUP BY customer_id
)
SELECT p.customer_id, k.channel, p.first_day, p.last_day, p.purchase_days,
       p.net_revenue, p.recent, p.previous,
       coalesce(r.refunds, 0) AS refunds, coalesce(t.tickets, 0) AS tickets,
       coalesce(t.open_tickets, 0) AS open_tickets,
       coalesce(t.slow_tickets, 0) AS slow_tickets,
       CAST(n.latest_nps AS DOUBLE) AS latest_nps
FROM per p
JOIN kept k USING (customer_id)
LEFT JOIN refunds r USING (customer_id)
LEFT JOIN tickets t USING (customer_id)
LEFT JOIN nps n USING (customer_id)
ORDER BY p.customer_id
"""  # noqa: S608 (fixed pieces; values are parameters)
    # base_ctes uses positional parameters; the rest are named: inline the positional
    # ones as named parameters so both can be passed at once.
    named: dict[str, object] = {"c": c, "w": TREND_WINDOW_DAYS, "lag": REFUND_LAG_DAYS}
    named.update({"closed": closed, "slow": SLOW_TICKET_DAYS})
    for i, value in enumerate(params):
        sql = sql.replace("?", f"$p{i}", 1)
        named[f"p{i}"] = value
    frame = cur.execute(sql, named).df()
    return _finish_features(frame, c)


def _finish_features(frame: pd.DataFrame, cutoff: dt.date) -> pd.DataFrame:
    frame = frame.set_index("customer_id")
    first = pd.to_datetime(frame["first_day"])
    last = pd.to_datetime(frame["last_day"])
    end = pd.Timestamp(cutoff)
    out = pd.DataFrame(index=frame.index)
    out["channel"] = frame["channel"].astype(object).where(frame["channel"].notna(), None)
    out["first_day"] = first.dt.date
    out["last_day"] = last.dt.date
    out["purchase_days"] = frame["purchase_days"].astype(np.int64)
    out["frequency"] = out["purchase_days"] - 1
    out["days_since_last"] = (end - last).dt.days.astype(np.int64)
    out["tenure_days"] = (end - first).dt.days.astype(np.int64)
    span = (last - first).dt.days.astype(float)
    own = span / out["frequency"].where(out["frequency"] > 0)
    shop_gap = float(own.median()) if own.notna().any() else FALLBACK_GAP_DAYS
    out["own_gap"] = own.notna()
    out["expected_gap_days"] = own.fillna(shop_gap).astype(float)
    # A gap of zero days cannot happen (purchase days are distinct), but keep the ratio
    # finite should an upstream definition change.
    out["recency_ratio"] = out["days_since_last"] / out["expected_gap_days"].clip(lower=1.0)
    out["net_revenue"] = frame["net_revenue"].astype(float)
    out["mean_day_value"] = out["net_revenue"] / out["purchase_days"]
    recent = frame["recent"].astype(float)
    previous = frame["previous"].astype(float)
    total = recent + previous
    comparable = (out["tenure_days"] >= 2 * TREND_WINDOW_DAYS) & (total > 0)
    out["monetary_trend"] = ((recent - previous) / total.where(total > 0)).where(comparable)
    for column in ("refunds", "tickets", "open_tickets", "slow_tickets"):
        out[column] = frame[column].astype(np.int64)
    out["latest_nps"] = frame["latest_nps"].astype(float)
    out = out[list(FEATURE_COLUMNS)]
    out.attrs = {"cutoff": cutoff, "shop_gap_days": shop_gap}
    return out


def churn_labels(
    cur: duckdb.DuckDBPyConnection,
    cutoff: dt.date | str,
    horizon_days: int = DEFAULT_HORIZON_DAYS,
    customers: Sequence[str] | pd.Index | None = None,
) -> pd.Series:
    """Who placed no counted order in ``(cutoff, cutoff + horizon_days]``.

    Parameters
    ----------
    cur : a cursor on the store.
    cutoff : last day of the features.
    horizon_days : length of the label window in days.
    customers : the customers to label; default every customer with a counted order on
        or before ``cutoff``.

    Returns
    -------
    Series of int (1 = churned: no counted order in the window, 0 = ordered), indexed by
    ``customer_id``, named ``churned``. Counted orders are ``status = 'paid'`` with a
    customer, as everywhere else.
    """
    c = parse_day(cutoff, "cutoff")
    n = _horizon(horizon_days)
    stop = c + dt.timedelta(days=n)
    if customers is None:
        customers = [
            row[0]
            for row in cur.execute(
                f"SELECT DISTINCT customer_id FROM orders WHERE {COUNTED_ORDER_SQL} "  # noqa: S608
                "AND ordered_at::DATE <= ? ORDER BY 1",
                [c],
            ).fetchall()
        ]
    buyers = {
        row[0]
        for row in cur.execute(
            f"SELECT DISTINCT customer_id FROM orders WHERE {COUNTED_ORDER_SQL} "  # noqa: S608
            "AND ordered_at::DATE > ? AND ordered_at::DATE <= ?",
            [c, stop],
        ).fetchall()
    }
    index = pd.Index([str(x) for x in customers], name="customer_id")
    values = [0 if cid in buyers else 1 for cid in index]
    return pd.Series(values, index=index, name="churned", dtype=np.int64)


# -- models -----------------------------------------------------------------------------


def design_matrix(features: pd.DataFrame) -> pd.DataFrame:
    """The model inputs derived from :func:`risk_features`.

    Returns
    -------
    DataFrame indexed like ``features`` with the numeric columns ``log_days_since_last``
    (``log1p``), ``log_recency_ratio``, ``log_frequency``, ``one_time`` (0/1),
    ``log_tenure``, ``log_mean_value``, ``monetary_trend`` (0 when unknown) with
    ``trend_missing``, ``has_refund``, ``open_tickets`` and ``slow_tickets`` (capped at
    3), ``nps_detractor`` (latest answer 0-6), ``nps_promoter`` (9-10), ``nps_missing``,
    and ``channel`` (``"unknown"`` when missing).
    """
    f = features
    nps = f["latest_nps"]
    x = pd.DataFrame(index=f.index)
    x["log_days_since_last"] = np.log1p(f["days_since_last"].astype(float))
    x["log_recency_ratio"] = np.log1p(f["recency_ratio"].astype(float))
    x["log_frequency"] = np.log1p(f["frequency"].astype(float))
    x["one_time"] = (f["frequency"] == 0).astype(float)
    x["log_tenure"] = np.log1p(f["tenure_days"].astype(float))
    x["log_mean_value"] = np.log1p(f["mean_day_value"].clip(lower=0).astype(float))
    x["monetary_trend"] = f["monetary_trend"].fillna(0.0).astype(float)
    x["trend_missing"] = f["monetary_trend"].isna().astype(float)
    x["has_refund"] = (f["refunds"] > 0).astype(float)
    x["open_tickets"] = f["open_tickets"].clip(upper=3).astype(float)
    x["slow_tickets"] = f["slow_tickets"].clip(upper=3).astype(float)
    x["nps_detractor"] = (nps <= 6).astype(float)
    x["nps_promoter"] = (nps >= 9).astype(float)
    x["nps_missing"] = nps.isna().astype(float)
    x["channel"] = f["channel"].astype(object).where(f["channel"].notna(), "unknown").astype(str)
    return x


def _pipeline(kind: str) -> Pipeline:
    if kind == "recency":
        prep = ColumnTransformer([("num", StandardScaler(), ["log_days_since_last"])])
        return Pipeline([("prep", prep), ("model", LogisticRegression(max_iter=1000))])
    channel = OneHotEncoder(handle_unknown="ignore", sparse_output=False)
    if kind == "logistic":
        prep = ColumnTransformer(
            [("num", StandardScaler(), list(_NUMERIC_INPUTS)), ("chan", channel, ["channel"])]
        )
        return Pipeline([("prep", prep), ("model", LogisticRegression(C=1.0, max_iter=2000))])
    if kind == "boosting":
        prep = ColumnTransformer(
            [("num", "passthrough", list(_NUMERIC_INPUTS)), ("chan", channel, ["channel"])]
        )
        tree = HistGradientBoostingClassifier(
            max_depth=3,
            learning_rate=0.05,
            max_iter=200,
            min_samples_leaf=40,
            l2_regularization=1.0,
            early_stopping=False,
            random_state=RANDOM_STATE,
        )
        return Pipeline([("prep", prep), ("model", tree)])
    raise ValueError(f"Unknown risk model {kind!r}; choose one of {', '.join(CANDIDATES)}.")


@dataclass
class RiskModel:
    """A fitted churn-risk model.

    Attributes
    ----------
    kind : ``"recency"``, ``"logistic"`` or ``"boosting"`` (:data:`CANDIDATES`).
    horizon_days : length of the label window it predicts.
    train_cutoffs : cutoffs of the training snapshots (their label windows are observed).
    pipeline : the fitted scikit-learn pipeline (input: :func:`design_matrix`).
    train_rows, train_churn_rate : size and churn share of the training set.
    """

    kind: str
    horizon_days: int
    train_cutoffs: tuple[dt.date, ...]
    pipeline: Pipeline = field(repr=False)
    train_rows: int
    train_churn_rate: float

    def predict(self, features: pd.DataFrame) -> pd.Series:
        """Probability of no counted order in the next ``horizon_days`` (``risk``)."""
        if features.empty:
            return pd.Series([], index=features.index, name="risk", dtype=float)
        proba = self.pipeline.predict_proba(design_matrix(features))[:, 1]
        return pd.Series(proba, index=features.index, name="risk")

    def coefficients(self) -> pd.Series | None:
        """Logistic coefficients per (scaled) input, for the reader; None for trees."""
        if self.kind == "boosting":
            return None
        names = self.pipeline.named_steps["prep"].get_feature_names_out()
        coef = self.pipeline.named_steps["model"].coef_[0]
        return pd.Series(coef, index=[n.split("__", 1)[1] for n in names], name="coefficient")


def _snapshots(
    cur: duckdb.DuckDBPyConnection,
    cutoffs: Sequence[dt.date],
    horizon_days: int,
    filters: Filters,
) -> tuple[pd.DataFrame, pd.Series]:
    frames, labels = [], []
    for c in cutoffs:
        f = risk_features(cur, c, filters)
        frames.append(f)
        labels.append(churn_labels(cur, c, horizon_days, f.index))
    return pd.concat(frames), pd.concat(labels)


def fit_risk_model(
    cur: duckdb.DuckDBPyConnection,
    kind: str,
    train_cutoffs: Sequence[dt.date | str],
    horizon_days: int = DEFAULT_HORIZON_DAYS,
    filters: Filters = NO_FILTERS,
) -> RiskModel:
    """Fit one model on the snapshots at ``train_cutoffs`` (stacked, one row per customer
    and cutoff).

    Raises
    ------
    ValueError : a label window not fully observed, or a training set with only one
        class (everyone churned or nobody did).
    """
    n = _horizon(horizon_days)
    cutoffs = tuple(parse_day(c, "training cutoff") for c in train_cutoffs)
    end = observation_end(cur)
    if end is None:
        raise ValueError("There are no orders in the store yet; import an orders file first.")
    for c in cutoffs:
        if c + dt.timedelta(days=n) > end:
            raise ValueError(
                f"The training cutoff {c} needs orders up to {c + dt.timedelta(days=n)}, "
                f"but the data ends on {end}; choose an earlier cutoff or a shorter horizon."
            )
    features, labels = _snapshots(cur, cutoffs, n, filters)
    if labels.nunique() < 2:
        raise ValueError(
            "The training period has only one outcome (everyone ordered again, or nobody "
            "did); the risk model needs both. Use a longer history or another horizon."
        )
    pipeline = _pipeline(kind)
    pipeline.fit(design_matrix(features), labels.to_numpy())
    return RiskModel(
        kind=kind,
        horizon_days=n,
        train_cutoffs=cutoffs,
        pipeline=pipeline,
        train_rows=len(labels),
        train_churn_rate=float(labels.mean()),
    )


# -- metrics ----------------------------------------------------------------------------


def top_decile_lift(labels: np.ndarray, scores: np.ndarray, share: float = 0.1) -> float:
    """Churn rate among the ``share`` highest scores divided by the overall churn rate.

    Ties at the boundary enter with equal weight (so a constant score has lift 1 and the
    result does not depend on row order).
    """
    y = np.asarray(labels, dtype=float)
    s = np.asarray(scores, dtype=float)
    if y.size == 0 or y.mean() == 0:
        return math.nan
    k = share * y.size
    order = np.argsort(-s, kind="stable")
    s_sorted = s[order]
    threshold = s_sorted[max(int(math.ceil(k)) - 1, 0)]
    above = s > threshold
    tied = s == threshold
    weight_tied = (k - above.sum()) / tied.sum()
    churned = y[above].sum() + weight_tied * y[tied].sum()
    return float((churned / k) / y.mean())


def calibration_bins(labels: np.ndarray, probabilities: np.ndarray, bins: int = 10) -> pd.DataFrame:
    """Mean predicted risk against the observed churn rate per decile of predicted risk.

    Returns
    -------
    DataFrame with ``bin`` (1 = lowest risk), ``customers``, ``predicted`` (mean risk)
    and ``observed`` (churn share). Customers are ranked by risk (ties by position) and
    cut into ``bins`` groups of equal size.
    """
    y = np.asarray(labels, dtype=float)
    p = np.asarray(probabilities, dtype=float)
    if y.size == 0:
        return pd.DataFrame(columns=["bin", "customers", "predicted", "observed"])
    ranks = np.argsort(np.argsort(p, kind="stable"), kind="stable")
    group = (ranks * bins) // y.size + 1
    frame = pd.DataFrame({"bin": group, "p": p, "y": y})
    out = frame.groupby("bin").agg(
        customers=("y", "size"), predicted=("p", "mean"), observed=("y", "mean")
    )
    return out.reset_index()


def _metrics(name: str, labels: pd.Series, risk: pd.Series) -> dict[str, Any]:
    y = labels.to_numpy()
    s = risk.reindex(labels.index).to_numpy(dtype=float)
    auc = roc_auc_score(y, s) if len(np.unique(y)) == 2 else math.nan
    return {
        "model": name,
        "label": MODEL_LABELS.get(name, name),
        "roc_auc": float(auc),
        "top_decile_lift": top_decile_lift(y, s),
        "mean_predicted": float(np.mean(s)),
        "churn_rate": float(np.mean(y)),
    }


# -- evaluation ---------------------------------------------------------------------------


@dataclass
class RiskEvaluation:
    """Back-test of the churn-risk models on a later period than they were trained on.

    Attributes
    ----------
    horizon_days : length of the label window.
    train_cutoffs : cutoffs of the training snapshots (label windows end on or before
        ``test_cutoff``).
    test_cutoff : cutoff of the test set (its label window ends on or before the
        observation end).
    validation_cutoff : cutoff on which the candidates were compared to choose one
        (trained on the snapshots before it), ``None`` when the history was too short and
        the simplest candidate with features (logistic regression) was kept.
    metrics : DataFrame, one row per model on the test set: ``model``, ``label``,
        ``roc_auc``, ``top_decile_lift``, ``mean_predicted``, ``churn_rate``,
        ``role`` (``"candidate"``, ``"baseline"``), ``chosen`` (bool).
    validation : the same metrics of the candidates on the validation cutoff (empty
        when there was none).
    calibration : DataFrame of :func:`calibration_bins` per model (``model`` column).
        ``1 - P(alive)`` is not a probability of "no order in the window" and is shown
        as it is.
    test : DataFrame indexed by ``customer_id``: ``churned`` and one risk column per model.
    chosen : key of the model kept (the simplest one whose validation AUC is within
        :data:`TREE_MARGIN` / :data:`LOGISTIC_MARGIN` of the next more complex one).
    chosen_reason : why, in a sentence.
    models : the candidates fitted on the training snapshots.
    final_model : the chosen kind refitted on the test snapshot (the latest window fully
        observed), for scoring customers now.
    baseline_model : the purchase model behind the P(alive) baseline (``"mbgnbd"`` or
        ``"pareto"``), ``None`` when it could not be fitted (see ``notes``).
    notes : what the reader must know (a baseline that failed, a short history).
    """

    horizon_days: int
    train_cutoffs: tuple[dt.date, ...]
    test_cutoff: dt.date
    validation_cutoff: dt.date | None
    metrics: pd.DataFrame
    validation: pd.DataFrame
    calibration: pd.DataFrame
    test: pd.DataFrame
    chosen: str
    chosen_reason: str
    models: dict[str, RiskModel] = field(repr=False)
    final_model: RiskModel = field(repr=False)
    baseline_model: str | None
    notes: list[str] = field(default_factory=list)

    def auc(self, model: str) -> float:
        """Test ROC AUC of one model (a key of :data:`MODEL_LABELS`)."""
        row = self.metrics.loc[self.metrics["model"] == model, "roc_auc"]
        return float(row.iloc[0]) if len(row) else math.nan


def _choose(aucs: dict[str, float]) -> tuple[str, str]:
    """The simplest candidate that wins, and why."""
    rec, log, tree = (aucs.get(k, math.nan) for k in CANDIDATES)
    if not math.isnan(tree) and tree > log + TREE_MARGIN:
        return "boosting", (
            f"Gradient-boosted trees beat logistic regression by {tree - log:.3f} AUC on the "
            f"validation period (more than {TREE_MARGIN})."
        )
    if log > rec + LOGISTIC_MARGIN:
        return "logistic", (
            f"Logistic regression is within {TREE_MARGIN} AUC of the trees (or better) and "
            f"beats recency alone by {log - rec:.3f} on the validation period."
        )
    return "recency", (
        f"Recency alone is within {LOGISTIC_MARGIN} AUC of logistic regression on the "
        "validation period: the extra signals add nothing measurable here."
    )


def _alive_baseline(
    cur: duckdb.DuckDBPyConnection, cutoff: dt.date, index: pd.Index, model: str
) -> tuple[pd.Series | None, str | None]:
    """1 - P(alive) of a purchase model fitted on the history up to ``cutoff`` only."""
    history = summary.customer_summary(cur, observation_end=cutoff, time_unit="week")
    try:
        fit = models.fit_purchase_model(history, model)
    except models.FitFailed as exc:
        return None, f"The {MODEL_LABELS[model]} baseline could not be fitted: {exc}"
    alive = models.probability_alive(fit, history)
    return (1.0 - alive).reindex(index).rename("risk"), None


def evaluate(
    cur: duckdb.DuckDBPyConnection,
    horizon_days: int = DEFAULT_HORIZON_DAYS,
    train_cutoff: dt.date | str | None = None,
    test_cutoff: dt.date | str | None = None,
    *,
    train_snapshots: int = 2,
    baseline: str = "mbgnbd",
    filters: Filters = NO_FILTERS,
) -> RiskEvaluation:
    """Train on an earlier cutoff, test on a later one, compare with the baselines.

    Parameters
    ----------
    cur : a cursor on the store.
    horizon_days : churned = no counted order in the ``horizon_days`` after a cutoff.
    train_cutoff : latest training cutoff; default ``test_cutoff - horizon_days`` (so
        that its label window ends on the test cutoff). It may not be later.
    test_cutoff : default ``observation end - horizon_days``, the latest cutoff whose
        label window is fully observed; it may not be later.
    train_snapshots : training snapshots stacked, ``horizon_days`` apart, going back from
        ``train_cutoff`` (only those with at least one customer are used).
    baseline : ``"mbgnbd"`` or ``"pareto"``: the purchase model behind the P(alive)
        baseline, fitted on the orders up to ``test_cutoff`` only.
    filters : channels and customers kept (in training and test alike).

    Returns
    -------
    :class:`RiskEvaluation`. The choice between candidates is made on a validation
    cutoff inside the training period (``train_cutoff``, candidates trained on the
    snapshots before it), never on the test set; the test metrics only report.

    Raises
    ------
    ValueError : no orders, dates that would let a label window reach past the data or
        the test period, a history too short for one training window.
    """
    n = _horizon(horizon_days)
    if baseline not in ("mbgnbd", "pareto"):
        raise ValueError("The P(alive) baseline must be 'mbgnbd' or 'pareto'.")
    end = observation_end(cur)
    if end is None:
        raise ValueError("There are no orders in the store yet; import an orders file first.")
    step = dt.timedelta(days=n)
    test = end - step if test_cutoff is None else parse_day(test_cutoff, "test cutoff")
    if test + step > end:
        raise ValueError(
            f"The test cutoff {test} plus {n} days passes the end of the data ({end}); "
            f"choose a test cutoff on or before {end - step}."
        )
    train = test - step if train_cutoff is None else parse_day(train_cutoff, "training cutoff")
    if train + step > test:
        raise ValueError(
            f"The training labels of cutoff {train} would run past the test cutoff {test}; "
            f"choose a training cutoff on or before {test - step}."
        )
    first = cur.execute(
        f"SELECT min(ordered_at)::DATE FROM orders WHERE {COUNTED_ORDER_SQL}"  # noqa: S608
    ).fetchone()[0]
    if first is None or train < first:
        raise ValueError(
            f"The history is too short for a {n}-day horizon: a training cutoff needs "
            f"{n} days of orders after it and the test period another {n}. Use a shorter "
            "horizon or more history."
        )
    train_cutoffs = [
        c for c in (train - step * k for k in range(max(train_snapshots, 1))) if c >= first
    ]
    notes: list[str] = []

    # Model choice on a validation cutoff inside the training period.
    validation_cutoff: dt.date | None = train
    earlier = [c - step for c in train_cutoffs if c - step >= first]
    validation = pd.DataFrame()
    if earlier:
        v_features = risk_features(cur, train, filters)
        v_labels = churn_labels(cur, train, n, v_features.index)
        rows = []
        for kind in CANDIDATES:
            try:
                m = fit_risk_model(cur, kind, earlier, n, filters)
            except ValueError:
                continue
            rows.append(_metrics(kind, v_labels, m.predict(v_features)))
        validation = pd.DataFrame(rows)
    if validation.empty or validation["roc_auc"].isna().all():
        validation_cutoff = None
        chosen, reason = (
            "logistic",
            (
                "The history is too short to compare the candidates before the test period; "
                "logistic regression, the simplest model using every signal, is kept."
            ),
        )
        notes.append(reason)
    else:
        chosen, reason = _choose(dict(zip(validation["model"], validation["roc_auc"], strict=True)))

    fitted = {kind: fit_risk_model(cur, kind, train_cutoffs, n, filters) for kind in CANDIDATES}
    t_features = risk_features(cur, test, filters)
    t_labels = churn_labels(cur, test, n, t_features.index)
    test_frame = pd.DataFrame({"churned": t_labels})
    rows = []
    for kind, m in fitted.items():
        risk = m.predict(t_features)
        test_frame[kind] = risk
        rows.append({**_metrics(kind, t_labels, risk), "role": "candidate"})
    alive_risk, problem = _alive_baseline(cur, test, t_features.index, baseline)
    baseline_model: str | None = baseline
    if alive_risk is None:
        notes.append(problem or "")
        baseline_model = None
    else:
        test_frame[baseline] = alive_risk
        rows.append({**_metrics(baseline, t_labels, alive_risk), "role": "baseline"})
    metrics = pd.DataFrame(rows)
    metrics.loc[metrics["model"] == "recency", "role"] = "baseline"
    metrics["chosen"] = metrics["model"] == chosen
    calibration = pd.concat(
        [
            calibration_bins(t_labels.to_numpy(), test_frame[m].to_numpy()).assign(model=m)
            for m in metrics["model"]
        ],
        ignore_index=True,
    )
    final = fit_risk_model(cur, chosen, [test], n, filters)
    return RiskEvaluation(
        horizon_days=n,
        train_cutoffs=tuple(train_cutoffs),
        test_cutoff=test,
        validation_cutoff=validation_cutoff,
        metrics=metrics,
        validation=validation,
        calibration=calibration,
        test=test_frame,
        chosen=chosen,
        chosen_reason=reason,
        models=fitted,
        final_model=final,
        baseline_model=baseline_model,
        notes=notes,
    )


def score_customers(
    cur: duckdb.DuckDBPyConnection,
    evaluation_or_model: RiskEvaluation | RiskModel,
    as_of: dt.date | str | None = None,
    filters: Filters = NO_FILTERS,
) -> pd.DataFrame:
    """Risk of every customer as of ``as_of`` (default: the observation end).

    Parameters
    ----------
    cur : a cursor on the store.
    evaluation_or_model : a :class:`RiskEvaluation` (its ``final_model`` is used) or a
        :class:`RiskModel`.
    as_of : the day of the features; default the day of the latest order.
    filters : channels and customers kept.

    Returns
    -------
    :func:`risk_features` as of ``as_of`` plus ``risk``: the probability of no counted
    order in the next ``horizon_days``. ``attrs`` adds ``model`` and ``horizon_days``.
    """
    model = (
        evaluation_or_model.final_model
        if isinstance(evaluation_or_model, RiskEvaluation)
        else evaluation_or_model
    )
    day = observation_end(cur) if as_of is None else parse_day(as_of, "scoring day")
    if day is None:
        raise ValueError("There are no orders in the store yet; import an orders file first.")
    features = risk_features(cur, day, filters)
    out = features.copy()
    out["risk"] = model.predict(features)
    out.attrs = {**features.attrs, "model": model.kind, "horizon_days": model.horizon_days}
    return out

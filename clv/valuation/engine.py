"""Everything the CLV page shows, from one call: :func:`value_customers`.

The page's filters and controls become a :class:`ValuationSettings`; one call returns a
:class:`Valuation` with the per-customer predictions, the fitted models, the back-test
that chose (or checked) the purchase model, the uncertainty band, the basic shop-level
formula, the value tiers and their movements, the KPI figures and the warnings a reader
must see. When the data cannot support a valuation (no orders, too few repeat
customers, a model that cannot be fitted) the result has ``ok=False`` and a ``reason``
instead of raising, so the page can say what to upload.

The steps, in order:

1. **Summary** (:func:`clv.valuation.summary.customer_summary`) at the observation end (default:
   the day of the latest order), in the chosen time unit, with the margin of each order
   from the export's ``cost_amount`` where present, else ``net_amount x margin_rate``.
2. **Back-test** (:func:`clv.valuation.summary.calibration_holdout` and
   :func:`clv.valuation.models.compare_models`): the last ``holdout_weeks`` (default a quarter of
   the history, between 8 and 52 weeks, :func:`default_holdout_weeks`) are hidden, each
   candidate model is fitted once on the calibration period and scored on the hidden
   purchases. With ``model="auto"`` the model with the smallest mean absolute error per
   customer is used. The candidates are BG/NBD and MBG/NBD; Pareto/NBD joins them only
   when ``compare_pareto`` is set or when it is the chosen model, since its fit can take
   a minute or more on a large base where the other two take a second.
3. **Fits on the whole history**: the purchase model and Gamma-Gamma, plus MBG/NBD for
   the probability of being active when the purchase model is BG/NBD (BG/NBD calls every
   one-time buyer active, see :func:`clv.valuation.models.probability_alive`).
4. **Predictions** per customer (:func:`clv.valuation.models.predict_clv`,
   :func:`clv.valuation.models.predict_customers`) with the margin share
   ``g_i = gross_margin_i / net_revenue_i`` of each customer's own orders
   (:func:`margin_shares`); ``probability_alive`` and the next-order date from the
   activity model; the band of the total (:func:`clv.valuation.models.clv_band`, its effect
   measured on :data:`BAND_CUSTOMERS` customers); the tracking of the back-test
   (:func:`clv.valuation.models.cumulative_purchases`).
5. **Tiers** (:func:`with_tiers`, cheap, so that editing thresholds needs no refit): the
   current tiers, and the tiers of the customers as they stood
   :data:`TIER_LOOKBACK_MONTHS` months earlier (same fitted models applied to the
   history up to that day, so a movement reflects the customer's behaviour, not a
   change of parameters).

Nothing here imports streamlit; :meth:`Valuation.portable` gives a copy that can be
pickled (for a cache).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import math
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from clv.store import definitions
from clv.valuation import historical, models, summary, tiers, values
from clv.valuation.models import MODEL_LABELS, PURCHASE_MODELS, FitFailed, FitResult

MODEL_CHOICES: tuple[str, ...] = ("auto", *PURCHASE_MODELS)
HORIZONS: tuple[int, ...] = (6, 12, 24, 36)
#: Models compared when the choice is automatic (Pareto/NBD on request, see the module).
AUTO_CANDIDATES: tuple[str, ...] = ("bgnbd", "mbgnbd")
#: Tiers are compared with those the customers had this many months before the end.
TIER_LOOKBACK_MONTHS = 3
#: Above this absolute correlation of frequency and spend, Gamma-Gamma is biased.
INDEPENDENCE_LIMIT = 0.3
#: Below this many repeat customers the estimates are loose: say so.
FEW_REPEAT_CUSTOMERS = 100
#: Customers and parameter draws behind the band of the total CLV.
BAND_CUSTOMERS = 500
BAND_DRAWS = 200
#: Holdout bounds in weeks, and the share of the history it takes by default.
MIN_HOLDOUT_WEEKS = 8
MAX_HOLDOUT_WEEKS = 52
HOLDOUT_SHARE = 0.25
#: Label of customers whose acquisition channel is unknown (language-neutral).
UNKNOWN_CHANNEL = "—"
#: Keys of the shop's settings (``Store.set_setting``): the margin rate (a share) and the
#: tier rule (``TierRule.to_dict()``).
MARGIN_RATE_SETTING = "clv_margin_rate"
TIER_RULE_SETTING = "clv_tier_rule"

CUSTOMER_COLUMNS: tuple[str, ...] = (
    "acquisition_channel",
    "cohort",
    "first_order_at",
    "orders",
    "net_revenue",
    "margin_to_date",
    "frequency",
    "recency",
    "T",
    "monetary_value",
    "margin_rate",
    "expected_order_value",
    "expected_purchases",
    "expected_revenue",
    "clv",
    "expected_purchases_30d",
    "expected_purchases_90d",
    "expected_purchases_365d",
    "probability_alive",
    "days_to_next_order",
    "expected_next_order_date",
    "tier",
)

TABLE_COLUMNS: tuple[str, ...] = (
    "customer_id",
    "acquisition_channel",
    "cohort",
    "tier",
    "orders",
    "net_revenue",
    "margin_to_date",
    "predicted_clv",
    "expected_purchases_30d",
    "expected_purchases_90d",
    "expected_purchases_365d",
    "probability_alive",
    "expected_next_order_date",
)


@dataclass(frozen=True)
class Notice:
    """A sentence for the reader, with a stable code so a page can translate it.

    Attributes
    ----------
    code : identifier of the kind of message (e.g. ``"independence"``).
    text : the English sentence (for logs, the CLI, tests).
    values : the figures the sentence quotes, by name, unformatted.
    """

    code: str
    text: str
    values: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class ValuationSettings:
    """What the page's controls choose.

    Attributes
    ----------
    time_unit : ``"day"``, ``"week"`` or ``"month"``: unit of ``recency``/``T`` in which
        the models are fitted (predictions are in calendar months and days anyway).
    horizon_months : months of future purchases counted in the CLV (pages: 6/12/24/36).
    annual_discount_rate : yearly discount rate of future margin (0.10 = 10 %).
    margin_rate : gross margin share (0..1) of orders whose export has no cost; the
        export's ``cost_amount`` wins where present.
    model : ``"auto"`` (best by holdout error), ``"bgnbd"``, ``"mbgnbd"`` or ``"pareto"``.
    compare_pareto : include Pareto/NBD in the automatic comparison (slower).
    holdout_weeks : length of the back-test's hidden period; ``None`` for
        :func:`default_holdout_weeks`.
    tier_rule : how to cut Platinum / Gold / Silver / Bronze.
    channels : keep only customers acquired through these channels (``None``: all).
    observation_end : last day observed; ``None`` for the day of the latest order.
    """

    time_unit: str = "week"
    horizon_months: int = 12
    annual_discount_rate: float = 0.10
    margin_rate: float = 0.40
    model: str = "auto"
    compare_pareto: bool = False
    holdout_weeks: int | None = None
    tier_rule: tiers.TierRule = field(default_factory=tiers.TierRule)
    channels: tuple[str, ...] | None = None
    observation_end: dt.date | None = None

    def __post_init__(self) -> None:
        if self.time_unit not in summary.TIME_UNITS:
            raise ValueError(
                f"Unknown time unit {self.time_unit!r}; choose one of "
                f"{', '.join(summary.TIME_UNITS)}."
            )
        if self.model not in MODEL_CHOICES:
            raise ValueError(
                f"Unknown model {self.model!r}; choose one of {', '.join(MODEL_CHOICES)}."
            )
        if int(self.horizon_months) != self.horizon_months or not 1 <= self.horizon_months <= 120:
            raise ValueError(
                f"The horizon {self.horizon_months!r} must be a whole number of months from "
                "1 to 120 (the page offers 6, 12, 24 and 36)."
            )
        if not (math.isfinite(self.annual_discount_rate) and 0 <= self.annual_discount_rate < 1):
            raise ValueError(
                f"The annual discount rate {self.annual_discount_rate!r} must be a share from "
                "0 to 1, such as 0.10 for 10 % a year."
            )
        if not 0 <= self.margin_rate <= 1:
            raise ValueError(
                f"The margin rate {self.margin_rate!r} must be a share from 0 to 1, such as "
                "0.4 for a 40 % gross margin."
            )
        if self.holdout_weeks is not None and not (
            int(self.holdout_weeks) == self.holdout_weeks and self.holdout_weeks >= 1
        ):
            raise ValueError(
                f"The holdout {self.holdout_weeks!r} must be a whole number of weeks (>= 1), "
                "or None for a quarter of the history."
            )


@dataclass(frozen=True)
class Kpis:
    """The page's headline figures.

    Attributes
    ----------
    customers : customers valued.
    average_clv : ``total_clv / customers``.
    total_clv : sum of the customers' predicted CLV (the predicted value of the base).
    band_low, band_high : 95 % band of ``total_clv`` (``None`` when it could not be
        computed).
    top_tier_share : share of ``total_clv`` held by Platinum customers.
    top_tier_customers : Platinum customers.
    """

    customers: int
    average_clv: float
    total_clv: float
    band_low: float | None
    band_high: float | None
    top_tier_share: float
    top_tier_customers: int


@dataclass
class Valuation:
    """Result of :func:`value_customers` (see the module docstring for the steps).

    Attributes
    ----------
    ok : False when no valuation was possible; then only ``reason``, ``settings``,
        ``warnings`` and whatever was computed before the failure are set.
    reason : why not (a :class:`Notice`), ``None`` when ``ok``.
    settings : the settings used (``tier_rule`` as last applied by :func:`with_tiers`).
    observation_end, calibration_end, previous_end : the last day observed, the last day
        of the back-test's calibration period, and the day of the previous tiers.
    holdout_weeks : length of the back-test's hidden period.
    currency : currency of most paid orders (``"EUR"`` when unknown).
    data_version : :func:`clv.store.definitions.data_version` of the data valued (the
        key of its stored values, with the settings: :func:`store_values`).
    summary : :func:`clv.valuation.summary.customer_summary` at ``observation_end``.
    customers : DataFrame indexed by ``customer_id`` with :data:`CUSTOMER_COLUMNS`:
        channel, ``cohort`` (month of the first order, a timestamp on its first day),
        orders, net revenue and ``margin_to_date`` (gross margin of the orders so far),
        the summary's ``frequency``/``recency``/``T``/``monetary_value``, the margin
        share used, expected order value, expected purchases over the horizon and in 30,
        90, 365 days, expected revenue (undiscounted), ``clv`` (discounted gross margin
        over the horizon), ``probability_alive`` and next order (from
        ``activity_model``) and ``tier``.
    model : key of the purchase model used; ``model_reason`` says why (a Notice).
    activity_model : model behind ``probability_alive`` and the next-order date
        (``"mbgnbd"`` when ``model`` is BG/NBD).
    purchase_fit, spend_fit, activity_fit : the fits on the whole history.
    parameters : the three fits' parameter tables stacked, with a ``model`` column
        (label) and ``role`` (``"purchase"``, ``"spend"``, ``"activity"``).
    comparison : table of :class:`clv.valuation.models.ModelComparison` (one row per candidate).
    backtest : :class:`clv.valuation.models.HoldoutResult` of the model used, if it could be
        back-tested; ``by_frequency`` and the error figures come from it.
    tracking : :func:`clv.valuation.models.cumulative_purchases` of the back-test.
    independence : correlation of frequency and spend among repeat customers.
    band : :class:`clv.valuation.models.ClvBand` of the total, or ``None``.
    basic : :class:`clv.valuation.historical.BasicCLV`, the shop-level formula.
    previous_clv : predicted CLV of the customers at ``previous_end`` (same models).
    tier_thresholds : lowest CLV of Platinum, Gold and Silver.
    tier_table : :func:`clv.valuation.tiers.tier_table` of the current tiers.
    movements : :func:`clv.valuation.tiers.tier_movements` from ``previous_end`` to now.
    by_cohort, by_channel : :func:`group_values` by ``cohort`` and by channel.
    kpis : :class:`Kpis`.
    warnings : what the reader must know, as Notices.
    """

    ok: bool
    settings: ValuationSettings
    reason: Notice | None = None
    observation_end: dt.date | None = None
    calibration_end: dt.date | None = None
    previous_end: dt.date | None = None
    holdout_weeks: int | None = None
    currency: str = "EUR"
    data_version: str | None = None
    summary: pd.DataFrame | None = None
    customers: pd.DataFrame | None = None
    model: str | None = None
    model_reason: Notice | None = None
    activity_model: str | None = None
    purchase_fit: FitResult | None = None
    spend_fit: FitResult | None = None
    activity_fit: FitResult | None = None
    parameters: pd.DataFrame | None = None
    comparison: pd.DataFrame | None = None
    backtest: models.HoldoutResult | None = None
    tracking: pd.DataFrame | None = None
    independence: float = math.nan
    band: models.ClvBand | None = None
    basic: historical.BasicCLV | None = None
    previous_clv: pd.Series | None = None
    tier_thresholds: dict[str, float] | None = None
    tier_table: pd.DataFrame | None = None
    movements: pd.DataFrame | None = None
    by_cohort: pd.DataFrame | None = None
    by_channel: pd.DataFrame | None = None
    kpis: Kpis | None = None
    warnings: list[Notice] = field(default_factory=list)

    def portable(self) -> Valuation:
        """A copy without the lifetimes fitter objects, which cannot be pickled.

        Everything the page shows stays; only new predictions need the fitters (call
        :func:`value_customers` again for those).
        """

        def strip(fit: FitResult | None) -> FitResult | None:
            return None if fit is None else dataclasses.replace(fit, fitter=None)

        backtest = self.backtest
        if backtest is not None:
            backtest = dataclasses.replace(backtest, fit=strip(backtest.fit))
        return dataclasses.replace(
            self,
            purchase_fit=strip(self.purchase_fit),
            spend_fit=strip(self.spend_fit),
            activity_fit=strip(self.activity_fit),
            backtest=backtest,
        )


# -- small pieces, each checked by hand in the tests ---------------------------------------


def default_holdout_weeks(history_days: float) -> int:
    """Weeks hidden by the back-test: a quarter of the history, from 8 to 52 weeks.

    ``round(history_days / 7 * 0.25)`` clipped to ``[8, 52]``: three years of history
    give 39 weeks, six months give 8 (the minimum), five years give 52 (the maximum).
    """
    weeks = round(history_days / 7 * HOLDOUT_SHARE)
    return int(min(MAX_HOLDOUT_WEEKS, max(MIN_HOLDOUT_WEEKS, weeks)))


def margin_shares(customer_summary: pd.DataFrame, margin_rate: float) -> pd.Series:
    """Gross margin share of each customer's future purchases.

    ``g_i = gross_margin_i / net_revenue_i`` (the customer's own orders so far: their
    product mix and, where the export has it, the real cost), clipped to ``[0, 1]`` so
    that a customer whose orders were sold at a loss counts no margin rather than a
    negative one. Where it is not defined (net revenue 0 or unknown margin) the share of
    the whole base is used, ``sum(gross_margin) / sum(net_revenue)``, and failing that
    ``margin_rate``.

    Parameters
    ----------
    customer_summary : frame with ``net_revenue`` and ``gross_margin``.
    margin_rate : the last fallback (0..1).

    Returns
    -------
    Series indexed like ``customer_summary``, named ``margin_rate``.
    """
    revenue = customer_summary["net_revenue"].to_numpy(dtype=float)
    margin = customer_summary["gross_margin"].to_numpy(dtype=float)
    known = np.isfinite(margin) & np.isfinite(revenue) & (revenue > 0)
    total_revenue = revenue[known].sum()
    fallback = margin[known].sum() / total_revenue if total_revenue > 0 else margin_rate
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(known, margin / np.where(known, revenue, 1.0), fallback)
    return pd.Series(np.clip(share, 0.0, 1.0), index=customer_summary.index, name="margin_rate")


def group_values(customers: pd.DataFrame, by: str) -> pd.DataFrame:
    """Customers and predicted CLV per group (acquisition cohort, channel...).

    Parameters
    ----------
    customers : frame with the column ``by`` and ``clv``.
    by : the grouping column; missing values form the group :data:`UNKNOWN_CHANNEL`.

    Returns
    -------
    DataFrame with columns ``by``, ``customers``, ``total_clv``, ``average_clv``
    (``total_clv / customers``) and ``clv_share`` (of the whole total), sorted by
    ``by``.
    """
    keys = customers[by]
    if keys.dtype == object or pd.api.types.is_string_dtype(keys.dtype):
        keys = keys.fillna(UNKNOWN_CHANNEL)
    grouped = (
        pd.DataFrame({by: keys, "clv": customers["clv"]})
        .groupby(by, sort=True, dropna=False)
        .agg(customers=("clv", "size"), total_clv=("clv", "sum"))
        .reset_index()
    )
    grouped["customers"] = grouped["customers"].astype(np.int64)
    grouped["average_clv"] = grouped["total_clv"] / grouped["customers"]
    total = grouped["total_clv"].sum()
    grouped["clv_share"] = grouped["total_clv"] / total if total else 0.0
    return grouped[[by, "customers", "total_clv", "average_clv", "clv_share"]]


def previous_period_end(observation_end: dt.date, months: int = TIER_LOOKBACK_MONTHS) -> dt.date:
    """The day ``months`` calendar months before ``observation_end`` (end of month kept:
    31 May minus 3 months is 28/29 February)."""
    return (pd.Timestamp(observation_end) - pd.DateOffset(months=months)).date()


def kpis_of(customers: pd.DataFrame, tier_table: pd.DataFrame, band: Any) -> Kpis:
    """The headline figures (see :class:`Kpis`) from the per-customer predictions."""
    total = float(customers["clv"].sum())
    count = len(customers)
    return Kpis(
        customers=count,
        average_clv=total / count if count else math.nan,
        total_clv=total,
        band_low=None if band is None else float(band.low),
        band_high=None if band is None else float(band.high),
        top_tier_share=float(tier_table.loc[tiers.TIERS[0], "clv_share"]),
        top_tier_customers=int(tier_table.loc[tiers.TIERS[0], "customers"]),
    )


# -- the one call --------------------------------------------------------------------------


@contextlib.contextmanager
def _cursor(source: Any) -> Iterator[duckdb.DuckDBPyConnection]:
    if hasattr(source, "execute"):
        yield source
        return
    cur = source.cursor()
    try:
        yield cur
    finally:
        cur.close()


def _label(model: str | None) -> str:
    return MODEL_LABELS.get(model or "", str(model))


def _penalized(fit: FitResult) -> Notice | None:
    if fit.penalizer_used <= 0:
        return None
    return Notice(
        "fit_penalized",
        f"The {fit.label} fit only converged with a penalizer of {fit.penalizer_used:g}, which "
        "pulls the parameters towards zero: treat its figures with caution.",
        {"model": fit.label, "penalizer": fit.penalizer_used},
    )


def _failed(valuation: Valuation, reason: Notice) -> Valuation:
    valuation.ok = False
    valuation.reason = reason
    return valuation


def value_customers(source: Any, settings: ValuationSettings | None = None) -> Valuation:
    """Value every customer of the store under ``settings`` (see the module docstring).

    Parameters
    ----------
    source : a :class:`clv.store.Store` (a cursor is opened and closed) or a DuckDB
        cursor.
    settings : the choices of the page; default :class:`ValuationSettings()`.

    Returns
    -------
    :class:`Valuation`; ``ok=False`` with a ``reason`` when the store has no orders, no
    customer with a paid order, too few repeat customers, or a model cannot be fitted.
    """
    settings = settings or ValuationSettings()
    out = Valuation(ok=True, settings=settings)
    with _cursor(source) as cur:
        out.data_version = definitions.data_version(cur)
        try:
            end = settings.observation_end or summary.last_order_date(cur)
        except ValueError:
            return _failed(
                out,
                Notice("no_orders", "There are no orders yet; import an orders export first."),
            )
        out.observation_end = end
        currencies = definitions.shop_currencies(cur)
        out.currency = currencies[0] if currencies else definitions.DEFAULT_CURRENCY
        if len(currencies) > 1:
            out.warnings.append(
                Notice(
                    "mixed_currencies",
                    f"Orders are in several currencies ({', '.join(currencies)}); amounts are "
                    "added as if they were one.",
                    {"currencies": ", ".join(currencies)},
                )
            )
        base = summary.customer_summary(
            cur,
            observation_end=end,
            time_unit=settings.time_unit,
            margin_rate=settings.margin_rate,
            channels=settings.channels,
        )
        out.summary = base
        if base.empty:
            return _failed(
                out,
                Notice(
                    "no_customers",
                    "No paid order belongs to a known customer; import an orders export with "
                    "customer emails or ids.",
                ),
            )
        repeaters = int((base["frequency"] > 0).sum())
        if repeaters < models.MIN_REPEAT_CUSTOMERS:
            return _failed(
                out,
                Notice(
                    "too_few_repeat",
                    f"Only {repeaters} of {len(base)} customers bought more than once; the "
                    f"models need at least {models.MIN_REPEAT_CUSTOMERS} repeat customers. "
                    "Import a longer order history.",
                    {
                        "repeat": repeaters,
                        "customers": len(base),
                        "needed": models.MIN_REPEAT_CUSTOMERS,
                    },
                ),
            )
        if repeaters < FEW_REPEAT_CUSTOMERS:
            out.warnings.append(
                Notice(
                    "few_repeat",
                    f"Only {repeaters} customers bought more than once: the predictions rest "
                    "on little evidence and their intervals are wide.",
                    {"repeat": repeaters},
                )
            )

        comparison = _back_test(cur, out, base, settings)
        if not _fit_models(out, base, settings, comparison):
            return out
        _predict(out, base, settings)
        _tracking(cur, out, settings)
        out.basic = historical.basic_clv(cur, margin_rate=settings.margin_rate, observation_end=end)
        _previous(cur, out, settings)
    return with_tiers(out, settings.tier_rule)


def _back_test(
    cur: duckdb.DuckDBPyConnection,
    out: Valuation,
    base: pd.DataFrame,
    settings: ValuationSettings,
) -> models.ModelComparison | None:
    first_day = pd.Timestamp(base["first_order_at"].min()).date()
    end = out.observation_end
    weeks = settings.holdout_weeks or default_holdout_weeks((end - first_day).days)
    out.holdout_weeks = int(weeks)
    out.calibration_end = end - dt.timedelta(weeks=int(weeks))
    candidates = list(AUTO_CANDIDATES)
    if settings.compare_pareto or settings.model == "pareto":
        candidates.append("pareto")
    problem = None
    comparison = None
    if out.calibration_end <= first_day:
        problem = "the history is shorter than the hidden period"
    else:
        try:
            cal = summary.calibration_holdout(
                cur,
                calibration_end=out.calibration_end,
                observation_end=end,
                time_unit=settings.time_unit,
                channels=settings.channels,
            )
            comparison = models.compare_models(cal, candidates)
        except ValueError as exc:
            problem = str(exc)
        else:
            out.comparison = comparison.table
            if comparison.best is None:
                problem = "no model could be fitted on the calibration period"
    if problem is not None:
        out.warnings.append(
            Notice(
                "no_backtest",
                f"The back-test could not be run ({problem}); the model's accuracy on hidden "
                "purchases is unknown.",
                {"weeks": int(weeks)},
            )
        )
        return None
    return comparison


def _fit_models(
    out: Valuation,
    base: pd.DataFrame,
    settings: ValuationSettings,
    comparison: models.ModelComparison | None,
) -> bool:
    """Purchase, spend and activity fits on the whole history; False when impossible."""
    ranked: list[str] = []
    if comparison is not None:
        ranked = sorted(comparison.results, key=lambda k: comparison.results[k].mae)
    # Without a back-test MBG/NBD is the safe choice: unlike BG/NBD it lets one-time
    # buyers become inactive.
    order = (ranked or ["mbgnbd"]) if settings.model == "auto" else [settings.model]
    problems = []
    for model in order:
        try:
            out.purchase_fit = models.fit_purchase_model(base, model)
        except FitFailed as exc:
            problems.append(str(exc))
            continue
        out.model = model
        break
    if out.purchase_fit is None:
        _failed(
            out,
            Notice(
                "purchase_fit_failed",
                "No purchase model could be fitted on the order history: " + " ".join(problems),
                {"detail": " ".join(problems)},
            ),
        )
        return False
    model = out.model
    if comparison is not None and model in comparison.results:
        out.backtest = comparison.results[model]
    out.model_reason = _model_reason(settings, model, ranked, comparison)

    try:
        out.spend_fit = models.fit_spend_model(base)
    except FitFailed as exc:
        _failed(
            out,
            Notice(
                "spend_fit_failed",
                f"The spend model could not be fitted: {exc}",
                {"detail": str(exc)},
            ),
        )
        return False

    out.activity_model = model
    out.activity_fit = out.purchase_fit
    if model == "bgnbd":
        try:
            out.activity_fit = models.fit_purchase_model(base, "mbgnbd")
            out.activity_model = "mbgnbd"
        except FitFailed:
            out.activity_fit = None
            out.activity_model = None
            out.warnings.append(
                Notice(
                    "no_activity_model",
                    "MBG/NBD could not be fitted, so no probability of being active is given "
                    "(BG/NBD would call every one-time buyer active).",
                )
            )
    fits = [out.purchase_fit, out.spend_fit]
    if out.activity_fit is not None and out.activity_fit is not out.purchase_fit:
        fits.append(out.activity_fit)
    for fit in fits:
        notice = _penalized(fit)
        if notice is not None:
            out.warnings.append(notice)

    out.independence = models.spend_independence(base)
    if math.isfinite(out.independence) and abs(out.independence) > INDEPENDENCE_LIMIT:
        out.warnings.append(
            Notice(
                "independence",
                f"Spend per order and purchase frequency are correlated ({out.independence:.2f}, "
                f"above {INDEPENDENCE_LIMIT}): Gamma-Gamma assumes they are not, so the value "
                "per order of frequent buyers is biased.",
                {"correlation": out.independence, "limit": INDEPENDENCE_LIMIT},
            )
        )
    tables = []
    for role, fit in (
        ("purchase", out.purchase_fit),
        ("spend", out.spend_fit),
        ("activity", out.activity_fit if out.activity_fit is not out.purchase_fit else None),
    ):
        if fit is not None:
            table = fit.parameter_table()
            table.insert(0, "model", fit.label)
            table.insert(0, "role", role)
            tables.append(table)
    out.parameters = pd.concat(tables, ignore_index=True)
    return True


def _model_reason(
    settings: ValuationSettings,
    model: str,
    ranked: Sequence[str],
    comparison: models.ModelComparison | None,
) -> Notice:
    compared = ", ".join(_label(m) for m in (comparison.results if comparison else ()))
    if settings.model != "auto":
        best = ranked[0] if ranked else None
        if best is None:
            return Notice(
                "chosen_by_user", f"{_label(model)} is your choice.", {"model": _label(model)}
            )
        if best == model:
            return Notice(
                "chosen_by_user_best",
                f"{_label(model)} is your choice; it also had the smallest error in the back-test.",
                {"model": _label(model)},
            )
        return Notice(
            "chosen_by_user_not_best",
            f"{_label(model)} is your choice; {_label(best)} had a smaller error in the back-test.",
            {"model": _label(model), "best": _label(best)},
        )
    if comparison is None or not ranked:
        return Notice(
            "auto_no_backtest",
            f"Without a back-test, {_label(model)} is used: unlike BG/NBD it lets one-time "
            "buyers become inactive.",
            {"model": _label(model)},
        )
    mae = comparison.results[model].mae
    if model != ranked[0]:
        return Notice(
            "auto_fallback",
            f"{_label(ranked[0])} had the smallest error in the back-test but could not be "
            f"fitted on the whole history; {_label(model)} (next best) is used.",
            {"model": _label(model), "best": _label(ranked[0])},
        )
    return Notice(
        "auto_best",
        f"{_label(model)} had the smallest error on the hidden purchases ({mae:.3f} "
        f"purchases per customer) among {compared}.",
        {"model": _label(model), "mae": mae, "compared": compared},
    )


def _predict(out: Valuation, base: pd.DataFrame, settings: ValuationSettings) -> None:
    shares = margin_shares(base, settings.margin_rate)
    clv = models.predict_clv(
        out.purchase_fit,
        out.spend_fit,
        base,
        horizon_months=settings.horizon_months,
        annual_discount_rate=settings.annual_discount_rate,
        margin_rate=shares,
    )
    ahead = models.predict_customers(out.purchase_fit, base)
    frame = pd.DataFrame(index=base.index)
    frame["acquisition_channel"] = base["acquisition_channel"]
    frame["cohort"] = pd.to_datetime(base["first_order_at"]).dt.to_period("M").dt.to_timestamp()
    frame["first_order_at"] = base["first_order_at"]
    frame["orders"] = base["orders"]
    frame["net_revenue"] = base["net_revenue"]
    frame["margin_to_date"] = base["gross_margin"]
    for column in ("frequency", "recency", "T", "monetary_value"):
        frame[column] = base[column]
    for column in (
        "margin_rate",
        "expected_order_value",
        "expected_purchases",
        "expected_revenue",
        "clv",
    ):
        frame[column] = clv[column]
    for days in (30, 90, 365):
        frame[f"expected_purchases_{days}d"] = ahead[f"expected_purchases_{days}d"]
    if out.activity_fit is None:
        frame["probability_alive"] = np.nan
        frame["days_to_next_order"] = np.nan
        frame["expected_next_order_date"] = pd.NaT
    else:
        active = (
            ahead
            if out.activity_fit is out.purchase_fit
            else models.predict_customers(out.activity_fit, base, horizons_days=())
        )
        frame["probability_alive"] = active["probability_alive"]
        frame["days_to_next_order"] = active["days_to_next_order"]
        frame["expected_next_order_date"] = active["expected_next_order_date"]
    frame["tier"] = pd.Categorical([None] * len(frame), categories=list(tiers.TIERS))
    out.customers = frame[list(CUSTOMER_COLUMNS)]
    out.by_cohort = group_values(out.customers, "cohort")
    out.by_channel = group_values(out.customers, "acquisition_channel")
    try:
        out.band = models.clv_band(
            out.purchase_fit,
            out.spend_fit,
            base,
            horizon_months=settings.horizon_months,
            annual_discount_rate=settings.annual_discount_rate,
            margin_rate=shares,
            n_draws=BAND_DRAWS,
            max_customers=BAND_CUSTOMERS,
        )
    except FitFailed as exc:
        out.warnings.append(
            Notice("no_band", f"No band for the total: {exc}", {"detail": str(exc)})
        )


def _tracking(cur: duckdb.DuckDBPyConnection, out: Valuation, settings: ValuationSettings) -> None:
    if out.backtest is None:
        return
    daily = summary.daily_purchases(
        cur,
        cohort_end=out.calibration_end,
        observation_end=out.observation_end,
        channels=settings.channels,
    )
    out.tracking = models.cumulative_purchases(
        out.backtest.fit, daily, calibration_end=out.calibration_end
    )


def _previous(cur: duckdb.DuckDBPyConnection, out: Valuation, settings: ValuationSettings) -> None:
    out.previous_end = previous_period_end(out.observation_end)
    before = summary.customer_summary(
        cur,
        observation_end=out.previous_end,
        time_unit=settings.time_unit,
        margin_rate=settings.margin_rate,
        channels=settings.channels,
    )
    if before.empty:
        out.previous_clv = pd.Series(dtype=float, name="clv")
        return
    out.previous_clv = models.predict_clv(
        out.purchase_fit,
        out.spend_fit,
        before,
        horizon_months=settings.horizon_months,
        annual_discount_rate=settings.annual_discount_rate,
        margin_rate=margin_shares(before, settings.margin_rate),
    )["clv"]


def with_tiers(valuation: Valuation, rule: tiers.TierRule) -> Valuation:
    """The valuation with its tiers, tier table, movements and KPIs cut by ``rule``.

    Cheap (no model is fitted): the page calls it when only the thresholds change.

    Returns
    -------
    A new :class:`Valuation` (the argument is left as it was); unchanged when not ok.
    """
    if not valuation.ok or valuation.customers is None:
        return valuation
    customers = valuation.customers.copy()
    clv = customers["clv"]
    customers["tier"] = tiers.assign_tiers(clv, rule)
    table = tiers.tier_table(customers["tier"], clv, customers["net_revenue"])
    movements = None
    if valuation.previous_clv is not None:
        previous = (
            tiers.assign_tiers(valuation.previous_clv, rule)
            if len(valuation.previous_clv)
            else pd.Series(dtype=object)
        )
        movements = tiers.tier_movements(previous, customers["tier"])
    return dataclasses.replace(
        valuation,
        settings=dataclasses.replace(valuation.settings, tier_rule=rule),
        customers=customers,
        tier_thresholds=tiers.thresholds(clv, rule),
        tier_table=table,
        movements=movements,
        kpis=kpis_of(customers, table, valuation.band),
    )


def values_key(valuation: Valuation) -> str:
    """The key of the valuation's per-customer values in the store
    (:func:`clv.valuation.values.valuation_key` of its data version and settings)."""
    return values.valuation_key(str(valuation.data_version), valuation.settings)


def store_values(cur: duckdb.DuckDBPyConnection, valuation: Valuation) -> str | None:
    """Write the valuation's per-customer values (CLV, margin to date, lifetime value,
    probability of being active, tier) into the store, unless they are there already.

    Parameters
    ----------
    cur : a cursor on the store, outside any transaction.
    valuation : an ok :class:`Valuation` with its tiers cut (:func:`with_tiers`).

    Returns
    -------
    The key every figure joins the values by (:mod:`clv.valuation.values`); ``None``
    when the valuation is not ok.
    """
    if not valuation.ok or valuation.customers is None:
        return None
    key = values_key(valuation)
    if not values.exists(cur, key):
        values.write(cur, key, str(valuation.data_version), valuation.customers)
    return key


def lifetime_value(customers: pd.DataFrame) -> pd.Series:
    """Whole-life value per customer: gross margin already earned plus predicted CLV.

    This is the value to set against what the customer cost to acquire (CLV/CAC): the
    predicted CLV alone counts only future purchases, so it would leave out the first
    order, which usually pays back much of the CAC, and everything bought since.

    Parameters
    ----------
    customers : :attr:`Valuation.customers` (``margin_to_date`` and ``clv``).

    Returns
    -------
    Series indexed by ``customer_id``, named ``lifetime_value``; a customer whose margin
    to date is unknown (no cost and no margin rate) counts only the predicted part.
    """
    earned = customers["margin_to_date"].astype(float).fillna(0.0)
    return (earned + customers["clv"].astype(float)).rename("lifetime_value")


def restricted_to(valuation: Valuation, customer_ids: Iterable[str]) -> Valuation:
    """The valuation seen through the page filters: only ``customer_ids`` are shown.

    The models, the back-test, the thresholds and each customer's tier stay those of the
    whole base (a Gold customer stays Gold whatever the filter); the per-customer table,
    the tier table, the groups by cohort and channel, the tier movements and the KPIs are
    recomputed on the customers kept. The band on the total is dropped: it was drawn for
    the whole base.

    Returns
    -------
    A new :class:`Valuation`; unchanged when not ok.
    """
    if not valuation.ok or valuation.customers is None:
        return valuation
    kept = valuation.customers.index.intersection(pd.Index(list(customer_ids), dtype=object))
    customers = valuation.customers.loc[kept]
    table = tiers.tier_table(customers["tier"], customers["clv"], customers["net_revenue"])
    movements = None
    if valuation.previous_clv is not None and valuation.movements is not None:
        rule = valuation.settings.tier_rule
        previous = (
            tiers.assign_tiers(valuation.previous_clv, rule)
            if len(valuation.previous_clv)
            else pd.Series(dtype=object)
        )
        movements = tiers.tier_movements(previous[previous.index.isin(kept)], customers["tier"])
    return dataclasses.replace(
        valuation,
        customers=customers,
        tier_table=table,
        movements=movements,
        by_cohort=group_values(customers, "cohort"),
        by_channel=group_values(customers, "acquisition_channel"),
        band=None,
        kpis=kpis_of(customers, table, None),
    )


def customer_table(valuation: Valuation) -> pd.DataFrame:
    """Per-customer results for a CSV download, highest predicted CLV first.

    Returns
    -------
    DataFrame with :data:`TABLE_COLUMNS`: ``customer_id`` (the store's pseudonymous id),
    ``acquisition_channel``, ``cohort`` (``YYYY-MM``), ``tier``, ``orders``,
    ``net_revenue``, ``margin_to_date``, ``predicted_clv``,
    ``expected_purchases_30d``/``90d``/``365d``, ``probability_alive`` and
    ``expected_next_order_date`` (a date, empty when beyond five years). Empty (with
    these columns) when the valuation is not ok.
    """
    if not valuation.ok or valuation.customers is None:
        return pd.DataFrame(columns=list(TABLE_COLUMNS))
    frame = valuation.customers
    out = pd.DataFrame(
        {
            "customer_id": frame.index.astype(str),
            "acquisition_channel": frame["acquisition_channel"].to_numpy(),
            "cohort": frame["cohort"].dt.strftime("%Y-%m").to_numpy(),
            "tier": frame["tier"].astype(str).to_numpy(),
            "orders": frame["orders"].to_numpy(),
            "net_revenue": frame["net_revenue"].to_numpy(),
            "margin_to_date": frame["margin_to_date"].to_numpy(),
            "predicted_clv": frame["clv"].to_numpy(),
            "expected_purchases_30d": frame["expected_purchases_30d"].to_numpy(),
            "expected_purchases_90d": frame["expected_purchases_90d"].to_numpy(),
            "expected_purchases_365d": frame["expected_purchases_365d"].to_numpy(),
            "probability_alive": frame["probability_alive"].to_numpy(),
            "expected_next_order_date": pd.to_datetime(
                frame["expected_next_order_date"]
            ).dt.date.to_numpy(),
        }
    )
    return out.sort_values(
        ["predicted_clv", "customer_id"], ascending=[False, True], kind="stable"
    ).reset_index(drop=True)

"""Trust in the purchase models: holdout back-test, model choice, cumulative tracking.

A model is fitted on the calibration period of
:func:`clv.valuation.summary.calibration_holdout` and its predictions are compared with the
holdout purchases, per customer (:func:`holdout_error`), across models
(:func:`compare_models`) and over time for the cohort (:func:`cumulative_purchases`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from clv.valuation.models.fitting import PURCHASE_MODELS, FitFailed, FitResult, _contained
from clv.valuation.models.predict import expected_purchases
from clv.valuation.models.purchase import fit_purchase_model
from clv.valuation.summary import TIME_UNITS


@dataclass
class HoldoutResult:
    """Back-test of a purchase model fitted on the calibration period.

    Attributes
    ----------
    model : the model key.
    fit : the :class:`FitResult` on the calibration period.
    per_customer : DataFrame indexed by ``customer_id`` with ``frequency_cal``,
        ``actual`` (holdout purchases) and ``predicted``.
    actual_total, predicted_total : total repeat purchases in the holdout.
    mae : mean absolute error per customer.
    bias_percent : ``100 * (predicted_total - actual_total) / actual_total``.
    by_frequency : DataFrame with ``frequency_cal`` (0.. ``max_frequency``, the last
        bucket holding that many or more), ``customers``, ``actual_mean``,
        ``predicted_mean``: mean holdout purchases per calibration frequency.
    """

    model: str
    fit: FitResult
    per_customer: pd.DataFrame
    actual_total: float
    predicted_total: float
    mae: float
    bias_percent: float
    by_frequency: pd.DataFrame


def _calibration_summary(cal_holdout: pd.DataFrame) -> pd.DataFrame:
    summary = pd.DataFrame(
        {
            "frequency": cal_holdout["frequency_cal"],
            "recency": cal_holdout["recency_cal"],
            "T": cal_holdout["T_cal"],
            "monetary_value": cal_holdout["monetary_value_cal"],
        },
        index=cal_holdout.index,
    )
    summary.attrs = {
        "time_unit": cal_holdout.attrs.get("time_unit"),
        "observation_end": cal_holdout.attrs.get("calibration_end"),
    }
    return summary


def holdout_error(
    cal_holdout: pd.DataFrame,
    model: str = "bgnbd",
    *,
    penalizer: float = 0.0,
    time_unit: str | None = None,
    max_frequency: int = 7,
) -> HoldoutResult:
    """Fit on the calibration period and compare predicted with actual holdout purchases.

    Parameters
    ----------
    cal_holdout : from :func:`clv.valuation.summary.calibration_holdout`.
    model, penalizer : as :func:`fit_purchase_model`.
    time_unit : default ``cal_holdout.attrs["time_unit"]``.
    max_frequency : last bucket of ``by_frequency`` ("that many or more").

    Returns
    -------
    :class:`HoldoutResult`; the prediction for customer ``i`` is
    ``E[X(duration_holdout) | frequency_cal, recency_cal, T_cal]``.

    Raises
    ------
    FitFailed : as :func:`fit_purchase_model`.
    """
    summary = _calibration_summary(cal_holdout)
    fit = fit_purchase_model(summary, model, penalizer=penalizer, time_unit=time_unit)
    duration = float(cal_holdout["duration_holdout"].iloc[0]) if len(cal_holdout) else 0.0
    days = duration * TIME_UNITS[fit.time_unit or "week"]
    predicted = expected_purchases(fit, summary, days).to_numpy()
    actual = cal_holdout["frequency_holdout"].to_numpy(dtype=float)
    per_customer = pd.DataFrame(
        {"frequency_cal": summary["frequency"], "actual": actual, "predicted": predicted},
        index=cal_holdout.index,
    )
    bucket = np.minimum(per_customer["frequency_cal"].to_numpy(), max_frequency)
    by_frequency = (
        per_customer.assign(bucket=bucket)
        .groupby("bucket")
        .agg(
            customers=("actual", "size"),
            actual_mean=("actual", "mean"),
            predicted_mean=("predicted", "mean"),
        )
        .rename_axis("frequency_cal")
        .reset_index()
    )
    actual_total = float(actual.sum())
    predicted_total = float(predicted.sum())
    return HoldoutResult(
        model=model,
        fit=fit,
        per_customer=per_customer,
        actual_total=actual_total,
        predicted_total=predicted_total,
        mae=float(np.mean(np.abs(predicted - actual))),
        bias_percent=(
            100 * (predicted_total - actual_total) / actual_total if actual_total else math.nan
        ),
        by_frequency=by_frequency,
    )


@dataclass
class ModelComparison:
    """Holdout back-tests of several purchase models and the best one.

    Attributes
    ----------
    table : DataFrame, one row per model: ``model``, ``label``, ``actual_total``,
        ``predicted_total``, ``bias_percent``, ``mae``, ``log_likelihood``,
        ``penalizer_used``, ``error`` (why a model failed, else empty).
    best : key of the model with the lowest mean absolute error per customer, ``None``
        when every model failed.
    results : model key -> :class:`HoldoutResult` for the models that could be fitted.
    """

    table: pd.DataFrame
    best: str | None
    results: dict[str, HoldoutResult]


def compare_models(
    cal_holdout: pd.DataFrame,
    models: Sequence[str] = tuple(PURCHASE_MODELS),
    *,
    penalizer: float = 0.0,
) -> ModelComparison:
    """Back-test each purchase model and choose the one with the smallest holdout error.

    The criterion is the mean absolute error per customer of the holdout purchases
    (it rewards getting individuals right, not only the total); the bias of the total
    is reported beside it. A model that cannot be fitted is listed with its reason.
    """
    rows = []
    results: dict[str, HoldoutResult] = {}
    for model in models:
        try:
            result = holdout_error(cal_holdout, model, penalizer=penalizer)
        except FitFailed as exc:
            rows.append({"model": model, "label": PURCHASE_MODELS[model], "error": str(exc)})
            continue
        results[model] = result
        rows.append(
            {
                "model": model,
                "label": PURCHASE_MODELS[model],
                "actual_total": result.actual_total,
                "predicted_total": result.predicted_total,
                "bias_percent": result.bias_percent,
                "mae": result.mae,
                "log_likelihood": result.fit.log_likelihood,
                "penalizer_used": result.fit.penalizer_used,
                "error": "",
            }
        )
    columns = [
        "model",
        "label",
        "actual_total",
        "predicted_total",
        "bias_percent",
        "mae",
        "log_likelihood",
        "penalizer_used",
        "error",
    ]
    table = pd.DataFrame(rows).reindex(columns=columns)
    table["error"] = table["error"].fillna("")
    best = min(results, key=lambda k: results[k].mae) if results else None
    return ModelComparison(table=table, best=best, results=results)


def cumulative_purchases(
    fit: FitResult, daily: pd.DataFrame, *, calibration_end: Any = None
) -> pd.DataFrame:
    r"""Cumulative actual and predicted repeat purchases of a cohort, per time unit.

    The prediction is unconditional: for a customer whose first purchase was ``t``
    time units ago it is ``E[X(t)]`` (the model's expected repeat purchases of a new
    customer), summed over the cohort,

    .. math:: \hat{C}(t) = \sum_{d} n_d\, E[X(t - d)],

    ``n_d`` customers having their first purchase on day ``d`` (Fader, Hardie & Lee
    2005, figure 2 of the tracking plot).

    Parameters
    ----------
    fit : a purchase model fitted on the cohort's calibration period.
    daily : from :func:`clv.valuation.summary.daily_purchases` (same cohort).
    calibration_end : marks the rows of the holdout (``period`` column).

    Returns
    -------
    DataFrame, one row per whole time unit since the cohort's first day and one for
    the last day: ``t`` (time units since the first day), ``date``, ``actual`` and
    ``predicted`` cumulative repeat purchases, and ``period`` (``"calibration"`` /
    ``"holdout"``).
    """
    if fit.model not in PURCHASE_MODELS:
        raise ValueError("The tracking needs a purchase model fit.")
    if daily.empty:
        return pd.DataFrame(columns=["t", "date", "actual", "predicted", "period"])
    unit = TIME_UNITS[fit.time_unit or "week"]
    newcomers = daily["first_purchases"].to_numpy(dtype=float)
    repeats = daily["repeat_purchases"].to_numpy(dtype=float)
    ages = np.arange(len(daily), dtype=float) / unit
    with _contained():
        expected = np.asarray(fit.fitter.expected_number_of_purchases_up_to_time(ages), dtype=float)
    expected[0] = 0.0
    predicted = np.convolve(newcomers, expected)[: len(daily)]
    actual = np.cumsum(repeats)
    last = len(daily) - 1
    steps = np.arange(1, int(math.floor(last / unit)) + 1, dtype=float)
    index = np.round(steps * unit).astype(int)
    if index.size == 0 or index[-1] < last:
        # The observation end closes the series even when it is not a whole unit.
        steps = np.append(steps, last / unit)
        index = np.append(index, last)
    days = pd.to_datetime(pd.Series(daily["day"]).iloc[index].to_numpy())
    cal_end = pd.Timestamp(calibration_end) if calibration_end is not None else None
    period = (
        np.where(days <= cal_end, "calibration", "holdout")
        if cal_end is not None
        else np.full(len(index), "calibration")
    )
    return pd.DataFrame(
        {
            "t": steps,
            "date": days,
            "actual": actual[index],
            "predicted": predicted[index],
            "period": period,
        }
    )

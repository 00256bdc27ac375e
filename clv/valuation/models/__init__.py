"""Purchase and spend models (lifetimes) behind one interface, with predictive CLV.

- :mod:`clv.valuation.models.fitting`: what the families share: :class:`FitResult`,
  :class:`FitFailed`, the constants (:data:`PURCHASE_MODELS`, :data:`PARAMETERS`,
  :data:`RETRY_PENALIZERS`, ...), the retries with penalizers and the standard errors;
- :mod:`clv.valuation.models.purchase`: the purchase models BG/NBD, MBG/NBD and Pareto/NBD
  (:func:`fit_purchase_model`, :func:`purchase_log_likelihood`, :func:`purchase_fitter`);
- :mod:`clv.valuation.models.spend`: the Gamma-Gamma spend model (:func:`fit_spend_model`,
  :func:`spend_independence`, :func:`expected_order_value`);
- :mod:`clv.valuation.models.predict`: predictions (expected purchases, probability alive,
  next order, :func:`predict_clv`, :func:`predict_customers`) and the band of the total
  CLV (:func:`clv_band`);
- :mod:`clv.valuation.models.backtest`: holdout back-test, model comparison and cumulative
  tracking (:func:`holdout_error`, :func:`compare_models`, :func:`cumulative_purchases`).

Every public name is re-exported here: ``from clv.valuation.models import fit_purchase_model``.
"""

from clv.valuation.models.backtest import (
    HoldoutResult,
    ModelComparison,
    compare_models,
    cumulative_purchases,
    holdout_error,
)
from clv.valuation.models.fitting import (
    DAYS_PER_MONTH,
    MAX_RELATIVE_SE,
    MIN_REPEAT_CUSTOMERS,
    MODEL_LABELS,
    PARAMETERS,
    PARETO_SEARCH_CUSTOMERS,
    PURCHASE_MODELS,
    RETRY_PENALIZERS,
    SPEND_MODEL,
    Z_95,
    FitFailed,
    FitResult,
)
from clv.valuation.models.predict import (
    ClvBand,
    clv_band,
    expected_next_order,
    expected_purchase_rate,
    expected_purchases,
    monthly_discount_rate,
    predict_clv,
    predict_customers,
    probability_alive,
)
from clv.valuation.models.purchase import (
    fit_purchase_model,
    pareto_log_likelihood_function,
    purchase_fitter,
    purchase_log_likelihood,
)
from clv.valuation.models.spend import (
    expected_order_value,
    fit_spend_model,
    spend_independence,
    spend_log_likelihood,
)

__all__ = [
    "DAYS_PER_MONTH",
    "MAX_RELATIVE_SE",
    "MIN_REPEAT_CUSTOMERS",
    "MODEL_LABELS",
    "PARAMETERS",
    "PARETO_SEARCH_CUSTOMERS",
    "PURCHASE_MODELS",
    "RETRY_PENALIZERS",
    "SPEND_MODEL",
    "Z_95",
    "ClvBand",
    "FitFailed",
    "FitResult",
    "HoldoutResult",
    "ModelComparison",
    "clv_band",
    "compare_models",
    "cumulative_purchases",
    "expected_next_order",
    "expected_order_value",
    "expected_purchase_rate",
    "expected_purchases",
    "fit_purchase_model",
    "fit_spend_model",
    "holdout_error",
    "monthly_discount_rate",
    "pareto_log_likelihood_function",
    "predict_clv",
    "predict_customers",
    "probability_alive",
    "purchase_fitter",
    "purchase_log_likelihood",
    "spend_independence",
    "spend_log_likelihood",
]

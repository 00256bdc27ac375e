"""The pinned numeric stack runs lifetimes' fitters (archived since 2020) correctly.

lifetimes ships the CDNOW calibration summary; fitting it must give the published
BG/NBD parameters (Fader, Hardie & Lee 2005: r = 0.243, alpha = 4.414, a = 0.793,
b = 2.426), with no FutureWarning on the fit and predict paths (pyproject turns them
into errors for the whole suite; this test also asserts it locally).
"""

from __future__ import annotations

import warnings

import pytest
from lifetimes import BetaGeoFitter
from lifetimes.datasets import load_cdnow_summary


def test_bgnbd_fit_on_pinned_stack_matches_the_paper():
    data = load_cdnow_summary(index_col=[0])
    with warnings.catch_warnings():
        warnings.simplefilter("error", FutureWarning)
        warnings.simplefilter("error", DeprecationWarning)
        model = BetaGeoFitter().fit(data["frequency"], data["recency"], data["T"])
        expected = model.conditional_expected_number_of_purchases_up_to_time(
            39, data["frequency"], data["recency"], data["T"]
        )
    params = model.params_
    assert params["r"] == pytest.approx(0.243, abs=0.0005)
    assert params["alpha"] == pytest.approx(4.414, abs=0.0005)
    assert params["a"] == pytest.approx(0.793, abs=0.0005)
    assert params["b"] == pytest.approx(2.426, abs=0.0005)
    # Every customer is expected to buy something non-negative in the holdout.
    assert (expected >= 0).all() and expected.sum() > 0

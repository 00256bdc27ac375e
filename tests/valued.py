"""Hand-made valuations written into a test store, as the app writes its own.

Figures that need a customer's value or tier join the store's ``customer_values`` table
(:mod:`clv.valuation.values`); a test sets those values by hand instead of fitting models.
"""

from __future__ import annotations

from collections.abc import Mapping

import duckdb
import numpy as np
import pandas as pd

from clv.valuation import values

HAND_VERSION = "hand"


def store_values(
    cur: duckdb.DuckDBPyConnection,
    clv: Mapping[str, float] | pd.Series | None = None,
    tiers: Mapping[str, str] | pd.Series | None = None,
    *,
    margin_to_date: Mapping[str, float] | pd.Series | None = None,
    key: str = "hand-valuation",
) -> str:
    """Write one valuation by hand and return its key.

    Parameters
    ----------
    cur : a cursor on the store (outside any transaction).
    clv : predicted CLV per customer (0 where only a tier is given).
    tiers : tier per customer (missing where only a CLV is given).
    margin_to_date : margin earned so far per customer; unknown (NULL) by default, so the
        lifetime value equals the CLV.
    key : the valuation key to write under.
    """
    clv = pd.Series(clv if clv is not None else {}, dtype=float)
    tiers = pd.Series(tiers if tiers is not None else {}, dtype=object)
    ids = clv.index.union(tiers.index)
    margins = pd.Series(margin_to_date if margin_to_date is not None else {}, dtype=float)
    frame = pd.DataFrame(
        {
            "clv": clv.reindex(ids).fillna(0.0).to_numpy(),
            "margin_to_date": margins.reindex(ids).to_numpy(),
            "probability_alive": np.full(len(ids), np.nan),
            "tier": tiers.reindex(ids).astype(object).to_numpy(),
        },
        index=pd.Index(ids, name="customer_id"),
    )
    values.write(cur, key, HAND_VERSION, frame)
    return key

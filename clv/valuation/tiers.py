"""Value tiers: Platinum / Gold / Silver / Bronze from predicted CLV.

Two ways to set the thresholds, both editable and saved in settings:

- by **quantile** (default): the top 5 % of customers by predicted CLV are Platinum, the
  next 15 % Gold, the next 30 % Silver, the remaining 50 % Bronze;
- by **amount**: a customer is Platinum from ``platinum`` (currency units) of predicted
  CLV, Gold from ``gold``, Silver from ``silver``, Bronze below.

Ties at a quantile threshold all go to the higher tier, so the same value never sits in
two tiers.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

TIERS: tuple[str, ...] = ("Platinum", "Gold", "Silver", "Bronze")


@dataclass(frozen=True)
class TierRule:
    """How to cut tiers.

    Attributes
    ----------
    method : ``"quantile"`` or ``"amount"``.
    platinum, gold, silver : for ``"quantile"``, the share of customers in the tier and
        all tiers above it (0.05, 0.20, 0.50 by default); for ``"amount"``, the lowest
        predicted CLV of the tier.
    """

    method: str = "quantile"
    platinum: float = 0.05
    gold: float = 0.20
    silver: float = 0.50

    def __post_init__(self) -> None:
        if self.method not in ("quantile", "amount"):
            raise ValueError("The tier method must be 'quantile' or 'amount'.")
        if not self.platinum <= self.gold <= self.silver and self.method == "quantile":
            raise ValueError(
                "Cumulative shares must grow from Platinum to Silver (e.g. 5 %, 20 %, 50 %)."
            )
        if self.method == "quantile" and not (self.platinum > 0 and self.silver < 1):
            raise ValueError("Cumulative shares must lie strictly between 0 and 1.")
        if self.method == "amount" and not self.platinum >= self.gold >= self.silver:
            raise ValueError("Amounts must fall from Platinum to Silver (e.g. 1000, 400, 150).")

    def to_dict(self) -> dict[str, object]:
        """JSON-friendly form, for the settings table."""
        return asdict(self)

    @classmethod
    def from_dict(cls, value: dict[str, object] | None) -> TierRule:
        """The rule saved in settings, or the default."""
        return cls(**value) if value else cls()


def thresholds(clv: pd.Series, rule: TierRule) -> dict[str, float]:
    """Lowest predicted CLV of Platinum, Gold and Silver under ``rule``."""
    if rule.method == "amount":
        return {"Platinum": rule.platinum, "Gold": rule.gold, "Silver": rule.silver}
    values = clv.dropna().to_numpy(dtype=float)
    if values.size == 0:
        return {"Platinum": np.inf, "Gold": np.inf, "Silver": np.inf}
    # The value at rank ceil(share x n) from the top: that many customers reach it.
    ordered = np.sort(values)[::-1]
    out = {}
    for tier, share in (("Platinum", rule.platinum), ("Gold", rule.gold), ("Silver", rule.silver)):
        rank = max(int(np.ceil(share * values.size)), 1)
        out[tier] = float(ordered[rank - 1])
    return out


def assign_tiers(clv: pd.Series, rule: TierRule | None = None) -> pd.Series:
    """Tier of each customer (index kept) from their predicted CLV.

    Returns an ordered categorical with categories Platinum, Gold, Silver, Bronze.
    """
    rule = rule or TierRule()
    cut = thresholds(clv, rule)
    tier = np.select(
        [clv >= cut["Platinum"], clv >= cut["Gold"], clv >= cut["Silver"]],
        ["Platinum", "Gold", "Silver"],
        default="Bronze",
    )
    return pd.Series(
        pd.Categorical(tier, categories=list(TIERS), ordered=True), index=clv.index, name="tier"
    )


def tier_table(tiers: pd.Series, clv: pd.Series, revenue: pd.Series) -> pd.DataFrame:
    """Customers, predicted CLV and revenue to date per tier, with shares of the total.

    Returns
    -------
    DataFrame indexed by tier (all four, in order) with columns ``customers``,
    ``customer_share``, ``predicted_clv``, ``clv_share``, ``average_clv``, ``revenue``,
    ``revenue_share``.
    """
    frame = pd.DataFrame({"tier": tiers, "clv": clv, "revenue": revenue})
    grouped = frame.groupby("tier", observed=False).agg(
        customers=("clv", "size"), predicted_clv=("clv", "sum"), revenue=("revenue", "sum")
    )
    grouped = grouped.reindex(list(TIERS), fill_value=0)
    total_customers = grouped["customers"].sum()
    total_clv = grouped["predicted_clv"].sum()
    total_revenue = grouped["revenue"].sum()
    grouped["customer_share"] = grouped["customers"] / total_customers if total_customers else 0.0
    grouped["clv_share"] = grouped["predicted_clv"] / total_clv if total_clv else 0.0
    grouped["revenue_share"] = grouped["revenue"] / total_revenue if total_revenue else 0.0
    grouped["average_clv"] = grouped["predicted_clv"] / grouped["customers"].where(
        grouped["customers"] > 0
    )
    return grouped[
        [
            "customers",
            "customer_share",
            "predicted_clv",
            "clv_share",
            "average_clv",
            "revenue",
            "revenue_share",
        ]
    ]


def tier_movements(previous: pd.Series, current: pd.Series) -> pd.DataFrame:
    """Customers moving between tiers from one period to the next.

    Parameters
    ----------
    previous, current : tier per customer (index = customer_id) at the two dates.
        Customers present only in ``current`` are counted as coming from ``"New"``.

    Returns
    -------
    DataFrame: rows = previous tier (Platinum..Bronze, New), columns = current tier,
    values = customer counts.
    """
    joined = pd.DataFrame({"previous": previous, "current": current}).dropna(subset=["current"])
    joined["previous"] = joined["previous"].astype("object").fillna("New")
    table = pd.crosstab(joined["previous"], joined["current"].astype("object"))
    return table.reindex(index=[*TIERS, "New"], columns=list(TIERS), fill_value=0)

r"""The demo shop: "Maison Lumière", a French online candle shop, generated from known models.

:func:`generate_demo` draws three years of customers, orders, order lines, marketing spend,
NPS answers and support tickets from a seeded random generator. Purchases follow a BG/NBD
process and order values a Gamma-Gamma process with *known* parameters per acquisition
channel, so that fitted models can be checked against the truth (:attr:`DemoData.truth`,
:attr:`DemoData.customer_truth`). :func:`load_demo` writes everything into a
:class:`clv.store.Store` as one import.

Time is measured in **weeks** (days / 7), as in Fader, Hardie & Lee (2005).
The observation window is ``[start 00:00, end + 1 day 00:00)``, timestamps naive UTC.

Acquisition
-----------
Customer ``i`` joins channel ``c`` with probability ``share_c`` (six channels: SEO/contenu,
Meta Ads, Google Ads, Salons professionnels, Parrainage, Newsletter/partenaires). Its day of
acquisition is drawn with weight ``(1 + 0.35 * years_since_start) * season_c(month)``
(more in November and December, fewer in summer; trade-show customers only in the months
of the shows); the time of day is uniform. The first order happens at acquisition
(``t = 0``) and starts the customer's clock: ``T_i`` = weeks from it to the end of the
observation window.

Repeat purchases (BG/NBD)
-------------------------
Per customer, with the channel's ``(r, alpha, a, b)``:

.. math::

    \lambda_i \sim \mathrm{Gamma}(\text{shape } r, \text{rate } \alpha) \text{ (per week)},\qquad
    p_i \sim \mathrm{Beta}(a, b).

While active, repeat purchases arrive as a Poisson process of rate :math:`\lambda_i`
(exponential inter-purchase times). After each *repeat* purchase the customer becomes
inactive with probability :math:`p_i` (the first purchase at ``t = 0`` never ends the
relationship). Equivalently, and this is how it is drawn: the number of repeat purchases
until dropout is :math:`K_i \sim \mathrm{Geometric}(p_i)` on ``{1, 2, ...}``; the Poisson
process gives :math:`N_i \sim \mathrm{Poisson}(\lambda_i T_i)` arrivals, uniform on
``[0, T_i]``; the customer makes the first :math:`\min(K_i, N_i)` of them. When
:math:`K_i \le N_i`, ``dropout_at`` is the time of the :math:`K_i`-th repeat purchase (the
moment the customer truly becomes inactive); otherwise the customer is alive at the end
(``dropout_at`` is NaT). Expected repeat purchases in ``(0, t]``:

.. math::

    E[X(t)] = \frac{a + b - 1}{a - 1}\left[1 - \left(\frac{\alpha}{\alpha + t}\right)^r
    {}_2F_1\!\left(r, b; a + b - 1; \frac{t}{\alpha + t}\right)\right].

A per-customer summary merges orders of the same calendar day, so a repeat purchase that
falls on the same (UTC) day as the customer's previous purchase is **dropped** (not
merged: its amount would break the Gamma-Gamma truth). This removes just under 1 % of
repeat purchases; the count is in ``truth["orders"]["same_day_repeats_dropped"]``, and
``customer_truth.repeat_purchases`` counts the purchases kept. A dropped purchase that was
the customer's last still marks ``dropout_at``.

Order values (Gamma-Gamma, the convention of lifetimes' ``GammaGammaFitter``)
-----------------------------------------------------------------------------
Per customer, with the channel's ``(p, q, gamma)``:

.. math::

    \nu_i \sim \mathrm{Gamma}(\text{shape } q, \text{rate } \gamma),\qquad
    z_{ij} \mid \nu_i \sim \mathrm{Gamma}(\text{shape } p, \text{rate } \nu_i),

so :math:`E[z \mid \nu_i] = p / \nu_i` (``customer_truth.true_mean_spend``) and the
population mean order value is :math:`E[z] = p\gamma / (q - 1)`. Spend is independent of
the purchase process. Every paid customer order, the first one included, has
``net_amount = z`` rounded to the cent.

What counts, and the extra rows
-------------------------------
The truth applies to **orders with status 'paid' and a customer**: the first order and
the kept repeat purchases. ``net_amount = gross_amount - refunded_amount`` for every
status; metrics keep ``status = 'paid'``. ``gross_amount`` is what the customer paid,
*after* any discount; ``discount_amount`` (>= 0, on about 18 % of orders, more for
referral and newsletter customers) is the reduction that was applied on top of it.

- About 1.5 % of paid orders get a partial refund: ``refunded_amount = z * U(0.1, 0.6)``,
  ``gross_amount = z + refunded_amount`` (still ``net_amount = z``, status 'paid').
- Extra rows, *added to* the true purchases (never replacing one): cancelled orders
  (about 2 %, status 'cancelled', nothing refunded) and fully refunded orders (about 1.5 %,
  status 'refunded', ``refunded_amount = gross_amount``), each 1 to 72 hours after one of
  the customer's paid orders, with a value drawn from the same customer's :math:`\nu_i`.
- Guest checkouts (about 1 % of orders, ``customer_id`` empty, ``is_guest`` true, status
  'paid'), part of no customer's history, and a handful of shop test orders (guest,
  status 'test', 1 EUR).

Order lines and cost
--------------------
A catalogue of 25 products in five categories, each category with a fixed cost / price
ratio (margin 45-68 %). An order has 1 to 4 lines (more for larger orders, a single one
under 5 EUR); products are drawn from the channel's category mix, quantities are 1 (80 %),
2 or 3. The order's gross amount is split over its lines in proportion to
``list price * quantity`` (whole cents, the last line takes the rounding remainder), so
lines always sum to ``gross_amount``;
``unit_price = line_amount / quantity`` rounded to the cent. A line's cost is
``line_amount * cost_ratio(category)``; the order's ``cost_amount`` is the sum of its
lines' costs.

Marketing spend
---------------
One row per (first day of month, channel, campaign). For the paid channels the monthly
spend is ``target_CAC * customers acquired that month * LogNormal(0, 0.15)``; the content
budget of SEO is flat within a year; referral rewards are paid per referred customer.

NPS and support tickets
-----------------------
15 % of customers answer one NPS survey 3-14 days after one of their paid orders, with
``score = clip(round(9.0 + 0.9 * s_i - 2.6 * churned_i + N(0, 1.5)), 0, 10)`` where
``s_i`` is the standardised log of ``true_mean_spend`` and ``churned_i`` is 1 when the
customer drops out within the window. Tickets are drawn *conditionally on the dropout*:
a customer who drops out within the window opens tickets with probability 0.2 (the first
about their last order, and more often left open or slow, with bad satisfaction), one
still active with probability 0.06. The ticket process does not change the purchase
process; it makes tickets a real, measurable signal of churn.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from clv.compliance.privacy import pseudonymize

if TYPE_CHECKING:
    from clv.store import Store

DEMO_SOURCE = "demo"
SHOP_NAME = "Maison Lumière"
DEMO_FILE_NAME = "demo: Maison Lumière (generated)"
TRUTH_SETTING = "demo_truth"

_DAY_S = 86_400
_WEEK_S = 7 * _DAY_S

# Channel parameters. BG/NBD in weeks; mean purchase rate r/alpha is one order every
# 3 to 7 months, mean dropout a/(a+b) 0.2 to 0.4. Gamma-Gamma mean p*gamma/(q-1) is
# 45 to 112 EUR. "a" is never exactly 1, where E[X(t)] has a removable singularity.
CHANNELS: dict[str, dict[str, Any]] = {
    "SEO/contenu": {
        "share": 0.24,
        "bgnbd": {"r": 0.9, "alpha": 15.0, "a": 0.9, "b": 3.2},
        "gamma_gamma": {"p": 6.0, "q": 5.0, "gamma": 48.0},
        "target_cac": 8.0,
        "discount_rate": 0.12,
    },
    "Meta Ads": {
        "share": 0.22,
        "bgnbd": {"r": 0.7, "alpha": 17.0, "a": 1.3, "b": 2.6},
        "gamma_gamma": {"p": 5.0, "q": 4.5, "gamma": 35.0},
        "target_cac": 45.0,
        "discount_rate": 0.15,
    },
    "Google Ads": {
        "share": 0.19,
        "bgnbd": {"r": 0.8, "alpha": 15.0, "a": 1.15, "b": 2.9},
        "gamma_gamma": {"p": 5.5, "q": 5.0, "gamma": 44.0},
        "target_cac": 35.0,
        "discount_rate": 0.12,
    },
    "Salons professionnels": {
        "share": 0.06,
        "bgnbd": {"r": 1.5, "alpha": 20.0, "a": 0.7, "b": 2.7},
        "gamma_gamma": {"p": 8.0, "q": 6.0, "gamma": 70.0},
        "target_cac": 120.0,
        "discount_rate": 0.10,
    },
    "Parrainage": {
        "share": 0.13,
        "bgnbd": {"r": 1.2, "alpha": 17.0, "a": 0.8, "b": 3.1},
        "gamma_gamma": {"p": 6.5, "q": 5.5, "gamma": 55.0},
        "target_cac": 15.0,
        "discount_rate": 0.40,
    },
    "Newsletter/partenaires": {
        "share": 0.16,
        "bgnbd": {"r": 0.65, "alpha": 15.0, "a": 1.4, "b": 2.4},
        "gamma_gamma": {"p": 4.5, "q": 4.0, "gamma": 30.0},
        "target_cac": 25.0,
        "discount_rate": 0.30,
    },
}

# Monthly acquisition weights (January first). Candles sell for Christmas, Valentine's
# day and Mother's day (May in France) and poorly in summer.
_SEASON = np.array([0.85, 1.05, 0.95, 0.95, 1.1, 0.8, 0.7, 0.7, 0.95, 1.1, 1.6, 2.0])
# Trade-show customers arrive in the months of the shows only.
_SALONS = {
    1: "Salon Maison&Objet - janvier",
    3: "Salon des métiers d'art - printemps",
    9: "Salon Maison&Objet - septembre",
    11: "Salon Créations & Savoir-faire",
}

# Campaign split of each channel's monthly spend.
_CAMPAIGNS: dict[str, dict[str, float]] = {
    "SEO/contenu": {"Contenus - Blog et guides": 1.0},
    "Meta Ads": {"Prospection - Bougies": 0.65, "Retargeting - Paniers abandonnés": 0.35},
    "Google Ads": {"Shopping - Catalogue": 0.7, "Search - Marque": 0.3},
    "Parrainage": {"Récompenses parrainage": 1.0},
    "Newsletter/partenaires": {
        "Newsletters sponsorisées": 0.6,
        "Partenariats influence": 0.4,
    },
}

CATEGORIES: dict[str, float] = {
    # category -> cost / price
    "Bougies": 0.32,
    "Diffuseurs": 0.42,
    "Recharges": 0.38,
    "Coffrets": 0.50,
    "Accessoires": 0.55,
}

CATALOGUE: list[tuple[str, str, str, float]] = [
    # product_id, name, category, list price (EUR)
    ("MLU-B01", "Bougie parfumée Figue", "Bougies", 32.0),
    ("MLU-B02", "Bougie parfumée Ambre", "Bougies", 32.0),
    ("MLU-B03", "Bougie parfumée Fleur d'oranger", "Bougies", 34.0),
    ("MLU-B04", "Bougie parfumée Bois de cèdre", "Bougies", 34.0),
    ("MLU-B05", "Bougie parfumée Lavande", "Bougies", 29.0),
    ("MLU-B06", "Grande bougie trois mèches Vanille", "Bougies", 58.0),
    ("MLU-B07", "Bougie de voyage Tilleul", "Bougies", 16.0),
    ("MLU-D01", "Diffuseur Ambre", "Diffuseurs", 45.0),
    ("MLU-D02", "Diffuseur Figue", "Diffuseurs", 45.0),
    ("MLU-D03", "Diffuseur Thé noir", "Diffuseurs", 48.0),
    ("MLU-D04", "Diffuseur Néroli", "Diffuseurs", 48.0),
    ("MLU-D05", "Diffuseur électrique céramique", "Diffuseurs", 89.0),
    ("MLU-R01", "Recharge diffuseur Ambre", "Recharges", 28.0),
    ("MLU-R02", "Recharge diffuseur Figue", "Recharges", 28.0),
    ("MLU-R03", "Recharge diffuseur Thé noir", "Recharges", 30.0),
    ("MLU-R04", "Brume d'oreiller Lavande", "Recharges", 22.0),
    ("MLU-R05", "Parfum d'intérieur Néroli", "Recharges", 26.0),
    ("MLU-C01", "Coffret découverte trois bougies", "Coffrets", 69.0),
    ("MLU-C02", "Coffret Noël Épices", "Coffrets", 79.0),
    ("MLU-C03", "Coffret mariage", "Coffrets", 120.0),
    ("MLU-C04", "Coffret fête des mères", "Coffrets", 65.0),
    ("MLU-A01", "Éteignoir en laiton", "Accessoires", 19.0),
    ("MLU-A02", "Coupe-mèche", "Accessoires", 15.0),
    ("MLU-A03", "Plateau en travertin", "Accessoires", 39.0),
    ("MLU-A04", "Allumettes longues", "Accessoires", 6.0),
]

# Category mix of the products bought, per acquisition channel (order of CATEGORIES).
_CATEGORY_MIX: dict[str, tuple[float, ...]] = {
    "SEO/contenu": (0.40, 0.20, 0.20, 0.10, 0.10),
    "Meta Ads": (0.45, 0.15, 0.10, 0.20, 0.10),
    "Google Ads": (0.35, 0.25, 0.20, 0.12, 0.08),
    "Salons professionnels": (0.20, 0.30, 0.15, 0.30, 0.05),
    "Parrainage": (0.40, 0.20, 0.20, 0.12, 0.08),
    "Newsletter/partenaires": (0.45, 0.15, 0.20, 0.10, 0.10),
}

_REPEAT_ORDER_CHANNELS = (("Email/CRM", 0.45), ("Direct", 0.35), (None, 0.20))  # None: same
_COUNTRIES = (("FR", 0.88), ("BE", 0.06), ("CH", 0.03), ("LU", 0.015), ("CA", 0.015))

_RATES = {
    "guest": 0.01,
    "cancelled": 0.02,
    "refunded_full": 0.015,
    "refunded_partial": 0.015,
    "consent_analytics": 0.97,
    "consent_marketing": 0.60,
    "nps_response": 0.15,
    "ticket_if_dropped": 0.20,
    "ticket_if_active": 0.06,
}
_NPS_MODEL = {"intercept": 9.0, "spend": 0.9, "churned": -2.6, "noise_sd": 1.5}
_TICKET_OUTCOMES = {
    # share open (never solved), share solved in 8-30 days, rest solved within 3 days
    "dropped": {"open": 0.25, "slow": 0.35, "bad": 0.5, "good": 0.2},
    "active": {"open": 0.05, "slow": 0.10, "bad": 0.08, "good": 0.6},
}

_COLUMNS: dict[str, list[str]] = {
    "customers": [
        "customer_id",
        "source",
        "source_customer_id",
        "acquisition_channel",
        "first_seen_at",
        "country",
        "consent_analytics",
        "consent_marketing",
    ],
    "orders": [
        "order_id",
        "customer_id",
        "is_guest",
        "ordered_at",
        "status",
        "currency",
        "gross_amount",
        "discount_amount",
        "refunded_amount",
        "net_amount",
        "cost_amount",
        "channel",
        "country",
        "source",
    ],
    "order_lines": [
        "order_id",
        "line_no",
        "product_id",
        "product_name",
        "quantity",
        "unit_price",
        "line_amount",
    ],
    "marketing_spend": ["spend_date", "channel", "campaign", "spend_amount", "currency"],
    "nps_responses": ["response_id", "customer_id", "answered_at", "score", "source"],
    "support_tickets": [
        "ticket_id",
        "customer_id",
        "opened_at",
        "solved_at",
        "status",
        "satisfaction",
        "source",
    ],
}
TABLES: tuple[str, ...] = tuple(_COLUMNS)


@dataclass
class DemoData:
    """The generated demo shop.

    Attributes
    ----------
    customers, orders, order_lines, marketing_spend, nps_responses, support_tickets :
        the canonical tables, with the columns of the store tables (``clv.store``)
        except ``import_id``. Money as float rounded to the cent, timestamps naive UTC.
    truth : JSON-serialisable description of the generating process: seed, dates, per
        channel ``bgnbd`` ``{r, alpha, a, b}`` (weeks), ``gamma_gamma`` ``{p, q, gamma}``,
        expected values, customers and CAC; margin rates; extra-row counts.
    customer_truth : one row per customer: ``customer_id``, ``channel``,
        ``acquired_at``, ``lambda_per_week``, ``p_dropout``, ``dropout_at`` (NaT when
        still active at the end), ``alive_at_end``, ``repeat_purchases`` (paid repeat
        orders kept in the window), ``nu`` (Gamma-Gamma rate), ``true_mean_spend``
        (``p / nu``), ``has_ticket``.
    """

    customers: pd.DataFrame
    orders: pd.DataFrame
    order_lines: pd.DataFrame
    marketing_spend: pd.DataFrame
    nps_responses: pd.DataFrame
    support_tickets: pd.DataFrame
    truth: dict[str, Any]
    customer_truth: pd.DataFrame

    def tables(self) -> dict[str, pd.DataFrame]:
        """The six canonical tables by store table name."""
        return {name: getattr(self, name) for name in TABLES}


def expected_repeat_purchases(t: float, r: float, alpha: float, a: float, b: float) -> float:
    """BG/NBD expected number of repeat purchases in ``(0, t]`` for a new customer.

    Parameters
    ----------
    t : length of the period, in the time unit of ``alpha`` (weeks here).
    r, alpha, a, b : BG/NBD parameters (``a != 1``).

    Returns
    -------
    ``E[X(t)]`` (Fader, Hardie & Lee 2005, equation 7).
    """
    from scipy.special import hyp2f1

    if math.isclose(a, 1.0):
        raise ValueError("E[X(t)] needs a != 1; perturb a slightly (e.g. 1.0001).")
    z = t / (alpha + t)
    return float(
        (a + b - 1) / (a - 1) * (1 - (alpha / (alpha + t)) ** r * hyp2f1(r, b, a + b - 1, z))
    )


def generate_demo(
    seed: int = 7,
    n_customers: int = 20_000,
    start: str = "2023-01-01",
    end: str = "2025-12-31",
    key: bytes = b"demo-key",
) -> DemoData:
    """Generate the demo shop (see the module docstring for the process and formulas).

    Parameters
    ----------
    seed : seed of the random generator; the same seed gives identical frames.
    n_customers : number of customers (each has at least one paid order).
    start, end : first and last day (ISO dates) of the observation window, inclusive.
    key : pseudonymisation key; customer ids are ``pseudonymize(email, key)`` of
        synthetic emails ``client00042@exemple.fr`` that are never returned.

    Returns
    -------
    :class:`DemoData`.
    """
    if n_customers < 1:
        raise ValueError("n_customers must be at least 1; the demo needs customers.")
    t0 = pd.Timestamp(start)
    t_end = pd.Timestamp(end) + pd.Timedelta(days=1)
    if t_end <= t0 + pd.Timedelta(days=7):
        raise ValueError(
            f"The demo window {start} .. {end} is too short; give an end at least a week "
            "after the start."
        )
    start_s = int(t0.value // 1_000_000_000)
    end_s = int(t_end.value // 1_000_000_000)
    n_days = (end_s - start_s) // _DAY_S

    # One independent stream per part, so changing one part leaves the others as they were.
    streams = [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(9)]
    rng_acq, rng_buy, rng_spend, rng_extra, rng_lines, rng_nps, rng_tk, rng_mkt, rng_cust = streams

    names = list(CHANNELS)
    shares = np.array([CHANNELS[c]["share"] for c in names])
    shares = shares / shares.sum()

    # -- acquisition ------------------------------------------------------------------
    days = pd.date_range(t0, periods=n_days, freq="D")
    months = days.month.to_numpy()
    growth = 1 + 0.35 * np.arange(n_days) / 365.25
    channel = np.sort(rng_acq.choice(len(names), size=n_customers, p=shares))
    acq_s = np.empty(n_customers, dtype=np.int64)
    for c, name in enumerate(names):
        if name == "Salons professionnels":
            season = np.isin(months, list(_SALONS)).astype(float)
        else:
            season = _SEASON[months - 1]
        w = growth * season
        idx = np.flatnonzero(channel == c)
        day = rng_acq.choice(n_days, size=idx.size, p=w / w.sum())
        acq_s[idx] = start_s + day * _DAY_S + (rng_acq.random(idx.size) * _DAY_S).astype(np.int64)
    # Customers are numbered in order of arrival.
    order = np.lexsort((channel, acq_s))
    channel, acq_s = channel[order], acq_s[order]
    t_weeks = (end_s - acq_s) / _WEEK_S

    # -- BG/NBD purchases -------------------------------------------------------------
    par = {
        k: np.array([CHANNELS[n]["bgnbd"][k] for n in names])[channel]
        for k in ["r", "alpha", "a", "b"]
    }
    lam = rng_buy.gamma(par["r"], 1.0 / par["alpha"])
    p_drop = np.clip(rng_buy.beta(par["a"], par["b"]), 1e-12, 1.0)
    k_drop = rng_buy.geometric(p_drop)
    n_arrivals = rng_buy.poisson(lam * t_weeks)
    owner = np.repeat(np.arange(n_customers), n_arrivals)
    u = rng_buy.random(owner.size) * t_weeks[owner]
    srt = np.lexsort((u, owner))
    owner, u = owner[srt], u[srt]
    first_of = np.cumsum(n_arrivals) - n_arrivals
    rank = np.arange(owner.size) - first_of[owner]  # 0-based rank within the customer
    made = np.minimum(n_arrivals, k_drop)
    dropped_in_window = k_drop <= n_arrivals
    dropout_s = np.full(n_customers, np.iinfo(np.int64).min, dtype=np.int64)
    at_k = rank == (k_drop[owner] - 1)
    dropout_s[owner[at_k]] = acq_s[owner[at_k]] + (u[at_k] * _WEEK_S).astype(np.int64)
    keep = rank < made[owner]
    rep_owner = owner[keep]
    rep_s = acq_s[rep_owner] + (u[keep] * _WEEK_S).astype(np.int64)

    # Every paid customer order: the first at acquisition, then the repeats (sorted).
    cust_idx = np.concatenate([np.arange(n_customers), rep_owner])
    time_s = np.concatenate([acq_s, rep_s])
    srt = np.lexsort((time_s, cust_idx))
    cust_idx, time_s = cust_idx[srt], time_s[srt]
    day_no = time_s // _DAY_S
    same_day = np.zeros(cust_idx.size, dtype=bool)
    same_day[1:] = (cust_idx[1:] == cust_idx[:-1]) & (day_no[1:] == day_no[:-1])
    n_same_day = int(same_day.sum())
    cust_idx, time_s = cust_idx[~same_day], time_s[~same_day]
    is_first = np.ones(cust_idx.size, dtype=bool)
    is_first[1:] = cust_idx[1:] != cust_idx[:-1]
    repeat_purchases = np.bincount(cust_idx, minlength=n_customers) - 1

    # -- Gamma-Gamma spend ------------------------------------------------------------
    gg = {
        k: np.array([CHANNELS[n]["gamma_gamma"][k] for n in names])[channel]
        for k in ("p", "q", "gamma")
    }
    nu = rng_spend.gamma(gg["q"], 1.0 / gg["gamma"])
    z = rng_spend.gamma(gg["p"][cust_idx], 1.0 / nu[cust_idx])
    net = np.maximum(np.round(z, 2), 0.01)

    # -- customers --------------------------------------------------------------------
    numbers = np.arange(1, n_customers + 1)
    customer_id = np.array(
        [pseudonymize(f"client{i:05d}@exemple.fr", key) for i in numbers], dtype=object
    )
    country_codes = np.array([c for c, _ in _COUNTRIES], dtype=object)
    country = country_codes[
        rng_cust.choice(len(_COUNTRIES), size=n_customers, p=[w for _, w in _COUNTRIES])
    ]
    channel_names = np.array(names, dtype=object)
    customers = pd.DataFrame(
        {
            "customer_id": customer_id,
            "source": DEMO_SOURCE,
            "source_customer_id": [f"MLU-{i:06d}" for i in numbers],
            "acquisition_channel": channel_names[channel],
            "first_seen_at": _ts(acq_s),
            "country": country,
            "consent_analytics": rng_cust.random(n_customers) < _RATES["consent_analytics"],
            "consent_marketing": rng_cust.random(n_customers) < _RATES["consent_marketing"],
        }
    )

    # -- orders -----------------------------------------------------------------------
    n_paid = cust_idx.size
    repeat_channel = rng_extra.choice(3, size=n_paid, p=[w for _, w in _REPEAT_ORDER_CHANNELS])
    order_channel = channel_names[channel[cust_idx]].copy()
    for j, (label, _) in enumerate(_REPEAT_ORDER_CHANNELS):
        if label is not None:
            order_channel[~is_first & (repeat_channel == j)] = label
    partial = rng_extra.random(n_paid) < _RATES["refunded_partial"]
    refund = np.where(
        partial, np.maximum(np.round(net * rng_extra.uniform(0.1, 0.6, n_paid), 2), 0.01), 0.0
    )
    paid = {
        "cust": cust_idx,
        "time": time_s,
        "status": np.full(n_paid, "paid", dtype=object),
        "gross": np.round(net + refund, 2),
        "refunded": refund,
        "channel": order_channel,
        "acq": channel[cust_idx],
    }

    # Cancelled and fully refunded orders: extra rows shortly after a paid order.
    n_cancel = rng_extra.binomial(n_paid, _RATES["cancelled"])
    n_refund = rng_extra.binomial(n_paid, _RATES["refunded_full"])
    base = rng_extra.integers(0, n_paid, size=n_cancel + n_refund)
    extra_time = time_s[base] + rng_extra.integers(3_600, 72 * 3_600, size=base.size)
    extra_cust = cust_idx[base]
    extra_gross = np.maximum(
        np.round(rng_extra.gamma(gg["p"][extra_cust], 1.0 / nu[extra_cust]), 2), 0.01
    )
    extra_status = np.array(["cancelled"] * n_cancel + ["refunded"] * n_refund, dtype=object)
    inside = extra_time < end_s
    extras = {
        "cust": extra_cust[inside],
        "time": extra_time[inside],
        "status": extra_status[inside],
        "gross": extra_gross[inside],
        "refunded": np.where(extra_status == "refunded", extra_gross, 0.0)[inside],
        "channel": order_channel[base][inside],
        "acq": channel[extra_cust][inside],
    }

    # Guest checkouts, spread like acquisitions, with values from a random channel's model.
    n_guest = max(1, int(round(n_paid * _RATES["guest"] / (1 - _RATES["guest"]))))
    w = growth * _SEASON[months - 1]
    g_day = rng_extra.choice(n_days, size=n_guest, p=w / w.sum())
    g_chan = rng_extra.choice(len(names), size=n_guest, p=shares)
    g_par = {
        k: np.array([CHANNELS[n]["gamma_gamma"][k] for n in names])[g_chan]
        for k in ("p", "q", "gamma")
    }
    g_nu = rng_extra.gamma(g_par["q"], 1.0 / g_par["gamma"])
    g_gross = np.maximum(np.round(rng_extra.gamma(g_par["p"], 1.0 / g_nu), 2), 0.01)
    n_test = max(3, n_customers // 4_000)
    t_day = rng_extra.choice(n_days, size=n_test)
    guest_labels = np.array([*names, "Direct"], dtype=object)
    guests = {
        "cust": np.full(n_guest + n_test, -1),
        "time": start_s
        + np.concatenate([g_day, t_day]) * _DAY_S
        + rng_extra.integers(0, _DAY_S, size=n_guest + n_test),
        "status": np.array(["paid"] * n_guest + ["test"] * n_test, dtype=object),
        "gross": np.concatenate([g_gross, np.ones(n_test)]),
        "refunded": np.zeros(n_guest + n_test),
        "channel": np.concatenate(
            [
                guest_labels[rng_extra.choice(len(guest_labels), size=n_guest)],
                np.full(n_test, "Direct", dtype=object),
            ]
        ),
        # Product mix and discount habits of guests follow the channel they came from.
        "acq": np.concatenate([g_chan, np.zeros(n_test, dtype=g_chan.dtype)]),
    }

    parts = [paid, extras, guests]
    o_cust = np.concatenate([x["cust"] for x in parts])
    o_time = np.concatenate([x["time"] for x in parts])
    o_status = np.concatenate([x["status"] for x in parts])
    o_gross = np.concatenate([x["gross"] for x in parts])
    o_refunded = np.concatenate([x["refunded"] for x in parts])
    o_channel = np.concatenate([x["channel"] for x in parts])
    o_acq_channel = np.concatenate([x["acq"] for x in parts])
    # Order numbers follow time, as in a real shop.
    srt = np.lexsort((np.arange(o_time.size), o_time))
    o_cust, o_time, o_status = o_cust[srt], o_time[srt], o_status[srt]
    o_gross, o_refunded, o_channel = o_gross[srt], o_refunded[srt], o_channel[srt]
    o_acq_channel = o_acq_channel[srt]
    n_orders = o_time.size
    is_guest = o_cust < 0
    disc_rate = np.array([CHANNELS[n]["discount_rate"] for n in names])[o_acq_channel]
    discounted = (rng_extra.random(n_orders) < disc_rate) & (o_status != "test")
    pct = rng_extra.choice(np.array([0.10, 0.15, 0.20]), size=n_orders)
    discount = np.where(discounted, np.round(o_gross * pct / (1 - pct), 2), 0.0)
    guest_country = country_codes[
        rng_extra.choice(len(_COUNTRIES), size=n_orders, p=[w for _, w in _COUNTRIES])
    ]
    order_ids = np.array([f"demo:FR-{i:06d}" for i in range(1, n_orders + 1)], dtype=object)

    # -- order lines and cost ----------------------------------------------------------
    lines, cost = _order_lines(rng_lines, order_ids, o_gross, o_acq_channel, names)

    orders = pd.DataFrame(
        {
            "order_id": order_ids,
            "customer_id": np.where(is_guest, None, customer_id[np.maximum(o_cust, 0)]),
            "is_guest": is_guest,
            "ordered_at": _ts(o_time),
            "status": o_status,
            "currency": "EUR",
            "gross_amount": o_gross,
            "discount_amount": discount,
            "refunded_amount": o_refunded,
            "net_amount": np.round(o_gross - o_refunded, 2),
            "cost_amount": cost,
            "channel": o_channel,
            "country": np.where(is_guest, guest_country, country[np.maximum(o_cust, 0)]),
            "source": DEMO_SOURCE,
        }
    )

    # -- marketing spend ----------------------------------------------------------------
    spend, realised_cac = _marketing_spend(rng_mkt, acq_s, channel, names, t0, n_days)

    # -- NPS ----------------------------------------------------------------------------
    churned = dropped_in_window
    true_mean_spend = gg["p"] / nu
    nps = _nps(rng_nps, cust_idx, time_s, customer_id, churned, true_mean_spend, end_s)

    # -- support tickets ------------------------------------------------------------------
    tickets, has_ticket = _tickets(rng_tk, cust_idx, time_s, customer_id, churned, end_s)

    # -- truth -----------------------------------------------------------------------------
    customer_truth = pd.DataFrame(
        {
            "customer_id": customer_id,
            "channel": channel_names[channel],
            "acquired_at": _ts(acq_s),
            "lambda_per_week": lam,
            "p_dropout": p_drop,
            "dropout_at": _ts(dropout_s, missing=~churned),
            "alive_at_end": ~churned,
            "repeat_purchases": repeat_purchases,
            "nu": nu,
            "true_mean_spend": true_mean_spend,
            "has_ticket": has_ticket,
        }
    )
    truth = _truth(
        seed=seed,
        n_customers=n_customers,
        start=start,
        end=end,
        t_end=t_end,
        names=names,
        channel=channel,
        realised_cac=realised_cac,
        lines=lines,
        orders=orders,
        o_acq_channel=o_acq_channel,
        n_same_day=n_same_day,
        n_repeats_drawn=int(rep_s.size),
    )
    return DemoData(
        customers=customers,
        orders=orders,
        order_lines=lines.drop(columns=["cost", "category"]),
        marketing_spend=spend,
        nps_responses=nps,
        support_tickets=tickets,
        truth=truth,
        customer_truth=customer_truth,
    )


def _ts(seconds: np.ndarray, missing: np.ndarray | None = None) -> pd.Series:
    """Seconds since the epoch -> naive timestamps (NaT where ``missing``)."""
    values = np.asarray(seconds, dtype=np.int64).astype("datetime64[s]").astype("datetime64[us]")
    if missing is not None:
        values = values.copy()
        values[missing] = np.datetime64("NaT")
    return pd.Series(values)


def _order_lines(
    rng: np.random.Generator,
    order_ids: np.ndarray,
    gross: np.ndarray,
    acq_channel: np.ndarray,
    names: list[str],
) -> tuple[pd.DataFrame, np.ndarray]:
    """Lines of every order, summing to its gross amount; also each order's cost."""
    n = gross.size
    # Tiny orders keep one line, so that no line rounds to zero cents.
    n_lines = np.where(gross < 5.0, 1, np.clip(1 + rng.poisson(gross / 70.0), 1, 4))
    owner = np.repeat(np.arange(n), n_lines)
    line_no = np.arange(owner.size) - np.repeat(np.cumsum(n_lines) - n_lines, n_lines) + 1
    cat_names = list(CATEGORIES)
    mix = np.cumsum(np.array([_CATEGORY_MIX[c] for c in names]), axis=1)
    mix[:, -1] = 1.0
    cat_of_product = np.array([cat_names.index(p[2]) for p in CATALOGUE])
    members = [np.flatnonzero(cat_of_product == k) for k in range(len(cat_names))]

    def draw(size_owner: np.ndarray) -> np.ndarray:
        u = rng.random(size_owner.size)
        cat = (u[:, None] > mix[acq_channel[size_owner]]).sum(axis=1)
        pick = rng.random(size_owner.size)
        out = np.empty(size_owner.size, dtype=np.int64)
        for k, m in enumerate(members):
            sel = cat == k
            out[sel] = m[(pick[sel] * m.size).astype(np.int64)]
        return out

    product = draw(owner)
    # The same product twice in one order would be one line with a larger quantity.
    for _ in range(6):
        dup = pd.DataFrame({"o": owner, "p": product}).duplicated().to_numpy()
        if not dup.any():
            break
        product[dup] = draw(owner[dup])
    quantity = rng.choice(np.array([1, 2, 3]), size=owner.size, p=[0.8, 0.15, 0.05])
    price = np.array([p[3] for p in CATALOGUE])[product]
    weight = price * quantity
    share = weight / np.bincount(owner, weights=weight, minlength=n)[owner]
    total_cents = np.round(gross * 100).astype(np.int64)
    cents = np.floor(share * total_cents[owner]).astype(np.int64)
    last = line_no == n_lines[owner]
    others = np.bincount(owner, weights=np.where(last, 0, cents), minlength=n).astype(np.int64)
    cents[last] = total_cents[owner[last]] - others[owner[last]]
    line_amount = cents / 100
    cost_ratio = np.array([CATEGORIES[cat_names[k]] for k in cat_of_product])[product]
    line_cost = line_amount * cost_ratio
    order_cost = np.round(np.bincount(owner, weights=line_cost, minlength=n), 2)
    lines = pd.DataFrame(
        {
            "order_id": order_ids[owner],
            "line_no": line_no.astype(np.int64),
            "product_id": np.array([p[0] for p in CATALOGUE], dtype=object)[product],
            "product_name": np.array([p[1] for p in CATALOGUE], dtype=object)[product],
            "quantity": quantity.astype(float),
            "unit_price": np.round(line_amount / quantity, 2),
            "line_amount": line_amount,
            "cost": line_cost,
            "category": np.array(cat_names, dtype=object)[cat_of_product[product]],
        }
    )
    return lines, order_cost


def _marketing_spend(
    rng: np.random.Generator,
    acq_s: np.ndarray,
    channel: np.ndarray,
    names: list[str],
    t0: pd.Timestamp,
    n_days: int,
) -> tuple[pd.DataFrame, dict[str, float]]:
    """Monthly spend per channel and campaign, and the realised CAC per channel."""
    month_start = pd.Series(_ts(acq_s)).dt.to_period("M")
    all_months = pd.period_range(t0, t0 + pd.Timedelta(days=n_days - 1), freq="M")
    counts = pd.crosstab(month_start, pd.Series(np.array(names, dtype=object)[channel])).reindex(
        index=all_months, columns=names, fill_value=0
    )
    rows: list[tuple[Any, str, str, float]] = []
    realised: dict[str, float] = {}
    for name in names:
        target = CHANNELS[name]["target_cac"]
        acquired = counts[name].to_numpy(dtype=float)
        if name == "SEO/contenu":
            # A flat content budget within each year, not a per-click cost.
            years = np.array([p.year for p in all_months])
            budget = np.array([acquired[years == y].mean() for y in years])
            monthly = target * budget * rng.lognormal(0.0, 0.05, len(acquired))
        elif name == "Parrainage":
            monthly = target * acquired  # a fixed reward per referred customer
        else:
            monthly = target * acquired * rng.lognormal(0.0, 0.15, len(acquired))
        monthly = np.round(monthly, 2)
        realised[name] = round(float(monthly.sum() / max(acquired.sum(), 1)), 2)
        for period, total in zip(all_months, monthly, strict=True):
            if total <= 0:
                continue
            if name == "Salons professionnels":
                split = {_SALONS.get(period.month, "Salons - suivi"): 1.0}
            else:
                split = _CAMPAIGNS[name]
            cents = np.floor(np.array(list(split.values())) * total * 100).astype(np.int64)
            cents[-1] = round(total * 100) - cents[:-1].sum()
            for campaign, c in zip(split, cents, strict=True):
                rows.append((period.start_time.date(), name, campaign, c / 100))
    spend = pd.DataFrame(rows, columns=["spend_date", "channel", "campaign", "spend_amount"])
    spend["spend_date"] = pd.to_datetime(spend["spend_date"]).astype("datetime64[s]")
    spend["currency"] = "EUR"
    return spend.sort_values(["spend_date", "channel", "campaign"], ignore_index=True), realised


def _nps(
    rng: np.random.Generator,
    cust_idx: np.ndarray,
    time_s: np.ndarray,
    customer_id: np.ndarray,
    churned: np.ndarray,
    true_mean_spend: np.ndarray,
    end_s: int,
) -> pd.DataFrame:
    """One answer for about 15 % of customers, a few days after one of their orders."""
    n = customer_id.size
    answers = np.flatnonzero(rng.random(n) < _RATES["nps_response"])
    counts = np.bincount(cust_idx, minlength=n)
    first = np.cumsum(counts) - counts
    which = first[answers] + (rng.random(answers.size) * counts[answers]).astype(np.int64)
    answered = time_s[which] + rng.integers(3 * _DAY_S, 14 * _DAY_S, size=answers.size)
    late = answered >= end_s
    # A survey sent after the last order of the window comes in after it: ask after the
    # first order instead, or not at all.
    answered[late] = time_s[first[answers[late]]] + rng.integers(
        3 * _DAY_S, 14 * _DAY_S, size=int(late.sum())
    )
    ok = answered < end_s
    answers, answered = answers[ok], answered[ok]
    log_spend = np.log(true_mean_spend)
    spread = log_spend.std()
    s = (log_spend - log_spend.mean()) / (spread if spread > 0 else 1.0)
    m = _NPS_MODEL
    latent = (
        m["intercept"]
        + m["spend"] * s[answers]
        + m["churned"] * churned[answers]
        + rng.normal(0.0, m["noise_sd"], answers.size)
    )
    score = np.clip(np.round(latent), 0, 10).astype(np.int64)
    srt = np.argsort(answered, kind="stable")
    answers, answered, score = answers[srt], answered[srt], score[srt]
    return pd.DataFrame(
        {
            "response_id": [f"demo-nps-{i:06d}" for i in range(1, answers.size + 1)],
            "customer_id": customer_id[answers],
            "answered_at": _ts(answered),
            "score": score,
            "source": DEMO_SOURCE,
        }
    )


def _tickets(
    rng: np.random.Generator,
    cust_idx: np.ndarray,
    time_s: np.ndarray,
    customer_id: np.ndarray,
    churned: np.ndarray,
    end_s: int,
) -> tuple[pd.DataFrame, np.ndarray]:
    """Support tickets, more frequent and worse handled for customers who drop out."""
    n = customer_id.size
    p_ticket = np.where(churned, _RATES["ticket_if_dropped"], _RATES["ticket_if_active"])
    who = np.flatnonzero(rng.random(n) < p_ticket)
    per = rng.choice(np.array([1, 2, 3]), size=who.size, p=[0.75, 0.2, 0.05])
    owner = np.repeat(who, per)
    k = np.arange(owner.size) - np.repeat(np.cumsum(per) - per, per)
    counts = np.bincount(cust_idx, minlength=n)
    first = np.cumsum(counts) - counts
    last_order = first + counts - 1
    about = first[owner] + (rng.random(owner.size) * counts[owner]).astype(np.int64)
    # A leaving customer's first ticket is about the last order they placed.
    lead = churned[owner] & (k == 0)
    about[lead] = last_order[owner[lead]]
    opened = time_s[about] + rng.integers(_DAY_S, 10 * _DAY_S, size=owner.size)
    dropped = churned[owner]
    outcome = {
        key: np.where(dropped, _TICKET_OUTCOMES["dropped"][key], _TICKET_OUTCOMES["active"][key])
        for key in ("open", "slow", "bad", "good")
    }
    u = rng.random(owner.size)
    is_open = u < outcome["open"]
    slow = ~is_open & (u < outcome["open"] + outcome["slow"])
    delay = np.where(
        slow,
        rng.integers(8 * _DAY_S, 30 * _DAY_S, size=owner.size),
        rng.integers(3_600, 3 * _DAY_S, size=owner.size),
    )
    solved = opened + delay
    is_open |= solved >= end_s
    v = rng.random(owner.size)
    satisfaction = np.where(
        v < outcome["bad"], "bad", np.where(v < outcome["bad"] + outcome["good"], "good", None)
    ).astype(object)
    satisfaction[is_open] = None
    inside = opened < end_s
    owner, opened, solved, is_open, satisfaction = (
        owner[inside],
        opened[inside],
        solved[inside],
        is_open[inside],
        satisfaction[inside],
    )
    srt = np.argsort(opened, kind="stable")
    owner, opened, solved, is_open, satisfaction = (
        owner[srt],
        opened[srt],
        solved[srt],
        is_open[srt],
        satisfaction[srt],
    )
    has_ticket = np.zeros(n, dtype=bool)
    has_ticket[owner] = True
    tickets = pd.DataFrame(
        {
            "ticket_id": [f"demo-tk-{i:06d}" for i in range(1, owner.size + 1)],
            "customer_id": customer_id[owner],
            "opened_at": _ts(opened),
            "solved_at": _ts(solved, missing=is_open),
            "status": np.where(is_open, "open", "solved").astype(object),
            "satisfaction": satisfaction,
            "source": DEMO_SOURCE,
        }
    )
    return tickets, has_ticket


def _truth(
    *,
    seed: int,
    n_customers: int,
    start: str,
    end: str,
    t_end: pd.Timestamp,
    names: list[str],
    channel: np.ndarray,
    realised_cac: dict[str, float],
    lines: pd.DataFrame,
    orders: pd.DataFrame,
    o_acq_channel: np.ndarray,
    n_same_day: int,
    n_repeats_drawn: int,
) -> dict[str, Any]:
    per_channel = np.bincount(channel, minlength=len(names))
    channels: dict[str, Any] = {}
    for c, name in enumerate(names):
        spec = CHANNELS[name]
        bg, gg = spec["bgnbd"], spec["gamma_gamma"]
        channels[name] = {
            "share": spec["share"],
            "customers": int(per_channel[c]),
            "bgnbd": dict(bg),
            "gamma_gamma": dict(gg),
            "mean_purchase_rate_per_week": bg["r"] / bg["alpha"],
            "mean_dropout_probability": bg["a"] / (bg["a"] + bg["b"]),
            "expected_repeat_purchases_52_weeks": expected_repeat_purchases(52.0, **bg),
            "mean_order_value": gg["p"] * gg["gamma"] / (gg["q"] - 1),
            "category_mix": dict(zip(CATEGORIES, _CATEGORY_MIX[name], strict=True)),
            "target_cac": spec["target_cac"],
            "realised_cac": realised_cac[name],
        }
    # Realised margin of the paid customer orders per acquisition channel (it depends on
    # the product mix drawn, so it is an observed value, not a parameter).
    line_cost = lines.groupby("order_id", sort=False)["cost"].sum()
    counted = (orders["status"] == "paid").to_numpy() & ~orders["is_guest"].to_numpy()
    frame = (
        pd.DataFrame(
            {
                "channel": np.array(names, dtype=object)[o_acq_channel[counted]],
                "gross": orders["gross_amount"].to_numpy()[counted],
                "cost": line_cost.reindex(orders["order_id"]).to_numpy()[counted],
            }
        )
        .groupby("channel")[["gross", "cost"]]
        .sum()
    )
    margin_by_channel = {
        name: round(float(1 - frame.loc[name, "cost"] / frame.loc[name, "gross"]), 4)
        for name in names
        if name in frame.index and frame.loc[name, "gross"] > 0
    }
    status_counts = orders["status"].value_counts()
    return {
        "generator": "clv.ingest.demo",
        "shop": SHOP_NAME,
        "seed": int(seed),
        "n_customers": int(n_customers),
        "start": start,
        "end": end,
        "observation_end": t_end.isoformat(),
        "time_unit": "weeks (days / 7); BG/NBD rates per week, T counted from the first order",
        "bgnbd_convention": (
            "lambda ~ Gamma(shape r, rate alpha) per week, p ~ Beta(a, b); dropout after each "
            "repeat purchase with probability p (Fader, Hardie & Lee 2005)"
        ),
        "gamma_gamma_convention": (
            "nu ~ Gamma(shape q, rate gamma), order value z ~ Gamma(shape p, rate nu), "
            "E[z] = p * gamma / (q - 1), as lifetimes' GammaGammaFitter (p, q, v = gamma); "
            "applies to net_amount of every paid customer order, first order included"
        ),
        "counted_orders": "status = 'paid' and customer_id not null (guests excluded)",
        "channels": channels,
        "margin_rate_by_category": {k: round(1 - v, 4) for k, v in CATEGORIES.items()},
        "margin_rate_by_channel_realised": margin_by_channel,
        "rates": dict(_RATES),
        "nps_model": {
            **_NPS_MODEL,
            "formula": "clip(round(intercept + spend * std(log p/nu) + churned * 1[dropout in "
            "window] + N(0, noise_sd)), 0, 10)",
        },
        "ticket_outcomes": {k: dict(v) for k, v in _TICKET_OUTCOMES.items()},
        "orders": {
            "total": int(len(orders)),
            "by_status": {str(k): int(v) for k, v in status_counts.items()},
            "guest": int(orders["is_guest"].sum()),
            "repeat_purchases_drawn": n_repeats_drawn,
            "same_day_repeats_dropped": n_same_day,
        },
    }


def write_truth(data: DemoData, path: Path) -> None:
    """Write ``data.truth`` as indented UTF-8 JSON to ``path``."""
    Path(path).write_text(
        json.dumps(data.truth, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )


def load_demo(
    store: Store,
    *,
    seed: int = 7,
    n_customers: int = 20_000,
    key: bytes,
) -> dict[str, int]:
    """Generate the demo shop and write it into ``store`` as one import.

    Everything happens in one transaction: an ``imports`` row (kind ``"demo"``), the six
    canonical tables (upserted by natural key) and the truth as JSON in the ``settings``
    table under ``"demo_truth"``.

    Parameters
    ----------
    store : the open :class:`clv.store.Store`.
    seed, n_customers : passed to :func:`generate_demo`.
    key : pseudonymisation key of the store (customer ids are keyed hashes).

    Returns
    -------
    Rows written per table name (the generated rows, new or replacing older ones).
    """
    from clv.store import UpsertCounts, upsert_table

    data = generate_demo(seed=seed, n_customers=n_customers, key=key)
    tables = data.tables()
    rows = {name: int(len(frame)) for name, frame in tables.items()}
    with store.transaction() as cur:
        import_id = int(cur.execute("SELECT nextval('import_id_seq')").fetchone()[0])
        total = UpsertCounts()
        for name, frame in tables.items():
            total += upsert_table(cur, name, frame, import_id)
        cur.execute(
            "INSERT INTO imports (import_id, file_name, sha256, kind, source_preset, rows_read, "
            "rows_loaded, rows_updated, rows_unchanged, rows_rejected, notes, imported_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)",
            [
                import_id,
                DEMO_FILE_NAME,
                f"demo-seed-{seed}-{n_customers}",
                "demo",
                "demo",
                sum(rows.values()),
                total.loaded,
                total.updated,
                total.unchanged,
                f"Generated demo data (seed {seed}, {n_customers} customers); the true model "
                f"parameters are in the setting '{TRUTH_SETTING}'.",
                datetime.now(UTC).replace(tzinfo=None),
            ],
        )
        cur.execute("DELETE FROM settings WHERE key = ?", [TRUTH_SETTING])
        cur.execute(
            "INSERT INTO settings (key, value) VALUES (?, ?)",
            [TRUTH_SETTING, json.dumps(data.truth)],
        )
    return rows

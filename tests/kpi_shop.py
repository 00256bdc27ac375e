"""The small hand-made shop of the KPI tests, and a store built from hand-written rows."""

from __future__ import annotations

import pandas as pd

from clv.store import Store, upsert_table


def hand_store(path, orders, customers=(), spend=(), nps=(), tickets=()):
    """A store holding hand-written rows (amounts as in the tuples, no discounts or refunds)."""
    frame = pd.DataFrame(
        orders,
        columns=[
            "order_id",
            "customer_id",
            "ordered_at",
            "status",
            "net_amount",
            "cost_amount",
            "channel",
        ],
    )
    frame["ordered_at"] = pd.to_datetime(frame["ordered_at"])
    frame["gross_amount"] = frame["net_amount"]
    frame["discount_amount"] = 0.0
    frame["refunded_amount"] = 0.0
    frame["is_guest"] = frame["customer_id"].isna()
    frame["source"] = "test"
    tables = {"orders": frame}
    if customers:
        tables["customers"] = pd.DataFrame(
            customers, columns=["customer_id", "acquisition_channel"]
        )
    if spend:
        s = pd.DataFrame(spend, columns=["spend_date", "channel", "campaign", "spend_amount"])
        s["spend_date"] = pd.to_datetime(s["spend_date"])
        tables["marketing_spend"] = s
    if nps:
        n = pd.DataFrame(nps, columns=["response_id", "customer_id", "answered_at", "score"])
        n["answered_at"] = pd.to_datetime(n["answered_at"])
        tables["nps_responses"] = n
    if tickets:
        t = pd.DataFrame(tickets, columns=["ticket_id", "customer_id", "opened_at", "solved_at"])
        t["opened_at"] = pd.to_datetime(t["opened_at"])
        t["solved_at"] = pd.to_datetime(t["solved_at"])
        tables["support_tickets"] = t
    store = Store(path, pseudonym_key=b"k", memory_limit="256MB", threads=1)
    with store.transaction() as cur:
        for name, table in tables.items():
            upsert_table(cur, name, table, 1)
    return store


# A small shop, observed to 2024-04-30 (the day of the latest order, any status).
# Acquisition channels after the aliases {"facebook": "Meta Ads", "google ads": "Google Ads"}:
#   A  customers row "facebook"        -> Meta Ads   first order 2024-01-10 (Jan cohort)
#   B  customers row "Meta Ads"        -> Meta Ads   first order 2024-01-20 (Jan)
#   C  no customers row, first order "Google Ads"    -> Google Ads, 2024-02-03 (Feb)
#   D  customers row without channel, first order " google ADS " -> Google Ads, 2024-02-10 (Feb)
#   E  customers row "Newsletter" (first order "Email")           -> Newsletter, 2024-03-15 (Mar)
#   I  no customers row, first order "FaceBook"                   -> Meta Ads, 2024-03-20 (Mar)
#   J  customers row "Meta Ads" but no paid order: never a new customer.
#   F  only cancelled orders: not a customer. The guest order counts for nobody.
# Margin per order: net - cost, or net x 0.5 for a3 (no cost) when the rate is 0.5.
ORDERS = [
    # order, customer, time, status, net, cost, channel
    ("a1", "A", "2024-01-10 10:00", "paid", 100, 60, "Web"),  # margin 40
    ("a2", "A", "2024-02-15 10:00", "paid", 50, 20, "Email"),  # 30
    ("a3", "A", "2024-04-01 09:00", "paid", 200, None, "Email"),  # 100 at rate 0.5
    ("a4", "A", "2024-04-01 15:00", "paid", 20, 10, "Email"),  # 10
    ("b1", "B", "2024-01-20 10:00", "paid", 60, 40, "Web"),  # 20
    ("b2", "B", "2024-03-05 10:00", "paid", 100, 50, "Web"),  # 50
    ("b3", "B", "2024-03-20 10:00", "refunded", 999, 0, "Web"),  # never counted
    ("c1", "C", "2024-02-03 10:00", "paid", 200, 150, "Google Ads"),  # 50
    ("c2", "C", "2024-04-10 10:00", "paid", 40, 20, "Direct"),  # 20
    ("d1", "D", "2024-02-10 10:00", "paid", 40, 10, " google ADS "),  # 30
    ("d2", "D", "2024-02-25 10:00", "paid", 30, 10, "Direct"),  # 20
    ("e1", "E", "2024-03-15 10:00", "paid", 70, 35, "Email"),  # 35
    ("i1", "I", "2024-03-20 10:00", "paid", 250, 100, "FaceBook"),  # 150
    ("g1", None, "2024-01-15 10:00", "paid", 500, 100, "Web"),  # guest
    ("f1", "F", "2024-01-05 10:00", "cancelled", 80, 40, "Meta Ads"),
    ("f2", "F", "2024-04-30 18:00", "cancelled", 80, 40, "Meta Ads"),  # sets the end
]
CUSTOMERS = [
    ("A", "facebook"),
    ("B", "Meta Ads"),
    ("D", None),
    ("E", "Newsletter"),
    ("J", "Meta Ads"),
]
ALIASES = {"facebook": "Meta Ads", "google ads": "Google Ads"}

# Value tiers of the hand-made customers, for the per-tier figures.
TIERS = pd.Series(
    pd.Categorical(
        ["Gold", "Bronze", "Gold", "Bronze", "Bronze"],
        categories=["Platinum", "Gold", "Silver", "Bronze"],
        ordered=True,
    ),
    index=["A", "B", "C", "D", "E"],
)

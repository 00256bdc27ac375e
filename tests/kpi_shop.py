"""A store of hand-written rows, shared by the KPI tests (each keeps its own rows)."""

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

"""Residents' participation facts the relay hands to the desktop through the ordinary pull cursor.

* A household's **registration** (an account created with its code) becomes a resident item of kind
  ``registration`` written in the same transaction as the account, so the desktop learns which households are
  registered in which area and since when (the reach of an area notice). Its payload is
  ``{"registered_at": <UTC ISO>}``; the item's ``household_id``/``area``/``created_at`` say the rest.
* An account **closed** by its resident becomes an item of kind ``unregistration`` (payload
  ``{"unregistered_at": <UTC ISO>}``), so the desktop stops counting the household as registered from then on.
* **Points** earned by an item ride in that item's payload (``points``), e.g. an odor report: 10 with a photo
  or a meter reading, 5 without. The relay's ``points`` table keeps the per-account ledger.

A relay that ran before registration items existed gets one per registered resident account at start
(:func:`backfill_registrations`), marked ``backfilled`` and stamped with the start time: the registration time
is unknown, so the household counts as registered from then on (notices sent earlier do not count it).

Old desktops keep working: they store unknown kinds in their inbox without a handler and ignore extra
payload fields.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection, insert, select

from sync.protocol import REGISTRATION, UNREGISTRATION, new_event_id
from sync.relay import tables as T


def odor_report_points(has_evidence: bool) -> int:
    """Points for an odor report: 10 with a photo or a meter reading, else 5."""
    return 10 if has_evidence else 5


def _participation_item(c: Connection, kind: str, site_id: int, household_id: str, area: str, account_id: int,
                        payload: dict, now: str) -> None:
    if c.dialect.name == "postgresql":  # seq visible in commit order (see app._resident_item)
        c.exec_driver_sql("SELECT pg_advisory_xact_lock(58700)")
    c.execute(insert(T.resident_items).values(
        event_id=new_event_id(), site_id=site_id, kind=kind, household_id=household_id, account_id=account_id,
        area=area, payload=json.dumps(payload), status="submitted", created_at=now))


def record_registration(c: Connection, household: Any, account_id: int, now: str) -> None:
    """Write the ``registration`` resident item of ``household`` (a ``households`` row) on ``c``."""
    _participation_item(c, REGISTRATION, household["site_id"], household["id"], household["area"], account_id,
                        {"registered_at": now}, now)


def record_unregistration(c: Connection, acct: Any, now: str) -> None:
    """Write the ``unregistration`` resident item of the resident account ``acct`` (closed now) on ``c``."""
    _participation_item(c, UNREGISTRATION, acct["site_id"], acct["household_id"], acct["area"], acct["id"],
                        {"unregistered_at": now}, now)


def backfill_registrations(c: Connection, now: str) -> int:
    """Write a ``registration`` item for every resident account that has none; returns how many were written."""
    has_item = select(T.resident_items.c.account_id).where(T.resident_items.c.kind == REGISTRATION)
    rows = c.execute(select(T.accounts.c.id.label("account_id"), T.households.c.id, T.households.c.site_id,
                            T.households.c.area)
                     .join(T.households, T.households.c.id == T.accounts.c.household_id)
                     .where(T.accounts.c.role == "resident", T.accounts.c.id.not_in(has_item))
                     .order_by(T.accounts.c.id)).mappings().all()
    if rows and c.dialect.name == "postgresql":
        c.exec_driver_sql("SELECT pg_advisory_xact_lock(58700)")
    for r in rows:
        c.execute(insert(T.resident_items).values(
            event_id=new_event_id(), site_id=r["site_id"], kind=REGISTRATION, household_id=r["id"],
            account_id=r["account_id"], area=r["area"],
            payload=json.dumps({"registered_at": None, "backfilled": True}), status="submitted", created_at=now))
    return len(rows)

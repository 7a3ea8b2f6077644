"""A resident's own side of the relay: the home card (``GET /c/me``), what the account has sent and where
it stands (``GET /c/items``, ``GET /c/items/{id}``), and closing the account (``DELETE /c/me``).

The plan's 小程序 opens on a home page (safety score, meter entry, drill tasks) and has a 我的 page; a
resident who reported an odor or called for help wants to see that it was received and how far the crew
has got. The status of an item moves as the dispatch desktop's ticket moves (``ticket.progress`` /
``order.status`` pushes, forward only: submitted → accepted → scheduled → in_progress → done → closed).
Only the account's own items are listed; nothing of other households, and no staff notes.

``DELETE /c/me`` closes the account (the resident moves out, or withdraws consent under the Personal
Information Protection Law): with the password given again, the username and password, the points and the
household's meter readings (with the meter photos the account sent for them) are deleted (the account row stays, emptied, so its id is never reused); the
reports, help calls and orders sent stay with the gas company as safety records (they name the household,
not the person, and a report may still be in hand). An ``unregistration`` item
tells the dispatch desktop the household is no longer reachable through the relay; the gas company issues a
new household code for whoever lives there next, who does not see the items of the account closed.
"""

# no ``from __future__ import annotations``: FastAPI reads the routes' ``Resident`` annotation at runtime

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel, Field
from sqlalchemy import delete, func, select, update

from sync.protocol import utc_now
from sync.relay import tables as T
from sync.relay.participation import record_unregistration
from sync.relay.security import verify_password

#: what a resident sends, as ``kind`` in the listing (registration is the relay's own bookkeeping)
SENT_KINDS = ("odor_report", "help_call", "service_order", "safety_check", "alarm_ack")
#: statuses an item is still open in (the household may still hear from the gas company about it)
OPEN_STATUSES = ("submitted", "accepted", "scheduled", "in_progress")
#: payload fields that are the relay's or the desktop's, not the resident's
_INTERNAL = ("photos", "notification_event_id")
#: the role of a closed account: no login, no token accepted; its username becomes CLOSED_PREFIX + its id
CLOSED = "closed"
CLOSED_PREFIX = "closed:"


def check_username(name: str) -> str:
    """A username an account may take: not one of the names closed accounts are given (pydantic validator)."""
    if name.startswith(CLOSED_PREFIX):
        raise ValueError(f"usernames starting with {CLOSED_PREFIX!r} are reserved for closed accounts")
    return name


class CloseBody(BaseModel):
    """Closing an account asks for its password again (a token left on a shared phone is not enough)."""

    password: str = Field(min_length=1, max_length=200)


def _utc(text: str) -> datetime:
    """A stored UTC time; one without a zone is taken as UTC, an unreadable one as long ago."""
    try:
        t = datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return datetime.min.replace(tzinfo=UTC)
    return t if t.tzinfo else t.replace(tzinfo=UTC)


def item_view(row: Any) -> dict:
    """One resident item as its sender sees it: id, kind, status, time, what was sent (photos counted)."""
    payload = json.loads(row["payload"])
    photos = payload.get("photos") or []
    return {"id": row["seq"], "kind": row["kind"], "status": row["status"], "created_at": row["created_at"],
            "photos": len(photos), **{k: v for k, v in payload.items() if k not in _INTERNAL}}


def add_resident_home_routes(app: FastAPI, engine: Any, Resident: Any,  # noqa: ANN401, N803
                             page: Callable[[int, int], tuple[int, int]], api_error: type[Exception]) -> None:
    """``GET /c/me``, ``DELETE /c/me``, ``GET /c/items`` and ``GET /c/items/{id}`` for resident accounts."""

    def _own(acct: dict) -> tuple:
        # the account's, not the household's: the next resident of a flat does not see the last one's
        return (T.resident_items.c.account_id == acct["id"], T.resident_items.c.site_id == acct["site_id"],
                T.resident_items.c.kind.in_(SENT_KINDS))

    @app.get("/c/me")
    def me(acct: Resident) -> dict:
        """The home card: who and where, points, the last safety check, the last meter reading, what is
        still open, and the area's notices of the last 7 days (drill invitations among them)."""
        week_ago = datetime.now(UTC) - timedelta(days=7)
        with engine.connect() as c:
            site = c.execute(select(T.sites.c.name).where(T.sites.c.id == acct["site_id"])).scalar() or ""
            points = c.execute(select(func.coalesce(func.sum(T.points.c.points), 0))
                               .where(T.points.c.account_id == acct["id"])).scalar()
            check = c.execute(select(T.resident_items.c.payload, T.resident_items.c.created_at)
                              .where(*_own(acct), T.resident_items.c.kind == "safety_check")
                              .order_by(T.resident_items.c.seq.desc()).limit(1)).first()
            reading = c.execute(select(T.meter_readings)
                                .where(T.meter_readings.c.household_id == acct["household_id"],
                                       T.meter_readings.c.value.is_not(None))
                                .order_by(T.meter_readings.c.taken_at.desc()).limit(1)).mappings().first()
            open_items = c.execute(select(T.resident_items.c.kind, func.count())
                                   .where(*_own(acct), T.resident_items.c.status.in_(OPEN_STATUSES),
                                          T.resident_items.c.kind.in_(("odor_report", "help_call", "service_order")))
                                   .group_by(T.resident_items.c.kind)).all()
            latest = c.execute(select(T.notifications.c.kind, T.notifications.c.id, T.notifications.c.title,
                                      T.notifications.c.created_at)
                               .where(T.notifications.c.area == acct["area"],
                                      T.notifications.c.site_id == acct["site_id"],
                                      T.notifications.c.withdrawn.is_(False))
                               .order_by(T.notifications.c.id.desc()).limit(100)).mappings().all()
        # times come as the desktop wrote them (UTC ISO 8601, "Z" or "+00:00"): compared as times, not text
        recent = [r for r in latest if _utc(r["created_at"]) >= week_ago]
        safety = None
        if check is not None:
            p = json.loads(check.payload)
            safety = {"score": p.get("score"), "fixes": p.get("fixes", []), "checked_at": check.created_at}
        last = None if reading is None else {
            "value": reading["value"], "unit": reading["unit"], "taken_at": reading["taken_at"],
            "needs_review": bool(reading["needs_review"]), "source": reading["source"]}
        return {"username": acct["username"], "household_id": acct["household_id"], "area": acct["area"],
                "site": site, "points": int(points), "safety_check": safety, "last_meter_reading": last,
                "open_items": {k: n for k, n in open_items},
                "notices_last_7_days": len(recent),
                "drill_invitations": [{"id": r["id"], "title": r["title"], "created_at": r["created_at"]}
                                      for r in recent if r["kind"] == "drill.invitation"]}

    @app.delete("/c/me")
    def close_account(body: CloseBody, acct: Resident) -> dict:
        """Close the account: login, points, the household's meter readings and their photos deleted, safety records kept,
        the desktop told (``unregistration``). A wrong password changes nothing."""
        if not verify_password(body.password, acct["password_hash"]):
            raise api_error(403, "bad_credentials", "the password does not match this account: nothing was deleted")
        with engine.begin() as c:
            readings = c.execute(delete(T.meter_readings)
                                 .where(T.meter_readings.c.household_id == acct["household_id"])).rowcount
            # the meter photos the account sent for a reading go with the readings (the reading items too:
            # a desktop that has not pulled them yet never receives them); an odor report's photos stay
            ri = T.resident_items
            own_readings = (ri.c.account_id == acct["id"], ri.c.kind == "meter_reading")
            photos = c.execute(delete(T.photos).where(
                T.photos.c.event_id.in_(select(ri.c.event_id).where(*own_readings)))).rowcount
            c.execute(delete(ri).where(*own_readings))
            c.execute(delete(T.points).where(T.points.c.account_id == acct["id"]))
            record_unregistration(c, acct, utc_now())
            # the row stays, emptied, so its id is never given to another account (the items it sent keep
            # pointing at a closed account, not at whoever registers next)
            c.execute(update(T.accounts).where(T.accounts.c.id == acct["id"]).values(
                username=f"{CLOSED_PREFIX}{acct['id']}", password_hash="!", role=CLOSED, household_id=None, area=None))
        return {"closed": True, "username": acct["username"], "meter_readings_deleted": readings,
                "meter_photos_deleted": photos,
                "kept": "reports, help calls, safety checks and orders sent, as the gas company's safety records"}

    @app.get("/c/items")
    def my_items(acct: Resident, kind: str | None = None, limit: int = 20, offset: int = 0) -> dict:
        """What the household has sent, newest first (``kind=`` one of SENT_KINDS), with its status."""
        limit, offset = page(limit, offset)
        if kind is not None and kind not in SENT_KINDS:
            raise api_error(422, "invalid_request", f"kind must be one of {', '.join(SENT_KINDS)}, not {kind!r}")
        q = select(T.resident_items).where(*_own(acct))
        if kind is not None:
            q = q.where(T.resident_items.c.kind == kind)
        with engine.connect() as c:
            total = c.execute(select(func.count()).select_from(q.subquery())).scalar()
            rows = c.execute(q.order_by(T.resident_items.c.seq.desc()).limit(limit).offset(offset)).mappings().all()
        return {"total": total, "items": [item_view(r) for r in rows]}

    @app.get("/c/items/{item_id}")
    def my_item(item_id: int, acct: Resident) -> dict:
        """One item the household sent; another household's id answers 404 like a missing one."""
        with engine.connect() as c:
            r = c.execute(select(T.resident_items).where(T.resident_items.c.seq == item_id, *_own(acct))
                          ).mappings().first()
        if r is None:
            raise api_error(404, "not_found", f"item {item_id} not found")
        return item_view(r)

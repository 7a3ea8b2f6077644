"""Wire models shared by the desktop client and the relay (pydantic v2)."""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, Field

#: Kinds the desktop pushes (dispatch room is authoritative for these).
DESKTOP_KINDS = frozenset({
    "notification",      # area notice: {area, title, body, level?}
    "alarm.status",      # alarm state residents may see: {area, alarm_id, state, title}
    "ticket.progress",   # {ticket_id, status, area?, household_id?, note?}
    "drill.invitation",  # {area, title, starts_at}
    "household.code",    # {household_id, area, code} issued by the property office
    "order.status",      # {order_id, status, note?} forward-only
    "tombstone",         # {target_kind, target_id} withdraws a notice
})

#: Kinds residents originate (pulled by the desktop through the cursor).
RESIDENT_KINDS = frozenset({
    "odor_report", "help_call", "meter_reading", "alarm_ack", "safety_check", "service_order",
    "registration",  # a household registered its account (relay-written; sync/relay/participation.py)
    "unregistration",  # a resident closed the account (relay-written, DELETE /c/me)
})
REGISTRATION = "registration"
UNREGISTRATION = "unregistration"


def utc_now() -> str:
    """Now as the relay stores times: UTC ISO 8601 to the second, ``Z``-suffixed."""
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def new_event_id() -> str:
    """A UUIDv7-like id: 48-bit ms timestamp then 80 random bits, hex with dashes (sortable by time)."""
    ms = int(time.time() * 1000)
    raw = ms.to_bytes(6, "big") + os.urandom(10)
    b = bytearray(raw)
    b[6] = (b[6] & 0x0F) | 0x70
    b[8] = (b[8] & 0x3F) | 0x80
    h = b.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


class PushItem(BaseModel):
    """One outbox row as sent to the relay."""

    event_id: str = Field(min_length=8, max_length=64)
    kind: str = Field(min_length=1, max_length=40)
    payload: dict[str, Any]
    created_at: str


class PushBatch(BaseModel):
    """A batch; ``batch_id`` is the idempotency key of the whole request."""

    batch_id: str = Field(min_length=8, max_length=64)
    items: list[PushItem] = Field(max_length=500)


class PushResult(BaseModel):
    """Per-item outcome: accepted (new), duplicate (already stored) or rejected with a reason."""

    accepted: list[str] = []
    duplicate: list[str] = []
    rejected: dict[str, str] = {}


class PullItem(BaseModel):
    """A resident-originated item; ``seq`` is the relay's monotonically increasing cursor."""

    seq: int
    event_id: str
    kind: str
    household_id: str
    area: str
    payload: dict[str, Any]
    created_at: str


class PullPage(BaseModel):
    items: list[PullItem]
    cursor: int
    more: bool

"""Which households of an area had a registration code issued (已发码) and which had registered on the relay
(已注册) at a given time, from the desktop's sync tables (Qt-free, no schema of its own).

* issued: ``outbox`` rows of kind ``household.code`` (``{household_id, area}``, by their creation time);
* registered: pulled ``inbox`` items of kind ``registration`` (the relay writes one when a household's account is
  created; ``household_id``, ``area``, ``created_at``), until an item of kind ``unregistration`` (the resident
  closed the account) takes the household out of every area.

A household counts in the area of its latest issue / registration at or before the time asked for, so a code
re-issued to another area moves the household instead of counting it twice.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field

from engine.simulate import parse_time as epoch  # ISO 8601 (``Z`` or an offset) → UTC epoch seconds
from sync.protocol import REGISTRATION, UNREGISTRATION


def _safe_epoch(iso: object) -> float | None:
    try:
        return epoch(str(iso)) if iso else None
    except ValueError:
        return None


@dataclass
class _History:
    """household -> [(time, order, area)] sorted by time, then order (the relay's sequence); area "" = none."""

    events: dict[str, list[tuple[float, int, str]]] = field(default_factory=lambda: defaultdict(list))

    def add(self, household: str, t: float, area: str, order: int = 0) -> None:
        self.events[household].append((t, order, area))

    def count(self, area: str, at: float) -> int:
        return len(self.households(area, at))

    def households(self, area: str, at: float) -> set[str]:
        return {h for h, evs in self.events.items()
                if (seen := [a for t, _o, a in evs if t <= at]) and seen[-1] == area}

    def sort(self) -> None:
        for evs in self.events.values():
            evs.sort()


@dataclass
class Registry:
    issued: _History
    registered: _History

    def issued_count(self, area: str, at: float) -> int:
        """Households of ``area`` holding an issued code at ``at`` (UTC epoch s)."""
        return self.issued.count(area, at)

    def registered_count(self, area: str, at: float) -> int:
        """Households of ``area`` registered on the relay at ``at`` (UTC epoch s)."""
        return self.registered.count(area, at)

    def registered_households(self, area: str, at: float) -> set[str]:
        return self.registered.households(area, at)


def load_registry(conn) -> Registry:  # noqa: ANN001
    """Read the registry from an open store connection (``store.read()``)."""
    issued, registered = _History(), _History()
    for payload, created in conn.exec_driver_sql(
            "SELECT payload, created_at FROM outbox WHERE kind='household.code'").all():
        p = json.loads(payload)
        t = _safe_epoch(created)
        if t is not None and p.get("household_id"):
            issued.add(str(p["household_id"]), t, str(p.get("area", "")))
    for kind, payload in conn.exec_driver_sql("SELECT kind, payload FROM inbox WHERE kind IN (?, ?)",
                                              (REGISTRATION, UNREGISTRATION)).all():
        item = json.loads(payload)
        t = _safe_epoch(item.get("created_at"))
        if t is not None and item.get("household_id"):
            area = str(item.get("area", "")) if kind == REGISTRATION else ""
            seq = item.get("seq")
            registered.add(str(item["household_id"]), t, area, seq if isinstance(seq, int) else 0)
    issued.sort()
    registered.sort()
    return Registry(issued, registered)


def acknowledgers(conn, event_ids: set[str]) -> dict[str, set[str]]:  # noqa: ANN001
    """Per notice or invitation of ``event_ids`` (outbox event ids): the distinct households whose
    acknowledgement (or drill check-in, also an ``alarm_ack``) the desktop has pulled back."""
    seen: dict[str, set[str]] = {i: set() for i in event_ids}
    for (payload,) in conn.exec_driver_sql("SELECT payload FROM inbox WHERE kind='alarm_ack'").all():
        item = json.loads(payload)
        ref = (item.get("payload") or {}).get("notification_event_id")
        if ref in seen:
            seen[ref].add(str(item.get("household_id", "")))
    return seen

"""From an alarm card to a pre-filled ticket in one action, and who is the nearest crew.

``DispatchService.draft(alarm_id)`` reads the alarm's interval and proposes the ticket: title, kind and
SOP, area, location (interval centre), the interval with its length and confidence, and the crew to send.
"Nearest" is measured from each crew member's last known position (``crew_positions``: set when they
arrive at a ticket or report it from crew mode) to the interval centre; crew with an open ticket come after
free crew, and crew with no known position come last (there is no live GPS feed).
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import func, select

from anran_desktop.services.events import AlarmService, AlarmView
from anran_desktop.services.leak_title import interval_parts
from anran_desktop.services.ticket_evidence import TicketEvidenceService, sop_for
from anran_desktop.services.tickets import TicketCard, TicketService, WorkflowError
from anran_desktop.services.users import UserService
from anran_desktop.store import Store, utc_now
from anran_desktop.store.audit import append_audit
from engine.network import Network

#: Alarm kind → ticket kind (and so its SOP).
TICKET_KIND = {"leak_suspected": "leak", "leak": "leak", "threshold": "leak", "resident_report": "odor",
               "odor": "odor", "help": "help", "sensor_fault": "sensor_fault", "drill": "drill"}


@dataclass(frozen=True)
class CrewSuggestion:
    username: str
    display_name: str
    distance_m: float | None
    open_tickets: int


@dataclass(frozen=True)
class TicketDraft:
    alarm_id: str
    title: str
    kind: str
    sop_title: str
    area: str
    location: dict
    interval: dict
    priority: int
    is_drill: bool
    crew: tuple[CrewSuggestion, ...]

    @property
    def assignee(self) -> str:
        return self.crew[0].username if self.crew else ""


def _distance_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    k = math.pi / 180.0
    x = (lon2 - lon1) * k * math.cos((lat1 + lat2) * k / 2)
    y = (lat2 - lat1) * k
    return 6_371_000.0 * math.hypot(x, y)


class CrewService:
    """Crew members' last known positions and how busy they are."""

    def __init__(self, store: Store, users: UserService) -> None:
        self.store = store
        self.users = users

    def set_position(self, username: str, lon: float, lat: float, source: str, conn=None) -> None:  # noqa: ANN001
        from sqlalchemy.dialects.sqlite import insert

        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise ValueError(f"position ({lon}, {lat}) is not a lon/lat pair")
        now = utc_now()
        stmt = insert(self.store.t.crew_positions).values(username=username, lon=lon, lat=lat, time=now,
                                                          source=source)
        stmt = stmt.on_conflict_do_update(index_elements=["username"],
                                          set_={"lon": lon, "lat": lat, "time": now, "source": source})
        if conn is not None:
            conn.execute(stmt)
            return
        with self.store.begin() as c:
            c.execute(stmt)

    def position(self, username: str) -> tuple[float, float] | None:
        t = self.store.t.crew_positions
        with self.store.read() as c:
            r = c.execute(select(t.c.lon, t.c.lat).where(t.c.username == username)).first()
        return (r.lon, r.lat) if r else None

    def suggest(self, lon: float | None, lat: float | None) -> list[CrewSuggestion]:
        """Active crew, best first: free before busy, then nearest, unknown position last."""
        t, p = self.store.t.tickets, self.store.t.crew_positions
        with self.store.read() as c:
            busy = dict(c.execute(select(t.c.assignee, func.count()).where(t.c.status != "closed",
                                                                            t.c.assignee.is_not(None))
                                  .group_by(t.c.assignee)).fetchall())
            pos = {r.username: (r.lon, r.lat) for r in c.execute(select(p))}
        out = []
        for u in self.users.list(role="crew"):
            if not u.active:
                continue
            d = None
            if lon is not None and lat is not None and u.username in pos:
                d = _distance_m(lon, lat, *pos[u.username])
            out.append(CrewSuggestion(u.username, u.display_name, d, int(busy.get(u.username, 0))))
        out.sort(key=lambda s: (s.open_tickets > 0, s.distance_m is None, s.distance_m or 0.0, s.username))
        return out


class DispatchService:
    def __init__(self, store: Store, tickets: TicketService, alarms: AlarmService, crew: CrewService,
                 network: Network, evidence: TicketEvidenceService | None = None) -> None:
        self.store = store
        self.evidence = evidence
        self.tickets = tickets
        self.alarms = alarms
        self.crew = crew
        self.network = network

    def draft(self, alarm_id: str) -> TicketDraft:
        try:
            a = self.alarms.get(alarm_id)
        except Exception:  # noqa: BLE001 - sqlalchemy NoResultFound
            raise WorkflowError(f"alarm {alarm_id} does not exist") from None
        loc = a.location or {}
        # the newest localization of the leak, which the canvas shows, rather than the one it was raised with
        interval = {k: v for k, v in (loc.get("latest") or loc.get("interval") or {}).items() if k != "time"}
        pipes = [p for p in (interval.get("pipes") or loc.get("pipes") or []) if p in self.network.pipes]
        pts = [xy for p in pipes for xy in self.network.pipes[p].coords]
        lon = sum(x for x, _ in pts) / len(pts) if pts else None
        lat = sum(y for _, y in pts) / len(pts) if pts else None
        areas = Counter(self.network.pipes[p].area for p in pipes if self.network.pipes[p].area)
        area = areas.most_common(1)[0][0] if areas else ""
        kind = "drill" if a.kind == "drill" else TICKET_KIND.get(a.kind, "leak")
        sop = sop_for(kind)
        location = {"pipes": pipes[:1], "sensors": list(loc.get("sensors", []))}
        if lon is not None:
            location.update(lon=round(lon, 7), lat=round(lat, 7))
        with self.store.read() as c:
            is_drill = bool(c.execute(select(self.store.t.alarms.c.is_drill)
                                      .where(self.store.t.alarms.c.id == alarm_id)).scalar())
        return TicketDraft(alarm_id, a.title, kind, sop.title if sop else "", area, location, interval,
                           1 if a.level >= 2 else 2, is_drill, tuple(self.crew.suggest(lon, lat)))

    def ticket_from_alarm(self, alarm_id: str, actor: str, assignee: str | None = None) -> TicketCard:
        """Create the pre-filled ticket of an alarm (one per alarm), link it to the alarm and its event cards,
        and acknowledge the alarm."""
        a = self.alarms.get(alarm_id) if self._alarm_exists(alarm_id) else None
        if a is None:
            raise WorkflowError(f"alarm {alarm_id} does not exist")
        if a.ticket_id:
            raise WorkflowError(f"告警 {alarm_id} 已有工单 {a.ticket_id}")
        d = self.draft(alarm_id)
        who = d.assignee if assignee is None else assignee
        card = self.tickets.create(title=d.title, kind=d.kind, actor=actor, area=d.area, location=d.location,
                                   suspect_interval=d.interval or None, priority=d.priority, assignee=who,
                                   alarm_id=alarm_id, is_drill=d.is_drill, sop=d.kind if d.sop_title else "",
                                   title_parts=self._parts(a))
        al, ev = self.store.t.alarms, self.store.t.events
        with self.store.begin() as c:
            c.execute(al.update().where(al.c.id == alarm_id).values(ticket_id=card.id, state="acked", acked_by=actor,
                                                                    acked_at=utc_now()))
            c.execute(ev.update().where(ev.c.alarm_id == alarm_id).values(ticket_id=card.id))
            append_audit(self.store, c, actor=actor, action="alarm.acked", entity="alarm", entity_id=alarm_id,
                         detail={"ticket": card.id, "assignee": who})
        return card

    def _parts(self, a: AlarmView) -> dict | None:
        """The ticket's title parts: the alarm's, or — when the leak watch has located it anew since the alarm
        was raised — those of the latest interval the ticket takes, so its title names the same places and
        figures as its interval (the stored title stays the alarm's, the record)."""
        parts = a.detail.get("title_parts") if isinstance(a.detail, dict) else None
        latest = (a.location or {}).get("latest")
        if not isinstance(parts, dict) or not latest or not all(p in self.network.pipes for p in latest["pipes"]):
            return parts
        calibration = "" if latest.get("calibrated", True) else (parts.get("calibration") or "pending")
        return interval_parts(self.network, latest, calibration)

    def merge_report(self, event_id: int, actor: str, ticket_id: str | None = None) -> TicketCard:
        """A resident's report (odor, help call, meter photo) pulled from the relay joins the open ticket of its
        area as ``resident_report`` evidence — at the node of the resident's building when known, so the engine
        can use it — and its event card then points to that ticket."""
        ev_t = self.store.t.events
        with self.store.read() as c:
            ev = c.execute(select(ev_t).where(ev_t.c.id == event_id)).first()
        if ev is None:
            raise WorkflowError(f"event {event_id} does not exist")
        if not str(ev.kind).startswith("resident."):
            raise WorkflowError(f"event {event_id} is not a resident's report ({ev.kind})")
        if ev.ticket_id:
            raise WorkflowError(f"居民报告 {event_id} 已并入工单 {ev.ticket_id}")
        import json

        detail = json.loads(ev.detail or "{}")
        area = str(detail.get("area") or "")
        area_id = area if area in self.network.areas else next(
            (a for a, v in self.network.areas.items() if v.name == area), area)
        t = self.store.t.tickets
        with self.store.read() as c:
            if ticket_id is None:
                ticket_id = c.execute(select(t.c.id).where(t.c.status != "closed", t.c.area_id == area_id)
                                      .order_by(t.c.created_at.desc()).limit(1)).scalar()
            node = self._household_node(c, str(detail.get("household_id") or ""))
        if not ticket_id:
            raise WorkflowError(f"片区 {area or '未知'} 没有未结工单可并入；请先建单")
        reading = detail.get("meter_reading") or {}
        note = "；".join(x for x in (str(ev.title), str(detail.get("location") or ""),
                                    str(detail.get("description") or "")) if x)
        self.evidence.attach(ticket_id, "resident_report", actor, value=reading.get("value"),
                             unit="m³" if reading.get("value") is not None else "", note=note, node_id=node,
                             detail={"event_id": event_id, "household_id": detail.get("household_id"),
                                     "relay_event": detail.get("event_id"), "relay_seq": detail.get("relay_seq"),
                                     "kind": ev.kind})
        with self.store.begin() as c:
            c.execute(ev_t.update().where(ev_t.c.id == event_id).values(ticket_id=ticket_id))
        return self.tickets.get(ticket_id)

    def _household_node(self, c, household_id: str) -> str | None:  # noqa: ANN001
        if not household_id:
            return None
        h, b = self.store.t.households, self.store.t.buildings
        return c.execute(select(b.c.node_id).select_from(h.join(b, h.c.building_id == b.c.id))
                         .where(h.c.id == household_id)).scalar()

    def _alarm_exists(self, alarm_id: str) -> bool:
        al = self.store.t.alarms
        with self.store.read() as c:
            return c.execute(select(al.c.id).where(al.c.id == alarm_id)).first() is not None

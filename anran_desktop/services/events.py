"""Alarms (with levels and a state) and the event feed."""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import func, select

from anran_desktop.store import Store, utc_now
from anran_desktop.store.audit import append_audit

SEVERITIES = ("info", "warning", "alarm", "critical")


@dataclass(frozen=True)
class EventCard:
    id: int
    time: str
    kind: str  # e.g. leak_suspected, threshold, maintenance, resident_report, ticket, system
    severity: str
    title: str
    detail: dict
    location: dict  # {"pipes": [...], "nodes": [...], "sensors": [...], "interval": {...}}
    alarm_id: str | None
    ticket_id: str | None
    is_drill: bool


@dataclass(frozen=True)
class AlarmView:
    id: str
    time: str
    level: int
    kind: str
    title: str
    state: str
    detail: dict
    location: dict
    ticket_id: str | None


class EventService:
    def __init__(self, store: Store) -> None:
        self.store = store

    def add(self, *, kind: str, severity: str, title: str, detail: dict | None = None,
            location: dict | None = None, time: str | None = None, alarm_id: str | None = None,
            ticket_id: str | None = None, is_drill: bool = False) -> EventCard:
        if severity not in SEVERITIES:
            raise ValueError(f"unknown severity '{severity}'")
        t = self.store.t.events
        with self.store.begin() as c:
            res = c.execute(t.insert().values(
                time=time or utc_now(), kind=kind, severity=severity, title=title,
                detail=json.dumps(detail or {}, ensure_ascii=False),
                location=json.dumps(location or {}, ensure_ascii=False), alarm_id=alarm_id, ticket_id=ticket_id,
                is_drill=int(is_drill)))
            eid = int(res.inserted_primary_key[0])
        return self.get(eid)

    def get(self, event_id: int) -> EventCard:
        t = self.store.t.events
        with self.store.read() as c:
            r = c.execute(select(t).where(t.c.id == event_id)).one()
        return self._card(r)

    @staticmethod
    def _card(r) -> EventCard:  # noqa: ANN001
        return EventCard(r.id, r.time, r.kind, r.severity, r.title, json.loads(r.detail or "{}"),
                         json.loads(r.location or "{}"), r.alarm_id, r.ticket_id, bool(r.is_drill))

    def recent(self, limit: int = 50, after_id: int = 0) -> list[EventCard]:
        t = self.store.t.events
        with self.store.read() as c:
            rows = c.execute(select(t).where(t.c.id > after_id).order_by(t.c.id.desc()).limit(limit)).fetchall()
        return [self._card(r) for r in rows]


class AlarmService:
    def __init__(self, store: Store, events: EventService | None = None) -> None:
        self.store = store
        self.events = events or EventService(store)

    def raise_alarm(self, *, kind: str, level: int, title: str, detail: dict | None = None,
                    location: dict | None = None, actor: str = "engine", is_drill: bool = False) -> AlarmView:
        now = utc_now()
        t = self.store.t.alarms
        with self.store.begin() as c:
            day = now[:10].replace("-", "")
            n = (c.execute(select(func.count()).select_from(t).where(t.c.id.like(f"AL-{day}-%"))).scalar() or 0) + 1
            aid = f"AL-{day}-{n:04d}"
            c.execute(t.insert().values(id=aid, time=now, level=level, kind=kind, title=title,
                                        detail=json.dumps(detail or {}, ensure_ascii=False),
                                        location=json.dumps(location or {}, ensure_ascii=False), state="active",
                                        is_drill=int(is_drill)))
            append_audit(self.store, c, actor=actor, action="alarm.raise", entity="alarm", entity_id=aid,
                         detail={"kind": kind, "level": level, "title": title}, time=now)
        severity = "critical" if level >= 2 else "alarm"
        self.events.add(kind=kind, severity=severity, title=title, detail=detail, location=location, time=now,
                        alarm_id=aid, is_drill=is_drill)
        return self.get(aid)

    def get(self, alarm_id: str) -> AlarmView:
        t = self.store.t.alarms
        with self.store.read() as c:
            return _alarm_view(c.execute(select(t).where(t.c.id == alarm_id)).one())

    def for_ticket(self, ticket_id: str) -> AlarmView | None:
        """The (latest) alarm a ticket was created from, or None for a ticket made by hand."""
        t = self.store.t.alarms
        with self.store.read() as c:
            aid = c.execute(select(t.c.id).where(t.c.ticket_id == ticket_id).order_by(t.c.time.desc())).scalar()
        return self.get(aid) if aid else None

    def active(self) -> list[AlarmView]:
        t = self.store.t.alarms
        with self.store.read() as c:  # one query, not one per alarm
            rows = c.execute(select(t).where(t.c.state != "cleared").order_by(t.c.time.desc())).all()
        return [_alarm_view(r) for r in rows]

    def update_interval(self, alarm_id: str, interval: dict, actor: str = "engine") -> AlarmView:
        """A later localization of the same leak: kept as the alarm's ``location["latest"]`` (with the UTC
        time), beside the interval it was raised with, which stays as the record. Audited."""
        t = self.store.t.alarms
        now = utc_now()
        latest = {"pipes": list(interval["pipes"]), "length_m": float(interval["length_m"]),
                  "confidence": float(interval["confidence"]), "calibrated": bool(interval.get("calibrated", True)),
                  "time": now}
        if interval.get("basis"):
            latest["basis"] = str(interval["basis"])  # the inlet meter alone found it (leak_title.BASIS_NOTE)
        with self.store.begin() as c:
            r = c.execute(select(t.c.location).where(t.c.id == alarm_id)).first()
            if r is None:
                raise ValueError(f"alarm {alarm_id} does not exist")
            loc = json.loads(r.location or "{}")
            loc["latest"] = latest
            c.execute(t.update().where(t.c.id == alarm_id).values(location=json.dumps(loc, ensure_ascii=False)))
            append_audit(self.store, c, actor=actor, action="alarm.interval", entity="alarm", entity_id=alarm_id,
                         detail={k: latest[k] for k in ("length_m", "confidence", "pipes")}, time=now)
        return self.get(alarm_id)

    def open_leak_alarms(self, *, since: str, is_drill: bool, dismissed: bool = False) -> list[AlarmView]:
        """Suspected-leak alarms raised at or after ``since`` (UTC ISO) that are not cleared and whose ticket,
        if any, is not closed: the ones a leak watch that (re)started may be seeing again. Newest first.
        ``dismissed``: also those dismissed as false alarms (``services.false_alarm``), so a watch that restarts
        keeps to a dismissed detection instead of raising it again."""
        t, tk = self.store.t.alarms, self.store.t.tickets
        state = (t.c.state != "cleared") | (t.c.ticket_id.is_(None)) if dismissed else t.c.state != "cleared"
        with self.store.read() as c:
            rows = c.execute(select(t).select_from(t.outerjoin(tk, tk.c.id == t.c.ticket_id))
                             .where(t.c.kind == "leak_suspected", state, t.c.time >= since,
                                    t.c.is_drill == int(is_drill),
                                    (tk.c.id.is_(None)) | (tk.c.status != "closed"))
                             .order_by(t.c.time.desc())).all()
        out = [_alarm_view(r) for r in rows]
        return [a for a in out if a.state != "cleared" or "dismissal" in a.detail]

    def _set_state(self, alarm_id: str, state: str, actor: str, **values: object) -> AlarmView:
        t = self.store.t.alarms
        with self.store.begin() as c:
            c.execute(t.update().where(t.c.id == alarm_id).values(state=state, **values))
            append_audit(self.store, c, actor=actor, action=f"alarm.{state}", entity="alarm", entity_id=alarm_id)
        return self.get(alarm_id)

    def acknowledge(self, alarm_id: str, actor: str) -> AlarmView:
        return self._set_state(alarm_id, "acked", actor, acked_by=actor, acked_at=utc_now())

    def clear(self, alarm_id: str, actor: str) -> AlarmView:
        return self._set_state(alarm_id, "cleared", actor, cleared_at=utc_now())


def _alarm_view(r) -> AlarmView:  # noqa: ANN001 - a row of the alarms table
    return AlarmView(r.id, r.time, r.level, r.kind, r.title, r.state, json.loads(r.detail or "{}"),
                     json.loads(r.location or "{}"), r.ticket_id)

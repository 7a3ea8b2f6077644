"""Tickets of the emergency loop and the board's columns.

Statuses, in order: 告警 alarm → 派单 dispatched → 到场核查 onsite → 处置 handling → 复测 retest → 结案 closed.
The board shows three columns: 待派 = {alarm}, 在途 = {dispatched … retest}, 已结 = {closed}. Every move
is written to ticket_history and the audit log in the same transaction as the status change.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import func, select

from anran_desktop.store import Store, utc_now
from anran_desktop.store.audit import append_audit
from anran_desktop.workflow.rules import LABELS as STATUS_LABELS
from anran_desktop.workflow.rules import STATUSES
from engine.interval import quoted

COLUMNS = ("pending", "active", "closed")
COLUMN_LABELS = {"pending": "待派", "active": "在途", "closed": "已结"}
_COLUMN_OF = {"alarm": "pending", "dispatched": "active", "onsite": "active", "handling": "active",
              "retest": "active", "closed": "closed"}
#: Status a ticket gets when dropped on a column it is not in.
_ENTRY_STATUS = {"pending": "alarm", "active": "dispatched", "closed": "closed"}


def title_parts_of(stored: str | None) -> dict | None:
    """A ticket's stored title parts (JSON), or None (none stored, or unreadable)."""
    try:
        parts = json.loads(stored or "null")
    except ValueError:
        return None
    return parts if isinstance(parts, dict) and parts else None


class WorkflowError(ValueError):
    """A ticket cannot make the requested move; the message says why."""


@dataclass(frozen=True)
class TicketCard:
    id: str
    title: str
    kind: str
    status: str
    column: str
    priority: int
    area: str
    assignee: str
    created_at: str
    updated_at: str
    is_drill: bool
    #: The title parts of the suspected-leak alarm the ticket was made from (the alarm's
    #: ``detail.title_parts``, kept with the ticket), so a window in another language can word the title;
    #: None for other tickets.
    title_parts: dict | None = field(default=None, compare=False)


@dataclass(frozen=True)
class HistoryEntry:
    time: str
    actor: str
    action: str
    from_status: str | None
    to_status: str | None
    note: str


@dataclass(frozen=True)
class IntervalEntry:
    """One interval a ticket had: the engine's first one, then each one evidence narrowed it to."""

    time: str
    actor: str
    source: str  # engine | gauge_reading | valve_test | resident_report | manual
    pipes: tuple[str, ...]
    length_m: float | None
    confidence: float | None
    note: str


@dataclass(frozen=True)
class TicketDetail:
    card: TicketCard
    location: dict
    suspect_interval: dict
    notes: str
    history: tuple[HistoryEntry, ...] = field(default_factory=tuple)


#: Ticket status → the resident-side status the relay shows for a report merged into the ticket.
RESIDENT_STATUS = {"alarm": "submitted", "dispatched": "accepted", "onsite": "in_progress", "handling": "in_progress",
                   "retest": "in_progress", "closed": "closed"}
INTERVAL_SOURCES = ("engine", "gauge_reading", "valve_test", "resident_report", "manual")


def _check_interval(interval: dict) -> dict:
    """A clean copy of an engine interval, or WorkflowError naming the bad field."""
    pipes = interval.get("pipes")
    if not isinstance(pipes, list | tuple) or not pipes or not all(isinstance(p, str) and p for p in pipes):
        raise WorkflowError("interval.pipes must be a non-empty list of pipe ids")
    try:
        length = float(interval["length_m"])
        conf = float(interval["confidence"])
    except (KeyError, TypeError, ValueError):
        raise WorkflowError("interval needs numeric length_m and confidence") from None
    if not length >= 0:
        raise WorkflowError(f"interval.length_m {length} must be ≥ 0")
    if not 0.0 <= conf <= 1.0:
        raise WorkflowError(f"interval.confidence {conf} is outside 0…1")
    return {"pipes": list(pipes), "length_m": round(length, 1), "confidence": round(conf, 4)}


def interval_change_text(old: dict, new: dict) -> str:
    """``200 m · 0.90 → 90 m · 0.93``: an interval change as the ticket history notes it (after its source)."""
    def fmt(iv: dict) -> str:
        if not iv.get("pipes"):
            return "—"
        return f"{float(iv.get('length_m') or 0):.0f} m · {quoted(float(iv.get('confidence') or 0)):.2f}"

    return f"{fmt(old)} → {fmt(new)}"


#: The statuses in which the leak watch's later locations still reach a ticket (see ``follow_engine``).
ENGINE_FOLLOWS = ("alarm", "dispatched", "onsite", "handling")
#: The actor of what the system itself writes (the engine's alarms and located intervals).
ENGINE_ACTOR = "engine"


def may_follow(status: str, last_source: str | None, source: str) -> bool:
    """Whether the system may write an interval from ``source`` on a ticket in ``status`` whose interval was
    last set by ``last_source``: only while it still looks for the leak, never over an interval set by hand,
    and the watch's evidence-free location (``engine``) never over one narrowed by evidence."""
    if status not in ENGINE_FOLLOWS or last_source == "manual":
        return False
    return last_source in (None, "engine") if source == "engine" else True


def crew_should_see(old: dict, new: dict) -> bool:
    """Whether a later engine interval tells the crew something to act on: it shares no pipe with the one
    they have (the leak is elsewhere), its length differs by a quarter or more (at least 20 m), or its
    confidence by 0.10 or more. Smaller changes stay on the dispatcher's alarm card, so a crew on its way
    is not sent a new version of the ticket every minute."""
    if not old.get("pipes"):
        return True
    if not set(old["pipes"]) & set(new["pipes"]):
        return True
    lo, ln = float(old.get("length_m") or 0.0), float(new["length_m"])
    if abs(ln - lo) >= max(20.0, 0.25 * lo):
        return True
    return abs(float(new["confidence"]) - float(old.get("confidence") or 0.0)) >= 0.10 - 1e-9


def column_of(status: str) -> str:
    return _COLUMN_OF[status]


#: A guard is called before a move commits: ``guard(conn, ticket_row, to_status, actor)`` returns a list
#: of reasons the move is not allowed (empty = allowed). The emergency-loop rules register theirs here.
Guard = Callable[..., list[str]]


class TicketService:
    """The ticket board and each ticket's life: create, move (history + audit in one transaction)."""

    #: ``TicketService.column_of(status)`` → ``"pending" | "active" | "closed"`` (待派 / 在途 / 已结).
    column_of = staticmethod(column_of)

    def __init__(self, store: Store) -> None:
        self.store = store
        self.guards: list[Guard] = []
        #: When set (the desktop app sets it), ``role_of(actor)`` decides who may create, assign and narrow.
        self.role_of: Callable[[str], str] | None = None

    def _require(self, actor: str, action: str) -> None:
        if self.role_of is None:
            return
        from anran_desktop.workflow.permissions import can

        role = self.role_of(actor)
        if not can(role, action):
            raise WorkflowError(f"用户 {actor}（角色 {role or '未知'}）无权执行 {action}")

    def _card(self, r) -> TicketCard:  # noqa: ANN001
        return TicketCard(r.id, r.title, r.kind, r.status, column_of(r.status), r.priority, r.area_id or "",
                          r.assignee or "", r.created_at, r.updated_at, bool(r.is_drill),
                          title_parts_of(getattr(r, "title_parts", None)))

    def board(self) -> list[TicketCard]:
        t = self.store.t.tickets
        with self.store.read() as c:
            rows = c.execute(select(t).order_by(t.c.priority, t.c.created_at.desc())).fetchall()
        return [self._card(r) for r in rows]

    def _row(self, c, ticket_id: str):  # noqa: ANN001, ANN202
        """The ticket's row inside the caller's transaction; a clear error for an unknown id."""
        t = self.store.t.tickets
        r = c.execute(select(t).where(t.c.id == ticket_id)).first()
        if r is None:
            raise WorkflowError(f"ticket {ticket_id} does not exist")
        return r

    def get(self, ticket_id: str) -> TicketCard:
        with self.store.read() as c:
            r = self._row(c, ticket_id)
        return self._card(r)

    def detail(self, ticket_id: str) -> TicketDetail:
        h = self.store.t.ticket_history
        with self.store.read() as c:
            r = self._row(c, ticket_id)
            hist = c.execute(select(h).where(h.c.ticket_id == ticket_id).order_by(h.c.id)).fetchall()
        return TicketDetail(self._card(r), json.loads(r.location or "{}"), json.loads(r.suspect_interval or "{}"),
                            r.notes or "", tuple(HistoryEntry(x.time, x.actor, x.action, x.from_status,
                                                              x.to_status, x.note or "") for x in hist))

    def _new_id(self, conn, now: str) -> str:  # noqa: ANN001
        day = now[:10].replace("-", "")
        t = self.store.t.tickets
        n = conn.execute(select(func.count()).select_from(t).where(t.c.id.like(f"T-{day}-%"))).scalar() or 0
        while True:
            n += 1
            tid = f"T-{day}-{n:04d}"
            if conn.execute(select(t.c.id).where(t.c.id == tid)).first() is None:
                return tid

    def create(self, *, title: str, kind: str, actor: str, area: str = "", location: dict | None = None,
               suspect_interval: dict | None = None, priority: int = 2, assignee: str = "",
               alarm_id: str | None = None, is_drill: bool = False, notes: str = "", sop: str = "",
               title_parts: dict | None = None) -> TicketCard:
        if not title.strip():
            raise WorkflowError("a ticket needs a title")
        self._require(actor, "ticket.create")
        now = utc_now()
        t, h = self.store.t.tickets, self.store.t.ticket_history
        with self.store.begin() as c:
            tid = self._new_id(c, now)
            c.execute(t.insert().values(
                id=tid, title=title, kind=kind, status="alarm", priority=priority, area_id=area or None,
                location=json.dumps(location or {}, ensure_ascii=False),
                suspect_interval=json.dumps(suspect_interval or {}, ensure_ascii=False), assignee=assignee or None,
                created_by=actor, created_at=now, updated_at=now, alarm_id=alarm_id, is_drill=int(is_drill),
                notes=notes, sop=sop or None,
                # (a store opened below revision 0005, as the older-schema tests do, has no such column)
                **({"title_parts": json.dumps(title_parts, ensure_ascii=False) if title_parts else None}
                   if "title_parts" in t.c else {})))
            c.execute(h.insert().values(ticket_id=tid, time=now, actor=actor, action="create", from_status=None,
                                        to_status="alarm", note=title))
            append_audit(self.store, c, actor=actor, action="ticket.create", entity="ticket", entity_id=tid,
                         detail={"title": title, "kind": kind, "is_drill": is_drill, "assignee": assignee,
                                 "alarm_id": alarm_id}, time=now)
            if suspect_interval and suspect_interval.get("pipes") and hasattr(self.store.t, "ticket_intervals"):
                self._write_interval(c, tid, _check_interval(suspect_interval), actor, "engine", "", now)
        return self.get(tid)

    def assign(self, ticket_id: str, assignee: str, actor: str) -> TicketCard:
        """Set or change the crew member of a ticket that is not closed (dispatchers and admins)."""
        self._require(actor, "ticket.dispatch")
        t, h = self.store.t.tickets, self.store.t.ticket_history
        now = utc_now()
        with self.store.begin() as c:
            r = self._row(c, ticket_id)
            if r.status == "closed":
                raise WorkflowError(f"ticket {ticket_id} is closed; its assignee cannot change")
            if (r.assignee or "") == assignee:
                return self._card(r)
            c.execute(t.update().where(t.c.id == ticket_id).values(assignee=assignee or None, updated_at=now))
            c.execute(h.insert().values(ticket_id=ticket_id, time=now, actor=actor, action="assign",
                                        from_status=None, to_status=None, note=assignee))
            append_audit(self.store, c, actor=actor, action="ticket.assign", entity="ticket", entity_id=ticket_id,
                         detail={"from": r.assignee or "", "to": assignee}, time=now)
        return self.get(ticket_id)

    def accept(self, ticket_id: str, actor: str) -> TicketCard:
        """The assigned crew member accepts a dispatched ticket (history + audit; the status stays 派单)."""
        h = self.store.t.ticket_history
        now = utc_now()
        with self.store.begin() as c:
            r = self._row(c, ticket_id)
            if r.status != "dispatched":
                raise WorkflowError(f"工单 {ticket_id} 处于「{STATUS_LABELS[r.status]}」，只有「派单」状态的工单可以接单")
            if (r.assignee or "") != actor:
                raise WorkflowError(f"工单 {ticket_id} 指派给了 {r.assignee or '无人'}，{actor} 不能接单")
            c.execute(h.insert().values(ticket_id=ticket_id, time=now, actor=actor, action="accept",
                                        from_status=None, to_status=None, note=""))
            append_audit(self.store, c, actor=actor, action="ticket.accept", entity="ticket", entity_id=ticket_id,
                         time=now)
        return self.get(ticket_id)

    def accepted(self, ticket_id: str) -> bool:
        h = self.store.t.ticket_history
        with self.store.read() as c:
            return c.execute(select(h.c.id).where(h.c.ticket_id == ticket_id, h.c.action == "accept")).first() \
                is not None

    def update_interval(self, ticket_id: str, interval: dict, actor: str, source: str, note: str = "",
                        title_parts: dict | None = None) -> TicketDetail:
        """Evidence narrowed the engine's interval: store it on the ticket, with history and audit.

        ``interval`` is ``{"pipes": [...], "length_m": float, "confidence": float}`` (the engine's
        ``LocateResult.to_json()["interval"]``); ``source`` says which evidence did it. ``title_parts``
        (``services.leak_title.title_parts`` of the new interval) replace those of a ticket whose title is
        worded from parts, so its title names the new places and figures (the stored title stays the record).
        """
        if source not in INTERVAL_SOURCES:
            raise WorkflowError(f"unknown interval source '{source}' (expected one of {', '.join(INTERVAL_SOURCES)})")
        self._require(actor, "ticket.attach_evidence")
        new = _check_interval(interval)
        with self.store.begin() as c:
            r = self._row(c, ticket_id)
            if r.status == "closed":
                raise WorkflowError(f"ticket {ticket_id} is closed; its interval cannot change")
            self._store_interval(c, r, new, actor, source, note, title_parts)
        return self.detail(ticket_id)

    def follow_engine(self, ticket_id: str, interval: dict, title_parts: dict | None = None,
                      source: str = "engine") -> TicketDetail | None:
        """The leak watch located the ticket's leak again (``interval`` as in :meth:`update_interval`): the
        ticket, and with it the crew's copy, takes it when the crew would act differently on it
        (:func:`crew_should_see`) — while the ticket is still looking for the leak (告警 … 处置, not in
        复测 or 结案) and no person has set its interval by hand.

        ``source`` ``engine``: the watch's own location, from the readings alone. Once on-site evidence (a
        gauge reading, a valve test, a resident's report) narrowed the interval, this one no longer
        overrides it. An evidence source: the newest readings located again *with* all of the ticket's
        evidence (``interval_refine.refine``), which supersedes what was there. Written by the system
        (actor ``engine``, no user role needed), with history and audit; ``title_parts`` as in
        :meth:`update_interval`. Returns the ticket when it changed, else None."""
        if source not in INTERVAL_SOURCES or source == "manual":
            raise WorkflowError(f"the system cannot write an interval from source '{source}'")
        new = _check_interval(interval)
        with self.store.begin() as c:
            r = self._row(c, ticket_id)
            if not may_follow(r.status, self._last_source(c, ticket_id), source) or \
                    not crew_should_see(json.loads(r.suspect_interval or "{}"), new):
                return None
            self._store_interval(c, r, new, ENGINE_ACTOR, source, "", title_parts)
        return self.detail(ticket_id)

    def interval_source(self, ticket_id: str) -> str | None:
        """What set the ticket's interval last (an ``INTERVAL_SOURCES`` id), None when it has none."""
        with self.store.read() as c:
            return self._last_source(c, ticket_id)

    def _last_source(self, c, ticket_id: str) -> str | None:  # noqa: ANN001
        ti = self.store.t.ticket_intervals
        return c.execute(select(ti.c.source).where(ti.c.ticket_id == ticket_id).order_by(ti.c.id.desc())).scalar()

    def _store_interval(self, c, r, new: dict, actor: str, source: str, note: str,  # noqa: ANN001
                        title_parts: dict | None = None) -> None:
        """Write ``new`` on ticket row ``r``: the ticket, its interval log, its history and the audit."""
        t, h = self.store.t.tickets, self.store.t.ticket_history
        now = utc_now()
        old = json.loads(r.suspect_interval or "{}")
        values = {"suspect_interval": json.dumps(new, ensure_ascii=False), "updated_at": now}
        if title_parts and title_parts_of(getattr(r, "title_parts", None)):  # a title worded from its parts
            values["title_parts"] = json.dumps(title_parts, ensure_ascii=False)
        c.execute(t.update().where(t.c.id == r.id).values(**values))
        self._write_interval(c, r.id, new, actor, source, note, now)
        c.execute(h.insert().values(ticket_id=r.id, time=now, actor=actor, action="interval",
                                    from_status=None, to_status=None,
                                    note=f"{source}: {interval_change_text(old, new)}" + (f" · {note}" if note else "")))
        append_audit(self.store, c, actor=actor, action="ticket.interval", entity="ticket", entity_id=r.id,
                     detail={"source": source, "from": {k: old.get(k) for k in ("length_m", "confidence")},
                             "to": {k: new[k] for k in ("length_m", "confidence")}, "pipes": new["pipes"],
                             "note": note}, time=now)

    def _write_interval(self, c, ticket_id: str, iv: dict, actor: str, source: str, note: str,  # noqa: ANN001
                        now: str) -> None:
        c.execute(self.store.t.ticket_intervals.insert().values(
            ticket_id=ticket_id, time=now, actor=actor, source=source, pipes=json.dumps(iv["pipes"]),
            length_m=iv["length_m"], confidence=iv["confidence"], note=note))

    def interval_history(self, ticket_id: str) -> list[IntervalEntry]:
        """Oldest first."""
        t = self.store.t.ticket_intervals
        with self.store.read() as c:
            rows = c.execute(select(t).where(t.c.ticket_id == ticket_id).order_by(t.c.id)).fetchall()
        return [IntervalEntry(r.time, r.actor, r.source, tuple(json.loads(r.pipes)), r.length_m, r.confidence,
                              r.note or "") for r in rows]

    def move(self, ticket_id: str, to_status: str, actor: str, note: str = "", *, publish: bool = False) -> TicketCard:
        """Change a ticket's status (forward through the loop, or back one step to correct a mistake).

        ``publish`` also queues a ``ticket.progress`` item in the sync outbox in the same transaction, so a
        move made offline (crew mode) reaches the relay when it is next reachable.
        """
        if to_status not in STATUSES:
            raise WorkflowError(f"unknown status '{to_status}'")
        t, h = self.store.t.tickets, self.store.t.ticket_history
        now = utc_now()
        with self.store.begin() as c:
            r = self._row(c, ticket_id)
            if r.status == to_status:
                return self._card(r)
            a, b = STATUSES.index(r.status), STATUSES.index(to_status)
            if r.status == "closed":
                raise WorkflowError(f"ticket {ticket_id} is closed; open a new ticket instead of reopening it")
            if b < a - 1:
                raise WorkflowError(f"ticket {ticket_id} can go back only one step "
                                    f"({STATUS_LABELS[r.status]} → {STATUS_LABELS[STATUSES[a - 1]]})")
            problems = [p for g in self.guards for p in g(c, r, to_status, actor)]
            if problems:
                raise WorkflowError("；".join(problems))
            values = {"status": to_status, "updated_at": now}
            if b > a:
                values[f"{to_status}_at"] = now if to_status != "alarm" else r.created_at
            c.execute(t.update().where(t.c.id == ticket_id).values(**values))
            c.execute(h.insert().values(ticket_id=ticket_id, time=now, actor=actor, action="move",
                                        from_status=r.status, to_status=to_status, note=note))
            append_audit(self.store, c, actor=actor, action="ticket.move", entity="ticket", entity_id=ticket_id,
                         detail={"from": r.status, "to": to_status, "note": note}, time=now)
            loc = json.loads(r.location or "{}")
            if to_status == "onsite" and r.assignee and "lon" in loc and hasattr(self.store.t, "crew_positions"):
                from sqlalchemy.dialects.sqlite import insert  # the crew member is now where the ticket is

                pos = {"lon": loc["lon"], "lat": loc["lat"], "time": now, "source": f"arrived:{ticket_id}"}
                c.execute(insert(self.store.t.crew_positions).values(username=r.assignee, **pos)
                          .on_conflict_do_update(index_elements=["username"], set_=pos))
            if publish:
                from anran_desktop.services.sync_service import enqueue

                enqueue(c, "ticket.progress", {"ticket_id": ticket_id, "status": to_status,
                                               "area": r.area_id or "", "note": note})
                for seq in self._resident_items(c, ticket_id):  # residents whose reports joined this ticket
                    enqueue(c, "ticket.progress", {"ticket_id": ticket_id, "resident_item": seq, "area": r.area_id or "",
                                                   "status": RESIDENT_STATUS[to_status], "note": note})
        return self.get(ticket_id)

    def _resident_items(self, c, ticket_id: str) -> list[int]:  # noqa: ANN001
        if not hasattr(self.store.t, "ticket_evidence"):
            return []
        e = self.store.t.ticket_evidence
        rows = c.execute(select(e.c.detail).where(e.c.ticket_id == ticket_id, e.c.kind == "resident_report"))
        seqs = [json.loads(d or "{}").get("relay_seq") for (d,) in rows]
        return sorted({int(x) for x in seqs if isinstance(x, int | str) and str(x).isdigit()})

    def move_to_column(self, ticket_id: str, column: str, actor: str) -> TicketCard:
        """What a drop on a board column means: enter the column at its first status."""
        if column not in COLUMNS:
            raise WorkflowError(f"unknown column '{column}'")
        card = self.get(ticket_id)
        if card.column == column:
            return card
        return self.move(ticket_id, _ENTRY_STATUS[column], actor)

    def timestamps(self, ticket_id: str) -> dict[str, str | None]:
        """When the loop's steps happened: ``alarm`` (the alarm's time, else the ticket's creation),
        ``created``, ``dispatched``, ``onsite``, ``handling``, ``retest``, ``closed`` (UTC ISO 8601 or None)."""
        a = self.store.t.alarms
        with self.store.read() as c:
            r = self._row(c, ticket_id)
            alarm_time = c.execute(select(a.c.time).where(a.c.id == r.alarm_id)).scalar() if r.alarm_id else None
        out: dict[str, str | None] = {"alarm": alarm_time or r.created_at, "created": r.created_at}
        for s in STATUSES[1:]:
            out[s] = getattr(r, f"{s}_at")
        return out

    def tta_s(self, ticket_id: str) -> float | None:
        """Time to acknowledge: alarm → dispatched, in seconds (None until dispatched)."""
        ts = self.timestamps(ticket_id)
        return self.duration_s(ts["alarm"], ts["dispatched"])

    @staticmethod
    def duration_s(a: str | None, b: str | None) -> float | None:
        if not a or not b:
            return None
        pa = dt.datetime.fromisoformat(a.replace("Z", "+00:00"))
        pb = dt.datetime.fromisoformat(b.replace("Z", "+00:00"))
        return (pb - pa).total_seconds()

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

STATUSES = ("alarm", "dispatched", "onsite", "handling", "retest", "closed")
STATUS_LABELS = {"alarm": "告警", "dispatched": "派单", "onsite": "到场核查", "handling": "处置",
                 "retest": "复测", "closed": "结案"}
COLUMNS = ("pending", "active", "closed")
COLUMN_LABELS = {"pending": "待派", "active": "在途", "closed": "已结"}
_COLUMN_OF = {"alarm": "pending", "dispatched": "active", "onsite": "active", "handling": "active",
              "retest": "active", "closed": "closed"}
#: Status a ticket gets when dropped on a column it is not in.
_ENTRY_STATUS = {"pending": "alarm", "active": "dispatched", "closed": "closed"}


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


@dataclass(frozen=True)
class HistoryEntry:
    time: str
    actor: str
    action: str
    from_status: str | None
    to_status: str | None
    note: str


@dataclass(frozen=True)
class TicketDetail:
    card: TicketCard
    location: dict
    suspect_interval: dict
    notes: str
    history: tuple[HistoryEntry, ...] = field(default_factory=tuple)


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

    def _card(self, r) -> TicketCard:  # noqa: ANN001
        return TicketCard(r.id, r.title, r.kind, r.status, column_of(r.status), r.priority, r.area_id or "",
                          r.assignee or "", r.created_at, r.updated_at, bool(r.is_drill))

    def board(self) -> list[TicketCard]:
        t = self.store.t.tickets
        with self.store.read() as c:
            rows = c.execute(select(t).order_by(t.c.priority, t.c.created_at.desc())).fetchall()
        return [self._card(r) for r in rows]

    def get(self, ticket_id: str) -> TicketCard:
        t = self.store.t.tickets
        with self.store.read() as c:
            r = c.execute(select(t).where(t.c.id == ticket_id)).first()
        if r is None:
            raise WorkflowError(f"ticket {ticket_id} does not exist")
        return self._card(r)

    def detail(self, ticket_id: str) -> TicketDetail:
        t, h = self.store.t.tickets, self.store.t.ticket_history
        with self.store.read() as c:
            r = c.execute(select(t).where(t.c.id == ticket_id)).first()
            if r is None:
                raise WorkflowError(f"ticket {ticket_id} does not exist")
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
               alarm_id: str | None = None, is_drill: bool = False, notes: str = "") -> TicketCard:
        if not title.strip():
            raise WorkflowError("a ticket needs a title")
        now = utc_now()
        t, h = self.store.t.tickets, self.store.t.ticket_history
        with self.store.begin() as c:
            tid = self._new_id(c, now)
            c.execute(t.insert().values(
                id=tid, title=title, kind=kind, status="alarm", priority=priority, area_id=area or None,
                location=json.dumps(location or {}, ensure_ascii=False),
                suspect_interval=json.dumps(suspect_interval or {}, ensure_ascii=False), assignee=assignee or None,
                created_by=actor, created_at=now, updated_at=now, alarm_id=alarm_id, is_drill=int(is_drill),
                notes=notes))
            c.execute(h.insert().values(ticket_id=tid, time=now, actor=actor, action="create", from_status=None,
                                        to_status="alarm", note=title))
            append_audit(self.store, c, actor=actor, action="ticket.create", entity="ticket", entity_id=tid,
                         detail={"title": title, "kind": kind, "is_drill": is_drill}, time=now)
        return self.get(tid)

    def move(self, ticket_id: str, to_status: str, actor: str, note: str = "") -> TicketCard:
        """Change a ticket's status (forward through the loop, or back one step to correct a mistake)."""
        if to_status not in STATUSES:
            raise WorkflowError(f"unknown status '{to_status}'")
        t, h = self.store.t.tickets, self.store.t.ticket_history
        now = utc_now()
        with self.store.begin() as c:
            r = c.execute(select(t).where(t.c.id == ticket_id)).first()
            if r is None:
                raise WorkflowError(f"ticket {ticket_id} does not exist")
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
        return self.get(ticket_id)

    def move_to_column(self, ticket_id: str, column: str, actor: str) -> TicketCard:
        """What a drop on a board column means: enter the column at its first status."""
        if column not in COLUMNS:
            raise WorkflowError(f"unknown column '{column}'")
        card = self.get(ticket_id)
        if card.column == column:
            return card
        return self.move(ticket_id, _ENTRY_STATUS[column], actor)

    @staticmethod
    def duration_s(a: str | None, b: str | None) -> float | None:
        if not a or not b:
            return None
        pa = dt.datetime.fromisoformat(a.replace("Z", "+00:00"))
        pb = dt.datetime.fromisoformat(b.replace("Z", "+00:00"))
        return (pb - pa).total_seconds()

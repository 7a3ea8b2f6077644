"""SLA timers on open tickets: a warning before the limit, an escalation after it — each once per ticket.

``check(now)`` walks the open tickets' timers (TTA alarm → 派单, arrival 派单 → 到场, close alarm → 结案) with
``workflow.sla.sla_status``; the first time a timer is in its warning window or past its limit it writes a
ticket_history row (``sla.warn.<timer>`` / ``sla.escalate.<timer>``), an audit row (actor ``system``) and an
event card (warning / critical) in one transaction. The desktop calls it from a timer.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from sqlalchemy import select

from anran_desktop.services.tickets import STATUS_LABELS, TicketService
from anran_desktop.store import Store, utc_now
from anran_desktop.store.audit import append_audit
from anran_desktop.workflow.sla import sla_status

TIMERS = (("tta", "alarm", "dispatched", "响应（派单）"), ("arrival", "dispatched", "onsite", "到场"),
          ("close", "alarm", "closed", "结案"))


@dataclass(frozen=True)
class SlaEvent:
    ticket_id: str
    timer: str
    state: str  # warn | escalate
    elapsed_s: float
    limit_s: float


def _epoch(iso: str | None) -> float | None:
    return dt.datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp() if iso else None


class SlaWatch:
    def __init__(self, store: Store, tickets: TicketService) -> None:
        self.store = store
        self.tickets = tickets

    def check(self, now: float) -> list[SlaEvent]:
        t, h = self.store.t.tickets, self.store.t.ticket_history
        with self.store.read() as c:
            open_ids = [r[0] for r in c.execute(select(t.c.id).where(t.c.status != "closed"))]
            done = {(r.ticket_id, r.action) for r in c.execute(
                select(h.c.ticket_id, h.c.action).where(h.c.action.like("sla.%"), h.c.ticket_id.in_(open_ids)))}
        out = []
        for tid in open_ids:
            ts = self.tickets.timestamps(tid)
            for timer, a, b, label in TIMERS:
                start = _epoch(ts[a])
                if start is None or ts[b] is not None or now < start:
                    continue
                st = sla_status(timer, start, now)
                if st.state not in ("warn", "escalate") or (tid, f"sla.{st.state}.{timer}") in done:
                    continue
                out.append(SlaEvent(tid, timer, st.state, st.elapsed_s, st.limit_s))
                self._record(tid, timer, st.state, label, st.elapsed_s, st.limit_s)
        return out

    def _record(self, tid: str, timer: str, state: str, label: str, elapsed: float, limit: float) -> None:
        now = utc_now()
        word = "即将超时" if state == "warn" else "已超时，升级处理"
        title = f"工单 {tid} {label}{word}（{elapsed / 60:.0f}/{limit / 60:.0f} 分钟）"
        with self.store.begin() as c:
            status = c.execute(select(self.store.t.tickets.c.status).where(self.store.t.tickets.c.id == tid)).scalar()
            c.execute(self.store.t.ticket_history.insert().values(
                ticket_id=tid, time=now, actor="system", action=f"sla.{state}.{timer}", from_status=None,
                to_status=None, note=f"{title} · {STATUS_LABELS.get(status, status)}"))
            append_audit(self.store, c, actor="system", action=f"sla.{state}", entity="ticket", entity_id=tid,
                         detail={"timer": timer, "elapsed_s": round(elapsed), "limit_s": limit}, time=now)
            c.execute(self.store.t.events.insert().values(
                time=now, kind="sla", severity="warning" if state == "warn" else "critical", title=title,
                detail=json.dumps({"timer": timer, "elapsed_s": round(elapsed), "limit_s": limit}, ensure_ascii=False),
                location="{}", ticket_id=tid, is_drill=0))

"""Dispatch desktop side of crew tickets through the relay.

Each sync round (:meth:`CrewPublisher.round`, hooked into ``SyncService.rounds``):

1. pull the crew's progress records after the stored cursor and apply each one through the same services
   the desktop uses itself — ``TicketService.accept/move`` (workflow guards), ``TicketEvidenceService``
   (checklist ticks, readings, notes, photos) — with the crew member as the actor, so the guards and the
   audit log apply; a refused step keeps the guard's reason; every outcome is reported back to the relay;
2. publish every assigned ticket whose content changed since it was last published (new version), to
   the relay, which keeps only tickets whose assignee has a crew account there.

The record ids are stored in ``crew_progress`` (direction ``in``, migration 0004) with the outcome, so a
record pulled twice is applied once.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable

from pydantic import ValidationError
from sqlalchemy import and_, not_, or_, select

from anran_desktop.services.crew_refusals import code, pack_reason, refusal_codes, unpack_reason
from anran_desktop.services.ticket_evidence import TicketEvidenceService, sop_for
from anran_desktop.services.tickets import TicketService, WorkflowError, title_parts_of
from anran_desktop.store import Store, utc_now
from sync.client import SyncClient
from sync.crew_client import RelayCallError, publish_tickets, pull_progress, report_results
from sync.crew_protocol import ChecklistItem, CrewTicket, ProgressRecord, ProgressResult

log = logging.getLogger(__name__)
CURSOR_KEY = "relay_progress_cursor"


def ticket_body(row, checklist: dict[str, tuple[bool, str]], site: str = "") -> dict:  # noqa: ANN001
    """What is published for one ticket row, without its version (``checklist``: item → (done, by))."""
    sop = sop_for(row.kind)
    items = [ChecklistItem(id=i.id, label=i.text, stage=stage, done=checklist.get(i.id, (False, ""))[0],
                           by=checklist.get(i.id, (False, ""))[1]).model_dump()
             for stage, its in (sop.checklist.items() if sop else ()) for i in its]
    return {"id": row.id, "site": _fit(site, "site"), "title": _fit(row.title, "title"), "kind": row.kind,
            "area": row.area_id or "", "assignee": row.assignee or "", "status": row.status, "priority": row.priority,
            "is_drill": bool(row.is_drill), "interval": json.loads(row.suspect_interval or "{}"),
            "location": json.loads(row.location or "{}"), "checklist": items,
            "notes": _fit(row.notes or "", "notes"),
            "title_parts": title_parts_of(getattr(row, "title_parts", None)) or {}}


def _validation_text(e: ValidationError) -> str:
    """``title: String should have at most 300 characters; …``: which field is wrong and how."""
    return "; ".join(f"{'.'.join(str(x) for x in err['loc']) or '?'}: {err['msg']}" for err in e.errors())


def _fit(text: str, field: str) -> str:
    """``text`` cut to the length the crew protocol allows its ``field`` (``CrewTicket``'s ``max_length``;
    the crew laptop shows it, the desktop keeps it whole)."""
    limit = next(m.max_length for m in CrewTicket.model_fields[field].metadata if hasattr(m, "max_length"))
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _digest(body: dict) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def relay_refusal(store: Store, ticket_id: str) -> str | None:
    """Why the ticket's last publish to the crews was refused (by the relay, or because it does not fit the
    crew protocol); None when it went up or was never published."""
    rt = store.t.relay_tickets
    with store.read() as c:
        row = c.execute(select(rt.c.state, rt.c.error).where(rt.c.ticket_id == ticket_id)).first()
    return (row.error or "?") if row is not None and row.state == "rejected" else None


class CrewPublisher:
    def __init__(self, store: Store, tickets: TicketService, evidence: TicketEvidenceService,
                 site_name: str = "") -> None:
        self.store, self.tickets, self.evidence, self.site_name = store, tickets, evidence, site_name
        self.last_error: str | None = None
        #: Called (on the sync thread) with each record once applied, e.g. to refresh the board.
        self.on_applied: Callable[[ProgressRecord], None] | None = None

    # ---- publish --------------------------------------------------------------------------------------
    def due(self) -> list[tuple[CrewTicket, str]]:
        """Tickets to send now with the digest of their content: changed, new, or refused last time."""
        t, rt, ck = self.store.t.tickets, self.store.t.relay_tickets, self.store.t.ticket_checklist
        # A closed ticket published after its last change is settled: a closed ticket takes no evidence or
        # checklist ticks, so nothing about it can differ from what the relay has. Leaving those out keeps a
        # round's work to the open tickets instead of every ticket the site has ever closed.
        settled = and_(t.c.status == "closed", rt.c.state == "published", rt.c.time >= t.c.updated_at)
        wanted = (select(t.c.id).select_from(t.outerjoin(rt, rt.c.ticket_id == t.c.id))
                  .where(t.c.assignee.is_not(None), t.c.assignee != "", or_(rt.c.ticket_id.is_(None), not_(settled))))
        with self.store.read() as c:
            rows = c.execute(select(t).where(t.c.id.in_(wanted))).fetchall()
            known = {r.ticket_id: r for r in c.execute(select(rt).where(rt.c.ticket_id.in_(wanted)))}
            ticks: dict[str, dict[str, tuple[bool, str]]] = {}
            for r in c.execute(select(ck.c.ticket_id, ck.c.item_id, ck.c.done, ck.c.actor)
                               .where(ck.c.ticket_id.in_(wanted))):
                ticks.setdefault(r.ticket_id, {})[r.item_id] = (bool(r.done), r.actor)
        out = []
        for r in rows:
            old = known.get(r.id)
            if old is None and r.status == "closed":
                continue  # closed before crew sync: nothing to tell the crew
            body = ticket_body(r, ticks.get(r.id, {}), self.site_name)
            dg = _digest(body)
            if old is not None and old.digest == dg and old.state == "published":
                continue
            version = 1 if old is None else old.version + (old.digest != dg)
            try:
                out.append((CrewTicket(**body, version=version, updated_at=r.updated_at), dg))
            except ValidationError as e:  # one ticket the protocol cannot carry must not hold up the others
                if old is None or old.digest != dg or old.state != "rejected":  # recorded once per content
                    self._refuse(r.id, version, dg, r.updated_at, _validation_text(e))
        return out

    def _refuse(self, ticket_id: str, version: int, digest: str, updated_at: str, error: str) -> None:
        """Record a ticket the desktop could not publish as rejected, with why (shown as a relay refusal);
        it is tried again once it changes."""
        vals = {"version": version, "digest": digest, "state": "rejected", "error": error[:500], "time": updated_at}
        with self.store.begin() as c:
            self._relay_copy(c, ticket_id, vals)

    def _relay_copy(self, c, ticket_id: str, vals: dict) -> None:  # noqa: ANN001
        """Write (or overwrite) what the relay holds of ``ticket_id``: version, digest, state, error, time."""
        from sqlalchemy.dialects.sqlite import insert

        rt = self.store.t.relay_tickets
        c.execute(insert(rt).values(ticket_id=ticket_id, **vals)
                  .on_conflict_do_update(index_elements=["ticket_id"], set_=vals))

    def unassigned(self) -> list[str]:
        """Published tickets that no longer have an assignee: the relay is told to withdraw them."""
        t, rt = self.store.t.tickets, self.store.t.relay_tickets
        with self.store.read() as c:
            return list(c.execute(select(rt.c.ticket_id).join(t, t.c.id == rt.c.ticket_id).where(
                rt.c.state == "published", (t.c.assignee.is_(None)) | (t.c.assignee == ""))).scalars())

    async def publish(self, client: SyncClient) -> int:
        due, gone = self.due(), self.unassigned()
        if not due and not gone:
            return 0
        res = await publish_tickets(client.http, [t for t, _ in due], gone)
        now, rt, tk = utc_now(), self.store.t.relay_tickets, self.store.t.tickets
        with self.store.begin() as c:
            if gone:
                c.execute(rt.update().where(rt.c.ticket_id.in_(gone)).values(state="withdrawn", error=None, time=now))
            current = dict(c.execute(select(tk.c.id, tk.c.updated_at).where(tk.c.id.in_([t.id for t, _ in due]))).all())
            for t, dg in due:
                if t.id in res.rejected:
                    state, error = "rejected", res.rejected[t.id][:500]
                else:  # stored, or stale: the relay already holds this version
                    state, error = "published", None
                # Changed while it was being sent (e.g. closed): stamp the row with the sent content's time, so
                # ``due`` cannot take the ticket for settled and the next round digests and sends it again.
                when = now if current.get(t.id) == t.updated_at else t.updated_at
                self._relay_copy(c, t.id, {"version": t.version, "digest": dg, "state": state, "error": error,
                                           "time": when})
        return len(res.stored)

    # ---- progress -------------------------------------------------------------------------------------
    def _assignee(self, ticket_id: str) -> str | None:
        t = self.store.t.tickets
        with self.store.read() as c:
            return c.execute(select(t.c.assignee).where(t.c.id == ticket_id)).scalar()

    def _has_evidence(self, ticket_id: str, progress_id: str) -> bool:
        e = self.store.t.ticket_evidence
        mark = json.dumps({"relay_progress": progress_id}, ensure_ascii=False)[1:-1]  # as attach() writes it
        with self.store.read() as c:
            return c.execute(select(e.c.id).where(e.c.ticket_id == ticket_id, e.c.detail.contains(mark,
                                                                                                  autoescape=True))
                             ).first() is not None

    def _accepted_since_assigned(self, ticket_id: str, actor: str) -> bool:
        """The ticket's latest accept/assign history row is an accept by ``actor`` (a repeated accept)."""
        h = self.store.t.ticket_history
        with self.store.read() as c:
            r = c.execute(select(h.c.action, h.c.actor).where(h.c.ticket_id == ticket_id,
                                                             h.c.action.in_(("accept", "assign")))
                          .order_by(h.c.id.desc()).limit(1)).first()
        return r is not None and r.action == "accept" and r.actor == actor

    def apply(self, rec: ProgressRecord, photo: bytes | None = None) -> tuple[str, str | None, list[dict]]:
        """Apply one record with the desktop's own services: ``("applied", None, [])``, ``("refused", why,
        codes)``, or ``("duplicate", None, [])`` for a record already applied (evidence stored from it, or an
        accept by the same crew member since the ticket was last assigned)."""
        p, actor, tid = rec.payload, rec.username, rec.ticket_id
        try:
            assignee = self._assignee(tid)
            if assignee != actor:
                return ("refused", f"工单 {tid} 现在指派给 {assignee or '无人'}，{actor} 的记录不再适用",
                        [code("reassigned", ticket=tid, assignee=assignee or "", actor=actor)])
            detail = {"relay_progress": rec.progress_id, "recorded_at": rec.created_at}
            if rec.kind in ("note", "reading", "photo", "valve_test") and self._has_evidence(tid, rec.progress_id):
                return "duplicate", None, []  # applied before a crash cut off its crew_progress row
            if rec.kind == "accept":
                if self._accepted_since_assigned(tid, actor):
                    return "duplicate", None, []  # accepted already (a repeat after a crash): no second 接单 row
                self.tickets.accept(tid, actor)
            elif rec.kind == "move":
                self.tickets.move(tid, p["to"], actor, str(p.get("note") or ""), publish=True)
            elif rec.kind == "check":
                self.evidence.set_item(tid, p["item"], bool(p["done"]), actor)
            elif rec.kind == "note":
                self.evidence.attach(tid, "note", actor, note=str(p["note"]), detail=detail)
            elif rec.kind == "reading":
                self.evidence.attach(tid, p["evidence"], actor, value=float(p["value"]), unit=str(p.get("unit") or ""),
                                     note=str(p.get("note") or ""), node_id=p.get("node_id") or None, detail=detail)
            elif rec.kind == "valve_test":  # the same evidence a valve test entered here makes (engine input)
                self.evidence.attach(tid, "valve_test", actor, note=str(p.get("note") or ""),
                                     detail={**detail, "valves": [str(v) for v in p["valves"]],
                                             "restored": bool(p["restored"])})
            elif rec.kind == "photo":
                ref = (p.get("photos") or [{}])[0]  # masked and re-encoded by the relay (sha256 checked)
                self.evidence.attach(tid, p["evidence"], actor, photo=photo, note=str(p.get("note") or ""),
                                     detail={**detail, "masked_regions": ref.get("masked")}, premasked=True)
        except WorkflowError as exc:
            return "refused", str(exc), refusal_codes(self.store, self.tickets, self.evidence, rec.kind, tid, actor, p)
        except (ValueError, TypeError, KeyError) as exc:  # a malformed record must not block the ones after it
            return ("refused", f"记录无法应用：{type(exc).__name__}: {exc}",
                    [code("malformed", error=f"{type(exc).__name__}: {exc}"[:300])])
        return "applied", None, []

    def _seen(self, progress_id: str) -> bool:
        cp = self.store.t.crew_progress
        with self.store.read() as c:
            return c.execute(select(cp.c.progress_id).where(cp.c.progress_id == progress_id)).first() is not None

    def _record(self, rec: ProgressRecord, state: str, reason: str | None, *, reported: bool = False) -> None:
        now = utc_now()
        with self.store.begin() as c:
            c.execute(self.store.t.crew_progress.insert().values(
                progress_id=rec.progress_id, direction="in", ticket_id=rec.ticket_id, actor=rec.username,
                kind=rec.kind, payload=json.dumps(rec.payload, ensure_ascii=False), created_at=rec.created_at,
                state=state, reason=reason, updated_at=now, reported_at=now if reported else None))
            self.store.set_setting(CURSOR_KEY, str(rec.seq), conn=c)

    async def pull_and_apply(self, client: SyncClient) -> int:
        """Apply every new record in relay order; stops (cursor kept) at a photo that cannot be fetched."""
        applied = 0
        while True:
            page = await pull_progress(client.http, int(self.store.setting(CURSOR_KEY) or 0))
            for rec in page.items:
                if self._seen(rec.progress_id):
                    self.store.set_setting(CURSOR_KEY, str(rec.seq))
                    continue
                if rec.state != "pending":  # resolved by an earlier round whose local write was lost
                    codes = [x.model_dump() for x in rec.reason_codes]
                    self._record(rec, rec.state, pack_reason(rec.reason, codes) if rec.reason else None,
                                 reported=True)
                    continue
                photo = None
                if rec.kind == "photo":
                    ref = (rec.payload.get("photos") or [{}])[0]
                    try:
                        photo = await client.fetch_photo(int(ref["id"]), str(ref["sha256"]))
                    except Exception as exc:  # unreachable, wrong digest: the record waits for the next round
                        raise RelayCallError(f"photo of progress {rec.progress_id}: {exc}") from exc
                state, reason, codes = self.apply(rec, photo)
                self._record(rec, "applied" if state == "duplicate" else state,
                             pack_reason(reason, codes) if reason else None)
                applied += state == "applied"
                if state == "applied" and self.on_applied is not None:
                    self.on_applied(rec)
            if not page.more:
                break
        await self.report(client)
        return applied

    async def report(self, client: SyncClient) -> None:
        cp = self.store.t.crew_progress
        with self.store.read() as c:
            rows = c.execute(select(cp.c.progress_id, cp.c.state, cp.c.reason).where(
                cp.c.direction == "in", cp.c.reported_at.is_(None)).order_by(cp.c.created_at).limit(500)).fetchall()
        if not rows:
            return
        out = []
        for r in rows:
            text, codes = unpack_reason(r.reason)
            out.append(ProgressResult(progress_id=r.progress_id, state=r.state, reason=text[:2000] or None,
                                      reason_codes=codes[:20]))
        await report_results(client.http, out)
        with self.store.begin() as c:
            c.execute(cp.update().where(cp.c.progress_id.in_([r.progress_id for r in rows]))
                      .values(reported_at=utc_now()))

    async def round(self, client: SyncClient) -> None:
        """One crew round inside a sync round: progress in first (its moves change tickets), then publish."""
        try:
            await self.pull_and_apply(client)
            await self.publish(client)
            self.last_error = None
        except RelayCallError as exc:
            self.last_error = str(exc)
            log.info("crew tickets: %s", exc)

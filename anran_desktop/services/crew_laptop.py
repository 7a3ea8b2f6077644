"""Crew laptop side of crew tickets through the relay (its own database; works offline).

* :meth:`CrewLaptopSync.pull` stores the tickets assigned to the signed-in crew member (a newer relay
  version updates the local copy; the dispatch desktop is authoritative). Status and checklist are not
  overwritten while the crew still has unconfirmed records for the ticket.
* Whatever the crew does in crew mode goes through the local ``TicketService`` / ``TicketEvidenceService``
  and so into the local audit log. :meth:`CrewLaptopSync.capture` turns the crew member's new audit rows
  about relay tickets (accept, move, checklist, evidence) into ``crew_progress`` records (direction
  ``out``, one transaction with the audit cursor): that table is the crew's outbox, kept across restarts.
* :meth:`CrewLaptopSync.push` posts pending records in order (photos with their image); a record the
  relay refuses for good (404, 422) is marked refused with its reason; a network failure stops the round.
* :meth:`CrewLaptopSync.results` reads the dispatch desktop's verdict on sent records; a refusal is
  written to the ticket's history (action ``relay_refused``) so the crew sees why.
"""

from __future__ import annotations

import json
import logging
import math
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.dialects.sqlite import insert

from anran_desktop.services.crew_refusals import pack_reason, unpack_reason
from anran_desktop.services.ticket_evidence import PHOTO_EVIDENCE, READING_EVIDENCE
from anran_desktop.services.tickets import STATUSES, interval_change_text
from anran_desktop.store import Store, utc_now
from anran_desktop.store.audit import append_audit
from sync.crew_client import CrewRelayClient, RateLimited, Refused, RelayCallError
from sync.crew_protocol import CrewTicket, ProgressIn, ProgressRecord
from sync.protocol import new_event_id

log = logging.getLogger(__name__)
AUDIT_CURSOR_KEY = "crew_audit_cursor"
RELAY_ACTOR = "relay"
BATCH = 100  # records per batch request
REFUSAL_SHOWN_H = 12  # refusals stay in the crew's status line this long (they stay in the ticket timeline)
_CAPTURED = ("ticket.accept", "ticket.move", "ticket.checklist", "ticket.evidence")


def _hours_ago(hours: float) -> str:
    from datetime import UTC, datetime, timedelta

    t = datetime.now(UTC) - timedelta(hours=hours)
    return t.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _text_codes(value: str | None) -> tuple[str, tuple[dict, ...]]:
    text, codes = unpack_reason(value)
    return text, tuple(codes)


@dataclass(frozen=True)
class CrewSyncState:
    """What the crew's status line shows."""

    online: bool
    pending: int            # captured, not yet on the relay
    waiting: int            # on the relay, not yet applied by the dispatch desktop
    #: (ticket, kind, reason text, reason codes) refused in the last 12 h, newest first
    refused: tuple[tuple[str, str, str, tuple[dict, ...]], ...]
    last_success_at: str | None
    last_error: str | None
    rate_limited: bool = False  # the relay said 429: online, the rest is sent in the next rounds
    withdrawn: tuple[str, ...] = ()  # tickets taken away from me in the last 12 h
    retry_in_s: int | None = None  # rate limited: seconds until the relay takes requests again (its Retry-After)


class CrewLaptopSync:
    def __init__(self, store: Store, client: CrewRelayClient, *, evidence_root: Path | None = None) -> None:
        self.store, self.client = store, client
        self.username = client.username
        self._root = evidence_root
        self.online = False
        self.rate_limited = False
        self._hold_until: float | None = None  # monotonic time before which the relay asked us not to call
        self.last_success_at: str | None = None
        self.last_error: str | None = None
        self.conflicts: set[str] = set()  # relay tickets not stored because a local ticket has their id

    @property
    def evidence_root(self) -> Path:
        if self._root is None:
            from anran_desktop.paths import evidence_dir

            self._root = evidence_dir()
        return self._root

    # ---- tickets in ------------------------------------------------------------------------------------
    def _unresolved(self, c, ticket_id: str) -> bool:  # noqa: ANN001
        cp = self.store.t.crew_progress
        return c.execute(select(cp.c.progress_id).where(cp.c.ticket_id == ticket_id, cp.c.direction == "out",
                                                        cp.c.state.in_(("pending", "sent")))).first() is not None

    def store_tickets(self, tickets: list[CrewTicket]) -> int:
        """Write pulled tickets into the local store; returns how many changed."""
        t, h, rt = self.store.t.tickets, self.store.t.ticket_history, self.store.t.relay_tickets
        changed, now = 0, utc_now()
        mine = {x.id for x in tickets}
        with self.store.begin() as c:
            for tk in tickets:
                old_v = c.execute(select(rt.c.version).where(rt.c.ticket_id == tk.id)).scalar()
                if old_v is not None and tk.version <= old_v:
                    continue
                row = c.execute(select(t).where(t.c.id == tk.id)).first()
                if row is not None and old_v is None:  # a local ticket with the same id: never overwrite it
                    self.conflicts.add(tk.id)
                    log.warning("crew sync: local ticket %s has the id of a relay ticket; relay copy not stored",
                                tk.id)
                    continue
                vals = {"title": tk.title, "kind": tk.kind, "priority": tk.priority, "area_id": tk.area or None,
                        "location": json.dumps(tk.location, ensure_ascii=False),
                        "suspect_interval": json.dumps(tk.interval, ensure_ascii=False), "assignee": tk.assignee,
                        "notes": tk.notes, "is_drill": int(tk.is_drill), "updated_at": now}
                if "title_parts" in t.c:
                    vals["title_parts"] = json.dumps(tk.title_parts, ensure_ascii=False) if tk.title_parts else None
                hold = row is not None and self._unresolved(c, tk.id)
                if row is None:
                    c.execute(t.insert().values(id=tk.id, status=tk.status, created_by=RELAY_ACTOR, created_at=now,
                                                **{f"{s}_at": now for s in STATUSES[1:STATUSES.index(tk.status) + 1]},
                                                **vals))
                    c.execute(h.insert().values(ticket_id=tk.id, time=now, actor=RELAY_ACTOR, action="relay",
                                                from_status=None, to_status=tk.status, note=tk.title))
                elif not hold and row.status != tk.status:
                    vals["status"] = tk.status
                    if STATUSES.index(tk.status) > STATUSES.index(row.status):
                        vals[f"{tk.status}_at"] = now
                    c.execute(h.insert().values(ticket_id=tk.id, time=now, actor=RELAY_ACTOR, action="relay",
                                                from_status=row.status, to_status=tk.status, note="调度台"))
                c.execute(t.update().where(t.c.id == tk.id).values(**vals))
                before = json.loads(row.suspect_interval or "{}") if row is not None else None
                if before is not None and _interval_moved(before, tk.interval):  # e.g. the desktop's leak watch
                    c.execute(h.insert().values(ticket_id=tk.id, time=now, actor=RELAY_ACTOR, action="interval",
                                                from_status=None, to_status=None,
                                                note=f"dispatch: {interval_change_text(before, tk.interval)}"))
                if not hold:
                    self._store_checklist(c, tk)
                append_audit(self.store, c, actor=RELAY_ACTOR, action="ticket.pulled", entity="ticket",
                             entity_id=tk.id, detail={"version": tk.version, "status": tk.status}, time=now)
                rv = {"version": tk.version, "digest": None, "state": "pulled", "error": None, "time": now}
                c.execute(insert(rt).values(ticket_id=tk.id, **rv).on_conflict_do_update(
                    index_elements=["ticket_id"], set_=rv))
                changed += 1
            # a ticket the relay no longer shows me was given to someone else
            for r in c.execute(select(rt.c.ticket_id).where(rt.c.state == "pulled")).fetchall():
                if r.ticket_id not in mine:
                    c.execute(t.update().where(t.c.id == r.ticket_id).values(assignee=None, updated_at=now))
                    c.execute(rt.update().where(rt.c.ticket_id == r.ticket_id)  # version 0: taken again if it
                              .values(state="withdrawn", version=0, time=now))     # comes back to me
                    c.execute(h.insert().values(ticket_id=r.ticket_id, time=now, actor=RELAY_ACTOR, action="relay",
                                                from_status=None, to_status=None, note="已改派"))
                    changed += 1
        return changed

    def _store_checklist(self, c, tk: CrewTicket) -> None:  # noqa: ANN001
        ck = self.store.t.ticket_checklist
        for i in tk.checklist:
            if not i.done and not i.by:
                continue
            v = {"stage": i.stage, "done": int(i.done), "actor": i.by or RELAY_ACTOR, "time": utc_now()}
            c.execute(insert(ck).values(ticket_id=tk.id, item_id=i.id, **v)
                      .on_conflict_do_update(index_elements=["ticket_id", "item_id"], set_=v))

    async def pull(self) -> int:
        return self.store_tickets(await self.client.my_tickets())

    # ---- progress out ----------------------------------------------------------------------------------
    def _progress_of(self, c, a) -> tuple[str, dict, str | None] | None:  # noqa: ANN001
        """(kind, payload, photo path) of one audit row, or None for actions the relay does not carry."""
        d = json.loads(a.detail or "{}")
        if a.action == "ticket.accept":
            return "accept", {}, None
        if a.action == "ticket.move":
            return "move", {"to": d.get("to"), "note": d.get("note") or ""}, None
        if a.action == "ticket.checklist":
            return "check", {"item": d.get("item"), "done": bool(d.get("done"))}, None
        ev = c.execute(select(self.store.t.ticket_evidence).where(
            self.store.t.ticket_evidence.c.id == d.get("evidence_id"))).first()
        if ev is None:
            return None
        if ev.kind in PHOTO_EVIDENCE:
            return "photo", {"evidence": ev.kind, "note": ev.note or ""}, ev.photo_path
        if ev.kind in READING_EVIDENCE:
            return "reading", {"evidence": ev.kind, "value": ev.value, "unit": ev.unit or "",
                               "node_id": ev.node_id, "note": ev.note or ""}, None
        if ev.kind == "note":
            return "note", {"note": ev.note or ""}, None
        if ev.kind == "valve_test" and json.loads(ev.detail or "{}").get("valves"):
            det = json.loads(ev.detail)
            return "valve_test", {"valves": list(det.get("valves") or []), "restored": bool(det.get("restored")),
                                  "note": ev.note or ""}, None
        log.info("crew sync: %s evidence is kept on this laptop only", ev.kind)
        return None

    def capture(self) -> int:
        """Queue the crew member's new local actions on relay tickets; returns how many were queued."""
        a, rt, cp = self.store.t.audit_log, self.store.t.relay_tickets, self.store.t.crew_progress
        n = 0
        with self.store.begin() as c:
            after = int(c.exec_driver_sql("SELECT value FROM settings WHERE key=?", (AUDIT_CURSOR_KEY,)).scalar()
                        or 0)
            rows = c.execute(select(a).where(a.c.id > after).order_by(a.c.id)).fetchall()
            if not rows:
                return 0
            relay_ids = set(c.execute(select(rt.c.ticket_id).where(rt.c.state == "pulled")).scalars())
            for r in rows:
                if r.actor != self.username or r.entity != "ticket" or r.action not in _CAPTURED \
                        or r.entity_id not in relay_ids:
                    continue
                got = self._progress_of(c, r)
                if got is None:
                    continue
                kind, payload, photo = got
                c.execute(cp.insert().values(
                    progress_id=new_event_id(), direction="out", ticket_id=r.entity_id, actor=r.actor, kind=kind,
                    payload=json.dumps(payload, ensure_ascii=False), photo_path=photo, created_at=r.time,
                    state="pending", audit_id=r.id, updated_at=utc_now()))
                n += 1
            self.store.set_setting(AUDIT_CURSOR_KEY, str(rows[-1].id), conn=c)
        return n

    def _set(self, progress_id: str, **vals: object) -> None:
        cp = self.store.t.crew_progress
        with self.store.begin() as c:
            c.execute(cp.update().where(cp.c.progress_id == progress_id).values(updated_at=utc_now(), **vals))

    def _refused(self, progress_id: str, reason: str, codes: list[dict] | None = None) -> None:
        cp, h = self.store.t.crew_progress, self.store.t.ticket_history
        now = utc_now()
        with self.store.begin() as c:
            r = c.execute(select(cp).where(cp.c.progress_id == progress_id)).first()
            c.execute(cp.update().where(cp.c.progress_id == progress_id)
                      .values(state="refused", reason=pack_reason(reason, codes or []), updated_at=now))
            rt = self.store.t.relay_tickets  # the next pull takes the relay's copy again, whatever its version
            c.execute(rt.update().where(rt.c.ticket_id == r.ticket_id, rt.c.state == "pulled").values(version=0))
            c.execute(h.insert().values(ticket_id=r.ticket_id, time=now, actor=RELAY_ACTOR, action="relay_refused",
                                        from_status=None, to_status=None, note=f"{r.kind}: {reason}"))
            append_audit(self.store, c, actor=RELAY_ACTOR, action="ticket.relay_refused", entity="ticket",
                         entity_id=r.ticket_id, detail={"progress_id": progress_id, "kind": r.kind,
                                                        "reason": reason, "codes": codes or []}, time=now)

    def _pending(self) -> list:
        cp = self.store.t.crew_progress
        with self.store.read() as c:
            return c.execute(select(cp).where(cp.c.direction == "out", cp.c.state == "pending")
                             .order_by(cp.c.created_at, cp.c.audit_id)).fetchall()

    @staticmethod
    def _record_in(r) -> ProgressIn:  # noqa: ANN001
        return ProgressIn(progress_id=r.progress_id, ticket_id=r.ticket_id, kind=r.kind,
                          payload=json.loads(r.payload), created_at=r.created_at)

    def _outcome(self, r, res: ProgressRecord | Refused) -> bool:  # noqa: ANN001
        if isinstance(res, Refused):
            self._refused(r.progress_id, f"中继拒收（{res.status} {res.code}）：{res.message}",
                          [{"code": "relay_refused", "params": {"status": res.status, "code": res.code,
                                                                "message": res.message[:300]}}])
            return False
        self._set(r.progress_id, state="sent", attempts=r.attempts + 1, last_error=None)
        return True

    async def _post_one(self, r) -> bool:  # noqa: ANN001
        photo = None
        if r.photo_path:
            path = self.evidence_root / r.photo_path
            if not path.is_file():
                self._refused(r.progress_id, f"照片文件 {path} 不存在",
                              [{"code": "photo_missing", "params": {"path": str(path)}}])
                return False
            photo = path.read_bytes()
        try:
            res = await self.client.post(self._record_in(r), photo)
        except RelayCallError as exc:
            self._set(r.progress_id, attempts=r.attempts + 1, last_error=str(exc)[:500])
            raise
        return self._outcome(r, res)

    async def _post_many(self, rows: list) -> int:
        """Records without a photo, in one request per ``BATCH`` (one hit of the relay's rate limit)."""
        try:
            outcomes = await self.client.post_batch([self._record_in(r) for r in rows])
        except RelayCallError as exc:
            for r in rows:
                self._set(r.progress_id, attempts=r.attempts + 1, last_error=str(exc)[:500])
            raise
        if outcomes is None:  # an older relay: one request per record
            sent = 0
            for r in rows:
                sent += await self._post_one(r)
            return sent
        by_id = {o.progress_id: o for o in outcomes}
        sent = 0
        for r in rows:
            o = by_id.get(r.progress_id)
            if o is None:
                raise RelayCallError(f"batch answer lacks progress {r.progress_id}")
            res = o.record if o.result != "refused" and o.record is not None else Refused(o.status, o.code, o.message)
            sent += self._outcome(r, res)
        return sent

    async def push(self) -> int:
        """Post pending records in order: runs of non-photo records as batches, photos one by one."""
        rows, sent, i = self._pending(), 0, 0
        while i < len(rows):
            if rows[i].photo_path:
                sent += await self._post_one(rows[i])
                i += 1
                continue
            j = i
            while j < len(rows) and not rows[j].photo_path and j - i < BATCH:
                j += 1
            sent += await self._post_many(rows[i:j])
            i = j
        return sent

    async def results(self) -> int:
        """Read the dispatch desktop's verdict on sent records; returns how many were resolved."""
        cp = self.store.t.crew_progress
        with self.store.read() as c:
            ids = list(c.execute(select(cp.c.progress_id).where(cp.c.direction == "out", cp.c.state == "sent"))
                       .scalars())
        if not ids:
            return 0
        n = 0
        for rec in await self.client.states(ids):
            if rec.state == "applied":
                self._set(rec.progress_id, state="applied", reason=None)
            elif rec.state == "refused":
                self._refused(rec.progress_id, rec.reason or "调度台拒绝",
                              [x.model_dump() for x in rec.reason_codes])
            else:
                continue
            n += 1
        return n

    async def sync_once(self) -> bool:
        """Capture, push, read verdicts, pull tickets. True if the relay was reached for all of it. After a
        rate limit with a Retry-After the relay is not called again before that time (the records only queue)."""
        self.capture()
        if self._hold_until is not None and time.monotonic() < self._hold_until:
            return False
        self._hold_until = None
        try:
            await self.push()
            await self.results()
            await self.pull()
        except RateLimited as exc:  # reachable, just too many requests: draining, not offline
            self.online, self.rate_limited, self.last_error = True, True, str(exc)
            if exc.retry_after_s is not None and exc.retry_after_s > 0:
                self._hold_until = time.monotonic() + min(float(exc.retry_after_s), 600.0)
            log.info("crew sync: %s", exc)
            return False
        except RelayCallError as exc:
            self.online, self.rate_limited, self.last_error = False, False, str(exc)
            log.info("crew sync: %s", exc)
            return False
        self.online, self.rate_limited, self.last_error, self.last_success_at = True, False, None, utc_now()
        return True

    def state(self) -> CrewSyncState:
        cp = self.store.t.crew_progress
        with self.store.read() as c:
            counts = dict(c.exec_driver_sql(
                "SELECT state, count(*) FROM crew_progress WHERE direction='out' GROUP BY state").all())
            refused = c.execute(select(cp.c.ticket_id, cp.c.kind, cp.c.reason).where(
                cp.c.direction == "out", cp.c.state == "refused", cp.c.updated_at >= _hours_ago(REFUSAL_SHOWN_H))
                .order_by(cp.c.updated_at.desc())).fetchall()
            rt = self.store.t.relay_tickets
            withdrawn = tuple(c.execute(select(rt.c.ticket_id).where(
                rt.c.state == "withdrawn", rt.c.time >= _hours_ago(REFUSAL_SHOWN_H))).scalars())
        return CrewSyncState(self.online, counts.get("pending", 0), counts.get("sent", 0),
                             tuple((r.ticket_id, r.kind, *_text_codes(r.reason)) for r in refused),
                             self.last_success_at, self.last_error, self.rate_limited, withdrawn, self._retry_in())

    def _retry_in(self) -> int | None:
        if not self.rate_limited or self._hold_until is None:
            return None
        return max(0, math.ceil(self._hold_until - time.monotonic()))


def _interval_moved(old: dict, new: dict) -> bool:
    """Whether the dispatch desktop changed the ticket's interval (pipes, length or confidence)."""
    return (list(old.get("pipes") or []) != list(new.get("pipes") or [])
            or old.get("length_m") != new.get("length_m") or old.get("confidence") != new.get("confidence"))

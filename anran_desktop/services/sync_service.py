"""Desktop side of sync: the outbox/inbox repository over the desktop store, the sync loop, handlers.

Business services call :func:`enqueue` inside their own write transaction so the outgoing event
commits (or rolls back) together with the change itself.
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import Connection, and_, or_, select, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from anran_desktop.store.db import Store, utc_now
from sync.client import SyncClient, SyncStatus, run_every
from sync.protocol import DESKTOP_KINDS, PullItem, PushItem, new_event_id

log = logging.getLogger(__name__)
CURSOR_KEY = "relay_pull_cursor"
Handler = Callable[[PullItem], None]


def _table(conn: Connection, name: str):  # noqa: ANN202
    from sqlalchemy import MetaData, Table

    return Table(name, MetaData(), autoload_with=conn)


def enqueue(conn: Connection, kind: str, payload: dict) -> str:
    """Write an outbox row on ``conn`` (the caller's transaction; not committed here). Returns the event id."""
    if kind not in DESKTOP_KINDS:
        raise ValueError(f"enqueue: unknown sync kind {kind!r} (known: {', '.join(sorted(DESKTOP_KINDS))})")
    eid = new_event_id()
    conn.exec_driver_sql(
        "INSERT INTO outbox (event_id, kind, payload, created_at, status, attempts) VALUES (?, ?, ?, ?, 'pending', 0)",
        (eid, kind, json.dumps(payload, ensure_ascii=False), utc_now()))
    return eid


@dataclass(frozen=True)
class OutboxSummary:
    pending: int
    failing: int            # pending items whose last push failed (they are retried with back-off)
    rejected: int           # refused by the relay, kept for inspection
    oldest_pending_at: str | None  # UTC ISO time the oldest pending item was written
    unapplied: int          # pulled items not yet applied (e.g. their photos are still downloading)
    #: tickets the crews' relay refused (or the desktop could not put in the crew protocol): the crew does not
    #: see them until they change and go up again
    tickets_refused: int = 0


@dataclass(frozen=True)
class SyncSnapshot:
    """Everything the status bar shows, taken after a sync round."""

    online: bool
    outbox: OutboxSummary
    last_success_at: str | None  # UTC ISO time of the last round where push and pull both succeeded
    last_error: str | None


class StoreSyncRepo:
    """:class:`sync.client.OutboxRepo` over the desktop store's outbox/inbox/sync_state tables."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.t = store.t

    def due(self, limit: int) -> list[PushItem]:
        o = self.t.outbox
        now = utc_now()
        with self.store.read() as c:
            rows = c.execute(select(o).where(o.c.status == "pending",
                                             or_(o.c.next_attempt_at.is_(None), o.c.next_attempt_at <= now))
                             .order_by(o.c.id).limit(limit)).mappings().all()
        return [PushItem(event_id=r["event_id"], kind=r["kind"], payload=json.loads(r["payload"]),
                         created_at=r["created_at"]) for r in rows]

    def summary(self) -> OutboxSummary:
        """Counts for the status bar: pending, failing (pending after a failed try), rejected, oldest pending."""
        with self.store.read() as c:
            pending, failing, oldest = c.exec_driver_sql(
                "SELECT count(*), coalesce(sum(attempts > 0), 0), min(created_at) FROM outbox WHERE status='pending'"
            ).one()
            rejected = c.exec_driver_sql("SELECT count(*) FROM outbox WHERE status='rejected'").scalar()
            unapplied = c.exec_driver_sql("SELECT count(*) FROM inbox WHERE applied_at IS NULL").scalar()
            refused = c.exec_driver_sql(  # only those a crew is still waiting for
                "SELECT count(*) FROM relay_tickets r JOIN tickets t ON t.id = r.ticket_id WHERE r.state='rejected'"
                " AND t.status != 'closed' AND coalesce(t.assignee, '') != ''").scalar()
        return OutboxSummary(int(pending), int(failing), int(rejected), oldest, int(unapplied), int(refused))

    def pending_count(self) -> int:
        with self.store.read() as c:
            return int(c.exec_driver_sql("SELECT count(*) FROM outbox WHERE status='pending'").scalar())

    def mark_delivered(self, event_ids: list[str]) -> None:
        if not event_ids:
            return
        o = self.t.outbox
        with self.store.begin() as c:
            c.execute(update(o).where(o.c.event_id.in_(event_ids), o.c.status == "pending")
                      .values(status="delivered", delivered_at=utc_now(), last_error=None))

    def mark_rejected(self, reasons: dict[str, str]) -> None:
        o = self.t.outbox
        with self.store.begin() as c:
            for eid, why in reasons.items():
                c.execute(update(o).where(o.c.event_id == eid).values(status="rejected", last_error=why[:500]))

    def mark_failed(self, event_ids: list[str], error: str, retry_in_s: float) -> None:
        o = self.t.outbox
        nxt = (datetime.now(UTC) + timedelta(seconds=retry_in_s)).isoformat(timespec="milliseconds")
        nxt = nxt.replace("+00:00", "Z")
        with self.store.begin() as c:
            c.execute(update(o).where(and_(o.c.event_id.in_(event_ids), o.c.status == "pending"))
                      .values(attempts=o.c.attempts + 1, next_attempt_at=nxt, last_error=error[:500]))

    def retry_now(self) -> None:
        """Clear back-off delays (e.g. the user pressed "sync now" or the network came back)."""
        with self.store.begin() as c:
            c.exec_driver_sql("UPDATE outbox SET next_attempt_at=NULL WHERE status='pending'")

    def cursor(self) -> int:
        with self.store.read() as c:
            v = c.exec_driver_sql("SELECT value FROM sync_state WHERE key=?", (CURSOR_KEY,)).scalar()
        return int(v) if v else 0

    def receive(self, items: list[PullItem], cursor: int) -> list[PullItem]:
        fresh: list[PullItem] = []
        i = self.t.inbox
        with self.store.begin() as c:
            for it in items:
                res = c.execute(sqlite_insert(i).values(
                    event_id=it.event_id, kind=it.kind, payload=it.model_dump_json(), received_at=utc_now())
                    .on_conflict_do_nothing(index_elements=["event_id"]))
                if res.rowcount:
                    fresh.append(it)
            c.exec_driver_sql("INSERT INTO sync_state (key, value) VALUES (?, ?) "
                              "ON CONFLICT(key) DO UPDATE SET value=excluded.value", (CURSOR_KEY, str(cursor)))
        return fresh

    def unapplied(self) -> list[PullItem]:
        with self.store.read() as c:
            rows = c.exec_driver_sql("SELECT payload FROM inbox WHERE applied_at IS NULL ORDER BY rowid").all()
        return [PullItem.model_validate_json(r[0]) for r in rows]

    def mark_applied(self, event_id: str) -> None:
        with self.store.begin() as c:
            c.exec_driver_sql("UPDATE inbox SET applied_at=? WHERE event_id=?", (utc_now(), event_id))


_TITLES = {"odor_report": "居民报告燃气异味", "help_call": "居民求助", "meter_reading": "居民上报表读数",
           "alarm_ack": "居民确认告警", "safety_check": "居民安全自检", "service_order": "居民服务工单"}
_SEVERITY = {"odor_report": "warning", "help_call": "warning"}


class SyncService:
    """Owns the sync loop for one desktop installation and dispatches pulled items to handlers."""

    def __init__(self, store: Store, base_url: str, site_token: str, *, batch_size: int = 100,
                 default_handlers: bool = True, evidence_root: Path | None = None) -> None:
        self.store = store
        self._evidence_root = evidence_root
        self.last_success_at: str | None = None
        self.photo_errors: list[str] = []
        self.repo = StoreSyncRepo(store)
        self.client = SyncClient(self.repo, base_url, site_token, batch_size=batch_size)
        self._handlers: dict[str, list[Handler]] = {}
        #: Extra steps of each round, given the site client (e.g. ``CrewPublisher.round``: crew tickets).
        self.rounds: list[Callable[[SyncClient], Awaitable[None]]] = []
        if default_handlers:
            for kind in _TITLES:
                self.on_item(kind, self._store_as_event)

    def on_item(self, kind: str, handler: Handler) -> None:
        """Call ``handler(item)`` once for every pulled item of ``kind``."""
        self._handlers.setdefault(kind, []).append(handler)

    @property
    def status(self) -> SyncStatus:
        s = self.client.status
        s.pending = self.repo.pending_count()
        return s

    @property
    def evidence_root(self) -> Path:
        """Where pulled photos are saved: the desktop's evidence folder unless another root was given."""
        if self._evidence_root is None:
            from anran_desktop.paths import evidence_dir

            self._evidence_root = evidence_dir()
        return self._evidence_root

    def snapshot(self) -> SyncSnapshot:
        s = self.client.status
        error = s.last_error or (self.photo_errors[0] if self.photo_errors else None)
        return SyncSnapshot(s.online, self.repo.summary(), self.last_success_at, error)

    def status_text(self) -> str:
        """One line for the status bar (Chinese source text; the view translates)."""
        s = self.status
        state = "在线" if s.online else "离线"
        return f"同步: {state} · 待发 {s.pending}" + (f" · {s.last_error[:40]}" if s.last_error and not s.online else "")

    def apply_pending(self) -> int:
        """Hand every received-but-unapplied item to its handlers (also after a crash). Returns the count."""
        from anran_desktop.services.sync_photos import missing

        n = 0
        for it in self.repo.unapplied():
            if missing(it, self.evidence_root):
                continue  # its photos are not downloaded yet: applied on a later round
            for h in self._handlers.get(it.kind, []):
                try:
                    h(it)
                except Exception:  # a broken handler must not block the others or lose the item
                    log.exception("sync handler for %s failed on %s", it.kind, it.event_id)
                    break
            else:
                self.repo.mark_applied(it.event_id)
                n += 1
        return n

    async def sync_once(self) -> tuple[int, int]:
        from anran_desktop.services.sync_photos import fetch_missing

        pushed, pulled = await self.client.sync_once()
        self.photo_errors = await fetch_missing(self.client, self.repo.unapplied(), self.evidence_root)
        self.apply_pending()
        for step in self.rounds:
            await step(self.client)
        st = self.client.status
        if st.online and st.consecutive_failures == 0 and not self.photo_errors:
            self.last_success_at = utc_now()
        return pushed, pulled

    async def run(self, interval_s: float = 5.0, stop: asyncio.Event | None = None) -> None:
        await run_every(self.sync_once, interval_s, stop)

    async def aclose(self) -> None:
        await self.client.aclose()

    def issue_household_code(self, household_id: str, area: str) -> str:
        """Issue a one-time registration code for a household; it reaches the relay through the outbox."""
        code = secrets.token_urlsafe(9)
        with self.store.begin() as c:
            enqueue(c, "household.code", {"household_id": household_id, "area": area, "code": code})
        return code

    def _store_as_event(self, item: PullItem) -> None:
        from anran_desktop.services.events import EventService
        from anran_desktop.services.sync_photos import evidence_rel, photo_refs

        evidence = [evidence_rel(item, r) for r in photo_refs(item)]
        title, drill = _TITLES.get(item.kind, item.kind), False
        if item.kind == "alarm_ack":  # an acknowledged drill invitation is a drill check-in
            with self.store.read() as c:
                drill = c.exec_driver_sql("SELECT 1 FROM outbox WHERE event_id=? AND kind='drill.invitation'",
                                          (str(item.payload.get("notification_event_id", "")),)).first() is not None
            title = "居民演练签到" if drill else title

        EventService(self.store).add(kind=f"resident.{item.kind}", severity=_SEVERITY.get(item.kind, "info"),
                                     title=title, is_drill=drill,
                                     detail={"relay_seq": item.seq, "event_id": item.event_id,
                                             "household_id": item.household_id, "area": item.area, **item.payload,
                                             **({"evidence": evidence} if evidence else {})},
                                     time=item.created_at)

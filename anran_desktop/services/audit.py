"""Reading and checking the append-only audit log (writes happen inside each service's transaction)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from anran_desktop.store import Store
from anran_desktop.store.audit import verify_audit_chain


@dataclass(frozen=True)
class AuditEntry:
    """One audit row as the views show it (time is UTC ISO 8601)."""

    id: int
    time: str
    actor: str
    action: str
    entity: str
    entity_id: str | None
    detail: dict[str, Any]


@dataclass(frozen=True)
class AuditCheck:
    """Result of walking the hash chain: ``ok`` and, if broken, the id of the first bad row."""

    ok: bool
    first_bad_id: int | None
    rows: int


class AuditService:
    """Read-only access to the audit log: recent rows, rows for one entity, chain verification."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def verify(self) -> AuditCheck:
        """Walk the whole SHA-256 chain; a changed, removed or reordered row makes ``ok`` False."""
        ok, bad = verify_audit_chain(self.store)
        t = self.store.t.audit_log
        with self.store.read() as c:
            n = c.exec_driver_sql(f"SELECT COUNT(*) FROM {t.name}").scalar() or 0
        return AuditCheck(ok, bad, int(n))

    def recent(self, limit: int = 100, entity: str | None = None, entity_id: str | None = None) -> list[AuditEntry]:
        """Newest first, optionally only the rows of one entity (e.g. ``("ticket", "T-20261124-0001")``)."""
        t = self.store.t.audit_log
        q = select(t).order_by(t.c.id.desc()).limit(limit)
        if entity is not None:
            q = q.where(t.c.entity == entity)
        if entity_id is not None:
            q = q.where(t.c.entity_id == entity_id)
        with self.store.read() as c:
            rows = c.execute(q).fetchall()
        return [AuditEntry(r.id, r.time, r.actor, r.action, r.entity, r.entity_id, json.loads(r.detail or "null") or {})
                for r in rows]

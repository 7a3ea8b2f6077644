"""The append-only audit log: every row carries the SHA-256 of its content and of the row before it.

SQLite triggers refuse UPDATE and DELETE; :func:`verify_audit_chain` finds any row whose content or
order was tampered with by other means (e.g. editing the file directly).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sqlalchemy import Connection, select

from anran_desktop.store.db import Store, utc_now

GENESIS = "0" * 64


def _digest(prev_hash: str, time: str, actor: str, action: str, entity: str, entity_id: str | None,
            detail: str | None) -> str:
    payload = json.dumps([prev_hash, time, actor, action, entity, entity_id, detail], ensure_ascii=False,
                         separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def append_audit(store: Store, conn: Connection, *, actor: str, action: str, entity: str,
                 entity_id: str | None = None, detail: dict[str, Any] | None = None,
                 time: str | None = None) -> int:
    """Append one row inside the caller's transaction (so it commits or rolls back with the change)."""
    t = store.t.audit_log
    prev = conn.execute(select(t.c.hash).order_by(t.c.id.desc()).limit(1)).scalar() or GENESIS
    time = time or utc_now()
    detail_text = json.dumps(detail, ensure_ascii=False, sort_keys=True) if detail is not None else None
    h = _digest(prev, time, actor, action, entity, entity_id, detail_text)
    res = conn.execute(t.insert().values(time=time, actor=actor, action=action, entity=entity,
                                         entity_id=entity_id, detail=detail_text, prev_hash=prev, hash=h))
    return int(res.inserted_primary_key[0])


def verify_audit_chain(store: Store) -> tuple[bool, int | None]:
    """``(True, None)`` if the chain is intact, else ``(False, id of the first bad row)``."""
    t = store.t.audit_log
    prev = GENESIS
    with store.read() as conn:
        for row in conn.execute(select(t).order_by(t.c.id)):
            expect = _digest(prev, row.time, row.actor, row.action, row.entity, row.entity_id, row.detail)
            if row.prev_hash != prev or row.hash != expect:
                return False, int(row.id)
            prev = row.hash
    return True, None

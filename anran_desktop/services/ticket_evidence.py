"""Evidence and SOP checklist state of tickets, and the workflow guards the desktop registers.

Evidence (readings, photos, notes, valve tests) and checklist ticks are stored in ``ticket_evidence`` /
``ticket_checklist`` (migration 0003), each write with a ticket_history row and an audit row in the same
transaction. :func:`register_guards` makes ``TicketService.move`` enforce the emergency-loop rules
(``anran_desktop.workflow.rules.check_transition``) against what is stored here.
"""

from __future__ import annotations

import json
import math
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select

from anran_desktop.services.tickets import TicketService, WorkflowError
from anran_desktop.store import Store, utc_now
from anran_desktop.store.audit import append_audit
from anran_desktop.workflow.permissions import can
from anran_desktop.workflow.rules import Evidence
from anran_desktop.workflow.service_guard import make_guard
from anran_desktop.workflow.sop import Sop, SopError, load_sop
from engine.units import to_kpa

EVIDENCE_KINDS = ("meter_reading", "gauge_reading", "retest_reading", "photo_before", "photo_after", "note",
                  "valve_test", "resident_report")
READING_EVIDENCE = ("meter_reading", "gauge_reading", "retest_reading")
#: readings of a pressure gauge: in a pressure unit, so the engine can take them (``engine.units``)
PRESSURE_EVIDENCE = ("gauge_reading", "retest_reading")
PHOTO_EVIDENCE = ("photo_before", "photo_after")
_IMAGE_MAGIC = {b"\x89PNG\r\n\x1a\n": "png", b"\xff\xd8\xff": "jpg"}


@dataclass(frozen=True)
class EvidenceRecord:
    id: int
    ticket_id: str
    time: str
    actor: str
    kind: str
    stage: str
    value: float | None
    unit: str
    note: str
    node_id: str | None
    reading_id: int | None
    photo: Path | None
    detail: dict[str, Any]

    def as_rule(self) -> Evidence:
        return Evidence(self.kind, self.stage, self.value, self.unit, self.note)


def sop_for(kind: str) -> Sop | None:
    """The SOP of a ticket kind, or None for kinds without one (e.g. maintenance)."""
    try:
        return load_sop(kind)
    except SopError:
        return None


def _privacy_masked(photo: bytes, ext: str) -> tuple[bytes, int]:
    """The photo with faces and people masked (vision.privacy), re-encoded so no EXIF/GPS is kept."""
    import cv2
    import numpy as np

    from vision.privacy import mask_people

    img = cv2.imdecode(np.frombuffer(photo, np.uint8), cv2.IMREAD_COLOR)
    if img is None:
        raise WorkflowError("the photo cannot be decoded (truncated or corrupt image)")
    out, n = mask_people(img)
    params = [cv2.IMWRITE_JPEG_QUALITY, 92] if ext == "jpg" else []
    ok, buf = cv2.imencode(f".{ext}", out, params)
    if not ok:
        raise WorkflowError("the masked photo could not be encoded")
    return buf.tobytes(), n


class TicketEvidenceService:
    """Attach evidence and tick SOP checklist items; both are refused for roles without
    ``ticket.attach_evidence`` and on closed tickets."""

    def __init__(self, store: Store, role_of: Callable[[str], str], evidence_root: Path | None = None) -> None:
        self.store = store
        self.role_of = role_of
        self._root = evidence_root

    @property
    def evidence_root(self) -> Path:
        if self._root is None:
            from anran_desktop.paths import evidence_dir

            self._root = evidence_dir()
        return self._root

    def _open_ticket(self, c, ticket_id: str, actor: str):  # noqa: ANN001, ANN202
        role = self.role_of(actor)
        if not can(role, "ticket.attach_evidence"):
            raise WorkflowError(f"用户 {actor}（角色 {role or '未知'}）无权为工单添加证据或勾选检查项")
        t = self.store.t.tickets
        r = c.execute(select(t).where(t.c.id == ticket_id)).first()
        if r is None:
            raise WorkflowError(f"ticket {ticket_id} does not exist")
        if r.status == "closed":
            raise WorkflowError(f"工单 {ticket_id} 已结案，不能再添加证据或修改检查项")
        return r

    def attach(self, ticket_id: str, kind: str, actor: str, *, value: float | None = None, unit: str = "",
               note: str = "", node_id: str | None = None, reading_id: int | None = None,
               photo: bytes | None = None, detail: dict[str, Any] | None = None,
               premasked: bool = False) -> EvidenceRecord:
        """Attach one piece of evidence, taken in the ticket's current status. ``premasked``: the photo is a
        JPEG the relay already masked and re-encoded (crew photos through the relay), stored as it is."""
        if kind not in EVIDENCE_KINDS:
            raise WorkflowError(f"unknown evidence kind '{kind}' (expected one of {', '.join(EVIDENCE_KINDS)})")
        if kind in READING_EVIDENCE and value is None:
            raise WorkflowError(f"evidence '{kind}' needs a value (the reading)")
        if value is not None and not math.isfinite(value):
            raise WorkflowError(f"evidence '{kind}': the reading {value} is not a number")
        if kind in PRESSURE_EVIDENCE and to_kpa(value, unit) is None:  # the engine takes it in kPa
            raise WorkflowError(f"evidence '{kind}': '{unit}' is not a pressure unit (kPa, MPa, bar, mbar, Pa)")
        if kind in PHOTO_EVIDENCE and photo is None:
            raise WorkflowError(f"evidence '{kind}' needs a photo")
        ext = None
        if photo is not None:
            ext = next((e for m, e in _IMAGE_MAGIC.items() if photo.startswith(m)), None)
            if ext is None:
                raise WorkflowError("the photo is neither PNG nor JPEG")
            if premasked and ext == "jpg":
                detail = {**(detail or {}), "masked_by": "relay"}
            else:
                photo, masked = _privacy_masked(photo, ext)
                detail = {**(detail or {}), "masked_regions": masked}
        now = utc_now()
        rel = None
        t, h = self.store.t.ticket_evidence, self.store.t.ticket_history
        try:
            with self.store.begin() as c:
                r = self._open_ticket(c, ticket_id, actor)
                if photo is not None:
                    rel = f"{now[:10].replace('-', '')}/{ticket_id}-{uuid.uuid4().hex[:12]}.{ext}"
                    target = self.evidence_root / rel
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(photo)
                res = c.execute(t.insert().values(
                    ticket_id=ticket_id, time=now, actor=actor, kind=kind, stage=r.status, value=value, unit=unit,
                    note=note, node_id=node_id, reading_id=reading_id, photo_path=rel,
                    detail=json.dumps(detail or {}, ensure_ascii=False)))
                eid = int(res.inserted_primary_key[0])
                shown = f"{kind}" + (f" {value:g} {unit}".rstrip() if value is not None else "") + \
                    (f" @{node_id}" if node_id else "") + (f" · {note}" if note else "")
                c.execute(h.insert().values(ticket_id=ticket_id, time=now, actor=actor, action="evidence",
                                            from_status=None, to_status=None, note=shown))
                append_audit(self.store, c, actor=actor, action="ticket.evidence", entity="ticket",
                             entity_id=ticket_id, time=now,
                             detail={"evidence_id": eid, "kind": kind, "stage": r.status, "value": value,
                                     "unit": unit, "node": node_id, "reading_id": reading_id, "photo": rel})
        except Exception:
            if rel is not None:  # no orphan photo for evidence that was not stored
                (self.evidence_root / rel).unlink(missing_ok=True)
            raise
        return next(e for e in self.evidence(ticket_id) if e.id == eid)

    def evidence(self, ticket_id: str) -> list[EvidenceRecord]:
        """Oldest first."""
        t = self.store.t.ticket_evidence
        with self.store.read() as c:
            rows = c.execute(select(t).where(t.c.ticket_id == ticket_id).order_by(t.c.id)).fetchall()
        return [EvidenceRecord(r.id, r.ticket_id, r.time, r.actor, r.kind, r.stage, r.value, r.unit or "",
                               r.note or "", r.node_id, r.reading_id,
                               self.evidence_root / r.photo_path if r.photo_path else None,
                               json.loads(r.detail or "{}")) for r in rows]

    def set_item(self, ticket_id: str, item_id: str, done: bool, actor: str) -> dict[str, bool]:
        """Tick (or untick) an SOP checklist item of the ticket's kind; returns the checklist state."""
        t, h = self.store.t.ticket_checklist, self.store.t.ticket_history
        now = utc_now()
        with self.store.begin() as c:
            r = self._open_ticket(c, ticket_id, actor)
            sop = sop_for(r.kind)
            stage = next((st for st, items in (sop.checklist.items() if sop else ()) if any(i.id == item_id
                                                                                          for i in items)), None)
            if stage is None:
                raise WorkflowError(f"「{item_id}」不是工单 {ticket_id}（{r.kind}）SOP 的检查项")
            from sqlalchemy.dialects.sqlite import insert

            stmt = insert(t).values(ticket_id=ticket_id, item_id=item_id, stage=stage, done=int(done), actor=actor,
                                    time=now)
            c.execute(stmt.on_conflict_do_update(index_elements=["ticket_id", "item_id"],
                                                 set_={"done": int(done), "actor": actor, "time": now}))
            c.execute(h.insert().values(ticket_id=ticket_id, time=now, actor=actor, action="checklist",
                                        from_status=None, to_status=None, note=f"{item_id} {'✓' if done else '✗'}"))
            append_audit(self.store, c, actor=actor, action="ticket.checklist", entity="ticket", entity_id=ticket_id,
                         detail={"item": item_id, "stage": stage, "done": done}, time=now)
        return self.checklist(ticket_id)

    def checklist(self, ticket_id: str) -> dict[str, bool]:
        t = self.store.t.ticket_checklist
        with self.store.read() as c:
            rows = c.execute(select(t.c.item_id, t.c.done).where(t.c.ticket_id == ticket_id)).fetchall()
        return {r.item_id: bool(r.done) for r in rows}

    # -- for the guard (inside the move's transaction) ---------------------------------------------------
    def evidence_of(self, conn, ticket_id: str) -> list[Evidence]:  # noqa: ANN001
        t = self.store.t.ticket_evidence
        rows = conn.execute(select(t.c.kind, t.c.stage, t.c.value, t.c.unit, t.c.note)
                            .where(t.c.ticket_id == ticket_id)).fetchall()
        return [Evidence(r.kind, r.stage, r.value, r.unit or "", r.note or "") for r in rows]

    def checklist_of(self, conn, ticket_id: str) -> set[str]:  # noqa: ANN001
        t = self.store.t.ticket_checklist
        return {r[0] for r in conn.execute(select(t.c.item_id).where(t.c.ticket_id == ticket_id, t.c.done == 1))}


def register_guards(tickets: TicketService, role_of: Callable[[str], str],
                    evidence: TicketEvidenceService) -> None:
    """Make ``tickets`` enforce the loop's rules (order, permission, assignee, evidence, checklist, retest)
    and the permission matrix for create/assign/narrow. Tickets of a kind without SOP keep order and
    permission checks only."""
    tickets.role_of = role_of
    guard = make_guard(role_of=role_of, evidence_of=evidence.evidence_of, checklist_of=evidence.checklist_of)

    def checked(conn, row, to_status: str, actor: str) -> list[str]:  # noqa: ANN001
        m = row._mapping
        if sop_for(str(m["kind"])) is None:
            from anran_desktop.workflow.rules import TicketState, check_transition

            state = TicketState(id=str(m["id"]), status=str(m["status"]), kind="drill",
                                assignee=str(m["assignee"] or ""))
            return [str(v) for v in check_transition(state, to_status, role_of(actor), [
                Evidence("retest_reading")]) if v.code in ("order", "permission", "assignee")]
        return guard(conn, row, to_status, actor)

    tickets.guards.append(checked)

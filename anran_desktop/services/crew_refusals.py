"""Why the dispatch desktop refused a crew record, as stable codes with parameters (sent beside the Chinese
text so a crew laptop in another language can word it; ``ui/crew_reasons.py`` does that).

The desktop's services refuse with a :class:`~anran_desktop.services.tickets.WorkflowError` whose message
is Chinese text. After a refusal, :func:`refusal_codes` looks at the ticket as it is now and names the
reasons: the workflow rules' own violation codes for a move (``order``, ``permission``, ``evidence``,
``checklist``, ``retest``, ``assignee`` — their ``params`` from :mod:`anran_desktop.workflow.rules`), and
for the other kinds ``closed``, ``accept_status``, ``not_sop_item``, ``permission``. ``other`` when none of
these explains it (the text is then all there is).
"""

from __future__ import annotations

import json

from sqlalchemy import select

from anran_desktop.services.ticket_evidence import TicketEvidenceService, sop_for
from anran_desktop.services.tickets import TicketService
from anran_desktop.store import Store
from anran_desktop.workflow.rules import STATUSES, TicketState, check_transition


def code(name: str, **params: object) -> dict:
    return {"code": name, "params": params}


def _role(tickets: TicketService, actor: str) -> str:
    try:
        return tickets.role_of(actor) if tickets.role_of is not None else ""
    except (KeyError, ValueError):
        return ""


def refusal_codes(store: Store, tickets: TicketService, evidence: TicketEvidenceService, kind: str,
                  ticket_id: str, actor: str, payload: dict) -> list[dict]:
    """The reasons a record of ``kind`` by ``actor`` on ``ticket_id`` is refused now (see the module doc)."""
    t = store.t.tickets
    with store.read() as c:
        row = c.execute(select(t).where(t.c.id == ticket_id)).first()
        if row is None:
            return [code("not_found", ticket=ticket_id)]
        done = frozenset(evidence.checklist_of(c, ticket_id))
        ev = evidence.evidence_of(c, ticket_id)
    role = _role(tickets, actor)
    if kind == "move":
        to = str(payload.get("to") or "")
        if row.status == "closed":
            return [code("closed", ticket=ticket_id)]
        if to in STATUSES and STATUSES.index(to) < STATUSES.index(row.status) - 1:
            return [code("back_step", ticket=ticket_id, **{"from": row.status, "to": to})]
        state = TicketState(id=ticket_id, status=row.status, kind=row.kind if sop_for(row.kind) else "drill",
                            assignee=row.assignee or "", is_drill=bool(row.is_drill), checklist_done=done)
        found = [code(v.code, **v.params) for v in check_transition(state, to, role, ev)]
        return found or [code("other")]
    if row.status == "closed":
        return [code("closed", ticket=ticket_id)]
    if kind == "accept" and row.status != "dispatched":
        return [code("accept_status", ticket=ticket_id, status=row.status)]
    if kind == "check":
        sop = sop_for(row.kind)
        ids = {i.id for its in (sop.checklist.values() if sop else ()) for i in its}
        if payload.get("item") not in ids:
            return [code("not_sop_item", ticket=ticket_id, item=str(payload.get("item")))]
    if role != "crew" and role not in ("dispatcher", "admin"):
        return [code("permission", role=role or "?", action=f"ticket.{kind}")]
    return [code("other")]


def pack_reason(text: str, codes: list[dict]) -> str:
    """A refusal as kept in a ``crew_progress.reason`` column (both desktops): the text, with its codes when
    given (JSON ``{"text", "codes"}``; no new column: rows of older versions hold the text alone)."""
    return json.dumps({"text": text, "codes": codes}, ensure_ascii=False) if codes else text


def unpack_reason(value: str | None) -> tuple[str, list[dict]]:
    """(text, codes) of a stored reason, plain text included."""
    if value and value.startswith('{"text"'):
        try:
            d = json.loads(value)
            return str(d.get("text") or ""), list(d.get("codes") or [])
        except ValueError:
            pass
    return value or "", []

"""Glue for ``TicketService.guards``: enforce :func:`check_transition` in the service layer."""

from __future__ import annotations

from collections.abc import Callable

from anran_desktop.workflow.rules import Evidence, TicketState, check_transition


def make_guard(role_of: Callable[[str], str], evidence_of: Callable[[object, str], list[Evidence]],
               checklist_of: Callable[[object, str], set[str]] | None = None):  # noqa: ANN201
    """A guard ``(conn, ticket_row, to_status, actor) -> list[str]`` for ``TicketService.guards``.

    ``role_of(actor)`` gives the actor's role; ``evidence_of(conn, ticket_id)`` the evidence attached;
    ``checklist_of(conn, ticket_id)`` the ids of the SOP checklist items done.
    """

    def guard(conn, row, to_status: str, actor: str) -> list[str]:  # noqa: ANN001
        m = row._mapping if hasattr(row, "_mapping") else row
        state = TicketState(id=str(m["id"]), status=str(m["status"]), kind=str(m.get("kind") or "leak"),
                            assignee=str(m.get("assignee") or ""), is_drill=bool(m.get("is_drill") or False),
                            checklist_done=frozenset(checklist_of(conn, str(m["id"])) if checklist_of else ()))
        return [str(v) for v in check_transition(state, to_status, role_of(actor), evidence_of(conn, state.id))]

    return guard

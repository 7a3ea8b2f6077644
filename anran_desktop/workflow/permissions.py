"""Which role may do what. One matrix, used by the service layer and mirrored by the UI."""

from __future__ import annotations

ROLES = ("dispatcher", "crew", "property_manager", "admin")

#: action -> roles allowed to perform it.
_MATRIX: dict[str, frozenset[str]] = {
    "ticket.create": frozenset({"dispatcher", "property_manager", "admin"}),
    "ticket.dispatch": frozenset({"dispatcher", "admin"}),  # alarm -> dispatched
    "ticket.arrive": frozenset({"crew", "admin"}),  # dispatched -> onsite
    "ticket.handle": frozenset({"crew", "admin"}),  # onsite -> handling
    "ticket.retest": frozenset({"crew", "admin"}),  # handling -> retest
    "ticket.close": frozenset({"dispatcher", "admin"}),  # retest -> closed
    "ticket.attach_evidence": frozenset({"crew", "dispatcher", "admin"}),
    "alarm.dismiss": frozenset({"dispatcher", "admin"}),  # clear an alarm without a ticket: a false alarm, with its cause
    "notice.send_area": frozenset({"dispatcher", "admin"}),
    "valve.remote_close": frozenset({"dispatcher", "admin"}),
    "drill.start": frozenset({"dispatcher", "admin"}),
    "drill.invite": frozenset({"dispatcher", "admin"}),  # invite an area's residents to a drill check-in
    "report.export": frozenset({"dispatcher", "property_manager", "admin"}),
    "user.manage": frozenset({"admin"}),
    "user.unlock": frozenset({"dispatcher", "admin"}),  # clear a sign-in lockout
    "audit.verify": frozenset({"dispatcher", "property_manager", "admin"}),
    "store.backup": frozenset({"dispatcher", "admin"}),  # the site's records (residents' data too) in one file
    "store.restore": frozenset({"admin"}),  # replace the site's records with a backup's (from the desktop)
}
ACTIONS = tuple(_MATRIX)

#: The action a status move needs.
MOVE_ACTION = {"dispatched": "ticket.dispatch", "onsite": "ticket.arrive", "handling": "ticket.handle",
               "retest": "ticket.retest", "closed": "ticket.close"}


def can(role: str, action: str) -> bool:
    """True if ``role`` may perform ``action``. Unknown actions or roles raise ``KeyError`` / return False."""
    if action not in _MATRIX:
        raise KeyError(f"unknown action {action!r}; known: {', '.join(ACTIONS)}")
    return role in _MATRIX[action]

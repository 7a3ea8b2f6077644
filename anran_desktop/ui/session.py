"""Who uses the app: the sign-in dialog on a real screen, ``--user`` for headless runs (screenshots, tests)."""

from __future__ import annotations

import sys

from anran_desktop.services.users import UserService


def signed_in_user(users: UserService, requested: str, *, interactive: bool) -> str | None:
    """The username to act as, or None when the sign-in was cancelled or ``requested`` is not a user.

    On a real screen the sign-in dialog is shown (``requested`` pre-fills the name); headless runs act as
    ``requested`` without a password — the audit log records it as ``user.sign_in`` with ``headless`` (which
    does not clear failed attempts); a locked account is refused there too.
    """
    if interactive:
        from anran_desktop.ui.sign_in import sign_in

        user = sign_in(users, requested)
        return user.username if user else None
    if not users.role_of(requested):
        print(f"anran: error: --user '{requested}' is not an active user of this database", file=sys.stderr)
        return None
    locked = users.guard.state(requested).locked_until
    if locked is not None:  # a locked account is not usable headless either
        print(f"anran: error: --user '{requested}' is locked after failed sign-ins until "
              f"{locked.astimezone():%Y-%m-%d %H:%M:%S} local time (a dispatcher or admin can unlock it)",
              file=sys.stderr)
        return None
    from anran_desktop.store.audit import append_audit

    with users.store.begin() as c:
        append_audit(users.store, c, actor=requested, action="user.sign_in", entity="user", entity_id=requested,
                     detail={"headless": True})
    return requested

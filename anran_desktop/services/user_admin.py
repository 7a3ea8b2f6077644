"""Account management after the first run (Qt-free): an admin (``user.manage``) adds a dispatcher or a
crew member, renames one, changes a role, resets a forgotten password, and deactivates the account of
someone who has left (and reactivates it). Accounts are never deleted: tickets, evidence and the audit log
keep naming them, and a username is never given to someone else.

Every change is in the audit log (never a password). Two rules keep a site manageable: an admin cannot
deactivate or demote themselves, and the last active admin cannot be deactivated or demoted.

Refusals are :class:`AccountError` with a stable ``code`` and its figures, so a view can word them in the
interface language (``anran_desktop/ui/users_dialog.py``); the message is English for logs and the CLI.
"""

from __future__ import annotations

import getpass
import re

from sqlalchemy import func, select

from anran_desktop.services.passwords import hash_password
from anran_desktop.services.users import ROLES, User, UserService
from anran_desktop.store.audit import append_audit
from anran_desktop.workflow.permissions import can

USERNAME_RE = re.compile(r"^[A-Za-z0-9_.-]{2,32}$")
MIN_PASSWORD = 8


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name in this environment
        return "?"


class AccountError(ValueError):
    """An account change that is refused; ``code`` says which rule, ``params`` its figures."""

    def __init__(self, code: str, message: str, **params: str) -> None:
        super().__init__(message)
        self.code, self.params = code, params


def check_username(username: str) -> None:
    if not USERNAME_RE.match(username):
        raise AccountError("username_invalid", f"username '{username}' must be 2–32 letters, digits, _ . -",
                           name=username)


def check_password_rule(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError("password_short", f"a password needs at least {MIN_PASSWORD} characters",
                           n=str(MIN_PASSWORD))


class UserAdmin:
    """Account changes made by ``actor``; each checks that ``actor`` is an active admin."""

    def __init__(self, users: UserService, *, console: bool = False) -> None:
        """``console``: changes made at this machine's command line (``anran users``), as
        :attr:`console_actor`, without an admin sign-in (whoever can open the database file can change it
        anyway); the other rules hold."""
        self.users = users
        self.store = users.store
        self.console = console
        self.console_actor = f"console:{_os_user()}" if console else ""

    # ---- helpers ---------------------------------------------------------------------------------------
    def _require_admin(self, actor: str) -> None:
        if self.console and actor == self.console_actor:
            return
        if not can(self.users.role_of(actor), "user.manage"):
            raise AccountError("not_allowed", f"'{actor}' may not manage accounts (admin only)", actor=actor)

    def _get(self, username: str) -> User:
        try:
            return self.users.get(username)
        except KeyError:
            raise AccountError("unknown_user", f"no account '{username}'", name=username) from None

    def _active_admins(self, c) -> int:  # noqa: ANN001
        t = self.store.t.users
        return int(c.execute(select(func.count()).select_from(t).where(t.c.role == "admin", t.c.active == 1))
                   .scalar())

    def _keeps_an_admin(self, c, user: User, actor: str, what: str) -> None:  # noqa: ANN001
        """Refuse taking ``user`` out of the active admins when it is ``actor`` or the last one."""
        if user.role != "admin" or not user.active:
            return
        if user.username == actor:
            raise AccountError("self", f"an admin cannot {what} their own account", name=user.username)
        if self._active_admins(c) <= 1:
            raise AccountError("last_admin", f"'{user.username}' is the last active admin", name=user.username)

    # ---- changes ---------------------------------------------------------------------------------------
    def add(self, actor: str, username: str, display_name: str, role: str, password: str) -> User:
        self._require_admin(actor)
        username, display_name = username.strip(), display_name.strip()
        check_username(username)
        if not display_name:
            raise AccountError("name_empty", "an account needs the person's name")
        if role not in ROLES:
            raise AccountError("role_unknown", f"unknown role '{role}'", role=role)
        check_password_rule(password)
        t = self.store.t.users
        with self.store.read() as c:
            taken = c.execute(select(t.c.username).where(func.lower(t.c.username) == username.lower())).first()
        if taken is not None:  # also a deactivated account's: a username is never given to someone else
            raise AccountError("username_taken", f"the username '{taken[0]}' is taken", name=taken[0])
        return self.users.create(username, display_name, role, password, actor=actor)

    def rename(self, actor: str, username: str, display_name: str) -> User:
        self._require_admin(actor)
        user, display_name = self._get(username), display_name.strip()
        if not display_name:
            raise AccountError("name_empty", "an account needs the person's name")
        self._update(actor, user, "user.rename", {"display_name": display_name},
                     {"from": user.display_name, "to": display_name})
        return self._get(username)

    def set_role(self, actor: str, username: str, role: str) -> User:
        self._require_admin(actor)
        user = self._get(username)
        if role not in ROLES:
            raise AccountError("role_unknown", f"unknown role '{role}'", role=role)
        if role == user.role:
            return user
        self._update(actor, user, "user.role", {"role": role}, {"from": user.role, "to": role})
        return self._get(username)

    def reset_password(self, actor: str, username: str, password: str) -> User:
        """A new password (the person is told it in person); a sign-in lock on the account is lifted."""
        self._require_admin(actor)
        user = self._get(username)
        check_password_rule(password)
        self._update(actor, user, "user.password_reset", {"password_hash": hash_password(password)}, {})
        self.users.guard.unlock(username, actor)
        return user

    def set_active(self, actor: str, username: str, active: bool) -> User:
        self._require_admin(actor)
        user = self._get(username)
        if user.active == active:
            return user
        self._update(actor, user, "user.activate" if active else "user.deactivate", {"active": int(active)}, {})
        return self._get(username)

    def _update(self, actor: str, user: User, action: str, values: dict, detail: dict) -> None:
        t = self.store.t.users
        with self.store.begin() as c:
            if action in ("user.role", "user.deactivate"):  # in the write, so two admins cannot race past it
                now = User.from_row(c.execute(select(t).where(t.c.id == user.id)).first())
                self._keeps_an_admin(c, now, actor, "demote" if action == "user.role" else "deactivate")
            c.execute(t.update().where(t.c.id == user.id).values(**values))
            append_audit(self.store, c, actor=actor, action=action, entity="user", entity_id=user.username,
                         detail=detail)

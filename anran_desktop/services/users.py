"""Users and roles of the desktop (dispatcher, crew, property manager, admin); passwords via scrypt
(:mod:`anran_desktop.services.passwords`), sign-in lockout via :mod:`anran_desktop.services.sign_in_guard`."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from anran_desktop.services.passwords import (
    burn_time,
    check_password,
    hash_password,
    is_current_hash,
    needs_rehash,
)
from anran_desktop.services.sign_in_guard import SignInGuard, SignInResult
from anran_desktop.store import Store, utc_now
from anran_desktop.store.audit import append_audit
from anran_desktop.workflow.permissions import ROLES  # the one list of the desktop's roles

__all__ = ["ROLES", "ROLE_LABELS", "User", "UserService", "check_password", "hash_password", "role_of_user"]

ROLE_LABELS = {"dispatcher": "调度员", "crew": "抢修员", "property_manager": "物业经理", "admin": "管理员"}


@dataclass(frozen=True)
class User:
    id: int
    username: str
    display_name: str
    role: str
    active: bool

    @classmethod
    def from_row(cls, r) -> User:  # noqa: ANN001 - a row of the users table
        return cls(r.id, r.username, r.display_name, r.role, bool(r.active))


class UserService:
    def __init__(self, store: Store, guard: SignInGuard | None = None) -> None:
        self.store = store
        self.guard = guard or SignInGuard(store)

    def create(self, username: str, display_name: str, role: str, password: str | None, actor: str = "system",
               *, password_hash: str | None = None) -> User:
        """``password_hash``: an already made :func:`hash_password` result instead of ``password``."""
        if password_hash is not None and (password is not None or not is_current_hash(password_hash)):
            raise ValueError("give either a password or a current-cost scrypt hash of one")
        if role not in ROLES:
            raise ValueError(f"unknown role '{role}' (expected one of {', '.join(ROLES)})")
        if not username.strip():
            raise ValueError("a user needs a username")
        t = self.store.t.users
        with self.store.begin() as c:
            if c.execute(select(t.c.id).where(t.c.username == username)).first():
                raise ValueError(f"the username '{username}' is taken")
            c.execute(t.insert().values(username=username, display_name=display_name, role=role,
                                        password_hash=password_hash or (hash_password(password) if password else None),
                                        active=1, created_at=utc_now()))
            append_audit(self.store, c, actor=actor, action="user.create", entity="user", entity_id=username,
                         detail={"role": role})
        return self.get(username)

    def get(self, username: str) -> User:
        t = self.store.t.users
        with self.store.read() as c:
            r = c.execute(select(t).where(t.c.username == username)).first()
        if r is None:
            raise KeyError(username)
        return User.from_row(r)

    def list(self, role: str | None = None) -> list[User]:
        t = self.store.t.users
        q = select(t).order_by(t.c.id)
        if role:
            q = q.where(t.c.role == role)
        with self.store.read() as c:
            return [User.from_row(r) for r in c.execute(q)]

    def role_of(self, username: str) -> str:
        """The role of an active user, ``""`` for an unknown or inactive one."""
        return role_of_user(self.store, username)

    def sign_in(self, username: str, password: str) -> SignInResult:
        """Check a password under the lockout and rate limit; every attempt is audited (never the password).

        Slow (one scrypt): call it off the GUI thread. A hash of an older cost is upgraded on success.
        """
        refused = self.guard.refusal(username)
        if refused is not None:
            return refused
        user = self.authenticate(username, password)
        return self.guard.record(username, user)

    def authenticate(self, username: str, password: str) -> User | None:
        """The active user whose password this is, else None (an unknown name costs the same time)."""
        t = self.store.t.users
        with self.store.read() as c:
            r = c.execute(select(t).where(t.c.username == username, t.c.active == 1)).first()
        if r is None or not r.password_hash:
            burn_time(password)
            return None
        if not check_password(password, r.password_hash):
            return None
        if needs_rehash(r.password_hash):
            with self.store.begin() as c:
                c.execute(t.update().where(t.c.id == r.id).values(password_hash=hash_password(password)))
                append_audit(self.store, c, actor=username, action="user.password_rehash", entity="user",
                             entity_id=username, detail={"reason": "stronger scrypt cost"})
        return User.from_row(r)  # authenticated: active

    def unlock(self, username: str, actor: str) -> bool:
        """Clear a lock (or the failure count) of ``username``; only roles with ``user.unlock`` may."""
        from anran_desktop.workflow.permissions import can

        if not can(self.role_of(actor), "user.unlock"):
            raise PermissionError(f"'{actor}' may not unlock accounts (dispatcher or admin only)")
        return self.guard.unlock(username, actor)


def role_of_user(store: Store, username: str) -> str:
    """The role of an active user, or ``""`` when no such active user exists (every action is then refused)."""
    t = store.t.users
    with store.read() as c:
        r = c.execute(select(t.c.role).where(t.c.username == username, t.c.active == 1)).first()
    return str(r[0]) if r else ""

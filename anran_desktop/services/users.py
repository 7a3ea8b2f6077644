"""Users and roles of the desktop (dispatcher, crew, property manager, admin); passwords via scrypt."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from dataclasses import dataclass

from sqlalchemy import select

from anran_desktop.store import Store, utc_now
from anran_desktop.store.audit import append_audit

ROLES = ("dispatcher", "crew", "property_manager", "admin")
ROLE_LABELS = {"dispatcher": "调度员", "crew": "抢修员", "property_manager": "物业经理", "admin": "管理员"}


def hash_password(password: str) -> str:
    salt = os.urandom(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=2**14, r=8, p=1)
    return "scrypt$" + base64.b64encode(salt).decode() + "$" + base64.b64encode(digest).decode()


def check_password(password: str, stored: str | None) -> bool:
    if not stored or not stored.startswith("scrypt$"):
        return False
    _, salt_b64, digest_b64 = stored.split("$")
    digest = hashlib.scrypt(password.encode("utf-8"), salt=base64.b64decode(salt_b64), n=2**14, r=8, p=1)
    return hmac.compare_digest(digest, base64.b64decode(digest_b64))


@dataclass(frozen=True)
class User:
    id: int
    username: str
    display_name: str
    role: str
    active: bool


class UserService:
    def __init__(self, store: Store) -> None:
        self.store = store

    def create(self, username: str, display_name: str, role: str, password: str | None, actor: str = "system") -> User:
        if role not in ROLES:
            raise ValueError(f"unknown role '{role}' (expected one of {', '.join(ROLES)})")
        if not username.strip():
            raise ValueError("a user needs a username")
        t = self.store.t.users
        with self.store.begin() as c:
            if c.execute(select(t.c.id).where(t.c.username == username)).first():
                raise ValueError(f"the username '{username}' is taken")
            c.execute(t.insert().values(username=username, display_name=display_name, role=role,
                                        password_hash=hash_password(password) if password else None, active=1,
                                        created_at=utc_now()))
            append_audit(self.store, c, actor=actor, action="user.create", entity="user", entity_id=username,
                         detail={"role": role})
        return self.get(username)

    def get(self, username: str) -> User:
        t = self.store.t.users
        with self.store.read() as c:
            r = c.execute(select(t).where(t.c.username == username)).first()
        if r is None:
            raise KeyError(username)
        return User(r.id, r.username, r.display_name, r.role, bool(r.active))

    def list(self, role: str | None = None) -> list[User]:
        t = self.store.t.users
        q = select(t).order_by(t.c.id)
        if role:
            q = q.where(t.c.role == role)
        with self.store.read() as c:
            return [User(r.id, r.username, r.display_name, r.role, bool(r.active)) for r in c.execute(q)]

    def role_of(self, username: str) -> str:
        """The role of an active user, ``""`` for an unknown or inactive one."""
        return role_of_user(self.store, username)

    def record_sign_in(self, username: str, ok: bool) -> None:
        """Audit a sign-in attempt (a failed one names the username tried, never the password)."""
        with self.store.begin() as c:
            append_audit(self.store, c, actor=username or "?", action="user.sign_in" if ok else "user.sign_in_failed",
                         entity="user", entity_id=username or None)

    def authenticate(self, username: str, password: str) -> User | None:
        t = self.store.t.users
        with self.store.read() as c:
            r = c.execute(select(t).where(t.c.username == username, t.c.active == 1)).first()
        if r is None or not check_password(password, r.password_hash):
            return None
        return User(r.id, r.username, r.display_name, r.role, True)


def role_of_user(store: Store, username: str) -> str:
    """The role of an active user, or ``""`` when no such active user exists (every action is then refused)."""
    t = store.t.users
    with store.read() as c:
        r = c.execute(select(t.c.role).where(t.c.username == username, t.c.active == 1)).first()
    return str(r[0]) if r else ""

"""Sign-in lockout and rate limit, derived from the audit log (so it survives a restart, no extra table).

Per user name tried (known or not, so a lock says nothing about which names exist):

* after each failure the next attempt waits ``delay_s * 2**(k-1)`` seconds (k = failures in the window,
  capped at ``max_delay_s``); an attempt made earlier is refused without checking the password. The same
  delay also applies across names, counted over every name's failures since the last successful sign-in
  (so trying one password on many names from this desktop is slowed down as much; it never locks);
* ``max_failures`` failures within ``window_s`` lock the name for ``lock_s``; every further lock within
  ``memory_s`` doubles it (capped at ``max_lock_s``);
* a successful password sign-in or an unlock by a dispatcher/admin clears the count.

The state is replayed from the name's ``user.*`` audit rows: ``user.sign_in_failed``, ``user.locked``
(with ``until``), ``user.sign_in`` (headless ``--user`` runs excepted: they prove no password) and
``user.unlock``. Refused attempts are audited as ``user.sign_in_refused`` with the reason. Rows name the
user name tried and the OS account and host the attempt came from — never the password.
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
import socket
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Connection, func, select

from anran_desktop.store import Store
from anran_desktop.store.audit import append_audit
from anran_desktop.store.db import iso_utc as iso

Clock = Callable[[], dt.datetime]
_ACTIONS = ("user.sign_in", "user.sign_in_failed", "user.locked", "user.unlock")


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _parse(text: str) -> dt.datetime:
    t = dt.datetime.fromisoformat(text)
    return t if t.tzinfo else t.replace(tzinfo=dt.UTC)


@dataclass(frozen=True)
class LockoutPolicy:
    max_failures: int = 5
    window_s: float = 15 * 60
    lock_s: float = 15 * 60
    max_lock_s: float = 24 * 3600
    memory_s: float = 24 * 3600
    delay_s: float = 1.0
    max_delay_s: float = 30.0

    def delay_after(self, failures: int) -> float:
        return 0.0 if failures <= 0 else min(self.delay_s * 2 ** (failures - 1), self.max_delay_s)

    def lock_after(self, previous_locks: int) -> float:
        return min(self.lock_s * 2**previous_locks, self.max_lock_s)


@dataclass(frozen=True)
class SignInState:
    """What the audit log says about one user name at ``now``."""

    failures: int  # failures in the window since the last reset or lock
    locks: int  # locks within the memory period since the last reset
    locked_until: dt.datetime | None  # set while locked
    retry_at: dt.datetime | None  # set while the delay after a failure runs

    @property
    def locked(self) -> bool:
        return self.locked_until is not None


@dataclass(frozen=True)
class SignInResult:
    """``status``: ``ok`` | ``bad_credentials`` | ``locked`` | ``throttled``."""

    status: str
    user: object | None = None  # services.users.User when ok
    until: dt.datetime | None = None  # lock end (locked) or earliest next attempt (bad_credentials/throttled)
    remaining: int = 0  # failures left before the lock (bad_credentials)

    @property
    def ok(self) -> bool:
        return self.status == "ok"


def origin() -> dict[str, str]:
    """Where an attempt came from: the OS account and the machine (the person at the keyboard)."""
    try:
        who = getpass.getuser()
    except Exception:  # no login name in some service contexts
        who = "?"
    return {"os_user": who, "host": socket.gethostname()}


class SignInGuard:
    def __init__(self, store: Store, policy: LockoutPolicy | None = None, clock: Clock = _utc_now) -> None:
        self.store = store
        self.policy = policy or LockoutPolicy()
        self.clock = clock

    def state(self, username: str, conn: Connection | None = None) -> SignInState:
        if conn is None:
            with self.store.read() as c:
                return self.state(username, c)
        now = self.clock()
        p = self.policy
        t = self.store.t.audit_log
        since = iso(now - dt.timedelta(seconds=p.memory_s + p.max_lock_s))
        rows = conn.execute(select(t.c.time, t.c.action, t.c.detail)
                            .where(t.c.entity == "user", t.c.entity_id == username, t.c.action.in_(_ACTIONS),
                                   t.c.time >= since).order_by(t.c.id)).all()
        fails: list[dt.datetime] = []
        locks: list[dt.datetime] = []
        until: dt.datetime | None = None
        for time_text, action, detail_text in rows:
            at = _parse(time_text)
            detail = json.loads(detail_text) if detail_text else {}
            if action == "user.sign_in" and detail.get("headless"):
                continue
            if action in ("user.sign_in", "user.unlock"):
                fails, locks, until = [], [], None
            elif action == "user.locked":
                locks.append(at)
                until = _parse(detail["until"]) if "until" in detail else at + dt.timedelta(seconds=p.lock_s)
                fails = []
            else:
                fails.append(at)
        window_start = now - dt.timedelta(seconds=p.window_s)
        recent = [f for f in fails if f >= window_start]
        locks_kept = sum(1 for at in locks if at >= now - dt.timedelta(seconds=p.memory_s))
        retry = recent[-1] + dt.timedelta(seconds=p.delay_after(len(recent))) if recent else None
        spray = self._any_name_retry(conn, now)
        if spray is not None and (retry is None or spray > retry):
            retry = spray
        return SignInState(failures=len(recent), locks=locks_kept,
                           locked_until=until if until is not None and until > now else None,
                           retry_at=retry if retry is not None and retry > now else None)

    def _any_name_retry(self, conn: Connection, now: dt.datetime) -> dt.datetime | None:
        """End of the delay owed to the failures of all names in the window since the last sign-in."""
        p = self.policy
        t = self.store.t.audit_log
        rows = conn.execute(select(t.c.time, t.c.action, t.c.detail).where(
            t.c.entity == "user", t.c.action.in_(("user.sign_in", "user.sign_in_failed")),
            t.c.time >= iso(now - dt.timedelta(seconds=p.window_s))).order_by(t.c.id)).all()
        fails: list[str] = []
        for time_text, action, detail_text in rows:
            if action == "user.sign_in_failed":
                fails.append(time_text)
            elif not (detail_text and json.loads(detail_text).get("headless")):
                fails = []
        return _parse(fails[-1]) + dt.timedelta(seconds=p.delay_after(len(fails))) if fails else None

    def refusal(self, username: str) -> SignInResult | None:
        """A refusal (locked or throttled) for an attempt now, audited; None when the attempt may go ahead."""
        with self.store.begin() as c:
            st = self.state(username, c)
            if st.locked:
                reason, until = "locked", st.locked_until
            elif st.retry_at is not None:
                reason, until = "throttled", st.retry_at
            else:
                return None
            append_audit(self.store, c, actor=username or "?", action="user.sign_in_refused", entity="user",
                         entity_id=username, time=iso(self.clock()),
                         detail={"reason": reason, "until": iso(until), **origin()})
        return SignInResult(reason, until=until)

    def record(self, username: str, user: object | None) -> SignInResult:
        """Audit the outcome of a checked password; a failure may start a lock."""
        now = self.clock()
        with self.store.begin() as c:
            if user is not None:
                append_audit(self.store, c, actor=username, action="user.sign_in", entity="user",
                             entity_id=username, time=iso(now), detail=origin())
                return SignInResult("ok", user=user)
            st = self.state(username, c)
            failures = st.failures + 1
            append_audit(self.store, c, actor=username or "?", action="user.sign_in_failed", entity="user",
                         entity_id=username, time=iso(now), detail={"failures": failures, **origin()})
            p = self.policy
            if failures >= p.max_failures:
                until = now + dt.timedelta(seconds=p.lock_after(st.locks))
                append_audit(self.store, c, actor="system", action="user.locked", entity="user",
                             entity_id=username, time=iso(now),
                             detail={"until": iso(until), "failures": failures, "lock": st.locks + 1})
                return SignInResult("locked", until=until)
            after = self.state(username, c).retry_at  # this failure counted, per name and across names
            return SignInResult("bad_credentials", until=after or now, remaining=p.max_failures - failures)

    def unlock(self, username: str, actor: str) -> bool:
        """Clear the failures and any lock of ``username`` (audited). False if it was neither locked nor failing."""
        with self.store.begin() as c:
            st = self.state(username, c)
            if not st.locked and st.failures == 0:
                return False
            append_audit(self.store, c, actor=actor, action="user.unlock", entity="user", entity_id=username,
                         time=iso(self.clock()),
                         detail={"was_locked_until": iso(st.locked_until) if st.locked_until else None,
                                 "failures": st.failures})
        return True

    def locked_names(self) -> list[tuple[str, dt.datetime]]:
        """User names locked now with the end of their lock, most recent lock first."""
        p = self.policy
        t = self.store.t.audit_log
        since = iso(self.clock() - dt.timedelta(seconds=p.max_lock_s))
        with self.store.read() as c:
            last = func.max(t.c.id)
            names = [r[0] for r in c.execute(select(t.c.entity_id, last).where(
                t.c.entity == "user", t.c.action == "user.locked", t.c.time >= since)
                .group_by(t.c.entity_id).order_by(last.desc()))]
            out = []
            for name in names:
                st = self.state(name, c)
                if st.locked_until is not None:
                    out.append((name, st.locked_until))
        return out

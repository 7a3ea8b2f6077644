"""Sign-in lockout, rate limit and password hashing over a real store; the state comes from the audit log."""

import base64
import datetime as dt
import hashlib
import os

import pytest

from anran_desktop.services import passwords
from anran_desktop.services.sign_in_guard import LockoutPolicy, SignInGuard
from anran_desktop.services.users import UserService
from anran_desktop.store import open_store
from anran_desktop.store.audit import verify_audit_chain


class Clock:
    def __init__(self) -> None:
        self.t = dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.t

    def advance(self, seconds: float) -> None:
        self.t += dt.timedelta(seconds=seconds)


@pytest.fixture
def store(tmp_path):
    s = open_store(tmp_path / "s.sqlite3")
    yield s
    s.close()


@pytest.fixture
def clock():
    return Clock()


def _users(store, clock) -> UserService:
    return UserService(store, SignInGuard(store, LockoutPolicy(), clock))


def _rows(store, name):
    with store.read() as c:
        return c.exec_driver_sql("SELECT actor, action, detail FROM audit_log WHERE entity='user' AND entity_id=? "
                                 "ORDER BY id", (name,)).all()


def test_five_failures_lock_the_name_and_the_right_password_is_refused_meanwhile(store, clock):
    users = _users(store, clock)
    users.create("li", "李工", "crew", password="s3cret")
    for k in range(1, 5):
        r = users.sign_in("li", "wrong")
        assert r.status == "bad_credentials" and r.remaining == 5 - k
        assert users.sign_in("li", "s3cret").status == "throttled"  # the delay after a failure runs
        clock.advance(LockoutPolicy().delay_after(k) + 0.01)
    r = users.sign_in("li", "wrong")
    assert r.status == "locked" and r.until == clock.t + dt.timedelta(minutes=15)
    clock.advance(60)
    refused = users.sign_in("li", "s3cret")
    assert refused.status == "locked" and refused.until == r.until
    clock.advance(15 * 60)
    assert users.sign_in("li", "s3cret").ok
    actions = [a for _, a, _ in _rows(store, "li")]
    assert actions.count("user.sign_in_failed") == 5 and actions.count("user.locked") == 1
    assert actions.count("user.sign_in_refused") == 5 and actions[-1] == "user.sign_in"
    assert all("s3cret" not in (d or "") and "wrong" not in (d or "") for _, _, d in _rows(store, "li"))
    assert "\"os_user\"" in _rows(store, "li")[1][2] and "\"host\"" in _rows(store, "li")[1][2]
    assert verify_audit_chain(store) == (True, None)


def test_repeated_locks_grow_and_survive_a_restart(store, clock, tmp_path):
    users = _users(store, clock)
    users.create("li", "李工", "crew", password="s3cret")

    def fail_until_locked(svc):
        while True:
            r = svc.sign_in("li", "wrong")
            if r.status == "locked":
                return r
            clock.advance(31)

    first = fail_until_locked(users)
    assert first.until - clock.t == dt.timedelta(minutes=15)
    clock.advance(15 * 60 + 1)
    second = fail_until_locked(users)
    assert second.until - clock.t == dt.timedelta(minutes=30)
    store.close()
    reopened = open_store(tmp_path / "s.sqlite3")
    try:
        again = _users(reopened, clock)
        st = again.guard.state("li")
        assert st.locked and st.locked_until == second.until and st.locks == 2
        assert again.sign_in("li", "s3cret").status == "locked"
        assert again.guard.locked_names() == [("li", second.until)]
    finally:
        reopened.close()


def test_failures_outside_the_window_do_not_add_up(store, clock):
    users = _users(store, clock)
    users.create("li", "李工", "crew", password="s3cret")
    for _ in range(4):
        assert users.sign_in("li", "wrong").status == "bad_credentials"
        clock.advance(31)
    clock.advance(15 * 60)
    assert users.sign_in("li", "wrong").status == "bad_credentials"
    assert users.guard.state("li").failures == 1


def test_unknown_names_are_locked_like_known_ones(store, clock):
    users = _users(store, clock)
    for _ in range(5):
        r = users.sign_in("ghost", "x")
        clock.advance(31)
    assert r.status == "locked"


def test_unlock_by_dispatcher_is_audited_and_crew_may_not(store, clock):
    users = _users(store, clock)
    users.create("li", "李工", "crew", password="s3cret")
    users.create("zhang", "张三", "dispatcher", password="d")
    for _ in range(5):
        users.sign_in("li", "wrong")
        clock.advance(31)
    assert users.guard.state("li").locked
    with pytest.raises(PermissionError, match="dispatcher or admin"):
        users.unlock("li", actor="li")
    assert users.unlock("li", actor="zhang")
    assert not users.guard.state("li").locked and users.guard.locked_names() == []
    assert users.sign_in("li", "s3cret").ok
    assert ("zhang", "user.unlock") in [(a, b) for a, b, _ in _rows(store, "li")]
    assert not users.unlock("li", actor="zhang")  # nothing left to unlock


def test_headless_sign_in_does_not_clear_failures(store, clock):
    from anran_desktop.ui.session import signed_in_user

    users = _users(store, clock)
    users.create("li", "李工", "crew", password="s3cret")
    users.sign_in("li", "wrong")
    assert signed_in_user(users, "li", interactive=False) == "li"
    assert users.guard.state("li").failures == 1


def test_hash_has_a_high_scrypt_cost_and_legacy_hashes_are_upgraded(store, clock):
    stored = passwords.hash_password("pw")
    assert stored.split("$")[:4] == ["scrypt", "16384", "8", "5"] and passwords.check_password("pw", stored)
    assert not passwords.check_password("px", stored) and not passwords.needs_rehash(stored)
    salt = os.urandom(16)
    legacy = "scrypt$" + base64.b64encode(salt).decode() + "$" + base64.b64encode(
        hashlib.scrypt(b"old-pw", salt=salt, n=2**14, r=8, p=1)).decode()
    users = _users(store, clock)
    users.create("li", "李工", "crew", password=None)
    with store.begin() as c:
        c.exec_driver_sql("UPDATE users SET password_hash=? WHERE username='li'", (legacy,))
    assert users.sign_in("li", "old-pw").ok
    with store.read() as c:
        now = c.exec_driver_sql("SELECT password_hash FROM users WHERE username='li'").scalar()
    assert now != legacy and now.split("$")[1:4] == ["16384", "8", "5"] and passwords.check_password("old-pw", now)
    assert "user.password_rehash" in [a for _, a, _ in _rows(store, "li")]


def test_crafted_hash_cost_is_refused_not_run():
    assert not passwords.check_password("x", "scrypt$1048577$8$1$AAAA$AAAA")
    assert not passwords.check_password("x", "scrypt$notanumber$8$1$AAAA$AAAA")
    assert not passwords.check_password("x", "md5$abc")


def test_headless_run_as_a_locked_user_is_refused(store, clock, capsys):
    from anran_desktop.ui.session import signed_in_user

    users = UserService(store)  # the real clock: the lock must hold now
    users.create("li", "李工", "crew", password=None, password_hash=passwords.hash_password("s3cret"))
    for _ in range(5):
        users.guard.record("li", None)
    assert signed_in_user(users, "li", interactive=False) is None
    assert "locked after failed sign-ins" in capsys.readouterr().err


def test_create_takes_only_a_current_cost_hash():
    with pytest.raises(ValueError, match="current-cost scrypt hash"):
        UserService.create(None, "li", "李工", "crew", password=None, password_hash="scrypt$AAAA$AAAA")
    with pytest.raises(ValueError, match="either a password"):
        UserService.create(None, "li", "李工", "crew", password="x", password_hash=passwords.hash_password("x"))


def test_one_password_on_many_names_is_slowed_down_too(store, clock):
    users = _users(store, clock)
    users.create("li", "李工", "crew", password="s3cret")
    for k in range(1, 6):
        assert users.sign_in(f"name{k}", "123456").status == "bad_credentials"
        assert users.sign_in(f"other{k}", "123456").status == "throttled"  # a fresh name waits as well
        clock.advance(LockoutPolicy().delay_after(k) + 0.01)
    assert users.guard.state("li").retry_at is None  # the delay has passed
    assert not any(users.guard.state(f"name{k}").locked for k in range(1, 6))  # spraying never locks
    assert users.sign_in("li", "s3cret").ok
    assert users.sign_in("name9", "x").status == "bad_credentials"
    assert users.sign_in("li", "s3cret").status == "throttled"  # after a success the count starts again: 1 s

"""Account management after the first run: an admin adds, renames, re-roles, resets and deactivates
accounts; each change is audited without the password; a site is never left without an active admin; and
a username is never given to someone else."""

from __future__ import annotations

import json

import pytest

from anran_desktop.services.sign_in_guard import LockoutPolicy, SignInGuard
from anran_desktop.services.user_admin import AccountError, UserAdmin
from anran_desktop.services.users import UserService
from anran_desktop.store import open_store
from anran_desktop.store.audit import verify_audit_chain

PW = "correct-horse-1"


@pytest.fixture
def admin(tmp_path):
    store = open_store(tmp_path / "u.sqlite3")
    users = UserService(store)
    users.create("boss", "站长", "admin", PW)
    users.create("zhangmin", "张敏", "dispatcher", PW)
    yield UserAdmin(users)
    store.close()


def _code(fn, *args) -> str:  # noqa: ANN001
    with pytest.raises(AccountError) as got:
        fn(*args)
    return got.value.code


def _audit(admin: UserAdmin, name: str) -> list[tuple[str, str, dict]]:
    with admin.store.read() as c:
        rows = c.exec_driver_sql("SELECT actor, action, detail FROM audit_log WHERE entity='user' AND entity_id=? "
                                 "ORDER BY id", (name,)).all()
    return [(a, b, json.loads(d or "{}")) for a, b, d in rows]


def test_an_admin_adds_a_crew_member_who_can_then_sign_in(admin) -> None:  # noqa: ANN001
    u = admin.add("boss", " crew07 ", " 李强 ", "crew", "new-crew-pass")
    assert (u.username, u.display_name, u.role, u.active) == ("crew07", "李强", "crew", True)
    assert admin.users.authenticate("crew07", "new-crew-pass") is not None
    assert _audit(admin, "crew07")[0][:2] == ("boss", "user.create")


@pytest.mark.parametrize(("args", "code"), [
    (("x", "某人", "crew", PW), "username_invalid"),
    (("李强", "某人", "crew", PW), "username_invalid"),
    (("ZhangMin", "另一个张敏", "crew", PW), "username_taken"),  # case does not make a new name
    (("crew08", "  ", "crew", PW), "name_empty"),
    (("crew08", "某人", "boss", PW), "role_unknown"),
    (("crew08", "某人", "crew", "short"), "password_short"),
])
def test_bad_accounts_are_refused_with_the_rule(admin, args, code) -> None:  # noqa: ANN001
    assert _code(admin.add, "boss", *args) == code
    assert [u.username for u in admin.users.list()] == ["boss", "zhangmin"]  # nothing half-made


def test_only_an_admin_manages_accounts(admin) -> None:  # noqa: ANN001
    assert _code(admin.add, "zhangmin", "crew08", "某人", "crew", PW) == "not_allowed"
    assert _code(admin.set_active, "zhangmin", "boss", False) == "not_allowed"
    assert _code(admin.reset_password, "nobody", "zhangmin", PW) == "not_allowed"


def test_a_deactivated_account_cannot_sign_in_and_its_name_stays_taken(admin) -> None:  # noqa: ANN001
    u = admin.set_active("boss", "zhangmin", False)
    assert not u.active and admin.users.authenticate("zhangmin", PW) is None
    assert admin.users.role_of("zhangmin") == ""  # every action of the account is refused
    assert _code(admin.add, "boss", "zhangmin", "新来的张敏", "dispatcher", PW) == "username_taken"
    assert admin.set_active("boss", "zhangmin", True).active and admin.users.authenticate("zhangmin", PW)
    assert [a[1] for a in _audit(admin, "zhangmin")] == ["user.create", "user.deactivate", "user.activate"]


def test_the_last_active_admin_stays(admin) -> None:  # noqa: ANN001
    assert _code(admin.set_active, "boss", "boss", False) == "self"
    assert _code(admin.set_role, "boss", "boss", "dispatcher") == "self"
    admin.add("boss", "deputy", "副站长", "admin", PW)
    assert _code(admin.set_active, "deputy", "deputy", False) == "self"
    admin.set_active("deputy", "boss", False)  # another admin may: the deputy is still there
    assert _code(admin.set_role, "deputy", "deputy", "crew") == "self"
    admin.set_active("deputy", "boss", True)
    admin.set_role("boss", "deputy", "dispatcher")
    assert _code(admin.set_active, "boss", "boss", False) == "self"
    users = {u.username: u for u in admin.users.list()}
    assert users["boss"].role == "admin" and users["boss"].active and users["deputy"].role == "dispatcher"


def test_last_admin_rule_holds_against_another_admin(admin) -> None:  # noqa: ANN001
    admin.add("boss", "deputy", "副站长", "admin", PW)
    admin.set_active("boss", "deputy", False)
    # deputy is inactive: boss is the only active admin, and a (re-activated) deputy may not remove him
    admin.set_active("boss", "deputy", True)
    admin.set_role("deputy", "boss", "crew")
    assert _code(admin.set_role, "deputy", "deputy", "crew") == "self"
    assert _code(admin.set_active, "boss", "deputy", False) == "not_allowed"  # boss is crew now


def test_a_reset_password_replaces_the_old_one_lifts_a_lock_and_is_audited_without_it(admin) -> None:  # noqa: ANN001
    from tests.services.test_sign_in_lockout import Clock

    clock = Clock()
    admin = UserAdmin(UserService(admin.store, SignInGuard(admin.store, LockoutPolicy(), clock)))
    while not admin.users.guard.state("zhangmin").locked:  # the forgetful dispatcher locks the account
        admin.users.sign_in("zhangmin", "wrong-guess")
        clock.advance(60)
    assert admin.users.guard.state("zhangmin").locked
    assert _code(admin.reset_password, "boss", "zhangmin", "short") == "password_short"
    admin.reset_password("boss", "zhangmin", "a-new-pass-42")
    assert not admin.users.guard.state("zhangmin").locked  # (the workstation's delay after failures stays)
    assert admin.users.authenticate("zhangmin", PW) is None
    assert admin.users.authenticate("zhangmin", "a-new-pass-42") is not None
    rows = _audit(admin, "zhangmin")
    assert ("boss", "user.password_reset", {}) in rows and "a-new-pass-42" not in json.dumps(rows)
    assert verify_audit_chain(admin.store)[0]


def test_rename_and_unknown_accounts(admin) -> None:  # noqa: ANN001
    assert admin.rename("boss", "zhangmin", "张敏（夜班）").display_name == "张敏（夜班）"
    assert _audit(admin, "zhangmin")[-1] == ("boss", "user.rename", {"from": "张敏", "to": "张敏（夜班）"})
    assert _code(admin.rename, "boss", "zhangmin", " ") == "name_empty"
    assert _code(admin.set_role, "boss", "ghost", "crew") == "unknown_user"

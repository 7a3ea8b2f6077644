"""``anran users``: the way back in when the only admin forgot the password, and scripted set-up; the
dialog's rules hold; a mistyped database name is not created."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from anran_desktop.services.users import UserService
from anran_desktop.store import open_store


def _anran(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "anran_desktop", *args], input=stdin, capture_output=True,
                          text=True, timeout=120)


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "site.sqlite3"
    store = open_store(path)
    UserService(store).create("boss", "站长", "admin", "forgotten-pass")
    store.close()
    return path


def test_the_only_admin_gets_back_in(db) -> None:  # noqa: ANN001
    res = _anran("users", "reset-password", "boss", "--db", str(db), stdin="a-new-pass-42\n")
    assert res.returncode == 0 and "new password set for boss" in res.stdout, res.stderr
    store = open_store(db)
    users = UserService(store)
    assert users.authenticate("boss", "a-new-pass-42") is not None and users.authenticate("boss", "forgotten-pass") is None
    with store.read() as c:
        actor, detail = c.exec_driver_sql("SELECT actor, detail FROM audit_log WHERE action='user.password_reset'").one()
    store.close()
    assert actor.startswith("console:") and "a-new-pass-42" not in (detail or "") and json.loads(detail) == {}


def test_scripted_set_up_and_the_rules(db) -> None:  # noqa: ANN001
    res = _anran("users", "add", "crew07", "--name", "抢修员 07", "--role", "crew", "--db", str(db),
                 stdin="crew07-pass\n")
    assert res.returncode == 0 and "added crew07 (crew)" in res.stdout, res.stderr
    res = _anran("users", "add", "crew08", "--name", "某人", "--role", "crew", "--db", str(db), stdin="short\n")
    assert res.returncode == 1 and "at least 8 characters" in res.stderr
    res = _anran("users", "deactivate", "boss", "--db", str(db))
    assert res.returncode == 1 and "'boss' is the last active admin" in res.stderr
    assert _anran("users", "deactivate", "crew07", "--db", str(db)).returncode == 0
    listing = _anran("users", "list", "--db", str(db)).stdout.splitlines()
    assert listing == ["boss\t站长\tadmin (管理员)\tactive", "crew07\t抢修员 07\tcrew (抢修员)\tdeactivated"]


def test_a_mistyped_database_is_not_created(tmp_path) -> None:  # noqa: ANN001
    missing = tmp_path / "sitte.sqlite3"
    res = _anran("users", "list", "--db", str(missing))
    assert res.returncode == 1 and "does not exist" in res.stderr and not missing.exists()

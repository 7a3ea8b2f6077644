"""Write transactions of one desktop process are serialized: a read-check-write inside ``Store.begin()``
(the next alarm id, a ticket's guards, the leak watch following a ticket while a dispatcher edits it) sees
no other thread's write between its read and its write, so no update is lost."""

from __future__ import annotations

import threading

from sqlalchemy import select

from anran_desktop.store import open_store


def test_concurrent_read_modify_writes_lose_nothing(tmp_path):
    store = open_store(tmp_path / "site.sqlite3")
    try:
        store.set_setting("counter", "0")
        t = store.t.settings
        errors: list[BaseException] = []

        def bump(n: int) -> None:
            try:
                for _ in range(n):
                    with store.begin() as c:
                        v = int(c.execute(select(t.c.value).where(t.c.key == "counter")).scalar())
                        store.set_setting("counter", str(v + 1), conn=c)
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

        threads = [threading.Thread(target=bump, args=(150,)) for _ in range(4)]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        assert not errors, errors[:1]
        assert store.setting("counter") == "600"
    finally:
        store.close()


def test_a_write_that_cannot_start_says_the_database_is_busy_and_writes_nothing(tmp_path):
    import pytest

    from anran_desktop.store import StoreError

    store = open_store(tmp_path / "site.sqlite3")
    try:
        store.write_timeout_s = 0.2
        holding, release = threading.Event(), threading.Event()

        def hold() -> None:
            with store.begin() as c:
                store.set_setting("who", "first", conn=c)
                holding.set()
                release.wait(5)

        th = threading.Thread(target=hold)
        th.start()
        assert holding.wait(5)
        with pytest.raises(StoreError, match="database is busy"):
            store.set_setting("who", "second")
        release.set()
        th.join()
        assert store.setting("who") == "first"
        store.set_setting("who", "second")  # free again
        assert store.setting("who") == "second"
    finally:
        store.close()


BUMPER = """
import sys
import time
from pathlib import Path
from sqlalchemy import select
from anran_desktop.store import open_store

store = open_store(sys.argv[1])
t = store.t.settings
print("ready", flush=True)
while not Path(sys.argv[1] + ".go").exists():  # all start together
    time.sleep(0.005)
for _ in range(int(sys.argv[2])):
    with store.begin() as c:
        v = int(c.execute(select(t.c.value).where(t.c.key == "counter")).scalar())
        store.set_setting("counter", str(v + 1), conn=c)
store.close()
print("done", flush=True)
"""


def test_read_modify_writes_of_two_processes_take_turns_too(tmp_path):
    """The desktop and a command-line tool (``anran users add`` …) on one database: a write transaction holds
    SQLite's write lock from its start, so one that read before the other's commit neither fails ("database
    is locked") nor writes over it."""
    import subprocess
    import sys
    from pathlib import Path

    db = tmp_path / "site.sqlite3"
    store = open_store(db)
    store.set_setting("counter", "0")
    store.close()
    root = Path(__file__).resolve().parents[2]
    procs = [subprocess.Popen([sys.executable, "-c", BUMPER, str(db), "400"], cwd=root, text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(3)]
    assert [p.stdout.readline().strip() for p in procs] == ["ready"] * 3
    Path(str(db) + ".go").touch()
    outs = [p.communicate(timeout=240) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], [err[-800:] for _, err in outs]
    store = open_store(db)
    try:
        assert store.setting("counter") == "1200"
    finally:
        store.close()


def test_a_write_while_another_program_holds_the_database_says_so_and_writes_nothing(tmp_path):
    import sqlite3

    import pytest

    from anran_desktop.store import StoreError

    db = tmp_path / "site.sqlite3"
    store = open_store(db)
    try:
        store.set_setting("who", "desktop")
        other = sqlite3.connect(db, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # another program in the middle of a write
        other.execute("UPDATE settings SET value = 'tool' WHERE key = 'who'")
        store.write_timeout_s = 0.3
        with pytest.raises(StoreError, match="another program"):
            store.set_setting("who", "desktop again")
        other.execute("COMMIT")
        other.close()
        assert store.setting("who") == "tool"
        store.set_setting("who", "desktop again")  # free again
        assert store.setting("who") == "desktop again"
    finally:
        store.close()

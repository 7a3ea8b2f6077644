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

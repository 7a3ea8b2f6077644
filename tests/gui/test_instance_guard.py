"""One window per database: a second ``anran app`` on a database already open brings that window forward and
writes nothing; a lock left by a window that died does not keep the database shut."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from anran_desktop.ui.instance_guard import InstanceGuard, already_open_text, lock_path

# A stand-in for an open window: holds the guard of argv[1], says "ready", says "raised" when asked to come
# forward (then exits), or exits by itself after 60 s.
HOLDER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from PySide6.QtCore import QCoreApplication, QTimer
    from anran_desktop.ui.instance_guard import InstanceGuard

    app = QCoreApplication([])
    guard = InstanceGuard(Path(sys.argv[1]))
    assert guard.acquire(), "the holder could not take the lock"
    def raised():
        print("raised", flush=True)
        QTimer.singleShot(100, app.quit)
    guard.raise_requested.connect(raised)
    QTimer.singleShot(60_000, app.quit)
    print("ready", flush=True)
    app.exec()
""")


# A second start's request to come forward, from another process; prints whether it was taken.
ASKER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from PySide6.QtCore import QCoreApplication
    from anran_desktop.ui.instance_guard import InstanceGuard

    app = QCoreApplication([])
    print(InstanceGuard(Path(sys.argv[1])).ask_holder_to_raise(), flush=True)
""")
ROOT = Path(__file__).resolve().parents[2]


def _holder(db: Path) -> subprocess.Popen:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(db)], stdout=subprocess.PIPE, text=True, env=env,
                            cwd=ROOT)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    return proc


def test_a_second_start_is_refused_and_brings_the_first_window_forward(qapp, tmp_path) -> None:
    db = tmp_path / "site.sqlite3"
    proc = _holder(db)
    try:
        second = InstanceGuard(db)
        assert second.acquire() is False
        holder = second.holder()
        assert holder is not None and holder.pid == proc.pid and holder.here
        assert second.ask_holder_to_raise() is True
        assert proc.stdout.readline().strip() == "raised"  # the first window was asked to the front
        assert proc.wait(timeout=10) == 0
        # its window closed: the database is free for the next start
        third = InstanceGuard(db)
        assert third.acquire() is True and not third.problem
        third.release()
    finally:
        proc.kill()
        proc.wait()


def test_a_lock_left_by_a_window_that_died_is_taken_over(qtbot, tmp_path) -> None:
    db = tmp_path / "site.sqlite3"
    proc = _holder(db)
    os.kill(proc.pid, signal.SIGKILL)  # a crash: neither the lock file nor the socket was cleaned up
    proc.wait()
    assert lock_path(db).exists()
    guard = InstanceGuard(db)
    assert guard.acquire() is True and not guard.problem  # and it listens again for a second start
    late = InstanceGuard(db)
    assert late.acquire() is False and late.holder().pid == os.getpid()
    got = []
    guard.raise_requested.connect(lambda: got.append(1))
    asker = subprocess.Popen([sys.executable, "-c", ASKER, str(db)], stdout=subprocess.PIPE, text=True,
                             env={**os.environ, "QT_QPA_PLATFORM": "offscreen"}, cwd=ROOT)  # a second start
    qtbot.waitUntil(lambda: got == [1], timeout=10_000)
    assert asker.communicate(timeout=10)[0].strip() == "True"
    guard.release()
    assert not lock_path(db).exists()


def test_anran_app_on_an_open_database_writes_nothing_and_says_why(tmp_path) -> None:
    db = tmp_path / "new.sqlite3"  # not created yet: the refused start must not create it
    proc = _holder(db)
    try:
        res = subprocess.run([sys.executable, "-m", "anran_desktop", "app", "--db", str(db), "--screenshot",
                              str(tmp_path / "x.png")], capture_output=True, text=True, timeout=120)
        assert res.returncode == 3
        assert "already open in another AnRan window" in res.stderr and str(db) in res.stderr
        assert f"process {proc.pid}" in res.stderr and "brought to the front" in res.stderr
        assert not db.exists() and not (tmp_path / "x.png").exists()
    finally:
        proc.kill()
        proc.wait()


def test_the_explanation_names_the_database_and_the_process(qapp, english) -> None:
    from anran_desktop.ui.instance_guard import Holder

    text = already_open_text(Path("/data/site.sqlite3"), Holder(4321, ""), raised=False)
    assert "/data/site.sqlite3" in text and "4321" in text and "duplicate" in text
    remote = already_open_text(Path("/data/site.sqlite3"), Holder(77, "dispatch-2"), raised=True)
    assert "dispatch-2" in remote and "front" in remote
    # a window on another computer (a shared folder) that could not be reached: how to free the database
    stuck = already_open_text(Path("/data/site.sqlite3"), Holder(77, "dispatch-2"), raised=False)
    assert "/data/site.sqlite3.app-lock" in stuck and "delete" in stuck


def test_a_database_in_a_folder_not_made_yet_is_guarded_too(qapp, tmp_path) -> None:
    from anran_desktop.app_cli import _guard

    db = tmp_path / "new-site" / "dispatch" / "anran.sqlite3"
    guard = _guard(db, headless=True)
    try:
        assert guard is not None and not guard.problem and lock_path(db).exists()
        assert _guard(db, headless=True) is None  # a second start on it is refused
    finally:
        guard.release()

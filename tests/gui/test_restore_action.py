"""文件 → 从备份恢复…: an admin restores a backup from the desktop. The window verifies the zip, says what the
restore will lose and keep, and hands over to ``anran app --restore``, which waits for the window to let go
of the database, restores under its lock (audited as the user who asked) and opens on the restored site."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import textwrap
import time
import zipfile
from pathlib import Path

from PySide6.QtCore import QProcess
from PySide6.QtWidgets import QMessageBox

from anran_desktop.store import open_store
from anran_desktop.store.backup import NewerRecords, newer_records, verify_backup, write_backup
from anran_desktop.ui import restore_action
from anran_desktop.ui.loop_menus import apply_role

ROOT = Path(__file__).resolve().parents[2]


def _backup_of(window, tmp_path: Path) -> Path:
    out = tmp_path / "site-backup.zip"
    write_backup(window.svc.store.path, window.svc.loop.evidence.evidence_root, out)
    return out


def test_only_admins_are_offered_the_restore(window) -> None:
    for role, offered in (("admin", True), ("dispatcher", False), ("crew", False), ("property_manager", False)):
        apply_role(window, role)
        assert window.restore_action.isVisible() is offered, role


def test_a_verified_backup_is_explained_and_on_confirmation_handed_to_a_restoring_start(window, qtbot, tmp_path,
                                                                                         monkeypatch) -> None:
    backup = _backup_of(window, tmp_path)
    window.svc.alarms.raise_alarm(kind="leak_suspected", level=2, title="疑似泄漏")  # newer than the backup
    asked: list[str] = []
    started: list[tuple[str, list[str]]] = []
    monkeypatch.setattr(restore_action, "confirm", lambda w, s, n: asked.append(restore_action.confirm_text(w, s, n))
                        or True)
    monkeypatch.setattr(QProcess, "startDetached", lambda program, args: started.append((program, args)) or True)
    restore_action.check_backup(window, str(backup))
    qtbot.waitUntil(lambda: bool(started), timeout=30_000)
    (text,) = asked
    assert "星海花园" in text and "备份时间" in text and "注意" not in text  # the same site: no warning
    assert "1 条告警" in text and ".before-restore-" in text and "重新登录" in text
    program, args = started[0]
    assert args[args.index("--restore") + 1] == str(backup.resolve())
    assert args[args.index("--db") + 1] == str(Path(window.svc.store.path).resolve())
    assert args[args.index("--restore-by") + 1] == window.user
    assert not window.isVisible()  # the window lets go of the database for the restoring start


def test_a_cancelled_restore_starts_nothing(window, qtbot, tmp_path, monkeypatch) -> None:
    backup = _backup_of(window, tmp_path)
    asked, started = [], []
    monkeypatch.setattr(restore_action, "confirm", lambda *a: asked.append(1) and False)
    monkeypatch.setattr(QProcess, "startDetached", lambda *a: started.append(a) or True)
    restore_action.check_backup(window, str(backup))
    qtbot.waitUntil(lambda: bool(asked), timeout=30_000)
    assert started == [] and window.isVisible()


def test_a_damaged_backup_is_refused_with_the_reason_and_nothing_starts(window, qtbot, tmp_path, monkeypatch) -> None:
    backup = _backup_of(window, tmp_path)
    damaged = tmp_path / "damaged.zip"
    with zipfile.ZipFile(backup) as src, zipfile.ZipFile(damaged, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            dst.writestr(item, data[:-1] + bytes([data[-1] ^ 1]) if item.filename == "anran.sqlite3" else data)
    shown, started = [], []
    monkeypatch.setattr(QMessageBox, "critical", lambda *a, **k: shown.append(a[2]))
    monkeypatch.setattr(QProcess, "startDetached", lambda *a: started.append(a) or True)
    restore_action.check_backup(window, str(damaged))
    qtbot.waitUntil(lambda: bool(shown), timeout=30_000)
    assert "does not match its recorded checksum" in shown[0] and "Traceback" not in shown[0]
    assert started == [] and window.isVisible() and "数据库未改动" in window.statusBar().currentMessage()


def test_a_backup_of_another_site_is_flagged_and_the_newer_records_are_counted(window, tmp_path) -> None:
    summary = verify_backup(_backup_of(window, tmp_path))
    assert summary.site == "星海花园"
    assert newer_records(window.svc.store, summary.created_at) == NewerRecords(0, 0, 0)
    other = summary.__class__(**{**summary.__dict__, "site": "东区园区"})
    text = restore_action.confirm_text(window, other, NewerRecords(0, 2, 5))
    assert text.startswith("注意：这份备份属于站点「东区园区」，不是当前站点「星海花园」")
    assert "0 条告警、2 个工单的变动和 5 条审计记录" in text


def _args(**kw) -> argparse.Namespace:
    return argparse.Namespace(**{"restore": None, "restore_by": "", **kw})


def _site_with_backup(tmp_path: Path, monkeypatch) -> Path:  # noqa: ANN001
    """A site database whose setting "counter" reads "before" in the backup ``tmp_path/b.zip``."""
    monkeypatch.setenv("ANRAN_HOME", str(tmp_path / "home"))
    db = tmp_path / "site.sqlite3"
    store = open_store(db)
    store.set_setting("counter", "before")
    store.close()
    write_backup(db, None, tmp_path / "b.zip")
    return db


def test_the_restoring_start_restores_under_the_lock_and_audits_the_user_who_asked(qapp, tmp_path,
                                                                                    monkeypatch) -> None:
    from anran_desktop.app_cli import _guard, _restore
    from anran_desktop.services.audit import AuditService

    db = _site_with_backup(tmp_path, monkeypatch)
    store = open_store(db)
    store.set_setting("counter", "after")  # a change the restore takes back
    store.close()
    guard = _guard(db, headless=True, wait_s=1.0)
    assert guard is not None
    try:
        ok, text = _restore(_args(restore=str(tmp_path / "b.zip"), restore_by="admin"), guard)
    finally:
        guard.release()
    assert ok and "已从备份恢复" in text and ".before-restore-" in text
    store = open_store(db)
    try:
        assert store.setting("counter") == "before"
        audit = AuditService(store)
        (row,) = [e for e in audit.recent(entity="store") if e.action == "store.restore"]
        assert row.actor == "desktop:admin" and audit.verify().ok
    finally:
        store.close()


def test_a_restore_that_fails_leaves_the_database_and_says_why(qapp, tmp_path, monkeypatch) -> None:
    from anran_desktop.app_cli import _guard, _restore

    monkeypatch.setenv("ANRAN_HOME", str(tmp_path / "home"))
    db = tmp_path / "site.sqlite3"
    store = open_store(db)
    store.set_setting("counter", "kept")
    store.close()
    (tmp_path / "not-a-backup.zip").write_bytes(b"PK no zip")
    guard = _guard(db, headless=True)
    try:
        ok, text = _restore(_args(restore=str(tmp_path / "not-a-backup.zip"), restore_by="admin"), guard)
    finally:
        guard.release()
    assert not ok and text.startswith("恢复失败，数据库未改动：") and "cannot be read as a backup" in text
    store = open_store(db)
    try:
        assert store.setting("counter") == "kept"
    finally:
        store.close()
    assert not list(tmp_path.glob("*.before-restore-*"))


# A window that is closing: holds the database's lock for argv[2] seconds, then lets go.
CLOSING = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from PySide6.QtCore import QCoreApplication
    from anran_desktop.ui.instance_guard import InstanceGuard

    app = QCoreApplication([])
    guard = InstanceGuard(Path(sys.argv[1]))
    assert guard.acquire()
    print("ready", flush=True)
    time.sleep(float(sys.argv[2]))
    guard.release()
""")


def _closing(db: Path, seconds: float) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", CLOSING, str(db), str(seconds)], stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"}, cwd=ROOT)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    return proc


def test_the_restoring_start_waits_for_the_window_that_is_closing(qapp, tmp_path, capsys) -> None:
    from anran_desktop.app_cli import _guard

    db = tmp_path / "site.sqlite3"
    proc = _closing(db, 1.5)
    try:
        t0 = time.monotonic()
        guard = _guard(db, headless=True, wait_s=30.0)
        assert guard is not None and time.monotonic() - t0 < 25  # it took the lock once the window let go
        guard.release()
    finally:
        proc.wait(timeout=30)
    proc = _closing(db, 60)
    try:
        assert _guard(db, headless=True, wait_s=0.5) is None  # a window that does not close: nothing restored
        assert "nothing was restored" in capsys.readouterr().err
    finally:
        proc.kill()
        proc.wait()


def test_the_window_after_a_restore_says_how_it_went(window, monkeypatch) -> None:
    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda *a, **k: shown.append(a[2]))
    restore_action.tell_restored(window, True, "已从备份恢复（备份时间 2026-12-04 02:00）")
    assert window.statusBar().currentMessage().startswith("已从备份恢复") and shown == []
    restore_action.tell_restored(window, False, "恢复失败，数据库未改动：x")
    assert shown == ["恢复失败，数据库未改动：x"]


def test_the_restore_reads_in_english(english, window) -> None:
    assert restore_action._tr("从备份恢复…") == "Restore from backup…"
    assert restore_action._tr("恢复并重新打开") == "Restore and reopen"


def test_anran_app_restore_restores_then_opens_on_the_restored_site(tmp_path) -> None:
    from anran_desktop.services.audit import AuditService

    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "ANRAN_HOME": str(tmp_path / "home")}
    db = tmp_path / "site.sqlite3"
    app = [sys.executable, "-m", "anran_desktop", "app", "--db", str(db), "--screenshot-delay", "0.5"]
    first = subprocess.run([*app, "--demo-site", "--screenshot", str(tmp_path / "a.png")], capture_output=True,
                           text=True, timeout=180, cwd=ROOT, env=env)
    assert first.returncode == 0, first.stderr
    write_backup(db, None, tmp_path / "b.zip")
    store = open_store(db)
    store.set_setting("counter", "after the backup")
    store.close()
    res = subprocess.run([*app, "--restore", str(tmp_path / "b.zip"), "--restore-by", "admin", "--screenshot",
                          str(tmp_path / "b.png")], capture_output=True, text=True, timeout=180, cwd=ROOT, env=env)
    assert res.returncode == 0, res.stderr
    assert f"restored {db}" in res.stdout and (tmp_path / "b.png").exists()
    store = open_store(db)
    try:
        assert store.setting("counter") is None  # the backup's state
        assert [e.actor for e in AuditService(store).recent(entity="store") if e.action == "store.restore"] == \
            ["desktop:admin"]
    finally:
        store.close()


def test_the_restoring_start_shows_what_it_waits_for_and_stays_painted(qapp, tmp_path, monkeypatch) -> None:
    """Between the closing window and the restored one, a busy window names the backup and the step; the
    wait for the lock and the restore keep its events going (a timer set before the wait fires during it)."""
    from PySide6.QtCore import QTimer

    from anran_desktop.app_cli import _guard, _restore
    from anran_desktop.ui.restore_progress import RestoreProgress

    db = _site_with_backup(tmp_path, monkeypatch)
    progress = RestoreProgress(str(tmp_path / "b.zip"))
    assert progress.isVisible() and "b.zip" in progress.title.text() and progress.step.text() == "正在等待原窗口关闭…"
    fired: list[float] = []
    proc = _closing(db, 1.5)
    try:
        t0 = time.monotonic()
        QTimer.singleShot(300, lambda: fired.append(time.monotonic() - t0))
        guard = _guard(db, headless=True, wait_s=30.0, progress=progress)
        assert guard is not None and fired and fired[0] < 1.4  # painted while the other window held the lock
        steps: list[str] = []
        progress.step.setText = lambda text, _s=progress.step.setText: (steps.append(text), _s(text))  # type: ignore
        try:
            ok, _text = _restore(_args(restore=str(tmp_path / "b.zip"), restore_by="admin"), guard, progress)
        finally:
            guard.release()
    finally:
        proc.wait(timeout=30)
    assert ok and steps == ["正在恢复备份…"]
    progress.close()
    store = open_store(db)
    try:
        assert store.setting("counter") == "before"
    finally:
        store.close()

    # a restore that fails on its thread says why, as without the busy window
    (tmp_path / "bad.zip").write_bytes(b"PK no zip")
    guard = _guard(db, headless=True)
    try:
        ok, text = _restore(_args(restore=str(tmp_path / "bad.zip")), guard, RestoreProgress("bad.zip"))
    finally:
        guard.release()
    assert not ok and "cannot be read as a backup" in text

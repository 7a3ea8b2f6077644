"""Backups: a consistent copy of the database and its evidence photos in one zip, verified, and restored
without losing the database it replaces."""

from __future__ import annotations

import json
import threading
import zipfile
from pathlib import Path

import pytest

from anran_desktop.cli import main
from anran_desktop.store import StoreError, open_store
from anran_desktop.store.backup import restore_backup, verify_backup, write_backup


def _site(tmp_path: Path) -> tuple[Path, Path]:
    db, evidence = tmp_path / "site.sqlite3", tmp_path / "evidence"
    store = open_store(db)
    store.set_setting("site_name", "星海花园")
    store.close()
    (evidence / "20261204").mkdir(parents=True)
    (evidence / "20261204" / "gauge-1.png").write_bytes(b"\x89PNG fake gauge photo")
    (evidence / "20261204" / "meter-2.jpg").write_bytes(b"\xff\xd8 fake meter photo")
    return db, evidence


def test_a_backup_taken_while_the_desktop_writes_restores_to_a_consistent_site(tmp_path) -> None:
    db, evidence = _site(tmp_path)
    store = open_store(db)
    stop, started, written = threading.Event(), threading.Event(), []

    def desktop() -> None:  # the live feed goes on writing while the backup is taken
        i = 0
        while not stop.is_set():
            i += 1
            store.set_setting("counter", str(i))
            written.append(i)
            started.set()

    writer = threading.Thread(target=desktop)
    writer.start()
    assert started.wait(10)  # the feed is writing when the backup starts
    try:
        summary = write_backup(db, evidence, tmp_path / "backup.zip")
    finally:
        stop.set()
        writer.join()
        store.close()
    assert written and summary.evidence_files == 2 and summary.schema and summary.db_bytes > 0
    assert verify_backup(tmp_path / "backup.zip").evidence_files == 2

    target, target_evidence = tmp_path / "other" / "anran.sqlite3", tmp_path / "other" / "evidence"
    _, kept = restore_backup(tmp_path / "backup.zip", target, target_evidence)
    assert kept is None  # nothing was there to keep
    restored = open_store(target)
    try:
        assert restored.setting("site_name") == "星海花园"
        assert 0 < int(restored.setting("counter")) <= written[-1]  # one instant of the running database
    finally:
        restored.close()
    assert (target_evidence / "20261204" / "gauge-1.png").read_bytes() == b"\x89PNG fake gauge photo"
    with zipfile.ZipFile(tmp_path / "backup.zip") as z:
        manifest = json.loads(z.read("manifest.json"))
    assert manifest["format"] == "anran-backup/1" and "evidence/20261204/meter-2.jpg" in manifest["members"]


def test_a_damaged_or_foreign_zip_is_named_as_such(tmp_path) -> None:
    db, evidence = _site(tmp_path)
    good = write_backup(db, evidence, tmp_path / "good.zip").path
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bad, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "evidence/20261204/gauge-1.png":
                data = data.replace(b"gauge", b"GAUGE")  # one flipped photo: the manifest's hash no longer fits
            dst.writestr(item, data)
    with pytest.raises(StoreError, match="gauge-1.png does not match its recorded checksum"):
        verify_backup(bad)
    foreign = tmp_path / "photos.zip"
    with zipfile.ZipFile(foreign, "w") as z:
        z.writestr("holiday.jpg", b"...")
    with pytest.raises(StoreError, match="not an AnRan backup"):
        verify_backup(foreign)
    (tmp_path / "text.zip").write_text("not a zip")
    with pytest.raises(StoreError, match="cannot be read as a backup"):
        verify_backup(tmp_path / "text.zip")
    with pytest.raises(StoreError, match="already exists"):
        write_backup(db, evidence, good)  # never over an existing file
    with pytest.raises(StoreError, match="no AnRan database to back up"):
        write_backup(tmp_path / "nothing.sqlite3", evidence, tmp_path / "new.zip")
    assert not (tmp_path / "new.zip").exists() and not (tmp_path / "new.zip.partial").exists()


def test_a_restore_keeps_the_database_it_replaces_and_never_overwrites_a_different_photo(tmp_path) -> None:
    db, evidence = _site(tmp_path)
    backup = write_backup(db, evidence, tmp_path / "b.zip").path
    store = open_store(db)
    store.set_setting("site_name", "changed after the backup")
    store.close()

    (evidence / "20261204" / "gauge-1.png").write_bytes(b"another photo under that name")
    with pytest.raises(StoreError, match="gauge-1.png: exists with other contents"):
        restore_backup(backup, db, evidence)
    still = open_store(db)
    try:
        assert still.setting("site_name") == "changed after the backup"  # nothing was restored
    finally:
        still.close()

    (evidence / "20261204" / "gauge-1.png").write_bytes(b"\x89PNG fake gauge photo")
    _, kept = restore_backup(backup, db, evidence)
    assert kept is not None and kept.name.startswith("site.sqlite3.before-restore-")
    back, aside = open_store(db), open_store(kept)
    try:
        assert back.setting("site_name") == "星海花园" and aside.setting("site_name") == "changed after the backup"
    finally:
        back.close()
        aside.close()


def test_anran_restore_is_refused_while_a_window_has_the_database_open(tmp_path, monkeypatch, capsys) -> None:
    from PySide6.QtCore import QLockFile

    from anran_desktop.services.audit import AuditService
    from anran_desktop.ui.instance_guard import lock_path

    db, evidence = _site(tmp_path)
    monkeypatch.setenv("ANRAN_HOME", str(tmp_path / "home"))
    assert main(["backup", "--db", str(db), "--out", str(tmp_path / "b.zip")]) == 0
    assert "backup written" in capsys.readouterr().out
    window = QLockFile(str(lock_path(db)))  # a window holding the database
    assert window.tryLock(0)
    try:
        assert main(["restore", str(tmp_path / "b.zip"), "--db", str(db)]) == 3
        assert "is open in an AnRan window" in capsys.readouterr().err
    finally:
        window.unlock()
    assert main(["restore", str(tmp_path / "b.zip"), "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "restored" in out and "before-restore-" in out
    store = open_store(db)
    try:
        audit = AuditService(store)
        (row,) = [e for e in audit.recent(entity="store") if e.action == "store.restore"]
        assert row.actor.startswith("console:") and audit.verify().ok  # the restore is on the record, chain intact
    finally:
        store.close()


def test_a_nightly_backup_names_itself_and_keeps_the_newest(tmp_path) -> None:
    import json as _json
    from datetime import datetime

    from anran_desktop.store.backup import backup_into

    db, evidence = _site(tmp_path)
    store = open_store(db)
    store.set_setting("site", _json.dumps({"name": "星海花园"}, ensure_ascii=False))
    store.close()
    folder = tmp_path / "nightly"
    folder.mkdir()
    (folder / "安燃云备份-东湖校区-20261120-0200.zip").write_bytes(b"another site's")  # not ours to remove
    (folder / "notes.txt").write_text("kept")
    made = [backup_into(db, evidence, folder, keep=3, now=datetime(2026, 12, day, 2, 0)) for day in range(1, 6)]
    assert made[0][0].path.name == "安燃云备份-星海花园-20261201-0200.zip" and made[0][1] == []
    assert [p.name for p in made[3][1]] == ["安燃云备份-星海花园-20261201-0200.zip"]  # the oldest goes first
    left = sorted(p.name for p in folder.iterdir())
    assert left == ["notes.txt", "安燃云备份-东湖校区-20261120-0200.zip", "安燃云备份-星海花园-20261203-0200.zip",
                    "安燃云备份-星海花园-20261204-0200.zip", "安燃云备份-星海花园-20261205-0200.zip"]
    assert verify_backup(folder / "安燃云备份-星海花园-20261205-0200.zip").evidence_files == 2
    with pytest.raises(StoreError, match="keep must be at least 1"):
        backup_into(db, evidence, folder, keep=0)
    assert main(["backup", "--db", str(db), "--into", str(folder), "--keep", "2"]) == 0
    assert len([p for p in folder.iterdir() if "星海花园" in p.name]) == 2


def test_a_backup_naming_a_file_outside_the_evidence_folder_is_refused(tmp_path) -> None:
    import hashlib

    db, evidence = _site(tmp_path)
    good = write_backup(db, evidence, tmp_path / "good.zip").path
    crafted = tmp_path / "crafted.zip"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(crafted, "w") as dst:
        manifest = json.loads(src.read("manifest.json"))
        payload = b"written where it should not be"
        manifest["members"]["evidence/../../escape.txt"] = {"bytes": len(payload),
                                                            "sha256": hashlib.sha256(payload).hexdigest()}
        dst.writestr("manifest.json", json.dumps(manifest))
        for item in src.infolist():
            if item.filename != "manifest.json":
                dst.writestr(item, src.read(item))
        dst.writestr("evidence/../../escape.txt", payload)
    with pytest.raises(StoreError, match="outside the evidence folder"):
        restore_backup(crafted, tmp_path / "restored.sqlite3", tmp_path / "restored-evidence")
    assert not (tmp_path / "escape.txt").exists() and not (tmp_path / "restored.sqlite3").exists()

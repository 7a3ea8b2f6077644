"""The desktop's nightly backup: due once a day from the configured hour, caught up after a night the
workstation was off, configured with an audit record."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from anran_desktop.services.audit import AuditService
from anran_desktop.services.auto_backup import AutoBackupConfig, is_due, last_backup, load_config, save_config
from anran_desktop.store import open_store
from anran_desktop.store.backup import backup_into


@pytest.fixture
def site(tmp_path):
    store = open_store(tmp_path / "site.sqlite3")
    store.set_setting("site", json.dumps({"name": "星海花园"}, ensure_ascii=False))
    folder = tmp_path / "backups"
    folder.mkdir()
    yield store, folder
    store.close()


def test_a_backup_is_due_once_a_day_from_its_hour(site, tmp_path) -> None:
    store, folder = site
    cfg = AutoBackupConfig(str(folder), keep=7, hour=2)
    db = store.path
    assert not is_due(cfg, db, datetime(2026, 12, 4, 1, 59))  # not before its hour
    assert is_due(cfg, db, datetime(2026, 12, 4, 2, 0))
    backup_into(db, tmp_path / "evidence", folder, 7, now=datetime(2026, 12, 4, 2, 0))
    assert last_backup(cfg, db) == datetime(2026, 12, 4, 2, 0)
    assert not is_due(cfg, db, datetime(2026, 12, 4, 23, 0))  # today's is there
    assert not is_due(cfg, db, datetime(2026, 12, 5, 1, 0))
    assert is_due(cfg, db, datetime(2026, 12, 7, 9, 30))  # the workstation was off for two nights: caught up
    (folder / "安燃云备份-东湖校区-20261207-0200.zip").write_bytes(b"another site's")  # not this site's
    assert is_due(cfg, db, datetime(2026, 12, 7, 9, 30))


def test_the_configuration_is_stored_audited_and_checked(site) -> None:
    store, folder = site
    assert load_config(store) is None
    save_config(store, AutoBackupConfig(str(folder), keep=30, hour=3), "admin")
    assert load_config(store) == AutoBackupConfig(str(folder), 30, 3)
    save_config(store, None, "admin")
    assert load_config(store) is None
    rows = [e for e in AuditService(store).recent(entity="store") if e.action == "backup.configure"]
    assert [r.actor for r in rows] == ["admin", "admin"]
    for bad, match in (({"folder": " "}, "folder is empty"), ({"folder": "x", "keep": 0}, "keep must be"),
                       ({"folder": "x", "hour": 24}, "hour must be")):
        with pytest.raises(ValueError, match=match):
            AutoBackupConfig(**bad)
    store.set_setting("auto_backup", "{not json")
    assert load_config(store) is None  # unreadable: off, not a crash at start-up

"""Nightly backups taken by the desktop itself: when, where, how many kept (no Qt).

A dispatch room should not depend on someone remembering to back up, nor on a scheduled task an IT
department may never set up. With a folder configured (文件 → 自动备份设置…, setting ``auto_backup``) the
running desktop takes one backup a day (``store.backup.backup_into``) at or after the configured local hour,
and catches up at its next start if the workstation was off then. The configuration change is audited.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

from anran_desktop.store import Store
from anran_desktop.store.audit import append_audit
from anran_desktop.store.backup import BackupSummary, backup_into, site_backups

SETTING = "auto_backup"


@dataclass(frozen=True)
class AutoBackupConfig:
    """Back up into ``folder`` once a day from ``hour`` (local time), keeping the newest ``keep``."""

    folder: str
    keep: int = 14
    hour: int = 2

    def __post_init__(self) -> None:
        if not self.folder.strip():
            raise ValueError("the backup folder is empty")
        if not 1 <= self.keep <= 3650:
            raise ValueError(f"keep must be 1 … 3650 backups, not {self.keep}")
        if not 0 <= self.hour <= 23:
            raise ValueError(f"the hour must be 0 … 23, not {self.hour}")


def load_config(store: Store) -> AutoBackupConfig | None:
    """The stored configuration; None when automatic backups are off (or the stored value is unreadable)."""
    text = store.setting(SETTING)
    if not text:
        return None
    try:
        return AutoBackupConfig(**json.loads(text))
    except (TypeError, ValueError):
        return None


def save_config(store: Store, config: AutoBackupConfig | None, actor: str) -> None:
    """Store (or with None, turn off) the configuration, audited in the same transaction."""
    value = "" if config is None else json.dumps(asdict(config), ensure_ascii=False)
    with store.begin() as c:
        store.set_setting(SETTING, value, conn=c)
        append_audit(store, c, actor=actor, action="backup.configure", entity="store", entity_id=SETTING,
                     detail=asdict(config) if config is not None else {"off": True})


def last_backup(config: AutoBackupConfig, db_path: Path) -> datetime | None:
    """The local time of this site's newest AnRan-named backup in the folder, or None."""
    found = site_backups(config.folder, db_path)
    return found[-1][0] if found else None


def hour_has_come(config: AutoBackupConfig, now: datetime) -> bool:
    """True from the configured hour on (local time ``now``); no file is looked at."""
    return now.hour >= config.hour


def is_due(config: AutoBackupConfig, db_path: Path, now: datetime) -> bool:
    """True when today's backup (local time ``now``) is not there yet and its hour has come (lists the
    backup folder, which may be a slow network share: call on a worker)."""
    if not hour_has_come(config, now):
        return False
    last = last_backup(config, db_path)
    return last is None or last.date() < now.date()


def backup_if_due(config: AutoBackupConfig, db_path: Path, evidence_root: Path | None,
                  now: datetime) -> tuple[BackupSummary, list[Path]] | None:
    """Take today's backup into the folder if it is due (:func:`is_due`); None when it is already there."""
    if not is_due(config, db_path, now):
        return None
    return backup_into(db_path, evidence_root, config.folder, config.keep)

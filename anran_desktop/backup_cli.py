"""``anran backup`` and ``anran restore``: a site's records (database and evidence photos) in one zip.

``anran backup --out F.zip`` may run while the desktop is open; ``anran backup --into DIR --keep 14`` is
the line for a scheduled task (e.g. Windows Task Scheduler, every night: it names the file and keeps the
newest 14); ``anran backup --verify F.zip`` checks a backup; ``anran restore F.zip`` puts one in
place of the database — refused while a window has that database open, and the database it replaces is
kept beside it. See ``anran_desktop/store/backup.py``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    b = subparsers.add_parser("backup", help="back the database and its evidence photos up into one zip",
                              description="Back the site's database (a consistent copy, also while the desktop "
                                          "runs) and its evidence photos up into one zip, or check one.")
    b.add_argument("--db", help="database file (default: the user data folder's)")
    what = b.add_mutually_exclusive_group(required=True)
    what.add_argument("--out", metavar="FILE.zip", help="the backup to write (must not exist)")
    what.add_argument("--into", metavar="DIR", help="write a backup named by AnRan (site, local time) into DIR and "
                                                    "keep the newest --keep of them there (a nightly scheduled task)")
    what.add_argument("--verify", metavar="FILE.zip", help="check a backup (checksums, integrity, schema)")
    b.add_argument("--keep", type=int, default=14, help="with --into: how many of this site's backups to keep (14)")
    b.set_defaults(func=run_backup)
    r = subparsers.add_parser("restore", help="put a backup in place of the database (the old one is kept aside)",
                              description="Restore a backup made by 'anran backup': verified first; refused while "
                                          "a window has the database open; the replaced database is kept as "
                                          "<db>.before-restore-<time>.bak.")
    r.add_argument("backup", metavar="FILE.zip")
    r.add_argument("--db", help="database file to restore (default: the user data folder's)")
    r.set_defaults(func=run_restore)


def _summary(s) -> str:  # noqa: ANN001 - BackupSummary
    site = f"site {s.site}, " if s.site else ""
    return (f"{s.path}: {site}database {s.db_bytes / 1e6:.1f} MB (schema {s.schema}), {s.evidence_files} evidence "
            f"file(s), taken {s.created_at}, {s.total_bytes / 1e6:.1f} MB")


def run_backup(args: argparse.Namespace) -> int:
    from anran_desktop.paths import default_db_path, evidence_dir
    from anran_desktop.store.backup import backup_into, verify_backup, write_backup
    from anran_desktop.store.db import StoreError

    try:
        if args.verify:
            print(f"backup verified: {_summary(verify_backup(args.verify))}")
        elif args.into:
            db = Path(args.db) if args.db else default_db_path()
            summary, removed = backup_into(db, evidence_dir(), args.into, args.keep)
            print(f"backup written: {_summary(summary)}")
            for p in removed:
                print(f"older backup removed (keeping {args.keep}): {p}")
        else:
            db = Path(args.db) if args.db else default_db_path()
            print(f"backup written: {_summary(write_backup(db, evidence_dir(), args.out))}")
    except StoreError as exc:
        print(f"anran backup: error: {exc}", file=sys.stderr)
        return 2
    return 0


def run_restore(args: argparse.Namespace) -> int:
    import getpass

    from PySide6.QtCore import QLockFile

    from anran_desktop.paths import default_db_path, evidence_dir
    from anran_desktop.store.backup import restore_recorded
    from anran_desktop.store.db import StoreError
    from anran_desktop.ui.instance_guard import lock_holder, lock_path

    db = (Path(args.db) if args.db else default_db_path()).expanduser().resolve()
    db.parent.mkdir(parents=True, exist_ok=True)
    lock = QLockFile(str(lock_path(db)))  # the window's lock: held, no window can open it meanwhile
    lock.setStaleLockTime(0)
    if not lock.tryLock(0):
        holder = lock_holder(lock)
        who = "" if holder is None else f" ({holder})"
        print(f"anran restore: error: {db} is open in an AnRan window{who}; close it first — nothing was restored",
              file=sys.stderr)
        return 3
    try:
        summary, kept = restore_recorded(args.backup, db, evidence_dir(), f"console:{getpass.getuser()}")
    except StoreError as exc:
        print(f"anran restore: error: {exc}", file=sys.stderr)
        return 2
    finally:
        lock.unlock()
    print(f"restored {db} from {_summary(summary)}")
    if kept:
        print(f"the database it replaced is kept as {kept}")
    return 0

"""Backups of a site's records: the database and the evidence photos it refers to, in one zip (no Qt).

A dispatch room's database is its record (tickets, the audit chain, readings, evidence). Copying the file
while the desktop runs can give a torn copy (SQLite keeps recent writes in its WAL beside it), so a backup
is taken through SQLite's backup API (consistent at one instant, the desktop keeps writing meanwhile) and
checked (``PRAGMA quick_check``) before it is zipped with the evidence folder and a manifest
(``manifest.json``: format, schema revision, time, and the size and SHA-256 of every member).

``verify_backup`` re-checks a zip (every hash, the database's integrity and that this version of AnRan can
open its schema); ``restore_backup`` verifies first, keeps the database it replaces beside it
(``<db>.before-restore-<time>.bak``) and never overwrites an evidence file that differs.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select

from anran_desktop.store.db import Store, StoreError, copy_database, inspect_file, iso_utc

FORMAT = "anran-backup/1"
DB_MEMBER = "anran.sqlite3"
EVIDENCE_PREFIX = "evidence/"
MANIFEST = "manifest.json"


@dataclass(frozen=True)
class BackupSummary:
    """What a backup holds: where it is, when it was taken (UTC ISO), schema revision, evidence files, bytes."""

    path: Path
    created_at: str
    schema: str
    evidence_files: int
    db_bytes: int
    total_bytes: int
    site: str = ""  # the site's name as the backed-up database stores it ("" if none)


#: how a backup is named when AnRan names it: 安燃云备份-<site>-YYYYMMDD-HHMM.zip (local time)
NAME_PREFIX = "安燃云备份-"


def default_name(site: str, now: datetime | None = None) -> str:
    """安燃云备份-星海花园-20261204-1130.zip (local time; characters a file name may not hold dropped)."""
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M")
    site = "".join(ch for ch in site if ch not in '\\/:*?"<>|').strip()
    return f"{NAME_PREFIX}{site}-{stamp}.zip" if site else f"{NAME_PREFIX}{stamp}.zip"


def site_name(db_path: Path) -> str:
    """The site's name as its database stores it ("" if none), read without opening the store."""
    try:
        con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        try:
            row = con.execute("SELECT value FROM settings WHERE key = 'site'").fetchone()
        finally:
            con.close()
        return str(json.loads(row[0]).get("name", "")) if row and row[0] else ""
    except (sqlite3.Error, ValueError, AttributeError):
        return ""


def site_backups(folder: Path | str, db_path: Path | str) -> list[tuple[datetime, Path]]:
    """This site's AnRan-named backups in ``folder`` (its name, a time stamp, nothing more), oldest first,
    each with the local time its name says."""
    example = default_name(site_name(Path(db_path)), datetime(2000, 1, 1))
    found = []
    for p in Path(folder).expanduser().glob(example[: -len("20000101-0000.zip")] + "*.zip"):
        if not p.is_file() or len(p.name) != len(example):
            continue
        try:
            found.append((datetime.strptime(p.stem[-13:], "%Y%m%d-%H%M"), p))
        except ValueError:
            continue
    return sorted(found)


def backup_into(db_path: Path | str, evidence_root: Path | str | None, folder: Path | str, keep: int,
                now: datetime | None = None) -> tuple[BackupSummary, list[Path]]:
    """A backup named by AnRan in ``folder`` (a scheduled task's nightly run), then the oldest of this
    site's AnRan-named backups there (:func:`site_backups`) removed so that ``keep`` remain; returns the
    backup and those removed. Other files in the folder are never touched."""
    if keep < 1:
        raise StoreError(f"keep must be at least 1 (the backup just made), not {keep}")
    db_path, folder = Path(db_path).expanduser().resolve(), Path(folder).expanduser()
    summary = write_backup(db_path, evidence_root, folder / default_name(site_name(db_path), now))
    removed = [p for _, p in site_backups(folder, db_path)[:-keep]]
    for p in removed:
        p.unlink()
    return summary, removed


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _snapshot(db_path: Path, out: Path) -> str:
    """A consistent copy of the live database at ``out``, checked as any database AnRan opens is
    (``inspect_file``: integrity, an AnRan database, a schema this version knows); returns its revision."""
    if not db_path.is_file():
        raise StoreError(f"{db_path}: there is no AnRan database to back up")
    try:
        copy_database(db_path, out)
    except sqlite3.Error as exc:
        raise StoreError(f"{db_path}: the database could not be copied ({exc}); no backup was written") from None
    try:
        schema = inspect_file(out)
    except StoreError as exc:
        raise StoreError(f"{db_path}: its copy was refused, no backup was written: {exc}") from None
    if schema is None:
        raise StoreError(f"{db_path}: there is no AnRan database to back up (it is empty)")
    return schema


def write_backup(db_path: Path | str, evidence_root: Path | str | None, out: Path | str) -> BackupSummary:
    """Back ``db_path`` and the evidence folder up into the zip ``out`` (which must not exist yet). The zip
    appears only when complete (written beside it, then renamed)."""
    db_path, out = Path(db_path).expanduser().resolve(), Path(out).expanduser()
    if out.exists():
        raise StoreError(f"{out}: already exists; choose another name (a backup never overwrites a file)")
    if not out.parent.is_dir():
        raise StoreError(f"{out.parent}: no such folder")
    root = Path(evidence_root) if evidence_root is not None else None
    files = sorted(p for p in root.rglob("*") if p.is_file()) if root is not None and root.is_dir() else []
    created = iso_utc(datetime.now(UTC))
    partial = out.with_name(out.name + ".partial")
    with tempfile.TemporaryDirectory(prefix="anran-backup-") as tmp:
        snap = Path(tmp) / DB_MEMBER
        schema = _snapshot(db_path, snap)
        site = site_name(snap)
        members = {DB_MEMBER: {"bytes": snap.stat().st_size, "sha256": _sha256(snap)}}
        for f in files:
            members[EVIDENCE_PREFIX + f.relative_to(root).as_posix()] = {"bytes": f.stat().st_size,
                                                                         "sha256": _sha256(f)}
        manifest = {"format": FORMAT, "created_at": created, "schema": schema, "database": str(db_path),
                    "members": members}
        try:
            with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as z:
                z.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
                z.write(snap, DB_MEMBER)
                for f in files:
                    z.write(f, EVIDENCE_PREFIX + f.relative_to(root).as_posix())
            partial.replace(out)
        except OSError as exc:
            partial.unlink(missing_ok=True)
            raise StoreError(f"{out}: the backup could not be written ({exc.strerror or exc})") from None
    return BackupSummary(out, created, schema, len(files), members[DB_MEMBER]["bytes"], out.stat().st_size, site)


def _manifest(z: zipfile.ZipFile, path: Path) -> dict:
    try:
        manifest = json.loads(z.read(MANIFEST))
    except (KeyError, ValueError):
        raise StoreError(f"{path}: is not an AnRan backup (no readable {MANIFEST})") from None
    if manifest.get("format") != FORMAT or DB_MEMBER not in manifest.get("members", {}):
        raise StoreError(f"{path}: is not an AnRan backup of a known format ({manifest.get('format')!r})")
    return manifest


def verify_backup(path: Path | str) -> BackupSummary:
    """Check every member against the manifest, the database's integrity and that its schema can be opened
    by this version; raises StoreError naming what is wrong."""
    path = Path(path)
    try:
        z = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        raise StoreError(f"{path}: cannot be read as a backup ({exc})") from None
    with z, tempfile.TemporaryDirectory(prefix="anran-verify-") as tmp:
        manifest = _manifest(z, path)
        names = set(z.namelist()) - {MANIFEST}
        missing = sorted(set(manifest["members"]) - names)
        if missing:
            raise StoreError(f"{path}: {len(missing)} file(s) of the manifest are missing, first {missing[0]}")
        extra = sorted(names - set(manifest["members"]))
        if extra:
            raise StoreError(f"{path}: holds {extra[0]}, which its manifest does not list")
        unsafe = next((n for n in manifest["members"] if n != DB_MEMBER and not _safe_member(n)), None)
        if unsafe:  # a restore would write it outside the evidence folder
            raise StoreError(f"{path}: holds {unsafe!r}, a name a restore may not write (outside the evidence folder)")
        for name, meta in manifest["members"].items():
            h = hashlib.sha256()
            try:
                with z.open(name) as fh:
                    for block in iter(lambda fh=fh: fh.read(1 << 20), b""):
                        h.update(block)
            except (zipfile.BadZipFile, OSError) as exc:
                raise StoreError(f"{path}: {name} cannot be read ({exc})") from None
            if h.hexdigest() != meta["sha256"]:
                raise StoreError(f"{path}: {name} does not match its recorded checksum (the backup is damaged)")
        db = Path(tmp) / DB_MEMBER
        with z.open(DB_MEMBER) as src, open(db, "wb") as dst:
            shutil.copyfileobj(src, dst)
        schema = inspect_file(db) or ""  # integrity, an AnRan database, a schema this version knows
        site = site_name(db)
    evidence = sum(1 for n in manifest["members"] if n.startswith(EVIDENCE_PREFIX))
    return BackupSummary(path, manifest["created_at"], schema, evidence, manifest["members"][DB_MEMBER]["bytes"],
                         path.stat().st_size, site)


def restore_backup(path: Path | str, db_path: Path | str, evidence_root: Path | str) -> tuple[BackupSummary, Path | None]:
    """Put a verified backup in place of ``db_path`` and add its evidence files under ``evidence_root``.
    The database replaced is kept as ``<db>.before-restore-<UTC time>.bak`` (returned, None if there was none);
    an evidence file already there with other contents stops the restore before anything is changed."""
    path, db_path, root = Path(path), Path(db_path).expanduser().resolve(), Path(evidence_root)
    summary = verify_backup(path)
    with zipfile.ZipFile(path) as z:
        members = _manifest(z, path)["members"]
        clash = next((n for n, m in members.items() if n.startswith(EVIDENCE_PREFIX)
                      and (root / n[len(EVIDENCE_PREFIX):]).exists()
                      and _sha256(root / n[len(EVIDENCE_PREFIX):]) != m["sha256"]), None)
        if clash:
            raise StoreError(f"{root / clash[len(EVIDENCE_PREFIX):]}: exists with other contents than the backup's; "
                             "nothing was restored — move it away first")
        kept = None
        db_path.parent.mkdir(parents=True, exist_ok=True)
        if db_path.exists():
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
            kept = db_path.with_name(f"{db_path.name}.before-restore-{stamp}.bak")
            _keep_aside(db_path, kept)
        incoming = db_path.with_name(db_path.name + ".restoring")
        try:
            with z.open(DB_MEMBER) as src, open(incoming, "wb") as dst:
                shutil.copyfileobj(src, dst)
        except OSError as exc:
            incoming.unlink(missing_ok=True)
            raise StoreError(f"{db_path}: the backup's database could not be written ({exc.strerror or exc}); "
                             "the database was left as it was") from None
        for side in (db_path.with_name(db_path.name + "-wal"), db_path.with_name(db_path.name + "-shm")):
            side.unlink(missing_ok=True)  # the replaced database's journal must not be replayed into the restored one
        incoming.replace(db_path)
        for name in members:
            if name.startswith(EVIDENCE_PREFIX):
                target = root / name[len(EVIDENCE_PREFIX):]
                if not target.exists():
                    target.parent.mkdir(parents=True, exist_ok=True)
                    with z.open(name) as src, open(target, "wb") as dst:
                        shutil.copyfileobj(src, dst)
    return summary, kept


def restore_recorded(path: Path | str, db_path: Path | str, evidence_root: Path | str, actor: str,
                     ) -> tuple[BackupSummary, Path | None]:
    """:func:`restore_backup`, then open the restored database (a backup of an older version is migrated
    here, as at any start) and append the restore to its audit chain (``store.restore`` by ``actor``). The
    caller holds the database's one-window lock. Used by ``anran restore`` and by a restore the desktop asked
    for (``anran app --restore``)."""
    from anran_desktop.store.audit import append_audit
    from anran_desktop.store.db import open_store, utc_now

    summary, kept = restore_backup(path, db_path, evidence_root)
    store = open_store(Path(db_path))
    try:
        with store.begin() as c:
            append_audit(store, c, actor=actor, action="store.restore", entity="store", entity_id=Path(db_path).name,
                         time=utc_now(), detail={"backup": str(Path(path).resolve()), "taken": summary.created_at,
                                                 "kept": str(kept) if kept else None})
    finally:
        store.close()
    return summary, kept


@dataclass(frozen=True)
class NewerRecords:
    """What a database holds that is newer than a backup's time: a restore of that backup would lose it
    (it stays in the database kept aside)."""

    alarms: int  # raised after it
    tickets: int  # made or moved after it
    audit: int  # entries of the audit log after it

    @property
    def any(self) -> bool:
        return bool(self.alarms or self.tickets or self.audit)


def newer_records(store: Store, since: str) -> NewerRecords:
    """Records of ``store`` later than ``since`` (UTC ISO, as the store writes times)."""
    t = store.t
    with store.read() as c:
        def count(table, column) -> int:  # noqa: ANN001
            return int(c.execute(select(func.count()).select_from(table).where(column > since)).scalar() or 0)

        return NewerRecords(count(t.alarms, t.alarms.c.time), count(t.tickets, t.tickets.c.updated_at),
                            count(t.audit_log, t.audit_log.c.time))


def _safe_member(name: str) -> bool:
    """An evidence member's name a restore may write: under ``evidence/``, relative, no ``..``, no drive."""
    parts = name.split("/")
    return (name.startswith(EVIDENCE_PREFIX) and "\\" not in name and ":" not in name
            and all(p not in ("", ".", "..") for p in parts[1:]))


def _keep_aside(db_path: Path, out: Path) -> None:
    """The database about to be replaced, with what is still in its WAL, kept at ``out``: through SQLite's
    backup API, or as plain file copies if SQLite cannot read it (a damaged database is what one restores
    over)."""
    try:
        copy_database(db_path, out)
        return
    except sqlite3.Error:
        out.unlink(missing_ok=True)
    try:
        shutil.copy2(db_path, out)
        wal = db_path.with_name(db_path.name + "-wal")
        if wal.exists():
            shutil.copy2(wal, out.with_name(out.name + "-wal"))
    except OSError as exc:
        raise StoreError(f"{db_path}: the database to be replaced could not be kept aside ({exc.strerror or exc}); "
                         "nothing was restored") from None

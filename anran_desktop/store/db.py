"""Opening the desktop database: checks, migrations, WAL, and the table handles services use.

The schema is defined once, by the Alembic migrations in ``store/migrations/versions``; services use
SQLAlchemy Core tables reflected from the migrated database (``store.t.tickets`` …).

Opening never damages a file it cannot use: the file is first inspected read-only, and anything that is
not an AnRan SQLite database, is corrupt, or was written by a newer AnRan raises :class:`StoreError`
with the file's path and the reason, leaving its bytes untouched. Before an older schema is upgraded a
copy of the file is kept next to it (``*.before-<revision>.bak``).
"""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace

from sqlalchemy import Connection, Engine, MetaData, create_engine, event

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
SQLITE_MAGIC = b"SQLite format 3\x00"


class StoreError(RuntimeError):
    """The database cannot be opened or used; the message says which file and why."""


def utc_now() -> str:
    """Current time as UTC ISO 8601 with milliseconds and a ``Z``."""
    return iso_utc(dt.datetime.now(dt.UTC))


def iso_utc(t: dt.datetime) -> str:
    """An aware time as the store writes times: UTC ISO 8601 with milliseconds and a ``Z``."""
    return t.astimezone(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _alembic_config(connection: Connection | None = None):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def known_revisions() -> list[str]:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(_alembic_config())
    return [r.revision for r in script.walk_revisions()]


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_alembic_config()).get_current_head() or ""


def inspect_file(path: Path) -> str | None:
    """Read-only look at an existing file. Returns its schema revision (None for an empty/new file)."""
    if not path.exists():
        return None
    if path.is_dir():
        raise StoreError(f"{path}: is a folder, not a database file")
    try:
        with open(path, "rb") as fh:
            head = fh.read(100)
    except OSError as exc:
        raise StoreError(f"{path}: cannot be read ({exc.strerror})") from None
    if len(head) == 0:
        return None
    if not head.startswith(SQLITE_MAGIC):
        raise StoreError(f"{path}: is not an SQLite database (the file header is wrong); it was left untouched")
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise StoreError(f"{path}: cannot be opened ({exc}); it was left untouched") from None
    try:
        check = con.execute("PRAGMA quick_check").fetchone()
        if not check or check[0] != "ok":
            raise StoreError(f"{path}: the database is damaged ({check[0] if check else 'no answer'}); "
                             "it was left untouched — restore a backup or choose another file")
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if not tables:
            return None
        if "alembic_version" not in tables:
            raise StoreError(f"{path}: is an SQLite database but not an AnRan database; it was left untouched")
        row = con.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path}: the database is damaged ({exc}); it was left untouched") from None
    finally:
        con.close()
    revision = row[0] if row else None
    if revision is not None and revision not in known_revisions():
        raise StoreError(f"{path}: was written by a newer version of AnRan (schema {revision}); "
                         "update AnRan to open it. The file was left untouched")
    return revision


class Store:
    """An open desktop database. Thread-safe: each call takes its own pooled connection, and the write
    transactions of this process take turns (:meth:`begin`)."""

    def __init__(self, path: Path, engine: Engine) -> None:
        self.path = path
        self.engine = engine
        md = MetaData()
        md.reflect(engine)
        self.metadata = md
        self.t = SimpleNamespace(**md.tables)
        self._lock = threading.RLock()
        self._writing = threading.local()  # depth of this thread's write transactions
        self.write_timeout_s = 30.0  # as SQLite's busy timeout (connect_args below)

    @contextmanager
    def begin(self) -> Iterator[Connection]:
        """A write transaction (committed on success, rolled back on error).

        One at a time in this process (the GUI, the leak watch's worker, the sync and ingest threads), and
        across processes (a command-line tool on the same file) through SQLite's write lock, taken when the
        transaction starts (:meth:`_take_write_lock`). The SQLite driver starts a transaction only at its
        first write, so without them a read-check-write
        (the next alarm or ticket id, a move's guards, the watch following a ticket) could act on a value
        another thread or process changes before its write, and that update would be lost. Re-entrant on one
        thread (the inner transaction then begins deferred, as it did before, and logs a warning).
        Reads (:meth:`read`) never wait for it. A write that cannot start within ``write_timeout_s`` (as long
        as SQLite's own busy timeout) raises StoreError instead of hanging the caller."""
        if not self._lock.acquire(timeout=self.write_timeout_s):
            raise StoreError(f"{self.path}: the database is busy (another write has held it for "
                             f"{self.write_timeout_s:.0f} s); nothing was written — try again")
        depth = getattr(self._writing, "depth", 0)
        self._writing.depth = depth + 1
        try:
            with self.engine.begin() as conn:
                if depth == 0:
                    self._take_write_lock(conn)
                else:  # a write inside a write on one thread: as before the lock existed (deferred)
                    log.warning("nested Store.begin() on one thread: its writes wait for the outer transaction")
                yield conn
        finally:
            self._writing.depth = depth
            self._lock.release()

    def _take_write_lock(self, conn: Connection) -> None:
        """Start the transaction as SQLite's writer (``BEGIN IMMEDIATE``). The driver would begin only at the
        first write, with the reads before it outside the transaction, so another process's commit between
        a read and the write was lost (three processes bumping one setting 400 times each kept 646 of
        1,200); now the other process waits (SQLite's busy timeout) until this transaction ends."""
        from sqlalchemy.exc import OperationalError

        try:
            conn.exec_driver_sql(f"PRAGMA busy_timeout = {int(self.write_timeout_s * 1000)}")
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        except OperationalError as exc:
            raise StoreError(f"{self.path}: the database is busy (another program has been writing to it for "
                             f"{self.write_timeout_s:.0f} s: {exc.orig}); nothing was written — try again") from None

    @contextmanager
    def read(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            yield conn

    def setting(self, key: str, default: str | None = None) -> str | None:
        from sqlalchemy import select

        with self.read() as c:
            v = c.execute(select(self.t.settings.c.value).where(self.t.settings.c.key == key)).scalar()
        return default if v is None else v

    def set_setting(self, key: str, value: str, conn: Connection | None = None) -> None:
        from sqlalchemy.dialects.sqlite import insert

        stmt = insert(self.t.settings).values(key=key, value=value)
        stmt = stmt.on_conflict_do_update(index_elements=["key"], set_={"value": value})
        if conn is not None:
            conn.execute(stmt)
        else:
            with self.begin() as c:
                c.execute(stmt)

    def close(self) -> None:
        self.engine.dispose()


def _make_engine(path: Path) -> Engine:
    engine = create_engine(f"sqlite:///{path}", connect_args={"check_same_thread": False, "timeout": 30})

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn, _record):  # noqa: ANN001
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.close()

    return engine


def copy_database(path: Path, out: Path) -> None:
    """A consistent copy of ``path`` (including anything still in its WAL) at ``out``, through SQLite's backup
    API; raises ``sqlite3.Error``."""
    src = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
    try:
        dst = sqlite3.connect(out)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()


def _backup_copy(path: Path, backup: Path) -> None:
    """A consistent copy of ``path`` before an upgrade (:func:`copy_database`), or StoreError."""
    try:
        copy_database(path, backup)
    except sqlite3.Error as exc:
        backup.unlink(missing_ok=True)
        raise StoreError(f"{path}: a backup before the upgrade could not be written to {backup} ({exc}); "
                         "the database was left untouched") from None


def upgrade_to(path: Path | str, revision: str) -> None:
    """Create or upgrade ``path`` to exactly ``revision`` (tests of upgrades from older schemas)."""
    from alembic import command

    engine = _make_engine(Path(path))
    try:
        with engine.begin() as conn:
            command.upgrade(_alembic_config(conn), revision)
    finally:
        engine.dispose()


def open_store(path: Path | str | None = None, *, backup_before_upgrade: bool = True) -> Store:
    """Open (creating or upgrading as needed) the desktop database at ``path``.

    ``None`` means the default location in the user's data folder.
    """
    if path is None:
        from anran_desktop.paths import default_db_path

        path = default_db_path()
    path = Path(path).expanduser().resolve()
    if not path.parent.exists():
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"{path}: its folder cannot be created ({exc.strerror})") from None
    revision = inspect_file(path)
    head = head_revision()
    if revision is not None and revision != head and backup_before_upgrade:
        backup = path.with_name(f"{path.name}.before-{head}.bak")
        if not backup.exists():
            _backup_copy(path, backup)
    engine = _make_engine(path)
    try:
        from alembic import command

        with engine.begin() as conn:
            command.upgrade(_alembic_config(conn), "head")
    except Exception as exc:
        engine.dispose()
        raise StoreError(f"{path}: the database could not be prepared ({exc})") from exc
    return Store(path, engine)

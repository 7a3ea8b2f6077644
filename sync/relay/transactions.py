"""The relay's transactions: a write takes SQLite's write lock when it starts, a read never does.

SQLite (WAL) starts a plain ``BEGIN`` transaction as a reader and makes it a writer at its first write. If
another request committed in between, that upgrade fails at once with "database is locked" (SQLite will not
let a writer act on a snapshot older than the database), whatever the busy timeout. Most relay writes read
first (is the household code unused? which version of the ticket is stored? is the account's password
right?), so requests arriving together — a family registering with one code, two sync rounds overlapping,
residents acknowledging one notice — failed with 500. ``begin()`` here therefore starts with
``BEGIN IMMEDIATE``: writers queue for the lock (up to the busy timeout) and each then reads what the one
before it committed. ``connect()`` (reads) stays a plain ``BEGIN`` and never waits. Other databases
(PostgreSQL) need no lock for this; their correctness rests on the conditional statements of the writes
themselves (e.g. a household code is consumed by ``UPDATE … WHERE code_used = false``).
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

_WRITE = "anran_relay_write"


def sqlite_transactions(engine: Engine) -> None:
    """Make ``engine`` (SQLite) run transactions as this module describes: call before any connection."""
    @event.listens_for(engine, "connect")
    def _driver(dbapi_conn: Any, _record: Any) -> None:  # noqa: ANN401
        dbapi_conn.isolation_level = None  # let SQLAlchemy's BEGIN drive transactions (savepoints work)

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(_WRITE) else "BEGIN")


class RelayEngine:
    """``engine`` whose ``begin()`` is a write transaction (``BEGIN IMMEDIATE`` on SQLite); the rest is the
    engine's own (``connect()`` for reads, ``dialect``, ``dispose()`` …)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._writer = engine.execution_options(**{_WRITE: True})

    def begin(self) -> AbstractContextManager[Connection]:
        return self._writer.begin()

    def __getattr__(self, name: str) -> Any:  # noqa: ANN401
        return getattr(self.engine, name)


def dialect_insert(dialect_name: str) -> Any:  # noqa: ANN401 - the dialect's insert construct
    """``insert`` with ``on_conflict_do_nothing`` for the relay's databases (SQLite, PostgreSQL)."""
    from sqlalchemy.dialects import postgresql, sqlite

    try:
        return {"sqlite": sqlite.insert, "postgresql": postgresql.insert}[dialect_name]
    except KeyError:
        raise ValueError(f"the relay runs on SQLite or PostgreSQL, not {dialect_name}") from None

"""Small helpers shared by the sync tests."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import httpx


def resident(url: str, code: str, username: str, password: str = "correct horse 1") -> dict[str, str]:
    """Register with a household code, sign in, return the auth header."""
    r = httpx.post(url + "/c/register", json={"household_code": code, "username": username, "password": password})
    assert r.status_code == 201, r.text
    r = httpx.post(url + "/c/login", json={"username": username, "password": password})
    assert r.status_code == 200, r.text
    return {"Authorization": "Bearer " + r.json()["access_token"]}


def relay_count(db: Path, table: str, where: str = "1=1") -> int:
    with sqlite3.connect(db) as c:
        return c.execute(f"SELECT count(*) FROM {table} WHERE {where}").fetchone()[0]


def outbox_statuses(store) -> dict[str, int]:  # noqa: ANN001
    with store.read() as c:
        return dict(c.exec_driver_sql("SELECT status, count(*) FROM outbox GROUP BY status").all())

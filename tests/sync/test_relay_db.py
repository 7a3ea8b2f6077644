"""The relay's database: Alembic-managed, reopened without losing data, tokens and secrets hashed at rest."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from fastapi.testclient import TestClient

from sync.relay import create_app


def test_reopen_keeps_data_and_stores_only_hashes(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'r.db'}"
    c = TestClient(create_app(url, site_tokens=["plain-site-token-123"]))
    code = c.post("/admin/households", headers={"Authorization": "Bearer plain-site-token-123"},
                  json={"household_id": "H1", "area": "1区"}).json()["code"]
    assert c.post("/c/register", json={"household_code": code, "username": "ann",
                                       "password": "secret-password-1"}).status_code == 201
    c2 = TestClient(create_app(url, site_tokens=["plain-site-token-123"]))
    assert c2.post("/c/login", json={"username": "ann", "password": "secret-password-1"}).status_code == 200
    assert c2.post("/c/login", json={"username": "ann", "password": "wrong-password"}).status_code == 401
    with sqlite3.connect(tmp_path / "r.db") as db:
        assert db.execute("SELECT version_num FROM alembic_version").fetchall() == [("r0004",)]
        assert db.execute("SELECT count(*) FROM sites").fetchone() == (1,)
        dump = "\n".join(db.iterdump())
    for secret in ("plain-site-token-123", code, "secret-password-1"):
        assert secret not in dump


def test_anran_relay_is_registered() -> None:
    import argparse

    from sync.cli import add_parser

    ap = argparse.ArgumentParser()
    add_parser(ap.add_subparsers())
    a = ap.parse_args(["relay", "--port", "9000", "--db", "sqlite:///x.db", "--site-token", "t"])
    assert (a.port, a.db, a.site_token, a.host) == (9000, "sqlite:///x.db", ["t"], "127.0.0.1")


def test_r0001_database_upgrades_to_r0002_without_loss(tmp_path: Path) -> None:
    from sqlalchemy import create_engine, insert

    from sync.relay import tables as T
    from sync.relay.migrate import upgrade
    from sync.relay.security import token_digest

    url = f"sqlite:///{tmp_path / 'old.db'}"
    eng = create_engine(url)
    upgrade(eng, "r0001")
    with eng.begin() as c:
        c.execute(insert(T.sites).values(id=1, token_hash=token_digest("old-site-token-1"), name="old"))
        c.execute(insert(T.households).values(id="H-old", site_id=1, area="1区", code_hash=token_digest("old-code-1"),
                                              code_used=False))
    eng.dispose()
    with sqlite3.connect(tmp_path / "old.db") as db:
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert "staff_accounts" not in tables and "photos" not in tables
    c = TestClient(create_app(url))
    assert c.post("/c/register", json={"household_code": "old-code-1", "username": "olduser",
                                       "password": "secret-password-1"}).status_code == 201
    site = {"Authorization": "Bearer old-site-token-1"}
    assert c.post("/admin/staff", headers=site, json={"username": "pm-1", "password": "secret-password-2",
                                                      "role": "property_manager", "area": "1区"}).status_code == 201
    with sqlite3.connect(tmp_path / "old.db") as db:
        assert db.execute("SELECT version_num FROM alembic_version").fetchall() == [("r0004",)]
        assert db.execute("SELECT count(*) FROM households").fetchone() == (1,)


def test_r0002_database_upgrades_to_r0003_without_loss(tmp_path: Path) -> None:
    """Staff accounts and resident items of an r0002 relay survive; r0003 adds crew tickets and progress."""
    from sqlalchemy import create_engine, insert

    from sync.relay import tables as T
    from sync.relay.migrate import upgrade
    from sync.relay.security import hash_password, token_digest

    url = f"sqlite:///{tmp_path / 'r2.db'}"
    eng = create_engine(url)
    upgrade(eng, "r0002")
    with eng.begin() as c:
        c.execute(insert(T.sites).values(id=1, token_hash=token_digest("r2-site-token-1"), name="r2"))
        c.execute(insert(T.accounts).values(id=5, username="crew-old", password_hash=hash_password("crew-pass-1"),
                                            role="crew", household_id=None, area="1区"))
        c.execute(insert(T.staff).values(account_id=5, site_id=1, created_at="2026-11-30T00:00:00Z"))
        c.execute(insert(T.resident_items).values(event_id="ev-old-1", site_id=1, kind="help_call", household_id="H",
                                                  account_id=9, area="1区", payload="{}", created_at="2026-11-30"))
    eng.dispose()
    with sqlite3.connect(tmp_path / "r2.db") as db:
        assert "crew_tickets" not in {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    c = TestClient(create_app(url))
    site = {"Authorization": "Bearer r2-site-token-1"}
    ticket = {"id": "T-1", "title": "旧站点工单", "kind": "leak", "assignee": "crew-old", "status": "dispatched",
              "version": 1}
    assert c.post("/sync/tickets", headers=site, json={"tickets": [ticket]}).json()["stored"] == ["T-1"]
    tok = c.post("/c/login", json={"username": "crew-old", "password": "crew-pass-1"}).json()["access_token"]
    mine = c.get("/crew/tickets", headers={"Authorization": f"Bearer {tok}"}).json()["items"]
    assert [t["title"] for t in mine] == ["旧站点工单"]
    assert [i["event_id"] for i in c.get("/sync/pull", headers=site).json()["items"]] == ["ev-old-1"]
    with sqlite3.connect(tmp_path / "r2.db") as db:
        assert db.execute("SELECT version_num FROM alembic_version").fetchall() == [("r0004",)]

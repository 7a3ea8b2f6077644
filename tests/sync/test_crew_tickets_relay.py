"""The relay's crew-ticket routes: who may publish and read what, shape checks, idempotent posts, photos."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from sync.protocol import new_event_id
from sync.relay import create_app
from tests.sync.test_photos import GPS, _face_photo

SITE_A, SITE_B = "site-a-token-000000001", "site-b-token-000000002"
PW = "staff-password-1"


def _site(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _ticket(tid: str = "T-1", assignee: str = "crew1", version: int = 1, **kw: object) -> dict:
    return {"id": tid, "title": "南区泄漏", "kind": "leak", "area": "南区", "assignee": assignee,
            "status": "dispatched", "version": version, **kw}


@pytest.fixture
def c(tmp_path: Path) -> TestClient:
    client = TestClient(create_app(f"sqlite:///{tmp_path / 'r.db'}", site_tokens=[SITE_A, SITE_B]))
    for site, name, role, area in [(SITE_A, "crew1", "crew", "南区"), (SITE_A, "crew2", "crew", "南区"),
                                   (SITE_A, "disp", "dispatcher", None), (SITE_B, "crewB", "crew", "南区")]:
        r = client.post("/admin/staff", headers=_site(site),
                        json={"username": name, "password": PW, "role": role, "area": area})
        assert r.status_code == 201, r.text
    return client


def _login(c: TestClient, name: str) -> dict[str, str]:
    r = c.post("/c/login", json={"username": name, "password": PW})
    return {"Authorization": "Bearer " + r.json()["access_token"]}


def _rec(kind: str = "note", payload: dict | None = None, tid: str = "T-1", pid: str | None = None) -> dict:
    return {"progress_id": pid or new_event_id(), "ticket_id": tid, "kind": kind,
            "payload": {"note": "到场"} if payload is None else payload, "created_at": "2026-12-01T10:00:00Z"}


def test_publish_keeps_versions_and_checks_the_assignee(c: TestClient) -> None:
    r = c.post("/sync/tickets", headers=_site(SITE_A), json={"tickets": [
        _ticket(), _ticket("T-2", assignee="disp"), _ticket("T-3", assignee="nobody"), _ticket("T-4", "crewB")]})
    res = r.json()
    assert res["stored"] == ["T-1"] and set(res["rejected"]) == {"T-2", "T-3", "T-4"}
    assert "crew account" in res["rejected"]["T-2"]
    stale = c.post("/sync/tickets", headers=_site(SITE_A), json={"tickets": [_ticket(title="旧版本")]}).json()
    assert stale["stale"] == ["T-1"] and stale["stored"] == []
    newer = c.post("/sync/tickets", headers=_site(SITE_A), json={"tickets": [_ticket(version=2, status="onsite")]})
    assert newer.json()["stored"] == ["T-1"]
    mine = c.get("/crew/tickets", headers=_login(c, "crew1")).json()["items"]
    assert [(t["id"], t["version"], t["status"], t["title"]) for t in mine] == [("T-1", 2, "onsite", "南区泄漏")]
    # the same ticket id on another site is another ticket; neither crew sees the other's
    assert c.post("/sync/tickets", headers=_site(SITE_B), json={"tickets": [_ticket(assignee="crewB")]}
                  ).json()["stored"] == ["T-1"]
    assert [t["assignee"] for t in c.get("/crew/tickets", headers=_login(c, "crewB")).json()["items"]] == ["crewB"]
    assert c.get("/crew/tickets/T-1", headers=_login(c, "crew2")).status_code == 404
    bad = c.post("/sync/tickets", headers=_site(SITE_A), json={"tickets": [_ticket(status="finished")]})
    assert bad.status_code == 422 and "status" in bad.json()["error"]["message"]
    assert c.post("/sync/tickets", json={"tickets": []}).status_code == 401


def test_only_crew_accounts_use_crew_routes(c: TestClient) -> None:
    assert c.get("/crew/tickets", headers=_login(c, "disp")).status_code == 403
    code = c.post("/admin/households", headers=_site(SITE_A), json={"household_id": "H1", "area": "南区"}).json()
    c.post("/c/register", json={"household_code": code["code"], "username": "res1", "password": "resident-pw-1"})
    tok = c.post("/c/login", json={"username": "res1", "password": "resident-pw-1"}).json()["access_token"]
    r = c.post("/crew/progress", headers={"Authorization": f"Bearer {tok}"}, json=_rec())
    assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden"
    assert c.get("/crew/tickets").status_code == 401


def test_progress_is_idempotent_scoped_and_shape_checked(c: TestClient) -> None:
    c.post("/sync/tickets", headers=_site(SITE_A), json={"tickets": [_ticket()]})
    crew1, crew2 = _login(c, "crew1"), _login(c, "crew2")
    rec = _rec("move", {"to": "onsite", "note": ""})
    first = c.post("/crew/progress", headers=crew1, json=rec).json()
    again = c.post("/crew/progress", headers=crew1, json=rec).json()
    assert (first["duplicate"], again["duplicate"], again["seq"]) == (False, True, first["seq"])
    assert c.post("/crew/progress", headers=crew2, json=rec).status_code == 409  # someone else's id
    assert c.post("/crew/progress", headers=crew2, json=_rec()).status_code == 404  # not assigned to crew2
    for kind, payload, word in [("move", {"to": "finished"}, "payload.to"), ("check", {"item": "ppe"}, "done"),
                                ("reading", {"evidence": "gauge_reading", "value": "2.1"}, "number"),
                                ("note", {"note": " "}, "note")]:
        r = c.post("/crew/progress", headers=crew1, json=_rec(kind, payload))
        assert r.status_code == 422 and word in r.json()["error"]["message"], (kind, r.text)
    page = c.get("/sync/progress", headers=_site(SITE_A)).json()
    assert [(i["progress_id"], i["username"], i["state"]) for i in page["items"]] == [
        (rec["progress_id"], "crew1", "pending")]
    assert c.get("/sync/progress", headers=_site(SITE_B)).json()["items"] == []
    assert c.post("/sync/progress/results", headers=_site(SITE_B), json={"results": [
        {"progress_id": rec["progress_id"], "state": "applied"}]}).json() == {"updated": 0,
                                                                            "unknown": [rec["progress_id"]]}
    assert c.post("/sync/progress/results", headers=_site(SITE_A), json={"results": [
        {"progress_id": rec["progress_id"], "state": "refused", "reason": "缺少证据"}]}).json()["updated"] == 1
    st = c.post("/crew/progress/states", headers=crew1, json={"ids": [rec["progress_id"]]}).json()["items"]
    assert [(s["state"], s["reason"]) for s in st] == [("refused", "缺少证据")]
    assert c.post("/crew/progress/states", headers=crew2, json={"ids": [rec["progress_id"]]}).json()["items"] == []


def test_crew_photo_is_masked_stripped_and_stored_once(c: TestClient, tmp_path: Path) -> None:
    c.post("/sync/tickets", headers=_site(SITE_A), json={"tickets": [_ticket()]})
    crew1 = _login(c, "crew1")
    photo = _face_photo()
    assert GPS in photo
    rec = _rec("photo", {"evidence": "photo_before", "note": "现场"})
    for _ in range(2):  # a retried upload
        r = c.post("/crew/progress/photo", headers=crew1, data={"record": json.dumps(rec)},
                   files={"photo": ("p.jpg", photo, "image/jpeg")})
        assert r.status_code == 200, r.text
    ref = r.json()["payload"]["photos"][0]
    assert r.json()["duplicate"] and ref["masked"] >= 1
    with sqlite3.connect(tmp_path / "r.db") as db:
        assert db.execute("SELECT count(*) FROM photos").fetchone() == (1,)
        assert db.execute("SELECT count(*) FROM crew_progress").fetchone() == (1,)
    got = c.get(f"/sync/photos/{ref['id']}", headers=_site(SITE_A))
    assert got.status_code == 200 and GPS not in got.content and b"Exif" not in got.content[:200]
    assert hashlib.sha256(got.content).hexdigest() == ref["sha256"]
    assert c.get(f"/sync/photos/{ref['id']}", headers=_site(SITE_B)).status_code == 404
    bad = c.post("/crew/progress/photo", headers=crew1, data={"record": json.dumps(_rec("photo", {
        "evidence": "photo_after"}))}, files={"photo": ("p.jpg", b"not an image at all", "image/jpeg")})
    assert bad.status_code == 415
    wrong = c.post("/crew/progress", headers=crew1, json=_rec("photo", {"evidence": "photo_after"}))
    assert wrong.status_code == 422 and "/crew/progress/photo" in wrong.json()["error"]["message"]

"""Staff accounts on the relay: created by their site's desktop, scoped by role, site and area."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import cv2
import numpy as np
from fastapi.testclient import TestClient

from sync.relay import create_app

SITE_A, SITE_B = "site-a-token-000000001", "site-b-token-000000002"
PW = "staff-password-1"


def _site(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _login(c: TestClient, username: str, password: str = PW) -> dict[str, str]:
    r = c.post("/c/login", json={"username": username, "password": password})
    assert r.status_code == 200, r.text
    return {"Authorization": "Bearer " + r.json()["access_token"]}


def _resident(c: TestClient, site: str, hid: str, area: str, username: str) -> dict[str, str]:
    code = c.post("/admin/households", headers=_site(site), json={"household_id": hid, "area": area}).json()["code"]
    assert c.post("/c/register", json={"household_code": code, "username": username,
                                       "password": "resident-pw-1"}).status_code == 201
    return _login(c, username, "resident-pw-1")


def _staff(c: TestClient, site: str, username: str, role: str, area: str | None = None):  # noqa: ANN202
    return c.post("/admin/staff", headers=_site(site),
                  json={"username": username, "password": PW, "role": role, "area": area})


def test_roles_see_only_their_site_and_area(tmp_path: Path) -> None:
    c = TestClient(create_app(f"sqlite:///{tmp_path / 'r.db'}", site_tokens=[SITE_A, SITE_B]))
    residents = {"H1": _resident(c, SITE_A, "H1", "1区", "res1"), "H2": _resident(c, SITE_A, "H2", "2区", "res2"),
                 "H3": _resident(c, SITE_B, "H3", "1区", "res3")}
    seq = {}
    for hid, h in residents.items():
        r = c.post("/c/incident/report", headers=h, json={"location": f"{hid} 厨房"})
        assert r.status_code == 201, r.text
        seq[hid] = r.json()["id"]
    for name, role, area in [("disp", "dispatcher", None), ("crew1", "crew", "1区"), ("pm2", "property_manager", "2区")]:
        r = _staff(c, SITE_A, name, role, area)
        assert r.status_code == 201, r.text
        assert r.json()["role"] == role
    assert _staff(c, SITE_B, "dispB", "dispatcher").status_code == 201
    tok = {n: _login(c, n) for n in ("disp", "crew1", "pm2", "dispB")}
    assert c.post("/c/login", json={"username": "crew1", "password": PW}).json()["role"] == "crew"

    def households_seen(name: str) -> set[str]:
        r = c.get("/staff/items", headers=tok[name])
        assert r.status_code == 200, r.text
        return {i["household_id"] for i in r.json()["items"]}

    assert households_seen("disp") == {"H1", "H2"}
    assert households_seen("crew1") == {"H1"}
    assert households_seen("pm2") == {"H2"}
    assert households_seen("dispB") == {"H3"}
    # changing the id does not reach outside the scope
    assert c.get(f"/staff/items/{seq['H1']}", headers=tok["crew1"]).json()["payload"]["location"] == "H1 厨房"
    for name, hid in [("crew1", "H2"), ("pm2", "H1"), ("dispB", "H1"), ("disp", "H3")]:
        r = c.get(f"/staff/items/{seq[hid]}", headers=tok[name])
        assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"
    # roles do not cross: residents are not staff, staff are not residents, nobody is anonymous
    assert c.get("/staff/items", headers=residents["H1"]).status_code == 403
    assert c.get("/c/notifications", headers=tok["disp"]).status_code == 403
    assert c.get("/staff/items").status_code == 401
    assert c.get("/staff/me", headers=tok["pm2"]).json() == {"username": "pm2", "role": "property_manager",
                                                             "area": "2区"}
    assert c.get("/staff/households", headers=tok["crew1"]).status_code == 403
    assert c.get("/staff/households", headers=tok["pm2"]).json()["items"] == [
        {"household_id": "H2", "area": "2区", "registered": True}]
    assert {h["household_id"] for h in c.get("/staff/households", headers=tok["disp"]).json()["items"]} == {"H1", "H2"}


def test_staff_accounts_are_managed_by_their_own_site_only(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    c = TestClient(create_app(f"sqlite:///{db}", site_tokens=[SITE_A, SITE_B]))
    assert _staff(c, SITE_A, "disp", "dispatcher").status_code == 201
    old = _login(c, "disp")
    # bad requests say what is wrong
    r = _staff(c, SITE_A, "crew9", "crew")
    assert r.status_code == 422 and "area" in r.json()["error"]["message"]
    for role in ("resident", "admin"):
        r = _staff(c, SITE_A, "x-" + role, role, "1区")
        assert r.status_code == 422 and "role must be one of" in r.json()["error"]["message"]
    assert c.post("/admin/staff", json={"username": "zed", "password": PW, "role": "crew", "area": "1"}
                  ).status_code == 401
    # another site cannot take over or remove the account
    r = _staff(c, SITE_B, "disp", "dispatcher")
    assert r.status_code == 409 and r.json()["error"]["code"] == "username_taken"
    assert c.delete("/admin/staff/disp", headers=_site(SITE_B)).status_code == 404
    # its own site changes the password (desktop authoritative) …
    r = c.post("/admin/staff", headers=_site(SITE_A),
               json={"username": "disp", "password": "new-password-22", "role": "dispatcher"})
    assert r.status_code == 201
    assert c.post("/c/login", json={"username": "disp", "password": PW}).status_code == 401
    _login(c, "disp", "new-password-22")
    # … and removes it: even a token issued before stops working
    assert c.delete("/admin/staff/disp", headers=_site(SITE_A)).json() == {"removed": "disp"}
    r = c.get("/staff/me", headers=old)
    assert r.status_code == 401
    with sqlite3.connect(db) as d:
        assert d.execute("SELECT count(*) FROM staff_accounts").fetchone() == (0,)
        assert "new-password-22" not in "\n".join(d.iterdump())


def test_photos_are_scoped_like_their_item(tmp_path: Path) -> None:
    c = TestClient(create_app(f"sqlite:///{tmp_path / 'r.db'}", site_tokens=[SITE_A, SITE_B]))
    h1 = _resident(c, SITE_A, "H1", "1区", "res1")
    _resident(c, SITE_A, "H2", "2区", "res2")
    for name, role, area in [("crew1", "crew", "1区"), ("pm2", "property_manager", "2区")]:
        assert _staff(c, SITE_A, name, role, area).status_code == 201
    ok, png = cv2.imencode(".png", np.full((120, 160, 3), 200, np.uint8))
    r = c.post("/c/incident/report", headers=h1, data={"location": "1区3栋"},
               files={"photo": ("a.png", png.tobytes(), "image/png")})
    assert r.status_code == 201 and r.json()["photos"] == 1
    (ref,) = c.get(f"/staff/items/{r.json()['id']}", headers=_login(c, "crew1")).json()["payload"]["photos"]
    got = c.get(f"/staff/photos/{ref['id']}", headers=_login(c, "crew1"))
    assert got.status_code == 200 and got.headers["content-type"] == "image/jpeg" and got.content[:3] == b"\xff\xd8\xff"
    assert c.get(f"/staff/photos/{ref['id']}", headers=_login(c, "pm2")).status_code == 404
    assert c.get(f"/sync/photos/{ref['id']}", headers=_site(SITE_B)).status_code == 404
    assert c.get(f"/sync/photos/{ref['id']}", headers=_site(SITE_A)).content == got.content
    assert c.get(f"/staff/photos/{ref['id']}", headers=h1).status_code == 403


def test_anran_relay_staff_command_against_a_real_relay(relay, monkeypatch, capsys) -> None:  # noqa: ANN001
    import io

    import httpx

    from anran_desktop.cli import main
    from tests.sync.conftest import SITE_TOKEN

    monkeypatch.setattr("sys.stdin", io.StringIO("crew-password-9\n"))
    assert main(["relay-staff", "--url", relay.url, "--site-token", SITE_TOKEN, "add", "crew7", "--role", "crew",
                 "--area", "3区", "--password-stdin"]) == 0
    r = httpx.post(relay.url + "/c/login", json={"username": "crew7", "password": "crew-password-9"})
    assert r.status_code == 200 and r.json()["role"] == "crew"
    monkeypatch.setattr("sys.stdin", io.StringIO("crew-password-9\n"))
    assert main(["relay-staff", "--url", relay.url, "--site-token", SITE_TOKEN, "add", "crew8", "--role", "crew",
                 "--password-stdin"]) == 1
    assert "needs the area" in capsys.readouterr().err
    assert main(["relay-staff", "--url", relay.url, "--site-token", "wrong-token-x", "remove", "crew7"]) == 1
    assert "401" in capsys.readouterr().err
    assert main(["relay-staff", "--url", relay.url, "--site-token", SITE_TOKEN, "remove", "crew7"]) == 0
    assert httpx.post(relay.url + "/c/login", json={"username": "crew7", "password": "crew-password-9"}
                      ).status_code == 401

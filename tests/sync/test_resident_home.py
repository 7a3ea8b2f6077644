"""A resident's home card and own submissions (``GET /c/me``, ``/c/items``): what the household sent, the
status the dispatch desktop has moved it to, and nothing of any other household."""

from __future__ import annotations

import asyncio

import httpx

from anran_desktop.services.sync_service import SyncService, enqueue
from tests.sync.conftest import SITE_TOKEN
from tests.sync.helpers import resident

CHECKUP = {"hose_age_years": 9, "flame_failure_protection": True, "valves_ok": True, "alarm_self_test_ok": False}


def _sync(svc: SyncService) -> None:
    asyncio.run(svc.sync_once())


def test_home_card_and_own_items_follow_the_desktop(relay, store) -> None:
    svc = SyncService(store, relay.url, SITE_TOKEN)
    codes = {h: svc.issue_household_code(h, "南区") for h in ("H-1", "H-2")}
    with store.begin() as c:
        enqueue(c, "drill.invitation", {"area": "南区", "title": "燃气泄漏应急演练", "body": "周六 10:00"})
        enqueue(c, "notification", {"area": "南区", "title": "停气通知"})
        enqueue(c, "notification", {"area": "北区", "title": "北区检修"})
    _sync(svc)
    me, other = resident(relay.url, codes["H-1"], "wang"), resident(relay.url, codes["H-2"], "liming")

    card = httpx.get(relay.url + "/c/me", headers=me).json()
    assert card["username"] == "wang" and card["household_id"] == "H-1" and card["area"] == "南区"
    assert card["points"] == 0 and card["safety_check"] is None and card["last_meter_reading"] is None
    assert card["open_items"] == {} and card["notices_last_7_days"] == 2
    assert [d["title"] for d in card["drill_invitations"]] == ["燃气泄漏应急演练"]

    odor = httpx.post(relay.url + "/c/incident/report", headers=me,
                      json={"location": "3栋2单元厨房", "description": "闻到燃气味", "meter_value": "1234.5"}).json()
    check = httpx.post(relay.url + "/c/safety/checkup", headers=me, json=CHECKUP)
    assert check.status_code == 201, check.text
    order = httpx.post(relay.url + "/c/orders", headers=me, json={"service": "维修", "detail": "灶具打不着火"}).json()
    httpx.post(relay.url + "/c/help/call", headers=other, json={"location": "5栋", "message": "老人独居，需要帮助"})

    card = httpx.get(relay.url + "/c/me", headers=me).json()
    assert card["points"] == 10  # the odor report with a meter reading
    assert card["safety_check"]["score"] == check.json()["score"] < 100 and card["safety_check"]["fixes"]
    assert card["last_meter_reading"]["value"] == 1234.5 and card["last_meter_reading"]["source"] == "typed"
    assert card["open_items"] == {"odor_report": 1, "service_order": 1}

    mine = httpx.get(relay.url + "/c/items", headers=me).json()
    assert mine["total"] == 3 and [i["kind"] for i in mine["items"]] == ["service_order", "safety_check", "odor_report"]
    report = httpx.get(relay.url + f"/c/items/{odor['id']}", headers=me).json()
    assert report["status"] == "submitted" and report["location"] == "3栋2单元厨房" and report["points"] == 10
    assert "photos" in report and report["photos"] == 0
    # another household's item is not found, its list has only its own help call
    assert httpx.get(relay.url + f"/c/items/{odor['id']}", headers=other).status_code == 404
    assert [i["kind"] for i in httpx.get(relay.url + "/c/items", headers=other).json()["items"]] == ["help_call"]

    # the desktop moves the ticket the report joined, and the order
    with store.begin() as c:
        enqueue(c, "ticket.progress", {"ticket_id": "T-1", "resident_item": odor["id"], "area": "南区",
                                       "status": "in_progress"})
        enqueue(c, "order.status", {"order_id": order["id"], "status": "done"})
    _sync(svc)
    assert httpx.get(relay.url + f"/c/items/{odor['id']}", headers=me).json()["status"] == "in_progress"
    orders = httpx.get(relay.url + "/c/items?kind=service_order", headers=me).json()
    assert orders["total"] == 1 and orders["items"][0]["status"] == "done"
    assert httpx.get(relay.url + "/c/me", headers=me).json()["open_items"] == {"odor_report": 1}

    bad = httpx.get(relay.url + "/c/items?kind=registration", headers=me)
    assert bad.status_code == 422 and "kind must be one of" in bad.json()["error"]["message"]
    assert httpx.get(relay.url + "/c/items?limit=0", headers=me).status_code == 422
    assert httpx.get(relay.url + "/c/me").status_code == 401


def test_a_resident_closes_the_account_and_the_next_one_starts_clean(relay, store, tmp_path) -> None:
    import time

    from anran_desktop.services.resident_registry import load_registry
    from tests.sync.helpers import relay_count

    svc = SyncService(store, relay.url, SITE_TOKEN)
    code = svc.issue_household_code("H-1", "南区")
    _sync(svc)
    me = resident(relay.url, code, "wang")
    httpx.post(relay.url + "/c/incident/report", headers=me,
               json={"location": "3栋厨房", "description": "燃气味", "meter_value": "1234.5"})
    _sync(svc)
    import cv2
    import numpy as np

    from vision.synth.register import make_register

    ok, meter_jpg = cv2.imencode(".jpg", make_register(4)[0])
    ok2, pipe_png = cv2.imencode(".png", np.full((80, 100, 3), 90, np.uint8))
    assert ok and ok2
    reading = httpx.post(relay.url + "/c/ocr/meter", headers=me, timeout=120,
                         files={"photo": ("m.jpg", meter_jpg.tobytes(), "image/jpeg")})
    assert reading.status_code == 201, reading.text  # a meter photo sent for a reading, not pulled yet
    report = httpx.post(relay.url + "/c/incident/report", headers=me, timeout=120, data={"location": "3栋阳台"},
                        files={"photo": ("pipe.png", pipe_png.tobytes(), "image/png")})
    assert report.status_code == 201, report.text
    db = tmp_path / "relay.db"
    assert relay_count(db, "photos") == 2 and relay_count(db, "resident_items", "kind='meter_reading'") == 1
    with store.read() as c:
        assert load_registry(c).registered_count("南区", time.time() + 5) == 1

    wrong = httpx.request("DELETE", relay.url + "/c/me", headers=me, json={"password": "not it"})
    assert wrong.status_code == 403 and "nothing was deleted" in wrong.json()["error"]["message"]
    assert httpx.get(relay.url + "/c/me", headers=me).json()["points"] == 20  # two reports
    closed = httpx.request("DELETE", relay.url + "/c/me", headers=me, json={"password": "correct horse 1"})
    assert closed.status_code == 200 and closed.json()["closed"]
    assert closed.json()["meter_readings_deleted"] == 2 and closed.json()["meter_photos_deleted"] == 1
    assert httpx.get(relay.url + "/c/me", headers=me).status_code == 401  # the token is worth nothing now
    login = httpx.post(relay.url + "/c/login", json={"username": "wang", "password": "correct horse 1"})
    assert login.status_code == 401
    assert relay_count(db, "meter_readings", "household_id='H-1'") == 0 and relay_count(db, "points") == 0
    assert relay_count(db, "resident_items", "kind='meter_reading'") == 0  # its photo went with it
    assert relay_count(db, "resident_items", "kind='odor_report'") == 2  # safety records: kept,
    assert relay_count(db, "photos", "field='photo'") == 1  # with the report's photo

    _sync(svc)  # the desktop no longer counts the household as reachable; the report stays on its feed
    with store.read() as c:
        assert load_registry(c).registered_count("南区", time.time() + 5) == 0
        assert c.exec_driver_sql("SELECT count(*) FROM events WHERE kind='resident.odor_report'").scalar() == 2
        # the meter reading sent before the account closed was never pulled, so never reached the desktop
        assert c.exec_driver_sql("SELECT count(*) FROM events WHERE kind='resident.meter_reading'").scalar() == 0

    # the next resident of the flat gets a new code and sees none of the last one's items
    code2 = svc.issue_household_code("H-1", "南区")
    _sync(svc)
    nxt = resident(relay.url, code2, "zhao")
    card = httpx.get(relay.url + "/c/me", headers=nxt).json()
    assert card["points"] == 0 and card["last_meter_reading"] is None and card["open_items"] == {}
    assert httpx.get(relay.url + "/c/items", headers=nxt).json() == {"total": 0, "items": []}
    _sync(svc)
    with store.read() as c:
        assert load_registry(c).registered_count("南区", time.time() + 5) == 1


def test_the_names_closed_accounts_get_cannot_be_registered(relay, store) -> None:
    svc = SyncService(store, relay.url, SITE_TOKEN)
    code = svc.issue_household_code("H-3", "南区")
    _sync(svc)
    r = httpx.post(relay.url + "/c/register", json={"household_code": code, "username": "closed:7",
                                                    "password": "correct horse 1"})
    assert r.status_code == 422 and "reserved for closed accounts" in r.json()["error"]["message"]
    r = httpx.post(relay.url + "/admin/staff", headers={"Authorization": f"Bearer {SITE_TOKEN}"},
                   json={"username": "closed:8", "password": "crew-pass-123", "role": "crew", "area": ""})
    assert r.status_code == 422

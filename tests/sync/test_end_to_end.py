"""Desktop → relay → resident and back, against a real uvicorn relay on 127.0.0.1."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from pathlib import Path

import cv2
import httpx

from anran_desktop.services.sync_service import SyncService, enqueue
from sync.protocol import PushBatch, PushItem, new_event_id
from tests.sync.conftest import SITE_TOKEN
from tests.sync.helpers import outbox_statuses, relay_count, resident


def _sync(svc: SyncService) -> tuple[int, int]:
    return asyncio.run(svc.sync_once())


def _events(store, kind: str) -> list[dict]:  # noqa: ANN001
    with store.read() as c:
        rows = c.exec_driver_sql("SELECT detail FROM events WHERE kind=?", (kind,)).all()
    return [json.loads(r[0]) for r in rows]


def test_notification_reaches_exactly_the_residents_of_its_area(relay, store) -> None:
    svc = SyncService(store, relay.url, SITE_TOKEN)
    codes = {h: svc.issue_household_code(h, area) for h, area in
             [("H-A1", "星海花园-1区"), ("H-A2", "星海花园-1区"), ("H-B1", "星海花园-2区")]}
    with store.begin() as c:
        enqueue(c, "notification", {"area": "星海花园-1区", "title": "停气通知", "body": "明日 9:00-12:00 检修停气"})
    pushed, _ = _sync(svc)
    assert pushed == 4 and outbox_statuses(store) == {"delivered": 4}
    a1 = resident(relay.url, codes["H-A1"], "alice")
    a2 = resident(relay.url, codes["H-A2"], "bob")
    b1 = resident(relay.url, codes["H-B1"], "carol")
    for h in (a1, a2):
        items = httpx.get(relay.url + "/c/notifications", headers=h).json()["items"]
        assert [i["title"] for i in items] == ["停气通知"]
    assert httpx.get(relay.url + "/c/notifications", headers=b1).json() == {"total": 0, "items": []}
    # a used household code cannot register a second account
    r = httpx.post(relay.url + "/c/register", json={"household_code": codes["H-A1"], "username": "mallory",
                                                    "password": "12345678x"})
    assert r.status_code == 403 and r.json()["error"]["code"] == "bad_household_code"


def test_odor_report_with_meter_photo_reaches_desktop_with_ocr_reading(relay, store, tmp_path: Path) -> None:
    from vision.synth.register import make_register

    svc = SyncService(store, relay.url, SITE_TOKEN)
    code = svc.issue_household_code("H-7", "1区")
    _sync(svc)
    h = resident(relay.url, code, "dan")
    img, truth = make_register(3)
    ok, jpg = cv2.imencode(".jpg", img)
    assert ok
    r = httpx.post(relay.url + "/c/incident/report", headers=h, timeout=60,
                   data={"location": "3栋2单元厨房", "description": "闻到燃气味"},
                   files={"meter_photo": ("m.jpg", jpg.tobytes(), "image/jpeg")})
    assert r.status_code == 201, r.text
    reading = r.json()["meter_reading"]
    assert reading is not None and reading["value"] is not None
    assert abs(reading["value"] - truth.value) < 1e-6 or reading["needs_review"]
    assert r.json()["points"] == 10
    _, pulled = _sync(svc)
    assert pulled == 2  # the household's registration and its report
    (ev,) = _events(store, "resident.odor_report")
    assert ev["location"] == "3栋2单元厨房" and ev["household_id"] == "H-7"
    assert ev["meter_reading"]["value"] == reading["value"]
    hist = httpx.get(relay.url + "/c/meter/history", headers=h).json()["items"]
    assert [x["value"] for x in hist] == [reading["value"]]
    # the inbox takes each item once even if the cursor is lost and the page is pulled again
    with store.begin() as c:
        c.exec_driver_sql("DELETE FROM sync_state")
    _sync(svc)
    assert len(_events(store, "resident.odor_report")) == 1


def test_relay_down_while_pushing_then_delivered_after_restart(process_relay, store, tmp_path: Path) -> None:
    svc = SyncService(store, process_relay.url, SITE_TOKEN)
    with store.begin() as c:
        ids = [enqueue(c, "notification", {"area": "1区", "title": f"n{i}"}) for i in range(5)]
    assert _sync(svc) == (0, 0)  # relay not running
    with store.read() as c:
        rows = c.exec_driver_sql("SELECT status, attempts, last_error FROM outbox").all()
    assert all(r[0] == "pending" and r[1] == 1 and r[2] for r in rows)
    assert not svc.status.online and svc.status.pending == 5
    process_relay.start()
    svc.repo.retry_now()
    pushed, _ = _sync(svc)
    assert pushed == 5 and outbox_statuses(store) == {"delivered": 5}
    db = tmp_path / "relay.db"
    assert relay_count(db, "pushed_events") == 5 and relay_count(db, "notifications") == 5
    assert {r for r in ids} == set(_relay_ids(db))


def _relay_ids(db: Path) -> list[str]:
    import sqlite3

    with sqlite3.connect(db) as c:
        return [r[0] for r in c.execute("SELECT event_id FROM pushed_events")]


def test_relay_killed_in_the_middle_of_a_batch(process_relay, store, tmp_path: Path) -> None:
    db = tmp_path / "relay.db"
    process_relay.start()
    svc = SyncService(store, process_relay.url, SITE_TOKEN, batch_size=400)
    with store.begin() as c:
        for i in range(400):
            enqueue(c, "notification", {"area": "1区", "title": f"n{i}"})

    def kill_when_half_stored() -> int:
        import time

        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            n = relay_count(db, "pushed_events")
            if n >= 50:
                process_relay.kill()
                return n
            time.sleep(0.005)
        raise AssertionError("relay never started storing")

    async def push_and_kill() -> tuple[int, int]:
        return await asyncio.gather(svc.client.push_once(), asyncio.to_thread(kill_when_half_stored))

    confirmed, stored_at_kill = asyncio.run(push_and_kill())
    assert confirmed == 0 and stored_at_kill > 0
    partial = relay_count(db, "pushed_events")
    assert partial < 400, "the kill came after the whole batch; the test did not exercise a partial batch"
    assert outbox_statuses(store) == {"pending": 400}
    process_relay.start()
    svc.repo.retry_now()
    pushed, _ = _sync(svc)
    assert pushed == 400 and outbox_statuses(store) == {"delivered": 400}
    assert relay_count(db, "pushed_events") == 400 and relay_count(db, "notifications") == 400


def test_desktop_killed_between_commit_and_push(relay, store, tmp_path: Path) -> None:
    db_path = store.path
    store.close()
    code = (
        "import os, signal\n"
        "from anran_desktop.store.db import open_store\n"
        "from anran_desktop.services.sync_service import enqueue\n"
        f"s = open_store({str(db_path)!r})\n"
        "with s.begin() as c:\n"
        "    c.exec_driver_sql(\"INSERT INTO settings (key, value) VALUES ('notice','sent')\")\n"
        "    enqueue(c, 'notification', {'area': '1区', 'title': '已提交后崩溃'})\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=60)
    assert p.returncode == -9, p.stderr.decode()
    from anran_desktop.store.db import open_store

    s2 = open_store(db_path)
    try:
        assert outbox_statuses(s2) == {"pending": 1}
        svc = SyncService(s2, relay.url, SITE_TOKEN)
        assert _sync(svc)[0] == 1
        assert outbox_statuses(s2) == {"delivered": 1}
    finally:
        s2.close()
    assert relay_count(tmp_path / "relay.db", "notifications", "title='已提交后崩溃'") == 1


def test_same_batch_twice_is_stored_once(relay, tmp_path: Path) -> None:
    batch = PushBatch(batch_id=new_event_id(), items=[
        PushItem(event_id=new_event_id(), kind="notification", payload={"area": "1区", "title": f"t{i}"},
                 created_at="2026-11-24T10:00:00Z") for i in range(3)])
    hdr = {"Authorization": f"Bearer {SITE_TOKEN}", "Content-Type": "application/json"}
    first = httpx.post(relay.url + "/sync/push", content=batch.model_dump_json(), headers=hdr).json()
    second = httpx.post(relay.url + "/sync/push", content=batch.model_dump_json(), headers=hdr).json()
    assert len(first["accepted"]) == 3 and first["duplicate"] == []
    assert second["accepted"] == [] and len(second["duplicate"]) == 3
    assert relay_count(tmp_path / "relay.db", "notifications") == 3


def test_tombstone_withdraws_a_notice_and_order_status_only_moves_forward(relay, store) -> None:
    svc = SyncService(store, relay.url, SITE_TOKEN)
    code = svc.issue_household_code("H-9", "2区")
    with store.begin() as c:
        nid = enqueue(c, "notification", {"area": "2区", "title": "演练邀请"})
    _sync(svc)
    h = resident(relay.url, code, "erin")
    assert httpx.get(relay.url + "/c/notifications", headers=h).json()["total"] == 1
    oid = httpx.post(relay.url + "/c/orders", headers=h, json={"service": "安检", "detail": "年度入户"}).json()["id"]
    with store.begin() as c:
        enqueue(c, "tombstone", {"target_kind": "notification", "target_id": nid})
        enqueue(c, "order.status", {"order_id": oid, "status": "scheduled"})
        enqueue(c, "order.status", {"order_id": oid, "status": "accepted"})  # stale: ignored
    _sync(svc)
    assert httpx.get(relay.url + "/c/notifications", headers=h).json()["total"] == 0
    assert httpx.get(relay.url + f"/c/orders/{oid}", headers=h).json()["status"] == "scheduled"
    assert len(_events(store, "resident.service_order")) == 1

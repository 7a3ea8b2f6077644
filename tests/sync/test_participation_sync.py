"""Residents' registrations and points travel from a real relay to the desktop and into the report figures."""

from __future__ import annotations

import asyncio
import json
import time

import httpx

from anran_desktop.reports.participation import participation_from_store
from anran_desktop.services.resident_registry import load_registry
from anran_desktop.services.sync_service import SyncService, enqueue
from tests.sync.conftest import SITE_TOKEN
from tests.sync.helpers import resident


def _sync(svc: SyncService) -> tuple[int, int]:
    return asyncio.run(svc.sync_once())


def test_registrations_and_points_reach_the_desktop_and_the_figures(relay, store) -> None:
    svc = SyncService(store, relay.url, SITE_TOKEN)
    codes = {h: svc.issue_household_code(h, a) for h, a in
             [("H-S1", "南区"), ("H-S2", "南区"), ("H-S3", "南区"), ("H-N1", "北区")]}
    _sync(svc)
    s1 = resident(relay.url, codes["H-S1"], "s1-user")
    n1 = resident(relay.url, codes["H-N1"], "n1-user")
    _sync(svc)  # the two registrations are pulled before the notice goes out
    time.sleep(1.1)  # relay times have 1 s resolution: the notice is strictly later
    with store.begin() as c:
        notice = enqueue(c, "notification", {"area": "南区", "title": "检修通知", "body": "请勿使用明火"})
    _sync(svc)
    time.sleep(1.1)
    s2 = resident(relay.url, codes["H-S2"], "s2-user")  # registers after the notice: not in its reach
    nid = httpx.get(relay.url + "/c/notifications", headers=s1).json()["items"][0]["id"]
    assert httpx.post(relay.url + "/c/alerts/ack", headers=s1, json={"notification_id": nid}).status_code == 201
    r1 = httpx.post(relay.url + "/c/incident/report", headers=s1, json={"location": "3 栋", "meter_value": "12.5"})
    r2 = httpx.post(relay.url + "/c/incident/report", headers=s2, json={"location": "5 栋"})
    r3 = httpx.post(relay.url + "/c/incident/report", headers=n1, json={"location": "北 1 栋", "meter_value": "3"})
    assert [r.json()["points"] for r in (r1, r2, r3)] == [10, 5, 10]
    _sync(svc)

    with store.read() as c:
        kinds = dict(c.exec_driver_sql("SELECT kind, count(*) FROM inbox GROUP BY kind").all())
        reg_events = c.exec_driver_sql("SELECT count(*) FROM events WHERE kind LIKE '%registration%'").scalar()
        report = json.loads(c.exec_driver_sql("SELECT payload FROM inbox WHERE kind='odor_report' "
                                              "ORDER BY rowid LIMIT 1").scalar())
        reg = load_registry(c)
    assert kinds["registration"] == 3 and kinds["odor_report"] == 3 and kinds["alarm_ack"] == 1
    assert reg_events == 0  # registrations feed the figures, not the event feed
    assert report["payload"]["points"] == 10 and report["household_id"] == "H-S1"
    now = time.time() + 5
    assert (reg.issued_count("南区", now), reg.registered_count("南区", now)) == (3, 2)
    assert reg.registered_households("北区", now) == {"H-N1"}

    p = participation_from_store(store, now - 3600, now)
    assert p.notices_sent == 1 and notice
    assert (p.issued, p.reach, p.acks) == (3, 1, 1)  # 3 codes issued, only H-S1 registered when it went out
    assert p.ack_rate == 1.0
    assert p.points_total == 25 and p.points_by_area == {"北区": 10, "南区": 15}
    assert p.top_households == [("H-N1", 10), ("H-S1", 10), ("H-S2", 5)]


def test_a_used_code_re_issued_registers_the_household_once_in_its_new_area(relay, store) -> None:
    svc = SyncService(store, relay.url, SITE_TOKEN)
    first = svc.issue_household_code("H-M1", "南区")
    _sync(svc)
    resident(relay.url, first, "mover-1")
    time.sleep(1.1)
    second = svc.issue_household_code("H-M1", "北区")  # the household moved; the office issues a new code
    _sync(svc)
    resident(relay.url, second, "mover-2")
    _sync(svc)
    with store.read() as c:
        reg = load_registry(c)
    now = time.time() + 5
    assert reg.registered_count("北区", now) == 1 and reg.registered_count("南区", now) == 0
    assert reg.issued_count("北区", now) == 1 and reg.issued_count("南区", now) == 0


def test_a_refused_registration_writes_no_registration_item(relay, store, tmp_path) -> None:
    from tests.sync.helpers import relay_count

    svc = SyncService(store, relay.url, SITE_TOKEN)
    a, b = svc.issue_household_code("H-R1", "南区"), svc.issue_household_code("H-R2", "南区")
    _sync(svc)
    resident(relay.url, a, "taken-name")
    for code, user in [(b, "taken-name"), (a, "fresh-name")]:  # name taken; code already used
        r = httpx.post(relay.url + "/c/register", json={"household_code": code, "username": user,
                                                        "password": "long enough 1"})
        assert r.status_code in (403, 409), r.text
    assert relay_count(tmp_path / "relay.db", "resident_items", "kind='registration'") == 1
    _sync(svc)
    with store.read() as c:
        reg = load_registry(c)
    assert reg.registered_households("南区", time.time() + 5) == {"H-R1"}


def test_registrations_made_before_the_change_are_backfilled_once_at_start(store, tmp_path) -> None:
    import sqlite3

    from tests.sync.conftest import ThreadRelay
    from tests.sync.helpers import relay_count

    db = tmp_path / "old.db"
    relay = ThreadRelay(f"sqlite:///{db}")
    svc = SyncService(store, relay.url, SITE_TOKEN)
    codes = [svc.issue_household_code(h, "南区") for h in ("H-O1", "H-O2")]
    _sync(svc)
    for i, code in enumerate(codes):
        resident(relay.url, code, f"old-{i}")
    relay.stop()
    with sqlite3.connect(db) as c:  # what a relay from before registration items holds
        c.execute("DELETE FROM resident_items WHERE kind='registration'")
    before_restart = time.time() - 1
    for _ in range(2):  # the second start finds nothing to backfill
        relay = ThreadRelay(f"sqlite:///{db}")
        relay.stop()
    assert relay_count(db, "resident_items", "kind='registration'") == 2
    with sqlite3.connect(db) as c:
        payloads = [json.loads(p) for (p,) in c.execute("SELECT payload FROM resident_items WHERE kind='registration'")]
    assert payloads == [{"registered_at": None, "backfilled": True}] * 2
    relay = ThreadRelay(f"sqlite:///{db}")
    try:
        svc = SyncService(store, relay.url, SITE_TOKEN)
        _sync(svc)
    finally:
        relay.stop()
    with store.read() as c:
        reg = load_registry(c)
    assert reg.registered_count("南区", time.time() + 5) == 2
    assert reg.registered_count("南区", before_restart - 1) == 0  # registration time unknown before the backfill

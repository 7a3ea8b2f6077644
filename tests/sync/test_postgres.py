"""The relay on PostgreSQL: migrations and real endpoints over a throwaway cluster started by the test."""

from __future__ import annotations

import asyncio
import json

import cv2
import httpx
import numpy as np
import pytest
from sqlalchemy import create_engine, text

from anran_desktop.services.sync_service import SyncService, enqueue
from sync.protocol import PushBatch, PushItem, new_event_id
from sync.relay.app import normalize_db_url
from tests.sync.conftest import SITE_TOKEN, ThreadRelay
from tests.sync.helpers import resident


@pytest.fixture(scope="module")
def pg_url(pg_cluster) -> str:  # noqa: ANN001
    """The cluster's database ``relay``, shared by this module's tests."""
    return pg_cluster[1]


def test_relay_on_postgresql_end_to_end(pg_url: str, store, tmp_path) -> None:  # noqa: ANN001
    relay = ThreadRelay(pg_url)
    try:
        eng = create_engine(normalize_db_url(pg_url))
        with eng.connect() as c:
            assert c.execute(text("SELECT version_num FROM alembic_version")).scalar() == "r0004"
            assert c.execute(text("SELECT count(*) FROM staff_accounts")).scalar() == 0
        assert eng.dialect.name == "postgresql"
        svc = SyncService(store, relay.url, SITE_TOKEN, evidence_root=tmp_path / "evidence")
        code = svc.issue_household_code("H-PG", "1区")
        with store.begin() as c:
            enqueue(c, "notification", {"area": "1区", "title": "检修通知", "body": "PostgreSQL"})
            enqueue(c, "notification", {"area": "2区", "title": "别区通知"})
        assert asyncio.run(svc.sync_once())[0] == 3
        h = resident(relay.url, code, "pgres")
        assert [i["title"] for i in httpx.get(relay.url + "/c/notifications", headers=h).json()["items"]] == ["检修通知"]
        # the same batch twice is stored once (primary key + savepoint on PostgreSQL too)
        item = PushItem(event_id=new_event_id(), kind="notification", payload={"area": "1区", "title": "重复"},
                        created_at="2026-01-01T00:00:00Z")
        body = PushBatch(batch_id=new_event_id(), items=[item]).model_dump_json()
        auth = {"Authorization": f"Bearer {SITE_TOKEN}", "Content-Type": "application/json"}
        first = httpx.post(relay.url + "/sync/push", content=body, headers=auth).json()
        again = httpx.post(relay.url + "/sync/push", content=body, headers=auth).json()
        assert first["accepted"] == [item.event_id] and again["duplicate"] == [item.event_id]
        assert httpx.get(relay.url + "/c/notifications", headers=h).json()["total"] == 2
        # an odor report with a photo reaches the desktop with its evidence file
        ok, png = cv2.imencode(".png", np.full((64, 64, 3), 120, np.uint8))
        r = httpx.post(relay.url + "/c/incident/report", headers=h, timeout=60, data={"location": "1区2栋"},
                       files={"photo": ("p.png", png.tobytes(), "image/png")})
        assert r.status_code == 201, r.text
        assert asyncio.run(svc.sync_once())[1] == 2  # the household's registration and its report
        with store.read() as c:
            (detail,) = c.exec_driver_sql("SELECT detail FROM events WHERE kind='resident.odor_report'").one()
        assert (tmp_path / "evidence" / json.loads(detail)["evidence"][0]).is_file()
        # staff scope and the error contract
        assert httpx.post(relay.url + "/admin/staff", headers=auth,
                          json={"username": "pgdisp", "password": "dispatch-pw-1", "role": "dispatcher"}
                          ).status_code == 201
        tok = httpx.post(relay.url + "/c/login", json={"username": "pgdisp", "password": "dispatch-pw-1"}).json()
        items = httpx.get(relay.url + "/staff/items", headers={"Authorization": "Bearer " + tok["access_token"]})
        assert [i["kind"] for i in items.json()["items"]] == ["odor_report"]
        assert httpx.get(relay.url + "/c/orders/999999", headers=h).status_code == 404
        assert httpx.post(relay.url + "/c/help/call", headers={**h, "Content-Type": "application/json"},
                          content=b"{not json").status_code == 422
    finally:
        relay.stop()
    # reopened on the same database: data kept, migrations not re-applied
    again = ThreadRelay(pg_url)
    try:
        r = httpx.post(again.url + "/c/login", json={"username": "pgres", "password": "correct horse 1"})
        assert r.status_code == 200
        assert httpx.get(again.url + "/c/notifications",
                         headers={"Authorization": "Bearer " + r.json()["access_token"]}).json()["total"] == 2
    finally:
        again.stop()


def test_crew_tickets_on_postgresql(pg_url: str, tmp_path) -> None:  # noqa: ANN001
    """Crew tickets and progress (relay r0003) on PostgreSQL: publish, crew post (twice), desktop pull and verdict."""
    from sync.crew_protocol import ProgressIn

    relay = ThreadRelay(pg_url)
    try:
        site = {"Authorization": f"Bearer {SITE_TOKEN}"}
        assert httpx.post(relay.url + "/admin/staff", headers=site, json={
            "username": "pgcrew", "password": "crew-password-1", "role": "crew", "area": "1区"}).status_code == 201
        ticket = {"id": "T-PG-1", "title": "管网巡检", "kind": "leak", "area": "1区", "assignee": "pgcrew",
                  "status": "dispatched", "version": 1}
        assert httpx.post(relay.url + "/sync/tickets", headers=site, json={"tickets": [ticket]}).json()["stored"] \
            == ["T-PG-1"]
        tok = httpx.post(relay.url + "/c/login", json={"username": "pgcrew", "password": "crew-password-1"}).json()
        crew = {"Authorization": "Bearer " + tok["access_token"]}
        assert [t["id"] for t in httpx.get(relay.url + "/crew/tickets", headers=crew).json()["items"]] == ["T-PG-1"]
        rec = ProgressIn(progress_id=new_event_id(), ticket_id="T-PG-1", kind="reading",
                         payload={"evidence": "gauge_reading", "value": 2.2, "unit": "kPa"},
                         created_at="2026-12-01T10:00:00Z").model_dump(mode="json")
        first = httpx.post(relay.url + "/crew/progress", headers=crew, json=rec).json()
        again = httpx.post(relay.url + "/crew/progress", headers=crew, json=rec).json()
        assert (first["duplicate"], again["duplicate"], again["seq"]) == (False, True, first["seq"])
        page = httpx.get(relay.url + "/sync/progress", headers=site).json()
        assert [i["progress_id"] for i in page["items"]] == [rec["progress_id"]]
        assert httpx.post(relay.url + "/sync/progress/results", headers=site, json={"results": [
            {"progress_id": rec["progress_id"], "state": "applied"}]}).json()["updated"] == 1
        st = httpx.post(relay.url + "/crew/progress/states", headers=crew, json={"ids": [rec["progress_id"]]}).json()
        assert [s["state"] for s in st["items"]] == ["applied"]
    finally:
        relay.stop()

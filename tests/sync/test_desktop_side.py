"""Desktop-side behaviour: enqueue in the caller's transaction, handlers, usage summary from readings."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import httpx
import pytest

from anran_desktop.services.sync_service import SyncService, enqueue
from tests.sync.conftest import SITE_TOKEN
from tests.sync.helpers import outbox_statuses, resident


def test_enqueue_rolls_back_with_the_business_change(store) -> None:
    with pytest.raises(RuntimeError), store.begin() as c:
        enqueue(c, "notification", {"area": "1区", "title": "x"})
        raise RuntimeError("business write failed")
    assert outbox_statuses(store) == {}
    with pytest.raises(ValueError, match="unknown sync kind"), store.begin() as c:
        enqueue(c, "no.such.kind", {})


def test_failing_handler_keeps_the_item_until_it_succeeds(relay, store) -> None:
    svc = SyncService(store, relay.url, SITE_TOKEN, default_handlers=False)
    code = svc.issue_household_code("H1", "1区")
    asyncio.run(svc.sync_once())
    h = resident(relay.url, code, "ann")
    assert httpx.post(relay.url + "/c/help/call", headers=h, json={"message": "老人摔倒，闻到气味"}).status_code == 201
    seen: list[str] = []
    fail = {"on": True}

    def handler(item) -> None:  # noqa: ANN001
        if fail["on"]:
            raise RuntimeError("desktop busy")
        seen.append(item.payload["message"])

    svc.on_item("help_call", handler)
    asyncio.run(svc.sync_once())
    assert seen == [] and len(svc.repo.unapplied()) == 1
    fail["on"] = False
    assert svc.apply_pending() == 1
    assert seen == ["老人摔倒，闻到气味"] and svc.repo.unapplied() == []
    asyncio.run(svc.sync_once())
    assert seen == ["老人摔倒，闻到气味"]


def test_usage_summary_months_yoy_and_unusual(relay, tmp_path: Path) -> None:
    code = httpx.post(relay.url + "/admin/households", headers={"Authorization": f"Bearer {SITE_TOKEN}"},
                      json={"household_id": "H1", "area": "1区"}).json()["code"]
    h = resident(relay.url, code, "ann")
    # monthly index readings: 10 m³ a month, except Feb 2026 (+40)
    readings, v = [], 100.0
    for y, m in [(2025, 1), (2025, 2), (2025, 3), (2026, 1), (2026, 2), (2026, 3)]:
        readings.append((v, f"{y}-{m:02d}-28T00:00:00Z"))
        v += 40 if (y, m) == (2026, 1) else 10
    with sqlite3.connect(tmp_path / "relay.db") as c:
        c.executemany("INSERT INTO meter_readings (household_id, value, unit, confidence, needs_review, source, "
                      "taken_at) VALUES ('H1', ?, 'm3', 1, 0, 'typed', ?)", readings)
    months = {m["month"]: m for m in httpx.get(relay.url + "/c/usage/summary", headers=h).json()["months"]}
    assert months["2026-02"]["use_m3"] == 40 and months["2026-02"]["unusual"] is True
    assert months["2026-02"]["yoy"] == 3.0 and months["2026-03"]["yoy"] == 0.0
    assert months["2025-03"]["unusual"] is False
    assert "2026-01" not in months and "2025-01" not in months  # no index at the end of the month before

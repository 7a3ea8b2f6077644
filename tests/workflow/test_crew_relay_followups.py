"""Crew tickets through the relay, the follow-ups: a long queue goes up in batches under the rate limit (and
the window says it is uploading, not offline), valve tests reach the dispatch desktop as engine evidence,
refusals carry codes, a repeated accept writes no second 接单, and a ticket reassigned to someone without a
relay account is withdrawn from the old crew member."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest

from anran_desktop.services.crew_laptop import CrewLaptopSync
from anran_desktop.services.crew_publish import CrewPublisher
from anran_desktop.services.interval_refine import engine_evidence
from anran_desktop.services.sync_service import SyncService
from anran_desktop.ui.crew_sync import crew_status_text
from engine.locate import ValveTest
from sync.crew_client import CrewRelayClient, Refused
from sync.crew_protocol import ProgressIn
from sync.protocol import new_event_id
from tests.sync.conftest import SITE_TOKEN, ThreadRelay
from tests.workflow.test_crew_relay import PW, Desk, _png

USERS = [("dispatcher", "dispatcher"), ("crew01", "crew"), ("crew02", "crew")]


def _relay(tmp_path: Path, per_minute: int = 120) -> ThreadRelay:
    r = ThreadRelay(f"sqlite:///{tmp_path / 'relay.db'}", rate_per_minute=per_minute)
    res = httpx.post(r.url + "/admin/staff", headers={"Authorization": f"Bearer {SITE_TOKEN}"},
                     json={"username": "crew01", "password": PW, "role": "crew", "area": "南区"})
    assert res.status_code == 201, res.text
    return r


class Pair:
    """A dispatch desktop and crew01's laptop, each with its own database, one published ticket."""

    def __init__(self, tmp_path: Path, relay: ThreadRelay) -> None:
        self.desk = Desk(tmp_path / "dispatch.db", USERS, tmp_path / "ev-d")
        self.sync = SyncService(self.desk.store, relay.url, SITE_TOKEN, default_handlers=False,
                                evidence_root=tmp_path / "ev-d2")
        self.pub = CrewPublisher(self.desk.store, self.desk.tickets, self.desk.evidence, site_name="星海花园")
        self.sync.rounds.append(self.pub.round)
        self.card = self.desk.tickets.create(title="南区 S3–S5 压降", kind="leak", actor="dispatcher", area="南区",
                                             assignee="crew01", suspect_interval={"pipes": ["S3", "S4", "S5"],
                                                                                  "length_m": 300.0,
                                                                                  "confidence": 0.8})
        self.desk.evidence.set_item(self.card.id, "call_crew", True, "dispatcher")
        self.desk.tickets.move(self.card.id, "dispatched", "dispatcher")
        self.dispatch_round()
        self.crew = Desk(tmp_path / "crew.db", [("crew01", "crew")], tmp_path / "ev-c")
        self.field = CrewLaptopSync(self.crew.store, CrewRelayClient(relay.url, "crew01", PW),
                                    evidence_root=tmp_path / "ev-c")

    def dispatch_round(self) -> None:
        asyncio.run(self.sync.sync_once())
        assert self.pub.last_error is None

    def close(self) -> None:
        self.desk.store.close()
        self.crew.store.close()


@pytest.fixture
def limited(tmp_path: Path):
    r = _relay(tmp_path, per_minute=4)
    yield r
    r.stop()


@pytest.fixture
def relay(tmp_path: Path):
    r = _relay(tmp_path)
    yield r
    r.stop()


def test_a_long_queue_goes_up_in_batches_and_a_rate_limit_is_not_offline(limited, tmp_path: Path) -> None:
    p = Pair(tmp_path, limited)
    tid = p.card.id
    assert asyncio.run(p.field.sync_once())  # 1 request (my tickets)
    p.crew.tickets.accept(tid, "crew01")
    for i in range(30):  # a day's worth of ticks and unticks, offline
        p.crew.evidence.set_item(tid, "ppe", i % 2 == 0, "crew01")
    p.crew.evidence.attach(tid, "photo_before", "crew01", photo=_png(), note="现场")
    p.crew.evidence.attach(tid, "note", "crew01", note="阀井积水")
    p.crew.evidence.attach(tid, "photo_after", "crew01", photo=_png(), note="处置后")
    # 4 requests a minute: 31 records in one batch, a photo, the note in a batch, then the 2nd photo → 429
    assert not asyncio.run(p.field.sync_once())
    st = p.field.state()
    assert (st.online, st.rate_limited, st.pending, st.waiting) == (True, True, 1, 33)
    text, ok = crew_status_text(st)
    assert "离线" not in text and "正在上传 1 条" in text and ok  # draining is no fault
    # The relay said when to come back (Retry-After); until then the laptop does not call it again.
    assert 1 <= st.retry_in_s <= 60 and f"{st.retry_in_s} 秒后继续" in text
    calls = []
    real_push = p.field.push

    async def counting_push() -> None:
        calls.append(1)
        await real_push()

    p.field.push = counting_push
    assert not asyncio.run(p.field.sync_once()) and calls == []
    assert p.field.state().pending == 1
    p.field.push = real_push
    with p.crew.store.read() as c:  # the held-back photo is the last one, nothing was refused
        left = c.exec_driver_sql("SELECT kind, payload FROM crew_progress WHERE state='pending'").all()
    assert len(left) == 1 and left[0][0] == "photo" and "photo_after" in left[0][1]
    p.dispatch_round()  # site-token calls are not the crew account's budget
    assert p.desk.tickets.accepted(tid)
    assert len([e for e in p.desk.evidence.evidence(tid) if e.kind in ("note", "photo_before")]) == 2
    p.close()


def test_batch_post_is_idempotent_with_a_result_per_record(relay, tmp_path: Path) -> None:
    p = Pair(tmp_path, relay)
    cl = p.field.client
    good = ProgressIn(progress_id=new_event_id(), ticket_id=p.card.id, kind="note", payload={"note": "到场"},
                      created_at="2026-12-01T10:00:00Z")
    bad = ProgressIn(progress_id=new_event_id(), ticket_id="T-nope", kind="note", payload={"note": "x"},
                     created_at="2026-12-01T10:00:01Z")
    shape = ProgressIn(progress_id=new_event_id(), ticket_id=p.card.id, kind="valve_test",
                       payload={"valves": [], "restored": True}, created_at="2026-12-01T10:00:02Z")
    out = asyncio.run(cl.post_batch([good, bad, shape]))
    assert [(o.result, o.status) for o in out] == [("stored", 200), ("refused", 404), ("refused", 422)]
    assert "valves" in out[2].message
    again = asyncio.run(cl.post_batch([good]))
    assert again[0].result == "duplicate" and again[0].record.seq == out[0].record.seq
    single = asyncio.run(cl.post(good))  # the single-record route (old clients) sees the same record
    assert not isinstance(single, Refused) and single.seq == out[0].record.seq
    p.close()


def test_valve_test_reaches_the_dispatch_engine_and_the_narrowed_interval_comes_back(relay, tmp_path: Path) -> None:
    p = Pair(tmp_path, relay)
    tid = p.card.id
    assert asyncio.run(p.field.sync_once())
    p.crew.tickets.accept(tid, "crew01")
    p.crew.tickets.move(tid, "onsite", "crew01")
    p.crew.evidence.attach(tid, "valve_test", "crew01", note="关 V-S3S4 后下游压力未恢复",
                           detail={"valves": ["V-S3S4"], "restored": False})
    assert asyncio.run(p.field.sync_once())
    applied: list[str] = []
    p.pub.on_applied = lambda rec: applied.append(rec.kind)  # the app's bridge re-runs the engine on this
    p.dispatch_round()
    assert applied == ["accept", "move", "valve_test"]
    (ev,) = [e for e in p.desk.evidence.evidence(tid) if e.kind == "valve_test"]
    assert (ev.actor, ev.detail["valves"], ev.detail["restored"]) == ("crew01", ["V-S3S4"], False)
    assert engine_evidence([ev]) == [ValveTest(("V-S3S4",), False)]  # what interval_refine feeds the engine
    # the engine narrowed it (as LoopController._on_refined stores it): the next version reaches the laptop
    p.desk.tickets.update_interval(tid, {"pipes": ["S4"], "length_m": 80.0, "confidence": 0.9}, "dispatcher",
                                   "valve_test")
    p.dispatch_round()
    assert asyncio.run(p.field.sync_once())
    got = p.crew.tickets.detail(tid).suspect_interval
    assert (got["pipes"], got["length_m"]) == (["S4"], 80.0)
    p.close()


def test_refusal_codes_repeated_accept_and_withdrawal(relay, tmp_path: Path) -> None:
    from anran_desktop.services.tickets import TicketService

    p = Pair(tmp_path, relay)
    tid = p.card.id
    assert asyncio.run(p.field.sync_once())
    TicketService(p.crew.store).move(tid, "handling", "crew01", "跳步")  # a lax laptop: the desktop decides
    assert asyncio.run(p.field.sync_once())
    p.dispatch_round()
    assert asyncio.run(p.field.sync_once())
    (ticket, kind, text, codes), = p.field.state().refused
    assert (ticket, kind) == (tid, "move") and "处置" in text
    assert codes == ({"code": "order", "params": {"from": "dispatched", "to": "handling", "next": "onsite"}},)

    # a repeated accept (the desktop crashed before recording it): one 接单 row
    p.crew.tickets.accept(tid, "crew01")
    assert asyncio.run(p.field.sync_once())
    p.dispatch_round()
    with p.desk.store.begin() as c:
        c.exec_driver_sql("DELETE FROM crew_progress WHERE direction='in' AND kind='accept'")
        c.exec_driver_sql("DELETE FROM settings WHERE key='relay_progress_cursor'")
    import sqlite3

    with sqlite3.connect(tmp_path / "relay.db") as db:
        db.execute("UPDATE crew_progress SET state='pending' WHERE kind='accept'")
    p.dispatch_round()
    hist = p.desk.tickets.detail(tid).history
    assert [h.action for h in hist].count("accept") == 1
    with p.desk.store.read() as c:
        assert c.exec_driver_sql("SELECT state FROM crew_progress WHERE kind='accept'").scalar() == "applied"

    # reassigned to crew09, who has no relay account: withdrawn from crew01, who can no longer post
    p.desk.tickets.assign(tid, "crew09", "dispatcher")
    p.dispatch_round()
    assert asyncio.run(p.field.client.my_tickets()) == []
    res = asyncio.run(p.field.client.post(ProgressIn(progress_id=new_event_id(), ticket_id=tid, kind="note",
                                                     payload={"note": "x"}, created_at="2026-12-01T10:00:00Z")))
    assert isinstance(res, Refused) and res.status == 404
    assert asyncio.run(p.field.sync_once())
    assert p.crew.tickets.get(tid).assignee == ""  # gone from 我的工单 (it lists the user's tickets)
    assert any(h.action == "relay" and h.note == "已改派" for h in p.crew.tickets.detail(tid).history)
    st = p.field.state()
    assert st.withdrawn == (tid,) and f"工单 {tid} 已由调度台收回" in crew_status_text(st)[0]
    p.close()


def test_an_unassigned_ticket_is_withdrawn_and_comes_back_when_assigned_again(relay, tmp_path: Path) -> None:
    p = Pair(tmp_path, relay)
    tid = p.card.id
    assert asyncio.run(p.field.sync_once()) and p.crew.tickets.get(tid).assignee == "crew01"
    p.desk.tickets.assign(tid, "", "dispatcher")
    p.dispatch_round()
    assert asyncio.run(p.field.client.my_tickets()) == []
    assert asyncio.run(p.field.sync_once())
    assert p.crew.tickets.get(tid).assignee == "" and p.field.state().withdrawn == (tid,)
    with p.desk.store.read() as c:
        assert c.exec_driver_sql("SELECT state FROM relay_tickets WHERE ticket_id=?", (tid,)).scalar() == "withdrawn"
    p.desk.tickets.assign(tid, "crew01", "dispatcher")
    p.dispatch_round()
    assert asyncio.run(p.field.sync_once())
    assert p.crew.tickets.get(tid).assignee == "crew01"
    p.close()


@pytest.fixture
def old_relay(tmp_path: Path, monkeypatch):  # noqa: ANN001
    """A relay of the previous version: no /crew/progress/batch (404), everything else as now."""
    from starlette.responses import JSONResponse

    import sync.relay

    real = sync.relay.create_app

    def create_app(*a, **kw):  # noqa: ANN002, ANN003, ANN202
        app = real(*a, **kw)

        async def older(scope, receive, send):  # noqa: ANN001, ANN202
            if scope["type"] == "http" and scope["path"] == "/crew/progress/batch":
                return await JSONResponse({"detail": "Not Found"}, 404)(scope, receive, send)
            return await app(scope, receive, send)

        return older

    monkeypatch.setattr(sync.relay, "create_app", create_app)
    r = _relay(tmp_path)
    yield r
    r.stop()


def test_a_relay_without_the_batch_route_gets_the_records_one_by_one(old_relay, tmp_path: Path) -> None:
    p = Pair(tmp_path, old_relay)
    tid = p.card.id
    assert asyncio.run(p.field.sync_once())
    p.crew.tickets.accept(tid, "crew01")
    p.crew.evidence.attach(tid, "note", "crew01", note="到场")
    assert p.field.capture() == 2
    assert asyncio.run(p.field.client.post_batch([p.field._record_in(r) for r in p.field._pending()])) is None
    assert asyncio.run(p.field.sync_once())
    assert (p.field.state().pending, p.field.state().waiting) == (0, 2)
    p.dispatch_round()
    assert p.desk.tickets.accepted(tid) and [e.kind for e in p.desk.evidence.evidence(tid)] == ["note"]
    p.close()

"""Crew tickets across machines: a dispatch desktop DB and a separate crew laptop DB, through a real relay.

The relay runs as ``anran relay`` in a child process so it can be killed (crew goes offline) and started
again on the same database and port.
"""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import cv2
import httpx
import numpy as np
import pytest

from anran_desktop.services.audit import AuditService
from anran_desktop.services.crew_laptop import CrewLaptopSync
from anran_desktop.services.crew_publish import CURSOR_KEY, CrewPublisher
from anran_desktop.services.events import AlarmService
from anran_desktop.services.loop import LoopServices
from anran_desktop.services.sync_service import SyncService
from anran_desktop.services.tickets import TicketService
from anran_desktop.services.users import UserService
from anran_desktop.store import open_store
from engine.network import Network
from sync.crew_client import CrewRelayClient, Refused
from sync.crew_protocol import ProgressIn
from sync.protocol import new_event_id
from tests.sync.conftest import SITE_TOKEN, ProcessRelay

PW = "crew-password-1"


def _png() -> bytes:
    img = np.zeros((160, 200, 3), np.uint8)
    img[:, :, 1] = np.linspace(0, 255, 200, dtype=np.uint8)[None, :]
    cv2.circle(img, (100, 80), 40, (30, 30, 220), -1)
    ok, buf = cv2.imencode(".png", img)
    assert ok
    return buf.tobytes()


class Desk:
    """One desktop database with the loop's services and guards, as ``anran app`` wires them."""

    def __init__(self, path: Path, users: list[tuple[str, str]], evidence: Path) -> None:
        self.store = open_store(path)
        for name, role in users:
            UserService(self.store).create(name, name, role, "x")
        self.tickets = TicketService(self.store)
        self.loop = LoopServices.create(self.store, Network(), self.tickets, AlarmService(self.store))
        self.loop.evidence._root = evidence
        self.evidence = self.loop.evidence

    def audit(self) -> list[tuple[str, str, str]]:
        with self.store.read() as c:
            return [tuple(r) for r in c.exec_driver_sql("SELECT actor, action, entity_id FROM audit_log ORDER BY id")]


@pytest.fixture
def relay(tmp_path: Path):
    r = ProcessRelay(f"sqlite:///{tmp_path / 'relay.db'}")
    r.start()
    for name in ("crew01", "crew02"):
        res = httpx.post(r.url + "/admin/staff", headers={"Authorization": f"Bearer {SITE_TOKEN}"},
                         json={"username": name, "password": PW, "role": "crew", "area": "南区"})
        assert res.status_code == 201, res.text
    yield r
    r.kill()


def _relay_rows(tmp_path: Path, table: str) -> int:
    with sqlite3.connect(tmp_path / "relay.db") as c:
        return c.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_crew_laptop_works_offline_and_the_dispatch_desktop_applies_its_progress(relay, tmp_path: Path) -> None:
    desk = Desk(tmp_path / "dispatch.db", [("dispatcher", "dispatcher"), ("crew01", "crew"), ("crew02", "crew")],
                tmp_path / "ev-dispatch")
    sync = SyncService(desk.store, relay.url, SITE_TOKEN, default_handlers=False, evidence_root=tmp_path / "ev-d")
    pub = CrewPublisher(desk.store, desk.tickets, desk.evidence, site_name="星海花园")
    sync.rounds.append(pub.round)
    applied: list[tuple[str, str]] = []
    pub.on_applied = lambda rec: applied.append((rec.kind, rec.ticket_id))
    parts = {"areas": ["南区"], "places": ["S3", "S4"], "calibration": "", "length_m": "124", "confidence": "0.93"}
    card = desk.tickets.create(title="南区疑似泄漏：S3、S4（区间 124 m，置信度 0.93）", kind="leak", actor="dispatcher",
                               area="南区", assignee="crew01", title_parts=parts,
                               suspect_interval={"pipes": ["S3", "S4"], "length_m": 124.0, "confidence": 0.93})
    local_only = desk.tickets.create(title="无中继账号", kind="leak", actor="dispatcher", assignee="crew09")
    desk.evidence.set_item(card.id, "call_crew", True, "dispatcher")
    desk.tickets.move(card.id, "dispatched", "dispatcher")
    asyncio.run(sync.sync_once())
    assert pub.last_error is None
    with desk.store.read() as c:
        states = dict(c.exec_driver_sql("SELECT ticket_id, state FROM relay_tickets").all())
        err = c.exec_driver_sql("SELECT error FROM relay_tickets WHERE ticket_id=?", (local_only.id,)).scalar()
    assert states == {card.id: "published", local_only.id: "rejected"} and "crew09" in err

    # ---- the crew laptop, its own database, pulls its ticket -------------------------------------------
    crew = Desk(tmp_path / "crew.db", [("crew01", "crew")], tmp_path / "ev-crew")
    field = CrewLaptopSync(crew.store, CrewRelayClient(relay.url, "crew01", PW), evidence_root=tmp_path / "ev-crew")
    assert asyncio.run(field.sync_once())
    got = crew.tickets.detail(card.id)
    assert (got.card.status, got.card.assignee, got.suspect_interval["length_m"]) == ("dispatched", "crew01", 124.0)
    assert crew.evidence.checklist(card.id) == {"call_crew": True}
    assert [c.id for c in crew.tickets.board()] == [card.id]  # the other ticket is not crew01's
    # The title stays the record; its parts come along so an English crew laptop can word it.
    assert (got.card.title, got.card.title_parts) == (card.title, parts)

    # ---- relay down: the crew works offline through the local services (local guards apply) -----------
    relay.kill()
    crew.tickets.accept(card.id, "crew01")
    crew.tickets.move(card.id, "onsite", "crew01", "到场")
    for item in ("ppe", "detect", "gauge"):
        crew.evidence.set_item(card.id, item, True, "crew01")
    crew.evidence.attach(card.id, "gauge_reading", "crew01", value=2.1, unit="kPa", node_id="N-S4", note="下游表")
    crew.evidence.attach(card.id, "photo_before", "crew01", photo=_png(), note="现场照片")
    assert not asyncio.run(field.sync_once())
    st = field.state()
    assert (st.online, st.pending, st.waiting) == (False, 7, 0) and "connection" in (st.last_error or "")
    assert crew.tickets.get(card.id).status == "onsite"  # local work is kept while offline

    # ---- relay up again: pushed, then applied by the dispatch desktop with its own guards --------------
    relay.start()
    assert asyncio.run(field.sync_once())
    assert (field.state().pending, field.state().waiting) == (0, 7)
    asyncio.run(sync.sync_once())
    assert pub.last_error is None
    d = desk.tickets.detail(card.id)
    assert d.card.status == "onsite"
    assert applied == [(k, card.id) for k in ("accept", "move", "check", "check", "check", "reading", "photo")]
    assert desk.evidence.checklist(card.id) == {"call_crew": True, "ppe": True, "detect": True, "gauge": True}
    ev = desk.evidence.evidence(card.id)
    assert [(e.kind, e.actor, e.value, e.node_id) for e in ev] == [
        ("gauge_reading", "crew01", 2.1, "N-S4"), ("photo_before", "crew01", None, None)]
    assert ev[1].photo is not None and ev[1].photo.read_bytes()[:3] == b"\xff\xd8\xff"  # masked JPEG via the relay
    with sqlite3.connect(tmp_path / "relay.db") as db:
        (relay_jpeg,) = db.execute("SELECT data FROM photos").fetchone()
    assert ev[1].photo.read_bytes() == relay_jpeg and ev[1].detail["masked_by"] == "relay"  # stored as masked there
    crew_rows = [a for a in desk.audit() if a[0] == "crew01"]
    assert [a[1] for a in crew_rows] == ["ticket.accept", "ticket.move"] + ["ticket.checklist"] * 3 + \
        ["ticket.evidence"] * 2
    assert all(a[2] == card.id for a in crew_rows)
    assert AuditService(desk.store).verify().ok
    # the crew laptop learns every record was applied and gets the dispatcher's new version
    assert asyncio.run(field.sync_once())
    st = field.state()
    assert (st.pending, st.waiting, st.refused) == (0, 0, ())

    # ---- duplicates: a repeated post and a re-pulled progress page change nothing --------------------
    records = _relay_rows(tmp_path, "crew_progress")
    with crew.store.read() as c:
        pid, kind, payload, created = c.exec_driver_sql(
            "SELECT progress_id, kind, payload, created_at FROM crew_progress WHERE kind='reading'").one()
    import json

    again = asyncio.run(field.client.post(ProgressIn(progress_id=pid, ticket_id=card.id, kind=kind,
                                                     payload=json.loads(payload), created_at=created)))
    assert not isinstance(again, Refused) and again.state == "applied"
    assert _relay_rows(tmp_path, "crew_progress") == records
    audit_before = len(desk.audit())
    desk.store.set_setting(CURSOR_KEY, "0")  # lost cursor: every record comes again
    asyncio.run(sync.sync_once())
    assert len(desk.evidence.evidence(card.id)) == 2
    assert len(desk.audit()) == audit_before
    with desk.store.begin() as c:  # a crash after applying, before the record's own row was written
        c.exec_driver_sql("DELETE FROM crew_progress WHERE direction='in' AND kind IN ('reading', 'photo')")
    with sqlite3.connect(tmp_path / "relay.db") as db:  # … so the relay never got their verdicts either
        db.execute("UPDATE crew_progress SET state='pending', reason=NULL WHERE kind IN ('reading', 'photo')")
    desk.store.set_setting(CURSOR_KEY, "0")
    asyncio.run(sync.sync_once())
    assert len(desk.evidence.evidence(card.id)) == 2 and len(desk.audit()) == audit_before

    # ---- a move the workflow forbids is refused by the dispatch desktop, reason shown on the laptop ---
    lax = TicketService(crew.store)  # a laptop whose local rules let the move through: the desktop decides
    lax.move(card.id, "closed", "crew01", "直接结案")
    assert asyncio.run(field.sync_once())
    asyncio.run(sync.sync_once())
    assert desk.tickets.get(card.id).status == "onsite" and len(applied) == 7  # refused: not "applied"
    assert asyncio.run(field.sync_once())
    st = field.state()
    assert len(st.refused) == 1 and st.refused[0][:2] == (card.id, "move")
    assert "结案" in st.refused[0][2]
    hist = crew.tickets.detail(card.id).history
    assert any(h.action == "relay_refused" and "结案" in h.note for h in hist)
    assert crew.tickets.get(card.id).status == "onsite"  # the laptop took the dispatcher's status back

    # ---- scope: another crew member sees nothing of it -----------------------------------------------
    other = CrewRelayClient(relay.url, "crew02", PW)
    assert asyncio.run(other.my_tickets()) == []
    tok = httpx.post(relay.url + "/c/login", json={"username": "crew02", "password": PW}).json()["access_token"]
    r = httpx.get(f"{relay.url}/crew/tickets/{card.id}", headers={"Authorization": f"Bearer {tok}"})
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"
    res = asyncio.run(other.post(ProgressIn(progress_id=new_event_id(), ticket_id=card.id, kind="note",
                                            payload={"note": "x"}, created_at="2026-12-01T00:00:00Z")))
    assert isinstance(res, Refused) and res.status == 404

    # ---- reassigned: crew02 gets the ticket, crew01's laptop lets it go --------------------------------
    desk.tickets.assign(card.id, "crew02", "dispatcher")
    asyncio.run(sync.sync_once())
    assert [t.id for t in asyncio.run(other.my_tickets())] == [card.id]
    assert asyncio.run(field.sync_once())
    assert crew.tickets.get(card.id).assignee == ""
    assert any(h.action == "relay" and h.note == "已改派" for h in crew.tickets.detail(card.id).history)
    for s in (desk.store, crew.store):
        s.close()

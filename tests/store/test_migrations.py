"""A newer app opens a database written at an older schema revision without losing anything."""

import sqlite3

import pytest

from anran_desktop.services.audit import AuditService
from anran_desktop.services.tickets import TicketService
from anran_desktop.store import open_store
from anran_desktop.store.db import head_revision, known_revisions, upgrade_to
from anran_desktop.store.telemetry import TelemetryRepo


def _revision(path):
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return con.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    finally:
        con.close()


def test_first_revision_with_data_upgrades_to_head_intact(tmp_path):
    assert known_revisions()[-1] == "0001" and head_revision() != "0001"
    path = tmp_path / "old.sqlite3"
    upgrade_to(path, "0001")
    assert _revision(path) == "0001"
    # Write data with raw SQL, as the 0001-era app would have (no code that knows later revisions).
    con = sqlite3.connect(path)
    con.execute("INSERT INTO tickets(id, title, kind, status, created_at, updated_at) "
                "VALUES ('T-20261101-0001', '旧工单', 'leak', 'handling', '2026-11-01T08:00:00Z', "
                "'2026-11-01T09:00:00Z')")
    con.execute("INSERT INTO points(point_no, point, quantity) VALUES (1, 'PT-01', 'pressure_kpa')")
    con.executemany("INSERT INTO telemetry(point_no, t_ms, value) VALUES (1, ?, ?)",
                    [(i * 1000, 200.0 + i) for i in range(100)])
    con.commit()
    con.close()

    store = open_store(path)
    assert _revision(path) == head_revision()
    card = TicketService(store).get("T-20261101-0001")
    assert (card.title, card.status) == ("旧工单", "handling")
    t, v = TelemetryRepo(store).series("PT-01", 0, 1000)
    assert len(t) == 100 and v[0] == 200.0 and v[-1] == 299.0
    with store.read() as c:
        names = {r[0] for r in c.exec_driver_sql("SELECT name FROM sqlite_master WHERE type='index'")}
    assert "ix_audit_log_entity" in names
    # The pre-upgrade copy is at the old revision and holds the same rows.
    backup = path.with_name(f"{path.name}.before-{head_revision()}.bak")
    assert _revision(backup) == "0001"
    con = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
    assert con.execute("SELECT COUNT(*) FROM telemetry").fetchone()[0] == 100
    con.close()
    # The upgraded database keeps working: a move writes history and a valid audit chain.
    TicketService(store).move(card.id, "retest", "crew01")
    assert AuditService(store).verify().ok
    store.close()


def test_0002_database_upgrades_to_0003_with_tickets_audit_and_new_tables(tmp_path):
    """A 0002 database (tickets, history, a valid audit chain) keeps every row; 0003 adds the evidence,
    checklist, interval and crew-position tables, and the upgraded ticket can take evidence and close."""
    from anran_desktop.services.events import AlarmService
    from anran_desktop.services.loop import LoopServices
    from anran_desktop.services.tickets import WorkflowError
    from anran_desktop.services.users import UserService
    from engine.network import Network

    path = tmp_path / "v2.sqlite3"
    upgrade_to(path, "0002")
    assert _revision(path) == "0002"
    # Write through the store at 0002 (the reflected tables are the 0002 ones), so the audit chain is real.
    from anran_desktop.store.db import Store, _make_engine

    old = Store(path, _make_engine(path))
    assert not hasattr(old.t, "ticket_evidence")
    users = UserService(old)
    users.create("dispatcher", "调度员", "dispatcher", "x")
    users.create("crew01", "抢修员 01", "crew", "x")
    old_tickets = TicketService(old)
    card = old_tickets.create(title="旧工单", kind="leak", actor="dispatcher", assignee="crew01")
    for status in ("dispatched", "onsite", "handling", "retest"):
        old_tickets.move(card.id, status, "dispatcher")
    before = AuditService(old).verify()
    old.close()
    assert before.ok and before.rows == 7

    store = open_store(path)
    assert _revision(path) == head_revision() and "0003" in known_revisions()
    for table in ("ticket_evidence", "ticket_checklist", "ticket_intervals", "crew_positions"):
        assert hasattr(store.t, table)
    tickets = TicketService(store)
    detail = tickets.detail(card.id)
    assert (detail.card.status, detail.card.assignee, len(detail.history)) == ("retest", "crew01", 5)
    check = AuditService(store).verify()
    assert check.ok and check.rows == 7
    loop = LoopServices.create(store, Network(), tickets, AlarmService(store))
    loop.evidence._root = tmp_path / "ev"
    loop.evidence.set_item(card.id, "retest", True, "crew01")
    with pytest.raises(WorkflowError, match="复测读数"):
        tickets.move(card.id, "closed", "dispatcher")
    loop.evidence.attach(card.id, "retest_reading", "crew01", value=3.0, unit="kPa")
    assert tickets.move(card.id, "closed", "dispatcher").status == "closed"
    assert AuditService(store).verify().ok
    store.close()
    backup = path.with_name(f"{path.name}.before-{head_revision()}.bak")
    assert _revision(backup) == "0002"


def test_0003_database_upgrades_to_0004_with_evidence_intact_and_crew_relay_tables(tmp_path):
    """A 0003 database (ticket, checklist tick, evidence, a valid audit chain) keeps every row; 0004 adds the
    crew-relay tables, and the upgraded ticket is published for its crew member with its checklist state."""
    from anran_desktop.services.crew_publish import CrewPublisher
    from anran_desktop.services.events import AlarmService
    from anran_desktop.services.loop import LoopServices
    from anran_desktop.services.users import UserService
    from anran_desktop.store.db import Store, _make_engine
    from engine.network import Network

    path = tmp_path / "v3.sqlite3"
    upgrade_to(path, "0003")
    old = Store(path, _make_engine(path))
    assert hasattr(old.t, "ticket_evidence") and not hasattr(old.t, "crew_progress")
    UserService(old).create("dispatcher", "调度员", "dispatcher", "x")
    UserService(old).create("crew01", "抢修员 01", "crew", "x")
    old_tickets = TicketService(old)
    loop = LoopServices.create(old, Network(), old_tickets, AlarmService(old))
    loop.evidence._root = tmp_path / "ev"
    card = old_tickets.create(title="旧工单", kind="leak", actor="dispatcher", assignee="crew01")
    loop.evidence.set_item(card.id, "call_crew", True, "dispatcher")
    old_tickets.move(card.id, "dispatched", "dispatcher")
    loop.evidence.attach(card.id, "note", "crew01", note="已出发")
    before = AuditService(old).verify()
    old.close()
    assert before.ok

    store = open_store(path)
    assert _revision(path) == head_revision()
    assert hasattr(store.t, "relay_tickets") and hasattr(store.t, "crew_progress")
    tickets = TicketService(store)
    loop = LoopServices.create(store, Network(), tickets, AlarmService(store))
    loop.evidence._root = tmp_path / "ev"
    assert tickets.get(card.id).status == "dispatched"
    assert [e.note for e in loop.evidence.evidence(card.id)] == ["已出发"]
    assert loop.evidence.checklist(card.id) == {"call_crew": True}
    check = AuditService(store).verify()
    assert check.ok and check.rows == before.rows
    (due, _digest), = CrewPublisher(store, tickets, loop.evidence).due()
    assert (due.id, due.assignee, due.status, due.version) == (card.id, "crew01", "dispatched", 1)
    assert [(i.id, i.done, i.by) for i in due.checklist if i.done] == [("call_crew", True, "dispatcher")]
    store.close()
    assert _revision(path.with_name(f"{path.name}.before-{head_revision()}.bak")) == "0003"


def test_0004_database_upgrades_to_0005_and_its_alarm_tickets_get_their_title_parts(tmp_path):
    """0005 adds tickets.title_parts and copies them from the alarm each ticket was made from; a ticket made by
    hand, and one whose alarm has no parts or an unreadable detail, get none. Nothing else changes."""
    path = tmp_path / "v4.sqlite3"
    upgrade_to(path, "0004")
    parts = '{"areas": ["南区"], "places": ["S4"], "calibration": "", "length_m": "109", "confidence": "0.98"}'
    con = sqlite3.connect(path)
    con.executemany("INSERT INTO alarms(id, time, level, kind, title, detail) VALUES (?, ?, 2, 'leak_suspected', ?, ?)",
                    [("AL-1", "2026-12-01T08:00:00Z", "南区疑似泄漏：S4（区间 109 m，置信度 0.98）",
                      '{"onset": null, "title_parts": ' + parts + "}"),
                     ("AL-2", "2026-12-01T09:00:00Z", "旧告警", '{"onset": null}'),
                     ("AL-3", "2026-12-01T10:00:00Z", "坏告警", "not json")])
    con.executemany("INSERT INTO tickets(id, title, kind, status, created_at, updated_at, alarm_id) "
                    "VALUES (?, ?, 'leak', 'alarm', '2026-12-01T08:00:00Z', '2026-12-01T08:00:00Z', ?)",
                    [("T-1", "南区疑似泄漏：S4（区间 109 m，置信度 0.98）", "AL-1"), ("T-2", "旧告警", "AL-2"),
                     ("T-3", "坏告警", "AL-3"), ("T-4", "手工工单", None)])
    con.commit()
    con.close()

    store = open_store(path)
    assert _revision(path) == head_revision()
    tickets = TicketService(store)
    got = {c.id: c for c in tickets.board()}
    assert got["T-1"].title_parts == {"areas": ["南区"], "places": ["S4"], "calibration": "", "length_m": "109",
                                      "confidence": "0.98"}
    assert [got[t].title_parts for t in ("T-2", "T-3", "T-4")] == [None, None, None]
    assert [got[t].title for t in ("T-1", "T-2", "T-3", "T-4")] == [
        "南区疑似泄漏：S4（区间 109 m，置信度 0.98）", "旧告警", "坏告警", "手工工单"]
    store.close()

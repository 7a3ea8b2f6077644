"""A newer app opens a database written at an older schema revision without losing anything."""

import sqlite3

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

import hashlib
import json
import sqlite3

import numpy as np
import pytest

from anran_desktop.resources import demo_site_path
from anran_desktop.services.bootstrap import ensure_demo_site
from anran_desktop.services.tickets import TicketService, WorkflowError
from anran_desktop.store import StoreError, open_store
from anran_desktop.store.audit import verify_audit_chain
from anran_desktop.store.db import head_revision
from anran_desktop.store.network_import import import_network
from anran_desktop.store.telemetry import TelemetryRepo


def _sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_new_database_is_migrated_and_in_wal_mode(tmp_path):
    store = open_store(tmp_path / "a.sqlite3")
    with store.read() as c:
        assert c.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert c.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == head_revision()
    assert {"tickets", "telemetry", "audit_log", "outbox", "meter_readings", "households"} <= set(store.metadata.tables)


@pytest.mark.parametrize("content", [b"this is not a database at all" * 10, b"SQLite format 3\x00" + b"\x00" * 50])
def test_garbage_file_is_refused_and_left_untouched(tmp_path, content):
    path = tmp_path / "x.sqlite3"
    path.write_bytes(content)
    before = _sha(path)
    with pytest.raises(StoreError) as err:
        open_store(path)
    assert str(path) in str(err.value)
    assert _sha(path) == before


def test_truncated_database_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "t.sqlite3"
    store = open_store(path)
    import_network(store, demo_site_path())
    store.close()
    with sqlite3.connect(path) as con:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    before = _sha(path)
    with pytest.raises(StoreError, match="damaged|cannot"):
        open_store(path)
    assert _sha(path) == before


def test_foreign_sqlite_database_is_refused(tmp_path):
    path = tmp_path / "other.sqlite3"
    with sqlite3.connect(path) as con:
        con.execute("CREATE TABLE customers (id INTEGER)")
    before = _sha(path)
    with pytest.raises(StoreError, match="not an AnRan database"):
        open_store(path)
    assert _sha(path) == before


def test_newer_schema_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "n.sqlite3"
    open_store(path).close()
    con = sqlite3.connect(path)
    con.execute("UPDATE alembic_version SET version_num = '9999'")
    con.commit()
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    before = _sha(path)
    with pytest.raises(StoreError, match="newer version"):
        open_store(path)
    assert _sha(path) == before


def test_reopen_keeps_everything(tmp_path):
    path = tmp_path / "r.sqlite3"
    store = open_store(path)
    ensure_demo_site(store, history_hours=0.05)
    card = TicketService(store).create(title="南区 S4 压降", kind="leak", actor="dispatcher")
    TicketService(store).move(card.id, "dispatched", "dispatcher")
    store.close()
    again = open_store(path)
    assert TicketService(again).get(card.id).status == "dispatched"
    with again.read() as c:
        assert c.exec_driver_sql("SELECT COUNT(*) FROM pipes").scalar() == 199
        assert c.exec_driver_sql("SELECT COUNT(*) FROM users").scalar() == 5
    assert verify_audit_chain(again) == (True, None)


def test_audit_log_is_append_only_and_tampering_is_found(tmp_path):
    store = open_store(tmp_path / "au.sqlite3")
    import_network(store, demo_site_path())
    svc = TicketService(store)
    card = svc.create(title="t", kind="leak", actor="dispatcher")
    svc.move(card.id, "dispatched", "dispatcher")
    with store.begin() as c, pytest.raises(Exception, match="append-only"):
        c.exec_driver_sql("UPDATE audit_log SET actor = 'mallory'")
    with store.begin() as c, pytest.raises(Exception, match="append-only"):
        c.exec_driver_sql("DELETE FROM audit_log")
    store.close()
    # Someone edits the file directly, bypassing the triggers.
    with sqlite3.connect(tmp_path / "au.sqlite3") as con:
        con.execute("DROP TRIGGER audit_log_no_update")
        con.execute("UPDATE audit_log SET actor = 'mallory' WHERE id = 2")
    store = open_store(tmp_path / "au.sqlite3")
    assert verify_audit_chain(store) == (False, 2)


def test_ticket_moves_write_history_and_audit(tmp_path):
    store = open_store(tmp_path / "tk.sqlite3")
    svc = TicketService(store)
    card = svc.create(title="异味快报 3栋", kind="odor", actor="dispatcher")
    assert card.column == "pending"
    moved = svc.move_to_column(card.id, "active", "dispatcher")
    assert moved.status == "dispatched" and moved.column == "active"
    detail = svc.detail(card.id)
    assert [(h.from_status, h.to_status) for h in detail.history] == [(None, "alarm"), ("alarm", "dispatched")]
    with store.read() as c:
        rows = c.exec_driver_sql("SELECT action, detail FROM audit_log WHERE entity_id = ? ORDER BY id",
                                 (card.id,)).fetchall()
    assert [r[0] for r in rows] == ["ticket.create", "ticket.move"]
    assert json.loads(rows[1][1])["to"] == "dispatched"
    svc.move(card.id, "closed", "dispatcher")
    with pytest.raises(WorkflowError, match="closed"):
        svc.move(card.id, "handling", "dispatcher")


def test_telemetry_round_trip_dedup_and_compaction(tmp_path):
    store = open_store(tmp_path / "tel.sqlite3")
    repo = TelemetryRepo(store)
    t0 = 1_790_000_040.0  # on a minute boundary
    rows = [(t0 + i, "PT-01", "pressure_kpa", 150.0 + 0.001 * i, 0) for i in range(7200)]
    repo.insert(rows)
    repo.insert(rows[:100])  # re-delivered samples are not duplicated
    t, v = repo.series("PT-01", t0, t0 + 7200)
    assert len(t) == 7200 and v[10] == pytest.approx(150.01)
    folded = repo.compact(t0 + 7200, retention_s=3600)
    assert folded == 3600
    t, v = repo.series("PT-01", t0, t0 + 7200)
    assert len(t) == 60 + 3600  # minute means for the first hour, raw after
    assert np.all(np.diff(t) > 0)
    assert v[0] == pytest.approx(np.mean([150.0 + 0.001 * i for i in range(60)]), abs=1e-6)


def test_malformed_import_leaves_the_database_unchanged(tmp_path):
    store = open_store(tmp_path / "imp.sqlite3")
    import_network(store, demo_site_path())
    doc = json.loads(demo_site_path().read_text(encoding="utf-8"))
    next(f for f in doc["features"] if f["properties"]["type"] == "pipe")["properties"]["to"] = "NOWHERE"
    bad = tmp_path / "bad.geojson"
    bad.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(StoreError, match="NOWHERE"):
        import_network(store, bad)
    with store.read() as c:
        assert c.exec_driver_sql("SELECT COUNT(*) FROM pipes").scalar() == 199


def test_retired_ids_are_never_reused(tmp_path):
    store = open_store(tmp_path / "ids.sqlite3")
    import_network(store, demo_site_path())
    doc = json.loads(demo_site_path().read_text(encoding="utf-8"))
    cams = [f for f in doc["features"] if f["properties"]["type"] == "camera"]
    doc["features"].remove(cams[0])
    smaller = tmp_path / "smaller.geojson"
    smaller.write_text(json.dumps(doc), encoding="utf-8")
    import_network(store, smaller)
    with pytest.raises(StoreError, match="never reused"):
        import_network(store, demo_site_path())


def test_the_network_model_survives_its_source_file_moving(tmp_path):
    from anran_desktop.services.bootstrap import load_network_from_store

    src = tmp_path / "site.geojson"
    src.write_bytes(demo_site_path().read_bytes())
    store = open_store(tmp_path / "m.sqlite3")
    import_network(store, src)
    src.unlink()
    net = load_network_from_store(store)
    assert len(net.pipes) == 199 and net.site["name"] == "星海花园"

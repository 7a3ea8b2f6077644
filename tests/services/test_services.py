"""Services over a real store: users, alarms/events, audit, CSV import, live pipeline, simulator."""

import asyncio
import hashlib

import numpy as np
import pytest

from anran_desktop.ingest.base import SourceState
from anran_desktop.ingest.csv_replay import CsvReplaySource, ReadingsError, import_csv
from anran_desktop.ingest.simulator import SimulatorSource
from anran_desktop.resources import demo_site_path
from anran_desktop.services.audit import AuditService
from anran_desktop.services.events import AlarmService, EventService
from anran_desktop.services.live import LivePipeline, Ring
from anran_desktop.services.telemetry import TelemetryService
from anran_desktop.services.tickets import TicketService
from anran_desktop.services.users import UserService
from anran_desktop.store import open_store
from engine.geojson_io import load_network

CSV = "time,point,quantity,value\n"


@pytest.fixture
def store(tmp_path):
    s = open_store(tmp_path / "s.sqlite3")
    yield s
    s.close()


def test_users_hash_passwords_and_check_roles(store):
    users = UserService(store)
    u = users.create("li", "李工", "crew", password="s3cret")
    assert u.role == "crew" and u.active
    assert users.authenticate("li", "s3cret") == u
    assert users.authenticate("li", "wrong") is None
    assert users.authenticate("nobody", "s3cret") is None
    with store.read() as c:
        stored = c.exec_driver_sql("SELECT password_hash FROM users WHERE username='li'").scalar()
    assert stored.startswith("scrypt$") and "s3cret" not in stored
    with pytest.raises(ValueError, match="taken"):
        users.create("li", "again", "crew", password="x")
    with pytest.raises(ValueError, match="unknown role 'boss'"):
        users.create("wang", "王", "boss", password="x")
    assert [x.username for x in users.list("crew")] == ["li"]


def test_alarm_lifecycle_writes_events_and_audit(store):
    alarms = AlarmService(store)
    a = alarms.raise_alarm(kind="leak", level=2, title="南区 S3 疑似泄漏", location={"pipes": ["P-031"]})
    assert a.state == "active" and a.id.startswith("AL-")
    feed = EventService(store).recent(10)
    assert feed[0].alarm_id == a.id and feed[0].severity == "critical"
    assert feed[0].location == {"pipes": ["P-031"]}
    assert alarms.acknowledge(a.id, "dispatcher").state == "acked"
    assert [x.id for x in alarms.active()] == [a.id]
    assert alarms.clear(a.id, "dispatcher").state == "cleared"
    assert alarms.active() == []
    actions = [e.action for e in AuditService(store).recent(entity="alarm", entity_id=a.id)]
    assert actions == ["alarm.cleared", "alarm.acked", "alarm.raise"]
    with pytest.raises(ValueError, match="severity"):
        EventService(store).add(kind="x", severity="apocalyptic", title="t")


def test_audit_service_verifies_and_finds_tampering(store, tmp_path):
    tickets = TicketService(store)
    card = tickets.create(title="居民报气味", kind="odor", actor="dispatcher")
    tickets.move(card.id, "dispatched", "dispatcher")
    check = AuditService(store).verify()
    assert check.ok and check.first_bad_id is None and check.rows == 2
    # Edit the file behind the app's back (triggers dropped first, as an attacker would).
    with store.begin() as c:
        c.exec_driver_sql("DROP TRIGGER IF EXISTS audit_log_no_update")
        first = c.exec_driver_sql("SELECT MIN(id) FROM audit_log").scalar()
        c.exec_driver_sql("UPDATE audit_log SET actor='someone_else' WHERE id=?", (first,))
    check = AuditService(store).verify()
    assert not check.ok and check.first_bad_id == first


def test_import_csv_is_all_or_nothing(store, tmp_path):
    good = tmp_path / "good.csv"
    good.write_text(CSV + "2026-11-24T08:00:00Z,PT-01,pressure_kpa,201.5\n"
                    "2026-11-24T08:00:01Z,PT-01,pressure_kpa,201.7\n"
                    "2026-11-24T08:00:00Z,FT-IN,flow_m3h,88.0\n", encoding="utf-8")
    assert import_csv(store, good) == 3
    tel = TelemetryService(store)
    t, v = tel.series("PT-01", 0, 2e9)
    assert v.tolist() == [201.5, 201.7] and np.diff(t).tolist() == [1.0]

    bad = tmp_path / "bad.csv"
    bad.write_text(CSV + "2026-11-24T09:00:00Z,PT-02,pressure_kpa,200\n"
                   "2026-11-24T09:00:01Z,PT-02,pressure_kpa,abc\n", encoding="utf-8")
    before = hashlib.sha256(store.path.read_bytes()).hexdigest()
    with pytest.raises(ReadingsError, match=r"bad\.csv: line 3: value 'abc' is not a number"):
        import_csv(store, bad)
    assert tel.series("PT-02", 0, 2e9)[0].size == 0
    assert hashlib.sha256(store.path.read_bytes()).hexdigest() == before

    header = tmp_path / "header.csv"
    header.write_text("t,p,q,v\n", encoding="utf-8")
    with pytest.raises(ReadingsError, match="line 1"):
        import_csv(store, header)


def test_ring_keeps_the_newest_in_order():
    r = Ring(4)
    for i in range(6):
        r.push(float(i), 10.0 * i)
    t, v = r.arrays()
    assert t.tolist() == [2.0, 3.0, 4.0, 5.0] and v.tolist() == [20.0, 30.0, 40.0, 50.0]


def test_live_pipeline_replays_csv_into_store_rings_and_callbacks(store, tmp_path):
    path = tmp_path / "replay.csv"
    rows = [f"2026-11-24T08:00:{s:02d}Z,PT-01,pressure_kpa,{200 + s * 0.1:.1f}" for s in range(20)]
    path.write_text(CSV + "\n".join(rows) + "\n", encoding="utf-8")
    tel = TelemetryService(store)
    source = CsvReplaySource(path, speed=0)
    pipe = LivePipeline(tel, source, ring_seconds=10)
    seen = []
    pipe.on_batch(lambda b: seen.append(len(b)))

    async def main():
        await pipe.start()

    asyncio.run(main())
    assert source.status.state == SourceState.FINISHED
    assert pipe.batches == 20 and pipe.samples == 20 and sum(seen) == 20 and pipe.write_errors == 0
    t, v = pipe.ring("PT-01").arrays()
    assert len(t) == 10 and v[-1] == pytest.approx(201.9) and np.all(np.diff(t) == 1.0)
    st, sv = tel.series("PT-01", 0, 2e9)
    assert len(st) == 20 and sv[0] == pytest.approx(200.0)
    assert tel.latest(["PT-01", "NOPE"]) == {"PT-01": (st[-1], pytest.approx(201.9))}


def test_csv_replay_source_reports_a_bad_file(tmp_path):
    path = tmp_path / "broken.csv"
    path.write_text(CSV + "yesterday,PT-01,pressure_kpa,1\n", encoding="utf-8")
    source = CsvReplaySource(path, speed=0)
    with pytest.raises(ReadingsError, match="line 2"):
        asyncio.run(source.start())
    assert source.status.state == SourceState.FAILED and "line 2" in source.status.message


def test_simulator_source_feeds_demo_site_points(store):
    network = load_network(demo_site_path())
    source = SimulatorSource(network, seed=3, rate_hz=20.0)
    tel = TelemetryService(store)
    pipe = LivePipeline(tel, source, ring_seconds=60)

    async def main():
        task = pipe.start()
        while pipe.batches < 3 and not task.done():
            await asyncio.sleep(0.02)
        await pipe.stop()

    asyncio.run(asyncio.wait_for(main(), 30))
    assert pipe.batches >= 3 and pipe.write_errors == 0
    assert set(pipe.rings) and set(pipe.rings) <= set(network.sensors)
    pressures = [r.arrays()[1] for p, r in pipe.rings.items() if p.startswith("PT")]
    assert pressures and all(np.all((v > 0) & (v < 1000)) for v in pressures)
    latest = tel.latest(list(pipe.rings))
    assert set(latest) == set(pipe.rings)


def test_backfill_gives_every_sensor_a_continuous_history(store):
    from anran_desktop.services.bootstrap import backfill_history

    network = load_network(demo_site_path())
    now = 1_795_000_000.0
    n = backfill_history(store, network, hours=2.0, seed=5, step_s=10.0, now=now, solve_every_s=900.0)
    assert n == 720 * len(network.sensors)
    tel = TelemetryService(store)
    for sid, sensor in network.sensors.items():
        t, v = tel.series(sid, now - 7200, now)
        assert len(t) == 720 and t[0] == now - 7200 and t[-1] == now - 10
        assert np.all(np.isfinite(v))
        if sensor.quantity == "pressure_kpa":
            # interpolation between solves leaves no steps: neighbours differ by noise only
            assert np.max(np.abs(np.diff(v))) < 0.5 and 50 < v.mean() < 500
        else:
            assert v.min() > 0


def test_simulator_speedup_runs_simulated_time_faster(store):
    import time

    network = load_network(demo_site_path())
    source = SimulatorSource(network, seed=1, rate_hz=1.0, speedup=40.0)
    assert "×40" in source.describe()
    stamps = []

    async def main():
        async with source:
            async for batch in source.batches():
                stamps.append(batch[0].time)
                if len(stamps) == 6:
                    break

    t0 = time.monotonic()
    asyncio.run(asyncio.wait_for(main(), 30))
    wall = time.monotonic() - t0
    assert np.diff(stamps).tolist() == [1.0] * 5  # one simulated second apart …
    assert wall < 4.0  # … delivered 40× faster than real time (5 s of feed), with slack for a busy machine
    with pytest.raises(ValueError, match="speedup"):
        SimulatorSource(network, speedup=0)


def test_retention_setting_and_compaction_job_in_the_pipeline(store, tmp_path):
    tel = TelemetryService(store)
    assert tel.retention_s() == 7 * 86400
    with pytest.raises(ValueError, match="at least 1 hour"):
        tel.set_retention_days(0.01)
    tel.set_retention_days(1 / 12)  # two hours
    assert tel.retention_s() == pytest.approx(7200)
    # 3 h of data every 10 s: the oldest hour must fold into minute means once the job runs.
    path = tmp_path / "three_hours.csv"
    start = 1_794_999_960  # on a minute boundary
    import datetime as dt
    lines = [f"{dt.datetime.fromtimestamp(start + 10 * i, dt.UTC).isoformat()},PT-01,pressure_kpa,{200 + i % 6}"
             for i in range(3 * 360)]
    path.write_text(CSV + "\n".join(lines) + "\n", encoding="utf-8")
    pipe = LivePipeline(tel, CsvReplaySource(path, speed=0), ring_seconds=60, compact_every_s=0.0)
    asyncio.run(pipe.run())
    assert pipe.compactions > 0 and pipe.compacted_rows >= 350
    with store.read() as c:
        raw = c.exec_driver_sql("SELECT COUNT(*) FROM telemetry").scalar()
        minutes = c.exec_driver_sql("SELECT vmin, vmean, vmax, n FROM telemetry_minute ORDER BY t_min").fetchall()
    assert raw + sum(m[3] for m in minutes) == 3 * 360  # nothing lost, nothing counted twice
    assert minutes[0] == (200, pytest.approx(202.5), 205, 6)
    t, v = tel.series("PT-01", start, start + 3 * 3600)
    assert np.all(np.diff(t) > 0)  # minute means first, then raw, in time order
    assert len(t) == len(minutes) + raw


def test_series_mixes_minute_means_and_raw_within_the_window(store):
    from anran_desktop.ingest.base import Sample

    tel = TelemetryService(store)
    t0 = 1_794_999_960.0  # minute boundary
    tel.insert([Sample(t0 + i, "PT-09", "pressure_kpa", float(i)) for i in range(600)])  # 10 minutes
    folded = tel.compact(t0 + 600, retention_s=300)  # the first 5 minutes become minute means
    assert folded == 300
    t, v = tel.series("PT-09", t0 + 90, t0 + 400)
    assert t[0] >= t0 + 90 and t[-1] <= t0 + 400 and np.all(np.diff(t) > 0)
    means = t < t0 + 300
    # mid-minute stamps of minutes 1–4 (minute 0's mid-point lies before the window)
    assert t[means].tolist() == [t0 + 90, t0 + 150, t0 + 210, t0 + 270]
    assert v[means].tolist() == [89.5, 149.5, 209.5, 269.5]
    assert t[~means][0] == t0 + 300 and len(t[~means]) == 101
    assert v.flags["C_CONTIGUOUS"] and v.dtype == np.float64


def test_live_feed_continues_the_backfilled_history_without_a_step(store):
    """The demo's live simulator picks up the history's demand state (and the last run's, on exit)."""
    from anran_desktop.services.bootstrap import backfill_history, save_sim_state, stored_sim_state

    network = load_network(demo_site_path())
    now = 1_795_000_000.0
    backfill_history(store, network, hours=6.0, seed=7, step_s=10.0, now=now, solve_every_s=900.0)
    state = stored_sim_state(store)
    assert state is not None and state["time"] == now
    tel = TelemetryService(store)
    _t, hist = tel.series("FT-IN", now - 60, now)

    def first_minute(source):
        return np.mean([next(s.value for s in source.snapshot(now + k) if s.point == "FT-IN") for k in range(60)])

    continued = first_minute(SimulatorSource(network, seed=7, state=state))
    afresh = first_minute(SimulatorSource(network, seed=7))
    # What is left is the feed's own minute-to-minute drift and noise; afresh it starts at its first draw.
    assert abs(continued / hist.mean() - 1) < 0.01 < abs(afresh / hist.mean() - 1)
    save_sim_state(store, {"time": now + 60, "factors": {}})
    assert stored_sim_state(store) == {"time": now + 60, "factors": {}}
    store.set_setting("sim_state", "{not json")
    assert stored_sim_state(store) is None  # unreadable: the feed starts afresh, the app still opens

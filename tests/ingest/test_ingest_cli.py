"""``anran ingest check|run|health`` end to end (file + MQTT sources into a store)."""

from __future__ import annotations

import json

import numpy as np
from ingest_peers import Mosquitto

from anran_desktop.cli import main
from anran_desktop.ingest.config import ConfigError, load_config
from anran_desktop.services.telemetry import TelemetryService
from anran_desktop.store import open_store


def write_site(tmp_path, port=1883):
    (tmp_path / "export.csv").write_text("time,PT07\n2026-11-24T08:00:00,301.5\n2026-11-24T08:00:01,xx\n"
                                         "2026-11-24T08:00:02,302.0\n")
    cfg = {"site": "星海花园", "sources": [
        {"kind": "scada_csv", "name": "export", "path": "export.csv",
         "columns": [{"column": "PT07", "point": "PT-07"}]},
        {"kind": "mqtt", "name": "iot", "port": port, "reconnect": {"initial_s": 0.2, "max_s": 0.5},
         "topics": [{"topic": "xh/+/p", "point": "{1}", "value": "v", "time": "ts"}]}]}
    p = tmp_path / "site.json"
    p.write_text(json.dumps(cfg, ensure_ascii=False))
    return p


def test_check_ok_and_errors_say_where(tmp_path, capsys):
    p = write_site(tmp_path)
    assert main(["ingest", "check", str(p)]) == 0
    out = capsys.readouterr().out
    assert "2 source(s)" in out and "scada_csv" in out and "mqtt" in out
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"sources": [{"kind": "modbus", "name": "m", "port": 70000, "registers": []}]}))
    assert main(["ingest", "check", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "sources.0.modbus.port" in err and "sources.0.modbus.registers" in err
    (tmp_path / "broken.json").write_text("{\n  \"sources\": [,]\n}")
    assert main(["ingest", "check", str(tmp_path / "broken.json")]) == 2
    assert "line 2" in capsys.readouterr().err
    dup = json.loads(p.read_text())
    dup["sources"][1]["name"] = "export"
    (tmp_path / "dup.json").write_text(json.dumps(dup))
    try:
        load_config(tmp_path / "dup.json")
    except ConfigError as exc:
        assert "export" in str(exc)
    else:
        raise AssertionError("duplicate names accepted")


def test_run_file_and_live_sources_into_store_then_health(tmp_path, capsys):
    broker = Mosquitto(tmp_path)
    broker.start()
    try:
        p = write_site(tmp_path, broker.port)
        db = tmp_path / "a.db"
        assert main(["ingest", "run", str(p), "--db", str(db), "--seconds", "1.5", "--json"]) == 0
    finally:
        broker.stop()
    report = {r["source"]: r for r in json.loads(capsys.readouterr().out)}
    assert report["export"]["state"] == "finished" and report["export"]["stored"] == 2
    assert report["export"]["rejects_by_reason"] == {"wrong_type": 1}
    assert report["iot"]["state"] == "stopped"
    store = open_store(db)
    t, v = TelemetryService(store).series("PT-07", 0, 2e9)
    store.close()
    assert np.array_equal(v, [301.5, 302.0]) and t[1] - t[0] == 2.0
    assert main(["ingest", "health", "--db", str(db), "--now", str(t[-1] + 1), "--json"]) == 0
    h = json.loads(capsys.readouterr().out)
    assert set(h) == {"PT-07"} and 0 <= h["PT-07"]["score"] <= 100


def test_run_missing_broker_is_reported_not_fatal(tmp_path, capsys):
    p = write_site(tmp_path, port=1)  # nothing listens there
    assert main(["ingest", "run", str(p), "--db", str(tmp_path / "b.db"), "--seconds", "1.0", "--json"]) == 0
    report = {r["source"]: r for r in json.loads(capsys.readouterr().out)}
    assert report["iot"]["reconnects"] >= 1 and report["export"]["stored"] == 2

"""``anran app --ingest SITE.json``: the desktop runs the site's configured live sources (a real MQTT
broker here), keeps the configuration for the next start without the flag, and refuses a malformed one
with the field named while it keeps running on what it had."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time

import numpy as np
import paho.mqtt.client as mqtt
import pytest
from ingest_peers import Mosquitto

from anran_desktop.services.bootstrap import ensure_demo_site
from anran_desktop.services.site_ingest import SETTING
from anran_desktop.services.telemetry import TelemetryService
from anran_desktop.store import open_store

VALUE = 123.456  # far from the demo site's ~149 kPa, so the broker's samples are easy to tell apart


@pytest.fixture
def broker(tmp_path):
    b = Mosquitto(tmp_path)
    b.start()
    stop = threading.Event()
    pub = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
    pub.connect("127.0.0.1", b.port)
    pub.loop_start()

    def publish() -> None:
        while not stop.is_set():
            pub.publish("xh/PT-04/p", json.dumps({"v": VALUE}), qos=1)
            time.sleep(0.2)

    th = threading.Thread(target=publish, daemon=True)
    th.start()
    yield b
    stop.set()
    th.join()
    pub.loop_stop()
    pub.disconnect()
    b.stop()


def _site(tmp_path, port, name="site.json") -> str:
    doc = {"site": "星海花园", "sources": [{"kind": "mqtt", "name": "iot", "host": "127.0.0.1", "port": port,
                                          "topics": [{"topic": "xh/+/p", "point": "{1}", "value": "v"}]}]}
    (tmp_path / name).write_text(json.dumps(doc), encoding="utf-8")
    return str(tmp_path / name)


def _app(db, png, *extra: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([sys.executable, "-m", "anran_desktop", "app", "--db", str(db), "--screenshot", str(png),
                           "--screenshot-delay", "2.5", *extra], capture_output=True, text=True, env=env, timeout=180)


def _broker_samples(db) -> int:
    store = open_store(db)
    try:
        _t, v = TelemetryService(store).series("PT-04", time.time() - 3600, time.time() + 60)
        return int(np.count_nonzero(np.isclose(v, VALUE)))
    finally:
        store.close()


def test_app_runs_keeps_and_refuses_site_configurations(tmp_path, broker):
    db = tmp_path / "anran.sqlite3"
    store = open_store(db)
    ensure_demo_site(store, history_hours=0.2)
    store.close()
    png = tmp_path / "app.png"
    # 1. --ingest: the broker's samples reach the store; the configuration is kept.
    r = _app(db, png, "--ingest", _site(tmp_path, broker.port))
    assert r.returncode == 0, r.stderr
    assert "saved for this site" in r.stderr
    first = _broker_samples(db)
    assert first >= 5, r.stderr
    store = open_store(db)
    kept = store.setting(SETTING)
    store.close()
    assert kept and json.loads(kept)["sources"][0]["port"] == broker.port
    # 2. Next start without the flag: the stored configuration runs again.
    r = _app(db, png)
    assert r.returncode == 0, r.stderr
    assert "using the stored ingest configuration (星海花园, 1 source(s))" in r.stderr
    second = _broker_samples(db)
    assert second >= first + 5
    # 3. A malformed file is refused naming the field; the stored one keeps running and stays stored.
    bad = tmp_path / "bad.json"
    doc = json.loads((tmp_path / "site.json").read_text(encoding="utf-8"))
    doc["sources"][0]["port"] = 70000
    bad.write_text(json.dumps(doc), encoding="utf-8")
    r = _app(db, png, "--ingest", str(bad))
    assert r.returncode == 0, r.stderr
    assert "ingest configuration refused" in r.stderr and "sources.0.mqtt.port" in r.stderr
    assert "keeping the stored ingest configuration" in r.stderr
    assert _broker_samples(db) >= second + 5
    store = open_store(db)
    assert store.setting(SETTING) == kept
    store.close()
    # 4. An explicit --source still wins over the stored configuration (drills, replays).
    r = _app(db, png, "--source", "simulator")
    assert r.returncode == 0 and "stored ingest configuration" not in r.stderr

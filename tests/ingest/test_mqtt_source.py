"""MQTT source against a real Mosquitto broker on 127.0.0.1 started by the test."""

from __future__ import annotations

import asyncio
import json
import time

import numpy as np
import paho.mqtt.client as mqtt
import pytest
from ingest_peers import Mosquitto, wait_for

from anran_desktop.ingest.base import SourceState
from anran_desktop.ingest.config import MqttSourceConfig, ReconnectConfig
from anran_desktop.ingest.mqtt_source import MqttSource
from anran_desktop.services.live import LivePipeline
from anran_desktop.services.telemetry import TelemetryService
from anran_desktop.store import open_store

FAST = ReconnectConfig(initial_s=0.2, max_s=0.5, jitter=0.2)


def config(port: int) -> MqttSourceConfig:
    return MqttSourceConfig.model_validate({
        "name": "iot", "port": port, "client_id": "anran-test", "reconnect": FAST.model_dump(),
        "topics": [{"topic": "xh/+/p", "point": "{1}", "quantity": "pressure_kpa", "value": "v",
                    "time": "ts", "valid_min": -5, "valid_max": 600}],
    })


def publisher(port: int) -> mqtt.Client:
    c = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="pub")
    c.connect("127.0.0.1", port)
    c.loop_start()
    return c


def publish(c: mqtt.Client, topic: str, payload: bytes | str) -> None:
    c.publish(topic, payload, qos=1).wait_for_publish(5)


def test_flows_into_store_survives_broker_restart_without_duplicates(tmp_path):
    broker = Mosquitto(tmp_path)
    broker.start()
    store = open_store(tmp_path / "t.db")
    tel = TelemetryService(store)
    t0 = 1_790_000_000.0

    async def main() -> MqttSource:
        src = MqttSource(config(broker.port))
        pipe = LivePipeline(tel, src)
        pipe.start()
        await wait_for(lambda: src.status.state == SourceState.RUNNING, what="connected")
        pub = publisher(broker.port)
        for i in range(20):
            publish(pub, "xh/PT-01/p", json.dumps({"v": 300 + i, "ts": t0 + i}))
        await wait_for(lambda: pipe.samples >= 20, what="first 20 samples")
        pub.loop_stop()
        pub.disconnect()

        broker.stop()  # outage
        await wait_for(lambda: src.status.state in (SourceState.RECONNECTING, SourceState.CONNECTING),
                       what="reconnecting state")
        assert src.status.message  # says why
        await asyncio.sleep(1.0)
        broker.start()
        await wait_for(lambda: src.status.state == SourceState.RUNNING, timeout=15, what="resumed")
        pub = publisher(broker.port)
        for i in range(15, 20):  # re-delivered old messages
            publish(pub, "xh/PT-01/p", json.dumps({"v": 300 + i, "ts": t0 + i}))
        for i in range(40, 50):
            publish(pub, "xh/PT-01/p", json.dumps({"v": 300 + i, "ts": t0 + i}))
        await wait_for(lambda: src.status.last_sample_time == t0 + 49, what="samples after restart")
        await asyncio.sleep(0.4)
        pub.loop_stop()
        pub.disconnect()
        await pipe.stop()
        return src

    try:
        src = asyncio.run(main())
    finally:
        broker.stop()
    t, v = tel.series("PT-01", t0 - 1, t0 + 100)
    assert len(t) == 30 and len(np.unique(t)) == 30
    assert np.array_equal(t, np.r_[t0 + np.arange(20), t0 + np.arange(40, 50)])
    assert np.max(np.diff(t)) == 21.0  # the outage stays visible as a gap
    assert src.status.reconnects >= 1
    assert src.duplicates_dropped == 5
    assert src.status.state == SourceState.STOPPED
    store.close()


def test_malformed_payloads_are_counted_and_never_stop_ingestion(tmp_path):
    broker = Mosquitto(tmp_path)
    broker.start()
    cfg = config(broker.port)
    cfg.topics[0].topic = "xh/#"
    cfg.topics[0].point = "{field:id}"

    async def main() -> tuple[MqttSource, list]:
        src = MqttSource(cfg)
        got: list = []
        await src.start()

        async def drain() -> None:
            async for b in src.batches():
                got.extend(b)

        task = asyncio.ensure_future(drain())
        await wait_for(lambda: src.status.state == SourceState.RUNNING)
        pub = publisher(broker.port)
        bad = [
            ("xh/a", b"{not json"),  # bad_json
            ("xh/a", json.dumps({"id": "PT-02", "v": "high", "ts": 1})),  # wrong_type
            ("xh/a", json.dumps({"id": "PT-02", "v": True, "ts": 1})),  # wrong_type
            ("xh/a", json.dumps({"id": "PT-02", "v": 9999, "ts": 1})),  # out_of_range
            ("xh/a", json.dumps({"id": "PT-02", "ts": 1})),  # missing_field
            ("xh/a", json.dumps({"id": "PT-02", "v": 1, "ts": "yesterday"})),  # bad_time
            ("xh/a", b"\xff\xfe"),  # bad_json (not UTF-8)
        ]
        for topic, payload in bad:
            publish(pub, topic, payload)
        publish(pub, "xh/a", json.dumps({"id": "PT-02", "v": 301.5, "ts": "2026-11-24T10:00:00Z"}))
        await wait_for(lambda: len(got) == 1, what="the good sample")
        pub.loop_stop()
        pub.disconnect()
        await src.stop()
        await task
        return src, got

    try:
        src, got = asyncio.run(main())
    finally:
        broker.stop()
    assert got[0].point == "PT-02" and got[0].value == 301.5 and got[0].time == 1795514400.0
    assert src.status.rejects_by_reason == {"bad_json": 2, "wrong_type": 2, "out_of_range": 1,
                                            "missing_field": 1, "bad_time": 1}
    assert src.status.samples_rejected == 7


def test_clock_offset_of_a_device_running_ahead(tmp_path):
    broker = Mosquitto(tmp_path)
    broker.start()

    async def main() -> MqttSource:
        src = MqttSource(config(broker.port))
        await src.start()
        await wait_for(lambda: src.status.state == SourceState.RUNNING)
        pub = publisher(broker.port)
        for i in range(30):
            publish(pub, f"xh/PT-{i}/p", json.dumps({"v": 300, "ts": round(time.time() + 42.0, 3)}))
        await wait_for(lambda: src.status.samples_received == 30)
        pub.loop_stop()
        pub.disconnect()
        await src.stop()
        return src

    try:
        src = asyncio.run(main())
    finally:
        broker.stop()
    assert src.clock_offset() == pytest.approx(42.0, abs=0.5)


def test_unknown_topic_counted(tmp_path):
    broker = Mosquitto(tmp_path)
    broker.start()
    cfg = config(broker.port)
    cfg.subscribe = ["xh/#"]

    async def main() -> MqttSource:
        src = MqttSource(cfg)
        await src.start()
        await wait_for(lambda: src.status.state == SourceState.RUNNING)
        pub = publisher(broker.port)
        publish(pub, "xh/PT-03/p/extra", json.dumps({"v": 1, "ts": 1}))
        publish(pub, "xh/PT-03/q", json.dumps({"v": 1, "ts": 1}))
        publish(pub, "xh/PT-03/p", json.dumps({"v": 1, "ts": 1}))
        await wait_for(lambda: src.status.samples_received == 1)
        await asyncio.sleep(0.2)
        pub.loop_stop()
        pub.disconnect()
        await src.stop()
        return src

    try:
        src = asyncio.run(main())
    finally:
        broker.stop()
    assert src.status.rejects_by_reason == {"unknown_topic": 2}

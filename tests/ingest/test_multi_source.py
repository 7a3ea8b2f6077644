"""A site's sources as one feed: an MQTT broker and a SCADA CSV export together; the combined state
shows the worst member (the broker's outage), names it, and recovers when the broker is back."""

from __future__ import annotations

import asyncio
import json

import paho.mqtt.client as mqtt
from ingest_peers import Mosquitto, wait_for

from anran_desktop.ingest.base import SourceState
from anran_desktop.ingest.config import parse_config
from anran_desktop.services.live import LivePipeline
from anran_desktop.services.site_ingest import source_for
from anran_desktop.services.telemetry import TelemetryService
from anran_desktop.store import open_store


def _cfg(tmp_path, port: int):
    csv = tmp_path / "scada.csv"
    csv.write_text("时间,PT07\n2026-11-24 08:00:00,150.1\n2026-11-24 08:00:10,150.2\n", encoding="utf-8")
    return parse_config(json.dumps({"site": "星海花园", "sources": [
        {"kind": "mqtt", "name": "iot", "port": port, "reconnect": {"initial_s": 0.2, "max_s": 0.4},
         "topics": [{"topic": "xh/+/p", "point": "{1}", "value": "v", "time": "ts"}]},
        {"kind": "scada_csv", "name": "historian", "path": "scada.csv", "time_column": "时间",
         "columns": [{"column": "PT07", "point": "PT-07"}]}]}), base_dir=tmp_path)


def test_site_sources_merge_and_show_the_worst_state(tmp_path):
    broker = Mosquitto(tmp_path)
    broker.start()
    store = open_store(tmp_path / "t.db")
    source = source_for(_cfg(tmp_path, broker.port))
    pipe = LivePipeline(TelemetryService(store), source)
    seen: list[tuple[str, str, str]] = []

    async def main() -> None:
        pipe.start()
        await wait_for(lambda: source.members[0].status.state == SourceState.RUNNING, what="broker connected")
        pub = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
        pub.connect("127.0.0.1", broker.port)
        pub.loop_start()
        for i in range(5):
            pub.publish("xh/PT-01/p", json.dumps({"v": 150 + i, "ts": 1_790_000_000 + i}), qos=1).wait_for_publish(5)
        pub.loop_stop()
        pub.disconnect()
        await wait_for(lambda: pipe.samples >= 7, what="MQTT and CSV samples")
        st = source.status
        seen.append((st.state.value, st.message, source.describe()))
        broker.stop()
        await wait_for(lambda: source.status.state in (SourceState.RECONNECTING, SourceState.CONNECTING),
                       what="outage visible")
        st = source.status
        seen.append((st.state.value, st.message, source.describe()))
        broker.start()
        await wait_for(lambda: source.status.state == SourceState.RUNNING, timeout=15, what="back")
        seen.append((source.status.state.value, source.status.message, ""))
        await pipe.stop()

    try:
        asyncio.run(main())
    finally:
        broker.stop()
        store.close()
    running, outage, back = seen
    # The finished CSV export does not hide the live broker: the site is "running".
    assert running[0] == "running" and "MQTT iot" in running[2] and "historian" in running[2]
    assert outage[0] in ("reconnecting", "connecting") and outage[1].startswith("iot: ")
    assert back[0] == "running"
    assert source.status.samples_received == 7 and pipe.samples == 7
    assert source.status.state == SourceState.STOPPED

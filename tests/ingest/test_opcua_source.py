"""OPC UA source against an in-process asyncua server on 127.0.0.1."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime

import numpy as np
from asyncua import Server, ua
from ingest_peers import free_port, wait_for

from anran_desktop.ingest.base import SourceState
from anran_desktop.ingest.config import OpcUaSourceConfig
from anran_desktop.ingest.opcua_source import OpcUaSource
from anran_desktop.services.live import LivePipeline
from anran_desktop.services.telemetry import TelemetryService
from anran_desktop.store import open_store

logging.getLogger("asyncua").setLevel(logging.ERROR)


class Peer:
    def __init__(self, port: int) -> None:
        self.url = f"opc.tcp://127.0.0.1:{port}/anran/"
        self.server: Server | None = None
        self.vars: dict[str, object] = {}

    async def start(self) -> None:
        s = Server()
        await s.init()
        s.set_endpoint(self.url)
        idx = await s.register_namespace("urn:anran:test")
        obj = await s.nodes.objects.add_object(idx, "RTU")
        for name in ("PT07", "FT01", "TXT"):
            init = "x" if name == "TXT" else 0.0
            self.vars[name] = await obj.add_variable(ua.NodeId(name, idx), name, init)
        await s.start()
        self.server = s

    async def write(self, name: str, value: float | str, t: float) -> None:
        dv = ua.DataValue(ua.Variant(value, ua.VariantType.String if isinstance(value, str) else ua.VariantType.Double),
                          SourceTimestamp=datetime.fromtimestamp(t, UTC))
        await self.vars[name].write_value(dv)

    async def stop(self) -> None:
        if self.server is not None:
            await self.server.stop()
            self.server = None


def test_subscribes_into_store_and_resumes_after_server_restart(tmp_path):
    port = free_port()
    peer = Peer(port)
    store = open_store(tmp_path / "o.db")
    tel = TelemetryService(store)
    t0 = 1_900_000_000.0  # after the servers' own start-up time stamps on the initial values
    cfg = OpcUaSourceConfig.model_validate({
        "name": "scada", "url": peer.url, "publishing_interval_ms": 50,
        "reconnect": {"initial_s": 0.2, "max_s": 0.5, "jitter": 0.1},
        "nodes": [{"node_id": "ns=2;s=PT07", "point": "PT-07", "quantity": "pressure_kpa", "valid_max": 1000},
                  {"node_id": "ns=2;s=FT01", "point": "FT-01", "quantity": "flow_m3h", "scale": 0.5},
                  {"node_id": "ns=2;s=TXT", "point": "T-1"},
                  {"node_id": "ns=2;s=NOPE", "point": "N-1"}]})

    async def main() -> OpcUaSource:
        try:
            return await scenario()
        finally:
            await peer.stop()

    async def scenario() -> OpcUaSource:
        await peer.start()
        src = OpcUaSource(cfg)
        pipe = LivePipeline(tel, src)
        pipe.start()
        await wait_for(lambda: src.status.state == SourceState.RUNNING, what="subscribed")
        for i in range(1, 11):
            await peer.write("PT07", 300.0 + i, t0 + i)
            await peer.write("FT01", 100.0 + i, t0 + i)
            await asyncio.sleep(0.08)
        await peer.write("PT07", 5000.0, t0 + 11)  # implausible
        await peer.write("TXT", "hello", t0 + 11)  # wrong type
        await wait_for(lambda: src.status.last_sample_time == t0 + 10, what="first 10")
        await wait_for(lambda: src.status.rejects_by_reason.get("out_of_range") == 1, what="range reject")
        await peer.stop()
        await wait_for(lambda: src.status.state != SourceState.RUNNING, what="outage seen")
        await asyncio.sleep(0.5)
        await peer.start()
        await wait_for(lambda: src.status.state == SourceState.RUNNING, timeout=20, what="resumed")
        for i in range(30, 36):
            await peer.write("PT07", 300.0 + i, t0 + i)
            await asyncio.sleep(0.08)
        await wait_for(lambda: src.status.last_sample_time == t0 + 35, what="after restart")
        await src.stop()
        await wait_for(lambda: pipe.samples == src.status.samples_received, what="pipeline caught up")
        await pipe.stop()
        return src

    src = asyncio.run(main())
    t, v = tel.series("PT-07", t0 + 1, t0 + 100)  # initial values after (re)subscribe carry their own times
    assert np.array_equal(t, t0 + np.r_[1:11, 30:36]) and np.array_equal(v, 300 + np.r_[1:11, 30:36])
    tf, vf = tel.series("FT-01", t0 + 1, t0 + 100)
    assert np.allclose(vf, 0.5 * (100 + np.arange(1, 11)))
    assert src.status.rejects_by_reason.get("out_of_range") == 1
    assert src.status.rejects_by_reason.get("wrong_type", 0) >= 1
    assert src.status.rejects_by_reason.get("unknown_node", 0) >= 1
    assert src.status.reconnects >= 1
    store.close()

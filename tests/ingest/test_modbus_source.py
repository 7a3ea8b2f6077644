"""Modbus TCP source against an in-process pymodbus server on 127.0.0.1."""


from __future__ import annotations

import asyncio
import contextlib

import numpy as np
import pytest
from ingest_peers import free_port, wait_for
from pymodbus.datastore import ModbusDeviceContext, ModbusSequentialDataBlock, ModbusServerContext
from pymodbus.server import ModbusTcpServer

from anran_desktop.ingest.base import SourceState
from anran_desktop.ingest.config import ModbusSourceConfig
from anran_desktop.ingest.mapping import MappingError, decode_registers, encode_registers
from anran_desktop.ingest.modbus_source import ModbusSource
from anran_desktop.services.live import LivePipeline
from anran_desktop.services.telemetry import TelemetryService
from anran_desktop.store import open_store


@pytest.mark.parametrize("dtype,value", [("int16", -1234), ("uint16", 65000), ("int32", -70000),
                                         ("uint32", 4_000_000_000), ("float32", 312.5), ("float64", -1.25e-3)])
@pytest.mark.parametrize("order", ["big", "little"])
def test_register_codec_round_trip(dtype, value, order):
    assert decode_registers(encode_registers(value, dtype, order), dtype, order) == pytest.approx(value)


def test_word_order_matters_and_known_encoding():
    regs = encode_registers(312.5, "float32", "big")
    assert regs == [0x439C, 0x4000]  # IEEE 754 of 312.5
    assert decode_registers([0x4000, 0x439C], "float32", "little") == 312.5
    with pytest.raises(MappingError):
        decode_registers([1], "float32")


class Server:
    def __init__(self, port: int) -> None:
        self.port = port
        self.regs = {3: [0] * 64, 4: [0] * 64}  # holding, input
        self.server: ModbusTcpServer | None = None
        self.task: asyncio.Task | None = None

    def set(self, fc: int, address: int, regs: list[int]) -> None:
        """Register values for the next start (pymodbus 3.16 builds its register image at start-up)."""
        self.regs[fc][address:address + len(regs)] = regs

    async def start(self) -> None:
        dev = ModbusDeviceContext(hr=ModbusSequentialDataBlock(1, list(self.regs[3])),
                                  ir=ModbusSequentialDataBlock(1, list(self.regs[4])))
        self.server = ModbusTcpServer(ModbusServerContext(devices=dev, single=True), address=("127.0.0.1", self.port))
        self.task = asyncio.ensure_future(self.server.serve_forever())
        await asyncio.sleep(0.2)

    async def stop(self) -> None:
        if self.server is not None:
            await self.server.shutdown()
            self.server = None
        if self.task is not None:
            self.task.cancel()
            with contextlib.suppress(BaseException):
                await self.task


def test_polls_scaled_registers_into_store_and_resumes_after_restart(tmp_path):
    port = free_port()
    cfg = ModbusSourceConfig.model_validate({
        "name": "rtu", "port": port, "poll_interval_s": 0.1,
        "reconnect": {"initial_s": 0.2, "max_s": 0.4, "jitter": 0.1},
        "registers": [
            {"point": "FT-01", "quantity": "flow_m3h", "address": 0, "dtype": "float32", "word_order": "little"},
            {"point": "PT-01", "quantity": "pressure_kpa", "address": 4, "dtype": "int16", "scale": 0.1,
             "table": "input"},
            {"point": "PT-02", "quantity": "pressure_kpa", "address": 5, "dtype": "uint16", "scale": 0.1,
             "valid_max": 1000, "table": "input"},
        ]})
    store = open_store(tmp_path / "m.db")
    tel = TelemetryService(store)

    async def main() -> tuple[ModbusSource, float, float]:
        srv = Server(port)
        srv.set(3, 0, encode_registers(812.25, "float32", "little"))
        srv.set(4, 4, encode_registers(-3, "int16"))  # -0.3 kPa
        srv.set(4, 5, [20000])  # 2000 kPa: implausible for this point
        await srv.start()
        src = ModbusSource(cfg)
        pipe = LivePipeline(tel, src)
        pipe.start()
        await wait_for(lambda: src.polls >= 5, what="5 polls")
        await srv.stop()
        down = __import__("time").time()
        await wait_for(lambda: src.status.state != SourceState.RUNNING, what="outage seen")
        await asyncio.sleep(0.8)
        srv.set(4, 5, [3125])
        await srv.start()
        up = __import__("time").time()
        await wait_for(lambda: src.status.state == SourceState.RUNNING, timeout=10, what="resumed")
        polls = src.polls
        await wait_for(lambda: src.polls >= polls + 5, what="polls after restart")
        await src.stop()
        await wait_for(lambda: pipe.samples == src.status.samples_received, what="pipeline caught up")
        await pipe.stop()
        await srv.stop()
        return src, down, up

    src, down, up = asyncio.run(main())
    t, v = tel.series("FT-01", 0, 2e9)
    assert len(t) >= 10 and np.all(v == 812.25) and len(np.unique(t)) == len(t)
    gap = np.diff(t).max()
    assert gap >= up - down - 0.2  # no samples invented during the outage
    t1, v1 = tel.series("PT-01", 0, 2e9)
    assert np.allclose(v1, -0.3)
    t2, v2 = tel.series("PT-02", 0, 2e9)
    assert np.allclose(v2, 312.5) and t2.min() > down  # before the restart it was out of range
    assert src.status.rejects_by_reason["out_of_range"] >= 5
    assert src.status.reconnects >= 1
    store.close()


def test_exception_response_is_counted_not_fatal():
    port = free_port()
    cfg = ModbusSourceConfig.model_validate({
        "name": "rtu", "port": port, "poll_interval_s": 0.05,
        "registers": [{"point": "X", "address": 200}, {"point": "Y", "address": 1}]})

    async def main() -> tuple[ModbusSource, list]:
        srv = Server(port)
        srv.set(3, 1, [42])
        await srv.start()
        src = ModbusSource(cfg)
        got: list = []
        await src.start()

        async def drain() -> None:
            async for b in src.batches():
                got.extend(b)

        task = asyncio.ensure_future(drain())
        await wait_for(lambda: len(got) >= 3, what="Y samples")
        await src.stop()
        await task
        await srv.stop()
        return src, got

    src, got = asyncio.run(main())
    assert {s.point for s in got} == {"Y"} and all(s.value == 42 for s in got)
    assert src.status.rejects_by_reason["modbus_exception"] >= 3
    assert src.status.reconnects == 0

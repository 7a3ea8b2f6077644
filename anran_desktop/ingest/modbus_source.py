"""Modbus TCP source (pymodbus): poll holding/input registers of RTUs and flow computers, decode
int16/uint16/int32/uint32/float32/float64 with word order, scale to engineering units."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

from anran_desktop.ingest.base import Sample
from anran_desktop.ingest.config import ModbusRegisterMap, ModbusSourceConfig
from anran_desktop.ingest.mapping import REGISTER_COUNT, MappingError, decode_registers, scale_check
from anran_desktop.ingest.reconnect import ReconnectingSource


class ModbusSource(ReconnectingSource):
    kind = "modbus"

    def __init__(self, cfg: ModbusSourceConfig) -> None:
        super().__init__(cfg.name, backoff=cfg.reconnect.backoff())
        self.cfg = cfg
        self._client: Any = None
        self.polls = 0

    def describe(self, term: Callable[[str], str] = str) -> str:
        return f"Modbus {self.name} · {self.cfg.host}:{self.cfg.port}"

    async def _session(self) -> None:
        from pymodbus.client import AsyncModbusTcpClient

        cfg = self.cfg
        client = self._client = AsyncModbusTcpClient(cfg.host, port=cfg.port, timeout=cfg.timeout_s, retries=0,
                                                     reconnect_delay=0)
        if not await client.connect():
            raise ConnectionError(f"cannot connect to {cfg.host}:{cfg.port}")
        self._connected()
        loop = asyncio.get_running_loop()
        next_poll = loop.time()
        while True:
            t = time.time()
            out: list[Sample] = []
            for reg in cfg.registers:
                s = await self._read(client, reg, t)
                if s is not None:
                    out.append(s)
            self.polls += 1
            self._emit(out)
            next_poll += cfg.poll_interval_s
            await asyncio.sleep(max(0.0, next_poll - loop.time()))
            if not client.connected:
                raise ConnectionError("connection lost")

    async def _read(self, client: Any, reg: ModbusRegisterMap, t: float) -> Sample | None:
        from pymodbus.exceptions import ConnectionException, ModbusIOException

        n = REGISTER_COUNT[reg.dtype]
        read = client.read_holding_registers if reg.table == "holding" else client.read_input_registers
        try:
            rr = await read(reg.address, count=n, device_id=self.cfg.unit)
        except (ConnectionException, ModbusIOException, OSError, TimeoutError) as exc:
            raise ConnectionError(str(exc) or type(exc).__name__) from exc
        where = f"{reg.table}[{reg.address}] {reg.point}"
        if rr.isError():
            self._reject("modbus_exception", f"{where}: {rr}")
            return None
        try:
            v = decode_registers(list(rr.registers[:n]), reg.dtype, reg.word_order)
            v = scale_check(v, reg.scale, reg.offset, reg.valid_min, reg.valid_max, where)
        except MappingError as exc:
            self._reject(exc.reason, exc.detail)
            return None
        return Sample(t, reg.point, reg.quantity, v)

    async def _close(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            client.close()

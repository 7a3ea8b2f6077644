"""The engine's simulator as a live data source (the demo site's 1 Hz feed, and drills)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

from anran_desktop.ingest.base import DataSource, Sample, SampleFlag, SourceState
from engine.network import Network
from engine.simulate import LiveSimulator


class SimulatorSource(DataSource):
    kind = "simulator"

    def __init__(self, network: Network, *, seed: int = 0, rate_hz: float = 1.0, name: str = "") -> None:
        super().__init__(name or network.site.get("name", "network"))
        self.sim = LiveSimulator(network, seed=seed, start_time=time.time())
        self.period = 1.0 / rate_hz
        self.rate_hz = rate_hz
        self.drill = False
        self._running = False

    async def start(self) -> None:
        self._running = True
        self.status.state = SourceState.RUNNING

    async def stop(self) -> None:
        self._running = False
        self.status.state = SourceState.STOPPED

    def snapshot(self, t: float) -> list[Sample]:
        flags = SampleFlag.DRILL if self.drill else SampleFlag.MEASURED
        return [Sample(t, p, q, v, flags) for p, q, v in self.sim.step(t)]

    async def batches(self) -> AsyncIterator[list[Sample]]:
        loop = asyncio.get_running_loop()
        next_t = float(int(time.time()))
        while self._running:
            delay = next_t - time.time()
            if delay > 0:
                await asyncio.sleep(delay)
            if not self._running:
                break
            batch = await loop.run_in_executor(None, self.snapshot, next_t)
            self.status.samples_received += len(batch)
            self.status.last_sample_time = next_t
            yield batch
            next_t += self.period

    def describe(self) -> str:
        return f"模拟器 · {self.name} · {self.rate_hz:g} Hz"

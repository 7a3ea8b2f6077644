"""The engine's simulator as a live data source (the demo site's 1 Hz feed, and drills)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable, Mapping

from anran_desktop.ingest.base import DataSource, Sample, SampleFlag, SourceState
from engine.network import Network
from engine.simulate import LiveSimulator


class SimulatorSource(DataSource):
    """A live feed from :class:`engine.simulate.LiveSimulator`: one batch (every sensor) per
    ``1 / rate_hz`` seconds of simulated time, starting now. ``speedup`` > 1 runs simulated time
    faster than the wall clock (drills, demos); each step is computed in an executor. ``state``
    (:meth:`engine.simulate.LiveSimulator.state`) continues where a stored history or the last run ended."""

    kind = "simulator"

    def __init__(self, network: Network, *, seed: int = 0, rate_hz: float = 1.0, speedup: float = 1.0,
                 name: str = "", state: Mapping[str, object] | None = None) -> None:
        if not rate_hz > 0:
            raise ValueError(f"rate_hz must be positive, got {rate_hz}")
        if not speedup > 0:
            raise ValueError(f"speedup must be positive, got {speedup}")
        super().__init__(name or network.site.get("name", "network"))
        self.sim = LiveSimulator(network, seed=seed, start_time=time.time())
        if state is not None:  # continue the stored history's (or the last run's) demand state: no seam
            self.sim.restore(state)
        self.period = 1.0 / rate_hz
        self.rate_hz = rate_hz
        self.speedup = speedup
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
        t0 = float(int(time.time()))
        wall0 = time.monotonic()
        next_t = t0
        while self._running:
            delay = wall0 + (next_t - t0) / self.speedup - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            if not self._running:
                break
            batch = await loop.run_in_executor(None, self.snapshot, next_t)
            self.status.samples_received += len(batch)
            self.status.last_sample_time = next_t
            yield batch
            next_t += self.period

    def describe(self, term: Callable[[str], str] = str) -> str:
        fast = f" · ×{self.speedup:g}" if self.speedup != 1 else ""
        return f"{term('模拟器')} · {self.name} · {self.rate_hz:g} Hz{fast}"

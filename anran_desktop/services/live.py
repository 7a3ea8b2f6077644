"""The live pipeline: source → store (in an executor) → in-memory ring buffers → callbacks. Qt-free."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
from collections.abc import Callable

import numpy as np

from anran_desktop.ingest.base import DataSource, Sample
from anran_desktop.services.telemetry import TelemetryService

log = logging.getLogger(__name__)


class Ring:
    """Fixed-size ring buffer of (t, value) for one point.

    The feed pushes on the GUI thread's event loop while analyses copy on worker threads: both hold the
    ring's lock, so a copy is never torn (a time paired with another sample's value) and the GUI thread
    waits at most for one ring's copy (~10 µs), not for all of them.
    """

    def __init__(self, size: int) -> None:
        self.t = np.full(size, np.nan)
        self.v = np.full(size, np.nan)
        self.i = 0
        self.n = 0
        self._lock = threading.Lock()

    def push(self, t: float, v: float) -> None:
        with self._lock:
            self.t[self.i] = t
            self.v[self.i] = v
            self.i = (self.i + 1) % len(self.t)
            self.n = min(self.n + 1, len(self.t))

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """Copies of the samples, oldest first (safe to call from any thread)."""
        with self._lock:
            if self.n < len(self.t):
                return self.t[: self.n].copy(), self.v[: self.n].copy()
            i = self.i
            return np.concatenate((self.t[i:], self.t[:i])), np.concatenate((self.v[i:], self.v[:i]))


class LivePipeline:
    """Consume ``source.batches()``: write each batch in an executor (the loop never blocks), keep a ring
    buffer per point, call the ``on_batch`` callbacks, and every ``compact_every_s`` (None = never) run
    the telemetry compaction job relative to the newest sample time, also in an executor."""

    def __init__(self, telemetry: TelemetryService, source: DataSource, *, ring_seconds: int = 3600,
                 compact_every_s: float | None = 3600.0) -> None:
        self.telemetry = telemetry
        self.compact_every_s = compact_every_s
        self.compactions = 0
        self.compacted_rows = 0
        self._last_compact = time.monotonic()
        self.source = source
        self.rings: dict[str, Ring] = {}
        self.ring_seconds = ring_seconds
        self.callbacks: list[Callable[[list[Sample]], None]] = []
        self.batches = 0
        self.samples = 0
        self.write_errors = 0
        self._task: asyncio.Task | None = None

    def prefill(self, points: list[str], now: float, seconds: float | None = None) -> int:
        """Load the last ``seconds`` of stored history into the ring buffers (so analyses can start at once)."""
        seconds = seconds or self.ring_seconds
        n = 0
        for p in points:
            t, v = self.telemetry.series(p, now - seconds, now)
            ring = self.ring(p)
            for ti, vi in zip(t[-self.ring_seconds:], v[-self.ring_seconds:], strict=True):
                ring.push(float(ti), float(vi))
            n += len(t)
        return n

    def on_batch(self, callback: Callable[[list[Sample]], None]) -> None:
        self.callbacks.append(callback)

    def ring(self, point: str) -> Ring:
        r = self.rings.get(point)
        if r is None:
            r = self.rings[point] = Ring(self.ring_seconds)
        return r

    async def run(self) -> None:
        loop = asyncio.get_running_loop()
        async with self.source:
            async for batch in self.source.batches():
                try:
                    await loop.run_in_executor(None, self.telemetry.insert, batch)
                except Exception:  # a failed write must not stop the feed; it is counted and logged
                    self.write_errors += 1
                    log.exception("telemetry write failed")
                for s in batch:
                    self.ring(s.point).push(s.time, s.value)
                self.batches += 1
                self.samples += len(batch)
                for cb in self.callbacks:
                    cb(batch)
                if batch and self.compact_every_s is not None and \
                        time.monotonic() - self._last_compact >= self.compact_every_s:
                    self._last_compact = time.monotonic()
                    newest = max(s.time for s in batch)
                    try:
                        self.compacted_rows += await loop.run_in_executor(None, self.telemetry.compact, newest)
                        self.compactions += 1
                    except Exception:  # the feed goes on; raw data simply stays longer
                        log.exception("telemetry compaction failed")

    def start(self) -> asyncio.Task:
        self._task = asyncio.ensure_future(self.run())
        return self._task

    async def stop(self) -> None:
        await self.source.stop()
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task

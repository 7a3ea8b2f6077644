"""Shared machinery for live sources: exponential backoff with jitter, a supervised
connect → run → reconnect loop with a visible state, batching, per-reason reject counts and
de-duplication on (point, time).

A concrete source subclasses :class:`ReconnectingSource` and implements :meth:`_session`, which
connects, calls :meth:`_emit` / :meth:`_reject` while connected, and returns or raises when the
connection is lost. The supervisor handles the rest.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from collections import OrderedDict, deque
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass

import numpy as np

from anran_desktop.ingest.base import DataSource, Sample, SourceState

log = logging.getLogger(__name__)


@dataclass(slots=True)
class Backoff:
    """Exponential backoff with full jitter: delay n is uniform in [(1-jitter)·d, d], d = min(max, initial·factor^n)."""

    initial_s: float = 1.0
    max_s: float = 60.0
    factor: float = 2.0
    jitter: float = 0.5
    attempt: int = 0

    def next_delay(self, rng: random.Random | None = None) -> float:
        """The delay before the next attempt; each call advances the attempt counter."""
        d = min(self.max_s, self.initial_s * self.factor ** self.attempt)
        self.attempt += 1
        r = (rng or random).random()
        return d * (1.0 - self.jitter * r)

    def reset(self) -> None:
        """Call after a successful connection."""
        self.attempt = 0


class Deduplicator:
    """Drops a sample whose (point, time) was already seen recently — QoS 1 re-deliveries,
    registers polled twice within one update, replays after a reconnect."""

    def __init__(self, per_point: int = 512) -> None:
        self.per_point = per_point
        self._seen: dict[str, OrderedDict[int, None]] = {}

    def fresh(self, s: Sample) -> bool:
        key = int(round(s.time * 1000))
        seen = self._seen.get(s.point)
        if seen is None:
            seen = self._seen[s.point] = OrderedDict()
        if key in seen:
            return False
        seen[key] = None
        if len(seen) > self.per_point:
            seen.popitem(last=False)
        return True


class ReconnectingSource(DataSource):
    """A live source that keeps itself connected. Subclasses implement :meth:`_session`."""

    kind = "live"

    def __init__(self, name: str, *, backoff: Backoff | None = None, batch_max: int = 2000,
                 flush_s: float = 0.2, queue_max: int = 200_000) -> None:
        super().__init__(name)
        self.backoff = backoff or Backoff()
        self.batch_max = batch_max
        self.flush_s = flush_s
        self._queue: asyncio.Queue[Sample] = asyncio.Queue(maxsize=queue_max)
        self._dedup = Deduplicator()
        self._task: asyncio.Task | None = None
        self._stopping = False
        self.duplicates_dropped = 0
        self.recent_rejects: deque[tuple[float, str, str]] = deque(maxlen=50)
        self._log_budget: dict[str, int] = {}
        #: (source stamp, our arrival time) of recent samples that carried their own stamp
        self.stamp_arrivals: deque[tuple[float, float]] = deque(maxlen=2000)

    # --- for subclasses -------------------------------------------------------------------------
    async def _session(self) -> None:  # pragma: no cover - abstract
        """Connect, deliver samples until the connection ends (return or raise)."""
        raise NotImplementedError

    def _emit(self, samples: Iterable[Sample]) -> None:
        """Queue measured samples (already validated); duplicates are dropped here."""
        for s in samples:
            if not self._dedup.fresh(s):
                self.duplicates_dropped += 1
                continue
            try:
                self._queue.put_nowait(s)
            except asyncio.QueueFull:
                self._reject("queue_full", f"{s.point}@{s.time}")
                continue
            self.status.samples_received += 1
            lt = self.status.last_sample_time
            if lt is None or s.time > lt:
                self.status.last_sample_time = s.time

    def _arrived(self, stamp: float, arrival: float) -> None:
        """Record a device stamp against our clock (for :meth:`clock_offset`)."""
        self.stamp_arrivals.append((stamp, arrival))

    def clock_offset(self, min_samples: int = 20) -> float | None:
        """Seconds this source's clock runs ahead of ours, from recent stamps vs arrivals
        (``None`` until enough stamped samples arrived). Pass it to ``align(offsets=…)``."""
        if len(self.stamp_arrivals) < min_samples:
            return None
        from anran_desktop.ingest.align import estimate_offset_by_arrival

        a = np.array(self.stamp_arrivals)
        return estimate_offset_by_arrival(a[:, 0], a[:, 1])

    def _reject(self, reason: str, detail: str) -> None:
        """Count and log one rejected payload/value; ingestion goes on."""
        st = self.status
        st.samples_rejected += 1
        st.rejects_by_reason[reason] = st.rejects_by_reason.get(reason, 0) + 1
        self.recent_rejects.append((time.time(), reason, detail[:200]))
        n = self._log_budget.get(reason, 0)
        if n < 20:  # log the first few of each reason, then only count
            self._log_budget[reason] = n + 1
            log.warning("%s %s: rejected (%s): %s", self.kind, self.name, reason, detail[:200])

    def _set(self, state: SourceState, message: str = "") -> None:
        if state != self.status.state or message != self.status.message:
            log.info("%s %s: %s %s", self.kind, self.name, state.value, message)
        self.status.state = state
        self.status.message = message

    def _connected(self) -> None:
        """Subclasses call this once the peer accepted the connection."""
        self.backoff.reset()
        self._set(SourceState.RUNNING, "")

    # --- DataSource -----------------------------------------------------------------------------
    async def start(self) -> None:
        if self._task is not None and not self._task.done():
            return
        self._stopping = False
        self._set(SourceState.CONNECTING, "")
        self._task = asyncio.ensure_future(self._supervise())

    async def stop(self) -> None:
        self._stopping = True
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            # A client library may swallow the cancellation while it waits on the network: wait a bounded
            # time, then close the connection underneath it (the supervisor sees _stopping and ends).
            await asyncio.wait({task}, timeout=2.0)
        with contextlib.suppress(Exception):
            await self._close()
        if task is not None and not task.done():
            await asyncio.wait({task}, timeout=2.0)
        self._set(SourceState.STOPPED, "")

    async def _close(self) -> None:
        """Release the connection (called on stop). Override when needed."""

    async def _supervise(self) -> None:
        first = True
        while not self._stopping:
            if not first:
                self.status.reconnects += 1
            first = False
            try:
                await self._session()
                reason = "connection closed by peer"
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # any failure of the session means: reconnect
                reason = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
            with contextlib.suppress(Exception):
                await self._close()
            if self._stopping:
                break
            delay = self.backoff.next_delay()
            self._set(SourceState.RECONNECTING, f"{reason}; retry in {delay:.1f} s")
            await asyncio.sleep(delay)
            self._set(SourceState.CONNECTING, f"attempt {self.backoff.attempt + 1}; last: {reason}")

    async def batches(self) -> AsyncIterator[list[Sample]]:
        """Batches of up to ``batch_max`` samples, flushed at least every ``flush_s`` seconds."""
        while True:
            if self._task is None and self._queue.empty():
                return
            try:
                first = await asyncio.wait_for(self._queue.get(), timeout=0.5)
            except TimeoutError:
                continue
            batch = [first]
            deadline = asyncio.get_running_loop().time() + self.flush_s
            while len(batch) < self.batch_max:
                try:
                    batch.append(self._queue.get_nowait())
                    continue
                except asyncio.QueueEmpty:
                    pass
                left = deadline - asyncio.get_running_loop().time()
                if left <= 0:
                    break
                try:
                    batch.append(await asyncio.wait_for(self._queue.get(), timeout=left))
                except TimeoutError:
                    break
            yield batch

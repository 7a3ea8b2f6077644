"""All of a site's configured sources as one :class:`DataSource` (what the desktop's live pipeline reads).

Each member keeps its own reconnect loop; their batches are merged as they come. The combined status
shows the worst member state (failed > reconnecting > connecting > running > stopped > finished), the
summed counters, and the members' messages, so the status bar can say which source is in trouble.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable, Sequence

from anran_desktop.ingest.base import DataSource, Sample, SourceState, SourceStatus

_ORDER = [SourceState.FAILED, SourceState.RECONNECTING, SourceState.CONNECTING, SourceState.RUNNING,
          SourceState.STOPPED, SourceState.FINISHED]


class MultiSource(DataSource):
    kind = "site"

    def __init__(self, sources: Sequence[DataSource], name: str = "") -> None:
        if not sources:
            raise ValueError("a site needs at least one source")
        self.members = list(sources)
        super().__init__(name or "site")
        self._queue: asyncio.Queue[list[Sample] | None] = asyncio.Queue(maxsize=1000)
        self._pumps: list[asyncio.Task] = []

    # The combined status is computed from the members each time it is read.
    @property  # type: ignore[override]
    def status(self) -> SourceStatus:
        sts = [m.status for m in self.members]
        state = min((s.state for s in sts), key=_ORDER.index)
        msgs = [f"{m.name}: {m.status.message}" for m in self.members
                if m.status.message and m.status.state != SourceState.RUNNING]
        reasons: dict[str, int] = {}
        for s in sts:
            for k, v in s.rejects_by_reason.items():
                reasons[k] = reasons.get(k, 0) + v
        times = [s.last_sample_time for s in sts if s.last_sample_time is not None]
        return SourceStatus(state=state, message="; ".join(msgs), samples_received=sum(s.samples_received for s in sts),
                            samples_rejected=sum(s.samples_rejected for s in sts),
                            last_sample_time=max(times) if times else None,
                            reconnects=sum(s.reconnects for s in sts), rejects_by_reason=reasons)

    @status.setter
    def status(self, _value: SourceStatus) -> None:  # DataSource.__init__ assigns one; ours is derived
        pass

    async def start(self) -> None:
        for m in self.members:
            await m.start()
        self._pumps = [asyncio.ensure_future(self._pump(m)) for m in self.members]

    async def _pump(self, member: DataSource) -> None:
        async for batch in member.batches():
            await self._queue.put(batch)

    async def stop(self) -> None:
        for m in self.members:
            with contextlib.suppress(Exception):
                await m.stop()
        for t in self._pumps:
            t.cancel()
        for t in self._pumps:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await t
        self._pumps = []
        with contextlib.suppress(asyncio.QueueFull):
            self._queue.put_nowait(None)  # ends a reader waiting in batches()

    async def batches(self) -> AsyncIterator[list[Sample]]:
        while True:
            if self._pumps and all(t.done() for t in self._pumps) and self._queue.empty():
                return
            try:
                item = await asyncio.wait_for(self._queue.get(), timeout=0.5)
            except TimeoutError:
                if not self._pumps:
                    return
                continue
            if item is None:
                return
            yield item

    def describe(self, term: Callable[[str], str] = str) -> str:
        return f"{self.name}{term('：')}" + term("；").join(m.describe(term) for m in self.members)

    def status_line(self, state_name: Callable[[str], str] = str, term: Callable[[str], str] = str) -> str:
        """The combined state, then each member with its own (e.g. which one is reconnecting); the
        punctuation goes through ``term`` too (full-width in Chinese)."""
        state = state_name(self.status.state.value)
        return (f"{self.name}{term('（')}{state}{term('）')}{term('：')}"
                + term("；").join(m.status_line(state_name, term) for m in self.members))

"""CSV replay (``time,point,quantity,value``) as a data source, and a one-shot import into the store."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import TYPE_CHECKING

from anran_desktop.ingest.base import DataSource, Sample, SourceState
from engine.simulate import ReadingsError, read_readings_csv

if TYPE_CHECKING:
    from anran_desktop.store import Store

__all__ = ["CsvReplaySource", "ReadingsError", "import_csv", "load_csv_samples"]


def load_csv_samples(path: Path | str) -> list[list[Sample]]:
    """All rows of a readings CSV grouped by time; raises ``ReadingsError`` naming the line."""
    r = read_readings_csv(path)
    batches = []
    for i, t in enumerate(r.times):
        batch = [Sample(float(t), p, q, float(r.values[i, j]))
                 for j, (p, q) in enumerate(zip(r.points, r.quantities, strict=True)) if r.values[i, j] == r.values[i, j]]
        batches.append(batch)
    return batches


def import_csv(store: Store, path: Path | str) -> int:
    """Import a whole ``time,point,quantity,value`` file into the store's telemetry.

    The file is parsed completely first: a malformed row raises ``ReadingsError`` naming the file and
    line, and nothing is written. The rows then go in one transaction (all or nothing); a (point, time)
    already stored keeps its first value. Returns the number of samples offered.
    """
    from anran_desktop.store.telemetry import TelemetryRepo

    samples = [s for batch in load_csv_samples(path) for s in batch]
    return TelemetryRepo(store).insert((s.time, s.point, s.quantity, s.value, int(s.flags)) for s in samples)


class CsvReplaySource(DataSource):
    """Replays a readings file, ``speed`` times faster than real time (0 = as fast as possible)."""

    kind = "csv"

    def __init__(self, path: Path | str, *, speed: float = 1.0) -> None:
        super().__init__(Path(path).name)
        self.path = Path(path)
        self.speed = speed
        self._running = False
        self._batches: list[list[Sample]] = []

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        self.status.state = SourceState.CONNECTING
        try:
            self._batches = await loop.run_in_executor(None, load_csv_samples, self.path)
        except ReadingsError as exc:
            self.status.state = SourceState.FAILED
            self.status.message = str(exc)
            raise
        self._running = True
        self.status.state = SourceState.RUNNING

    async def stop(self) -> None:
        self._running = False
        if self.status.state != SourceState.FINISHED:
            self.status.state = SourceState.STOPPED

    async def batches(self) -> AsyncIterator[list[Sample]]:
        prev_t: float | None = None
        for batch in self._batches:
            if not self._running:
                return
            t = batch[0].time if batch else prev_t
            if prev_t is not None and t is not None and self.speed > 0:
                await asyncio.sleep(max(0.0, (t - prev_t) / self.speed))
            prev_t = t
            self.status.samples_received += len(batch)
            self.status.last_sample_time = t
            yield batch
        self.status.state = SourceState.FINISHED

    def describe(self, term: Callable[[str], str] = str) -> str:
        return f"{term('CSV 回放')} · {self.name}"

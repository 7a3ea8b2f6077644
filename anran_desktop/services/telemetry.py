"""Telemetry for the views: series for a point, latest values, inserts of source batches."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from anran_desktop.ingest.base import Sample
from anran_desktop.store import Store
from anran_desktop.store.telemetry import TelemetryRepo


class TelemetryService:
    def __init__(self, store: Store) -> None:
        self.repo = TelemetryRepo(store)

    def insert(self, samples: Sequence[Sample]) -> int:
        return self.repo.insert((s.time, s.point, s.quantity, s.value, int(s.flags)) for s in samples)

    def series(self, point: str, start_s: float, end_s: float) -> tuple[np.ndarray, np.ndarray]:
        return self.repo.series(point, start_s, end_s)

    def latest(self, points: Sequence[str]) -> dict[str, tuple[float, float]]:
        return self.repo.latest(points)

    def compact(self, now_s: float, retention_s: float | None = None) -> int:
        return self.repo.compact(now_s, retention_s) if retention_s else self.repo.compact(now_s)

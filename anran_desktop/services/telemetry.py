"""Telemetry for the views: series for a point, latest values, inserts of source batches."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from anran_desktop.ingest.base import Sample
from anran_desktop.store import Store
from anran_desktop.store.telemetry import DEFAULT_RAW_RETENTION_S, TelemetryRepo

RETENTION_SETTING = "telemetry_raw_retention_s"


class TelemetryService:
    """Insert source batches, read series (raw, minute means beyond the raw window), compact."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.repo = TelemetryRepo(store)

    def insert(self, samples: Sequence[Sample]) -> int:
        return self.repo.insert((s.time, s.point, s.quantity, s.value, int(s.flags)) for s in samples)

    def series(self, point: str, start_s: float, end_s: float) -> tuple[np.ndarray, np.ndarray]:
        return self.repo.series(point, start_s, end_s)

    def latest(self, points: Sequence[str]) -> dict[str, tuple[float, float]]:
        return self.repo.latest(points)

    def retention_s(self) -> float:
        """How long raw samples are kept (seconds); stored in the database, default 7 days."""
        text = self.store.setting(RETENTION_SETTING)
        return float(text) if text else float(DEFAULT_RAW_RETENTION_S)

    def set_retention_days(self, days: float) -> None:
        """Change the raw-data window (at least one hour); older data is folded at the next compaction."""
        if not days * 86400 >= 3600:
            raise ValueError(f"the raw telemetry window must be at least 1 hour, got {days} days")
        self.store.set_setting(RETENTION_SETTING, repr(float(days) * 86400))

    def compact(self, now_s: float, retention_s: float | None = None) -> int:
        """Fold raw samples older than ``now_s - retention`` into minute aggregates; returns rows folded."""
        return self.repo.compact(now_s, retention_s if retention_s is not None else self.retention_s())

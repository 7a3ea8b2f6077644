"""Frame sources (cv2.VideoCapture: webcam index, RTSP/HTTP URL, video file) and a consensus reading loop."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np

from vision.types import MeterReading


class FrameSource:
    """Frames from a webcam index, an RTSP/HTTP URL or a video file."""

    def __init__(self, source: int | str | Path) -> None:
        if isinstance(source, str) and source.isdigit():
            source = int(source)
        if isinstance(source, Path) or (isinstance(source, str) and "://" not in source):
            if not Path(source).is_file():
                raise ValueError(f"camera source {source}: no such file")
            source = str(source)
        self.source = source
        self._cap = cv2.VideoCapture(source)
        if not self._cap.isOpened():
            raise ValueError(f"camera source {source!r} could not be opened")

    def read(self) -> np.ndarray | None:
        """Next frame, or None at the end of a file / on a failed grab."""
        ok, frame = self._cap.read()
        return frame if ok else None

    def frames(self) -> Iterator[np.ndarray]:
        """All frames until the source ends."""
        while (f := self.read()) is not None:
            yield f

    def close(self) -> None:
        """Release the capture."""
        self._cap.release()

    def __enter__(self) -> FrameSource:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@dataclass
class Consensus:
    """A robust consensus of N frame readings."""

    value: float | None
    n_frames: int
    n_used: int
    spread: float
    needs_review: bool
    readings: list[MeterReading] = field(default_factory=list)


def consensus(readings: list[MeterReading], *, min_agree: float = 0.5) -> Consensus:
    """Median of the readings after dropping outliers (> 3 MAD, and at least 0.5 % of the median)."""
    vals = np.array([r.value for r in readings if r.value is not None], float)
    if vals.size == 0:
        return Consensus(None, len(readings), 0, float("nan"), True, readings)
    med = float(np.median(vals))
    mad = float(np.median(np.abs(vals - med)))
    tol = max(3 * 1.4826 * mad, 0.005 * abs(med), 1e-9)
    keep = vals[np.abs(vals - med) <= tol]
    val = float(np.median(keep))
    review = keep.size < min_agree * len(readings) or any(r.needs_review for r in readings if r.value is not None) and keep.size < len(readings)
    return Consensus(val, len(readings), int(keep.size), float(keep.max() - keep.min()), bool(review), readings)


def reading_loop(source: FrameSource, read_fn: Callable[[np.ndarray], MeterReading], *, n_frames: int = 5,
                 period_s: float = 0.0, max_reports: int | None = None,
                 sleep: Callable[[float], None] = time.sleep) -> Iterator[Consensus]:
    """Every ``period_s`` seconds read ``n_frames`` frames and yield their consensus, until the source ends."""
    if n_frames < 1:
        raise ValueError("n_frames must be at least 1")
    reports = 0
    while max_reports is None or reports < max_reports:
        t0 = time.monotonic()
        batch = []
        for _ in range(n_frames):
            f = source.read()
            if f is None:
                break
            batch.append(read_fn(f))
        if not batch:
            return
        yield consensus(batch)
        reports += 1
        if len(batch) < n_frames:
            return
        rest = period_s - (time.monotonic() - t0)
        if rest > 0:
            sleep(rest)

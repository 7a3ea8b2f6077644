"""Plausibility of a meter series: never backwards, no jumps beyond a maximum rate."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Verdict:
    """Result of checking one reading against the series."""

    accepted: bool
    reason: str | None = None


class SeriesChecker:
    """Check successive readings ``(t_epoch_s, value)`` of one cumulative meter.

    A rejected reading does not become the reference, but the checker does not freeze:
    after ``reanchor_after`` consecutive rejected readings that agree with each other
    (non-decreasing and within the max rate among themselves), the newest becomes the
    reference (e.g. after a meter swap or a genuinely missed correction).
    """

    def __init__(self, max_rate_per_hour: float, *, tolerance: float = 0.0, reanchor_after: int = 3) -> None:
        if max_rate_per_hour <= 0:
            raise ValueError("max_rate_per_hour must be positive")
        self.max_rate = max_rate_per_hour
        self.tolerance = tolerance
        self.reanchor_after = reanchor_after
        self.ref: tuple[float, float] | None = None
        self._rejected: list[tuple[float, float]] = []

    def _consistent(self, a: tuple[float, float], b: tuple[float, float]) -> str | None:
        (t0, v0), (t1, v1) = a, b
        if t1 < t0:
            return "timestamp earlier than the reference"
        if v1 < v0 - self.tolerance:
            return f"reading went backwards ({v1} < {v0})"
        hours = max((t1 - t0) / 3600.0, 1e-9)
        if (v1 - v0) > self.max_rate * hours + self.tolerance:
            return f"jump of {v1 - v0:g} in {hours:.3g} h exceeds max rate {self.max_rate:g}/h"
        return None

    def check(self, t: float, value: float) -> Verdict:
        """Check and, if accepted, adopt the reading as the new reference."""
        cur = (float(t), float(value))
        if self.ref is None:
            self.ref = cur
            return Verdict(True)
        reason = self._consistent(self.ref, cur)
        if reason is None:
            self.ref = cur
            self._rejected.clear()
            return Verdict(True)
        if self._rejected and self._consistent(self._rejected[-1], cur) is not None:
            self._rejected = []
        self._rejected.append(cur)
        if len(self._rejected) >= self.reanchor_after:
            self.ref = cur
            self._rejected.clear()
            return Verdict(True, f"re-anchored after {self.reanchor_after} consistent readings: {reason}")
        return Verdict(False, reason)

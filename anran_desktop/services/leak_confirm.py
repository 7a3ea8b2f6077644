"""When a detection becomes an alarm: the leak watch's confirmation rule (Qt-free).

The engine's detection threshold is set for one window. The watch tests a new, overlapping window every
check (every 30 s on the desktop), so over hours of watching a no-leak network the chance exceedances of a
single-window threshold add up (``benchmarks/locate_follow.py``: about two false alarms a day on the meshed
grid, mostly a minute or two over the threshold). A real leak stays, though a weak one's statistic wobbles
about the threshold. So the watch raises an alarm only once the detection has held for ``confirm_s``
seconds of readings within the last ``span_s`` (each check counts for the time since the previous check,
at most ``cap_s`` or twice the usual time between checks, whichever is longer: a stalled watch does not
count its gap as held, and a feed replayed faster than real time, whose checks lie minutes of readings
apart, still confirms), the current check included: with the desktop's figures, 6 of the last 9 minutes.
However long a check counts for, one alone never confirms: two detecting checks at least (the lookback
keeps the previous check when checks lie further apart than it).
``confirm_s = 0`` raises at the first detection.

The same class replays the rule in the benchmark, so the figures there are the desktop's.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field


@dataclass
class Confirmation:
    """Feed it every check's (readings time, detected); it says when the detection is confirmed."""

    confirm_s: float
    span_s: float | None = None  # the lookback; None: as long as confirm_s (every check must detect)
    cap_s: float = 120.0  # a check counts for at most this long, or twice the median gap between checks
    _checks: deque[tuple[float, bool, float]] = field(default_factory=deque, init=False, repr=False)
    _gaps: deque[float] = field(default_factory=lambda: deque(maxlen=9), init=False, repr=False)

    def __post_init__(self) -> None:
        if self.confirm_s < 0 or (self.span_s is not None and self.span_s < self.confirm_s):
            raise ValueError("confirmation: need 0 <= confirm_s <= span_s")

    def feed(self, now: float, detected: bool) -> bool:
        """True when ``detected`` and the detections of the last ``span_s`` add up to ``confirm_s``."""
        last = self._checks[-1][0] if self._checks else None
        if last is not None and now < last:
            self.reset()  # the readings' clock went back (another feed): start afresh
            last = None
        weight = 0.0
        if last is not None:
            usual = sorted(self._gaps)[len(self._gaps) // 2] if self._gaps else 0.0
            weight = min(now - last, max(self.cap_s, 2 * usual))
            self._gaps.append(now - last)
        self._checks.append((now, detected, weight))
        span = self.confirm_s if self.span_s is None else self.span_s
        # The lookback keeps the previous check even when it is older (checks sparser than the span).
        while len(self._checks) > 2 and self._checks[0][0] <= now - span + 1e-6:
            self._checks.popleft()
        # One check never confirms on its own, however long it counts for: two detecting ones at least.
        enough = self.confirm_s == 0 or sum(d for _t, d, _w in self._checks) >= 2
        return detected and enough and self.held_s() >= self.confirm_s - 1e-6

    def held_s(self) -> float:
        """Seconds of readings detected within the lookback, as of the last check fed."""
        return sum(w for _t, d, w in self._checks if d)

    def reset(self) -> None:
        self._checks.clear()
        self._gaps.clear()


def alarms_raised(checks: list[tuple[float, bool]], rule: Confirmation, clear_after_s: float) -> list[int]:
    """Indices of ``checks`` ((time, detected), in time order) at which a watch with this (fresh) ``rule``
    raises an alarm: a confirmed detection while no alarm is active; an alarm ends once the detection has
    stayed away for ``clear_after_s`` (as :class:`~anran_desktop.services.leak_watch.LeakWatch` does)."""
    raised: list[int] = []
    active, missed_since = False, None
    for i, (now, detected) in enumerate(checks):
        confirmed = rule.feed(now, detected)
        if active:
            if detected:
                missed_since = None
            else:
                missed_since = now if missed_since is None else missed_since
                if now - missed_since >= clear_after_s - 1e-6:
                    active, missed_since = False, None
        elif confirmed:
            raised.append(i)
            active, missed_since = True, None
    return raised

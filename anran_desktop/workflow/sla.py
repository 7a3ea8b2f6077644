"""SLA timers: time-to-acknowledge (alarm → dispatched ≤ 2 min), arrival (≤ 60 min), close.

``sla_status`` is pure: given when the clock started, now (epoch seconds, UTC) and the limit, it says
whether the timer is ok, in its warning window (``warn_before_s`` before the limit) or escalated.
"""

from __future__ import annotations

from dataclasses import dataclass

#: timer -> (limit seconds, warn this many seconds before the limit)
SLA_LIMITS: dict[str, tuple[float, float]] = {
    "tta": (120.0, 30.0),  # alarm -> dispatched
    "arrival": (3600.0, 600.0),  # dispatched -> onsite
    "close": (4 * 3600.0, 1800.0),  # alarm -> closed
}


@dataclass(frozen=True)
class SlaStatus:
    timer: str
    elapsed_s: float
    limit_s: float
    state: str  # ok | warn | escalate | met | missed
    remaining_s: float


def sla_status(timer: str, started: float, now: float, stopped: float | None = None,
               limits: dict[str, tuple[float, float]] | None = None) -> SlaStatus:
    """State of ``timer`` started at ``started``; ``stopped`` set once the step is done."""
    table = limits or SLA_LIMITS
    if timer not in table:
        raise KeyError(f"unknown SLA timer {timer!r}; known: {', '.join(table)}")
    limit, warn = table[timer]
    end = stopped if stopped is not None else now
    elapsed = end - started
    if elapsed < 0:
        raise ValueError(f"SLA timer {timer}: end {end} is before start {started}")
    if stopped is not None:
        state = "met" if elapsed <= limit else "missed"
    elif elapsed > limit:
        state = "escalate"
    elif elapsed >= limit - warn:
        state = "warn"
    else:
        state = "ok"
    return SlaStatus(timer, elapsed, limit, state, limit - elapsed)

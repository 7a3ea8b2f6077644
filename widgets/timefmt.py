"""Times are stored as UTC ISO 8601 and shown in local time."""

from __future__ import annotations

import datetime as dt


def local_time(iso_utc: str, fmt: str = "%Y-%m-%d %H:%M:%S") -> str:
    try:
        stamp = dt.datetime.fromisoformat(iso_utc.replace("Z", "+00:00"))
    except (ValueError, AttributeError):
        return str(iso_utc)
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=dt.UTC)
    return stamp.astimezone().strftime(fmt)


def duration_text(seconds: float) -> str:
    """A duration as a dispatcher reads it: ``45 s``, ``12 min``, ``2 h 05 min`` (rounded down to the unit
    shown; negative durations count as 0)."""
    s = max(int(seconds), 0)
    if s < 60:
        return f"{s} s"
    if s < 3600:
        return f"{s // 60} min"
    h, m = divmod(s // 60, 60)
    return f"{h} h" if m == 0 else f"{h} h {m:02d} min"

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

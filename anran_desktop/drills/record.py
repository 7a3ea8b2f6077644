"""What a drill injected, kept in the store so its report can score accuracy: a ``drill.start`` event (marked as
drill) with the true place of the simulated leak."""

from __future__ import annotations

import datetime as dt
import json


def record_drill_start(store, name: str, truth_pipes: list[str], onset: float, leak_m3h: float = 0.0,  # noqa: ANN001
                       area: str = "") -> int:
    """Write the drill's start; ``onset`` is the simulated leak's start (UTC epoch s). Returns the event id."""
    from anran_desktop.services.events import EventService

    if not truth_pipes:
        raise ValueError(f"drill {name!r}: the simulated leak's pipe is required")
    when = dt.datetime.fromtimestamp(onset, dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    card = EventService(store).add(kind="drill.start", severity="info", title=f"演练开始：{name}",
                                   detail={"truth_pipes": list(truth_pipes), "leak_m3h": leak_m3h, "area": area,
                                           "name": name},
                                   time=when, is_drill=True)
    return card.id


def drill_truth_before(store, t: float) -> set[str]:  # noqa: ANN001
    """The true pipes of the latest drill started at or before ``t`` (UTC epoch s); empty if none was recorded."""
    when = dt.datetime.fromtimestamp(t, dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    with store.read() as c:
        row = c.exec_driver_sql("SELECT detail FROM events WHERE kind = 'drill.start' AND time <= ? "
                                "ORDER BY time DESC, id DESC LIMIT 1", (when,)).first()
    return set((json.loads(row[0] or "{}") or {}).get("truth_pipes") or []) if row else set()

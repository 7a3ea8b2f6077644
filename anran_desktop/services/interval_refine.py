"""Feed a ticket's evidence back into the engine: on-site gauge readings and valve-closure tests narrow
the suspected interval. Qt-free; the desktop runs :func:`refine` on a worker thread and stores a narrower
result with ``TicketService.update_interval``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from anran_desktop.services.ticket_evidence import EvidenceRecord
from engine.locate import Evidence, LocateError, Locator, OdorReport, SiteReading, ValveTest
from engine.simulate import Readings, parse_time
from engine.units import to_kpa

if TYPE_CHECKING:
    from anran_desktop.services.leak_watch import LeakWatch
    from anran_desktop.services.telemetry import TelemetryService


@dataclass(frozen=True)
class Refinement:
    interval: dict  # {"pipes", "length_m", "confidence"}
    source: str  # the newest evidence kind that went in: gauge_reading | valve_test | resident_report
    evidence_used: int


def engine_evidence(records: Iterable[EvidenceRecord]) -> list[Evidence]:
    """The ticket evidence the engine understands: gauge readings on a node (σ 5 kPa, a dial's resolution),
    valve tests (``detail`` = ``{"valves": [...], "restored": bool}``), resident reports on a node."""
    out: list[Evidence] = []
    for r in records:
        if r.kind == "gauge_reading" and r.node_id and r.value is not None:
            kpa = to_kpa(r.value, r.unit)
            if kpa is None:
                raise ValueError(f"evidence {r.id}: unit '{r.unit}' is not a pressure unit (kPa, MPa, bar, mbar, Pa)")
            out.append(SiteReading(r.node_id, kpa, sigma_kpa=5.0))
        elif r.kind == "valve_test" and r.detail.get("valves"):
            out.append(ValveTest(tuple(r.detail["valves"]), bool(r.detail.get("restored", False))))
        elif r.kind in ("meter_reading", "resident_report") and r.node_id:
            out.append(OdorReport(node=r.node_id))
    return out


def refine(locator: Locator, readings: Readings, records: list[EvidenceRecord]) -> Refinement | None:
    """Locate again with the ticket's evidence; None when nothing usable or no leak in the window."""
    evidence = engine_evidence(records)
    if not evidence:
        return None
    try:
        res = locator.locate(readings, evidence)
    except LocateError:
        return None
    if not res.leak_detected or not res.interval_pipes:
        return None
    kinds = {"gauge_reading": "gauge_reading", "valve_test": "valve_test", "meter_reading": "resident_report",
             "resident_report": "resident_report"}
    last = next((kinds[r.kind] for r in reversed(records) if r.kind in kinds), "manual")
    return Refinement(res.to_json()["interval"], last, len(evidence))


def onset_epoch(alarm_detail: dict) -> float | None:
    """The engine's estimated leak onset stored with an alarm (ISO 8601), as epoch seconds."""
    text = alarm_detail.get("onset") if alarm_detail else None
    if not text:
        return None
    try:
        return parse_time(str(text))
    except ValueError:
        return None


def window_end(onset_s: float | None, now: float, window_s: float) -> float:
    """Where the engine's window for a ticket's evidence ends. The engine tells a leak by the step at its
    onset, so the window must hold readings from before it: the live window (ending now) while a quarter of
    it still lies before the onset, else the stored window ending three quarters of a window after the
    onset — a crew's valve test an hour after the alarm is still judged against the leak's own step."""
    if onset_s is None or onset_s - (now - window_s) >= window_s / 4:
        return now
    return min(now, onset_s + 0.75 * window_s)


def stored_readings(watch: LeakWatch, telemetry: TelemetryService, end_s: float) -> Readings:
    """1-minute means of the stored telemetry over the watch's window ending at ``end_s`` (SQLite reads:
    call on a worker)."""
    start = end_s - watch.window_s
    series = {p: telemetry.series(p, start, end_s) for p in watch.network.sensors}
    return watch.readings_from_series(series, end_s, adopt_noise=False)

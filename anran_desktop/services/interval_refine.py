"""Feed a ticket's evidence back into the engine: on-site gauge readings and valve-closure tests narrow
the suspected interval. Qt-free; the desktop runs :func:`refine` on a worker thread and stores a narrower
result with ``TicketService.update_interval``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from anran_desktop.services.ticket_evidence import EvidenceRecord
from engine.locate import Evidence, LocateError, Locator, OdorReport, SiteReading, ValveTest
from engine.simulate import Readings

#: kPa per unit of a gauge reading.
_TO_KPA = {"kpa": 1.0, "mpa": 1000.0, "bar": 100.0, "pa": 0.001}


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
            factor = _TO_KPA.get((r.unit or "kPa").strip().lower())
            if factor is None:
                raise ValueError(f"evidence {r.id}: unit '{r.unit}' is not a pressure unit (kPa, MPa, bar, Pa)")
            out.append(SiteReading(r.node_id, r.value * factor, sigma_kpa=5.0))
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

"""Drill scenarios, step timing and scoring (radar of speed, accuracy, completeness, communication)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from anran_desktop.workflow.sla import SLA_LIMITS


@dataclass(frozen=True)
class DrillScenario:
    """What the drill injects: a simulated leak on a segment, a resident report, or a failed sensor."""

    id: str
    name: str
    kind: str  # leak | resident_report | sensor_fault
    segment: str = ""
    leak_m3h: float = 0.0
    sensor: str = ""
    area: str = ""

    def __post_init__(self) -> None:
        if self.kind not in ("leak", "resident_report", "sensor_fault"):
            raise ValueError(f"drill scenario {self.id}: unknown kind {self.kind!r}")
        if self.kind == "leak" and (not self.segment or self.leak_m3h <= 0):
            raise ValueError(f"drill scenario {self.id}: a leak needs a segment and a positive rate (m³/h)")
        if self.kind == "sensor_fault" and not self.sensor:
            raise ValueError(f"drill scenario {self.id}: a sensor fault needs the sensor id")


SCENARIOS = {s.id: s for s in (
    DrillScenario("leak-s4", "南区 S4 段模拟泄漏", "leak", segment="S4", leak_m3h=25.0, area="A-NAN"),
    DrillScenario("odor-nan", "南区居民异味报告", "resident_report", area="A-NAN"),
    DrillScenario("sensor-pt03", "东南环网压力传感器故障", "sensor_fault", sensor="PT-03"),
)}

STEPS = ("告警", "派单", "到场核查", "处置", "复测", "结案")


@dataclass
class StepTimer:
    """Times each step of the loop on a drill: ``start(step)`` ends the running step and starts the next."""

    clock: Callable[[], float] = time.time
    steps: list[tuple[str, float, float | None]] = field(default_factory=list)

    def start(self, name: str) -> None:
        now = self.clock()
        if self.steps and self.steps[-1][2] is None:
            n, a, _ = self.steps[-1]
            self.steps[-1] = (n, a, now)
        self.steps.append((name, now, None))

    def finish(self) -> list[tuple[str, float, float]]:
        now = self.clock()
        if self.steps and self.steps[-1][2] is None:
            n, a, _ = self.steps[-1]
            self.steps[-1] = (n, a, now)
        return [(n, a, b if b is not None else now) for n, a, b in self.steps]

    def begin_of(self, name: str) -> float | None:
        return next((a for n, a, _ in self.steps if n == name), None)


@dataclass(frozen=True)
class DrillScore:
    speed: float
    accuracy: float
    completeness: float
    communication: float

    @property
    def total(self) -> float:
        return (self.speed + self.accuracy + self.completeness + self.communication) / 4

    def as_radar(self) -> dict[str, float]:
        return {"速度": self.speed, "准确": self.accuracy, "完整": self.completeness, "沟通": self.communication}


def score_drill(timer: StepTimer, *, truth_pipes: set[str], interval_pipes: list[str], interval_length_m: float,
                network_length_m: float, checklist_done: int, checklist_total: int, notified: int,
                acknowledged: int, invited: int = 0, checked_in: int = 0) -> DrillScore:
    """Score 0–100 per axis.

    speed: TTA and arrival against their SLA limits (100 when within, falling as limit/elapsed);
    accuracy: 0 if the true place is outside the interval, else 100 × (1 − interval length / network length);
    completeness: share of SOP checklist items done; communication: notice sent (50) + acknowledgement share (50),
    or, when residents were invited to a drill check-in, notice sent (50) + acknowledgement share (25) + check-in
    share (25). ``truth_pipes`` empty means the true place was not recorded: accuracy is 0 and the report says so.
    """
    speed_parts = []
    for timer_name, a, b in (("tta", "告警", "派单"), ("arrival", "派单", "到场核查")):
        ta, tb = timer.begin_of(a), timer.begin_of(b)
        if ta is None or tb is None:
            speed_parts.append(0.0)
        else:
            limit = SLA_LIMITS[timer_name][0]
            speed_parts.append(100.0 * min(1.0, limit / max(tb - ta, 1e-9)))
    speed = sum(speed_parts) / len(speed_parts)
    hit = bool(truth_pipes & set(interval_pipes)) if truth_pipes else bool(not interval_pipes)
    accuracy = 100.0 * (1 - min(1.0, interval_length_m / max(network_length_m, 1e-9))) if hit else 0.0
    completeness = 100.0 * checklist_done / checklist_total if checklist_total else 0.0
    communication = (50.0 + 50.0 * min(1.0, acknowledged / notified)) if notified else 0.0
    if notified and invited:
        communication = 50.0 + 25.0 * min(1.0, acknowledged / notified) + 25.0 * min(1.0, checked_in / invited)
    return DrillScore(round(speed, 1), round(accuracy, 1), round(completeness, 1), round(communication, 1))

import subprocess

import pytest

from anran_desktop.drills.scenarios import SCENARIOS, DrillScenario, StepTimer, score_drill
from anran_desktop.reports.drill import DrillReportData, build_drill_report


class Clock:
    def __init__(self):
        self.t = 1795996800.0

    def __call__(self):
        return self.t


def _run(clock, gaps):
    timer = StepTimer(clock)
    for name, gap in gaps:
        timer.start(name)
        clock.t += gap
    return timer


def test_scenarios_validate():
    assert {s.kind for s in SCENARIOS.values()} == {"leak", "resident_report", "sensor_fault"}
    with pytest.raises(ValueError, match="segment"):
        DrillScenario("x", "x", "leak")
    with pytest.raises(ValueError, match="kind"):
        DrillScenario("x", "x", "flood")


def test_fast_accurate_complete_drill_scores_higher_than_a_slow_sloppy_one():
    c = Clock()
    fast = _run(c, [("告警", 60), ("派单", 900), ("到场核查", 600), ("结案", 1)])
    slow = _run(c, [("告警", 480), ("派单", 7200), ("到场核查", 600), ("结案", 1)])
    assert fast.finish()[0][2] - fast.finish()[0][1] == 60
    good = score_drill(fast, truth_pipes={"P077"}, interval_pipes=["P077", "P078"], interval_length_m=72,
                       network_length_m=3000, checklist_done=9, checklist_total=9, notified=10, acknowledged=8)
    bad = score_drill(slow, truth_pipes={"P077"}, interval_pipes=["P010"], interval_length_m=40,
                      network_length_m=3000, checklist_done=3, checklist_total=9, notified=0, acknowledged=0)
    assert good.speed == 100 and good.accuracy == pytest.approx(97.6) and good.completeness == 100
    assert good.communication == 90
    assert bad.speed == pytest.approx((25 + 50) / 2) and bad.accuracy == 0 and bad.communication == 0
    assert good.total > bad.total


def test_drill_report_pdf(tmp_path):
    c = Clock()
    steps = _run(c, [("告警", 60), ("派单", 900), ("到场核查", 600)]).finish()
    out = build_drill_report(DrillReportData("星海花园", "南区 S4 段模拟泄漏", "南区", steps,
                                             {"速度": 90, "准确": 80, "完整": 100, "沟通": 70}, "P077、P078（72 m）", 12, 9),
                             tmp_path / "d.pdf")
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "应急演练报告" in text and "南区 S4 段模拟泄漏" in text and "到场核查" in text and "速度" in text
    with pytest.raises(ValueError):
        build_drill_report(DrillReportData("星海花园", "空", "", [], {}, "", 0, 0), tmp_path / "e.pdf")

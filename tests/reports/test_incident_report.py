import subprocess

import pytest

from anran_desktop.reports.charts import Series
from anran_desktop.reports.incident import (
    EvidenceItem,
    IncidentReportData,
    TimelineEntry,
    build_incident_report,
)
from anran_desktop.reports.pdfbase import FONT, LATIN, runs

T0 = 1795996800.0


def _data(**kw):
    d = dict(site="星海花园", ticket_id="T-1", title="南区压力下降", area="南区", kind="燃气泄漏处置", assignee="抢修员 01",
             interval_pipes=["P077", "P078"], interval_length_m=72.4, confidence=0.94, leak_m3h=24.7, onset=T0 - 600,
             timeline=[TimelineEntry(T0, "引擎", "告警"), TimelineEntry(T0 + 70, "调度员", "派单给抢修员 01"),
                       TimelineEntry(T0 + 1300, "抢修员 01", "到场核查"), TimelineEntry(T0 + 4000, "调度员", "复测正常，结案")],
             pipes={"P077": [(113.36, 23.122), (113.361, 23.122)], "P078": [(113.361, 23.122), (113.361, 23.123)],
                    "P001": [(113.36, 23.123), (113.361, 23.123)]},
             curves=[Series("PT-03", [T0 - 1200 + 60 * i for i in range(40)], [150 - 0.01 * i for i in range(40)])],
             evidence=[EvidenceItem("居民燃气表照片读数", "1234.56 m³", "居民", 0.93)])
    d.update(kw)
    return IncidentReportData(**d)


def _text(pdf):
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def test_close_report_has_chinese_text_figures_and_page_numbers(tmp_path):
    pdf = build_incident_report(_data(), tmp_path / "r.pdf")
    raw = pdf.read_bytes()
    assert raw.startswith(b"%PDF") and b"FontFile2" in raw  # TrueType glyphs embedded
    text = _text(pdf)
    for s in ("燃气事件结案报告", "星海花园", "P077、P078", "72 m", "94%", "派单给抢修员 01", "1234.56 m³",
              "1.2 分钟", "处置时间线"):
        assert s in text, s
    pages = text.count("\f")
    assert pages >= 2 and f"第{pages}页/共{pages}页" in text.replace(" ", "")


def test_a_near_certain_interval_is_not_quoted_as_certain(tmp_path):
    text = _text(build_incident_report(_data(confidence=0.996), tmp_path / "r.pdf"))
    assert "99%" in text and "100%" not in text


def test_report_without_timeline_is_refused(tmp_path):
    with pytest.raises(ValueError, match="T-1"):
        build_incident_report(_data(timeline=[]), tmp_path / "r.pdf")
    assert not (tmp_path / "r.pdf").exists()


def test_text_is_split_into_runs_by_font_coverage():
    assert runs("区间 72 m") == [(FONT, "区间"), (LATIN, " 72 m")]


def test_symbols_missing_from_both_fonts_get_stand_ins():
    assert runs("93% → 94% ✓") == [(LATIN, "93% -> 94% √")]

"""Report cells break lines as Chinese text should: an element id is never cut in two, and closing
punctuation never starts a line."""

from __future__ import annotations

from reportlab.platypus import Paragraph

from anran_desktop.reports.pdfbase import mix, styles


def _lines(text: str, width: float, style: str = "cell") -> list[str]:
    p = Paragraph(mix(text), styles()[style])
    p.wrap(width, 1000)
    # a line is a FragLine (mixed fonts) or a (width, words) tuple (one font)
    return ["".join(getattr(w, "text", "") for w in line.words) if hasattr(line, "words") else " ".join(line[1])
            for line in p.blPara.lines]


def test_pipe_ids_stay_whole_in_a_narrow_cell() -> None:
    detail = "区间 P082、P077、P076、P083、P081、P078、P084，124 m，置信度 97.5%"
    for width in (200, 205, 210, 215, 220):  # the widths that had cut "P084" into "P08" and "4"
        lines = _lines(detail, width)
        assert len(lines) == 2, lines
        assert not any(line.endswith(("P", "P0", "P08")) for line in lines), (width, lines)


def test_closing_punctuation_stays_on_its_line() -> None:
    assert _lines("时间（北京时间）", 67) == ["时间（北京时间）"]
    assert _lines("上游压力表照片读数（N076）", 112) == ["上游压力表照片读数（N076）"]
    assert not any(line.startswith(("）", "，", "。")) for line in _lines("系统（泄漏监测）", 57))

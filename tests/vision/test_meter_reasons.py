"""Review reasons are stable codes in vision/ and are translated by the desktop panel."""

import os
from pathlib import Path

import pytest

for _v in ("QT_QPA_PLATFORM_PLUGIN_PATH", "QT_QPA_FONTDIR"):  # set by cv2's own Qt5 build
    os.environ.pop(_v, None)

from PySide6.QtCore import QCoreApplication, QTranslator  # noqa: E402

from vision.reasons import ENGLISH, describe, normalize, parse, reason  # noqa: E402
from vision.synth import make_gauge, make_register  # noqa: E402
from widgets.meter_panel import MeterPanel  # noqa: E402
from widgets.meter_reasons import _texts, reason_text  # noqa: E402

QM = Path(__file__).resolve().parents[2] / "resources" / "i18n" / "anran_en.qm"


def test_codes_carry_parameters_and_read_back():
    r = reason("digit_uncertain", digit=3, score="0.41")
    assert r == "digit_uncertain:digit=3,score=0.41"
    assert parse(r) == ("digit_uncertain", {"digit": "3", "score": "0.41"})
    assert describe(r) == "digit 3 uncertain (score 0.41)"
    assert parse("something else") == ("something else", {}) and describe("x: y") == "x: y"
    with pytest.raises(ValueError, match="unknown reason code 'nope'"):
        reason("nope")
    with pytest.raises(ValueError, match="contains ','"):
        reason("digit_ocr_mismatch", digit=1, cell="1,2", ocr=3)
    # the image-quality module's messages map to their codes
    assert normalize("meter too small in the image") == "meter_too_small" and normalize("glare") == "glare"


def test_reader_reports_only_known_codes(reader):
    reasons = []
    for img in (make_gauge(90001, "degraded")[0], make_register(90002, "degraded")[0]):
        reasons += reader.read(img).reasons
    assert reasons and all(parse(r)[0] in ENGLISH for r in reasons), reasons


def test_every_code_has_a_chinese_text():
    assert set(_texts()) == set(ENGLISH)


def _show(qtbot, reasons):
    panel = MeterPanel(lambda *a: {})
    qtbot.addWidget(panel)
    panel._on_done({"value": 1.2, "unit": "MPa", "quality": 0.3, "needs_review": True, "reasons": reasons,
                    "geometry": None})
    return panel.status.text()


def test_panel_shows_reasons_in_chinese_and_in_english(qtbot):
    reasons = ["digit_uncertain:digit=3,score=0.41", "glare", "ticks_disagree:diff=2.5"]
    text = _show(qtbot, reasons)
    assert text == "第 3 位数字不确定（得分 0.41）；表面反光；刻度插值与透视校正不一致（相差量程的 2.5%）"
    tr = QTranslator()
    assert tr.load(str(QM))
    QCoreApplication.installTranslator(tr)
    try:
        assert reason_text("no_decimal") == "No decimal mark or red drums found"
        text = _show(qtbot, reasons)
        assert text == ("Digit 3 uncertain (score 0.41); Glare; "
                        "Tick interpolation and perspective correction disagree (2.5 % of span)")
        assert not any("\u4e00" <= ch <= "\u9fff" for ch in text), text
    finally:
        QCoreApplication.removeTranslator(tr)
    assert reason_text("an old free-text reason") == "an old free-text reason"

"""MeterPanel (offscreen): reading on a worker, overlay, correction kept with the original, save, calibration."""

import os

import cv2
import numpy as np

for _v in ("QT_QPA_PLATFORM_PLUGIN_PATH", "QT_QPA_FONTDIR"):  # set by cv2's own Qt5 build
    os.environ.pop(_v, None)

from vision import DialProfile  # noqa: E402
from vision.synth import make_gauge, make_register  # noqa: E402
from widgets.meter_panel import MeterPanel  # noqa: E402


def _read_fn(reader):
    def fn(image, kind, rng, unit):
        return reader.read(image, kind=kind, value_range=rng, unit=unit).to_dict()

    return fn


def test_panel_reads_photo_and_saves_with_correction(qtbot, reader, tmp_path):
    img, t = make_register(0, "clear")
    path = tmp_path / "r.png"
    cv2.imwrite(str(path), img)
    panel = MeterPanel(_read_fn(reader))
    qtbot.addWidget(panel)
    panel.resize(1000, 500)
    panel.set_targets([("meter:M1", "表 M1"), ("ticket:T9", "工单 T9")])
    with qtbot.waitSignal(panel.readingFinished, timeout=20000) as blocker:
        assert panel.open_path(str(path))
    assert blocker.args[0]["value"] == t.value
    assert str(t.value).split(".")[0] in panel.value_lbl.text()
    panel.grab().save(str(tmp_path / "panel.png"))
    panel.correction.setText("123.456")
    panel.target.setCurrentIndex(1)
    with qtbot.waitSignal(panel.saveRequested) as saved:
        panel.save_btn.click()
    d = saved.args[0]
    assert d["original_value"] == t.value and d["corrected_value"] == 123.456 and d["value"] == 123.456
    assert d["target"] == "ticket:T9"
    ev = cv2.imdecode(np.frombuffer(d["evidence_png"], np.uint8), cv2.IMREAD_COLOR)
    assert ev.shape == img.shape


def test_panel_rejects_bad_file_and_range(qtbot, reader, tmp_path):
    panel = MeterPanel(_read_fn(reader))
    qtbot.addWidget(panel)
    bad = tmp_path / "x.jpg"
    bad.write_text("no")
    assert not panel.open_path(str(bad))
    assert "not a readable image" in panel.status.text()
    img, _ = make_gauge(2, "clear")
    panel.range_edit.setText("5:1")
    panel.set_image(img)
    assert panel.reading is None and panel.status.text()


def test_panel_camera_and_calibration_clicks(qtbot, reader):
    img, t = make_gauge(2, "clear")
    panel = MeterPanel(_read_fn(reader), grab_frame=lambda: img)
    qtbot.addWidget(panel)
    panel.resize(900, 500)
    lo, hi = t.value_range
    panel.range_edit.setText(f"{lo}:{hi}")
    panel.unit_edit.setText(t.unit)
    with qtbot.waitSignal(panel.readingFinished, timeout=20000) as blocker:
        panel.camera_btn.click()
    geo = blocker.args[0]["geometry"]
    assert geo["needle_tip"] is not None
    panel.start_calibration()
    with qtbot.waitSignal(panel.profileCreated) as prof:
        for p in (geo["dial_center"], geo["scale_start"], geo["scale_end"]):
            panel._on_click(*p)
    profile = DialProfile.from_dict(prof.args[0])
    r = reader.read(img, profile=profile)
    assert profile.unit == t.unit and abs(r.value - t.value) / (hi - lo) < 0.03


def test_panel_shows_the_range_a_dial_was_read_with_and_asks_for_it_when_unreadable(qtbot, reader):
    """The crew sees the range read from the printed scale (to check it against the gauge), the range
    typed, or that the scale was not read and the range is needed — with the cursor in the range field."""
    panel = MeterPanel(_read_fn(reader))
    qtbot.addWidget(panel)
    panel.show()
    img, t = make_gauge(2, "clear")
    with qtbot.waitSignal(panel.readingFinished, timeout=20000) as got:
        panel.set_image(img)
    lo, hi = t.value_range
    assert tuple(got.args[0]["value_range"]) == (lo, hi)
    assert panel.range_lbl.text() == f"{lo:g}–{hi:g} {t.unit}（自动识别，请与表盘核对）"
    panel.range_edit.setText(f"{lo}:{hi}")
    with qtbot.waitSignal(panel.readingFinished, timeout=20000):
        panel.read()
    assert panel.range_lbl.text().endswith("（输入）")
    panel.range_edit.clear()
    unreadable, _ = make_gauge(60028, "degraded")  # a development photo whose labels tie (2.5 or 25)
    with qtbot.waitSignal(panel.readingFinished, timeout=20000):
        panel.set_image(unreadable)
    assert panel.range_lbl.text() == "刻度未识别：请在上方输入量程" and panel.value_lbl.text() == "无法识读"
    assert panel.range_edit.hasFocus()
    reg, _ = make_register(0, "clear")
    with qtbot.waitSignal(panel.readingFinished, timeout=20000):
        panel.set_image(reg)
    assert panel.range_lbl.text() == "—"

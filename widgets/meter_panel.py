"""Meter reading panel: photo or camera frame, detection overlay, value, correction, save, calibration.

Knows nothing of the store: reading goes through ``read_fn(image, kind, value_range, unit) -> dict``
(a MeterReading.to_dict()-like mapping) run on a worker thread; saving emits ``saveRequested(dict)``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import cv2
import numpy as np
from PySide6.QtCore import QObject, QPointF, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtGui import QColor, QDoubleValidator, QImage, QPainter, QPen, QPixmap, QPolygonF
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from vision.privacy import mask_people
from vision.reader import load_image
from widgets.meter_reasons import reasons_text

ReadFn = Callable[[np.ndarray, str, "tuple[float, float] | None", "str | None"], dict]


def to_qimage(bgr: np.ndarray) -> QImage:
    """BGR numpy image → QImage (copied)."""
    rgb = cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)
    h, w = rgb.shape[:2]
    return QImage(rgb.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy()


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(str)


def value_text(reading: dict) -> str:
    """A reading's value as a gauge shows it: a dial to a thousandth of its span (15.52 on 0–16 bar, 0.2345 on
    0–0.4 MPa), a register as read, digit for digit."""
    v, vr = reading["value"], reading.get("value_range")
    if reading.get("kind") == "dial" and vr and vr[1] > vr[0]:
        decimals = max(0, math.ceil(-math.log10((vr[1] - vr[0]) / 1000) - 1e-9))
        return f"{v:.{decimals}f}"
    return f"{v:.10g}"


class _ReadJob(QRunnable):
    def __init__(self, fn: ReadFn, image: np.ndarray, kind: str, rng: tuple[float, float] | None, unit: str | None):
        super().__init__()
        self.fn, self.image, self.kind, self.rng, self.unit = fn, image, kind, rng, unit
        self.signals = _Signals()

    def run(self) -> None:
        try:
            self.signals.done.emit(self.fn(self.image, self.kind, self.rng, self.unit))
        except Exception as exc:  # reported in the panel, never crashes the GUI
            self.signals.failed.emit(str(exc))


class ImageView(QLabel):
    """Shows the image scaled to fit, draws the detection, reports clicks in image pixels."""

    clicked = Signal(float, float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumSize(320, 240)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.image: np.ndarray | None = None
        self.geometry_: dict[str, Any] | None = None
        self.marks: list[tuple[float, float]] = []
        self._scale = 1.0
        self._off = (0.0, 0.0)

    def set_image(self, image: np.ndarray | None) -> None:
        self.image, self.geometry_, self.marks = image, None, []
        self.refresh()

    def set_geometry(self, geo: dict[str, Any] | None) -> None:
        self.geometry_ = geo
        self.refresh()

    def rendered(self) -> QPixmap:
        """The image with the overlay drawn at image resolution."""
        if self.image is None:
            return QPixmap()
        pm = QPixmap.fromImage(to_qimage(self.image))
        p = QPainter(pm)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        g = self.geometry_ or {}
        lw = max(2.0, pm.width() / 300)
        if g.get("dial_ellipse"):
            (cx, cy), (w, h), a = g["dial_ellipse"]
            p.save()
            p.translate(cx, cy)
            p.rotate(a)
            p.setPen(QPen(QColor(0, 200, 255), lw))
            p.drawEllipse(QPointF(0, 0), w / 2, h / 2)
            p.restore()
        c = g.get("dial_center")
        if c and g.get("needle_tip"):
            p.setPen(QPen(QColor(255, 40, 200), lw * 1.5))
            p.drawLine(QPointF(*c), QPointF(*g["needle_tip"]))
        for key, col in (("scale_start", QColor(0, 220, 0)), ("scale_end", QColor(255, 140, 0))):
            if g.get(key):
                p.setPen(QPen(col, lw))
                p.drawEllipse(QPointF(*g[key]), 3 * lw, 3 * lw)
        if g.get("register_box"):
            p.setPen(QPen(QColor(0, 200, 255), lw))
            p.drawPolygon(QPolygonF([QPointF(*pt) for pt in g["register_box"]]))
        p.setPen(QPen(QColor(255, 40, 200), lw * 0.7))
        for box in g.get("digit_boxes") or []:
            p.drawPolygon(QPolygonF([QPointF(*pt) for pt in box]))
        p.setPen(QPen(QColor(255, 255, 0), lw))
        for m in self.marks:
            p.drawEllipse(QPointF(*m), 4 * lw, 4 * lw)
        p.end()
        return pm

    def refresh(self) -> None:
        pm = self.rendered()
        if pm.isNull():
            self.clear()
            return
        scaled = pm.scaled(self.size(), Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)
        self._scale = scaled.width() / pm.width()
        self._off = ((self.width() - scaled.width()) / 2, (self.height() - scaled.height()) / 2)
        self.setPixmap(scaled)

    def resizeEvent(self, ev: Any) -> None:  # noqa: N802
        super().resizeEvent(ev)
        self.refresh()

    def to_image_coords(self, x: float, y: float) -> tuple[float, float]:
        return (x - self._off[0]) / self._scale, (y - self._off[1]) / self._scale

    def mousePressEvent(self, ev: Any) -> None:  # noqa: N802
        if self.image is not None:
            pos = ev.position()
            self.clicked.emit(*self.to_image_coords(pos.x(), pos.y()))


class MeterPanel(QWidget):
    """Read a meter from a photo or camera frame, correct it, and request saving or a calibration."""

    saveRequested = Signal(dict)  # noqa: N815
    profileCreated = Signal(dict)  # noqa: N815
    readingFinished = Signal(dict)  # noqa: N815

    def __init__(self, read_fn: ReadFn, grab_frame: Callable[[], np.ndarray | None] | None = None,
                 parent: QWidget | None = None, pool: QThreadPool | None = None) -> None:
        super().__init__(parent)
        self.read_fn, self.grab_frame = read_fn, grab_frame
        self.pool = pool or QThreadPool.globalInstance()
        self.reading: dict[str, Any] | None = None
        self.image: np.ndarray | None = None
        self._calib: list[tuple[float, float]] | None = None
        self._jobs: list[_ReadJob] = []
        self._range_given: tuple[float, float] | None = None
        self.setAcceptDrops(True)

        self.view = ImageView(self)
        self.view.clicked.connect(self._on_click)
        self.open_btn = QPushButton(self.tr("打开照片…"))
        self.open_btn.clicked.connect(self._open_dialog)
        self.camera_btn = QPushButton(self.tr("摄像头取帧"))
        self.camera_btn.setEnabled(grab_frame is not None)
        self.camera_btn.clicked.connect(self.grab_camera)
        self.kind = QComboBox()
        for key, label in (("auto", self.tr("自动")), ("dial", self.tr("指针表")), ("register", self.tr("计数器"))):
            self.kind.addItem(label, key)
        self.range_edit = QLineEdit()
        self.range_edit.setPlaceholderText(self.tr("量程 如 0:1.6（空=自动识别）"))
        self.unit_edit = QLineEdit()
        self.unit_edit.setPlaceholderText(self.tr("单位"))
        self.read_btn = QPushButton(self.tr("识读"))
        self.read_btn.clicked.connect(self.read)
        self.calib_btn = QPushButton(self.tr("固定摄像头标定"))
        self.calib_btn.clicked.connect(self.start_calibration)
        self.value_lbl = QLabel("—")
        self.range_lbl = QLabel("—")  # the range the dial was read with: typed, or read from its printed scale
        self.range_lbl.setWordWrap(True)
        self.quality_lbl = QLabel("—")
        self.review_lbl = QLabel("—")
        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.correction = QLineEdit()
        self.correction.setValidator(QDoubleValidator())
        self.correction.setPlaceholderText(self.tr("人工修正值（保留原识读值）"))
        self.target = QComboBox()
        self.save_btn = QPushButton(self.tr("保存读数"))
        self.save_btn.setEnabled(False)
        self.save_btn.clicked.connect(self.save)

        # Two rows (where the picture comes from; how to read it) and the fixed-camera set-up beside the
        # result, so the panel fits a crew laptop's 1024-pixel screen beside the map in either language.
        top = QVBoxLayout()
        source, how = QHBoxLayout(), QHBoxLayout()
        for w in (self.open_btn, self.camera_btn):
            source.addWidget(w)
        source.addStretch(1)
        for w in (self.kind, self.range_edit, self.unit_edit, self.read_btn):
            how.addWidget(w)
        self.range_edit.setMinimumWidth(120)
        self.unit_edit.setMaximumWidth(90)
        top.addLayout(source)
        top.addLayout(how)
        form = QFormLayout()
        form.addRow(self.tr("读数"), self.value_lbl)
        form.addRow(self.tr("量程"), self.range_lbl)
        form.addRow(self.tr("图像质量"), self.quality_lbl)
        form.addRow(self.tr("需复核"), self.review_lbl)
        form.addRow(self.tr("修正"), self.correction)
        form.addRow(self.tr("关联对象"), self.target)
        form.addRow("", self.save_btn)
        side = QVBoxLayout()
        side.addLayout(form)
        side.addWidget(self.status)
        side.addStretch(1)
        side.addWidget(self.calib_btn)
        body = QHBoxLayout()
        body.addWidget(self.view, 3)
        body.addLayout(side, 1)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addLayout(body)

    # ------------------------------------------------------------ inputs
    def set_targets(self, targets: list[tuple[str, str]]) -> None:
        """Targets to save against: (id such as 'node:N12' / 'meter:M3' / 'ticket:T7', label)."""
        self.target.clear()
        for tid, label in targets:
            self.target.addItem(label, tid)

    def set_image(self, image: np.ndarray, *, read: bool = True) -> None:
        """Show an image (BGR) and read it."""
        self.image = image
        self.reading = None
        self.save_btn.setEnabled(False)
        self.view.set_image(image)
        if read:
            self.read()

    def open_path(self, path: str) -> bool:
        """Load a photo file; shows an error in the panel if it is not a readable image."""
        try:
            self.set_image(load_image(path))
        except ValueError as exc:
            self.status.setText(str(exc))
            return False
        return True

    def _open_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("打开照片"), "", self.tr("图像 (*.jpg *.jpeg *.png *.bmp)"))
        if path:
            self.open_path(path)

    def grab_camera(self) -> None:
        """Take one frame from the camera grabber."""
        if self.grab_frame is None:
            return
        frame = self.grab_frame()
        if frame is None:
            self.status.setText(self.tr("摄像头没有返回画面"))
            return
        self.set_image(frame)

    def dragEnterEvent(self, ev: Any) -> None:  # noqa: N802
        if ev.mimeData().hasUrls():
            ev.acceptProposedAction()

    def dropEvent(self, ev: Any) -> None:  # noqa: N802
        urls = ev.mimeData().urls()
        if urls:
            self.open_path(urls[0].toLocalFile())

    def value_range(self) -> tuple[float, float] | None:
        """Range typed by the user, None when empty; ValueError when malformed."""
        text = self.range_edit.text().strip()
        if not text:
            return None
        try:
            lo, hi = (float(v) for v in text.split(":"))
        except ValueError:
            raise ValueError(self.tr("量程格式应为 最小:最大，例如 0:1.6")) from None
        if not hi > lo:
            raise ValueError(self.tr("量程最大值必须大于最小值"))
        return lo, hi

    # ------------------------------------------------------------ reading
    def read(self) -> None:
        """Read the current image on a worker thread."""
        if self.image is None:
            return
        try:
            rng = self.value_range()
        except ValueError as exc:
            self.status.setText(str(exc))
            return
        self._range_given = rng
        job = _ReadJob(self.read_fn, self.image, self.kind.currentData(), rng, self.unit_edit.text().strip() or None)
        job.signals.done.connect(self._on_done)
        job.signals.failed.connect(self._on_failed)
        self._jobs.append(job)
        self.status.setText(self.tr("识读中…"))
        self.read_btn.setEnabled(False)
        self.pool.start(job)

    def _on_done(self, reading: dict) -> None:
        self.read_btn.setEnabled(True)
        self._jobs = [j for j in self._jobs if j.signals is not self.sender()]
        self.reading = reading
        v = reading.get("value")
        unit = reading.get("unit") or ""
        self.value_lbl.setText(self.tr("无法识读") if v is None else f"{value_text(reading)} {unit}".rstrip())
        self.range_lbl.setText(self._range_text(reading))
        if reading.get("kind") == "dial" and reading.get("value_range") is None:
            self.range_edit.setFocus()  # the scale could not be read: the range is what is needed next
        self.quality_lbl.setText(f"{reading.get('quality', 0):.2f}")
        self.review_lbl.setText(self.tr("是") if reading.get("needs_review") else self.tr("否"))
        self.status.setText(reasons_text(reading.get("reasons")))
        self.view.set_geometry(reading.get("geometry"))
        self.save_btn.setEnabled(True)
        self.readingFinished.emit(reading)

    def _range_text(self, reading: dict) -> str:
        """The range a dial was read with, and whether it was typed or read from the printed scale (which a
        poor photo can get wrong: the crew checks it against the gauge)."""
        if reading.get("kind") != "dial":
            return "—"
        vr = reading.get("value_range")
        if vr is None:
            return self.tr("刻度未识别：请在上方输入量程")
        text = f"{vr[0]:g}–{vr[1]:g} {reading.get('unit') or ''}".rstrip()
        return text + (self.tr("（自动识别，请与表盘核对）") if self._range_given is None else self.tr("（输入）"))

    def _on_failed(self, message: str) -> None:
        self.read_btn.setEnabled(True)
        self.status.setText(self.tr("识读失败：") + message)

    # ------------------------------------------------------------ saving
    def save(self) -> None:
        """Emit saveRequested with the reading, the correction and the masked evidence PNG."""
        if self.reading is None or self.image is None:
            return
        corr_text = self.correction.text().strip()
        correction = None
        if corr_text:
            try:
                correction = float(corr_text)
            except ValueError:
                self.status.setText(self.tr("修正值不是数字"))
                return
        masked, n = mask_people(self.image)
        ok, png = cv2.imencode(".png", masked)
        if not ok:
            self.status.setText(self.tr("证据图像编码失败"))
            return
        self.saveRequested.emit({
            "reading": self.reading,
            "original_value": self.reading.get("value"),
            "corrected_value": correction,
            "value": correction if correction is not None else self.reading.get("value"),
            "target": self.target.currentData(),
            "evidence_png": png.tobytes(),
            "masked_regions": n,
        })

    # ------------------------------------------------------------ calibration
    def start_calibration(self) -> None:
        """Next three clicks on the image: dial centre, scale start, scale end."""
        if self.image is None:
            return
        self._calib = []
        self.view.marks = []
        self.status.setText(self.tr("标定：依次点击 表盘中心、刻度起点、刻度终点"))

    def _on_click(self, x: float, y: float) -> None:
        if self._calib is None:
            return
        self._calib.append((x, y))
        self.view.marks = list(self._calib)
        self.view.refresh()
        if len(self._calib) < 3:
            return
        c, s, e = self._calib
        self._calib = None
        try:
            rng = self.value_range()
        except ValueError as exc:
            self.status.setText(str(exc))
            return
        if rng is None:
            self.status.setText(self.tr("标定需要量程，例如 0:1.6"))
            return

        def ang(p: tuple[float, float]) -> float:
            return float(np.degrees(np.arctan2(p[0] - c[0], -(p[1] - c[1]))) % 360)

        radius = max(np.hypot(s[0] - c[0], s[1] - c[1]), np.hypot(e[0] - c[0], e[1] - c[1]))
        h, w = self.image.shape[:2] if self.image is not None else (0, 0)
        r = int(radius * 1.15)
        roi = (max(0, int(c[0]) - r), max(0, int(c[1]) - r), min(w, 2 * r), min(h, 2 * r))
        profile = {"center": [c[0], c[1]], "radius": float(radius), "start_angle": ang(s), "end_angle": ang(e),
                   "value_range": [rng[0], rng[1]], "unit": self.unit_edit.text().strip() or None, "roi": list(roi)}
        self.status.setText(self.tr("标定完成"))
        self.profileCreated.emit(profile)

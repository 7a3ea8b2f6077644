"""Live pressure/flow curves (pyqtgraph) on shared time axes, with a residual view.

Plain arrays in: ``set_series(point, label, quantity, t, v)`` for history, ``append(point, t, v)`` for live
samples (buffered; the plot redraws from a timer, not per sample), ``set_residual(point, t, r)``.
"""

from __future__ import annotations

import datetime as dt
import html

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

RESIDUAL_ONLY = "#455a64"  # a residual whose point has no curve
PALETTE = ["#1565c0", "#2e7d32", "#c62828", "#6a1b9a", "#ef6c00", "#00838f", "#5d4037", "#ad1457"]

NO_DATA_BEFORE = 946_684_800.0  # 2000-01-01 UTC: no reading of this app is older


class LocalTimeAxis(pg.DateAxisItem):
    """Local time without pyqtgraph's English weekday and month names ("Wed 02"): HH:MM (with seconds when
    ticks are under a minute apart), the date MM-DD at midnight and when ticks are days apart."""

    def tickStrings(self, values, scale, spacing):  # noqa: ANN001, ANN201, N802 - pyqtgraph's signature
        out = []
        for v in values:
            if float(v) < NO_DATA_BEFORE:  # an empty plot's default range (0–1 s after 1970): no labels
                out.append("")
                continue
            try:
                t = dt.datetime.fromtimestamp(float(v))
            except (OverflowError, ValueError, OSError):
                out.append("")
                continue
            if spacing >= 365 * 86400:
                out.append(t.strftime("%Y"))
            elif spacing >= 28 * 86400:
                out.append(t.strftime("%Y-%m"))
            elif spacing >= 86400 or (t.hour, t.minute, t.second) == (0, 0, 0):
                out.append(t.strftime("%m-%d"))
            elif spacing < 60:
                out.append(t.strftime("%H:%M:%S"))
            else:
                out.append(t.strftime("%H:%M"))
        return out


def with_gaps(t: np.ndarray, v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(t, v)`` with a NaN value put in every gap in the data, so the plot breaks there instead of
    drawing a straight line across hours the app did not run (or a feed was down). A gap is a step longer
    than 2 minutes and 3 times the series' usual spacing (15-minute loggers are not broken up)."""
    if len(t) < 2:
        return t, v
    dt_ = np.diff(t)
    gap = max(120.0, 3.0 * float(np.median(dt_)))
    at = np.nonzero(dt_ > gap)[0]
    if at.size == 0:
        return t, v
    mids = (t[at] + t[at + 1]) / 2
    return np.insert(t, at + 1, mids), np.insert(v.astype(float), at + 1, np.nan)


class _Series:
    def __init__(self, label: str, quantity: str, colour: str) -> None:
        self.label = label
        self.quantity = quantity
        self.colour = colour
        self.t = np.empty(0)
        self.v = np.empty(0)
        self.pending_t: list[float] = []
        self.pending_v: list[float] = []
        self.item: pg.PlotDataItem | None = None


class CurvesPanel(QWidget):
    """Pressure (kPa) and flow (m³/h) plots plus residuals, x axes linked, local time on the axis."""

    def __init__(self, parent=None, *, history_s: float = 24 * 3600) -> None:  # noqa: ANN001
        super().__init__(parent)
        pg.setConfigOptions(antialias=False, background="w", foreground="#37474f")
        self.history_s = history_s
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        # One key for all three plots, above them: a series has the same colour in its plot and in the
        # residuals, and a legend inside a short plot hid the first third of its curves.
        self.key = QLabel()
        self.key.setTextFormat(Qt.TextFormat.RichText)
        self.key.setWordWrap(True)
        self.key.setStyleSheet("background:white;color:#37474f;padding:2px 8px;font-size:8pt;")
        self.key.setVisible(False)
        layout.addWidget(self.key)
        self.glw = pg.GraphicsLayoutWidget()
        layout.addWidget(self.glw)
        self.pressure_plot = self.glw.addPlot(row=0, col=0, axisItems={"bottom": LocalTimeAxis(orientation="bottom")})
        self.flow_plot = self.glw.addPlot(row=1, col=0, axisItems={"bottom": LocalTimeAxis(orientation="bottom")})
        self.residual_plot = self.glw.addPlot(row=2, col=0,
                                              axisItems={"bottom": LocalTimeAxis(orientation="bottom")})
        # Axis titles (name, unit). A plot too short for "name (unit)" along its axis (a 1366 × 768 screen, a
        # small dock) shows the unit there and the name in its top-left corner (the newest data is at the
        # right), instead of letting the rotated text run into the plot below.
        self.axis_titles = {
            self.pressure_plot: (self.tr("压力"), "kPa"),
            self.flow_plot: (self.tr("流量"), "m³/h"),
            self.residual_plot: (self.tr("模型残差"), "kPa"),
        }
        self._corner_titles: dict[pg.PlotItem, pg.TextItem] = {}
        for p in (self.pressure_plot, self.flow_plot, self.residual_plot):
            p.getAxis("left").enableAutoSIPrefix(False)
            name, unit = self.axis_titles[p]
            p.setLabel("left", f"{name} ({unit})")
            corner = pg.TextItem(name, color="#37474f", anchor=(0, 0), fill=pg.mkBrush(255, 255, 255, 215))
            corner.setParentItem(p.vb)  # pinned to the view, not to the data
            corner.setVisible(False)
            self._corner_titles[p] = corner
            p.showGrid(x=True, y=True, alpha=0.25)
            p.setClipToView(True)
            p.vb.sigResized.connect(lambda _vb, plot=p: self._fit_axis_title(plot))
        self.flow_plot.setXLink(self.pressure_plot)
        self.residual_plot.setXLink(self.pressure_plot)
        self.residual_plot.addLine(y=0, pen=pg.mkPen("#9e9e9e", width=1))
        self.series: dict[str, _Series] = {}
        self.residuals: dict[str, pg.PlotDataItem] = {}
        self._residual_data: dict[str, tuple[np.ndarray, np.ndarray]] = {}  # as given, without gap breaks
        self.follow_live = True
        self.window_s = 3600.0
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self.flush)
        self._timer.start()

    def _fit_axis_title(self, plot: pg.PlotItem) -> None:
        """"name (unit)" along the left axis if it fits the plot's height, else the unit there and the name
        in the plot's top-left corner."""
        axis = plot.getAxis("left")
        name, unit = self.axis_titles[plot]
        full = f"{name} ({unit})"
        fits = QFontMetrics(axis.label.font()).horizontalAdvance(full) + 8 <= plot.vb.height()
        if axis.labelText != (full if fits else unit):
            axis.setLabel(full if fits else unit)
        corner = self._corner_titles[plot]
        corner.setVisible(not fits)
        corner.setPos(4, 0)

    def axis_title(self, plot: pg.PlotItem) -> str:
        """What names the plot now: the axis title, with the corner title when the axis shows the unit only."""
        corner = self._corner_titles[plot]
        text = plot.getAxis("left").labelText
        return f"{corner.toPlainText()} ({text})" if corner.isVisible() else text

    def _plot_for(self, quantity: str) -> pg.PlotItem:
        return self.flow_plot if quantity == "flow_m3h" else self.pressure_plot

    def points(self) -> list[str]:
        return list(self.series)

    def set_series(self, point: str, label: str, quantity: str, t: np.ndarray, v: np.ndarray) -> None:
        s = self.series.get(point)
        if s is None:
            s = self.series[point] = _Series(label, quantity, PALETTE[len(self.series) % len(PALETTE)])
            s.item = self._plot_for(quantity).plot([], [], name=label, pen=pg.mkPen(s.colour, width=1))
            s.item.setDownsampling(auto=True, method="peak")
            s.item.setClipToView(True)
            self._update_key()
        s.t, s.v = np.asarray(t, float), np.asarray(v, float)
        s.item.setData(*with_gaps(s.t, s.v), connect="finite")
        self._update_range()

    def remove_series(self, point: str) -> None:
        s = self.series.pop(point, None)
        if s and s.item is not None:
            self._plot_for(s.quantity).removeItem(s.item)
        r = self.residuals.pop(point, None)
        self._residual_data.pop(point, None)
        if r is not None:
            self.residual_plot.removeItem(r)
        self._update_key()

    def key_entries(self) -> list[tuple[str, str]]:
        """(colour, label) of every series shown, in the order they were added (residuals of points
        without a curve after them)."""
        out = [(s.colour, s.label) for s in self.series.values()]
        out += [(RESIDUAL_ONLY, p) for p in self.residuals if p not in self.series]
        return out

    def _update_key(self) -> None:
        entries = self.key_entries()
        self.key.setText("&nbsp;&nbsp;&nbsp;".join(
            f'<span style="color:{c};font-weight:bold">━━</span>&nbsp;{html.escape(label)}' for c, label in entries))
        self.key.setVisible(bool(entries))

    def clear(self) -> None:
        for p in list(self.series):
            self.remove_series(p)

    def append(self, point: str, t: float, v: float) -> None:
        s = self.series.get(point)
        if s is not None:
            s.pending_t.append(t)
            s.pending_v.append(v)

    def append_residual(self, point: str, t: float, r: float) -> None:
        """Add one residual (measured − model) at time ``t``."""
        item = self.residuals.get(point)
        if item is None:
            self.set_residual(point, np.array([t]), np.array([r]))
            return
        x, y = self._residual_data[point]
        self._residual_data[point] = (np.append(x, t), np.append(y, r))
        item.setData(*with_gaps(*self._residual_data[point]), connect="finite")

    def set_residual(self, point: str, t: np.ndarray, r: np.ndarray) -> None:
        item = self.residuals.get(point)
        s = self.series.get(point)
        colour = s.colour if s else RESIDUAL_ONLY
        if item is None:
            item = self.residual_plot.plot([], [], name=(s.label if s else point), pen=pg.mkPen(colour, width=1))
            item.setDownsampling(auto=True, method="peak")  # a day of 1 Hz history, like the readings' curves
            item.setClipToView(True)
            self.residuals[point] = item
            self._update_key()
        self._residual_data[point] = (np.asarray(t, float), np.asarray(r, float))
        item.setData(*with_gaps(*self._residual_data[point]), connect="finite")

    def flush(self) -> None:
        changed = False
        for s in self.series.values():
            if s.pending_t:
                s.t = np.concatenate([s.t, np.array(s.pending_t)])
                s.v = np.concatenate([s.v, np.array(s.pending_v)])
                s.pending_t.clear()
                s.pending_v.clear()
                if len(s.t) and s.t[-1] - s.t[0] > self.history_s * 1.05:
                    keep = s.t >= s.t[-1] - self.history_s
                    s.t, s.v = s.t[keep], s.v[keep]
                s.item.setData(*with_gaps(s.t, s.v), connect="finite")
                changed = True
        if changed:
            self._update_range()

    def _update_range(self) -> None:
        if not self.follow_live:
            return
        ends = [s.t[-1] for s in self.series.values() if len(s.t)]
        if ends:
            end = max(ends)
            self.pressure_plot.setXRange(end - self.window_s, end + 30, padding=0)

    def set_window(self, seconds: float) -> None:
        self.window_s = seconds
        self._update_range()

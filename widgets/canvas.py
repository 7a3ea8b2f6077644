"""Topology canvas: the pipe network drawn to scale (QGraphicsView).

Plain data in (``set_network(view)`` with objects that have the attributes of the desktop's
``NetworkView``), signals out. Built for large networks: pipes are batched into one path item per colour
bucket and width class (tens of items, not thousands), hit-testing uses a vectorised nearest-segment
search, and labels hide when zoomed out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPen, QPolygonF, QWheelEvent
from PySide6.QtWidgets import (
    QGraphicsEllipseItem,
    QGraphicsItem,
    QGraphicsPathItem,
    QGraphicsPolygonItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QGraphicsView,
    QLabel,
    QToolTip,
)

#: Colour ramp used for pressure (low → high) and for leak probability (cold → hot).
PRESSURE_RAMP = ["#b2182b", "#d6604d", "#f4a582", "#fddbc7", "#d1e5f0", "#92c5de", "#4393c3", "#2166ac"]
HEAT_RAMP = ["#9e9e9e", "#fee08b", "#fdae61", "#f46d43", "#d73027", "#a50026"]
AREA_FILL = ["#eef4fb", "#f3f8ee", "#fbf3ea", "#f5eef8", "#eef8f6", "#fbeeee"]
NEUTRAL = "#5b6b7b"
#: Sensor marker fill by point health (点位健康度); "suspect" is accepted for "degraded".
HEALTH_COLOURS = {"good": "#2e7d32", "degraded": "#f9a825", "suspect": "#f9a825", "bad": "#c62828"}


class TopologyCanvas(QGraphicsView):
    """Signals: ``elementSelected(kind, id)`` (kind: pipe | valve | node | sensor | camera | area | "")."""

    elementSelected = Signal(str, str)

    MODE_PLAIN, MODE_PRESSURE, MODE_HEAT = "plain", "pressure", "heat"

    def __init__(self, parent=None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.MinimalViewportUpdate)
        self.setBackgroundBrush(QColor("#fbfcfd"))
        self.setMouseTracking(True)
        self.scale(1, -1)  # y up (north) like a map
        self.mode = self.MODE_PLAIN
        self._pipes: list = []
        self._pipe_index: dict[str, int] = {}
        self._seg_a = np.empty((0, 2))
        self._seg_b = np.empty((0, 2))
        self._seg_pipe = np.empty(0, dtype=np.int64)
        self._pipe_items: list[QGraphicsPathItem] = []
        self._overlay: list[QGraphicsItem] = []
        self._labels: list[QGraphicsItem] = []
        self._markers: dict[str, QGraphicsItem] = {}
        self._health: dict[str, tuple[str, str]] = {}  # sensor id -> (level, text)
        self._health_marks: list[QGraphicsItem] = []
        self._points: dict[str, tuple[str, float, float, str]] = {}  # id -> (kind, x, y, name)
        self._values: dict[str, float] = {}
        self._value_range: tuple[float, float] = (0.0, 1.0)
        self._selection_item: QGraphicsPathItem | None = None
        self._press_pos = None
        self._network = None
        self._user_zoomed = False

    # -- building ----------------------------------------------------------------------------------
    def set_network(self, network) -> None:  # noqa: ANN001
        """Draw a network view (areas, buildings, pipes, valves, sensors, cameras)."""
        scene = self.scene()
        scene.clear()
        self._overlay, self._labels, self._markers, self._pipe_items = [], [], {}, []
        self._health_marks = []
        self._selection_item = None
        self._network = network
        self._pipes = list(network.pipes)
        self._pipe_index = {p.id: i for i, p in enumerate(self._pipes)}
        a, b, owner = [], [], []
        for i, p in enumerate(self._pipes):
            for (x1, y1), (x2, y2) in zip(p.xy, p.xy[1:], strict=False):
                a.append((x1, y1))
                b.append((x2, y2))
                owner.append(i)
        self._seg_a, self._seg_b = np.array(a, dtype=float).reshape(-1, 2), np.array(b, dtype=float).reshape(-1, 2)
        self._seg_pipe = np.array(owner, dtype=np.int64)
        label_font = QFont()
        label_font.setPointSizeF(9)
        for k, area in enumerate(network.areas):
            for ring in area.rings[:1]:
                poly = QGraphicsPolygonItem(QPolygonF([QPointF(x, y) for x, y in ring]))
                poly.setBrush(QColor(AREA_FILL[k % len(AREA_FILL)]))
                poly.setPen(QPen(QColor("#c9d3dd"), 0))
                poly.setZValue(-10)
                scene.addItem(poly)
                xs, ys = [p[0] for p in ring], [p[1] for p in ring]
                self._add_label(area.name, min(xs) + 8, max(ys) - 6, size=13, color="#7a8794", bold=True)
        for bld in network.buildings:
            if bld.rings:
                poly = QGraphicsPolygonItem(QPolygonF([QPointF(x, y) for x, y in bld.rings[0]]))
                poly.setBrush(QColor("#e3e7eb"))
                poly.setPen(QPen(QColor("#b7c0c8"), 0))
                poly.setZValue(-5)
                poly.setToolTip(f"{bld.name} · {bld.households} 户")
                scene.addItem(poly)
                self._add_label(bld.name, bld.x - 4, bld.y + 3, size=7, color="#8a96a2")
        self._draw_pipes()
        self._points.clear()
        for node in network.nodes:
            if node.kind == "source":
                self._add_marker(node.id, "source", node.x, node.y, node.name or node.id)
        for pipe in self._pipes:
            if pipe.kind == "valve":
                mx, my = pipe.xy[len(pipe.xy) // 2]
                self._add_marker(pipe.id, "valve", mx, my, pipe.name or pipe.id, closed=pipe.status == "closed")
        for s in network.sensors:
            self._add_marker(s.id, "sensor", s.x, s.y, s.name or s.id)
        for c in network.cameras:
            self._add_marker(c.id, "camera", c.x, c.y, c.name or c.id)
        rect = scene.itemsBoundingRect().adjusted(-40, -40, 40, 40)
        scene.setSceneRect(rect)
        if self._health:
            self.set_point_health(self._health)
        self.fit()

    def _add_label(self, text: str, x: float, y: float, *, size: float = 8, color: str = "#46525e",
                   bold: bool = False) -> QGraphicsSimpleTextItem:
        item = QGraphicsSimpleTextItem(text)
        f = QFont()
        f.setPointSizeF(size)
        f.setBold(bold)
        item.setFont(f)
        item.setBrush(QColor(color))
        item.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations, True)
        item.setPos(x, y)
        item.setZValue(20)
        self.scene().addItem(item)
        self._labels.append(item)
        return item

    def _add_marker(self, eid: str, kind: str, x: float, y: float, name: str, *, closed: bool = False) -> None:
        size = {"source": 16, "valve": 9, "sensor": 9, "camera": 9}[kind]
        if kind == "valve":
            item = QGraphicsRectItem(-size / 2, -size / 2, size, size)
            item.setRotation(45)
            item.setBrush(QColor("#ffffff" if not closed else "#222222"))
            item.setPen(QPen(QColor("#222222"), 1.5))
        elif kind == "source":
            item = QGraphicsRectItem(-size / 2, -size / 2, size, size)
            item.setBrush(QColor("#1f4e79"))
            item.setPen(QPen(QColor("#0b2239"), 1.5))
        else:
            item = QGraphicsEllipseItem(-size / 2, -size / 2, size, size)
            item.setBrush(QColor("#2e7d32" if kind == "sensor" else "#6a1b9a"))
            item.setPen(QPen(QColor("#ffffff"), 1.5))
        item.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations, True)
        item.setPos(x, y)
        item.setZValue(30 if kind != "valve" else 25)
        item.setData(0, (kind, eid))
        item.setToolTip(f"{name} ({eid})")
        self.scene().addItem(item)
        self._markers[eid] = item
        self._points[eid] = (kind, x, y, name)
        if kind in ("sensor", "source"):
            lbl = self._add_label(eid, x + 0, y + 0, size=7.5, color="#1b5e20" if kind == "sensor" else "#1f4e79")
            lbl.setData(1, eid)

    def _pipe_width(self, diameter_mm: float) -> float:
        return 1.0 if diameter_mm < 45 else 2.0 if diameter_mm < 75 else 3.0 if diameter_mm < 120 else 4.0

    def _colour_of(self, pipe_idx: int) -> str:
        p = self._pipes[pipe_idx]
        if self.mode == self.MODE_PLAIN or p.id not in self._values:
            return NEUTRAL if self.mode != self.MODE_HEAT else HEAT_RAMP[0]
        lo, hi = self._value_range
        v = self._values[p.id]
        f = 0.0 if hi <= lo else min(max((v - lo) / (hi - lo), 0.0), 1.0)
        ramp = PRESSURE_RAMP if self.mode == self.MODE_PRESSURE else HEAT_RAMP
        return ramp[min(int(f * len(ramp)), len(ramp) - 1)]

    #: Pipes are grouped per colour × width class and per spatial tile, so a zoomed-in view only paints the
    #: tiles it shows; each group is cached as a device-coordinate pixmap, so panning is a blit.
    TILE_M = 400.0
    cache_tiles = True

    def _draw_pipes(self) -> None:
        scene = self.scene()
        for item in self._pipe_items:
            scene.removeItem(item)
        self._pipe_items = []
        groups: dict[tuple, QPainterPath] = {}
        big = len(self._pipes) > 3000
        for i, p in enumerate(self._pipes):
            x0, y0 = p.xy[0]
            tile = (int(x0 // self.TILE_M), int(y0 // self.TILE_M)) if big else (0, 0)
            key = (self._colour_of(i), self._pipe_width(p.diameter_mm), tile)
            path = groups.setdefault(key, QPainterPath())
            path.moveTo(*p.xy[0])
            for x, y in p.xy[1:]:
                path.lineTo(x, y)
        for (colour, width, _tile), path in groups.items():
            item = QGraphicsPathItem(path)
            pen = QPen(QColor(colour), width)
            pen.setCosmetic(True)
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            item.setPen(pen)
            item.setZValue(10 + width)
            item.setAcceptHoverEvents(False)
            if big and self.cache_tiles:
                item.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
            scene.addItem(item)
            self._pipe_items.append(item)
        self._update_lod()

    # -- state: colouring, heat, interval, alarms -----------------------------------------------------
    def set_mode(self, mode: str) -> None:
        self.mode = mode
        self._draw_pipes()

    def set_pipe_values(self, values: Mapping[str, float], value_range: tuple[float, float] | None = None,
                        mode: str | None = None) -> None:
        """Colour pipes by a value each (pressure kPa in pressure mode, probability 0–1 in heat mode)."""
        self._values = dict(values)
        if value_range is None and values:
            vs = list(values.values())
            value_range = (min(vs), max(vs))
        self._value_range = value_range or (0.0, 1.0)
        if mode:
            self.mode = mode
        self._draw_pipes()

    def set_point_health(self, health: Mapping[str, tuple[str, str]]) -> None:
        """Colour each sensor marker by its health (``level``: good | degraded/suspect | bad; a bad one also
        gets a white ✕) and add ``text`` (e.g. the score and reasons) to its tooltip. Sensors missing from
        ``health`` are drawn plain again."""
        for mark in self._health_marks:
            mark.setParentItem(None)
            if mark.scene() is not None:
                self.scene().removeItem(mark)
        self._health_marks = []
        self._health = dict(health)
        for eid, (kind, _x, _y, name) in self._points.items():
            if kind != "sensor":
                continue
            item = self._markers[eid]
            level, text = self._health.get(eid, ("", ""))
            item.setBrush(QColor(HEALTH_COLOURS.get(level, HEALTH_COLOURS["good"])))
            item.setToolTip(f"{name} ({eid})" + (f"\n{text}" if text else ""))
            item.setScale(1.6 if level == "bad" else 1.3 if level in ("degraded", "suspect") else 1.0)
            if level == "bad":
                cross = QPainterPath()
                cross.moveTo(-2.5, -2.5)
                cross.lineTo(2.5, 2.5)
                cross.moveTo(-2.5, 2.5)
                cross.lineTo(2.5, -2.5)
                mark = QGraphicsPathItem(cross, item)
                mark.setPen(QPen(QColor("#ffffff"), 1.6))
                self._health_marks.append(mark)

    def point_health(self, eid: str) -> tuple[str, str] | None:
        """(level, text) last set for a sensor, or None."""
        return self._health.get(eid)

    def clear_overlay(self) -> None:
        for item in self._overlay:
            self.scene().removeItem(item)
        self._overlay = []

    def outline_pipes(self, pipe_ids: Sequence[str], *, colour: str = "#d50000", label: str = "") -> None:
        """Outline a set of pipes (the suspected interval) with a halo and an optional label."""
        path = QPainterPath()
        pts = []
        for pid in pipe_ids:
            i = self._pipe_index.get(pid)
            if i is None:
                continue
            xy = self._pipes[i].xy
            path.moveTo(*xy[0])
            for x, y in xy[1:]:
                path.lineTo(x, y)
            pts.extend(xy)
        if not pts:
            return
        halo = QGraphicsPathItem(path)
        pen = QPen(QColor(colour), 10)
        pen.setCosmetic(True)
        c = QColor(colour)
        c.setAlpha(90)
        pen.setColor(c)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        halo.setPen(pen)
        halo.setZValue(5)
        self.scene().addItem(halo)
        self._overlay.append(halo)
        if label:
            x = max(p[0] for p in pts)
            y = sum(p[1] for p in pts) / len(pts)
            item = self._add_label(label, x + 10, y, size=9, color=colour, bold=True)
            self._labels.remove(item)
            self._overlay.append(item)

    def mark_alarm(self, element_id: str, text: str = "") -> None:
        """A pulsing-red ring at a sensor/node/pipe that has an active alarm."""
        xy = self.element_xy(element_id)
        if xy is None:
            return
        ring = QGraphicsEllipseItem(-11, -11, 22, 22)
        ring.setPen(QPen(QColor("#d50000"), 2.5))
        ring.setBrush(Qt.BrushStyle.NoBrush)
        ring.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations, True)
        ring.setPos(*xy)
        ring.setZValue(40)
        if text:
            ring.setToolTip(text)
        self.scene().addItem(ring)
        self._overlay.append(ring)

    def element_xy(self, element_id: str) -> tuple[float, float] | None:
        if element_id in self._points:
            _, x, y, _ = self._points[element_id]
            return x, y
        i = self._pipe_index.get(element_id)
        if i is not None:
            xy = self._pipes[i].xy
            return xy[len(xy) // 2]
        if self._network is not None:
            for n in self._network.nodes:
                if n.id == element_id:
                    return n.x, n.y
        return None

    def pipe_count(self) -> int:
        return len(self._pipes)

    def item_count(self) -> int:
        return len(self.scene().items())

    # -- navigation ------------------------------------------------------------------------------------
    def fit(self) -> None:
        """The whole network in view, above the key in the lower-left corner (which it would hide)."""
        self._user_zoomed = False
        rect = self._above_key(self.scene().sceneRect())
        self.setSceneRect(rect)
        self.fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)
        self._update_lod()

    def _above_key(self, rect: QRectF) -> QRectF:
        """``rect`` grown downwards so that, fitted into the view, its original part clears the key."""
        key = getattr(self, "_key_label", None)
        band = key.height() + 16 if key is not None and key.isVisibleTo(self) else 0
        vp = self.viewport()
        if band and rect.width() > 0 and rect.height() > 0 and vp.height() > band + 40:
            s = min(vp.width() / rect.width(), (vp.height() - band) / rect.height())
            return rect.adjusted(0, -band / s, 0, 0)  # y is up: the screen's bottom is the scene's lower y
        return rect

    def zoom(self, factor: float) -> None:
        self._user_zoomed = True
        self.scale(factor, factor)
        self._update_lod()

    def focus_on(self, element_ids: Sequence[str], margin_m: float = 60.0) -> None:
        pts = [xy for e in element_ids if (xy := self.element_xy(e)) is not None]
        for e in element_ids:
            i = self._pipe_index.get(e)
            if i is not None:
                pts.extend(self._pipes[i].xy)
        if not pts:
            return
        xs, ys = [p[0] for p in pts], [p[1] for p in pts]
        rect = QRectF(min(xs) - margin_m, min(ys) - margin_m, max(xs) - min(xs) + 2 * margin_m,
                      max(ys) - min(ys) + 2 * margin_m)
        self.fitInView(self._above_key(rect), Qt.AspectRatioMode.KeepAspectRatio)
        self._user_zoomed = True
        self._update_lod()

    def set_overlay_text(self, html: str) -> None:
        """Show a fixed key (rich text) in the lower-left corner of the view, above the map. A key wider than
        the view wraps onto more lines (mark the parts that must stay whole with ``white-space:nowrap``)."""
        if getattr(self, "_key_label", None) is None:
            self._key_label = QLabel(self.viewport())
            self._key_label.setTextFormat(Qt.TextFormat.RichText)
            self._key_label.setWordWrap(True)
            self._key_label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            self._key_label.setStyleSheet("background:rgba(255,255,255,225);border:1px solid #cfd8dc;"
                                        "border-radius:3px;padding:3px 6px;color:#37474f;")
        self._key_label.setText(html)
        self._place_overlay()
        self._key_label.show()
        if not self._user_zoomed:
            self.fit()

    def overlay_text(self) -> str:
        """The key shown in the corner ('' when none)."""
        overlay = getattr(self, "_key_label", None)
        return overlay.text() if overlay is not None else ""

    def _place_overlay(self) -> None:
        overlay = getattr(self, "_key_label", None)
        if overlay is not None:
            room = max(self.viewport().width() - 16, 80)
            overlay.setWordWrap(False)
            natural = overlay.sizeHint()
            if natural.width() > room:  # wrap between the key's entries
                overlay.setWordWrap(True)
                overlay.resize(room, overlay.heightForWidth(room))
            else:
                overlay.resize(natural)
            self._move_overlay()

    def _move_overlay(self) -> None:
        overlay = getattr(self, "_key_label", None)
        if overlay is not None:
            overlay.move(8, self.viewport().height() - overlay.height() - 8)

    def scrollContentsBy(self, dx: int, dy: int) -> None:  # noqa: N802
        super().scrollContentsBy(dx, dy)  # scrolls the viewport's children too: put the key back (size unchanged)
        self._move_overlay()

    def resizeEvent(self, event) -> None:  # noqa: ANN001, N802
        super().resizeEvent(event)
        self._place_overlay()  # before fit(): the key's height at this width sets the room left below the map
        if not self._user_zoomed:
            self.fit()

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802
        self.zoom(1.2 if event.angleDelta().y() > 0 else 1 / 1.2)

    def _update_lod(self) -> None:
        px_per_m = abs(self.transform().m11())
        # Antialiasing costs most when thousands of thin pipes are on screen and buys little there.
        visible_pipes = len(self._pipes) * min(1.0, (self.viewport().width() / max(px_per_m, 1e-9))
                                               / max(self.sceneRect().width(), 1.0))
        self.setRenderHint(QPainter.RenderHint.Antialiasing, visible_pipes < 2500)
        show_small = px_per_m > 0.9
        for item in self._labels:
            item.setVisible(show_small or item.font().pointSizeF() >= 9)

    # -- picking -----------------------------------------------------------------------------------------
    def nearest_pipe(self, x: float, y: float, max_dist_m: float) -> str | None:
        if len(self._seg_a) == 0:
            return None
        ab = self._seg_b - self._seg_a
        ap = np.array([x, y]) - self._seg_a
        denom = np.maximum((ab * ab).sum(1), 1e-9)
        t = np.clip((ap * ab).sum(1) / denom, 0, 1)
        d = np.hypot(*(self._seg_a + ab * t[:, None] - np.array([x, y])).T)
        k = int(np.argmin(d))
        return self._pipes[self._seg_pipe[k]].id if d[k] <= max_dist_m else None

    def pick(self, view_pos) -> tuple[str, str]:  # noqa: ANN001
        for item in self.items(view_pos):
            data = item.data(0)
            if data:
                return data
        scene_pos = self.mapToScene(view_pos)
        tol = 6.0 / max(abs(self.transform().m11()), 1e-6)
        pid = self.nearest_pipe(scene_pos.x(), scene_pos.y(), tol)
        if pid is not None:
            return self._pipes[self._pipe_index[pid]].kind, pid
        return "", ""

    def describe(self, kind: str, eid: str) -> str:
        if kind in ("pipe", "valve"):
            p = self._pipes[self._pipe_index[eid]]
            txt = f"{p.name or eid}（{eid}）\nDN {p.diameter_mm:.0f} mm · {p.length_m:.1f} m"
            if p.segment:
                txt += f" · 管段 {p.segment}"
            if kind == "valve":
                txt += "\n阀门：" + ("关" if p.status == "closed" else "开")
            if eid in self._values:
                txt += f"\n{'压力' if self.mode == self.MODE_PRESSURE else '疑似概率'}：{self._values[eid]:.3g}"
            return txt
        if eid in self._points:
            k, _x, _y, name = self._points[eid]
            health = self._health.get(eid) if k == "sensor" else None
            return f"{name}（{eid}）" + (f"\n{health[1]}" if health and health[1] else "")
        return eid

    def mousePressEvent(self, event) -> None:  # noqa: ANN001, N802
        self._press_pos = event.position().toPoint()
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event) -> None:  # noqa: ANN001, N802
        super().mouseReleaseEvent(event)
        pos = event.position().toPoint()
        if self._press_pos is not None and (pos - self._press_pos).manhattanLength() < 4:
            kind, eid = self.pick(pos)
            self.select(kind, eid)
        self._press_pos = None

    def mouseMoveEvent(self, event) -> None:  # noqa: ANN001, N802
        super().mouseMoveEvent(event)
        if event.buttons():
            return
        kind, eid = self.pick(event.position().toPoint())
        if kind in ("pipe", "valve"):
            QToolTip.showText(event.globalPosition().toPoint(), self.describe(kind, eid), self)

    def select(self, kind: str, eid: str) -> None:
        if self._selection_item is not None:
            self.scene().removeItem(self._selection_item)
            self._selection_item = None
        if kind in ("pipe", "valve") and eid in self._pipe_index:
            p = self._pipes[self._pipe_index[eid]]
            path = QPainterPath()
            path.moveTo(*p.xy[0])
            for x, y in p.xy[1:]:
                path.lineTo(x, y)
            item = QGraphicsPathItem(path)
            pen = QPen(QColor("#ffab00"), 7)
            pen.setCosmetic(True)
            item.setPen(pen)
            item.setZValue(8)
            self.scene().addItem(item)
            self._selection_item = item
        self.elementSelected.emit(kind, eid)


def legend_stops(mode: str, lo: float, hi: float) -> list[tuple[str, str]]:
    """(colour, label) pairs for a legend of the current colouring."""
    ramp = PRESSURE_RAMP if mode == TopologyCanvas.MODE_PRESSURE else HEAT_RAMP
    n = len(ramp)
    return [(c, f"{lo + (hi - lo) * (i + 0.5) / n:.{2 if hi - lo < 10 else 0}f}") for i, c in enumerate(ramp)]


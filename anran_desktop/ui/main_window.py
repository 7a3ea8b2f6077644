"""The main window: topology canvas, live curves, ticket board, event feed, status bar — wired to services."""

from __future__ import annotations

import logging
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PySide6.QtCore import QDateTime, QProcess, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDockWidget,
    QFileDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from anran_desktop.ingest.base import DataSource
from anran_desktop.services.events import AlarmService, EventService
from anran_desktop.services.live import LivePipeline
from anran_desktop.services.loop import LoopServices
from anran_desktop.services.network import NetworkService, NetworkView
from anran_desktop.services.residuals import ResidualHistory
from anran_desktop.services.telemetry import TelemetryService
from anran_desktop.services.tickets import TicketService, WorkflowError
from anran_desktop.store import Store, StoreError
from anran_desktop.ui.app import save_language, saved_language
from anran_desktop.ui.point_health_view import health_key_html
from anran_desktop.ui.workers import run_in_worker
from engine.interval import quoted
from engine.network import Network
from engine.solver import solve
from widgets.canvas import TopologyCanvas, legend_stops
from widgets.curves import CurvesPanel
from widgets.event_feed import EventFeed
from widgets.ticket_board import TicketBoard
from widgets.ticket_detail import TicketDetailPanel

log = logging.getLogger(__name__)


@dataclass
class Services:
    store: Store
    network_model: Network
    network: NetworkService
    telemetry: TelemetryService
    tickets: TicketService
    events: EventService
    alarms: AlarmService
    loop: LoopServices  # users, evidence, dispatch, audit — with the workflow guards registered on tickets

    @classmethod
    def create(cls, store: Store, network_model: Network) -> Services:
        events = EventService(store)
        tickets, alarms = TicketService(store), AlarmService(store, events)
        return cls(store, network_model, NetworkService(store), TelemetryService(store), tickets,
                   events, alarms, LoopServices.create(store, network_model, tickets, alarms))

    def use_network(self, model: Network) -> None:
        """The network model the services work on from now on (an imported network)."""
        self.network_model = model
        self.loop.dispatch.network = model


class MainWindow(QMainWindow):
    modelUpdated = Signal(object)

    def __init__(self, services: Services, *, user: str = "dispatcher", source: DataSource | None = None) -> None:
        super().__init__()
        self.svc = services
        self.user = user
        self.source = source
        self.pipeline: LivePipeline | None = None
        self.view: NetworkView = services.network.view()
        self._last_event_id = 0
        self._model_busy = False
        self._latest: dict[str, float] = {}
        self._model_pressure: dict[str, float] = {}
        self._residuals: dict[str, list[tuple[float, float]]] = {}  # live, at each model solve
        self._residual_hist: dict[str, tuple[np.ndarray, np.ndarray]] = {}  # of the plotted points' history
        self._residual_request = 0
        self.residual_history = ResidualHistory(services.network_model)
        self.network_generation = 0  # +1 at each network imported while the window is open
        site = self.view.site.get("name", "")
        self.setWindowTitle(self.tr("安燃云 AnRan — 燃气管网监测与应急调度") + (f" · {site}" if site else ""))
        self.resize(1600, 1000)
        self._build()
        self.refresh_board()
        self.refresh_events()
        self._clock = QTimer(self)
        self._clock.timeout.connect(self._tick)
        self._clock.start(1000)
        self._tick()
        self._model_timer = QTimer(self)
        self._model_timer.timeout.connect(self.update_model)
        self._model_timer.start(10_000)
        self.leak_watch = None
        self._watch_busy = False
        self._watch_timer = QTimer(self)
        self._watch_timer.timeout.connect(self.check_leaks)
        self._watch_timer.start(30_000)

    # -- layout ---------------------------------------------------------------------------------------
    def _build(self) -> None:
        self.canvas = TopologyCanvas()
        self.canvas.set_network(self.view)
        self.canvas.elementSelected.connect(self.on_element_selected)
        central = QWidget()
        lay = QVBoxLayout(central)
        lay.setContentsMargins(0, 0, 0, 0)
        bar = QToolBar()
        self.mode_box = QComboBox()
        self.mode_box.addItem(self.tr("按管径"), TopologyCanvas.MODE_PLAIN)
        self.mode_box.addItem(self.tr("按压力着色"), TopologyCanvas.MODE_PRESSURE)
        self.mode_box.addItem(self.tr("按泄漏疑似度着色"), TopologyCanvas.MODE_HEAT)
        self.mode_box.setCurrentIndex(1)
        self.mode_box.currentIndexChanged.connect(self._on_mode)
        bar.addWidget(QLabel(self.tr(" 着色：")))
        bar.addWidget(self.mode_box)
        fit = QAction(self.tr("适应窗口"), self)
        fit.setShortcut(QKeySequence("F"))
        fit.triggered.connect(self.canvas.fit)
        bar.addAction(fit)
        zin = QAction(self.tr("放大"), self)
        zin.setShortcut(QKeySequence.StandardKey.ZoomIn)
        zin.triggered.connect(lambda: self.canvas.zoom(1.25))
        zout = QAction(self.tr("缩小"), self)
        zout.setShortcut(QKeySequence.StandardKey.ZoomOut)
        zout.triggered.connect(lambda: self.canvas.zoom(0.8))
        bar.addAction(zin)
        bar.addAction(zout)
        self.legend = QLabel()
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        bar.addSeparator()
        bar.addWidget(self.legend)
        lay.addWidget(bar)
        lay.addWidget(self.canvas)
        key = [("<span style='color:#263238'>◆</span> ", self.tr("阀门（实心=关）")),
               ("<span style='color:#2e7d32'>●</span> ", self.tr("压力测点")),
               (health_key_html(), ""),
               ("<span style='color:#6a1b9a'>●</span> ", self.tr("摄像头")),
               ("<span style='color:#1f4e79'>■</span> ", self.tr("调压站")),
               ("<span style='color:#d50000'>○</span> ", self.tr("告警")),
               ("<span style='color:#ffab00'>━</span> ", self.tr("疑似区间")),
               ("", self.tr("线宽 = 管径"))]
        # Each entry stays whole; a narrow view wraps the key between entries.
        self.canvas.set_overlay_text(" &nbsp; ".join(
            f"<span style='white-space:nowrap'>{mark}{text}</span>" for mark, text in key))

        self.curves = CurvesPanel()
        self.board = TicketBoard()
        self.board.moveRequested.connect(self.on_move_requested)
        self.board.ticketSelected.connect(self.show_ticket)
        self.ticket_detail = TicketDetailPanel()
        tickets = QSplitter(Qt.Orientation.Horizontal)
        tickets.addWidget(self.board)
        tickets.addWidget(self.ticket_detail)
        tickets.setSizes([580, 420])  # three card columns beside a detail panel that fits its four tabs
        tickets.setStretchFactor(0, 3)
        tickets.setStretchFactor(1, 2)
        self.bottom_tabs = QTabWidget()
        self.bottom_tabs.addTab(self.curves, self.tr("压力/流量曲线"))
        self.bottom_tabs.addTab(tickets, self.tr("工单中心"))
        from anran_desktop.ui.report_center_panel import attach_report_center

        attach_report_center(self, self.svc.store)  # 报告中心: generate / list / open PDFs
        from anran_desktop.ui.drill_invite_panel import attach_drill_invite

        attach_drill_invite(self)  # 演练签到: invite areas' residents, invited / checked-in counts
        from anran_desktop.ui.area_notice_panel import attach_area_notice

        attach_area_notice(self)  # 区域通知: 抢修 / 停气 / 恢复供气 notices to areas' residents, acknowledgements

        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(central)
        split.addWidget(self.bottom_tabs)
        split.setSizes([600, 380])
        self.setCentralWidget(split)

        self.sensor_list = QListWidget()
        self.sensor_list.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)
        self._fill_sensor_list()
        self.sensor_list.itemSelectionChanged.connect(self._on_sensor_list)
        self.details = QLabel(self.tr("点击管网中的管段、阀门或测点查看详情"))
        self.details.setWordWrap(True)
        self.details.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.details.setStyleSheet("padding:6px;color:#37474f;")
        self.feed = EventFeed()
        self.feed.eventActivated.connect(self.on_event_activated)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(4, 4, 4, 4)
        rl.addWidget(QLabel(self.tr("<b>告警与事件</b>")))
        rl.addWidget(self.feed, 3)
        rl.addWidget(QLabel(self.tr("<b>测点</b>（可多选，曲线共用时间轴）")))
        rl.addWidget(self.sensor_list, 2)
        rl.addWidget(QLabel(self.tr("<b>详情</b>")))
        rl.addWidget(self.details, 1)
        dock = QDockWidget(self.tr("事件 · 测点 · 详情"), self)
        dock.setObjectName("right-dock")
        dock.setWidget(right)
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                         | QDockWidget.DockWidgetFeature.DockWidgetFloatable)
        dock.setMinimumWidth(360)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
        self.right_dock = dock
        self._build_menus()
        from anran_desktop.ui.loop_menus import install_loop

        install_loop(self)  # self.loop: alarm card → ticket → close, sign-in role, audit, crew mode

        sb = self.statusBar()
        self.source_label = QLabel()
        self.db_label = QLabel(self.tr("数据库：") + str(self.svc.store.path))
        self.sync_label = QLabel(self.tr("同步：未配置"))
        self.clock_label = QLabel()
        for w in (self.source_label, self.db_label, self.sync_label):
            sb.addWidget(w)
        sb.addPermanentWidget(self.clock_label)
        self._on_mode()

    def _build_menus(self) -> None:
        m = self.menuBar().addMenu(self.tr("文件(&F)"))
        a = m.addAction(self.tr("打开数据库…"))
        a.setShortcut(QKeySequence.StandardKey.Open)
        a.triggered.connect(self.open_database_dialog)
        from anran_desktop.ui.backup_action import add_backup_action

        self.backup_action = add_backup_action(self, m)
        from anran_desktop.ui.restore_action import add_restore_action

        self.restore_action = add_restore_action(self, m)
        m.addSeparator()
        a = m.addAction(self.tr("导入管网 GeoJSON…"))
        a.triggered.connect(self.import_network_dialog)
        a = m.addAction(self.tr("导入读数 CSV…"))
        a.triggered.connect(self.import_csv_dialog)
        m.addSeparator()
        a = m.addAction(self.tr("退出"))
        a.setShortcut(QKeySequence.StandardKey.Quit)
        a.triggered.connect(self.close)
        v = self.menuBar().addMenu(self.tr("视图(&V)"))
        v.addAction(self.right_dock.toggleViewAction())
        self.view_menu = v
        lang_menu = self.menuBar().addMenu(self.tr("语言(&L)"))
        current = getattr(QApplication.instance(), "_anran_lang", None) or saved_language() or "zh_CN"
        group = QActionGroup(self)
        for code, label in (("zh_CN", "简体中文"), ("en", "English")):
            a = lang_menu.addAction(label)
            a.setCheckable(True)
            a.setChecked(code == current)
            a.setData(code)
            group.addAction(a)
        group.triggered.connect(self._on_language)
        self.language_actions = group
        h = self.menuBar().addMenu(self.tr("帮助(&H)"))
        a = h.addAction(self.tr("关于安燃云"))
        a.triggered.connect(lambda: QMessageBox.about(
            self, self.tr("关于安燃云"),
            self.tr("安燃云 AnRan — 城/园区燃气漏损监测与应急处置\n更快发现、更准定位、更规范闭环")))

    def _on_language(self, action: QAction) -> None:
        code = str(action.data())
        save_language(code)
        QMessageBox.information(self, self.tr("界面语言"),
                                self.tr("界面语言已保存，重新启动安燃云后生效。"))

    def add_panel(self, name: str, widget: QWidget) -> None:
        """Add a tab to the bottom panel (used by later capabilities: meter reading, reports …)."""
        self.bottom_tabs.addTab(widget, name)

    def set_sync_status(self, text: str, ok: bool) -> None:
        self.sync_label.setText(self.tr("同步：") + text)
        self.sync_label.setStyleSheet("" if ok else "color:#c62828;")

    # -- live data ------------------------------------------------------------------------------------
    def attach_pipeline(self, pipeline: LivePipeline) -> None:
        self.pipeline = pipeline
        self.source = pipeline.source
        pipeline.on_batch(self.on_batch)

    def check_leaks(self, now: float | None = None) -> None:
        """Localization on the live window, on a worker thread; results colour the canvas."""
        if self.pipeline is None or self._watch_busy:
            return
        if self.leak_watch is None:
            from anran_desktop.services.leak_watch import LeakWatch

            self.leak_watch = LeakWatch(self.svc.network_model, self.svc.alarms, tickets=self.svc.tickets,
                                        is_drill=bool(getattr(self.source, "drill", False)))
        from anran_desktop.ui.point_health_view import start_check

        start_check(self, now or time.time())  # point health first: bad points stay out of the engine

    def _on_watch(self, outcome) -> None:  # noqa: ANN001
        self._watch_busy = False
        res = outcome.result
        if res is None:
            return
        self.canvas.clear_overlay()
        if res.leak_detected:
            self._heat = res.pipe_probability
            if self.canvas.mode == TopologyCanvas.MODE_HEAT:
                self.canvas.set_pipe_values(self._heat, (0.0, max(self._heat.values())), mode=TopologyCanvas.MODE_HEAT)
                self._update_legend()
            note = {"pending": self.tr("（置信度校准中）"), "failed": self.tr("（置信度未校准）")}.get(outcome.calibration, "")
            if outcome.confirming_s > 0:  # detected, not yet an alarm (the watch's confirmation)
                note += self.tr("（待确认）")
                rule = self.leak_watch.confirmation
                self.statusBar().showMessage(
                    self.tr("疑似泄漏待确认：近 {span} 分钟内已检出 {held} 分钟，满 {need} 分钟即告警")
                    .replace("{span}", f"{(rule.span_s or rule.confirm_s) / 60:.0f}")
                    .replace("{held}", f"{outcome.confirming_s / 60:.1f}")
                    .replace("{need}", f"{rule.confirm_s / 60:.0f}"), 60_000)
            self.canvas.outline_pipes(res.interval_pipes,
                                      label=f"{res.interval_length_m:.0f} m · {quoted(res.confidence):.2f}{note}")
        if outcome.alarm is not None:
            self.refresh_events()
        if outcome.updated is not None:
            self.feed.show_latest(outcome.updated.id, outcome.updated.location["latest"])
        if outcome.ticket is not None:  # the alarm's ticket (and the crew's copy) took the new interval
            self.show_followed(outcome.ticket)
        elif outcome.updated is not None and outcome.updated.ticket_id:
            self.loop.follow_watch(outcome.updated.ticket_id)  # narrowed by evidence: located again with it

    def show_followed(self, ticket) -> None:  # noqa: ANN001 - a TicketDetail
        """A ticket took the system's newer interval: the board, the open ticket and the status bar say so."""
        tid = ticket.card.id
        self.refresh_board()
        if self.ticket_detail.ticket_id == tid:
            self.show_ticket(tid)
        iv = ticket.suspect_interval
        self.statusBar().showMessage(self.tr("工单 {t} 的疑似区间已按最新定位更新：{m} m · 置信度 {c}")
                                     .replace("{t}", tid).replace("{m}", f"{iv['length_m']:.0f}")
                                     .replace("{c}", f"{quoted(iv['confidence']):.2f}"), 10_000)

    def _on_watch_error(self, message: str) -> None:
        self._watch_busy = False
        self.statusBar().showMessage(self.tr("泄漏定位失败：") + message.splitlines()[0], 10_000)

    def on_batch(self, batch) -> None:  # noqa: ANN001
        for s in batch:
            self._latest[s.point] = s.value
            self.curves.append(s.point, s.time, s.value)

    def _state_text(self, state: str) -> str:
        names = {"stopped": self.tr("已停止"), "connecting": self.tr("连接中"), "running": self.tr("运行中"),
                 "reconnecting": self.tr("重连中"), "finished": self.tr("回放结束"), "failed": self.tr("故障")}
        return names.get(state, state)

    def _source_term(self, word: str) -> str:
        """A data source's kind as the status bar words it (the ingest layer knows no Qt)."""
        names = {"模拟器": self.tr("模拟器"), "CSV 回放": self.tr("CSV 回放"),
                 # a site's sources listed after its name: full-width in Chinese, ASCII with spaces in English
                 "（": self.tr("（"), "）": self.tr("）"), "：": self.tr("："), "；": self.tr("；")}
        return names.get(word, word)

    def _tick(self) -> None:
        self.clock_label.setText(QDateTime.currentDateTime().toString("yyyy-MM-dd HH:mm:ss"))
        if self.source is not None:
            st = self.source.status
            line = getattr(self.source, "status_line", None)  # states translated, per member for a site
            text = self.tr("数据源：") + (line(self._state_text, self._source_term) if line else
                                        f"{self.source.describe(self._source_term)} · "
                                        f"{self._state_text(st.state.value)}") \
                + " · " + self.tr("已接收 ") + str(st.samples_received)
            if st.state.value == "failed" and getattr(st, "message", ""):
                text += f" · {st.message}"
            self.source_label.setText(text)
            self.source_label.setStyleSheet("color:#c62828;" if st.state.value in ("failed", "reconnecting") else "")
            self.source_label.setToolTip(st.message)  # why a source is reconnecting, per source for a site
        else:
            self.source_label.setText(self.tr("数据源：无"))
        self.refresh_events()

    def update_model(self) -> None:
        """Model state from live data: demand scaled by the inlet flow, solved on a worker thread."""
        if self._model_busy:
            return
        inlet = [s for s in self.view.sensors if s.quantity == "flow_m3h"]
        nominal = self.svc.network_model.total_demand_m3h
        flow = self._latest.get(inlet[0].id) if inlet else None
        if not flow or nominal <= 0:
            return
        self._model_busy = True
        scale = flow / nominal
        run_in_worker(solve, self.svc.network_model, demand_scale=scale, on_done=self._on_model,
                      on_error=self._on_model_error)
        self._update_legend()  # 正在求解 until the first result

    def _on_model(self, sol) -> None:  # noqa: ANN001
        self._model_busy = False
        self._model_pressure = sol.pressure_kpa
        pipes = {p.id: (sol.pressure_kpa.get(p.from_node, np.nan) + sol.pressure_kpa.get(p.to_node, np.nan)) / 2
                 for p in self.view.pipes}
        pipes = {k: v for k, v in pipes.items() if np.isfinite(v)}
        self._pipe_pressure = pipes  # before the legend: it reads whether there is a result
        if self.canvas.mode == TopologyCanvas.MODE_PRESSURE:
            self.canvas.set_pipe_values(pipes, mode=TopologyCanvas.MODE_PRESSURE)
            self._update_legend()
        now = time.time()
        for s in self.view.sensors:
            if s.quantity == "pressure_kpa" and s.node in sol.pressure_kpa and s.id in self._latest:
                r = self._latest[s.id] - sol.pressure_kpa[s.node]
                self._residuals.setdefault(s.id, []).append((now, r))
                if s.id in self.curves.series:
                    self.curves.append_residual(s.id, now, r)
        self.modelUpdated.emit(sol)

    def _on_model_error(self, message: str) -> None:
        self._model_busy = False
        self._update_legend()
        self.statusBar().showMessage(self.tr("管网模型求解失败：") + message.splitlines()[0], 10_000)

    def _on_mode(self) -> None:
        mode = self.mode_box.currentData()
        if mode == TopologyCanvas.MODE_PRESSURE and getattr(self, "_pipe_pressure", None):
            self.canvas.set_pipe_values(self._pipe_pressure, mode=mode)
        elif mode == TopologyCanvas.MODE_HEAT and getattr(self, "_heat", None):
            self.canvas.set_pipe_values(self._heat, (0.0, max(self._heat.values())), mode=mode)
        else:
            self.canvas.set_mode(mode)
        self._update_legend()

    def _update_legend(self) -> None:
        mode = self.canvas.mode
        if mode == TopologyCanvas.MODE_PLAIN:
            self.legend.setText(self.tr("线宽表示管径；◆ 阀门（黑=关）；● 绿=压力测点；● 紫=摄像头；■ 调压站"))
            return
        if mode == TopologyCanvas.MODE_PRESSURE and not getattr(self, "_pipe_pressure", None):
            wait = self.tr("已收到实时数据，正在求解管网模型…") if self._model_busy else self.tr("等待实时数据…")
            self.legend.setText(self.tr("压力") + " kPa：" + wait)
            return
        if mode == TopologyCanvas.MODE_HEAT and not getattr(self, "_heat", None):
            self.legend.setText(self.tr("疑似概率") + "：" + self.tr("尚无定位结果（泄漏监视每 30 秒运行一次）"))
            return
        lo, hi = self.canvas._value_range
        unit = " kPa" if mode == TopologyCanvas.MODE_PRESSURE else ""
        stops = legend_stops(mode, lo, hi)
        cells = "".join(f"<span style='background:{c};color:{'white' if i < 2 or i > len(stops) - 3 else 'black'};'>"
                        f"&nbsp;{label}&nbsp;</span>" for i, (c, label) in enumerate(stops))
        title = self.tr("压力") if mode == TopologyCanvas.MODE_PRESSURE else self.tr("疑似概率")
        self.legend.setText(f"{title}{unit}：{cells}")

    # -- selection and curves -------------------------------------------------------------------------
    def on_element_selected(self, kind: str, eid: str) -> None:
        if not eid:
            return
        text = self.canvas.describe(kind, eid)
        if kind == "sensor":
            self.select_sensors([eid])
            if eid in self._latest:
                text += f"\n{self.tr('最新值')}：{self._latest[eid]:.3f}"
        self.details.setText(text)

    def _on_sensor_list(self) -> None:
        ids = [i.data(Qt.ItemDataRole.UserRole) for i in self.sensor_list.selectedItems()]
        if ids:
            self.plot_sensors(ids)

    def select_sensors(self, sensor_ids: list[str]) -> None:
        self.sensor_list.blockSignals(True)
        for i in range(self.sensor_list.count()):
            item = self.sensor_list.item(i)
            item.setSelected(item.data(Qt.ItemDataRole.UserRole) in sensor_ids)
        self.sensor_list.blockSignals(False)
        self.plot_sensors(sensor_ids)

    def plot_sensors(self, sensor_ids: list[str], hours: float = 24.0) -> None:
        """Show the sensors' stored history (24 h) on the curves, then keep them live."""
        self.curves.clear()
        now = time.time()
        names = {s.id: s for s in self.view.sensors}
        read: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for sid in sensor_ids:
            s = names.get(sid)
            if s is None:
                continue
            t, v = read[sid] = self.svc.telemetry.series(sid, now - hours * 3600, now)
            self.curves.set_series(sid, f"{sid} {s.name}", s.quantity, t, v)
            self._show_residuals(sid)
        pressure = {sid: tv for sid, tv in read.items() if names[sid].quantity == "pressure_kpa"}
        self.bottom_tabs.setCurrentWidget(self.curves)
        # The residual history of the stored readings, on a worker (a solve per demand level on first use).
        self._residual_request += 1
        if pressure:
            inflow = {m: read[m] if m in read else self.svc.telemetry.series(m, now - hours * 3600, now)
                      for m in self.residual_history.inflow_points}  # the meter is often plotted too
            request = self._residual_request
            run_in_worker(self.residual_history.residuals, pressure, inflow,
                          on_done=lambda result: self._on_residual_history(request, result),
                          on_error=lambda message: log.warning("residual history failed: %s", message))

    def _show_residuals(self, sid: str) -> None:
        """A point's residual curve: the stored history's, then the live ones computed since."""
        hist_t, hist_r = self._residual_hist.get(sid, (np.empty(0), np.empty(0)))
        live = self._residuals.get(sid, [])
        after = hist_t[-1] if len(hist_t) else -np.inf
        live = [(t, r) for t, r in live if t > after]
        if not len(hist_t) and not live:
            return
        lt, lr = (np.array(a, dtype=float) for a in zip(*live, strict=True)) if live else (np.empty(0), np.empty(0))
        self.curves.set_residual(sid, np.concatenate([hist_t, lt]), np.concatenate([hist_r, lr]))

    def _on_residual_history(self, request: int, result: dict) -> None:
        if request != self._residual_request:  # the selection changed meanwhile
            return
        self._residual_hist = result
        for sid in result:
            if sid in self.curves.series:
                self._show_residuals(sid)

    # -- tickets ----------------------------------------------------------------------------------------
    def refresh_board(self) -> None:
        self.board.set_cards(self.svc.tickets.board())

    def on_move_requested(self, ticket_id: str, column: str) -> None:
        try:
            card = self.svc.tickets.move_to_column(ticket_id, column, self.user)
        except (WorkflowError, StoreError) as exc:
            QMessageBox.warning(self, self.tr("无法移动工单"), str(exc))
            self.refresh_board()
            return
        self.svc.events.add(kind="ticket", severity="info", title=f"{card.id} → {card.status}",
                            detail={"ticket": card.id}, ticket_id=card.id)
        self.refresh_board()
        self.show_ticket(ticket_id)
        self.refresh_events()

    def show_ticket(self, ticket_id: str) -> None:
        try:
            self.loop.show_ticket(ticket_id)
        except WorkflowError as exc:
            self.ticket_detail.clear()
            self.statusBar().showMessage(str(exc), 5000)

    # -- events ------------------------------------------------------------------------------------------
    def refresh_events(self) -> None:
        cards = self.svc.events.recent(limit=100, after_id=self._last_event_id)
        if cards:
            self._last_event_id = max(c.id for c in cards)
            self.feed.add_cards(cards)
            for c in cards:  # an alarm located anew since it was raised (e.g. before a restart)
                latest = self._latest_interval(c)
                if latest:
                    self.feed.show_latest(c.alarm_id, latest)

    def _latest_interval(self, card) -> dict | None:  # noqa: ANN001 - an EventCard
        """The newest localization of the leak of a suspected-leak alarm's card, if it has one."""
        if card.kind != "leak_suspected" or not card.alarm_id:
            return None
        try:
            return self.svc.alarms.get(card.alarm_id).location.get("latest")
        except Exception:  # noqa: BLE001 - sqlalchemy NoResultFound: a card whose alarm is not stored
            return None

    def on_event_activated(self, card) -> None:  # noqa: ANN001
        loc = card.location or {}
        ids = list(loc.get("pipes", [])) + list(loc.get("nodes", [])) + list(loc.get("sensors", []))
        interval = self._latest_interval(card) or loc.get("interval") or {}
        ids += list(interval.get("pipes", []))
        if ids:
            self.canvas.clear_overlay()
            if interval.get("pipes"):
                self.canvas.outline_pipes(interval["pipes"], label=f"{interval.get('length_m', 0):.0f} m · "
                                                                   f"{quoted(interval.get('confidence', 0)):.2f}")
            for sid in loc.get("sensors", []):
                self.canvas.mark_alarm(sid, card.title)
            self.canvas.focus_on(ids)
        sensors = list(loc.get("sensors", []))
        if sensors:
            self.select_sensors(sensors)
        if card.ticket_id:
            self.show_ticket(card.ticket_id)

    # -- database ------------------------------------------------------------------------------------
    def open_database_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("打开数据库"), "",
                                              self.tr("安燃云数据库 (*.sqlite3 *.sqlite *.db)"))
        if path:
            self.open_database(path)

    def open_database(self, path: str) -> bool:
        """Check that *path* is a readable AnRan database, then reopen the app on it in a new process.

        The check is read-only (``inspect_file``), so a file we cannot use is never modified.
        """
        from anran_desktop.store.db import inspect_file

        if Path(path).resolve() == Path(self.svc.store.path).resolve():  # a new window would find it held
            self.statusBar().showMessage(self.tr("这个数据库已在本窗口中打开"), 8000)
            return True
        try:
            inspect_file(Path(path))
        except StoreError as exc:
            QMessageBox.critical(self, self.tr("无法打开数据库"), str(exc))
            return False
        program, args = relaunch_command(["--db", str(Path(path).resolve())])
        if not QProcess.startDetached(program, args):
            QMessageBox.critical(self, self.tr("无法打开数据库"), self.tr("无法启动新的窗口。"))
            return False
        self.close()
        return True

    # -- import dialogs ------------------------------------------------------------------------------
    def import_network_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("导入管网"), "", "GeoJSON (*.geojson *.json)")
        if path:
            self.import_network(path)

    def import_network(self, path: str) -> bool:
        from anran_desktop.store.network_import import import_network

        try:
            model = import_network(self.svc.store, path, actor=self.user)
        except StoreError as exc:
            QMessageBox.critical(self, self.tr("导入失败"), str(exc))
            return False
        self.use_network(model)
        self.statusBar().showMessage(self.tr("管网已更新：{p} 条管段、{s} 个测点；泄漏监测改用新管网").format(
            p=len(model.pipes), s=len(model.sensors)), 15_000)
        return True

    def use_network(self, model: Network) -> None:
        """Work on ``model`` from now on (an imported network): the canvas and the point list at once; the
        leak watch, point health and model residuals are rebuilt on it at their next run (the leak watch's
        confidence then comes from the new network's own calibration). A check still running on the old
        network is dropped when it returns; a ticket's evidence being located on it is located again."""
        self.svc.use_network(model)
        self.view = self.svc.network.view()
        self.canvas.set_network(self.view)
        selected = {i.data(Qt.ItemDataRole.UserRole) for i in self.sensor_list.selectedItems()}
        self.sensor_list.blockSignals(True)
        self._fill_sensor_list(keep=selected)
        self.sensor_list.blockSignals(False)
        self._on_sensor_list()
        self.residual_history = ResidualHistory(model)
        self._model_pressure, self._residuals, self._residual_hist = {}, {}, {}
        self.leak_watch = None
        self.point_health = None
        self._heat = {}
        self.canvas.clear_overlay()
        self.network_generation += 1

    def _fill_sensor_list(self, keep: set[str] | frozenset[str] = frozenset()) -> None:
        self.sensor_list.clear()
        for s in self.view.sensors:
            unit = "kPa" if s.quantity == "pressure_kpa" else "m³/h"
            item = QListWidgetItem(f"{s.id} · {s.name} ({unit})")
            item.setData(Qt.ItemDataRole.UserRole, s.id)
            self.sensor_list.addItem(item)
            item.setSelected(s.id in keep)

    def import_csv_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("导入读数"), "", "CSV (*.csv)")
        if path:
            self.import_csv(path)

    def import_csv(self, path: str) -> bool:
        from anran_desktop.ingest.csv_replay import load_csv_samples
        from engine.simulate import ReadingsError

        try:
            batches = load_csv_samples(path)
        except ReadingsError as exc:
            QMessageBox.critical(self, self.tr("导入失败"), str(exc))
            return False
        n = self.svc.telemetry.insert([s for b in batches for s in b])
        self.statusBar().showMessage(self.tr("已导入读数：") + str(n), 8000)
        return True


def relaunch_command(app_args: list[str]) -> tuple[str, list[str]]:
    """How to start ``anran app APP_ARGS`` again from this process: in a checkout ``python -m anran_desktop
    app …``; in an installed (PyInstaller) bundle its own executable — ``anran-desktop`` already means
    ``anran app``, the console ``anran`` needs the ``app`` command (neither understands ``-m``)."""
    exe = Path(sys.executable)
    if not getattr(sys, "frozen", False):
        return sys.executable, ["-m", "anran_desktop", "app", *app_args]
    if exe.stem.lower() == "anran-desktop":
        return str(exe), app_args
    return str(exe), ["app", *app_args]

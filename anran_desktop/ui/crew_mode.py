"""Crew mode: my tickets with large controls, next to a map for locating them (View menu or `anran app --crew`).

Everything the crew does is written to the local store first (moves also queue a ``ticket.progress`` item
in the sync outbox in the same transaction), so it works with no network and reaches the relay when the
sync service next gets through. Gauge photos are read by ``vision`` through the reused MeterPanel and stored
with MeterReadingService, then attached to the ticket as evidence and fed to the engine (narrower interval).
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMessageBox, QSplitter

from anran_desktop.services.leak_title import by_inlet_meter
from anran_desktop.services.tickets import WorkflowError
from anran_desktop.services.users import ROLE_LABELS
from anran_desktop.store import StoreError
from anran_desktop.ui.loop_controller import ticket_extras
from engine.interval import quoted
from engine.units import pressure_unit, unit_text
from widgets.canvas import TopologyCanvas
from widgets.crew_view import CrewTicket, CrewView
from widgets.event_feed import ticket_title
from widgets.meter_panel import MeterPanel
from widgets.timefmt import local_time

if TYPE_CHECKING:
    from anran_desktop.ui.main_window import MainWindow

_reader = None
_reader_lock = threading.Lock()


def read_meter(image, kind: str, value_range, unit):  # noqa: ANN001, ANN201
    """MeterPanel's read function (runs on a worker thread; the reader's models load once)."""
    global _reader
    with _reader_lock:
        if _reader is None:
            from vision.reader import MeterReader

            _reader = MeterReader()
    return _reader.read(image, kind=kind, value_range=value_range, unit=unit).to_dict()


class CrewModeWindow(QMainWindow):
    def __init__(self, main: MainWindow) -> None:
        super().__init__(main)
        self.setWindowFlag(Qt.WindowType.Window, True)
        self.main = main
        self.svc = main.svc
        self.user = main.user
        self.setWindowTitle(self.tr("安燃云 · 抢修模式"))
        self._camera = None
        self.meter = MeterPanel(read_meter, grab_frame=self.grab_frame)
        self.meter.saveRequested.connect(self.on_reading_saved)
        self.view = CrewView(self.meter)
        role = self.svc.loop.users.role_of(self.user)
        self.view.set_user(f"{self.user} · {self.tr(ROLE_LABELS.get(role, '未知用户'))}")
        self.canvas = TopologyCanvas()
        self.canvas.set_network(main.view)
        self.canvas.setMinimumWidth(340)
        self.view.tickets.setMinimumWidth(180)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.view)
        split.addWidget(self.canvas)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([900, 600])
        self.setCentralWidget(split)
        self.resize(1500, 900)
        v = self.view
        v.ticketSelected.connect(self.show_ticket)
        v.acceptRequested.connect(self.accept)
        v.locateRequested.connect(self.locate)
        v.stepRequested.connect(self.step)
        v.checklistToggled.connect(self.toggle)
        v.photoRequested.connect(self.attach_photo)
        v.readRequested.connect(self.prepare_reading)
        v.relaySettingsRequested.connect(self.relay_settings)
        v.valveTestRequested.connect(self.valve_test)
        v.relay_btn.hide()  # a crew laptop's own relay sign-in: shown by crew_sync.start_crew_tickets

    def relay_settings(self):  # noqa: ANN201 - the dialog, shown (tests drive it)
        """中继设置: relay URL, user, password (``crew_relay_dialog.py``); saving reconfigures the crew sync."""
        from anran_desktop.ui.crew_relay_dialog import CrewRelayDialog
        from anran_desktop.ui.crew_sync import configure_crew_sync

        def saved() -> None:
            ctl = getattr(self, "crew_sync_ctl", None)
            if ctl is not None:
                configure_crew_sync(self.main, self.svc.store, ctl)

        dlg = CrewRelayDialog(self.svc.store, self.user, self, on_saved=saved)
        dlg.open()
        return dlg

    def grab_frame(self):  # noqa: ANN201
        """One frame from the laptop's camera (``crew_camera`` setting or ``ANRAN_CAMERA``: index, URL or file;
        default 0); None when there is no camera (the panel says so)."""
        import os

        from vision.camera import FrameSource

        if self._camera is None:
            source = os.environ.get("ANRAN_CAMERA") or self.svc.store.setting("crew_camera", "0") or "0"
            try:
                self._camera = FrameSource(source)
            except ValueError as exc:
                self.meter.status.setText(str(exc))
                return None
        return self._camera.read()

    def closeEvent(self, event) -> None:  # noqa: ANN001, N802
        if self._camera is not None:
            self._camera.close()
            self._camera = None
        super().closeEvent(event)

    # -- data ------------------------------------------------------------------------------------------
    def my_tickets(self) -> list:
        return [c for c in self.svc.tickets.board() if c.assignee == self.user and c.status != "closed"]

    def refresh(self) -> None:
        cards = self.my_tickets()
        self.view.set_tickets([(c.id, f"{c.title}\n{self.tr('状态')}：{self._status(c.status)} · {c.id}")
                               for c in cards])
        if cards and not self.view.ticket_id:
            self.view.select(cards[0].id)
        elif self.view.ticket_id:
            self.show_ticket(self.view.ticket_id)
        self._show_sync()
        if not self.view.ticket_id:
            self.canvas.fit()

    @staticmethod
    def _status(status: str) -> str:
        from widgets.ticket_text import status_text

        return status_text(status)

    def set_relay_status(self, text: str, ok: bool) -> None:
        """Crew tickets through the relay (``ui/crew_sync.py``): its state replaces the outbox line."""
        self.relay_status = (text, ok)
        self.refresh()

    def _show_sync(self) -> None:
        from anran_desktop.services.sync_service import StoreSyncRepo

        if getattr(self, "relay_status", None):
            self.view.set_sync(*self.relay_status)
            return

        n = StoreSyncRepo(self.svc.store).pending_count()
        if n:
            self.view.set_sync(self.tr("已保存在本机；{n} 条待同步（联网后自动上传）").replace("{n}", str(n)), False)
        else:
            self.view.set_sync(self.tr("已保存在本机；无待同步"), True)

    def crew_ticket(self, ticket_id: str) -> CrewTicket:
        detail = self.svc.tickets.detail(ticket_id)
        ex = ticket_extras(self.svc, ticket_id, self.user, detail)
        c = detail.card
        forward = [s for s in ex.steps if s.to_status != "alarm" and
                   ("alarm", "dispatched", "onsite", "handling", "retest", "closed").index(s.to_status)
                   > ("alarm", "dispatched", "onsite", "handling", "retest", "closed").index(c.status)]
        nxt = forward[0] if forward else None
        iv = detail.suspect_interval or {}
        iv_text = (f"{self.tr('疑似区间')} {iv.get('length_m', 0):.0f} m · {self.tr('置信度')} "
                   f"{quoted(iv.get('confidence', 0)):.2f}") if iv.get("pipes") else ""
        moved = [h for h in detail.history if h.action == "interval"]
        if iv_text and moved:  # the dispatch desktop moved it since the ticket came: say when
            iv_text += " · " + self.tr("{t} 更新").replace("{t}", local_time(moved[-1].time, "%H:%M"))
        checklist = tuple((r.item_id, r.text + ("" if r.required else self.tr("（可选）")), r.done, r.enabled)
                          for r in ex.checklist if r.stage == c.status)
        accepted = self.svc.tickets.accepted(ticket_id)
        return CrewTicket(c.id, ticket_title(c), c.status, iv_text, accepted,
                          c.status == "dispatched" and c.assignee == self.user, nxt.to_status if nxt else None,
                          bool(nxt and nxt.enabled), nxt.reason if nxt else "", checklist, ex.evidence)

    def show_ticket(self, ticket_id: str) -> None:
        try:
            self.view.show_ticket(self.crew_ticket(ticket_id))
        except WorkflowError as exc:
            self.view.show_ticket(None)
            self.view.reason.setText(str(exc))

    def _done(self, ticket_id: str) -> None:
        self.refresh()
        self.show_ticket(ticket_id)
        self.main.refresh_board()

    def _refused(self, title: str, exc: Exception) -> None:
        QMessageBox.warning(self, title, str(exc))

    # -- actions ---------------------------------------------------------------------------------------
    def accept(self, ticket_id: str) -> None:
        try:
            self.svc.tickets.accept(ticket_id, self.user)
        except (WorkflowError, StoreError) as exc:
            self._refused(self.tr("无法接单"), exc)
        self._done(ticket_id)

    def locate(self, ticket_id: str) -> None:
        detail = self.svc.tickets.detail(ticket_id)
        iv = detail.suspect_interval or {}
        pipes = list(iv.get("pipes") or detail.location.get("pipes") or [])
        if not pipes:
            self.view.reason.setText(self.tr("工单没有位置信息"))
            return
        self.canvas.clear_overlay()
        self.canvas.outline_pipes(pipes, label=f"{iv.get('length_m', 0):.0f} m" if iv else "")
        self.canvas.focus_on(pipes)

    def step(self, ticket_id: str, to_status: str) -> None:
        try:
            self.svc.tickets.move(ticket_id, to_status, self.user, publish=True)
        except (WorkflowError, StoreError) as exc:
            self._refused(self.tr("无法执行此步骤"), exc)
        self._done(ticket_id)

    def toggle(self, ticket_id: str, item_id: str, done: bool) -> None:
        try:
            self.svc.loop.evidence.set_item(ticket_id, item_id, done, self.user)
        except (WorkflowError, StoreError) as exc:
            self._refused(self.tr("无法修改检查项"), exc)
        self.show_ticket(ticket_id)

    def ask_valve_test(self, by_meter: bool = False) -> tuple[list[str], bool] | None:
        """The valves closed and whether the pressure came back — or, for a leak the inlet meter alone found
        (``by_meter``: the gauges never dropped), whether the inlet flow fell back, which the dispatcher
        sees (two touch-sized questions)."""
        from PySide6.QtWidgets import QInputDialog

        text, ok = QInputDialog.getText(self, self.tr("关阀试验"), self.tr("关闭的阀门（逗号分隔），例如 V-S3S4,V-S4S5"))
        valves = [v.strip() for v in text.replace("，", ",").split(",") if v.strip()] if ok else []
        if not valves:
            return None
        question = (self.tr("关阀后进站流量是否回落？（请向调度员确认）") if by_meter
                    else self.tr("关阀后下游压力是否恢复？"))
        answer = QMessageBox.question(self, self.tr("关阀试验"), question)
        return valves, answer == QMessageBox.StandardButton.Yes

    def valve_test(self, ticket_id: str) -> bool:
        """A valve-closure test as ticket evidence (the dispatch desktop re-runs the engine with it)."""
        try:
            by_meter = by_inlet_meter(self.svc.tickets.detail(ticket_id).card.title_parts)
        except (WorkflowError, StoreError) as exc:  # the ticket is gone (withdrawn by the dispatch desktop)
            self._refused(self.tr("无法添加证据"), exc)
            return False
        got = self.ask_valve_test(by_meter)
        if got is None:
            return False
        valves, restored = got
        if by_meter:
            result = self.tr("进站流量回落") if restored else self.tr("进站流量未回落")
        else:
            result = self.tr("压力恢复") if restored else self.tr("压力未恢复")
        note = ",".join(valves) + " · " + result
        try:
            self.svc.loop.evidence.attach(ticket_id, "valve_test", self.user, note=note,
                                          detail={"valves": valves, "restored": restored})
        except (WorkflowError, StoreError) as exc:
            self._refused(self.tr("无法添加证据"), exc)
            return False
        self.show_ticket(ticket_id)
        return True

    def choose_photo(self) -> str:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("选择照片"), "", self.tr("图像 (*.jpg *.jpeg *.png)"))
        return path

    def attach_photo(self, ticket_id: str) -> bool:
        path = self.choose_photo()
        if not path:
            return False
        status = self.svc.tickets.get(ticket_id).status
        kind = "photo_after" if status in ("handling", "retest") else "photo_before"
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            self._refused(self.tr("无法附照片"), exc)
            return False
        from anran_desktop.ui.workers import run_in_worker

        def job() -> None:  # masking faces/people takes about a second: off the GUI thread
            self.svc.loop.evidence.attach(ticket_id, kind, self.user, photo=data, note=Path(path).name)

        self.view.photo_btn.setEnabled(False)

        def done(_result: object = None) -> None:
            self.view.photo_btn.setEnabled(True)
            self.show_ticket(ticket_id)

        def failed(message: str) -> None:
            done()
            QMessageBox.warning(self, self.tr("无法附照片"), message.splitlines()[0] if message else "")

        run_in_worker(job, on_done=done, on_error=failed)
        return True

    def prepare_reading(self, ticket_id: str) -> None:
        """Targets for the gauge reading: the nodes at the ends of the ticket's interval."""
        detail = self.svc.tickets.detail(ticket_id)
        pipes = (detail.suspect_interval or {}).get("pipes") or detail.location.get("pipes") or []
        net = self.svc.network_model
        nodes: list[str] = []
        for p in pipes:
            if p in net.pipes:
                for n in (net.pipes[p].from_node, net.pipes[p].to_node):
                    if n not in nodes:
                        nodes.append(n)
        self.meter.set_targets([(f"node:{n}", self.tr("节点 ") + n) for n in nodes] + [
            (f"ticket:{ticket_id}", self.tr("工单（不指定节点）"))])

    def on_reading_saved(self, d: dict) -> bool:
        """A gauge reading from the MeterPanel: stored, attached as evidence, fed to the engine."""
        ticket_id = self.view.ticket_id
        if not ticket_id:
            return False
        target = str(d.get("target") or f"ticket:{ticket_id}")
        node = target.split(":", 1)[1] if target.startswith("node:") else None
        r = d.get("reading") or {}
        value = d.get("value")
        if value is None:
            self._refused(self.tr("无法保存读数"), ValueError(self.tr("没有读数：请修正后再保存")))
            return False
        unit = r.get("unit") or "kPa"
        if pressure_unit(unit) is None:  # e.g. a gas meter's register (m³): not a pressure for the engine
            self._refused(self.tr("无法保存读数"), ValueError(
                self.tr("这不是压力读数（单位 {unit}）：请拍摄压力表").format(unit=unit_text(unit))))
            return False
        status = self.svc.tickets.get(ticket_id).status
        kind = "retest_reading" if status == "retest" else "gauge_reading"
        try:
            stored = self.svc.loop.readings.record(
                target_kind="ticket", target_id=ticket_id, kind="register" if r.get("kind") == "register" else "dial",
                value=r.get("value"), unit=r.get("unit") or "", source="desktop", actor=self.user,
                confidence=r.get("confidence"), quality=r.get("quality"), needs_review=bool(r.get("needs_review")),
                evidence_png=d.get("evidence_png"), detail={"node": node})
            if d.get("corrected_value") is not None:
                stored = self.svc.loop.readings.correct(stored.id, float(d["corrected_value"]), self.user)
        except (WorkflowError, StoreError, ValueError) as exc:
            self._refused(self.tr("无法保存读数"), exc)
            return False
        if not self.main.loop.attach(ticket_id, kind, value=float(value), unit=unit,
                                     node_id=node, reading_id=stored.id, note=self.tr("压力表照片读数")):
            return False
        self.view.stack.setCurrentIndex(0)
        self.show_ticket(ticket_id)
        return True

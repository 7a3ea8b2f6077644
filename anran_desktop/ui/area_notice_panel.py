"""Wires the area-notice view to :class:`AreaNoticeService`: sending, withdrawing and the figures run on worker
threads; the figures are re-read every few seconds so acknowledgements appear as the sync loop pulls them back."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, QTimer
from PySide6.QtWidgets import QMessageBox

from anran_desktop.services.area_notice import TEMPLATES, AreaNoticeService, Notice, template
from anran_desktop.services.users import ROLE_LABELS
from anran_desktop.ui.workers import run_in_worker
from anran_desktop.workflow.channels import Attempt
from widgets.area_notice import AreaNoticeView, NoticeRow

#: template key → its name in the picker (Chinese source text, translated when shown)
TEMPLATE_NAMES = {"repair": "抢修通知", "outage": "临时停气", "restored": "恢复供气", "all_clear": "告警解除"}


def _tr(text: str) -> str:
    return QCoreApplication.translate("AreaNoticePanel", text)


class AreaNoticePanel(QObject):
    def __init__(self, service: AreaNoticeService, areas: list[str], view: AreaNoticeView | None = None,
                 refresh_ms: int = 5000) -> None:
        self.view = view or AreaNoticeView()
        super().__init__(self.view)  # lives and dies with its view (timer and worker results stop with it)
        self.service = service
        self.view.set_areas(areas)
        self.view.set_templates([(k, _tr(TEMPLATE_NAMES[k])) for k in TEMPLATES])
        self.view.templateChosen.connect(self.use_template)
        self.use_template(next(iter(TEMPLATES)), [])
        role = QCoreApplication.translate("LoopController", ROLE_LABELS.get(service.role, service.role or "—"))
        self.view.set_allowed(service.allowed, _tr("当前角色（{role}）无权发送区域通知").format(role=role))
        if service.allowed and not service.relay_configured:
            self.view.set_status(_tr("未配置中继：通知会被拒绝并记入审计日志"), ok=False)
        self.view.sendRequested.connect(self.send)
        self.view.withdrawRequested.connect(self.withdraw)
        self.last: Attempt | None = None
        self._reading = False
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.refresh)
        self.timer.start(refresh_ms)
        self.refresh()

    def use_template(self, key: str, areas: list[str]) -> None:
        if key in TEMPLATES:
            self.view.fill(*template(key, "、".join(areas)))

    def prepare(self, areas: list[str], key: str = "repair") -> None:
        """Ready a notice for ``areas`` from a template (e.g. the areas of a ticket's interval)."""
        self.view.check_areas(areas)
        idx = self.view.template.findData(key)
        if idx >= 0:
            self.view.template.setCurrentIndex(idx)
        self.use_template(key, areas)

    def send(self, areas: list[str], title: str, body: str) -> None:
        self.view.set_busy(True)
        self.view.set_status(_tr("正在发送通知…"))
        run_in_worker(self.service.send, list(areas), title, body, on_done=self._sent, on_error=self._failed)

    def _sent(self, att: Attempt) -> None:
        self.last = att
        if not shiboken6.isValid(self.view):
            return
        self.view.set_busy(False)
        if att.ok:
            self.view.set_status(_tr("已排入中继发送：{areas}（渠道 {ch}，已记入审计日志）").format(
                areas="、".join(r.split(":", 1)[-1] for r in att.delivered_to), ch=att.channel))
        else:
            self.view.set_status(_tr("通知未发出：") + att.detail, ok=False)
        self.refresh()

    def _failed(self, message: str) -> None:
        if not shiboken6.isValid(self.view):
            return
        self.view.set_busy(False)
        self.view.set_status(_tr("通知未发出：") + message.splitlines()[0], ok=False)

    def withdraw(self, event_id: str) -> None:
        row = next((r for r in self.view._rows if r.event_id == event_id), None)
        what = f"「{row.title}」（{row.area}）" if row else event_id
        answer = QMessageBox.question(self.view, _tr("撤回通知"),
                                      _tr("撤回通知{what}？同步后居民将不再看到它；撤回记入审计日志。").format(what=what))
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.view.set_busy(True)
        run_in_worker(self.service.withdraw, event_id, on_done=lambda _r: self._withdrawn(what),
                      on_error=self._failed)

    def _withdrawn(self, what: str) -> None:
        if not shiboken6.isValid(self.view):
            return
        self.view.set_busy(False)
        self.view.set_status(_tr("已撤回通知{what}，将在下次同步时从居民端移除").format(what=what))
        self.refresh()

    def refresh(self) -> None:
        if self._reading:
            return
        self._reading = True
        run_in_worker(self.service.notices, on_done=self._show, on_error=self._read_failed)

    def _show(self, rows: list[Notice]) -> None:
        self._reading = False
        if not shiboken6.isValid(self.view):
            return
        self.view.set_rows([NoticeRow(r.event_id, r.area, r.title, r.body, r.sent_at, r.status, r.reach, r.acks,
                                      r.withdrawn) for r in rows])

    def _read_failed(self, message: str) -> None:
        self._reading = False
        if shiboken6.isValid(self.view):
            self.view.set_status(_tr("读取通知情况失败：") + message.splitlines()[0], ok=False)


def attach_area_notice(window) -> AreaNoticePanel:  # noqa: ANN001
    """Add the area-notice panel as a bottom tab of ``window`` for its signed-in user."""
    from anran_desktop.ui.sync_status import relay_configured

    store = window.svc.store
    configured = relay_configured(store)
    role = window.svc.loop.users.role_of(window.user) or ""
    svc = AreaNoticeService(store, window.user, role, relay_configured=configured)
    areas = sorted({a.name for a in window.svc.network_model.areas.values()})
    panel = AreaNoticePanel(svc, areas)
    window.add_panel(QCoreApplication.translate("MainWindow", "区域通知"), panel.view)
    window._area_notice = panel  # keep the controller alive with the window
    return panel

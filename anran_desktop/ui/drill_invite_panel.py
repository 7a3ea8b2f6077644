"""Wires the drill check-in view to :class:`DrillInviteService`: sending and the figures run on worker threads,
the figures are re-read every few seconds so check-ins appear as the sync loop pulls them back."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, QTimer

from anran_desktop.services.drill_invite import DrillInviteService, Invitation
from anran_desktop.services.users import ROLE_LABELS
from anran_desktop.ui.workers import run_in_worker
from anran_desktop.workflow.channels import Attempt
from widgets.drill_invite import DrillInviteView, InviteRow


class DrillInvitePanel(QObject):
    def __init__(self, service: DrillInviteService, areas: list[str], view: DrillInviteView | None = None,
                 refresh_ms: int = 5000) -> None:
        self.view = view or DrillInviteView()
        super().__init__(self.view)  # lives and dies with its view (timer and worker results stop with it)
        self.service = service
        self.view.set_areas(areas)
        role = QCoreApplication.translate("LoopController", ROLE_LABELS.get(service.role, service.role or "—"))
        self.view.set_allowed(service.allowed, self.tr("当前角色（{role}）无权邀请居民签到").format(role=role))
        if service.allowed and not service.relay_configured:
            self.view.set_status(self.tr("未配置中继：邀请会被拒绝并记入审计日志"), ok=False)
        self.view.inviteRequested.connect(self.invite)
        self.last: Attempt | None = None
        self._reading = False
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.refresh)
        self.timer.start(refresh_ms)
        self.refresh()

    def invite(self, areas: list[str], title: str) -> None:
        self.view.set_busy(True)
        self.view.set_status(self.tr("正在发送邀请…"))
        run_in_worker(self.service.invite, list(areas), title, on_done=self._sent, on_error=self._failed)

    def _sent(self, att: Attempt) -> None:
        self.last = att
        self.view.set_busy(False)
        if att.ok:
            self.view.set_status(self.tr("已排入中继发送：{areas}（渠道 {ch}，已记入审计日志）").format(
                areas="、".join(r.split(":", 1)[-1] for r in att.delivered_to), ch=att.channel))
        else:
            self.view.set_status(self.tr("邀请未发出：") + att.detail, ok=False)
        self.refresh()

    def _failed(self, message: str) -> None:
        self.view.set_busy(False)
        self.view.set_status(self.tr("邀请未发出：") + message.splitlines()[0], ok=False)

    def refresh(self) -> None:
        if self._reading:
            return
        self._reading = True
        run_in_worker(self.service.invitations, on_done=self._show, on_error=self._read_failed)

    def _show(self, rows: list[Invitation]) -> None:
        self._reading = False
        if not shiboken6.isValid(self.view):
            return
        self.view.set_rows([InviteRow(r.area, r.title, r.sent_at, r.status, r.issued, r.invited, r.checked_in)
                            for r in rows])

    def _read_failed(self, message: str) -> None:
        self._reading = False
        self.view.set_status(self.tr("读取签到情况失败：") + message.splitlines()[0], ok=False)


def attach_drill_invite(window) -> DrillInvitePanel:  # noqa: ANN001
    """Add the drill check-in panel as a bottom tab of ``window`` for its signed-in user."""
    from anran_desktop.ui.sync_status import relay_configured

    store = window.svc.store
    configured = relay_configured(store)
    role = window.svc.loop.users.role_of(window.user) or ""
    svc = DrillInviteService(store, window.user, role, relay_configured=configured)
    areas = sorted({a.name for a in window.svc.network_model.areas.values()})
    panel = DrillInvitePanel(svc, areas)
    window.add_panel(QCoreApplication.translate("MainWindow", "演练签到"), panel.view)
    window._drill_invite = panel  # keep the controller alive with the window
    return panel

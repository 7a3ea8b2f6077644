"""The emergency loop in the main window: alarm card → pre-filled ticket → each step → close.

Connects the event feed's "由告警建单" button and the ticket detail's buttons to the loop services. What the
UI offers follows the permission matrix for the signed-in user's role (steps the role may never take are
not shown, steps blocked by missing evidence/checklist are disabled with the reason); the services
enforce the same rules again and a refused action shows their message.
"""

from __future__ import annotations

import html
import logging
import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox

from anran_desktop.services.crew_publish import relay_refusal
from anran_desktop.services.leak_title import by_inlet_meter, interval_parts
from anran_desktop.services.ticket_evidence import sop_for
from anran_desktop.services.tickets import STATUSES, TicketDetail, WorkflowError, may_follow
from anran_desktop.store import StoreError
from anran_desktop.ui.crew_reasons import sop_text, violations_text
from anran_desktop.ui.evidence_input import parse_reading, parse_valve_test
from anran_desktop.workflow.permissions import MOVE_ACTION, can
from anran_desktop.workflow.rules import TicketState, check_transition
from anran_desktop.workflow.sla import sla_status
from engine.interval import quoted
from engine.units import reading_text
from widgets.event_feed import leak_title
from widgets.evidence_text import actor_text, evidence_text, interval_source_text
from widgets.ticket_detail import ChecklistRow, StepButton, TicketExtras
from widgets.timefmt import duration_text, local_time

if TYPE_CHECKING:
    from anran_desktop.ui.main_window import MainWindow

log = logging.getLogger(__name__)

SLA_TEXT = {"ok": "正常", "warn": "即将超时", "escalate": "已超时·升级", "met": "达标", "missed": "超时"}


def _tr(text: str) -> str:
    return QCoreApplication.translate("LoopController", text)


def _epoch(iso: str | None) -> float | None:
    if not iso:
        return None
    import datetime as dt

    return dt.datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp()


def ticket_extras(svc, ticket_id: str, user: str, detail: TicketDetail | None = None) -> TicketExtras:  # noqa: ANN001
    """What ``user`` may do on the ticket now, and its checklist, evidence and interval history."""
    loop = svc.loop
    role = loop.users.role_of(user)
    detail = detail or svc.tickets.detail(ticket_id)
    card = detail.card
    evidence = loop.evidence.evidence(ticket_id)
    done = {k for k, v in loop.evidence.checklist(ticket_id).items() if v}
    state = TicketState(card.id, card.status, card.kind if sop_for(card.kind) else "drill", card.assignee,
                        card.is_drill, frozenset(done))
    steps = []
    i = STATUSES.index(card.status)
    rule_evidence = [e.as_rule() for e in evidence]
    candidates = ([STATUSES[i + 1]] if i + 1 < len(STATUSES) else []) + \
        ([STATUSES[i - 1]] if 0 < i < len(STATUSES) - 1 and role in ("dispatcher", "admin") else [])
    for to in candidates:
        if STATUSES.index(to) > i and not can(role, MOVE_ACTION[to]):
            continue  # never offered to this role
        problems = check_transition(state, to, role, rule_evidence) if sop_for(card.kind) else []
        steps.append(StepButton(to, not problems, violations_text(problems) if problems else ""))
    sop = sop_for(card.kind)
    attach = can(role, "ticket.attach_evidence") and card.status != "closed"
    rows = []
    if sop:
        for stage, items in sop.checklist.items():
            for it in items:
                rows.append(ChecklistRow(it.id, sop_text(it.text), stage, it.required, it.id in done, attach))
    ev_lines = []
    for e in evidence:
        text = f"{local_time(e.time)} · {e.actor} · {evidence_text(e.kind)}"
        if e.value is not None:
            text += " " + reading_text(e.value, e.unit)
        if e.node_id:
            text += f" @{e.node_id}"
        if e.note:
            text += f" · {e.note}"
        if e.photo:
            text += f" · {e.photo.name}"
        ev_lines.append(text)
    iv_lines = [f"{local_time(h.time)} · {actor_text(h.actor)} · {interval_source_text(h.source)}: "
                f"{len(h.pipes)} {_tr('段')} · "
                f"{(h.length_m or 0):.0f} m · {_tr('置信度')} {quoted(h.confidence or 0):.2f}"
                + (f" · {h.note}" if h.note else "") for h in svc.tickets.interval_history(ticket_id)]
    crew = tuple((s.username, f"{s.display_name}（{s.username}）"
                  + (f" · {s.distance_m:.0f} m" if s.distance_m is not None else "")
                  + (f" · {_tr('在途')} {s.open_tickets}" if s.open_tickets else ""))
                 for s in loop.crew.suggest(detail.location.get("lon"), detail.location.get("lat")))
    ts = svc.tickets.timestamps(ticket_id)
    now = time.time()
    parts = []
    for timer, a, b in (("tta", "alarm", "dispatched"), ("arrival", "dispatched", "onsite"),
                        ("close", "alarm", "closed")):
        start = _epoch(ts[a])
        if start is None:
            continue
        st = sla_status(timer, start, max(now, start), _epoch(ts[b]))
        colour = {"ok": "#2e7d32", "met": "#2e7d32", "warn": "#ef6c00"}.get(st.state, "#c62828")
        name = {"tta": _tr("响应"), "arrival": _tr("到场"), "close": _tr("结案")}[timer]
        parts.append(f"{name} {duration_text(st.elapsed_s)} / {duration_text(st.limit_s)} "
                     f"<span style='color:{colour}'>{_tr(SLA_TEXT[st.state])}</span>")
    refused = relay_refusal(svc.store, ticket_id)
    if refused:  # the assignee's laptop does not have this ticket: the dispatcher must know
        parts.append(f"<span style='color:#c62828'>{_tr('未能发给抢修员：')}{html.escape(refused[:200])}</span>")
    alarm = svc.alarms.for_ticket(ticket_id)
    raised = leak_title((alarm.detail or {}).get("title_parts"), alarm.location.get("interval")) if alarm else None
    return TicketExtras(tuple(steps), tuple(rows), tuple(ev_lines), tuple(iv_lines), crew,
                        can(role, "ticket.dispatch"), attach, " · ".join(parts), raised or "",
                        can(role, "notice.send_area"))


class LoopController(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.w = window
        self.svc = window.svc
        self.user = window.user
        self.role = self.svc.loop.users.role_of(self.user)
        self.deactivated = False  # the account was deactivated while signed in
        self._refining = False
        # (ticket, follow) of evidence that arrived, or a watch move, while a refinement ran: redone after it
        self._refine_again: list[tuple[str, bool]] = []
        window.feed.createTicketRequested.connect(self.create_from_card)
        window.feed.mergeRequested.connect(self.merge_report)
        window.feed.dismissRequested.connect(self.dismiss_from_card)
        from PySide6.QtCore import QTimer

        from anran_desktop.services.sla_watch import SlaWatch

        self.sla = SlaWatch(self.svc.store, self.svc.tickets)
        self._sla_timer = QTimer(self)
        self._sla_timer.timeout.connect(self.check_sla)
        self._sla_timer.timeout.connect(self.check_account)
        self._sla_timer.start(15_000)
        d = window.ticket_detail
        d.stepRequested.connect(self.step)
        d.assignRequested.connect(self.assign)
        d.checklistToggled.connect(self.toggle_item)
        d.evidenceRequested.connect(self.request_evidence)
        d.noticeRequested.connect(self.notify_residents)

    def notify_residents(self, ticket_id: str) -> bool:
        """通知片区居民…: the 区域通知 tab, with the ticket's areas (its own and its interval's) checked and the
        抢修 template (恢复供气 once the ticket is closed) filled in for the dispatcher to read and send."""
        panel = getattr(self.w, "_area_notice", None)
        if panel is None or not ticket_id:
            return False
        d = self.svc.tickets.detail(ticket_id)
        net = self.svc.network_model
        pipes = (d.suspect_interval or {}).get("pipes") or []
        ids = {d.card.area} | {net.pipes[p].area for p in pipes if p in net.pipes}
        names = sorted({net.areas[a].name for a in ids if a in net.areas})
        panel.prepare(names, "restored" if d.card.status == "closed" else "repair")
        self.w.bottom_tabs.setCurrentWidget(panel.view)
        return True

    def dismiss_from_card(self, card) -> None:  # noqa: ANN001 - an EventCard
        """解除告警（误报）…: the dialog asks for the cause (services/false_alarm.py)."""
        from anran_desktop.ui.dismiss_dialog import open_dismiss_dialog

        open_dismiss_dialog(self.w, card)

    # -- helpers --------------------------------------------------------------------------------------
    def _refused(self, title: str, exc: Exception) -> None:
        QMessageBox.warning(self.w, title, str(exc))

    def show_ticket(self, ticket_id: str) -> None:
        detail = self.svc.tickets.detail(ticket_id)
        self.w.ticket_detail.show_detail(detail, ticket_extras(self.svc, ticket_id, self.user, detail))

    def _changed(self, ticket_id: str) -> None:
        self.w.refresh_board()
        self.show_ticket(ticket_id)
        self.w.refresh_events()

    def check_sla(self, now: float | None = None) -> list:
        """Warn before and escalate after an SLA limit (once per ticket and timer): event card + audit."""
        try:
            found = self.sla.check(now or time.time())
        except StoreError as exc:
            self.w.statusBar().showMessage(str(exc), 8000)
            return []
        if found:
            self.w.refresh_events()
            if self.w.ticket_detail.ticket_id in {e.ticket_id for e in found}:
                self.show_ticket(self.w.ticket_detail.ticket_id)
        return found

    def check_account(self) -> str:
        """Follow an admin's change to the signed-in account (another workstation, ``anran users``): a new
        role re-offers the buttons it allows; a deactivated account keeps the window read-only and says so.
        The services check the role on every write anyway; this keeps the screen from offering what would be
        refused. Returns the role now ('' when no longer active)."""
        try:
            role = self.svc.loop.users.role_of(self.user)
        except StoreError as exc:
            self.w.statusBar().showMessage(str(exc), 8000)
            return self.role
        if role == self.role:
            return role
        from anran_desktop.ui.loop_menus import apply_role

        was, self.role = self.role, role
        self.deactivated = bool(was) and not role
        apply_role(self.w, role)
        if self.w.ticket_detail.ticket_id:
            self.show_ticket(self.w.ticket_detail.ticket_id)
        if self.deactivated:
            QMessageBox.warning(self.w, _tr("账户已停用"),
                                _tr("管理员已停用账户 {user}：本窗口只能查看，不能再建单、派单或更改工单。"
                                    "如需继续工作，请用有效账户重新登录。").format(user=self.user))
        else:
            self.w.statusBar().showMessage(_tr("管理员已更改本账户的角色，现可进行的操作已随之更新"), 10000)
        return role

    # -- actions --------------------------------------------------------------------------------------
    def create_from_card(self, card) -> str | None:  # noqa: ANN001
        """The alarm card's one action: a ticket pre-filled from the alarm (interval, SOP, nearest crew)."""
        try:
            ticket = self.svc.loop.dispatch.ticket_from_alarm(card.alarm_id, self.user)
        except (WorkflowError, StoreError) as exc:
            self._refused(_tr("无法建单"), exc)
            return None
        self.w.feed.mark_ticket(card.alarm_id, ticket.id)
        self.w.bottom_tabs.setCurrentIndex(1)
        self._changed(ticket.id)
        self.w.statusBar().showMessage(_tr("已建单 ") + ticket.id + (f" · {ticket.assignee}" if ticket.assignee
                                                                      else ""), 8000)
        return ticket.id

    def merge_report(self, card) -> str | None:  # noqa: ANN001
        """A resident's report card joins its area's open ticket as evidence (and feeds the engine)."""
        try:
            ticket = self.svc.loop.dispatch.merge_report(card.id, self.user)
        except (WorkflowError, StoreError) as exc:
            self._refused(_tr("无法并入工单"), exc)
            return None
        self.w.feed.mark_event(card.id, ticket.id)
        self.w.bottom_tabs.setCurrentIndex(1)
        self._changed(ticket.id)
        self.refine(ticket.id)
        return ticket.id

    def step(self, ticket_id: str, to_status: str) -> bool:
        try:
            card = self.svc.tickets.move(ticket_id, to_status, self.user, publish=True)
        except (WorkflowError, StoreError) as exc:
            self._refused(_tr("无法执行此步骤"), exc)
            self._changed(ticket_id)
            return False
        self.svc.events.add(kind="ticket", severity="info", title=f"{card.id} → {card.status}",
                            detail={"ticket": card.id, "by": self.user}, ticket_id=card.id, is_drill=card.is_drill)
        self._changed(ticket_id)
        return True

    def assign(self, ticket_id: str, username: str) -> None:
        try:
            self.svc.tickets.assign(ticket_id, username, self.user)
        except (WorkflowError, StoreError) as exc:
            self._refused(_tr("无法指派"), exc)
        self._changed(ticket_id)

    def toggle_item(self, ticket_id: str, item_id: str, done: bool) -> None:
        try:
            self.svc.loop.evidence.set_item(ticket_id, item_id, done, self.user)
        except (WorkflowError, StoreError) as exc:
            self._refused(_tr("无法修改检查项"), exc)
        self.show_ticket(ticket_id)

    def request_evidence(self, ticket_id: str, kind: str) -> None:
        """Ask for the evidence's content (value, photo, note) and attach it."""
        kw: dict = {}
        if kind in ("gauge_reading", "retest_reading"):
            text, ok = QInputDialog.getText(self.w, _tr("读数"),
                                            _tr("读数 单位 [节点]，例如 0.22 MPa N-S3 或 3.1 kPa"))
            if not ok or not text.strip():
                return
            try:
                kw["value"], kw["unit"], kw["node_id"] = parse_reading(text, self.svc.network_model.nodes)
            except ValueError as exc:
                QMessageBox.warning(self.w, _tr("读数"), str(exc))
                return
        elif kind in ("photo_before", "photo_after"):
            path, _ = QFileDialog.getOpenFileName(self.w, _tr("选择照片"), "", _tr("图像 (*.jpg *.jpeg *.png)"))
            if not path:
                return
            from pathlib import Path

            kw["photo"] = Path(path).read_bytes()
            kw["note"] = Path(path).name
        elif kind == "valve_test":
            by_meter = by_inlet_meter(self.svc.tickets.detail(ticket_id).card.title_parts)
            if by_meter:  # the gauges never dropped
                prompt = _tr("关闭的阀门（逗号分隔）; 进站流量是否回落 是/否，例如 V-S3S4,V-S4S5;是")
            else:
                prompt = _tr("关闭的阀门（逗号分隔）; 压力是否恢复 是/否，例如 V-S3S4,V-S4S5;是")
            text, ok = QInputDialog.getText(self.w, _tr("关阀试验"), prompt)
            if not ok or not text.strip():
                return
            net = self.svc.network_model
            try:
                valves, restored = parse_valve_test(text, {p.id for p in net.pipes.values() if p.kind == "valve"},
                                                    by_meter)
            except ValueError as exc:
                QMessageBox.warning(self.w, _tr("关阀试验"), str(exc))
                return
            kw["detail"] = {"valves": valves, "restored": restored}
            kw["note"] = text.strip()
        else:
            text, ok = QInputDialog.getMultiLineText(self.w, _tr("备注"), _tr("备注内容"))
            if not ok or not text.strip():
                return
            kw["note"] = text.strip()
        self.attach(ticket_id, kind, **kw)

    def attach(self, ticket_id: str, kind: str, **kw) -> bool:  # noqa: ANN003
        try:
            self.svc.loop.evidence.attach(ticket_id, kind, self.user, **kw)
        except (WorkflowError, StoreError, OSError) as exc:
            self._refused(_tr("无法添加证据"), exc)
            return False
        self.show_ticket(ticket_id)
        if kind in ("gauge_reading", "valve_test", "meter_reading"):
            self.refine(ticket_id)
        return True

    # -- evidence → engine → narrower interval ----------------------------------------------------------
    def follow_watch(self, ticket_id: str) -> bool:
        """The leak watch located the alarm of a ticket whose interval on-site evidence had narrowed: locate
        again with the newest readings *and* that evidence, and let the ticket follow the result by the
        crew's rule (``TicketService.follow_engine``) — the watch's location alone would drop the evidence."""
        source = self.svc.tickets.interval_source(ticket_id)
        if source in (None, "engine") or not may_follow(self.svc.tickets.get(ticket_id).status, source, source):
            return False
        return self.refine(ticket_id, follow=True)

    def refine(self, ticket_id: str, follow: bool = False) -> bool:
        """Locate again with the ticket's evidence on a worker thread; store the interval if it changed
        (``follow``: the system's re-run after the leak watch moved, see :meth:`follow_watch`)."""
        from anran_desktop.services.interval_refine import onset_epoch, refine, stored_readings, window_end
        from anran_desktop.services.leak_watch import LeakWatch
        from anran_desktop.ui.workers import run_in_worker

        if self._refining:
            queued = dict(self._refine_again)
            if ticket_id not in queued:
                self._refine_again.append((ticket_id, follow))  # run again when the current one is done
            elif queued[ticket_id] and not follow:  # someone's evidence: theirs, not the system's re-run
                self._refine_again = [(t, f and t != ticket_id) for t, f in self._refine_again]
            return False
        if self.w.leak_watch is None:
            self.w.leak_watch = LeakWatch(self.svc.network_model, self.svc.alarms, tickets=self.svc.tickets)
        watch, now, telemetry = self.w.leak_watch, time.time(), self.svc.telemetry
        alarm = self.svc.alarms.for_ticket(ticket_id)
        end = window_end(onset_epoch(alarm.detail) if alarm else None, now, watch.window_s)
        if end >= now and self.w.pipeline is None:
            return False  # no live feed and no stored onset to look back to
        live = end >= now
        rings = dict(self.w.pipeline.rings) if live else {}
        records = self.svc.loop.evidence.evidence(ticket_id)
        self._refining = True
        generation = self.w.network_generation

        def job():  # noqa: ANN202 - the rings are copied and binned (or the store read) here, on the worker
            readings = (watch.readings_from_rings(rings, now, adopt_noise=False) if live
                        else stored_readings(watch, telemetry, end))
            return refine(watch.locator, readings, records)

        run_in_worker(job, on_done=lambda r: self._on_refined(ticket_id, r, follow, generation),
                      on_error=lambda m: self._on_refine_error(m, ticket_id, follow, generation))
        return True

    def _stale(self, generation: int, ticket_id: str, follow: bool) -> bool:
        """Whether a refinement ran on a network replaced meanwhile (an import): then its result is dropped
        and the ticket is located again, first in the queue, on the network the window works on now."""
        if generation == self.w.network_generation:
            return False
        queued = dict(self._refine_again)  # someone's evidence queued meanwhile: theirs, not the system's re-run
        again = (ticket_id, follow and queued.get(ticket_id, True))
        self._refine_again = [again] + [(t, f) for t, f in self._refine_again if t != ticket_id]
        log.info("refinement of %s ran on the replaced network: located again on the new one", ticket_id)
        return True

    def _refine_next(self) -> None:
        self._refining = False
        if self._refine_again:
            self.refine(*self._refine_again.pop(0))

    def _on_refined(self, ticket_id: str, result, follow: bool = False,  # noqa: ANN001
                    generation: int | None = None) -> None:
        try:
            if generation is not None and self._stale(generation, ticket_id, follow):
                return  # (finally: the queue goes on, with this ticket first)
            if follow:
                self._follow_refined(ticket_id, result)
            else:
                self._show_refined(ticket_id, result)
        finally:
            self._refine_next()

    def _follow_refined(self, ticket_id: str, result) -> None:  # noqa: ANN001
        """The system's re-run: taken only by the crew's rule, and silent when nothing changed."""
        if result is None:
            return
        try:
            detail = self.svc.tickets.follow_engine(ticket_id, result.interval, self._parts(result.interval),
                                                    source=result.source)
        except WorkflowError as exc:
            self.w.statusBar().showMessage(str(exc), 8000)
            return
        if detail is not None:
            self.w.show_followed(detail)

    def _parts(self, interval: dict) -> dict:
        """The title parts a ticket takes with a refined interval (the site's calibration state as the watch's)."""
        return interval_parts(self.svc.network_model, interval,
                              self.w.leak_watch.calibration_state() if self.w.leak_watch else "")

    def _show_refined(self, ticket_id: str, result) -> None:  # noqa: ANN001
        if result is None:
            self.w.statusBar().showMessage(_tr("证据已记录；引擎未能据此更新区间（数据不足或未检出泄漏）"), 8000)
            return
        old = self.svc.tickets.detail(ticket_id).suspect_interval or {}
        if old.get("pipes") == result.interval["pipes"] and old.get("confidence") == result.interval["confidence"]:
            return
        try:
            iv = result.interval
            self.svc.tickets.update_interval(ticket_id, iv, self.user, result.source, title_parts=self._parts(iv))
        except WorkflowError as exc:
            self.w.statusBar().showMessage(str(exc), 8000)
            return
        self.show_ticket(ticket_id)
        self.w.refresh_board()  # its title names the new places and figures
        self.w.canvas.clear_overlay()
        self.w.canvas.outline_pipes(iv["pipes"], label=f"{iv['length_m']:.0f} m · {quoted(iv['confidence']):.2f}")

    def _on_refine_error(self, message: str, ticket_id: str = "", follow: bool = False,
                         generation: int | None = None) -> None:
        if generation is None or not self._stale(generation, ticket_id, follow):
            self.w.statusBar().showMessage(_tr("区间更新失败：") + message.splitlines()[0], 10_000)
        self._refine_next()

"""Crew tickets through the relay inside ``anran app``.

* Dispatch desktop (a site token is configured, so ``start_sync`` runs): each sync round also runs
  :class:`~anran_desktop.services.crew_publish.CrewPublisher` — crew progress in (through the desktop's
  guards), assigned tickets out.
* Crew laptop (``anran app --crew``, no site token): :class:`CrewSyncController` runs
  :class:`~anran_desktop.services.crew_laptop.CrewLaptopSync` every 10 s for the crew member in a
  daemon worker thread with its own event loop, and shows the state in the crew window's sync line. The
  relay URL, user and password are set in crew mode's 中继设置 dialog (``crew_relay_dialog.py``;
  ``services/crew_credentials.py`` says where each is kept); ``ANRAN_CREW_PASSWORD`` still wins.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import queue
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication

from anran_desktop.services.crew_laptop import CrewLaptopSync, CrewSyncState
from anran_desktop.store import Store
from anran_desktop.ui.daemon_round import RoundLoop

log = logging.getLogger(__name__)


def crew_status_text(st: CrewSyncState) -> tuple[str, bool]:
    """The crew window's sync line (translated) and whether all is well. A queue the relay's rate limit
    holds back is being uploaded (正在上传 n 条 · 稍后继续), not offline."""
    from anran_desktop.ui.crew_reasons import reason_text

    parts = [QCoreApplication.translate("CrewSync", "已连接中继") if st.online else QCoreApplication.translate("CrewSync", "离线，已保存在本机")]
    if st.online and st.pending and st.rate_limited and st.retry_in_s:
        parts.append(QCoreApplication.translate("CrewSync", "正在上传 {n} 条（中继限流，{s} 秒后继续）").format(
            n=st.pending, s=st.retry_in_s))
    elif st.online and st.pending and st.rate_limited:
        parts.append(QCoreApplication.translate("CrewSync", "正在上传 {n} 条（中继限流，稍后继续）").format(n=st.pending))
    elif st.online and st.pending:
        parts.append(QCoreApplication.translate("CrewSync", "正在上传 {n} 条").format(n=st.pending))
    else:
        parts.append(QCoreApplication.translate("CrewSync", "{n} 条待上传").format(n=st.pending))
    if st.waiting:
        parts.append(QCoreApplication.translate("CrewSync", "{n} 条待调度台确认").format(n=st.waiting))
    if st.refused:
        ticket, _kind, reason, codes = st.refused[0]
        text = QCoreApplication.translate("CrewSync", "调度台拒绝 {ticket}：{reason}")
        parts.append(text.format(ticket=ticket, reason=reason_text(codes, reason)[:80]))
    if st.withdrawn:
        parts.append(QCoreApplication.translate("CrewSync", "工单 {ticket} 已由调度台收回（改派）").format(ticket=st.withdrawn[0]))
    if st.last_error and not st.online:
        parts.append(st.last_error[:60])
    return " · ".join(parts), st.online and not st.refused


def crew_password(store: Store) -> str | None:
    """The crew member's relay password: ``ANRAN_CREW_PASSWORD``, else the ``crew_password_file`` setting."""
    if os.environ.get("ANRAN_CREW_PASSWORD"):
        return os.environ["ANRAN_CREW_PASSWORD"]
    name = store.setting("crew_password_file")
    if not name:
        return None
    from anran_desktop.ingest.secrets import check_file_mode

    path = Path(name)
    check_file_mode(path, "crew_password_file")
    lines = path.read_text(encoding="utf-8").splitlines()
    return lines[0] if lines and lines[0] else None


class _AppliedBridge:
    """Crew records applied on the sync thread → the dispatch window, on the GUI thread: the board is
    redrawn, and a crew gauge reading or valve test re-runs the engine on the ticket like one entered here
    (``LoopController.refine`` → ``TicketService.update_interval``; the narrower interval is a new ticket
    version, which the crew laptop pulls). The sync thread only queues (``forward``); the sync controller
    drains the queue on the GUI thread after the round (``drain``): no Qt call crosses threads."""

    def __init__(self, window) -> None:  # noqa: ANN001
        self.window = window
        self._queue: queue.SimpleQueue[tuple[str, str]] = queue.SimpleQueue()

    def forward(self, rec) -> None:  # noqa: ANN001 - a ProgressRecord; called on the sync thread
        self._queue.put((rec.ticket_id, str(rec.payload.get("evidence") or rec.kind)))

    def drain(self) -> None:
        applied: list[tuple[str, str]] = []
        with contextlib.suppress(queue.Empty):
            while True:
                applied.append(self._queue.get_nowait())
        if not applied:
            return
        self.window.refresh_board()
        loop = getattr(self.window, "loop", None)
        if loop is None:
            return
        for ticket_id in dict.fromkeys(t for t, kind in applied if kind in ("gauge_reading", "valve_test")):
            loop.refine(ticket_id)  # as when entered on this desktop


class CrewSyncController(RoundLoop[CrewSyncState]):
    """Runs ``sync.sync_once()`` every ``interval_s`` seconds off the GUI thread; ``show(state)`` after each.
    ``sync`` is None until 中继设置 has a relay sign-in (``configure_crew_sync``)."""

    def __init__(self, sync: CrewLaptopSync | None, show: Callable[[CrewSyncState], None],
                 interval_s: float = 10.0) -> None:
        super().__init__(interval_s, "anran-crew-sync")
        self.sync, self.show = sync, show

    async def _run(self) -> None:
        while not self._stop.is_set():
            sync = self.sync
            if sync is None:  # not configured yet (中继设置)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stop.wait(), min(self.interval_s, 1.0))
                continue
            try:
                state = await self._round.run(sync.sync_once, sync.client.aclose, sync.state)
                if state is None:  # cancelled by stop()
                    break
                self.show(state)
            except Exception:
                log.exception("crew sync round failed")
            self.rounds += 1
            await self._pause()


def start_crew_tickets(window, store: Store, sync_ctl, *, crew_mode: bool,  # noqa: ANN001
                       interval_s: float = 10.0) -> CrewSyncController | None:
    """Hook crew tickets into the running app (see the module doc). Returns the crew laptop's controller."""
    svc = window.svc
    if sync_ctl is not None:  # dispatch desktop
        from anran_desktop.services.crew_publish import CrewPublisher

        pub = CrewPublisher(store, svc.tickets, svc.loop.evidence, store.setting("site_name") or "")
        bridge = _AppliedBridge(window)
        pub.on_applied = bridge.forward  # called on the sync thread
        sync_ctl.after_round.append(bridge.drain)  # on the GUI thread
        sync_ctl.service.rounds.append(pub.round)
        return None
    crew_window = getattr(window, "crew_window", None)
    if not (crew_mode and crew_window is not None):
        return None
    ctl = CrewSyncController(None, lambda st: crew_window.set_relay_status(*crew_status_text(st)), interval_s)
    crew_window.crew_sync_ctl = ctl  # 中继设置 (crew_relay_dialog.py) hands a new sign-in to it
    crew_window.view.relay_btn.show()
    configure_crew_sync(window, store, ctl)
    ctl.start()
    return ctl


def _relay_url(store: Store) -> str | None:
    url = store.setting("relay_url")
    if not url:
        from anran_desktop.install_config import InstallConfigError, read_install_config

        with contextlib.suppress(InstallConfigError):
            url = getattr(read_install_config(), "relay_url", None)
    return url


def configure_crew_sync(window, store: Store, ctl: CrewSyncController) -> bool:  # noqa: ANN001
    """(Re)build the controller's sync from the stored relay sign-in; the next round uses it. False when
    there is no URL (the crew window keeps its local outbox line) or no usable password (it says so)."""
    from anran_desktop.services.crew_credentials import relay_user

    crew_window = window.crew_window
    url = _relay_url(store)
    if not url:  # one machine, or not set up yet: the window keeps its local outbox line
        ctl.sync = None
        return False
    try:
        password = crew_password(store)
    except (OSError, ValueError) as exc:
        ctl.sync = None
        crew_window.set_relay_status(QCoreApplication.translate("CrewSync", "中继密码有误：") + str(exc), False)
        return False
    if not password:
        ctl.sync = None
        crew_window.set_relay_status(QCoreApplication.translate(
            "CrewSync", "未设置中继密码（中继设置…，或 ANRAN_CREW_PASSWORD）"), False)
        return False
    from sync.crew_client import CrewRelayClient

    ctl.sync = CrewLaptopSync(store, CrewRelayClient(url, relay_user(store, window.user), password),
                              evidence_root=window.svc.loop.evidence.evidence_root)
    crew_window.set_relay_status(QCoreApplication.translate("CrewSync", "连接中继中…"), True)
    return True

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
import concurrent.futures
import contextlib
import logging
import os
import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Signal

from anran_desktop.services.crew_laptop import CrewLaptopSync, CrewSyncState
from anran_desktop.store import Store

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


class _AppliedBridge(QObject):
    """Crew records applied on the sync thread → the dispatch window (queued to the GUI thread): the board
    is redrawn, and a crew gauge reading or valve test re-runs the engine on the ticket like one entered
    here (``LoopController.refine`` → ``TicketService.update_interval``; the narrower interval is a new
    ticket version, which the crew laptop pulls)."""

    applied = Signal(str, str)

    def __init__(self, window) -> None:  # noqa: ANN001
        super().__init__(window)
        self.window = window
        self.applied.connect(self._on_applied)

    def forward(self, rec) -> None:  # noqa: ANN001 - a ProgressRecord
        self.applied.emit(rec.ticket_id, str(rec.payload.get("evidence") or rec.kind))

    def _on_applied(self, ticket_id: str, kind: str) -> None:
        self.window.refresh_board()
        loop = getattr(self.window, "loop", None)
        if kind in ("gauge_reading", "valve_test") and loop is not None:  # as when entered on this desktop
            loop.refine(ticket_id)


class CrewSyncController:
    """Runs ``sync.sync_once()`` every ``interval_s`` seconds off the GUI thread; ``show(state)`` after each."""

    def __init__(self, sync: CrewLaptopSync | None, show: Callable[[CrewSyncState], None],
                 interval_s: float = 10.0) -> None:
        self.sync, self.show, self.interval_s = sync, show, interval_s
        self._stop = asyncio.Event()
        self._task: asyncio.Task | None = None
        self.rounds = 0

    def start(self) -> asyncio.Task:
        self._task = asyncio.get_running_loop().create_task(self._run())
        return self._task

    async def stop(self, grace_s: float = 2.0) -> None:
        self._stop.set()
        if self._task is not None:
            try:
                with contextlib.suppress(asyncio.CancelledError):
                    await asyncio.wait_for(asyncio.shield(self._task), grace_s)
            except TimeoutError:  # a round still waiting on the relay: its daemon thread is abandoned at exit
                self._task.cancel()

    def _round(self, sync: CrewLaptopSync) -> CrewSyncState:
        async def once() -> None:
            try:
                await sync.sync_once()
            finally:
                await sync.client.aclose()  # the pool belongs to this thread's loop

        asyncio.run(once())
        return sync.state()

    async def _run(self) -> None:
        while not self._stop.is_set():
            sync = self.sync
            if sync is None:  # not configured yet (中继设置)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stop.wait(), min(self.interval_s, 1.0))
                continue
            fut: concurrent.futures.Future = concurrent.futures.Future()

            def work(f: concurrent.futures.Future = fut, sync: CrewLaptopSync = sync) -> None:
                try:
                    f.set_result(self._round(sync))
                except BaseException as exc:  # noqa: BLE001 - shown, the loop goes on
                    f.set_exception(exc)

            threading.Thread(target=work, name="anran-crew-sync", daemon=True).start()
            try:
                self.show(await asyncio.wrap_future(fut))
            except Exception:
                log.exception("crew sync round failed")
            self.rounds += 1
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stop.wait(), self.interval_s)


def start_crew_tickets(window, store: Store, sync_ctl, *, crew_mode: bool,  # noqa: ANN001
                       interval_s: float = 10.0) -> CrewSyncController | None:
    """Hook crew tickets into the running app (see the module doc). Returns the crew laptop's controller."""
    svc = window.svc
    if sync_ctl is not None:  # dispatch desktop
        from anran_desktop.services.crew_publish import CrewPublisher

        pub = CrewPublisher(store, svc.tickets, svc.loop.evidence, store.setting("site_name") or "")
        pub.on_applied = _AppliedBridge(window).forward  # called on the sync thread
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

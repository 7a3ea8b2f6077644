"""Relay sync in the running app: the SyncService loop on the qasync loop, its state in the status bar.

Each round (push, pull, photo downloads, handlers) runs in a daemon worker thread with an event loop of
its own, so neither network I/O nor the SQLite writes of a big page block the GUI thread; the status bar
is updated on the GUI thread once the round is over. Closing the app cancels a round in flight (e.g. one
waiting out the 10 s timeout of an unreachable relay) at its next await and does not wait more than a
moment for it: every SQLite write of a round is its own transaction and photos are written to a temporary
name first, so a cancelled round leaves nothing half-written; an outbox item whose push was cut off stays
pending and is sent again (the relay de-duplicates by event id).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import logging
import threading
from datetime import UTC, datetime

from PySide6.QtCore import QCoreApplication

from anran_desktop.services.sync_service import SyncService, SyncSnapshot
from anran_desktop.store import Store

log = logging.getLogger(__name__)


def _parse(iso: str) -> datetime:
    return datetime.fromisoformat(iso.replace("Z", "+00:00"))


def _age(seconds: float) -> str:
    s = max(0, int(seconds))
    if s < 120:
        return QCoreApplication.translate("SyncStatus", "{n} 秒").format(n=s)
    if s < 7200:
        return QCoreApplication.translate("SyncStatus", "{n} 分钟").format(n=s // 60)
    return QCoreApplication.translate("SyncStatus", "{n} 小时").format(n=s // 3600)


def format_sync_status(snap: SyncSnapshot, now: datetime | None = None) -> tuple[str, bool]:
    """Status-bar text (translated) and whether all is well (online, nothing failing or refused)."""
    now = now or datetime.now(UTC)
    o = snap.outbox
    online, offline = QCoreApplication.translate("SyncStatus", "在线"), QCoreApplication.translate("SyncStatus", "离线")
    state = online if snap.online else offline
    parts = [state, QCoreApplication.translate("SyncStatus", "待发 {n}").format(n=o.pending)]
    if o.oldest_pending_at:
        waited = (now - _parse(o.oldest_pending_at)).total_seconds()
        parts.append(QCoreApplication.translate("SyncStatus", "最早已等 {age}").format(age=_age(waited)))
    if o.failing:
        parts.append(QCoreApplication.translate("SyncStatus", "{n} 条发送失败，重试中").format(n=o.failing))
    if o.rejected:
        parts.append(QCoreApplication.translate("SyncStatus", "{n} 条被中继拒收").format(n=o.rejected))
    if o.unapplied:
        parts.append(QCoreApplication.translate("SyncStatus", "{n} 条待入库").format(n=o.unapplied))
    if snap.last_success_at:
        local = _parse(snap.last_success_at).astimezone().strftime("%H:%M:%S")
        parts.append(QCoreApplication.translate("SyncStatus", "上次成功 {t}").format(t=local))
    else:
        parts.append(QCoreApplication.translate("SyncStatus", "尚未成功同步"))
    ok = snap.online and not (o.failing or o.rejected) and snap.last_error is None
    if snap.last_error and not ok:
        parts.append(snap.last_error.splitlines()[0][:60])
    return " · ".join(parts), ok


def relay_settings(store: Store) -> tuple[str, str] | None:
    """Relay URL and site token: the first-run wizard's (stored) ones, else the installer's site.ini."""
    url, token = store.setting("relay_url"), store.setting("site_token")
    if not (url and token):
        from anran_desktop.install_config import read_install_config

        cfg = read_install_config()
        if cfg is not None:
            url, token = url or cfg.relay_url, token or cfg.site_token
    return (url, token) if url and token else None


class SyncController:
    """Runs ``service`` every ``interval_s`` seconds and shows its state through ``show(text, ok)``."""

    def __init__(self, service: SyncService, show, interval_s: float = 10.0) -> None:  # noqa: ANN001
        self.service, self.show, self.interval_s = service, show, interval_s
        self._stop = asyncio.Event()
        self._task: asyncio.Task | None = None
        self.rounds = 0
        self._lock = threading.Lock()
        self._round_loop: asyncio.AbstractEventLoop | None = None  # the worker's loop while a round runs
        self._round_task: asyncio.Task | None = None
        self._closing = False

    def start(self) -> asyncio.Task:
        """Start the loop on the running (qasync) event loop."""
        self._task = asyncio.get_running_loop().create_task(self._run())
        return self._task

    async def stop(self, grace_s: float = 2.0) -> bool:
        """Stop the loop, cancelling a round in flight. True if it ended within ``grace_s`` (else abandoned:
        its daemon thread does not hold up the exit, and what it has not committed is simply not there)."""
        self._stop.set()
        self._cancel_round()
        if self._task is None:
            return True
        try:
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.wait_for(asyncio.shield(self._task), grace_s)
            return True
        except TimeoutError:
            log.warning("sync round still running after %.1f s; abandoned at exit", grace_s)
            self._task.cancel()
            return False

    def _cancel_round(self) -> None:
        with self._lock:
            self._closing = True
            loop, task = self._round_loop, self._round_task
        if loop is not None and task is not None:
            with contextlib.suppress(RuntimeError):  # the round's loop closed meanwhile
                loop.call_soon_threadsafe(task.cancel)

    def _round(self) -> SyncSnapshot | None:
        async def once() -> SyncSnapshot | None:
            with self._lock:
                if self._closing:
                    return None
                self._round_loop, self._round_task = asyncio.get_running_loop(), asyncio.current_task()
            try:
                await self.service.sync_once()
            finally:
                with self._lock:
                    self._round_loop = self._round_task = None
                await self.service.aclose()  # the connection pool belongs to this thread's loop
            return self.service.snapshot()

        try:
            return asyncio.run(once())
        except asyncio.CancelledError:  # closing the app cut the round off
            return None

    def _start_round(self) -> asyncio.Future:
        """Run one round in a daemon thread (not the loop's executor, whose shutdown would wait for it)."""
        fut: concurrent.futures.Future = concurrent.futures.Future()

        def work() -> None:
            try:
                fut.set_result(self._round())
            except BaseException as exc:  # noqa: BLE001 - handed to the loop, shown in the status bar
                fut.set_exception(exc)

        threading.Thread(target=work, name="anran-sync-round", daemon=True).start()
        return asyncio.wrap_future(fut)

    async def _run(self) -> None:
        while not self._stop.is_set():
            try:
                snap = await self._start_round()
                if snap is None:  # cancelled by stop()
                    break
            except Exception as exc:  # a broken round is shown, the loop goes on
                log.exception("sync round failed")
                why = str(exc).splitlines()[0][:80] if str(exc) else type(exc).__name__
                self.show(QCoreApplication.translate("SyncStatus", "同步出错：") + why, False)
            else:
                self.show(*format_sync_status(snap))
            self.rounds += 1
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stop.wait(), self.interval_s)


def start_sync(window, store: Store, interval_s: float = 10.0) -> SyncController | None:  # noqa: ANN001
    """If a relay is configured, start syncing on the running loop and show it in ``window``'s status bar."""
    from anran_desktop.install_config import InstallConfigError

    try:
        settings = relay_settings(store)
    except InstallConfigError as exc:
        window.set_sync_status(QCoreApplication.translate("SyncStatus", "配置有误：") + str(exc), False)
        return None
    if settings is None:
        return None
    ctl = SyncController(SyncService(store, *settings), window.set_sync_status, interval_s)
    window.set_sync_status(QCoreApplication.translate("SyncStatus", "连接中…"), True)
    ctl.start()
    return ctl

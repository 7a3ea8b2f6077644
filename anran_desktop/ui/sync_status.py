"""Relay sync in the running app: the SyncService loop on the qasync loop, its state in the status bar.

Each round (push, pull, photo downloads, handlers) runs in a daemon worker thread with an event loop of
its own (``daemon_round.py``), so neither network I/O nor the SQLite writes of a big page block the GUI
thread; the status bar is updated on the GUI thread once the round is over. Closing the app cancels a round in flight (e.g. one
waiting out the 10 s timeout of an unreachable relay) at its next await and does not wait more than a
moment for it: every SQLite write of a round is its own transaction and photos are written to a temporary
name first, so a cancelled round leaves nothing half-written; an outbox item whose push was cut off stays
pending and is sent again (the relay de-duplicates by event id).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtCore import QCoreApplication

from anran_desktop.services.sync_service import SyncService, SyncSnapshot
from anran_desktop.store import Store
from anran_desktop.ui.daemon_round import RoundLoop
from widgets.timefmt import duration_text

log = logging.getLogger(__name__)


def _parse(iso: str) -> datetime:
    return datetime.fromisoformat(iso.replace("Z", "+00:00"))


def format_sync_status(snap: SyncSnapshot, now: datetime | None = None) -> tuple[str, bool]:
    """Status-bar text (translated) and whether all is well (online, nothing failing or refused)."""
    now = now or datetime.now(UTC)
    o = snap.outbox
    online, offline = QCoreApplication.translate("SyncStatus", "在线"), QCoreApplication.translate("SyncStatus", "离线")
    state = online if snap.online else offline
    parts = [state, QCoreApplication.translate("SyncStatus", "待发 {n}").format(n=o.pending)]
    if o.oldest_pending_at:
        waited = (now - _parse(o.oldest_pending_at)).total_seconds()
        parts.append(QCoreApplication.translate("SyncStatus", "最早已等 {age}").format(age=duration_text(waited)))
    if o.failing:
        parts.append(QCoreApplication.translate("SyncStatus", "{n} 条发送失败，重试中").format(n=o.failing))
    if o.rejected:
        parts.append(QCoreApplication.translate("SyncStatus", "{n} 条被中继拒收").format(n=o.rejected))
    if o.tickets_refused:
        parts.append(QCoreApplication.translate("SyncStatus", "{n} 张工单未能发给抢修员").format(n=o.tickets_refused))
    if o.unapplied:
        parts.append(QCoreApplication.translate("SyncStatus", "{n} 条待入库").format(n=o.unapplied))
    if snap.last_success_at:
        local = _parse(snap.last_success_at).astimezone().strftime("%H:%M:%S")
        parts.append(QCoreApplication.translate("SyncStatus", "上次成功 {t}").format(t=local))
    else:
        parts.append(QCoreApplication.translate("SyncStatus", "尚未成功同步"))
    ok = snap.online and not (o.failing or o.rejected or o.tickets_refused) and snap.last_error is None
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


def relay_configured(store: Store) -> bool:
    """Whether a relay is set up (for panels that send through it); an unreadable site.ini counts as not (the
    sync status shows why)."""
    from anran_desktop.install_config import InstallConfigError

    try:
        return relay_settings(store) is not None
    except InstallConfigError:
        return False


class SyncController(RoundLoop[SyncSnapshot]):
    """Runs ``service`` every ``interval_s`` seconds and shows its state through ``show(text, ok)``; then
    calls each of ``after_round`` (on the GUI thread, e.g. to redraw what the round applied)."""

    def __init__(self, service: SyncService, show, interval_s: float = 10.0) -> None:  # noqa: ANN001
        super().__init__(interval_s, "anran-sync-round")
        self.service, self.show = service, show
        self.after_round: list[Callable[[], None]] = []

    async def _run(self) -> None:
        while not self._stop.is_set():
            try:
                snap = await self._round.run(self.service.sync_once, self.service.aclose, self.service.snapshot)
                if snap is None:  # cancelled by stop()
                    break
            except Exception as exc:  # a broken round is shown, the loop goes on
                log.exception("sync round failed")
                why = str(exc).splitlines()[0][:80] if str(exc) else type(exc).__name__
                self.show(QCoreApplication.translate("SyncStatus", "同步出错：") + why, False)
            else:
                self.show(*format_sync_status(snap))
            for hook in self.after_round:
                try:
                    hook()
                except Exception:
                    log.exception("after-round hook failed")
            self.rounds += 1
            await self._pause()


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

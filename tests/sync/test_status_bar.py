"""`anran app`'s sync: the SyncService runs on the qasync loop against a real relay; the status bar follows."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from anran_desktop.services.sync_service import enqueue
from tests.sync.conftest import SITE_TOKEN, run_on_qasync, wait_rounds


@pytest.fixture(scope="module")
def qapp():
    from anran_desktop.ui.app import make_app

    return make_app("zh_CN")


def test_status_bar_shows_sync_state_online_then_offline(qtbot, qapp, relay, tmp_path: Path) -> None:  # noqa: ANN001

    from anran_desktop.services.bootstrap import ensure_demo_site
    from anran_desktop.store import open_store
    from anran_desktop.ui.main_window import MainWindow, Services
    from anran_desktop.ui.sync_status import start_sync

    store = open_store(tmp_path / "desk.sqlite3")
    network = ensure_demo_site(store, history_hours=0.2)
    window = MainWindow(Services.create(store, network))
    qtbot.addWidget(window)
    window.show()
    assert window.sync_label.text() == "同步：未配置"
    assert start_sync(window, store) is None  # nothing configured: nothing started, label unchanged
    store.set_setting("relay_url", relay.url)  # what the first-run wizard writes
    store.set_setting("site_token", SITE_TOKEN)
    with store.begin() as c:
        enqueue(c, "notification", {"area": "1区", "title": "停气通知"})
    on_gui_thread: list[bool] = []

    def rounds(ctl, n: int):  # noqa: ANN001, ANN202
        return wait_rounds(ctl, n, lambda: f"no sync round finished; status bar says {window.sync_label.text()!r}")

    async def main() -> None:
        ctl = start_sync(window, store, interval_s=0.2)
        assert ctl is not None
        real = ctl.service.client.sync_once

        async def spy():  # noqa: ANN202
            on_gui_thread.append(threading.current_thread() is threading.main_thread())
            return await real()

        ctl.service.client.sync_once = spy
        await rounds(ctl, 1)
        text = window.sync_label.text()
        assert text.startswith("同步：在线 · 待发 0") and "上次成功" in text, text
        assert "c62828" not in window.sync_label.styleSheet()
        relay.stop()  # the relay goes away while the desktop keeps writing
        with store.begin() as c:
            enqueue(c, "notification", {"area": "1区", "title": "恢复供气"})
        await rounds(ctl, 2)
        text = window.sync_label.text()
        assert text.startswith("同步：离线 · 待发 1 · 最早已等") and "1 条发送失败，重试中" in text, text
        assert "上次成功" in text and "c62828" in window.sync_label.styleSheet()
        window.grab().save(str(tmp_path / "status.png"))
        await ctl.stop()

    try:
        run_on_qasync(qapp, main)
    finally:
        window.close()
        store.close()
    assert on_gui_thread and not any(on_gui_thread)  # every round ran off the GUI thread


def test_the_oldest_wait_reads_like_the_ticket_timers():
    from datetime import UTC, datetime, timedelta

    from anran_desktop.services.sync_service import OutboxSummary, SyncSnapshot
    from anran_desktop.ui.sync_status import format_sync_status

    now = datetime(2026, 12, 3, 8, 0, tzinfo=UTC)
    oldest = (now - timedelta(hours=1, minutes=5)).isoformat()
    text, ok = format_sync_status(SyncSnapshot(False, OutboxSummary(3, 0, 0, oldest, 0), None, None), now)
    assert "最早已等 1 h 05 min" in text and not ok

"""`anran app --crew` on a crew laptop with its own database: the crew window shows the ticket the dispatch
desktop published through a real relay, and an accept clicked there reaches the dispatch desktop."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest

from tests.sync.conftest import SITE_TOKEN, run_on_qasync, wait_rounds

PW = "crew-password-1"


@pytest.fixture(scope="module")
def qapp():
    from anran_desktop.ui.app import make_app

    return make_app("zh_CN")


def test_crew_window_shows_pulled_ticket_and_accept_reaches_dispatch(qtbot, qapp, relay, tmp_path: Path,  # noqa: ANN001
                                                                     monkeypatch) -> None:  # noqa: ANN001
    from PySide6.QtCore import Qt

    from anran_desktop.services.bootstrap import ensure_demo_site
    from anran_desktop.services.crew_publish import CrewPublisher
    from anran_desktop.services.events import AlarmService
    from anran_desktop.services.loop import LoopServices
    from anran_desktop.services.sync_service import SyncService
    from anran_desktop.services.tickets import TicketService
    from anran_desktop.services.users import UserService
    from anran_desktop.store import open_store
    from anran_desktop.ui.crew_sync import start_crew_tickets
    from anran_desktop.ui.loop_menus import open_crew_mode
    from anran_desktop.ui.main_window import MainWindow, Services
    from engine.network import Network

    r = httpx.post(relay.url + "/admin/staff", headers={"Authorization": f"Bearer {SITE_TOKEN}"},
                   json={"username": "crew01", "password": PW, "role": "crew", "area": "南区"})
    assert r.status_code == 201, r.text
    # dispatch desktop (no GUI needed here): one ticket for crew01, published
    desk = open_store(tmp_path / "dispatch.sqlite3")
    for name, role in (("dispatcher", "dispatcher"), ("crew01", "crew")):
        UserService(desk).create(name, name, role, "x")
    tickets = TicketService(desk)
    loop_svc = LoopServices.create(desk, Network(), tickets, AlarmService(desk))
    loop_svc.evidence._root = tmp_path / "ev-d"
    card = tickets.create(title="南区 S4 疑似泄漏", kind="leak", actor="dispatcher", area="南区", assignee="crew01")
    loop_svc.evidence.set_item(card.id, "call_crew", True, "dispatcher")
    tickets.move(card.id, "dispatched", "dispatcher")
    sync = SyncService(desk, relay.url, SITE_TOKEN, default_handlers=False, evidence_root=tmp_path / "ev-d")
    sync.rounds.append(CrewPublisher(desk, tickets, loop_svc.evidence).round)
    asyncio.run(sync.sync_once())

    # crew laptop: its own database, crew mode, relay URL and password configured
    store = open_store(tmp_path / "crew.sqlite3")
    network = ensure_demo_site(store, history_hours=0.2)
    store.set_setting("relay_url", relay.url)
    monkeypatch.setenv("ANRAN_CREW_PASSWORD", PW)
    window = MainWindow(Services.create(store, network), user="crew01")
    window.svc.loop.evidence._root = tmp_path / "ev-c"
    qtbot.addWidget(window)
    cw = open_crew_mode(window)
    assert cw.view.tickets.count() == 0

    def rounds(ctl, n: int):  # noqa: ANN001, ANN202
        return wait_rounds(ctl, n, lambda: "no crew sync round finished; crew window says "
                           f"{cw.view.sync_label.text()!r}")

    async def main() -> None:
        ctl = start_crew_tickets(window, store, None, crew_mode=True, interval_s=0.2)
        assert ctl is not None
        await rounds(ctl, 1)
        assert cw.view.tickets.count() == 1 and "南区 S4 疑似泄漏" in cw.view.tickets.item(0).text()
        assert cw.view.ticket_id == card.id and cw.view.accept_btn.isEnabled()
        assert cw.view.sync_label.text().startswith("已连接中继 · 0 条待上传"), cw.view.sync_label.text()
        cw.grab().save(str(tmp_path / "crew-pulled.png"))
        qtbot.mouseClick(cw.view.accept_btn, Qt.MouseButton.LeftButton)
        assert window.svc.tickets.accepted(card.id)
        await rounds(ctl, 2)
        assert "1 条待调度台确认" in cw.view.sync_label.text(), cw.view.sync_label.text()
        await asyncio.get_running_loop().run_in_executor(None, lambda: asyncio.run(sync.sync_once()))  # the dispatch desktop's round
        await rounds(ctl, 2)
        assert cw.view.sync_label.text().startswith("已连接中继 · 0 条待上传"), cw.view.sync_label.text()
        assert "待调度台确认" not in cw.view.sync_label.text()
        # a move the dispatch desktop refuses (a laptop whose local rules let it through): the reason shows
        TicketService(store).move(card.id, "closed", "crew01")
        await rounds(ctl, 2)
        await asyncio.get_running_loop().run_in_executor(None, lambda: asyncio.run(sync.sync_once()))
        await rounds(ctl, 2)
        text = cw.view.sync_label.text()
        assert f"调度台拒绝 {card.id}：" in text and "结案" in text, text
        assert window.svc.tickets.get(card.id).status == "dispatched"  # the dispatcher's status taken back
        cw.resize(1280, 800)
        cw.grab().save(str(tmp_path / "crew-refused.png"))
        # a valve test from the crew window (the two questions answered) reaches the dispatch desktop
        from PySide6.QtWidgets import QInputDialog, QMessageBox

        monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("V-S3S4，V-S4S5", True)))
        monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.No))
        assert cw.view.valve_btn.isEnabled() and cw.view.relay_btn.isVisible()
        qtbot.mouseClick(cw.view.valve_btn, Qt.MouseButton.LeftButton)
        (ev,) = [e for e in window.svc.loop.evidence.evidence(card.id) if e.kind == "valve_test"]
        assert ev.detail["valves"] == ["V-S3S4", "V-S4S5"] and ev.detail["restored"] is False
        await rounds(ctl, 2)
        await asyncio.get_running_loop().run_in_executor(None, lambda: asyncio.run(sync.sync_once()))
        (dv,) = [e for e in loop_svc.evidence.evidence(card.id) if e.kind == "valve_test"]
        assert (dv.actor, dv.detail["valves"], dv.detail["restored"]) == ("crew01", ["V-S3S4", "V-S4S5"], False)
        await ctl.stop()

    try:
        run_on_qasync(qapp, main)
    finally:
        window.close()
        store.close()
    assert tickets.accepted(card.id)
    with desk.read() as c:
        rows = c.exec_driver_sql("SELECT actor, action FROM audit_log WHERE entity_id=? ORDER BY id",
                                 (card.id,)).all()
    assert ("crew01", "ticket.accept") in [tuple(x) for x in rows]
    desk.close()

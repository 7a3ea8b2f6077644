"""The dispatch desktop's window: a crew member's step posted to a real relay from elsewhere is applied in the
window's sync round (guards, crew as actor) and the board shows it without anyone touching the window."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest

from tests.sync.conftest import SITE_TOKEN, run_on_qasync

PW = "crew-password-1"


@pytest.fixture(scope="module")
def qapp():
    from anran_desktop.ui.app import make_app

    return make_app("zh_CN")


def test_crew_move_from_the_relay_shows_on_the_dispatch_board(qtbot, qapp, relay, tmp_path: Path) -> None:  # noqa: ANN001

    from anran_desktop.services.bootstrap import ensure_demo_site
    from anran_desktop.store import open_store
    from anran_desktop.ui.crew_sync import start_crew_tickets
    from anran_desktop.ui.main_window import MainWindow, Services
    from anran_desktop.ui.sync_status import start_sync
    from sync.crew_client import CrewRelayClient
    from sync.crew_protocol import ProgressIn
    from sync.protocol import new_event_id

    assert httpx.post(relay.url + "/admin/staff", headers={"Authorization": f"Bearer {SITE_TOKEN}"}, json={
        "username": "crew01", "password": PW, "role": "crew", "area": "南区"}).status_code == 201
    store = open_store(tmp_path / "desk.sqlite3")
    network = ensure_demo_site(store, history_hours=0.2)
    store.set_setting("relay_url", relay.url)
    store.set_setting("site_token", SITE_TOKEN)
    window = MainWindow(Services.create(store, network), user="dispatcher")
    window.svc.loop.evidence._root = tmp_path / "ev"
    qtbot.addWidget(window)
    window.show()
    tickets, evidence = window.svc.tickets, window.svc.loop.evidence
    card = tickets.create(title="南区 S4 疑似泄漏", kind="leak", actor="dispatcher", area="南区", assignee="crew01")
    evidence.set_item(card.id, "call_crew", True, "dispatcher")
    tickets.move(card.id, "dispatched", "dispatcher")
    window.refresh_board()
    crew = CrewRelayClient(relay.url, "crew01", PW)

    def board_text() -> str:
        found = window.board.item_for(card.id)
        return found[1].text() if found else ""

    async def until(cond, what: str) -> None:  # noqa: ANN001
        for _ in range(400):
            if cond():
                return
            await asyncio.sleep(0.05)
        raise AssertionError(f"{what}; board says {board_text()!r}, sync {window.sync_label.text()!r}")

    async def main() -> None:
        ctl = start_sync(window, store, interval_s=0.2)
        assert start_crew_tickets(window, store, ctl, crew_mode=False) is None  # hooked into ctl's rounds
        await until(lambda: ctl.rounds >= 1, "no sync round")
        mine = await crew.my_tickets()
        assert [t.id for t in mine] == [card.id] and "派单" in board_text()
        for kind, payload in (("accept", {}), ("move", {"to": "onsite", "note": "到场"})):
            res = await crew.post(ProgressIn(progress_id=new_event_id(), ticket_id=card.id, kind=kind, payload=payload,
                                             created_at="2026-12-01T10:00:00Z"))
            assert res.state == "pending"
        await until(lambda: "到场核查" in board_text(), "the crew's move did not reach the board")
        refined: list[str] = []
        real_refine = window.loop.refine
        window.loop.refine = lambda tid: refined.append(tid) or real_refine(tid)  # spy, then the real worker job
        res = await crew.post(ProgressIn(progress_id=new_event_id(), ticket_id=card.id, kind="valve_test",
                                         payload={"valves": ["V-S3S4"], "restored": False},
                                         created_at="2026-12-01T10:01:00Z"))
        assert res.state == "pending"
        await until(lambda: refined == [card.id], "a crew valve test did not re-run the engine on the ticket")
        assert [e.kind for e in evidence.evidence(card.id)] == ["valve_test"]
        await crew.aclose()
        await ctl.stop()

    try:
        run_on_qasync(qapp, main)
    finally:
        window.close()
    hist = [(h.actor, h.action, h.to_status) for h in tickets.detail(card.id).history]
    assert ("crew01", "accept", None) in hist and ("crew01", "move", "onsite") in hist
    store.close()

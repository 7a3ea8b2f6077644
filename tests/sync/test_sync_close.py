"""Closing the app while a sync round waits on an unreachable relay: stop() returns at once, the round is
cancelled (its thread ends), nothing is marked sent or failed, and the outbox item stays pending."""

from __future__ import annotations

import asyncio
import socket
import threading
import time

from anran_desktop.services.sync_service import SyncService, enqueue
from anran_desktop.store import open_store
from anran_desktop.ui.sync_status import SyncController


def _black_hole() -> tuple[socket.socket, threading.Event, list[socket.socket]]:
    """A relay that accepts connections and never answers (the client waits out its 10 s timeout)."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen()
    got, held = threading.Event(), []

    def accept() -> None:
        while True:
            try:
                conn, _ = srv.accept()
            except OSError:
                return
            held.append(conn)
            got.set()

    threading.Thread(target=accept, daemon=True).start()
    return srv, got, held


def test_stop_cancels_a_round_in_flight_and_the_item_stays_pending(tmp_path) -> None:  # noqa: ANN001
    srv, connected, held = _black_hole()
    store = open_store(tmp_path / "desk.sqlite3")
    with store.begin() as c:
        eid = enqueue(c, "notification", {"area": "南区", "title": "停气通知"})
    svc = SyncService(store, f"http://127.0.0.1:{srv.getsockname()[1]}", "token", default_handlers=False,
                      evidence_root=tmp_path / "evidence")
    shown: list[str] = []
    ctl = SyncController(svc, lambda text, ok: shown.append(text), interval_s=0.2)
    took: list[float] = []

    async def main() -> bool:
        ctl.start()
        for _ in range(100):
            if connected.is_set():
                break
            await asyncio.sleep(0.05)
        assert connected.is_set(), "the round never reached the relay"
        await asyncio.sleep(0.3)  # the push request is now waiting for an answer
        t0 = time.perf_counter()
        ok = await ctl.stop()
        took.append(time.perf_counter() - t0)
        return ok

    try:
        assert asyncio.run(main())
        assert took[0] < 1.5, f"close waited {took[0]:.1f} s for the sync round"
        for _ in range(40):
            if not any(t.name == "anran-sync-round" and t.is_alive() for t in threading.enumerate()):
                break
            time.sleep(0.05)
        assert not any(t.name == "anran-sync-round" and t.is_alive() for t in threading.enumerate())
        assert shown == [] and ctl.rounds == 0  # the cut-off round reported nothing
        with store.read() as c:
            row = c.exec_driver_sql("SELECT status, attempts, delivered_at FROM outbox WHERE event_id=?",
                                    (eid,)).one()
        assert tuple(row) == ("pending", 0, None)
        assert [i.event_id for i in svc.repo.due(10)] == [eid]
    finally:
        srv.close()
        for c in held:
            c.close()
        store.close()

"""The demo's link to a real relay: ``anran relay``'s app served by uvicorn on 127.0.0.1 (a free port) in a
thread, the desktop's ``SyncService`` pushing/pulling, and residents using the ``/c/…`` endpoints over HTTP."""

from __future__ import annotations

import asyncio
import json
import secrets
import threading
import time
from pathlib import Path


class LocalRelay:
    """A relay on 127.0.0.1 for the demo; ``stop()`` shuts it down."""

    def __init__(self, db_path: Path) -> None:
        import uvicorn

        from sync.relay import create_app

        self.site_token = "demo-" + secrets.token_hex(16)
        app = create_app(f"sqlite:///{db_path}", site_tokens=[self.site_token], rate_per_minute=100_000)
        self.app = app
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise OSError("the demo relay did not start on 127.0.0.1")
            time.sleep(0.02)
        self.url = f"http://127.0.0.1:{self.server.servers[0].sockets[0].getsockname()[1]}"

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(10)
        # Close the relay's database connections: the last one to close checkpoints SQLite's write-ahead log,
        # so the demo folder holds relay.db alone (no relay.db-wal / -shm left beside it).
        self.app.state.engine.dispose()


class RelayLink:
    """Desktop side (SyncService) plus the residents' HTTP sessions against one :class:`LocalRelay`."""

    def __init__(self, store, relay: LocalRelay, evidence_root: Path | None = None) -> None:  # noqa: ANN001
        from anran_desktop.services.sync_service import SyncService

        self.store, self.relay = store, relay
        # pulled photos go into ``evidence_root`` (the demo's folder, never the user's data folder)
        self.svc = SyncService(store, relay.url, relay.site_token, evidence_root=evidence_root)
        self.headers: dict[str, dict[str, str]] = {}

    def sync(self) -> tuple[int, int]:
        return asyncio.run(self.svc.sync_once())

    def register_residents(self, residents: list[tuple[str, str]]) -> None:
        """``(resident id, area name)``: issue household codes, push them, then each resident registers."""
        import httpx

        run = secrets.token_hex(3)  # a re-run into the same folder registers fresh households
        codes = {rid: self.svc.issue_household_code(f"H-{rid}-{run}", area) for rid, area in residents}
        self.sync()
        for rid, code in codes.items():
            user, pw = f"demo-{rid}-{run}", "demo-password-" + rid
            r = httpx.post(self.relay.url + "/c/register", json={"household_code": code, "username": user,
                                                                 "password": pw}, timeout=30)
            if r.status_code != 201:
                raise OSError(f"resident {rid} could not register on the relay: {r.text}")
            r = httpx.post(self.relay.url + "/c/login", json={"username": user, "password": pw}, timeout=30)
            self.headers[rid] = {"Authorization": "Bearer " + r.json()["access_token"]}

    def area_notice(self, area: str, title: str, body: str, kind: str = "notification",
                    **extra: str) -> tuple[str, ...]:
        """Enqueue an area item (notice or drill invitation), push it, and return the residents who find it in
        ``/c/notifications``; :meth:`acknowledge` then answers this item."""
        import httpx

        from anran_desktop.services.sync_service import enqueue

        with self.store.begin() as c:
            enqueue(c, kind, {"area": area, "title": title, "body": body, **extra})
        self.sync()
        got = []
        self.notice_ids: dict[str, int] = {}
        for rid, h in self.headers.items():
            items = httpx.get(self.relay.url + "/c/notifications", headers=h, timeout=30).json()["items"]
            hit = next((i for i in items if i["title"] == title and i["kind"] == kind), None)
            if hit is not None:
                got.append(rid)
                self.notice_ids[rid] = int(hit["id"])
        return tuple(got)

    def acknowledge(self, rids: list[str]) -> int:
        """Residents ``rids`` acknowledge the notice they received; the desktop pulls the acknowledgements.
        Returns how many acknowledgements the desktop now holds for this run's notice."""
        import httpx

        for rid in rids:
            r = httpx.post(self.relay.url + "/c/alerts/ack", headers=self.headers[rid],
                           json={"notification_id": self.notice_ids[rid]}, timeout=30)
            if r.status_code != 201:
                raise OSError(f"acknowledgement by {rid} refused: {r.text}")
        self.sync()
        with self.store.read() as c:
            rows = c.exec_driver_sql("SELECT detail FROM events WHERE kind='resident.alarm_ack'").all()
        ids = set(self.notice_ids.values())
        return sum(1 for (d,) in rows if json.loads(d).get("notification_id") in ids)

    def odor_report(self, rid: str, location: str, jpeg: bytes) -> dict:
        """A resident reports an odor with a meter photo; the desktop pulls it back; returns the pulled event."""
        import httpx

        r = httpx.post(self.relay.url + "/c/incident/report", headers=self.headers[rid], timeout=120,
                       data={"location": location, "description": "闻到燃气味"},
                       files={"meter_photo": ("meter.jpg", jpeg, "image/jpeg")})
        if r.status_code != 201:
            raise OSError(f"odor report refused by the relay: {r.text}")
        self.sync()
        with self.store.read() as c:
            rows = c.exec_driver_sql("SELECT detail FROM events WHERE kind='resident.odor_report' "
                                     "ORDER BY id DESC LIMIT 1").all()
        if not rows:
            raise OSError("the odor report did not come back to the desktop")
        return json.loads(rows[0][0])

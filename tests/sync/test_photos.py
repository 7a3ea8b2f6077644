"""Incident photos: masked and stripped on the relay, forwarded to the desktop as evidence files, once."""

from __future__ import annotations

import asyncio
import hashlib
import json
import sqlite3
import struct
from pathlib import Path

import cv2
import httpx
import numpy as np

from anran_desktop.services.sync_service import SyncService
from tests.sync.conftest import SITE_TOKEN
from tests.sync.helpers import resident

GPS = b"GPS-SECRET-31.2304N-121.4737E"


def _with_exif(jpeg: bytes) -> bytes:
    """Insert an APP1 Exif segment carrying a fake GPS string right after SOI."""
    body = b"Exif\x00\x00" + GPS
    return jpeg[:2] + b"\xff\xe1" + struct.pack(">H", len(body) + 2) + body + jpeg[2:]


def _face_photo() -> bytes:
    """A real photograph of a face (matplotlib's Grace Hopper sample) carrying fake GPS in its Exif."""
    import matplotlib as mpl

    jpg = (Path(mpl.__file__).parent / "mpl-data" / "sample_data" / "grace_hopper.jpg").read_bytes()
    return _with_exif(jpg)


def _events(store) -> list[dict]:  # noqa: ANN001
    with store.read() as c:
        return [json.loads(d) for (d,) in c.exec_driver_sql(
            "SELECT detail FROM events WHERE kind='resident.odor_report'").all()]


def test_report_photos_land_masked_and_stripped_as_desktop_evidence(relay, store, tmp_path: Path) -> None:
    from vision.synth.register import make_register

    ev_root = tmp_path / "evidence"
    svc = SyncService(store, relay.url, SITE_TOKEN, evidence_root=ev_root)
    code = svc.issue_household_code("H-9", "1区")
    asyncio.run(svc.sync_once())
    h = resident(relay.url, code, "erin")
    meter, _truth = make_register(5)
    ok, meter_jpg = cv2.imencode(".jpg", meter)
    ok2, plain_png = cv2.imencode(".png", np.full((100, 140, 3), 90, np.uint8))
    assert ok and ok2
    r = httpx.post(relay.url + "/c/incident/report", headers=h, timeout=120, data={"location": "5栋厨房"},
                   files=[("photo", ("face.jpg", _face_photo(), "image/jpeg")),
                          ("photo", ("pipe.png", plain_png.tobytes(), "image/png")),
                          ("meter_photo", ("m.jpg", _with_exif(meter_jpg.tobytes()), "image/jpeg"))])
    assert r.status_code == 201, r.text
    assert r.json()["photos"] == 3 and r.json()["points"] == 10
    with sqlite3.connect(tmp_path / "relay.db") as db:
        stored = db.execute("SELECT field, masked, data FROM photos ORDER BY id").fetchall()
    assert [f for f, _, _ in stored] == ["photo", "photo", "meter_photo"]
    assert stored[0][1] >= 1 and stored[1][1] == 0  # the face is masked, the plain pipe photo untouched
    assert not any(GPS in d or b"Exif" in d for _, _, d in stored)

    _, pulled = asyncio.run(svc.sync_once())
    assert pulled == 2  # the registration and the report
    (ev,) = _events(store)
    assert len(ev["evidence"]) == 3 and [p["field"] for p in ev["photos"]] == ["photo", "photo", "meter_photo"]
    files = [ev_root / rel for rel in ev["evidence"]]
    for f, p in zip(files, ev["photos"], strict=True):
        data = f.read_bytes()
        assert hashlib.sha256(data).hexdigest() == p["sha256"] and GPS not in data and b"Exif" not in data
    face = cv2.imdecode(np.frombuffer(files[0].read_bytes(), np.uint8), cv2.IMREAD_COLOR)
    assert np.abs(face[180, 240].astype(int) - 128).max() <= 6  # the face is covered by the grey block
    # a lost cursor re-pulls the page: no second event, no second file
    with store.begin() as c:
        c.exec_driver_sql("DELETE FROM sync_state")
    asyncio.run(svc.sync_once())
    assert len(_events(store)) == 1
    assert sorted(p.name for p in ev_root.rglob("*") if p.is_file()) == sorted(f.name for f in files)


def test_item_waits_while_its_photos_cannot_be_downloaded(relay, store, tmp_path: Path) -> None:
    ev_root = tmp_path / "evidence"
    svc = SyncService(store, relay.url, SITE_TOKEN, evidence_root=ev_root)
    code = svc.issue_household_code("H-10", "2区")
    asyncio.run(svc.sync_once())
    h = resident(relay.url, code, "fay")
    ok, png = cv2.imencode(".png", np.full((80, 80, 3), 150, np.uint8))
    r = httpx.post(relay.url + "/c/incident/report", headers=h, timeout=60, data={"location": "2区门口"},
                   files={"photo": ("p.png", png.tobytes(), "image/png")})
    assert r.status_code == 201, r.text
    too_many = httpx.post(relay.url + "/c/incident/report", headers=h, timeout=60, data={"location": "2区门口"},
                          files=[("photo", ("p.png", png.tobytes(), "image/png"))] * 6)
    assert too_many.status_code == 400 and too_many.json()["error"] == {
        "code": "bad_request", "message": "Too many files. Maximum number of files is 5."}
    real = svc.client.fetch_photo

    async def network_drops(photo_id: int, sha256: str) -> bytes:
        raise httpx.ConnectError("network dropped after the pull")

    svc.client.fetch_photo = network_drops  # type: ignore[method-assign]
    before = svc.last_success_at
    _, pulled = asyncio.run(svc.sync_once())
    snap = svc.snapshot()
    assert pulled == 2 and _events(store) == [] and snap.outbox.unapplied == 1
    assert "network dropped" in (snap.last_error or "") and svc.last_success_at == before
    svc.client.fetch_photo = real  # type: ignore[method-assign]
    asyncio.run(svc.sync_once())
    (ev,) = _events(store)
    assert (ev_root / ev["evidence"][0]).is_file() and svc.snapshot().outbox.unapplied == 0
    assert svc.last_success_at is not None and svc.last_success_at > before

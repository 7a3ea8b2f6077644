"""Auth, scope, upload and request limits of the relay: clear JSON errors, and the relay stays up."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import cv2
import httpx
import numpy as np
import pytest

from tests.sync.conftest import SITE_TOKEN, ThreadRelay
from tests.sync.helpers import resident

SITE = {"Authorization": f"Bearer {SITE_TOKEN}"}


def _households(url: str, *pairs: tuple[str, str]) -> dict[str, str]:
    out = {}
    for hid, area in pairs:
        r = httpx.post(url + "/admin/households", headers=SITE, json={"household_id": hid, "area": area})
        assert r.status_code == 200, r.text
        out[hid] = r.json()["code"]
    return out


def _alive(url: str) -> None:
    assert httpx.get(url + "/openapi.json").status_code == 200


@pytest.mark.parametrize("method,path", [
    ("get", "/c/notifications"), ("get", "/c/meter/history"), ("get", "/c/orders/1"),
    ("post", "/c/help/call"), ("get", "/sync/pull"), ("post", "/sync/push"), ("post", "/admin/households"),
])
def test_unauthenticated_calls_get_401_json(relay, method: str, path: str) -> None:
    r = getattr(httpx, method)(relay.url + path)
    assert r.status_code == 401
    assert r.json()["error"]["code"] == "unauthenticated"
    r = getattr(httpx, method)(relay.url + path, headers={"Authorization": "Bearer forged.token.value"})
    assert r.status_code == 401


def test_another_households_ids_get_404(relay) -> None:
    codes = _households(relay.url, ("H1", "1区"), ("H2", "1区"))
    a, b = resident(relay.url, codes["H1"], "ann"), resident(relay.url, codes["H2"], "ben")
    oid = httpx.post(relay.url + "/c/orders", headers=a, json={"service": "换表"}).json()["id"]
    assert httpx.get(relay.url + f"/c/orders/{oid}", headers=a).status_code == 200
    r = httpx.get(relay.url + f"/c/orders/{oid}", headers=b)
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"
    assert httpx.post(relay.url + "/c/alerts/ack", headers=b, json={"notification_id": 999}).status_code == 404


def test_uploads_oversize_non_image_and_bomb(relay) -> None:
    h = resident(relay.url, _households(relay.url, ("H1", "1区"))["H1"], "ann")
    r = httpx.post(relay.url + "/c/ocr/meter", headers=h, files={"photo": ("a.jpg", b"\xff\xd8\xff" + b"0" * 9_000_000)})
    assert r.status_code == 413 and r.json()["error"]["code"] == "payload_too_large"
    r = httpx.post(relay.url + "/c/ocr/meter", headers=h, files={"photo": ("a.jpg", b"%PDF-1.4 not an image")})
    assert r.status_code == 415 and r.json()["error"]["code"] == "unsupported_media_type"
    # a PNG header claiming 100000 x 100000 pixels
    ihdr = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 2, 0, 0, 0)
    png = b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + ihdr + struct.pack(">I", zlib.crc32(b"IHDR" + ihdr))
    r = httpx.post(relay.url + "/c/ocr/meter", headers=h, files={"photo": ("b.png", png)})
    assert r.status_code == 413 and r.json()["error"]["code"] == "image_too_large"
    r = httpx.post(relay.url + "/c/ocr/meter", headers=h, files={"photo": ("c.jpg", b"\xff\xd8\xff\xe0garbage")})
    assert r.status_code == 415
    r = httpx.post(relay.url + "/c/incident/report", headers=h, data={"location": "厨房"},
                   files={"photo": ("x.jpg", b"MZ\x90\x00 an executable")})
    assert r.status_code == 415 and r.json()["error"]["message"].startswith("photo:")
    _alive(relay.url)


def test_exif_is_stripped_by_reencoding() -> None:
    from sync.relay.images import decode_upload, reencode_jpeg

    ok, jpg = cv2.imencode(".jpg", np.full((40, 60, 3), 128, np.uint8))
    data = jpg.tobytes()
    exif = b"Exif\x00\x00" + b"GPS 31.2304N 121.4737E"
    with_exif = data[:2] + b"\xff\xe1" + struct.pack(">H", len(exif) + 2) + exif + data[2:]
    out = reencode_jpeg(decode_upload(with_exif))
    assert b"Exif" not in out and b"GPS" not in out and out[:3] == b"\xff\xd8\xff"


def test_malformed_json_gets_422_and_relay_stays_up(relay) -> None:
    h = resident(relay.url, _households(relay.url, ("H1", "1区"))["H1"], "ann")
    hj = {**h, "Content-Type": "application/json"}
    r = httpx.post(relay.url + "/c/help/call", headers=hj, content=b'{"message": "help"')
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_request"
    r = httpx.post(relay.url + "/c/incident/report", headers=hj, content=b"{nope")
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_json"
    r = httpx.post(relay.url + "/sync/push", headers={**SITE, "Content-Type": "application/json"}, content=b"[1,")
    assert r.status_code == 422
    r = httpx.post(relay.url + "/c/safety/checkup", headers=h, json={"hose_age_years": -1})
    assert r.status_code == 422 and "hose_age_years" in r.json()["error"]["message"]
    assert "Traceback" not in r.text
    _alive(relay.url)


def test_pagination_and_checkup_score(relay) -> None:
    h = resident(relay.url, _households(relay.url, ("H1", "1区"))["H1"], "ann")
    r = httpx.post(relay.url + "/c/safety/checkup", headers=h, json={
        "hose_age_years": 5, "flame_failure_protection": False, "valves_ok": True, "alarm_self_test_ok": True})
    assert r.status_code == 201 and r.json()["score"] == 50 and len(r.json()["fixes"]) == 2
    assert httpx.get(relay.url + "/c/meter/history?limit=0", headers=h).status_code == 422
    assert httpx.get(relay.url + "/c/notifications?limit=101", headers=h).status_code == 422


def test_per_account_rate_limit_gives_429(tmp_path: Path) -> None:
    r = ThreadRelay(f"sqlite:///{tmp_path / 'rl.db'}", rate_per_minute=5)
    try:
        a = resident(r.url, _households(r.url, ("H1", "1区"))["H1"], "ann")
        answers = [httpx.get(r.url + "/c/notifications", headers=a) for _ in range(7)]
        assert [x.status_code for x in answers] == [200] * 5 + [429, 429]
        # The refusal says when to come back: once the oldest request of the minute leaves the window.
        wait = int(answers[5].headers["Retry-After"])
        assert 55 <= wait <= 60 and f"retry in {wait} s" in answers[5].json()["error"]["message"]
        assert "Retry-After" not in answers[0].headers
        b = resident(r.url, _households(r.url, ("H2", "1区"))["H2"], "ben")
        assert httpx.get(r.url + "/c/notifications", headers=b).status_code == 200  # per account
    finally:
        r.stop()


def test_expired_token_is_refused(tmp_path: Path) -> None:
    r = ThreadRelay(f"sqlite:///{tmp_path / 'exp.db'}", token_ttl_s=-1)
    try:
        a = resident(r.url, _households(r.url, ("H1", "1区"))["H1"], "ann")
        assert httpx.get(r.url + "/c/notifications", headers=a).status_code == 401
    finally:
        r.stop()


def test_openapi_lists_the_residents_api(relay) -> None:
    paths = httpx.get(relay.url + "/openapi.json").json()["paths"]
    for p in ["/c/ocr/meter", "/c/meter/history", "/c/usage/summary", "/c/safety/checkup", "/c/alerts/ack",
              "/c/help/call", "/c/incident/report", "/c/orders", "/c/orders/{order_id}", "/c/notifications",
              "/sync/push", "/sync/pull"]:
        assert p in paths

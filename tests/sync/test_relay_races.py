"""Requests that arrive together must not both win: one household code opens one account, and a ticket's
version on the relay never goes back, however the requests of one round interleave."""

from __future__ import annotations

import itertools
import threading

import httpx
import pytest
from sqlalchemy import text

from anran_desktop.services.sync_service import SyncService
from tests.sync.conftest import SITE_TOKEN, ThreadRelay

SITE = {"Authorization": f"Bearer {SITE_TOKEN}"}
_DB_NAMES = itertools.count(1)


@pytest.fixture(params=["sqlite", "postgresql"])
def any_relay(request, tmp_path):  # noqa: ANN001
    """A relay on a fresh SQLite file, or on a fresh database of a throwaway PostgreSQL cluster."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'relay.db'}"
    else:
        import psycopg

        cluster, base = request.getfixturevalue("pg_cluster")
        name = f"race{next(_DB_NAMES)}"
        with psycopg.connect(host="127.0.0.1", port=cluster.port, user="anran", dbname="postgres",
                             autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        url = base.rsplit("/", 1)[0] + "/" + name
    relay = ThreadRelay(url)
    yield relay
    relay.stop()
    relay.app.state.engine.dispose()


def _scalar(relay: ThreadRelay, sql: str) -> object:
    with relay.app.state.engine.connect() as c:
        return c.execute(text(sql)).scalar()


def _together(n: int, call) -> list[httpx.Response]:  # noqa: ANN001
    """``call(i)`` from n threads released at the same moment."""
    gate, out = threading.Barrier(n), [None] * n

    def run(i: int) -> None:
        gate.wait()
        out[i] = call(i)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return out


def test_one_household_code_opens_one_account_when_a_family_registers_at_once(any_relay, store) -> None:
    import asyncio

    relay = any_relay
    svc = SyncService(store, relay.url, SITE_TOKEN)
    code = svc.issue_household_code("H-1", "南区")
    asyncio.run(svc.sync_once())
    answers = _together(6, lambda i: httpx.post(relay.url + "/c/register", timeout=60, json={
        "household_code": code, "username": f"member{i}", "password": "correct horse 1"}))
    codes = sorted(r.status_code for r in answers)
    assert codes == [201, 403, 403, 403, 403, 403], [r.text for r in answers]
    assert all("already used" in r.json()["error"]["message"] for r in answers if r.status_code == 403)
    assert _scalar(relay, "SELECT count(*) FROM accounts WHERE household_id='H-1'") == 1


def _ticket(version: int) -> dict:
    return {"id": "T-0001", "title": "南区 DN100 泄漏", "kind": "leak", "status": "dispatched", "assignee": "crew1", "area": "南区",
            "version": version, "interval": {"pipes": ["P-1"], "length_m": 40.0, "confidence": 0.9}}


def test_a_ticket_published_by_overlapping_rounds_keeps_its_newest_version(any_relay) -> None:
    relay = any_relay
    r = httpx.post(relay.url + "/admin/staff", headers=SITE, json={
        "username": "crew1", "password": "crew-pass-123", "role": "crew", "area": "南区"})
    assert r.status_code in (200, 201), r.text
    answers = _together(8, lambda i: httpx.post(relay.url + "/sync/tickets", headers=SITE, timeout=60,
                                                json={"tickets": [_ticket(i + 1)], "withdraw": []}))
    assert [r.status_code for r in answers] == [200] * 8, [r.text for r in answers if r.status_code != 200]
    stored = [r.json()["stored"] for r in answers]
    assert ["T-0001"] in stored  # at least one stored it; the others were older than what was there, or newer
    assert _scalar(relay, "SELECT version FROM crew_tickets WHERE id='T-0001'") == 8
    # and a late, older one changes nothing
    late = httpx.post(relay.url + "/sync/tickets", headers=SITE, json={"tickets": [_ticket(3)], "withdraw": []})
    assert late.json()["stale"] == ["T-0001"], late.text

"""The dispatch desktop's leak watch moves a dispatched ticket's interval: the crew laptop's copy takes it
in the next sync, with a history entry saying when, which its ticket view shows."""

from __future__ import annotations

import asyncio
from pathlib import Path

from anran_desktop.services.crew_laptop import RELAY_ACTOR, CrewLaptopSync
from anran_desktop.services.crew_publish import CrewPublisher
from anran_desktop.services.sync_service import SyncService
from sync.crew_client import CrewRelayClient
from tests.sync.conftest import SITE_TOKEN
from tests.workflow.test_crew_relay import PW, Desk, relay  # noqa: F401 - the relay fixture

FIRST = {"pipes": ["S3", "S4"], "length_m": 124.0, "confidence": 0.93}
MOVED = {"pipes": ["S5"], "length_m": 60.0, "confidence": 0.95}


def test_the_crew_laptop_takes_the_moved_interval_and_records_when(relay, tmp_path: Path) -> None:  # noqa: F811
    desk = Desk(tmp_path / "dispatch.db", [("dispatcher", "dispatcher"), ("crew01", "crew")], tmp_path / "ev-d")
    sync = SyncService(desk.store, relay.url, SITE_TOKEN, default_handlers=False, evidence_root=tmp_path / "ev-ds")
    pub = CrewPublisher(desk.store, desk.tickets, desk.evidence, site_name="星海花园")
    sync.rounds.append(pub.round)
    card = desk.tickets.create(title="南区疑似泄漏", kind="leak", actor="dispatcher", area="南区", assignee="crew01",
                               suspect_interval=FIRST)
    desk.evidence.set_item(card.id, "call_crew", True, "dispatcher")
    desk.tickets.move(card.id, "dispatched", "dispatcher")
    asyncio.run(sync.sync_once())
    crew = Desk(tmp_path / "crew.db", [("crew01", "crew")], tmp_path / "ev-c")
    field = CrewLaptopSync(crew.store, CrewRelayClient(relay.url, "crew01", PW), evidence_root=tmp_path / "ev-c")
    assert asyncio.run(field.sync_once())
    assert crew.tickets.detail(card.id).suspect_interval == FIRST
    assert not [h for h in crew.tickets.detail(card.id).history if h.action == "interval"]

    assert desk.tickets.follow_engine(card.id, MOVED) is not None  # the watch located the leak elsewhere
    asyncio.run(sync.sync_once())
    assert pub.last_error is None
    assert asyncio.run(field.sync_once())
    got = crew.tickets.detail(card.id)
    assert got.suspect_interval == MOVED
    (moved,) = [h for h in got.history if h.action == "interval"]
    assert (moved.actor, moved.note) == (RELAY_ACTOR, "dispatch: 124 m · 0.93 → 60 m · 0.95")
    # Pulling the same version again records nothing more.
    assert asyncio.run(field.sync_once())
    assert len([h for h in crew.tickets.detail(card.id).history if h.action == "interval"]) == 1

"""The dispatch desktop's crew publisher leaves settled tickets alone: a closed ticket already published
after its last change is not read, digested or sent again each round, while any ticket that changed since
(also while it was being sent) still goes up."""

from __future__ import annotations

import asyncio
from pathlib import Path
from types import SimpleNamespace

import pytest

import anran_desktop.services.crew_publish as crew_publish
from anran_desktop.services.crew_publish import CrewPublisher
from anran_desktop.services.tickets import TicketService
from sync.crew_protocol import TicketBatchResult
from tests.workflow.test_crew_relay import Desk


class FakeRelay:
    """Stands in for the relay's POST /sync/tickets: records what was sent, stores everything."""

    def __init__(self) -> None:
        self.sent: list[list[str]] = []
        self.during_send = None  # called while the request is "in flight"

    async def publish(self, _http, tickets, withdraw=None):  # noqa: ANN001, ANN201
        self.sent.append([t.id for t in tickets])
        if self.during_send is not None:
            self.during_send()
            self.during_send = None
        return TicketBatchResult(stored=[t.id for t in tickets])


@pytest.fixture
def setup(tmp_path: Path, monkeypatch):
    desk = Desk(tmp_path / "d.db", [("dispatcher", "dispatcher"), ("crew01", "crew")], tmp_path / "ev")
    relay = FakeRelay()
    monkeypatch.setattr(crew_publish, "publish_tickets", relay.publish)
    digests: list[int] = []
    real = crew_publish._digest
    monkeypatch.setattr(crew_publish, "_digest", lambda body: digests.append(1) or real(body))
    pub = CrewPublisher(desk.store, desk.tickets, desk.evidence, site_name="星海花园")
    yield desk, relay, pub, digests
    desk.store.close()


def _round(pub: CrewPublisher) -> int:
    return asyncio.run(pub.publish(SimpleNamespace(http=None)))


def test_a_closed_published_ticket_is_not_digested_again(setup) -> None:
    desk, relay, pub, digests = setup
    lax = TicketService(desk.store)  # no loop guards: the test only needs the statuses
    closed = [desk.tickets.create(title=f"旧工单 {i}", kind="leak", actor="dispatcher", assignee="crew01")
              for i in range(5)]
    open_card = desk.tickets.create(title="在途工单", kind="leak", actor="dispatcher", assignee="crew01")
    assert _round(pub) == 6
    for card in closed:
        lax.move(card.id, "closed", "dispatcher", "已处置")
    assert _round(pub) == 5  # the closing goes up once …
    assert sorted(relay.sent[-1]) == sorted(c.id for c in closed)
    digests.clear()
    assert _round(pub) == 0  # … and after that the closed tickets are not even digested
    assert len(digests) == 1  # only the open ticket was looked at
    assert [t.id for t, _ in pub.due()] == []

    lax.move(open_card.id, "closed", "dispatcher", "已处置")  # the last one closes too
    assert _round(pub) == 1 and relay.sent[-1] == [open_card.id]
    digests.clear()
    assert _round(pub) == 0 and digests == []


def test_a_ticket_closed_while_it_was_being_sent_goes_up_again(setup) -> None:
    desk, relay, pub, _digests = setup
    lax = TicketService(desk.store)
    card = desk.tickets.create(title="南区 S4 压降", kind="leak", actor="dispatcher", assignee="crew01")
    relay.during_send = lambda: lax.move(card.id, "closed", "dispatcher", "已处置")
    assert _round(pub) == 1  # sent as it was when read: not closed
    assert desk.tickets.get(card.id).status == "closed"
    # The relay holds the open version; the closing must still reach the crew.
    due = pub.due()
    assert [(t.id, t.status) for t, _ in due] == [(card.id, "closed")]
    assert _round(pub) == 1 and relay.sent[-1] == [card.id]
    assert pub.due() == []


def test_a_long_title_goes_up_shortened_and_stays_whole_on_the_desktop(setup) -> None:
    desk, relay, pub, _digests = setup
    title = "南区 S4 疑似泄漏，" + "现场说明" * 100
    card = desk.tickets.create(title=title, kind="leak", actor="dispatcher", assignee="crew01")
    (sent, _dg), = pub.due()
    assert len(sent.title) == 300 and sent.title.endswith("…") and sent.title.startswith("南区 S4 疑似泄漏")
    assert _round(pub) == 1 and desk.tickets.detail(card.id).card.title == title


def test_a_ticket_the_protocol_cannot_carry_is_refused_alone_and_shown(setup) -> None:
    from anran_desktop.services.crew_publish import relay_refusal
    from anran_desktop.services.sync_service import StoreSyncRepo, SyncSnapshot
    from anran_desktop.ui.sync_status import format_sync_status

    desk, relay, pub, _digests = setup
    lax = TicketService(desk.store)
    bad = lax.create(title="外部系统导入", kind="k" * 60, actor="dispatcher", assignee="crew01")
    good = desk.tickets.create(title="在途工单", kind="leak", actor="dispatcher", assignee="crew01")
    assert _round(pub) == 1 and relay.sent == [[good.id]]  # the other ticket still reaches the crew
    why = relay_refusal(desk.store, bad.id)
    assert why is not None and why.startswith("kind:") and "40" in why
    assert relay_refusal(desk.store, good.id) is None
    summary = StoreSyncRepo(desk.store).summary()
    assert summary.tickets_refused == 1
    text, ok = format_sync_status(SyncSnapshot(True, summary, None, None))
    assert "1 张工单未能发给抢修员" in text and not ok
    assert _round(pub) == 0 and relay.sent == [[good.id]]  # not sent, nor recorded again, until it changes
    lax.move(bad.id, "closed", "dispatcher", "已处置")  # no crew waits for a closed ticket
    assert StoreSyncRepo(desk.store).summary().tickets_refused == 0

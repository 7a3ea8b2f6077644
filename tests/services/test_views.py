"""Network view and ticket board over the imported demo site."""

import pytest

from anran_desktop.resources import demo_site_path
from anran_desktop.services.network import NetworkService
from anran_desktop.services.tickets import TicketService, WorkflowError
from anran_desktop.store import open_store
from anran_desktop.store.network_import import import_network


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    s = open_store(tmp_path_factory.mktemp("v") / "v.sqlite3")
    import_network(s, demo_site_path())
    yield s
    s.close()


def test_network_view_has_drawable_elements(store):
    view = NetworkService(store).view()
    assert len(view.pipes) == 199
    valves = view.valves
    assert valves and all(v.kind == "valve" and v.status in ("open", "closed") for v in valves)
    assert all(len(p.xy) >= 2 and p.length_m > 0 and p.diameter_mm > 0 for p in view.pipes)
    segments = {p.segment for p in view.pipes}
    assert {"S3", "S4", "S5"} <= segments
    assert "南区" in view.area_names.values()
    nodes = {n.id for n in view.nodes}
    assert all(p.from_node in nodes and p.to_node in nodes for p in view.pipes)


def test_board_columns_and_moves(store):
    svc = TicketService(store)
    assert [svc.column_of(s) for s in ("alarm", "dispatched", "retest", "closed")] == \
        ["pending", "active", "active", "closed"]
    card = svc.create(title="北区 燃气味", kind="odor", actor="dispatcher")
    assert card.id.startswith("T-") and card.column == "pending"
    moved = svc.move(card.id, "dispatched", "dispatcher")
    assert moved.column == "active"
    with pytest.raises(WorkflowError):
        svc.move(card.id, "no-such-status", "dispatcher")
    detail = svc.detail(card.id)
    assert [h.to_status for h in detail.history] == ["alarm", "dispatched"]
    assert card.id in {c.id for c in svc.board()}

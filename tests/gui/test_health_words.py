"""Point-health events, ticket moves and drill starts are stored in Chinese (the record) with their parts; the
feed words them in the window language. In Chinese the worded title is the stored one, character for
character; in English no Chinese is left but the site's own names; an older record without the parts shows
as stored."""

from __future__ import annotations

import re

import pytest

from anran_desktop.ingest.quality import PointHealth, assess_point
from anran_desktop.services.events import EventCard, EventService
from anran_desktop.services.point_health import PointHealthWatch
from anran_desktop.store import open_store
from tests.ingest.test_point_health_watch import FAULT_AT, T0, _rings

HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def raised(tmp_path):
    """A real maintenance event (PT-04 flat-lined) and its recovery, raised by the watch on the demo site."""
    from anran_desktop.resources import demo_site_path
    from anran_desktop.services.point_health import freeze
    from engine.geojson_io import load_network
    from engine.simulate import simulate

    store = open_store(tmp_path / "anran.sqlite3")
    net = load_network(demo_site_path())
    watch = PointHealthWatch(net, EventService(store))
    r = simulate(net, 60, seed=11, start=T0, interval_s=20)
    series = {p: ring.arrays() for p, ring in freeze(_rings(r, "flat")).items()}
    watch.assess(series, float(r.times[-1]) + 1)
    good = {p: ring.arrays() for p, ring in freeze(_rings(r)).items()}
    watch.assess(good, float(r.times[-1]) + 1)
    yield watch.raised
    store.close()


def test_maintenance_cards_in_chinese_read_as_stored(qtbot, raised):
    from widgets.event_feed import card_title

    bad, back = raised
    assert bad.severity == "warning" and back.severity == "info"
    assert "测点故障待检修" in bad.title and "读数僵直" in bad.title
    assert card_title(bad) == bad.title and card_title(back) == back.title


def test_maintenance_cards_in_english(qtbot, english, raised):
    from widgets.event_feed import card_title

    bad, back = raised
    text = card_title(bad)
    assert text.startswith("Point faulty, needs maintenance: ") and "(PT-04)" in text, text
    assert "Flat-lined: stuck at" in text and text.endswith("(left out of leak localization)")
    name = bad.detail["name"]
    assert not HAN.search(text.replace(name, "")), text  # only the site's own point name stays Chinese
    assert card_title(back).startswith("Point recovered: ") and "health back to" in card_title(back)
    # An event stored before the figures were kept (no "params") shows its stored title.
    old = EventCard(9, bad.time, "maintenance", "warning", bad.title,
                    {k: v for k, v in bad.detail.items() if k != "params"}, bad.location, None, None, False)
    assert card_title(old) == bad.title


def test_point_tooltips_in_english(qtbot, english):
    from anran_desktop.ui.point_health_view import health_texts

    t = [FAULT_AT + 20.0 * i for i in range(40)]
    h = assess_point("PT-04", t, [149.25] * 40, t[-1] + 1)
    assert h.codes == ["flat"] and h.params == [{"span_s": "600", "value": "149.25"}]
    level, text = health_texts({"PT-04": h})["PT-04"]
    assert level == "bad" and "Flat-lined: stuck at 149.25 for 600 s" in text and not HAN.search(text), text
    # Findings of an unknown code keep their stored text.
    odd = PointHealth("PT-05", 70.0, "degraded", ["自定义检查未通过"], ["custom"], [{}])
    assert "自定义检查未通过" in health_texts({"PT-05": odd})["PT-05"][1]


def _card(kind: str, title: str, detail: dict | None = None) -> EventCard:
    return EventCard(5, "2026-12-02T04:32:03.000Z", kind, "info", title, detail or {}, {}, None, None, False)


def test_ticket_moves_name_the_status(qtbot):
    from widgets.event_feed import card_title

    assert card_title(_card("ticket", "T-20261202-0001 → dispatched")) == "T-20261202-0001 → 派单"
    assert card_title(_card("ticket", "T-20261202-0001 → closed")) == "T-20261202-0001 → 结案"
    assert card_title(_card("ticket", "T-1 → somewhere else")) == "T-1 → somewhere else"


def test_ticket_moves_and_drill_starts_in_english(qtbot, english):
    from widgets.event_feed import card_title

    assert card_title(_card("ticket", "T-20261202-0001 → onsite")) == "T-20261202-0001 → On site"
    assert card_title(_card("drill.start", "演练开始：南区 S4 泄漏演练", {"name": "南区 S4 泄漏演练"})) == \
        "Drill started: 南区 S4 泄漏演练"
    # A drill start stored before the name was kept in its detail: the name is read from the title.
    assert card_title(_card("drill.start", "演练开始：S4")) == "Drill started: S4"
    assert card_title(_card("drill.start", "别的标题")) == "别的标题"


def test_a_recorded_drill_start_keeps_its_name(tmp_path):
    from anran_desktop.drills.record import record_drill_start

    store = open_store(tmp_path / "anran.sqlite3")
    try:
        record_drill_start(store, "南区 S4 泄漏演练", ["S4"], T0)
        card = EventService(store).recent(5)[0]
        assert card.kind == "drill.start" and card.title == "演练开始：南区 S4 泄漏演练"
        assert card.detail["name"] == "南区 S4 泄漏演练"
    finally:
        store.close()

"""A suspected-leak alarm is stored with a Chinese title (the record, like the reports) and its parts, so a
window in English words the card in English; in Chinese the card reads exactly as the stored title."""

from anran_desktop.services.events import EventCard
from tests.gui.test_leak_watch import live_s4_leak


def _leak_card(**parts) -> EventCard:
    title = "南区疑似泄漏：S3、S4、2栋引入管（区间 109 m，置信度 0.98，置信度校准中）"
    return EventCard(1, "2026-12-02T04:32:03.000Z", "leak_suspected", "critical", title,
                     {"title_parts": {"areas": ["南区"], "places": ["S3", "S4", "2栋引入管"], **parts}},
                     {"interval": {"pipes": ["P1"], "length_m": 109.4, "confidence": 0.987}}, "A-1", None, True)


def test_the_card_is_worded_in_the_window_language(qtbot, english):
    from widgets.event_feed import EventFeed, card_title

    card = _leak_card(calibration="pending")
    assert card_title(card) == ("Suspected leak in 南区: S3, S4, 2栋引入管 (interval 109 m, confidence 0.98, "
                                "confidence being calibrated)")
    feed = EventFeed()
    qtbot.addWidget(feed)
    feed.add_cards([card])
    text = feed.list.item(0).text()
    assert text.startswith("[Critical] [Drill] Suspected leak in 南区: S3, S4")
    assert "疑似泄漏" not in text and text.count("109 m") == 1  # the interval is not repeated after the title
    # A card without parts (older alarms, other kinds) keeps its stored title.
    plain = EventCard(2, card.time, "leak_suspected", "critical", "旧告警：S4 压降", {}, card.location, "A-2",
                      None, False)
    assert card_title(plain) == "旧告警：S4 压降"
    # The figures are those written in the stored title when the parts carry them (no second rounding).
    exact = _leak_card(calibration="", length_m="108", confidence="0.97")
    assert card_title(exact) == "Suspected leak in 南区: S3, S4, 2栋引入管 (interval 108 m, confidence 0.97)"


def test_in_chinese_the_worded_title_is_the_stored_one(window, qtbot):
    from widgets.event_feed import card_title

    live_s4_leak(window, qtbot)
    cards = [c for c in window.svc.events.recent() if c.kind == "leak_suspected"]
    assert len(cards) == 1
    parts = cards[0].detail["title_parts"]
    assert parts["areas"] == ["南区"] and parts["places"] and parts["calibration"] in ("", "pending", "failed")
    assert card_title(cards[0]) == cards[0].title


def _ticket_from_live_leak(window, qtbot):  # noqa: ANN001, ANN202
    live_s4_leak(window, qtbot)
    alarm = next(a for a in window.svc.alarms.active() if a.kind == "leak_suspected")
    card = window.svc.loop.dispatch.ticket_from_alarm(alarm.id, "dispatcher")
    window.refresh_board()
    return alarm, card


def _board_text(window, ticket_id: str) -> str:  # noqa: ANN001
    from widgets.ticket_board import TICKET_ID_ROLE

    for col in window.board.columns.values():
        for i in range(col.count()):
            if col.item(i).data(TICKET_ID_ROLE) == ticket_id:
                return col.item(i).text()
    raise AssertionError(f"{ticket_id} is not on the board")


def test_a_ticket_from_a_leak_alarm_is_worded_in_the_window_language(english, window, qtbot):
    alarm, card = _ticket_from_live_leak(window, qtbot)
    assert card.title == alarm.title and "疑似泄漏" in card.title  # the record stays the alarm's title
    text = _board_text(window, card.id)
    assert text.removeprefix("[Drill] ").startswith("Suspected leak in 南区: ")  # the demo site's window is a drill
    assert "疑似泄漏" not in text and "区间" not in text
    window.show_ticket(card.id)
    assert "Suspected leak in 南区" in window.ticket_detail.header.text()
    created = window.ticket_detail.timeline.topLevelItem(0)  # its creation, noted with the title
    assert created.text(3).removeprefix("[Drill] ").startswith("Suspected leak in 南区")
    assert window.svc.tickets.get(card.id).title_parts == alarm.detail["title_parts"]
    # A ticket made by hand has no parts and shows its own title.
    own = window.svc.tickets.create(title="3栋表前阀漏气", kind="leak", actor="dispatcher")
    window.refresh_board()
    assert own.title_parts is None and _board_text(window, own.id).startswith("3栋表前阀漏气\n")


def test_in_chinese_a_ticket_from_a_leak_alarm_shows_its_stored_title(window, qtbot):
    _alarm, card = _ticket_from_live_leak(window, qtbot)
    assert _board_text(window, card.id).removeprefix("【演练】").startswith(card.title + "\n")


def test_residents_report_cards_read_in_the_window_language(qtbot, english):
    from anran_desktop.services import sync_service
    from widgets.event_feed import RESIDENT_TITLES, card_title

    # Every title the sync stores for a resident's report is one the feed can word.
    assert set(sync_service._TITLES.values()) | {"居民演练签到"} <= set(RESIDENT_TITLES)

    def card(kind: str, title: str) -> EventCard:
        return EventCard(3, "2026-12-02T04:32:03.000Z", kind, "warning", title, {}, {}, "A-1", None, False)

    assert card_title(card("resident.odor_report", "居民报告燃气异味")) == "Resident reports a gas odor"
    assert card_title(card("resident.alarm_ack", "居民演练签到")) == "Resident drill check-in"
    assert card_title(card("maintenance", "居民求助")) == "居民求助"  # only residents' cards are worded so
    assert card_title(card("resident.help_call", "3栋住户求助：门口有味")) == "3栋住户求助：门口有味"


def test_residents_report_cards_read_as_stored_in_chinese(qtbot):
    from widgets.event_feed import card_title

    c = EventCard(3, "2026-12-02T04:32:03.000Z", "resident.help_call", "warning", "居民求助", {}, {}, "A-1", None,
                  False)
    assert card_title(c) == "居民求助"


def test_the_latest_location_line_is_worded_in_the_window_language(qtbot, english):
    from widgets.event_feed import EventFeed

    feed = EventFeed()
    qtbot.addWidget(feed)
    card = _leak_card(calibration="")
    feed.add_cards([card])
    assert feed.show_latest("A-1", {"pipes": ["P1"], "length_m": 84.6, "confidence": 0.9996, "calibrated": False,
                                    "time": "2026-12-02T04:40:00.000Z"})
    last = feed.list.item(0).text().splitlines()[-1]
    assert last.startswith("Latest location ") and "interval 85 m" in last
    assert "confidence 0.99" in last and last.endswith("(confidence not calibrated)")  # rounded down, never 1.00
    assert not feed.show_latest("A-9", {"pipes": [], "length_m": 1.0, "confidence": 0.5, "time": card.time})

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

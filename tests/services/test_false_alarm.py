"""Dismissing a false alarm with its cause: the record, the refusals, the report's count, and the leak watch."""

from __future__ import annotations

import json
import time

import pytest

from anran_desktop.reports.participation import alarms_from_store
from anran_desktop.services.audit import AuditService
from anran_desktop.services.events import AlarmService, EventService
from anran_desktop.services.false_alarm import CAUSES, DismissError, dismiss_alarm, dismissal_of
from anran_desktop.services.tickets import TicketService
from anran_desktop.services.users import UserService
from anran_desktop.store import open_store


@pytest.fixture
def site(tmp_path):
    store = open_store(tmp_path / "s.sqlite3")
    users = UserService(store)
    users.create("wang", "王调度", "dispatcher", password="x")
    users.create("li", "李工", "crew", password="x")
    yield store, AlarmService(store, EventService(store))
    store.close()


def _raise(alarms: AlarmService, title: str = "北区疑似泄漏：S1（区间 300 m，置信度 0.91）"):
    return alarms.raise_alarm(kind="leak_suspected", level=2, title=title, detail={"onset": "2026-12-08T01:00:00Z"},
                              location={"pipes": ["P001"], "interval": {"pipes": ["P001"], "length_m": 300.0}})


def test_a_dismissed_alarm_keeps_its_cause_note_and_who_and_says_so_in_the_feed(site):
    store, alarms = site
    a = _raise(alarms)
    out = dismiss_alarm(alarms, a.id, "wang", "consumer", "  锅炉房 7:00 开机，已电话确认 ")
    assert out.state == "cleared" and alarms.active() == []
    d = dismissal_of(out)
    assert (d.cause, d.note, d.by) == ("consumer", "锅炉房 7:00 开机，已电话确认", "wang") and d.at.endswith("Z")
    assert d.cause_text == CAUSES["consumer"]
    audit = AuditService(store).recent(entity="alarm", entity_id=a.id)
    dismissed = [e for e in audit if e.action == "alarm.dismiss"]
    assert len(dismissed) == 1 and dismissed[0].actor == "wang"
    card = EventService(store).recent(5)[0]
    assert card.kind == "alarm_dismissed" and card.alarm_id == a.id and card.severity == "info"
    assert card.detail == {"alarm": a.id, "cause": "consumer", "note": "锅炉房 7:00 开机，已电话确认", "by": "wang"}
    assert a.id in card.title and "大用户用气变化" in card.title
    # the alarm's own record is kept beside the dismissal
    assert out.detail["onset"] == "2026-12-08T01:00:00Z" and out.title == a.title


@pytest.mark.parametrize(("actor", "cause", "note", "message"), [
    ("wang", "boss_said_so", "", "未知的误报原因 'boss_said_so'"),
    ("wang", "other", "  ", "请写明说明"),
    ("wang", "checked", "长" * 501, "说明过长：501 字"),
    ("li", "sensor", "", "用户 li（角色 crew）无权解除告警"),
    ("nobody", "sensor", "", "用户 nobody（角色 未知）无权解除告警"),
])
def test_a_refused_dismissal_says_why_and_changes_nothing(site, actor, cause, note, message):
    store, alarms = site
    a = _raise(alarms)
    with pytest.raises(DismissError, match=message):
        dismiss_alarm(alarms, a.id, actor, cause, note)
    assert alarms.get(a.id).state == "active" and "dismissal" not in alarms.get(a.id).detail
    assert [e.kind for e in EventService(store).recent(5)] == ["leak_suspected"]


def test_an_alarm_with_a_ticket_or_already_cleared_or_unknown_is_refused(site):
    store, alarms = site
    with pytest.raises(DismissError, match="告警 AL-NOPE 不存在"):
        dismiss_alarm(alarms, "AL-NOPE", "wang", "sensor")
    a = _raise(alarms)
    t = TicketService(store).create(title="南区泄漏", kind="leak", actor="wang", alarm_id=a.id)
    with pytest.raises(DismissError, match=f"已转工单 {t.id}"):
        dismiss_alarm(alarms, a.id, "wang", "sensor")
    b = _raise(alarms)
    dismiss_alarm(alarms, b.id, "wang", "sensor")
    with pytest.raises(DismissError, match=f"告警 {b.id} 已解除"):
        dismiss_alarm(alarms, b.id, "wang", "works")
    assert dismissal_of(alarms.get(b.id)).cause == "sensor"


def test_the_report_counts_false_alarms_by_cause(site):
    store, alarms = site
    ids = [_raise(alarms).id for _ in range(5)]
    dismiss_alarm(alarms, ids[0], "wang", "consumer")
    dismiss_alarm(alarms, ids[1], "wang", "consumer")
    dismiss_alarm(alarms, ids[2], "wang", "other", "调压站换滤芯")
    alarms.clear(ids[3], "wang")  # cleared some other way (an older record): a false alarm with no cause
    now = time.time()
    fig = alarms_from_store(store, now - 3600, now + 3600)
    assert fig.total == 5 and fig.false_alarms == 4 and fig.open_alarms == 1
    assert fig.false_by_cause == {"consumer": 2, "other": 1, "": 1}
    from anran_desktop.reports.periodic import _causes

    assert _causes(fig.false_by_cause) == f"{CAUSES['consumer']} 2，{CAUSES['other']} 1，未注明 1"


def test_the_interfaces_cause_words_are_the_records():
    from widgets.false_alarm_text import CAUSE_WORDS

    assert CAUSE_WORDS == CAUSES


def test_open_leak_alarms_lists_dismissed_ones_only_when_asked(site):
    _store, alarms = site
    a, b, c = _raise(alarms), _raise(alarms), _raise(alarms)
    dismiss_alarm(alarms, a.id, "wang", "sensor")
    alarms.clear(b.id, "wang")
    since = "2000-01-01T00:00:00Z"
    assert [x.id for x in alarms.open_leak_alarms(since=since, is_drill=False)] == [c.id]
    assert sorted(x.id for x in alarms.open_leak_alarms(since=since, is_drill=False, dismissed=True)) == \
        sorted([a.id, c.id])
    assert json.loads(json.dumps(alarms.get(a.id).detail))["dismissal"]["cause"] == "sensor"


def test_the_leak_watch_keeps_to_a_dismissed_alarm_and_does_not_raise_it_again_nor_after_a_restart(tmp_path):
    """An unmetered boiler house starting looks like a leak: the dispatcher dismisses the alarm; while the
    detection lasts the watch neither moves that alarm nor raises another, and neither does a watch that
    restarts (the desktop reopened) — but a plain clear of the same alarm is not carried on."""
    import engine
    from anran_desktop.resources import demo_site_path
    from anran_desktop.services.leak_watch import LeakWatch
    from engine.simulate import ScheduledDemand, parse_time, simulate

    t0 = parse_time("2026-11-24T01:00:00Z")
    net = engine.load_network(demo_site_path())
    store = open_store(tmp_path / "site.sqlite3")
    try:
        UserService(store).create("wang", "王调度", "dispatcher", password="x")
        alarms = AlarmService(store, EventService(store))
        r = simulate(net, 80, seed=11, start=t0, interval_s=60,
                     demand_steps=[ScheduledDemand("N030", 0.12 * net.total_demand_m3h, t0 + 2400)])  # no meter
        series = {p: (r.times, r.values[:, j]) for j, p in enumerate(r.points)}
        w = LeakWatch(net, alarms, confirm_s=0)
        assert w.confidence.calibrated(timeout=30) is not None
        first = w.check(w.readings_from_series(series, t0 + 48 * 60))
        assert first.alarm is not None
        dismiss_alarm(alarms, first.alarm.id, "wang", "consumer", "锅炉房开机")
        for minute in (50, 54, 58):
            out = w.check(w.readings_from_series(series, t0 + minute * 60))
            assert out.result.leak_detected and out.alarm is None and out.updated is None
        assert "latest" not in alarms.get(first.alarm.id).location
        restarted = LeakWatch(net, alarms, confirm_s=0)
        assert restarted.confidence.calibrated(timeout=30) is not None
        seen = restarted.check(restarted.readings_from_series(series, t0 + 60 * 60))
        assert seen.result.leak_detected and seen.alarm is None and restarted.active_alarm == first.alarm.id
        # an alarm cleared without a dismissal (no cause) is not carried on: the detection is raised anew
        with store.begin() as c:
            c.exec_driver_sql("UPDATE alarms SET detail = '{}' WHERE id = ?", (first.alarm.id,))
        fresh = LeakWatch(net, alarms, confirm_s=0)
        assert fresh.confidence.calibrated(timeout=30) is not None
        assert fresh.check(fresh.readings_from_series(series, t0 + 60 * 60)).alarm is not None
    finally:
        store.close()

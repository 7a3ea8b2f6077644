"""Weekly/monthly figures from the store: residents' participation (sync outbox/inbox) and alarm figures."""

import datetime as dt
import subprocess
import time

import pytest

from anran_desktop.reports.loaders import periodic_from_store
from anran_desktop.reports.participation import alarms_from_store, participation_from_store
from anran_desktop.reports.periodic import build_periodic_report


def _iso(t):
    return dt.datetime.fromtimestamp(t, dt.UTC).isoformat().replace("+00:00", "Z")


@pytest.fixture
def store(tmp_path):
    from anran_desktop.services.sync_service import StoreSyncRepo, enqueue
    from anran_desktop.store import open_store
    from sync.protocol import PullItem

    s = open_store(tmp_path / "p.db")
    now = time.time()
    with s.begin() as c:
        for k in range(3):
            enqueue(c, "household.code", {"household_id": f"H-S{k}", "area": "南区", "code": f"code-s{k}"})
        enqueue(c, "household.code", {"household_id": "H-N0", "area": "北区", "code": "code-n0"})
        south = enqueue(c, "notification", {"area": "南区", "title": "检修", "body": "请勿使用明火"})
        north = enqueue(c, "notification", {"area": "北区", "title": "检修", "body": "请勿使用明火"})
        enqueue(c, "drill.invitation", {"area": "南区", "title": "演练签到", "starts_at": _iso(now)})
    repo = StoreSyncRepo(s)
    repo.mark_delivered([south])
    old = _iso(now - 40 * 86400)
    items = [("alarm_ack", "H-S0", {"notification_event_id": south}), ("alarm_ack", "H-S0", {"notification_event_id": south}),
             ("alarm_ack", "H-S1", {"notification_event_id": south}), ("alarm_ack", "H-X", {"notification_event_id": "other"}),
             ("odor_report", "H-S2", {"location": "3 栋", "photos": 1, "meter_reading": None, "points": 10}),
             ("odor_report", "H-S1", {"location": "5 栋", "photos": 0, "meter_reading": None, "points": 5}),
             ("help_call", "H-S0", {"location": "3 栋"}), ("safety_check", "H-S0", {"score": 80}),
             ("safety_check", "H-N0", {"score": 60})]
    pulled = [PullItem(seq=i + 1, event_id=f"e{i}", kind=k, household_id=h, area="南区", payload=p, created_at=_iso(now))
              for i, (k, h, p) in enumerate(items)]
    # registered on the relay: H-S0 and H-S1 before the notices went out, H-N0 only afterwards (H-S2 never)
    pulled += [PullItem(seq=50 + i, event_id=f"reg{i}", kind="registration", household_id=h, area=a,
                        payload={"registered_at": t}, created_at=t)
               for i, (h, a, t) in enumerate([("H-S0", "南区", _iso(now - 3600)), ("H-S1", "南区", _iso(now - 60)),
                                              ("H-N0", "北区", _iso(now + 30))])]
    pulled.append(PullItem(seq=60, event_id="pts-n", kind="odor_report", household_id="H-N0", area="北区",
                           payload={"location": "北 1 栋", "photos": 1, "points": 10}, created_at=_iso(now)))
    pulled.append(PullItem(seq=99, event_id="old", kind="odor_report", household_id="H-S2", area="南区",
                           payload={"location": "x", "photos": 1, "points": 10}, created_at=old))  # outside the period
    repo.receive(pulled, 99)
    assert north
    return s


def _period():
    now = time.time()
    return now - 7 * 86400, now + 60


def test_participation_counts_notices_acks_reports_and_checkups(store):
    p = participation_from_store(store, *_period())
    assert (p.notices_sent, p.notices_delivered, p.drill_invitations) == (2, 1, 1)
    assert p.issued == 4  # codes issued: 3 南区 households + 1 北区 household
    assert p.reach == 2  # registered when the notices went out: H-S0, H-S1 (H-N0 registered afterwards)
    assert (p.drill_issued, p.drill_reach) == (3, 2)
    assert p.acks == 2 and p.ack_rate == pytest.approx(1.0)  # duplicate ack and the other notice's ack not counted
    assert (p.odor_reports, p.valid_odor_reports, p.help_calls, p.safety_checks) == (3, 2, 1, 2)
    assert p.safety_score_mean == pytest.approx(70.0) and p.households_active == 4  # registrations are not activity
    assert p.points_total == 25 and p.points_by_area == {"北区": 10, "南区": 15}  # the old report is outside
    assert p.top_households == [("H-N0", 10), ("H-S2", 10), ("H-S1", 5)]


def test_alarm_figures_false_alarms_and_localization_time(store):
    from anran_desktop.services.events import AlarmService
    from anran_desktop.services.tickets import TicketService

    al = AlarmService(store)
    onset = _iso(time.time() - 12 * 60)
    a1 = al.raise_alarm(kind="leak_suspected", level=2, title="南区疑似泄漏", detail={"onset": onset})
    a2 = al.raise_alarm(kind="leak_suspected", level=1, title="北区疑似泄漏", detail={"onset": onset})
    al.raise_alarm(kind="pressure_low", level=1, title="东区低压")
    al.raise_alarm(kind="leak_suspected", level=2, title="演练", is_drill=True)
    al.clear(a2.id, "调度员")  # cleared without a ticket: a false alarm
    TicketService(store).create(title="南区疑似泄漏", kind="leak", actor="调度员", alarm_id=a1.id)
    f = alarms_from_store(store, *_period())
    assert (f.total, f.drills, f.false_alarms, f.open_alarms) == (3, 1, 1, 1)
    assert f.by_kind == {"leak_suspected": 2, "pressure_low": 1}
    assert f.false_rate == pytest.approx(0.5)  # 1 of the 2 decided alarms
    assert len(f.localization_min) == 2 and all(11.5 < m < 13 for m in f.localization_min)


def test_weekly_pdf_shows_participation_and_alarm_figures(store, tmp_path):
    from anran_desktop.services.events import AlarmService
    from anran_desktop.services.tickets import TicketService

    a = AlarmService(store).raise_alarm(kind="leak_suspected", level=2, title="南区疑似泄漏",
                                        detail={"onset": _iso(time.time() - 300)})
    tickets = TicketService(store)
    card = tickets.create(title="南区疑似泄漏", kind="leak", actor="调度员", alarm_id=a.id)
    tickets.move(card.id, "dispatched", "调度员")
    tz = dt.timezone(dt.timedelta(hours=8))
    end = dt.datetime.now(tz) + dt.timedelta(minutes=1)
    data = periodic_from_store(store, end - dt.timedelta(days=7), end, "周报")
    assert data.tickets[0].t_alarm == pytest.approx(
        dt.datetime.fromisoformat(a.time.replace("Z", "+00:00")).timestamp())  # TTA runs from the alarm
    pdf = build_periodic_report(data, tmp_path / "w.pdf")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    flat = " ".join(text.split())
    for s in ("居民参与", "回执率（回执 / 已注册） 100%", "有效报告（附照片或表读数） 2",
              "自检平均得分 70", "定位（泄漏起始至告警给出区间） 1",
              "误报率", "结案用时分布", "定位用时分布", "演练邀请 1"):
        assert s in flat, s
    tight = "".join(text.split())  # pdftotext spaces Latin/CJK runs unevenly
    for s in ("通知覆盖住户（已注册）2户次（已发码4）", "演练邀请1次（已注册2户次，已发码3）", "本期居民积分25分",
              "北区10分南区15分", "1H-N010分2H-S210分3H-S15分"):
        assert s in tight, s
    assert data.residents.acks == 2


def test_an_empty_distribution_says_there_was_no_data():
    """A histogram with nothing to count says so instead of drawing bars of zero."""
    from reportlab.graphics.shapes import String

    from anran_desktop.reports.periodic import histogram

    def texts(node):  # every string drawn, in order (mixed-font labels are drawn in runs)
        if isinstance(node, String):
            return node.text
        return "".join(texts(e) for e in getattr(node, "contents", []))

    assert "本期无数据" in texts(histogram([], [0, 5, 10], "定位用时（分钟）"))
    assert "本期无数据" not in texts(histogram([3.0], [0, 5, 10], "定位用时（分钟）"))


def test_an_account_closed_in_the_period_is_not_counted_as_activity(store):
    from anran_desktop.services.sync_service import StoreSyncRepo
    from sync.protocol import PullItem

    before = participation_from_store(store, *_period())
    now = _iso(time.time())
    StoreSyncRepo(store).receive([PullItem(seq=100, event_id="unreg", kind="unregistration", household_id="H-Q9",
                                           area="南区", payload={"unregistered_at": now}, created_at=now)], 100)
    after = participation_from_store(store, *_period())
    assert after.households_active == before.households_active == 4  # closing an account is not taking part
    assert (after.odor_reports, after.help_calls, after.safety_checks) == (3, 1, 2)


def test_weekly_pdf_lists_the_false_alarms_causes(store, tmp_path):
    from anran_desktop.services.events import AlarmService, EventService
    from anran_desktop.services.false_alarm import dismiss_alarm
    from anran_desktop.services.users import UserService

    UserService(store).create("wang", "王调度", "dispatcher", password="x")
    al = AlarmService(store, EventService(store))
    ids = [al.raise_alarm(kind="leak_suspected", level=2, title=f"疑似泄漏 {k}").id for k in range(3)]
    dismiss_alarm(al, ids[0], "wang", "consumer", "锅炉房开机")
    dismiss_alarm(al, ids[1], "wang", "consumer")
    dismiss_alarm(al, ids[2], "wang", "sensor")
    tz = dt.timezone(dt.timedelta(hours=8))
    end = dt.datetime.now(tz) + dt.timedelta(minutes=1)
    pdf = build_periodic_report(periodic_from_store(store, end - dt.timedelta(days=7), end, "周报"), tmp_path / "w.pdf")
    tight = "".join(subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                                   check=True).stdout.split())
    assert "误报原因大用户用气变化（锅炉房、食堂等开停）2，测点故障或校准1" in tight, tight[:400]
    assert "误报（未转工单即解除）3条" in tight
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf), "/tmp/anran_weekly"], check=True)

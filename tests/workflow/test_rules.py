from dataclasses import replace

import pytest

from anran_desktop.workflow import can, check_transition, sla_status
from anran_desktop.workflow.channels import (
    CallableAdapter,
    ChannelLog,
    Message,
    NotConfiguredAdapter,
    default_channels,
)
from anran_desktop.workflow.rules import Evidence, TicketState
from anran_desktop.workflow.sop import KINDS, SopError, load_sop


def _codes(v):
    return {x.code for x in v}


def test_permission_matrix():
    assert can("dispatcher", "ticket.dispatch") and not can("crew", "ticket.dispatch")
    assert can("crew", "ticket.arrive") and not can("property_manager", "ticket.arrive")
    assert not can("crew", "ticket.close") and can("admin", "user.manage") and not can("dispatcher", "user.manage")
    with pytest.raises(KeyError):
        can("admin", "no.such.action")


def test_steps_cannot_be_skipped_and_dispatch_needs_assignee():
    t = TicketState("T1", "alarm")
    assert "order" in _codes(check_transition(t, "onsite", "admin"))
    assert "assignee" in _codes(check_transition(t, "dispatched", "dispatcher"))
    assert check_transition(replace(t, assignee="crew01"), "dispatched", "dispatcher") == []
    assert "permission" in _codes(check_transition(replace(t, assignee="crew01"), "dispatched", "crew"))
    assert "status.unknown" in _codes(check_transition(t, "done", "admin"))


def test_cannot_close_without_retest_reading():
    sop = load_sop("leak")
    done = frozenset(c.id for c in sop.checklist["retest"])
    t = TicketState("T1", "retest", assignee="crew01", checklist_done=done)
    v = check_transition(t, "closed", "dispatcher", [Evidence("photo_after")])
    assert {"retest", "evidence"} <= _codes(v)
    assert any("复测" in str(x) for x in v)
    assert check_transition(t, "closed", "dispatcher", [Evidence("retest_reading", "retest", 2.1, "kPa")]) == []


def test_required_checklist_items_block_leaving_a_stage():
    t = TicketState("T1", "onsite", assignee="c", checklist_done=frozenset({"ppe"}))
    v = check_transition(t, "handling", "crew", [Evidence("gauge_reading", "onsite", 220.0, "kPa")])
    assert _codes(v) == {"checklist"} and "用检测仪测可燃气体浓度" in str(v[0])


def test_every_kind_has_an_sop_and_bad_files_are_named(tmp_path):
    for k in KINDS:
        s = load_sop(k)
        assert s.title and s.sla_minutes["tta"] == 2
    (tmp_path / "x.json").write_text("{\"title\": 1}", encoding="utf-8")
    with pytest.raises(SopError, match="x.json"):
        load_sop("x", tmp_path)
    with pytest.raises(SopError, match="nope"):
        load_sop("nope", tmp_path)


def test_sla_warns_before_and_escalates_after():
    assert sla_status("tta", 0, 60).state == "ok"
    assert sla_status("tta", 0, 100).state == "warn"
    assert sla_status("tta", 0, 121).state == "escalate"
    assert sla_status("tta", 0, 500, stopped=90).state == "met"
    assert sla_status("arrival", 0, 0, stopped=3700).state == "missed"
    with pytest.raises(ValueError):
        sla_status("tta", 10, 5)


def test_channel_attempts_are_logged_with_their_result():
    seen = []
    log = ChannelLog(sink=seen.append, clock=lambda: 42.0)
    relay = CallableAdapter("relay", lambda m: ("r1", "r2"))
    msg = Message("notice", "南区停气通知", ("area:A-NAN",))
    ok = log.send(relay, msg)
    bad = log.send(default_channels()["sms"], msg)
    assert ok.ok and ok.delivered_to == ("r1", "r2")
    assert not bad.ok and "未配置" in bad.detail and bad.delivered_to == ()
    assert seen == log.attempts and len(seen) == 2
    assert isinstance(default_channels()["valve_control"], NotConfiguredAdapter)


def test_one_step_back_only_for_dispatchers():
    t = TicketState("T1", "onsite", assignee="c")
    assert check_transition(t, "dispatched", "dispatcher") == []
    assert _codes(check_transition(t, "dispatched", "crew")) == {"permission"}
    assert "order" in _codes(check_transition(TicketState("T1", "closed"), "retest", "admin"))


def test_the_relay_protocol_knows_the_same_ticket_statuses_in_the_same_order():
    """The crew protocol (``sync``, no desktop imports) keeps its own copy of the loop's statuses; a status
    added to one and not the other would make the relay refuse or mis-order a crew's moves."""
    from anran_desktop.workflow.rules import LABELS, STATUSES
    from sync.crew_protocol import TICKET_STATUSES

    assert TICKET_STATUSES == STATUSES and set(LABELS) == set(STATUSES)

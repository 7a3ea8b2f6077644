"""A refusal from the dispatch desktop is worded on the crew laptop from its codes, in the laptop's language."""

from __future__ import annotations

import re

import pytest

from anran_desktop.services.crew_laptop import CrewSyncState

CJK = re.compile(r"[\u3000-\u30ff\u4e00-\u9fff\uff00-\uffef「」]")


def test_codes_are_worded_in_chinese_without_a_translator(qapp) -> None:  # noqa: ANN001
    from anran_desktop.ui.crew_reasons import reason_text

    codes = [{"code": "evidence", "params": {"stage": "onsite", "missing": ["gauge_reading", "photo_before"]}},
             {"code": "retest", "params": {}}]
    assert reason_text(codes, "x") == "离开「到场核查」前缺少证据：压力表读数、处置前照片；结案前须附复测读数"
    assert reason_text([{"code": "from_a_newer_desktop", "params": {}}], "原文") == "原文"
    assert reason_text([], "原文") == "原文"


def test_an_english_laptop_reads_the_refusal_and_the_draining_queue_in_english(qapp, english) -> None:  # noqa: ANN001
    from anran_desktop.ui.crew_reasons import reason_text
    from anran_desktop.ui.crew_sync import crew_status_text

    order = {"code": "order", "params": {"from": "dispatched", "to": "closed", "next": "onsite"}}
    text = reason_text([order], "工单 T-1 不能从「派单」直接到「结案」")
    assert text.startswith("Cannot go from") and not CJK.search(text), text
    st = CrewSyncState(online=True, pending=5, waiting=2, refused=(("T-1", "move", "中文原因", (order,)),),
                       last_success_at=None, last_error="429", rate_limited=True, withdrawn=("T-2",))
    line, ok = crew_status_text(st)
    assert "Uploading 5 (relay rate limit, continuing shortly)" in line and "Offline" not in line
    assert "Refused by the dispatch room, T-1: Cannot go from" in line and "withdrawn" in line
    assert not CJK.search(line), line
    assert not ok  # a refusal is shown as a warning


@pytest.fixture(scope="module")
def qapp():
    from anran_desktop.ui.app import make_app

    return make_app("zh_CN")

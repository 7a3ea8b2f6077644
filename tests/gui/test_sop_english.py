"""SOP texts (checklist items; ``resources/sop/*.json``) and the reasons a step is refused read in English on
an English desktop, on the crew laptop's window as on the dispatcher's ticket panel."""

from __future__ import annotations

import json
import re

from PySide6.QtCore import QCoreApplication

from anran_desktop.ui.loop_menus import open_crew_mode
from anran_desktop.ui.main_window import MainWindow, Services
from anran_desktop.workflow.sop import SOP_DIR

CJK = re.compile(r"[\u3000-\u30ff\u4e00-\u9fff\uff00-\uffef「」]")


def test_every_bundled_sop_item_has_an_english_text(english) -> None:  # noqa: ANN001
    from anran_desktop.ui.crew_reasons import sop_text

    texts = [str(i["text"]) for p in sorted(SOP_DIR.glob("*.json"))
             for items in json.loads(p.read_text(encoding="utf-8"))["checklist"].values() for i in items]
    assert len(texts) >= 20
    untranslated = [t for t in texts if CJK.search(sop_text(t))]
    assert untranslated == []
    assert sop_text("本站自定义的检查项") == "本站自定义的检查项"  # a site's own item shows as written


def test_crew_window_and_ticket_panel_in_english(qtbot, demo_db, english) -> None:  # noqa: ANN001
    _path, store, network = demo_db
    disp = MainWindow(Services.create(store, network), user="dispatcher")
    qtbot.addWidget(disp)
    svc = disp.svc
    crew = next(u for u in ("crew01", "crew02") if svc.loop.users.role_of(u) == "crew")
    card = svc.tickets.create(title="S4 leak", kind="leak", actor="dispatcher", area="A-NAN", assignee=crew)
    svc.tickets.move(card.id, "dispatched", "dispatcher")
    crew_win = MainWindow(Services.create(store, network), user=crew)
    qtbot.addWidget(crew_win)
    cw = open_crew_mode(crew_win)
    qtbot.addWidget(cw)
    assert cw.view.ticket_id == card.id
    checks = [label.text() for label in cw.view.check_labels.values()]
    assert "Confirm by phone that the repair crew has set off" in checks
    assert not any(CJK.search(t) for t in checks), checks
    reason = cw.view.reason.text()  # the required items are not ticked yet: 到场核查 is refused, in English
    assert "Confirm by phone that the repair crew has set off" in reason and not CJK.search(reason), reason
    assert QCoreApplication.translate("SOP", "完成修复") == "Finish the repair"
    disp.show_ticket(card.id)  # the dispatcher's ticket panel lists every stage's items
    rows = [disp.ticket_detail.checklist.item(i).text() for i in range(disp.ticket_detail.checklist.count())]
    assert any("Finish the repair" in r for r in rows) and any("Evacuate nearby households" in r for r in rows)
    assert not any(CJK.search(r) for r in rows), rows

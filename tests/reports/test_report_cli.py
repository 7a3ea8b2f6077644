import subprocess

import pytest

from anran_desktop.cli import main


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    out = tmp_path_factory.mktemp("d")
    assert main(["demo", "--out", str(out)]) == 0
    return out / "demo.db"


def _text(pdf):
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def test_incident_report_from_the_database(demo_db, tmp_path):
    from anran_desktop.services.tickets import TicketService
    from anran_desktop.store import open_store

    tid = TicketService(open_store(demo_db)).board()[0].id
    out = tmp_path / "i.pdf"
    assert main(["report", "incident", tid, "--db", str(demo_db), "--out", str(out)]) == 0
    text = _text(out)
    assert "星海花园" in text and tid in text and "抢修员 01" in text and "到场核查" in text and "结案" in text


def test_weekly_and_monthly_reports_count_the_tickets(demo_db, tmp_path):
    import datetime as dt

    today = dt.datetime.now(dt.timezone(dt.timedelta(hours=8))).date().isoformat()
    for kind, word in (("weekly", "周报"), ("monthly", "月报")):
        out = tmp_path / f"{kind}.pdf"
        assert main(["report", kind, "--db", str(demo_db), "--out", str(out), "--end", today]) == 0
        text = _text(out)
        assert word in text and "工单总数" in text and "1/1" in text  # one ticket, dispatched within 2 min


def test_bad_input_is_reported(demo_db, tmp_path, capsys):
    assert main(["report", "incident", "T-nope", "--db", str(demo_db), "--out", str(tmp_path / "x.pdf")]) == 1
    assert "T-nope" in capsys.readouterr().out
    assert main(["report", "weekly", "--db", str(tmp_path / "none.db"), "--out", str(tmp_path / "x.pdf")]) == 1
    assert main(["report", "weekly", "--db", str(demo_db), "--out", str(tmp_path / "x.pdf"), "--end", "24/11"]) == 1
    assert not (tmp_path / "x.pdf").exists()


def test_drill_report_refuses_a_ticket_that_is_not_a_drill(demo_db, tmp_path, capsys):
    from anran_desktop.services.tickets import TicketService
    from anran_desktop.store import open_store

    tid = TicketService(open_store(demo_db)).board()[0].id  # the demo's ticket is a real incident, not a drill
    out = tmp_path / "d.pdf"
    assert main(["report", "drill", tid, "--db", str(demo_db), "--out", str(out)]) == 1
    assert "不是演练工单" in capsys.readouterr().out and not out.exists()


def test_the_period_header_names_its_first_and_last_day(demo_db, tmp_path):
    """--end 2026-12-06 (a Sunday): the week 2026-11-30 … 2026-12-06, and 30 days from 2026-11-07; the
    header used to show the exclusive end (the Monday after)."""
    for kind, first in (("weekly", "2026-11-30"), ("monthly", "2026-11-07")):
        out = tmp_path / f"{kind}.pdf"
        assert main(["report", kind, "--db", str(demo_db), "--out", str(out), "--end", "2026-12-06"]) == 0
        assert f"统计区间：{first} 至 2026-12-06（北京时间）" in _text(out).replace("\n", "")

"""A drill run with ``anran app --drill-leak`` records the simulated leak's true place for its report."""

import json
import subprocess
import sys


def test_app_drill_leak_records_the_drill_start(tmp_path):
    from anran_desktop.drills.record import drill_truth_before
    from anran_desktop.store import open_store

    db = tmp_path / "d.sqlite3"
    res = subprocess.run([sys.executable, "-m", "anran_desktop", "app", "--db", str(db), "--demo-site",
                          "--drill-leak", "P077:25", "--screenshot", str(tmp_path / "s.png"), "--screenshot-delay",
                          "1"], capture_output=True, text=True, timeout=180)
    assert res.returncode == 0, res.stderr
    store = open_store(db)
    with store.read() as c:
        rows = c.exec_driver_sql("SELECT time, detail, is_drill FROM events WHERE kind = 'drill.start'").all()
    assert len(rows) == 1 and rows[0][2] == 1
    assert json.loads(rows[0][1]) == {"truth_pipes": ["P077"], "leak_m3h": 25.0, "area": "A-NAN",
                                      "name": "模拟泄漏 P077"}
    import time

    assert drill_truth_before(store, time.time()) == {"P077"}
    assert drill_truth_before(store, time.time() - 3600) == set()  # nothing recorded an hour ago

"""The demo's output folder: a previous run is replaced (not mixed), a foreign folder is refused untouched,
and a failed run puts the previous one back."""

import pytest

from anran_desktop.drills.out_dir import MARKER, fresh_out_dir


def _previous_run(out):
    out.mkdir()
    for name in ("demo.db", "relay.db", "结案报告_T-20261201-0001.pdf"):
        (out / name).write_text("old", encoding="utf-8")
    (out / "evidence").mkdir()
    (out / "evidence" / "a.jpg").write_text("old", encoding="utf-8")


def test_previous_run_is_replaced(tmp_path):
    out = tmp_path / "demo"
    _previous_run(out)
    with fresh_out_dir(out) as d:
        assert sorted(p.name for p in d.iterdir()) == [MARKER]
        (d / "demo.db").write_text("new", encoding="utf-8")
    assert sorted(p.name for p in out.iterdir()) == [MARKER, "demo.db"]
    assert (out / "demo.db").read_text(encoding="utf-8") == "new"
    assert [p.name for p in tmp_path.iterdir()] == ["demo"]  # nothing left aside


def test_foreign_folder_is_refused_untouched(tmp_path):
    out = tmp_path / "home"
    out.mkdir()
    (out / "thesis.docx").write_text("mine", encoding="utf-8")
    with pytest.raises(ValueError, match="not the output of an earlier anran demo"), fresh_out_dir(out):
        pytest.fail("must not run")
    assert [p.name for p in out.iterdir()] == ["thesis.docx"]
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(ValueError, match="not a folder"), fresh_out_dir(tmp_path / "file"):
        pytest.fail("must not run")


def test_failed_run_restores_the_previous_one(tmp_path):
    out = tmp_path / "demo"
    _previous_run(out)
    with pytest.raises(RuntimeError), fresh_out_dir(out) as d:
        (d / "timeline.json").write_text("half", encoding="utf-8")
        raise RuntimeError("engine failed")
    assert sorted(p.name for p in out.iterdir()) == ["demo.db", "evidence", "relay.db", "结案报告_T-20261201-0001.pdf"]
    assert [p.name for p in tmp_path.iterdir()] == ["demo"]


def test_empty_or_missing_folder_is_used(tmp_path):
    with fresh_out_dir(tmp_path / "new" / "demo") as d:
        assert d.is_dir() and (d / MARKER).is_file()

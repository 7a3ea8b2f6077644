"""anran read-meter: JSON lines in input order, per-file errors, exit status."""

import json

import cv2

from anran_desktop.cli import build_parser
from vision.synth import make_gauge, make_register


def test_read_meter_cli(tmp_path, capsys):
    g, gt = make_gauge(2, "clear")
    r, rt = make_register(0, "clear")
    cv2.imwrite(str(tmp_path / "g.jpg"), g)
    cv2.imwrite(str(tmp_path / "r.png"), r)
    (tmp_path / "bad.jpg").write_text("no")
    files = [str(tmp_path / n) for n in ("g.jpg", "bad.jpg", "r.png", "missing.png")]
    args = build_parser().parse_args(["read-meter", *files, "--range", "0:250", "--unit", "kPa"])
    rc = args.func(args)
    lines = [json.loads(s) for s in capsys.readouterr().out.splitlines()]
    assert rc == 1
    assert [o["file"] for o in lines] == files
    assert lines[0]["kind"] == "dial" and abs(lines[0]["value"] - gt.value) < 0.015 * 250
    assert "not a readable image" in lines[1]["error"] and "no such file" in lines[3]["error"]
    assert lines[2]["kind"] == "register" and lines[2]["value"] == rt.value
    assert set(lines[2]) == {"file", "kind", "value", "unit", "confidence", "quality", "needs_review", "rolling"}


def test_read_meter_all_good_exits_zero(tmp_path, capsys):
    r, rt = make_register(0, "clear")
    cv2.imwrite(str(tmp_path / "r.png"), r)
    args = build_parser().parse_args(["read-meter", str(tmp_path / "r.png"), "--kind", "register"])
    assert args.func(args) == 0
    assert json.loads(capsys.readouterr().out)["value"] == rt.value


def test_bad_range_is_refused(capsys):
    import pytest

    with pytest.raises(SystemExit):
        build_parser().parse_args(["read-meter", "x.jpg", "--range", "5:1"])
    assert "max must exceed min" in capsys.readouterr().err

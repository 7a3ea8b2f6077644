"""anran --self-test: real checks pass on the checkout, failures are reported and make the exit non-zero."""

import io
import os
import subprocess
import sys

import pytest

from anran_desktop import selftest
from anran_desktop.selftest import CHECKS, NOT_AVAILABLE, CheckFailed, run_checks

CORE = tuple(c for c in CHECKS if c[1] in (selftest.check_database, selftest.check_demo_network,
                                              selftest.check_solve, selftest.check_localization))


def test_core_checks_pass_on_the_checkout():
    out = io.StringIO()
    results = run_checks(CORE, out=out)
    assert [r.name for r in results] == [name for name, _ in CORE]
    assert all(r.ok for r in results), out.getvalue()
    text = out.getvalue()
    assert "migrated to" in text and "pipes" in text and "detected" in text
    assert all(line.split(": ", 1)[1].startswith("ok — ") for line in text.splitlines())


def test_a_failing_check_prints_fail_with_its_reason_and_later_checks_still_run():
    def broken(ctx):
        raise CheckFailed("the widget is on fire")

    def crashing(ctx):
        return 1 / 0

    def fine(ctx):
        return "fine"

    out = io.StringIO()
    results = run_checks((("broken", broken), ("crashing", crashing), ("fine", fine)), out=out)
    assert [r.ok for r in results] == [False, False, True]
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("broken: FAIL: the widget is on fire")
    assert lines[1].startswith("crashing: FAIL: ZeroDivisionError")
    assert lines[2].startswith("fine: ok — fine")


def test_a_missing_component_fails_as_not_available():
    with pytest.raises(CheckFailed, match=NOT_AVAILABLE):
        selftest._require_module("anran_no_such_component")


def test_checks_that_depend_on_an_earlier_one_fail_instead_of_passing(tmp_path):
    ctx = selftest.SelfTestContext(tmp_path)
    for fn in (selftest.check_solve, selftest.check_localization, selftest.check_window):
        with pytest.raises(CheckFailed, match="previous"):
            fn(ctx)


def test_run_self_test_exit_status_follows_the_checks(monkeypatch, capsys):
    monkeypatch.setattr(selftest, "CHECKS", (("fine", lambda ctx: "fine"),))
    monkeypatch.setattr(selftest, "run_checks", lambda: run_checks(selftest.CHECKS))
    assert selftest.run_self_test() == 0
    monkeypatch.setattr(selftest, "CHECKS", (("fine", lambda ctx: "fine"), ("bad", lambda ctx: 1 / 0)))
    assert selftest.run_self_test() == 1
    assert "1 of 2 checks passed; failed: bad" in capsys.readouterr().out


def test_anran_self_test_command_runs_every_check_and_its_status_matches(tmp_path):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "ANRAN_HOME": str(tmp_path)}
    proc = subprocess.run([sys.executable, "-m", "anran_desktop", "--self-test"], capture_output=True, text=True,
                          env=env, timeout=300)
    lines = [ln for ln in proc.stdout.splitlines() if ": ok — " in ln or ": FAIL: " in ln]
    assert [ln.split(":", 1)[0] for ln in lines] == [name for name, _ in CHECKS], proc.stdout + proc.stderr
    assert "window created offscreen: ok — main window" in proc.stdout, proc.stdout + proc.stderr
    failed = [ln for ln in lines if ": FAIL: " in ln]
    assert proc.returncode == (1 if failed else 0)
    assert not any(tmp_path.iterdir()) or not list(tmp_path.rglob("selftest.sqlite3"))  # temp folder only


def test_photo_checks_read_sample_photos_found_by_name(tmp_path, monkeypatch):
    import cv2

    from vision.synth.gauge import make_gauge
    from vision.synth.register import make_register

    samples = tmp_path / "resources" / "samples"
    samples.mkdir(parents=True)
    gauge, _ = make_gauge(1)
    register, _ = make_register(1)
    cv2.imwrite(str(samples / "gauge_01.jpg"), gauge)
    cv2.imwrite(str(samples / "register_01.jpg"), register)
    monkeypatch.setattr("anran_desktop.resources.resources_dir", lambda: tmp_path / "resources")
    ctx = selftest.SelfTestContext(tmp_path)
    assert selftest.check_gauge_photo(ctx).startswith("gauge_01.jpg read as ")
    assert selftest.check_register_photo(ctx).startswith("register_01.jpg read as ")
    (samples / "register_01.jpg").unlink()
    with pytest.raises(CheckFailed, match="no bundled register photo"):
        selftest.check_register_photo(ctx)
    (samples / "gauge_01.jpg").write_bytes(b"not a jpeg")
    with pytest.raises(Exception):  # noqa: B017 — a broken photo must fail the check, however vision says so
        selftest.check_gauge_photo(ctx)


def test_photo_checks_fail_when_no_samples_are_bundled(tmp_path, monkeypatch):
    monkeypatch.setattr("anran_desktop.resources.resources_dir", lambda: tmp_path / "resources")
    with pytest.raises(CheckFailed, match=NOT_AVAILABLE):
        selftest.check_gauge_photo(selftest.SelfTestContext(tmp_path))

"""The bundled sample photos (installer self-test) read to their recorded truth."""

import json

import pytest

from anran_desktop.resources import resource_path

SAMPLES = resource_path("samples")


@pytest.mark.parametrize("name", ["gauge.jpg", "register_drum.jpg", "register_lcd.jpg", "register_rolling.jpg"])
def test_bundled_sample_reads_to_truth(reader, name):
    truth = json.loads((SAMPLES / "truth.json").read_text(encoding="utf-8"))[name]
    r = reader.read(SAMPLES / name)
    assert r.kind == truth["kind"]
    if truth["kind"] == "dial":
        lo, hi = truth["value_range"]
        assert abs(r.value - truth["value"]) / (hi - lo) < 0.015 and r.unit == truth["unit"]
    else:
        assert r.value in (truth["value"], truth["value_upper"]) and r.rolling == truth["rolling"]

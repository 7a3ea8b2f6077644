"""Counter window found as the digit row itself: the strip keeps a margin so no digit is cut off."""

import pytest

from vision import register as RG
from vision.register_cells import read_strip
from vision.synth import make_register


@pytest.mark.parametrize("seed", [100211, 100214, 100295])
def test_a_window_found_tight_round_the_digits_loses_no_digit(reader, seed):
    # development seeds (not the benchmark's) where blurred digit edges merged into the rectangle found;
    # 100211 used to drop its first digit and read 6756.462 for 46756.462 without a flag
    img, t = make_register(seed, "degraded")
    det = RG.find_register(img)
    sr = read_strip(det.strip)
    assert len(sr.cells) == t.n_int + t.n_dec
    r = reader.read(img, kind="register")
    assert r.value == pytest.approx(t.value)


def test_a_framed_window_is_cut_at_its_frame_not_read_with_it():
    img, t = make_register(0, "clear")  # drum counter in its grey frame
    det = RG.find_register(img)
    ink, _ = RG.ink_mask(det.strip)
    assert not RG.hugs_digits(ink)
    assert not ink[: RG.CUT].any() and not ink[-RG.CUT :].any()

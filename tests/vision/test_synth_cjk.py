"""Chinese printing on the generated meters (PIL + the project's CJK font)."""

import numpy as np

from vision.synth.cjk import draw_cjk
from vision.synth.gauge import SIZE, draw_gauge


def test_draw_cjk_inks_the_glyphs_centred_where_asked():
    card = np.full((80, 200, 3), 240, np.uint8)
    draw_cjk(card, "压力表", (100, 40), 30, (20, 20, 20))
    ys, xs = np.nonzero(card[..., 0] < 128)
    assert xs.size > 150  # strokes, not a tofu box outline
    assert abs(xs.mean() - 100) < 8 and abs(ys.mean() - 40) < 8


def _has_chinese_title(card: np.ndarray) -> bool:
    c, r = SIZE / 2, SIZE * 0.42
    y = int(c - r * 0.32)
    return int((card[y - 8 : y + 8, int(c) - 30 : int(c) + 30, 1] < 100).sum()) > 40


def test_some_gauges_carry_chinese_printing_and_still_auto_calibrate(reader):
    designs = [draw_gauge(np.random.default_rng(seed)) for seed in range(12)]
    zh = [(card, t) for card, t in designs if _has_chinese_title(card)]
    assert 3 <= len(zh) <= 9
    card, t = zh[0]
    r = reader.read(card, kind="dial")
    assert r.value_range == t.value_range and r.unit == t.unit

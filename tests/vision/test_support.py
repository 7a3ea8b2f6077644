"""Quality, plausibility, privacy and camera loop."""

import cv2
import numpy as np
import pytest

from vision.camera import FrameSource, reading_loop
from vision.plausibility import SeriesChecker
from vision.privacy import mask_people
from vision.quality import REVIEW_THRESHOLD, assess
from vision.synth import make_gauge


def test_quality_drops_with_blur_and_glare():
    img, _ = make_gauge(2, "clear")
    good = assess(img)
    blurred = assess(cv2.GaussianBlur(img, (0, 0), 6))
    glared = assess(np.clip(img.astype(int) + 200, 0, 255).astype(np.uint8))
    assert good.score >= REVIEW_THRESHOLD
    assert blurred.sharpness < good.sharpness and "blurred" in blurred.reasons
    assert glared.score < REVIEW_THRESHOLD and "glare" in glared.reasons
    with pytest.raises(ValueError):
        assess(np.zeros((0, 0, 3), np.uint8))


def test_series_never_backwards_max_rate_and_no_freeze():
    c = SeriesChecker(max_rate_per_hour=10.0)
    assert c.check(0, 100.0).accepted
    assert c.check(3600, 105.0).accepted
    v = c.check(7200, 104.0)
    assert not v.accepted and "backwards" in v.reason
    v = c.check(7200 + 60, 500.0)
    assert not v.accepted and "max rate" in v.reason
    assert c.check(10800, 112.0).accepted  # good reading after rejections is accepted
    # a consistent new level (e.g. a meter swap) is adopted after a few readings, never frozen
    c2 = SeriesChecker(max_rate_per_hour=1.0)
    c2.check(0, 1000.0)
    results = [c2.check(3600 * k, 5.0 + 0.1 * k) for k in range(1, 5)]
    assert [r.accepted for r in results[:2]] == [False, False]
    assert results[2].accepted and "re-anchored" in results[2].reason
    assert results[3].accepted and results[3].reason is None


def test_mask_people_leaves_meter_photo_alone():
    img, _ = make_gauge(2, "clear")
    out, n = mask_people(img)
    assert n == 0 and np.array_equal(out, img) and out is not img


def test_mask_people_covers_a_face_coloured_region():
    img, _ = make_gauge(2, "clear")
    face = img.copy()
    cv2.ellipse(face, (80, 380), (45, 60), 0, 0, 360, (140, 170, 225), -1)  # skin tone (BGR)
    out, n = mask_people(face)
    assert n >= 1
    assert not np.array_equal(out[370:390, 70:90], face[370:390, 70:90])
    with pytest.raises(ValueError):
        mask_people(np.zeros((0, 0, 3), np.uint8))


def test_frame_source_and_consensus_loop(tmp_path, reader):
    from benchmarks.meters import fixed_camera_frames
    from vision.synth.gauge import draw_gauge

    frames = fixed_camera_frames(777, [0.4] * 6)
    _, truth = draw_gauge(np.random.default_rng(777), value_frac=0.4)
    path = tmp_path / "cam.avi"
    h, w = frames[0][0].shape[:2]
    vw = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 5, (w, h))
    for f, _ in frames:
        vw.write(f)
    vw.release()
    prof = reader.calibrate(frames[0][0], truth.value_range, truth.unit)
    with FrameSource(path) as src:
        out = list(reading_loop(src, lambda f: reader.read(f, profile=prof), n_frames=3, sleep=lambda s: None))
    assert len(out) == 2 and all(c.n_frames == 3 for c in out)
    span = truth.value_range[1] - truth.value_range[0]
    assert all(abs(c.value - truth.value) / span < 0.015 for c in out)
    with pytest.raises(ValueError, match="no such file"):
        FrameSource(tmp_path / "none.avi")

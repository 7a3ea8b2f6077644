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


@pytest.mark.parametrize("seed", range(6))
def test_mask_people_leaves_the_meter_readable(seed):
    from vision.register import find_register
    from vision.synth import make_register

    for img in (make_gauge(seed, "clear")[0], make_gauge(seed, "degraded")[0]):
        out, n = mask_people(img)
        assert n == 0 and np.array_equal(out, img) and out is not img
    # Chinese label printing on a beige card can raise a face box (masking errs towards too much),
    # but the counter window itself is never covered
    img = make_register(seed, "clear")[0]
    out, _ = mask_people(img)
    x, y, w, h = cv2.boundingRect(find_register(img).corners.astype(np.int32))
    assert np.array_equal(out[y : y + h, x : x + w], img[y : y + h, x : x + w])


def test_mask_people_covers_a_real_face_with_the_shipped_detector():
    # a real photograph of a face: matplotlib's sample image of Grace Hopper (matplotlib comes with the
    # benchmark extra that the set-up installs; a missing one fails the test rather than skipping it)
    from pathlib import Path

    import matplotlib as mpl

    from vision.privacy import detector_names

    assert "haar-face" in detector_names(), "opencv-python<5 ships the Haar face cascades"
    photo = cv2.imread(str(Path(mpl.__file__).parent / "mpl-data" / "sample_data" / "grace_hopper.jpg"))
    out, n = mask_people(photo)
    assert n >= 1
    # the face (eyes and mouth, around x 170–340, y 160–380 of the 512×600 photo) is covered
    assert float(np.abs(out[200:330, 190:320].astype(int) - 128).max()) == 0
    with pytest.raises(ValueError):
        mask_people(np.zeros((0, 0, 3), np.uint8))


def test_skin_fallback_finds_a_face_coloured_region():
    from vision.privacy import _skin_boxes

    img, _ = make_gauge(2, "clear")
    face = img.copy()
    cv2.ellipse(face, (80, 380), (45, 60), 0, 0, 360, (140, 170, 225), -1)  # skin tone (BGR)
    boxes = _skin_boxes(face)
    assert any(x <= 80 <= x + w and y <= 380 <= y + h for x, y, w, h in boxes)
    assert _skin_boxes(img) == []


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


def test_mask_people_finds_a_face_in_a_full_size_phone_photo():
    """Detection runs on a reduced copy; the mask is drawn at the original's scale."""
    from pathlib import Path

    import matplotlib as mpl

    face = cv2.imread(str(Path(mpl.__file__).parent / "mpl-data" / "sample_data" / "grace_hopper.jpg"))
    frame = np.full((3000, 4000, 3), 90, np.uint8)
    big = cv2.resize(face, None, fx=2.5, fy=2.5)
    frame[200:200 + big.shape[0], 500:500 + big.shape[1]] = big
    out, n = mask_people(frame)
    assert n >= 1 and out.shape == frame.shape
    # the face of the 2.5× copy (x 475–800, y 500–825 inside it) is covered at full scale
    assert float(np.abs(out[200 + 500:200 + 825, 500 + 475:500 + 800].astype(int) - 128).max()) == 0
    assert np.array_equal(out[2500:, 3000:], frame[2500:, 3000:])  # the empty background is untouched

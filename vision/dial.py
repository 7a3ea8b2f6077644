"""Pointer gauge reading: find the dial, rectify it, find the scale ends and the needle."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from vision.dial_faces import bright_contours, face_at, face_candidates, smoothed_gray, ticks_regular
from vision.dial_perspective import hub_centre, true_angle

RR = 160.0  # rectified face radius, px
#: scale arcs (degrees, rectified) a detection is believed with. Dial gauges span 270° (EN 837-1), some 240°
#: or 300°; correct detections on development photos measured 228–305°, while every one under 200° had
#: taken part of the scale for its gap (glare, a face outline off the face).
SCALE_ARC = (200.0, 330.0)
SIDE = 400
C = SIDE / 2


@dataclass
class DialDetection:
    """Dial found in an image: ellipse, the affine image→rectified map and the angles (deg)."""

    ellipse: tuple[tuple[float, float], tuple[float, float], float]
    affine: np.ndarray  # 2x3 image -> rectified
    rectified: np.ndarray
    start: float
    end: float
    needle: float
    needle_strength: float
    tick_count: int
    tick_angles: tuple[float, ...] = ()  # tick centres (deg, rectified), scale start to end
    needle_ring: float | None = None  # where the needle's line meets the tick ring (deg, rectified)
    true_centre: tuple[float, float] | None = None  # dial's true centre (rectified, × RR from C), from the hub

    @property
    def arc(self) -> float:
        """The scale arc found, start to end (deg)."""
        return (self.end - self.start) % 360

    @property
    def arc_believable(self) -> bool:
        """Whether that arc is one a dial scale has (:data:`SCALE_ARC`)."""
        return SCALE_ARC[0] <= self.arc <= SCALE_ARC[1]


def find_dial(image: np.ndarray) -> tuple[tuple[float, float], tuple[float, float], float] | None:
    """The dial face ellipse (cv2.fitEllipse form), the largest bright, filled elliptical region."""
    return face_at(smoothed_gray(image))


def rectify_affine(ell: tuple[tuple[float, float], tuple[float, float], float]) -> np.ndarray:
    """2×3 affine mapping the ellipse onto a circle of radius RR centred in a SIDE×SIDE image."""
    (cx, cy), (w, h), ang = ell
    a = np.deg2rad(ang)
    rot = np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]])
    S = np.diag([2 * RR / w, 2 * RR / h])
    A = rot @ S @ rot.T
    t = np.array([C, C]) - A @ np.array([cx, cy])
    return np.c_[A, t]


def polar_darkness(gray: np.ndarray, center: tuple[float, float], radius: float, r0: float, r1: float,
                   step: float = 0.5) -> tuple[np.ndarray, np.ndarray]:
    """Mean darkness (0–1) per angle (deg, clockwise from up) over radii r0..r1 (× radius)."""
    angles = np.arange(0, 360, step)
    radii = np.linspace(r0, r1, 12) * radius
    t = np.deg2rad(angles)[:, None]
    mx = (center[0] + radii[None, :] * np.sin(t)).astype(np.float32)
    my = (center[1] - radii[None, :] * np.cos(t)).astype(np.float32)
    s = cv2.remap(gray, mx, my, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE).astype(np.float32)
    face = float(np.percentile(s, 90))
    dark = np.clip((face - s) / max(face * 0.6, 1.0), 0, 1)
    return angles, dark.mean(axis=1)


def highpass(prof: np.ndarray, width: int = 25) -> np.ndarray:
    """Angular profile minus its running median (removes shading and glare gradients)."""
    from scipy.ndimage import median_filter

    return np.clip(prof - median_filter(prof, size=width, mode="wrap"), 0, None)


def _peak_angle(angles: np.ndarray, prof: np.ndarray, i: int, half: int = 6) -> float:
    idx = np.arange(i - half, i + half + 1) % len(angles)
    w = np.clip(prof[idx] - prof[idx].min(), 0, None)
    if w.sum() <= 0:
        return float(angles[i])
    rel = (angles[idx] - angles[i] + 180) % 360 - 180
    return float((angles[i] + (rel * w).sum() / w.sum()) % 360)


def refine_face(gray: np.ndarray, A: np.ndarray) -> tuple[tuple[float, float], tuple[float, float], float] | None:
    """Ellipse (image px) fitted to the outer rim of the bright face seen in the rectified image."""
    radii = np.linspace(0.6, 1.1, 126)
    angs = np.arange(0, 360, 2.0)
    t = np.deg2rad(angs)[:, None]
    mx = (C + radii[None, :] * RR * np.sin(t)).astype(np.float32)
    my = (C - radii[None, :] * RR * np.cos(t)).astype(np.float32)
    s = cv2.remap(gray, mx, my, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE).astype(np.float32)
    s = cv2.blur(s, (3, 1))
    # the face's brightness per angle: glare brightens part of the face, and a global level would cut
    # the rest of it short (the rim then found inside the tick ring)
    face = np.percentile(s[:, :40], 75, axis=1)
    low = float(np.percentile(s, 5))
    thr = face - 0.25 * (face - low)
    edge = np.full(len(angs), np.nan)
    for i in range(len(angs)):
        above = np.nonzero(s[i] > thr[i])[0]
        if above.size:
            edge[i] = radii[above[-1]]
    ok = ~np.isnan(edge)
    if ok.sum() < 60:
        return None
    med = float(np.nanmedian(edge))
    ok &= np.abs(edge - med) < 0.06
    if ok.sum() < 60:
        return None
    pts = np.c_[C + edge[ok] * RR * np.sin(np.deg2rad(angs[ok])), C - edge[ok] * RR * np.cos(np.deg2rad(angs[ok]))]
    ip = to_image(A, pts).astype(np.float32)
    e = cv2.fitEllipse(ip)
    return ((float(e[0][0]), float(e[0][1])), (float(e[1][0]), float(e[1][1])), float(e[2]))


def face_edge(gray: np.ndarray) -> float:
    """Radius (× RR) where the bright face ends, from the median brightness over angles per radius."""
    radii = np.linspace(0.55, 1.05, 101)
    t = np.deg2rad(np.arange(0, 360, 2.0))[:, None]
    mx = (C + radii[None, :] * RR * np.sin(t)).astype(np.float32)
    my = (C - radii[None, :] * RR * np.cos(t)).astype(np.float32)
    s = cv2.remap(gray, mx, my, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE).astype(np.float32)
    prof = np.median(s, axis=0)
    face = float(np.median(prof[:20]))
    below = np.nonzero(prof < face - 0.35 * max(face - float(prof.min()), 1.0))[0]
    if below.size == 0:
        return 1.0
    return float(radii[max(int(below[0]) - 1, 0)])


def find_scale(angles: np.ndarray, ticks: np.ndarray, text: np.ndarray | None = None
               ) -> tuple[float, float, int, tuple[float, ...]] | None:
    """Scale start/end angles from the tick ring (the ticks either side of the largest empty arc), the
    tick count and the tick centres from start to end."""
    ticks = highpass(ticks)
    thr = max(0.06, 0.3 * float(np.percentile(ticks, 99)))
    on = ticks > thr
    if on.sum() < 3:
        return None
    # tick centres: runs of 'on'
    n = len(on)
    centres = []
    i = 0
    start_i = int(np.argmin(on))  # start scanning from an 'off' position
    while i < n:
        j = (start_i + i) % n
        if on[j]:
            k = i
            while k < n and on[(start_i + k) % n]:
                k += 1
            mid = (start_i + (i + k - 1) // 2) % n
            centres.append(_peak_angle(angles, ticks, mid, 3))
            i = k
        else:
            i += 1
    if len(centres) < 3:
        return None
    cs = np.sort(np.array(centres))
    gaps = np.diff(np.r_[cs, cs[0] + 360])
    g = _scale_gap(angles, ticks, cs, gaps, text)
    end = cs[g]
    start = cs[(g + 1) % len(cs)]
    ordered = tuple(float(v) for v in np.r_[cs[g + 1 :], cs[: g + 1]])
    return float(start), float(end), len(cs), ordered


def _scale_gap(angles: np.ndarray, hp: np.ndarray, cs: np.ndarray, gaps: np.ndarray,
               text: np.ndarray | None = None) -> int:
    """Index of the tick interval that is the scale gap: the longest, or among intervals nearly as long
    (blur left only the major ticks, and a 300° scale with 5 intervals has a gap as long as an interval)
    the one with the least faint tick ink inside (the gap has no minor ticks)."""
    cands = [i for i in range(len(gaps)) if gaps[i] >= 0.8 * gaps.max()]
    if len(cands) == 1:
        return cands[0]

    def ink(i: int) -> float:
        rel = (angles - cs[i]) % 360
        inside = (rel > 3) & (rel < gaps[i] - 3)
        return float(hp[inside].mean()) if inside.any() else 0.0

    inks = sorted((ink(i), i) for i in cands)
    if text is None or inks[0][0] < 0.5 * inks[1][0]:
        return inks[0][1]
    # no clear answer from the ticks: the unit is printed between the hub and the gap
    def printing(i: int) -> float:
        mid = (cs[i] + gaps[i] / 2) % 360
        rel = np.abs((angles - mid + 180) % 360 - 180)
        return float(text[rel < 12].mean()) if (rel < 12).any() else 0.0

    return max(cands, key=printing)


def needle_angle(angles: np.ndarray, prof: np.ndarray, start: float, end: float) -> tuple[float, float]:
    """Needle angle within the scale arc (strongest dark ray), and its strength."""
    span = (end - start) % 360
    rel = (angles - start) % 360
    inside = rel <= span + 2
    p = np.where(inside, prof, -1)
    i = int(np.argmax(p))
    return _peak_angle(angles, prof, i, 6), float(prof[i])


def detect(image: np.ndarray) -> DialDetection | None:
    """Find, rectify and analyse a dial; None when no dial face is found.

    When the result is not self-consistent (no hub on the needle's line, or the hub far off the
    rectified centre, as when a glare blob merged with the face), the face outline is refitted without
    its worst-fitting part and the more consistent detection is kept. When the scale found is not
    believable (:func:`plausible`: an arc outside :data:`SCALE_ARC`, fewer than 8 ticks, or ticks off
    one even pitch), the outlines at raised thresholds are tried (a bright background merged with the
    face) and the believable one whose hub is nearest the centre is kept."""
    ell = find_dial(image)
    if ell is None:
        return None
    det = _detect_from(image, ell)
    if not (det is not None and det.true_centre is not None and float(np.hypot(*det.true_centre)) < 0.1):
        alt = _trimmed_face(image, ell)
        det2 = _detect_from(image, alt) if alt is not None else None
        if det2 is not None and det2.true_centre is not None and (
                det is None or det.true_centre is None or np.hypot(*det2.true_centre) < np.hypot(*det.true_centre)):
            det = det2
    if det is not None and plausible(det):
        return det
    best, best_off = det, np.inf
    for e in face_candidates(image):
        d = _detect_from(image, e)
        if d is not None and plausible(d) and _hub_offset(d) < best_off:
            best, best_off = d, _hub_offset(d)
    return best


def plausible(det: DialDetection) -> bool:
    """Whether a detection's scale is believable: an arc within :data:`SCALE_ARC`, at least 8 ticks, and
    the ticks on one even pitch."""
    return det.arc_believable and det.tick_count >= 8 and ticks_regular(det.tick_angles)


def _hub_offset(det: DialDetection) -> float:
    return 1.0 if det.true_centre is None else float(np.hypot(*det.true_centre))


def _trimmed_face(image: np.ndarray, ell):  # noqa: ANN001, ANN202 - cv2 ellipse tuples
    """The face ellipse refitted to the 60 % of the bright outline nearest the first fit, then without
    points beyond 3 MADs (drops a glare blob merged with the face); None if it barely differs."""
    contours = bright_contours(smoothed_gray(image))
    inside = [c for c in contours if cv2.pointPolygonTest(c, (float(ell[0][0]), float(ell[0][1])), False) >= 0]
    if not inside:
        return None
    pts = max(inside, key=len).reshape(-1, 2).astype(np.float32)
    if len(pts) < 40:
        return None
    e = cv2.fitEllipse(pts)
    for share in (60.0, None, None, None):
        res = _ellipse_residuals(pts, e)
        if res is None:
            return None
        if share is not None:
            keep = np.abs(res) <= np.percentile(np.abs(res), share)
        else:
            mad = float(np.median(np.abs(res[keep] - np.median(res[keep]))))
            keep = np.abs(res) < max(3.0 * 1.4826 * mad, 1.5)
        if keep.sum() < 30:
            return None
        e = cv2.fitEllipse(pts[keep])
    if min(e[1]) <= 0 or min(e[1]) / max(e[1]) < 0.6:
        return None
    if abs(np.pi * e[1][0] * e[1][1] / 4 / (np.pi * ell[1][0] * ell[1][1] / 4) - 1) < 0.05:
        return None
    return e


def _ellipse_residuals(pts: np.ndarray, e) -> np.ndarray | None:  # noqa: ANN001 - cv2 ellipse tuple
    """Approximate distance (px, + outside) of each point from the ellipse ``e``."""
    (cx, cy), (w, h), ang = e
    if min(w, h) <= 0:
        return None
    t = np.deg2rad(ang)
    d = pts - [cx, cy]
    u = d[:, 0] * np.cos(t) + d[:, 1] * np.sin(t)
    v = -d[:, 0] * np.sin(t) + d[:, 1] * np.cos(t)
    return (np.hypot(u / (w / 2), v / (h / 2)) - 1) * (w + h) / 4


def _detect_from(image: np.ndarray, ell) -> DialDetection | None:  # noqa: ANN001 - cv2 ellipse tuple
    """Rectify on the face ellipse ``ell``, refit it on the face's rim, find scale, needle and hub."""
    A = rectify_affine(ell)
    rect = cv2.warpAffine(image, A, (SIDE, SIDE), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    g = cv2.cvtColor(rect, cv2.COLOR_BGR2GRAY)
    for _ in range(2):  # refit on the face's own rim (a light bezel may have been taken for the face)
        refined = refine_face(g, A)
        if refined is None:
            break
        ell = refined
        A = rectify_affine(ell)
        rect = cv2.warpAffine(image, A, (SIDE, SIDE), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
        g = cv2.cvtColor(rect, cv2.COLOR_BGR2GRAY)
    ang, ticks = polar_darkness(g, (C, C), RR, 0.885, 0.94)
    _, text = polar_darkness(g, (C, C), RR, 0.38, 0.56)
    sc = find_scale(ang, ticks, text)
    if sc is None:
        return None
    start, end, n, ticks = sc
    _, nprof = polar_darkness(g, (C, C), RR, 0.22, 0.5)
    nprof = highpass(nprof, 41)
    na, strength = needle_angle(ang, nprof, start, end)
    ring = _needle_at_ring(g, ang, start, end, na)
    line = needle_line(g, ang, na)
    hub = hub_centre(g, line[0], line[1], (C, C), RR) if line is not None else None
    if ring is not None and tick_fraction(ring, ticks) is None:
        # blur or glare lost some minor ticks: the longer, heavier major ticks usually survive
        majors = major_tick_angles(g, start, end)
        if len(majors) >= 4:
            ticks = tuple(majors)
    true_c = None if hub is None else (float(hub[0]), float(hub[1]))
    return DialDetection(ell, A, rect, start, end, na, strength, n, ticks, ring, true_c)


def perspective_fraction(det: DialDetection) -> float | None:
    """Scale fraction of the needle from true angles (perspective undone around the hub, see
    :mod:`vision.dial_perspective`); None without the needle's line or the hub."""
    if det.needle_ring is None or det.true_centre is None:
        return None
    a = np.array(det.true_centre)
    s, e, n = (true_angle(v, TICK_RING, a) for v in (det.start, det.end, det.needle_ring))
    return angle_to_fraction(n, s, e)


def major_tick_angles(gray_rect: np.ndarray, start: float, end: float) -> list[float]:
    """Angles (deg, rectified) of the major ticks from ``start`` to ``end``: the ticks that reach further
    in (0.845–0.875 R) than the minor ones. Empty if they are not evenly spaced."""
    ang, prof = polar_darkness(gray_rect, (C, C), RR, 0.845, 0.875)
    prof = highpass(prof)
    # start the scan in the middle of the scale gap so no tick is split at the array's ends
    gap_mid = (end + ((start - end) % 360) / 2) % 360
    k = int(np.argmin(np.abs((ang - gap_mid + 180) % 360 - 180)))
    ang, prof = np.roll(ang, -k), np.roll(prof, -k)
    span = (end - start) % 360 or 360.0
    rel = (ang - start + 3) % 360
    inside = rel <= span + 6
    p = np.where(inside, prof, 0.0)
    thr = max(0.05, 0.35 * float(np.percentile(p[inside], 99)))
    on = p > thr
    peaks: list[float] = []
    i, n = 0, len(on)
    while i < n:
        if on[i]:
            k = i
            while k < n and on[k]:
                k += 1
            peaks.append(float(ang[(i + k - 1) // 2]))
            i = k
        else:
            i += 1
    if len(peaks) < 3:
        return []
    pos = np.sort([(a - start + 3) % 360 - 3 for a in peaks])
    steps = np.diff(pos)
    if len(steps) < 2 or steps.min() < 0.6 * np.median(steps) or steps.max() > 1.4 * np.median(steps):
        return []
    if abs(pos[0]) > 4 or abs(pos[-1] - span) > 4:
        return []
    return [float((start + q) % 360) for q in pos]


TICK_RING = 0.91


def _needle_at_ring(g: np.ndarray, ang: np.ndarray, start: float, end: float, near: float) -> float | None:
    """Angle where the needle's line, found at two radii, crosses the tick ring.

    Under perspective the rectified centre is not the dial's true centre, so the needle's angle around
    it differs from the angle of the tick it points at; the line through two needle points does not.
    """
    line = needle_line(g, ang, near)
    if line is None:
        return None
    p1, p2 = line
    d = p2 - p1
    if np.linalg.norm(d) < 1e-6:
        return None
    d = d / np.linalg.norm(d)
    # p2 + t d on the circle |x - C| = TICK_RING·RR, t > 0
    o = p2 - np.array([C, C])
    b = float(o @ d)
    disc = b * b - float(o @ o - (TICK_RING * RR) ** 2)
    if disc < 0:
        return None
    q = p2 + (-b + np.sqrt(disc)) * d
    return float(np.degrees(np.arctan2(q[0] - C, -(q[1] - C))) % 360)


def needle_line(g: np.ndarray, ang: np.ndarray, near: float) -> tuple[np.ndarray, np.ndarray] | None:
    """Two points of the needle (rectified px, inner then outer), found within 12° of ``near``."""
    pts = []
    for r0, r1 in ((0.24, 0.36), (0.42, 0.56)):
        _, prof = polar_darkness(g, (C, C), RR, r0, r1)
        prof = highpass(prof, 41)
        rel = (ang - near + 180) % 360 - 180
        p = np.where(np.abs(rel) < 12, prof, -1)
        i = int(np.argmax(p))
        if p[i] <= 0.05:
            return None
        pts.append(polar_point(_peak_angle(ang, prof, i, 6), (r0 + r1) / 2))
    return pts[0], pts[1]


def tick_fraction(angle: float, ticks: tuple[float, ...]) -> float | None:
    """Scale fraction of ``angle`` interpolated between the evenly spaced ticks it lies between.

    Robust to any smooth angular distortion (residual perspective) because each tick interval is the
    same share of the scale. None when the ticks are not regular enough (a missed or spurious tick).
    """
    if len(ticks) < 4:
        return None
    t0 = ticks[0]
    pos = np.array([(t - t0) % 360 for t in ticks])
    gaps = np.diff(pos)
    if gaps.min() <= 0:
        return None
    med = np.median(gaps)
    # a tick interval may vary smoothly with perspective but never jump
    if gaps.max() > 1.6 * med or gaps.min() < 0.6 * med or (np.abs(np.diff(gaps)) > 0.35 * med).any():
        return None
    x = (angle - t0) % 360
    if x > pos[-1]:
        x = pos[-1] if x - pos[-1] < 360 - x else 0.0
    return float(np.interp(x, pos, np.arange(len(pos))) / (len(pos) - 1))


def angle_to_fraction(needle: float, start: float, end: float) -> float:
    """Position of the needle along the scale, 0 at start, 1 at end (clockwise)."""
    span = (end - start) % 360 or 360.0
    rel = (needle - start) % 360
    if rel > span:  # in the gap: snap to the nearer end
        rel = span if rel - span < (360 - rel) else 0.0
    return rel / span


def to_image(A: np.ndarray, pts: np.ndarray) -> np.ndarray:
    """Map rectified points back to image pixels."""
    Ai = cv2.invertAffineTransform(A)
    return pts @ Ai[:, :2].T + Ai[:, 2]


def polar_point(angle: float, r: float) -> np.ndarray:
    """Rectified-image point at ``angle`` (deg clockwise from up) and radius ``r`` (× RR)."""
    t = np.deg2rad(angle)
    return np.array([C + r * RR * np.sin(t), C - r * RR * np.cos(t)])


def scale_fraction(det: DialDetection) -> tuple[float, str]:
    """The needle's scale fraction and how it was found.

    ``ticks`` (interpolated between regular ticks, the perspective-corrected estimate agreeing or
    missing), ``perspective`` (true angles around the hub; the ticks not regular), ``disagree`` (both
    found and more than 1 % of span apart: the perspective one is returned, the reading must be
    reviewed) or ``linear`` (neither: start–end mapping in rectified angles, perspective not undone).
    """
    tf = tick_fraction(det.needle_ring, det.tick_angles) if det.needle_ring is not None else None
    pf = perspective_fraction(det)
    if tf is not None and (pf is None or abs(tf - pf) <= 0.01):
        return tf, "ticks"
    if pf is not None:
        return pf, "perspective" if tf is None else "disagree"
    ring = det.needle_ring if det.needle_ring is not None else det.needle
    return angle_to_fraction(ring, det.start, det.end), "linear"

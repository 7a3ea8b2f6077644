"""MeterReader: loads the OCR model once and reads dial gauges and registers."""

from __future__ import annotations

import re
import threading
from pathlib import Path

import cv2
import numpy as np

from vision import dial as D
from vision import dial_glare
from vision import register as RG
from vision import register_cells as RC
from vision.ocr import DigitOCR
from vision.quality import REVIEW_THRESHOLD, assess
from vision.reasons import normalize, reason
from vision.register_cells import read_strip, register_detail
from vision.scale_labels import fit_scale, major_tick_angles, unambiguous_full_scale, unit_of
from vision.types import DialProfile, DigitResult, Geometry, MeterReading


def load_image(image: np.ndarray | str | Path) -> np.ndarray:
    """BGR array from an array or a path; ValueError saying what is wrong."""
    if isinstance(image, np.ndarray):
        if image.ndim == 2:
            return cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
        if image.ndim != 3 or image.shape[2] not in (3, 4) or image.size == 0:
            raise ValueError(f"not a BGR image array (shape {image.shape})")
        return image[..., :3] if image.shape[2] == 4 else image
    p = Path(image)
    if not p.is_file():
        raise ValueError(f"{p}: no such file")
    data = np.fromfile(str(p), np.uint8)
    img = cv2.imdecode(data, cv2.IMREAD_COLOR) if data.size else None
    if img is None:
        raise ValueError(f"{p}: not a readable image")
    return img


def _num(text: str) -> float | None:
    m = re.search(r"\d+(\.\d+)?", text)
    return float(m.group()) if m else None


class MeterReader:
    """Reads pointer gauges and gas-meter registers; create once, reuse (models load once)."""

    def __init__(self) -> None:
        self.ocr = DigitOCR()
        self._lock = threading.Lock()

    # ---------------------------------------------------------------- public
    def read(self, image: np.ndarray | str | Path, *, kind: str = "auto",
             value_range: tuple[float, float] | None = None, unit: str | None = None,
             profile: DialProfile | None = None) -> MeterReading:
        """Read one image. ``kind`` is auto, dial or register; ``profile`` is the fixed-camera fast path."""
        if kind not in ("auto", "dial", "register"):
            raise ValueError(f"kind must be auto, dial or register, not {kind!r}")
        if value_range is not None and not value_range[1] > value_range[0]:
            raise ValueError(f"value_range max must exceed min: {value_range}")
        img = load_image(image)
        if profile is not None:
            return self.read_profile(img, profile)
        if kind == "dial":
            return self.read_dial(img, value_range, unit)
        if kind == "register":
            return self.read_register(img, unit)
        if D.find_dial(img) is not None:
            r = self.read_dial(img, value_range, unit)
            if r.value is not None:
                return r
            reg = self.read_register(img, unit)
            return reg if reg.value is not None else r
        return self.read_register(img, unit)

    # ---------------------------------------------------------------- dials
    def read_dial(self, img: np.ndarray, value_range: tuple[float, float] | None, unit: str | None) -> MeterReading:
        """Dial reading with a given range, or automatic calibration from the printed scale."""
        det = D.detect(img)
        if det is None:
            q = assess(img)
            return MeterReading("dial", None, unit, 0.0, q.score, True, reasons=[reason("no_dial")])
        (cx, cy), (w, h), _ = det.ellipse
        roi = (int(cx - w / 2), int(cy - h / 2), int(w), int(h))
        dg = dial_glare.measure(det.rectified, (D.C, D.C), D.RR, det.start, det.end, det.needle)
        q = assess(img, roi, glare=dg.score)
        reasons = [normalize(t) for t in q.reasons]
        conf = float(np.clip(det.needle_strength * 1.6, 0, 1))
        if det.tick_count < 8:
            reasons.append(reason("few_ticks"))
            conf *= 0.5
        if not det.arc_believable:
            reasons.append(reason("scale_arc_unusual", arc=f"{det.arc:.0f}"))
            conf *= 0.5
        vr = value_range
        if vr is None:
            vr, u, ocr_conf = self._calibrate_ocr(det)
            unit = unit or u
            if vr is None:
                reasons.append(reason("scale_unreadable"))
                conf = 0.0
            else:
                conf = min(conf, ocr_conf)
        elif unit is None:  # range given, unit not: read the unit printed under the hub
            _, unit, _ = self._calibrate_ocr(det, unit_only=True)
        frac, how = D.scale_fraction(det)
        if how == "disagree":
            tf = D.tick_fraction(det.needle_ring, det.tick_angles) if det.needle_ring is not None else None
            reasons.append(reason("ticks_disagree", diff=f"{100 * abs((tf if tf is not None else frac) - frac):.1f}"))
        elif how == "linear":
            reasons.append(reason("perspective_uncorrected"))
        value = None if vr is None else vr[0] + frac * (vr[1] - vr[0])
        geo = self._dial_geometry(det)
        if q.score < REVIEW_THRESHOLD:
            reasons.append(reason("low_image_quality"))
        if conf < 0.5:
            reasons.append(reason("low_confidence"))
        needs = bool(reasons)
        return MeterReading("dial", value, unit, conf, q.score, needs, reasons=reasons, geometry=geo, value_range=vr)

    def _dial_geometry(self, det: D.DialDetection) -> Geometry:
        pts = np.array([D.polar_point(det.needle, 0.8), D.polar_point(det.start, 0.92),
                        D.polar_point(det.end, 0.92), [D.C, D.C]])
        ip = D.to_image(det.affine, pts)
        (cx, cy), (w, h), a = det.ellipse
        return Geometry(dial_center=(float(ip[3][0]), float(ip[3][1])), dial_radius=float((w + h) / 4),
                        dial_ellipse=((float(cx), float(cy)), (float(w), float(h)), float(a)),
                        needle_tip=(float(ip[0][0]), float(ip[0][1])),
                        scale_start=(float(ip[1][0]), float(ip[1][1])), scale_end=(float(ip[2][0]), float(ip[2][1])))

    def _calibrate_ocr(self, det: D.DialDetection, *, unit_only: bool = False
                       ) -> tuple[tuple[float, float] | None, str | None, float]:
        """Range and unit read from the printed numbers at the scale ends and the unit text."""
        gap_mid = (det.end + ((det.start - det.end) % 360) / 2) % 360
        rot = 180 - gap_mid  # turn the gap to 6 o'clock so the printing is upright
        M = cv2.getRotationMatrix2D((D.C, D.C), -rot, 1.0)
        up = cv2.warpAffine(det.rectified, M, (D.SIDE, D.SIDE), borderMode=cv2.BORDER_REPLICATE)
        big = cv2.resize(up, None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC)

        def crop(angle: float, r: float, w: float, h: float) -> np.ndarray:
            p = D.polar_point(angle, r) * 2
            x0, x1 = int(p[0] - w * RRx), int(p[0] + w * RRx)
            y0, y1 = int(p[1] - h * RRx), int(p[1] + h * RRx)
            return big[max(0, y0):y1, max(0, x0):x1]

        RRx = D.RR * 2
        if unit_only:
            return None, self._unit_of(self.ocr.read_text(crop(180, 0.45, 0.3, 0.12))[0]), 0.0
        s_txt, s_sc = self.ocr.read_number(crop(det.start + rot, 0.66, 0.17, 0.08))
        u_txt, _ = self.ocr.read_text(crop(180, 0.45, 0.3, 0.12))
        unit = self._unit_of(u_txt)
        majors = major_tick_angles(cv2.cvtColor(det.rectified, cv2.COLOR_BGR2GRAY), det.start, det.end)
        if majors:  # read every major label and fit a consistent scale (tolerates dropped decimal points)
            texts = [s_txt] + [self.ocr.read_number(crop(a + rot, 0.66, 0.17, 0.08))[0] for a in majors[1:]]
            lo_read = (_num(s_txt) if s_txt else 0.0) or 0.0
            # the start label as read, or 0 (a misread "0" must not shift the whole scale)
            fits = [(f, lo) for lo in dict.fromkeys((lo_read, 0.0)) if (f := fit_scale(texts, lo)) is not None]
            if fits:
                fit, lo0 = max(fits, key=lambda fl: fl[0][1])
                return (lo0, fit[0]), unit, min(fit[1] + 0.25, 1.0) if fit[1] > 0.4 else fit[1]
        # No consistent set of labels: the full-scale label alone, if it names one standard full-scale value
        # that, when the major ticks were counted, divides into a standard step. A label that could be another
        # value with its decimal point lost ("25": 2.5 or 25) or none at all (a "46") would only propose a
        # wrong range; the range is asked for instead.
        lo = _num(s_txt) if s_txt else 0.0
        if lo is None:
            return None, unit, 0.0
        for w, h in ((0.17, 0.08), (0.22, 0.09), (0.13, 0.07)):
            e_txt, e_sc = self.ocr.read_number(crop(det.end + rot, 0.66, w, h))
            hi = unambiguous_full_scale(e_txt, max(len(majors) - 1, 0), lo)
            if hi is not None:
                return (lo, hi), unit, min(s_sc if s_txt else 0.9, e_sc, 0.45)
        return None, unit, 0.0

    @staticmethod
    def _unit_of(text: str) -> str | None:
        return unit_of(text)

    def calibrate(self, img: np.ndarray | str | Path, value_range: tuple[float, float] | None = None,
                  unit: str | None = None) -> DialProfile:
        """A fixed-camera profile from one good frame (range given or read by OCR)."""
        frame = load_image(img)
        det = D.detect(frame)
        if det is None:
            raise ValueError("calibrate: no dial found in the frame")
        if value_range is None:
            value_range, u, _ = self._calibrate_ocr(det)
            unit = unit or u
            if value_range is None:
                raise ValueError("calibrate: scale numbers not readable; give the range")
        geo = self._dial_geometry(det)
        c = geo.dial_center
        assert c is not None and geo.scale_start and geo.scale_end

        def ang(p: tuple[float, float]) -> float:
            return float(np.degrees(np.arctan2(p[0] - c[0], -(p[1] - c[1]))) % 360)

        (cx, cy), (w, h), _ = det.ellipse
        r = min(w, h) / 2
        roi = (int(cx - w / 2 - 4), int(cy - h / 2 - 4), int(w + 8), int(h + 8))
        return DialProfile(c, r, ang(geo.scale_start), ang(geo.scale_end), value_range, unit, roi)

    def read_profile(self, frame: np.ndarray, p: DialProfile) -> MeterReading:
        """Fast path for a calibrated fixed camera: needle angle around the saved centre only."""
        g = cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)
        ang, prof = D.polar_darkness(g, p.center, p.radius, 0.22, 0.5)
        prof = D.highpass(prof, 41)
        na, strength = D.needle_angle(ang, prof, p.start_angle, p.end_angle)
        frac = D.angle_to_fraction(na, p.start_angle, p.end_angle)
        lo, hi = p.value_range
        dg = dial_glare.measure(g, p.center, p.radius, p.start_angle, p.end_angle, na)
        q = assess(frame, p.roi, glare=dg.score)
        conf = float(np.clip(strength * 1.6, 0, 1))
        reasons = [normalize(t) for t in q.reasons]
        if q.score < REVIEW_THRESHOLD:
            reasons.append(reason("low_image_quality"))
        if conf < 0.5:
            reasons.append(reason("needle_weak"))
        t = np.deg2rad(na)
        tip = (p.center[0] + 0.8 * p.radius * np.sin(t), p.center[1] - 0.8 * p.radius * np.cos(t))
        geo = Geometry(dial_center=p.center, dial_radius=p.radius, needle_tip=(float(tip[0]), float(tip[1])))
        return MeterReading("dial", lo + frac * (hi - lo), p.unit, conf, q.score, bool(reasons), reasons=reasons,
                            geometry=geo, value_range=p.value_range)

    # ---------------------------------------------------------------- registers
    def read_register(self, img: np.ndarray, unit: str | None) -> MeterReading:
        """Register reading: window, straightening, per-cell digit reader, OCR cross-check, decimals."""
        unit = unit or "m3"
        det = RG.find_register(img)
        if det is None:
            q = assess(img)
            return MeterReading("register", None, unit, 0.0, q.score, True, reasons=[reason("no_register")])
        x, y, w, h = cv2.boundingRect(det.corners.astype(np.int32))
        sr = read_strip(det.strip)
        q = assess(img, (x, y, w, h), register_detail(det, sr))
        reasons = [normalize(t) for t in q.reasons]
        cells = sr.cells
        problems = [normalize(t) for t in sr.problems]
        if not cells:
            return MeterReading("register", None, unit, 0.0, q.score, True, reasons=reasons + problems)
        reasons += problems
        ds = [c.digit for c in cells]
        n = len(ds)
        # independent check: RapidOCR on the whole strip (digits only)
        _, light = RG.ink_mask(det.strip)
        ocr_in = det.strip if not light else 255 - det.strip
        ocr_in = ocr_in[:, max(0, cells[0].x0 - 8) : min(det.strip.shape[1], cells[-1].x1 + 8)]
        txt, score = self.ocr.read_number(ocr_in)
        ocr_ds = txt.replace(".", "")
        for i, c in enumerate(cells):
            if not c.trusted and len(ocr_ds) == n and not c.rolling and c.score >= RC.SCORE_REVIEW \
                    and ocr_ds[i] != str(c.digit) and c.scores[int(ocr_ds[i])] >= c.score - 0.05:
                # close candidates and the independent OCR picks a near runner-up: take that one
                c.digit, c.margin = int(ocr_ds[i]), RC.MARGIN_REVIEW
                ds[i] = c.digit
            elif not c.trusted and len(ocr_ds) == n and not c.rolling and not c.solid and c.score >= 0.8 \
                    and ocr_ds[i] == str(c.digit):
                # a near tie that the independent OCR settles on the same digit
                c.margin = RC.MARGIN_REVIEW
            if not c.trusted:
                reasons.append(reason("digit_uncertain", digit=i + 1, score=f"{c.score:.2f}"))
            elif len(ocr_ds) == n and not c.rolling and ocr_ds[i] != str(c.digit):
                reasons.append(reason("digit_ocr_mismatch", digit=i + 1, cell=c.digit, ocr=ocr_ds[i]))
        n_dec = sr.n_dec
        if n_dec == 0 and "." in txt and len(ocr_ds) == n:
            n_dec = len(txt) - txt.index(".") - 1
        if n_dec == 0:
            reasons.append(reason("no_decimal"))
        rolling = any(c.rolling for c in cells)
        if rolling:
            reasons.append(reason("rolling"))
        if q.score < REVIEW_THRESHOLD:
            reasons.append(reason("low_image_quality"))
        conf = float(np.clip(min(c.score for c in cells), 0, 1))
        if len(ocr_ds) != n or any(ocr_ds[i] != str(c.digit) for i, c in enumerate(cells) if not c.rolling):
            conf *= 0.8
        value = int("".join(map(str, ds))) / 10**n_dec
        Hi = np.linalg.inv(det.H)
        boxes, digits = [], []
        for i, c in enumerate(cells):
            y0, y1 = RG.MARGIN, RG.STRIP_H - RG.MARGIN  # the window's rows of the strip
            pts = np.array([[c.x0, y0], [c.x1, y0], [c.x1, y1], [c.x0, y1]], np.float32).reshape(-1, 1, 2)
            ip = cv2.perspectiveTransform(pts, Hi).reshape(-1, 2)
            boxes.append([(float(px), float(py)) for px, py in ip])
            bx = cv2.boundingRect(ip.astype(np.int32))
            digits.append(DigitResult(c.digit, float(c.score), c.rolling, tuple(int(v) for v in bx), i >= n - n_dec))
        geo = Geometry(register_box=[(float(a), float(b)) for a, b in det.corners], digit_boxes=boxes)
        needs = any(r != "rolling" for r in reasons)
        return MeterReading("register", round(value, n_dec), unit, conf, q.score, needs, rolling, reasons,
                            digits, geo)


_DEFAULT: MeterReader | None = None
_DEFAULT_LOCK = threading.Lock()


def default_reader() -> MeterReader:
    """The process-wide reader (created on first use)."""
    global _DEFAULT
    with _DEFAULT_LOCK:
        if _DEFAULT is None:
            _DEFAULT = MeterReader()
        return _DEFAULT


def read_meter(image: np.ndarray | str | Path, **kw: object) -> MeterReading:
    """Read one image with the process-wide :class:`MeterReader` (same keywords as ``read``)."""
    return default_reader().read(image, **kw)  # type: ignore[arg-type]

"""Result and calibration types of the meter reader (plain dataclasses, JSON-friendly)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import IO, Any

Point = tuple[float, float]


@dataclass
class DigitResult:
    """One register digit: its value (lower digit when rolling), confidence and box (x, y, w, h)."""

    digit: int | None
    confidence: float
    rolling: bool = False
    box: tuple[int, int, int, int] = (0, 0, 0, 0)
    decimal: bool = False


@dataclass
class Geometry:
    """Where the detection is, in image pixel coordinates (for overlays)."""

    dial_center: Point | None = None
    dial_radius: float | None = None
    dial_ellipse: tuple[Point, tuple[float, float], float] | None = None  # cv2.fitEllipse form
    needle_tip: Point | None = None
    scale_start: Point | None = None
    scale_end: Point | None = None
    register_box: list[Point] | None = None  # 4 corners
    digit_boxes: list[list[Point]] = field(default_factory=list)


@dataclass
class MeterReading:
    """A meter reading with its confidence, image quality and the reasons it may need review."""

    kind: str
    value: float | None
    unit: str | None
    confidence: float
    quality: float
    needs_review: bool
    rolling: bool = False
    reasons: list[str] = field(default_factory=list)
    digits: list[DigitResult] = field(default_factory=list)
    geometry: Geometry = field(default_factory=Geometry)
    value_range: tuple[float, float] | None = None

    def cli_object(self, file: str | None = None) -> dict[str, Any]:
        """The issue-4 CLI object: file, kind, value, unit, confidence, quality, needs_review, rolling."""
        return {
            "file": file,
            "kind": self.kind,
            "value": self.value,
            "unit": self.unit,
            "confidence": round(float(self.confidence), 4),
            "quality": round(float(self.quality), 4),
            "needs_review": bool(self.needs_review),
            "rolling": bool(self.rolling),
        }

    def to_json(self, file: str | None = None) -> str:
        """One-line JSON of :meth:`cli_object`."""
        return json.dumps(self.cli_object(file), ensure_ascii=False)

    def to_dict(self) -> dict[str, Any]:
        """Everything, including digits, geometry and reasons (for the desktop and the store)."""
        return asdict(self)


@dataclass
class DialProfile:
    """Saved calibration of a fixed camera looking at one dial gauge.

    Angles are degrees clockwise from 12 o'clock in the (un-rectified) image; ``roi`` is
    (x, y, w, h) in frame pixels; ``center``/``radius`` are in frame pixels too.
    """

    center: Point
    radius: float
    start_angle: float
    end_angle: float
    value_range: tuple[float, float]
    unit: str | None = None
    roi: tuple[int, int, int, int] | None = None

    def __post_init__(self) -> None:
        lo, hi = self.value_range
        if not hi > lo:
            raise ValueError(f"DialProfile: value_range max must exceed min, got {self.value_range}")
        if self.radius <= 0:
            raise ValueError(f"DialProfile: radius must be positive, got {self.radius}")

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly dict."""
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> DialProfile:
        """Inverse of :meth:`to_dict`; raises ValueError naming the missing/bad field."""
        try:
            roi = d.get("roi")
            return cls(
                center=(float(d["center"][0]), float(d["center"][1])),
                radius=float(d["radius"]),
                start_angle=float(d["start_angle"]),
                end_angle=float(d["end_angle"]),
                value_range=(float(d["value_range"][0]), float(d["value_range"][1])),
                unit=d.get("unit"),
                roi=tuple(int(v) for v in roi) if roi else None,  # type: ignore[arg-type]
            )
        except (KeyError, TypeError, IndexError) as exc:
            raise ValueError(f"DialProfile: bad or missing field {exc}") from exc


def dump_jsonl(objs: list[dict[str, Any]], fh: IO[str]) -> None:
    """Write one JSON object per line."""
    for o in objs:
        fh.write(json.dumps(o, ensure_ascii=False) + "\n")

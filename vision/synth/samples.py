"""Write the small bundled sample photos (resources/samples) with their ground truth.

Usage: .venv/bin/python -m vision.synth.samples resources/samples
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import cv2

from vision.synth.gauge import make_gauge
from vision.synth.register import make_register

# seeds chosen so that the set covers a gauge, a drum register, an LCD register and a rolling drum
SAMPLES = {"gauge.jpg": ("gauge", 2), "register_drum.jpg": ("register", 0),
           "register_lcd.jpg": ("register", 1), "register_rolling.jpg": ("register", 2)}


def write_samples(folder: Path) -> dict[str, dict]:
    """Write the sample JPEGs and truth.json into ``folder``; returns the truth."""
    folder.mkdir(parents=True, exist_ok=True)
    truth: dict[str, dict] = {}
    for name, (kind, seed) in SAMPLES.items():
        if kind == "gauge":
            img, t = make_gauge(seed, "clear")
            truth[name] = {"kind": "dial", "value": t.value, "value_range": list(t.value_range), "unit": t.unit}
        else:
            img, r = make_register(seed, "clear" if seed != 2 else "degraded")
            truth[name] = {"kind": "register", "value": r.value, "value_upper": r.value_upper, "rolling": r.rolling,
                           "style": r.style}
        cv2.imwrite(str(folder / name), img, [cv2.IMWRITE_JPEG_QUALITY, 92])
    (folder / "truth.json").write_text(json.dumps(truth, indent=2) + "\n", encoding="utf-8")
    return truth


if __name__ == "__main__":
    write_samples(Path(sys.argv[1] if len(sys.argv) > 1 else "resources/samples"))

"""RapidOCR recognition on tight crops (no detection pass), filtered to digits."""

from __future__ import annotations

import threading

import numpy as np


class DigitOCR:
    """Loads rapidocr-onnxruntime's shipped recogniser once; ``read`` returns (text, score)."""

    def __init__(self) -> None:
        from rapidocr_onnxruntime import RapidOCR

        self._engine = RapidOCR()
        self._lock = threading.Lock()

    def read_text(self, crop: np.ndarray) -> tuple[str, float]:
        """Raw recognised text of a crop and its mean confidence ('' and 0 if nothing)."""
        if crop is None or crop.size == 0 or min(crop.shape[:2]) < 4:
            return "", 0.0
        with self._lock:
            res, _ = self._engine(crop, use_det=False, use_cls=False, use_rec=True)
        if not res:
            return "", 0.0
        return str(res[0][0]), float(res[0][1])

    def read_number(self, crop: np.ndarray) -> tuple[str, float]:
        """Text kept to digits and one decimal point."""
        text, score = self.read_text(crop)
        out = "".join(ch for ch in text.replace(",", ".") if ch.isdigit() or ch == ".")
        if out.count(".") > 1:
            head, _, tail = out.rpartition(".")
            out = head.replace(".", "") + "." + tail
        return out, score

"""Upload checks: image type by content, decompression-bomb guard, EXIF stripped by re-encoding."""

from __future__ import annotations

import struct

MAX_PIXELS = 40_000_000


class ImageRejected(ValueError):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code = status, code


def _dims(data: bytes) -> tuple[str, int, int]:
    if data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) >= 24:
        w, h = struct.unpack(">II", data[16:24])
        return "png", w, h
    if data[:3] == b"\xff\xd8\xff":
        i = 2
        while i + 9 < len(data):
            if data[i] != 0xFF:
                i += 1
                continue
            marker = data[i + 1]
            if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
                i += 2
                continue
            seg = struct.unpack(">H", data[i + 2:i + 4])[0]
            if marker in (0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF):
                h, w = struct.unpack(">HH", data[i + 5:i + 9])
                return "jpeg", w, h
            i += 2 + seg
        raise ImageRejected(415, "bad_image", "JPEG without a frame header")
    raise ImageRejected(415, "unsupported_media_type", "upload is not a JPEG or PNG image")


def decode_upload(data: bytes):  # noqa: ANN201 - returns numpy array
    """Check the bytes and decode; returns a BGR array. Raises :class:`ImageRejected`."""
    import cv2
    import numpy as np

    kind, w, h = _dims(data)
    if w == 0 or h == 0 or w * h > MAX_PIXELS:
        raise ImageRejected(413, "image_too_large", f"{kind} of {w}x{h} pixels exceeds {MAX_PIXELS} pixels")
    img = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    if img is None:
        raise ImageRejected(415, "bad_image", f"{kind} data cannot be decoded")
    return img


def reencode_jpeg(img) -> bytes:  # noqa: ANN001
    """Re-encode (drops EXIF and any other metadata)."""
    import cv2

    ok, buf = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, 88])
    if not ok:
        raise ImageRejected(415, "bad_image", "image cannot be re-encoded")
    return buf.tobytes()

"""Chinese printing on generated meter faces, rendered with PIL and the project's CJK font.

OpenCV's Hershey fonts have no CJK glyphs. Pillow (installed with rapidocr-onnxruntime) draws
``resources/fonts/DroidSansFallbackFull.ttf`` (Apache 2.0), the font the UI and the PDFs use.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np

FONT = Path(__file__).resolve().parents[2] / "resources" / "fonts" / "DroidSansFallbackFull.ttf"


@lru_cache(maxsize=8)
def _font(px: int):  # noqa: ANN202 - PIL type
    from PIL import ImageFont

    if not FONT.is_file():
        raise FileNotFoundError(f"CJK font missing: {FONT}")
    # BASIC layout: the fallback font has no Latin glyphs for raqm to shape around
    return ImageFont.truetype(str(FONT), px, layout_engine=ImageFont.Layout.BASIC)


def draw_cjk(card: np.ndarray, text: str, centre: tuple[int, int], px: int, colour: tuple[int, int, int]) -> None:
    """Draw ``text`` (CJK only) centred at ``centre`` on the BGR ``card`` in place."""
    from PIL import Image, ImageDraw

    f = _font(px)
    x0, y0, x1, y1 = f.getbbox(text)
    w, h = x1 - x0, y1 - y0
    mask = Image.new("L", (w + 4, h + 4), 0)
    ImageDraw.Draw(mask).text((2 - x0, 2 - y0), text, font=f, fill=255)
    m = np.asarray(mask, np.float32)[..., None] / 255.0
    cx, cy = centre
    ox, oy = cx - (w + 4) // 2, cy - (h + 4) // 2
    H, W = card.shape[:2]
    ya, yb, xa, xb = max(0, oy), min(H, oy + m.shape[0]), max(0, ox), min(W, ox + m.shape[1])
    if ya >= yb or xa >= xb:
        return
    mm = m[ya - oy : yb - oy, xa - ox : xb - ox]
    region = card[ya:yb, xa:xb].astype(np.float32)
    card[ya:yb, xa:xb] = (region * (1 - mm) + np.array(colour, np.float32) * mm).astype(np.uint8)

"""Evidence photos in a PDF: a two-column grid of images scaled to fit, each with a numbered caption."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Image, Table, TableStyle

from anran_desktop.reports.pdfbase import para, styles

MAX_H = 62 * mm  # two rows of photos and their captions fit on one A4 page


class _Photo(Protocol):
    path: Path
    caption: str


def fitted_image(path: Path, max_w: float, max_h: float = MAX_H) -> Image:
    """``path`` as a flowable scaled (aspect kept) to fit ``max_w`` × ``max_h`` points."""
    from PIL import Image as PILImage

    with PILImage.open(path) as im:
        w, h = im.size
    k = min(max_w / w, max_h / h)
    return Image(str(path), width=w * k, height=h * k)


def photo_grid(photos: list[_Photo], width: float, cols: int = 2) -> Table:
    """A table of ``photos`` (图 1, 图 2 … with captions); a missing or unreadable file is named, not skipped."""
    st = styles()
    cell_w = width / cols
    cells = []
    for i, p in enumerate(photos, 1):
        caption = para(f"图 {i}  {p.caption}", st["cell"])
        try:
            img = fitted_image(Path(p.path), cell_w - 6 * mm)
        except (OSError, ValueError) as exc:
            cells.append([para(f"（照片无法读取：{Path(p.path).name}，{type(exc).__name__}）", st["cell"]), caption])
        else:
            cells.append([img, caption])
    rows = []
    for k in range(0, len(cells), cols):
        chunk = cells[k : k + cols] + [["", ""]] * (cols - len(cells[k : k + cols]))
        rows.append([c[0] for c in chunk])
        rows.append([c[1] for c in chunk])
    t = Table(rows, colWidths=[cell_w] * cols)
    t.setStyle(TableStyle([("ALIGN", (0, 0), (-1, -1), "CENTER"), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                           ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                           *[("LINEBELOW", (0, r), (-1, r), 0.3, colors.HexColor("#c0c8d4"))
                             for r in range(1, len(rows), 2)]]))
    return t

"""Shared PDF plumbing: CJK font registration, styles, A4 page frame with "第 N 页 / 共 M 页"."""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

from anran_desktop.resources import cjk_font_path

FONT = "AnRanCJK"
#: The bundled CJK font has no Latin letters or digits; those are set in reportlab's own Vera (embedded too).
LATIN = "AnRanLatin"


def register_font() -> str:
    """Register the bundled CJK TrueType font (and Vera for Latin runs) once; glyphs get embedded."""
    if FONT not in pdfmetrics.getRegisteredFontNames():
        import reportlab

        pdfmetrics.registerFont(TTFont(FONT, str(cjk_font_path())))
        vera = Path(reportlab.__file__).parent / "fonts" / "Vera.ttf"
        pdfmetrics.registerFont(TTFont(LATIN, str(vera)))
    return FONT


#: Stand-ins for symbols neither embedded font has (they would print as empty boxes).
SUBSTITUTES = {"→": "->", "←": "<-", "↑": "^", "↓": "v", "✓": "√", "✔": "√", "✗": "×", "✘": "×"}


def runs(text: str) -> list[tuple[str, str]]:
    """Split ``text`` into (font name, chunk) runs: Latin font where it has the glyph, CJK font otherwise."""
    register_font()
    latin = pdfmetrics.getFont(LATIN).face.charToGlyph
    out: list[tuple[str, str]] = []
    for ch in "".join(SUBSTITUTES.get(c, c) for c in text):
        f = LATIN if ord(ch) in latin else FONT
        if out and out[-1][0] == f:
            out[-1] = (f, out[-1][1] + ch)
        else:
            out.append((f, ch))
    return out


def mix(text: str) -> str:
    """Paragraph markup for ``text`` with each run in the font that has its glyphs."""
    return "".join(f'<font name="{f}">{escape(c)}</font>' for f, c in runs(str(text)))


def mixed_width(text: str, size: float) -> float:
    return sum(pdfmetrics.stringWidth(c, f, size) for f, c in runs(text))


def draw_mixed(canv, x: float, y: float, text: str, size: float, anchor: str = "start") -> None:  # noqa: ANN001
    """Draw ``text`` on a canvas, switching fonts per run; anchor start|middle|end."""
    w = mixed_width(text, size)
    x -= {"start": 0, "middle": w / 2, "end": w}[anchor]
    for f, c in runs(text):
        canv.setFont(f, size)
        canv.drawString(x, y, c)
        x += pdfmetrics.stringWidth(c, f, size)


def styles() -> dict[str, ParagraphStyle]:
    register_font()
    return {
        "title": ParagraphStyle("title", fontName=FONT, fontSize=18, leading=24, alignment=1, spaceAfter=4),
        "sub": ParagraphStyle("sub", fontName=FONT, fontSize=9, leading=12, alignment=1, textColor=colors.grey),
        "h2": ParagraphStyle("h2", fontName=FONT, fontSize=12.5, leading=17, spaceBefore=8, spaceAfter=4,
                             textColor=colors.HexColor("#1f3b63")),
        # CJK line breaking: ids and Latin words stay whole (the default split "P084" as "P08" / "4" where
        # a list of pipes had no space), and closing punctuation never starts a line ("（北京时间" / "）")
        "body": ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=13.5, wordWrap="CJK"),
        "cell": ParagraphStyle("cell", fontName=FONT, fontSize=8.5, leading=11, wordWrap="CJK"),
    }


def table(rows: list[list[str]], widths: list[float], header: bool = True,
          spans: tuple[tuple[tuple[int, int], tuple[int, int]], ...] = ()) -> Table:
    """``spans``: ((col, row), (col, row)) corners of cells merged into one (their first cell's text)."""
    st = styles()["cell"]
    data = [[Paragraph(mix(c), st) for c in r] for r in rows]
    t = Table(data, colWidths=widths, repeatRows=1 if header else 0)
    cmds = [("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#8a96a8")),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]
    cmds += [("SPAN", a, b) for a, b in spans]
    if header:
        cmds.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dfe6f0")))
    t.setStyle(TableStyle(cmds))
    return t


def numbered_canvas(site: str, title: str):  # noqa: ANN201
    """A canvas class that writes the running header and "第 N 页 / 共 M 页" once the total is known."""

    class _Canvas(rl_canvas.Canvas):
        def __init__(self, *a, **k) -> None:  # noqa: ANN002, ANN003
            super().__init__(*a, **k)
            self._pages: list[dict] = []

        def showPage(self) -> None:  # noqa: N802
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for i, state in enumerate(self._pages, 1):
                self.__dict__.update(state)
                w, h = A4
                self.setFillColor(colors.grey)
                self.setStrokeColor(colors.grey)
                draw_mixed(self, 18 * mm, h - 12 * mm, f"安燃云 · {site}", 8)
                draw_mixed(self, w - 18 * mm, h - 12 * mm, title, 8, "end")
                self.line(18 * mm, h - 13.5 * mm, w - 18 * mm, h - 13.5 * mm)
                draw_mixed(self, w / 2, 10 * mm, f"第 {i} 页 / 共 {total} 页", 8, "middle")
                super().showPage()
            super().save()

    return _Canvas


def build(path: str, story: list, site: str, title: str) -> None:
    """Write ``story`` to ``path`` as an A4 PDF with header and page numbers."""
    register_font()
    doc = SimpleDocTemplate(str(path), pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=20 * mm,
                            bottomMargin=18 * mm, title=title, author="安燃云 AnRan")
    doc.build(story, canvasmaker=numbered_canvas(site, title))


def para(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph whose Latin and CJK runs each use a font that has their glyphs."""
    return Paragraph(mix(text), style)

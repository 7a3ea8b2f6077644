"""A list whose items wrap to the list's width and are as tall as their wrapped text.

QListWidget's own estimate of a word-wrapped item is made before the width is known and cut the last line
off long titles (or, with a fixed size hint, scrolled them sideways). :class:`WrappingList` sets each item's
height from its text at the present width, again whenever the list is resized or ``fit_items`` is called
after items were added."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QListWidget, QStyle, QStyleOptionViewItem


class WrappingList(QListWidget):
    def __init__(self, parent=None, *, inset_px: int = 0, min_height_px: int = 0) -> None:  # noqa: ANN001
        """``inset_px``: the style sheet's item padding plus border on each side, which the style adds to the
        height it measures but does not take off the width it wraps to; ``min_height_px``: the style sheet's
        item min-height."""
        super().__init__(parent)
        self.inset_px, self.min_height_px = inset_px, min_height_px
        self.setWordWrap(True)
        self.setUniformItemSizes(False)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.setTextElideMode(Qt.TextElideMode.ElideNone)

    def fit_items(self) -> None:
        """Give every item the height its wrapped text needs at the list's present width."""
        self.ensurePolished()  # a style sheet's font-size is the widget's font only once polished
        width = max(self.viewport().width() - 2 * self.spacing(), 60)
        opt = QStyleOptionViewItem()
        self.initViewItemOption(opt)
        margin = self.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, self) + 1
        fm = QFontMetrics(self.font())
        for i in range(self.count()):
            item = self.item(i)
            icon = opt.decorationSize if item.data(Qt.ItemDataRole.DecorationRole) is not None else QSize(0, 0)
            # What the style leaves the text: the item less padding and border, the decoration and the text
            # margins on both sides of it.
            text_w = max(width - 2 * self.inset_px - icon.width() - (4 if icon.width() else 2) * margin - 2, 40)
            text = fm.boundingRect(QRect(0, 0, text_w, 100_000), int(Qt.TextFlag.TextWordWrap), item.text())
            height = max(text.height(), icon.height()) + 2 * self.inset_px + 2 * margin
            item.setSizeHint(QSize(width, max(height, self.min_height_px)))

    def resizeEvent(self, event) -> None:  # noqa: ANN001, N802
        super().resizeEvent(event)
        self.fit_items()

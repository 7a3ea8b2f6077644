"""The dispatch window on a 1366 × 768 screen: plot titles and the map key must not run into each other."""

from PySide6.QtCore import QRectF
from PySide6.QtGui import QFontMetrics


def _visible_title_fits(plot) -> bool:
    axis = plot.getAxis("left")
    return QFontMetrics(axis.label.font()).horizontalAdvance(axis.labelText) <= plot.vb.height()


def test_short_plots_show_the_unit_on_the_axis_and_the_name_in_the_corner(qtbot):
    from widgets.curves import CurvesPanel

    panel = CurvesPanel()
    qtbot.addWidget(panel)
    plots = (panel.pressure_plot, panel.flow_plot, panel.residual_plot)
    panel.resize(900, 900)
    panel.show()
    qtbot.waitUntil(lambda: panel.residual_plot.vb.height() > 200)
    assert [panel.axis_title(p) for p in plots] == ["压力 (kPa)", "流量 (m³/h)", "模型残差 (kPa)"]
    assert not any(panel._corner_titles[p].isVisible() for p in plots)

    panel.resize(900, 260)  # the curves tab of the dispatch window at 1366 × 768
    qtbot.waitUntil(lambda: panel.residual_plot.vb.height() < 100)
    assert [p.getAxis("left").labelText for p in plots] == ["kPa", "m³/h", "kPa"]
    assert all(_visible_title_fits(p) for p in plots)
    # Nothing is lost: the name moved to the plot's corner.
    assert [panel.axis_title(p) for p in plots] == ["压力 (kPa)", "流量 (m³/h)", "模型残差 (kPa)"]
    corner = panel._corner_titles[panel.residual_plot]
    assert corner.isVisible()
    assert corner.mapRectToItem(panel.residual_plot.vb, corner.boundingRect()).right() <= (
        panel.residual_plot.vb.width() + 1)

    panel.resize(900, 900)  # back on a tall screen: the full title again
    qtbot.waitUntil(lambda: panel.residual_plot.vb.height() > 200)
    assert panel.residual_plot.getAxis("left").labelText == "模型残差 (kPa)"
    assert not corner.isVisible()


def test_the_map_key_wraps_in_a_narrow_view_and_the_fitted_map_stays_above_it(qtbot, demo_db):
    from anran_desktop.services.network import NetworkService
    from widgets.canvas import TopologyCanvas

    _p, store, _net = demo_db
    canvas = TopologyCanvas()
    qtbot.addWidget(canvas)
    canvas.resize(1800, 600)
    canvas.set_network(NetworkService(store).view())
    key_text = " &nbsp; ".join(f"<span style='white-space:nowrap'>● entry number {i}</span>" for i in range(9))
    canvas.set_overlay_text(key_text)
    canvas.show()
    key = canvas._key_label
    one_line = key.height()
    assert key.width() < 1700  # one line in a wide view

    canvas.resize(420, 600)
    qtbot.waitUntil(lambda: canvas.viewport().width() < 430)
    assert key.width() <= canvas.viewport().width() - 16
    assert key.height() >= 2 * one_line - 4  # wrapped onto more lines, not cut off
    assert key.geometry().bottom() <= canvas.viewport().height()
    # The fitted network sits above the key: the scene's items end above the key's top edge.
    items = canvas.mapFromScene(canvas.scene().itemsBoundingRect()).boundingRect()
    assert QRectF(items).bottom() <= key.geometry().top() + 2
    assert items.top() >= -2

    # Focusing on an alarm's interval (its pipes at the network's lower edge) keeps them clear of the key too.
    lowest = min(canvas._pipes, key=lambda p: min(y for _x, y in p.xy))  # y is north: the southernmost pipe
    canvas.focus_on([lowest.id])
    ys = [canvas.mapFromScene(x, y).y() for x, y in lowest.xy]
    assert max(ys) <= key.geometry().top() + 2
    # The view scrolled to get there; the key stays in its corner (the viewport's scroll used to carry it off).
    assert key.geometry().left() == 8
    assert key.geometry().bottom() == canvas.viewport().height() - 9
    canvas.zoom(2.0)
    canvas.horizontalScrollBar().setValue(canvas.horizontalScrollBar().maximum())
    assert key.geometry().left() == 8 and key.geometry().bottom() == canvas.viewport().height() - 9


def _card(tid: str, title: str):
    from types import SimpleNamespace

    return SimpleNamespace(id=tid, title=title, kind="leak", status="alarm", column="pending", priority=1,
                           assignee="crew01", is_drill=False)


def _text_fits(col, item) -> bool:
    """The style's own text rectangle of the card holds every wrapped line of its text."""
    from PySide6.QtCore import QRect, Qt
    from PySide6.QtGui import QFontMetrics
    from PySide6.QtWidgets import QStyle, QStyleOptionViewItem

    opt = QStyleOptionViewItem()
    col.initViewItemOption(opt)
    index = col.indexFromItem(item)
    col.itemDelegate().initStyleOption(opt, index)
    opt.rect = col.visualItemRect(item)
    text_rect = col.style().subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, col)
    need = QFontMetrics(col.font()).boundingRect(QRect(0, 0, text_rect.width(), 100_000),
                                                 int(Qt.TextFlag.TextWordWrap), item.text())
    return need.height() <= text_rect.height() + 1


def test_ticket_cards_wrap_to_a_narrow_column_and_lose_no_line(qtbot):
    from PySide6.QtCore import Qt

    from widgets.ticket_board import TicketBoard

    board = TicketBoard()
    qtbot.addWidget(board)
    board.resize(420, 500)  # the board beside the ticket detail on a 1366 × 768 screen, or narrower
    board.show()
    board.set_cards([_card("T-20261202-0001", "南区 S4 压降异常，疑似泄漏 DN100 管段"),
                     _card("T-20261202-0002", "居民报告燃气异味 · 北区 3 栋 2 单元")])
    col = board.columns["pending"]
    qtbot.waitUntil(lambda: col.viewport().width() < 140)
    assert col.horizontalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAlwaysOff
    narrow = [col.item(i).sizeHint().height() for i in range(col.count())]
    for i in range(col.count()):
        assert col.visualItemRect(col.item(i)).right() <= col.viewport().width()
        assert _text_fits(col, col.item(i)), col.item(i).text()

    board.resize(1500, 500)
    qtbot.waitUntil(lambda: col.viewport().width() > 400)
    wide = [col.item(i).sizeHint().height() for i in range(col.count())]
    assert all(w < n for w, n in zip(wide, narrow, strict=True))  # fewer wrapped lines, shorter cards
    assert all(_text_fits(col, col.item(i)) for i in range(col.count()))


def test_ticket_detail_fits_beside_the_board_on_a_1366_screen(qtbot):
    from widgets.ticket_detail import TicketDetailPanel

    panel = TicketDetailPanel()
    qtbot.addWidget(panel)
    # Its six evidence buttons sit in two rows: one row of six held the panel at ≥ 560 px, which squeezed
    # the three card columns to about 130 px each.
    assert panel.minimumSizeHint().width() <= 360

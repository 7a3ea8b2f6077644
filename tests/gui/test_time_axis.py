"""The curves' time axis shows local time in numbers only (no English weekday names in a Chinese UI)."""

import datetime as dt


def test_time_axis_labels_are_local_numbers(qtbot):
    from widgets.curves import CurvesPanel, LocalTimeAxis

    w = CurvesPanel()
    qtbot.addWidget(w)
    assert isinstance(w.pressure_plot.getAxis("bottom"), LocalTimeAxis)
    axis = w.pressure_plot.getAxis("bottom")
    midnight = dt.datetime(2026, 12, 2, 0, 0).timestamp()  # local midnight
    noon = dt.datetime(2026, 12, 2, 12, 5).timestamp()
    assert axis.tickStrings([midnight, noon], 1.0, 300) == ["12-02", "12:05"]
    assert axis.tickStrings([noon + 7], 1.0, 10) == ["12:05:07"]
    assert axis.tickStrings([noon], 1.0, 86400) == ["12-02"]
    assert axis.tickStrings([noon], 1.0, 30 * 86400) == ["2026-12"]


def test_an_empty_plot_shows_no_1970_dates(qtbot):
    """With no data pyqtgraph's default range is 0–1 s after 1970: those ticks get no label, not "01-01"."""
    from widgets.curves import CurvesPanel

    w = CurvesPanel()
    qtbot.addWidget(w)
    axis = w.pressure_plot.getAxis("bottom")
    assert axis.tickStrings([0.0, 0.2, 0.4], 1.0, 0.2) == ["", "", ""]
    noon = dt.datetime(2026, 12, 2, 12, 5).timestamp()
    assert axis.tickStrings([noon], 1.0, 300) == ["12:05"]

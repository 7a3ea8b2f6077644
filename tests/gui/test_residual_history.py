"""Selecting points fills the 模型残差 panel with the residuals of their stored history (computed on a worker),
not only with those of model solves since the window opened."""

import numpy as np


def _points(curves, point):
    """Residual points held for ``point`` (the whole series, not the downsampled view)."""
    item = curves.residuals.get(point)
    return 0 if item is None else len(item.getOriginalDataset()[0])


def test_selected_points_show_the_residuals_of_their_history(window, qtbot, demo_db):
    _path, store, _network = demo_db
    window.plot_sensors(["PT-04", "FT-IN"])
    curves = window.curves
    qtbot.waitUntil(lambda: _points(curves, "PT-04") > 10, timeout=20_000)
    t, r = curves.residuals["PT-04"].getOriginalDataset()
    st, sv = window.svc.telemetry.series("PT-04", t[0] - 1, t[-1] + 1)
    assert "FT-IN" not in curves.residuals  # a flow meter has no pressure residual
    assert t[-1] - t[0] > 0.9 * 3600  # the demo database holds one hour of history
    assert len(t) >= 0.9 * len(st)
    assert np.all(np.isfinite(r)) and np.all(np.abs(r) < 1.0)  # a sensor bias of tenths of a kPa, no leak
    # Measured − residual is the no-leak model at the metered inflow: lower the more gas flows in, at any hour
    # of the history (a morning ramp or a flat night, where only the meter's noise moves it).
    ft, fv = window.svc.telemetry.series("FT-IN", t[0] - 60, t[-1] + 60)
    model = np.interp(t, st, sv) - r
    assert np.ptp(model) > 0 and np.corrcoef(model, np.interp(t, ft, fv))[0, 1] < -0.9


def test_a_newer_selection_is_not_overwritten_by_an_older_history(window, qtbot):
    window.plot_sensors(["PT-04"])
    window.plot_sensors(["PT-05"])
    curves = window.curves
    qtbot.waitUntil(lambda: _points(curves, "PT-05") > 10, timeout=20_000)
    qtbot.wait(200)
    assert "PT-04" not in curves.residuals and "PT-04" not in window._residual_hist


def test_live_residuals_extend_the_history_without_losing_it(qtbot):
    """A live model solve appends to the whole residual series, not to its downsampled view (a day at 1 Hz
    on a plot a few hundred pixels wide is drawn from a few thousand points)."""
    from widgets.curves import CurvesPanel

    curves = CurvesPanel()
    qtbot.addWidget(curves)
    curves.resize(400, 300)
    curves.show()
    t = 1.8e9 + np.arange(86_400.0)
    curves.set_series("PT-04", "PT-04", "pressure_kpa", t, np.full(len(t), 150.0))
    curves.set_residual("PT-04", t, np.sin(t / 600.0) * 0.05)
    qtbot.wait(50)
    assert len(curves.residuals["PT-04"].getData()[0]) < len(t)  # the view is downsampled
    curves.append_residual("PT-04", t[-1] + 1, -0.01)
    x, y = curves.residuals["PT-04"].getOriginalDataset()
    assert len(x) == len(t) + 1 and x[-1] == t[-1] + 1 and y[-1] == -0.01
    assert x[0] == t[0]

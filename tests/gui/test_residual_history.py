"""Selecting points fills the 模型残差 panel with the residuals of their stored history (computed on a worker),
not only with those of model solves since the window opened."""

import numpy as np


def test_selected_points_show_the_residuals_of_their_history(window, qtbot, demo_db):
    _path, store, _network = demo_db
    window.plot_sensors(["PT-04", "FT-IN"])
    curves = window.curves
    qtbot.waitUntil(lambda: "PT-04" in curves.residuals and len(curves.residuals["PT-04"].getData()[0]) > 10,
                    timeout=20_000)
    t, r = curves.residuals["PT-04"].getData()
    st, sv = window.svc.telemetry.series("PT-04", t[0] - 1, t[-1] + 1)
    assert "FT-IN" not in curves.residuals  # a flow meter has no pressure residual
    assert t[-1] - t[0] > 0.9 * 3600  # the demo database holds one hour of history
    assert len(t) >= 0.9 * len(st)
    assert np.all(np.isfinite(r)) and np.all(np.abs(r) < 1.0)  # a sensor bias of tenths of a kPa, no leak
    # Measured − model: the residual moves with the reading at (nearly) constant inflow.
    assert np.corrcoef(np.interp(t, st, sv), r)[0, 1] > 0.5


def test_a_newer_selection_is_not_overwritten_by_an_older_history(window, qtbot):
    window.plot_sensors(["PT-04"])
    window.plot_sensors(["PT-05"])
    curves = window.curves
    qtbot.waitUntil(lambda: "PT-05" in curves.residuals and len(curves.residuals["PT-05"].getData()[0]) > 10,
                    timeout=20_000)
    qtbot.wait(200)
    assert "PT-04" not in curves.residuals and "PT-04" not in window._residual_hist

"""The curves panel: one colour key above the three plots (a legend inside a short plot hid the first
third of its curves) and a break in a curve where there is no data (the app closed for an hour drew a
straight line across it)."""

from __future__ import annotations

import numpy as np

from widgets.curves import CurvesPanel, with_gaps


def test_a_gap_in_the_data_breaks_the_curve_and_regular_data_does_not():
    t = np.r_[np.arange(0, 600, 1.0), np.arange(4200, 4800, 1.0)]  # 1 Hz, an hour missing
    v = np.ones_like(t)
    gt, gv = with_gaps(t, v)
    assert len(gt) == len(t) + 1 and np.isnan(gv).sum() == 1 and 599 < gt[np.isnan(gv)][0] < 4200
    assert np.all(np.diff(gt) > 0)  # still in time order
    logger = np.arange(0, 86400, 900.0)  # a 15-minute logger: its spacing is no gap
    assert len(with_gaps(logger, np.ones_like(logger))[0]) == len(logger)
    minute = np.r_[np.arange(0, 3600, 60.0), np.arange(3600, 3700, 1.0)]  # minute means, then live 1 Hz
    assert len(with_gaps(minute, np.ones_like(minute))[0]) == len(minute)


def test_one_key_names_every_series_in_its_colour(qtbot):
    c = CurvesPanel()
    qtbot.addWidget(c)
    assert not c.key.isVisibleTo(c)
    t = np.arange(0, 100, 1.0) + 1.7e9
    c.set_series("PT-04", "PT-04 南区 S4 前压力", "pressure_kpa", t, np.full(100, 149.8))
    c.set_series("FT-IN", "FT-IN 进站流量计", "flow_m3h", t, np.full(100, 200.0))
    c.set_residual("PT-04", t, np.zeros(100))
    c.set_residual("PT-09", t, np.zeros(100))  # a residual without a curve of its own
    assert [label for _c, label in c.key_entries()] == ["PT-04 南区 S4 前压力", "FT-IN 进站流量计", "PT-09"]
    assert c.key.isVisibleTo(c) and "PT-04 南区 S4 前压力" in c.key.text()
    assert c.series["PT-04"].colour in c.key.text()
    assert all(p.legend is None for p in (c.pressure_plot, c.flow_plot, c.residual_plot))
    c.remove_series("PT-04")
    assert [label for _c, label in c.key_entries()] == ["FT-IN 进站流量计", "PT-09"]
    c.append_residual("PT-09", t[-1] + 3600, 0.1)  # an hour later: the residual curve breaks
    x, y = c.residuals["PT-09"].getOriginalDataset()
    assert len(x) == 102 and np.isnan(y).sum() == 1

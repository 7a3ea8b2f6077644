"""Screenshot mode waits for the first live sample to be solved, so the pressure legend shows the kPa
scale; without data it says it waits, and while the solve runs it says so."""

import asyncio

import qasync


def _run(qapp, coro):  # noqa: ANN001
    loop = qasync.QEventLoop(qapp)
    asyncio.set_event_loop(loop)
    try:
        with loop:
            return loop.run_until_complete(coro)
    finally:
        asyncio.set_event_loop(None)


def test_legend_waits_then_solves_then_shows_the_scale(window, qapp):
    from anran_desktop.ui.screenshot import settle

    assert window.legend.text() == "压力 kPa：等待实时数据…"
    assert _run(qapp, settle(window, timeout_s=0.5)) is False  # no live sample: nothing to solve
    assert window.legend.text() == "压力 kPa：等待实时数据…"
    inlet = next(s for s in window.view.sensors if s.quantity == "flow_m3h")
    window._latest[inlet.id] = window.svc.network_model.total_demand_m3h
    window.update_model()
    assert window.legend.text() == "压力 kPa：已收到实时数据，正在求解管网模型…"
    assert _run(qapp, settle(window, timeout_s=30)) is True
    text = window.legend.text()
    assert "等待" not in text and "求解" not in text and "kPa" in text and "<span" in text
    window.grab().save("/tmp/c/settled.png")

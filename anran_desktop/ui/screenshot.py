"""Screenshot mode: before the picture is taken, wait until the first live inlet-flow sample has been solved
into the pressure colours, so the legend shows the kPa scale instead of 等待实时数据 (bounded by a timeout;
if no data came, the legend rightly still says it is waiting)."""

from __future__ import annotations

import asyncio
import time


async def settle(window, timeout_s: float = 20.0) -> bool:  # noqa: ANN001 - the MainWindow
    """True once the window has a model result; runs ``update_model`` as soon as a live sample allows it."""
    end = time.monotonic() + timeout_s
    while time.monotonic() < end:
        if getattr(window, "_pipe_pressure", None):
            return True
        window.update_model()  # no-op while a solve runs or before the first inlet-flow sample
        await asyncio.sleep(0.1)
    return bool(getattr(window, "_pipe_pressure", None))

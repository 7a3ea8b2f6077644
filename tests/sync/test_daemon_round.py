"""A sync round's worker thread never calls into the GUI's event loop (``anran_desktop/ui/daemon_round.py``).

CI once crashed (a segmentation fault) when a crew sync round finished while the test's qasync loop was being
closed: the worker's ``call_soon_threadsafe`` emitted qasync's Qt signal from a Python thread as the main
thread disconnected it. The GUI side now polls the round instead; these tests hold that line on a loop that
records every call into it from another thread.
"""

from __future__ import annotations

import asyncio
import threading

from anran_desktop.ui.daemon_round import DaemonRound


class _RecordingLoop(asyncio.SelectorEventLoop):
    def __init__(self) -> None:
        super().__init__()
        self.from_threads: list[str] = []

    def call_soon_threadsafe(self, callback, *args, context=None):  # noqa: ANN001, ANN201
        if threading.current_thread() is not threading.main_thread():
            self.from_threads.append(threading.current_thread().name)
        return super().call_soon_threadsafe(callback, *args, context=context)


def _run(loop: asyncio.AbstractEventLoop, coro) -> object:  # noqa: ANN001
    asyncio.set_event_loop(loop)
    try:
        return loop.run_until_complete(coro)
    finally:
        asyncio.set_event_loop(None)


def test_a_round_returns_its_result_without_calling_into_the_loop() -> None:
    loop = _RecordingLoop()
    done: list[str] = []

    async def body() -> None:
        await asyncio.sleep(0.05)
        done.append("body")

    async def cleanup() -> None:
        done.append("cleanup")

    r: DaemonRound[str] = DaemonRound("test-round")
    try:
        assert _run(loop, r.run(body, cleanup, lambda: "state")) == "state"
    finally:
        loop.close()
    assert done == ["body", "cleanup"] and loop.from_threads == []


def test_a_round_ending_after_the_loop_closed_touches_nothing() -> None:
    """The app closes (or a failed test leaves) the loop while a round still waits; when the round then
    ends, its thread finishes quietly and nothing was called on the closed loop."""
    loop = _RecordingLoop()
    release, ended = threading.Event(), threading.Event()
    errors: list[BaseException] = []
    old_hook = threading.excepthook
    threading.excepthook = lambda args: errors.append(args.exc_value)  # type: ignore[assignment]

    async def body() -> None:
        while not release.is_set():
            await asyncio.sleep(0.01)

    async def cleanup() -> None:
        ended.set()

    r: DaemonRound[int] = DaemonRound("test-round-late")

    async def main() -> None:
        task = asyncio.get_running_loop().create_task(r.run(body, cleanup, lambda: 1))
        await asyncio.sleep(0.1)
        assert not task.done()  # left pending, as by a test that failed before stop()

    try:
        _run(loop, main())
        loop.close()
        release.set()
        assert ended.wait(5), "the round did not end"
        for t in threading.enumerate():
            if t.name == "test-round-late":
                t.join(5)
        assert not any(t.name == "test-round-late" and t.is_alive() for t in threading.enumerate())
    finally:
        threading.excepthook = old_hook
    assert errors == [] and loop.from_threads == []


def test_cancel_cuts_a_round_off_at_its_next_await() -> None:
    loop = _RecordingLoop()
    started = threading.Event()
    cleaned: list[bool] = []

    async def body() -> None:
        started.set()
        await asyncio.sleep(30)  # a relay that never answers

    async def cleanup() -> None:
        cleaned.append(True)

    r: DaemonRound[int] = DaemonRound("test-round-cancel")

    async def main() -> int | None:
        task = asyncio.get_running_loop().create_task(r.run(body, cleanup, lambda: 1))
        while not started.is_set():
            await asyncio.sleep(0.01)
        r.cancel()
        return await asyncio.wait_for(task, 5)

    try:
        assert _run(loop, main()) is None
    finally:
        loop.close()
    assert cleaned == [True] and r.closing
    # no round starts once cancelled
    loop2 = _RecordingLoop()
    try:
        assert _run(loop2, r.run(body, cleanup, lambda: 1)) is None
    finally:
        loop2.close()

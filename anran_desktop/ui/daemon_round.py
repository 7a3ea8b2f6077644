"""One sync round in a daemon worker thread with an event loop of its own, awaited from the qasync loop.

Both relay loops of ``anran app`` (the dispatch desktop's :class:`~anran_desktop.ui.sync_status.SyncController`
and the crew laptop's :class:`~anran_desktop.ui.crew_sync.CrewSyncController`) use :class:`DaemonRound`:

* the round runs in a daemon thread (not the loop's executor, whose shutdown would wait for a round stuck
  on an unreachable relay), so neither network I/O nor SQLite blocks the GUI thread;
* the worker thread never calls into the qasync loop. The GUI side polls the round's future instead of
  being woken by ``call_soon_threadsafe``: a round that ends while the app is closing the loop would
  otherwise emit qasync's Qt signal while the main thread disconnects it, and that race crashed the
  process (a segmentation fault in CI, in the crew window test);
* :meth:`cancel` cuts a round in flight off at its next await (closing the app), through the worker's own
  plain asyncio loop.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import logging
import threading
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

T = TypeVar("T")
log = logging.getLogger(__name__)

POLL_S = 0.02  # how often the GUI side looks whether the round is over (cheap: one attribute read)


class DaemonRound(Generic[T]):
    """Runs ``await body()`` then ``after()`` in a fresh daemon thread per :meth:`run`; cancellable."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._lock = threading.Lock()
        self._closing = False
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task | None = None

    @property
    def closing(self) -> bool:
        return self._closing

    def cancel(self) -> None:
        """No further round starts; one in flight is cancelled at its next await."""
        with self._lock:
            self._closing = True
            loop, task = self._loop, self._task
        if loop is not None and task is not None:
            with contextlib.suppress(RuntimeError):  # the round's loop closed meanwhile
                loop.call_soon_threadsafe(task.cancel)

    def _in_thread(self, body: Callable[[], Awaitable[None]], cleanup: Callable[[], Awaitable[None]],
                   after: Callable[[], T]) -> T | None:
        async def once() -> T | None:
            with self._lock:
                if self._closing:
                    return None
                self._loop, self._task = asyncio.get_running_loop(), asyncio.current_task()
            try:
                await body()
            finally:
                with self._lock:
                    self._loop = self._task = None
                await cleanup()  # e.g. the HTTP pool, which belongs to this thread's loop
            return after()

        try:
            return asyncio.run(once())
        except asyncio.CancelledError:  # closing the app cut the round off
            return None

    async def run(self, body: Callable[[], Awaitable[None]], cleanup: Callable[[], Awaitable[None]],
                  after: Callable[[], T]) -> T | None:
        """One round; None when :meth:`cancel` stopped it. An exception of the round is raised here."""
        fut: concurrent.futures.Future = concurrent.futures.Future()

        def work() -> None:
            try:
                fut.set_result(self._in_thread(body, cleanup, after))
            except BaseException as exc:  # noqa: BLE001 - handed to the GUI side
                fut.set_exception(exc)

        threading.Thread(target=work, name=self.name, daemon=True).start()
        while not fut.done():
            await asyncio.sleep(POLL_S)
        return fut.result()


class RoundLoop(Generic[T]):
    """A relay loop on the qasync loop: ``_run()`` (the subclass's) awaits ``self._round.run(...)`` every
    ``interval_s`` seconds; :meth:`stop` cancels a round in flight and waits ``grace_s`` for the loop."""

    def __init__(self, interval_s: float, thread_name: str) -> None:
        self.interval_s = interval_s
        self._stop = asyncio.Event()
        self._task: asyncio.Task | None = None
        self.rounds = 0
        self._round: DaemonRound[T] = DaemonRound(thread_name)

    def start(self) -> asyncio.Task:
        """Start the loop on the running (qasync) event loop."""
        self._task = asyncio.get_running_loop().create_task(self._run())
        return self._task

    async def _run(self) -> None:
        raise NotImplementedError

    async def _pause(self) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stop.wait(), self.interval_s)

    async def stop(self, grace_s: float = 2.0) -> bool:
        """Stop the loop, cancelling a round in flight. True if it ended within ``grace_s`` (else abandoned:
        its daemon thread does not hold up the exit, and what it has not committed is simply not there)."""
        self._stop.set()
        self._round.cancel()
        if self._task is None:
            return True
        try:
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.wait_for(asyncio.shield(self._task), grace_s)
            return True
        except TimeoutError:
            log.warning("%s still running after %.1f s; abandoned at exit", self._round.name, grace_s)
            self._task.cancel()
            return False

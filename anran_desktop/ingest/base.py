"""The data-source contract every live or replayed feed implements.

A source yields *batches* of :class:`Sample`. Times are UTC POSIX seconds (floats); values are in the
project's units: ``pressure_kpa`` (gauge), ``flow_m3h`` (standard m³/h), ``temperature_c`` and so on.
``point`` is the stable string id of a sensor/meter point in the network (e.g. ``"PT-07"``).
"""

from __future__ import annotations

import abc
import enum
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field


class SampleFlag(enum.IntFlag):
    """How a value came to be. A filled value is never mistaken for a measured one."""

    MEASURED = 0
    INTERPOLATED = 1  # short gap, filled by interpolation
    MODEL = 2  # long gap, filled by the engine's estimate
    SUSPECT = 4  # failed a plausibility check but kept for the record
    DRILL = 8  # produced by a drill scenario, not the real network


@dataclass(frozen=True, slots=True)
class Sample:
    time: float
    point: str
    quantity: str
    value: float
    flags: SampleFlag = SampleFlag.MEASURED


class SourceState(enum.StrEnum):
    STOPPED = "stopped"
    CONNECTING = "connecting"
    RUNNING = "running"
    RECONNECTING = "reconnecting"
    FINISHED = "finished"  # a replay reached its end
    FAILED = "failed"  # gave up; ``SourceStatus.message`` says why


@dataclass(slots=True)
class SourceStatus:
    state: SourceState = SourceState.STOPPED
    message: str = ""
    samples_received: int = 0
    samples_rejected: int = 0
    last_sample_time: float | None = None
    reconnects: int = 0
    rejects_by_reason: dict[str, int] = field(default_factory=dict)


class DataSource(abc.ABC):
    """A live or replayed feed of samples.

    Usage::

        async with source:                 # start(); stop() on exit
            async for batch in source.batches():
                store.insert(batch)
    """

    #: Short machine name, e.g. ``"simulator"``, ``"csv"``, ``"mqtt"``.
    kind: str = "abstract"

    def __init__(self, name: str) -> None:
        self.name = name
        self.status = SourceStatus()

    @abc.abstractmethod
    async def start(self) -> None:
        """Connect / open. Must not block the event loop."""

    @abc.abstractmethod
    async def stop(self) -> None:
        """Disconnect and release resources. Idempotent."""

    @abc.abstractmethod
    def batches(self) -> AsyncIterator[list[Sample]]:
        """Yield batches of samples until stopped (or, for a replay, until the end)."""

    def describe(self, term: Callable[[str], str] = str) -> str:
        """One line for the status bar, e.g. ``"模拟器 · 星海花园 · 1 Hz"``. Words of the interface (the kind of
        source, such as 模拟器) go through ``term``, the UI's translation; names and addresses are data."""
        return f"{self.kind}:{self.name}"

    def status_line(self, state_name: Callable[[str], str] = str, term: Callable[[str], str] = str) -> str:
        """:meth:`describe` with the state, named by ``state_name`` (the UI passes its translations)."""
        return f"{self.describe(term)} · {state_name(self.status.state.value)}"

    async def __aenter__(self) -> DataSource:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

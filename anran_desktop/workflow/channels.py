"""Outbound channels behind one interface: the relay push now; SMS, phone, radio and remote valve
control as adapters a site plugs in. Every attempt is logged with its result via ``ChannelLog``."""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Message:
    """What to send: ``recipients`` are user ids, phone numbers or an area selector like ``area:A-NAN``."""

    kind: str  # notice | dispatch | valve_close | drill_invite
    text: str
    recipients: tuple[str, ...]
    ticket_id: str = ""


@dataclass(frozen=True)
class Attempt:
    channel: str
    time: float
    message: Message
    ok: bool
    detail: str
    delivered_to: tuple[str, ...] = ()


class ChannelError(RuntimeError):
    """The channel could not deliver; the message says why."""


class ChannelAdapter(ABC):
    """One outbound channel. ``send`` returns who it reached, or raises :class:`ChannelError`."""

    name: str = "channel"

    @abstractmethod
    def send(self, message: Message) -> tuple[str, ...]:
        """Deliver ``message``; return the recipients reached."""


@dataclass
class ChannelLog:
    """Records every attempt; ``sink`` (e.g. the audit log) is called with each one as well."""

    attempts: list[Attempt] = field(default_factory=list)
    sink: Callable[[Attempt], None] | None = None
    clock: Callable[[], float] = time.time

    def send(self, adapter: ChannelAdapter, message: Message) -> Attempt:
        try:
            reached = tuple(adapter.send(message))
            att = Attempt(adapter.name, self.clock(), message, True, f"送达 {len(reached)} 个接收方", reached)
        except ChannelError as exc:
            att = Attempt(adapter.name, self.clock(), message, False, str(exc))
        self.attempts.append(att)
        if self.sink:
            self.sink(att)
        return att


class CallableAdapter(ChannelAdapter):
    """Adapter around a function ``message -> recipients`` (how the relay push is plugged in)."""

    def __init__(self, name: str, func: Callable[[Message], tuple[str, ...]]) -> None:
        self.name = name
        self._func = func

    def send(self, message: Message) -> tuple[str, ...]:
        return self._func(message)


class NotConfiguredAdapter(ChannelAdapter):
    """Placeholder for SMS / phone / radio / valve control until a site plugs a gateway in: every
    attempt fails visibly (and is logged) instead of pretending to deliver."""

    def __init__(self, name: str) -> None:
        self.name = name

    def send(self, message: Message) -> tuple[str, ...]:
        raise ChannelError(f"渠道 {self.name} 未配置网关，消息未发出")


def default_channels() -> dict[str, ChannelAdapter]:
    """The outbound channels of a fresh site: only the relay is real; the rest wait for a gateway."""
    return {n: NotConfiguredAdapter(n) for n in ("sms", "phone", "radio", "valve_control")}

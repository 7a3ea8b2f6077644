"""MQTT source (paho-mqtt 2.x): subscribe to topic filters, map topic/JSON fields to points, QoS 1,
optional TLS and username/password; reconnects by itself through :class:`ReconnectingSource`."""

from __future__ import annotations

import asyncio
import json
import ssl
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Any

from anran_desktop.ingest.base import Sample
from anran_desktop.ingest.config import MqttSourceConfig, MqttTopicMap
from anran_desktop.ingest.mapping import (
    MappingError,
    fill_point,
    json_path,
    parse_time,
    scale_check,
    to_float,
    topic_match,
)
from anran_desktop.ingest.reconnect import ReconnectingSource
from anran_desktop.ingest.secrets import resolve_password


class MqttSource(ReconnectingSource):
    kind = "mqtt"

    def __init__(self, cfg: MqttSourceConfig) -> None:
        super().__init__(cfg.name, backoff=cfg.reconnect.backoff())
        self.cfg = cfg
        self._client: Any = None
        self._inbox: deque[tuple[str, bytes, float]] = deque()
        self._drain_scheduled = False
        self._lock = threading.Lock()

    def describe(self, term: Callable[[str], str] = str) -> str:
        return f"MQTT {self.name} · {self.cfg.host}:{self.cfg.port}"

    # --- connection -------------------------------------------------------------------------------
    def _make_client(self) -> Any:
        import paho.mqtt.client as mqtt

        cfg = self.cfg
        client_id = cfg.client_id or f"anran-{cfg.name}"
        client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=client_id,
                             clean_session=cfg.clean_session, protocol=mqtt.MQTTv311)
        if cfg.username:
            client.username_pw_set(cfg.username, resolve_password(cfg))
        if cfg.tls is not None:
            ctx = ssl.create_default_context(cafile=cfg.tls.ca_file)
            if cfg.tls.cert_file:
                ctx.load_cert_chain(cfg.tls.cert_file, cfg.tls.key_file)
            if cfg.tls.insecure:
                ctx.check_hostname = False
            client.tls_set_context(ctx)
        return client

    async def _session(self) -> None:
        loop = asyncio.get_running_loop()
        connected: asyncio.Future[str] = loop.create_future()
        lost: asyncio.Future[str] = loop.create_future()
        client = self._client = self._make_client()
        cfg = self.cfg

        def settle(fut: asyncio.Future[str], value: str) -> None:
            if not fut.done():
                fut.set_result(value)

        def on_connect(c: Any, _u: Any, _flags: Any, reason: Any, _props: Any) -> None:
            if reason.is_failure:
                loop.call_soon_threadsafe(settle, connected, f"refused: {reason}")
                return
            c.subscribe([(f, cfg.qos) for f in (cfg.subscribe or [m.topic for m in cfg.topics])])
            loop.call_soon_threadsafe(settle, connected, "")

        def on_disconnect(_c: Any, _u: Any, _flags: Any, reason: Any, _props: Any) -> None:
            loop.call_soon_threadsafe(settle, connected, f"disconnected: {reason}")
            loop.call_soon_threadsafe(settle, lost, f"disconnected: {reason}")

        def on_message(_c: Any, _u: Any, msg: Any) -> None:
            with self._lock:
                self._inbox.append((msg.topic, msg.payload, time.time()))
                if self._drain_scheduled:
                    return
                self._drain_scheduled = True
            loop.call_soon_threadsafe(self._drain)

        client.on_connect = on_connect
        client.on_disconnect = on_disconnect
        client.on_message = on_message
        await loop.run_in_executor(None, client.connect, cfg.host, cfg.port, cfg.keepalive_s)
        client.loop_start()
        err = await asyncio.wait_for(connected, timeout=10)
        if err:
            raise ConnectionError(err)
        self._connected()
        reason = await lost
        raise ConnectionError(reason)

    async def _close(self) -> None:
        client, self._client = self._client, None
        if client is None:
            return
        client.on_disconnect = None
        loop = asyncio.get_running_loop()

        def shutdown() -> None:
            client.disconnect()
            client.loop_stop()

        await loop.run_in_executor(None, shutdown)

    # --- payloads ---------------------------------------------------------------------------------
    def _drain(self) -> None:
        with self._lock:
            items = list(self._inbox)
            self._inbox.clear()
            self._drain_scheduled = False
        out: list[Sample] = []
        for topic, payload, arrived in items:
            self._handle(topic, payload, arrived, out)
        self._emit(out)

    def _handle(self, topic: str, payload: bytes, arrived: float, out: list[Sample]) -> None:
        doc: Any = None
        parsed = False
        matched = False
        for m in self.cfg.topics:
            wild = topic_match(m.topic, topic)
            if wild is None:
                continue
            matched = True
            if not parsed:
                try:
                    doc = json.loads(payload)
                except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                    self._reject("bad_json", f"{topic}: {exc}")
                    return
                parsed = True
            try:
                sample = self._sample(m, wild, doc, arrived, topic)
                out.append(sample)
                if m.time is not None:
                    self._arrived(sample.time, arrived)
            except MappingError as exc:
                self._reject(exc.reason, f"{topic}: {exc.detail}")
        if not matched:
            self._reject("unknown_topic", topic)

    @staticmethod
    def _sample(m: MqttTopicMap, wild: list[str], doc: Any, arrived: float, topic: str) -> Sample:
        point = fill_point(m.point, wild, doc)
        v = to_float(json_path(doc, m.value), f"{topic} {m.value or 'payload'}")
        v = scale_check(v, m.scale, m.offset, m.valid_min, m.valid_max, f"{topic} {point}")
        t = arrived if m.time is None else parse_time(json_path(doc, m.time), m.time_format, m.tz_offset_h)
        return Sample(t, point, m.quantity, v)

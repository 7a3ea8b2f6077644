"""OPC UA source (asyncua): subscribe to data changes of node ids mapped to points; the server's
source time stamp is used when present. Reconnects by itself through :class:`ReconnectingSource`."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from datetime import UTC
from typing import Any

from anran_desktop.ingest.base import Sample
from anran_desktop.ingest.config import OpcUaNodeMap, OpcUaSourceConfig
from anran_desktop.ingest.mapping import MappingError, scale_check, to_float
from anran_desktop.ingest.reconnect import ReconnectingSource
from anran_desktop.ingest.secrets import resolve_password


class OpcUaSource(ReconnectingSource):
    kind = "opcua"

    def __init__(self, cfg: OpcUaSourceConfig) -> None:
        super().__init__(cfg.name, backoff=cfg.reconnect.backoff())
        self.cfg = cfg
        self._client: Any = None
        self._by_node: dict[str, OpcUaNodeMap] = {}

    def describe(self, term: Callable[[str], str] = str) -> str:
        return f"OPC UA {self.name} · {self.cfg.url}"

    async def _session(self) -> None:
        from asyncua import Client

        cfg = self.cfg
        client = self._client = Client(cfg.url, timeout=4)
        if cfg.username:
            client.set_user(cfg.username)
            client.set_password(resolve_password(cfg) or "")
        await client.connect()
        source = self

        class Handler:
            def datachange_notification(self, node: Any, val: Any, data: Any) -> None:
                source._on_change(node, val, data)

            def status_change_notification(self, status: Any) -> None:
                source.status.message = f"subscription status: {status}"

        sub = await client.create_subscription(cfg.publishing_interval_ms, Handler())
        nodes = []
        self._by_node = {}
        for m in cfg.nodes:
            node = client.get_node(m.node_id)
            self._by_node[node.nodeid.to_string()] = m
            nodes.append(node)
        handles = await sub.subscribe_data_change(nodes)
        for m, h in zip(cfg.nodes, handles, strict=True):
            if not isinstance(h, int):  # a bad node id comes back as a status code, not a handle
                self._reject("unknown_node", f"{m.node_id}: {h}")
        self._connected()
        while True:
            await asyncio.sleep(0.5)
            await client.check_connection()

    def _on_change(self, node: Any, val: Any, data: Any) -> None:
        m = self._by_node.get(node.nodeid.to_string())
        if m is None:
            self._reject("unknown_node", node.nodeid.to_string())
            return
        try:
            v = to_float(val, m.node_id)
            v = scale_check(v, m.scale, m.offset, m.valid_min, m.valid_max, f"{m.node_id} {m.point}")
        except MappingError as exc:
            self._reject(exc.reason, exc.detail)
            return
        t = time.time()
        dv = getattr(getattr(data, "monitored_item", None), "Value", None)
        if self.cfg.use_source_timestamp and dv is not None:
            ts = dv.SourceTimestamp or dv.ServerTimestamp
            if ts is not None:
                t = ts.timestamp() if ts.tzinfo else ts.replace(tzinfo=UTC).timestamp()
                self._arrived(t, time.time())
        self._emit([Sample(t, m.point, m.quantity, v)])

    async def _close(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            try:
                await asyncio.wait_for(client.disconnect(), timeout=2)
            except Exception:  # the peer is gone; release local resources anyway
                client.disconnect_socket()

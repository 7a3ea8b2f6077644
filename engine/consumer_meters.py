"""Metered consumers: a large consumer whose own flow meter the readings carry.

A boiler house, a canteen or a factory takes tens of m³/h and switches on at once; to the inlet meter and
the gauges that is a new withdrawal at one place — exactly what a leak looks like. Such consumers usually
have a meter with remote reading (a flow computer or an AMR meter) on their service pipe. When the readings
carry it, the localizer takes that consumer's withdrawal as measured instead of as a share of the inflow, so
its switching on or off is explained and raises no alarm (docs/engine.md, "Metered consumers").

A flow sensor is a consumer's meter when it sits on an open pipe whose one end is a dead end (no other open
pipe or valve) that is not a source: everything that pipe carries is that node's withdrawal. A sensor next
to a source is an inlet meter instead (:func:`engine.locate.inflow_sensors`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np

from engine.network import Network
from engine.simulate import Readings


@dataclass(frozen=True)
class ConsumerMeter:
    """The flow sensor ``sensor`` meters everything node ``node`` takes; ``sign`` turns the pipe's flow
    (positive from → to) into that withdrawal (+1 when the node is the pipe's ``to`` end, −1 otherwise)."""

    sensor: str
    node: str
    sign: float


def consumer_meters(network: Network) -> list[ConsumerMeter]:
    """The network's consumer meters (flow sensors on the pipe feeding a dead end that is no source)."""
    sources = {s.id for s in network.sources}
    degree: Counter[str] = Counter()
    for p in network.pipes.values():
        if p.is_open:
            degree[p.from_node] += 1
            degree[p.to_node] += 1
    out = []
    for s in network.sensors.values():
        if s.quantity != "flow_m3h" or s.pipe not in network.pipes:
            continue
        p = network.pipes[s.pipe]
        if not p.is_open or p.from_node in sources or p.to_node in sources:
            continue
        if degree[p.to_node] == 1:
            out.append(ConsumerMeter(s.id, p.to_node, 1.0))
        elif degree[p.from_node] == 1:
            out.append(ConsumerMeter(s.id, p.from_node, -1.0))
    return out


def metered_withdrawals(network: Network, readings: Readings, rows: np.ndarray
                        ) -> tuple[list[ConsumerMeter], np.ndarray]:
    """The consumer meters the readings carry on every one of ``rows`` (a boolean mask of the readings'
    times), and their withdrawals there (times × meters, m³/h). A meter with a gap in those rows is left out
    (its consumer is then modelled as any other), so one dead meter never costs the window."""
    used, cols = [], []
    for cm in consumer_meters(network):
        if cm.sensor not in readings.points:
            continue
        col = readings.column(cm.sensor)[rows]
        if len(col) and np.all(np.isfinite(col)):
            used.append(cm)
            cols.append(cm.sign * col)
    values = np.column_stack(cols) if cols else np.zeros((int(np.sum(rows)), 0))
    return used, values

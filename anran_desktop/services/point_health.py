"""点位健康度 on the live feed (Qt-free): the rings' recent samples → :func:`assess_points`, a
maintenance event when a point turns bad (and an info event when it recovers), and the health that the
leak watch uses to leave poor points out of the engine's input.

The model estimate for the drift check is the engine's no-leak state at the measured inflow
(``Locator.no_leak_pressures``). On the demo site a leak moves the gauges by well under 1 kPa against it
(an 80 m³/h leak on S4: 0.4 kPa), so the default tolerance of 2 kPa separates a gauge that jumped or
drifted from a leak; set ``model_tolerance_kpa`` per site. The inflow meter is assessed first: when it is
bad, no model estimate is used (else every gauge would look drifted).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from anran_desktop.ingest.quality import PointHealth, QualitySpec, assess_points, maintenance_events
from anran_desktop.services.events import EventCard, EventService
from engine.consumer_meters import consumer_meters
from engine.network import Network

Series = tuple[np.ndarray, np.ndarray]


@dataclass(frozen=True)
class RingSnapshot:
    """A copy of one ring buffer (taken on the worker under the ring's lock, see ``services.live.Ring``)."""

    t: np.ndarray
    v: np.ndarray

    def arrays(self) -> Series:
        return self.t, self.v


def freeze(rings: Mapping) -> dict[str, RingSnapshot]:  # noqa: ANN401 - anything with .arrays()
    return {p: RingSnapshot(*r.arrays()) for p, r in rings.items()}


class PointHealthWatch:
    def __init__(self, network: Network, events: EventService, *, locator=None, window_s: float = 900.0,  # noqa: ANN001
                 model_tolerance_kpa: float = 2.0, is_drill: bool = False) -> None:
        self.network = network
        self.events = events
        self.locator = locator  # engine.locate.Locator (optional): the no-leak model for the drift check
        self.window_s = window_s
        self.model_tolerance_kpa = model_tolerance_kpa
        self.is_drill = is_drill
        self._consumer_meters = {c.sensor for c in consumer_meters(network)}
        self.current: dict[str, PointHealth] = {}
        self.raised: list[EventCard] = []

    def spec(self, point: str, t: np.ndarray) -> QualitySpec:
        dt = np.diff(t)
        interval = float(np.median(dt)) if dt.size else 1.0
        s = self.network.sensors.get(point)
        if s is not None and s.quantity == "flow_m3h":
            hi = 20.0 * max(self.network.total_demand_m3h, 1.0)
            # a consumer's own meter reads a flat 0 while its boiler house or canteen is off
            return QualitySpec(expected_interval_s=max(interval, 0.1), valid_min=0.0, valid_max=hi,
                               model_tolerance=self.model_tolerance_kpa, unit="m³/h",
                               zero_is_live=point in self._consumer_meters)
        return QualitySpec(expected_interval_s=max(interval, 0.1), valid_min=-5.0, valid_max=10_000.0,
                           model_tolerance=self.model_tolerance_kpa, unit="kPa")

    def _inflow_points(self) -> list[str]:
        from engine.locate import inflow_sensors

        return inflow_sensors(self.network)

    def _model(self, series: Mapping[str, Series], inflow_ok: list[str]) -> dict[str, np.ndarray]:
        """The no-leak model pressure at each gauge's own times, from the (healthy) inflow meters."""
        if self.locator is None or not inflow_ok:
            return {}
        out = {}
        for p, (t, _v) in series.items():
            s = self.network.sensors.get(p)
            if s is None or s.quantity != "pressure_kpa" or not s.node or t.size == 0:
                continue
            flows = []
            for f in inflow_ok:
                ft, fv = series[f]
                ok = np.isfinite(fv)
                if ok.sum() < 2:
                    break
                flows.append(np.interp(t, ft[ok], fv[ok], left=np.nan, right=np.nan))
            else:
                total = np.sum(flows, axis=0)
                model = np.full(t.size, np.nan)
                known = np.isfinite(total)
                if known.any():
                    model[known] = self.locator.no_leak_pressures((s.node,), total[known])[:, 0]
                out[p] = model
        return out

    def assess(self, series: Mapping[str, Series], now: float) -> dict[str, PointHealth]:
        """Health of every network point in ``series`` over the last ``window_s``; raises the events."""
        recent: dict[str, Series] = {}
        for p, (t, v) in series.items():
            if p not in self.network.sensors:
                continue
            keep = (t >= now - self.window_s) & np.isfinite(t)
            recent[p] = (t[keep], v[keep])
        specs = {p: self.spec(p, t) for p, (t, _v) in recent.items()}
        inflow = [p for p in self._inflow_points() if p in recent]
        flow_health = assess_points({p: recent[p] for p in inflow}, now, specs)
        inflow_ok = [p for p in inflow if flow_health[p].level != "bad"]
        model = self._model(recent, inflow_ok if len(inflow_ok) == len(inflow) else [])
        health = assess_points(recent, now, specs, model=model)
        for sug in maintenance_events(self.current, health):
            self.raised.append(self._raise(sug.kind, sug.point, sug.reason, health[sug.point]))
        self.current = health
        return health

    def _raise(self, kind: str, point: str, reason: str, h: PointHealth) -> EventCard:
        """The event of a point that went bad (``maintenance``, warning) or recovered (info). The stored title is
        Chinese (the record, and what reports print); ``detail`` keeps the point's name and the findings'
        codes and figures, from which the desktop words the card in the interface language
        (``widgets/health_text.py``)."""
        s = self.network.sensors.get(point)
        label = s.name if s is not None and s.name else ""
        name = f"{label}（{point}）" if label else point
        if kind == "maintenance":
            title = f"测点故障待检修：{name} — {reason}（已不参与泄漏定位）"
            return self.events.add(kind="maintenance", severity="warning", title=title,
                                   detail={"point": point, "name": label, "score": h.score, "codes": h.codes,
                                           "params": h.params, "reasons": h.reasons},
                                   location={"sensors": [point]}, is_drill=self.is_drill)
        return self.events.add(kind="maintenance", severity="info", title=f"测点恢复：{name} — {reason}",
                               detail={"point": point, "name": label, "score": h.score, "recovered": True},
                               location={"sensors": [point]}, is_drill=self.is_drill)


def health_and_leaks(health_watch: PointHealthWatch, leak_watch, rings: Mapping, now: float):  # noqa: ANN001, ANN201
    """Worker job: copy the live rings (here, off the GUI thread), assess health on the copies, then run
    the leak watch without the bad points. Returns ``(health, WatchOutcome)``."""
    rings = freeze(rings)
    series = {p: r.arrays() for p, r in rings.items()}
    health = health_watch.assess(series, now)
    readings = leak_watch.readings_from_rings(rings, now, health=health)
    return health, leak_watch.check(readings, point_sigma_kpa=suspect_sigmas(health))


#: Extra error (kPa, 1 σ) given to a degraded ("suspect") point in the engine: about ten times a good
#: gauge's noise, so its changes still count but a drifting or spiky gauge cannot carry a detection alone.
SUSPECT_SIGMA_KPA = 0.3


def suspect_sigmas(health: Mapping) -> dict[str, float]:
    """Point → extra σ for the engine: degraded points count less (bad ones are left out altogether)."""
    return {p: SUSPECT_SIGMA_KPA for p, h in health.items() if h.level == "degraded"}

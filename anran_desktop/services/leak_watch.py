"""Periodic leak localization on live data (Qt-free): ring buffers → 1-minute means → engine.locate.

The desktop calls :meth:`LeakWatch.check` on a worker thread. A new detection that has held for
``CONFIRM_S`` of the last ``CONFIRM_SPAN_S`` (6 of 9 minutes; ``leak_confirm.py``: a watch of many
overlapping windows would otherwise alarm on their chance exceedances) raises one alarm (with the interval,
its length and confidence in the alarm's location) until the detection has stayed away for ``clear_after_s``
(10 minutes of readings; a detection found again elsewhere after a gap is another leak, with its own alarm).
While it lasts, a localization whose figures read differently (:func:`moved`) is
recorded as the alarm's ``location["latest"]``, which the alarm card shows under the raised figures and a
ticket made from the alarm takes; a ticket already made from it follows when the crew would act differently
on the new interval (``TicketService.follow_engine``). A new site's confidence calibration runs in the background
(``site_confidence.py``); checks meanwhile detect and locate with the uncalibrated defaults, and their
alarm says 置信度校准中 (``interval.calibrated`` false).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np

from anran_desktop.services.events import AlarmService, AlarmView
from anran_desktop.services.interval_refine import onset_epoch
from anran_desktop.services.leak_confirm import Confirmation
from anran_desktop.services.leak_title import interval_parts, stored_title, title_parts
from anran_desktop.services.live import Ring
from anran_desktop.services.site_confidence import SiteConfidence
from anran_desktop.services.tickets import TicketDetail, TicketService
from anran_desktop.store.db import iso_utc
from engine.confidence import noise_settings
from engine.consumer_meters import consumer_meters
from engine.feed_noise import FeedNoise, estimate_feed_noise
from engine.interval import quoted
from engine.locate import LocateError, LocateResult, LocateSettings, Locator
from engine.network import Network
from engine.simulate import Readings

log = logging.getLogger(__name__)


@dataclass
class WatchOutcome:
    result: LocateResult | None
    alarm: AlarmView | None
    message: str = ""
    #: "" (calibrated confidence), "pending" (the site's first calibration is still running) or "failed"
    calibration: str = ""
    #: the active alarm, when this check located its leak differently enough to record (``location["latest"]``)
    updated: AlarmView | None = None
    #: the ticket made from the active alarm, when it took this check's interval (``TicketService.follow_engine``)
    ticket: TicketDetail | None = None
    #: a detection not yet confirmed: seconds of readings it has held (of ``LeakWatch.CONFIRM_S``); 0 otherwise
    confirming_s: float = 0.0


class LeakWatch:
    #: a detection raises an alarm once it has held CONFIRM_S seconds of readings within the last
    #: CONFIRM_SPAN_S (leak_confirm.py; chosen on benchmarks/locate_follow.py's no-leak periods)
    CONFIRM_S = 360.0
    CONFIRM_SPAN_S = 540.0

    def __init__(self, network: Network, alarms: AlarmService, *, window_s: float = 3600.0, bin_s: float = 60.0,
                 is_drill: bool = False, tickets: TicketService | None = None,
                 confirm_s: float | None = None, measure_noise: bool = True) -> None:
        # The gauges' GLRT, or the inlet meter's rise alone when the gauges cannot show the leak (at night,
        # when the flows are small): an alarm either way, its title saying which (LocateSettings.meter_detect).
        self.locator = Locator(network, LocateSettings(meter_detect=True))
        self.network = network
        self.alarms = alarms
        self.tickets = tickets  # None: later locations reach the alarm only
        self.window_s = window_s
        self.bin_s = bin_s
        self.is_drill = is_drill
        self.active_alarm: str | None = None
        self._recorded: dict | None = None  # the active alarm's interval as last recorded
        #: how long (s of readings) the detection must stay away before the active alarm's leak counts as gone
        self.clear_after_s = 600.0
        #: how long a detection must hold before it is an alarm (``CONFIRM_S`` unless given; 0: at once)
        held = self.CONFIRM_S if confirm_s is None else confirm_s
        self.confirmation = Confirmation(held, held * self.CONFIRM_SPAN_S / self.CONFIRM_S)
        self._missed_since: float | None = None  # readings' time of the first check without the detection
        #: how far apart two onset estimates of one leak may be (s) for a restarted watch to take its alarm
        self.resume_onset_s = 900.0
        self.last: LocateResult | None = None
        #: measure the noise of the 1-minute means from the feed as it is binned (engine.feed_noise)
        self.measure_noise = measure_noise
        # Calibrated stated confidence for this site (and the feed's noise, issue 3's 0.03 kPa a reading until
        # a window of multi-sample minutes says otherwise): stored, or computed once in the background now.
        self.confidence = SiteConfidence(network, minutes=int(round(window_s / 60)))
        self.confidence.start()

    @property
    def noise(self) -> FeedNoise:
        """The noise the watch counts for its 1-minute means: the one its site calibration is for."""
        return self.confidence.noise

    def _adopt_noise(self, noise: FeedNoise) -> None:
        """Count ``noise`` in the likelihood from now on and take (or start) the site's calibration for it;
        until that is there the watch locates with the default temperature and says so, as on a new site."""
        if noise == self.noise:
            return
        log.info("leak watch: the feed's 1-minute means have %s (was %s); confidence for it: stored or calibrated "
                 "now", noise.describe(), self.noise.describe())
        defaults = LocateSettings()
        self.locator.settings.temperature = defaults.temperature
        self.locator.settings.density_level = defaults.density_level
        noise_settings(self.locator.settings, noise)
        self.confidence = SiteConfidence(self.network, minutes=self.confidence.minutes, noise=noise)
        self.confidence.start()

    def readings_from_rings(self, rings: dict[str, Ring], now: float, health: dict | None = None,
                            adopt_noise: bool = True) -> Readings:
        """``health`` (point → PointHealth): bad points are left out of the engine's input (see
        services/point_health.py); they raise a maintenance event there, never a leak alarm."""
        points = [p for p in self.network.sensors if p in rings
                  and (health is None or p not in health or health[p].level != "bad")]
        return self.readings_from_series({p: rings[p].arrays() for p in points}, now, adopt_noise)

    def readings_from_series(self, series: dict[str, tuple[np.ndarray, np.ndarray]], end_s: float,
                             adopt_noise: bool = True) -> Readings:
        """1-minute means of ``series`` (point → (times, values)) over the window ending at ``end_s``; points
        that are not sensors of the network are ignored. With ``measure_noise`` (and ``adopt_noise``: the
        watch's own checks; a ticket's re-run with its evidence reads without changing the watch) the spread
        of the samples within the minutes sets the noise the likelihood counts for the means
        (engine.feed_noise)."""
        edges = np.arange(end_s - self.window_s, end_s + 1e-9, self.bin_s)
        points = [p for p in self.network.sensors if p in series]
        if self.measure_noise and adopt_noise:
            # the pressure points and the inlet meters: a consumer's own meter moves with its boiler house
            metered = {c.sensor for c in consumer_meters(self.network)}
            quantities = {p: self.network.sensors[p].quantity for p in points if p not in metered}
            self._adopt_noise(estimate_feed_noise({p: series[p] for p in quantities}, quantities, edges, self.noise))
        values = np.full((len(edges) - 1, len(points)), np.nan)
        for j, p in enumerate(points):
            t, v = series[p]
            idx = np.digitize(t, edges) - 1
            ok = (idx >= 0) & (idx < len(edges) - 1) & np.isfinite(v)
            sums = np.bincount(idx[ok], weights=v[ok], minlength=len(edges) - 1)
            counts = np.bincount(idx[ok], minlength=len(edges) - 1)
            with np.errstate(invalid="ignore", divide="ignore"):
                values[:, j] = np.where(counts > 0, sums / np.maximum(counts, 1), np.nan)
        return Readings(edges[1:], points, [self.network.sensors[p].quantity for p in points], values)

    def check(self, readings: Readings, point_sigma_kpa: dict[str, float] | None = None) -> WatchOutcome:
        """Run the engine on ``readings``; ``point_sigma_kpa`` down-weights doubtful points (see
        :func:`services.point_health.suspect_sigmas`)."""
        complete = np.all(np.isfinite(readings.values), axis=1)
        if complete.sum() < self.locator.settings.min_readings:
            return WatchOutcome(None, None, "not enough data yet")
        r = Readings(readings.times[complete], readings.points, readings.quantities, readings.values[complete])
        # A site's first-time calibration takes minutes: detection does not wait for it. Until it is there
        # (or if it failed) the interval and confidence are the uncalibrated defaults, and the alarm says so.
        calibration = self.confidence.calibrated(timeout=0)
        if calibration is not None:
            calibration.apply(self.locator.settings)
        state = self._state_of(calibration)
        try:
            res = self.locator.locate(r, point_sigma_kpa=point_sigma_kpa)
        except LocateError as exc:
            return WatchOutcome(None, None, str(exc))
        self.last = res
        alarm = updated = ticket = None
        confirming = 0.0
        interval = {"pipes": res.interval_pipes, "length_m": round(res.interval_length_m, 1),
                    "confidence": quoted(res.confidence, 3), "calibrated": not state}
        if res.detected_by == "meter":
            interval["basis"] = "meter"
        now = float(r.times[-1])
        confirmed = self.confirmation.feed(now, res.leak_detected)
        if res.leak_detected and self.active_alarm is not None and self._missed_since is not None and \
                self._recorded is not None and not same_place(self.network, self._recorded["pipes"], res):
            self.active_alarm = None  # found again after a gap, somewhere else: another leak, its own alarm
        if res.leak_detected:
            self._missed_since = None
        if res.leak_detected and self.active_alarm is None:
            self._resume(res)  # the leak of an alarm raised before this watch started (a restart, an import)
        if res.leak_detected and self.active_alarm is not None:
            if self._dismissed(self.active_alarm):
                pass  # a false alarm the dispatcher dismissed: kept to while it lasts, not raised again nor moved
            elif self._recorded is None or moved(self._recorded, interval):
                updated = self.alarms.update_interval(self.active_alarm, interval)
                self._recorded = interval
                ticket = self._follow(updated, interval, state)
        elif res.leak_detected and self.active_alarm is None and not confirmed:
            # Not an alarm yet: one window over the threshold is what a watch of many windows sees by chance
            # now and then; a leak holds (the canvas shows it as 待确认 meanwhile).
            confirming = max(self.confirmation.held_s(), 1.0)
        elif res.leak_detected and self.active_alarm is None:
            parts = title_parts(self.network, res.interval_pipes, res.interval_length_m, res.confidence, state,
                                interval.get("basis", ""))
            alarm = self.alarms.raise_alarm(
                # An uncalibrated confidence cannot lower the alarm: until the site is calibrated it is urgent.
                kind="leak_suspected", level=2 if state or res.confidence >= 0.8 else 1, title=stored_title(parts),
                detail={"onset": res.onset, "leak_m3h": round(res.leak_m3h, 1), "statistic": round(res.statistic, 1),
                        "detected_by": res.detected_by, "meter_step_m3h": round(res.meter_step_m3h, 1),
                        # The title's parts, so a window in another language can word it (the stored title
                        # is the record's, in Chinese like the reports).
                        "title_parts": parts},
                location={"pipes": res.interval_pipes[:1], "sensors": self._nearby_sensors(res.interval_pipes),
                          "interval": interval}, is_drill=self.is_drill)
            self.active_alarm = alarm.id
            self._recorded = interval
        elif not res.leak_detected and self.active_alarm is not None:
            # A leak's statistic wobbles about the threshold in its first minutes: one check under it does
            # not end the alarm (a second alarm for the same leak would follow a minute later).
            self._missed_since = now if self._missed_since is None else self._missed_since
            if now - self._missed_since >= self.clear_after_s:
                self.active_alarm = None
                self._recorded = None
                self._missed_since = None
        return WatchOutcome(res, alarm, calibration=state, updated=updated, ticket=ticket, confirming_s=confirming)

    def _resume(self, res: LocateResult) -> None:
        """Carry on with an open alarm of this leak instead of raising a second one: a watch that started
        afresh (the desktop restarted, a network was imported) or whose leak wobbled under the threshold
        for longer than ``clear_after_s`` sees the same leak again. The same leak: an open suspected-leak
        alarm of the last window (plus twice ``clear_after_s``), its estimated onset within
        ``resume_onset_s`` of this one, at the same place (:func:`same_place`) as its interval as last located
        (or as raised)."""
        onset = onset_epoch({"onset": res.onset})
        if onset is None:
            return
        since = iso_utc(datetime.fromtimestamp(time.time() - self.window_s - 2 * self.clear_after_s, UTC))
        for alarm in self.alarms.open_leak_alarms(since=since, is_drill=self.is_drill, dismissed=True):
            then = onset_epoch(alarm.detail)
            seen = alarm.location.get("latest") or alarm.location.get("interval") or {}
            if then is not None and abs(then - onset) <= self.resume_onset_s and \
                    same_place(self.network, seen.get("pipes") or (), res):
                self.active_alarm, self._recorded, self._missed_since = alarm.id, dict(seen), None
                log.info("leak watch: carrying on with alarm %s (same leak: onset %s)", alarm.id, res.onset)
                return

    def _dismissed(self, alarm_id: str) -> bool:
        """Whether the dispatcher dismissed this alarm as a false alarm (``services.false_alarm``)."""
        try:
            alarm = self.alarms.get(alarm_id)
        except Exception:  # noqa: BLE001 - sqlalchemy NoResultFound: an alarm no longer stored (a restore)
            return False
        return alarm.state == "cleared" and "dismissal" in alarm.detail

    def calibration_state(self) -> str:
        """"" when the site's confidence is calibrated, else "pending" (still running) or "failed"."""
        return self._state_of(self.confidence.calibrated(timeout=0))

    def _state_of(self, calibration: object | None) -> str:
        return "" if calibration is not None else ("pending" if self.confidence.pending else "failed")

    def _follow(self, alarm: AlarmView, interval: dict, calibration: str = "") -> TicketDetail | None:
        """The alarm's ticket takes the new interval (and a title naming its places and figures) if the crew
        should see it; a ticket that cannot (it was removed, its stored interval is unreadable) is logged and
        left as it is — the watch goes on."""
        if self.tickets is None or not alarm.ticket_id:
            return None
        try:
            return self.tickets.follow_engine(alarm.ticket_id, interval, interval_parts(self.network, interval,
                                                                                        calibration))
        except ValueError as exc:  # a WorkflowError, or unreadable stored JSON
            log.warning("ticket %s did not take the leak watch's interval: %s", alarm.ticket_id, exc)
            return None

    def _nearby_sensors(self, pipes: list[str], n_pressure: int = 2) -> list[str]:
        """The pressure sensors closest to the interval, plus the inlet flow meter(s)."""
        from engine.geo import projection_for

        proj = projection_for(self.network)
        pts = [proj.to_xy(lon, lat) for p in pipes for lon, lat in self.network.pipes[p].coords]
        if not pts:
            return []
        cx, cy = sum(x for x, _ in pts) / len(pts), sum(y for _, y in pts) / len(pts)
        pressure = [s for s in self.network.sensors.values() if s.quantity == "pressure_kpa"]
        pressure.sort(key=lambda s: (proj.to_xy(s.lon, s.lat)[0] - cx) ** 2 + (proj.to_xy(s.lon, s.lat)[1] - cy) ** 2)
        flows = [s.id for s in self.network.sensors.values() if s.quantity == "flow_m3h"]
        return [s.id for s in pressure[:n_pressure]] + flows


#: the share of a new localization's probability that an earlier interval must hold to be the same place
SAME_PLACE_MASS = 0.05


def same_place(network: Network, pipes: list[str] | tuple[str, ...], res: LocateResult) -> bool:
    """Whether a localization ``res`` is at the place of an earlier interval ``pipes``: they share a pipe or
    touch (a node in common), or the earlier pipes still hold ``SAME_PLACE_MASS`` of the new probability.
    An interval moves as readings come in, and across a restart it can land next to the old one without
    sharing a pipe: that is still the one leak for the dispatcher, not a second alarm. A leak elsewhere puts
    next to nothing on the old pipes."""
    old = {p for p in pipes if p in network.pipes}  # an imported network may have dropped some
    new = [p for p in res.interval_pipes if p in network.pipes]
    if old & set(new):
        return True
    nodes = {n for p in old for n in (network.pipes[p].from_node, network.pipes[p].to_node)}
    if any(network.pipes[p].from_node in nodes or network.pipes[p].to_node in nodes for p in new):
        return True
    return sum(res.pipe_probability.get(p, 0.0) for p in old) >= SAME_PLACE_MASS


def moved(old: dict, new: dict) -> bool:
    """Whether a later interval reads differently from the recorded one as the dispatcher sees it: other
    pipes, a length that differs in whole metres, a confidence that differs as quoted (two decimals), or
    the site's calibration arrived. So the alarm card, the canvas and a ticket made from the alarm always
    show the same figures, and a record is written only when those figures change."""
    return (set(old["pipes"]) != set(new["pipes"]) or round(old["length_m"]) != round(new["length_m"])
            or old.get("basis", "") != new.get("basis", "")
            or quoted(old["confidence"]) != quoted(new["confidence"])
            or old.get("calibrated") != new.get("calibrated"))

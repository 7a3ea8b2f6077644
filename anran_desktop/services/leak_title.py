"""The stored title of a suspected-leak alarm and the parts a window in another language words it from.

The stored title is the record's, in Chinese like the reports; ``title_parts`` go in the alarm's detail (and
the ticket's), and ``widgets.event_feed.leak_title`` words them in the interface language. The live leak
watch and the appendix-A demo both name their alarms here, so both read the same in either language.
"""

from __future__ import annotations

from engine.interval import quoted
from engine.network import Network

#: How the title ends while the site's confidence is not calibrated ("" = calibrated)
CALIBRATION_NOTE = {"": "", "pending": "置信度校准中", "failed": "置信度未校准"}
#: How the title ends when the leak was found by what ("" = the pressure gauges; "meter": the inlet meter's
#: rise alone, the gauges unmoved — a leak at night, when the small flows hardly move them, or a large
#: consumer that started)
BASIS_NOTE = {"": "", "pressure": "", "meter": "仅进站流量上升"}


def place_names(network: Network, pipes: list[str]) -> list[str]:
    """Readable places: branch segments (S4) first, service lines by their building (3栋引入管); the pipe ids
    when neither is known."""
    segs = sorted({network.pipes[p].segment for p in pipes if network.pipes[p].segment.startswith("S")},
                  key=lambda s: int(s[1:]) if s[1:].isdigit() else 0)
    named = [network.pipes[p].name for p in pipes
             if not network.pipes[p].segment.startswith("S") and network.pipes[p].name]
    return segs + named or pipes


def title_parts(network: Network, pipes: list[str], length_m: float, confidence: float,
                calibration: str = "", basis: str = "") -> dict:
    """The parts of a leak title: areas and (at most four) places of the interval ``pipes``, the figures as
    written, the calibration state (``""``, ``pending`` or ``failed``) and what found it (``basis``: ""
    for the gauges, ``meter`` for the inlet meter alone)."""
    if calibration not in CALIBRATION_NOTE:
        raise ValueError(f"calibration state must be one of {sorted(CALIBRATION_NOTE)}, not {calibration!r}")
    if basis not in BASIS_NOTE:
        raise ValueError(f"basis must be one of {sorted(BASIS_NOTE)}, not {basis!r}")
    area_ids = {network.pipes[p].area for p in pipes}
    parts = {"areas": [network.areas[a].name for a in sorted(area_ids) if a in network.areas],
             "places": place_names(network, pipes)[:4], "calibration": calibration,
             "length_m": f"{length_m:.0f}", "confidence": f"{quoted(confidence):.2f}"}
    if BASIS_NOTE[basis]:
        parts["basis"] = basis
    return parts


def interval_parts(network: Network, interval: dict, calibration: str = "") -> dict:
    """:func:`title_parts` of an engine interval (``{"pipes", "length_m", "confidence"}``, and ``basis``
    when the inlet meter alone found the leak): the title a ticket takes with it."""
    return title_parts(network, interval["pipes"], interval["length_m"], interval["confidence"], calibration,
                       str(interval.get("basis") or ""))


def by_inlet_meter(parts: dict | None) -> bool:
    """Whether a leak title's parts say the inlet meter alone found the leak (the gauges never dropped: a
    valve test then asks whether the inlet flow fell back, not whether the pressure came back)."""
    return isinstance(parts, dict) and parts.get("basis") == "meter"


def title_notes(parts: dict) -> list[str]:
    """The notes a title ends with (Chinese, as stored): what found the leak, then the calibration state."""
    notes = [BASIS_NOTE.get(str(parts.get("basis") or ""), ""), CALIBRATION_NOTE[parts.get("calibration") or ""]]
    return [n for n in notes if n]


def stored_title(parts: dict) -> str:
    """The Chinese title stored with the alarm: 南区疑似泄漏：S4、S5（区间 109 m，置信度 0.93）."""
    notes = "".join(f"，{n}" for n in title_notes(parts))
    return (f"{'、'.join(parts['areas'])}疑似泄漏：{'、'.join(parts['places'])}（区间 {parts['length_m']} m，"
            f"置信度 {parts['confidence']}{notes}）")

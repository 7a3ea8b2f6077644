"""``anran simulate`` and ``anran locate``."""

from __future__ import annotations

import argparse
import json
import math
import sys


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("simulate", help="simulate a network's sensor readings (with optional leaks)",
                              description="Simulate sensor readings of a network GeoJSON, with diurnal demand, "
                                          "consumer randomness, sensor noise/bias and optional leaks.")
    p.add_argument("network", help="network GeoJSON file")
    p.add_argument("--leak", action="append", default=[], metavar="PIPE:RATE_M3H[@POSITION_M]",
                   help="a leak (repeatable); starts at --leak-onset minutes")
    p.add_argument("--consumer-step", action="append", default=[], metavar="NODE:M3H[@MIN]",
                   help="a consumer switching on (M3H > 0) or off (< 0) at MIN minutes after the start (default: "
                        "at --leak-onset), e.g. a boiler house; repeatable")
    p.add_argument("--minutes", type=float, default=60.0, help="duration (default 60)")
    p.add_argument("--interval", type=float, default=60.0, help="seconds between readings (default 60)")
    p.add_argument("--leak-onset", type=float, default=None, metavar="MIN",
                   help="minutes after the start when leaks begin (default: half-way)")
    p.add_argument("--start", default="2026-11-24T02:00:00Z", help="start time, ISO 8601 (default %(default)s)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", required=True, help="readings CSV to write (time,point,quantity,value)")
    p.add_argument("--truth", help="truth JSON to write (default: OUT with .truth.json)")
    p.set_defaults(func=run_simulate)

    p = subparsers.add_parser("locate", help="detect and locate a leak from readings",
                              description="Detect a leak in a readings window and locate it: prints one JSON object "
                                          "(leak_detected, onset, leak_m3h, interval, candidates).")
    p.add_argument("network", help="network GeoJSON file")
    p.add_argument("readings", help="readings CSV (time,point,quantity,value)")
    p.add_argument("--confidence", type=float, default=None,
                   help="hold this share of the probability in the interval (fixed-mass rule); default: the density "
                        "level of --calibrations if it has one, else 0.9")
    p.add_argument("--odor", action="append", default=[], metavar="LON,LAT|NODE",
                   help="a resident's odor report near a place (repeatable)")
    p.add_argument("--valve-test", action="append", default=[], metavar="V1+V2:restored|not-restored",
                   help="valves closed in a test and whether the pressures recovered (repeatable)")
    p.add_argument("--site-reading", action="append", default=[], metavar="NODE=KPA",
                   help="an extra on-site pressure reading (repeatable)")
    p.add_argument("--candidates", type=int, default=10, help="how many candidates to print (default 10)")
    p.add_argument("--calibrations", metavar="FILE.json",
                   help="stored site calibrations (e.g. resources/leak_confidence.json or the desktop's cache): "
                        "the posterior temperature (and interval density level) of this network is taken from it, "
                        "so the stated confidence is the calibrated one")
    p.add_argument("--temperature", type=float, default=None,
                   help="posterior temperature (overrides --calibrations; default 1.0, uncalibrated)")
    p.add_argument("--density-level", type=float, default=None, metavar="L",
                   help="interval = every pipe above L × the uniform probability per metre, holding at least half "
                        "the probability (overrides --calibrations)")
    p.add_argument("--meter-step", action="store_true",
                   help="also report a leak the pressure gauges do not show from the inlet meter's rise alone (at "
                        "least 12 standard errors and 8 %% of the inflow: a leak at night, when the small flows hardly move the gauges); "
                        "\"detected_by\" then says \"meter\". The desktop's leak watch does this")
    p.set_defaults(func=run_locate)


def _fail(message: str) -> int:
    print(f"anran: error: {message}", file=sys.stderr)
    return 2


def run_simulate(args: argparse.Namespace) -> int:
    from pathlib import Path

    from engine.geojson_io import load_network
    from engine.network import NetworkError
    from engine.simulate import (
        ScheduledLeak,
        iso_utc,
        parse_demand_step,
        parse_leak_spec,
        parse_time,
        simulate,
    )
    from engine.solver import SolverError

    try:
        network = load_network(args.network)
        start = parse_time(args.start)
    except NetworkError as exc:
        return _fail(str(exc))
    except ValueError:
        return _fail(f"--start '{args.start}' is not an ISO 8601 time")
    if args.minutes <= 0 or args.interval <= 0:
        return _fail("--minutes and --interval must be positive")
    onset_min = args.minutes / 2 if args.leak_onset is None else args.leak_onset
    try:
        leaks = [parse_leak_spec(s, network, start + onset_min * 60) for s in args.leak]
        steps = [parse_demand_step(s, network, start + onset_min * 60, start) for s in args.consumer_step]
    except ValueError as exc:
        return _fail(str(exc))
    try:
        readings = simulate(network, args.minutes, leaks=leaks, seed=args.seed, start=start,
                            interval_s=args.interval, demand_steps=steps)
    except SolverError as exc:
        return _fail(f"the network could not be solved: {exc}")
    out = Path(args.out)
    readings.write_csv(out)
    truth_path = Path(args.truth) if args.truth else out.with_suffix(".truth.json")
    truth = {
        "network": str(args.network),
        "start": iso_utc(start),
        "minutes": args.minutes,
        "seed": args.seed,
        "leaks": [{"pipe": s.leak.pipe, "rate_m3h": s.leak.rate_m3h,
                   "position_m": (s.leak.position_m if s.leak.position_m is not None
                                  else network.pipes[s.leak.pipe].length_m / 2),
                   "onset": iso_utc(s.onset_s)} for s in leaks if isinstance(s, ScheduledLeak)],
        "consumer_steps": [{"node": s.node, "m3h": s.m3h, "onset": iso_utc(s.onset_s)} for s in steps],
    }
    truth_path.write_text(json.dumps(truth, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {len(readings.times)} times × {len(readings.points)} points to {out}; truth in {truth_path}")
    return 0


def _evidence(args: argparse.Namespace, network) -> list:  # noqa: ANN001
    from engine.locate import OdorReport, SiteReading, ValveTest

    out: list = []
    for text in args.odor:
        if text in network.nodes:
            out.append(OdorReport(node=text))
            continue
        try:
            lon, lat = (float(v) for v in text.split(","))
        except ValueError:
            raise ValueError(f"--odor '{text}': expected LON,LAT or a node id") from None
        out.append(OdorReport(lon=lon, lat=lat))
    for text in args.valve_test:
        valves, _, outcome = text.partition(":")
        ids = tuple(v for v in valves.split("+") if v)
        if outcome not in ("restored", "not-restored") or not ids:
            raise ValueError(f"--valve-test '{text}': expected V1+V2:restored or V1:not-restored")
        unknown = [v for v in ids if v not in network.pipes]
        if unknown:
            raise ValueError(f"--valve-test '{text}': no valve '{unknown[0]}' in the network")
        out.append(ValveTest(ids, outcome == "restored"))
    for text in args.site_reading:
        node, _, value = text.partition("=")
        if node not in network.nodes:
            raise ValueError(f"--site-reading '{text}': no node '{node}' in the network")
        try:
            out.append(SiteReading(node, float(value)))
        except ValueError:
            raise ValueError(f"--site-reading '{text}': the pressure must be a number of kPa") from None
    return out


def _settings(args: argparse.Namespace, network):  # noqa: ANN001, ANN202
    """LocateSettings from --temperature, else this network's entry in --calibrations (temperature and
    interval density level), else temperature 1.0 (with a note on stderr); --confidence asks for the
    fixed-mass interval."""
    from pathlib import Path

    from engine.confidence import METHOD, load_calibrations, network_fingerprint
    from engine.locate import LocateSettings

    settings = LocateSettings()
    if args.temperature is not None:
        if not args.temperature > 0:
            raise ValueError(f"--temperature must be positive, not {args.temperature}")
        settings.temperature = float(args.temperature)
    elif args.calibrations:
        path = Path(args.calibrations)
        if not path.is_file():
            raise ValueError(f"--calibrations: no such file: {path}")
        cal = load_calibrations(path).get(network_fingerprint(network))
        if cal is not None:
            cal.apply(settings)
            if not cal.current:
                print(f"anran locate: the calibration in {path} was made with an older localizer (method "
                      f"{cal.method}, now {METHOD}) or for the fixed-mass interval; it is used, but the stated "
                      "confidence may be off: recalibrate (the desktop does so by itself)", file=sys.stderr)
        else:
            print(f"anran locate: {path} has no calibration for this network; the confidence is uncalibrated "
                  "(temperature 1.0)", file=sys.stderr)
    if args.density_level is not None:
        if args.confidence is not None:
            raise ValueError("give either --confidence (fixed-mass interval) or --density-level, not both")
        if not (math.isfinite(args.density_level) and args.density_level > 0):
            raise ValueError(f"--density-level must be a positive number, not {args.density_level}")
        settings.density_level = float(args.density_level)
    if args.confidence is not None:
        settings.confidence, settings.density_level = float(args.confidence), 0.0
    settings.meter_detect = bool(getattr(args, "meter_step", False))
    return settings


def run_locate(args: argparse.Namespace) -> int:
    from engine.geojson_io import load_network
    from engine.locate import LocateError, locate
    from engine.network import NetworkError
    from engine.simulate import ReadingsError, read_readings_csv
    from engine.solver import SolverError

    if args.confidence is not None and not 0 < args.confidence < 1:
        return _fail("--confidence must be between 0 and 1")
    try:
        network = load_network(args.network)
        readings = read_readings_csv(args.readings, network)
        evidence = _evidence(args, network)
        result = locate(network, readings, evidence=evidence, settings=_settings(args, network))
    except (NetworkError, ReadingsError, LocateError, ValueError) as exc:
        return _fail(str(exc))
    except SolverError as exc:
        return _fail(f"the network could not be solved: {exc}")
    print(json.dumps(result.to_json(limit=args.candidates), ensure_ascii=False))
    return 0

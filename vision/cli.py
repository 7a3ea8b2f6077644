"""`anran read-meter IMAGE… [--kind auto|dial|register] [--range MIN:MAX] [--unit U]`."""

from __future__ import annotations

import argparse
import json
import sys


def _range(text: str) -> tuple[float, float]:
    try:
        lo, hi = (float(v) for v in text.split(":"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"--range must be MIN:MAX, e.g. 0:1.6 (got {text!r})") from None
    if not hi > lo:
        raise argparse.ArgumentTypeError(f"--range max must exceed min (got {text!r})")
    return lo, hi


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register ``read-meter``."""
    p = subparsers.add_parser("read-meter", help="read pointer gauges / gas-meter registers from photos (JSON lines)")
    p.add_argument("images", nargs="+", metavar="IMAGE")
    p.add_argument("--kind", choices=("auto", "dial", "register"), default="auto")
    p.add_argument("--range", dest="value_range", type=_range, default=None, metavar="MIN:MAX")
    p.add_argument("--unit", default=None)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Read every image with one reader; one JSON object per line in input order; 1 if any failed."""
    from vision.reader import MeterReader
    from vision.reasons import describe

    reader = MeterReader()
    failed = 0
    for path in args.images:
        try:
            r = reader.read(path, kind=args.kind, value_range=args.value_range, unit=args.unit)
            obj = r.cli_object(path)
            if r.value is None:
                obj["error"] = "; ".join(describe(t) for t in r.reasons) or "no reading"
                failed += 1
        except Exception as exc:  # one bad file must not stop the others
            obj = {"file": path, "error": str(exc)}
            failed += 1
        sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
        sys.stdout.flush()
    return 1 if failed else 0

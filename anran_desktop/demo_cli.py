"""``anran demo [--out DIR]``: the plan's 附录 A scenario, headless, on the real components.

A compressed clock: the engine simulator produces an hour of 星海花园 readings with a leak on the 南区
branch (segment S4, between S3 and S5); every later step is stamped on the scenario clock. All figures
(interval, length, confidence, meter and gauge values) are computed by the engine and vision code.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from engine.interval import quoted


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("demo", help="run the 附录 A emergency scenario end to end (headless)",
                              description="Run the plan's 附录 A scenario headless: leak, detection, area notice, "
                                          "resident report, ticket, on-site evidence, valve test, close report.")
    p.add_argument("--out", default="anran-demo", help="output folder (default ./anran-demo)")
    p.add_argument("--seed", type=int, default=12, help="simulator seed (default 12)")
    p.set_defaults(func=run_demo)


def run_demo(args: argparse.Namespace) -> int:
    from anran_desktop.drills.appendix_a import run_scenario

    out = Path(args.out)
    try:
        result = run_scenario(out, seed=args.seed)
    except (OSError, ValueError) as exc:
        print(f"anran demo: {exc}")
        return 1
    width = max(_width(step["actor"]) for step in result.timeline)
    for step in result.timeline:
        extra = ""
        if step.get("interval_length_m") is not None:
            extra = f"  区间 {step['interval_length_m']:.0f} m  置信度 {quoted(step['confidence'], 3):.1%}"
        if step.get("notified"):
            extra += f"  送达 {len(step['notified'])} 人"
            if step.get("acknowledged") is not None:
                extra += f"，回执 {step['acknowledged']} 人"
        print(f"{step['local_time']}  {_pad(step['actor'], width)} {step['action']}{extra}")
    print(f"\n时间线: {result.timeline_path}\n结案报告: {result.pdf_path}\n演练报告: {result.drill_pdf}")
    print(f"审计日志校验: {'通过' if result.audit_ok else '失败'}")
    return 0


def _width(text: str) -> int:
    """Columns ``text`` takes in a terminal (CJK and full-width characters take two)."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))

"""The one command line, ``anran``, that fronts every capability.

Each capability lives in its own module, which exposes ``add_parser(subparsers)``; that function
registers one or more sub-commands and sets ``func`` (``args -> int`` exit status) as their default.
Modules are imported here only to build the parser, so they must keep heavy imports inside ``func``.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from anran_desktop import __version__

#: Modules contributing sub-commands, in the order they appear in ``anran --help``.
COMMAND_MODULES: tuple[str, ...] = (
    "anran_desktop.app_cli",  # anran app
    "anran_desktop.demo_cli",  # anran demo
    "sync.cli",  # anran relay
    "engine.cli",  # anran simulate, anran locate
    "engine.placement_cli",  # anran plan-sensors
    "vision.cli",  # anran read-meter
    "anran_desktop.ingest.cli",  # anran ingest ...
    "anran_desktop.report_cli",  # anran report ...
    "anran_desktop.users_cli",  # anran users ...
    "anran_desktop.backup_cli",  # anran backup, anran restore
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="anran",
        description="安燃云 AnRan — gas network leak monitoring and emergency dispatch.",
    )
    parser.add_argument("--version", action="version", version=f"anran {__version__}")
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="check that this installation works (database, engine, meter reading, window) and exit",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module_name in COMMAND_MODULES:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            # A capability that is not part of this build: its commands are simply absent.
            if exc.name and module_name.startswith(exc.name):
                continue
            raise
        module.add_parser(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        from anran_desktop.logs import setup_logging

        setup_logging()
    except OSError as exc:  # an unwritable log folder must not stop the program
        print(f"anran: warning: logging to file is off ({exc})", file=sys.stderr)
    if args.self_test:
        from anran_desktop.selftest import run_self_test

        return run_self_test()
    func = getattr(args, "func", None)
    if func is None:
        parser.print_help()
        return 2
    return int(func(args) or 0)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

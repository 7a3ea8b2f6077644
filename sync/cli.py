"""``anran relay`` — run the relay service."""

from __future__ import annotations

import argparse
import os


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("relay", help="run the relay service for residents and desktop sync")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8780)
    p.add_argument("--db", default="sqlite:///relay.db", help="SQLAlchemy URL (SQLite file or PostgreSQL)")
    p.add_argument("--site-token", action="append", default=[],
                   help="register a desktop site token (also ANRAN_SITE_TOKENS, comma-separated)")
    p.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    import uvicorn

    from sync.relay import create_app

    tokens = list(args.site_token) + [t for t in os.environ.get("ANRAN_SITE_TOKENS", "").split(",") if t]
    app = create_app(args.db, site_tokens=tokens)
    uvicorn.run(app, host=args.host, port=args.port, log_level="info")
    return 0

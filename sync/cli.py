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
    p.add_argument("--rate-per-minute", type=int, default=120, help="requests a minute allowed per account")
    p.add_argument("--token-ttl", type=int, default=3600, help="lifetime of residents' bearer tokens, seconds")
    p.set_defaults(func=_run)
    from sync.staff_cli import add_parser as add_staff_parser

    add_staff_parser(subparsers)


def _run(args: argparse.Namespace) -> int:
    import uvicorn

    from sync.relay import create_app

    tokens = list(args.site_token) + [t for t in os.environ.get("ANRAN_SITE_TOKENS", "").split(",") if t]
    app = create_app(args.db, site_tokens=tokens, token_ttl_s=args.token_ttl,
                     rate_per_minute=args.rate_per_minute)
    uvicorn.run(app, host=args.host, port=args.port, log_level="info")
    return 0

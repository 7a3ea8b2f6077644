"""``anran relay-staff`` — create, update or remove a relay staff account with the site token."""

from __future__ import annotations

import argparse
import getpass
import os
import sys


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("relay-staff", help="manage dispatcher / crew / property-manager accounts on the relay",
                              description="Create or update (add) or remove a staff account on the relay. The site "
                                          "token comes from --site-token or ANRAN_SITE_TOKEN; the password is read "
                                          "from standard input with --password-stdin, else asked for.")
    p.add_argument("--url", required=True, help="relay base URL, e.g. https://relay.example.cn")
    p.add_argument("--site-token", default=None, help="this site's token (default: $ANRAN_SITE_TOKEN)")
    sub = p.add_subparsers(dest="action", required=True)
    add = sub.add_parser("add", help="create or update a staff account")
    add.add_argument("username")
    add.add_argument("--role", required=True, choices=["dispatcher", "crew", "property_manager"])
    add.add_argument("--area", default=None, help="area the account works in (required for crew and property_manager)")
    add.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    rm = sub.add_parser("remove", help="remove a staff account (its tokens stop working)")
    rm.add_argument("username")
    p.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    import httpx

    token = args.site_token or os.environ.get("ANRAN_SITE_TOKEN")
    if not token:
        print("anran relay-staff: error: no site token (--site-token or ANRAN_SITE_TOKEN)", file=sys.stderr)
        return 2
    headers = {"Authorization": f"Bearer {token}"}
    base = args.url.rstrip("/")
    try:
        if args.action == "add":
            password = sys.stdin.readline().rstrip("\n") if args.password_stdin else getpass.getpass("password: ")
            r = httpx.post(f"{base}/admin/staff", headers=headers, timeout=15,
                           json={"username": args.username, "password": password, "role": args.role,
                                 "area": args.area})
        else:
            r = httpx.delete(f"{base}/admin/staff/{args.username}", headers=headers, timeout=15)
    except httpx.HTTPError as exc:
        print(f"anran relay-staff: error: relay {base} not reachable ({exc})", file=sys.stderr)
        return 1
    if r.status_code not in (200, 201):
        try:
            err = r.json()["error"]
            why = f"{err['code']}: {err['message']}"
        except (ValueError, KeyError, TypeError):
            why = r.text[:200]
        print(f"anran relay-staff: error: relay answered {r.status_code} ({why})", file=sys.stderr)
        return 1
    print("added/updated" if args.action == "add" else "removed", args.username)
    return 0

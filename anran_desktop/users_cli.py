"""``anran users list|add|reset-password|deactivate|activate``: the desktop's accounts from the command line.

The way back in when the only admin has forgotten the password, and for setting up a workstation from a
script. Whoever can open the database file on this machine can already change it, so these commands act as
``console:<OS user>`` without a sign-in; the rules of the 用户管理 dialog still hold (the last active admin
stays, a username is never reused) and every change is in the audit log. A password is asked twice on a
terminal, or read as one line from standard input (scripts); never taken as an argument, where it would be
left in the shell history and the process list.
"""

from __future__ import annotations

import argparse
import getpass
import sys

from anran_desktop.workflow.permissions import ROLES


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("users", help="list and manage the desktop's accounts (admin recovery, scripted set-up)")
    sub = p.add_subparsers(dest="users_action", metavar="ACTION", required=True)
    ls = sub.add_parser("list", help="the accounts, their roles and whether they are active")
    add = sub.add_parser("add", help="add an account (password asked, or one line on standard input)")
    add.add_argument("username")
    add.add_argument("--name", required=True, help="the person's name, e.g. 抢修员 07")
    add.add_argument("--role", required=True, choices=ROLES)
    reset = sub.add_parser("reset-password", help="set a new password (lifts a sign-in lock)")
    reset.add_argument("username")
    off = sub.add_parser("deactivate", help="no more sign-in or dispatch for this account (it is kept)")
    off.add_argument("username")
    on = sub.add_parser("activate", help="reactivate a deactivated account")
    on.add_argument("username")
    for q in (ls, add, reset, off, on):
        q.add_argument("--db", help="database file (default: the user data folder's)")
    p.set_defaults(func=run_users)


def _password() -> str:
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("new password: ")
    if getpass.getpass("once more: ") != first:
        raise ValueError("the two passwords differ")
    return first


def run_users(args: argparse.Namespace) -> int:
    from pathlib import Path

    from anran_desktop.paths import default_db_path
    from anran_desktop.services.user_admin import UserAdmin
    from anran_desktop.services.users import ROLE_LABELS, UserService
    from anran_desktop.store import open_store
    from anran_desktop.store.db import StoreError

    db = Path(args.db) if args.db else default_db_path()
    if not db.exists():  # never create an empty database by mistyping its name
        print(f"anran users: database {db} does not exist", file=sys.stderr)
        return 1
    try:
        store = open_store(db)
    except StoreError as exc:
        print(f"anran users: {exc}", file=sys.stderr)
        return 1
    try:
        admin = UserAdmin(UserService(store), console=True)
        actor = admin.console_actor
        if args.users_action == "list":
            for u in admin.users.list():
                state = "active" if u.active else "deactivated"
                print(f"{u.username}\t{u.display_name}\t{u.role} ({ROLE_LABELS.get(u.role, u.role)})\t{state}")
            return 0
        if args.users_action == "add":
            u = admin.add(actor, args.username, args.name, args.role, _password())
            print(f"added {u.username} ({u.role})")
        elif args.users_action == "reset-password":
            admin.reset_password(actor, args.username, _password())
            print(f"new password set for {args.username}")
        else:
            active = args.users_action == "activate"
            admin.set_active(actor, args.username, active)
            print(f"{args.username} {'reactivated' if active else 'deactivated'}")
        return 0
    except ValueError as exc:  # AccountError included
        print(f"anran users: {exc}", file=sys.stderr)
        return 1
    finally:
        store.close()

"""``anran report incident|drill|weekly|monthly``: PDF reports from the desktop database."""

from __future__ import annotations

import argparse


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("report", help="write PDF reports (incident close report, drill, weekly, monthly)")
    sub = p.add_subparsers(dest="report_kind", metavar="KIND", required=True)
    inc = sub.add_parser("incident", help="close report of one ticket")
    inc.add_argument("ticket", help="ticket id, e.g. T-20261124-0001")
    inc.add_argument("--evidence", help="evidence image folder (default: an 'evidence' folder beside the database, "
                                         "else the user data folder's)")
    drill = sub.add_parser("drill", help="drill report of one drill ticket")
    drill.add_argument("ticket", help="drill ticket id")
    per = [sub.add_parser("weekly", help="weekly report"), sub.add_parser("monthly", help="monthly report")]
    for q in [inc, drill, *per]:
        q.add_argument("--db", required=True, help="desktop database (anran.db)")
        q.add_argument("--out", required=True, help="PDF file to write")
    for q in per:
        q.add_argument("--end", help="last day of the period, YYYY-MM-DD (local date; default today)")
    p.set_defaults(func=run_report)


def run_report(args: argparse.Namespace) -> int:
    import datetime as dt
    from pathlib import Path

    from anran_desktop.reports.loaders import evidence_root_for, incident_from_store, periodic_from_store
    from anran_desktop.store import open_store
    from anran_desktop.store.db import StoreError

    if not Path(args.db).exists():
        print(f"anran report: database {args.db} does not exist")
        return 1
    try:
        store = open_store(args.db)
        if args.report_kind == "incident":
            from anran_desktop.reports.incident import build_incident_report

            root = Path(args.evidence) if args.evidence else evidence_root_for(args.db)
            out = build_incident_report(incident_from_store(store, args.ticket, root), args.out)
        elif args.report_kind == "drill":
            from anran_desktop.reports.drill import build_drill_report
            from anran_desktop.reports.drill_loader import drill_from_store

            out = build_drill_report(drill_from_store(store, args.ticket), args.out)
        else:
            from anran_desktop.reports.periodic import build_periodic_report
            from anran_desktop.services.report_center import LOCAL_TZ, period_bounds

            end_day = dt.date.fromisoformat(args.end) if args.end else dt.datetime.now(LOCAL_TZ).date()
            start, end = period_bounds(end_day, 7 if args.report_kind == "weekly" else 30)
            title = "周报" if args.report_kind == "weekly" else "月报"
            out = build_periodic_report(periodic_from_store(store, start, end, title), args.out)
    except (ValueError, StoreError) as exc:  # unknown ticket (WorkflowError), bad dates, empty timeline, no network
        print(f"anran report: {exc}")
        return 1
    print(out)
    return 0

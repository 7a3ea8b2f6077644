"""Report centre (Qt-free): generate incident / weekly / monthly / drill PDFs from the store into one folder and
list what was generated.

Each PDF gets a sidecar ``<name>.json`` (kind, title, period, subject, created time) written after the PDF, so the
list needs no database table and a half-written report (no sidecar) is never listed as finished.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

KINDS = {"incident": "结案报告", "weekly": "周报", "monthly": "月报", "drill": "演练报告"}
LOCAL_TZ = dt.timezone(dt.timedelta(hours=8))


@dataclass(frozen=True)
class ReportEntry:
    path: Path
    kind: str  # one of KINDS
    title: str
    period: str  # e.g. "2026-11-25 至 2026-12-01" or the ticket id
    created_at: str  # UTC ISO 8601

    @property
    def kind_label(self) -> str:
        return KINDS.get(self.kind, self.kind)


def period_bounds(end_day: dt.date, days: int) -> tuple[dt.datetime, dt.datetime]:
    """[start, end) of the ``days`` local days (北京时间) ending with ``end_day``."""
    end = dt.datetime.combine(end_day + dt.timedelta(days=1), dt.time(), LOCAL_TZ)
    return end - dt.timedelta(days=days), end


class ReportCenter:
    """Generates into ``folder`` (created on first use); ``evidence_root`` is where the evidence images live."""

    def __init__(self, store, folder: Path, evidence_root: Path | None = None) -> None:  # noqa: ANN001
        self.store = store
        self.folder = Path(folder)
        self.evidence_root = evidence_root

    def subjects(self, kind: str) -> list[tuple[str, str]]:
        """(ticket id, title) a report of ``kind`` can be made for: closed tickets, or drill tickets."""
        if kind not in ("incident", "drill"):
            return []
        from anran_desktop.services.tickets import TicketService

        cards = TicketService(self.store).board()
        if kind == "drill":
            return [(c.id, c.title) for c in cards if c.is_drill]
        return [(c.id, c.title) for c in cards if c.status == "closed" and not c.is_drill]

    def generate(self, kind: str, subject: str | None = None, end_day: dt.date | None = None) -> ReportEntry:
        """Write one report; ``subject`` is the ticket id (incident, drill), ``end_day`` the period's last local
        day (weekly, monthly; default today). Raises ValueError with the reason on bad input."""
        from anran_desktop.reports import loaders

        if kind not in KINDS:
            raise ValueError(f"unknown report kind {kind!r} (expected one of {', '.join(KINDS)})")
        now = dt.datetime.now(dt.UTC)
        stamp = now.astimezone().strftime("%Y%m%d-%H%M%S")  # file names in the machine's local time
        self.folder.mkdir(parents=True, exist_ok=True)
        if kind in ("incident", "drill"):
            if not subject:
                raise ValueError(f"{KINDS[kind]}需要选择一个工单")
            path = self.folder / f"{KINDS[kind]}_{subject}_{stamp}.pdf"
            if kind == "incident":
                from anran_desktop.reports.incident import build_incident_report

                data = loaders.incident_from_store(self.store, subject, self.evidence_root)
                build_incident_report(data, path)
                title = f"{data.site} {data.title}"
            else:
                from anran_desktop.reports.drill import build_drill_report
                from anran_desktop.reports.drill_loader import drill_from_store

                ddata = drill_from_store(self.store, subject, self.evidence_root)
                build_drill_report(ddata, path)
                title = f"{ddata.site} {ddata.scenario}"
            period = subject
        else:
            from anran_desktop.reports.periodic import build_periodic_report

            day = end_day or now.astimezone(LOCAL_TZ).date()
            start, end = period_bounds(day, 7 if kind == "weekly" else 30)
            pdata = loaders.periodic_from_store(self.store, start, end, KINDS[kind])
            period = f"{start.date().isoformat()} 至 {(end - dt.timedelta(days=1)).date().isoformat()}"
            path = self.folder / f"{KINDS[kind]}_{day.isoformat()}_{stamp}.pdf"
            build_periodic_report(pdata, path)
            title = f"{pdata.site}燃气安全{KINDS[kind]}"
        entry = ReportEntry(path, kind, title, period, now.isoformat(timespec="milliseconds").replace("+00:00", "Z"))
        meta = {**asdict(entry), "path": path.name}
        tmp = path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(tmp, path.with_suffix(".json"))
        return entry

    def list(self) -> list[ReportEntry]:
        """Generated reports, newest first; sidecars whose PDF is gone, or that cannot be read, are skipped."""
        out: list[tuple[tuple[str, int], ReportEntry]] = []
        if not self.folder.is_dir():
            return []
        for meta in self.folder.glob("*.json"):
            try:
                m = json.loads(meta.read_text(encoding="utf-8"))
                entry = ReportEntry(self.folder / m["path"], m["kind"], m["title"], m["period"], m["created_at"])
                written = meta.stat().st_mtime_ns  # orders two reports made within the same millisecond
            except (OSError, ValueError, KeyError, TypeError):
                continue
            if entry.path.is_file():
                out.append(((entry.created_at, written), entry))
        return [e for _k, e in sorted(out, key=lambda x: x[0], reverse=True)]

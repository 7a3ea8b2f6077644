"""File sources: SCADA historian CSV exports (wide: a time column and one column per tag) and
smart-meter (AMR) hourly reads (meter id, read time, cumulative register), each with a column mapping
saved in the site configuration. Bad rows are counted per reason with their line numbers and skipped."""

from __future__ import annotations

import asyncio
import csv
import logging
from collections.abc import AsyncIterator, Callable

from anran_desktop.ingest.base import DataSource, Sample, SourceState
from anran_desktop.ingest.config import AmrCsvConfig, ScadaCsvConfig
from anran_desktop.ingest.mapping import MappingError, parse_time, scale_check, to_float

log = logging.getLogger(__name__)


class _FileSource(DataSource):
    batch_rows = 1000

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self._samples: list[Sample] | None = None
        self.reject_lines: dict[str, list[int]] = {}

    def _reject(self, reason: str, line: int, detail: str) -> None:
        st = self.status
        st.samples_rejected += 1
        st.rejects_by_reason[reason] = st.rejects_by_reason.get(reason, 0) + 1
        lines = self.reject_lines.setdefault(reason, [])
        if len(lines) < 20:
            lines.append(line)
            log.warning("%s %s line %d: %s (%s)", self.kind, self.name, line, detail, reason)

    async def start(self) -> None:
        self.status.state = SourceState.CONNECTING
        try:
            self._samples = await asyncio.get_running_loop().run_in_executor(None, self._read)
        except (OSError, UnicodeDecodeError, ValueError, csv.Error) as exc:
            self.status.state = SourceState.FAILED
            self.status.message = str(exc)
            self._samples = []
            return
        self.status.state = SourceState.RUNNING

    async def stop(self) -> None:
        if self.status.state == SourceState.RUNNING:
            self.status.state = SourceState.STOPPED

    async def batches(self) -> AsyncIterator[list[Sample]]:
        samples = self._samples or []
        for i in range(0, len(samples), self.batch_rows):
            batch = samples[i:i + self.batch_rows]
            self.status.samples_received += len(batch)
            self.status.last_sample_time = batch[-1].time
            yield batch
            await asyncio.sleep(0)
        if self.status.state == SourceState.RUNNING:
            self.status.state = SourceState.FINISHED
            self.status.message = f"{self.status.samples_received} samples, {self.status.samples_rejected} rejected"

    def _read(self) -> list[Sample]:  # pragma: no cover - abstract
        raise NotImplementedError


def _open_rows(path: str, encoding: str, delimiter: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    with open(path, encoding=encoding, newline="") as f:
        reader = csv.reader(f, delimiter=delimiter)
        try:
            header = [h.strip() for h in next(reader)]
        except StopIteration:
            raise ValueError(f"{path}: empty file") from None
        return header, [(reader.line_num, row) for row in reader]


class ScadaCsvSource(_FileSource):
    kind = "scada_csv"

    def __init__(self, cfg: ScadaCsvConfig) -> None:
        super().__init__(cfg.name)
        self.cfg = cfg
        self.batch_rows = cfg.batch_rows * max(1, len(cfg.columns))

    def describe(self, term: Callable[[str], str] = str) -> str:
        return f"SCADA CSV {self.name} · {self.cfg.path}"

    def _read(self) -> list[Sample]:
        cfg = self.cfg
        header, rows = _open_rows(cfg.path, cfg.encoding, cfg.delimiter)
        wanted = [cfg.time_column] + [c.column for c in cfg.columns]
        missing = [c for c in wanted if c not in header]
        if missing:
            raise ValueError(f"{cfg.path}: columns not in the header: {', '.join(missing)} "
                             f"(header has: {', '.join(header)})")
        ti = header.index(cfg.time_column)
        cols = [(header.index(c.column), c) for c in cfg.columns]
        out: list[Sample] = []
        for line, row in rows:
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                self._reject("wrong_columns", line, f"{len(row)} fields, header has {len(header)}")
                continue
            try:
                t = parse_time(row[ti], cfg.time_format, cfg.tz_offset_h)
            except MappingError as exc:
                self._reject(exc.reason, line, exc.detail)
                continue
            for i, c in cols:
                cell = row[i].strip()
                if cell == "" or cell.upper() in ("NA", "NAN", "NULL", "#N/A", "--"):
                    continue  # no reading at this time: a gap, not an error
                try:
                    v = scale_check(to_float(cell, c.column), c.scale, c.offset, c.valid_min, c.valid_max,
                                    c.column)
                except MappingError as exc:
                    self._reject(exc.reason, line, exc.detail)
                    continue
                out.append(Sample(t, c.point, c.quantity, v))
        out.sort(key=lambda s: s.time)
        return out


class AmrCsvSource(_FileSource):
    """Hourly AMR reads → ``flow_m3h`` per meter point: the consumption between two reads divided by
    the hours between them, stamped at the later read. A register that goes backwards (meter swap,
    roll-over) or an implausible flow is rejected."""

    kind = "amr_csv"

    def __init__(self, cfg: AmrCsvConfig) -> None:
        super().__init__(cfg.name)
        self.cfg = cfg

    def describe(self, term: Callable[[str], str] = str) -> str:
        return f"AMR {self.name} · {self.cfg.path}"

    def _read(self) -> list[Sample]:
        cfg = self.cfg
        header, rows = _open_rows(cfg.path, cfg.encoding, cfg.delimiter)
        missing = [c for c in (cfg.meter_column, cfg.time_column, cfg.reading_column) if c not in header]
        if missing:
            raise ValueError(f"{cfg.path}: columns not in the header: {', '.join(missing)} "
                             f"(header has: {', '.join(header)})")
        mi, ti, ri = (header.index(c) for c in (cfg.meter_column, cfg.time_column, cfg.reading_column))
        reads: dict[str, list[tuple[float, float, int]]] = {}
        for line, row in rows:
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                self._reject("wrong_columns", line, f"{len(row)} fields, header has {len(header)}")
                continue
            meter = row[mi].strip()
            if not meter:
                self._reject("missing_field", line, "no meter id")
                continue
            try:
                t = parse_time(row[ti], cfg.time_format, cfg.tz_offset_h)
                r = to_float(row[ri], cfg.reading_column)
            except MappingError as exc:
                self._reject(exc.reason, line, exc.detail)
                continue
            reads.setdefault(meter, []).append((t, r, line))
        out: list[Sample] = []
        for meter, lst in reads.items():
            point = cfg.meters.get(meter) or cfg.point_template.replace("{meter}", meter)
            lst.sort()
            prev: tuple[float, float, int] | None = None
            for t, r, line in lst:
                if prev is not None:
                    if t == prev[0]:
                        if r != prev[1]:
                            self._reject("conflicting_duplicate", line, f"{meter} read twice at the same time")
                        continue
                    if r < prev[1]:
                        self._reject("meter_backwards", line, f"{meter}: {r} after {prev[1]}")
                        prev = (t, r, line)
                        continue
                    flow = (r - prev[1]) / ((t - prev[0]) / 3600.0)
                    if flow > cfg.max_flow_m3h:
                        self._reject("out_of_range", line, f"{meter}: {flow:.1f} m³/h")
                    else:
                        out.append(Sample(t, point, "flow_m3h", flow))
                prev = (t, r, line)
        out.sort(key=lambda s: s.time)
        return out

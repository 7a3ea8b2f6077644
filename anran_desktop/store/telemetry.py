"""Telemetry storage: raw samples (point, epoch ms) clustered per point, minute aggregates beyond the
raw retention window. Uses the DB-API directly for bulk speed (executemany, no ORM objects)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
from sqlalchemy import Connection

from anran_desktop.store.db import Store

DEFAULT_RAW_RETENTION_S = 7 * 24 * 3600
_ROW = np.dtype([("t", "i8"), ("v", "f8")])


class TelemetryRepo:
    def __init__(self, store: Store) -> None:
        self.store = store
        self._point_no: dict[str, int] = {}
        self._quantity: dict[str, str] = {}
        with store.read() as c:
            for no, point, qty in c.exec_driver_sql("SELECT point_no, point, quantity FROM points"):
                self._point_no[point] = no
                self._quantity[point] = qty

    def point_no(self, conn: Connection, point: str, quantity: str) -> int:
        no = self._point_no.get(point)
        if no is None:
            conn.exec_driver_sql("INSERT OR IGNORE INTO points(point, quantity) VALUES (?, ?)", (point, quantity))
            no = conn.exec_driver_sql("SELECT point_no FROM points WHERE point = ?", (point,)).scalar()
            self._point_no[point] = int(no)
            self._quantity[point] = quantity
        return int(no)

    def points(self) -> dict[str, str]:
        """point id → quantity, for every point with stored data."""
        return dict(self._quantity)

    def insert(self, samples: Iterable[tuple[float, str, str, float, int]]) -> int:
        """Insert ``(time_s, point, quantity, value, flags)`` rows in one transaction; a repeated
        (point, time) keeps the first value (re-delivered messages are not duplicated)."""
        with self.store.begin() as conn:
            rows = [(self.point_no(conn, p, q), int(round(t * 1000)), float(v), int(f))
                    for t, p, q, v, f in samples]
            conn.exec_driver_sql("INSERT OR IGNORE INTO telemetry(point_no, t_ms, value, flags) VALUES (?,?,?,?)",
                                 rows)
        return len(rows)

    def series(self, point: str, start_s: float, end_s: float) -> tuple[np.ndarray, np.ndarray]:
        """``(t_s, value)`` for one point; minute means where raw data was compacted away."""
        no = self._point_no.get(point)
        if no is None:
            return np.empty(0), np.empty(0)
        a, b = int(start_s * 1000), int(end_s * 1000)
        with self.store.read() as conn:
            dbapi = conn.connection.driver_connection  # plain sqlite3: tuples straight into numpy
            raw = np.fromiter(dbapi.execute(
                "SELECT t_ms, value FROM telemetry WHERE point_no = ? AND t_ms BETWEEN ? AND ? ORDER BY t_ms",
                (no, a, b)), dtype=_ROW)
            first_raw = int(raw["t"][0]) if raw.size else b + 1
            if first_raw - 1 >= a:  # minute means only where raw data no longer covers the window
                agg = np.fromiter(dbapi.execute(
                    "SELECT t_min * 60000 + 30000, vmean FROM telemetry_minute WHERE point_no = ? "
                    "AND t_min BETWEEN ? AND ? ORDER BY t_min", (no, a // 60000, (first_raw - 1) // 60000)),
                    dtype=_ROW)
                agg = agg[(agg["t"] >= a) & (agg["t"] < first_raw)]
                rows = np.concatenate([agg, raw]) if agg.size else raw
            else:
                rows = raw
        return rows["t"] / 1000.0, np.ascontiguousarray(rows["v"])

    def latest(self, points: Sequence[str]) -> dict[str, tuple[float, float]]:
        out: dict[str, tuple[float, float]] = {}
        with self.store.read() as conn:
            for p in points:
                no = self._point_no.get(p)
                if no is None:
                    continue
                row = conn.exec_driver_sql(
                    "SELECT t_ms, value FROM telemetry WHERE point_no = ? ORDER BY t_ms DESC LIMIT 1", (no,)
                ).fetchone()
                if row:
                    out[p] = (row[0] / 1000.0, row[1])
        return out

    def compact(self, now_s: float, retention_s: float = DEFAULT_RAW_RETENTION_S) -> int:
        """Fold raw samples older than the retention window into minute aggregates; returns rows folded."""
        cutoff = int((now_s - retention_s) // 60 * 60000)
        with self.store.begin() as conn:
            conn.exec_driver_sql(
                "INSERT OR REPLACE INTO telemetry_minute(point_no, t_min, vmin, vmean, vmax, n, flags) "
                "SELECT point_no, t_ms / 60000, MIN(value), AVG(value), MAX(value), COUNT(*), MAX(flags) "
                "FROM telemetry WHERE t_ms < ? GROUP BY point_no, t_ms / 60000", (cutoff,))
            n = conn.exec_driver_sql("DELETE FROM telemetry WHERE t_ms < ?", (cutoff,)).rowcount
        return int(n)

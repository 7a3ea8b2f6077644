"""SCADA CSV exports and AMR hourly reads with a per-site column mapping."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from anran_desktop.ingest.base import SourceState
from anran_desktop.ingest.config import AmrCsvConfig, ScadaCsvConfig
from anran_desktop.ingest.file_sources import AmrCsvSource, ScadaCsvSource


def run(src):
    async def main():
        out = []
        async with src:
            async for b in src.batches():
                out.extend(b)
        return out

    return asyncio.run(main())


def test_scada_export_local_time_mapping_and_bad_rows(tmp_path):
    p = tmp_path / "export.csv"
    p.write_text("时间,PT07(kPa),FT01(m3/h),备注\n"
                 "2026-11-24 08:00:00,301.2,120.5,\n"
                 "2026-11-24 08:00:01,301.4,,\n"  # empty flow cell: a gap, not an error
                 "2026-11-24 08:00:02,abc,121.0,\n"  # wrong type for PT07 only
                 "2026-11-24 08:00:03,9999,121.5,\n"  # out of range
                 "24/11/2026 08:00:04,301.0,122.0,\n"  # bad time
                 "2026-11-24 08:00:05,301.0\n", encoding="utf-8-sig")  # wrong column count
    cfg = ScadaCsvConfig(name="export", path=str(p), time_column="时间", time_format="%Y-%m-%d %H:%M:%S",
                         columns=[{"column": "PT07(kPa)", "point": "PT-07", "valid_max": 1000},
                                  {"column": "FT01(m3/h)", "point": "FT-01", "quantity": "flow_m3h"}])
    src = ScadaCsvSource(cfg)
    got = run(src)
    t0 = datetime(2026, 11, 24, 0, 0, tzinfo=UTC).timestamp()  # 08:00 in Guangzhou
    assert [(s.point, s.time - t0, s.value) for s in got if s.point == "PT-07"] == [
        ("PT-07", 0.0, 301.2), ("PT-07", 1.0, 301.4)]
    assert [s.value for s in got if s.point == "FT-01"] == [120.5, 121.0, 121.5]
    assert src.status.rejects_by_reason == {"wrong_type": 1, "out_of_range": 1, "bad_time": 1, "wrong_columns": 1}
    assert src.reject_lines["bad_time"] == [6]
    assert src.status.state == SourceState.FINISHED


def test_scada_export_missing_column_fails_clearly(tmp_path):
    p = tmp_path / "e.csv"
    p.write_text("time,A\n1,2\n")
    src = ScadaCsvSource(ScadaCsvConfig(name="e", path=str(p), columns=[{"column": "B", "point": "B"}]))
    assert run(src) == []
    assert src.status.state == SourceState.FAILED and "B" in src.status.message and "A" in src.status.message


@pytest.mark.parametrize("content", [None, b"\xff\xfe\x00bad"])
def test_unreadable_file_fails_clearly(tmp_path, content):
    p = tmp_path / "x.csv"
    if content is not None:
        p.write_bytes(content)
    src = ScadaCsvSource(ScadaCsvConfig(name="x", path=str(p), columns=[{"column": "B", "point": "B"}]))
    run(src)
    assert src.status.state == SourceState.FAILED and src.status.message


def test_amr_hourly_reads_to_flow(tmp_path):
    p = tmp_path / "amr.csv"
    p.write_text("meter_id,read_time,reading_m3\n"
                 "M1,2026-11-24T01:00:00+08:00,100.0\n"
                 "M1,2026-11-24T00:00:00+08:00,99.5\n"  # out of order: sorted
                 "M1,2026-11-24T02:00:00+08:00,101.5\n"
                 "M1,2026-11-24T02:00:00+08:00,101.5\n"  # exact duplicate: ignored
                 "M1,2026-11-24T03:00:00+08:00,90.0\n"  # register went backwards
                 "M1,2026-11-24T04:00:00+08:00,90.4\n"
                 "M2,2026-11-24T00:00:00+08:00,5\n"
                 "M2,2026-11-24T01:00:00+08:00,500\n"  # 495 m³ in an hour: implausible
                 ",2026-11-24T01:00:00+08:00,1\n")
    src = AmrCsvSource(AmrCsvConfig(name="amr", path=str(p), meters={"M1": "HH-0101"}, point_template="AMR-{meter}"))
    got = run(src)
    m1 = [(s.point, s.value) for s in got if s.point == "HH-0101"]
    assert m1 == [("HH-0101", pytest.approx(0.5)), ("HH-0101", pytest.approx(1.5)), ("HH-0101", pytest.approx(0.4))]
    assert all(s.quantity == "flow_m3h" for s in got)
    assert not [s for s in got if s.point == "AMR-M2"]
    assert src.status.rejects_by_reason == {"meter_backwards": 1, "out_of_range": 1, "missing_field": 1}

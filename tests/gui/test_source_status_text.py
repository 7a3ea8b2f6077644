"""The status bar's 数据源 label names each source's state in the interface language, never the raw English
state value (a site with MQTT, Modbus and a finished CSV export; states set as the reconnect loops would)."""

import json

from PySide6.QtCore import QCoreApplication, QTranslator

from anran_desktop.ingest.base import SourceState
from anran_desktop.ingest.config import parse_config
from anran_desktop.resources import resource_path
from anran_desktop.services.site_ingest import source_for

RAW = ("running", "reconnecting", "finished", "connecting", "failed", "stopped")


def _site(tmp_path):
    (tmp_path / "scada.csv").write_text("时间,PT07\n2026-11-24 08:00:00,150.1\n", encoding="utf-8")
    source = source_for(parse_config(json.dumps({"site": "星海花园", "sources": [
        {"kind": "mqtt", "name": "iot", "topics": [{"topic": "xh/+/p", "point": "{1}", "value": "v"}]},
        {"kind": "modbus", "name": "plc", "registers": [{"address": 0, "point": "PT-01"}]},
        {"kind": "scada_csv", "name": "historian", "path": "scada.csv", "time_column": "时间",
         "columns": [{"column": "PT07", "point": "PT-07"}]}]}), base_dir=tmp_path))
    iot, plc, hist = source.members
    iot.status.state, plc.status.state, hist.status.state = (SourceState.RUNNING, SourceState.RECONNECTING,
                                                               SourceState.FINISHED)
    return source


def test_site_states_are_shown_in_chinese(window, tmp_path):
    window.source = _site(tmp_path)
    window._tick()
    text = window.source_label.text()
    assert "MQTT iot" in text and "Modbus plc" in text and "historian" in text
    assert "（重连中）" in text and "运行中" in text and "回放结束" in text  # the site's worst state, then each
    assert not any(word in text for word in RAW), text


def test_site_states_are_shown_in_english(window, tmp_path, qapp):
    tr = QTranslator()
    assert tr.load(str(resource_path("i18n", "anran_en.qm")))
    QCoreApplication.installTranslator(tr)
    try:
        window.source = _site(tmp_path)
        window._tick()
        text = window.source_label.text()
    finally:
        QCoreApplication.removeTranslator(tr)
    assert "replay finished" in text and " (reconnecting): " in text and text.startswith("Source: ")
    assert not any(ch in text for ch in "（）：；"), text  # ASCII punctuation in English
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in text.replace("星海花园", "")), text


def _english():
    tr = QTranslator()
    assert tr.load(str(resource_path("i18n", "anran_en.qm")))
    QCoreApplication.installTranslator(tr)
    return tr


def test_simulator_and_replay_kinds_follow_the_interface_language(window, demo_db, tmp_path):
    from anran_desktop.ingest.csv_replay import CsvReplaySource
    from anran_desktop.ingest.simulator import SimulatorSource

    _path, _store, network = demo_db
    sources = [SimulatorSource(network, name="星海花园", speedup=40), CsvReplaySource(tmp_path / "drill.csv")]
    zh = []
    for source in sources:
        window.source = source
        window._tick()
        zh.append(window.source_label.text())
    assert "模拟器 · 星海花园 · 1 Hz · ×40 · 已停止" in zh[0] and "CSV 回放 · drill.csv" in zh[1], zh
    tr = _english()
    try:
        en = []
        for source in sources:
            window.source = source
            window._tick()
            en.append(window.source_label.text())
    finally:
        QCoreApplication.removeTranslator(tr)
    assert "Simulator · 星海花园 · 1 Hz · ×40 · stopped" in en[0] and "CSV replay · drill.csv" in en[1], en
    assert not any("\u4e00" <= ch <= "\u9fff" for text in en for ch in text.replace("星海花园", "")), en

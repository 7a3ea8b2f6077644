"""Field data sources (simulator, CSV replay, MQTT, OPC UA, Modbus, files) behind one interface.

Qt-free: sources are asyncio objects; the desktop runs them on its qasync loop, tests run them bare.
"""

from anran_desktop.ingest.base import DataSource, Sample, SampleFlag, SourceState, SourceStatus

__all__ = ["DataSource", "Sample", "SampleFlag", "SourceState", "SourceStatus"]

"""Per-site source configuration (pydantic, JSON-serialisable so the desktop can store it).

A site file looks like::

    {"site": "星海花园", "sources": [
      {"kind": "mqtt", "name": "iot", "host": "127.0.0.1", "port": 1883,
       "topics": [{"topic": "xinghai/+/pressure", "point": "{1}", "quantity": "pressure_kpa",
                   "value": "v", "time": "ts", "valid_min": -10, "valid_max": 1000}]},
      {"kind": "modbus", "name": "rtu1", "host": "10.0.0.5", "registers": [
         {"point": "FT-01", "quantity": "flow_m3h", "address": 0, "dtype": "float32"}]},
      {"kind": "opcua", "name": "scada", "url": "opc.tcp://10.0.0.9:4840", "nodes": [
         {"node_id": "ns=2;s=PT07", "point": "PT-07", "quantity": "pressure_kpa"}]},
      {"kind": "scada_csv", "name": "export", "path": "scada.csv", "time_column": "时间",
       "columns": [{"column": "PT07", "point": "PT-07", "quantity": "pressure_kpa"}]}]}
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from anran_desktop.ingest.base import DataSource
from anran_desktop.ingest.reconnect import Backoff
from anran_desktop.ingest.secrets import SecretError, one_reference, resolve_password

log = logging.getLogger(__name__)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ValueMap(_Model):
    """How one raw value becomes a point value: ``value·scale + offset``, plausible in [valid_min, valid_max]."""

    point: str = Field(min_length=1)
    quantity: str = "pressure_kpa"
    scale: float = 1.0
    offset: float = 0.0
    valid_min: float | None = None
    valid_max: float | None = None


class ReconnectConfig(_Model):
    initial_s: float = Field(1.0, gt=0)
    max_s: float = Field(60.0, gt=0)
    factor: float = Field(2.0, ge=1)
    jitter: float = Field(0.5, ge=0, le=1)

    def backoff(self) -> Backoff:
        return Backoff(self.initial_s, self.max_s, self.factor, self.jitter)


class TlsConfig(_Model):
    ca_file: str | None = None
    cert_file: str | None = None
    key_file: str | None = None
    insecure: bool = False  # skip host name check (self-signed lab brokers only)


class MqttTopicMap(ValueMap):
    """``topic`` is an MQTT filter; ``point`` may use ``{1}`` (first wildcard) or ``{field:a.b}``.
    ``value``/``time`` are JSON paths ("" = the whole payload is the number); no ``time`` → arrival time."""

    topic: str = Field(min_length=1)
    value: str = "value"
    time: str | None = None
    time_format: str = "auto"
    tz_offset_h: float = 0.0


class MqttSourceConfig(_Model):
    kind: Literal["mqtt"] = "mqtt"
    name: str = Field(min_length=1)
    host: str = "127.0.0.1"
    port: int = Field(1883, ge=1, le=65535)
    client_id: str | None = None
    username: str | None = None
    password: str | None = Field(None, repr=False)
    password_env: str | None = None  # name of an environment variable holding the password
    password_file: str | None = None  # a file (mode 600) holding the password; see ingest/secrets.py
    tls: TlsConfig | None = None
    qos: Literal[0, 1] = 1
    clean_session: bool = False  # a persistent session lets the broker keep QoS 1 messages while we are away
    keepalive_s: int = Field(30, ge=5)
    topics: list[MqttTopicMap] = Field(min_length=1)
    #: Filters to subscribe to; empty = the mappings' own filters. A broader filter (``"site/#"``) makes
    #: messages on topics that no mapping knows visible as ``unknown_topic`` rejects.
    subscribe: list[str] = Field(default_factory=list)
    reconnect: ReconnectConfig = ReconnectConfig()

    @model_validator(mode="after")
    def _one_password(self) -> MqttSourceConfig:
        one_reference(self.password, self.password_env, self.password_file)
        return self


class OpcUaNodeMap(ValueMap):
    node_id: str = Field(min_length=1)


class OpcUaSourceConfig(_Model):
    kind: Literal["opcua"] = "opcua"
    name: str = Field(min_length=1)
    url: str = Field(pattern=r"^opc\.tcp://")
    username: str | None = None
    password: str | None = Field(None, repr=False)
    password_env: str | None = None
    password_file: str | None = None
    publishing_interval_ms: int = Field(500, ge=10)
    use_source_timestamp: bool = True
    nodes: list[OpcUaNodeMap] = Field(min_length=1)
    reconnect: ReconnectConfig = ReconnectConfig()

    @model_validator(mode="after")
    def _one_password(self) -> OpcUaSourceConfig:
        one_reference(self.password, self.password_env, self.password_file)
        return self


class ModbusRegisterMap(ValueMap):
    address: int = Field(ge=0, le=65535)
    table: Literal["holding", "input"] = "holding"
    dtype: Literal["int16", "uint16", "int32", "uint32", "float32", "float64"] = "uint16"
    word_order: Literal["big", "little"] = "big"


class ModbusSourceConfig(_Model):
    kind: Literal["modbus"] = "modbus"
    name: str = Field(min_length=1)
    host: str = "127.0.0.1"
    port: int = Field(502, ge=1, le=65535)
    unit: int = Field(1, ge=0, le=255)
    poll_interval_s: float = Field(1.0, gt=0)
    timeout_s: float = Field(2.0, gt=0)
    registers: list[ModbusRegisterMap] = Field(min_length=1)
    reconnect: ReconnectConfig = ReconnectConfig()


class ColumnMap(ValueMap):
    column: str = Field(min_length=1)


class ScadaCsvConfig(_Model):
    """A SCADA historian export: one time column, one column per tag (wide format)."""

    kind: Literal["scada_csv"] = "scada_csv"
    name: str = Field(min_length=1)
    path: str
    time_column: str = "time"
    time_format: str = "auto"
    tz_offset_h: float = 8.0  # exports are usually in local time (China Standard Time)
    delimiter: str = ","
    encoding: str = "utf-8-sig"
    columns: list[ColumnMap] = Field(min_length=1)
    batch_rows: int = Field(1000, ge=1)


class AmrCsvConfig(_Model):
    """Smart-meter (AMR) hourly reads: meter id, read time, cumulative register (m³)."""

    kind: Literal["amr_csv"] = "amr_csv"
    name: str = Field(min_length=1)
    path: str
    meter_column: str = "meter_id"
    time_column: str = "read_time"
    reading_column: str = "reading_m3"
    time_format: str = "auto"
    tz_offset_h: float = 8.0
    encoding: str = "utf-8-sig"
    delimiter: str = ","
    point_template: str = "{meter}"
    meters: dict[str, str] = Field(default_factory=dict)  # meter id → point (overrides the template)
    max_flow_m3h: float = Field(50.0, gt=0)  # a household meter above this per hour is implausible


SourceConfig = Annotated[
    MqttSourceConfig | OpcUaSourceConfig | ModbusSourceConfig | ScadaCsvConfig | AmrCsvConfig,
    Field(discriminator="kind"),
]


class SiteIngestConfig(_Model):
    site: str = ""
    sources: list[SourceConfig] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_names(self) -> SiteIngestConfig:
        names = [s.name for s in self.sources]
        dup = sorted({n for n in names if names.count(n) > 1})
        if dup:
            raise ValueError(f"source names must be unique; repeated: {', '.join(dup)}")
        return self


class ConfigError(ValueError):
    """A configuration file that cannot be used; the message says what and where."""


def load_config(path: str | Path) -> SiteIngestConfig:
    """Read and validate a site configuration; relative file paths are resolved next to it."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{p}: cannot read ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{p}: not UTF-8 text") from None
    return parse_config(text, origin=str(p), base_dir=p.parent)


def parse_config(text: str, *, origin: str = "configuration", base_dir: Path | None = None) -> SiteIngestConfig:
    """Validate a configuration's JSON text (a file's, or the copy the desktop keeps per site).

    Errors say which field of which source; relative paths are resolved against ``base_dir``; password
    references are checked (variable set, secrets file private) without keeping the password."""
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{origin}: line {exc.lineno} column {exc.colno}: {exc.msg}") from None
    try:
        cfg = SiteIngestConfig.model_validate(doc)
    except ValidationError as exc:
        lines = []
        for e in exc.errors():
            loc = ".".join(str(x) for x in e["loc"])
            lines.append(f"  {loc}: {e['msg']}")
        raise ConfigError(f"{origin}: invalid configuration\n" + "\n".join(lines)) from None
    for i, s in enumerate(cfg.sources):
        if base_dir is not None and isinstance(s, ScadaCsvConfig | AmrCsvConfig) and not Path(s.path).is_absolute():
            s.path = str((base_dir / s.path).resolve())
        if isinstance(s, MqttSourceConfig | OpcUaSourceConfig):
            if s.password_file and base_dir is not None and not Path(s.password_file).is_absolute():
                s.password_file = str((base_dir / s.password_file).resolve())
            try:
                resolve_password(s, field_prefix=f"sources.{i}.")
            except SecretError as exc:
                raise ConfigError(f"{origin}: {exc}") from None
            if s.password:
                log.warning("%s: sources.%d (%s) has its password in plain text; use password_env or "
                            "password_file", origin, i, s.name)
    return cfg


def build_source(cfg: SourceConfig) -> DataSource:
    """The live/file source for one configuration entry."""
    if isinstance(cfg, MqttSourceConfig):
        from anran_desktop.ingest.mqtt_source import MqttSource

        return MqttSource(cfg)
    if isinstance(cfg, OpcUaSourceConfig):
        from anran_desktop.ingest.opcua_source import OpcUaSource

        return OpcUaSource(cfg)
    if isinstance(cfg, ModbusSourceConfig):
        from anran_desktop.ingest.modbus_source import ModbusSource

        return ModbusSource(cfg)
    if isinstance(cfg, ScadaCsvConfig):
        from anran_desktop.ingest.file_sources import ScadaCsvSource

        return ScadaCsvSource(cfg)
    from anran_desktop.ingest.file_sources import AmrCsvSource

    return AmrCsvSource(cfg)

"""The site's ingest configuration kept in the desktop database (a settings row; the database is per site),
and the choice of the live source at start-up. Qt-free.

``anran app --ingest SITE.json`` validates the file and, when it is good, stores it; later starts use the
stored copy without the flag. A malformed file is refused with the loader's message (which names the
field) and the desktop keeps what it had: the stored configuration, or else the simulator.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from anran_desktop.ingest.base import DataSource
from anran_desktop.ingest.config import ConfigError, SiteIngestConfig, build_source, load_config, parse_config
from anran_desktop.ingest.multi import MultiSource
from anran_desktop.store import Store

log = logging.getLogger(__name__)

SETTING = "ingest_config"


def stored_config(store: Store) -> SiteIngestConfig | None:
    """The configuration kept for this site (``None`` when none); :class:`ConfigError` if it no longer
    validates (e.g. its password variable is not set in this session)."""
    text = store.setting(SETTING)
    if not text:
        return None
    return parse_config(text, origin="stored ingest configuration")


def save_config(store: Store, cfg: SiteIngestConfig) -> None:
    """Keep ``cfg`` for the next start (file paths are already absolute; passwords stay references)."""
    store.set_setting(SETTING, cfg.model_dump_json(exclude_defaults=False))


def source_for(cfg: SiteIngestConfig) -> DataSource:
    return MultiSource([build_source(s) for s in cfg.sources], name=cfg.site or "现场数据源")


@dataclass
class IngestChoice:
    """What the desktop runs: ``config`` (None = use the built-in source) and messages for the user."""

    config: SiteIngestConfig | None
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def choose_config(store: Store, ingest_path: str | None) -> IngestChoice:
    """``--ingest`` file if given and valid (then stored), else the stored configuration if valid, else None."""
    errors: list[str] = []
    notes: list[str] = []
    if ingest_path:
        try:
            cfg = load_config(ingest_path)
        except ConfigError as exc:
            errors.append(f"{exc}")
        else:
            save_config(store, cfg)
            notes.append(f"ingest configuration {ingest_path} saved for this site ({len(cfg.sources)} source(s))")
            return IngestChoice(cfg, errors, notes)
    try:
        cfg = stored_config(store)
    except ConfigError as exc:
        errors.append(f"{exc}")
        return IngestChoice(None, errors, notes)
    if cfg is not None:
        notes.append(("keeping" if errors else "using") + f" the stored ingest configuration "
                     f"({cfg.site or 'unnamed site'}, {len(cfg.sources)} source(s))")
    elif errors:
        notes.append("no stored ingest configuration: running the built-in source")
    return IngestChoice(cfg, errors, notes)

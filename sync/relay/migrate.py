"""Schema upgrade of the relay database through Alembic (revision files in sync/relay/migrations)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import Engine

HERE = Path(__file__).parent


def upgrade(engine: Engine, target: str = "head") -> None:
    """Bring the relay database to ``target`` (default: the newest schema revision)."""
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(HERE / "migrations"))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, target)

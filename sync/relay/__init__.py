"""The relay: FastAPI service between desktop installations and residents."""

from sync.relay.app import create_app

__all__ = ["create_app"]

"""The local SQLite store: schema (Alembic migrations), opening checks, repositories (no Qt)."""

from anran_desktop.store.db import Store, StoreError, open_store, utc_now

__all__ = ["Store", "StoreError", "open_store", "utc_now"]

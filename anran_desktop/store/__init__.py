"""The local SQLite store: schema, migrations and repositories (no Qt)."""

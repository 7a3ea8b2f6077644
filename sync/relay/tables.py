"""The relay's own database schema (SQLAlchemy Core; SQLite by default, PostgreSQL works too)."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

meta = Table("relay_meta", metadata, Column("key", String(40), primary_key=True), Column("value", Text, nullable=False))

sites = Table(
    "sites", metadata,
    Column("id", Integer, primary_key=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("name", String(120), nullable=False, default=""),
)

households = Table(
    "households", metadata,
    Column("id", String(64), primary_key=True),
    Column("site_id", Integer, ForeignKey("sites.id"), nullable=False),
    Column("area", String(64), nullable=False),
    Column("code_hash", String(64), nullable=False, unique=True),
    Column("code_used", Boolean, nullable=False, default=False),
)

accounts = Table(
    "accounts", metadata,
    Column("id", Integer, primary_key=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("password_hash", Text, nullable=False),
    Column("role", String(20), nullable=False),
    Column("household_id", String(64), ForeignKey("households.id")),
    Column("area", String(64)),
)

pushed = Table(  # every desktop event received, keyed by its event id (idempotency)
    "pushed_events", metadata,
    Column("event_id", String(64), primary_key=True),
    Column("site_id", Integer, nullable=False),
    Column("kind", String(40), nullable=False),
    Column("payload", Text, nullable=False),
    Column("received_at", String(32), nullable=False),
)

notifications = Table(
    "notifications", metadata,
    Column("id", Integer, primary_key=True),
    Column("event_id", String(64), nullable=False, unique=True),
    Column("site_id", Integer, nullable=False),
    Column("area", String(64), nullable=False, index=True),
    Column("kind", String(40), nullable=False),
    Column("title", Text, nullable=False),
    Column("body", Text, nullable=False, default=""),
    Column("created_at", String(32), nullable=False),
    Column("withdrawn", Boolean, nullable=False, default=False),
)

resident_items = Table(  # resident-originated items; seq is the desktop's pull cursor
    "resident_items", metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("event_id", String(64), nullable=False, unique=True),
    Column("site_id", Integer, nullable=False, index=True),
    Column("kind", String(40), nullable=False),
    Column("household_id", String(64), nullable=False, index=True),
    Column("account_id", Integer, nullable=False),
    Column("area", String(64), nullable=False),
    Column("payload", Text, nullable=False),
    Column("status", String(20), nullable=False, default="submitted"),
    Column("created_at", String(32), nullable=False),
)

meter_readings = Table(
    "meter_readings", metadata,
    Column("id", Integer, primary_key=True),
    Column("household_id", String(64), nullable=False, index=True),
    Column("value", Float),
    Column("unit", String(16), nullable=False, default="m3"),
    Column("confidence", Float, nullable=False, default=0.0),
    Column("needs_review", Boolean, nullable=False, default=True),
    Column("source", String(16), nullable=False, default="ocr"),
    Column("taken_at", String(32), nullable=False),
)

points = Table(
    "points", metadata,
    Column("id", Integer, primary_key=True),
    Column("account_id", Integer, nullable=False, index=True),
    Column("event_id", String(64), nullable=False),
    Column("points", Integer, nullable=False),
    UniqueConstraint("account_id", "event_id"),
)

# ---- revision r0002 ----------------------------------------------------------------------------
staff = Table(  # dispatcher, crew and property-manager accounts belong to one site (residents via household)
    "staff_accounts", metadata,
    Column("account_id", Integer, ForeignKey("accounts.id"), primary_key=True),
    Column("site_id", Integer, ForeignKey("sites.id"), nullable=False, index=True),
    Column("created_at", String(32), nullable=False),
)

photos = Table(  # privacy-masked, re-encoded (EXIF-free) JPEGs attached to resident items
    "photos", metadata,
    Column("id", Integer, primary_key=True),
    Column("event_id", String(64), nullable=False, index=True),
    Column("site_id", Integer, nullable=False),
    Column("household_id", String(64), nullable=False),
    Column("area", String(64), nullable=False),
    Column("field", String(40), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("masked", Integer, nullable=False, default=0),
    Column("data", LargeBinary, nullable=False),
    Column("created_at", String(32), nullable=False),
)

# ---- revision r0003 ----------------------------------------------------------------------------
crew_tickets = Table(  # tickets as the dispatch desktop publishes them for the crew member they are assigned to
    "crew_tickets", metadata,
    Column("site_id", Integer, ForeignKey("sites.id"), primary_key=True),
    Column("id", String(64), primary_key=True),
    Column("assignee", String(64), nullable=False, index=True),
    Column("area", String(64), nullable=False, default=""),
    Column("status", String(20), nullable=False),
    Column("version", Integer, nullable=False),
    Column("body", Text, nullable=False),  # the whole published ticket as JSON (title, interval, checklist …)
    Column("updated_at", String(32), nullable=False),
)

crew_progress = Table(  # what crew members report; the dispatch desktop applies or refuses each record
    "crew_progress", metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("progress_id", String(64), nullable=False, unique=True),  # made by the crew laptop: idempotency key
    Column("site_id", Integer, nullable=False, index=True),
    Column("ticket_id", String(64), nullable=False),
    Column("account_id", Integer, nullable=False),
    Column("username", String(64), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("payload", Text, nullable=False),
    Column("created_at", String(32), nullable=False),
    Column("received_at", String(32), nullable=False),
    Column("state", String(12), nullable=False, default="pending"),  # pending | applied | refused
    Column("reason", Text),
    Column("resolved_at", String(32)),
    Column("reason_codes", Text),  # r0004: JSON list of {code, params}
)

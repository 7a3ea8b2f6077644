"""Initial schema: network, telemetry, alarms/events, tickets, meter readings, people, audit, sync.

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

DDL = [
    # --- site and network --------------------------------------------------------------------
    "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE areas (id TEXT PRIMARY KEY, name TEXT NOT NULL, geometry TEXT, properties TEXT)",
    """CREATE TABLE nodes (id TEXT PRIMARY KEY, kind TEXT NOT NULL, name TEXT, area_id TEXT,
        lon REAL NOT NULL, lat REAL NOT NULL, x REAL NOT NULL, y REAL NOT NULL, pressure_kpa REAL,
        demand_m3h REAL NOT NULL DEFAULT 0, elevation_m REAL NOT NULL DEFAULT 0, properties TEXT)""",
    """CREATE TABLE pipes (id TEXT PRIMARY KEY, kind TEXT NOT NULL, from_node TEXT NOT NULL REFERENCES nodes(id),
        to_node TEXT NOT NULL REFERENCES nodes(id), length_m REAL NOT NULL, diameter_mm REAL NOT NULL,
        roughness_mm REAL NOT NULL, status TEXT NOT NULL DEFAULT 'open', name TEXT, segment TEXT,
        material TEXT, area_id TEXT, geometry TEXT NOT NULL, xy TEXT NOT NULL, properties TEXT)""",
    """CREATE TABLE sensors (id TEXT PRIMARY KEY, quantity TEXT NOT NULL, node_id TEXT, pipe_id TEXT,
        name TEXT, lon REAL, lat REAL, x REAL, y REAL, properties TEXT)""",
    """CREATE TABLE cameras (id TEXT PRIMARY KEY, name TEXT, node_id TEXT, pipe_id TEXT, url TEXT,
        lon REAL, lat REAL, x REAL, y REAL, properties TEXT)""",
    """CREATE TABLE buildings (id TEXT PRIMARY KEY, name TEXT NOT NULL, area_id TEXT, households INTEGER NOT NULL,
        node_id TEXT, lon REAL, lat REAL, x REAL, y REAL, geometry TEXT, xy TEXT, properties TEXT)""",
    "CREATE TABLE retired_ids (id TEXT PRIMARY KEY, kind TEXT NOT NULL, retired_at TEXT NOT NULL)",
    # --- people ------------------------------------------------------------------------------
    """CREATE TABLE households (id TEXT PRIMARY KEY, building_id TEXT REFERENCES buildings(id), area_id TEXT,
        unit TEXT NOT NULL, code_hash TEXT, created_at TEXT NOT NULL)""",
    """CREATE TABLE residents (id TEXT PRIMARY KEY, household_id TEXT NOT NULL REFERENCES households(id),
        name TEXT, phone TEXT, created_at TEXT NOT NULL)""",
    """CREATE TABLE users (id INTEGER PRIMARY KEY, username TEXT NOT NULL UNIQUE, display_name TEXT NOT NULL,
        role TEXT NOT NULL, password_hash TEXT, active INTEGER NOT NULL DEFAULT 1, created_at TEXT NOT NULL)""",
    # --- telemetry ---------------------------------------------------------------------------
    "CREATE TABLE points (point_no INTEGER PRIMARY KEY, point TEXT NOT NULL UNIQUE, quantity TEXT NOT NULL)",
    """CREATE TABLE telemetry (point_no INTEGER NOT NULL, t_ms INTEGER NOT NULL, value REAL NOT NULL,
        flags INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (point_no, t_ms)) WITHOUT ROWID""",
    """CREATE TABLE telemetry_minute (point_no INTEGER NOT NULL, t_min INTEGER NOT NULL, vmin REAL NOT NULL,
        vmean REAL NOT NULL, vmax REAL NOT NULL, n INTEGER NOT NULL, flags INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (point_no, t_min)) WITHOUT ROWID""",
    # --- alarms, events, tickets ---------------------------------------------------------------
    """CREATE TABLE alarms (id TEXT PRIMARY KEY, time TEXT NOT NULL, level INTEGER NOT NULL, kind TEXT NOT NULL,
        title TEXT NOT NULL, detail TEXT, location TEXT, state TEXT NOT NULL DEFAULT 'active', acked_by TEXT,
        acked_at TEXT, cleared_at TEXT, ticket_id TEXT, is_drill INTEGER NOT NULL DEFAULT 0)""",
    "CREATE INDEX ix_alarms_state ON alarms(state, time)",
    """CREATE TABLE events (id INTEGER PRIMARY KEY, time TEXT NOT NULL, kind TEXT NOT NULL, severity TEXT NOT NULL,
        title TEXT NOT NULL, detail TEXT, location TEXT, alarm_id TEXT, ticket_id TEXT,
        is_drill INTEGER NOT NULL DEFAULT 0)""",
    "CREATE INDEX ix_events_time ON events(time)",
    """CREATE TABLE tickets (id TEXT PRIMARY KEY, title TEXT NOT NULL, kind TEXT NOT NULL, status TEXT NOT NULL,
        priority INTEGER NOT NULL DEFAULT 2, area_id TEXT, location TEXT, suspect_interval TEXT, assignee TEXT,
        created_by TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, dispatched_at TEXT, onsite_at TEXT,
        handling_at TEXT, retest_at TEXT, closed_at TEXT, alarm_id TEXT, is_drill INTEGER NOT NULL DEFAULT 0,
        sop TEXT, notes TEXT)""",
    "CREATE INDEX ix_tickets_status ON tickets(status)",
    """CREATE TABLE ticket_history (id INTEGER PRIMARY KEY, ticket_id TEXT NOT NULL REFERENCES tickets(id),
        time TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL, from_status TEXT, to_status TEXT,
        note TEXT)""",
    "CREATE INDEX ix_ticket_history_ticket ON ticket_history(ticket_id, id)",
    # --- meter readings --------------------------------------------------------------------------
    """CREATE TABLE meter_readings (id INTEGER PRIMARY KEY, time TEXT NOT NULL, target_kind TEXT NOT NULL,
        target_id TEXT NOT NULL, kind TEXT NOT NULL, value REAL, unit TEXT, confidence REAL, quality REAL,
        needs_review INTEGER NOT NULL DEFAULT 0, rolling INTEGER NOT NULL DEFAULT 0, corrected_value REAL,
        corrected_by TEXT, corrected_at TEXT, source TEXT NOT NULL, evidence_path TEXT, detail TEXT)""",
    "CREATE INDEX ix_meter_readings_target ON meter_readings(target_kind, target_id, time)",
    # --- append-only audit log (SHA-256 hash chain) ----------------------------------------------
    """CREATE TABLE audit_log (id INTEGER PRIMARY KEY, time TEXT NOT NULL, actor TEXT NOT NULL,
        action TEXT NOT NULL, entity TEXT NOT NULL, entity_id TEXT, detail TEXT, prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL)""",
    """CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END""",
    """CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END""",
    # --- sync ------------------------------------------------------------------------------------
    """CREATE TABLE outbox (id INTEGER PRIMARY KEY, event_id TEXT NOT NULL UNIQUE, kind TEXT NOT NULL,
        payload TEXT NOT NULL, created_at TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'pending',
        attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at TEXT, last_error TEXT, delivered_at TEXT)""",
    "CREATE INDEX ix_outbox_status ON outbox(status, id)",
    """CREATE TABLE inbox (event_id TEXT PRIMARY KEY, kind TEXT NOT NULL, payload TEXT NOT NULL,
        received_at TEXT NOT NULL, applied_at TEXT)""",
    "CREATE TABLE sync_state (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
]


def upgrade() -> None:
    for statement in DDL:
        op.execute(statement)


def downgrade() -> None:
    raise NotImplementedError("AnRan databases only move forward")

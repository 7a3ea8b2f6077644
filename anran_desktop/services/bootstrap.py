"""Prepare a database for use: the demo site on first open, 24 h of history, the first users."""

from __future__ import annotations

import json
import time

import numpy as np

from anran_desktop.resources import demo_site_path
from anran_desktop.services.network import NetworkService
from anran_desktop.services.users import UserService
from anran_desktop.store import Store, StoreError
from anran_desktop.store.network_import import import_network
from anran_desktop.store.telemetry import TelemetryRepo
from engine.geojson_io import network_from_geojson
from engine.network import Network
from engine.simulate import LiveSimulator

DEMO_USERS = [("dispatcher", "调度员 张三", "dispatcher"), ("crew01", "抢修员 01", "crew"),
              ("crew02", "抢修员 02", "crew"), ("manager", "物业经理 王五", "property_manager"),
              ("admin", "管理员", "admin")]


def ensure_demo_site(store: Store, *, history_hours: float = 24.0, seed: int = 7) -> Network:
    """On an empty database: import 星海花园, add the demo users, backfill history. Returns the network."""
    if not NetworkService(store).is_empty():
        return load_network_from_store(store)
    network = import_network(store, demo_site_path())
    users = UserService(store)
    for username, name, role in DEMO_USERS:
        users.create(username, name, role, password=username)
    if history_hours > 0:
        backfill_history(store, network, hours=history_hours, seed=seed)
    return network


def load_network_from_store(store: Store) -> Network:
    """The engine model of the network as it was imported (kept in the database itself)."""
    text = store.setting("network_geojson")
    if not text:
        raise StoreError(f"{store.path}: the database has network tables but no stored network model; "
                         "import the network GeoJSON again (File → Import network)")
    return network_from_geojson(json.loads(text))


def backfill_history(store: Store, network: Network, *, hours: float, seed: int, step_s: float = 10.0,
                     now: float | None = None) -> int:
    """Simulated history up to now: the network solved every minute, samples every ``step_s`` seconds."""
    now = float(int(now if now is not None else time.time()))
    start = now - hours * 3600
    sim = LiveSimulator(network, seed=seed, start_time=start, resolve_s=60.0)
    rng = np.random.default_rng(seed)
    rows = []
    for t in np.arange(start, now, step_s):
        for p, q, v in sim.step(float(t)):
            rows.append((float(t), p, q, v + (rng.normal(0, 0.005) if q == "pressure_kpa" else 0.0), 0))
    return TelemetryRepo(store).insert(rows)

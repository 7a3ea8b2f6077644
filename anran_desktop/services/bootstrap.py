"""Prepare a database for use: the demo site on first open, 24 h of history, the first users."""

from __future__ import annotations

import functools
import json
import time

import numpy as np

from anran_desktop.resources import demo_site_path
from anran_desktop.services.network import NetworkService
from anran_desktop.services.passwords import hash_password
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
        users.create(username, name, role, password=None, password_hash=_demo_hash(username))
    if history_hours > 0:
        backfill_history(store, network, hours=history_hours, seed=seed)
    return network


@functools.cache
def _demo_hash(username: str) -> str:
    """The demo users' password is their (documented) user name: hashed once per process, not once per
    database — each scrypt takes ~0.5 s, and tests open many demo databases."""
    return hash_password(username)


def load_network_from_store(store: Store) -> Network:
    """The engine model of the network as it was imported (kept in the database itself)."""
    text = store.setting("network_geojson")
    if not text:
        raise StoreError(f"{store.path}: the database has network tables but no stored network model; "
                         "import the network GeoJSON again (File → Import network)")
    return network_from_geojson(json.loads(text))


def backfill_history(store: Store, network: Network, *, hours: float, seed: int, step_s: float = 10.0,
                     now: float | None = None, solve_every_s: float = 900.0) -> int:
    """Simulated history up to now, one sample per ``step_s`` seconds for every sensor.

    The network is solved only every ``solve_every_s`` (diurnal demand with the simulator's slowly
    drifting consumer factors); the true values between two solves are interpolated linearly and each
    sensor's fixed bias and noise are added vectorised, so 24 h costs ~100 solves and starts in seconds.
    Samples are stored as MEASURED like the live simulator's (it is the demo site's stand-in history).
    """
    now = float(int(now if now is not None else time.time()))
    start = now - hours * 3600
    times = np.arange(start, now, step_s)
    if times.size == 0:
        return 0
    sim = LiveSimulator(network, seed=seed, start_time=start, resolve_s=0.0)
    knots = np.append(np.arange(start, now, solve_every_s), now)  # the last solve at now: the state handed on
    sols = [sim.solution_at(float(t)) for t in knots]
    rng = np.random.default_rng(seed)
    rows: list[tuple[float, str, str, float, int]] = []
    for sensor in sim.sensors:
        if sensor.quantity == "pressure_kpa":
            true = np.array([sol.pressure_kpa.get(sensor.node or "", np.nan) for sol in sols])
        else:
            true = np.array([sol.flow_m3h.get(sensor.pipe or "", np.nan) for sol in sols])
        if not np.all(np.isfinite(true)):
            continue  # a sensor the solver does not see (e.g. on an isolated branch) gets no history
        values = np.interp(times, knots, true)
        if sensor.quantity == "pressure_kpa":
            values = values + sim.bias[sensor.id] + rng.normal(0.0, sim.noise_kpa, times.size)
        else:
            values = values * (1.0 + rng.normal(0.0, sim.flow_noise_frac, times.size))
        rows.extend(zip(times.tolist(), [sensor.id] * times.size, [sensor.quantity] * times.size,
                        np.round(values, 4).tolist(), [0] * times.size, strict=True))
    n = TelemetryRepo(store).insert(rows)
    save_sim_state(store, sim.state())  # the live feed continues from here (no step at the seam)
    return n


SIM_STATE = "sim_state"


def save_sim_state(store: Store, state: dict[str, object]) -> None:
    """Keep the demo simulator's demand state, for the next live feed to continue from."""
    store.set_setting(SIM_STATE, json.dumps(state))


def stored_sim_state(store: Store) -> dict[str, object] | None:
    """The demo simulator's stored demand state, or None (none kept, or unreadable: the feed starts afresh)."""
    text = store.setting(SIM_STATE)
    try:
        state = json.loads(text) if text else None
    except ValueError:
        return None
    return state if isinstance(state, dict) else None

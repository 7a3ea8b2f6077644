"""The leak watch's per-site calibrated confidence: stored, or computed once in the background and cached."""

import copy

import engine
from anran_desktop.resources import demo_site_path
from anran_desktop.services.site_confidence import SiteConfidence, bundled_path
from engine.confidence import load_calibrations, network_fingerprint


def test_a_new_site_is_calibrated_once_then_read_from_the_cache(tmp_path):
    net = engine.load_network(demo_site_path())
    net.pipes[next(p.id for p in net.pipes.values() if p.kind == "pipe")].diameter_mm *= 1.2  # not the demo site
    cache, bundled = tmp_path / "cache.json", tmp_path / "none.json"
    first = SiteConfidence(net, cache=cache, bundled=bundled, cases=6, minutes=30)
    assert first.calibration is None  # nothing stored: it has to calibrate
    temp = first.temperature(timeout=600)
    assert temp is not None and temp > 0, first.error
    stored = load_calibrations(cache)[network_fingerprint(net)]
    assert stored.temperature == temp and stored.cases == 6 and stored.minutes == 30
    again = SiteConfidence(net, cache=cache, bundled=bundled, cases=6, minutes=30)
    assert again.calibration == stored
    again.start()
    assert again._thread is None  # found on disk: no second calibration
    # Windows of another length are a different calibration.
    assert SiteConfidence(net, cache=cache, bundled=bundled, minutes=60).calibration is None


def test_the_demo_site_ships_its_calibration():
    net = engine.load_network(demo_site_path())
    assert network_fingerprint(net) in load_calibrations(bundled_path())
    watch_default = SiteConfidence(net, cache=bundled_path().parent / "does-not-exist.json")
    assert watch_default.calibration is not None
    assert watch_default.temperature(timeout=0) == watch_default.calibration.temperature


def test_a_changed_network_is_not_given_the_demo_sites_temperature():
    net = copy.deepcopy(engine.load_network(demo_site_path()))
    net.nodes[next(n.id for n in net.nodes.values() if n.demand_m3h > 0)].demand_m3h *= 3
    assert network_fingerprint(net) not in load_calibrations(bundled_path())


def test_a_cached_entry_from_before_the_density_rule_is_calibrated_afresh(tmp_path):
    net = engine.load_network(demo_site_path())
    cache = tmp_path / "cache.json"
    from engine.confidence import StoredCalibration, save_calibration

    save_calibration(cache, StoredCalibration(network_fingerprint(net), 0.75, 0.91, 0.93, 33, 80, 60))
    watch = SiteConfidence(net, cache=cache, bundled=tmp_path / "none.json")
    assert watch.calibration is None  # a fixed-mass temperature is not used for the density-level interval


def test_a_cached_entry_made_by_an_older_localizer_is_calibrated_afresh(tmp_path):
    """A density-level entry from the method before (refinement of 16 pipes) tempers another posterior."""
    from engine.confidence import METHOD, StoredCalibration, save_calibration

    net = engine.load_network(demo_site_path())
    cache = tmp_path / "cache.json"
    old = StoredCalibration(network_fingerprint(net), 0.5, 0.93, 0.93, 100, 200, 60, 3.7, 0.93)  # method 1
    save_calibration(cache, old)
    assert SiteConfidence(net, cache=cache, bundled=tmp_path / "none.json").calibration is None
    save_calibration(cache, StoredCalibration(**{**old.__dict__, "method": METHOD}))
    assert SiteConfidence(net, cache=cache, bundled=tmp_path / "none.json").calibration.method == METHOD


def test_the_bundled_demo_calibration_is_current():
    cal = load_calibrations(bundled_path())[network_fingerprint(engine.load_network(demo_site_path()))]
    assert cal.current and cal.cases >= 200

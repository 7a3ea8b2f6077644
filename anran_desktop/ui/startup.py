"""Which network the desktop opens with: the stored one, the first-run wizard's, or the demo site.

``anran app`` calls :func:`open_site` right after opening the store. On an empty database with a real
screen the operator goes through the first-run wizard (network, relay, first users); headless runs and
``--demo-site`` load the bundled demo site 星海花园 instead. A cancelled wizard writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable

from anran_desktop.services.bootstrap import ensure_demo_site, load_network_from_store
from anran_desktop.services.network import NetworkService
from anran_desktop.store import Store
from anran_desktop.ui.first_run import FirstRunResult, apply_first_run, run_first_run_wizard
from engine.network import Network


def open_site(store: Store, *, interactive: bool, demo_site: bool = False,
              wizard: Callable[[], FirstRunResult | None] = run_first_run_wizard) -> Network | None:
    """The network to open, or ``None`` when the operator cancelled the first-run set-up.

    ``interactive`` is true when a person sits at a real screen; ``wizard`` shows the first-run wizard
    modally and returns its result (``None`` when cancelled).
    """
    if not NetworkService(store).is_empty():
        return load_network_from_store(store)
    if not interactive or demo_site:
        return ensure_demo_site(store)
    result = wizard()
    if result is None:
        return None
    return apply_first_run(store, result)

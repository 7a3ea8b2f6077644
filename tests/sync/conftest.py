"""Fixtures: a real uvicorn relay on 127.0.0.1 (in a thread, or in a subprocess that can be killed)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
import uvicorn

SITE_TOKEN = "site-token-for-tests-0001"


class ThreadRelay:
    def __init__(self, db_url: str, **kw: object) -> None:
        from sync.relay import create_app

        self.app = create_app(db_url, site_tokens=[SITE_TOKEN], **kw)
        self.server = uvicorn.Server(uvicorn.Config(self.app, host="127.0.0.1", port=0, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("relay did not start")
            time.sleep(0.02)
        self.port = self.server.servers[0].sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(10)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ProcessRelay:
    """``anran relay`` in a child process, killable with SIGKILL and restartable on the same database."""

    def __init__(self, db_url: str) -> None:
        self.db_url, self.port = db_url, free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "anran_desktop", "relay", "--host", "127.0.0.1", "--port", str(self.port),
             "--db", self.db_url, "--site-token", SITE_TOKEN],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("relay exited: " + self.proc.stderr.read().decode(errors="replace")[-2000:])
            try:
                if httpx.get(self.url + "/openapi.json", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.1)
        raise RuntimeError("relay subprocess did not come up")

    def kill(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(10)


@pytest.fixture
def relay(tmp_path: Path):
    r = ThreadRelay(f"sqlite:///{tmp_path / 'relay.db'}")
    yield r
    r.stop()


@pytest.fixture
def process_relay(tmp_path: Path):
    r = ProcessRelay(f"sqlite:///{tmp_path / 'relay.db'}")
    yield r
    r.kill()


@pytest.fixture
def store(tmp_path: Path):
    from anran_desktop.store.db import open_store

    s = open_store(tmp_path / "desk.db")
    yield s
    s.close()


def run_on_qasync(qapp, main) -> None:  # noqa: ANN001
    """Run the coroutine ``main()`` on a qasync loop over ``qapp`` (as `anran app` does), then cancel what it
    left running (a sync loop a failed assertion did not stop), shut the default executor down and unset
    the loop."""
    import asyncio

    import qasync

    loop = qasync.QEventLoop(qapp)
    asyncio.set_event_loop(loop)
    try:
        with loop:
            try:
                loop.run_until_complete(main())
            finally:
                left = [t for t in asyncio.all_tasks(loop) if not t.done()]
                for t in left:
                    t.cancel()
                if left:
                    loop.run_until_complete(asyncio.gather(*left, return_exceptions=True))
                loop.run_until_complete(loop.shutdown_default_executor())
    finally:
        asyncio.set_event_loop(None)


async def wait_rounds(ctl, n: int, failure) -> None:  # noqa: ANN001
    """Wait (20 s at most) until the sync controller ``ctl`` has finished ``n`` more rounds; else fail with
    ``failure()`` (what the screen showed)."""
    import asyncio

    target = ctl.rounds + n
    for _ in range(400):
        if ctl.rounds >= target:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(failure())


@pytest.fixture(scope="session")
def pg_cluster():
    """A throwaway PostgreSQL cluster for the suite: (cluster, URL of its empty database ``relay``)."""
    from tests.sync.pg_cluster import MISSING, PgCluster, server_bin

    bindir = server_bin()
    if bindir is None:
        pytest.fail(MISSING)  # a failure, not a skip: the setup installs the server
    cluster = PgCluster(bindir)
    try:
        yield cluster, cluster.start()
    finally:
        cluster.stop()

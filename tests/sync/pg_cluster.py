"""A throwaway PostgreSQL cluster for tests: initdb + pg_ctl in a temp dir, on a free 127.0.0.1 port.

CI runs as root and PostgreSQL refuses to run as root, so the server runs as the ``postgres`` OS user
(created by the Debian package ``postgresql``, which ``scripts/anran.sh setup`` installs).
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from tests.sync.conftest import free_port

MISSING = ("PostgreSQL server binaries (initdb, pg_ctl) not found under /usr/lib/postgresql/*/bin: "
           "install the Debian package 'postgresql' (bash scripts/anran.sh setup does)")


def server_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[4]))
    return Path(found[-1]).parent if found else None


class PgCluster:
    def __init__(self, bindir: Path) -> None:
        self.bindir, self.port = bindir, free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="anran-pg-"))
        self.data, self.log = self.dir / "data", self.dir / "server.log"
        self._as: list[str] = []
        if os.geteuid() == 0:
            try:
                pw = pwd.getpwnam("postgres")
            except KeyError:
                raise RuntimeError("running as root but there is no 'postgres' OS user to run the server as "
                                   "(the Debian package 'postgresql' creates it)") from None
            os.chown(self.dir, pw.pw_uid, pw.pw_gid)
            self._as = ["runuser", "-u", "postgres", "--"]

    def _run(self, *args: str) -> None:
        # cwd: the server user may not be allowed into the checkout (e.g. a clone under /root)
        r = subprocess.run([*self._as, *args], capture_output=True, text=True, timeout=120, cwd=self.dir)
        if r.returncode != 0:
            log = self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""
            raise RuntimeError(f"{' '.join(args[:2])} failed ({r.returncode}): {r.stderr[-2000:]}{log}")

    def start(self) -> str:
        """Create and start the cluster; returns the SQLAlchemy URL of an empty database ``relay``."""
        self._run(str(self.bindir / "initdb"), "-D", str(self.data), "-U", "anran", "--auth=trust", "-E", "UTF8",
                  "--no-locale", "--no-sync")
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60",
                  "-o", f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off", "start")
        import psycopg

        deadline = time.monotonic() + 30
        while True:
            try:
                with psycopg.connect(host="127.0.0.1", port=self.port, user="anran", dbname="postgres",
                                     autocommit=True) as conn:
                    conn.execute("CREATE DATABASE relay")
                break
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        return f"postgresql://anran@127.0.0.1:{self.port}/relay"

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")
        shutil.rmtree(self.dir, ignore_errors=True)

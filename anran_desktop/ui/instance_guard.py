"""One AnRan window per database: a second start on the same database brings the open window forward.

Two windows on one database would each run the leak watch (two alarms and tickets for one leak), each pull
and push the relay's queues, and each write the live feed. So ``anran app`` holds a lock file beside the
database (``<db>.app-lock``, Qt's ``QLockFile``: it names the process and host, and a lock left by a process
that died is taken over) for as long as its window is open. A second start on the same database finds it
held, asks the first (through a local socket named after the database) to bring its window to the front,
and exits; on a real screen it explains why if the first window could not be reached.

Command-line tools (``anran users``, ``anran report`` …) do not take this lock: they are short and only
write through the store's transactions, which SQLite serialises between processes.
"""

from __future__ import annotations

import hashlib
import os
import socket
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLockFile, QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket
from PySide6.QtWidgets import QApplication, QWidget

_RAISE = b"raise\n"
_CONNECT_MS = 1500
_READ_MS = 300  # how long the open window waits for a connected second start to say what it wants


def lock_path(db_path: Path) -> Path:
    """The lock file of the database ``db_path``."""
    return db_path.with_name(db_path.name + ".app-lock")


def server_name(db_path: Path) -> str:
    """The local socket the window open on ``db_path`` listens on (one name per database file)."""
    key = os.path.normcase(str(db_path.expanduser().resolve()))
    return "anran-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:20]


@dataclass(frozen=True)
class Holder:
    """Who holds a database's lock: process id and host name (as the lock file says)."""

    pid: int
    host: str

    @property
    def here(self) -> bool:
        return not self.host or self.host == socket.gethostname()

    def __str__(self) -> str:
        """``process 4321`` (this computer) or ``process 77 on dispatch-2``, for command-line messages."""
        return f"process {self.pid}" + ("" if self.here else f" on {self.host}")


def lock_holder(lock: QLockFile) -> Holder | None:
    """The process a lock file names (its process id and host), or None."""
    info = lock.getLockInfo()  # PySide6: (pid, host, app), pid 0 when the file names nobody
    if not isinstance(info, tuple) or len(info) < 3 or not info[-3]:
        return None
    return Holder(int(info[-3]), str(info[-2]))


class InstanceGuard(QObject):
    """The lock of one database for one window; emits ``raise_requested`` when a second start asks."""

    raise_requested = Signal()

    def __init__(self, db_path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db_path = db_path.expanduser().resolve()
        self._lock = QLockFile(str(lock_path(self.db_path)))
        self._lock.setStaleLockTime(0)  # never stale by age: only when its process is gone
        self._server: QLocalServer | None = None
        self.problem = ""  # why the lock could not be used at all (then the window opens unguarded)

    def acquire(self, wait_ms: int = 0) -> bool:
        """Take the lock and listen for a second start. False only if another live process holds it (after
        ``wait_ms``, for a window that is closing)."""
        if self._lock.tryLock(max(int(wait_ms), 0)):
            self._listen()
            return True
        if self._lock.error() == QLockFile.LockError.LockFailedError:
            return False
        # the folder does not let us write a lock file (the store will say so if it cannot write either)
        self.problem = f"{lock_path(self.db_path)}: the lock file cannot be written ({self._lock.error().name})"
        return True

    def holder(self) -> Holder | None:
        """The process holding the lock, if the lock file names one."""
        return lock_holder(self._lock)

    def ask_holder_to_raise(self) -> bool:
        """Ask the window holding the lock to come to the front; True if it took the request."""
        sock = QLocalSocket()
        sock.connectToServer(server_name(self.db_path))
        if not sock.waitForConnected(_CONNECT_MS):
            return False
        sock.write(_RAISE)
        ok = sock.waitForBytesWritten(_CONNECT_MS)
        sock.disconnectFromServer()
        return ok

    def release(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server.deleteLater()
            self._server = None
        if self._lock.isLocked():
            self._lock.unlock()

    def _listen(self) -> None:
        name = server_name(self.db_path)
        server = QLocalServer(self)
        if not server.listen(name):
            # a socket left by a window that crashed: we hold the lock, so nobody else is listening on it
            QLocalServer.removeServer(name)
            if not server.listen(name):
                self.problem = f"a second start cannot reach this window ({server.errorString()})"
                return
        server.newConnection.connect(self._on_connection)
        self._server = server

    def _on_connection(self) -> None:
        assert self._server is not None
        while (sock := self._server.nextPendingConnection()) is not None:
            # the second start writes its request as soon as it is connected: read it here, then let go
            if sock.bytesAvailable() or sock.waitForReadyRead(_READ_MS):
                asked = bytes(sock.readAll().data()).startswith(_RAISE.strip())
            else:
                asked = False
            sock.disconnectFromServer()
            sock.deleteLater()
            if asked:
                self.raise_requested.emit()


def already_open_text(db_path: Path, holder: Holder | None, raised: bool) -> str:
    """What the second start tells a person (in the interface language)."""
    who = "" if holder is None else (
        QCoreApplication.translate("InstanceGuard", "（进程 {pid}）").format(pid=holder.pid) if holder.here
        else QCoreApplication.translate("InstanceGuard", "（计算机 {host} 上的进程 {pid}）").format(host=holder.host, pid=holder.pid))
    head = QCoreApplication.translate("InstanceGuard", "数据库 {path} 已在另一个安燃云窗口中打开{who}。").format(path=db_path, who=who)
    tail = (QCoreApplication.translate("InstanceGuard", "已将那个窗口切换到前台。") if raised else
            QCoreApplication.translate("InstanceGuard", "请切换到那个窗口。同一个数据库同时只能在一个窗口中使用，否则泄漏监测会对同一处泄漏"
                                "重复告警、重复建工单。"))
    if holder is not None and not holder.here and not raised:  # its process cannot be checked from here
        tail += QCoreApplication.translate("InstanceGuard", "如果那台计算机上的安燃云已经关闭（例如断电），删除 {lock} 后再打开。"
                                           ).format(lock=lock_path(db_path))
    return head + tail


def bring_to_front(window: QWidget) -> None:
    """Show ``window`` (un-minimised) above the others; where the system refuses focus, its taskbar entry flashes."""
    if window.isMinimized():
        window.showNormal()
    window.show()
    window.raise_()
    window.activateWindow()
    QApplication.alert(window)

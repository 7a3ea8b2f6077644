"""First-run wizard: choose the demo site or import a network, set the relay, create the first users.

:func:`run_first_run_wizard` shows the :class:`FirstRunWizard` and returns a plain
:class:`FirstRunResult` (``None`` if cancelled); :func:`apply_first_run` writes such a result into a
store (network import, users, relay settings). The wizard validates as the user goes: a network file
must load, the relay URL must be http(s), usernames must be unique and there must be an admin.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from anran_desktop.install_config import InstallConfig, validate_relay_url, validate_site_token
from anran_desktop.resources import demo_site_path
from anran_desktop.services.user_admin import MIN_PASSWORD, USERNAME_RE
from anran_desktop.services.users import ROLES

if TYPE_CHECKING:
    from anran_desktop.store import Store
    from engine.network import Network


def _tr(text: str) -> str:
    return QCoreApplication.translate("FirstRunWizard", text)


def role_label(role: str) -> str:
    return {"dispatcher": _tr("调度员"), "crew": _tr("抢修员"), "property_manager": _tr("物业经理"),
            "admin": _tr("管理员")}[role]


@dataclass(frozen=True)
class FirstUser:
    """One account to create on first run (the password is only held until it is hashed)."""

    username: str
    display_name: str
    role: str
    password: str = field(repr=False)


@dataclass(frozen=True)
class FirstRunResult:
    """What the operator chose in the first-run wizard."""

    use_demo_site: bool
    network_path: Path
    relay_url: str | None
    site_token: str | None = field(repr=False)
    users: tuple[FirstUser, ...]


def check_network_file(path: Path) -> str:
    """Load ``path`` as a network; returns a one-line summary or raises ValueError saying what is wrong."""
    from engine import NetworkError, load_network

    if not path.is_file():
        raise ValueError(_tr("找不到文件：{path}").format(path=path))
    try:
        net = load_network(path)
    except (NetworkError, ValueError, OSError) as exc:
        raise ValueError(_tr("{name} 不是可用的管网文件：{reason}").format(name=path.name, reason=exc)) from None
    return _tr("{nodes} 个节点，{pipes} 条管段，{sensors} 个传感器").format(
        nodes=len(net.nodes), pipes=len(net.pipes), sensors=len(net.sensors))


def check_users(users: list[FirstUser]) -> None:
    """Raise ValueError naming the row and the problem; at least one admin is required."""
    if not users:
        raise ValueError(_tr("至少创建一个用户"))
    seen: set[str] = set()
    for i, u in enumerate(users, start=1):
        where = _tr("第 {row} 行").format(row=i)
        if not USERNAME_RE.match(u.username):
            raise ValueError(_tr("{where}：用户名须为 2–32 位字母、数字、_ . -").format(where=where))
        if u.username.lower() in seen:
            raise ValueError(_tr("{where}：用户名 {name} 重复").format(where=where, name=u.username))
        seen.add(u.username.lower())
        if not u.display_name.strip():
            raise ValueError(_tr("{where}：请填写姓名").format(where=where))
        if u.role not in ROLES:
            raise ValueError(_tr("{where}：未知角色 {role}").format(where=where, role=u.role))
        if len(u.password) < MIN_PASSWORD:
            raise ValueError(_tr("{where}：密码至少 {n} 位").format(where=where, n=MIN_PASSWORD))
    if not any(u.role == "admin" for u in users):
        raise ValueError(_tr("至少需要一个管理员"))


def _error_label() -> QLabel:
    label = QLabel()
    label.setObjectName("error")
    label.setStyleSheet("color: #c0392b;")
    label.setWordWrap(True)
    return label


class NetworkPage(QWizardPage):
    """Demo site 星海花园 or a network GeoJSON file."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("管网"))
        self.setSubTitle(self.tr("先用演示小区熟悉系统，或导入本单位的管网 GeoJSON 文件。"))
        self.demo = QRadioButton(self.tr("演示小区 星海花园"))
        self.imported = QRadioButton(self.tr("导入管网文件（GeoJSON）"))
        self.demo.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.demo)
        group.addButton(self.imported)
        self.path_edit = QLineEdit()
        self.path_edit.setPlaceholderText(self.tr("network.geojson 的路径"))
        self.browse = QPushButton(self.tr("浏览…"))
        self.browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(self.browse)
        self.summary = QLabel()
        self.error = _error_label()
        layout = QVBoxLayout(self)
        layout.addWidget(self.demo)
        layout.addWidget(self.imported)
        layout.addLayout(row)
        layout.addWidget(self.summary)
        layout.addWidget(self.error)
        layout.addStretch(1)
        for w in (self.demo, self.imported):
            w.toggled.connect(self._sync)
        self.path_edit.textChanged.connect(lambda _t: self.error.clear())
        self._sync()

    def _sync(self) -> None:
        on = self.imported.isChecked()
        self.path_edit.setEnabled(on)
        self.browse.setEnabled(on)
        self.error.clear()

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("选择管网文件"), "",
                                              self.tr("GeoJSON (*.geojson *.json)"))
        if path:
            self.path_edit.setText(path)

    def chosen_path(self) -> Path:
        return demo_site_path() if self.demo.isChecked() else Path(self.path_edit.text().strip()).expanduser()

    def validatePage(self) -> bool:  # noqa: N802 (Qt name)
        if self.demo.isChecked():
            return True
        if not self.path_edit.text().strip():
            self.error.setText(self.tr("请选择要导入的管网文件"))
            return False
        try:
            self.summary.setText(check_network_file(self.chosen_path()))
        except ValueError as exc:
            self.error.setText(str(exc))
            return False
        return True


class RelayPage(QWizardPage):
    """Relay URL and site token (both may stay empty: the desktop then works offline)."""

    def __init__(self, preset: InstallConfig | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("中继服务"))
        self.setSubTitle(self.tr("居民端报警和工单同步经过中继服务。可以留空，之后在设置中填写。"))
        self.url = QLineEdit()
        self.url.setPlaceholderText("https://relay.example.cn")
        self.token = QLineEdit()
        self.token.setEchoMode(QLineEdit.EchoMode.Password)
        if preset is not None:
            self.url.setText(preset.relay_url or "")
            self.token.setText(preset.site_token or "")
        self.error = _error_label()
        form = QFormLayout(self)
        form.addRow(self.tr("中继地址"), self.url)
        form.addRow(self.tr("站点令牌"), self.token)
        form.addRow(self.error)
        note = QLabel(self.tr("安装程序已写入的设置会预先填好。") if preset else "")
        form.addRow(note)

    def values(self) -> tuple[str | None, str | None]:
        url = self.url.text().strip()
        token = self.token.text().strip()
        return (validate_relay_url(url) if url else None, validate_site_token(token) if token else None)

    def validatePage(self) -> bool:  # noqa: N802
        url, token = self.url.text().strip(), self.token.text().strip()
        if bool(url) != bool(token):
            self.error.setText(self.tr("中继地址和站点令牌要么都填，要么都留空"))
            return False
        try:
            self.values()
        except ValueError as exc:
            self.error.setText(self.tr("中继设置无效：{reason}").format(reason=exc))
            return False
        self.error.clear()
        return True


class UsersPage(QWizardPage):
    """The first accounts: at least one administrator."""

    COLUMNS = 4

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("首批用户"))
        self.setSubTitle(self.tr("至少一名管理员。密码至少 8 位，首次登录后可修改。"))
        self.table = QTableWidget(0, self.COLUMNS)
        self.table.setHorizontalHeaderLabels([self.tr("用户名"), self.tr("姓名"), self.tr("角色"), self.tr("密码")])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        add = QPushButton(self.tr("添加用户"))
        remove = QPushButton(self.tr("删除所选"))
        add.clicked.connect(lambda: self.add_user())
        remove.clicked.connect(self._remove_selected)
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addStretch(1)
        self.error = _error_label()
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        layout.addWidget(self.error)
        self.add_user("admin", self.tr("管理员"), "admin")
        self.add_user("dispatcher", self.tr("调度员"), "dispatcher")

    def add_user(self, username: str = "", name: str = "", role: str = "dispatcher", password: str = "") -> int:
        row = self.table.rowCount()
        self.table.insertRow(row)
        self.table.setItem(row, 0, QTableWidgetItem(username))
        self.table.setItem(row, 1, QTableWidgetItem(name))
        combo = QComboBox()
        for r in ROLES:
            combo.addItem(role_label(r), r)
        combo.setCurrentIndex(ROLES.index(role))
        self.table.setCellWidget(row, 2, combo)
        pw = QLineEdit(password)
        pw.setEchoMode(QLineEdit.EchoMode.Password)
        self.table.setCellWidget(row, 3, pw)
        return row

    def _remove_selected(self) -> None:
        for row in sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True):
            self.table.removeRow(row)

    def users(self) -> list[FirstUser]:
        out = []
        for row in range(self.table.rowCount()):
            def text(col: int, r: int = row) -> str:
                item = self.table.item(r, col)
                return item.text().strip() if item else ""

            combo = self.table.cellWidget(row, 2)
            pw = self.table.cellWidget(row, 3)
            assert isinstance(combo, QComboBox) and isinstance(pw, QLineEdit)
            out.append(FirstUser(text(0), text(1), str(combo.currentData()), pw.text()))
        return out

    def validatePage(self) -> bool:  # noqa: N802
        try:
            check_users(self.users())
        except ValueError as exc:
            self.error.setText(str(exc))
            return False
        self.error.clear()
        return True


class FirstRunWizard(QWizard):
    """The three-page first-run wizard; :meth:`result_value` after it was accepted."""

    def __init__(self, preset: InstallConfig | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("安燃云 — 首次设置"))
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.network_page = NetworkPage()
        self.relay_page = RelayPage(preset)
        self.users_page = UsersPage()
        for page in (self.network_page, self.relay_page, self.users_page):
            self.addPage(page)
        self.resize(640, 480)

    def result_value(self) -> FirstRunResult:
        url, token = self.relay_page.values()
        return FirstRunResult(use_demo_site=self.network_page.demo.isChecked(),
                              network_path=self.network_page.chosen_path(), relay_url=url, site_token=token,
                              users=tuple(self.users_page.users()))


def run_first_run_wizard(parent: QWidget | None = None, preset: InstallConfig | None = None) -> FirstRunResult | None:
    """Show the wizard modally; the operator's choices, or ``None`` if cancelled.

    ``preset`` defaults to the installer's site configuration (:func:`read_install_config`), if any.
    """
    if preset is None:
        from anran_desktop.install_config import InstallConfigError, read_install_config

        try:
            preset = read_install_config()
        except InstallConfigError:
            preset = None
    wizard = FirstRunWizard(preset, parent)
    if wizard.exec() != QWizard.DialogCode.Accepted:
        return None
    return wizard.result_value()


def apply_first_run(store: Store, result: FirstRunResult, *, actor: str = "first-run") -> Network:
    """Write a wizard result into an empty store: network, users, relay settings. Returns the network."""
    from anran_desktop.services.network import NetworkService
    from anran_desktop.services.users import UserService
    from anran_desktop.store.network_import import import_network

    if not NetworkService(store).is_empty():
        raise ValueError(f"{store.path}: the database already has a network; the first-run set-up is for a new one")
    check_users(list(result.users))
    network = import_network(store, result.network_path, actor=actor)
    users = UserService(store)
    for u in result.users:
        users.create(u.username, u.display_name, u.role, password=u.password, actor=actor)
    if result.relay_url:
        store.set_setting("relay_url", result.relay_url)
    if result.site_token:
        store.set_setting("site_token", result.site_token)
    return network

"""Live alarm and event cards; a click emits ``eventActivated(card)`` so the window can focus on it."""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QHBoxLayout, QListWidget, QListWidgetItem, QPushButton, QVBoxLayout, QWidget

from engine.interval import quoted
from widgets.false_alarm_text import dismissed_title
from widgets.health_text import maintenance_title
from widgets.ticket_text import status_text
from widgets.timefmt import local_time

#: Card colours (background, text) and label per severity; labels are translated when a card is drawn.
SEVERITY_STYLE = {"info": ("#eceff1", "#37474f", "信息"), "warning": ("#fff8e1", "#8d6e00", "预警"),
                  "alarm": ("#fff3e0", "#bf360c", "告警"), "critical": ("#ffebee", "#b71c1c", "紧急")}


def _tr(text: str) -> str:
    return QCoreApplication.translate("EventFeed", text)


def _interval_text(interval: dict) -> str:
    """区间 160 m · 置信度 0.98: an interval's figures as a card shows them (the confidence rounded down)."""
    return f"{_tr('区间')} {interval['length_m']:.0f} m · {_tr('置信度')} {quoted(interval.get('confidence', 0)):.2f}"


CARD_ROLE = Qt.ItemDataRole.UserRole + 2
BASE_ROLE = Qt.ItemDataRole.UserRole + 3  # a card's text without its latest-localization line
LATEST_ROLE = Qt.ItemDataRole.UserRole + 4  # that line, "" when there is none
DISMISSED_ROLE = Qt.ItemDataRole.UserRole + 5  # True: the card's alarm was dismissed as a false alarm

#: How a suspected-leak title ends while the site's confidence is not calibrated (``title_parts.calibration``).
CALIBRATION_NOTE = {"pending": "，置信度校准中", "failed": "，置信度未校准"}
#: ... and when the inlet meter alone found the leak (``title_parts.basis``)
BASIS_NOTE = {"meter": QT_TRANSLATE_NOOP("EventFeed", "，仅进站流量上升")}


def leak_title(parts: object, interval: dict | None = None) -> str | None:
    """A suspected leak's title worded in the interface language from its stored parts (areas, places,
    calibration state and the figures as written in the stored title); None when ``parts`` cannot word one
    (then the stored title is shown). ``interval`` supplies the figures for parts stored without them."""
    interval = interval or {}
    if not isinstance(parts, dict):
        return None
    length, conf = parts.get("length_m"), parts.get("confidence")
    if not length and interval.get("length_m"):
        length = f"{interval['length_m']:.0f}"
    if not conf and interval.get("length_m"):
        conf = f"{quoted(interval.get('confidence', 0)):.2f}"
    if not length or not conf:
        return None
    sep = _tr("、")
    notes = [BASIS_NOTE.get(str(parts.get("basis") or ""), ""), CALIBRATION_NOTE.get(parts.get("calibration") or "", "")]
    return _tr("{areas}疑似泄漏：{places}（区间 {length} m，置信度 {confidence}{note}）").format(
        areas=sep.join(parts.get("areas") or []), places=sep.join(parts.get("places") or []),
        length=length, confidence=conf, note="".join(_tr(n) for n in notes if n))


#: The fixed titles of residents' reports as the sync stores them (``services/sync_service.py``): shown in the
#: interface language. A title in any other wording shows as stored.
RESIDENT_TITLES = (QT_TRANSLATE_NOOP("EventFeed", "居民报告燃气异味"), QT_TRANSLATE_NOOP("EventFeed", "居民求助"),
                   QT_TRANSLATE_NOOP("EventFeed", "居民上报表读数"), QT_TRANSLATE_NOOP("EventFeed", "居民确认告警"),
                   QT_TRANSLATE_NOOP("EventFeed", "居民安全自检"), QT_TRANSLATE_NOOP("EventFeed", "居民服务工单"),
                   QT_TRANSLATE_NOOP("EventFeed", "居民演练签到"))


def _ticket_move_title(title: str) -> str | None:
    """``T-20261202-0001 → dispatched`` (how a ticket's move is stored) with the status in words."""
    ticket, arrow, status = title.partition(" → ")
    if not arrow or not ticket or " " in status or status_text(status) == status:
        return None
    return f"{ticket} → {status_text(status)}"


def _drill_start_title(title: str, detail: dict) -> str | None:
    name = detail.get("name") or (title.removeprefix(DRILL_START) if title.startswith(DRILL_START) else "")
    return _tr("演练开始：{name}").format(name=name) if name else None


#: How a drill's start is titled in the store (``drills/record.py``): this prefix and the drill's name.
DRILL_START = "演练开始："


def card_title(card) -> str:  # noqa: ANN001 - an EventCard
    """The card's title in the interface language. A suspected leak raised with its title's parts (areas,
    places, calibration state), a point-health event with its findings, a ticket move, a drill start and a
    resident's report are worded afresh; any other card, or one whose record lacks the parts, shows its
    stored title."""
    detail = getattr(card, "detail", None) or {}
    kind = str(getattr(card, "kind", ""))
    if kind != "leak_suspected":
        worded = None
        if kind.startswith("resident.") and card.title in RESIDENT_TITLES:
            worded = _tr(card.title)
        elif kind == "maintenance":
            worded = maintenance_title(detail)
        elif kind == "ticket":
            worded = _ticket_move_title(card.title)
        elif kind == "drill.start":
            worded = _drill_start_title(card.title, detail)
        elif kind == "alarm_dismissed":
            worded = dismissed_title(detail)
        return worded or card.title
    interval = (card.location or {}).get("interval") or {}
    if not interval.get("length_m"):
        return card.title
    return leak_title(detail.get("title_parts"), interval) or card.title


def ticket_title(card) -> str:  # noqa: ANN001 - a TicketCard
    """A ticket's title in the interface language: one made from a suspected-leak alarm is worded from the
    alarm's title parts (its stored title, the alarm's, stays the record); any other its stored title."""
    return leak_title(getattr(card, "title_parts", None)) or card.title


class EventFeed(QWidget):
    eventActivated = Signal(object)
    #: The "由告警建单" button on the selected alarm card (one without a ticket yet).
    createTicketRequested = Signal(object)  # noqa: N815
    #: The same button on a resident's report card (kind ``resident.*``): merge it into the area's open ticket.
    mergeRequested = Signal(object)  # noqa: N815
    #: The "解除告警（误报）…" button on the selected alarm card (no ticket, not dismissed yet).
    dismissRequested = Signal(object)  # noqa: N815

    def __init__(self, parent=None, max_cards: int = 200) -> None:  # noqa: ANN001
        super().__init__(parent)
        self.max_cards = max_cards
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.list = QListWidget()
        self.list.setWordWrap(True)
        self.list.setSpacing(2)
        self.list.itemClicked.connect(self._on_clicked)
        layout.addWidget(self.list)
        self.create_btn = QPushButton(_tr("由告警建单（预填区间、SOP、最近抢修员）"))
        self.create_btn.setMinimumHeight(32)
        self.create_btn.setEnabled(False)
        self.create_btn.clicked.connect(self._on_create)
        self.list.currentItemChanged.connect(lambda *_: self._update_create())
        self.dismiss_btn = QPushButton(_tr("解除告警（误报）…"))
        self.dismiss_btn.setMinimumHeight(32)
        self.dismiss_btn.setEnabled(False)
        self.dismiss_btn.setToolTip(_tr("不需要抢修的告警（如大用户开停、测点校准、施工作业）：写明原因后解除，计入误报统计"))
        self.dismiss_btn.clicked.connect(self._on_dismiss)
        buttons = QHBoxLayout()
        buttons.addWidget(self.create_btn, 3)
        buttons.addWidget(self.dismiss_btn, 1)
        layout.addLayout(buttons)
        self._can_create = True
        self._can_dismiss = True
        self._ids: set[int] = set()
        self._placeholder = QListWidgetItem(_tr("暂无告警与事件。新的告警会出现在这里，点击卡片可在管网图和曲线上定位。"))
        self._placeholder.setFlags(Qt.ItemFlag.NoItemFlags)
        self._placeholder.setForeground(QColor("#78909c"))
        self.list.addItem(self._placeholder)

    def _on_clicked(self, item: QListWidgetItem) -> None:
        card = item.data(CARD_ROLE)
        self._update_create()
        if card is not None:
            self.eventActivated.emit(card)

    def selected_card(self):  # noqa: ANN201
        item = self.list.currentItem()
        return item.data(CARD_ROLE) if item is not None else None

    def set_can_create(self, allowed: bool) -> None:
        """Hide the create button for users whose role may not create tickets."""
        self._can_create = allowed
        self.create_btn.setVisible(allowed)
        self._update_create()

    @staticmethod
    def _is_report(card) -> bool:  # noqa: ANN001
        return card is not None and str(card.kind).startswith("resident.")

    def set_can_dismiss(self, allowed: bool) -> None:
        """Hide the dismiss button for users whose role may not dismiss alarms."""
        self._can_dismiss = allowed
        self.dismiss_btn.setVisible(allowed)
        self._update_create()

    def _update_create(self) -> None:
        item = self.list.currentItem()
        card = self.selected_card()
        report = self._is_report(card)
        dismissed = bool(item is not None and item.data(DISMISSED_ROLE))
        alarm = card is not None and bool(card.alarm_id) and not report and card.kind != "alarm_dismissed"
        self.create_btn.setText(_tr("并入片区未结工单（作为证据）") if report else
                                _tr("由告警建单（预填区间、SOP、最近抢修员）"))
        self.create_btn.setEnabled(self._can_create and card is not None and (alarm or report)
                                   and not card.ticket_id and not dismissed)
        self.dismiss_btn.setEnabled(self._can_dismiss and alarm and not card.ticket_id and not dismissed)

    def _on_dismiss(self) -> None:
        item = self.list.currentItem()
        card = self.selected_card()
        if card is None or not card.alarm_id or card.ticket_id or (item is not None and item.data(DISMISSED_ROLE)):
            return
        self.dismissRequested.emit(card)

    def mark_dismissed(self, alarm_id: str) -> None:
        """The alarm was dismissed as a false alarm: its cards say so and offer neither button."""
        for i in range(self.list.count()):
            item = self.list.item(i)
            card = item.data(CARD_ROLE)
            if card is not None and card.alarm_id == alarm_id and card.kind != "alarm_dismissed" \
                    and not item.data(DISMISSED_ROLE):
                item.setData(DISMISSED_ROLE, True)
                item.setData(BASE_ROLE, (item.data(BASE_ROLE) or item.text()) + "\n" + _tr("已解除：误报"))
                item.setData(LATEST_ROLE, "")
                item.setBackground(QColor(SEVERITY_STYLE["info"][0]))
                item.setForeground(QColor("#78909c"))
                self._render(item)
        self._update_create()

    def _on_create(self) -> None:
        card = self.selected_card()
        if card is None or card.ticket_id:
            return
        if self._is_report(card):
            self.mergeRequested.emit(card)
        elif card.alarm_id:
            self.createTicketRequested.emit(card)

    def mark_event(self, event_id: int, ticket_id: str) -> None:
        """One card (a merged report) now belongs to ``ticket_id``."""
        self._mark(lambda card: card.id == event_id, ticket_id)

    def mark_ticket(self, alarm_id: str, ticket_id: str) -> None:
        """The alarm's cards now belong to ``ticket_id`` (a click opens it; no second ticket)."""
        self._mark(lambda card: card.alarm_id == alarm_id, ticket_id)

    def _mark(self, matches, ticket_id: str) -> None:  # noqa: ANN001
        for i in range(self.list.count()):
            item = self.list.item(i)
            card = item.data(CARD_ROLE)
            if card is not None and matches(card):
                item.setData(CARD_ROLE, dataclasses.replace(card, ticket_id=ticket_id))
                item.setData(BASE_ROLE, (item.data(BASE_ROLE) or item.text()) + f"\n→ {ticket_id}")
                self._render(item)
        self._update_create()

    @staticmethod
    def _render(item: QListWidgetItem) -> None:
        latest = item.data(LATEST_ROLE) or ""
        item.setText((item.data(BASE_ROLE) or item.text()) + (f"\n{latest}" if latest else ""))

    def show_latest(self, alarm_id: str, latest: dict) -> bool:
        """The leak watch located the alarm's leak anew (``AlarmView.location["latest"]``: ``length_m``,
        ``confidence``, ``time`` UTC ISO): its card says so under the figures it was raised with, which stay.
        False if the alarm's card is not shown."""
        line = f"{_tr('最新定位')} {local_time(latest['time'], '%H:%M')} · {_interval_text(latest)}"
        if latest.get("calibrated") is False:
            line += _tr("（置信度未校准）")
        shown = False
        for i in range(self.list.count()):
            item = self.list.item(i)
            card = item.data(CARD_ROLE)
            if card is not None and card.alarm_id == alarm_id and card.kind == "leak_suspected" \
                    and not item.data(DISMISSED_ROLE):
                item.setData(LATEST_ROLE, line)
                self._render(item)
                shown = True
        return shown

    def select_alarm(self, alarm_id: str) -> bool:
        """Make the card of ``alarm_id`` current (as a click would); False if it is not shown."""
        for i in range(self.list.count()):
            card = self.list.item(i).data(CARD_ROLE)
            if card is not None and card.alarm_id == alarm_id:
                self.list.setCurrentRow(i)
                self._on_clicked(self.list.item(i))
                return True
        return False

    def add_cards(self, cards) -> None:  # noqa: ANN001
        """Add cards (newest first in the list); cards already shown are skipped."""
        for card in sorted(cards, key=lambda c: c.id):
            if card.id in self._ids:
                continue
            self._ids.add(card.id)
            bg, fg, label = SEVERITY_STYLE.get(card.severity, SEVERITY_STYLE["info"])
            if self._placeholder is not None:
                self.list.takeItem(self.list.row(self._placeholder))
                self._placeholder = None
            drill = _tr("【演练】") if card.is_drill else ""
            title = card_title(card)
            text = f"[{_tr(label)}] {drill}{title}\n{local_time(card.time)}"
            interval = (card.location or {}).get("interval") or {}
            # The leak watch's titles already carry the interval; repeat it only for cards that don't.
            if interval.get("length_m") and f"{interval['length_m']:.0f} m" not in title:
                text += f" · {_interval_text(interval)}"
            item = QListWidgetItem(text)
            item.setData(BASE_ROLE, text)
            item.setBackground(QColor(bg))
            item.setForeground(QColor(fg))
            item.setData(CARD_ROLE, card)
            self.list.insertItem(0, item)
            if getattr(card, "kind", "") == "alarm_dismissed" and getattr(card, "alarm_id", None):
                self.mark_dismissed(card.alarm_id)
        while self.list.count() > self.max_cards:
            it = self.list.takeItem(self.list.count() - 1)
            self._ids.discard(it.data(CARD_ROLE).id)

    def count(self) -> int:
        """Number of event cards shown (the empty-feed hint is not a card)."""
        return len(self._ids)

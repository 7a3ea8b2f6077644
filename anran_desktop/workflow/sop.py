"""SOP templates per incident type, read from ``resources/sop/<kind>.json``."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

SOP_DIR = Path(__file__).resolve().parents[2] / "resources" / "sop"
KINDS = ("leak", "odor", "help", "sensor_fault", "drill")


class SopError(ValueError):
    """An SOP file is missing or malformed; the message names the file and the field."""


@dataclass(frozen=True)
class ChecklistItem:
    id: str
    text: str
    required: bool = True


@dataclass(frozen=True)
class Sop:
    kind: str
    title: str
    checklist: dict[str, tuple[ChecklistItem, ...]]  # status -> items to do while in that status
    required_evidence: dict[str, tuple[str, ...]]  # status -> evidence kinds needed before leaving it
    sla_minutes: dict[str, float]


@cache
def load_sop(kind: str, directory: Path | None = None) -> Sop:
    """The SOP for incident ``kind`` (``leak``, ``odor``, ``help``, ``sensor_fault``, ``drill``)."""
    path = (directory or SOP_DIR) / f"{kind}.json"
    if not path.exists():
        raise SopError(f"没有事件类型 {kind!r} 的 SOP 文件：{path}")
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        checklist = {st: tuple(ChecklistItem(str(i["id"]), str(i["text"]), bool(i.get("required", True)))
                               for i in items) for st, items in raw["checklist"].items()}
        return Sop(kind=kind, title=str(raw["title"]), checklist=checklist,
                   required_evidence={k: tuple(v) for k, v in raw.get("required_evidence", {}).items()},
                   sla_minutes={k: float(v) for k, v in raw.get("sla_minutes", {}).items()})
    except (json.JSONDecodeError, KeyError, TypeError) as exc:
        raise SopError(f"{path}: SOP 格式错误（{type(exc).__name__}: {exc}）") from exc

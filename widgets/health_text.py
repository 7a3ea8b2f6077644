"""Point health (点位健康度) findings, and the event cards they raise, in the interface language.

The health check (``anran_desktop/ingest/quality.py``) gives each finding a stable code and its figures
(``PointHealth.codes`` / ``params``); its Chinese ``reasons`` are for the CLI and the stored event title
(the record). A view words the findings here. A finding without figures, or with a code this module does
not know, shows its stored text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

CONTEXT = "PointHealth"

#: code → Chinese source text with ``{field}`` places (English in scripts/translate_en.py)
FINDING_TEXT = {
    "no_data": QT_TRANSLATE_NOOP("PointHealth", "无数据"),
    "stale": QT_TRANSLATE_NOOP("PointHealth", "数据陈旧：最后一次上报在 {age_s} s 前"),
    "flat": QT_TRANSLATE_NOOP("PointHealth", "读数僵直：{span_s} s 内恒为 {value}"),
    "spikes": QT_TRANSLATE_NOOP("PointHealth", "尖峰：{count} 次突跳"),
    "out_of_range": QT_TRANSLATE_NOOP("PointHealth", "超量程：{percent}% 的读数不在 [{low}, {high}]"),
    "drift": QT_TRANSLATE_NOOP("PointHealth", "偏离模型估计 {bias}"),
    "neighbours": QT_TRANSLATE_NOOP("PointHealth", "与相邻点位不一致（中位差 {diff}）"),
}


def _tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


def finding_text(code: str, params: Mapping[str, object] | None, fallback: str = "") -> str:
    """One finding in the current language; ``fallback`` (the stored text, else the code) when it cannot be
    worded (unknown code, or figures missing)."""
    template = FINDING_TEXT.get(code)
    if template is None:
        return fallback or code
    try:
        return _tr(template).format(**(params or {}))
    except (KeyError, IndexError, ValueError):
        return fallback or code


def findings_text(codes: Sequence[str], params: Sequence[Mapping[str, object]] | None,
                  reasons: Sequence[str] | None = None, sep: str | None = None) -> list[str]:
    """Every finding of a point, in order (``params``/``reasons`` aligned with ``codes``; either may be short)."""
    params, reasons = list(params or []), list(reasons or [])
    return [finding_text(c, params[i] if i < len(params) else None, reasons[i] if i < len(reasons) else "")
            for i, c in enumerate(codes)]


def _point_name(detail: Mapping) -> str:
    point, name = str(detail.get("point") or ""), str(detail.get("name") or "")
    return _tr("{name}（{point}）").format(name=name, point=point) if name else point


def maintenance_title(detail: object) -> str | None:
    """The title of a point-health event (``kind == "maintenance"``) worded from its ``detail``; None when the
    detail is from an older record that lacks the parts (then the stored title is shown)."""
    if not isinstance(detail, Mapping) or not detail.get("point"):
        return None
    name = _point_name(detail)
    if detail.get("recovered"):
        score = detail.get("score")
        if not isinstance(score, int | float):
            return None
        return _tr("测点恢复：{name} — 健康度恢复到 {score}").format(name=name, score=f"{score:.0f}")
    codes, params = detail.get("codes"), detail.get("params")
    if not isinstance(codes, list) or not isinstance(params, list):
        return None
    reasons = findings_text(codes, params, detail.get("reasons") or []) or [_tr("健康度过低")]
    return _tr("测点故障待检修：{name} — {reasons}（已不参与泄漏定位）").format(
        name=name, reasons=_tr("；").join(reasons))

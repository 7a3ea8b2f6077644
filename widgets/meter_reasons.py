"""Display text of the meter reader's review reasons (``vision.reasons`` codes) in the current language.

A reason is ``code`` or ``code:key=value,…``; the Chinese source strings below are translated by Qt
(context ``MeterReasons``) and their ``{key}`` fields filled from the parameters. Unknown codes are
shown as they are.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from vision.reasons import parse


def _texts() -> dict[str, str]:
    return {
        "no_dial": QCoreApplication.translate("MeterReasons", "未找到表盘"),
        "no_register": QCoreApplication.translate("MeterReasons", "未找到计数器"),
        "blurred": QCoreApplication.translate("MeterReasons", "图像模糊"),
        "badly_exposed": QCoreApplication.translate("MeterReasons", "曝光不当"),
        "glare": QCoreApplication.translate("MeterReasons", "表面反光"),
        "meter_too_small": QCoreApplication.translate("MeterReasons", "表在画面中太小"),
        "low_image_quality": QCoreApplication.translate("MeterReasons", "图像质量低"),
        "low_confidence": QCoreApplication.translate("MeterReasons", "置信度低"),
        "few_ticks": QCoreApplication.translate("MeterReasons", "找到的刻度线太少"),
        "scale_arc_unusual": QCoreApplication.translate(
            "MeterReasons", "找到的刻度弧为 {arc}°（表盘刻度一般约 240–300°）：刻度起止可能找错"),
        "scale_unreadable": QCoreApplication.translate("MeterReasons", "刻度数字无法识读：请给出量程"),
        "needle_weak": QCoreApplication.translate("MeterReasons", "指针不清晰"),
        "ticks_disagree": QCoreApplication.translate("MeterReasons", "刻度插值与透视校正不一致（相差量程的 {diff}%）"),
        "perspective_uncorrected": QCoreApplication.translate("MeterReasons", "未找到指针直线或表心：未做透视校正"),
        "digit_uncertain": QCoreApplication.translate("MeterReasons", "第 {digit} 位数字不确定（得分 {score}）"),
        "digit_ocr_mismatch": QCoreApplication.translate("MeterReasons", "第 {digit} 位：逐位识读为 {cell}，OCR 为 {ocr}"),
        "no_decimal": QCoreApplication.translate("MeterReasons", "未找到小数点或红色字轮"),
        "decimal_unclear": QCoreApplication.translate("MeterReasons", "小数点不清晰或不在常见位数布局（5+3、5+2、4+3、6+3）"),
        "rolling": QCoreApplication.translate("MeterReasons", "字轮正在翻转：报告较小的数字"),
        "digit_missing": QCoreApplication.translate("MeterReasons", "似乎缺少一位数字（字距不均）"),
        "two_glyphs": QCoreApplication.translate("MeterReasons", "一格中有两个字符（字距不均）"),
    }


def reason_text(reason: str) -> str:
    """Display text of one reason string."""
    code, params = parse(reason)
    template = _texts().get(code)
    if template is None:
        return reason
    try:
        return template.format(**params)
    except (KeyError, IndexError):
        return template


def reasons_text(reasons: list[str] | None) -> str:
    """All reasons joined for a status line (the separator translated too)."""
    sep = QCoreApplication.translate("MeterReasons", "；")
    return sep.join(reason_text(r) for r in reasons or [])

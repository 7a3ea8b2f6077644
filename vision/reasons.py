"""Why a meter reading needs review: stable codes with parameters (no Qt, no language).

A reason is a string ``code`` or ``code:key=value,key=value`` (e.g. ``digit_uncertain:digit=3,score=0.41``),
stored as it is in ``MeterReading.reasons`` and the desktop database. The desktop panel translates codes
(``widgets/meter_reasons.py``); :func:`describe` gives the English text for the CLI and logs.
"""

from __future__ import annotations

#: code -> English text (``{key}`` filled from the parameters)
ENGLISH = {
    "no_dial": "no dial found",
    "no_register": "no register found",
    "blurred": "blurred",
    "badly_exposed": "badly exposed",
    "glare": "glare",
    "meter_too_small": "meter too small in the image",
    "low_image_quality": "low image quality",
    "low_confidence": "low confidence",
    "few_ticks": "few scale ticks found",
    "scale_arc_unusual": "a scale arc of {arc}° found (dial scales span about 240–300°): its start or end may be wrong",
    "scale_unreadable": "scale numbers not readable: give --range",
    "needle_weak": "needle not clearly found",
    "ticks_disagree": "tick interpolation and perspective correction disagree by {diff} % of span",
    "perspective_uncorrected": "needle line or hub not found: perspective not corrected",
    "digit_uncertain": "digit {digit} uncertain (score {score})",
    "digit_ocr_mismatch": "digit {digit}: cell reader {cell}, OCR {ocr}",
    "no_decimal": "no decimal mark or red drums found",
    "decimal_unclear": "decimal mark unclear or not at a usual register layout (5+3, 5+2, 4+3, 6+3)",
    "rolling": "drum rolling: the lower digit is reported",
    "digit_missing": "a digit seems to be missing (uneven cell spacing)",
    "two_glyphs": "two glyphs in one cell (uneven cell spacing)",
}

#: English messages of modules that still return text -> their code
_FROM_TEXT = {text: code for code, text in ENGLISH.items() if "{" not in text}


def reason(code: str, **params: object) -> str:
    """The reason string of ``code`` with ``params`` (values must not contain ',' or '=')."""
    if code not in ENGLISH:
        raise ValueError(f"unknown reason code {code!r}")
    if not params:
        return code
    for k, v in params.items():
        if any(ch in str(v) for ch in ",="):
            raise ValueError(f"reason {code}: parameter {k}={v!r} contains ',' or '='")
    return code + ":" + ",".join(f"{k}={v}" for k, v in params.items())


def parse(text: str) -> tuple[str, dict[str, str]]:
    """(code, parameters) of a reason string; a text that is no known code is returned as the code."""
    code, _, rest = text.partition(":")
    if code not in ENGLISH:
        return text, {}
    params = dict(p.split("=", 1) for p in rest.split(",") if "=" in p) if rest else {}
    return code, params


def normalize(text: str) -> str:
    """The code of a reason given as one of the English messages, else ``text`` unchanged."""
    return _FROM_TEXT.get(text, text)


def describe(text: str) -> str:
    """English text of a reason string (unknown codes returned as they are)."""
    code, params = parse(text)
    template = ENGLISH.get(code)
    if template is None:
        return text
    try:
        return template.format(**params)
    except KeyError:
        return template

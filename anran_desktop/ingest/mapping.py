"""Turning raw field values into :class:`Sample` s: JSON field paths, MQTT topic filters,
time stamps in the formats sites use, linear scaling and plausibility ranges, Modbus register
decoding. Each failure raises :class:`MappingError` with a machine ``reason`` (counted per source)
and a human ``detail`` (logged)."""

from __future__ import annotations

import math
import struct
from datetime import datetime, timedelta, timezone
from typing import Any


class MappingError(ValueError):
    """A payload/value that cannot become a sample. ``reason`` is a short counter key."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


def json_path(doc: Any, path: str) -> Any:
    """``"a.b.0.c"`` → ``doc["a"]["b"][0]["c"]``; the empty path is the document itself."""
    cur = doc
    if not path:
        return cur
    for part in path.split("."):
        if isinstance(cur, dict) and part in cur:
            cur = cur[part]
        elif isinstance(cur, list) and part.lstrip("-").isdigit() and -len(cur) <= int(part) < len(cur):
            cur = cur[int(part)]
        else:
            raise MappingError("missing_field", f"no field {path!r}")
    return cur


def topic_match(pattern: str, topic: str) -> list[str] | None:
    """MQTT filter match; returns the segments matched by ``+``/``#`` wildcards, or ``None``."""
    pp, tt = pattern.split("/"), topic.split("/")
    caught: list[str] = []
    for i, p in enumerate(pp):
        if p == "#":
            caught.append("/".join(tt[i:]))
            return caught
        if i >= len(tt):
            return None
        if p == "+":
            caught.append(tt[i])
        elif p != tt[i]:
            return None
    return caught if len(pp) == len(tt) else None


def fill_point(template: str, wildcards: list[str], doc: Any = None) -> str:
    """Point id from a template: ``{1}`` = first wildcard segment, ``{field:a.b}`` = a JSON field."""
    out = template
    for i, w in enumerate(wildcards, start=1):
        out = out.replace(f"{{{i}}}", w)
    while "{field:" in out:
        a = out.index("{field:")
        b = out.index("}", a)
        value = json_path(doc, out[a + 7:b])
        out = out[:a] + str(value) + out[b + 1:]
    return out


def to_float(raw: Any, where: str) -> float:
    """A finite float from a JSON number or numeric string; booleans and others are refused."""
    if isinstance(raw, bool) or raw is None:
        raise MappingError("wrong_type", f"{where}: {raw!r} is not a number")
    if isinstance(raw, int | float):
        v = float(raw)
    elif isinstance(raw, str):
        try:
            v = float(raw.strip())
        except ValueError:
            raise MappingError("wrong_type", f"{where}: {raw!r} is not a number") from None
    else:
        raise MappingError("wrong_type", f"{where}: {type(raw).__name__} is not a number")
    if not math.isfinite(v):
        raise MappingError("wrong_type", f"{where}: {raw!r} is not finite")
    return v


def parse_time(raw: Any, fmt: str = "auto", tz_offset_h: float = 0.0) -> float:
    """UTC epoch seconds from a time stamp.

    ``fmt``: ``"epoch_s"``, ``"epoch_ms"``, ``"iso"`` (naive ISO is taken in ``tz_offset_h``),
    ``"auto"`` (numbers > 1e11 are ms), or a ``strptime`` pattern (local time at ``tz_offset_h``).
    """
    tz = timezone(timedelta(hours=tz_offset_h))
    try:
        if fmt in ("epoch_s", "epoch_ms", "auto") and not (fmt == "auto" and isinstance(raw, str)
                                                          and not _numeric(raw)):
            v = to_float(raw, "time")
            if fmt == "epoch_ms" or (fmt == "auto" and v > 1e11):
                v /= 1000.0
            return v
        if fmt in ("iso", "auto"):
            dt = datetime.fromisoformat(str(raw).strip().replace("Z", "+00:00"))
        else:
            dt = datetime.strptime(str(raw).strip(), fmt)
    except MappingError:
        raise MappingError("bad_time", f"time {raw!r} is not a time stamp") from None
    except (ValueError, TypeError):
        raise MappingError("bad_time", f"time {raw!r} does not match {fmt!r}") from None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=tz)
    return dt.timestamp()


def _numeric(s: str) -> bool:
    try:
        float(s)
    except ValueError:
        return False
    return True


def scale_check(v: float, scale: float, offset: float, lo: float | None, hi: float | None, where: str) -> float:
    """``v·scale + offset``, refused when outside the plausible ``[lo, hi]``."""
    x = v * scale + offset
    if (lo is not None and x < lo) or (hi is not None and x > hi):
        raise MappingError("out_of_range", f"{where}: {x:g} outside [{lo}, {hi}]")
    return x


REGISTER_COUNT = {"int16": 1, "uint16": 1, "int32": 2, "uint32": 2, "float32": 2, "float64": 4}
_STRUCT = {"int16": ">h", "uint16": ">H", "int32": ">i", "uint32": ">I", "float32": ">f", "float64": ">d"}


def decode_registers(regs: list[int], dtype: str, word_order: str = "big") -> float:
    """Decode 16-bit registers (big-endian bytes within each word) as ``dtype``;
    ``word_order="little"`` means the low word comes first (common in flow computers)."""
    n = REGISTER_COUNT[dtype]
    if len(regs) != n:
        raise MappingError("wrong_type", f"{dtype} needs {n} registers, got {len(regs)}")
    words = list(regs) if word_order == "big" else list(reversed(regs))
    raw = b"".join(int(w & 0xFFFF).to_bytes(2, "big") for w in words)
    return float(struct.unpack(_STRUCT[dtype], raw)[0])


def encode_registers(value: float, dtype: str, word_order: str = "big") -> list[int]:
    """Inverse of :func:`decode_registers` (used by tests and simulators)."""
    fmt = _STRUCT[dtype]
    raw = struct.pack(fmt, int(value) if dtype[0] in "iu" else float(value))
    words = [int.from_bytes(raw[i:i + 2], "big") for i in range(0, len(raw), 2)]
    return words if word_order == "big" else list(reversed(words))

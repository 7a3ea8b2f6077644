"""Pressure units a reading may be written in (a dial in MPa, a handheld in kPa or bar) → kPa gauge, the unit
the engine and every view work in."""

from __future__ import annotations

#: each pressure unit, keyed by how it may be written (lower case): its printed spelling and kPa per unit
_UNITS = {"kpa": ("kPa", 1.0), "mpa": ("MPa", 1000.0), "bar": ("bar", 100.0), "mbar": ("mbar", 0.1),
          "pa": ("Pa", 0.001), "千帕": ("kPa", 1.0), "兆帕": ("MPa", 1000.0), "帕": ("Pa", 0.001)}


def pressure_unit(unit: str) -> str | None:
    """``unit`` spelled as it is printed (``mpa`` → ``MPa``); None when it is not a pressure unit."""
    found = _UNITS.get(unit.strip().lower())
    return None if found is None else found[0]


def pressure_factor(unit: str | None) -> float | None:
    """kPa per ``unit`` (None, or blank, is kPa); None when ``unit`` is not a pressure unit."""
    found = _UNITS.get((unit or "kPa").strip().lower())
    return None if found is None else found[1]


def to_kpa(value: float, unit: str | None) -> float | None:
    """``value`` in ``unit`` as kPa; None when ``unit`` is not a pressure unit."""
    factor = pressure_factor(unit)
    return None if factor is None else value * factor


#: units as printed (the relay and the meter readers write ``m3``)
_PRINTED = {"m3": "m³", "m3/h": "m³/h"}


def unit_text(unit: str | None) -> str:
    """A unit as printed: ``m3`` → ``m³``, ``m3/h`` → ``m³/h``; others as written (None → "")."""
    return _PRINTED.get(unit or "", unit or "")


def _num(value: float) -> str:
    return f"{value:.4f}".rstrip("0").rstrip(".")


def reading_text(value: float, unit: str | None, *, brackets: str = " ()") -> str:
    """A reading with its unit, and, for a pressure in a unit other than kPa, the same in kPa, the unit the
    canvas and the curves show: ``0.1499 MPa (149.9 kPa)``. ``brackets``: the separator and the two brackets
    (``"（）"`` without a separator for Chinese text)."""
    text = f"{_num(value)} {unit_text(unit)}".rstrip()
    kpa = to_kpa(value, unit) if unit and pressure_unit(unit) != "kPa" else None
    if kpa is None:
        return text
    sep, (left, right) = (brackets[0], brackets[1:]) if len(brackets) == 3 else ("", brackets)
    return f"{text}{sep}{left}{kpa:.1f} kPa{right}"

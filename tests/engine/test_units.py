"""Readings written in other pressure units are converted to kPa gauge once, in one place, and printed with
their kPa figure next to them (the canvas and the curves show kPa)."""

import pytest

from engine.units import pressure_factor, reading_text, to_kpa, unit_text


@pytest.mark.parametrize(("value", "unit", "kpa"), [(0.1499, "MPa", 149.9), (1.5, "bar", 150.0), (25, "mbar", 2.5),
                                                     (3000, "Pa", 3.0), (2.9, "kPa", 2.9), (2.9, None, 2.9),
                                                     (2.9, " KPA ", 2.9)])
def test_pressure_units_convert_to_kpa(value, unit, kpa) -> None:  # noqa: ANN001
    assert to_kpa(value, unit) == pytest.approx(kpa)


def test_a_unit_that_is_not_a_pressure_is_refused() -> None:
    assert to_kpa(3.0, "m3") is None and pressure_factor("psi") is None


def test_readings_print_with_their_kpa_figure() -> None:
    assert reading_text(0.1499, "MPa") == "0.1499 MPa (149.9 kPa)"
    assert reading_text(0.2204, "MPa", brackets="（）") == "0.2204 MPa（220.4 kPa）"
    assert reading_text(2.95, "kPa") == "2.95 kPa"  # already kPa: no repeat
    assert reading_text(1234.56, "m3") == "1234.56 m³" and unit_text("m3/h") == "m³/h"
    assert reading_text(7.0, None) == "7" and reading_text(7.0, "℃") == "7 ℃"

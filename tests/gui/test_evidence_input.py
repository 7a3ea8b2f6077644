"""A typed gauge reading is read the way people type it, and a mistake is named before anything is
stored: a unit that is not a pressure, a node the site does not have, something left over."""

from __future__ import annotations

import pytest

from anran_desktop.ui.evidence_input import parse_reading

NODES = {"N076", "N-S3"}


@pytest.mark.parametrize(("text", "expected"), [
    ("0.22 MPa N076", (0.22, "MPa", "N076")),
    ("0.22MPa N076", (0.22, "MPa", "N076")),  # number and unit together
    ("0,22 mpa @N-S3", (0.22, "MPa", "N-S3")),  # a decimal comma, the unit in lower case, an @ before the node
    ("148.3", (148.3, "kPa", None)),  # no unit: kPa, as the canvas shows
    ("25 mbar", (25.0, "mbar", None)),
    ("3.1 N076", (3.1, "kPa", "N076")),  # a node and no unit
    ("0.22兆帕 N076", (0.22, "MPa", "N076")),  # the unit's Chinese name
])
def test_readings_as_people_type_them(text, expected) -> None:  # noqa: ANN001
    assert parse_reading(text, NODES) == expected


@pytest.mark.parametrize(("text", "message"), [
    ("abc MPa", "读数不是数字：abc"),
    ("0.22 psi N076", "psi 不是压力单位（kPa、MPa、bar、mbar、Pa）"),
    ("0.22 MPa N999", "节点 N999 不在本站管网中"),
    ("0.22 MPa N076 上游", "读数后多了：上游"),
])
def test_mistakes_are_named(text, message) -> None:  # noqa: ANN001
    with pytest.raises(ValueError) as got:
        parse_reading(text, NODES)
    assert str(got.value) == message


def test_mistakes_are_named_in_english(english) -> None:  # noqa: ANN001
    with pytest.raises(ValueError, match="psi is not a pressure unit"):
        parse_reading("0.22 psi", NODES)
    with pytest.raises(ValueError, match="Node N999 is not in this site's network"):
        parse_reading("0.22 MPa N999", NODES)


VALVES = {"V-S3S4", "V-S4S5"}


@pytest.mark.parametrize(("text", "expected"), [
    ("V-S3S4,V-S4S5;是", (["V-S3S4", "V-S4S5"], True)),
    ("V-S3S4、V-S4S5；否", (["V-S3S4", "V-S4S5"], False)),  # Chinese punctuation
    (" V-S3S4 ; no ", (["V-S3S4"], False)),
    ("V-S3S4,V-S3S4;yes", (["V-S3S4"], True)),  # a valve named twice counts once
])
def test_valve_tests_as_people_type_them(text, expected) -> None:  # noqa: ANN001
    from anran_desktop.ui.evidence_input import parse_valve_test

    assert parse_valve_test(text, VALVES) == expected


@pytest.mark.parametrize(("text", "message"), [
    ("V-S3S4", "请写关闭的阀门和压力是否恢复，例如 V-S3S4,V-S4S5;是"),
    ("V-S3S4,V-X9;是", "不是本站管网的阀门：V-X9"),
    ("V-S3S4;大概", "压力是否恢复请写“是”或“否”（写的是：大概）"),
])
def test_valve_test_mistakes_are_named(text, message) -> None:  # noqa: ANN001
    from anran_desktop.ui.evidence_input import parse_valve_test

    with pytest.raises(ValueError) as got:
        parse_valve_test(text, VALVES)
    assert str(got.value) == message


def test_a_valve_test_on_a_leak_the_meter_found_is_about_the_inlet_flow() -> None:
    from anran_desktop.ui.evidence_input import parse_valve_test

    assert parse_valve_test("V-S3S4;回落", VALVES, by_meter=True) == (["V-S3S4"], True)
    assert parse_valve_test("V-S3S4;未回落", VALVES, by_meter=True) == (["V-S3S4"], False)
    with pytest.raises(ValueError, match="^进站流量是否回落请写“是”或“否”（写的是：大概）$"):
        parse_valve_test("V-S3S4;大概", VALVES, by_meter=True)
    with pytest.raises(ValueError, match="^请写关闭的阀门和进站流量是否回落，例如 V-S3S4,V-S4S5;是$"):
        parse_valve_test("V-S3S4", VALVES, by_meter=True)

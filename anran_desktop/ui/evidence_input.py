"""Evidence as a crew member or a dispatcher types it, parsed before anything is stored; a mistake is named
in the interface language (which part, and what was expected).

* a gauge reading: ``0.22 MPa N076``, ``0.22MPa``, ``3,1 kPa``, ``148.3`` (kPa), ``0.15 MPa @N-S3``;
* a valve-closure test: ``V-S3S4,V-S4S5;是`` (the valves closed; whether the pressures came back).
"""

from __future__ import annotations

import re
from collections.abc import Container

from PySide6.QtCore import QCoreApplication

from engine.units import pressure_unit

_NUMBER = re.compile(r"([-+]?\d+(?:[.,]\d+)?)(.*)")


def _tr(text: str) -> str:
    return QCoreApplication.translate("EvidenceInput", text)


def parse_reading(text: str, nodes: Container[str]) -> tuple[float, str, str | None]:
    """(value, unit, node or None) of ``text``; ValueError with the reason when it cannot be one."""
    tokens = text.split()
    m = _NUMBER.fullmatch(tokens[0]) if tokens else None
    if m is None:
        raise ValueError(_tr("读数不是数字：{text}").format(text=tokens[0] if tokens else ""))
    value = float(m[1].replace(",", "."))
    rest = ([m[2]] if m[2] else []) + tokens[1:]
    unit = "kPa"
    if rest and (printed := pressure_unit(rest[0])) is not None:
        unit = printed
        rest.pop(0)
    elif rest and rest[0].lstrip("@") not in nodes:
        raise ValueError(_tr("{unit} 不是压力单位（kPa、MPa、bar、mbar、Pa）").format(unit=rest[0]))
    node = rest.pop(0).lstrip("@") if rest else None
    if node is not None and node not in nodes:
        raise ValueError(_tr("节点 {node} 不在本站管网中").format(node=node))
    if rest:
        raise ValueError(_tr("读数后多了：{extra}").format(extra=" ".join(rest)))
    return value, unit, node


#: answers to "did the pressures come back?" (or, for a leak the inlet meter alone found, "did the inlet
#: flow fall back?")
_YES = ("是", "恢复", "回落", "yes", "y", "1", "true")
_NO = ("否", "未恢复", "未回落", "no", "n", "0", "false")


def parse_valve_test(text: str, valves: Container[str], by_meter: bool = False) -> tuple[list[str], bool]:
    """(valves closed, pressures restored — or the inlet flow fell back, ``by_meter``) of ``text``;
    ``valves``: the site's valve ids. ValueError with the reason when it cannot be one."""
    closed, sep, answer = text.replace("；", ";").partition(";")
    ids = [v.strip() for v in closed.replace("，", ",").replace("、", ",").split(",") if v.strip()]
    if not sep or not ids:
        if by_meter:
            raise ValueError(_tr("请写关闭的阀门和进站流量是否回落，例如 V-S3S4,V-S4S5;是"))
        raise ValueError(_tr("请写关闭的阀门和压力是否恢复，例如 V-S3S4,V-S4S5;是"))
    unknown = [v for v in ids if v not in valves]
    if unknown:
        raise ValueError(_tr("不是本站管网的阀门：{ids}").format(ids="、".join(unknown)))
    word = answer.strip().lower()
    if word not in _YES + _NO:
        if by_meter:
            raise ValueError(_tr("进站流量是否回落请写“是”或“否”（写的是：{word}）").format(word=answer.strip()))
        raise ValueError(_tr("压力是否恢复请写“是”或“否”（写的是：{word}）").format(word=answer.strip()))
    return list(dict.fromkeys(ids)), word in _YES

"""附录 A, headless: 南区 pressure drop on S3–S5 at 星海花园 → detection and interval (engine) → area notice to
南区 residents only → a resident's odor report with a meter photo read by ``vision`` merged as engine evidence →
ticket assigned to 抢修员 01 with the workflow guards enforced in ``TicketService`` → on-site gauge photos read by
``vision`` → valve-closure test narrowing the interval → retest reading → close → close-report PDF.

Every figure comes from the engine simulator/locator and the vision reader; the clock is compressed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from anran_desktop.reports.charts import Series
from anran_desktop.reports.incident import (
    EvidenceItem,
    EvidencePhoto,
    IncidentReportData,
    TimelineEntry,
    build_incident_report,
    local,
)
from anran_desktop.reports.loaders import SYSTEM_ACTOR_LABEL
from anran_desktop.workflow.audit_sink import audit_sink
from anran_desktop.workflow.channels import CallableAdapter, ChannelLog, Message
from anran_desktop.workflow.sla import sla_status
from anran_desktop.workflow.sop import load_sop
from engine.interval import quoted
from engine.units import reading_text, to_kpa, unit_text

START = "2026-11-24T01:00:00Z"  # 09:00 北京时间
METER_M3 = 1234.56  # the resident's meter index in 附录 A; the timeline carries what vision reads
LEAK_M3H = 25.0
# the system's rows are named as in the desktop's incident report (the leak watch raised the alarm)
DISPATCHER, CREW, ENGINE, RESIDENT = "调度员 张敏", "抢修员 01", SYSTEM_ACTOR_LABEL, "居民 南区-3"
ROLES = {DISPATCHER: "dispatcher", CREW: "crew"}


@dataclass
class Resident:
    id: str
    area: str  # network area id
    node: str


@dataclass
class ScenarioResult:
    timeline: list[dict]
    timeline_path: Path
    pdf_path: Path
    notified: list[str]
    residents: list[Resident]
    ticket_id: str
    audit_ok: bool
    drill_pdf: Path | None = None


def _register_residents(net) -> list[Resident]:  # noqa: ANN001
    """Three residents per area, each at a consumer node of that area (as registered through the mini-program)."""
    out = []
    for area in net.areas:
        nodes = sorted(n.id for n in net.nodes.values() if n.area == area and n.demand_m3h > 0)
        for k, node in enumerate(nodes[:3], 1):
            out.append(Resident(f"{net.areas[area].name}-{k}", area, node))
    return out


def run_scenario(out: Path, seed: int = 12) -> ScenarioResult:
    """Run 附录 A into ``out`` (timeline.json, demo.db, relay.db, PDFs, photos) and return what happened."""
    from anran_desktop.drills.out_dir import fresh_out_dir
    from anran_desktop.drills.relay_link import LocalRelay

    with fresh_out_dir(out):  # a re-run replaces the previous run's files (its demo.db, relay.db, PDFs)
        relay = LocalRelay(out / "relay.db")
        try:
            return _run_scenario(out, seed, relay)
        finally:
            relay.stop()


def _run_scenario(out: Path, seed: int, relay) -> ScenarioResult:  # noqa: ANN001
    import cv2

    import engine
    from anran_desktop.resources import demo_site_path
    from anran_desktop.services.network import NetworkService
    from anran_desktop.services.tickets import TicketService
    from anran_desktop.store import open_store
    from anran_desktop.store.audit import verify_audit_chain
    from anran_desktop.store.network_import import import_network
    from engine.locate import Locator
    from engine.simulate import ScheduledLeak, parse_time, simulate
    from vision import MeterReader
    from vision.synth.register import make_register

    out.mkdir(parents=True, exist_ok=True)
    net = engine.load_network(demo_site_path())
    site = str(net.site.get("name", "星海花园"))
    t0 = parse_time(START)
    leak_pipe = next(p for p in net.segment_pipes("S4") if net.pipes[p].kind == "pipe")
    readings = simulate(net, 60, leaks=[ScheduledLeak(engine.Leak(leak_pipe, LEAK_M3H), t0 + 1800)],
                        seed=seed, start=t0)
    locator = Locator(net)
    # The site's calibrated temperature and interval density level, as the desktop's leak watch uses them,
    # so the demo states the same confidence the app would.
    from anran_desktop.services.site_confidence import bundled_path
    from engine.confidence import load_calibrations, network_fingerprint

    calibration = load_calibrations(bundled_path()).get(network_fingerprint(net))
    if calibration is not None:
        calibration.apply(locator.settings)
    timeline: list[dict] = []
    evidence_items: list[EvidenceItem] = []
    checklist_done: set[str] = set()

    def step(t: float, actor: str, action: str, res=None, **extra) -> dict:  # noqa: ANN001, ANN003
        e = {"time": _iso(t), "local_time": local(t, "%H:%M:%S"), "actor": actor, "action": action,
             "interval_pipes": None, "interval_length_m": None, "confidence": None, "notified": []}
        if res is not None:
            e.update(interval_pipes=list(res.interval_pipes), interval_length_m=round(res.interval_length_m, 1),
                     confidence=round(res.confidence, 4))
        e.update(extra)
        e["_t"] = t
        timeline.append(e)
        return e

    # 1. detection and interval
    detected = locator.locate(readings)
    if not detected.leak_detected:
        raise ValueError("引擎未检测到泄漏：场景无法继续（检查模拟种子）")
    t = float(readings.times[-1])
    step(t, ENGINE, "告警：南区压力下降，疑似泄漏", detected, leak_m3h=round(detected.leak_m3h, 2),
         onset=detected.onset)

    store = open_store(out / "demo.db")
    if NetworkService(store).is_empty():
        import_network(store, demo_site_path())

    # 2. area notice to 南区 only, through the outbound channel interface
    residents = _register_residents(net)
    south = next(a for a, v in net.areas.items() if v.name == "南区")

    from anran_desktop.drills.relay_link import RelayLink

    link = RelayLink(store, relay, out / "evidence")
    link.register_residents([(r.id, net.areas[r.area].name) for r in residents])
    notice_text = "南区燃气管网检修排查中，请勿使用明火，闻到异味请上报。"

    def relay_push(msg: Message) -> tuple[str, ...]:
        areas = [r.split(":", 1)[1] for r in msg.recipients if r.startswith("area:")]
        return tuple(x for a in areas for x in link.area_notice(net.areas[a].name, "南区安全通知", msg.text))

    channels = ChannelLog(sink=audit_sink(store, DISPATCHER), clock=lambda: t)
    notice = channels.send(CallableAdapter("relay", relay_push),
                           Message("notice", notice_text, (f"area:{south}",)))
    t += 40
    step(t, DISPATCHER, "发布南区区域通知", notified=list(notice.delivered_to), channel=notice.channel, ok=notice.ok)
    # two of the residents who got it acknowledge in the mini-program; the desktop counts what came back
    acks = link.acknowledge(list(notice.delivered_to)[:2]) if notice.ok else 0

    # 3. ticket, assigned to 抢修员 01, guards enforced by the service layer
    tickets = TicketService(store)
    from anran_desktop.services.ticket_evidence import TicketEvidenceService, register_guards

    def role_of(actor: str) -> str:
        return ROLES.get(actor, "admin")

    ev_svc = TicketEvidenceService(store, role_of, out / "evidence")
    register_guards(tickets, role_of, ev_svc)  # the desktop's own guards: evidence and checklist as stored
    # the engine's detection is an alarm in the store, and the ticket is made from it as the app's alarm card does
    import time

    from anran_desktop.services.dispatch import CrewService, DispatchService
    from anran_desktop.services.events import AlarmService, EventService
    from anran_desktop.services.leak_title import stored_title, title_parts
    from anran_desktop.services.users import UserService
    from engine.simulate import parse_time

    alarms = AlarmService(store, EventService(store))
    # the store keeps wall-clock times: the onset goes in as long before this alarm as the engine placed it
    # before the end of its (simulated) window
    onset_lag = float(readings.times[-1]) - parse_time(detected.onset)
    # titled as the live leak watch titles its alarms, with the parts a window in English words it from
    parts = title_parts(net, detected.interval_pipes, detected.interval_length_m, detected.confidence,
                        "" if calibration is not None else "failed")
    alarm_title = stored_title(parts)
    alarm = alarms.raise_alarm(
        kind="leak_suspected", level=2, title=alarm_title,
        detail={"onset": _iso(time.time() - onset_lag), "leak_m3h": round(detected.leak_m3h, 1),
                "title_parts": parts},
        location={"pipes": detected.interval_pipes[:1], "interval": {
            "pipes": detected.interval_pipes, "length_m": detected.interval_length_m,
            "confidence": detected.confidence}})
    dispatch = DispatchService(store, tickets, alarms, CrewService(store, UserService(store)), net, ev_svc)
    card = dispatch.ticket_from_alarm(alarm.id, DISPATCHER, assignee=CREW)
    tickets.move(card.id, "dispatched", DISPATCHER, note=f"派给 {CREW}")
    t += 35
    tta = sla_status("tta", timeline[0]["_t"], t, stopped=t)
    step(t, DISPATCHER, f"派单给{CREW}", ticket=card.id, tta_s=round(tta.elapsed_s, 1), tta_sla=tta.state)
    sop = load_sop("leak")

    def do_checklist(status: str, actor: str = CREW) -> None:
        for c in sop.checklist.get(status, ()):
            ev_svc.set_item(card.id, c.id, True, actor)
            checklist_done.add(c.id)

    # 4. a resident's odor report with a meter photo, read by vision, merged as engine evidence
    reader = MeterReader()
    odor_node = net.pipes[leak_pipe].to_node
    meter_img, _ = make_register(seed, value=METER_M3)
    cv2.imwrite(str(out / "resident_meter.png"), meter_img)
    ok, jpeg = cv2.imencode(".jpg", meter_img)
    pulled = link.odor_report(RESIDENT.split(" ", 1)[1], f"{odor_node} 附近住户厨房", jpeg.tobytes())
    meter = pulled.get("meter_reading") or {}
    # the photo as the desktop received it from the relay (masked there), attached to the ticket with the reading
    pulled_photo = (out / "evidence" / pulled["evidence"][0]).read_bytes() if pulled.get("evidence") else None
    value = meter.get("value")
    rec = ev_svc.attach(card.id, "meter_reading" if value is not None else "note", DISPATCHER, value=value,
                        unit="m³" if value is not None else "", node_id=odor_node, photo=pulled_photo,
                        note=f"居民报告（{RESIDENT}），经中继识别", detail={"relay_event": pulled.get("event_id")})
    photos = [] if rec.photo is None else [EvidencePhoto(rec.photo, f"居民上传的燃气表照片（经中继同步）：识别 {value} m³")]
    evidence_items.append(EvidenceItem("居民燃气表照片读数（经服务端识别并同步回桌面）",
                                       f"{meter.get('value')} {unit_text(meter.get('unit') or 'm3')}", RESIDENT,
                                       meter.get("confidence")))
    odor = engine.OdorReport(node=odor_node)
    merged = locator.locate(readings, [odor])
    # How sure the engine now is that the leak lies in the interval the crew was sent to (the new interval
    # states the mass it holds itself, and may be shorter rather than surer).
    dispatched = sum(merged.pipe_probability.get(p, 0.0) for p in detected.interval_pipes)
    t += 60
    step(t, RESIDENT, "居民异味报告（附燃气表照片）并入事件", merged, meter_value=meter.get("value"),
         meter_confidence=meter.get("confidence"), odor_node=odor_node, pulled_event=pulled.get("event_id"),
         dispatched_interval_confidence=round(min(dispatched, 1.0), 4))

    do_checklist("dispatched", DISPATCHER)
    tickets.move(card.id, "onsite", CREW)
    t += 18 * 60
    step(t, CREW, "到场核查", ticket=card.id)

    # 5. on-site gauge photos read by vision
    # The gauges show the network's true state with the leak (engine solver); vision reads the photos and the
    # readings go to the engine as on-site evidence (σ from the dial's resolution).
    truth = engine.solve(net, leaks=[engine.Leak(leak_pipe, LEAK_M3H)])
    up_node, down_node = net.pipes[leak_pipe].from_node, net.pipes[leak_pipe].to_node
    gauges = []
    site_evidence = []
    next_seed = seed + 100
    for name, node in (("上游", up_node), ("下游", down_node)):
        img, g_truth, used = _gauge_photo(truth.pressure_kpa[node] / 1000.0, next_seed)
        next_seed = used + 1  # the two gauges are different photos
        cv2.imwrite(str(out / f"gauge_{'up' if name == '上游' else 'down'}.png"), img)
        g = reader.read(img, kind="dial", value_range=g_truth.value_range, unit=g_truth.unit)
        gauges.append((name, g))
        value_text = "无法识读" if g.value is None else reading_text(g.value, g.unit or "MPa", brackets="（）")
        photo, rid = _store_evidence(store, out, card.id, img, "dial", g.value, g.unit or "", g.confidence, "desktop",
                                     CREW, f"{name}压力表照片（{node}）：识别 {value_text}", f"{name}压力表照片（{node}）")
        photos.append(photo)
        ev_svc.attach(card.id, "gauge_reading", CREW, value=g.value, unit=g.unit or "", node_id=node, reading_id=rid)
        evidence_items.append(EvidenceItem(f"{name}压力表照片读数（{node}）", value_text, CREW, g.confidence))
        kpa = None if g.value is None else to_kpa(g.value, g.unit or "MPa")
        if kpa is not None:
            site_evidence.append(engine.SiteReading(node, kpa, sigma_kpa=5.0))
    with_gauges = locator.locate(readings, [odor, *site_evidence])
    do_checklist("onsite")
    t += 6 * 60
    step(t, CREW, "读取上下游压力表照片，读数并入定位", with_gauges, gauges={n: {"value": g.value, "unit": g.unit, "confidence": round(g.confidence, 3)}
                                              for n, g in gauges})
    tickets.move(card.id, "handling", CREW)

    # 6. valve-closure test narrows the interval
    valves = tuple(v for v in ("V-S3S4", "V-S4S5") if v in net.pipes)
    narrowed = locator.locate(readings, [odor, *site_evidence, engine.ValveTest(valves, True)])
    t += 9 * 60
    step(t, CREW, f"关阀测试（{'、'.join(valves)}）压力恢复，区间收窄", narrowed)
    # after the repair the crew photographs the downstream gauge (the repaired network's state), read by vision
    repaired = engine.solve(net)
    img, g_truth, _used = _gauge_photo(repaired.pressure_kpa[down_node] / 1000.0, next_seed)
    cv2.imwrite(str(out / "gauge_after.png"), img)
    g_after = reader.read(img, kind="dial", value_range=g_truth.value_range, unit=g_truth.unit)
    from vision.privacy import mask_people

    after_text = "无法识读" if g_after.value is None else reading_text(g_after.value, g_after.unit or "MPa", brackets="（）")
    after_note = f"修复后下游压力表（{down_node}）：识别 {after_text}"
    rec = ev_svc.attach(card.id, "photo_after", CREW, note=after_note, node_id=down_node,
                        photo=cv2.imencode(".png", mask_people(img)[0])[1].tobytes())
    assert rec.photo is not None
    photos.append(EvidencePhoto(rec.photo, f"处置后照片 · {after_note}"))
    do_checklist("handling")
    tickets.move(card.id, "retest", CREW)
    t += 25 * 60
    step(t, CREW, "完成修复，恢复供气后复测", ticket=card.id)

    # 7. retest reading: the repaired network, read by the nearest pressure sensor
    after = simulate(net, 5, seed=seed + 1, start=t)
    pressure = [s for s in net.sensors.values() if s.quantity == "pressure_kpa"]
    sensor = next((s for s in pressure if s.node in net.nodes and net.nodes[s.node].area == south), pressure[0])
    col = list(after.points).index(sensor.id)
    retest_kpa = float(np.mean(np.asarray(after.values)[:, col]))
    ev_svc.attach(card.id, "retest_reading", CREW, value=round(retest_kpa, 2), unit="kPa", node_id=sensor.node,
                  note=sensor.name or sensor.id)
    evidence_items.append(EvidenceItem("复测压力", f"{retest_kpa:.1f} kPa（{sensor.name or sensor.id}）", CREW))
    do_checklist("retest")
    tickets.move(card.id, "closed", DISPATCHER, note="复测正常，结案")
    t += 8 * 60
    step(t, DISPATCHER, "复测正常，结案", ticket=card.id, retest_kpa=round(retest_kpa, 2))
    audit_ok = bool(verify_audit_chain(store)[0])

    # 8. close report
    pressure_ids = [s.id for s in net.sensors.values() if s.quantity == "pressure_kpa"][:4]
    values = np.asarray(readings.values)
    curves = [Series(f"{pid} {net.sensors[pid].name}", [float(x) for x in readings.times],
                     [float(v) for v in values[:, list(readings.points).index(pid)]]) for pid in pressure_ids]
    labels = {v: (net.pipes[v].coords[0][0], net.pipes[v].coords[0][1], v) for v in valves}
    labels["odor"] = (net.nodes[odor_node].lon, net.nodes[odor_node].lat, "异味报告点")
    onset = parse_time(detected.onset) if detected.onset else None
    data = IncidentReportData(
        site=site, ticket_id=card.id, title=alarm_title, area="南区", kind=sop.title, assignee=CREW,
        interval_pipes=narrowed.interval_pipes, interval_length_m=narrowed.interval_length_m,
        confidence=narrowed.confidence, leak_m3h=narrowed.leak_m3h, onset=onset,
        timeline=[TimelineEntry(e["_t"], e["actor"], _short(e["action"]), _detail(e)) for e in timeline],
        pipes={p.id: list(p.coords) for p in net.pipes.values()}, curves=curves, evidence=evidence_items,
        map_labels=labels, photos=photos)
    pdf = build_incident_report(data, out / f"结案报告_{card.id}.pdf")
    timeline[1]["acknowledged"] = acks
    # the run doubles as a drill: 南区 residents are invited to a drill check-in through the relay and check in
    invited = link.area_notice("南区", "南区燃气应急演练签到", "请在小程序中点击签到", kind="drill.invitation",
                               starts_at=_iso(t)) if notice.ok else ()
    checked_in = link.acknowledge(list(invited)) if invited else 0
    drill = {"invited": list(invited), "checked_in": checked_in}
    drill_pdf = _drill_report(out, site, timeline, leak_pipe, narrowed, net, sop, checklist_done, notice, acks,
                              drill)
    for e in timeline:
        e.pop("_t")
    tl_path = out / "timeline.json"
    tl_path.write_text(json.dumps({"site": site, "ticket": card.id, "steps": timeline, "drill": drill}, ensure_ascii=False, indent=1),
                       encoding="utf-8")
    store.close()  # the last connection checkpoints the write-ahead log: demo.db alone, no -wal/-shm beside it
    return ScenarioResult(timeline, tl_path, pdf, list(notice.delivered_to), residents, card.id, audit_ok,
                          drill_pdf=drill_pdf)


def _drill_report(out: Path, site: str, timeline: list[dict], leak_pipe: str, res, net, sop, done: set[str],  # noqa: ANN001
                  notice, acks: int, drill: dict) -> Path:  # noqa: ANN001
    """Score the run as a drill (the leak was simulated) and write the drill report."""
    from anran_desktop.drills.scenarios import StepTimer, score_drill
    from anran_desktop.reports.drill import DrillReportData, build_drill_report

    it = iter(e["_t"] for e in timeline)
    timer = StepTimer(clock=lambda: next(it))
    for e in timeline:
        name = next((k for k in ("告警", "派单", "到场核查", "结案") if k in e["action"]), _short(e["action"]))
        timer.start(name)
    steps = [(n, a, b) for n, a, b in timer.steps[:-1]]  # the closing step has no duration
    total = sum(len(v) for v in sop.checklist.values())
    score = score_drill(timer, truth_pipes={leak_pipe}, interval_pipes=res.interval_pipes,
                        interval_length_m=res.interval_length_m, network_length_m=net.total_length_m,
                        checklist_done=len(done), checklist_total=total, notified=len(notice.delivered_to),
                        acknowledged=acks, invited=len(drill["invited"]), checked_in=drill["checked_in"])
    data = DrillReportData(site, "附录 A：南区 S3–S5 模拟泄漏", "南区", [(n, a, b) for n, a, b in steps if b is not None],
                           score.as_radar(), f"{'、'.join(res.interval_pipes)}（{res.interval_length_m:.0f} m）",
                           len(notice.delivered_to), acks, len(drill["invited"]), drill["checked_in"])
    return build_drill_report(data, out / "演练报告.pdf")


def _store_evidence(store, out: Path, ticket: str, img, kind: str, value, unit: str, conf, source: str,  # noqa: ANN001
                    actor: str, caption: str, label: str) -> tuple[EvidencePhoto, int]:
    """Store a reading of ``ticket`` with its privacy-masked photo (as the meter panel does); the report embeds
    the stored file."""
    import cv2

    from anran_desktop.services.meter_readings import MeterReadingService
    from vision.privacy import mask_people

    masked, _n = mask_people(img)
    png = cv2.imencode(".png", masked)[1].tobytes()
    r = MeterReadingService(store, out / "evidence").record(
        target_kind="ticket", target_id=ticket, kind=kind, value=value, unit=unit, source=source, actor=actor,
        confidence=None if conf is None else min(1.0, max(0.0, float(conf))), evidence_png=png,
        detail={"label": label, "masked_regions": _n})
    assert r.evidence is not None
    return EvidencePhoto(r.evidence, caption), r.id


def _gauge_photo(value_mpa: float, seed: int):  # noqa: ANN202
    """A synthetic photo of a 0–0.4 MPa gauge showing ``value_mpa`` (the vision package's generator): the photo,
    its truth and the seed used (the first seed from ``seed`` that draws the 0–0.4 MPa dial)."""
    from vision.synth.gauge import RANGES, draw_gauge
    from vision.synth.photo import degrade

    lo, hi = RANGES[0][0], RANGES[0][1]
    if not lo <= value_mpa <= hi:
        raise ValueError(f"gauge value {value_mpa} MPa outside the 0–0.4 MPa dial")
    for s in range(seed, seed + 1000):  # a seed whose dial is the 0–0.4 MPa one
        if int(np.random.default_rng(s).integers(len(RANGES))) == 0:
            rng = np.random.default_rng(s)
            card, truth = draw_gauge(rng, value_frac=(value_mpa - lo) / (hi - lo))
            photo, _ = degrade(card, rng, "clear")
            return photo, truth, s
    raise ValueError("no 0–0.4 MPa dial among the synthetic gauge seeds")


def _short(action: str) -> str:
    """The action without its parenthesised/colon detail (the detail column carries the figures)."""
    return action.split("（")[0].split("：")[0]


def _detail(e: dict) -> str:
    parts = []
    if e.get("interval_length_m") is not None:
        parts.append(f"区间 {'、'.join(e['interval_pipes'])}，{e['interval_length_m']:.0f} m，置信度 {quoted(e['confidence'], 3):.1%}")
    if e.get("dispatched_interval_confidence") is not None:
        parts.append(f"派单区间置信度升至 {quoted(e['dispatched_interval_confidence'], 3):.1%}")
    if e.get("notified"):
        parts.append(f"送达 {len(e['notified'])} 位南区居民")
    if e.get("meter_value") is not None:
        parts.append(f"燃气表读数 {e['meter_value']}")
    if e.get("retest_kpa") is not None:
        parts.append(f"复测 {e['retest_kpa']:.1f} kPa")
    return "；".join(parts)


def _iso(t: float) -> str:
    import datetime as dt

    return dt.datetime.fromtimestamp(t, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

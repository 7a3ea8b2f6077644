"""Wire models of crew tickets through the relay (pydantic v2), shared by the relay and both desktops.

The dispatch desktop publishes :class:`CrewTicket` s (site token); the crew member they are assigned to
reads them and posts :class:`ProgressIn` records (client-made ``progress_id``: retries are safe); the dispatch
desktop pulls the records, applies or refuses each with its own workflow guards and reports
:class:`ProgressResult` s, which the crew laptop reads back.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

TICKET_STATUSES = ("alarm", "dispatched", "onsite", "handling", "retest", "closed")
PROGRESS_KINDS = ("accept", "move", "check", "note", "reading", "photo", "valve_test")
READING_KINDS = ("gauge_reading", "retest_reading", "meter_reading")
PHOTO_KINDS = ("photo_before", "photo_after")


class ChecklistItem(BaseModel):
    id: str = Field(min_length=1, max_length=64)
    label: str = Field(default="", max_length=200)
    stage: str = Field(default="", max_length=20)
    done: bool = False
    by: str = Field(default="", max_length=64)  # who last ticked or unticked it


class CrewTicket(BaseModel):
    """A ticket as the dispatch desktop publishes it; ``version`` only grows (stale pushes are ignored)."""

    id: str = Field(min_length=1, max_length=64)
    site: str = Field(default="", max_length=120)
    title: str = Field(min_length=1, max_length=300)
    kind: str = Field(min_length=1, max_length=40)
    area: str = Field(default="", max_length=64)
    assignee: str = Field(min_length=1, max_length=64)
    status: Literal["alarm", "dispatched", "onsite", "handling", "retest", "closed"]
    version: int = Field(ge=1)
    priority: int = 2
    is_drill: bool = False
    interval: dict[str, Any] = Field(default_factory=dict)  # {pipes, length_m, confidence}
    location: dict[str, Any] = Field(default_factory=dict)
    checklist: list[ChecklistItem] = Field(default_factory=list, max_length=200)
    notes: str = Field(default="", max_length=4000)
    updated_at: str = ""
    # The parts of a suspected-leak title (areas, places, calibration state, figures), so a crew laptop in
    # another language can word ``title``, which stays the record; {} for other tickets and older desktops.
    title_parts: dict[str, Any] = Field(default_factory=dict)


class TicketBatch(BaseModel):
    tickets: list[CrewTicket] = Field(max_length=500)
    withdraw: list[str] = Field(default_factory=list, max_length=500)  # ids no longer assigned to anyone


class TicketBatchResult(BaseModel):
    stored: list[str] = []
    stale: list[str] = []  # the relay already holds this version or a newer one
    rejected: dict[str, str] = {}
    withdrawn: list[str] = []  # rejected tickets the relay held for another crew member: dropped


class ProgressIn(BaseModel):
    """One step a crew member took (offline first), as posted to the relay.

    ``payload`` by kind: accept ``{}``; move ``{to, note?}``; check ``{item, done}``; note ``{note}``;
    reading ``{evidence: gauge_reading|retest_reading|meter_reading, value, unit?, node_id?, note?}``;
    photo ``{evidence: photo_before|photo_after, note?}`` with the image as multipart field ``photo``;
    valve_test ``{valves: [valve ids], restored: bool, note?}`` (a valve-closure test; the desktop re-runs the
    engine with it).
    """

    progress_id: str = Field(min_length=8, max_length=64)
    ticket_id: str = Field(min_length=1, max_length=64)
    kind: Literal["accept", "move", "check", "note", "reading", "photo", "valve_test"]
    payload: dict[str, Any] = Field(default_factory=dict)
    created_at: str = Field(min_length=10, max_length=40)


class ReasonCode(BaseModel):
    """A refusal reason as a stable code with its parameters, so the crew laptop can word it in its own
    language (``reason`` beside it is the dispatch desktop's Chinese text)."""

    code: str = Field(min_length=1, max_length=40)
    params: dict[str, str | int | float | bool | list[str]] = Field(default_factory=dict)


class ProgressRecord(ProgressIn):
    """A stored record: who posted it, its relay ``seq`` (the desktop's cursor) and its state."""

    seq: int
    username: str
    state: Literal["pending", "applied", "refused"] = "pending"
    reason: str | None = None
    reason_codes: list[ReasonCode] = Field(default_factory=list)


class ProgressBatch(BaseModel):
    """Many records in one request (``POST /crew/progress/batch``; photos go one by one with their image)."""

    records: list[ProgressIn] = Field(min_length=1, max_length=200)


class BatchOutcome(BaseModel):
    """What became of one record of a batch: ``stored``, ``duplicate`` (stored earlier by me) or ``refused``
    (``status``/``code``/``message`` as the single-record route would have answered)."""

    progress_id: str
    result: Literal["stored", "duplicate", "refused"]
    record: ProgressRecord | None = None
    status: int = 200
    code: str = ""
    message: str = ""


class BatchResult(BaseModel):
    items: list[BatchOutcome]


class ProgressPage(BaseModel):
    items: list[ProgressRecord]
    cursor: int
    more: bool


class ProgressResult(BaseModel):
    progress_id: str = Field(min_length=8, max_length=64)
    state: Literal["applied", "refused"]
    reason: str | None = Field(default=None, max_length=2000)
    reason_codes: list[ReasonCode] = Field(default_factory=list, max_length=20)


class ProgressResults(BaseModel):
    results: list[ProgressResult] = Field(max_length=500)


def check_payload(kind: str, p: dict[str, Any]) -> str | None:
    """What is wrong with a progress payload (relay-side shape check only), or None."""
    if kind == "move":
        if p.get("to") not in TICKET_STATUSES:
            return f"move: payload.to must be one of {', '.join(TICKET_STATUSES)}"
    elif kind == "check":
        if not isinstance(p.get("item"), str) or not p["item"] or not isinstance(p.get("done"), bool):
            return "check: payload needs item (text) and done (true/false)"
    elif kind == "note":
        if not isinstance(p.get("note"), str) or not p["note"].strip():
            return "note: payload.note must be non-empty text"
    elif kind == "reading":
        if p.get("evidence") not in READING_KINDS:
            return f"reading: payload.evidence must be one of {', '.join(READING_KINDS)}"
        if not isinstance(p.get("value"), int | float) or isinstance(p.get("value"), bool):
            return "reading: payload.value must be a number"
    elif kind == "photo" and p.get("evidence") not in PHOTO_KINDS:
        return f"photo: payload.evidence must be one of {', '.join(PHOTO_KINDS)}"
    elif kind == "valve_test":
        valves = p.get("valves")
        if not isinstance(valves, list) or not 1 <= len(valves) <= 50 \
                or not all(isinstance(v, str) and v.strip() for v in valves):
            return "valve_test: payload.valves must be a list of 1–50 valve ids (text)"
        if not isinstance(p.get("restored"), bool):
            return "valve_test: payload.restored must be true or false"
    return None

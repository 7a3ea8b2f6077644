"""Crew tickets on the relay: the dispatch desktop publishes tickets, their crew member reads them and
reports progress, the desktop applies or refuses each record and the crew reads the outcome back.

The relay checks only scope and shape: a crew account sees the tickets assigned to it (any other id is
404) and may post records for them; whether a step is allowed is decided by the dispatch desktop with its
workflow guards, and its refusal reason is stored here for the crew to read.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field, ValidationError
from sqlalchemy import Engine, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from starlette.concurrency import run_in_threadpool

from sync.crew_protocol import (
    BatchOutcome,
    BatchResult,
    ProgressBatch,
    ProgressIn,
    ProgressPage,
    ProgressRecord,
    ProgressResults,
    TicketBatch,
    TicketBatchResult,
    check_payload,
)
from sync.protocol import utc_now as _now
from sync.relay import tables as T
from sync.relay.images import ImageRejected, decode_upload
from sync.relay.photos import mask_photo, store_photos
from sync.relay.transactions import dialect_insert


class StateQuery(BaseModel):
    ids: list[str] = Field(max_length=500)


def _record(r: Any) -> ProgressRecord:  # noqa: ANN401 - a row mapping
    return ProgressRecord(seq=r["seq"], progress_id=r["progress_id"], ticket_id=r["ticket_id"], kind=r["kind"],
                          payload=json.loads(r["payload"]), created_at=r["created_at"], username=r["username"],
                          state=r["state"], reason=r["reason"], reason_codes=json.loads(r["reason_codes"] or "[]"))


def ticket_router(engine: Engine, account: Any, site: Any, error: type) -> APIRouter:  # noqa: ANN401
    """The ``/sync/tickets``, ``/sync/progress*`` (site token) and ``/crew/*`` (crew account) routes."""
    router = APIRouter()
    ct, cp = T.crew_tickets, T.crew_progress

    def crew(acct: dict = Depends(account)) -> dict:  # noqa: B008
        if acct["role"] != "crew" or acct["site_id"] is None:
            raise error(403, "forbidden", "crew account required")
        return acct

    def crew_usernames(c: Any, site_id: int) -> set[str]:  # noqa: ANN401
        rows = c.execute(select(T.accounts.c.username).join(T.staff, T.staff.c.account_id == T.accounts.c.id)
                         .where(T.staff.c.site_id == site_id, T.accounts.c.role == "crew")).scalars()
        return set(rows)

    def store_if_newer(c: Any, site_id: int, ticket_id: str, values: dict) -> bool:  # noqa: ANN401
        """Store a published version unless the relay holds it or a newer one. Conditional statements, not
        read-then-write, so rounds that overlap (a retry while the first request still runs) never put an
        older version over a newer one nor collide inserting the same new ticket."""
        newer = (ct.c.site_id == site_id, ct.c.id == ticket_id, ct.c.version < values["version"])
        if c.execute(update(ct).where(*newer).values(**values)).rowcount:
            return True
        ins = dialect_insert(c.dialect.name)(ct).values(site_id=site_id, id=ticket_id, **values)
        # RETURNING, not rowcount: psycopg reports no row count for INSERT … ON CONFLICT
        if c.execute(ins.on_conflict_do_nothing(index_elements=["site_id", "id"]).returning(ct.c.id)).first():
            return True
        # another request inserted it meanwhile: ours may still be the newer
        return bool(c.execute(update(ct).where(*newer).values(**values)).rowcount)

    @router.post("/sync/tickets", response_model=TicketBatchResult)
    def publish(batch: TicketBatch, site_id: int = Depends(site)) -> TicketBatchResult:  # noqa: B008
        res = TicketBatchResult()
        with engine.begin() as c:
            crew_names = crew_usernames(c, site_id)
            for t in batch.tickets:
                if t.assignee not in crew_names:
                    res.rejected[t.id] = f"assignee {t.assignee!r} has no crew account on this site"
                    # reassigned to someone without a relay account: the previous crew member loses it
                    if c.execute(ct.delete().where(ct.c.site_id == site_id, ct.c.id == t.id)).rowcount:
                        res.withdrawn.append(t.id)
                    continue
                values = {"assignee": t.assignee, "area": t.area, "status": t.status, "version": t.version,
                          "body": t.model_dump_json(), "updated_at": _now()}
                if store_if_newer(c, site_id, t.id, values):
                    res.stored.append(t.id)
                else:
                    res.stale.append(t.id)
            for tid in batch.withdraw:  # unassigned on the desktop: nobody may read or post for it any more
                if c.execute(ct.delete().where(ct.c.site_id == site_id, ct.c.id == tid)).rowcount:
                    res.withdrawn.append(tid)
        return res

    @router.get("/sync/progress", response_model=ProgressPage)
    def pull_progress(site_id: int = Depends(site), after: int = 0, limit: int = 100) -> ProgressPage:  # noqa: B008
        limit = max(1, min(limit, 500))
        with engine.connect() as c:
            rows = c.execute(select(cp).where(cp.c.site_id == site_id, cp.c.seq > after).order_by(cp.c.seq)
                             .limit(limit + 1)).mappings().all()
        items = [_record(r) for r in rows[:limit]]
        return ProgressPage(items=items, cursor=items[-1].seq if items else after, more=len(rows) > limit)

    @router.post("/sync/progress/results")
    def results(body: ProgressResults, site_id: int = Depends(site)) -> dict:  # noqa: B008
        updated, unknown = 0, []
        with engine.begin() as c:
            for r in body.results:
                codes = json.dumps([x.model_dump() for x in r.reason_codes], ensure_ascii=False) \
                    if r.reason_codes else None
                n = c.execute(update(cp).where(cp.c.progress_id == r.progress_id, cp.c.site_id == site_id)
                              .values(state=r.state, reason=r.reason, reason_codes=codes,
                                      resolved_at=_now())).rowcount
                updated += n
                if not n:
                    unknown.append(r.progress_id)
        return {"updated": updated, "unknown": unknown}

    def assigned(c: Any, acct: dict, ticket_id: str) -> Any:  # noqa: ANN401
        row = c.execute(select(ct).where(ct.c.site_id == acct["site_id"], ct.c.id == ticket_id,
                                         ct.c.assignee == acct["username"])).mappings().first()
        if row is None:
            raise error(404, "not_found", f"ticket {ticket_id} not found")
        return row

    @router.get("/crew/tickets")
    def my_tickets(acct: dict = Depends(crew)) -> dict:  # noqa: B008
        with engine.connect() as c:
            rows = c.execute(select(ct.c.body).where(ct.c.site_id == acct["site_id"],
                                                     ct.c.assignee == acct["username"]).order_by(ct.c.id)).scalars()
            return {"items": [json.loads(b) for b in rows]}

    @router.get("/crew/tickets/{ticket_id}")
    def my_ticket(ticket_id: str, acct: dict = Depends(crew)) -> dict:  # noqa: B008
        with engine.connect() as c:
            return json.loads(assigned(c, acct, ticket_id)["body"])

    def existing(c: Any, acct: dict, progress_id: str) -> dict | None:  # noqa: ANN401
        r = c.execute(select(cp).where(cp.c.progress_id == progress_id)).mappings().first()
        if r is None:
            return None
        if r["account_id"] != acct["id"]:
            raise error(409, "progress_id_taken", f"progress id {progress_id} was used by another account")
        return {**_record(r).model_dump(), "duplicate": True}

    def store(acct: dict, rec: ProgressIn, photo: Any = None) -> dict:  # noqa: ANN401
        why = check_payload(rec.kind, rec.payload)
        if why:
            raise error(422, "invalid_request", why)
        try:
            with engine.begin() as c:
                if engine.dialect.name == "postgresql":  # seq visible in commit order (the desktop's cursor)
                    c.exec_driver_sql("SELECT pg_advisory_xact_lock(58701)")
                dup = existing(c, acct, rec.progress_id)
                if dup is not None:
                    return dup
                tk = assigned(c, acct, rec.ticket_id)
                payload = dict(rec.payload)
                if photo is not None:
                    payload["photos"] = store_photos(c, [photo], event_id=rec.progress_id, site_id=acct["site_id"],
                                                     household_id="", area=tk["area"], created_at=_now())
                seq = c.execute(insert(cp).values(
                    progress_id=rec.progress_id, site_id=acct["site_id"], ticket_id=rec.ticket_id,
                    account_id=acct["id"], username=acct["username"], kind=rec.kind,
                    payload=json.dumps(payload, ensure_ascii=False), created_at=rec.created_at,
                    received_at=_now(), state="pending")).inserted_primary_key[0]
        except IntegrityError:  # the same id posted twice at once: the other request stored it
            with engine.connect() as c:
                dup = existing(c, acct, rec.progress_id)
            if dup is None:
                raise
            return dup
        return {**rec.model_dump(), "payload": payload, "seq": seq, "username": acct["username"],
                "state": "pending", "reason": None, "reason_codes": [], "duplicate": False}

    @router.post("/crew/progress")
    def post_progress(rec: ProgressIn, acct: dict = Depends(crew)) -> dict:  # noqa: B008
        if rec.kind == "photo":
            raise error(422, "invalid_request", "a photo record goes to /crew/progress/photo with the image")
        return store(acct, rec)

    @router.post("/crew/progress/batch", response_model=BatchResult)
    def post_batch(body: ProgressBatch, acct: dict = Depends(crew)) -> BatchResult:  # noqa: B008
        """Many records in one request (one hit of the rate limit), each stored as ``/crew/progress`` would
        store it, in order; a refused one does not stop the others."""
        out = []
        for rec in body.records:
            try:
                if rec.kind == "photo":
                    raise error(422, "invalid_request", "a photo record goes to /crew/progress/photo with the image")
                got = store(acct, rec)
            except error as exc:
                out.append(BatchOutcome(progress_id=rec.progress_id, result="refused", status=exc.status,
                                        code=exc.code, message=exc.message))
                continue
            out.append(BatchOutcome(progress_id=rec.progress_id, result="duplicate" if got["duplicate"] else "stored",
                                    record=ProgressRecord.model_validate(got)))
        return BatchResult(items=out)

    @router.post("/crew/progress/photo")
    async def post_photo(request: Request, acct: dict = Depends(crew)) -> dict:  # noqa: B008
        form = await request.form(max_files=1, max_fields=10)
        up = form.get("photo")
        if up is None or isinstance(up, str):
            raise error(422, "invalid_request", "multipart field 'photo' with an image is required")
        try:
            rec = ProgressIn.model_validate_json(str(form.get("record") or ""))
        except ValidationError as exc:
            raise error(422, "invalid_request", f"field 'record': {exc.errors()[0]['msg']}") from None
        if rec.kind != "photo":
            raise error(422, "invalid_request", "field 'record': kind must be 'photo'")
        with engine.connect() as c:  # a retried upload is answered before any image work
            dup = existing(c, acct, rec.progress_id)
            if dup is None:
                assigned(c, acct, rec.ticket_id)
        if dup is not None:
            return dup
        try:
            img = decode_upload(await up.read())
        except ImageRejected as exc:
            raise error(exc.status, exc.code, f"photo: {exc}") from None
        masked = await run_in_threadpool(mask_photo, "photo", img)  # faces/people covered, EXIF dropped
        return await run_in_threadpool(store, acct, rec, masked)

    @router.post("/crew/progress/states")
    def states(body: StateQuery, acct: dict = Depends(crew)) -> dict:  # noqa: B008
        with engine.connect() as c:
            rows = c.execute(select(cp).where(cp.c.account_id == acct["id"], cp.c.progress_id.in_(body.ids))
                             .order_by(cp.c.seq)).mappings().all()
            total = c.execute(select(func.count()).select_from(cp).where(cp.c.account_id == acct["id"])).scalar()
        return {"items": [_record(r).model_dump() for r in rows], "total": total}

    return router


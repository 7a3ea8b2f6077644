"""The relay application: desktop sync endpoints and the residents' API (附录 C2)."""

import json
import math
import secrets
import threading
import time
from collections import defaultdict, deque
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field, field_validator
from sqlalchemy import create_engine, event, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from sync.protocol import DESKTOP_KINDS, PullItem, PullPage, PushBatch, PushResult, new_event_id
from sync.protocol import utc_now as _now
from sync.relay import tables as T
from sync.relay.images import ImageRejected, decode_upload
from sync.relay.participation import backfill_registrations, odor_report_points, record_registration
from sync.relay.photos import MaskedPhoto, mask_photo, store_photos
from sync.relay.resident_home import CLOSED, check_username
from sync.relay.security import (
    ROLES,
    hash_password,
    issue_token,
    read_token,
    token_digest,
    verify_password,
)
from sync.relay.transactions import RelayEngine, sqlite_transactions

MAX_BODY = 8 * 1024 * 1024
PUSH_COMMIT_EVERY = 50
AREA_KINDS = {"notification", "alarm.status", "drill.invitation"}
ORDER_FLOW = ["submitted", "accepted", "scheduled", "in_progress", "done", "closed"]


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.headers = headers or {}


def _err(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status, headers=headers)


class BodyLimit:
    """ASGI middleware: refuse bodies over the cap before any parsing (Content-Length and streamed)."""

    def __init__(self, app, cap: int = MAX_BODY) -> None:  # noqa: ANN001
        self.app, self.cap = app, cap

    async def __call__(self, scope, receive, send):  # noqa: ANN001
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = dict(scope.get("headers") or [])
        try:
            declared = int(headers.get(b"content-length", b"0"))
        except ValueError:
            declared = 0
        if declared > self.cap:
            resp = _err(413, "payload_too_large", f"request body of {declared} bytes exceeds {self.cap} bytes")
            return await resp(scope, receive, send)
        seen = 0

        async def limited():
            nonlocal seen
            msg = await receive()
            if msg["type"] == "http.request":
                seen += len(msg.get("body", b""))
                if seen > self.cap:
                    raise ApiError(413, "payload_too_large", f"request body exceeds {self.cap} bytes")
            return msg

        try:
            await self.app(scope, limited, send)
        except ApiError as exc:
            await _err(exc.status, exc.code, exc.message, exc.headers)(scope, receive, send)


class RateLimiter:
    """Sliding one-minute window per key."""

    def __init__(self, per_minute: int) -> None:
        self.per_minute = per_minute
        self._hits: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def hit(self, key: str) -> None:
        now = time.monotonic()
        with self._lock:
            q = self._hits[key]
            while q and now - q[0] > 60:
                q.popleft()
            if len(q) >= self.per_minute:
                # When the oldest request of the window leaves it, one more is allowed (RFC 9110 Retry-After).
                wait = max(1, math.ceil(60 - (now - q[0])))
                raise ApiError(429, "rate_limited", f"more than {self.per_minute} requests a minute; retry in {wait} s",
                               {"Retry-After": str(wait)})
            q.append(now)


# ---- request bodies ---------------------------------------------------------------------------
class RegisterBody(BaseModel):
    household_code: str = Field(min_length=6, max_length=64)
    username: str = Field(min_length=3, max_length=64)
    password: str = Field(min_length=8, max_length=200)

    _username = field_validator("username")(check_username)


class LoginBody(BaseModel):
    username: str
    password: str


class AckBody(BaseModel):
    notification_id: int


class HelpBody(BaseModel):
    message: str = Field(min_length=1, max_length=2000)
    location: str | None = Field(default=None, max_length=300)


class OrderBody(BaseModel):
    service: str = Field(min_length=1, max_length=60)
    detail: str = Field(default="", max_length=2000)
    preferred_time: str | None = None


class CheckupBody(BaseModel):
    hose_age_years: float = Field(ge=0, le=100)
    flame_failure_protection: bool
    valves_ok: bool
    alarm_self_test_ok: bool
    ventilation_ok: bool = True
    smell_present: bool = False


def score_checkup(b: CheckupBody) -> tuple[int, list[str]]:
    """Household safety score 0-100 and the fixes that would raise it."""
    score, fixes = 100, []
    if b.hose_age_years >= 2:
        score -= 25
        fixes.append("更换使用超过2年的燃气软管 / replace the hose (older than 2 years)")
    if not b.flame_failure_protection:
        score -= 25
        fixes.append("更换带熄火保护的灶具 / fit a cooker with flame-failure protection")
    if not b.valves_ok:
        score -= 15
        fixes.append("维修或更换表前阀、灶前阀 / repair the valves")
    if not b.alarm_self_test_ok:
        score -= 15
        fixes.append("燃气报警器自检失败，请更换 / replace the gas alarm")
    if not b.ventilation_ok:
        score -= 10
        fixes.append("保持厨房通风 / keep the kitchen ventilated")
    if b.smell_present:
        score -= 10
        fixes.append("有异味：立即开窗、勿动电器、撤离后报警 / gas smell: ventilate, no switches, leave, call")
    return max(score, 0), fixes


def normalize_db_url(url: str) -> str:
    """``postgresql://`` / ``postgres://`` URLs use the bundled psycopg (v3) driver."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def create_app(db_url: str = "sqlite:///relay.db", *, site_tokens: list[str] | tuple[str, ...] = (),
               token_ttl_s: int = 3600, rate_per_minute: int = 120) -> FastAPI:
    """Build the relay app over ``db_url``; ``site_tokens`` are registered (hashed) at start."""
    db_url = normalize_db_url(db_url)
    connect_args = {"check_same_thread": False, "timeout": 30} if db_url.startswith("sqlite") else {}
    engine = create_engine(db_url, connect_args=connect_args)
    if db_url.startswith("sqlite"):
        sqlite_transactions(engine)  # a write transaction takes the write lock when it starts

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn, _record) -> None:  # noqa: ANN001
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()
    from sync.relay.migrate import upgrade

    upgrade(engine)
    engine = RelayEngine(engine)  # type: ignore[assignment]  # begin() = a write transaction
    with engine.begin() as c:
        secret = c.execute(select(T.meta.c.value).where(T.meta.c.key == "jwt_secret")).scalar()
        if secret is None:
            secret = secrets.token_urlsafe(32)
            c.execute(insert(T.meta).values(key="jwt_secret", value=secret))
        for tok in site_tokens:
            d = token_digest(tok)
            if c.execute(select(T.sites.c.id).where(T.sites.c.token_hash == d)).first() is None:
                c.execute(insert(T.sites).values(token_hash=d, name=""))
        backfill_registrations(c, _now())  # households registered before registration items existed
    limiter = RateLimiter(rate_per_minute)

    app = FastAPI(title="AnRan relay", version="1")
    app.state.engine = engine

    @app.exception_handler(ApiError)
    async def _api_error(_r: Request, exc: ApiError) -> JSONResponse:
        return _err(exc.status, exc.code, exc.message, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(_r: Request, exc: RequestValidationError) -> JSONResponse:
        parts = []
        for e in exc.errors()[:5]:
            parts.append(".".join(str(x) for x in e.get("loc", ())) + ": " + str(e.get("msg", "")))
        return _err(422, "invalid_request", "; ".join(parts) or "malformed request")

    @app.exception_handler(StarletteHTTPException)
    async def _http(_r: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {400: "bad_request", 404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        return _err(exc.status_code, code, str(exc.detail))

    @app.exception_handler(Exception)
    async def _crash(_r: Request, exc: Exception) -> JSONResponse:
        return _err(500, "internal_error", "the relay could not complete the request")

    app.add_middleware(BodyLimit)

    # ---- auth dependencies ---------------------------------------------------------------------
    def site(request: Request) -> int:
        auth = request.headers.get("authorization", "")
        if not auth.startswith("Bearer "):
            raise ApiError(401, "unauthenticated", "site token required (Authorization: Bearer …)")
        with engine.connect() as c:
            sid = c.execute(select(T.sites.c.id).where(T.sites.c.token_hash == token_digest(auth[7:]))).scalar()
        if sid is None:
            raise ApiError(401, "unauthenticated", "unknown site token")
        return sid

    def account(request: Request) -> dict[str, Any]:
        auth = request.headers.get("authorization", "")
        claims = read_token(secret, auth[7:]) if auth.startswith("Bearer ") else None
        if claims is None:
            raise ApiError(401, "unauthenticated", "a valid, unexpired bearer token is required")
        with engine.connect() as c:
            site_of = func.coalesce(T.households.c.site_id, T.staff.c.site_id).label("site_id")
            row = c.execute(select(T.accounts, site_of)
                            .join(T.households, T.households.c.id == T.accounts.c.household_id, isouter=True)
                            .join(T.staff, T.staff.c.account_id == T.accounts.c.id, isouter=True)
                            .where(T.accounts.c.id == int(claims["sub"]))).mappings().first()
        if row is None or row["role"] == CLOSED:
            raise ApiError(401, "unauthenticated", "account no longer exists")
        limiter.hit(f"acct:{row['id']}")
        return dict(row)

    Account = Annotated[dict, Depends(account)]

    def resident(acct: Account) -> dict:
        if acct["role"] != "resident" or not acct["household_id"]:
            raise ApiError(403, "forbidden", "resident account required")
        return acct

    Resident = Annotated[dict, Depends(resident)]
    Site = Annotated[int, Depends(site)]

    # ---- desktop sync --------------------------------------------------------------------------
    @app.post("/sync/push", response_model=PushResult)
    def sync_push(batch: PushBatch, site_id: Site) -> PushResult:
        res = PushResult()
        for start in range(0, len(batch.items), PUSH_COMMIT_EVERY):
            with engine.begin() as c:  # one commit per chunk; a savepoint per item keeps items independent
                for item in batch.items[start:start + PUSH_COMMIT_EVERY]:
                    if item.kind not in DESKTOP_KINDS:
                        res.rejected[item.event_id] = f"unknown kind {item.kind!r}"
                        continue
                    sp = c.begin_nested()
                    try:
                        c.execute(insert(T.pushed).values(event_id=item.event_id, site_id=site_id, kind=item.kind,
                                                          payload=json.dumps(item.payload, ensure_ascii=False),
                                                          received_at=_now()))
                        _apply(c, site_id, item.event_id, item.kind, item.payload, item.created_at)
                        sp.commit()
                        res.accepted.append(item.event_id)
                    except IntegrityError:
                        sp.rollback()
                        res.duplicate.append(item.event_id)
                    except ApiError as exc:
                        sp.rollback()
                        res.rejected[item.event_id] = exc.message
        return res

    @app.get("/sync/pull", response_model=PullPage)
    def sync_pull(site_id: Site, after: int = 0, limit: int = 100) -> PullPage:
        limit = max(1, min(limit, 500))
        with engine.connect() as c:
            rows = c.execute(select(T.resident_items).where(T.resident_items.c.site_id == site_id,
                                                            T.resident_items.c.seq > after)
                             .order_by(T.resident_items.c.seq).limit(limit + 1)).mappings().all()
        items = [PullItem(seq=r["seq"], event_id=r["event_id"], kind=r["kind"], household_id=r["household_id"],
                          area=r["area"], payload=json.loads(r["payload"]), created_at=r["created_at"])
                 for r in rows[:limit]]
        return PullPage(items=items, cursor=items[-1].seq if items else after, more=len(rows) > limit)

    @app.get("/sync/photos/{photo_id}")
    def sync_photo(photo_id: int, site_id: Site) -> Response:
        """A stored (masked) photo of a resident item of the caller's site, as JPEG."""
        with engine.connect() as c:
            data = c.execute(select(T.photos.c.data).where(T.photos.c.id == photo_id,
                                                          T.photos.c.site_id == site_id)).scalar()
        if data is None:
            raise ApiError(404, "not_found", f"photo {photo_id} not found")
        return Response(bytes(data), media_type="image/jpeg")

    def _apply(c, site_id: int, event_id: str, kind: str, p: dict, created_at: str) -> None:  # noqa: ANN001
        if kind in AREA_KINDS:
            area = p.get("area")
            if not isinstance(area, str) or not area:
                raise ApiError(422, "invalid_item", f"{kind}: payload.area is required")
            c.execute(insert(T.notifications).values(
                event_id=event_id, site_id=site_id, area=area, kind=kind,
                title=str(p.get("title", "")), body=str(p.get("body", "")), created_at=created_at))
        elif kind == "household.code":
            hid, area, code = p.get("household_id"), p.get("area"), p.get("code")
            if not (isinstance(hid, str) and isinstance(area, str) and isinstance(code, str) and len(code) >= 6):
                raise ApiError(422, "invalid_item", "household.code needs household_id, area and a code of 6+ chars")
            existing = c.execute(select(T.households).where(T.households.c.id == hid)).mappings().first()
            if existing is None:
                c.execute(insert(T.households).values(id=hid, site_id=site_id, area=area,
                                                      code_hash=token_digest(code), code_used=False))
            elif existing["site_id"] != site_id:
                raise ApiError(422, "invalid_item", f"household {hid} belongs to another site")
            else:
                c.execute(update(T.households).where(T.households.c.id == hid)
                          .values(area=area, code_hash=token_digest(code), code_used=False))
        elif kind in ("order.status", "ticket.progress"):
            oid = p.get("order_id") if kind == "order.status" else p.get("resident_item")
            status = p.get("status")
            if oid is None:
                return  # ticket progress with no resident counterpart: kept in pushed_events only
            row = c.execute(select(T.resident_items).where(T.resident_items.c.seq == int(oid),
                                                           T.resident_items.c.site_id == site_id)).mappings().first()
            if row is None:
                raise ApiError(422, "invalid_item", f"{kind}: no resident item {oid} for this site")
            old = row["status"]
            if status in ORDER_FLOW and (old not in ORDER_FLOW or ORDER_FLOW.index(status) > ORDER_FLOW.index(old)):
                c.execute(update(T.resident_items).where(T.resident_items.c.seq == row["seq"]).values(status=status))
        elif kind == "tombstone" and p.get("target_kind") == "notification":
            c.execute(update(T.notifications).where(T.notifications.c.event_id == str(p.get("target_id")),
                                                    T.notifications.c.site_id == site_id)
                      .values(withdrawn=True))

    @app.post("/admin/households")
    def admin_household(body: dict, site_id: Site) -> dict:
        code = body.get("code") or secrets.token_urlsafe(9)
        with engine.begin() as c:
            _apply(c, site_id, "", "household.code", {**body, "code": code}, _now())
        return {"household_id": body.get("household_id"), "code": code}

    # ---- accounts ------------------------------------------------------------------------------
    @app.post("/c/register", status_code=201)
    def register(body: RegisterBody) -> dict:
        limiter.hit("register")
        pw_hash = hash_password(body.password)  # slow on purpose: not while holding the write lock
        with engine.begin() as c:
            hh = c.execute(select(T.households).where(T.households.c.code_hash == token_digest(body.household_code),
                                                      T.households.c.code_used.is_(False))).mappings().first()
            if hh is None:
                raise ApiError(403, "bad_household_code", "household code unknown or already used")
            if c.execute(select(T.accounts.c.id).where(T.accounts.c.username == body.username)).first():
                raise ApiError(409, "username_taken", f"username {body.username!r} is taken")
            # consumed by one statement: of registrations arriving together only one finds the code unused
            if not c.execute(update(T.households).where(T.households.c.id == hh["id"],
                                                         T.households.c.code_used.is_(False))
                             .values(code_used=True)).rowcount:
                raise ApiError(403, "bad_household_code", "household code unknown or already used")
            aid = c.execute(insert(T.accounts).values(username=body.username, password_hash=pw_hash,
                                                      role="resident", household_id=hh["id"], area=hh["area"])
                            ).inserted_primary_key[0]
            record_registration(c, hh, aid, _now())  # pulled by the desktop: households registered per area
        return {"account_id": aid, "household_id": hh["id"], "area": hh["area"]}

    @app.post("/c/login")
    def login(body: LoginBody) -> dict:
        limiter.hit(f"login:{body.username}")
        with engine.connect() as c:
            row = c.execute(select(T.accounts).where(T.accounts.c.username == body.username)).mappings().first()
        if row is None or not verify_password(body.password, row["password_hash"]):
            raise ApiError(401, "bad_credentials", "wrong username or password")
        assert row["role"] in ROLES
        tok, exp = issue_token(secret, row["id"], row["role"], token_ttl_s)
        return {"access_token": tok, "token_type": "bearer", "expires_at": exp, "role": row["role"]}

    # ---- residents -----------------------------------------------------------------------------
    def _resident_item(acct: dict, kind: str, payload: dict, photos: list[MaskedPhoto] | None = None) -> dict:
        """Store one resident item (and its photos, refs in ``payload["photos"]``) in one transaction."""
        eid, now = new_event_id(), _now()
        with engine.begin() as c:
            if engine.dialect.name == "postgresql":
                # seq must become visible in commit order, or a pull could pass a seq still uncommitted
                c.exec_driver_sql("SELECT pg_advisory_xact_lock(58700)")
            if photos is not None:
                payload = {**payload, "photos": store_photos(
                    c, photos, event_id=eid, site_id=acct["site_id"], household_id=acct["household_id"],
                    area=acct["area"], created_at=now)}
            seq = c.execute(insert(T.resident_items).values(
                event_id=eid, site_id=acct["site_id"], kind=kind, household_id=acct["household_id"],
                account_id=acct["id"], area=acct["area"], payload=json.dumps(payload, ensure_ascii=False),
                status="submitted", created_at=now)).inserted_primary_key[0]
        return {"id": seq, "event_id": eid, "kind": kind, "status": "submitted"}

    def _page(limit: int, offset: int) -> tuple[int, int]:
        if limit < 1 or limit > 100 or offset < 0:
            raise ApiError(422, "invalid_request", "limit must be 1..100 and offset ≥ 0")
        return limit, offset

    @app.get("/c/notifications")
    def notifications(acct: Resident, limit: int = 20, offset: int = 0) -> dict:
        limit, offset = _page(limit, offset)
        q = select(T.notifications).where(T.notifications.c.area == acct["area"],
                                          T.notifications.c.site_id == acct["site_id"],
                                          T.notifications.c.withdrawn.is_(False))
        with engine.connect() as c:
            total = c.execute(select(func.count()).select_from(q.subquery())).scalar()
            rows = c.execute(q.order_by(T.notifications.c.id.desc()).limit(limit).offset(offset)).mappings().all()
        return {"total": total, "items": [{"id": r["id"], "kind": r["kind"], "title": r["title"], "body": r["body"],
                                            "created_at": r["created_at"]} for r in rows]}

    @app.post("/c/alerts/ack", status_code=201)
    def alerts_ack(body: AckBody, acct: Resident) -> dict:
        with engine.connect() as c:
            n = c.execute(select(T.notifications).where(T.notifications.c.id == body.notification_id,
                                                        T.notifications.c.area == acct["area"],
                                                        T.notifications.c.site_id == acct["site_id"])).first()
        if n is None:
            raise ApiError(404, "not_found", f"notification {body.notification_id} not found")
        return _resident_item(acct, "alarm_ack", {"notification_id": body.notification_id,
                                                  "notification_event_id": n.event_id})

    @app.post("/c/help/call", status_code=201)
    def help_call(body: HelpBody, acct: Resident) -> dict:
        return _resident_item(acct, "help_call", body.model_dump())

    @app.post("/c/safety/checkup", status_code=201)
    def checkup(body: CheckupBody, acct: Resident) -> dict:
        score, fixes = score_checkup(body)
        out = _resident_item(acct, "safety_check", {**body.model_dump(), "score": score, "fixes": fixes})
        return {**out, "score": score, "fixes": fixes}

    @app.post("/c/orders", status_code=201)
    def create_order(body: OrderBody, acct: Resident) -> dict:
        return _resident_item(acct, "service_order", body.model_dump())

    @app.get("/c/orders/{order_id}")
    def get_order(order_id: int, acct: Resident) -> dict:
        with engine.connect() as c:
            r = c.execute(select(T.resident_items).where(T.resident_items.c.seq == order_id,
                                                         T.resident_items.c.kind == "service_order",
                                                         T.resident_items.c.account_id == acct["id"])
                          ).mappings().first()
        if r is None:
            raise ApiError(404, "not_found", f"order {order_id} not found")
        return {"id": r["seq"], "status": r["status"], "created_at": r["created_at"], **json.loads(r["payload"])}

    async def _decode(field: str, up: Any) -> Any:
        try:
            return decode_upload(await up.read())
        except ImageRejected as exc:
            raise ApiError(exc.status, exc.code, f"{field}: {exc}") from None

    async def _image(request: Request, field: str, required: bool) -> tuple[Any, Any]:
        """The form and the decoded image of ``field`` (None when absent and not required)."""
        form = await request.form(max_files=5, max_fields=20)
        up = form.get(field)
        if up is None or isinstance(up, str):
            if required:
                raise ApiError(422, "invalid_request", f"multipart field {field!r} with an image is required")
            return form, None
        return form, await _decode(field, up)

    def _ocr(img: Any) -> dict:
        from vision import read_meter

        r = read_meter(img)
        return {"value": r.value, "unit": r.unit, "confidence": float(r.confidence),
                "needs_review": bool(r.needs_review), "kind": str(r.kind)}

    def _store_reading(acct: dict, reading: dict, source: str) -> None:
        with engine.begin() as c:
            c.execute(insert(T.meter_readings).values(
                household_id=acct["household_id"], value=reading.get("value"), unit=reading.get("unit") or "m3",
                confidence=reading.get("confidence", 1.0), needs_review=reading.get("needs_review", False),
                source=source, taken_at=_now()))

    @app.post("/c/ocr/meter", status_code=201)
    async def ocr_meter(request: Request, acct: Resident) -> dict:
        _form, img = await _image(request, "photo", True)
        reading = await run_in_threadpool(_ocr, img)
        masked = await run_in_threadpool(mask_photo, "photo", img)
        _store_reading(acct, reading, "ocr")
        out = _resident_item(acct, "meter_reading", {"reading": reading}, [masked])
        return {**out, "reading": reading}

    @app.get("/c/meter/history")
    def meter_history(acct: Resident, limit: int = 50, offset: int = 0) -> dict:
        limit, offset = _page(limit, offset)
        with engine.connect() as c:
            rows = c.execute(select(T.meter_readings).where(T.meter_readings.c.household_id == acct["household_id"])
                             .order_by(T.meter_readings.c.id.desc()).limit(limit).offset(offset)).mappings().all()
        return {"items": [{"value": r["value"], "unit": r["unit"], "confidence": r["confidence"],
                           "needs_review": r["needs_review"], "source": r["source"], "taken_at": r["taken_at"]}
                          for r in rows]}

    @app.get("/c/usage/summary")
    def usage_summary(acct: Resident) -> dict:
        with engine.connect() as c:
            rows = c.execute(select(T.meter_readings.c.value, T.meter_readings.c.taken_at)
                             .where(T.meter_readings.c.household_id == acct["household_id"],
                                    T.meter_readings.c.value.is_not(None))
                             .order_by(T.meter_readings.c.taken_at)).all()
        last_by_month: dict[str, float] = {}
        for v, t in rows:
            last_by_month[t[:7]] = v
        months = sorted(last_by_month)
        def _prev(m: str) -> str:
            y, mo = int(m[:4]), int(m[5:7])
            return f"{y - 1}-12" if mo == 1 else f"{y}-{mo - 1:02d}"

        # a month's use needs the index at the end of the month before (gaps are not spread over months)
        usage = {m: round(last_by_month[m] - last_by_month[_prev(m)], 3) for m in months if _prev(m) in last_by_month}
        out = []
        vals = list(usage.values())
        mean = sum(vals) / len(vals) if vals else 0.0
        for m, u in usage.items():
            prev_year = f"{int(m[:4]) - 1}{m[4:]}"
            yoy = round((u - usage[prev_year]) / usage[prev_year], 3) if usage.get(prev_year) else None
            out.append({"month": m, "use_m3": u, "yoy": yoy, "unusual": bool(mean > 0 and abs(u - mean) > 0.5 * mean)})
        return {"months": out}

    @app.post("/c/incident/report", status_code=201)
    async def incident_report(request: Request, acct: Resident) -> dict:
        ctype = request.headers.get("content-type", "")
        reading = None
        photos: list[MaskedPhoto] = []
        if ctype.startswith("multipart/"):
            form, meter_img = await _image(request, "meter_photo", False)
            fields = {k: v for k, v in form.items() if isinstance(v, str)}
            images = [(k, await _decode(k, v)) for k, v in form.multi_items()  # every photo must be a real image
                      if not isinstance(v, str) and k != "meter_photo"]
            if meter_img is not None:
                images.append(("meter_photo", meter_img))
                reading = await run_in_threadpool(_ocr, meter_img)
            for k, img in images:  # faces and people covered, metadata dropped, before anything is stored
                photos.append(await run_in_threadpool(mask_photo, k, img))
        else:
            try:
                fields = await request.json()
            except ValueError:
                raise ApiError(422, "invalid_json", "body is not valid JSON") from None
            if not isinstance(fields, dict):
                raise ApiError(422, "invalid_json", "body must be a JSON object")
        location = str(fields.get("location", "")).strip()
        if not location:
            raise ApiError(422, "invalid_request", "location is required")
        if reading is not None:
            _store_reading(acct, reading, "ocr")
        if reading is None and fields.get("meter_value") not in (None, ""):
            try:
                reading = {"value": float(fields["meter_value"]), "unit": "m3", "confidence": 1.0,
                           "needs_review": False, "kind": "typed"}
            except (TypeError, ValueError):
                raise ApiError(422, "invalid_request", "meter_value must be a number") from None
            _store_reading(acct, reading, "typed")
        pts = odor_report_points(bool(photos or reading))
        payload = {"location": location, "description": str(fields.get("description", ""))[:2000],
                   "meter_reading": reading, "points": pts}  # points ride to the desktop with the item
        out = _resident_item(acct, "odor_report", payload, photos)
        with engine.begin() as c:
            c.execute(insert(T.points).values(account_id=acct["id"], event_id=out["event_id"], points=pts))
        return {**out, "points": pts, "meter_reading": reading, "photos": len(photos)}

    from sync.relay.resident_home import add_resident_home_routes

    add_resident_home_routes(app, engine, Resident, _page, ApiError)
    from sync.relay.staff import add_staff_routes

    add_staff_routes(app, engine, Account, Site, _page, ApiError)
    from sync.relay.tickets import ticket_router  # crew tickets and progress (relay r0003)

    app.include_router(ticket_router(engine, account, site, ApiError))
    return app

"""Staff accounts on the relay (dispatcher, crew, property manager) and what each role may read.

A staff account belongs to one site (``staff_accounts``); the desktop of that site creates, updates and
removes it with its site token. Scope: a dispatcher sees the whole site; crew and property managers only
their area. Anything outside the caller's scope answers 404, exactly like a resident asking for another
household's id.
"""

from typing import Annotated, Any

from fastapi import Depends, FastAPI
from fastapi.responses import Response
from pydantic import BaseModel, Field, field_validator
from sqlalchemy import Engine, delete, func, insert, select, update

from sync.protocol import utc_now as _now
from sync.relay import tables as T
from sync.relay.resident_home import check_username
from sync.relay.security import hash_password

STAFF_ROLES = ("dispatcher", "crew", "property_manager")


class StaffBody(BaseModel):
    username: str = Field(min_length=3, max_length=64)
    _username = field_validator("username")(check_username)
    password: str = Field(min_length=8, max_length=200)
    role: str
    area: str | None = Field(default=None, max_length=64)


def add_staff_routes(app: FastAPI, engine: Engine, Account: Any, Site: Any, page: Any, error: type) -> None:  # noqa: ANN401, N803
    """Register ``/admin/staff`` (site token) and the ``/staff/...`` read endpoints on ``app``."""

    def staff(acct: Account) -> dict:
        if acct["role"] not in STAFF_ROLES or acct["site_id"] is None:
            raise error(403, "forbidden", "staff account (dispatcher, crew or property manager) required")
        return acct

    Staff = Annotated[dict, Depends(staff)]  # noqa: N806

    def scoped(acct: dict, table: Any) -> list:  # noqa: ANN401
        """Where-clauses limiting ``table`` (with site_id and area columns) to what ``acct`` may see."""
        clauses = [table.c.site_id == acct["site_id"]]
        if acct["role"] != "dispatcher":
            clauses.append(table.c.area == acct["area"])
        return clauses

    @app.post("/admin/staff", status_code=201)
    def put_staff(body: StaffBody, site_id: Site) -> dict:
        if body.role not in STAFF_ROLES:
            raise error(422, "invalid_request", f"role must be one of {', '.join(STAFF_ROLES)}, not {body.role!r}")
        if body.role != "dispatcher" and not body.area:
            raise error(422, "invalid_request", f"a {body.role} account needs the area it works in")
        values = {"password_hash": hash_password(body.password), "role": body.role, "area": body.area}
        with engine.begin() as c:  # (the hash is made first: not while holding the write lock)
            row = c.execute(select(T.accounts.c.id, T.staff.c.site_id)
                            .join(T.staff, T.staff.c.account_id == T.accounts.c.id, isouter=True)
                            .where(T.accounts.c.username == body.username)).first()
            if row is None:
                aid = c.execute(insert(T.accounts).values(username=body.username, household_id=None, **values)
                                ).inserted_primary_key[0]
                c.execute(insert(T.staff).values(account_id=aid, site_id=site_id, created_at=_now()))
            elif row.site_id == site_id:  # the desktop is authoritative for its staff: update in place
                aid = row.id
                c.execute(update(T.accounts).where(T.accounts.c.id == aid).values(**values))
            else:
                raise error(409, "username_taken", f"username {body.username!r} is taken")
        return {"account_id": aid, "username": body.username, "role": body.role, "area": body.area}

    @app.delete("/admin/staff/{username}")
    def remove_staff(username: str, site_id: Site) -> dict:
        with engine.begin() as c:
            aid = c.execute(select(T.staff.c.account_id).join(T.accounts, T.accounts.c.id == T.staff.c.account_id)
                            .where(T.accounts.c.username == username, T.staff.c.site_id == site_id)).scalar()
            if aid is None:
                raise error(404, "not_found", f"no staff account {username!r} on this site")
            c.execute(delete(T.staff).where(T.staff.c.account_id == aid))
            c.execute(delete(T.accounts).where(T.accounts.c.id == aid))
        return {"removed": username}

    @app.get("/staff/me")
    def me(acct: Staff) -> dict:
        return {"username": acct["username"], "role": acct["role"], "area": acct["area"]}

    def _item(r: Any) -> dict:  # noqa: ANN401
        import json

        return {"id": r["seq"], "event_id": r["event_id"], "kind": r["kind"], "household_id": r["household_id"],
                "area": r["area"], "status": r["status"], "created_at": r["created_at"],
                "payload": json.loads(r["payload"])}

    @app.get("/staff/items")
    def items(acct: Staff, kind: str | None = None, limit: int = 20, offset: int = 0) -> dict:
        limit, offset = page(limit, offset)
        ri = T.resident_items
        q = select(ri).where(*scoped(acct, ri), ri.c.kind != "registration")  # registrations: /staff/households
        if kind:
            q = q.where(ri.c.kind == kind)
        with engine.connect() as c:
            total = c.execute(select(func.count()).select_from(q.subquery())).scalar()
            rows = c.execute(q.order_by(ri.c.seq.desc()).limit(limit).offset(offset)).mappings().all()
        return {"total": total, "items": [_item(r) for r in rows]}

    @app.get("/staff/items/{seq}")
    def item(seq: int, acct: Staff) -> dict:
        ri = T.resident_items
        with engine.connect() as c:
            r = c.execute(select(ri).where(ri.c.seq == seq, *scoped(acct, ri))).mappings().first()
        if r is None:
            raise error(404, "not_found", f"item {seq} not found")
        return _item(r)

    @app.get("/staff/photos/{photo_id}")
    def photo(photo_id: int, acct: Staff) -> Response:
        p = T.photos
        with engine.connect() as c:
            data = c.execute(select(p.c.data).where(p.c.id == photo_id, *scoped(acct, p))).scalar()
        if data is None:
            raise error(404, "not_found", f"photo {photo_id} not found")
        return Response(bytes(data), media_type="image/jpeg")

    @app.get("/staff/notifications")
    def notices(acct: Staff, limit: int = 20, offset: int = 0) -> dict:
        limit, offset = page(limit, offset)
        n = T.notifications
        with engine.connect() as c:
            rows = c.execute(select(n).where(*scoped(acct, n)).order_by(n.c.id.desc()).limit(limit).offset(offset)
                             ).mappings().all()
        return {"items": [{"id": r["id"], "kind": r["kind"], "area": r["area"], "title": r["title"],
                           "body": r["body"], "withdrawn": r["withdrawn"], "created_at": r["created_at"]} for r in rows]}

    @app.get("/staff/households")
    def households(acct: Staff, limit: int = 50, offset: int = 0) -> dict:
        if acct["role"] == "crew":
            raise error(403, "forbidden", "households are listed for dispatchers and property managers")
        limit, offset = page(limit, offset)
        h = T.households
        with engine.connect() as c:
            rows = c.execute(select(h.c.id, h.c.area, h.c.code_used).where(*scoped(acct, h))
                             .order_by(h.c.id).limit(limit).offset(offset)).all()
        return {"items": [{"household_id": r.id, "area": r.area, "registered": bool(r.code_used)} for r in rows]}

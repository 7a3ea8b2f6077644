"""HTTP calls for crew tickets through the relay (httpx, asyncio; no Qt, no desktop imports).

* Dispatch desktop (site token, over the :class:`sync.client.SyncClient` connection pool):
  :func:`publish_tickets`, :func:`pull_progress`, :func:`report_results`.
* Crew laptop (crew account): :class:`CrewRelayClient` — my tickets, post progress and photos, read the
  outcome of what was posted. It signs in when needed and once more when the token has expired.

Every call raises :class:`RelayCallError` (network failure or an unexpected answer) or returns the parsed
answer; a 4xx answer about one record is returned as :class:`Refused` so the caller can keep the reason.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass

import httpx

from sync.crew_protocol import (
    BatchOutcome,
    BatchResult,
    CrewTicket,
    ProgressBatch,
    ProgressIn,
    ProgressPage,
    ProgressRecord,
    ProgressResult,
    ProgressResults,
    TicketBatch,
    TicketBatchResult,
)


class RelayCallError(RuntimeError):
    """The relay could not be reached or answered something unexpected (retry later)."""


class RateLimited(RelayCallError):
    """The relay answered 429: it is reachable, the rest waits for the next round (``retry_after_s``)."""

    def __init__(self, message: str, retry_after_s: float | None = None) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s


def _raise_if_limited(r: httpx.Response, what: str) -> None:
    if r.status_code == 429:
        try:
            after = float(r.headers.get("Retry-After", ""))
        except ValueError:
            after = None
        raise RateLimited(f"{what}: relay rate limit ({_error(r)[1]})", after)


@dataclass(frozen=True)
class Refused:
    """The relay refused one record for good (e.g. 404 ticket not assigned to me, 422 bad payload)."""

    status: int
    code: str
    message: str


def _error(r: httpx.Response) -> tuple[str, str]:
    try:
        e = r.json()["error"]
        return str(e["code"]), str(e["message"])
    except (ValueError, KeyError, TypeError):
        return "http_error", r.text[:200]


def _ok(r: httpx.Response, what: str) -> dict:
    _raise_if_limited(r, what)
    if r.status_code != 200:
        code, msg = _error(r)
        raise RelayCallError(f"{what}: relay answered {r.status_code} {code}: {msg}")
    try:
        return r.json()
    except ValueError as exc:
        raise RelayCallError(f"{what}: unreadable answer") from exc


async def _call(http: httpx.AsyncClient, method: str, url: str, **kw: object) -> httpx.Response:
    try:
        return await http.request(method, url, **kw)
    except httpx.HTTPError as exc:
        raise RelayCallError(f"{method} {url}: {exc or type(exc).__name__}") from exc


# ---- dispatch desktop (site token) ----------------------------------------------------------------
async def publish_tickets(http: httpx.AsyncClient, tickets: list[CrewTicket],
                          withdraw: list[str] | None = None) -> TicketBatchResult:
    body = TicketBatch(tickets=tickets, withdraw=withdraw or []).model_dump_json()
    r = await _call(http, "POST", "/sync/tickets", content=body, headers={"Content-Type": "application/json"})
    return TicketBatchResult.model_validate(_ok(r, "publish tickets"))


async def pull_progress(http: httpx.AsyncClient, after: int, limit: int = 200) -> ProgressPage:
    r = await _call(http, "GET", "/sync/progress", params={"after": after, "limit": limit})
    return ProgressPage.model_validate(_ok(r, "pull progress"))


async def report_results(http: httpx.AsyncClient, results: list[ProgressResult]) -> None:
    body = ProgressResults(results=results).model_dump_json()
    r = await _call(http, "POST", "/sync/progress/results", content=body,
                    headers={"Content-Type": "application/json"})
    _ok(r, "report progress results")


# ---- crew laptop (crew account) -------------------------------------------------------------------
class CrewRelayClient:
    """A crew member's session with the relay."""

    def __init__(self, base_url: str, username: str, password: str, *, timeout_s: float = 10.0,
                 transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.username, self._password = username, password
        self._args = {"base_url": base_url.rstrip("/"), "timeout": timeout_s, "transport": transport}
        self._http: httpx.AsyncClient | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._token: str | None = None

    async def aclose(self) -> None:
        if self._http is not None:
            await self._http.aclose()
            self._http = None

    async def _login(self) -> None:
        r = await _call(self._client(), "POST", "/c/login", json={"username": self.username,
                                                                   "password": self._password})
        data = _ok(r, f"sign in as {self.username}")
        if data.get("role") != "crew":
            raise RelayCallError(f"{self.username} is a {data.get('role')} account on the relay, not crew")
        self._token = data["access_token"]

    def _client(self) -> httpx.AsyncClient:
        """One connection pool per event loop (a pool cannot outlive the loop it was made on)."""
        loop = asyncio.get_running_loop()
        if self._http is None or self._loop is not loop:
            self._http, self._loop = httpx.AsyncClient(**self._args), loop
        return self._http

    async def _request(self, method: str, url: str, **kw: object) -> httpx.Response:
        for attempt in (0, 1):
            if self._token is None:
                await self._login()
            r = await _call(self._client(), method, url, headers={"Authorization": f"Bearer {self._token}"}, **kw)
            if r.status_code != 401 or attempt:
                return r
            self._token = None  # expired or revoked: sign in once more
        return r

    async def my_tickets(self) -> list[CrewTicket]:
        data = _ok(await self._request("GET", "/crew/tickets"), "my tickets")
        return [CrewTicket.model_validate(t) for t in data["items"]]

    async def post(self, rec: ProgressIn, photo: bytes | None = None) -> ProgressRecord | Refused:
        """Post one record (with its image for kind ``photo``); a repeat of a stored id returns the stored one."""
        if photo is None:
            r = await self._request("POST", "/crew/progress", json=json.loads(rec.model_dump_json()))
        else:
            r = await self._request("POST", "/crew/progress/photo", data={"record": rec.model_dump_json()},
                                    files={"photo": ("photo.jpg", photo, "application/octet-stream")})
        if 400 <= r.status_code < 500 and r.status_code not in (401, 408, 429):
            return Refused(r.status_code, *_error(r))
        return ProgressRecord.model_validate(_ok(r, f"post progress {rec.progress_id}"))

    async def post_batch(self, recs: list[ProgressIn]) -> list[BatchOutcome] | None:
        """Post many non-photo records in one request; one outcome per record, in order. ``None`` when the
        relay has no batch route (an older relay) or refuses the batch's shape: post them one by one."""
        r = await self._request("POST", "/crew/progress/batch",
                                json=json.loads(ProgressBatch(records=recs).model_dump_json()))
        if r.status_code in (404, 405, 413, 422):  # no batch route, too big, or a malformed record: one by one
            return None
        return BatchResult.model_validate(_ok(r, f"post {len(recs)} progress records")).items

    async def states(self, progress_ids: list[str]) -> list[ProgressRecord]:
        """The stored records (state, refusal reason) of these ids posted by me."""
        out: list[ProgressRecord] = []
        for i in range(0, len(progress_ids), 500):
            data = _ok(await self._request("POST", "/crew/progress/states", json={"ids": progress_ids[i:i + 500]}),
                       "progress states")
            out += [ProgressRecord.model_validate(x) for x in data["items"]]
        return out

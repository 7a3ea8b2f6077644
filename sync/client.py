"""Desktop-side pusher and puller (httpx, asyncio) over a small repository protocol."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Protocol

import httpx

from sync.protocol import PullItem, PullPage, PushBatch, PushItem, PushResult, new_event_id

log = logging.getLogger(__name__)


class OutboxRepo(Protocol):
    """What the pusher/puller need from the desktop database."""

    def due(self, limit: int) -> list[PushItem]: ...
    def mark_delivered(self, event_ids: list[str]) -> None: ...
    def mark_rejected(self, reasons: dict[str, str]) -> None: ...
    def mark_failed(self, event_ids: list[str], error: str, retry_in_s: float) -> None: ...
    def cursor(self) -> int: ...
    def receive(self, items: list[PullItem], cursor: int) -> list[PullItem]:
        """Store new items and the cursor in one transaction; return those not seen before."""
        ...


def backoff_s(attempt: int, base: float = 1.0, cap: float = 300.0) -> float:
    """Exponential backoff with full jitter: uniform(0, min(cap, base·2^attempt))."""
    return random.uniform(0, min(cap, base * (2 ** min(attempt, 20))))


@dataclass
class SyncStatus:
    """What the status bar shows."""

    online: bool = False
    pending: int = 0
    last_push_at: float | None = None
    last_pull_at: float | None = None
    last_error: str | None = None
    consecutive_failures: int = 0
    delivered_total: int = 0
    received_total: int = 0
    extra: dict = field(default_factory=dict)


class SyncClient:
    """Pushes due outbox items in batches and pulls resident items after the stored cursor."""

    def __init__(self, repo: OutboxRepo, base_url: str, site_token: str, *, batch_size: int = 100,
                 timeout_s: float = 10.0, transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.repo, self.batch_size = repo, batch_size
        self.status = SyncStatus()
        self._args = {"base_url": base_url.rstrip("/"), "timeout": timeout_s, "transport": transport,
                      "headers": {"Authorization": f"Bearer {site_token}"}}
        self._client: httpx.AsyncClient | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    @property
    def _http(self) -> httpx.AsyncClient:
        """One connection pool per event loop (a pool cannot outlive the loop it was made on)."""
        loop = asyncio.get_running_loop()
        if self._client is None or self._loop is not loop:
            self._client, self._loop = httpx.AsyncClient(**self._args), loop
        return self._client

    @property
    def http(self) -> httpx.AsyncClient:
        """The site-token connection pool of the running loop (other site calls, e.g. sync.crew_client)."""
        return self._http

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    async def push_once(self) -> int:
        """Send one batch of due items; returns how many were confirmed (accepted or duplicate)."""
        items = self.repo.due(self.batch_size)
        if not items:
            return 0
        ids = [i.event_id for i in items]
        batch = PushBatch(batch_id=new_event_id(), items=items)
        try:
            r = await self._http.post("/sync/push", content=batch.model_dump_json(),
                                      headers={"Content-Type": "application/json", "Idempotency-Key": batch.batch_id})
            if r.status_code != 200:
                raise httpx.HTTPStatusError(f"relay answered {r.status_code}: {r.text[:200]}",
                                            request=r.request, response=r)
            res = PushResult.model_validate_json(r.content)
        except (httpx.HTTPError, ValueError) as exc:
            self._failed(ids, str(exc) or type(exc).__name__)
            return 0
        done = res.accepted + res.duplicate
        self.repo.mark_delivered(done)
        if res.rejected:
            self.repo.mark_rejected(res.rejected)
        self.status.online, self.status.consecutive_failures, self.status.last_error = True, 0, None
        self.status.delivered_total += len(done)
        self.status.last_push_at = asyncio.get_running_loop().time()
        return len(done)

    def _failed(self, ids: list[str], error: str) -> None:
        self.status.online = False
        self.status.consecutive_failures += 1
        self.status.last_error = error
        self.repo.mark_failed(ids, error, backoff_s(self.status.consecutive_failures))
        log.info("push failed (%s); %d items retried later", error, len(ids))

    async def pull_once(self, limit: int = 200) -> list[PullItem]:
        """Fetch one page after the cursor and store it; returns the new items."""
        try:
            r = await self._http.get("/sync/pull", params={"after": self.repo.cursor(), "limit": limit})
            if r.status_code != 200:
                raise httpx.HTTPStatusError(f"relay answered {r.status_code}", request=r.request, response=r)
            page = PullPage.model_validate_json(r.content)
        except (httpx.HTTPError, ValueError) as exc:
            self.status.online, self.status.last_error = False, str(exc) or type(exc).__name__
            return []
        fresh = self.repo.receive(page.items, page.cursor)
        self.status.online = True
        self.status.received_total += len(fresh)
        self.status.last_pull_at = asyncio.get_running_loop().time()
        return fresh

    async def fetch_photo(self, photo_id: int, sha256: str) -> bytes:
        """Download a stored photo of a pulled item; raises ``httpx.HTTPError`` or ``ValueError`` (digest)."""
        import hashlib

        r = await self._http.get(f"/sync/photos/{int(photo_id)}")
        if r.status_code != 200:
            raise httpx.HTTPStatusError(f"relay answered {r.status_code} for photo {photo_id}",
                                        request=r.request, response=r)
        if hashlib.sha256(r.content).hexdigest() != sha256:
            raise ValueError(f"photo {photo_id}: content does not match its sha256")
        return r.content

    async def sync_once(self) -> tuple[int, int]:
        """Push everything due, then pull all pages. Returns (pushed, pulled)."""
        pushed = 0
        while True:
            n = await self.push_once()
            pushed += n
            if n < self.batch_size:
                break
        pulled = 0
        while True:
            fresh = await self.pull_once()
            pulled += len(fresh)
            if not fresh:
                break
        return pushed, pulled

    async def run(self, interval_s: float = 5.0, stop: asyncio.Event | None = None) -> None:
        """Loop until ``stop`` is set."""
        await run_every(self.sync_once, interval_s, stop)


async def run_every(step: Callable[[], Awaitable[object]], interval_s: float,
                    stop: asyncio.Event | None = None) -> None:
    """Await ``step()`` every ``interval_s`` seconds until ``stop`` is set (checked while waiting)."""
    stop = stop or asyncio.Event()
    while not stop.is_set():
        await step()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), interval_s)

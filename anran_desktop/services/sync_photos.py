"""Photos of pulled resident items (odor reports, meter photos) saved as evidence files on the desktop.

The relay stores the photos masked (people and faces covered) and without metadata; a pulled item only
carries references (``payload["photos"] = [{id, field, sha256, bytes, masked}]``). The desktop downloads
each one (``GET /sync/photos/{id}``, digest checked) into the evidence folder used by meter readings,
``YYYYMMDD/relay-<event id>-<photo id>.jpg``. The name is fixed by the item, so a repeated download
rewrites the same file and never makes a second one; an item is applied only once all its files exist.
"""

from __future__ import annotations

import os
from pathlib import Path

from sync.client import SyncClient
from sync.protocol import PullItem


def photo_refs(item: PullItem) -> list[dict]:
    refs = item.payload.get("photos")
    return [r for r in refs if isinstance(r, dict) and "id" in r] if isinstance(refs, list) else []


def evidence_rel(item: PullItem, ref: dict) -> str:
    """Path of the photo's file relative to the evidence folder."""
    day = item.created_at[:10].replace("-", "") or "undated"
    return f"{day}/relay-{item.event_id}-{int(ref['id'])}.jpg"


def missing(item: PullItem, root: Path) -> list[dict]:
    return [r for r in photo_refs(item) if not (root / evidence_rel(item, r)).is_file()]


async def fetch_missing(client: SyncClient, items: list[PullItem], root: Path) -> list[str]:
    """Download every photo of ``items`` not yet on disk; returns the errors (those items wait)."""
    errors = []
    for it in items:
        for ref in missing(it, root):
            target = root / evidence_rel(it, ref)
            try:
                data = await client.fetch_photo(int(ref["id"]), str(ref.get("sha256", "")))
            except Exception as exc:  # noqa: BLE001 - network or digest: retried on the next round
                errors.append(f"photo {ref['id']} of {it.event_id}: {exc}")
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_suffix(".part")
            tmp.write_bytes(data)
            os.replace(tmp, target)  # a crash leaves no half-written evidence file
    return errors

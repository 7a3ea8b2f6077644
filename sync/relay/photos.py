"""Photos attached to resident items: privacy-masked, re-encoded without metadata, stored in the relay DB."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, insert

from sync.relay import tables as T
from sync.relay.images import reencode_jpeg


@dataclass(frozen=True)
class MaskedPhoto:
    """One upload after masking: JPEG bytes (no EXIF/GPS), digest and how many people/faces were covered."""

    field: str
    jpeg: bytes
    sha256: str
    masked: int


def mask_photo(field: str, img: Any) -> MaskedPhoto:  # noqa: ANN401 - BGR numpy array
    """Cover faces and people (``vision.privacy.mask_people``) then re-encode; CPU-bound, call off the loop."""
    from vision.privacy import mask_people

    out, n = mask_people(img)
    jpeg = reencode_jpeg(out)
    return MaskedPhoto(field, jpeg, hashlib.sha256(jpeg).hexdigest(), int(n))


def store_photos(c: Connection, photos: list[MaskedPhoto], *, event_id: str, site_id: int, household_id: str,
                 area: str, created_at: str) -> list[dict]:
    """Insert the photos of one resident item on ``c`` (the item's transaction); returns the payload refs."""
    refs = []
    for p in photos:
        pid = c.execute(insert(T.photos).values(
            event_id=event_id, site_id=site_id, household_id=household_id, area=area, field=p.field,
            sha256=p.sha256, masked=p.masked, data=p.jpeg, created_at=created_at)).inserted_primary_key[0]
        refs.append({"id": int(pid), "field": p.field, "sha256": p.sha256, "bytes": len(p.jpeg), "masked": p.masked})
    return refs

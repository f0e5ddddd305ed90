"""Paging by convention (RFC 8288): a `Link: <...>; rel="next"` header on every page that
has a next one, for every paged answer, the held-answer shortcut's included.

A page of claims is as of a record time. The next link of such a page carries an opaque
`cursor` that pins that record time and says where the next page starts, so a write
between two pages shifts neither: the caller follows the links and gets each claim once.
The event feed pages by position (`after`), which later writes cannot shift.
"""

from __future__ import annotations

import base64
import binascii
from datetime import datetime
from urllib.parse import parse_qsl, urlencode

import msgspec

from service.app.errors import InvalidInput

_CURSOR = msgspec.json.Decoder(tuple[datetime, int])
_ENCODER = msgspec.json.Encoder()
MAX_CURSOR = 200
"""The longest cursor taken, in characters (those made here are about 50)."""
# The parameters a cursor stands for; the next link drops them and adds the cursor.
_PINNED = ("cursor", "known_at", "offset")


class Cursor(msgspec.Struct, frozen=True):
    """Where a page of claims starts, and the record time every page is as of."""

    known_at: datetime
    offset: int

    def encode(self) -> str:
        """The cursor as an opaque token (URL-safe)."""
        packed = _ENCODER.encode((self.known_at, self.offset))
        return base64.urlsafe_b64encode(packed).rstrip(b"=").decode()

    @classmethod
    def decode(cls, token: str, most: int) -> Cursor:
        """The cursor a token stands for, its offset at most `most`; InvalidInput at
        `cursor` for anything else."""
        try:
            packed = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
            known_at, offset = _CURSOR.decode(packed)
        except (binascii.Error, ValueError, msgspec.DecodeError):
            raise InvalidInput.at("cursor", "not a cursor this service gave") from None
        if known_at.tzinfo is None or not 0 <= offset <= most:
            raise InvalidInput.at("cursor", "not a cursor this service gave")
        return cls(known_at, offset)


def unpinned(
    cursor: str | None, known_at: str | None, offset: int, most: int
) -> tuple[str | None, int, datetime | None]:
    """The record time and offset a page asks for: those of its cursor when it has one
    (which then stands alone: no `known_at` or `offset` beside it), else its own. Returns
    the `known_at` text, the offset and the cursor's instant (None without a cursor)."""
    if cursor is None:
        return known_at, offset, None
    if known_at is not None or offset:
        raise InvalidInput.at("cursor", "a cursor pins known_at and offset: give it alone")
    found = Cursor.decode(cursor, most)
    return None, found.offset, found.known_at


def next_claims(
    path: str, query: str | bytes, *, known_at: datetime, offset: int, limit: int, total: int
) -> str | None:
    """The `Link` header of a page of claims (`offset`..`offset+limit` of `total`, as known
    at `known_at`), or None on the last page."""
    if offset + limit >= total:
        return None
    cursor = Cursor(known_at, offset + limit).encode()
    return _link(path, query, {"cursor": cursor}, _PINNED)


def next_events(path: str, query: str | bytes, *, after: int) -> str:
    """The `Link` header of a full page of the event feed, the next starting `after`."""
    return _link(path, query, {"after": str(after)}, ("after",))


def next_offset(path: str, query: str | bytes, *, offset: int) -> str:
    """The `Link` header of a page with a next one at `offset`."""
    return _link(path, query, {"offset": str(offset)}, ("offset",))


def _link(path: str, query: str | bytes, given: dict[str, str], dropped: tuple[str, ...]) -> str:
    text = query.decode("latin-1") if isinstance(query, bytes) else query
    kept = [(k, v) for k, v in parse_qsl(text, keep_blank_values=True) if k not in dropped]
    return f'<{path}?{urlencode([*kept, *given.items()])}>; rel="next"'

"""Deterministic identities, so the same article or proposition always gets the same id."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import date
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit
from uuid import UUID

from domain.vocabulary import ClaimKind, Side

NAMESPACE = UUID("6f1c2a4e-3b7d-5c8e-9a0f-1d2e3f4a5b6c")
_NAMESPACE_BYTES = NAMESPACE.bytes
_TRACKING_PARAMS = re.compile(r"^(utm_\w+|fbclid|gclid|mc_cid|mc_eid|ref|at_medium|at_campaign)$")
_DEFAULT_PORTS = {"http": 80, "https": 443}
_KEPT_BITS = ~((0xF000 << 64) | (0xC000 << 48)) & ((1 << 128) - 1)
_VERSION_5_BITS = (5 << 76) | (0x8000 << 48)
# A URL already in canonical form but for a trailing slash: lower-case scheme and host, no
# port, user, query or fragment, and nothing urlsplit would strip or treat specially.
_PLAIN_URL = re.compile(r"(https?://[a-z0-9.-]+)(/[^?#\s\\;@%\[\]]*)?")


def canonical_url(url: str) -> str:
    """Lower-case scheme and host, drop default ports, fragments, tracking parameters and a
    trailing slash, so trivially different links to one page compare equal."""
    url = url.strip()
    if plain := _PLAIN_URL.fullmatch(url):
        site, path = plain.groups()
        return site + ((path or "").rstrip("/") or "/")
    return canonical_url_by_parts(url)


def canonical_url_by_parts(url: str) -> str:
    """`canonical_url` worked out part by part, whatever the URL holds."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if parts.port and parts.port != _DEFAULT_PORTS.get(scheme):
        host = f"{host}:{parts.port}"
    query = urlencode(
        sorted(
            (k, v)
            for k, v in parse_qsl(parts.query, keep_blank_values=True)
            if not _TRACKING_PARAMS.match(k)
        )
    )
    path = parts.path.rstrip("/") or "/"
    return urlunsplit((scheme, host, path, query, ""))


def normalised_body(body: str) -> str:
    """The body with Unicode composed and runs of whitespace folded to one space."""
    return " ".join(unicodedata.normalize("NFC", body).split())


def body_sha256(body: str) -> str:
    """SHA-256 of the normalised body, in hex."""
    return hashlib.sha256(normalised_body(body).encode("utf-8")).hexdigest()


def article_id(url: str | None, body: str) -> UUID:
    """An article's id: from its canonical URL when it has one, else from its body's hash."""
    if url and url.strip():
        return _named("url:" + canonical_url(url))
    return _named("sha256:" + body_sha256(body))


def claim_id(
    place_id: str,
    claimant_side: Side,
    actor_side: Side,
    kind: ClaimKind,
    extent: float | None,
    claimed_on: date,
) -> UUID:
    """One id per proposition: the same place, sides, kind, extent and day."""
    share = "" if extent is None else f"{extent:.4f}"
    key = "|".join(
        (
            "claim",
            place_id,
            claimant_side,  # str enums: their values
            actor_side,
            kind,
            share,
            claimed_on.isoformat(),
        )
    )
    return _named(key)


def _named(name: str) -> UUID:
    """uuid5(NAMESPACE, name), without working out the namespace's bytes every time."""
    digest = hashlib.sha1(_NAMESPACE_BYTES + name.encode(), usedforsecurity=False).digest()
    # The version (5) and variant (RFC 4122) bits set as UUID(bytes=..., version=5) sets
    # them, with less checking along the way.
    return UUID(int=int.from_bytes(digest[:16]) & _KEPT_BITS | _VERSION_5_BITS)

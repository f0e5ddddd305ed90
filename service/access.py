"""Who may call the API: API keys held as hashes, roles, and a per-caller rate limit.

A key is a random token the caller sends as `Authorization: Bearer <key>` or `X-API-Key`.
The service holds only each key's SHA-256 digest, so the configuration can be shown
without giving a key away; a presented key is hashed and compared with every digest in
constant time. A `read` key may read; a `write` key may read and write.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

Role = Literal["read", "write"]
ROLES: tuple[Role, ...] = ("read", "write")
KEY_PREFIX = "cl_"


class AccessConfigError(ValueError):
    """The configured keys cannot be read; the message says which entry and why."""


@dataclass(frozen=True)
class ApiKey:
    """One configured key: a name for logs and limits, its role, and its digest."""

    name: str
    role: Role
    digest: bytes

    def may(self, wanted: Role) -> bool:
        """Whether this key's role covers what is wanted (write covers read)."""
        return self.role == "write" or wanted == "read"

    def entry(self) -> str:
        """The key as one configuration entry, `name:role:sha256-hex`."""
        return f"{self.name}:{self.role}:{self.digest.hex()}"


def digest(key: str) -> bytes:
    """The SHA-256 digest under which a key is configured."""
    return hashlib.sha256(key.encode()).digest()


def new_key(name: str, role: Role) -> tuple[str, ApiKey]:
    """A fresh random key and its configuration record."""
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    return key, ApiKey(name, role, digest(key))


def parse_keys(text: str) -> tuple[ApiKey, ...]:
    """Keys from `name:role:sha256-hex` entries separated by commas or white space."""
    keys: list[ApiKey] = []
    for number, entry in enumerate(text.replace(",", " ").split(), start=1):
        name, _, rest = entry.partition(":")
        role, _, hex_digest = rest.partition(":")
        where = f"API key entry {number} ({name or entry!r})"
        if entry.count(":") != 2 or not name:
            raise AccessConfigError(f"{where}: expected name:role:sha256-hex")
        if role not in ROLES:
            raise AccessConfigError(f"{where}: role must be read or write, not {role!r}")
        try:
            raw = bytes.fromhex(hex_digest)
        except ValueError:
            raw = b""
        if len(raw) != hashlib.sha256().digest_size:
            raise AccessConfigError(f"{where}: the digest must be 64 hexadecimal characters")
        if any(k.name == name for k in keys):
            raise AccessConfigError(f"{where}: the name is used twice")
        keys.append(ApiKey(name, role, raw))
    return tuple(keys)


@dataclass(frozen=True)
class Decision:
    """What to answer a caller: allowed, or refused with a status and maybe a wait."""

    status: int = 200
    retry_after: int | None = None

    @property
    def allowed(self) -> bool:
        return self.status < 400


class RateLimiter:
    """A token bucket per caller: `per_minute` requests a minute, up to `burst` at once.

    Buckets of callers gone quiet are forgotten first once `max_callers` are tracked, so
    a flood of distinct anonymous addresses cannot grow memory without bound.
    """

    def __init__(
        self,
        per_minute: int,
        burst: int,
        *,
        max_callers: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.rate = per_minute / 60.0
        self.burst = max(1, burst)
        self._max_callers = max_callers
        self._clock = clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def take(self, caller: str) -> int | None:
        """Spend one request of the caller's; None when allowed, else seconds to wait."""
        now = self._clock()
        with self._lock:
            tokens, then = self._buckets.pop(caller, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - then) * self.rate)
            if tokens >= 1.0:
                tokens -= 1.0
                wait = None
            else:
                wait = max(1, math.ceil((1.0 - tokens) / self.rate))
            self._buckets[caller] = (tokens, now)
            while len(self._buckets) > self._max_callers:
                self._buckets.popitem(last=False)
        return wait


class StreamSlots:
    """How many event streams may be open at once in this process, and per caller. A slot
    is given back by the function `take` returns (calling it again does nothing)."""

    def __init__(self, per_process: int = 1000, per_caller: int = 200) -> None:
        self.per_process = per_process
        self.per_caller = per_caller
        self._open: dict[str, int] = {}
        self._total = 0
        self._lock = threading.Lock()

    def take(self, caller: str) -> Callable[[], None] | None:
        """A slot for the caller, as the function that gives it back; None when either
        limit is reached."""
        with self._lock:
            held = self._open.get(caller, 0)
            if self._total >= self.per_process or held >= self.per_caller:
                return None
            self._open[caller] = held + 1
            self._total += 1
        given_back = False

        def give_back() -> None:
            nonlocal given_back
            with self._lock:
                if given_back:
                    return
                given_back = True
                self._total -= 1
                left = self._open[caller] - 1
                if left:
                    self._open[caller] = left
                else:
                    del self._open[caller]

        return give_back

    @property
    def open(self) -> int:
        """How many streams are open."""
        return self._total


@dataclass
class Access:
    """The access policy: the keys, whether reads need one, the rate limit and the limits
    on open event streams."""

    keys: tuple[ApiKey, ...] = ()
    open_reads: bool = True
    limiter: RateLimiter | None = None
    streams: StreamSlots = field(default_factory=StreamSlots)

    def identify(self, presented: str | None) -> ApiKey | None:
        """The key whose digest matches, compared with every key in constant time."""
        if not presented:
            return None
        wanted = digest(presented)
        found: ApiKey | None = None
        for key in self.keys:
            if hmac.compare_digest(wanted, key.digest):
                found = key
        return found

    def decide(self, wanted: Role, presented: str | None, address: str) -> Decision:
        """Allow, or refuse with 429 (over the rate limit), 401 (no or unknown key) or 403
        (read key for a write). Every request counts against the rate limit, refused ones
        too: callers with a known key by key, all others by address."""
        key = self.identify(presented)
        if self.limiter is not None and (wait := self.limiter.take(_caller(key, address))):
            return Decision(429, wait)
        if (presented and key is None) or (
            key is None and not (wanted == "read" and self.open_reads)
        ):
            return Decision(401)
        if key is not None and not key.may(wanted):
            return Decision(403)
        return Decision(200)

    def open_stream(self, presented: str | None, address: str) -> Callable[[], None] | None:
        """A slot for one more open event stream of this caller's (see StreamSlots)."""
        return self.streams.take(_caller(self.identify(presented), address))


def _caller(key: ApiKey | None, address: str) -> str:
    """Whom a request is counted against: its key when known, else its address."""
    return f"key:{key.name}" if key else f"address:{address}"

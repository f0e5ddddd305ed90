"""A reader that asks a language model: an OpenAI-compatible chat-completions endpoint (a
local llama.cpp, vLLM or Ollama server, or a hosted one) reads the article with a versioned
prompt (`prompts/`) and answers claims and contestations as JSON.

Nothing it answers is trusted. Claimledger computes the offsets and the ids; a claim whose
quote is not an exact substring of the body, whose place the gazetteer cannot resolve, or
whose side, kind or date is not one the ledger knows is dropped, and so is a contestation
of a claim not kept. Every drop is counted by reason (`ModelReader.dropped`) and logged. An
answer that is not JSON of the asked shape yields nothing, counted as `malformed`.

Requests are bounded: a timeout each, retries with a growing pause (as `Retry-After` says
for a 429 or a 503) on timeouts, failed connections and 429/5xx answers, and at most
`concurrency` requests at once.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from importlib import resources
from typing import Any

import httpx
import msgspec

from domain.extraction.model import Extraction, FoundClaim, FoundContestation
from domain.places import Gazetteer
from domain.vocabulary import ClaimKind, Side

log = logging.getLogger(__name__)
PROMPT = "claims-v1.md"
"""The prompt in use, a data file in `prompts/`; its hash is part of the reader's name."""
MAX_QUOTE = 5_000
_RETRIED = frozenset({408, 429, 500, 502, 503, 504})


@dataclass(frozen=True)
class ModelEndpoint:
    """Where the model is and how to ask it."""

    url: str
    """The API's base URL, e.g. http://127.0.0.1:8080/v1 (`/chat/completions` is added)."""
    model: str
    key: str | None = None
    timeout: float = 120.0
    retries: int = 3
    concurrency: int = 4


class _Claim(msgspec.Struct):
    place: str
    claimant: str
    claimant_side: str
    actor_side: str
    kind: str
    claimed_on: str
    quote: str
    extent: float | None = None


class _Contestation(msgspec.Struct):
    contests: int
    by: str
    by_side: str
    contested_on: str
    quote: str


class _Answer(msgspec.Struct):
    claims: list[_Claim] = []
    contestations: list[_Contestation] = []


_ANSWER = msgspec.json.Decoder(_Answer)
ANSWER_SCHEMA: dict[str, Any] = msgspec.json.schema(_Answer)
"""The JSON schema the answer is asked in (structured output, where the server has it)."""


class ModelUnavailable(RuntimeError):
    """The endpoint did not answer within the retries."""


def prompt_text(name: str = PROMPT) -> str:
    """A prompt, from the package's data files."""
    return resources.files("infra.reading").joinpath("prompts", name).read_text("utf-8")


class ModelReader:
    """Reads articles by asking a model; see the module's description."""

    def __init__(
        self,
        endpoint: ModelEndpoint,
        gazetteer: Gazetteer,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.endpoint = endpoint
        self.gazetteer = gazetteer
        self.prompt = prompt_text()
        digest = hashlib.sha256(self.prompt.encode()).hexdigest()[:12]
        self.name = f"model:{endpoint.model}@{digest}"
        headers = {"authorization": f"Bearer {endpoint.key}"} if endpoint.key else {}
        self._http = httpx.Client(
            base_url=endpoint.url.rstrip("/"),
            headers=headers,
            timeout=endpoint.timeout,
            transport=transport,
        )
        self._slots = threading.BoundedSemaphore(max(1, endpoint.concurrency))
        self._lock = threading.Lock()
        self.dropped: Counter[str] = Counter()
        """Claims and contestations dropped, by reason, since the reader was made."""
        self.usage: dict[str, float] = {}
        """Tokens (`prompt_tokens`, `completion_tokens`) and `seconds` spent, and `articles`."""

    def extract(self, body: str, published_on: date, language: str | None = None) -> Extraction:
        """The claims and contestations the model finds in one article, checked."""
        started = time.perf_counter()
        with self._slots:
            content = self._ask(body, published_on, language)
        with self._lock:
            self._count("seconds", time.perf_counter() - started)
            self._count("articles", 1)
        try:
            answer = _ANSWER.decode(content)
        except (msgspec.DecodeError, msgspec.ValidationError) as error:
            self._drop("malformed", str(error)[:200])
            return Extraction(language or "und", (), (), self.name, "")
        claims, kept = self._claims(answer.claims, body)
        contestations = self._contestations(answer.contestations, kept, body)
        return Extraction(language or "und", tuple(claims), tuple(contestations), self.name, "")

    def read_many(self, articles: list[tuple[str, date, str | None]]) -> list[Extraction]:
        """Each article's reading, in order, `concurrency` requests at a time."""
        with ThreadPoolExecutor(max(1, self.endpoint.concurrency)) as pool:
            return list(pool.map(lambda article: self.extract(*article), articles))

    def close(self) -> None:
        """Close the connections."""
        self._http.close()

    def _ask(self, body: str, published_on: date, language: str | None) -> str:
        article = {"published_on": published_on.isoformat(), "language": language, "body": body}
        request = {
            "model": self.endpoint.model,
            "temperature": 0,
            "messages": [
                {"role": "system", "content": self.prompt},
                {"role": "user", "content": msgspec.json.encode(article).decode()},
            ],
            "response_format": {
                "type": "json_schema",
                "json_schema": {"name": "claims", "schema": ANSWER_SCHEMA},
            },
        }
        for attempt in range(self.endpoint.retries + 1):
            pause = min(0.5 * 2**attempt, 10.0)
            try:
                response = self._http.post("/chat/completions", json=request)
            except httpx.TransportError as error:  # a timeout, a refused connection
                failure = f"{type(error).__name__}"
            else:
                if response.status_code == 200:
                    return self._content(response)
                failure = f"HTTP {response.status_code}"
                if response.status_code not in _RETRIED:
                    raise ModelUnavailable(f"the model endpoint answered {failure}")
                given = response.headers.get("retry-after", "")
                pause = float(given) if given.isdigit() else pause
            if attempt < self.endpoint.retries:
                log.warning("model endpoint: %s; asking again in %.1f s", failure, pause)
                time.sleep(pause)
        raise ModelUnavailable(
            f"the model endpoint did not answer after {self.endpoint.retries + 1} tries"
        )

    def _content(self, response: httpx.Response) -> str:
        try:
            found = response.json()
            with self._lock:
                for name, count in (found.get("usage") or {}).items():
                    if name in ("prompt_tokens", "completion_tokens") and isinstance(count, int):
                        self._count(name, count)
            content = found["choices"][0]["message"]["content"]
        except (ValueError, KeyError, IndexError, TypeError, AttributeError):
            return ""  # read as malformed
        return content if isinstance(content, str) else ""

    def _claims(self, given: list[_Claim], body: str) -> tuple[list[FoundClaim], dict[int, str]]:
        claims: list[FoundClaim] = []
        kept: dict[int, str] = {}
        for index, raw in enumerate(given):
            found = self._claim(raw, body, f"c{len(claims) + 1}")
            if found is not None:
                kept[index] = found.id
                claims.append(found)
        return claims, kept

    def _claim(self, raw: _Claim, body: str, claim_id: str) -> FoundClaim | None:
        span = _span(raw.quote, body)
        if span is None:
            self._drop("quote not in the article", raw.quote[:80])
            return None
        place = self.gazetteer.resolve(raw.place) if raw.place.strip() else None
        if place is None:
            self._drop("place not known", raw.place[:80])
            return None
        try:
            claimant_side, actor_side = Side(raw.claimant_side), Side(raw.actor_side)
            kind = ClaimKind(raw.kind)
        except ValueError:
            self._drop("side or kind not known", f"{raw.claimant_side} {raw.kind}")
            return None
        claimed_on = _day(raw.claimed_on)
        if claimed_on is None:
            self._drop("date not a date", raw.claimed_on[:40])
            return None
        extent = raw.extent if kind is ClaimKind.PARTIAL_CONTROL else None
        if extent is not None and not 0 < extent <= 1:
            extent = None
        if not raw.claimant.strip():
            self._drop("no claimant", raw.quote[:80])
            return None
        return FoundClaim(
            id=claim_id,
            place_id=place.id,
            place_name=place.name,
            claimant=raw.claimant.strip()[:2_000],
            claimant_side=claimant_side,
            actor_side=actor_side,
            kind=kind,
            extent=extent,
            claimed_on=claimed_on,
            claimed_window=None,
            quote=raw.quote,
            start=span[0],
            end=span[1],
            confidence=0.5,
        )

    def _contestations(
        self, given: list[_Contestation], kept: dict[int, str], body: str
    ) -> list[FoundContestation]:
        found = []
        for raw in given:
            span = _span(raw.quote, body)
            day = _day(raw.contested_on)
            if raw.contests not in kept:
                self._drop("contestation of no kept claim", str(raw.contests))
            elif span is None:
                self._drop("quote not in the article", raw.quote[:80])
            elif day is None or raw.by_side not in Side.__members__.values():
                self._drop("side or date not known", f"{raw.by_side} {raw.contested_on}")
            elif raw.by.strip():
                found.append(
                    FoundContestation(
                        contests=kept[raw.contests],
                        by=raw.by.strip()[:2_000],
                        by_side=Side(raw.by_side),
                        contested_on=day,
                        contested_window=None,
                        quote=raw.quote,
                        start=span[0],
                        end=span[1],
                    )
                )
        return found

    def _count(self, name: str, amount: float) -> None:
        self.usage[name] = self.usage.get(name, 0) + amount

    def _drop(self, reason: str, what: str) -> None:
        with self._lock:
            self.dropped[reason] += 1
        log.warning("model reader dropped a reading (%s): %r", reason, what)


def _span(quote: str, body: str) -> tuple[int, int] | None:
    """Where the quote occurs in the body (code points), exactly; None when it does not."""
    if not quote or len(quote) > MAX_QUOTE:
        return None
    start = body.find(quote)
    return None if start < 0 else (start, start + len(quote))


def _day(text: str) -> date | None:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return None
    return day if date(1900, 1, 1) <= day <= date(2199, 12, 31) else None

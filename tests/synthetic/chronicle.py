"""Seeded synthetic war reporting: articles in which analysts marked claims about real
places, over four years, some repeating a claim made in the days before (corroborations)
and some carrying the other side's rejection (contestations).

One specification serves two writers: tests.synthetic.history turns it into the domain's events and
loads them with COPY; bench.ingest posts it as JSON. Both therefore carry the same texts.
Claims fall in two pools of places: a few probe places that every history size gives the
same claims (the as-of query asks about them), and every other populated place.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from domain.claim import Proposition
from domain.places import Gazetteer, Place
from domain.vocabulary import ClaimKind, PlaceKind, Side

EPOCH = date(2022, 2, 24)
SPAN_DAYS = 1_400
CORROBORATE = 0.25  # share of mentions that repeat a claim made in the three days before
CONTEST = 0.15  # share of mentions the other side rejects in the same article
KEPT_PER_DAY = 16  # claims per day and pool that later articles may repeat

_CLAIMANTS = {
    Side.RUSSIA: ("Russian Ministry of Defence", "Valery Gerasimov", "Igor Konashenkov"),
    Side.UKRAINE: ("General Staff of Ukraine", "Oleksandr Syrskyi", "Volodymyr Zelensky"),
}
_FORCES = {Side.RUSSIA: "Russian troops", Side.UKRAINE: "Ukrainian forces"}
_VERBS = {
    ClaimKind.CONTROL: "took full control of",
    ClaimKind.ADVANCE: "advanced towards",
    ClaimKind.REPELLED: "repelled an assault on",
    ClaimKind.ENCIRCLEMENT: "encircled enemy units in",
    ClaimKind.WITHDRAWAL: "withdrew from",
}
_KINDS = tuple(_VERBS)
_KIND_WEIGHTS = (30, 30, 25, 8, 7)
_OUTLETS = (
    "kyivindependent.com",
    "meduza.io",
    "lemonde.fr",
    "reuters.com",
    "bbc.co.uk",
    "ukrinform.net",
    "tass.com",
    "apnews.com",
)
_FILLER = (
    "Independent verification of the reports from the area was not possible on the day.",
    "The front line in the region has moved several times over the past few weeks.",
    "Local officials said shelling had damaged power lines and a water pumping station.",
    "Military analysts cautioned that both sides tend to overstate their gains.",
    "Residents who left the town described days spent in basements without electricity.",
    "Satellite images published by a private company showed fresh trenches to the east.",
    "The statement did not say how many soldiers had taken part in the operation.",
    "Drone footage shared on messaging channels could not be geolocated with certainty.",
    "Humanitarian groups said evacuation routes remained open only during the night.",
    "An aid convoy reached the outskirts on Tuesday after a delay of several hours.",
    "Officials on both sides gave casualty figures that could not be checked.",
    "The road linking the town to the regional centre has been under fire since spring.",
    "A spokesman for the regional administration said schools would stay closed.",
    "The claims came a day after heavy fighting was reported along the river.",
    "Observers noted that artillery exchanges had eased slightly over the weekend.",
    "Footage from the area showed destroyed houses and burnt-out vehicles on the main street.",
)


@dataclass(frozen=True)
class Mention:
    """A claim voiced in an article: the proposition, who voiced it and in which words."""

    proposition: Proposition
    claim_id: UUID
    place_name: str
    claimant: str
    quote: str


@dataclass(frozen=True)
class Rejection:
    """The other side's rejection of the article's `target`-th mention."""

    target: int
    by: str
    by_side: Side
    contested_on: date
    quote: str


@dataclass(frozen=True)
class ArticleSpec:
    """One synthetic article; `retired` names claims no later article will repeat."""

    url: str
    outlet: str
    published_on: date
    title: str
    body: str
    mentions: tuple[Mention, ...]
    rejections: tuple[Rejection, ...]
    retired: tuple[UUID, ...]
    new_claims: int

    def payload(self) -> dict[str, Any]:
        """The article as a `POST /articles` body, its claims given by an analyst."""
        return {
            "url": self.url,
            "outlet": self.outlet,
            "language": "en",
            "published_on": self.published_on.isoformat(),
            "title": self.title,
            "body": self.body,
            "claims": [_claim_payload(index, m) for index, m in enumerate(self.mentions)],
            "contestations": [
                {
                    "contests": f"c{r.target}",
                    "by": r.by,
                    "by_side": r.by_side.value,
                    "contested_on": r.contested_on.isoformat(),
                    "quote": r.quote,
                }
                for r in self.rejections
            ],
        }


def _claim_payload(index: int, mention: Mention) -> dict[str, Any]:
    proposition = mention.proposition
    return {
        "id": f"c{index}",
        "place": mention.place_name,
        "claimant": mention.claimant,
        "claimant_side": proposition.claimant_side.value,
        "actor_side": proposition.actor_side.value,
        "kind": proposition.kind.value,
        "claimed_on": proposition.claimed_on.isoformat(),
        "quote": mention.quote,
    }


@dataclass
class _Pool:
    """Places claims are drawn from, and the claims of each day later articles may repeat."""

    places: list[Place]
    rng: random.Random
    kept: dict[date, list[tuple[Proposition, UUID]]] = field(default_factory=dict)


class Chronicle:
    """A reproducible stream of articles; the same seed gives the same articles in order."""

    def __init__(self, gazetteer: Gazetteer, seed: int = 7, probe_places: int = 24) -> None:
        populated = sorted(
            (p for p in gazetteer.places() if p.kind is PlaceKind.POPULATED_PLACE),
            key=lambda p: p.id,
        )
        rng = random.Random(seed)
        probes = rng.sample(populated, probe_places)
        chosen = {p.id for p in probes}
        self.seed = seed
        self.probe = _Pool(probes, random.Random(seed + 1))
        self.background = _Pool(
            [p for p in populated if p.id not in chosen],
            random.Random(seed + 2),
        )
        # How articles name a place: its name when that name resolves to it, else its id.
        self._names = {
            p.id: p.name if (found := gazetteer.resolve(p.name)) and found.id == p.id else p.id
            for p in populated
        }
        self._known: set[UUID] = set()
        self._numbers = itertools.count()
        self.claims = 0

    def articles(self, pool: _Pool, section: str) -> Iterator[ArticleSpec]:
        """Articles without end, their claims about the pool's places."""
        while True:
            yield self._article(pool, section)

    def queries(self, count: int) -> list[tuple[str, date]]:
        """(probe place id, as-of date) pairs over the whole span, seeded."""
        rng = random.Random(self.seed + 3)
        return [
            (
                rng.choice(self.probe.places).id,
                EPOCH + timedelta(days=rng.randrange(SPAN_DAYS + 30)),
            )
            for _ in range(count)
        ]

    def _article(self, pool: _Pool, section: str) -> ArticleSpec:
        rng = pool.rng
        number = next(self._numbers)
        published = EPOCH + timedelta(days=rng.randrange(SPAN_DAYS))
        retired: list[UUID] = []
        before = self.claims
        mentions = [self._mention(pool, published, retired) for _ in range(rng.randint(2, 5))]
        rejections = [
            _rejection(rng, index, m, published)
            for index, m in enumerate(mentions)
            if rng.random() < CONTEST
        ]
        statements = [_said(rng, m) for m in mentions] + [_denied(r) for r in rejections]
        outlet = rng.choice(_OUTLETS)
        return ArticleSpec(
            url=f"https://{outlet}/{section}/{number}",
            outlet=outlet,
            published_on=published,
            title=f"Fighting around {mentions[0].place_name}",
            body=_body(rng, statements),
            mentions=tuple(mentions),
            rejections=tuple(rejections),
            retired=tuple(retired),
            new_claims=self.claims - before,
        )

    def _mention(self, pool: _Pool, published: date, retired: list[UUID]) -> Mention:
        rng = pool.rng
        if rng.random() < CORROBORATE:
            recent = [
                kept
                for days in range(3)
                for kept in pool.kept.get(published - timedelta(days=days), ())
            ]
            if recent:
                proposition, claim_id = rng.choice(recent)
                return self._voiced(rng, proposition, claim_id)
        proposition, claim_id = self._new_proposition(pool, published)
        self.claims += 1
        day = pool.kept.setdefault(proposition.claimed_on, [])
        if len(day) < KEPT_PER_DAY:
            day.append((proposition, claim_id))
        else:
            retired.append(claim_id)
        return self._voiced(rng, proposition, claim_id)

    def _new_proposition(self, pool: _Pool, published: date) -> tuple[Proposition, UUID]:
        rng = pool.rng
        while True:
            side = rng.choice((Side.RUSSIA, Side.UKRAINE))
            proposition = Proposition(
                place_id=rng.choice(pool.places).id,
                claimant_side=side,
                actor_side=side,
                kind=rng.choices(_KINDS, _KIND_WEIGHTS)[0],
                extent=None,
                claimed_on=max(EPOCH, published - timedelta(days=rng.randrange(3))),
            )
            claim_id = proposition.claim_id
            if claim_id not in self._known:
                self._known.add(claim_id)
                return proposition, claim_id

    def _voiced(self, rng: random.Random, proposition: Proposition, claim_id: UUID) -> Mention:
        side = proposition.claimant_side
        name = self._names[proposition.place_id]
        return Mention(
            proposition=proposition,
            claim_id=claim_id,
            place_name=name,
            claimant=rng.choice(_CLAIMANTS[side]),
            quote=f"{_FORCES[side]} {_VERBS[proposition.kind]} {name}",
        )


def _rejection(rng: random.Random, index: int, mention: Mention, published: date) -> Rejection:
    side = Side.UKRAINE if mention.proposition.claimant_side is Side.RUSSIA else Side.RUSSIA
    by = rng.choice(_CLAIMANTS[side])
    return Rejection(
        target=index,
        by=by,
        by_side=side,
        contested_on=published,
        quote=f"{by} dismissed the report about {mention.place_name} as invented",
    )


def _said(rng: random.Random, mention: Mention) -> str:
    day = mention.proposition.claimed_on.strftime("%A")
    return f"{mention.claimant} said on {day} that {mention.quote}."


def _denied(rejection: Rejection) -> str:
    return f"Later, {rejection.quote}."


def _body(rng: random.Random, statements: list[str]) -> str:
    """The statements in order, among filler sentences; about 1,500 characters."""
    filler = rng.sample(_FILLER, rng.randint(8, 14))
    total = len(filler) + len(statements)
    slots = set(rng.sample(range(total), len(statements)))
    said, other = iter(statements), iter(filler)
    return " ".join(next(said) if i in slots else next(other) for i in range(total))

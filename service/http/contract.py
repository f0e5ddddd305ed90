"""The words of the API's contract: a description for every property of every schema in the
OpenAPI document, given here in one place and written into the document when the app is
made. A property is described by its schema's own entry when it has one, else by the
glossary's entry for its name; a test checks that none is left without."""

from __future__ import annotations

import inspect
from typing import Any

import msgspec
from litestar.openapi.spec import OpenAPI, Parameter, Reference, Schema

from infra.eventstore.codec import EVENT_TYPES

DESCRIPTION = """Attributed, contested claims about places in war reporting, as of any date.

**Two clocks.** `as_of` is claim time (when a side said something); `known_at` is record time
(when the ledger learned it). An answer at a `known_at` the read models have reached never
changes, and is sent with `Cache-Control: ... immutable`.

**Offsets.** `start` and `end` count Unicode code points of the article's `body` (as Python
indexes a string), `end` exclusive. JavaScript strings count UTF-16 units: evidence also
gives `utf16_start` and `utf16_end`, which slice `body` there (`body.slice(utf16_start,
utf16_end)`). Each quote is given in full beside its offsets.

**Versions.** `info.version` is the service's version (semantic versioning). Within a major
version, answers may gain properties, enumerations may gain values, operations and optional
parameters may be added, and `detail` texts may be reworded; nothing is removed, renamed or
retyped, and no meaning changes. Callers ignore properties they do not know. Before a major
version removes anything, the operations concerned answer with `Deprecation` (RFC 9745) and
`Sunset` (RFC 8594) headers for at least one minor version; none does today.

**Errors** are RFC 9457 problem documents (`application/problem+json`): `type` names the kind
of problem (`/problems/invalid-input`, `/problems/not-found`...; `GET` it for what it means),
`instance` names the request (`urn:uuid:` and its `X-Request-Id`), and `errors` lists each
field or parameter at fault."""

GLOSSARY: dict[str, str] = {
    "actor_side": "whose forces the claim is about: russia, ukraine, third_party or media",
    "aggregate_id": "the id of the article or claim the event belongs to",
    "aliases": "other spellings and scripts the place is known by",
    "article_id": "the id of the article (derived from its URL, or its body without one)",
    "articles": "the articles, in the shape `POST /articles` takes",
    "as_of": "the claim date the answer is as of: claims made on or before it",
    "body": "the article's text",
    "body_sha256": "the SHA-256 of the body as stored, in hex",
    "by": "who did it: a person, a body or an analyst",
    "by_side": "the side of whoever contests the claim",
    "claim_id": "the claim's id, derived from its proposition (place, sides, kind, extent, date)",
    "claim_ids": "the ids of the claims given, in the order given",
    "claimant": "who voiced the claim, as the article names them",
    "claimant_side": "the side the claimant speaks for",
    "claimant_side_alternatives": "other claimant sides an annotator found plausible (gold"
    " files only; not recorded)",
    "claimants": "every distinct voice that carried the claim, in the order heard",
    "claimed_on": "the day the claim was made (claim time)",
    "claimed_window": "the first and last day the claim may have been made on, when the text"
    " does not pin the day down",
    "claims": "the claims",
    "confidence": "how sure the reader is of the claim, from 0 to 1 (1 for an analyst's)",
    "contestations": "the rejections of the claim",
    "contestations_added": "contestations recorded that the ledger did not hold",
    "contested_on": "the day the rejection was voiced",
    "contested_window": "the first and last day the rejection may have been voiced on",
    "contests": "the `id` of the claim in this article that is rejected",
    "contradictions": "the periods in which the two sides' latest claims contradict each other",
    "country": "the country's ISO 3166 code",
    "created": "whether this request recorded something new",
    "database": "whether the database answered",
    "detail": "what went wrong, for people",
    "disputed": "whether Russia's and Ukraine's latest claims cannot both hold, or one side's"
    " latest claim is contested by the other",
    "end": "where the quote ends in the article's body: a code point offset, exclusive",
    "errors": "each field or parameter at fault",
    "events": "the events, in position order",
    "events_appended": "how many events the request appended",
    "evidence": "each standing piece of evidence: an article and voice that carried the claim",
    "existing": "how many of the articles the ledger already held",
    "extent": "for partial_control: the share of the place held, in (0, 1]",
    "extract": "read the body with the extractor when no claims are given (default true)",
    "extractor": "the extractor and version that read the article",
    "field": "the JSON path of the field or the name of the parameter at fault",
    "from": "the first claim date in the answer",
    "id": "the id",
    "instance": "the request this problem occurred in, as `urn:uuid:` and its request id",
    "items": "the page's items",
    "kind": "what the claim says the actor's forces did or hold",
    "kind_alternatives": "other kinds an annotator found plausible (gold files only; not recorded)",
    "known_at": "the record time the answer is as of: never later than the watermark, the"
    " instant up to which the read models hold every event",
    "language": "the article's language, as an ISO 639 code",
    "last_position": "the position of the last event in the store",
    "lat": "latitude in degrees (WGS 84), when known",
    "latest": "each claimant side's latest claim, by side",
    "limit": "the most items a page holds",
    "local_id": "the `id` the claim was given in the request, if any",
    "lon": "longitude in degrees (WGS 84), when known",
    "max_lag_seconds": "the projection lag above which the service is not ready",
    "message": "what is wrong with it",
    "migration": "the database's migration revision",
    "migration_head": "the migration revision this version of the service needs",
    "name": "the place's usual name in English",
    "next_after": "the position to ask from for the next page (`after`)",
    "next_offset": "the offset of the next page; null on the last",
    "note": "an analyst's words, when there is no quote",
    "offset": "how many items come before this page",
    "outlet": "the outlet that published the article",
    "parent": "the id of the region the place lies in",
    "payload": "the event's facts as stored, a JSON object whose shape is given by `type`",
    "place": "the place",
    "place_id": "the gazetteer id of the place",
    "place_name": "the place's name, as the gazetteer gives it",
    "places": "the places",
    "population": "the number of inhabitants, when known",
    "position": "the event's position in the store: unique, and rising with record time",
    "positions": "the positions of the events that make the claim as answered",
    "projection_lag": "events recorded that the slowest projection has not applied",
    "projection_lag_seconds": "how long ago the oldest event not yet projected was recorded",
    "projection_positions": "each projection's last applied position, by projection",
    "projector_following": "whether a projector follows the store",
    "published_on": "the day the article was published",
    "query": "the name asked for",
    "quote": "the words as the article has them",
    "ready": "whether the service can answer well",
    "reason": "why",
    "reasons": "why, in words",
    "recorded": "claims or pieces of evidence recorded",
    "recorded_at": "when the ledger recorded it (record time, UTC)",
    "recorded_by": "who recorded it: an extractor and its version, or `analyst`",
    "required": "whether the gold annotation marks the item as required (not recorded)",
    "results": "what became of each article, in the order given",
    "retracted": "pieces of evidence withdrawn",
    "retractions": "the withdrawals of the claim or of one article's evidence for it",
    "review": "`confirmed` once an analyst confirmed the evidence, as known then (what an"
    " analyst recorded is confirmed when recorded); `unreviewed` until then",
    "reviewed_at": "when the evidence was confirmed; null when unreviewed",
    "reviewed_by": "who confirmed the evidence; null when unreviewed or recorded by an analyst",
    "score": "how well the name matches, from 0 to 1",
    "side": "the side of whoever contested the claim",
    "sides": "each claimant side's claims, in claim-time order",
    "sources": "how many distinct articles carry the claim",
    "start": "where the quote starts in the article's body: a code point offset",
    "state": "how the place stands: disputed, contested, held, claimed or withdrawn",
    "status": "the claim's status then: asserted, contested or retracted",
    "summary": "each side's latest claim, and whether the sides dispute the place",
    "title": "the article's title",
    "to": "the last claim date in the answer",
    "total": "how many items there are in all",
    "type": "the event's type",
    "url": "the article's URL",
    "utf16_end": "where the quote ends in the body counted in UTF-16 code units, as JavaScript"
    " indexes strings (exclusive)",
    "utf16_start": "where the quote starts in the body counted in UTF-16 code units, as"
    " JavaScript indexes strings",
    "verdict": "`confirmed` or `rejected`",
    "version": "the aggregate's version this event made",
}
"""What a property of a given name means, wherever its schema does not say otherwise."""

SPECIFIC: dict[tuple[str, str], str] = {
    ("ArticleBatchIn", "articles"): "up to 500 articles, recorded in one transaction",
    ("ArticleClaimsIn", "claims"): "the analyst's claims, in the shape `POST /articles` takes",
    ("ArticleClaimsIn", "contestations"): "the analyst's contestations of these claims or of"
    " stored ones",
    ("ArticleClaimsResult", "position"): "the position of the write's last event (0 when it"
    " appended none): pass it as `min_position` to a read that must see this write",
    ("ArticleClaimsResult", "recorded"): "claims recorded, or evidence from this article added"
    " to claims already held",
    ("ArticleIn", "claims"): "the claims found in the article; leave out to have the"
    " extractor read it",
    ("ArticleIn", "contestations"): "rejections voiced in the article, of its claims or of"
    " stored ones",
    ("ArticleOut", "body"): "the article's text; null when withheld: with"
    " `CLAIMLEDGER_BODIES=keyed` (the default) bodies go only to callers that present a key",
    ("ArticleOut", "id"): "the article's id",
    ("ArticleOut", "position"): "the position of the event that recorded the article",
    ("BatchResult", "created"): "how many of the articles were new",
    ("BatchResult", "position"): "the position of the write's last event (0 when it appended none)",
    ("ClaimIn", "id"): "a name for the claim within this request, for contestations to cite",
    ("ClaimIn", "note"): "an annotator's note (gold files only; not recorded)",
    ("ClaimIn", "place"): "the place, by gazetteer id or by any of its names",
    ("ClaimIn", "quote"): "the words of the claim as the body has them (found in it)",
    ("ClaimOut", "id"): "the claim's id, derived from its proposition",
    ("ClaimOut", "kind"): "what the claim says the actor's forces did or hold",
    ("ClaimOut", "position"): "the position of the event that recorded the claim",
    ("ClaimOut", "recorded_at"): "when the claim was first recorded (UTC)",
    ("ClaimRef", "id"): "the claim's id",
    ("ContestResult", "position"): "the position of the write's event (0 when it appended none)",
    ("ContestationCreate", "article_id"): "the stored article the rejection is quoted from",
    ("ContestationCreate", "by"): "who rejects the claim",
    ("ContestationCreate", "quote"): "the rejection's words, found in the article",
    ("ContestationIn", "by"): "who rejects the claim",
    ("ContestationIn", "id"): "a name for the contestation within this request",
    ("ContestationIn", "note"): "an annotator's note (gold files only; not recorded)",
    ("ContestationIn", "quote"): "the rejection's words as the body has them",
    ("ContestationOut", "article_id"): "the article the rejection is quoted from, if any",
    ("ContestationOut", "by"): "who rejected the claim",
    ("ContestationOut", "position"): "the position of the event that recorded the rejection",
    ("ContradictionOut", "end"): "the day the contradiction ends; null while it lasts",
    ("ContradictionOut", "start"): "the day the contradiction begins",
    ("EventOut", "position"): "the event's position in the store",
    ("EvidenceOut", "position"): "the position of the event that recorded this evidence",
    ("EvidenceOut", "recorded_at"): "when this evidence was recorded (UTC)",
    ("EvidenceOut", "title"): "the title of the article the evidence is in",
    ("EvidenceOut", "url"): "the URL of the article the evidence is in",
    ("Health", "status"): "`ok` while the process serves",
    ("IngestResult", "claims"): "the claims given or found, with their ids",
    ("IngestResult", "created"): "whether the article was new",
    ("IngestResult", "position"): "the position of the write's last event (0 when it appended"
    " none)",
    ("LatestClaim", "status"): "asserted, or contested by then",
    ("PlaceClaims", "claims"): "the page's claims, oldest first",
    ("PlaceClaims", "place"): "the place asked about",
    ("PlaceClaims", "total"): "how many claims about the place were made by `as_of`",
    ("PlaceHit", "place"): "a place matching the name",
    ("PlaceOut", "id"): "the gazetteer id: `geonames:<id>` or `katottg:<code>`",
    ("PlaceOut", "kind"): "what kind of place it is",
    ("PlaceSearch", "places"): "places for the name, best first",
    ("PlaceStanding", "claims"): "how many claims about the place were made by `as_of`",
    ("PlaceStanding", "place"): "the place",
    ("PlaceTimeline", "place"): "the place asked about",
    ("PlacesAsOf", "places"): "the page's places, by id",
    ("PlacesAsOf", "total"): "how many places have claims by `as_of`",
    ("Problem", "status"): "the HTTP status",
    ("Problem", "title"): "the status's name",
    ("Problem", "type"): "the kind of problem: `/problems/<kind>`, a page of this service that"
    " says what it means",
    ("ProblemType", "description"): "what the kind of problem means, and what to do",
    ("ProblemType", "type"): "the kind, as problem documents name it",
    ("Readiness", "ready"): "whether the database answers, migrations are at head, a"
    " projector follows and the lag is within bounds",
    ("ReextractResult", "position"): "the position of the write's last event (0 when it"
    " appended none)",
    ("ReextractResult", "recorded"): "claims or evidence the new reading recorded",
    ("RetractResult", "position"): "the position of the write's event (0 when it appended none)",
    ("RetractionCreate", "article_id"): "withdraw only what this article gave for the claim",
    ("RetractionCreate", "by"): "who withdraws it",
    ("RetractionCreate", "reason"): "why it is withdrawn",
    ("RetractionOut", "article_id"): "the article whose evidence was withdrawn; null when the"
    " whole claim was",
    ("RetractionOut", "by"): "who withdrew it",
    ("RetractionOut", "position"): "the position of the withdrawal's event",
    ("RetractionOut", "reason"): "why it was withdrawn",
    ("ReviewCreate", "article_id"): "the article whose evidence is reviewed; may be left out"
    " when one article gives the claim's standing evidence",
    ("ReviewCreate", "by"): "who reviews",
    ("ReviewCreate", "reason"): "why: needed to reject",
    ("ReviewItem", "position"): "the position of the event that recorded this evidence",
    ("ReviewItem", "recorded_at"): "when this evidence was recorded (UTC)",
    ("ReviewQueue", "items"): "evidence awaiting review, least confident first",
    ("ReviewResult", "article_id"): "the article whose evidence was reviewed",
    ("ReviewResult", "position"): "the position of the write's event (0 when it appended"
    " none): pass it as `min_position` to a read that must see it",
    ("Summary", "latest"): "each claimant side's latest claim, by side",
}
"""What a property means in one schema, where the glossary's word for its name would not do."""

EVENTS = tuple(EVENT_TYPES.values())
"""The event types an event's `payload` may be, each under its own name as `type` says."""

_EVENT_SPECIFIC: dict[tuple[str, str], str] = {
    ("ArticleIngested", "body"): "the article's text; null when withheld from a caller"
    " without a key (`CLAIMLEDGER_BODIES=keyed`)",
    ("ClaimRecorded", "evidence"): "where the claim was read",
    ("ClaimCorroborated", "evidence"): "where the claim was read again",
    ("ClaimContested", "evidence"): "where the rejection was read, if in an article",
    ("ClaimRetracted", "article_id"): "the article whose evidence is withdrawn; null for all",
    ("ClaimReviewed", "article_id"): "the article whose evidence an analyst confirmed",
    ("ClaimReviewed", "note"): "the analyst's words, if any",
    ("DateWindow", "start"): "the first day",
    ("DateWindow", "end"): "the last day",
    ("Evidence", "start"): "where the quote starts in the body: a code point offset",
    ("Evidence", "end"): "where the quote ends in the body: a code point offset, exclusive",
}


_CLAIM = "6f1c5c9e-3c1f-5b8e-9d1a-2f0c4b8e7a11"
_ARTICLE = "0b8f4c62-8e0a-5b43-a1d3-57b2c4f0e9d8"
EXAMPLES: dict[str, dict[str, Any]] = {
    "ArticleIn": {
        "url": "https://example.org/kupiansk",
        "outlet": "example.org",
        "language": "en",
        "published_on": "2025-11-21",
        "title": "Moscow claims Kupiansk",
        "body": "Moscow said its troops took full control of Koupiansk.",
        "claims": [
            {
                "id": "c1",
                "place": "Koupiansk",
                "claimant": "Russian MoD",
                "claimant_side": "russia",
                "actor_side": "russia",
                "kind": "control",
                "claimed_on": "2025-11-20",
                "quote": "its troops took full control of Koupiansk",
            }
        ],
    },
    "ContestationCreate": {
        "by": "General Staff of Ukraine",
        "by_side": "ukraine",
        "contested_on": "2025-11-21",
        "note": "the General Staff said the town is held",
    },
    "RetractionCreate": {"reason": "misread: the outlet's own words", "by": "Olena"},
    "ReviewCreate": {"verdict": "rejected", "by": "Olena", "reason": "a report, not a claim"},
    "ReviewResult": {
        "claim_id": _CLAIM,
        "article_id": _ARTICLE,
        "verdict": "rejected",
        "created": True,
        "position": 48,
    },
    "Problem": {
        "title": "Invalid input",
        "status": 422,
        "type": "/problems/invalid-input",
        "detail": "the request is not valid",
        "instance": "urn:uuid:4d3c9a52-2f7e-4b8e-9b71-0b5f7d4f0c2a",
        "errors": [{"field": "claims[0].place", "message": "no place is known as 'Atlantis'"}],
    },
}
"""An example of some schemas, as a caller would send or receive it."""


def add_examples(document: dict[str, Any]) -> None:
    """Give the schemas their example (in the document as Litestar wrote it out)."""
    schemas = document["components"]["schemas"]
    for name, example in EXAMPLES.items():
        schemas[name]["examples"] = [example]


def add_event_payloads(document: dict[str, Any]) -> None:
    """Type the event feed's `payload` in the document (as Litestar wrote it out): one of
    the event types, each a schema of its own, which the event's `type` names."""
    refs, found = msgspec.json.schema_components(EVENTS, ref_template="#/components/schemas/{name}")
    schemas = document["components"]["schemas"]
    for name, schema in found.items():
        if name in schemas:  # the vocabulary's enumerations, already there
            continue
        schema.pop("title", None)
        if "description" in schema:
            schema["description"] = inspect.cleandoc(schema["description"])
        for prop, held in schema.get("properties", {}).items():
            words = _EVENT_SPECIFIC.get((name, prop)) or GLOSSARY.get(prop, "")
            held.setdefault("description", _sentence(words))
        schemas[name] = schema
    body = schemas["ArticleIngested"]["properties"]["body"]
    schemas["ArticleIngested"]["properties"]["body"] = {
        "anyOf": [{"type": "string"}, {"type": "null"}],
        "description": body["description"],
    }
    payload = schemas["EventOut"]["properties"]["payload"]
    # anyOf, not oneOf: the types share fields, so one payload may fit several shapes.
    schemas["EventOut"]["properties"]["payload"] = {
        "anyOf": refs,
        "description": payload.get("description", ""),
    }


PARAMETERS: dict[str, str] = {
    "after": "only events after this position (0: from the first)",
    "article_id": "the article's id",
    "claim_id": "the claim's id",
    "include": "`descendants`: the place's claims and those of every place within it",
    "kind": "a kind of problem, as a problem document's `type` names it",
    "limit": "the most items the page holds",
    "offset": "how many items to skip before the page",
    "place_id": "the place's gazetteer id (or, leniently, a name)",
    "q": "a place name, in any spelling or script",
}
"""What a parameter of a given name means, wherever its operation does not say."""


def describe(document: OpenAPI) -> list[str]:
    """Give each parameter and each property of the document's schemas its description,
    unless it has one; return the `Schema.property` names left without."""
    # Docstrings become descriptions: cleaned as Python 3.13 cleans them itself, so that
    # the document is the same whichever Python makes it.
    for item in (document.paths or {}).values():
        for operation in (item.get, item.put, item.post, item.delete, item.patch, item.head):
            if operation and operation.description:
                operation.description = inspect.cleandoc(operation.description)
            for parameter in (operation.parameters or []) if operation else []:
                words = PARAMETERS.get(getattr(parameter, "name", ""))
                if words and isinstance(parameter, Parameter) and not parameter.description:
                    parameter.description = _sentence(words)
    schemas = document.components.schemas if document.components else None
    missing = []
    for name, schema in (schemas or {}).items():
        if schema.description:
            schema.description = inspect.cleandoc(schema.description)
        for prop, held in (schema.properties or {}).items():
            words = SPECIFIC.get((name, prop)) or GLOSSARY.get(prop)
            if words is None:
                if not _described(held):
                    missing.append(f"{name}.{prop}")
                continue
            _set(held, words)
    return missing


def _described(held: Any) -> bool:
    return isinstance(held, Schema | Reference) and bool(held.description)


def _set(held: Schema | Reference, words: str) -> None:
    # OpenAPI 3.1 lets a reference carry a description beside it, which overrides the
    # referenced schema's in that place.
    if not held.description:
        held.description = _sentence(words)


def _sentence(words: str) -> str:
    """A glossary entry as the document's description: capitalised, with a full stop."""
    return words[0].upper() + words[1:] + "." if words else ""

"""The SQL that answers claim queries in one statement, claims rendered as JSON documents,
and the SQL that stores each claim's current document.

An answer's claims are numbered in answer order by `n`, as of a record time: the one asked
for, or the statement's start by the database's clock (the clock that stamps events). A
claim whose stored document is the answer (`_answer`) is sent as stored; the others,
`chosen`, are rendered on the spot, by the same SQL that renders the stored documents
(`STORE`, `STORE_ALL`, with an infinite record time and date). `_documents` fetches the
chosen claims' standing evidence, contestations and retractions in one pass each and builds
each claim's JSON in the shape of the API's `ClaimOut`.

A claim's rows in the three child tables carry its version as `seq`: one event per
version, stored in version order, so versions and positions rise together. Ordering a
claim's parts by `seq` therefore gives each list in its own order and the positions
sorted. Only the claim's own position repeats: it is the position of its first evidence.

JSON is concatenated from text, several times cheaper in PostgreSQL than
`json_build_object`: text and dates through `to_json` (escaped; ISO 8601 whatever the
session's DateStyle), instants the same way in UTC with a `Z` (whatever the session's
TimeZone, so that stored documents and those rendered on the fly spell them alike),
numbers and ids as they print.

An answer is bounded in claims (a page of place claims holds at most its `limit`), not in
evidence: each claim carries all of its standing evidence, contestations and retractions,
as the API has always answered. A timeline holds every claim of its date range.

The statements take numbered parameters (`Statement.names` gives their order), so that
psycopg sends them as they are instead of parsing several kilobytes of SQL each time.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Statement:
    """SQL with numbered parameters, and the names of the parameters in order."""

    sql: str
    names: tuple[str, ...]


def _numbered(sql: str, *names: str) -> Statement:
    for number, name in enumerate(names, 1):
        sql = sql.replace(f"%({name})s", f"${number}")
    assert "%(" not in sql, "a parameter without a number"
    return Statement(sql, names)


def _text(expression: str) -> str:
    """The JSON text of a value that is never NULL, rendered by `to_json`."""
    return f"to_json({expression})::text"


def _instant(expression: str) -> str:
    """The JSON text of an instant that is never NULL, in UTC."""
    return f"rtrim(to_json({expression} AT TIME ZONE 'UTC')::text, '\"') || 'Z\"'"


def _nullable(expression: str) -> str:
    """The JSON text of a value, `null` for NULL."""
    return f"coalesce(to_json({expression})::text, 'null')"


def _number(expression: str) -> str:
    return f"{expression}::text"


def _id(expression: str) -> str:
    return f"'\"' || {expression}::text || '\"'"


def _window(start: str, end: str) -> str:
    return (
        f"CASE WHEN {start} IS NOT NULL AND {end} IS NOT NULL"
        f" THEN '[' || {_text(start)} || ',' || {_text(end)} || ']' ELSE 'null' END"
    )


def _members(*fields: tuple[str, str]) -> str:
    """SQL text spelling `"key":value,...` for (key, JSON text SQL) pairs."""
    return " || ".join(
        f"'{',' if i else ''}\"{key}\":' || {value}" for i, (key, value) in enumerate(fields)
    )


def _object(*fields: tuple[str, str]) -> str:
    return f"('{{' || {_members(*fields)} || '}}')"


WATERMARK = """(SELECT coalesce(max(e.recorded_at), 'epoch'::timestamptz)
    FROM stored_events e WHERE e.notification_id = (
        SELECT t.position FROM projection_tracking t WHERE t.projection = 'claims'))"""
"""The instant up to which the claims' read models are complete: the record time of the last
event the claims projection applied (the epoch before any). Events are recorded in position
order under the store's table lock, so every event recorded by then is applied, and every
event recorded later, committed or not yet, was recorded after it."""

_ASKED = f"""known AS MATERIALIZED (
    SELECT least(%(known_at)s::timestamptz, {WATERMARK}) AS at
)"""
"""The record time an answer is as of: the one asked for, but never past the watermark, so
the same question asked again at the answer's instant has the same answer. Worked out once
an answer, in the first CTE of each statement; `_KNOWN_AT` reads it."""

_KNOWN_AT = "(SELECT at FROM known)"


def _standing(alias: str, reviewed: bool = False) -> str:
    """Evidence standing at the record time: recorded by then, not yet withdrawn (and, when
    only `reviewed` evidence is asked for, confirmed by then)."""
    standing = (
        f"{alias}.recorded_at <= {_KNOWN_AT}"
        f" AND ({alias}.retracted_at IS NULL OR {alias}.retracted_at > {_KNOWN_AT})"
    )
    return f"{standing} AND {_confirmed(alias)}" if reviewed else standing


def _confirmed(alias: str) -> str:
    """Evidence confirmed by the record time: reviewed by then, or recorded by an analyst
    (whose evidence the claims projection marks reviewed when it is recorded)."""
    return f"{alias}.reviewed_at <= {_KNOWN_AT}"


_ASKED_CLAIMS = """(cardinality(%(sides)s::text[]) = 0 OR c.claimant_side = ANY(%(sides)s::text[]))
      AND (cardinality(%(kinds)s::text[]) = 0 OR c.kind = ANY(%(kinds)s::text[]))
      AND c.confidence >= %(min_confidence)s::float8"""
"""The claims (alias `c`) of the sides, kinds and confidence asked (every side and kind
when none are given)."""


def standing_claim(claim: str, now: bool = False, reviewed: bool = False) -> str:
    """A claim (table alias `claim`) that stands at the answer's record time, or `now`: one
    with no retraction by then, or with some evidence standing then. A claim is recorded
    with its first evidence and only a retraction withdraws evidence, so the evidence is
    looked at only for the few claims with a retraction. Asked only for `reviewed` evidence,
    a claim stands when some confirmed evidence does. The one definition of a standing
    claim, for the statements and for the place cache."""
    if reviewed:
        return (
            f"EXISTS (SELECT FROM claim_evidence e WHERE e.claim_id = {claim}.id"
            f" AND {_standing('e', reviewed=True)})"
        )
    if now:
        retracted, evidence = "", "e.retracted_at IS NULL"
    else:
        retracted, evidence = f" AND r.recorded_at <= {_KNOWN_AT}", _standing("e")
    return (
        f"(NOT EXISTS (SELECT FROM claim_retractions r WHERE r.claim_id = {claim}.id{retracted})"
        f" OR EXISTS (SELECT FROM claim_evidence e WHERE e.claim_id = {claim}.id AND {evidence}))"
    )


# Claims about the places made by `as_of`, recorded by the record time, with standing
# evidence then, of the given sides and kinds (all when none are given), in answer order:
# read from the index `claims_listing` alone, which holds every column used here.
def _listed(reviewed: bool) -> str:
    return f"""listed AS MATERIALIZED (
    SELECT c.id, c.claimed_on, c.position, c.claimant_side, c.actor_side, c.kind,
           row_number() OVER (ORDER BY c.claimed_on, c.position) AS n
    FROM claims c
    WHERE c.place_id = ANY(%(places)s::text[]) AND c.claimed_on <= %(as_of)s::date
      AND c.recorded_at <= {_KNOWN_AT}
      AND {_ASKED_CLAIMS}
      AND {standing_claim("c", reviewed=reviewed)}
)"""


_HEAD = _members(
    ("id", _id("c.id")),
    ("place_id", _text("c.place_id")),
    ("claimant_side", _text("c.claimant_side")),
    ("actor_side", _text("c.actor_side")),
    ("kind", _text("c.kind")),
    ("extent", _nullable("c.extent")),
    ("claimed_on", _text("c.claimed_on")),
    ("claimed_window", _window("c.window_start", "c.window_end")),
    ("confidence", _number("c.confidence")),
    ("recorded_at", _instant("c.recorded_at")),
    ("position", _number("c.position")),
)


# A UTF-16 offset: the code point offset plus the characters before it that UTF-16 writes
# as two units (`claim_sources.astral`, NULL when the body has none).
def _utf16(offset: str) -> str:
    return (
        f"({offset} + coalesce((SELECT count(*) FROM unnest(a.astral) p"
        f" WHERE p < {offset}), 0))::text"
    )


_EVIDENCE = _object(
    ("article_id", _id("e.article_id")),
    ("outlet", _nullable("a.outlet")),
    ("published_on", _nullable("a.published_on")),
    ("url", _nullable("a.url")),
    ("title", _nullable("a.title")),
    ("claimant", _text("e.claimant")),
    ("quote", _text("e.quote")),
    ("start", _number("e.start_offset")),
    ("end", _number("e.end_offset")),
    ("utf16_start", _utf16("e.start_offset")),
    ("utf16_end", _utf16("e.end_offset")),
    ("recorded_by", _text("e.recorded_by")),
    ("recorded_at", _instant("e.recorded_at")),
    ("position", _number("e.position")),
    (
        "review",
        f"CASE WHEN {_confirmed('e')} THEN '\"confirmed\"' ELSE '\"unreviewed\"' END",
    ),
    (
        "reviewed_by",
        f"CASE WHEN {_confirmed('e')} THEN {_nullable('e.reviewed_by')} ELSE 'null' END",
    ),
    (
        "reviewed_at",
        f"CASE WHEN {_confirmed('e')} THEN {_instant('e.reviewed_at')} ELSE 'null' END",
    ),
)
_CONTESTATION = _object(
    ("by", _text("k.by_name")),
    ("side", _text("k.by_side")),
    ("contested_on", _text("k.contested_on")),
    ("contested_window", _window("k.window_start", "k.window_end")),
    ("quote", _nullable("k.quote")),
    ("article_id", _nullable("k.article_id")),
    ("note", _nullable("k.note")),
    ("recorded_at", _instant("k.recorded_at")),
    ("position", _number("k.position")),
)
_RETRACTION = _object(
    ("article_id", _nullable("r.article_id")),
    ("reason", _text("r.reason")),
    ("by", _text("r.by_name")),
    ("recorded_by", _text("r.recorded_by")),
    ("recorded_at", _instant("r.recorded_at")),
    ("position", _number("r.position")),
)
_CHOSEN_IDS = "ARRAY(SELECT id FROM chosen)"


# Part 0 is the claim itself, 1 its standing evidence (only the confirmed when `reviewed`),
# 2 its contestations made by `as_of`, 3 its retractions; then each claim's parts in
# version order, marked with whether they bring a new position, a new voice, a new source;
# then one document each, settled at its last event or review known then.
def _documents(reviewed: bool = False) -> str:
    return f"""parts AS (
    SELECT c.id AS claim_id, 0 AS seq, 0 AS part, c.n, c.position, c.recorded_at,
           NULL::timestamptz AS reviewed_at, NULL::date AS contested_on,
           NULL::text AS claimant, NULL::uuid AS article_id, {_HEAD} AS item
    FROM chosen c
    UNION ALL
    SELECT e.claim_id, e.seq, 1, NULL, e.position, e.recorded_at,
           CASE WHEN {_confirmed("e")} THEN e.reviewed_at END, NULL, e.claimant,
           e.article_id, {_EVIDENCE}
    FROM claim_evidence e LEFT JOIN claim_sources a ON a.article_id = e.article_id
    WHERE e.claim_id = ANY({_CHOSEN_IDS}) AND {_standing("e", reviewed)}
    UNION ALL
    SELECT k.claim_id, k.seq, 2, NULL, k.position, k.recorded_at, NULL, k.contested_on, NULL,
           NULL, {_CONTESTATION}
    FROM claim_contestations k
    WHERE k.claim_id = ANY({_CHOSEN_IDS})
      AND k.contested_on <= %(as_of)s::date AND k.recorded_at <= {_KNOWN_AT}
    UNION ALL
    SELECT r.claim_id, r.seq, 3, NULL, r.position, r.recorded_at, NULL, NULL, NULL, NULL,
           {_RETRACTION}
    FROM claim_retractions r
    WHERE r.claim_id = ANY({_CHOSEN_IDS}) AND r.recorded_at <= {_KNOWN_AT}
), marked AS (
    SELECT claim_id, part, n, position, recorded_at, reviewed_at, contested_on, item, claimant,
           position IS DISTINCT FROM lag(position) OVER in_order AS new_position,
           part = 1 AND claimant <> ALL(coalesce(
               array_agg(claimant) FILTER (WHERE part = 1) OVER before, '{{}}')) AS new_voice,
           part = 1 AND article_id <> ALL(coalesce(
               array_agg(article_id) FILTER (WHERE part = 1) OVER before, '{{}}')) AS new_source
    FROM parts
    WINDOW in_order AS (PARTITION BY claim_id ORDER BY seq),
           before AS (in_order ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
), documents AS (
    SELECT claim_id, max(n) AS n, greatest(max(recorded_at), max(reviewed_at)) AS settled_at,
           max(contested_on) AS contested_until, concat(
        '{{', string_agg(item, '') FILTER (WHERE part = 0),
        ',"claimants":[', string_agg(to_json(claimant)::text, ',') FILTER (WHERE new_voice),
        '],"sources":', count(*) FILTER (WHERE new_source),
        ',"status":', CASE WHEN count(*) FILTER (WHERE part = 1) = 0 THEN '"retracted"'
                           WHEN count(*) FILTER (WHERE part = 2) > 0 THEN '"contested"'
                           ELSE '"asserted"' END,
        ',"evidence":[', string_agg(item, ',') FILTER (WHERE part = 1),
        '],"contestations":[', string_agg(item, ',') FILTER (WHERE part = 2),
        '],"retractions":[', string_agg(item, ',') FILTER (WHERE part = 3),
        '],"positions":[', string_agg(position::text, ',') FILTER (WHERE new_position),
        ']}}') AS document
    FROM marked GROUP BY claim_id
)"""


# The claims an answer holds, `selection` (with each one's place `n` in the answer), each
# with its stored document when that document is the answer: it took in every event about
# the claim recorded by the record time, and no contestation dated after `as_of`. Only the
# others, `chosen`, are read in full and rendered from their parts.
# A stored document holds all the standing evidence, so an answer asking only for the
# `reviewed` evidence renders every claim.
def _answer(selection: str, reviewed: bool = False) -> str:
    stored = (
        f"SELECT s.*, NULL::text AS stored FROM ({selection}) s"
        if reviewed
        else f"""SELECT s.*, d.document AS stored
    FROM ({selection}) s LEFT JOIN claim_documents d
      ON d.claim_id = s.id AND d.settled_at <= {_KNOWN_AT}
     AND (d.contested_until IS NULL OR d.contested_until <= %(as_of)s::date)"""
    )
    return f"""answer AS MATERIALIZED (
    {stored}
), chosen AS MATERIALIZED (
    SELECT c.*, a.n FROM answer a JOIN claims c ON c.id = a.id WHERE a.stored IS NULL
), {_documents(reviewed)}"""


_RENDERED = """(SELECT concat('[', string_agg(document, ',' ORDER BY n), ']') FROM (
    SELECT n, stored AS document FROM answer WHERE stored IS NOT NULL
    UNION ALL
    SELECT n, document FROM documents) rendered)"""

# The claims made on each claimant side's latest day (the summary's candidates), with the
# sides that had contested each by `as_of`; sides in the order they first spoke, as the
# summary lists them.
_LATEST = f"""(SELECT coalesce(json_agg(json_build_array(
        l.id, l.claimant_side, l.actor_side, l.kind, l.claimed_on, l.position,
        (SELECT coalesce(json_agg(DISTINCT k.by_side), '[]') FROM claim_contestations k
         WHERE k.claim_id = l.id AND k.contested_on <= %(as_of)s::date
           AND k.recorded_at <= {_KNOWN_AT})) ORDER BY s.first_n, l.n), '[]')::text
    FROM listed l JOIN (
        SELECT claimant_side, max(claimed_on) AS last_day, min(n) AS first_n
        FROM listed GROUP BY claimant_side
    ) s ON s.claimant_side = l.claimant_side AND s.last_day = l.claimed_on)"""

_STATES = """(SELECT coalesce(json_agg(json_build_array(
        l.id, l.claimant_side, l.actor_side, l.kind, l.claimed_on, l.position) ORDER BY l.n),
        '[]')::text
    FROM listed l)"""


def _place_claims(reviewed: bool) -> Statement:
    page = "SELECT * FROM listed WHERE n > %(offset)s AND n <= %(offset)s + %(limit)s"
    return _numbered(
        f"""WITH {_ASKED}, {_listed(reviewed)},
{_answer(page, reviewed)}
SELECT {_KNOWN_AT}, (SELECT count(*) FROM listed), {_LATEST}, {_RENDERED}""",
        "places",
        "as_of",
        "known_at",
        "sides",
        "kinds",
        "limit",
        "offset",
        "min_confidence",
    )


PLACE_CLAIMS = {reviewed: _place_claims(reviewed) for reviewed in (False, True)}
"""One row: the record time, how many claims, the summary's candidates, the page; of the
standing evidence, or (at True) of the confirmed evidence alone."""


def _timeline(reviewed: bool) -> Statement:
    since = "SELECT * FROM listed WHERE %(start)s::date IS NULL OR claimed_on >= %(start)s::date"
    return _numbered(
        f"""WITH {_ASKED}, {_listed(reviewed)},
{_answer(since, reviewed)}
SELECT {_KNOWN_AT}, {_STATES}, {_RENDERED}""",
        "places",
        "as_of",
        "known_at",
        "sides",
        "kinds",
        "start",
        "min_confidence",
    )


TIMELINE = {reviewed: _timeline(reviewed) for reviewed in (False, True)}
"""One row: the record time, the state of every claim by `as_of`, those from `start`; of
the standing evidence, or (at True) of the confirmed evidence alone."""

_ONE = f"SELECT id, 1 AS n FROM claims WHERE id = %(claim_id)s AND recorded_at <= {_KNOWN_AT}"

CLAIM = _numbered(
    f"""WITH {_ASKED}, {_answer(_ONE)}
SELECT {_KNOWN_AT}, {_RENDERED}""",
    "claim_id",
    "as_of",
    "known_at",
)
"""One row: the record time and the claim, if recorded by then, in a JSON array."""


def _stored(chosen: str, documents: str, replace: bool) -> str:
    sql = f"""WITH chosen AS MATERIALIZED ({chosen}), {documents}
INSERT INTO claim_documents (claim_id, document, settled_at, contested_until)
SELECT claim_id, document, settled_at, contested_until FROM documents"""
    if replace:
        sql += """
ON CONFLICT (claim_id) DO UPDATE SET document = excluded.document,
    settled_at = excluded.settled_at, contested_until = excluded.contested_until"""
    # A stored document holds everything: the projection renders it in the transaction that
    # moves the watermark, so it is rendered for any record time, not as of the watermark.
    return (
        sql.replace(_KNOWN_AT, "'infinity'::timestamptz")
        .replace("%(as_of)s", "'infinity'")
        .replace("%(known_at)s", "'infinity'")
    )


STORE = _stored(
    "SELECT c.*, 0 AS n FROM claims c WHERE c.id = ANY(%(claims)s::uuid[])", _documents(), True
)
"""Store the current document of each claim in `claims` (a uuid list): everything recorded
about it, every contestation whatever its date, with when it was last changed (`settled_at`)
and the date of its latest contestation (`contested_until`)."""

STORE_ALL = _stored(
    "SELECT c.*, 0 AS n FROM claims c",
    _documents().replace(f"= ANY({_CHOSEN_IDS})", "IS NOT NULL"),
    False,
)
"""Store the current document of every claim into an empty `claim_documents`, reading each
table whole rather than probing it claim by claim: how a rebuild renders them all once, at
its end. Plain inserts: with no row to replace, checking for one is a fifth of the cost."""


# Every place's standing claims made by `as_of` as known at the record time (the filters of
# `_listed`, over all places), numbered per place in answer order.
def _every_listed(reviewed: bool) -> str:
    return f"""listed AS MATERIALIZED (
    SELECT c.id, c.place_id, c.claimed_on, c.position, c.claimant_side, c.actor_side, c.kind,
           row_number() OVER (PARTITION BY c.place_id ORDER BY c.claimed_on, c.position) AS n,
           count(*) OVER (PARTITION BY c.place_id) AS place_claims
    FROM claims c
    WHERE c.claimed_on <= %(as_of)s::date AND c.recorded_at <= {_KNOWN_AT}
      AND {_ASKED_CLAIMS}
      AND {standing_claim("c", reviewed=reviewed)}
), spoke AS MATERIALIZED (
    SELECT place_id, claimant_side, max(claimed_on) AS last_day, min(n) AS first_n
    FROM listed GROUP BY place_id, claimant_side
)"""


# Per place: how many claims, and the summary's candidates as `_LATEST` gives them, in one
# grouping (read statements run with generic plans, which estimate a CTE at one row: a join
# of two groupings became a loop that grouped the whole listing once a place).
_EVERY_LATEST = f"""(SELECT coalesce(json_agg(json_build_array(
        c.place_id, c.claims, c.candidates) ORDER BY c.place_id), '[]')::text FROM (
    SELECT l.place_id, max(l.place_claims) AS claims, json_agg(json_build_array(
            l.id, l.claimant_side, l.actor_side, l.kind, l.claimed_on, l.position,
            (SELECT coalesce(json_agg(DISTINCT k.by_side), '[]') FROM claim_contestations k
             WHERE k.claim_id = l.id AND k.contested_on <= %(as_of)s::date
               AND k.recorded_at <= {_KNOWN_AT})) ORDER BY f.first_n, l.n) AS candidates
    FROM listed l JOIN spoke f ON f.place_id = l.place_id
     AND f.claimant_side = l.claimant_side AND f.last_day = l.claimed_on
    GROUP BY l.place_id) c)"""

# Places whose claims made by `as_of` (of the sides, kinds and confidence asked) were all
# withdrawn by the record time. Asked only for confirmed evidence, a place without any is
# left out, not withdrawn: most of its claims may simply not be reviewed yet.
_EVERY_WITHDRAWN = f"""(SELECT coalesce(json_agg(w.place_id), '[]')::text FROM (
    SELECT c.place_id FROM claims c
    WHERE c.claimed_on <= %(as_of)s::date AND c.recorded_at <= {_KNOWN_AT}
      AND {_ASKED_CLAIMS}
    EXCEPT SELECT place_id FROM spoke) w)"""


def _every_place_as_of(reviewed: bool) -> Statement:
    withdrawn = "'[]'" if reviewed else _EVERY_WITHDRAWN
    return _numbered(
        f"""WITH {_ASKED}, {_every_listed(reviewed)}
SELECT {_KNOWN_AT}, {_EVERY_LATEST}, {withdrawn}""",
        "as_of",
        "known_at",
        "sides",
        "kinds",
        "min_confidence",
    )


EVERY_PLACE_AS_OF = {reviewed: _every_place_as_of(reviewed) for reviewed in (False, True)}
"""One row: the record time; for every place with claims standing then (with confirmed
evidence, at True), how many and the summary's candidates; the places whose claims were all
withdrawn."""

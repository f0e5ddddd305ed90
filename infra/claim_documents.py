"""The SQL that answers claim queries in one statement, claims rendered as JSON documents.

Each statement renders a set of claims, `chosen`, numbered in answer order by `n`, as of a
record time: the one asked for, or the statement's start by the database's clock (the
clock that stamps events). `_DOCUMENTS` fetches the chosen claims' standing evidence,
contestations and retractions in one pass each and builds each claim's JSON in the shape
of the API's `ClaimOut`.

A claim's rows in the three child tables carry its version as `seq`: one event per
version, stored in version order, so versions and positions rise together. Ordering a
claim's parts by `seq` therefore gives each list in its own order and the positions
sorted. Only the claim's own position repeats: it is the position of its first evidence.

JSON is concatenated from text, several times cheaper in PostgreSQL than
`json_build_object`: text, dates and instants through `to_json` (escaped; ISO 8601
whatever the session's DateStyle), numbers and ids as they print.

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


_KNOWN_AT = "coalesce(%(known_at)s::timestamptz, statement_timestamp())"


def _standing(alias: str) -> str:
    """Evidence standing at the record time: recorded by then, not yet withdrawn."""
    return (
        f"{alias}.recorded_at <= {_KNOWN_AT}"
        f" AND ({alias}.retracted_at IS NULL OR {alias}.retracted_at > {_KNOWN_AT})"
    )


# Claims about the places made by `as_of`, recorded by the record time, with standing
# evidence then, of the given sides and kinds (all when none are given), in answer order.
# A claim is recorded with its first evidence, and only a retraction withdraws evidence,
# so a claim with no retraction by then still has that evidence: the evidence is looked
# at only for the few claims with a retraction.
_LISTED = f"""listed AS MATERIALIZED (
    SELECT c.*, row_number() OVER (ORDER BY c.claimed_on, c.position) AS n
    FROM claims c
    WHERE c.place_id = ANY(%(places)s::text[]) AND c.claimed_on <= %(as_of)s::date
      AND c.recorded_at <= {_KNOWN_AT}
      AND (cardinality(%(sides)s::text[]) = 0 OR c.claimant_side = ANY(%(sides)s::text[]))
      AND (cardinality(%(kinds)s::text[]) = 0 OR c.kind = ANY(%(kinds)s::text[]))
      AND (NOT EXISTS (
               SELECT FROM claim_retractions r
               WHERE r.claim_id = c.id AND r.recorded_at <= {_KNOWN_AT})
           OR EXISTS (
               SELECT FROM claim_evidence e WHERE e.claim_id = c.id AND {_standing("e")}))
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
    ("recorded_at", _text("c.recorded_at")),
    ("position", _number("c.position")),
)
_EVIDENCE = _object(
    ("article_id", _id("e.article_id")),
    ("outlet", _nullable("a.outlet")),
    ("published_on", _nullable("a.published_on")),
    ("claimant", _text("e.claimant")),
    ("quote", _text("e.quote")),
    ("start", _number("e.start_offset")),
    ("end", _number("e.end_offset")),
    ("recorded_by", _text("e.recorded_by")),
    ("recorded_at", _text("e.recorded_at")),
    ("position", _number("e.position")),
)
_CONTESTATION = _object(
    ("by", _text("k.by_name")),
    ("side", _text("k.by_side")),
    ("contested_on", _text("k.contested_on")),
    ("contested_window", _window("k.window_start", "k.window_end")),
    ("quote", _nullable("k.quote")),
    ("article_id", _nullable("k.article_id")),
    ("note", _nullable("k.note")),
    ("recorded_at", _text("k.recorded_at")),
    ("position", _number("k.position")),
)
_RETRACTION = _object(
    ("article_id", _nullable("r.article_id")),
    ("reason", _text("r.reason")),
    ("by", _text("r.by_name")),
    ("recorded_by", _text("r.recorded_by")),
    ("recorded_at", _text("r.recorded_at")),
    ("position", _number("r.position")),
)
_CHOSEN_IDS = "ARRAY(SELECT id FROM chosen)"

# Part 0 is the claim itself, 1 its standing evidence, 2 its contestations made by
# `as_of`, 3 its retractions; then each claim's parts in version order, marked with
# whether they bring a new position, a new voice, a new source; then one document each.
_DOCUMENTS = f"""parts AS (
    SELECT c.id AS claim_id, 0 AS seq, 0 AS part, c.n, c.position,
           NULL::text AS claimant, NULL::uuid AS article_id, {_HEAD} AS item
    FROM chosen c
    UNION ALL
    SELECT e.claim_id, e.seq, 1, NULL, e.position, e.claimant, e.article_id, {_EVIDENCE}
    FROM claim_evidence e LEFT JOIN articles a ON a.id = e.article_id
    WHERE e.claim_id = ANY({_CHOSEN_IDS}) AND {_standing("e")}
    UNION ALL
    SELECT k.claim_id, k.seq, 2, NULL, k.position, NULL, NULL, {_CONTESTATION}
    FROM claim_contestations k
    WHERE k.claim_id = ANY({_CHOSEN_IDS})
      AND k.contested_on <= %(as_of)s::date AND k.recorded_at <= {_KNOWN_AT}
    UNION ALL
    SELECT r.claim_id, r.seq, 3, NULL, r.position, NULL, NULL, {_RETRACTION}
    FROM claim_retractions r
    WHERE r.claim_id = ANY({_CHOSEN_IDS}) AND r.recorded_at <= {_KNOWN_AT}
), marked AS (
    SELECT claim_id, part, n, position, item, claimant,
           position IS DISTINCT FROM lag(position) OVER in_order AS new_position,
           part = 1 AND claimant <> ALL(coalesce(
               array_agg(claimant) FILTER (WHERE part = 1) OVER before, '{{}}')) AS new_voice,
           part = 1 AND article_id <> ALL(coalesce(
               array_agg(article_id) FILTER (WHERE part = 1) OVER before, '{{}}')) AS new_source
    FROM parts
    WINDOW in_order AS (PARTITION BY claim_id ORDER BY seq),
           before AS (in_order ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
), documents AS (
    SELECT max(n) AS n, concat(
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

_RENDERED = "(SELECT concat('[', string_agg(document, ',' ORDER BY n), ']') FROM documents)"

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

PLACE_CLAIMS = _numbered(
    f"""WITH {_LISTED},
chosen AS MATERIALIZED (
    SELECT * FROM listed WHERE n > %(offset)s AND n <= %(offset)s + %(limit)s
), {_DOCUMENTS}
SELECT {_KNOWN_AT}, (SELECT count(*) FROM listed), {_LATEST}, {_RENDERED}""",
    "places",
    "as_of",
    "known_at",
    "sides",
    "kinds",
    "limit",
    "offset",
)
"""One row: the record time, how many claims, the summary's candidates, the page."""

TIMELINE = _numbered(
    f"""WITH {_LISTED},
chosen AS MATERIALIZED (
    SELECT * FROM listed WHERE %(start)s::date IS NULL OR claimed_on >= %(start)s::date
), {_DOCUMENTS}
SELECT {_KNOWN_AT}, {_STATES}, {_RENDERED}""",
    "places",
    "as_of",
    "known_at",
    "sides",
    "kinds",
    "start",
)
"""One row: the record time, the state of every claim by `as_of`, those from `start`."""

CLAIM = _numbered(
    f"""WITH chosen AS MATERIALIZED (
    SELECT c.*, 1 AS n FROM claims c WHERE c.id = %(claim_id)s AND c.recorded_at <= {_KNOWN_AT}
), {_DOCUMENTS}
SELECT {_KNOWN_AT}, {_RENDERED}""",
    "claim_id",
    "as_of",
    "known_at",
)
"""One row: the record time and the claim, if recorded by then, in a JSON array."""

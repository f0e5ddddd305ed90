"""The SQL that answers claim queries in one statement, claims rendered as JSON documents.

Every statement starts from `asked` (the record time asked for, or the database's clock now)
and a set of claims to render, `chosen`, numbered in answer order by `n`. The rendering
(`_DOCUMENTS`) fetches the chosen claims' standing evidence, contestations and retractions
in one pass each, and builds each claim's JSON in the shape of the API's `ClaimOut`.

A claim's rows in the three child tables carry its version as `seq`, so they interleave
in one sequence: one event per version, stored in version order, so versions and
positions rise together. Ordering the parts of a claim by `seq` therefore gives each list
in its own order and the positions sorted. Only the claim's own position repeats: it is
the position of its first evidence. JSON is built by concatenation, values rendered by
`to_json` (dates and instants in ISO 8601 whatever the session's DateStyle), several times
cheaper than `json_build_object`.
"""

from __future__ import annotations


def _json(expression: str) -> str:
    """SQL yielding the JSON text of a value, `null` for NULL."""
    return f"coalesce(to_json({expression})::text, 'null')"


def _members(*fields: tuple[str, str]) -> str:
    """SQL arguments of `concat` that spell `"key":value,...` for (key, JSON SQL) pairs."""
    return ", ".join(
        f"'{',' if i else ''}\"{key}\":', {value}" for i, (key, value) in enumerate(fields)
    )


def _object(*fields: tuple[str, str]) -> str:
    return f"concat('{{', {_members(*fields)}, '}}')"


def _window(start: str, end: str) -> str:
    return (
        f"CASE WHEN {start} IS NOT NULL AND {end} IS NOT NULL"
        f" THEN concat('[', to_json({start}), ',', to_json({end}), ']') ELSE 'null' END"
    )


def _standing(alias: str) -> str:
    """Evidence standing at the asked record time: recorded by then, not yet withdrawn."""
    return (
        f"{alias}.recorded_at <= asked.known_at"
        f" AND ({alias}.retracted_at IS NULL OR {alias}.retracted_at > asked.known_at)"
    )


_ASKED = (
    "asked AS MATERIALIZED ("
    "SELECT coalesce(%(known_at)s::timestamptz, clock_timestamp()) AS known_at)"
)

# Claims about the places made by `as_of`, recorded by the asked time, with standing
# evidence then, of the given sides and kinds (all when none are given), in answer order.
_LISTED = f"""listed AS MATERIALIZED (
    SELECT c.*, row_number() OVER (ORDER BY c.claimed_on, c.position) AS n
    FROM claims c CROSS JOIN asked
    WHERE c.place_id = ANY(%(places)s::text[]) AND c.claimed_on <= %(as_of)s::date
      AND c.recorded_at <= asked.known_at
      AND (cardinality(%(sides)s::text[]) = 0 OR c.claimant_side = ANY(%(sides)s::text[]))
      AND (cardinality(%(kinds)s::text[]) = 0 OR c.kind = ANY(%(kinds)s::text[]))
      AND EXISTS (SELECT FROM claim_evidence e WHERE e.claim_id = c.id AND {_standing("e")})
)"""

_HEAD = _members(
    ("id", "to_json(c.id)"),
    ("place_id", "to_json(c.place_id)"),
    ("claimant_side", "to_json(c.claimant_side)"),
    ("actor_side", "to_json(c.actor_side)"),
    ("kind", "to_json(c.kind)"),
    ("extent", _json("c.extent")),
    ("claimed_on", "to_json(c.claimed_on)"),
    ("claimed_window", _window("c.window_start", "c.window_end")),
    ("confidence", "to_json(c.confidence)"),
    ("recorded_at", "to_json(c.recorded_at)"),
    ("position", "c.position"),
)
_EVIDENCE = _object(
    ("article_id", "to_json(e.article_id)"),
    ("outlet", _json("a.outlet")),
    ("published_on", _json("a.published_on")),
    ("claimant", "to_json(e.claimant)"),
    ("quote", "to_json(e.quote)"),
    ("start", "e.start_offset"),
    ("end", "e.end_offset"),
    ("recorded_by", "to_json(e.recorded_by)"),
    ("recorded_at", "to_json(e.recorded_at)"),
    ("position", "e.position"),
)
_CONTESTATION = _object(
    ("by", "to_json(k.by_name)"),
    ("side", "to_json(k.by_side)"),
    ("contested_on", "to_json(k.contested_on)"),
    ("contested_window", _window("k.window_start", "k.window_end")),
    ("quote", _json("k.quote")),
    ("article_id", _json("k.article_id")),
    ("note", _json("k.note")),
    ("recorded_at", "to_json(k.recorded_at)"),
    ("position", "k.position"),
)
_RETRACTION = _object(
    ("article_id", _json("r.article_id")),
    ("reason", "to_json(r.reason)"),
    ("by", "to_json(r.by_name)"),
    ("recorded_by", "to_json(r.recorded_by)"),
    ("recorded_at", "to_json(r.recorded_at)"),
    ("position", "r.position"),
)
_CHOSEN_IDS = "ARRAY(SELECT id FROM chosen)"

# Part 0 is the claim itself, 1 its standing evidence, 2 its contestations made by
# `as_of`, 3 its retractions; then each claim's parts in version order, marked with
# whether they bring a new position, a new voice, a new source; then one document each.
_DOCUMENTS = f"""parts AS (
    SELECT c.id AS claim_id, 0 AS seq, 0 AS part, c.n, c.position,
           NULL::text AS claimant, NULL::uuid AS article_id, concat({_HEAD}) AS item
    FROM chosen c
    UNION ALL
    SELECT e.claim_id, e.seq, 1, NULL, e.position, e.claimant, e.article_id, {_EVIDENCE}
    FROM claim_evidence e CROSS JOIN asked LEFT JOIN articles a ON a.id = e.article_id
    WHERE e.claim_id = ANY({_CHOSEN_IDS}) AND {_standing("e")}
    UNION ALL
    SELECT k.claim_id, k.seq, 2, NULL, k.position, NULL, NULL, {_CONTESTATION}
    FROM claim_contestations k CROSS JOIN asked
    WHERE k.claim_id = ANY({_CHOSEN_IDS})
      AND k.contested_on <= %(as_of)s::date AND k.recorded_at <= asked.known_at
    UNION ALL
    SELECT r.claim_id, r.seq, 3, NULL, r.position, NULL, NULL, {_RETRACTION}
    FROM claim_retractions r CROSS JOIN asked
    WHERE r.claim_id = ANY({_CHOSEN_IDS}) AND r.recorded_at <= asked.known_at
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
_LATEST = """(SELECT coalesce(json_agg(json_build_array(
        l.id, l.claimant_side, l.actor_side, l.kind, l.claimed_on, l.position,
        (SELECT coalesce(json_agg(DISTINCT k.by_side), '[]') FROM claim_contestations k
         WHERE k.claim_id = l.id AND k.contested_on <= %(as_of)s::date
           AND k.recorded_at <= asked.known_at)) ORDER BY s.first_n, l.n), '[]')::text
    FROM listed l JOIN (
        SELECT claimant_side, max(claimed_on) AS last_day, min(n) AS first_n
        FROM listed GROUP BY claimant_side
    ) s ON s.claimant_side = l.claimant_side AND s.last_day = l.claimed_on)"""

_STATES = """(SELECT coalesce(json_agg(json_build_array(
        l.id, l.claimant_side, l.actor_side, l.kind, l.claimed_on, l.position) ORDER BY l.n),
        '[]')::text
    FROM listed l)"""

PLACE_CLAIMS = f"""WITH {_ASKED}, {_LISTED},
chosen AS MATERIALIZED (
    SELECT * FROM listed WHERE n > %(offset)s AND n <= %(offset)s + %(limit)s
), {_DOCUMENTS}
SELECT asked.known_at, (SELECT count(*) FROM listed), {_LATEST}, {_RENDERED} FROM asked"""
"""One row: the record time, how many claims, the summary's candidates, the page."""

TIMELINE = f"""WITH {_ASKED}, {_LISTED},
chosen AS MATERIALIZED (
    SELECT * FROM listed WHERE %(start)s::date IS NULL OR claimed_on >= %(start)s::date
), {_DOCUMENTS}
SELECT asked.known_at, {_STATES}, {_RENDERED} FROM asked"""
"""One row: the record time, the state of every claim by `as_of`, those from `start`."""

CLAIM = f"""WITH {_ASKED},
chosen AS MATERIALIZED (
    SELECT c.*, 1 AS n FROM claims c CROSS JOIN asked
    WHERE c.id = %(claim_id)s AND c.recorded_at <= asked.known_at
), {_DOCUMENTS}
SELECT asked.known_at, coalesce({_RENDERED}, '[]') FROM asked"""
"""One row: the record time and the claim, if recorded by then, in a JSON array."""

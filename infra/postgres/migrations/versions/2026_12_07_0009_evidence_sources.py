"""Evidence names its article's URL and title, and gives its quote's offsets in UTF-16 code
units beside the code point ones, for callers whose strings count those (JavaScript).

The claims projection keeps each article's URL and title in `claim_sources`, and where the
body has characters beyond the Basic Multilingual Plane (emoji), their code point offsets
(`astral`; NULL for the many bodies without), from which a quote's UTF-16 offsets follow.
The articles the projection has passed get them here, read from their events; then every
claim's document is rendered again by the statement below, as the claims projection renders
it at this revision (a migration keeps its own copy, so that what it does never changes with
the live code).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07
"""

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


# Every claim's document, as `infra.readmodels.documents.STORE` renders it at this revision.
_STORE_EVERY_CLAIM = """
WITH chosen AS MATERIALIZED (SELECT c.*, 0 AS n FROM claims c), parts AS (
    SELECT c.id AS claim_id, 0 AS seq, 0 AS part, c.n, c.position, c.recorded_at,
           NULL::timestamptz AS reviewed_at, NULL::date AS contested_on,
           NULL::text AS claimant, NULL::uuid AS article_id, '"id":' || '"' || c.id::text ||
               '"' || ',"place_id":' || to_json(c.place_id)::text || ',"claimant_side":' ||
               to_json(c.claimant_side)::text || ',"actor_side":' ||
               to_json(c.actor_side)::text || ',"kind":' || to_json(c.kind)::text ||
               ',"extent":' || coalesce(to_json(c.extent)::text, 'null') || ',"claimed_on":' ||
               to_json(c.claimed_on)::text || ',"claimed_window":' ||
               CASE WHEN c.window_start IS NOT NULL AND c.window_end IS NOT NULL THEN '[' ||
               to_json(c.window_start)::text || ',' || to_json(c.window_end)::text ||
               ']' ELSE 'null' END || ',"confidence":' || c.confidence::text ||
               ',"recorded_at":' || rtrim(to_json(c.recorded_at AT TIME ZONE 'UTC')::text, '"') ||
               'Z"' || ',"position":' || c.position::text AS item
    FROM chosen c
    UNION ALL
    SELECT e.claim_id, e.seq, 1, NULL, e.position, e.recorded_at,
           CASE WHEN e.reviewed_at <= 'infinity'::timestamptz
               THEN e.reviewed_at END, NULL, e.claimant,
           e.article_id, ('{' || '"article_id":' || '"' || e.article_id::text || '"' ||
               ',"outlet":' || coalesce(to_json(a.outlet)::text, 'null') || ',"published_on":' ||
               coalesce(to_json(a.published_on)::text, 'null') || ',"url":' ||
               coalesce(to_json(a.url)::text, 'null') || ',"title":' ||
               coalesce(to_json(a.title)::text, 'null') || ',"claimant":' ||
               to_json(e.claimant)::text || ',"quote":' || to_json(e.quote)::text ||
               ',"start":' || e.start_offset::text || ',"end":' || e.end_offset::text ||
               ',"utf16_start":' ||
               (e.start_offset + coalesce((SELECT count(*) FROM unnest(a.astral) p
                   WHERE p < e.start_offset), 0))::text ||
               ',"utf16_end":' ||
               (e.end_offset + coalesce((SELECT count(*) FROM unnest(a.astral) p
                   WHERE p < e.end_offset), 0))::text ||
               ',"recorded_by":' || to_json(e.recorded_by)::text || ',"recorded_at":' ||
               rtrim(to_json(e.recorded_at AT TIME ZONE 'UTC')::text, '"') || 'Z"' ||
               ',"position":' || e.position::text || ',"review":' ||
               CASE WHEN e.reviewed_at <= 'infinity'::timestamptz THEN '"confirmed"'
                   ELSE '"unreviewed"' END ||
               ',"reviewed_by":' ||
               CASE WHEN e.reviewed_at <= 'infinity'::timestamptz
                   THEN coalesce(to_json(e.reviewed_by)::text, 'null') ELSE 'null' END ||
               ',"reviewed_at":' ||
               CASE WHEN e.reviewed_at <= 'infinity'::timestamptz
                   THEN rtrim(to_json(e.reviewed_at AT TIME ZONE 'UTC')::text, '"') ||
               'Z"' ELSE 'null' END || '}')
    FROM claim_evidence e LEFT JOIN claim_sources a ON a.article_id = e.article_id
    WHERE e.claim_id = ANY(ARRAY(SELECT id FROM chosen))
        AND e.recorded_at <= 'infinity'::timestamptz
            AND (e.retracted_at IS NULL OR e.retracted_at > 'infinity'::timestamptz)
    UNION ALL
    SELECT k.claim_id, k.seq, 2, NULL, k.position, k.recorded_at, NULL, k.contested_on, NULL,
           NULL, ('{' || '"by":' || to_json(k.by_name)::text || ',"side":' ||
               to_json(k.by_side)::text || ',"contested_on":' || to_json(k.contested_on)::text ||
               ',"contested_window":' ||
               CASE WHEN k.window_start IS NOT NULL AND k.window_end IS NOT NULL THEN '[' ||
               to_json(k.window_start)::text || ',' || to_json(k.window_end)::text ||
               ']' ELSE 'null' END || ',"quote":' || coalesce(to_json(k.quote)::text, 'null') ||
               ',"article_id":' || coalesce(to_json(k.article_id)::text, 'null') || ',"note":' ||
               coalesce(to_json(k.note)::text, 'null') || ',"recorded_at":' ||
               rtrim(to_json(k.recorded_at AT TIME ZONE 'UTC')::text, '"') || 'Z"' ||
               ',"position":' || k.position::text || '}')
    FROM claim_contestations k
    WHERE k.claim_id = ANY(ARRAY(SELECT id FROM chosen))
      AND k.contested_on <= 'infinity'::date AND k.recorded_at <= 'infinity'::timestamptz
    UNION ALL
    SELECT r.claim_id, r.seq, 3, NULL, r.position, r.recorded_at, NULL, NULL, NULL, NULL,
           ('{' || '"article_id":' || coalesce(to_json(r.article_id)::text, 'null') ||
               ',"reason":' || to_json(r.reason)::text || ',"by":' || to_json(r.by_name)::text ||
               ',"recorded_by":' || to_json(r.recorded_by)::text || ',"recorded_at":' ||
               rtrim(to_json(r.recorded_at AT TIME ZONE 'UTC')::text, '"') || 'Z"' ||
               ',"position":' || r.position::text || '}')
    FROM claim_retractions r
    WHERE r.claim_id = ANY(ARRAY(SELECT id FROM chosen))
        AND r.recorded_at <= 'infinity'::timestamptz
), marked AS (
    SELECT claim_id, part, n, position, recorded_at, reviewed_at, contested_on, item, claimant,
           position IS DISTINCT FROM lag(position) OVER in_order AS new_position,
           part = 1 AND claimant <> ALL(coalesce(
               array_agg(claimant) FILTER (WHERE part = 1) OVER before, '{}')) AS new_voice,
           part = 1 AND article_id <> ALL(coalesce(
               array_agg(article_id) FILTER (WHERE part = 1) OVER before, '{}')) AS new_source
    FROM parts
    WINDOW in_order AS (PARTITION BY claim_id ORDER BY seq),
           before AS (in_order ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
), documents AS (
    SELECT claim_id, max(n) AS n, greatest(max(recorded_at), max(reviewed_at)) AS settled_at,
           max(contested_on) AS contested_until, concat(
        '{', string_agg(item, '') FILTER (WHERE part = 0),
        ',"claimants":[', string_agg(to_json(claimant)::text, ',') FILTER (WHERE new_voice),
        '],"sources":', count(*) FILTER (WHERE new_source),
        ',"status":', CASE WHEN count(*) FILTER (WHERE part = 1) = 0 THEN '"retracted"'
                           WHEN count(*) FILTER (WHERE part = 2) > 0 THEN '"contested"'
                           ELSE '"asserted"' END,
        ',"evidence":[', string_agg(item, ',') FILTER (WHERE part = 1),
        '],"contestations":[', string_agg(item, ',') FILTER (WHERE part = 2),
        '],"retractions":[', string_agg(item, ',') FILTER (WHERE part = 3),
        '],"positions":[', string_agg(position::text, ',') FILTER (WHERE new_position),
        ']}') AS document
    FROM marked GROUP BY claim_id
)
INSERT INTO claim_documents (claim_id, document, settled_at, contested_until)
SELECT claim_id, document, settled_at, contested_until FROM documents
ON CONFLICT (claim_id) DO UPDATE SET document = excluded.document,
    settled_at = excluded.settled_at, contested_until = excluded.contested_until
"""


def upgrade() -> None:
    op.execute(
        "ALTER TABLE claim_sources ADD COLUMN url text, ADD COLUMN title text,"
        " ADD COLUMN astral integer[]"
    )
    op.execute("""
        UPDATE claim_sources s SET url = a.url, title = a.title, astral = a.astral
        FROM (
            SELECT (e->>'article_id')::uuid AS article_id, e->>'url' AS url,
                   e->>'title' AS title,
                   (SELECT array_agg(c.n - 1 ORDER BY c.n)
                    FROM regexp_split_to_table(e->>'body', '') WITH ORDINALITY AS c(ch, n)
                    WHERE ascii(c.ch) > 65535) AS astral
            FROM (SELECT convert_from(state, 'UTF8')::jsonb AS e FROM stored_events
                  WHERE topic = 'ArticleIngested') events
        ) a
        WHERE a.article_id = s.article_id
    """)
    op.execute(_STORE_EVERY_CLAIM)


def downgrade() -> None:
    op.execute("ALTER TABLE claim_sources DROP COLUMN url, DROP COLUMN title, DROP COLUMN astral")

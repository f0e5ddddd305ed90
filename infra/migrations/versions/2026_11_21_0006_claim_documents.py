"""Claim documents: each claim's JSON as the API answers it today, kept by the claims
projection, so that most answers send stored text instead of rendering it.

A document holds everything recorded about its claim. It is the answer for a record time
at or after `settled_at` (the record time of the last event about the claim) and an `as_of`
on or after `contested_until` (its latest contestation's date); other answers render the
claim from its parts. Existing claims get their documents here.

Documents are rendered from the claims projection's own tables, so it keeps the outlet and
date of each article (`claim_sources`) rather than reading the articles projection's table,
which another projector may not have filled as far yet.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-21
"""

from alembic import op

from infra.claim_documents import STORE

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("""
        CREATE TABLE claim_documents (
            claim_id uuid PRIMARY KEY,
            document text NOT NULL,
            settled_at timestamptz NOT NULL,
            contested_until date
        )
    """)
    op.execute("""
        CREATE TABLE claim_sources (
            article_id uuid PRIMARY KEY,
            outlet text,
            published_on date
        )
    """)
    # The articles the claims projection has passed, read from their events (JSON).
    op.execute("""
        INSERT INTO claim_sources (article_id, outlet, published_on)
        SELECT (a->>'article_id')::uuid, a->>'outlet', (a->>'published_on')::date
        FROM (SELECT convert_from(state, 'UTF8')::jsonb AS a FROM stored_events
              WHERE topic = 'ArticleIngested' AND notification_id <= coalesce(
                  (SELECT position FROM projection_tracking WHERE projection = 'claims'), 0)
        ) events
    """)
    op.execute(STORE.replace("%(claims)s::uuid[]", "ARRAY(SELECT id FROM claims)"))


def downgrade() -> None:
    op.execute("DROP TABLE claim_documents")
    op.execute("DROP TABLE claim_sources")

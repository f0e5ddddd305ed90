"""Read models: articles, claims with their evidence and contestations, projection positions.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("""
        CREATE TABLE projection_tracking (
            projection text PRIMARY KEY,
            position bigint NOT NULL,
            updated_at timestamptz NOT NULL DEFAULT now()
        )
    """)
    op.execute("""
        CREATE TABLE articles (
            id uuid PRIMARY KEY,
            url text,
            outlet text,
            language text NOT NULL,
            published_on date,
            title text,
            body text NOT NULL,
            body_sha256 text NOT NULL,
            position bigint NOT NULL,
            recorded_at timestamptz NOT NULL
        )
    """)
    op.execute("""
        CREATE TABLE claims (
            id uuid PRIMARY KEY,
            place_id text NOT NULL,
            claimant_side text NOT NULL,
            actor_side text NOT NULL,
            kind text NOT NULL,
            extent double precision,
            claimed_on date NOT NULL,
            window_start date,
            window_end date,
            recorded_by text NOT NULL,
            confidence double precision NOT NULL,
            position bigint NOT NULL,
            recorded_at timestamptz NOT NULL
        )
    """)
    op.execute("CREATE INDEX claims_place_claimed_on ON claims (place_id, claimed_on, id)")
    op.execute("""
        CREATE TABLE claim_evidence (
            claim_id uuid NOT NULL REFERENCES claims (id),
            seq integer NOT NULL,
            article_id uuid NOT NULL,
            claimant text NOT NULL,
            quote text NOT NULL,
            start_offset integer NOT NULL,
            end_offset integer NOT NULL,
            recorded_by text NOT NULL,
            confidence double precision NOT NULL,
            position bigint NOT NULL,
            recorded_at timestamptz NOT NULL,
            PRIMARY KEY (claim_id, seq)
        )
    """)
    op.execute("""
        CREATE TABLE claim_contestations (
            claim_id uuid NOT NULL REFERENCES claims (id),
            seq integer NOT NULL,
            by_name text NOT NULL,
            by_side text NOT NULL,
            contested_on date NOT NULL,
            window_start date,
            window_end date,
            article_id uuid,
            quote text,
            start_offset integer,
            end_offset integer,
            note text,
            recorded_by text NOT NULL,
            position bigint NOT NULL,
            recorded_at timestamptz NOT NULL,
            PRIMARY KEY (claim_id, seq)
        )
    """)


def downgrade() -> None:
    for table in (
        "claim_contestations",
        "claim_evidence",
        "claims",
        "articles",
        "projection_tracking",
    ):
        op.execute(f"DROP TABLE {table}")

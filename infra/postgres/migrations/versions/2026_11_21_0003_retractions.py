"""Retractions: evidence withdrawn from a record time on, and the retractions themselves.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("""
        ALTER TABLE claim_evidence
            ADD COLUMN retracted_at timestamptz,
            ADD COLUMN retracted_position bigint
    """)
    op.execute("""
        CREATE TABLE claim_retractions (
            claim_id uuid NOT NULL REFERENCES claims (id),
            seq integer NOT NULL,
            article_id uuid,
            reason text NOT NULL,
            by_name text NOT NULL,
            recorded_by text NOT NULL,
            position bigint NOT NULL,
            recorded_at timestamptz NOT NULL,
            PRIMARY KEY (claim_id, seq)
        )
    """)


def downgrade() -> None:
    op.execute("DROP TABLE claim_retractions")
    op.execute(
        "ALTER TABLE claim_evidence DROP COLUMN retracted_at, DROP COLUMN retracted_position"
    )

"""Claim documents: each claim's JSON as the API answers it today, kept by the claims
projection, so that most answers send stored text instead of rendering it.

A document holds everything recorded about its claim. It is the answer for a record time
at or after `settled_at` (the record time of the last event about the claim) and an `as_of`
on or after `contested_until` (its latest contestation's date); other answers render the
claim from its parts. Existing claims get their documents here.

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
    op.execute(STORE.replace("%(claims)s::uuid[]", "ARRAY(SELECT id FROM claims)"))


def downgrade() -> None:
    op.execute("DROP TABLE claim_documents")

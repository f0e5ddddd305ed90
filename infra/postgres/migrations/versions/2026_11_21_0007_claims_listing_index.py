"""Claims are listed from one index alone: by place and claimed date in answer order, with
every column the listing reads, so an answer visits no table page to choose its claims.

It replaces the index on (place_id, claimed_on, id), whose every use it covers.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-21
"""

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        "CREATE INDEX claims_listing ON claims (place_id, claimed_on, position)"
        " INCLUDE (id, claimant_side, actor_side, kind, recorded_at)"
    )
    op.execute("DROP INDEX claims_place_claimed_on")


def downgrade() -> None:
    op.execute("CREATE INDEX claims_place_claimed_on ON claims (place_id, claimed_on, id)")
    op.execute("DROP INDEX claims_listing")

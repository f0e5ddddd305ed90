"""The event store is append-only: a trigger refuses to update or delete a stored event.

The service's role needs UPDATE on the events table only because the store serialises
writers with LOCK TABLE ... IN EXCLUSIVE MODE, which PostgreSQL allows to holders of
UPDATE, DELETE or TRUNCATE; the trigger keeps that privilege from changing any event.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-21
"""

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE FUNCTION stored_events_are_immutable() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'stored events are immutable: % refused', TG_OP
                USING ERRCODE = 'insufficient_privilege';
        END
        $$
        """
    )
    op.execute(
        "CREATE TRIGGER stored_events_append_only BEFORE UPDATE OR DELETE ON stored_events"
        " FOR EACH ROW EXECUTE FUNCTION stored_events_are_immutable()"
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER stored_events_append_only ON stored_events")
    op.execute("DROP FUNCTION stored_events_are_immutable()")

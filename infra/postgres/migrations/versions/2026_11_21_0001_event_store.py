"""The event store: the eventsourcing library's table, index and composite type.

The shape matches eventsourcing's PostgresApplicationRecorder (uuid originator ids), plus a
`recorded_at` column: the record time of each event, taken when its row is inserted under
the library's table lock, so it rises with the position.

Revision ID: 0001
Revises:
Create Date: 2026-11-21
"""

from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("""
        CREATE TABLE stored_events (
            originator_id uuid NOT NULL,
            originator_version bigint NOT NULL,
            topic text,
            state bytea,
            notification_id bigserial,
            recorded_at timestamptz NOT NULL DEFAULT clock_timestamp(),
            PRIMARY KEY (originator_id, originator_version)
        ) WITH (
            autovacuum_enabled = true,
            autovacuum_vacuum_threshold = 100000000,
            autovacuum_vacuum_scale_factor = 0.5,
            autovacuum_analyze_threshold = 1000,
            autovacuum_analyze_scale_factor = 0.01
        )
    """)
    op.execute(
        "CREATE UNIQUE INDEX stored_events_notification_id_idx"
        " ON stored_events (notification_id ASC)"
    )
    op.execute(
        "CREATE TYPE stored_event_uuid AS"
        " (originator_id uuid, originator_version bigint, topic text, state bytea)"
    )


def downgrade() -> None:
    op.execute("DROP TYPE stored_event_uuid")
    op.execute("DROP TABLE stored_events")

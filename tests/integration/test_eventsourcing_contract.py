"""What `infra.eventstore` takes from the eventsourcing library beyond its documented API:
the recorder's constructor, the insert it overrides and the datastore's attributes it uses.
pyproject.toml pins the library to the minor version these hold for; a release that moves
them fails here first, not in production."""

from __future__ import annotations

import inspect
from importlib.metadata import version

from eventsourcing.persistence import StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder

from infra.eventstore.recorder import ColumnRecorder
from infra.eventstore.store import EventStore

PINNED_MINOR = (9, 5)


def test_the_installed_library_is_the_pinned_minor_version() -> None:
    installed = tuple(int(part) for part in version("eventsourcing").split(".")[:2])
    assert installed == PINNED_MINOR


def test_the_overridden_insert_keeps_the_library_s_signature() -> None:
    ours = inspect.signature(ColumnRecorder.insert_events)
    theirs = inspect.signature(PostgresApplicationRecorder.insert_events)
    assert list(theirs.parameters)[:2] == ["self", "stored_events"]
    assert list(ours.parameters)[:2] == ["self", "stored_events"]
    # Whatever else the library passes (keyword arguments), the override takes.
    assert any(p.kind is inspect.Parameter.VAR_KEYWORD for p in ours.parameters.values())
    assert "events_table_name" in inspect.signature(PostgresApplicationRecorder).parameters


def test_the_datastore_and_recorder_have_what_the_store_uses(clean_database: str) -> None:
    store = EventStore(clean_database)
    try:
        datastore = store._datastore
        assert isinstance(datastore.schema, str)
        assert callable(datastore.get_connection)
        assert isinstance(datastore.pool.kwargs, dict)
        assert hasattr(datastore.pool, "reconnect_timeout")
        recorder = store._recorder
        assert isinstance(recorder, PostgresApplicationRecorder)
        assert isinstance(recorder.channel_name, str) and recorder.channel_name
        assert recorder.insert_events([]) == []
        assert {"originator_id", "originator_version", "topic", "state"} <= set(
            inspect.signature(StoredEvent).parameters
        )
    finally:
        store.close()

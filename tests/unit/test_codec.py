"""The stored form of every event: the bytes written before events were Structs must be
written and read the same way for ever."""

from datetime import date
from typing import Any
from uuid import UUID

import pytest

from domain.events import (
    ArticleIngested,
    ClaimContested,
    ClaimCorroborated,
    ClaimRecorded,
    ClaimRetracted,
    ClaimReviewed,
    DateWindow,
    Evidence,
)
from domain.vocabulary import ClaimKind, Side
from infra.eventstore import codec

ARTICLE = UUID("00000000-0000-5000-8000-00000000000a")
CLAIM = UUID("00000000-0000-5000-8000-00000000000c")
EVIDENCE = Evidence("Valery Gerasimov", ARTICLE, 'troops "took" Kupiansk', 10, 32)
WINDOW = DateWindow(date(2025, 11, 1), date(2025, 11, 20))
EVIDENCE_JSON = (
    '{"claimant":"Valery Gerasimov","article_id":"00000000-0000-5000-8000-00000000000a",'
    '"quote":"troops \\"took\\" Kupiansk","start":10,"end":32}'
)
WINDOW_JSON = '{"start":"2025-11-01","end":"2025-11-20"}'

STORED: list[tuple[Any, str]] = [
    (
        ArticleIngested(
            ARTICLE, "https://example.org/a", "example.org", "fr", date(2025, 11, 21), None,
            "Le corps \u00e9", "ab" * 32,
        ),
        '{"article_id":"00000000-0000-5000-8000-00000000000a","url":"https://example.org/a",'
        '"outlet":"example.org","language":"fr","published_on":"2025-11-21","title":null,'
        '"body":"Le corps \u00e9","body_sha256":"' + "ab" * 32 + '"}',
    ),
    (
        ClaimRecorded(
            CLAIM, "geonames:703656", Side.RUSSIA, Side.RUSSIA, ClaimKind.PARTIAL_CONTROL, 0.25,
            date(2025, 11, 20), WINDOW, EVIDENCE, "analyst",
        ),
        '{"claim_id":"00000000-0000-5000-8000-00000000000c","place_id":"geonames:703656",'
        '"claimant_side":"russia","actor_side":"russia","kind":"partial_control","extent":0.25,'
        f'"claimed_on":"2025-11-20","claimed_window":{WINDOW_JSON},"evidence":{EVIDENCE_JSON},'
        '"recorded_by":"analyst","confidence":1.0}',
    ),
    (
        ClaimCorroborated(CLAIM, EVIDENCE, "claimledger-rules/0.2.0", 0.8),
        '{"claim_id":"00000000-0000-5000-8000-00000000000c",'
        f'"evidence":{EVIDENCE_JSON},"recorded_by":"claimledger-rules/0.2.0","confidence":0.8}}',
    ),
    (
        ClaimContested(
            CLAIM, "analyst", Side.UKRAINE, date(2025, 11, 21), None, None, "a note", "analyst"
        ),
        '{"claim_id":"00000000-0000-5000-8000-00000000000c","by":"analyst","by_side":"ukraine",'
        '"contested_on":"2025-11-21","contested_window":null,"evidence":null,"note":"a note",'
        '"recorded_by":"analyst"}',
    ),
    (
        ClaimRetracted(CLAIM, "superseded", "reextract", "claimledger-rules/0.2.0", ARTICLE),
        '{"claim_id":"00000000-0000-5000-8000-00000000000c","reason":"superseded",'
        '"by":"reextract","recorded_by":"claimledger-rules/0.2.0",'
        '"article_id":"00000000-0000-5000-8000-00000000000a"}',
    ),
    (
        ClaimReviewed(CLAIM, ARTICLE, "Olena", "analyst"),
        '{"claim_id":"00000000-0000-5000-8000-00000000000c",'
        '"article_id":"00000000-0000-5000-8000-00000000000a","by":"Olena",'
        '"recorded_by":"analyst","note":null}',
    ),
]  # fmt: skip


@pytest.mark.parametrize(("event", "stored"), STORED, ids=lambda v: type(v).__name__)
def test_every_event_is_stored_as_it_always_was(event: Any, stored: str) -> None:
    assert codec.encode(event) == stored.encode()
    assert codec.decode(codec.topic_of(event), stored.encode()) == event


def test_an_event_stored_before_a_field_with_a_default_existed_reads_with_the_default() -> None:
    older = f'{{"claim_id":"{CLAIM}","evidence":{EVIDENCE_JSON},"recorded_by":"analyst"}}'
    assert codec.decode("ClaimCorroborated", older.encode()) == ClaimCorroborated(
        CLAIM, EVIDENCE, "analyst", 1.0
    )


def test_events_are_immutable_and_compare_by_value() -> None:
    copy = Evidence(EVIDENCE.claimant, ARTICLE, EVIDENCE.quote, 10, 32)
    assert copy == EVIDENCE
    assert hash(copy) == hash(EVIDENCE)
    with pytest.raises(AttributeError):
        EVIDENCE.start = 0  # type: ignore[misc]


def test_a_window_that_ends_before_it_starts_is_refused() -> None:
    with pytest.raises(ValueError, match="must not end before it starts"):
        DateWindow(date(2025, 11, 2), date(2025, 11, 1))


def test_the_feed_names_every_stored_event_type() -> None:
    from typing import get_args

    from service.http.events import EventType

    assert set(get_args(EventType)) == set(codec.EVENT_TYPES)

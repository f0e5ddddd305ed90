from datetime import date
from uuid import uuid4

from domain.summary import ClaimState, contradictions, summarise
from domain.vocabulary import ClaimKind, Side


def state(
    side: Side,
    kind: ClaimKind,
    day: int,
    actor: Side | None = None,
    contested_by: frozenset[Side] = frozenset(),
) -> ClaimState:
    return ClaimState(uuid4(), side, actor or side, kind, date(2025, 11, day), day, contested_by)


def test_both_sides_claiming_to_hold_the_place_is_a_dispute() -> None:
    summary = summarise(
        [state(Side.RUSSIA, ClaimKind.CONTROL, 20), state(Side.UKRAINE, ClaimKind.REPELLED, 5)]
    )
    assert summary.disputed
    assert summary.latest[Side.RUSSIA].kind is ClaimKind.CONTROL


def test_latest_claim_of_a_side_wins_and_strongest_breaks_ties() -> None:
    summary = summarise(
        [
            state(Side.UKRAINE, ClaimKind.CONTROL, 1),
            state(Side.UKRAINE, ClaimKind.ADVANCE, 10),
            state(Side.UKRAINE, ClaimKind.CONTROL, 10),
        ]
    )
    assert summary.latest[Side.UKRAINE].kind is ClaimKind.CONTROL
    assert summary.latest[Side.UKRAINE].claimed_on.day == 10
    assert not summary.disputed


def test_a_latest_claim_contested_by_the_other_side_is_a_dispute() -> None:
    summary = summarise(
        [state(Side.UKRAINE, ClaimKind.ADVANCE, 3, contested_by=frozenset({Side.RUSSIA}))]
    )
    assert summary.disputed and "contested by russia" in summary.reasons[0]


def test_agreeing_claims_are_not_a_dispute() -> None:
    summary = summarise(
        [state(Side.RUSSIA, ClaimKind.WITHDRAWAL, 10), state(Side.UKRAINE, ClaimKind.CONTROL, 10)]
    )
    assert not summary.disputed


def test_contradictions_open_when_the_sides_clash_and_close_when_they_agree() -> None:
    def said(side: Side, kind: ClaimKind, day: date) -> ClaimState:
        return ClaimState(uuid4(), side, side, kind, day, 0)

    claims = [
        said(Side.UKRAINE, ClaimKind.CONTROL, date(2022, 9, 10)),
        said(Side.RUSSIA, ClaimKind.CONTROL, date(2025, 11, 20)),
        said(Side.UKRAINE, ClaimKind.WITHDRAWAL, date(2025, 12, 1)),
    ]
    periods = contradictions(claims)
    assert [(p.start, p.end) for p in periods] == [(date(2025, 11, 20), date(2025, 12, 1))]
    assert periods[0].reasons
    assert contradictions(claims[:2])[0].end is None
    assert contradictions(claims[:1]) == []

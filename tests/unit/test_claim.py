from datetime import date
from uuid import uuid4, uuid5

import pytest

from domain.article import Article, ArticleDraft
from domain.claim import ANALYST, Claim, ClaimError, Contestation, Proposition
from domain.events import (
    ClaimContested,
    ClaimCorroborated,
    ClaimRecorded,
    ClaimReviewed,
    Evidence,
)
from domain.ids import NAMESPACE, article_id, canonical_url, canonical_url_by_parts
from domain.vocabulary import ClaimKind, Side

DAY = date(2025, 11, 20)
READER = "claimledger-rules/0.3.0"


def proposition(**changes: object) -> Proposition:
    fields: dict[str, object] = {
        "place_id": "geonames:703656",
        "claimant_side": Side.RUSSIA,
        "actor_side": Side.RUSSIA,
        "kind": ClaimKind.CONTROL,
        "extent": None,
        "claimed_on": DAY,
    }
    fields.update(changes)
    return Proposition(**fields)  # type: ignore[arg-type]


def evidence(claimant: str = "Gerasimov") -> Evidence:
    return Evidence(claimant, uuid4(), "a quote", 0, 7)


def test_same_proposition_has_the_same_id_whoever_voices_it() -> None:
    assert proposition().claim_id == proposition().claim_id
    assert proposition().claim_id != proposition(claimed_on=date(2025, 11, 21)).claim_id
    assert proposition().claim_id != proposition(claimant_side=Side.UKRAINE).claim_id


def test_extent_is_part_of_the_identity_and_only_for_partial_control() -> None:
    a = proposition(kind=ClaimKind.PARTIAL_CONTROL, extent=0.8)
    b = proposition(kind=ClaimKind.PARTIAL_CONTROL, extent=0.5)
    assert a.claim_id != b.claim_id
    with pytest.raises(ClaimError):
        proposition(extent=0.8)
    with pytest.raises(ClaimError):
        proposition(kind=ClaimKind.PARTIAL_CONTROL, extent=1.5)


def test_corroboration_adds_new_evidence_once() -> None:
    claim = Claim.record(proposition(), evidence("Gerasimov"), "analyst")
    second = evidence("Ministry of Defence")
    assert claim.corroborate(second, "analyst")
    assert not claim.corroborate(second, "analyst")
    events = [event for _, event in claim.collect_events()]
    assert [type(e) for e in events] == [ClaimRecorded, ClaimCorroborated]
    assert claim.version == 2


def test_replayed_claim_equals_the_one_that_made_the_events() -> None:
    claim = Claim.record(proposition(), evidence(), "analyst")
    claim.contest(Contestation("Zelensky", Side.UKRAINE, DAY, None, None, "denied"), "analyst")
    events = [event for _, event in claim.collect_events()]
    again = Claim.replay(claim.id, events)
    assert again.version == 2 and again.evidence == claim.evidence
    assert isinstance(events[-1], ClaimContested) and again.contestations == claim.contestations


def test_a_resumed_claim_continues_the_stored_versions_with_what_is_added_to_it() -> None:
    stored = Claim.record(proposition(), evidence(), "analyst")
    stored.corroborate(evidence("Ministry of Defence"), "analyst")
    held = [event for _, event in stored.collect_events()]
    resumed = Claim.resume(stored.id, len(held))
    quoted = evidence("TASS")
    assert resumed.corroborate(quoted, "analyst")
    assert not resumed.corroborate(quoted, "analyst")
    rejection = Contestation("General Staff", Side.UKRAINE, DAY, None, quoted, None)
    assert resumed.contest(rejection, "analyst")
    added = resumed.collect_events()
    assert [version for version, _ in added] == [3, 4]
    assert Claim.replay(stored.id, [*held, *(e for _, e in added)]).version == 4
    with pytest.raises(ValueError, match="retracted"):
        resumed.retract("wrong", "analyst", "analyst")


def test_same_contestation_twice_is_recorded_once() -> None:
    claim = Claim.record(proposition(), evidence(), "analyst")
    rejection = Contestation("General Staff", Side.UKRAINE, DAY, None, None, "not true")
    assert claim.contest(rejection, "analyst")
    assert not claim.contest(rejection, "analyst")


def test_contestation_needs_a_quote_or_a_note() -> None:
    with pytest.raises(ClaimError):
        Contestation("x", Side.UKRAINE, DAY, None, None, None)


def test_article_id_comes_from_the_canonical_url_or_else_the_body() -> None:
    body = "Some   text.\n"
    assert article_id("HTTPS://Example.org/a/?utm_source=x#top", body) == article_id(
        "https://example.org/a", "other body"
    )
    assert article_id(None, body) == article_id(None, "Some text.")
    assert article_id(None, body) != article_id(None, "Other text.")
    assert canonical_url("https://example.org:443/a/") == "https://example.org/a"


def test_ids_are_name_based_uuid5s_in_the_ledgers_namespace() -> None:
    url = "https://example.org/a"
    assert article_id(url, "x") == uuid5(NAMESPACE, "url:" + url)
    key = "claim|geonames:703656|russia|russia|control||2025-11-20"
    assert proposition().claim_id == uuid5(NAMESPACE, key)


def test_a_plain_url_is_made_canonical_as_when_taken_apart() -> None:
    sites = ["https://example.org", "http://www.example.org", "HTTPS://Example.org", "ftp://a.b"]
    paths = ["", "/", "/a", "/a/", "/a//b/", "//x", "/a;b", "/é/ü", "/a b", "/a%20b", "/a@b"]
    tails = ["", "?", "?b=1&a=2", "?utm_source=x", "#top", ":443", ":8080/z", " ", "\t/x"]
    urls = [f" {site}{path}{tail}" for site in sites for path in paths for tail in tails]
    assert [canonical_url(u) for u in urls] == [canonical_url_by_parts(u) for u in urls]


def test_ingesting_an_article_records_its_body_hash() -> None:
    draft = ArticleDraft(None, "outlet", "fr", DAY, None, "Corps de l'article.")
    article = Article.ingest(draft)
    assert article.ingested is not None and len(article.ingested.body_sha256) == 64
    assert article.collect_events()[0][0] == 1


def test_retracting_one_articles_evidence_leaves_the_rest_standing() -> None:
    first, second = evidence("TASS"), evidence("RIA")
    claim = Claim.record(proposition(), first, "claimledger-rules/0.1.0")
    claim.corroborate(second, "claimledger-rules/0.1.0")
    assert claim.retract("superseded", "reextract", "claimledger", first.article_id)
    assert claim.articles() == {second.article_id} and not claim.retracted
    assert not claim.retract("again", "reextract", "claimledger", first.article_id)


def test_a_whole_retraction_withdraws_everything_once_and_new_evidence_revives() -> None:
    claim = Claim.record(proposition(), evidence(), "analyst")
    assert claim.retract("wrong place", "analyst A", "analyst")
    assert claim.retracted
    assert not claim.retract("twice", "analyst A", "analyst")
    replayed = Claim.replay(claim.id, [e for _, e in claim.collect_events()])
    assert replayed.retracted and replayed.version == 2
    assert replayed.corroborate(evidence("TASS"), "analyst")
    assert not replayed.retracted


def test_a_retraction_needs_a_reason() -> None:
    claim = Claim.record(proposition(), evidence(), "analyst")
    with pytest.raises(ClaimError):
        claim.retract("  ", "analyst A", "analyst")


def test_confirming_an_articles_evidence_is_one_event_and_only_once() -> None:
    first = evidence("Gerasimov")
    claim = Claim.record(proposition(), first, READER)
    assert claim.confirm("Olena", "analyst")
    assert not claim.confirm("Olena", "analyst", first.article_id)
    events = [event for _, event in claim.collect_events()]
    assert [type(e) for e in events] == [ClaimRecorded, ClaimReviewed]
    assert events[1].article_id == first.article_id
    assert claim.confirmed == {first}


def test_a_review_names_its_article_when_several_give_evidence() -> None:
    claim = Claim.record(proposition(), evidence("Gerasimov"), READER)
    other = evidence("Ministry of Defence")
    claim.corroborate(other, READER)
    with pytest.raises(ClaimError, match="2 articles"):
        claim.confirm("Olena", "analyst")
    with pytest.raises(ClaimError, match="no standing evidence"):
        claim.confirm("Olena", "analyst", uuid4())
    assert claim.confirm("Olena", "analyst", other.article_id)
    assert claim.confirmed == {other}


def test_evidence_withdrawn_after_confirmation_is_no_longer_confirmed() -> None:
    first = evidence()
    claim = Claim.record(proposition(), first, READER)
    claim.confirm("Olena", "analyst")
    claim.retract("misread", "Olena", "analyst", first.article_id)
    assert claim.confirmed == set()
    with pytest.raises(ClaimError, match="no standing evidence"):
        claim.confirm("Olena", "analyst")
    claim.corroborate(first, READER)
    assert claim.confirm("Olena", "analyst")


def test_what_an_analyst_recorded_needs_no_confirmation() -> None:
    claim = Claim.record(proposition(), evidence(), ANALYST)
    assert not claim.confirm("Olena", ANALYST)

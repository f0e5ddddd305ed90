"""Claim extraction on small sentences written for these tests, in English and French."""

from __future__ import annotations

from datetime import date

import pytest

from domain.extraction import Extraction, Extractor
from domain.vocabulary import ClaimKind, Side
from infra.reference.gazetteer import default_gazetteer

PUBLISHED = date(2025, 11, 13)  # a Thursday


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor(default_gazetteer())


def read(extractor: Extractor, text: str, language: str | None = None) -> Extraction:
    return extractor.extract(text, PUBLISHED, language)


def one(extraction: Extraction) -> tuple[str, Side, Side, ClaimKind]:
    assert len(extraction.claims) == 1, extraction.claims
    claim = extraction.claims[0]
    return claim.place_name, claim.claimant_side, claim.actor_side, claim.kind


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Russia's defence ministry said its forces had captured Pokrovsk.",
            ("Pokrovsk", Side.RUSSIA, Side.RUSSIA, ClaimKind.CONTROL),
        ),
        (
            "Ukrainian troops have entered Izium, the regional governor said.",
            ("Izium", Side.UKRAINE, Side.UKRAINE, ClaimKind.ADVANCE),
        ),
        (
            "According to Ukraine's General Staff, Russian units are encircled near Lyman.",
            ("Lyman", Side.UKRAINE, Side.UKRAINE, ClaimKind.ENCIRCLEMENT),
        ),
        (
            "The Kremlin announced that Ukrainian forces withdrew from Siversk.",
            ("Siversk", Side.RUSSIA, Side.UKRAINE, ClaimKind.WITHDRAWAL),
        ),
        (
            "Ukraine's army said it repelled eleven Russian assaults near Kupiansk.",
            ("Kupiansk", Side.UKRAINE, Side.UKRAINE, ClaimKind.REPELLED),
        ),
    ],
)
def test_english_cue_families(extractor: Extractor, text: str, expected: tuple[object]) -> None:
    assert one(read(extractor, text)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Le ministère russe de la Défense a annoncé que ses troupes ont libéré Siversk.",
            ("Siversk", Side.RUSSIA, Side.RUSSIA, ClaimKind.CONTROL),
        ),
        (
            "Selon l'état-major ukrainien, les forces ukrainiennes progressent à Balakliia.",
            ("Balakliia", Side.UKRAINE, Side.UKRAINE, ClaimKind.ADVANCE),
        ),
        (
            "Le Kremlin a affirmé que l'armée russe a encerclé des brigades près de Lyman.",
            ("Lyman", Side.RUSSIA, Side.RUSSIA, ClaimKind.ENCIRCLEMENT),
        ),
        (
            "Kiev a déclaré que les soldats russes se sont retirés d'Izioum.",
            ("Izium", Side.UKRAINE, Side.RUSSIA, ClaimKind.WITHDRAWAL),
        ),
        (
            "Zelensky a déclaré que l'armée ukrainienne a repoussé les assauts sur Koupiansk.",
            ("Kupiansk", Side.UKRAINE, Side.UKRAINE, ClaimKind.REPELLED),
        ),
    ],
)
def test_french_cue_families(extractor: Extractor, text: str, expected: tuple[object]) -> None:
    assert one(read(extractor, text)) == expected


def test_percentages_become_extent(extractor: Extractor) -> None:
    text = "According to ISW, Russian forces control about 40% of Vovchansk."
    claim = read(extractor, text).claims[0]
    assert (claim.kind, claim.extent, claim.claimant_side) == (
        ClaimKind.PARTIAL_CONTROL,
        0.4,
        Side.THIRD_PARTY,
    )


def test_only_a_few_buildings_is_partial_control(extractor: Extractor) -> None:
    text = "Selon Kiev, les Russes ne contrôlent que quelques bâtiments à Vovtchansk."
    assert one(read(extractor, text))[3] is ClaimKind.PARTIAL_CONTROL


def test_negated_capture_is_no_claim(extractor: Extractor) -> None:
    text = "Ukraine's military said Russian forces have not captured Siversk."
    assert read(extractor, text).claims == ()


@pytest.mark.parametrize(
    "text",
    [
        "Le commandant a dit que ses unités tentent de prendre le contrôle de Lyman.",
        "Ukraine's army said its units left to avoid the encirclement of Siversk.",
        # 'Surrounding' as a noun or an adjective.
        "Russia's defence ministry said it struck Siversk and its surrounding countryside.",
    ],
)
def test_purposes_and_descriptions_claim_nothing(extractor: Extractor, text: str) -> None:
    assert read(extractor, text).claims == ()


def test_control_is_surer_than_the_other_kinds(extractor: Extractor) -> None:
    text = (
        "Russia's defence ministry said its forces captured Tabaivka and repelled attacks"
        " near Siversk."
    )
    confidence = {c.kind: c.confidence for c in read(extractor, text).claims}
    assert confidence[ClaimKind.CONTROL] >= 0.8 > confidence[ClaimKind.REPELLED]


def test_outlet_narration_is_no_claim(extractor: Extractor) -> None:
    assert read(extractor, "Ukrainian troops recaptured Balakliia last month.").claims == ()


def test_a_month_named_gives_a_window(extractor: Extractor) -> None:
    text = "Ukraine's army said its troops recaptured Balakliia in September 2022."
    claim = read(extractor, text).claims[0]
    assert claim.claimed_window is not None and claim.claimed_window.start == date(2022, 9, 1)


def test_quote_offsets_point_into_the_body(extractor: Extractor) -> None:
    text = "The Russian army said on Monday that it took full control of Kupiansk."
    claim = read(extractor, text).claims[0]
    assert text[claim.start : claim.end] == claim.quote
    assert "Kupiansk" in claim.quote and 0 < claim.confidence <= 1


def test_pronoun_takes_the_previous_speaker(extractor: Extractor) -> None:
    text = (
        "Valery Gerasimov said the offensive went well. "
        "He added that Russian troops entered Siversk."
    )
    assert one(read(extractor, text))[1] is Side.RUSSIA


@pytest.mark.parametrize(
    "opening",
    ["He added that", "The statement also claimed that", '"The statement also said that'],
)
def test_a_paragraph_opening_on_a_pronoun_takes_the_previous_speaker(
    extractor: Extractor, opening: str
) -> None:
    text = (
        "A statement by Russia's defence ministry said the offensive went well.\n\n"
        f"{opening} Russian troops entered Siversk."
    )
    assert one(read(extractor, text))[1] is Side.RUSSIA


def test_following_sentence_inherits_the_speaker(extractor: Extractor) -> None:
    text = "Le porte-parole russe a fait le point. Ainsi, l'armée russe avance vers Lyman."
    assert one(read(extractor, text))[1:3] == (Side.RUSSIA, Side.RUSSIA)


def test_language_is_detected_when_not_given(extractor: Extractor) -> None:
    assert read(extractor, "Selon le Kremlin, la ville est tombée.").language == "fr"
    assert read(extractor, "The ministry said the town was quiet.").language == "en"


@pytest.mark.parametrize("published", [date(1, 1, 1), date(9999, 12, 31)])
@pytest.mark.parametrize(
    "text",
    [
        "Yesterday the Russian defence ministry said its troops took Kupiansk.",
        "On 31 December the Russian defence ministry said its troops took Kupiansk.",
        "Last week and this week, in mid-December, Kyiv said it retook Izium.",
        "Hier, le ministère russe a affirmé avoir pris Koupiansk le 31 décembre.",
    ],
)
def test_dates_counted_past_the_calendar_s_ends_are_dropped_not_raised(
    extractor: Extractor, published: date, text: str
) -> None:
    extraction = extractor.extract(text, published, None)
    for claim in extraction.claims:
        assert date(1, 1, 1) <= claim.claimed_on <= date(9999, 12, 31)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A region that only says where a settlement lies is not the claim's place.
        (
            "Russia's defence ministry said its forces captured the village of Hrianykivka"
            " in the Kharkiv region.",
            ("Hrianykivka", Side.RUSSIA, Side.RUSSIA, ClaimKind.CONTROL),
        ),
        # Scores of settlements taken in a region are a claim about the region.
        (
            "Kyiv's general staff said its troops had liberated more than 40 settlements in"
            " the Kharkiv region.",
            ("Kharkiv Oblast", Side.UKRAINE, Side.UKRAINE, ClaimKind.CONTROL),
        ),
        # Trackers of the front are third parties, whoever runs them.
        (
            "Russian forces now occupy the village of Zaporizke, according to DeepState.",
            ("Zaporizke", Side.THIRD_PARTY, Side.RUSSIA, ClaimKind.CONTROL),
        ),
        # G where Ukrainian has H: a French spelling of a village only the codifier holds.
        (
            "Le ministère russe de la Défense a affirmé avoir pris le village de Grianykivka.",
            ("Hrianykivka", Side.RUSSIA, Side.RUSSIA, ClaimKind.CONTROL),
        ),
        # An attack the enemy failed at is a claim of having repelled it.
        (
            "Ukraine's General Staff said the enemy unsuccessfully attempted to assault"
            " positions in Vovchansk.",
            ("Vovchansk", Side.UKRAINE, Side.UKRAINE, ClaimKind.REPELLED),
        ),
        (
            "Selon l'état-major ukrainien, l'ennemi a mené des actions offensives"
            " infructueuses près de Koupiansk.",
            ("Kupiansk", Side.UKRAINE, Side.UKRAINE, ClaimKind.REPELLED),
        ),
        # 'The enemy' is the claimant's opponent...
        (
            "Ukraine's General Staff said the enemy had advanced near Kupiansk.",
            ("Kupiansk", Side.UKRAINE, Side.RUSSIA, ClaimKind.ADVANCE),
        ),
        (
            "Selon l'état-major ukrainien, l'ennemi a encerclé une brigade près de Koupiansk.",
            ("Kupiansk", Side.UKRAINE, Side.RUSSIA, ClaimKind.ENCIRCLEMENT),
        ),
        # ...unless its attack failed: then the claimant's own side repelled it.
        (
            "Ukraine's General Staff said the enemy unsuccessfully tried to storm Kupiansk.",
            ("Kupiansk", Side.UKRAINE, Side.UKRAINE, ClaimKind.REPELLED),
        ),
        # Stopping an attack, with words between the verb and the attack.
        (
            "Selon le ministère russe de la Défense, ses forces ont arrêté mardi soir une"
            " offensive ukrainienne près de Siversk.",
            ("Siversk", Side.RUSSIA, Side.RUSSIA, ClaimKind.REPELLED),
        ),
        (
            "Russia's defence ministry said its units halted on Tuesday a Ukrainian assault"
            " near Siversk.",
            ("Siversk", Side.RUSSIA, Side.RUSSIA, ClaimKind.REPELLED),
        ),
        # A compound passive ('a ete reprise par', 'has been captured by'): the agent acts.
        (
            "Le ministère ukrainien de la Défense a indiqué que Koupiansk a été reprise par"
            " les forces russes.",
            ("Kupiansk", Side.UKRAINE, Side.RUSSIA, ClaimKind.CONTROL),
        ),
        (
            "Ukraine's army said Siversk has been captured by Russian troops.",
            ("Siversk", Side.UKRAINE, Side.RUSSIA, ClaimKind.CONTROL),
        ),
        # 'As reported by X' names the speaker as 'according to' does.
        (
            "As reported by Ukrinform, the enemy unsuccessfully attempted to storm Siversk.",
            ("Siversk", Side.UKRAINE, Side.UKRAINE, ClaimKind.REPELLED),
        ),
        # A body named without its side speaks with the voice of its words.
        (
            '"Nos défenseurs ont repoussé les envahisseurs près de Koupiansk", a indiqué'
            " l'état-major.",
            ("Kupiansk", Side.UKRAINE, Side.UKRAINE, ClaimKind.REPELLED),
        ),
        (
            "The general staff said the Kyiv regime's militants were repelled near Siversk.",
            ("Siversk", Side.RUSSIA, Side.RUSSIA, ClaimKind.REPELLED),
        ),
    ],
)
def test_classes_of_phrasing_seen_in_real_reporting(
    extractor: Extractor, text: str, expected: tuple[object]
) -> None:
    assert one(read(extractor, text)) == expected


def test_an_unnamed_village_in_a_region_is_no_claim_about_the_region(
    extractor: Extractor,
) -> None:
    text = "Russia's defence ministry said its forces captured a village in the Kharkiv region."
    assert read(extractor, text).claims == ()


@pytest.mark.parametrize(
    "text",
    [
        # The speaker named in the next sentence, pointing back.
        "Ukrainian units have been withdrawn from Velyka Novosilka. This was stated by"
        " Viktor Trehubov, a spokesman for the Khortytsia group.",
        # The speaker named after a quotation of several sentences.
        "\u201cOur units withdrew from the southern part of Velyka Novosilka yesterday."
        " Fighting goes on elsewhere,\u201d Trehubov said.",
    ],
)
def test_a_speaker_named_after_what_they_said_is_its_claimant(
    extractor: Extractor, text: str
) -> None:
    claims = read(extractor, text).claims
    assert [(c.place_name, c.claimant_side, c.kind) for c in claims] == [
        ("Velyka Novosilka", Side.UKRAINE, ClaimKind.WITHDRAWAL)
    ]


def test_both_villages_stand_for_the_places_just_named(extractor: Extractor) -> None:
    text = (
        "Russian forces now occupy the villages of Zaporizke and Novoheorhiivka, according"
        " to DeepState. Russia's defence ministry said on Monday it had captured both villages."
    )
    russian = [c.place_name for c in read(extractor, text).claims if c.claimant_side is Side.RUSSIA]
    assert sorted(russian) == ["Novoheorhiivka", "Zaporizke"]


def test_a_town_that_settlements_lie_near_is_not_the_claim_s_place(extractor: Extractor) -> None:
    unnamed = "Ukraine's army said five villages near Lyman had been liberated."
    assert [c.place_name for c in read(extractor, unnamed).claims] == []
    named = "Russia's defence ministry said its troops took the village of Tabaivka near Kupiansk."
    assert [c.place_name for c in read(extractor, named).claims] == ["Tabaivka"]


def test_a_body_named_without_its_side_keeps_the_side_it_was_named_with(
    extractor: Extractor,
) -> None:
    text = (
        "Russia's defence ministry said on Monday its forces captured Tabaivka."
        " Ukraine's army said it still held Siversk."
        " The defence ministry said on Tuesday that its units had captured Siversk."
    )
    claims = read(extractor, text).claims
    assert [(c.place_name, c.claimant_side, c.actor_side) for c in claims] == [
        ("Tabaivka", Side.RUSSIA, Side.RUSSIA),
        ("Siversk", Side.UKRAINE, Side.UKRAINE),
        ("Siversk", Side.RUSSIA, Side.RUSSIA),
    ]


@pytest.mark.parametrize(
    ("text", "places"),
    [
        # A landmark a distance is measured from.
        (
            "Russia's defence ministry said its forces captured Tabaivka, 20 km south-east of"
            " Kupiansk.",
            ["Tabaivka"],
        ),
        # A region with an adjective between its noun and its name.
        (
            "Le ministère russe de la Défense a affirmé avoir repris un village dans la région"
            " méridionale de Zaporijjia.",
            [],
        ),
        # A region named after a town's description.
        (
            "Le ministère russe de la Défense a annoncé que Siversk, petite ville de la région"
            " de Donetsk, a été libérée.",
            ["Siversk"],
        ),
        # A line of the front is no place taken.
        (
            "Selon Hanna Maliar, dans les directions de Berdiansk et de Melitopol, huit"
            " localités ont été libérées.",
            [],
        ),
        (
            "Ukraine's General Staff said its forces had liberated two villages on the"
            " Siversk axis.",
            [],
        ),
        # Two places joined by a hyphen name an axis: both are the claim's.
        (
            "Ukraine's General Staff said its forces repelled four attacks on the"
            " Siversk-Lyman axis.",
            ["Siversk", "Lyman"],
        ),
    ],
)
def test_places_that_only_locate_others_are_not_claimed(
    extractor: Extractor, text: str, places: list[str]
) -> None:
    assert [c.place_name for c in read(extractor, text).claims] == places


def test_a_region_named_after_a_town_to_place_it_is_not_the_claim_s_place(
    extractor: Extractor,
) -> None:
    text = (
        "Le ministère russe de la Défense a annoncé que Tchassiv Iar, dans la région de"
        " Donetsk, a été libérée par ses troupes."
    )
    assert [c.place_name for c in read(extractor, text).claims] == ["Chasiv Yar"]

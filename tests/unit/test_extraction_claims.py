"""Claim extraction on small sentences written for these tests, in English and French."""

from __future__ import annotations

from datetime import date

import pytest

from domain.extraction import Extractor
from domain.extraction.text import split_sentences
from domain.vocabulary import ClaimKind, Side
from tests.unit.conftest import one, read


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
        # The elided 'd'' of an attempt, quoted or not.
        "Selon Syrsky, les Russes « tentent d'encercler » la ville de Pokrovsk.",
        "Selon Syrsky, les Russes essaient d'encercler Pokrovsk.",
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


def test_a_run_of_text_with_no_full_stop_is_read_in_bounded_pieces() -> None:
    body = "Russian forces attacked near Kupiansk, " * 200
    sentences = split_sentences(body)
    assert len(sentences) > 1
    assert max(s.end - s.start for s in sentences) <= 1_000
    # The pieces cover the text and cut after commas.
    assert all(body[s.end - 1] == "," for s in sentences[:-1])


@pytest.mark.parametrize(
    ("text", "place", "side", "taker"),
    [
        # A place fallen, no taker named: taken by the side its country fights.
        ("Avdiivka has fallen, the Russian defence ministry said.", "Avdiivka", Side.RUSSIA,
         Side.RUSSIA),
        ("The town of Vuhledar fell on Tuesday, Ukrainian officials acknowledged.", "Vuhledar",
         Side.UKRAINE, Side.RUSSIA),
        ("Selon Moscou, Koupiansk est tombée.", "Kupiansk", Side.RUSSIA, Side.RUSSIA),
        ("Kyiv confirmed the fall of Avdiivka.", "Avdiivka", Side.UKRAINE, Side.RUSSIA),
        ("Sudzha has fallen, Russian military bloggers admitted.", "Sudzha", Side.RUSSIA,
         Side.UKRAINE),
    ],
)  # fmt: skip
def test_a_place_fallen_is_taken_by_the_side_its_country_fights(
    extractor: Extractor, text: str, place: str, side: Side, taker: Side
) -> None:
    assert one(read(extractor, text)) == (place, side, taker, ClaimKind.CONTROL)


@pytest.mark.parametrize(
    "text",
    [
        "Two soldiers from Kharkiv fell in battle, officials said.",
        "Le prix du pain a chuté à Kharkiv, selon les autorités locales.",
    ],
)
def test_falling_that_takes_no_place_claims_nothing(extractor: Extractor, text: str) -> None:
    assert read(extractor, text).claims == ()


def test_the_greater_part_seized_is_partial_control(extractor: Extractor) -> None:
    text = "Les troupes russes se sont emparées de la majeure partie de Pokrovsk, selon Moscou."
    assert one(read(extractor, text))[3] is ClaimKind.PARTIAL_CONTROL


@pytest.mark.parametrize(
    ("text", "extent"),
    [
        ("Russian troops are in control of roughly two-thirds of Pokrovsk, DeepState said.", 0.67),
        ("L'armée ukrainienne ne contrôle plus que 20 % de Pokrovsk, selon des analystes.", 0.2),
    ],
)
def test_the_share_held_is_read_in_more_forms(
    extractor: Extractor, text: str, extent: float
) -> None:
    claim = read(extractor, text).claims[0]
    assert (claim.kind, claim.extent) == (ClaimKind.PARTIAL_CONTROL, extent)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Russia said on Tuesday its forces had taken control of two more villages in eastern"
            " Ukraine as they push towards the city of Kostiantynivka.",
            ("Kostiantynivka", Side.RUSSIA, Side.RUSSIA, ClaimKind.ADVANCE),
        ),
        (
            "Ukraine said its troops had advanced in southern Russia and were pushing towards"
            " Sudzha.",
            ("Sudzha", Side.UKRAINE, Side.UKRAINE, ClaimKind.ADVANCE),
        ),
    ],
)
def test_a_country_named_as_a_region_is_no_forces(
    extractor: Extractor, text: str, expected: tuple[str, Side, Side, ClaimKind]
) -> None:
    # 'in eastern Ukraine' says where; the forces that push are the speaker's.
    assert one(read(extractor, text)) == expected


def test_then_dates_a_claim_by_the_day_the_sentence_before_named(extractor: Extractor) -> None:
    text = (
        "Sur le terrain, les progrès ukrainiens s'étaient accélérés dès lundi. Le commandant en"
        " chef, Valeri Zaloujny, avait alors annoncé la reprise de Snihourivka."
    )
    assert [c.claimed_on for c in read(extractor, text).claims] == [date(2025, 11, 10)]


def test_we_retake_is_a_claim_of_control_and_an_exclamation_is_reported(
    extractor: Extractor,
) -> None:
    text = (
        "« Aujourd'hui est un jour historique. Nous reprenons Kherson », a lancé vendredi soir"
        " Volodymyr Zelensky."
    )
    claims = read(extractor, text).claims
    assert [(c.place_name, c.claimant_side, c.kind, c.claimed_on) for c in claims] == [
        ("Kherson", Side.UKRAINE, ClaimKind.CONTROL, date(2025, 11, 7))
    ]


def test_a_withdrawal_ordered_days_before_is_not_the_one_completed_today(
    extractor: Extractor,
) -> None:
    text = (
        "A Moscou, le ministère de la Défense a assuré avoir achevé le retrait de ses troupes de"
        " Kherson. C'est le ministre Sergueï Choïgou qui avait ordonné lundi le retrait de"
        " Kherson."
    )
    assert [c.claimed_on for c in read(extractor, text).claims] == [
        date(2025, 11, 13),
        date(2025, 11, 10),
    ]

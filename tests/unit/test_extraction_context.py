"""Dates, places, speakers and contestations on small sentences written for these tests."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from domain.events import DateWindow
from domain.extraction import Extractor
from domain.extraction.language import detect_language
from domain.vocabulary import ClaimKind, Side
from infra.reference.gazetteer import default_gazetteer
from tests.unit.conftest import contested, one, read

PUBLISHED = date(2025, 11, 13)  # a Thursday


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor(default_gazetteer())


@pytest.mark.parametrize(
    ("text", "on"),
    [
        ("Le Kremlin a annoncé jeudi que ses troupes ont libéré Siversk.", date(2025, 11, 13)),
        ("Le Kremlin a annoncé mardi que ses troupes ont libéré Siversk.", date(2025, 11, 11)),
        ("The Kremlin said on Monday that its troops captured Siversk.", date(2025, 11, 10)),
        ("Le 3 novembre, le Kremlin a annoncé avoir pris Siversk.", date(2025, 11, 3)),
        ("On October 30 the Kremlin said its forces captured Siversk.", date(2025, 10, 30)),
        ("Hier, le Kremlin a affirmé que ses forces ont pris Siversk.", date(2025, 11, 12)),
        # An abbreviated month next to its day needs no full stop.
        ("The Kremlin claimed the capture of Siversk on Nov 3.", date(2025, 11, 3)),
        ("The Kremlin claimed the capture of Siversk on 3 Nov.", date(2025, 11, 3)),
        # A day inside the quote tells when things happened, not when they were said.
        (
            'On Tuesday the Kremlin said: "Yesterday our troops liberated Siversk."',
            date(2025, 11, 11),
        ),
        # Days counted back from publication.
        ("The Kremlin said two days ago that its forces captured Siversk.", date(2025, 11, 11)),
        ("Le Kremlin a affirmé avant-hier avoir pris Siversk.", date(2025, 11, 11)),
        ("Le Kremlin a affirmé ce week-end avoir pris Siversk.", date(2025, 11, 9)),
    ],
)
def test_dates_resolve_against_publication(extractor: Extractor, text: str, on: date) -> None:
    assert extractor.extract(text, PUBLISHED).claims[0].claimed_on == on


@pytest.mark.parametrize(
    ("text", "window"),
    [
        (
            "Fin octobre, l'armée russe a annoncé avoir encerclé des brigades à Lyman.",
            (date(2025, 10, 20), date(2025, 10, 31)),
        ),
        (
            "Last week the Ukrainian army said it repelled attacks near Lyman.",
            (date(2025, 11, 3), date(2025, 11, 9)),
        ),
        (
            "Dans ses rapports des 4 et 5 novembre, le Kremlin affirme avoir repris Lyman.",
            (date(2025, 11, 4), date(2025, 11, 5)),
        ),
        # Earlier this week: Monday to the day before a Thursday's publication.
        (
            "Russia's defence ministry said earlier this week that it had captured Lyman.",
            (date(2025, 11, 10), date(2025, 11, 12)),
        ),
        (
            "Le Kremlin a affirmé en début de semaine avoir repris Lyman.",
            (date(2025, 11, 10), date(2025, 11, 12)),
        ),
    ],
)
def test_bounded_dates_give_a_window(
    extractor: Extractor, text: str, window: tuple[date, date]
) -> None:
    claim = extractor.extract(text, PUBLISHED).claims[0]
    assert claim.claimed_window is not None
    assert (claim.claimed_window.start, claim.claimed_window.end) == window
    assert window[0] <= claim.claimed_on <= window[1]


def test_province_of_a_city_is_the_oblast(extractor: Extractor) -> None:
    text = "Selon Moscou, l'armée russe progresse dans les provinces de Kharkiv et de Zaporijia."
    names = {c.place_name for c in extractor.extract(text, PUBLISHED).claims}
    assert names == {"Kharkiv Oblast", "Zaporizhzhia Oblast"}


def test_named_regions_after_a_list_are_oblasts(extractor: Extractor) -> None:
    text = "Moscow said its troops advanced in the Donetsk and Luhansk regions."
    names = {c.place_name for c in extractor.extract(text, PUBLISHED).claims}
    assert names == {"Donetsk Oblast", "Luhansk Oblast"}


def test_people_and_streets_are_not_places(extractor: Extractor) -> None:
    text = (
        "Vladimir Poutine et Volodymyr Zelensky ont parlé. "
        "Le général russe a dit que ses soldats ont avancé rue Dzerjinsk à Lyman."
    )
    claims = extractor.extract(text, PUBLISHED).claims
    assert [c.place_name for c in claims] == ["Lyman"]


def test_capital_as_a_government_is_not_a_place(extractor: Extractor) -> None:
    text = "Kyiv said its forces retook Kupiansk."
    claims = extractor.extract(text, PUBLISHED).claims
    assert [(c.place_name, c.claimant_side) for c in claims] == [("Kupiansk", Side.UKRAINE)]


def test_denial_contests_the_opponents_last_claim(extractor: Extractor) -> None:
    text = (
        "Russia's defence ministry said its troops encircled Ukrainian units in Lyman. "
        "Kyiv dismissed the report as fake. "
        "Ukraine's army said it still holds the town."
    )
    extraction = extractor.extract(text, PUBLISHED)
    russian = next(c for c in extraction.claims if c.claimant_side is Side.RUSSIA)
    assert contested(extraction) == [(russian.id, Side.UKRAINE)]
    counter = [c for c in extraction.claims if c.claimant_side is Side.UKRAINE]
    assert [(c.place_name, c.actor_side) for c in counter] == [("Lyman", Side.UKRAINE)]


def test_a_denial_contests_a_third_party_s_report_of_the_enemy_s_gains_too(
    extractor: Extractor,
) -> None:
    text = (
        "Russian forces now occupy Zaporizke, according to DeepState. "
        "Moscow's defence ministry had earlier reported capturing the village. "
        "Ukraine's military dismissed reports that Russian troops had occupied the village"
        " as false."
    )
    extraction = extractor.extract(text, PUBLISHED)
    contested = {k.contests for k in extraction.contestations}
    sides = {c.claimant_side for c in extraction.claims if c.id in contested}
    assert sides == {Side.THIRD_PARTY, Side.RUSSIA}
    assert {k.by_side for k in extraction.contestations} == {Side.UKRAINE}


def test_a_denial_leaves_an_earlier_claim_of_another_day_alone(extractor: Extractor) -> None:
    text = (
        "On November 3, Russia's defence ministry said its troops encircled Ukrainian units"
        " in Lyman. "
        "On November 12, the ministry said its troops had encircled Ukrainian units in"
        " Lyman. "
        "Kyiv dismissed the report as fake."
    )
    extraction = extractor.extract(text, PUBLISHED)
    assert len({c.claimed_on for c in extraction.claims}) == 2
    contested = [
        c for c in extraction.claims if c.id in {k.contests for k in extraction.contestations}
    ]
    assert [c.claimed_on.day for c in contested] == [12]


@pytest.mark.parametrize(
    "text",
    [
        "Russia's defence ministry said on Monday its forces had captured Robotyne."
        " Ukraine's General Staff said its forces had repelled Russian attacks near Robotyne.",
        "Le ministère russe de la Défense a affirmé lundi avoir pris Robotyne. L'état-major"
        " ukrainien a assuré que ses forces avaient repoussé les attaques russes près de"
        " Robotyne.",
    ],
)
def test_a_repelled_answer_to_a_claimed_capture_contests_it(
    extractor: Extractor, text: str
) -> None:
    extraction = extractor.extract(text, PUBLISHED)
    capture = next(c for c in extraction.claims if c.kind is ClaimKind.CONTROL)
    assert contested(extraction) == [(capture.id, Side.UKRAINE)]


def test_a_repelled_attack_on_a_place_nobody_claimed_contests_nothing(
    extractor: Extractor,
) -> None:
    text = (
        "Ukraine's army said on Monday it had entered Robotyne. Russia's defence ministry"
        " said its forces had repelled Ukrainian attacks near Robotyne."
    )
    assert extractor.extract(text, PUBLISHED).contestations == ()


def test_french_denial_of_a_declaration(extractor: Extractor) -> None:
    text = (
        "Zelensky a affirmé que l'armée ukrainienne a repoussé les Russes à Koupiansk. "
        "Le ministère russe de la Défense a qualifié cette déclaration d'absurde."
    )
    extraction = extractor.extract(text, PUBLISHED)
    assert [(k.by, k.by_side) for k in extraction.contestations] == [
        ("Russian Ministry of Defence", Side.RUSSIA)
    ]


def test_stopwords_tell_french_from_english() -> None:
    assert detect_language("Les forces sont entrées dans la ville selon le ministère.") == "fr"
    assert detect_language("The forces entered the city, the ministry said.") == "en"
    assert detect_language("12345", default="en") == "en"
    # Too short for either's stopwords: French letters and quotation marks tell.
    assert detect_language("Wagner affirme contrôler Bakhmout « à 70 % ».") == "fr"
    assert detect_language("Zelensky visited Kharkiv.") == "en"


def test_a_speaker_in_a_later_subordinate_clause_does_not_voice_the_claim(
    extractor: Extractor,
) -> None:
    text = "Ukrainian troops entered Siversk on Friday after the Kremlin said it had left."
    # The advance is the outlet's own narration, which is not recorded.
    assert extractor.extract(text, PUBLISHED).claims == ()


def test_a_sides_word_before_a_body_gives_the_body_that_side(extractor: Extractor) -> None:
    text = "Ukraine's southern group of forces said its units pulled out of Siversk."
    claim = extractor.extract(text, PUBLISHED).claims[0]
    assert (claim.claimant_side, claim.actor_side) == (Side.UKRAINE, Side.UKRAINE)


def test_the_oblast_that_locates_a_town_is_not_a_second_claim(extractor: Extractor) -> None:
    text = "Le Kremlin a affirmé jeudi avoir pris Siversk, dans la région de Donetsk."
    assert [c.place_name for c in extractor.extract(text, PUBLISHED).claims] == ["Siversk"]


def test_where_a_withdrawal_went_is_not_where_it_left(extractor: Extractor) -> None:
    text = "The Kremlin said on Monday that its troops withdrew from Lyman to Kreminna."
    assert [c.place_name for c in extractor.extract(text, PUBLISHED).claims] == ["Lyman"]


def test_the_village_refers_back_to_a_village_not_to_the_city_named_since(
    extractor: Extractor,
) -> None:
    text = (
        "Russian forces have captured the village of Bohoiavlenka, Russia's Defence Ministry"
        " said, as Moscow presses its advance towards the logistics hub of Pokrovsk. The"
        " ministry said its units had liberated the village, about 50 km south of Pokrovsk."
    )
    claims = extractor.extract(text, PUBLISHED).claims
    assert [(c.place_name, c.kind) for c in claims] == [("Bohoiavlenka", ClaimKind.CONTROL)]


def test_a_list_closes_at_its_conjunction(extractor: Extractor) -> None:
    text = (
        "Moscou affirme avoir pris le contrôle des villages de Petrivka et de Zoriane, près"
        " de Pokrovsk."
    )
    claims = extractor.extract(text, PUBLISHED, "fr").claims
    assert [c.place_name for c in claims] == ["Petrivka", "Zoriane"]


def test_fighting_in_part_of_a_town_is_holding_part_of_it(extractor: Extractor) -> None:
    text = (
        "Selon le porte-parole du groupement ukrainien Khortytsia, Viktor Trehoubov, les"
        " combats se poursuivent dans la partie ouest de la ville de Kourakhové."
    )
    claims = extractor.extract(text, PUBLISHED, "fr").claims
    assert [(c.place_name, c.claimant_side, c.actor_side, c.kind) for c in claims] == [
        ("Kurakhove", Side.UKRAINE, Side.UKRAINE, ClaimKind.PARTIAL_CONTROL)
    ]


def test_a_date_in_a_background_clause_does_not_date_the_claim(extractor: Extractor) -> None:
    text = (
        "Dans la région de Koursk, où l'armée ukrainienne avait lancé une incursion en août,"
        " Moscou affirme avoir repris le village de Lioubimovka."
    )
    claims = extractor.extract(text, PUBLISHED, "fr").claims
    assert [(c.place_name, c.claimed_on) for c in claims] == [("Lyubymivka", PUBLISHED)]


def test_a_list_joined_by_et_d_apostrophe_names_both_places(extractor: Extractor) -> None:
    text = (
        "Le ministère russe de la Défense revendique aussi la prise des localités de"
        " Stoupotchky et d'Ivanivské, près de Tchassiv Iar."
    )
    claims = extractor.extract(text, PUBLISHED, "fr").claims
    assert [c.place_name for c in claims] == ["Stupochky", "Ivanivs'ke"]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        (
            "L'armée russe a affirmé samedi contrôler désormais plus de 70 % de la ville de"
            " Tchassiv Iar.",
            ClaimKind.PARTIAL_CONTROL,
        ),
        (
            "« Nos troupes poursuivent la libération de Tchassiv Iar », a déclaré le ministère"
            " russe de la Défense.",
            ClaimKind.ADVANCE,
        ),
    ],
)
def test_infinitives_and_ongoing_liberations(
    extractor: Extractor, text: str, kind: ClaimKind
) -> None:
    claims = extractor.extract(text, PUBLISHED, "fr").claims
    assert [(c.place_name, c.claimant_side, c.kind) for c in claims] == [
        ("Chasiv Yar", Side.RUSSIA, kind)
    ]


def test_a_daily_report_goes_on_across_paragraphs_in_a_side_s_voice(
    extractor: Extractor,
) -> None:
    text = (
        "Ukraine's General Staff said in its morning report that 153 combat clashes took"
        " place over the past day.\n\n"
        "In the Pokrovsk direction, the enemy attacked 45 times near Myrolubivka and Lysivka."
        "\n\nIn the Kupiansk direction, Russian forces tried to advance near Synkivka eight"
        " times, the report said."
    )
    claims = extractor.extract(text, PUBLISHED).claims
    assert [(c.place_name, c.claimant_side, c.actor_side, c.kind) for c in claims] == [
        ("Myroliubivka", Side.UKRAINE, Side.RUSSIA, ClaimKind.ADVANCE),
        # Лисівка of Pokrovsk's community, spelt so, not Лісівка of another.
        ("Lysivka", Side.UKRAINE, Side.RUSSIA, ClaimKind.ADVANCE),
        ("Synkivka", Side.UKRAINE, Side.RUSSIA, ClaimKind.ADVANCE),
    ]


def test_narration_without_a_side_s_voice_stays_unattributed(extractor: Extractor) -> None:
    text = (
        "Ukraine's General Staff said in its morning report that 153 combat clashes took"
        " place over the past day.\n\n"
        "Russia captured the town of Avdiivka in February."
    )
    assert extractor.extract(text, PUBLISHED).claims == ()


def test_a_region_named_is_no_anaphor_for_a_cue_whose_place_follows(
    extractor: Extractor,
) -> None:
    text = (
        "L'Ukraine a annoncé mercredi avoir repris le contrôle du village de Robotyne, dans la"
        " région de Zaporijjia, une avancée de sa contre-offensive dans le sud du pays."
    )
    claims = extractor.extract(text, PUBLISHED, "fr").claims
    assert [(c.place_name, c.kind) for c in claims] == [("Robotyne", ClaimKind.CONTROL)]


def test_positions_held_south_of_a_place_are_part_of_it(extractor: Extractor) -> None:
    text = (
        "Le village de Robotyne a été repris, selon Kiev. Mais Vladimir Rogov a affirmé que"
        " les troupes russes tenaient toujours des positions au sud de la localité."
    )
    claims = extractor.extract(text, PUBLISHED, "fr").claims
    assert [(c.place_name, c.claimant_side, c.actor_side, c.kind) for c in claims][-1] == (
        "Robotyne",
        Side.RUSSIA,
        Side.RUSSIA,
        ClaimKind.PARTIAL_CONTROL,
    )


def test_unnamed_villages_taken_in_a_region_are_a_claim_about_the_region(
    extractor: Extractor,
) -> None:
    text = (
        "The Freedom of Russia Legion claimed to have crossed the border into Russia's Kursk"
        " region on Tuesday, taking control of several border villages."
    )
    claims = extractor.extract(text, PUBLISHED).claims
    assert [(c.place_name, c.claimant_side) for c in claims] == [("Kursk Oblast", Side.UKRAINE)]


@pytest.mark.parametrize(
    "text",
    [
        "Le ministère russe de la Défense a affirmé avoir pris Koupiansk, ce que dément Kiev.",
        "Le ministère russe de la Défense a affirmé avoir pris Koupiansk, une information"
        " démentie par Kiev.",
        "Russia's defence ministry said its forces had captured Kupiansk, a claim denied by Kyiv.",
        "Russia's defence ministry said its forces had captured Kupiansk. A Ukrainian military"
        " spokesman said there was no truth to the report.",
        # A dispute whose object is the claim before it.
        "Moscow says its forces captured Kupiansk, a claim Kyiv disputes.",
        "Russia's defence ministry said it had captured Kupiansk. Kyiv disputed, saying"
        " fighting continued.",
    ],
)
def test_denials_with_the_denier_after_the_verb(extractor: Extractor, text: str) -> None:
    extraction = extractor.extract(text, PUBLISHED)
    assert contested(extraction) == [("c1", Side.UKRAINE)]


def test_rejecting_a_decision_contests_no_claim(extractor: Extractor) -> None:
    text = (
        "Vitaly Kiseliov, un responsable de la République populaire de Lougansk, a affirmé que"
        " la ville de Marinka était encerclée par les troupes russes. La Russie a annoncé"
        " l'annexion de quatre régions. Cette décision a été rejetée par Kiev."
    )
    assert extractor.extract(text, PUBLISHED, "fr").contestations == ()


def test_attacks_repelled_are_those_just_reported(extractor: Extractor) -> None:
    text = (
        "Selon l'armée ukrainienne, les troupes russes ont tenté à douze reprises de percer"
        " les défenses près de Vovtchansk. Toutes ces attaques ont été repoussées, a-t-elle"
        " précisé."
    )
    claims = extractor.extract(text, PUBLISHED, "fr").claims
    assert [(c.place_name, c.actor_side, c.kind) for c in claims] == [
        ("Vovchansk", Side.RUSSIA, ClaimKind.ADVANCE),
        ("Vovchansk", Side.UKRAINE, ClaimKind.REPELLED),
    ]


def test_a_list_ends_where_a_new_clause_begins(extractor: Extractor) -> None:
    text = (
        "Le ministère russe de la Défense a affirmé que ses unités avaient amélioré leurs"
        " positions près de Vovtchansk et infligé de lourdes pertes aux forces ukrainiennes"
        " près des localités de Glyboké et de Lyptsi."
    )
    claims = extractor.extract(text, PUBLISHED, "fr").claims
    assert [c.place_name for c in claims] == ["Vovchansk"]


def test_last_month_is_a_window_and_narration_does_not_date_what_follows(
    extractor: Extractor,
) -> None:
    text = (
        "Russia said last month that its forces had captured Siversk.\n"
        "Russian forces entered the Dnipropetrovsk region last month. Russian official"
        " Vladimir Rogov said Russian forces had taken control of Dachne."
    )
    claims = extractor.extract(text, PUBLISHED, "en").claims
    assert claims[0].claimed_window == DateWindow(date(2025, 10, 1), date(2025, 10, 31))
    assert (claims[1].place_name, claims[1].claimed_on) == ("Dachne", PUBLISHED)


@pytest.mark.parametrize(
    "text",
    [
        "Russia's defence ministry claimed its forces had liberated Kalynove in Donetsk.",
        "Russia said it had captured Kalynove in eastern Donetsk region.",
        "Russia said it had captured Kalynove (Donetsk region).",
        "La Russie a revendiqué la prise de Kalynove (région de Donetsk).",
        "La Russie a revendiqué la prise de Kalynove, dans l'est de la région de Donetsk.",
    ],
)
def test_the_oblast_named_after_a_village_picks_the_namesake_there(
    extractor: Extractor, text: str
) -> None:
    # Kalynove is the name of villages in several oblasts; the one in Donetsk is meant.
    assert [c.place_id for c in read(extractor, text).claims] == ["geonames:707137"]


@pytest.mark.parametrize(
    "text",
    [
        "Moscow-installed Luhansk leader Leonid Pasechnik said Russian forces fully controlled"
        " the region.",
        "Le dirigeant installé par Moscou à Louhansk, Leonid Passetchnik, a affirmé que les"
        " forces russes contrôlaient entièrement la région.",
    ],
)
def test_the_region_after_a_city_that_names_an_oblast_is_the_oblast(
    extractor: Extractor, text: str
) -> None:
    assert one(read(extractor, text))[0] == "Luhansk Oblast"


@pytest.mark.parametrize(
    "text",
    [
        "Russian forces entered Vovchansk, local officials said.",
        "Russian forces entered Vovchansk, the regional governor said.",
        "Russian forces entered Vovchansk, Kharkiv officials said.",
        "Russian forces entered Vovchansk, officials said.",
        "Les forces russes sont entrées dans Vovtchansk, ont indiqué les autorités locales.",
    ],
)
def test_local_officials_named_after_the_claim_are_its_speakers(
    extractor: Extractor, text: str
) -> None:
    # Not the forces the sentence opens on; local officials without a side are Kyiv's.
    assert one(read(extractor, text)) == (
        "Vovchansk",
        Side.UKRAINE,
        Side.RUSSIA,
        ClaimKind.ADVANCE,
    )


@pytest.mark.parametrize(
    "text",
    [
        "L'armée russe a revendiqué samedi la prise de Jelanné Drougué.",
        "Russia claimed the capture of Zhelanne Druhe.",
    ],
)
def test_a_village_named_as_before_it_was_renamed(extractor: Extractor, text: str) -> None:
    # Zhelanne Druhe is Bazhane Druhe since 2024; reporting goes on with the old name.
    assert one(read(extractor, text))[0] == "Bazhane Druhe"


@pytest.mark.parametrize(
    ("text", "place"),
    [
        # Crimea's Konstantinovka is so named; Donetsk's Kostiantynivka has it as an alias.
        ("Russia said its forces had captured Konstantinovka.", "Kostiantynivka"),
        ("La Russie a affirmé avoir pris Nikolaïevka.", "Mykolaivka"),
        # A Kalynove of Donetsk, not the larger one of Kyiv Oblast.
        ("Ukraine said it had repelled attacks near Kalynove.", "Kalynove"),
        # Russia's border oblasts are not far from the front.
        ("Ukraine said its forces had entered Tetkino.", "Tetkino"),
    ],
)
def test_of_namesakes_nothing_settles_one_near_the_front_is_meant(
    extractor: Extractor, text: str, place: str
) -> None:
    assert one(read(extractor, text))[0] == place


def test_a_headline_claim_is_the_claim_its_lede_dates(extractor: Extractor) -> None:
    text = (
        "Russia claims capture of Dachne as Ukraine reports fierce fighting\n"
        "Russia said on Sunday its forces had captured the village."
    )
    found = read(extractor, text)
    assert [(c.place_name, c.claimed_on) for c in found.claims] == [("Dachne", date(2025, 11, 9))]


def test_ce_village_de_la_region_refers_back(extractor: Extractor) -> None:
    text = (
        "Guerre en Ukraine : la Russie revendique la prise de Dachné\n"
        "Moscou a annoncé dimanche avoir pris ce village de la région de Donetsk."
    )
    found = read(extractor, text)
    assert [(c.place_name, c.claimed_on) for c in found.claims] == [("Dachne", date(2025, 11, 9))]


def test_the_settlement_is_the_one_claimed_not_a_town_the_outlet_narrates(
    extractor: Extractor,
) -> None:
    text = (
        "Russian forces have captured the village of Novoukrainka, Russia's defence ministry"
        " said, as Moscow presses its offensive towards the logistics hub of Pokrovsk. The"
        ' ministry said its units had "liberated" the settlement.'
    )
    assert [c.place_name for c in read(extractor, text).claims] == ["Novoukrainka"]


def test_places_a_list_adds_after_including(extractor: Extractor) -> None:
    text = (
        "Russia's defence ministry said its forces had captured Novoukrainka. Ukraine's General"
        " Staff said its troops had repelled 42 Russian attacks in the Pokrovsk sector over the"
        " past day, including near Novoukrainka and Udachne."
    )
    found = read(extractor, text)
    assert [c.place_name for c in found.claims if c.kind is ClaimKind.REPELLED] == [
        "Pokrovsk",
        "Novoukrainka",
        "Udachne",
    ]
    assert contested(found) == [("c1", Side.UKRAINE)]


def test_it_stands_for_the_region_its_sentence_names(extractor: Extractor) -> None:
    text = (
        "Russia has been advancing in the Donetsk region for months, and controls about 80% of"
        " it, Ukrainian officials said."
    )
    assert [(c.place_name, c.kind) for c in read(extractor, text).claims] == [
        ("Donetsk Oblast", ClaimKind.ADVANCE),
        ("Donetsk Oblast", ClaimKind.PARTIAL_CONTROL),
    ]


def test_a_paragraph_detailing_a_sides_lede_goes_on_from_its_day(extractor: Extractor) -> None:
    text = (
        "L'armée russe a revendiqué mardi la prise de deux villages dans l'est de l'Ukraine.\n\n"
        "Les forces russes ont « libéré » les localités de Zoriané, dans la région de Donetsk,"
        " et de Novomykolaïvka, dans celle de Zaporijjia, a indiqué le ministère russe de la"
        " Défense.\n\n"
        "Moscou affirme par ailleurs contrôler plus de la moitié de Koupiansk."
    )
    # Tuesday is the 11th; the paragraph after the next is no longer the lede's.
    assert [c.claimed_on.day for c in read(extractor, text).claims] == [11, 11, 13]


def test_in_the_oblast_named_a_place_so_spelt_comes_before_a_namesake(
    extractor: Extractor,
) -> None:
    # Pisochyn, a town of Kharkiv Oblast with coordinates, is spelt otherwise.
    text = (
        "L'armée russe a affirmé avoir pris le contrôle des villages de Pichtchané, dans la"
        " région de Kharkiv, et de Novopavlivka, dans celle de Dnipropetrovsk."
    )
    assert [c.place_name for c in read(extractor, text).claims] == ["Pishchane", "Novopavlivka"]


def test_the_town_is_first_the_one_its_paragraph_named(extractor: Extractor) -> None:
    text = (
        "Moscou affirme avoir encerclé Pokrovsk.\n"
        "A Koupiansk, les combats se poursuivent. Selon Kiev, les forces ukrainiennes"
        " contrôlent toujours la ville."
    )
    assert [c.place_name for c in read(extractor, text).claims] == ["Pokrovsk", "Kupiansk"]


def test_la_ville_des_is_no_name(extractor: Extractor) -> None:
    text = (
        "Kiev dément un encerclement à Pokrovsk.\n"
        "A Koupiansk, les combats se poursuivent. Selon l'état-major ukrainien, les forces"
        " ukrainiennes ont « nettoyé » plusieurs quartiers du nord de la ville des groupes de"
        " sabotage russes."
    )
    assert [c.place_name for c in read(extractor, text).claims] == ["Pokrovsk", "Kupiansk"]


def test_a_daily_report_goes_on_in_the_words_only_its_side_uses(extractor: Extractor) -> None:
    text = (
        "Units of the Battlegroup Center advanced deep into the enemy's defence and liberated"
        " the settlement of Novopavlivka, the Russian Defence Ministry reported. Over the past"
        " day, Ukraine lost up to 230 troops. The Battlegroup South liberated Siversk."
    )
    claims = extractor.extract(text, PUBLISHED).claims
    # The enemy's defence is what was advanced into, not the forces that took the village.
    assert [(c.place_name, c.claimant_side, c.actor_side, c.kind) for c in claims] == [
        ("Novopavlivka", Side.RUSSIA, Side.RUSSIA, ClaimKind.CONTROL),
        ("Siversk", Side.RUSSIA, Side.RUSSIA, ClaimKind.CONTROL),
    ]


@pytest.mark.parametrize(
    ("text", "days"),
    [
        (
            '"Siversk is under our control," Ukraine\'s military said on Tuesday, a day after'
            " Moscow claimed to have captured the town.",
            1,
        ),
        (
            "« Siversk est sous notre contrôle », a affirmé mardi l'armée ukrainienne, au"
            " lendemain de l'annonce par Moscou de la prise de la ville.",
            1,
        ),
        (
            "Ukraine said on Tuesday it still held Siversk, two days after Russia claimed to have"
            " taken it.",
            2,
        ),
    ],
)
def test_a_claim_told_as_another_s_background_is_dated_days_before_it(
    extractor: Extractor, text: str, days: int
) -> None:
    tuesday = date(2025, 11, 11)
    claims = {c.claimant_side: c.claimed_on for c in extractor.extract(text, PUBLISHED).claims}
    assert claims == {Side.UKRAINE: tuesday, Side.RUSSIA: tuesday - timedelta(days=days)}


@pytest.mark.parametrize(
    ("text", "places"),
    [
        (
            "Russia's defence ministry said its forces had captured three more villages in"
            " eastern Ukraine. They are Novopavlivka, Ivanivka and Dachne.",
            ["Novopavlivka", "Ivanivka", "Dachne"],
        ),
        # Places only said to lie near are not the ones taken.
        (
            "Russia said it had captured several villages. They are near Pokrovsk, it said.",
            [],
        ),
    ],
)
def test_the_sentence_after_a_capture_of_unnamed_villages_names_them(
    extractor: Extractor, text: str, places: list[str]
) -> None:
    claims = extractor.extract(text, PUBLISHED).claims
    assert [c.place_name for c in claims] == places
    assert {(c.claimant_side, c.actor_side, c.kind) for c in claims} <= {
        (Side.RUSSIA, Side.RUSSIA, ClaimKind.CONTROL)
    }


def test_a_disputed_area_contests_nothing(extractor: Extractor) -> None:
    text = (
        "Russia said its forces had captured Dachne, a village in a disputed, sparsely"
        " populated area."
    )
    assert contested(extractor.extract(text, PUBLISHED)) == []


@pytest.mark.parametrize(
    "text",
    [
        "Moscou revendique depuis plusieurs jours la conquête de Siversk, une affirmation que"
        " Kiev juge « fausse ».",
        "Moscou revendique la conquête de Siversk. Kiev estime cette annonce totalement infondée.",
    ],
)
def test_a_claim_the_other_side_judges_false_is_contested(extractor: Extractor, text: str) -> None:
    assert contested(extractor.extract(text, PUBLISHED)) == [("c1", Side.UKRAINE)]


@pytest.mark.parametrize(
    ("text", "quote"),
    [
        (
            "Russian troops have captured the village of Stepove, Russia's Defense Ministry"
            " claimed. Ukraine's army denied the claim, saying the village remains under"
            " Ukrainian control.",
            "the village remains under Ukrainian control",
        ),
        (
            "Russia said on Monday it had captured Avdiivka. Ukrainian troops still control the"
            " town, the army said.",
            "still control the town",
        ),
    ],
)
def test_a_place_named_again_is_quoted_by_the_words_that_name_it(
    extractor: Extractor, text: str, quote: str
) -> None:
    # The quote of the answer holds neither the speaker nor the sentence before.
    claims = extractor.extract(text, PUBLISHED).claims
    assert claims[-1].quote == quote
    assert text[claims[-1].start : claims[-1].end] == quote


def test_a_day_told_before_a_contrast_dates_the_clause_before_it(extractor: Extractor) -> None:
    text = (
        "Russia said it had captured Avdiivka last week, but Kyiv says the town is still held"
        " by Ukrainian forces."
    )
    found = extractor.extract(text, PUBLISHED)
    assert [(c.claimant_side, c.claimed_on) for c in found.claims] == [
        (Side.RUSSIA, PUBLISHED - timedelta(days=7)),
        (Side.UKRAINE, PUBLISHED),
    ]
    # Told in one sentence, the hold answers the capture whatever days they were.
    assert contested(found) == [("c1", Side.UKRAINE)]


def test_a_denied_claim_announced_the_day_before_is_dated_so(extractor: Extractor) -> None:
    text = (
        "Un responsable russe a contredit vendredi, au lendemain de l'annonce de la libération"
        " de la ville d'Ourojaïne, cette information."
    )
    found = extractor.extract(text, PUBLISHED)
    assert [(c.place_name, c.claimant_side, c.claimed_on) for c in found.claims] == [
        ("Urozhaine", Side.UKRAINE, date(2025, 11, 6))
    ]
    assert [(k.by_side, k.contested_on) for k in found.contestations] == [
        (Side.RUSSIA, date(2025, 11, 7))
    ]


def test_troops_still_in_a_town_answer_its_capture(extractor: Extractor) -> None:
    text = (
        "Russia's defence ministry said its troops had captured Dachne. A spokesman for"
        " Ukraine's Khortytsia group said Ukrainian troops were still in the village."
    )
    found = extractor.extract(text, PUBLISHED)
    assert [c.quote for c in found.claims] == [
        "captured Dachne",
        "Ukrainian troops were still in the village",
    ]
    assert contested(found) == [("c1", Side.UKRAINE)]


@pytest.mark.parametrize(
    "text",
    [
        "Dachne remains under Ukrainian control, the Khortytsia group said. Moscow had"
        " announced the capture of the village on Tuesday.",
        "Datchne reste sous contrôle ukrainien, a indiqué le groupement Khortytsia. Moscou"
        " avait annoncé mardi la prise du village.",
    ],
)
def test_a_hold_told_before_the_capture_answers_it(extractor: Extractor, text: str) -> None:
    found = extractor.extract(text, PUBLISHED)
    assert [(c.claimant_side, c.kind) for c in found.claims] == [
        (Side.UKRAINE, ClaimKind.CONTROL),
        (Side.RUSSIA, ClaimKind.CONTROL),
    ]
    assert contested(found) == [("c2", Side.UKRAINE)]


def test_a_second_complement_of_a_speaker_has_its_own_places(extractor: Extractor) -> None:
    text = (
        "Ukraine's Eastern Group spokesman said on Saturday that a Russian grouping in the"
        " Lyman area had been encircled, and that the villages of Yampil and Drobysheve had"
        " been liberated."
    )
    assert [(c.place_name, c.kind) for c in extractor.extract(text, PUBLISHED).claims] == [
        ("Lyman", ClaimKind.ENCIRCLEMENT),
        ("Yampil’", ClaimKind.CONTROL),
        ("Drobysheve", ClaimKind.CONTROL),
    ]


def test_a_speaker_in_an_as_clause_of_its_own_does_not_say_what_came_before(
    extractor: Extractor,
) -> None:
    text = (
        "Ukrainian forces have entered the centre of Kherson, as Moscow said it had completed"
        " its retreat from the western bank of the Dnipro river."
    )
    assert extractor.extract(text, PUBLISHED).claims == ()
    text = "Russian forces captured Dachne, as the ministry said on Monday."
    assert [c.claimant_side for c in extractor.extract(text, PUBLISHED).claims] == [Side.RUSSIA]


def test_a_city_is_its_oblast_only_after_the_article_named_the_oblast(
    extractor: Extractor,
) -> None:
    text = (
        "Russia's defence ministry said the withdrawal of its troops from Kherson had been"
        ' completed. Kherson region "is a subject of the Russian Federation", said Dmitry'
        " Peskov."
    )
    claims = extractor.extract(text, PUBLISHED).claims
    assert [(c.place_name, c.kind) for c in claims] == [("Kherson", ClaimKind.WITHDRAWAL)]


def test_a_body_a_sentence_is_about_is_who_it_is_next(extractor: Extractor) -> None:
    text = (
        "Ukraine's General Staff said its forces had liberated Storozheve. Russia's Defense"
        " Ministry, in its Monday briefing, made no mention of the villages. It said instead"
        " that its forces had repelled Ukrainian attacks near Makarivka."
    )
    found = extractor.extract(text, PUBLISHED).claims
    assert [(c.place_name, c.claimant_side, c.kind) for c in found] == [
        ("Storozheve", Side.UKRAINE, ClaimKind.CONTROL),
        ("Makarivka", Side.RUSSIA, ClaimKind.REPELLED),
    ]


def test_a_report_goes_on_past_a_comma_and_while(extractor: Extractor) -> None:
    text = (
        "Units of the Battlegroup Center took more advantageous lines near Selydove, the"
        " ministry added. Battlegroup South units repelled five counterattacks near Chasiv Yar,"
        " while Battlegroup West units repelled three attacks near Kupyansk."
    )
    found = extractor.extract(text, PUBLISHED).claims
    assert [(c.place_name, c.claimant_side) for c in found if c.kind is ClaimKind.REPELLED] == [
        ("Chasiv Yar", Side.RUSSIA),
        ("Kupiansk", Side.RUSSIA),
    ]


def test_its_outskirts_are_the_town_named_before(extractor: Extractor) -> None:
    text = (
        "Russia said it had taken Toretsk. Ukraine's army said its units still held positions"
        " on its northwestern outskirts."
    )
    found = extractor.extract(text, PUBLISHED).claims
    assert [(c.place_name, c.claimant_side, c.kind) for c in found] == [
        ("Toretsk", Side.RUSSIA, ClaimKind.CONTROL),
        ("Toretsk", Side.UKRAINE, ClaimKind.PARTIAL_CONTROL),
    ]


def test_a_village_the_gazetteer_lacks_is_not_read_as_the_region_before(
    extractor: Extractor,
) -> None:
    text = (
        "In Russia's Kursk Oblast, where Ukraine launched new attacks on Jan. 5, Russia's"
        " Defense Ministry said its troops had repelled a Ukrainian counteroffensive near the"
        " village of Berdin."
    )
    assert extractor.extract(text, PUBLISHED).claims == ()


def test_a_nearby_village_is_listed_with_the_town(extractor: Extractor) -> None:
    text = (
        "Ukraine's General Staff said its troops repelled nine Russian attacks near Velyka"
        " Novosilka and the nearby village of Vremivka."
    )
    assert [c.place_name for c in extractor.extract(text, PUBLISHED).claims] == [
        "Velyka Novosilka",
        "Vremivka",
    ]


def test_a_speaker_goes_on_from_its_day_after_another_side_answered(
    extractor: Extractor,
) -> None:
    text = (
        "Russia's Defense Ministry said Saturday that its forces had captured Toretsk, a claim"
        " Kyiv swiftly rejected.\n\nThe ministry also said troops of the Battlegroup Center had"
        " taken the village of Novovasilyevka, west of Pokrovsk."
    )
    found = extractor.extract(text, PUBLISHED).claims
    assert [(c.place_name, c.claimed_on) for c in found] == [
        ("Toretsk", date(2025, 11, 8)),
        ("Novovasylivka", date(2025, 11, 8)),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Moscou a revendiqué la prise de Koupiansk. Un démenti est rapidement venu de Kiev.",
        "Le ministère russe de la Défense a revendiqué la prise de Koupiansk, une affirmation"
        " que l'état-major ukrainien a rejetée.",
        "Selon Moscou, Koupiansk est encerclée. « Il n'y a pas d'encerclement », a assuré le"
        " commandant ukrainien.",
        'Moscow said Kupiansk was encircled. "There is no encirclement," the Ukrainian'
        " commander said.",
    ],
)
def test_denials_by_noun_relative_clause_and_no_encirclement(
    extractor: Extractor, text: str
) -> None:
    found = extractor.extract(text, PUBLISHED)
    assert [(c.claimant_side, c.actor_side) for c in found.claims] == [(Side.RUSSIA, Side.RUSSIA)]
    assert contested(found) == [("c1", Side.UKRAINE)]


def test_a_denial_opening_a_paragraph_answers_the_paragraph_before(
    extractor: Extractor,
) -> None:
    text = (
        "Moscou a affirmé jeudi avoir pris le contrôle de Tchassiv Iar. Le ministère a"
        " également revendiqué la prise de Pestchanoïe.\n\n« C'est faux », a rétorqué jeudi"
        " soir le porte-parole du groupement Khortytsia."
    )
    assert contested(extractor.extract(text, PUBLISHED)) == [
        ("c1", Side.UKRAINE),
        ("c2", Side.UKRAINE),
    ]
    # Within one paragraph, the last sentence of claims is what is denied.
    text = (
        "Russia said its forces captured Dachne. It also said it took Novopavlivka. Kyiv denied it."
    )
    assert contested(extractor.extract(text, PUBLISHED)) == [("c2", Side.UKRAINE)]


@pytest.mark.parametrize(
    "text",
    [
        "Ukraine said on Sunday it had withdrawn from Velyka Novosilka. On Friday, DeepState"
        " said the garrison was nearly encircled.",
        "L'armée ukrainienne a annoncé dimanche s'être retirée de Velyka Novosilka. Vendredi"
        " déjà, le projet DeepState estimait que la garnison était « pratiquement encerclée »,"
        " les forces russes ayant coupé la dernière route d'approvisionnement vers Ouspenivka.",
    ],
)
def test_a_garrison_said_to_be_encircled_by_a_third_party_is_the_town_s(
    extractor: Extractor, text: str
) -> None:
    encircled = [
        (c.place_name, c.claimant_side, c.actor_side)
        for c in read(extractor, text).claims
        if c.kind is ClaimKind.ENCIRCLEMENT
    ]
    assert encircled == [("Velyka Novosilka", Side.THIRD_PARTY, Side.RUSSIA)]

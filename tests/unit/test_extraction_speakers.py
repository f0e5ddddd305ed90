"""Who speaks for whom: classes of speakers met in war reporting, each on sentences written
for these tests."""

from __future__ import annotations

import pytest

from domain.extraction import Extractor
from domain.vocabulary import ClaimKind, Side
from tests.unit.conftest import contested, one, read, readings


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The separatist republics' officials and militias speak for Russia's side...
        (
            "Vitaly Kiseliov, conseiller du ministère de l'Intérieur de la République"
            " populaire de Lougansk, a affirmé que la ville de Marinka était encerclée par"
            " les troupes russes.",
            ("Marinka", Side.RUSSIA, Side.RUSSIA, ClaimKind.ENCIRCLEMENT),
        ),
        (
            "An officer of the Luhansk People's Republic militia said its units had entered"
            " Bilohorivka.",
            ("Bilohorivka", Side.RUSSIA, Side.RUSSIA, ClaimKind.ADVANCE),
        ),
        # ...and so do the officials Russia installed, by title or by name.
        (
            "The Russian-installed head of the Zaporizhzhia region said Russian forces had"
            " captured Robotyne.",
            ("Robotyne", Side.RUSSIA, Side.RUSSIA, ClaimKind.CONTROL),
        ),
        # A governor speaks for the side that governs the region: Russia's border regions...
        (
            "The governor of Russia's Kursk region said Ukrainian troops had entered Tetkino.",
            ("Tetkino", Side.RUSSIA, Side.UKRAINE, ClaimKind.ADVANCE),
        ),
        # ...Ukraine's oblasts, and their military administrations.
        (
            "Les troupes russes ont pris le contrôle de Soledar, a annoncé le gouverneur de la"
            " région de Donetsk.",
            ("Soledar", Side.UKRAINE, Side.RUSSIA, ClaimKind.CONTROL),
        ),
        (
            "The head of the Kharkiv regional military administration said Ukrainian troops"
            " had repelled an attack near Vovchansk.",
            ("Vovchansk", Side.UKRAINE, Side.UKRAINE, ClaimKind.REPELLED),
        ),
        # Western governments and their intelligence services are third parties.
        (
            "U.S. officials said Russian forces had captured Avdiivka.",
            ("Avdiivka", Side.THIRD_PARTY, Side.RUSSIA, ClaimKind.CONTROL),
        ),
        # A speaker named with an apposition before 'said': the side after 'said' is the
        # subject of what was said, not an inverted speaker.
        (
            "Serhiy Haidai, the governor of Luhansk region, said Russian troops had entered"
            " Sievierodonetsk.",
            ("Sievierodonetsk", Side.UKRAINE, Side.RUSSIA, ClaimKind.ADVANCE),
        ),
        (
            "Russian troops entered Vovchansk overnight, said Ukraine's General Staff.",
            ("Vovchansk", Side.UKRAINE, Side.RUSSIA, ClaimKind.ADVANCE),
        ),
        # Analysts and open-source trackers are third parties whatever their nationality.
        (
            "Russian troops have partially encircled Pokrovsk, according to Ukrainian analysts.",
            ("Pokrovsk", Side.THIRD_PARTY, Side.RUSSIA, ClaimKind.ENCIRCLEMENT),
        ),
        (
            "Ukrainian open-source researchers said Russian forces had captured Novohrodivka.",
            ("Novohrodivka", Side.THIRD_PARTY, Side.RUSSIA, ClaimKind.CONTROL),
        ),
        # Completing a capture is claiming it.
        (
            "Russia's defence ministry said its forces had completed the liberation of Avdiivka.",
            ("Avdiivka", Side.RUSSIA, Side.RUSSIA, ClaimKind.CONTROL),
        ),
        # Half-encircled is encircled.
        (
            "Ukraine's General Staff said Russian forces had semi-encircled Kupiansk.",
            ("Kupiansk", Side.UKRAINE, Side.RUSSIA, ClaimKind.ENCIRCLEMENT),
        ),
        # Forces in a cauldron or a pocket are the encircled.
        (
            "Ukraine's army said 5,000 Russian troops were in the Lyman pocket.",
            ("Lyman", Side.UKRAINE, Side.UKRAINE, ClaimKind.ENCIRCLEMENT),
        ),
        # 'Any confirmed advances' names no speaker.
        (
            "Russian troops continued offensive operations near Vovchansk but did not make any"
            " confirmed advances, the ISW said.",
            ("Vovchansk", Side.THIRD_PARTY, Side.RUSSIA, ClaimKind.ADVANCE),
        ),
        # A body named in a clause that says what a speaker is does not speak.
        (
            "The DeepState monitoring group, which is close to the Ukrainian military, said on"
            " Friday that Ukrainian forces had pulled out of the town of Sudzha.",
            ("Sudzha", Side.THIRD_PARTY, Side.UKRAINE, ClaimKind.WITHDRAWAL),
        ),
        # A pronoun stands for the speaker its own sentence names...
        (
            "Le projet de cartographie DeepState, proche de l'armée, dresse un tableau plus"
            " sombre : il estimait jeudi que les troupes russes occupaient Selydové.",
            ("Selydove", Side.THIRD_PARTY, Side.RUSSIA, ClaimKind.CONTROL),
        ),
        # ...and French reports in the imperfect are reports.
        (
            "Le ministère russe de la Défense affirmait mardi que ses troupes avaient pris"
            " Selydové.",
            ("Selydove", Side.RUSSIA, Side.RUSSIA, ClaimKind.CONTROL),
        ),
        # Forces named after 'said' with a place and a verb are what was said of.
        (
            "Putin, speaking at a news conference with Alexander Lukashenko on Thursday, said"
            " Ukrainian forces in Sudzha were surrounded.",
            ("Sudzha", Side.RUSSIA, Side.RUSSIA, ClaimKind.ENCIRCLEMENT),
        ),
        # An aside of the outlet's before a speaker with words of its own is no claim.
        (
            "Dans la région russe de Koursk, où les forces ukrainiennes tiennent toujours une"
            " partie du territoire depuis août, le ministère russe a assuré lundi avoir"
            " repoussé une contre-attaque près de Soudja.",
            ("Sudzha", Side.RUSSIA, Side.RUSSIA, ClaimKind.REPELLED),
        ),
        # 'Under our control' is the speaker's.
        (
            "The Freedom of Russia Legion posted a video of its fighters in Tetkino."
            ' "Tetkino is under our control," the group said.',
            ("Tetkino", Side.UKRAINE, Side.UKRAINE, ClaimKind.CONTROL),
        ),
    ],
)
def test_speakers_by_class(
    extractor: Extractor, text: str, expected: tuple[str, Side, Side, ClaimKind]
) -> None:
    assert one(read(extractor, text)) == expected


def test_a_separatist_republic_is_a_speaker_not_the_place_claimed(
    extractor: Extractor,
) -> None:
    text = (
        "Un responsable de la République populaire de Donetsk a affirmé que la ville de"
        " Marinka était encerclée."
    )
    assert [c.place_name for c in read(extractor, text).claims] == ["Marinka"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # 'The ministry' once a ministry of defence was named with its side.
        (
            "Russia's defence ministry said on Monday that its forces had entered Tetkino."
            " The ministry said its troops had also captured Hlushkovo.",
            [("Tetkino", Side.RUSSIA), ("Glushkovo", Side.RUSSIA)],
        ),
        # A place's name before a capitalised noun of its own is no surname.
        (
            "Serhiy Haidai, the governor of the Luhansk region, said nearly 5,000 Russian"
            " troops ended up in the Lyman Cauldron.",
            [("Lyman", Side.UKRAINE)],
        ),
    ],
)
def test_speakers_named_before_and_places_named_with_a_noun(
    extractor: Extractor, text: str, expected: list[tuple[str, Side]]
) -> None:
    claims = read(extractor, text).claims
    assert [(c.place_name, c.claimant_side) for c in claims] == expected


def test_selon_lui_is_the_speaker_named_before(extractor: Extractor) -> None:
    text = (
        "L'armée ukrainienne a pris le contrôle de Soudja, dans la région de Koursk, a affirmé"
        " le commandant en chef Oleksandr Syrsky.\n\nSelon lui, les forces ukrainiennes"
        " contrôlent désormais 1 150 kilomètres carrés dans cette région."
    )
    claims = read(extractor, text, "fr").claims
    assert [(c.place_name, c.claimant_side, c.kind) for c in claims] == [
        ("Sudzha", Side.UKRAINE, ClaimKind.CONTROL),
        ("Kursk Oblast", Side.UKRAINE, ClaimKind.PARTIAL_CONTROL),
    ]


def test_the_side_a_cue_names_is_the_actor(extractor: Extractor) -> None:
    text = (
        "Le gouverneur de la région de Koursk, Alexeï Smirnov, a reconnu que Soudja était sous"
        " contrôle ukrainien."
    )
    assert one(read(extractor, text, "fr")) == (
        "Sudzha",
        Side.RUSSIA,
        Side.UKRAINE,
        ClaimKind.CONTROL,
    )


def test_fighters_backed_by_a_side_speak_and_fight_for_it(extractor: Extractor) -> None:
    text = (
        "Russia said it had repelled an attempt by Ukrainian-backed fighters to cross into its"
        " Belgorod region, while the fighters said they had captured the village of Kozinka."
    )
    claims = read(extractor, text).claims
    kozinka = [c for c in claims if c.place_name == "Kozinka"]
    assert [(c.claimant, c.claimant_side, c.actor_side) for c in kozinka] == [
        ("ukrainian-backed fighters", Side.UKRAINE, Side.UKRAINE)
    ]


def test_dit_avoir_names_its_speaker(extractor: Extractor) -> None:
    text = "Le village de Robotyne, que l'Ukraine dit avoir libéré, est de nouveau attaqué."
    assert one(read(extractor, text, "fr")) == (
        "Robotyne",
        Side.UKRAINE,
        Side.UKRAINE,
        ClaimKind.CONTROL,
    )


def test_a_body_named_without_its_side_past_a_comma_is_not_the_forces_before(
    extractor: Extractor,
) -> None:
    text = (
        "Russian forces continue to advance in the direction of Kurakhove, the General Staff said."
    )
    assert [(c.claimant, c.claimant_side) for c in read(extractor, text).claims] == [
        ("Ukrainian General Staff", Side.UKRAINE)
    ]


@pytest.mark.parametrize(
    ("text", "side"),
    [
        # A news agency citing its source: the source claims.
        (
            "Russian forces have taken Dachne, Reuters reported, citing the Russian defence"
            " ministry.",
            Side.RUSSIA,
        ),
        (
            "Les forces russes ont pris Dachné, a rapporté l'AFP, citant le ministère russe de la"
            " Défense.",
            Side.RUSSIA,
        ),
        (
            "Russian forces have entered Dachne, the BBC reported, citing Ukrainian military"
            " sources.",
            Side.UKRAINE,
        ),
        # A relay set off by commas is not the speaker.
        (
            "Ukraine's military, cited by the BBC, said Russian forces had entered Dachne.",
            Side.UKRAINE,
        ),
    ],
)
def test_the_source_a_news_agency_cites_is_the_claimant(
    extractor: Extractor, text: str, side: Side
) -> None:
    assert [c.claimant_side for c in read(extractor, text).claims] == [side]


@pytest.mark.parametrize(
    "text",
    [
        "The enemy has occupied Novopavlivka, DeepState said.",
        '"The enemy has occupied Novopavlivka," DeepState said in a post on Telegram.',
        "L'ennemi a occupé Novopavlivka, selon DeepState.",
    ],
)
def test_a_tracker_that_stands_with_a_side_names_its_enemy(extractor: Extractor, text: str) -> None:
    # DeepState is a third party whose 'enemy' is Russia's forces.
    assert one(read(extractor, text))[1:] == (Side.THIRD_PARTY, Side.RUSSIA, ClaimKind.CONTROL)


@pytest.mark.parametrize(
    "text",
    [
        # Plural subjects, present tense: the denial's own verb names the denier.
        "Ukrainian officials deny that Russia has encircled Myrnohrad.",
        "Russia claims to have encircled Myrnohrad, which Ukrainian officials deny.",
        "La Russie affirme avoir encerclé Myrnohrad, ce que démentent les responsables ukrainiens.",
    ],
)
def test_a_plural_denier_in_the_present_contests(extractor: Extractor, text: str) -> None:
    found = read(extractor, text)
    assert one(found)[1:] == (Side.RUSSIA, Side.RUSSIA, ClaimKind.ENCIRCLEMENT)
    assert contested(found) == [("c1", Side.UKRAINE)]


@pytest.mark.parametrize(
    ("text", "side", "kind"),
    [
        (
            "Le ministère russe de la Défense a fait état de la « libération » de Tchassiv Iar.",
            Side.RUSSIA,
            ClaimKind.CONTROL,
        ),
        (
            "L'état-major ukrainien a signalé la reprise de Robotyne.",
            Side.UKRAINE,
            ClaimKind.CONTROL,
        ),
        (
            "Russia's defence ministry reported the capture of Chasiv Yar on Tuesday.",
            Side.RUSSIA,
            ClaimKind.CONTROL,
        ),
        (
            "Kyiv acknowledged the withdrawal of its troops from Vuhledar.",
            Side.UKRAINE,
            ClaimKind.WITHDRAWAL,
        ),
    ],
)
def test_a_capture_reported_as_a_noun_is_claimed(
    extractor: Extractor, text: str, side: Side, kind: ClaimKind
) -> None:
    assert one(read(extractor, text))[1:] == (side, side, kind)


@pytest.mark.parametrize(
    "text",
    [
        # The subjunctive after a denial names the claim denied.
        "Oleh Synehoubov a démenti lundi que les Russes aient pris Koupiansk.",
        "Kiev dément que la ville soit tombée aux mains des Russes, Koupiansk étant toujours"
        " défendue.",
    ],
)
def test_a_subjunctive_states_the_claim_denied(extractor: Extractor, text: str) -> None:
    found = read(extractor, text)
    assert readings(found)[0][1:] == (Side.RUSSIA, Side.RUSSIA, ClaimKind.CONTROL)
    assert contested(found)[0] == ("c1", Side.UKRAINE)


@pytest.mark.parametrize(
    "text",
    [
        "Oleh Synehoubov a démenti lundi que les Russes aient pris Koupiansk : « Nos forces"
        " contrôlent la ville. »",
        'Kyiv denied that Russian troops had taken Kupiansk: "Our forces control the city."',
    ],
)
def test_a_quote_after_a_denial_and_a_colon_is_the_deniers_own_claim(
    extractor: Extractor, text: str
) -> None:
    found = read(extractor, text)
    assert [r[1:] for r in readings(found)] == [
        (Side.RUSSIA, Side.RUSSIA, ClaimKind.CONTROL),
        (Side.UKRAINE, Side.UKRAINE, ClaimKind.CONTROL),
    ]
    assert contested(found) == [("c1", Side.UKRAINE)]


def test_a_second_clause_after_a_denial_is_the_deniers_own_claim(extractor: Extractor) -> None:
    text = (
        "Russia claimed its troops had encircled Ukrainian units in Pokrovsk. Zelensky said"
        ' the claim was "not true" and that Ukrainian forces held the city.'
    )
    found = read(extractor, text)
    assert [r[1:] for r in readings(found)] == [
        (Side.RUSSIA, Side.RUSSIA, ClaimKind.ENCIRCLEMENT),
        (Side.UKRAINE, Side.UKRAINE, ClaimKind.CONTROL),
    ]
    assert contested(found) == [("c1", Side.UKRAINE)]


def test_a_denial_in_quotes_names_its_agent_after_them(extractor: Extractor) -> None:
    text = (
        "Moscou a revendiqué la prise de Koupiansk. Une affirmation qualifiée de « mensonge »"
        " par l'état-major ukrainien."
    )
    assert contested(read(extractor, text)) == [("c1", Side.UKRAINE)]


def test_a_repulse_the_day_before_an_undated_capture_answers_it(extractor: Extractor) -> None:
    # The capture's day is the publication's, as none is given; the repulse's is Tuesday.
    text = (
        "Russia's defence ministry said its forces had seized Pishchane. Ukraine's military"
        " said on Wednesday it had repelled all attacks near the village."
    )
    assert contested(read(extractor, text)) == [("c1", Side.UKRAINE)]


@pytest.mark.parametrize(
    ("text", "side"),
    [
        # A name the table does not know, and the apposition that says whom it speaks for.
        (
            "Russian forces have entered Kupiansk, said Petro Ivanenko, a spokesman for"
            " Ukraine's 14th brigade.",
            Side.UKRAINE,
        ),
        # A title the table does not know, then a name it knows.
        (
            "Koupiansk est sous notre contrôle, a déclaré le porte-parole du groupement de"
            " Koupiansk, Viktor Tregoubov.",
            Side.UKRAINE,
        ),
        # The Joint Forces grouping speaks for Ukraine.
        ("Koupiansk est sous notre contrôle, a déclaré le groupement Joint.", Side.UKRAINE),
        # The agency spoken to, or the one that interviewed the speaker, is no speaker.
        (
            "« Les Russes sont entrés dans Koupiansk », a déclaré à l'AFP Oleksandr, un soldat"
            " ukrainien de 35 ans.",
            Side.UKRAINE,
        ),
        (
            "Un soldat ukrainien interrogé par l'AFP assure que les Russes sont entrés dans"
            " Koupiansk.",
            Side.UKRAINE,
        ),
    ],
)
def test_a_speaker_named_by_an_apposition_or_interviewed_by_an_agency(
    extractor: Extractor, text: str, side: Side
) -> None:
    assert [c.claimant_side for c in read(extractor, text).claims] == [side]


def test_a_side_word_in_a_known_speakers_apposition_describes_it(extractor: Extractor) -> None:
    text = (
        "DeepState, a Ukrainian group that maps the front line, said on Sunday that Russian"
        " troops had occupied the village of Sukhyi Yar."
    )
    assert [(c.claimant, c.claimant_side) for c in read(extractor, text).claims] == [
        ("DeepState", Side.THIRD_PARTY)
    ]


@pytest.mark.parametrize(
    "text",
    [
        # A side's claims named as a noun, with no denial: the side's claim.
        "ISW could not confirm Russian claims that its forces had captured Pishchane.",
        "Moscow's claim to have taken Pishchane came a day after Kyiv reported heavy fighting.",
        "L'ISW n'a pas pu vérifier les affirmations russes selon lesquelles les troupes russes"
        " ont pris Pichtchane.",
    ],
)
def test_a_sides_claims_named_as_a_noun_are_its_own(extractor: Extractor, text: str) -> None:
    found = read(extractor, text)
    assert one(found)[1:] == (Side.RUSSIA, Side.RUSSIA, ClaimKind.CONTROL)
    assert found.contestations == ()


def test_a_think_tank_is_a_third_party(extractor: Extractor) -> None:
    text = "The US-based think tank said Russian forces had likely captured Toretsk."
    assert one(read(extractor, text))[1] is Side.THIRD_PARTY


@pytest.mark.parametrize(
    ("text", "side"),
    [
        # The next sentence points back at who said it.
        (
            '"Russian troops have entered Kupiansk." That was the assessment of Ukraine\'s'
            " General Staff.",
            Side.UKRAINE,
        ),
        ("Moscow's forces have taken Dachne. So says the Russian defence ministry.", Side.RUSSIA),
        (
            "Les troupes russes ont pris Dachné. Telle est du moins l'affirmation du ministère"
            " russe de la Défense.",
            Side.RUSSIA,
        ),
    ],
)
def test_a_sentence_that_points_back_names_the_speaker(
    extractor: Extractor, text: str, side: Side
) -> None:
    assert [c.claimant_side for c in read(extractor, text).claims] == [side]


def test_a_set_phrase_inside_a_cue_keeps_it(extractor: Extractor) -> None:
    text = "Selon l'état-major ukrainien, les Russes ont attaqué à 40 reprises près de Pokrovsk."
    assert one(read(extractor, text)) == ("Pokrovsk", Side.UKRAINE, Side.RUSSIA, ClaimKind.ADVANCE)


@pytest.mark.parametrize(
    "text",
    [
        # The person named after the body they speak for, set off by commas.
        "Moscou a revendiqué la prise de Dachné. « C'est faux », a réagi sur Telegram le"
        " porte-parole du groupement Sud, Vladyslav Volochyne.",
        # The agency told is no speaker: the one named before the verb is.
        "Russia said its troops had captured Dachne. A spokesman for Ukraine's southern forces,"
        ' Vladyslav Voloshyn, told Reuters: "This is not true."',
        # 'Faux', answering.
        "Les Russes affirment avoir pris Dachné. Faux, selon Kiev.",
        "Les Russes affirment avoir pris Dachné. Faux, répond Kiev.",
    ],
)
def test_who_answers_a_capture_contests_it(extractor: Extractor, text: str) -> None:
    found = read(extractor, text)
    assert readings(found)[0][1:] == (Side.RUSSIA, Side.RUSSIA, ClaimKind.CONTROL)
    assert contested(found) == [("c1", Side.UKRAINE)]


def test_a_body_nothing_gives_a_side_is_not_the_forces_named_before(
    extractor: Extractor,
) -> None:
    # Nothing says whose 'the ministry' is: it reports its own side's deeds, those of the
    # forces the sentence opens on; the Ukrainian army is what was repelled.
    text = (
        "Russian troops repelled four counterattacks by assault groups of the Ukrainian army"
        " near Kupyansk, the ministry said."
    )
    assert [(c.claimant, c.claimant_side) for c in read(extractor, text).claims] == [
        ("Russian Ministry of Defence", Side.RUSSIA)
    ]


def test_a_person_named_by_a_noun_alone_speaks_for_the_forces_the_sentence_opens_on(
    extractor: Extractor,
) -> None:
    text = (
        "Ukraine's forces continue to defend Pokrovsk, where Russian troops have entered"
        " several neighbourhoods, the commander said."
    )
    # (The clause on Pokrovsk is the commander's too: Russian troops in parts of it.)
    assert [(c.claimant_side, c.actor_side) for c in read(extractor, text).claims] == [
        (Side.UKRAINE, Side.UKRAINE),
        (Side.UKRAINE, Side.RUSSIA),
    ]


def test_a_repulse_told_the_sentence_before_a_capture_contests_it(extractor: Extractor) -> None:
    text = (
        "Ukraine said it had beaten back a Russian assault on Dachne. Moscow, meanwhile,"
        " claimed to have captured the village."
    )
    found = read(extractor, text)
    assert [r[1:] for r in readings(found)] == [
        (Side.UKRAINE, Side.UKRAINE, ClaimKind.REPELLED),
        (Side.RUSSIA, Side.RUSSIA, ClaimKind.CONTROL),
    ]
    assert contested(found) == [("c2", Side.UKRAINE)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A side still fighting in the place the enemy says it took denies the capture...
        (
            "Russia says it has captured Pokrovsk. Ukraine says its troops are still fighting"
            " in the city.",
            [("c1", Side.UKRAINE)],
        ),
        (
            "La Russie affirme avoir pris Pokrovsk. Kiev assure que les combats se poursuivent"
            " dans la ville.",
            [("c1", Side.UKRAINE)],
        ),
        # ... and no capture of another place.
        (
            "Russian forces captured Dachne, the ministry said. Fighting continues in Pokrovsk,"
            " Ukraine said.",
            [],
        ),
    ],
)
def test_fighting_on_in_a_place_denies_its_capture_alone(
    extractor: Extractor, text: str, expected: list[tuple[str, Side]]
) -> None:
    assert contested(read(extractor, text)) == expected


def test_fighting_on_tells_the_fighters_own_claims(extractor: Extractor) -> None:
    text = (
        "Russia's defence ministry said its troops had captured Kurakhove. Ukraine's military"
        " said its forces were still fighting in the town and had repelled 14 attacks there."
    )
    found = read(extractor, text)
    assert readings(found) == [
        ("Kurakhove", Side.RUSSIA, Side.RUSSIA, ClaimKind.CONTROL),
        ("Kurakhove", Side.UKRAINE, Side.UKRAINE, ClaimKind.REPELLED),
    ]
    assert contested(found) == [("c1", Side.UKRAINE)]


def test_a_village_named_but_not_found_is_no_other_place(extractor: Extractor) -> None:
    text = (
        "Russia said it had captured Kurakhove, which Kyiv denied. In the Kursk region,"
        " Ukraine's top commander said his troops had pushed into the village of Berdinka."
    )
    assert [c.place_name for c in read(extractor, text).claims] == ["Kurakhove"]


def test_an_aside_after_the_claim_is_not_its_speaker_s_voice(extractor: Extractor) -> None:
    # 'Defense Forces' is how Ukraine's side speaks of its army; here it names the denier.
    text = (
        "Russian forces have captured Yalta, the Russian Defense Ministry claimed. Earlier,"
        " the ministry said its troops had seized Rybne in Zaporizhzhia Oblast, a claim"
        " refuted by Ukraine's Southern Defense Forces."
    )
    found = read(extractor, text)
    assert [(c.place_name, c.claimant_side) for c in found.claims] == [
        ("Yalta", Side.RUSSIA),
        ("Rybne", Side.RUSSIA),
    ]
    assert contested(found) == [("c2", Side.UKRAINE)]


@pytest.mark.parametrize(
    "text",
    [
        "Ukraine's military said reports of the fall of Pokrovsk were false.",
        "Ukraine's military said reports that Russia had captured Pokrovsk were false.",
    ],
)
def test_reports_a_side_calls_false_are_the_enemy_s_claims_it_contests(
    extractor: Extractor, text: str
) -> None:
    found = read(extractor, text)
    assert readings(found) == [("Pokrovsk", Side.RUSSIA, Side.RUSSIA, ClaimKind.CONTROL)]
    assert contested(found) == [("c1", Side.UKRAINE)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # One blogger as well as many; 'percé' with no object named.
        (
            "Le blogueur militaire prorusse Youri Podoliaka a affirmé que les troupes"
            " ukrainiennes avaient percé près de Robotyne.",
            ("Robotyne", Side.RUSSIA, Side.UKRAINE, ClaimKind.ADVANCE),
        ),
        # What a soldier confides is said.
        (
            "Un commandant ukrainien a confié à l'AFP que son unité avait dû se retirer de Dachné.",
            ("Dachne", Side.UKRAINE, Side.UKRAINE, ClaimKind.WITHDRAWAL),
        ),
    ],
)
def test_bloggers_and_confidences(
    extractor: Extractor, text: str, expected: tuple[str, Side, Side, ClaimKind]
) -> None:
    assert one(read(extractor, text)) == expected


@pytest.mark.parametrize(
    "text",
    [
        # The hold of a town's own side answers the capture told in the same sentence...
        '"Siversk is under our control," Ukraine\'s military said on Tuesday, a day after'
        " Moscow claimed to have captured the town.",
        # ... the capture announced by a noun and its agent ('l'annonce par Moscou de') ...
        "« Siversk est sous notre contrôle », a affirmé mardi l'armée ukrainienne, au"
        " lendemain de l'annonce par Moscou de la prise de la ville.",
        # ... and 'still' in the holder's clause answers only for the holder.
        "Ukraine said it still held Siversk, a day after the claim by Russia's defence"
        " ministry that its troops had taken the town.",
    ],
)
def test_a_hold_answers_the_capture_told_in_its_sentence(extractor: Extractor, text: str) -> None:
    found = read(extractor, text)
    assert readings(found) == [
        ("Siversk", Side.UKRAINE, Side.UKRAINE, ClaimKind.CONTROL),
        ("Siversk", Side.RUSSIA, Side.RUSSIA, ClaimKind.CONTROL),
    ]
    assert contested(found) == [("c2", Side.UKRAINE)]


@pytest.mark.parametrize(
    "text",
    [
        "Le village de Dachné, que Moscou dit avoir pris la veille, est toujours sous contrôle"
        " ukrainien, selon l'état-major ukrainien.",
        "Dachne, which Moscow says it captured on Monday, remains under Ukrainian control, the"
        " General Staff said.",
        "Ukrainian forces still hold Dachne, which Russia claimed to have captured on Monday,"
        " the General Staff said.",
    ],
)
def test_a_relative_clause_on_a_place_is_a_claim_of_its_own_speaker(
    extractor: Extractor, text: str
) -> None:
    found = read(extractor, text)
    assert sorted(readings(found)) == [
        ("Dachne", Side.RUSSIA, Side.RUSSIA, ClaimKind.CONTROL),
        ("Dachne", Side.UKRAINE, Side.UKRAINE, ClaimKind.CONTROL),
    ]
    russian = next(c.id for c in found.claims if c.claimant_side is Side.RUSSIA)
    assert contested(found) == [(russian, Side.UKRAINE)]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # A passive denial names its agent after it...
        (
            "Moscow's claim that its forces had encircled Kupiansk was dismissed by Kyiv as"
            " propaganda.",
            ClaimKind.ENCIRCLEMENT,
        ),
        (
            "L'affirmation de Moscou selon laquelle Koupiansk serait encerclée a été rejetée"
            " par Kiev.",
            ClaimKind.ENCIRCLEMENT,
        ),
        (
            "The Kremlin's assertion that Kupiansk had fallen was rejected by Ukraine's military.",
            ClaimKind.CONTROL,
        ),
        # ... and so does a capture announced in an apposition.
        (
            "La prise de Koupiansk, annoncée par Moscou, a été démentie par l'état-major"
            " ukrainien.",
            ClaimKind.CONTROL,
        ),
        # A participle of denial hangs on the clause before it.
        (
            "Kyiv insisted its troops were holding out in Kupiansk, rejecting Moscow's claim"
            " that the town had been encircled.",
            ClaimKind.ENCIRCLEMENT,
        ),
    ],
)
def test_denials_in_the_passive_and_participles_name_who_denies(
    extractor: Extractor, text: str, kind: ClaimKind
) -> None:
    found = read(extractor, text)
    russian = [c for c in found.claims if c.claimant_side is Side.RUSSIA]
    assert [(c.place_name, c.actor_side, c.kind) for c in russian] == [
        ("Kupiansk", Side.RUSSIA, kind)
    ]
    assert contested(found) == [(russian[0].id, Side.UKRAINE)]


def test_a_contrast_opens_a_speaker_s_clause_of_its_own(extractor: Extractor) -> None:
    # The subject of the verb after 'mais' is a name the reader does not know: a side
    # named in the clause before it is not the speaker, the last speaker is.
    text = (
        "Un général ukrainien a déclaré mercredi que la Russie attaquait vers Koupiansk, mais"
        " Kovalev a déclaré que l'Ukraine repoussait les attaques russes au nord de Bakhmut."
    )
    assert [(c.place_name, c.claimant_side, c.kind) for c in read(extractor, text).claims] == [
        ("Bakhmut", Side.UKRAINE, ClaimKind.REPELLED)
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Russian forces captured Dachne, but the Ukrainian army said the village remained under"
        " Ukrainian control.",
        "Les forces russes ont pris Datchne, mais l'armée ukrainienne affirme que le village"
        " reste sous contrôle ukrainien.",
    ],
)
def test_a_speaker_after_a_contrast_does_not_say_the_clause_before_it(
    extractor: Extractor, text: str
) -> None:
    assert readings(read(extractor, text)) == [
        ("Dachne", Side.UKRAINE, Side.UKRAINE, ClaimKind.CONTROL)
    ]


def test_a_capital_made_an_adjective_qualifies_the_speaker(extractor: Extractor) -> None:
    text = (
        "Denis Pushilin, the Moscow-installed head of the Donetsk region, said Russian troops"
        " had captured Marinka."
    )
    assert [(c.claimant, c.claimant_side) for c in read(extractor, text).claims] == [
        ("Denis Pushilin", Side.RUSSIA)
    ]


def test_a_name_and_its_apposition_before_the_verb_are_its_subject(
    extractor: Extractor,
) -> None:
    # Not 'said a Russian grouping': the words after the verb are what was said.
    text = (
        "Hours earlier, Serhiy Cherevatyi, a spokesperson for Ukraine's eastern group of"
        " forces, said a Russian grouping of about 5,000 troops in the Lyman area had been"
        " encircled."
    )
    assert readings(read(extractor, text)) == [
        ("Lyman", Side.UKRAINE, Side.UKRAINE, ClaimKind.ENCIRCLEMENT)
    ]


def test_a_denial_of_an_encirclement_contests_that_and_not_the_captures_beside_it(
    extractor: Extractor,
) -> None:
    text = (
        "Russia's Defence Ministry said on Thursday its troops had liberated Sudzha. Putin"
        " said Ukrainian forces near Sudzha were encircled. Ukraine's military has denied that"
        " its troops were encircled."
    )
    extraction = read(extractor, text)
    encircled = [c.id for c in extraction.claims if c.kind is ClaimKind.ENCIRCLEMENT]
    assert contested(extraction) == [(encircled[0], Side.UKRAINE)]


def test_a_bare_denial_stands_for_what_its_side_says_it_denies_next(
    extractor: Extractor,
) -> None:
    text = (
        "L'armée ukrainienne a annoncé lundi avoir repris le village de Robotyné.\n\n"
        "Hanna Maliar a également affirmé que les troupes ukrainiennes avaient progressé au"
        " sud de Bakhmout.\n\n"
        "Côté russe, on dément. Vladimir Rogov, un responsable de l'administration installée"
        " par Moscou dans la région de Zaporijjia, a assuré lundi que les forces ukrainiennes"
        " ne contrôlaient pas Robotyné et que les combats se poursuivaient dans le village."
    )
    extraction = read(extractor, text)
    robotyne = [c.id for c in extraction.claims if c.place_name == "Robotyne"]
    assert contested(extraction) == [(robotyne[0], Side.RUSSIA)]

"""Classes of phrasing met in real reporting, each on sentences written for these tests."""

from __future__ import annotations

import pytest

from domain.extraction import Extractor
from domain.vocabulary import ClaimKind, Side
from tests.unit.conftest import PUBLISHED, contested, one, read, readings


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
    "text",
    [
        "Ukraine's army said its troops still hold positions in Bilohorivka, where they"
        " repelled an assault overnight.",
        "Selon l'état-major, les forces ukrainiennes conservent des positions dans le village"
        " de Bilohorivka, où elles ont repoussé un assaut dans la nuit.",
    ],
)
def test_a_clause_on_where_a_place_is_speaks_of_that_place(extractor: Extractor, text: str) -> None:
    assert readings(read(extractor, text)) == [
        ("Bilohorivka", Side.UKRAINE, Side.UKRAINE, ClaimKind.CONTROL),
        ("Bilohorivka", Side.UKRAINE, Side.UKRAINE, ClaimKind.REPELLED),
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
        # A relative clause on the cue's object names no place of the claim.
        (
            "Russia's defence ministry said its troops had captured Chasiv Yar, which Moscow"
            " sees as a gateway to Kostiantynivka.",
            ["Chasiv Yar"],
        ),
        (
            "Russia's defence ministry said on Thursday that its troops had liberated the"
            " town, which Moscow sees as a gateway to Kostiantynivka.",
            [],
        ),
        # A town after a comma and a bearing locates the village before it.
        (
            "Le ministère russe a affirmé avoir pris le contrôle du village de"
            " Novoïelyzavetivka, au sud de Pokrovsk.",
            ["Novoyelyzavetivka"],
        ),
        (
            "Russia's defence ministry said its forces had taken Novoyelyzavetivka, south of"
            " Pokrovsk, and Petrivka.",
            ["Novoyelyzavetivka", "Petrivka"],
        ),
        # ...but a list of places each near a front line is a list.
        (
            "Ukraine's General Staff said its forces repelled attacks near Kupiansk, near"
            " Lyman and near Pokrovsk.",
            ["Kupiansk", "Lyman", "Pokrovsk"],
        ),
        # Villages listed after a town, 'as well as the nearby villages of'.
        (
            "Russia's Defense Ministry said on Thursday that its troops had liberated"
            " Pokrovsk as well as the nearby villages of Myrnohrad and Rodynske.",
            ["Pokrovsk", "Myrnohrad", "Rodynske"],
        ),
        (
            "Les forces russes ont pris le contrôle de Lyssytchansk ainsi que des localités"
            " voisines de Verkhnekamenka, Zolotarevka et Novodroujesk, a affirmé dimanche le"
            " ministère russe.",
            ["Lysychansk", "Verkhnokamianka", "Zolotarivka", "Novodruzhesk"],
        ),
        # A unit named after a place is no place ('groupement de forces Khortytsia').
        (
            "« Nos unités continuent de défendre Selydové », a assuré jeudi Nazar Voloshyn,"
            " porte-parole du groupement de forces Khortytsia.",
            ["Selydove"],
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


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Back under a side's control, in English as in French.
        (
            "The village of Robotyne is once again under Ukrainian control, Ukraine's General"
            " Staff said.",
            ("Robotyne", Side.UKRAINE, Side.UKRAINE, ClaimKind.CONTROL),
        ),
        # Driven, pushed or chased out of a place: the subject withdrew from it.
        (
            "Ukraine's General Staff said Russian forces had been pushed out of Vovchansk.",
            ("Vovchansk", Side.UKRAINE, Side.RUSSIA, ClaimKind.WITHDRAWAL),
        ),
        (
            "Les forces ukrainiennes ont été chassées de Robotyne, a affirmé le ministère russe"
            " de la Défense.",
            ("Robotyne", Side.RUSSIA, Side.UKRAINE, ClaimKind.WITHDRAWAL),
        ),
        # A share taken is partial control, with the share.
        (
            "Oleksandr Syrskyi said Russian forces had captured half of Bakhmut.",
            ("Bakhmut", Side.UKRAINE, Side.RUSSIA, ClaimKind.PARTIAL_CONTROL),
        ),
        (
            "Le ministère russe de la Défense a affirmé que ses troupes avaient pris la moitié"
            " de Vovtchansk.",
            ("Vovchansk", Side.RUSSIA, Side.RUSSIA, ClaimKind.PARTIAL_CONTROL),
        ),
        # A battle for a town that goes on: the defender still holds part of it.
        (
            "Selon l'état-major ukrainien, la bataille pour Bakhmout se poursuit.",
            ("Bakhmut", Side.UKRAINE, Side.UKRAINE, ClaimKind.PARTIAL_CONTROL),
        ),
        # Holding one's positions in a place is holding it.
        (
            "Zelensky said Ukrainian troops were still holding their positions in Bakhmut.",
            ("Bakhmut", Side.UKRAINE, Side.UKRAINE, ClaimKind.CONTROL),
        ),
        # A progressive form is no passive: its subject is the actor.
        (
            "The Russian defence ministry said Ukrainian forces were pushing towards Robotyne.",
            ("Robotyne", Side.RUSSIA, Side.UKRAINE, ClaimKind.ADVANCE),
        ),
        # Offensive operations, a breach, a counteroffensive in a place: an advance.
        (
            "Selon le ministère russe de la Défense, les forces ukrainiennes ont mené des"
            " « opérations offensives » près d'Orikhiv.",
            ("Orikhiv", Side.RUSSIA, Side.UKRAINE, ClaimKind.ADVANCE),
        ),
        (
            "The Institute for the Study of War said Ukrainian forces had made a tactical"
            " breach in the Robotyne area.",
            ("Robotyne", Side.THIRD_PARTY, Side.UKRAINE, ClaimKind.ADVANCE),
        ),
        (
            "Ukraine's General Staff said Russian units had launched a counteroffensive in"
            " Vovchansk.",
            ("Vovchansk", Side.UKRAINE, Side.RUSSIA, ClaimKind.ADVANCE),
        ),
        # Positions held inside a town, a portion of it entered: part of it held.
        (
            "Ukraine's General Staff said Russian forces had entered a significant portion of"
            " Toretsk.",
            ("Toretsk", Side.UKRAINE, Side.RUSSIA, ClaimKind.PARTIAL_CONTROL),
        ),
        # Control restored, named as a noun.
        (
            "The Russian defence ministry said control over Tetkino had been fully restored.",
            ("Tetkino", Side.RUSSIA, Side.RUSSIA, ClaimKind.CONTROL),
        ),
        # The words one side uses of the other's troops name that side's forces.
        (
            "The Russian defence ministry said Ukrainian militants had entered Tetkino.",
            ("Tetkino", Side.RUSSIA, Side.UKRAINE, ClaimKind.ADVANCE),
        ),
        # An attempt to enter that was thwarted is a repelled attack, not an advance.
        (
            "Russian troops thwarted an attempt by a Ukrainian sabotage group to enter Tetkino,"
            " the Russian defence ministry said.",
            ("Tetkino", Side.RUSSIA, Side.RUSSIA, ClaimKind.REPELLED),
        ),
        # A noun of capture after a claim verb and a weekday.
        (
            "Le ministère russe de la Défense a revendiqué dimanche la prise du village de"
            " Klichtchiïvka.",
            ("Klishchiivka", Side.RUSSIA, Side.RUSSIA, ClaimKind.CONTROL),
        ),
        # French 'chtch' for the Cyrillic щ.
        (
            "La Russie a affirmé mardi avoir pris le contrôle du village de Pichtchané.",
            ("Pishchane", Side.RUSSIA, Side.RUSSIA, ClaimKind.CONTROL),
        ),
        # Reaching a town's outskirts.
        (
            "Selon DeepState, les forces russes ont atteint la périphérie de Pokrovsk.",
            ("Pokrovsk", Side.THIRD_PARTY, Side.RUSSIA, ClaimKind.ADVANCE),
        ),
        # The General Staff named without its side: Ukraine's, which reports the front daily.
        (
            "Les forces ukrainiennes ont repoussé 20 attaques russes près de Pokrovsk, selon"
            " l'état-major.",
            ("Pokrovsk", Side.UKRAINE, Side.UKRAINE, ClaimKind.REPELLED),
        ),
        # A side's adjective on a thing ('Russian attacks') names no speaker.
        (
            "Kyiv's forces repelled 20 Russian attacks near Pokrovsk over the past day, the"
            " General Staff said.",
            ("Pokrovsk", Side.UKRAINE, Side.UKRAINE, ClaimKind.REPELLED),
        ),
        # Stopping advances is repelling them: the longest cue wins.
        (
            "Ukraine's military said its forces had stopped Russian advances near Kurakhove.",
            ("Kurakhove", Side.UKRAINE, Side.UKRAINE, ClaimKind.REPELLED),
        ),
        (
            "Moscou a revendiqué la conquête de l'ensemble de la région de Louhansk.",
            ("Luhansk Oblast", Side.RUSSIA, Side.RUSSIA, ClaimKind.CONTROL),
        ),
        (
            "Pro-Russian military bloggers reported that Russian forces had broken into Vuhledar.",
            ("Vuhledar", Side.RUSSIA, Side.RUSSIA, ClaimKind.ADVANCE),
        ),
        # A dated announcement between the verb and the noun of capture.
        (
            "Moscou avait annoncé le 27 janvier la prise de Velyka Novosilka.",
            ("Velyka Novosilka", Side.RUSSIA, Side.RUSSIA, ClaimKind.CONTROL),
        ),
        # A progressive before the cue is no passive.
        (
            "Russian troops are making advances in Vovchansk, Zelensky said.",
            ("Vovchansk", Side.UKRAINE, Side.RUSSIA, ClaimKind.ADVANCE),
        ),
        # An area held is part of the region.
        (
            "Syrskyi said Ukrainian troops now control 1,000 square kilometres of Russia's"
            " Kursk region.",
            ("Kursk Oblast", Side.UKRAINE, Side.UKRAINE, ClaimKind.PARTIAL_CONTROL),
        ),
        # Troops that remain in a town and defend it hold it.
        (
            "Ukrainian troops remain in Kupiansk and continue to defend the city, Ukraine's"
            " General Staff said.",
            ("Kupiansk", Side.UKRAINE, Side.UKRAINE, ClaimKind.CONTROL),
        ),
        # Closing in, a foothold, a bridgehead, a counterattack: advances.
        (
            "Russian forces are closing in on Pokrovsk, Ukraine's military said.",
            ("Pokrovsk", Side.UKRAINE, Side.RUSSIA, ClaimKind.ADVANCE),
        ),
        (
            "Les forces russes se rapprochent de Pokrovsk, selon l'armée ukrainienne.",
            ("Pokrovsk", Side.UKRAINE, Side.RUSSIA, ClaimKind.ADVANCE),
        ),
        (
            "Russian troops have gained a foothold in Toretsk, the Ukrainian military said.",
            ("Toretsk", Side.UKRAINE, Side.RUSSIA, ClaimKind.ADVANCE),
        ),
        # 'Prendre pied' is no capture.
        (
            "Les troupes russes ont pris pied à Toretsk, selon l'armée ukrainienne.",
            ("Toretsk", Side.UKRAINE, Side.RUSSIA, ClaimKind.ADVANCE),
        ),
        (
            "Ukrainian forces counterattacked near Bakhmut and regained some ground, the"
            " General Staff said.",
            ("Bakhmut", Side.UKRAINE, Side.UKRAINE, ClaimKind.ADVANCE),
        ),
        (
            "Russian forces have pushed deeper into the town of Toretsk, according to the"
            " Ukrainian monitoring group DeepState.",
            ("Toretsk", Side.THIRD_PARTY, Side.RUSSIA, ClaimKind.ADVANCE),
        ),
        (
            "DeepState said Russian troops now hold about a third of Toretsk.",
            ("Toretsk", Side.THIRD_PARTY, Side.RUSSIA, ClaimKind.PARTIAL_CONTROL),
        ),
        # A town 'taken' in the passive.
        (
            '"Today, Bakhmut was completely taken," Prigozhin said.',
            ("Bakhmut", Side.RUSSIA, Side.RUSSIA, ClaimKind.CONTROL),
        ),
        # Some buildings still held in part of a town.
        (
            "Hanna Maliar said Ukrainian troops still held some industrial facilities in the"
            " southwest of Bakhmut.",
            ("Bakhmut", Side.UKRAINE, Side.UKRAINE, ClaimKind.PARTIAL_CONTROL),
        ),
        # Pushing the enemy out of a place: the side pushing it out holds the place.
        (
            "Ukraine's military said its forces had pushed Russian troops out of Kupiansk.",
            ("Kupiansk", Side.UKRAINE, Side.UKRAINE, ClaimKind.CONTROL),
        ),
        (
            "Les forces ukrainiennes ont chassé les troupes russes de Koupiansk, selon l'armée"
            " ukrainienne.",
            ("Kupiansk", Side.UKRAINE, Side.UKRAINE, ClaimKind.CONTROL),
        ),
        (
            "« Aujourd'hui, les forces de la 128e brigade d'assaut ont chassé les Russes du"
            " village de Piatykhatky », a déclaré un soldat ukrainien.",
            ("Pyatykhatky", Side.UKRAINE, Side.UKRAINE, ClaimKind.CONTROL),
        ),
        (
            "Syrskyi said Ukrainian troops had cleared the town of Dobropillia of Russian"
            " infiltrators.",
            ("Dobropillia", Side.UKRAINE, Side.UKRAINE, ClaimKind.CONTROL),
        ),
        (
            "Russia said its forces had driven the enemy out of Sudzha.",
            ("Sudzha", Side.RUSSIA, Side.RUSSIA, ClaimKind.CONTROL),
        ),
        # Forces pushed out, with no side driving them named: they withdrew.
        (
            "Ukrainian troops were pushed out of Sudzha, the Russian ministry said.",
            ("Sudzha", Side.RUSSIA, Side.UKRAINE, ClaimKind.WITHDRAWAL),
        ),
        # Supply lines cut.
        (
            "La Russie a affirmé avoir coupé les lignes d'approvisionnement ukrainiennes vers"
            " Pokrovsk.",
            ("Pokrovsk", Side.RUSSIA, Side.RUSSIA, ClaimKind.ENCIRCLEMENT),
        ),
        # A participle its agent follows is a passive, however many adverbs before it.
        (
            "The town of Kurakhove is now effectively surrounded by Russian forces, Ukrainian"
            " analysts said.",
            ("Kurakhove", Side.THIRD_PARTY, Side.RUSSIA, ClaimKind.ENCIRCLEMENT),
        ),
        # The situation in a place under control.
        (
            "Ukraine's General Staff said the situation in Toretsk remained under control.",
            ("Toretsk", Side.UKRAINE, Side.UKRAINE, ClaimKind.CONTROL),
        ),
        # Verbs an outlet quotes are read through the quotation marks.
        (
            "Selon Kiev, les Russes « avancent » près de Pokrovsk.",
            ("Pokrovsk", Side.UKRAINE, Side.RUSSIA, ClaimKind.ADVANCE),
        ),
        (
            "Les Russes « avancent » près de Pokrovsk, a reconnu un commandant ukrainien.",
            ("Pokrovsk", Side.UKRAINE, Side.RUSSIA, ClaimKind.ADVANCE),
        ),
        (
            'Ukraine\'s military said its forces were "holding their positions" in Pokrovsk.',
            ("Pokrovsk", Side.UKRAINE, Side.UKRAINE, ClaimKind.CONTROL),
        ),
        # Crossing into a region is an advance there.
        (
            "Russian troops have crossed into the Dnipropetrovsk region, Moscow said.",
            ("Dnipropetrovsk Oblast", Side.RUSSIA, Side.RUSSIA, ClaimKind.ADVANCE),
        ),
        # Districts of a town cleared or liberated: part of it held.
        (
            "Selon l'état-major ukrainien, les forces ukrainiennes ont « nettoyé » plusieurs"
            " quartiers du nord de Koupiansk des groupes de sabotage russes.",
            ("Kupiansk", Side.UKRAINE, Side.UKRAINE, ClaimKind.PARTIAL_CONTROL),
        ),
        (
            "Russian forces have liberated several neighbourhoods in Pokrovsk, Moscow said.",
            ("Pokrovsk", Side.RUSSIA, Side.RUSSIA, ClaimKind.PARTIAL_CONTROL),
        ),
        # A third party may say a place fell: the side its country fights took it.
        (
            "Bakhmut has fallen, the ISW said.",
            ("Bakhmut", Side.THIRD_PARTY, Side.RUSSIA, ClaimKind.CONTROL),
        ),
        # Taken over, overrun after an auxiliary.
        (
            "Russia said on Tuesday its troops had taken over the village of Torske.",
            ("Torske", Side.RUSSIA, Side.RUSSIA, ClaimKind.CONTROL),
        ),
        (
            "Russian forces have overrun the village of Torske, DeepState said.",
            ("Torske", Side.THIRD_PARTY, Side.RUSSIA, ClaimKind.CONTROL),
        ),
        # A capture claimed as a noun past a time set off by commas.
        (
            "Moscou a revendiqué, mi-octobre, la prise de Dachné.",
            ("Dachne", Side.RUSSIA, Side.RUSSIA, ClaimKind.CONTROL),
        ),
        # The region a town is named with ('the Kursk region town of') only says where it is.
        (
            "Ukraine's military said on Friday it had withdrawn its forces from the Kursk region"
            " town of Sudzha.",
            ("Sudzha", Side.UKRAINE, Side.UKRAINE, ClaimKind.WITHDRAWAL),
        ),
        (
            "Russian forces have taken the Donetsk region village of Dachne, the defence"
            " ministry said.",
            ("Dachne", Side.RUSSIA, Side.RUSSIA, ClaimKind.CONTROL),
        ),
        # Forces within a distance of a town are advancing on it, the town is no landmark.
        (
            "Russian forces are now within three kilometres of Pokrovsk, Ukraine's military said.",
            ("Pokrovsk", Side.UKRAINE, Side.RUSSIA, ClaimKind.ADVANCE),
        ),
        (
            "Les forces russes sont à moins de cinq kilomètres de Pokrovsk, selon l'armée"
            " ukrainienne.",
            ("Pokrovsk", Side.UKRAINE, Side.RUSSIA, ClaimKind.ADVANCE),
        ),
        # Gains a side claimed, listed by the places taken, or made near a place.
        (
            "Moscow has claimed a string of gains in recent weeks, including the town of Siversk.",
            ("Siversk", Side.RUSSIA, Side.RUSSIA, ClaimKind.CONTROL),
        ),
        (
            "Moscou a revendiqué ces dernières semaines une série de conquêtes, dont la ville"
            " de Siversk.",
            ("Siversk", Side.RUSSIA, Side.RUSSIA, ClaimKind.CONTROL),
        ),
        (
            "Russian forces made small gains near Pokrovsk, according to DeepState.",
            ("Pokrovsk", Side.THIRD_PARTY, Side.RUSSIA, ClaimKind.ADVANCE),
        ),
        # The situation in a place said to be under control, the place named first.
        (
            "Le commandant en chef ukrainien, Oleksandre Syrsky, a assuré que la situation à"
            " Koupiansk, plus au nord, était « sous contrôle ».",
            ("Kupiansk", Side.UKRAINE, Side.UKRAINE, ClaimKind.CONTROL),
        ),
        (
            '"The situation around Kupiansk is difficult but under control," Ukraine\'s'
            " military said.",
            ("Kupiansk", Side.UKRAINE, Side.UKRAINE, ClaimKind.CONTROL),
        ),
        # A town said to be encircled is encircled by the claimant's side, whoever spoke.
        (
            "Selon Moscou, Pokrovsk serait encerclée.",
            ("Pokrovsk", Side.RUSSIA, Side.RUSSIA, ClaimKind.ENCIRCLEMENT),
        ),
        (
            "According to Moscow, Pokrovsk is encircled.",
            ("Pokrovsk", Side.RUSSIA, Side.RUSSIA, ClaimKind.ENCIRCLEMENT),
        ),
        # 'confirmed' before a noun says nothing: the speaker is the one named after.
        (
            "Russian forces continued offensive operations in the Pokrovsk direction but did"
            " not make confirmed advances, according to the ISW.",
            ("Pokrovsk", Side.THIRD_PARTY, Side.RUSSIA, ClaimKind.ADVANCE),
        ),
        # Forces that had to leave a town withdrew from it.
        (
            "Les forces ukrainiennes ont dû abandonner Vouhledar, selon l'état-major.",
            ("Vuhledar", Side.UKRAINE, Side.UKRAINE, ClaimKind.WITHDRAWAL),
        ),
        (
            "Les forces ukrainiennes ont été contraintes de quitter Vouhledar, selon l'état-major.",
            ("Vuhledar", Side.UKRAINE, Side.UKRAINE, ClaimKind.WITHDRAWAL),
        ),
        (
            "Ukrainian troops were forced to leave the town of Vuhledar, the general staff said.",
            ("Vuhledar", Side.UKRAINE, Side.UKRAINE, ClaimKind.WITHDRAWAL),
        ),
        # Driven out, in every gender and number.
        (
            "Les troupes ukrainiennes ont été repoussées hors de Soudja, a affirmé Valeri"
            " Guerassimov.",
            ("Sudzha", Side.RUSSIA, Side.UKRAINE, ClaimKind.WITHDRAWAL),
        ),
        # A part of a town taken, named by its possessive, is a share of it.
        (
            "Russian forces captured Pokrovsk's industrial zone, the ministry said.",
            ("Pokrovsk", Side.RUSSIA, Side.RUSSIA, ClaimKind.PARTIAL_CONTROL),
        ),
        # So is a facility in it; one near it is ground gained towards it.
        (
            "Russian forces captured the railway station in Kupiansk, the ministry said.",
            ("Kupiansk", Side.RUSSIA, Side.RUSSIA, ClaimKind.PARTIAL_CONTROL),
        ),
        (
            "Selon Moscou, les troupes russes se sont emparées de la zone industrielle de"
            " Pokrovsk.",
            ("Pokrovsk", Side.RUSSIA, Side.RUSSIA, ClaimKind.PARTIAL_CONTROL),
        ),
        (
            "Ukraine's army said its troops still hold the town hall of Kupiansk.",
            ("Kupiansk", Side.UKRAINE, Side.UKRAINE, ClaimKind.PARTIAL_CONTROL),
        ),
        (
            "Russia said its forces had taken the coke plant near Pokrovsk.",
            ("Pokrovsk", Side.RUSSIA, Side.RUSSIA, ClaimKind.ADVANCE),
        ),
        (
            "Moscou affirme que ses troupes ont pris la mine de charbon aux abords de Pokrovsk.",
            ("Pokrovsk", Side.RUSSIA, Side.RUSSIA, ClaimKind.ADVANCE),
        ),
        # Groups driven out of a village: the side driving them out holds it.
        (
            "Ukraine's 68th Jaeger Brigade said its soldiers had pushed Russian infiltration"
            " groups out of the village of Sofiivka.",
            ("Sofiyivka", Side.UKRAINE, Side.UKRAINE, ClaimKind.CONTROL),
        ),
        (
            "La 68e brigade ukrainienne affirme avoir chassé des groupes d'infiltration russes"
            " du village de Sofiivka.",
            ("Sofiyivka", Side.UKRAINE, Side.UKRAINE, ClaimKind.CONTROL),
        ),
        # Troops still in a town, or still present there, hold it.
        (
            "A spokesman for Ukraine's Khortytsia group said Ukrainian troops were still in"
            " Dachne.",
            ("Dachne", Side.UKRAINE, Side.UKRAINE, ClaimKind.CONTROL),
        ),
        (
            "Selon Kiev, les troupes ukrainiennes sont toujours présentes à Datchne.",
            ("Dachne", Side.UKRAINE, Side.UKRAINE, ClaimKind.CONTROL),
        ),
        # Positions held in a town's part, or some of its facilities, are a share of it.
        (
            "Ukrainian units were still holding positions in the industrial zone around the"
            " Kurakhove thermal power plant, the army said.",
            ("Kurakhove", Side.UKRAINE, Side.UKRAINE, ClaimKind.PARTIAL_CONTROL),
        ),
        (
            'Hanna Maliar said Ukrainian defenders still controlled "some industrial and'
            ' infrastructure facilities and the private sector" in the south-west of Bakhmut.',
            ("Bakhmut", Side.UKRAINE, Side.UKRAINE, ClaimKind.PARTIAL_CONTROL),
        ),
        # A presence seen in a village is an advance; so is a way in found.
        (
            "Selon l'ISW, des images géolocalisées confirment la présence ukrainienne à"
            " Blahodatne.",
            ("Blahodatne", Side.THIRD_PARTY, Side.UKRAINE, ClaimKind.ADVANCE),
        ),
        (
            "Selon l'armée russe, l'ennemi avait « réussi à entrer » dans Neskoutchnoïe.",
            ("Neskuchne", Side.RUSSIA, Side.UKRAINE, ClaimKind.ADVANCE),
        ),
        # A town taken into a (semi-)encirclement, or 'en tenaille', is encircled.
        (
            'Hanna Maliar said Ukrainian forces had taken Bakhmut into a "semi-encirclement".',
            ("Bakhmut", Side.UKRAINE, Side.UKRAINE, ClaimKind.ENCIRCLEMENT),
        ),
        (
            "Selon Kiev, les forces ukrainiennes ont pris Bakhmout en tenaille.",
            ("Bakhmut", Side.UKRAINE, Side.UKRAINE, ClaimKind.ENCIRCLEMENT),
        ),
        # Some facilities held, their kinds after them, are a share of the town.
        (
            "« Nos forces contrôlent certaines installations industrielles et"
            " d'infrastructure dans le secteur du Samolet à Bakhmout », a écrit Hanna Maliar.",
            ("Bakhmut", Side.UKRAINE, Side.UKRAINE, ClaimKind.PARTIAL_CONTROL),
        ),
        # An aim told with its speaker as an aside is still an aim.
        (
            "Oleksandr Syrsky assure que ses troupes avancent dans les faubourgs de Bakhmout,"
            " une manœuvre qui doit permettre, selon lui, d'encercler à terme les forces russes.",
            ("Bakhmut", Side.UKRAINE, Side.UKRAINE, ClaimKind.ADVANCE),
        ),
        # Most of a town, probably held, is a share of it.
        (
            "Selon l'ISW, les forces russes contrôlent probablement l'essentiel de Tchassiv Iar.",
            ("Chasiv Yar", Side.THIRD_PARTY, Side.RUSSIA, ClaimKind.PARTIAL_CONTROL),
        ),
        # A liberation claimed whole, the night named between verb and noun.
        (
            "Le ministère de la défense russe a revendiqué dans la nuit de samedi à dimanche la"
            " « libération complète » d'Artiomovsk.",
            ("Bakhmut", Side.RUSSIA, Side.RUSSIA, ClaimKind.CONTROL),
        ),
        # A town said to be free, or cleared, is its liberators'.
        (
            "Zelensky had declared on Thursday that Bucha was free.",
            ("Bucha", Side.UKRAINE, Side.UKRAINE, ClaimKind.CONTROL),
        ),
        (
            '"As of 12:30, Lyman is fully cleared," Zelensky said in a video on Sunday.',
            ("Lyman", Side.UKRAINE, Side.UKRAINE, ClaimKind.CONTROL),
        ),
        # Almost all of a town is a share of it.
        (
            "Selon DeepState, les troupes russes occupaient « la quasi-totalité » de Selydové.",
            ("Selydove", Side.THIRD_PARTY, Side.RUSSIA, ClaimKind.PARTIAL_CONTROL),
        ),
        (
            "The ISW said Wagner had likely seized nearly all of Bakhmut.",
            ("Bakhmut", Side.THIRD_PARTY, Side.RUSSIA, ClaimKind.PARTIAL_CONTROL),
        ),
        # Forces said to be isolated are encircled, by the other side.
        (
            'Putin said on Thursday that Ukrainian forces in Kurakhove were "in isolation".',
            ("Kurakhove", Side.RUSSIA, Side.RUSSIA, ClaimKind.ENCIRCLEMENT),
        ),
        (
            "Moscou a affirmé jeudi que les soldats ukrainiens encore présents dans la région"
            " de Koursk étaient « isolés » et « complètement encerclés ».",
            ("Kursk Oblast", Side.RUSSIA, Side.RUSSIA, ClaimKind.ENCIRCLEMENT),
        ),
        # Foreign leaders are third parties.
        (
            "Trump said on Friday that thousands of Ukrainian soldiers in the Kursk region were"
            ' "completely surrounded by the Russian military."',
            ("Kursk Oblast", Side.THIRD_PARTY, Side.RUSSIA, ClaimKind.ENCIRCLEMENT),
        ),
        # A control claimed is claimed; a town described by what it went through is not
        # the speaker's claim.
        (
            "Russia has claimed control of Sudzha, the largest town seized by Ukraine during"
            " its incursion into Russia's Kursk region last August.",
            ("Sudzha", Side.RUSSIA, Side.RUSSIA, ClaimKind.CONTROL),
        ),
        # Taken 'in a semi-encirclement' is encircled.
        (
            "Maliar said Ukrainian troops advancing on the flanks had taken the city of"
            ' Bakhmut in a "semi-encirclement".',
            ("Bakhmut", Side.UKRAINE, Side.UKRAINE, ClaimKind.ENCIRCLEMENT),
        ),
        # A place secured is held.
        (
            "Le renseignement militaire britannique estime que les forces ukrainiennes ont"
            " « probablement sécurisé » Robotyné.",
            ("Robotyne", Side.THIRD_PARTY, Side.UKRAINE, ClaimKind.CONTROL),
        ),
        (
            "British intelligence said Ukrainian forces had probably secured Robotyne.",
            ("Robotyne", Side.THIRD_PARTY, Side.UKRAINE, ClaimKind.CONTROL),
        ),
        # Positions kept in a village, and a village a side says it holds, are held.
        (
            "Selon l'état-major, les forces ukrainiennes conservent des positions dans le"
            " village de Bilohorivka.",
            ("Bilohorivka", Side.UKRAINE, Side.UKRAINE, ClaimKind.CONTROL),
        ),
        (
            "L'armée ukrainienne affirme tenir Bilohorivka.",
            ("Bilohorivka", Side.UKRAINE, Side.UKRAINE, ClaimKind.CONTROL),
        ),
        (
            "Ukraine said it holds Bilohorivka.",
            ("Bilohorivka", Side.UKRAINE, Side.UKRAINE, ClaimKind.CONTROL),
        ),
        # A known name in apposition right before the verb is the speaker, whatever side
        # the words after the verb name.
        (
            "In December, the Moscow-installed governor of the occupied part of Kherson"
            " region, Vladimir Saldo, said the Ukrainian bridgehead at Krynky had been"
            ' "blockaded".',
            ("Krynky", Side.RUSSIA, Side.RUSSIA, ClaimKind.ENCIRCLEMENT),
        ),
        # A time of fighting before a claim closes at its comma: the claim is the speaker's.
        (
            "After months of fighting, Russian forces captured Bakhmut, the ministry said.",
            ("Bakhmut", Side.RUSSIA, Side.RUSSIA, ClaimKind.CONTROL),
        ),
        # Taken 'en semi-encerclement' is encircled.
        (
            "Dimanche matin, Hanna Maliar a affirmé que les forces ukrainiennes avaient pris la"
            " ville de Bakhmout en « semi-encerclement ».",
            ("Bakhmut", Side.UKRAINE, Side.UKRAINE, ClaimKind.ENCIRCLEMENT),
        ),
        # An aside between an auxiliary and its participle leaves it a passive, and the
        # forces before them the encircled, whoever speaks.
        (
            'Trump said thousands of Ukrainian troops were "completely surrounded" in the'
            " Kursk region.",
            ("Kursk Oblast", Side.THIRD_PARTY, Side.RUSSIA, ClaimKind.ENCIRCLEMENT),
        ),
        (
            "Moscou affirme que des « milliers de soldats ukrainiens » sont, selon lui,"
            " « complètement encerclés » dans la région de Koursk.",
            ("Kursk Oblast", Side.RUSSIA, Side.RUSSIA, ClaimKind.ENCIRCLEMENT),
        ),
        # ...or free, or rid, of the other side's forces.
        (
            "Zelensky said on Tuesday that Kupiansk was now free of Russian troops.",
            ("Kupiansk", Side.UKRAINE, Side.UKRAINE, ClaimKind.CONTROL),
        ),
        (
            "The General Staff said the village of Robotyne had been cleared of Russian forces.",
            ("Robotyne", Side.UKRAINE, Side.UKRAINE, ClaimKind.CONTROL),
        ),
        (
            "Selon le ministère russe, Soudja est désormais libre de toute présence ukrainienne.",
            ("Sudzha", Side.RUSSIA, Side.RUSSIA, ClaimKind.CONTROL),
        ),
        (
            "Le village de Robotyné a été débarrassé des troupes russes, a affirmé mardi"
            " l'armée ukrainienne.",
            ("Robotyne", Side.UKRAINE, Side.UKRAINE, ClaimKind.CONTROL),
        ),
        # A capture told in the passive, with or without its agent.
        (
            "Le village de Datchne a été pris par les forces russes lundi, selon Moscou.",
            ("Dachne", Side.RUSSIA, Side.RUSSIA, ClaimKind.CONTROL),
        ),
        (
            "La ville de Koupiansk a été entièrement reprise par l'armée ukrainienne, a"
            " annoncé Kiev.",
            ("Kupiansk", Side.UKRAINE, Side.UKRAINE, ClaimKind.CONTROL),
        ),
        # A town in a side's hands, whoever holds it.
        (
            "Koupiansk est aux mains des Russes, a affirmé Valéri Guérassimov.",
            ("Kupiansk", Side.RUSSIA, Side.RUSSIA, ClaimKind.CONTROL),
        ),
        (
            "Koupiansk est toujours entre les mains de l'armée ukrainienne, selon Kiev.",
            ("Kupiansk", Side.UKRAINE, Side.UKRAINE, ClaimKind.CONTROL),
        ),
        (
            "Kupiansk is now in the hands of Russian forces, Gerasimov said.",
            ("Kupiansk", Side.RUSSIA, Side.RUSSIA, ClaimKind.CONTROL),
        ),
        # Ground regained is ground gained, not a town retaken.
        (
            "Selon Moscou, la Russie reprend du terrain près de Koupiansk.",
            ("Kupiansk", Side.RUSSIA, Side.RUSSIA, ClaimKind.ADVANCE),
        ),
        (
            "Ukrainian troops have regained ground near Kupiansk, the army said.",
            ("Kupiansk", Side.UKRAINE, Side.UKRAINE, ClaimKind.ADVANCE),
        ),
        # Territorial gains claimed, a day between the verb and its object.
        (
            "Moscou a revendiqué mardi des gains territoriaux dans la région de Koursk.",
            ("Kursk Oblast", Side.RUSSIA, Side.RUSSIA, ClaimKind.ADVANCE),
        ),
        (
            "L'armée ukrainienne a lancé une offensive dans la région russe de Koursk. Mais la"
            " Russie a cherché à reprendre du terrain dans cette région, Moscou revendiquant"
            " des conquêtes territoriales le 12 novembre.",
            ("Kursk Oblast", Side.RUSSIA, Side.RUSSIA, ClaimKind.ADVANCE),
        ),
        # Gains made or small advances, whatever the verb.
        (
            "Selon l'ISW, les troupes russes ont fait de petites avancées près de Pokrovsk.",
            ("Pokrovsk", Side.THIRD_PARTY, Side.RUSSIA, ClaimKind.ADVANCE),
        ),
        (
            "Selon le renseignement militaire britannique, les forces russes ont probablement"
            " réalisé des gains marginaux autour de Kreminna.",
            ("Kreminna", Side.THIRD_PARTY, Side.RUSSIA, ClaimKind.ADVANCE),
        ),
        # Gains a side's forces claim near a town; a commander who hammers a point says it.
        (
            "Les forces russes revendiquent des gains autour de Pokrovsk.",
            ("Pokrovsk", Side.RUSSIA, Side.RUSSIA, ClaimKind.ADVANCE),
        ),
        (
            "« Nous contrôlons toujours Koupiansk », a martelé le commandant de la brigade.",
            ("Kupiansk", Side.UKRAINE, Side.UKRAINE, ClaimKind.CONTROL),
        ),
        # 'Plus de 80 %' is more, not 'no more'.
        (
            "Plus de 80 % de Koupiansk est désormais sous contrôle russe, selon Moscou.",
            ("Kupiansk", Side.RUSSIA, Side.RUSSIA, ClaimKind.PARTIAL_CONTROL),
        ),
    ],
)
def test_claims_by_class_of_phrasing(
    extractor: Extractor, text: str, expected: tuple[str, Side, Side, ClaimKind]
) -> None:
    assert one(read(extractor, text)) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Pushilin said Russian forces would soon take full control of Marinka.",
        "Pouchiline a affirmé que Marinka sera bientôt sous notre contrôle.",
        "Denis Pouchiline a déclaré que les forces russes contrôleront bientôt Marinka.",
        # Unlikely, or not managed: no capture either.
        "Russian forces are unlikely to capture Marinka in the coming weeks, ISW assessed.",
        "Les troupes russes n'ont pas réussi à s'emparer de Marinka, selon l'armée ukrainienne.",
        "Putin said the Kursk region would soon be free of Ukrainian troops.",
        "Zelensky said on Tuesday that Kupiansk was not yet free of Russian troops.",
    ],
)
def test_a_forecast_is_no_claim_of_control(extractor: Extractor, text: str) -> None:
    assert [c.kind for c in read(extractor, text).claims if c.kind is ClaimKind.CONTROL] == []


def test_the_capture_of_an_unnamed_village_is_no_claim_about_the_town_near_it(
    extractor: Extractor,
) -> None:
    text = (
        "Le ministère russe de la Défense a revendiqué la conquête d'un village tout près de"
        " la ville de Kourakhové."
    )
    assert [c.kind for c in read(extractor, text).claims] == []


@pytest.mark.parametrize(
    "text",
    [
        "Russia's defence ministry said on Monday that its forces had taken the village of"
        " Ivanivske, a claim Kyiv denied.",
        "Ukraine's General Staff said Russia's claims of capturing Kupiansk were false.",
    ],
)
def test_a_denial_in_the_same_sentence_contests_the_enemy_s_claim(
    extractor: Extractor, text: str
) -> None:
    extraction = read(extractor, text)
    assert [(c.claimant_side, c.kind) for c in extraction.claims] == [
        (Side.RUSSIA, ClaimKind.CONTROL)
    ]
    assert contested(extraction) == [(extraction.claims[0].id, Side.UKRAINE)]


def test_seizing_the_initiative_is_no_capture(extractor: Extractor) -> None:
    text = "Russian forces seized the initiative near Kupiansk, Ukraine's General Staff said."
    assert read(extractor, text).claims == ()


def test_abbreviated_months_date_a_claim(extractor: Extractor) -> None:
    text = "Ukraine's army said on Oct. 1, 2024 that its troops had withdrawn from Vuhledar."
    assert [str(c.claimed_on) for c in read(extractor, text).claims] == ["2024-10-01"]


def test_a_threat_of_encirclement_is_no_encirclement(extractor: Extractor) -> None:
    text = (
        '"The enemy managed to carry out flanking maneuvers, and there was a threat of'
        " encirclement near Vuhledar,\" Ukraine's General Staff said."
    )
    assert [c.kind for c in read(extractor, text).claims] == []


@pytest.mark.parametrize(
    ("text", "places", "kind"),
    [
        # Places listed before a cue are all its places; where troops went is not one.
        (
            "The Russian defence ministry said its troops in the Balakliia and Izium areas"
            " were being regrouped to reinforce efforts in Donetsk.",
            ["Balakliia", "Izium"],
            ClaimKind.WITHDRAWAL,
        ),
        # Having left a place.
        (
            "Russian forces have left Lyman to avoid encirclement, the Russian defence"
            " ministry said.",
            ["Lyman"],
            ClaimKind.WITHDRAWAL,
        ),
        (
            "Les forces russes ont quitté Lyman pour éviter l'encerclement, a indiqué le"
            " ministère russe de la Défense.",
            ["Lyman"],
            ClaimKind.WITHDRAWAL,
        ),
        # A side's flag over a place.
        (
            "The Ukrainian flag is flying again over Lyman, the Ukrainian army said.",
            ["Lyman"],
            ClaimKind.CONTROL,
        ),
        (
            "Le drapeau ukrainien flotte de nouveau sur Lyman, a annoncé l'armée ukrainienne.",
            ["Lyman"],
            ClaimKind.CONTROL,
        ),
    ],
)
def test_withdrawals_and_flags(
    extractor: Extractor, text: str, places: list[str], kind: ClaimKind
) -> None:
    claims = read(extractor, text).claims
    assert [(c.place_name, c.kind) for c in claims] == [(p, kind) for p in places]


def test_an_effort_to_encircle_is_no_encirclement(extractor: Extractor) -> None:
    text = (
        "Ukrainian commanders said their forces were advancing on the flanks of Bakhmut, in an"
        " effort to encircle Wagner units inside."
    )
    assert [c.kind for c in read(extractor, text).claims] == [ClaimKind.ADVANCE]


def test_more_territory_captured_is_no_claim_about_the_town_before(
    extractor: Extractor,
) -> None:
    text = (
        "Ukraine's top commander said his troops had seized the initiative in Kursk and"
        " captured more Russian territory."
    )
    assert read(extractor, text).claims == ()


def test_crossing_a_river_near_a_town_is_an_advance(extractor: Extractor) -> None:
    text = "Pro-Kremlin war bloggers said Russian units had crossed the Oskil river near Kupiansk."
    assert one(read(extractor, text)) == (
        "Kupiansk",
        Side.RUSSIA,
        Side.RUSSIA,
        ClaimKind.ADVANCE,
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # An advance measured in kilometres near a place is about that place.
        (
            "Les forces ukrainiennes ont avancé de deux kilomètres près de Robotyne, a affirmé"
            " Hanna Maliar.",
            ("Robotyne", Side.UKRAINE, Side.UKRAINE, ClaimKind.ADVANCE),
        ),
        # Being at the gates is no passive.
        (
            "Les forces russes sont aux portes de Pokrovsk, a reconnu un commandant ukrainien.",
            ("Pokrovsk", Side.UKRAINE, Side.RUSSIA, ClaimKind.ADVANCE),
        ),
        (
            "L'armée russe a annoncé jeudi s'être emparée de la ville de Vouhledar.",
            ("Vuhledar", Side.RUSSIA, Side.RUSSIA, ClaimKind.CONTROL),
        ),
        (
            "L'armée russe poursuit son avancée en direction de Pokrovsk, selon l'état-major"
            " ukrainien.",
            ("Pokrovsk", Side.UKRAINE, Side.RUSSIA, ClaimKind.ADVANCE),
        ),
    ],
)
def test_french_advances_and_captures(
    extractor: Extractor, text: str, expected: tuple[str, Side, Side, ClaimKind]
) -> None:
    assert one(read(extractor, text, "fr")) == expected


def test_a_threat_to_encircle_is_no_encirclement(extractor: Extractor) -> None:
    text = "Les troupes russes menacent d'encercler Pokrovsk, selon des analystes."
    assert read(extractor, text, "fr").claims == ()


def test_a_capture_not_yet_confirmed_is_not_claimed(extractor: Extractor) -> None:
    text = (
        "Le ministère russe de la Défense n'avait pas encore confirmé jeudi la prise de Vouhledar."
    )
    assert read(extractor, text, "fr").claims == ()


@pytest.mark.parametrize(
    "text",
    [
        # Civilians who remain, an attack by drones, civilians evacuated, measures taken,
        # talks held: no claim about a place.
        "About 1,000 civilians remain in Avdiivka, the governor of the Donetsk region said.",
        "Plus de 1 000 civils restent à Avdiïvka, selon le gouverneur de la région de Donetsk.",
        "A Russian drone attack near Kharkiv killed three people, the governor of the Kharkiv"
        " region said.",
        "Les autorités ukrainiennes ont évacué les civils de Pokrovsk, selon le gouverneur de la"
        " région de Donetsk.",
        "Measures were taken in Kharkiv to protect civilians, the governor of the Kharkiv region"
        " said.",
        "Ukraine will continue to hold talks in Istanbul, Zelensky said.",
        # A fight said to go on near a town is the battle for it, not a gain.
        "Fighting continues near Izium, the ministry said.",
        "De violents combats se poursuivent près de Pokrovsk, selon Kiev.",
        # A decision taken is no town taken.
        "Dans la région de Soumy, une décision a été prise d'évacuer les habitants, selon Kiev.",
    ],
)
def test_words_of_war_that_claim_no_ground(extractor: Extractor, text: str) -> None:
    assert read(extractor, text).claims == ()


def test_a_town_s_past_told_in_apposition_dates_nothing_after_it(extractor: Extractor) -> None:
    text = (
        "Le porte-parole militaire ukrainien a fait état de combats autour de Bakhmout, la"
        " ville occupée par les troupes russes en mai. L'ennemi a mené des actions offensives"
        " infructueuses près de Bohdanivka."
    )
    assert [(c.place_name, c.claimed_on) for c in read(extractor, text).claims] == [
        ("Bakhmut", PUBLISHED),
        ("Bohdanivka", PUBLISHED),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Fighting near a town no forces are named as waging: the side that would take
        # it advances there...
        (
            "De violents combats se déroulent notamment dans les environs de la ville de"
            " Pokrovsk, a indiqué l'état-major ukrainien.",
            ("Pokrovsk", Side.UKRAINE, Side.RUSSIA, ClaimKind.ADVANCE),
        ),
        (
            "Heavy fighting is under way on the outskirts of Pokrovsk, Ukraine's General Staff"
            " said.",
            ("Pokrovsk", Side.UKRAINE, Side.RUSSIA, ClaimKind.ADVANCE),
        ),
        (
            "Fierce clashes are raging near Sudzha, the Russian defence ministry said.",
            ("Sudzha", Side.RUSSIA, Side.UKRAINE, ClaimKind.ADVANCE),
        ),
        # ...the enemy of the side the sentence says holds it...
        (
            "Le porte-parole militaire ukrainien a fait état de combats autour de Bakhmout,"
            " la ville occupée par les troupes russes en mai.",
            ("Bakhmut", Side.UKRAINE, Side.UKRAINE, ClaimKind.ADVANCE),
        ),
        # ...and forces named as waging it, theirs.
        (
            "Russian forces are engaged in heavy fighting near Kupiansk, the Ukrainian army said.",
            ("Kupiansk", Side.UKRAINE, Side.RUSSIA, ClaimKind.ADVANCE),
        ),
    ],
)
def test_fighting_near_a_town_is_the_attacker_s_advance(
    extractor: Extractor, text: str, expected: tuple[str, Side, Side, ClaimKind]
) -> None:
    assert one(read(extractor, text)) == expected


def test_a_side_s_push_is_that_side_s_advance(extractor: Extractor) -> None:
    text = "Zelenskiy dismissed the significance of Russia's push into Pokrovsk."
    assert one(read(extractor, text)) == ("Pokrovsk", Side.UKRAINE, Side.RUSSIA, ClaimKind.ADVANCE)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        (
            '"Russians have entered Zaporizke and are attempting to establish a foothold,"'
            ' Ukrainian military spokesperson Viktor Trehubov said. "Our forces are fighting to'
            ' maintain their positions there."\n\nRussian forces said in July they had taken a'
            " village.",
            "en",
        ),
        (
            "Le porte-parole militaire ukrainien a déclaré que les Russes sont entrés dans"
            " Zaporizke. « Nos forces se battent pour maintenir leurs positions dans ce village. »",
            "fr",
        ),
    ],
)
def test_defenders_fighting_to_hold_their_positions_hold_the_place(
    extractor: Extractor, text: str, language: str
) -> None:
    assert readings(read(extractor, text, language)) == [
        ("Zaporizke", Side.UKRAINE, Side.RUSSIA, ClaimKind.ADVANCE),
        ("Zaporizke", Side.UKRAINE, Side.UKRAINE, ClaimKind.CONTROL),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A side's forces active somewhere: an advance there.
        (
            "The enemy is also active near Lyman, the General Staff said.",
            ("Lyman", Side.UKRAINE, Side.RUSSIA, ClaimKind.ADVANCE),
        ),
        (
            "L'ennemi est également actif dans la région de Lyman, a déclaré l'état-major.",
            ("Lyman", Side.UKRAINE, Side.RUSSIA, ClaimKind.ADVANCE),
        ),
        # Forces beaten back were repelled by the other side, whoever tells it.
        (
            "Our men were repelled near Lyman, a Russian commander said.",
            ("Lyman", Side.RUSSIA, Side.UKRAINE, ClaimKind.REPELLED),
        ),
        (
            "Les troupes russes ont été repoussées près de Lyman, a déclaré l'état-major"
            " ukrainien.",
            ("Lyman", Side.UKRAINE, Side.UKRAINE, ClaimKind.REPELLED),
        ),
    ],
)
def test_activity_and_forces_beaten_back(
    extractor: Extractor, text: str, expected: tuple[str, Side, Side, ClaimKind]
) -> None:
    assert one(read(extractor, text)) == expected


def test_attacks_repelled_are_where_the_sentence_before_counted_them(
    extractor: Extractor,
) -> None:
    text = (
        "Selon le rapport de l'état-major ukrainien, 41 affrontements ont eu lieu dans la"
        " région de Pokrovsk. Selon le rapport, vingt-neuf attaques ont été repoussées."
    )
    assert one(read(extractor, text)) == (
        "Pokrovsk",
        Side.UKRAINE,
        Side.UKRAINE,
        ClaimKind.REPELLED,
    )


def test_a_repulse_of_one_s_own_men_contests_no_capture(extractor: Extractor) -> None:
    text = (
        "L'Ukraine a déclaré jeudi avoir repris le contrôle de Balaklia. « Nos hommes sont"
        " repoussés à Balaklia », a déclaré un député russe."
    )
    extraction = read(extractor, text)
    assert [(c.claimant_side, c.actor_side, c.kind) for c in extraction.claims] == [
        (Side.UKRAINE, Side.UKRAINE, ClaimKind.CONTROL),
        (Side.RUSSIA, Side.UKRAINE, ClaimKind.REPELLED),
    ]
    assert extraction.contestations == ()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Holding the line around a place holds it.
        (
            "Kyiv said its forces were holding the line around Chasiv Yar.",
            [("Chasiv Yar", Side.UKRAINE, Side.UKRAINE, ClaimKind.CONTROL)],
        ),
        (
            "Les forces ukrainiennes tiennent toujours la ligne autour de Tchassiv Iar, a"
            " affirmé l'état-major.",
            [("Chasiv Yar", Side.UKRAINE, Side.UKRAINE, ClaimKind.CONTROL)],
        ),
        # A capture named in quotes is still named.
        (
            "Le ministère russe de la Défense a annoncé dimanche la « libération » du village"
            " de Novoselivka.",
            [("Novoselivka", Side.RUSSIA, Side.RUSSIA, ClaimKind.CONTROL)],
        ),
        # Attacks that failed, the place among the words that say so.
        (
            "Russian attacks near Kupiansk failed, Ukraine's General Staff said.",
            [("Kupiansk", Side.UKRAINE, Side.UKRAINE, ClaimKind.REPELLED)],
        ),
        (
            "Les attaques russes près de Koupiansk ont échoué, selon l'état-major ukrainien.",
            [("Kupiansk", Side.UKRAINE, Side.UKRAINE, ClaimKind.REPELLED)],
        ),
        # Attacks and their repulse in one sentence: both, at the attacks' place.
        (
            "Ukraine's General Staff said Russian forces attacked 12 times near Kupiansk, and"
            " all attacks were repelled.",
            [
                ("Kupiansk", Side.UKRAINE, Side.RUSSIA, ClaimKind.ADVANCE),
                ("Kupiansk", Side.UKRAINE, Side.UKRAINE, ClaimKind.REPELLED),
            ],
        ),
    ],
)
def test_lines_held_captures_in_quotes_and_attacks_that_failed(
    extractor: Extractor, text: str, expected: list[tuple[str, Side, Side, ClaimKind]]
) -> None:
    assert readings(read(extractor, text)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Fallen to a side: that side holds it.
        (
            "The town of Ocheretyne fell to Russian forces last week, according to DeepState.",
            ("Ocheretyne", Side.THIRD_PARTY, Side.RUSSIA, ClaimKind.CONTROL),
        ),
        (
            "La ville d'Otcheretyne est tombée aux mains des forces russes, selon DeepState.",
            ("Ocheretyne", Side.THIRD_PARTY, Side.RUSSIA, ClaimKind.CONTROL),
        ),
        # Fighting in a town's streets: in it.
        (
            "Russian troops are fighting in the streets of Vovchansk, the regional governor"
            " Oleh Syniehubov said.",
            ("Vovchansk", Side.UKRAINE, Side.RUSSIA, ClaimKind.ADVANCE),
        ),
        (
            "Les troupes russes se battent désormais dans les rues de Vovtchansk, selon"
            " l'état-major ukrainien.",
            ("Vovchansk", Side.UKRAINE, Side.RUSSIA, ClaimKind.ADVANCE),
        ),
    ],
)
def test_fallen_to_a_side_and_fighting_in_the_streets(
    extractor: Extractor, text: str, expected: tuple[str, Side, Side, ClaimKind]
) -> None:
    assert one(read(extractor, text)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A town set after a comma and 'near' places the one taken; it is not taken.
        (
            "L'armée russe dit avoir conquis le village de Novooleksandrivka, près de Pokrovsk.",
            [("Novooleksandrivka", Side.RUSSIA, Side.RUSSIA, ClaimKind.CONTROL)],
        ),
        (
            "Russia said it had captured Novooleksandrivka, near Pokrovsk.",
            [("Novooleksandrivka", Side.RUSSIA, Side.RUSSIA, ClaimKind.CONTROL)],
        ),
        # A side speaking of itself in the first person.
        (
            "« Nous contrôlons toujours Tchassiv Iar », a assuré un porte-parole de l'armée"
            " ukrainienne.",
            [("Chasiv Yar", Side.UKRAINE, Side.UKRAINE, ClaimKind.CONTROL)],
        ),
        (
            '"We still control Chasiv Yar," a Ukrainian army spokesman said.',
            [("Chasiv Yar", Side.UKRAINE, Side.UKRAINE, ClaimKind.CONTROL)],
        ),
        # 'Took' a named place; took part, took place and were taken to hospital take none.
        (
            "Russia said Russian forces took Avdiivka in February.",
            [("Avdiivka", Side.RUSSIA, Side.RUSSIA, ClaimKind.CONTROL)],
        ),
        ("The wounded were taken to hospital in Kharkiv, the governor said.", []),
        ("Russia said it took part in talks in Kyiv.", []),
        # A capture the enemy claimed, denied: the enemy's claim, by the enemy's forces.
        (
            "L'état-major ukrainien a démenti lundi la prise de Krasnohorivka revendiquée par"
            " Moscou.",
            [("Krasnohorivka", Side.RUSSIA, Side.RUSSIA, ClaimKind.CONTROL)],
        ),
    ],
)
def test_places_that_locate_first_person_claims_and_denied_captures(
    extractor: Extractor, text: str, expected: list[tuple[str, Side, Side, ClaimKind]]
) -> None:
    assert readings(read(extractor, text)) == expected


@pytest.mark.parametrize(
    "text",
    [
        # A side's answer, told with 'a reagi', 'responded', 'qualifiees de fausses'.
        "Moscou a revendiqué la prise de Koupiansk. « C'est un mensonge », a réagi l'état-major"
        " ukrainien.",
        'Russia said it had taken Kupiansk. "This is a lie," Ukraine\'s General Staff responded.',
        "Le ministère russe a affirmé avoir pris Koupiansk. Des affirmations que Kiev a"
        " qualifiées de fausses.",
        # The enemy's claims 'to have captured' a town, called absurd.
        'Ukraine says Russia\'s claims to have captured Kupiansk are "absurd".',
    ],
)
def test_answers_that_call_a_claim_false_contest_it(extractor: Extractor, text: str) -> None:
    extraction = read(extractor, text)
    assert [(c.place_name, c.claimant_side, c.actor_side) for c in extraction.claims] == [
        ("Kupiansk", Side.RUSSIA, Side.RUSSIA)
    ]
    assert contested(extraction) == [("c1", Side.UKRAINE)]


@pytest.mark.parametrize(
    ("text", "language", "day"),
    [
        # 'Last Thursday' said on a Thursday is a week before; 'Thursday' alone is that day.
        (
            "Last Thursday, Ukraine's General Staff said its forces had retaken Kozacha Lopan.",
            "en",
            "2025-11-06",
        ),
        (
            "L'état-major ukrainien a annoncé jeudi dernier avoir repris Kozacha Lopan.",
            "fr",
            "2025-11-06",
        ),
        (
            "On Thursday, Ukraine's General Staff said its forces had retaken Kozacha Lopan.",
            "en",
            "2025-11-13",
        ),
        # 'Earlier this month': within the month so far.
        (
            "Earlier this month, Ukraine's General Staff said its forces had retaken Kozacha"
            " Lopan.",
            "en",
            "2025-11-07",
        ),
    ],
)
def test_last_weekdays_and_this_month(
    extractor: Extractor, text: str, language: str, day: str
) -> None:
    assert [str(c.claimed_on) for c in read(extractor, text, language).claims] == [day]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Analysts of a nationality are third parties still.
        (
            "Russian forces now control more than half of Toretsk, according to Ukrainian"
            " military analysts.",
            [("Toretsk", Side.THIRD_PARTY, Side.RUSSIA, ClaimKind.PARTIAL_CONTROL, 0.5)],
        ),
        # A share without its article.
        (
            "Les troupes russes contrôlent environ deux tiers de la ville de Vouhledar, selon"
            " l'ISW.",
            [("Vuhledar", Side.THIRD_PARTY, Side.RUSSIA, ClaimKind.PARTIAL_CONTROL, 0.67)],
        ),
        # A risk of encirclement is none.
        ("Ukrainian units in Avdiivka risk being cut off, ISW said.", []),
        ("Les unités ukrainiennes risquent d'être encerclées à Pokrovsk, selon l'ISW.", []),
        ("Les troupes ukrainiennes sont menacées d'être encerclées à Pokrovsk, selon l'ISW.", []),
        # Caught in a pincer: encircled.
        (
            "Les forces russes ont pris en tenaille la ville de Pokrovsk, selon l'armée"
            " ukrainienne.",
            [("Pokrovsk", Side.UKRAINE, Side.RUSSIA, ClaimKind.ENCIRCLEMENT, None)],
        ),
    ],
)
def test_shares_risks_and_pincers(
    extractor: Extractor,
    text: str,
    expected: list[tuple[str, Side, Side, ClaimKind, float | None]],
) -> None:
    claims = read(extractor, text).claims
    found = [(c.place_name, c.claimant_side, c.actor_side, c.kind, c.extent) for c in claims]
    assert found == expected


def test_a_speaker_named_by_a_side_s_adjective_is_named_with_its_noun(
    extractor: Extractor,
) -> None:
    text = "Russian forces entered Pokrovsk, a Ukrainian soldier said."
    assert [c.claimant for c in read(extractor, text).claims] == ["ukrainian soldier"]


@pytest.mark.parametrize(
    "text",
    [
        "Ukrainian Defence Minister Rustem Umerov said Russian forces had been stopped near"
        " Kharkiv.",
        "Les troupes russes ont été arrêtées aux abords de Kharkiv, a déclaré le ministre"
        " ukrainien de la Défense.",
    ],
)
def test_forces_stopped_were_repelled_by_the_other_side(extractor: Extractor, text: str) -> None:
    assert one(read(extractor, text)) == ("Kharkiv", Side.UKRAINE, Side.UKRAINE, ClaimKind.REPELLED)


def test_a_speaker_after_a_closing_quote_said_all_its_clauses(extractor: Extractor) -> None:
    text = (
        "Ukrainian forces still hold positions in Velyka Novosilka. \u201cBy now, the Russian"
        " forces have entered a significant portion of the settlement, while Ukrainians are"
        " maintaining their lines,\u201d Ukraine's General Staff said."
    )
    assert (
        "Velyka Novosilka",
        Side.UKRAINE,
        Side.RUSSIA,
        ClaimKind.PARTIAL_CONTROL,
    ) in readings(read(extractor, text))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A capture hailed is claimed by whoever hails it.
        ("Le Kremlin a salué la prise de Vouhledar.", ("Kremlin", Side.RUSSIA)),
        ("Putin hailed the capture of Avdiivka.", ("Vladimir Putin", Side.RUSSIA)),
        # 'The Ukrainian side' speaks for Ukraine.
        (
            "The Ukrainian side said its forces had repelled 14 attacks near Pokrovsk.",
            ("ukrainian side", Side.UKRAINE),
        ),
    ],
)
def test_hailed_captures_and_sides_as_speakers(
    extractor: Extractor, text: str, expected: tuple[str, Side]
) -> None:
    assert [(c.claimant, c.claimant_side) for c in read(extractor, text).claims] == [expected]


def test_ainsi_que_adds_to_a_list_already_closed(extractor: Extractor) -> None:
    text = (
        "Le ministère russe de la Défense a revendiqué la prise de Novoselivka et d'Ivanivka"
        " dans la région de Donetsk, ainsi que de Synkivka dans celle de Kharkiv."
    )
    names = [c.place_name for c in read(extractor, text).claims]
    assert names == ["Novoselivka", "Ivanivka", "Synkivka"]


def test_war_monitors_are_third_parties(extractor: Extractor) -> None:
    text = "Russian forces captured Pishchane, according to Ukrainian war monitors."
    assert one(read(extractor, text)) == (
        "Pishchane",
        Side.THIRD_PARTY,
        Side.RUSSIA,
        ClaimKind.CONTROL,
    )


@pytest.mark.parametrize(
    "text",
    [
        # A denial before the claim it denies.
        "Kyiv rejected the claim. Earlier, Moscow said its forces had captured Vovchansk.",
        "Les autorités ukrainiennes ont démenti mardi. La veille, le ministère russe de la"
        " Défense avait affirmé avoir pris le contrôle de Vovtchansk.",
        # A repulse told before the capture it answers, in one sentence.
        "Ukraine's General Staff said its troops had repelled Russian attacks near Vovchansk"
        " on Tuesday, a day after Moscow claimed to have captured the town.",
    ],
)
def test_denials_and_repulses_told_before_the_claim_contest_it(
    extractor: Extractor, text: str
) -> None:
    extraction = read(extractor, text)
    captures = [
        c.id
        for c in extraction.claims
        if (c.place_name, c.claimant_side, c.kind) == ("Vovchansk", Side.RUSSIA, ClaimKind.CONTROL)
    ]
    assert len(captures) == 1
    assert contested(extraction) == [(captures[0], Side.UKRAINE)]


def test_the_enemy_claims_the_denier_s_losses(extractor: Extractor) -> None:
    text = "Ukraine on Tuesday denied Russian claims that its troops had been forced out of Krynky."
    assert one(read(extractor, text)) == ("Krynky", Side.RUSSIA, Side.UKRAINE, ClaimKind.WITHDRAWAL)


@pytest.mark.parametrize(
    "text",
    [
        # History told after a speaker, dated months before, is not the speaker's claim.
        "Russia's defence ministry said its forces had captured Novohrodivka. Russia took"
        " Avdiivka in February 2024 after months of fighting.",
        # A town a time is counted from is not where the claim is.
        "Ukraine's General Staff said Russia had been advancing in the east since the fall of"
        " Avdiivka.",
        "Les forces russes progressent depuis la chute d'Avdiïvka, selon l'état-major ukrainien.",
    ],
)
def test_history_and_events_a_time_is_counted_from_claim_nothing(
    extractor: Extractor, text: str
) -> None:
    assert "Avdiivka" not in [c.place_name for c in read(extractor, text).claims]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A relative clause the outlet adds after the speaker's words is its own narration.
        (
            "Le ministère russe de la Défense a revendiqué dimanche la conquête d'un village tout"
            " près de Kourakhové, dont les forces de Moscou sont désormais aux portes.",
            [],
        ),
        # Unnamed places named after all.
        (
            "Le ministère russe de la Défense a revendiqué la prise de plusieurs localités, dont"
            " Krasnohorivka et Ostrivske.",
            ["Krasnohorivka", "Ostrivske"],
        ),
    ],
)
def test_relative_clauses_of_the_outlet_and_places_named_after_all(
    extractor: Extractor, text: str, expected: list[str]
) -> None:
    assert [c.place_name for c in read(extractor, text).claims] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # An order to withdraw, given: a withdrawal; an order to take a town: none yet.
        (
            "Ukraine's top commander ordered the withdrawal of troops from Vuhledar.",
            [("Vuhledar", Side.UKRAINE, Side.UKRAINE, ClaimKind.WITHDRAWAL)],
        ),
        (
            "L'armée ukrainienne a ordonné le retrait de ses troupes de Vouhledar.",
            [("Vuhledar", Side.UKRAINE, Side.UKRAINE, ClaimKind.WITHDRAWAL)],
        ),
        ("Putin ordered the army to capture Kupiansk by the end of the year.", []),
        ("Poutine a ordonné à l'armée de prendre Koupiansk.", []),
        # Troops that fled withdrew; civilians who fled did not.
        (
            "Russian troops fled the village of Kozacha Lopan, Ukraine's military said.",
            [("Kozacha Lopan", Side.UKRAINE, Side.RUSSIA, ClaimKind.WITHDRAWAL)],
        ),
        ("Thousands of civilians fled Pokrovsk, the Ukrainian governor said.", []),
        ("Des milliers de civils ont fui Pokrovsk, selon le gouverneur ukrainien.", []),
        # A phrase an 'after' opens ends at its comma; the speaker after it said it all.
        (
            "Ukrainian troops pulled out of Marinka after months of fighting, Ukraine's"
            " commander said.",
            [("Marinka", Side.UKRAINE, Side.UKRAINE, ClaimKind.WITHDRAWAL)],
        ),
    ],
)
def test_orders_flight_and_phrases_closed_by_a_comma(
    extractor: Extractor, text: str, expected: list[tuple[str, Side, Side, ClaimKind]]
) -> None:
    assert readings(read(extractor, text)) == expected


def test_forces_named_again_without_their_side_keep_it(extractor: Extractor) -> None:
    text = (
        "Russian troops thwarted an attempt by a Ukrainian sabotage group to enter the Belgorod"
        " region, the Russian Defence Ministry said. The ministry said the sabotage group had"
        " entered the village of Kozinka."
    )
    expected = ("Kozinka", Side.RUSSIA, Side.UKRAINE, ClaimKind.ADVANCE)
    assert expected in readings(read(extractor, text))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Closing in, gaining ground: advancing.
        (
            "Moscow's forces have been inching closer to Pokrovsk for months, Ukraine's"
            " military said.",
            ("Pokrovsk", Side.UKRAINE, Side.RUSSIA, ClaimKind.ADVANCE),
        ),
        (
            "Les troupes russes grignotent du terrain autour de Pokrovsk, selon l'ISW.",
            ("Pokrovsk", Side.THIRD_PARTY, Side.RUSSIA, ClaimKind.ADVANCE),
        ),
        # Holding out: holding.
        (
            "Ukrainian forces are holding out in Chasiv Yar, a Ukrainian brigade said.",
            ("Chasiv Yar", Side.UKRAINE, Side.UKRAINE, ClaimKind.CONTROL),
        ),
        (
            "Les défenseurs ukrainiens résistent toujours à Tchassiv Iar, selon l'état-major.",
            ("Chasiv Yar", Side.UKRAINE, Side.UKRAINE, ClaimKind.CONTROL),
        ),
    ],
)
def test_closing_in_and_holding_out(
    extractor: Extractor, text: str, expected: tuple[str, Side, Side, ClaimKind]
) -> None:
    assert one(read(extractor, text)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Selon Moscou, l'armée russe a enregistré des succès près de Koupiansk.",
            ("Kupiansk", Side.RUSSIA, Side.RUSSIA, ClaimKind.ADVANCE),
        ),
        (
            "Russian forces achieved tactical successes near Kupiansk, the ISW said.",
            ("Kupiansk", Side.THIRD_PARTY, Side.RUSSIA, ClaimKind.ADVANCE),
        ),
    ],
)
def test_successes_near_a_place_are_advances(
    extractor: Extractor, text: str, expected: tuple[str, Side, Side, ClaimKind]
) -> None:
    assert one(read(extractor, text)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Control a side says it lacks or lost is the other side's.
        (
            '"Nous n\'avons aucun contrôle à Balaklia", a déclaré un député russe.',
            ("Balakliia", Side.RUSSIA, Side.UKRAINE, ClaimKind.CONTROL),
        ),
        (
            "Russia says Ukraine has lost control of Sudzha.",
            ("Sudzha", Side.RUSSIA, Side.RUSSIA, ClaimKind.CONTROL),
        ),
        (
            "L'armée ukrainienne a reconnu avoir perdu le contrôle de Novohrodivka.",
            ("Novohrodivka", Side.UKRAINE, Side.RUSSIA, ClaimKind.CONTROL),
        ),
    ],
)
def test_control_lost_or_lacking_is_the_other_side_s(
    extractor: Extractor, text: str, expected: tuple[str, Side, Side, ClaimKind]
) -> None:
    assert one(read(extractor, text)) == expected


def test_soldiers_named_again_may_be_either_side_s(extractor: Extractor) -> None:
    text = (
        "L'offensive pousse les soldats russes à se retirer, a déclaré l'état-major ukrainien."
        " Samedi, l'état-major ukrainien a annoncé que les soldats ont repris la ville de"
        " Koupiansk."
    )
    expected = ("Kupiansk", Side.UKRAINE, Side.UKRAINE, ClaimKind.CONTROL)
    assert expected in readings(read(extractor, text))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Selon l'armée ukrainienne, la situation est « sous contrôle » à Vovtchansk.",
            ("Vovchansk", Side.UKRAINE, Side.UKRAINE, ClaimKind.CONTROL),
        ),
        (
            "Les forces ukrainiennes ont reculé près de Pokrovsk, a reconnu l'état-major"
            " ukrainien.",
            ("Pokrovsk", Side.UKRAINE, Side.UKRAINE, ClaimKind.WITHDRAWAL),
        ),
    ],
)
def test_a_situation_under_control_in_quotes_and_falling_back(
    extractor: Extractor, text: str, expected: tuple[str, Side, Side, ClaimKind]
) -> None:
    assert one(read(extractor, text)) == expected


def test_an_offensive_that_could_be_stopped_was_repelled(extractor: Extractor) -> None:
    text = (
        "Selon Kiev, la contre-offensive menée par Moscou dans la région de Koursk a pu être"
        " arrêtée."
    )
    assert one(read(extractor, text)) == (
        "Kursk Oblast",
        Side.UKRAINE,
        Side.UKRAINE,
        ClaimKind.REPELLED,
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Positions attacked near a place: an advance there.
        (
            "Ukraine's General Staff said Russia attacked Ukrainian positions 15 times near"
            " Kupiansk.",
            ("Kupiansk", Side.UKRAINE, Side.RUSSIA, ClaimKind.ADVANCE),
        ),
        (
            "Selon l'état-major ukrainien, les forces russes ont attaqué les positions"
            " ukrainiennes à 15 reprises près de Koupiansk.",
            ("Kupiansk", Side.UKRAINE, Side.RUSSIA, ClaimKind.ADVANCE),
        ),
        # Holding on, clinging on: holding.
        (
            "Ukrainian troops are fighting to hold on to the town of Toretsk, Ukraine's General"
            " Staff said.",
            ("Toretsk", Side.UKRAINE, Side.UKRAINE, ClaimKind.CONTROL),
        ),
        (
            "Les troupes ukrainiennes s'accrochent toujours à Tchassiv Iar, selon l'état-major.",
            ("Chasiv Yar", Side.UKRAINE, Side.UKRAINE, ClaimKind.CONTROL),
        ),
        # Control regained over part of a town: part of it.
        (
            "Ukraine said its troops had regained control over part of Vovchansk.",
            ("Vovchansk", Side.UKRAINE, Side.UKRAINE, ClaimKind.PARTIAL_CONTROL),
        ),
        (
            "L'Ukraine affirme avoir repris le contrôle d'une partie de Vovtchansk.",
            ("Vovchansk", Side.UKRAINE, Side.UKRAINE, ClaimKind.PARTIAL_CONTROL),
        ),
    ],
)
def test_positions_attacked_towns_held_on_to_and_part_regained(
    extractor: Extractor, text: str, expected: tuple[str, Side, Side, ClaimKind]
) -> None:
    assert one(read(extractor, text)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A share of a town said to be under a side's control: part of it, that side's.
        (
            "Vladimir Poutine a affirmé jeudi que 70 % de la ville de Pokrovsk était sous"
            " contrôle russe.",
            ("Pokrovsk", Side.RUSSIA, Side.RUSSIA, ClaimKind.PARTIAL_CONTROL),
        ),
        (
            "Syrskyi admitted that 40 percent of the city of Kupiansk is in Russian hands.",
            ("Kupiansk", Side.UKRAINE, Side.RUSSIA, ClaimKind.PARTIAL_CONTROL),
        ),
        # The centre of a town taken: part of it.
        (
            "British military intelligence said Russian forces had likely captured the centre"
            " of Vuhledar.",
            ("Vuhledar", Side.THIRD_PARTY, Side.RUSSIA, ClaimKind.PARTIAL_CONTROL),
        ),
        (
            "Selon le renseignement britannique, les forces russes ont probablement pris le"
            " contrôle du centre de Vouhledar.",
            ("Vuhledar", Side.THIRD_PARTY, Side.RUSSIA, ClaimKind.PARTIAL_CONTROL),
        ),
        # A named part of a town held: part of it.
        (
            "Kyiv says its forces still control the northern part of Kupiansk.",
            ("Kupiansk", Side.UKRAINE, Side.UKRAINE, ClaimKind.PARTIAL_CONTROL),
        ),
        (
            "Kiev affirme que ses forces contrôlent toujours la partie nord de Koupiansk.",
            ("Kupiansk", Side.UKRAINE, Side.UKRAINE, ClaimKind.PARTIAL_CONTROL),
        ),
        # The outskirts of a town held: part of it.
        (
            "Ukraine said Russian forces still hold the outskirts of Kupiansk.",
            ("Kupiansk", Side.UKRAINE, Side.RUSSIA, ClaimKind.PARTIAL_CONTROL),
        ),
        (
            "Selon Kiev, les Russes tiennent toujours la périphérie de Koupiansk.",
            ("Kupiansk", Side.UKRAINE, Side.RUSSIA, ClaimKind.PARTIAL_CONTROL),
        ),
        # Infiltration and approach are advances; districts infiltrated are the town's.
        (
            "Small Russian groups have infiltrated Pokrovsk, Ukraine's 7th Corps said.",
            ("Pokrovsk", Side.UKRAINE, Side.RUSSIA, ClaimKind.ADVANCE),
        ),
        (
            "La situation est difficile à Pokrovsk, où les Russes ont infiltré plusieurs"
            " quartiers, selon Syrsky.",
            ("Pokrovsk", Side.UKRAINE, Side.RUSSIA, ClaimKind.ADVANCE),
        ),
        (
            "Russian troops are approaching Huliaipole, the Ukrainian military said.",
            ("Huliaipole", Side.UKRAINE, Side.RUSSIA, ClaimKind.ADVANCE),
        ),
        (
            "Les troupes russes se rapprochent de Kostiantynivka, selon l'état-major ukrainien.",
            ("Kostiantynivka", Side.UKRAINE, Side.RUSSIA, ClaimKind.ADVANCE),
        ),
        # A town taken whole, named by 'the whole city'.
        (
            "Moscou affirme avoir pris toute la ville de Koupiansk.",
            ("Kupiansk", Side.RUSSIA, Side.RUSSIA, ClaimKind.CONTROL),
        ),
        # The occupied parts of a region are where an official serves, no claim.
        (
            "Denis Pushilin, the Moscow-installed head of the occupied parts of Donetsk, said"
            " Russian troops were fighting in the outskirts of Kostiantynivka.",
            ("Kostiantynivka", Side.RUSSIA, Side.RUSSIA, ClaimKind.ADVANCE),
        ),
    ],
)
def test_shares_parts_infiltration_and_approach(
    extractor: Extractor, text: str, expected: tuple[str, Side, Side, ClaimKind]
) -> None:
    assert one(read(extractor, text)) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Moscow's troops seized the village of Uspenivka, the Russian ministry said. Ukraine"
        " said the attack had been beaten off.",
        "Moscou a revendiqué la prise d'Ouspenivka. Kiev a affirmé que l'assaut avait été"
        " repoussé.",
    ],
)
def test_a_side_that_says_the_attack_was_repelled_repelled_it(
    extractor: Extractor, text: str
) -> None:
    extraction = read(extractor, text)
    assert readings(extraction) == [
        ("Uspenivka", Side.RUSSIA, Side.RUSSIA, ClaimKind.CONTROL),
        ("Uspenivka", Side.UKRAINE, Side.UKRAINE, ClaimKind.REPELLED),
    ]
    assert contested(extraction) == [("c1", Side.UKRAINE)]


def test_the_whole_city_refers_back_to_the_town_named_before(extractor: Extractor) -> None:
    text = (
        "Kyiv says its forces still control the northern part of Kupiansk. Moscow claims to"
        " have taken the whole city."
    )
    assert readings(read(extractor, text))[1] == (
        "Kupiansk",
        Side.RUSSIA,
        Side.RUSSIA,
        ClaimKind.CONTROL,
    )


def test_a_claim_its_denier_restates_is_the_claim_the_article_tells(
    extractor: Extractor,
) -> None:
    # The denial retells Russia's claim; the article then tells it, dated: one claim,
    # contested, and the denier's own words are a claim of holding the town.
    text = (
        "Ukraine on Tuesday rejected Russian claims that its forces had been encircled in"
        " Kupiansk, saying the northeastern city remained under Ukrainian control. Moscow"
        " had said on Monday that up to 5,000 Ukrainian soldiers were trapped in the city."
    )
    extraction = read(extractor, text)
    assert [
        (*r, c.claimed_on.isoformat())
        for r, c in zip(readings(extraction), extraction.claims, strict=True)
    ] == [
        ("Kupiansk", Side.RUSSIA, Side.RUSSIA, ClaimKind.ENCIRCLEMENT, "2025-11-10"),
        ("Kupiansk", Side.UKRAINE, Side.UKRAINE, ClaimKind.CONTROL, "2025-11-11"),
    ]
    assert contested(extraction) == [("c1", Side.UKRAINE)]


@pytest.mark.parametrize(
    "text",
    [
        # The enemy's gain denied in the sentence before the claim...
        "Selon le président ukrainien Volodymyr Zelensky, les troupes russes ne contrôlent pas"
        " Koupiansk. Le chef d'état-major russe Valéri Guérassimov avait affirmé la veille que"
        " la ville était « entièrement libérée ».",
        "Russian forces do not control Kupiansk, the Ukrainian General Staff said. Moscow"
        " claimed on Wednesday that the city had been liberated.",
        # ... or after it.
        "Le chef d'état-major russe Valéri Guérassimov a affirmé jeudi que la ville de"
        " Koupiansk était « entièrement libérée ». Selon le président ukrainien Volodymyr"
        " Zelensky, les troupes russes ne contrôlent pas Koupiansk.",
    ],
)
def test_an_enemy_gain_said_not_to_be_contests_its_claim(extractor: Extractor, text: str) -> None:
    extraction = read(extractor, text)
    assert readings(extraction) == [("Kupiansk", Side.RUSSIA, Side.RUSSIA, ClaimKind.CONTROL)]
    assert contested(extraction) == [("c1", Side.UKRAINE)]


def test_no_encirclement_of_our_units_contests_the_encirclement(extractor: Extractor) -> None:
    text = (
        '"There is no encirclement of our units in Pokrovsk," Syrskyi said. Russia\'s defence'
        " ministry said on Monday that Ukrainian troops were surrounded in Pokrovsk."
    )
    extraction = read(extractor, text)
    assert readings(extraction) == [("Pokrovsk", Side.RUSSIA, Side.RUSSIA, ClaimKind.ENCIRCLEMENT)]
    assert contested(extraction) == [("c1", Side.UKRAINE)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # 'control' with its place right after it.
        (
            "Russian troops now control Siversk, the ISW said.",
            [("Siversk", Side.THIRD_PARTY, Side.RUSSIA, ClaimKind.CONTROL)],
        ),
        # ... but a town a side controls, as an adjective, is no claim.
        (
            "Residents of Russian-controlled Donetsk were without water, the city's"
            " Russian-installed mayor said.",
            [],
        ),
        # The encirclement of forces named after it: the other side encircles.
        (
            "L'armée russe a annoncé l'encerclement des troupes ukrainiennes à Pokrovsk.",
            [("Pokrovsk", Side.RUSSIA, Side.RUSSIA, ClaimKind.ENCIRCLEMENT)],
        ),
    ],
)
def test_control_of_a_place_named_next_and_forces_encircled(
    extractor: Extractor, text: str, expected: list[tuple[str, Side, Side, ClaimKind]]
) -> None:
    assert readings(read(extractor, text)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A town said to be a side's: held by it.
        (
            "« Koupiansk est ukrainienne », a déclaré Zelensky lors d'une visite sur le front.",
            [("Kupiansk", Side.UKRAINE, Side.UKRAINE, ClaimKind.CONTROL)],
        ),
        (
            '"Bakhmut is ours," Prigozhin said.',
            [("Bakhmut", Side.RUSSIA, Side.RUSSIA, ClaimKind.CONTROL)],
        ),
        (
            "Most residents of Kupiansk were Russian speakers, Zelensky said.",
            [],
        ),
        # Unnamed villages named after all, past a comma.
        (
            "Le ministère russe de la Défense a revendiqué la prise de deux localités dans la"
            " région de Donetsk, Petrivka et Pechtchané.",
            [
                ("Petrivka", Side.RUSSIA, Side.RUSSIA, ClaimKind.CONTROL),
                ("Pishchane", Side.RUSSIA, Side.RUSSIA, ClaimKind.CONTROL),
            ],
        ),
        # A withdrawal with no place of its own left the place just claimed about.
        (
            "Les forces ukrainiennes ont reconnu avoir perdu le contrôle de la ville de"
            " Siversk.\n« Afin de préserver la vie de nos soldats, les unités ont été retirées"
            " vers des positions plus avantageuses », a écrit le groupement Est de l'armée"
            " ukrainienne.",
            [
                ("Siversk", Side.UKRAINE, Side.RUSSIA, ClaimKind.CONTROL),
                ("Siversk", Side.UKRAINE, Side.UKRAINE, ClaimKind.WITHDRAWAL),
            ],
        ),
        # What a side demands is no claim.
        (
            "La Russie a déclaré qu'elle est prête pour la paix, mais que l'Ukraine doit se"
            " retirer de Dachne.",
            [],
        ),
        (
            "Putin said Ukraine must withdraw its troops from Kramatorsk and Sloviansk.",
            [],
        ),
    ],
)
def test_towns_said_to_be_a_side_s_lists_past_a_comma_and_demands(
    extractor: Extractor, text: str, expected: list[tuple[str, Side, Side, ClaimKind]]
) -> None:
    assert readings(read(extractor, text)) == expected


def test_a_speaker_going_on_in_the_next_paragraph_speaks_the_same_day(
    extractor: Extractor,
) -> None:
    text = (
        "Russian troops have captured the eastern Ukrainian town of Selydove, Russia's defence"
        " ministry said on Wednesday.\nThe ministry said in a statement that forces of the"
        ' Centre group had "liberated" the town.\nUkraine\'s military earlier said it was'
        " fighting to stop Russian forces from taking the town."
    )
    extraction = read(extractor, text)
    assert readings(extraction) == [("Selydove", Side.RUSSIA, Side.RUSSIA, ClaimKind.CONTROL)]
    assert extraction.claims[0].claimed_on.isoformat() == "2025-11-12"


@pytest.mark.parametrize(
    "text",
    [
        "La ville d'Avdiïvka est tombée aux mains des Russes, a reconnu Kiev.",
        "Avdiivka fell to the Russians, Kyiv admitted.",
    ],
)
def test_a_people_named_for_its_army_is_that_side_s_forces(extractor: Extractor, text: str) -> None:
    assert one(read(extractor, text)) == (
        "Avdiivka",
        Side.UKRAINE,
        Side.RUSSIA,
        ClaimKind.CONTROL,
    )


@pytest.mark.parametrize(
    "text",
    [
        "Moscou a revendiqué la prise de Vilkhouvatka. Kiev affirme au contraire que ses"
        " troupes tiennent toujours le village.",
        "Russia said on Tuesday it had captured Vilkhuvatka. Ukraine's military said its"
        " forces still held the village.",
    ],
)
def test_a_side_still_holding_a_place_contests_its_capture(extractor: Extractor, text: str) -> None:
    extraction = read(extractor, text)
    assert readings(extraction) == [
        ("Vilkhuvatka", Side.RUSSIA, Side.RUSSIA, ClaimKind.CONTROL),
        ("Vilkhuvatka", Side.UKRAINE, Side.UKRAINE, ClaimKind.CONTROL),
    ]
    assert contested(extraction) == [("c1", Side.UKRAINE)]


@pytest.mark.parametrize(
    "text",
    [
        "Ukraine's General Staff said on Monday its troops still held Vilkhuvatka. A day later,"
        " Russia claimed to have taken it.",
        "L'état-major ukrainien a affirmé lundi que ses troupes tenaient toujours Vilkhouvatka."
        " Moscou affirme l'avoir prise mardi.",
    ],
)
def test_a_place_taken_named_by_a_pronoun(extractor: Extractor, text: str) -> None:
    assert readings(read(extractor, text)) == [
        ("Vilkhuvatka", Side.UKRAINE, Side.UKRAINE, ClaimKind.CONTROL),
        ("Vilkhuvatka", Side.RUSSIA, Side.RUSSIA, ClaimKind.CONTROL),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Ukraine's forces have been pushed back near Kostiantynivka, DeepState said.",
            ("Kostiantynivka", Side.THIRD_PARTY, Side.RUSSIA, ClaimKind.REPELLED),
        ),
        (
            "Russia's troops were encircled near Kupiansk, Ukraine said.",
            ("Kupiansk", Side.UKRAINE, Side.UKRAINE, ClaimKind.ENCIRCLEMENT),
        ),
        (
            "« L'ennemi est encerclé à Myrnohrad », a déclaré Valéri Guérassimov.",
            ("Myrnohrad", Side.RUSSIA, Side.RUSSIA, ClaimKind.ENCIRCLEMENT),
        ),
    ],
)
def test_a_side_s_forces_in_a_passive_are_what_the_other_side_acted_on(
    extractor: Extractor, text: str, expected: tuple[str, Side, Side, ClaimKind]
) -> None:
    assert one(read(extractor, text)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Control claimed in a relative clause, the verb an infinitive.
        (
            "Koupiansk, que Moscou affirme contrôler depuis début novembre, reste disputée,"
            " selon Kiev.",
            [("Kupiansk", Side.RUSSIA, Side.RUSSIA, ClaimKind.CONTROL)],
        ),
        # Reaching a place is advancing on it; reaching an agreement is not.
        (
            "D'après l'armée russe, ses soldats ont atteint la rive gauche de l'Oskil près de"
            " Koupiansk.",
            [("Kupiansk", Side.RUSSIA, Side.RUSSIA, ClaimKind.ADVANCE)],
        ),
        (
            "Russian forces reached Pokrovsk's southern districts, the Ukrainian military said.",
            [("Pokrovsk", Side.UKRAINE, Side.RUSSIA, ClaimKind.ADVANCE)],
        ),
        ("Russia and Ukraine reached an agreement in Istanbul, Zelensky said.", []),
    ],
)
def test_control_in_a_relative_clause_and_places_reached(
    extractor: Extractor, text: str, expected: list[tuple[str, Side, Side, ClaimKind]]
) -> None:
    assert readings(read(extractor, text)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # 'occupied' as a verb, active or passive with its agent.
        (
            "DeepState reported that Russian forces had occupied Novoselydivka.",
            [("Novoselydivka", Side.THIRD_PARTY, Side.RUSSIA, ClaimKind.CONTROL)],
        ),
        (
            "The village of Hrodivka was occupied by Russian troops, DeepState said.",
            [("Hrodivka", Side.THIRD_PARTY, Side.RUSSIA, ClaimKind.CONTROL)],
        ),
        ("Life in the occupied territories of Zaporizhzhia is hard, Ukraine said.", []),
        # A unit that speaks for itself is, unless its side is said, Ukraine's.
        (
            "The brigade said it had liberated Klishchiivka.",
            [("Klishchiivka", Side.UKRAINE, Side.UKRAINE, ClaimKind.CONTROL)],
        ),
        (
            "La 128e brigade d'assaut a affirmé avoir chassé les Russes de Piatykhatky.",
            [("Pyatykhatky", Side.UKRAINE, Side.UKRAINE, ClaimKind.CONTROL)],
        ),
        # Positions taken near a place: an advance there, not its capture.
        (
            "The 3rd Assault Brigade said it had recaptured positions near Terny.",
            [("Terny", Side.UKRAINE, Side.UKRAINE, ClaimKind.ADVANCE)],
        ),
        (
            "L'armée ukrainienne a affirmé avoir repris des positions près de Terny.",
            [("Terny", Side.UKRAINE, Side.UKRAINE, ClaimKind.ADVANCE)],
        ),
    ],
)
def test_occupied_units_speaking_and_positions_taken(
    extractor: Extractor, text: str, expected: list[tuple[str, Side, Side, ClaimKind]]
) -> None:
    assert readings(read(extractor, text)) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Moscou a revendiqué la prise de Vilkhouvatka. Kiev a contredit cette annonce.",
        "Moscow claimed the capture of Vilkhuvatka on Tuesday. Kyiv disputed the claim.",
        # Fighting that goes on for the place: part of it still held, against its capture.
        "Moscow claimed the capture of Vilkhuvatka on Tuesday. Ukraine's General Staff said"
        " fighting for the village was continuing.",
    ],
)
def test_contradicted_disputed_and_fighting_going_on_contest_a_capture(
    extractor: Extractor, text: str
) -> None:
    extraction = read(extractor, text)
    assert readings(extraction)[0] == ("Vilkhuvatka", Side.RUSSIA, Side.RUSSIA, ClaimKind.CONTROL)
    assert contested(extraction) == [("c1", Side.UKRAINE)]


@pytest.mark.parametrize(
    "text",
    [
        "L'ennemi a tenté d'attaquer près de Robotyne, en vain, selon l'état-major ukrainien.",
        "The enemy tried in vain to storm Robotyne, the Ukrainian General Staff said.",
    ],
)
def test_attacks_in_vain_were_repelled(extractor: Extractor, text: str) -> None:
    assert one(read(extractor, text)) == (
        "Robotyne",
        Side.UKRAINE,
        Side.UKRAINE,
        ClaimKind.REPELLED,
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Verbs in the imperfect: 'contrôlaient', 'tenaient', 'occupaient'.
        (
            "Selon Moscou, les forces russes contrôlaient 60 % de Koupiansk.",
            ("Kupiansk", Side.RUSSIA, Side.RUSSIA, ClaimKind.PARTIAL_CONTROL),
        ),
        (
            "Selon Kiev, les forces ukrainiennes ne tenaient plus que quelques quartiers de"
            " Pokrovsk.",
            ("Pokrovsk", Side.UKRAINE, Side.UKRAINE, ClaimKind.PARTIAL_CONTROL),
        ),
        (
            "Selon Moscou, les forces russes occupaient la majeure partie de Koupiansk.",
            ("Kupiansk", Side.RUSSIA, Side.RUSSIA, ClaimKind.PARTIAL_CONTROL),
        ),
        # A speaker with a call sign in quotation marks.
        (
            "Le commandant d'un bataillon ukrainien, sous le nom de code « Kupol », a déclaré"
            " que les Russes contrôlaient la moitié de Pokrovsk.",
            ("Pokrovsk", Side.UKRAINE, Side.RUSSIA, ClaimKind.PARTIAL_CONTROL),
        ),
        # A town's mayor, and what a soldier recounts.
        (
            "Kupiansk's mayor said the city was still under Ukrainian control.",
            ("Kupiansk", Side.UKRAINE, Side.UKRAINE, ClaimKind.CONTROL),
        ),
        (
            "Le maire de Koupiansk a déclaré que la ville restait sous contrôle ukrainien.",
            ("Kupiansk", Side.UKRAINE, Side.UKRAINE, ClaimKind.CONTROL),
        ),
        (
            "Un soldat ukrainien interrogé par Le Monde a raconté que son unité avait dû se"
            " replier de Pokrovsk.",
            ("Pokrovsk", Side.UKRAINE, Side.UKRAINE, ClaimKind.WITHDRAWAL),
        ),
    ],
)
def test_imperfect_verbs_call_signs_mayors_and_soldiers(
    extractor: Extractor, text: str, expected: tuple[str, Side, Side, ClaimKind]
) -> None:
    assert one(read(extractor, text)) == expected


@pytest.mark.parametrize(
    ("verb", "kind"),
    [
        ("avancent près de", ClaimKind.ADVANCE),
        ("entraient dans", ClaimKind.ADVANCE),
        ("percent près de", ClaimKind.ADVANCE),
        ("assiégeaient", ClaimKind.ENCIRCLEMENT),
        ("se repliaient de", ClaimKind.WITHDRAWAL),
        ("quittaient", ClaimKind.WITHDRAWAL),
        ("s'emparaient de", ClaimKind.CONTROL),
        ("prenaient le contrôle de", ClaimKind.CONTROL),
    ],
)
def test_french_verbs_in_every_tense(extractor: Extractor, verb: str, kind: ClaimKind) -> None:
    text = f"Selon Kiev, les forces russes {verb} Koupiansk."
    assert one(read(extractor, text, "fr")) == ("Kupiansk", Side.UKRAINE, Side.RUSSIA, kind)


@pytest.mark.parametrize(
    ("verb", "kind"),
    [
        ("seize", ClaimKind.CONTROL),
        ("are holding", ClaimKind.CONTROL),
        ("overran", ClaimKind.CONTROL),
        ("abandoned", ClaimKind.WITHDRAWAL),
        ("encroached on", ClaimKind.ADVANCE),
        ("pressed toward", ClaimKind.ADVANCE),
        ("have a foothold in", ClaimKind.ADVANCE),
        ("are clearing", ClaimKind.ADVANCE),
    ],
)
def test_english_verbs_in_every_form(extractor: Extractor, verb: str, kind: ClaimKind) -> None:
    text = f"Ukraine said Russian forces {verb} Kupiansk."
    assert one(read(extractor, text, "en")) == ("Kupiansk", Side.UKRAINE, Side.RUSSIA, kind)


@pytest.mark.parametrize(
    "text",
    [
        "Zelensky will hold talks in Kyiv, Ukraine said.",
        "The ministry held a briefing in Kharkiv, Ukraine said.",
        "Russia said they abandoned equipment near Kupiansk.",
        "Ukraine said its troops cleared the way to Kupiansk.",
        "Les habitants quittent leurs maisons à Koupiansk, selon Kiev.",
        # Tolls reached, drones and trains, a town's past: what the verbs of the front say
        # of other things.
        "Selon Kiev, le nombre de victimes à Kharkiv a atteint 12 morts.",
        "Selon l'armée ukrainienne, les drones russes entrent dans l'espace aérien près de Soumy.",
        "D'après Kiev, les trains quittent Kharkiv à l'heure.",
        "La ville de Koupiansk était russe au XIXe siècle, selon Moscou.",
        # Hostages held, air defences overrun, tanks abandoned, mines cleared, chances
        # seized: the verbs of the front with other objects or subjects.
        "Russia's ministry said Ukrainian officials hold Kharkiv residents hostage.",
        "Russia said Ukrainian drones overran air defences near Belgorod.",
        "Russia's defence ministry said the Ukrainian army abandoned Western-made tanks near"
        " Robotyne.",
        "Ukraine's military said it had cleared Russian mines from fields near Izium.",
        "Ukraine said the Russians seize every opportunity to attack Kupiansk.",
        # What a side hopes to do, and a train approaching a town.
        "Ukraine said it hopes to control Kherson's energy supply again by winter.",
        "Ukraine said a Russian drone hit a train approaching Kharkiv.",
        # A question asked is no claim.
        "Zelensky, asked whether Bakhmut was still in Ukrainian hands, said he would not comment.",
    ],
)
def test_holding_talks_and_leaving_homes_claim_nothing(extractor: Extractor, text: str) -> None:
    assert read(extractor, text).claims == ()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # One village named after all, past a comma.
        (
            "L'armée russe a revendiqué samedi la prise d'un village dans l'est de l'Ukraine,"
            " Ivanivka, dans la région de Donetsk.",
            [("Ivanivka", Side.RUSSIA, Side.RUSSIA, ClaimKind.CONTROL)],
        ),
        # The loss of a town a side admits: the other side holds it.
        (
            "Ukraine's military acknowledged the loss of Vuhledar on Tuesday.",
            [("Vuhledar", Side.UKRAINE, Side.RUSSIA, ClaimKind.CONTROL)],
        ),
        (
            "L'armée ukrainienne a reconnu la perte de Vouhledar.",
            [("Vuhledar", Side.UKRAINE, Side.RUSSIA, ClaimKind.CONTROL)],
        ),
        # ... not one it has not confirmed.
        ("Kiev n'a pas confirmé la perte de la ville de Kourakhové.", []),
    ],
)
def test_a_village_named_after_all_and_losses_admitted(
    extractor: Extractor, text: str, expected: list[tuple[str, Side, Side, ClaimKind]]
) -> None:
    assert readings(read(extractor, text)) == expected


def test_a_loss_not_confirmed_denies_nothing(extractor: Extractor) -> None:
    text = "Moscow claimed the capture of Kurakhove. Kyiv has not confirmed the loss of the town."
    assert read(extractor, text).contestations == ()


def test_most_of_which_were_repelled_is_the_speaker_s_not_narration(
    extractor: Extractor,
) -> None:
    text = (
        "Selon l'état-major ukrainien, les forces russes ont mené 52 assauts dans le secteur de"
        " Pokrovsk, dont la plupart ont été repoussés."
    )
    assert one(read(extractor, text)) == (
        "Pokrovsk",
        Side.UKRAINE,
        Side.UKRAINE,
        ClaimKind.REPELLED,
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Under the control of forces named after it: theirs.
        (
            "Selon Kiev, Koupiansk est sous le contrôle des forces russes.",
            ("Kupiansk", Side.UKRAINE, Side.RUSSIA, ClaimKind.CONTROL),
        ),
        (
            "« Koupiansk reste sous le contrôle des forces de défense ukrainiennes », a écrit"
            " l'état-major ukrainien sur Telegram.",
            ("Kupiansk", Side.UKRAINE, Side.UKRAINE, ClaimKind.CONTROL),
        ),
        (
            "Ukraine's General Staff said Kupiansk remains under the control of the Ukrainian"
            " Defence Forces.",
            ("Kupiansk", Side.UKRAINE, Side.UKRAINE, ClaimKind.CONTROL),
        ),
        # 'a-t-il écrit': a speaker writing, inverted.
        (
            "L'état-major ukrainien a démenti. « Koupiansk reste sous le contrôle des forces de"
            " défense ukrainiennes », a-t-il écrit sur Telegram.",
            ("Kupiansk", Side.UKRAINE, Side.UKRAINE, ClaimKind.CONTROL),
        ),
    ],
)
def test_under_the_control_of_and_speakers_who_write(
    extractor: Extractor, text: str, expected: tuple[str, Side, Side, ClaimKind]
) -> None:
    assert one(read(extractor, text)) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Russia said it had captured two villages: Dachne and Ivanivka.",
        "Moscou a revendiqué la prise de deux villages : Dachné et Ivanivka.",
    ],
)
def test_a_list_of_places_after_a_colon(extractor: Extractor, text: str) -> None:
    assert [c.place_name for c in read(extractor, text).claims] == ["Dachne", "Ivanivka"]


def test_the_past_week_is_a_window(extractor: Extractor) -> None:
    text = "Russia's defence ministry said its forces had captured Dachne over the past week."
    window = read(extractor, text).claims[0].claimed_window
    assert window is not None
    assert window.start < PUBLISHED


def test_the_town_a_village_is_near_is_no_claim_when_the_village_is_named(
    extractor: Extractor,
) -> None:
    text = "Moscou a affirmé avoir pris le village de Lyptsi, près de Kharkiv."
    assert [c.place_name for c in read(extractor, text).claims] == ["Lyptsi"]


@pytest.mark.parametrize(
    "text",
    [
        "Russia said it had captured Dachne, which lies between Pokrovsk and Kurakhove.",
        "La Russie a affirmé avoir pris Dachné, situé entre Pokrovsk et Kourakhové.",
    ],
)
def test_towns_a_village_lies_between_are_no_claim(extractor: Extractor, text: str) -> None:
    assert [c.place_name for c in read(extractor, text).claims] == ["Dachne"]


@pytest.mark.parametrize(
    "denial",
    [
        'Ukraine called the claim "information noise".',
        '"This is not the case," a Ukrainian military spokesman said.',
        'Ukraine described the claim as "an information operation".',
    ],
)
def test_more_ways_to_deny_a_capture(extractor: Extractor, denial: str) -> None:
    text = f"Russia said on Tuesday it had captured Dachne. {denial}"
    extraction = read(extractor, text)
    assert contested(extraction) == [("c1", Side.UKRAINE)]


@pytest.mark.parametrize(
    "denial",
    [
        "Kiev a parlé d'une « opération d'information ».",
        "L'Ukraine a assuré que cette annonce était « fausse ».",
    ],
)
def test_more_ways_to_deny_a_capture_in_french(extractor: Extractor, denial: str) -> None:
    text = f"Moscou a affirmé mardi avoir pris Dachné. {denial}"
    extraction = read(extractor, text)
    assert contested(extraction) == [("c1", Side.UKRAINE)]


@pytest.mark.parametrize(
    "text",
    [
        # The capture denied, named as a noun.
        "L'Ukraine a démenti la prise de Dachné par les forces russes.",
        "Ukraine's military denied the capture of Dachne by Russian forces.",
        # Control the denier denies having lost.
        "Kiev a nié avoir perdu le contrôle de Dachné.",
    ],
)
def test_a_denied_capture_is_the_enemy_s_claim_contested(extractor: Extractor, text: str) -> None:
    extraction = read(extractor, text)
    assert readings(extraction) == [("Dachne", Side.RUSSIA, Side.RUSSIA, ClaimKind.CONTROL)]
    assert contested(extraction) == [("c1", Side.UKRAINE)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # An order to withdraw announces the withdrawal.
        (
            "Russia's defence minister Sergei Shoigu ordered troops to withdraw from the right"
            " bank of the Dnipro, including the city of Kherson.",
            [("Kherson", Side.RUSSIA, Side.RUSSIA, ClaimKind.WITHDRAWAL)],
        ),
        (
            "Choïgou a ordonné aux troupes de se retirer de Kherson, a annoncé Moscou.",
            [("Kherson", Side.RUSSIA, Side.RUSSIA, ClaimKind.WITHDRAWAL)],
        ),
        # ... an order to take a town claims nothing.
        ("Putin ordered the army to take Pokrovsk by the end of the year, the Kremlin said.", []),
        # A town a river's bank lies near is no claim's place.
        (
            "The Ukrainian military said its troops had retaken control of the eastern bank of"
            " the Oskil river near Kupiansk.",
            [],
        ),
    ],
)
def test_orders_to_withdraw_and_river_banks_near_towns(
    extractor: Extractor, text: str, expected: list[tuple[str, Side, Side, ClaimKind]]
) -> None:
    assert readings(read(extractor, text)) == expected


def test_forces_holding_the_town_named_before(extractor: Extractor) -> None:
    text = (
        "Russia said its forces had entered Kurakhove. Ukrainian troops were still holding"
        " the town, Kyiv said."
    )
    assert readings(read(extractor, text))[1] == (
        "Kurakhove",
        Side.UKRAINE,
        Side.UKRAINE,
        ClaimKind.CONTROL,
    )


@pytest.mark.parametrize(
    "text",
    [
        "Dachne is now fully controlled by Russian forces, the ISW said.",
        "Dachné est désormais entièrement contrôlée par l'armée russe, selon l'ISW.",
        "Dachne came under Russian control on Monday, according to the ISW.",
    ],
)
def test_controlled_by_a_side_and_coming_under_its_control(extractor: Extractor, text: str) -> None:
    assert one(read(extractor, text)) == (
        "Dachne",
        Side.THIRD_PARTY,
        Side.RUSSIA,
        ClaimKind.CONTROL,
    )


@pytest.mark.parametrize(
    "text",
    [
        "Ukrainian troops left Avdiivka to avoid encirclement, Syrskyi said.",
        "Ukrainian units moved to new positions outside Avdiivka, Syrskyi said.",
        "Les unités ukrainiennes ont été redéployées hors d'Avdiïvka, selon Syrsky.",
    ],
)
def test_troops_that_left_or_moved_out_withdrew(extractor: Extractor, text: str) -> None:
    assert one(read(extractor, text)) == (
        "Avdiivka",
        Side.UKRAINE,
        Side.UKRAINE,
        ClaimKind.WITHDRAWAL,
    )


@pytest.mark.parametrize(
    "text",
    [
        "Ukrainian troops left behind equipment near Avdiivka, Russia said.",
        "Ukrainian soldiers left for Kharkiv, the army said.",
    ],
)
def test_troops_leaving_things_or_for_a_place_withdrew_from_nothing(
    extractor: Extractor, text: str
) -> None:
    assert read(extractor, text).claims == ()


@pytest.mark.parametrize(
    ("text", "place"),
    [
        (
            "Russian forces have intensified attacks on Pokrovsk, Ukraine's military said.",
            "Pokrovsk",
        ),
        (
            "Les forces russes ont intensifié leurs attaques sur Pokrovsk, selon l'armée"
            " ukrainienne.",
            "Pokrovsk",
        ),
        (
            "L'armée russe a lancé une nouvelle offensive en direction de Zaporijjia, selon Kiev.",
            "Zaporizhzhia",
        ),
    ],
)
def test_attacks_stepped_up_and_new_offensives_are_advances(
    extractor: Extractor, text: str, place: str
) -> None:
    assert one(read(extractor, text)) == (place, Side.UKRAINE, Side.RUSSIA, ClaimKind.ADVANCE)


@pytest.mark.parametrize(
    "text",
    [
        # A participle of saying after a denial gives the denier's own claim, not the
        # claim denied.
        "Le ministère russe a affirmé mardi avoir pris Koupiansk. Kiev a contredit cette"
        " annonce, assurant que ses troupes tenaient toujours la ville.",
        "Russia said on Tuesday it had captured Kupiansk. Kyiv disputed the claim, stressing"
        " that its troops still held the city.",
    ],
)
def test_a_denier_insisting_it_holds_the_town(extractor: Extractor, text: str) -> None:
    extraction = read(extractor, text)
    assert readings(extraction) == [
        ("Kupiansk", Side.RUSSIA, Side.RUSSIA, ClaimKind.CONTROL),
        ("Kupiansk", Side.UKRAINE, Side.UKRAINE, ClaimKind.CONTROL),
    ]
    assert contested(extraction) == [("c1", Side.UKRAINE)]


def test_a_reflexive_withdrawal_is_no_passive(extractor: Extractor) -> None:
    text = "Kiev a démenti que ses troupes se soient retirées de Koupiansk."
    assert one(read(extractor, text)) == (
        "Kupiansk",
        Side.RUSSIA,
        Side.UKRAINE,
        ClaimKind.WITHDRAWAL,
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Wagner affirme contrôler Bakhmout « à 70 % ».",
            ("Bakhmut", Side.RUSSIA, Side.RUSSIA, ClaimKind.PARTIAL_CONTROL, 0.7),
        ),
        (
            "Selon Kiev, la ville de Pokrovsk est contrôlée à 80 % par les forces russes.",
            ("Pokrovsk", Side.UKRAINE, Side.RUSSIA, ClaimKind.PARTIAL_CONTROL, 0.8),
        ),
    ],
)
def test_a_town_held_to_a_share(
    extractor: Extractor, text: str, expected: tuple[str, Side, Side, ClaimKind, float]
) -> None:
    extraction = read(extractor, text, "fr")
    assert [
        (*r, c.extent) for r, c in zip(readings(extraction), extraction.claims, strict=True)
    ] == [expected]


def test_the_town_is_not_the_place_called_a_village(extractor: Extractor) -> None:
    text = (
        "Russian forces captured Dachne, a village near Kurakhove, the ministry said."
        " Ukrainian troops were still holding the town, Kyiv said."
    )
    assert readings(read(extractor, text))[1] == (
        "Kurakhove",
        Side.UKRAINE,
        Side.UKRAINE,
        ClaimKind.CONTROL,
    )


def test_a_denial_reaches_the_claim_told_two_sentences_later(extractor: Extractor) -> None:
    text = (
        'Kyiv denied it. "It is a lie," a Ukrainian spokesman said. Moscow had claimed on'
        " Monday that its forces took Dachne."
    )
    extraction = read(extractor, text)
    assert readings(extraction) == [("Dachne", Side.RUSSIA, Side.RUSSIA, ClaimKind.CONTROL)]
    assert contested(extraction) == [("c1", Side.UKRAINE)]


def test_a_denial_naming_a_place_waits_for_a_claim_about_it(extractor: Extractor) -> None:
    text = (
        "Ukraine's army said it still held Dachne and denied it was lost, calling it a lie."
        " Moscow said its forces had taken Ivanivka."
    )
    assert contested(read(extractor, text)) == []


def test_it_may_be_a_place_called_a_village(extractor: Extractor) -> None:
    text = (
        "Russia said it had taken the village of Dachne near Kurakhove. Ukraine said it had"
        " retaken it."
    )
    assert [c.place_name for c in read(extractor, text).claims] == ["Dachne", "Dachne"]


@pytest.mark.parametrize(
    "text",
    [
        "Russian forces have been trying for months to encircle Pokrovsk, the ministry said.",
        "Russian troops have been trying since August to capture Pokrovsk, Kyiv said.",
        "Les troupes russes tentent depuis des mois de prendre Pokrovsk, selon Kiev.",
        "L'armée russe, dont les troupes cherchent depuis des mois à encercler Pokrovsk, a"
        " revendiqué la prise de Rodynské.",
    ],
)
def test_an_attempt_however_long_claims_nothing_of_its_aim(extractor: Extractor, text: str) -> None:
    assert [c for c in read(extractor, text).claims if c.place_name == "Pokrovsk"] == []


@pytest.mark.parametrize(
    "text",
    [
        "Ukrainian defenders repelled 11 attacks near Zarichne, Torske and in the Serebrianka"
        " forest, the general staff said.",
        "Les défenseurs ukrainiens ont repoussé 11 attaques près de Zarichne, Torske et dans la"
        " forêt de Serebrianka, selon l'état-major.",
    ],
)
def test_a_forest_named_after_a_village_is_no_place(extractor: Extractor, text: str) -> None:
    assert [c.place_name for c in read(extractor, text).claims] == ["Zarichne", "Torske"]


def test_attacks_repelled_in_a_clause_of_their_own_were_the_enemy_s(
    extractor: Extractor,
) -> None:
    text = (
        "In the Pokrovsk direction, the occupiers attempted 42 times to dislodge our units from"
        " their positions near Rodynske; 30 attacks were repelled, the general staff said."
    )
    assert readings(read(extractor, text)) == [
        ("Rodynske", Side.UKRAINE, Side.UKRAINE, ClaimKind.REPELLED)
    ]


@pytest.mark.parametrize(
    ("text", "places"),
    [
        # Attacks held back ('retenir', 'contenir'), and more attacks a list adds after
        # 'tout comme' or 'as well as': each place is repelled.
        (
            "Selon l'état-major ukrainien, l'armée les retenait, tout comme les attaques"
            " russes au nord de Bakhmut et près de la ville de Lyman.",
            ["Bakhmut", "Lyman"],
        ),
        (
            "Selon l'état-major ukrainien, les forces ukrainiennes contiennent l'avancée russe"
            " près de Pokrovsk.",
            ["Pokrovsk"],
        ),
        (
            "Ukraine's General Staff said its forces repelled Russian attacks near Bakhmut as"
            " well as assaults near the town of Lyman.",
            ["Bakhmut", "Lyman"],
        ),
    ],
)
def test_attacks_held_back_and_listed_are_repelled(
    extractor: Extractor, text: str, places: list[str]
) -> None:
    found = read(extractor, text).claims
    assert [(c.place_name, c.claimant_side, c.actor_side, c.kind) for c in found] == [
        (place, Side.UKRAINE, Side.UKRAINE, ClaimKind.REPELLED) for place in places
    ]


def test_a_lesson_retained_is_no_attack_held_back(extractor: Extractor) -> None:
    text = "L'armée ukrainienne a retenu la leçon de Bakhmout, selon Kiev."
    assert read(extractor, text).claims == ()


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        (
            "« Nos unités se sont retirées de Velyka Novosilka », a indiqué le groupement de"
            " forces Khortytsia, en précisant que les combats se poursuivaient aux abords nord"
            " du bourg.",
            [ClaimKind.WITHDRAWAL],
        ),
        (
            "Le ministère russe a affirmé dimanche que ses forces avaient « libéré » Velyka"
            " Novosilka au terme de plusieurs semaines d'assauts sur ses flancs.",
            [ClaimKind.CONTROL],
        ),
    ],
)
def test_fighting_said_to_go_on_and_the_assaults_a_capture_ended_claim_nothing(
    extractor: Extractor, text: str, kinds: list[ClaimKind]
) -> None:
    assert [c.kind for c in read(extractor, text).claims] == kinds

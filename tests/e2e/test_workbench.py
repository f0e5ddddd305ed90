"""The workbench's pages as served: the map page, its scripts and the vendored libraries,
all from the service itself (nothing from another host)."""

from __future__ import annotations

import re

from litestar.testing import TestClient

from service.app.services import Services
from service.bootstrap import served_app
from service.http.workbench import STATIC
from tests.helpers import keyed_access

Client = TestClient  # type: ignore[type-arg]
OSM = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"


def test_the_map_page_names_its_tile_source_and_loads_only_local_files(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    page = response.text
    assert 'data-tiles=""' in page  # the tests' app is given no tile source
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert sources and all(s.startswith("/") and not s.startswith("//") for s in sources)
    for source in sources:
        assert client.get(source).status_code == 200, source


def test_the_review_page_loads_only_local_files(client: Client) -> None:
    response = client.get("/review")
    assert response.status_code == 200
    sources = re.findall(r'(?:src|href)="([^"]+)"', response.text)
    assert "/static/workbench/review.js" in sources
    assert all(s.startswith("/") and not s.startswith("//") for s in sources)
    for source in sources:
        assert client.get(source).status_code == 200, source


def test_the_tile_source_is_a_setting_and_is_escaped(clean_database: str) -> None:
    hostile = OSM + '"><script>alert(1)</script>'
    app = served_app(
        lambda: Services.build(clean_database), access=keyed_access(), map_tiles=hostile
    )
    with TestClient(app) as client:
        page = client.get("/").text
    assert "<script>alert(1)</script>" not in page
    assert "tile.openstreetmap.org" in page


def test_every_vendored_library_comes_with_its_licence() -> None:
    vendor = STATIC / "vendor"
    folders = [f for f in vendor.iterdir() if f.is_dir()]
    assert {f.name for f in folders} >= {"leaflet-1.9.4", "topojson-client-3.1.0"}
    for folder in folders:
        assert (folder / "LICENSE").is_file(), folder


def test_a_static_path_outside_the_folder_is_not_served(client: Client) -> None:
    for path in ("/static/../bootstrap.py", "/static/%2e%2e/workbench.py", "/static/nothing.js"):
        assert client.get(path).status_code == 404, path

"""Article bodies go only to callers with a key unless the service is told to serve them
openly: `GET /articles/{id}` and the feed withhold them (`null`) from anonymous readers."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from litestar.testing import TestClient

from infra.readmodels.projector import Projector
from service.app.services import Services
from service.bootstrap import served_app
from service.settings import Settings, SettingsError
from tests.helpers import READER_KEY, article, keyed_access, writer_headers

Client = TestClient  # type: ignore[type-arg]
ANONYMOUS = {"authorization": ""}


def _posted(client: Client, project: Callable[[], int]) -> str:
    response = client.post("/articles", json=article())
    assert response.status_code == 201
    project()
    return str(response.json()["article_id"])


def _anonymous_get(client: Client, path: str) -> dict[str, object]:
    key = client.headers.pop("authorization")
    try:
        response = client.get(path)
    finally:
        client.headers["authorization"] = key
    assert response.status_code == 200, response.text
    found: dict[str, object] = response.json()
    return found


def test_bodies_go_only_to_callers_with_a_key(client: Client, project: Callable[[], int]) -> None:
    article_id = _posted(client, project)
    anonymous = _anonymous_get(client, f"/articles/{article_id}")
    assert anonymous["body"] is None and anonymous["body_sha256"]
    reader = client.get(
        f"/articles/{article_id}", headers={"authorization": f"Bearer {READER_KEY}"}
    )
    assert reader.json()["body"].startswith("The defence ministry")

    feed = _anonymous_get(client, "/events?type=ArticleIngested")
    payload = feed["events"][0]["payload"]  # type: ignore[index]
    assert payload["body"] is None and payload["title"] == "Moscow claims Kupiansk"
    keyed = client.get("/events", params={"type": "ArticleIngested"}).json()
    assert keyed["events"][0]["payload"]["body"].startswith("The defence ministry")


def test_bodies_may_be_served_openly(clean_database: str) -> None:
    app = served_app(
        lambda: Services.build(clean_database), access=keyed_access(), keyed_bodies=False
    )
    with TestClient(app) as open_client:  # type: ignore[arg-type]
        response = open_client.post("/articles", json=article(), headers=writer_headers())
        article_id = response.json()["article_id"]
        Projector(clean_database).catch_up()
        assert open_client.get(f"/articles/{article_id}").json()["body"]


def test_the_setting_takes_keyed_or_open() -> None:
    assert Settings.from_env({}).keyed_bodies
    assert not Settings.from_env({"CLAIMLEDGER_BODIES": "open"}).keyed_bodies
    with pytest.raises(SettingsError, match="CLAIMLEDGER_BODIES"):
        Settings.from_env({"CLAIMLEDGER_BODIES": "sometimes"})

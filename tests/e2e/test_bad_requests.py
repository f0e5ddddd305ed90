"""Every bad request of the corpus is refused with a 4xx problem document that names the field
at fault and shows nothing of the internals; none of them writes anything."""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import unquote

import httpx
import psycopg
import pytest

from infra.postgres.database import psycopg_conninfo
from service.app.services import Services
from service.bootstrap import served_app
from tests.conftest import READ_MODELS
from tests.e2e.bad_injections import injections
from tests.e2e.bad_reads import reads
from tests.e2e.bad_requests import Bad
from tests.e2e.bad_writes import writes
from tests.e2e.live import serving
from tests.helpers import article, keyed_access, writer_headers

CASES = [*writes(), *reads(), *injections()]
LEAKS = re.compile(
    r"Traceback|File \"|psycopg|sqlalchemy|SELECT|INSERT|UPDATE |DELETE |stored_events"
    r"|msgspec|litestar|NoneType|\b\w+(Error|Exception)\b|<class"
)


@pytest.fixture
def base_url(clean_database: str) -> Iterator[str]:
    app = served_app(lambda: Services.build(clean_database), access=keyed_access())
    with serving(app) as url:
        yield url


def test_the_corpus_holds_at_least_200_distinct_bad_requests() -> None:
    requests = {(c.method, c.path, c.body, c.params, c.headers, c.keyed) for c in CASES}
    assert len(CASES) >= 200
    assert len(requests) == len(CASES)
    assert len({c.label for c in CASES}) == len(CASES)


def test_every_bad_request_is_refused_cleanly_and_writes_nothing(
    base_url: str, event_count: Callable[[], int], project: Callable[[], int], clean_database: str
) -> None:
    with httpx.Client(base_url=base_url, timeout=30) as http:
        stored = http.post("/articles", json=article(), headers=writer_headers()).json()
        project()
        ids = {"{article}": stored["article_id"], "{claim}": stored["claims"][0]["id"]}
        events, models = event_count(), read_models(clean_database)
        failures = [
            f"{case.label}: {problem}" for case in CASES if (problem := check(http, case, ids))
        ]
    project()
    assert not failures, f"{len(failures)} of {len(CASES)} cases failed:\n" + "\n".join(failures)
    assert event_count() == events
    assert read_models(clean_database) == models


def check(http: httpx.Client, case: Bad, ids: dict[str, str]) -> str | None:
    """What is wrong with the answer to a bad request, if anything."""
    status, headers, text = send(http, case, ids)
    if not 400 <= status < 500:
        return f"status {status}: {text[:300]}"
    if case.status is not None and status != case.status:
        return f"status {status}, expected {case.status}: {text[:300]}"
    if not headers.get("content-type", "").startswith("application/problem+json"):
        return f"content type {headers.get('content-type')!r}"
    try:
        document = json.loads(text)
    except ValueError:
        return f"not JSON: {text[:300]}"
    if document.get("status") != status or not document.get("title"):
        return f"not a problem document: {text[:300]}"
    if leak := LEAKS.search(scrubbed(text, case, ids)):
        return f"leaks {leak.group(0)!r}: {text[:300]}"
    fields = [str(e.get("field")) for e in document.get("errors", [])]
    if case.field is not None and not any(names(field, case.field) for field in fields):
        return f"names {fields}, not {case.field!r}: {text[:300]}"
    return None


def names(field: str, wanted: str) -> bool:
    """Whether an error's field is the wanted one or a part of it (`claims[0]` of `claims`)."""
    return field == wanted or field.startswith((f"{wanted}[", f"{wanted}."))


def send(http: httpx.Client, case: Bad, ids: dict[str, str]) -> tuple[int, httpx.Headers, str]:
    path, body = case.path, case.body
    for placeholder, value in ids.items():
        path = path.replace(placeholder, value)
        body = body.replace(placeholder.encode(), value.encode()) if body is not None else None
    headers = dict(case.headers)
    if case.keyed:
        headers.update(writer_headers())
    request = http.build_request(
        case.method, path, content=body, params=list(case.params), headers=headers
    )
    response = http.send(request, stream=True)
    try:
        content = b""
        for chunk in response.iter_bytes():
            content += chunk
            if len(content) > 65_536 or response.status_code < 400:
                break
    finally:
        response.close()
    return response.status_code, response.headers, content.decode(errors="replace")


def scrubbed(text: str, case: Bad, ids: dict[str, str]) -> str:
    """The answer without the request's own words, which it may echo (an unknown field's
    name, the path): what is left is the server's."""
    path = unquote(case.path)
    words = {case.path, path, *path.split("/"), *ids.values()}
    for name, value in case.params:
        words |= {name, value}
    if case.body:
        with contextlib.suppress(ValueError, RecursionError):
            words |= set(_strings(json.loads(case.body)))
    for word in sorted((w for w in words if len(w) > 2), key=len, reverse=True):
        text = text.replace(json.dumps(word)[1:-1], "").replace(word, "")
    return text


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def read_models(database_url: str) -> dict[str, str]:
    """A digest of every read model's rows."""
    with psycopg.connect(psycopg_conninfo(database_url)) as conn:
        return {
            table: str(
                conn.execute(
                    f"SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), ''))"
                    f" FROM {table} t"
                ).fetchone()
            )
            for table in READ_MODELS
        }


def test_a_url_whose_port_is_no_number_is_refused_naming_it(client: Any) -> None:
    from tests.helpers import article

    for url in ("http://example.test:\u023e\u00e1/news", "https://example.test:80a/x"):
        response = client.post("/articles", json=article(url=url))
        assert response.status_code == 422, response.text
        assert response.json()["errors"][0]["field"] == "url"
        batch = client.post("/articles/batch", json={"articles": [article(), article(url=url)]})
        assert batch.status_code == 422
        assert batch.json()["errors"][0]["field"] == "articles[1].url"


def test_every_problem_names_its_kind_and_the_kind_says_what_it_means(client: Any) -> None:
    from tests.helpers import article

    refusals = {
        "invalid-input": client.get("/places/geonames:703656/claims", params={"limit": 0}),
        "not-found": client.get("/places/Atlantis/claims"),
        "method-not-allowed": client.delete("/places/Atlantis"),
        "unsupported-media-type": client.post(
            "/articles", content=b"{}", headers={"content-type": "text/plain"}
        ),
        "malformed": client.post(
            "/articles", content=b"{not json", headers={"content-type": "application/json"}
        ),
        "unauthorized": client.post(
            "/articles", json=article(), headers={"authorization": "Bearer nobody-s-key"}
        ),
    }
    for kind, response in refusals.items():
        problem = response.json()
        assert problem["type"] == f"/problems/{kind}", (kind, problem)
        page = client.get(problem["type"])
        assert page.status_code == 200
        assert page.json()["status"] == response.status_code == problem["status"]
    assert client.get("/problems/nonsense").status_code == 404

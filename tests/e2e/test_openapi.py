from pathlib import Path
from typing import Any

from service.app.services import Services
from service.http.app import create_app, openapi_json

COMMITTED = Path(__file__).parents[2] / "openapi" / "openapi.json"


def test_committed_openapi_document_matches_the_app() -> None:
    app = create_app(lambda: Services.build("postgresql:///unused"))
    assert openapi_json(app) == COMMITTED.read_bytes(), (
        "openapi/openapi.json is stale: run `claimledger openapi` and commit it"
    )


def test_every_operation_has_an_id_and_documents_its_problems() -> None:
    import json

    document = json.loads(COMMITTED.read_text())
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            assert operation.get("operationId"), (method, path)
            if path not in ("/health", "/ready", "/metrics"):
                assert "422" in operation["responses"], (method, path)


def test_every_operation_parameter_and_property_is_described() -> None:
    import json

    document = json.loads(COMMITTED.read_text())
    operations = [
        (method, path, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
    ]
    parameters = [(path, p["name"]) for _, path, o in operations for p in o.get("parameters", [])]
    properties = [
        (name, prop, held)
        for name, schema in document["components"]["schemas"].items()
        for prop, held in schema.get("properties", {}).items()
    ]
    assert len(operations) >= 20 and len(properties) >= 200
    assert [(m, p) for m, p, o in operations if not o.get("description")] == []
    undescribed = [
        (path, p["name"])
        for _, path, o in operations
        for p in o.get("parameters", [])
        if not p.get("description")
    ]
    assert undescribed == [] and parameters
    assert [(n, p) for n, p, held in properties if not held.get("description")] == []


def test_the_document_says_its_version_and_how_versions_change() -> None:
    import json
    from importlib import metadata

    info = json.loads(COMMITTED.read_text())["info"]
    assert info["version"] == metadata.version("claimledger")
    assert "Deprecation" in info["description"] and "Sunset" in info["description"]
    assert "code points" in info["description"]


def test_the_docs_page_loads_only_local_files(client: Any) -> None:
    import re

    page = client.get("/schema/swagger")
    assert page.status_code == 200
    sources = re.findall(r'(?:src|href)=["\']([^"\']+)["\']', page.text)
    assert sources and all(s.startswith("/") and not s.startswith("//") for s in sources)
    for source in sources:
        assert client.get(source).status_code == 200, source


def test_the_examples_are_what_the_service_takes_and_gives() -> None:
    import msgspec

    from service.app import schemas
    from service.http.contract import EXAMPLES
    from service.http.problems import Problem

    for name, example in EXAMPLES.items():
        kind = Problem if name == "Problem" else getattr(schemas, name)
        msgspec.convert(example, kind)  # raises on any field the service would refuse

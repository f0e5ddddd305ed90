from pathlib import Path

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
            if path not in ("/health", "/ready"):
                assert "422" in operation["responses"], (method, path)

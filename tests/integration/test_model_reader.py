"""The model reader against a local stand-in for an OpenAI-compatible server, answering with
recorded responses: what it keeps, what it drops (and counts), what it asks again; then
ingest with CLAIMLEDGER_READER=model, and a re-reading by the rules that supersedes it."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from litestar.testing import TestClient

from infra.reading.model import ModelEndpoint, ModelReader, ModelUnavailable
from infra.readmodels.projector import Projector
from infra.reference.gazetteer import default_gazetteer
from service.app.reextraction import reextract
from service.app.services import Services
from service.bootstrap import served_app
from tests.helpers import BODY, article, keyed_access, writer_headers

GOOD = {
    "claims": [
        {  # kept
            "place": "Kupiansk",
            "claimant": "the defence ministry in Moscow",
            "claimant_side": "russia",
            "actor_side": "russia",
            "kind": "control",
            "claimed_on": "2025-11-18",
            "quote": "its troops had taken full control of Kupiansk",
        },
        {  # a quote the article does not hold
            "place": "Kupiansk",
            "claimant": "Kyiv",
            "claimant_side": "ukraine",
            "actor_side": "ukraine",
            "kind": "control",
            "claimed_on": "2025-11-18",
            "quote": "Ukrainian forces firmly control every street",
        },
        {  # a place nobody knows
            "place": "Atlantis",
            "claimant": "Kyiv",
            "claimant_side": "ukraine",
            "actor_side": "ukraine",
            "kind": "control",
            "claimed_on": "2025-11-18",
            "quote": "Ukrainian units still hold the town",
        },
        {  # a kind the ledger does not know
            "place": "Izium",
            "claimant": "the ministry",
            "claimant_side": "russia",
            "actor_side": "russia",
            "kind": "liberated",
            "claimed_on": "2025-11-18",
            "quote": "Fighting continues near Izium",
        },
    ],
    "contestations": [
        {  # of the kept claim
            "contests": 0,
            "by": "Kyiv's general staff",
            "by_side": "ukraine",
            "contested_on": "2025-11-18",
            "quote": "rejected the report as fake",
        },
        {  # of a dropped one
            "contests": 1,
            "by": "Moscow",
            "by_side": "russia",
            "contested_on": "2025-11-18",
            "quote": "Fighting continues",
        },
    ],
}


def _completion(content: str) -> dict[str, Any]:
    return {
        "choices": [{"message": {"role": "assistant", "content": content}}],
        "usage": {"prompt_tokens": 900, "completion_tokens": 120},
    }


class Recorded:
    """A stand-in model server: answers each request with the next recorded reply: a
    status with a body, or `"slow"` (answering later than the client waits)."""

    def __init__(self) -> None:
        self.replies: list[Any] = []
        self.requests: list[dict[str, Any]] = []
        recorded = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers["content-length"])
                recorded.requests.append(json.loads(self.rfile.read(length)))
                reply = recorded.replies.pop(0) if recorded.replies else (200, GOOD)
                if reply == "slow":
                    time.sleep(1.5)
                    reply = (200, GOOD)
                status, body = reply
                text = json.dumps(_completion(json.dumps(body)) if status == 200 else {})
                if status == 200 and isinstance(body, str):  # content that is not JSON
                    text = json.dumps(_completion(body))
                self.send_response(status)
                if status == 429:
                    self.send_header("retry-after", "0")
                self.send_header("content-type", "application/json")
                self.end_headers()
                self.wfile.write(text.encode())

            def log_message(self, *args: Any) -> None:
                return None

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def __enter__(self) -> Recorded:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *_: object) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def model() -> Iterator[Recorded]:
    with Recorded() as recorded:
        yield recorded


def _reader(model: Recorded, **options: Any) -> ModelReader:
    endpoint = ModelEndpoint(model.url, "recorded", timeout=1.0, retries=2, **options)
    return ModelReader(endpoint, default_gazetteer())


def test_what_it_keeps_and_what_it_drops(model: Recorded) -> None:
    reader = _reader(model)
    found = reader.extract(BODY, date(2025, 11, 19), "en")
    assert [(c.place_name, c.kind.value, c.claimed_on) for c in found.claims] == [
        ("Kupiansk", "control", date(2025, 11, 18))
    ]
    claim = found.claims[0]
    assert BODY[claim.start : claim.end] == claim.quote
    assert [(k.contests, k.by) for k in found.contestations] == [("c1", "Kyiv's general staff")]
    assert reader.dropped == {
        "quote not in the article": 1,
        "place not known": 1,
        "side or kind not known": 1,
        "contestation of no kept claim": 1,
    }
    assert found.recorded_by == reader.name and reader.name.startswith("model:recorded@")
    asked = model.requests[0]
    assert asked["model"] == "recorded" and asked["response_format"]["type"] == "json_schema"
    assert reader.usage["prompt_tokens"] == 900


def test_malformed_answers_yield_nothing_and_are_counted(model: Recorded) -> None:
    reader = _reader(model)
    model.replies = [(200, "this is not JSON {"), (200, {"claims": "none"})]
    for _ in range(2):
        assert reader.extract(BODY, date(2025, 11, 19), "en").claims == ()
    assert reader.dropped["malformed"] == 2


def test_a_429_and_a_timeout_are_asked_again_and_then_given_up(model: Recorded) -> None:
    reader = _reader(model)
    model.replies = [(429, {}), "slow", (200, GOOD)]
    assert len(reader.extract(BODY, date(2025, 11, 19), "en").claims) == 1
    assert len(model.requests) == 3
    model.replies = [(503, {})] * 3
    with pytest.raises(ModelUnavailable):
        reader.extract(BODY, date(2025, 11, 19), "en")
    model.replies = [(400, {})]
    with pytest.raises(ModelUnavailable, match="400"):
        reader.extract(BODY, date(2025, 11, 19), "en")


def test_ingest_with_the_model_then_the_rules_supersede_it(
    model: Recorded, clean_database: str
) -> None:
    # The model reads an advance where the rules read control: two propositions.
    advance = {"claims": [{**GOOD["claims"][0], "kind": "advance"}], "contestations": []}
    model.replies = [(200, advance)]
    endpoint = ModelEndpoint(model.url, "recorded", timeout=5.0)
    app = served_app(lambda: Services.build(clean_database, model=endpoint), access=keyed_access())
    unread = article()
    del unread["claims"], unread["contestations"]
    with TestClient(app) as client:  # type: ignore[arg-type]
        posted = client.post("/articles", json=unread, headers=writer_headers())
        assert posted.status_code == 201, posted.text
        Projector(clean_database).catch_up()
        claim_id = posted.json()["claims"][0]["id"]
        evidence = client.get(f"/claims/{claim_id}").json()["evidence"]
        assert evidence[0]["recorded_by"].startswith("model:recorded@")

    rules = Services.build(clean_database)
    try:
        totals = reextract(rules)
    finally:
        rules.close()
    Projector(clean_database).catch_up()
    assert totals.articles == 1 and totals.skipped == 0
    with TestClient(app) as client:  # type: ignore[arg-type]
        now = client.get(f"/claims/{claim_id}").json()
        read_by_rules = client.get(
            "/places/geonames:703656/claims", params={"as_of": "2025-11-30"}
        ).json()["claims"]
    # The model's claim lost its only evidence, with one event; the rules' claims stand.
    assert now["status"] == "retracted" and now["evidence"] == []
    assert now["retractions"][0]["reason"].startswith("superseded by extractor claimledger-rules/")
    assert totals.retracted == 1
    assert read_by_rules and all(
        e["recorded_by"].startswith("claimledger-rules/")
        for c in read_by_rules
        for e in c["evidence"]
    )


def test_the_rules_are_the_default_and_the_model_needs_its_endpoint() -> None:
    from service.settings import Settings, SettingsError

    assert Settings.from_env({}).model is None
    with pytest.raises(SettingsError, match="CLAIMLEDGER_MODEL_URL"):
        Settings.from_env({"CLAIMLEDGER_READER": "model"})
    given = Settings.from_env(
        {
            "CLAIMLEDGER_READER": "model",
            "CLAIMLEDGER_MODEL_URL": "http://127.0.0.1:8080/v1",
            "CLAIMLEDGER_MODEL": "qwen2.5-7b-instruct",
            "CLAIMLEDGER_MODEL_CONCURRENCY": "2",
        }
    ).model
    assert given is not None and (given.model, given.concurrency) == ("qwen2.5-7b-instruct", 2)


def test_eval_scores_the_model_and_says_what_it_cost(
    model: Recorded, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from pathlib import Path

    from service.cli.main import main

    corpus = Path(__file__).resolve().parents[1] / "fixtures" / "corpus"
    monkeypatch.setenv("CLAIMLEDGER_MODEL_URL", model.url)
    monkeypatch.setenv("CLAIMLEDGER_MODEL", "recorded")
    assert main(["eval", str(corpus), "--reader", "model"]) == 0
    printed = capsys.readouterr().out
    assert "cost:" in printed and "tokens an article (model:recorded@" in printed
    assert "dropped:" in printed

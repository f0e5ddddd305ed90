"""Answers are as of a watermark, on a real server: asked again at the instant an answer
echoes, after more writes, every answer comes back byte for byte; an instant in the future
is taken as the watermark; and a caller reads its own write by naming its position."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import psycopg

from infra.postgres.database import psycopg_conninfo
from tests.helpers import article, writer_headers
from tests.integration.served import served

KUPIANSK = "geonames:703656"


def written(http: httpx.Client, n: int) -> dict[str, object]:
    body = article(
        f"https://example.test/watermark/{n}",
        published_on=f"2025-10-{n + 1:02d}",
        contestations=[],
        claims=[{**article()["claims"][0], "claimed_on": f"2025-10-{n + 1:02d}"}],
    )
    answer = http.post("/articles", json=body)
    assert answer.status_code == 201, answer.text
    return answer.json()  # type: ignore[no-any-return]


def test_answers_asked_again_at_their_instant_are_the_same_bytes(
    clean_database: str, tmp_path: Path
) -> None:
    with (
        served(clean_database, tmp_path / "serve.log") as (_, base_url),
        httpx.Client(base_url=base_url, timeout=30, headers=writer_headers()) as http,
    ):
        kept: list[tuple[str, dict[str, str], bytes]] = []
        for n in range(10):
            position = written(http, n)["position"]
            for path, params in (
                (f"/places/{KUPIANSK}/claims", {}),
                (f"/places/{KUPIANSK}/claims", {"as_of": "2025-10-05"}),
                (f"/places/{KUPIANSK}/timeline", {}),
            ):
                answer = http.get(path, params={**params, "min_position": position})
                assert answer.status_code == 200, answer.text
                assert answer.json()["known_at"]
                kept.append((path, params, answer.content))
            # The same question without waiting may come from memory, as of its own instant.
            plain = http.get(f"/places/{KUPIANSK}/claims")
            kept.append((f"/places/{KUPIANSK}/claims", {}, plain.content))
        for n in range(10, 13):
            written(http, n)
        time.sleep(0.5)  # let the projector take in the later writes
        for path, params, content in kept:
            instant = httpx.Response(200, content=content).json()["known_at"]
            again = http.get(path, params={**params, "known_at": instant})
            assert again.content == content, (path, params, instant)


def test_an_instant_past_the_watermark_is_taken_as_it(clean_database: str, tmp_path: Path) -> None:
    with (
        served(clean_database, tmp_path / "serve.log") as (_, base_url),
        httpx.Client(base_url=base_url, timeout=30, headers=writer_headers()) as http,
    ):
        position = written(http, 0)["position"]
        now = http.get(f"/places/{KUPIANSK}/timeline", params={"min_position": position})
        future = http.get(
            f"/places/{KUPIANSK}/timeline", params={"known_at": "2199-01-01T00:00:00Z"}
        )
        assert future.status_code == 200
        assert future.json()["known_at"] == now.json()["known_at"] < "2199"
        assert future.content == now.content


def test_a_caller_reads_its_own_write_by_its_position(clean_database: str, tmp_path: Path) -> None:
    with (
        served(clean_database, tmp_path / "serve.log") as (_, base_url),
        httpx.Client(base_url=base_url, timeout=30, headers=writer_headers()) as http,
    ):
        for n in range(20):
            result = written(http, n)
            claim_id = result["claims"][0]["id"]  # type: ignore[index]
            read = http.get(f"/claims/{claim_id}", params={"min_position": result["position"]})
            assert read.status_code == 200, read.text
        # A position nothing is recorded at yet is refused at once.
        ahead = http.get(f"/claims/{claim_id}", params={"min_position": 10**9})
        assert ahead.status_code == 422, ahead.text
        assert ahead.json()["errors"][0]["field"] == "min_position"
        # One recorded but not taken in within 5 s (the projector held back) is a 503.
        with psycopg.connect(psycopg_conninfo(clean_database)) as holder:
            holder.execute("SELECT * FROM projection_tracking FOR UPDATE")
            result = written(http, 25)
            started = time.monotonic()
            late = http.get(f"/claims/{claim_id}", params={"min_position": result["position"]})
            waited = time.monotonic() - started
        assert late.status_code == 503, late.text
        assert f"not yet {result['position']}" in late.json()["detail"]
        assert late.headers["retry-after"]
        assert 4.5 < waited < 10

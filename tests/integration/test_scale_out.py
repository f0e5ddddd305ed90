"""Past one process: two API servers and a projector of its own, on one database, as
docs/operations.md lays out. A write through one server is read through the other, and both
give the same answers, byte for byte, at the same record time."""

from __future__ import annotations

import subprocess
from pathlib import Path

import httpx

from tests.helpers import article, writer_headers
from tests.integration.served import CLAIMLEDGER, PROJECT_ROOT, environment, served, wait_for

KUPIANSK = "geonames:703656"


def test_two_servers_and_a_projector_give_the_same_answers(
    clean_database: str, tmp_path: Path
) -> None:
    projector = subprocess.Popen(
        [str(CLAIMLEDGER), "project"],
        cwd=PROJECT_ROOT,
        env=environment(clean_database, tmp_path / "projector"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        with (
            served(clean_database, tmp_path / "a.log", "--no-projector") as (_, first),
            served(clean_database, tmp_path / "b.log", "--no-projector") as (_, second),
        ):
            written = httpx.post(f"{first}/articles", json=article(), headers=writer_headers())
            assert written.status_code == 201, written.text
            position = written.json()["position"]
            later = article(url="https://example.test/news/2", published_on="2025-11-20")
            again = httpx.post(f"{second}/articles", json=later, headers=writer_headers())
            assert again.status_code == 201, again.text
            seen = httpx.get(
                f"{second}/places/{KUPIANSK}/claims", params={"min_position": position}
            )
            assert seen.status_code == 200 and seen.json()["total"] >= 2, seen.text
            wait_for(
                lambda: httpx.get(f"{first}/ready").json()["projection_lag"] == 0,
                20,
                "the projector to catch up",
            )
            known_at = httpx.get(f"{first}/places/{KUPIANSK}/claims").json()["known_at"]
            claim_id = seen.json()["claims"][0]["id"]
            for path in (f"/places/{KUPIANSK}/claims", "/claims", f"/claims/{claim_id}"):
                params = {"known_at": known_at, "as_of": "2025-11-30"}
                if path.startswith("/claims/"):
                    params.pop("as_of")
                answers = [httpx.get(base + path, params=params) for base in (first, second)]
                assert [a.status_code for a in answers] == [200, 200], path
                assert answers[0].content == answers[1].content, path
                assert answers[0].headers["etag"] == answers[1].headers["etag"], path
    finally:
        projector.terminate()
        projector.wait(timeout=30)

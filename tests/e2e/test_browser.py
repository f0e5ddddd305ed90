"""The workbench in a real browser: Debian's headless Chromium, driven by Playwright, on a
server of the app as production serves it, with the seed articles ingested. Screenshots go
to `test-artifacts/` (or CLAIMLEDGER_TEST_ARTIFACTS)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import msgspec
import pytest

from infra.readmodels.projector import Projector
from service.app.services import Services
from service.bootstrap import served_app
from service.cli.articles_io import read_articles
from tests.e2e.live import serving
from tests.helpers import READER_KEY, WRITER_KEY, article, keyed_access, writer_headers

KUPIANSK = "geonames:703656"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = Path(os.environ.get("CLAIMLEDGER_TEST_ARTIFACTS", "test-artifacts"))

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no chromium on this machine")


@pytest.fixture
def base_url(clean_database: str, corpus_dir: Path) -> Iterator[str]:
    app = served_app(lambda: Services.build(clean_database), access=keyed_access())
    with serving(app) as url:
        articles = read_articles([corpus_dir / "articles"], corpus_dir / "gold")
        batch = {"articles": [msgspec.to_builtins(article) for _, article in articles]}
        response = httpx.post(f"{url}/articles/batch", json=batch, headers=writer_headers())
        assert response.status_code == 200, response.text
        Projector(clean_database).catch_up()
        yield url


@pytest.fixture
def page(base_url: str) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 800})
            yield context.new_page()
        finally:
            browser.close()


def _state_after_loading(page: object, as_of: str) -> str | None:
    page.wait_for_selector(f'#map[data-loaded*="as_of={as_of}"]', state="attached")  # type: ignore[attr-defined]
    return page.evaluate(f'window.claimledgerMap.shown.get("{KUPIANSK}") || null')  # type: ignore[attr-defined]


def test_the_map_shows_kupiansk_disputed_in_2025_and_held_in_2022(
    page: object, base_url: str
) -> None:
    page.goto(f"{base_url}/?as_of=2025-11-21")  # type: ignore[attr-defined]
    assert _state_after_loading(page, "2025-11-21") == "disputed"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "map-2025-11-21.png"))  # type: ignore[attr-defined]
    page.fill('input[name="as_of"]', "2022-09-30")  # type: ignore[attr-defined]
    page.dispatch_event('input[name="as_of"]', "change")  # type: ignore[attr-defined]
    assert _state_after_loading(page, "2022-09-30") == "held"
    assert "as_of=2022-09-30" in page.url  # type: ignore[attr-defined]
    page.screenshot(path=str(ARTIFACTS / "map-2022-09-30.png"))  # type: ignore[attr-defined]


def test_the_map_reads_its_view_from_the_url(page: object, base_url: str) -> None:
    page.goto(f"{base_url}/?as_of=2025-11-21&side=ukraine")  # type: ignore[attr-defined]
    _state_after_loading(page, "2025-11-21")
    assert page.input_value('select[name="side"]') == "ukraine"  # type: ignore[attr-defined]
    status = page.text_content("#status") or ""  # type: ignore[attr-defined]
    assert "places with claims as of 2025-11-21" in status


def test_kupiansk_s_page_shades_two_contradiction_periods_and_shows_a_quote_in_its_article(
    page: object, base_url: str
) -> None:
    # Article bodies go to callers with a key: the page asks for one.
    page.on("dialog", lambda dialog: dialog.accept(READER_KEY))  # type: ignore[attr-defined]
    page.goto(f"{base_url}/place/{KUPIANSK}?as_of=2025-11-30")  # type: ignore[attr-defined]
    page.wait_for_selector('#place[data-loaded*="as_of=2025-11-30"]', state="attached")  # type: ignore[attr-defined]
    assert page.locator("rect.contradiction").count() == 2  # type: ignore[attr-defined]
    assert page.locator("#claims > li").count() >= 4  # type: ignore[attr-defined]
    first = page.locator("#claims button").first  # type: ignore[attr-defined]
    first.click()
    mark = page.locator(".article mark").first  # type: ignore[attr-defined]
    mark.wait_for()
    quote = page.locator("#claims q").first.text_content()  # type: ignore[attr-defined]
    assert mark.text_content() == quote
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "kupiansk-2025-11-30.png"), full_page=True)  # type: ignore[attr-defined]


def test_an_unknown_place_s_page_is_a_404(base_url: str) -> None:
    assert httpx.get(f"{base_url}/place/Atlantis").status_code == 404


def test_the_map_s_places_can_be_reached_by_keyboard(page: object, base_url: str) -> None:
    page.goto(f"{base_url}/?as_of=2025-11-21")  # type: ignore[attr-defined]
    _state_after_loading(page, "2025-11-21")
    page.focus("#listing summary")  # type: ignore[attr-defined]
    page.keyboard.press("Enter")  # type: ignore[attr-defined]
    first = page.locator("#places a").first  # type: ignore[attr-defined]
    assert first.text_content() == "Kupiansk"  # the disputed place comes first
    first.focus()
    page.keyboard.press("Enter")  # type: ignore[attr-defined]
    page.wait_for_selector('#place[data-loaded*="as_of=2025-11-21"]', state="attached")  # type: ignore[attr-defined]
    assert "/place/geonames" in page.url  # type: ignore[attr-defined]


def test_a_reader_s_claim_rejected_in_the_queue_leaves_the_answers_from_then_on(
    page: object, base_url: str, clean_database: str
) -> None:
    unread = article(url="https://example.test/news/unreviewed")
    del unread["claims"], unread["contestations"]
    posted = httpx.post(f"{base_url}/articles", json=unread, headers=writer_headers())
    assert posted.status_code == 201, posted.text
    article_id = posted.json()["article_id"]
    Projector(clean_database).catch_up()
    queued = httpx.get(f"{base_url}/reviews", params={"place": "Kupiansk"}).json()["items"]
    claim_id = next(i["claim_id"] for i in queued if i["article_id"] == article_id)
    before = datetime.now(UTC).isoformat()

    page.on("dialog", lambda dialog: dialog.accept(WRITER_KEY))  # type: ignore[attr-defined]
    page.goto(f"{base_url}/review?place=Kupiansk")  # type: ignore[attr-defined]
    page.wait_for_selector('#review[data-loaded*="place=Kupiansk"]', state="attached")  # type: ignore[attr-defined]
    page.fill('input[name="by"]', "Olena")  # type: ignore[attr-defined]
    entry = page.locator(f'#queue > li[data-claim="{claim_id}"][data-article="{article_id}"]')  # type: ignore[attr-defined]
    entry.get_by_role("button", name="Review").click()
    mark = entry.locator(".article mark")
    mark.wait_for()
    assert mark.text_content() == entry.locator("q").text_content()
    entry.locator('input[name="reason"]').fill("the ministry's words, misread")
    entry.get_by_role("button", name="Reject").click()
    entry.locator(".outcome", has_text="Rejected").wait_for()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "review-queue.png"), full_page=True)  # type: ignore[attr-defined]

    Projector(clean_database).catch_up()
    now = httpx.get(f"{base_url}/claims/{claim_id}").json()
    then = httpx.get(f"{base_url}/claims/{claim_id}", params={"known_at": before}).json()
    assert article_id not in [e["article_id"] for e in now["evidence"]]
    assert article_id in [e["article_id"] for e in then["evidence"]]
    assert now["retractions"][-1]["reason"] == "the ministry's words, misread"
    queued = httpx.get(f"{base_url}/reviews", params={"place": "Kupiansk"}).json()["items"]
    assert (claim_id, article_id) not in [(i["claim_id"], i["article_id"]) for i in queued]


def test_the_api_docs_render_with_nothing_but_the_service(page: object, base_url: str) -> None:
    outside: list[str] = []

    def only_the_service(route: Any) -> None:
        if route.request.url.startswith(base_url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", only_the_service)  # type: ignore[attr-defined]
    page.goto(f"{base_url}/schema/swagger")  # type: ignore[attr-defined]
    title = page.locator(".swagger-ui .info .title")  # type: ignore[attr-defined]
    title.wait_for()
    assert "Claimledger" in (title.text_content() or "")
    assert page.locator(".opblock").count() >= 20  # type: ignore[attr-defined]
    assert outside == []


def test_a_reader_s_claim_corrected_in_the_queue_becomes_the_analyst_s(
    page: object, base_url: str, clean_database: str
) -> None:
    unread = article(url="https://example.test/news/to-correct")
    del unread["claims"], unread["contestations"]
    posted = httpx.post(f"{base_url}/articles", json=unread, headers=writer_headers())
    article_id = posted.json()["article_id"]
    Projector(clean_database).catch_up()
    queued = httpx.get(f"{base_url}/reviews", params={"place": "Kupiansk"}).json()["items"]
    wrong = next(
        i for i in queued if i["article_id"] == article_id and i["claimant_side"] == "russia"
    )

    page.on("dialog", lambda dialog: dialog.accept(WRITER_KEY))  # type: ignore[attr-defined]
    page.goto(f"{base_url}/review?place=Kupiansk")  # type: ignore[attr-defined]
    page.wait_for_selector('#review[data-loaded*="place=Kupiansk"]', state="attached")  # type: ignore[attr-defined]
    page.fill('input[name="by"]', "Olena")  # type: ignore[attr-defined]
    entry = page.locator(  # type: ignore[attr-defined]
        f'#queue > li[data-claim="{wrong["claim_id"]}"][data-article="{article_id}"]'
    )
    entry.get_by_role("button", name="Review").click()
    entry.locator(".article mark").wait_for()
    entry.get_by_role("button", name="Correct...").click()
    entry.locator('select[name="kind"]').select_option("advance")
    entry.get_by_role("button", name="Record the correction").click()
    entry.locator(".outcome", has_text="Corrected").wait_for()

    Projector(clean_database).catch_up()
    before = httpx.get(f"{base_url}/claims/{wrong['claim_id']}").json()
    assert article_id not in [e["article_id"] for e in before["evidence"]]
    claims = httpx.get(
        f"{base_url}/places/{KUPIANSK}/claims", params={"as_of": "2025-11-30", "limit": 500}
    ).json()["claims"]
    corrected = [
        c
        for c in claims
        if c["kind"] == "advance" and any(e["article_id"] == article_id for e in c["evidence"])
    ]
    assert len(corrected) == 1
    evidence = next(e for e in corrected[0]["evidence"] if e["article_id"] == article_id)
    assert evidence["recorded_by"] == "analyst" and evidence["quote"] == wrong["quote"]

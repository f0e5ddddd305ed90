from concurrent.futures import ThreadPoolExecutor

import msgspec
import psycopg

from infra.database import psycopg_conninfo
from service.bootstrap import Services
from service.http.schemas import ArticleIn
from service.submissions import to_submission
from tests.helpers import article


def test_the_same_articles_sent_at_once_are_recorded_once(clean_database: str) -> None:
    services = Services.build(clean_database)
    urls = [f"https://example.test/c/{i % 4}" for i in range(24)]
    submissions = [
        to_submission(msgspec.convert(article(url=u), ArticleIn), services.gazetteer) for u in urls
    ]
    try:
        with ThreadPoolExecutor(max_workers=8) as pool:
            outcomes = list(pool.map(lambda s: services.ledger.ingest([s])[0], submissions))
    finally:
        services.close()
    assert sum(o.created for o in outcomes) == 4
    with psycopg.connect(psycopg_conninfo(clean_database)) as conn:
        counts = dict(
            conn.execute("SELECT topic, count(*) FROM stored_events GROUP BY topic").fetchall()
        )
    # Four articles; two claims each, shared across articles: 2 recorded, 6 corroborations.
    assert counts == {
        "ArticleIngested": 4,
        "ClaimRecorded": 2,
        "ClaimCorroborated": 6,
        "ClaimContested": 4,
    }

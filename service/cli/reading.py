"""Commands on the reader alone, without a database: extract, and score it on a corpus."""

from __future__ import annotations

import argparse
import json
import os
from datetime import date
from pathlib import Path
from typing import Any

from domain.events import DateWindow
from domain.extraction import Extraction, Extractor
from domain.places import Gazetteer
from infra.reading.model import ModelReader, ModelUnavailable
from service.cli.errors import CommandError
from service.settings import Settings, SettingsError


def extract(settings: Settings, args: argparse.Namespace) -> int:
    """Print one JSON line of claims and contestations per article file."""
    from infra.reference.gazetteer import default_gazetteer

    extractor = Extractor(default_gazetteer())
    for name in args.files:
        body, published, language = _corpus_article(Path(name))
        line = _extraction_line(Path(name).name, extractor.extract(body, published, language))
        print(json.dumps(line, ensure_ascii=False), flush=True)
    return 0


def _corpus_article(path: Path) -> tuple[str, date, str | None]:
    """Body, publication date and language of an article file in the corpus shape."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        published = raw.get("published_on") or raw.get("published")
        return str(raw["body"]), date.fromisoformat(published), raw.get("language")
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise CommandError(f"{path}: not an article with a body and a date ({error})") from None


def _extraction_line(name: str, extraction: Extraction) -> dict[str, Any]:
    """One output line: the file's claims and contestations as JSON-ready values."""
    return {
        "article": name,
        "language": extraction.language,
        "extractor": {"name": extraction.extractor, "version": extraction.version},
        "claims": [
            {
                "id": c.id,
                "place": {"id": c.place_id, "name": c.place_name},
                "claimant": c.claimant,
                "claimant_side": c.claimant_side.value,
                "actor_side": c.actor_side.value,
                "kind": c.kind.value,
                "extent": c.extent,
                "claimed_on": c.claimed_on.isoformat(),
                "claimed_window": _window(c.claimed_window),
                "quote": c.quote,
                "start": c.start,
                "end": c.end,
                "confidence": c.confidence,
            }
            for c in extraction.claims
        ],
        "contestations": [
            {
                "contests": k.contests,
                "by": k.by,
                "by_side": k.by_side.value,
                "contested_on": k.contested_on.isoformat(),
                "contested_window": _window(k.contested_window),
                "quote": k.quote,
                "start": k.start,
                "end": k.end,
            }
            for k in extraction.contestations
        ],
    }


def _window(window: DateWindow | None) -> list[str] | None:
    return [window.start.isoformat(), window.end.isoformat()] if window else None


def eval_(settings: Settings, args: argparse.Namespace) -> int:
    """Print per-article and total precision, recall and F1 of the extractor on a corpus."""
    from infra.reference.gazetteer import default_gazetteer
    from service.app.evaluation import GoldError, evaluate_corpus, report

    corpus = Path(args.corpus_dir) if args.corpus_dir else settings.corpus_dir
    if not (corpus / "articles").is_dir() or not (corpus / "gold").is_dir():
        raise CommandError(f"{corpus}: no articles/ and gold/ folders here")
    gazetteer = default_gazetteer()
    reader = _model_reader(gazetteer) if args.reader == "model" else Extractor(gazetteer)
    try:
        evaluation = evaluate_corpus(corpus, reader, gazetteer)
    except (ModelUnavailable, GoldError) as error:
        raise CommandError(str(error)) from None
    untouched = _untouched(Path(args.untouched) if args.untouched else None, corpus)
    for line in report(evaluation, args.verbose, args.errors, untouched):
        print(line)
    if isinstance(reader, ModelReader):
        articles = max(1, int(reader.usage.get("articles", 0)))
        tokens = reader.usage.get("prompt_tokens", 0) + reader.usage.get("completion_tokens", 0)
        print(
            f"cost: {reader.usage.get('seconds', 0) / articles:.2f} s and"
            f" {tokens / articles:,.0f} tokens an article ({reader.name})"
        )
        dropped = ", ".join(f"{n} {why}" for why, n in reader.dropped.most_common())
        print(f"dropped: {dropped or 'nothing'}")
        reader.close()
    return 0


def _model_reader(gazetteer: Gazetteer) -> ModelReader:
    """The model reader the environment names (CLAIMLEDGER_MODEL_URL, CLAIMLEDGER_MODEL)."""
    try:
        endpoint = Settings.from_env({**os.environ, "CLAIMLEDGER_READER": "model"}).model
    except SettingsError as error:
        raise CommandError(str(error)) from None
    assert endpoint is not None
    return ModelReader(endpoint, gazetteer)


UNTOUCHED = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "untouched.json"


def _untouched(path: Path | None, corpus: Path) -> set[str]:
    """The ids of the articles kept apart from tuning: those `path` lists, or those the
    project's file lists when the corpus is the one it names (its folder's name)."""
    try:
        if path is not None:
            return {str(i) for i in json.loads(path.read_text(encoding="utf-8"))["untouched"]}
        if not UNTOUCHED.is_file():
            return set()
        listed = json.loads(UNTOUCHED.read_text(encoding="utf-8"))
        if listed["corpus"] != corpus.resolve().name:
            return set()
        return {str(i) for i in listed["untouched"]}
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise CommandError(f"{path}: not a file of untouched article ids ({error})") from None

"""Reading article files: the API's article shape, or the corpus shape with its gold file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import msgspec

from service.app.schemas import ArticleIn
from service.app.submissions import control_characters

# Keys of the corpus article files that are not part of an article's ingestion.
_CORPUS_ONLY = ("source_file", "published_estimated")


class ArticleFileError(Exception):
    """A file that cannot be read as articles; the message names the file and the field."""


def read_articles(paths: list[Path], gold_dir: Path | None = None) -> list[tuple[str, ArticleIn]]:
    """Every article in the files (and the .json/.ndjson files of folders), with its origin."""
    found: list[tuple[str, ArticleIn]] = []
    for path in _expand(paths):
        for index, raw in enumerate(_records(path)):
            origin = path.name if path.suffix == ".json" else f"{path.name}:{index + 1}"
            gold = _gold(gold_dir, path) if gold_dir and path.suffix == ".json" else None
            found.append((origin, _article(raw, gold, origin)))
    return found


def _expand(paths: list[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.iterdir() if p.suffix in (".json", ".ndjson")))
        elif path.is_file():
            files.append(path)
        else:
            raise ArticleFileError(f"{path}: no such file or folder")
    return files


def _records(path: Path) -> list[Any]:
    try:
        if path.suffix == ".ndjson":
            lines = path.read_bytes().splitlines()
            return [msgspec.json.decode(line) for line in lines if line.strip()]
        data = msgspec.json.decode(path.read_bytes())
    except (OSError, msgspec.DecodeError) as error:
        raise ArticleFileError(f"{path}: {error}") from None
    if isinstance(data, dict) and isinstance(data.get("articles"), list):
        return list(data["articles"])
    return data if isinstance(data, list) else [data]


def _gold(gold_dir: Path, article: Path) -> dict[str, Any] | None:
    path = gold_dir / article.name
    if not path.is_file():
        return None
    try:
        gold = msgspec.json.decode(path.read_bytes())
    except msgspec.DecodeError as error:
        raise ArticleFileError(f"{path}: {error}") from None
    return {key: gold.get(key, []) for key in ("claims", "contestations")}


def _article(raw: Any, gold: dict[str, Any] | None, origin: str) -> ArticleIn:
    if not isinstance(raw, dict):
        raise ArticleFileError(f"{origin}: an article must be a JSON object")
    record = {k: v for k, v in raw.items() if k not in _CORPUS_ONLY}
    if "published" in record and "published_on" not in record:
        record["published_on"] = record.pop("published")
    if gold:
        record.update(gold)
    try:
        article = msgspec.convert(record, ArticleIn)
    except msgspec.ValidationError as error:
        raise ArticleFileError(f"{origin}: {error}") from None
    if problems := control_characters(article):
        raise ArticleFileError(f"{origin}: {problems[0].field}: {problems[0].message}")
    return article

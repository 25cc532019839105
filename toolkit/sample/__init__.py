"""The embedded sample corpus: short news-style articles written for this project, with
hand-made gold entities and claims in the corrections format."""
from __future__ import annotations

from pathlib import Path
from typing import Iterator

from ..jsonl import read_jsonl
from ..types import Correction, Document

SAMPLE_DIR = Path(__file__).parent / "data"


def articles_path() -> Path:
    return SAMPLE_DIR / "articles.jsonl"


def gold_path() -> Path:
    return SAMPLE_DIR / "gold.jsonl"


def load_sample() -> Iterator[Document]:
    """The sample articles as Documents."""
    for _, row in read_jsonl(articles_path()):
        yield Document(id=row["id"], text=row["text"], date=row.get("date"), source=row.get("source"))


def load_gold() -> list[Correction]:
    """The gold corrections of the sample articles (annotator ``gold``)."""
    from ..store import validate_record

    path = gold_path()
    return [validate_record(row, file=path, line=line) for line, row in read_jsonl(path)]


__all__ = ["SAMPLE_DIR", "articles_path", "gold_path", "load_gold", "load_sample"]

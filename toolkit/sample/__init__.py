"""The embedded sample corpus: short news-style articles written for this project, with
hand-made gold entities and claims in the corrections format."""
from __future__ import annotations

from pathlib import Path
from ..jsonl import read_jsonl
from ..loaders.stream import Documents, count_lines
from ..types import Correction, Document

SAMPLE_DIR = Path(__file__).parent / "data"


def articles_path() -> Path:
    return SAMPLE_DIR / "articles.jsonl"


def gold_path() -> Path:
    return SAMPLE_DIR / "gold.jsonl"


def load_sample() -> Documents:
    """The sample articles as Documents (a lazy stream that knows its ``total``)."""
    rows = read_jsonl(articles_path())
    docs = (Document(id=row["id"], text=row["text"], date=row.get("date"), source=row.get("source")) for _, row in rows)
    return Documents(docs, lambda: count_lines(str(articles_path())))


def load_gold() -> list[Correction]:
    """The gold corrections of the sample articles (annotator ``gold``)."""
    from ..store import validate_record

    path = gold_path()
    return [validate_record(row, file=path, line=line) for line, row in read_jsonl(path)]


__all__ = ["SAMPLE_DIR", "articles_path", "gold_path", "load_gold", "load_sample"]

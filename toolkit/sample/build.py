"""Build the sample corpus files from the marked-up sources ``data/articles*.md``.

    python -m toolkit.sample.build

writes ``data/articles.jsonl`` (documents) and ``data/gold.jsonl`` (gold corrections in
the store's format); the output is deterministic.
"""
from __future__ import annotations

import re
from pathlib import Path

from ..jsonl import write_jsonl
from ..store.records import validate_record
from ..types import Correction, Document
from .markup import parse

DATA = Path(__file__).parent / "data"
HEADER = re.compile(r"^## (\S+) \| (\d{4}-\d{2}-\d{2}) \| (.+)$", re.M)
GOLD_TIME = "2026-11-22T00:00:00+00:00"


def sources() -> list[Path]:
    """The marked-up source files, in order: ``articles.md`` then ``articles-NN.md``."""
    return sorted(DATA.glob("articles*.md"), key=lambda p: (p.stem != "articles", p.name))


def build_all() -> tuple[list[Document], list[Correction]]:
    docs: list[Document] = []
    gold: list[Correction] = []
    for source in sources():
        more_docs, more_gold = build(source)
        docs += more_docs
        gold += more_gold
    ids = [d.id for d in docs]
    duplicated = sorted({i for i in ids if ids.count(i) > 1})
    if duplicated:
        raise ValueError(f"duplicate article ids in {DATA}: {duplicated}")
    return docs, gold


def build(source: Path = DATA / "articles.md") -> tuple[list[Document], list[Correction]]:
    markup = source.read_text(encoding="utf-8")
    heads = list(HEADER.finditer(markup))
    docs, gold = [], []
    for head, following in zip(heads, heads[1:] + [None]):
        body = markup[head.end() : following.start() if following else len(markup)].strip()
        text, entities, claims = parse(body)
        doc = Document(id=head.group(1), text=text, date=head.group(2), source=head.group(3))
        record = Correction.create(
            doc,
            annotator="gold",
            entities=entities,
            claims=claims,
            timestamp=GOLD_TIME,
            meta={"source": doc.source, "date": doc.date, "note": "toolkit sample gold, written by hand"},
        )
        validate_record(record.to_dict(), file=f"{source}#{doc.id}")
        docs.append(doc)
        gold.append(record)
    return docs, gold


def main() -> None:
    docs, gold = build_all()
    write_jsonl(DATA / "articles.jsonl", ({"id": d.id, "date": d.date, "source": d.source, "text": d.text} for d in docs))
    write_jsonl(DATA / "gold.jsonl", (g.to_dict() for g in gold))
    print(f"{len(docs)} articles, {sum(len(g.entities) for g in gold)} entities, {sum(len(g.claims) for g in gold)} claims")


if __name__ == "__main__":
    main()

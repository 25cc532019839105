"""Claims gold beside the sample's: the two real articles of ``../shared/corpus``, hand-made in
``tests/data/shared_corpus_claims.json`` by text, resolved here to offsets.

    from claims_gold import corpus_claims
    docs, gold = corpus_claims()      # Documents as toolkit.load reads them, and their Claims

A claim gives its ``content`` (or its ``parts``, in order), ``speaker``, ``cue`` and optionally
``speaker_name`` as text; each is found in the document (the content once only; the speaker,
cue and name at their occurrence nearest the content), so a wrong text fails loudly.
"""
from __future__ import annotations

import json
from pathlib import Path

import toolkit
from toolkit.types import Claim, Document, Span

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "data" / "shared_corpus_claims.json"
CORPUS = ROOT.parent / "shared" / "corpus"


def _once(text: str, piece: str, doc_id: str) -> Span:
    at = text.find(piece)
    if at < 0 or text.find(piece, at + 1) >= 0:
        raise ValueError(f"{GOLD.name}: {doc_id}: {piece[:60]!r} is {'missing' if at < 0 else 'not unique'} in the text")
    return Span(at, at + len(piece))


def _nearest(text: str, piece: str, near: Span, doc_id: str) -> Span:
    found, at = [], text.find(piece)
    while at >= 0:
        found.append(at)
        at = text.find(piece, at + 1)
    if not found:
        raise ValueError(f"{GOLD.name}: {doc_id}: {piece!r} is not in the text")
    start = min(found, key=lambda s: min(abs(s - near.end), abs(s + len(piece) - near.start)))
    return Span(start, start + len(piece))


def resolve(doc: Document, rows: list[dict]) -> list[Claim]:
    text, claims = doc.text, []
    for row in rows:
        parts = tuple(_once(text, p, doc.id) for p in row.get("parts", ()))
        content = Span(parts[0].start, parts[-1].end) if parts else _once(text, row["content"], doc.id)
        claims.append(
            Claim(
                content.start,
                content.end,
                kind=row["kind"],
                hedged=row["hedged"],
                speaker=_nearest(text, row["speaker"], content, doc.id) if row.get("speaker") else None,
                cue=_nearest(text, row["cue"], content, doc.id) if row.get("cue") else None,
                origin="gold",
                parts=parts,
                negated=row.get("negated", False),
                speaker_name=_nearest(text, row["speaker_name"], content, doc.id) if row.get("speaker_name") else None,
            )
        )
    return claims


def corpus_claims() -> tuple[list[Document], list[list[Claim]]]:
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    docs = list(toolkit.load(CORPUS))
    return docs, [resolve(doc, gold[doc.id]) for doc in docs]


def sample_claims() -> tuple[list[Document], list[list[Claim]]]:
    from toolkit.learn.gold import read_gold
    from toolkit.sample import gold_path

    gold = list(read_gold(gold_path()))
    return [g.doc for g in gold], [list(g.claims) for g in gold]

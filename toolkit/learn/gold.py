"""Reading gold annotations for evaluation.

GOLD is either a corrections file (records with ``schema`` and ``doc_id``; the record
standing for each document is used, ``accept`` only) or any JSONL with ``text``,
``entities`` and ``claims`` (and ``id``), such as ``toolkit extract`` output that was
corrected by hand.
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterator

from ..errors import InputError
from ..jsonl import read_jsonl
from ..store.choice import choose_per_document
from ..store.records import validate_record
from ..types import Claim, Correction, Document, Entity, Extraction, ExtractorInfo, content_id

GOLD = ExtractorInfo("gold", "0")


def read_gold(path: str | Path) -> Iterator[Extraction]:
    """Gold documents as Extractions (origin ``gold``), in file order."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"gold file '{path}' does not exist.", code="E130", file=path)
    rows = list(read_jsonl(path))
    if rows and all(isinstance(row, dict) and "schema" in row and "doc_id" in row for _, row in rows):
        records = [validate_record(row, file=path, line=line) for line, row in rows]
        chosen = choose_per_document(records)
        order = list(dict.fromkeys(r.doc_id for r in records))
        for doc_id in order:
            record = chosen[doc_id]
            if record.answer == "accept":
                yield _from_correction(record)
        return
    for line, row in rows:
        yield _from_plain(row, path, line)


def _from_correction(record: Correction) -> Extraction:
    doc = Document(id=record.doc_id, text=record.text, date=record.meta.get("date"), source=record.meta.get("source"))
    return record.to_extraction(doc, origin="gold").replace(extractor=GOLD)


def _from_plain(row: object, path: Path, line: int) -> Extraction:
    if not isinstance(row, dict):
        raise InputError("each gold line must be a JSON object.", code="E131", file=path, line=line)
    text = row.get("text")
    if not isinstance(text, str) or not text:
        raise InputError("missing or empty 'text'; each gold line needs the document text.", code="E132", file=path, line=line, field="text")
    doc = Document(id=str(row.get("id") or row.get("doc_id") or content_id(text)), text=text, date=row.get("date"))
    try:
        entities = tuple(Entity.from_dict(e, origin="gold") for e in row.get("entities") or ())
        claims = tuple(Claim.from_dict(c, origin="gold") for c in row.get("claims") or ())
    except (KeyError, TypeError, ValueError) as err:
        raise InputError(
            f"an entity or claim is malformed ({err!r}); entities need start, end, label and claims need start, end.",
            code="E133",
            file=path,
            line=line,
            field="entities/claims",
        ) from None
    for item in entities + claims:
        if not 0 <= item.start < item.end <= len(text):
            raise InputError(
                f"span {item.start}-{item.end} is outside the text (length {len(text)}).",
                code="E134",
                file=path,
                line=line,
                field="entities/claims",
            )
    return Extraction(doc=doc, entities=entities, claims=claims, extractor=GOLD)

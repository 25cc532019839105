"""``to_dataframe`` and the ``parquet``/``csv`` exports: one row per entity and one per claim.

Columns (in order): doc_id, date, source, annotator, answer, timestamp, kind ("entity" or
"claim"), label (entities; empty for claims), start, end, text (the span's text), origin,
claim_kind, hedged, speaker_text, speaker_start, speaker_end, cue_text, cue_start, cue_end,
claim_negated, claim_parts, speaker_name_text, speaker_name_start, speaker_name_end.

The claim columns hold every field of a claim: ``claim_kind`` (direct, indirect or mixed),
``hedged`` and ``claim_negated`` (flags), the speaker, cue and ``speaker_name`` spans (text,
start, end) and ``claim_parts``, the pieces of discontinuous content as a JSON string of
``[start, end]`` pairs (``"[[3, 10], [25, 40]]"``; empty when the content is one piece), which
:func:`parse_parts` reads back. They are empty on entity rows. Offsets are Python ``str``
indices into the document text. Integer columns that can be empty use pandas' nullable
``Int64``; ``hedged`` and ``claim_negated`` are nullable ``boolean``; all of them are
Parquet-safe. The table has no document text, so these formats are export only.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator

from ..types import Claim, Correction, Entity, Extraction, Span

if TYPE_CHECKING:
    import pandas as pd

COLUMNS: dict[str, str] = {
    "doc_id": "str",
    "date": "str",
    "source": "str",
    "annotator": "str",
    "answer": "str",
    "timestamp": "str",
    "kind": "str",
    "label": "str",
    "start": "Int64",
    "end": "Int64",
    "text": "str",
    "origin": "str",
    "claim_kind": "str",
    "hedged": "boolean",
    "speaker_text": "str",
    "speaker_start": "Int64",
    "speaker_end": "Int64",
    "cue_text": "str",
    "cue_start": "Int64",
    "cue_end": "Int64",
    "claim_negated": "boolean",
    "claim_parts": "str",
    "speaker_name_text": "str",
    "speaker_name_start": "Int64",
    "speaker_name_end": "Int64",
}


def _part(prefix: str, span: Span | None, text: str) -> dict[str, Any]:
    if span is None:
        return {f"{prefix}_text": None, f"{prefix}_start": None, f"{prefix}_end": None}
    return {f"{prefix}_text": text[span.start : span.end], f"{prefix}_start": span.start, f"{prefix}_end": span.end}


def format_parts(parts: Iterable[Span]) -> str | None:
    """``claim_parts``: the parts as a JSON list of ``[start, end]`` pairs, None when there are none."""
    pairs = [[p.start, p.end] for p in parts]
    return json.dumps(pairs) if pairs else None


def parse_parts(value: Any) -> tuple[Span, ...]:
    """The parts of a ``claim_parts`` cell (a JSON string, or empty: no parts)."""
    if not isinstance(value, str) or not value:
        return ()
    return tuple(Span(int(start), int(end)) for start, end in json.loads(value))


def _rows(record: Correction | Extraction) -> Iterator[dict[str, Any]]:
    if isinstance(record, Correction):
        text = record.text
        head = {
            "doc_id": record.doc_id,
            "date": record.meta.get("date"),
            "source": record.meta.get("source"),
            "annotator": record.annotator,
            "answer": record.answer,
            "timestamp": record.timestamp,
        }
        entities: Iterable[Entity] = record.entities
        claims: Iterable[Claim] = record.claims
    elif isinstance(record, Extraction):
        text = record.doc.text
        head = {"doc_id": record.doc.id, "date": record.doc.date, "source": record.doc.source,
                "annotator": None, "answer": None, "timestamp": None}
        entities, claims = record.entities, record.claims
    else:
        raise TypeError(f"to_dataframe takes Correction or Extraction records, got {type(record).__name__}")
    for ent in entities:
        yield {**head, "kind": "entity", "label": ent.label, "start": ent.start, "end": ent.end,
               "text": text[ent.start : ent.end], "origin": ent.origin}
    for claim in claims:
        yield {**head, "kind": "claim", "label": None, "start": claim.start, "end": claim.end,
               "text": text[claim.start : claim.end], "origin": claim.origin, "claim_kind": claim.kind,
               "hedged": claim.hedged, **_part("speaker", claim.speaker, text), **_part("cue", claim.cue, text),
               "claim_negated": claim.negated, "claim_parts": format_parts(claim.parts),
               **_part("speaker_name", claim.speaker_name, text)}


def to_dataframe(records: Iterable[Correction | Extraction]) -> "pd.DataFrame":
    """One row per entity and one per claim of ``records`` (Corrections or Extractions).

    For a Correction, ``date`` and ``source`` come from ``record.meta``; for an Extraction,
    from its Document, and annotator/answer/timestamp are empty.
    """
    import pandas as pd

    rows = [row for record in records for row in _rows(record)]
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    return frame.astype(COLUMNS)


def export_parquet(records: Iterable[Correction], out: Path) -> int:
    """Write the table as Parquet (pyarrow); returns the number of records."""
    records = list(records)
    to_dataframe(records).to_parquet(out, index=False)
    return len(records)


def export_csv(records: Iterable[Correction], out: Path) -> int:
    """Write the table as UTF-8 CSV with a header; returns the number of records."""
    records = list(records)
    to_dataframe(records).to_csv(out, index=False, encoding="utf-8")
    return len(records)

"""``spacy``: a spaCy v3 DocBin (``.spacy``) for ``spacy train`` and for spaCy users.

Layout of each Doc (tokenized with the toolkit tokenizer, ``blank_english()``):

- ``doc.ents``: the entities. Entities that overlap one kept in ``doc.ents`` (which cannot
  overlap) go to the span group ``"entities_overlap"`` instead, with a warning.
- Claims: span groups ``"claim_content"`` (label ``direct``/``indirect``/``mixed``),
  ``"claim_speaker"`` (label ``speaker``), ``"claim_cue"`` (label ``cue``) and ``"claim_part"``
  (label ``part``: the pieces of discontinuous content, in order). The spans of claim *i* share
  the span id ``claim{i}``, so a speaker, cue or part is linked to its content even when a claim
  lacks one.
- ``doc.user_data``: ``doc_id``, ``annotator``, ``answer``, ``timestamp`` (plain strings) and
  ``toolkit``: a JSON string with the record's schema version, meta and extractor, each claim's
  ``kind``, ``hedged`` and ``negated`` flags and ``speaker_name`` (``{start, end}`` character
  offsets, on whole tokens like the spans, or null), and the order of entities (JSON, because
  msgpack would turn lists into tuples). Import is exact: every field of a claim is carried.

Spans that cut a token are widened to whole tokens with a warning (``misaligned="expand"``,
the default; ``"contract"`` narrows them, ``"error"`` refuses them).
"""
from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any, Collection, Iterable, Iterator

from spacy.tokens import Doc, DocBin
from spacy.tokens import Span as SpacySpan

from ..errors import FormatError, warn
from ..store.records import SUPPORTED_SCHEMAS
from ..types import CLAIM_KINDS, Claim, Correction, Entity, ExtractorInfo, Span
from ._common import Misaligned, Where, align, aligner, fixed_now, make_record, record_doc, tokenizer

OVERLAP_GROUP = "entities_overlap"
CONTENT, SPEAKER, CUE, PART = "claim_content", "claim_speaker", "claim_cue", "claim_part"


def _doc(record: Correction, misaligned: Misaligned) -> tuple[Doc, int]:
    doc = record_doc(record)

    snap = aligner(doc, record, misaligned)

    def span(start: int, end: int, label: str, what: str, span_id: str = "") -> SpacySpan:
        _, _, ts, te = align(snap, start, end, what=what)
        return SpacySpan(doc, ts, te, label=label, span_id=span_id)

    ents = [span(e.start, e.end, e.label, f"entity {e.label}") for e in record.entities]
    kept: list[SpacySpan] = []
    overlap: list[SpacySpan] = []
    taken: set[int] = set()
    for ent in sorted(ents, key=lambda s: (s.start, -(s.end - s.start), s.label_)):
        tokens = set(range(ent.start, ent.end))
        (overlap if tokens & taken else kept).append(ent)
        if not tokens & taken:
            taken |= tokens
    doc.ents = kept
    if overlap:
        doc.spans[OVERLAP_GROUP] = overlap
    contents, speakers, cues, parts = [], [], [], []
    attrs: list[dict[str, Any]] = []
    for i, claim in enumerate(record.claims):
        sid = f"claim{i}"
        contents.append(span(claim.start, claim.end, claim.kind, "claim", sid))
        if claim.speaker:
            speakers.append(span(claim.speaker.start, claim.speaker.end, "speaker", "claim speaker", sid))
        if claim.cue:
            cues.append(span(claim.cue.start, claim.cue.end, "cue", "claim cue", sid))
        parts += [span(p.start, p.end, "part", "claim part", sid) for p in claim.parts]
        name = None
        if claim.speaker_name:
            s, e, _, _ = align(snap, claim.speaker_name.start, claim.speaker_name.end, what="claim speaker name")
            name = {"start": s, "end": e}
        attrs.append({"kind": claim.kind, "hedged": claim.hedged, "negated": claim.negated, "speaker_name": name})
    if record.claims:
        doc.spans[CONTENT], doc.spans[SPEAKER], doc.spans[CUE], doc.spans[PART] = contents, speakers, cues, parts
    snap.report(where="spacy export")
    doc.user_data.update(
        {
            "doc_id": record.doc_id,
            "annotator": record.annotator,
            "answer": record.answer,
            "timestamp": record.timestamp,
            "toolkit": json.dumps(
                {
                    "schema": record.to_dict()["schema"],
                    "meta": dict(record.meta),
                    "extractor": record.extractor.to_dict() if record.extractor else None,
                    "claims": attrs,
                    "entity_order": [[e.start, e.end, e.label] for e in record.entities],
                },
                ensure_ascii=False,
            ),
        }
    )
    return doc, len(overlap)


def export_spacy(records: Iterable[Correction], out: Path, *, misaligned: Misaligned = "expand") -> int:
    """Write a DocBin; returns the number of records.

    Args:
        misaligned: ``expand`` (default) widens spans that cut a token, ``contract`` narrows them
            (both with one warning per document), ``error`` refuses them.
    """
    bin_ = DocBin(store_user_data=True)
    count = overlapping = 0
    for record in records:
        doc, n_overlap = _doc(record, misaligned)
        overlapping += n_overlap
        bin_.add(doc)
        count += 1
    if overlapping:
        warn(
            f"{overlapping} overlapping entit{'y' if overlapping == 1 else 'ies'} cannot be in doc.ents; written to the "
            f"span group {OVERLAP_GROUP!r} instead (spacy train's NER will not see them)."
        )
    bin_.to_disk(out)
    return count


def import_spacy(
    path: Path, *, annotator: str | None = None, labels: Collection[str] | None = None
) -> Iterator[Correction]:
    """Read a DocBin: this module's layout exactly, any other DocBin's ``doc.ents`` as entities."""
    try:
        bin_ = DocBin().from_disk(path)
    except (ValueError, KeyError, TypeError) as err:
        raise FormatError(
            f"not a spaCy DocBin ({err}). Write it with DocBin.to_disk or `spacy convert`.", code="E401", file=path
        ) from None
    now = fixed_now()
    for i, doc in enumerate(bin_.get_docs(tokenizer().vocab)):
        yield _record(doc, Where(path, task=f"doc {i}"), annotator, labels, now)


def _record(doc: Doc, where: Where, annotator: str | None, labels: Collection[str] | None, now: str) -> Correction:
    data = doc.user_data
    extra: dict[str, Any] = {}
    if isinstance(data.get("toolkit"), str):
        try:
            extra = json.loads(data["toolkit"])
        except json.JSONDecodeError as err:
            raise where.error(f"user_data['toolkit'] is not JSON ({err.msg}); re-export the DocBin.", "E402") from None
    entities = [Entity(s.start_char, s.end_char, s.label_) for s in [*doc.ents, *doc.spans.get(OVERLAP_GROUP, [])]]
    order = {tuple(key): i for i, key in enumerate(extra.get("entity_order") or [])}
    entities.sort(key=lambda e: (e.start, e.end, order.get((e.start, e.end, e.label), len(order))))
    attrs = extra.get("claims") or []
    speakers = {s.id_: s for s in doc.spans.get(SPEAKER, []) if s.id_}
    cues = {s.id_: s for s in doc.spans.get(CUE, []) if s.id_}
    parts: dict[str, list[Span]] = {}
    for piece in doc.spans.get(PART, []):
        if piece.id_:
            parts.setdefault(piece.id_, []).append(Span(piece.start_char, piece.end_char))
    claims = []
    for i, content in enumerate(doc.spans.get(CONTENT, [])):
        attr = attrs[i] if i < len(attrs) else {}
        kind = attr.get("kind") or (content.label_ if content.label_ in CLAIM_KINDS else "indirect")
        sp, cue = speakers.get(content.id_), cues.get(content.id_)
        name = attr.get("speaker_name")
        if name is not None and not (isinstance(name, dict) and all(type(name.get(k)) is int for k in ("start", "end"))):
            raise where.error(f"claim {i}: user_data speaker_name must be {{start, end}} or null, got {name!r}.", "E402")
        claims.append(
            Claim(
                content.start_char,
                content.end_char,
                kind=kind,
                hedged=bool(attr.get("hedged", False)),
                speaker=Span(sp.start_char, sp.end_char) if sp is not None else None,
                cue=Span(cue.start_char, cue.end_char) if cue is not None else None,
                parts=tuple(sorted(parts.get(content.id_, []), key=lambda p: (p.start, p.end))) if content.id_ else (),
                negated=bool(attr.get("negated", False)),
                speaker_name=Span.from_dict(name),
            )
        )
    extractor = extra.get("extractor")
    record = make_record(
        text=doc.text,
        where=where,
        doc_id=data.get("doc_id"),
        annotator=annotator or data.get("annotator") or "spacy",
        timestamp=data.get("timestamp") or now,
        answer=data.get("answer") or "accept",
        entities=entities,
        claims=claims,
        meta=extra.get("meta") or {},
        extractor=ExtractorInfo.from_dict(extractor) if extractor else None,
        labels=labels,
    )
    schema = extra.get("schema")
    return replace(record, schema=schema) if schema in SUPPORTED_SCHEMAS and schema != record.schema else record

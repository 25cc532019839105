"""``doccano``: doccano JSONL, sequence labelling (default) or relation extraction (``relations=True``).

Sequence labelling, one document a line (claims cannot be carried; a warning counts them)::

    {"text", "label": [[start, end, "LABEL"], ...], "doc_id", "annotator", "answer", "timestamp",
     "record_meta"?, "extractor"?}

Relation extraction (``relations=True``) carries claims as doccano spans and relations::

    {"text", "entities": [{"id", "label", "start_offset", "end_offset"}],
     "relations": [{"id", "from_id", "to_id", "type"}], ...the same record keys}

A claim is a span labelled ``CLAIM_DIRECT``, ``CLAIM_INDIRECT`` or ``CLAIM_MIXED``, with
``_HEDGED`` appended when hedged and then ``_NEGATED`` when negated (``CLAIM_MIXED_HEDGED_NEGATED``:
doccano has no span attributes, and a label survives a trip through doccano; import accepts the
suffixes in either order). Its speaker, cue, speaker name and parts (the pieces of discontinuous
content) are spans labelled ``SPEAKER``, ``CUE``, ``SPEAKER_NAME`` and ``CLAIM_PART`` joined to it by
relations of type ``SPEAKER_OF``, ``CUE_OF``, ``SPEAKER_NAME_OF`` and ``PART_OF``; parts are read back
in text order. Every field of a claim is carried; ``CLAIM_*``, ``SPEAKER``, ``CUE`` and ``SPEAKER_NAME``
are reserved labels.
doccano keeps unknown top-level keys as example metadata and writes them back on export, so
the record keys (doc_id, annotator, ...) survive the tool. Offsets are code points.

Import also reads ``labels`` (doccano 1.x) and the 1.x multi-user shape
``annotations: [{label, start_offset, end_offset, user}]``: one record per user, named
``doccano-user-<id>`` (or ``<annotator>-<id>`` with ``annotator=``). Integer label ids are kept
as strings unless ``label_names`` maps them (``{12: "LOC"}``).
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any, Collection, Iterable, Iterator, Mapping

from ..errors import FormatError, warn
from ..types import CLAIM_KINDS, Claim, Correction, Entity, ExtractorInfo, Span
from ._common import Where, dedupe, fixed_now, get_int, make_record, map_label, read_json_lines, write_json_lines

CLAIM_PREFIX, SPEAKER, CUE, SPEAKER_NAME, PART = "CLAIM_", "SPEAKER", "CUE", "SPEAKER_NAME", "CLAIM_PART"
SPEAKER_OF, CUE_OF, SPEAKER_NAME_OF, PART_OF = "SPEAKER_OF", "CUE_OF", "SPEAKER_NAME_OF", "PART_OF"
HEDGED, NEGATED = "_HEDGED", "_NEGATED"
# relation type -> span label of its head
LINKS = {SPEAKER_OF: SPEAKER, CUE_OF: CUE, SPEAKER_NAME_OF: SPEAKER_NAME, PART_OF: PART}
# span label of a claim's linked span -> the claim field it fills
FIELDS = {SPEAKER: "speaker", CUE: "cue", SPEAKER_NAME: "speaker_name", PART: "parts"}
RECORD_KEYS = ("doc_id", "annotator", "answer", "timestamp", "record_meta", "extractor")


# ---------------------------------------------------------------- export


def _record_keys(record: Correction) -> dict[str, Any]:
    out: dict[str, Any] = {"doc_id": record.doc_id, "annotator": record.annotator, "answer": record.answer,
                           "timestamp": record.timestamp}
    if record.meta:
        out["record_meta"] = dict(record.meta)
    if record.extractor:
        out["extractor"] = record.extractor.to_dict()
    return out


def _relation_line(record: Correction) -> dict[str, Any]:
    entities: list[dict[str, Any]] = []
    relations: list[dict[str, Any]] = []

    def add(start: int, end: int, label: str) -> int:
        entities.append({"id": len(entities), "label": label, "start_offset": start, "end_offset": end})
        return len(entities) - 1

    for ent in record.entities:
        if ent.label.startswith(CLAIM_PREFIX) or ent.label in FIELDS:
            raise FormatError(
                f"document {record.doc_id!r}: entity label {ent.label!r} is reserved for claims in doccano relation "
                "files (CLAIM_*, SPEAKER, CUE, SPEAKER_NAME). Rename the label.",
                code="E406",
            )
        add(ent.start, ent.end, ent.label)
    for claim in record.claims:
        label = CLAIM_PREFIX + claim.kind.upper() + (HEDGED if claim.hedged else "") + (NEGATED if claim.negated else "")
        content = add(claim.start, claim.end, label)
        linked = [(claim.speaker, SPEAKER, SPEAKER_OF), (claim.cue, CUE, CUE_OF),
                  (claim.speaker_name, SPEAKER_NAME, SPEAKER_NAME_OF), *((p, PART, PART_OF) for p in claim.parts)]
        for part, part_label, rel in linked:
            if part is not None:
                head = add(part.start, part.end, part_label)
                relations.append({"id": len(relations), "from_id": head, "to_id": content, "type": rel})
    return {"text": record.text, "entities": entities, "relations": relations, **_record_keys(record)}


def export_doccano(records: Iterable[Correction], out: Path, *, relations: bool = False) -> int:
    """Write doccano JSONL; returns the number of records.

    Args:
        relations: write the relation-extraction shape, which carries claims.
    """
    dropped = [0, 0]

    def lines() -> Iterator[dict[str, Any]]:
        for record in records:
            if relations:
                yield _relation_line(record)
                continue
            if record.claims:
                dropped[0] += len(record.claims)
                dropped[1] += 1
            yield {"text": record.text, "label": [[e.start, e.end, e.label] for e in record.entities],
                   **_record_keys(record)}

    count = write_json_lines(out, lines())
    if dropped[0]:
        warn(
            f"{dropped[0]} claim(s) in {dropped[1]} document(s) were not exported: doccano sequence labelling has no "
            "relations. Export with relations=True to keep them."
        )
    return count


# ---------------------------------------------------------------- import


def import_doccano(
    path: Path,
    *,
    annotator: str | None = None,
    labels: Collection[str] | None = None,
    label_names: Mapping[Any, str] | None = None,
) -> Iterator[Correction]:
    """Read doccano JSONL (sequence labelling, relations, or 1.x multi-user) as records."""
    now, skipped = fixed_now(), Counter[str]()
    for line_no, data in read_json_lines(path):
        where = Where(path, line_no)
        text = data.get("text")
        fields = {**(data["meta"] if isinstance(data.get("meta"), dict) else {}), **data}
        if isinstance(data.get("annotations"), list):
            by_user: dict[Any, list[Entity]] = {}
            for item in data["annotations"]:
                if not isinstance(item, dict):
                    raise where.error(f"an annotation must be an object, got {item!r}.", "E402")
                by_user.setdefault(item.get("user"), []).append(_entity(item, label_names, where))
            for user, entities in sorted(by_user.items(), key=lambda kv: str(kv[0])):
                name = f"{annotator or 'doccano-user'}-{user}"
                yield _make(text, fields, where, name, entities, [], labels, now)
            continue
        claims: list[Claim] = []
        if isinstance(data.get("entities"), list):
            entities, claims = _relations(data, label_names, where, skipped)
        else:
            spans = data.get("label", data.get("labels", []))
            if not isinstance(spans, list):
                raise where.error("'label' must be a list of [start, end, label].", "E402")
            entities = [_entity(span, label_names, where) for span in spans]
        yield _make(text, fields, where, annotator, entities, claims, labels, now)
    if skipped:
        warn(f"{path}: not imported as claims: {', '.join(f'{k} ({v})' for k, v in skipped.most_common())}.")


def _make(
    text: Any, fields: Mapping[str, Any], where: Where, annotator: str | None, entities: list[Entity],
    claims: list[Claim], labels: Collection[str] | None, now: str,
) -> Correction:
    if "record_meta" in fields:
        meta = fields["record_meta"]
    else:
        meta = {k: v for k, v in fields.get("meta", {}).items() if k not in RECORD_KEYS} if isinstance(fields.get("meta"), dict) else {}
    extractor = fields.get("extractor")
    return make_record(
        text=text,
        where=where,
        doc_id=fields.get("doc_id"),
        annotator=annotator or fields.get("annotator") or "doccano",
        timestamp=fields.get("timestamp") or now,
        answer=fields.get("answer") or "accept",
        entities=dedupe(entities, where),
        claims=claims,
        meta=meta,
        extractor=ExtractorInfo.from_dict(extractor) if isinstance(extractor, dict) else None,
        labels=labels,
    )


def _label(raw: Any, label_names: Mapping[Any, str] | None, where: Where) -> str:
    raw = map_label(raw, label_names)
    if isinstance(raw, bool) or not isinstance(raw, (str, int)) or raw == "":
        raise where.error(f"label {raw!r} must be a name or an integer id.", "E402")
    return str(raw)


def _entity(span: Any, label_names: Mapping[Any, str] | None, where: Where) -> Entity:
    if isinstance(span, list):
        if len(span) != 3:
            raise where.error(f"a label must be [start, end, label], got {span!r}.", "E402")
        span = {"start_offset": span[0], "end_offset": span[1], "label": span[2]}
    if not isinstance(span, dict):
        raise where.error(f"a span must be [start, end, label] or an object, got {span!r}.", "E402")
    start, end = get_int(span, "start_offset", where), get_int(span, "end_offset", where)
    return Entity(start, end, _label(span.get("label"), label_names, where))


def _relations(
    data: Mapping[str, Any], label_names: Mapping[Any, str] | None, where: Where, skipped: Counter[str]
) -> tuple[list[Entity], list[Claim]]:
    spans: dict[Any, Entity] = {}
    for item in data["entities"]:
        if not isinstance(item, dict) or "id" not in item:
            raise where.error(f"a relation-file entity needs an 'id', got {item!r}.", "E402")
        spans[item["id"]] = _entity(item, label_names, where)
    claims: dict[Any, dict[str, Any]] = {}
    for sid, span in spans.items():
        if span.label.startswith(CLAIM_PREFIX) and span.label != PART:
            claims[sid] = {"start": span.start, "end": span.end, **_claim_label(span.label, where), "parts": []}
    linked: set[Any] = set()
    for rel in data.get("relations") or []:
        rtype = rel.get("type") if isinstance(rel, dict) else None
        head, child = (rel.get("from_id"), rel.get("to_id")) if isinstance(rel, dict) else (None, None)
        expected = LINKS.get(str(rtype))
        if expected is None or child not in claims or head not in spans or spans[head].label != expected:
            skipped[f"relation {rtype}"] += 1
            continue
        piece = Span(spans[head].start, spans[head].end)
        if expected == PART:
            claims[child]["parts"].append(piece)
        else:
            claims[child][FIELDS[expected]] = piece
        linked.add(head)
    for sid, span in spans.items():
        if span.label in FIELDS and sid not in linked:
            skipped[f"unlinked {span.label} span"] += 1
    for claim in claims.values():
        claim["parts"] = tuple(sorted(claim["parts"], key=lambda p: (p.start, p.end)))
    entities = [s for sid, s in spans.items() if sid not in claims and s.label not in FIELDS]
    return entities, [Claim(**c) for c in claims.values()]


def _claim_label(label: str, where: Where) -> dict[str, Any]:
    """``kind``, ``hedged`` and ``negated`` of a ``CLAIM_<KIND>[_HEDGED][_NEGATED]`` label (suffixes in any order)."""
    rest = label[len(CLAIM_PREFIX) :]
    flags = {HEDGED: False, NEGATED: False}
    while True:
        suffix = next((x for x in flags if rest.endswith(x) and not flags[x]), None)
        if suffix is None:
            break
        flags[suffix] = True
        rest = rest[: -len(suffix)]
    if rest.lower() not in CLAIM_KINDS or rest != rest.upper():
        kinds = ", ".join(CLAIM_PREFIX + k.upper() for k in CLAIM_KINDS)
        raise where.error(f"claim label {label!r} must be one of {kinds} (+ {HEDGED}, {NEGATED}).", "E402")
    return {"kind": rest.lower(), "hedged": flags[HEDGED], "negated": flags[NEGATED]}

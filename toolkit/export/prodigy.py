"""``prodigy``: Prodigy task JSONL (``ner_manual`` spans, claims as ``rel.manual`` relations).

Export, one task per record::

    {"text", "tokens": [{text,start,end,id,ws}], "spans": [{start,end,token_start,token_end,label,text}],
     "relations": [...], "answer", "meta": {"doc_id","annotator","timestamp",...},
     "_input_hash", "_task_hash", "_annotator_id", "_session_id", "_view_id", "_timestamp"}

- Entities are spans with their label. Labels starting with ``CLAIM_`` are reserved.
- A claim is a span labelled ``CLAIM_DIRECT``, ``CLAIM_INDIRECT`` or ``CLAIM_MIXED`` carrying
  ``"claim": i``, ``"hedged": bool`` and ``"negated": bool``, and, when set, ``"parts"`` (the pieces
  of discontinuous content, in order: ``[{start, end}, ...]``) and ``"speaker_name"`` (``{start,
  end}``), all character offsets on whole tokens like the spans. Prodigy shows none of these keys
  but keeps them in the task (as it keeps any key of a span). Its speaker and cue are relations in
  the ``rel.manual`` shape (``head``/``child`` = the last token of each span, ``head_span``/
  ``child_span``) labelled ``SPEAKER_OF`` and ``CUE_OF``, from the speaker (cue) span to the claim span.
- ``_view_id`` is ``ner_manual``, or ``relations`` when the task has claims, or ``spans_manual``
  when entities overlap (``ner_manual`` cannot show overlapping spans).
- Hashes are stable signed 32-bit ints: ``_input_hash`` from the text, ``_task_hash`` from text + spans + relations.

Import reads manual tasks (``ner_manual``, ``spans_manual``, ``relations``; a task with no ``spans``
key has no entities) and binary ``ner.teach`` tasks (a span ``answer`` or ``_is_binary``): of those,
only spans answered ``accept`` (a span's own answer, else the task's) become entities; the others
are listed in ``meta["prodigy_rejected"]``, and ``meta["prodigy_binary"]`` is true, because such a
record is a partial annotation. A claim span without ``negated``, ``parts`` or ``speaker_name``
(a file written before toolkit 0.2) is not negated, in one piece, without a speaker name.
Relations other than ``SPEAKER_OF``/``CUE_OF`` are not claims and are
skipped with a warning. Span text or token offsets that disagree with the task text, overlapping
entities in a manual task (other than ``spans_manual``), unknown labels (with ``labels=``) and
malformed lines raise FormatError naming the file and line.
"""
from __future__ import annotations

import json
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any, Collection, Iterable, Iterator, Mapping

from ..errors import FormatError, warn
from ..types import Claim, Correction, Entity, ExtractorInfo, Span
from ._common import (
    Misaligned,
    Where,
    align,
    aligner,
    check_no_overlap,
    dedupe,
    epoch_to_iso,
    fixed_now,
    get_int,
    make_record,
    read_json_lines,
    record_doc,
    stable_hash,
    write_json_lines,
)

CLAIM_PREFIX = "CLAIM_"
SPEAKER_OF, CUE_OF = "SPEAKER_OF", "CUE_OF"
META_KEYS = ("doc_id", "annotator", "timestamp", "extractor", "record_meta")


# ---------------------------------------------------------------- export


def to_task(record: Correction, *, misaligned: Misaligned = "expand") -> dict[str, Any]:
    """The Prodigy task of one record."""
    text = record.text
    doc = record_doc(record)
    tokens = [
        {"text": t.text, "start": t.idx, "end": t.idx + len(t.text), "id": t.i, "ws": bool(t.whitespace_)} for t in doc
    ]

    snap = aligner(doc, record, misaligned)

    def span(start: int, end: int, label: str, what: str) -> dict[str, Any]:
        s, e, ts, te = align(snap, start, end, what=what)
        return {"start": s, "end": e, "token_start": ts, "token_end": te - 1, "label": label, "text": text[s:e]}

    spans = []
    for ent in record.entities:
        if ent.label.startswith(CLAIM_PREFIX):
            raise FormatError(
                f"document {record.doc_id!r}: entity label {ent.label!r} starts with {CLAIM_PREFIX!r}, which marks claims "
                "in Prodigy files. Rename the label.",
                code="E406",
            )
        spans.append(span(ent.start, ent.end, ent.label, f"entity {ent.label}"))
    overlapping = _overlaps(spans)
    relations = []
    for i, claim in enumerate(record.claims):
        label = CLAIM_PREFIX + claim.kind.upper()
        content = {**span(claim.start, claim.end, label, "claim"), "claim": i, "hedged": claim.hedged,
                   "negated": claim.negated}
        if claim.parts:
            content["parts"] = [_offsets(snap, p, "claim part") for p in claim.parts]
        if claim.speaker_name:
            content["speaker_name"] = _offsets(snap, claim.speaker_name, "claim speaker name")
        spans.append(content)
        for rel_label, part, role in ((SPEAKER_OF, claim.speaker, "SPEAKER"), (CUE_OF, claim.cue, "CUE")):
            if part is None:
                continue
            head = span(part.start, part.end, role, f"claim {role.lower()}")
            child = {k: content[k] for k in ("start", "end", "token_start", "token_end", "label")}
            head.pop("text")
            relations.append(
                {"head": head["token_end"], "child": child["token_end"], "head_span": head, "child_span": child,
                 "label": rel_label, "claim": i}
            )
    snap.report(where="prodigy export")
    meta: dict[str, Any] = {"doc_id": record.doc_id, "annotator": record.annotator, "timestamp": record.timestamp}
    if record.extractor:
        meta["extractor"] = record.extractor.to_dict()
    if record.meta:
        meta["record_meta"] = dict(record.meta)
    task: dict[str, Any] = {"text": text, "tokens": tokens, "spans": spans}
    if relations:
        task["relations"] = relations
    task.update(
        {
            "answer": record.answer,
            "meta": meta,
            "_input_hash": stable_hash(text),
            "_task_hash": stable_hash(text, json.dumps([spans, relations], sort_keys=True)),
            "_annotator_id": record.annotator,
            "_session_id": record.annotator,
            "_view_id": "spans_manual" if overlapping else "relations" if record.claims else "ner_manual",
        }
    )
    seconds = _epoch(record.timestamp)
    if seconds is not None:
        task["_timestamp"] = seconds
    return task


def _offsets(snap: Any, part: Span, what: str) -> dict[str, int]:
    start, end, _, _ = align(snap, part.start, part.end, what=what)
    return {"start": start, "end": end}


def _overlaps(spans: list[dict[str, Any]]) -> bool:
    ordered = sorted((s["start"], s["end"]) for s in spans)
    return any(b[0] < a[1] for a, b in zip(ordered, ordered[1:]))


def _epoch(timestamp: str) -> int | None:
    try:
        return int(datetime.fromisoformat(timestamp).timestamp())
    except ValueError:
        return None


def export_prodigy(records: Iterable[Correction], out: Path, *, misaligned: Misaligned = "expand") -> int:
    """Write Prodigy JSONL; returns the number of tasks. See the module docstring for the shape."""
    overlapping: list[str] = []

    def tasks() -> Iterator[dict[str, Any]]:
        for record in records:
            task = to_task(record, misaligned=misaligned)
            if task["_view_id"] == "spans_manual":
                overlapping.append(record.doc_id)
            yield task

    count = write_json_lines(out, tasks())
    if overlapping:
        warn(
            f"{len(overlapping)} task(s) have overlapping entities (e.g. document {overlapping[0]!r}); written with "
            "_view_id 'spans_manual', since ner_manual cannot show overlapping spans."
        )
    return count


# ---------------------------------------------------------------- import


def import_prodigy(
    path: Path, *, annotator: str | None = None, labels: Collection[str] | None = None
) -> Iterator[Correction]:
    """Read Prodigy JSONL (manual, binary and relation tasks) as records; see the module docstring."""
    now = fixed_now()
    skipped: Counter[str] = Counter()
    binary = 0
    for line_no, task in read_json_lines(path):
        record = _record(task, Where(path, line_no), annotator=annotator, labels=labels, now=now, skipped=skipped)
        binary += bool(record.meta.get("prodigy_binary"))
        yield record
    if binary:
        warn(
            f"{path}: {binary} binary (ner.teach) decisions imported; each record holds only the spans answered "
            "accept (the rest are in meta['prodigy_rejected']), so it is a partial annotation (meta['prodigy_binary'])."
        )
    if skipped:
        listed = ", ".join(f"{label} ({n})" for label, n in skipped.most_common())
        warn(f"{path}: relations that are not claims were skipped: {listed}. Only SPEAKER_OF and CUE_OF map to claims.")


def _check_span(span: Any, text: str, tokens: list[Any] | None, where: Where) -> tuple[int, int, str]:
    if not isinstance(span, Mapping):
        raise where.error(f"a span must be an object, got {span!r}.", "E402")
    start, end = get_int(span, "start", where), get_int(span, "end", where)
    label = span.get("label")
    if not isinstance(label, str) or not label:
        raise where.error(f"span [{start}, {end}) has no label. Every span needs a 'label'.", "E402")
    if not 0 <= start < end <= len(text):
        raise where.error(f"span {label} [{start}, {end}) is empty or outside the text (length {len(text)}).", "E402")
    if "text" in span and text[start:end] != span["text"]:
        raise where.error(
            f"misaligned span {label} [{start}, {end}): its text is {span['text']!r} but the task text there is "
            f"{text[start:end]!r}. The offsets must be str indices into this task's text; fix the span.",
            "E405",
        )
    if tokens is not None and "token_start" in span and "token_end" in span:
        ts, te = span["token_start"], span["token_end"]
        ok = isinstance(ts, int) and isinstance(te, int) and 0 <= ts <= te < len(tokens)
        if not ok or tokens[ts].get("start") != start or tokens[te].get("end") != end:
            raise where.error(
                f"misaligned span {label} [{start}, {end}) {text[start:end]!r}: token_start {ts} / token_end {te} do "
                "not start and end there. Fix the span's token indices or offsets.",
                "E405",
            )
    return start, end, label


def _list(value: Any, where: Where) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise where.error(f"a claim span's 'parts' must be a list of {{start, end}}, got {value!r}.", "E402")
    return value


def _offset_pair(value: Any, text: str, where: Where, what: str) -> dict[str, int]:
    """A claim span's ``parts`` item or ``speaker_name``: ``{start, end}`` inside the text."""
    if not isinstance(value, Mapping):
        raise where.error(f"a claim span's {what} must be an object {{start, end}}, got {value!r}.", "E402")
    start, end = get_int(value, "start", where, what), get_int(value, "end", where, what)
    if not 0 <= start < end <= len(text):
        raise where.error(f"claim {what} [{start}, {end}) is empty or outside the text (length {len(text)}).", "E402")
    return {"start": start, "end": end}


def _check_tokens(task: Mapping[str, Any], text: str, where: Where) -> list[Any] | None:
    tokens = task.get("tokens")
    if tokens is None:
        return None
    if not isinstance(tokens, list):
        raise where.error("'tokens' must be a list of {text, start, end, id}.", "E402")
    for i, token in enumerate(tokens):
        if not isinstance(token, Mapping) or text[token.get("start", 0) : token.get("end", -1)] != token.get("text"):
            raise where.error(
                f"misaligned token {i} {token!r}: its offsets do not select its text in the task text. "
                "Re-tokenize the task (e.g. Prodigy's add_tokens).",
                "E405",
            )
    return tokens


def _record(
    task: Mapping[str, Any],
    where: Where,
    *,
    annotator: str | None,
    labels: Collection[str] | None,
    now: str,
    skipped: Counter[str],
) -> Correction:
    text = task.get("text")
    if not isinstance(text, str):
        raise where.error("the task has no 'text' string. Every Prodigy task needs one.", "E402")
    tokens = _check_tokens(task, text, where)
    raw_spans = task.get("spans") or []
    if not isinstance(raw_spans, list):
        raise where.error("'spans' must be a list.", "E402")
    answer = task.get("answer", "accept")
    is_binary = task.get("_is_binary") is True or any(isinstance(s, Mapping) and "answer" in s for s in raw_spans)
    entities: list[Entity] = []
    rejected: list[dict[str, Any]] = []
    claims: dict[int, dict[str, Any]] = {}
    for span in raw_spans:
        start, end, label = _check_span(span, text, tokens, where)
        if label.startswith(CLAIM_PREFIX):
            kind = label[len(CLAIM_PREFIX) :].lower()
            index = span.get("claim", len(claims))
            if not isinstance(index, int) or index in claims:
                raise where.error(f"claim span [{start}, {end}) has a missing or repeated 'claim' index {index!r}; "
                                  "give each CLAIM_ span its own integer index.", "E402")
            claims[index] = {
                "start": start, "end": end, "kind": kind, "hedged": bool(span.get("hedged", False)),
                "negated": bool(span.get("negated", False)),
                "parts": [_offset_pair(p, text, where, "part") for p in _list(span.get("parts"), where)],
                "speaker_name": _offset_pair(span["speaker_name"], text, where, "speaker_name")
                if span.get("speaker_name") is not None else None,
            }
            continue
        decision = span.get("answer", answer) if is_binary else "accept"
        if decision == "accept":
            entities.append(Entity(start, end, label))
        else:
            rejected.append({"start": start, "end": end, "label": label, "answer": decision})
    entities = dedupe(entities, where)
    if not is_binary and task.get("_view_id") != "spans_manual":
        check_no_overlap(entities, text, where, hint="Manual Prodigy tasks cannot overlap; fix the task, or set its "
                         "_view_id to 'spans_manual' if the overlap is intended.")
    _attach_relations(task.get("relations") or [], claims, text, tokens, where, skipped)
    meta_in = task.get("meta") if isinstance(task.get("meta"), Mapping) else {}
    meta = {k: v for k, v in meta_in.items() if k not in META_KEYS}
    meta.update(meta_in.get("record_meta") or {})
    if is_binary:
        meta.update({"prodigy_binary": True, "prodigy_rejected": rejected})
    extractor = meta_in.get("extractor")
    return make_record(
        text=text,
        where=where,
        doc_id=meta_in.get("doc_id"),
        annotator=annotator or meta_in.get("annotator") or task.get("_annotator_id") or task.get("_session_id") or "prodigy",
        timestamp=meta_in.get("timestamp") or epoch_to_iso(task.get("_timestamp")) or now,
        answer=answer,
        entities=entities,
        claims=[_claim(c) for _, c in sorted(claims.items())],
        meta=meta,
        extractor=ExtractorInfo.from_dict(extractor) if extractor else None,
        labels=labels,
    )


def _attach_relations(
    relations: Any, claims: dict[int, dict[str, Any]], text: str, tokens: list[Any] | None, where: Where,
    skipped: Counter[str],
) -> None:
    if not isinstance(relations, list):
        raise where.error("'relations' must be a list.", "E402")
    by_offsets = {(c["start"], c["end"]): i for i, c in claims.items()}
    for rel in relations:
        label = rel.get("label") if isinstance(rel, Mapping) else None
        if label not in (SPEAKER_OF, CUE_OF):
            skipped[str(label)] += 1
            continue
        head, child = rel.get("head_span"), rel.get("child_span")
        if not isinstance(head, Mapping) or not isinstance(child, Mapping):
            raise where.error(f"relation {label} needs 'head_span' and 'child_span' objects.", "E402")
        h_start, h_end, _ = _check_span(head, text, tokens, where)
        c_start, c_end, _ = _check_span(child, text, tokens, where)
        index = rel.get("claim")
        if index not in claims:
            index = by_offsets.get((c_start, c_end))
        if index is None or (claims[index]["start"], claims[index]["end"]) != (c_start, c_end):
            raise where.error(
                f"relation {label} points at [{c_start}, {c_end}) {text[c_start:c_end]!r}, which is not a CLAIM_ span "
                "of this task. Add the claim span or fix the relation.",
                "E402",
            )
        part = "speaker" if label == SPEAKER_OF else "cue"
        if part in claims[index]:
            raise where.error(f"claim [{c_start}, {c_end}) has two {label} relations; a claim has one {part}.", "E402")
        claims[index][part] = {"start": h_start, "end": h_end}


def _claim(data: Mapping[str, Any]) -> Claim:
    return Claim(
        data["start"],
        data["end"],
        kind=data["kind"],
        hedged=data["hedged"],
        speaker=Span.from_dict(data.get("speaker")),
        cue=Span.from_dict(data.get("cue")),
        parts=tuple(Span(p["start"], p["end"]) for p in data["parts"]),
        negated=data["negated"],
        speaker_name=Span.from_dict(data["speaker_name"]),
    )

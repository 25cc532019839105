"""``label-studio``: Label Studio JSON tasks, and the labelling config that goes with them.

Export writes a JSON array with one task per document (records with the same ``doc_id`` and
text become several annotations of one task)::

    {"data": {"text", "doc_id", "date"?, "source"?},
     "annotations": [{"result": [...], "was_cancelled", "ground_truth": false, "created_at",
                      "toolkit": {"annotator", "answer", "timestamp", "meta", "extractor"}}]}

(``predictions=True`` writes ``predictions`` with ``model_version`` instead, for pre-annotation.)
Entities are ``labels`` results (``from_name="label"``, ``to_name="text"``). A claim is a region
labelled ``CLAIM`` with per-region choices ``claim_kind`` (``direct``/``indirect``/``mixed``) and, when
set, ``hedged`` (``hedged``) and ``negated`` (``negated``); its speaker, cue, speaker name (the fullest
named mention of the speaker) and parts (the pieces of discontinuous content) are regions labelled
``SPEAKER``, ``CUE``, ``SPEAKER_NAME`` and ``CLAIM_PART`` joined to it by ``relation`` results
(``direction: right``, labels ``["speaker"]``/``["cue"]``/``["speaker_name"]``/``["part"]``). Every field of
a claim is carried. ``CLAIM``, ``SPEAKER``, ``CUE``, ``SPEAKER_NAME`` and ``CLAIM_PART`` are reserved
labels. :func:`label_studio_config` writes the matching ``<View>`` XML. A claim region without a
``claim_kind`` choice is ``indirect``; parts are read back in text order.

Offsets: ``value.start``/``value.end`` are code point offsets (Python ``str`` indices), which is what
Label Studio 1.4 and later store for ``<Text>``. Older versions counted UTF-16 code units, so an
emoji shifted every later span: on import, a span whose ``value.text`` does not match the text
at its offsets but does match at the UTF-16 reading of them is converted, with a warning. A
``value.text`` that differs only in whitespace (Label Studio collapses double spaces in it) is
accepted; any other mismatch raises FormatError naming the task and result.

Import reads ``annotations`` and the legacy ``completions`` (``source="annotations"``, the default),
``predictions`` (``source="predictions"``), or both (``source="all"``); a single task object is read as
a one-task file. The annotator is, in order: the ``annotator`` argument, the ``toolkit`` block, the
``completed_by`` user (``label-studio-user-<id>`` or its email), the prediction's ``model_version``,
``label-studio``.
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any, Collection, Iterable, Iterator, Literal, Mapping
from xml.sax.saxutils import quoteattr

from ..errors import FormatError, warn
from ..types import CLAIM_KINDS, ENTITY_LABELS, Claim, Correction, Entity, ExtractorInfo, Span
from ._common import Where, dedupe, epoch_to_iso, fixed_now, get_int, load_json, make_record

CLAIM, SPEAKER, CUE, SPEAKER_NAME, PART = "CLAIM", "SPEAKER", "CUE", "SPEAKER_NAME", "CLAIM_PART"
RESERVED = (CLAIM, SPEAKER, CUE, SPEAKER_NAME, PART)
KIND_CHOICES, HEDGED_CHOICES, NEGATED_CHOICES = "claim_kind", "hedged", "negated"
# region label -> (relation label, claim field) of a claim's linked regions
LINKED = {SPEAKER: ("speaker", "speaker"), CUE: ("cue", "cue"), SPEAKER_NAME: ("speaker_name", "speaker_name"),
          PART: ("part", "parts")}
Source = Literal["annotations", "predictions", "all"]


def label_studio_config(labels: Iterable[str] = ENTITY_LABELS, *, claims: bool = True) -> str:
    """The labelling config (``<View>`` XML) for files written by :func:`export_label_studio`."""
    lines = ["<View>", '  <Labels name="label" toName="text">']
    lines += [f"    <Label value={quoteattr(label)}/>" for label in labels]
    if claims:
        lines += [f'    <Label value="{CLAIM}" background="#f4a261"/>', f'    <Label value="{SPEAKER}" background="#2a9d8f"/>',
                  f'    <Label value="{CUE}" background="#e9c46a"/>', f'    <Label value="{SPEAKER_NAME}" background="#264653"/>',
                  f'    <Label value="{PART}" background="#f6bd60"/>']
    lines.append("  </Labels>")
    if claims:
        lines += ["  <Relations>", *(f'    <Relation value="{rel}"/>' for rel, _ in LINKED.values()), "  </Relations>"]
    lines.append('  <Text name="text" value="$text"/>')
    if claims:
        lines += [
            f'  <View visibleWhen="region-selected" whenLabelValue="{CLAIM}">',
            f'    <Choices name="{KIND_CHOICES}" toName="text" perRegion="true" choice="single">',
            *(f'      <Choice value="{kind}"/>' for kind in CLAIM_KINDS), "    </Choices>",
            f'    <Choices name="{HEDGED_CHOICES}" toName="text" perRegion="true" choice="multiple">',
            '      <Choice value="hedged"/>', "    </Choices>",
            f'    <Choices name="{NEGATED_CHOICES}" toName="text" perRegion="true" choice="multiple">',
            '      <Choice value="negated"/>', "    </Choices>", "  </View>",
        ]
    lines.append("</View>")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- export


def _region(rid: str, start: int, end: int, text: str, label: str) -> dict[str, Any]:
    return {"id": rid, "from_name": "label", "to_name": "text", "type": "labels",
            "value": {"start": start, "end": end, "text": text[start:end], "labels": [label]}}


def _choices(rid: str, name: str, start: int, end: int, text: str, choice: str) -> dict[str, Any]:
    return {"id": rid, "from_name": name, "to_name": "text", "type": "choices",
            "value": {"start": start, "end": end, "text": text[start:end], "choices": [choice]}}


def _results(record: Correction) -> list[dict[str, Any]]:
    text = record.text
    out = []
    for i, ent in enumerate(record.entities):
        if ent.label in RESERVED:
            raise FormatError(
                f"document {record.doc_id!r}: entity label {ent.label!r} is reserved for claims in Label Studio files "
                f"({', '.join(RESERVED)}). Rename the label.",
                code="E406",
            )
        out.append(_region(f"e{i}", ent.start, ent.end, text, ent.label))
    for i, claim in enumerate(record.claims):
        cid = f"c{i}"
        out.append(_region(cid, claim.start, claim.end, text, CLAIM))
        out.append(_choices(cid, KIND_CHOICES, claim.start, claim.end, text, claim.kind))
        if claim.hedged:
            out.append(_choices(cid, HEDGED_CHOICES, claim.start, claim.end, text, "hedged"))
        if claim.negated:
            out.append(_choices(cid, NEGATED_CHOICES, claim.start, claim.end, text, "negated"))
        linked = [(claim.speaker, SPEAKER, "speaker"), (claim.cue, CUE, "cue"), (claim.speaker_name, SPEAKER_NAME, "speaker_name")]
        linked += [(piece, PART, f"part{k}") for k, piece in enumerate(claim.parts)]
        for part, label, name in linked:
            if part is not None:
                pid = f"{cid}-{name}"
                out.append(_region(pid, part.start, part.end, text, label))
                rel = LINKED[label][0]
                out.append({"type": "relation", "from_id": pid, "to_id": cid, "direction": "right", "labels": [rel]})
    return out


def _annotation(record: Correction, predictions: bool) -> dict[str, Any]:
    block = {"annotator": record.annotator, "answer": record.answer, "timestamp": record.timestamp,
             "meta": dict(record.meta), "extractor": record.extractor.to_dict() if record.extractor else None}
    if predictions:
        version = f"{record.extractor.name} {record.extractor.version}" if record.extractor else record.annotator
        return {"model_version": version, "result": _results(record), "toolkit": block}
    return {"result": _results(record), "was_cancelled": record.answer != "accept", "ground_truth": False,
            "created_at": record.timestamp, "toolkit": block}


def export_label_studio(records: Iterable[Correction], out: Path, *, predictions: bool = False) -> int:
    """Write a JSON array of tasks; returns the number of records (annotations) written.

    Args:
        predictions: write the records as ``predictions`` (pre-annotations to correct in Label
            Studio) instead of ``annotations``.
    """
    import json

    tasks: dict[tuple[str, str], dict[str, Any]] = {}
    count = 0
    for record in records:
        key = (record.doc_id, record.text_sha256)
        if key not in tasks:
            data = {"text": record.text, "doc_id": record.doc_id}
            data.update({k: record.meta[k] for k in ("date", "source") if isinstance(record.meta.get(k), str)})
            tasks[key] = {"data": data, "predictions" if predictions else "annotations": []}
        tasks[key]["predictions" if predictions else "annotations"].append(_annotation(record, predictions))
        count += 1
    with out.open("w", encoding="utf-8") as handle:
        json.dump(list(tasks.values()), handle, ensure_ascii=False, indent=1)
        handle.write("\n")
    return count


# ---------------------------------------------------------------- import


def _utf16_to_code_points(text: str, start: int, end: int) -> tuple[int, int] | None:
    units = 0
    mapping = {0: 0}
    for i, char in enumerate(text):
        units += 2 if ord(char) > 0xFFFF else 1
        mapping[units] = i + 1
    if start in mapping and end in mapping:
        return mapping[start], mapping[end]
    return None


class _Offsets:
    """Checks a result's offsets against its ``value.text``, converting legacy UTF-16 offsets."""

    def __init__(self) -> None:
        self.converted = 0

    def __call__(self, value: Mapping[str, Any], text: str, where: Where) -> tuple[int, int]:
        start, end = get_int(value, "start", where, "value"), get_int(value, "end", where, "value")
        quoted = value.get("text")
        if not isinstance(quoted, str) or text[start:end] == quoted:
            return start, end
        fixed = _utf16_to_code_points(text, start, end)
        if fixed is not None and text[fixed[0] : fixed[1]] == quoted:
            self.converted += 1
            return fixed
        if " ".join(text[start:end].split()) == " ".join(quoted.split()):
            return start, end  # Label Studio collapses runs of whitespace in value.text; the offsets are right
        raise where.error(
            f"misaligned result: value.text is {quoted!r} but the task text at [{start}, {end}) is "
            f"{text[start:end]!r} (neither code point nor UTF-16 offsets match). Fix the result's offsets.",
            "E405",
        )


def import_label_studio(
    path: Path,
    *,
    annotator: str | None = None,
    labels: Collection[str] | None = None,
    source: Source = "annotations",
    text_key: str = "text",
) -> Iterator[Correction]:
    """Read Label Studio JSON tasks as records (one per annotation or prediction).

    Args:
        source: ``annotations`` (also legacy ``completions``), ``predictions`` or ``all``.
        text_key: the ``data`` field holding the text (``$text`` in the config).
    """
    if source not in ("annotations", "predictions", "all"):
        raise ValueError(f"source must be 'annotations', 'predictions' or 'all', not {source!r}")
    tasks = load_json(path)
    if isinstance(tasks, dict):
        tasks = [tasks]
    if not isinstance(tasks, list):
        raise FormatError("expected a JSON array of tasks (or one task object).", code="E401", file=path)
    now, offsets, skipped, only_predictions = fixed_now(), _Offsets(), Counter[str](), 0
    for n, task in enumerate(tasks, start=1):
        where = Where(path, task=f"task {n}" + (f" (id {task.get('id')})" if isinstance(task, dict) and "id" in task else ""))
        if not isinstance(task, dict) or not isinstance(task.get("data"), dict):
            raise where.error("a task must be an object with a 'data' object.", "E402")
        text = task["data"].get(text_key)
        if not isinstance(text, str):
            raise where.error(f"data has no {text_key!r} string; pass text_key= to name the field holding the text.", "E402")
        items: list[tuple[str, dict[str, Any]]] = []
        if source in ("annotations", "all"):
            items += [("annotation", a) for a in [*(task.get("annotations") or []), *(task.get("completions") or [])]]
        if source in ("predictions", "all"):
            items += [("prediction", p) for p in task.get("predictions") or []]
        if not items and task.get("predictions"):
            only_predictions += 1
        for kind, item in items:
            at = where.at(task=f"{where.task}, {kind} {item.get('id', '')}".rstrip())
            yield _record(item, kind, task["data"], text, text_key, at, annotator, labels, now, offsets, skipped)
    if offsets.converted:
        warn(f"{path}: {offsets.converted} span(s) had UTF-16 offsets (Label Studio before 1.4); converted to code points.")
    if skipped:
        warn(f"{path}: results not imported: {', '.join(f'{k} ({v})' for k, v in skipped.most_common())}.")
    if only_predictions:
        warn(f"{path}: {only_predictions} task(s) have only predictions; pass source='predictions' to import them.")


def _annotator(item: Mapping[str, Any], kind: str) -> str | None:
    user = item.get("completed_by")
    if isinstance(user, dict):
        user = user.get("email") or user.get("id")
    if isinstance(user, int) and not isinstance(user, bool):
        return f"label-studio-user-{user}"
    if isinstance(user, str) and user:
        return user
    return str(item["model_version"]) if kind == "prediction" and item.get("model_version") else None


def _timestamp(block: Mapping[str, Any], item: Mapping[str, Any]) -> str | None:
    for value in (block.get("timestamp"), item.get("created_at"), item.get("updated_at")):
        if isinstance(value, str) and value:
            return value
        if epoch_to_iso(value):
            return epoch_to_iso(value)
    return None


def _record(
    item: Mapping[str, Any], kind: str, data: Mapping[str, Any], text: str, text_key: str, where: Where,
    annotator: str | None, labels: Collection[str] | None, now: str, offsets: _Offsets, skipped: Counter[str],
) -> Correction:
    results = item.get("result") or []
    if not isinstance(results, list):
        raise where.error("'result' must be a list.", "E402")
    regions: dict[str, tuple[int, int, list[str]]] = {}
    choices: dict[str, set[str]] = {}
    relations = []
    for res in results:
        rtype = res.get("type") if isinstance(res, dict) else None
        value = res.get("value") if isinstance(res, dict) else None
        if rtype == "relation":
            relations.append(res)
        elif rtype == "labels" and isinstance(value, dict):
            at = where.at(task=f"{where.task}, result {res.get('id')!r}")
            start, end = offsets(value, text, at)
            names = value.get("labels")
            if not isinstance(names, list) or not all(isinstance(x, str) for x in names):
                raise at.error("value.labels must be a list of label names.", "E402")
            regions[str(res.get("id", len(regions)))] = (start, end, names)
        elif rtype == "choices" and isinstance(value, dict):
            choices.setdefault(str(res.get("id")), set()).update(value.get("choices") or [])
        else:
            skipped[str(rtype)] += 1
    entities = [Entity(s, e, label) for s, e, names in regions.values() for label in names if label not in RESERVED]
    claims: dict[str, dict[str, Any]] = {}
    for rid, (s, e, names) in regions.items():
        if CLAIM in names:
            picked = choices.get(rid, set())
            claims[rid] = {"start": s, "end": e, "kind": next((k for k in CLAIM_KINDS if k in picked), "indirect"),
                           "hedged": "hedged" in picked, "negated": "negated" in picked, "parts": []}
    for rel in relations:
        ends = [rel.get("from_id"), rel.get("to_id")]
        claim_id = next((x for x in ends if x in claims), None)
        other = next((x for x in ends if x != claim_id and x in regions), None)
        role = next((r for r in LINKED if other is not None and r in regions[other][2]), None)
        if claim_id is None or role is None:
            skipped["relation"] += 1
            continue
        span = Span(regions[other][0], regions[other][1])
        field = LINKED[role][1]
        if field == "parts":
            claims[claim_id]["parts"].append(span)
        else:
            claims[claim_id][field] = span
    for claim in claims.values():
        claim["parts"] = tuple(sorted(claim["parts"], key=lambda p: (p.start, p.end)))
    block = item.get("toolkit") if isinstance(item.get("toolkit"), dict) else {}
    meta = block.get("meta") if "meta" in block else {k: v for k, v in data.items() if k not in (text_key, "doc_id")}
    answer = block.get("answer") or ("ignore" if item.get("was_cancelled") else "accept")
    extractor = block.get("extractor")
    return make_record(
        text=text,
        where=where,
        doc_id=data.get("doc_id"),
        annotator=annotator or block.get("annotator") or _annotator(item, kind) or "label-studio",
        timestamp=_timestamp(block, item) or now,
        answer=answer,
        entities=dedupe(entities, where),
        claims=[Claim(**c) for c in claims.values()],
        meta=meta,
        extractor=ExtractorInfo.from_dict(extractor) if extractor else None,
        labels=labels,
    )

"""Schemas 1 and 2 of a stored correction record, their validation and migration.

Schema 2 (the one written) adds to claims the kind ``mixed`` and the optional fields ``parts``
(the pieces of discontinuous content, in order, inside the claim's span), ``negated`` and
``speaker_name``; a schema 1 record is valid schema 2 with none of them, so migrating it
(:func:`migrate`) only changes its version number.

Every record is validated on write and on read; a problem raises ``SchemaError``
naming the file, line and field, and saying how to fix it. Only what is certain is checked
(types, offsets in range and non-empty, no overlapping entities, the text hash): a span that
cuts a token is kept as made and aligned where tokens are needed (:mod:`toolkit.extract.align`).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

from ..errors import SchemaError
from ..types import ANSWERS, CLAIM_KINDS, SCHEMA_VERSION, Correction, text_sha256

SUPPORTED_SCHEMAS = (1, 2)
REQUIRED = ("schema", "doc_id", "text", "text_sha256", "annotator", "timestamp", "answer", "entities", "claims")


def _fail(message: str, field: str, file: str | Path | None, line: int | None) -> SchemaError:
    return SchemaError(message, code="E201", file=file, line=line, field=field)


def _check_span(span: Any, text: str, field: str, file, line) -> tuple[int, int]:
    if not isinstance(span, Mapping):
        raise _fail("must be an object with integer 'start' and 'end'.", field, file, line)
    start, end = span.get("start"), span.get("end")
    if type(start) is not int or type(end) is not int:
        raise _fail(f"'start' and 'end' must be integers, got {start!r} and {end!r}.", field, file, line)
    if not 0 <= start < end <= len(text):
        raise _fail(
            f"offsets {start}-{end} are outside the text (length {len(text)}) or empty; offsets are "
            "character positions with the end exclusive.",
            field,
            file,
            line,
        )
    # a span may cut a token (other tools, other tokenizers, typos in the text): nothing false is
    # recorded, and training and the token-based exports align it (toolkit.extract.align)
    return start, end


def _check_parts(parts: Any, start: int, end: int, text: str, field: str, file, line) -> None:
    """``parts``: absent (or empty), or two or more spans in order, not overlapping, inside the
    claim's ``[start, end)``, the first starting at ``start`` and the last ending at ``end``."""
    if parts is None or parts == []:
        return
    if not isinstance(parts, list):
        raise _fail("'parts' must be a list of {start, end} objects (the pieces of the content, in order).", field, file, line)
    if len(parts) == 1:
        raise _fail(
            "'parts' holds one piece: a claim in one piece has no 'parts' (drop the field), a discontinuous one two or more.",
            f"{field}.parts", file, line,
        )  # fmt: skip
    previous_end = start
    for k, piece in enumerate(parts):
        p_start, p_end = _check_span(piece, text, f"{field}.parts[{k}]", file, line)
        if p_start < previous_end or p_end > end:
            raise _fail(
                f"parts[{k}] ({p_start}-{p_end}) must lie inside the claim ({start}-{end}), after the part before it.",
                f"{field}.parts",
                file,
                line,
            )
        previous_end = p_end
    first, last = parts[0]["start"], parts[-1]["end"]
    if first != start or last != end:
        raise _fail(
            f"the parts run {first}-{last} but the claim {start}-{end}: the first piece starts the content and the last ends it.",
            f"{field}.parts", file, line,
        )  # fmt: skip


#: claim fields that schema 1 does not have
SCHEMA_2_FIELDS = ("parts", "negated", "speaker_name")


def _check_schema_1(claim: Mapping[str, Any], field: str, file, line) -> None:
    """A schema 1 claim uses no field or kind of schema 2 (a record that does says schema 2)."""
    used = [name for name in SCHEMA_2_FIELDS if claim.get(name) not in (None, False, [])]
    if claim.get("kind") == "mixed":
        used.insert(0, "kind 'mixed'")
    if used:
        raise _fail(
            f"uses {', '.join(used)}, which schema 1 does not have: set \"schema\": 2 on the record "
            "(the toolkit writes it so whenever a claim needs it).",
            field, file, line,
        )  # fmt: skip


def migrate(data: Mapping[str, Any]) -> dict[str, Any]:
    """A record of a supported schema as the current one (schema 1 -> 2: the version number)."""
    return {**data, "schema": SCHEMA_VERSION}


def validate_record(data: Any, *, file: str | Path | None = None, line: int | None = None) -> Correction:
    """Check one record against its schema (1 or 2) and return it as a Correction (of schema 2)."""
    if not isinstance(data, Mapping):
        raise _fail("a record must be a JSON object.", "(record)", file, line)
    for name in REQUIRED:
        if name not in data:
            raise _fail(f"the required field is missing; a record needs {', '.join(REQUIRED)}.", name, file, line)
    if data["schema"] not in SUPPORTED_SCHEMAS:
        raise _fail(
            f"unknown schema version {data['schema']!r}; this toolkit reads versions {list(SUPPORTED_SCHEMAS)}. "
            "Upgrade toolkit to read newer records.",
            "schema",
            file,
            line,
        )
    for name in ("doc_id", "text", "annotator", "timestamp", "text_sha256"):
        if not isinstance(data[name], str) or (name != "text" and not data[name]):
            raise _fail(f"must be a non-empty string, got {data[name]!r}.", name, file, line)
    text = data["text"]
    if data["text_sha256"] != text_sha256(text):
        raise _fail("does not match the SHA-256 of 'text': the text was changed after the record was made.", "text_sha256", file, line)
    if data["answer"] not in ANSWERS:
        raise _fail(f"must be one of {', '.join(ANSWERS)}, got {data['answer']!r}.", "answer", file, line)
    if not isinstance(data["entities"], list):
        raise _fail("must be a list of {start, end, label} objects.", "entities", file, line)
    spans = []
    for i, entity in enumerate(data["entities"]):
        field = f"entities[{i}]"
        start, end = _check_span(entity, text, field, file, line)
        if not isinstance(entity.get("label"), str) or not entity["label"]:
            raise _fail("needs a non-empty string 'label'.", field, file, line)
        spans.append((start, end, i))
    spans.sort()
    for (s1, e1, i1), (s2, e2, i2) in zip(spans, spans[1:]):
        if s2 < e1:
            raise _fail(
                f"entities[{i1}] ({s1}-{e1}) and entities[{i2}] ({s2}-{e2}) overlap; remove one or fix their boundaries.",
                "entities",
                file,
                line,
            )
    if not isinstance(data["claims"], list):
        raise _fail("must be a list of claim objects.", "claims", file, line)
    for i, claim in enumerate(data["claims"]):
        field = f"claims[{i}]"
        start, end = _check_span(claim, text, field, file, line)
        if claim.get("kind") not in CLAIM_KINDS:
            raise _fail(f"'kind' must be one of {', '.join(CLAIM_KINDS)}, got {claim.get('kind')!r}.", field, file, line)
        for flag in ("hedged", "negated"):
            if not isinstance(claim.get(flag, False), bool) or (flag == "hedged" and flag not in claim):
                raise _fail(f"'{flag}' must be true or false, got {claim.get(flag)!r}.", field, file, line)
        for part in ("speaker", "cue", "speaker_name"):
            if claim.get(part) is not None:
                _check_span(claim[part], text, f"{field}.{part}", file, line)
        _check_parts(claim.get("parts"), start, end, text, field, file, line)
        if data["schema"] == 1:
            _check_schema_1(claim, field, file, line)
    if data.get("extractor") is not None and not isinstance(data["extractor"], Mapping):
        raise _fail("must be an object {name, version} or null.", "extractor", file, line)
    if not isinstance(data.get("meta", {}), Mapping):
        raise _fail("must be an object.", "meta", file, line)
    return Correction.from_dict(data)

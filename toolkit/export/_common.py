"""Plumbing shared by the format modules: locations in errors, JSON readers, token
alignment, record building with validation, stable hashes.

Every importer builds its records with :func:`make_record`, so the checks (offsets
inside the text, known labels, answers) and their messages are the same for all formats.
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any, Collection, Iterable, Iterator, Literal, Mapping, Sequence

from spacy.language import Language
from spacy.tokens import Doc

from ..extract.align import Aligner
from ..errors import FormatError, warn
from ..extract.tokenizer import blank_english
from ..types import ANSWERS, CLAIM_KINDS, Claim, Correction, Document, Entity, ExtractorInfo, content_id

Misaligned = Literal["expand", "contract", "error"]
"""How a span that cuts a token is exported: widened, narrowed (both with a warning) or refused."""
"""What an exporter does with a span that does not start and end on token boundaries:
``error`` (the default) refuses with a FormatError; ``expand`` widens it to whole tokens and warns."""


@dataclass(frozen=True)
class Where:
    """Where a problem is: a file, a 1-based line, and a task description such as ``task 3``."""

    file: str | Path | None = None
    line: int | None = None
    task: str | None = None

    def error(self, message: str, code: str) -> FormatError:
        prefix = f"{self.task}: " if self.task else ""
        return FormatError(prefix + message, code=code, file=self.file, line=self.line)

    def at(self, *, line: int | None = None, task: str | None = None) -> "Where":
        return Where(self.file, line if line is not None else self.line, task if task is not None else self.task)


# ---------------------------------------------------------------- reading files


def read_json_lines(path: str | Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield ``(line_number, object)`` for each non-blank line of a JSONL file, lazily.

    Raises:
        FormatError: E401 naming the file and line when a line is not one JSON object.
    """
    path = Path(path)
    with path.open("r", encoding="utf-8-sig", newline="") as handle:
        for line_no, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line.rstrip("\r\n"))
            except json.JSONDecodeError as err:
                raise FormatError(
                    f"malformed JSON ({err.msg} at column {err.colno}). Each line must be one complete JSON "
                    "object; fix or remove this line.",
                    code="E401",
                    file=path,
                    line=line_no,
                ) from None
            if not isinstance(obj, dict):
                raise FormatError(
                    f"expected a JSON object (a task), got {type(obj).__name__}. Each line must be one task.",
                    code="E401",
                    file=path,
                    line=line_no,
                )
            yield line_no, obj


def load_json(path: str | Path) -> Any:
    """A whole JSON file; a FormatError (E401) with the line of the syntax error otherwise."""
    path = Path(path)
    try:
        with path.open("r", encoding="utf-8-sig") as handle:
            return json.load(handle)
    except json.JSONDecodeError as err:
        raise FormatError(
            f"malformed JSON ({err.msg} at column {err.colno}). The file must be one JSON document.",
            code="E401",
            file=path,
            line=err.lineno,
        ) from None


def write_json_lines(path: str | Path, objects: Iterable[Mapping[str, Any]]) -> int:
    """Write one compact JSON object a line (UTF-8 as is); returns how many were written."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        for obj in objects:
            handle.write(json.dumps(obj, ensure_ascii=False, separators=(",", ":")))
            handle.write("\n")
            count += 1
    return count


# ---------------------------------------------------------------- records in


def filter_records(records: Iterable[Correction], *, answer: str | None, annotator: str | None) -> Iterator[Correction]:
    """The records with the given answer and annotator (None: any)."""
    for record in records:
        if answer is not None and record.answer != answer:
            continue
        if annotator is not None and record.annotator != annotator:
            continue
        yield record


def get_int(data: Mapping[str, Any], key: str, where: Where, what: str = "span") -> int:
    """``data[key]`` as an int, or a FormatError (E402) naming the field."""
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, int):
        raise where.error(f"{what} field '{key}' must be an integer offset, got {value!r}. Fix the {what}.", "E402")
    return value


def make_record(
    *,
    text: Any,
    where: Where,
    annotator: str,
    timestamp: str,
    doc_id: str | None = None,
    answer: str = "accept",
    entities: Iterable[Entity] = (),
    claims: Iterable[Claim] = (),
    meta: Mapping[str, Any] | None = None,
    extractor: ExtractorInfo | None = None,
    labels: Collection[str] | None = None,
) -> Correction:
    """A validated Correction built from imported parts.

    Checks that the text is a string, every span lies inside it with ``start < end``, the
    answer is one of accept/reject/ignore, claim kinds are direct/indirect/mixed, a claim's
    parts lie in order, without overlapping, inside its ``[start, end)``, and, when ``labels``
    is given, that every entity label is one of them.

    Raises:
        FormatError: E402 (bad field or offsets) or E403 (unknown label), naming ``where``.
    """
    entities, claims = list(entities), list(claims)  # Correction.create sorts by offsets, keeping file order on ties
    check_record(text, answer, entities, claims, where, labels=labels)
    doc = Document(id=doc_id if doc_id else content_id(text), text=text)
    return Correction.create(
        doc,
        annotator=annotator,
        answer=answer,  # type: ignore[arg-type]
        entities=entities,
        claims=claims,
        extractor=extractor,
        meta=dict(meta or {}),
        timestamp=timestamp,
    )


def check_record(
    text: Any,
    answer: str,
    entities: Sequence[Entity],
    claims: Sequence[Claim],
    where: Where,
    *,
    labels: Collection[str] | None = None,
) -> None:
    """Raise FormatError unless the parts make a valid record (see :func:`make_record`)."""
    if not isinstance(text, str):
        raise where.error(f"the task has no text (got {type(text).__name__}). Every task needs a 'text' string.", "E402")
    if answer not in ANSWERS:
        raise where.error(f"answer {answer!r} is not one of {', '.join(ANSWERS)}. Fix the answer.", "E402")
    for ent in entities:
        check_offsets(ent.start, ent.end, len(text), where, f"entity {ent.label!r}")
        if labels is not None and ent.label not in labels:
            raise where.error(
                f"unknown label {ent.label!r} on {text[ent.start:ent.end]!r} [{ent.start}, {ent.end}); "
                f"expected one of: {', '.join(sorted(labels))}. Add it to --labels or relabel the span.",
                "E403",
            )
    for claim in claims:
        check_offsets(claim.start, claim.end, len(text), where, "claim")
        if claim.kind not in CLAIM_KINDS:
            raise where.error(f"claim kind {claim.kind!r} is not one of {', '.join(CLAIM_KINDS)}.", "E402")
        for part, span in (("speaker", claim.speaker), ("cue", claim.cue), ("speaker_name", claim.speaker_name)):
            if span is not None:
                check_offsets(span.start, span.end, len(text), where, f"claim {part}")
        previous_end = claim.start
        for k, piece in enumerate(claim.parts):
            check_offsets(piece.start, piece.end, len(text), where, f"claim part {k}")
            if piece.start < previous_end or piece.end > claim.end:
                raise where.error(
                    f"claim [{claim.start}, {claim.end}) part {k} [{piece.start}, {piece.end}) must lie inside the claim, "
                    "after the part before it (parts are the pieces of the content, in order). Fix the part.",
                    "E402",
                )
            previous_end = piece.end


def check_offsets(start: int, end: int, length: int, where: Where, what: str) -> None:
    if not (0 <= start < end <= length):
        raise where.error(
            f"{what} offsets [{start}, {end}) are not inside the text (length {length}) or are empty. "
            "Offsets are Python str indices (code points), end exclusive; fix the span.",
            "E402",
        )


def check_no_overlap(entities: Sequence[Entity], text: str, where: Where, *, hint: str) -> None:
    """Raise FormatError E404 when two entities overlap (``hint`` says how to fix it)."""
    ordered = sorted(entities, key=lambda e: (e.start, e.end))
    for a, b in zip(ordered, ordered[1:]):
        if b.start < a.end:
            raise where.error(
                f"overlapping spans {text[a.start:a.end]!r} {a.label} [{a.start}, {a.end}) and "
                f"{text[b.start:b.end]!r} {b.label} [{b.start}, {b.end}). {hint}",
                "E404",
            )


def dedupe(entities: Sequence[Entity], where: Where) -> list[Entity]:
    """Drop exact duplicates (same offsets and label), warning with their number."""
    seen: dict[tuple[int, int, str], Entity] = {}
    for ent in entities:
        seen.setdefault((ent.start, ent.end, ent.label), ent)
    dropped = len(entities) - len(seen)
    if dropped:
        location = ", ".join(str(x) for x in (where.file, f"line {where.line}" if where.line else None, where.task) if x)
        warn(f"{location}: {dropped} duplicate span(s) (same offsets and label) kept once.")
    return list(seen.values())


def fixed_now() -> str:
    """The time of an import, used as the timestamp of records whose file has none."""
    return datetime.now(timezone.utc).isoformat()


def epoch_to_iso(value: Any) -> str | None:
    """A Unix time (seconds) as ISO 8601 UTC, None for anything else."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return datetime.fromtimestamp(value, timezone.utc).isoformat()


# ---------------------------------------------------------------- tokens


@lru_cache(maxsize=1)
def tokenizer() -> Language:
    """The project's tokenizer (``blank_english()``), built once."""
    return blank_english()


def tokenize(text: str) -> Doc:
    return tokenizer().make_doc(text)


SEGMENTATION_KEY = "segmentation"
"""Record meta key set by the CoNLL importer: ``"lines"`` (tokens are separated by single spaces and
sentences by newlines) or ``"spaces"`` (tokens separated by spaces). Exporters then reuse those
tokens instead of re-tokenizing, so a CoNLL file comes back with its own tokens."""


def record_doc(record: Correction) -> Doc:
    """The tokens to export ``record`` with.

    The toolkit tokenizer's, except for records imported from CoNLL (``meta["segmentation"]``),
    whose own space-separated tokens are kept as long as every span still starts and ends on them.
    """
    if record.meta.get(SEGMENTATION_KEY) not in ("lines", "spaces"):
        return tokenize(record.text)
    words: list[str] = []
    spaces: list[bool] = []
    for piece in re.split(r"(\n)", record.text):
        if piece == "\n":
            words.append("\n")
            spaces.append(False)
            continue
        for word in piece.split(" "):
            words.append(word)
            spaces.append(True)
        if spaces:
            spaces[-1] = False
    doc = Doc(tokenizer().vocab, words=words, spaces=spaces) if "" not in words else None
    spans = [(e.start, e.end) for e in record.entities] + [(c.start, c.end) for c in record.claims]
    spans += [(p.start, p.end) for c in record.claims for p in (c.speaker, c.cue, c.speaker_name, *c.parts) if p is not None]
    if doc is None or doc.text != record.text or any(doc.char_span(s, e) is None for s, e in spans):
        return tokenize(record.text)
    return doc


def aligner(doc: Doc, record: Correction, misaligned: Misaligned) -> Aligner:
    """The :class:`~toolkit.extract.align.Aligner` of one record's spans on ``doc``
    (``misaligned="error"`` is its ``strict`` mode); call ``.report()`` when the record is done."""
    return Aligner(doc, doc_id=record.doc_id, mode="strict" if misaligned == "error" else misaligned)


def align(snap: Aligner, start: int, end: int, *, what: str) -> tuple[int, int, int, int]:
    """``(start_char, end_char, token_start, token_end_exclusive)`` of a span on the tokens.

    A span that does not start and end on token boundaries is widened (``misaligned="expand"``,
    the default) or narrowed (``"contract"``) to whole tokens, with one warning per document
    (``snap.report()``), or raises FormatError E406 (``"error"``); it is never shifted silently.
    """
    doc = snap.doc
    if not 0 <= start < end <= len(doc.text):
        raise FormatError(f"document {snap.doc_id!r}: {what} [{start}, {end}) is empty or outside the text.", code="E406")
    span = snap.span(start, end, what=what)
    if span is not None:
        return span.start_char, span.end_char, span.start, span.end
    wide = doc.char_span(start, end, alignment_mode="expand")
    nearest = f"; the nearest whole tokens are {wide.text!r} [{wide.start_char}, {wide.end_char})" if wide is not None else ""
    raise FormatError(
        f"document {snap.doc_id!r}: {what} {doc.text[start:end]!r} [{start}, {end}) does not start and end on token "
        f"boundaries of the toolkit tokenizer (blank_english()){nearest}. Fix the span in the workbench, or export "
        "with misaligned='expand' (the default) to widen such spans to whole tokens.",
        code="E406",
    )


def map_label(raw: Any, label_names: Mapping[Any, str] | None) -> Any:
    """``raw`` renamed by ``label_names`` (looked up as given, as a string and as an int)."""
    if label_names is None:
        return raw
    for key in (raw, str(raw), int(raw) if isinstance(raw, str) and raw.isdigit() else None):
        if key is not None and key in label_names:
            return label_names[key]
    return raw


def stable_hash(*parts: str) -> int:
    """A signed 32-bit int from the SHA-256 of ``parts`` (stable across runs and machines)."""
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).digest()
    return int.from_bytes(digest[:4], "big", signed=True)

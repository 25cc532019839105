"""Plain typed records that cross module boundaries.

Offsets are character offsets into ``Document.text`` (Python ``str`` indices, i.e.
Unicode code points), end exclusive, everywhere. Every record has ``to_dict`` and
``from_dict`` so that it round-trips through JSON.
"""
from __future__ import annotations

import hashlib
from datetime import datetime, timezone
from dataclasses import dataclass, field, replace
from typing import Any, Literal, Mapping

ClaimKind = Literal["direct", "indirect", "mixed"]
Answer = Literal["accept", "reject", "ignore"]
CLAIM_KINDS: tuple[str, ...] = ("direct", "indirect", "mixed")
ANSWERS: tuple[str, ...] = ("accept", "reject", "ignore")
ENTITY_LABELS: tuple[str, ...] = ("PERSON", "ORG", "GPE", "LOC", "NORP", "DATE", "EVENT")


def text_sha256(text: str) -> str:
    """The hex SHA-256 of a text encoded as UTF-8 (used to detect drift)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def utc_now() -> str:
    """The current time as ISO 8601 in UTC, e.g. ``2026-11-22T10:15:30.123456+00:00``."""
    return datetime.now(timezone.utc).isoformat()


def content_id(text: str) -> str:
    """A stable id for a document without one: the first 16 hex digits of its SHA-256."""
    return text_sha256(text)[:16]


@dataclass(frozen=True)
class Document:
    """One document of a corpus.

    Attributes:
        id: a stable identifier (file stem, a column, or a content hash).
        text: the text that all offsets refer to.
        date: ISO date ``YYYY-MM-DD`` if known.
        source: where it came from (a file path, a URL, a feed name).
        meta: any other fields, JSON-serialisable.
    """

    id: str
    text: str
    date: str | None = None
    source: str | None = None
    meta: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "text": self.text, "date": self.date, "source": self.source, "meta": dict(self.meta)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Document":
        return cls(
            id=str(data["id"]),
            text=data["text"],
            date=data.get("date"),
            source=data.get("source"),
            meta=dict(data.get("meta") or {}),
        )


@dataclass(frozen=True)
class Span:
    """A bare character span ``[start, end)``, used for a claim's speaker and cue."""

    start: int
    end: int

    def text(self, text: str) -> str:
        return text[self.start : self.end]

    def shifted(self, offset: int) -> "Span":
        """The same span ``offset`` characters later (a window's offsets -> its document's)."""
        return replace(self, start=self.start + offset, end=self.end + offset)

    def to_dict(self, text: str | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {"start": self.start, "end": self.end}
        if text is not None:
            out["text"] = text[self.start : self.end]
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> "Span | None":
        if data is None:
            return None
        return cls(int(data["start"]), int(data["end"]))


@dataclass(frozen=True)
class Entity:
    """A named entity mention.

    Attributes:
        start, end: character offsets, end exclusive.
        label: PERSON, ORG, GPE, LOC, NORP, DATE, EVENT or a user label.
        origin: who produced it: ``rules``, ``model``, ``patterns``, ``override``, ``correction``, ...
        score: a confidence in [0, 1] where the producer gives one.
    """

    start: int
    end: int
    label: str
    origin: str = "rules"
    score: float | None = None

    def text(self, text: str) -> str:
        return text[self.start : self.end]

    shifted = Span.shifted

    def to_dict(self, text: str | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {"start": self.start, "end": self.end, "label": self.label}
        if text is not None:
            out["text"] = text[self.start : self.end]
        out["origin"] = self.origin
        if self.score is not None:
            out["score"] = self.score
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, origin: str | None = None) -> "Entity":
        return cls(
            start=int(data["start"]),
            end=int(data["end"]),
            label=str(data["label"]),
            origin=origin or data.get("origin") or "rules",
            score=data.get("score"),
        )


@dataclass(frozen=True)
class Claim:
    """An attributed statement.

    Attributes:
        start, end: the content span (what was said), end exclusive. For a direct
            quote the content excludes the quote marks; for content in pieces it covers
            them all, from the first piece's start to the last piece's end.
        speaker: the span of who said it as written there (a pronoun stays a pronoun), or
            None when unattributed.
        cue: the span of the attribution cue (said, told, according to, citing...), or None.
        kind: ``direct`` (quoted), ``indirect`` (reported speech) or ``mixed`` (reported
            speech with quoted fragments: ``said it would expand at a "modest pace"``).
        hedged: True when words such as reportedly, possibly, could, might qualify it.
        origin: who produced it (``rules``, ``syntax``, ``model``, ``override``, ``correction``...).
        score: a confidence in [0, 1] where the producer gives one.
        parts: the pieces of discontinuous content, in order, inside ``[start, end)``
            (a quote split around its attribution: ``"A," X said, "B."`` has parts A and
            B); empty when the content is one piece.
        negated: True for a negated attribution (``did not say that ...``, ``denied that ...``
            is not negated: the denial is the claim).
        speaker_name: the nearest named mention of the speaker where one is clear (the
            full name of ``he`` or of a surname), so that claims can be grouped by person;
            None where there is none or it is the speaker itself unresolved.
    """

    start: int
    end: int
    kind: ClaimKind = "indirect"
    hedged: bool = False
    speaker: Span | None = None
    cue: Span | None = None
    origin: str = "rules"
    score: float | None = None
    parts: tuple[Span, ...] = ()
    negated: bool = False
    speaker_name: Span | None = None

    def text(self, text: str) -> str:
        return text[self.start : self.end]

    def part_spans(self) -> tuple[Span, ...]:
        """The pieces of the content: :attr:`parts`, or the one span ``[start, end)``."""
        return self.parts or (Span(self.start, self.end),)

    def shifted(self, offset: int) -> "Claim":
        """The same claim (content, parts, speaker, cue) ``offset`` characters later."""

        def move(span: Span | None) -> Span | None:
            return span.shifted(offset) if span else None

        return replace(
            self,
            start=self.start + offset,
            end=self.end + offset,
            speaker=move(self.speaker),
            cue=move(self.cue),
            parts=tuple(p.shifted(offset) for p in self.parts),
            speaker_name=move(self.speaker_name),
        )

    def to_dict(self, text: str | None = None) -> dict[str, Any]:
        """The claim as JSON; ``parts``, ``negated`` and ``speaker_name`` (schema 2) only when set."""
        out: dict[str, Any] = {"start": self.start, "end": self.end}
        if text is not None:
            out["text"] = text[self.start : self.end]
        out.update(
            {
                "kind": self.kind,
                "hedged": self.hedged,
                "speaker": self.speaker.to_dict(text) if self.speaker else None,
                "cue": self.cue.to_dict(text) if self.cue else None,
                "origin": self.origin,
            }
        )
        if self.score is not None:
            out["score"] = self.score
        if self.parts:
            out["parts"] = [p.to_dict(text) for p in self.parts]
        if self.negated:
            out["negated"] = True
        if self.speaker_name is not None:
            out["speaker_name"] = self.speaker_name.to_dict(text)
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, origin: str | None = None) -> "Claim":
        return cls(
            start=int(data["start"]),
            end=int(data["end"]),
            kind=data.get("kind", "indirect"),
            hedged=bool(data.get("hedged", False)),
            speaker=Span.from_dict(data.get("speaker")),
            cue=Span.from_dict(data.get("cue")),
            origin=origin or data.get("origin") or "rules",
            score=data.get("score"),
            parts=tuple(Span(int(p["start"]), int(p["end"])) for p in data.get("parts") or ()),
            negated=bool(data.get("negated", False)),
            speaker_name=Span.from_dict(data.get("speaker_name")),
        )


@dataclass(frozen=True)
class ExtractorInfo:
    """Name and version of what produced an extraction."""

    name: str
    version: str

    def to_dict(self) -> dict[str, str]:
        return {"name": self.name, "version": self.version}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> "ExtractorInfo":
        data = data or {}
        return cls(str(data.get("name", "unknown")), str(data.get("version", "unknown")))


@dataclass(frozen=True)
class Extraction:
    """A document with the entities and claims found in it."""

    doc: Document
    entities: tuple[Entity, ...] = ()
    claims: tuple[Claim, ...] = ()
    extractor: ExtractorInfo = ExtractorInfo("toolkit", "0")

    @property
    def id(self) -> str:
        return self.doc.id

    def to_dict(self) -> dict[str, Any]:
        """The CLI's output record: ``{"id","date","text","entities","claims","extractor",...}``."""
        text = self.doc.text
        return {
            "id": self.doc.id,
            "date": self.doc.date,
            "source": self.doc.source,
            "text": text,
            "entities": [e.to_dict(text) for e in self.entities],
            "claims": [c.to_dict(text) for c in self.claims],
            "extractor": self.extractor.to_dict(),
            "meta": dict(self.doc.meta),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Extraction":
        doc = Document.from_dict(data)
        return cls(
            doc=doc,
            entities=tuple(Entity.from_dict(e) for e in data.get("entities", ())),
            claims=tuple(Claim.from_dict(c) for c in data.get("claims", ())),
            extractor=ExtractorInfo.from_dict(data.get("extractor")),
        )

    def replace(self, **changes: Any) -> "Extraction":
        return replace(self, **changes)


SCHEMA_VERSION = 2
"""The version of a stored correction record that new records get. 2 added to claims the kind
``mixed``, ``parts``, ``negated`` and ``speaker_name``, all optional; a record of schema 1 reads as
it is, is written back as 1 while it uses none of them, and as 2 once it does
(see :func:`toolkit.store.records.migrate`)."""


def _span_key(item: Entity | Claim) -> tuple[int, int]:
    return (item.start, item.end)


# What a Correction does not store of its entities and claims: their origin (``correction``
# once read back) and score (None).
_NOT_STORED = ("origin", "score")


def _schema_needed(claims: tuple[Claim, ...]) -> int:
    """The oldest schema that holds ``claims``: 2 if one is ``mixed`` or has parts, a negation
    or a speaker name, else 1 (so a schema 1 record read and written back is unchanged)."""
    return 2 if any(c.kind == "mixed" or c.parts or c.negated or c.speaker_name for c in claims) else 1


def _stored(item: Entity | Claim) -> dict[str, Any]:
    """``item.to_dict()`` without the keys of :data:`_NOT_STORED`."""
    out = item.to_dict()
    for key in _NOT_STORED:
        out.pop(key, None)
    return out


@dataclass(frozen=True)
class Correction:
    """One stored record: the complete corrected annotation of one document by one
    annotator at one time (snapshot semantics). See the README for the JSON schema.
    """

    doc_id: str
    text: str
    annotator: str
    timestamp: str
    answer: Answer = "accept"
    entities: tuple[Entity, ...] = ()
    claims: tuple[Claim, ...] = ()
    extractor: ExtractorInfo | None = None
    meta: Mapping[str, Any] = field(default_factory=dict)
    text_sha256: str = ""
    schema: int = SCHEMA_VERSION

    def __post_init__(self) -> None:
        if not self.text_sha256:
            object.__setattr__(self, "text_sha256", text_sha256(self.text))

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": max(self.schema, _schema_needed(self.claims)),
            "doc_id": self.doc_id,
            "text": self.text,
            "text_sha256": self.text_sha256,
            "annotator": self.annotator,
            "timestamp": self.timestamp,
            "answer": self.answer,
            "entities": [_stored(e) for e in self.entities],
            "claims": [_stored(c) for c in self.claims],
            "extractor": self.extractor.to_dict() if self.extractor else None,
            "meta": dict(self.meta),
        }

    @classmethod
    def create(
        cls,
        doc: Document,
        *,
        annotator: str,
        answer: Answer = "accept",
        entities: tuple[Entity, ...] | list[Entity] = (),
        claims: tuple[Claim, ...] | list[Claim] = (),
        extractor: ExtractorInfo | None = None,
        meta: Mapping[str, Any] | None = None,
        timestamp: str | None = None,
    ) -> "Correction":
        """A new record for ``doc``, stamped now (UTC) unless ``timestamp`` is given."""
        return cls(
            doc_id=doc.id,
            text=doc.text,
            annotator=annotator,
            timestamp=timestamp or utc_now(),
            answer=answer,
            entities=tuple(sorted((replace(e, origin="correction", score=None) for e in entities), key=_span_key)),
            claims=tuple(sorted((replace(c, origin="correction", score=None) for c in claims), key=_span_key)),
            extractor=extractor,
            meta=dict(meta or {}),
        )

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Correction":
        """Build from a dict without validation (see ``toolkit.store.records.validate``)."""
        return cls(
            schema=int(data.get("schema", SCHEMA_VERSION)),
            doc_id=str(data["doc_id"]),
            text=data["text"],
            text_sha256=data.get("text_sha256") or "",
            annotator=str(data["annotator"]),
            timestamp=str(data["timestamp"]),
            answer=data.get("answer", "accept"),
            entities=tuple(Entity.from_dict(e, origin="correction") for e in data.get("entities", ())),
            claims=tuple(Claim.from_dict(c, origin="correction") for c in data.get("claims", ())),
            extractor=ExtractorInfo.from_dict(data["extractor"]) if data.get("extractor") else None,
            meta=dict(data.get("meta") or {}),
        )

    def to_extraction(self, doc: Document | None = None, *, origin: str = "override") -> Extraction:
        """The corrected annotation as an Extraction (entities and claims marked with ``origin``)."""
        doc = doc or Document(id=self.doc_id, text=self.text)
        return Extraction(
            doc=doc,
            entities=tuple(replace(e, origin=origin, score=None) for e in self.entities),
            claims=tuple(replace(c, origin=origin, score=None) for c in self.claims),
            extractor=self.extractor or ExtractorInfo("toolkit", "0"),
        )

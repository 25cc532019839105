"""Learned entity patterns and suppressions: corrections that generalise at once.

Two spaCy components, both registered factories that save their data with the pipeline:

- ``toolkit_learned_patterns``: exact phrase patterns (text -> label) from entity texts
  that annotators added or relabelled. They overwrite what a statistical model found at
  the same place and run before the rules (origin ``patterns``), except inside a longer entity
  (``Wise`` does not cut ``Bob Wise``).
- ``toolkit_suppress``: (text, label) pairs that annotators removed where the model or
  the rules had found them. Matching entities from the model or rules are dropped
  everywhere (learned patterns and overrides are never suppressed).
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterable

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from ..extract.settings import CFG, Part, Serialized
from ..extract.spans import BatchPipe, add_entities, origin_of

PATTERNS = "patterns"  # saved as patterns.jsonl (with a cfg)
SUPPRESS = "suppress"  # saved as suppress.jsonl


class LearnedPatterns(BatchPipe, Serialized):
    """Exact, case-sensitive phrase patterns ``{"label", "pattern"}`` applied to every doc; a
    match inside a longer entity already on the doc leaves that entity as it is."""

    def __init__(self, nlp: Language, name: str = "toolkit_learned_patterns", *, overwrite: bool = True) -> None:
        self.nlp = nlp
        self.name = name
        self.overwrite = overwrite
        self.patterns: list[dict[str, str]] = []
        self.matcher = PhraseMatcher(nlp.vocab, attr="ORTH")

    def add_patterns(self, patterns: Iterable[dict[str, str]]) -> None:
        """Add ``{"label": ..., "pattern": ...}`` phrase patterns (Prodigy's pattern shape)."""
        for pattern in patterns:
            self.patterns.append({"label": pattern["label"], "pattern": pattern["pattern"]})
            self.matcher.add(pattern["label"], [self.nlp.make_doc(pattern["pattern"])])

    def __call__(self, doc: Doc) -> Doc:
        if not self.patterns:
            return doc
        ents = doc.ents
        spans = [
            Span(doc, start, end, label=match_id, span_id="patterns")
            for match_id, start, end in self.matcher(doc)
            if not any(e.start <= start and end <= e.end and e.end - e.start > end - start for e in ents)
        ]
        add_entities(doc, spans, overwrite=self.overwrite)
        return doc

    def _parts(self) -> dict[str, Part]:
        return {
            CFG: Part(lambda: {"overwrite": self.overwrite}, self._set_cfg),
            PATTERNS: Part(lambda: self.patterns, self._set_patterns),
        }

    def _set_cfg(self, cfg: dict[str, bool], _file: Path | None) -> None:
        self.overwrite = cfg.get("overwrite", True)

    def _set_patterns(self, patterns: Iterable[dict[str, str]], _file: Path | None) -> None:
        self.patterns = []
        self.matcher = PhraseMatcher(self.nlp.vocab, attr="ORTH")
        self.add_patterns(patterns)


class Suppress(BatchPipe, Serialized):
    """Removes model/rule entities whose exact (text, label) annotators rejected."""

    def __init__(self, name: str = "toolkit_suppress") -> None:
        self.name = name
        self.pairs: set[tuple[str, str]] = set()

    def add(self, pairs: Iterable[tuple[str, str]]) -> None:
        self.pairs.update((str(text), str(label)) for text, label in pairs)

    def __call__(self, doc: Doc) -> Doc:
        if not self.pairs:
            return doc
        kept = [
            ent
            for ent in doc.ents
            if origin_of(ent) not in {"model", "rules"} or (ent.text, ent.label_) not in self.pairs
        ]
        if len(kept) != len(doc.ents):
            doc.ents = kept
        return doc

    def _rows(self) -> list[dict[str, str]]:
        return [{"text": text, "label": label} for text, label in sorted(self.pairs)]

    def _parts(self) -> dict[str, Part]:
        return {SUPPRESS: Part(self._rows, self._set_rows)}

    def _set_rows(self, rows: Iterable[dict[str, str]], _file: Path | None) -> None:
        self.pairs = set()
        self.add((row["text"], row["label"]) for row in rows)

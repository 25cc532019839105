"""Corrections take effect at once: exact overrides plus learned patterns, suppressions and
claim cues (a verb annotators marked as a claim's cue where the pipeline found none, when the
reporting-verb lexicon lacks it, is read as a cue by ``toolkit_claim_syntax`` from then on).

Precedence, highest first: a document's own accepted correction (``override``) >
learned patterns (``patterns``) > a statistical model (``model``) > rules (``rules``).

Which record stands for a document, and when a record no longer fits its text, is the
store's policy (:mod:`toolkit.store.choice`). Only ``accept`` records override and teach;
``reject`` (the document is unusable) and ``ignore`` (skipped) do not.
"""
from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from pathlib import Path
from typing import Iterable

from spacy.language import Language
from spacy.matcher import PhraseMatcher

from ..errors import ModelError
from ..extract.claims.reporting import verbs
from ..extract.pipeline import CLAIM_SYNTAX, LEARNED_PATTERNS, SUPPRESS, place
from ..extract.spans import get_claims
from ..store.choice import choose_per_document, fits_text
from ..types import Correction, Document, Extraction, text_sha256
from .patterns import LearnedPatterns, Suppress

__all__ = ["CorrectionsAdapter", "choose_per_document", "learn_cues", "learn_from_differences", "open_annotations"]


class CorrectionsAdapter:
    """Connects a set of corrections to an :class:`~toolkit.extract.Extractor`.

    Args:
        records: corrections (e.g. ``Corrections("annotations/").records()``).
        learn_patterns: add learned patterns and suppressions to the pipeline.
    """

    def __init__(self, records: Iterable[Correction], *, learn_patterns: bool = True) -> None:
        chosen = choose_per_document(records)
        self.accepted = {doc_id: r for doc_id, r in sorted(chosen.items()) if r.answer == "accept"}
        self.by_sha = {r.text_sha256: r for r in self.accepted.values()}
        self.learn_patterns = learn_patterns
        digest = hashlib.sha256()
        for doc_id, record in self.accepted.items():
            digest.update(f"{doc_id}\0{record.text_sha256}\0{record.annotator}\0{record.timestamp}\n".encode())
        self.fingerprint = digest.hexdigest()[:12]
        self._drift_warned: set[str] = set()
        self.patterns: list[dict[str, str]] = []
        self.cues: list[str] = []  # reporting verbs learned from corrected claims
        self.suppressed: set[tuple[str, str]] = set()

    def __len__(self) -> int:
        return len(self.accepted)

    def lookup(self, doc: Document) -> Extraction | None:
        record = self.accepted.get(doc.id)
        sha = text_sha256(doc.text)
        if record is not None and not fits_text(record, sha, warn_drift=doc.id not in self._drift_warned):
            self._drift_warned.add(doc.id)  # once per document
            record = None
        if record is None:
            record = self.by_sha.get(sha)
        if record is None:
            return None
        return record.to_extraction(doc, origin="override")

    def configure(self, nlp: Language) -> None:
        """Learn patterns and suppressions by comparing ``nlp``'s predictions with the corrections,
        then add the two learned components to ``nlp``."""
        if not self.learn_patterns or not self.accepted:
            return
        records = list(self.accepted.values())
        docs = list(nlp.pipe(r.text for r in records))
        self.patterns, self.suppressed = learn_from_differences(nlp, records, docs=docs)
        if CLAIM_SYNTAX in nlp.pipe_names:
            syntax = nlp.get_pipe(CLAIM_SYNTAX)
            self.cues = learn_cues(records, docs, known=set(verbs(syntax.cfg["classes"])) | set(syntax.cfg.get("cues", ())))
            syntax.add_cues(self.cues)
        component = place(nlp, LEARNED_PATTERNS)
        assert isinstance(component, LearnedPatterns)
        component.add_patterns(self.patterns)
        suppress = place(nlp, SUPPRESS)
        assert isinstance(suppress, Suppress)
        suppress.add(self.suppressed)


def learn_cues(records: list[Correction], docs: list, *, known: set[str]) -> list[str]:
    """The verbs annotators marked as the cue of a claim the pipeline did not find there, whose
    lemma the reporting-verb lexicon lacks (``tweeted``, ``quipped``): read as cues from then on.
    ``docs``: the pipeline's analyses of the records' texts, in order."""
    learned: set[str] = set()
    for record, doc in zip(records, docs):
        found = [c.cue for c in get_claims(doc) if c.cue is not None]
        for claim in record.claims:
            cue = claim.cue
            if cue is None or any(f.start < cue.end and cue.start < f.end for f in found):
                continue
            span = doc.char_span(cue.start, cue.end, alignment_mode="expand")
            verbs_in = [t for t in span or () if t.pos_ in ("VERB", "AUX") and t.is_alpha]
            if verbs_in:
                lemma = verbs_in[-1].lemma_.lower()
                if lemma not in known:
                    learned.add(lemma)
    return sorted(learned)


def learn_from_differences(
    nlp: Language, records: Iterable[Correction], *, docs: list | None = None
) -> tuple[list[dict[str, str]], set[tuple[str, str]]]:
    """Entity texts annotators added or relabelled (-> patterns) and removed (-> suppressions).

    Runs ``nlp`` (as it is, before learned components) on each corrected text and compares
    its entities with the corrected ones. Each is kept only where it is right more often than
    wrong on the corrected documents themselves:

    - a suppression of a (text, label) the pipeline predicted: only when more of those
      predictions were removed than were right (kept, or added elsewhere), so a name the
      pipeline gets right nine times in ten is not suppressed for the tenth;
    - a pattern of a text annotators added: it is matched (exact tokens) over every corrected
      document as it would be on new text, and kept only when more than half of the matches
      are a corrected entity with that label, so a word that is mostly part of longer names
      (``League`` in ``Patriot League``) does not become one and cut them.

    Ties between labels for one text are broken by count, then alphabetically, so results are
    deterministic. ``docs``: ``nlp``'s analyses of the records' texts, in order.
    """
    records = list(records)
    docs = list(docs) if docs is not None else list(nlp.pipe(r.text for r in records))
    golds = [{(e.start, e.end, e.label) for e in record.entities} for record in records]
    right: Counter[tuple[str, str]] = Counter()
    removed: Counter[tuple[str, str]] = Counter()
    added: Counter[tuple[str, str]] = Counter()
    for record, doc, gold in zip(records, docs, golds):
        predicted = {(e.start_char, e.end_char, e.label_) for e in doc.ents}
        for start, end, label in predicted:
            (right if (start, end, label) in gold else removed)[(record.text[start:end], label)] += 1
        for start, end, label in gold - predicted:
            added[(record.text[start:end], label)] += 1
    suppressed = {pair for pair, count in removed.items() if count > right[pair] + added[pair]}
    labels_of: dict[str, set[str]] = defaultdict(set)
    for text, label in added:
        if text.strip():
            labels_of[text].add(label)
    candidates = sorted(labels_of)
    matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
    for text in candidates:
        matcher.add(text, [nlp.make_doc(text)])
    matches: Counter[str] = Counter()
    hits: Counter[tuple[str, str]] = Counter()
    for doc, gold in zip(docs, golds):
        for match_id, start, end in matcher(doc):
            text = nlp.vocab.strings[match_id]
            span = doc[start:end]
            matches[text] += 1
            for label in {g[2] for g in gold if g[0] == span.start_char and g[1] == span.end_char}:
                hits[(text, label)] += 1
    patterns = []
    for text in candidates:
        count, label = min((-hits[(text, label)], label) for label in labels_of[text])
        if -count * 2 > matches[text]:
            patterns.append({"label": label, "pattern": text})
    return patterns, suppressed


def open_annotations(path: Path, *, on_error: str = "raise") -> CorrectionsAdapter:
    """The adapter of the corrections at ``path`` (a directory or a ``.jsonl`` file); what
    ``toolkit.Extractor(annotations=PATH)`` opens (:func:`toolkit.api.open_annotations`).
    ``on_error`` is :class:`toolkit.Corrections`'s: ``"raise"`` or ``"skip"`` (bad lines warned about)."""
    from ..store import Corrections

    if not Path(path).exists():
        raise ModelError(
            f"annotations path '{path}' does not exist. Pass the corrections directory (e.g. annotations/) "
            "or a .jsonl file written by the annotation panel or `toolkit import`.",
            code="E311",
        )
    return CorrectionsAdapter(Corrections(path, on_error=on_error).records())

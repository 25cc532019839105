"""A learned claim component: token tagging of claim roles, merged with the claim rules.

``toolkit_claim_tagger`` is spaCy's Tagger architecture trained on BIO tags of three
roles, CONTENT, SPEAKER and CUE, derived from corrected claims. It writes nothing to
``token.tag_`` (so a user pipeline's POS tags are untouched). At prediction time it
turns each predicted CONTENT span that no rule claim covers into a Claim (origin
``model``), with the nearest predicted SPEAKER and CUE in the same or the previous
sentence. Rule claims always win where both found one.
"""
from __future__ import annotations

from itertools import islice
from typing import Iterable

from spacy.language import Language
from spacy.pipeline.tagger import DEFAULT_TAGGER_MODEL, Tagger
from spacy.tokens import Doc
from spacy.training import Example
from spacy.training.example import validate_examples
from thinc.api import Model, SequenceCategoricalCrossentropy

from ..extract.claims import HEDGES
from ..extract.spans import get_claims, set_claims
from ..types import Claim, Span

ROLES = ("CONTENT", "SPEAKER", "CUE")
TAGS = ("O",) + tuple(f"{prefix}-{role}" for role in ROLES for prefix in ("B", "I"))
ROLE_SPANS_KEY = "claim_roles"
QUOTES = "\"'“”‘’«»„"
HEDGE_WORDS = frozenset(HEDGES)


class ClaimTagger(Tagger):
    """Tags claim roles; see the module docstring."""

    def __init__(self, vocab, model: Model, name: str = "toolkit_claim_tagger", *, min_tokens: int = 3, merge: bool = True) -> None:
        super().__init__(vocab, model, name, overwrite=False)
        self.cfg["min_tokens"] = min_tokens
        self.cfg["merge"] = merge

    def gold_tags(self, example: Example) -> list[str | None]:
        """BIO role tags for the predicted tokens of ``example`` (None where unknown)."""
        tags: list[str | None] = ["O"] * len(example.x)
        spans = example.reference.spans.get(ROLE_SPANS_KEY, [])
        aligned = example.get_aligned_spans_y2x(spans, allow_overlap=True) if len(spans) else []
        # CONTENT first, so that a SPEAKER or CUE inside it takes precedence.
        for span in sorted(aligned, key=lambda s: ROLES.index(s.label_)):
            tags[span.start] = f"B-{span.label_}"
            for i in range(span.start + 1, span.end):
                tags[i] = f"I-{span.label_}"
        return tags

    def get_loss(self, examples: Iterable[Example], scores):
        validate_examples(examples, "ClaimTagger.get_loss")
        loss_func = SequenceCategoricalCrossentropy(names=self.labels, normalize=False)
        truths = [self.gold_tags(eg) for eg in examples]
        d_scores, loss = loss_func(scores, truths)
        return float(loss), d_scores

    def initialize(self, get_examples, *, nlp=None, labels=None) -> None:
        for tag in labels or TAGS:
            self.add_label(tag)
        docs, truths = [], []
        for example in islice(get_examples(), 10):
            docs.append(example.x)
            gold = self.gold_tags(example)
            truths.append(self.model.ops.asarray([[1.0 if t == g else 0.0 for t in self.labels] for g in gold], dtype="float32"))
        self.model.initialize(X=docs, Y=truths)

    def set_annotations(self, docs: Iterable[Doc], batch_tag_ids) -> None:
        labels = self.labels
        for doc, tag_ids in zip(docs, batch_tag_ids):
            if hasattr(tag_ids, "get"):
                tag_ids = tag_ids.get()
            tags = [labels[int(i)] for i in tag_ids]
            roles = decode_roles(tags)
            doc.spans[ROLE_SPANS_KEY] = [doc[s:e] for s, e, _ in roles]
            for span, (_, _, role) in zip(doc.spans[ROLE_SPANS_KEY], roles):
                span.label_ = role
            if self.cfg.get("merge", True):
                merge_claims(doc, roles, min_tokens=self.cfg.get("min_tokens", 3))


def decode_roles(tags: list[str]) -> list[tuple[int, int, str]]:
    """(start, end, role) token spans from BIO tags; an I- without B- starts a span."""
    spans: list[tuple[int, int, str]] = []
    current: list = []
    for i, tag in enumerate(tags + ["O"]):
        prefix, _, role = tag.partition("-")
        if current and (prefix != "I" or role != current[2]):
            spans.append((current[0], i, current[2]))
            current = []
        if prefix in ("B", "I") and not current:
            current = [i, i + 1, role]
    return spans


def merge_claims(doc: Doc, roles: list[tuple[int, int, str]], *, min_tokens: int = 3) -> None:
    """Add model claims for predicted contents that no existing claim overlaps."""
    claims = get_claims(doc)
    taken = [(c.start, c.end) for c in claims]
    speakers = [(s, e) for s, e, r in roles if r == "SPEAKER"]
    cues = [(s, e) for s, e, r in roles if r == "CUE"]
    added = False
    for start, end, role in roles:
        if role != "CONTENT" or end - start < min_tokens:
            continue
        span = doc[start:end]
        cs, ce = span.start_char, span.end_char
        if any(cs < e and s < ce for s, e in taken):
            continue
        sent_start = span.sent.start if doc.has_annotation("SENT_START") else 0
        speaker = _nearest(speakers, start, end, sent_start, doc)
        cue = _nearest(cues, start, end, sent_start, doc)
        if speaker is None or cue is None:
            continue  # a "content" without both a speaker and a cue nearby is more often noise than a claim
        before = doc.text[cs - 1] if cs > 0 else ""
        claims.append(
            Claim(
                start=cs,
                end=ce,
                kind="direct" if before in QUOTES else "indirect",
                hedged=any(t.text in HEDGE_WORDS for t in span),  # as the rules: lower case only ("May" is a month)
                speaker=speaker,
                cue=cue,
                origin="model",
            )
        )
        taken.append((cs, ce))
        added = True
    if added:
        set_claims(doc, claims)


def _nearest(candidates: list[tuple[int, int]], start: int, end: int, sent_start: int, doc: Doc) -> Span | None:
    """The candidate closest to [start, end) in tokens, within the same or the previous sentence."""
    best: tuple[int, int, int] | None = None
    for s, e in candidates:
        if s < end and start < e:
            continue
        distance = start - e if e <= start else s - end
        if e <= start and s < sent_start:
            prev = doc[sent_start - 1].sent.start if sent_start > 0 and doc.has_annotation("SENT_START") else 0
            if s < prev:
                continue
        if distance > 40:
            continue
        if best is None or distance < best[0]:
            best = (distance, s, e)
    if best is None:
        return None
    span = doc[best[1] : best[2]]
    return Span(span.start_char, span.end_char)

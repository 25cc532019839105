"""The rule-based claim component ``toolkit_claim_rules``: its layers, in order, and their merge."""
from __future__ import annotations

from bisect import bisect_left
from typing import Callable, NamedTuple

from spacy.language import Language
from spacy.tokens import Doc

from ...types import Claim
from ..settings import SettingsComponent
from ..spans import BatchPipe, set_claims
from . import quotes, reported
from .quotes import MAX_ATTRIBUTION_CHARS, MIN_QUOTE_WORDS
from .view import View


class Layer(NamedTuple):
    """One pattern family: ``find(view, **options) -> claims`` (pure: it never writes to the
    doc) and ``reach(view, claim) -> (start, end)``, the characters a claim of it holds."""

    name: str
    find: Callable[..., list[Claim]]
    reach: Callable[[View, Claim], tuple[int, int]]
    options: tuple[str, ...]  # the component's settings the layer takes


#: the layers, earliest first: an earlier layer's claim wins over a later one's that reaches into it
LAYERS: tuple[Layer, ...] = (
    Layer(quotes.NAME, quotes.find_direct, lambda v, c: quotes.reach(c), ("min_quote_words", "max_attribution_chars")),
    Layer(reported.NAME, reported.find_indirect, reported.reach, ()),
)


class ClaimRules(BatchPipe, SettingsComponent):
    """Writes the claims of :data:`LAYERS`, merged, to ``doc._.claims`` (origin ``rules``)."""

    def __init__(
        self,
        name: str = "toolkit_claim_rules",
        *,
        min_quote_words: int = MIN_QUOTE_WORDS,
        max_attribution_chars: int = MAX_ATTRIBUTION_CHARS,
    ) -> None:
        self.name = name
        self.cfg = {"min_quote_words": min_quote_words, "max_attribution_chars": max_attribution_chars}

    def __call__(self, doc: Doc) -> Doc:
        set_claims(doc, find_claims(View(doc), **self.cfg))
        return doc


def find_claims(view: View, *, layers: tuple[Layer, ...] = LAYERS, **settings: int) -> list[Claim]:
    """The claims of ``layers`` in order, merged by one rule: a claim whose reach overlaps the
    reach of a claim kept from an earlier layer is dropped (the sentence around a direct quote
    is the quote's, not reported speech)."""
    kept: list[Claim] = []
    reaches: list[tuple[int, int]] = []  # of ``kept``
    for layer in layers:
        found = layer.find(view, **{key: settings[key] for key in layer.options if key in settings})
        if reaches:
            earlier = _Reaches(reaches)
            found = [c for c in found if not earlier.overlaps(*layer.reach(view, c))]
        kept += found
        reaches += [layer.reach(view, c) for c in found]
    return kept


class _Reaches:
    """Character ranges, for the question "does [start, end) overlap one of them"."""

    def __init__(self, ranges: list[tuple[int, int]]) -> None:
        ordered = sorted(ranges)
        self.starts = [s for s, _ in ordered]
        self.max_end: list[int] = []  # the furthest end among the first k ranges
        for _, e in ordered:
            self.max_end.append(max(e, self.max_end[-1]) if self.max_end else e)

    def overlaps(self, start: int, end: int) -> bool:
        k = bisect_left(self.starts, end)  # the ranges that start before ``end``
        return k > 0 and self.max_end[k - 1] > start

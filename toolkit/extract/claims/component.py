"""The claim components: ``toolkit_claim_rules`` (its layers, in order, and their merge) and
``toolkit_claim_syntax`` (claims from the parse, merged with the rules' claims)."""
from __future__ import annotations

from bisect import bisect_left
from typing import Callable, Iterable, NamedTuple

from spacy.language import Language
from spacy.tokens import Doc

from ...types import Claim
from ..settings import SettingsComponent
from ..spans import BatchPipe, doc_text, get_claims, set_claims
from . import colon, quotes, reported
from .reporting import DEFAULT_CLASSES
from .assembly import with_names
from .syntax import find_syntax
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
    Layer(colon.NAME, colon.find_colon, colon.reach, ()),
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
        set_claims(doc, with_names(doc, find_claims(View(doc), **self.cfg)))
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


PRECEDENCE = ("syntax", "rules")


class ClaimSyntax(BatchPipe, SettingsComponent):
    """Writes the claims of the parse (:mod:`.syntax`, origin ``syntax``) to ``doc._.claims``,
    merged with the claims already there (the rules', placed before it): of those, the direct
    quotes and colon headlines (what the parse cannot see); by default the parse's claims win,
    and a rule claim is kept where it reaches into no claim of the parse (a quote the parse gives
    no attribution). ``precedence="rules"`` keeps the rules' claims first instead.
    A doc without a parse keeps the rules' claims as they are."""

    def __init__(
        self,
        name: str = "toolkit_claim_syntax",
        *,
        classes: list[str] | tuple[str, ...] = DEFAULT_CLASSES,
        precedence: str = "syntax",
        min_quote_words: int = MIN_QUOTE_WORDS,
        cues: list[str] | tuple[str, ...] = (),
    ) -> None:
        if precedence not in PRECEDENCE:
            raise ValueError(f"toolkit_claim_syntax: precedence={precedence!r}; choose one of {', '.join(PRECEDENCE)}.")
        self.name = name
        self.cfg = {"classes": list(classes), "precedence": precedence, "min_quote_words": min_quote_words, "cues": sorted(set(cues))}

    def add_cues(self, lemmas: Iterable[str]) -> None:
        """Read these verb lemmas as reporting verbs too (cues annotators marked; saved in ``cfg``)."""
        self.cfg["cues"] = sorted(set(self.cfg.get("cues", ())) | {lemma.lower() for lemma in lemmas})

    def __call__(self, doc: Doc) -> Doc:
        if not doc.has_annotation("DEP"):
            return doc
        refused: list = []
        parsed = find_syntax(
            doc, classes=self.cfg["classes"], min_quote_words=self.cfg["min_quote_words"], refused=refused,
            cues=self.cfg.get("cues", ()),
        )
        # with a parse, the rules add only what it cannot see: quotes and colon headlines (their
        # reported speech, sentence patterns with no syntax, was right 3 times in 27 on WikiGold);
        # and none of a cue the parse shows is no attribution ("declined to say")
        text = doc_text(doc)
        ruled = [
            c for c in get_claims(doc)
            if (c.kind == "direct" or colon.is_colon_claim(c, text))
            and (c.cue is None or not any(r.start < c.cue.end and c.cue.start < r.end for r in refused))
        ]  # fmt: skip
        first, second = (parsed, ruled) if self.cfg["precedence"] == "syntax" else (ruled, parsed)
        set_claims(doc, merge(first, second))
        return doc


def merge(first: list[Claim], second: list[Claim]) -> list[Claim]:
    """``first``, and each claim of ``second`` whose reach overlaps the reach of none of them
    (a claim's reach: its content, with a direct quote's marks, its speaker and its cue)."""
    if not first or not second:
        return first + second
    taken = _Reaches([reach_of(c) for c in first])
    return first + [c for c in second if not taken.overlaps(*reach_of(c))]


def reach_of(c: Claim) -> tuple[int, int]:
    """The characters a claim holds: content (a direct quote with its marks), speaker and cue."""
    pad = 1 if c.kind == "direct" else 0
    ends = [(c.start - pad, c.end + pad)] + [(s.start, s.end) for s in (c.speaker, c.cue) if s is not None]
    return min(s for s, _ in ends), max(e for _, e in ends)

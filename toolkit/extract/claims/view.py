"""What the claim rules read of a Doc, computed once: :class:`View`."""
from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right

import numpy
from spacy.attrs import IDX, LOWER, ORTH, SENT_START
from spacy.tokens import Doc

from ..spans import doc_text
from .hedging import hedge_positions
from .lexicon import ACCORDING, CUE_H, GPE_H, NEG_H, NORP_H, PERSON_H, SPEAKER_H, TO

VIEW_ATTRS = [ORTH, LOWER, IDX, SENT_START]
# every word the view locates, by its LOWER id: one sorted lookup finds them all
WATCH_IDS = numpy.array(sorted(CUE_H | NEG_H | {ACCORDING}), dtype="uint64")


def _positions(ids: numpy.ndarray, column: numpy.ndarray) -> list[int]:
    """The rows where ``column`` holds one of the sorted ``ids`` (a sorted lookup, not a set test per token)."""
    return numpy.flatnonzero(ids[numpy.searchsorted(ids, column) % len(ids)] == column).tolist()


class View:
    """What the claim rules read of a doc, computed once in C: the text, the entities and
    per-token ids, offsets and flags as plain lists (building a ``Token`` per look is what
    made the rules slow), and where the cue words are. The rules read it; none writes to it
    or to the doc."""

    __slots__ = (
        "doc", "text", "strings", "ent_end", "speakers", "speaker_starts", "person_starts", "nationality_starts",
        "modifier_starts", "orth", "lower", "idx",
        "sent_starts", "cue_at", "according_at", "neg_at", "hedge_at", "hedge_starts",
    )  # fmt: skip

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.text = doc_text(doc)
        self.strings = doc.vocab.strings
        arr = doc.to_array(VIEW_ATTRS) if len(doc) else numpy.zeros((0, len(VIEW_ATTRS)), dtype="uint64")
        # token ids stay 64-bit C numbers until read (a list would make a Python int of each)
        self.orth, self.lower = array("Q", arr[:, 0].tobytes()), array("Q", arr[:, 1].tobytes())
        self.idx = idx = arr[:, 2].tolist()
        starts = numpy.flatnonzero(arr[:, 3] == 1).tolist()
        if len(doc) and (not starts or starts[0] != 0):
            starts.insert(0, 0)
        self.sent_starts = starts
        self.ent_end = {}  # entity start token -> end token
        self.speakers = []  # PERSON/ORG/GPE/NORP entities, by start
        self.person_starts, self.nationality_starts, self.modifier_starts = set(), set(), set()
        for ent in doc.ents:
            self.ent_end[ent.start] = ent.end
            if ent.label in SPEAKER_H:
                self.speakers.append((ent.start, ent.end))
                if ent.label == PERSON_H:
                    self.person_starts.add(ent.start)
                elif ent.label == NORP_H:
                    self.nationality_starts.add(ent.start)
                elif ent.label == GPE_H:
                    self.modifier_starts.add(ent.start)
        self.speaker_starts = [start for start, _ in self.speakers]
        # cue verbs and hedges count in lower case only ("States", the month "May"); negations
        # and "according to" in any case
        self.cue_at, self.neg_at, self.according_at = [], [], []
        self.hedge_at = hedge_positions(arr[:, 1], arr[:, 0], idx, self.strings)  # as characters, for ``hedged``
        orth, lower = self.orth, self.lower
        for i in _positions(WATCH_IDS, arr[:, 1]):
            word = lower[i]
            if word in NEG_H:
                self.neg_at.append(i)
            elif word == ACCORDING:
                if i + 1 < len(lower) and lower[i + 1] == TO:
                    self.according_at.append(i)
            elif orth[i] == word:
                self.cue_at.append(i)
        self.hedge_starts = [start for start, _ in self.hedge_at]

    def __len__(self) -> int:
        return len(self.orth)

    def speakers_within(self, start: int, end: int) -> list[tuple[int, int]]:
        """The speaker-label entities inside tokens [start, end), in order."""
        starts = self.speaker_starts
        return [(s, e) for s, e in self.speakers[bisect_left(starts, start) : bisect_left(starts, end)] if e <= end]

    def persons_within(self, start: int, end: int) -> list[tuple[int, int]]:
        """The PERSON entities inside tokens [start, end), in order."""
        return [ent for ent in self.speakers_within(start, end) if ent[0] in self.person_starts]

    def negated(self, start: int, i: int) -> bool:
        """Whether a negation is among the three tokens before token ``i`` (from ``start`` on)."""
        at = self.neg_at
        k = bisect_left(at, max(start, i - 3))
        return k < len(at) and at[k] < i

    def end_char(self, i: int) -> int:
        return self.idx[i] + len(self.strings[self.orth[i]])

    def is_alpha(self, i: int) -> bool:
        return self.strings[self.orth[i]].isalpha()  # spaCy's IS_ALPHA, for the few tokens asked about

    def token_range(self, start: int, end: int) -> tuple[int, int]:
        """Tokens [a, b) covering the characters [start, end)."""
        if start >= end:
            return (0, 0)
        a = bisect_right(self.idx, start) - 1
        b = bisect_left(self.idx, end)
        a = max(a, 0)
        if a < b and self.end_char(a) <= start:
            a += 1
        return (a, b) if a < b else (0, 0)

    def sentences_with(self, tokens: list[int]) -> list[tuple[int, int]]:
        """Token ranges of the sentences that hold one of the sorted ``tokens``, each from its
        first token that is not whitespace (a paragraph break opens a sentence but is no word of it)."""
        starts, text, idx = self.sent_starts, self.text, self.idx
        out: list[tuple[int, int]] = []
        k = 0
        while k < len(tokens):
            n = bisect_right(starts, tokens[k])  # the sentence of tokens[k] is starts[n - 1]
            start, end = starts[n - 1], starts[n] if n < len(starts) else len(self)
            while start < end - 1 and text[idx[start]].isspace():
                start += 1
            k = bisect_left(tokens, end, k)
            # spaCy's sentencizer ends a sentence after the punctuation that follows its period, so
            # ``... reopen. "We will ...`` ends with the quote mark that opens the next sentence
            while end - 1 > start and (self._opens_quote(end - 1) or text[idx[end - 1]].isspace()):
                end -= 1
            out.append((start, end))
        return out

    def _opens_quote(self, i: int) -> bool:
        """Whether token ``i`` is an opening double quote mark (curly, or straight after a space)."""
        word = self.strings[self.orth[i]]
        at = self.idx[i]
        return word == "\u201c" or (word == '"' and at > 0 and self.text[at - 1].isspace())


def as_view(view: View | Doc) -> View:
    """``view`` itself, or the view of a Doc."""
    return view if isinstance(view, View) else View(view)

"""What the syntax layer reads of a parsed Doc besides its tokens, computed once per doc:
:class:`Parsed` (the text, the entities, sentence starts, hedge words, quotes).

``doc.ents`` and ``token.sent`` each walk the whole doc on every use; the layer asks for
entities and sentences per cue, so it reads them from here.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from typing import NamedTuple

import numpy
from spacy.attrs import ENT_IOB, ENT_TYPE, IDX, LOWER, ORTH, SENT_START
from spacy.tokens import Doc

from ..spans import doc_text
from .quotes import WORD

SPEAKER_LABELS = ("PERSON", "ORG", "GPE", "NORP")


class Ent(NamedTuple):
    """An entity as the layer reads it: tokens [start, end), its label, its characters and text."""

    start: int
    end: int
    label_: str
    start_char: int
    end_char: int
    text: str

    def __len__(self) -> int:
        return self.end - self.start


class Parsed:
    """A parsed doc as the syntax layer reads it. ``ents`` are the doc's entities as :class:`Ent`
    (read from two token columns: ``doc.ents`` builds a Token per token);
    ``ent_of`` maps a token index to its entity; ``hedge_at``/``hedge_starts`` serve
    :func:`.hedging.hedged`."""

    __slots__ = ("doc", "text", "ents", "ent_of", "ent_chars", "sent_starts", "hedge_at", "hedge_starts", "_full_names")

    def __init__(self, doc: Doc) -> None:
        from .hedging import hedge_positions

        self.doc = doc
        self.text = doc_text(doc)
        arr = doc.to_array([ORTH, LOWER, IDX, SENT_START, ENT_IOB, ENT_TYPE]) if len(doc) else numpy.zeros((0, 6), dtype="uint64")
        self.ents = self._entities(arr)
        self.ent_of: dict[int, Ent] = {i: ent for ent in self.ents for i in range(ent.start, ent.end)}
        self.ent_chars = [e.start_char for e in self.ents]
        self._full_names: dict[int, Ent] | None = None
        starts = numpy.flatnonzero(arr[:, 3] == 1).tolist()
        if len(doc) and (not starts or starts[0] != 0):
            starts.insert(0, 0)
        self.sent_starts = starts
        self.hedge_at = hedge_positions(arr[:, 1], arr[:, 0], arr[:, 2].tolist(), doc.vocab.strings)
        self.hedge_starts = [s for s, _ in self.hedge_at]

    def _entities(self, arr: numpy.ndarray) -> list[Ent]:
        strings, idx, text = self.doc.vocab.strings, arr[:, 2], self.text
        iob, label = arr[:, 4], arr[:, 5]
        starts = numpy.flatnonzero(iob == 3).tolist()  # B
        out = []
        for start in starts:
            end = start + 1
            while end < len(iob) and iob[end] == 1:  # I
                end += 1
            last = self.doc[end - 1]
            s_char, e_char = int(idx[start]), last.idx + len(last.text)
            out.append(Ent(start, end, strings[int(label[start])], s_char, e_char, text[s_char:e_char]))
        return out

    def sentence(self, i: int) -> tuple[int, int]:
        """Tokens [start, end) of the sentence of token ``i``."""
        k = bisect_right(self.sent_starts, i)
        return self.sent_starts[k - 1], self.sent_starts[k] if k < len(self.sent_starts) else len(self.doc)

    def words(self, start: int, end: int) -> int:
        """The number of words in the characters [start, end)."""
        return len(WORD.findall(self.text, start, end))

    def ents_within(self, start: int, end: int) -> list[Ent]:
        """The entities inside the characters [start, end), in order."""
        lo, hi = bisect_left(self.ent_chars, start), bisect_left(self.ent_chars, end)
        return [e for e in self.ents[lo:hi] if e.end_char <= end]

    def full_name(self, ent: Ent) -> Ent:
        """The longest PERSON entity up to ``ent`` whose words end with ``ent``'s (its full name:
        ``Hang`` -> ``Pham Thu Hang``); the first such when several are as long."""
        if self._full_names is None:
            by_words: dict[tuple[str, ...], Ent] = {}  # a name's last words -> the longest name so far that ends so
            full: dict[int, Ent] = {}
            for e in self.ents:
                if e.label_ != "PERSON":
                    continue
                words = tuple(e.text.split())
                for k in range(1, len(words) + 1):
                    known = by_words.get(words[-k:])
                    if known is None or len(words) > len(known.text.split()):
                        by_words[words[-k:]] = e
                full[e.start_char] = by_words[words]
            self._full_names = full
        return self._full_names.get(ent.start_char, ent)

    def entity(self, i: int) -> Ent | None:
        """The entity that holds token ``i``, or None."""
        return self.ent_of.get(i)

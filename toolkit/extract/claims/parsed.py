"""What the syntax layer reads of a parsed Doc besides its tokens, computed once per doc:
:class:`Parsed` (the text, the entities, sentence starts, hedge words, quotes).

``doc.ents`` and ``token.sent`` each walk the whole doc on every use; the layer asks for
entities and sentences per cue, so it reads them from here.
"""
from __future__ import annotations

from bisect import bisect_right

import numpy
from spacy.attrs import IDX, LOWER, ORTH, SENT_START
from spacy.tokens import Doc

from ..spans import doc_text
from .quotes import WORD

SPEAKER_LABELS = ("PERSON", "ORG", "GPE", "NORP")


class Parsed:
    """A parsed doc as the syntax layer reads it. ``ents`` are spaCy spans of ``doc.ents``;
    ``ent_of`` maps a token index to its entity; ``hedge_at``/``hedge_starts`` serve
    :func:`.hedging.hedged`."""

    __slots__ = ("doc", "text", "ents", "ent_of", "sent_starts", "hedge_at", "hedge_starts")

    def __init__(self, doc: Doc) -> None:
        from .hedging import hedge_positions

        self.doc = doc
        self.text = doc_text(doc)
        self.ents = list(doc.ents)
        self.ent_of: dict[int, object] = {i: ent for ent in self.ents for i in range(ent.start, ent.end)}
        arr = doc.to_array([ORTH, LOWER, IDX, SENT_START]) if len(doc) else numpy.zeros((0, 4), dtype="uint64")
        starts = numpy.flatnonzero(arr[:, 3] == 1).tolist()
        if len(doc) and (not starts or starts[0] != 0):
            starts.insert(0, 0)
        self.sent_starts = starts
        self.hedge_at = hedge_positions(arr[:, 1], arr[:, 0], arr[:, 2].tolist(), doc.vocab.strings)
        self.hedge_starts = [s for s, _ in self.hedge_at]

    def sentence(self, i: int) -> tuple[int, int]:
        """Tokens [start, end) of the sentence of token ``i``."""
        k = bisect_right(self.sent_starts, i)
        return self.sent_starts[k - 1], self.sent_starts[k] if k < len(self.sent_starts) else len(self.doc)

    def words(self, start: int, end: int) -> int:
        """The number of words in the characters [start, end)."""
        return len(WORD.findall(self.text, start, end))

    def entity(self, i: int):
        """The entity (a spaCy span) that holds token ``i``, or None."""
        return self.ent_of.get(i)

"""``toolkit_sentencizer``: spaCy's rule-based ``Sentencizer``, with the same sentences, faster.

spaCy's sentencizer builds a ``Token`` per token to read its text and punctuation flag;
this one finds the sentence-final punctuation among a doc's token ids in one sorted
lookup and reads only the few tokens after each, up to the next word, through a table
of what each id is (punctuation that ends a sentence, other punctuation, a word). The
rule, the settings (``punct_chars``, ``overwrite``), the scorer and the saved form are
spaCy's own, so a pipeline saved with it loads the same settings into either component.
The default pipeline adds it under the name ``sentencizer``.
"""
from __future__ import annotations

from typing import Callable, Iterable

import numpy
from spacy.attrs import ORTH
from spacy.language import Language
from spacy.pipeline import Sentencizer
from spacy.strings import get_string_id
from spacy.tokens import Doc

WORD, PUNCT, ENDS = 0, 1, 2  # what a token id is: a word, punctuation, sentence-final punctuation


class FastSentencizer(Sentencizer):
    """A sentence starts at the first word (neither punctuation nor in ``punct_chars``)
    after a token in ``punct_chars``, exactly as in spaCy's ``Sentencizer.predict``."""

    MAX_SIZE = 1_000_000  # remembered token ids; the table is emptied beyond

    def __init__(self, name: str = "sentencizer", **kwargs) -> None:
        super().__init__(name, **kwargs)
        self._kinds: dict[int, int] = {}
        self._chars: frozenset[str] | None = None
        self._end_ids = numpy.zeros(0, dtype="uint64")

    def predict(self, docs: Iterable[Doc]) -> list[list[bool]]:
        if self._chars != self.punct_chars:  # set anew by from_disk/from_bytes, or changed in place
            self._chars, self._kinds = frozenset(self.punct_chars), {}
            self._end_ids = numpy.array(sorted({get_string_id(c) for c in self._chars}), dtype="uint64")
        kinds, end_ids = self._kinds, self._end_ids
        guesses = []
        for doc in docs:
            guess = [False] * len(doc)
            if guess:
                guess[0] = True
                orth = doc.to_array(ORTH)
                n, word_after = len(orth), -1
                # only the tokens after sentence-final punctuation are looked at, up to the next word
                ends = numpy.flatnonzero(end_ids[numpy.searchsorted(end_ids, orth) % len(end_ids)] == orth).tolist() if len(end_ids) else []
                for i in ends:
                    if i < word_after:
                        continue
                    k = i + 1
                    while k < n:
                        o = int(orth[k])
                        kind = kinds.get(o)
                        if kind is None:
                            kind = self._kind(doc, o)
                        if kind == WORD:
                            break
                        k += 1
                    if k < n:
                        guess[k] = True
                    word_after = k
            guesses.append(guess)
        return guesses

    def _kind(self, doc: Doc, orth: int) -> int:
        if len(self._kinds) >= self.MAX_SIZE:
            self._kinds.clear()
        lexeme = doc.vocab[orth]
        kind = ENDS if lexeme.orth_ in self._chars else PUNCT if lexeme.is_punct else WORD
        self._kinds[orth] = kind
        return kind


class ParagraphBreaks:
    """``toolkit_paragraphs``: a blank line ends a sentence, for the parser that follows.

    spaCy's parser keeps sentence starts already set; without this one it runs a headline or a
    quote's last sentence into the next paragraph (``... take that step.”\\n\\nBlinken's G-7
    meetings ...`` was one sentence), and the claims read from the parse go wrong with it. It is
    placed first in a pipeline that has a parser (:func:`toolkit.extract.pipeline.add_sentences`).
    """

    def __init__(self, name: str = "toolkit_paragraphs") -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        for i in range(1, len(doc) - 1):
            tok = doc[i]
            if tok.is_space and tok.text.count("\n") >= 2:
                doc[i + 1].is_sent_start = True
        return doc

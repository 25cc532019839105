"""Token boundaries of one text, and snapping character ranges to them.

Selections made with the mouse rarely start and end exactly on token boundaries. Like
spaCy's ``char_span(alignment_mode="expand")``, a range is widened to cover every token
it touches; a range touching only whitespace snaps to nothing (None), never to a guess.
Boundaries come from the toolkit's tokenizer (``toolkit.extract.tokenizer.blank_english``),
so annotations align with what extraction and training see.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from functools import lru_cache
from typing import Callable, Iterable

#: A tokenizer for this module: text -> (start, end) character offsets of its non-space tokens.
Tokenize = Callable[[str], Iterable[tuple[int, int]]]


@lru_cache(maxsize=1)
def _spacy_tokenizer():  # pragma: no cover - trivial
    from ..extract.tokenizer import blank_english

    return blank_english().tokenizer


def spacy_tokenize(text: str) -> list[tuple[int, int]]:
    """Offsets of the non-whitespace tokens of ``text`` with the toolkit's spaCy tokenizer."""
    return [(t.idx, t.idx + len(t)) for t in _spacy_tokenizer()(text) if not t.is_space]


class TokenIndex:
    """Sorted token boundaries of a text with the lookups the editor needs.

    Args:
        text: the document text.
        tokenize: a function returning the (start, end) offsets of the text's tokens.
    """

    def __init__(self, text: str, tokenize: Tokenize = spacy_tokenize) -> None:
        pairs = sorted((s, e) for s, e in tokenize(text) if e > s)
        self.starts: list[int] = [s for s, _ in pairs]
        self.ends: list[int] = [e for _, e in pairs]
        self._start_set = frozenset(self.starts)
        self._end_set = frozenset(self.ends)

    def __len__(self) -> int:
        return len(self.starts)

    def snap(self, start: int, end: int) -> tuple[int, int] | None:
        """Widen ``[start, end)`` to the tokens it touches; None if it touches none."""
        if end < start:
            start, end = end, start
        first = bisect_right(self.ends, start)
        last = bisect_left(self.starts, end) - 1
        if end == start or first > last:
            return None
        return self.starts[first], self.ends[last]

    def aligned(self, start: int, end: int) -> bool:
        """True when ``start`` begins a token and ``end`` ends one."""
        return start in self._start_set and end in self._end_set and end > start

    def grow_end(self, start: int, end: int) -> int:
        """``end`` moved to the end of the next token (unchanged at the last token)."""
        i = bisect_left(self.starts, end)
        return self.ends[i] if i < len(self.starts) else end

    def shrink_end(self, start: int, end: int) -> int:
        """``end`` moved back by one token, keeping at least one token."""
        i = bisect_left(self.ends, end) - 1
        return self.ends[i] if i >= 0 and self.ends[i] > start else end

    def grow_start(self, start: int, end: int) -> int:
        """``start`` moved to the start of the previous token (unchanged at the first)."""
        i = bisect_right(self.ends, start) - 1
        return self.starts[i] if i >= 0 else start

    def shrink_start(self, start: int, end: int) -> int:
        """``start`` moved forward by one token, keeping at least one token."""
        i = bisect_right(self.starts, start)
        return self.starts[i] if i < len(self.starts) and self.starts[i] < end else start

    def occurrences(self, text: str, needle: str) -> list[tuple[int, int]]:
        """Token-aligned exact occurrences of ``needle`` in ``text`` (``Paris`` not in ``Parisian``)."""
        found: list[tuple[int, int]] = []
        if not needle:
            return found
        at = text.find(needle)
        while at != -1:
            if self.aligned(at, at + len(needle)):
                found.append((at, at + len(needle)))
            at = text.find(needle, at + 1)
        return found


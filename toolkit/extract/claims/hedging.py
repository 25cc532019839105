"""The one hedging test of the claim layers: is a hedge word (``_CLAIM_HEDGE``) in a range of text."""
from __future__ import annotations

from bisect import bisect_left
from typing import Protocol

import numpy

from .lexicon import HEDGE_H

HEDGE_IDS = numpy.array(sorted(HEDGE_H), dtype="uint64")


class HasHedges(Protocol):
    """What :func:`hedged` reads: the text, and the hedge words' character spans and starts."""

    text: str
    hedge_at: list[tuple[int, int]]
    hedge_starts: list[int]


def hedge_positions(lower: numpy.ndarray, orth: numpy.ndarray, idx: list[int], strings) -> list[tuple[int, int]]:
    """The character spans of the hedge words among a doc's tokens (columns ``LOWER``, ``ORTH``
    and the offsets ``idx``), in lower case only (the month ``May`` is none)."""
    rows = numpy.flatnonzero(HEDGE_IDS[numpy.searchsorted(HEDGE_IDS, lower) % len(HEDGE_IDS)] == lower)
    return [(idx[i], idx[i] + len(strings[int(lower[i])])) for i in rows.tolist() if orth[i] == lower[i]]


def hedged(v: HasHedges, start: int, end: int) -> bool:
    """Whether a hedge word is a word of ``text[start:end]``: a hedge token that lies inside
    and is a whole word there (``could`` of ``couldn't`` is not; ``Talks reportedly stalled`` is).
    Hedge words count in lower case only (the month ``May`` is none)."""
    text, at = v.text, v.hedge_at
    for k in range(bisect_left(v.hedge_starts, start), len(at)):
        s, e = at[k]
        if e > end:
            if s >= end:
                break
            continue
        if (s == start or not _is_word_char(text[s - 1])) and (e == end or not _is_word_char(text[e])):
            return True
    return False


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"  # what the regular expression ``\\w`` matches

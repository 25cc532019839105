"""The one hedging test of the claim rules: is a hedge word (``_CLAIM_HEDGE``) in a range of text."""
from __future__ import annotations

from bisect import bisect_left

from .view import View


def hedged(v: View, start: int, end: int) -> bool:
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

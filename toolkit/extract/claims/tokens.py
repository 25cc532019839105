"""Small look-ups the claim rules share: spans of tokens, cue tokens, searches in id lists, trimming."""
from __future__ import annotations

import re
from bisect import bisect_left
from typing import Iterable

from ...types import Span
from .lexicon import HAVE_H, TAIL_H
from .view import View

PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
SENTENCE_END = re.compile(r"[.!?](?=\s|$)")


def span(v: View, first: int, last: int) -> Span:
    """The characters of tokens ``first``..``last`` (inclusive)."""
    return Span(v.idx[first], v.end_char(last))


def cue_tokens(v: View, start: int, end: int, *, keep_negated: bool = False) -> list[int]:
    """The cue verbs in tokens [start, end) that no negation in the three tokens before (within
    the range) cancels (``Officials have not said`` has none), or all of them if ``keep_negated``."""
    at = v.cue_at
    cues = at[bisect_left(at, start) : bisect_left(at, end)]
    return [i for i in cues if not v.negated(start, i)] if v.neg_at and not keep_negated else cues


def cue_first(v: View, i: int) -> int:
    """The first token of the cue at token ``i``: its perfect auxiliary (``has said``), else ``i``."""
    return i - 1 if i > 0 and v.lower[i - 1] in HAVE_H else i


def cue_span(v: View, i: int) -> Span:
    """The cue at token ``i`` with the auxiliary before it (``Politico has reported``)."""
    return span(v, cue_first(v, i), i)


def first_in(ids, wanted: frozenset[int], start: int, end: int) -> int | None:
    """The first position in [start, end) whose id is one of ``wanted`` (None if none is)."""
    for k in range(start, end):
        if ids[k] in wanted:
            return k
    return None


def any_in(ids, wanted: frozenset[int], start: int, end: int) -> bool:
    return first_in(ids, wanted, start, end) is not None


def tail_end(v: View, i: int, sent_end: int) -> int:
    """Where the attribution after the cue at ``i`` ends: the first of on/in/at/citing/... or the period."""
    tail = first_in(v.lower, TAIL_H, i + 1, sent_end)
    return sent_end if tail is None else tail


def first(ids, value: int, start: int, end: int) -> int | None:
    """The first position of ``value`` in ``ids[start:end]`` (None if absent)."""
    try:
        return ids.index(value, start, end)
    except ValueError:
        return None


def last(ids, value: int, start: int, end: int) -> int | None:
    """The last position of ``value`` in ``ids[start:end]`` (None if absent)."""
    for k in range(end - 1, start - 1, -1):
        if ids[k] == value:
            return k
    return None


def paragraphs(text: str) -> Iterable[tuple[int, int]]:
    """The character ranges of the paragraphs (text between blank lines)."""
    start = 0
    for match in PARAGRAPH_BREAK.finditer(text):
        yield start, match.start()
        start = match.end()
    yield start, len(text)


def sentence_end(text: str, start: int, limit: int) -> int:
    match = SENTENCE_END.search(text, start, limit)  # ``$`` matches at ``limit``, as at the end of a slice
    return match.end() if match else limit


def trim(text: str, start: int, end: int, *, period: bool = False) -> tuple[int, int]:
    """Strip spaces and clause punctuation at both ends (and a final period if ``period``)."""
    while start < end and (text[start].isspace() or text[start] in ",;:"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:"):
        end -= 1
    if period and end > start and text[end - 1] == "." and not text[start:end].endswith(".."):
        end -= 1
    return start, end

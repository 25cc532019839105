"""Long documents, window by window.

spaCy refuses a text longer than ``nlp.max_length`` (1,000,000 characters: ``E088``), and a
parser's and NER's memory grows with the length of a doc. The Extractor therefore cuts a
document longer than ``window`` characters into consecutive windows, extracts each as a doc of
its own and shifts the spans back, so that offsets refer to the whole text exactly and memory is
bounded by the window, whatever the document's length.

Where a window ends is chosen so that no span crosses the cut, in this order, looking only in
the second half of the window: after a paragraph break (a blank line: no entity or claim of the
toolkit crosses one), after a line break, after the end of a sentence (``.``, ``!`` or ``?``, a
closing quote or bracket, then whitespace), after any whitespace; a window with none of these
(a 50,000-character "word") is cut where it is full. What is lost at a cut is context: a
surname mention in one window is not linked to the full name in an earlier one.
"""
from __future__ import annotations

import re

WINDOW = 100_000
"""Characters per window (default): far below spaCy's 1,000,000, and small enough that the
pretrained pipeline's memory stays a few hundred MB."""

_SEPARATORS = (
    re.compile(r"\n[ \t]*\n\s*"),
    re.compile(r"\n\s*"),
    re.compile(r"[.!?][\"'\u201d\u2019)\]]*\s+"),
    re.compile(r"\s+"),
)


def windows(text: str, size: int = WINDOW) -> list[tuple[int, int]]:
    """``(start, end)`` character ranges that cover ``text`` in order, each at most ``size`` long.

    A text of at most ``size`` characters is one window. Otherwise each window ends after the
    last separator (see the module docstring) in its second half.
    """
    if size < 2:
        raise ValueError(f"window must be at least 2 characters, got {size}")
    out: list[tuple[int, int]] = []
    start, n = 0, len(text)
    while n - start > size:
        out.append((start, _cut(text, start, start + size)))
        start = out[-1][1]
    out.append((start, n))
    return out


def _cut(text: str, start: int, limit: int) -> int:
    """Where a window from ``start`` ends: after the last separator of the best kind that ends
    in ``(start + (limit - start) // 2, limit]``, else at ``limit``."""
    low = start + (limit - start) // 2
    for separator in _SEPARATORS:
        end = None
        for match in separator.finditer(text, low, limit):
            end = match.end()
        if end is not None and end > start:
            return end
    return limit

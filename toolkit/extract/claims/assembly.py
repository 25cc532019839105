"""One claim per attribution: content widened to the quotes it touches, its kind, quotes split
around their attribution joined, duplicates dropped, hedging and the speaker's name set.

- **Widening.** A content that touches a quotation takes all of it: the parse of
  ``"A. B," X said`` gives ``said`` the second sentence only, the claim is the whole quote.
- **Kind.** Content that is all quotation (marks, spaces and punctuation aside) is ``direct``,
  with the text inside the marks; content with quoted fragments is ``mixed``; else ``indirect``.
- **Split quotes.** ``"A," X said, "B."`` and ``"A," X said. "B."`` are one claim with parts A
  and B when nothing but the attribution stands between the two quotes; so is a quote left open at
  a paragraph's end and the quote that opens the next paragraph (``“A,” she said. “B`` / ``“C.”``).
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import replace
from typing import Iterable, NamedTuple

from spacy.tokens import Doc

from ...types import Claim, Span
from .attribution import speaker_name
from .hedging import hedged
from .quotes import DIRECT_QUOTE, WORD, balanced_paragraphs
from .tokens import paragraphs, trim
from .parsed import Parsed

CURLY_QUOTE = re.compile("\u201c([^\u201c\u201d]+)\u201d")
#: at most this many words between two quotes that the attribution joins
MAX_JOIN_WORDS = 16

Run = tuple[int, int]


class Attribution(NamedTuple):
    """``"QUOTE," X said``: the cue's start, the quote (its index in :class:`Quotes`), and the
    characters from the quote's opening mark to the attribution's end."""

    cue: int
    quote: int
    start: int
    end: int


class Quotes:
    """The quotations of a doc, as character ranges: those of paragraphs whose marks pair, and
    in the others the curly quotes (which pair unambiguously) and a last opening mark left open to
    the paragraph's end — the news convention for a quote that goes on in the next paragraph,
    which opens with a mark again (``open`` is set for it)."""

    def __init__(self, text: str, *, min_quote_words: int = 4) -> None:
        self.text = text
        self.marks: list[tuple[int, int]] = []  # [opening mark, closing mark + 1)
        self.inner: list[tuple[int, int]] = []  # inside the marks
        self.paragraph: list[int] = []  # the start of each quote's paragraph
        self.open: list[bool] = []  # left open at its paragraph's end
        balanced = set(balanced_paragraphs(text))
        for p_start, p_end in paragraphs(text):
            if (p_start, p_end) in balanced:
                for match in DIRECT_QUOTE.finditer(text, p_start, p_end):
                    group = 1 if match.group(1) is not None else 2
                    self._add(match.start(), match.end(), match.start(group), match.end(group), p_start, False)
            elif "\u201c" in text[p_start:p_end]:
                self._open_paragraph(p_start, p_end)
        self.starts = [s for s, _ in self.marks]
        self.long = [len(WORD.findall(text, s, e)) >= min_quote_words for s, e in self.inner]

    def _add(self, mark_start: int, mark_end: int, start: int, end: int, paragraph: int, is_open: bool) -> None:
        self.marks.append((mark_start, mark_end))
        self.inner.append((start, end))
        self.paragraph.append(paragraph)
        self.open.append(is_open)

    def _open_paragraph(self, p_start: int, p_end: int) -> None:
        """The curly quotes of an unbalanced paragraph, and its last opening mark if left open."""
        text, at = self.text, p_start
        for match in CURLY_QUOTE.finditer(text, p_start, p_end):
            self._add(match.start(), match.end(), match.start(1), match.end(1), p_start, False)
            at = match.end()
        last_open = text.rfind("\u201c", at, p_end)
        if last_open >= 0 and "\u201d" not in text[last_open:p_end]:
            end = len(text[:p_end].rstrip())
            if end > last_open + 1:
                self._add(last_open, end, last_open + 1, end, p_start, True)

    def continues(self, k: int) -> bool:
        """Whether quote ``k + 1`` goes on with quote ``k``, left open: it opens the next paragraph."""
        if k + 1 >= len(self.marks) or not self.open[k]:
            return False
        nxt = self.marks[k + 1][0]
        return self.paragraph[k + 1] != self.paragraph[k] and not self.text[self.paragraph[k + 1] : nxt].strip()

    def inside(self, char: int) -> bool:
        """Whether the character ``char`` is inside a quotation's marks."""
        k = bisect_right(self.starts, char) - 1
        return k >= 0 and self.inner[k][0] <= char < self.inner[k][1]

    def touching(self, start: int, end: int) -> list[int]:
        """The quotes (indices) whose text, marks included, overlaps ``[start, end)`` (the
        quotes are in text order and do not overlap)."""
        k = max(0, bisect_right(self.starts, start) - 1)
        out = []
        while k < len(self.marks) and self.marks[k][0] < end:
            if start < self.marks[k][1]:
                out.append(k)
            k += 1
        return out


def runs(p: Parsed, tokens: Iterable[int]) -> list[Run]:
    """Token indices as character runs: consecutive tokens together, each run trimmed of
    spaces, clause punctuation and a final period; runs without a letter or digit dropped."""
    doc, text = p.doc, p.text
    out: list[Run] = []
    current: list[int] = []
    for i in sorted(set(tokens)):
        if current and i != current[-1] + 1:
            out.append(_char_run(doc, text, current))
            current = []
        current.append(i)
    if current:
        out.append(_char_run(doc, text, current))
    return [(s, e) for s, e in out if s < e and any(ch.isalnum() for ch in text[s:e])]


def _char_run(doc, text: str, tokens: list[int]) -> Run:
    last = doc[tokens[-1]]
    return trim(text, doc[tokens[0]].idx, last.idx + len(last.text), period=True)


def claim(content: list[Run], *, speaker: Span | None, cue: Span, negated: bool) -> Claim:
    """A syntax claim over the runs of ``content`` (its kind and hedging are set by :func:`assemble`)."""
    parts = tuple(Span(s, e) for s, e in content) if len(content) > 1 else ()
    return Claim(content[0][0], content[-1][1], speaker=speaker, cue=cue, origin="syntax", parts=parts, negated=negated)


def assemble(p: Parsed, found: list[Claim], quotes: Quotes, attributions: Iterable[Attribution] = ()) -> list[Claim]:
    """The claims of one doc made whole (see the module docstring), in text order."""
    attributions = list(attributions)
    kept = [without_others(c, attributions, p.text) for c in found]
    shaped = [with_quotes(c, quotes) for c in kept if c is not None]
    shaped = join_split_quotes(shaped, quotes, {a.quote for a in attributions})
    shaped = outermost(shaped)
    out: list[Claim] = []
    seen: set[tuple[int, int]] = set()
    for c in sorted(shaped, key=lambda c: (c.start, -c.end)):
        if (c.start, c.end) in seen or c.end - c.start < 2:
            continue
        seen.add((c.start, c.end))
        attr = [s for s in (c.speaker, c.cue) if s is not None]
        is_hedged = hedged(p, c.start, c.end) or any(hedged(p, s.start, s.end) for s in attr)
        if not is_hedged and c.cue is not None:  # a hedge right before the cue: "X reportedly said"
            is_hedged = hedged(p, max(0, c.cue.start - 20), c.cue.start)
        name = speaker_name(p, c.speaker) if c.speaker is not None else None
        out.append(replace(c, hedged=is_hedged, speaker_name=name))
    return out


def with_names(doc: Doc, claims: list[Claim]) -> list[Claim]:
    """``claims`` with the :attr:`~toolkit.types.Claim.speaker_name` of each speaker set (from the
    doc's entities; no parse needed, so the rules' claims get them too)."""
    if not any(c.speaker is not None and c.speaker_name is None for c in claims):
        return claims
    p = Parsed(doc)
    return [replace(c, speaker_name=speaker_name(p, c.speaker)) if c.speaker is not None and c.speaker_name is None else c for c in claims]


def without_others(c: Claim, attributions: list[Attribution], text: str) -> Claim | None:
    """``c`` without the quotes other cues attribute (``"A," he said, "B," she added``: "she"'s
    content is B, not A and "he said"); None when nothing of its content is left."""
    cut = [(a.start, a.end) for a in attributions if c.cue is None or a.cue != c.cue.start]
    cut = [(s, e) for s, e in cut if s < c.end and c.start < e]
    if not cut:
        return c
    pieces = list(c.parts) or [Span(c.start, c.end)]
    for s, e in cut:
        pieces = [piece for p in pieces for piece in _minus(p, s, e)]
    pieces = [Span(*trim(text, p.start, p.end, period=True)) for p in pieces]
    pieces = [p for p in pieces if any(ch.isalnum() for ch in text[p.start : p.end])]
    if not pieces:
        return None
    return replace(c, start=pieces[0].start, end=pieces[-1].end, parts=tuple(pieces) if len(pieces) > 1 else ())


def _minus(piece: Span, start: int, end: int) -> list[Span]:
    if end <= piece.start or piece.end <= start:
        return [piece]
    return [Span(s, e) for s, e in ((piece.start, start), (end, piece.end)) if s < e]


def outermost(claims: list[Claim]) -> list[Claim]:
    """The claims whose cue is inside no other claim's content (``Reuters reported that Hang did
    not confirm ...``: Reuters' claim only; a cue inside a quote starts none either)."""
    order = sorted(range(len(claims)), key=lambda k: claims[k].start)
    starts = [claims[k].start for k in order]
    # the two furthest-reaching claims among the first j by start: (end, index), best first
    best: list[tuple[tuple[int, int], tuple[int, int]]] = []
    top = ((-1, -1), (-1, -1))
    for k in order:
        end = (claims[k].end, k)
        top = (end, top[0]) if end > top[0] else (top[0], max(top[1], end))
        best.append(top)
    out = []
    for k, c in enumerate(claims):
        cue = c.cue
        j = bisect_right(starts, cue.start) if cue is not None else 0
        if j:
            first, second = best[j - 1]
            reach = second[0] if first[1] == k else first[0]  # the furthest end of another claim
            if reach >= cue.end:
                continue
        out.append(c)
    return out


def with_quotes(c: Claim, quotes: Quotes) -> Claim:
    """``c`` widened to the quotes its content touches, with its kind."""
    touching = quotes.touching(c.start, c.end)
    if not touching:
        return replace(c, kind="indirect")
    text = quotes.text
    if c.cue is not None and c.cue.start >= c.end and quotes.marks[touching[0]][0] <= c.start:
        # '"QUOTE," X of the agency Y said': a parse that runs the quote on into the attribution
        # after it; the content ends with the last quote before the cue
        closing = max(quotes.marks[k][1] for k in touching)
        if not any(ch.isalnum() for ch in text[closing : c.cue.start][:1]) and closing < c.end:
            c = replace(c, end=closing)
            touching = quotes.touching(c.start, c.end)
    start = min(c.start, *(quotes.inner[k][0] for k in touching))
    end = max(c.end, *(quotes.inner[k][1] for k in touching))
    attribution = [s for s in (c.speaker, c.cue) if s is not None and start <= s.start and s.end <= end]
    if attribution:  # '"A," X said, "B."': the attribution between the quotes is no content
        attribution = [(min(s.start for s in attribution), max(s.end for s in attribution))]
    if _all_quoted(text, start, end, [quotes.marks[k] for k in touching] + attribution):
        pieces = [trim(text, *quotes.inner[k]) for k in touching]
        pieces = [(s, e) for s, e in pieces if s < e and any(ch.isalnum() for ch in text[s:e])]  # not '" , "'
        if not pieces:
            return replace(c, kind="indirect")
        parts = tuple(Span(s, e) for s, e in pieces) if len(pieces) > 1 else ()
        return replace(c, start=pieces[0][0], end=pieces[-1][1], kind="direct", parts=parts)
    # mixed: a quoted fragment at either end keeps its marks
    first, last = quotes.marks[touching[0]], quotes.marks[touching[-1]]
    if first[0] <= start < first[1]:
        start = first[0]
    if last[0] < end <= last[1]:
        end = last[1]
    parts = list(c.parts)
    if len(parts) > 1:  # the pieces cover the widened content: the first from its start, the last to its end
        parts[0], parts[-1] = Span(start, parts[0].end), Span(parts[-1].start, end)
    parts = tuple(parts) if len(parts) > 1 else ()
    return replace(c, start=start, end=end, kind="mixed", parts=parts)


def _all_quoted(text: str, start: int, end: int, marks: list[tuple[int, int]]) -> bool:
    """Whether ``text[start:end]`` outside the quotes ``marks`` holds no letter or digit."""
    at = start
    for s, e in sorted(marks):
        if any(ch.isalnum() for ch in text[at:s]) if s > at else False:
            return False
        at = max(at, e)
    return not any(ch.isalnum() for ch in text[at:end])


def join_split_quotes(claims: list[Claim], quotes: Quotes, attributed: Iterable[int] = ()) -> list[Claim]:
    """Join to a direct claim the long quote that follows its attribution in the same paragraph
    (``"A," X said, "B."``), when the text between the two quotes holds the claim's cue and at
    most :data:`MAX_JOIN_WORDS` words, and no other claim claims the quote nor other cue
    attributes it (``attributed``: quote indices)."""
    text = quotes.text
    claimed = {k for c in claims for k in quotes.touching(c.start, c.end)} | set(attributed)
    out = []
    for c in claims:
        while c.kind == "direct" and c.cue is not None:
            last = quotes.touching(c.end - 1, c.end)
            if not last:
                break
            k = last[-1]
            nxt = k + 1
            if nxt >= len(quotes.marks) or nxt in claimed:
                break
            if not quotes.continues(k):  # a quote that goes on in the next paragraph joins without more
                if quotes.paragraph[nxt] != quotes.paragraph[k] or not quotes.long[nxt]:
                    break
                between = (quotes.marks[k][1], quotes.marks[nxt][0])
                if not between[0] <= c.cue.start < between[1] or len(WORD.findall(text, *between)) > MAX_JOIN_WORDS:
                    break
            piece = Span(*trim(text, *quotes.inner[nxt]))
            parts = (c.parts or (Span(c.start, c.end),)) + (piece,)
            c = replace(c, end=piece.end, parts=parts)
            claimed.add(nxt)
        out.append(c)
    return out



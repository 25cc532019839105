"""Direct quotes: the layer ``toolkit.claims.quotes.v1`` of the claim rules.

Quotes in straight or curly double quotes (content = inside the marks), with the attribution
after (``"...," X said``) or before (``X said: "..."``). A quote that follows another in the
same paragraph with no attribution of its own (``"A," X said, "B."``, ``"A," X added. "B."``)
is part of that claim (its ``parts``); in a later paragraph it is a claim of the same speaker.
A paragraph with unbalanced quote marks is skipped rather than guessed.
"""
from __future__ import annotations

import re
from dataclasses import replace
from typing import Iterable

from spacy.tokens import Doc

from ...types import Claim, Span
from .hedging import hedged
from .lexicon import COMMA
from .speakers import first_entity, speaker
from .tokens import cue_span, cue_tokens, first, paragraphs, sentence_end, trim
from .view import View, as_view

NAME = "toolkit.claims.quotes.v1"
#: shorter quotes (scare quotes, titles) are not claims on their own
MIN_QUOTE_WORDS = 4
#: how far after/before a quote the attribution is looked for (the one default of the component too)
MAX_ATTRIBUTION_CHARS = 250
#: how close (in characters) a quote must follow a claimed quote to keep its speaker
CONTINUATION_CHARS = 200

DIRECT_QUOTE = re.compile(r"\u201c([^\u201c\u201d]+)\u201d|\"([^\"\n]+)\"")
WORD = re.compile(r"\w+", re.U)

Attribution = tuple[Span | None, Span]  # (speaker, cue)


def find_direct(
    view: View | Doc, *, min_quote_words: int = MIN_QUOTE_WORDS, max_attribution_chars: int = MAX_ATTRIBUTION_CHARS
) -> list[Claim]:
    """The direct quotes of ``view`` that have an attribution, in text order.

    Args:
        min_quote_words: shorter quotes (scare quotes, titles) are not claims on their own.
        max_attribution_chars: how far after/before a quote the attribution is looked for.
    """
    v = as_view(view)
    text = v.text
    claims: list[Claim] = []
    for paragraph_start, paragraph_end in balanced_paragraphs(text):
        previous_end = paragraph_start  # the attribution before a quote starts after the quote before it
        first_of_paragraph = len(claims)
        for match in DIRECT_QUOTE.finditer(text, paragraph_start, paragraph_end):
            group = 1 if match.group(1) is not None else 2
            inner_start, inner_end = match.start(group), match.end(group)
            quote_before, previous_end = previous_end, match.end()
            if len(WORD.findall(text, inner_start, inner_end)) < min_quote_words:
                continue
            after_start = match.end()
            after_end = sentence_end(text, after_start, min(paragraph_end, after_start + max_attribution_chars))
            before_start = max(quote_before, inner_start - 1 - max_attribution_chars)
            own = attribution_after(v, after_start, after_end)
            found = own or attribution_before(v, before_start, inner_start - 1) or continued(claims, inner_start)
            if found is None:
                continue
            c_start, c_end = trim(text, inner_start, inner_end)
            is_hedged = hedged(v, inner_start, inner_end) or hedged(v, after_start, after_end)
            previous = claims[-1] if len(claims) > first_of_paragraph else None
            if own is None and previous is not None and previous.cue == found[1]:
                # '"A," X said, "B."' and '"A," X said. "B."': one claim, in parts
                parts = previous.part_spans() + (Span(c_start, c_end),)
                claims[-1] = replace(previous, end=c_end, parts=parts, hedged=previous.hedged or is_hedged)
                continue
            claims.append(Claim(c_start, c_end, kind="direct", hedged=is_hedged, speaker=found[0], cue=found[1]))
    return claims


def reach(claim: Claim) -> tuple[int, int]:
    """The characters a direct quote holds: its content with the quote marks."""
    return claim.start - 1, claim.end + 1


def balanced_paragraphs(text: str) -> Iterable[tuple[int, int]]:
    """The paragraphs that hold quote marks, all of them paired: a paragraph with an odd number
    of straight marks or unmatched curly ones (``The banner read "We want peace now.``) is
    skipped, since it is safer to refuse than to guess which marks pair."""
    for start, end in paragraphs(text):
        straight = text.count('"', start, end)
        opening = text.count("\u201c", start, end)
        if straight % 2 or opening != text.count("\u201d", start, end):
            continue
        if straight or opening:
            yield start, end


def attribution_after(v: View, start: int, end: int) -> Attribution | None:
    """The first cue in the characters [start, end) after a quote and its speaker:
    ``"The harbour deal is finished and signed," Ilse Varga told reporters.``; the subject
    before the cue comes first (``"...," Somchai told lawmakers in Bangkok``,
    ``"...," Siobhan Rafferty, a ward nurse, said``)."""
    t0, t1 = v.token_range(start, end)
    cues = cue_tokens(v, t0, t1)
    if not cues:
        return None
    cue_i = cues[0]
    subject = first_entity(v, t0, cue_i)
    if subject is None and cue_i > t0:  # '"...," Somchai told lawmakers in Bangkok'
        subject = speaker(v, t0, cue_i, cue_i)
        comma = first(v.orth, COMMA, t0, cue_i) if subject is None else None
        if comma is not None and comma > t0:  # '"...," Siobhan Rafferty, a nurse, said'
            subject = speaker(v, t0, comma, comma)
    return (subject if subject is not None else speaker(v, t0, t1, cue_i)), cue_span(v, cue_i)


def attribution_before(v: View, start: int, end: int) -> Attribution | None:
    """The last cue in the characters [start, end) before a quote and its speaker:
    ``Ilse Varga said: "The port will reopen on Friday."``."""
    b0, b1 = v.token_range(start, end)
    cues = cue_tokens(v, b0, b1)
    if not cues:
        return None
    cue_i = cues[-1]
    return speaker(v, b0, b1, cue_i), cue_span(v, cue_i)


def continued(claims: list[Claim], inner_start: int) -> Attribution | None:
    """The attribution of the quote just claimed, when this quote follows it closely:
    ``"The port will reopen on Friday," Ilse Varga said. "Ships are already waiting."``."""
    if claims and claims[-1].kind == "direct" and inner_start - claims[-1].end < CONTINUATION_CHARS:
        previous = claims[-1]
        return previous.speaker, previous.cue  # type: ignore[return-value]
    return None

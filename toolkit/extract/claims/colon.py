"""Colon attributions: the layer ``toolkit.claims.colon.v1`` of the claim rules.

A paragraph (a headline, a standfirst) that opens with a speaker and a colon attributes what
follows to the speaker: ``Blinken: US committed to a free Indo-Pacific`` (indirect: the name must
be a PERSON entity, and the statement must not open with he/she/it, which makes it a headline
about them; on 373 real news headlines section labels such as ``Daily Report:`` were all the
unquoted colon claims before these checks), ``Varga, Reuters: "The port will reopen"`` (direct:
the text inside the marks; any speaker-like name, or without a model two capitalised words). The speaker is
an entity of a speaker label (PERSON, ORG, GPE, NORP) that opens the paragraph (without a
model, two or three capitalised words), optionally
followed by a comma and up to :data:`MAX_AFTER_NAME` words before the colon; the cue is the colon.
"""
from __future__ import annotations

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Doc

from ...types import Claim, Span
from .hedging import hedged
from .quotes import DIRECT_QUOTE, WORD
from .tokens import paragraphs, span, trim
from .view import View, as_view

NAME = "toolkit.claims.colon.v1"
#: words allowed between the speaker's name and the colon after a comma ("Varga, Reuters:")
MAX_AFTER_NAME = 4
#: a shorter statement is no claim
MIN_WORDS = 3
THIRD_PERSON = frozenset({"he", "she", "his", "her", "him", "they", "their", "it", "its"})


def is_colon_claim(claim: Claim, text: str) -> bool:
    """Whether ``claim`` is of this layer: its cue is the colon."""
    return claim.cue is not None and text[claim.cue.start : claim.cue.end] == ":"


def find_colon(view: View | Doc) -> list[Claim]:
    """The colon attributions of ``view`` (see the module docstring), in text order."""
    v = as_view(view)
    text, claims = v.text, []
    for p_start, p_end in paragraphs(text):
        colon = text.find(":", p_start, min(p_end, p_start + 80))
        if colon < 0:
            continue
        t0, t1 = v.token_range(p_start, colon)
        while t0 < t1 and text[v.idx[t0]].isspace():
            t0 += 1
        found = [ent for ent in v.speakers_within(t0, t1) if ent[0] == t0]
        person = bool(found) and found[0][0] in v.person_starts
        name_end = found[0][1] if found else _full_name_end(v, t0, t1)
        if name_end is None or not _only_aside(v, name_end, t1):
            continue
        claim = _statement(v, colon, p_end, span(v, t0, name_end - 1))
        # a section label ("Daily Report: ...", "Inside Amazon: ...") is no speaker: an unquoted
        # statement needs a person's name before the colon, and one about that person
        # ("Steve Jobs: He Brought the Show to Business") is a headline about them, not theirs
        if claim is None or (claim.kind != "direct" and (not person or _about_them(text, claim.start))):
            continue
        claims.append(claim)
    return claims


def _about_them(text: str, start: int) -> bool:
    """Whether a statement opens with a third-person pronoun (it speaks of the person named)."""
    first = text[start:].split(maxsplit=1)[:1]
    return bool(first) and first[0].strip(",.;:").lower() in THIRD_PERSON


def _full_name_end(v: View, t0: int, t1: int) -> int | None:
    """Without an entity (no model): the end of two or three capitalised words that open the
    paragraph (``Ilse Varga:``); a single word (``Update:``, ``Note:``) or a stop word (``Also Read:``) is no name."""
    k = t0
    while k < t1 and k - t0 < 3 and v.is_alpha(k) and v.strings[v.orth[k]].istitle() and v.strings[v.lower[k]] not in STOP_WORDS:
        k += 1
    return k if k - t0 >= 2 and (k == t1 or v.strings[v.orth[k]] == ",") else None


def _only_aside(v: View, name_end: int, colon_tok: int) -> bool:
    """Whether tokens [name_end, colon_tok) are nothing, or a comma and a few words (``, Reuters``)."""
    if name_end == colon_tok:
        return True
    words = [k for k in range(name_end + 1, colon_tok)]
    return v.strings[v.orth[name_end]] == "," and 0 < len(words) <= MAX_AFTER_NAME and all(v.is_alpha(k) for k in words)


def _statement(v: View, colon: int, p_end: int, speaker: Span) -> Claim | None:
    text = v.text
    start, end = trim(text, colon + 1, p_end, period=True)
    if len(WORD.findall(text, start, end)) < MIN_WORDS:
        return None
    quote = DIRECT_QUOTE.fullmatch(text, start, end) or DIRECT_QUOTE.fullmatch(text, start, min(len(text), end + 1))
    kind = "indirect"
    if quote is not None:
        group = 1 if quote.group(1) is not None else 2
        start, end = trim(text, quote.start(group), quote.end(group))
        kind = "direct"
    return Claim(start, end, kind=kind, hedged=hedged(v, start, end), speaker=speaker, cue=Span(colon, colon + 1))


def reach(v: View, claim: Claim) -> tuple[int, int]:
    """The characters a colon claim holds: from its speaker to the end of its content."""
    assert claim.speaker is not None
    return claim.speaker.start, claim.end + (1 if claim.kind == "direct" else 0)

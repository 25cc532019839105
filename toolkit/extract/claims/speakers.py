"""Who said it: the speaker of a claim, from the tokens of its attribution.

The speaker is the entity nearest the cue (PERSON, ORG, GPE, NORP; a person before the
others), with the noun phrase a nationality or a place's possessive opens (``Indonesian
officials``, ``Vietnam's foreign ministry``); a short subject with no person in it, whole
(``The Vermont Agency of Agriculture said``); else a short noun phrase (``analysts``, ``the
ministry``; adverbs between it and the cue, as in ``analysts also said``, are skipped), else None.
"""
from __future__ import annotations

from ...types import Span
from .lexicon import ADVERB_H, COMMA, DET_H, NOT_IN_SUBJECT_H, NOT_NOUN_H, NOT_SUBJECT_START_H, POSSESSIVE_H, STOP_H
from .tokens import first, last, span
from .view import View


def speaker(v: View, start: int, end: int, cue_tok: int) -> Span | None:
    """The entity in tokens [start, end) nearest ``cue_tok``, else a short noun phrase next to it
    (``said Australian Defence Minister Ruth Calloway``: the person; ``analysts also said``: ``analysts``)."""
    within = v.speakers_within(start, end)
    if within:
        # a person before any other entity: "said Australian Defence Minister Ruth Calloway"
        pool = v.persons_within(start, end) or within
        e_start, e_end = min(pool, key=lambda ent: min(abs(ent[0] - cue_tok), abs(ent[1] - cue_tok)))
        return entity_phrase(v, e_start, e_end, cue_tok if e_end <= cue_tok else end)
    return noun_phrase(v, start, end, cue_tok)


def noun_phrase(v: View, start: int, end: int, cue_tok: int) -> Span | None:
    """The words right before the cue (and before up to two adverbs there: ``analysts also
    said``), or right after it (``said the ministry``), without a leading determiner."""
    words: list[int] = []
    end_before = cue_tok - 1
    while end_before >= start and end_before > cue_tok - 3 and v.lower[end_before] in ADVERB_H:
        end_before -= 1
    for i in range(end_before, max(start, end_before - 3) - 1, -1):
        if v.lower[i] in STOP_H or v.lower[i] in ADVERB_H or not v.is_alpha(i):
            break
        words.insert(0, i)
    if not words:
        for i in range(cue_tok + 1, min(end, cue_tok + 5)):
            if v.lower[i] in STOP_H or not v.is_alpha(i):
                break
            words.append(i)
    while len(words) > 1 and v.lower[words[0]] in DET_H:
        words = words[1:]
    if not words:
        return None
    return span(v, words[0], words[-1])


def entity_phrase(v: View, start: int, end: int, limit: int) -> Span:
    """The entity in tokens [start, end) as a speaker: with the lower-case words of the noun
    phrase it opens (before token ``limit``) when it is a nationality (``Indonesian officials``)
    or a place with a possessive (``Vietnam's foreign ministry``)."""
    end_word = end - 1
    k = end
    if start in v.modifier_starts and k < limit and v.lower[k] in POSSESSIVE_H:
        k += 1
    elif start not in v.nationality_starts:
        return span(v, start, end_word)
    while k < limit and k - end < 4 and v.lower[k] not in NOT_NOUN_H and v.strings[v.orth[k]].islower() and v.is_alpha(k):
        end_word = k
        k += 1
    if k < limit and v.lower[k] not in NOT_NOUN_H and v.is_alpha(k):
        return span(v, start, end - 1)  # the words go on: no noun phrase that ends here ("officials often note that the")
    return span(v, start, end_word)


def subject(v: View, start: int, cue_tok: int) -> Span | None:
    """The whole subject in tokens [start, cue_tok) when it is a short noun phrase with no
    person in it (``The Vermont Agency of Agriculture said``, ``Critics from the Green Party
    argued``): its words, from the first that is not a determiner. None otherwise."""
    end = cue_tok
    while end > start and v.lower[end - 1] in ADVERB_H:
        end -= 1
    if not 2 <= end - start <= 8 or v.lower[start] in NOT_SUBJECT_START_H:
        return None
    for k in range(start, end):
        if k in v.person_starts or v.lower[k] in NOT_IN_SUBJECT_H or not (v.is_alpha(k) or v.lower[k] in POSSESSIVE_H):
            return None
    while start < end - 1 and v.lower[start] in DET_H:
        start += 1
    return span(v, start, end - 1)


def first_entity(v: View, start: int, end: int) -> Span | None:
    """The subject of ``"...," X, a ..., told``: the first person in tokens [start, end), else the
    first speaker-like entity (``"...," UN economist Mara Quint told``)."""
    within = v.persons_within(start, end) or v.speakers_within(start, end)
    if not within:
        return None
    e_start, e_end = within[0]
    return entity_phrase(v, e_start, e_end, end)


def apposed_subject(v: View, sent_start: int, comma: int) -> int | None:
    """The end of a short subject that an apposition or clause follows, in ``SUBJECT, ...,``
    before token ``comma`` (``Ilse Varga, the harbour master, said ...``): the sentence's first
    comma, if at most five tokens in and a speaker entity is before it (or at most three words)."""
    found = first(v.orth, COMMA, sent_start, comma)
    if found is None or found - sent_start > 5:
        return None
    return found if v.speakers_within(sent_start, found) or found - sent_start <= 3 else None


def is_full_name(v: View, start: int, end: int) -> bool:
    """Whether tokens [start, end) are two to four capitalised words (``Neil Haverty``)."""
    return 2 <= end - start <= 4 and all(v.strings[v.orth[k]].istitle() and v.is_alpha(k) for k in range(start, end))


def apposed_speaker(v: View, sent_start: int, comma: int) -> tuple[int, Span | None] | None:
    """In ``CONTENT, X, APPOSITION, said.`` (``comma`` closes the apposition): where the
    content ends and the speaker; None when no content is left before them
    (``The port will reopen, Ilse Varga, the harbour master, said on Monday.``)."""
    opening = last(v.orth, COMMA, sent_start, comma)
    if opening is None or opening <= sent_start + 3:
        return None
    earlier = last(v.orth, COMMA, sent_start, opening)
    if earlier is not None and earlier > sent_start + 3 and not v.speakers_within(opening + 1, comma):
        return earlier, speaker(v, earlier + 1, opening, opening)
    return opening, speaker(v, opening + 1, comma, comma)

"""Reported speech: the layer ``toolkit.claims.reported.v1`` of the claim rules.

One claim per sentence that holds a cue (of kind ``mixed`` when its content holds a quotation): ``X said (that) ...``, ``..., X said`` /
``..., said X``, with an apposition or clause after the speaker (``X, the harbour master,
said ...``, ``..., X, a spokesman, said.``, ``..., said X, a spokesman.``), ``according to
X, ...`` / ``..., according to X``, ``X told Y (that) ...``, ``X reported (that) ...``,
``X has reported citing ...``, ``X said citing a source that ...``. A negated cue (``have not
said that ...``) gives a claim with ``negated`` set.
"""
from __future__ import annotations

from bisect import bisect_left
from dataclasses import replace
from typing import NamedTuple

from spacy.tokens import Doc

from ...types import Claim, Span
from . import speakers
from .hedging import hedged
from .quotes import DIRECT_QUOTE
from .lexicon import ADVERB_H, CITING, COMMA, DO_H, HAVE_H, NEG_H, THAT, TOLD_H, VERBISH_H
from .tokens import any_in, cue_first, cue_span, cue_tokens, first, last, span, tail_end, trim
from .view import View, as_view

NAME = "toolkit.claims.reported.v1"
#: a claim of this many characters or fewer is too short to be one
MIN_CONTENT_CHARS = 10

Sentence = tuple[int, int]  # tokens [start, end)


def find_indirect(view: View | Doc) -> list[Claim]:
    """Reported speech in the sentences that hold a cue word, in text order. Sentences that
    hold a direct quote are left to it by the component (see :func:`reach`)."""
    v = as_view(view)
    claims: list[Claim] = []
    for sent in v.sentences_with(sorted(v.cue_at + v.according_at)):
        claim = according_to(v, sent) or cue_claim(v, sent)
        if claim is not None and claim.end - claim.start > MIN_CONTENT_CHARS:
            if DIRECT_QUOTE.search(v.text, claim.start, claim.end):  # 'said it would grow at a "modest pace"'
                claim = replace(claim, kind="mixed")
            claims.append(claim)
    return claims


def reach(v: View, claim: Claim) -> tuple[int, int]:
    """The characters a reported claim holds: the sentence of its cue."""
    assert claim.cue is not None  # every claim of this layer has one
    cue_last = v.token_range(claim.cue.start, claim.cue.end)[1] - 1
    start, end = v.sentences_with([cue_last])[0]
    return v.idx[start], v.end_char(end - 1)


# --- according to ---------------------------------------------------------------------------


def according_to(v: View, sent: Sentence) -> Claim | None:
    """The first ``according to`` of the sentence (not among its last two tokens), leading or trailing."""
    at = v.according_at
    k = bisect_left(at, sent[0])
    if k == len(at) or at[k] >= sent[1] - 2:
        return None
    i = at[k]
    comma = first(v.orth, COMMA, i + 2, sent[1])
    if i - sent[0] <= 1 and comma is not None:
        return according_to_first(v, sent, i, comma)
    return according_to_last(v, sent, i, comma)


def according_to_first(v: View, sent: Sentence, i: int, comma: int) -> Claim:
    """``According to Reuters, the convoy reached the border town.``: the content after the comma."""
    found = speakers.speaker(v, i + 2, comma, i + 1)
    start, end = trim(v.text, v.idx[comma] + 1, v.end_char(sent[1] - 1), period=True)
    return _according_claim(v, i, found, start, end)


def according_to_last(v: View, sent: Sentence, i: int, comma: int | None) -> Claim:
    """``Talks reportedly stalled over fishing rights, according to Kyodo.``: the content before it."""
    found = speakers.speaker(v, i + 2, comma if comma is not None else sent[1], i + 1)
    return _according_claim(v, i, found, v.idx[sent[0]], v.idx[i])


def _according_claim(v: View, i: int, found: Span | None, start: int, end: int) -> Claim:
    start, end = trim(v.text, start, end)
    return Claim(start, end, kind="indirect", hedged=hedged(v, start, end), speaker=found, cue=span(v, i, i + 1))


# --- cue verbs --------------------------------------------------------------------------------


class CueContext(NamedTuple):
    """What the patterns of a cue verb ask of its sentence."""

    i: int  # the cue token
    cue: Span
    comma_before: int | None  # the last comma in the eight tokens before the cue
    tail_end: int  # where the attribution after the cue ends (see ``tail_end``)
    closing: bool  # the cue ends the attribution: "CONTENT, X said on Monday."
    bare: bool  # only adverbs between that comma and the cue
    subject_end: int | None  # the comma that ends a short subject before an apposition
    ends_there: bool  # nothing but adjuncts after the cue: "said on Monday."
    speaker_after: bool  # that, or a speaker right after the cue: "said Ilse Varga"


def cue_claim(v: View, sent: Sentence) -> Claim | None:
    """The claim of the sentence's first cue verb that no negation cancels, by the first pattern that fits."""
    c = read_cue(v, sent)
    if c is None:
        return None
    if c.subject_end is not None and not c.speaker_after and not any_in(v.lower, VERBISH_H, sent[0], c.subject_end):
        return apposed_subject_first(v, sent, c)
    if c.comma_before is not None and c.comma_before > sent[0] + 3 and (c.closing or (c.bare and c.speaker_after)):
        return attribution_last(v, sent, c)
    return subject_first(v, sent, c)


def read_cue(v: View, sent: Sentence) -> CueContext | None:
    sent_start, sent_end = sent
    # a cue no negation cancels first ("Officials have not said ..., but experts say ..."), else a negated one
    cues = cue_tokens(v, sent_start, sent_end) or cue_tokens(v, sent_start, sent_end, keep_negated=True)
    if not cues:
        return None
    i = cues[0]
    lower = v.lower
    comma_before = last(v.orth, COMMA, max(sent_start, i - 8), i)
    end_of_tail = tail_end(v, i, sent_end)
    closing = end_of_tail - i <= 6 and not any_in(lower, VERBISH_H, i + 1, end_of_tail)  # not "told Reuters the port would reopen"
    # only adverbs between that comma and the cue: the comma closes an apposition or a clause
    # after the subject ("X, the harbour master, said ..."), or the attribution is inverted
    bare = comma_before is not None and all(lower[k] in ADVERB_H for k in range(comma_before + 1, i))
    subject_end = speakers.apposed_subject(v, sent_start, comma_before) if bare else None  # type: ignore[arg-type]
    # nothing but adjuncts after the cue ("said on Monday."), or a speaker right after it ("said Ilse Varga")
    ends_there = end_of_tail == i + 1 and THAT not in lower[i + 1 : sent_end] and not any_in(lower, VERBISH_H, i + 1, sent_end)
    speaker_after = ends_there or (i + 1 in v.ent_end and bool(v.speakers_within(i + 1, v.ent_end[i + 1])))
    return CueContext(i, cue_span(v, i), comma_before, end_of_tail, closing, bare, subject_end, ends_there, speaker_after)


def apposed_subject_first(v: View, sent: Sentence, c: CueContext) -> Claim | None:
    """``Ilse Varga, the harbour master, also said the port would reopen.``: the subject before
    the apposition (``Kosko's lawyer, Neil Haverty, said ...``: the name in the apposition)."""
    sent_start, subject_end, comma = sent[0], c.subject_end, c.comma_before
    assert subject_end is not None and comma is not None
    found = speakers.speaker(v, sent_start, subject_end, subject_end)
    if not v.persons_within(sent_start, subject_end) and speakers.is_full_name(v, subject_end + 1, comma):
        found = span(v, subject_end + 1, comma - 1)  # "Kosko's lawyer, Neil Haverty, said"
    return content_after(v, sent, c, sent_start, found)


def attribution_last(v: View, sent: Sentence, c: CueContext) -> Claim | None:
    """``Prices could climb again before winter, analysts said.``, ``The port will reopen on
    Friday, said Ilse Varga, the harbour master.``, and with an apposition before the cue,
    ``The port will reopen, Ilse Varga, the harbour master, said on Monday.``: the content before."""
    text, idx, i = v.text, v.idx, c.i
    assert c.comma_before is not None
    content_end, found = c.comma_before, speakers.speaker(v, c.comma_before + 1, c.tail_end, i)
    if c.bare and c.ends_there:  # "CONTENT, X, a spokesman, said."
        apposed = speakers.apposed_speaker(v, sent[0], c.comma_before)
        if apposed is None:
            return None
        content_end, found = apposed
    start, end = trim(text, idx[sent[0]], idx[content_end])
    is_hedged = hedged(v, start, end) or hedged(v, idx[content_end], idx[c.tail_end - 1])
    negated = v.negated(content_end, i)
    return Claim(start, end, kind="indirect", hedged=is_hedged, speaker=found, cue=c.cue, negated=negated)


def subject_first(v: View, sent: Sentence, c: CueContext) -> Claim | None:
    """``The ministry said that exports rose sharply in the spring.``, ``In a statement on Monday,
    Ilse Varga told Reuters the port would reopen.``: the subject between the comma (or the
    sentence start) and the cue."""
    begin = c.comma_before + 1 if c.comma_before is not None else sent[0]
    first = cue_first(v, c.i)  # "The ministry has said": the subject ends before "has"
    while first > begin + 1 and v.lower[first - 1] in NEG_H | HAVE_H | DO_H:  # "Officials have not said", "did not say"
        first -= 1
    if first <= begin:
        return None
    found = speakers.subject(v, begin, first) or speakers.speaker(v, begin, first, first)
    return content_after(v, sent, c, begin, found)


def content_after(v: View, sent: Sentence, c: CueContext, begin: int, found: Span | None) -> Claim | None:
    """The content after the cue, from token ``begin`` of the attribution: ``X said (that) CONTENT``,
    ``X told Y (that) CONTENT``, ``X said citing a source that CONTENT`` (``negated`` when a
    negation stands right before the cue: ``have not said``)."""
    sent_end, i, lower = sent[1], c.i, v.lower
    j = i + 1
    that = first(lower, THAT, j, min(sent_end, i + 12))
    told = lower[i] in TOLD_H
    if that is not None and (that - j <= 4 or told or CITING in lower[j:that]) and COMMA not in v.orth[j:that]:
        j = that + 1
    elif told:
        j = v.ent_end.get(j, j + 1)
    if j >= sent_end - 1:
        return None
    start, end = trim(v.text, v.idx[j], v.end_char(sent_end - 1), period=True)
    is_hedged = hedged(v, start, end) or hedged(v, v.idx[begin], v.idx[i])
    return Claim(start, end, kind="indirect", hedged=is_hedged, speaker=found, cue=c.cue, negated=v.negated(begin, i))

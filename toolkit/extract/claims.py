"""The rule-based claim component ``toolkit_claim_rules``.

Finds attributed statements and writes them to ``doc._.claims`` (origin ``rules``):

- direct quotes in straight or curly double quotes (content = inside the marks), with
  the attribution after (``"...," X said``) or before (``X said: "..."``); a quote that
  follows a quote of the same speaker (``"...," X added. "..."``) keeps that speaker;
- reported speech: ``X said (that) ...``, ``..., X said`` / ``..., said X``, with an
  apposition or clause after the speaker (``X, the harbour master, said ...``,
  ``..., X, a spokesman, said.``, ``..., said X, a spokesman.``),
  ``according to X, ...`` / ``..., according to X``, ``X told Y (that) ...``,
  ``X reported (that) ...``, ``X has reported citing ...``, ``X said citing a source that ...``;
- the speaker is the entity nearest the cue in the attribution (PERSON, ORG, GPE,
  NORP; a person before the others), with the noun phrase a nationality or a place's
  possessive opens (``Indonesian officials``, ``Vietnam's foreign ministry``); a short
  subject with no person in it, whole (``The Vermont Agency of Agriculture said``); else
  a short noun phrase (``analysts``, ``the ministry``; adverbs between it and the cue, as
  in ``analysts also said``, are skipped), else None;
- ``hedged`` when a hedge word (reportedly, could, might, ...) is in the content or
  the attribution. Negated cues (``have not said``) give no claim. Unbalanced quote
  marks in a paragraph are skipped rather than guessed.
"""
from __future__ import annotations

import re
from array import array
from bisect import bisect_left, bisect_right
from typing import Iterable

import numpy
from spacy.attrs import IDX, LOWER, ORTH, SENT_START
from spacy.language import Language
from spacy.strings import get_string_id
from spacy.tokens import Doc

from ..types import Claim, Span
from .gazetteer import cue_words
from .settings import SettingsComponent
from .spans import BatchPipe, doc_text, set_claims

CUE_VERBS = (
    "said says say told tells reported added stated announced claimed "
    "confirmed confirms warned warns noted stressed denied denies insisted insists argued argues "
    "explained explains wrote writes tweeted posted acknowledged admitted suggested"
).split()
CUE_SET = frozenset(CUE_VERBS)  # lower-case forms only: "States" in "United States" is no cue
HEDGES = (
    "reportedly possibly could might may allegedly likely perhaps apparently probably purportedly "
    "unconfirmed rumoured rumored"
).split()
NEGATIONS = {"not", "n't", "never", "no"}
SPEAKER_LABELS = {"PERSON", "ORG", "GPE", "NORP"}
DETERMINERS = {"the", "a", "an", "this", "that", "some", "many", "several", "three", "two", "four", "its", "his", "her", "their"}
STOP_NP = {"and", "but", "as", "which", "who", ",", ".", "has", "have", "had", "is", "was", "were", "are", "will", "would", "on", "in", "at", "to", "with", "also", "earlier", "then"}

DIRECT_QUOTE = re.compile(r"\u201c([^\u201c\u201d]+)\u201d|\"([^\"\n]+)\"")
WORD = re.compile(r"\w+", re.U)
PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
SENTENCE_END = re.compile(r"[.!?](?=\s|$)")


@Language.factory(
    "toolkit_claim_rules",
    default_config={"min_quote_words": 4, "max_attribution_chars": 250},
)
def make_claim_rules(nlp: Language, name: str, min_quote_words: int, max_attribution_chars: int) -> "ClaimRules":
    """Rule-based claims (see the module docstring).

    Args:
        min_quote_words: shorter quotes (scare quotes, titles) are not claims on their own.
        max_attribution_chars: how far after/before a quote the attribution is looked for.
    """
    return ClaimRules(name, min_quote_words=min_quote_words, max_attribution_chars=max_attribution_chars)


class ClaimRules(BatchPipe, SettingsComponent):
    def __init__(self, name: str = "toolkit_claim_rules", *, min_quote_words: int = 4, max_attribution_chars: int = 120) -> None:
        self.name = name
        self.cfg = {"min_quote_words": min_quote_words, "max_attribution_chars": max_attribution_chars}

    def __call__(self, doc: Doc) -> Doc:
        view = _View(doc)
        claims = find_direct(view, **self.cfg)
        quoted = [(c.start - 1, c.end + 1) for c in claims]
        claims += find_indirect(view, quoted)
        set_claims(doc, claims)
        return doc


_H = get_string_id
CUE_H = frozenset(_H(w) for w in CUE_VERBS)
NEG_H = frozenset(_H(w) for w in NEGATIONS)
SPEAKER_H = frozenset(_H(label) for label in SPEAKER_LABELS)
PERSON_H, NORP_H, GPE_H = _H("PERSON"), _H("NORP"), _H("GPE")
POSSESSIVE_H = frozenset(_H(w) for w in ("'s", "\u2019s"))
STOP_H = frozenset(_H(w) for w in STOP_NP)
DET_H = frozenset(_H(w) for w in DETERMINERS)
ADVERB_H = frozenset(_H(w) for w in cue_words("_SPEECH_ADVERB"))  # "analysts also said": skipped
# words that make what follows a cue a clause (content), not a speaker
VERBISH_H = frozenset(_H(w) for w in "is was were are be been will would can could may might must should has have had not".split())
# words that end the noun phrase an entity opens ("Indonesian officials also said")
NOT_NOUN_H = STOP_H | ADVERB_H | VERBISH_H | CUE_H
# a subject does not start with a preposition or an adverb ("In Hanoi officials said"), nor hold a verb or a clause
NOT_SUBJECT_START_H = ADVERB_H | frozenset(_H(w) for w in "in on at after before during from for with by under over since as when while but and so".split())
NOT_IN_SUBJECT_H = VERBISH_H | CUE_H | frozenset(_H(w) for w in "that which who whose whom where when while but as said says".split())
HAVE_H = frozenset(_H(w) for w in ("has", "have", "had"))
TOLD_H = frozenset(_H(w) for w in ("told", "tells"))
TAIL_H = frozenset(_H(w) for w in ("on", "in", "at", "citing", "during", "after", "before", "."))
ACCORDING, TO, COMMA, THAT, CITING = (_H(w) for w in ("according", "to", ",", "that", "citing"))
VIEW_ATTRS = [ORTH, LOWER, IDX, SENT_START]
HEDGE_H = frozenset(_H(w) for w in HEDGES)
# every word the view locates, by its LOWER id: one sorted lookup finds them all
WATCH_IDS = numpy.array(sorted(CUE_H | HEDGE_H | NEG_H | {ACCORDING}), dtype="uint64")


def _positions(ids: numpy.ndarray, column: numpy.ndarray) -> list[int]:
    """The rows where ``column`` holds one of the sorted ``ids`` (a sorted lookup, not a set test per token)."""
    return numpy.flatnonzero(ids[numpy.searchsorted(ids, column) % len(ids)] == column).tolist()


class _View:
    """What the claim rules read of a doc, computed once in C: the text, the entities and
    per-token ids, offsets and flags as plain lists (building a ``Token`` per look is what
    made the rules slow), and where the cue words are."""

    __slots__ = (
        "doc", "text", "strings", "ent_end", "speakers", "speaker_starts", "person_starts", "nationality_starts",
        "modifier_starts", "orth", "lower", "idx",
        "sent_starts", "cue_at", "according_at", "neg_at", "hedge_at", "hedge_starts",
    )  # fmt: skip

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.text = text = doc_text(doc)
        self.strings = doc.vocab.strings
        arr = doc.to_array(VIEW_ATTRS) if len(doc) else numpy.zeros((0, len(VIEW_ATTRS)), dtype="uint64")
        # token ids stay 64-bit C numbers until read (a list would make a Python int of each)
        self.orth, self.lower = array("Q", arr[:, 0].tobytes()), array("Q", arr[:, 1].tobytes())
        self.idx = idx = arr[:, 2].tolist()
        starts = numpy.flatnonzero(arr[:, 3] == 1).tolist()
        if len(doc) and (not starts or starts[0] != 0):
            starts.insert(0, 0)
        self.sent_starts = starts
        self.ent_end = {}  # entity start token -> end token
        self.speakers = []  # PERSON/ORG/GPE/NORP entities, by start
        self.person_starts, self.nationality_starts, self.modifier_starts = set(), set(), set()
        for ent in doc.ents:
            self.ent_end[ent.start] = ent.end
            if ent.label in SPEAKER_H:
                self.speakers.append((ent.start, ent.end))
                if ent.label == PERSON_H:
                    self.person_starts.add(ent.start)
                elif ent.label == NORP_H:
                    self.nationality_starts.add(ent.start)
                elif ent.label == GPE_H:
                    self.modifier_starts.add(ent.start)
        self.speaker_starts = [start for start, _ in self.speakers]
        # cue verbs and hedges count in lower case only ("States", the month "May"); negations
        # and "according to" in any case
        self.cue_at, self.neg_at, self.according_at = [], [], []
        self.hedge_at = []  # as characters, for ``hedged``
        orth, lower, strings = self.orth, self.lower, self.strings
        for i in _positions(WATCH_IDS, arr[:, 1]):
            word = lower[i]
            if word in NEG_H:
                self.neg_at.append(i)
            elif word == ACCORDING:
                if i + 1 < len(lower) and lower[i + 1] == TO:
                    self.according_at.append(i)
            elif orth[i] == word:
                if word in CUE_H:
                    self.cue_at.append(i)
                else:
                    self.hedge_at.append((idx[i], idx[i] + len(strings[word])))
        self.hedge_starts = [start for start, _ in self.hedge_at]

    def __len__(self) -> int:
        return len(self.orth)

    def speakers_within(self, start: int, end: int) -> list[tuple[int, int]]:
        """The speaker-label entities inside tokens [start, end), in order."""
        starts = self.speaker_starts
        return [(s, e) for s, e in self.speakers[bisect_left(starts, start) : bisect_left(starts, end)] if e <= end]

    def persons_within(self, start: int, end: int) -> list[tuple[int, int]]:
        """The PERSON entities inside tokens [start, end), in order."""
        return [ent for ent in self.speakers_within(start, end) if ent[0] in self.person_starts]

    def hedged(self, start: int, end: int) -> bool:
        """Whether a hedge word is a word of ``text[start:end]``: a hedge token that lies
        inside and is a whole word there (``could`` of ``couldn't`` is not)."""
        text, at = self.text, self.hedge_at
        for k in range(bisect_left(self.hedge_starts, start), len(at)):
            s, e = at[k]
            if e > end:
                if s >= end:
                    break
                continue
            if (s == start or not _is_word_char(text[s - 1])) and (e == end or not _is_word_char(text[e])):
                return True
        return False

    def negated(self, start: int, i: int) -> bool:
        """Whether a negation is among the three tokens before token ``i`` (from ``start`` on)."""
        at = self.neg_at
        k = bisect_left(at, max(start, i - 3))
        return k < len(at) and at[k] < i

    def end_char(self, i: int) -> int:
        return self.idx[i] + len(self.strings[self.orth[i]])

    def is_alpha(self, i: int) -> bool:
        return self.strings[self.orth[i]].isalpha()  # spaCy's IS_ALPHA, for the few tokens asked about

    def token_range(self, start: int, end: int) -> tuple[int, int]:
        """Tokens [a, b) covering the characters [start, end)."""
        if start >= end:
            return (0, 0)
        a = bisect_right(self.idx, start) - 1
        b = bisect_left(self.idx, end)
        a = max(a, 0)
        if a < b and self.end_char(a) <= start:
            a += 1
        return (a, b) if a < b else (0, 0)

    def sentences_with(self, tokens: list[int]) -> list[tuple[int, int]]:
        """Token ranges of the sentences that hold one of the sorted ``tokens``, each from its
        first token that is not whitespace (a paragraph break opens a sentence but is no word of it)."""
        starts, text, idx = self.sent_starts, self.text, self.idx
        out: list[tuple[int, int]] = []
        k = 0
        while k < len(tokens):
            n = bisect_right(starts, tokens[k])  # the sentence of tokens[k] is starts[n - 1]
            start, end = starts[n - 1], starts[n] if n < len(starts) else len(self)
            while start < end - 1 and text[idx[start]].isspace():
                start += 1
            k = bisect_left(tokens, end, k)
            # spaCy's sentencizer ends a sentence after the punctuation that follows its period, so
            # ``... reopen. "We will ...`` ends with the quote mark that opens the next sentence
            while end - 1 > start and (self._opens_quote(end - 1) or text[idx[end - 1]].isspace()):
                end -= 1
            out.append((start, end))
        return out

    def _opens_quote(self, i: int) -> bool:
        """Whether token ``i`` is an opening double quote mark (curly, or straight after a space)."""
        word = self.strings[self.orth[i]]
        at = self.idx[i]
        return word == "\u201c" or (word == '"' and at > 0 and self.text[at - 1].isspace())


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"  # what the regular expression ``\\w`` matches


def _span(v: _View, first: int, last: int) -> Span:
    """The characters of tokens ``first``..``last`` (inclusive)."""
    return Span(v.idx[first], v.end_char(last))


def _speaker(v: _View, start: int, end: int, cue_tok: int) -> Span | None:
    """The entity in tokens [start, end) nearest ``cue_tok``, else a short noun phrase next to it."""
    within = v.speakers_within(start, end)
    if within:
        # a person before any other entity: "said Australian Defence Minister Ruth Calloway"
        pool = v.persons_within(start, end) or within
        e_start, e_end = min(pool, key=lambda ent: min(abs(ent[0] - cue_tok), abs(ent[1] - cue_tok)))
        return _entity_phrase(v, e_start, e_end, cue_tok if e_end <= cue_tok else end)
    # noun phrase: the words right before the cue (and before up to two adverbs there), or right after it
    words: list[int] = []
    last = cue_tok - 1
    while last >= start and last > cue_tok - 3 and v.lower[last] in ADVERB_H:
        last -= 1
    for i in range(last, max(start, last - 3) - 1, -1):
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
    return _span(v, words[0], words[-1])


def _entity_phrase(v: _View, start: int, end: int, limit: int) -> Span:
    """The entity in tokens [start, end) as a speaker: with the lower-case words of the noun
    phrase it opens (before token ``limit``) when it is a nationality (``Indonesian officials``)
    or a place with a possessive (``Vietnam's foreign ministry``)."""
    last = end - 1
    k = end
    if start in v.modifier_starts and k < limit and v.lower[k] in POSSESSIVE_H:
        k += 1
    elif start not in v.nationality_starts:
        return _span(v, start, last)
    while k < limit and k - end < 4 and v.lower[k] not in NOT_NOUN_H and v.strings[v.orth[k]].islower() and v.is_alpha(k):
        last = k
        k += 1
    if k < limit and v.lower[k] not in NOT_NOUN_H and v.is_alpha(k):
        return _span(v, start, end - 1)  # the words go on: no noun phrase that ends here ("officials often note that the")
    return _span(v, start, last)


def _subject(v: _View, start: int, cue_tok: int) -> Span | None:
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
    return _span(v, start, end - 1)


def _first_entity(v: _View, start: int, end: int) -> Span | None:
    """The subject of ``"...," X, a ..., told``: the first person in tokens [start, end), else the
    first speaker-like entity (``"...," UN economist Mara Quint told``)."""
    within = v.persons_within(start, end) or v.speakers_within(start, end)
    if not within:
        return None
    e_start, e_end = within[0]
    return _entity_phrase(v, e_start, e_end, end)


def _cue_tokens(v: _View, start: int, end: int) -> list[int]:
    """The cue verbs in tokens [start, end) that no negation in the three tokens before (within the range) cancels."""
    at = v.cue_at
    cues = at[bisect_left(at, start) : bisect_left(at, end)]
    return [i for i in cues if not v.negated(start, i)] if v.neg_at else cues


def _cue_span(v: _View, i: int) -> Span:
    first = i - 1 if i > 0 and v.lower[i - 1] in HAVE_H else i
    return _span(v, first, i)


def find_direct(view: _View | Doc, *, min_quote_words: int = 4, max_attribution_chars: int = 120) -> list[Claim]:
    v = view if isinstance(view, _View) else _View(view)
    text = v.text
    claims: list[Claim] = []
    for paragraph_start, paragraph_end in _paragraphs(text):
        straight = text.count('"', paragraph_start, paragraph_end)
        opening = text.count("\u201c", paragraph_start, paragraph_end)
        if straight % 2 or opening != text.count("\u201d", paragraph_start, paragraph_end):
            continue  # unbalanced quote marks: refuse rather than guess
        if not straight and not opening:
            continue
        previous_end = paragraph_start  # the attribution before a quote starts after the quote before it
        for match in DIRECT_QUOTE.finditer(text, paragraph_start, paragraph_end):
            group = 1 if match.group(1) is not None else 2
            inner_start, inner_end = match.start(group), match.end(group)
            quote_before, previous_end = previous_end, match.end()
            if len(WORD.findall(text, inner_start, inner_end)) < min_quote_words:
                continue
            c_start, c_end = _trim(text, inner_start, inner_end)
            after_start = match.end()
            after_end = min(paragraph_end, after_start + max_attribution_chars)
            sentence_end = _sentence_end(text, after_start, after_end)
            speaker = cue = None
            t0, t1 = v.token_range(after_start, sentence_end)
            cues = _cue_tokens(v, t0, t1)
            if cues:
                cue_i = cues[0]
                cue = _cue_span(v, cue_i)
                subject = _first_entity(v, t0, cue_i)
                if subject is None and cue_i > t0:  # '"...," Somchai told lawmakers in Bangkok'
                    subject = _speaker(v, t0, cue_i, cue_i)
                    comma = _first(v.orth, COMMA, t0, cue_i) if subject is None else None
                    if comma is not None and comma > t0:  # '"...," Siobhan Rafferty, a nurse, said'
                        subject = _speaker(v, t0, comma, comma)
                speaker = subject if subject is not None else _speaker(v, t0, t1, cue_i)
            else:
                before_start = max(quote_before, inner_start - 1 - max_attribution_chars)
                b0, b1 = v.token_range(before_start, inner_start - 1)
                cues = _cue_tokens(v, b0, b1)
                if cues:
                    cue_i = cues[-1]
                    cue = _cue_span(v, cue_i)
                    speaker = _speaker(v, b0, b1, cue_i)
                elif claims and claims[-1].kind == "direct" and inner_start - claims[-1].end < 200:
                    speaker, cue = claims[-1].speaker, claims[-1].cue
            if speaker is None and cue is None:
                continue
            hedged = v.hedged(inner_start, inner_end) or v.hedged(after_start, sentence_end)
            claims.append(Claim(c_start, c_end, kind="direct", hedged=hedged, speaker=speaker, cue=cue))
    return claims


def find_indirect(view: _View | Doc, quoted: list[tuple[int, int]]) -> list[Claim]:
    """Reported speech in the sentences that hold a cue word, except those that overlap one of
    the ``quoted`` character ranges (the direct quotes, which do not overlap each other)."""
    v = view if isinstance(view, _View) else _View(view)
    claims: list[Claim] = []
    quoted = sorted(quoted)
    quote_ends = [e for _, e in quoted]  # in order too, since the quotes do not overlap
    for sent in v.sentences_with(sorted(v.cue_at + v.according_at)):
        start_char, end_char = v.idx[sent[0]], v.end_char(sent[1] - 1)
        k = bisect_right(quote_ends, start_char)
        if k < len(quoted) and quoted[k][0] < end_char:
            continue
        claim = _according_to(v, sent) or _cue_claim(v, sent)
        if claim is not None and claim.end - claim.start > 10:
            claims.append(claim)
    return claims


def _according_to(v: _View, sent: tuple[int, int]) -> Claim | None:
    first, last = sent
    at = v.according_at
    k = bisect_left(at, first)
    if k == len(at) or at[k] >= last - 2:
        return None
    i = at[k]
    cue = _span(v, i, i + 1)
    comma = _first(v.orth, COMMA, i + 2, last)
    if i - first <= 1 and comma is not None:  # "According to X, CONTENT."
        speaker = _speaker(v, i + 2, comma, i + 1)
        start, end = _trim(v.text, v.idx[comma] + 1, v.end_char(last - 1), period=True)
    else:  # "CONTENT, according to X."
        speaker = _speaker(v, i + 2, comma if comma is not None else last, i + 1)
        start, end = v.idx[first], v.idx[i]
    start, end = _trim(v.text, start, end)
    return Claim(start, end, kind="indirect", hedged=v.hedged(start, end), speaker=speaker, cue=cue)


def _cue_claim(v: _View, sent: tuple[int, int]) -> Claim | None:
    sent_start, sent_end = sent
    cues = _cue_tokens(v, sent_start, sent_end)
    if not cues:
        return None
    i = cues[0]
    text, lower, idx = v.text, v.lower, v.idx
    cue = _cue_span(v, i)
    # "CONTENT, X said." / "CONTENT, said X." / "CONTENT, X has reported citing ..."
    comma_before = _last(v.orth, COMMA, max(sent_start, i - 8), i)
    tail_end = _tail_end(v, i, sent_end)
    closing = tail_end - i <= 6 and not _any_in(lower, VERBISH_H, i + 1, tail_end)  # not "told Reuters the port would reopen"
    # only adverbs between that comma and the cue: the comma closes an apposition or a clause
    # after the subject ("X, the harbour master, said ..."), or the attribution is inverted
    bare = comma_before is not None and all(lower[k] in ADVERB_H for k in range(comma_before + 1, i))
    subject = _apposed_subject(v, sent_start, comma_before) if bare else None
    # nothing but adjuncts after the cue ("said on Monday."), or a speaker right after it ("said Ilse Varga")
    ends_there = tail_end == i + 1 and THAT not in lower[i + 1 : sent_end] and not _any_in(lower, VERBISH_H, i + 1, sent_end)
    speaker_after = ends_there or (i + 1 in v.ent_end and bool(v.speakers_within(i + 1, v.ent_end[i + 1])))
    if subject is not None and not speaker_after and not _any_in(lower, VERBISH_H, sent_start, subject):
        first = sent_start  # "X, the harbour master, said (that) CONTENT"
        speaker = _speaker(v, sent_start, subject, subject)
        if not v.persons_within(sent_start, subject) and _is_full_name(v, subject + 1, comma_before):
            speaker = _span(v, subject + 1, comma_before - 1)  # "Kosko's lawyer, Neil Haverty, said"
    else:
        if comma_before is not None and comma_before > sent_start + 3 and (closing or (bare and speaker_after)):
            content_end, speaker = comma_before, _speaker(v, comma_before + 1, tail_end, i)
            if bare and ends_there:  # "CONTENT, X, a spokesman, said."
                found = _apposed_speaker(v, sent_start, comma_before)
                if found is None:
                    return None
                content_end, speaker = found
            start, end = _trim(text, idx[sent_start], idx[content_end])
            hedged = v.hedged(start, end) or v.hedged(idx[content_end], idx[tail_end - 1])
            return Claim(start, end, kind="indirect", hedged=hedged, speaker=speaker, cue=cue)
        first = comma_before + 1 if comma_before is not None else sent_start
        if i <= first:
            return None
        speaker = _subject(v, first, i) or _speaker(v, first, i, i)
    # "X said (that) CONTENT" / "X told Y (that) CONTENT" / "X said citing a source that CONTENT"
    j = i + 1
    limit = min(sent_end, i + 12)
    that = _first(lower, THAT, j, limit)
    told = lower[i] in TOLD_H
    if that is not None and (that - j <= 4 or told or CITING in lower[j:that]) and COMMA not in v.orth[j:that]:
        j = that + 1
    elif told:
        j = v.ent_end.get(j, j + 1)
    if j >= sent_end - 1:
        return None
    start, end = _trim(text, idx[j], v.end_char(sent_end - 1), period=True)
    if v.negated(first, i):
        return None
    hedged = v.hedged(start, end) or v.hedged(idx[first], idx[i])
    return Claim(start, end, kind="indirect", hedged=hedged, speaker=speaker, cue=cue)


def _apposed_subject(v: _View, sent_start: int, comma: int) -> int | None:
    """The end of a short subject that an apposition or clause follows, in ``SUBJECT, ...,``
    before token ``comma``: the sentence's first comma, if at most five tokens in and a
    speaker entity is before it (or at most three words)."""
    first = _first(v.orth, COMMA, sent_start, comma)
    if first is None or first - sent_start > 5:
        return None
    return first if v.speakers_within(sent_start, first) or first - sent_start <= 3 else None


def _is_full_name(v: _View, start: int, end: int) -> bool:
    """Whether tokens [start, end) are two to four capitalised words (``Neil Haverty``)."""
    return 2 <= end - start <= 4 and all(v.strings[v.orth[k]].istitle() and v.is_alpha(k) for k in range(start, end))


def _apposed_speaker(v: _View, sent_start: int, comma: int) -> tuple[int, Span | None] | None:
    """In ``CONTENT, X, APPOSITION, said.`` (``comma`` closes the apposition): where the
    content ends and the speaker; None when no content is left before them."""
    opening = _last(v.orth, COMMA, sent_start, comma)
    if opening is None or opening <= sent_start + 3:
        return None
    earlier = _last(v.orth, COMMA, sent_start, opening)
    if earlier is not None and earlier > sent_start + 3 and not v.speakers_within(opening + 1, comma):
        return earlier, _speaker(v, earlier + 1, opening, opening)
    return opening, _speaker(v, opening + 1, comma, comma)


def _first_in(ids, wanted: frozenset[int], start: int, end: int) -> int | None:
    """The first position in [start, end) whose id is one of ``wanted`` (None if none is)."""
    for k in range(start, end):
        if ids[k] in wanted:
            return k
    return None


def _any_in(ids, wanted: frozenset[int], start: int, end: int) -> bool:
    return _first_in(ids, wanted, start, end) is not None


def _tail_end(v: _View, i: int, sent_end: int) -> int:
    """Where the attribution after the cue at ``i`` ends: the first of on/in/at/citing/... or the period."""
    tail = _first_in(v.lower, TAIL_H, i + 1, sent_end)
    return sent_end if tail is None else tail


def _first(ids: list[int], value: int, start: int, end: int) -> int | None:
    """The first position of ``value`` in ``ids[start:end]`` (None if absent)."""
    try:
        return ids.index(value, start, end)
    except ValueError:
        return None


def _last(ids: list[int], value: int, start: int, end: int) -> int | None:
    """The last position of ``value`` in ``ids[start:end]`` (None if absent)."""
    for k in range(end - 1, start - 1, -1):
        if ids[k] == value:
            return k
    return None


def _paragraphs(text: str) -> Iterable[tuple[int, int]]:
    """The character ranges of the paragraphs (text between blank lines)."""
    start = 0
    for match in PARAGRAPH_BREAK.finditer(text):
        yield start, match.start()
        start = match.end()
    yield start, len(text)


def _sentence_end(text: str, start: int, limit: int) -> int:
    match = SENTENCE_END.search(text, start, limit)  # ``$`` matches at ``limit``, as at the end of a slice
    return match.end() if match else limit


def _trim(text: str, start: int, end: int, *, period: bool = False) -> tuple[int, int]:
    """Strip spaces and clause punctuation at both ends (and a final period if ``period``)."""
    while start < end and (text[start].isspace() or text[start] in ",;:"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:"):
        end -= 1
    if period and end > start and text[end - 1] == "." and not text[start:end].endswith(".."):
        end -= 1
    return start, end

"""Token rules of ``toolkit_entity_rules``: dates, events, places and person names.

Every rule starts from a *cue* found by the component's phrase matchers (a month, a
title, a speech verb...) and looks at a few tokens around it, so the cost grows with
the number of cues, not with the length of the document. The rules are pure
functions: they read the Doc and yield candidate ``(start, end, label, kb_id)``
token spans; the component resolves overlaps and writes ``doc.ents``.

Person rules use the classic trigger words of hand-written NER (titles, role nouns,
speech verbs; see Nadeau & Sekine, "A survey of named entity recognition and
classification", 2007): a title before a name, a name in apposition to a role noun, a
name next to a speech verb, and surname-only mentions of a person named in full.
"""
from __future__ import annotations

import unicodedata
from array import array
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import lru_cache, partial
from typing import Callable, Iterator

import numpy as np
from spacy.attrs import ORTH, SENT_START
from spacy.strings import get_string_id
from spacy.tokens import Doc, Token

Candidate = tuple[int, int, str, str]  # start token, end token (exclusive), label, kb_id
Hits = dict[str, list[tuple[int, int]]]  # cue label -> token spans

MAX_NAME = 4
UNAMBIGUOUS_MONTHS = frozenset({"January", "February", "July", "September", "October", "November", "December"})
MONTH_WORDS = (
    "january", "february", "march", "april", "may", "june", "july",
    "august", "september", "october", "november", "december",
)  # fmt: skip
SENTENCE_PUNCT = frozenset({".", "!", "?", ";", ":", '"', "“", "”", "(", ")", "|"})
ORDINAL_SUFFIXES = ("st", "nd", "rd", "th")
YEAR_FOLLOWERS = frozenset({"and", "or", "to", "when", "but", "as", "after", "before", "until", "with", "while", "because", "that", "where"})
NOT_AUXILIARY = frozenset({"to", "will", "would", "can", "could", "should", "may", "might", "must", "did", "does", "do"})
LOCATIVE = frozenset({"in", "on", "at", "across", "near", "inside", "into", "from", "around", "throughout"})
POSSESSIVE_OR_DET = frozenset({"a", "an", "the", "its", "their", "his", "her", "'s", "’s"})
COMMA = get_string_id(",")


@dataclass(frozen=True)
class Cues:
    """The word sets the rules look up (from the ``_NOT_NAME``/``_DATE_*`` rows)."""

    not_name: frozenset[str] = frozenset()
    date_context: frozenset[str] = frozenset()
    date_modifier: frozenset[str] = frozenset()
    date_prefix: frozenset[str] = field(default_factory=lambda: frozenset({"mid", "early", "late"}))
    speech_adverb: frozenset[str] = frozenset()


class IdTest:
    """A test of a token's text, asked by token id and remembered per id: the rules ask
    about the same words in every document, and a token id needs no ``Token`` object."""

    MAX_SIZE = 1_000_000

    def __init__(self, test: Callable[[str], bool], strings) -> None:
        self.test = test
        self.strings = strings
        self.known: dict[int, bool] = {}

    def __call__(self, orth: int) -> bool:
        known = self.known.get(orth)
        if known is None:
            if len(self.known) >= self.MAX_SIZE:
                self.known.clear()
            known = self.known[orth] = self.test(self.strings[orth])
        return known


@dataclass(frozen=True)
class TokenTests:
    """The tests the rules ask of token ids (one set per set of cues and vocab)."""

    is_name: IdTest  # a word of a person's name
    is_break: IdTest  # punctuation that ends a phrase: any but a comma or a hyphen

    @classmethod
    def build(cls, cues: Cues, vocab) -> "TokenTests":
        # partials of module functions, not lambdas: a pipeline that has run must still pickle
        return cls(
            is_name=IdTest(partial(is_name, cues=cues), vocab.strings),
            is_break=IdTest(partial(is_break, vocab=vocab), vocab.strings),
        )


class DocIndex:
    """Token ids and sentence starts of a doc, computed once in C so that rules can look
    around a cue without touching tokens."""

    def __init__(self, doc: Doc, tests: TokenTests) -> None:
        arr = doc.to_array([ORTH, SENT_START])
        self.orths = arr[:, 0]
        self.orth = array("Q", self.orths.tobytes())  # 64-bit ids made Python ints only when read
        self.is_name = tests.is_name
        self.is_break = tests.is_break
        # flags of the tokens that start a sentence other than the first
        self.sentence_starts = bytearray((arr[:, 1] == 1).tobytes())
        if self.sentence_starts:
            self.sentence_starts[0] = 0
        self.commas: list[int] = np.flatnonzero(self.orths == COMMA).tolist()

    def comma_before(self, i: int, within: int) -> int:
        """The position of the last comma among the ``within`` tokens before token ``i`` (-1 if none)."""
        k = bisect_left(self.commas, i)
        return self.commas[k - 1] if k and self.commas[k - 1] >= i - within else -1

    def comma_after(self, i: int, within: int) -> int:
        """The position of the first comma among the ``within`` tokens from token ``i`` on (-1 if none)."""
        k = bisect_left(self.commas, i)
        return self.commas[k] if k < len(self.commas) and self.commas[k] < i + within else -1

    def breaks_between(self, a: int, b: int) -> bool:
        """Whether a sentence start or a break (:attr:`TokenTests.is_break`) lies strictly between positions ``a`` and ``b``."""
        orth, starts, is_break = self.orth, self.sentence_starts, self.is_break
        for k in range(a + 1, b):
            if starts[k] or is_break(orth[k]):
                return True
        return False


# --- token tests -------------------------------------------------------------------


def is_name(text: str, cues: Cues) -> bool:
    """Whether a token's text is a capitalised word that can be part of a person's name
    (``Blinken``, ``O'Brien``, ``J.``)."""
    if text in cues.not_name:
        return False
    if len(text) == 2 and text[1] == "." and text[0].isupper():
        return True  # an initial
    return (
        len(text) > 1
        and text[0].isupper()
        and text[1].islower()
        and all(c.isalpha() or c in "'’-" or unicodedata.combining(c) for c in text)
    )


def is_break(text: str, vocab) -> bool:
    """Whether a token's text is punctuation that ends a phrase: any but a comma or a hyphen."""
    return text not in (",", "-") and vocab[text].is_punct


def is_day(token: Token) -> bool:
    text = token.text
    if text.isdigit() and len(text) <= 2:
        return 1 <= int(text) <= 31
    return text[:-2].isdigit() and len(text) <= 4 and text[-2:].lower() in ORDINAL_SUFFIXES


def is_year(token: Token) -> bool:
    text = token.text
    return len(text) == 4 and text.isdigit() and 1900 <= int(text) <= 2099


def _osa_distance(a: str, b: str) -> int:
    """Optimal string alignment distance (Levenshtein plus adjacent transpositions)."""
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[-1]


@lru_cache(maxsize=4096)  # edit distances cost ~20 us a word; words recur across documents
def is_misspelt_month(text: str) -> bool:
    """``Spetember`` (a capitalised word at most two edits from a month of 6+ letters)."""
    low = text.lower()
    return text[:1].isupper() and any(
        len(month) >= 6 and low[0] == month[0] and abs(len(low) - len(month)) <= 1 and _osa_distance(low, month) <= 2
        for month in MONTH_WORDS
    )


def _starts_sentence(token: Token) -> bool:
    return token.i > 0 and token.is_sent_start is True


def name_forward(index: DocIndex, start: int, blocked: bytearray) -> int:
    """The end of the name that starts at token ``start`` (``start`` when there is none)."""
    orth, is_name, starts = index.orth, index.is_name, index.sentence_starts
    n = len(orth)
    end = start
    while end < n and end - start < MAX_NAME and not blocked[end] and is_name(orth[end]):
        if end > start and starts[end]:
            break
        end += 1
    return end


def name_backward(index: DocIndex, end: int, blocked: bytearray) -> int:
    """The start of the name that ends just before token ``end`` (``end`` when there is none)."""
    orth, is_name, starts = index.orth, index.is_name, index.sentence_starts
    start = end
    while start > 0 and end - start < MAX_NAME and not blocked[start - 1] and is_name(orth[start - 1]):
        start -= 1
        if starts[start]:
            break
    return start


# --- dates ---------------------------------------------------------------------------


def dates(doc: Doc, hits: Hits, cues: Cues) -> Iterator[Candidate]:
    """DATE spans around months, weekdays, units (``this week``), years and ``mid-``."""
    n = len(doc)
    lower = lambda i: doc[i].lower_ if 0 <= i < n else ""  # noqa: E731
    near_modifiers = cues.date_modifier - {"past", "coming", "previous", "earlier", "later"}
    for s, _ in hits.get("_MONTH", ()):
        start, end = s, s + 1
        if end < n and is_day(doc[end]):
            end += 1
            if end + 1 < n and doc[end].text == "," and is_year(doc[end + 1]):
                end += 2
            elif end < n and is_year(doc[end]):
                end += 1
        else:
            if s > 0 and is_day(doc[s - 1]):
                start = s - 1
            if end < n and is_year(doc[end]):
                end += 1
        if start == s:
            if lower(s - 1) in near_modifiers:
                start = s - 1
            elif lower(s - 1) == "-" and lower(s - 2) in cues.date_prefix:
                start = s - 2
        if (start, end) == (s, s + 1) and doc[s].text not in UNAMBIGUOUS_MONTHS and lower(s - 1) not in cues.date_context:
            continue
        yield start, end, "DATE", ""
    for s, _ in hits.get("_WEEKDAY", ()):
        start = s - 1 if lower(s - 1) in {"this", "last", "next", "coming", "early", "late"} else s
        yield start, s + 1, "DATE", ""
    for s, _ in hits.get("_DATE_UNIT", ()):
        word = doc[s].lower_
        if lower(s + 1) == "ago" and s > 0 and (doc[s - 1].like_num or lower(s - 1) in {"a", "an", "several", "few", "many"}):
            start = s - 2 if lower(s - 1) == "few" and lower(s - 2) == "a" else s - 1
            yield start, s + 2, "DATE", ""
        elif not word.endswith("s"):  # singular units: "this week", "earlier this month"
            prev = lower(s - 1)
            if prev in {"this", "last", "next", "past", "coming", "previous"}:
                start = s - 1
                if lower(start - 1) in {"earlier", "later", "early", "late"}:
                    start -= 1
                elif prev in {"past", "coming", "previous"} and lower(start - 1) == "the":
                    start -= 1
                yield start, s + 1, "DATE", ""
    for s, _ in hits.get("_YEAR", ()):
        text = doc[s].text
        if text.endswith("s"):
            yield (s - 1 if lower(s - 1) == "the" else s), s + 1, "DATE", ""
        elif s + 4 < n and doc[s + 1].text == "-" and doc[s + 2].shape_ == "dd" and doc[s + 3].text == "-" and doc[s + 4].shape_ == "dd":
            yield s, s + 5, "DATE", ""
        elif lower(s - 1) in {"early", "late", "mid"}:
            yield s - 1, s + 1, "DATE", ""
        elif lower(s - 1) == "-" and lower(s - 2) in cues.date_prefix:
            yield s - 2, s + 1, "DATE", ""
        elif lower(s - 1) in cues.date_context:
            if lower(s - 1) in {"to", "and"} and not (s >= 2 and is_year(doc[s - 2])):
                continue
            follower = doc[s + 1] if s + 1 < n else None
            if follower is not None and follower.is_alpha and follower.is_lower and follower.lower_ not in YEAR_FOLLOWERS:
                continue  # "a total of 2000 troops"
            yield s, s + 1, "DATE", ""
    for s, _ in hits.get("_DATE_PREFIX", ()):
        if s + 2 < n and doc[s + 1].text == "-" and is_misspelt_month(doc[s + 2].text):
            yield s, s + 3, "DATE", ""


# --- events and places -----------------------------------------------------------------


def events(doc: Doc, hits: Hits, cues: Cues) -> Iterator[Candidate]:
    """EVENT: capitalised words before a head (``... Summit``, ``... Games``), ``of the ...`` after it."""
    for s, e in hits.get("_EVENT_HEAD", ()):
        start = s
        while start > 0 and s - start < 6:
            tok = doc[start - 1]
            if tok.is_title or (tok.is_upper and tok.is_alpha) or is_year(tok) or (tok.shape_ in {"Xd", "Xdd"}):
                start -= 1
            elif tok.text == "-" and start - 2 >= 0 and doc[start - 2].text[:1].isupper():
                start -= 1
            else:
                break
            if _starts_sentence(doc[start]):
                break
        while start < s and (doc[start].is_stop or doc[start].text == "-"):
            start += 1
        if start == s:
            continue
        end = e
        if end + 1 < len(doc) and doc[end].lower_ == "of":
            j = end + 1 + (doc[end + 1].lower_ == "the")
            k = j
            while k < len(doc) and k - j < 4 and doc[k].is_title:
                k += 1
            if k > j:
                end = k
        yield start, end, "EVENT", ""


def places(hits: Hits, blocked: bytearray, index: DocIndex) -> Iterator[Candidate]:
    """GPE: ``Nagano prefecture``, ``the town of Karuizawa``."""
    for s, _ in hits.get("_PLACE_HEAD", ()):
        start = name_backward(index, s, blocked)
        if start < s:
            yield start, s, "GPE", ""
    for _, e in hits.get("_PLACE_OF", ()):
        end = name_forward(index, e, blocked)
        if end > e:
            yield e, end, "GPE", ""


# --- persons -------------------------------------------------------------------------------


def persons(doc: Doc, hits: Hits, blocked: bytearray, index: DocIndex, cues: Cues) -> Iterator[Candidate]:
    """PERSON from titles, appositions and speech verbs (never over ``blocked`` tokens);
    an adverb may stand between a name and its speech verb (``Lin Okafor also said``)."""
    for _, e in hits.get("_TITLE", ()):
        end = name_forward(index, e, blocked)
        if end > e:
            yield e, end, "PERSON", ""
    for s, e in hits.get("_SPEECH", ()):
        before = s - 1 if s > 0 and doc[s - 1].lower_ in cues.speech_adverb else s
        start = name_backward(index, before, blocked)
        if before - start >= 2:
            yield start, before, "PERSON", ""
        end = name_forward(index, e, blocked)
        if end - e >= 2:
            yield e, end, "PERSON", ""
    for s, e in hits.get("_ROLE", ()):
        # "X Y, an associate fellow ..." -- a comma at most five words before the role
        k = index.comma_before(s, 5)
        if k >= 0 and not index.breaks_between(k, s):
            start = name_backward(index, k, blocked)
            after_place = start > 0 and doc[start - 1].lower_ in LOCATIVE  # "In Central Hanoi, the ..."
            if k - start >= 2 and not after_place:
                yield start, k, "PERSON", ""
        # "the chief of Vietnam's ruling Communist Party, Nguyen Phu Trong"
        k = index.comma_after(e, 10)
        if s > 0 and k >= 0 and not index.breaks_between(e - 1, k + 1):
            before = doc[s - 1]
            if before.lower_ not in NOT_AUXILIARY and (before.lower_ in POSSESSIVE_OR_DET or before.is_lower):
                end = name_forward(index, k + 1, blocked)
                if end - (k + 1) >= 2:
                    yield k + 1, end, "PERSON", ""


def surname_mentions(
    doc: Doc, named: list[tuple[int, int]], blocked: bytearray, index: DocIndex
) -> Iterator[Candidate]:
    """Mentions, by surname or in full, of the persons ``named`` (token spans) elsewhere in the doc."""
    orth = index.orth
    full_names: dict[int, set[tuple[int, ...]]] = {}
    for start, end in named:
        last = doc[end - 1].text
        if len(last) >= 3 and last[0].isupper():
            full_names.setdefault(orth[end - 1], set()).add(tuple(orth[start:end]))
    for surname, names in full_names.items():
        ranked = sorted(names, key=len, reverse=True)
        kb_id = " ".join(doc.vocab.strings[o] for o in ranked[0])
        for i in np.flatnonzero(index.orths == surname).tolist():
            if blocked[i]:
                continue
            start = i
            for name in ranked:
                j = i - len(name) + 1
                if j >= 0 and tuple(orth[j : i + 1]) == name and not any(blocked[j : i + 1]):
                    start = j
                    break
            yield start, i + 1, "PERSON", kb_id

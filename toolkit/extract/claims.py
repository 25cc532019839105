"""The rule-based claim component ``toolkit_claim_rules``.

Finds attributed statements and writes them to ``doc._.claims`` (origin ``rules``):

- direct quotes in straight or curly double quotes (content = inside the marks), with
  the attribution after (``"...," X said``) or before (``X said: "..."``); a quote that
  follows a quote of the same speaker (``"...," X added. "..."``) keeps that speaker;
- reported speech: ``X said (that) ...``, ``..., X said`` / ``..., said X``,
  ``according to X, ...`` / ``..., according to X``, ``X told Y (that) ...``,
  ``X reported (that) ...``, ``X has reported citing ...``, ``X said citing a source that ...``;
- the speaker is the entity nearest the cue in the attribution (PERSON, ORG, GPE,
  NORP), else a short noun phrase (``analysts``, ``the ministry``), else None;
- ``hedged`` when a hedge word (reportedly, could, might, ...) is in the content or
  the attribution. Negated cues (``have not said``) give no claim. Unbalanced quote
  marks in a paragraph are skipped rather than guessed.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from pathlib import Path
from typing import Iterable

import numpy
import srsly
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import ensure_path

from ..types import Claim, Span
from .spans import set_claims

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
HEDGE_SET = frozenset(HEDGES)
NEGATIONS = {"not", "n't", "never", "no"}
SPEAKER_LABELS = {"PERSON", "ORG", "GPE", "NORP"}
DETERMINERS = {"the", "a", "an", "this", "that", "some", "many", "several", "three", "two", "four", "its", "his", "her", "their"}
STOP_NP = {"and", "but", "as", "which", "who", ",", ".", "has", "have", "had", "is", "was", "were", "are", "will", "would", "on", "in", "at", "to", "with", "also", "earlier", "then"}

CUE_RE = re.compile(r"\b(?:" + "|".join(CUE_VERBS) + r"|[Aa]ccording to)\b")
DIRECT_QUOTE = re.compile(r"\u201c([^\u201c\u201d]+)\u201d|\"([^\"\n]+)\"")
WORD = re.compile(r"\w+", re.U)


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


class ClaimRules:
    def __init__(self, name: str = "toolkit_claim_rules", *, min_quote_words: int = 4, max_attribution_chars: int = 120) -> None:
        self.name = name
        self.cfg = {"min_quote_words": min_quote_words, "max_attribution_chars": max_attribution_chars}

    def __call__(self, doc: Doc) -> Doc:
        doc.user_data[_ENTS_KEY] = tuple(doc.ents)  # doc.ents rebuilds Spans on every access
        doc.user_data[_TEXT_KEY] = doc.text  # and doc.text rebuilds the string from the tokens
        try:
            claims = find_direct(doc, **self.cfg)
            quoted = [(c.start - 1, c.end + 1) for c in claims]
            claims += find_indirect(doc, quoted)
        finally:
            del doc.user_data[_ENTS_KEY]
            del doc.user_data[_TEXT_KEY]
        set_claims(doc, claims)
        return doc

    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        return srsly.msgpack_dumps(self.cfg)

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = ()) -> "ClaimRules":
        self.cfg.update(srsly.msgpack_loads(data))
        return self

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        path = ensure_path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_json(path / "cfg", self.cfg)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> "ClaimRules":
        path = ensure_path(path)
        if (path / "cfg").exists():
            self.cfg.update(srsly.read_json(path / "cfg"))
        return self


_ENTS_KEY = "_toolkit_claim_ents"
_TEXT_KEY = "_toolkit_claim_text"


def _text(doc: Doc) -> str:
    cached = doc.user_data.get(_TEXT_KEY)
    return cached if cached is not None else doc.text  # keep


def _ents(doc: Doc) -> tuple:
    cached = doc.user_data.get(_ENTS_KEY)
    return cached if cached is not None else tuple(doc.ents)


def _is_hedged(text: str) -> bool:
    return any(w in HEDGE_SET for w in WORD.findall(text))  # lower case only: "May" is a month


def _token_range(doc: Doc, start: int, end: int) -> tuple[int, int]:
    span = doc.char_span(start, end, alignment_mode="expand")
    return (span.start, span.end) if span is not None else (0, 0)


def _speaker(doc: Doc, start: int, end: int, cue_tok: int) -> Span | None:
    """The entity in tokens [start, end) nearest ``cue_tok``, else a short noun phrase next to it."""
    best = None
    for ent in _ents(doc):
        if ent.label_ in SPEAKER_LABELS and ent.start >= start and ent.end <= end:
            distance = min(abs(ent.start - cue_tok), abs(ent.end - cue_tok))
            if best is None or distance < best[0]:
                best = (distance, ent)
    if best is not None:
        return Span(best[1].start_char, best[1].end_char)
    # noun phrase: the words right before the cue, or right after it
    before = [t for t in doc[max(start, cue_tok - 4) : cue_tok]]
    words: list = []
    for token in reversed(before):
        if token.lower_ in STOP_NP or not token.is_alpha:
            break
        words.insert(0, token)
    if not words:
        after = doc[cue_tok + 1 : min(end, cue_tok + 5)]
        for token in after:
            if token.lower_ in STOP_NP or not token.is_alpha:
                break
            words.append(token)
    while words and words[0].lower_ in DETERMINERS and len(words) > 1:
        words = words[1:]
    if not words:
        return None
    return Span(words[0].idx, words[-1].idx + len(words[-1].text))


def _first_entity(doc: Doc, start: int, end: int) -> Span | None:
    """The first speaker-like entity in tokens [start, end): the subject of ``"...," X, a ..., told``."""
    for ent in _ents(doc):
        if ent.label_ in SPEAKER_LABELS and start <= ent.start and ent.end <= end:
            return Span(ent.start_char, ent.end_char)
    return None


def _cue_tokens(doc: Doc, start: int, end: int) -> list[int]:
    out = []
    for i in range(start, end):
        token = doc[i]
        if token.text in CUE_SET and not any(doc[j].lower_ in NEGATIONS for j in range(max(start, i - 3), i)):
            out.append(i)
    return out


def _cue_span(doc: Doc, i: int) -> Span:
    first = i
    if i > 0 and doc[i - 1].lower_ in {"has", "have", "had"}:
        first = i - 1
    return Span(doc[first].idx, doc[i].idx + len(doc[i].text))


def find_direct(doc: Doc, *, min_quote_words: int = 4, max_attribution_chars: int = 120) -> list[Claim]:
    text = _text(doc)
    claims: list[Claim] = []
    for paragraph_start, paragraph in _paragraphs(text):
        if paragraph.count('"') % 2 or paragraph.count("\u201c") != paragraph.count("\u201d"):
            continue  # unbalanced quote marks: refuse rather than guess
        for match in DIRECT_QUOTE.finditer(paragraph):
            group = 1 if match.group(1) is not None else 2
            inner_start = paragraph_start + match.start(group)
            inner_end = paragraph_start + match.end(group)
            content = text[inner_start:inner_end]
            if len(WORD.findall(content)) < min_quote_words:
                continue
            c_start, c_end = _trim(text, inner_start, inner_end)
            after_start = paragraph_start + match.end()
            after_end = min(paragraph_start + len(paragraph), after_start + max_attribution_chars)
            sentence_end = _sentence_end(text, after_start, after_end)
            speaker = cue = None
            t0, t1 = _token_range(doc, after_start, sentence_end)
            cues = _cue_tokens(doc, t0, t1)
            if cues:
                cue_i = cues[0]
                cue = _cue_span(doc, cue_i)
                subject = _first_entity(doc, t0, cue_i)
                speaker = subject if subject is not None else _speaker(doc, t0, t1, cue_i)
            else:
                before_start = max(paragraph_start, inner_start - 1 - max_attribution_chars)
                b0, b1 = _token_range(doc, before_start, inner_start - 1)
                cues = _cue_tokens(doc, b0, b1)
                if cues:
                    cue_i = cues[-1]
                    cue = _cue_span(doc, cue_i)
                    speaker = _speaker(doc, b0, b1, cue_i)
                elif claims and claims[-1].kind == "direct" and inner_start - claims[-1].end < 200:
                    speaker, cue = claims[-1].speaker, claims[-1].cue
            if speaker is None and cue is None:
                continue
            attribution = text[after_start:sentence_end]
            claims.append(
                Claim(c_start, c_end, kind="direct", hedged=_is_hedged(content + " " + attribution), speaker=speaker, cue=cue)
            )
    return claims


def find_indirect(doc: Doc, quoted: list[tuple[int, int]]) -> list[Claim]:
    text = _text(doc)
    claims: list[Claim] = []
    hits = [m.start() for m in CUE_RE.finditer(text)]  # only sentences with a cue word are examined
    if not hits:
        return claims
    for sent in _sentences(doc):
        k = bisect_left(hits, sent.start_char)
        if k == len(hits) or hits[k] >= sent.end_char:
            continue
        if any(s < sent.end_char and sent.start_char < e for s, e in quoted):
            continue
        claim = _according_to(doc, sent) or _cue_claim(doc, sent)
        if claim is not None and claim.end - claim.start > 10:
            claims.append(claim)
    return claims


def _sentences(doc: Doc):
    """Sentence spans from the SENT_START array (``doc.sents`` builds a Token per token)."""
    if not len(doc):
        return
    starts = numpy.flatnonzero(doc.to_array("SENT_START") == 1).tolist()
    if not starts or starts[0] != 0:
        starts.insert(0, 0)
    for a, b in zip(starts, starts[1:] + [len(doc)]):
        yield doc[a:b]


def _according_to(doc: Doc, sent) -> Claim | None:
    tokens = list(sent)
    for k, token in enumerate(tokens[:-2]):
        if token.lower_ == "according" and tokens[k + 1].lower_ == "to":
            cue = Span(token.idx, tokens[k + 1].idx + len(tokens[k + 1].text))
            comma = next((t for t in tokens[k + 2 :] if t.text == ","), None)
            if k <= 1 and comma is not None:  # "According to X, CONTENT."
                speaker = _speaker(doc, tokens[k + 2].i, comma.i, tokens[k + 1].i)
                start, end = comma.idx + 1, sent.end_char
                start, end = _trim(_text(doc), start, end, period=True)
            else:  # "CONTENT, according to X."
                end_tok = comma.i if comma is not None else sent.end
                speaker = _speaker(doc, tokens[k + 2].i, end_tok, tokens[k + 1].i)
                start, end = sent.start_char, token.idx
            start, end = _trim(_text(doc), start, end)
            content = _text(doc)[start:end]
            return Claim(start, end, kind="indirect", hedged=_is_hedged(content), speaker=speaker, cue=cue)
    return None


def _cue_claim(doc: Doc, sent) -> Claim | None:
    cues = _cue_tokens(doc, sent.start, sent.end)
    if not cues:
        return None
    i = cues[0]
    token = doc[i]
    text = _text(doc)
    cue = _cue_span(doc, i)
    # "CONTENT, X said." / "CONTENT, said X." / "CONTENT, X has reported citing ..."
    comma_before = next((doc[j] for j in range(i - 1, max(sent.start, i - 8) - 1, -1) if doc[j].text == ","), None)
    tail_end = _tail_end(doc, i, sent.end)
    closing = tail_end - i <= 6
    if comma_before is not None and comma_before.i > sent.start + 3 and closing:
        speaker = _speaker(doc, comma_before.i + 1, tail_end, i)
        start, end = _trim(text, sent.start_char, comma_before.idx)
        hedged = _is_hedged(text[start:end]) or _is_hedged(text[comma_before.idx : doc[tail_end - 1].idx])
        return Claim(start, end, kind="indirect", hedged=hedged, speaker=speaker, cue=cue)
    first = comma_before.i + 1 if comma_before is not None else sent.start
    if i <= first:
        return None
    # "X said (that) CONTENT" / "X told Y (that) CONTENT" / "X said citing a source that CONTENT"
    speaker = _speaker(doc, first, i, i)
    j = i + 1
    limit = min(sent.end, i + 12)
    that = next((k for k in range(j, limit) if doc[k].lower_ == "that"), None)
    if that is not None and (that - j <= 4 or token.lower_ in {"told", "tells"} or any(doc[k].lower_ == "citing" for k in range(j, that))) and not any(doc[k].text == "," for k in range(j, that)):
        j = that + 1
    elif token.lower_ in {"told", "tells"}:
        ent = next((e for e in _ents(doc) if e.start == j), None)
        j = ent.end if ent is not None else j + 1
    if j >= sent.end - 1:
        return None
    start, end = _trim(text, doc[j].idx, sent.end_char, period=True)
    if _is_negated(doc, first, i):
        return None
    hedged = _is_hedged(text[start:end]) or _is_hedged(text[doc[first].idx : token.idx])
    return Claim(start, end, kind="indirect", hedged=hedged, speaker=speaker, cue=cue)


def _tail_end(doc: Doc, i: int, sent_end: int) -> int:
    for k in range(i + 1, sent_end):
        if doc[k].lower_ in {"on", "in", "at", "citing", "during", "after", "before", "."}:
            return k
    return sent_end


def _is_negated(doc: Doc, start: int, i: int) -> bool:
    return any(doc[k].lower_ in NEGATIONS for k in range(max(start, i - 3), i))


def _paragraphs(text: str) -> Iterable[tuple[int, str]]:
    start = 0
    for match in re.finditer(r"\n\s*\n", text):
        yield start, text[start : match.start()]
        start = match.end()
    yield start, text[start:]


def _sentence_end(text: str, start: int, limit: int) -> int:
    match = re.search(r"[.!?](?=\s|$)", text[start:limit])
    return start + match.end() if match else limit


def _trim(text: str, start: int, end: int, *, period: bool = False) -> tuple[int, int]:
    """Strip spaces and clause punctuation at both ends (and a final period if ``period``)."""
    while start < end and (text[start].isspace() or text[start] in ",;:"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:"):
        end -= 1
    if period and end > start and text[end - 1] == "." and not text[start:end].endswith(".."):
        end -= 1
    return start, end

"""Reported speech from the dependency parse: the layer ``toolkit.claims.syntax.v1``.

A cue is a token whose lemma is a reporting verb of :mod:`.reporting` (every inflection:
``said``, ``says``, ``saying``, ``has said``), outside any quotation (a cue inside a quote is
part of what was quoted). For each cue:

- the content is its clausal complement (``ccomp``), else, by the verb's frame, its infinitive
  (``agreed to expand``) or its object with the object's complements (``accused Beijing of
  meddling``); a parenthetical cue (``The port, she said, will reopen``) has the rest of its
  clause, in parts; ``said citing a source that ...`` the clause of the source;
- the speaker is its subject, the agent of a passive, or the subject its clause inherits: a
  participle (``issued a statement saying``, ``was quoted as saying``), a conjunct (``said ...
  and added``), an infinitive (``is expected to announce``), a relative clause (``Kosko, who
  said``) — see :mod:`.attribution`;
- a negation (``did not say``) sets ``negated``; ``declined to say`` gives no claim.

``according to X`` attributes the rest of its sentence to X. The content is then widened to
the quotes it touches and its kind decided (:mod:`.assembly`): all quoted is ``direct``, partly
quoted ``mixed``, none ``indirect``.
"""
from __future__ import annotations

from bisect import bisect_right
from functools import lru_cache
from typing import Iterable

import numpy
from spacy.attrs import LEMMA, LOWER, POS
from spacy.strings import get_string_id
from spacy.symbols import AUX, VERB
from spacy.tokens import Doc, Token

from ...types import Claim, Span
from . import assembly, attribution
from .parsed import Parsed
from .quotes import WORD
from .reporting import DEFAULT_CLASSES, LEARNED, Verb, verbs

NAME = "toolkit.claims.syntax.v1"
#: content of fewer words is no claim ("said so", "told him")
MIN_CONTENT_WORDS = 3
#: the heads that make a cue no statement: "declined to say", "refused to comment"
REFUSALS = frozenset({"decline", "refuse", "fail", "hesitate"})
#: the complements of a judgement verb that carry its content besides the object
OBJECT_PREPOSITIONS = frozenset({"of", "for", "as", "on", "over", "with"})
ACCORDING, TO = get_string_id("according"), get_string_id("to")
CLAUSE_BREAKS = frozenset({";", ":", "\u2014", "--"})
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj", "csubjpass", "expl", "agent"})


@lru_cache(maxsize=8)
def _lexicon(classes: tuple[str, ...], cues: tuple[str, ...] = ()) -> tuple[dict[int, Verb], numpy.ndarray]:
    """The verbs of ``classes`` by lemma id, with the learned ``cues`` (lemmas; class
    ``learned``, clause frame), and those ids sorted (for one lookup per doc)."""
    by_id = {get_string_id(lemma): verb for lemma, verb in verbs(classes).items()}
    for lemma in cues:
        by_id.setdefault(get_string_id(lemma), Verb(lemma, LEARNED, "clause"))
    return by_id, numpy.array(sorted(by_id), dtype="uint64")


def find_syntax(
    doc: Doc, *, classes: Iterable[str] = DEFAULT_CLASSES, min_quote_words: int = 4, refused: list[Span] | None = None,
    cues: Iterable[str] = (),
) -> list[Claim]:
    """The claims of a parsed ``doc`` (origin ``syntax``), in text order; [] without a parse.

    Args:
        cues: more reporting-verb lemmas (learned from corrections: ``tweeted``, ``quipped``),
            read with a clause frame.
        refused: a list to which the cues the parse shows are no attribution are added
            (``declined to say``, an imperative ``Tell us``), so that a merge can drop the
            rules' claims of them.
    """
    if not doc.has_annotation("DEP") or not len(doc):
        return []
    by_id, ids = _lexicon(tuple(classes), tuple(sorted(set(cues))))
    if not len(ids):
        ids = numpy.array([0], dtype="uint64")  # no verb class chosen: "according to" only (0 is no lemma)
    arr = doc.to_array([LEMMA, POS, LOWER])
    lemma, pos, lower = arr[:, 0], arr[:, 1], arr[:, 2]
    is_cue = (ids[numpy.searchsorted(ids, lemma) % len(ids)] == lemma) & ((pos == VERB) | (pos == AUX))
    is_according = (lower == ACCORDING) & numpy.append(lower[1:] == TO, False)
    candidates = numpy.flatnonzero(is_cue | is_according).tolist()
    if not candidates:
        return []
    p = Parsed(doc)
    quotes = assembly.Quotes(p.text, min_quote_words=min_quote_words)
    found: list[Claim] = []
    attributions: list[assembly.Attribution] = []
    for i in candidates:
        tok = doc[i]
        if quotes.inside(tok.idx):
            continue
        if not is_according[i]:
            attributed = quote_attribution(p, tok, quotes)
            if attributed is not None:
                attributions.append(attributed)
        verb = None if is_according[i] else by_id[int(lemma[i])]
        if verb is not None and is_refusal(tok, verb):
            if refused is not None:
                refused.append(cue_span(doc, tok))
            continue
        claim = according_to(p, tok) if verb is None else cue_claim(p, tok, verb)
        if claim is not None:
            found.append(claim)
    return assembly.assemble(p, found, quotes, attributions)


#: at most this many tokens between a quote's attribution's cue and its speaker's head
MAX_ATTRIBUTION_TOKENS = 6

# --- cue verbs ------------------------------------------------------------------------------


def cue_claim(p: Parsed, cue: Token, verb: Verb) -> Claim | None:
    """The claim of one reporting verb, or None when it has no content."""
    tokens = content_tokens(p, cue, verb)
    if tokens is None:
        return None
    runs = assembly.runs(p, tokens)
    if not runs or sum(p.words(s, e) for s, e in runs) < MIN_CONTENT_WORDS:
        return None
    speaker_tok = attribution.speaker_token(cue)
    speaker = attribution.speaker_span(p, speaker_tok) if speaker_tok is not None else None
    negated = any(child.dep_ == "neg" for child in cue.children)
    return assembly.claim(runs, speaker=speaker, cue=cue_span(p.doc, cue), negated=negated)


def quote_attribution(p: Parsed, cue: Token, quotes: assembly.Quotes) -> assembly.Attribution | None:
    """The attribution ``"QUOTE," X said`` of a cue that follows a quote's closing mark with
    nothing but its speaker and punctuation between, or None: such an attribution and its quote
    are no other claim's content (``"A," he said, "B," she added``)."""
    speaker = attribution.speaker_token(cue)
    start, end = cue.idx, cue.idx + len(cue.text)
    if speaker is not None and abs(speaker.i - cue.i) <= MAX_ATTRIBUTION_TOKENS:  # not inherited from afar
        left, right = speaker.left_edge, speaker.right_edge
        start, end = min(start, left.idx), max(end, right.idx + len(right.text))
    k = bisect_right(quotes.starts, start) - 1
    if k < 0 or quotes.marks[k][1] > start:
        return None
    between = p.text[quotes.marks[k][1] : start]
    if "\n" in between or any(ch.isalnum() for ch in between):
        return None
    if p.text[quotes.inner[k][1] - 1 : quotes.inner[k][1]] == ".":  # '"... association." Costello stated that': a new sentence
        return None
    first = min(cue.i, speaker.left_edge.i) if speaker is not None and start < cue.idx else cue.i
    if first and p.sentence(first - 1) != p.sentence(cue.i):
        return None
    return assembly.Attribution(cue.idx, k, quotes.marks[k][0], end)


def is_refusal(cue: Token, verb: Verb | None = None) -> bool:
    """Whether the parse shows a cue is no attribution: ``declined to say``; an imperative
    (``Note: ...``, ``Tell us what you think``: the root, with no subject); a particle verb of
    another sense (``called in``, ``added up``); or, for a verb whose content may be an
    infinitive or an object, a passive with no agent (``were told to change``, ``was not yet
    called South Beach``, ``an essay called X``), which names or orders rather than reports."""
    if cue.dep_ == "xcomp" and cue.head.lemma_.lower() in REFUSALS:
        return True
    children = list(cue.children)
    if cue.dep_ == "ROOT" and not any(c.dep_ in SUBJECT_DEPS for c in children):
        return True
    if any(c.dep_ == "prt" and c.lower_ not in ("out", "on") for c in children):  # "called on X to" stays
        return True
    if verb is not None and verb.frame != "clause" and not any(c.dep_ == "agent" for c in children):
        passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in children) or (cue.dep_ == "acl" and cue.tag_ == "VBN")
        return passive
    return False


def content_tokens(p: Parsed, cue: Token, verb: Verb) -> list[int] | None:
    """The token indices of a cue's content, by the first pattern that fits (see the module docstring)."""
    children = list(cue.children)
    subjectless = _subject_as_object(children)
    if subjectless is not None:  # "told Reuters prices rose sharply", parsed with "Reuters prices" the object
        obj, clause = subjectless
        return list(range(obj.i, clause.right_edge.i + 1))
    clauses = [c for c in children if c.dep_ == "ccomp" and _words(p, c) >= MIN_CONTENT_WORDS]  # not "Also Read: X accuses"
    # a clause before the cue beyond a semicolon or colon is not its content ("Stan is against it; however, Bullock says ...")
    clauses = [c for c in clauses if c.i > cue.i or not _break_between(p, c.right_edge.i, cue.i)]
    if verb.cls == "evidence":  # "the poll shows that ..." states something; "the film shows a family waiting" does not
        clauses = [c for c in clauses if _finite(c)]
    if clauses:
        return sorted(i for c in clauses for i in _subtree(c, skip_mark=True))
    cited = _cited_clause(cue)
    if cited is not None:
        return cited
    if verb.frame in ("to", "object"):
        infinitive = [c for c in children if c.dep_ == "xcomp" and c.i > cue.i]
        if infinitive:
            return sorted(i for c in infinitive for i in _subtree(c))
    if verb.frame == "object":
        after = [c for c in children if c.i > cue.i and (c.dep_ in ("dobj", "oprd") or (c.dep_ == "prep" and c.lower_ in OBJECT_PREPOSITIONS))]
        if any(c.dep_ == "dobj" for c in after) or any(c.dep_ == "prep" for c in after):
            return sorted(i for c in after for i in _subtree(c))
    if cue.dep_ in ("parataxis", "ccomp", "advcl") and _parenthetical(p, cue, children):
        own = _span(cue)
        return [i for i in _span(cue.head) if i not in own]
    return None


def _subject_as_object(children: list[Token]) -> tuple[Token, Token] | None:
    """A clause without a subject right after the cue's object whose head noun is its subject
    (``told Reuters prices rose``: the object is ``Reuters prices``, the clause ``rose``)."""
    objects = [c for c in children if c.dep_ == "dobj"]
    for clause in children:
        if clause.dep_ != "ccomp" or any(c.dep_ in SUBJECT_DEPS for c in clause.children):
            continue
        for obj in objects:
            if obj.right_edge.i + 1 == clause.left_edge.i and obj.pos_ in ("NOUN", "PROPN", "PRON") and obj.i > obj.head.i:
                return obj, clause
    return None


def _break_between(p: Parsed, start: int, end: int) -> bool:
    """Whether a semicolon, colon or dash stands in tokens (start, end): a clause beyond it is no
    content of the cue (``... at first; however, Bullock says ...``)."""
    return any(p.doc[k].text in CLAUSE_BREAKS for k in range(start + 1, end))


def _finite(head: Token) -> bool:
    """Whether a clause is finite: a ``that``/``whether``/``if``, an auxiliary, or a tensed verb."""
    if any(c.dep_ in ("mark", "aux", "auxpass") for c in head.children):
        return True
    return "Fin" in head.morph.get("VerbForm")


def _words(p: Parsed, token: Token) -> int:
    """The number of words in ``token``'s subtree."""
    last = token.right_edge
    return len(WORD.findall(p.text, token.left_edge.idx, last.idx + len(last.text)))


def _span(token: Token) -> range:
    """The token indices of ``token``'s subtree: its edges and all between (the parser's trees
    are projective, so a subtree is contiguous; reading the edges builds no Token per word)."""
    return range(token.left_edge.i, token.right_edge.i + 1)


def _subtree(token: Token, *, skip_mark: bool = False) -> list[int]:
    """The indices of ``token``'s subtree, without its leading ``that`` when ``skip_mark``."""
    out = list(_span(token))
    if skip_mark and out and token.doc[out[0]].lower_ == "that" and len(out) > 1:
        out = out[1:]  # the complementizer, whatever the parse calls it ("announced that" as a dobj too)
    return out


def _cited_clause(cue: Token) -> list[int] | None:
    """``Reuters said citing a source that Biden was ...``: the clause the cited source states."""
    for child in cue.children:
        if child.lemma_.lower() == "cite" and child.dep_ in ("xcomp", "advcl", "conj"):
            for obj in child.children:
                for clause in obj.children:
                    if clause.dep_ in ("relcl", "acl", "ccomp") and any(m.lower_ == "that" for m in clause.children):
                        return sorted(_subtree(clause, skip_mark=True))
    return None


def _parenthetical(p: Parsed, cue: Token, children: list[Token]) -> bool:
    """Whether the cue's clause is an attribution between commas or after one, with a subject
    and no complement of its own: ``The port, she said, will reopen``, ``..., said the ministry``
    (not ``..., citing a weaker peso``)."""
    first = cue.left_edge.i
    while first < cue.i and p.doc[first].is_punct:  # the comma may hang on the cue itself
        first += 1
    if not (first > p.sentence(cue.i)[0] and p.doc[first - 1].text in (",", "\u2014", "--")):
        return False
    deps = {c.dep_ for c in children}
    return "nsubj" in deps and not deps & {"dobj", "ccomp", "xcomp", "attr", "oprd"}


def cue_span(doc: Doc, cue: Token) -> Span:
    """The cue with the perfect auxiliary right before it (``has reported``, ``had said``)."""
    start = cue.idx
    prev = doc[cue.i - 1] if cue.i > 0 else None
    if prev is not None and prev.dep_ == "aux" and prev.head.i == cue.i and prev.lemma_.lower() == "have":
        start = prev.idx
    return Span(start, cue.idx + len(cue.text))


# --- according to ---------------------------------------------------------------------------


def according_to(p: Parsed, according: Token) -> Claim | None:
    """``According to Reuters, the convoy reached the town.`` / ``..., according to Kyodo.``: the
    rest of the sentence (in parts when the phrase stands inside it), attributed to the source."""
    to = p.doc[according.i + 1]
    source = next((c for c in to.children if c.dep_ == "pobj"), None)
    phrase = set(_span(according)) | set(_span(to))
    start, end = p.sentence(according.i)
    runs = assembly.runs(p, [i for i in range(start, end) if i not in phrase])
    if not runs or sum(p.words(s, e) for s, e in runs) < MIN_CONTENT_WORDS:
        return None
    speaker = attribution.speaker_span(p, source) if source is not None else None
    return assembly.claim(runs, speaker=speaker, cue=Span(according.idx, to.idx + len(to.text)), negated=False)

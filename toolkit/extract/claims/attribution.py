"""Who said it, from the parse: the speaker token of a cue, its mention as written, and the
named antecedent of that mention (``speaker_name``).

The speaker token is the cue's subject (``nsubj``), the agent of a passive (``was told by X``),
or the subject its clause inherits, walking up a participle (``issued a statement saying``),
a conjunct (``said ... and added``), an infinitive (``declined to``... is refused earlier;
``is expected to announce``), a preposition (``was quoted as saying``) or a relative clause
(``Kosko, who said``: Kosko). The mention is the subject's phrase up to an apposition or a
relative clause, without a leading determiner, or the person named in it (``ministry
spokesperson Pham Thu Hang``: Pham Thu Hang), as the sample gold has it; a pronoun stays a pronoun.
"""
from __future__ import annotations

from bisect import bisect_right
from functools import lru_cache

from spacy.tokens import Token

from ...types import Span
from ..gazetteer import cue_list
from .lexicon import SPEAKER_LABELS
from .parsed import Parsed

SUBJECTS = frozenset({"nsubj", "csubj"})
#: the clause links a cue without a subject of its own inherits a subject through
INHERIT = frozenset({"conj", "advcl", "xcomp", "pcomp", "acl", "prep", "ccomp"})
RELATIVE = frozenset({"who", "which", "that", "whom"})
EXPLETIVE = frozenset({"it", "there"})
PRONOUNS_OF_PERSONS = frozenset({"he", "she", "him", "her"})
#: where a subject's own phrase ends: an apposition, a relative clause or an aside begins
PHRASE_BREAKS = frozenset({",", "(", "\u2014", "\u2013", "--", ";", ":", '"', "\u201c", "\u201d"})
LEADING = frozenset({"the", "its"})  # "a spokesperson", "her office" keep theirs, as the sample gold does
MAX_STEPS = 5


def speaker_token(cue: Token) -> Token | None:
    """The head token of the cue's speaker (see the module docstring), or None."""
    t = cue
    for _ in range(MAX_STEPS):
        for child in t.children:
            if child.dep_ == "agent":
                return next((c for c in child.children if c.dep_ == "pobj"), None)
        for child in t.children:
            if child.dep_ in SUBJECTS:
                if child.lower_ in RELATIVE and t.dep_ == "relcl":
                    return t.head
                return None if child.lower_ in EXPLETIVE and t is not cue else child
            if child.dep_ == "nsubjpass" and t is not cue:  # "the minister was quoted as saying"
                return None if child.lower_ in EXPLETIVE else child
        if t.dep_ == "relcl":
            return t.head
        if t is not cue and t.dep_ in ("dobj", "pobj") and t.head is not t:  # "issued a statement saying"
            t = t.head
            continue
        if t.dep_ not in INHERIT or t.head is t:
            return None
        if t.dep_ == "ccomp" and t is cue:  # a cue that is the complement of another verb has its own subject or none
            return None
        t = t.head
    return None


def speaker_span(p: Parsed, tok: Token) -> Span:
    """The mention of the speaker whose head is ``tok`` (see the module docstring)."""
    doc = p.doc
    if tok.pos_ == "PRON":
        return Span(tok.idx, tok.idx + len(tok.text))
    named = _entity_at(p, tok) if tok.pos_ == "PROPN" and tok.text[:1].isupper() else None  # "defence ministry" is no name
    if named is not None:  # "regional trade body Norrland Handel", "ministry spokesperson Pham Thu Hang"
        return named
    first, last = tok.left_edge.i, tok.right_edge.i
    for k in range(tok.i + 1, last + 1):
        if doc[k].text in PHRASE_BREAKS or (doc[k].dep_ == "relcl" and doc[k].head.i == tok.i):
            last = _phrase_end(doc, tok, k)
            break
    for k in range(tok.i - 1, first - 1, -1):  # a break before the head: start after it
        if doc[k].text in PHRASE_BREAKS:
            first = k + 1
            break
    while first < tok.i and (doc[first].lower_ in LEADING or doc[first].is_punct):
        first += 1
    apposed = _apposed_person(p, tok, last + 1)  # "Kosko's lawyer, Neil Haverty, said"
    if apposed is not None:
        return apposed
    return Span(doc[first].idx, doc[last].idx + len(doc[last].text))


def _phrase_end(doc, tok: Token, k: int) -> int:
    """The last token of the phrase before the break at ``k`` (at least the head itself)."""
    end = k - 1
    while end > tok.i and doc[end].is_punct:
        end -= 1
    return max(end, tok.i)


def _entity_at(p: Parsed, tok: Token) -> Span | None:
    """The speaker-like entity that holds the head ``tok`` (a person's first name before a
    one-word name taken in: ``Sheriff Curtis Lang`` -> Curtis Lang), else None."""
    if not tok.ent_type_ or tok.ent_type_ not in SPEAKER_LABELS:
        return None
    ent = p.entity(tok.i)
    if ent is None:
        return None
    doc, start = p.doc, ent.start
    if ent.label_ == "PERSON" and len(ent) == 1 and start > 0:
        before = doc[start - 1]
        if before.pos_ == "PROPN" and before.dep_ == "compound" and before.is_title and not before.ent_type_ and before.lower_ not in titles():
            start -= 1
    return Span(doc[start].idx, ent.end_char)


@lru_cache(maxsize=1)
def titles() -> frozenset[str]:
    """Titles and roles, lower case (``sheriff`` is one; from ``cues.tsv``)."""
    return frozenset(w.lower() for label in ("_TITLE", "_ROLE") for w in cue_list(label)) | {"sheriff", "chief", "spokesperson"}


def _apposed_person(p: Parsed, tok: Token, after: int) -> Span | None:
    """The name an apposition gives the head: a person after a comma (``Kosko's lawyer, Neil
    Haverty, said``), any speaker-like entity right after it (``trade body Norrland Handel``)."""
    for child in tok.children:
        if child.dep_ != "appos" or child.ent_type_ not in SPEAKER_LABELS:
            continue
        if child.ent_type_ == "PERSON" and child.i >= after:
            return _entity_at(p, child)
        if child.left_edge.i == tok.i + 1:  # "regional trade body Norrland Handel" (no comma between)
            return _entity_at(p, child)
    return None


# --- the named antecedent ---------------------------------------------------------------------


def speaker_name(p: Parsed, speaker: Span) -> Span | None:
    """The fullest named mention of the speaker: for a person, the longest PERSON entity up to
    the speaker's that ends with the speaker's name (``Hang`` -> ``Pham Thu Hang``; the speaker
    itself when it is the fullest); for ``he``/``she``, the one person named before it in the
    same or the two previous sentences (None when there are several: it is not clear); for an
    organisation, place or group named as an entity, that entity. None for any other speaker (``analysts``, ``they``)."""
    mention = p.text[speaker.start : speaker.end]
    if mention.lower() in PRONOUNS_OF_PERSONS:
        tok = p.doc.char_span(speaker.start, speaker.end)
        if tok is None:
            return None
        k = max(0, bisect_right(p.sent_starts, tok.start) - 3)  # this sentence and the two before
        first_char = p.doc[p.sent_starts[k]].idx if p.sent_starts else 0
        before = [e for e in p.ents_within(first_char, speaker.start) if e.label_ == "PERSON"]
        named = {p.full_name(e) for e in before}
        if len({n.text for n in named}) != 1:
            return None  # nobody, or more than one person: not clear
        return _span(p.full_name(before[-1]))
    inside = [e for e in p.ents_within(speaker.start, speaker.end) if e.label_ in SPEAKER_LABELS]
    if not inside:
        return None
    person = [e for e in inside if e.label_ == "PERSON"]
    if person:
        return _span(p.full_name(person[-1]))
    return _span(inside[0]) if len(inside) == 1 else None


def _span(ent) -> Span:
    return Span(ent.start_char, ent.end_char)

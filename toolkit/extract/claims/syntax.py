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

from typing import Iterable

from spacy.tokens import Doc, Token

from ...types import Claim, Span
from . import assembly, attribution
from .reporting import DEFAULT_CLASSES, Verb, verbs

NAME = "toolkit.claims.syntax.v1"
#: content of fewer words is no claim ("said so", "told him")
MIN_CONTENT_WORDS = 3
#: the heads that make a cue no statement: "declined to say", "refused to comment"
REFUSALS = frozenset({"decline", "refuse", "fail", "hesitate"})
#: the complements of a judgement verb that carry its content besides the object
OBJECT_PREPOSITIONS = frozenset({"of", "for", "as", "on", "over", "with"})
VERB_TAGS = frozenset({"VERB", "AUX"})


def find_syntax(doc: Doc, *, classes: Iterable[str] = DEFAULT_CLASSES, min_quote_words: int = 4) -> list[Claim]:
    """The claims of a parsed ``doc`` (origin ``syntax``), in text order; [] without a parse."""
    if not doc.has_annotation("DEP"):
        return []
    lexicon = verbs(tuple(classes))
    quotes = assembly.Quotes(doc, min_quote_words=min_quote_words)
    found: list[Claim] = []
    for tok in doc:
        if tok.lower_ == "according" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
            claim = None if quotes.inside(tok.idx) else according_to(doc, tok)
        else:
            verb = lexicon.get(tok.lemma_.lower())
            if verb is None or tok.pos_ not in VERB_TAGS or quotes.inside(tok.idx):
                continue
            claim = cue_claim(doc, tok, verb)
        if claim is not None:
            found.append(claim)
    return assembly.assemble(doc, found, quotes)


# --- cue verbs ------------------------------------------------------------------------------


def cue_claim(doc: Doc, cue: Token, verb: Verb) -> Claim | None:
    """The claim of one reporting verb, or None when it has no content or is a refusal."""
    if cue.dep_ == "xcomp" and cue.head.lemma_.lower() in REFUSALS:
        return None
    tokens = content_tokens(doc, cue, verb)
    if tokens is None:
        return None
    runs = assembly.runs(doc, tokens)
    if sum(1 for i in tokens if doc[i].is_alpha or doc[i].like_num) < MIN_CONTENT_WORDS or not runs:
        return None
    speaker_tok = attribution.speaker_token(cue)
    speaker = attribution.speaker_span(doc, speaker_tok) if speaker_tok is not None else None
    negated = any(child.dep_ == "neg" for child in cue.children)
    return assembly.claim(doc, runs, speaker=speaker, cue=cue_span(doc, cue), negated=negated)


def content_tokens(doc: Doc, cue: Token, verb: Verb) -> list[int] | None:
    """The token indices of a cue's content, by the first pattern that fits (see the module docstring)."""
    children = list(cue.children)
    clauses = [c for c in children if c.dep_ == "ccomp"]
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
    if cue.dep_ in ("parataxis", "ccomp", "advcl") and cue.i > cue.head.i and _parenthetical(doc, cue, children):
        own = {t.i for t in cue.subtree}
        return sorted(t.i for t in cue.head.subtree if t.i not in own)
    return None


def _subtree(token: Token, *, skip_mark: bool = False) -> list[int]:
    """The indices of ``token``'s subtree, without its leading ``that`` when ``skip_mark``."""
    out = [t.i for t in token.subtree]
    if skip_mark:
        marks = {c.i for c in token.children if c.dep_ == "mark" and c.lower_ == "that" and c.i == out[0]}
        out = [i for i in out if i not in marks]
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


def _parenthetical(doc: Doc, cue: Token, children: list[Token]) -> bool:
    """Whether the cue's clause is an attribution between commas or after one, with a subject
    and no complement of its own: ``The port, she said, will reopen``, ``..., said the ministry``
    (not ``..., citing a weaker peso``)."""
    first = cue.left_edge.i
    if not (first > cue.sent.start and doc[first - 1].text in (",", "\u2014", "--")):
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


def according_to(doc: Doc, according: Token) -> Claim | None:
    """``According to Reuters, the convoy reached the town.`` / ``..., according to Kyodo.``: the
    rest of the sentence (in parts when the phrase stands inside it), attributed to the source."""
    to = doc[according.i + 1]
    source = next((c for c in to.children if c.dep_ == "pobj"), None)
    phrase = {t.i for t in according.subtree} | {t.i for t in to.subtree}
    sent = according.sent
    tokens = [i for i in range(sent.start, sent.end) if i not in phrase]
    runs = assembly.runs(doc, tokens)
    if not runs or sum(1 for i in tokens if doc[i].is_alpha) < MIN_CONTENT_WORDS:
        return None
    speaker = attribution.speaker_span(doc, source) if source is not None else None
    return assembly.claim(doc, runs, speaker=speaker, cue=Span(according.idx, to.idx + len(to.text)), negated=False)

"""Every spaCy factory of the toolkit, registered in one place.

The ``spacy_factories`` entry points of ``pyproject.toml`` name the functions of this module,
so spaCy finds them by itself: ``nlp.add_pipe("toolkit_entity_rules")`` and
``spacy.load(path)`` of a saved pipeline import this module when a Language is made (spaCy
reads its entry points then). No other module registers a factory, and nothing imports this
one for its side effect. Each factory only builds its component; the component classes live
where they belong (``toolkit.extract`` for extraction, ``toolkit.learn`` for what corrections
teach).
"""
from __future__ import annotations

from typing import Callable

from spacy.language import Language
from spacy.pipeline.tagger import DEFAULT_TAGGER_MODEL
from thinc.api import Model

from .extract.claims import MAX_ATTRIBUTION_CHARS, MIN_QUOTE_WORDS, ClaimRules, ClaimSyntax
from .extract.claims.reporting import DEFAULT_CLASSES
from .extract.conventions import EntityConventions
from .extract.entities import EntityRules
from .extract.sentences import FastSentencizer, ParagraphBreaks
from .learn.claim_tagger import ClaimTagger
from .learn.ner_gate import GATE, NER, NerGate
from .learn.patterns import LearnedPatterns, Suppress
from .types import ENTITY_LABELS


@Language.factory(
    "toolkit_sentencizer",
    assigns=["token.is_sent_start", "doc.sents"],
    default_config={"punct_chars": None, "overwrite": False, "scorer": {"@scorers": "spacy.senter_scorer.v1"}},
    default_score_weights={"sents_f": 1.0, "sents_p": 0.0, "sents_r": 0.0},
)
def make_sentencizer(
    nlp: Language, name: str, punct_chars: list[str] | None, overwrite: bool, scorer: Callable | None
) -> FastSentencizer:
    """spaCy's ``sentencizer`` (same settings, same sentences), reading token ids instead of tokens."""
    return FastSentencizer(name, punct_chars=punct_chars, overwrite=overwrite, scorer=scorer)


@Language.factory(
    "toolkit_entity_conventions",
    default_config={"labels": list(ENTITY_LABELS), "strip_titles": True},
)
def make_entity_conventions(nlp: Language, name: str, labels: list[str] | None, strip_titles: bool) -> EntityConventions:
    """A statistical NER's entities in the toolkit's conventions (see :mod:`toolkit.extract.conventions`).

    Args:
        labels: the labels of the NER's entities to keep (null: all).
        strip_titles: take titles off PERSON entities.
    """
    return EntityConventions(nlp, name, labels=labels, strip_titles=strip_titles)


@Language.factory(
    "toolkit_entity_rules",
    default_config={"overwrite": False, "propagate_names": True, "person_rules": True, "event_rules": True, "relabel": True},
)
def make_entity_rules(
    nlp: Language, name: str, overwrite: bool, propagate_names: bool, person_rules: bool, event_rules: bool, relabel: bool
) -> EntityRules:
    """Rule-based entities (no model needed; see :mod:`toolkit.extract.entities`).

    Args:
        overwrite: replace entities of earlier components that overlap a rule's entity
            (default False: earlier components win and rules only fill the gaps).
        propagate_names: tag later surname-only mentions (``Blinken``) of a person
            already named in full in the same doc (default True).
        person_rules: find persons from titles, roles and speech verbs (default True; off
            beside a statistical NER, where they did not pay: see ``entities.WITH_NER``).
        event_rules: find events from their head words (default True; off beside a NER).
        relabel: give an earlier component's entity that is exactly a gazetteer name the
            gazetteer's label (default True).
    """
    return EntityRules(
        nlp,
        name,
        overwrite=overwrite,
        propagate_names=propagate_names,
        person_rules=person_rules,
        event_rules=event_rules,
        relabel=relabel,
    )


@Language.factory(
    "toolkit_claim_rules",
    default_config={"min_quote_words": MIN_QUOTE_WORDS, "max_attribution_chars": MAX_ATTRIBUTION_CHARS},
)
def make_claim_rules(nlp: Language, name: str, min_quote_words: int, max_attribution_chars: int) -> ClaimRules:
    """Rule-based claims (see :mod:`toolkit.extract.claims`).

    Args:
        min_quote_words: shorter quotes (scare quotes, titles) are not claims on their own.
        max_attribution_chars: how far after/before a quote the attribution is looked for.
    """
    return ClaimRules(name, min_quote_words=min_quote_words, max_attribution_chars=max_attribution_chars)


@Language.factory(
    "toolkit_claim_syntax",
    default_config={"classes": list(DEFAULT_CLASSES), "precedence": "syntax", "min_quote_words": MIN_QUOTE_WORDS, "cues": []},
)
def make_claim_syntax(
    nlp: Language, name: str, classes: list[str], precedence: str, min_quote_words: int, cues: list[str]
) -> ClaimSyntax:
    """Claims from the dependency parse (see :mod:`toolkit.extract.claims.syntax`), merged with the rules'.

    Args:
        classes: the reporting-verb classes read (``extract/data/reporting_verbs.tsv``); all but
            ``cognition`` (believe, think, expect) by default.
        precedence: ``syntax`` (default): the parse's claims win over the rules' they overlap; ``rules``: the reverse.
        min_quote_words: shorter quotes (scare quotes, titles) are not claims on their own.
        cues: more reporting-verb lemmas, read with a clause frame (learned from corrections).
    """
    return ClaimSyntax(name, classes=classes, precedence=precedence, min_quote_words=min_quote_words, cues=cues)


@Language.factory("toolkit_paragraphs")
def make_paragraphs(nlp: Language, name: str) -> ParagraphBreaks:
    """A blank line ends a sentence (placed before a parser, which keeps sentence starts set before it)."""
    return ParagraphBreaks(name)


@Language.factory("toolkit_learned_patterns", default_config={"overwrite": True})
def make_learned_patterns(nlp: Language, name: str, overwrite: bool) -> LearnedPatterns:
    """Phrase patterns learned from corrections.

    Args:
        overwrite: replace entities of earlier components (a model's NER) that overlap a match.
    """
    return LearnedPatterns(nlp, name, overwrite=overwrite)


@Language.factory("toolkit_suppress", default_config={})
def make_suppress(nlp: Language, name: str) -> Suppress:
    """Drop entities (text, label) that annotators removed elsewhere."""
    return Suppress(name)


@Language.factory(GATE, default_config={"ner": NER, "keep": 0.9, "fill": 0.5, "beam_width": 8})
def make_ner_gate(nlp: Language, name: str, ner: str, keep: float, fill: float, beam_width: int) -> NerGate:
    """Entities of the (disabled) NER component ``ner`` by beam probability.

    Args:
        ner: the name of the NER component it runs.
        keep: the probability from which an entity is set (and wins over the rules).
        fill: the probability from which an entity may fill a gap left by the rules.
        beam_width: the beam width used to estimate probabilities.
    """
    return NerGate(nlp, name, ner=ner, keep=keep, fill=fill, beam_width=beam_width)


@Language.factory(
    "toolkit_claim_tagger",
    default_config={"model": DEFAULT_TAGGER_MODEL, "min_tokens": 3, "merge": True},
)
def make_claim_tagger(nlp: Language, name: str, model: Model, min_tokens: int, merge: bool) -> ClaimTagger:
    """A trainable tagger of claim roles (CONTENT, SPEAKER, CUE).

    Args:
        model: a spaCy Tagger model (``spacy.Tagger.v2``).
        min_tokens: the shortest predicted content (in tokens) that becomes a claim.
        merge: add claims from the predicted roles (``toolkit train`` switches this off
            when it does not help on the dev split; the roles are still in ``doc.spans``).
    """
    return ClaimTagger(nlp.vocab, model, name, min_tokens=min_tokens, merge=merge)

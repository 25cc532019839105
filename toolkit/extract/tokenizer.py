"""The tokenizer of the default pipeline: spaCy's English tokenizer plus two infix rules.

spaCy's English tokenizer keeps ``U.S.-Vietnam`` as one token and ``level—a`` as one
token, so an entity ``Vietnam`` inside them cannot be annotated. We split a hyphen,
dash or slash that follows an abbreviation's period, and a dash between words.
Everything else is spaCy's default behaviour.
"""
from __future__ import annotations

import spacy
from spacy.language import Language
from spacy.util import compile_infix_regex

# Each starts with the character it splits at, then looks behind: an alternative that opens with a
# lookbehind is tried at every position of every chunk the tokenizer has not cached (~10% slower).
EXTRA_INFIXES = (
    r"[-\u2010\u2011\u2013\u2014/](?<=[A-Za-z]\.[-\u2010\u2011\u2013\u2014/])(?=[A-Za-z])",
    r"[\u2013\u2014](?<=[A-Za-z][\u2013\u2014])(?=[A-Za-z])",
)


def customize_tokenizer(nlp: Language) -> Language:
    """Add the extra infix rules to ``nlp``'s tokenizer in place; returns ``nlp``."""
    infixes = list(nlp.Defaults.infixes or ()) + list(EXTRA_INFIXES)
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
    return nlp


def blank_english() -> Language:
    """``spacy.blank("en")`` with the toolkit's tokenizer rules."""
    return customize_tokenizer(spacy.blank("en"))

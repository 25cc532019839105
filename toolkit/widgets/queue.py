"""The document queue behind a panel: lazy, filtered, resumable, with a bounded look-back.

Nothing is materialised: documents are pulled from the source one at a time as the
annotator moves forward (``window`` at a time when ordering by score), extraction runs
per pulled document, and only the last ``history`` documents are kept for "previous".
"""
from __future__ import annotations

import heapq
import math
import warnings
from collections import deque
from dataclasses import dataclass, field
from itertools import count
from typing import Any, Callable, Iterable, Iterator, Literal

from ..types import Correction, Document, Extraction
from .state import DocEdit

Filter = Callable[[Extraction], bool]
Order = Literal["stream", "lowest_score"]


@dataclass
class Item:
    """One document in the look-back cache, with its edit state and answer."""

    extraction: Extraction
    edit: DocEdit
    stored: str | None = None  # answer of the stored record it was loaded from
    answer: str | None = None  # answer given in this session
    notes: list[str] = field(default_factory=list)  # warnings to show with it
    draft_revision: int = 0  # the edit revision last written to (or checked against) the drafts
    comment: str = ""  # the annotator's note on the document, saved with the answer (meta.comment)
    flagged: bool = False  # marked for discussion, saved with the answer (meta.flagged)
    page: int = 0  # the page on screen of a long document (see render.pages)
    page_starts: list[int] | None = None  # computed on first show
    shown_pick: tuple[int, int] = (-1, -1)  # the (entity, claim) picked at the last render


def min_score(extraction: Extraction) -> float:
    """The lowest confidence among an extraction's entities and claims (inf when none has one)."""
    scores = [x.score for x in (*extraction.entities, *extraction.claims) if x.score is not None]
    return min(scores) if scores else math.inf


def has_label(*labels: str) -> Filter:
    """Filter: documents with at least one entity of any of ``labels``."""
    wanted = set(labels)
    return lambda ex: any(e.label in wanted for e in ex.entities)


def has_speaker(text: str, *, case: bool = False) -> Filter:
    """Filter: documents with a claim whose speaker contains ``text``."""
    needle = text if case else text.lower()

    def check(ex: Extraction) -> bool:
        for c in ex.claims:
            if c.speaker is not None:
                said = c.speaker.text(ex.doc.text)
                if needle in (said if case else said.lower()):
                    return True
        return False

    return check


def has_claims(ex: Extraction) -> bool:
    """Filter: documents with at least one claim."""
    return bool(ex.claims)


class DocQueue:
    """Pulls documents lazily and keeps the last few for going back.

    Args:
        source: Documents and/or Extractions, any iterable (a generator is never listed).
        extract: turns a Document into an Extraction (called once per pulled document).
        lookup: returns the stored Correction to show instead of the extraction, or None.
        skip: True for documents not to show at all (done already).
        filter: keep only extractions for which it returns True.
        order: ``stream`` (source order) or ``lowest_score`` (least confident first
            within each ``window`` of pulled documents).
        make_edit: builds the DocEdit for an extraction, with notes to show about it.
        history: how many documents "previous" can go back.
    """

    def __init__(
        self,
        source: Iterable[Document | Extraction],
        *,
        extract: Callable[[Document], Extraction],
        make_edit: Callable[[Extraction], tuple[DocEdit, list[str]]],
        lookup: Callable[[Document], tuple[Correction | None, list[str]]] = lambda d: (None, []),
        skip: Callable[[Document], bool] = lambda doc: False,
        filter: Filter | None = None,
        order: Order = "stream",
        window: int = 100,
        history: int = 50,
    ) -> None:
        if order not in ("stream", "lowest_score"):
            raise ValueError(f"order must be 'stream' or 'lowest_score', not {order!r}")
        if history < 1 or window < 1:
            raise ValueError("history and window must be at least 1")
        self._source = iter(source)
        self._extract, self._lookup, self._skip = extract, lookup, skip
        self._make_edit = make_edit
        self._filter = filter
        self._order, self._window = order, window
        self._heap: list[tuple[float, int, Item]] = []
        self._tie = count()
        self._stream = self._items()
        self.items: deque[Item] = deque(maxlen=history)
        self.position = -1
        self.pulled = 0  # how many source items were read
        self.skipped = 0  # how many were passed over (done already, or filtered out)
        self.exhausted = False

    def _items(self) -> Iterator[Item]:
        for raw in self._source:
            self.pulled += 1
            doc = raw.doc if isinstance(raw, Extraction) else raw
            if not isinstance(doc, Document):
                raise TypeError(f"the source must yield toolkit Documents or Extractions, got {type(raw).__name__}")
            if self._skip(doc):
                self.skipped += 1
                continue
            stored, notes = self._lookup(doc)
            if stored is not None:
                extraction = stored.to_extraction(doc, origin="correction")
                if isinstance(raw, Extraction):
                    extraction = extraction.replace(extractor=raw.extractor)
            else:
                extraction = raw if isinstance(raw, Extraction) else self._extract(doc)
            if self._filter is not None and not self._filter(extraction):
                self.skipped += 1
                continue
            edit, more = self._make_edit(extraction)
            meta = stored.meta if stored is not None else {}
            yield Item(
                extraction, edit, stored=stored.answer if stored else None, notes=notes + more,
                comment=str(meta.get("comment") or ""), flagged=bool(meta.get("flagged")),
            )

    def _pull(self) -> Item | None:
        if self._order == "stream":
            return next(self._stream, None)
        while len(self._heap) < self._window:
            item = next(self._stream, None)
            if item is None:
                break
            heapq.heappush(self._heap, (min_score(item.extraction), next(self._tie), item))
        return heapq.heappop(self._heap)[2] if self._heap else None

    @property
    def current(self) -> Item | None:
        return self.items[self.position] if 0 <= self.position < len(self.items) else None

    def forward(self) -> Item | None:
        """Move to the next document (pulling one if needed); None at the end."""
        if self.position + 1 < len(self.items):
            self.position += 1
            return self.current
        item = self._pull()
        if item is None:
            self.exhausted = True
            self.position = len(self.items)  # past the end
            return None
        full = len(self.items) == self.items.maxlen
        self.items.append(item)
        self.position = len(self.items) - 1 if full else self.position + 1
        return item

    def back(self) -> Item | None:
        """Move to the previous document still in the look-back cache; None if none is."""
        if self.position - 1 < 0:
            return None
        self.position -= 1
        return self.current

    def find(self, doc_id: str) -> Item | None:
        """Move to the document ``doc_id``: one kept for going back, or the next with that id
        further on (documents passed over stay unanswered, and "previous" reaches them); None
        (staying where it was) when the source has no such document ahead."""
        for k, item in enumerate(self.items):
            if item.extraction.doc.id == doc_id:
                self.position = k
                return item
        here = self.current
        while True:
            item = self._pull()
            if item is None:
                self.exhausted = True
                # back where it was, if that document is still kept (else the oldest kept)
                self.position = next((k for k, it in enumerate(self.items) if it is here), 0 if self.items else -1)
                return None
            self.items.append(item)
            if item.extraction.doc.id == doc_id:
                self.position = len(self.items) - 1
                return item

    @property
    def at_end(self) -> bool:
        return self.position >= len(self.items)


def capture_warnings(call: Callable[[], Any]) -> tuple[Any, list[str]]:
    """Run ``call`` and return (its result, messages of the warnings it raised)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = call()
    return result, [str(w.message) for w in caught]

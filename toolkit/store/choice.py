"""Which record stands for a document, and whether it still fits the document's text.

The one place these policies are written; the store (``Corrections.get``), the learning
loop (overrides, training, gold) and agreement all call it.

* Per (document, annotator) the latest record counts (by ``timestamp``; of equal
  timestamps the later one read wins).
* Among those, the reviewer's (annotator :data:`REVIEWER`) stands for the document, else
  the most recent (of equal timestamps, the annotator seen first).
* A record made on another text (its ``text_sha256`` differs) has offsets that do not
  fit: it is not applied, with a :class:`~toolkit.errors.DriftWarning`.
"""
from __future__ import annotations

from typing import Iterable

from ..errors import DriftWarning, warn
from ..types import Correction

REVIEWER = "review"
"""The annotator name whose records adjudicate (the review panel writes them)."""


def latest_per_annotator(records: Iterable[Correction], *, annotator: str | None = None) -> dict[tuple[str, str], Correction]:
    """The latest record per ``(doc_id, annotator)``, in order of first appearance (only
    ``annotator``'s when given)."""
    latest: dict[tuple[str, str], Correction] = {}
    for record in records:
        if annotator is not None and record.annotator != annotator:
            continue
        key = (record.doc_id, record.annotator)
        if key not in latest or record.timestamp >= latest[key].timestamp:
            latest[key] = record
    return latest


def choose_per_document(records: Iterable[Correction], *, annotator: str | None = None) -> dict[str, Correction]:
    """The record that stands for each document (see the module docstring), by ``doc_id``
    in order of first appearance. With ``annotator``, that annotator's latest."""
    chosen: dict[str, Correction] = {}
    for (doc_id, name), record in latest_per_annotator(records, annotator=annotator).items():
        current = chosen.get(doc_id)
        if current is None:
            chosen[doc_id] = record
        elif (name == REVIEWER) != (current.annotator == REVIEWER):
            if name == REVIEWER:
                chosen[doc_id] = record
        elif record.timestamp > current.timestamp:
            chosen[doc_id] = record
    return chosen


def fits_text(record: Correction, text_sha: str, *, warn_drift: bool = True) -> bool:
    """Whether ``record`` was made on the text whose ``text_sha256`` is ``text_sha``; when not,
    (with ``warn_drift``) a :class:`~toolkit.errors.DriftWarning` says so and what to do."""
    if record.text_sha256 == text_sha:
        return True
    if warn_drift:
        warn(
            f"document '{record.doc_id}' has changed since it was corrected (text_sha256 differs), so its "
            "corrections are not applied to the new text. Re-annotate it, or load the original text.",
            DriftWarning,
            stacklevel=3,
        )
    return False

"""The extension point through which corrections reach the extractor.

``extract`` sits below ``store`` and ``learn`` in the flow of data, so it never imports
them: the Extractor takes an :class:`AnnotationAdapter`, which adds learned components to the
pipeline and returns corrected documents exactly as corrected (overrides).
``toolkit.api.open_annotations`` (``toolkit.Extractor(annotations=PATH)``) makes one of a path.
"""
from __future__ import annotations

from typing import Protocol, runtime_checkable

from spacy.language import Language

from ..types import Document, Extraction


@runtime_checkable
class AnnotationAdapter(Protocol):
    """What the extractor needs from a source of corrections."""

    fingerprint: str
    """A short hash of the corrections, recorded in the extractor version."""

    def configure(self, nlp: Language) -> None:
        """Add learned components (patterns, suppression) to ``nlp``."""

    def lookup(self, doc: Document) -> Extraction | None:
        """The corrected extraction of ``doc`` if one matches its text, else None."""

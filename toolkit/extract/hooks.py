"""The extension point through which corrections reach the extractor.

``extract`` sits below ``store`` and ``learn`` in the flow of data, so it never imports
them. Instead, ``toolkit.learn`` registers a loader here that turns an annotations
directory into an :class:`AnnotationAdapter`: it adds learned components to the
pipeline and returns corrected documents exactly as corrected (overrides).
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Protocol, runtime_checkable

from spacy.language import Language

from ..errors import ModelError
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


AnnotationLoader = Callable[[Path], AnnotationAdapter]
_LOADERS: list[AnnotationLoader] = []


def register_annotations_loader(loader: AnnotationLoader) -> AnnotationLoader:
    """Register the function that opens an annotations path (used by ``toolkit.learn``)."""
    if loader not in _LOADERS:
        _LOADERS.append(loader)
    return loader


def resolve_annotations(annotations: str | Path | AnnotationAdapter | None) -> AnnotationAdapter | None:
    """Turn an ``annotations=`` argument into an adapter (None stays None)."""
    if annotations is None or isinstance(annotations, AnnotationAdapter):
        return annotations
    if not _LOADERS:
        raise ModelError(
            "no loader for annotations is registered. Import toolkit (not only toolkit.extract), "
            "e.g. `import toolkit`, before passing annotations=.",
            code="E310",
        )
    return _LOADERS[-1](Path(annotations))

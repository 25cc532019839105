"""The one layer that knows both ends of the flow: a corrections path becomes an adapter.

``toolkit.extract`` sits below ``store`` and ``learn``, so its Extractor takes an
:class:`~toolkit.extract.hooks.AnnotationAdapter` and never opens a corrections store itself.
This module turns what users pass (a directory or JSONL file of corrections) into one, and
``toolkit.Extractor`` is the extractor that accepts either. The CLI, ``toolkit.scale`` and the
widgets build their extractors here, so a path means the same everywhere.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from .extract import Extractor as _Extractor
from .extract.hooks import AnnotationAdapter
from .extract.pipeline import AUTO

Annotations = str | Path | AnnotationAdapter | None


def open_annotations(annotations: Annotations, *, on_error: str = "raise") -> AnnotationAdapter | None:
    """``annotations=`` as users give it: None, an adapter (kept), or the path of a corrections
    directory or ``.jsonl`` file (opened as a :class:`toolkit.learn.CorrectionsAdapter`).

    ``on_error``: how a path's bad lines are read, as in :class:`toolkit.Corrections`:
    ``"raise"`` (default) stops at the first with its file and line; ``"skip"`` reads every valid
    record and warns about each bad line (CLI ``--skip-invalid``)."""
    from .store.store import ON_ERROR

    if on_error not in ON_ERROR:
        raise ValueError(f"on_error={on_error!r}: choose 'raise' or 'skip'")
    if annotations is None or isinstance(annotations, AnnotationAdapter):
        return annotations
    from .learn.overrides import open_annotations as open_store

    return open_store(Path(annotations), on_error=on_error)


class Extractor(_Extractor):
    __doc__ = _Extractor.__doc__

    def __init__(self, model: Any = AUTO, *, annotations: Annotations = None, on_error: str = "raise", **options: Any) -> None:
        super().__init__(model, annotations=open_annotations(annotations, on_error=on_error), **options)

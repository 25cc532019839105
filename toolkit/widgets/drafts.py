"""Unsaved edits kept on disk, so that a kernel restart or a closed notebook loses none.

A panel writes the screen of a document it has edited but not answered to
``<store folder>/.drafts/<annotator>/<id hash>.json`` (atomically: a temporary file moved into
place), and deletes it once the document is answered. A new panel on the same store shows a
document's draft instead of its stored or extracted version, when the text is unchanged (the
hash of the text is kept with the draft); ``z`` undoes the restore. Drafts are JSON, not JSONL:
the store never reads them as corrections.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Sequence

from ..types import Claim, Entity, text_sha256

FOLDER = ".drafts"


@dataclass(frozen=True)
class Draft:
    """A document's unsaved screen: its entities and claims, and when it was written."""

    entities: tuple[Entity, ...]
    claims: tuple[Claim, ...]
    saved_at: str


class Drafts:
    """The drafts of one annotator in ``folder``."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)

    @classmethod
    def beside(cls, store: Any, annotator: str) -> "Drafts | None":
        """The drafts folder of a store with a ``path`` (``toolkit.store.Corrections``), or None."""
        path = getattr(store, "path", None)
        if path is None:
            return None
        path = Path(path)
        root = path.parent if path.suffix == ".jsonl" else path
        return cls(root / FOLDER / re.sub(r"[^\w.-]+", "_", annotator))

    def _file(self, doc_id: str) -> Path:
        return self.folder / (hashlib.sha1(doc_id.encode("utf-8")).hexdigest()[:24] + ".json")

    def save(self, doc_id: str, text: str, entities: Sequence[Entity], claims: Sequence[Claim]) -> Path:
        """Write the draft of ``doc_id`` (replacing any earlier one) atomically."""
        self.folder.mkdir(parents=True, exist_ok=True)
        data = {
            "doc_id": doc_id,
            "text_sha256": text_sha256(text),
            "saved_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "entities": [e.to_dict() for e in entities],
            "claims": [c.to_dict() for c in claims],
        }
        target = self._file(doc_id)
        tmp = target.with_suffix(f".{os.getpid()}.tmp")
        with open(tmp, "w", encoding="utf-8") as handle:
            json.dump(data, handle, ensure_ascii=False)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
        return target

    def load(self, doc_id: str, text: str) -> Draft | None:
        """The draft of ``doc_id`` if one exists for this very text (a changed text has none)."""
        path = self._file(doc_id)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("doc_id") != doc_id or data.get("text_sha256") != text_sha256(text):
                return None
            entities = tuple(Entity.from_dict(e) for e in data["entities"])
            claims = tuple(Claim.from_dict(c) for c in data["claims"])
        except FileNotFoundError:
            return None
        except (ValueError, KeyError, TypeError):  # a damaged draft is no draft (the stored record stands)
            return None
        return Draft(entities, claims, str(data.get("saved_at", "")))

    def discard(self, doc_id: str) -> None:
        """Delete the draft of ``doc_id`` (answered: the store holds it now)."""
        try:
            self._file(doc_id).unlink()
        except FileNotFoundError:
            pass

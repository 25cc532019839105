"""Incremental re-extraction: reuse a previous output's records whose inputs have not changed.

A record is reused when the document id, the SHA-256 of its text and the extractor
version all match. The extractor version carries the toolkit version, a hash of its
rules' code and data, the model's name and version and the corrections' fingerprint, so
changed rules, new corrections or a new model re-extract everything they may affect. Only ids, hashes, versions and byte offsets of
the previous output are held in memory; reused lines are read back on demand.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Callable, Iterable, Iterator

from ..types import Document, Extraction, text_sha256


@dataclass(frozen=True)
class _Entry:
    sha: str
    version: str
    offset: int


class PreviousResults:
    """An index of a previous ``toolkit extract`` output file."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.index: dict[str, _Entry] = {}
        if not self.path.exists():
            return
        with self.path.open("rb") as handle:
            offset = 0
            for raw in handle:
                try:
                    record = json.loads(raw)
                    self.index[str(record["id"])] = _Entry(text_sha256(record["text"]), record["extractor"]["version"], offset)
                except (ValueError, KeyError, TypeError):
                    pass  # an unreadable line is simply not reused
                offset += len(raw)
        self._handle = None

    def __len__(self) -> int:
        return len(self.index)

    def get(self, doc: Document, version: str) -> dict | None:
        entry = self.index.get(doc.id)
        if entry is None or entry.version != version or entry.sha != text_sha256(doc.text):
            return None
        with self.path.open("rb") as handle:
            handle.seek(entry.offset)
            return json.loads(handle.readline())


def previous_results(path: str | Path) -> PreviousResults:
    return PreviousResults(path)


def reuse_or_extract(
    docs: Iterable[Document],
    *,
    previous: PreviousResults,
    version: str,
    extract: Callable[[Iterable[Document]], Iterator[Extraction]],
    chunk_size: int = 256,
) -> Iterator[tuple[dict, bool]]:
    """Yield ``(record, reused)`` in input order; unchanged documents are not re-extracted."""
    stream = iter(docs)
    while True:
        chunk = list(islice(stream, chunk_size))
        if not chunk:
            return
        reused = [previous.get(doc, version) for doc in chunk]
        todo = [doc for doc, old in zip(chunk, reused) if old is None]
        fresh = iter(extract(todo)) if todo else iter(())
        for old in reused:
            if old is not None:
                yield old, True
            else:
                yield next(fresh).to_dict(), False

"""``Documents``: a lazy stream of Documents that can say, cheaply, how many it holds.

A loader's result is consumed once, document by document (a 100,000-file corpus is never
listed), but a progress bar wants a total. Where the source can count without parsing — a
folder's file list, a JSONL file's line count, a Parquet file's metadata, a DataFrame's length
— :attr:`Documents.total` gives it (counted on first use, once); otherwise it is None. The
count is of the source's records: documents skipped while reading (``skip_empty``) are in it.
``len()`` is deliberately not defined (the stream is no list); ``operator.length_hint`` gives
the documents still to come.
"""
from __future__ import annotations

from typing import Callable, Iterable, Iterator

from ..types import Document

Counter = Callable[[], "int | None"]


class Documents(Iterator[Document]):
    """An iterator of Documents with a cheap :attr:`total` where the source can count."""

    def __init__(self, documents: Iterable[Document], count: Counter | None = None) -> None:
        self._it = iter(documents)
        self._count = count
        self._total: int | None = None
        self._counted = count is None
        self.consumed = 0

    def __iter__(self) -> "Documents":
        return self

    def __next__(self) -> Document:
        doc = next(self._it)
        self.consumed += 1
        return doc

    @property
    def total(self) -> int | None:
        """How many documents the source holds (None when it cannot say cheaply)."""
        if not self._counted:
            self._counted = True
            self._total = self._count() if self._count is not None else None
        return self._total

    def __length_hint__(self) -> int:
        total = self.total
        return max(0, total - self.consumed) if total is not None else NotImplemented


def count_lines(path: str) -> int:
    """The number of non-blank lines of a text file (JSONL records), read in binary blocks."""
    n = 0
    with open(path, "rb") as handle:
        for line in handle:
            if line.strip():
                n += 1
    return n


def summed(counts: "list[Counter | None]") -> Counter:
    """A counter of several sources: their sum, or None if one cannot count (None or a None result)."""

    def total() -> int | None:
        out = 0
        for count in counts:
            n = count() if count is not None else None
            if n is None:
                return None
            out += n
        return out

    return total

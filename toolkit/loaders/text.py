"""Plain-text files: one document per ``.txt`` file, folders walked lazily.

The text contract, which other modules rely on byte for byte: decode (UTF-8, BOM
allowed, unless ``encoding=`` says otherwise), remove the optional leading
`` date YYYY-MM-DD `` header (which becomes ``Document.date``), then ``rstrip()``;
nothing else (line endings and leading whitespace are kept). The id is the file stem and
the source the path as given or found.
"""
from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Iterable, Iterator, Pattern

from ..types import Document
from .dates import E_DATE, header_date
from .decoding import decode_bytes
from .records import LoadOptions, Where, finish

HEADER = re.compile(r"\A\s*date\s+(\d{4}-\d{2}-\d{2})\s+")


def read_text_file(
    path: str | os.PathLike[str],
    *,
    encoding: str | None = None,
    strip_boilerplate: bool = False,
    boilerplate_patterns: Iterable[str | Pattern[str]] = (),
) -> Document:
    """Read one ``.txt`` file as a Document (see the module docstring for the text contract).

    Args:
        path: the file.
        encoding: its codec; default UTF-8 with or without a BOM.
        strip_boilerplate: remove boilerplate lines (recorded in ``meta["boilerplate_removed"]``).
        boilerplate_patterns: extra whole-line regular expressions to remove.

    Raises:
        InputError: the file cannot be decoded, its header date is not a date, or its text is empty.
    """
    opts = LoadOptions.create(
        encoding=encoding, strip_boilerplate=strip_boilerplate, boilerplate_patterns=boilerplate_patterns
    )
    doc = read_txt(path, opts=opts)
    assert doc is not None  # skip_empty is off, so an empty text raised
    return doc


def read_txt(path: str | os.PathLike[str], *, opts: LoadOptions) -> Document | None:
    """One ``.txt`` file with the given options (None: empty and ``skip_empty`` is set)."""
    name = os.fspath(path)
    with open(name, "rb") as handle:
        raw = handle.read()
    text = decode_bytes(raw, encoding=opts.encoding, file=name)
    where = Where(name, line=1)
    date = None
    match = HEADER.match(text)
    if match:
        date = header_date(match.group(1), error=lambda m: where.error(m, code=E_DATE, field="date"))
        text = text[match.end() :]
    doc = Document(id=Path(name).stem, text=text.rstrip(), date=date, source=name)
    return finish(doc, opts=opts, where=where)


def iter_txt(path: str | os.PathLike[str], *, opts: LoadOptions) -> Iterator[Document | None]:
    """The loader-registry reader for a single ``.txt`` file."""
    yield read_txt(path, opts=opts)


def walk_files(root: str | os.PathLike[str], *, suffixes: tuple[str, ...] = (".txt",)) -> Iterator[str]:
    """Files below ``root`` whose suffix (any case) is in ``suffixes``, lazily, in sorted path order.

    Each folder's names are listed and sorted (names only; nothing is read), and subfolders
    are entered where they sort, which is the order of ``sorted(Path(root).rglob(...))``.
    Hidden names (starting with ``.``, e.g. ``.ipynb_checkpoints``) are skipped. Symlinked
    files are followed; symlinked folders are not (no cycles).
    """
    with os.scandir(root) as entries:
        listing = sorted(
            (entry.name, entry.path, entry.is_dir(follow_symlinks=False), entry.is_file())
            for entry in entries
            if not entry.name.startswith(".")
        )
    for name, full, is_dir, is_file in listing:
        if is_dir:
            yield from walk_files(full, suffixes=suffixes)
        elif is_file and name.lower().endswith(suffixes):
            yield full

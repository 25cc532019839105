"""``load``: any corpus source to a lazy stream of Documents.

Sources are resolved at once (paths checked, globs expanded, DataFrame columns checked);
files are opened and read only as the stream is consumed. Formats live in a registry
(``FORMATS``): a name, the suffixes that select it, and a reader.
"""
from __future__ import annotations

import glob
from functools import partial
import os
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Iterable, Iterator, Pattern, Sequence, Union

from ..errors import InputError, warn
from ..types import Document
from .jsonl import iter_jsonl
from .stream import Counter, Documents, count_lines, summed
from .records import E_FORMAT, E_NOT_FOUND, LoadOptions, Where
from .tabular import iter_csv, iter_dataframe, iter_parquet, iter_tsv
from .text import iter_txt, walk_files

if TYPE_CHECKING:
    import pandas as pd

Reader = Callable[..., Iterator[Union[Document, None]]]
Source = Union[str, "os.PathLike[str]", "pd.DataFrame", Sequence["Source"]]


@dataclass(frozen=True)
class Format:
    """A registered input format: its name, the file suffixes that select it, its reader."""

    name: str
    suffixes: tuple[str, ...]
    read: Reader


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("txt", (".txt",), iter_txt),
        Format("csv", (".csv",), iter_csv),
        Format("tsv", (".tsv", ".tab"), iter_tsv),
        Format("jsonl", (".jsonl", ".ndjson"), iter_jsonl),
        Format("parquet", (".parquet", ".pq"), iter_parquet),
    )
}
ALIASES = {"text": "txt", "ndjson": "jsonl", "pq": "parquet"}

#: (label, make the reader, count the records cheaply or None)
_Plan = tuple[str, Callable[[], Iterator[Union[Document, None]]], Counter]


def load(
    source: Source,
    *,
    text: str = "text",
    id: str | None = "id",
    date: str | None = "date",
    format: str | None = None,
    encoding: str | None = None,
    strip_boilerplate: bool = False,
    boilerplate_patterns: Iterable[str | Pattern[str]] = (),
    skip_empty: bool = False,
) -> Documents:
    """Stream the Documents of a corpus (lazily; its ``total`` counts them where that is cheap:
    see :class:`~toolkit.loaders.stream.Documents`).

    Args:
        source: a folder (every ``*.txt`` below it, recursively, in sorted path order), a
            glob pattern, a ``.txt``/``.csv``/``.tsv``/``.jsonl``/``.ndjson``/``.parquet``
            file, a pandas DataFrame, or a list/tuple of these (concatenated in order).
        text: the column/key holding the text (default ``"text"``).
        id: the column/key holding the id (default ``"id"``); missing or empty ids become
            ``content_id(text)``; None always uses the content hash.
        date: the column/key holding the date (default ``"date"``); None reads no date.
        format: ``txt``, ``csv``, ``tsv``, ``jsonl`` or ``parquet``, overriding the suffix
            (for a folder: which files to read, default ``txt``).
        encoding: the codec of the files (default UTF-8 with or without a BOM).
        strip_boilerplate: remove boilerplate lines such as ``Also Read | ...`` and record
            them in ``meta["boilerplate_removed"]`` (default False).
        boilerplate_patterns: extra whole-line regular expressions to remove.
        skip_empty: skip documents whose text is empty (with a warning giving the count)
            instead of raising (default False).

    Raises:
        InputError: a path does not exist, a glob matches nothing, a format is unknown, or
            (while iterating) a record is malformed; the message names the file, the line
            or row, the field, and the fix.
    """
    opts = LoadOptions.create(
        text=text,
        id=id,
        date=date,
        encoding=encoding,
        strip_boilerplate=strip_boilerplate,
        boilerplate_patterns=boilerplate_patterns,
        skip_empty=skip_empty,
    )
    chosen = resolve_format(format) if format is not None else None
    plans = list(_plan(source, chosen, opts))
    return Documents(_run(plans), summed([count for _, _, count in plans]))


def resolve_format(name: str) -> Format:
    """The registered format called ``name`` (or an alias such as ``ndjson``)."""
    key = ALIASES.get(name.lower().lstrip("."), name.lower().lstrip("."))
    if key not in FORMATS:
        raise InputError(f"unknown format {name!r}; pass one of: {', '.join(FORMATS)}.", code=E_FORMAT, field="format")
    return FORMATS[key]


def format_of(path: str) -> Format:
    """The format selected by a file's suffix (any case)."""
    lower = path.lower()
    for fmt in FORMATS.values():
        if lower.endswith(fmt.suffixes):
            return fmt
    suffixes = ", ".join(s for f in FORMATS.values() for s in f.suffixes)
    raise Where(path).error(
        f"cannot tell the format from the file name (known suffixes: {suffixes}); "
        f"pass format=\"csv\" (or one of: {', '.join(FORMATS)}).",
        code=E_FORMAT,
    )


def _plan(source: Source, chosen: Format | None, opts: LoadOptions) -> Iterator[_Plan]:
    pandas = sys.modules.get("pandas")
    if pandas is not None and isinstance(source, pandas.DataFrame):
        rows = iter_dataframe(source, opts=opts)
        yield "DataFrame", lambda: rows, lambda n=len(source): n
    elif isinstance(source, (list, tuple)):
        for item in source:
            yield from _plan(item, chosen, opts)
    elif isinstance(source, (str, os.PathLike)):
        yield from _plan_path(os.path.expanduser(os.fspath(source)), chosen, opts)
    else:
        raise TypeError(
            f"cannot load a {type(source).__name__}; pass a path, a glob, a pandas DataFrame "
            "or a list of these."
        )


def _plan_path(path: str, chosen: Format | None, opts: LoadOptions) -> Iterator[_Plan]:
    if os.path.isdir(path):
        fmt = chosen or FORMATS["txt"]
        per_file = _counter(fmt)
        yield (
            path,
            lambda: _read_each(walk_files(path, suffixes=fmt.suffixes), fmt, opts),
            None if per_file is None else (lambda: summed([partial(per_file, f) for f in walk_files(path, suffixes=fmt.suffixes)])()),
        )
    elif os.path.exists(path):
        fmt = chosen or format_of(path)
        per_file = _counter(fmt)
        yield path, lambda: fmt.read(path, opts=opts), None if per_file is None else (lambda: per_file(path))
    elif glob.has_magic(path):
        matches = sorted(glob.glob(path, recursive=True))
        if not matches:
            raise Where(path).error(
                "the glob pattern matches no files; check the folder and the pattern "
                "(use ** for subfolders, e.g. 'corpus/**/*.txt').",
                code=E_NOT_FOUND,
            )
        for match in matches:
            yield from _plan_path(match, chosen, opts)
    else:
        raise Where(path).error(
            f"no such file or folder; check the path (relative paths start from {os.getcwd()}).",
            code=E_NOT_FOUND,
        )


def _counter(fmt: Format) -> Callable[[str], int | None] | None:
    """How to count a file's records of this format without parsing them, or None."""
    if fmt.name == "txt":
        return lambda path: 1
    if fmt.name == "jsonl":
        return count_lines
    if fmt.name == "parquet":
        return _parquet_rows
    return None  # CSV/TSV: a quoted field may hold newlines, so lines are no rows


def _parquet_rows(path: str) -> int | None:
    try:
        import pyarrow.parquet as pq

        return pq.ParquetFile(path).metadata.num_rows
    except Exception:  # unreadable: the reader says why, with the file, when it gets there
        return None


def _read_each(paths: Iterator[str], fmt: Format, opts: LoadOptions) -> Iterator[Document | None]:
    for path in paths:
        yield from fmt.read(path, opts=opts)


def _run(plans: list[_Plan]) -> Iterator[Document]:
    for label, make, _ in plans:
        skipped = 0
        for doc in make():
            if doc is None:
                skipped += 1
            else:
                yield doc
        if skipped:
            warn(f"skipped {skipped} document(s) with an empty text in {label} (skip_empty=True).")

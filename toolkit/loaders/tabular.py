"""Tables: CSV/TSV (row by row with the csv module), Parquet (batch by batch), DataFrames.

Each row is one document; columns are mapped with ``text=``, ``id=`` and ``date=`` and
the other columns go into ``meta``. CSV errors give the physical line where the record
starts (the header is line 1); Parquet and DataFrame errors give the row index.
"""
from __future__ import annotations

import csv
import os
import sys
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Pattern

from ..types import Document
from .decoding import text_lines
from .records import E_FORMAT, E_RECORD, LoadOptions, Where, build_document, check_columns

if TYPE_CHECKING:
    import pandas as pd

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
_BATCH_ROWS = 1024


def iter_csv(path: str | os.PathLike[str], *, opts: LoadOptions, delimiter: str = ",") -> Iterator[Document | None]:
    """Documents from a CSV file (one per row, the first row is the header), lazily."""
    name = os.fspath(path)
    reader = csv.reader(text_lines(name, encoding=opts.encoding), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise Where(name, line=1).error(
            "the file is empty; a CSV/TSV corpus needs a header row naming its columns (e.g. id,date,text).",
            code=E_RECORD,
        ) from None
    except csv.Error as err:
        raise Where(name, line=1).error(f"malformed header ({err}); fix the first line.", code=E_RECORD) from None
    _check_header(header, name=name, delimiter=delimiter)
    check_columns(header, opts, file=name)
    end = reader.line_num
    while True:
        start = end + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as err:
            raise Where(name, line=start).error(
                f"malformed CSV record ({err}); check the quoting of this record.", code=E_RECORD
            ) from None
        end = reader.line_num
        if not row:
            continue  # a blank line
        where = Where(name, line=start)
        if len(row) != len(header):
            raise where.error(
                f"the record has {len(row)} fields but the header has {len(header)}; "
                "quote fields that contain the delimiter, quotes or line breaks, or fix the row.",
                code=E_RECORD,
            )
        yield build_document(dict(zip(header, row)), opts=opts, where=where, source=name)


def iter_tsv(path: str | os.PathLike[str], *, opts: LoadOptions) -> Iterator[Document | None]:
    """Documents from a tab-separated file (CSV quoting rules, as pandas writes it)."""
    return iter_csv(path, opts=opts, delimiter="\t")


def _check_header(header: list[str], *, name: str, delimiter: str) -> None:
    seen: set[str] = set()
    for column in header:
        if column in seen:
            raise Where(name, line=1).error(
                f"the header names the column {column!r} twice; rename one of them.", code=E_RECORD
            )
        seen.add(column)
    if len(header) == 1 and delimiter == "," and "\t" in header[0]:
        raise Where(name, line=1).error(
            'the header has tabs but no commas; this looks like a TSV file: name it .tsv, or pass format="tsv".', code=E_RECORD
        )


def iter_parquet(path: str | os.PathLike[str], *, opts: LoadOptions) -> Iterator[Document | None]:
    """Documents from a Parquet file, read batch by batch with pyarrow."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    name = os.fspath(path)
    try:
        parquet = pq.ParquetFile(name)
    except (pa.ArrowInvalid, OSError) as err:
        raise Where(name).error(
            f"not a readable Parquet file ({err}); check the file, or pass format= if it is another kind.",
            code=E_FORMAT,
        ) from None
    check_columns(parquet.schema_arrow.names, opts, file=name)
    row = 0
    for batch in parquet.iter_batches(batch_size=_BATCH_ROWS):
        for record in batch.to_pylist():
            where = Where(name, row=f"row index {row}")
            yield build_document(record, opts=opts, where=where, source=name)
            row += 1


def load_dataframe(
    df: "pd.DataFrame",
    *,
    text: str = "text",
    id: str | None = "id",
    date: str | None = "date",
    encoding: str | None = None,
    strip_boilerplate: bool = False,
    boilerplate_patterns: Iterable[str | Pattern[str]] = (),
    skip_empty: bool = False,
    source: str | None = None,
) -> Iterator[Document]:
    """Documents from the rows of a pandas DataFrame, lazily (see ``load`` for the options).

    Args:
        source: the ``Document.source`` of every row (default None); errors name it, or
            "DataFrame".
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
    return (doc for doc in iter_dataframe(df, opts=opts, source=source) if doc is not None)


def iter_dataframe(df: "pd.DataFrame", *, opts: LoadOptions, source: str | None = None) -> Iterator[Document | None]:
    """Documents (None for skipped empty texts) from a DataFrame's rows; columns are checked at once."""
    label = source or "DataFrame"
    columns: list[Any] = list(df.columns)
    names = [str(c) for c in columns]
    if len(set(names)) != len(names):
        duplicated = sorted({n for n in names if names.count(n) > 1})
        raise Where(label).error(f"the DataFrame has duplicate columns {duplicated}; rename them.", code=E_RECORD)
    check_columns(names, opts, file=label)
    return _dataframe_rows(df, names, opts=opts, label=label, source=source)


def _dataframe_rows(
    df: "pd.DataFrame", names: list[str], *, opts: LoadOptions, label: str, source: str | None
) -> Iterator[Document | None]:
    for index, *values in df.itertuples(index=True, name=None):
        where = Where(label, row=f"row index {index!r}")
        yield build_document(dict(zip(names, values)), opts=opts, where=where, source=source)

"""JSONL / NDJSON: one JSON object per line, read line by line.

Plain records (``{"id", "text", "date"?, ...}``) and the toolkit's own extraction output
(``{"id", "date", "source", "text", "entities", "claims", "extractor", "meta"}``) both load:
a record's own ``source`` (a string) and ``meta`` (an object) are kept, and the
``entities``/``claims``/``extractor`` of an extraction record are ignored. Other keys go
into ``meta``. Line numbers are physical lines, blank lines included.
"""
from __future__ import annotations

import os
from typing import Any, Iterator

from ..jsonl import loads_line
from ..types import Document
from .decoding import text_lines
from .records import E_RECORD, LoadOptions, Where, build_document, missing_field

_EXTRACTION_KEYS = ("entities", "claims", "extractor")


def iter_jsonl(path: str | os.PathLike[str], *, opts: LoadOptions) -> Iterator[Document | None]:
    """Documents from a JSONL file, lazily."""
    name = os.fspath(path)
    for line_no, line in enumerate(text_lines(name, encoding=opts.encoding), start=1):
        if not line.strip():
            continue
        where = Where(name, line=line_no)
        obj = loads_line(line, file=name, line_no=line_no)
        if not isinstance(obj, dict):
            raise where.error(
                f"the line is a JSON {_json_type(obj)}, not an object; each line must be one object "
                'such as {"id": "a1", "text": "..."}.',
                code=E_RECORD,
            )
        yield record_to_document(obj, opts=opts, where=where, default_source=name)


def record_to_document(obj: dict[str, Any], *, opts: LoadOptions, where: Where, default_source: str | None) -> Document | None:
    """One JSON object (a plain record or an extraction record) as a Document."""
    keys = [str(k) for k in obj]
    if opts.text not in obj:
        raise missing_field("text", opts.text, keys, file=where.file, what="key", where=where)
    for option, name, default in (("id", opts.id, "id"), ("date", opts.date, "date")):
        if name is not None and opts.required(name, default) and name not in obj:
            raise missing_field(option, name, keys, file=where.file, what="key", where=where)
    record = dict(obj)
    source = default_source
    meta: dict[str, Any] = {}
    if "source" not in (opts.text, opts.id, opts.date) and isinstance(record.get("source"), str):
        source = record.pop("source") or default_source
    elif record.get("source", "") is None:
        del record["source"]
    if "meta" not in (opts.text, opts.id, opts.date) and isinstance(record.get("meta"), dict):
        meta = record.pop("meta")
    if "entities" in record and "claims" in record:
        for key in _EXTRACTION_KEYS:
            record.pop(key, None)
    return build_document(record, opts=opts, where=where, source=source, meta=meta)


def _json_type(obj: Any) -> str:
    if isinstance(obj, list):
        return "array"
    if isinstance(obj, str):
        return "string"
    if isinstance(obj, bool):
        return "boolean"
    if obj is None:
        return "null"
    return "number"

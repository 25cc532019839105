"""What every loader shares: the options, error locations, and record -> Document.

Tabular rows and JSONL objects become Documents here: the ``text`` field is taken as it
is (no stripping, so that offsets stay valid), a missing or empty id becomes
``content_id(text)``, the date is normalised, and every other field goes into ``meta``.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Iterable, Mapping, Pattern

from ..errors import InputError
from ..types import Document, content_id
from .boilerplate import Boilerplate
from .dates import E_DATE, normalise_date
from .decoding import E_DECODE, resolve_encoding

E_NOT_FOUND = "E110"
E_FORMAT = "E111"
E_COLUMN = "E113"
E_EMPTY = "E115"
E_RECORD = "E116"


@dataclass(frozen=True)
class LoadOptions:
    """The keyword options of ``load``, checked once.

    Attributes:
        text: the column/key holding the text.
        id: the column/key holding the id; None to always use a content hash.
        date: the column/key holding the date; None to read no date.
        encoding: the resolved codec (``utf-8-sig`` by default).
        boilerplate: the compiled boilerplate patterns, or None when stripping is off.
        skip_empty: skip documents whose text is empty instead of raising.
    """

    text: str = "text"
    id: str | None = "id"
    date: str | None = "date"
    encoding: str = "utf-8-sig"
    boilerplate: Boilerplate | None = None
    skip_empty: bool = False

    @classmethod
    def create(
        cls,
        *,
        text: str = "text",
        id: str | None = "id",
        date: str | None = "date",
        encoding: str | None = None,
        strip_boilerplate: bool = False,
        boilerplate_patterns: Iterable[str | Pattern[str]] = (),
        skip_empty: bool = False,
    ) -> "LoadOptions":
        """Validate the user-facing options (codec, patterns) and build the options."""
        patterns = tuple(boilerplate_patterns)
        return cls(
            text=text,
            id=id,
            date=date,
            encoding=resolve_encoding(encoding),
            boilerplate=Boilerplate(patterns) if strip_boilerplate or patterns else None,
            skip_empty=skip_empty,
        )

    def required(self, name: str, default: str) -> bool:
        """Whether an id/date column must exist: it was named explicitly (not the default)."""
        return name != default


@dataclass(frozen=True)
class Where:
    """Where a record came from, for error messages: a file and a line or a row."""

    file: str
    line: int | None = None
    row: str | None = None

    def error(self, message: str, *, code: str, field: str | None = None) -> InputError:
        prefix = f"{self.row}: " if self.row else ""
        return InputError(prefix + message, code=code, file=self.file, line=self.line, field=field)


def check_columns(columns: Iterable[Any], opts: LoadOptions, *, file: str, what: str = "column") -> None:
    """Raise when the text column (or an explicitly named id/date column) is missing."""
    names = [str(c) for c in columns]
    wanted = [("text", opts.text)]
    if opts.id is not None and opts.required(opts.id, "id"):
        wanted.append(("id", opts.id))
    if opts.date is not None and opts.required(opts.date, "date"):
        wanted.append(("date", opts.date))
    for option, name in wanted:
        if name not in names:
            raise missing_field(option, name, names, file=file, what=what)


def missing_field(option: str, name: str, names: list[str], *, file: str, what: str, where: Where | None = None) -> InputError:
    """The error for a missing text/id/date column (or JSONL key)."""
    shown = ", ".join(repr(n) for n in names) if names else "none"
    guess = next((n for n in names if n.lower() == name.lower()), "<" + what + ">")
    message = (
        f"no {what} {name!r} for the {option}; the {what}s are: {shown}. "
        f'Pass {option}="{guess}" to name the {what} that holds the {option}.'
    )
    return (where or Where(file)).error(message, code=E_COLUMN, field=name)


def as_text(value: Any, *, opts: LoadOptions, where: Where) -> str:
    """The text field's value as ``str`` (missing -> ""; bytes decoded with the codec)."""
    if is_missing(value):
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, (bytes, bytearray)):
        try:
            return bytes(value).decode(opts.encoding)
        except UnicodeDecodeError as err:
            raise where.error(
                f"byte offset {err.start} of the text cannot be decoded as {opts.encoding}; "
                'pass encoding="latin-1" (or the real codec).',
                code=E_DECODE,
                field=opts.text,
            ) from None
    raise where.error(
        f"the text must be a string, not {type(value).__name__} ({value!r}); "
        f'check that text="{opts.text}" names the column that holds the text.',
        code=E_RECORD,
        field=opts.text,
    )


def build_document(
    record: Mapping[str, Any],
    *,
    opts: LoadOptions,
    where: Where,
    source: str | None,
    meta: dict[str, Any] | None = None,
) -> Document | None:
    """One Document from a row/object whose text column is known to exist.

    Fields other than text, id and date go into ``meta`` (after the given ``meta``).
    Returns None for an empty text when ``opts.skip_empty`` is set.
    """
    text = as_text(record.get(opts.text), opts=opts, where=where)
    doc_id = clean_id(record.get(opts.id)) if opts.id is not None else None
    doc_id = doc_id or content_id(text)
    doc_date = None
    if opts.date is not None:
        doc_date = normalise_date(
            record.get(opts.date),
            error=lambda message: where.error(message, code=E_DATE, field=opts.date),
        )
    out_meta = dict(meta or {})
    reserved = {opts.text, opts.id, opts.date}
    out_meta.update((str(k), jsonable(v)) for k, v in record.items() if k not in reserved)
    return finish(Document(id=doc_id, text=text, date=doc_date, source=source, meta=out_meta), opts=opts, where=where)


def finish(doc: Document, *, opts: LoadOptions, where: Where) -> Document | None:
    """Strip boilerplate if asked, then refuse (or skip) an empty text."""
    if opts.boilerplate is not None:
        text, removed = opts.boilerplate.strip(doc.text)
        meta = {**doc.meta, "boilerplate_removed": removed}
        doc = Document(id=doc.id, text=text, date=doc.date, source=doc.source, meta=meta)
    if not doc.text.strip():
        if opts.skip_empty:
            return None
        raise where.error(
            "the text is empty; remove this document or pass skip_empty=True to skip empty documents.",
            code=E_EMPTY,
            field=opts.text,
        )
    return doc


def clean_id(value: Any) -> str | None:
    """An id value as a string, or None when missing or blank (``3.0`` -> ``"3"``)."""
    if is_missing(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


def is_missing(value: Any) -> bool:
    """None, NaN, pandas NA/NaT."""
    if value is None or type(value).__name__ in ("NaTType", "NAType"):
        return True
    return isinstance(value, float) and math.isnan(value)


def jsonable(value: Any) -> Any:
    """A JSON-serialisable copy of a meta value (numpy scalars, timestamps, NaN -> None)."""
    if is_missing(value):
        return None
    if isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).decode("utf-8", errors="replace")
    if hasattr(value, "tolist"):  # numpy scalars and arrays
        return jsonable(value.tolist())
    return str(value)


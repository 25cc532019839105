"""Decoding input files, with errors that name the byte offset and line of a bad byte.

UTF-8 with or without a byte order mark is the default (``utf-8-sig``); an explicit
``encoding=`` applies to every file kind. Reading stays lazy: a file is only scanned a
second time, to locate the bad byte, when decoding has already failed.
"""
from __future__ import annotations

import codecs
from pathlib import Path
from typing import Iterator

from ..errors import InputError

DEFAULT_ENCODING = "utf-8-sig"
_CHUNK = 1 << 16
E_DECODE = "E112"
E_OPTION = "E117"


def resolve_encoding(encoding: str | None) -> str:
    """The codec to use: ``utf-8-sig`` for None or UTF-8 (a BOM is never text), else ``encoding``.

    Raises:
        InputError: ``encoding`` is not a codec Python knows.
    """
    if encoding is None:
        return DEFAULT_ENCODING
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        raise InputError(
            f"unknown encoding {encoding!r}; pass a Python codec name such as "
            "'utf-8', 'latin-1' or 'cp1252'.",
            code=E_OPTION,
            field="encoding",
        ) from None
    return DEFAULT_ENCODING if name in ("utf-8", "utf-8-sig") else name


def decode_bytes(data: bytes, *, encoding: str, file: str | Path) -> str:
    """Decode a whole file's bytes, raising an ``InputError`` that locates a bad byte."""
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as err:
        offset = err.start
        if encoding == DEFAULT_ENCODING and data.startswith(codecs.BOM_UTF8):
            offset += len(codecs.BOM_UTF8)  # utf-8-sig reports positions after the BOM
        line = data.count(b"\n", 0, offset) + 1
        raise _decode_error(file, encoding, offset, line, data[offset : offset + 1]) from None


def text_lines(path: str | Path, *, encoding: str) -> Iterator[str]:
    """The lines of a text file, lazily, line endings kept (``newline=""``, as csv wants)."""
    try:
        with open(path, "r", encoding=encoding, newline="") as handle:
            yield from handle
    except UnicodeDecodeError:
        raise locate_decode_error(path, encoding=encoding) from None


def locate_decode_error(path: str | Path, *, encoding: str) -> InputError:
    """Scan ``path`` again in binary to build the error for its first undecodable byte."""
    with open(path, "rb") as handle:
        head = handle.read(len(codecs.BOM_UTF8))
        offset = 0
        codec = encoding
        if encoding == DEFAULT_ENCODING:
            codec = "utf-8"
            if head == codecs.BOM_UTF8:
                offset = len(head)
        handle.seek(offset)
        decoder = codecs.getincrementaldecoder(codec)()
        while True:
            chunk = handle.read(_CHUNK)
            pending = decoder.getstate()[0]
            try:
                decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as err:
                bad = offset - len(pending) + err.start
                handle.seek(bad)
                sample = handle.read(1)
                return _decode_error(path, encoding, bad, _count_lines(handle, bad), sample)
            if not chunk:
                break
            offset += len(chunk)
    # Decoding in text mode failed but a binary rescan did not: report without a position.
    return _decode_error(path, encoding, None, None, b"")


def _count_lines(handle, upto: int) -> int:
    handle.seek(0)
    lines, remaining = 1, upto
    while remaining > 0:
        chunk = handle.read(min(_CHUNK, remaining))
        if not chunk:
            break
        lines += chunk.count(b"\n")
        remaining -= len(chunk)
    return lines


def _decode_error(file: str | Path, encoding: str, offset: int | None, line: int | None, sample: bytes) -> InputError:
    codec = "UTF-8" if encoding == DEFAULT_ENCODING else encoding
    where = f"byte 0x{sample.hex()} at byte offset {offset}" if offset is not None else "a byte"
    other = "latin-1" if codec == "UTF-8" else "utf-8"
    return InputError(
        f"{where} cannot be decoded as {codec}. The file is not {codec}; pass encoding=\"{other}\" "
        f"(command line: --encoding {other}), or the file's real codec (e.g. cp1252), to read it.",
        code=E_DECODE,
        file=file,
        line=line,
    )

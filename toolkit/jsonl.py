"""Plain JSONL helpers: lazy readers with correct line numbers, and writers.

``read_jsonl`` yields ``(line_number, object)`` pairs, counting every physical line
(blank ones included) so that error messages point at the right line.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterable, Iterator

from .errors import InputError


def loads_line(line: str, *, file: str | Path | None = None, line_no: int | None = None) -> Any:
    """Parse one JSON line, raising an ``InputError`` that names the file and line."""
    try:
        return json.loads(line)
    except json.JSONDecodeError as err:
        raise InputError(
            f"malformed JSON ({err.msg} at column {err.colno}). Each line must be one complete "
            "JSON object; fix or remove this line.",
            code="E101",
            file=file,
            line=line_no,
        ) from None


def read_jsonl(path: str | Path, *, encoding: str = "utf-8-sig", skip_blank: bool = True) -> Iterator[tuple[int, Any]]:
    """Yield ``(line_number, object)`` for each line of a JSONL file, lazily."""
    path = Path(path)
    with path.open("r", encoding=encoding, newline="") as handle:
        for line_no, line in enumerate(handle, start=1):
            if skip_blank and not line.strip():
                continue
            yield line_no, loads_line(line, file=path, line_no=line_no)


def dumps_line(obj: Any) -> str:
    """One JSON object as one line (UTF-8 kept as is, no trailing newline)."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def write_jsonl(path: str | Path, records: Iterable[Any]) -> int:
    """Write records as JSONL (one object a line); returns how many were written."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        for record in records:
            handle.write(dumps_line(record))
            handle.write("\n")
            count += 1
    return count

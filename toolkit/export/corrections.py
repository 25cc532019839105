"""``jsonl``: the toolkit's own corrections format, one ``Correction.to_dict()`` a line.

The identity format: everything a record holds is kept, so ``import(export(x)) == x``,
including the schema 2 claim fields (kind ``mixed``, ``parts``, ``negated``, ``speaker_name``).
Export writes schema 2; import reads schema 1 and 2 files (a schema 1 record is schema 2
without those fields, and is read as schema 2).
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Collection, Iterable, Iterator

from ..store.records import SUPPORTED_SCHEMAS
from ..types import SCHEMA_VERSION, Correction
from ._common import Where, check_record, read_json_lines, write_json_lines

REQUIRED = ("doc_id", "text", "annotator", "timestamp")


def export_jsonl(records: Iterable[Correction], out: Path) -> int:
    """Write one record a line; returns the count."""
    return write_json_lines(out, (record.to_dict() for record in records))


def import_jsonl(
    path: Path, *, annotator: str | None = None, labels: Collection[str] | None = None
) -> Iterator[Correction]:
    """Read corrections JSONL (as written by :func:`export_jsonl` or the store), validating each line."""
    for line_no, data in read_json_lines(path):
        where = Where(path, line_no)
        missing = [key for key in REQUIRED if key not in data]
        if missing:
            raise where.error(
                f"missing field(s) {', '.join(missing)}; a corrections record needs {', '.join(REQUIRED)}.", "E402"
            )
        schema = data.get("schema", SCHEMA_VERSION)
        if schema not in SUPPORTED_SCHEMAS:
            raise where.error(
                f"schema {schema!r} is not one this toolkit reads ({', '.join(map(str, SUPPORTED_SCHEMAS))}); "
                "upgrade toolkit to read newer records.",
                "E402",
            )
        try:
            record = Correction.from_dict(data)
        except (KeyError, TypeError, ValueError) as err:
            raise where.error(f"malformed entity or claim ({err!r}); each needs integer start and end.", "E402") from None
        check_record(record.text, record.answer, record.entities, record.claims, where, labels=labels)
        yield replace(record, annotator=annotator) if annotator else record

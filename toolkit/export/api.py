"""The registry of formats and the two entry points, :func:`export_records` and
:func:`import_records`.

A format is a name mapped to a :class:`Format` (an exporter and, where the format can
carry the document text, an importer). Format-specific options are keyword-only
parameters of the format's own functions; the entry points pass them through, so an
unknown option is a ``TypeError`` naming it.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Collection, Iterable, Iterator, NamedTuple

from ..errors import FormatError
from ..types import Correction
from . import conll, corrections, docbin, doccano, label_studio, prodigy, table
from ._common import filter_records

Exporter = Callable[..., int]
Importer = Callable[..., Iterator[Correction]]


class Format(NamedTuple):
    """One registered format: its exporter, its importer (None: export only) and a summary."""

    exporter: Exporter
    importer: Importer | None
    summary: str


FORMATS: dict[str, Format] = {
    "jsonl": Format(corrections.export_jsonl, corrections.import_jsonl, "the toolkit's own corrections JSONL (exact)"),
    "spacy": Format(docbin.export_spacy, docbin.import_spacy, "spaCy v3 DocBin (.spacy): doc.ents + claim span groups"),
    "prodigy": Format(prodigy.export_prodigy, prodigy.import_prodigy, "Prodigy JSONL: ner_manual spans + rel.manual claims"),
    "label-studio": Format(
        label_studio.export_label_studio, label_studio.import_label_studio, "Label Studio JSON tasks (labels + relations)"
    ),
    "doccano": Format(doccano.export_doccano, doccano.import_doccano, "doccano JSONL (sequence labelling or relations)"),
    "conll": Format(conll.export_conll, conll.import_conll, "CoNLL-2003 style IOB2 (entities only)"),
    "parquet": Format(table.export_parquet, None, "the to_dataframe table as Parquet (export only)"),
    "csv": Format(table.export_csv, None, "the to_dataframe table as CSV (export only)"),
}

IMPORT_FORMATS: tuple[str, ...] = tuple(name for name, fmt in FORMATS.items() if fmt.importer is not None)


def _format(name: str) -> Format:
    try:
        return FORMATS[name]
    except KeyError:
        raise FormatError(
            f"unknown format {name!r}; choose one of: {', '.join(sorted(FORMATS))}.", code="E407"
        ) from None


def export_records(
    records: Iterable[Correction],
    format: str,
    out: str | Path,
    *,
    answer: str | None = None,
    annotator: str | None = None,
    **options: Any,
) -> int:
    """Write ``records`` to ``out`` in ``format``; returns how many records were written.

    Args:
        records: correction records (e.g. ``Corrections(dir).latest()``).
        format: a key of :data:`FORMATS`.
        out: the output file (parent folders are created).
        answer: keep only records with this answer (accept/reject/ignore); None keeps all.
        annotator: keep only this annotator's records; None keeps all.
        **options: keyword options of the format's exporter, e.g. ``columns=4`` for ``conll``,
            ``relations=True`` for ``doccano``, ``predictions=True`` for ``label-studio``,
            ``misaligned="expand"`` for the token-based formats.
    """
    fmt = _format(format)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    return fmt.exporter(filter_records(records, answer=answer, annotator=annotator), out, **options)


def import_records(
    path: str | Path,
    format: str,
    *,
    annotator: str | None = None,
    labels: Collection[str] | None = None,
    **options: Any,
) -> Iterator[Correction]:
    """Read another tool's file as correction records, lazily.

    Args:
        path: the file to read.
        format: a key of :data:`IMPORT_FORMATS`.
        annotator: the annotator name to record; None takes it from the file, else the format's name.
        labels: when given, an entity label outside it raises FormatError (E403).
        **options: keyword options of the format's importer (e.g. ``source="predictions"`` for
            ``label-studio``, ``label_names={12: "LOC"}`` for ``doccano``/``conll``).

    Raises:
        FormatError: the file is malformed or disagrees with itself; the message names the file,
            the line or task, and the fix.
    """
    fmt = _format(format)
    if fmt.importer is None:
        raise FormatError(
            f"format {format!r} is export only: its table has one row per span and not the document text, so "
            f"documents cannot be rebuilt from it. Import one of: {', '.join(IMPORT_FORMATS)}.",
            code="E407",
        )
    path = Path(path)
    if not path.is_file():
        raise FormatError(f"no such file {str(path)!r}. Check the path.", code="E407", file=path)
    labels = frozenset(labels) if labels is not None else None
    return fmt.importer(path, annotator=annotator, labels=labels, **options)

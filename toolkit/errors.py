"""Coded errors and warnings. Every message says what happened, where, and how to fix it.

Errors carry a short code (``E001`` ...) so that users can search for them, and the
location (file, line, field) when the problem comes from input data. Only the CLI
turns these exceptions into exit codes.
"""
from __future__ import annotations

import warnings
from pathlib import Path

CODES: dict[str, str] = {
    "E000": "an error of the toolkit (the base class's code)",
    # E1xx InputError: input data (corpora, gold files, arguments of analysis functions)
    "E100": "malformed input data (generic)",
    "E101": "a line of a JSONL file is not one complete JSON object",
    "E110": "a corpus path does not exist",
    "E111": "an unknown corpus format, or a file type the loaders do not read",
    "E112": "a text file cannot be decoded with the given or detected encoding",
    "E113": "a column or field named by an option is missing from a corpus file",
    "E114": "a document date cannot be read",
    "E115": "a corpus source holds no document",
    "E116": "a corpus record or header is malformed (CSV quoting, duplicate columns, no text)",
    "E117": "an option's value is invalid (encoding name, boilerplate pattern)",
    "E130": "a gold file does not exist",
    "E131": "a gold line is not a JSON object",
    "E132": "a gold line has no text",
    "E133": "a gold entity or claim is malformed",
    "E134": "a gold span is outside its text",
    "E140": "scoring: a prediction's text differs from its gold text",
    "E141": "scoring: gold documents have no prediction",
    "E142": "scoring: a document is predicted or gold twice",
    "E143": "agreement: too few annotators, or unknown ones",
    "E144": "agreement: the annotators have no document in common",
    # E2xx SchemaError: the corrections store
    "E200": "a stored record does not follow the schema (generic)",
    "E201": "a correction record is invalid (field, offsets, overlaps, text hash)",
    "E202": "malformed JSON in the middle of a store file",
    # E3xx ModelError: pipelines, patterns, training
    "E300": "a spaCy pipeline cannot be loaded or used (generic)",
    "E301": "a model directory is not a spaCy pipeline (no config.cfg)",
    "E302": "a spaCy pipeline directory fails to load",
    "E303": "no installed pipeline or directory of that name",
    "E311": "an annotations path does not exist",
    "E320": "too few accepted corrections to train on",
    "E321": "rehearsal asked of a base without a NER, or a rehearsal ratio that is not positive",
    "E330": "an entity rule pattern is malformed",
    # E4xx FormatError: files of other tools, in and out
    "E400": "an import or export file is malformed (generic)",
    "E401": "an imported file is not in its format (not JSON, not a DocBin, bad CoNLL line)",
    "E402": "a record of an imported file does not follow its format's schema",
    "E403": "an imported span has a label outside the allowed labels",
    "E404": "imported spans overlap where the toolkit cannot keep both",
    "E405": "an imported span's offsets, text or tokens disagree",
    "E406": "a record cannot be written in the export format (label, boundary, overlap, whitespace)",
    "E407": "unknown format, or a format that cannot be imported",
    # E5xx WorkerError: multi-process and cluster runs
    "E500": "a worker process or cluster failed (generic)",
    "E501": "the Dask scheduler cannot be reached",
    "E502": "a worker process died mid-run",
    "E503": "--workers and --dask were both given",
}
"""Every error code, with the one kind of error it stands for. The first digit is the class:
1 :class:`InputError`, 2 :class:`SchemaError`, 3 :class:`ModelError`, 4 :class:`FormatError`,
5 :class:`WorkerError` (``tests/test_errors.py`` checks that every code raised is here)."""


class ToolkitError(Exception):
    """Base class of the toolkit's errors.

    Args:
        message: what happened and how to fix it.
        code: a short stable code, e.g. ``"E101"``.
        file: the file the problem was found in, if any.
        line: the 1-based line number in ``file``, if any.
        field: the record field at fault, if any.
    """

    code = "E000"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        file: str | Path | None = None,
        line: int | None = None,
        field: str | None = None,
    ) -> None:
        self.message = message
        if code is not None:
            self.code = code
        self.file = str(file) if file is not None else None
        self.line = line
        self.field = field
        super().__init__(self._format())

    def _format(self) -> str:
        where = []
        if self.file is not None:
            where.append(self.file)
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.field is not None:
            where.append(f"field '{self.field}'")
        prefix = f"[{self.code}] "
        if where:
            prefix += ", ".join(where) + ": "
        return prefix + self.message

    def __reduce__(self):
        # rebuilt from its parts when pickled (an error raised in a worker process or on a Dask
        # worker): Exception's default would pass the formatted text back in and prefix the code twice
        return (_rebuild, (type(self), self.message, self.code, self.file, self.line, self.field), self.__dict__)


def _rebuild(cls: type, message: str, code: str, file: str | None, line: int | None, field: str | None) -> "ToolkitError":
    return cls(message, code=code, file=file, line=line, field=field)


class InputError(ToolkitError, ValueError):
    """Input data (a corpus file, a record) is malformed."""

    code = "E100"


class SchemaError(ToolkitError, ValueError):
    """A stored record does not follow the schema."""

    code = "E200"


class ModelError(ToolkitError, RuntimeError):
    """A spaCy pipeline cannot be loaded or used."""

    code = "E300"


class FormatError(ToolkitError, ValueError):
    """An import or export file of another tool is malformed or cannot carry the data."""

    code = "E400"


class WorkerError(ToolkitError, RuntimeError):
    """A worker process or cluster of a multi-process run failed or cannot be reached."""

    code = "E500"


class ToolkitWarning(UserWarning):
    """Base class of the toolkit's warnings (recoverable data problems)."""


class DriftWarning(ToolkitWarning):
    """A document's text no longer matches the text its corrections were made on."""


class ModelWarning(ToolkitWarning):
    """No pretrained pipeline is installed, or a pipeline cannot do all that was asked of it."""


class AlignmentWarning(ToolkitWarning):
    """Spans that do not start and end on token boundaries were snapped to whole tokens."""


class TornRecordWarning(ToolkitWarning):
    """The last line of a store file is incomplete (a writer was killed mid-write)."""


def warn(message: str, category: type[Warning] = ToolkitWarning, *, stacklevel: int = 2) -> None:
    """Emit a toolkit warning (thin wrapper so callers need not import ``warnings``)."""
    warnings.warn(message, category, stacklevel=stacklevel + 1)

"""Coded errors and warnings. Every message says what happened, where, and how to fix it.

Errors carry a short code (``E001`` ...) so that users can search for them, and the
location (file, line, field) when the problem comes from input data. Only the CLI
turns these exceptions into exit codes.
"""
from __future__ import annotations

import warnings
from pathlib import Path


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


class TornRecordWarning(ToolkitWarning):
    """The last line of a store file is incomplete (a writer was killed mid-write)."""


def warn(message: str, category: type[Warning] = ToolkitWarning, *, stacklevel: int = 2) -> None:
    """Emit a toolkit warning (thin wrapper so callers need not import ``warnings``)."""
    warnings.warn(message, category, stacklevel=stacklevel + 1)

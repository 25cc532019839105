"""The append-only JSONL corrections store.

Durability:
- each record is written whole: the complete line is built in memory, then written with
  ``os.write`` on a file opened with ``O_APPEND`` (looping on short writes) and
  ``fsync``-ed, all under an inter-process file lock (``<file>.lock``);
- a writer killed mid-write leaves at most one torn last line. Readers warn about it
  (``TornRecordWarning``), keep it aside in ``<file>.torn`` (JSONL of
  ``{"line", "fragment"}``), and read every complete record;
- before appending after a torn tail, the writer records the fragment in ``.torn`` and
  ends it with a newline ("seals" it), so the new record never glues onto it; readers
  recognise sealed fragments by their line number in ``.torn``. Any other malformed line
  is an error naming the file and line;
- nothing rewrites or truncates existing records; ``compact`` writes a new file and swaps
  it in with ``os.replace``, keeping the old one as a backup.
"""
from __future__ import annotations

import gc
import json
import os
import warnings
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from filelock import FileLock

from ..errors import SchemaError, ToolkitWarning, TornRecordWarning
from ..jsonl import dumps_line
from ..types import Correction, text_sha256
from .choice import choose_per_document, fits_text, latest_per_annotator
from .records import validate_record

DEFAULT_FILE = "corrections.jsonl"
QUARANTINE_SUFFIX = ".quarantine"
"""``toolkit store repair`` moves bad lines of ``x.jsonl`` to ``x.jsonl.quarantine`` (JSONL of
``{"line", "error", "raw"}``; not read as part of the store)."""
ON_ERROR = ("raise", "skip")


@dataclass(frozen=True)
class Problem:
    """A problem ``check`` found: a bad line (``fatal``) or a span that cuts a token (not fatal)."""

    file: Path
    line: int
    message: str
    fatal: bool = True
    error: SchemaError | None = field(default=None, compare=False, repr=False)
    """The error a strict read raises for this line (None for notes and torn fragments)."""

    def __str__(self) -> str:
        kind = "error" if self.fatal else "note"
        return f"{self.file}, line {self.line}: {kind}: {self.message}"


HOW_TO_REPAIR = (
    "Run `toolkit store check {path}` to list every bad line, `toolkit store repair {path}` to move them to a "
    "quarantine file beside the store (nothing is deleted), or read with --skip-invalid (on_error=\"skip\")."
)


class Corrections:
    """A corrections store: a directory of ``*.jsonl`` files or a single ``.jsonl`` file.

    Args:
        path: ``annotations/`` (reads every ``*.jsonl`` in it, appends to ``corrections.jsonl``)
            or a ``.jsonl`` file.
        file: within a directory, the file name appends go to.
        on_error: ``"raise"`` (default): a bad line stops reading with its file, line and field;
            ``"skip"``: every valid record is read and each bad line is reported with a warning.
    """

    def __init__(self, path: str | Path, *, file: str = DEFAULT_FILE, on_error: str = "raise") -> None:
        if on_error not in ON_ERROR:
            raise ValueError(f"on_error={on_error!r}: choose 'raise' or 'skip'")
        self.on_error = on_error
        self.path = Path(path)
        if self.path.suffix == ".jsonl":
            self.write_path = self.path
        else:
            self.write_path = self.path / file

    # ---- writing -------------------------------------------------------------------------
    def append(self, correction: Correction) -> Correction:
        """Validate and durably append one record; returns it."""
        line = self._line(correction)
        self._write([line])
        return correction

    def extend(self, corrections: Iterable[Correction]) -> int:
        """Validate every record first, then append them (each line whole, under one lock)."""
        lines = [self._line(c) for c in corrections]
        if lines:
            self._write(lines)
        return len(lines)

    def _line(self, correction: Correction) -> bytes:
        data = correction.to_dict()
        validate_record(data, file=self.write_path)
        return (dumps_line(data) + "\n").encode("utf-8")

    def _write(self, lines: list[bytes]) -> None:
        self.write_path.parent.mkdir(parents=True, exist_ok=True)
        with FileLock(str(self.write_path) + ".lock"):
            fd = os.open(self.write_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            try:
                self._seal_torn_tail(fd)
                for line in lines:
                    view = memoryview(line)
                    while view:
                        written = os.write(fd, view)
                        view = view[written:]
                os.fsync(fd)
            finally:
                os.close(fd)

    def _seal_torn_tail(self, fd: int) -> None:
        size = os.fstat(fd).st_size
        if size == 0:
            return
        with open(self.write_path, "rb") as handle:
            handle.seek(size - 1)
            if handle.read(1) == b"\n":
                return
            handle.seek(0)
            data = handle.read(size)
        line_no = data.count(b"\n") + 1
        fragment = data[data.rfind(b"\n") + 1 :].decode("utf-8", errors="replace")
        self._keep_aside(self.write_path, line_no, fragment)
        os.write(fd, b"\n")

    @staticmethod
    def _keep_aside(path: Path, line_no: int, fragment: str) -> None:
        torn = Path(str(path) + ".torn")
        known = _torn_lines(path)
        if line_no in known:
            return
        with torn.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps({"line": line_no, "fragment": fragment}, ensure_ascii=False) + "\n")
            handle.flush()
            os.fsync(handle.fileno())

    # ---- reading -------------------------------------------------------------------------
    def files(self) -> list[Path]:
        if self.path.suffix == ".jsonl":
            return [self.path] if self.path.exists() else []
        if not self.path.exists():
            return []
        return sorted(p for p in self.path.glob("*.jsonl") if p.is_file())

    def records(self) -> Iterator[Correction]:
        """Every complete record in file order (the full history), lazily."""
        for path in self.files():
            for item in _read_file(path):
                if not isinstance(item, Problem):
                    yield item
                elif self.on_error == "skip":
                    warnings.warn(f"{item} (skipped: on_error='skip')", ToolkitWarning, stacklevel=2)
                else:
                    raise SchemaError(
                        item.error.message + " " + HOW_TO_REPAIR.format(path=self.path),
                        code=item.error.code, file=item.file, line=item.line, field=item.error.field,
                    ) from None

    def check(self) -> list[Problem]:
        """Every bad line of every file (fatal) and every span that cuts a token of the toolkit
        tokenizer (not fatal: training and exports align it). Reads everything, changes nothing."""
        from ..extract.align import Aligner
        from ..extract.tokenizer import blank_english

        nlp = None
        problems: list[Problem] = []
        for path in self.files():
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", TornRecordWarning)
                items = list(_read_file(path, numbered=True))
            for item in items:
                if isinstance(item, Problem):
                    problems.append(item)
                    continue
                line, record = item
                nlp = nlp or blank_english()
                aligner = Aligner(nlp.make_doc(record.text), doc_id=record.doc_id)  # as training and exports align
                for e in record.entities:
                    aligner.span(e.start, e.end, what=f"entity {e.label}")
                for i, c in enumerate(record.claims):
                    aligner.span(c.start, c.end, what=f"claims[{i}]")
                problems += [
                    Problem(path, line, f"document {record.doc_id!r}: a span cuts a token; training and exports align it: {note}", fatal=False)
                    for note in aligner.notes
                ]
        return problems

    def repair(self) -> list[Problem]:
        """Move every bad line to ``<file>.quarantine`` beside its file (nothing is deleted) and
        return what was moved. Each file is rewritten atomically, under its lock."""
        moved: list[Problem] = []
        for path in self.files():
            with FileLock(str(path) + ".lock"):
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", TornRecordWarning)
                    bad = {p.line: p for p in _read_file(path) if isinstance(p, Problem)}
                if not bad:
                    continue
                lines = path.read_bytes().split(b"\n")
                for number in _torn_lines(path):  # sealed torn fragments go too: their line numbers move
                    if number not in bad and number <= len(lines) and lines[number - 1].strip():
                        bad[number] = Problem(path, number, "a torn record (a writer was interrupted), also in .torn")
                quarantine = Path(str(path) + QUARANTINE_SUFFIX)
                with quarantine.open("a", encoding="utf-8") as handle:
                    for number, problem in sorted(bad.items()):
                        raw = lines[number - 1].decode("utf-8", errors="replace")
                        handle.write(json.dumps({"line": number, "error": problem.message, "raw": raw}, ensure_ascii=False) + "\n")
                    handle.flush()
                    os.fsync(handle.fileno())
                kept = [line for number, line in enumerate(lines, start=1) if number not in bad]
                tmp = path.with_name(path.name + ".repair")
                with tmp.open("wb") as handle:
                    handle.write(b"\n".join(kept))
                    handle.flush()
                    os.fsync(handle.fileno())
                os.replace(tmp, path)
                torn = Path(str(path) + ".torn")
                if torn.exists():  # line numbers moved: the sealed fragments were quarantined with the rest
                    os.replace(torn, Path(str(torn) + ".bak"))
                moved.extend(bad[number] for number in sorted(bad))
        return moved

    def __iter__(self) -> Iterator[Correction]:
        return self.records()

    def __len__(self) -> int:
        return sum(1 for _ in self.records())

    def latest(self, *, annotator: str | None = None) -> list[Correction]:
        """The latest record per (document, annotator), in order of first appearance."""
        with _collector_paused():  # ~100k long-lived records: the cyclic GC would rescan them again and again
            return list(latest_per_annotator(self.records(), annotator=annotator).values())

    def history(self, doc_id: str, *, annotator: str | None = None) -> list[Correction]:
        return [r for r in self.records() if r.doc_id == doc_id and (annotator is None or r.annotator == annotator)]

    def get(self, doc_id: str, *, annotator: str | None = None, text: str | None = None) -> Correction | None:
        """The record standing for a document (:func:`toolkit.store.choice.choose_per_document`):
        the annotator's latest, or (annotator=None) the reviewer's latest, else the most recent.
        With ``text``, a record made on another text is not returned (``DriftWarning``)."""
        record = choose_per_document(self.latest(annotator=annotator)).get(doc_id)
        if record is None or (text is not None and not fits_text(record, text_sha256(text))):
            return None
        return record

    def annotators(self) -> list[str]:
        return sorted({r.annotator for r in self.records()})

    def doc_ids(self) -> set[str]:
        return {r.doc_id for r in self.records()}

    def to_dataframe(self, *, latest: bool = True):
        """One row per record: doc_id, annotator, timestamp, answer, counts, extractor."""
        import pandas as pd

        rows = [
            {
                "doc_id": r.doc_id,
                "annotator": r.annotator,
                "timestamp": r.timestamp,
                "answer": r.answer,
                "n_entities": len(r.entities),
                "n_claims": len(r.claims),
                "text_sha256": r.text_sha256,
                "extractor": f"{r.extractor.name} {r.extractor.version}" if r.extractor else None,
            }
            for r in (self.latest() if latest else self.records())
        ]
        columns = ["doc_id", "annotator", "timestamp", "answer", "n_entities", "n_claims", "text_sha256", "extractor"]
        return pd.DataFrame(rows, columns=columns)

    def compact(self, *, out: str | Path | None = None) -> Path:
        """Write the latest records to a new file and swap it in atomically (old file kept as ``.bak``)."""
        target = Path(out) if out is not None else self.write_path
        records = self.latest()
        tmp = target.with_name(target.name + ".compact")
        with tmp.open("w", encoding="utf-8", newline="\n") as handle:
            for record in records:
                handle.write(dumps_line(record.to_dict()) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        with FileLock(str(target) + ".lock"):
            if target.exists() and out is None:
                for path in self.files():
                    os.replace(path, path.with_name(path.name + ".bak"))
            os.replace(tmp, target)
        return target


def _torn_lines(path: Path) -> set[int]:
    torn = Path(str(path) + ".torn")
    if not torn.exists():
        return set()
    lines = set()
    for raw in torn.read_text(encoding="utf-8").splitlines():
        try:
            lines.add(int(json.loads(raw)["line"]))
        except (ValueError, KeyError, TypeError):
            continue
    return lines


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a large batch of acyclic records is built."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _read_file(path: Path, *, numbered: bool = False) -> Iterator:
    """The records of ``path`` in order, and a :class:`Problem` (with the SchemaError as
    ``.error``) in place of each bad line; torn lines are kept aside and skipped with a warning.
    ``numbered``: yield ``(line, record)`` pairs."""
    sealed = _torn_lines(path)
    with path.open("rb") as handle:
        data_lines = handle.read().split(b"\n")
    last = len(data_lines)
    for line_no, raw in enumerate(data_lines, start=1):
        if not raw.strip():
            continue
        try:
            data = json.loads(raw)
        except ValueError:
            if line_no == last:  # no trailing newline: a torn last record
                Corrections._keep_aside(path, line_no, raw.decode("utf-8", errors="replace"))
                warnings.warn(
                    f"{path}, line {line_no}: the last record is incomplete (a writer was interrupted); it is kept "
                    f"aside in {path.name}.torn and every complete record is still read.",
                    TornRecordWarning,
                    stacklevel=3,
                )
                continue
            if line_no in sealed:
                warnings.warn(f"{path}, line {line_no}: skipping a torn record kept in {path.name}.torn.", TornRecordWarning, stacklevel=3)
                continue
            yield _problem(path, line_no, SchemaError(
                "malformed JSON in the middle of the store. Fix or remove this line (nothing else was changed).",
                code="E202", file=path, line=line_no,
            ))
            continue
        try:
            record = validate_record(data, file=path, line=line_no)
        except SchemaError as err:
            yield _problem(path, line_no, err)
            continue
        yield (line_no, record) if numbered else record


def _problem(path: Path, line: int, error: SchemaError) -> Problem:
    where = f"field '{error.field}': " if error.field else ""
    return Problem(path, line, f"[{error.code}] {where}{error.message}", error=error)

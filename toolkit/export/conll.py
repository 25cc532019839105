"""``conll``: CoNLL-2003 style IOB2 for entities (claims cannot be carried).

Export, per record: a ``-DOCSTART-`` line, a blank line, then one sentence a block::

    token<TAB>tag            (columns=2, the default)
    token _ _ tag            (columns=4, CoNLL-2003's space-separated layout)

Tokens are the toolkit tokenizer's (``blank_english()``), whitespace tokens left out; sentences
come from spaCy's sentencizer, also split at line breaks, but never inside an entity. Tags are
IOB2 (``B-LABEL``, ``I-LABEL``, ``O``). An entity that cuts a token is widened to whole tokens
with a warning (``misaligned="expand"``, the default; or ``"contract"``; ``"error"`` refuses it); entities must not overlap and must
not start or end with whitespace. Claims are not written, none of their fields (kind, hedged,
negated, speaker, cue, speaker name, parts), and a warning counts them; imported records have no
claims. Use spacy, prodigy, label-studio, doccano (``relations=True``) or jsonl to keep claims.

CoNLL keeps tokens, not the whitespace between them. Import rebuilds the text by joining a
sentence's tokens with single spaces and sentences with ``sentence_separator`` (``"\\n"`` by
default: one line per sentence, as doccano and CoNLL-2003 texts are laid out). So
``import(export(x)) == x`` (text and entities) for texts already in that form; the exporter
warns about every other text, whose re-imported offsets refer to the normalised text (labels
stay on the same tokens, nothing shifts).

Imported records carry ``meta["segmentation"]`` (``"lines"``, or ``"spaces"`` with another
separator): exporting them again (to CoNLL, spaCy or Prodigy) reuses the file's own tokens and,
for ``"lines"``, its sentence breaks, instead of re-tokenizing; a CoNLL file comes back as it was
(apart from ``-DOCSTART-`` lines, the column layout and tags rewritten as IOB2). Spans edited off those tokens fall back to the toolkit tokenizer.

Import reads 2 to N whitespace- or tab-separated columns (token first, tag last), IOB1, IOB2
and IOBES/BILOU tags (``S-``, ``E-``, ``U-``, ``L-``), and integer labels (``B-12``; map them
with ``label_names``). With ``-DOCSTART-`` lines each block between them is a document; a file
without them has one document per sentence.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Collection, Iterable, Iterator, Literal, Mapping

from spacy.language import Language

from ..errors import FormatError, warn
from ..extract.tokenizer import blank_english
from ..types import Correction, Entity
from ._common import SEGMENTATION_KEY, Misaligned, Where, align, aligner, fixed_now, make_record, map_label, record_doc

TAG = re.compile(r"^([BIESLU])-(.+)$")
DOCSTART = "-DOCSTART-"


@lru_cache(maxsize=1)
def _sentencizer() -> Language:
    nlp = blank_english()
    nlp.add_pipe("sentencizer")
    return nlp


def _sentences(record: Correction, misaligned: Misaligned) -> list[list[tuple[str, str]]]:
    """The record's sentences as lists of (token, IOB2 tag), whitespace tokens left out."""
    doc = record_doc(record)
    newlines = {t.i + 1 for t in doc if t.is_space and "\n" in t.text}
    if record.meta.get(SEGMENTATION_KEY) == "lines":
        breaks = newlines
    else:
        breaks = newlines | {sent.start for sent in _sentencizer().get_pipe("sentencizer")(doc).sents}
    tags = ["O"] * len(doc)
    owners: list[Entity | None] = [None] * len(doc)
    snap = aligner(doc, record, misaligned)
    for ent in record.entities:
        if any(c.isspace() for c in ent.label) or not ent.label:
            raise FormatError(f"document {record.doc_id!r}: label {ent.label!r} cannot be a CoNLL tag.", code="E406")
        _, _, ts, te = align(snap, ent.start, ent.end, what=f"entity {ent.label}")
        if doc[ts].is_space or doc[te - 1].is_space:
            raise FormatError(
                f"document {record.doc_id!r}: entity {ent.label} {record.text[ent.start:ent.end]!r} [{ent.start}, "
                f"{ent.end}) starts or ends with whitespace, which CoNLL drops. Trim the entity.",
                code="E406",
            )
        other = next((owners[i] for i in range(ts, te) if owners[i] is not None), None)
        if other is not None:
            raise FormatError(
                f"document {record.doc_id!r}: entity {ent.label} {ent.text(record.text)!r} [{ent.start}, {ent.end}) "
                f"overlaps entity {other.label} {other.text(record.text)!r} [{other.start}, {other.end}); IOB tags "
                "cannot hold overlapping entities. Remove the overlap or export to spacy, prodigy, label-studio, "
                "doccano or jsonl.",
                code="E406",
            )
        tags[ts:te] = [f"B-{ent.label}"] + [f"I-{ent.label}"] * (te - ts - 1)
        owners[ts:te] = [ent] * (te - ts)
    snap.report(where="conll export")
    sentences: list[list[tuple[str, str]]] = [[]]
    for token in doc:
        if token.i in breaks and not tags[token.i].startswith("I-") and sentences[-1]:
            sentences.append([])
        if not token.is_space:
            sentences[-1].append((token.text, tags[token.i]))
    return [s for s in sentences if s]


def normal_form(sentences: list[list[tuple[str, str]]]) -> str:
    """The text that importing these sentences gives back (with the default separator)."""
    return "\n".join(" ".join(token for token, _ in sent) for sent in sentences)


def export_conll(
    records: Iterable[Correction], out: Path, *, columns: Literal[2, 4] = 2, misaligned: Misaligned = "expand"
) -> int:
    """Write CoNLL IOB2; returns the number of records (documents).

    Args:
        columns: 2 (``token<TAB>tag``) or 4 (``token _ _ tag``).
        misaligned: ``expand`` (default) widens entities that cut a token, ``contract`` narrows
            them (both with one warning per document); ``error`` refuses them.
    """
    if columns not in (2, 4):
        raise ValueError(f"columns must be 2 or 4, not {columns!r}")
    count, changed, claims = 0, [], 0
    with out.open("w", encoding="utf-8", newline="\n") as handle:
        for record in records:
            sentences = _sentences(record, misaligned)
            claims += len(record.claims)
            if normal_form(sentences) != record.text:
                changed.append(record.doc_id)
            handle.write("-DOCSTART- -X- -X- O\n\n" if columns == 4 else f"{DOCSTART}\tO\n\n")
            for sent in sentences:
                for token, tag in sent:
                    if columns == 4 and len(token.split()) != 1:
                        raise FormatError(
                            f"document {record.doc_id!r}: token {token!r} contains whitespace, which the "
                            "space-separated 4-column layout cannot hold. Export with columns=2 (tab-separated).",
                            code="E406",
                        )
                    handle.write(f"{token} _ _ {tag}\n" if columns == 4 else f"{token}\t{tag}\n")
                handle.write("\n")
            count += 1
    if changed:
        warn(
            f"CoNLL keeps tokens, not whitespace: {len(changed)} of {count} document(s) (e.g. {changed[0]!r}) are not "
            "in CoNLL's text form (tokens joined by single spaces, one sentence a line): double spaces, no space "
            "before punctuation, several sentences on a line... Re-imported, their text will be in that form and "
            "offsets will refer to it; labels stay on the same tokens."
        )
    if claims:
        warn(f"{claims} claim(s) were not exported: CoNLL carries entities only. Use spacy, prodigy, label-studio or jsonl.")
    return count


# ---------------------------------------------------------------- import


def _rows(path: Path) -> Iterator[tuple[int, list[str] | None]]:
    """``(line, columns)`` per line; columns None for a blank line, ``[DOCSTART]`` for a document break."""
    with path.open("r", encoding="utf-8-sig", newline="") as handle:
        for line_no, line in enumerate(handle, start=1):
            line = line.rstrip("\r\n")
            if not line.strip():
                yield line_no, None
                continue
            cols = line.split("\t") if "\t" in line else line.split()
            if cols[0] == DOCSTART:
                yield line_no, [DOCSTART]
                continue
            if len(cols) < 2:
                raise FormatError(
                    f"expected a token and a tag separated by a tab or spaces, got {line!r}. Fix or remove the line.",
                    code="E401", file=path, line=line_no,
                )
            yield line_no, cols


class _Doc:
    """A document being rebuilt from tokens."""

    def __init__(self, separator: str, line: int) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.entities: list[Entity] = []
        self.open: tuple[int, str] | None = None
        self.new_sentence = False
        self.separator = separator
        self.line = line

    def close(self) -> None:
        if self.open is not None:
            self.entities.append(Entity(self.open[0], self.length, self.open[1]))
            self.open = None

    def end_sentence(self) -> None:
        self.close()
        self.new_sentence = bool(self.parts)

    def add(self, token: str, tag: str, where: Where, label_names: Mapping[Any, str] | None) -> None:
        prefix, label = "O", ""
        if tag != "O":
            match = TAG.match(tag)
            if match is None:
                raise where.error(f"tag {tag!r} is not O or B-/I-/E-/S-/L-/U- followed by a label. Fix the tag.", "E401")
            prefix, label = match.group(1), str(map_label(match.group(2), label_names))
        if prefix in "OBSU" or self.open is None or self.open[1] != label:
            self.close()
        if self.parts:
            gap = self.separator if self.new_sentence else " "
            self.parts.append(gap)
            self.length += len(gap)
        self.new_sentence = False
        start = self.length
        self.parts.append(token)
        self.length += len(token)
        if prefix == "O":
            return
        if self.open is None:
            self.open = (start, label)
        if prefix in "ESLU":
            self.close()


def import_conll(
    path: Path,
    *,
    annotator: str | None = None,
    labels: Collection[str] | None = None,
    sentence_separator: str = "\n",
    label_names: Mapping[Any, str] | None = None,
) -> Iterator[Correction]:
    """Read a CoNLL/IOB file as records (see the module docstring)."""
    now = fixed_now()
    segmentation = "lines" if sentence_separator == "\n" else "spaces"
    with path.open("r", encoding="utf-8-sig") as handle:
        by_docstart = any(line.split()[:1] == [DOCSTART] or line.split("\t")[:1] == [DOCSTART] for line in handle)
    doc: _Doc | None = None

    def finish(d: _Doc) -> Correction:
        d.close()
        return make_record(text="".join(d.parts), where=Where(path, d.line), annotator=annotator or "conll",
                           timestamp=now, entities=d.entities, labels=labels, meta={SEGMENTATION_KEY: segmentation})

    for line_no, cols in _rows(path):
        if cols == [DOCSTART]:
            if doc is not None:
                yield finish(doc)
            doc = _Doc(sentence_separator, line_no)
        elif cols is None:
            if doc is not None:
                if by_docstart:
                    doc.end_sentence()
                elif doc.parts:
                    yield finish(doc)
                    doc = None
        else:
            if doc is None:
                doc = _Doc(sentence_separator, line_no)
            doc.add(cols[0], cols[-1], Where(path, line_no), label_names)
    if doc is not None and (by_docstart or doc.parts):
        yield finish(doc)

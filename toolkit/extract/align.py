"""Spans that do not fit the tokens, aligned where tokens are needed.

The store keeps character offsets as they were made: data from other tools and tokenizers
has spans that cut a token (the text says "this years", the annotation marks "this year").
Where tokens are needed (training, the token-based exports) a span is snapped to whole
tokens, the way spaCy's ``Doc.char_span(alignment_mode=...)`` does:

- ``"expand"`` (the default): widened to cover every token it touches;
- ``"contract"``: narrowed to the tokens entirely inside it (a span inside one token is then
  left out);
- ``"strict"``: refused (a :class:`~toolkit.errors.FormatError` where an export asks for it).

Nothing is changed silently: one :class:`~toolkit.errors.AlignmentWarning` per document names
the document, each span's text and what was done (like spaCy's ``W030``), and
:attr:`Aligner.changed` counts them for reports.
"""
from __future__ import annotations

from typing import Literal

from spacy.tokens import Doc, Span

from ..errors import AlignmentWarning, warn

Alignment = Literal["expand", "contract", "strict"]
ALIGNMENTS: tuple[str, ...] = ("expand", "contract", "strict")


class Aligner:
    """Snaps the spans of one document to ``doc``'s tokens and reports what it changed.

        >>> aligner = Aligner(doc, doc_id="d1")
        >>> span = aligner.span(0, 9, label="DATE")   # None when nothing is left of it
        >>> aligner.report()                          # one warning if anything was changed
    """

    def __init__(self, doc: Doc, *, doc_id: str, mode: Alignment = "expand") -> None:
        if mode not in ALIGNMENTS:
            raise ValueError(f"alignment mode {mode!r}: choose one of {', '.join(ALIGNMENTS)}")
        self.doc, self.doc_id, self.mode = doc, doc_id, mode
        self.notes: list[str] = []

    @property
    def changed(self) -> int:
        """How many spans were widened, narrowed or left out."""
        return len(self.notes)

    def span(self, start: int, end: int, *, label: str = "", what: str = "span") -> Span | None:
        """The token span for ``[start, end)``: exact when it fits; else snapped by the mode
        (None when nothing is left, or in ``strict`` mode: the caller decides what to raise)."""
        exact = self.doc.char_span(start, end, label=label)
        if exact is not None and len(exact):
            return exact
        if self.mode == "strict":
            return None
        snapped = self.doc.char_span(start, end, label=label, alignment_mode=self.mode)
        text = self.doc.text[start:end]
        if snapped is None or not len(snapped):
            self.notes.append(f"{what} {text!r} [{start}, {end}) lies inside one token and was left out")
            return None
        self.notes.append(
            f"{what} {text!r} [{start}, {end}) -> {snapped.text!r} [{snapped.start_char}, {snapped.end_char})"
        )
        return snapped

    def report(self, *, where: str = "") -> None:
        """One warning for the document if any span was changed."""
        if not self.notes:
            return
        done = "widened to whole tokens" if self.mode == "expand" else "narrowed to whole tokens"
        place = f" ({where})" if where else ""
        warn(
            f"document {self.doc_id!r}{place}: {len(self.notes)} span(s) do not start and end on token boundaries, "
            f"{done} (alignment {self.mode!r}): " + "; ".join(self.notes),
            AlignmentWarning,
            stacklevel=3,
        )

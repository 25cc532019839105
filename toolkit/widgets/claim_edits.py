"""Edits of a document's claims, each one undoable step on a ``DocEdit``.

A claim is picked first (``DocEdit.claim``); text selected afterwards becomes its
content, speaker or cue. Every function returns the message the panel shows, with its level.
"""
from __future__ import annotations

import re
from dataclasses import replace
from typing import Callable, Literal

from ..types import CLAIM_KINDS, Claim, Span
from .messages import Message, ok, warn
from .state import ROLES, DocEdit, Role

PICK_FIRST = warn("select a claim first (click it in the list or the text)")
QUOTES_OPEN, QUOTES_CLOSE = "\"“'‘«", "\"”'’»"


_QUOTED = re.compile(r'"[^"\n]+"|“[^”\n]+”|«[^»\n]+»|‘[^’\n]+’')


def _line_quotes(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The quotes (marks included) on the lines of ``[start, end)``; a pair of marks never spans lines."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    return [m.span() for m in _QUOTED.finditer(text, line_start, line_end)]


def inside_quotes(text: str, start: int, end: int) -> bool:
    """Whether ``[start, end)`` lies within one pair of quote marks (straight, curly or
    guillemets) on one line: words just inside a quote are quoted words."""
    return any(s < start and end < e for s, e in _line_quotes(text, start, end))


def _holds_a_quote(text: str, start: int, end: int) -> bool:
    """Whether quoted words (a pair of marks on one line) lie in ``[start, end)``, if only in part."""
    return any(s + 1 < end and start < e - 1 for s, e in _line_quotes(text, start, end))


def _replace_claim(edit: DocEdit, index: int, new: Claim, message: Callable[[], Message], *, clear_selection: bool = False) -> Message:
    """Replace the claim at ``index`` by ``new`` as one undoable step (``new`` stays picked)."""

    def change() -> Message:
        claims = list(edit.claims)
        claims[index] = new
        edit.set_claims(claims, new)
        if clear_selection:
            edit.selection = None
        return message()

    return edit.edit(change)


def add_claim(edit: DocEdit) -> Message:
    """A new claim whose content is the selection (direct when it sits inside quote marks)."""
    if edit.selection is None:
        return warn("select the claim's content first")
    start, end = edit.selection
    text = edit.text
    while end - start > 1 and text[start] in QUOTES_OPEN and text[end - 1] in QUOTES_CLOSE:
        start, end = start + 1, end - 1  # the marks themselves are not content
    quoted = inside_quotes(text, start, end)
    # reported speech with a quoted fragment inside is mixed: 'said it would grow at a "modest pace"'
    kind = "direct" if quoted else "mixed" if _holds_a_quote(text, start, end) else "indirect"
    claim = Claim(start, end, kind=kind, origin="correction")

    def change() -> Message:
        edit.set_claims(list(edit.claims) + [claim], claim)
        edit.selection = None
        article = "an" if claim.kind[0] in "aeiou" else "a"
        return ok(f"added {article} {claim.kind} claim: now select its speaker and press w, its cue and press c")

    return edit.edit(change)


def set_role(edit: DocEdit, role: Role, *, clear: bool = False) -> Message:
    """Set the picked claim's content, speaker or cue to the selection, or clear speaker/cue."""
    index = edit.claim
    if index < 0:
        return PICK_FIRST
    if role not in ROLES:
        raise ValueError(f"role must be one of {ROLES}, not {role!r}")
    if clear and role == "content":
        return warn("a claim always has content: delete the claim instead")
    if not clear and edit.selection is None:
        return warn(f"select the {role}'s words first, then press the key again")
    old = edit.claims[index]
    if clear:
        new = replace(old, **{role: None}, origin="correction", score=None)
    elif role == "content":  # the content is one piece again
        new = replace(old, start=edit.selection[0], end=edit.selection[1], parts=(), origin="correction", score=None)
    else:
        new = replace(old, **{role: Span(*edit.selection)}, origin="correction", score=None)

    def message() -> Message:
        if clear:
            return ok(f"cleared the claim's {role}")
        span = new if role == "content" else getattr(new, role)
        return ok(f"claim {role} is now “{edit.text[span.start:span.end]}”")

    return _replace_claim(edit, index, new, message, clear_selection=True)


def toggle(edit: DocEdit, what: Literal["kind", "hedged", "negated"]) -> Message:
    """Turn the picked claim's kind on (direct -> indirect -> mixed -> direct), or flip hedged or negated."""
    if edit.claim < 0:
        return PICK_FIRST
    index = edit.claim
    old = edit.claims[index]
    if what == "kind":
        new = replace(old, kind=CLAIM_KINDS[(CLAIM_KINDS.index(old.kind) + 1) % len(CLAIM_KINDS)], origin="correction")
        message = ok(f"claim is now {new.kind}")
    elif what == "hedged":
        new = replace(old, hedged=not old.hedged, origin="correction")
        message = ok("claim is now hedged" if new.hedged else "claim is no longer hedged")
    elif what == "negated":
        new = replace(old, negated=not old.negated, origin="correction")
        message = ok("claim is now negated (“did not say…”)" if new.negated else "claim is no longer negated")
    else:
        raise ValueError(f"can toggle 'kind', 'hedged' or 'negated', not {what!r}")

    return _replace_claim(edit, index, new, lambda: message)


def add_part(edit: DocEdit) -> Message:
    """Add the selection to the picked claim's content as one more piece (``"A," X said, "B."``:
    pick the claim of A, select B, add it): the claim then covers all its pieces, in order."""
    if edit.claim < 0:
        return PICK_FIRST
    if edit.selection is None:
        return warn("select the words of the next piece of the content first, then press u again")
    index = edit.claim
    old = edit.claims[index]
    piece = Span(*edit.selection)
    pieces = sorted(old.part_spans() + (piece,), key=lambda p: (p.start, p.end))
    if any(b.start < a.end for a, b in zip(pieces, pieces[1:])):
        return warn("that piece overlaps the content already: select words outside it")
    new = replace(old, start=pieces[0].start, end=pieces[-1].end, parts=tuple(pieces), origin="correction", score=None)

    added = ok(f"the claim's content is now {len(pieces)} pieces: “{edit.text[piece.start:piece.end]}” added")
    return _replace_claim(edit, index, new, lambda: added, clear_selection=True)


def clear_parts(edit: DocEdit) -> Message:
    """Make the picked claim's content one piece again (its covering span)."""
    if edit.claim < 0:
        return PICK_FIRST
    index = edit.claim
    old = edit.claims[index]
    if not old.parts:
        return warn("the claim's content is one piece already")
    new = replace(old, parts=(), origin="correction", score=None)

    return _replace_claim(edit, index, new, lambda: ok("the claim's content is one piece again"))


def delete_claim(edit: DocEdit) -> Message:
    """Delete the picked claim (a false one)."""
    if edit.claim < 0:
        return PICK_FIRST
    index = edit.claim

    def change() -> Message:
        edit.set_claims(list(edit.claims[:index] + edit.claims[index + 1 :]), None)
        return ok("deleted the claim")

    return edit.edit(change)

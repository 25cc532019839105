"""Edits of a document's claims, each one undoable step on a ``DocEdit``.

A claim is picked first (``DocEdit.claim``); text selected afterwards becomes its
content, speaker or cue. Every function returns the message the panel shows, with its level.
"""
from __future__ import annotations

import re
from dataclasses import replace
from typing import Literal

from ..types import Claim, Span
from .messages import Message, ok, warn
from .state import ROLES, DocEdit, Role

PICK_FIRST = warn("select a claim first (click it in the list or the text)")
QUOTES_OPEN, QUOTES_CLOSE = "\"“'‘«", "\"”'’»"


_QUOTED = re.compile(r'"[^"\n]+"|“[^”\n]+”|«[^»\n]+»|‘[^’\n]+’')


def inside_quotes(text: str, start: int, end: int) -> bool:
    """Whether ``[start, end)`` lies within one pair of quote marks (straight, curly or
    guillemets) on one line: words just inside a quote are quoted words."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    return any(m.start() < start and end < m.end() for m in _QUOTED.finditer(text, line_start, line_end))


def add_claim(edit: DocEdit) -> Message:
    """A new claim whose content is the selection (direct when it sits inside quote marks)."""
    if edit.selection is None:
        return warn("select the claim's content first")
    start, end = edit.selection
    text = edit.text
    while end - start > 1 and text[start] in QUOTES_OPEN and text[end - 1] in QUOTES_CLOSE:
        start, end = start + 1, end - 1  # the marks themselves are not content
    quoted = inside_quotes(text, start, end)
    claim = Claim(start, end, kind="direct" if quoted else "indirect", origin="correction")

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
    elif role == "content":
        new = replace(old, start=edit.selection[0], end=edit.selection[1], origin="correction", score=None)
    else:
        new = replace(old, **{role: Span(*edit.selection)}, origin="correction", score=None)

    def change() -> Message:
        claims = list(edit.claims)
        claims[index] = new
        edit.set_claims(claims, new)
        edit.selection = None
        if clear:
            return ok(f"cleared the claim's {role}")
        span = new if role == "content" else getattr(new, role)
        return ok(f"claim {role} is now “{edit.text[span.start:span.end]}”")

    return edit.edit(change)


def toggle(edit: DocEdit, what: Literal["kind", "hedged"]) -> Message:
    """Flip the picked claim between direct and indirect, or hedged and not."""
    if edit.claim < 0:
        return PICK_FIRST
    index = edit.claim
    old = edit.claims[index]
    if what == "kind":
        new = replace(old, kind="indirect" if old.kind == "direct" else "direct", origin="correction")
        message = ok(f"claim is now {new.kind}")
    elif what == "hedged":
        new = replace(old, hedged=not old.hedged, origin="correction")
        message = ok("claim is now hedged" if new.hedged else "claim is no longer hedged")
    else:
        raise ValueError(f"can toggle 'kind' or 'hedged', not {what!r}")

    def change() -> Message:
        claims = list(edit.claims)
        claims[index] = new
        edit.set_claims(claims, new)
        return message

    return edit.edit(change)


def delete_claim(edit: DocEdit) -> Message:
    """Delete the picked claim (a false one)."""
    if edit.claim < 0:
        return PICK_FIRST
    index = edit.claim

    def change() -> Message:
        edit.set_claims(list(edit.claims[:index] + edit.claims[index + 1 :]), None)
        return ok("deleted the claim")

    return edit.edit(change)

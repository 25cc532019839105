"""The editing state of one document: entities, claims, selection, and undo.

State lives in traitlets (validated, observable); every edit is one method that records
a snapshot first, so ``undo`` restores the exact previous state, however many steps back.
Views never change state themselves: they call these methods and re-render on ``revision``.

Overlap policy for entities: entities never overlap (as in spaCy's ``doc.ents``). Adding
or resizing an entity over others *replaces* them, in one undoable step, and the returned
message says how many were replaced.
"""
from __future__ import annotations

from bisect import bisect_left
from dataclasses import replace
from typing import Callable, Literal

from traitlets import HasTraits, Int, TraitError, Tuple, Unicode, validate

from ..types import Claim, Entity
from .messages import Message, info, ok, warn
from .tokens import TokenIndex, Tokenize, spacy_tokenize

Role = Literal["content", "speaker", "cue"]
ROLES: tuple[str, ...] = ("content", "speaker", "cue")
UNDO_DEPTH = 500


class DocEdit(HasTraits):
    """Editable annotation of one document text.

    Args:
        text: the document text every offset refers to.
        entities, claims: the starting annotation (from the store or the extractor).
        tokenize: tokenizer used to snap ranges (default: the toolkit's spaCy tokenizer).
    """

    text = Unicode(help="the document text; offsets index it (code points, end exclusive)")
    entities = Tuple(help="entities sorted by start; never overlapping")
    claims = Tuple(help="claims sorted by (start, end)")
    selection = Tuple(None, allow_none=True, help="the pending text selection (start, end), token-snapped, or None")
    entity = Int(-1, help="index into entities of the selected entity, -1 for none")
    claim = Int(-1, help="index into claims of the selected claim, -1 for none")
    revision = Int(0, help="incremented once per action; views re-render on it")
    caret = Int(0, help="where a selection made from the keyboard starts: a click in the text, or the end of the last entity added")

    def __init__(self, text: str, entities=(), claims=(), *, tokenize: Tokenize = spacy_tokenize) -> None:
        super().__init__(text=text)
        self.entities = tuple(sorted(entities, key=lambda e: (e.start, e.end)))
        self.claims = tuple(sorted(claims, key=lambda c: (c.start, c.end)))
        self._tokenize = tokenize
        self._tokens: TokenIndex | None = None
        self._undo: list[tuple] = []
        self._redo: list[tuple] = []
        self._baseline = (self.entities, self.claims)  # as loaded or last saved

    # -- saved or not -----------------------------------------------------------------
    @property
    def dirty(self) -> bool:
        """Whether the screen differs from what was loaded or last saved."""
        return (self.entities, self.claims) != self._baseline

    def mark_saved(self) -> None:
        """The screen is what the store holds now."""
        self._baseline = (self.entities, self.claims)

    def restore(self, entities, claims, message: Message) -> Message:
        """Put a draft on screen as one undoable edit (``z`` goes back to the loaded version)."""

        def change() -> Message:
            self.entities = tuple(sorted(entities, key=lambda e: (e.start, e.end)))
            self.claims = tuple(sorted(claims, key=lambda c: (c.start, c.end)))
            return message

        return self._edit(change)

    # -- validation ---------------------------------------------------------------
    def _check_range(self, start: int, end: int, what: str) -> None:
        if not (0 <= start < end <= len(self.text)):
            raise TraitError(f"{what} [{start}, {end}) is outside the text (length {len(self.text)}) or empty")

    @validate("entities")
    def _valid_entities(self, proposal):
        ents = proposal["value"]
        last_end = -1
        for ent in ents:
            if not isinstance(ent, Entity):
                raise TraitError(f"entities must be toolkit Entity records, got {type(ent).__name__}")
            self._check_range(ent.start, ent.end, f"entity {ent.label}")
            if ent.start < last_end:
                raise TraitError(f"entities overlap at {ent.start}: remove one before adding another")
            last_end = ent.end
        return ents

    @validate("claims")
    def _valid_claims(self, proposal):
        for claim in proposal["value"]:
            if not isinstance(claim, Claim):
                raise TraitError(f"claims must be toolkit Claim records, got {type(claim).__name__}")
            self._check_range(claim.start, claim.end, "claim content")
            for name in ("speaker", "cue"):
                span = getattr(claim, name)
                if span is not None:
                    self._check_range(span.start, span.end, f"claim {name}")
        return proposal["value"]

    @validate("selection")
    def _valid_selection(self, proposal):
        sel = proposal["value"]
        if sel is not None:
            if len(sel) != 2:
                raise TraitError("selection must be (start, end) or None")
            self._check_range(sel[0], sel[1], "selection")
        return sel

    @validate("entity")
    def _valid_entity(self, proposal):
        if not -1 <= proposal["value"] < len(self.entities):
            raise TraitError(f"no entity {proposal['value']}: there are {len(self.entities)}")
        return proposal["value"]

    @validate("claim")
    def _valid_claim(self, proposal):
        if not -1 <= proposal["value"] < len(self.claims):
            raise TraitError(f"no claim {proposal['value']}: there are {len(self.claims)}")
        return proposal["value"]

    # -- tokens, snapshots ------------------------------------------------------------
    @property
    def tokens(self) -> TokenIndex:
        if self._tokens is None:
            self._tokens = TokenIndex(self.text, self._tokenize)
        return self._tokens

    def _snapshot(self) -> tuple:
        return (self.entities, self.claims, self.entity, self.claim)

    def _restore(self, snap: tuple) -> None:
        with self.hold_trait_notifications():
            self.entity, self.claim = -1, -1
            self.entities, self.claims = snap[0], snap[1]
            self.entity, self.claim = snap[2], snap[3]
            self.selection = None

    def _edit(self, change: Callable[[], Message]) -> Message:
        """Run one edit: snapshot, apply, bump revision; a failed edit leaves no trace."""
        snap = self._snapshot()
        try:
            message = change()
        except Exception:
            self._restore(snap)
            raise
        self._undo.append(snap)
        del self._undo[:-UNDO_DEPTH]
        self._redo.clear()
        self.revision += 1
        return message

    def touch(self) -> None:
        """Bump ``revision`` for a change that is not an edit (selection, focus)."""
        self.revision += 1

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    def undo(self) -> Message:
        if not self._undo:
            return warn("nothing to undo on this document")
        self._redo.append(self._snapshot())
        self._restore(self._undo.pop())
        self.revision += 1
        return ok(f"undone ({len(self._undo)} more step{'s' * (len(self._undo) != 1)} to undo)")

    def redo(self) -> Message:
        if not self._redo:
            return warn("nothing to redo")
        self._undo.append(self._snapshot())
        self._restore(self._redo.pop())
        self.revision += 1
        return ok("redone")

    # -- selection and focus ------------------------------------------------------------
    def select(self, start: int, end: int) -> tuple[int, int] | None:
        """Set the pending selection to ``[start, end)`` snapped to tokens (None if blank)."""
        start, end = max(0, min(start, end)), min(len(self.text), max(start, end))
        self.selection = self.tokens.snap(start, end)
        self.entity = -1
        self.touch()
        return self.selection

    def clear(self, at: int | None = None) -> None:
        """Drop the selection and the picked entity; ``at``: a click's offset becomes the caret."""
        self.selection, self.entity = None, -1
        if at is not None and 0 <= at <= len(self.text):
            self.caret = at
        self.touch()

    def move_selection(self, edge: Literal["start", "end"], grow: bool) -> Message:
        """Select from the keyboard: with no selection, the word at or after the caret; else move
        the selection's ``edge`` by one token (``grow`` or shrink), as ``move_edge`` does for an entity."""
        tok = self.tokens
        if self.selection is None:
            i = bisect_left(tok.ends, self.caret + 1)  # the first token that ends after the caret
            if i >= len(tok):
                return warn("no word after the caret: click where the selection should start")
            self.selection, self.entity = (tok.starts[i], tok.ends[i]), -1
        else:
            start, end = self.selection
            if edge == "end":
                end = (tok.grow_end if grow else tok.shrink_end)(start, end)
            else:
                start = (tok.grow_start if grow else tok.shrink_start)(start, end)
            if (start, end) == self.selection:
                return warn("cannot move that boundary of the selection further")
            self.selection = (start, end)
        self.touch()
        start, end = self.selection
        return info(f"selected “{self.text[start:end]}”: Shift+→/← moves its end, Alt+Shift+←/→ its start; 1–9 label it")

    def entity_at(self, offset: int) -> int:
        """Index of the entity covering ``offset``, or -1."""
        i = bisect_left([e.end for e in self.entities], offset + 1)
        return i if i < len(self.entities) and self.entities[i].start <= offset else -1

    # -- entities ---------------------------------------------------------------------
    def _put(self, new: Entity, keep: tuple[Entity, ...]) -> tuple[str, int]:
        """Insert ``new`` into ``keep`` minus what it overlaps; returns (note, its index)."""
        survivors = [e for e in keep if e.end <= new.start or e.start >= new.end]
        dropped = len(keep) - len(survivors)
        ents = tuple(sorted(survivors + [new], key=lambda e: (e.start, e.end)))
        self.entity = -1
        self.entities = ents
        index = ents.index(new)
        self.entity = index
        note = f"; replaced {dropped} overlapping entit{'y' if dropped == 1 else 'ies'}" if dropped else ""
        return note, index

    def add_entity(self, label: str, start: int | None = None, end: int | None = None) -> Message:
        """Add an entity over ``[start, end)`` (default: the selection), snapped to tokens."""
        if start is None or end is None:
            if self.selection is None:
                return warn("select some text first")
            start, end = self.selection
        span = self.tokens.snap(start, end)
        if span is None:
            return warn("the selection holds no token: nothing added")

        same = next((e for e in self.entities if (e.start, e.end) == span), None)
        if same is not None and same.label == label:
            self.selection = None
            self.touch()
            return info(f"already {label} “{self.text[span[0]:span[1]]}”")

        def change() -> Message:
            note, _ = self._put(Entity(span[0], span[1], label, origin="correction"), self.entities)
            self.selection = None
            self.caret = span[1]  # the next keyboard selection starts after it
            if same is not None:  # the drag covered exactly one entity: that is a relabel
                return ok(f"relabelled “{self.text[span[0]:span[1]]}” {same.label} → {label}")
            return ok(f"added {label} “{self.text[span[0]:span[1]]}”{note}")

        return self._edit(change)

    def relabel(self, label: str, index: int | None = None) -> Message:
        index = self.entity if index is None else index
        if index < 0:
            return warn("select an entity first (click it)")
        old = self.entities[index]
        if old.label == label:
            return info(f"already {label}")

        def change() -> Message:
            ents = list(self.entities)
            ents[index] = replace(old, label=label, origin="correction", score=None)
            self.entities = tuple(ents)
            return ok(f"relabelled “{old.text(self.text)}” {old.label} → {label}")

        return self._edit(change)

    def remove_entity(self, index: int | None = None) -> Message:
        index = self.entity if index is None else index
        if index < 0:
            return warn("select an entity first (click it)")
        old = self.entities[index]

        def change() -> Message:
            self.entity = -1
            self.entities = self.entities[:index] + self.entities[index + 1 :]
            return ok(f"removed {old.label} “{old.text(self.text)}”")

        return self._edit(change)

    def move_edge(self, edge: Literal["start", "end"], grow: bool, index: int | None = None) -> Message:
        """Move one boundary of the selected entity by one token (grow or shrink)."""
        index = self.entity if index is None else index
        if index < 0:
            return warn("select an entity first (click it)")
        old = self.entities[index]
        tok = self.tokens
        if edge == "end":
            start, end = old.start, (tok.grow_end if grow else tok.shrink_end)(old.start, old.end)
        else:
            start, end = (tok.grow_start if grow else tok.shrink_start)(old.start, old.end), old.end
        if (start, end) == (old.start, old.end):
            return warn("cannot move that boundary further")

        def change() -> Message:
            rest = self.entities[:index] + self.entities[index + 1 :]
            note, _ = self._put(replace(old, start=start, end=end, origin="correction", score=None), rest)
            return ok(f"{old.label} is now “{self.text[start:end]}”{note}")

        return self._edit(change)

    def label_all(self, index: int | None = None) -> Message:
        """Give every other token-aligned exact occurrence of the selected entity its label.

        Occurrences that are already an entity with the same span are relabelled;
        occurrences overlapping a *different* entity are left alone and counted.
        """
        index = self.entity if index is None else index
        if index < 0:
            return warn("select an entity first (click it)")
        model = self.entities[index]
        needle = model.text(self.text)
        by_span = {(e.start, e.end): i for i, e in enumerate(self.entities)}
        added = relabelled = skipped = 0
        ents = list(self.entities)
        for start, end in self.tokens.occurrences(self.text, needle):
            if (start, end) in by_span:
                i = by_span[(start, end)]
                if ents[i].label != model.label:
                    ents[i] = replace(ents[i], label=model.label, origin="correction", score=None)
                    relabelled += 1
            elif any(e.start < end and start < e.end for e in self.entities):
                skipped += 1
            else:
                ents.append(Entity(start, end, model.label, origin="correction"))
                added += 1
        if not added and not relabelled:
            return warn(f"no other occurrence of “{needle}” to label" + (f" ({skipped} overlap other entities)" if skipped else ""))

        def change() -> Message:
            self.entity = -1
            self.entities = tuple(sorted(ents, key=lambda e: (e.start, e.end)))
            self.entity = self.entities.index(model)
            note = f"; skipped {skipped} overlapping another entity" if skipped else ""
            return ok(f"{model.label} “{needle}”: added {added}, relabelled {relabelled}{note}")

        return self._edit(change)

    # -- claims (the edits themselves are in claim_edits.py) ----------------------------
    def set_claims(self, claims: list[Claim], select: Claim | None) -> None:
        """Replace the claims and select ``select`` (or none); call inside an edit. The order is
        kept as given (a new claim comes last, an edited one keeps its place), so a claim keeps
        its number while it is edited; documents open with their claims in text order."""
        self.claim = -1
        self.claims = tuple(claims)
        self.claim = self.claims.index(select) if select is not None else -1

    def edit(self, change: Callable[[], Message]) -> Message:
        """Run ``change`` as one undoable edit (see ``_edit``)."""
        return self._edit(change)

    def select_claim(self, index: int) -> None:
        self.claim = index
        self.entity = -1
        self.touch()

    def select_entity(self, index: int) -> None:
        self.entity = index
        self.selection = None
        self.touch()

    def cycle(self, what: Literal["entity", "claim"], step: int) -> None:
        """Select the next/previous entity or claim (wrapping)."""
        items = self.entities if what == "entity" else self.claims
        if not items:
            return
        current = self.entity if what == "entity" else self.claim
        index = (current + step) % len(items) if current >= 0 else (0 if step > 0 else len(items) - 1)
        if what == "entity":
            self.select_entity(index)
        else:
            self.select_claim(index)


def non_overlapping(entities) -> tuple[list[Entity], list[Entity]]:
    """Split entities into (kept, dropped) so that kept ones never overlap.

    Like ``spacy.util.filter_spans``: longer spans win, then earlier ones. Used when an
    input (an Extraction from elsewhere) breaks the panel's no-overlap rule.
    """
    ordered = sorted(entities, key=lambda e: (e.start, e.end))
    if all(a.end <= b.start for a, b in zip(ordered, ordered[1:])):
        return ordered, []
    kept: list[Entity] = []
    dropped: list[Entity] = []
    taken: list[tuple[int, int]] = []
    for ent in sorted(entities, key=lambda e: (-(e.end - e.start), e.start)):
        if any(ent.start < end and start < ent.end for start, end in taken):
            dropped.append(ent)
        else:
            kept.append(ent)
            taken.append((ent.start, ent.end))
    return sorted(kept, key=lambda e: (e.start, e.end)), dropped

"""The annotation panel: one document at a time, keyboard first, one record per answer.

The panel wires four separate parts together: the queue (which document), the
``DocEdit`` state (what is on screen), the render functions (state -> view data) and
the store (where answers go). Which browser message, key or button runs which method is
the action table in ``actions.py``; every user action goes through :meth:`AnnotationPanel.do`,
which routes exceptions to a visible error line and a log instead of losing them.
"""
from __future__ import annotations

import functools
import traceback
from collections import Counter
from typing import Any, Callable, Mapping, Sequence

import ipywidgets as widgets
from traitlets import Enum, Tuple, Unicode, validate, TraitError

from ..types import ANSWERS, Correction, Document
from . import claim_edits, render
from .actions import ACTIONS, BY_MESSAGE, BY_NAME, HELP, KEYMAP, TOOLBAR, Action, handled_keys, shown, tooltip
from .colors import label_colors
from .drafts import Drafts
from .messages import LEVELS, Message, info, ok, warn
from .queue import DocQueue, Item
from .state import DocEdit
from .view import DocumentView


def _action(method: Callable[..., Message | None]) -> Callable[..., Message | None]:
    """Make a method a user action: the outermost call shows its message and re-renders."""

    @functools.wraps(method)
    def run(self: "AnnotationPanel", *args: Any, **kwargs: Any) -> Message | None:
        self._depth += 1
        try:
            message = method(self, *args, **kwargs)
        finally:
            self._depth -= 1
        if self._depth == 0:
            if message is not None:
                self._say(message)
            self._keep_draft()
            self._render()
        return message

    return run


class AnnotationPanel(widgets.VBox):
    """Correct entities and claims document by document; build it with :func:`toolkit.widgets.annotate`.

    Python API (what the keys, buttons and browser messages call, by ``actions.ACTIONS``):
    :meth:`select`, :meth:`press`, :meth:`click_entity`, :meth:`click_claim`,
    :meth:`choose_label`, :meth:`add_entity`, :meth:`relabel`, :meth:`remove`,
    :meth:`remove_entity`, :meth:`label_all`, :meth:`move_edge`, :meth:`cycle`,
    :meth:`set_role`, :meth:`clear_role`, :meth:`add_claim`, :meth:`toggle`,
    :meth:`delete_claim`, :meth:`undo`, :meth:`redo`, :meth:`accept`, :meth:`reject`,
    :meth:`ignore`, :meth:`next`, :meth:`previous`. Each returns the :class:`Message`
    shown in the status line (``str(message)`` is its text), or None when it shows none.
    """

    annotator = Unicode(help="who is annotating; recorded in every saved record")
    labels = Tuple(help="entity labels, in number-key order")
    label = Unicode(help="the current label, used by Enter and shown in the legend")
    message = Unicode("", help="the status line")
    level = Enum(LEVELS, default_value="info", help="the status line's level: info, ok, warn or error (messages.Level)")

    def __init__(
        self,
        queue: DocQueue,
        *,
        store: Any,
        annotator: str,
        labels: Sequence[str],
        answers: Mapping[str, str] | None = None,
        total: int | None = None,
        in_source: Callable[[str], bool] = lambda doc_id: True,
        colors: Mapping[str, tuple[str, str]] | None = None,
        drafts: Drafts | None = None,
        descriptions: Mapping[str, str] | None = None,
    ) -> None:
        self.queue, self.store = queue, store
        self.drafts = drafts
        self.descriptions = dict(render.LABEL_DESCRIPTIONS if descriptions is None else descriptions)
        self._mac = False
        self._showing_comment = False
        self._depth = 0
        self.total = total
        self._in_source = in_source
        self._answers: dict[str, str] = dict(answers or {})
        self.saved: list[Correction] = []  # records written by this panel, in order
        self.view = DocumentView()
        self.header = widgets.HTML()
        self.status = widgets.HTML()
        self.help = widgets.HTML(render.help_html(HELP))
        self.output = widgets.Output(layout=widgets.Layout(max_height="160px", overflow="auto"))
        self.toolbar = self._toolbar()
        self.comment_box = widgets.Text(
            placeholder="a note on this document (saved with the answer); f flags it for discussion",
            layout=widgets.Layout(width="auto", max_width="100%"),
        )
        self.comment_box.add_class("tk-comment")
        self.comment_box.observe(self._on_comment, names="value")
        self.overlay = widgets.HTML(layout=widgets.Layout(display="none"))
        super().__init__(children=[self.header, self.view, self.toolbar, self.comment_box, self.status, self.overlay, self.help, self.output])
        self.add_class("tk-panel")
        self.add_class("tk-annotate")
        self.annotator = annotator
        self.labels = tuple(labels)
        self.label = self.labels[0]
        self._colors = label_colors(self.labels, colors)
        self.view.colors = {k: list(v) for k, v in self._colors.items()}
        self.view.shortcuts = handled_keys(self.labels)
        self.view.on_msg(self._on_view_message)
        self.do("next")

    # -- traits --------------------------------------------------------------------------
    @validate("annotator")
    def _valid_annotator(self, proposal):
        name = proposal["value"].strip()
        if not name:
            raise TraitError("annotator must be a non-empty name, e.g. annotate(..., annotator='alice')")
        return name

    @validate("labels")
    def _valid_labels(self, proposal):
        labels = proposal["value"]
        if not labels or len(set(labels)) != len(labels) or not all(isinstance(x, str) and x for x in labels):
            raise TraitError(f"labels must be distinct non-empty strings, got {labels!r}")
        return labels

    @validate("label")
    def _valid_label(self, proposal):
        if proposal["value"] not in self.labels:
            raise TraitError(f"unknown label {proposal['value']!r}: use one of {', '.join(self.labels)}")
        return proposal["value"]

    # -- what is on screen -----------------------------------------------------------------
    @property
    def item(self) -> Item | None:
        return self.queue.current

    @property
    def edit(self) -> DocEdit:
        if self.item is None:
            raise LookupError("no document on screen: the queue is done (use previous() to go back)")
        return self.item.edit

    @property
    def doc(self) -> Document | None:
        return self.item.extraction.doc if self.item else None

    @property
    def entities(self):
        return self.edit.entities

    @property
    def claims(self):
        return self.edit.claims

    @property
    def progress(self) -> dict[str, Any]:
        """``{"done", "total", "accept", "reject", "ignore", "position"}`` for this annotator."""
        mine = {d: a for d, a in self._answers.items() if self._in_source(d)}
        counts = Counter(mine.values())
        return {"done": len(mine), "total": self.total, "position": self.queue.position, **{a: counts.get(a, 0) for a in ANSWERS}}

    # -- plumbing ----------------------------------------------------------------------------
    def _toolbar(self) -> widgets.HBox:
        def button(action: Action) -> widgets.Button:
            b = widgets.Button(description=action.button, tooltip=tooltip(action), button_style=action.button_style,
                               layout=widgets.Layout(width="auto"))
            b.add_class(f"tk-{action.name}")
            b.on_click(lambda _: (self.do(action.name), self.view.focus()))
            return b

        left, right = TOOLBAR
        self.buttons = {name: button(BY_NAME[name]) for name in (*left, *right)}
        spacer = widgets.Box(layout=widgets.Layout(flex="1 1 auto"))
        self.goto_box = widgets.Text(placeholder="go to id ⏎", continuous_update=False, layout=widgets.Layout(width="150px"))
        self.goto_box.add_class("tk-goto")
        self.goto_box.observe(self._on_goto, names="value")
        box = widgets.HBox([*(self.buttons[n] for n in left), self.goto_box, spacer, *(self.buttons[n] for n in right)])
        box.add_class("tk-toolbar")
        return box

    def _on_view_message(self, _widget: Any, content: Mapping[str, Any], _buffers: Any) -> None:
        """Run the action the browser message's type stands for (see ``actions.BY_MESSAGE``)."""
        action = BY_MESSAGE.get(content.get("type"))  # type: ignore[arg-type]
        if action is None:
            self._fail(f"unknown message from the browser: {content!r}")
            self._render()
            return
        try:
            args = [kind(content[field]) for field, kind in action.fields]
        except (KeyError, TypeError, ValueError) as err:
            self._fail(f"malformed {action.message!r} message from the browser: {content!r} ({type(err).__name__}: {err})")
            self._render()
            return
        self.do(action.name, *args)

    def do(self, action: str, *args: Any) -> Message | None:
        """Run the action named ``action`` (see ``actions.ACTIONS``) as the UI does: its handler
        gets the action's fixed arguments, then ``args``; errors go to the error line and the log."""
        if action not in BY_NAME:
            raise ValueError(f"unknown action {action!r}: use one of {', '.join(BY_NAME)} (toolkit.widgets.actions)")
        try:
            return self._run(BY_NAME[action], *args)
        except Exception as err:  # noqa: BLE001 - callbacks must never fail silently
            self._depth = 0
            self._fail(f"{action} failed: {type(err).__name__}: {err}", traceback.format_exc())
            self._render()
            return None

    def _run(self, action: Action, *args: Any) -> Message | None:
        return getattr(self, action.handler)(*action.args, *args)

    def _say(self, message: Message) -> None:
        self.level, self.message = message.level, message.text

    def _fail(self, message: str, details: str = "") -> None:
        self._say(Message(message, "error"))
        self.output.append_stderr((details or message) + "\n")

    def _page(self, item: Item) -> tuple[int, int]:
        """The characters on screen: the page of a long document that holds what was just picked
        (an entity, a claim) or else the page turned to; the whole text when it fits one page."""
        e = item.edit
        if item.page_starts is None:
            item.page_starts = render.pages(e.text)
        starts = item.page_starts
        pick = (e.entity, e.claim)
        if pick != item.shown_pick:
            item.shown_pick = pick
            at = e.entities[e.entity].start if e.entity >= 0 else e.claims[e.claim].start if e.claim >= 0 else None
            if at is not None:
                item.page = render.page_of(starts, at)
        item.page = min(item.page, len(starts) - 1)
        end = starts[item.page + 1] if item.page + 1 < len(starts) else len(e.text)
        self.view.page = {"index": item.page, "count": len(starts), "start": starts[item.page], "end": end, "length": len(e.text)}
        return starts[item.page], end

    @_action
    def turn_page(self, step: int) -> Message:
        """Show the next (``step`` 1) or previous (-1) page of a long document."""
        item = self.item
        if item is None or item.page_starts is None or len(item.page_starts) == 1:
            return warn("this document fits on one page")
        page = item.page + step
        if not 0 <= page < len(item.page_starts):
            return warn("no further page: this is the " + ("last" if step > 0 else "first"))
        item.page = page
        return info(f"page {page + 1} of {len(item.page_starts)}")

    def _on_comment(self, change: Mapping[str, Any]) -> None:
        """The comment box was typed in: the note belongs to the document on screen."""
        if not self._showing_comment and self.item is not None:
            self.item.comment = change["new"]

    @_action
    def goto(self, doc_id: str) -> Message:
        """Show the document ``doc_id``: one kept for going back, or the next with that id ahead
        (the documents passed over stay unanswered: ``previous`` reaches the last ones kept)."""
        doc_id = doc_id.strip()
        if not doc_id:
            return warn("type a document id")
        left = self._left_unsaved()
        if self.queue.find(doc_id) is None:
            return warn(f"no document {doc_id!r} kept or ahead in this panel's source (skipped, filtered out, or already passed and forgotten)")
        return warn(left) if left else info(f"showing {doc_id}")

    def _on_goto(self, change: Mapping[str, Any]) -> None:
        if change["new"].strip():
            self.do("goto", change["new"])
            self.goto_box.value = ""
            self.view.focus()

    @_action
    def comment(self, text: str) -> Message:
        """Set the note on the document on screen (saved with its answer, in the record's ``meta``)."""
        if self.item is None:
            return warn("no document on screen")
        self.item.comment = text
        return ok("note kept: it is saved with the answer") if text else info("note cleared")

    @_action
    def toggle_flag(self) -> Message:
        """Flag the document for discussion (saved with the answer, ``meta.flagged``), or unflag it."""
        if self.item is None:
            return warn("no document on screen")
        self.item.flagged = not self.item.flagged
        return ok("flagged for discussion: saved with the answer") if self.item.flagged else info("flag removed")

    @_action
    def toggle_help(self) -> Message:
        """Show (or hide) every key and what each label means."""
        if self.overlay.layout.display == "none":
            rows = [(", ".join(shown(k, self._mac) for k in a.keys), a.description) for a in ACTIONS if a.keys]
            self.overlay.value = render.keys_html(rows, self.labels, self.descriptions)
            self.overlay.layout.display = ""
            return info("all keys below: ? hides them")
        self.overlay.layout.display = "none"
        return info("")

    def _keep_draft(self) -> None:
        """Write the screen of an edited, unanswered document to the drafts folder (or delete
        its draft when the screen is back to what was loaded or saved)."""
        item = self.item
        if self.drafts is None or item is None:
            return
        e = item.edit
        if e.revision == item.draft_revision:
            return
        item.draft_revision = e.revision
        doc = item.extraction.doc
        if e.dirty:
            self.drafts.save(doc.id, doc.text, e.entities, e.claims)
        else:
            self.drafts.discard(doc.id)

    def _render(self) -> None:
        item = self.item
        view = self.view
        with view.hold_sync():
            view.legend = render.legend(self.labels, self._colors, current=self.label, descriptions=self.descriptions)
            if item is None:
                view.doc_id = ""
                view.page = {}
                view.segments, view.claims = [], []
                view.empty = "No more documents. Press p or ← to go back, or build a new panel." if self.queue.exhausted else "No document."
            else:
                e = item.edit
                view.empty = ""
                window = self._page(item)
                view.doc_id = f"{self.queue.position}:{item.page}:{item.extraction.doc.id}"
                view.segments = render.segments(
                    e.text, e.entities, e.claims, selection=e.selection, entity=e.entity, claim=e.claim, window=window,
                )
                view.claims = render.claim_rows(e.text, e.claims, selected=e.claim)
        p = self.progress
        stored = (item.answer or item.stored) if item else None
        self.header.value = render.progress_html(
            doc_id=self.doc.id if self.doc else None, position=max(p["position"], 0) if item else None, done=p["done"],
            total=p["total"], counts=p, annotator=self.annotator, stored=stored, unsaved=bool(item and item.edit.dirty),
            flagged=bool(item and item.flagged),
        )
        self._showing_comment = True
        try:
            self.comment_box.value = item.comment if item else ""
            self.comment_box.disabled = item is None
        finally:
            self._showing_comment = False
        for name, button in self.buttons.items():  # past the last document only navigation is left
            button.disabled = item is None and name not in ("previous", "next")
        self.status.value = render.status_html(self.message, level=self.level)

    # -- selection and keys ------------------------------------------------------------------
    @_action
    def select(self, start: int, end: int) -> Message:
        """Select ``[start, end)`` (snapped to tokens), as a mouse drag does."""
        span = self.edit.select(start, end)
        if span is None:
            return warn("the selection holds no word")
        return info(f"selected “{self.edit.text[span[0]:span[1]]}”: 1–9 label it, q makes it a claim, w/c/t set the selected claim's speaker/cue/content")

    @_action
    def clear(self, at: int = -1) -> Message:
        """A click on plain text: drop the selection and the pick; the click's offset ``at``
        becomes the caret a keyboard selection (Shift+→) starts from."""
        self.edit.clear(at if at >= 0 else None)
        return info("")

    @_action
    def clear_all(self) -> Message:
        """Esc: clear the selection and deselect the entity and the claim; with nothing to clear,
        hand the keyboard back to the notebook (a second Esc leaves the panel)."""
        e = self.edit if self.item is not None else None
        if e is None or (e.selection is None and e.entity < 0 and e.claim < 0):
            self.view.release()
            return info("keyboard handed back to the notebook: click the panel (or Tab to it) to use its keys again")
        e.clear()
        e.select_claim(-1)
        return info("cleared: Esc again hands the keyboard back to the notebook")

    @_action
    def click_entity(self, index: int) -> Message:
        self.edit.select_entity(index)
        return self._picked_entity()

    @_action
    def click_claim(self, index: int) -> Message:
        self.edit.select_claim(index)
        return self._picked_claim()

    def _picked_entity(self) -> Message:
        e = self.edit
        ent = e.entities[e.entity]
        return info(f"entity {e.entity + 1}/{len(e.entities)}: {ent.label} “{ent.text(e.text)}”: 1–9 relabel, x remove, "
                    "e label all, Shift+←/→ resize")

    def _picked_claim(self) -> Message:
        e = self.edit
        claim = e.claims[e.claim]
        speaker = f"“{claim.speaker.text(e.text)}”" if claim.speaker else "no speaker"
        return info(f"claim {e.claim + 1}/{len(e.claims)} ({claim.kind}, {speaker}): “{render._excerpt(claim.text(e.text), 60)}”: "
                    "select words, then w speaker / c cue / t content; k kind, h hedged, Backspace delete")

    @_action
    def choose_label(self, label: str) -> Message:
        """What a legend click or a number key does: label the selection, relabel the
        selected entity, or otherwise make ``label`` the current label."""
        self.label = label
        if self.item is None:
            return info(f"current label {label}")
        if self.edit.selection is not None:
            return self.edit.add_entity(label)
        if self.edit.entity >= 0:
            return self.edit.relabel(label)
        return info(f"current label {label}")

    @_action
    def label_key(self, n: int) -> Message | None:
        """Number key ``n``: :meth:`choose_label` with the n-th label; nothing beyond the last label."""
        return self.choose_label(self.labels[n - 1]) if 1 <= n <= len(self.labels) else None

    @_action
    def set_platform(self, mac: bool) -> None:
        """The browser's keyboard: name keys with a Mac's glyphs (⌥ ⇧ ⌫ ⌘) or as elsewhere (Alt Shift Backspace Ctrl)."""
        self._mac = mac
        self.help.value = render.help_html(HELP, mac=mac)
        for name, button in self.buttons.items():
            button.tooltip = tooltip(BY_NAME[name], mac)
        return None

    @_action
    def press(self, key: str) -> Message | None:
        """Run the action of a key descriptor (see ``actions.KEYMAP``), as the browser sends it."""
        action = KEYMAP.get(key)
        return self._run(action) if action is not None else None

    @_action
    def claim_action(self, index: int, action: str) -> Message | None:
        """Pick claim ``index``, then run ``action``, one of the claims-list buttons' actions."""
        row = BY_NAME.get(action)
        if row is None or not row.claim_row:
            buttons = ", ".join(a for a, r in BY_NAME.items() if r.claim_row)
            raise ValueError(f"unknown claim action {action!r}: a claims-list row has {buttons}")
        self.edit.select_claim(index)
        return self._run(row)

    @_action
    def cycle(self, what: str, step: int) -> Message:
        """Pick the next (``step`` 1) or previous (-1) ``"entity"`` or ``"claim"``, wrapping."""
        self.edit.cycle(what, step)  # type: ignore[arg-type]
        if what == "entity":
            return self._picked_entity() if self.edit.entity >= 0 else warn("no entity on this document to pick")
        return self._picked_claim() if self.edit.claim >= 0 else warn("no claim on this document to pick")

    # -- entity edits --------------------------------------------------------------------------
    @_action
    def add_entity(self, label: str | None = None) -> Message:
        return self.edit.add_entity(label or self.label)

    @_action
    def relabel(self, label: str) -> Message:
        self.label = label
        return self.edit.relabel(label)

    @_action
    def remove_entity(self) -> Message:
        return self.edit.remove_entity()

    @_action
    def remove(self) -> Message:
        """Remove the selected entity, or else delete the selected claim."""
        if self.edit.entity < 0 and self.edit.claim >= 0:
            return claim_edits.delete_claim(self.edit)
        return self.edit.remove_entity()

    @_action
    def label_all(self) -> Message:
        return self.edit.label_all()

    @_action
    def move_edge(self, edge: str, grow: bool) -> Message:
        """Move the picked entity's ``"start"`` or ``"end"`` by one token (``grow`` or shrink);
        with no entity picked, make or move the selection from the keyboard instead."""
        if self.edit.entity < 0:
            return self.edit.move_selection(edge, grow)  # type: ignore[arg-type]
        return self.edit.move_edge(edge, grow)  # type: ignore[arg-type]

    # -- claim edits -----------------------------------------------------------------------------
    @_action
    def add_claim(self) -> Message:
        return claim_edits.add_claim(self.edit)

    @_action
    def set_role(self, role: str, *, clear: bool = False) -> Message:
        return claim_edits.set_role(self.edit, role, clear=clear)  # type: ignore[arg-type]

    @_action
    def clear_role(self, role: str) -> Message:
        """Clear the selected claim's ``"speaker"`` or ``"cue"``."""
        return claim_edits.set_role(self.edit, role, clear=True)  # type: ignore[arg-type]

    @_action
    def toggle(self, what: str) -> Message:
        return claim_edits.toggle(self.edit, what)  # type: ignore[arg-type]

    @_action
    def add_part(self) -> Message:
        """The selection becomes one more piece of the selected claim's content."""
        return claim_edits.add_part(self.edit)

    @_action
    def clear_parts(self) -> Message:
        """The selected claim's content becomes one piece again."""
        return claim_edits.clear_parts(self.edit)

    @_action
    def delete_claim(self) -> Message:
        return claim_edits.delete_claim(self.edit)

    # -- history -------------------------------------------------------------------------------------
    @_action
    def undo(self) -> Message:
        """Undo the last edit of the document on screen (never one of another document)."""
        if self.item is not None and self.edit.can_undo:
            return self.edit.undo()
        return warn("nothing to undo on this document (p or ← goes back to the previous one)")

    @_action
    def redo(self) -> Message:
        return self.edit.redo()

    # -- navigation and answers ----------------------------------------------------------------------
    def _left_unsaved(self) -> str:
        """What to say of the document being left, if its edits are not saved."""
        item = self.item
        if item is None or not item.edit.dirty:
            return ""
        kept = "kept as a draft beside the store" if self.drafts is not None else "kept in this session only"
        return f"{item.extraction.doc.id} has unsaved edits ({kept}): answer it (a/r/s) to save them"

    @_action
    def next(self) -> Message:
        left = self._left_unsaved()
        item = self.queue.forward()
        if item is None:
            done = f"done: no more documents ({self.progress['done']} answered by {self.annotator})"
            return warn(f"{left} · {done}") if left else info(done)
        notes = ([left] if left else []) + item.notes
        return warn("warning: " + "; ".join(notes)) if notes else info("")

    @_action
    def previous(self) -> Message:
        left = self._left_unsaved()
        if self.queue.back() is None:
            return warn(f"no earlier document kept (going back keeps the last {self.queue.items.maxlen})")
        return warn(left) if left else info("")

    def _answer(self, answer: str) -> Message:
        item = self.item
        if item is None:
            return warn("no document to answer: the queue is done")
        doc = item.extraction.doc
        record = Correction.create(
            doc, annotator=self.annotator, answer=answer,  # type: ignore[arg-type]
            entities=item.edit.entities, claims=sorted(item.edit.claims, key=lambda c: (c.start, c.end)),  # stored in text order
            extractor=item.extraction.extractor,
            meta={"tool": "toolkit.widgets.annotate", **({"comment": item.comment} if item.comment else {}),
                  **({"flagged": True} if item.flagged else {})},
        )
        saved = self.store.append(record)
        self.saved.append(saved if isinstance(saved, Correction) else record)
        item.answer = answer
        item.edit.mark_saved()
        if self.drafts is not None:
            self.drafts.discard(doc.id)
        self._answers[doc.id] = answer
        following = self.next()
        text = f"saved {answer} for {doc.id}" + (f" · {following.text}" if following.text else "")
        return Message(text, "warn" if following.level == "warn" else "ok")

    @_action
    def accept(self) -> Message:
        return self._answer("accept")

    @_action
    def reject(self) -> Message:
        return self._answer("reject")

    @_action
    def ignore(self) -> Message:
        return self._answer("ignore")

"""The annotation panel: one document at a time, keyboard first, one record per answer.

The panel wires four separate parts together: the queue (which document), the
``DocEdit`` state (what is on screen), the render functions (state -> view data) and
the store (where answers go). Every user action goes through :meth:`AnnotationPanel.do`,
which routes exceptions to a visible error line and a log instead of losing them.
"""
from __future__ import annotations

import functools
import traceback
from collections import Counter
from typing import Any, Callable, Mapping, Sequence

import ipywidgets as widgets
from traitlets import Tuple, Unicode, validate, TraitError

from ..types import Correction, Document
from . import claim_edits, render
from .colors import label_colors
from .keys import HELP, KEYMAP, digit_label, handled_keys
from .queue import DocQueue, Item
from .state import DocEdit
from .view import DocumentView

ANSWERS = ("accept", "reject", "ignore")

#: key actions that are one call on the document's edit state (the rest are panel methods).
EDIT_ACTIONS: dict[str, Callable[[DocEdit], str | None]] = {
    "remove_entity": lambda e: e.remove_entity(),
    "grow_end": lambda e: e.move_edge("end", True),
    "shrink_end": lambda e: e.move_edge("end", False),
    "grow_start": lambda e: e.move_edge("start", True),
    "shrink_start": lambda e: e.move_edge("start", False),
    "next_entity": lambda e: e.cycle("entity", 1),
    "previous_entity": lambda e: e.cycle("entity", -1),
    "next_claim": lambda e: e.cycle("claim", 1),
    "previous_claim": lambda e: e.cycle("claim", -1),
    "set_content": lambda e: claim_edits.set_role(e, "content"),
    "set_speaker": lambda e: claim_edits.set_role(e, "speaker"),
    "set_cue": lambda e: claim_edits.set_role(e, "cue"),
    "clear_speaker": lambda e: claim_edits.set_role(e, "speaker", clear=True),
    "clear_cue": lambda e: claim_edits.set_role(e, "cue", clear=True),
    "toggle_kind": lambda e: claim_edits.toggle(e, "kind"),
    "toggle_hedged": lambda e: claim_edits.toggle(e, "hedged"),
}


def _action(method: Callable[..., str | None]) -> Callable[..., str | None]:
    """Make a method a user action: the outermost call shows its message and re-renders."""

    @functools.wraps(method)
    def run(self: "AnnotationPanel", *args: Any, **kwargs: Any) -> str | None:
        self._depth += 1
        try:
            message = method(self, *args, **kwargs)
        finally:
            self._depth -= 1
        if self._depth == 0:
            if message is not None:
                self._say(message)
            self._render()
        return message

    return run


class AnnotationPanel(widgets.VBox):
    """Correct entities and claims document by document; build it with :func:`toolkit.widgets.annotate`.

    Python API (what the keys and buttons call): :meth:`select`, :meth:`press`,
    :meth:`click_entity`, :meth:`click_claim`, :meth:`add_entity`, :meth:`relabel`,
    :meth:`remove`, :meth:`label_all`, :meth:`set_role`, :meth:`add_claim`,
    :meth:`toggle`, :meth:`delete_claim`, :meth:`undo`, :meth:`redo`, :meth:`accept`,
    :meth:`reject`, :meth:`ignore`, :meth:`next`, :meth:`previous`.
    """

    annotator = Unicode(help="who is annotating; recorded in every saved record")
    labels = Tuple(help="entity labels, in number-key order")
    label = Unicode(help="the current label, used by Enter and shown in the legend")
    message = Unicode("", help="the status line")
    level = Unicode("info", help="status level: info, ok, warn or error")

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
    ) -> None:
        self.queue, self.store = queue, store
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
        super().__init__(children=[self.header, self.view, self.toolbar, self.status, self.help, self.output])
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
        def button(text: str, action: str, tip: str, style: str = "", cls: str = "") -> widgets.Button:
            b = widgets.Button(description=text, tooltip=tip, button_style=style, layout=widgets.Layout(width="auto"))
            if cls:
                b.add_class(cls)
            b.on_click(lambda _: (self.do(action), self.view.focus()))
            return b

        self.buttons = {
            "previous": button("← Prev", "previous", "previous document (p, ←)"),
            "next": button("Next →", "next", "next document without answering (n, →)"),
            "undo": button("↶ Undo", "undo", "undo the last edit (z)"),
            "label_all": button("Label all", "label_all", "give every occurrence of the selected entity its label (e)"),
            "accept": button("✓ Accept", "accept", "save as correct and go on (a)", "success", "tk-accept"),
            "reject": button("✗ Reject", "reject", "save as unusable and go on (r)", "danger", "tk-reject"),
            "ignore": button("Skip", "ignore", "save as skipped and go on (s)", "", "tk-ignore"),
        }
        spacer = widgets.Box(layout=widgets.Layout(flex="1 1 auto"))
        box = widgets.HBox([*list(self.buttons.values())[:4], spacer, *list(self.buttons.values())[4:]])
        box.add_class("tk-toolbar")
        return box

    def _on_view_message(self, _widget: Any, content: Mapping[str, Any], _buffers: Any) -> None:
        kind = content.get("type")
        if kind == "select":
            self.do("select", int(content["start"]), int(content["end"]))
        elif kind == "entity":
            self.do("click_entity", int(content["index"]))
        elif kind == "claim":
            self.do("click_claim", int(content["index"]))
        elif kind == "label":
            self.do("choose_label", str(content["label"]))
        elif kind == "claim_action":
            self.do("claim_action", int(content["index"]), str(content["action"]))
        elif kind == "key":
            self.do("press", str(content["key"]))
        elif kind == "clear":
            self.do("clear")
        else:
            self._fail(f"unknown message from the browser: {content!r}")

    def do(self, action: str, *args: Any) -> str | None:
        """Run one action by name as the UI does: errors go to the error line and the log."""
        try:
            return getattr(self, action)(*args)
        except Exception as err:  # noqa: BLE001 - callbacks must never fail silently
            self._depth = 0
            self._fail(f"{action} failed: {type(err).__name__}: {err}", traceback.format_exc())
            self._render()
            return None

    def _say(self, message: str, level: str | None = None) -> None:
        lowered = message.lower()
        if level is None:
            level = "warn" if "warning:" in lowered else "ok" if lowered.startswith(("saved", "added", "relabel", "removed")) else "info"
        self.level = level
        self.message = message

    def _fail(self, message: str, details: str = "") -> None:
        self.level, self.message = "error", message
        self.output.append_stderr((details or message) + "\n")

    def _render(self) -> None:
        item = self.item
        view = self.view
        with view.hold_sync():
            view.legend = render.legend(self.labels, self._colors, current=self.label)
            if item is None:
                view.doc_id = ""
                view.segments, view.claims = [], []
                view.empty = "No more documents. Press p or ← to go back, or build a new panel." if self.queue.exhausted else "No document."
            else:
                e = item.edit
                view.empty = ""
                view.doc_id = f"{self.queue.position}:{item.extraction.doc.id}"
                view.segments = render.segments(e.text, e.entities, e.claims, selection=e.selection, entity=e.entity, claim=e.claim)
                view.claims = render.claim_rows(e.text, e.claims, selected=e.claim)
        p = self.progress
        stored = (item.answer or item.stored) if item else None
        self.header.value = render.progress_html(
            doc_id=self.doc.id if self.doc else None, position=max(p["position"], 0), done=p["done"], total=p["total"],
            counts=p, annotator=self.annotator, stored=stored,
        )
        self.status.value = render.status_html(self.message, level=self.level)

    # -- selection and keys ------------------------------------------------------------------
    def select(self, start: int, end: int) -> str:
        """Select ``[start, end)`` (snapped to tokens), as a mouse drag does."""
        span = self.edit.select(start, end)
        if span is None:
            return "the selection holds no word"
        return f"selected “{self.edit.text[span[0]:span[1]]}”: 1–9 label it, q makes it a claim, w/c/t set the selected claim's speaker/cue/content"

    def clear(self) -> str:
        self.edit.clear()
        return ""

    def clear_all(self) -> str:
        """Clear the selection and deselect the entity and the claim."""
        self.edit.clear()
        self.edit.select_claim(-1)
        return ""

    def click_entity(self, index: int) -> str:
        self.edit.select_entity(index)
        ent = self.edit.entities[index]
        return f"{ent.label} “{ent.text(self.edit.text)}”: 1–9 relabel, x remove, e label all, ⇧←/→ resize"

    def click_claim(self, index: int) -> str:
        self.edit.select_claim(index)
        return "claim selected: select words, then w speaker / c cue / t content; k kind, h hedged, ⌫ delete"

    def choose_label(self, label: str) -> str:
        """What a legend click or a number key does: label the selection, relabel the
        selected entity, or otherwise make ``label`` the current label."""
        self.label = label
        if self.item is None:
            return f"current label {label}"
        if self.edit.selection is not None:
            return self.edit.add_entity(label)
        if self.edit.entity >= 0:
            return self.edit.relabel(label)
        return f"current label {label}"

    def press(self, key: str) -> str | None:
        """Act on a key descriptor (see ``toolkit.widgets.keys``), as the browser sends it."""
        label = digit_label(key, self.labels)
        if label is not None:
            return self.choose_label(label)
        if key not in KEYMAP:
            return None
        name = KEYMAP[key][0]
        if name in EDIT_ACTIONS:
            return EDIT_ACTIONS[name](self.edit) or ""
        return getattr(self, name)()

    def claim_action(self, index: int, action: str) -> str:
        if action not in ("toggle_kind", "toggle_hedged", "delete_claim"):
            raise ValueError(f"unknown claim action {action!r}")
        self.edit.select_claim(index)
        return self.delete_claim() if action == "delete_claim" else EDIT_ACTIONS[action](self.edit)

    # -- entity edits --------------------------------------------------------------------------
    def add_entity(self, label: str | None = None) -> str:
        return self.edit.add_entity(label or self.label)

    def relabel(self, label: str) -> str:
        self.label = label
        return self.edit.relabel(label)

    def remove(self) -> str:
        """Remove the selected entity, or else delete the selected claim."""
        if self.edit.entity < 0 and self.edit.claim >= 0:
            return claim_edits.delete_claim(self.edit)
        return self.edit.remove_entity()

    def label_all(self) -> str:
        return self.edit.label_all()

    # -- claim edits -----------------------------------------------------------------------------
    def add_claim(self) -> str:
        return claim_edits.add_claim(self.edit)

    def set_role(self, role: str, *, clear: bool = False) -> str:
        return claim_edits.set_role(self.edit, role, clear=clear)  # type: ignore[arg-type]

    def toggle(self, what: str) -> str:
        return claim_edits.toggle(self.edit, what)  # type: ignore[arg-type]

    def delete_claim(self) -> str:
        return claim_edits.delete_claim(self.edit)

    # -- history -------------------------------------------------------------------------------------
    def undo(self) -> str:
        """Undo the last edit; on a document without edits, go back to the previous one."""
        if self.item is not None and self.edit.can_undo:
            return self.edit.undo()
        if self.queue.back() is None:
            return "nothing to undo"
        return "back to the previous document: answer it again to replace its saved answer"

    def redo(self) -> str:
        return self.edit.redo()

    # -- navigation and answers ----------------------------------------------------------------------
    def next(self) -> str:
        item = self.queue.forward()
        if item is None:
            return f"done: no more documents ({self.progress['done']} answered by {self.annotator})"
        return ("warning: " + "; ".join(item.notes)) if item.notes else ""

    def previous(self) -> str:
        if self.queue.back() is None:
            return f"no earlier document kept (going back keeps the last {self.queue.items.maxlen})"
        return ""

    def _answer(self, answer: str) -> str:
        item = self.item
        if item is None:
            return "no document to answer: the queue is done"
        doc = item.extraction.doc
        record = Correction.create(
            doc, annotator=self.annotator, answer=answer,  # type: ignore[arg-type]
            entities=item.edit.entities, claims=item.edit.claims,
            extractor=item.extraction.extractor, meta={"tool": "toolkit.widgets.annotate"},
        )
        saved = self.store.append(record)
        self.saved.append(saved if isinstance(saved, Correction) else record)
        item.answer = answer
        self._answers[doc.id] = answer
        following = self.next()
        return f"saved {answer} for {doc.id}" + (f" · {following}" if following else "")

    def accept(self) -> str:
        return self._answer("accept")

    def reject(self) -> str:
        return self._answer("reject")

    def ignore(self) -> str:
        return self._answer("ignore")


for _name in (
    "select", "clear", "clear_all", "click_entity", "click_claim", "choose_label", "press", "claim_action",
    "add_entity", "relabel", "remove", "label_all", "add_claim", "set_role", "toggle", "delete_claim",
    "undo", "redo", "next", "previous", "accept", "reject", "ignore",
):
    setattr(AnnotationPanel, _name, _action(getattr(AnnotationPanel, _name)))

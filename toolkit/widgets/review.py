"""The review panel: two annotators' versions side by side; the reviewer settles each difference.

Saving writes one record with annotator ``reviewer`` (default ``"review"``), which the
store's precedence rules rank above both annotators.
"""
from __future__ import annotations

import html
import traceback
from pathlib import Path
from typing import Any, Iterable, Sequence

import ipywidgets as widgets
from traitlets import Enum, Int, TraitError, Unicode, validate

from ..types import Correction, Document
from . import render
from .colors import label_colors
from .diff import Difference, Side, compare, resolve
from .messages import LEVELS, Message, info, ok, warn

_STYLE = "<style>" + (Path(__file__).parent / "static" / "panel.css").read_text(encoding="utf-8") + "</style>"


def _describe(text: str, items: tuple) -> str:
    if not items:
        return '<span class="tk-missing">nothing</span>'
    parts = []
    for x in items:
        words = html.escape(x.text(text))
        if hasattr(x, "label"):
            parts.append(f"<b>{html.escape(x.label)}</b> “{words}”")
        else:
            speaker = html.escape(x.speaker.text(text)) if x.speaker else "—"
            cue = html.escape(x.cue.text(text)) if x.cue else "—"
            hedge = ", hedged" if x.hedged else ""
            parts.append(f"{x.kind}{hedge} “{render._excerpt(words, 90)}” · speaker <b>{speaker}</b> · cue <b>{cue}</b>")
    return "<br>".join(parts)


class Undecided(ValueError):
    """Saving as accept while a difference has no side: the reviewer's to fix, not an error."""


class ReviewPanel(widgets.VBox):
    """Adjudicate the documents two annotators both answered; build it with :func:`toolkit.widgets.review`.

    Python API: :attr:`differences`, :meth:`choose`, :meth:`choose_all`, :meth:`merged`,
    :meth:`save`, :meth:`next`, :meth:`previous`.
    """

    reviewer = Unicode("review", help="annotator name of the records this panel writes")
    index = Int(0, help="position in the list of documents to review")
    message = Unicode("", help="the status line")
    level = Enum(LEVELS, default_value="info", help="the status line's level: info, ok, warn or error (messages.Level)")

    def __init__(self, store: Any, doc_ids: Sequence[str], *, annotators: tuple[str, str], reviewer: str = "review",
                 labels: Sequence[str] | None = None) -> None:
        self.store, self.doc_ids, self.annotators = store, list(doc_ids), annotators
        self.saved: list[Correction] = []
        self._colors = label_colors(tuple(labels or ("PERSON", "ORG", "GPE", "LOC", "NORP", "DATE", "EVENT")))
        self.header = widgets.HTML()
        self.col_a, self.col_b = widgets.HTML(), widgets.HTML()
        self.diff_box = widgets.VBox()
        self.status = widgets.HTML()
        self.output = widgets.Output(layout=widgets.Layout(max_height="160px", overflow="auto"))
        a, b = annotators

        def button(text: str, call, style: str = "") -> widgets.Button:
            btn = widgets.Button(description=text, button_style=style, layout=widgets.Layout(width="auto"))
            btn.on_click(lambda _: self._guard(call))
            return btn

        self.save_button = button("Save review", lambda: self.save(), "success")
        toolbar = widgets.HBox([
            button("← Prev", self.previous), button("Next →", self.next),
            button(f"All from {a}", lambda: self.choose_all("a")), button(f"All from {b}", lambda: self.choose_all("b")),
            self.save_button, button("Save as reject", lambda: self.save(answer="reject"), "danger"),
        ])
        toolbar.add_class("tk-toolbar")
        columns = widgets.HBox([self.col_a, self.col_b])
        self.col_a.layout = widgets.Layout(flex="1 1 0", min_width="0", margin="0 12px 0 0")
        self.col_b.layout = widgets.Layout(flex="1 1 0", min_width="0")
        super().__init__([widgets.HTML(_STYLE), self.header, columns, self.diff_box, toolbar, self.status, self.output])
        self.add_class("tk-panel")
        self.add_class("tk-review")
        self.reviewer = reviewer
        self._guard(self._load)

    @validate("reviewer")
    def _valid_reviewer(self, proposal):
        name = proposal["value"].strip()
        if not name or name in self.annotators:
            raise TraitError(f"reviewer must be a name other than the annotators {self.annotators}, got {proposal['value']!r}")
        return name

    # -- state --------------------------------------------------------------------------------
    def _load(self) -> None:
        self.records: tuple[Correction, Correction] | None = None
        self.differences: list[Difference] = []
        self.choices: list[Side | None] = []
        if not self.doc_ids:
            self._say(warn(f"no document has records from both {self.annotators[0]} and {self.annotators[1]}"))
            self._render()
            return
        doc_id = self.doc_ids[self.index]
        a = self.store.get(doc_id, annotator=self.annotators[0])
        b = self.store.get(doc_id, annotator=self.annotators[1])
        if a is None or b is None:
            raise LookupError(f"{doc_id}: the store has no record of {self.annotators[0] if a is None else self.annotators[1]}")
        if a.text_sha256 != b.text_sha256:
            raise ValueError(f"{doc_id}: the annotators worked on different texts (text_sha256 differ); fix the corpus before review")
        self.records = (a, b)
        self.agreed_entities, self.agreed_claims, self.differences = compare(a.entities, b.entities, a.claims, b.claims)
        self.choices = [None] * len(self.differences)
        self.output.outputs = ()  # an earlier document's traceback does not stay on this one
        names = self.annotators
        if a.answer != b.answer:
            spans = "their spans agree" if not self.differences else f"{len(self.differences)} span difference(s)"
            done = {"accept": "accepted", "reject": "rejected", "ignore": "skipped"}
            self._say(warn(f"the answers differ: {names[0]} {done[a.answer]}, {names[1]} {done[b.answer]} ({spans}); "
                           "save as accept or as reject to decide"))
        elif self.differences:
            self._say(info(f"{len(self.differences)} difference{'s' * (len(self.differences) != 1)}: pick "
                           f"{names[0]} or {names[1]} for each"))
        else:
            self._say(info(f"the two versions agree (both {a.answer}): save to confirm"))
        self._render()

    @property
    def doc(self) -> Document | None:
        return Document(id=self.records[0].doc_id, text=self.records[0].text) if self.records else None

    def choose(self, index: int, side: Side) -> None:
        """Take side ``"a"`` or ``"b"`` for difference ``index``."""
        if side not in ("a", "b"):
            raise ValueError(f"side must be 'a' or 'b', not {side!r}")
        self.choices[index] = side
        self._render()

    def choose_all(self, side: Side) -> None:
        """Take one annotator's whole version."""
        for i in range(len(self.choices)):
            self.choices[i] = side
        self._render()

    def merged(self, *, partial: bool = False):
        """(entities, claims) of the reviewed version; raises while a difference is undecided
        (``partial``: the agreed items and the decided differences only)."""
        undecided = [i + 1 for i, c in enumerate(self.choices) if c is None]
        if undecided and not partial:
            a, b = self.annotators
            raise Undecided(f"difference(s) {undecided} are not decided yet: pick {a} or {b} for each, "
                             f"or take a whole version ('All from {a}' / 'All from {b}')")
        decided = [(d, c) for d, c in zip(self.differences, self.choices) if c is not None]
        return resolve(self.agreed_entities, self.agreed_claims, [d for d, _ in decided], [c for _, c in decided])

    def save(self, *, answer: str = "accept") -> Correction:
        """Write the reviewed version as one record by ``reviewer`` and move on."""
        if self.records is None:
            raise LookupError("no document to review")
        entities, claims = self.merged(partial=answer != "accept")  # a rejected document needs no decisions
        a, b = self.records
        record = Correction.create(
            self.doc, annotator=self.reviewer, answer=answer, entities=entities, claims=claims,  # type: ignore[arg-type]
            extractor=a.extractor or b.extractor,
            meta={"reviewed": list(self.annotators), "choices": [c or "" for c in self.choices],
                  "timestamps": [a.timestamp, b.timestamp]},
        )
        saved = self.store.append(record)
        self.saved.append(saved if isinstance(saved, Correction) else record)
        last = self.index + 1 >= len(self.doc_ids)
        if not last:
            self.index += 1
            self._load()
        self._say(ok(f"saved review of {record.doc_id}" + ("; that was the last document" if last else "")))
        self._render()
        return self.saved[-1]

    def next(self) -> None:
        if self.index + 1 >= len(self.doc_ids):
            self._say(warn("this is the last document to review"))
        else:
            self.index += 1
            self._load()
        self._render()

    def previous(self) -> None:
        if self.index == 0:
            self._say(warn("this is the first document to review"))
        else:
            self.index -= 1
            self._load()
        self._render()

    # -- view -----------------------------------------------------------------------------------------
    def _say(self, message: Message) -> None:
        self.level, self.message = message.level, message.text

    def _guard(self, call) -> None:
        try:
            call()
        except Undecided as err:  # what the reviewer can fix: said plainly, no traceback
            self._say(warn(str(err)))
            self._render()
        except Exception as err:  # noqa: BLE001 - callbacks must never fail silently
            self._say(Message(f"error: {type(err).__name__}: {err}", "error"))
            self.output.append_stderr(traceback.format_exc())
            self._render()

    def _column(self, side: int) -> str:
        record = self.records[side]
        diff_ents = {id(x) for d in self.differences for x in (d.a if side == 0 else d.b) if d.kind == "entity"}
        diff_claims = {id(x) for d in self.differences for x in (d.a if side == 0 else d.b) if d.kind == "claim"}
        ents = {i: "tk-diff" for i, e in enumerate(record.entities) if id(e) in diff_ents}
        claims = {i: "tk-diff-claim" for i, c in enumerate(record.claims) if id(c) in diff_claims}
        title = (f'<div class="tk-col-title">{html.escape(record.annotator)} · {html.escape(record.answer)} · '
                 f'{len(record.entities)} entities, {len(record.claims)} claims</div>')
        return title + render.document_html(record.text, record.entities, record.claims, colors=self._colors,
                                            entity_classes=ents, claim_classes=claims)

    def _render(self) -> None:
        n = len(self.doc_ids)
        doc_id = self.records[0].doc_id if self.records else "—"
        decided = sum(c is not None for c in self.choices)
        self.header.value = (f'<div class="tk-header"><span class="tk-docid">{html.escape(doc_id)}</span>'
                             f"<span>review {min(self.index + 1, n)} / {n}</span>"
                             f"<span>{decided} / {len(self.choices)} differences decided</span>"
                             f'<span class="tk-annotator">reviewer <b>{html.escape(self.reviewer)}</b></span></div>')
        if self.records:
            self.col_a.value, self.col_b.value = self._column(0), self._column(1)
        else:
            self.col_a.value = self.col_b.value = ""
        rows = []
        a, b = self.annotators
        for i, d in enumerate(self.differences):
            text = self.records[0].text
            info = widgets.HTML(
                f'<div class="tk-diff-row"><b>{i + 1}. {d.kind} · {html.escape(d.what.replace("only A", "only " + a).replace("only B", "only " + b))}</b><br>'
                f'<span class="tk-diff-a">{html.escape(a)}: {_describe(text, d.a)}</span><br>'
                f'<span class="tk-diff-b">{html.escape(b)}: {_describe(text, d.b)}</span></div>',
                layout=widgets.Layout(flex="1 1 auto"),
            )
            pick = widgets.ToggleButtons(options=[(a, "a"), (b, "b")], value=self.choices[i], style={"button_width": "auto"})
            pick.observe(lambda change, i=i: self._guard(lambda: self.choose(i, change["new"])) if change["new"] else None, "value")
            row = widgets.HBox([info, pick], layout=widgets.Layout(align_items="center", border_bottom="1px solid #e5e7eb"))
            row.add_class("tk-diff-item")
            rows.append(row)
        self.diff_box.children = rows
        self.save_button.disabled = self.records is None or any(c is None for c in self.choices)
        self.status.value = render.status_html(self.message, level=self.level)


def review(
    store: Any,
    doc_ids: Iterable[str] | None = None,
    *,
    annotators: tuple[str, str],
    reviewer: str = "review",
    labels: Sequence[str] | None = None,
    disagreements_only: bool = False,
) -> ReviewPanel:
    """Open a review panel on the documents both ``annotators`` answered.

    Args:
        store: a corrections store or a path to one.
        doc_ids: which documents (default: every document both annotators answered).
        annotators: the two annotators to compare, (A, B).
        reviewer: the annotator name of the records the panel writes.
        disagreements_only: leave out documents where the two versions agree.
    """
    from .api import open_store

    if len(annotators) != 2 or annotators[0] == annotators[1]:
        raise ValueError(f"annotators must be two different names, got {annotators!r}")
    the_store = open_store(store)
    a_latest = {c.doc_id: c for c in the_store.latest(annotator=annotators[0])}
    b_latest = {c.doc_id: c for c in the_store.latest(annotator=annotators[1])}
    wanted = list(doc_ids) if doc_ids is not None else sorted(a_latest)
    ids = [d for d in wanted if d in a_latest and d in b_latest]
    if disagreements_only:
        ids = [d for d in ids if compare(a_latest[d].entities, b_latest[d].entities, a_latest[d].claims, b_latest[d].claims)[2]]
    return ReviewPanel(the_store, ids, annotators=annotators, reviewer=reviewer, labels=labels)

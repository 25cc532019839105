"""The review panel: two annotators' versions side by side; the reviewer settles each difference.

The two texts and the list of differences sit side by side. Each difference is a decision
(take A's or B's version); two claims that match by content are one difference with a
decision per field that differs (content, kind, hedged, negated, speaker, cue). The merged
version (agreed items plus the decisions) can be opened in an annotation panel (the
``toolkit.widgets.annotate`` machinery: ``DocEdit``, its keys) to add, remove or relabel an
entity or fix a claim before it is saved; "Edit agreed only" starts from what both share.

Saving writes one record with annotator ``reviewer`` (default ``"review"``), which the
store's precedence rules rank above both annotators. Saving as reject or ignore needs no
decisions.

Keys (while the panel has focus; see ``static/review.js``): :data:`KEYS`.
"""
from __future__ import annotations

import html
import traceback
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Sequence

import anywidget
import ipywidgets as widgets
from traitlets import Enum, Int, List, TraitError, Unicode, validate

from ..types import Correction, Document, Extraction, ExtractorInfo
from . import render
from .colors import label_colors
from .diff import CLAIM_FIELDS, Choice, Difference, Side, compare, decided, resolve
from .actions import shown
from .messages import LEVELS, Message, info, ok, warn
from .tokens import Tokenize, spacy_tokenize
from .view import esm

STATIC = Path(__file__).parent / "static"
_STYLE = "<style>" + (STATIC / "panel.css").read_text(encoding="utf-8") + "</style>"
_DONE = {"accept": "accepted", "reject": "rejected", "ignore": "skipped"}

#: The review's keys, one row an action: (key descriptors, ReviewPanel method, arguments, what it
#: does). The dispatch (:data:`KEYS`), the keys the browser keeps from JupyterLab and the help
#: line (:data:`HELP`) are all read from it, as the annotation panel's are from ``actions.ACTIONS``.
REVIEW_KEYS: tuple[tuple[tuple[str, ...], str, tuple, str], ...] = (
    (("j", "]", "ArrowDown"), "move", (1,), "next difference"),
    (("k", "[", "ArrowUp"), "move", (-1,), "previous difference"),
    (("1", "a"), "take", ("a",), "take A's"),
    (("2", "b"), "take", ("b",), "take B's"),
    (("A",), "choose_all", ("a",), "all from A"),
    (("B",), "choose_all", ("b",), "all from B"),
    (("Enter", "s"), "save", (), "save"),
    (("r",), "save", ("reject",), "save as reject"),
    (("i",), "save", ("ignore",), "save as ignore"),
    (("e",), "edit", (), "edit the merged version"),
    (("n", "ArrowRight"), "next", (), "next document"),
    (("p", "ArrowLeft"), "previous", (), "previous document"),
)
#: key descriptor -> (ReviewPanel method, arguments)
KEYS: dict[str, tuple[str, tuple]] = {key: (method, args) for keys, method, args, _ in REVIEW_KEYS for key in keys}


def _review_help(mac: bool = False) -> tuple[tuple[str, str], ...]:
    """(keys as shown, what) for each row of :data:`REVIEW_KEYS`, and Esc; a shifted letter reads Shift+A (⇧A on a Mac)."""
    def name(key: str) -> str:
        return shown(f"shift+{key}" if len(key) == 1 and key.isupper() else key, mac)

    return tuple((" ".join(name(k) for k in keys), what) for keys, _, _, what in REVIEW_KEYS) + (("Esc", "back to the notebook"),)


HELP = _review_help()

class ReviewKeys(anywidget.AnyWidget):
    """The review's keyboard (``static/review.js``): sends ``{"type": "key", "key": ...}`` for the
    ``shortcuts`` and keeps every plain key from JupyterLab while the review has focus."""

    _esm = esm("keys.js", "review.js")
    shortcuts = List(help="key descriptors the review handles").tag(sync=True)

    def focus(self) -> None:
        self.send({"type": "focus"})


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
            flags = "".join(f", {f}" for f in ("hedged", "negated") if getattr(x, f))
            parts.append(f"{x.kind}{flags} “{render._excerpt(words, 90)}” · speaker <b>{speaker}</b> · cue <b>{cue}</b>")
    return "<br>".join(parts)


def _field_value(text: str, claim, field: str) -> str:
    """One claim field, as the review shows it (escaped)."""
    if field == "content":
        pieces = " … ".join(p.text(text) for p in claim.part_spans())
        return f"“{html.escape(render._excerpt(pieces, 70))}”"
    value = getattr(claim, field)
    if field in ("speaker", "cue"):
        return f"<b>{html.escape(value.text(text))}</b>" if value else '<span class="tk-missing">none</span>'
    return html.escape(str(value).lower() if isinstance(value, bool) else str(value))


class Undecided(ValueError):
    """Saving as accept while a difference has no side: the reviewer's to fix, not an error."""


class _EditorStore:
    """What the annotation panel opened on the merged version writes to: its answer becomes the review record."""

    def __init__(self, panel: "ReviewPanel") -> None:
        self.panel = panel

    def append(self, record: Correction) -> Correction:
        return self.panel._save_edited(record)

    def get(self, doc_id: str, annotator: str | None = None, text: str | None = None) -> None:
        return None

    def latest(self, annotator: str | None = None) -> list:
        return []


class ReviewPanel(widgets.VBox):
    """Adjudicate the documents two annotators both answered; build it with :func:`toolkit.widgets.review`.

    Python API: :attr:`differences`, :attr:`decisions`, :meth:`choose`, :meth:`choose_all`,
    :meth:`take`, :meth:`move`, :meth:`merged`, :meth:`edit`, :meth:`save`, :meth:`next`,
    :meth:`previous`, :meth:`press` (a key, as the browser sends it).
    """

    reviewer = Unicode("review", help="annotator name of the records this panel writes")
    index = Int(0, help="position in the list of documents to review")
    current = Int(0, help="the current decision (index into decisions), which keys 1/2 settle")
    message = Unicode("", help="the status line")
    level = Enum(LEVELS, default_value="info", help="the status line's level: info, ok, warn or error (messages.Level)")

    def __init__(self, store: Any, doc_ids: Sequence[str], *, annotators: tuple[str, str], reviewer: str = "review",
                 labels: Sequence[str] | None = None, tokenize: Tokenize = spacy_tokenize,
                 records: Mapping[str, tuple[Correction, Correction]] | None = None) -> None:
        self.store, self.doc_ids, self.annotators = store, list(doc_ids), annotators
        self.saved: list[Correction] = []
        self.labels = tuple(labels or ("PERSON", "ORG", "GPE", "LOC", "NORP", "DATE", "EVENT"))
        self._colors = label_colors(self.labels)
        self._tokenize = tokenize
        self._records = dict(records or {})
        self._syncing = False
        self.editor: Any = None
        self.records: tuple[Correction, Correction] | None = None
        self.differences: list[Difference] = []
        self.picks: list[dict[str, Side]] = []
        self.keyboard = ReviewKeys(shortcuts=list(KEYS))
        self.keyboard.on_msg(self._on_key_message)
        self.header = widgets.HTML()
        self.agreement = widgets.HTML()
        self.col_a, self.col_b = widgets.HTML(), widgets.HTML()
        self.diff_box = widgets.VBox()
        self.diff_box.add_class("tk-diff-list")
        self.status = widgets.HTML()
        self.help = widgets.HTML('<div class="tk-help">' + "".join(
            f'<span class="tk-help-group"><kbd>{html.escape(k)}</kbd> {html.escape(v)}</span>' for k, v in HELP) + "</div>")
        self.editor_box = widgets.VBox()
        self.output = widgets.Output(layout=widgets.Layout(max_height="160px", overflow="auto"))
        a, b = annotators

        def button(text: str, call, style: str = "", tip: str = "") -> widgets.Button:
            btn = widgets.Button(description=text, button_style=style, tooltip=tip, layout=widgets.Layout(width="auto"))
            btn.on_click(lambda _: (self._guard(call), self.keyboard.focus()))
            return btn

        self.save_button = button("Save review", lambda: self.save(), "success", "save the merged version (Enter or s)")
        self.edit_button = button("Edit merged", lambda: self.edit(), "", "open the merged version in an annotation panel (e)")
        toolbar = widgets.HBox([
            button("← Prev", self.previous, tip="previous document (p)"), button("Next →", self.next, tip="next document (n)"),
            button(f"All from {a}", lambda: self.choose_all("a"), tip="⇧A"), button(f"All from {b}", lambda: self.choose_all("b"), tip="⇧B"),
            self.edit_button, button("Edit agreed only", lambda: self.edit("agreed"), tip="start the merged version from what both share"),
            self.save_button, button("Save as reject", lambda: self.save(answer="reject"), "danger", "r: needs no decisions"),
            button("Save as ignore", lambda: self.save(answer="ignore"), "", "i: needs no decisions"),
        ])
        toolbar.add_class("tk-toolbar")
        self.col_a.layout = widgets.Layout(flex="1 1 0", min_width="0")
        self.col_b.layout = widgets.Layout(flex="1 1 0", min_width="0")
        self.diff_box.layout = widgets.Layout(flex="0 0 340px", max_height="62vh", overflow="auto")
        body = widgets.HBox([self.col_a, self.col_b, self.diff_box])
        body.add_class("tk-review-body")
        top = widgets.HBox([self.header, self.keyboard])
        top.add_class("tk-review-top")
        super().__init__([widgets.HTML(_STYLE), top, self.agreement, body, toolbar, self.status, self.help,
                          self.editor_box, self.output])
        self.add_class("tk-panel")
        self.add_class("tk-review")
        self.reviewer = reviewer
        self._overall = self._agreement_figures(None)
        self._guard(self._load)

    @validate("reviewer")
    def _valid_reviewer(self, proposal):
        name = proposal["value"].strip()
        if not name or name in self.annotators:
            raise TraitError(f"reviewer must be a name other than the annotators {self.annotators}, got {proposal['value']!r}")
        return name

    # -- state --------------------------------------------------------------------------------
    def _pair(self, doc_id: str) -> tuple[Correction, Correction]:
        if doc_id in self._records:
            return self._records[doc_id]
        a = self.store.get(doc_id, annotator=self.annotators[0])
        b = self.store.get(doc_id, annotator=self.annotators[1])
        if a is None or b is None:
            raise LookupError(f"{doc_id}: the store has no record of {self.annotators[0] if a is None else self.annotators[1]}")
        return a, b

    def _load(self) -> None:
        self._close_editor()
        self.output.outputs = ()  # an earlier document's traceback does not stay on this one
        self.records = None
        self.differences, self.picks = [], []
        self.current = 0
        if not self.doc_ids:
            self._say(warn(f"no document has records from both {self.annotators[0]} and {self.annotators[1]}"))
            self._build_rows()
            self._render()
            return
        a, b = self._pair(self.doc_ids[self.index])
        if a.text_sha256 != b.text_sha256:
            self._build_rows()
            raise ValueError(f"{a.doc_id}: the annotators worked on different texts (text_sha256 differ); fix the corpus before review")
        self.records = (a, b)
        self._this = self._agreement_figures(self.records)  # once per document, not per key
        self.agreed_entities, self.agreed_claims, self.differences = compare(a.entities, b.entities, a.claims, b.claims)
        self.picks = [{} for _ in self.differences]
        names = self.annotators
        n = len(self.decisions)
        if a.answer != b.answer:
            spans = "their spans agree" if not self.differences else f"{n} difference(s) to decide for an accept"
            self._say(warn(f"the answers differ: {names[0]} {_DONE[a.answer]}, {names[1]} {_DONE[b.answer]} ({spans}); "
                           "save as accept (Enter) or as reject (r) to decide"))
        elif self.differences:
            self._say(info(f"{n} decision{'s' * (n != 1)}: take {names[0]}'s (1) or {names[1]}'s (2) for each; "
                           "j/k move between them"))
        else:
            self._say(info(f"the two versions agree (both {a.answer}): save to confirm"))
        self._build_rows()
        self._render()

    @property
    def doc(self) -> Document | None:
        return Document(id=self.records[0].doc_id, text=self.records[0].text) if self.records else None

    @property
    def decisions(self) -> list[tuple[int, str]]:
        """(difference index, field) per decision; field ``""`` for a difference decided as a whole."""
        return [(i, f) for i, d in enumerate(self.differences) for f in (d.fields or ("",))]

    @property
    def choices(self) -> list[Choice]:
        """Per difference: ``"a"``/``"b"`` (all of it from one side), ``{field: side}`` (a claim pair
        decided field by field, from both sides) or None while undecided."""
        out: list[Choice] = []
        for d, p in zip(self.differences, self.picks):
            keys = d.fields or ("",)
            if any(k not in p for k in keys):
                out.append(None)
            elif len({p[k] for k in keys}) == 1:
                out.append(p[keys[0]])
            else:
                out.append({k: p[k] for k in keys})
        return out

    def choose(self, index: int, side: Side, field: str | None = None) -> None:
        """Take side ``"a"`` or ``"b"`` for difference ``index`` (of a claim pair: for ``field`` only, or all of it)."""
        if side not in ("a", "b"):
            raise ValueError(f"side must be 'a' or 'b', not {side!r}")
        d = self.differences[index]
        if field is not None and field not in d.fields:
            raise ValueError(f"difference {index + 1} has no field {field!r} to decide"
                             + (f": its fields are {', '.join(d.fields)}" if d.fields else ""))
        for key in ([field] if field is not None else (d.fields or ("",))):
            self.picks[index][key] = side
        self._render()

    def choose_all(self, side: Side) -> None:
        """Take one annotator's whole version."""
        for i in range(len(self.differences)):
            self.choose(i, side)

    def take(self, side: Side) -> Message:
        """Settle the current decision with ``side`` and move to the next undecided one."""
        if not self.differences:
            return self._tell(info("no difference to decide on this document: save (Enter) to confirm"))
        i, field = self.decisions[self.current]
        self.choose(i, side, field or None)
        left = [k for k, (j, f) in enumerate(self.decisions) if (f or "") not in self.picks[j]]
        if left:
            after = [k for k in left if k > self.current]
            self.current = (after or left)[0]
        name = self.annotators[0 if side == "a" else 1]
        what = f"{i + 1}" + (f" ({field})" if field else "")
        done = "all decided: save with Enter" if not left else f"{len(left)} left"
        return self._tell(ok(f"difference {what}: {name}'s · {done}"))

    def move(self, step: int) -> Message:
        """Make the next (``step`` 1) or previous (-1) decision current, wrapping."""
        n = len(self.decisions)
        if not n:
            return self._tell(info("no difference on this document"))
        self.current = (self.current + step) % n
        i, field = self.decisions[self.current]
        return self._tell(info(f"difference {i + 1}" + (f", {field}" if field else "") + f" ({self.current + 1} of {n} decisions)"))

    def merged(self, *, partial: bool = False):
        """(entities, claims) of the reviewed version; raises while a difference is undecided
        (``partial``: the agreed items and the decided differences only)."""
        choices = self.choices
        undecided = [i + 1 for i, (d, c) in enumerate(zip(self.differences, choices)) if not decided(d, c)]
        if undecided and not partial:
            a, b = self.annotators
            raise Undecided(f"difference(s) {undecided} are not decided yet: pick {a} or {b} for each (keys 1/2, "
                            f"j/k to move), take a whole version ('All from {a}' / 'All from {b}'), "
                            "or save as reject (r) or ignore (i), which need no decisions")
        kept = [(d, c) for d, c in zip(self.differences, choices) if decided(d, c)]
        return resolve(self.agreed_entities, self.agreed_claims, [d for d, _ in kept], [c for _, c in kept],
                       names=self.annotators)

    def _write(self, answer: str, entities, claims, **meta: Any) -> Correction:
        a, b = self.records  # type: ignore[misc]
        record = Correction.create(
            self.doc, annotator=self.reviewer, answer=answer, entities=entities, claims=claims,  # type: ignore[arg-type]
            extractor=a.extractor or b.extractor,
            meta={"reviewed": list(self.annotators), "choices": [c or "" for c in self.choices],
                  "timestamps": [a.timestamp, b.timestamp], **meta},
        )
        saved = self.store.append(record)
        self.saved.append(saved if isinstance(saved, Correction) else record)
        self.output.outputs = ()  # saved: an earlier traceback is over
        last = self.index + 1 >= len(self.doc_ids)
        if not last:
            self.index += 1
            self._load()
        else:
            self._close_editor()
        self._say(ok(f"saved review of {record.doc_id} ({answer})" + ("; that was the last document" if last else "")))
        self._render()
        return self.saved[-1]

    def save(self, answer: str = "accept") -> Correction:
        """Write the reviewed version as one record by ``reviewer`` and move on; ``answer``
        ``"reject"`` or ``"ignore"`` needs no decisions (it keeps the agreed and decided items)."""
        if answer not in _DONE:
            raise ValueError(f"answer must be accept, reject or ignore, not {answer!r}")
        if self.records is None:
            raise LookupError("no document to review")
        if self.editor is not None:
            raise Undecided("the merged version is open in the editor below: answer it there (a accept, r reject, "
                            "s skip) to save it, or press 'Close editor' to drop those edits")
        entities, claims = self.merged(partial=answer != "accept")
        return self._write(answer, entities, claims)

    # -- correcting the merged version ------------------------------------------------------------
    def edit(self, start: str = "merged") -> Any:
        """Open the merged version (``start``: ``"merged"`` the agreed items and the decisions so far,
        ``"agreed"`` the agreed items only, ``"a"``/``"b"`` one annotator's version) in an
        annotation panel below; its accept / reject / skip saves the review record."""
        from .api import annotate

        if self.records is None:
            raise LookupError("no document to review")
        a, b = self.records
        if start == "merged":
            entities, claims = self.merged(partial=True)
        elif start == "agreed":
            entities, claims = list(self.agreed_entities), list(self.agreed_claims)
        elif start in ("a", "b"):
            rec = a if start == "a" else b
            entities, claims = list(rec.entities), list(rec.claims)
        else:
            raise ValueError(f"start must be 'merged', 'agreed', 'a' or 'b', not {start!r}")
        extraction = Extraction(self.doc, entities=tuple(entities), claims=tuple(claims),  # type: ignore[arg-type]
                                extractor=a.extractor or b.extractor or ExtractorInfo("review", "0"))
        self._close_editor()
        self._edit_start = start
        self.editor = annotate([extraction], store=_EditorStore(self), annotator=self.reviewer, labels=self.labels,
                               prefill=None, skip_done=False, total=1, tokenize=self._tokenize)
        close = widgets.Button(description="Close editor", tooltip="drop the edits; back to the decisions",
                               layout=widgets.Layout(width="auto"))
        close.on_click(lambda _: self._guard(lambda: (self._close_editor(), self._tell(info("editor closed: edits dropped")))))
        what = {"merged": "the merged version", "agreed": "the agreed items only", "a": f"{a.annotator}'s version",
                "b": f"{b.annotator}'s version"}[start]
        note = widgets.HTML(f'<div class="tk-review-editing">Correcting {html.escape(what)} of <b>{html.escape(a.doc_id)}</b>: '
                            "edit it with the annotation keys, then <kbd>a</kbd> saves it as the review (accept), "
                            "<kbd>r</kbd> as reject, <kbd>s</kbd> as ignore.</div>")
        self.editor_box.children = [widgets.HBox([note, close]), self.editor]
        self.editor.view.focus()
        return self._tell(info(f"{what} is open in the editor below"))

    def _save_edited(self, record: Correction) -> Correction:
        """The editor's answer: the review record, with the reviewer's edits."""
        return self._write(record.answer, record.entities, record.claims, edited=self._edit_start)

    def _close_editor(self) -> None:
        self.editor = None
        self.editor_box.children = ()

    # -- navigation ------------------------------------------------------------------------------------
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

    def press(self, key: str) -> None:
        """Run the action of a key descriptor (see :data:`KEYS`), as the browser sends it."""
        if key in KEYS:
            name, args = KEYS[key]
            self._guard(lambda: getattr(self, name)(*args))

    def _on_key_message(self, _widget: Any, content: Mapping[str, Any], _buffers: Any) -> None:
        if content.get("type") == "key" and isinstance(content.get("key"), str):
            self.press(content["key"])
        else:
            self._say(Message(f"error: unknown message from the browser: {content!r}", "error"))
            self._render()

    # -- view -----------------------------------------------------------------------------------------
    def _say(self, message: Message) -> None:
        self.level, self.message = message.level, message.text

    def _tell(self, message: Message) -> Message:
        self._say(message)
        self._render()
        return message

    def _guard(self, call: Callable[[], Any]) -> None:
        try:
            call()
        except Undecided as err:  # what the reviewer can fix: said plainly, no traceback
            self._say(warn(str(err)))
            self._render()
        except Exception as err:  # noqa: BLE001 - callbacks must never fail silently
            self._say(Message(f"error: {type(err).__name__}: {err}", "error"))
            self.output.append_stderr(traceback.format_exc())
            self._render()

    def _agreement_figures(self, pair: tuple[Correction, Correction] | None) -> str:
        """Span F1 / token kappa / claim F1 / same answer, of one document (``pair``) or of every document in review."""
        try:
            from ..analysis.agreement import agreement

            pairs = [pair] if pair is not None else [self._pair(d) for d in self.doc_ids]
            pairs = [p for p in pairs if p[0].text_sha256 == p[1].text_sha256]
            if not pairs:
                return "—"
            report = agreement([r for p in pairs for r in p], annotators=self.annotators)
            fmt = lambda v: "—" if v is None else f"{v:.2f}"  # noqa: E731
            same = report.value("answer_agreement", "answer")
            if report.value("entity_f1") is None and report.value("claim_f1", "claims") is None:
                return f"answers agree {fmt(same)} (no document both accepted)"
            parts = [f"entity F1 {fmt(report.value('entity_f1'))}", f"κ {fmt(report.value('entity_kappa'))}",
                     f"claim F1 {fmt(report.value('claim_f1', 'claims'))}"]
            if pair is None:
                parts.append(f"same answer {round(100 * (same or 0))}%")
            return ", ".join(parts)
        except Exception as err:  # noqa: BLE001 - figures are a help, never a reason the panel fails
            return f"unavailable ({type(err).__name__}: {err})"

    def _build_rows(self) -> None:
        """The differences list of the document on screen (rebuilt per document; updated in place by :meth:`_render`)."""
        a, b = self.annotators
        self._pickers: dict[tuple[int, str], widgets.ToggleButtons] = {}
        self._lines: dict[tuple[int, str], widgets.Widget] = {}
        rows: list[widgets.Widget] = []
        if self.records and self.records[0].answer != self.records[1].answer:
            ra, rb = self.records
            flag = widgets.HTML(f'<div class="tk-diff-row"><b>answer</b> · {html.escape(a)} {_DONE[ra.answer]}, '
                                f'{html.escape(b)} {_DONE[rb.answer]}: “Save review” accepts, “Save as reject” rejects</div>')
            flag.add_class("tk-diff-answer")
            rows.append(flag)
        text = self.records[0].text if self.records else ""
        for i, d in enumerate(self.differences):
            what = d.what.replace("only A", "only " + a).replace("only B", "only " + b)
            head = widgets.HTML(
                f'<div class="tk-diff-row"><b>{i + 1}. {d.kind} · {html.escape(what)}</b><br>'
                f'<span class="tk-diff-a">{html.escape(a)}: {_describe(text, d.a)}</span><br>'
                f'<span class="tk-diff-b">{html.escape(b)}: {_describe(text, d.b)}</span></div>')
            children: list[widgets.Widget] = [head]
            whole = self._picker(i, None)
            self._pickers[(i, "*")] = whole
            if d.fields:
                children.append(widgets.HBox([widgets.HTML('<span class="tk-field-name">whole claim</span>'), whole]))
                for f in d.fields:
                    line = widgets.HBox([
                        widgets.HTML(f'<div class="tk-field-row"><span class="tk-field-name">{f}</span> '
                                     f'<span class="tk-diff-a">{_field_value(text, d.a[0], f)}</span> / '
                                     f'<span class="tk-diff-b">{_field_value(text, d.b[0], f)}</span></div>',
                                     layout=widgets.Layout(flex="1 1 auto")),
                        self._picker(i, f)])
                    line.add_class("tk-diff-field")
                    self._pickers[(i, f)] = line.children[1]  # type: ignore[assignment]
                    self._lines[(i, f)] = line
                    children.append(line)
            else:
                children.append(whole)
                self._lines[(i, "")] = whole
            row = widgets.VBox(children)
            row.add_class("tk-diff-item")
            self._lines[(i, "*")] = row
            rows.append(row)
        if not rows:
            rows.append(widgets.HTML('<div class="tk-diff-row tk-agree">no differences</div>' if self.records else ""))
        self.diff_box.children = rows

    def _picker(self, i: int, field: str | None) -> widgets.ToggleButtons:
        a, b = self.annotators
        pick = widgets.ToggleButtons(options=[(a, "a"), (b, "b")], value=None, style={"button_width": "auto"})

        def changed(change) -> None:
            if change["new"] and not self._syncing:
                self._guard(lambda: self.choose(i, change["new"], field))

        pick.observe(changed, "value")
        return pick

    def _column(self, side: int) -> str:
        record = self.records[side]  # type: ignore[index]
        now = self.decisions[self.current][0] if self.differences else -1
        cls: dict[int, str] = {}
        for k, d in enumerate(self.differences):
            for x in (d.a if side == 0 else d.b):
                cls[id(x)] = "tk-diff tk-diff-now" if k == now else "tk-diff"
        ents = {i: cls[id(e)] for i, e in enumerate(record.entities) if id(e) in cls}
        claims = {i: cls[id(c)].replace("tk-diff", "tk-diff-claim", 1) for i, c in enumerate(record.claims) if id(c) in cls}
        title = (f'<div class="tk-col-title">{html.escape(record.annotator)} · {html.escape(record.answer)} · '
                 f'{len(record.entities)} entities, {len(record.claims)} claims</div>')
        return title + render.document_html(record.text, record.entities, record.claims, colors=self._colors,
                                            entity_classes=ents, claim_classes=claims)

    def _render(self) -> None:
        n = len(self.doc_ids)
        doc_id = self.records[0].doc_id if self.records else "—"
        choices = self.choices
        done = sum(decided(d, c) for d, c in zip(self.differences, choices))
        self.header.value = (f'<div class="tk-header"><span class="tk-docid">{html.escape(doc_id)}</span>'
                             f"<span>review {min(self.index + 1, n)} / {n}</span>"
                             f"<span>{done} / {len(self.differences)} differences decided</span>"
                             f'<span class="tk-annotator">reviewer <b>{html.escape(self.reviewer)}</b></span></div>')
        if self.records:
            self.col_a.value, self.col_b.value = self._column(0), self._column(1)
            this = self._this
        else:
            self.col_a.value = self.col_b.value = ""
            this = "—"
        self.agreement.value = (f'<div class="tk-review-agreement"><b>agreement</b> this document: {html.escape(this)} · '
                                f"all {n} in review: {html.escape(self._overall)}</div>")
        self._syncing = True
        try:
            now = self.decisions[self.current] if self.differences else None
            for (i, f), pick in getattr(self, "_pickers", {}).items():
                value = choices[i] if f == "*" else self.picks[i].get(f)
                pick.value = value if value in ("a", "b") else None
            for (i, f), line in getattr(self, "_lines", {}).items():
                on = now is not None and (now == (i, f) or (f == "*" and now[0] == i))
                (line.add_class if on else line.remove_class)("tk-diff-cur")
        finally:
            self._syncing = False
        self.save_button.disabled = self.records is None or done < len(self.differences) or self.editor is not None
        self.status.value = render.status_html(self.message, level=self.level)


def review(
    store: Any,
    doc_ids: Iterable[str] | None = None,
    *,
    annotators: tuple[str, str],
    reviewer: str = "review",
    labels: Sequence[str] | None = None,
    disagreements_only: bool = False,
    tokenize: Tokenize = spacy_tokenize,
) -> ReviewPanel:
    """Open a review panel on the documents both ``annotators`` answered.

    Args:
        store: a corrections store or a path to one.
        doc_ids: which documents (default: every document both annotators answered).
        annotators: the two annotators to compare, (A, B).
        reviewer: the annotator name of the records the panel writes.
        labels: entity labels of the editor (number keys 1-9), when the merged version is corrected.
        disagreements_only: leave out documents where the two versions agree (spans and answer).
        tokenize: text -> token offsets, for snapping selections in the editor.
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
        ids = [d for d in ids if a_latest[d].answer != b_latest[d].answer
               or compare(a_latest[d].entities, b_latest[d].entities, a_latest[d].claims, b_latest[d].claims)[2]]
    return ReviewPanel(the_store, ids, annotators=annotators, reviewer=reviewer, labels=labels, tokenize=tokenize,
                       records={d: (a_latest[d], b_latest[d]) for d in ids})

"""The review (adjudication) panel, headless: saving without decisions, per-field claim
decisions, correcting the merged version, keys, layout, agreement figures."""
from __future__ import annotations

import html
import re

import pytest

from test_widgets import MERKEL, STATIC, merkel, store, words  # noqa: F401  (store is a fixture)
from toolkit.types import Claim, Correction, Document, Entity, Span
from toolkit.widgets import review
from toolkit.widgets.diff import compare, resolve

SPEAKER = Span(0, 13)  # "Angela Merkel"
CUE = Span(14, 18)  # "said"


def two(store, a_ents=(), b_ents=(), a_claims=(), b_claims=(), *, doc=None, a_answer="accept", b_answer="accept"):
    doc = doc or merkel().doc
    store.append(Correction.create(doc, annotator="ann", answer=a_answer, entities=list(a_ents), claims=list(a_claims)))
    store.append(Correction.create(doc, annotator="ben", answer=b_answer, entities=list(b_ents), claims=list(b_claims)))


def open_review(store, **options):
    options.setdefault("tokenize", words)
    return review(store, annotators=("ann", "ben"), **options)


# -- 17: saving as reject / ignore, messages, errors that do not stay ---------------------------


def test_reject_and_ignore_need_no_decisions_and_refusals_name_the_annotators_and_what_to_do(store):
    two(store, [Entity(0, 13, "PERSON")], [Entity(0, 13, "ORG")])
    two(store, [Entity(0, 5, "ORG")], [], doc=Document("other", "Acme Corp hired nobody."))
    panel = open_review(store)
    assert panel.differences and panel.choices == [None]
    panel.press("Enter")  # save as accept, undecided: refused, plainly, with the names and the way out
    assert panel.level == "warn" and "ValueError" not in panel.message
    assert "pick ann or ben" in panel.message and "reject" in panel.message and "All from ann" in panel.message
    assert not panel.output.outputs
    first = panel.save(answer="ignore")
    assert first.answer == "ignore" and first.entities == ()
    second = panel.save(answer="reject")
    assert second.answer == "reject"
    assert [c.answer for c in panel.saved] == ["ignore", "reject"]


def test_resolve_names_the_annotators_instead_of_a_and_b():
    agreed, claims, diffs = compare([Entity(0, 4, "ORG")], [Entity(0, 4, "GPE")], [], [])
    with pytest.raises(ValueError) as err:
        resolve(agreed, claims, diffs, [None], names=("ann", "ben"))
    assert "pick ann or ben" in str(err.value) and "A or B" not in str(err.value)


def test_an_error_box_does_not_stay_once_the_review_is_saved(store):
    two(store, [Entity(0, 13, "PERSON")], [Entity(0, 13, "PERSON")])
    panel = open_review(store)
    real = store.append
    calls = []

    def flaky(record):
        calls.append(record)
        if len(calls) == 1:
            raise OSError("disk full")
        return real(record)

    store.append = flaky
    panel._guard(panel.save)
    assert panel.level == "error" and panel.output.outputs  # the error and its traceback show...
    panel._guard(panel.save)  # ...until the save works (the last document: no new document is loaded)
    assert panel.level == "ok" and "saved review of merkel" in panel.message
    assert not panel.output.outputs


# -- 18: per-field claim decisions, correcting the merged version --------------------------------


def test_a_claim_pair_is_decided_field_by_field(store):
    a = Claim(42, 60, kind="direct", speaker=SPEAKER, cue=CUE)
    b = Claim(42, 60, kind="indirect", hedged=True, speaker=Span(7, 13), cue=CUE)
    two(store, a_claims=[a], b_claims=[b])
    panel = open_review(store)
    assert len(panel.differences) == 1 and panel.differences[0].fields == ("kind", "hedged", "speaker")
    assert [f for _, f in panel.decisions] == ["kind", "hedged", "speaker"]
    panel.choose(0, "a", "kind")
    panel.choose(0, "b", "hedged")
    assert panel.choices == [None] and panel.save_button.disabled
    panel.choose(0, "a", "speaker")
    assert panel.choices == [{"kind": "a", "hedged": "b", "speaker": "a"}] and not panel.save_button.disabled
    record = panel.save()
    (claim,) = store.get("merkel", annotator="review").claims
    assert (claim.kind, claim.hedged, claim.speaker, claim.cue) == ("direct", True, SPEAKER, CUE)
    assert record.meta["choices"] == [{"kind": "a", "hedged": "b", "speaker": "a"}]


def test_claims_matched_by_content_decide_the_content_too_and_others_stay_whole():
    a = [Claim(42, 60, kind="direct", speaker=SPEAKER), Claim(70, 80)]
    b = [Claim(41, 61, kind="direct", speaker=Span(7, 13))]
    _, _, diffs = compare([], [], a, b)
    assert [d.fields for d in diffs] == [("content", "speaker"), ()]
    _, claims = resolve([], [], diffs, [{"content": "b", "speaker": "a"}, "b"])
    assert [(c.start, c.end, c.speaker) for c in claims] == [(41, 61, SPEAKER)]


def test_the_merged_version_is_corrected_in_an_annotation_panel_and_saved_as_the_review(store):
    two(store, [Entity(0, 13, "PERSON"), Entity(34, 40, "GPE")], [Entity(0, 13, "PERSON"), Entity(34, 40, "ORG")],
        [Claim(42, 60, kind="direct", speaker=SPEAKER)], [Claim(42, 60, kind="direct", speaker=SPEAKER)])
    panel = open_review(store)
    panel.choose(0, "b")
    panel.press("e")  # the merged version (agreed + decisions) in an editor
    editor = panel.editor
    assert editor is not None and editor in panel.editor_box.children
    assert [(e.start, e.label) for e in editor.entities] == [(0, "PERSON"), (34, "ORG")]
    panel.press("s")  # the review's own save is refused while the editor is open: no second version
    assert panel.level == "warn" and "editor" in panel.message and not panel.saved
    editor.do("select", 87, 92)  # "Paris"
    editor.do("press", "3")  # GPE, by the annotation panel's keys
    editor.do("click_entity", 0)
    editor.do("press", "2")  # relabel: Angela Merkel -> ORG (a correction neither annotator made)
    editor.do("press", "]")  # the claim
    editor.do("press", "h")  # hedged
    editor.do("press", "a")  # accept: the review record
    stored = store.get("merkel", annotator="review")
    assert [(e.text(MERKEL), e.label) for e in stored.entities] == [("Angela Merkel", "ORG"), ("Berlin", "ORG"), ("Paris", "GPE")]
    assert stored.claims[0].hedged and stored.answer == "accept" and stored.meta["edited"] == "merged"
    assert stored.meta["reviewed"] == ["ann", "ben"] and panel.editor is None and not panel.editor_box.children


def test_the_editor_can_start_from_the_agreed_items_or_one_side(store):
    two(store, [Entity(0, 13, "PERSON"), Entity(34, 40, "GPE")], [Entity(0, 13, "PERSON"), Entity(34, 40, "ORG")])
    panel = open_review(store)
    panel.edit("agreed")
    assert [e.label for e in panel.editor.entities] == ["PERSON"]
    panel.edit("b")
    assert [e.label for e in panel.editor.entities] == ["PERSON", "ORG"]
    panel.editor.do("reject")
    assert store.get("merkel", annotator="review").answer == "reject"


# -- 19: keys, layout ------------------------------------------------------------------------------


def test_keys_move_between_decisions_take_a_side_and_save(store):
    two(store, [Entity(0, 13, "PERSON"), Entity(34, 40, "GPE")], [Entity(7, 13, "PERSON"), Entity(34, 40, "ORG")],
        [Claim(42, 60, kind="direct", speaker=SPEAKER)], [Claim(42, 60, kind="indirect", speaker=SPEAKER, hedged=True)])
    panel = open_review(store)
    assert len(panel.decisions) == 4  # span, label, and two fields of the claim
    assert "tk-diff-now" in panel.col_a.value  # the current difference is marked in the texts
    panel.press("j")
    assert panel.current == 1
    panel.press("2")  # ben's ORG for Berlin; moves to the next undecided
    assert panel.choices[1] == "b" and panel.current == 2
    panel.press("k")
    panel.press("k")
    panel.press("1")  # ann's PERSON span
    assert panel.current == 2  # the next undecided: the claim's kind
    panel.press("]")
    panel.press("b")  # ben's hedged; back to the one left, the kind
    assert panel.choices == ["a", "b", None] and panel.decisions[panel.current] == (2, "kind")
    panel.press("Enter")  # one field left: refused
    assert panel.level == "warn" and not panel.saved
    panel.press("a")
    panel.press("Enter")
    stored = store.get("merkel", annotator="review")
    assert [(e.start, e.label) for e in stored.entities] == [(0, "PERSON"), (34, "ORG")]
    assert (stored.claims[0].kind, stored.claims[0].hedged) == ("direct", True)


def test_the_browser_keys_are_the_key_table_and_a_key_message_runs_it(store):
    two(store, [Entity(0, 13, "PERSON")], [Entity(0, 13, "ORG")])
    panel = open_review(store)
    assert set(panel.keyboard.shortcuts) >= {"j", "k", "]", "[", "1", "2", "a", "b", "Enter", "s"}
    panel._on_key_message(None, {"type": "key", "key": "2"}, None)
    assert panel.choices == ["b"]
    panel._on_key_message(None, {"type": "key", "key": "s"}, None)
    assert store.get("merkel", annotator="review").entities[0].label == "ORG"


def test_every_review_key_runs_a_panel_method_and_is_in_the_help_line(store):
    from toolkit.widgets.review import HELP, KEYS, REVIEW_KEYS, ReviewPanel

    assert all(callable(getattr(ReviewPanel, method, None)) for method, _ in KEYS.values())
    assert len(KEYS) == sum(len(keys) for keys, *_ in REVIEW_KEYS)  # no key given twice
    assert ("Shift+A", "all from A") in HELP and ("j ] ↓", "next difference") in HELP
    two(store, [Entity(0, 13, "PERSON")], [Entity(0, 13, "ORG")])
    panel = open_review(store)
    assert all(html.escape(text) in panel.help.value for _, text in HELP)
    panel._on_key_message(None, {"type": "nonsense"}, None)  # said in the panel, not raised
    assert panel.level == "error" and "unknown message from the browser" in panel.message


def test_review_js_keeps_plain_keys_from_jupyterlab_and_passes_ctrl_alt_through():
    from toolkit.widgets.review import ReviewKeys

    js = ReviewKeys._esm  # keys.js + review.js
    assert "stopPropagation" in js and "ev.ctrlKey || ev.metaKey || ev.altKey" in js
    assert not re.search(r"innerHTML|insertAdjacentHTML|outerHTML", js)


def test_the_differences_list_sits_beside_both_texts(store):
    two(store, [Entity(0, 13, "PERSON")], [Entity(0, 13, "ORG")])
    panel = open_review(store)
    bodies = [c for c in panel.children if panel.col_a in getattr(c, "children", ())]
    assert len(bodies) == 1 and bodies[0].children == (panel.col_a, panel.col_b, panel.diff_box)
    css = (STATIC / "panel.css").read_text(encoding="utf-8")
    assert "1400px" in css.split("/* review */")[1]


# -- agreement figures, answers that differ -----------------------------------------------------------


def test_agreement_figures_and_answer_differences_are_shown(store):
    two(store, [Entity(0, 13, "PERSON"), Entity(34, 40, "GPE")], [Entity(0, 13, "PERSON"), Entity(34, 40, "ORG")])
    two(store, doc=Document("other", "Acme Corp hired nobody."), a_answer="reject")
    panel = open_review(store)
    assert "entity F1 0.50" in panel.agreement.value and "κ" in panel.agreement.value
    assert "same answer 50%" in panel.agreement.value
    panel.next()
    assert panel.differences == [] and panel.level == "warn" and "ann rejected, ben accepted" in panel.message
    rows = [getattr(r, "value", "") for r in panel.diff_box.children]
    assert any("answer" in v and "ann rejected" in v and "ben accepted" in v for v in rows)
    assert "agree" not in panel.message.replace("spans agree", "")

"""The annotation and review panels, driven headless through their Python API."""
from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

import pytest

from toolkit.types import Claim, Correction, Document, Entity, Extraction, ExtractorInfo, Span
from toolkit.widgets import annotate, has_label, has_speaker, review
from toolkit.widgets import render
from toolkit.widgets.diff import compare, resolve
from toolkit.widgets.state import DocEdit
from toolkit.widgets.tokens import TokenIndex

STATIC = Path(__file__).resolve().parents[1] / "toolkit" / "widgets" / "static"


def words(text: str):
    """A fast regex tokenizer for panel logic tests (the spaCy one is tested on its own)."""
    return [(m.start(), m.end()) for m in re.finditer(r"\w+|[^\w\s]", text)]


@pytest.fixture
def store(tmp_path):
    from toolkit.store import Corrections

    return Corrections(tmp_path / "annotations")


MERKEL = 'Angela Merkel said on Monday that Berlin "will not back down". Merkel met officials in Paris, not Parisians.'
#          0         1         2         3         4         5         6         7         8         9        10


def merkel() -> Extraction:
    return Extraction(
        Document("merkel", MERKEL),
        entities=(Entity(0, 13, "PERSON"), Entity(34, 40, "GPE")),
        claims=(Claim(42, 60, kind="direct", speaker=Span(0, 13), cue=Span(14, 18)),),
        extractor=ExtractorInfo("test", "1"),
    )


def make_docs(n: int, prefix: str = "doc"):
    for i in range(n):
        yield Document(f"{prefix}{i}", f"Officials in Paris met Angela Merkel on day {i}.")


def open_panel(store, source=None, **options):
    options.setdefault("tokenize", words)
    options.setdefault("annotator", "alice")
    return annotate(source if source is not None else [merkel()], store=store, **options)


def ent_texts(panel):
    return [(e.text(panel.doc.text), e.label) for e in panel.entities]


# -- entities -------------------------------------------------------------------------------


def test_selection_snaps_to_tokens_and_a_number_key_labels_it(store):
    panel = open_panel(store)
    panel.select(65, 68)  # "rke" inside the second "Merkel"
    assert panel.edit.selection == (63, 69)
    panel.press("1")
    assert ("Merkel", "PERSON") in ent_texts(panel)
    assert "added PERSON" in panel.message and "Merkel" in panel.status.value


def test_whitespace_only_selection_adds_nothing(store):
    panel = open_panel(store)
    panel.select(13, 14)
    assert panel.edit.selection is None
    assert panel.press("1").text == "current label PERSON"
    assert len(panel.entities) == 2


def test_click_relabel_remove_and_multi_level_undo_redo(store):
    panel = open_panel(store)
    panel.click_entity(1)
    panel.press("2")
    assert ent_texts(panel)[1] == ("Berlin", "ORG")
    panel.click_entity(0)
    panel.press("x")
    assert ent_texts(panel) == [("Berlin", "ORG")]
    panel.press("z")
    panel.press("z")
    assert ent_texts(panel) == [("Angela Merkel", "PERSON"), ("Berlin", "GPE")]
    panel.press("y")
    assert ent_texts(panel)[1] == ("Berlin", "ORG")


def test_adding_over_an_entity_replaces_the_overlapped_one_in_one_undo_step(store):
    panel = open_panel(store)
    panel.select(7, 13)  # "Merkel" inside "Angela Merkel"
    message = panel.press("1").text
    assert "replaced 1 overlapping entity" in message
    assert ent_texts(panel)[0] == ("Merkel", "PERSON")
    panel.undo()
    assert ent_texts(panel)[0] == ("Angela Merkel", "PERSON")


def test_label_every_occurrence_is_token_aligned_and_leaves_other_entities_alone(store):
    text = "Paris said Paris is not Parisian. Paris Hilton visited Paris."
    ex = Extraction(Document("p", text), entities=(Entity(0, 5, "GPE"), Entity(34, 46, "PERSON")))
    panel = open_panel(store, [ex])
    panel.click_entity(0)
    message = panel.press("e").text
    assert [(e.start, e.label) for e in panel.entities] == [(0, "GPE"), (11, "GPE"), (34, "PERSON"), (55, "GPE")]
    assert "added 2" in message and "skipped 1" in message
    panel.undo()
    assert len(panel.entities) == 2


def test_shift_arrows_move_entity_boundaries_by_tokens(store):
    panel = open_panel(store)
    panel.click_entity(0)  # Angela Merkel
    panel.press("shift+ArrowLeft")
    assert ent_texts(panel)[0] == ("Angela", "PERSON")
    panel.press("shift+ArrowRight")
    panel.press("shift+ArrowRight")
    assert ent_texts(panel)[0] == ("Angela Merkel said", "PERSON")
    panel.press("alt+shift+ArrowRight")
    assert ent_texts(panel)[0] == ("Merkel said", "PERSON")
    panel.press("alt+shift+ArrowLeft")
    assert ent_texts(panel)[0] == ("Angela Merkel said", "PERSON")


def test_invalid_state_is_rejected_by_validation():
    from traitlets import TraitError

    edit = DocEdit("one two three", tokenize=words)
    with pytest.raises(TraitError, match="overlap"):
        edit.entities = (Entity(0, 7, "ORG"), Entity(4, 13, "ORG"))
    with pytest.raises(TraitError, match="outside the text"):
        edit.selection = (5, 99)


# -- claims ----------------------------------------------------------------------------------


def test_claim_speaker_cue_content_kind_hedged_by_keys(store):
    panel = open_panel(store)
    panel.click_claim(0)
    panel.select(7, 13)
    panel.press("w")
    assert panel.claims[0].speaker == Span(7, 13)
    panel.select(29, 33)  # "that"
    panel.press("c")
    assert panel.claims[0].cue == Span(29, 33)
    panel.select(43, 54)  # "ill not bac" -> "will not back"
    panel.press("t")
    assert (panel.claims[0].start, panel.claims[0].end) == (42, 55)
    panel.press("k")
    panel.press("h")
    assert panel.claims[0].kind == "indirect" and panel.claims[0].hedged
    panel.press("C")
    assert panel.claims[0].cue is None
    row = panel.view.claims[0]
    assert row["speaker"] == "Merkel" and row["kind"] == "indirect" and row["sel"]


def test_add_a_missing_claim_and_delete_a_false_one(store):
    panel = open_panel(store)
    panel.select(64, 107)  # "Merkel met officials in Paris, not Parisians"
    message = panel.press("q").text
    assert message.startswith("added an indirect claim")
    assert len(panel.claims) == 2 and panel.edit.claim == 1
    panel.press("Backspace")
    assert len(panel.claims) == 1
    panel.select(43, 59)
    panel.press("q")
    assert panel.claims[0].kind == "direct"  # inside quote marks


# -- answers, store, navigation ------------------------------------------------------------------


def test_accept_saves_one_record_with_the_edits_and_moves_on(store):
    second = Extraction(Document("second", "The UN said nothing."))
    panel = open_panel(store, [merkel(), second])
    panel.click_entity(1)
    panel.press("2")
    panel.press("a")
    record = store.get("merkel", annotator="alice")
    assert record.answer == "accept" and record.annotator == "alice"
    assert [(e.start, e.end, e.label) for e in record.entities] == [(0, 13, "PERSON"), (34, 40, "ORG")]
    assert record.claims[0].speaker == Span(0, 13)
    assert record.extractor == ExtractorInfo("test", "1")
    assert panel.doc.id == "second"
    panel.press("r")
    assert store.get("second", annotator="alice").answer == "reject"
    assert len(store.latest(annotator="alice")) == 2
    assert panel.progress == {"done": 2, "total": 2, "position": 2, "accept": 1, "reject": 1, "ignore": 0}
    assert "No more documents" in panel.view.empty


def test_skip_saves_an_ignore_record(store):
    panel = open_panel(store)
    panel.press("s")
    assert store.get("merkel", annotator="alice").answer == "ignore"


def test_navigation_with_lookback(store):
    docs = [Extraction(d) for d in make_docs(5)]
    panel = open_panel(store, docs, history=2)
    panel.select(13, 18)
    panel.press("2")
    panel.press("n")
    panel.press("ArrowRight")
    assert panel.doc.id == "doc2"
    panel.press("p")
    assert panel.doc.id == "doc1"
    panel.press("ArrowLeft")
    assert "no earlier document kept" in panel.message  # doc0 fell out of the 2-document look-back
    panel.press("n")
    panel.press("z")  # no edits on doc2: undo stays here and says so (it never undoes another document's edit)
    assert panel.doc.id == "doc2" and "nothing to undo on this document" in panel.message


def test_a_huge_generator_is_pulled_lazily(store):
    pulled = itertools.count()

    def corpus():
        for doc in make_docs(100_000):
            next(pulled)
            yield Extraction(doc)

    panel = open_panel(store, corpus())
    for _ in range(5):
        panel.press("n")
    assert panel.doc.id == "doc5"
    assert next(pulled) <= 8
    assert len(panel.queue.items) <= 50 and panel.progress["total"] is None


def test_documents_are_extracted_lazily_one_at_a_time(store):
    calls = []

    class Extractor:
        def extract(self, doc):
            calls.append(doc.id)
            return Extraction(doc, entities=(Entity(13, 18, "GPE", origin="rules", score=0.5),))

    panel = open_panel(store, make_docs(1000), extractor=Extractor())
    panel.press("n")
    assert calls == ["doc0", "doc1"]
    assert ent_texts(panel) == [("Paris", "GPE")]


def test_resume_skips_what_this_annotator_answered(store):
    docs = [Extraction(d) for d in make_docs(4)]
    first = open_panel(store, docs)
    first.press("a")
    first.press("s")
    store.append(Correction.create(docs[2].doc, annotator="bob", answer="accept"))
    again = open_panel(store, docs)
    assert again.doc.id == "doc2"  # bob's record does not count as alice's
    assert again.progress["done"] == 2 and again.progress["accept"] == 1 and again.progress["ignore"] == 1
    assert open_panel(store, docs, annotator="bob").doc.id == "doc0"


def test_stored_correction_wins_over_the_extractor(store):
    ex = merkel()
    store.append(Correction.create(ex.doc, annotator="alice", entities=[Entity(0, 6, "PERSON")]))
    panel = open_panel(store, [ex], skip_done=False)
    assert ent_texts(panel) == [("Angela", "PERSON")]
    assert "stored: accept" in panel.header.value


def test_filters_by_label_speaker_and_lowest_score_first(store):
    a = Extraction(Document("a", "Paris."), entities=(Entity(0, 5, "GPE", score=0.9),))
    b = Extraction(Document("b", "Acme."), entities=(Entity(0, 4, "ORG", score=0.2),))
    c = Extraction(Document("c", "Nothing."))
    assert open_panel(store, [a, b, c], filter=has_label("ORG")).doc.id == "b"
    assert open_panel(store, [c, merkel()], filter=has_speaker("merkel")).doc.id == "merkel"
    panel = open_panel(store, [a, c, b], order="lowest_score")
    seen = [panel.doc.id]
    for _ in range(2):
        panel.next()
        seen.append(panel.doc.id)
    assert seen == ["b", "a", "c"]


# -- safety and errors --------------------------------------------------------------------------


EVIL = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2"> & "quotes"'


def test_render_functions_escape_document_text():
    ents = [Entity(0, 8, "ORG"), Entity(33, 71, 'X"><script>')]
    page = render.document_html(EVIL, ents, [], colors={"ORG": ("#ffffff", "#000000")})
    assert "<script>" not in page and "<img" not in page
    assert "&lt;script&gt;" in page and "&lt;img src=x onerror=" in page
    assert "<script>" not in render.progress_html(doc_id="<script>", position=0, done=0, total=None, counts={}, annotator="<b>")
    assert "<img" not in render.status_html("<img src=x>")
    assert "".join(s["t"] for s in render.segments(EVIL, ents[:1], [])) == EVIL  # plain text for textContent


def test_browser_code_never_writes_html():
    from toolkit.widgets.review import ReviewKeys
    from toolkit.widgets.view import DocumentView

    js = DocumentView._esm + ReviewKeys._esm
    assert "innerHTML" not in js and "outerHTML" not in js and "insertAdjacentHTML" not in js


def test_callback_errors_reach_the_error_line_and_the_log(store):
    panel = open_panel(store)
    panel._on_view_message(None, {"type": "entity", "index": 99}, None)
    assert panel.level == "error" and "click_entity failed" in panel.message
    assert "tk-status-error" in panel.status.value
    assert any("Traceback" in o.get("text", "") for o in panel.output.outputs)


def test_browser_messages_drive_the_panel(store):
    panel = open_panel(store)
    panel._on_view_message(None, {"type": "select", "start": 63, "end": 66}, None)
    panel._on_view_message(None, {"type": "key", "key": "3"}, None)
    assert ("Merkel", "GPE") in ent_texts(panel)
    panel._on_view_message(None, {"type": "label", "label": "ORG"}, None)
    assert panel.label == "ORG"
    seg = next(s for s in panel.view.segments if s.get("cur"))
    assert seg["t"] == "Merkel" and seg["l"] == "ORG"


def test_annotator_is_required(store):
    from traitlets import TraitError

    with pytest.raises(TraitError, match="annotator"):
        open_panel(store, annotator=" ")


# -- tokens ------------------------------------------------------------------------------------


def test_default_tokenizer_snaps_like_extraction_does():
    index = TokenIndex("Talks on U.S.-Vietnam trade.")
    assert index.snap(15, 18) == (14, 21)  # "Vietnam" is its own token
    text = "a Paris Parisian Paris"
    assert TokenIndex(text).occurrences(text, "Paris") == [(2, 7), (17, 22)]


# -- review ------------------------------------------------------------------------------------


def test_compare_groups_overlapping_differences():
    a = [Entity(0, 13, "PERSON"), Entity(34, 40, "GPE"), Entity(70, 75, "GPE")]
    b = [Entity(7, 13, "PERSON"), Entity(34, 40, "ORG"), Entity(70, 75, "GPE"), Entity(90, 95, "GPE")]
    agreed, _, diffs = compare(a, b, [], [])
    assert agreed == [Entity(70, 75, "GPE")]
    assert [d.what for d in diffs] == ["span", "label", "only B"]
    ents, _ = resolve(agreed, [], diffs, ["a", "b", "a"])
    assert [(e.start, e.label) for e in ents] == [(0, "PERSON"), (34, "ORG"), (70, "GPE")]
    with pytest.raises(ValueError, match="no choice yet"):
        resolve(agreed, [], diffs, ["a", None, "a"])


def test_review_panel_writes_a_review_record(store):
    doc = merkel().doc
    store.append(Correction.create(doc, annotator="alice", entities=[Entity(0, 13, "PERSON"), Entity(34, 40, "GPE")],
                                   claims=[Claim(42, 60, kind="direct", speaker=Span(0, 13))]))
    store.append(Correction.create(doc, annotator="bob", entities=[Entity(0, 13, "PERSON"), Entity(34, 40, "ORG")],
                                   claims=[Claim(42, 60, kind="direct", speaker=Span(7, 13), hedged=True)]))
    panel = review(store, annotators=("alice", "bob"))
    assert [d.what for d in panel.differences] == ["label", "claim details"]
    assert panel.save_button.disabled
    assert "tk-diff" in panel.col_a.value and "tk-diff" in panel.col_b.value
    panel.choose(0, "b")
    panel.choose(1, "a")
    record = panel.save()
    stored = store.get("merkel", annotator="review")
    assert stored is not None and record.annotator == "review"
    assert [(e.start, e.label) for e in stored.entities] == [(0, "PERSON"), (34, "ORG")]
    assert stored.claims[0].speaker == Span(0, 13) and not stored.claims[0].hedged
    assert stored.meta["reviewed"] == ["alice", "bob"]


def test_review_whole_version_and_escaping(store):
    doc = Document("evil", EVIL)
    store.append(Correction.create(doc, annotator="alice", entities=[Entity(0, 8, "ORG")]))
    store.append(Correction.create(doc, annotator="bob"))
    panel = review(store, annotators=("alice", "bob"), reviewer="carol")
    assert "<script>" not in panel.col_a.value and "&lt;script&gt;" in panel.col_a.value
    panel.choose_all("b")
    assert panel.save().entities == ()
    assert store.get("evil", annotator="carol") is not None


def test_review_flags_answers_that_differ_even_when_the_spans_agree(store):
    doc = merkel().doc
    store.append(Correction.create(doc, annotator="alice", answer="reject"))
    store.append(Correction.create(doc, annotator="bob"))
    panel = review(store, annotators=("alice", "bob"))
    assert panel.differences == [] and "agree" not in panel.message.replace("spans agree", "")
    assert panel.level == "warn" and "alice rejected, bob accepted" in panel.message


def test_review_save_as_reject_needs_no_decisions_and_refusals_name_the_annotators(store):
    doc = merkel().doc
    store.append(Correction.create(doc, annotator="alice", entities=[Entity(0, 13, "PERSON")]))
    store.append(Correction.create(doc, annotator="bob", entities=[Entity(0, 13, "ORG")]))
    panel = review(store, annotators=("alice", "bob"))
    panel._guard(lambda: panel.save())  # accept with an undecided difference: refused, plainly
    assert panel.level == "warn" and "pick alice or bob" in panel.message and "ValueError" not in panel.message
    assert not panel.output.outputs  # no traceback for a refusal
    record = panel.save(answer="reject")
    assert record.answer == "reject" and record.entities == ()


@pytest.mark.parametrize(
    "selected, kind, content",
    [
        ("we will win", "direct", "we will win"),  # exactly mark to mark
        ('"we will win"', "direct", "we will win"),  # the marks selected too: taken off
        ("will win", "direct", "will win"),  # words just inside the quote
        ("talks went well", "indirect", "talks went well"),
    ],
)
def test_a_claim_made_from_a_selection_inside_quotes_is_direct(selected, kind, content):
    from toolkit.widgets.claim_edits import add_claim
    from toolkit.widgets.state import DocEdit

    text = 'Merkel said "we will win" and added that talks went well.'
    edit = DocEdit(text, tokenize=words)
    start = text.index(selected)
    edit.select(start, start + len(selected))
    message = add_claim(edit)
    claim = edit.claims[-1]
    assert (claim.kind, text[claim.start : claim.end]) == (kind, content)
    assert message.text.startswith(f"added {'an' if kind == 'indirect' else 'a'} {kind} claim")


def test_the_end_screen_has_no_position_past_the_end_and_no_answer_buttons(store):
    docs = [Extraction(d) for d in make_docs(2)]
    panel = open_panel(store, docs)
    panel.press("a")
    panel.press("a")
    assert panel.item is None and "done: no more documents" in panel.message
    assert "· end</span>" in panel.header.value and "#3" not in panel.header.value
    assert all(b.disabled for n, b in panel.buttons.items() if n not in ("previous", "next"))
    assert not panel.buttons["previous"].disabled
    panel.press("p")
    assert panel.item is not None and not panel.buttons["accept"].disabled


def test_tab_and_brackets_name_what_they_picked(store):
    panel = open_panel(store, [merkel(), Extraction(Document("empty", "Nothing here."))])
    panel.press("Tab")
    assert panel.message.startswith("entity 1/2: PERSON “Angela Merkel”")
    panel.press("Tab")
    assert panel.message.startswith("entity 2/2: GPE “Berlin”")
    panel.press("]")
    assert panel.message.startswith("claim 1/1 (direct, “Angela Merkel”):")
    panel.press("n")
    panel.press("Tab")
    assert (panel.message, panel.level) == ("no entity on this document to pick", "warn")


def test_a_claim_keeps_its_number_while_claims_are_added_and_edited(store):
    panel = open_panel(store, [merkel()])
    text = panel.edit.text
    start = text.index("Angela")  # a new claim before the existing one in the text
    panel.select(start, start + len("Angela Merkel"))
    panel.press("q")
    assert [c.start for c in panel.claims] == [42, start]  # appended: the first claim is still number 1
    assert panel.edit.claim == 1 and panel.message.startswith("added")
    panel.click_claim(0)
    assert panel.message.startswith("claim 1/2 (direct")


def test_a_drag_exactly_over_an_entity_is_a_relabel_not_a_replacement(store):
    panel = open_panel(store, [merkel()])
    panel.select(34, 40)  # exactly "Berlin"
    panel.press("2")  # the second label
    second = panel.labels[1]
    assert panel.message == f"relabelled “Berlin” GPE → {second}" and "replaced" not in panel.message
    assert [(e.start, e.end, e.label) for e in panel.entities][-1] == (34, 40, second)
    panel.select(34, 40)
    panel.choose_label(second)
    assert (panel.message, panel.level) == (f"already {second} “Berlin”", "info")


def test_progress_knows_the_total_of_a_stream_that_can_count_and_counts_answers_otherwise(store, tmp_path):
    import toolkit

    class Fixed:  # any extractor: no model needed to test progress
        def extract(self, doc):
            return Extraction(doc)

    panel = open_panel(store, toolkit.load_sample(), extractor=Fixed())  # the README's example: a stream
    assert "done 0 / 67" in panel.header.value
    panel.accept()
    assert "done 1 / 67" in panel.header.value and "accept 1" in panel.header.value
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("".join(f'{{"id": "c{i}", "text": "Text number {i}."}}\n' for i in range(5)) + "\n", encoding="utf-8")
    panel = open_panel(store, toolkit.load(corpus), extractor=Fixed(), annotator="bob")
    assert "done 0 / 5" in panel.header.value
    panel = open_panel(store, make_docs(3), extractor=Fixed(), annotator="carol")  # a bare generator cannot count
    panel.reject()
    assert "done 1 ·" in panel.header.value and "?" not in panel.header.value and "reject 1" in panel.header.value


def test_label_tags_are_readable_on_their_fills():
    from toolkit.widgets.colors import DEFAULT_COLORS, SPARE_COLORS, contrast

    assert round(contrast("#000000", "#ffffff"), 1) == 21.0
    for fill, tone in [*DEFAULT_COLORS.values(), *SPARE_COLORS]:
        assert contrast(fill, tone) >= 4.5, (fill, tone)  # WCAG AA for the small tag text
        assert contrast(fill, "#1f2328") >= 12  # the document text on the fill


def test_unsaved_edits_are_marked_kept_as_drafts_and_restored_by_a_new_panel(store):
    panel = open_panel(store, [merkel(), Extraction(Document("other", "Nothing happened in Oslo."))])
    assert "unsaved" not in panel.header.value
    panel.select(MERKEL.index("Paris"), MERKEL.index("Paris") + 5)
    panel.label_key(3)  # GPE
    assert "● unsaved" in panel.header.value
    drafts = list((store.path / ".drafts" / "alice").glob("*.json"))
    assert len(drafts) == 1  # written at once, beside the store
    panel.next()
    assert panel.level == "warn" and "merkel has unsaved edits" in panel.message
    # the kernel restarts: a new panel on the same store shows the draft, not the extraction
    again = open_panel(store, [merkel()])
    assert ("Paris", "GPE") in ent_texts(again) and "restored your unsaved edits" in again.message
    assert "● unsaved" in again.header.value
    again.undo()  # the restore is one undoable step: back to the extraction
    assert ("Paris", "GPE") not in ent_texts(again) and "unsaved" not in again.header.value
    assert list((store.path / ".drafts" / "alice").glob("*.json")) == []  # back as loaded: no draft left
    again.redo()
    again.accept()  # answering saves, and deletes the draft
    assert list((store.path / ".drafts" / "alice").glob("*.json")) == []
    assert [(e.label, e.text(MERKEL)) for e in store.get("merkel").entities if e.label == "GPE"][-1] == ("GPE", "Paris")
    # revisiting an answered document and changing it: not "stored: accept" any more
    again.previous()
    assert "stored: accept" in again.header.value
    again.press("Tab")
    again.press("x")
    assert "edited since" in again.header.value and "● unsaved" in again.header.value
    assert list(store.records())[-1].answer == "accept"  # the drafts never reach the store


def test_a_long_document_is_shown_page_by_page_with_exact_offsets(store):
    from toolkit.widgets import render

    para = "Officials in Paris met Angela Merkel on Monday to talk about the harbour and the storm.\n\n"
    text = para * 4000  # about 350,000 characters
    last = len(text) - len(para) + para.index("Merkel")
    doc = Extraction(Document("long", text), entities=(Entity(last, last + 6, "PERSON"),))
    panel = open_panel(store, [doc])
    page = panel.view.page
    assert page["count"] == len(render.pages(text)) > 10 and page["index"] == 0
    shown = panel.view.segments
    assert shown[0]["s"] == 0 and shown[-1]["e"] == page["end"] <= render.PAGE_CHARS
    assert "".join(seg["t"] for seg in shown) == text[: page["end"]]  # the page's text, offsets of the whole
    assert not any("ent" in seg for seg in shown)  # the one entity is on the last page
    panel.press("Tab")  # picks it: the view turns to its page
    assert panel.view.page["index"] == page["count"] - 1
    seg = next(seg for seg in panel.view.segments if "ent" in seg)
    assert (seg["s"], seg["e"], seg["ent"], seg["t"]) == (last, last + 6, 0, "Merkel")
    # select words near the end (as the browser sends them: whole-document offsets) and label them
    paris = len(text) - len(para) + para.index("Paris")
    panel.select(paris, paris + 5)
    panel.label_key(3)
    assert ("Paris", "GPE") in ent_texts(panel)
    panel.press("alt+PageUp")
    assert panel.view.page["index"] == page["count"] - 2
    starts = render.pages(text)
    assert all(text[s - 1] == "\n" for s in starts[1:])  # pages end at line breaks
    for _ in range(3):
        panel.turn_page(1)
    assert panel.view.page["index"] == page["count"] - 1 and "no further page" in panel.message

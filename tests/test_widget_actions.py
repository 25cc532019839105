"""The panel's action table: keys, browser messages, buttons, help and dispatch all come from it;
every action's message carries its level."""
from __future__ import annotations

import html
import re

import pytest

from conftest import ROOT
from test_widgets import STATIC, merkel, open_panel, store  # noqa: F401  (store is a fixture)
from toolkit.widgets import actions
from toolkit.widgets.actions import ACTIONS, BY_MESSAGE, BY_NAME, HELP, KEYMAP, TOOLBAR, handled_keys
from toolkit.widgets.messages import Message
from toolkit.widgets.panel import AnnotationPanel
from toolkit.widgets.state import DocEdit
from toolkit.widgets.view import DocumentView
from toolkit.types import Claim, Span

LABELS = ("PERSON", "ORG", "GPE", "LOC", "NORP", "DATE", "EVENT")


# -- the table and what is derived from it -----------------------------------------------------


def test_every_key_sent_to_the_browser_is_an_action_key_and_every_action_key_is_sent(store):
    panel = open_panel(store, labels=LABELS)
    sent = set(panel.view.shortcuts)
    in_table = {key for action in ACTIONS for key in action.keys}
    assert sent <= in_table
    assert in_table - sent == {"8", "9"}  # number keys beyond the seventh label do nothing
    assert set(handled_keys(LABELS[:2])) == in_table - set("3456789")


def test_every_handler_is_a_panel_action_method():
    for action in ACTIONS:
        method = getattr(AnnotationPanel, action.handler, None)
        assert callable(method), f"{action.name}: AnnotationPanel has no method {action.handler}"
        assert hasattr(method, "__wrapped__"), f"{action.handler} must be an @_action (it shows its message)"


def test_names_keys_and_browser_messages_are_each_given_once():
    names = [a.name for a in ACTIONS]
    keys = [k for a in ACTIONS for k in a.keys]
    messages = [a.message for a in ACTIONS if a.message]
    assert len(set(names)) == len(names) and len(set(keys)) == len(keys) and len(set(messages)) == len(messages)
    with pytest.raises(ValueError, match="key 'a' is given to both 'accept' and 'again'"):
        actions._index("key", [("a", BY_NAME["accept"]), ("a", actions.Action("again", "x"))])


def test_every_message_and_claim_action_the_browser_sends_is_in_the_table():
    js = DocumentView._esm
    sent_types = set(re.findall(r'type: "(\w+)"', js)) - {"focus"}  # "focus" goes the other way
    assert sent_types == set(BY_MESSAGE)
    row_actions = set(re.findall(r'action: "(\w+)"', js))
    assert row_actions == {a.name for a in ACTIONS if a.claim_row}


def test_the_help_line_is_derived_from_the_table_and_unchanged():
    assert HELP == (
        ("Entities", (("drag", "select"), ("1–9", "label"), ("click", "pick"), ("x/Backspace", "remove"),
                      ("e", "label all"), ("Shift+←/→", "end"), ("Alt+Shift+←/→", "start"), ("Tab", "cycle"))),
        ("Claims", (("q", "new from selection"), ("w", "speaker"), ("c", "cue"), ("t", "content"),
                    ("k", "direct/indirect/mixed"), ("g", "negated"), ("u", "add a piece"), ("h", "hedged"), ("[ ]", "cycle"), ("Backspace", "delete"))),
        ("Document", (("a", "accept"), ("r", "reject"), ("s", "skip"), ("n/→", "next"), ("p/←", "previous"),
                      ("z", "undo"), ("y", "redo"), ("f", "flag"), ("?", "all keys"), ("Alt+PgDn/PgUp", "page"), ("Esc", "clear, then leave"))),
    )


def test_toolbar_buttons_come_from_the_table(store):
    panel = open_panel(store)
    assert list(panel.buttons) == [*TOOLBAR[0], *TOOLBAR[1]]
    accept = panel.buttons["accept"]
    assert (accept.description, accept.button_style, accept.tooltip) == ("✓ Accept", "success", "save as correct and go on (a)")
    assert panel.buttons["previous"].tooltip == "previous document (p, ←)"
    accept.click()
    assert store.get("merkel", annotator="alice").answer == "accept"


def test_key_table_lists_every_key_with_its_description():
    table = actions.key_table()
    assert "| `Alt+Shift+←` | extend the picked entity's (or the selection's) start by one token |" in table
    assert table.count("\n") == 1 + sum(1 for a in ACTIONS if a.keys)


def test_keys_named_in_the_readme_workbench_section_are_in_the_table():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## The annotation workbench", 1)[1].split("\n## ", 1)[0]
    named = {k for group in re.findall(r"`([^`\n]{1,12})`", section) for k in group.split("/")}
    from toolkit.widgets.review import KEYS as REVIEW_KEYS

    single = {k for k in named if len(k) == 1 and k not in "←→"}  # "Shift+←/→": the arrows go with Shift
    known = set(KEYMAP) | set(REVIEW_KEYS)  # the section describes the annotation and the review panels
    assert single and single <= known, single - known
    for key in ("shift+ArrowRight", "alt+shift+ArrowLeft", "alt+PageDown"):  # combinations as the table names them
        assert actions.shown(key).split("←")[0].split("→")[0].split("PgDn")[0] in section


# -- dispatch goes through the table ------------------------------------------------------------


def test_a_key_runs_its_actions_handler_with_its_arguments(store, monkeypatch):
    calls = []
    monkeypatch.setattr(AnnotationPanel, "move_edge", lambda self, *args: calls.append(args) or Message("moved", "ok"))
    panel = open_panel(store)
    assert panel.press("alt+shift+ArrowLeft") == Message("moved", "ok")
    assert calls == [("start", True)]
    monkeypatch.setitem(KEYMAP, "j", BY_NAME["shrink_end"])  # a key added to the table works at once
    panel.press("j")
    assert calls[-1] == ("end", False)
    assert panel.press("F12") is None  # not in the table: nothing happens


def test_browser_messages_and_do_run_the_tables_handlers(store, monkeypatch):
    panel = open_panel(store)
    panel._on_view_message(None, {"type": "claim_action", "index": 0, "action": "toggle_hedged"}, None)
    assert panel.claims[0].hedged and (panel.message, panel.level) == ("claim is now hedged", "ok")
    panel.do("previous_claim")
    assert panel.edit.claim == 0
    with pytest.raises(ValueError, match="unknown action 'explode'"):
        panel.do("explode")
    panel._on_view_message(None, {"type": "claim_action", "index": 0, "action": "accept"}, None)
    assert panel.level == "error" and "unknown claim action 'accept'" in panel.message
    panel._on_view_message(None, {"type": "select", "start": "x"}, None)
    assert panel.level == "error" and panel.message.startswith("malformed 'select' message from the browser")
    panel._on_view_message(None, {"type": "teleport"}, None)
    assert panel.message == "unknown message from the browser: {'type': 'teleport'}"


# -- messages carry their level -----------------------------------------------------------------


@pytest.mark.parametrize("keys, text, level", [
    (["x"], "select an entity first (click it)", "warn"),
    (["e"], "select an entity first (click it)", "warn"),
    (["shift+ArrowRight"], "selected “Angela”: Shift+→/← moves its end, Alt+Shift+←/→ its start; 1–9 label it", "info"),
    (["shift+ArrowRight", "shift+ArrowLeft"], "cannot move that boundary of the selection further", "warn"),
    (["Enter"], "select some text first", "warn"),
    (["w"], "select a claim first (click it in the list or the text)", "warn"),
    (["q"], "select the claim's content first", "warn"),
    (["y"], "nothing to redo", "warn"),
    (["p"], "no earlier document kept (going back keeps the last 50)", "warn"),
    (["3"], "current label GPE", "info"),
    (["Tab", "x"], "removed PERSON “Angela Merkel”", "ok"),
    (["Tab", "2"], "relabelled “Angela Merkel” PERSON → ORG", "ok"),
    (["Tab", "1"], "already PERSON", "info"),
    (["Tab", "x", "z"], "undone (0 more steps to undo)", "ok"),
    (["]", "h"], "claim is now hedged", "ok"),
    (["a"], "saved accept for merkel · done: no more documents (1 answered by alice)", "ok"),
])
def test_each_action_says_what_happened_at_its_level(store, keys, text, level):
    panel = open_panel(store)
    for key in keys:
        message = panel.press(key)
    assert (message.text, message.level) == (text, level)
    assert (panel.message, panel.level) == (text, level)
    assert f"tk-status-{level}" in panel.status.value


def test_a_failed_edit_keeps_its_text_and_says_warn_where_the_text_once_decided_the_colour(store):
    edit = DocEdit("Angela Merkel", tokenize=lambda t: [(0, 6), (7, 13)])
    assert edit.add_entity("PERSON") == Message("select some text first", "warn")
    assert edit.add_entity("PERSON", 0, 6) == Message("added PERSON “Angela”", "ok")
    assert edit.undo().level == "ok" and edit.undo() == Message("nothing to undo on this document", "warn")
    # a text that merely contains "warning:" or starts with "saved" no longer decides the level
    panel = open_panel(store)
    panel._say(Message("warning: saved nothing", "info"))
    assert panel.level == "info"


def test_document_notes_are_warnings_and_a_save_followed_by_one_is_too(store):
    from toolkit.types import Document, Entity, Extraction

    bad = Extraction(Document("bad", "Angela Merkel spoke."), entities=(Entity(0, 13, "PERSON"), Entity(7, 13, "PERSON")))
    panel = open_panel(store, [merkel(), bad])
    message = panel.press("a")
    assert message.level == "warn" and message.text.startswith("saved accept for merkel · warning: 1 overlapping input entity dropped")


def test_a_message_refuses_an_unknown_level_and_prints_as_its_text():
    with pytest.raises(ValueError, match="message level must be one of info, ok, warn, error, not 'fine'"):
        Message("hello", "fine")  # type: ignore[arg-type]
    assert str(Message("hello", "ok")) == "hello"


def test_review_messages_carry_their_level(store):
    from toolkit.types import Correction
    from toolkit.widgets import review

    doc = merkel().doc
    store.append(Correction.create(doc, annotator="alice"))
    store.append(Correction.create(doc, annotator="bob"))
    board = review(store, annotators=("alice", "bob"))
    assert (board.message, board.level) == ("the two versions agree (both accept): save to confirm", "info")
    board.next()
    assert (board.message, board.level) == ("this is the last document to review", "warn")
    board.save()
    assert (board.message, board.level) == ("saved review of merkel (accept); that was the last document", "ok")
    assert "tk-status-ok" in board.status.value
    board._guard(lambda: board.choose(0, "c"))
    assert board.level == "error" and board.message.startswith("error: ")


# -- mixed claims, negation and content in pieces (issue 14) -------------------------------------


def test_mixed_kind_negation_and_parts_are_edited_with_keys_and_undone(store):
    panel = open_panel(store)
    text = panel.doc.text
    panel.select(19, 61)  # 'on Monday that Berlin "will not back down"': reported speech with a quote
    assert panel.press("q").text.startswith("added a mixed claim")
    new = panel.claims[panel.edit.claim]
    assert new.kind == "mixed"
    assert [panel.press("k").text for _ in range(3)] == ["claim is now direct", "claim is now indirect", "claim is now mixed"]
    assert panel.press("g").text.startswith("claim is now negated") and panel.claims[panel.edit.claim].negated
    # the content in two pieces: a second piece after the first
    panel.select(63, 86)  # "Merkel met officials in"
    message = panel.press("u").text
    claim = panel.claims[panel.edit.claim]
    assert message.startswith("the claim's content is now 2 pieces")
    assert [p.text(text) for p in claim.parts] == [text[19:61], "Merkel met officials in"] and (claim.start, claim.end) == (19, 86)
    panel.select(30, 40)  # inside the content: refused
    assert panel.press("u").level == "warn" and len(panel.claims[panel.edit.claim].parts) == 2
    # the list shows the pieces, the negation and the content as its pieces joined
    row = panel.view.claims[panel.edit.claim]
    assert row["parts"] == 2 and row["negated"] and " … " in row["content"]
    assert panel.press("U").text == "the claim's content is one piece again" and not panel.claims[panel.edit.claim].parts
    panel.press("z")
    assert len(panel.claims[panel.edit.claim].parts) == 2  # undone
    panel.press("a")  # accept: the store keeps every field
    (record,) = list(store.records())
    saved = [c for c in record.claims if c.parts]
    assert saved and saved[0].negated and saved[0].kind == "mixed" and record.to_dict()["schema"] == 2


def test_the_parts_of_a_claim_are_underlined_and_the_gap_is_not():
    from toolkit.widgets import render

    text = '"A b c," she said, "d e f."'
    at = lambda piece: Span(text.index(piece), text.index(piece) + len(piece))  # noqa: E731
    a, b = at("A b c"), at("d e f")
    claim = Claim(a.start, b.end, kind="direct", parts=(a, b), speaker=at("she"), cue=at("said"))
    segs = render.segments(text, [], [claim])
    content = {seg["t"] for seg in segs if any(r[1] == "content" for r in seg.get("roles", []))}
    assert content == {"A b c", "d e f"}


def test_esc_clears_first_and_then_hands_the_keyboard_back_to_the_notebook(store, monkeypatch):
    panel = open_panel(store)
    sent = []
    monkeypatch.setattr(panel.view, "send", lambda msg: sent.append(msg))
    panel.press("Tab")  # picks an entity
    assert panel.edit.entity >= 0
    panel.press("Escape")
    assert panel.edit.entity < 0 and sent == [] and "Esc again" in panel.message
    panel.press("Escape")
    assert sent == [{"type": "release"}] and "handed back to the notebook" in panel.message


def test_the_browser_passes_unused_combinations_through_and_ignores_caps_lock():
    js = DocumentView._esm  # keys.js + document.js, as the browser gets them
    # the browser component keeps from JupyterLab only plain keys, and hands Tab on outside the text
    assert 'if (ev.ctrlKey || ev.metaKey || ev.altKey) return false;' in js
    assert 'if (ev.key === "Enter" && ev.shiftKey) return false;' in js
    assert 'getModifierState("CapsLock")' in js
    assert 'msg.type === "release"' in js
    # the table never gives an action a Ctrl/Alt combination the notebook needs
    for needed in ("ctrl+s", "shift+Enter", "ctrl+Enter", "alt+Enter"):
        assert needed not in KEYMAP


def test_overlapping_claims_get_lines_of_their_own_and_shared_text_lists_them_all():
    from toolkit.widgets import render

    text = "Reuters reported that the minister said the port would reopen on Friday."
    outer = Claim(text.index("the minister"), len(text) - 1, kind="indirect", cue=Span(8, 16))
    inner = Claim(text.index("the port"), len(text) - 1, kind="indirect", cue=Span(text.index("said"), text.index("said") + 4))
    later = Claim(text.index("Friday"), len(text) - 1, kind="indirect")  # a third, inside both
    claims = [outer, inner, later]
    assert render.claim_levels(claims) == [0, 1, 2]
    assert render.claim_levels([Claim(0, 5), Claim(10, 20)]) == [0, 0]  # apart: one line level serves both
    segs = render.segments(text, [], claims, claim=0)
    port = next(s for s in segs if s["t"].startswith("the port"))
    assert port["cs"] == [0, 1] and port["c"] == 1  # the innermost first, whatever is picked
    friday = next(s for s in segs if s["t"].startswith("Friday"))
    assert friday["cs"] == [0, 1, 2] and friday["c"] == 2 and friday.get("cc")
    rows = render.claim_rows(text, claims)
    assert [r["level"] for r in rows] == [0, 1, 2]


def test_an_entity_is_made_from_the_keyboard_from_the_caret(store):
    panel = open_panel(store)
    text = panel.doc.text
    panel._on_view_message(None, {"type": "clear", "at": text.index("officials")}, None)  # a click before a word
    panel.press("shift+ArrowRight")  # selects the word after the caret
    assert panel.edit.selection == (text.index("officials"), text.index("officials") + 9)
    panel.press("shift+ArrowRight")  # and one more
    assert text[slice(*panel.edit.selection)] == "officials in"
    panel.press("shift+ArrowLeft")
    panel.press("alt+shift+ArrowLeft")  # the start back by one token
    assert text[slice(*panel.edit.selection)] == "met officials"
    panel.press("2")  # ORG
    assert ("met officials", "ORG") in [(e.text(text), e.label) for e in panel.entities]
    panel.press("Escape")  # unpick the new entity: the caret is after it
    panel.press("shift+ArrowRight")
    assert text[slice(*panel.edit.selection)] == "in"


def test_keys_are_named_for_the_keyboard_in_use(store):
    panel = open_panel(store)
    assert "<kbd>Alt+Shift+←/→</kbd>" in panel.help.value and "⌥" not in panel.help.value
    panel._on_view_message(None, {"type": "platform", "mac": True}, None)  # the browser says: a Mac
    assert "<kbd>⌥⇧←/→</kbd>" in panel.help.value and "<kbd>x/⌫</kbd>" in panel.help.value
    assert "⌘z" in panel.buttons["undo"].tooltip
    assert actions.shown("ctrl+z") == "Ctrl+z" and actions.shown("ctrl+z", mac=True) == "⌘z"


def test_a_note_and_a_flag_are_saved_with_the_answer_and_shown_again(store):
    panel = open_panel(store)
    panel.comment_box.value = "speaker unclear: check the wire copy"  # typed in the box
    panel.press("f")
    assert "⚑ flagged" in panel.header.value
    panel.press("a")
    record = store.get("merkel")
    assert record.meta["comment"] == "speaker unclear: check the wire copy" and record.meta["flagged"] is True
    again = open_panel(store, [merkel()], skip_done=False)  # prefilled from the store: note and flag come back
    assert again.comment_box.value == "speaker unclear: check the wire copy" and "⚑ flagged" in again.header.value


def test_question_mark_shows_every_key_and_what_each_label_means(store):
    panel = open_panel(store, descriptions={"PERSON": "people, real or fictional"})
    assert panel.overlay.layout.display == "none"
    panel.press("?")
    shown = panel.overlay.value
    assert panel.overlay.layout.display == "" and "people, real or fictional" in shown
    for action in ACTIONS:
        if action.keys:
            assert html.escape(action.description) in shown
    assert panel.view.legend[0]["title"] == "people, real or fictional"
    panel.press("?")
    assert panel.overlay.layout.display == "none"


def test_jump_to_a_document_id_ahead_or_kept(store):
    from test_widgets import make_docs

    panel = open_panel(store, make_docs(8), extractor=type("X", (), {"extract": lambda self, d: __import__("toolkit").types.Extraction(d)})())
    panel.goto_box.value = "doc5"  # typed, then Enter
    assert panel.doc.id == "doc5" and panel.goto_box.value == ""
    panel.goto("doc1")  # passed over, still kept for going back
    assert panel.doc.id == "doc1"
    panel.goto("nope")
    assert panel.doc.id == "doc1" and panel.level == "warn" and "no document 'nope'" in panel.message

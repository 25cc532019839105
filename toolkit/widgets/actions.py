"""The annotation panel's actions: one table from browser message, key and button to a panel method.

Each row of ``ACTIONS`` names an action and says everything about it: the browser message
type and the key descriptors that run it, its toolbar button, the ``AnnotationPanel`` method
it calls (``handler``, with fixed ``args``) and its entry in the help line. The key map sent to
the browser (``handled_keys``), the help line (``HELP``), the toolbar (``TOOLBAR``), the key
list for the docs (``key_table``) and the panel's dispatch (``AnnotationPanel.do``/``press``)
are all read from it, so a key cannot do one thing and be documented as another.

A key descriptor is what the browser component sends: ``event.key`` prefixed with the
held modifiers among ``ctrl+`` (Ctrl or Cmd), ``alt+`` and, for named keys only,
``shift+`` (``shift+ArrowRight``; a shifted letter arrives as itself, e.g. ``W``).
Number keys 1-9 pick the labels in order; those beyond the panel's last label do nothing.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

ENTITIES, CLAIMS, DOCUMENT = "Entities", "Claims", "Document"


@dataclass(frozen=True)
class Action:
    """One thing the panel does for the user, and every way to ask for it.

    Args:
        name: the action's name (``panel.do(name)``; claim-row buttons send it).
        description: what it does, for tooltips and the docs' key list.
        handler: the panel method it calls (default: ``name``), with ``args`` first.
        keys: key descriptors that run it.
        message: the browser message type that runs it, passing ``fields`` (name, type) as arguments.
        button: caption of its toolbar button, if any, with the ipywidgets ``button_style``.
        help: (group, keys as shown, what) in the help line; several actions may share one entry.
        claim_row: a claims-list row has a button for it (the row's claim is picked first).
    """

    name: str
    description: str
    handler: str = ""
    args: tuple[Any, ...] = ()
    keys: tuple[str, ...] = ()
    message: str | None = None
    fields: tuple[tuple[str, type], ...] = ()
    button: str = ""
    button_style: str = ""
    help: tuple[str, str, str] | None = None
    claim_row: bool = False

    def __post_init__(self) -> None:
        if not self.handler:
            object.__setattr__(self, "handler", self.name)


ACTIONS: tuple[Action, ...] = (
    # -- entities
    Action("select", "select words (the selection snaps to whole tokens)", message="select",
           fields=(("start", int), ("end", int)), help=(ENTITIES, "drag", "select")),
    *(Action(f"label_{n}", f"label the selection, relabel the picked entity, or make label {n} current",
             handler="label_key", args=(n,), keys=(str(n),), help=(ENTITIES, "1–9", "label")) for n in range(1, 10)),
    Action("choose_label", "label the selection, relabel the picked entity, or make the label current",
           message="label", fields=(("label", str),)),
    Action("click_entity", "pick an entity", message="entity", fields=(("index", int),), help=(ENTITIES, "click", "pick")),
    Action("click_claim", "pick a claim", message="claim", fields=(("index", int),)),
    Action("clear", "clear the selection and the picked entity; the click sets the caret", message="clear",
           fields=(("at", int),)),
    Action("add_entity", "add an entity with the current label over the selection", keys=("Enter",)),
    Action("remove_entity", "remove the picked entity", keys=("x",), help=(ENTITIES, "x/Backspace", "remove")),
    Action("label_all", "give every occurrence of the selected entity its label", keys=("e",),
           button="Label all", help=(ENTITIES, "e", "label all")),
    Action("grow_end", "extend the picked entity's end (or the selection's, or select the word after the caret) by one token", handler="move_edge", args=("end", True),
           keys=("shift+ArrowRight",), help=(ENTITIES, "Shift+←/→", "end")),
    Action("shrink_end", "shrink the picked entity's (or the selection's) end by one token", handler="move_edge", args=("end", False),
           keys=("shift+ArrowLeft",), help=(ENTITIES, "Shift+←/→", "end")),
    Action("grow_start", "extend the picked entity's (or the selection's) start by one token", handler="move_edge", args=("start", True),
           keys=("alt+shift+ArrowLeft",), help=(ENTITIES, "Alt+Shift+←/→", "start")),
    Action("shrink_start", "shrink the picked entity's (or the selection's) start by one token", handler="move_edge", args=("start", False),
           keys=("alt+shift+ArrowRight",), help=(ENTITIES, "Alt+Shift+←/→", "start")),
    Action("next_entity", "pick the next entity", handler="cycle", args=("entity", 1), keys=("Tab",),
           help=(ENTITIES, "Tab", "cycle")),
    Action("previous_entity", "pick the previous entity", handler="cycle", args=("entity", -1), keys=("shift+Tab",),
           help=(ENTITIES, "Tab", "cycle")),
    # -- claims
    Action("add_claim", "new claim whose content is the selection", keys=("q",), help=(CLAIMS, "q", "new from selection")),
    Action("set_speaker", "the selection becomes the picked claim's speaker", handler="set_role", args=("speaker",),
           keys=("w",), help=(CLAIMS, "w", "speaker")),
    Action("set_cue", "the selection becomes the picked claim's cue", handler="set_role", args=("cue",),
           keys=("c",), help=(CLAIMS, "c", "cue")),
    Action("set_content", "the selection becomes the picked claim's content", handler="set_role", args=("content",),
           keys=("t",), help=(CLAIMS, "t", "content")),
    Action("toggle_kind", "turn the picked claim's kind: direct / indirect / mixed", handler="toggle", args=("kind",),
           keys=("k",), help=(CLAIMS, "k", "direct/indirect/mixed"), claim_row=True),
    Action("toggle_negated", "toggle the picked claim negated (did not say...) / not", handler="toggle", args=("negated",),
           keys=("g",), help=(CLAIMS, "g", "negated"), claim_row=True),
    Action("add_part", "the selection becomes one more piece of the picked claim's content", keys=("u",),
           help=(CLAIMS, "u", "add a piece")),
    Action("clear_parts", "make the picked claim's content one piece again", keys=("U",)),
    Action("toggle_hedged", "toggle the picked claim hedged / not hedged", handler="toggle", args=("hedged",),
           keys=("h",), help=(CLAIMS, "h", "hedged"), claim_row=True),
    Action("clear_speaker", "clear the picked claim's speaker", handler="clear_role", args=("speaker",), keys=("W",)),
    Action("clear_cue", "clear the picked claim's cue", handler="clear_role", args=("cue",), keys=("C",)),
    Action("next_claim", "pick the next claim", handler="cycle", args=("claim", 1), keys=("]",), help=(CLAIMS, "[ ]", "cycle")),
    Action("previous_claim", "pick the previous claim", handler="cycle", args=("claim", -1), keys=("[",),
           help=(CLAIMS, "[ ]", "cycle")),
    Action("remove", "remove the picked entity, or else delete the picked claim", keys=("Backspace", "Delete"),
           help=(CLAIMS, "Backspace", "delete")),
    Action("delete_claim", "delete the picked claim", claim_row=True),
    Action("claim_action", "run a claims-list button on its row's claim", message="claim_action",
           fields=(("index", int), ("action", str))),
    # -- document
    Action("accept", "save as correct and go on", keys=("a",), button="✓ Accept", button_style="success",
           help=(DOCUMENT, "a", "accept")),
    Action("reject", "save as unusable and go on", keys=("r",), button="✗ Reject", button_style="danger",
           help=(DOCUMENT, "r", "reject")),
    Action("ignore", "save as skipped and go on", keys=("s",), button="Skip", help=(DOCUMENT, "s", "skip")),
    Action("next", "next document without answering", keys=("n", "ArrowRight"), button="Next →",
           help=(DOCUMENT, "n/→", "next")),
    Action("previous", "previous document", keys=("p", "ArrowLeft"), button="← Prev", help=(DOCUMENT, "p/←", "previous")),
    Action("undo", "undo the last edit of this document",
           keys=("z", "ctrl+z"), button="↶ Undo", help=(DOCUMENT, "z", "undo")),
    Action("redo", "redo the last undone edit", keys=("y", "ctrl+y", "ctrl+Z"), help=(DOCUMENT, "y", "redo")),
    Action("goto", "show the document with this id (typed in the 'go to id' box)", fields=(("doc_id", str),)),
    Action("comment", "set the note on this document (typed in the note box; saved with the answer)", fields=(("text", str),)),
    Action("toggle_flag", "flag this document for discussion (saved with the answer) / unflag it", keys=("f",),
           help=(DOCUMENT, "f", "flag")),
    Action("toggle_help", "show or hide every key and the labels' meanings", keys=("?",), help=(DOCUMENT, "?", "all keys")),
    Action("turn_page", "show another page of a long document", message="page", fields=(("step", int),)),
    Action("next_page", "show the next page of a long document", handler="turn_page", args=(1,), keys=("alt+PageDown",),
           help=(DOCUMENT, "Alt+PgDn/PgUp", "page")),
    Action("previous_page", "show the previous page of a long document", handler="turn_page", args=(-1,),
           keys=("alt+PageUp",), help=(DOCUMENT, "Alt+PgDn/PgUp", "page")),
    Action("clear_all", "clear the selection and unpick the entity and the claim; with nothing to clear, "
           "hand the keyboard back to the notebook", keys=("Escape",), help=(DOCUMENT, "Esc", "clear, then leave")),
    Action("press", "act on a key descriptor", message="key", fields=(("key", str),)),
    Action("set_platform", "name keys as the browser's keyboard labels them (Mac glyphs or not)", message="platform",
           fields=(("mac", bool),)),
)

#: toolbar buttons by action name: the left group, then the right group.
TOOLBAR: tuple[tuple[str, ...], tuple[str, ...]] = (("previous", "next", "undo", "label_all"), ("accept", "reject", "ignore"))


def _index(what: str, pairs) -> dict[str, Action]:
    out: dict[str, Action] = {}
    for key, action in pairs:
        if key in out:
            raise ValueError(f"{what} {key!r} is given to both {out[key].name!r} and {action.name!r} in ACTIONS")
        out[key] = action
    return out


#: action name -> action; key descriptor -> action; browser message type -> action.
BY_NAME: Mapping[str, Action] = _index("action name", ((a.name, a) for a in ACTIONS))
KEYMAP: Mapping[str, Action] = _index("key", ((k, a) for a in ACTIONS for k in a.keys))
BY_MESSAGE: Mapping[str, Action] = _index("browser message", ((a.message, a) for a in ACTIONS if a.message))


def _help() -> tuple[tuple[str, tuple[tuple[str, str], ...]], ...]:
    groups: dict[str, list[tuple[str, str]]] = {}
    for action in ACTIONS:
        if action.help is not None:
            group, keys, what = action.help
            entries = groups.setdefault(group, [])
            if (keys, what) not in entries:
                entries.append((keys, what))
    return tuple((group, tuple(entries)) for group, entries in groups.items())


#: the help line: (group, ((keys, meaning), ...)).
HELP = _help()

_NAMES = (("ctrl+", "Ctrl+"), ("alt+", "Alt+"), ("shift+", "Shift+"), ("ArrowLeft", "←"), ("ArrowRight", "→"), ("ArrowUp", "↑"), ("ArrowDown", "↓"),
          ("PageDown", "PgDn"), ("PageUp", "PgUp"), ("Escape", "Esc"))
#: the same keys as a Mac keyboard labels them
_MAC = (("Ctrl+", "⌘"), ("Alt+", "⌥"), ("Shift+", "⇧"), ("Backspace", "⌫"), ("Delete", "⌦"))


def on_platform(keys: str, mac: bool = False) -> str:
    """Key names as written for Windows/Linux (``Alt+Shift+←``) in a Mac's glyphs when ``mac`` (``⌥⇧←``)."""
    if mac:
        for name, glyph in _MAC:
            keys = keys.replace(name, glyph)
    return keys


def shown(key: str, mac: bool = False) -> str:
    """A key descriptor as people read it: ``alt+shift+ArrowLeft`` -> ``Alt+Shift+←`` (``⌥⇧←`` on a Mac)."""
    for name, glyph in _NAMES:
        key = key.replace(name, glyph)
    return on_platform(key, mac)


def tooltip(action: Action, mac: bool = False) -> str:
    """``description (keys)``, as on the toolbar buttons."""
    return f"{action.description} ({', '.join(shown(k, mac) for k in action.keys)})" if action.keys else action.description


def handled_keys(labels: tuple[str, ...]) -> list[str]:
    """Every descriptor the panel acts on with these labels (the browser prevents their default)."""
    return sorted(k for k in KEYMAP if not (k.isdigit() and int(k) > len(labels)))


def key_table() -> str:
    """The keys as a Markdown table (keys, what they do), for the README or a notebook."""
    rows = ["| keys | action |", "|---|---|"]
    for action in ACTIONS:
        if action.keys:
            rows.append(f"| {' '.join(f'`{shown(k)}`' for k in action.keys)} | {action.description} |")
    return "\n".join(rows)

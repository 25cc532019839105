"""The annotation panel's keyboard map: key descriptor -> (action, what it does).

A key descriptor is what the browser component sends: ``event.key`` prefixed with the
held modifiers among ``ctrl+`` (Ctrl or Cmd), ``alt+`` and, for named keys only,
``shift+`` (``shift+ArrowRight``; a shifted letter arrives as itself, e.g. ``W``).
Keys 1-9 select the labels in order and are not listed here.
"""
from __future__ import annotations

from typing import Mapping

KEYMAP: Mapping[str, tuple[str, str]] = {
    "a": ("accept", "accept & next"),
    "r": ("reject", "reject & next"),
    "s": ("ignore", "skip (ignore) & next"),
    "n": ("next", "next"),
    "ArrowRight": ("next", "next"),
    "p": ("previous", "previous"),
    "ArrowLeft": ("previous", "previous"),
    "z": ("undo", "undo"),
    "ctrl+z": ("undo", "undo"),
    "y": ("redo", "redo"),
    "ctrl+y": ("redo", "redo"),
    "ctrl+Z": ("redo", "redo"),
    "Enter": ("add_entity", "add entity with current label"),
    "x": ("remove_entity", "remove entity"),
    "Backspace": ("remove", "remove entity / claim"),
    "Delete": ("remove", "remove entity / claim"),
    "e": ("label_all", "label every occurrence"),
    "shift+ArrowRight": ("grow_end", "extend end"),
    "shift+ArrowLeft": ("shrink_end", "shrink end"),
    "alt+shift+ArrowLeft": ("grow_start", "extend start"),
    "alt+shift+ArrowRight": ("shrink_start", "shrink start"),
    "Tab": ("next_entity", "next entity"),
    "shift+Tab": ("previous_entity", "previous entity"),
    "q": ("add_claim", "new claim from selection"),
    "t": ("set_content", "selection → claim content"),
    "w": ("set_speaker", "selection → speaker"),
    "c": ("set_cue", "selection → cue"),
    "W": ("clear_speaker", "clear speaker"),
    "C": ("clear_cue", "clear cue"),
    "k": ("toggle_kind", "direct ↔ indirect"),
    "h": ("toggle_hedged", "hedged on/off"),
    "]": ("next_claim", "next claim"),
    "[": ("previous_claim", "previous claim"),
    "Escape": ("clear_all", "clear selection"),
}

#: the help line: (group, [(keys, meaning)]).
HELP: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    ("Entities", (("drag", "select"), ("1–9", "label"), ("click", "pick"), ("x/⌫", "remove"),
                  ("e", "label all"), ("⇧←/→", "end"), ("⌥⇧←/→", "start"), ("Tab", "cycle"))),
    ("Claims", (("q", "new from selection"), ("w", "speaker"), ("c", "cue"), ("t", "content"),
                ("k", "direct/indirect"), ("h", "hedged"), ("[ ]", "cycle"), ("⌫", "delete"))),
    ("Document", (("a", "accept"), ("r", "reject"), ("s", "skip"), ("n/→", "next"), ("p/←", "previous"),
                  ("z", "undo"), ("y", "redo"), ("Esc", "clear"))),
)


def digit_label(key: str, labels: tuple[str, ...]) -> str | None:
    """The label a number key stands for (``"1"`` -> first label), or None."""
    if len(key) == 1 and key.isdigit() and key != "0":
        n = int(key)
        return labels[n - 1] if n <= len(labels) else None
    return None


def handled_keys(labels: tuple[str, ...]) -> list[str]:
    """Every descriptor the panel acts on (the browser prevents their default action)."""
    return sorted(set(KEYMAP) | {str(n) for n in range(1, min(len(labels), 9) + 1)})

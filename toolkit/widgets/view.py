"""The browser component: renders one document and reports mouse and key events.

It only shows state computed in Python (``segments``, ``claims``, ``legend``) and sends
events back as messages; it never decides anything. The JavaScript builds its DOM with
``textContent`` only, so document text can never become markup.

Messages from the browser (``content["type"]``):
``select`` {start, end} — a mouse selection, in code-point offsets;
``entity`` {index} / ``claim`` {index} — a click on an entity / a claim;
``label`` {label} — a click on a legend chip; ``claim_action`` {index, action};
``key`` {key} — a key descriptor; ``clear`` — a click on plain text; ``page`` {step} — a page turn.
Messages to the browser: ``focus`` (take the keyboard), ``release`` (give it back to the notebook).

Keys: while the panel (any part of it) has focus, its own keys are handled and kept from
JupyterLab; other plain keys (letters, digits, arrows, Enter...) are kept from JupyterLab too, so
no command-mode shortcut (``a``, ``d d``, ``m``...) acts on the notebook; every other combination
(Ctrl/⌘/Alt + key the panel does not use, Shift+Enter, function keys) passes through: Ctrl+S
saves the notebook. Caps Lock does not change what a letter does (``w`` stays ``w``); Shift does.
Which panel action each message runs is the table in ``actions.py``.
"""
from __future__ import annotations

from pathlib import Path

import anywidget
from traitlets import Dict, List, Unicode

STATIC = Path(__file__).parent / "static"


def esm(*names: str) -> str:
    """One ES module of the static files ``names``, in order: anywidget loads a single module per
    widget, so the keyboard policy both panels share (``keys.js``) is prepended to each."""
    return "\n".join((STATIC / name).read_text(encoding="utf-8") for name in names)


class DocumentView(anywidget.AnyWidget):
    """Text with entities and claims, a legend, and a claims list."""

    _esm = esm("keys.js", "document.js")
    _css = STATIC / "panel.css"

    doc_id = Unicode("", help="id of the shown document (a change resets the scroll position)").tag(sync=True)
    segments = List(help="the text cut into segments (see render.segments)").tag(sync=True)
    claims = List(help="claims list rows (see render.claim_rows)").tag(sync=True)
    legend = List(help="legend chips (see render.legend)").tag(sync=True)
    colors = Dict(help="label -> [fill, tone]").tag(sync=True)
    shortcuts = List(help="key descriptors the panel handles; the browser prevents their default").tag(sync=True)
    page = Dict(help="the page on screen of a long document: index, count, start, end, length ({} when none)").tag(sync=True)
    empty = Unicode("", help="message shown instead of a document (e.g. when the queue is done)").tag(sync=True)

    def focus(self) -> None:
        """Ask the browser to give the text keyboard focus."""
        self.send({"type": "focus"})

    def release(self) -> None:
        """Ask the browser to hand keyboard focus back to the notebook (out of the panel)."""
        self.send({"type": "release"})

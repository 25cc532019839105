"""The browser's keyboard policy (static/keys.js), run in Node: key descriptors (Caps Lock changes
no action) and which keys are kept from JupyterLab (plain keys) or passed through (combinations)."""
from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from toolkit.widgets.view import STATIC

CASES = [
    # (event, descriptor, kept from JupyterLab)
    ({"key": "w"}, "w", True),
    ({"key": "W", "caps": True}, "w", True),  # Caps Lock on: still "set the speaker", not "clear it"
    ({"key": "w", "caps": True, "shiftKey": True}, "W", True),  # Shift with Caps Lock: the shifted action
    ({"key": "W", "shiftKey": True}, "W", True),
    ({"key": "1", "caps": True}, "1", True),
    ({"key": "ArrowRight", "shiftKey": True}, "shift+ArrowRight", True),
    ({"key": "ArrowLeft", "shiftKey": True, "altKey": True}, "alt+shift+ArrowLeft", False),
    ({"key": "s", "ctrlKey": True}, "ctrl+s", False),  # Ctrl+S reaches JupyterLab: it saves the notebook
    ({"key": "s", "metaKey": True}, "ctrl+s", False),
    ({"key": "Enter", "shiftKey": True}, "shift+Enter", False),  # runs the cell
    ({"key": "Enter"}, "Enter", True),
    ({"key": " "}, "Space", True),
    ({"key": "F5"}, "F5", False),
    ({"key": "Escape"}, "Escape", True),
]

HARNESS = """
const cases = JSON.parse(process.argv[1]);
const out = cases.map(([ev]) => {
  const e = Object.assign({ ctrlKey: false, metaKey: false, altKey: false, shiftKey: false }, ev,
    { getModifierState: (k) => k === "CapsLock" && !!ev.caps });
  return [descriptor(e), owned(e)];
});
console.log(JSON.stringify(out));
"""


def test_key_descriptors_and_what_is_kept_from_jupyterlab():
    node = shutil.which("node") or shutil.which("nodejs")
    if node is None:
        pytest.fail("these tests need Node.js (apt-get install nodejs; .ci/run installs it)")
    source = (STATIC / "keys.js").read_text(encoding="utf-8") + HARNESS
    proc = subprocess.run([node, "-e", source, json.dumps(CASES)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    got = json.loads(proc.stdout)
    assert [tuple(g) for g in got] == [(d, kept) for _, d, kept in CASES]

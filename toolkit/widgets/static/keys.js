// The keyboard policy shared by the toolkit's panels (anywidget ESM; prepended to document.js and
// review.js, which anywidget loads as one module each).
// A key descriptor is event.key with the held modifiers: "ctrl+" (Ctrl or Cmd), "alt+" and, for
// named keys only, "shift+" (a shifted letter arrives as itself). Caps Lock changes no letter.
// A panel with focus keeps every plain key from JupyterLab's command mode (a, b, d d, m, x, z,
// 1-9...), its own keys and the others; Ctrl/Cmd/Alt combinations and Shift+Enter pass through.

function descriptor(ev) {
  let key = ev.key === " " ? "Space" : ev.key;
  if (key.length === 1 && ev.getModifierState && ev.getModifierState("CapsLock") && key.toLowerCase() !== key.toUpperCase()) {
    key = ev.shiftKey ? key.toUpperCase() : key.toLowerCase();
  }
  const mods = [];
  if (ev.ctrlKey || ev.metaKey) mods.push("ctrl");
  if (ev.altKey) mods.push("alt");
  if (ev.shiftKey && key.length > 1) mods.push("shift");
  return [...mods, key].join("+");
}

const PLAIN_NAMED = ["ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight", "Enter", "Backspace", "Delete",
  "Home", "End", "PageUp", "PageDown", "Escape", "Space"];

// Whether a key press is a plain key, which no notebook shortcut may see while a panel has focus.
function owned(ev) {
  if (ev.ctrlKey || ev.metaKey || ev.altKey) return false;
  if (ev.key === "Enter" && ev.shiftKey) return false;
  return ev.key.length === 1 || PLAIN_NAMED.includes(ev.key === " " ? "Space" : ev.key);
}

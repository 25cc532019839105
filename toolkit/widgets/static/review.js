// Keyboard of the toolkit review panel (anywidget ESM).
// It draws nothing but a focus hint: the review panel's rows and buttons are ipywidgets.
// While any part of the review panel has focus, the review's own keys are sent to Python
// (their browser default prevented) and kept from JupyterLab; other plain keys are kept from
// JupyterLab too (no command-mode shortcut: a, b, d d, m, x, z, 1-9...); Ctrl/⌘/Alt
// combinations, Shift+Enter, Tab and function keys pass through. Esc hands the keyboard back
// to the notebook. Keys inside an annotation panel opened within the review are that panel's.

// descriptor(), PLAIN_NAMED and owned() are in keys.js, prepended to this module.

function render({ model, el }) {
  const hint = document.createElement("span");
  hint.className = "tk-focus-hint tk-review-hint";
  el.append(hint);
  let keys = new Set(model.get("shortcuts"));
  const onKeys = () => { keys = new Set(model.get("shortcuts")); };
  model.on("change:shortcuts", onKeys);

  let host = null, last = null, observer = null, tries = 0;
  const inEditor = (t) => !!(t && t.closest && t.closest(".tk-annotate"));
  function release() {
    const notebook = el.closest(".jp-Notebook");
    if (document.activeElement && document.activeElement.blur) document.activeElement.blur();
    if (notebook) notebook.focus({ preventScroll: true });
  }
  function onKey(ev) {
    const t = ev.target;
    if (inEditor(t)) return;  // the annotation panel opened in the review handles its own keys
    if (t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT" || t.isContentEditable)) {
      ev.stopPropagation();
      return;
    }
    if (["Shift", "Control", "Alt", "Meta", "CapsLock", "Tab"].includes(ev.key)) return;
    const d = descriptor(ev);
    if (d === "Escape") {
      ev.stopPropagation();
      ev.preventDefault();
      release();
    } else if (keys.has(d)) {
      ev.stopPropagation();
      ev.preventDefault();  // Enter on a focused button saves; it does not also click the button
      model.send({ type: "key", key: d });
    } else if (owned(ev)) {
      ev.stopPropagation();
    }
  }
  const stop = (ev) => { if (!inEditor(ev.target) && owned(ev)) ev.stopPropagation(); };
  const onFocusIn = (ev) => { last = ev.target; };
  // Rows are rebuilt from Python on a new document: a focused button that goes away would
  // leave the focus on the page body, and the next key to JupyterLab. Keep it in the panel.
  function keepFocus() {
    const active = document.activeElement;
    if (host && last && !last.isConnected && (!active || active === document.body)) host.focus({ preventScroll: true });
  }
  const onMsg = (msg) => { if (msg && msg.type === "focus" && host) host.focus({ preventScroll: true }); };
  model.on("msg:custom", onMsg);
  function findHost() {
    const panel = el.isConnected ? el.closest(".tk-review") : null;
    if (!panel) {
      if (tries++ < 50) setTimeout(findHost, 100);
      return;
    }
    host = panel;
    if (!host.hasAttribute("tabindex")) host.tabIndex = -1;  // a click on text or a gap focuses the panel
    host.addEventListener("keydown", onKey);
    host.addEventListener("keypress", stop);
    host.addEventListener("keyup", stop);
    host.addEventListener("focusin", onFocusIn);
    observer = new MutationObserver(keepFocus);
    observer.observe(host, { childList: true, subtree: true });
  }
  findHost();

  return () => {
    model.off("change:shortcuts", onKeys);
    model.off("msg:custom", onMsg);
    if (observer) observer.disconnect();
    if (host) {
      host.removeEventListener("keydown", onKey);
      host.removeEventListener("keypress", stop);
      host.removeEventListener("keyup", stop);
      host.removeEventListener("focusin", onFocusIn);
    }
  };
}

export default { render };

// Document view of the toolkit annotation panel (anywidget ESM).
// Renders state computed in Python; reports mouse and key events as messages.
// Safety: every piece of document text goes through textContent; no HTML is ever parsed.

function cpLen(s) {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

function h(tag, cls, text) {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}


function segOf(node) {
  const e = node.nodeType === 3 ? node.parentElement : node;
  return e && e.closest ? e.closest("[data-s]") : null;
}

// Code-point offset in the document of a DOM selection point, or null.
function pointOffset(node, off) {
  if (node.nodeType === 3) {
    const seg = segOf(node);
    if (!seg) return null;
    if (node.parentElement.closest(".tk-tag")) return +seg.dataset.e;
    if (node.parentElement.closest(".tk-cbadge")) return +seg.dataset.s;
    return +seg.dataset.s + cpLen(node.data.slice(0, off));
  }
  if (off < node.childNodes.length) {
    const child = node.childNodes[off];
    const seg = child.nodeType === 1
      ? (child.matches("[data-s]") ? child : child.querySelector("[data-s]"))
      : segOf(child);
    if (seg) return +seg.dataset.s;
  }
  const all = node.querySelectorAll ? node.querySelectorAll("[data-s]") : [];
  if (all.length) return +all[all.length - 1].dataset.e;
  const own = segOf(node);
  return own ? +own.dataset.e : null;
}

function render({ model, el }) {
  const root = h("div", "tk-view");
  const legend = h("div", "tk-legend");
  const body = h("div", "tk-body");
  const text = h("div", "tk-text");
  text.tabIndex = 0;
  text.setAttribute("role", "document");
  text.setAttribute("aria-label", "document text: select words with the mouse, then press a number key");
  const side = h("div", "tk-side");
  const claimsTitle = h("div", "tk-side-title");
  const claimsList = h("div", "tk-claims");
  side.append(claimsTitle, claimsList);
  body.append(text, side);
  const pager = h("div", "tk-pager");
  root.append(legend, pager, body);
  el.append(root);

  let keys = new Set(model.get("shortcuts"));
  let lastDoc = null;

  function send(msg) {
    model.send(msg);
  }

  function renderLegend() {
    legend.replaceChildren();
    for (const chip of model.get("legend")) {
      const b = h("button", "tk-chip" + (chip.cur ? " tk-chip-cur" : ""));
      b.type = "button";
      b.style.background = chip.bg;
      b.style.borderColor = chip.fg;
      if (chip.key) b.append(h("kbd", "tk-chip-key", chip.key));
      b.append(h("span", "tk-chip-label", chip.label));
      b.title = `label ${chip.label}` + (chip.title ? `: ${chip.title}` : "") + (chip.key ? ` (key ${chip.key})` : "");
      b.addEventListener("click", () => { send({ type: "label", label: chip.label }); text.focus({ preventScroll: true }); });
      legend.append(b);
    }
    legend.append(h("span", "tk-focus-hint"));
  }

  // Scroll ``node`` into view inside ``container`` only (never the notebook around it).
  function reveal(container, node) {
    const c = container.getBoundingClientRect(), r = node.getBoundingClientRect();
    if (r.top < c.top || r.bottom > c.bottom) container.scrollTop += r.top - c.top - c.height / 3;
  }
  const LINE = "rgba(15, 118, 110, .55)", LINE_CUR = "#0f766e", GAP = "#fff";
  // one line per claim level below the text: box-shadows at 3, 6 and 9 px, the upper ones first
  function contentLines(levels) {
    const top = Math.max(...levels.keys());
    const shadows = [];
    for (let l = 0; l <= top; l++) shadows.push(`0 ${3 * (l + 1)}px 0 0 ${levels.has(l) ? levels.get(l) : GAP}`);
    return shadows.join(", ");
  }
  function pickedClaim() {
    const row = model.get("claims").find((r) => r.sel);
    return row ? row.i : -1;
  }
  let lastPick = null;

  function renderText() {
    const colors = model.get("colors");
    const empty = model.get("empty");
    const rows = model.get("claims");
    const level = new Map(rows.map((r) => [r.i, r.level || 0]));
    const picked = pickedClaim();
    const badged = new Set();
    const frag = document.createDocumentFragment();
    let current = null, firstPicked = null;
    if (empty) {
      frag.append(h("div", "tk-empty", empty));
    } else {
      for (const seg of model.get("segments")) {
        const span = h("span", "tk-seg", seg.t);
        span.dataset.s = seg.s;
        span.dataset.e = seg.e;
        if (seg.ent !== undefined) {
          const [fill, tone] = colors[seg.l] || ["#eeeeee", "#525252"];
          span.classList.add("tk-ent");
          if (seg.first) span.classList.add("tk-first");
          if (seg.last) span.classList.add("tk-last");
          span.dataset.ent = seg.ent;
          span.style.setProperty("--fill", fill);
          span.style.setProperty("--tone", tone);
          if (seg.cur) { span.classList.add("tk-cur"); current = current || span; }
          if (seg.last) span.append(h("span", "tk-tag", seg.l));
        }
        const lines = new Map();
        const after = [];  // the claim numbers that close a speaker here: who said it, tied to its claim
        if (seg.roles) {
          for (const [i, role, opens, closes] of seg.roles) {
            span.classList.add("tk-r-" + role);
            if (opens) span.classList.add("tk-r-" + role + "-s");
            if (closes) span.classList.add("tk-r-" + role + "-e");
            if (role === "speaker" && closes) {
              const tie = h("span", "tk-cbadge tk-cbadge-sp" + (i === picked ? " tk-cbadge-cur" : ""), `${i + 1}`);
              tie.dataset.s = seg.e;
              tie.dataset.e = seg.e;
              tie.dataset.claim = i;
              tie.title = `speaker of claim #${i + 1}`;
              after.push(tie);
            }
            if (role === "content") {
              const l = level.get(i) || 0;
              if (!lines.has(l) || i === picked) lines.set(l, i === picked ? LINE_CUR : LINE);
              if (opens && !badged.has(i)) {  // the claim's number where its content starts
                badged.add(i);
                const badge = h("span", "tk-cbadge" + (i === picked ? " tk-cbadge-cur" : ""), `${i + 1}`);
                badge.dataset.s = seg.s;
                badge.dataset.e = seg.s;
                badge.dataset.claim = i;
                badge.title = `claim #${i + 1}: click to pick it`;
                frag.append(badge);
              }
            }
          }
          span.dataset.claim = seg.c;
          span.dataset.cs = seg.cs.join(",");
          if (lines.size) span.style.setProperty("--tk-lines", contentLines(lines));
          if (seg.cc) { span.classList.add("tk-cc"); firstPicked = firstPicked || span; }
        }
        if (seg.sel) span.classList.add("tk-sel");
        frag.append(span, ...after);
      }
    }
    text.replaceChildren(frag);
    const doc = model.get("doc_id");
    const pick = `${doc}\u0000${picked}`;
    if (doc !== lastDoc) { text.scrollTop = 0; lastDoc = doc; }
    else if (current) reveal(text, current);
    else if (firstPicked && pick !== lastPick) reveal(text, firstPicked);  // a claim picked in the list or with [ ]
    lastPick = pick;
  }

  // a long document is shown page by page: where this page lies, and buttons to turn it
  function renderPager() {
    const page = model.get("page") || {};
    pager.replaceChildren();
    pager.style.display = page.count > 1 ? "" : "none";
    if (!(page.count > 1)) return;
    const n = (x) => Number(x).toLocaleString("en");
    const turn = (step, label, title, disabled) => {
      const b = h("button", "tk-pill", label);
      b.type = "button";
      b.title = title;
      b.disabled = disabled;
      b.addEventListener("click", () => { send({ type: "page", step }); text.focus({ preventScroll: true }); });
      return b;
    };
    pager.append(
      turn(-1, "◀ earlier", "previous page (Alt+PageUp)", page.index === 0),
      h("span", "tk-side-hint", ` characters ${n(page.start + 1)}–${n(page.end)} of ${n(page.length)} · page ${page.index + 1} of ${page.count} `),
      turn(1, "later ▶", "next page (Alt+PageDown)", page.index === page.count - 1),
    );
  }

  function renderClaims() {
    const rows = model.get("claims");
    claimsTitle.replaceChildren(h("span", null, `Claims (${rows.length})`), h("span", "tk-side-hint", "q new · w speaker · c cue · t content"));
    claimsList.replaceChildren();
    let current = null;
    for (const row of rows) {
      const item = h("div", "tk-claim" + (row.sel ? " tk-claim-cur" : ""));
      item.dataset.i = row.i;
      const head = h("div", "tk-claim-head");
      head.append(h("span", "tk-claim-n", `#${row.i + 1}`));
      const kind = h("button", "tk-pill tk-kind-" + row.kind, row.kind);
      kind.type = "button";
      kind.title = "turn the kind: direct / indirect / mixed (k)";
      kind.addEventListener("click", (ev) => { ev.stopPropagation(); send({ type: "claim_action", index: row.i, action: "toggle_kind" }); });
      const hedged = h("button", "tk-pill" + (row.hedged ? " tk-hedged" : " tk-unhedged"), row.hedged ? "hedged" : "not hedged");
      hedged.type = "button";
      hedged.title = "toggle hedged (h)";
      hedged.addEventListener("click", (ev) => { ev.stopPropagation(); send({ type: "claim_action", index: row.i, action: "toggle_hedged" }); });
      const del = h("button", "tk-pill tk-del", "delete");
      del.type = "button";
      del.title = "delete this claim (select it, then Backspace)";
      del.addEventListener("click", (ev) => { ev.stopPropagation(); send({ type: "claim_action", index: row.i, action: "delete_claim" }); });
      const negated = h("button", "tk-pill" + (row.negated ? " tk-negated" : " tk-unhedged"), row.negated ? "negated" : "not negated");
      negated.type = "button";
      negated.title = "toggle negated, as in “did not say” (g)";
      negated.addEventListener("click", (ev) => { ev.stopPropagation(); send({ type: "claim_action", index: row.i, action: "toggle_negated" }); });
      head.append(kind, hedged, negated, del);
      if (row.parts) head.append(h("span", "tk-side-hint", `${row.parts} pieces (u adds, U joins)`));
      item.append(head, h("div", "tk-claim-content", row.content));
      const meta = h("div", "tk-claim-meta");
      meta.append(h("span", "tk-meta-k", "speaker "), h("span", row.speaker ? "tk-claim-speaker" : "tk-missing", row.speaker || "—"));
      if (row.speaker_name && row.speaker_name !== row.speaker) meta.append(h("span", "tk-meta-k", " = "), h("span", "tk-claim-speaker", row.speaker_name));
      meta.append(h("span", "tk-meta-k", "  cue "), h("span", row.cue ? "tk-claim-cue" : "tk-missing", row.cue || "—"));
      item.append(meta);
      item.addEventListener("click", () => { send({ type: "claim", index: row.i }); text.focus({ preventScroll: true }); });
      item.addEventListener("mouseenter", () => highlight(row.i, true));
      item.addEventListener("mouseleave", () => highlight(row.i, false));
      claimsList.append(item);
      if (row.sel) current = item;
    }
    if (!rows.length && !model.get("empty")) claimsList.append(h("div", "tk-missing", "No claims. Select content in the text and press q to add one."));
    const doc = model.get("doc_id");
    if (doc !== lastClaimsDoc) { claimsList.scrollTop = 0; lastClaimsDoc = doc; }
    else if (current) reveal(claimsList, current);
  }
  let lastClaimsDoc = null;
  // hovering a claim in the list lights up its content, speaker and cue in the text
  function highlight(i, on) {
    for (const node of text.querySelectorAll("[data-cs]")) {
      if (node.dataset.cs.split(",").includes(String(i))) node.classList.toggle("tk-hl", on);
    }
  }

  let pending = null;
  const parts = new Set();
  function schedule(part) {
    parts.add(part);
    if (pending) return;
    pending = requestAnimationFrame(() => {
      pending = null;
      if (parts.has("legend")) renderLegend();
      if (parts.has("text")) { renderText(); renderPager(); }
      if (parts.has("claims")) renderClaims();
      parts.clear();
    });
  }

  send({ type: "platform", mac: /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent || "") });
  renderLegend();
  renderText();
  renderPager();
  renderClaims();
  const onLegend = () => schedule("legend");
  const onText = () => schedule("text");
  const onClaims = () => schedule("claims");
  const onKeys = () => { keys = new Set(model.get("shortcuts")); };
  model.on("change:legend", onLegend);
  model.on("change:segments", onText);
  model.on("change:colors", onText);
  model.on("change:empty", onText);
  model.on("change:doc_id", onText);
  model.on("change:page", onText);
  model.on("change:claims", onClaims);
  model.on("change:shortcuts", onKeys);
  function release() {
    // hand the keyboard back to the notebook, in command mode on this panel's cell
    const notebook = el.closest(".jp-Notebook");
    if (document.activeElement && document.activeElement.blur) document.activeElement.blur();
    if (notebook) notebook.focus({ preventScroll: true });
  }
  const onMsg = (msg) => {
    if (msg && msg.type === "focus") text.focus({ preventScroll: true });
    else if (msg && msg.type === "release") release();
  };
  model.on("msg:custom", onMsg);

  // Mouse: a drag selects text, a click picks an entity or a claim. The drag may end
  // outside the text (in the claims list, below the pane): its end is clamped to the text.
  function clampOffset(node, off) {
    if (text.contains(node)) return pointOffset(node, off);
    const segs = text.querySelectorAll("[data-s]");
    if (!segs.length) return null;
    const after = text.compareDocumentPosition(node) & Node.DOCUMENT_POSITION_FOLLOWING;
    return after ? +segs[segs.length - 1].dataset.e : +segs[0].dataset.s;
  }
  // A click on text several claims share picks the innermost first, then each of them in turn.
  function nextClaim(seg) {
    const there = seg.dataset.cs ? seg.dataset.cs.split(",").map(Number) : [+seg.dataset.claim];
    const at = there.indexOf(pickedClaim());
    return at < 0 ? +seg.dataset.claim : there[(at + 1) % there.length];
  }
  // The document offset under a point of the screen (a drag that starts on a label tag or a
  // claim badge, where the browser makes no selection, still selects from there).
  function offsetAt(x, y) {
    const r = document.caretRangeFromPoint ? document.caretRangeFromPoint(x, y) : null;
    return r ? clampOffset(r.startContainer, r.startOffset) : null;
  }
  let dragging = false, downAt = null;
  text.addEventListener("mousedown", (ev) => {
    dragging = true;
    const target = ev.target.nodeType === 3 ? ev.target.parentElement : ev.target;
    const onLabel = target && target.closest && target.closest(".tk-tag, .tk-cbadge");
    downAt = { x: ev.clientX, y: ev.clientY, offset: onLabel ? pointOffset(onLabel.firstChild || onLabel, 0) : null };
  });
  function onMouseUp(ev) {
    if (!dragging) return;
    dragging = false;
    const sel = window.getSelection();
    const moved = downAt && Math.hypot(ev.clientX - downAt.x, ev.clientY - downAt.y) > 4;
    if (sel && sel.rangeCount && !sel.isCollapsed && (text.contains(sel.anchorNode) || text.contains(sel.focusNode))) {
      const a = downAt && downAt.offset !== null ? downAt.offset : clampOffset(sel.anchorNode, sel.anchorOffset);
      const b = clampOffset(sel.focusNode, sel.focusOffset);
      if (a !== null && b !== null && a !== b) {
        send({ type: "select", start: Math.min(a, b), end: Math.max(a, b) });
      }
      sel.removeAllRanges();
    } else if (moved && downAt.offset !== null) {  // began on a tag: no browser selection
      const b = offsetAt(ev.clientX, ev.clientY);
      if (b !== null && b !== downAt.offset) send({ type: "select", start: Math.min(downAt.offset, b), end: Math.max(downAt.offset, b) });
    } else if (text.contains(ev.target)) {
      const target = ev.target.nodeType === 3 ? ev.target.parentElement : ev.target;
      const seg = target.closest("[data-s]");
      if (seg && seg.classList.contains("tk-cbadge")) send({ type: "claim", index: +seg.dataset.claim });
      else if (seg && seg.dataset.ent !== undefined) send({ type: "entity", index: +seg.dataset.ent });
      else if (seg && seg.dataset.claim !== undefined) send({ type: "claim", index: nextClaim(seg) });
      else send({ type: "clear", at: offsetAt(ev.clientX, ev.clientY) ?? -1 });
    }
    text.focus({ preventScroll: true });
  }
  document.addEventListener("mouseup", onMouseUp);

  // Keys, while any part of the panel has focus: the panel's own keys are handled (the
  // browser's default prevented) and kept from JupyterLab; other plain keys are kept from it too
  // (no command-mode shortcut may act on the notebook: a, d d, m...); every other combination
  // passes through (Ctrl+S saves the notebook, Shift+Enter runs the cell). Tab cycles entities
  // only in the text, so that Tab from a button moves on as usual.
  // (the policy's PLAIN_NAMED and owned() are in keys.js)
  function onKey(ev) {
    const t = ev.target;
    if (t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT" || t.isContentEditable)) {
      if (owned(ev)) ev.stopPropagation();  // typing in a field of the panel is no notebook shortcut; Ctrl+S still saves
      return;
    }
    if (["Shift", "Control", "Alt", "Meta", "CapsLock"].includes(ev.key)) return;
    const d = descriptor(ev);
    if (ev.key === "Tab" && t !== text) return;  // Tab moves focus between the panel's buttons
    if (keys.has(d)) {
      ev.stopPropagation();
      ev.preventDefault();
      send({ type: "key", key: d });
    } else if (owned(ev)) {
      ev.stopPropagation();
    }
  }
  const stop = (ev) => { if (owned(ev)) ev.stopPropagation(); };
  let host = null;
  function attach(node) {
    node.addEventListener("keydown", onKey);
    node.addEventListener("keypress", stop);
    node.addEventListener("keyup", stop);
  }
  function detach(node) {
    node.removeEventListener("keydown", onKey);
    node.removeEventListener("keypress", stop);
    node.removeEventListener("keyup", stop);
  }
  attach(root);
  // The whole panel (toolbar buttons included) is one keyboard surface once attached.
  const onHostFocus = (ev) => { if (ev.target === host) text.focus({ preventScroll: true }); };
  let tries = 0;
  const findHost = () => {
    const panel = el.isConnected ? el.closest(".tk-panel") : null;
    if (panel) {
      host = panel;
      attach(host);
      // a click on the header, the help line or a gap focuses the panel, not the notebook
      // (which would take the next key as a command); the panel passes the focus to the text
      if (!host.hasAttribute("tabindex")) host.tabIndex = -1;
      host.addEventListener("focus", onHostFocus);
    }
    else if (tries++ < 50) setTimeout(findHost, 100);
  };
  findHost();

  return () => {
    model.off("change:legend", onLegend);
    model.off("change:segments", onText);
    model.off("change:colors", onText);
    model.off("change:empty", onText);
    model.off("change:doc_id", onText);
    model.off("change:page", onText);
    model.off("change:claims", onClaims);
    model.off("change:shortcuts", onKeys);
    model.off("msg:custom", onMsg);
    document.removeEventListener("mouseup", onMouseUp);
    if (host) { detach(host); host.removeEventListener("focus", onHostFocus); }
    detach(root);
  };
}

export default { render };

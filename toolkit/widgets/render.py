"""Pure functions from annotation state to what views show.

``segments`` and ``claim_rows`` produce plain data for the browser component, which
builds its DOM with ``textContent`` only. The ``*_html`` functions produce HTML for
ipywidgets ``HTML`` views; every piece of document text goes through ``html.escape``.
"""
from __future__ import annotations

import html
from bisect import bisect_right
from typing import Any, Mapping, Sequence

from ..types import ANSWERS, Claim, Entity
from .colors import unknown_color

ROLE_ORDER = ("content", "speaker", "cue")


def _claim_intervals(claims: Sequence[Claim]) -> list[tuple[int, int, int, str]]:
    out = []
    for i, c in enumerate(claims):
        out.extend((part.start, part.end, i, "content") for part in c.part_spans())  # the gaps between pieces are none of it
        if c.speaker is not None:
            out.append((c.speaker.start, c.speaker.end, i, "speaker"))
        if c.cue is not None:
            out.append((c.cue.start, c.cue.end, i, "cue"))
    return out


#: levels of content lines shown below the text; deeper nesting shares the last one
MAX_LEVELS = 3


def claim_levels(claims: Sequence[Claim]) -> list[int]:
    """A line level per claim, so that claims whose content overlaps (a claim inside another's,
    two attributions of one sentence) each get a line of their own: the lowest level free of
    every claim already placed whose content overlaps it, by start (longest first)."""
    order = sorted(range(len(claims)), key=lambda i: (claims[i].start, -claims[i].end, i))
    ends: list[int] = []  # per level, where the last claim placed on it ends
    levels = [0] * len(claims)
    for i in order:
        c = claims[i]
        level = next((k for k, end in enumerate(ends) if end <= c.start), len(ends))
        if level == len(ends):
            ends.append(c.end)
        else:
            ends[level] = c.end
        levels[i] = min(level, MAX_LEVELS - 1)
    return levels


#: the most characters the view shows at once: a longer document is shown page by page
PAGE_CHARS = 20_000


def pages(text: str, size: int = PAGE_CHARS) -> list[int]:
    """Where each page of ``text`` starts: pages of at most ``size`` characters, cut after a
    line break where one falls in a page's second half (else after a space)."""
    starts = [0]
    while len(text) - starts[-1] > size:
        start = starts[-1]
        limit = start + size
        cut = text.rfind("\n", start + size // 2, limit)
        if cut < 0:
            cut = text.rfind(" ", start + size // 2, limit)
        starts.append(cut + 1 if cut >= 0 else limit)
    return starts


def page_of(starts: Sequence[int], offset: int) -> int:
    """The page (index into ``starts``) that holds character ``offset``."""
    return max(0, bisect_right(starts, offset) - 1)


def segments(
    text: str,
    entities: Sequence[Entity],
    claims: Sequence[Claim] = (),
    *,
    selection: tuple[int, int] | None = None,
    entity: int = -1,
    claim: int = -1,
    window: tuple[int, int] | None = None,
) -> list[dict[str, Any]]:
    """Cut ``text`` (or only its characters ``window`` = [start, end): one page of a long
    document; offsets and indices stay those of the whole document) at every entity,
    claim-part and selection boundary.

    Each segment is ``{"s", "e", "t"}`` (offsets and its text) plus, when they apply:
    ``ent`` (entity index), ``l`` (its label), ``first``/``last`` (segment opens/closes the
    entity), ``cur`` (the selected entity), ``roles`` (list of ``[claim index, role, opens, closes]``),
    ``c`` (the claim a first click selects: of the claims there, the one of the shortest content),
    ``cs`` (every claim there, in order: further clicks go through them), ``cc`` (belongs to the
    selected claim) and ``sel`` (inside the pending selection).
    Entities must not overlap one another; claim parts may overlap anything.
    """
    lo, hi = window if window is not None else (0, len(text))
    intervals = [iv for iv in _claim_intervals(claims) if iv[0] < hi and iv[1] > lo]
    ent_i = bisect_right([e.end for e in entities], lo)  # the first entity that ends after the window starts
    cuts = {lo, hi}
    for e in entities[ent_i:]:
        if e.start >= hi:
            break
        cuts.update((e.start, e.end))
    for s, e, _, _ in intervals:
        cuts.update((s, e))
    if selection is not None:
        cuts.update(selection)
    points = sorted(c for c in cuts if lo <= c <= hi)
    starts = sorted(intervals)
    active: list[tuple[int, int, int, str]] = []
    nxt = 0
    out: list[dict[str, Any]] = []
    for a, b in zip(points, points[1:]):
        if a == b:
            continue
        seg: dict[str, Any] = {"s": a, "e": b, "t": text[a:b]}
        while ent_i < len(entities) and entities[ent_i].end <= a:
            ent_i += 1
        if ent_i < len(entities) and entities[ent_i].start <= a:
            ent = entities[ent_i]
            seg.update(ent=ent_i, l=ent.label, first=ent.start == a, last=ent.end == b)
            if ent_i == entity:
                seg["cur"] = True
        while nxt < len(starts) and starts[nxt][0] <= a:
            active.append(starts[nxt])
            nxt += 1
        if active:
            active = [iv for iv in active if iv[1] > a]
            if active:
                roles = sorted((iv[2], iv[3], iv[0] == a, iv[1] == b) for iv in active)
                seg["roles"] = [list(r) for r in roles]
                there = sorted({r[0] for r in roles})
                seg["cs"] = there
                seg["c"] = min(there, key=lambda i: (claims[i].end - claims[i].start, i))
                if claim in there:
                    seg["cc"] = True
        if selection is not None and selection[0] <= a and b <= selection[1]:
            seg["sel"] = True
        out.append(seg)
    return out


def _excerpt(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def claim_rows(text: str, claims: Sequence[Claim], *, selected: int = -1, limit: int = 160) -> list[dict[str, Any]]:
    """One row per claim for the claims list (plain text fields; the view escapes)."""
    rows = []
    levels = claim_levels(claims)
    for i, c in enumerate(claims):
        rows.append(
            {
                "i": i,
                "level": levels[i],
                "start": c.start,
                "kind": c.kind,
                "hedged": c.hedged,
                "negated": c.negated,
                "parts": len(c.parts),
                "content": _excerpt(" … ".join(p.text(text) for p in c.part_spans()), limit),
                "speaker_name": _excerpt(c.speaker_name.text(text), 60) if c.speaker_name else "",
                "speaker": _excerpt(c.speaker.text(text), 60) if c.speaker else "",
                "cue": _excerpt(c.cue.text(text), 40) if c.cue else "",
                "origin": c.origin,
                "score": c.score,
                "sel": i == selected,
            }
        )
    return rows


#: what the default labels stand for (OntoNotes 5, as spaCy's English pipelines use them)
LABEL_DESCRIPTIONS: Mapping[str, str] = {
    "PERSON": "people, including fictional ones",
    "ORG": "companies, agencies, institutions, parties, media",
    "GPE": "countries, cities, states: places with a government",
    "LOC": "other places: mountains, rivers, seas, regions",
    "NORP": "nationalities, religious and political groups",
    "DATE": "absolute or relative dates and periods",
    "EVENT": "named wars, storms, summits, sports events",
    "FAC": "buildings, airports, highways, bridges",
    "PRODUCT": "objects, vehicles, foods (not services)",
    "LAW": "named documents made into laws",
    "WORK_OF_ART": "titles of books, songs, films",
    "LANGUAGE": "any named language",
    "TIME": "times smaller than a day",
    "PERCENT": "percentages, with %",
    "MONEY": "monetary values, with the unit",
    "QUANTITY": "measurements, as of weight or distance",
    "ORDINAL": "first, second ...",
    "CARDINAL": "numerals that fall under no other label",
}


def legend(
    labels: Sequence[str], colors: Mapping[str, tuple[str, str]], *, current: str | None = None,
    descriptions: Mapping[str, str] | None = None,
) -> list[dict[str, Any]]:
    """Legend chips: label, its number key (1-9 for the first nine), colours, current flag, description."""
    descriptions = LABEL_DESCRIPTIONS if descriptions is None else descriptions
    return [
        {"label": label, "key": str(n) if n <= 9 else "", "bg": colors[label][0], "fg": colors[label][1], "cur": label == current,
         "title": descriptions.get(label, "")}
        for n, label in enumerate(labels, start=1)
    ]


def keys_html(table: Sequence[tuple[str, str]], labels: Sequence[str], descriptions: Mapping[str, str]) -> str:
    """The help overlay: every key with what it does, and each label with its meaning."""
    keys = "".join(f"<tr><td><kbd>{html.escape(k)}</kbd></td><td>{html.escape(v)}</td></tr>" for k, v in table)
    labels_html = "".join(
        f"<tr><td><b>{n}</b> {html.escape(label)}</td><td>{html.escape(descriptions.get(label, ''))}</td></tr>"
        for n, label in enumerate(labels, start=1)
    )
    return (
        '<div class="tk-keys"><div class="tk-keys-title">Keys <span class="tk-side-hint">(? closes)</span></div>'
        f'<table class="tk-keys-table">{keys}</table><div class="tk-keys-title">Labels</div>'
        f'<table class="tk-keys-table">{labels_html}</table></div>'
    )


def document_html(
    text: str,
    entities: Sequence[Entity],
    claims: Sequence[Claim] = (),
    *,
    colors: Mapping[str, tuple[str, str]],
    entity_classes: Mapping[int, str] | None = None,
    claim_classes: Mapping[int, str] | None = None,
) -> str:
    """Static, escaped HTML of a document with its entities and claims (used by review)."""
    entity_classes = entity_classes or {}
    claim_classes = claim_classes or {}
    parts = []
    for seg in segments(text, entities, claims):
        classes = []
        style = ""
        for i, role, opens, closes in seg.get("roles", ()):
            classes.append(f"tk-r-{role}")
            classes += [f"tk-r-{role}-s"] * opens + [f"tk-r-{role}-e"] * closes
            if i in claim_classes:
                classes.append(claim_classes[i])
        piece = html.escape(seg["t"])
        if "ent" in seg:
            fill, tone = colors.get(seg["l"], unknown_color())
            classes.append("tk-ent")
            classes += ["tk-first"] * seg["first"] + ["tk-last"] * seg["last"]
            if seg["ent"] in entity_classes:
                classes.append(entity_classes[seg["ent"]])
            style = f' style="background:{fill};border-color:{tone}"'
            if seg["last"]:
                piece += f'<span class="tk-tag" style="color:{tone}">{html.escape(seg["l"])}</span>'
        parts.append(f'<span class="{" ".join(classes)}"{style}>{piece}</span>' if classes else piece)
    return '<div class="tk-doc">' + "".join(parts) + "</div>"


def progress_html(
    *, doc_id: str | None, position: int | None, done: int, total: int | None, counts: Mapping[str, int], annotator: str,
    stored: str | None = None, unsaved: bool = False, flagged: bool = False,
) -> str:
    """The header line: document, position (None past the last document), done/total, answers so
    far, annotator; the stored answer, said to be edited since when the screen is ``unsaved``."""
    pct = 0 if not total else min(100, round(100 * done / total))
    doc = html.escape(doc_id) if doc_id is not None else "—"
    badge = ""
    if stored and not unsaved:
        badge = f' <span class="tk-badge tk-badge-{html.escape(stored)}">stored: {html.escape(stored)}</span>'
    elif stored:
        badge = f' <span class="tk-badge tk-badge-edited">stored: {html.escape(stored)}, edited since</span>'
    if flagged:
        badge += ' <span class="tk-badge tk-badge-flag" title="flagged for discussion (f)">⚑ flagged</span>'
    if unsaved:
        badge += ' <span class="tk-badge tk-badge-unsaved" title="answer (a/r/s) to save; a draft is kept">● unsaved</span>'
    bar = "" if total is None else f'<span class="tk-bar"><span style="width:{pct}%"></span></span>'
    counts_html = " · ".join(f'<span class="tk-count tk-count-{a}">{a} {counts.get(a, 0)}</span>' for a in ANSWERS)
    return (
        '<div class="tk-header">'
        f'<span class="tk-docid" title="document id">{doc}</span>{badge}'
        f'<span class="tk-progress">{bar}'
        f"done {done}{'' if total is None else f' / {total}'} · {'end' if position is None else f'#{position + 1}'}</span>"
        f'<span class="tk-counts">{counts_html}</span>'
        f'<span class="tk-annotator">annotator <b>{html.escape(annotator)}</b></span>'
        "</div>"
    )


def status_html(message: str, *, level: str = "info") -> str:
    if not message:
        return '<div class="tk-status">&nbsp;</div>'
    return f'<div class="tk-status tk-status-{html.escape(level)}">{html.escape(message)}</div>'


def help_html(groups: Sequence[tuple[str, Sequence[tuple[str, str]]]], *, mac: bool = False) -> str:
    """The shortcut line: groups of (keys, what they do); key names as on a Mac when ``mac``."""
    from .actions import on_platform

    blocks = []
    for title, items in groups:
        keys = " ".join(f"<kbd>{html.escape(on_platform(k, mac))}</kbd>&nbsp;{html.escape(v)}" for k, v in items)
        blocks.append(f'<span class="tk-help-group"><b>{html.escape(title)}</b> {keys}</span>')
    return '<div class="tk-help">' + "".join(blocks) + "</div>"

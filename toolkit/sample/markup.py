"""A small inline markup for writing gold annotations by hand, with exact offsets.

- Entity: ``[Joe Biden](PERSON)``.
- Claim parts: ``{{c1|...}}`` content, ``{{s1|...}}`` speaker, ``{{q1|...}}`` cue, all with
  the same claim number. Claim attributes follow the content id: ``{{c1:direct|...}}``,
  ``{{c1:indirect:hedged|...}}`` (default ``indirect``, not hedged). Parts may contain
  entities: ``{{s1|[Reuters](ORG)}}``. Several claims may share a speaker or cue: ``{{s1,2|...}}``.

Annotation guideline used for the sample gold:
- PERSON without titles or roles (``President [Joe Biden](PERSON)``); ``U.S.``/``US`` as GPE,
  also in ``U.S. Secretary of State``; NORP for demonyms and group adjectives (``Western``).
- A leading ``the`` is never part of an entity (``the [United States](GPE)``), nor is a
  possessive ``'s``.
- DATE marks calendar references, absolute or relative to the article's date: ``on Monday`` ->
  ``Monday``, ``June 3``, ``2030``, ``this week``, ``next year``, ``later this year``, ``today``.
  Durations (``two days``, ``for months``) are not marked.
- The content of a direct claim is the text inside the quote marks, without them. The content
  of an indirect claim is the reported clause, without the cue, ``that`` and the final period.
- The speaker is the closest full mention of who said it in the attribution clause; the cue is
  the speech verb or phrase (``said``, ``told``, ``has reported``, ``according to``).
"""
from __future__ import annotations

import re

from ..types import Claim, Entity, Span

_OPEN = re.compile(r"\{\{([csq])([\d,]+)((?::\w+)*)\||\[")
_ENTITY_END = re.compile(r"\]\(([A-Z_]+)\)")


def parse(markup: str) -> tuple[str, list[Entity], list[Claim]]:
    """Plain text, entities and claims (origin ``gold``) from marked-up text."""
    out: list[str] = []
    stack: list[tuple] = []
    entities: list[Entity] = []
    parts: dict[tuple[str, int], tuple[int, int]] = {}
    attrs: dict[int, tuple[str, bool]] = {}
    i = 0
    length = 0
    while i < len(markup):
        if markup.startswith("}}", i) and stack and stack[-1][0] == "part":
            _, kind, ids, flags, start = stack.pop()
            for n in ids:
                parts[(kind, n)] = (start, length)
                if kind == "c":
                    attrs[n] = ("direct" if "direct" in flags else "indirect", "hedged" in flags)
            i += 2
            continue
        end = _ENTITY_END.match(markup, i)
        if end and stack and stack[-1][0] == "entity":
            _, start = stack.pop()
            entities.append(Entity(start, length, end.group(1), origin="gold"))
            i = end.end()
            continue
        opening = _OPEN.match(markup, i)
        if opening:
            if opening.group(0) == "[":
                stack.append(("entity", length))
            else:
                ids = [int(n) for n in opening.group(2).split(",")]
                flags = set(opening.group(3).strip(":").split(":")) if opening.group(3) else set()
                stack.append(("part", opening.group(1), ids, flags, length))
            i = opening.end()
            continue
        out.append(markup[i])
        length += 1
        i += 1
    if stack:
        raise ValueError(f"unclosed markup: {stack[-1][0]} opened at text offset {stack[-1][-1]}")
    claims = []
    for n, (kind, hedged) in sorted(attrs.items()):
        start, end = parts[("c", n)]
        speaker = parts.get(("s", n))
        cue = parts.get(("q", n))
        claims.append(
            Claim(
                start,
                end,
                kind=kind,  # type: ignore[arg-type]
                hedged=hedged,
                speaker=Span(*speaker) if speaker else None,
                cue=Span(*cue) if cue else None,
                origin="gold",
            )
        )
    return "".join(out), sorted(entities, key=lambda e: e.start), claims

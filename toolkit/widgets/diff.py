"""Differences between two annotators' versions of one document, and their resolution.

Items both versions share exactly are *agreed*. The rest are grouped into
*differences*: connected groups of overlapping items (entities by span, claims by
content span), each with A's side and B's side. One side of a group is only in A when B's
side is empty, and so on; a label mismatch is a group with one entity each on the same
span. Choosing a side per group keeps each version's no-overlap guarantee: groups never
overlap one another, and an agreed entity cannot overlap anything in a group.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Sequence

from ..types import Claim, Entity

Side = Literal["a", "b"]


def entity_key(e: Entity) -> tuple:
    return (e.start, e.end, e.label)


def claim_key(c: Claim) -> tuple:
    span = lambda s: (s.start, s.end) if s is not None else None  # noqa: E731
    return (c.start, c.end, c.kind, c.hedged, c.negated, tuple(map(span, c.parts)), span(c.speaker), span(c.cue))


@dataclass(frozen=True)
class Difference:
    """One disagreement: the overlapping items of A and of B (either side may be empty)."""

    kind: Literal["entity", "claim"]
    a: tuple
    b: tuple

    @property
    def what(self) -> str:
        """``only A``, ``only B``, ``label`` (same span), ``claim details`` (same content) or ``span``."""
        if not self.b:
            return "only A"
        if not self.a:
            return "only B"
        if len(self.a) == len(self.b) == 1 and (self.a[0].start, self.a[0].end) == (self.b[0].start, self.b[0].end):
            return "label" if self.kind == "entity" else "claim details"
        return "span"

    @property
    def start(self) -> int:
        return min(x.start for x in (*self.a, *self.b))


def _groups(kind: Literal["entity", "claim"], a: Sequence, b: Sequence) -> list[Difference]:
    items = sorted([(x.start, x.end, "a", x) for x in a] + [(x.start, x.end, "b", x) for x in b], key=lambda t: (t[0], t[1]))
    groups: list[Difference] = []
    current: dict[str, list] = {"a": [], "b": []}
    reach = -1
    for start, end, side, item in items:
        if (current["a"] or current["b"]) and start >= reach:
            groups.append(Difference(kind, tuple(current["a"]), tuple(current["b"])))
            current, reach = {"a": [], "b": []}, -1
        current[side].append(item)
        reach = max(reach, end)
    if current["a"] or current["b"]:
        groups.append(Difference(kind, tuple(current["a"]), tuple(current["b"])))
    return groups


def compare(
    a_entities: Sequence[Entity], b_entities: Sequence[Entity], a_claims: Sequence[Claim], b_claims: Sequence[Claim]
) -> tuple[list[Entity], list[Claim], list[Difference]]:
    """(agreed entities, agreed claims, differences sorted by position)."""
    b_ent_keys = {entity_key(e) for e in b_entities}
    a_ent_keys = {entity_key(e) for e in a_entities}
    agreed_e = [e for e in a_entities if entity_key(e) in b_ent_keys]
    only_a_e = [e for e in a_entities if entity_key(e) not in b_ent_keys]
    only_b_e = [e for e in b_entities if entity_key(e) not in a_ent_keys]
    b_claim_keys = {claim_key(c) for c in b_claims}
    a_claim_keys = {claim_key(c) for c in a_claims}
    agreed_c = [c for c in a_claims if claim_key(c) in b_claim_keys]
    only_a_c = [c for c in a_claims if claim_key(c) not in b_claim_keys]
    only_b_c = [c for c in b_claims if claim_key(c) not in a_claim_keys]
    diffs = _groups("entity", only_a_e, only_b_e) + _groups("claim", only_a_c, only_b_c)
    diffs.sort(key=lambda d: (d.start, d.kind))
    return agreed_e, agreed_c, diffs


def resolve(
    agreed_entities: Sequence[Entity], agreed_claims: Sequence[Claim], diffs: Sequence[Difference], choices: Sequence[Side | None]
) -> tuple[list[Entity], list[Claim]]:
    """The merged version: agreed items plus the chosen side of every difference."""
    if len(choices) != len(diffs):
        raise ValueError(f"need one choice per difference: {len(diffs)} differences, {len(choices)} choices")
    undecided = [i + 1 for i, c in enumerate(choices) if c not in ("a", "b")]
    if undecided:
        raise ValueError(f"differences {undecided} have no choice yet: pick A or B for each (or take a whole version)")
    entities, claims = list(agreed_entities), list(agreed_claims)
    for diff, choice in zip(diffs, choices):
        chosen = diff.a if choice == "a" else diff.b
        (entities if diff.kind == "entity" else claims).extend(chosen)
    entities.sort(key=lambda e: (e.start, e.end))
    claims.sort(key=lambda c: (c.start, c.end))
    return entities, claims

"""Differences between two annotators' versions of one document, and their resolution.

Items both versions share exactly are *agreed*. The rest are grouped into
*differences*: connected groups of overlapping items (entities by span, claims by
content span), each with A's side and B's side. One side of a group is only in A when B's
side is empty, and so on; a label mismatch is a group with one entity each on the same
span. Choosing a side per group keeps each version's no-overlap guarantee: groups never
overlap one another, and an agreed entity cannot overlap anything in a group.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal, Mapping, Sequence, Union

from ..types import Claim, Entity

Side = Literal["a", "b"]
#: a difference's choice: one side for all of it, or (a claim pair) one side per field
Choice = Union[Side, Mapping[str, Side], None]

#: the fields of a claim the review decides separately, and the Claim attributes each carries
CLAIM_FIELDS: dict[str, tuple[str, ...]] = {
    "content": ("start", "end", "parts"),
    "kind": ("kind",),
    "hedged": ("hedged",),
    "negated": ("negated",),
    "speaker": ("speaker", "speaker_name"),
    "cue": ("cue",),
}
MATCH_IOU = 0.5


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
    fields: tuple[str, ...] = ()  # a claim pair matched by content: the fields that differ, each a decision

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


def _iou(x, y) -> float:
    inter = max(0, min(x.end, y.end) - max(x.start, y.start))
    union = max(x.end, y.end) - min(x.start, y.start)
    return inter / union if union > 0 else float((x.start, x.end) == (y.start, y.end))


def claim_fields(a: Claim, b: Claim) -> tuple[str, ...]:
    """The fields (:data:`CLAIM_FIELDS`) in which two claims differ."""
    # speaker_name follows the speaker: it is no decision of its own
    return tuple(f for f, attrs in CLAIM_FIELDS.items() if any(getattr(a, x) != getattr(b, x) for x in attrs if x != "speaker_name"))


def _paired(d: Difference) -> Difference:
    if d.kind == "claim" and len(d.a) == len(d.b) == 1 and _iou(d.a[0], d.b[0]) >= MATCH_IOU:
        fields = claim_fields(d.a[0], d.b[0])
        if fields:
            return Difference(d.kind, d.a, d.b, fields)
    return d


def merge_claim(a: Claim, b: Claim, picks: Mapping[str, Side]) -> Claim:
    """Claim ``a`` with the fields picked ``"b"`` taken from ``b`` (all from b: ``b`` itself)."""
    taken = [f for f, side in picks.items() if side == "b"]
    if set(taken) >= set(claim_fields(a, b)):
        return b
    return replace(a, **{attr: getattr(b, attr) for f in taken for attr in CLAIM_FIELDS[f]})


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
    diffs = _groups("entity", only_a_e, only_b_e) + [_paired(d) for d in _groups("claim", only_a_c, only_b_c)]
    diffs.sort(key=lambda d: (d.start, d.kind))
    return agreed_e, agreed_c, diffs


def decided(diff: Difference, choice: Choice) -> bool:
    """Whether ``choice`` settles ``diff`` (a claim pair's per-field choice: every field has a side)."""
    if choice in ("a", "b"):
        return True
    return isinstance(choice, Mapping) and bool(diff.fields) and all(choice.get(f) in ("a", "b") for f in diff.fields)


def resolve(
    agreed_entities: Sequence[Entity], agreed_claims: Sequence[Claim], diffs: Sequence[Difference], choices: Sequence[Choice],
    *, names: tuple[str, str] = ("A", "B"),
) -> tuple[list[Entity], list[Claim]]:
    """The merged version: agreed items plus the chosen side of every difference (of a claim
    pair, its per-field choice ``{field: side}``). ``names``: the annotators, for the message."""
    if len(choices) != len(diffs):
        raise ValueError(f"need one choice per difference: {len(diffs)} differences, {len(choices)} choices")
    undecided = [i + 1 for i, (d, c) in enumerate(zip(diffs, choices)) if not decided(d, c)]
    if undecided:
        a, b = names
        raise ValueError(f"differences {undecided} have no choice yet: pick {a} or {b} for each "
                         f"(or take a whole version: 'All from {a}' / 'All from {b}')")
    entities, claims = list(agreed_entities), list(agreed_claims)
    for diff, choice in zip(diffs, choices):
        if isinstance(choice, Mapping):
            claims.append(merge_claim(diff.a[0], diff.b[0], choice))
            continue
        chosen = diff.a if choice == "a" else diff.b
        (entities if diff.kind == "entity" else claims).extend(chosen)
    entities.sort(key=lambda e: (e.start, e.end))
    claims.sort(key=lambda c: (c.start, c.end))
    return entities, claims

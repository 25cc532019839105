"""Inter-annotator agreement on entities and claims, from Correction records.

Two annotators are compared on the documents both accepted, paired by ``doc_id`` with the
same ``text_sha256`` (a document whose text changed between them is left out with a
:class:`~toolkit.errors.DriftWarning`). For each annotator the latest record of a
document counts.

* Entities: span F1 (exact start, end and label; symmetric, so either annotator can be
  the reference) per label and overall, and Cohen's kappa at token level (Cohen 1960):
  each token of the toolkit's tokenizer (:func:`toolkit.extract.blank_english`) gets the
  label of the entity overlapping it, or ``O``; kappa overall over all labels plus ``O``,
  and per label as that label versus the rest. Tokens of all shared documents are pooled.
* Claims: content span F1 (IoU >= 0.5, one-to-one; see :mod:`toolkit.analysis.metrics`)
  and, over matched claims, agreement on speaker, cue, kind and hedging.
* Answers: the share of shared documents given the same answer (accept/reject/ignore).

With three or more annotators every pair is scored (:meth:`AgreementReport.pairwise`) and
:meth:`AgreementReport.table` gives the mean over pairs.
"""
from __future__ import annotations

import functools
import itertools
import math
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterable, Literal, Sequence

from ..errors import DriftWarning, InputError, warn
from ..store.choice import REVIEWER, latest_per_annotator
from ..types import Claim, Correction, Entity, Span
from .metrics import entity_key, match_claims, score_claims, score_entities, span_iou, spans_agree

if TYPE_CHECKING:
    import pandas as pd

ALL = "ALL"
OUTSIDE = "O"


def cohen_kappa(a: Sequence[Any], b: Sequence[Any]) -> float | None:
    """Cohen's kappa of two equally long label sequences; ``None`` when undefined
    (no items, or chance agreement is 1 because both used a single category)."""
    if len(a) != len(b):
        raise ValueError(f"cohen_kappa: sequences of different lengths ({len(a)} and {len(b)}).")
    n = len(a)
    if n == 0:
        return None
    observed = sum(x == y for x, y in zip(a, b)) / n
    ca, cb = Counter(a), Counter(b)
    expected = sum(ca[k] * cb[k] for k in ca) / (n * n)
    if math.isclose(expected, 1.0):
        return None
    return (observed - expected) / (1 - expected)


@functools.lru_cache(maxsize=1)
def _tokenizer() -> Any:
    from ..extract.tokenizer import blank_english

    return blank_english().tokenizer


def token_labels(text: str, entities: Iterable[Entity]) -> list[str]:
    """One label per token of ``text``: the label of the first entity overlapping it, else ``O``."""
    ents = sorted(entities, key=lambda e: (e.start, -e.end))
    labels = []
    for tok in _tokenizer()(text):
        start, end = tok.idx, tok.idx + len(tok.text)
        labels.append(next((e.label for e in ents if e.start < end and start < e.end), OUTSIDE))
    return labels


def _latest(records: Iterable[Correction]) -> dict[str, dict[str, Correction]]:
    """Per annotator, the latest record of each document (the store's rule)."""
    out: dict[str, dict[str, Correction]] = {}
    for (doc_id, annotator), record in latest_per_annotator(records).items():
        out.setdefault(annotator, {})[doc_id] = record
    return out


def _pair_rows(docs: list[tuple[Correction, Correction]]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    answered = sum(a.answer == b.answer for a, b in docs)
    rows.append({"label": "answer", "metric": "answer_agreement", "value": answered / len(docs), "n": len(docs)})
    both = [(a, b) for a, b in docs if a.answer == b.answer == "accept"]
    if not both:
        return rows
    ents = score_entities([a.entities for a, _ in both], [b.entities for _, b in both])
    for label, s in [(ALL, ents["micro"]), *ents["labels"].items()]:
        rows.append({"label": label, "metric": "entity_f1", "value": s["f1"], "n": s["tp"] + s["fp"] + s["fn"]})
    tok_a = [lab for a, _ in both for lab in token_labels(a.text, a.entities)]
    tok_b = [lab for _, b in both for lab in token_labels(b.text, b.entities)]
    rows.append({"label": ALL, "metric": "entity_kappa", "value": cohen_kappa(tok_a, tok_b), "n": len(tok_a)})
    for label in sorted((set(tok_a) | set(tok_b)) - {OUTSIDE}):
        kappa = cohen_kappa([x == label for x in tok_a], [y == label for y in tok_b])
        rows.append({"label": label, "metric": "entity_kappa", "value": kappa, "n": len(tok_a)})
    claims = score_claims([a.claims for a, _ in both], [b.claims for _, b in both])
    rows.append({"label": "claims", "metric": "claim_f1", "value": claims["f1"], "n": claims["tp"] + claims["fp"] + claims["fn"]})
    for name in ("speaker", "cue", "kind", "hedged"):
        rows.append({"label": "claims", "metric": f"{name}_agreement", "value": claims[f"{name}_accuracy"], "n": claims["matched"]})
    return rows


@dataclass(frozen=True)
class AgreementReport:
    """Agreement between annotators; build it with :func:`agreement`.

    Attributes:
        annotators: the annotators compared.
        rows: per pair ``(a, b)``, the rows ``{label, metric, value, n}``.
        docs: per pair, the ids of the documents compared.
    """

    annotators: tuple[str, ...]
    rows: dict[tuple[str, str], list[dict[str, Any]]] = field(default_factory=dict)
    docs: dict[tuple[str, str], list[str]] = field(default_factory=dict)

    def pairwise(self) -> "pd.DataFrame":
        """Columns annotator_a, annotator_b, label, metric, value, n: one row per pair and score."""
        import pandas as pd

        data = [{"annotator_a": a, "annotator_b": b, **row} for (a, b), rows in self.rows.items() for row in rows]
        df = pd.DataFrame(data, columns=["annotator_a", "annotator_b", "label", "metric", "value", "n"])
        return df.astype({"value": "float64", "n": "int64"})

    def table(self) -> "pd.DataFrame":
        """Columns label, metric, value, n. With two annotators, their scores; with more,
        the mean value over the pairs where it is defined, and n summed over pairs."""
        df = self.pairwise()
        out = df.groupby(["metric", "label"], sort=False, as_index=False).agg(value=("value", "mean"), n=("n", "sum"))
        return out[["label", "metric", "value", "n"]].reset_index(drop=True)

    def value(self, metric: str, label: str = ALL) -> float | None:
        """One number of :meth:`table`, e.g. ``value("entity_kappa")`` or ``value("claim_f1", "claims")``."""
        df = self.table()
        hit = df[(df["metric"] == metric) & (df["label"] == label)]
        if hit.empty or math.isnan(hit["value"].iloc[0]):
            return None
        return float(hit["value"].iloc[0])

    def __str__(self) -> str:
        n_docs = {pair: len(ids) for pair, ids in self.docs.items()}
        head = f"agreement of {', '.join(self.annotators)} ({sum(n_docs.values())} document pairs)"
        return head + "\n" + self.table().to_string(index=False, float_format=lambda x: f"{x:.3f}")


def agreement(records: Iterable[Correction], *, annotators: Sequence[str] | None = None) -> AgreementReport:
    """Agreement between annotators on the documents they both annotated.

    Args:
        records: Correction records, e.g. ``Corrections(dir).records()``.
        annotators: who to compare; default every annotator in ``records`` except the
            reviewer ``review`` (whose records adjudicate, not annotate).

    Raises:
        InputError: fewer than two annotators (E143), or no two of them share a
            document (E144).
    """
    latest = _latest(records)
    names = tuple(annotators) if annotators is not None else tuple(sorted(a for a in latest if a != REVIEWER))
    if len(names) < 2:
        raise InputError(
            f"agreement needs records of at least two annotators; found {list(names) or 'none'}. "
            "Pass annotators=[...] to choose them (the reviewer 'review' is left out unless named).",
            code="E143",
        )
    unknown = [n for n in names if n not in latest]
    if unknown:
        raise InputError(f"no records of annotator(s) {unknown}; annotators present: {sorted(latest)}.", code="E143")
    report = AgreementReport(annotators=names)
    for a, b in itertools.combinations(names, 2):
        pairs = []
        for doc_id in sorted(latest[a].keys() & latest[b].keys()):
            ra, rb = latest[a][doc_id], latest[b][doc_id]
            if ra.text_sha256 != rb.text_sha256:
                warn(
                    f"document '{doc_id}': {a} and {b} annotated different texts (text_sha256 differs); "
                    "it is left out of their agreement. Re-annotate it on the current text.",
                    DriftWarning,
                )
                continue
            pairs.append((ra, rb))
        if pairs:
            report.rows[(a, b)] = _pair_rows(pairs)
            report.docs[(a, b)] = [ra.doc_id for ra, _ in pairs]
    if not report.rows:
        raise InputError(f"annotators {list(names)} have no document in common (same doc_id and text).", code="E144")
    return report


# --- listing the differences of two records ---------------------------------------------

What = Literal[
    "only_a", "only_b", "label_mismatch", "boundary",
    "speaker_mismatch", "cue_mismatch", "kind_mismatch", "hedged_mismatch",
]


@dataclass(frozen=True)
class Disagreement:
    """One difference between two annotations of a document.

    Attributes:
        kind: ``entity`` or ``claim``.
        what: ``only_a`` / ``only_b`` (one side has nothing there); ``label_mismatch``
            (same entity span, different label); ``boundary`` (overlapping spans that
            differ); for claims matched on content also ``speaker_mismatch``,
            ``cue_mismatch``, ``kind_mismatch``, ``hedged_mismatch``.
        a, b: the Entity or Claim of each side (None on the side that has none).
        span_a, span_b: their spans (for ``speaker_mismatch`` and ``cue_mismatch``
            the speaker or cue spans, which may be None).
        label_a, label_b: entity labels; for claims the kind (``direct``/``indirect``).
    """

    kind: Literal["entity", "claim"]
    what: What
    a: Entity | Claim | None
    b: Entity | Claim | None
    span_a: Span | None
    span_b: Span | None
    label_a: str | None = None
    label_b: str | None = None

    @property
    def start(self) -> int:
        item = self.a if self.a is not None else self.b
        return item.start if item is not None else 0

    def describe(self, text: str) -> str:
        """One readable line, e.g. ``entity label_mismatch: A PERSON 'Paris' / B GPE 'Paris'``."""
        def side(name: str, span: Span | None, label: str | None) -> str:
            words = repr(text[span.start : span.end]) if span is not None else "nothing"
            return f"{name} {label + ' ' if label else ''}{words}"

        return f"{self.kind} {self.what}: {side('A', self.span_a, self.label_a)} / {side('B', self.span_b, self.label_b)}"


def _span(item: Entity | Claim) -> Span:
    return Span(item.start, item.end)


def _entity_disagreements(a: Sequence[Entity], b: Sequence[Entity]) -> list[Disagreement]:
    rest_a, rest_b = list(a), list(b)
    for e in list(rest_a):
        twin = next((f for f in rest_b if entity_key(f) == entity_key(e)), None)
        if twin is not None:
            rest_a.remove(e)
            rest_b.remove(twin)
    out = []
    candidates = sorted(
        ((span_iou(e, f), i, j) for i, e in enumerate(rest_a) for j, f in enumerate(rest_b) if e.start < f.end and f.start < e.end),
        key=lambda c: (-c[0], c[1], c[2]),
    )
    used_a: set[int] = set()
    used_b: set[int] = set()
    for iou, i, j in candidates:
        if i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        e, f = rest_a[i], rest_b[j]
        what = "label_mismatch" if (e.start, e.end) == (f.start, f.end) else "boundary"
        out.append(Disagreement("entity", what, e, f, _span(e), _span(f), e.label, f.label))
    out += [Disagreement("entity", "only_a", e, None, _span(e), None, e.label) for i, e in enumerate(rest_a) if i not in used_a]
    out += [Disagreement("entity", "only_b", None, f, None, _span(f), None, f.label) for j, f in enumerate(rest_b) if j not in used_b]
    return out


def _claim_disagreements(a: Sequence[Claim], b: Sequence[Claim]) -> list[Disagreement]:
    out = []
    matches = match_claims(a, b)
    used_a, used_b = {i for i, _, _ in matches}, {j for _, j, _ in matches}
    for i, j, _ in matches:
        x, y = a[i], b[j]
        if (x.start, x.end) != (y.start, y.end):
            out.append(Disagreement("claim", "boundary", x, y, _span(x), _span(y), x.kind, y.kind))
        if not spans_agree(x.speaker, y.speaker):
            out.append(Disagreement("claim", "speaker_mismatch", x, y, x.speaker, y.speaker, x.kind, y.kind))
        if not spans_agree(x.cue, y.cue):
            out.append(Disagreement("claim", "cue_mismatch", x, y, x.cue, y.cue, x.kind, y.kind))
        if x.kind != y.kind:
            out.append(Disagreement("claim", "kind_mismatch", x, y, _span(x), _span(y), x.kind, y.kind))
        if x.hedged != y.hedged:
            out.append(Disagreement("claim", "hedged_mismatch", x, y, _span(x), _span(y), x.kind, y.kind))
    out += [Disagreement("claim", "only_a", x, None, _span(x), None, x.kind) for i, x in enumerate(a) if i not in used_a]
    out += [Disagreement("claim", "only_b", None, y, None, _span(y), None, y.kind) for j, y in enumerate(b) if j not in used_b]
    return out


def disagreements(a: Correction, b: Correction) -> list[Disagreement]:
    """Every difference between two annotations of the same document, in text order.

    Entities: identical spans and labels agree; the rest pair up by overlap (best first)
    as ``label_mismatch`` or ``boundary``, or stand alone as ``only_a`` / ``only_b``.
    Claims pair up as in the claim F1 (content IoU >= 0.5); a pair is listed once for each
    thing that differs (boundary, speaker, cue, kind, hedged). Claims overlapping by less
    are listed as ``only_a`` and ``only_b``, as the F1 counts them.

    Raises:
        ValueError: the records are of different documents or texts.
    """
    if a.doc_id != b.doc_id or a.text_sha256 != b.text_sha256:
        raise ValueError(
            f"disagreements: records of different documents or texts ('{a.doc_id}' by {a.annotator}, "
            f"'{b.doc_id}' by {b.annotator}); compare two annotations of the same text."
        )
    found = _entity_disagreements(a.entities, b.entities) + _claim_disagreements(a.claims, b.claims)
    return sorted(found, key=lambda d: (d.start, d.kind, d.what))

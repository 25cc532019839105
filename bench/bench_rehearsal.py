"""Rehearsal against forgetting: does ``train(unlabeled=...)`` keep a fine-tuned NER good on
text unlike the corrected documents?

Fine-tunes the default pipeline on N corrected documents of one gold set (``--train``), with
and without rehearsal on the unannotated texts of the other set's training pool, and scores
every model, with the rules, on the held-out documents of both sets (the same held-out splits
as ``bench/bench_learning_curve.py``):
- ``--train sample`` (default): corrections from the sample's pool, rehearsal on the 100 WikiGold
  training texts (their gold unused); WikiGold's 45 held-out articles are the 'other text'.
- ``--train wikigold``: corrections from WikiGold's pool, rehearsal on the sample's 51 pool texts.

Rows: the base pipeline; the fine-tune without rehearsal; with rehearsal at each ``--ratios``
(rehearsal documents per corrected document and epoch). ``keep_base`` is off, so each row is the
fine-tune itself, not the cross-validated choice.
Usage: python bench/bench_rehearsal.py [--train sample|wikigold] [--n 25] [--n-iter 30] [--ratios 1,2] [--seed 0]
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import toolkit
from toolkit.extract.pipeline import resolve_model
from toolkit.learn.train import train

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_learning_curve import sample_gold, wikigold_gold, wikigold_scorer  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--train", default="sample", choices=("sample", "wikigold"))
    parser.add_argument("--n", type=int, default=25)
    parser.add_argument("--n-iter", type=int, default=30)
    parser.add_argument("--ratios", default="1,2")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    base = resolve_model("auto")
    sample_pool, _, sample_score = sample_gold("sample-A", args.seed)
    wiki_pool, wiki_held = wikigold_gold(base, args.seed)
    wiki_score = wikigold_scorer(wiki_held)
    pool, other = (sample_pool, wiki_pool) if args.train == "sample" else (wiki_pool, sample_pool)
    corrections = pool[: args.n]
    unlabeled = [r.text for r in other]
    claims = args.train == "sample"
    print(f"train on {len(corrections)} {args.train} documents ({args.n_iter} epochs, seed {args.seed}, base {base}); "
          f"rehearsal texts: {len(unlabeled)} from the other set")
    print(f"{'setting':34s} {'sample-A F1':>11} {'WikiGold F1':>11} {'train s':>8}")

    def row(name: str, extractor, seconds: float | None = None) -> None:
        s, w = sample_score(extractor)[0], wiki_score(extractor)[0]
        print(f"{name:34s} {s:11.3f} {w:11.3f} {'' if seconds is None else f'{seconds:.1f}':>8}", flush=True)

    row("base + rules", toolkit.Extractor())
    settings = [("fine-tuned, no rehearsal", {})]
    settings += [(f"fine-tuned, rehearsal x{r}", {"unlabeled": unlabeled, "rehearsal": float(r)}) for r in args.ratios.split(",") if r]
    with tempfile.TemporaryDirectory() as tmp:
        for k, (name, options) in enumerate(settings):
            out = Path(tmp) / f"m{k}"
            result = train(corrections, out, seed=args.seed, n_iter=args.n_iter, keep_base=False, claims=claims, progress=False, **options)
            row(name, toolkit.Extractor(model=out), result.seconds)


if __name__ == "__main__":
    main()

"""``toolkit train``: retrain the extractor's spaCy models from accepted corrections."""
from __future__ import annotations

import argparse
import json


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "train",
        help="train a spaCy NER and claim tagger from corrections",
        description=(
            "Train a NER component and a claim-role tagger on the accepted corrections in DIR and save a "
            "standard spaCy pipeline (with the toolkit's rules) to MODEL_DIR. Use it with "
            "`toolkit extract --model MODEL_DIR`."
        ),
    )
    parser.add_argument("--annotations", default="annotations", metavar="DIR", help="corrections store (directory or .jsonl file; default: annotations/)")
    parser.add_argument("-o", "--output", required=True, metavar="MODEL_DIR", help="directory to save the trained pipeline to")
    parser.add_argument(
        "--base",
        default="auto",
        metavar="NAME_OR_PATH",
        help="the pipeline to train on top of: 'auto' (default) the default pipeline of `toolkit extract` (the best "
        "installed pretrained one); 'none' blank English; or an installed pipeline or a pipeline directory",
    )
    parser.add_argument("--dev-split", type=float, default=0.2, help="share of documents held out for scoring (default: 0.2)")
    parser.add_argument("--seed", type=int, default=0, help="random seed; the same seed gives the same model (default: 0)")
    parser.add_argument("--n-iter", type=int, default=30, help="maximum number of epochs (default: 30)")
    parser.add_argument("--no-claims", action="store_true", help="train the NER only, not the claim tagger")
    parser.add_argument(
        "--cv-folds", type=int, default=3,
        help="folds of the cross-validation that decides whether the fine-tuned NER beats the base's (default: 3; "
        "0: decide on the dev split)",
    )
    parser.add_argument(
        "--always-fine-tune", action="store_true",
        help="keep the fine-tuned NER even where cross-validation finds it no better than the base's",
    )
    parser.add_argument(
        "--unlabeled", metavar="CORPUS",
        help="uncorrected documents (a folder of .txt files, a CSV/JSONL/Parquet file: what `toolkit extract` reads) "
        "to rehearse on: the base NER's own entities on them are trained alongside the corrections, against "
        "forgetting what it found on other text (needs a pretrained base)",
    )
    parser.add_argument(
        "--rehearsal", type=float, default=1.0, metavar="RATIO",
        help="rehearsal documents mixed into each epoch per corrected document (default: 1.0)",
    )
    parser.add_argument(
        "--skip-invalid",
        action="store_true",
        help="read every valid record and report the bad lines (default: a bad line stops with its file and line)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..learn.train import summary, train
    from ..loaders import load
    from ..store import Corrections

    result = train(
        Corrections(args.annotations, on_error="skip" if args.skip_invalid else "raise").records(),
        args.output,
        base=args.base,
        dev_split=args.dev_split,
        seed=args.seed,
        n_iter=args.n_iter,
        claims=not args.no_claims,
        cv_folds=args.cv_folds,
        keep_base=not args.always_fine_tune,
        unlabeled=None if args.unlabeled is None else load(args.unlabeled),
        rehearsal=args.rehearsal,
    )
    print(f"trained on {result.n_train} documents, scored on {result.n_dev} ({result.seconds:.1f} s) -> {result.path}")
    print("labels: " + ", ".join(result.labels))
    print("dev scores: " + json.dumps({k: round(v, 4) for k, v in result.scores.items()}))
    for line in summary(result.combined):
        print(line)
    return 0

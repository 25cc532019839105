"""``toolkit import``: annotations made in other tools into the corrections store."""
from __future__ import annotations

import argparse


def add_parser(sub: argparse._SubParsersAction) -> None:
    from ..export import IMPORT_FORMATS

    parser = sub.add_parser(
        "import",
        help="import Prodigy, Label Studio, doccano, CoNLL or spaCy annotations as corrections",
        description=(
            "Read FILE in the given format and append one correction record per document to the store, so "
            "that imported annotations override and retrain like any other."
        ),
    )
    parser.add_argument("file", metavar="FILE", help="the file to import")
    parser.add_argument("--format", required=True, choices=sorted(IMPORT_FORMATS), help="format of FILE")
    parser.add_argument("--annotations", default="annotations", metavar="DIR", help="corrections store to append to (default: annotations/)")
    parser.add_argument("--annotator", help="annotator name to record (default: from the file, else the format's name)")
    parser.add_argument("--labels", nargs="+", metavar="LABEL", help="accept only these labels; others are an error")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..export import import_records
    from ..store import Corrections

    store = Corrections(args.annotations)
    records = list(import_records(args.file, args.format, annotator=args.annotator, labels=args.labels))
    count = store.extend(records)
    print(f"{count} records from {args.file} ({args.format}) -> {args.annotations}")
    return 0

"""``toolkit export``: corrected datasets out, for other tools."""
from __future__ import annotations

import argparse
import warnings


def add_parser(sub: argparse._SubParsersAction) -> None:
    from ..export import FORMATS

    parser = sub.add_parser(
        "export",
        help="export corrections for spaCy, Prodigy, Label Studio, doccano, CoNLL, Parquet, CSV",
        description="Export the latest correction of each document (per annotator) in another tool's format.",
    )
    parser.add_argument("--annotations", default="annotations", metavar="DIR", help="corrections store (directory or .jsonl file; default: annotations/)")
    parser.add_argument("--format", required=True, choices=sorted(FORMATS), help="output format")
    parser.add_argument("-o", "--output", required=True, metavar="OUT", help="output file")
    parser.add_argument("--annotator", help="only this annotator's records")
    parser.add_argument("--answer", choices=("accept", "reject", "ignore"), help="only records with this answer (e.g. accept)")
    parser.add_argument("--history", action="store_true", help="export every record, not only the latest per document and annotator")
    parser.add_argument(
        "--skip-invalid",
        action="store_true",
        help="read every valid record and report the bad lines (default: a bad line stops with its file and line)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..errors import AlignmentWarning
    from ..export import export_records
    from ..store import Corrections

    store = Corrections(args.annotations, on_error="skip" if args.skip_invalid else "raise")
    records = store.records() if args.history else store.latest()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        count = export_records(records, args.format, args.output, answer=args.answer, annotator=args.annotator)
    for w in caught:  # shown as they would have been, then counted
        warnings.showwarning(w.message, w.category, w.filename, w.lineno)
    aligned = sum(issubclass(w.category, AlignmentWarning) for w in caught)
    note = f"; spans snapped to whole tokens in {aligned} document(s), see the warnings above" if aligned else ""
    print(f"{count} records -> {args.output} ({args.format}){note}")
    return 0

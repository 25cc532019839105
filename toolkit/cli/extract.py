"""``toolkit extract``: corpus in, one JSON record per document out."""
from __future__ import annotations

import argparse
import sys
from collections import Counter

from ..jsonl import dumps_line
from ..types import Extraction
from .common import add_corpus_options, iter_corpus, open_output, progress


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "extract",
        help="extract entities and claims from a corpus into JSONL",
        description=(
            "Extract entities and claims from every document of the INPUT corpora and write one JSON "
            "object per document to OUT. Works with no model installed (rules on spaCy's blank English)."
        ),
    )
    add_corpus_options(parser)
    parser.add_argument("-o", "--output", required=True, metavar="OUT.jsonl", help="output JSONL file ('-' for stdout)")
    parser.add_argument("--model", metavar="NAME_OR_PATH", help="an installed spaCy pipeline or a pipeline directory (e.g. from `toolkit train`)")
    parser.add_argument("--annotations", metavar="DIR", help="corrections store whose records override the extractor and teach it patterns")
    parser.add_argument("--batch-size", type=int, default=64, help="documents per batch (default: 64)")
    parser.add_argument("--show", type=int, default=3, metavar="N", help="print the first N claims found (default: 3; 0 for none)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..extract import Extractor

    extractor = Extractor(args.model, annotations=args.annotations, batch_size=args.batch_size)
    labels: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    shown: list[str] = []
    n_docs = 0
    with open_output(args.output) as out:
        for extraction in progress(extractor.pipe(iter_corpus(args)), desc="extract"):
            out.write(dumps_line(extraction.to_dict()))
            out.write("\n")
            n_docs += 1
            labels.update(e.label for e in extraction.entities)
            kinds.update(c.kind for c in extraction.claims)
            if len(shown) < args.show:
                shown.extend(_describe_claims(extraction)[: args.show - len(shown)])
    report = sys.stderr if args.output == "-" else sys.stdout
    entity_summary = ", ".join(f"{label} {n}" for label, n in sorted(labels.items())) or "none"
    print(f"{n_docs} documents -> {args.output} ({extractor.info.name} {extractor.info.version})", file=report)
    print(f"entities: {entity_summary}", file=report)
    print(f"claims: {sum(kinds.values())} (direct {kinds['direct']}, indirect {kinds['indirect']})", file=report)
    for line in shown:
        print(line, file=report)
    return 0


def _describe_claims(extraction: Extraction) -> list[str]:
    text = extraction.doc.text
    lines = []
    for claim in extraction.claims:
        speaker = claim.speaker.text(text) if claim.speaker else "?"
        cue = claim.cue.text(text) if claim.cue else "?"
        content = claim.text(text)
        if len(content) > 90:
            content = content[:87] + "..."
        hedge = " [hedged]" if claim.hedged else ""
        lines.append(f"  [{extraction.doc.id}] {speaker} --{cue}--> {content!r} ({claim.kind}{hedge})")
    return lines

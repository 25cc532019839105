"""``toolkit evaluate``: precision, recall and F1 of the extractor against gold annotations."""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from .common import add_model_options, add_skip_invalid_option, describe_pipeline, on_error


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "evaluate",
        help="score the extractor against gold annotations",
        description=(
            "Run the extractor on the documents of GOLD (a corrections file or any JSONL with text, entities "
            "and claims) and print precision, recall and F1 per entity label and for claims (a claim matches "
            "when its content overlaps the gold content by at least half of their union), also per claim "
            "kind (direct, indirect, mixed), with speaker, cue, kind, hedging and negation accuracy over matched claims."
        ),
    )
    parser.add_argument("gold", metavar="GOLD.jsonl", help="gold annotations")
    add_model_options(parser)
    parser.add_argument("--annotations", metavar="DIR", help="corrections that override and teach the extractor")
    add_skip_invalid_option(parser, what=" of the --annotations store")
    parser.add_argument("--json", metavar="OUT.json", help="also write the scores as JSON")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..analysis.metrics import evaluate
    from ..api import Extractor
    from ..learn.gold import read_gold

    gold = list(read_gold(args.gold))
    extractor = Extractor(args.model, annotations=args.annotations, labels=args.labels, on_error=on_error(args))
    print(f"pipeline: {describe_pipeline(extractor)}")
    predictions = list(extractor.pipe(g.doc for g in gold))
    report = evaluate(predictions, gold)
    print(f"{len(gold)} documents, extractor {extractor.info.name} {extractor.info.version}")
    cut = _token_cutting_spans(extractor, gold)
    if cut:
        print(f"{cut} gold span(s) cut a token of the pipeline's tokenizer: scored by their characters as they are "
              "(training and CoNLL export snap them to whole tokens, with a warning)")
    print(report)
    if args.json:
        Path(args.json).write_text(json.dumps(report.to_dict(), indent=2), encoding="utf-8")
    return 0


def _token_cutting_spans(extractor, gold) -> int:
    """How many gold entity and claim spans do not start and end on the pipeline's token boundaries."""
    tokenizer = extractor.nlp.tokenizer
    count = 0
    for g in gold:
        doc = tokenizer(g.doc.text)
        spans = [(e.start, e.end) for e in g.entities] + [(c.start, c.end) for c in g.claims]
        count += sum(doc.char_span(start, end) is None for start, end in spans)
    return count

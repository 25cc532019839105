"""Throughput on one machine and on a local Dask cluster, measured in one run on the same text.

For each corpus, prints words/s of: spacy.blank("en") + sentencizer (the baseline); the
default extractor on 1 worker and on all cores (``extract_parallel``, forked workers that
return records); the extractor with a trained model (trained here, in this run, on the
sample gold, unless ``--model`` names one) on 1 worker and all cores; and a 2-worker
``dask.distributed.LocalCluster``, two ways: ``stream_dask`` (what ``toolkit extract --dask``
does: documents sent from this process, records back in order) and a Dask Bag read from
JSONL partitions on disk and written back as partitioned JSONL by the workers
(``extract_dask`` + ``write_dask_results``: no document passes through this process).
Each row has its ratio to the baseline and, for the multi-worker rows, the speed-up over
1 worker. Every pipeline is built and warmed up before it is timed (once per worker).

Corpora, each ``--words`` words:

- ``news``: the two real articles of ``../shared/corpus`` (when that folder exists),
  whole, repeated;
- ``news-distinct``: distinct articles of ~350 words, none repeated (``bench/distinct.py``:
  the paragraphs of the two real articles reordered, with made-up names and numbers for
  half the capitalised words and figures). Repeating a few texts flatters spaCy's
  tokenizer cache, and so the baseline; this corpus repeats no article but keeps the real
  articles' typography (curly apostrophes) and density of claims (1.7 per 100 words);
- ``mixed-distinct``: the same, from the paragraphs of the real articles and of the
  sample (~90% sample paragraphs: straight quotes, 4.0 claims per 100 words). The
  hardest corpus for the extractor: the baseline's tokenizer cache works best on it and
  the claim rules have the most to do;
- ``sample``: the toolkit's 67 sample articles (66 words on average, dense with names and
  quotes, where fixed per-document costs weigh most), repeated.

Peak memory for 1,000,000 documents: ``python bench/bench_extract.py --docs 1000000``.

Usage: python bench/bench_scale.py [--words 1000000] [--model MODEL_DIR] [--no-dask]
"""
from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from collections import deque
from pathlib import Path

import spacy

import toolkit
from toolkit.scale import extract_dask, extract_parallel
from toolkit.types import Document

from distinct import SHARED, distinct_articles  # bench/distinct.py (this script's folder is on sys.path)

PART = 200  # documents per input file of the files -> files cluster run


def corpus(name: str, n_words: int) -> list[Document]:
    if name.endswith("-distinct"):
        return distinct_articles(n_words, source=name.split("-")[0])
    base = list(toolkit.load_sample()) if name == "sample" else list(toolkit.load(SHARED))
    docs, words, i = [], 0, 0
    while words < n_words:
        d = base[i % len(base)]
        docs.append(Document(id=f"{d.id}-{i}", text=d.text, date=d.date))
        words += len(d.text.split())
        i += 1
    return docs


def timed(run, docs: list[Document]) -> float:
    """Words per second of ``run(docs)``; an iterator it returns is drained without keeping
    its items (holding a million outputs would time the memory allocator and the GC)."""
    words = sum(len(d.text.split()) for d in docs)
    start = time.perf_counter()
    out = run(docs)
    if out is not None:
        deque(out, maxlen=0)
    return words / (time.perf_counter() - start)


def train_model(output: Path) -> Path:
    gold = list(toolkit.load_gold())
    result = toolkit.train(gold, output, n_iter=10, seed=0, progress=False)
    print(f"trained a model on {result.n_train} sample documents in {result.seconds:.1f} s -> {output}")
    return output


def rows_for(docs: list[Document], model: Path, cores: int, dask: bool) -> list[tuple[str, float]]:
    blank = spacy.blank("en")
    blank.add_pipe("sentencizer")
    rules = toolkit.Extractor()
    trained = toolkit.Extractor(model=model)
    for warm in (rules, trained):
        list(warm.pipe(docs[:50]))
    rows = [("baseline blank+sentencizer", timed(lambda ds: blank.pipe((d.text for d in ds), batch_size=64), docs))]
    rows.append(("default extractor, 1 worker", timed(lambda ds: (x.to_dict() for x in rules.pipe(ds)), docs)))
    rows.append(
        (f"default extractor, {cores} workers", timed(lambda ds: extract_parallel(ds, workers=cores, extractor=rules, as_dicts=True), docs))
    )
    rows.append(("trained model + rules, 1 worker", timed(lambda ds: (x.to_dict() for x in trained.pipe(ds)), docs)))
    rows.append(
        (
            f"trained model + rules, {cores} workers",
            timed(lambda ds: extract_parallel(ds, workers=cores, model=model, extractor=trained, as_dicts=True), docs),
        )
    )
    if dask:
        rows += cluster_rows(docs)
    return rows


def _warm_worker() -> int:
    from toolkit.scale.distributed import _extractor

    return len(list(_extractor(None, None).pipe(["Warm-up text, said Ana Lopez of Reuters on Monday."] * 50)))


def cluster_rows(docs: list[Document]) -> list[tuple[str, float]]:
    import dask.bag as db
    from dask.distributed import Client, LocalCluster

    from toolkit.scale import stream_dask, write_dask_results

    rows = []
    with tempfile.TemporaryDirectory() as tmp, LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster, Client(cluster) as client:
        client.run(_warm_worker)  # build the pipeline on every worker before timing
        rows.append(("default extractor, 2-worker LocalCluster: stream (--dask)", timed(lambda ds: stream_dask(iter(ds), client), docs)))
        parts = Path(tmp) / "in"
        parts.mkdir()
        for k in range(0, len(docs), PART):
            with (parts / f"part-{k // PART:05d}.jsonl").open("w", encoding="utf-8") as handle:
                handle.writelines(json.dumps(d.to_dict()) + "\n" for d in docs[k : k + PART])

        def files_to_files(ds: list[Document]) -> None:
            bag = db.read_text(str(parts / "part-*.jsonl"), encoding="utf-8").map(json.loads)
            write_dask_results(extract_dask(bag), Path(tmp) / f"out-{time.perf_counter_ns()}", format="jsonl")

        rows.append(("default extractor, 2-worker LocalCluster: JSONL parts -> parts", timed(files_to_files, docs)))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--words", type=int, default=1_000_000)
    parser.add_argument("--model", default=None, help="a trained pipeline directory (default: train one now)")
    parser.add_argument("--no-dask", action="store_true")
    args = parser.parse_args()
    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory() as tmp:
        model = Path(args.model) if args.model else train_model(Path(tmp) / "model")
        names = (["news", "news-distinct"] if SHARED.exists() else []) + ["mixed-distinct", "sample"]
        for name in names:
            docs = corpus(name, args.words)
            rows = rows_for(docs, model, cores, not args.no_dask)
            baseline, one = rows[0][1], {}
            print(f"\n{name}: {len(docs):,} documents, {sum(len(d.text.split()) for d in docs):,} words, {cores} cores")
            print(f"  {'':60s} {'words/s':>10s}  {'vs baseline':>11s}  {'vs 1 worker':>11s}")
            for row, wps in rows:
                kind = row.split(",")[0]
                speedup = f"{wps / one[kind]:11.2f}" if kind in one and "1 worker" not in row else ""
                if "1 worker" in row:
                    one[kind] = wps
                print(f"  {row:60s} {wps:10,.0f}  {wps / baseline:11.2f}  {speedup}")
            ratio = one["default extractor"] / baseline
            print(f"  target (default extractor >= 0.5 x baseline): {ratio:.2f} -> {'met' if ratio >= 0.5 else 'NOT met'}")


if __name__ == "__main__":
    main()

"""Throughput on one machine and on a local Dask cluster, measured in one run on the same text.

Prints words/s of: spacy.blank("en") + sentencizer (baseline); the default extractor on
1 worker and on all cores (``extract_parallel``); optionally a trained model (``--model``);
and a 2-worker ``dask.distributed.LocalCluster``; each with its ratio to the baseline.

Usage: python bench/bench_scale.py [--docs 3000] [--model MODEL_DIR]
"""
from __future__ import annotations

import argparse
import os
import time

import spacy

import toolkit
from toolkit.scale import extract_dask, extract_parallel, iter_results
from toolkit.types import Document


def timed(run, docs: list[Document]) -> float:
    words = sum(len(d.text.split()) for d in docs)
    start = time.perf_counter()
    run(docs)
    return words / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=3000)
    parser.add_argument("--model", default=None)
    args = parser.parse_args()
    base = list(toolkit.load_sample())
    docs = [Document(id=f"{d.id}-{i}", text=d.text) for i in range(args.docs // len(base) + 1) for d in base][: args.docs]
    cores = os.cpu_count() or 1
    blank = spacy.blank("en")
    blank.add_pipe("sentencizer")
    extractor = toolkit.Extractor()
    list(extractor.pipe(docs[:50]))
    rows = [("baseline blank+sentencizer", timed(lambda ds: list(blank.pipe(d.text for d in ds)), docs))]
    rows.append(("default extractor, 1 worker", timed(lambda ds: list(extractor.pipe(ds)), docs)))
    rows.append((f"default extractor, {cores} workers", timed(lambda ds: list(extract_parallel(ds, workers=cores)), docs)))
    if args.model:
        model = toolkit.Extractor(model=args.model)
        rows.append(("trained model + rules, 1 worker", timed(lambda ds: list(model.pipe(ds)), docs)))
        rows.append((f"trained model + rules, {cores} workers", timed(lambda ds: list(extract_parallel(ds, workers=cores, model=args.model)), docs)))
    from dask.distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster, Client(cluster) as client:
        import dask.bag as db

        warm = extract_dask(db.from_sequence(docs[:20], npartitions=2))
        list(iter_results(warm, client=client))  # load the pipeline on each worker first
        rows.append(("2-worker LocalCluster", timed(lambda ds: list(iter_results(extract_dask(db.from_sequence(ds, partition_size=250)), client=client)), docs)))
    baseline = rows[0][1]
    print(f"{len(docs):,} documents, {sum(len(d.text.split()) for d in docs):,} words, {cores} cores")
    for name, wps in rows:
        print(f"  {name:38s} {wps:12,.0f} words/s  ratio {wps / baseline:5.2f}")


if __name__ == "__main__":
    main()

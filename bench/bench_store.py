"""Corrections store at 100,000 records: writing, validated reading, latest view, pandas view.

Prints seconds for each step, measured in this run, and the ratio to a baseline that
only parses the same file with ``json.loads`` line by line (no validation, no records):
the floor any JSONL reader pays.

Records are built from the sample gold (real entities and claims, ~100-word texts), one
per (document, annotator, round), so the latest view has real work to do.

Usage: python bench/bench_store.py [--records 100000]
"""
from __future__ import annotations

import argparse
import json
import tempfile
import time
from dataclasses import replace
from itertools import islice
from pathlib import Path

import toolkit


def records(n: int):
    gold = list(toolkit.load_gold())
    for i in range(n):
        g = gold[i % len(gold)]
        yield replace(g, doc_id=f"{g.doc_id}-{(i // len(gold)) % 100}", annotator=f"ann{i % 3}", timestamp=f"2026-01-01T00:00:{i % 60:02d}+00:00")


def write_batches(store, stream, size: int) -> int:
    written = 0
    while batch := list(islice(stream, size)):
        written += store.extend(batch)
    return written


def clock(fn):
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = toolkit.Corrections(Path(tmp) / "annotations")
        write_s, written = clock(lambda: write_batches(store, records(args.records), 1000))
        path = store.files()[0]
        size_mb = path.stat().st_size / 1e6
        base_s, lines = clock(lambda: sum(1 for line in path.open(encoding="utf-8") if json.loads(line)))
        fresh = toolkit.Corrections(Path(tmp) / "annotations")
        read_s, n = clock(lambda: sum(1 for _ in fresh.records()))
        latest_s, latest = clock(lambda: fresh.latest())
        frame_s, frame = clock(lambda: fresh.to_dataframe())
    print(f"{written:,} records written ({size_mb:.0f} MB) in {write_s:.1f} s ({written / write_s:,.0f} records/s, extend() in batches of 1,000, one fsync each)")
    print(f"  {'step':44s} {'seconds':>8s}  {'vs json.loads':>13s}")
    print(f"  {'baseline: json.loads per line':44s} {base_s:8.2f}  {1.0:13.2f}")
    print(f"  {'records(): read + validate + build records':44s} {read_s:8.2f}  {read_s / base_s:13.2f}")
    print(f"  {'latest(): newest per (document, annotator)':44s} {latest_s:8.2f}  {latest_s / base_s:13.2f}  -> {len(latest):,} records")
    print(f"  {'to_dataframe()':44s} {frame_s:8.2f}  {frame_s / base_s:13.2f}  -> {len(frame):,} rows")
    assert n == lines == written


if __name__ == "__main__":
    main()

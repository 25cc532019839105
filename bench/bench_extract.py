"""Extraction throughput and streaming memory.

Prints, measured in this run on the same text:
- words/s of ``spacy.blank("en")`` + sentencizer (the baseline), and of the default
  extractor (rules), with the ratio to the baseline;
- peak resident memory of a subprocess that streams N documents from a JSONL file
  through ``toolkit extract`` to an output file (default N = 100,000).

Usage: python bench/bench_extract.py [--words 200000] [--docs 100000]
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections import deque
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "corpus"


def corpus_texts() -> list[str]:
    """Paragraphs of the shared corpus if present, else of the embedded sample corpus."""
    texts: list[str] = []
    if SHARED.exists():
        from toolkit.loaders import load

        texts = [doc.text for doc in load(SHARED)]
    if not texts:
        from toolkit.sample import load_sample

        texts = [doc.text for doc in load_sample()]
    return texts


def make_docs(n_words: int) -> list[str]:
    base = corpus_texts()
    docs, words, i = [], 0, 0
    while words < n_words:
        text = base[i % len(base)]
        docs.append(text)
        words += len(text.split())
        i += 1
    return docs


def drain(items) -> None:
    """Consume an iterator without keeping its items (keeping them would time the allocator and GC)."""
    deque(items, maxlen=0)


def words_per_second(run, docs: list[str], repeats: int = 3) -> float:
    n_words = sum(len(d.split()) for d in docs)
    run(docs[:20])  # warm up
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        run(docs)
        best = min(best, time.perf_counter() - start)
    return n_words / best


def throughput(n_words: int) -> dict[str, float]:
    import spacy

    from toolkit import Extractor

    docs = make_docs(n_words)
    baseline = spacy.blank("en")
    baseline.add_pipe("sentencizer")
    extractor = Extractor()
    results = {
        "baseline blank+sentencizer": words_per_second(lambda ds: drain(baseline.pipe(ds, batch_size=64)), docs),
        "default extractor (rules)": words_per_second(lambda ds: drain(extractor.pipe(ds)), docs),
    }
    return results


def streaming_memory(n_docs: int) -> dict[str, float]:
    texts = corpus_texts()
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "docs.jsonl"
        with source.open("w", encoding="utf-8") as handle:
            for i in range(n_docs):
                paragraph = texts[i % len(texts)].split("\n\n")[i % 3]
                handle.write(json.dumps({"id": f"d{i}", "text": paragraph}) + "\n")
        out = Path(tmp) / "out.jsonl"
        start = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, "-m", "toolkit.cli.main", "extract", str(source), "-o", str(out), "--show", "0"],
            capture_output=True,
            text=True,
            env={**os.environ, "TQDM_DISABLE": "1"},
        )
        seconds = time.perf_counter() - start
        if proc.returncode != 0:
            raise SystemExit(proc.stderr)
        peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        lines = sum(1 for _ in out.open(encoding="utf-8"))
    return {"docs": lines, "seconds": seconds, "peak_rss_mb": peak_kb / 1024}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--words", type=int, default=200_000)
    parser.add_argument("--docs", type=int, default=100_000)
    args = parser.parse_args()
    results = throughput(args.words)
    base = results["baseline blank+sentencizer"]
    print(f"throughput on {args.words:,} words (best of 3):")
    for name, wps in results.items():
        print(f"  {name:32s} {wps:12,.0f} words/s  ratio {wps / base:5.2f}")
    ratio = results["default extractor (rules)"] / base
    print(f"  target: the default extractor at least half as fast as the baseline: {ratio:.2f} -> {'met' if ratio >= 0.5 else 'NOT met'}")
    mem = streaming_memory(args.docs)
    print(
        f"streaming {mem['docs']:,} documents through `toolkit extract`: {mem['seconds']:.1f} s, "
        f"peak RSS {mem['peak_rss_mb']:.0f} MB"
    )


if __name__ == "__main__":
    main()

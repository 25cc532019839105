"""Micro-benchmark of toolkit_entity_rules: words/s of the blank tokenizer + sentencizer
with and without the entity component, on the shared corpus repeated to ~200k words.

    python bench/bench_entities.py [--words 200000] [--repeat 5]

Prints both rates and their ratio (the component's share of the pipeline's time).
"""
from __future__ import annotations

import argparse
import re
import time
from pathlib import Path

from spacy.language import Language

from toolkit.extract.tokenizer import blank_english

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
HEADER = re.compile(r"\A\s*date\s+\d{4}-\d{2}-\d{2}\s+")


def corpus_texts(words: int) -> list[str]:
    """The shared corpus articles (headers removed), repeated to about ``words`` words."""
    texts = [HEADER.sub("", path.read_text(encoding="utf-8")) for path in sorted(CORPUS.glob("*.txt"))]
    per_round = sum(len(text.split()) for text in texts)
    return texts * max(1, round(words / per_round))


def build(with_rules: bool) -> Language:
    nlp = blank_english()
    nlp.add_pipe("sentencizer")
    if with_rules:
        import toolkit.extract.entities  # noqa: F401  (registers the factory)

        nlp.add_pipe("toolkit_entity_rules")
    nlp("Warm up: build the gazetteer matchers before timing.")
    return nlp


def seconds(nlp: Language, texts: list[str]) -> float:
    start = time.perf_counter()
    for _doc in nlp.pipe(texts, batch_size=64):
        pass
    return time.perf_counter() - start


def compare(texts: list[str], repeat: int) -> tuple[float, float]:
    """Best words/s without and with the rules; runs alternate so that load changes hit both."""
    pipelines = (build(False), build(True))
    best = [float("inf"), float("inf")]
    for _ in range(repeat):
        for i, nlp in enumerate(pipelines):
            best[i] = min(best[i], seconds(nlp, texts))
    n_words = sum(len(text.split()) for text in texts)
    return n_words / best[0], n_words / best[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=200_000, help="about how many words to process (default 200000)")
    parser.add_argument("--repeat", type=int, default=5, help="timing runs; the best is reported (default 5)")
    args = parser.parse_args()
    texts = corpus_texts(args.words)
    base, rules = compare(texts, args.repeat)
    print(f"words: {sum(len(t.split()) for t in texts)} in {len(texts)} docs")
    print(f"blank + sentencizer:                 {base:10.0f} words/s")
    print(f"blank + sentencizer + entity rules:  {rules:10.0f} words/s")
    print(f"ratio (with rules / without):        {rules / base:10.2f}")
    print(f"entity rules cost:                   {base / rules - 1:10.1%} of the blank pipeline's time")


if __name__ == "__main__":
    main()

"""A corpus of distinct news-like articles for benchmarks, built offline.

Repeating the same few articles flatters every tokenizer (spaCy caches the words it has
split), most of all on short texts. Here each article is new: paragraphs of the real
articles (``../shared/corpus``) or of the real articles and the toolkit's sample in a new
order, with
every capitalised word inside a sentence and every number replaced, with a
given probability, by one drawn from a large pool of made-up names and numbers — the long
tail of names, places and figures that makes real news vocabulary open-ended. Function
words and common words keep their real frequencies. Deterministic for a seed.
"""
from __future__ import annotations

import random
import re
from pathlib import Path

import toolkit
from toolkit.types import Document

SHARED = Path(__file__).resolve().parents[2] / "shared" / "corpus"
WORD = re.compile(r"(?<=\s)([A-Z][a-z]{2,}|\d[\d,.]*\d|\d)")
SYLLABLES = "ka lo mi ra ne su to va be di go ha ji ku ma no pe ri sa te vi wa yo zu an el in or ul".split()


def source_paragraphs(source: str = "mixed") -> list[str]:
    """Paragraphs (4+ words) of ``news`` (the two real articles: 20 paragraphs, 710 words,
    1.7 claims per 100 words) or ``mixed`` (those and the sample's 203 short paragraphs:
    ~90% sample, 4.0 claims per 100 words, straight quotes)."""
    if source not in ("news", "mixed"):
        raise ValueError(f"source must be 'news' or 'mixed', not {source!r}")
    texts = [d.text for d in toolkit.load_sample()] if source == "mixed" else []
    if SHARED.exists():
        texts += [d.text for d in toolkit.load(SHARED)]
    elif source == "news":
        raise FileNotFoundError(f"{SHARED} is missing: the 'news' source needs the real articles")
    return [p.strip() for text in texts for p in text.split("\n\n") if len(p.split()) >= 4]


def _name(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()


def distinct_articles(
    n_words: int, *, words_per_article: int = 350, rare: float = 0.5, seed: int = 0, source: str = "mixed"
) -> list[Document]:
    """Articles of about ``words_per_article`` words, ``n_words`` in all, from the paragraphs
    of ``source`` (see :func:`source_paragraphs`); ``rare`` is the probability that a
    capitalised word or a number is replaced by a new one."""
    rng = random.Random(seed)
    paragraphs_in = source_paragraphs(source)
    names = [_name(rng) for _ in range(20_000)]

    def vary(match: re.Match) -> str:
        if rng.random() >= rare:
            return match.group(0)
        return rng.choice(names) if match.group(0)[0].isalpha() else str(rng.randint(2, 99_999))

    docs, total = [], 0
    while total < n_words:
        paragraphs, words = [], 0
        while words < words_per_article:
            paragraph = WORD.sub(vary, rng.choice(paragraphs_in))
            paragraphs.append(paragraph)
            words += len(paragraph.split())
        docs.append(Document(id=f"distinct-{len(docs)}", text="\n\n".join(paragraphs)))
        total += words
    return docs

"""Python time of the annotation panel: opening the next 2,000-word document, and one edit.

Budget: 50 ms each. Prints the median and worst milliseconds and the ratio to the budget.
Documents are synthetic news text with ~1 entity per 10 words and ~1 claim per 60 words,
given as Extractions (extraction time is the extractor's, measured in bench_extract.py).
The first edit on a document includes tokenising it (selections snap to tokens).

    python bench/bench_widgets.py [--words 2000] [--docs 30]
"""
from __future__ import annotations

import argparse
import random
import statistics
import time

from toolkit.types import Claim, Document, Entity, Extraction, Span
from toolkit.widgets import annotate

BUDGET_MS = 50.0
NAMES = ["Angela Merkel", "Emmanuel Macron", "the European Union", "Berlin", "Monday", "Reuters", "NATO"]
LABELS = ["PERSON", "PERSON", "ORG", "GPE", "DATE", "ORG", "ORG"]


def make_doc(i: int, words: int, rng: random.Random) -> Extraction:
    parts, ents, claims, pos = [], [], [], 0
    count = 0
    while count < words:
        k = rng.randrange(len(NAMES))
        sentence_start = pos
        name = NAMES[k]
        filler = " ".join(rng.choice(["officials", "said", "the", "talks", "would", "resume", "after", "weeks", "of", "tension"]) for _ in range(8))
        sentence = f"{name} said that {filler}, according to reports. "
        ents.append(Entity(pos, pos + len(name), LABELS[k], score=rng.random()))
        if rng.random() < 0.17:
            c0 = pos + len(name) + len(" said that ")
            claims.append(Claim(c0, c0 + len(filler), speaker=Span(pos, pos + len(name)), cue=Span(pos + len(name) + 1, pos + len(name) + 5)))
        parts.append(sentence)
        pos += len(sentence)
        count += len(sentence.split())
        del sentence_start
    return Extraction(Document(f"bench{i}", "".join(parts)), entities=tuple(ents), claims=tuple(claims))


class NullStore:
    def append(self, c):
        return c

    def get(self, doc_id, annotator=None, text=None):
        return None

    def latest(self, annotator=None):
        return []


def ms(call) -> float:
    t = time.perf_counter()
    call()
    return (time.perf_counter() - t) * 1000


def report(name: str, times: list[float]) -> None:
    med, worst = statistics.median(times), max(times)
    print(f"{name:<34} median {med:6.2f} ms   worst {worst:6.2f} ms   ratio to {BUDGET_MS:.0f} ms budget: {med / BUDGET_MS:.2f} (worst {worst / BUDGET_MS:.2f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=2000)
    parser.add_argument("--docs", type=int, default=30)
    args = parser.parse_args()
    rng = random.Random(0)
    docs = [make_doc(i, args.words, rng) for i in range(args.docs + 1)]
    d0 = docs[0]
    print(f"{args.docs} documents of ~{args.words} words ({len(d0.doc.text)} chars, {len(d0.entities)} entities, {len(d0.claims)} claims each)")
    panel = annotate(iter(docs), store=NullStore(), annotator="bench")
    nexts, first_edits, edits, relabels, undos, accepts = [], [], [], [], [], []
    for _ in range(args.docs):
        text = panel.doc.text
        at = text.index(" talks ") + 1
        first_edits.append(ms(lambda: (panel.select(at, at + 5), panel.press("2"))))
        at2 = text.index(" weeks ", at) + 1
        edits.append(ms(lambda: (panel.select(at2, at2 + 5), panel.press("5"))))
        relabels.append(ms(lambda: (panel.click_entity(3), panel.press("3"))))
        undos.append(ms(lambda: panel.press("z")))
        nexts.append(ms(lambda: panel.press("n")))
    report("open next document", nexts)
    report("first edit (tokenises the doc)", first_edits)
    report("edit: select + add entity", edits)
    report("edit: click + relabel", relabels)
    report("undo", undos)
    panel2 = annotate(iter(docs), store=NullStore(), annotator="bench")
    for _ in range(args.docs):
        accepts.append(ms(lambda: panel2.press("a")))
    report("accept (record + next document)", accepts)
    long_documents(rng)


def long_documents(rng: random.Random) -> None:
    """Long documents are shown a page at a time: opening one, an edit on its last page, and the
    characters sent to the browser, against length (1k to 3M characters)."""
    print("\nlong documents (the view shows one page of at most 20,000 characters):")
    base = None
    for words in (150, 15_000, 150_000, 450_000):
        doc = make_doc(0, words, rng)
        text = doc.doc.text
        panel = None

        def open_it():
            nonlocal panel
            panel = annotate(iter([doc]), store=NullStore(), annotator="bench")

        opening = ms(open_it)
        at = text.rindex(" talks ") + 1
        edit = ms(lambda: (panel.select(at, at + 5), panel.press("2")))  # turns to the last page
        again = ms(lambda: (panel.select(at - 40, at - 35), panel.press("5")))
        shown = sum(len(seg["t"]) for seg in panel.view.segments)
        base = base or again
        print(f"  {len(text):>9,} chars {len(doc.entities):>7,} entities: open {opening:8.1f} ms   first edit {edit:8.1f} ms   "
              f"edit {again:6.1f} ms (x{again / base:.1f} of the shortest)   sent {shown:>6,} chars")


if __name__ == "__main__":
    main()

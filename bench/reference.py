"""Write the extractions of the reference documents, to check that a refactoring changes no output.

    python bench/reference.py before.jsonl          # on the old code
    python bench/reference.py after.jsonl           # on the new code
    python bench/reference.py --compare before.jsonl after.jsonl

The reference documents: the sample articles, the two real articles of ``../shared/corpus``
(when present), and upper-case, lower-case, joined and truncated variants of each. The
extractor is the rules-only pipeline (``model=None``) unless ``--model`` names another; the
``extractor`` field is left out (its version hashes the rules' code, which a refactoring changes).
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import toolkit

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


def reference_documents() -> list[toolkit.Document]:
    base = list(toolkit.load_sample())
    if SHARED.exists():
        base += list(toolkit.load(SHARED))
    docs: list[toolkit.Document] = []
    for doc in base:
        text = doc.text
        variants = {
            "": text,
            "upper": text.upper(),
            "lower": text.lower(),
            "half": text[: len(text) // 2],
            "third": text[len(text) // 3 :],
            "oneline": " ".join(text.split()),
        }
        for name, variant in variants.items():
            docs.append(toolkit.Document(id=f"{doc.id}:{name}" if name else doc.id, text=variant))
    joined = "\n\n".join(d.text for d in base)
    docs.append(toolkit.Document(id="joined", text=joined))
    return docs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?")
    parser.add_argument("--compare", nargs=2, metavar=("BEFORE", "AFTER"))
    parser.add_argument("--model", default="none", help="pipeline name or path; 'none' (default) for the rules alone")
    args = parser.parse_args(argv)
    if args.compare:
        before, after = ([json.loads(l) for l in Path(p).read_text().splitlines()] for p in args.compare)
        diffs = [(b["id"], k) for b, a in zip(before, after) for k in ("entities", "claims") if b[k] != a[k]]
        for doc_id, key in diffs[:20]:
            print(f"differs: {doc_id} {key}")
        print(f"{len(before)} vs {len(after)} documents; {len(diffs)} differences")
        return 1 if diffs or len(before) != len(after) else 0
    model = None if args.model == "none" else args.model
    extractor = toolkit.Extractor(model=model)
    with open(args.out, "w", encoding="utf-8") as handle:
        for extraction in extractor.pipe(reference_documents()):
            data = extraction.to_dict()
            data.pop("extractor", None)
            handle.write(json.dumps(data, ensure_ascii=False, sort_keys=True) + "\n")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

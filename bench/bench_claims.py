"""Claims quality and cost: the rules alone, the syntax layer alone and the combination.

    python bench/bench_claims.py                 # quality on the sample and the shared articles, and cost
    python bench/bench_claims.py --errors corpus # also list the misses and false claims of the default
    python bench/bench_claims.py --json out.json

Datasets: ``sample`` (the toolkit's sample gold, written here) and ``corpus`` (the two real
articles of ``../shared/corpus`` against the hand-made gold of ``tests/data/shared_corpus_claims.json``,
see ``bench/claims_gold.py``). Claims match as in ``toolkit evaluate``: content IoU >= 0.5.

Systems (all on the default pretrained pipeline unless said):
``rules-blank`` the rules on ``spacy.blank("en")`` (no model installed); ``rules`` the claim rules
alone; ``syntax`` the syntax layer alone; ``rules-first`` both, the rules' claims winning;
``default`` both as ``toolkit.Extractor()`` runs them (the parse's claims winning).

Cost: seconds per component over the sample articles repeated, and the claims components' time
as a share of the parse (tok2vec + parser) and of the parser component alone (the issue's target:
the claims layer at most 15% of the parse).
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import toolkit  # noqa: E402
from claims_gold import corpus_claims, sample_claims  # noqa: E402
from toolkit.analysis.metrics import match_claims, score_claims  # noqa: E402
from toolkit.extract.pipeline import CLAIM_RULES, CLAIM_SYNTAX  # noqa: E402
from toolkit.extract.spans import make_doc  # noqa: E402

SYSTEMS = ("rules-blank", "rules", "syntax", "rules-first", "default")


def extractor(system: str) -> toolkit.Extractor:
    if system == "rules-blank":
        return toolkit.Extractor(model=None)
    if system == "rules":
        return toolkit.Extractor(claim_syntax=False)
    if system == "syntax":
        return toolkit.Extractor(claim_rules=False)
    ex = toolkit.Extractor()
    if system == "rules-first":
        ex.nlp.get_pipe(CLAIM_SYNTAX).cfg["precedence"] = "rules"
    return ex


def fmt(x) -> str:
    return "  —  " if x is None else f"{x:.3f}"


def report(name: str, system: str, s: dict) -> str:
    kinds = " ".join(
        f"{k[:3]} {fmt(v['precision'])}/{fmt(v['recall'])}/{fmt(v['f1'])} (n={v['support']})" for k, v in s["kinds"].items()
    )
    return (
        f"{name:<7} {system:<12} P {fmt(s['precision'])} R {fmt(s['recall'])} F1 {fmt(s['f1'])}  "
        f"speaker {fmt(s['speaker_accuracy'])} (text {fmt(s['speaker_text_accuracy'])}) cue {fmt(s['cue_accuracy'])} "
        f"kind {fmt(s['kind_accuracy'])} hedged {fmt(s['hedged_accuracy'])} | {kinds}"
    )


def errors(docs, gold, pred) -> list[str]:
    lines = []
    for doc, g_doc, p_doc in zip(docs, gold, pred):
        text = doc.text
        matches = match_claims(p_doc, g_doc)
        used_p, used_g = {i for i, _, _ in matches}, {j for _, j, _ in matches}

        def show(c) -> str:
            who = c.speaker.text(text) if c.speaker else None
            cue = c.cue.text(text) if c.cue else None
            return f"{c.kind:<8} [{who} | {cue}] {text[c.start:c.end][:90]!r}"

        for i, j, _ in matches:
            p, g = p_doc[i], g_doc[j]
            if p.kind != g.kind or (p.speaker and p.speaker.text(text)) != (g.speaker and g.speaker.text(text)):
                lines.append(f"{doc.id} DIFF  pred {show(p)}\n{'':>24} gold {show(g)}")
        lines += [f"{doc.id} MISS  {show(g)}" for j, g in enumerate(g_doc) if j not in used_g]
        lines += [f"{doc.id} FALSE {show(p)}" for i, p in enumerate(p_doc) if i not in used_p]
    return lines


def cost(repeat: int) -> dict:
    """Seconds per component of the default pipeline over the sample articles ``repeat`` times."""
    ex = toolkit.Extractor()
    texts = [d.text for d in toolkit.load_sample()] * repeat
    seconds: dict[str, float] = defaultdict(float)
    for text in texts:
        t0 = time.perf_counter()
        doc = make_doc(ex.nlp, text)
        seconds["tokenizer"] += time.perf_counter() - t0
        for name, proc in ex.nlp.pipeline:
            t0 = time.perf_counter()
            doc = proc(doc)
            seconds[name] += time.perf_counter() - t0
    words = sum(len(t.split()) for t in texts)
    total = sum(seconds.values())
    claims = seconds[CLAIM_RULES] + seconds[CLAIM_SYNTAX]
    return {
        "docs": len(texts),
        "words": words,
        "seconds": dict(seconds),
        "total": total,
        "claims_share_of_parser": claims / seconds["parser"],
        "syntax_share_of_parser": seconds[CLAIM_SYNTAX] / seconds["parser"],
        # the parse: the parser and the tok2vec layer it reads (en_core_web_sm shares it with the tagger)
        "syntax_share_of_parse": seconds[CLAIM_SYNTAX] / (seconds["parser"] + seconds.get("tok2vec", 0.0)),
        "claims_share_of_parse": claims / (seconds["parser"] + seconds.get("tok2vec", 0.0)),
        "claims_share_of_pipeline": claims / total,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--systems", nargs="+", default=list(SYSTEMS), choices=SYSTEMS)
    ap.add_argument("--errors", choices=("sample", "corpus"), help="list the default's misses and false claims on this dataset")
    ap.add_argument("--repeat", type=int, default=3, help="times the sample is run for the cost figures (0: skip)")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    data = {"sample": sample_claims(), "corpus": corpus_claims()}
    out: dict = {"quality": {}}
    for system in args.systems:
        ex = extractor(system)
        for name, (docs, gold) in data.items():
            pred = [list(x.claims) for x in ex.pipe(docs)]
            scores = score_claims(pred, gold, [d.text for d in docs])
            out["quality"][f"{name}/{system}"] = scores
            print(report(name, system, scores), flush=True)
            if args.errors == name and system == "default":
                print("\n".join(errors(docs, gold, pred)))
    if args.repeat:
        out["cost"] = c = cost(args.repeat)
        parts = ", ".join(f"{k} {v:.2f}s" for k, v in c["seconds"].items())
        print(f"\ncost over {c['docs']} docs ({c['words']} words): {parts}")
        print(
            f"syntax layer {c['syntax_share_of_parse']:.1%} of the parse (tok2vec + parser), "
            f"{c['syntax_share_of_parser']:.1%} of the parser component alone; both claim components "
            f"{c['claims_share_of_parse']:.1%} of the parse, {c['claims_share_of_parser']:.1%} of the parser, "
            f"{c['claims_share_of_pipeline']:.1%} of the pipeline"
        )
    if args.json:
        args.json.write_text(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

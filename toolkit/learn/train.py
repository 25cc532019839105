"""Retraining: accepted corrections -> spaCy Examples -> a NER and a claim-role tagger.

The result is a standard spaCy pipeline directory (``spacy.load(path)`` works wherever
toolkit is installed) that also contains the toolkit's rule components, so that
``Extractor(model=path)`` and ``toolkit extract --model path`` use the trained model
together with the rules. A NER trained from blank English is saved disabled and run by
``toolkit_ner_gate`` (see :mod:`toolkit.learn.ner_gate`): entities it is sure of win over
the rules, less sure ones only fill the rules' gaps, both thresholds chosen on the dev split
by the F1 of the whole pipeline. A fine-tuned pretrained NER runs as the base ran it (behind
the gate it lost far more than it won on held-out documents: :func:`tune_with_rules`). With enough corrected
documents, cross-validation over them (:func:`cross_validate`) decides whether a fine-tuned
NER is kept at all, and (on any base) whether the claim tagger adds claims. The dev split
decides the epoch and the gate's thresholds, and the rest where cross-validation is off.
"""
from __future__ import annotations

import hashlib
import random
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from spacy.language import Language
from spacy.tokens import Doc
from spacy.training import Example
from spacy.training.batchers import minibatch_by_words
from spacy.util import compounding, fix_random_seed, minibatch
from tqdm import tqdm

from ..about import __version__
from ..analysis.metrics import score_claims, score_entities
from ..errors import ModelError, ModelWarning, warn
from ..extract.align import Aligner
from ..extract.pipeline import AUTO, CLAIM_TAGGER, NER_GATE, add_sentences, build_pipeline, load_model, place, resolve_model
from ..extract.spans import get_claims
from ..extract.tokenizer import blank_english
from ..store.choice import choose_per_document
from ..types import Correction, Document
from .claim_tagger import ROLE_SPANS_KEY, decode_roles


@dataclass
class TrainResult:
    """What ``train`` produced."""

    path: Path
    scores: dict[str, Any]
    n_train: int
    n_dev: int
    labels: list[str]
    data_hash: str
    seconds: float
    history: list[dict[str, float]] = field(default_factory=list)
    combined: dict[str, Any] = field(default_factory=dict)
    """What training chose and why, as saved in ``meta["toolkit"]["combined"]`` (see :func:`summary`)."""


def split_records(records: Iterable[Correction], *, dev_split: float, seed: int) -> tuple[list[Correction], list[Correction]]:
    """Accepted records (one per document), shuffled with ``seed`` and split into train and dev."""
    chosen = [r for _, r in sorted(choose_per_document(records).items()) if r.answer == "accept"]
    if len(chosen) < 2:
        raise ModelError(
            f"training needs at least 2 accepted corrected documents, found {len(chosen)}. Accept more "
            "documents in the annotation panel or import annotations with `toolkit import`.",
            code="E320",
        )
    random.Random(seed).shuffle(chosen)
    if dev_split <= 0:
        return chosen, chosen
    n_dev = min(len(chosen) - 1, max(1, round(len(chosen) * dev_split)))
    return chosen[n_dev:], chosen[:n_dev]


def make_example(
    nlp: Language, record: Correction, *, kept: Iterable[tuple[int, int, str]] = (), kept_as: str = "missing"
) -> Example:
    """The gold Example of one record. Spans that do not fit the tokens are widened to whole
    tokens (:class:`toolkit.extract.align.Aligner`, one warning per document); a widened entity
    that would overlap another is left out.

    ``kept``: the base NER's own entities (character offsets, label) of labels the corrections
    never use; those that fit the tokens and overlap no corrected entity are marked as unknown to
    the NER (``kept_as="missing"``: BILUO ``-``, no loss either way) or added as gold
    (``kept_as="gold"``), rather than trained as "not an entity"."""
    predicted = nlp.make_doc(record.text)
    reference = nlp.make_doc(record.text)
    aligner = Aligner(reference, doc_id=record.doc_id)
    ents: list = []
    for ent in sorted(record.entities, key=lambda e: (e.start, e.end)):
        span = aligner.span(ent.start, ent.end, label=ent.label, what=f"entity {ent.label}")
        if span is not None and ents and span.start < ents[-1].end:
            aligner.notes.append(f"entity {ent.label} {span.text!r} overlaps {ents[-1].text!r} once widened and was left out")
            continue
        if span is not None:
            ents.append(span)
    extra = []
    for start, end, label in kept:
        span = reference.char_span(start, end, label=label)
        if span is not None and not any(span.start < e.end and e.start < span.end for e in ents + extra):
            extra.append(span)
    if kept_as == "gold":
        reference.set_ents(sorted(ents + extra, key=lambda e: e.start), default="outside")
    else:
        reference.set_ents(ents, missing=extra, default="outside")
    roles = []
    for claim in record.claims:
        parts = [(claim.start, claim.end, "CONTENT")]
        parts += [(s.start, s.end, role) for s, role in ((claim.speaker, "SPEAKER"), (claim.cue, "CUE")) if s is not None]
        for start, end, role in parts:
            span = aligner.span(start, end, label=role, what=f"claim {role.lower()}")
            if span is not None:
                roles.append(span)
    reference.spans[ROLE_SPANS_KEY] = roles
    aligner.report(where="training")
    return Example(predicted, reference)


def data_hash(records: Iterable[Correction]) -> str:
    digest = hashlib.sha256()
    for record in sorted(records, key=lambda r: r.doc_id):
        digest.update(f"{record.doc_id}\0{record.text_sha256}\0{record.timestamp}\0".encode())
        digest.update(repr([(e.start, e.end, e.label) for e in record.entities]).encode())
        digest.update(repr([c.to_dict() for c in record.claims]).encode())
    return digest.hexdigest()[:16]


def train(
    records: Iterable[Correction],
    output: str | Path,
    *,
    base: str | Path | None = AUTO,
    dev_split: float = 0.2,
    seed: int = 0,
    n_iter: int = 30,
    patience: int = 8,
    claims: bool = True,
    dropout: float = 0.2,
    learn_rate: float | None = None,
    progress: bool = True,
    batching: str = "words",
    select: str = "best",
    unused_labels: str = "train",
    keep_base: bool = True,
    cv_folds: int = 3,
    unlabeled: Iterable[str | Document] | None = None,
    rehearsal: float = 1.0,
) -> TrainResult:
    """Train a NER (and a claim-role tagger) on accepted corrections and save the pipeline.

    Args:
        records: corrections; the record standing for each document is used (see
            ``choose_per_document``), only ``accept`` ones.
        output: the directory to write the spaCy pipeline to.
        base: the pipeline to train on top of (its NER is updated, new labels added):
            ``"auto"`` (default) the default pipeline, as ``Extractor()`` resolves it (the best
            installed pretrained one; blank English when none is); None (or ``"none"``) for blank
            English; an installed pipeline or a directory.
        dev_split: the share of documents held out to score each epoch (0: score on train).
        seed: the random seed (shuffling, initialisation, dropout): same seed, same model.
        n_iter: the maximum number of epochs.
        patience: stop after this many epochs without a better dev score.
        claims: also train the claim-role tagger.
        batching: ``"words"`` (default) batches as ``spacy train`` does (``minibatch_by_words``,
            compounding 100 -> 1000 words over the run, a longer document alone): about one
            update per document (WikiGold, 40 documents: ~40 per epoch); ``"docs"`` the former
            compounding(4, 16) documents per batch (2-4 updates per epoch on 10-50 documents).
        select: ``"best"`` (default) keeps the epoch with the best dev score; ``"last"`` the last.
        unused_labels: what the base NER's own predictions of labels no correction uses (CARDINAL,
            MONEY, DATE when nobody marked dates...) become on the corrected documents: ``"train"``
            (default: trained as "no entity", so the NER forgets them), ``"gold"`` (kept as gold,
            rehearsal) or ``"missing"`` (no loss). Only on a pretrained base.
        keep_base: on a pretrained base, keep the shipped NER unless fine-tuning beats it (off
            only to measure the fine-tuning itself): by ``cv_folds``-fold cross-validation over
            the corrected documents (:func:`cross_validate`: each fold trained on the others and
            scored with the rules, on the labels the corrections use, against the base), not by
            the small dev split (which had kept the base at 10, 25 and 50 sample documents while
            held-out F1 rose to 0.845 from 0.796); the fine-tune wins on the F1 over all folds or
            on most folds (:func:`fine_tune_wins`). With fewer than :data:`MIN_CV_DOCS` documents
            there is too little to measure: the base's NER is kept, and a warning says so. The
            same folds (on any base) decide whether the claim tagger adds claims: only if that
            raised the claim F1 over all folds; with too few documents it adds none. Off
            (``--always-fine-tune``): the fine-tune is kept whatever it scores, and whether the
            claim tagger adds claims is decided on the dev split; ``cv_folds=0``: both are
            decided on the dev split.
        cv_folds: the folds of that cross-validation (0: decide on the dev split instead).
        unlabeled: texts (or Documents, e.g. ``toolkit.load(CORPUS)``) nobody corrected, for
            rehearsal against forgetting: the base NER's own entities on them (all its labels,
            found before any update) are trained as gold alongside the corrections
            (:func:`rehearsal_examples`), NER only. Needs a pretrained base. Texts that are also
            corrected documents are left out.
        rehearsal: how many rehearsal documents each epoch mixes in, per corrected training
            document (default 1.0; a fresh random draw each epoch when there are more).

    How the defaults were chosen (``bench/bench_learning_curve.py``, seed 0, 25 epochs, held-out
    entity F1 of the pipeline with its rules, ``keep_base`` off; WikiGold: the last 45 of 145
    held out; sample: the 16 ``sample-A`` articles held out). Word batching: WikiGold N=10
    0.672 -> 0.683, sample N=10 0.806 -> 0.794, N=25 0.855 -> 0.866: kept. The last epoch
    instead of the best on the dev split: WikiGold N=10 0.663, sample 0.791 / 0.858, and with
    word batching sample N=25 0.838 (more updates overfit by the last epoch): dropped. The
    unused-label guard keeps those labels (on the sample-A articles, after 20 documents marking
    only PERSON/ORG/GPE, the base's 72 entities of other labels fell to 1 trained as "O", 38 kept
    as gold; ``tests/test_learn.py``) but did not pay off on the scored labels: alone WikiGold
    N=10 0.670 (gold) / 0.669 (missing), sample 0.781 / 0.857 (gold), 0.785 / 0.862 (missing);
    with word batching WikiGold N=25 0.697 -> 0.711 but sample N=25 0.824 (word batching alone
    0.866): off by default, an option for corrections that leave labels out on purpose.
    Learning rate and dropout (30 epochs, N=25, ``keep_base`` off; the sample also N=51): Adam
    learning rate 0.0005 / 0.001 / 0.002: WikiGold 0.702 / 0.709 / 0.690, sample 0.866 / 0.866 /
    0.822 (N=51 0.861 / 0.855 / 0.855); dropout 0.1 / 0.2 / 0.35: WikiGold 0.704 / 0.709 / 0.703,
    sample 0.840 / 0.866 / 0.814 (N=51 0.826 / 0.855 / 0.845): spaCy's defaults (0.001, 0.2) kept,
    as ``learn_rate=None`` and ``dropout=0.2``. Epochs: WikiGold N=25 reached 0.709 at 12 and at 30
    (patience 8). What moves: the NER's own layers (in ``en_core_web_sm`` it embeds with a tok2vec
    of its own) and the claim tagger; the shared ``tok2vec``, ``tagger`` and ``parser`` are not
    updated, so the claims layer parses as before. Rehearsal (``bench/bench_rehearsal.py``, N=25,
    30 epochs) is off by default: the fine-tune did not forget on other text (trained on the
    sample, WikiGold rose 0.671 -> 0.695; trained on WikiGold, the sample rose 0.796 -> 0.806),
    and rehearsal cost held-out F1 on the labels scored (sample-trained with WikiGold rehearsal:
    sample 0.866 -> 0.835, WikiGold 0.695 -> 0.689; WikiGold-trained with sample rehearsal:
    0.709 -> 0.701, sample 0.806 -> 0.796). It keeps what the base found on text like the
    rehearsed text (labels the corrections leave out, on WikiGold: 4 of 618 kept without it, 164
    with; ``tests/test_learn.py``): an option where that matters.
    """
    started = time.perf_counter()
    fix_random_seed(seed)
    train_records, dev_records = split_records(records, dev_split=dev_split, seed=seed)
    base = resolve_model(base)
    nlp = blank_english() if base is None else load_model(base)
    add_sentences(nlp)
    if NER_GATE in nlp.component_names:
        # a base toolkit train saved from blank English runs its NER disabled, behind the gate:
        # enabled, it is trained on (a disabled component is never updated) and run as a pretrained one
        run_ner(nlp, PLAIN)
    resume = "ner" in nlp.pipe_names
    ner = nlp.get_pipe("ner") if resume else place(nlp, "ner")
    trainable = ["ner"]
    if claims:
        place(nlp, CLAIM_TAGGER)
        trainable.append(CLAIM_TAGGER)
    labels = sorted({e.label for r in train_records for e in r.entities})
    kept = {}
    if resume and unused_labels != "train":
        kept = base_entities(nlp, train_records + dev_records, skip=set(labels))
    kept_as = "gold" if unused_labels == "gold" else "missing"
    train_examples = [make_example(nlp, r, kept=kept.get(r.doc_id, ()), kept_as=kept_as) for r in train_records]
    dev_examples = [make_example(nlp, r) for r in dev_records]
    rehearse: list[Example] = []
    if unlabeled is not None:
        if not resume:
            raise ModelError(
                "rehearsal (`unlabeled=` / --unlabeled) replays a pretrained NER's own predictions, but the base "
                f"{'(blank English)' if base is None else repr(str(base))} has no NER. Train on a pretrained base "
                "(--base auto, or an installed pipeline), or leave out --unlabeled.",
                code="E321",
            )
        if not rehearsal > 0:
            raise ModelError(f"rehearsal={rehearsal}: give a positive number of rehearsal documents per corrected document (e.g. 1.0)", code="E321")
        rehearse = rehearsal_examples(nlp, unlabeled, skip={r.text for r in train_records + dev_records})
        # the folds get the texts kept here, so that none rehearses on its held-out documents
        unlabeled = [eg.reference.text for eg in rehearse]
    for label in labels:
        ner.add_label(label)
    # the dev split scores the labels the corrections use: the base's predictions of others
    # (CARDINAL, MONEY...) are no errors there, only unscored
    scored = set(labels) if resume else None
    base_ner = ner.to_bytes() if resume and keep_base else None  # the NER as shipped: the candidate every choice is measured against
    cv: dict[str, Any] | None = None
    if keep_base and cv_folds and (base_ner is not None or claims):
        n_docs = len({r.doc_id for r in train_records + dev_records})
        cv = {"folds": cv_folds, "n_docs": n_docs, "too_few": n_docs < MIN_CV_DOCS}
        if not cv["too_few"]:
            cv.update(cross_validate(
                train_records + dev_records, base=base, folds=cv_folds, seed=seed, n_iter=n_iter, patience=patience, claims=claims, pretrained=resume,
                dropout=dropout, learn_rate=learn_rate, batching=batching, select=select, unused_labels=unused_labels,
                unlabeled=unlabeled, rehearsal=rehearsal,
            ))  # fmt: skip
    fix_random_seed(seed)  # again: the folds above drew from the seeded generators, and the model trained is the one --always-fine-tune gives
    with nlp.select_pipes(enable=trainable):
        if resume:
            optimizer = nlp.resume_training()
            if claims:
                nlp.get_pipe(CLAIM_TAGGER).initialize(lambda: train_examples, nlp=nlp)
        else:
            optimizer = nlp.initialize(lambda: train_examples)
        if learn_rate is not None:
            optimizer.learn_rate = learn_rate
        best: tuple[float, bytes] | None = None
        history: list[dict[str, float]] = []
        stale = 0
        rng = random.Random(seed)
        word_sizes = compounding(100.0, 1000.0, 1.001)  # spaCy's default batcher: one schedule over the run
        bar = tqdm(range(n_iter), desc="train", unit="epoch", file=sys.stderr, disable=not progress)
        for epoch in bar:
            rng.shuffle(train_examples)
            if batching == "words":
                batches = list(minibatch_by_words(train_examples, size=word_sizes, tolerance=0.2, discard_oversize=False))
            else:
                batches = list(minibatch(train_examples, size=compounding(4.0, 16.0, 1.001)))
            # rehearsal batches (NER only: they carry no claims) shuffled in among the corrections'
            replay = rng.sample(rehearse, min(len(rehearse), max(1, round(rehearsal * len(train_examples))))) if rehearse else []
            steps = [(batch, ()) for batch in batches]
            if replay:
                steps += [(batch, tuple(trainable[1:])) for batch in minibatch_by_words(replay, size=1000, discard_oversize=False)]
                rng.shuffle(steps)
            losses: dict[str, float] = {}
            for batch, frozen in steps:
                nlp.update(batch, drop=dropout, sgd=optimizer, losses=losses, exclude=frozen)
            scores = score_model(nlp, dev_examples, claims=claims, labels=scored)
            history.append({"epoch": epoch + 1, **{f"loss_{k}": v for k, v in losses.items()}, **scores})
            bar.set_postfix(ents_f=f"{scores['ents_f']:.3f}", claims_f=f"{scores.get('claims_f', 0):.3f}")
            if select == "last":
                if epoch == n_iter - 1:
                    with nlp.use_params(optimizer.averages):
                        best = (scores["score"], nlp.to_bytes())
            elif best is None or scores["score"] > best[0]:
                with nlp.use_params(optimizer.averages):
                    best = (scores["score"], nlp.to_bytes())
                stale = 0
            else:
                stale += 1
                if stale >= patience:
                    break
        bar.close()
    assert best is not None
    nlp.from_bytes(best[1])
    final = score_model(nlp, dev_examples, claims=claims, labels=scored)
    nlp = build_pipeline(nlp)
    gate = tune_with_rules(
        nlp, dev_examples, claims=claims, pretrained=resume, base_ner=base_ner if cv is None else None, labels=scored,
    )
    if cv is not None:
        gate["cv"] = cv
        if claims:
            # the claim tagger adds claims only where cross-validation shows a gain
            merges = not cv["too_few"] and cv["claims"]["with_f1"] > cv["claims"]["without_f1"]
            merge_claims(nlp, merges)
            gate.update(claim_tagger_merges=merges)
            if cv["too_few"] and base_ner is None:  # (on a pretrained base the warning below says it)
                warn(
                    f"only {cv['n_docs']} corrected documents: too few to measure the claim tagger by {cv_folds}-fold "
                    f"cross-validation (it needs {MIN_CV_DOCS}), so it adds no claims; correct more documents.",
                    ModelWarning,
                )
    if cv is not None and base_ner is not None and (cv["too_few"] or not fine_tune_wins(cv)):
        # on a blank base the entity figures are only recorded: there the rules the NER is measured
        # against are the base, and on the sample (written beside them) they won the folds 0.815 to
        # 0.779 while held out (50 documents, 25 epochs) the trained NER raised them 0.652 -> 0.743
        keep_the_base(nlp, base_ner)
        gate.update(gate=False, kept_base=True)
        why = (
            f"only {cv['n_docs']} corrected documents: too few to measure a fine-tune by {cv_folds}-fold "
            f"cross-validation (it needs {MIN_CV_DOCS}), so the saved pipeline keeps the base's NER"
            f"{' and its claim tagger adds no claims' if claims else ''}; correct more documents."
            if cv["too_few"] else
            f"in {cv_folds}-fold cross-validation over the {cv['n_docs']} corrected documents the fine-tuned NER did "
            f"not beat the base's (entity F1 {cv['tuned_f1']:.3f} against {cv['base_f1']:.3f}; better on "
            f"{cv['folds_won']} of {cv_folds} folds), so the saved pipeline keeps the base's NER; correct more "
            "documents, or compare on your own held-out set with `toolkit evaluate`."
        )  # fmt: skip
        warn(why, ModelWarning)
    digest = data_hash(train_records + dev_records)
    nlp.meta["name"] = nlp.meta.get("name") if resume and nlp.meta.get("name") not in (None, "pipeline") else "toolkit_news"
    nlp.meta["version"] = f"{__version__}-{digest[:8]}"
    nlp.meta["description"] = "Entities and claims in news text, trained by toolkit from corrections."
    nlp.meta["labels"] = {"ner": list(nlp.get_pipe("ner").labels)}
    nlp.meta["performance"] = final
    nlp.meta["toolkit"] = {
        "version": __version__,
        "data_hash": digest,
        "n_train": len(train_records),
        "n_dev": len(dev_records),
        "dev_docs": [r.doc_id for r in dev_records],
        "seed": seed,
        "base": str(base) if base is not None else None,
        "rehearsal": {"documents": len(rehearse), "ratio": rehearsal} if unlabeled is not None else None,
        "scores": final,
        "combined": gate,
    }
    output = Path(output)
    nlp.to_disk(output)
    return TrainResult(
        path=output,
        scores=final,
        n_train=len(train_records),
        n_dev=len(dev_records),
        labels=labels,
        data_hash=digest,
        seconds=time.perf_counter() - started,
        history=history,
        combined=gate,
    )


#: fewer corrected documents than this are too few to cross-validate a fine-tune: the base is kept
MIN_CV_DOCS = 12


def cross_validate(
    records: list[Correction], *, base: Any, folds: int = 3, seed: int = 0, claims: bool = False,
    pretrained: bool | None = None, **options: Any,
) -> dict[str, Any]:
    """Whether fine-tuning ``base`` on these corrections beats it: ``folds`` times, train on all
    documents but one fold (``train(..., keep_base=False, cv_folds=0)``, ``options`` as given)
    and run both pipelines, with the rules, on the fold held out. Entity F1 over all folds, on the
    labels the corrections use (the base's other labels are scored for neither).

    Returns ``{"base_f1", "tuned_f1", "folds_won", "per_fold": [{"base_f1", "tuned_f1", "n_docs"}...]}``
    (``folds_won``: the folds where the fine-tune scored higher; ``tuned_f1``: each fold's pipeline
    as it was saved). On a blank base (``pretrained`` false; by default when ``base`` is None) also
    ``runs``, the entity F1 over all folds of each fold's NER behind the gate at each threshold pair
    of :func:`gate_grid` (keyed ``"keep=K fill=F"``), and ``run``, the best pair (the first of
    equals): recorded, not acted on (held out, the folds' pair and the dev split's scored alike:
    WikiGold N=25 0.521 / 0.519, N=50 0.572 / 0.576; sample 0.676 / 0.676, 0.743 / 0.743).
    With ``claims``, the folds also
    train the claim tagger, and ``"claims": {"with_f1", "without_f1"}`` is the claim-content F1
    over all folds of each fold's pipeline with its tagger adding claims and without (the rules
    and the parse alone), with ``with_f1``/``without_f1`` per fold too.
    """
    import tempfile

    from ..extract.extractor import Extractor

    docs = sorted({r.doc_id: r for r in records}.values(), key=lambda r: r.doc_id)
    random.Random(seed).shuffle(docs)
    labels = {e.label for r in docs for e in r.entities}
    parts = [docs[k::folds] for k in range(folds)]
    shipped = Extractor(base)
    runs = [] if (base is not None if pretrained is None else pretrained) else gate_grid()
    by_run: dict[str, list] = {_run_key(how): [] for how in runs}
    totals: dict[str, list] = {"base": [], "tuned": [], "with": [], "without": []}
    per_fold = []
    for k, held in enumerate(parts):
        rest = [r for j, part in enumerate(parts) if j != k for r in part]
        with tempfile.TemporaryDirectory(prefix="toolkit-cv-") as tmp:
            train(rest, Path(tmp) / "model", base=base, seed=seed, keep_base=False, cv_folds=0, claims=claims, progress=False, **options)
            tuned = Extractor(Path(tmp) / "model")
            texts = [r.text for r in held]
            gold = [[e.to_dict() for e in r.entities if e.label in labels] for r in held]
            fold = {"n_docs": len(held)}
            for name, extractor in (("base", shipped), ("tuned", tuned)):
                pred = [[e.to_dict() for e in x.entities if e.label in labels] for x in extractor.pipe(texts)]
                totals[name].append((pred, gold))
                fold[f"{name}_f1"] = score_entities(pred, gold)["micro"]["f1"] or 0.0
            if claims:
                gold_claims = [[{"start": c.start, "end": c.end} for c in r.claims] for r in held]
                merged = tuned.nlp.get_pipe(CLAIM_TAGGER).cfg["merge"]
                for name, merge in (("with", True), ("without", False)):
                    merge_claims(tuned.nlp, merge)
                    pred = [[{"start": c.start, "end": c.end} for c in x.claims] for x in tuned.pipe(texts)]
                    totals[name].append((pred, gold_claims))
                    fold[f"claims_{name}_f1"] = score_claims(pred, gold_claims)["f1"] or 0.0
                merge_claims(tuned.nlp, merged)
            for how in runs:  # each threshold pair of the fold's gate, on the same held-out fold
                run_ner(tuned.nlp, how)
                pred = [[e.to_dict() for e in x.entities if e.label in labels] for x in tuned.pipe(texts)]
                by_run[_run_key(how)].append((pred, gold))
        per_fold.append(fold)
    out: dict[str, Any] = {"per_fold": per_fold, "folds_won": sum(f["tuned_f1"] > f["base_f1"] for f in per_fold)}
    for name, pairs in totals.items():
        if name in ("base", "tuned"):
            out[f"{name}_f1"] = _pooled_entity_f1(pairs)
        elif claims:
            out.setdefault("claims", {})[f"{name}_f1"] = score_claims(*_pooled(pairs))["f1"] or 0.0
    if runs:
        out["runs"] = {key: _pooled_entity_f1(pairs) for key, pairs in by_run.items()}
        out["run"] = list(max(runs, key=lambda how: out["runs"][_run_key(how)]))  # the first (most conservative) of equals
    return out


def how_ner_runs(combined: dict[str, Any]) -> str:
    """How a pipeline saved by :func:`train` runs its NER, from its ``meta["toolkit"]["combined"]``:
    ``"kept base"``, ``"plain"`` (fine-tuned, run as the base ran it) or ``"gate K/F"``."""
    if combined.get("kept_base"):
        return "kept base"
    return f"gate {combined['keep']:g}/{combined['fill']:g}" if combined.get("gate") else "plain"


def summary(combined: dict[str, Any]) -> list[str]:
    """What :func:`train` chose and why, in lines for a person (``toolkit train`` prints them)."""
    lines = []
    cv = combined.get("cv") or {}
    if "tuned_f1" in cv:
        lines.append(
            f"cross-validation ({cv['folds']} folds over {cv['n_docs']} documents): entity F1 trained "
            f"{cv['tuned_f1']:.3f}, base {cv['base_f1']:.3f}; trained better on {cv['folds_won']} of {cv['folds']} folds"
        )
    how = how_ner_runs(combined)
    too_few = cv.get("too_few", False)
    if how == "kept base":
        ner = f"the base's, as shipped ({'too few documents to measure a fine-tune' if too_few else 'the fine-tune did not beat it'})"
    elif how == "plain":
        ner = "fine-tuned, run as the base ran it"
    elif combined["keep"] > 1 and combined["fill"] > 1:
        ner = "trained, switched off behind toolkit_ner_gate (the rules alone did better on the dev split)"
    else:
        ner = f"trained, behind toolkit_ner_gate (keep >= {combined['keep']:g}, fill >= {combined['fill']:g})"
    lines.append("NER: " + ner)
    if "claim_tagger_merges" in combined:
        none = "adds none (too few documents to measure it)" if too_few else "adds none (no gain measured)"
        lines.append(f"claim tagger: {'adds claims' if combined['claim_tagger_merges'] else none}")
    return lines


def merge_claims(nlp: Language, merge: bool) -> None:
    """Whether the claim tagger of ``nlp`` adds claims (its ``merge`` setting). A loaded pipeline
    whose tagger adds none has it disabled (``build_pipeline`` skips its forward pass): it is
    enabled here when it is to add them."""
    nlp.get_pipe(CLAIM_TAGGER).cfg["merge"] = merge
    if merge and CLAIM_TAGGER in nlp.disabled:
        nlp.enable_pipe(CLAIM_TAGGER)


def _run_key(how: tuple[float, float]) -> str:
    """A threshold pair of the gate as a JSON key: ``"keep=0.9 fill=0.5"``."""
    return f"keep={how[0]:g} fill={how[1]:g}"


def _pooled(pairs: list[tuple[list, list]]) -> tuple[list, list]:
    """The (predicted, gold) documents of all folds, from ``pairs`` of (predicted, gold) per fold."""
    return [doc for p, _ in pairs for doc in p], [doc for _, g in pairs for doc in g]


def _pooled_entity_f1(pairs: list[tuple[list, list]]) -> float:
    """Entity F1 over the documents of all folds."""
    return score_entities(*_pooled(pairs))["micro"]["f1"] or 0.0


def fine_tune_wins(cv: dict[str, Any]) -> bool:
    """Whether the cross-validated fine-tune beats the base: on the F1 over all folds, or on most
    folds. A fold's model sees two thirds of the documents, so it underrates the fine-tune the
    saved pipeline gets from all of them; on WikiGold (25 documents, 12 epochs) the fine-tune lost
    over all folds (0.644 against 0.652) but won two of three, and on the 45 held-out articles it
    gained 0.671 -> 0.709; at 21 documents (three seeds, 30 epochs) it kept the fine-tune twice
    (held out 0.697 and 0.680 against 0.671) and the base once, where the fine-tune gained 0.003.
    (On the sample, 25 documents, it lost both ways, 0.892 against 0.906 and one fold of three,
    while held out it would have gained 0.796 -> 0.866: that pool was written beside the rules,
    which the base runs with; at 51 documents it won two folds of three and held out gained
    0.796 -> 0.845.)"""
    return cv["tuned_f1"] > cv["base_f1"] or cv["folds_won"] * 2 > len(cv["per_fold"])


def keep_the_base(nlp: Language, base_ner: bytes) -> None:
    """Put the base's NER, as shipped, back in ``nlp``, run as the base ran it (no gate)."""
    run_ner(nlp, PLAIN)
    nlp.get_pipe("ner").from_bytes(base_ner)


def rehearsal_examples(nlp: Language, unlabeled: Iterable[str | Document], *, skip: set[str] = frozenset()) -> list[Example]:
    """Examples whose gold is the base NER's own entities (all labels) on ``unlabeled`` texts,
    the rest "no entity": trained alongside the corrections, they pull the NER towards what it
    did before on text unlike the corrected documents (pseudo-rehearsal, as spaCy's and Prodigy's
    docs describe it). Run before any update; ``skip``: texts to leave out (the corrected ones)."""
    texts = [t.text if isinstance(t, Document) else t for t in unlabeled]
    texts = [t for t in dict.fromkeys(texts) if t.strip() and t not in skip]
    names = [n for n in nlp.pipe_names if n in ("tok2vec", "ner")]
    with nlp.select_pipes(enable=names):
        found = list(nlp.pipe(texts))
    examples = []
    for doc in found:
        reference = nlp.make_doc(doc.text)
        spans = [reference.char_span(e.start_char, e.end_char, label=e.label_) for e in doc.ents]
        reference.set_ents([span for span in spans if span is not None], default="outside")
        examples.append(Example(nlp.make_doc(doc.text), reference))
    return examples


def base_entities(nlp: Language, records: list[Correction], *, skip: set[str]) -> dict[str, list[tuple[int, int, str]]]:
    """The base NER's entities on each record's text (character offsets, label), of labels not in
    ``skip`` (the labels the corrections use): run before any update."""
    names = [n for n in nlp.pipe_names if n in ("tok2vec", "ner")]
    with nlp.select_pipes(enable=names):
        docs = nlp.pipe([r.text for r in records])
        return {
            r.doc_id: [(e.start_char, e.end_char, e.label_) for e in doc.ents if e.label_ not in skip]
            for r, doc in zip(records, docs)
        }


OFF = 1.01  # a threshold no probability reaches
KEEP_GRID = (0.5, 0.7, 0.8, 0.9, 0.95, 0.99, OFF)
FILL_GRID = (0.2, 0.35, 0.5, 0.7, 0.9, OFF)
PLAIN = "plain"
"""The NER run as a pretrained pipeline runs it: enabled, before the rules, no gate."""


def gate_grid() -> list[tuple[float, float]]:
    """The gate's ``(keep, fill)`` pairs training chooses among (:data:`KEEP_GRID` x
    :data:`FILL_GRID`, ``fill <= keep``), most conservative first (the first of equals wins):
    from the rules alone (``(OFF, OFF)``) down to the lowest thresholds."""
    return [
        (keep, fill)
        for keep in sorted(KEEP_GRID, reverse=True)
        for fill in sorted(FILL_GRID, reverse=True)
        if fill <= keep or fill == OFF
    ]


def run_ner(nlp: Language, how: Any) -> None:
    """Run the NER of ``nlp`` as ``how`` says: :data:`PLAIN`, or ``(keep, fill)`` behind the
    ``toolkit_ner_gate`` (the NER kept, disabled, for the gate to beam-parse with)."""
    if how == PLAIN:
        if NER_GATE in nlp.component_names:
            nlp.remove_pipe(NER_GATE)
        if "ner" in nlp.disabled:
            nlp.enable_pipe("ner")
        return
    if "ner" not in nlp.disabled:
        nlp.disable_pipe("ner")
    keep, fill = how
    place(nlp, NER_GATE).cfg.update(keep=keep, fill=fill)


def tune_with_rules(
    nlp: Language, dev_examples: list[Example], *, claims: bool, pretrained: bool = False, base_ner: bytes | None = None,
    labels: set[str] | None = None,
) -> dict[str, Any]:
    """Set how the trained NER runs, and choose whether the claim tagger adds claims, by the dev F1
    of the whole pipeline (rules included). Where :func:`train` cross-validates, the folds
    decide instead whether the claim tagger adds claims (and, on a pretrained base, whether the
    fine-tune is kept).

    A NER trained from blank English goes behind a ``toolkit_ner_gate``, with the thresholds of
    the best dev F1 (ties to the more conservative: the rules alone win a tie, so the model is
    only trusted where it helped; without dev documents the defaults stand).

    ``pretrained``: the NER was fine-tuned from a base pipeline's; it runs as the base ran it
    (enabled, before the rules, no gate). Behind the gate it lost far more than it won on
    held-out documents: on the sample (16 articles held out, 30 epochs) the folds' thresholds
    gave 0.660 against 0.861 plain (50 documents), the dev split's 0.855 against 0.845 (51; in an
    earlier version 0.744 against 0.840); on WikiGold the dev split's 0.707 against 0.710 (50),
    and over the folds (25) the best thresholds scored 0.567 against 0.642 plain. ``base_ner``: the
    base NER's weights as shipped; when the fine-tuned NER does not beat them on the dev split,
    the saved pipeline keeps them (``kept_base``), with a ``ModelWarning`` (10 corrected
    documents had lowered held-out F1 from 0.796 to 0.694); :func:`train` passes them only when it
    does not cross-validate.
    """
    texts = [eg.reference.text for eg in dev_examples]
    gold = [_only(_entities(eg.reference), labels) for eg in dev_examples]

    def entity_f1() -> float:
        return score_entities([_only(_entities(doc), labels) for doc in nlp.pipe(texts)], gold)["micro"]["f1"] or 0.0

    chosen: dict[str, Any] = {"tuned": bool(dev_examples), "gate": not pretrained}
    if pretrained:
        run_ner(nlp, PLAIN)
        if dev_examples:
            chosen["dev_entity_f1"] = tuned_f1 = entity_f1()
            if base_ner is not None:
                tuned = nlp.get_pipe("ner").to_bytes()
                nlp.get_pipe("ner").from_bytes(base_ner)
                shipped_f1 = chosen["dev_entity_f1_base"] = entity_f1()
                nlp.get_pipe("ner").from_bytes(tuned)
                if shipped_f1 >= tuned_f1:  # the corrections did not help on the dev split: keep the base
                    keep_the_base(nlp, base_ner)
                    chosen.update(kept_base=True, dev_entity_f1=shipped_f1)
                    warn(
                        f"the fine-tuned NER did not beat the base pipeline's on the {len(dev_examples)} dev document(s) "
                        f"(entity F1 {tuned_f1:.3f} against {shipped_f1:.3f}), so the saved pipeline keeps "
                        "the base's NER; correct more documents, or compare on your own held-out set with `toolkit evaluate`.",
                        ModelWarning,
                    )
    else:
        nlp.disable_pipe("ner")
        gate = place(nlp, NER_GATE)  # with its defaults, which stand without dev documents
        chosen.update(keep=gate.cfg["keep"], fill=gate.cfg["fill"])
        if dev_examples:
            results = []
            for how in gate_grid():
                run_ner(nlp, how)
                results.append((entity_f1(), *how))
            best_f1, keep, fill = max(results, key=lambda r: r[0])  # max keeps the first (most conservative) of equals
            rules_f1 = next(f for f, k, fl in results if k == OFF and fl == OFF)
            run_ner(nlp, (keep, fill))
            chosen.update(keep=keep, fill=fill, dev_entity_f1=best_f1, dev_entity_f1_rules=rules_f1)
    if not dev_examples:
        return chosen
    if claims and CLAIM_TAGGER in nlp.pipe_names:
        tagger = nlp.get_pipe(CLAIM_TAGGER)
        gold_claims = [_contents(eg.reference) for eg in dev_examples]

        def claim_f1() -> float:
            pred = [[{"start": c.start, "end": c.end} for c in get_claims(doc)] for doc in nlp.pipe(texts)]
            return score_claims(pred, gold_claims)["f1"] or 0.0

        tagger.cfg["merge"] = False
        without = claim_f1()
        tagger.cfg["merge"] = True
        with_tagger = claim_f1()
        tagger.cfg["merge"] = with_tagger > without
        chosen.update(claim_tagger_merges=tagger.cfg["merge"], dev_claim_f1=max(with_tagger, without), dev_claim_f1_rules=without)
    return chosen


def _only(entities: list[dict[str, Any]], labels: set[str] | None) -> list[dict[str, Any]]:
    """``entities`` of ``labels`` (all when None)."""
    return entities if labels is None else [e for e in entities if e["label"] in labels]


def score_model(nlp: Language, examples: list[Example], *, claims: bool, labels: set[str] | None = None) -> dict[str, float]:
    """Entity P/R/F (exact match) of the NER alone, and claim-content P/R/F of the tagger alone
    (IoU >= 0.5), on ``examples``, scored by :mod:`toolkit.analysis.metrics`; entities of
    ``labels`` only when given (on a pretrained base, the labels the corrections use). ``score``
    is the mean of the two F (the entity F when claims=False); an undefined score counts as 0."""
    names = [n for n in ("sentencizer", "senter", "parser", "ner", CLAIM_TAGGER) if n in nlp.pipe_names]
    texts = [eg.reference.text for eg in examples]
    with nlp.select_pipes(enable=names):
        docs: list[Doc] = list(nlp.pipe(texts))
    ents = score_entities(
        [_only(_entities(doc), labels) for doc in docs], [_only(_entities(eg.reference), labels) for eg in examples],
    )["micro"]
    f = ents["f1"] or 0.0
    scores = {"ents_p": ents["precision"] or 0.0, "ents_r": ents["recall"] or 0.0, "ents_f": f}
    if claims:
        found = score_claims([_contents(doc) for doc in docs], [_contents(eg.reference) for eg in examples])
        cf = found["f1"] or 0.0
        scores.update({"claims_p": found["precision"] or 0.0, "claims_r": found["recall"] or 0.0, "claims_f": cf})
        scores["score"] = (f + cf) / 2
    else:
        scores["score"] = f
    return scores


def _entities(doc: Doc) -> list[dict[str, Any]]:
    """A Doc's entities as the metrics module takes them (character offsets)."""
    return [{"start": e.start_char, "end": e.end_char, "label": e.label_} for e in doc.ents]


def _contents(doc: Doc) -> list[dict[str, int]]:
    """The claim contents of a Doc's role spans (as the claim tagger writes them)."""
    return [{"start": s.start_char, "end": s.end_char} for s in doc.spans.get(ROLE_SPANS_KEY, []) if s.label_ == "CONTENT"]


__all__ = ["TrainResult", "train", "split_records", "make_example", "rehearsal_examples", "score_model", "decode_roles"]

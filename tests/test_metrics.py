"""Scoring of entities and claims, and evaluate(), on hand-worked examples."""
from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from toolkit.analysis.metrics import EvaluationReport, evaluate, match_claims, score_claims, score_entities, spans_agree
from toolkit.errors import InputError
from toolkit.types import Claim, Correction, Document, Entity, Extraction, Span


def E(start: int, end: int, label: str) -> Entity:
    return Entity(start, end, label)


def C(start: int, end: int, **kw) -> Claim:
    return Claim(start, end, **kw)


def test_entities_hand_worked_example():
    gold = [[E(0, 5, "PERSON"), E(10, 15, "ORG"), E(20, 25, "GPE")]]
    pred = [[E(0, 5, "PERSON"), E(10, 15, "GPE"), E(30, 35, "GPE")]]
    s = score_entities(pred, gold)
    assert s["micro"] == pytest.approx(
        {"precision": 1 / 3, "recall": 1 / 3, "f1": 1 / 3, "tp": 1, "fp": 2, "fn": 2, "support": 3}
    )
    assert s["labels"]["PERSON"]["f1"] == 1.0
    assert s["labels"]["ORG"] == {"precision": None, "recall": 0.0, "f1": 0.0, "tp": 0, "fp": 0, "fn": 1, "support": 1}
    assert s["labels"]["GPE"]["precision"] == 0.0 and s["labels"]["GPE"]["fp"] == 2 and s["labels"]["GPE"]["fn"] == 1


def test_entities_are_matched_within_their_own_document():
    s = score_entities([[E(0, 5, "ORG")], []], [[], [E(0, 5, "ORG")]])
    assert (s["micro"]["tp"], s["micro"]["fp"], s["micro"]["fn"]) == (0, 1, 1)


def test_entities_accept_mappings():
    s = score_entities([[{"start": 0, "end": 3, "label": "GPE"}]], [[E(0, 3, "GPE")]])
    assert s["micro"]["f1"] == 1.0


def test_no_gold_and_no_predictions_is_undefined_not_zero_or_one():
    s = score_entities([[]], [[]])
    assert s["micro"]["precision"] is None and s["micro"]["recall"] is None and s["micro"]["f1"] is None
    assert s["labels"] == {}
    c = score_claims([[]], [[]])
    assert c["f1"] is None and c["speaker_accuracy"] is None and c["matched"] == 0


def test_no_predictions_gives_zero_recall_and_undefined_precision():
    s = score_entities([[]], [[E(0, 3, "GPE")]])
    assert s["micro"]["precision"] is None and s["micro"]["recall"] == 0.0 and s["micro"]["f1"] == 0.0


def test_no_gold_gives_zero_precision_and_undefined_recall():
    c = score_claims([[C(0, 10)]], [[]])
    assert c["precision"] == 0.0 and c["recall"] is None and c["f1"] == 0.0


def test_scores_by_kind_count_predictions_and_gold_apart():
    # a quote found but called indirect: recall of "direct", a false positive of "indirect"
    gold = [[C(0, 10, kind="direct"), C(20, 30, kind="indirect")]]
    pred = [[C(0, 10, kind="indirect"), C(20, 30, kind="indirect"), C(40, 50, kind="indirect")]]
    kinds = score_claims(pred, gold)["kinds"]
    direct, indirect = kinds["direct"], kinds["indirect"]
    assert (direct["tp"], direct["fn"], direct["support"], direct["predicted"], direct["pred_tp"], direct["fp"]) == (1, 0, 1, 0, 0, 0)
    assert direct["recall"] == 1.0 and direct["precision"] is None
    assert (indirect["tp"], indirect["fn"], indirect["support"]) == (1, 0, 1)
    assert (indirect["pred_tp"], indirect["fp"], indirect["predicted"]) == (2, 1, 3)
    assert indirect["precision"] == 2 / 3 and indirect["recall"] == 1.0
    assert kinds["mixed"]["support"] == 0 and kinds["mixed"]["f1"] is None


def test_different_numbers_of_documents_is_an_error():
    with pytest.raises(ValueError, match="2 documents of predictions but 1 of gold"):
        score_entities([[], []], [[]])


@pytest.mark.parametrize(
    "pred, gold, matched",
    [
        ((0, 5), (0, 10), True),  # IoU exactly 0.5 counts
        ((10, 40), (0, 30), True),  # 20 / 40, exactly 0.5
        ((0, 4), (0, 10), False),  # 0.4
        ((5, 15), (0, 10), False),  # 1/3
        ((0, 10), (0, 10), True),
        ((10, 20), (0, 10), False),  # touching, no overlap
    ],
)
def test_claim_content_matches_at_half_of_the_union(pred, gold, matched):
    c = score_claims([[C(*pred)]], [[C(*gold)]])
    assert c["tp"] == int(matched)


def test_claims_match_one_to_one_by_best_iou():
    gold = [C(0, 10), C(10, 20)]
    pred = [C(0, 12), C(1, 10)]  # both overlap gold 0 by more than half; (1, 10) is closer
    assert match_claims(pred, gold) == [(1, 0, pytest.approx(0.9))]
    c = score_claims([pred], [gold])
    assert (c["tp"], c["fp"], c["fn"]) == (1, 1, 1)


def test_claim_attribute_accuracies_over_matched_claims():
    gold = [
        C(0, 10, speaker=Span(30, 40), cue=Span(25, 29), kind="direct", hedged=False),
        C(50, 60, speaker=None, cue=None, kind="indirect", hedged=True),
        C(70, 80, speaker=Span(90, 95)),
        C(200, 210),  # missed
    ]
    pred = [
        C(0, 10, speaker=Span(30, 38), cue=Span(25, 29), kind="indirect", hedged=False),  # speaker IoU 0.8
        C(50, 59, speaker=None, cue=Span(61, 65), kind="indirect", hedged=True),
        C(70, 80, speaker=None),
    ]
    c = score_claims([pred], [gold])
    assert (c["tp"], c["fp"], c["fn"], c["matched"]) == (3, 0, 1, 3)
    assert c["recall"] == 0.75 and c["precision"] == 1.0
    assert c["speaker_accuracy"] == pytest.approx(2 / 3)
    assert c["cue_accuracy"] == pytest.approx(2 / 3)
    assert c["kind_accuracy"] == pytest.approx(2 / 3)
    assert c["hedged_accuracy"] == 1.0
    assert "speaker_text_accuracy" not in c


def test_speaker_text_accuracy_counts_another_mention_of_the_same_name():
    text = "Smith spoke. 'We will win,' said Smith."
    gold = [C(14, 25, speaker=Span(0, 5))]
    pred = [C(14, 25, speaker=Span(33, 38))]
    c = score_claims([pred], [gold], [text])
    assert c["speaker_accuracy"] == 0.0 and c["speaker_text_accuracy"] == 1.0


@given(st.integers(0, 50), st.integers(1, 50), st.integers(0, 50), st.integers(1, 50))
def test_span_agreement_is_symmetric_and_exact_at_one_half(a0, alen, b0, blen):
    a, b = Span(a0, a0 + alen), Span(b0, b0 + blen)
    inter = max(0, min(a.end, b.end) - max(a.start, b.start))
    union = max(a.end, b.end) - min(a.start, b.start)
    assert spans_agree(a, b) == spans_agree(b, a) == (2 * inter >= union)


# --- evaluate -------------------------------------------------------------------------

TEXT = "Angela Merkel said the economy was strong."


def _ex(doc_id: str, text: str = TEXT, entities=(), claims=()) -> Extraction:
    return Extraction(doc=Document(doc_id, text), entities=tuple(entities), claims=tuple(claims))


def test_evaluate_pairs_by_id_and_reports():
    gold = [
        Correction.create(Document("a", TEXT), annotator="x", entities=[E(0, 13, "PERSON")], claims=[C(19, 41, speaker=Span(0, 13))]),
        Correction.create(Document("b", TEXT), annotator="x", answer="reject"),  # left out
    ]
    preds = [
        _ex("z"),  # no gold: ignored
        _ex("a", entities=[E(0, 13, "PERSON"), E(0, 6, "PERSON")], claims=[C(19, 42, speaker=Span(0, 13))]),
    ]
    report = evaluate(preds, gold)
    assert isinstance(report, EvaluationReport) and report.n_docs == 1
    d = report.to_dict()
    json.dumps(d)
    assert d["entities"]["micro"]["precision"] == 0.5 and d["entities"]["micro"]["recall"] == 1.0
    assert d["claims"]["f1"] == 1.0 and d["claims"]["speaker_accuracy"] == 1.0 and d["claims"]["speaker_text_accuracy"] == 1.0
    df = report.to_dataframe()
    assert list(df["label"]) == ["PERSON", "ALL", "claims", "direct", "indirect", "mixed"]
    assert {"task", "precision", "recall", "f1", "tp", "fp", "fn", "speaker_accuracy"} <= set(df.columns)
    text = str(report)
    assert "PERSON" in text and "claims" in text and "speaker accuracy" in text and text.startswith("1 docs")


def test_evaluate_with_extraction_gold_and_no_claims_prints_dashes():
    report = evaluate([_ex("a")], [_ex("a", entities=[E(0, 6, "PERSON")])])
    assert report.claims["f1"] is None
    assert "—" in str(report)


def test_evaluate_names_the_document_whose_text_differs():
    with pytest.raises(InputError, match=r"\[E140\] document 'a': the predicted text differs from the gold text"):
        evaluate([_ex("a", text=TEXT + " ")], [_ex("a")])


def test_evaluate_refuses_gold_without_predictions():
    with pytest.raises(InputError, match=r"\[E141\] 1 gold documents have no prediction: 'b'"):
        evaluate([_ex("a")], [_ex("a"), _ex("b")])


def test_evaluate_refuses_duplicate_gold():
    with pytest.raises(InputError, match=r"\[E142\] document 'a' appears twice in the gold"):
        evaluate([_ex("a")], [_ex("a"), _ex("a")])

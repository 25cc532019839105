"""Inter-annotator agreement: F1, token-level Cohen's kappa, claims, and the list of differences."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.analysis.agreement import agreement, cohen_kappa, disagreements, token_labels
from toolkit.errors import DriftWarning, InputError
from toolkit.types import Claim, Correction, Document, Entity, Span

TEXT = "Alice met Bob in Paris today."
#       0     6   10  14 17    23   28


def rec(annotator: str, entities=(), claims=(), *, doc_id="d1", text=TEXT, answer="accept", ts="2024-01-01T10:00:00+00:00"):
    return Correction.create(
        Document(doc_id, text), annotator=annotator, entities=list(entities), claims=list(claims), answer=answer, timestamp=ts
    )


A_ENTS = [Entity(0, 5, "PERSON"), Entity(10, 13, "PERSON"), Entity(17, 22, "GPE")]
B_ENTS = [Entity(0, 5, "PERSON"), Entity(10, 13, "ORG"), Entity(17, 22, "GPE"), Entity(23, 28, "DATE")]


def test_tokens_get_the_label_of_the_entity_over_them():
    assert token_labels(TEXT, A_ENTS) == ["PERSON", "O", "PERSON", "O", "GPE", "O", "O"]


def test_kappa_of_a_hand_computed_table():
    # A: P O P O G O O   B: P O ORG O G D O
    # observed 5/7; chance (2*1 + 4*3 + 1*1) / 49 = 15/49; kappa = (35 - 15) / (49 - 15) = 10/17
    a = ["P", "O", "P", "O", "G", "O", "O"]
    b = ["P", "O", "ORG", "O", "G", "D", "O"]
    assert cohen_kappa(a, b) == pytest.approx(10 / 17)
    # the classic 2x2 table: 20 yes/yes, 5 yes/no, 10 no/yes, 15 no/no -> po .7, pe .5, kappa .4
    a2 = ["y"] * 25 + ["n"] * 25
    b2 = ["y"] * 20 + ["n"] * 5 + ["y"] * 10 + ["n"] * 15
    assert cohen_kappa(a2, b2) == pytest.approx(0.4)


def test_kappa_is_undefined_without_variation_or_items():
    assert cohen_kappa([], []) is None
    assert cohen_kappa(["O", "O"], ["O", "O"]) is None
    with pytest.raises(ValueError, match="different lengths"):
        cohen_kappa(["O"], [])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("OPGD"), st.sampled_from("OPGD")), min_size=1, max_size=40))
def test_kappa_equals_sklearn(pairs):
    sklearn_metrics = pytest.importorskip("sklearn.metrics")
    a, b = [x for x, _ in pairs], [y for _, y in pairs]
    ours = cohen_kappa(a, b)
    if ours is None:
        assert len(set(a) | set(b)) == 1
    else:
        assert ours == pytest.approx(sklearn_metrics.cohen_kappa_score(a, b))


def test_identical_annotators_agree_perfectly():
    claims = [Claim(0, 13, speaker=Span(17, 22), cue=Span(14, 16))]
    records = [rec("ann1", A_ENTS, claims), rec("ann2", A_ENTS, claims)]
    report = agreement(records)
    assert report.annotators == ("ann1", "ann2")
    table = report.table()
    assert list(table.columns) == ["label", "metric", "value", "n"]
    assert (table["value"] == 1.0).all()
    assert report.value("entity_f1") == 1.0 and report.value("entity_kappa") == 1.0
    assert report.value("entity_kappa", "PERSON") == 1.0
    assert report.value("claim_f1", "claims") == 1.0 and report.value("speaker_agreement", "claims") == 1.0


def test_hand_computed_agreement_of_two_annotators():
    report = agreement([rec("a", A_ENTS), rec("b", B_ENTS)])
    assert report.value("entity_kappa") == pytest.approx(10 / 17)
    # PERSON vs rest: A 1 0 1 0 0 0 0, B 1 0 0 0 0 0 0 -> po 6/7, pe 32/49 -> 10/17
    assert report.value("entity_kappa", "PERSON") == pytest.approx(10 / 17)
    assert report.value("entity_kappa", "GPE") == 1.0
    assert report.value("entity_f1") == pytest.approx(4 / 7)  # 2 shared of 3 and 4 spans
    assert report.value("entity_f1", "ORG") == 0.0
    table = report.table()
    assert table.query("metric == 'entity_kappa' and label == 'ALL'")["n"].item() == 7
    assert report.value("claim_f1", "claims") is None  # nobody marked a claim
    assert report.value("answer_agreement", "answer") == 1.0


def test_claim_agreement_and_speaker_agreement_over_matched_claims():
    a = [Claim(0, 20, speaker=Span(30, 35)), Claim(40, 60, speaker=Span(70, 75)), Claim(80, 90)]
    b = [Claim(0, 18, speaker=Span(30, 35)), Claim(40, 60, speaker=Span(0, 3))]
    text = "x" * 100
    report = agreement([rec("a", claims=a, text=text), rec("b", claims=b, text=text)])
    assert report.value("claim_f1", "claims") == pytest.approx(0.8)  # 2 matched of 3 and 2
    assert report.value("speaker_agreement", "claims") == 0.5
    assert report.table().query("metric == 'speaker_agreement'")["n"].item() == 2


def test_three_annotators_give_pairs_and_their_mean():
    records = [rec("a", A_ENTS), rec("b", A_ENTS), rec("c", B_ENTS)]
    report = agreement(records)
    pairs = report.pairwise()
    assert set(zip(pairs["annotator_a"], pairs["annotator_b"])) == {("a", "b"), ("a", "c"), ("b", "c")}
    kappa = pairs.query("metric == 'entity_kappa' and label == 'ALL'")["value"].tolist()
    assert kappa == pytest.approx([1.0, 10 / 17, 10 / 17])
    assert report.value("entity_kappa") == pytest.approx((1 + 20 / 17) / 3)
    assert report.table().query("metric == 'entity_kappa' and label == 'ALL'")["n"].item() == 21
    assert "agreement of a, b, c" in str(report)


def test_latest_record_per_annotator_counts_and_reviewer_is_left_out():
    records = [
        rec("a", B_ENTS, ts="2024-01-01T09:00:00+00:00"),
        rec("a", A_ENTS, ts="2024-01-01T11:00:00+00:00"),
        rec("b", A_ENTS),
        rec("review", B_ENTS),
    ]
    report = agreement(records)
    assert report.annotators == ("a", "b") and report.value("entity_f1") == 1.0
    assert agreement(records, annotators=["a", "review"]).value("entity_f1") == pytest.approx(4 / 7)


def test_only_documents_both_accepted_are_scored_for_spans():
    records = [rec("a", A_ENTS), rec("b", B_ENTS), rec("a", doc_id="d2", answer="reject"), rec("b", A_ENTS, doc_id="d2")]
    report = agreement(records)
    assert report.docs[("a", "b")] == ["d1", "d2"]
    assert report.value("answer_agreement", "answer") == 0.5
    assert report.value("entity_f1") == pytest.approx(4 / 7)


def test_changed_text_is_left_out_with_a_warning():
    records = [rec("a", A_ENTS), rec("b", A_ENTS), rec("a", doc_id="d2"), rec("b", doc_id="d2", text=TEXT + " More.")]
    with pytest.warns(DriftWarning, match="document 'd2': a and b annotated different texts"):
        report = agreement(records)
    assert report.docs[("a", "b")] == ["d1"]


def test_agreement_errors_say_what_to_do():
    with pytest.raises(InputError, match=r"\[E143\] agreement needs records of at least two annotators"):
        agreement([rec("a"), rec("review")])
    with pytest.raises(InputError, match=r"\[E143\] no records of annotator\(s\) \['zed'\]"):
        agreement([rec("a"), rec("b")], annotators=["a", "zed"])
    with pytest.raises(InputError, match=r"\[E144\] annotators \['a', 'b'\] have no document in common"):
        agreement([rec("a", doc_id="d1"), rec("b", doc_id="d2")])


# --- disagreements --------------------------------------------------------------------


def test_disagreements_list_label_boundary_and_missing_entities():
    a = rec("a", [Entity(0, 5, "PERSON"), Entity(10, 13, "PERSON"), Entity(17, 22, "GPE")])
    b = rec("b", [Entity(0, 5, "PERSON"), Entity(10, 13, "ORG"), Entity(14, 22, "GPE"), Entity(23, 28, "DATE")])
    found = [(d.kind, d.what, d.label_a, d.label_b) for d in disagreements(a, b)]
    assert found == [
        ("entity", "label_mismatch", "PERSON", "ORG"),
        ("entity", "boundary", "GPE", "GPE"),
        ("entity", "only_b", None, "DATE"),
    ]
    lines = [d.describe(TEXT) for d in disagreements(a, b)]
    assert lines[0] == "entity label_mismatch: A PERSON 'Bob' / B ORG 'Bob'"
    assert lines[1] == "entity boundary: A GPE 'Paris' / B GPE 'in Paris'"
    assert lines[2] == "entity only_b: A nothing / B DATE 'today'"


def test_disagreements_of_claims():
    text = "x" * 100
    a = rec("a", claims=[Claim(0, 20, speaker=Span(30, 35), kind="direct"), Claim(50, 60, hedged=True)], text=text)
    b = rec("b", claims=[Claim(0, 18, speaker=Span(40, 45), kind="direct"), Claim(50, 60, cue=Span(61, 65)), Claim(80, 90)], text=text)
    found = [(d.what, d.span_a, d.span_b) for d in disagreements(a, b)]
    assert found == [
        ("boundary", Span(0, 20), Span(0, 18)),
        ("speaker_mismatch", Span(30, 35), Span(40, 45)),
        ("cue_mismatch", None, Span(61, 65)),
        ("hedged_mismatch", Span(50, 60), Span(50, 60)),
        ("only_b", None, Span(80, 90)),
    ]
    assert all(d.kind == "claim" for d in disagreements(a, b))


def test_identical_records_have_no_disagreements():
    claims = [Claim(0, 13, speaker=Span(17, 22))]
    assert disagreements(rec("a", A_ENTS, claims), rec("b", A_ENTS, claims)) == []


def test_disagreements_refuse_records_of_different_texts():
    with pytest.raises(ValueError, match="records of different documents or texts"):
        disagreements(rec("a"), rec("b", text=TEXT + "!"))

"""Import every relevant shared interop fixture, check counts and spans by hand, and export
it again in its own format without losing a span."""
from __future__ import annotations

import json
import warnings
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest

from toolkit.errors import FormatError
from toolkit.export import export_records, import_records
from toolkit.types import Entity

INTEROP = Path(__file__).parents[2] / "shared" / "fixtures" / "interop"


def load(name: str, fmt: str, **options):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return list(import_records(INTEROP / name, fmt, **options))


def spans(record) -> list[tuple[str, str, int, int]]:
    return [(record.text[e.start : e.end], e.label, e.start, e.end) for e in record.entities]


def labels_of(records) -> Counter:
    return Counter(e.label for r in records for e in r.entities)


# ---------------------------------------------------------------- Prodigy


def test_prodigy_tweets_523_tasks_244_person_spans():
    records = load("prodigy_ner_manual_tweets.jsonl", "prodigy")
    assert len(records) == 523
    assert labels_of(records) == Counter({"PERSON": 244})
    assert Counter(r.answer for r in records) == Counter({"accept": 519, "ignore": 4})
    first = records[0]
    assert spans(first) == [("Remus Lupin", "PERSON", 49, 60)]
    assert first.timestamp == "2021-10-11T05:44:54+00:00"  # _timestamp 1633931094
    assert first.annotator == "prodigy"


def test_prodigy_headlines_303_spans_and_36_tasks_without_spans_key():
    path = INTEROP / "prodigy_ner_manual_news_headlines.jsonl"
    no_key = sum("spans" not in json.loads(line) for line in path.open(encoding="utf-8"))
    records = load(path.name, "prodigy", labels=["ORG", "LOCATION", "PERSON", "PRODUCT"])
    assert no_key == 36 and len(records) == 373
    assert sum(len(r.entities) for r in records) == 303
    assert spans(records[0]) == [("Uber", "ORG", 0, 4), ("Silicon Valley", "LOCATION", 15, 29)]
    assert records[0].meta == {"source": "The New York Times"}


def test_prodigy_unknown_label_names_file_and_line():
    with pytest.raises(FormatError) as err:
        load("prodigy_ner_manual_news_headlines.jsonl", "prodigy", labels=["ORG"])
    assert str(err.value) == (
        f"[E403] {INTEROP / 'prodigy_ner_manual_news_headlines.jsonl'}, line 1: unknown label 'LOCATION' on "
        "'Silicon Valley' [15, 29); expected one of: ORG. Add it to --labels or relabel the span."
    )


def test_prodigy_fashion_brands_500_tasks_238_spans():
    records = load("prodigy_ner_fashion_brands_eval.jsonl", "prodigy")
    assert len(records) == 500
    assert labels_of(records) == Counter({"FASHION_BRAND": 238})


def test_prodigy_binary_reddit_1800_decisions_keep_accepted_spans_only():
    with pytest.warns(UserWarning, match="1800 binary"):
        records = list(import_records(INTEROP / "prodigy_ner_teach_binary_reddit_product.jsonl", "prodigy"))
    assert len(records) == 1800
    assert Counter(r.answer for r in records) == Counter({"reject": 1276, "accept": 438, "ignore": 86})
    assert all(r.meta["prodigy_binary"] for r in records)
    first = records[0]  # "... Real de Catorce, MX." with MX rejected
    assert first.entities == () and first.meta["prodigy_rejected"] == [
        {"start": 66, "end": 68, "label": "PRODUCT", "answer": "reject"}
    ]
    # 448 spans answered accept, one of them a duplicate (line 848, "Reddit" twice)
    assert sum(len(r.entities) for r in records) == 447
    assert spans(records[45]) == [("Apache", "PRODUCT", 53, 59), ("MySQL", "PRODUCT", 61, 66)]


def test_prodigy_rel_manual_genia_spans_kept_relations_reported():
    with pytest.warns(UserWarning, match=r"Pos-Reg \(107\), Reg \(49\), Neg-Reg \(42\), Binds \(35\), No-rel \(34\)"):
        records = list(import_records(INTEROP / "prodigy_rel_manual_genia.jsonl", "prodigy"))
    assert len(records) == 149
    assert labels_of(records) == Counter({"GGP": 466})
    assert all(r.claims == () for r in records)
    assert spans(records[0])[0] == ("Smad", "GGP", 13, 17)


# ---------------------------------------------------------------- spaCy


def test_spacy_docbin_tweets_demo():
    (record,) = load("spacy_docbin_tweets_demo.spacy", "spacy")
    source = json.loads((INTEROP / "spacy_docbin_tweets_demo.source.jsonl").read_text(encoding="utf-8"))
    assert record.text == source["text"]
    assert spans(record) == [("Ed Sheeran", "PERSON", 11, 21)]
    assert record.annotator == "spacy" and record.answer == "accept"


# ---------------------------------------------------------------- Label Studio


def config_labels(name: str) -> set[str]:
    return {el.get("value") for el in ET.parse(INTEROP / name).getroot().iter("Label")}


def test_label_studio_annotation_february_22():
    (record,) = load("labelstudio_ner_annotation_example.json", "label-studio", labels=config_labels("labelstudio_ner_config.xml"))
    assert spans(record) == [("February 22", "Date", 343, 354)]


def test_label_studio_predictions_need_source_option():
    with pytest.warns(UserWarning, match="only predictions; pass source='predictions'"):
        assert list(import_records(INTEROP / "labelstudio_ner_tasks_with_predictions.json", "label-studio")) == []
    (record,) = load("labelstudio_ner_tasks_with_predictions.json", "label-studio", source="predictions")
    assert spans(record) == [("February 22", "Date", 343, 354)]
    assert record.annotator == "model 1"


def test_label_studio_legacy_completions():
    labels = config_labels("labelstudio_legacy_completions_ner_348.config.xml")
    assert len(labels) == 19
    (record,) = load("labelstudio_legacy_completions_ner_348.json", "label-studio", labels=labels)
    assert len(record.entities) == 38
    assert labels_of([record]).most_common(1)[0][0] == "INGREDIENT"
    assert ("Sodium Lauroyl Methyl Isethionate,", "INGREDIENT", 121, 155) in spans(record)


# ---------------------------------------------------------------- doccano


def test_doccano_sequence_labelling_export():
    records = load("doccano_seq_label_export_example.jsonl", "doccano")
    assert [spans(r) for r in records] == [
        [("EU", "ORG", 0, 2), ("German", "MISC", 11, 17)],
        [("Peter Blackburn", "PERSON", 0, 15)],
        [("Obama", "PERSON", 10, 15)],
    ]


def test_doccano_relation_file_entities_and_unmapped_relations():
    with pytest.warns(UserWarning, match="relation foundedBy \\(2\\), relation foundedAt \\(1\\)"):
        (record,) = list(import_records(INTEROP / "doccano_relation_import_example.jsonl", "doccano"))
    assert spans(record) == [("Google", "ORG", 0, 6), ("September 4, 1998", "DATE", 22, 39),
                             ("Larry Page", "PERSON", 44, 54), ("Sergey Brin", "PERSON", 59, 70)]


def test_doccano_pretty_printed_relation_export_is_refused_with_line():
    path = INTEROP / "doccano_relation_export_example.json"
    with pytest.raises(FormatError) as err:
        list(import_records(path, "doccano"))
    assert str(err.value) == (
        f"[E401] {path}, line 1: malformed JSON (Expecting property name enclosed in double quotes at column 2). "
        "Each line must be one complete JSON object; fix or remove this line."
    )


def test_doccano_v1_multiuser_with_label_ids_equals_text_label_version():
    named = load("doccano_v1_seq_label_text_label.jsonl", "doccano")
    assert len(named) == 2 and sum(len(r.entities) for r in named) == 11
    users = load("doccano_v1_seq_label_multiuser.jsonl", "doccano", label_names={12: "LOC", 13: "PER", 14: "ORG"})
    assert [(r.annotator, r.text) for r in users] == [
        ("doccano-user-1", named[0].text), ("doccano-user-2", named[0].text), ("doccano-user-2", named[1].text)
    ]
    assert users[0].entities == users[1].entities == named[0].entities
    assert users[2].entities == named[1].entities
    raw = load("doccano_v1_seq_label_multiuser.jsonl", "doccano")
    assert {e.label for r in raw for e in r.entities} == {"12", "13", "14"}


# ---------------------------------------------------------------- CoNLL


def test_conll_wnut17_1009_sentences():
    records = load("conll_iob_wnut17_dev.conll", "conll")
    assert len(records) == 1009
    b_tags = sum(line.split("\t")[-1].startswith("B-") for line in (INTEROP / "conll_iob_wnut17_dev.conll").open(encoding="utf-8"))
    assert sum(len(r.entities) for r in records) == b_tags == 836
    assert {e.label for r in records for e in r.entities} == {
        "person", "location", "group", "corporation", "product", "creative-work"}
    assert spans(records[1])[0] == ("Redondo Beach Blvd", "location", 26, 44)


def test_conll_docstart_four_columns_equal_doccano_jsonl_of_the_same_data():
    """doccano-transformer wrote this CoNLL from the doccano 1.x JSONL fixture: same text, same spans."""
    doccano = load("doccano_v1_seq_label_text_label.jsonl", "doccano")
    conll = load("doccano_transformer_conll2003_text_label.conll", "conll")
    assert [(r.text, r.entities) for r in conll] == [(r.text, r.entities) for r in doccano]
    ids = load("doccano_transformer_conll2003_user2.conll", "conll", label_names={"12": "LOC", "13": "PER", "14": "ORG"})
    assert [r.entities for r in ids] == [r.entities for r in doccano]


def test_conll_flair_iobes_and_spacy_iob():
    flair = load("conll_flair_fashion_train.conll", "conll")
    assert len(flair) == 6
    assert ("debut", "Occasion") in [(t, label) for r in flair for t, label, _, _ in spans(r)]
    assert spans(flair[0])[0] == ("Arlésienne", "NamedPerson", 18, 28)
    (iob,) = load("iob_spacy_token_per_line.iob", "conll")
    assert spans(iob)[0] == ("Sebastian Thrun", "PERSON", 5, 20)
    assert len(iob.entities) == 7
    tiny = load("doccano_import_example.conll", "conll")
    assert [(r.text, spans(r)) for r in tiny] == [("JAPAN GET", [("JAPAN", "LOC", 0, 5)]),
                                                  ("Nadim Ladki", [("Nadim Ladki", "PER", 0, 11)])]


# ---------------------------------------------------------------- export again, nothing lost

AGAIN = [
    ("prodigy_ner_manual_tweets.jsonl", "prodigy", {}),
    ("prodigy_ner_manual_news_headlines.jsonl", "prodigy", {}),
    ("prodigy_ner_fashion_brands_eval.jsonl", "prodigy", {}),
    ("prodigy_ner_teach_binary_reddit_product.jsonl", "prodigy", {}),
    ("prodigy_rel_manual_genia.jsonl", "prodigy", {}),
    ("spacy_docbin_tweets_demo.spacy", "spacy", {}),
    ("labelstudio_ner_annotation_example.json", "label-studio", {}),
    ("labelstudio_legacy_completions_ner_348.json", "label-studio", {}),
    ("doccano_seq_label_export_example.jsonl", "doccano", {}),
    ("doccano_relation_import_example.jsonl", "doccano", {"relations": True}),
    ("doccano_v1_seq_label_multiuser.jsonl", "doccano", {}),
    ("conll_iob_wnut17_dev.conll", "conll", {}),
    ("conll_flair_fashion_train.conll", "conll", {"columns": 4}),
    ("doccano_transformer_conll2003_user2.conll", "conll", {"columns": 4}),
    ("iob_spacy_token_per_line.iob", "conll", {}),
]


@pytest.mark.parametrize("name,fmt,options", AGAIN, ids=[a[0] for a in AGAIN])
def test_fixture_exported_again_keeps_every_span(tmp_path, name, fmt, options):
    records = load(name, fmt)
    out = tmp_path / ("again" + Path(name).suffix)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert export_records(records, fmt, out, **options) == len(records)
        again = list(import_records(out, fmt))
    if fmt == "conll":  # no timestamps in CoNLL: the import time differs
        assert [(r.doc_id, r.text, r.entities, r.meta) for r in again] == [
            (r.doc_id, r.text, r.entities, r.meta) for r in records]
    else:
        assert again == records


def test_conll_fixture_comes_back_with_its_own_tokens_and_sentences(tmp_path):
    source = INTEROP / "doccano_transformer_conll2003_text_label.conll"
    out = tmp_path / "again.conll"
    export_records(load(source.name, "conll"), "conll", out, columns=4)
    assert out.read_text(encoding="utf-8") == source.read_text(encoding="utf-8").rstrip("\n") + "\n\n"


def test_prodigy_tokens_and_entities_reexported_on_the_toolkit_tokenizer(tmp_path):
    records = load("prodigy_ner_manual_tweets.jsonl", "prodigy")
    export_records(records, "prodigy", tmp_path / "t.jsonl")
    source = [json.loads(line) for line in (INTEROP / "prodigy_ner_manual_tweets.jsonl").open(encoding="utf-8")]
    ours = [json.loads(line) for line in (tmp_path / "t.jsonl").open(encoding="utf-8")]
    assert [[(s["start"], s["end"], s["label"]) for s in t.get("spans", [])] for t in source] == [
        [(s["start"], s["end"], s["label"]) for s in t["spans"]] for t in ours]
    assert [t["answer"] for t in source] == [t["answer"] for t in ours]


def test_entity_type_is_kept():
    assert isinstance(load("doccano_seq_label_export_example.jsonl", "doccano")[0].entities[0], Entity)

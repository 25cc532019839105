"""Shapes of the exported files (compared with the real tools' fixture files), options,
warnings, and the exact text of the errors."""
from __future__ import annotations

import json
import subprocess
import sys
import warnings
import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd
import pytest
from spacy.tokens import DocBin

from toolkit.errors import FormatError, ToolkitWarning
from toolkit.export import FORMATS, IMPORT_FORMATS, export_records, import_records, label_studio_config, to_dataframe
from toolkit.extract.tokenizer import blank_english
from toolkit.types import Claim, Correction, Document, Entity, Extraction, Span

INTEROP = Path(__file__).parents[2] / "shared" / "fixtures" / "interop"
TEXT = 'Merkel said "we will win" in Berlin 😀 on Monday.'
#       0123456789012345678901234567890123456789
CLAIM = Claim(13, 24, kind="direct", hedged=True, speaker=Span(0, 6), cue=Span(7, 11))


def record(text: str = TEXT, entities=(Entity(0, 6, "PERSON"), Entity(29, 35, "GPE")), claims=(CLAIM,), **kw) -> Correction:
    return Correction.create(Document(id="d1", text=text), annotator="alice", entities=entities, claims=claims,
                             timestamp="2026-11-22T10:15:30+00:00", meta=kw.pop("meta", {"date": "2026-11-20", "source": "feed"}), **kw)


def read_lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def first_line(name: str) -> dict:
    with (INTEROP / name).open(encoding="utf-8") as handle:
        return json.loads(handle.readline())


def test_registry_names_and_export_only_formats():
    assert set(FORMATS) == {"jsonl", "spacy", "prodigy", "label-studio", "doccano", "conll", "parquet", "csv"}
    assert set(IMPORT_FORMATS) == set(FORMATS) - {"parquet", "csv"}
    assert all(callable(fmt.exporter) for fmt in FORMATS.values())


def test_unknown_format_and_export_only_import_errors(tmp_path):
    with pytest.raises(FormatError) as err:
        export_records([], "brat", tmp_path / "x")
    assert str(err.value) == "[E407] unknown format 'brat'; choose one of: conll, csv, doccano, jsonl, label-studio, parquet, prodigy, spacy."
    with pytest.raises(FormatError, match=r"^\[E407\] format 'csv' is export only"):
        import_records(tmp_path / "x.csv", "csv")


def test_filters_answer_and_annotator(tmp_path):
    recs = [record(), record(answer="reject"), Correction.create(Document("d2", "Hi"), annotator="bob", timestamp="t")]
    assert export_records(recs, "jsonl", tmp_path / "a.jsonl", answer="accept") == 2
    assert export_records(recs, "jsonl", tmp_path / "b.jsonl", annotator="bob") == 1
    assert [r.doc_id for r in import_records(tmp_path / "b.jsonl", "jsonl")] == ["d2"]


# ---------------------------------------------------------------- Prodigy


def test_prodigy_task_shape_matches_prodigy_files(tmp_path):
    export_records([record(claims=())], "prodigy", tmp_path / "p.jsonl")
    (task,) = read_lines(tmp_path / "p.jsonl")
    tweet = first_line("prodigy_ner_manual_tweets.jsonl")
    assert {"text", "tokens", "spans", "answer", "_input_hash", "_task_hash", "_view_id"} <= set(task) & set(tweet)
    assert set(task["tokens"][0]) == set(tweet["tokens"][0]) == {"text", "start", "end", "id", "ws"}
    assert {"start", "end", "token_start", "token_end", "label", "text"} <= set(task["spans"][0]) & set(tweet["spans"][0])
    assert task["_view_id"] == "ner_manual" and task["_annotator_id"] == "alice"
    assert task["meta"] == {"doc_id": "d1", "annotator": "alice", "timestamp": "2026-11-22T10:15:30+00:00",
                            "record_meta": {"date": "2026-11-20", "source": "feed"}}
    assert isinstance(task["_input_hash"], int) and isinstance(task["_task_hash"], int)
    export_records([record(claims=())], "prodigy", tmp_path / "q.jsonl")
    assert read_lines(tmp_path / "q.jsonl") == [task]  # stable hashes


def test_prodigy_claims_are_rel_manual_relations(tmp_path):
    export_records([record()], "prodigy", tmp_path / "p.jsonl")
    (task,) = read_lines(tmp_path / "p.jsonl")
    assert task["_view_id"] == "relations"
    claim = [s for s in task["spans"] if s["label"].startswith("CLAIM_")]
    assert claim == [{"start": 13, "end": 24, "token_start": 3, "token_end": 5, "label": "CLAIM_DIRECT",
                      "text": "we will win", "claim": 0, "hedged": True, "negated": False}]
    genia = first_line("prodigy_rel_manual_genia.jsonl")["relations"][0]
    speaker, cue = task["relations"]
    assert set(genia) - {"color"} <= set(speaker)
    assert (speaker["label"], speaker["head"], speaker["child"]) == ("SPEAKER_OF", 0, 5)
    assert speaker["head_span"] == {"start": 0, "end": 6, "token_start": 0, "token_end": 0, "label": "SPEAKER"}
    assert (cue["label"], cue["head_span"]["start"], cue["child_span"]["end"]) == ("CUE_OF", 7, 24)
    assert list(import_records(tmp_path / "p.jsonl", "prodigy")) == [record()]


def test_prodigy_overlapping_entities_use_spans_manual(tmp_path):
    overlapping = record(entities=(Entity(29, 35, "GPE"), Entity(29, 35, "LOC"), Entity(0, 6, "PERSON")), claims=())
    with pytest.warns(ToolkitWarning, match="_view_id 'spans_manual'"):
        export_records([overlapping], "prodigy", tmp_path / "p.jsonl")
    assert read_lines(tmp_path / "p.jsonl")[0]["_view_id"] == "spans_manual"
    assert list(import_records(tmp_path / "p.jsonl", "prodigy")) == [overlapping]


def write(tmp_path: Path, *tasks: dict | str) -> Path:
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(t if isinstance(t, str) else json.dumps(t) for t in tasks) + "\n", encoding="utf-8")
    return path


def test_prodigy_errors_name_file_and_line(tmp_path):
    good = {"text": "Anna met Bob", "spans": [{"start": 0, "end": 4, "label": "PERSON"}], "answer": "accept"}
    path = write(tmp_path, good, "", '{"text": "x", ')
    with pytest.raises(FormatError) as err:
        list(import_records(path, "prodigy"))
    assert str(err.value) == (f"[E401] {path}, line 3: malformed JSON (Expecting property name enclosed in double quotes "
                              "at column 15). Each line must be one complete JSON object; fix or remove this line.")
    shifted = {"text": "Anna met Bob", "spans": [{"start": 1, "end": 5, "label": "PERSON", "text": "Anna"}]}
    path = write(tmp_path, good, shifted)
    with pytest.raises(FormatError) as err:
        list(import_records(path, "prodigy"))
    assert str(err.value) == (f"[E405] {path}, line 2: misaligned span PERSON [1, 5): its text is 'Anna' but the task text "
                              "there is 'nna '. The offsets must be str indices into this task's text; fix the span.")
    overlap = {"text": "Anna met Bob", "_view_id": "ner_manual",
               "spans": [{"start": 0, "end": 8, "label": "ORG"}, {"start": 5, "end": 12, "label": "PERSON"}]}
    with pytest.raises(FormatError) as err:
        list(import_records(write(tmp_path, overlap), "prodigy"))
    assert str(err.value) == (
        f"[E404] {tmp_path / 'in.jsonl'}, line 1: overlapping spans 'Anna met' ORG [0, 8) and 'met Bob' PERSON [5, 12). "
        "Manual Prodigy tasks cannot overlap; fix the task, or set its _view_id to 'spans_manual' if the overlap is intended.")
    tokens = {"text": "Anna met", "tokens": [{"text": "Anna", "start": 0, "end": 4, "id": 0}, {"text": "met", "start": 5, "end": 8, "id": 1}],
              "spans": [{"start": 0, "end": 4, "token_start": 0, "token_end": 1, "label": "PERSON"}]}
    with pytest.raises(FormatError, match=r"^\[E405\] .*line 1: misaligned span PERSON \[0, 4\) 'Anna': token_start 0 / token_end 1"):
        list(import_records(write(tmp_path, tokens), "prodigy"))


def test_an_entity_that_cuts_a_token_is_widened_narrowed_or_refused(tmp_path):
    from toolkit.errors import AlignmentWarning

    inside = record(entities=(Entity(1, 6, "PERSON"),), claims=())
    for fmt in ("prodigy", "spacy", "conll"):
        with pytest.raises(FormatError) as err:
            export_records([inside], fmt, tmp_path / "x", misaligned="error")
        assert str(err.value) == (
            "[E406] document 'd1': entity PERSON 'erkel' [1, 6) does not start and end on token boundaries of the "
            "toolkit tokenizer (blank_english()); the nearest whole tokens are 'Merkel' [0, 6). Fix the span in the "
            "workbench, or export with misaligned='expand' (the default) to widen such spans to whole tokens.")
        with pytest.warns(AlignmentWarning, match=r"document 'd1' \(\w+ export\): 1 span\(s\) .*'erkel' \[1, 6\) -> 'Merkel' \[0, 6\)"):
            export_records([inside], fmt, tmp_path / f"default.{fmt}")
    assert list(import_records(tmp_path / "default.prodigy", "prodigy"))[0].entities == (Entity(0, 6, "PERSON", "correction"),)
    with pytest.raises(FormatError, match="does not start and end on token boundaries"):  # nothing left to keep
        export_records([inside], "prodigy", tmp_path / "c.jsonl", misaligned="contract")


# ---------------------------------------------------------------- spaCy


def test_spacy_docbin_layout(tmp_path):
    rec = record(entities=(Entity(0, 6, "PERSON"), Entity(0, 35, "EVENT"), Entity(29, 35, "GPE")))
    with pytest.warns(ToolkitWarning, match="2 overlapping entities cannot be in doc.ents; written to the span group 'entities_overlap'"):
        export_records([rec], "spacy", tmp_path / "d.spacy")
    (doc,) = DocBin().from_disk(tmp_path / "d.spacy").get_docs(blank_english().vocab)
    assert [(e.text, e.label_) for e in doc.ents] == [("Merkel said \"we will win\" in Berlin", "EVENT")]
    assert [(s.text, s.label_) for s in doc.spans["entities_overlap"]] == [("Merkel", "PERSON"), ("Berlin", "GPE")]
    assert [(s.text, s.label_, s.id_) for s in doc.spans["claim_content"]] == [("we will win", "direct", "claim0")]
    assert [(s.text, s.id_) for s in doc.spans["claim_speaker"]] == [("Merkel", "claim0")]
    assert [(s.text, s.id_) for s in doc.spans["claim_cue"]] == [("said", "claim0")]
    assert {k: doc.user_data[k] for k in ("doc_id", "annotator", "answer")} == {"doc_id": "d1", "annotator": "alice", "answer": "accept"}
    assert list(import_records(tmp_path / "d.spacy", "spacy")) == [rec]


def test_spacy_train_runs_one_epoch_on_the_export(tmp_path):
    recs = [record(text=f"Merkel met Macron in Berlin on day {i}.", entities=(Entity(0, 6, "PERSON"), Entity(11, 17, "PERSON"),
                                                                                   Entity(21, 27, "GPE")), claims=()) for i in range(8)]
    recs = [Correction.create(Document(f"d{i}", r.text), annotator="a", entities=r.entities, timestamp="t") for i, r in enumerate(recs)]
    recs.append(record())  # claims and span groups must not disturb training
    export_records(recs, "spacy", tmp_path / "train.spacy")
    run = lambda *args: subprocess.run([sys.executable, "-m", "spacy", *args], cwd=tmp_path, capture_output=True, text=True, timeout=600)
    made = run("init", "config", "-l", "en", "-p", "ner", "cfg")
    assert made.returncode == 0, made.stderr
    trained = run("train", "cfg", "--paths.train", "train.spacy", "--paths.dev", "train.spacy", "--training.max_epochs", "1",
                  "--training.max_steps", "20", "--output", "model")
    assert trained.returncode == 0, trained.stdout + trained.stderr
    assert (tmp_path / "model" / "model-last").is_dir()


def test_spacy_non_docbin_file_is_a_format_error(tmp_path):
    path = tmp_path / "bad.spacy"
    path.write_bytes(b"not a docbin")
    with pytest.raises(FormatError, match=r"^\[E401\] .*bad.spacy: not a spaCy DocBin"):
        list(import_records(path, "spacy"))


# ---------------------------------------------------------------- Label Studio


def test_label_studio_shape_and_config(tmp_path):
    export_records([record()], "label-studio", tmp_path / "ls.json")
    (task,) = json.loads((tmp_path / "ls.json").read_text(encoding="utf-8"))
    sample = json.loads((INTEROP / "labelstudio_ner_annotation_example.json").read_text(encoding="utf-8"))
    assert set(sample["data"]) <= set(task["data"]) and task["data"]["doc_id"] == "d1"
    (annotation,) = task["annotations"]
    region = annotation["result"][0]
    assert set(region) == set(sample["annotations"][0]["result"][0]) - {"source"}
    assert set(region["value"]) == set(sample["annotations"][0]["result"][0]["value"])
    assert region["value"] == {"start": 0, "end": 6, "text": "Merkel", "labels": ["PERSON"]}
    kinds = {(r["type"], r.get("from_name")) for r in annotation["result"]}
    assert kinds == {("labels", "label"), ("choices", "claim_kind"), ("choices", "hedged"), ("relation", None)}
    relations = [r for r in annotation["result"] if r["type"] == "relation"]
    assert relations == [{"type": "relation", "from_id": "c0-speaker", "to_id": "c0", "direction": "right", "labels": ["speaker"]},
                         {"type": "relation", "from_id": "c0-cue", "to_id": "c0", "direction": "right", "labels": ["cue"]}]
    config = ET.fromstring(label_studio_config(["PERSON", "GPE", 'A&"B']))
    assert [el.get("value") for el in config.iter("Label")] == ["PERSON", "GPE", 'A&"B', "CLAIM", "SPEAKER", "CUE",
                                                                "SPEAKER_NAME", "CLAIM_PART"]
    assert {el.get("name") for el in config.iter("Choices")} == {"claim_kind", "hedged", "negated"}
    assert [el.get("value") for el in config.iter("Relation")] == ["speaker", "cue", "speaker_name", "part"]
    kind_choices = next(el for el in config.iter("Choices") if el.get("name") == "claim_kind")
    assert [el.get("value") for el in kind_choices] == ["direct", "indirect", "mixed"]
    used = {label for r in annotation["result"] if r["type"] == "labels" for label in r["value"]["labels"]}
    assert used <= {el.get("value") for el in config.iter("Label")}


def test_label_studio_offsets_are_code_points_and_utf16_is_converted(tmp_path):
    text = "I like it 😊 in Paris"
    export_records([record(text=text, entities=(Entity(15, 20, "GPE"),), claims=())], "label-studio", tmp_path / "ls.json")
    value = json.loads((tmp_path / "ls.json").read_text(encoding="utf-8"))[0]["annotations"][0]["result"][0]["value"]
    assert (value["start"], value["end"], value["text"]) == (15, 20, "Paris")
    legacy = [{"data": {"text": text}, "annotations": [{"result": [
        {"id": "a", "type": "labels", "from_name": "label", "to_name": "text",
         "value": {"start": 16, "end": 21, "text": "Paris", "labels": ["GPE"]}}]}]}]
    (tmp_path / "old.json").write_text(json.dumps(legacy), encoding="utf-8")
    with pytest.warns(ToolkitWarning, match="1 span\\(s\\) had UTF-16 offsets"):
        (rec,) = import_records(tmp_path / "old.json", "label-studio")
    assert rec.entities[0].text(rec.text) == "Paris" and (rec.entities[0].start, rec.entities[0].end) == (15, 20)
    legacy[0]["annotations"][0]["result"][0]["value"].update(start=3, end=8)
    (tmp_path / "bad.json").write_text(json.dumps(legacy), encoding="utf-8")
    with pytest.raises(FormatError) as err:
        list(import_records(tmp_path / "bad.json", "label-studio"))
    assert str(err.value) == (
        f"[E405] {tmp_path / 'bad.json'}: task 1, annotation, result 'a': misaligned result: value.text is 'Paris' but the "
        "task text at [3, 8) is 'ike i' (neither code point nor UTF-16 offsets match). Fix the result's offsets.")


def test_label_studio_accepts_collapsed_whitespace_in_value_text(tmp_path):
    tasks = [{"data": {"text": "Text: Berlin,  Germany."}, "annotations": [{"completed_by": 7, "result": [
        {"id": "x", "type": "labels", "value": {"start": 6, "end": 22, "text": "Berlin, Germany", "labels": ["LOC"]}}]}]}]
    (tmp_path / "t.json").write_text(json.dumps(tasks), encoding="utf-8")
    (rec,) = import_records(tmp_path / "t.json", "label-studio")
    assert rec.entities[0].text(rec.text) == "Berlin,  Germany" and rec.annotator == "label-studio-user-7"


def test_label_studio_reserved_label_refused(tmp_path):
    with pytest.raises(FormatError, match=r"^\[E406\] document 'd1': entity label 'CLAIM' is reserved"):
        export_records([record(entities=(Entity(0, 6, "CLAIM"),), claims=())], "label-studio", tmp_path / "x.json")


# ---------------------------------------------------------------- doccano


def test_doccano_shapes(tmp_path):
    with pytest.warns(ToolkitWarning, match="1 claim\\(s\\) in 1 document\\(s\\) were not exported"):
        export_records([record()], "doccano", tmp_path / "seq.jsonl")
    (line,) = read_lines(tmp_path / "seq.jsonl")
    assert line["label"] == [[0, 6, "PERSON"], [29, 35, "GPE"]]
    assert set(first_line("doccano_seq_label_export_example.jsonl")) <= set(line)
    export_records([record()], "doccano", tmp_path / "rel.jsonl", relations=True)
    (line,) = read_lines(tmp_path / "rel.jsonl")
    sample = first_line("doccano_relation_import_example.jsonl")
    assert set(line["entities"][0]) == set(sample["entities"][0])
    assert [e["label"] for e in line["entities"]] == ["PERSON", "GPE", "CLAIM_DIRECT_HEDGED", "SPEAKER", "CUE"]
    assert line["relations"] == [{"id": 0, "from_id": 3, "to_id": 2, "type": "SPEAKER_OF"},
                                 {"id": 1, "from_id": 4, "to_id": 2, "type": "CUE_OF"}]
    assert list(import_records(tmp_path / "rel.jsonl", "doccano")) == [record()]


def test_doccano_bad_label_entry(tmp_path):
    path = write(tmp_path, {"text": "Anna", "label": [[0, 4]]})
    with pytest.raises(FormatError) as err:
        list(import_records(path, "doccano"))
    assert str(err.value) == f"[E402] {path}, line 1: a label must be [start, end, label], got [0, 4]."


# ---------------------------------------------------------------- CoNLL


def test_conll_two_and_four_columns(tmp_path):
    rec = record(text="Merkel met Macron in Berlin. Then she left.", entities=(Entity(0, 6, "PERSON"), Entity(21, 27, "GPE")), claims=())
    with pytest.warns(ToolkitWarning, match="CoNLL keeps tokens, not whitespace: 1 of 1 document"):
        export_records([rec], "conll", tmp_path / "two.conll")
    assert (tmp_path / "two.conll").read_text(encoding="utf-8") == (
        "-DOCSTART-\tO\n\nMerkel\tB-PERSON\nmet\tO\nMacron\tO\nin\tO\nBerlin\tB-GPE\n.\tO\n\nThen\tO\nshe\tO\nleft\tO\n.\tO\n\n")
    export_records([rec], "conll", tmp_path / "four.conll", columns=4)
    assert (tmp_path / "four.conll").read_text(encoding="utf-8").startswith("-DOCSTART- -X- -X- O\n\nMerkel _ _ B-PERSON\nmet _ _ O\n")
    (back,) = import_records(tmp_path / "four.conll", "conll")
    assert back.text == "Merkel met Macron in Berlin .\nThen she left ."
    assert [e.text(back.text) for e in back.entities] == ["Merkel", "Berlin"]
    (flat,) = import_records(tmp_path / "four.conll", "conll", sentence_separator=" ")
    assert flat.text == "Merkel met Macron in Berlin . Then she left ." and flat.meta == {"segmentation": "spaces"}


def test_conll_refuses_overlaps_and_warns_about_claims(tmp_path):
    with pytest.raises(FormatError) as err:
        export_records([record(entities=(Entity(0, 6, "PERSON"), Entity(0, 11, "ORG")), claims=())], "conll", tmp_path / "x")
    assert str(err.value) == (
        "[E406] document 'd1': entity ORG 'Merkel said' [0, 11) overlaps entity PERSON 'Merkel' [0, 6); IOB tags cannot "
        "hold overlapping entities. Remove the overlap or export to spacy, prodigy, label-studio, doccano or jsonl.")
    with pytest.warns(ToolkitWarning, match="1 claim\\(s\\) were not exported: CoNLL carries entities only"):
        export_records([record()], "conll", tmp_path / "y")


def test_conll_bad_tag_names_line(tmp_path):
    path = tmp_path / "bad.conll"
    path.write_text("Anna\tB-PER\nmet\tX-PER\n", encoding="utf-8")
    with pytest.raises(FormatError) as err:
        list(import_records(path, "conll"))
    assert str(err.value) == f"[E401] {path}, line 2: tag 'X-PER' is not O or B-/I-/E-/S-/L-/U- followed by a label. Fix the tag."


def test_conll_entity_never_split_across_sentences(tmp_path):
    rec = record(text="Dr. A. Smith Jr. spoke.", entities=(Entity(0, 16, "PERSON"),), claims=())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        export_records([rec], "conll", tmp_path / "x.conll")
    (back,) = import_records(tmp_path / "x.conll", "conll")
    assert [e.text(back.text) for e in back.entities] == ["Dr. A. Smith Jr."]


# ---------------------------------------------------------------- table, jsonl


def test_to_dataframe_rows_and_columns():
    df = to_dataframe([record()])
    assert list(df.columns[:11]) == ["doc_id", "date", "source", "annotator", "answer", "timestamp", "kind", "label", "start", "end", "text"]
    assert df["kind"].tolist() == ["entity", "entity", "claim"]
    claim = df[df["kind"] == "claim"].iloc[0]
    assert (claim["claim_kind"], bool(claim["hedged"]), claim["speaker_text"], claim["cue_text"], claim["date"]) == (
        "direct", True, "Merkel", "said", "2026-11-20")
    assert pd.isna(df.iloc[0]["hedged"]) and pd.isna(df.iloc[0]["speaker_start"])
    assert to_dataframe([]).columns.tolist() == df.columns.tolist()
    extraction = Extraction(Document("x", "Paris", date="2020-01-01"), entities=(Entity(0, 5, "GPE"),))
    assert to_dataframe([extraction])[["doc_id", "date", "origin"]].values.tolist() == [["x", "2020-01-01", "rules"]]


def test_parquet_and_csv_load_with_pandas(tmp_path):
    assert export_records([record()], "parquet", tmp_path / "t.parquet") == 1
    assert export_records([record()], "csv", tmp_path / "t.csv") == 1
    expected = to_dataframe([record()])
    parquet = pd.read_parquet(tmp_path / "t.parquet")
    pd.testing.assert_frame_equal(parquet, expected, check_dtype=False)
    csv = pd.read_csv(tmp_path / "t.csv")
    assert csv["text"].tolist() == expected["text"].tolist() and csv["start"].tolist() == [0, 29, 13]


def test_jsonl_missing_field(tmp_path):
    path = write(tmp_path, {"doc_id": "a", "text": "x"})
    with pytest.raises(FormatError) as err:
        list(import_records(path, "jsonl"))
    assert str(err.value) == (f"[E402] {path}, line 1: missing field(s) annotator, timestamp; a corrections record needs "
                              "doc_id, text, annotator, timestamp.")


def test_annotator_option_overrides_file(tmp_path):
    export_records([record()], "prodigy", tmp_path / "p.jsonl")
    assert {r.annotator for r in import_records(tmp_path / "p.jsonl", "prodigy", annotator="carol")} == {"carol"}

"""The schema 2 claim fields (kind ``mixed``, ``parts``, ``negated``, ``speaker_name``) through
every export format: carried exactly where the format can hold them, and lost only where its
docstring and a warning say so. Also: non-ASCII texts keep their offsets in every format."""
from __future__ import annotations

import json
import warnings
from pathlib import Path

import pandas as pd
import pytest
from spacy.tokens import DocBin

from toolkit.errors import FormatError, ToolkitWarning
from toolkit.export import FORMATS, export_records, import_records, label_studio_config, to_dataframe
from toolkit.export import conll, doccano, docbin, label_studio, prodigy, table
from toolkit.export.table import COLUMNS, parse_parts
from toolkit.extract.tokenizer import blank_english
from toolkit.types import Claim, Correction, Document, Entity, Span

TEXT = (
    "Angela Merkel visited Zürich — “quoted” 東京 on Monday. “Growth is fragile,” she said, “and it could stall.” "
    'Merkel did not say that taxes would rise. "We will win," Scholz reportedly said 😀.'
)


def at(sub: str, nth: int = 0, text: str = TEXT) -> Span:
    """The span of the nth occurrence of ``sub`` in ``text``."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(sub, start + 1)
    return Span(start, start + len(sub))


def offsets(sub: str, nth: int = 0, text: str = TEXT) -> tuple[int, int]:
    span = at(sub, nth, text)
    return span.start, span.end


NAME = at("Angela Merkel")
PART_A, PART_B = at("Growth is fragile,"), at("and it could stall.")
MIXED = Claim(PART_A.start, PART_B.end, kind="mixed", speaker=at("she"), cue=at("said"), parts=(PART_A, PART_B),
              speaker_name=NAME)
NEGATED = Claim(*offsets("taxes would rise"), kind="indirect", speaker=at("Merkel", 1), cue=at("say"),
                negated=True, speaker_name=NAME)
DIRECT = Claim(*offsets("We will win,"), kind="direct", hedged=True, speaker=at("Scholz"), cue=at("said", 1))
ENTITIES = (Entity(NAME.start, NAME.end, "PERSON"), Entity(*offsets("Zürich"), "GPE"),
            Entity(*offsets("東京"), "GPE"), Entity(*offsets("Scholz"), "PERSON"))


def record(text: str = TEXT, entities=ENTITIES, claims=(MIXED, NEGATED, DIRECT)) -> Correction:
    return Correction.create(Document(id="d1", text=text), annotator="alice", entities=entities, claims=claims,
                             timestamp="2026-11-22T10:15:30+00:00", meta={"date": "2026-11-20", "source": "feed"})


def roundtrip(rec: Correction, fmt: str, tmp_path: Path, *, export: dict | None = None, read: dict | None = None):
    """(records read back, warnings of export + import)."""
    out = tmp_path / f"out.{fmt}"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert export_records([rec], fmt, out, **(export or {})) == 1
        back = list(import_records(out, fmt, **(read or {})))
    return back, [w for w in caught if issubclass(w.category, ToolkitWarning)]


def test_the_record_is_token_aligned_and_holds_every_new_field():
    doc = blank_english().make_doc(TEXT)
    rec = record()
    spans = [(c.start, c.end) for c in rec.claims] + [(s.start, s.end) for c in rec.claims
                                                      for s in (c.speaker, c.cue, c.speaker_name, *c.parts) if s]
    assert all(doc.char_span(s, e) is not None for s, e in spans)  # so token formats need not widen anything
    assert [c.kind for c in rec.claims] == ["mixed", "indirect", "direct"]
    assert rec.claims[0].parts == (PART_A, PART_B) and rec.claims[1].negated and rec.claims[1].speaker_name == NAME
    assert rec.claims[0].text(TEXT) == "Growth is fragile,” she said, “and it could stall."


# ---------------------------------------------------------------- exact formats


EXACT = [
    ("jsonl", {}, {}),
    ("spacy", {}, {}),
    ("prodigy", {}, {}),
    ("label-studio", {}, {}),
    ("label-studio", {"predictions": True}, {"source": "predictions"}),
    ("doccano", {"relations": True}, {}),
]


@pytest.mark.parametrize("fmt, export, read", EXACT, ids=[f"{f}{'-' + '-'.join(e) if e else ''}" for f, e, _ in EXACT])
def test_claim_fields_roundtrip_exactly(tmp_path, fmt, export, read):
    rec = record()
    back, caught = roundtrip(rec, fmt, tmp_path, export=export, read=read)
    assert back == [rec], [str(w.message) for w in caught]
    got = back[0].claims
    assert [(c.start, c.end, c.kind, c.hedged, c.negated, c.parts, c.speaker, c.cue, c.speaker_name) for c in got] == [
        (c.start, c.end, c.kind, c.hedged, c.negated, c.parts, c.speaker, c.cue, c.speaker_name) for c in rec.claims]
    assert caught == []  # nothing lossy, nothing widened


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_table_rows_hold_every_claim_field(tmp_path, fmt):
    rec = record()
    out = tmp_path / f"t.{fmt}"
    assert export_records([rec], fmt, out) == 1
    frame = pd.read_parquet(out) if fmt == "parquet" else pd.read_csv(out, dtype=COLUMNS)
    rows = frame[frame["kind"] == "claim"]

    def span(row, prefix: str) -> Span | None:
        if pd.isna(row[f"{prefix}_start"]):
            return None
        s, e = int(row[f"{prefix}_start"]), int(row[f"{prefix}_end"])
        assert row[f"{prefix}_text"] == TEXT[s:e]
        return Span(s, e)

    rebuilt = tuple(
        Claim(int(row["start"]), int(row["end"]), kind=row["claim_kind"], hedged=bool(row["hedged"]),
              speaker=span(row, "speaker"), cue=span(row, "cue"), origin=row["origin"],
              parts=parse_parts(row["claim_parts"]), negated=bool(row["claim_negated"]),
              speaker_name=span(row, "speaker_name"))
        for _, row in rows.iterrows()
    )
    assert rebuilt == rec.claims
    assert rows["text"].tolist() == [c.text(TEXT) for c in rec.claims]


def test_table_columns_and_dtypes():
    frame = to_dataframe([record()])
    assert list(frame.columns[-5:]) == ["claim_negated", "claim_parts", "speaker_name_text", "speaker_name_start",
                                        "speaker_name_end"]
    assert {c: str(frame[c].dtype) for c in ("claim_negated", "speaker_name_start", "speaker_name_end")} == {
        "claim_negated": "boolean", "speaker_name_start": "Int64", "speaker_name_end": "Int64"}
    claims = frame[frame["kind"] == "claim"]
    assert claims["claim_parts"].tolist()[0] == f"[[{PART_A.start}, {PART_A.end}], [{PART_B.start}, {PART_B.end}]]"
    assert pd.isna(claims["claim_parts"].tolist()[1]) and claims["claim_negated"].tolist() == [False, True, False]
    assert claims["speaker_name_text"].tolist()[:2] == ["Angela Merkel"] * 2 and pd.isna(claims["speaker_name_start"].tolist()[2])
    entities = frame[frame["kind"] == "entity"]
    assert entities["claim_negated"].isna().all() and entities["claim_parts"].isna().all()
    assert parse_parts(None) == () and parse_parts("[[1, 2]]") == (Span(1, 2),)


# ---------------------------------------------------------------- formats that cannot hold claims


def test_doccano_sequence_labelling_loses_claims_and_says_so(tmp_path):
    rec = record()
    back, caught = roundtrip(rec, "doccano", tmp_path)
    assert [r.entities for r in back] == [rec.entities] and back[0].claims == ()
    assert [str(w.message) for w in caught] == [
        "3 claim(s) in 1 document(s) were not exported: doccano sequence labelling has no relations. Export with "
        "relations=True to keep them."]
    assert "claims cannot be carried" in doccano.__doc__


def test_conll_loses_claims_and_says_so(tmp_path):
    text = "Angela Merkel visited Zürich — “ quoted ” 東京 .\nShe did not say it 😀 ."
    claim = Claim(*offsets("it", 0, text), kind="mixed", negated=True, speaker=at("She", 0, text),
                  cue=at("say", 0, text), speaker_name=at("Angela Merkel", 0, text), parts=(at("it", 0, text),))
    rec = record(text=text, entities=(Entity(0, 13, "PERSON"), Entity(*offsets("東京", 0, text), "GPE")),
                 claims=(claim,))
    back, caught = roundtrip(rec, "conll", tmp_path)
    assert back[0].text == text and back[0].entities == rec.entities and back[0].claims == ()
    assert [str(w.message) for w in caught] == [
        "1 claim(s) were not exported: CoNLL carries entities only. Use spacy, prodigy, label-studio or jsonl."]
    for field in ("kind", "hedged", "negated", "speaker name", "parts"):
        assert field in conll.__doc__


def test_every_format_is_covered():
    covered = {fmt for fmt, _, _ in EXACT} | {"parquet", "csv", "conll"}
    assert covered == set(FORMATS)


# ---------------------------------------------------------------- shapes


def test_spacy_layout_of_the_new_fields(tmp_path):
    export_records([record()], "spacy", tmp_path / "d.spacy")
    (doc,) = DocBin().from_disk(tmp_path / "d.spacy").get_docs(blank_english().vocab)
    assert [(s.label_, s.id_) for s in doc.spans["claim_content"]] == [("mixed", "claim0"), ("indirect", "claim1"),
                                                                      ("direct", "claim2")]
    assert [(s.text, s.label_, s.id_) for s in doc.spans[docbin.PART]] == [
        ("Growth is fragile,", "part", "claim0"), ("and it could stall.", "part", "claim0")]
    attrs = json.loads(doc.user_data["toolkit"])["claims"]
    name = {"start": NAME.start, "end": NAME.end}
    assert attrs == [{"kind": "mixed", "hedged": False, "negated": False, "speaker_name": name},
                     {"kind": "indirect", "hedged": False, "negated": True, "speaker_name": name},
                     {"kind": "direct", "hedged": True, "negated": False, "speaker_name": None}]


def test_spacy_docbin_of_before_the_new_fields_still_imports(tmp_path):
    export_records([record(claims=(DIRECT,))], "spacy", tmp_path / "d.spacy")
    (doc,) = DocBin(store_user_data=True).from_disk(tmp_path / "d.spacy").get_docs(blank_english().vocab)
    extra = json.loads(doc.user_data["toolkit"])
    extra["claims"] = [{"kind": "direct", "hedged": True}]
    doc.user_data["toolkit"] = json.dumps(extra)
    del doc.spans[docbin.PART]
    old = DocBin(store_user_data=True)
    old.add(doc)
    old.to_disk(tmp_path / "old.spacy")
    assert list(import_records(tmp_path / "old.spacy", "spacy")) == [record(claims=(DIRECT,))]


def test_prodigy_claim_span_keys(tmp_path):
    export_records([record()], "prodigy", tmp_path / "p.jsonl")
    (task,) = [json.loads(line) for line in (tmp_path / "p.jsonl").read_text(encoding="utf-8").splitlines()]
    claims = [s for s in task["spans"] if s["label"].startswith(prodigy.CLAIM_PREFIX)]
    assert [s["label"] for s in claims] == ["CLAIM_MIXED", "CLAIM_INDIRECT", "CLAIM_DIRECT"]
    assert [s["negated"] for s in claims] == [False, True, False]
    assert claims[0]["parts"] == [{"start": PART_A.start, "end": PART_A.end}, {"start": PART_B.start, "end": PART_B.end}]
    assert claims[1]["speaker_name"] == {"start": NAME.start, "end": NAME.end} and "parts" not in claims[1]
    assert "speaker_name" not in claims[2]


def test_prodigy_claim_span_without_the_new_keys_imports(tmp_path):
    text = "Anna said it rains"
    task = {"text": text, "spans": [{"start": 10, "end": 18, "label": "CLAIM_INDIRECT", "claim": 0, "hedged": False}]}
    (tmp_path / "old.jsonl").write_text(json.dumps(task) + "\n", encoding="utf-8")
    (rec,) = import_records(tmp_path / "old.jsonl", "prodigy")
    assert rec.claims == (Claim(10, 18, origin="correction"),)


def test_prodigy_part_outside_its_claim_is_refused(tmp_path):
    text = "Anna said it rains"
    task = {"text": text, "spans": [{"start": 10, "end": 18, "label": "CLAIM_MIXED", "claim": 0,
                                     "parts": [{"start": 5, "end": 9}]}]}
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(task) + "\n", encoding="utf-8")
    with pytest.raises(FormatError) as err:
        list(import_records(path, "prodigy"))
    assert str(err.value) == (
        f"[E402] {path}, line 1: claim [10, 18) part 0 [5, 9) must lie inside the claim, after the part before it "
        "(parts are the pieces of the content, in order). Fix the part.")
    task["spans"][0]["parts"] = [{"start": 10}]
    path.write_text(json.dumps(task) + "\n", encoding="utf-8")
    with pytest.raises(FormatError, match=r"part field 'end' must be an integer offset"):
        list(import_records(path, "prodigy"))


def test_label_studio_results_and_config_of_the_new_fields(tmp_path):
    export_records([record()], "label-studio", tmp_path / "ls.json")
    (task,) = json.loads((tmp_path / "ls.json").read_text(encoding="utf-8"))
    result = task["annotations"][0]["result"]
    choices = {(r["id"], r["from_name"]): r["value"]["choices"] for r in result if r["type"] == "choices"}
    assert choices == {("c0", "claim_kind"): ["mixed"], ("c1", "claim_kind"): ["indirect"], ("c1", "negated"): ["negated"],
                       ("c2", "claim_kind"): ["direct"], ("c2", "hedged"): ["hedged"]}
    relations = [(r["from_id"], r["to_id"], r["labels"]) for r in result if r["type"] == "relation" and r["to_id"] == "c0"]
    assert relations == [("c0-speaker", "c0", ["speaker"]), ("c0-cue", "c0", ["cue"]),
                         ("c0-speaker_name", "c0", ["speaker_name"]), ("c0-part0", "c0", ["part"]),
                         ("c0-part1", "c0", ["part"])]
    regions = {r["id"]: (r["value"]["text"], r["value"]["labels"]) for r in result if r["type"] == "labels"}
    assert regions["c0-part1"] == ("and it could stall.", ["CLAIM_PART"])
    assert regions["c1-speaker_name"] == ("Angela Merkel", ["SPEAKER_NAME"])
    config = label_studio_config()
    used = {label for r in result if r["type"] == "labels" for label in r["value"]["labels"]}
    assert all(f'<Label value="{label}"' in config for label in used - {"PERSON", "GPE"})
    assert all(f'<Relation value="{rel}"/>' in config for r in result if r["type"] == "relation" for rel in r["labels"])
    assert '<Choice value="mixed"/>' in config and '<Choice value="negated"/>' in config
    with pytest.raises(FormatError, match="entity label 'SPEAKER_NAME' is reserved"):
        export_records([record(entities=(Entity(0, 6, "SPEAKER_NAME"),), claims=())], "label-studio", tmp_path / "x.json")
    assert set(label_studio.RESERVED) == {"CLAIM", "SPEAKER", "CUE", "SPEAKER_NAME", "CLAIM_PART"}


def test_label_studio_parts_read_back_in_text_order(tmp_path):
    export_records([record(claims=(MIXED,))], "label-studio", tmp_path / "ls.json")
    tasks = json.loads((tmp_path / "ls.json").read_text(encoding="utf-8"))
    tasks[0]["annotations"][0]["result"].reverse()  # Label Studio may save results in any order
    (tmp_path / "ls.json").write_text(json.dumps(tasks), encoding="utf-8")
    (rec,) = import_records(tmp_path / "ls.json", "label-studio")
    assert rec.claims == record(claims=(MIXED,)).claims


def test_doccano_labels_and_relations_of_the_new_fields(tmp_path):
    export_records([record()], "doccano", tmp_path / "rel.jsonl", relations=True)
    line = json.loads((tmp_path / "rel.jsonl").read_text(encoding="utf-8"))
    labels = [e["label"] for e in line["entities"]]
    assert labels == ["PERSON", "GPE", "GPE", "PERSON",
                      "CLAIM_MIXED", "SPEAKER", "CUE", "SPEAKER_NAME", "CLAIM_PART", "CLAIM_PART",
                      "CLAIM_INDIRECT_NEGATED", "SPEAKER", "CUE", "SPEAKER_NAME",
                      "CLAIM_DIRECT_HEDGED", "SPEAKER", "CUE"]
    assert [r["type"] for r in line["relations"] if r["to_id"] == 4] == [
        "SPEAKER_OF", "CUE_OF", "SPEAKER_NAME_OF", "PART_OF", "PART_OF"]


def test_doccano_claim_label_suffixes_in_either_order_and_bad_labels(tmp_path):
    text = "Anna said it rains"
    line = {"text": text, "entities": [{"id": 1, "label": "CLAIM_MIXED_NEGATED_HEDGED", "start_offset": 10, "end_offset": 18},
                                       {"id": 2, "label": "CLAIM_PART", "start_offset": 13, "end_offset": 18},
                                       {"id": 3, "label": "CLAIM_PART", "start_offset": 10, "end_offset": 12}],
            "relations": [{"id": 0, "from_id": 2, "to_id": 1, "type": "PART_OF"},
                          {"id": 1, "from_id": 3, "to_id": 1, "type": "PART_OF"}]}
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps(line) + "\n", encoding="utf-8")
    (rec,) = import_records(path, "doccano")
    assert rec.claims == (Claim(10, 18, kind="mixed", hedged=True, negated=True, parts=(Span(10, 12), Span(13, 18)),
                                origin="correction"),)
    line["entities"] = [{"id": 1, "label": "CLAIM_QUOTED", "start_offset": 10, "end_offset": 18}]
    path.write_text(json.dumps(line) + "\n", encoding="utf-8")
    with pytest.raises(FormatError) as err:
        list(import_records(path, "doccano"))
    assert str(err.value) == (f"[E402] {path}, line 1: claim label 'CLAIM_QUOTED' must be one of CLAIM_DIRECT, "
                              "CLAIM_INDIRECT, CLAIM_MIXED (+ _HEDGED, _NEGATED).")


ENTITIES_C = record().entities
DIRECT_C = record(claims=(DIRECT,)).claims[0]


def test_jsonl_reads_schema_1_and_2(tmp_path):
    rec = record()
    old = record(claims=(DIRECT,)).to_dict()
    old["schema"] = 1
    new = rec.to_dict()
    assert new["schema"] == 2 and new["claims"][0]["parts"] and new["claims"][1]["negated"] is True
    path = tmp_path / "c.jsonl"
    path.write_text(json.dumps(old, ensure_ascii=False) + "\n" + json.dumps(new, ensure_ascii=False) + "\n", encoding="utf-8")
    back = list(import_records(path, "jsonl"))
    assert back == [Correction.from_dict(old), Correction.from_dict(new)]  # the identity, schema included
    assert [(r.entities, r.claims) for r in back] == [(ENTITIES_C, (DIRECT_C,)), (rec.entities, rec.claims)]
    assert [r.to_dict()["schema"] for r in back] == [Correction.from_dict(old).to_dict()["schema"], 2]
    export_records(back, "jsonl", tmp_path / "again.jsonl")
    assert list(import_records(tmp_path / "again.jsonl", "jsonl")) == back
    export_records(back, "spacy", tmp_path / "again.spacy")  # the DocBin keeps the schema too
    assert list(import_records(tmp_path / "again.spacy", "spacy")) == back


# ---------------------------------------------------------------- non-ASCII offsets


UNICODE = "Zürich — “quoted” 東京 said Zoë 😀, e\u0301te\u0301 in Straße."
UNICODE_CONLL = "Zürich — “ quoted ” 東京 said Zoë 😀 , e\u0301te\u0301 in Straße ."


def unicode_record(text: str) -> Correction:
    ents = [Entity(*offsets(w, 0, text), label) for w, label in
            (("Zürich", "GPE"), ("東京", "GPE"), ("Zoë", "PERSON"), ("Straße", "LOC"))]
    quoted = at("quoted", 0, text)
    claim = Claim(quoted.start, quoted.end, kind="mixed", speaker=at("Zoë", 0, text), cue=at("said", 0, text),
                  parts=(quoted,), negated=True, speaker_name=at("Zoë", 0, text))
    return record(text=text, entities=ents, claims=(claim,))


@pytest.mark.parametrize("fmt, export, read", EXACT, ids=[f"{f}{'-' + '-'.join(e) if e else ''}" for f, e, _ in EXACT])
def test_non_ascii_text_keeps_offsets_exact(tmp_path, fmt, export, read):
    rec = unicode_record(UNICODE)
    back, caught = roundtrip(rec, fmt, tmp_path, export=export, read=read)
    assert back == [rec] and caught == []
    (got,) = back
    assert [e.text(got.text) for e in got.entities] == ["Zürich", "東京", "Zoë", "Straße"]
    assert got.claims[0].text(got.text) == "quoted" and got.claims[0].speaker_name.text(got.text) == "Zoë"


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_non_ascii_text_keeps_offsets_exact_in_tables(tmp_path, fmt):
    rec = unicode_record(UNICODE)
    out = tmp_path / f"t.{fmt}"
    export_records([rec], fmt, out)
    frame = pd.read_parquet(out) if fmt == "parquet" else pd.read_csv(out, dtype=COLUMNS, encoding="utf-8")
    for _, row in frame.iterrows():
        assert row["text"] == UNICODE[int(row["start"]) : int(row["end"])]
    claim = frame[frame["kind"] == "claim"].iloc[0]
    assert UNICODE[int(claim["speaker_name_start"]) : int(claim["speaker_name_end"])] == claim["speaker_name_text"] == "Zoë"
    assert parse_parts(claim["claim_parts"]) == rec.claims[0].parts


def test_non_ascii_text_keeps_offsets_exact_in_conll(tmp_path):
    rec = unicode_record(UNICODE_CONLL)  # CoNLL's text form: tokens joined by single spaces
    back, _ = roundtrip(rec, "conll", tmp_path)
    assert back[0].text == UNICODE_CONLL and back[0].entities == rec.entities
    assert [e.text(back[0].text) for e in back[0].entities] == ["Zürich", "東京", "Zoë", "Straße"]


def test_doccano_sequence_non_ascii_offsets(tmp_path):
    rec = unicode_record(UNICODE)
    back, _ = roundtrip(rec, "doccano", tmp_path)
    assert back[0].text == UNICODE and back[0].entities == rec.entities

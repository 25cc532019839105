"""The corpus loaders: every source kind, the text contract, errors with their fixes, laziness."""
from __future__ import annotations

import builtins
import csv
import hashlib
import json
import re
import tempfile
import warnings
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.errors import InputError, ToolkitWarning
from toolkit.loaders import load, load_dataframe, read_text_file, strip_boilerplate
from toolkit.types import Claim, Document, Entity, Extraction, ExtractorInfo, content_id

SHARED_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
HEADER_RE = re.compile(r"\A\s*date\s+(\d{4}-\d{2}-\d{2})\s+")


def contract(raw: bytes) -> tuple[str | None, str]:
    """The documented .txt contract, written out independently of the loader."""
    text = raw.decode("utf-8-sig")
    match = HEADER_RE.match(text)
    date = match.group(1) if match else None
    if match:
        text = text[match.end() :]
    return date, text.rstrip()


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


def write_csv(path: Path, rows: list[list[str]], *, delimiter: str = ",") -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, delimiter=delimiter).writerows(rows)
    return path


# --- .txt files -------------------------------------------------------------------------


def test_shared_corpus_follows_the_text_contract_byte_for_byte():
    files = sorted(SHARED_CORPUS.glob("*.txt"))
    docs = list(load(SHARED_CORPUS))
    assert [d.id for d in docs] == [f.stem for f in files]
    for doc, path in zip(docs, files):
        date, text = contract(path.read_bytes())
        assert doc.text == text
        assert doc.date == date
        assert doc.source == str(path)
    assert docs[0].date == "2023-04-10"
    assert docs[0].text.startswith("U.S. Secretary of State Antony Blinken")


def test_file_without_header_keeps_leading_whitespace_and_line_endings(tmp_path):
    path = write(tmp_path / "plain.txt", "\n  First line.\r\nSecond line.  \r\n\r\n")
    doc = read_text_file(path)
    assert doc == Document(id="plain", text="\n  First line.\r\nSecond line.", date=None, source=str(path))


def test_header_is_only_read_at_the_start(tmp_path):
    path = write(tmp_path / "x.txt", "Intro.\n date 2023-04-10 not a header\n")
    doc = read_text_file(path)
    assert doc.date is None
    assert doc.text == "Intro.\n date 2023-04-10 not a header"


def test_header_that_is_not_a_calendar_date_is_refused(tmp_path):
    path = write(tmp_path / "bad.txt", " date 2023-02-30 Text.")
    with pytest.raises(InputError) as info:
        read_text_file(path)
    err = info.value
    assert (err.file, err.line, err.field, err.code) == (str(path), 1, "date", "E114")
    assert "'2023-02-30' is not a calendar date" in str(err)


def test_bom_is_not_text_and_the_header_still_counts(tmp_path):
    path = write(tmp_path / "bom.txt", b"\xef\xbb\xbf date 2023-04-10 Caf\xc3\xa9 opens.\n")
    doc = read_text_file(path)
    assert doc.date == "2023-04-10"
    assert doc.text == "Café opens."


def test_latin1_bytes_are_refused_with_offset_line_and_fix(tmp_path):
    raw = b"First line.\nSecond line.\nCaf\xe9 third line.\n"
    path = write(tmp_path / "latin.txt", raw)
    with pytest.raises(InputError) as info:
        read_text_file(path)
    err = info.value
    assert (err.file, err.line, err.code) == (str(path), 3, "E112")
    offset = raw.index(b"\xe9")
    assert f"byte 0xe9 at byte offset {offset}" in str(err)
    assert 'pass encoding="latin-1"' in str(err)
    assert str(path) in str(err)
    assert read_text_file(path, encoding="latin-1").text == "First line.\nSecond line.\nCafé third line."
    assert next(load(path, encoding="latin-1")).text.endswith("Café third line.")


def test_offset_counts_the_bom(tmp_path):
    raw = b"\xef\xbb\xbfab\xff"
    path = write(tmp_path / "b.txt", raw)
    with pytest.raises(InputError, match="byte 0xff at byte offset 5"):
        read_text_file(path)


def test_unknown_encoding_name_is_refused():
    with pytest.raises(InputError) as info:
        list(load(SHARED_CORPUS, encoding="no-such-codec"))
    assert info.value.field == "encoding"
    assert "'latin-1'" in str(info.value)


def test_unicode_is_preserved_exactly(tmp_path):
    text = "Le cafe\u0301 \U0001F469\u200D\U0001F52C said \u201cok\u201d \U0001F1FB\U0001F1F3\u2028next \u00e9"
    path = write(tmp_path / "u.txt", " date 2024-01-02 " + text + "\n")
    doc = read_text_file(path)
    assert doc.text == text
    assert len(doc.text) == len(text)  # no normalisation (NFD "e\u0301" stays two code points)


def test_empty_text_is_refused_with_the_fix(tmp_path):
    path = write(tmp_path / "empty.txt", " date 2023-04-10 \n  \n")
    with pytest.raises(InputError) as info:
        read_text_file(path)
    err = info.value
    assert (err.file, err.line, err.field, err.code) == (str(path), 1, "text", "E115")
    assert "skip_empty=True" in str(err) and "remove this document" in str(err)


def test_skip_empty_skips_and_warns_with_the_count(tmp_path):
    write(tmp_path / "a.txt", "A.")
    write(tmp_path / "b.txt", "   ")
    write(tmp_path / "c.txt", "")
    with pytest.warns(ToolkitWarning, match="skipped 2 document"):
        docs = list(load(tmp_path, skip_empty=True))
    assert [d.id for d in docs] == ["a"]


def test_folder_is_recursive_sorted_and_reads_only_txt(tmp_path):
    for name in ["b.txt", "a.txt", "a/z.txt", "a/b/c.TXT", "a.csv", "notes.md", ".hidden.txt", ".ipynb_checkpoints/a.txt"]:
        write(tmp_path / name, f"Text of {name}.")
    docs = list(load(tmp_path))
    visible = [p for p in sorted(tmp_path.rglob("*")) if not any(part.startswith(".") for part in p.relative_to(tmp_path).parts)]
    expected = [str(p) for p in visible if p.suffix.lower() == ".txt"]
    assert [d.source for d in docs] == expected
    assert [d.id for d in docs] == ["c", "z", "a", "b"]


def test_folder_streams_without_reading_every_file(tmp_path, monkeypatch):
    for i in range(2000):
        write(tmp_path / f"doc{i:05d}.txt", f"Document {i}.")
    opened: list[str] = []
    real_open = builtins.open

    def counting_open(file, *args, **kwargs):
        opened.append(str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", counting_open)
    docs = load(tmp_path)
    first = next(docs)
    assert first.id == "doc00000"
    assert len(opened) == 1
    monkeypatch.setattr(builtins, "open", real_open)
    # A file later in the order, changed after iteration began, is read as it is now.
    (tmp_path / "doc01999.txt").write_text("Changed later.", encoding="utf-8")
    rest = list(docs)
    assert len(rest) == 1999
    assert rest[-1].text == "Changed later."


def test_glob_and_single_file_and_list_sources(tmp_path):
    write(tmp_path / "x" / "1.txt", "One.")
    write(tmp_path / "x" / "2.txt", "Two.")
    write(tmp_path / "x" / "3.md", "Three.")
    table = write_csv(tmp_path / "t.csv", [["id", "text"], ["r1", "Row one."]])
    frame = pd.DataFrame({"id": ["f1"], "text": ["Frame one."]})
    assert [d.id for d in load(str(tmp_path / "x" / "*.txt"))] == ["1", "2"]
    assert [d.id for d in load(tmp_path / "x" / "2.txt")] == ["2"]
    docs = list(load([str(tmp_path / "x" / "2.txt"), table, frame, (tmp_path / "x",)]))
    assert [d.id for d in docs] == ["2", "r1", "f1", "1", "2"]


def test_missing_path_and_empty_glob_are_named(tmp_path):
    missing = tmp_path / "nope"
    with pytest.raises(InputError) as info:
        load(missing)  # refused at once, before iterating
    assert info.value.file == str(missing) and info.value.code == "E110"
    assert "no such file or folder" in str(info.value)
    pattern = str(tmp_path / "*.jsonl")
    with pytest.raises(InputError) as info:
        load([pattern])
    assert info.value.file == pattern and "matches no files" in str(info.value)


def test_unknown_suffix_asks_for_format_and_format_overrides(tmp_path):
    path = write_csv(tmp_path / "data.dat", [["id", "text"], ["a", "Alpha."]])
    with pytest.raises(InputError) as info:
        load(path)
    assert info.value.file == str(path) and 'pass format="csv"' in str(info.value)
    assert [d.text for d in load(path, format="csv")] == ["Alpha."]
    with pytest.raises(InputError, match="unknown format 'xml'; pass one of: txt, csv, tsv, jsonl, parquet"):
        load(path, format="xml")


def test_unsupported_source_type_is_a_type_error():
    with pytest.raises(TypeError, match="cannot load a int"):
        load(42)


# --- CSV / TSV --------------------------------------------------------------------------


def test_csv_maps_columns_normalises_dates_and_keeps_the_rest_in_meta(tmp_path):
    path = write_csv(
        tmp_path / "news.csv",
        [
            ["id", "date", "text", "outlet"],
            ["n1", "2023-04-10T12:00:00Z", "Blinken visits Hanoi.", "VOA"],
            ["n2", "", "  Spaces kept  ", "WION"],
            ["n3", "2023-08-19", "Line one.\r\nLine two.", ""],
        ],
    )
    docs = list(load(path))
    assert docs[0] == Document("n1", "Blinken visits Hanoi.", "2023-04-10", str(path), {"outlet": "VOA"})
    assert docs[1].date is None and docs[1].text == "  Spaces kept  "
    assert docs[2].text == "Line one.\r\nLine two." and docs[2].meta == {"outlet": ""}


def test_csv_custom_column_names(tmp_path):
    path = write_csv(tmp_path / "c.csv", [["doc_id", "published", "body"], ["7", "2023-01-02", "Body text."]])
    doc = next(load(path, text="body", id="doc_id", date="published"))
    assert (doc.id, doc.date, doc.text, dict(doc.meta)) == ("7", "2023-01-02", "Body text.", {})


def test_missing_text_column_names_file_field_columns_and_fix(tmp_path):
    path = write_csv(tmp_path / "c.csv", [["id", "headline", "body"], ["1", "H", "B"]])
    with pytest.raises(InputError) as info:
        list(load(path))
    err = info.value
    assert (err.file, err.field, err.code) == (str(path), "text", "E113")
    assert "the columns are: 'id', 'headline', 'body'" in str(err)
    assert 'Pass text="<column>"' in str(err)


def test_missing_text_column_suggests_a_column_differing_in_case(tmp_path):
    path = write_csv(tmp_path / "c.csv", [["Text"], ["Hello."]])
    with pytest.raises(InputError, match='Pass text="Text"'):
        list(load(path))


def test_explicit_id_or_date_column_must_exist_but_defaults_are_optional(tmp_path):
    path = write_csv(tmp_path / "c.csv", [["text"], ["Hello."]])
    doc = next(load(path))
    assert doc.id == content_id("Hello.") and doc.date is None
    with pytest.raises(InputError) as info:
        list(load(path, id="doc_id"))
    assert info.value.field == "doc_id" and 'Pass id="<column>"' in str(info.value)
    with pytest.raises(InputError) as info:
        list(load(path, date="published"))
    assert info.value.field == "published"


def test_content_hash_ids_are_stable_and_fill_empty_ids(tmp_path):
    path = write_csv(tmp_path / "c.csv", [["id", "text"], ["", "Same text."], ["x", "Other."], ["  ", "Third."]])
    first = [d.id for d in load(path)]
    again = [d.id for d in load(path)]
    assert first == again == [content_id("Same text."), "x", content_id("Third.")]
    assert first[0] == hashlib.sha256("Same text.".encode("utf-8")).hexdigest()[:16]
    assert [d.id for d in load(path, id=None)][1] == content_id("Other.")


def test_csv_errors_give_the_physical_line_where_the_record_starts(tmp_path):
    path = write_csv(
        tmp_path / "c.csv",
        [["id", "date", "text"], ["a", "2023-01-01", "Two\nlines."], ["b", "2023-01-02", "One."], ["c", "yesterday", "Bad date."]],
    )
    docs = load(path)
    assert next(docs).text == "Two\nlines."
    assert next(docs).id == "b"
    with pytest.raises(InputError) as info:
        next(docs)
    err = info.value
    assert (err.file, err.line, err.field, err.code) == (str(path), 5, "date", "E114")
    assert "'yesterday' is not a date" in str(err) and "ISO 8601" in str(err)


def test_csv_empty_text_names_line_and_field(tmp_path):
    path = write_csv(tmp_path / "c.csv", [["id", "text"], ["a", "Fine."], ["b", " "]])
    with pytest.raises(InputError) as info:
        list(load(path))
    assert (info.value.line, info.value.field) == (3, "text")
    assert "skip_empty=True" in str(info.value)
    with pytest.warns(ToolkitWarning, match="skipped 1 document"):
        assert [d.id for d in load(path, skip_empty=True)] == ["a"]


def test_csv_row_with_wrong_field_count_and_blank_lines(tmp_path):
    path = write(tmp_path / "c.csv", "id,text\n\na,Fine.\nb,one,two\n")
    docs = load(path)
    assert next(docs).id == "a"
    with pytest.raises(InputError) as info:
        next(docs)
    assert info.value.line == 4 and "3 fields but the header has 2" in str(info.value)


def test_csv_empty_file_and_duplicate_header(tmp_path):
    empty = write(tmp_path / "e.csv", "")
    with pytest.raises(InputError, match="needs a header row"):
        list(load(empty))
    dup = write(tmp_path / "d.csv", "text,text\na,b\n")
    with pytest.raises(InputError, match="'text' twice"):
        list(load(dup))


def test_csv_with_bom_and_huge_field(tmp_path):
    big = "word " * 60_000
    path = tmp_path / "b.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows([["id", "text"], ["big", big]])
    doc = next(load(path))
    assert doc.id == "big" and doc.text == big


def test_csv_latin1_error_line_and_explicit_encoding(tmp_path):
    raw = "id,text\na,Fine.\nb,Caf\u00e9.\n".encode("latin-1")
    path = write(tmp_path / "l.csv", raw)
    with pytest.raises(InputError) as info:
        list(load(path))
    assert (info.value.file, info.value.line) == (str(path), 3)
    offset = raw.index(b"\xe9")
    assert f"byte offset {offset}" in str(info.value) and 'encoding="latin-1"' in str(info.value)
    assert [d.text for d in load(path, encoding="latin-1")] == ["Fine.", "Café."]


def test_tsv_and_tab_header_hint(tmp_path):
    rows = [["id", "text"], ["t1", 'He said "yes", then left.']]
    tsv = write_csv(tmp_path / "d.tsv", rows, delimiter="\t")
    assert next(load(tsv)).text == 'He said "yes", then left.'
    misnamed = write_csv(tmp_path / "d.csv", rows, delimiter="\t")
    with pytest.raises(InputError, match='pass format="tsv"'):
        list(load(misnamed))
    assert next(load(misnamed, format="tsv")).id == "t1"


# --- JSONL ------------------------------------------------------------------------------


def test_jsonl_records_meta_and_blank_lines(tmp_path):
    lines = [
        json.dumps({"id": "j1", "text": "One.", "date": "2023-04-10T09:00:00+07:00", "lang": "en"}),
        "",
        json.dumps({"text": "No id.", "date": None}),
    ]
    path = write(tmp_path / "c.ndjson", "\n".join(lines) + "\n")
    docs = list(load(path))
    assert docs[0] == Document("j1", "One.", "2023-04-10", str(path), {"lang": "en"})
    assert docs[1].id == content_id("No id.") and docs[1].date is None


def test_jsonl_malformed_line_names_the_physical_line(tmp_path):
    path = write(tmp_path / "c.jsonl", '{"id": "a", "text": "ok"}\n\n{"id": "b", "text": \n')
    with pytest.raises(InputError) as info:
        list(load(path))
    assert (info.value.file, info.value.line, info.value.code) == (str(path), 3, "E101")
    assert "malformed JSON" in str(info.value)


def test_jsonl_line_that_is_not_an_object(tmp_path):
    path = write(tmp_path / "c.jsonl", '{"text": "ok"}\n["a", "list"]\n')
    with pytest.raises(InputError) as info:
        list(load(path))
    assert info.value.line == 2 and "JSON array, not an object" in str(info.value)


def test_jsonl_missing_text_key_and_non_string_text(tmp_path):
    path = write(tmp_path / "c.jsonl", '{"id": "a", "body": "x"}\n')
    with pytest.raises(InputError) as info:
        list(load(path))
    err = info.value
    assert (err.line, err.field) == (1, "text")
    assert "the keys are: 'id', 'body'" in str(err) and 'Pass text="<key>"' in str(err)
    assert [d.text for d in load(path, text="body")] == ["x"]
    path = write(tmp_path / "n.jsonl", '{"id": "a", "text": 5}\n')
    with pytest.raises(InputError, match="the text must be a string, not int"):
        list(load(path))


def test_extraction_output_records_load_back(tmp_path):
    doc = Document("d1", "Biden said so.", "2023-08-19", "corpus/d1.txt", {"outlet": "WION"})
    extraction = Extraction(
        doc=doc,
        entities=(Entity(0, 5, "PERSON"),),
        claims=(Claim(0, 14, speaker=None),),
        extractor=ExtractorInfo("toolkit", "0.1.0"),
    )
    path = write(tmp_path / "out.jsonl", json.dumps(extraction.to_dict()) + "\n")
    assert list(load(path)) == [doc]


def test_jsonl_utf8_bom_and_unicode(tmp_path):
    text = "\U0001F600 cafe\u0301"
    path = write(tmp_path / "u.jsonl", b"\xef\xbb\xbf" + json.dumps({"id": "u", "text": text}, ensure_ascii=False).encode())
    assert next(load(path)).text == text


# --- Parquet and DataFrames -------------------------------------------------------------


def test_parquet_streams_rows_with_dates_and_meta(tmp_path):
    frame = pd.DataFrame(
        {
            "id": [f"p{i}" for i in range(2500)],
            "date": pd.to_datetime(["2023-04-10 12:00"] * 2500, utc=True),
            "text": [f"Text {i}." for i in range(2500)],
            "words": list(range(2500)),
        }
    )
    path = tmp_path / "c.parquet"
    frame.to_parquet(path, row_group_size=1000)
    docs = list(load(path))
    assert len(docs) == 2500 and docs[-1].id == "p2499"
    assert docs[3] == Document("p3", "Text 3.", "2023-04-10", str(path), {"words": 3})


def test_parquet_bad_date_names_the_row_and_missing_text_column(tmp_path):
    path = tmp_path / "c.parquet"
    pd.DataFrame({"text": ["a", "b", "c"], "date": ["2023-01-01", None, "soon"]}).to_parquet(path)
    with pytest.raises(InputError) as info:
        list(load(path))
    err = info.value
    assert (err.file, err.field) == (str(path), "date") and "row index 2: 'soon' is not a date" in str(err)
    with pytest.raises(InputError) as info:
        list(load(path, text="body"))
    assert "the columns are: 'text', 'date'" in str(info.value)


def test_not_a_parquet_file(tmp_path):
    path = write(tmp_path / "fake.parquet", "id,text\n")
    with pytest.raises(InputError, match="not a readable Parquet file"):
        list(load(path))


def test_dataframe_rows_ids_nan_dates_and_json_safe_meta():
    frame = pd.DataFrame(
        {"id": [1, 2], "date": ["2023-04-10", float("nan")], "text": ["One.", "Two."], "score": [0.5, float("nan")]}
    )
    docs = list(load(frame))
    assert [d.id for d in docs] == ["1", "2"]
    assert [d.date for d in docs] == ["2023-04-10", None]
    assert docs[0].source is None
    assert docs[1].meta == {"score": None}
    json.dumps([d.to_dict() for d in docs])
    named = list(load_dataframe(frame, source="survey"))
    assert named[0].source == "survey"


def test_dataframe_missing_text_column_is_refused_at_once():
    frame = pd.DataFrame({"body": ["x"]}, index=["r0"])
    with pytest.raises(InputError) as info:
        load(frame)
    assert info.value.file == "DataFrame" and 'Pass text="<column>"' in str(info.value)
    with pytest.raises(InputError, match="DataFrame, field 'text': row index 'r0': the text is empty"):
        list(load_dataframe(pd.DataFrame({"text": [None]}, index=["r0"])))


# --- boilerplate ------------------------------------------------------------------------

BOILERPLATE_004 = [
    "Also Read | After Chinese military drills around Taiwan, Taipei accuses Beijing of trying to shape upcoming poll",
    "(With inputs from agencies)",
    "You can now write for wionews.com and be a part of the community. Share your stories and opinions with us here.",
]


def test_boilerplate_is_kept_by_default():
    path = next(SHARED_CORPUS.glob("004_*.txt"))
    doc = read_text_file(path)
    assert doc.text == contract(path.read_bytes())[1]
    assert all(line in doc.text for line in BOILERPLATE_004)
    assert "boilerplate_removed" not in doc.meta


def test_boilerplate_stripping_on_the_shared_article():
    path = next(SHARED_CORPUS.glob("004_*.txt"))
    doc = next(load(path, strip_boilerplate=True))
    assert doc.meta["boilerplate_removed"] == BOILERPLATE_004
    kept = contract(path.read_bytes())[1]
    for line in BOILERPLATE_004:
        assert line not in doc.text
        kept = kept.replace(line + "\n\n", "").replace("\n\n" + line, "")
    assert doc.text == kept
    assert "\n\n\n" not in doc.text
    assert doc.text.endswith("increased military cooperation and US weapon supplies.")
    assert "poll\n" not in doc.text and "quoted by Reuters.\n\nUS Secretary of State" in doc.text


@pytest.mark.parametrize(
    ("text", "expected", "removed"),
    [
        ("A.\nAlso Read | x\nB.", "A.\nB.", ["Also Read | x"]),
        ("A.\n\nALSO READ: x\n\n\nB.", "A.\n\nB.", ["ALSO READ: x"]),
        ("Also read | x\n\nA.\n\n(With inputs from Reuters)\n", "A.", ["Also read | x", "(With inputs from Reuters)"]),
        ("A.\n\n\nB.", "A.\n\n\nB.", []),  # nothing removed: nothing changed
        ("He said: Also Read | is a menu.", "He said: Also Read | is a menu.", []),  # not a whole line
    ],
)
def test_strip_boilerplate_removes_whole_lines_and_collapses_blanks(text, expected, removed):
    assert strip_boilerplate(text) == (expected, removed)


def test_user_boilerplate_patterns_and_invalid_pattern(tmp_path):
    path = write(tmp_path / "a.txt", "Story.\n\nClick here to subscribe!\n\nEnd.")
    doc = next(load(path, strip_boilerplate=True, boilerplate_patterns=[r"Click here.*"]))
    assert doc.text == "Story.\n\nEnd." and doc.meta["boilerplate_removed"] == ["Click here to subscribe!"]
    with pytest.raises(InputError) as info:
        load(path, strip_boilerplate=True, boilerplate_patterns=["(unclosed"])
    assert info.value.field == "boilerplate_patterns" and "re.escape" in str(info.value)


def test_boilerplate_only_document_counts_as_empty(tmp_path):
    path = write_csv(tmp_path / "c.csv", [["id", "text"], ["a", "Also Read | elsewhere"]])
    with pytest.raises(InputError) as info:
        list(load(path, strip_boilerplate=True))
    assert (info.value.line, info.value.field) == (2, "text")


# --- properties -------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=1).filter(lambda t: t.strip() and not HEADER_RE.match(t)))
def test_any_txt_round_trips_under_the_contract(text):
    with tempfile.TemporaryDirectory() as folder:
        path = write(Path(folder) / "p.txt", text)
        assert read_text_file(path).text == text.rstrip()


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(min_size=1).filter(str.strip), min_size=1, max_size=5))
def test_any_csv_text_round_trips_exactly(texts):
    with tempfile.TemporaryDirectory() as folder:
        path = write_csv(Path(folder) / "p.csv", [["text"], *[[t] for t in texts]])
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            assert [d.text for d in load(path)] == texts


def test_a_loaded_stream_counts_its_documents_where_that_is_cheap(tmp_path):
    import operator

    import pandas as pd

    import toolkit

    folder = tmp_path / "txt"
    (folder / "sub").mkdir(parents=True)
    for i, name in enumerate(["a.txt", "b.txt", "sub/c.txt"]):
        (folder / name).write_text(f"Text {i}.", encoding="utf-8")
    docs = toolkit.load(folder)
    assert docs.total == 3 and operator.length_hint(docs, -1) == 3
    next(docs)
    assert operator.length_hint(docs, -1) == 2 and len(list(docs)) == 2
    jsonl = tmp_path / "d.jsonl"
    jsonl.write_text('{"text": "One."}\n\n{"text": "Two."}\n', encoding="utf-8")
    assert toolkit.load(jsonl).total == 2
    frame = pd.DataFrame({"text": ["a", "b", "c", "d"]})
    assert toolkit.load(frame).total == 4
    frame.to_parquet(tmp_path / "d.parquet")
    assert toolkit.load(tmp_path / "d.parquet").total == 4
    assert toolkit.load([folder, jsonl]).total == 5
    csv = tmp_path / "d.csv"
    csv.write_text('text\n"a\nb"\n', encoding="utf-8")  # one row over two lines: lines are no count
    assert toolkit.load(csv).total is None and toolkit.load([jsonl, csv]).total is None
    assert toolkit.load_sample().total == len(list(toolkit.load_sample()))

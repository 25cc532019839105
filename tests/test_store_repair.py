"""A damaged store: check lists every bad line, repair moves them aside (nothing deleted),
--skip-invalid reads around them, and the strict default says what to do."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from toolkit import Corrections, Correction, Document, Entity
from toolkit.errors import SchemaError, ToolkitWarning

TEXT = "Ana Lopez said this years budget was cut in Hanoi."


def _damaged(tmp_path):
    store = Corrections(tmp_path / "annotations")
    for i in range(4):
        store.append(Correction.create(Document(id=f"d{i}", text=TEXT), annotator="ana", entities=[Entity(0, 9, "PERSON"), Entity(15, 24, "DATE")]))
    path = store.write_path
    lines = path.read_text(encoding="utf-8").splitlines()
    bad_offsets = json.loads(lines[2])
    bad_offsets["entities"][0]["end"] = 999
    lines[1] = '{"schema": 1, "doc_id": "broken", '  # malformed JSON in the middle
    lines[2] = json.dumps(bad_offsets)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return store, path


def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "toolkit.cli.main", *args], capture_output=True, text=True, cwd=cwd)


def test_the_strict_default_names_the_line_and_the_way_out(tmp_path):
    store, path = _damaged(tmp_path)
    with pytest.raises(SchemaError) as err:
        list(store.records())
    message = str(err.value)
    assert "E202" in message and "line 2" in message and "toolkit store check" in message and "toolkit store repair" in message


def test_skip_reads_every_valid_record_and_reports_the_rest(tmp_path):
    _, path = _damaged(tmp_path)
    with pytest.warns(ToolkitWarning) as caught:
        records = list(Corrections(tmp_path / "annotations", on_error="skip").records())
    assert [r.doc_id for r in records] == ["d0", "d3"]
    assert any("line 2" in str(w.message) for w in caught) and any("line 3" in str(w.message) for w in caught)


def test_check_lists_bad_lines_and_token_cutting_spans_and_repair_moves_the_bad_lines_aside(tmp_path):
    _, path = _damaged(tmp_path)
    before = path.read_text(encoding="utf-8").splitlines()
    check = run("store", "check", str(tmp_path / "annotations"))
    assert check.returncode == 1
    assert f"{path}, line 2: error: [E202]" in check.stdout
    assert f"{path}, line 3: error: [E201] field 'entities[0]'" in check.stdout
    assert "cuts a token" in check.stdout and "'this year'" in check.stdout  # a note, not fatal
    assert "2 bad line(s)" in check.stdout

    repair = run("store", "repair", str(tmp_path / "annotations"))
    assert repair.returncode == 0, repair.stderr
    assert "2 bad line(s) moved aside" in repair.stdout
    quarantine = [json.loads(line) for line in open(str(path) + ".quarantine", encoding="utf-8")]
    assert [q["line"] for q in quarantine] == [2, 3] and [q["raw"] for q in quarantine] == before[1:3]
    assert [r.doc_id for r in Corrections(tmp_path / "annotations").records()] == ["d0", "d3"]  # strict read works again
    after = run("store", "check", str(tmp_path / "annotations"))
    assert after.returncode == 0 and "0 bad line(s)" in after.stdout


def test_export_with_skip_invalid_writes_the_valid_records(tmp_path):
    _damaged(tmp_path)
    strict = run("export", "--format", "jsonl", "-o", "out.jsonl", cwd=tmp_path)
    assert strict.returncode == 2 and "toolkit store repair" in strict.stderr
    skipping = run("export", "--format", "jsonl", "-o", "out.jsonl", "--skip-invalid", cwd=tmp_path)
    assert skipping.returncode == 0, skipping.stderr
    assert "2 records" in skipping.stdout and "line 2" in skipping.stderr

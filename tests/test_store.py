"""The corrections store: validation, semantics, torn lines, and durability with real processes."""
from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import time
import warnings

import pytest

from toolkit.errors import DriftWarning, SchemaError, TornRecordWarning
from toolkit.store import Corrections, validate_record
from toolkit.types import Claim, Correction, Document, Entity, Span

TEXT = "Foreign Minister Ilse Varga said on Monday that talks with Vietnam would resume."


def record(**changes) -> dict:
    doc = Document(id=changes.pop("doc_id", "d1"), text=TEXT)
    data = Correction.create(
        doc,
        annotator="ana",
        entities=[Entity(17, 27, "PERSON"), Entity(59, 66, "GPE")],
        claims=[Claim(48, 79, kind="indirect", speaker=Span(17, 27), cue=Span(28, 32))],
    ).to_dict()
    data.update(changes)
    return data


def test_round_trip_and_history(tmp_path):
    store = Corrections(tmp_path / "annotations")
    first = Correction.from_dict(record(timestamp="2026-01-01T00:00:00+00:00"))
    second = Correction.from_dict(record(timestamp="2026-01-02T00:00:00+00:00", answer="reject"))
    store.append(first)
    store.append(second)
    assert list(store.records()) == [first, second]
    assert store.latest() == [second]
    assert store.history("d1") == [first, second]
    assert store.annotators() == ["ana"] and store.doc_ids() == {"d1"}
    frame = store.to_dataframe()
    assert list(frame["answer"]) == ["reject"] and frame["n_entities"].iloc[0] == 2


def test_review_wins_and_drift_is_refused(tmp_path):
    store = Corrections(tmp_path / "c.jsonl")
    store.append(Correction.from_dict(record(annotator="bob", timestamp="2026-01-03T00:00:00+00:00")))
    store.append(Correction.from_dict(record(annotator="review", timestamp="2026-01-02T00:00:00+00:00")))
    assert store.get("d1").annotator == "review"
    assert store.get("d1", annotator="bob").annotator == "bob"
    with pytest.warns(DriftWarning, match="d1"):
        assert store.get("d1", text=TEXT + " Changed.") is None


@pytest.mark.parametrize(
    "changes, field, words",
    [
        ({"schema": 9}, "schema", "reads versions [1, 2]"),
        ({"answer": "maybe"}, "answer", "accept, reject, ignore"),
        ({"text_sha256": "0" * 64}, "text_sha256", "does not match"),
        ({"entities": [{"start": 17, "end": 200, "label": "PERSON"}]}, "entities[0]", "outside the text"),
        ({"entities": [{"start": 17, "end": 27, "label": "PERSON"}, {"start": 22, "end": 27, "label": "PERSON"}]}, "entities", "overlap"),
        ({"claims": [{"start": 48, "end": 79, "kind": "quote", "hedged": False, "speaker": None, "cue": None}]}, "claims[0]", "'kind'"),
        ({"claims": [{"start": 48, "end": 79, "kind": "direct", "hedged": "no", "speaker": None, "cue": None}]}, "claims[0]", "'hedged'"),
        ({"entities": [{"start": "17", "end": 27, "label": "PERSON"}]}, "entities[0]", "must be integers"),
        ({"schema": 2, "claims": [{"start": 48, "end": 79, "kind": "direct", "hedged": False, "parts": [{"start": 48, "end": 79}]}]},
         "claims[0].parts", "holds one piece"),
        ({"schema": 2, "claims": [{"start": 48, "end": 79, "kind": "direct", "hedged": False, "parts": [{"start": 50, "end": 60}, {"start": 62, "end": 79}]}]},
         "claims[0].parts", "the first piece starts the content"),
        ({"schema": 1, "claims": [{"start": 48, "end": 79, "kind": "indirect", "hedged": False, "negated": True}]},
         "claims[0]", "which schema 1 does not have"),
        ({"schema": 1, "claims": [{"start": 48, "end": 79, "kind": "mixed", "hedged": False}]}, "claims[0]", "kind 'mixed'"),
    ],
)
def test_bad_records_are_refused_on_write_and_on_read_with_the_same_message(tmp_path, changes, field, words):
    bad = record(**changes)
    with pytest.raises(SchemaError) as on_validate:
        validate_record(bad, file="x.jsonl", line=3)
    message = str(on_validate.value)
    assert "x.jsonl, line 3" in message and f"field '{field}'" in message and words in message
    path = tmp_path / "c.jsonl"
    path.write_text(json.dumps(record()) + "\n" + json.dumps(bad) + "\n", encoding="utf-8")
    with pytest.raises(SchemaError) as on_read:
        list(Corrections(path).records())
    assert f"{path}, line 2" in str(on_read.value) and words in str(on_read.value)
    as_record = Correction.from_dict(bad)
    try:
        validate_record(as_record.to_dict())
    except SchemaError:
        with pytest.raises(SchemaError) as on_write:
            Corrections(tmp_path / "w.jsonl").append(as_record)
        assert words in str(on_write.value)
        assert not (tmp_path / "w.jsonl").exists()
    else:  # the typed record itself cannot carry this mistake (e.g. hedged is coerced to bool)
        assert changes.keys() & {"claims", "entities"}


def test_bad_json_in_the_middle_names_the_line(tmp_path):
    path = tmp_path / "c.jsonl"
    path.write_text(json.dumps(record()) + "\n{not json\n" + json.dumps(record()) + "\n", encoding="utf-8")
    with pytest.raises(SchemaError, match=r"line 2.*malformed JSON"):
        list(Corrections(path).records())


def test_torn_last_line_is_reported_kept_aside_and_the_next_append_is_whole(tmp_path):
    path = tmp_path / "c.jsonl"
    whole = json.dumps(record())
    path.write_text(whole + "\n" + whole[:40], encoding="utf-8")
    store = Corrections(path)
    with pytest.warns(TornRecordWarning, match="line 2"):
        assert len(list(store.records())) == 1
    kept = [json.loads(line) for line in (tmp_path / "c.jsonl.torn").read_text(encoding="utf-8").splitlines()]
    assert kept == [{"line": 2, "fragment": whole[:40]}]
    store.append(Correction.from_dict(record(annotator="bob")))
    with warnings.catch_warnings(record=True):
        warnings.simplefilter("always")
        assert [r.annotator for r in store.records()] == ["ana", "bob"]
    assert path.read_text(encoding="utf-8").startswith(whole + "\n" + whole[:40] + "\n")


def test_compaction_swaps_atomically_and_keeps_a_backup(tmp_path):
    store = Corrections(tmp_path / "annotations")
    for day in (1, 2, 3):
        store.append(Correction.from_dict(record(timestamp=f"2026-01-0{day}T00:00:00+00:00")))
    store.compact()
    assert len(list(store.records())) == 1
    backup = tmp_path / "annotations" / "corrections.jsonl.bak"
    assert len(backup.read_text(encoding="utf-8").splitlines()) == 3


WRITER = r"""
import sys
from toolkit.store import Corrections
from toolkit.types import Correction, Document, Entity
store = Corrections(sys.argv[1])
name = sys.argv[2]
text = "Envoy Ilse Varga met officials in Hanoi. " * 20
for i in range(int(sys.argv[3])):
    doc = Document(id=f"{name}-{i}", text=text)
    store.append(Correction.create(doc, annotator=name, entities=[Entity(6, 16, "PERSON")], meta={"seq": i}))
    print(i, flush=True)
"""


def _complete_records(path):
    with warnings.catch_warnings(record=True):
        warnings.simplefilter("always")
        return list(Corrections(path).records())


@pytest.mark.slow
def test_sigkill_at_random_points_loses_no_acknowledged_record(tmp_path):
    path = tmp_path / "c.jsonl"
    rng = random.Random(4)
    acknowledged: set[str] = set()
    for round_ in range(6):
        proc = subprocess.Popen([sys.executable, "-c", WRITER, str(path), f"w{round_}", "5000"], stdout=subprocess.PIPE, text=True)
        target = rng.randint(20, 400)  # kill after a random number of acknowledged appends
        lines = [proc.stdout.readline() for _ in range(target)]
        time.sleep(rng.random() * 0.01)
        proc.send_signal(signal.SIGKILL)
        out, _ = proc.communicate()
        lines += out.splitlines()
        acknowledged |= {f"w{round_}-{line.strip()}" for line in lines if line.strip()}
        records = _complete_records(path)
        ids = {r.doc_id for r in records}
        assert acknowledged <= ids, f"round {round_}: lost {sorted(acknowledged - ids)[:5]}"
        assert all(r.entities[0].text(r.text) == "Ilse Varga" for r in records)
    assert len(acknowledged) > 100
    Corrections(path).append(Correction.create(Document("after", "A whole text."), annotator="z"))
    assert "after" in {r.doc_id for r in _complete_records(path)}


@pytest.mark.slow
def test_two_concurrent_writers_never_interleave(tmp_path):
    path = tmp_path / "annotations"
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(path), name, "1000"], stdout=subprocess.DEVNULL) for name in ("a", "b")]
    for proc in procs:
        assert proc.wait(timeout=240) == 0
    records = list(Corrections(path).records())
    assert len(records) == 2000
    for name in ("a", "b"):
        seqs = [r.meta["seq"] for r in records if r.annotator == name]
        assert seqs == list(range(1000))


@pytest.mark.slow
def test_two_panel_writers_and_a_cli_import_append_at_once_and_nothing_is_lost(tmp_path):
    from toolkit.sample import gold_path, load_gold

    path = tmp_path / "annotations"
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, str(path), name, "400"], stdout=subprocess.DEVNULL) for name in ("a", "b")]
    imports = subprocess.Popen(
        [sys.executable, "-m", "toolkit.cli.main", "import", str(gold_path()), "--format", "jsonl", "--annotations", str(path), "--annotator", "imp"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    for proc in writers:
        assert proc.wait(timeout=240) == 0
    _, err = imports.communicate(timeout=240)
    assert imports.returncode == 0, err
    records = list(Corrections(path).records())
    n_gold = len(list(load_gold()))
    assert len(records) == 800 + n_gold
    for name in ("a", "b"):
        assert [r.meta["seq"] for r in records if r.annotator == name] == list(range(400))
    assert sorted(r.doc_id for r in records if r.annotator == "imp") == sorted(g.doc_id for g in load_gold())

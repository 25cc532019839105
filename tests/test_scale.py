"""Single-process, multi-process and Dask outputs are the same; incremental runs reuse records."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import toolkit
from toolkit.scale import extract_dask, extract_parallel, iter_results, loaded_extractors, stream_dask
from toolkit.types import Document


@pytest.fixture(scope="module")
def corpus() -> list[Document]:
    from toolkit.sample import load_sample

    base = list(load_sample())
    # enough documents for several chunks per worker
    return [Document(id=f"{d.id}-{i}", text=d.text, date=d.date) for i in range(6) for d in base]


@pytest.fixture(scope="module")
def single(corpus, extractor) -> list[dict]:
    return [x.to_dict() for x in extractor.pipe(corpus)]


@pytest.mark.parametrize("start_method", ["fork", "spawn"])
def test_multi_process_output_equals_single_process(corpus, single, start_method):
    multi = [x.to_dict() for x in extract_parallel(corpus, workers=2, chunk_size=16, start_method=start_method)]
    assert multi == single


def test_multi_process_dicts_and_one_worker_equal_single_process(corpus, single):
    multi = list(extract_parallel(corpus, workers=2, chunk_size=16, as_dicts=True))
    assert multi == single
    assert [x.to_dict() for x in extract_parallel(iter(corpus), workers=1)] == single


def test_dask_local_cluster_output_equals_single_process(corpus, single, tmp_path):
    from dask.distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, Client(cluster) as client:
        import dask.bag as db

        bag = extract_dask(db.from_sequence(corpus, partition_size=20))
        results = list(iter_results(bag, client=client))
        assert results == single
        per_worker = client.run(loaded_extractors)
        assert all(count == 1 for count in per_worker.values()), per_worker
        from toolkit.scale import write_dask_results

        out = write_dask_results(bag, tmp_path / "parts", format="jsonl")
        written = [json.loads(line) for part in sorted(out.glob("part-*.jsonl")) for line in part.open(encoding="utf-8")]
        assert sorted(r["id"] for r in written) == sorted(r["id"] for r in single)

        # partitioned Parquet, one row per document, entities and claims as JSON
        import pandas as pd

        table = pd.read_parquet(write_dask_results(bag, tmp_path / "parquet", format="parquet"))
        assert len(list((tmp_path / "parquet").glob("*.parquet"))) == bag.npartitions > 1
        by_id = {r["id"]: r for r in single}
        assert sorted(table["id"]) == sorted(by_id)
        for row in table.itertuples():
            assert json.loads(row.entities) == by_id[row.id]["entities"]
            assert json.loads(row.claims) == by_id[row.id]["claims"]

        # a Dask DataFrame of plain columns goes through the same pipeline
        import dask.dataframe as dd

        frame = dd.from_pandas(pd.DataFrame([{"id": d.id, "text": d.text, "date": d.date} for d in corpus]), npartitions=3)
        from_frame = list(iter_results(extract_dask(frame), client=client))
        assert [(r["id"], r["entities"], r["claims"]) for r in from_frame] == [(r["id"], r["entities"], r["claims"]) for r in single]

        # a stream (a generator: never materialised) gives the same records, in order
        assert list(stream_dask((d for d in corpus), client, partition_size=15, window=2)) == single
        assert all(count == 1 for count in client.run(loaded_extractors).values())

        # and so does the CLI pointed at the cluster's scheduler
        source = tmp_path / "docs.jsonl"
        source.write_text("".join(json.dumps(d.to_dict()) + "\n" for d in corpus), encoding="utf-8")
        out_file = tmp_path / "dask.jsonl"
        cmd = [sys.executable, "-m", "toolkit.cli.main", "extract", str(source), "-o", str(out_file), "--show", "0", "--dask", cluster.scheduler_address]
        proc = subprocess.run(cmd, capture_output=True, text=True)
        assert proc.returncode == 0, proc.stderr
        keys = ("id", "text", "entities", "claims", "extractor")
        via_cli = [{k: r[k] for k in keys} for r in map(json.loads, out_file.open(encoding="utf-8"))]
        assert via_cli == [{k: r[k] for k in keys} for r in single]


def test_cli_workers_and_incremental(tmp_path, corpus):
    source = tmp_path / "docs.jsonl"
    source.write_text("".join(json.dumps(d.to_dict()) + "\n" for d in corpus[:60]), encoding="utf-8")
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    cmd = [sys.executable, "-m", "toolkit.cli.main", "extract", str(source), "--show", "0"]
    assert subprocess.run(cmd + ["-o", str(one)], capture_output=True).returncode == 0
    proc = subprocess.run(cmd + ["-o", str(two), "--workers", "2"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert one.read_text(encoding="utf-8") == two.read_text(encoding="utf-8")

    # change one document: an incremental run re-extracts only that one
    changed = corpus[:60]
    changed[3] = Document(id=changed[3].id, text=changed[3].text + " Officials in Hanoi said talks went well.")
    source.write_text("".join(json.dumps(d.to_dict()) + "\n" for d in changed), encoding="utf-8")
    proc = subprocess.run(cmd + ["-o", str(one), "--incremental"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "59 reused" in proc.stdout
    records = [json.loads(line) for line in one.open(encoding="utf-8")]
    assert records[3]["text"].endswith("talks went well.")
    fresh = [x.to_dict() for x in toolkit.Extractor().pipe(changed)]
    key = lambda r: (r["id"], r["text"], r["entities"], r["claims"], r["extractor"])  # noqa: E731
    assert [key(r) for r in records] == [key(r) for r in fresh]


def test_a_worker_killed_mid_run_stops_with_a_clear_error_after_intact_results(corpus, single):
    import multiprocessing
    import os
    import signal

    from toolkit.errors import WorkerError

    docs = [Document(id=f"{d.id}-{k}", text=d.text, date=d.date) for k in range(20) for d in corpus]
    before = {p.pid for p in multiprocessing.active_children()}
    stream = extract_parallel(iter(docs), workers=2, chunk_size=16, as_dicts=True)
    got = [next(stream)]
    workers = [p for p in multiprocessing.active_children() if p.pid not in before]
    assert len(workers) == 2
    os.kill(workers[0].pid, signal.SIGKILL)  # as the kernel's OOM killer would
    with pytest.raises(WorkerError, match=r"\[E502\] a worker process died after \d+ documents"):
        for record in stream:
            got.append(record)
    assert 0 < len(got) < len(docs)
    # what came out before the error is exactly what one process gives, in order
    expected = [single[i % len(single)] for i in range(len(got))]
    assert [(r["text"], r["entities"], r["claims"]) for r in got] == [(r["text"], r["entities"], r["claims"]) for r in expected]


def test_the_extractor_version_changes_with_the_rules(tmp_path):
    # --incremental reuses a record only under the same version: rules that changed since must not be reused
    import shutil

    from toolkit.extract import pipeline

    package = Path(pipeline.__file__).parent
    assert toolkit.Extractor(model=None).info.version == f"{toolkit.__version__}+rules.{pipeline.rules_fingerprint()}"
    copy = tmp_path / "extract"
    shutil.copytree(package, copy, ignore=shutil.ignore_patterns("__pycache__"))
    assert pipeline.rules_fingerprint(copy) == pipeline.rules_fingerprint()
    cues = copy / "data" / "cues.tsv"
    cues.write_text(cues.read_text(encoding="utf-8") + "_SPEECH_ADVERB\tlately\n", encoding="utf-8")
    assert pipeline.rules_fingerprint(copy) != pipeline.rules_fingerprint()


def damaged_store_case(tmp_path):
    """Documents, the lenient options of a store whose line 2 is malformed JSON (3 corrected
    documents, ORG "Ana Lopez"), and the single-process result with those options."""
    from toolkit import Correction, Corrections, Entity
    from toolkit.errors import ToolkitWarning
    from toolkit.sample import load_sample

    corrected = [Document(id=f"d{i}", text=f"Ana Lopez said the budget was cut. Talks {i} went well.") for i in range(3)]
    docs = corrected + list(load_sample())[:37]
    store = Corrections(tmp_path / "annotations")
    for doc in corrected:
        store.append(Correction.create(doc, annotator="ana", entities=[Entity(0, 9, "ORG")]))
    lines = store.write_path.read_text(encoding="utf-8").splitlines()
    store.write_path.write_text("\n".join([lines[0], '{"schema": 1, "doc_id": ', *lines[1:]]) + "\n", encoding="utf-8")
    options = dict(model=None, annotations=tmp_path / "annotations", labels=["PERSON", "ORG"], on_error="skip")
    with pytest.warns(ToolkitWarning, match="line 2"):
        one = [x.to_dict() for x in toolkit.Extractor(**options).pipe(docs)]
    assert {e["label"] for r in one for e in r["entities"]} == {"PERSON", "ORG"}
    return docs, options, one


def test_spawned_workers_get_labels_and_on_error(tmp_path):
    """``labels=`` and ``on_error=`` reach workers that build their own pipeline (spawn), and
    a strict store error raised in a worker reaches the caller as itself."""
    from toolkit.errors import SchemaError

    docs, options, one = damaged_store_case(tmp_path)
    assert {"GPE", "DATE"} <= {e.label for x in toolkit.Extractor(model=None).pipe(docs) for e in x.entities}  # without labels=
    assert sum(e["origin"] == "override" for r in one for e in r["entities"]) == 3
    multi = list(extract_parallel(docs, workers=2, chunk_size=8, start_method="spawn", as_dicts=True, **options))
    assert multi == one

    with pytest.raises(SchemaError, match=r"^\[E202\] .*line 2: malformed JSON"):
        list(extract_parallel(docs, workers=2, chunk_size=8, start_method="spawn", **{**options, "on_error": "raise"}))


@pytest.mark.filterwarnings("ignore::toolkit.errors.ToolkitWarning")  # the skipped line, reported again by the worker thread
def test_dask_workers_get_labels_and_on_error(tmp_path):
    from dask.distributed import Client, LocalCluster

    from toolkit.errors import SchemaError

    docs, options, one = damaged_store_case(tmp_path)
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None) as cluster, Client(cluster) as client:
        assert list(stream_dask(iter(docs), client, partition_size=8, **options)) == one
        import dask.bag as db

        assert list(iter_results(extract_dask(db.from_sequence(docs, partition_size=8), **options), client=client)) == one
        with pytest.raises(SchemaError, match=r"^\[E202\] .*line 2: malformed JSON"):
            list(stream_dask(iter(docs), client, partition_size=8, **{**options, "on_error": "raise"}))

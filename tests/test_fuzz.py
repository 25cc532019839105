"""Random bytes and random JSON into every loader and the store reader: every outcome is a result
or a coded toolkit error (or warning), never a traceback."""
from __future__ import annotations

import json
import tempfile
import warnings
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import toolkit
from toolkit.errors import ToolkitError

FORMATS = ("txt", "csv", "tsv", "jsonl", "parquet")
JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-10, 10**6) | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=5),
    max_leaves=20,
)
# records shaped like the store's, with random values in the known fields
RECORD = st.fixed_dictionaries(
    {},
    optional={
        "schema": st.sampled_from([1, 2, "1", None]),
        "doc_id": st.text(max_size=5) | st.integers(),
        "text": st.text(max_size=40) | st.none(),
        "text_sha256": st.text(max_size=5),
        "annotator": st.text(max_size=5),
        "timestamp": st.text(max_size=5),
        "answer": st.sampled_from(["accept", "reject", "ignore", "maybe", 3]),
        "entities": st.lists(st.fixed_dictionaries({}, optional={"start": st.integers(-2, 50), "end": st.integers(-2, 50), "label": st.text(max_size=4) | st.none()}), max_size=3) | JSON,
        "claims": st.lists(st.fixed_dictionaries({}, optional={"start": st.integers(-2, 50), "end": st.integers(-2, 50), "kind": st.sampled_from(["direct", "indirect", "x"]), "speaker": JSON}), max_size=2) | JSON,
    },
)
SETTINGS = settings(max_examples=int(__import__("os").environ.get("FUZZ_EXAMPLES", "60")), deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _outcome(run) -> None:
    """``run()`` returns, or raises a ToolkitError with a code; anything else fails the test."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            run()
        except ToolkitError as err:
            assert err.code and err.code[0] == "E" and str(err).startswith(f"[{err.code}]")


@SETTINGS
@given(data=st.binary(max_size=400), fmt=st.sampled_from(FORMATS))
def test_random_bytes_into_every_loader(data, fmt):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"corpus.{fmt}"
        path.write_bytes(data)
        _outcome(lambda: list(toolkit.load(path)))


@SETTINGS
@given(rows=st.lists(JSON, max_size=5))
def test_random_json_lines_into_the_jsonl_loader(rows):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "corpus.jsonl"
        path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
        _outcome(lambda: list(toolkit.load(path)))


@SETTINGS
@given(data=st.binary(max_size=400))
def test_random_bytes_into_the_store_reader(data):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "corrections.jsonl"
        path.write_bytes(data)
        _outcome(lambda: list(toolkit.Corrections(tmp).records()))
        _outcome(lambda: toolkit.Corrections(tmp).check())


@SETTINGS
@given(rows=st.lists(RECORD | JSON, min_size=1, max_size=4))
def test_random_records_into_the_store_reader_skip_and_repair(rows):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "corrections.jsonl"
        path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
        _outcome(lambda: list(toolkit.Corrections(tmp).records()))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            good = list(toolkit.Corrections(tmp, on_error="skip").records())  # never raises
            toolkit.Corrections(tmp).repair()
        assert list(toolkit.Corrections(tmp).records()) == good  # after repair the strict read works

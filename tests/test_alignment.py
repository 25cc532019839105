"""A span that cuts a token (data from other tools, a typo in the text) is stored as made, and
aligned where tokens are needed, with one warning per document that says what was done."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

import toolkit
from toolkit import Corrections, Correction, Document, Entity
from toolkit.errors import AlignmentWarning
from toolkit.extract.align import Aligner
from toolkit.extract.tokenizer import blank_english

TEXT = "Ana Lopez said this years budget was cut in Hanoi."
CUT = Entity(15, 24, "DATE")  # "this year" inside "this years"


def _store(tmp_path):
    store = Corrections(tmp_path / "annotations")
    for i in range(3):
        doc = Document(id=f"d{i}", text=TEXT)
        store.append(Correction.create(doc, annotator="ana", entities=[Entity(0, 9, "PERSON"), CUT, Entity(44, 49, "GPE")]))
    return store


@pytest.mark.parametrize(
    "mode, expected",
    [("expand", (15, 25, "this years")), ("contract", (15, 19, "this"))],
)
def test_the_aligner_snaps_by_its_mode_and_reports_once(mode, expected):
    doc = blank_english()(TEXT)
    aligner = Aligner(doc, doc_id="d0", mode=mode)
    span = aligner.span(CUT.start, CUT.end, label="DATE", what="entity DATE")
    assert (span.start_char, span.end_char, span.text) == expected
    assert aligner.span(0, 9).text == "Ana Lopez" and aligner.changed == 1
    with pytest.warns(AlignmentWarning) as caught:
        aligner.report()
    assert len(caught) == 1 and "'d0'" in str(caught[0].message) and "'this year'" in str(caught[0].message)
    assert Aligner(doc, doc_id="d0", mode="strict").span(CUT.start, CUT.end) is None
    with pytest.raises(ValueError, match="choose one of expand, contract, strict"):
        Aligner(doc, doc_id="d0", mode="nearest")


def test_a_store_with_a_token_cutting_span_reads_overrides_trains_and_exports(tmp_path):
    store = _store(tmp_path)
    records = list(Corrections(tmp_path / "annotations").records())  # read back: accepted as made
    assert len(records) == 3 and (CUT.start, CUT.end, "DATE") in {(e.start, e.end, e.label) for e in records[0].entities}
    override = toolkit.Extractor(model=None, annotations=tmp_path / "annotations").extract(Document(id="d0", text=TEXT))
    assert (CUT.start, CUT.end) in {(e.start, e.end) for e in override.entities}  # exactly as corrected

    from toolkit.learn.train import train

    with pytest.warns(AlignmentWarning, match="'this year' \\[15, 24\\) -> 'this years' \\[15, 25\\)"):
        train(store.records(), tmp_path / "model", base=None, n_iter=1, claims=False, progress=False)

    proc = subprocess.run(
        [sys.executable, "-m", "toolkit.cli.main", "export", "--annotations", str(tmp_path / "annotations"),
         "--format", "conll", "-o", str(tmp_path / "out.conll")],
        capture_output=True, text=True,
    )
    assert proc.returncode == 0, proc.stderr
    assert "3 records" in proc.stdout and "spans snapped to whole tokens in 3 document(s)" in proc.stdout
    assert proc.stderr.count("AlignmentWarning") == 3
    lines = (tmp_path / "out.conll").read_text(encoding="utf-8").split("\n")
    assert "this\tB-DATE" in lines and "years\tI-DATE" in lines

